/* pinscan report-dir: the crash-report service's logic. kdump-tools saves
 * each crash as COREDIR/STAMP/dump.STAMP (COREDIR is KDUMP_COREDIR from
 * /etc/default/kdump-tools, /var/crash by default); every such dump without
 * a report yet gets pinscan.txt and pinscan.json beside it, or pinscan.err
 * with the reason when it cannot be analysed, and one log line. A dump with
 * either is never analysed again, so a bad dump costs one attempt, not one
 * per boot. */
#ifndef PINSCAN_REPORTDIR_H
#define PINSCAN_REPORTDIR_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "session.h"

#define REPORTDIR_DEFAULT_CONFIG "/etc/default/kdump-tools"
#define REPORTDIR_DEFAULT_COREDIR "/var/crash"

struct reportdir_opts {
	const char *coredir;		/* the tree to scan */
	/* How each dump is opened: normally no -s or --layout, so that the
	 * session picks the layout as `pinscan scan DUMP` would. */
	struct session_opts sess;
	FILE *log;			/* one line per dump analysed */
};

struct reportdir_counts {
	unsigned reported;		/* pinscan.json and .txt written */
	unsigned failed;		/* pinscan.err written */
	unsigned skipped;		/* already had a report or an .err */
	unsigned unwritable;		/* no result could be written */
};

/* The kdump-tools core directory: the last KDUMP_COREDIR= in config (a
 * shell fragment; quotes are removed, anything needing a shell to expand
 * is refused), else REPORTDIR_DEFAULT_COREDIR when config does not exist. */
enum ps_status reportdir_coredir(const char *config, char *buf, size_t bufsz,
				 struct ps_err *err);

/* Report every dump under o->coredir that has none. Fails only when the
 * tree cannot be read; per-dump trouble is in counts and the log. */
enum ps_status reportdir_run(const struct reportdir_opts *o,
			     struct reportdir_counts *counts,
			     struct ps_err *err);

#endif
