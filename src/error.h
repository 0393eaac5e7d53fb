/* Status codes and the error buffer every fallible pinscan function fills. */
#ifndef PINSCAN_ERROR_H
#define PINSCAN_ERROR_H

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

#endif
