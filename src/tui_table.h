/* pinscan tui: the pages view's rows. Unfiltered, a row is every struct
 * page of the present sections, computed, never stored. Filtered, rows are
 * a list: the scan's pinned pages or pages with findings, kept up to date
 * as the scan goes on, or the pages a flag expression matches, built one
 * section per turn of the event loop so that keys are read in between. */
#ifndef PINSCAN_TUI_TABLE_H
#define PINSCAN_TUI_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "memmap.h"
#include "tui_filter.h"
#include "tui_pages.h"
#include "tui_scan.h"
#include "tui_term.h"

enum tui_sort { TUI_SORT_PFN, TUI_SORT_PINCOUNT, TUI_SORT_REFCOUNT };

/* A row of a filtered list; the counts let it be sorted without reading
 * the page again. */
struct tui_row {
	uint64_t pfn;
	int64_t pincount;
	uint32_t refcount;
};

struct tui_table {
	const struct memmap *mm;
	uint64_t pps;		/* struct pages per section */
	struct tui_pages *pages;
	const struct tui_scan *sc;

	/* The filters: set them, then tui_table_rebuild(). */
	bool f_pinned, f_findings, has_expr, has_range;
	struct tui_expr expr;
	uint64_t range_lo, range_hi;

	/* Unfiltered, rows are every present pfn: row r is global index
	 * lo_row + r, and global index g is pfn start_pfn + g % pps of
	 * present section g / pps. Filtered, rows are list[]. */
	bool is_list;
	uint64_t lo_row, hi_row;
	struct tui_row *list;
	size_t nr_list, cap_list;
	bool list_from_scan;	/* pinned/findings lists, refreshed as they grow */
	bool list_has_counts;
	enum tui_sort sort;

	/* An expression filter reads sections build_sec..build_end. */
	bool building;
	uint64_t build_sec, build_end;

	uint64_t cursor, top;
};

/* Column widths of the page table for a screen width. */
struct tui_columns {
	int pfn, phys, pin;
	bool long_how;
};

/* What a step of building an expression filter did. */
enum tui_build {
	TUI_BUILD_MORE,		/* a section done, more to go */
	TUI_BUILD_DONE,		/* the list is complete (and sorted) */
	TUI_BUILD_STOPPED,	/* a read failed, or memory ran out */
};

/* An unfiltered table over mm's sections (which must not be empty),
 * reading pages through pages and lists from sc. */
void tui_table_init(struct tui_table *t, const struct memmap *mm,
		    struct tui_pages *pages, const struct tui_scan *sc);
void tui_table_free(struct tui_table *t);

uint64_t tui_table_rows(const struct tui_table *t);
uint64_t tui_table_pfn(const struct tui_table *t, uint64_t row);
/* The row showing pfn, or the nearest one after it; *exact says which. */
uint64_t tui_table_row_of(const struct tui_table *t, uint64_t pfn,
			  bool *exact);
/* The pfn under the cursor, or TUI_NO_PFN when there are no rows. */
uint64_t tui_table_cursor_pfn(const struct tui_table *t);
/* The cursor on pfn's row (or the next one); the first for TUI_NO_PFN. */
void tui_table_put_cursor(struct tui_table *t, uint64_t pfn);

/* Rows again after the filters changed, keeping the cursor on its pfn
 * (or the next one shown). False when out of memory: the list is
 * incomplete. */
bool tui_table_rebuild(struct tui_table *t);
/* A list from the scan again, after the scan found more; the same
 * false. Nothing for other tables. */
bool tui_table_refresh(struct tui_table *t);
/* Must an expression filter be built again once the scan has finished?
 * It must when it asks about findings: cross-page ones come last. */
bool tui_table_needs_findings(const struct tui_table *t);
/* Sort a list by key, the cursor staying on its pfn. */
void tui_table_sort_by(struct tui_table *t, enum tui_sort key);
const char *tui_table_sort_name(enum tui_sort key);

/* Build one more section of an expression filter. *oom: rows were lost
 * for want of memory; err: why it stopped. */
enum tui_build tui_table_build_step(struct tui_table *t, bool *oom,
				    struct ps_err *err);

/* The filters in words (" pinned findings 'lru' pfn 0x0-0xff"), or "". */
void tui_table_filter_text(const struct tui_table *t, char *buf,
			   size_t bufsz);

struct tui_columns tui_table_columns(const struct tui_table *t, int width);
/* The column titles, and one row of the table (pfn's) with its role. */
void tui_table_title(const struct tui_columns *c, char *buf, size_t bufsz);
void tui_table_row(const struct tui_table *t, const struct tui_columns *c,
		   uint64_t pfn, char *buf, size_t bufsz, enum tui_role *role);

#endif
