/* pinscan tui: what a person types to narrow the pages down. Flag
 * expressions over one decoded struct page ("lru&!active",
 * "pinned|refcount>=1024") for the f filter and the / search, and pfns
 * and pfn ranges for g and r. Flag names are this kernel's enum pageflags,
 * as the layout read them, never a fixed list. */
#ifndef PINSCAN_TUI_FILTER_H
#define PINSCAN_TUI_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode.h"
#include "layout.h"

/* The longest text a prompt takes, and so an expression. */
#define TUI_TEXT_MAX 120
#define TUI_EXPR_MAX_NODES 64

/* The compiled form: only tui_filter.c looks inside. */
enum tui_ex_kind {
	TUI_EX_FLAG, TUI_EX_PINNED, TUI_EX_FINDING, TUI_EX_HEAD, TUI_EX_TAIL,
	TUI_EX_LRU, TUI_EX_BUDDY, TUI_EX_SLAB, TUI_EX_TYPED, TUI_EX_CMP,
	TUI_EX_NOT, TUI_EX_AND, TUI_EX_OR,
};
enum tui_ex_field {
	TUI_EXF_REFCOUNT, TUI_EXF_MAPCOUNT, TUI_EXF_ORDER, TUI_EXF_PINCOUNT,
	TUI_EXF_PFN,
};
enum tui_ex_op {
	TUI_OP_EQ, TUI_OP_NE, TUI_OP_LT, TUI_OP_LE, TUI_OP_GT, TUI_OP_GE,
};

struct tui_ex_node {
	enum tui_ex_kind kind;
	int lhs, rhs;		/* children, for NOT (lhs), AND, OR */
	int bit;		/* TUI_EX_FLAG */
	enum tui_ex_field field;	/* TUI_EX_CMP */
	enum tui_ex_op op;
	int64_t val;
};

struct tui_expr {
	int nr, root;
	struct tui_ex_node n[TUI_EXPR_MAX_NODES];
	char text[TUI_TEXT_MAX + 1];	/* as typed, for the screen */
};

/* Compile text into e; false with a message in msg, e unchanged, when
 * it is not an expression over this kernel's flags. */
bool tui_expr_parse(struct tui_expr *e, const char *text,
		    const struct page_layout *pl, char *msg, size_t msgsz);

/* Does the page match? has_finding: a rule found something on it. */
bool tui_expr_match(const struct tui_expr *e, const struct page_state *ps,
		    bool has_finding);

/* Does the expression ask about findings (and so about the scan's)? */
bool tui_expr_uses_findings(const struct tui_expr *e);

/* A pfn typed by a person: 0x1234 or 1234 (hex when it has a-f). */
bool tui_parse_pfn(const char *text, uint64_t *pfn);

/* "0x1000-0x1fff", "4096..8191", "0x1000-" (to the end), "0x1000" (one
 * pfn) into [*lo, *hi]; false with a message in msg. */
bool tui_parse_range(const char *text, uint64_t *lo, uint64_t *hi,
		     char *msg, size_t msgsz);

#endif
