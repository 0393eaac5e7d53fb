/* The scan, on one thread or several. With several, each thread scans
 * whole sections on its own target clone and keeps what it found per
 * section (a chunk); the calling thread merges the chunks in section order
 * into the report, so that counts, lists, findings (their order, the
 * report's per-rule cap and its de-duplication) and warnings come out as
 * one thread makes them.
 *
 * The one piece of state the page stream carries across sections is the
 * compound family the audit is inside (a head of order > 15, 1 GiB
 * hugetlb, spans sections; a family that ends at a section's end closes at
 * the next page). A thread starts each section outside any family; when
 * the merge knows the stream was inside one there, it re-reads the
 * section's first pages and runs the compound rules itself until the
 * family is over, replacing what the thread found at that stage for those
 * pages. From there the thread's state is the stream's. */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "checks.h"
#include "decode.h"
#include "scan.h"
#include "util.h"

/* Sections a thread may scan ahead of the merge: bounds what a slow
 * section makes the others hold. */
#define CHUNKS_PER_THREAD 4
/* Per section and rule, findings a thread keeps with their message;
 * beyond, (rule, pfn) alone. Twice the report's cap: of these, at most
 * REPORT_MAX_PER_RULE - 1 can be ones the report has already met while it
 * still keeps that rule, so it finds every one it may keep here. */
#define CHUNK_KEEP_PER_RULE (2 * REPORT_MAX_PER_RULE)
/* The merge re-reads a family's pages this many at a time, plus enough
 * after them that a head's page[1..] decode as in the section's run. */
#define FIXUP_PAGES 512
#define FIXUP_OVERLAP 16
#define NO_FINDING UINT32_MAX

enum stage { STAGE_PAGE, STAGE_COMPOUND, STAGE_LINKS };

/* A finding as a thread made it: with the page being scanned and the
 * stage, so that the merge can put its own compound findings in place. */
struct chunk_entry {
	uint64_t at_pfn;
	uint64_t pfn;
	uint32_t rule;
	uint32_t kept;		/* index into chunk.findings, or NO_FINDING */
	enum stage stage;
};

/* What a thread found in one section, until the merge takes it. */
struct chunk {
	bool done;
	enum ps_status st;
	struct ps_err err;
	struct report r;	/* counts, pinned, missing runs; its set of
				 * (rule, pfn) drops repeats in the section */
	struct chunk_entry *entries;
	size_t nr_entries, cap_entries;
	struct finding *findings;
	size_t nr_findings, cap_findings;
	uint32_t kept[NR_RULES];
	char **warnings;	/* every one, in the order met */
	size_t nr_warnings, cap_warnings;
	struct audit_family end_fam;
	uint64_t *heads;	/* LRU list heads met, in order */
	size_t nr_heads;
	uint64_t nr_lru;
	bool oom;
};

struct scan_pool;

struct worker {
	struct scan_pool *pool;
	pthread_t thread;
	bool started;
	struct target t;
	struct memmap mm;	/* the session's sections, read through t */
	struct audit a;
	bool has_audit;
	uint8_t *buf;
	uint64_t *missing;
	struct ps_warnings rec;	/* records into the current chunk */
	struct chunk *chunk;
	uint64_t at_pfn;
	enum stage stage;
};

struct scan_pool {
	struct memmap *mm;
	struct report *r;
	struct audit *audit;	/* the stream's; NULL without audit */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	uint64_t next, merged;	/* sections handed out, merged */
	bool stop;
	struct chunk *chunks;	/* section s in chunks[s % nr_chunks] */
	unsigned nr_chunks;
	struct worker *workers;
	unsigned nr_workers;
	uint8_t *fix_buf;
	uint64_t *fix_missing;
};

/* Where one page's results go: the report directly, or a chunk. */
struct page_sink {
	const struct page_layout *pl;
	struct report *r;
	struct audit *a;
	finding_fn emit;
	void *arg;
	struct worker *w;	/* tags the chunk's findings; NULL direct */
};

static void set_stage(const struct page_sink *k, uint64_t pfn,
		      enum stage stage)
{
	if (k->w) {
		k->w->at_pfn = pfn;
		k->w->stage = stage;
	}
}

static bool is_missing(const uint64_t *missing, uint32_t i)
{
	return (missing[i / 64] >> (i % 64)) & 1;
}

/* The first missing page at or after i, or count. */
static uint32_t next_missing(const uint64_t *missing, uint32_t i,
			     uint32_t count)
{
	uint32_t w = i / 64;
	uint64_t bits = missing[w] & (~0ull << (i % 64));

	while (!bits) {
		if (++w >= (count + 63) / 64)
			return count;
		bits = missing[w];
	}
	i = w * 64 + (uint32_t)__builtin_ctzll(bits);
	return i < count ? i : count;
}

static void scan_batch(const struct page_sink *k, const uint8_t *buf,
		       const uint64_t *missing, uint64_t first_pfn,
		       uint32_t count)
{
	const struct page_layout *pl = k->pl;
	struct plain_counts plain = { 0 };
	uint32_t i = 0, hole = 0;

	while (i < count) {
		const uint8_t *raw = buf + (uint64_t)i * pl->struct_page_size;
		uint64_t pfn = first_pfn + i;
		struct page_state ps;

		if (is_missing(missing, i)) {
			report_missing(k->r, pfn);
			if (k->a)
				audit_missing(k->a, pfn);
			i++;
			continue;
		}
		/* Plain pages up to the next missing one, counted in bulk;
		 * inside a compound family every page counts for the
		 * audit. */
		if (!k->a || !k->a->fam.open) {
			if (hole <= i)
				hole = next_missing(missing, i, count);
			i += (uint32_t)page_plain_run(pl, raw, hole - i, &plain);
			if (i == hole)
				continue;
			raw = buf + (uint64_t)i * pl->struct_page_size;
			pfn = first_pfn + i;
		}
		page_decode(pl, raw, count - i, pfn, &ps);
		i++;
		report_page(k->r, &ps);
		set_stage(k, pfn, STAGE_PAGE);
		checks_page(pl, &ps, k->emit, k->arg);
		if (!k->a || pfn >= k->a->max_pfn)
			continue;
		set_stage(k, pfn, STAGE_COMPOUND);
		audit_compound_page(k->a, &ps);
		set_stage(k, pfn, STAGE_LINKS);
		audit_links_page(k->a, &ps);
	}
	report_plain_pages(k->r, &plain);
}

unsigned scan_default_threads(void)
{
	cpu_set_t set;
	int n;

	if (sched_getaffinity(0, sizeof(set), &set))
		return 1;
	n = CPU_COUNT(&set);
	if (n < 1)
		return 1;
	return n > SCAN_MAX_THREADS ? SCAN_MAX_THREADS : (unsigned)n;
}

/* ---- one thread ---- */

/* After the last page (st: the scan's outcome so far): the lists rebuilt
 * and handed to the report, the audit freed. */
static enum ps_status end_audit(struct audit *a, struct report *r,
				enum ps_status st, struct ps_err *err)
{
	if (!st)
		st = audit_finish(a, err);
	if (!st)
		report_take_lists(r, a);
	audit_free(a);
	return st;
}

static enum ps_status scan_serial(struct memmap *mm, struct report *r,
				  const struct scan_params *p,
				  struct ps_err *err)
{
	struct audit a;
	uint64_t pps = mm->pages_per_section, s;
	uint8_t *buf = malloc(pps * mm->pl->struct_page_size);
	uint64_t *missing = malloc(((pps + 63) / 64) * sizeof(*missing));
	struct page_sink k = {
		.pl = mm->pl, .r = r, .a = p->audit ? &a : NULL,
		.emit = report_finding, .arg = r,
	};
	enum ps_status st = PS_OK;

	if (!buf || !missing) {
		free(buf);
		free(missing);
		return ps_fail(err, PS_ERR_NOMEM, "out of memory");
	}
	if (p->audit && audit_init(&a, mm, report_finding, r, err)) {
		audit_free(&a);
		free(buf);
		free(missing);
		return err->status;
	}
	for (s = 0; s < mm->nr_sections; s++) {
		const struct mm_section *sec = &mm->sections[s];
		uint32_t nr_missing;

		st = memmap_read(mm, sec, sec->start_pfn, (uint32_t)pps, buf,
				 missing, &nr_missing, err);
		if (st)
			break;
		scan_batch(&k, buf, missing, sec->start_pfn, (uint32_t)pps);
		if (p->progress && !p->progress(p->arg, (s + 1) * pps,
						mm->nr_sections * pps)) {
			st = ps_fail(err, PS_CANCELLED, "scan cancelled");
			break;
		}
	}
	free(buf);
	free(missing);
	if (p->audit)
		st = end_audit(&a, r, st, err);
	return st;
}

/* ---- a thread's chunk ---- */

static void chunk_reset(struct chunk *c)
{
	size_t i;

	report_free(&c->r);
	free(c->entries);
	free(c->findings);
	for (i = 0; i < c->nr_warnings; i++)
		free(c->warnings[i]);
	free(c->warnings);
	free(c->heads);
	memset(c, 0, sizeof(*c));
}

/* finding_fn of a thread: into its current chunk, tagged. */
static void chunk_finding(void *arg, const struct finding *f)
{
	struct worker *w = arg;
	struct chunk *c = w->chunk;
	uint32_t rule = (uint32_t)(f->rule - rule_get(0));
	struct chunk_entry *e;

	/* The compound stage's findings of a section's first pages may be
	 * replaced by the merge's: they must not hide a later repeat, and
	 * the compound rules are reported once per page anyway. */
	if (w->stage != STAGE_COMPOUND && !report_first_time(&c->r, f))
		return;
	if (!array_grow((void **)&c->entries, &c->cap_entries, c->nr_entries,
			sizeof(*c->entries))) {
		c->oom = true;
		return;
	}
	e = &c->entries[c->nr_entries++];
	e->at_pfn = w->at_pfn;
	e->pfn = f->pfn;
	e->rule = rule;
	e->stage = w->stage;
	e->kept = NO_FINDING;
	if (w->stage != STAGE_COMPOUND &&
	    c->kept[rule] >= CHUNK_KEEP_PER_RULE)
		return;
	if (!array_grow((void **)&c->findings, &c->cap_findings,
			c->nr_findings, sizeof(*c->findings))) {
		c->oom = true;
		return;
	}
	c->findings[c->nr_findings] = *f;
	e->kept = (uint32_t)c->nr_findings++;
	if (w->stage != STAGE_COMPOUND)
		c->kept[rule]++;
}

/* ps_warnings.record of a thread's reads. */
static void chunk_warning(void *arg, const char *msg)
{
	struct worker *w = arg;
	struct chunk *c = w->chunk;
	char *copy;

	if (!array_grow((void **)&c->warnings, &c->cap_warnings,
			c->nr_warnings, sizeof(*c->warnings)) ||
	    !(copy = strdup(msg))) {
		c->oom = true;
		return;
	}
	c->warnings[c->nr_warnings++] = copy;
}

static void scan_chunk(struct worker *w, uint64_t s, struct chunk *c)
{
	struct memmap *mm = &w->mm;
	const struct mm_section *sec = &mm->sections[s];
	uint64_t pps = mm->pages_per_section;
	struct page_sink k = {
		.pl = mm->pl, .r = &c->r, .a = w->has_audit ? &w->a : NULL,
		.emit = chunk_finding, .arg = w, .w = w,
	};
	uint32_t nr_missing;

	w->chunk = c;
	report_init(&c->r, mm->pl);
	c->st = memmap_read(mm, sec, sec->start_pfn, (uint32_t)pps, w->buf,
			    w->missing, &nr_missing, &c->err);
	if (c->st)
		return;
	if (w->has_audit)
		w->a.fam.open = false;
	scan_batch(&k, w->buf, w->missing, sec->start_pfn, (uint32_t)pps);
	if (w->has_audit) {
		c->end_fam = w->a.fam;
		c->heads = w->a.heads;
		c->nr_heads = w->a.nr_heads;
		c->nr_lru = w->a.nr_lru;
		w->a.heads = NULL;
		w->a.nr_heads = w->a.cap_heads = 0;
		w->a.nr_lru = 0;
	}
	if (c->oom)
		c->st = ps_fail(&c->err, PS_ERR_NOMEM,
				"out of memory keeping section %llu's findings",
				(unsigned long long)sec->nr);
}

static void *worker_run(void *arg)
{
	struct worker *w = arg;
	struct scan_pool *pool = w->pool;
	uint64_t nr = pool->mm->nr_sections;

	for (;;) {
		uint64_t s;
		struct chunk *c;

		pthread_mutex_lock(&pool->lock);
		while (!pool->stop && pool->next < nr &&
		       pool->next >= pool->merged + pool->nr_chunks)
			pthread_cond_wait(&pool->cond, &pool->lock);
		if (pool->stop || pool->next >= nr) {
			pthread_mutex_unlock(&pool->lock);
			break;
		}
		s = pool->next++;
		pthread_mutex_unlock(&pool->lock);
		c = &pool->chunks[s % pool->nr_chunks];
		scan_chunk(w, s, c);
		pthread_mutex_lock(&pool->lock);
		c->done = true;
		pthread_cond_broadcast(&pool->cond);
		pthread_mutex_unlock(&pool->lock);
	}
	return NULL;
}

/* ---- the merge ---- */

static void emit_entry(struct scan_pool *pool, const struct chunk *c,
		       const struct chunk_entry *e)
{
	if (e->kept != NO_FINDING)
		report_finding(pool->r, &c->findings[e->kept]);
	else
		report_count_finding(pool->r, (enum rule_id)e->rule, e->pfn);
}

/* Emit the chunk's entries made before page pfn's compound stage. */
static size_t emit_before(struct scan_pool *pool, const struct chunk *c,
			  size_t i, uint64_t pfn)
{
	for (; i < c->nr_entries; i++) {
		const struct chunk_entry *e = &c->entries[i];

		if (e->at_pfn > pfn ||
		    (e->at_pfn == pfn && e->stage >= STAGE_COMPOUND))
			break;
		emit_entry(pool, c, e);
	}
	return i;
}

/* The stream was inside a compound family where section sec begins: run
 * the compound rules on its pages until that family is over (closed, or
 * replaced by a head of the section's own: from there the thread, which
 * began outside any family, is in the stream's state), in place of the
 * thread's findings of that stage. Returns the next entry to emit. */
static enum ps_status follow_family(struct scan_pool *pool,
				    const struct mm_section *sec,
				    const struct chunk *c, size_t *next,
				    struct ps_err *err)
{
	struct audit *a = pool->audit;
	const struct page_layout *pl = a->pl;
	uint64_t pps = pool->mm->pages_per_section;
	uint64_t pfn = sec->start_pfn, end = pfn + pps;
	size_t i = 0;

	while (pfn < end) {
		uint64_t n = end - pfn < FIXUP_PAGES ? end - pfn : FIXUP_PAGES;
		uint64_t nread = end - pfn < n + FIXUP_OVERLAP ? end - pfn :
				 n + FIXUP_OVERLAP, j;
		uint32_t nr_missing;

		if (memmap_read(&a->quiet_mm, sec, pfn, (uint32_t)nread,
				pool->fix_buf, pool->fix_missing, &nr_missing,
				err))
			return err->status;
		for (j = 0; j < n; j++) {
			uint64_t p = pfn + j;
			struct page_state ps;

			i = emit_before(pool, c, i, p);
			if (pool->fix_missing[j / 64] & (1ull << (j % 64))) {
				audit_missing(a, p);
			} else {
				page_decode(pl, pool->fix_buf + j * pl->struct_page_size,
					    nread - j, p, &ps);
				audit_compound_page(a, &ps);
			}
			while (i < c->nr_entries && c->entries[i].at_pfn == p &&
			       c->entries[i].stage == STAGE_COMPOUND)
				i++;
			if (!a->fam.open || a->fam.head >= sec->start_pfn) {
				a->fam = c->end_fam;
				*next = i;
				return PS_OK;
			}
		}
		pfn += n;
	}
	/* The family covers the whole section: the stream is still in it. */
	*next = i;
	return PS_OK;
}

static enum ps_status merge_chunk(struct scan_pool *pool, uint64_t s,
				  struct chunk *c, struct ps_err *err)
{
	struct audit *a = pool->audit;
	size_t i = 0;

	if (c->st) {
		*err = c->err;
		return c->st;
	}
	report_merge_pages(pool->r, &c->r);
	for (i = 0; i < c->nr_warnings; i++)
		ps_warn(pool->mm->warnings, "%s", c->warnings[i]);
	i = 0;
	if (a) {
		audit_add_heads(a, c->heads, c->nr_heads, c->nr_lru);
		if (a->fam.open) {
			if (follow_family(pool, &pool->mm->sections[s], c, &i,
					  err))
				return err->status;
		} else {
			a->fam = c->end_fam;
		}
	}
	for (; i < c->nr_entries; i++)
		emit_entry(pool, c, &c->entries[i]);
	return PS_OK;
}

static enum ps_status worker_init(struct worker *w, struct scan_pool *pool,
				  struct ps_err *err)
{
	struct memmap *mm = pool->mm;
	uint64_t pps = mm->pages_per_section;

	w->pool = pool;
	if (target_clone(mm->t, &w->t, err))
		return ps_wrap(err, "starting a scan thread");
	w->mm = *mm;
	w->mm.t = &w->t;
	w->rec.record = chunk_warning;
	w->rec.record_arg = w;
	w->mm.warnings = &w->rec;
	w->buf = malloc(pps * mm->pl->struct_page_size);
	w->missing = malloc(((pps + 63) / 64) * sizeof(*w->missing));
	if (!w->buf || !w->missing)
		return ps_fail(err, PS_ERR_NOMEM, "out of memory");
	if (pool->audit) {
		w->has_audit = true;
		if (audit_init_worker(&w->a, &w->mm, pool->audit, chunk_finding,
				      w, err))
			return err->status;
	}
	return PS_OK;
}

static void worker_free(struct worker *w)
{
	if (w->has_audit)
		audit_free(&w->a);
	free(w->buf);
	free(w->missing);
	if (w->t.path)
		target_close(&w->t);
}

static void pool_stop(struct scan_pool *pool)
{
	unsigned i;

	pthread_mutex_lock(&pool->lock);
	pool->stop = true;
	pthread_cond_broadcast(&pool->cond);
	pthread_mutex_unlock(&pool->lock);
	for (i = 0; i < pool->nr_workers; i++)
		if (pool->workers[i].started)
			pthread_join(pool->workers[i].thread, NULL);
}

static enum ps_status pool_start(struct scan_pool *pool, unsigned threads,
				 struct ps_err *err)
{
	unsigned i;

	pool->nr_chunks = threads * CHUNKS_PER_THREAD;
	pool->chunks = calloc(pool->nr_chunks, sizeof(*pool->chunks));
	pool->workers = calloc(threads, sizeof(*pool->workers));
	pool->fix_buf = malloc((FIXUP_PAGES + FIXUP_OVERLAP) *
			       pool->mm->pl->struct_page_size);
	pool->fix_missing = calloc((FIXUP_PAGES + FIXUP_OVERLAP + 63) / 64,
				   sizeof(*pool->fix_missing));
	if (!pool->chunks || !pool->workers || !pool->fix_buf ||
	    !pool->fix_missing)
		return ps_fail(err, PS_ERR_NOMEM, "out of memory");
	/* Every thread's handle before any runs: a clone that fails is
	 * one error, not a scan half started. */
	for (i = 0; i < threads; i++) {
		pool->nr_workers = i + 1;
		if (worker_init(&pool->workers[i], pool, err))
			return err->status;
	}
	for (i = 0; i < threads; i++) {
		struct worker *w = &pool->workers[i];
		int rc = pthread_create(&w->thread, NULL, worker_run, w);

		if (rc)
			return ps_fail(err, PS_ERR_NOMEM,
				       "cannot start scan thread %u of %u: %s",
				       i + 1, threads, strerror(rc));
		w->started = true;
	}
	return PS_OK;
}

static enum ps_status pool_merge(struct scan_pool *pool,
				 const struct scan_params *p,
				 struct ps_err *err)
{
	struct memmap *mm = pool->mm;
	uint64_t pps = mm->pages_per_section, s;
	enum ps_status st = PS_OK;

	for (s = 0; s < mm->nr_sections && !st; s++) {
		struct chunk *c = &pool->chunks[s % pool->nr_chunks];

		pthread_mutex_lock(&pool->lock);
		while (!c->done)
			pthread_cond_wait(&pool->cond, &pool->lock);
		pthread_mutex_unlock(&pool->lock);
		st = merge_chunk(pool, s, c, err);
		chunk_reset(c);
		pthread_mutex_lock(&pool->lock);
		pool->merged = s + 1;
		pthread_cond_broadcast(&pool->cond);
		pthread_mutex_unlock(&pool->lock);
		if (!st && p->progress &&
		    !p->progress(p->arg, (s + 1) * pps, mm->nr_sections * pps))
			st = ps_fail(err, PS_CANCELLED, "scan cancelled");
	}
	return st;
}

static void pool_free(struct scan_pool *pool)
{
	unsigned i;

	for (i = 0; i < pool->nr_workers; i++)
		worker_free(&pool->workers[i]);
	for (i = 0; pool->chunks && i < pool->nr_chunks; i++)
		chunk_reset(&pool->chunks[i]);
	free(pool->chunks);
	free(pool->workers);
	free(pool->fix_buf);
	free(pool->fix_missing);
	pthread_mutex_destroy(&pool->lock);
	pthread_cond_destroy(&pool->cond);
}

static enum ps_status scan_parallel(struct memmap *mm, struct report *r,
				    const struct scan_params *p,
				    unsigned threads, struct ps_err *err)
{
	struct scan_pool pool = { .mm = mm, .r = r };
	struct audit a;
	enum ps_status st;

	pthread_mutex_init(&pool.lock, NULL);
	pthread_cond_init(&pool.cond, NULL);
	if (p->audit) {
		pool.audit = &a;
		if (audit_init(&a, mm, report_finding, r, err)) {
			audit_free(&a);
			pool_free(&pool);
			return err->status;
		}
	}
	st = pool_start(&pool, threads, err);
	if (!st)
		st = pool_merge(&pool, p, err);
	pool_stop(&pool);
	pool_free(&pool);
	if (p->audit)
		st = end_audit(&a, r, st, err);
	return st;
}

enum ps_status scan_all(struct memmap *mm, struct report *r,
			const struct scan_params *p, struct ps_err *err)
{
	unsigned threads = p->threads ? p->threads : scan_default_threads();

	r->sum.sections = mm->nr_sections;
	if (threads > mm->nr_sections)
		threads = (unsigned)mm->nr_sections;
	if (threads > SCAN_MAX_THREADS)
		threads = SCAN_MAX_THREADS;
	/* Threads set whole 64-bit words of the LRU bitmap: sections must
	 * start on a word (x86-64's 32768 pages do). */
	if (threads <= 1 || mm->pages_per_section % 64)
		return scan_serial(mm, r, p, err);
	return scan_parallel(mm, r, p, threads, err);
}
