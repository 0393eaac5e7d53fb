/* pinscan tui: the views, the keys and the event loop. Two threads: the
 * UI thread reads the struct pages on screen on demand (tui_pages.c); a
 * scan thread runs scan_all() for the header counts, the pinned list and
 * the findings (tui_scan.c). Filters and searches that must look at every
 * page run in the UI thread, one section or slice per turn of the loop,
 * so that keys are read between turns (tui_table.c, tui_search.c). What
 * the views show comes from tui_table.c (pages), tui_findings.c (findings
 * by rule) and tui_detail.c (one page); this file lays it out, draws it
 * and reads the keys; tui_term.c owns the terminal and the signals. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tui.h"
#include "tui_detail.h"
#include "tui_filter.h"
#include "tui_findings.h"
#include "tui_owners.h"
#include "tui_pages.h"
#include "tui_scan.h"
#include "tui_search.h"
#include "tui_table.h"
#include "tui_term.h"
#include "util.h"

#define HISTORY_MAX 128		/* detail pages to go back through */
#define PROMPT_MAX TUI_TEXT_MAX
#define FRAME_NS 50000000ll	/* redraw at most this often while busy */
/* Owners resolved per turn for at most this long (then keys are read),
 * OWNERS_BATCH entries between looks at the clock. */
#define OWNERS_SLICE_NS 30000000ll
#define OWNERS_BATCH 16

enum view { VIEW_PAGES, VIEW_FINDINGS, VIEW_OWNERS, VIEW_DETAIL };

/* The detail view: a page's lines, the cursor in them, and the pages
 * followed to get there. */
struct detail_view {
	struct tui_detail page;
	uint64_t cursor, top;
	uint64_t history[HISTORY_MAX];
	unsigned nr_history;
	enum view back;
};

enum prompt_kind { PROMPT_NONE, PROMPT_GOTO, PROMPT_SEARCH, PROMPT_FILTER,
		   PROMPT_RANGE };

struct prompt {
	enum prompt_kind kind;
	char buf[PROMPT_MAX + 1];
	size_t len;
};

struct tui {
	struct session *s;
	struct tui_term *term;
	struct tui_pages *pages;
	struct tui_scan scan;
	struct tui_table tbl;
	struct tui_findings fv;
	struct tui_owners ov;
	struct detail_view det;

	enum view view;
	enum view owners_back;	/* where q leaves the owners view for */
	bool help;
	uint64_t help_top;
	struct prompt prompt;
	struct tui_search search;

	char msg[512];
	bool msg_error;
	bool dirty, quit;
	bool center;		/* next draw puts the cursor mid-screen */
	struct timespec last_draw;
};

static const char *const help_text[] = {
	"pinscan tui: struct pages of a dump, decoded as `pinscan scan` does",
	"",
	"Everywhere",
	"  Up/Down, j/k        move one line",
	"  PgUp/PgDn, ^B/^F    move one screen (also Space)",
	"  Home/End            first / last line",
	"  Tab                 pages <-> findings grouped by rule",
	"  o                   pins grouped by owner (task), under the kernel's",
	"                      pin accounting",
	"  g                   go to a pfn (0x1234 hex, 4660 decimal)",
	"  /  n  N             search, next match, previous match",
	"  ?                   this help        ^L  redraw",
	"  q, Esc              back; quit from the pages and findings views",
	"",
	"Pages",
	"  Enter               detail of the page under the cursor",
	"  p                   pinned pages only (toggle)",
	"  F                   pages with findings only (toggle)",
	"  f                   flag expression filter, e.g. lru&!active",
	"  r                   pfn range filter, e.g. 0x1000-0x1fff",
	"  c                   clear all filters",
	"  s                   sort a filtered list: pfn, pincount, refcount",
	"",
	"  Columns: pfn, physical address, _refcount, mapcount, compound",
	"  (head and order, or tail), pin (how, confidence, pincount), lru",
	"  (ok: both neighbours are struct pages, end: one is a list head",
	"  outside mem_map, BAD: not a kernel pointer), flags.",
	"",
	"Expressions (filter f, search /)",
	"  flag names of this kernel's enum pageflags (lru, active, dirty...),",
	"  pinned, finding, head, tail, buddy, slab, typed, and comparisons",
	"  refcount, mapcount, order, pincount, pfn with = != < <= > >=;",
	"  combine with ! & | and parentheses: pinned&!lru, refcount>=1024",
	"",
	"Detail",
	"  Enter               follow the link on the cursor line",
	"  >  <                the next / previous page on its LRU list",
	"  H  T                its compound head / first tail",
	"  q, Esc              back to where you came from",
	"",
	"Findings",
	"  Enter               detail of a finding's page; on a rule: fold",
	"  /                   search rule ids and messages",
	"",
	"Owners (o)",
	"  Enter               detail of an entry's page; on an owner: fold",
	"  /                   search owners, pfns and addresses",
	"  q, Esc              back to where you came from",
	"  An owner is a task mapping the pinned pages (pid, comm), with the",
	"  io_uring fds holding pins; entries no task maps are grouped by why.",
	"  The first line: the kernel's FOLL_PIN counters against the pins",
	"  decoded (PIN-ACCOUNTING-MISMATCH when they differ).",
};

static void set_msg(struct tui *ui, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_msg(struct tui *ui, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->msg, sizeof(ui->msg), fmt, ap);
	va_end(ap);
	ui->msg_error = error;
}

static int64_t ns_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)(now.tv_sec - t0->tv_sec) * 1000000000ll +
	       (now.tv_nsec - t0->tv_nsec);
}

static attr_t role_attr(const struct tui *ui, enum tui_role r)
{
	return tui_term_attr(ui->term, r);
}

static void rebuild_rows(struct tui *ui)
{
	if (!tui_table_rebuild(&ui->tbl))
		set_msg(ui, true, "out of memory: the list is incomplete");
}

static void rebuild_flines(struct tui *ui)
{
	if (!tui_findings_build(&ui->fv))
		set_msg(ui, true, "out of memory: findings view incomplete");
}

/* One section of an expression filter. */
static void build_step(struct tui *ui)
{
	struct ps_err err = { 0 };
	bool oom;

	switch (tui_table_build_step(&ui->tbl, &oom, &err)) {
	case TUI_BUILD_DONE:
		set_msg(ui, false, "filter: %zu pages", ui->tbl.nr_list);
		break;
	case TUI_BUILD_STOPPED:
		if (err.status == PS_ERR_NOMEM)
			set_msg(ui, true, "out of memory: filter stopped");
		else
			set_msg(ui, true, "filter stopped: %s", err.msg);
		break;
	default:
		if (oom)
			set_msg(ui, true, "out of memory: the list is incomplete");
		break;
	}
}

/* Take what the scan thread handed over since last time, and refresh
 * the views built from it. */
static void pull_scan(struct tui *ui)
{
	struct tui_scan_news news = tui_scan_pull(&ui->scan);

	if (!news.changed)
		return;
	if (news.index_oom)
		set_msg(ui, true, "out of memory: findings index incomplete");
	if (news.findings)
		rebuild_flines(ui);
	/* Why the scan stopped, or why what it found is incomplete. */
	if (news.finished && ui->scan.error[0])
		set_msg(ui, true, "%s", ui->scan.error);
	if ((news.grew || news.finished) && !tui_table_refresh(&ui->tbl))
		set_msg(ui, true, "out of memory: the list is incomplete");
	/* An expression filter built before the scan knew every page's
	 * cross-page findings is built again now that it does. */
	if (news.finished && tui_table_needs_findings(&ui->tbl))
		rebuild_rows(ui);
	ui->dirty = true;
}

/* tui_search_match_fn of the current view. */
static bool search_match(void *arg, const struct tui_search *se, uint64_t row)
{
	struct tui *ui = arg;
	char buf[TUI_DLINE_MAX + 64];

	if (ui->view == VIEW_PAGES) {
		uint64_t pfn = tui_table_pfn(&ui->tbl, row);
		const struct tui_page *p;
		const char *error;

		return tui_pages_get(ui->pages, pfn, true, &p, &error) ==
		       TUI_PAGE_OK &&
		       tui_expr_match(&se->expr, &p->ps, p->worst >= 0 ||
				      tui_scan_worst(&ui->scan, pfn) >= 0);
	}
	if (ui->view == VIEW_FINDINGS)
		tui_findings_text(&ui->fv, row, buf, sizeof(buf));
	else if (ui->view == VIEW_OWNERS)
		tui_owners_text(&ui->ov, row, buf, sizeof(buf));
	else
		snprintf(buf, sizeof(buf), "%s", ui->det.page.lines[row].text);
	return strcasestr(buf, se->needle) != NULL;
}

static uint64_t view_rows(const struct tui *ui)
{
	switch (ui->view) {
	case VIEW_PAGES:
		return tui_table_rows(&ui->tbl);
	case VIEW_FINDINGS:
		return ui->fv.nr;
	case VIEW_OWNERS:
		return ui->ov.nr;
	default:
		return ui->det.page.nr;
	}
}

static uint64_t *view_cursor(struct tui *ui)
{
	switch (ui->view) {
	case VIEW_PAGES:
		return &ui->tbl.cursor;
	case VIEW_FINDINGS:
		return &ui->fv.cursor;
	case VIEW_OWNERS:
		return &ui->ov.cursor;
	default:
		return &ui->det.cursor;
	}
}

static void search_step(struct tui *ui)
{
	struct tui_search *se = &ui->search;

	switch (tui_search_step(se, view_rows(ui), search_match, ui)) {
	case TUI_SEARCH_FOUND:
		*view_cursor(ui) = se->row;
		ui->center = true;
		if (se->wrapped)
			set_msg(ui, false, "search wrapped: '%s'",
				tui_search_what(se));
		else
			ui->msg[0] = '\0';
		break;
	case TUI_SEARCH_NO_MATCH:
		set_msg(ui, true, "no match for '%s'", tui_search_what(se));
		break;
	default:
		break;
	}
}

/* Start (or repeat, with text NULL) a search from the row after the
 * cursor, in direction dir. */
static void search_start(struct tui *ui, const char *text, int dir)
{
	struct tui_search *se = &ui->search;
	uint64_t n = view_rows(ui);
	bool is_text = ui->view != VIEW_PAGES;
	char msg[256];

	if (text) {
		if (!tui_search_set(se, text, is_text, &ui->s->pl, msg,
				    sizeof(msg))) {
			set_msg(ui, true, "search: %s", msg);
			return;
		}
	} else if (!se->needle[0] || se->text != is_text) {
		set_msg(ui, true, "no search yet: / to start one");
		return;
	}
	if (!n) {
		set_msg(ui, true, "nothing to search");
		return;
	}
	tui_search_begin(se, n, *view_cursor(ui), dir);
	set_msg(ui, false, "searching '%s'...", se->needle);
}

static void show_detail(struct tui *ui, uint64_t pfn)
{
	struct detail_view *d = &ui->det;

	tui_detail_build(&d->page, pfn, ui->scan.found.findings,
			 ui->scan.found.nr_findings);
	d->cursor = d->top = 0;
}

static void open_detail(struct tui *ui, uint64_t pfn, bool push)
{
	struct detail_view *d = &ui->det;

	if (ui->view != VIEW_DETAIL) {
		d->back = ui->view;
		d->nr_history = 0;
	} else if (push) {
		if (d->nr_history == HISTORY_MAX) {
			memmove(d->history, d->history + 1,
				(HISTORY_MAX - 1) * sizeof(d->history[0]));
			d->nr_history--;
		}
		d->history[d->nr_history++] = d->page.pfn;
	}
	ui->view = VIEW_DETAIL;
	show_detail(ui, pfn);
	ui->search.active = false;
}

static void follow(struct tui *ui, uint64_t pfn, const char *what)
{
	if (pfn == TUI_NO_PFN) {
		set_msg(ui, true, "no %s to follow here", what);
		return;
	}
	open_detail(ui, pfn, true);
}

/* Print text on line y, cut at the screen's width; a background attribute
 * fills the whole line. */
/* Characters, not bytes, of UTF-8 text: where the cursor goes. */
static size_t utf8_chars(const char *text)
{
	size_t n = 0;

	for (; *text; text++)
		n += ((unsigned char)*text & 0xc0) != 0x80;
	return n;
}

/* Code point c as UTF-8 into out (4 bytes); its length, 0 if invalid. */
static size_t utf8_encode(uint32_t c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | c >> 6);
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		if (c >= 0xd800 && c < 0xe000)
			return 0;
		out[0] = (char)(0xe0 | c >> 12);
		out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	if (c < 0x110000) {
		out[0] = (char)(0xf0 | c >> 18);
		out[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		out[2] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[3] = (char)(0x80 | (c & 0x3f));
		return 4;
	}
	return 0;
}

static void put_line(int y, attr_t attr, const char *text)
{
	attrset(attr);
	mvhline(y, 0, ' ', COLS);
	mvaddnstr(y, 0, text, COLS);
	attrset(A_NORMAL);
}

static void fmt_count(char *buf, size_t bufsz, uint64_t n)
{
	snprintf(buf, bufsz, "%" PRIu64, n);
}

/* The kernel's pin count against the decoded, once the scan has finished:
 * " | kernel pins 1046, decoded 1046" (short: " | pins 1046=1046"), "!="
 * when they differ; "" before, or when the counters were not read. */
static void header_accounting(const struct tui_scan *sc, bool shorter,
			      char *buf, size_t bufsz)
{
	int64_t outstanding = sc->acct.acquired - sc->acct.released;
	int64_t decoded = sc->sum.decoded.total;

	buf[0] = '\0';
	if (!sc->acct_read || sc->acct.state != PIN_ACCT_READ)
		return;
	if (shorter)
		snprintf(buf, bufsz, " | pins %" PRId64 "%s%" PRId64, outstanding,
			 outstanding == decoded ? "=" : "!=", decoded);
	else
		snprintf(buf, bufsz, " | kernel pins %" PRId64 ", decoded %" PRId64 "%s",
			 outstanding, decoded,
			 outstanding == decoded ? "" : " (mismatch)");
}

/* The header's second line: what the scan found, or why there is no
 * scan; shorter forms when the long one does not fit. */
static void header_counts(const struct tui *ui, char *line, size_t linesz)
{
	const struct tui_scan *sc = &ui->scan;
	char a[32], b[32], c[32], acct[96], acct_short[64];
	int n;

	fmt_count(a, sizeof(a), sc->sum.pages);
	fmt_count(b, sizeof(b), sc->sum.pinned_pages);
	fmt_count(c, sizeof(c), sc->sum.pinned_entries);
	header_accounting(sc, false, acct, sizeof(acct));
	header_accounting(sc, true, acct_short, sizeof(acct_short));
	if (!sc->started) {
		fmt_text(line, linesz, " %s", sc->error);
		return;
	}
	n = snprintf(line, linesz,
		     " pages %s%s, missing %" PRIu64 " | pinned %s pages (%s entries) | findings %" PRIu64,
		     a, sc->finished ? "" : " so far",
		     sc->sum.missing, b, c, sc->total_findings);
	if (sc->total_findings)
		n += snprintf(line + n, linesz - (size_t)n,
			      ": %" PRIu64 " error, %" PRIu64 " warning, %" PRIu64 " info",
			      sc->by_severity[SEV_ERROR],
			      sc->by_severity[SEV_WARNING],
			      sc->by_severity[SEV_INFO]);
	if ((size_t)n + strlen(acct) <= (size_t)COLS) {
		snprintf(line + n, linesz - (size_t)n, "%s", acct);
		return;
	}
	if ((size_t)n + strlen(acct_short) <= (size_t)COLS) {
		snprintf(line + n, linesz - (size_t)n, "%s", acct_short);
		return;
	}
	snprintf(line, linesz,
		 " pages %s%s, %" PRIu64 " missing | pinned %s (%s) | findings %" PRIu64 ": %" PRIu64 " err %" PRIu64 " warn %" PRIu64 " info%s",
		 a, sc->finished ? "" : "+", sc->sum.missing, b, c,
		 sc->total_findings, sc->by_severity[SEV_ERROR],
		 sc->by_severity[SEV_WARNING], sc->by_severity[SEV_INFO],
		 acct_short);
}

static void draw_header(struct tui *ui)
{
	const struct target *t = &ui->s->t;
	char line[512];
	const char *path = t->path;
	size_t room;
	int n;

	n = snprintf(line, sizeof(line), " pinscan | kernel %s | ", t->release);
	/* " (format)" and "..." must fit after the path. */
	room = (size_t)COLS > (size_t)n + strlen(t->format) + 9 + 8 ?
	       (size_t)COLS - (size_t)n - strlen(t->format) - 9 : 8;
	if (strlen(path) > room)
		path += strlen(path) - room;
	snprintf(line + n, sizeof(line) - (size_t)n, "%s%s (%s)",
		 path != t->path ? "..." : "", path, t->format);
	put_line(0, role_attr(ui, TUI_ROLE_HEADER), line);
	header_counts(ui, line, sizeof(line));
	put_line(1, A_NORMAL, line);
}

static void draw_bar(struct tui *ui)
{
	const struct tui_table *t = &ui->tbl;
	uint64_t rows = tui_table_rows(t);
	char line[512], flt[256], at[32] = "-";

	if (ui->help) {
		snprintf(line, sizeof(line), "Help");
	} else if (ui->view == VIEW_PAGES) {
		tui_table_filter_text(t, flt, sizeof(flt));
		if (rows)
			snprintf(at, sizeof(at), "0x%" PRIx64,
				 tui_table_cursor_pfn(t));
		snprintf(line, sizeof(line), "Pages: %s%s | row %" PRIu64 " of %" PRIu64 "%s | pfn %s | sort %s",
			 flt[0] ? "filter" : "all", flt,
			 rows ? t->cursor + 1 : 0, rows,
			 t->building || (t->list_from_scan && !ui->scan.finished) ?
			 " so far" : "", at, tui_table_sort_name(t->sort));
	} else if (ui->view == VIEW_OWNERS) {
		snprintf(line, sizeof(line), "Pins by owner: %zu groups, %zu of %zu entries resolved%s",
			 ui->ov.groups.n, ui->ov.nr_entries,
			 ui->scan.found.nr_pinned,
			 ui->scan.finished ? "" : " so far");
	} else if (ui->view == VIEW_FINDINGS) {
		snprintf(line, sizeof(line), "Findings by rule: %zu findings on %zu pages%s",
			 ui->scan.found.nr_findings, ui->scan.nr_flagged,
			 ui->scan.finished ? "" : " so far");
	} else {
		snprintf(line, sizeof(line), "Page 0x%" PRIx64 " | back: q (%u)",
			 ui->det.page.pfn, ui->det.nr_history);
	}
	put_line(2, role_attr(ui, TUI_ROLE_TITLE), line);
}

/* Keep the cursor on screen, scrolling as little as possible; after a
 * jump (center), mid-screen with context above and below. */
static void clamp_view(struct tui *ui, uint64_t *cursor, uint64_t *top,
		       uint64_t n, int h)
{
	if (h < 1)
		h = 1;
	if (!n) {
		*cursor = *top = 0;
		return;
	}
	if (*cursor >= n)
		*cursor = n - 1;
	if (ui->center)
		*top = *cursor > (uint64_t)h / 2 ? *cursor - (uint64_t)h / 2 : 0;
	ui->center = false;
	if (*cursor < *top)
		*top = *cursor;
	if (*cursor >= *top + (uint64_t)h)
		*top = *cursor - (uint64_t)h + 1;
	if (*top + (uint64_t)h > n)
		*top = n > (uint64_t)h ? n - (uint64_t)h : 0;
}

static void draw_table(struct tui *ui, int y0, int h)
{
	struct tui_table *t = &ui->tbl;
	struct tui_columns c = tui_table_columns(t, COLS);
	uint64_t n = tui_table_rows(t), r;
	char line[1024];
	int y;

	tui_table_title(&c, line, sizeof(line));
	put_line(y0, role_attr(ui, TUI_ROLE_DIM) | A_BOLD, line);
	y0++;
	h--;
	clamp_view(ui, &t->cursor, &t->top, n, h);
	if (!n) {
		put_line(y0, A_NORMAL, t->building ? "  (filtering...)" :
			 "  (no pages match: c clears the filters)");
		return;
	}
	for (y = 0, r = t->top; y < h && r < n; y++, r++) {
		enum tui_role role;
		attr_t a;

		tui_table_row(t, &c, tui_table_pfn(t, r), line, sizeof(line),
			      &role);
		a = role_attr(ui, role);
		if (r == t->cursor)
			a = (a & ~A_UNDERLINE) | A_REVERSE;
		put_line(y0 + y, a, line);
	}
}

static void draw_findings(struct tui *ui, int y0, int h)
{
	struct tui_findings *fv = &ui->fv;
	char line[512];
	uint64_t r;
	int y;

	clamp_view(ui, &fv->cursor, &fv->top, fv->nr, h);
	if (!fv->nr) {
		put_line(y0, A_NORMAL, "  (no rules)");
		return;
	}
	for (y = 0, r = fv->top; y < h && r < fv->nr; y++, r++) {
		attr_t a = role_attr(ui, tui_findings_role(fv, r));

		tui_findings_text(fv, r, line, sizeof(line));
		if (r == fv->cursor)
			a = (a & ~A_UNDERLINE) | A_REVERSE;
		put_line(y0 + y, a, line);
	}
}

static void draw_owners(struct tui *ui, int y0, int h)
{
	struct tui_owners *ov = &ui->ov;
	char line[512];
	uint64_t r;
	int y;

	clamp_view(ui, &ov->cursor, &ov->top, ov->nr, h);
	for (y = 0, r = ov->top; y < h && r < ov->nr; y++, r++) {
		attr_t a = role_attr(ui, tui_owners_role(ov, r));

		tui_owners_text(ov, r, line, sizeof(line));
		if (r == ov->cursor)
			a = (a & ~A_UNDERLINE) | A_REVERSE;
		put_line(y0 + y, a, line);
	}
	if (ov->error[0] && y < h)
		put_line(y0 + y, role_attr(ui, TUI_ROLE_ERROR), ov->error);
	else if (!ui->scan.found.nr_pinned && y < h)
		put_line(y0 + y, A_NORMAL, ui->scan.finished ?
			 "  (no pinned pages)" : "  (no pinned pages so far)");
}

static void draw_detail(struct tui *ui, int y0, int h)
{
	struct detail_view *d = &ui->det;
	const struct tui_dline *lines = d->page.lines;
	uint64_t r;
	int y;

	clamp_view(ui, &d->cursor, &d->top, d->page.nr, h);
	for (y = 0, r = d->top; y < h && r < d->page.nr; y++, r++) {
		attr_t a = role_attr(ui, lines[r].role);

		if (r == d->cursor)
			a = (a & ~A_UNDERLINE) | A_REVERSE;
		put_line(y0 + y, a, lines[r].text);
	}
}

/* The session's first warning on one line, saying how many more there
 * are (the scan report lists every one); "" when there is none. */
static void warnings_line(const struct session *s, char *buf, size_t bufsz,
			  const char *indent)
{
	unsigned n = ps_warnings_count(&s->warnings);
	char first[PS_WARNING_LEN + 32];

	if (!n) {
		fmt_text(buf, bufsz, "%s", indent);
		return;
	}
	ps_warning_text(&s->warnings, 0, first, sizeof(first));
	if (n == 1)
		fmt_text(buf, bufsz, "%swarning: %s", indent, first);
	else
		fmt_text(buf, bufsz, "%swarning: %s (and %u more: pinscan scan lists them)",
			 indent, first, n - 1);
}

static void draw_help(struct tui *ui, int y0, int h)
{
	const struct session *s = ui->s;
	size_t n = sizeof(help_text) / sizeof(help_text[0]);
	char about[4][640];	/* a layout source is up to 512 */
	uint64_t total = n + 5, r;
	int y;

	snprintf(about[0], sizeof(about[0]), "This dump: %s (%s), kernel %s",
		 s->t.path, s->t.format, s->t.release);
	snprintf(about[1], sizeof(about[1]), "  layout: %s", s->pl.source);
	snprintf(about[2], sizeof(about[2]), "  pins recorded by %s%s%s",
		 pin_scheme_name(s->pl.pin_scheme),
		 s->pl.pin_scheme == PIN_SCHEME_FOLL ? ", large folios: " : "",
		 s->pl.pin_scheme == PIN_SCHEME_FOLL ?
		 large_pin_how(s->pl.large_pin_kind) : "");
	warnings_line(s, about[3], sizeof(about[3]), "  ");
	if (ui->help_top + (uint64_t)h > total)
		ui->help_top = total > (uint64_t)h ? total - (uint64_t)h : 0;
	for (y = 0, r = ui->help_top; y < h && r < total; y++, r++) {
		if (r < n)
			put_line(y0 + y, r && help_text[r][0] != ' ' && help_text[r][0] ?
				 role_attr(ui, TUI_ROLE_TITLE) : A_NORMAL, help_text[r]);
		else if (r == n)
			put_line(y0 + y, A_NORMAL, "");
		else
			put_line(y0 + y, r == n + 1 ? role_attr(ui, TUI_ROLE_TITLE) :
				 A_NORMAL, about[r - n - 1]);
	}
}

static const char *hints(const struct tui *ui)
{
	if (ui->help)
		return "q/Esc/?: close help  Up/Down/PgUp/PgDn: scroll";
	switch (ui->view) {
	case VIEW_PAGES:
		return COLS >= 100 ?
		       "?:help Enter:detail g:goto /:search p:pinned F:findings f:flags r:range s:sort o:owners Tab q:quit" :
		       "?:help Enter:detail g:goto /:search p:pinned F:findings f:flags q:quit";
	case VIEW_FINDINGS:
		return "?:help Enter:open/fold /:search g:goto o:owners Tab:pages q:quit";
	case VIEW_OWNERS:
		return "?:help Enter:open/fold /:search g:goto Tab:pages q:back";
	default:
		return COLS >= 100 ?
		       "?:help Enter:follow >:next <:prev H:head T:tail g:goto /:search q:back" :
		       "?:help Enter:follow >:next <:prev H:head T:tail q:back";
	}
}

/* What runs behind the screen, for the right end of the status line:
 * "scanning 42%", "filtering 10%", "searching", or nothing. */
static void activity(const struct tui *ui, char *buf, size_t bufsz)
{
	size_t n = 0;

	buf[0] = '\0';
	if (ui->scan.started && !ui->scan.finished && ui->scan.done &&
	    ui->scan.done == ui->scan.total)
		n += (size_t)snprintf(buf + n, bufsz - n, " scanning: LRU lists");
	else if (ui->scan.started && !ui->scan.finished)
		n += (size_t)snprintf(buf + n, bufsz - n, " scanning %" PRIu64 "%%",
				      ui->scan.total ? ui->scan.done * 100 /
				      ui->scan.total : 0);
	if (ui->tbl.building && n < bufsz)
		n += (size_t)snprintf(buf + n, bufsz - n, "%s filtering %" PRIu64 "%%",
				      n ? "," : "", ui->tbl.build_end ?
				      ui->tbl.build_sec * 100 / ui->tbl.build_end : 0);
	if (tui_owners_busy(&ui->ov) && n < bufsz)
		n += (size_t)snprintf(buf + n, bufsz - n, "%s owners %zu/%zu",
				      n ? "," : "", ui->ov.nr_entries,
				      ui->scan.found.nr_pinned);
	if (ui->search.active && n < bufsz)
		n += (size_t)snprintf(buf + n, bufsz - n, "%s searching",
				      n ? "," : "");
	if (n && n + 1 < bufsz)
		strcat(buf, " ");
}

static void draw_status(struct tui *ui)
{
	char right[64] = "", line[1024];
	int y = LINES - 1, rl;

	if (ui->prompt.kind != PROMPT_NONE) {
		static const char *const label[] = {
			"", "go to pfn: ", "search: ", "flag filter (empty clears): ",
			"pfn range, e.g. 0x1000-0x1fff (empty clears): ",
		};

		int at;

		snprintf(line, sizeof(line), "%s%s", label[ui->prompt.kind],
			 ui->prompt.buf);
		put_line(y, A_NORMAL, line);
		at = (int)utf8_chars(line);
		move(y, at < COLS ? at : COLS - 1);
		return;
	}
	activity(ui, right, sizeof(right));
	put_line(y, role_attr(ui, ui->msg[0] && ui->msg_error ? TUI_ROLE_ERROR :
			      TUI_ROLE_STATUS), ui->msg[0] ? ui->msg : hints(ui));
	rl = (int)strlen(right);
	if (rl && rl < COLS) {
		attrset(role_attr(ui, TUI_ROLE_HEADER));
		mvaddstr(y, COLS - rl, right);
		attrset(A_NORMAL);
	}
}

static void draw(struct tui *ui)
{
	int h = LINES - 4;

	erase();
	if (LINES < 8 || COLS < 40) {
		mvaddstr(0, 0, "terminal too small for pinscan tui");
		refresh();
		return;
	}
	draw_header(ui);
	draw_bar(ui);
	if (ui->help)
		draw_help(ui, 3, h);
	else if (ui->view == VIEW_PAGES)
		draw_table(ui, 3, h);
	else if (ui->view == VIEW_FINDINGS)
		draw_findings(ui, 3, h);
	else if (ui->view == VIEW_OWNERS)
		draw_owners(ui, 3, h);
	else
		draw_detail(ui, 3, h);
	draw_status(ui);
	curs_set(ui->prompt.kind != PROMPT_NONE);
	refresh();
	clock_gettime(CLOCK_MONOTONIC, &ui->last_draw);
}

/* Height of the list area of the current view. */
static int list_height(const struct tui *ui)
{
	int h = LINES - 4 - (ui->view == VIEW_PAGES && !ui->help);

	return h > 1 ? h : 1;
}

/* Cursor movement shared by every view; false when key is not one. */
static bool navigate(uint64_t *cursor, uint64_t n, int h, int key)
{
	uint64_t page = (uint64_t)(h > 1 ? h : 1);

	switch (key) {
	case KEY_UP:
	case 'k':
		if (*cursor)
			(*cursor)--;
		return true;
	case KEY_DOWN:
	case 'j':
		if (*cursor + 1 < n)
			(*cursor)++;
		return true;
	case KEY_PPAGE:
	case 2:		/* ^B */
		*cursor = *cursor > page ? *cursor - page : 0;
		return true;
	case KEY_NPAGE:
	case 6:		/* ^F */
	case ' ':
		*cursor = n && *cursor + page < n ? *cursor + page :
			  n ? n - 1 : 0;
		return true;
	case KEY_HOME:
		*cursor = 0;
		return true;
	case KEY_END:
		*cursor = n ? n - 1 : 0;
		return true;
	default:
		return false;
	}
}

static void set_range(struct tui *ui, const char *text)
{
	struct tui_table *t = &ui->tbl;
	uint64_t lo, hi;
	char msg[256];

	if (!tui_parse_range(text, &lo, &hi, msg, sizeof(msg))) {
		set_msg(ui, true, "%s", msg);
		return;
	}
	t->has_range = true;
	t->range_lo = lo;
	t->range_hi = hi;
	rebuild_rows(ui);
}

static void go_to_pfn(struct tui *ui, const char *text)
{
	uint64_t pfn;
	bool exact;

	if (!tui_parse_pfn(text, &pfn)) {
		set_msg(ui, true, "not a pfn: '%s'", text);
		return;
	}
	if (ui->view == VIEW_DETAIL) {
		open_detail(ui, pfn, true);
		return;
	}
	ui->view = VIEW_PAGES;
	ui->tbl.cursor = tui_table_row_of(&ui->tbl, pfn, &exact);
	ui->center = true;
	if (!tui_table_rows(&ui->tbl))
		set_msg(ui, true, "no pages in this list");
	else if (!exact && !memmap_find(&ui->s->mm, pfn))
		set_msg(ui, true, "pfn 0x%" PRIx64 " is in no present section; nearest 0x%" PRIx64,
			pfn, tui_table_cursor_pfn(&ui->tbl));
	else if (!exact)
		set_msg(ui, true, "pfn 0x%" PRIx64 " is not in this list; nearest 0x%" PRIx64,
			pfn, tui_table_cursor_pfn(&ui->tbl));
}

static void prompt_submit(struct tui *ui)
{
	struct tui_table *t = &ui->tbl;
	enum prompt_kind kind = ui->prompt.kind;
	const char *text = ui->prompt.buf;
	char msg[256];

	ui->prompt.kind = PROMPT_NONE;
	ui->msg[0] = '\0';
	switch (kind) {
	case PROMPT_GOTO:
		go_to_pfn(ui, text);
		break;
	case PROMPT_SEARCH:
		if (text[0])
			search_start(ui, text, +1);
		break;
	case PROMPT_FILTER:
		if (!text[0]) {
			t->has_expr = false;
		} else if (!tui_expr_parse(&t->expr, text, &ui->s->pl, msg,
					   sizeof(msg))) {
			set_msg(ui, true, "filter: %s", msg);
			return;
		} else {
			t->has_expr = true;
		}
		rebuild_rows(ui);
		break;
	case PROMPT_RANGE:
		if (!text[0]) {
			t->has_range = false;
			rebuild_rows(ui);
		} else {
			set_range(ui, text);
		}
		break;
	default:
		break;
	}
}

static void prompt_append(struct prompt *p, const char *text, size_t n)
{
	if (!n || p->len + n > PROMPT_MAX)
		return;
	memcpy(p->buf + p->len, text, n);
	p->len += n;
	p->buf[p->len] = '\0';
}

/* A character beyond ASCII at a prompt. Text pasted from a page or a
 * document may hold the full-width forms of ASCII (U+FF01..U+FF5E) or a
 * no-break space: they are read as the ASCII they stand for; zero-width
 * ones, invisible, are passed over. Anything else is kept as it came, so
 * that the prompt and the answer to Enter show what arrived, never an
 * empty prompt. */
static void prompt_char(struct tui *ui, uint32_t c)
{
	char utf8[4];

	if (c >= 0xff01 && c <= 0xff5e)
		c = c - 0xff01 + 0x21;
	else if (c == 0xa0 || c == 0x3000)
		c = ' ';
	else if ((c >= 0x200b && c <= 0x200d) || c == 0x2060 || c == 0xfeff)
		return;
	else if (c < 0xa0)
		return;		/* C1 controls */
	prompt_append(&ui->prompt, utf8, utf8_encode(c, utf8));
}

static void prompt_key(struct tui *ui, int key)
{
	struct prompt *p = &ui->prompt;

	switch (key) {
	case 27:
		p->kind = PROMPT_NONE;
		break;
	case '\n':
	case '\r':
	case KEY_ENTER:
		prompt_submit(ui);
		break;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		/* A whole character: its UTF-8 continuation bytes too. */
		while (p->len && ((unsigned char)p->buf[p->len - 1] & 0xc0) == 0x80)
			p->len--;
		if (p->len)
			p->len--;
		p->buf[p->len] = '\0';
		break;
	case 21:	/* ^U */
		p->len = 0;
		p->buf[0] = '\0';
		break;
	default:
		if (key >= 32 && key < 127) {
			char c = (char)key;

			prompt_append(p, &c, 1);
		}
		break;
	}
}

static void open_prompt(struct tui *ui, enum prompt_kind kind,
			const char *initial)
{
	ui->prompt.kind = kind;
	snprintf(ui->prompt.buf, sizeof(ui->prompt.buf), "%s", initial);
	ui->prompt.len = strlen(ui->prompt.buf);
	ui->msg[0] = '\0';
}

/* s: pfn, then pincount, then refcount, of a list that has them. */
static void next_sort(struct tui *ui)
{
	struct tui_table *t = &ui->tbl;

	if (!t->is_list || !t->list_has_counts) {
		set_msg(ui, true, "sorting is for pinned (p) or flag (f) lists");
		return;
	}
	if (t->building) {
		set_msg(ui, true, "the list is still being built");
		return;
	}
	tui_table_sort_by(t, t->sort == TUI_SORT_PFN ? TUI_SORT_PINCOUNT :
			  t->sort == TUI_SORT_PINCOUNT ? TUI_SORT_REFCOUNT :
			  TUI_SORT_PFN);
	set_msg(ui, false, "sorted by %s", tui_table_sort_name(t->sort));
}

static void pages_key(struct tui *ui, int key)
{
	struct tui_table *t = &ui->tbl;

	switch (key) {
	case '\n':
	case '\r':
	case KEY_ENTER:
		if (tui_table_rows(t))
			open_detail(ui, tui_table_cursor_pfn(t), false);
		break;
	case 'p':
		t->f_pinned = !t->f_pinned;
		rebuild_rows(ui);
		break;
	case 'F':
		t->f_findings = !t->f_findings;
		rebuild_rows(ui);
		break;
	case 'f':
		open_prompt(ui, PROMPT_FILTER, t->has_expr ? t->expr.text : "");
		break;
	case 'r':
		open_prompt(ui, PROMPT_RANGE, "");
		break;
	case 'c':
		t->f_pinned = t->f_findings = t->has_expr = t->has_range = false;
		rebuild_rows(ui);
		break;
	case 's':
		next_sort(ui);
		break;
	default:
		break;
	}
}

static void findings_key(struct tui *ui, int key)
{
	struct tui_findings *fv = &ui->fv;
	uint64_t pfn;

	if (key != '\n' && key != '\r' && key != KEY_ENTER)
		return;
	if (!fv->nr)
		return;
	pfn = tui_findings_pfn(fv, fv->cursor);
	if (pfn != TUI_NO_PFN)
		open_detail(ui, pfn, false);
	else if (!tui_findings_fold(fv, fv->cursor))
		set_msg(ui, true, "out of memory: findings view incomplete");
}

static void owners_key(struct tui *ui, int key)
{
	struct tui_owners *ov = &ui->ov;
	uint64_t pfn;

	if (key != '\n' && key != '\r' && key != KEY_ENTER)
		return;
	if (!ov->nr)
		return;
	pfn = tui_owners_pfn(ov, ov->cursor);
	if (pfn != TUI_NO_PFN)
		open_detail(ui, pfn, false);
	else
		tui_owners_fold(ov, ov->cursor);
}

/* One slice of owners resolved, the view built again from them. */
static void owners_step(struct tui *ui)
{
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (tui_owners_resolve(&ui->ov, OWNERS_BATCH) &&
	       ns_since(&t0) < OWNERS_SLICE_NS)
		;
	tui_owners_build(&ui->ov);
	if (ui->view == VIEW_OWNERS)
		ui->dirty = true;
}

/* o: the owners view, resolving owners from now on. */
static void open_owners(struct tui *ui)
{
	if (ui->view == VIEW_OWNERS)
		return;
	ui->owners_back = ui->view;
	ui->view = VIEW_OWNERS;
	ui->search.active = false;
	owners_step(ui);
}

static void detail_key(struct tui *ui, int key)
{
	struct detail_view *dv = &ui->det;
	const struct tui_detail *d = &dv->page;

	switch (key) {
	case '\n':
	case '\r':
	case KEY_ENTER:
		if (d->nr && d->lines[dv->cursor].link != TUI_NO_PFN)
			follow(ui, d->lines[dv->cursor].link, "link");
		else
			set_msg(ui, true, "no link on this line");
		break;
	case '>':
		follow(ui, d->next_pfn, "next LRU page");
		break;
	case '<':
		follow(ui, d->prev_pfn, "previous LRU page");
		break;
	case 'H':
		follow(ui, d->head_pfn, "head");
		break;
	case 'T':
		follow(ui, d->tail_pfn, "tail");
		break;
	default:
		break;
	}
}

/* q and Esc: close what is open, or quit. */
static void back(struct tui *ui)
{
	struct detail_view *d = &ui->det;

	ui->search.active = false;
	if (ui->help) {
		ui->help = false;
	} else if (ui->view == VIEW_DETAIL && d->nr_history) {
		show_detail(ui, d->history[--d->nr_history]);
	} else if (ui->view == VIEW_DETAIL) {
		ui->view = d->back;
	} else if (ui->view == VIEW_OWNERS) {
		ui->view = ui->owners_back;
	} else {
		ui->quit = true;
	}
}

static void help_key(struct tui *ui, int key)
{
	uint64_t total = sizeof(help_text) / sizeof(help_text[0]) + 5;

	if (key == '?')
		ui->help = false;
	else
		navigate(&ui->help_top, total, list_height(ui), key);
}

/* Keys every view has; false when key is not one. */
static bool common_key(struct tui *ui, int key)
{
	switch (key) {
	case '?':
		ui->help = true;
		ui->help_top = 0;
		return true;
	case '\t':
		if (ui->view == VIEW_DETAIL)
			ui->view = ui->det.back;
		ui->view = ui->view == VIEW_PAGES ? VIEW_FINDINGS : VIEW_PAGES;
		ui->search.active = false;
		return true;
	case 'g':
		open_prompt(ui, PROMPT_GOTO, "");
		return true;
	case 'o':
		open_owners(ui);
		return true;
	case '/':
		open_prompt(ui, PROMPT_SEARCH, "");
		return true;
	case 'n':
	case 'N':
		search_start(ui, NULL, key == 'n' ? +1 : -1);
		return true;
	default:
		return false;
	}
}

static void handle_key(struct tui *ui, int key)
{
	if (key == KEY_RESIZE || key == 12) {	/* ^L */
		clearok(curscr, TRUE);
		return;
	}
	if (ui->prompt.kind != PROMPT_NONE) {
		prompt_key(ui, key);
		return;
	}
	if (key != 'n' && key != 'N')
		ui->msg[0] = '\0';
	if (ui->search.active && key == 27) {
		ui->search.active = false;
		set_msg(ui, false, "search cancelled");
		return;
	}
	if (key == 'q' || key == 27) {
		back(ui);
		return;
	}
	if (ui->help) {
		help_key(ui, key);
		return;
	}
	if (navigate(view_cursor(ui), view_rows(ui), list_height(ui), key) ||
	    common_key(ui, key))
		return;
	if (ui->view == VIEW_PAGES)
		pages_key(ui, key);
	else if (ui->view == VIEW_FINDINGS)
		findings_key(ui, key);
	else if (ui->view == VIEW_OWNERS)
		owners_key(ui, key);
	else
		detail_key(ui, key);
}

static enum ps_status ui_init(struct tui *ui, struct session *s,
			      struct tui_term *term, struct ps_err *err)
{
	enum ps_status st;

	ui->s = s;
	ui->term = term;
	if (!s->mm.pages_per_section || !s->mm.nr_sections)
		return ps_fail(err, PS_ERR_NODATA,
			       "%s: no present memory section with a mem_map",
			       s->t.path);
	st = tui_pages_open(&ui->pages, &s->mm, err);
	if (!st)
		st = tui_findings_init(&ui->fv, &ui->scan, err);
	if (st)
		return st;
	tui_table_init(&ui->tbl, &s->mm, ui->pages, &ui->scan);
	tui_detail_init(&ui->det.page, s, ui->pages);
	tui_owners_init(&ui->ov, s, &ui->scan);
	ui->view = VIEW_PAGES;
	ui->det.back = VIEW_PAGES;
	rebuild_rows(ui);
	rebuild_flines(ui);
	if (s->warnings.n) {
		char line[PS_WARNING_LEN + 96];

		warnings_line(s, line, sizeof(line), "");
		set_msg(ui, false, "%s", line);
	}
	ui->dirty = true;
	return PS_OK;
}

/* Stops the scan first: it waits for the section the scan is in. */
static void ui_free(struct tui *ui)
{
	tui_scan_free(&ui->scan);
	tui_pages_close(ui->pages);
	tui_findings_free(&ui->fv);
	tui_owners_free(&ui->ov);
	tui_table_free(&ui->tbl);
	tui_detail_free(&ui->det.page);
	free(ui);
}

static bool busy(const struct tui *ui)
{
	return ui->tbl.building || ui->search.active ||
	       tui_owners_busy(&ui->ov);
}

/* One key: a character (*is_char; any code point with wide curses) or
 * a KEY_* code; ERR when none came in time. Wide input, so that a
 * character beyond ASCII arrives whole rather than as bytes, which could
 * be taken for keys. */
static int read_key(bool *is_char)
{
#ifdef HAVE_GET_WCH
	wint_t wch;
	int rc = get_wch(&wch);

	if (rc == ERR)
		return ERR;
	*is_char = rc == OK;
	return (int)wch;
#else
	int key = getch();

	*is_char = key != ERR && key < KEY_MIN;
	return key;
#endif
}

static void loop(struct tui *ui)
{
	while (!ui->quit && !tui_term_signal()) {
		bool was_busy = busy(ui);
		bool is_char;
		int key;

		pull_scan(ui);
		if (ui->tbl.building)
			build_step(ui);
		else if (ui->search.active)
			search_step(ui);
		else if (tui_owners_busy(&ui->ov))
			owners_step(ui);
		/* While busy, redraw for progress now and then, and once the
		 * work is done. */
		if ((busy(ui) && ns_since(&ui->last_draw) >= FRAME_NS) ||
		    (was_busy && !busy(ui)))
			ui->dirty = true;
		if (ui->dirty) {
			draw(ui);
			ui->dirty = false;
		}
		/* Poll while there is work, else wait for a key or the next
		 * progress report. */
		timeout(busy(ui) ? 0 : 100);
		key = read_key(&is_char);
		if (key == ERR)
			continue;
		if (is_char && key >= 0x80) {
			/* Only a prompt takes text beyond ASCII. */
			if (ui->prompt.kind != PROMPT_NONE)
				prompt_char(ui, (uint32_t)key);
		} else {
			handle_key(ui, key);
		}
		ui->dirty = true;
	}
}

enum ps_status tui_run(struct session *s, unsigned threads, int *signo,
		       struct ps_err *err)
{
	struct tui_term term = { .screen = NULL };
	struct tui *ui;
	enum ps_status st;

	*signo = 0;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return ps_fail(err, PS_ERR_USAGE,
			       "tui needs a terminal on stdin and stdout (pinscan scan writes a report)");
	ui = calloc(1, sizeof(*ui));
	if (!ui)
		return ps_fail(err, PS_ERR_NOMEM, "out of memory");
	st = ui_init(ui, s, &term, err);
	if (!st)
		st = tui_term_start(&term, err);
	if (st) {
		ui_free(ui);
		return st;
	}
	tui_scan_start(&ui->scan, s, threads);
	loop(ui);
	if (!tui_term_signal() && ui->scan.started && !ui->scan.finished) {
		set_msg(ui, false, "quitting: stopping the background scan...");
		draw(ui);
	}
	ui_free(ui);
	tui_term_stop(&term);
	*signo = tui_term_signal();
	return PS_OK;
}
