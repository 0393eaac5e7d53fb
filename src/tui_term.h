/* pinscan tui: the terminal. Curses on and off, the terminal put back
 * whatever ends the TUI (q, SIGINT/SIGTERM/SIGHUP, a crash, exit()), and
 * how each kind of line looks, in colour or without. */
#ifndef PINSCAN_TUI_TERM_H
#define PINSCAN_TUI_TERM_H

#include <signal.h>
#include <stdbool.h>

#include <curses.h>

#include "error.h"

/* What a line or a row is, for its colour: the views say it, this file
 * alone decides how it looks. */
enum tui_role {
	TUI_ROLE_NORMAL,
	TUI_ROLE_HEADER,
	TUI_ROLE_TITLE,
	TUI_ROLE_PINNED,
	TUI_ROLE_FINDING,
	TUI_ROLE_LINK,
	TUI_ROLE_DIM,
	TUI_ROLE_STATUS,
	TUI_ROLE_ERROR,
};

struct tui_term {
	SCREEN *screen;
	bool color;		/* the terminal has colours, NO_COLOR is unset */
	/* The handlers found at start, put back at stop. */
	struct sigaction old_quit[3];
	struct sigaction old_fatal[5];
};

/* Curses on, signal handlers installed. Fails, the terminal untouched,
 * when TERM names no terminal the terminfo database knows. */
enum ps_status tui_term_start(struct tui_term *tt, struct ps_err *err);
/* Curses off, the terminal and the old signal handlers back. */
void tui_term_stop(struct tui_term *tt);

/* The quit signal (SIGINT, SIGTERM, SIGHUP) received since start, or 0. */
int tui_term_signal(void);

/* The attributes of a line of role r. */
attr_t tui_term_attr(const struct tui_term *tt, enum tui_role r);

#endif
