/* pinscan tui: browse an opened session's struct pages in the terminal
 * (ncurses). It decodes and checks pages with the same functions as the
 * scan, reading only the pages on screen; the full scan that fills the
 * header, the pinned list and the findings runs in a background thread
 * on its own target handle. */
#ifndef PINSCAN_TUI_H
#define PINSCAN_TUI_H

#include "error.h"
#include "session.h"

/* Run until the user quits. *signo receives the signal (SIGINT, SIGTERM,
 * SIGHUP) that ended the TUI, or 0: the terminal is restored either way,
 * and raising the signal again is the caller's choice. The background
 * scan runs on threads threads (0: every CPU). Fails without
 * touching the terminal when stdin or stdout is not one. */
enum ps_status tui_run(struct session *s, unsigned threads, int *signo,
		       struct ps_err *err);

#endif
