/* pinscan tui: the terminal, restored whatever happens. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "tui_term.h"

/* The only file-level state of the TUI, and why: signal handlers and
 * the atexit() hook take no argument, so what they read cannot be passed
 * to them. The quit signal, for the event loop; whether curses is on; and
 * what puts the terminal back, the saved termios and terminfo strings,
 * for the fatal-signal handler, which may only write(2) and tcsetattr(3).
 * (tui_term_start() also remembers, in a static, that the atexit() hook
 * is registered: it can be registered only once per process.) The rest
 * is in struct tui_term. */
static volatile sig_atomic_t got_signal;
static volatile sig_atomic_t curses_on;
static struct termios saved_tio;
static bool saved_tio_ok;
static char restore_seq[256];
static size_t restore_len;

static const int quit_signals[] = { SIGINT, SIGTERM, SIGHUP };
#ifndef __SANITIZE_ADDRESS__
static const int fatal_signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
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

static void install_signals(struct tui_term *tt)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: the signal should end getch()'s wait. */
	sa.sa_handler = on_quit_signal;
	for (i = 0; i < 3; i++)
		sigaction(quit_signals[i], &sa, &tt->old_quit[i]);
#ifndef __SANITIZE_ADDRESS__
	sa.sa_handler = on_fatal_signal;
	for (i = 0; i < 5; i++)
		sigaction(fatal_signals[i], &sa, &tt->old_fatal[i]);
#endif
}

static void restore_signals(const struct tui_term *tt)
{
	size_t i;

	for (i = 0; i < 3; i++)
		sigaction(quit_signals[i], &tt->old_quit[i], NULL);
#ifndef __SANITIZE_ADDRESS__
	for (i = 0; i < 5; i++)
		sigaction(fatal_signals[i], &tt->old_fatal[i], NULL);
#endif
}

static void init_colors(struct tui_term *tt)
{
	const char *no_color = getenv("NO_COLOR");

	/* https://no-color.org: set and not empty means no colour. */
	tt->color = has_colors() && !(no_color && no_color[0]);
	if (!tt->color)
		return;
	start_color();
	use_default_colors();
	init_pair(TUI_ROLE_HEADER, COLOR_BLACK, COLOR_CYAN);
	init_pair(TUI_ROLE_TITLE, COLOR_CYAN, -1);
	init_pair(TUI_ROLE_PINNED, COLOR_YELLOW, -1);
	init_pair(TUI_ROLE_FINDING, COLOR_RED, -1);
	init_pair(TUI_ROLE_LINK, COLOR_GREEN, -1);
	init_pair(TUI_ROLE_DIM, COLOR_BLUE, -1);
	init_pair(TUI_ROLE_STATUS, COLOR_BLACK, COLOR_WHITE);
	init_pair(TUI_ROLE_ERROR, COLOR_WHITE, COLOR_RED);
}

/* The signal handlers are installed before newterm() so that ncurses
 * leaves SIGINT/SIGTERM to us instead of exiting on them. */
enum ps_status tui_term_start(struct tui_term *tt, struct ps_err *err)
{
	static bool atexit_done;

	saved_tio_ok = tcgetattr(STDIN_FILENO, &saved_tio) == 0;
	got_signal = 0;
	install_signals(tt);
	if (!atexit_done && !atexit(restore_at_exit))
		atexit_done = true;
	setlocale(LC_ALL, "");
	tt->screen = newterm(NULL, stdout, stdin);
	if (!tt->screen) {
		restore_signals(tt);
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
	init_colors(tt);
	return PS_OK;
}

void tui_term_stop(struct tui_term *tt)
{
	if (curses_on) {
		endwin();
		curses_on = 0;
	}
	if (tt->screen) {
		delscreen(tt->screen);
		tt->screen = NULL;
	}
	restore_signals(tt);
}

int tui_term_signal(void)
{
	return got_signal;
}

attr_t tui_term_attr(const struct tui_term *tt, enum tui_role r)
{
	static const attr_t mono[] = {
		[TUI_ROLE_NORMAL] = A_NORMAL,
		[TUI_ROLE_HEADER] = A_REVERSE | A_BOLD,
		[TUI_ROLE_TITLE] = A_BOLD,
		[TUI_ROLE_PINNED] = A_BOLD,
		[TUI_ROLE_FINDING] = A_BOLD | A_UNDERLINE,
		[TUI_ROLE_LINK] = A_UNDERLINE,
		[TUI_ROLE_DIM] = A_DIM,
		[TUI_ROLE_STATUS] = A_REVERSE,
		[TUI_ROLE_ERROR] = A_REVERSE | A_BOLD,
	};

	if (!tt->color || r == TUI_ROLE_NORMAL)
		return mono[r];
	return COLOR_PAIR(r) | (r == TUI_ROLE_PINNED || r == TUI_ROLE_TITLE ||
				r == TUI_ROLE_HEADER || r == TUI_ROLE_ERROR ?
				A_BOLD : 0);
}
