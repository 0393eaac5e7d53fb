/* pinscan tui: struct pages read on demand, decoded by page_decode() and
 * checked by checks_page() as the scan does. The screen and searches read
 * through a small cache of decoded chunks, the detail view reads one page
 * uncached, a filter walks whole sections. Nothing else in the TUI reads
 * mem_map. */
#ifndef PINSCAN_TUI_PAGES_H
#define PINSCAN_TUI_PAGES_H

#include <stdbool.h>
#include <stdint.h>

#include "decode.h"
#include "error.h"
#include "memmap.h"

/* No page: what memmap_addr_to_pfn() and the audit's first_pfn say. */
#define TUI_NO_PFN UINT64_MAX

/* Where an LRU page's two neighbours point. */
enum tui_lru_link {
	TUI_LRU_NONE,	/* not on an LRU list */
	TUI_LRU_OK,	/* both neighbours are struct pages */
	TUI_LRU_END,	/* one neighbour is the list head (outside mem_map) */
	TUI_LRU_BAD,	/* a neighbour is not a kernel pointer */
};

/* One decoded struct page, as the cache keeps it. */
struct tui_page {
	struct page_state ps;
	int worst;		/* severity of its worst per-page finding, or -1 */
	enum tui_lru_link lru_link;
};

enum tui_page_status {
	TUI_PAGE_OK,
	TUI_PAGE_MISSING,	/* the dump lacks this struct page */
	TUI_PAGE_UNREADABLE,	/* no such section, or its read failed */
};

struct tui_pages;

/* The cache over mm (whose layout is mm->pl). On failure *pages is still
 * safe to tui_pages_close(). */
enum ps_status tui_pages_open(struct tui_pages **pages, struct memmap *mm,
			      struct ps_err *err);
void tui_pages_close(struct tui_pages *pages);

/* pfn's decoded struct page, read with its chunk when not cached. *error
 * says why a page is unreadable; it stays valid until the next call.
 * Bulk readers (searches) load into a slot of their own so that they do
 * not evict what is on screen. */
enum tui_page_status tui_pages_get(struct tui_pages *pages, uint64_t pfn,
				   bool bulk, const struct tui_page **page,
				   const char **error);

/* Read pfn's struct page and, when its section has them, page[1] and
 * page[2] (raw holds 3 struct pages; *nr says how many were read), and
 * decode it into ps, uncached. NODATA when the dump lacks it. */
enum ps_status tui_pages_read(struct tui_pages *pages, uint64_t pfn,
			      uint8_t *raw, uint32_t *nr,
			      struct page_state *ps, struct ps_err *err);

/* Called for each page a section walk decodes, with the severity of its
 * worst per-page finding or -1. */
typedef void (*tui_page_fn)(void *arg, const struct page_state *ps,
			    int worst);

/* Read section sec whole (into a buffer kept for the next walk) and call
 * fn for each struct page of pfn lo..hi the dump has. NOMEM when there is
 * no memory for the buffer. */
enum ps_status tui_pages_walk(struct tui_pages *pages,
			      const struct mm_section *sec, uint64_t lo,
			      uint64_t hi, tui_page_fn fn, void *arg,
			      struct ps_err *err);

#endif
