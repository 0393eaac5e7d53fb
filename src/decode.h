/* Page decoding: raw struct page bytes + layout -> struct page_state.
 * Pure functions, no I/O: the report and the TUI share them. */
#ifndef PINSCAN_DECODE_H
#define PINSCAN_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "layout.h"
#include "pageflags.h"
/* Orders above this are corrupt (1 GiB hugetlb is order 18 on x86-64). */
#define MAX_SANE_ORDER 20

enum pin_how {
	PIN_HOW_NONE,
	PIN_HOW_RFC_FLAG,
	PIN_HOW_REFCOUNT_BIAS,
	PIN_HOW_LARGE_EXACT,	/* the layout's large_pin_kind says which */
};

enum pin_confidence {
	PIN_CONF_EXACT,		/* an explicit pin flag or count */
	PIN_CONF_LIKELY,	/* >= 1024 references no mapping explains */
	PIN_CONF_POSSIBLE,	/* >= 1024 references, but mapcount is high */
};

struct page_state {
	uint64_t pfn;
	uint64_t flags;
	bool lru, head, tail, buddy, slab, typed;
	uint64_t head_addr;		/* tails: where compound_head points */
	uint64_t compound_info;		/* the raw tail word (bit 0 set) */
	uint64_t head_mask;		/* v7.1 mask form: head = own address
					 * & head_mask (head_addr is then 0) */
	uint32_t refcount;
	int32_t mapcount;		/* _mapcount + 1; 0 for typed pages */
	uint32_t page_type;
	unsigned order;			/* heads; 0 otherwise */
	unsigned raw_order;		/* as stored, even when absurd */
	bool bad_order;			/* head whose order is absurd */
	uint64_t nr_pages;		/* 1 << order for heads, else 1 */
	uint64_t folio_nr_pages;	/* compound_nr/_folio_nr_pages, 0 if none */
	bool nr_pages_mismatch;		/* folio_nr_pages != 1 << order */
	uint64_t lru_next, lru_prev;
	uint64_t mapping, private_;

	enum pin_how pin_how;
	int64_t pincount;
	int64_t large_pincount;		/* a head's exact pin field, any sign */
	enum pin_confidence pin_confidence;
	bool rfc_pin_on_tail;		/* RFC word with tail and pin bits */
	bool rfc_other_bit;		/* the other RFC variant's pin word */
};

/* Decode the struct page at raw for pfn. nr_following is how many struct
 * pages (including this one) raw holds, so that a head's page[1] and
 * page[2] can be read when they are there. */
void page_decode(const struct page_layout *pl, const uint8_t *raw,
		 uint64_t nr_following, uint64_t pfn, struct page_state *ps);

/* Most struct pages (free, slab, kernel-owned) need nothing but counting.
 * True when the struct page at raw is one: no LRU, head or tail page, no
 * pin or other RFC pin word, counts that break no rule (checks.c); then
 * *buddy and *slab say how the report counts it, and page_decode,
 * checks_page and the audit (outside a compound family) would find and
 * record nothing else. False: decode it in full. A conservative subset of
 * page_decode's decisions: tests/test_decode checks that on many pages. */
bool page_is_plain(const struct page_layout *pl, const uint8_t *raw,
		   bool *buddy, bool *slab);

struct plain_counts {
	uint64_t pages, buddy, slab;
};

/* How many of the n struct pages at raw, from the first, are plain
 * (page_is_plain); they are added to *c. One call per run of them: the
 * scan's loop over most pages. */
uint64_t page_plain_run(const struct page_layout *pl, const uint8_t *raw,
			uint64_t n, struct plain_counts *c);

/* A tail's head address, given the tail's own struct page address (only
 * the v7.1 mask form needs it). */
static inline uint64_t page_tail_head_addr(const struct page_state *ps,
					   uint64_t own_addr)
{
	return ps->head_mask ? own_addr & ps->head_mask : ps->head_addr;
}

/* "refcount-bias", "folio-pincount", ... */
const char *pin_how_name(const struct page_layout *pl, enum pin_how how);
const char *pin_confidence_name(enum pin_confidence c);

/* Names of the layout's pin enums, for the report. */
const char *pin_scheme_name(enum pin_scheme s);
const char *large_pin_how(enum large_pin_kind k);

#endif
