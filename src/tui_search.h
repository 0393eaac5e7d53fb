/* pinscan tui: / n N. A search looks at the rows of a view from the one
 * after the cursor on, wrapping around once, a slice of rows per turn of
 * the event loop so that keys are still read while it runs over millions
 * of pages. On the pages it matches a flag expression; in the other views
 * a substring of the line. */
#ifndef PINSCAN_TUI_SEARCH_H
#define PINSCAN_TUI_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "layout.h"
#include "tui_filter.h"

struct tui_search {
	bool active;
	bool text;		/* a substring, not an expression */
	struct tui_expr expr;
	char needle[TUI_TEXT_MAX + 1];	/* as typed; "" before the first */
	int dir;		/* +1 or -1 */
	uint64_t row, left;	/* next row to look at, rows still to look at */
	bool wrapped;
};

/* Does row match the search? The view searched answers. */
typedef bool (*tui_search_match_fn)(void *arg, const struct tui_search *se,
				    uint64_t row);

enum tui_search_result {
	TUI_SEARCH_BUSY,	/* no match yet, rows left */
	TUI_SEARCH_FOUND,	/* at se->row */
	TUI_SEARCH_NO_MATCH,	/* every row looked at */
	TUI_SEARCH_GONE,	/* the view shrank under the search */
};

/* A new search for text: a substring when is_text, else an expression
 * over pl's flags; false with a message in msg when it is not one. */
bool tui_search_set(struct tui_search *se, const char *text, bool is_text,
		    const struct page_layout *pl, char *msg, size_t msgsz);

/* Start looking among n rows (n > 0) from the one after cur, or before
 * it when dir < 0. */
void tui_search_begin(struct tui_search *se, uint64_t n, uint64_t cur,
		      int dir);

/* Look at the next slice of rows; the search stays active while BUSY. */
enum tui_search_result tui_search_step(struct tui_search *se, uint64_t n,
				       tui_search_match_fn match, void *arg);

/* What is searched for, for messages. */
const char *tui_search_what(const struct tui_search *se);

#endif
