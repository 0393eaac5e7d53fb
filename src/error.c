#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

enum ps_status ps_fail(struct ps_err *err, enum ps_status status,
		       const char *fmt, ...)
{
	va_list ap;

	err->status = status;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return status;
}

enum ps_status ps_wrap(struct ps_err *err, const char *fmt, ...)
{
	char prefix[512], old[sizeof(err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	/* Truncation is acceptable: the start of a message says most. */
	if (snprintf(err->msg, sizeof(err->msg), "%s: %s", prefix, old) < 0)
		err->msg[0] = '\0';
	return err->status;
}

void ps_warn(struct ps_warnings *w, const char *fmt, ...)
{
	char msg[PS_WARNING_LEN];
	va_list ap;
	unsigned i;

	if (!w)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (w->record) {
		w->record(w->record_arg, msg);
		return;
	}
	for (i = 0; i < w->n; i++)
		if (!strcmp(w->w[i].msg, msg)) {
			w->w[i].repeats++;
			return;
		}
	if (w->n == PS_WARNINGS_MAX) {
		w->dropped++;
		return;
	}
	memcpy(w->w[w->n].msg, msg, sizeof(msg));
	w->w[w->n++].repeats = 0;
}

void ps_warning_text(const struct ps_warnings *w, unsigned i, char *buf,
		     size_t bufsz)
{
	if (i >= w->n) {
		snprintf(buf, bufsz, "%u more warnings not kept", w->dropped);
		return;
	}
	if (w->w[i].repeats)
		snprintf(buf, bufsz, "%s (%u times)", w->w[i].msg,
			 w->w[i].repeats + 1);
	else
		snprintf(buf, bufsz, "%s", w->w[i].msg);
}

unsigned ps_warnings_count(const struct ps_warnings *w)
{
	return w ? w->n + (w->dropped > 0) : 0;
}
