/* pinscan tui: the background scan and what it found. Two copies of the
 * lists: the thread's, filled from its private report after each section
 * and emptied by each pull, under the lock; and the UI thread's, which
 * only grows, read without a lock. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan.h"
#include "tui_scan.h"
#include "util.h"

/* The scan thread's side. Fields below `lock` are shared. */
struct tui_scan_thread {
	pthread_t thread;
	bool joined;
	unsigned threads;	/* scan_all's */
	struct target t;	/* its own libkdumpfile context */
	struct memmap mm;	/* the session's, with .t = &t; sections shared */
	struct report r;	/* private: emptied into the shared lists */

	pthread_mutex_t lock;
	unsigned gen;		/* bumped at each hand-over */
	bool cancel, finished, oom;
	uint64_t done, total;
	struct summary sum;
	enum ps_status status;
	char error[1024];
	struct tui_found found;
	uint64_t rule_count[NR_RULES];	/* all findings, kept or not */
	struct lru_list *lists;		/* the audit's, once finished */
	size_t nr_lists;
};

/* Append the pinned entries and findings of a source to dst and empty
 * the source; false when out of memory, what did not fit dropped. */
static bool take_found(struct tui_found *dst,
		       const struct pinned_entry *pinned, size_t *nr_pinned,
		       const struct finding *findings, size_t *nr_findings)
{
	bool ok = array_append((void **)&dst->pinned, &dst->nr_pinned,
			       &dst->cap_pinned, pinned, *nr_pinned,
			       sizeof(*pinned)) &&
		  array_append((void **)&dst->findings, &dst->nr_findings,
			       &dst->cap_findings, findings, *nr_findings,
			       sizeof(*findings));

	*nr_pinned = 0;
	*nr_findings = 0;
	return ok;
}

/* Move what the private report found into the shared lists; called with
 * the lock held, in the scan thread. */
static void hand_over(struct tui_scan_thread *th)
{
	th->sum = th->r.sum;
	memcpy(th->rule_count, th->r.rule_count, sizeof(th->rule_count));
	if (!take_found(&th->found, th->r.pinned, &th->r.nr_pinned,
			th->r.findings, &th->r.nr_findings))
		th->oom = true;
	th->gen++;
}

static bool on_progress(void *arg, uint64_t done, uint64_t total)
{
	struct tui_scan_thread *th = arg;
	bool go_on;

	pthread_mutex_lock(&th->lock);
	th->done = done;
	th->total = total;
	hand_over(th);
	/* Quitting stops the scan after this section. */
	go_on = !th->cancel;
	pthread_mutex_unlock(&th->lock);
	return go_on;
}

static void *scan_main(void *arg)
{
	struct tui_scan_thread *th = arg;
	/* With the audit, as `pinscan scan` does by default: the findings
	 * must be the same. */
	struct scan_params p = {
		.audit = true, .threads = th->threads,
		.progress = on_progress, .arg = th,
	};
	struct ps_err err = { 0 };
	enum ps_status st;

	st = scan_all(&th->mm, &th->r, &p, &err);
	pthread_mutex_lock(&th->lock);
	hand_over(th);
	th->lists = th->r.lists;
	th->nr_lists = th->r.nr_lists;
	th->r.lists = NULL;
	th->r.nr_lists = 0;
	th->finished = true;
	th->status = st == PS_CANCELLED ? PS_OK : st;
	if (st)
		snprintf(th->error, sizeof(th->error), "%s", err.msg);
	pthread_mutex_unlock(&th->lock);
	return NULL;
}

/* Signals from the terminal and kill(1) are for the UI thread, whose
 * getch() they interrupt; faults stay with whoever faults. */
static int spawn(struct tui_scan_thread *th)
{
	sigset_t block, old;
	int rc;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGQUIT);
	sigaddset(&block, SIGWINCH);
	sigaddset(&block, SIGTSTP);
	sigaddset(&block, SIGCONT);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	rc = pthread_create(&th->thread, NULL, scan_main, th);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

void tui_scan_start(struct tui_scan *sc, struct session *s,
		    unsigned threads)
{
	struct tui_scan_thread *th;
	struct ps_err err = { 0 };
	int rc;

	rules_all(&sc->nr_rules);
	sc->s = s;
	sc->pl = &s->pl;
	sc->dump = s->t.path;
	th = calloc(1, sizeof(*th));
	if (!th) {
		snprintf(sc->error, sizeof(sc->error),
			 "no background scan: out of memory");
		return;
	}
	th->t.fd = -1;
	if (target_clone(&s->t, &th->t, &err)) {
		free(th);
		fmt_text(sc->error, sizeof(sc->error), "no background scan: %s",
			 err.msg);
		return;
	}
	th->threads = threads;
	th->mm = s->mm;
	th->mm.t = &th->t;
	/* The session's warnings belong to the UI thread. */
	th->mm.warnings = NULL;
	report_init(&th->r, &s->pl);
	pthread_mutex_init(&th->lock, NULL);
	rc = spawn(th);
	if (rc) {
		report_free(&th->r);
		target_close(&th->t);
		pthread_mutex_destroy(&th->lock);
		free(th);
		snprintf(sc->error, sizeof(sc->error),
			 "no background scan: cannot start a thread (%s)",
			 strerror(rc));
		return;
	}
	sc->thread = th;
	sc->started = true;
	sc->total = s->mm.nr_sections * s->mm.pages_per_section;
}

static int cmp_flagged(const void *a, const void *b)
{
	uint64_t x = ((const struct tui_flagged *)a)->pfn;
	uint64_t y = ((const struct tui_flagged *)b)->pfn;

	return x < y ? -1 : x > y;
}

/* The catalogue index of a finding's rule (report.c's way); nr_rules for
 * a rule pointer from elsewhere. */
static unsigned rule_index(const struct tui_scan *sc, const struct rule *r)
{
	const struct rule *first = rule_get(0);

	if (r < first || r >= first + sc->nr_rules)
		return sc->nr_rules;
	return (unsigned)(r - first);
}

/* The rule of each finding from `from` on; out of memory, the findings
 * that have none are dropped. */
static bool index_rules(struct tui_scan *sc, size_t from)
{
	size_t i;

	for (i = from; i < sc->found.nr_findings; i++) {
		if (!array_grow((void **)&sc->finding_rule,
				&sc->cap_finding_rule, i,
				sizeof(*sc->finding_rule))) {
			sc->found.nr_findings = i;
			return false;
		}
		sc->finding_rule[i] = rule_index(sc, sc->found.findings[i].rule);
	}
	return true;
}

/* The pages with findings, by pfn, each with its worst severity. */
static bool index_pages(struct tui_scan *sc)
{
	size_t nr = sc->found.nr_findings, i, n = 0;
	struct tui_flagged *fl;

	fl = realloc(sc->flagged, (nr ? nr : 1) * sizeof(*fl));
	if (!fl)
		return false;
	sc->flagged = fl;
	for (i = 0; i < nr; i++) {
		fl[i].pfn = sc->found.findings[i].pfn;
		fl[i].worst = (int)sc->found.findings[i].rule->severity;
	}
	qsort(fl, nr, sizeof(*fl), cmp_flagged);
	for (i = 0; i < nr; i++) {
		if (n && fl[n - 1].pfn == fl[i].pfn) {
			if (fl[i].worst > fl[n - 1].worst)
				fl[n - 1].worst = fl[i].worst;
			continue;
		}
		fl[n++] = fl[i];
	}
	sc->nr_flagged = n;
	return true;
}

static void count_by_severity(struct tui_scan *sc)
{
	unsigned i;

	memset(sc->by_severity, 0, sizeof(sc->by_severity));
	sc->total_findings = 0;
	for (i = 0; i < NR_RULES && i < sc->nr_rules; i++) {
		sc->by_severity[rule_get(i)->severity <= SEV_ERROR ?
				rule_get(i)->severity : SEV_ERROR] += sc->rule_count[i];
		sc->total_findings += sc->rule_count[i];
	}
}

/* `pinscan scan` refuses an RFC dump whose pins only the other
 * --rfc-pin-bit sees; the TUI says so where it says why a scan stopped. */
static void check_rfc_bit(struct tui_scan *sc)
{
	struct ps_err err = { 0 };

	const char *slash = strrchr(sc->dump, '/');

	/* The header names the whole path; the message line is short. */
	if (rfc_bit_check(sc->pl, &sc->sum, sc->found.pinned,
			  sc->found.nr_pinned, slash ? slash + 1 : sc->dump,
			  NULL, &err))
		fmt_text(sc->error, sizeof(sc->error), "%s", err.msg);
}

/* Copy what the thread handed over; called with its lock held. */
static void take_over(struct tui_scan *sc, struct tui_scan_thread *th,
		      struct tui_scan_news *news)
{
	sc->gen = th->gen;
	if (th->total)
		sc->total = th->total;
	sc->done = th->done;
	sc->sum = th->sum;
	memcpy(sc->rule_count, th->rule_count, sizeof(sc->rule_count));
	news->finished = th->finished;
	if (th->finished && th->lists) {
		sc->lists = th->lists;
		sc->nr_lists = th->nr_lists;
		th->lists = NULL;
	}
	if (th->finished && th->status)
		fmt_text(sc->error, sizeof(sc->error), "scan stopped: %s",
			 th->error);
	else if (th->oom)
		snprintf(sc->error, sizeof(sc->error),
			 "out of memory: pinned list and findings incomplete");
	news->grew = th->found.nr_pinned || th->found.nr_findings;
	if (!take_found(&sc->found, th->found.pinned, &th->found.nr_pinned,
			th->found.findings, &th->found.nr_findings))
		snprintf(sc->error, sizeof(sc->error),
			 "out of memory: pinned list and findings incomplete");
	else if (th->finished && !th->status)
		check_rfc_bit(sc);
}

/* A finding of the whole dump, made on the UI thread after the scan: kept
 * and counted as the scan thread's are. */
static void add_finding(void *arg, const struct finding *f)
{
	struct tui_scan *sc = arg;
	unsigned id = rule_index(sc, f->rule);

	if (id < NR_RULES)
		sc->rule_count[id]++;
	array_append((void **)&sc->found.findings, &sc->found.nr_findings,
		      &sc->found.cap_findings, f, 1, sizeof(*f));
}

/* The kernel's pin counters against what the finished scan decoded
 * (`pinscan scan`'s PIN-ACCOUNTING-MISMATCH), on the UI thread, which
 * owns the session and its symbols. */
static void check_accounting(struct tui_scan *sc)
{
	struct session *s = sc->s;

	session_pin_accounting(s, &sc->acct);
	sc->acct_read = true;
	checks_pin_accounting(sc->pl, &sc->acct, &sc->sum.decoded,
			      sc->sum.missing,
			      s->mm.nr_skipped + s->mm.nr_bad_roots,
			      add_finding, sc);
}

struct tui_scan_news tui_scan_pull(struct tui_scan *sc)
{
	struct tui_scan_thread *th = sc->thread;
	struct tui_scan_news news = { .changed = false };
	size_t old_findings = sc->found.nr_findings;

	if (!th)
		return news;
	pthread_mutex_lock(&th->lock);
	if (th->gen == sc->gen && th->finished == sc->finished) {
		pthread_mutex_unlock(&th->lock);
		return news;
	}
	take_over(sc, th, &news);
	pthread_mutex_unlock(&th->lock);
	news.changed = true;
	/* A scan that stopped on an error has not seen every pin. */
	if (news.finished && !sc->acct_read && !th->status)
		check_accounting(sc);
	count_by_severity(sc);
	if (sc->found.nr_findings != old_findings || news.finished) {
		news.findings = true;
		news.index_oom = !index_rules(sc, old_findings);
		news.index_oom |= !index_pages(sc);
	}
	if (news.finished && !sc->finished) {
		sc->finished = true;
		pthread_join(th->thread, NULL);
		th->joined = true;
	}
	return news;
}

int tui_scan_worst(const struct tui_scan *sc, uint64_t pfn)
{
	size_t lo = 0, hi = sc->nr_flagged;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sc->flagged[mid].pfn == pfn)
			return sc->flagged[mid].worst;
		if (sc->flagged[mid].pfn < pfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Cancel, wait for the thread, and free its side. */
static void stop_thread(struct tui_scan_thread *th)
{
	pthread_mutex_lock(&th->lock);
	th->cancel = true;
	pthread_mutex_unlock(&th->lock);
	if (!th->joined)
		pthread_join(th->thread, NULL);
	report_free(&th->r);
	target_close(&th->t);
	free(th->found.pinned);
	free(th->found.findings);
	free(th->lists);
	pthread_mutex_destroy(&th->lock);
	free(th);
}

void tui_scan_free(struct tui_scan *sc)
{
	if (sc->thread)
		stop_thread(sc->thread);
	sc->thread = NULL;
	free(sc->found.pinned);
	free(sc->found.findings);
	free(sc->finding_rule);
	free(sc->flagged);
	free(sc->lists);
}
