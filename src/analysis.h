/* One dump analysed into a report: the session opened, every struct page
 * scanned, the report filled. `pinscan scan` (one dump or many) and
 * `pinscan report-dir` analyse through here, so a dump gets the same
 * report whichever command asked. */
#ifndef PINSCAN_ANALYSIS_H
#define PINSCAN_ANALYSIS_H

#include <stdbool.h>

#include "error.h"
#include "report.h"
#include "scan.h"
#include "session.h"

struct analysis {
	struct session s;
	struct report r;
};

/* Open o->dump and scan it into a->r as p says (audit, threads,
 * progress). On failure err says why, with the first warning appended when it
 * explains the failure (a truncated file ...). Either way a must be freed
 * with analysis_free(); a->r is printable only on PS_OK. */
enum ps_status analysis_run(struct analysis *a, const struct session_opts *o,
			    const struct scan_params *p, struct ps_err *err);
void analysis_free(struct analysis *a);

#endif
