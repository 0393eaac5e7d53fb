/* pinscan tui. Two threads: the UI thread reads the struct pages on screen
 * on demand (a cache of 256-page chunks) through the session's target; a
 * scan thread runs scan_all() on a cloned target for the header counts,
 * the pinned list and the findings, and hands what it found over under a
 * mutex after each section. Filters and searches that must look at every
 * page run in the UI thread, one section per turn of the event loop, so
 * that keys are read between turns. Pages are decoded and checked by
 * page_decode() and checks_page() only. */
#include <ctype.h>
#include <inttypes.h>
#include <locale.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>

#include "checks.h"
#include "decode.h"
#include "report.h"
#include "scan.h"
#include "tui.h"

/* Struct pages per cached chunk: a screen spans one or two. Chunks are
 * aligned within their section, and read CHUNK_EXTRA more pages so that a
 * head near the end still has page[1] and page[2] for page_decode(). */
#define CHUNK_PAGES 256u
#define CHUNK_EXTRA 2u
#define NR_CHUNKS 32
/* One more slot, for searches, so that they do not evict the screen. */
#define BULK_SLOT NR_CHUNKS
#define SEARCH_SLICE 8192u	/* rows a search looks at per loop turn */
#define HISTORY_MAX 128		/* detail pages to go back through */
#define PROMPT_MAX 120
#define EXPR_MAX_NODES 64
#define DLINE_MAX 288
#define FINDINGS_PER_PAGE 8	/* in the detail view */
/* x86-64: the lowest kernel address with 5-level paging (memmap.c's
 * bound); anything below is not a pointer a struct page may hold. */
#define KERNEL_ADDR_MIN 0xff00000000000000ull
#define NO_PFN UINT64_MAX
#define FRAME_NS 50000000ll	/* redraw at most this often while busy */

enum view { VIEW_PAGES, VIEW_FINDINGS, VIEW_DETAIL };

/* What a line or a row is, for its colour. */
enum role {
	ROLE_NORMAL,
	ROLE_HEADER,
	ROLE_TITLE,
	ROLE_PINNED,
	ROLE_FINDING,
	ROLE_LINK,
	ROLE_DIM,
	ROLE_STATUS,
	ROLE_ERROR,
};

enum lru_link {
	LRU_NONE,	/* not on an LRU list */
	LRU_OK,		/* both neighbours are struct pages */
	LRU_END,	/* one neighbour is the list head (outside mem_map) */
	LRU_BAD,	/* a neighbour is not a kernel pointer */
};

struct chunk {
	bool used;
	uint64_t first_pfn, stamp;
	uint32_t nr_pages;	/* decoded */
	uint32_t nr_read;	/* nr_pages + the extra ones */
	enum ps_status status;
	char error[256];
	uint8_t *raw;
	uint64_t missing[(CHUNK_PAGES + CHUNK_EXTRA + 63) / 64];
	struct page_state ps[CHUNK_PAGES];
	int8_t worst[CHUNK_PAGES];	/* severity of its worst finding, or -1 */
	uint8_t lru_link[CHUNK_PAGES];
};

/* A filter or search expression: "lru&!active", "pinned|refcount>=1024". */
enum ex_kind {
	EX_FLAG, EX_PINNED, EX_FINDING, EX_HEAD, EX_TAIL, EX_LRU, EX_BUDDY,
	EX_SLAB, EX_TYPED, EX_CMP, EX_NOT, EX_AND, EX_OR,
};
enum ex_field { EXF_REFCOUNT, EXF_MAPCOUNT, EXF_ORDER, EXF_PINCOUNT, EXF_PFN };
enum ex_op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };

struct ex_node {
	enum ex_kind kind;
	int lhs, rhs;		/* children, for NOT (lhs), AND, OR */
	int bit;		/* EX_FLAG */
	enum ex_field field;	/* EX_CMP */
	enum ex_op op;
	int64_t val;
};

struct expr {
	int nr, root;
	struct ex_node n[EXPR_MAX_NODES];
	char text[PROMPT_MAX + 1];
};

/* A page with findings, and the severity of its worst one. */
struct flagged {
	uint64_t pfn;
	int worst;
};

/* A row of a filtered list; the counts let it be sorted without reading
 * the page again. */
struct row {
	uint64_t pfn;
	int64_t pincount;
	uint32_t refcount;
};

enum sort_key { SORT_PFN, SORT_PINCOUNT, SORT_REFCOUNT };

struct table {
	/* Unfiltered, rows are every present pfn: row r is global index
	 * lo_row + r, and global index g is pfn start_pfn + g % pps of
	 * present section g / pps. Filtered, rows are list[]. */
	bool is_list;
	uint64_t lo_row, hi_row;
	struct row *list;
	size_t nr_list, cap_list;
	bool list_from_scan;	/* pinned/findings lists, refreshed as they grow */
	bool list_has_counts;
	enum sort_key sort;

	bool f_pinned, f_findings, has_expr, has_range;
	struct expr expr;
	uint64_t range_lo, range_hi;

	/* A filter with an expression reads every page in range, one
	 * section per loop turn, into sec_raw. */
	bool building;
	uint64_t build_sec, build_end;	/* section indexes */
	uint8_t *sec_raw;
	uint64_t *sec_missing;

	uint64_t cursor, top;
};

struct search {
	bool active;
	bool text;		/* findings/detail: a substring */
	struct expr expr;	/* pages: an expression */
	char needle[PROMPT_MAX + 1];
	int dir;		/* +1 or -1 */
	uint64_t row, left;	/* next row to look at, rows still to look at */
	bool wrapped;
};

/* Findings view: a line per rule, then its findings; then the LRU lists
 * the audit rebuilt. */
enum fline_kind { FL_RULE, FL_FINDING, FL_LISTS, FL_LIST };

struct fline {
	enum fline_kind kind;
	unsigned rule;		/* index in rules_all(), or nr_rules: unknown */
	size_t idx;		/* FL_RULE: findings kept; FL_FINDING: index in
				 * tui.findings; FL_LIST: in tui.lists */
};

struct dline {
	char text[DLINE_MAX];
	enum role role;
	uint64_t link;		/* pfn Enter goes to, or NO_PFN */
};

struct detail {
	struct dline *lines;
	size_t nr, cap;
	uint64_t pfn;
	uint64_t next_pfn, prev_pfn, head_pfn, tail_pfn;
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

/* The scan thread's side. Fields below `lock` are shared. */
struct scan_bg {
	bool started, joined;
	pthread_t thread;
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
	struct pinned_entry *pinned;
	size_t nr_pinned, cap_pinned;
	struct finding *findings;
	size_t nr_findings, cap_findings;
	uint64_t rule_count[NR_RULES];	/* all findings, kept or not */
	struct lru_list *lists;		/* the audit's, once finished */
	size_t nr_lists;
};

struct tui {
	struct session *s;
	const struct page_layout *pl;
	struct memmap *mm;
	uint64_t pps;		/* struct pages per section */
	struct ps_err err;

	struct scan_bg bg;
	unsigned bg_gen;
	bool scan_finished, scan_started;
	uint64_t scan_done, scan_total;
	struct summary sum;
	char scan_error[1024];
	struct pinned_entry *pinned;	/* by pfn, as the scan found them */
	size_t nr_pinned, cap_pinned;
	struct finding *findings;
	size_t nr_findings, cap_findings;
	unsigned *finding_rule;		/* rules_all() index of each */
	size_t cap_finding_rule;
	struct flagged *flagged;	/* pages with findings, by pfn */
	size_t nr_flagged;
	uint64_t by_severity[3];
	uint64_t rule_count[NR_RULES];
	uint64_t total_findings;	/* sum of rule_count */
	struct lru_list *lists;		/* the LRU lists the audit rebuilt */
	size_t nr_lists;

	struct chunk chunks[NR_CHUNKS + 1];
	uint64_t stamp;

	enum view view, main_view;
	bool help;
	uint64_t help_top;
	struct table tbl;
	struct fline *flines;
	size_t nr_flines, cap_flines;
	bool *rule_folded;
	unsigned nr_rules;
	uint64_t f_cursor, f_top;
	struct detail det;
	struct prompt prompt;
	struct search search;

	char msg[512];
	bool msg_error;
	bool color, dirty, quit;
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
};

/* ---- the terminal, restored whatever happens ---- */

static volatile sig_atomic_t got_signal;
static volatile sig_atomic_t curses_on;
static SCREEN *screen;
static struct termios saved_tio;
static bool saved_tio_ok;
/* Terminfo strings that put the terminal back, kept for the fatal-signal
 * handler, which may only write(2) and tcsetattr(3). */
static char restore_seq[256];
static size_t restore_len;

static const int quit_signals[] = { SIGINT, SIGTERM, SIGHUP };
static struct sigaction old_quit[3];
#ifndef __SANITIZE_ADDRESS__
static const int fatal_signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
static struct sigaction old_fatal[5];
#endif

static void on_quit_signal(int sig)
{
	got_signal = sig;
}

#ifndef __SANITIZE_ADDRESS__
/* Put the terminal back before dying: endwin() is not async-signal-safe,
 * write() and tcsetattr() are. */
static void on_fatal_signal(int sig)
{
	if (curses_on) {
		if (restore_len && write(STDOUT_FILENO, restore_seq, restore_len) < 0)
			restore_len = 0;
		if (saved_tio_ok)
			tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}
#endif

static void restore_at_exit(void)
{
	if (curses_on && !isendwin())
		endwin();
	curses_on = 0;
}

static void add_restore_cap(const char *name)
{
	char *s = tigetstr(name);
	size_t n;

	if (!s || s == (char *)-1)
		return;
	n = strlen(s);
	if (restore_len + n < sizeof(restore_seq)) {
		memcpy(restore_seq + restore_len, s, n);
		restore_len += n;
	}
}

static void install_signals(void)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: the signal should end getch()'s wait. */
	sa.sa_handler = on_quit_signal;
	for (i = 0; i < 3; i++)
		sigaction(quit_signals[i], &sa, &old_quit[i]);
#ifndef __SANITIZE_ADDRESS__
	sa.sa_handler = on_fatal_signal;
	for (i = 0; i < 5; i++)
		sigaction(fatal_signals[i], &sa, &old_fatal[i]);
#endif
}

static void restore_signals(void)
{
	size_t i;

	for (i = 0; i < 3; i++)
		sigaction(quit_signals[i], &old_quit[i], NULL);
#ifndef __SANITIZE_ADDRESS__
	for (i = 0; i < 5; i++)
		sigaction(fatal_signals[i], &old_fatal[i], NULL);
#endif
}

static void init_colors(struct tui *ui)
{
	const char *no_color = getenv("NO_COLOR");

	/* https://no-color.org: set and not empty means no colour. */
	ui->color = has_colors() && !(no_color && no_color[0]);
	if (!ui->color)
		return;
	start_color();
	use_default_colors();
	init_pair(ROLE_HEADER, COLOR_BLACK, COLOR_CYAN);
	init_pair(ROLE_TITLE, COLOR_CYAN, -1);
	init_pair(ROLE_PINNED, COLOR_YELLOW, -1);
	init_pair(ROLE_FINDING, COLOR_RED, -1);
	init_pair(ROLE_LINK, COLOR_GREEN, -1);
	init_pair(ROLE_DIM, COLOR_BLUE, -1);
	init_pair(ROLE_STATUS, COLOR_BLACK, COLOR_WHITE);
	init_pair(ROLE_ERROR, COLOR_WHITE, COLOR_RED);
}

/* Curses on; the signal handlers are installed before newterm() so that
 * ncurses leaves SIGINT/SIGTERM to us instead of exiting on them. */
static enum ps_status term_start(struct tui *ui, struct ps_err *err)
{
	static bool atexit_done;

	saved_tio_ok = tcgetattr(STDIN_FILENO, &saved_tio) == 0;
	got_signal = 0;
	install_signals();
	if (!atexit_done && !atexit(restore_at_exit))
		atexit_done = true;
	setlocale(LC_ALL, "");
	screen = newterm(NULL, stdout, stdin);
	if (!screen) {
		restore_signals();
		return ps_fail(err, PS_ERR_USAGE,
			       "cannot use the terminal '%s' (check TERM)",
			       getenv("TERM") ? getenv("TERM") : "");
	}
	curses_on = 1;
	restore_len = 0;
	add_restore_cap("rmcup");
	add_restore_cap("sgr0");
	add_restore_cap("cnorm");
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	init_colors(ui);
	return PS_OK;
}

static void term_stop(void)
{
	if (curses_on) {
		endwin();
		curses_on = 0;
	}
	if (screen) {
		delscreen(screen);
		screen = NULL;
	}
	restore_signals();
}

/* ---- small helpers ---- */

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

/* snprintf for messages shown on one screen line, where cutting a long
 * one short is the intent. */
static void fmt_text(char *buf, size_t bufsz, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fmt_text(char *buf, size_t bufsz, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, bufsz, fmt, ap);
	va_end(ap);
}

/* Append n elements to a growable array; false when out of memory. */
static bool append(void **arr, size_t *nr, size_t *cap, const void *items,
		   size_t n, size_t elem)
{
	if (!n)
		return true;
	if (*nr + n > *cap) {
		size_t ncap = *cap ? *cap : 64;
		void *na;

		while (ncap < *nr + n)
			ncap *= 2;
		na = realloc(*arr, ncap * elem);
		if (!na)
			return false;
		*arr = na;
		*cap = ncap;
	}
	memcpy((char *)*arr + *nr * elem, items, n * elem);
	*nr += n;
	return true;
}

static bool is_missing(const uint64_t *missing, uint64_t i)
{
	return (missing[i / 64] >> (i % 64)) & 1;
}

static void worst_finding(void *arg, const struct finding *f)
{
	int *worst = arg;

	if ((int)f->rule->severity > *worst)
		*worst = (int)f->rule->severity;
}

/* The severity of the worst finding the per-page rules make on ps, or -1. */
static int page_findings(const struct page_layout *pl,
			 const struct page_state *ps)
{
	int worst = -1;

	checks_page(pl, ps, worst_finding, &worst);
	return worst;
}

/* A pfn typed by a person: 0x1234 or 1234 (hex when it has a-f). */
static bool parse_pfn(const char *text, uint64_t *pfn)
{
	const char *p = text;
	char *end;
	int base = 0;

	while (isspace((unsigned char)*p))
		p++;
	if (!*p || *p == '-')
		return false;
	if (strncasecmp(p, "0x", 2) && strpbrk(p, "abcdefABCDEF"))
		base = 16;
	*pfn = strtoull(p, &end, base);
	while (isspace((unsigned char)*end))
		end++;
	return end != p && !*end;
}

static int64_t ns_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)(now.tv_sec - t0->tv_sec) * 1000000000ll +
	       (now.tv_nsec - t0->tv_nsec);
}

/* ---- the scan thread ---- */

/* Move what the private report found into the shared lists; called with
 * the lock held, in the scan thread. */
static void bg_hand_over(struct scan_bg *bg)
{
	bg->sum = bg->r.sum;
	memcpy(bg->rule_count, bg->r.rule_count, sizeof(bg->rule_count));
	if (!append((void **)&bg->pinned, &bg->nr_pinned, &bg->cap_pinned,
		    bg->r.pinned, bg->r.nr_pinned, sizeof(*bg->pinned)) ||
	    !append((void **)&bg->findings, &bg->nr_findings,
		    &bg->cap_findings, bg->r.findings, bg->r.nr_findings,
		    sizeof(*bg->findings)))
		bg->oom = true;
	bg->r.nr_pinned = 0;
	bg->r.nr_findings = 0;
	bg->gen++;
}

static bool bg_progress(void *arg, uint64_t done, uint64_t total)
{
	struct scan_bg *bg = arg;
	bool go_on;

	pthread_mutex_lock(&bg->lock);
	bg->done = done;
	bg->total = total;
	bg_hand_over(bg);
	/* Quitting stops the scan after this section. */
	go_on = !bg->cancel;
	pthread_mutex_unlock(&bg->lock);
	return go_on;
}

static void *bg_main(void *arg)
{
	struct scan_bg *bg = arg;
	struct ps_err err = { 0 };
	enum ps_status st;

	/* With the audit, as `pinscan scan` does by default: the findings
	 * must be the same. */
	st = scan_all(&bg->mm, &bg->r, true, bg_progress, bg, &err);
	pthread_mutex_lock(&bg->lock);
	bg_hand_over(bg);
	bg->lists = bg->r.lists;
	bg->nr_lists = bg->r.nr_lists;
	bg->r.lists = NULL;
	bg->r.nr_lists = 0;
	bg->finished = true;
	bg->status = st == PS_CANCELLED ? PS_OK : st;
	if (st)
		snprintf(bg->error, sizeof(bg->error), "%s", err.msg);
	pthread_mutex_unlock(&bg->lock);
	return NULL;
}

/* Start the scan on a clone of the target; failing that the TUI still
 * browses pages, and says why the counts are missing. */
static void bg_start(struct tui *ui)
{
	struct scan_bg *bg = &ui->bg;
	struct ps_err err = { 0 };
	sigset_t block, old;
	int rc;

	bg->t.fd = -1;
	if (target_clone(&ui->s->t, &bg->t, &err)) {
		target_close(&bg->t);
		fmt_text(ui->scan_error, sizeof(ui->scan_error),
			 "no background scan: %s", err.msg);
		return;
	}
	bg->mm = *ui->mm;
	bg->mm.t = &bg->t;
	report_init(&bg->r, ui->pl);
	pthread_mutex_init(&bg->lock, NULL);
	/* Signals from the terminal and kill(1) are for the UI thread, whose
	 * getch() they interrupt; faults stay with whoever faults. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGQUIT);
	sigaddset(&block, SIGWINCH);
	sigaddset(&block, SIGTSTP);
	sigaddset(&block, SIGCONT);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	rc = pthread_create(&bg->thread, NULL, bg_main, bg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc) {
		report_free(&bg->r);
		target_close(&bg->t);
		pthread_mutex_destroy(&bg->lock);
		snprintf(ui->scan_error, sizeof(ui->scan_error),
			 "no background scan: cannot start a thread (%s)",
			 strerror(rc));
		return;
	}
	bg->started = true;
	ui->scan_started = true;
	ui->scan_total = ui->mm->nr_sections * ui->pps;
}

static void bg_stop(struct tui *ui)
{
	struct scan_bg *bg = &ui->bg;

	if (!bg->started)
		return;
	pthread_mutex_lock(&bg->lock);
	bg->cancel = true;
	pthread_mutex_unlock(&bg->lock);
	if (!bg->joined)
		pthread_join(bg->thread, NULL);
	report_free(&bg->r);
	target_close(&bg->t);
	free(bg->pinned);
	free(bg->findings);
	free(bg->lists);
	pthread_mutex_destroy(&bg->lock);
	bg->started = false;
}

/* ---- the page cache ---- */

static const struct mm_section *section_at(const struct tui *ui, uint64_t i)
{
	return &ui->mm->sections[i];
}

static enum lru_link classify_link(const struct tui *ui, uint64_t ptr)
{
	if (ptr < KERNEL_ADDR_MIN)
		return LRU_BAD;
	if (memmap_addr_to_pfn(ui->mm, ptr - ui->pl->lru.off) != NO_PFN)
		return LRU_OK;
	return LRU_END;
}

static uint8_t lru_link_state(const struct tui *ui, const struct page_state *ps)
{
	enum lru_link next, prev;

	if (!ps->lru || ps->tail || !ui->pl->lru.present)
		return LRU_NONE;
	next = classify_link(ui, ps->lru_next);
	prev = classify_link(ui, ps->lru_prev);
	if (next == LRU_BAD || prev == LRU_BAD)
		return LRU_BAD;
	return next == LRU_OK && prev == LRU_OK ? LRU_OK : LRU_END;
}

static void chunk_load(struct tui *ui, struct chunk *c,
		       const struct mm_section *sec, uint64_t first)
{
	const struct page_layout *pl = ui->pl;
	uint64_t sec_end = sec->start_pfn + ui->pps;
	uint32_t nr_missing, i;

	c->used = true;
	c->first_pfn = first;
	c->nr_pages = (uint32_t)(sec_end - first < CHUNK_PAGES ?
				 sec_end - first : CHUNK_PAGES);
	c->nr_read = (uint32_t)(sec_end - first < CHUNK_PAGES + CHUNK_EXTRA ?
				sec_end - first : CHUNK_PAGES + CHUNK_EXTRA);
	c->error[0] = '\0';
	c->status = memmap_read(ui->mm, sec, first, c->nr_read, c->raw,
				c->missing, &nr_missing, &ui->err);
	if (c->status) {
		fmt_text(c->error, sizeof(c->error), "%s", ui->err.msg);
		return;
	}
	for (i = 0; i < c->nr_pages; i++) {
		if (is_missing(c->missing, i))
			continue;
		page_decode(pl, c->raw + (uint64_t)i * pl->struct_page_size,
			    c->nr_read - i, first + i, &c->ps[i]);
		c->worst[i] = (int8_t)page_findings(pl, &c->ps[i]);
		c->lru_link[i] = lru_link_state(ui, &c->ps[i]);
	}
}

/* The chunk holding pfn's decoded struct page, read when not cached, and
 * *idx its index there; NULL when pfn is in no present section. A read
 * error is in the chunk's status. Bulk readers (searches) load into their
 * own slot. */
static const struct chunk *cache_get(struct tui *ui, uint64_t pfn, bool bulk,
				     uint32_t *idx)
{
	const struct mm_section *sec = memmap_find(ui->mm, pfn);
	struct chunk *victim = NULL;
	uint64_t first;
	unsigned i;

	if (!sec)
		return NULL;
	first = sec->start_pfn +
		(pfn - sec->start_pfn) / CHUNK_PAGES * CHUNK_PAGES;
	*idx = (uint32_t)(pfn - first);
	for (i = 0; i <= NR_CHUNKS; i++) {
		struct chunk *c = &ui->chunks[i];

		if (c->used && c->first_pfn == first) {
			c->stamp = ++ui->stamp;
			return c;
		}
		if (i < NR_CHUNKS && (!victim || !c->used ||
				      (victim->used && c->stamp < victim->stamp)))
			victim = c;
	}
	if (bulk)
		victim = &ui->chunks[BULK_SLOT];
	chunk_load(ui, victim, sec, first);
	victim->stamp = ++ui->stamp;
	return victim;
}

/* ---- expressions ---- */

struct ex_parser {
	const char *p;
	struct expr *e;
	const struct page_layout *pl;
	char *msg;
	size_t msgsz;
};

static const struct {
	const char *name;
	enum ex_kind kind;
} ex_words[] = {
	{ "pinned", EX_PINNED }, { "finding", EX_FINDING },
	{ "findings", EX_FINDING }, { "head", EX_HEAD }, { "tail", EX_TAIL },
	{ "lru", EX_LRU }, { "buddy", EX_BUDDY }, { "slab", EX_SLAB },
	{ "typed", EX_TYPED },
};

static const struct {
	const char *name;
	enum ex_field field;
} ex_fields[] = {
	{ "refcount", EXF_REFCOUNT }, { "mapcount", EXF_MAPCOUNT },
	{ "order", EXF_ORDER }, { "pincount", EXF_PINCOUNT },
	{ "pfn", EXF_PFN },
};

static int ex_error(struct ex_parser *x, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int ex_error(struct ex_parser *x, const char *fmt, ...)
{
	va_list ap;

	if (x->msg[0])
		return -1;
	va_start(ap, fmt);
	vsnprintf(x->msg, x->msgsz, fmt, ap);
	va_end(ap);
	return -1;
}

static int ex_node(struct ex_parser *x, enum ex_kind kind, int lhs, int rhs)
{
	struct ex_node *n;

	if (x->e->nr >= EXPR_MAX_NODES)
		return ex_error(x, "expression too long");
	n = &x->e->n[x->e->nr];
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->lhs = lhs;
	n->rhs = rhs;
	return x->e->nr++;
}

static void ex_skip(struct ex_parser *x)
{
	while (isspace((unsigned char)*x->p))
		x->p++;
}

static int ex_or(struct ex_parser *x);

static int ex_compare(struct ex_parser *x, enum ex_field field,
		      const char *name)
{
	static const struct {
		const char *s;
		enum ex_op op;
	} ops[] = {
		{ "==", OP_EQ }, { "!=", OP_NE }, { "<=", OP_LE },
		{ ">=", OP_GE }, { "=", OP_EQ }, { "<", OP_LT }, { ">", OP_GT },
	};
	char *end;
	size_t i;
	int n;

	ex_skip(x);
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strncmp(x->p, ops[i].s, strlen(ops[i].s)))
			break;
	if (i == sizeof(ops) / sizeof(ops[0]))
		return ex_error(x, "%s needs a comparison: %s>=1024", name, name);
	x->p += strlen(ops[i].s);
	ex_skip(x);
	n = ex_node(x, EX_CMP, -1, -1);
	if (n < 0)
		return -1;
	x->e->n[n].field = field;
	x->e->n[n].op = ops[i].op;
	x->e->n[n].val = strtoll(x->p, &end, 0);
	if (end == x->p)
		return ex_error(x, "a number must follow %s%s", name, ops[i].s);
	x->p = end;
	return n;
}

static int ex_atom(struct ex_parser *x)
{
	const struct page_layout *pl = x->pl;
	char name[40];
	const char *flag;
	size_t len = 0, i;
	int n;

	ex_skip(x);
	while ((isalnum((unsigned char)x->p[len]) || x->p[len] == '_') &&
	       len + 1 < sizeof(name)) {
		name[len] = x->p[len];
		len++;
	}
	name[len] = '\0';
	if (!len)
		return ex_error(x, "expected a flag name at '%s'",
				*x->p ? x->p : "(end)");
	x->p += len;
	for (i = 0; i < sizeof(ex_fields) / sizeof(ex_fields[0]); i++)
		if (!strcasecmp(name, ex_fields[i].name))
			return ex_compare(x, ex_fields[i].field, name);
	for (i = 0; i < sizeof(ex_words) / sizeof(ex_words[0]); i++)
		if (!strcasecmp(name, ex_words[i].name))
			return ex_node(x, ex_words[i].kind, -1, -1);
	flag = strncasecmp(name, "PG_", 3) ? name : name + 3;
	for (i = 0; i < (size_t)pl->nr_flag_names; i++) {
		if (strcasecmp(flag, pl->flag_names[i].name))
			continue;
		n = ex_node(x, EX_FLAG, -1, -1);
		if (n >= 0)
			x->e->n[n].bit = pl->flag_names[i].bit;
		return n;
	}
	return ex_error(x, "unknown name '%s' (flags of this kernel, pinned, finding, tail, buddy, slab, refcount>N ...: see ?)",
			name);
}

static int ex_unary(struct ex_parser *x)
{
	int n;

	ex_skip(x);
	if (*x->p == '!') {
		x->p++;
		n = ex_unary(x);
		return n < 0 ? -1 : ex_node(x, EX_NOT, n, -1);
	}
	if (*x->p == '(') {
		x->p++;
		n = ex_or(x);
		if (n < 0)
			return -1;
		ex_skip(x);
		if (*x->p != ')')
			return ex_error(x, "missing ')'");
		x->p++;
		return n;
	}
	return ex_atom(x);
}

static int ex_and(struct ex_parser *x)
{
	int lhs = ex_unary(x), rhs;

	while (lhs >= 0) {
		ex_skip(x);
		if (*x->p != '&')
			break;
		x->p += x->p[1] == '&' ? 2 : 1;
		rhs = ex_unary(x);
		lhs = rhs < 0 ? -1 : ex_node(x, EX_AND, lhs, rhs);
	}
	return lhs;
}

static int ex_or(struct ex_parser *x)
{
	int lhs = ex_and(x), rhs;

	while (lhs >= 0) {
		ex_skip(x);
		if (*x->p != '|')
			break;
		x->p += x->p[1] == '|' ? 2 : 1;
		rhs = ex_and(x);
		lhs = rhs < 0 ? -1 : ex_node(x, EX_OR, lhs, rhs);
	}
	return lhs;
}

/* Compile text; false with a message in msg when it is not an
 * expression over this kernel's flags. */
static bool expr_parse(struct expr *e, const char *text,
		       const struct page_layout *pl, char *msg, size_t msgsz)
{
	struct ex_parser x = { .p = text, .e = e, .pl = pl, .msg = msg,
			       .msgsz = msgsz };

	msg[0] = '\0';
	e->nr = 0;
	snprintf(e->text, sizeof(e->text), "%s", text);
	e->root = ex_or(&x);
	if (e->root < 0)
		return false;
	ex_skip(&x);
	if (*x.p) {
		ex_error(&x, "unexpected '%s'", x.p);
		return false;
	}
	return true;
}

static bool ex_cmp(enum ex_op op, int64_t a, int64_t b)
{
	switch (op) {
	case OP_EQ:
		return a == b;
	case OP_NE:
		return a != b;
	case OP_LT:
		return a < b;
	case OP_LE:
		return a <= b;
	case OP_GT:
		return a > b;
	default:
		return a >= b;
	}
}

static int64_t ex_value(enum ex_field f, const struct page_state *ps)
{
	switch (f) {
	case EXF_REFCOUNT:
		return ps->refcount;
	case EXF_MAPCOUNT:
		return ps->mapcount;
	case EXF_ORDER:
		return ps->order;
	case EXF_PINCOUNT:
		return ps->pin_how == PIN_HOW_NONE ? 0 : ps->pincount;
	default:
		return (int64_t)ps->pfn;
	}
}

static bool expr_has(const struct expr *e, enum ex_kind kind)
{
	int i;

	for (i = 0; i < e->nr; i++)
		if (e->n[i].kind == kind)
			return true;
	return false;
}

/* Nodes only point to earlier nodes: the recursion is bounded by
 * EXPR_MAX_NODES. */
static bool ex_eval(const struct expr *e, int i, const struct page_state *ps,
		    unsigned nr_findings)
{
	const struct ex_node *n = &e->n[i];

	switch (n->kind) {
	case EX_FLAG:
		return page_flag(ps, n->bit);
	case EX_PINNED:
		return ps->pin_how != PIN_HOW_NONE;
	case EX_FINDING:
		return nr_findings > 0;
	case EX_HEAD:
		return ps->head;
	case EX_TAIL:
		return ps->tail;
	case EX_LRU:
		return ps->lru;
	case EX_BUDDY:
		return ps->buddy;
	case EX_SLAB:
		return ps->slab;
	case EX_TYPED:
		return ps->typed;
	case EX_CMP:
		return ex_cmp(n->op, ex_value(n->field, ps), n->val);
	case EX_NOT:
		return !ex_eval(e, n->lhs, ps, nr_findings);
	case EX_AND:
		return ex_eval(e, n->lhs, ps, nr_findings) &&
		       ex_eval(e, n->rhs, ps, nr_findings);
	default:
		return ex_eval(e, n->lhs, ps, nr_findings) ||
		       ex_eval(e, n->rhs, ps, nr_findings);
	}
}

/* ---- the page table's rows ---- */

/* Global index of the first present pfn >= pfn (the total when none). */
static uint64_t glob_lower(const struct tui *ui, uint64_t pfn)
{
	uint64_t nr = pfn / ui->pps, lo = 0, hi = ui->mm->nr_sections;

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (section_at(ui, mid)->nr < nr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < ui->mm->nr_sections && section_at(ui, lo)->nr == nr)
		return lo * ui->pps + pfn % ui->pps;
	return lo * ui->pps;
}

static uint64_t nr_rows(const struct tui *ui)
{
	const struct table *t = &ui->tbl;

	return t->is_list ? t->nr_list : t->hi_row - t->lo_row;
}

static uint64_t row_pfn(const struct tui *ui, uint64_t row)
{
	const struct table *t = &ui->tbl;
	uint64_t g;

	if (t->is_list)
		return t->list[row].pfn;
	g = t->lo_row + row;
	return section_at(ui, g / ui->pps)->start_pfn + g % ui->pps;
}

/* The row showing pfn, or the nearest one after it; *exact says which. */
static uint64_t row_of_pfn(const struct tui *ui, uint64_t pfn, bool *exact)
{
	const struct table *t = &ui->tbl;
	uint64_t n = nr_rows(ui), row;

	*exact = false;
	if (!n)
		return 0;
	if (!t->is_list) {
		uint64_t g = glob_lower(ui, pfn);

		if (g < t->lo_row)
			g = t->lo_row;
		row = g - t->lo_row;
		if (row >= n)
			row = n - 1;
	} else if (t->sort == SORT_PFN) {
		uint64_t lo = 0, hi = n;

		while (lo < hi) {
			uint64_t mid = lo + (hi - lo) / 2;

			if (t->list[mid].pfn < pfn)
				lo = mid + 1;
			else
				hi = mid;
		}
		row = lo < n ? lo : n - 1;
	} else {
		for (row = 0; row < n && t->list[row].pfn != pfn; row++)
			;
		if (row == n)
			return 0;
	}
	*exact = row_pfn(ui, row) == pfn;
	return row;
}

/* The severity of the worst finding the scan made at pfn (cross-page
 * rules included), or -1. */
static int scan_worst(const struct tui *ui, uint64_t pfn)
{
	size_t lo = 0, hi = ui->nr_flagged;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ui->flagged[mid].pfn == pfn)
			return ui->flagged[mid].worst;
		if (ui->flagged[mid].pfn < pfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static bool finding_at(const struct tui *ui, uint64_t pfn)
{
	return scan_worst(ui, pfn) >= 0;
}

static bool in_range(const struct table *t, uint64_t pfn)
{
	return !t->has_range || (pfn >= t->range_lo && pfn <= t->range_hi);
}

static int cmp_rows(const void *a, const void *b, enum sort_key key)
{
	const struct row *x = a, *y = b;

	if (key == SORT_PINCOUNT && x->pincount != y->pincount)
		return x->pincount > y->pincount ? -1 : 1;
	if (key == SORT_REFCOUNT && x->refcount != y->refcount)
		return x->refcount > y->refcount ? -1 : 1;
	return x->pfn < y->pfn ? -1 : x->pfn > y->pfn;
}

static int cmp_pincount(const void *a, const void *b)
{
	return cmp_rows(a, b, SORT_PINCOUNT);
}

static int cmp_refcount(const void *a, const void *b)
{
	return cmp_rows(a, b, SORT_REFCOUNT);
}

static int cmp_pfn(const void *a, const void *b)
{
	return cmp_rows(a, b, SORT_PFN);
}

static void sort_list(struct table *t)
{
	if (!t->is_list || !t->nr_list)
		return;
	qsort(t->list, t->nr_list, sizeof(*t->list),
	      t->sort == SORT_PINCOUNT ? cmp_pincount :
	      t->sort == SORT_REFCOUNT ? cmp_refcount : cmp_pfn);
}

static void add_row(struct tui *ui, uint64_t pfn, int64_t pincount,
		    uint32_t refcount)
{
	struct table *t = &ui->tbl;
	struct row r = { .pfn = pfn, .pincount = pincount,
			 .refcount = refcount };

	if (!append((void **)&t->list, &t->nr_list, &t->cap_list, &r, 1,
		    sizeof(r)))
		set_msg(ui, true, "out of memory: the list is incomplete");
}

/* Pinned-only and findings-only lists come from what the scan found. */
static void list_from_scan(struct tui *ui)
{
	struct table *t = &ui->tbl;
	size_t i;

	t->nr_list = 0;
	t->list_has_counts = t->f_pinned;
	if (t->f_pinned) {
		for (i = 0; i < ui->nr_pinned; i++) {
			const struct pinned_entry *e = &ui->pinned[i];

			if (in_range(t, e->pfn) &&
			    (!t->f_findings || finding_at(ui, e->pfn)))
				add_row(ui, e->pfn, e->pincount, e->refcount);
		}
	} else {
		for (i = 0; i < ui->nr_flagged; i++)
			if (in_range(t, ui->flagged[i].pfn))
				add_row(ui, ui->flagged[i].pfn, 0, 0);
	}
	if (!t->list_has_counts)
		t->sort = SORT_PFN;
	sort_list(t);
}

static uint64_t cursor_pfn(const struct tui *ui)
{
	return nr_rows(ui) ? row_pfn(ui, ui->tbl.cursor) : NO_PFN;
}

static void put_cursor_at(struct tui *ui, uint64_t pfn)
{
	bool exact;

	ui->tbl.cursor = pfn == NO_PFN ? 0 : row_of_pfn(ui, pfn, &exact);
}

/* Rows again after the filter changed, keeping the cursor on its pfn
 * (or the next one shown). */
static void rebuild_rows(struct tui *ui)
{
	struct table *t = &ui->tbl;
	uint64_t keep = cursor_pfn(ui);

	t->building = false;
	t->nr_list = 0;
	t->list_from_scan = false;
	t->is_list = t->f_pinned || t->f_findings || t->has_expr;
	if (!t->is_list) {
		t->sort = SORT_PFN;
		t->lo_row = t->has_range ? glob_lower(ui, t->range_lo) : 0;
		t->hi_row = t->has_range && t->range_hi != UINT64_MAX ?
			    glob_lower(ui, t->range_hi + 1) :
			    ui->mm->nr_sections * ui->pps;
		if (t->hi_row < t->lo_row)
			t->hi_row = t->lo_row;
	} else if (!t->has_expr) {
		t->list_from_scan = true;
		list_from_scan(ui);
	} else {
		t->list_has_counts = true;
		t->building = true;
		t->build_sec = glob_lower(ui, t->has_range ? t->range_lo : 0) /
			       ui->pps;
		t->build_end = ui->mm->nr_sections;
		if (t->has_range && t->range_hi != UINT64_MAX) {
			uint64_t g = glob_lower(ui, t->range_hi + 1);

			t->build_end = (g + ui->pps - 1) / ui->pps;
		}
	}
	t->top = 0;
	put_cursor_at(ui, keep);
}

/* One section of an expression filter: read it whole, decode, keep the
 * pages that pass. */
static void build_step(struct tui *ui)
{
	struct table *t = &ui->tbl;
	const struct page_layout *pl = ui->pl;
	const struct mm_section *sec;
	uint32_t nr_missing, i;

	if (t->build_sec >= t->build_end) {
		t->building = false;
		sort_list(t);
		set_msg(ui, false, "filter: %zu pages", t->nr_list);
		return;
	}
	if (!t->sec_raw) {
		t->sec_raw = malloc(ui->pps * pl->struct_page_size);
		t->sec_missing = malloc((ui->pps + 63) / 64 * sizeof(uint64_t));
		if (!t->sec_raw || !t->sec_missing) {
			t->building = false;
			set_msg(ui, true, "out of memory: filter stopped");
			return;
		}
	}
	sec = section_at(ui, t->build_sec++);
	if (memmap_read(ui->mm, sec, sec->start_pfn, (uint32_t)ui->pps,
			t->sec_raw, t->sec_missing, &nr_missing, &ui->err)) {
		t->building = false;
		set_msg(ui, true, "filter stopped: %s", ui->err.msg);
		return;
	}
	for (i = 0; i < ui->pps; i++) {
		uint64_t pfn = sec->start_pfn + i;
		struct page_state ps;
		unsigned nf;

		if (is_missing(t->sec_missing, i) || !in_range(t, pfn))
			continue;
		page_decode(pl, t->sec_raw + (uint64_t)i * pl->struct_page_size,
			    ui->pps - i, pfn, &ps);
		nf = page_findings(pl, &ps) >= 0 || finding_at(ui, pfn);
		if ((t->f_pinned && ps.pin_how == PIN_HOW_NONE) ||
		    (t->f_findings && !nf) ||
		    !ex_eval(&t->expr, t->expr.root, &ps, nf))
			continue;
		add_row(ui, pfn, ps.pin_how == PIN_HOW_NONE ? 0 : ps.pincount,
			ps.refcount);
	}
}

/* ---- what the scan thread found ---- */

static int cmp_flagged(const void *a, const void *b)
{
	uint64_t x = ((const struct flagged *)a)->pfn;
	uint64_t y = ((const struct flagged *)b)->pfn;

	return x < y ? -1 : x > y;
}

/* The catalogue index of a finding's rule (report.c's way); nr_rules for
 * a rule pointer from elsewhere. */
static unsigned rule_index(const struct tui *ui, const struct rule *r)
{
	const struct rule *first = rule_get(0);

	if (r < first || r >= first + ui->nr_rules)
		return ui->nr_rules;
	return (unsigned)(r - first);
}

static void index_findings(struct tui *ui, size_t from)
{
	size_t i, n = 0;
	struct flagged *fl;

	for (i = from; i < ui->nr_findings; i++) {
		unsigned r = rule_index(ui, ui->findings[i].rule);
		size_t nr = i;

		if (!append((void **)&ui->finding_rule, &nr,
			    &ui->cap_finding_rule, &r, 1, sizeof(r))) {
			set_msg(ui, true, "out of memory: findings index incomplete");
			ui->nr_findings = i;
			break;
		}
	}
	fl = realloc(ui->flagged, (ui->nr_findings ? ui->nr_findings : 1) *
		     sizeof(*fl));
	if (!fl) {
		set_msg(ui, true, "out of memory: findings index incomplete");
		return;
	}
	ui->flagged = fl;
	for (i = 0; i < ui->nr_findings; i++) {
		fl[i].pfn = ui->findings[i].pfn;
		fl[i].worst = (int)ui->findings[i].rule->severity;
	}
	qsort(fl, ui->nr_findings, sizeof(*fl), cmp_flagged);
	for (i = 0; i < ui->nr_findings; i++) {
		if (n && fl[n - 1].pfn == fl[i].pfn) {
			if (fl[i].worst > fl[n - 1].worst)
				fl[n - 1].worst = fl[i].worst;
			continue;
		}
		fl[n++] = fl[i];
	}
	ui->nr_flagged = n;
}

static void add_fline(struct tui *ui, enum fline_kind kind, unsigned rule,
		      size_t idx)
{
	struct fline l = { .kind = kind, .rule = rule, .idx = idx };

	append((void **)&ui->flines, &ui->nr_flines, &ui->cap_flines, &l, 1,
	       sizeof(l));
}

/* The findings view: rules by severity (errors first), each followed by
 * its findings in pfn order, unless folded. A counting sort by rule keeps
 * it linear in the number of findings. */
static void build_flines(struct tui *ui)
{
	size_t *start = calloc(ui->nr_rules + 2, sizeof(*start)), i;
	size_t *order = malloc((ui->nr_findings ? ui->nr_findings : 1) *
			       sizeof(*order));
	const struct rule *rules;
	unsigned sev, r, n, pass;

	if (!start || !order) {
		free(start);
		free(order);
		set_msg(ui, true, "out of memory: findings view incomplete");
		return;
	}
	rules = rules_all(&n);
	ui->nr_flines = 0;
	for (i = 0; i < ui->nr_findings; i++)
		start[ui->finding_rule[i] + 1]++;
	for (r = 0; r <= ui->nr_rules; r++)
		start[r + 1] += start[r];
	for (i = 0; i < ui->nr_findings; i++)
		order[start[ui->finding_rule[i]]++] = i;
	/* start[r] is now the end of rule r's findings in order[]. */
	/* Rules that found something first, then the quiet ones. */
	for (pass = 0; pass < 2; pass++) {
		for (sev = SEV_ERROR + 1; sev-- > 0;) {
			for (r = 0; r < ui->nr_rules; r++) {
				size_t from = r ? start[r - 1] : 0;

				if ((unsigned)rules[r].severity != sev ||
				    (ui->rule_count[r] == 0) != (pass == 1))
					continue;
				add_fline(ui, FL_RULE, r, start[r] - from);
				for (i = from; !ui->rule_folded[r] && i < start[r]; i++)
					add_fline(ui, FL_FINDING, r, order[i]);
			}
		}
	}
	r = ui->nr_rules;
	if (start[r] > (r ? start[r - 1] : 0)) {
		add_fline(ui, FL_RULE, r, start[r] - (r ? start[r - 1] : 0));
		for (i = r ? start[r - 1] : 0; i < start[r]; i++)
			add_fline(ui, FL_FINDING, r, order[i]);
	}
	if (ui->nr_lists) {
		add_fline(ui, FL_LISTS, 0, ui->nr_lists);
		for (i = 0; i < ui->nr_lists; i++)
			add_fline(ui, FL_LIST, 0, i);
	}
	free(start);
	free(order);
	if (ui->f_cursor >= ui->nr_flines)
		ui->f_cursor = ui->nr_flines ? ui->nr_flines - 1 : 0;
}

static void count_by_severity(struct tui *ui)
{
	unsigned i;

	memset(ui->by_severity, 0, sizeof(ui->by_severity));
	ui->total_findings = 0;
	for (i = 0; i < NR_RULES && i < ui->nr_rules; i++) {
		ui->by_severity[rule_get(i)->severity <= SEV_ERROR ?
				rule_get(i)->severity : SEV_ERROR] += ui->rule_count[i];
		ui->total_findings += ui->rule_count[i];
	}
}

/* Take what the scan thread handed over since last time. */
static void pull_scan(struct tui *ui)
{
	struct scan_bg *bg = &ui->bg;
	size_t old_findings = ui->nr_findings;
	bool grew, oom = false, finished;

	if (!bg->started)
		return;
	pthread_mutex_lock(&bg->lock);
	if (bg->gen == ui->bg_gen && bg->finished == ui->scan_finished) {
		pthread_mutex_unlock(&bg->lock);
		return;
	}
	ui->bg_gen = bg->gen;
	if (bg->total)
		ui->scan_total = bg->total;
	ui->scan_done = bg->done;
	ui->sum = bg->sum;
	memcpy(ui->rule_count, bg->rule_count, sizeof(ui->rule_count));
	finished = bg->finished;
	if (finished && bg->lists) {
		ui->lists = bg->lists;
		ui->nr_lists = bg->nr_lists;
		bg->lists = NULL;
	}
	if (finished && bg->status)
		fmt_text(ui->scan_error, sizeof(ui->scan_error),
			 "scan stopped: %s", bg->error);
	else if (bg->oom)
		snprintf(ui->scan_error, sizeof(ui->scan_error),
			 "out of memory: pinned list and findings incomplete");
	grew = bg->nr_pinned || bg->nr_findings;
	if (!append((void **)&ui->pinned, &ui->nr_pinned, &ui->cap_pinned,
		    bg->pinned, bg->nr_pinned, sizeof(*ui->pinned)) ||
	    !append((void **)&ui->findings, &ui->nr_findings,
		    &ui->cap_findings, bg->findings, bg->nr_findings,
		    sizeof(*ui->findings)))
		oom = true;
	bg->nr_pinned = 0;
	bg->nr_findings = 0;
	pthread_mutex_unlock(&bg->lock);
	if (oom)
		snprintf(ui->scan_error, sizeof(ui->scan_error),
			 "out of memory: pinned list and findings incomplete");
	count_by_severity(ui);
	if (ui->nr_findings != old_findings || finished) {
		index_findings(ui, old_findings);
		build_flines(ui);
	}
	if (finished && !ui->scan_finished) {
		ui->scan_finished = true;
		pthread_join(bg->thread, NULL);
		bg->joined = true;
	}
	if ((grew || finished) && ui->tbl.list_from_scan) {
		uint64_t keep = cursor_pfn(ui);

		list_from_scan(ui);
		put_cursor_at(ui, keep);
	}
	/* An expression filter built before the scan knew every page's
	 * cross-page findings is built again now that it does. */
	if (finished && ui->tbl.has_expr &&
	    (ui->tbl.f_findings || expr_has(&ui->tbl.expr, EX_FINDING)))
		rebuild_rows(ui);
	ui->dirty = true;
}

/* ---- searching ---- */

static void fline_text(const struct tui *ui, const struct fline *l,
		       char *buf, size_t bufsz);

/* Does row `row` of the current view match the search? */
static bool search_match(struct tui *ui, uint64_t row)
{
	struct search *se = &ui->search;
	char buf[DLINE_MAX + 64];

	if (ui->view == VIEW_PAGES) {
		const struct chunk *c;
		uint32_t i;

		uint64_t pfn = row_pfn(ui, row);

		c = cache_get(ui, pfn, true, &i);
		return c && !c->status && !is_missing(c->missing, i) &&
		       ex_eval(&se->expr, se->expr.root, &c->ps[i],
			       c->worst[i] >= 0 || finding_at(ui, pfn));
	}
	if (ui->view == VIEW_FINDINGS)
		fline_text(ui, &ui->flines[row], buf, sizeof(buf));
	else
		snprintf(buf, sizeof(buf), "%s", ui->det.lines[row].text);
	return strcasestr(buf, se->needle) != NULL;
}

static uint64_t view_rows(const struct tui *ui)
{
	switch (ui->view) {
	case VIEW_PAGES:
		return nr_rows(ui);
	case VIEW_FINDINGS:
		return ui->nr_flines;
	default:
		return ui->det.nr;
	}
}

static uint64_t *view_cursor(struct tui *ui)
{
	switch (ui->view) {
	case VIEW_PAGES:
		return &ui->tbl.cursor;
	case VIEW_FINDINGS:
		return &ui->f_cursor;
	default:
		return &ui->det.cursor;
	}
}

/* Look at up to SEARCH_SLICE rows, wrapping around once. */
static void search_step(struct tui *ui)
{
	struct search *se = &ui->search;
	uint64_t n = view_rows(ui), k;

	if (se->row >= n) {	/* the list changed under the search */
		se->active = false;
		return;
	}
	for (k = 0; k < SEARCH_SLICE && se->left; k++, se->left--) {
		if (search_match(ui, se->row)) {
			*view_cursor(ui) = se->row;
			ui->center = true;
			se->active = false;
			if (se->wrapped)
				set_msg(ui, false, "search wrapped: '%s'",
					se->text ? se->needle : se->expr.text);
			else
				ui->msg[0] = '\0';
			return;
		}
		if (se->dir > 0 && ++se->row == n) {
			se->row = 0;
			se->wrapped = true;
		} else if (se->dir < 0 && se->row-- == 0) {
			se->row = n - 1;
			se->wrapped = true;
		}
	}
	if (!se->left) {
		se->active = false;
		set_msg(ui, true, "no match for '%s'",
			se->text ? se->needle : se->expr.text);
	}
}

/* Start (or repeat, with text NULL) a search from the row after the
 * cursor, in direction dir. */
static void search_start(struct tui *ui, const char *text, int dir)
{
	struct search *se = &ui->search;
	uint64_t n = view_rows(ui), cur = *view_cursor(ui);
	char msg[256];

	if (text) {
		se->text = ui->view != VIEW_PAGES;
		snprintf(se->needle, sizeof(se->needle), "%s", text);
		se->expr.nr = 0;
		if (!se->text &&
		    !expr_parse(&se->expr, text, ui->pl, msg, sizeof(msg))) {
			se->needle[0] = '\0';
			set_msg(ui, true, "search: %s", msg);
			return;
		}
	} else if (!se->needle[0] ||
		   (se->text != (ui->view != VIEW_PAGES))) {
		set_msg(ui, true, "no search yet: / to start one");
		return;
	}
	if (!n) {
		set_msg(ui, true, "nothing to search");
		return;
	}
	se->dir = dir;
	se->wrapped = false;
	se->left = n;
	se->row = dir > 0 ? (cur + 1 < n ? cur + 1 : 0) :
			    (cur ? cur - 1 : n - 1);
	if ((dir > 0 && cur + 1 >= n) || (dir < 0 && !cur))
		se->wrapped = true;
	se->active = true;
	set_msg(ui, false, "searching '%s'...", se->needle);
}

/* ---- the detail view ---- */

static void dl_add(struct detail *d, enum role role, uint64_t link,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void dl_add(struct detail *d, enum role role, uint64_t link,
		   const char *fmt, ...)
{
	struct dline l;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(l.text, sizeof(l.text), fmt, ap);
	va_end(ap);
	l.role = role;
	l.link = link;
	append((void **)&d->lines, &d->nr, &d->cap, &l, 1, sizeof(l));
}

/* Read want struct pages from pfn on, clipped to the end of its
 * section; *nr receives how many were read. */
static enum ps_status read_pages(struct tui *ui, uint64_t pfn, uint32_t want,
				 uint8_t *raw, uint64_t *missing, uint32_t *nr,
				 struct ps_err *err)
{
	const struct mm_section *sec = memmap_find(ui->mm, pfn);
	uint32_t nr_missing;
	uint64_t left;

	*nr = 0;
	if (!sec)
		return ps_fail(err, PS_ERR_NODATA,
			       "pfn 0x%" PRIx64 " is in no present memory section",
			       pfn);
	left = sec->start_pfn + ui->pps - pfn;
	*nr = left < want ? (uint32_t)left : want;
	return memmap_read(ui->mm, sec, pfn, *nr, raw, missing, &nr_missing,
			   err);
}

/* Decode pfn (with page[1] and page[2] when its section has them) into ps;
 * false with a reason in why when it cannot be. */
static bool decode_pfn(struct tui *ui, uint64_t pfn, uint8_t *raw,
		       uint32_t *nr, struct page_state *ps, char *why,
		       size_t whysz)
{
	struct ps_err err = { 0 };
	uint64_t missing[1];

	if (read_pages(ui, pfn, 3, raw, missing, nr, &err)) {
		fmt_text(why, whysz, "%s", err.msg);
		return false;
	}
	if (is_missing(missing, 0)) {
		snprintf(why, whysz, "its struct page is missing from the dump");
		return false;
	}
	page_decode(ui->pl, raw, *nr, pfn, ps);
	return true;
}

static void pin_text(const struct page_layout *pl, const struct page_state *ps,
		     char *buf, size_t bufsz)
{
	if (ps->pin_how == PIN_HOW_NONE)
		snprintf(buf, bufsz, "not pinned");
	else
		snprintf(buf, bufsz, "PINNED how %s, confidence %s, pincount %" PRId64,
			 pin_how_name(pl, ps->pin_how),
			 pin_confidence_name(ps->pin_confidence), ps->pincount);
}

/* Why decode.c decided what it did, in words. */
static void pin_reason(const struct page_layout *pl,
		       const struct page_state *ps, char *buf, size_t bufsz)
{
	switch (ps->pin_how) {
	case PIN_HOW_RFC_FLAG:
		snprintf(buf, bufsz, "dma_pinned_flags has the pin bit 0x%" PRIx64
			 ", dma_pinned_count %" PRId64, pl->rfc_pin_mask,
			 ps->pincount);
		break;
	case PIN_HOW_LARGE_EXACT:
		snprintf(buf, bufsz, "%s of this order-%u head is %" PRId64,
			 large_pin_how(pl->large_pin_kind), ps->order,
			 ps->pincount);
		break;
	case PIN_HOW_REFCOUNT_BIAS:
		snprintf(buf, bufsz, "refcount %" PRIu32 " >= %u; mapcount %" PRId32
			 " %s", ps->refcount, GUP_PIN_COUNTING_BIAS,
			 ps->mapcount, ps->pin_confidence == PIN_CONF_LIKELY ?
			 "leaves >= 1024 references unexplained" :
			 "explains most references: may be mapped, not pinned");
		break;
	default:
		snprintf(buf, bufsz, "pins recorded by %s",
			 pin_scheme_name(pl->pin_scheme));
		break;
	}
}

struct finding_list {
	struct finding f[FINDINGS_PER_PAGE];
	unsigned nr, total;
};

static void collect_finding(void *arg, const struct finding *f)
{
	struct finding_list *fl = arg;

	if (fl->nr < FINDINGS_PER_PAGE)
		fl->f[fl->nr++] = *f;
	fl->total++;
}

/* One LRU neighbour: a struct page we can go to, or the list head the
 * list hangs from (an lruvec or a free_area, outside mem_map). Whether
 * it points back at us tells a consistent list from a torn one. */
static uint64_t add_neighbour(struct tui *ui, struct detail *d,
			      const char *which, bool is_next, uint64_t ptr,
			      uint64_t self)
{
	const struct page_layout *pl = ui->pl;
	uint8_t raw[3 * 256];
	char why[256];
	struct page_state nps;
	uint64_t npfn, back, lh[2];
	struct ps_err err = { 0 };
	uint32_t nr;

	if (ptr < KERNEL_ADDR_MIN) {
		dl_add(d, ROLE_FINDING, NO_PFN, "  %s 0x%016" PRIx64 ": not a kernel pointer",
		       which, ptr);
		return NO_PFN;
	}
	npfn = memmap_addr_to_pfn(ui->mm, ptr - pl->lru.off);
	if (npfn == NO_PFN) {
		if (target_read_virt(&ui->s->t, ptr, lh, sizeof(lh), &err)) {
			dl_add(d, ROLE_DIM, NO_PFN,
			       "  %s 0x%016" PRIx64 ": list head outside mem_map (unreadable)",
			       which, ptr);
			return NO_PFN;
		}
		back = is_next ? lh[pl->list_prev_off / 8] : lh[pl->list_next_off / 8];
		dl_add(d, ROLE_DIM, NO_PFN,
		       "  %s 0x%016" PRIx64 ": list head outside mem_map, %s",
		       which, ptr, back == self ? "links back" :
		       "does NOT link back");
		return NO_PFN;
	}
	if (pl->struct_page_size > 256 ||
	    !decode_pfn(ui, npfn, raw, &nr, &nps, why, sizeof(why))) {
		dl_add(d, ROLE_LINK, npfn, "  %s 0x%016" PRIx64 " -> pfn 0x%" PRIx64 " (%s)",
		       which, ptr, npfn,
		       pl->struct_page_size > 256 ? "struct page too large" : why);
		return npfn;
	}
	back = is_next ? nps.lru_prev : nps.lru_next;
	dl_add(d, ROLE_LINK, npfn, "  %s 0x%016" PRIx64 " -> pfn 0x%" PRIx64 ", %s",
	       which, ptr, npfn, back == self ? "links back" :
	       "does NOT link back");
	return npfn;
}

static void detail_compound(struct tui *ui, struct detail *d,
			    const struct page_state *ps)
{
	const struct page_layout *pl = ui->pl;
	uint8_t raw[3 * 256];
	struct page_state hps;
	char why[256], pin[128];
	uint32_t nr;

	dl_add(d, ROLE_TITLE, NO_PFN, "Compound page");
	if (ps->head && ps->bad_order) {
		dl_add(d, ROLE_FINDING, NO_PFN, "  head whose order is absurd (> %d)",
		       MAX_SANE_ORDER);
	} else if (ps->head) {
		dl_add(d, ROLE_NORMAL, NO_PFN, "  head of order %u: %" PRIu64 " pages, 0x%" PRIx64 "-0x%" PRIx64,
		       ps->order, ps->nr_pages, ps->pfn,
		       ps->pfn + ps->nr_pages - 1);
		if (ps->nr_pages > 1) {
			d->tail_pfn = ps->pfn + 1;
			dl_add(d, ROLE_LINK, d->tail_pfn, "  first tail -> pfn 0x%" PRIx64 " (T)",
			       d->tail_pfn);
		}
	} else if (ps->tail) {
		d->head_pfn = memmap_addr_to_pfn(ui->mm, ps->head_addr);
		if (d->head_pfn == NO_PFN) {
			dl_add(d, ROLE_FINDING, NO_PFN,
			       "  tail whose compound_head 0x%" PRIx64 " is no struct page in mem_map",
			       ps->head_addr + 1);
			return;
		}
		dl_add(d, ROLE_LINK, d->head_pfn, "  tail of head -> pfn 0x%" PRIx64 " (H)",
		       d->head_pfn);
		if (pl->struct_page_size > 256 ||
		    !decode_pfn(ui, d->head_pfn, raw, &nr, &hps, why, sizeof(why))) {
			dl_add(d, ROLE_DIM, NO_PFN, "  head: %s",
			       pl->struct_page_size > 256 ? "struct page too large" : why);
			return;
		}
		pin_text(pl, &hps, pin, sizeof(pin));
		dl_add(d, hps.pin_how ? ROLE_PINNED : ROLE_NORMAL, NO_PFN,
		       "  head: %s order %u (%" PRIu64 " pages), %s",
		       hps.head ? "PG_head," : "NO PG_head!", hps.order,
		       hps.nr_pages, pin);
		if (ps->pfn < d->head_pfn || ps->pfn >= d->head_pfn + hps.nr_pages)
			dl_add(d, ROLE_FINDING, NO_PFN,
			       "  this page lies outside its head's %" PRIu64 " pages",
			       hps.nr_pages);
	} else {
		dl_add(d, ROLE_NORMAL, NO_PFN, "  not compound (order-0 page)");
	}
}

static void detail_lru(struct tui *ui, struct detail *d,
		       const struct page_state *ps)
{
	const struct page_layout *pl = ui->pl;
	uint64_t self;

	dl_add(d, ROLE_TITLE, NO_PFN, "LRU links (lru at +%u)", pl->lru.off);
	if (!pl->lru.present) {
		dl_add(d, ROLE_DIM, NO_PFN, "  this layout has no lru member");
		return;
	}
	if (ps->tail) {
		dl_add(d, ROLE_DIM, NO_PFN,
		       "  a tail page: lru.next is its compound_head, no list");
		return;
	}
	dl_add(d, ROLE_DIM, NO_PFN, "  %s",
	       ps->lru ? "on an LRU list (PG_lru)" :
	       ps->buddy ? "free: lru is the buddy allocator's free list" :
	       "PG_lru clear: these words may hold something else");
	self = memmap_page_addr(ui->mm, ps->pfn) + pl->lru.off;
	d->next_pfn = add_neighbour(ui, d, "next (>)", true, ps->lru_next, self);
	d->prev_pfn = add_neighbour(ui, d, "prev (<)", false, ps->lru_prev, self);
}

static uint64_t raw_value(const uint8_t *raw, uint32_t off, uint32_t size)
{
	uint8_t b[8] = { 0 };
	uint64_t v;

	memcpy(b, raw + off, size > 8 ? 8 : size);
	memcpy(&v, b, 8);
	if (size < 8)
		v &= (1ull << (size * 8)) - 1;
	return v;
}

/* One member of struct page_layout: name, where it is, its value. */
static void detail_field(struct tui *ui, struct detail *d, const char *name,
			 const struct field *f, const uint8_t *raw,
			 uint32_t nr_read, bool head_only, bool is_head)
{
	uint32_t sps = ui->pl->struct_page_size;
	char where[32], value[64];

	if (!f->present)
		return;
	if (f->off < sps)
		snprintf(where, sizeof(where), "+%u", f->off);
	else
		snprintf(where, sizeof(where), "page[%u]+%u", f->off / sps,
			 f->off % sps);
	if (head_only && !is_head)
		snprintf(value, sizeof(value), "- (heads only)");
	else if ((uint64_t)f->off + f->size > (uint64_t)nr_read * sps)
		snprintf(value, sizeof(value), "- (beyond the section)");
	else if (f->size <= 4)
		snprintf(value, sizeof(value), "0x%" PRIx64 " (%" PRId32 ")",
			 raw_value(raw, f->off, f->size),
			 (int32_t)raw_value(raw, f->off, f->size));
	else if (f->size <= 8)
		snprintf(value, sizeof(value), "0x%" PRIx64,
			 raw_value(raw, f->off, f->size));
	else
		snprintf(value, sizeof(value), "0x%" PRIx64 " 0x%" PRIx64,
			 raw_value(raw, f->off, 8), raw_value(raw, f->off + 8, 8));
	dl_add(d, ROLE_NORMAL, NO_PFN, "  %-22s %-12s %3u  %s", name, where,
	       f->size, value);
}

static void detail_fields(struct tui *ui, struct detail *d,
			  const struct page_state *ps, const uint8_t *raw,
			  uint32_t nr)
{
	const struct page_layout *pl = ui->pl;
	char name[48];

	dl_add(d, ROLE_TITLE, NO_PFN, "struct page members (%s)", pl->source);
	dl_add(d, ROLE_DIM, NO_PFN, "  %-22s %-12s %3s  %s", "member", "offset",
	       "len", "value");
	detail_field(ui, d, "flags", &pl->flags, raw, nr, false, ps->head);
	detail_field(ui, d, "compound_head", &pl->compound_head, raw, nr, false,
		     ps->head);
	detail_field(ui, d, "lru (next, prev)", &pl->lru, raw, nr, false,
		     ps->head);
	detail_field(ui, d, "mapping", &pl->mapping, raw, nr, false, ps->head);
	detail_field(ui, d, "index", &pl->index, raw, nr, false, ps->head);
	detail_field(ui, d, "private", &pl->private_, raw, nr, false, ps->head);
	detail_field(ui, d, "_mapcount / page_type", &pl->mapcount, raw, nr,
		     false, ps->head);
	detail_field(ui, d, "_refcount", &pl->refcount, raw, nr, false,
		     ps->head);
	detail_field(ui, d, pl->order_kind == ORDER_FLAGS_1_LOW_BYTE ?
		     "order (_flags_1 & 0xff)" : "compound order", &pl->order,
		     raw, nr, true, ps->head);
	detail_field(ui, d, "nr_pages", &pl->nr_pages, raw, nr, true, ps->head);
	if (pl->large_pin_kind != LARGE_PIN_NONE) {
		snprintf(name, sizeof(name), "%s", large_pin_how(pl->large_pin_kind));
		detail_field(ui, d, name, &pl->large_pin, raw, nr, true,
			     ps->head);
	}
	detail_field(ui, d, "dma_pinned_flags", &pl->rfc_flags, raw, nr, false,
		     ps->head);
	detail_field(ui, d, "dma_pinned_count", &pl->rfc_count, raw, nr, false,
		     ps->head);
}

static void detail_raw(struct detail *d, const uint8_t *raw, uint32_t len,
		       const char *title, uint64_t addr)
{
	uint32_t off;

	dl_add(d, ROLE_TITLE, NO_PFN, "%s (%u bytes at 0x%" PRIx64 ")", title, len,
	       addr);
	for (off = 0; off < len; off += 16) {
		char hex[16 * 3 + 2];
		size_t n = 0;
		uint32_t i;

		for (i = off; i < off + 16 && i < len; i++)
			n += (size_t)snprintf(hex + n, sizeof(hex) - n, "%s%02x",
					      i == off + 8 ? "  " : i > off ? " " : "",
					      raw[i]);
		dl_add(d, ROLE_NORMAL, NO_PFN, "  +0x%03x  %s", off, hex);
	}
}

/* Fill the detail view with everything about one page. */
static void build_detail(struct tui *ui, uint64_t pfn)
{
	const struct page_layout *pl = ui->pl;
	struct detail *d = &ui->det;
	uint32_t sps = pl->struct_page_size, nr = 0, i;
	uint64_t addr = memmap_page_addr(ui->mm, pfn);
	struct finding_list fl = { .nr = 0 };
	char flags[512], text[256];
	size_t j;
	struct page_state ps;
	uint8_t *raw;

	d->nr = 0;
	d->pfn = pfn;
	d->cursor = d->top = 0;
	d->next_pfn = d->prev_pfn = d->head_pfn = d->tail_pfn = NO_PFN;
	dl_add(d, ROLE_TITLE, NO_PFN, "pfn 0x%" PRIx64 "  phys 0x%" PRIx64 "  struct page at 0x%" PRIx64,
	       pfn, pfn * pl->page_size, addr);
	raw = malloc(3 * (size_t)sps);
	if (!raw) {
		dl_add(d, ROLE_FINDING, NO_PFN, "  out of memory");
		return;
	}
	if (!decode_pfn(ui, pfn, raw, &nr, &ps, text, sizeof(text))) {
		dl_add(d, ROLE_FINDING, NO_PFN, "  %s", text);
		free(raw);
		return;
	}
	page_flags_string(pl, ps.flags, flags, sizeof(flags));
	dl_add(d, ROLE_NORMAL, NO_PFN, "  flags 0x%" PRIx64 " %s", ps.flags,
	       flags[0] ? flags : "(none)");
	dl_add(d, ROLE_NORMAL, NO_PFN, "  refcount %" PRIu32 "  mapcount %" PRId32 "%s%s%s",
	       ps.refcount, ps.mapcount, ps.typed ? "  typed page_type " : "",
	       ps.buddy ? "buddy" : ps.slab ? "slab" : "",
	       ps.typed && !ps.buddy && !ps.slab ? "other" : "");
	dl_add(d, ROLE_NORMAL, NO_PFN, "  mapping 0x%" PRIx64 "  private 0x%" PRIx64,
	       ps.mapping, ps.private_);
	pin_text(pl, &ps, text, sizeof(text));
	dl_add(d, ps.pin_how ? ROLE_PINNED : ROLE_NORMAL, NO_PFN, "pin: %s", text);
	pin_reason(pl, &ps, text, sizeof(text));
	dl_add(d, ROLE_DIM, NO_PFN, "  %s", text);
	checks_page(pl, &ps, collect_finding, &fl);
	/* And what the scan found here, cross-page rules included. */
	for (j = 0; j < ui->nr_findings; j++) {
		unsigned k;

		if (ui->findings[j].pfn != pfn)
			continue;
		for (k = 0; k < fl.nr && fl.f[k].rule != ui->findings[j].rule; k++)
			;
		if (k == fl.nr)
			collect_finding(&fl, &ui->findings[j]);
	}
	if (!fl.total)
		dl_add(d, ROLE_NORMAL, NO_PFN, "findings: none");
	for (i = 0; i < fl.nr; i++)
		dl_add(d, ROLE_FINDING, NO_PFN, "finding %s (%s): %s",
		       fl.f[i].rule->id, severity_name(fl.f[i].rule->severity),
		       fl.f[i].message);
	if (fl.total > fl.nr)
		dl_add(d, ROLE_FINDING, NO_PFN, "  ... %u more", fl.total - fl.nr);
	detail_compound(ui, d, &ps);
	detail_lru(ui, d, &ps);
	detail_fields(ui, d, &ps, raw, nr);
	detail_raw(d, raw, sps, "raw struct page", addr);
	if (ps.head && nr > 1)
		detail_raw(d, raw + sps, (nr - 1) * sps, "page[1..] (compound metadata)",
			   addr + sps);
	free(raw);
}

static void open_detail(struct tui *ui, uint64_t pfn, bool push)
{
	struct detail *d = &ui->det;

	if (ui->view != VIEW_DETAIL) {
		d->back = ui->view;
		d->nr_history = 0;
	} else if (push) {
		if (d->nr_history == HISTORY_MAX) {
			memmove(d->history, d->history + 1,
				(HISTORY_MAX - 1) * sizeof(d->history[0]));
			d->nr_history--;
		}
		d->history[d->nr_history++] = d->pfn;
	}
	ui->view = VIEW_DETAIL;
	build_detail(ui, pfn);
	ui->search.active = false;
}

static void follow(struct tui *ui, uint64_t pfn, const char *what)
{
	if (pfn == NO_PFN) {
		set_msg(ui, true, "no %s to follow here", what);
		return;
	}
	open_detail(ui, pfn, true);
}

/* ---- drawing ---- */

static attr_t role_attr(const struct tui *ui, enum role r)
{
	static const attr_t mono[] = {
		[ROLE_NORMAL] = A_NORMAL,
		[ROLE_HEADER] = A_REVERSE | A_BOLD,
		[ROLE_TITLE] = A_BOLD,
		[ROLE_PINNED] = A_BOLD,
		[ROLE_FINDING] = A_BOLD | A_UNDERLINE,
		[ROLE_LINK] = A_UNDERLINE,
		[ROLE_DIM] = A_DIM,
		[ROLE_STATUS] = A_REVERSE,
		[ROLE_ERROR] = A_REVERSE | A_BOLD,
	};

	if (!ui->color || r == ROLE_NORMAL)
		return mono[r];
	return COLOR_PAIR(r) | (r == ROLE_PINNED || r == ROLE_TITLE ||
				r == ROLE_HEADER || r == ROLE_ERROR ? A_BOLD : 0);
}

/* Print text on line y, cut at the screen's width; a background attribute
 * fills the whole line. */
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

static void draw_header(struct tui *ui)
{
	const struct target *t = &ui->s->t;
	char line[512], a[32], b[32], c[32];
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
	put_line(0, role_attr(ui, ROLE_HEADER), line);

	fmt_count(a, sizeof(a), ui->sum.pages);
	fmt_count(b, sizeof(b), ui->sum.pinned_pages);
	fmt_count(c, sizeof(c), ui->sum.pinned_entries);
	if (!ui->scan_started) {
		fmt_text(line, sizeof(line), " %s", ui->scan_error);
	} else {
		n = snprintf(line, sizeof(line),
			     " pages %s%s, missing %" PRIu64 " | pinned %s pages (%s entries) | findings %" PRIu64,
			     a, ui->scan_finished ? "" : " so far",
			     ui->sum.missing, b, c, ui->total_findings);
		if (ui->total_findings)
			snprintf(line + n, sizeof(line) - (size_t)n,
				 ": %" PRIu64 " error, %" PRIu64 " warning, %" PRIu64 " info",
				 ui->by_severity[SEV_ERROR],
				 ui->by_severity[SEV_WARNING],
				 ui->by_severity[SEV_INFO]);
		if (strlen(line) > (size_t)COLS)
			snprintf(line, sizeof(line),
				 " pages %s%s, %" PRIu64 " missing | pinned %s (%s) | findings %" PRIu64 ": %" PRIu64 " err %" PRIu64 " warn %" PRIu64 " info",
				 a, ui->scan_finished ? "" : "+", ui->sum.missing, b, c,
				 ui->total_findings, ui->by_severity[SEV_ERROR],
				 ui->by_severity[SEV_WARNING],
				 ui->by_severity[SEV_INFO]);
	}
	put_line(1, A_NORMAL, line);
}

static const char *sort_name(enum sort_key k)
{
	return k == SORT_PINCOUNT ? "pincount" : k == SORT_REFCOUNT ?
	       "refcount" : "pfn";
}

static void filter_text(const struct table *t, char *buf, size_t bufsz)
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

static void draw_bar(struct tui *ui)
{
	const struct table *t = &ui->tbl;
	char line[512], flt[256], at[32] = "-";

	if (ui->help) {
		snprintf(line, sizeof(line), "Help");
	} else if (ui->view == VIEW_PAGES) {
		filter_text(t, flt, sizeof(flt));
		if (nr_rows(ui))
			snprintf(at, sizeof(at), "0x%" PRIx64, cursor_pfn(ui));
		snprintf(line, sizeof(line), "Pages: %s%s | row %" PRIu64 " of %" PRIu64 "%s | pfn %s | sort %s",
			 flt[0] ? "filter" : "all", flt,
			 nr_rows(ui) ? t->cursor + 1 : 0, nr_rows(ui),
			 t->building || (t->list_from_scan && !ui->scan_finished) ?
			 " so far" : "", at, sort_name(t->sort));
	} else if (ui->view == VIEW_FINDINGS) {
		snprintf(line, sizeof(line), "Findings by rule: %zu findings on %zu pages%s",
			 ui->nr_findings, ui->nr_flagged,
			 ui->scan_finished ? "" : " so far");
	} else {
		snprintf(line, sizeof(line), "Page 0x%" PRIx64 " | back: q (%u)",
			 ui->det.pfn, ui->det.nr_history);
	}
	put_line(2, role_attr(ui, ROLE_TITLE), line);
}

/* Column widths of the page table for the current screen width. */
struct columns {
	int pfn, phys, pin;
	bool long_how;
};

static struct columns table_columns(const struct tui *ui)
{
	struct columns c;
	uint64_t last = ui->mm->nr_sections ?
			section_at(ui, ui->mm->nr_sections - 1)->start_pfn +
			ui->pps - 1 : 0;
	char buf[32];

	c.pfn = snprintf(buf, sizeof(buf), "0x%" PRIx64, last);
	c.phys = snprintf(buf, sizeof(buf), "0x%" PRIx64, last * ui->pl->page_size);
	c.long_how = COLS >= 100;
	c.pin = c.long_how ? 27 : 18;
	return c;
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

/* One row of the page table into buf; its role in *role. */
static void table_row(struct tui *ui, const struct columns *c, uint64_t pfn,
		      char *buf, size_t bufsz, enum role *role)
{
	static const char *const link_name[] = { "-", "ok", "end", "BAD" };
	const struct page_layout *pl = ui->pl;
	const struct page_state *ps;
	const struct chunk *ch;
	char compound[32], pin[64], flags[512];
	uint32_t i;
	int n, worst;

	*role = ROLE_NORMAL;
	snprintf(compound, sizeof(compound), "0x%" PRIx64, pfn);
	snprintf(pin, sizeof(pin), "0x%" PRIx64, pfn * pl->page_size);
	n = snprintf(buf, bufsz, "%-*s %-*s ", c->pfn, compound, c->phys, pin);
	if (n < 0 || (size_t)n >= bufsz)
		return;
	ch = cache_get(ui, pfn, false, &i);
	if (!ch || ch->status) {
		*role = ROLE_FINDING;
		snprintf(buf + n, bufsz - (size_t)n, "(cannot read: %s)",
			 ch ? ch->error : "no such section");
		return;
	}
	if (is_missing(ch->missing, i)) {
		*role = ROLE_DIM;
		snprintf(buf + n, bufsz - (size_t)n, "(struct page missing from the dump)");
		return;
	}
	ps = &ch->ps[i];
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
	page_flags_string(pl, ps->flags, flags, sizeof(flags));
	snprintf(buf + n, bufsz - (size_t)n, "%8" PRIu32 " %6" PRId32 " %-8s %-*s %-4s %s",
		 ps->refcount, ps->mapcount, compound, c->pin, pin,
		 link_name[ch->lru_link[i] & 3], flags);
	/* Warnings and errors stand out; an info finding does not hide
	 * that a page is pinned. */
	worst = ch->worst[i] > scan_worst(ui, pfn) ? ch->worst[i] :
		scan_worst(ui, pfn);
	if (worst >= SEV_WARNING)
		*role = ROLE_FINDING;
	else if (ps->pin_how != PIN_HOW_NONE)
		*role = ROLE_PINNED;
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
	struct table *t = &ui->tbl;
	struct columns c = table_columns(ui);
	uint64_t n = nr_rows(ui), r;
	char line[1024];
	int y;

	snprintf(line, sizeof(line), "%-*s %-*s %8s %6s %-8s %-*s %-4s %s",
		 c.pfn, "pfn", c.phys, "phys", "refcount", "mapcnt", "compound",
		 c.pin, "pin (how confidence count)", "lru", "flags");
	if (c.pin < 26)
		snprintf(line, sizeof(line), "%-*s %-*s %8s %6s %-8s %-*s %-4s %s",
			 c.pfn, "pfn", c.phys, "phys", "refcount", "mapcnt",
			 "compound", c.pin, "pin", "lru", "flags");
	put_line(y0, role_attr(ui, ROLE_DIM) | A_BOLD, line);
	y0++;
	h--;
	clamp_view(ui, &t->cursor, &t->top, n, h);
	if (!n) {
		put_line(y0, A_NORMAL, t->building ? "  (filtering...)" :
			 "  (no pages match: c clears the filters)");
		return;
	}
	for (y = 0, r = t->top; y < h && r < n; y++, r++) {
		enum role role;
		attr_t a;

		table_row(ui, &c, row_pfn(ui, r), line, sizeof(line), &role);
		a = role_attr(ui, role);
		if (r == t->cursor)
			a = (a & ~A_UNDERLINE) | A_REVERSE;
		put_line(y0 + y, a, line);
	}
}

static void fline_text(const struct tui *ui, const struct fline *l,
		       char *buf, size_t bufsz)
{
	const struct rule *rules;
	const struct lru_list *ll;
	uint64_t count;
	unsigned n;

	rules = rules_all(&n);
	switch (l->kind) {
	case FL_RULE:
		if (l->rule >= ui->nr_rules) {
			snprintf(buf, bufsz, "- %-26s %-7s %6zu  rules outside the catalogue",
				 "(other)", "", l->idx);
			break;
		}
		count = ui->rule_count[l->rule];
		snprintf(buf, bufsz, "%s %-26s %-7s %6" PRIu64 "  %s%s",
			 ui->rule_folded[l->rule] ? "+" : "-", rules[l->rule].id,
			 severity_name(rules[l->rule].severity), count,
			 count > l->idx ? "(first ones kept) " : "",
			 rules[l->rule].summary);
		break;
	case FL_FINDING:
		snprintf(buf, bufsz, "    pfn 0x%-8" PRIx64 " %s",
			 ui->findings[l->idx].pfn, ui->findings[l->idx].message);
		break;
	case FL_LISTS:
		snprintf(buf, bufsz, "LRU lists rebuilt by the audit: %zu", l->idx);
		break;
	default:
		ll = &ui->lists[l->idx];
		if (ll->first_pfn == NO_PFN)
			snprintf(buf, bufsz, "    head 0x%016" PRIx64 "  %-8s %8" PRIu64 " pages",
				 ll->head, lru_list_status_name(ll->status),
				 ll->length);
		else
			snprintf(buf, bufsz, "    head 0x%016" PRIx64 "  %-8s %8" PRIu64 " pages, first pfn 0x%" PRIx64,
				 ll->head, lru_list_status_name(ll->status),
				 ll->length, ll->first_pfn);
		break;
	}
}

static void draw_findings(struct tui *ui, int y0, int h)
{
	char line[512];
	uint64_t r;
	int y;

	clamp_view(ui, &ui->f_cursor, &ui->f_top, ui->nr_flines, h);
	if (!ui->nr_flines) {
		put_line(y0, A_NORMAL, "  (no rules)");
		return;
	}
	for (y = 0, r = ui->f_top; y < h && r < ui->nr_flines; y++, r++) {
		const struct fline *l = &ui->flines[r];
		attr_t a;

		fline_text(ui, l, line, sizeof(line));
		if (l->kind == FL_RULE)
			a = role_attr(ui, l->rule < ui->nr_rules &&
				      ui->rule_count[l->rule] ? ROLE_FINDING :
				      l->idx ? ROLE_FINDING : ROLE_DIM);
		else if (l->kind == FL_LISTS)
			a = role_attr(ui, ROLE_TITLE);
		else if (l->kind == FL_LIST)
			a = role_attr(ui, ui->lists[l->idx].status == LRU_LIST_OK ?
				      ROLE_LINK : ROLE_FINDING);
		else
			a = A_NORMAL;
		if (r == ui->f_cursor)
			a = (a & ~A_UNDERLINE) | A_REVERSE;
		put_line(y0 + y, a, line);
	}
}

static void draw_detail(struct tui *ui, int y0, int h)
{
	struct detail *d = &ui->det;
	uint64_t r;
	int y;

	clamp_view(ui, &d->cursor, &d->top, d->nr, h);
	for (y = 0, r = d->top; y < h && r < d->nr; y++, r++) {
		attr_t a = role_attr(ui, d->lines[r].role);

		if (r == d->cursor)
			a = (a & ~A_UNDERLINE) | A_REVERSE;
		put_line(y0 + y, a, d->lines[r].text);
	}
}

static void draw_help(struct tui *ui, int y0, int h)
{
	const struct session *s = ui->s;
	size_t n = sizeof(help_text) / sizeof(help_text[0]);
	char about[4][512];
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
	fmt_text(about[3], sizeof(about[3]), "  %s%s",
		 s->warning[0] ? "warning: " : "", s->warning);
	if (ui->help_top + (uint64_t)h > total)
		ui->help_top = total > (uint64_t)h ? total - (uint64_t)h : 0;
	for (y = 0, r = ui->help_top; y < h && r < total; y++, r++) {
		if (r < n)
			put_line(y0 + y, r && help_text[r][0] != ' ' && help_text[r][0] ?
				 role_attr(ui, ROLE_TITLE) : A_NORMAL, help_text[r]);
		else if (r == n)
			put_line(y0 + y, A_NORMAL, "");
		else
			put_line(y0 + y, r == n + 1 ? role_attr(ui, ROLE_TITLE) :
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
		       "?:help Enter:detail g:goto /:search p:pinned F:findings f:flags r:range s:sort Tab q:quit" :
		       "?:help Enter:detail g:goto /:search p:pinned F:findings f:flags q:quit";
	case VIEW_FINDINGS:
		return "?:help Enter:open/fold /:search g:goto Tab:pages q:quit";
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
	if (ui->scan_started && !ui->scan_finished && ui->scan_done &&
	    ui->scan_done == ui->scan_total)
		n += (size_t)snprintf(buf + n, bufsz - n, " scanning: LRU lists");
	else if (ui->scan_started && !ui->scan_finished)
		n += (size_t)snprintf(buf + n, bufsz - n, " scanning %" PRIu64 "%%",
				      ui->scan_total ? ui->scan_done * 100 /
				      ui->scan_total : 0);
	if (ui->tbl.building && n < bufsz)
		n += (size_t)snprintf(buf + n, bufsz - n, "%s filtering %" PRIu64 "%%",
				      n ? "," : "", ui->tbl.build_end ?
				      ui->tbl.build_sec * 100 / ui->tbl.build_end : 0);
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

		snprintf(line, sizeof(line), "%s%s", label[ui->prompt.kind],
			 ui->prompt.buf);
		put_line(y, A_NORMAL, line);
		move(y, (int)strlen(line) < COLS ? (int)strlen(line) : COLS - 1);
		return;
	}
	activity(ui, right, sizeof(right));
	put_line(y, role_attr(ui, ui->msg[0] && ui->msg_error ? ROLE_ERROR :
			      ROLE_STATUS), ui->msg[0] ? ui->msg : hints(ui));
	rl = (int)strlen(right);
	if (rl && rl < COLS) {
		attrset(role_attr(ui, ROLE_HEADER));
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
	else
		draw_detail(ui, 3, h);
	draw_status(ui);
	curs_set(ui->prompt.kind != PROMPT_NONE);
	refresh();
	clock_gettime(CLOCK_MONOTONIC, &ui->last_draw);
}

/* ---- keys ---- */

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
	struct table *t = &ui->tbl;
	char lo[PROMPT_MAX + 1], *dash;
	uint64_t a = 0, b = UINT64_MAX;

	snprintf(lo, sizeof(lo), "%s", text);
	dash = strstr(lo, "..");
	if (dash) {
		*dash = '\0';
		dash += 1;
	} else {
		dash = strchr(lo, '-');
		if (dash)
			*dash = '\0';
	}
	if ((lo[strspn(lo, " ")] && !parse_pfn(lo, &a)) ||
	    (dash && dash[1 + strspn(dash + 1, " ")] && !parse_pfn(dash + 1, &b))) {
		set_msg(ui, true, "not a pfn range: '%s' (0x1000-0x1fff, 4096-8191, 0x1000-)",
			text);
		return;
	}
	if (!dash)
		b = a;
	if (b < a) {
		set_msg(ui, true, "empty range: 0x%" PRIx64 " > 0x%" PRIx64, a, b);
		return;
	}
	t->has_range = true;
	t->range_lo = a;
	t->range_hi = b;
	rebuild_rows(ui);
}

static void go_to_pfn(struct tui *ui, const char *text)
{
	uint64_t pfn;
	bool exact;

	if (!parse_pfn(text, &pfn)) {
		set_msg(ui, true, "not a pfn: '%s'", text);
		return;
	}
	if (ui->view == VIEW_DETAIL) {
		open_detail(ui, pfn, true);
		return;
	}
	ui->view = VIEW_PAGES;
	ui->tbl.cursor = row_of_pfn(ui, pfn, &exact);
	ui->center = true;
	if (!nr_rows(ui))
		set_msg(ui, true, "no pages in this list");
	else if (!exact && !memmap_find(ui->mm, pfn))
		set_msg(ui, true, "pfn 0x%" PRIx64 " is in no present section; nearest 0x%" PRIx64,
			pfn, cursor_pfn(ui));
	else if (!exact)
		set_msg(ui, true, "pfn 0x%" PRIx64 " is not in this list; nearest 0x%" PRIx64,
			pfn, cursor_pfn(ui));
}

static void prompt_submit(struct tui *ui)
{
	struct table *t = &ui->tbl;
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
		} else if (!expr_parse(&t->expr, text, ui->pl, msg, sizeof(msg))) {
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
		if (p->len)
			p->buf[--p->len] = '\0';
		break;
	case 21:	/* ^U */
		p->len = 0;
		p->buf[0] = '\0';
		break;
	default:
		if (key >= 32 && key < 127 && p->len < PROMPT_MAX) {
			p->buf[p->len++] = (char)key;
			p->buf[p->len] = '\0';
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

static void pages_key(struct tui *ui, int key)
{
	struct table *t = &ui->tbl;

	switch (key) {
	case '\n':
	case '\r':
	case KEY_ENTER:
		if (nr_rows(ui))
			open_detail(ui, cursor_pfn(ui), false);
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
		if (!t->is_list || !t->list_has_counts) {
			set_msg(ui, true, "sorting is for pinned (p) or flag (f) lists");
			break;
		}
		if (t->building) {
			set_msg(ui, true, "the list is still being built");
			break;
		}
		{
			uint64_t keep = cursor_pfn(ui);

			t->sort = t->sort == SORT_PFN ? SORT_PINCOUNT :
				  t->sort == SORT_PINCOUNT ? SORT_REFCOUNT : SORT_PFN;
			sort_list(t);
			put_cursor_at(ui, keep);
			set_msg(ui, false, "sorted by %s", sort_name(t->sort));
		}
		break;
	default:
		break;
	}
}

static void findings_key(struct tui *ui, int key)
{
	const struct fline *l;

	if (key != '\n' && key != '\r' && key != KEY_ENTER)
		return;
	if (!ui->nr_flines)
		return;
	l = &ui->flines[ui->f_cursor];
	if (l->kind == FL_FINDING) {
		open_detail(ui, ui->findings[l->idx].pfn, false);
	} else if (l->kind == FL_LIST && ui->lists[l->idx].first_pfn != NO_PFN) {
		open_detail(ui, ui->lists[l->idx].first_pfn, false);
	} else if (l->kind == FL_RULE && l->rule < ui->nr_rules) {
		ui->rule_folded[l->rule] = !ui->rule_folded[l->rule];
		build_flines(ui);
	}
}

static void detail_key(struct tui *ui, int key)
{
	struct detail *d = &ui->det;

	switch (key) {
	case '\n':
	case '\r':
	case KEY_ENTER:
		if (d->nr && d->lines[d->cursor].link != NO_PFN)
			follow(ui, d->lines[d->cursor].link, "link");
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
	struct detail *d = &ui->det;

	ui->search.active = false;
	if (ui->help) {
		ui->help = false;
	} else if (ui->view == VIEW_DETAIL && d->nr_history) {
		build_detail(ui, d->history[--d->nr_history]);
	} else if (ui->view == VIEW_DETAIL) {
		ui->view = d->back;
	} else {
		ui->quit = true;
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
		uint64_t total = sizeof(help_text) / sizeof(help_text[0]) + 5;

		if (key == '?')
			ui->help = false;
		else
			navigate(&ui->help_top, total, list_height(ui), key);
		return;
	}
	if (navigate(view_cursor(ui), view_rows(ui), list_height(ui), key))
		return;
	switch (key) {
	case '?':
		ui->help = true;
		ui->help_top = 0;
		return;
	case '\t':
		if (ui->view == VIEW_DETAIL)
			ui->view = ui->det.back;
		ui->view = ui->view == VIEW_PAGES ? VIEW_FINDINGS : VIEW_PAGES;
		ui->search.active = false;
		return;
	case 'g':
		open_prompt(ui, PROMPT_GOTO, "");
		return;
	case '/':
		open_prompt(ui, PROMPT_SEARCH, "");
		return;
	case 'n':
		search_start(ui, NULL, +1);
		return;
	case 'N':
		search_start(ui, NULL, -1);
		return;
	default:
		break;
	}
	if (ui->view == VIEW_PAGES)
		pages_key(ui, key);
	else if (ui->view == VIEW_FINDINGS)
		findings_key(ui, key);
	else
		detail_key(ui, key);
}

/* ---- set-up and the loop ---- */

static enum ps_status ui_init(struct tui *ui, struct session *s,
			      struct ps_err *err)
{
	unsigned i;

	ui->s = s;
	ui->pl = &s->pl;
	ui->mm = &s->mm;
	ui->pps = s->mm.pages_per_section;
	if (!ui->pps || !ui->mm->nr_sections)
		return ps_fail(err, PS_ERR_NODATA,
			       "%s: no present memory section with a mem_map",
			       s->t.path);
	for (i = 0; i <= NR_CHUNKS; i++) {
		ui->chunks[i].raw = malloc((CHUNK_PAGES + CHUNK_EXTRA) *
					   (size_t)ui->pl->struct_page_size);
		if (!ui->chunks[i].raw)
			return ps_fail(err, PS_ERR_NOMEM, "out of memory");
	}
	rules_all(&ui->nr_rules);
	ui->rule_folded = calloc(ui->nr_rules + 1, sizeof(*ui->rule_folded));
	if (!ui->rule_folded)
		return ps_fail(err, PS_ERR_NOMEM, "out of memory");
	ui->view = VIEW_PAGES;
	ui->det.back = VIEW_PAGES;
	rebuild_rows(ui);
	build_flines(ui);
	if (s->warning[0])
		set_msg(ui, false, "warning: %s", s->warning);
	ui->dirty = true;
	return PS_OK;
}

static void ui_free(struct tui *ui)
{
	unsigned i;

	bg_stop(ui);
	for (i = 0; i <= NR_CHUNKS; i++)
		free(ui->chunks[i].raw);
	free(ui->pinned);
	free(ui->findings);
	free(ui->flagged);
	free(ui->finding_rule);
	free(ui->lists);
	free(ui->flines);
	free(ui->rule_folded);
	free(ui->tbl.list);
	free(ui->tbl.sec_raw);
	free(ui->tbl.sec_missing);
	free(ui->det.lines);
	free(ui);
}

static bool busy(const struct tui *ui)
{
	return ui->tbl.building || ui->search.active;
}

static void loop(struct tui *ui)
{
	while (!ui->quit && !got_signal) {
		bool was_busy = busy(ui);
		int key;

		pull_scan(ui);
		if (ui->tbl.building)
			build_step(ui);
		else if (ui->search.active)
			search_step(ui);
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
		key = getch();
		if (key == ERR)
			continue;
		handle_key(ui, key);
		ui->dirty = true;
	}
}

enum ps_status tui_run(struct session *s, int *signo, struct ps_err *err)
{
	struct tui *ui;
	enum ps_status st;

	*signo = 0;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return ps_fail(err, PS_ERR_USAGE,
			       "tui needs a terminal on stdin and stdout (pinscan scan writes a report)");
	ui = calloc(1, sizeof(*ui));
	if (!ui)
		return ps_fail(err, PS_ERR_NOMEM, "out of memory");
	st = ui_init(ui, s, err);
	if (!st)
		st = term_start(ui, err);
	if (st) {
		ui_free(ui);
		return st;
	}
	bg_start(ui);
	loop(ui);
	if (!got_signal && ui->bg.started && !ui->scan_finished) {
		set_msg(ui, false, "quitting: stopping the background scan...");
		draw(ui);
	}
	ui_free(ui);
	term_stop();
	*signo = got_signal;
	return PS_OK;
}
