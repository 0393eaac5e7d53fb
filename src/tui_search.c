/* pinscan tui: searching a view's rows, a slice at a time. */
#include <stdio.h>

#include "tui_search.h"

#define SEARCH_SLICE 8192u	/* rows a search looks at per loop turn */

bool tui_search_set(struct tui_search *se, const char *text, bool is_text,
		    const struct page_layout *pl, char *msg, size_t msgsz)
{
	se->text = is_text;
	snprintf(se->needle, sizeof(se->needle), "%s", text);
	if (!se->text && !tui_expr_parse(&se->expr, text, pl, msg, msgsz)) {
		se->needle[0] = '\0';
		return false;
	}
	return true;
}

void tui_search_begin(struct tui_search *se, uint64_t n, uint64_t cur,
		      int dir)
{
	se->dir = dir;
	se->wrapped = false;
	se->left = n;
	se->row = dir > 0 ? (cur + 1 < n ? cur + 1 : 0) :
			    (cur ? cur - 1 : n - 1);
	if ((dir > 0 && cur + 1 >= n) || (dir < 0 && !cur))
		se->wrapped = true;
	se->active = true;
}

/* The next row in the search's direction, wrapping around. */
static void advance(struct tui_search *se, uint64_t n)
{
	if (se->dir > 0 && ++se->row == n) {
		se->row = 0;
		se->wrapped = true;
	} else if (se->dir < 0 && se->row-- == 0) {
		se->row = n - 1;
		se->wrapped = true;
	}
}

enum tui_search_result tui_search_step(struct tui_search *se, uint64_t n,
				       tui_search_match_fn match, void *arg)
{
	uint64_t k;

	if (se->row >= n) {
		se->active = false;
		return TUI_SEARCH_GONE;
	}
	for (k = 0; k < SEARCH_SLICE && se->left; k++, se->left--) {
		if (match(arg, se, se->row)) {
			se->active = false;
			return TUI_SEARCH_FOUND;
		}
		advance(se, n);
	}
	if (se->left)
		return TUI_SEARCH_BUSY;
	se->active = false;
	return TUI_SEARCH_NO_MATCH;
}

const char *tui_search_what(const struct tui_search *se)
{
	return se->text ? se->needle : se->expr.text;
}
