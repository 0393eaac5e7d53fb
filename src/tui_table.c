/* pinscan tui: the pages view's rows, their filters and their text. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "tui_table.h"
#include "util.h"

void tui_table_init(struct tui_table *t, const struct memmap *mm,
		    struct tui_pages *pages, const struct tui_scan *sc)
{
	t->mm = mm;
	t->pps = mm->pages_per_section;
	t->pages = pages;
	t->sc = sc;
}

void tui_table_free(struct tui_table *t)
{
	free(t->list);
	t->list = NULL;
	t->nr_list = t->cap_list = 0;
}

static const struct mm_section *section_at(const struct tui_table *t,
					   uint64_t i)
{
	return &t->mm->sections[i];
}

/* Global index of the first present pfn >= pfn (the total when none). */
static uint64_t glob_lower(const struct tui_table *t, uint64_t pfn)
{
	uint64_t nr = pfn / t->pps, lo = 0, hi = t->mm->nr_sections;

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (section_at(t, mid)->nr < nr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < t->mm->nr_sections && section_at(t, lo)->nr == nr)
		return lo * t->pps + pfn % t->pps;
	return lo * t->pps;
}

uint64_t tui_table_rows(const struct tui_table *t)
{
	return t->is_list ? t->nr_list : t->hi_row - t->lo_row;
}

uint64_t tui_table_pfn(const struct tui_table *t, uint64_t row)
{
	uint64_t g;

	if (t->is_list)
		return t->list[row].pfn;
	g = t->lo_row + row;
	return section_at(t, g / t->pps)->start_pfn + g % t->pps;
}

/* A list sorted by pfn: binary search. */
static uint64_t list_lower(const struct tui_table *t, uint64_t pfn)
{
	uint64_t lo = 0, hi = t->nr_list;

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (t->list[mid].pfn < pfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

uint64_t tui_table_row_of(const struct tui_table *t, uint64_t pfn,
			  bool *exact)
{
	uint64_t n = tui_table_rows(t), row;

	*exact = false;
	if (!n)
		return 0;
	if (!t->is_list) {
		uint64_t g = glob_lower(t, pfn);

		if (g < t->lo_row)
			g = t->lo_row;
		row = g - t->lo_row;
		if (row >= n)
			row = n - 1;
	} else if (t->sort == TUI_SORT_PFN) {
		row = list_lower(t, pfn);
		if (row >= n)
			row = n - 1;
	} else {
		for (row = 0; row < n && t->list[row].pfn != pfn; row++)
			;
		if (row == n)
			return 0;
	}
	*exact = tui_table_pfn(t, row) == pfn;
	return row;
}

uint64_t tui_table_cursor_pfn(const struct tui_table *t)
{
	return tui_table_rows(t) ? tui_table_pfn(t, t->cursor) : TUI_NO_PFN;
}

void tui_table_put_cursor(struct tui_table *t, uint64_t pfn)
{
	bool exact;

	t->cursor = pfn == TUI_NO_PFN ? 0 : tui_table_row_of(t, pfn, &exact);
}

static bool in_range(const struct tui_table *t, uint64_t pfn)
{
	return !t->has_range || (pfn >= t->range_lo && pfn <= t->range_hi);
}

static int cmp_rows(const void *a, const void *b, enum tui_sort key)
{
	const struct tui_row *x = a, *y = b;

	if (key == TUI_SORT_PINCOUNT && x->pincount != y->pincount)
		return x->pincount > y->pincount ? -1 : 1;
	if (key == TUI_SORT_REFCOUNT && x->refcount != y->refcount)
		return x->refcount > y->refcount ? -1 : 1;
	return x->pfn < y->pfn ? -1 : x->pfn > y->pfn;
}

static int cmp_pincount(const void *a, const void *b)
{
	return cmp_rows(a, b, TUI_SORT_PINCOUNT);
}

static int cmp_refcount(const void *a, const void *b)
{
	return cmp_rows(a, b, TUI_SORT_REFCOUNT);
}

static int cmp_pfn(const void *a, const void *b)
{
	return cmp_rows(a, b, TUI_SORT_PFN);
}

static void sort_list(struct tui_table *t)
{
	if (!t->is_list || !t->nr_list)
		return;
	qsort(t->list, t->nr_list, sizeof(*t->list),
	      t->sort == TUI_SORT_PINCOUNT ? cmp_pincount :
	      t->sort == TUI_SORT_REFCOUNT ? cmp_refcount : cmp_pfn);
}

void tui_table_sort_by(struct tui_table *t, enum tui_sort key)
{
	uint64_t keep = tui_table_cursor_pfn(t);

	t->sort = key;
	sort_list(t);
	tui_table_put_cursor(t, keep);
}

const char *tui_table_sort_name(enum tui_sort key)
{
	return key == TUI_SORT_PINCOUNT ? "pincount" :
	       key == TUI_SORT_REFCOUNT ? "refcount" : "pfn";
}

static bool add_row(struct tui_table *t, uint64_t pfn, int64_t pincount,
		    uint32_t refcount)
{
	if (!array_grow((void **)&t->list, &t->cap_list, t->nr_list,
			sizeof(*t->list)))
		return false;
	t->list[t->nr_list++] = (struct tui_row){ .pfn = pfn,
						  .pincount = pincount,
						  .refcount = refcount };
	return true;
}

/* Pinned-only and findings-only lists come from what the scan found. */
static bool list_from_scan(struct tui_table *t)
{
	const struct tui_scan *sc = t->sc;
	bool ok = true;
	size_t i;

	t->nr_list = 0;
	t->list_has_counts = t->f_pinned;
	if (t->f_pinned) {
		for (i = 0; i < sc->found.nr_pinned; i++) {
			const struct pinned_entry *e = &sc->found.pinned[i];

			if (in_range(t, e->pfn) &&
			    (!t->f_findings || tui_scan_worst(sc, e->pfn) >= 0))
				ok &= add_row(t, e->pfn, e->pincount,
					      e->refcount);
		}
	} else {
		for (i = 0; i < sc->nr_flagged; i++)
			if (in_range(t, sc->flagged[i].pfn))
				ok &= add_row(t, sc->flagged[i].pfn, 0, 0);
	}
	if (!t->list_has_counts)
		t->sort = TUI_SORT_PFN;
	sort_list(t);
	return ok;
}

/* Every present pfn in range, computed. */
static void all_rows(struct tui_table *t)
{
	t->sort = TUI_SORT_PFN;
	t->lo_row = t->has_range ? glob_lower(t, t->range_lo) : 0;
	t->hi_row = t->has_range && t->range_hi != UINT64_MAX ?
		    glob_lower(t, t->range_hi + 1) :
		    t->mm->nr_sections * t->pps;
	if (t->hi_row < t->lo_row)
		t->hi_row = t->lo_row;
}

/* The sections an expression filter reads: those the range touches. */
static void start_build(struct tui_table *t)
{
	t->list_has_counts = true;
	t->building = true;
	t->build_sec = glob_lower(t, t->has_range ? t->range_lo : 0) / t->pps;
	t->build_end = t->mm->nr_sections;
	if (t->has_range && t->range_hi != UINT64_MAX) {
		uint64_t g = glob_lower(t, t->range_hi + 1);

		t->build_end = (g + t->pps - 1) / t->pps;
	}
}

bool tui_table_rebuild(struct tui_table *t)
{
	uint64_t keep = tui_table_cursor_pfn(t);
	bool ok = true;

	t->building = false;
	t->nr_list = 0;
	t->list_from_scan = false;
	t->is_list = t->f_pinned || t->f_findings || t->has_expr;
	if (!t->is_list) {
		all_rows(t);
	} else if (!t->has_expr) {
		t->list_from_scan = true;
		ok = list_from_scan(t);
	} else {
		start_build(t);
	}
	t->top = 0;
	tui_table_put_cursor(t, keep);
	return ok;
}

bool tui_table_refresh(struct tui_table *t)
{
	uint64_t keep;
	bool ok;

	if (!t->list_from_scan)
		return true;
	keep = tui_table_cursor_pfn(t);
	ok = list_from_scan(t);
	tui_table_put_cursor(t, keep);
	return ok;
}

bool tui_table_needs_findings(const struct tui_table *t)
{
	return t->has_expr &&
	       (t->f_findings || tui_expr_uses_findings(&t->expr));
}

struct build_ctx {
	struct tui_table *t;
	bool oom;
};

/* tui_page_fn of a filter: keep the pages that pass. */
static void keep_if_match(void *arg, const struct page_state *ps, int worst)
{
	struct build_ctx *b = arg;
	struct tui_table *t = b->t;
	bool has_finding = worst >= 0 || tui_scan_worst(t->sc, ps->pfn) >= 0;

	if ((t->f_pinned && ps->pin_how == PIN_HOW_NONE) ||
	    (t->f_findings && !has_finding) ||
	    !tui_expr_match(&t->expr, ps, has_finding))
		return;
	if (!add_row(t, ps->pfn,
		     ps->pin_how == PIN_HOW_NONE ? 0 : ps->pincount,
		     ps->refcount))
		b->oom = true;
}

enum tui_build tui_table_build_step(struct tui_table *t, bool *oom,
				    struct ps_err *err)
{
	struct build_ctx b = { .t = t, .oom = false };
	uint64_t lo = t->has_range ? t->range_lo : 0;
	uint64_t hi = t->has_range ? t->range_hi : UINT64_MAX;

	*oom = false;
	if (t->build_sec >= t->build_end) {
		t->building = false;
		sort_list(t);
		return TUI_BUILD_DONE;
	}
	if (tui_pages_walk(t->pages, section_at(t, t->build_sec++), lo, hi,
			   keep_if_match, &b, err)) {
		t->building = false;
		return TUI_BUILD_STOPPED;
	}
	*oom = b.oom;
	return TUI_BUILD_MORE;
}

void tui_table_filter_text(const struct tui_table *t, char *buf,
			   size_t bufsz)
{
	size_t n = 0;

	buf[0] = '\0';
	if (t->f_pinned)
		n += (size_t)snprintf(buf + n, bufsz - n, " pinned");
	if (t->f_findings && n < bufsz)
		n += (size_t)snprintf(buf + n, bufsz - n, " findings");
	if (t->has_expr && n < bufsz)
		n += (size_t)snprintf(buf + n, bufsz - n, " '%s'", t->expr.text);
	if (t->has_range && n < bufsz)
		snprintf(buf + n, bufsz - n, " pfn 0x%" PRIx64 "-0x%" PRIx64,
			 t->range_lo, t->range_hi);
}

struct tui_columns tui_table_columns(const struct tui_table *t, int width)
{
	struct tui_columns c;
	uint64_t last = t->mm->nr_sections ?
			section_at(t, t->mm->nr_sections - 1)->start_pfn +
			t->pps - 1 : 0;
	char buf[32];

	c.pfn = snprintf(buf, sizeof(buf), "0x%" PRIx64, last);
	c.phys = snprintf(buf, sizeof(buf), "0x%" PRIx64,
			  last * t->mm->pl->page_size);
	c.long_how = width >= 100;
	c.pin = c.long_how ? 27 : 18;
	return c;
}

void tui_table_title(const struct tui_columns *c, char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, "%-*s %-*s %8s %6s %-8s %-*s %-4s %s",
		 c->pfn, "pfn", c->phys, "phys", "refcount", "mapcnt",
		 "compound", c->pin, c->pin < 26 ? "pin" :
		 "pin (how confidence count)", "lru", "flags");
}

static const char *short_how(const struct page_layout *pl, enum pin_how how)
{
	switch (how) {
	case PIN_HOW_RFC_FLAG:
		return "rfc";
	case PIN_HOW_REFCOUNT_BIAS:
		return "bias";
	case PIN_HOW_LARGE_EXACT:
		return pl->large_pin_kind == LARGE_PIN_FOLIO_PINCOUNT ? "folio" :
		       pl->large_pin_kind == LARGE_PIN_HPAGE_PINNED_REFCOUNT ?
		       "hpage" : "compound";
	default:
		return "-";
	}
}

/* The cells of a decoded page after pfn and phys. */
static void page_cells(const struct page_layout *pl,
		       const struct tui_columns *c, const struct tui_page *p,
		       char *buf, size_t bufsz)
{
	static const char *const link_name[] = { "-", "ok", "end", "BAD" };
	const struct page_state *ps = &p->ps;
	char compound[32], pin[64], flags[512];

	if (ps->head)
		snprintf(compound, sizeof(compound), ps->bad_order ? "head o?" :
			 "head o%u", ps->order);
	else
		snprintf(compound, sizeof(compound), "%s", ps->tail ? "tail" : "-");
	if (ps->pin_how == PIN_HOW_NONE)
		snprintf(pin, sizeof(pin), "-");
	else
		snprintf(pin, sizeof(pin), "%s %s %" PRId64,
			 c->long_how ? pin_how_name(pl, ps->pin_how) :
			 short_how(pl, ps->pin_how),
			 pin_confidence_name(ps->pin_confidence), ps->pincount);
	pageflags_string(&pl->pf, ps->flags, flags, sizeof(flags));
	snprintf(buf, bufsz, "%8" PRIu32 " %6" PRId32 " %-8s %-*s %-4s %s",
		 ps->refcount, ps->mapcount, compound, c->pin, pin,
		 link_name[p->lru_link & 3], flags);
}

void tui_table_row(const struct tui_table *t, const struct tui_columns *c,
		   uint64_t pfn, char *buf, size_t bufsz, enum tui_role *role)
{
	const struct page_layout *pl = t->mm->pl;
	const struct tui_page *p;
	const char *error;
	char pfn_text[32], phys[32];
	int n, worst;

	*role = TUI_ROLE_NORMAL;
	snprintf(pfn_text, sizeof(pfn_text), "0x%" PRIx64, pfn);
	snprintf(phys, sizeof(phys), "0x%" PRIx64, pfn * pl->page_size);
	n = snprintf(buf, bufsz, "%-*s %-*s ", c->pfn, pfn_text, c->phys, phys);
	if (n < 0 || (size_t)n >= bufsz)
		return;
	switch (tui_pages_get(t->pages, pfn, false, &p, &error)) {
	case TUI_PAGE_UNREADABLE:
		*role = TUI_ROLE_FINDING;
		snprintf(buf + n, bufsz - (size_t)n, "(cannot read: %s)", error);
		return;
	case TUI_PAGE_MISSING:
		*role = TUI_ROLE_DIM;
		snprintf(buf + n, bufsz - (size_t)n,
			 "(struct page missing from the dump)");
		return;
	default:
		break;
	}
	page_cells(pl, c, p, buf + n, bufsz - (size_t)n);
	/* Warnings and errors stand out; an info finding does not hide
	 * that a page is pinned. */
	worst = tui_scan_worst(t->sc, pfn);
	if (p->worst > worst)
		worst = p->worst;
	if (worst >= SEV_WARNING)
		*role = TUI_ROLE_FINDING;
	else if (p->ps.pin_how != PIN_HOW_NONE)
		*role = TUI_ROLE_PINNED;
}
