/* The scan: every present section's struct pages, read in one run per
 * section, decoded, checked and counted into a report; on several threads,
 * each with its own handle on the dump, merged in pfn order so that the
 * report is the one a single thread makes. */
#ifndef PINSCAN_SCAN_H
#define PINSCAN_SCAN_H

#include <stdbool.h>

#include "memmap.h"
#include "report.h"

/* More threads than this are refused: each holds a dump handle, a
 * section's struct pages and an 8 MiB cache of mem_map. */
#define SCAN_MAX_THREADS 256

/* Called after each section with pages done so far and the total;
 * returning false stops the scan (scan_all then returns PS_CANCELLED). */
typedef bool (*scan_progress_fn)(void *arg, uint64_t done, uint64_t total);

struct scan_params {
	bool audit;		/* the cross-page rules too */
	unsigned threads;	/* 0: scan_default_threads() */
	scan_progress_fn progress;	/* may be NULL */
	void *arg;
};

/* Scan every present section into r; with audit, also run the cross-page
 * rules (compound families, LRU lists) and put the lists in r. The report
 * is the same for any number of threads. */
enum ps_status scan_all(struct memmap *mm, struct report *r,
			const struct scan_params *p, struct ps_err *err);

/* The CPUs this process may run on (sched_getaffinity), at least 1. */
unsigned scan_default_threads(void);

#endif
