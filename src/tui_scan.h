/* pinscan tui: the full scan, in a thread of its own, for the header
 * counts, the pinned list and the findings. scan_all() runs, with the
 * audit as `pinscan scan` does, on a clone of the session's target
 * (libkdumpfile contexts must not be shared between threads) and hands
 * what it found over under a mutex after each section; the UI thread
 * takes it with tui_scan_pull() and keeps it indexed by pfn and by rule. */
#ifndef PINSCAN_TUI_SCAN_H
#define PINSCAN_TUI_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audit.h"
#include "checks.h"
#include "report.h"
#include "session.h"

/* Pinned entries and findings, as the scan found them (by pfn). */
struct tui_found {
	struct pinned_entry *pinned;
	size_t nr_pinned, cap_pinned;
	struct finding *findings;
	size_t nr_findings, cap_findings;
};

/* A page with findings, and the severity of its worst one. */
struct tui_flagged {
	uint64_t pfn;
	int worst;
};

struct tui_scan_thread;

/* What the scan found so far: the UI thread's copy, read freely. */
struct tui_scan {
	bool started, finished;
	uint64_t done, total;		/* struct pages */
	struct summary sum;
	char error[1024];		/* why there is no scan, or why what
					 * it found is incomplete */
	struct tui_found found;
	unsigned nr_rules;		/* of rules_all() */
	unsigned *finding_rule;		/* rules_all() index of each finding,
					 * nr_rules for one outside it */
	size_t cap_finding_rule;
	struct tui_flagged *flagged;	/* pages with findings, by pfn */
	size_t nr_flagged;
	uint64_t rule_count[NR_RULES];	/* all findings, kept or not */
	uint64_t by_severity[SEV_ERROR + 1];
	uint64_t total_findings;	/* sum of rule_count */
	struct lru_list *lists;		/* the LRU lists the audit rebuilt */
	size_t nr_lists;
	/* The kernel's FOLL_PIN counters, read by the UI thread once the
	 * scan has finished (acct_read), checked as `pinscan scan` does. */
	struct pin_accounting acct;
	bool acct_read;

	struct session *s;		/* the UI thread's */
	const struct page_layout *pl;	/* the session's */
	const char *dump;		/* its file name, for messages */
	struct tui_scan_thread *thread;	/* its side: tui_scan.c's alone */
	unsigned gen;			/* its last hand-over taken */
};

/* What a tui_scan_pull() brought. */
struct tui_scan_news {
	bool changed;		/* anything: redraw */
	bool grew;		/* pinned entries or findings were added */
	bool findings;		/* the findings and their indexes changed */
	bool finished;		/* the scan has just ended */
	bool index_oom;		/* out of memory: the indexes are incomplete */
};

/* Start the scan on a clone of s's target, itself on threads threads
 * (scan_all's; 0: every CPU). Failing that, sc->error says
 * why, and the TUI browses pages without the counts. */
void tui_scan_start(struct tui_scan *sc, struct session *s,
		    unsigned threads);

/* Take what the scan thread handed over since the last pull. */
struct tui_scan_news tui_scan_pull(struct tui_scan *sc);

/* The severity of the worst finding the scan made at pfn (cross-page
 * rules included), or -1. */
int tui_scan_worst(const struct tui_scan *sc, uint64_t pfn);

/* Stop the scan after its current section, and free what it found. */
void tui_scan_free(struct tui_scan *sc);

#endif
