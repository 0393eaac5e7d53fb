/* The scan: every present section's struct pages, read in one run per
 * section, decoded, checked and counted into a report. */
#ifndef PINSCAN_SCAN_H
#define PINSCAN_SCAN_H

#include <stdbool.h>

#include "memmap.h"
#include "report.h"

/* Called after each section with pages done so far and the total;
 * returning false stops the scan (scan_all then returns PS_CANCELLED). */
typedef bool (*scan_progress_fn)(void *arg, uint64_t done, uint64_t total);

/* Scan every present section into r; with audit, also run the cross-page
 * rules (compound families, LRU lists) and put the lists in r. */
enum ps_status scan_all(struct memmap *mm, struct report *r, bool audit,
			scan_progress_fn progress, void *arg,
			struct ps_err *err);

#endif
