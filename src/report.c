#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "util.h"

void report_init(struct report *r, const struct page_layout *pl)
{
	memset(r, 0, sizeof(*r));
	r->pl = pl;
	r->acct.state = PIN_ACCT_UNREADABLE;
	snprintf(r->acct.reason, sizeof(r->acct.reason), "not read");
}

void report_free(struct report *r)
{
	free(r->seen_findings);
	free(r->lists);
	for (size_t i = 0; i < r->nr_pinned; i++)
		pin_owners_free(&r->pinned[i].own);
	free(r->pinned);
	free(r->findings);
	free(r->missing);
	memset(r, 0, sizeof(*r));
}

void report_page(struct report *r, const struct page_state *ps)
{
	struct summary *s = &r->sum;
	struct pinned_entry *e;

	s->pages++;
	s->lru += ps->lru;
	s->head += ps->head;
	s->tail += ps->tail;
	s->buddy += ps->buddy;
	s->slab += ps->slab;
	s->rfc_other_bit += ps->rfc_other_bit;
	if (ps->pin_how == PIN_HOW_NONE)
		return;
	s->pinned_entries++;
	s->pinned_pages += ps->nr_pages;
	s->decoded.total += ps->pincount;
	if (ps->pin_how == PIN_HOW_REFCOUNT_BIAS) {
		s->decoded.inexact += ps->pincount;
		if (ps->pin_confidence == PIN_CONF_POSSIBLE)
			s->decoded.possible += ps->pincount;
	}
	if (!array_grow((void **)&r->pinned, &r->cap_pinned, r->nr_pinned,
		  sizeof(*r->pinned)))
		return;
	e = &r->pinned[r->nr_pinned++];
	memset(e, 0, sizeof(*e));	/* no owners until they are resolved */
	e->pfn = ps->pfn;
	e->nr_pages = ps->nr_pages;
	e->how = ps->pin_how;
	e->confidence = ps->pin_confidence;
	e->pincount = ps->pincount;
	e->refcount = ps->refcount;
	e->mapcount = ps->mapcount;
}

void report_pin_accounting(struct report *r, const struct pin_accounting *pa,
			   uint64_t sections_unread)
{
	r->acct = *pa;
	checks_pin_accounting(r->pl, pa, &r->sum.decoded, r->sum.missing,
			      sections_unread, report_finding, r);
}

/* count missing pages from pfn: the last run grows when they continue
 * it, else a run is added while there is room. */
static void add_missing_run(struct report *r, uint64_t pfn, uint64_t count)
{
	struct missing_run *last = r->nr_missing ? &r->missing[r->nr_missing - 1]
						 : NULL;

	if (last && last->pfn + last->count == pfn) {
		last->count += count;
		return;
	}
	if (r->nr_missing >= REPORT_MAX_MISSING_RUNS ||
	    !array_grow((void **)&r->missing, &r->cap_missing, r->nr_missing,
		  sizeof(*r->missing)))
		return;
	r->missing[r->nr_missing].pfn = pfn;
	r->missing[r->nr_missing++].count = count;
}

void report_missing(struct report *r, uint64_t pfn)
{
	r->sum.missing++;
	add_missing_run(r, pfn, 1);
}

/* Open addressing over (pfn << 6 | rule) + 1 (0 is empty). */
static bool seen_before(struct report *r, uint64_t key)
{
	size_t i, mask;

	if (r->seen_count * 2 >= r->seen_cap) {
		size_t ncap = r->seen_cap ? 2 * r->seen_cap : 1024, j;
		uint64_t *n = calloc(ncap, sizeof(*n));

		/* Without room, keep the duplicate rather than loop. */
		if (!n)
			return false;
		for (j = 0; j < r->seen_cap; j++) {
			uint64_t k = r->seen_findings[j];

			if (!k)
				continue;
			for (i = (k * 0x9e3779b97f4a7c15ull) >> 20; n[i & (ncap - 1)];
			     i++)
				;
			n[i & (ncap - 1)] = k;
		}
		free(r->seen_findings);
		r->seen_findings = n;
		r->seen_cap = ncap;
	}
	mask = r->seen_cap - 1;
	for (i = (key * 0x9e3779b97f4a7c15ull) >> 20; r->seen_findings[i & mask];
	     i++)
		if (r->seen_findings[i & mask] == key)
			return true;
	r->seen_findings[i & mask] = key;
	r->seen_count++;
	return false;
}

bool report_first_time(struct report *r, const struct finding *f)
{
	unsigned id = (unsigned)(f->rule - rule_get(0));

	return !seen_before(r, ((f->pfn << 6) | id) + 1);
}

void report_count_finding(struct report *r, enum rule_id id, uint64_t pfn)
{
	if (!seen_before(r, ((pfn << 6) | id) + 1))
		r->rule_count[id]++;
}

void report_merge_pages(struct report *dst, const struct report *src)
{
	struct summary *d = &dst->sum;
	const struct summary *s = &src->sum;
	size_t i;

	d->pages += s->pages;
	d->lru += s->lru;
	d->head += s->head;
	d->tail += s->tail;
	d->buddy += s->buddy;
	d->slab += s->slab;
	d->rfc_other_bit += s->rfc_other_bit;
	d->pinned_entries += s->pinned_entries;
	d->pinned_pages += s->pinned_pages;
	d->decoded.total += s->decoded.total;
	d->decoded.inexact += s->decoded.inexact;
	d->decoded.possible += s->decoded.possible;
	for (i = 0; i < src->nr_pinned; i++) {
		if (!array_grow((void **)&dst->pinned, &dst->cap_pinned,
				dst->nr_pinned, sizeof(*dst->pinned)))
			break;
		dst->pinned[dst->nr_pinned++] = src->pinned[i];
	}
	/* Run by run, what report_missing did page by page. Where src
	 * dropped runs at its cap, dst is full by then as well. */
	d->missing += s->missing;
	for (i = 0; i < src->nr_missing; i++)
		add_missing_run(dst, src->missing[i].pfn, src->missing[i].count);
}

void report_finding(void *report, const struct finding *f)
{
	struct report *r = report;
	unsigned id = (unsigned)(f->rule - rule_get(0));

	if (seen_before(r, ((f->pfn << 6) | id) + 1))
		return;
	if (r->rule_count[id]++ >= REPORT_MAX_PER_RULE)
		return;
	if (!array_grow((void **)&r->findings, &r->cap_findings, r->nr_findings,
		  sizeof(*r->findings)))
		return;
	r->findings[r->nr_findings++] = *f;
}

void report_take_lists(struct report *r, struct audit *a)
{
	r->lists = a->lists;
	r->nr_lists = a->nr_lists;
	a->lists = NULL;
	a->nr_lists = 0;
	r->audited = 1;
}

enum ps_status rfc_bit_check(const struct page_layout *pl,
			     const struct summary *sum,
			     const struct pinned_entry *pinned, size_t nr_pinned,
			     const char *dump, struct ps_warnings *warnings,
			     struct ps_err *err)
{
	uint64_t mask = pl->rfc_pin_mask, other = mask ^ 0x6, flagged = 0;
	size_t i;

	if (pl->pin_scheme != PIN_SCHEME_RFC || !sum->rfc_other_bit)
		return PS_OK;
	for (i = 0; i < nr_pinned; i++)
		flagged += pinned[i].how == PIN_HOW_RFC_FLAG;
	if (!flagged)
		return ps_fail(err, PS_ERR_MISMATCH,
			       "%s: this kernel used RFC v%d: rerun with --rfc-pin-bit %d (no page has the RFC pin word %#" PRIx64
			       " of --rfc-pin-bit %d but %" PRIu64
			       " pages have %#" PRIx64 " with a dma_pinned_count)",
			       dump, other == 0x2 ? 1 : 2, other == 0x2 ? 1 : 2,
			       mask, mask == 0x2 ? 1 : 2,
			       sum->rfc_other_bit, other);
	ps_warn(warnings, "%" PRIu64 " pages also have the other RFC pin word %#"
		PRIx64 " with a dma_pinned_count (not reported as pinned with --rfc-pin-bit %d)",
		sum->rfc_other_bit, other, mask == 0x2 ? 1 : 2);
	return PS_OK;
}

enum ps_status report_check_rfc_bit(const struct report *r, const char *dump,
				    struct ps_warnings *warnings,
				    struct ps_err *err)
{
	return rfc_bit_check(r->pl, &r->sum, r->pinned, r->nr_pinned, dump,
			     warnings, err);
}

uint64_t report_findings_at_least(const struct report *r, enum severity sev)
{
	uint64_t n = 0;
	unsigned i;

	for (i = 0; i < NR_RULES; i++)
		if (rule_get(i)->severity >= sev)
			n += r->rule_count[i];
	return n;
}

/* Why a refcount-bias pin is only "likely" or "possible". */
static void pin_reason(const struct report *r, const struct pinned_entry *e,
		       char *buf, size_t bufsz)
{
	switch (e->how) {
	case PIN_HOW_RFC_FLAG:
		snprintf(buf, bufsz, "dma_pinned_flags has the pin bit 0x%" PRIx64
			 ", dma_pinned_count %" PRId64, r->pl->rfc_pin_mask,
			 e->pincount);
		break;
	case PIN_HOW_LARGE_EXACT:
		snprintf(buf, bufsz, "%s is %" PRId64 " (refcount %" PRIu32 ")",
			 large_pin_how(r->pl->large_pin_kind), e->pincount,
			 e->refcount);
		break;
	default:
		snprintf(buf, bufsz,
			 "refcount %" PRIu32 " >= %u; mapcount %" PRId32 " %s",
			 e->refcount, GUP_PIN_COUNTING_BIAS, e->mapcount,
			 e->confidence == PIN_CONF_LIKELY ?
			 "leaves >= 1024 references unexplained" :
			 "explains most references: may be mapped, not pinned");
		break;
	}
}

enum ps_status report_resolve_owners(struct report *r, struct owners *o,
				     struct ps_err *err)
{
	size_t i;

	for (i = 0; i < r->nr_pinned; i++) {
		struct pinned_entry *e = &r->pinned[i];

		if (owners_resolve(o, e->pfn, e->nr_pages, &e->own, err))
			return err->status;
	}
	r->owners_resolved = true;
	snprintf(r->owners_note, sizeof(r->owners_note), "%s", o->owners_why);
	snprintf(r->holders_note, sizeof(r->holders_note), "%s",
		 o->holders_why);
	snprintf(r->vfio_note, sizeof(r->vfio_note), "%s", o->vfio_why);
	snprintf(r->tasks_note, sizeof(r->tasks_note), "%s", o->tasks_why);
	return PS_OK;
}

/* The entry's owners and holders under its line. */
static void print_entry_owners(const struct pinned_entry *e, FILE *out)
{
	char text[200];
	size_t k;

	for (k = 0; k < e->own.nr_owners; k++) {
		owner_describe(&e->own.owners[k], text, sizeof(text));
		fprintf(out, "      owner %s\n", text);
	}
	if (e->own.nr_owners_more)
		fprintf(out, "      ... %zu more owners\n",
			e->own.nr_owners_more);
	if (e->own.note[0])
		fprintf(out, "      %s\n", e->own.note);
	for (k = 0; k < e->own.nr_holders; k++) {
		holder_describe(&e->own.holders[k], text, sizeof(text));
		fprintf(out, "      held by %s\n", text);
	}
}

static struct owner_group *group_for(struct owner_groups *gs, int64_t pid,
				     const char *label)
{
	struct owner_group ng = { .pid = pid };
	size_t i;

	for (i = 0; i < gs->n; i++)
		if (gs->g[i].pid == pid && !strcmp(gs->g[i].label, label))
			return &gs->g[i];
	snprintf(ng.label, sizeof(ng.label), "%s", label);
	if (!array_append((void **)&gs->g, &gs->n, &gs->cap, &ng, 1,
			  sizeof(ng)))
		return NULL;
	return &gs->g[gs->n - 1];
}

static void group_add_fd(struct owner_group *g, const struct pin_holder *h)
{
	size_t i;

	for (i = 0; i < g->nr_fds; i++)
		if (g->fds[i].fd == h->fd && g->fds[i].kind == h->kind)
			return;
	if (g->nr_fds < sizeof(g->fds) / sizeof(*g->fds)) {
		g->fds[g->nr_fds].kind = h->kind;
		g->fds[g->nr_fds++].fd = h->fd;
	}
}

/* Entry i of e counts in group g. */
static bool group_add_entry(struct owner_group *g,
			    const struct pinned_entry *e, size_t i)
{
	g->pages += e[i].nr_pages;
	g->entries++;
	return array_append((void **)&g->members, &g->nr_members,
			    &g->cap_members, &i, 1, sizeof(i));
}

/* The kind of "nobody" a note names: its text up to the colon. */
static void note_label(const char *note, char *label, size_t size)
{
	const char *colon = strchr(note, ':');
	size_t len = colon ? (size_t)(colon - note) : strlen(note);

	if (len >= size)
		len = size - 1;
	memcpy(label, note, len);
	label[len] = 0;
}

/* One entry's groups: each task mapping it once, else its note's. */
static bool group_entry(struct owner_groups *gs, const struct pinned_entry *e,
			size_t i)
{
	const struct pin_owners *own = &e[i].own;
	struct owner_group *og;
	char label[80];
	size_t k, j, h;

	for (k = 0; k < own->nr_owners; k++) {
		const struct pin_owner *o = &own->owners[k];
		bool again = false;

		/* Once per entry per task. */
		for (j = 0; j < k && !again; j++)
			again = own->owners[j].pid == o->pid;
		if (again)
			continue;
		snprintf(label, sizeof(label), "pid %" PRId64 " (%s)", o->pid,
			 o->comm);
		if (!(og = group_for(gs, o->pid, label)) ||
		    !group_add_entry(og, e, i))
			return false;
		for (h = 0; h < own->nr_holders; h++)
			if (own->holders[h].pid == o->pid)
				group_add_fd(og, &own->holders[h]);
	}
	if (own->nr_owners)
		return true;
	note_label(own->note[0] ? own->note : "owner unknown", label,
		   sizeof(label));
	return (og = group_for(gs, -1, label)) && group_add_entry(og, e, i);
}

bool owner_groups_build(struct owner_groups *gs, const struct pinned_entry *e,
			size_t n)
{
	size_t i;

	owner_groups_free(gs);
	for (i = 0; i < n; i++)
		if (!group_entry(gs, e, i))
			return false;
	return true;
}

void owner_groups_free(struct owner_groups *gs)
{
	size_t i;

	for (i = 0; i < gs->n; i++)
		free(gs->g[i].members);
	free(gs->g);
	memset(gs, 0, sizeof(*gs));
}

void owner_group_text(const struct owner_group *g, char *buf, size_t size)
{
	enum holder_kind kind;
	size_t k;
	int n;

	n = snprintf(buf, size, "%s: %" PRIu64 " pages in %" PRIu64 " entries",
		     g->label, g->pages, g->entries);
	/* The fds of each kind together: ", io_uring fd 5, 6, vfio fd 7". */
	for (kind = HOLDER_IO_URING; kind <= HOLDER_VFIO; kind++) {
		bool first = true;

		for (k = 0; k < g->nr_fds && n >= 0 && (size_t)n < size; k++) {
			if (g->fds[k].kind != kind)
				continue;
			if (first)
				n += snprintf(buf + n, size - (size_t)n,
					      ", %s fd %" PRId64,
					      holder_kind_name(kind),
					      g->fds[k].fd);
			else
				n += snprintf(buf + n, size - (size_t)n,
					      ", %" PRId64, g->fds[k].fd);
			first = false;
		}
	}
}

/* Pins grouped by the task that maps them (an entry mapped by several
 * tasks counts in each), then those no task maps, by why. */
static void print_by_owner_text(const struct report *r, FILE *out)
{
	struct owner_groups gs = { 0 };
	char line[256];
	size_t i;

	if (!r->owners_resolved || !r->nr_pinned)
		return;
	if (!owner_groups_build(&gs, r->pinned, r->nr_pinned))
		goto out;
	fprintf(out, "\nPins by owner:\n");
	for (i = 0; i < gs.n; i++) {
		owner_group_text(&gs.g[i], line, sizeof(line));
		fprintf(out, "  %s\n", line);
	}
	if (r->owners_note[0])
		fprintf(out, "  owners unavailable: %s\n", r->owners_note);
	if (r->holders_note[0])
		fprintf(out, "  holders unavailable: %s\n", r->holders_note);
	if (r->tasks_note[0])
		fprintf(out, "  task list incomplete: %s\n", r->tasks_note);
	/* Said once holders can be found at all. */
	if (r->vfio_note[0] && !r->owners_note[0] && !r->holders_note[0])
		fprintf(out, "  VFIO mappings not followed: %s\n",
			r->vfio_note);
out:
	owner_groups_free(&gs);
}

/* b's owners are a's, one page further on, and its holders a's. */
static bool same_owners(const struct pin_owners *a, const struct pin_owners *b,
			uint64_t page_size)
{
	size_t k;

	if (a->nr_owners != b->nr_owners || a->nr_holders != b->nr_holders ||
	    a->nr_owners_more != b->nr_owners_more || strcmp(a->note, b->note))
		return false;
	for (k = 0; k < a->nr_owners; k++)
		if (a->owners[k].pid != b->owners[k].pid ||
		    a->owners[k].kind != b->owners[k].kind ||
		    a->owners[k].ino != b->owners[k].ino ||
		    b->owners[k].vaddr - a->owners[k].vaddr != page_size)
			return false;
	for (k = 0; k < a->nr_holders; k++)
		if (a->holders[k].pid != b->holders[k].pid ||
		    a->holders[k].fd != b->holders[k].fd ||
		    a->holders[k].index != b->holders[k].index ||
		    a->holders[k].kind != b->holders[k].kind)
			return false;
	return true;
}

/* Entries that continue each other (same method and confidence, pfns
 * adjacent, the same owners a page further on) print as one run. */
static bool continues(const struct report *r, const struct pinned_entry *a,
		      const struct pinned_entry *b)
{
	return a->pfn + a->nr_pages == b->pfn && a->how == b->how &&
	       a->confidence == b->confidence && a->nr_pages == 1 &&
	       b->nr_pages == 1 &&
	       same_owners(&a->own, &b->own, r->pl->page_size);
}

static void print_pinned_text(const struct report *r, FILE *out)
{
	size_t i = 0;

	if (!r->nr_pinned) {
		fprintf(out, "\nNo pinned pages.\n");
		return;
	}
	fprintf(out, "\nPinned pages (%" PRIu64 " pages in %zu entries):\n",
		r->sum.pinned_pages, r->nr_pinned);
	fprintf(out, "  %-18s %8s  %-22s %-9s %8s  %s\n", "pfn", "pages",
		"how", "confidence", "pincount", "why");
	while (i < r->nr_pinned) {
		const struct pinned_entry *e = &r->pinned[i];
		char range[48], why[160];
		size_t j = i + 1;
		uint64_t pages = e->nr_pages;

		while (j < r->nr_pinned && continues(r, &r->pinned[j - 1], &r->pinned[j]))
			pages += r->pinned[j++].nr_pages;
		if (j - i > 1)
			snprintf(range, sizeof(range), "%#" PRIx64 "-%#" PRIx64,
				 e->pfn, r->pinned[j - 1].pfn);
		else
			snprintf(range, sizeof(range), "%#" PRIx64, e->pfn);
		pin_reason(r, e, why, sizeof(why));
		fprintf(out, "  %-18s %8" PRIu64 "  %-22s %-9s %8" PRId64 "  %s%s\n",
			range, pages, pin_how_name(r->pl, e->how),
			pin_confidence_name(e->confidence), e->pincount,
			j - i > 1 ? "first: " : "", why);
		if (r->owners_resolved)
			print_entry_owners(e, out);
		i = j;
	}
}

static void print_findings_text(const struct report *r, FILE *out)
{
	unsigned i;
	size_t f;

	if (!r->nr_findings)
		return;
	fprintf(out, "\nFindings by rule:\n");
	for (i = 0; i < NR_RULES; i++)
		if (r->rule_count[i])
			fprintf(out, "  %-7s %-26s %" PRIu64 "\n",
				severity_name(rule_get(i)->severity),
				rule_get(i)->id, r->rule_count[i]);
	/* Info findings are legitimate state: counted above, listed in
	 * JSON; people read the ones that mean something is wrong. */
	if (!report_findings_at_least(r, SEV_WARNING))
		return;
	fprintf(out, "\nFindings (warning and error; info ones are in --format json):\n");
	for (f = 0; f < r->nr_findings; f++)
		if (r->findings[f].rule->severity >= SEV_WARNING)
			fprintf(out, "  %-7s %-26s pfn %#" PRIx64 ": %s\n",
				severity_name(r->findings[f].rule->severity),
				r->findings[f].rule->id, r->findings[f].pfn,
				r->findings[f].message);
}

static void print_lists_text(const struct report *r, FILE *out)
{
	uint64_t pages = 0, bad = 0;
	size_t i;

	if (!r->audited)
		return;
	for (i = 0; i < r->nr_lists; i++) {
		pages += r->lists[i].length;
		bad += r->lists[i].status != LRU_LIST_OK;
	}
	fprintf(out, "\nLRU lists: %zu rebuilt from the links, %" PRIu64
		" pages on them, %" PRIu64 " not intact\n", r->nr_lists, pages,
		bad);
	for (i = 0; i < r->nr_lists; i++)
		if (r->lists[i].status != LRU_LIST_OK)
			fprintf(out, "  head 0x%" PRIx64 ": %s after %" PRIu64 " pages\n",
				r->lists[i].head,
				lru_list_status_name(r->lists[i].status),
				r->lists[i].length);
}

void pin_accounting_text(const struct page_layout *pl,
			 const struct pin_accounting *pa, int64_t decoded,
			 char *buf, size_t size)
{
	int64_t outstanding = pa->acquired - pa->released;
	int n;

	if (pa->state != PIN_ACCT_READ) {
		snprintf(buf, size, "pin accounting: %s: %s; %" PRId64 " pins decoded",
			 pa->state == PIN_ACCT_NO_COUNTERS ? "none" : "not read",
			 pa->reason, decoded);
		return;
	}
	n = snprintf(buf, size, "pin accounting: acquired %" PRId64 ", released %" PRId64
		     ", outstanding %" PRId64 "; decoded %" PRId64, pa->acquired,
		     pa->released, outstanding, decoded);
	if (n < 0 || (size_t)n >= size)
		return;
	if (pl->pin_scheme != PIN_SCHEME_FOLL)
		snprintf(buf + n, size - (size_t)n, " (RFC pins: not compared)");
	else if (decoded == outstanding)
		snprintf(buf + n, size - (size_t)n, " (balanced)");
	else
		snprintf(buf + n, size - (size_t)n, " (%+" PRId64 ": PIN-ACCOUNTING-MISMATCH)",
			 decoded - outstanding);
}

static void print_accounting_text(const struct report *r, FILE *out)
{
	char line[400];

	pin_accounting_text(r->pl, &r->acct, r->sum.decoded.total, line,
			    sizeof(line));
	fprintf(out, "  %s\n", line);
}

void report_print_text(const struct report *r, FILE *out)
{
	const struct summary *s = &r->sum;
	char warning[PS_WARNING_LEN + 32];
	size_t i;

	fprintf(out, "pinscan: %s (%s), kernel %s\n", r->dump_path,
		r->dump_format, r->kernel);
	fprintf(out, "layout: %s; pins recorded by %s", r->pl->source,
		pin_scheme_name(r->pl->pin_scheme));
	if (r->pl->pin_scheme != PIN_SCHEME_NONE &&
	    r->pl->large_pin_kind != LARGE_PIN_NONE)
		fprintf(out, " (large folios: %s)",
			large_pin_how(r->pl->large_pin_kind));
	fprintf(out, "\n");
	for (i = 0; i < r->pl->nr_reduced; i++)
		fprintf(out, "  reduced: %s\n", r->pl->reduced[i]);
	if (r->kaslr_offset)
		fprintf(out, "KASLR offset: %#" PRIx64 "\n", r->kaslr_offset);
	fprintf(out, "\nSummary:\n");
	fprintf(out, "  sections %" PRIu64 ", struct pages read %" PRIu64
		", missing %" PRIu64 "\n", s->sections, s->pages, s->missing);
	fprintf(out, "  lru %" PRIu64 ", head %" PRIu64 ", tail %" PRIu64
		", buddy %" PRIu64 ", slab %" PRIu64 "\n", s->lru, s->head,
		s->tail, s->buddy, s->slab);
	fprintf(out, "  pinned pages %" PRIu64 " (%" PRIu64 " entries); findings: %" PRIu64
		" error, %" PRIu64 " warning, %" PRIu64 " info\n",
		s->pinned_pages, s->pinned_entries,
		report_findings_at_least(r, SEV_ERROR),
		report_findings_at_least(r, SEV_WARNING) -
		report_findings_at_least(r, SEV_ERROR),
		report_findings_at_least(r, SEV_INFO) -
		report_findings_at_least(r, SEV_WARNING));
	print_accounting_text(r, out);
	if (r->pl->pin_scheme == PIN_SCHEME_NONE)
		fprintf(out, "  note: this kernel has neither FOLL_PIN nor the RFC's pin flag: pins cannot be seen\n");
	for (i = 0; i < ps_warnings_count(r->warnings); i++) {
		ps_warning_text(r->warnings, i, warning, sizeof(warning));
		fprintf(out, "  warning: %s\n", warning);
	}
	if (s->missing) {
		fprintf(out, "\nStruct pages missing from the dump (%" PRIu64 "):\n",
			s->missing);
		for (i = 0; i < r->nr_missing && i < 20; i++)
			fprintf(out, "  pfn %#" PRIx64 "-%#" PRIx64 " (%" PRIu64 " pages)\n",
				r->missing[i].pfn,
				r->missing[i].pfn + r->missing[i].count - 1,
				r->missing[i].count);
		if (r->nr_missing > 20)
			fprintf(out, "  ... %zu more runs (see --format json)\n",
				r->nr_missing - 20);
	}
	print_by_owner_text(r, out);
	print_pinned_text(r, out);
	print_findings_text(r, out);
	print_lists_text(r, out);
}

static void json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void json_layout(const struct report *r, FILE *out)
{
	const struct page_layout *pl = r->pl;
	unsigned i;

	fprintf(out, "  \"layout\": {\"kind\": ");
	json_string(out, layout_kind_name(pl->kind));
	fprintf(out, ", \"source\": ");
	json_string(out, pl->source);
	fprintf(out, ", \"cached\": %s", pl->cached ? "true" : "false");
	fprintf(out, ", \"struct_page_size\": %u, \"pin_scheme\": ",
		pl->struct_page_size);
	json_string(out, pin_scheme_name(pl->pin_scheme));
	fprintf(out, ", \"large_folio_pincount\": ");
	json_string(out, large_pin_how(pl->large_pin_kind));
	if (pl->pin_scheme == PIN_SCHEME_RFC)
		fprintf(out, ", \"rfc_pin_mask\": %" PRIu64, pl->rfc_pin_mask);
	fprintf(out, ", \"reduced\": [");
	for (i = 0; i < pl->nr_reduced; i++) {
		fprintf(out, "%s", i ? ", " : "");
		json_string(out, pl->reduced[i]);
	}
	fprintf(out, "]},\n");
}

/* summary.pin_accounting: the counters are null when not read, with
 * the reason; decoded is always there. */
static void json_pin_accounting(const struct report *r, FILE *out)
{
	const struct pin_accounting *pa = &r->acct;
	const struct decoded_pins *d = &r->sum.decoded;

	fprintf(out, "\"pin_accounting\": {\"state\": ");
	json_string(out, pin_acct_state_name(pa->state));
	if (pa->state == PIN_ACCT_READ)
		fprintf(out, ", \"acquired\": %" PRId64 ", \"released\": %" PRId64
			", \"outstanding\": %" PRId64 ", \"nodes\": %" PRIu32
			", \"cpus\": %" PRIu32, pa->acquired, pa->released,
			pa->acquired - pa->released, pa->nodes, pa->cpus);
	else
		fprintf(out, ", \"acquired\": null, \"released\": null, \"outstanding\": null");
	fprintf(out, ", \"decoded\": %" PRId64 ", \"decoded_refcount_bias\": %" PRId64
		", \"decoded_possible\": %" PRId64 ", \"reason\": ",
		d->total, d->inexact, d->possible);
	if (pa->state == PIN_ACCT_READ)
		fprintf(out, "null");
	else
		json_string(out, pa->reason);
	fputc('}', out);
}

static void json_summary(const struct report *r, FILE *out)
{
	const struct summary *s = &r->sum;

	fprintf(out, "  \"summary\": {\"sections\": %" PRIu64 ", \"pages\": %" PRIu64
		", \"missing\": %" PRIu64 ", \"lru\": %" PRIu64 ", \"head\": %" PRIu64
		", \"tail\": %" PRIu64 ", \"buddy\": %" PRIu64 ", \"slab\": %" PRIu64
		", \"pinned_pages\": %" PRIu64 ", \"pinned_entries\": %" PRIu64
		", \"findings\": %" PRIu64 ", \"lru_lists\": %zu, ",
		s->sections, s->pages, s->missing, s->lru, s->head, s->tail,
		s->buddy, s->slab, s->pinned_pages, s->pinned_entries,
		report_findings_at_least(r, SEV_INFO), r->nr_lists);
	json_pin_accounting(r, out);
	fprintf(out, "},\n");
}

static void json_by_rule(const struct report *r, FILE *out)
{
	const char *sep = "";
	unsigned i;

	fprintf(out, "  \"findings_by_rule\": {");
	for (i = 0; i < NR_RULES; i++) {
		if (!r->rule_count[i])
			continue;
		fprintf(out, "%s\"%s\": %" PRIu64, sep, rule_get(i)->id,
			r->rule_count[i]);
		sep = ", ";
	}
	fprintf(out, "},\n");
}

static void json_lists(const struct report *r, FILE *out)
{
	size_t i;

	fprintf(out, "  \"lru_lists\": [");
	for (i = 0; i < r->nr_lists; i++) {
		const struct lru_list *l = &r->lists[i];

		fprintf(out, "%s\n    {\"head\": %" PRIu64 ", \"length\": %" PRIu64
			", \"first_pfn\": ", i ? "," : "", l->head, l->length);
		if (l->first_pfn == UINT64_MAX)
			fprintf(out, "null");
		else
			fprintf(out, "%" PRIu64, l->first_pfn);
		fprintf(out, ", \"status\": \"%s\"}",
			lru_list_status_name(l->status));
	}
	fprintf(out, "%s],\n", r->nr_lists ? "\n  " : "");
}

static void json_entry_owners(const struct pin_owners *po, FILE *out)
{
	size_t k;

	fprintf(out, ", \"owners\": [");
	for (k = 0; k < po->nr_owners; k++) {
		const struct pin_owner *o = &po->owners[k];

		fprintf(out, "%s{\"pid\": %" PRId64 ", \"comm\": ",
			k ? ", " : "", o->pid);
		json_string(out, o->comm);
		fprintf(out, ", \"vaddr\": %" PRIu64 ", \"kind\": \"%s\"",
			o->vaddr, owner_kind_name(o->kind));
		if (o->kind == OWNER_FILE) {
			fprintf(out, ", \"inode\": %" PRIu64 ", \"dev\": %" PRIu32
				", \"name\": ", o->ino, o->dev);
			json_string(out, o->name);
		}
		fputc('}', out);
	}
	fprintf(out, "], \"owners_more\": %zu, \"owner_note\": ",
		po->nr_owners_more);
	json_string(out, po->note);
	fprintf(out, ", \"holders\": [");
	for (k = 0; k < po->nr_holders; k++) {
		const struct pin_holder *h = &po->holders[k];

		fprintf(out, "%s{\"kind\": \"%s\", \"pid\": %" PRId64
			", \"comm\": ", k ? ", " : "",
			holder_kind_name(h->kind), h->pid);
		json_string(out, h->comm);
		fprintf(out, ", \"fd\": %" PRId64 ", \"index\": %" PRIu32
			", \"uaddr\": %" PRIu64, h->fd, h->index, h->uaddr);
		if (h->kind == HOLDER_VFIO)
			fprintf(out, ", \"iova\": %" PRIu64, h->iova);
		fputc('}', out);
	}
	fputc(']', out);
}

/* Whether owners and holders were resolved, and why not where not. */
static void json_owner_resolution(const struct report *r, FILE *out)
{
	fprintf(out, "  \"owner_resolution\": {\"resolved\": %s, \"owners\": ",
		r->owners_resolved ? "true" : "false");
	json_string(out, r->owners_note);
	fprintf(out, ", \"holders\": ");
	json_string(out, r->holders_note);
	fprintf(out, ", \"tasks\": ");
	json_string(out, r->tasks_note);
	fprintf(out, ", \"vfio\": ");
	json_string(out, r->vfio_note);
	fprintf(out, "},\n");
}

void report_print_json(const struct report *r, FILE *out)
{
	char warning[PS_WARNING_LEN + 32];
	size_t i;

	fprintf(out, "{\n  \"schema\": \"%s\",\n  \"tool\": \"%s\",\n",
		REPORT_SCHEMA, PACKAGE_STRING);
	fprintf(out, "  \"dump\": {\"path\": ");
	json_string(out, r->dump_path);
	fprintf(out, ", \"format\": ");
	json_string(out, r->dump_format);
	fprintf(out, ", \"vmlinux\": ");
	if (r->vmlinux_path)
		json_string(out, r->vmlinux_path);
	else
		fprintf(out, "null");
	fprintf(out, ", \"kaslr_offset\": %" PRIu64 "},\n", r->kaslr_offset);
	fprintf(out, "  \"kernel\": ");
	json_string(out, r->kernel);
	fprintf(out, ",\n");
	json_layout(r, out);
	json_summary(r, out);
	json_by_rule(r, out);
	json_lists(r, out);
	json_owner_resolution(r, out);
	fprintf(out, "  \"warnings\": [");
	for (i = 0; i < ps_warnings_count(r->warnings); i++) {
		ps_warning_text(r->warnings, i, warning, sizeof(warning));
		fprintf(out, "%s", i ? ", " : "");
		json_string(out, warning);
	}
	fprintf(out, "],\n  \"missing\": [");
	for (i = 0; i < r->nr_missing; i++)
		fprintf(out, "%s{\"pfn\": %" PRIu64 ", \"count\": %" PRIu64 "}",
			i ? ", " : "", r->missing[i].pfn, r->missing[i].count);
	fprintf(out, "],\n  \"pinned\": [");
	for (i = 0; i < r->nr_pinned; i++) {
		const struct pinned_entry *e = &r->pinned[i];
		char why[160];

		pin_reason(r, e, why, sizeof(why));
		fprintf(out, "%s\n    {\"pfn\": %" PRIu64 ", \"nr_pages\": %" PRIu64
			", \"how\": \"%s\", \"pincount\": %" PRId64
			", \"confidence\": \"%s\", \"refcount\": %" PRIu32
			", \"mapcount\": %" PRId32 ", \"reason\": ",
			i ? "," : "", e->pfn, e->nr_pages,
			pin_how_name(r->pl, e->how), e->pincount,
			pin_confidence_name(e->confidence), e->refcount,
			e->mapcount);
		json_string(out, why);
		if (r->owners_resolved)
			json_entry_owners(&e->own, out);
		fputc('}', out);
	}
	fprintf(out, "%s],\n  \"findings\": [", r->nr_pinned ? "\n  " : "");
	for (i = 0; i < r->nr_findings; i++) {
		const struct finding *f = &r->findings[i];

		fprintf(out, "%s\n    {\"rule\": \"%s\", \"severity\": \"%s\", \"pfn\": %" PRIu64
			", \"message\": ", i ? "," : "", f->rule->id,
			severity_name(f->rule->severity), f->pfn);
		json_string(out, f->message);
		fputc('}', out);
	}
	fprintf(out, "%s]\n}\n", r->nr_findings ? "\n  " : "");
}

/* The JSON report on one line, for JSON Lines: the pretty form with its
 * newlines and the indentation after them dropped. Strings cannot hold
 * either, json_string() escapes every control character. */
void report_print_json_line(const struct report *r, FILE *out)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *mem = open_memstream(&buf, &len);
	int after_newline = 0;

	if (!mem) {
		/* No memory for the copy: the pretty form is still JSON. */
		report_print_json(r, out);
		return;
	}
	report_print_json(r, mem);
	fclose(mem);
	for (i = 0; i < len; i++) {
		if (buf[i] == '\n') {
			after_newline = 1;
			continue;
		}
		if (after_newline && buf[i] == ' ')
			continue;
		after_newline = 0;
		fputc(buf[i], out);
	}
	fputc('\n', out);
	free(buf);
}
