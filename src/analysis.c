/* One dump analysed into a report (analysis.h). */
#include <stdio.h>
#include <string.h>

#include "analysis.h"

/* Append the session's first warning to err when it is not in it already:
 * a truncated file explains most failures. */
static void explain_failure(const struct session *s, struct ps_err *err)
{
	const char *first = s->warnings.n ? s->warnings.w[0].msg : "";
	char msg[sizeof(err->msg)];

	if (!first[0] || strstr(err->msg, first))
		return;
	/* Cut short, the message still starts with what failed. */
	if (snprintf(msg, sizeof(msg), "%s (%s)", err->msg, first) < 0)
		return;
	memcpy(err->msg, msg, sizeof(msg));
}

/* The owners and holders of the pinned entries, resolved once the scan
 * has found them (so a dump without pins costs nothing more). */
static enum ps_status resolve_owners(struct session *s, struct report *r,
				     struct ps_err *err)
{
	struct owners o;
	enum ps_status st;

	if (!r->nr_pinned)
		return PS_OK;
	session_owners_init(s, &o);
	st = report_resolve_owners(r, &o, err);
	owners_free(&o);
	return st;
}

/* The kernel's count of FOLL_PIN references against the pins decoded:
 * read after the scan, once per dump (a few hundred bytes). */
static void check_pin_accounting(struct session *s, struct report *r)
{
	struct pin_accounting pa;

	session_pin_accounting(s, &pa);
	report_pin_accounting(r, &pa, s->mm.nr_skipped + s->mm.nr_bad_roots);
}

enum ps_status analysis_run(struct analysis *a, const struct session_opts *o,
			    const struct scan_params *p, struct ps_err *err)
{
	struct session *s = &a->s;
	struct report *r = &a->r;
	enum ps_status st;

	memset(r, 0, sizeof(*r));
	st = session_open(s, o, err);
	if (st)
		goto fail;
	report_init(r, &s->pl);
	r->dump_path = o->dump;
	r->dump_format = s->t.format;
	r->vmlinux_path = s->v.path ? s->v.path : o->vmlinux;
	r->kernel = s->t.release;
	r->kaslr_offset = s->t.kaslr_offset;
	r->warnings = &s->warnings;
	/* A live kernel limits every scan of it, whatever else went wrong. */
	if (s->t.live)
		ps_warn(&s->warnings,
			"live kernel: pages change while they are read; LRU findings may be races, and unreachable LRU pages are not reported");
	st = scan_all(&s->mm, r, p, err);
	if (st)
		goto fail;
	check_pin_accounting(s, r);
	/* The RFC's pin word of the other variant: a "nothing pinned" that
	 * only --rfc-pin-bit explains is refused. */
	st = report_check_rfc_bit(r, o->dump, &s->warnings, err);
	if (st)
		goto fail;
	st = resolve_owners(s, r, err);
	if (st)
		goto fail;
	/* Not one struct page: a report of zeros would be a wrong answer. */
	if (!r->sum.sections) {
		st = ps_fail(err, PS_ERR_NODATA,
			     "%s: mem_section lists no present section: no struct page to read%s%s",
			     o->dump, s->warnings.n ? ": " : "",
			     s->warnings.n ? s->warnings.w[0].msg : "");
		goto fail;
	}
	if (!r->sum.pages) {
		st = ps_fail(err, PS_ERR_NODATA,
			     "%s: none of the %llu struct pages of %llu present sections could be read%s%s",
			     o->dump, (unsigned long long)r->sum.missing,
			     (unsigned long long)r->sum.sections,
			     s->warnings.n ? ": " : "",
			     s->warnings.n ? s->warnings.w[0].msg : "");
		goto fail;
	}
	return PS_OK;
fail:
	explain_failure(s, err);
	return st;
}

void analysis_free(struct analysis *a)
{
	report_free(&a->r);
	session_close(&a->s);
}
