/* Page flags and page types: the one place that knows the kernel's
 * enum pageflags and enum pagetype by name. Every other file tests a flag
 * through enum pageflag and these functions, never by spelling it.
 *
 * A kernel's own enum decides the bit numbers (from DWARF, a layout file
 * or VMCOREINFO's NUMBER(PG_x)); nothing here hard-codes a bit. */
#ifndef PINSCAN_PAGEFLAGS_H
#define PINSCAN_PAGEFLAGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmcoreinfo.h"

/* GUP_PIN_COUNTING_BIAS (include/linux/mm.h, v5.7, commit 3faa52c03f44
 * "mm/gup: track FOLL_PIN pages"): each FOLL_PIN adds this to _refcount
 * of a small page. */
#define GUP_PIN_COUNTING_BIAS 1024u

/* The members of enum pageflags pinscan tests, X(name) for the kernel's
 * PG_name. This list is the table: the enum below, the layout file's
 * keys (pg_name) and the lookups from DWARF and VMCOREINFO all expand it.
 * A flag the kernel has but this list lacks is still printed and can be
 * filtered on, by the names the kernel gives (struct pageflags.names). */
#define PAGEFLAGS_KNOWN(X) \
	X(locked) X(lru) X(active) X(head) X(slab) X(reserved) \
	X(unevictable) X(swapbacked) X(referenced) X(dirty) X(writeback) \
	X(private) X(mlocked) X(hwpoison) X(uptodate)

enum pageflag {
#define PAGEFLAG_ENUM(name) PGF_##name,
	PAGEFLAGS_KNOWN(PAGEFLAG_ENUM)
#undef PAGEFLAG_ENUM
	PGF_NR
};

/* How page_type (in a union with _mapcount) says "buddy", "slab"... */
enum page_type_kind {
	PAGE_TYPE_MASK,		/* v4.18..v6.11: base 0xf0000000, bit cleared */
	PAGE_TYPE_TOP_BYTE,	/* v6.12+: enum pagetype in the top byte */
};

#define PAGEFLAGS_MAX_NAMES 64

/* One kernel's flags and page types. */
struct pageflags {
	int bit[PGF_NR];	/* bit numbers, -1 when the era has no such flag */
	int nr_pageflags;	/* __NR_PAGEFLAGS, -1 when unknown */
	/* Every flag the kernel names, one name per bit (the first of its
	 * aliases), by bit number: what the TUI prints and filters on. */
	int nr_names;
	struct {
		char name[32];	/* without PG_ */
		int bit;
	} names[PAGEFLAGS_MAX_NAMES];

	enum page_type_kind type_kind;
	/* PAGE_TYPE_MASK; type_slab_bit 0 where slab is PG_slab (< v6.10) */
	uint32_t type_base, type_buddy_bit, type_slab_bit;
	int type_buddy_top, type_slab_top;	/* PAGE_TYPE_TOP_BYTE, -1 absent */
};

/* What page_type says about a page. */
struct page_type {
	bool typed;		/* page_type holds a type, not a mapcount */
	bool buddy, slab;
};

/* Nothing known, and the page_type encoding of v4.18..v6.11. */
void pageflags_init(struct pageflags *pf);

/* One enumerator of the kernel's enum pageflags ("PG_lru", 4), as DWARF
 * or BTF lists them, in the enum's order. */
void pageflags_add_enumerator(struct pageflags *pf, const char *name,
			      int64_t val);

/* A flag name without PG_ for bit; false when the table is full or the
 * bit is out of range. A second name for a bit is ignored (true). */
bool pageflags_add_name(struct pageflags *pf, const char *name, int bit);

/* One enumerator of enum pagetype ("PGTY_buddy", 0xf0), v6.12+. */
void pageflags_add_pagetype(struct pageflags *pf, const char *name,
			    int64_t val);

/* Flags from VMCOREINFO alone: NUMBER(PG_x) and NUMBER(PG_head_mask),
 * and the v6.12+ page-type encoding told by NUMBER(PAGE_*_MAPCOUNT_VALUE). */
void pageflags_from_vmcoreinfo(struct pageflags *pf,
			       const struct vmcoreinfo *vi);

/* What only the running kernel tells, whatever the layout came from:
 * PAGE_BUDDY_MAPCOUNT_VALUE (~PG_buddy) and PAGE_SLAB_MAPCOUNT_VALUE
 * (~PG_slab, v6.10..v6.11) before v6.12. */
void pageflags_apply_vmcoreinfo(struct pageflags *pf,
				const struct vmcoreinfo *vi);

/* Does this kernel have the flag? */
bool pageflags_has(const struct pageflags *pf, enum pageflag f);

/* Is bit set (a bit from pageflags_lookup; -1 is never set)? Inline, as
 * the next two: the scan asks them of every struct page. */
static inline bool pageflags_test_bit(uint64_t flags, int bit)
{
	return bit >= 0 && bit < 64 && (flags >> bit) & 1;
}

/* Is the flag set in a struct page's flags word? False when the kernel
 * lacks it. */
static inline bool pageflags_test(const struct pageflags *pf, uint64_t flags,
				  enum pageflag f)
{
	return f < PGF_NR && pageflags_test_bit(flags, pf->bit[f]);
}

/* The bit of a flag this kernel names: "lru", "PG_lru", any case; -1
 * when it has none. */
int pageflags_lookup(const struct pageflags *pf, const char *name);

/* "PG_lru", for messages. */
const char *pageflag_name(enum pageflag f);

/* Flag names for people: "lru|head|..." into buf. */
void pageflags_string(const struct pageflags *pf, uint64_t flags,
		      char *buf, size_t bufsz);

/* What a struct page's page_type (the _mapcount word) and flags say. */
static inline struct page_type page_type_decode(const struct pageflags *pf,
						 uint64_t flags,
						 uint32_t page_type)
{
	struct page_type t = { 0 };
	int32_t signed_type = (int32_t)page_type;

	if (pf->type_kind == PAGE_TYPE_TOP_BYTE) {
		/* v6.12: typed when below PGTY_mapcount_underflow << 24. */
		t.typed = signed_type < (int32_t)0xff000000u;
		t.buddy = t.typed && (int)(page_type >> 24) == pf->type_buddy_top;
		t.slab = t.typed && pf->type_slab_top >= 0 &&
			 (int)(page_type >> 24) == pf->type_slab_top;
	} else {
		/* v4.18..v6.11: typed below PAGE_MAPCOUNT_RESERVE (-128); a
		 * type is set by clearing its bit from PAGE_TYPE_BASE. */
		t.typed = signed_type < -128;
		t.buddy = (page_type & (pf->type_base | pf->type_buddy_bit)) ==
			  pf->type_base;
		t.slab = pf->type_slab_bit &&
			 (page_type & (pf->type_base | pf->type_slab_bit)) ==
			 pf->type_base;
	}
	/* Kernels before slab became a page type mark it with PG_slab. */
	if (pageflags_test(pf, flags, PGF_slab))
		t.slab = true;
	return t;
}

#endif
