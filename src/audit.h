/* The cross-page audit: rules that need more than one struct page.
 * Compound families are checked while the scan streams past them (a head
 * is always followed by its tails); LRU links are checked by reading each
 * LRU page's neighbours, and the lists are rebuilt at the end by walking
 * from every list head found. Memory: two bits per pfn and a cache. */
#ifndef PINSCAN_AUDIT_H
#define PINSCAN_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "checks.h"
#include "decode.h"
#include "memmap.h"

enum lru_list_status {
	LRU_LIST_OK,		/* forward walk came back to the head */
	LRU_LIST_BROKEN,	/* a link led to something that is not a page */
	LRU_LIST_JOINED,	/* the walk ran into another list's pages */
	LRU_LIST_TOO_LONG,	/* longer than there are LRU pages: a cycle */
};

struct lru_list {
	uint64_t head;			/* kernel address of the list_head */
	uint64_t length;		/* pages reached walking next */
	uint64_t first_pfn;		/* head->next's page, or UINT64_MAX */
	enum lru_list_status status;
};

/* Cached mem_map chunks: LRU neighbours are read at random. */
struct page_cache;

/* The compound page the stream is inside, if any: the only state the
 * audit carries from one page to the next. */
struct audit_family {
	bool open;
	uint64_t head, end, addr;
	uint64_t bad, first_bad;
};

struct audit {
	struct memmap *mm;
	const struct page_layout *pl;
	finding_fn emit;
	void *arg;

	struct memmap quiet_mm;	/* mm, for the cache: a second read of
				 * a corrupt page warns no more */

	struct audit_family fam;

	bool lru_checks;	/* the layout knows the list-type flags */
	uint64_t max_pfn;
	uint64_t *lru_bits;	/* PG_lru, per pfn */
	bool shares_bits;	/* a scan thread's: lru_bits is the main
				 * audit's, each thread setting its own
				 * sections' words */
	uint64_t *seen_bits;	/* reached by a list walk, per pfn */
	uint64_t nr_lru;

	uint64_t *heads;	/* list heads found in links */
	size_t nr_heads, cap_heads;
	struct lru_list *lists;
	size_t nr_lists;

	struct page_cache *cache;

	/* ZONE_MOVABLE spans, and every node's span, from node_data. */
	struct pfn_span {
		uint64_t start, end;
		int nid;
	} *movable, *nodes;
	size_t nr_movable, cap_movable, nr_nodes, cap_nodes;
};

enum ps_status audit_init(struct audit *a, struct memmap *mm,
			  finding_fn emit, void *arg, struct ps_err *err);
/* A scan thread's audit of some sections, on its own memmap (its own
 * target clone): it sets main's lru_bits for its pages, collects the list
 * heads it meets (audit_take_heads) and leaves list reconstruction to
 * main. */
enum ps_status audit_init_worker(struct audit *a, struct memmap *mm,
				 const struct audit *main, finding_fn emit,
				 void *arg, struct ps_err *err);
void audit_free(struct audit *a);

/* Feed every page in pfn order; missing pages break the stream. */
void audit_page(struct audit *a, const struct page_state *ps);
void audit_missing(struct audit *a, uint64_t pfn);
/* audit_page's two halves: the compound family (the stream's state, in
 * a->fam), then the rules that depend on the page alone and the dump (LRU
 * links, pin placement). */
void audit_compound_page(struct audit *a, const struct page_state *ps);
void audit_links_page(struct audit *a, const struct page_state *ps);

/* List heads a scan thread met (in the order met) and the LRU pages it
 * counted, added as if this audit had met them itself. */
void audit_add_heads(struct audit *a, const uint64_t *heads, size_t n,
		     uint64_t nr_lru);

/* After the last page: close the last family, rebuild the LRU lists. */
enum ps_status audit_finish(struct audit *a, struct ps_err *err);

const char *lru_list_status_name(enum lru_list_status s);

/* Decode the struct page of any pfn through the cache; false when the
 * dump lacks it. For the TUI and the audit alike. */
bool audit_read_page(struct audit *a, uint64_t pfn, struct page_state *ps);

#endif
