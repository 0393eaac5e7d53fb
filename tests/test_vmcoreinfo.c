/* Unit tests of VMCOREINFO parsing (src/vmcoreinfo.c) and of what the
 * layout takes from it alone (no vmlinux): the text comes from the dump,
 * so a key matched by prefix or a value read past its line would give a
 * wrong layout without any error. */
#include <string.h>

#include "../src/layout.h"
#include "../src/vmcoreinfo.h"
#include "unit.h"

/* As a 6.1 x86-64 kernel writes it (kernel/crash_core.c), cut down, NUL
 * padded like a note and without the final newline. */
static const char note[] =
	"OSRELEASE=6.1.0-13-amd64\n"
	"BUILD-ID=d3921a61c786f974335fd911899895d587e7e18a\n"
	"PAGESIZE=4096\n"
	"SYMBOL(mem_section)=ffff88803ffd5000\n"
	"LENGTH(mem_section)=2048\n"
	"SIZE(page)=64\n"
	"SIZE(mem_section)=16\n"
	"OFFSET(page.flags)=0\n"
	"OFFSET(page._refcount)=52\n"
	"OFFSET(page.mapping)=24\n"
	"OFFSET(page.lru)=8\n"
	"OFFSET(page._mapcount)=48\n"
	"OFFSET(page.private)=40\n"
	"OFFSET(page.compound_head)=8\n"
	"OFFSET(mem_section.section_mem_map)=0\n"
	"NUMBER(PG_lru)=4\n"
	"NUMBER(PG_private)=13\n"
	"NUMBER(PG_swapcache)=10\n"
	"NUMBER(PG_swapbacked)=19\n"
	"NUMBER(PG_slab)=9\n"
	"NUMBER(PG_hwpoison)=22\n"
	"NUMBER(PG_head_mask)=65536\n"
	"NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)=-129\n"
	"NUMBER(SECTION_SIZE_BITS)=27\n"
	"NUMBER(MAX_PHYSMEM_BITS)=46\n"
	"KERNELOFFSET=1e000000\n"
	"CRASHTIME=1700000000";

static void load(struct vmcoreinfo *vi)
{
	char padded[sizeof(note) + 16];

	memset(padded, 0, sizeof(padded));
	memcpy(padded, note, sizeof(note) - 1);
	vi->text = NULL;
	vmcoreinfo_set(vi, padded, sizeof(padded));
}

static void test_keys(void)
{
	struct vmcoreinfo vi;
	char buf[64];
	int64_t val = 0;
	uint64_t u = 0;

	load(&vi);
	CHECK(vmcoreinfo_get(&vi, "OSRELEASE", buf, sizeof(buf)) &&
	      !strcmp(buf, "6.1.0-13-amd64"), "a string value, up to its line's end");
	CHECK(vmcoreinfo_get(&vi, "CRASHTIME", buf, sizeof(buf)) &&
	      !strcmp(buf, "1700000000"), "the last line, without newline and before the NUL padding");
	CHECK(!vmcoreinfo_get(&vi, "PAGE", buf, sizeof(buf)) &&
	      !vmcoreinfo_get(&vi, "OSRELEASE=6", buf, sizeof(buf)),
	      "a key is matched whole, never by prefix");
	CHECK(vmcoreinfo_get(&vi, "OSRELEASE", buf, 4) && !strcmp(buf, "6.1"),
	      "a value cut to the buffer");
	CHECK(vmcoreinfo_number(&vi, "PAGE_BUDDY_MAPCOUNT_VALUE", &val) &&
	      val == -129, "NUMBER() may be negative");
	CHECK(vmcoreinfo_symbol(&vi, "mem_section", &u) &&
	      u == 0xffff88803ffd5000ull, "SYMBOL() is hex");
	CHECK(vmcoreinfo_offset(&vi, "page._refcount", &val) && val == 52,
	      "OFFSET(struct.member)");
	CHECK(vmcoreinfo_size(&vi, "page", &val) && val == 64 &&
	      vmcoreinfo_size(&vi, "mem_section", &val) && val == 16, "SIZE()");
	CHECK(vmcoreinfo_length(&vi, "mem_section", &val) && val == 2048,
	      "LENGTH()");
	CHECK(vmcoreinfo_hex(&vi, "KERNELOFFSET", &u) && u == 0x1e000000,
	      "a bare hex value");
	CHECK(!vmcoreinfo_number(&vi, "PG_mlocked", &val) &&
	      !vmcoreinfo_offset(&vi, "page.index", &val), "absent keys are absent");
	vmcoreinfo_free(&vi);
}

static void test_walk(void)
{
	struct vmcoreinfo vi;
	char key[34];
	size_t pos = 0;
	unsigned n = 0, numbers = 0;

	load(&vi);
	while (vmcoreinfo_next_key(&vi, &pos, key, sizeof(key))) {
		n++;
		numbers += !strncmp(key, "NUMBER(", 7);
	}
	/* OFFSET(mem_section.section_mem_map) is longer than 33 bytes. */
	CHECK(n == 26 && numbers == 10,
	      "every key walked once, in order; one too long for the buffer passed over");
	vmcoreinfo_free(&vi);
	vi.text = NULL;
	pos = 0;
	vmcoreinfo_set(&vi, NULL, 0);
	CHECK(!vmcoreinfo_next_key(&vi, &pos, key, sizeof(key)),
	      "empty VMCOREINFO has no keys");
	vmcoreinfo_free(&vi);
}

/* The layout from VMCOREINFO alone (pinscan scan without -s). */
static void test_layout_alone(void)
{
	struct vmcoreinfo vi;
	struct page_layout pl;
	struct ps_err err = { 0 };
	char flags[200];

	load(&vi);
	CHECK(layout_from_vmcoreinfo(&pl, &vi, &err) == PS_OK,
	      "a 6.1 VMCOREINFO is a complete layout");
	layout_apply_vmcoreinfo(&pl, &vi);
	CHECK(pl.struct_page_size == 64 && pl.refcount.present &&
	      pl.refcount.off == 52 && pl.mapcount.off == 48 && pl.lru.off == 8,
	      "offsets of the common members");
	CHECK(pl.pf.bit[PGF_lru] == 4 && pl.pf.bit[PGF_head] == 16 &&
	      pl.pf.bit[PGF_slab] == 9 && pl.pf.bit[PGF_active] == -1,
	      "flag bits from NUMBER(PG_x), PG_head from its mask, absent ones -1");
	pageflags_string(&pl.pf, 1u << 4 | 1u << 16 | 1u << 10 | 1u << 3,
			 flags, sizeof(flags));
	CHECK(!strcmp(flags, "lru|head"),
	      "flag names without a vmlinux: lru|head (not swapcache, whose bit means more)");
	CHECK(pageflags_lookup(&pl.pf, "PG_hwpoison") == 22 &&
	      pageflags_lookup(&pl.pf, "head_mask") == -1,
	      "hwpoison can be filtered on; head_mask is no flag");
	CHECK(pl.pf.type_kind == PAGE_TYPE_MASK && pl.pf.type_buddy_bit == 0x80,
	      "PG_buddy from PAGE_BUDDY_MAPCOUNT_VALUE = ~0x80");
	vmcoreinfo_free(&vi);

	load(&vi);
	/* Without PG_head_mask the layout cannot tell heads: refused, not
	 * guessed. */
	*strstr(vi.text, "NUMBER(PG_head_mask)") = 'X';
	CHECK(layout_from_vmcoreinfo(&pl, &vi, &err) == PS_OK &&
	      layout_validate(&pl, "dumpfile", &err) == PS_ERR_UNSUPPORTED &&
	      strstr(err.msg, "PG_head") && strstr(err.msg, "dumpfile"),
	      "no PG_head: refused, naming it");
	vmcoreinfo_free(&vi);
}

/* The note with the line starting with key replaced by line. */
static void load_with(struct vmcoreinfo *vi, const char *key,
		      const char *line)
{
	char text[sizeof(note) + 128];
	const char *at = strstr(note, key), *end = strchr(at, '\n') + 1;

	snprintf(text, sizeof(text), "%.*s%s\n%s", (int)(at - note), note,
		 line, end);
	vi->text = NULL;
	vmcoreinfo_set(vi, text, strlen(text));
}

/* Numbers that would make pinscan read out of bounds, shift past 63 or
 * read pages at the wrong places: refused before use, naming the key. */
static void test_implausible(void)
{
	static const struct {
		const char *key, *line, *says;
	} bad[] = {
		{ "SIZE(page)", "SIZE(page)=8", "SIZE(page)=8" },
		{ "OFFSET(page.flags)", "OFFSET(page.flags)=60",
		  "OFFSET(page.flags)=60" },
		{ "NUMBER(SECTION_SIZE_BITS)", "NUMBER(SECTION_SIZE_BITS)=39",
		  "SECTION_SIZE_BITS)=39" },
		{ "NUMBER(SECTION_SIZE_BITS)", "NUMBER(SECTION_SIZE_BITS)=20",
		  "SECTION_SIZE_BITS)=20" },
		{ "NUMBER(MAX_PHYSMEM_BITS)", "NUMBER(MAX_PHYSMEM_BITS)=31",
		  "MAX_PHYSMEM_BITS)=31" },
		{ "PAGESIZE", "PAGESIZE=8192", "PAGESIZE=8192" },
		{ "PAGESIZE", "PAGESIZE=0", "PAGESIZE=0" },
		{ "SIZE(mem_section)", "SIZE(mem_section)=0",
		  "SIZE(mem_section)=0" },
		{ "OFFSET(mem_section.section_mem_map)",
		  "OFFSET(mem_section.section_mem_map)=12",
		  "section_mem_map)=12" },
	};
	struct vmcoreinfo vi;
	struct ps_err err;
	char what[200];
	size_t i;

	load(&vi);
	CHECK(layout_check_vmcoreinfo_values(&vi, "dumpfile", &err) == PS_OK,
	      "a 6.1 VMCOREINFO is plausible");
	vmcoreinfo_free(&vi);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		load_with(&vi, bad[i].key, bad[i].line);
		memset(&err, 0, sizeof(err));
		snprintf(what, sizeof(what), "%s refused, naming the dump and the key",
			 bad[i].line);
		CHECK(layout_check_vmcoreinfo_values(&vi, "dumpfile", &err) ==
		      PS_ERR_FORMAT && strstr(err.msg, "dumpfile") &&
		      strstr(err.msg, bad[i].says), what);
		vmcoreinfo_free(&vi);
	}
}

/* The page-type encoding told by the MAPCOUNT_VALUE numbers alone, as
 * 6.1 (~PG_buddy), 6.10/6.11 (~PG_slab too) and 6.12+ (PGTY_x << 24)
 * write them: a free page and a slab page of each era decode right. */
static void test_page_types(void)
{
	struct vmcoreinfo vi;
	struct page_layout pl;
	struct page_type t;
	struct ps_err err;

	load(&vi);
	CHECK(layout_from_vmcoreinfo(&pl, &vi, &err) == PS_OK, "6.1 layout");
	layout_apply_vmcoreinfo(&pl, &vi);
	t = page_type_decode(&pl.pf, 0, 0xffffff7fu);
	CHECK(pl.pf.type_kind == PAGE_TYPE_MASK && t.typed && t.buddy,
	      "6.1: ~PG_buddy is the bit encoding, 0xffffff7f is buddy");
	vmcoreinfo_free(&vi);

	load_with(&vi, "NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)",
		  "NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)=-268435456\n"
		  "NUMBER(PAGE_SLAB_MAPCOUNT_VALUE)=-184549376");
	CHECK(layout_from_vmcoreinfo(&pl, &vi, &err) == PS_OK, "6.12 layout");
	layout_apply_vmcoreinfo(&pl, &vi);
	CHECK(pl.pf.type_kind == PAGE_TYPE_TOP_BYTE &&
	      pl.pf.type_buddy_top == 0xf0 && pl.pf.type_slab_top == 0xf5,
	      "6.12: PGTY_buddy << 24 is the top-byte encoding, buddy 0xf0, slab 0xf5");
	t = page_type_decode(&pl.pf, 0, 0xf0000000u);
	CHECK(t.typed && t.buddy && !t.slab, "6.12: 0xf0000000 is buddy");
	t = page_type_decode(&pl.pf, 0, 0xf5000003u);
	CHECK(t.typed && t.slab && !t.buddy, "6.12: 0xf5000003 is slab");
	t = page_type_decode(&pl.pf, 0, 0xffffffffu);
	CHECK(!t.typed, "6.12: -1 is an unmapped page, not a type");
	vmcoreinfo_free(&vi);

	load_with(&vi, "NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)",
		  "NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)=-129\n"
		  "NUMBER(PAGE_SLAB_MAPCOUNT_VALUE)=-4097");
	CHECK(layout_from_vmcoreinfo(&pl, &vi, &err) == PS_OK, "6.10 layout");
	layout_apply_vmcoreinfo(&pl, &vi);
	t = page_type_decode(&pl.pf, 0, 0xffffefffu);
	CHECK(pl.pf.type_kind == PAGE_TYPE_MASK && t.typed && t.slab &&
	      !t.buddy, "6.10: ~PG_slab (0x1000) marks a slab page");
	vmcoreinfo_free(&vi);
}

int main(void)
{
	test_page_types();
	test_keys();
	test_walk();
	test_layout_alone();
	test_implausible();
	return unit_exit();
}
