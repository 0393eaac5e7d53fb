/* Status codes and the error buffer every fallible pinscan function fills. */
#ifndef PINSCAN_ERROR_H
#define PINSCAN_ERROR_H

#include <stddef.h>

enum ps_status {
	PS_OK = 0,
	PS_ERR_USAGE,		/* the command line is wrong */
	PS_ERR_IO,		/* a file could not be opened or read */
	PS_ERR_FORMAT,		/* a file is not what it claims to be */
	PS_ERR_NODATA,		/* the dump lacks something required */
	PS_ERR_MISMATCH,	/* vmlinux and dump do not belong together */
	PS_ERR_UNSUPPORTED,	/* a layout or format pinscan cannot decode */
	PS_ERR_NOMEM,
	PS_CANCELLED,		/* the caller asked to stop (not an error) */
};

/* One message per failure, formatted where the failure is understood
 * best and printed once, by pinscan.c. */
struct ps_err {
	enum ps_status status;
	char msg[1024];
};

/* Record a failure and return its status, for "return ps_fail(...)". */
enum ps_status ps_fail(struct ps_err *err, enum ps_status status,
		       const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefix the existing message with context, keeping the status. */
enum ps_status ps_wrap(struct ps_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Trouble that did not stop the analysis but limits it (a truncated file,
 * a section skipped, a build-id not checked): the one list a session
 * keeps, which every stage that meets trouble adds to and the reports
 * print in full. Fixed size, so that adding never fails; a message met
 * again is counted, not repeated. */
#define PS_WARNINGS_MAX 16
#define PS_WARNING_LEN 512

struct ps_warnings {
	unsigned n;
	unsigned dropped;		/* distinct ones beyond PS_WARNINGS_MAX */
	struct {
		char msg[PS_WARNING_LEN];
		unsigned repeats;	/* times met after the first */
	} w[PS_WARNINGS_MAX];
	/* When set, every warning goes here instead, in the order met: a
	 * scan thread's, replayed into the session's list in pfn order so
	 * that counts and order do not depend on the threads. */
	void (*record)(void *arg, const char *msg);
	void *record_arg;
};

/* Add a warning; w may be NULL (nobody listens, e.g. a cloned target). */
void ps_warn(struct ps_warnings *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* How many lines the list prints: its warnings, plus one saying how
 * many more were dropped. */
unsigned ps_warnings_count(const struct ps_warnings *w);

/* Warning i as people read it: the message, and "(N times)" when it
 * came more than once. */
void ps_warning_text(const struct ps_warnings *w, unsigned i, char *buf,
		     size_t bufsz);

#endif
