#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "pageflags.h"

/* The kernel's names of PAGEFLAGS_KNOWN, by enum pageflag. */
static const char *const known_names[PGF_NR] = {
#define PAGEFLAG_NAME(name) "PG_" #name,
	PAGEFLAGS_KNOWN(PAGEFLAG_NAME)
#undef PAGEFLAG_NAME
};

void pageflags_init(struct pageflags *pf)
{
	int f;

	memset(pf, 0, sizeof(*pf));
	for (f = 0; f < PGF_NR; f++)
		pf->bit[f] = -1;
	pf->nr_pageflags = -1;
	/* v4.18 (commit 6e292b9be7f4, "mm: split page_type out from
	 * _mapcount") to v6.11: PAGE_TYPE_BASE 0xf0000000, PG_buddy 0x80. */
	pf->type_kind = PAGE_TYPE_MASK;
	pf->type_base = 0xf0000000u;
	pf->type_buddy_bit = 0x80;
	pf->type_buddy_top = pf->type_slab_top = -1;
}

static bool bit_named(const struct pageflags *pf, int bit)
{
	int i;

	for (i = 0; i < pf->nr_names; i++)
		if (pf->names[i].bit == bit)
			return true;
	return false;
}

bool pageflags_add_name(struct pageflags *pf, const char *name, int bit)
{
	int at;

	if (bit < 0 || bit > 63)
		return false;
	/* Aliases (PG_checked = PG_owner_priv_1 ...) would print a bit
	 * twice: the first name of each bit stays. */
	if (bit_named(pf, bit))
		return true;
	if (pf->nr_names >= PAGEFLAGS_MAX_NAMES)
		return false;
	/* By bit number, whatever order the source lists them in. */
	for (at = pf->nr_names; at > 0 && pf->names[at - 1].bit > bit; at--)
		pf->names[at] = pf->names[at - 1];
	/* Whole, so that no byte of the name that was here stays behind. */
	memset(&pf->names[at], 0, sizeof(pf->names[at]));
	snprintf(pf->names[at].name, sizeof(pf->names[at].name), "%s", name);
	pf->names[at].bit = bit;
	pf->nr_names++;
	return true;
}

/* Set the bit of a known flag, the first time its name is seen. */
static void set_known(struct pageflags *pf, const char *name, int bit)
{
	int f;

	for (f = 0; f < PGF_NR; f++)
		if (!strcmp(name, known_names[f]) && pf->bit[f] < 0)
			pf->bit[f] = bit;
}

void pageflags_add_enumerator(struct pageflags *pf, const char *name,
			      int64_t val)
{
	if (!strcmp(name, "__NR_PAGEFLAGS")) {
		pf->nr_pageflags = val >= 0 && val <= 64 ? (int)val : -1;
		return;
	}
	if (strncmp(name, "PG_", 3) || val < 0 || val > 63)
		return;
	set_known(pf, name, (int)val);
	pageflags_add_name(pf, name + 3, (int)val);
}

void pageflags_add_pagetype(struct pageflags *pf, const char *name,
			    int64_t val)
{
	if (val < 0 || val > 0xff)
		return;
	if (!strcmp(name, "PGTY_buddy")) {
		/* v6.12 (commit 4ffca5a96678, "mm: support only one page_type
		 * per page"): the type is the top byte of page_type. */
		pf->type_kind = PAGE_TYPE_TOP_BYTE;
		pf->type_buddy_top = (int)val;
	} else if (!strcmp(name, "PGTY_slab")) {
		pf->type_slab_top = (int)val;
	}
}

/* "NUMBER(PG_lru)" -> "PG_lru" in name; false for any other key. */
static bool number_of_flag(const char *key, char *name, size_t namesz)
{
	size_t len = strlen(key);

	if (strncmp(key, "NUMBER(PG_", 10) || key[len - 1] != ')' ||
	    len - 8 >= namesz)
		return false;
	memcpy(name, key + 7, len - 8);
	name[len - 8] = '\0';
	return true;
}

/* A page type's top byte from its NUMBER(PAGE_*_MAPCOUNT_VALUE) when the
 * kernel writes it as PGTY_x << 24 (v6.12, commit 4ffca5a96678, "mm:
 * support only one page_type per page"; kernel/vmcore_info.c defines the
 * VMCOREINFO values so), -1 for any other shape. Before, the values are
 * ~PG_x, one bit clear in all 32: never zero in the low 24 bits, so the
 * value alone tells the encoding, without DWARF or a version string. */
static int top_byte_type(const struct vmcoreinfo *vi, const char *name)
{
	int64_t val;
	uint32_t v;

	if (!vmcoreinfo_number(vi, name, &val) || val >= 0 || val < INT32_MIN)
		return -1;
	v = (uint32_t)val;
	return (v & 0xffffff) || v < 0x80000000u ? -1 : (int)(v >> 24);
}

/* Without enum pagetype (VMCOREINFO alone): the encoding and the buddy
 * and slab values from the MAPCOUNT_VALUE numbers. */
static void pagetype_from_vmcoreinfo(struct pageflags *pf,
				     const struct vmcoreinfo *vi)
{
	int buddy = top_byte_type(vi, "PAGE_BUDDY_MAPCOUNT_VALUE");

	if (buddy < 0)
		return;		/* the v4.18..v6.11 encoding: the default */
	pf->type_kind = PAGE_TYPE_TOP_BYTE;
	pf->type_buddy_top = buddy;
	pf->type_slab_top = top_byte_type(vi, "PAGE_SLAB_MAPCOUNT_VALUE");
}

void pageflags_from_vmcoreinfo(struct pageflags *pf,
			       const struct vmcoreinfo *vi)
{
	char key[64], name[48];
	size_t pos = 0;
	int64_t val;

	while (vmcoreinfo_next_key(vi, &pos, key, sizeof(key))) {
		if (!number_of_flag(key, name, sizeof(name)) ||
		    !vmcoreinfo_number(vi, name, &val))
			continue;
		if (!strcmp(name, "PG_head_mask")) {
			/* A mask, not a bit number (for makedumpfile). */
			if (val > 0 && !(val & (val - 1)))
				pageflags_add_enumerator(pf, "PG_head",
					__builtin_ctzll((unsigned long long)val));
			continue;
		}
		/* PG_swapcache is PG_owner_priv_1, which means swap cache
		 * only on a swap-backed page: not a name to print for the
		 * bit on every page. */
		if (!strcmp(name, "PG_swapcache"))
			continue;
		pageflags_add_enumerator(pf, name, val);
	}
	pagetype_from_vmcoreinfo(pf, vi);
}

void pageflags_apply_vmcoreinfo(struct pageflags *pf,
				const struct vmcoreinfo *vi)
{
	int64_t val;
	uint32_t bit;

	/* v4.18..v6.11: PAGE_BUDDY_MAPCOUNT_VALUE is ~PG_buddy, one bit. */
	if (pf->type_kind != PAGE_TYPE_MASK)
		return;
	if (vmcoreinfo_number(vi, "PAGE_BUDDY_MAPCOUNT_VALUE", &val)) {
		bit = (uint32_t)~val;
		if (bit && !(bit & (bit - 1)))
			pf->type_buddy_bit = bit;
	}
	/* v6.10 ("mm: turn PG_slab into a page type", by title: id not verified)
	 * and v6.11: slab is the page type ~PG_slab, no longer a flag. */
	if (vmcoreinfo_number(vi, "PAGE_SLAB_MAPCOUNT_VALUE", &val)) {
		bit = (uint32_t)~val;
		if (bit && !(bit & (bit - 1)) && !(bit & pf->type_base))
			pf->type_slab_bit = bit;
	}
}

bool pageflags_has(const struct pageflags *pf, enum pageflag f)
{
	return f < PGF_NR && pf->bit[f] >= 0;
}

int pageflags_lookup(const struct pageflags *pf, const char *name)
{
	const char *flag = strncasecmp(name, "PG_", 3) ? name : name + 3;
	int i;

	for (i = 0; i < pf->nr_names; i++)
		if (!strcasecmp(flag, pf->names[i].name))
			return pf->names[i].bit;
	return -1;
}

const char *pageflag_name(enum pageflag f)
{
	return f < PGF_NR ? known_names[f] : "PG_?";
}

void pageflags_string(const struct pageflags *pf, uint64_t flags,
		      char *buf, size_t bufsz)
{
	size_t len = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < pf->nr_names && len + 1 < bufsz; i++) {
		int n;

		if (!pageflags_test_bit(flags, pf->names[i].bit))
			continue;
		n = snprintf(buf + len, bufsz - len, "%s%s", len ? "|" : "",
			     pf->names[i].name);
		if (n < 0)
			break;
		len += (size_t)n;
	}
}

