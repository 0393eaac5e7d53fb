/* pinscan tui: the findings view's lines. A line per rule of the
 * catalogue, errors first and the quiet rules last, each followed by its
 * findings in pfn order unless folded; then the LRU lists the audit
 * rebuilt. Built from what the scan found so far, again as it grows. */
#ifndef PINSCAN_TUI_FINDINGS_H
#define PINSCAN_TUI_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "tui_scan.h"
#include "tui_term.h"

enum tui_fline_kind {
	TUI_FL_RULE,		/* a rule and its count */
	TUI_FL_FINDING,		/* one finding */
	TUI_FL_LISTS,		/* the title of the LRU lists */
	TUI_FL_LIST,		/* one LRU list */
};

struct tui_fline {
	enum tui_fline_kind kind;
	unsigned rule;		/* index in rules_all(), or nr_rules: unknown */
	size_t idx;		/* RULE: findings kept; FINDING: index in the
				 * scan's findings; LISTS: how many lists;
				 * LIST: index in the scan's lists */
};

struct tui_findings {
	const struct tui_scan *sc;
	struct tui_fline *lines;
	size_t nr, cap;
	bool *folded;		/* per rule, and one for the unknown ones */
	unsigned nr_rules;
	uint64_t cursor, top;
};

/* An empty view of what sc finds. */
enum ps_status tui_findings_init(struct tui_findings *fv,
				 const struct tui_scan *sc, struct ps_err *err);
void tui_findings_free(struct tui_findings *fv);

/* The lines again from what the scan found; false when out of memory,
 * the old lines kept. */
bool tui_findings_build(struct tui_findings *fv);

/* Line i as text, and its role. */
void tui_findings_text(const struct tui_findings *fv, size_t i, char *buf,
		       size_t bufsz);
enum tui_role tui_findings_role(const struct tui_findings *fv, size_t i);

/* The page line i leads to (a finding's, an LRU list's first), or
 * TUI_NO_PFN. */
uint64_t tui_findings_pfn(const struct tui_findings *fv, size_t i);

/* Fold or unfold the rule on line i, when it is one; false when out of
 * memory. */
bool tui_findings_fold(struct tui_findings *fv, size_t i);

#endif
