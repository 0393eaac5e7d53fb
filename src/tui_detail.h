/* pinscan tui: everything about one struct page, as lines for the detail
 * view: its decoded state, why it counts as pinned, its findings (per-page
 * rules and what the scan found there), its compound family and LRU
 * neighbours as links to follow, the layout's members with their values,
 * and the raw bytes. */
#ifndef PINSCAN_TUI_DETAIL_H
#define PINSCAN_TUI_DETAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "checks.h"
#include "owners.h"
#include "session.h"
#include "tui_pages.h"
#include "tui_term.h"

#define TUI_DLINE_MAX 288

struct tui_dline {
	char text[TUI_DLINE_MAX];
	enum tui_role role;
	uint64_t link;		/* pfn Enter goes to, or TUI_NO_PFN */
};

struct tui_detail {
	struct session *s;
	struct tui_pages *pages;
	struct tui_dline *lines;
	size_t nr, cap;
	uint64_t pfn;
	uint64_t next_pfn, prev_pfn;	/* LRU neighbours (> <), or TUI_NO_PFN */
	uint64_t head_pfn, tail_pfn;	/* compound head, first tail (H T) */
	/* Owners and holders of a pinned page, resolved on demand (the
	 * task list and the holders' ranges read once, at the first). */
	struct owners ow;
	bool ow_ready;
};

/* Pages of session s, read through pages. */
void tui_detail_init(struct tui_detail *d, struct session *s,
		     struct tui_pages *pages);
void tui_detail_free(struct tui_detail *d);

/* The lines of pfn, with the findings the scan made there among
 * findings[0..nr_findings). */
void tui_detail_build(struct tui_detail *d, uint64_t pfn,
		      const struct finding *findings, size_t nr_findings);

#endif
