/* Unit tests of the layout file (src/layout_file.c): what `pinscan layout
 * -o` writes, `--layout` must read back to the same struct page_layout,
 * and a file from an older pinscan (keys missing) must read as "absent",
 * not as offset or bit 0. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../src/layout_file.h"
#include "unit.h"

static char dir[] = "/tmp/pinscan-test-layout-XXXXXX";

/* In place, so that the padding stays as layout_init left it and two
 * layouts compare with memcmp. */
static void set_field(struct field *f, uint32_t off, uint32_t size)
{
	f->present = true;
	f->off = off;
	f->size = size;
}

/* A 6.1-like layout with a bit of everything a file carries. */
static void sample(struct page_layout *pl)
{
	layout_init(pl);
	snprintf(pl->source, sizeof(pl->source), "DWARF of vmlinux-6.1");
	snprintf(pl->release, sizeof(pl->release), "6.1.0-13-amd64");
	pl->struct_page_size = 64;
	set_field(&pl->flags, 0, 8);
	set_field(&pl->lru, 8, 16);
	set_field(&pl->compound_head, 8, 8);
	set_field(&pl->refcount, 52, 4);
	set_field(&pl->mapcount, 48, 4);
	pl->order_kind = ORDER_BYTE;
	set_field(&pl->order, 64 + 17, 1);
	pl->pin_scheme = PIN_SCHEME_FOLL;
	pl->large_pin_kind = LARGE_PIN_COMPOUND_PINCOUNT;
	set_field(&pl->large_pin, 64 + 24, 4);
	pl->large_pin_min_order = 1;
	pl->section_map_mask = ~0x1full;
	pl->zone_movable = 3;
	set_field(&pl->pgdat_node_start, 174720, 8);
	/* Debian 6.1's pin accounting: enum node_stat_item, pglist_data,
	 * struct per_cpu_nodestat. */
	pl->nr_foll_pin_acquired = 35;
	pl->nr_foll_pin_released = 36;
	pl->nr_node_stat_items = 43;
	set_field(&pl->pgdat_per_cpu_nodestats, 173824, 8);
	set_field(&pl->pgdat_vm_stat, 173832, 0);
	set_field(&pl->nodestat_diff, 1, 0);
	pl->per_cpu_nodestat_size = 44;
	pl->sym_per_cpu_offset = 0xffffffff8239eb60ull;
	/* Debian 6.1's struct ksm_stable_node and ksm_rmap_item. */
	set_field(&pl->ow.ksm_node_hlist, 40, 8);
	set_field(&pl->ow.ksm_node_hlist_len, 56, 4);
	set_field(&pl->ow.ksm_item_hlist, 48, 16);
	set_field(&pl->ow.ksm_item_head, 40, 8);
	set_field(&pl->ow.ksm_item_mm, 16, 8);
	set_field(&pl->ow.ksm_item_address, 24, 8);
	pageflags_add_enumerator(&pl->pf, "PG_locked", 0);
	pageflags_add_enumerator(&pl->pf, "PG_lru", 4);
	pageflags_add_enumerator(&pl->pf, "PG_active", 5);
	pageflags_add_enumerator(&pl->pf, "PG_mlocked", 21);
	pageflags_add_enumerator(&pl->pf, "PG_head", 16);
	pageflags_add_enumerator(&pl->pf, "__NR_PAGEFLAGS", 24);
	pageflags_add_pagetype(&pl->pf, "PGTY_buddy", 0xf0);
}

static char *path_of(const char *name)
{
	static char path[sizeof(dir) + 32];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static bool write_file(const struct page_layout *pl, const char *name)
{
	FILE *f = fopen(path_of(name), "w");
	bool ok = f && layout_file_write(pl, "abc123", f) == PS_OK;

	return f && !fclose(f) && ok;
}

/* The file with every line starting with one of the keys left out. */
static bool copy_without(const char *from, const char *to,
			 const char *const *keys)
{
	char line[512], src[sizeof(dir) + 32];
	FILE *in, *out;

	snprintf(src, sizeof(src), "%s", path_of(from));
	in = fopen(src, "r");
	out = fopen(path_of(to), "w");
	if (!in || !out)
		return false;
	while (fgets(line, sizeof(line), in)) {
		const char *const *k;
		bool drop = false;

		for (k = keys; *k; k++)
			drop |= !strncmp(line, *k, strlen(*k)) &&
				line[strlen(*k)] == ' ';
		if (!drop)
			fputs(line, out);
	}
	fclose(in);
	return !fclose(out);
}

static void test_round_trip(void)
{
	struct page_layout pl, back;
	struct ps_err err = { 0 };
	char id[129];

	sample(&pl);
	CHECK(write_file(&pl, "a"), "write a layout file");
	CHECK(layout_file_read(&back, path_of("a"), id, sizeof(id), &err) == PS_OK,
	      "read it back");
	CHECK(!strcmp(id, "abc123") && !strcmp(back.release, pl.release) &&
	      strstr(back.source, "DWARF of vmlinux-6.1 (saved in "),
	      "build-id, release and source survive");
	/* Everything but the source (which says where it was saved) and
	 * the kind, which is now a layout file. */
	CHECK(back.kind == LAYOUT_FILE, "a layout read back is of kind layout-file");
	memcpy(back.source, pl.source, sizeof(pl.source));
	back.kind = pl.kind;
	CHECK(!memcmp(&back, &pl, sizeof(pl)),
	      "the struct page_layout read back is the one written, byte for byte");
	CHECK(back.pf.nr_names == 5 && pageflags_lookup(&back.pf, "mlocked") == 21,
	      "the kernel's flag names survive");
}

static void test_older_file(void)
{
	static const char *const gone[] = {
		"pg_mlocked", "zone_movable", "pgdat_node_start", "nr_pageflags",
		"nr_foll_pin_acquired", "pgdat_vm_stat", "ow.ksm_node_hlist_len",
		NULL,
	};
	struct page_layout pl, back;
	struct ps_err err = { 0 };
	char id[129];

	sample(&pl);
	write_file(&pl, "full");
	copy_without("full", "old", gone);
	CHECK(layout_file_read(&back, path_of("old"), id, sizeof(id), &err) == PS_OK,
	      "a file lacking keys reads");
	CHECK(back.pf.bit[PGF_mlocked] == -1 && back.zone_movable == -1 &&
	      !back.pgdat_node_start.present && back.pf.nr_pageflags == -1 &&
	      back.nr_foll_pin_acquired == -1 && !back.pgdat_vm_stat.present,
	      "a missing key is absent (-1, not present), not 0");
	CHECK(layout_has_ksm(&pl) && !layout_has_ksm(&back) &&
	      back.ow.ksm_item_mm.present && back.ow.ksm_item_mm.off == 16,
	      "a file without a KSM member gives no KSM walk; the others are read");
	CHECK(back.pf.bit[PGF_lru] == 4 && back.refcount.off == 52,
	      "the keys it has are read");
}

/* A file cut short at a line boundary: the keys every version wrote are
 * required, never replaced by defaults. */
static void test_missing_required_key(void)
{
	static const char *const gone[] = { "mem_section_size", NULL };
	struct page_layout pl, back;
	struct ps_err err = { 0 };
	char id[129];

	sample(&pl);
	write_file(&pl, "full");
	copy_without("full", "cut", gone);
	CHECK(layout_file_read(&back, path_of("cut"), id, sizeof(id), &err) ==
	      PS_ERR_FORMAT && strstr(err.msg, "no mem_section_size line") &&
	      strstr(err.msg, path_of("cut")),
	      "a file without mem_section_size names the file and the key");
}

static void test_bad_files(void)
{
	static const struct {
		const char *text, *what, *says;
		enum ps_status status;
	} bad[] = {
		{ "not a layout\n", "another file", "not a pinscan layout file",
		  PS_ERR_FORMAT },
		{ "pinscan-layout 99\n", "a newer version", "layout file version 99",
		  PS_ERR_UNSUPPORTED },
		{ "pinscan-layout 1\nstruct_page_size x\n", "a bad number",
		  ":2: bad value for struct_page_size", PS_ERR_FORMAT },
		{ "pinscan-layout 1\nflag lru 64\n", "a flag bit past 63",
		  ":2: bad flag", PS_ERR_FORMAT },
		{ "pinscan-layout 1\nlru 1 8 999999\n", "an absurd member size",
		  ":2: bad value for lru", PS_ERR_FORMAT },
		{ "pinscan-layout 1\nbuild-id -\n", "no struct page at all",
		  "incomplete layout", PS_ERR_FORMAT },
		{ "pinscan-layout 1\nstruct_page_size 6", "a file cut inside a line",
		  ":2: line cut short", PS_ERR_FORMAT },
	};
	struct page_layout pl;
	struct ps_err err;
	char id[129], what[160];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		FILE *f = fopen(path_of("bad"), "w");

		fputs(bad[i].text, f);
		fclose(f);
		memset(&err, 0, sizeof(err));
		snprintf(what, sizeof(what), "%s: %s, naming the file", bad[i].what,
			 bad[i].says);
		CHECK(layout_file_read(&pl, path_of("bad"), id, sizeof(id), &err) ==
		      bad[i].status && strstr(err.msg, bad[i].says) &&
		      strstr(err.msg, path_of("bad")), what);
	}
	CHECK(layout_file_read(&pl, path_of("none"), id, sizeof(id), &err) ==
	      PS_ERR_IO, "a file that is not there");
}

int main(void)
{
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 99;
	}
	test_round_trip();
	test_older_file();
	test_missing_required_key();
	test_bad_files();
	/* Only this run's files: other tests may run beside it. */
	unlink(path_of("a"));
	unlink(path_of("full"));
	unlink(path_of("old"));
	unlink(path_of("bad"));
	rmdir(dir);
	return unit_exit();
}
