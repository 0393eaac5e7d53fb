/* pinscan tui: the findings view, grouped by rule. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "tui_findings.h"
#include "tui_pages.h"
#include "util.h"

enum ps_status tui_findings_init(struct tui_findings *fv,
				 const struct tui_scan *sc, struct ps_err *err)
{
	fv->sc = sc;
	rules_all(&fv->nr_rules);
	fv->folded = calloc(fv->nr_rules + 1, sizeof(*fv->folded));
	if (!fv->folded)
		return ps_fail(err, PS_ERR_NOMEM, "out of memory");
	return PS_OK;
}

void tui_findings_free(struct tui_findings *fv)
{
	free(fv->lines);
	free(fv->folded);
}

/* A line more; out of memory, the view is short of it. */
static void add_line(struct tui_findings *fv, enum tui_fline_kind kind,
		     unsigned rule, size_t idx)
{
	if (!array_grow((void **)&fv->lines, &fv->cap, fv->nr,
			sizeof(*fv->lines)))
		return;
	fv->lines[fv->nr++] = (struct tui_fline){ .kind = kind, .rule = rule,
						  .idx = idx };
}

/* A counting sort of the findings by rule, linear in their number:
 * order[] lists them rule by rule, rule r's from end[r - 1] (0 for the
 * first) to end[r]; rule nr_rules holds those outside the catalogue. */
static bool sort_by_rule(const struct tui_findings *fv, size_t **endp,
			 size_t **orderp)
{
	const struct tui_scan *sc = fv->sc;
	size_t nr = sc->found.nr_findings, *end, *order, i;
	unsigned r;

	end = calloc(fv->nr_rules + 2, sizeof(*end));
	order = malloc((nr ? nr : 1) * sizeof(*order));
	*endp = end;
	*orderp = order;
	if (!end || !order)
		return false;
	for (i = 0; i < nr; i++)
		end[sc->finding_rule[i] + 1]++;
	for (r = 0; r <= fv->nr_rules; r++)
		end[r + 1] += end[r];
	for (i = 0; i < nr; i++)
		order[end[sc->finding_rule[i]]++] = i;
	return true;
}

/* A rule's line, then its findings unless folded. */
static void add_rule(struct tui_findings *fv, unsigned r, const size_t *end,
		     const size_t *order)
{
	size_t from = r ? end[r - 1] : 0, i;

	add_line(fv, TUI_FL_RULE, r, end[r] - from);
	for (i = from; !fv->folded[r] && i < end[r]; i++)
		add_line(fv, TUI_FL_FINDING, r, order[i]);
}

/* Rules that found something first, then the quiet ones; by severity,
 * errors first, within each. */
static void add_rules(struct tui_findings *fv, const size_t *end,
		      const size_t *order)
{
	const struct rule *rules;
	unsigned sev, r, n, pass;

	rules = rules_all(&n);
	for (pass = 0; pass < 2; pass++)
		for (sev = SEV_ERROR + 1; sev-- > 0;)
			for (r = 0; r < fv->nr_rules; r++)
				if ((unsigned)rules[r].severity == sev &&
				    (fv->sc->rule_count[r] == 0) == (pass == 1))
					add_rule(fv, r, end, order);
}

bool tui_findings_build(struct tui_findings *fv)
{
	const struct tui_scan *sc = fv->sc;
	unsigned r = fv->nr_rules;
	size_t *end, *order, i;

	if (!sort_by_rule(fv, &end, &order)) {
		free(end);
		free(order);
		return false;
	}
	fv->nr = 0;
	add_rules(fv, end, order);
	/* Findings of rules outside the catalogue, never folded. */
	if (end[r] > (r ? end[r - 1] : 0)) {
		add_line(fv, TUI_FL_RULE, r, end[r] - (r ? end[r - 1] : 0));
		for (i = r ? end[r - 1] : 0; i < end[r]; i++)
			add_line(fv, TUI_FL_FINDING, r, order[i]);
	}
	if (sc->nr_lists) {
		add_line(fv, TUI_FL_LISTS, 0, sc->nr_lists);
		for (i = 0; i < sc->nr_lists; i++)
			add_line(fv, TUI_FL_LIST, 0, i);
	}
	free(end);
	free(order);
	if (fv->cursor >= fv->nr)
		fv->cursor = fv->nr ? fv->nr - 1 : 0;
	return true;
}

static void rule_text(const struct tui_findings *fv,
		      const struct tui_fline *l, char *buf, size_t bufsz)
{
	const struct rule *rules;
	uint64_t count;
	unsigned n;

	if (l->rule >= fv->nr_rules) {
		snprintf(buf, bufsz, "- %-26s %-7s %6zu  rules outside the catalogue",
			 "(other)", "", l->idx);
		return;
	}
	rules = rules_all(&n);
	count = fv->sc->rule_count[l->rule];
	snprintf(buf, bufsz, "%s %-26s %-7s %6" PRIu64 "  %s%s",
		 fv->folded[l->rule] ? "+" : "-", rules[l->rule].id,
		 severity_name(rules[l->rule].severity), count,
		 count > l->idx ? "(first ones kept) " : "",
		 rules[l->rule].summary);
}

static void list_text(const struct lru_list *ll, char *buf, size_t bufsz)
{
	if (ll->first_pfn == TUI_NO_PFN)
		snprintf(buf, bufsz, "    head 0x%016" PRIx64 "  %-8s %8" PRIu64 " pages",
			 ll->head, lru_list_status_name(ll->status),
			 ll->length);
	else
		snprintf(buf, bufsz, "    head 0x%016" PRIx64 "  %-8s %8" PRIu64 " pages, first pfn 0x%" PRIx64,
			 ll->head, lru_list_status_name(ll->status),
			 ll->length, ll->first_pfn);
}

void tui_findings_text(const struct tui_findings *fv, size_t i, char *buf,
		       size_t bufsz)
{
	const struct tui_fline *l = &fv->lines[i];
	const struct finding *f;

	switch (l->kind) {
	case TUI_FL_RULE:
		rule_text(fv, l, buf, bufsz);
		break;
	case TUI_FL_FINDING:
		f = &fv->sc->found.findings[l->idx];
		snprintf(buf, bufsz, "    pfn 0x%-8" PRIx64 " %s", f->pfn,
			 f->message);
		break;
	case TUI_FL_LISTS:
		snprintf(buf, bufsz, "LRU lists rebuilt by the audit: %zu",
			 l->idx);
		break;
	default:
		list_text(&fv->sc->lists[l->idx], buf, bufsz);
		break;
	}
}

enum tui_role tui_findings_role(const struct tui_findings *fv, size_t i)
{
	const struct tui_fline *l = &fv->lines[i];

	switch (l->kind) {
	case TUI_FL_RULE:
		return ((l->rule < fv->nr_rules &&
			 fv->sc->rule_count[l->rule]) || l->idx) ?
		       TUI_ROLE_FINDING : TUI_ROLE_DIM;
	case TUI_FL_LISTS:
		return TUI_ROLE_TITLE;
	case TUI_FL_LIST:
		return fv->sc->lists[l->idx].status == LRU_LIST_OK ?
		       TUI_ROLE_LINK : TUI_ROLE_FINDING;
	default:
		return TUI_ROLE_NORMAL;
	}
}

uint64_t tui_findings_pfn(const struct tui_findings *fv, size_t i)
{
	const struct tui_fline *l = &fv->lines[i];

	if (l->kind == TUI_FL_FINDING)
		return fv->sc->found.findings[l->idx].pfn;
	if (l->kind == TUI_FL_LIST)
		return fv->sc->lists[l->idx].first_pfn;
	return TUI_NO_PFN;
}

bool tui_findings_fold(struct tui_findings *fv, size_t i)
{
	const struct tui_fline *l = &fv->lines[i];

	if (l->kind != TUI_FL_RULE || l->rule >= fv->nr_rules)
		return true;
	fv->folded[l->rule] = !fv->folded[l->rule];
	return tui_findings_build(fv);
}
