/* pinscan tui: flag expressions and pfns, parsed from what a person
 * typed. A recursive-descent parser into at most TUI_EXPR_MAX_NODES nodes:
 *   or    := and ('|' and)*          ('||' too)
 *   and   := unary ('&' unary)*      ('&&' too)
 *   unary := '!' unary | '(' or ')' | atom
 *   atom  := flag | word | field op number */
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tui_filter.h"

struct ex_parser {
	const char *p;
	struct tui_expr *e;
	const struct page_layout *pl;
	char *msg;
	size_t msgsz;
};

static const struct {
	const char *name;
	enum tui_ex_kind kind;
} ex_words[] = {
	{ "pinned", TUI_EX_PINNED }, { "finding", TUI_EX_FINDING },
	{ "findings", TUI_EX_FINDING }, { "head", TUI_EX_HEAD },
	{ "tail", TUI_EX_TAIL }, { "lru", TUI_EX_LRU },
	{ "buddy", TUI_EX_BUDDY }, { "slab", TUI_EX_SLAB },
	{ "typed", TUI_EX_TYPED },
};

static const struct {
	const char *name;
	enum tui_ex_field field;
} ex_fields[] = {
	{ "refcount", TUI_EXF_REFCOUNT }, { "mapcount", TUI_EXF_MAPCOUNT },
	{ "order", TUI_EXF_ORDER }, { "pincount", TUI_EXF_PINCOUNT },
	{ "pfn", TUI_EXF_PFN },
};

static int ex_error(struct ex_parser *x, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The first error is the one shown: -1 for "return ex_error(...)". */
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

static int ex_node(struct ex_parser *x, enum tui_ex_kind kind, int lhs,
		   int rhs)
{
	struct tui_ex_node *n;

	if (x->e->nr >= TUI_EXPR_MAX_NODES)
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

static int ex_compare(struct ex_parser *x, enum tui_ex_field field,
		      const char *name)
{
	static const struct {
		const char *s;
		enum tui_ex_op op;
	} ops[] = {
		{ "==", TUI_OP_EQ }, { "!=", TUI_OP_NE }, { "<=", TUI_OP_LE },
		{ ">=", TUI_OP_GE }, { "=", TUI_OP_EQ }, { "<", TUI_OP_LT },
		{ ">", TUI_OP_GT },
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
	n = ex_node(x, TUI_EX_CMP, -1, -1);
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

/* A flag of this kernel's enum pageflags, with or without PG_. */
static int ex_flag(struct ex_parser *x, const char *name)
{
	int bit = pageflags_lookup(&x->pl->pf, name);
	int n;

	if (bit >= 0) {
		n = ex_node(x, TUI_EX_FLAG, -1, -1);
		if (n >= 0)
			x->e->n[n].bit = bit;
		return n;
	}
	return ex_error(x, "unknown name '%s' (flags of this kernel, pinned, finding, tail, buddy, slab, refcount>N ...: see ?)",
			name);
}

static int ex_atom(struct ex_parser *x)
{
	char name[40];
	size_t len = 0, i;

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
	return ex_flag(x, name);
}

static int ex_unary(struct ex_parser *x)
{
	int n;

	ex_skip(x);
	if (*x->p == '!') {
		x->p++;
		n = ex_unary(x);
		return n < 0 ? -1 : ex_node(x, TUI_EX_NOT, n, -1);
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
		lhs = rhs < 0 ? -1 : ex_node(x, TUI_EX_AND, lhs, rhs);
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
		lhs = rhs < 0 ? -1 : ex_node(x, TUI_EX_OR, lhs, rhs);
	}
	return lhs;
}

/* Into a copy: a filter that fails to parse must not leave its half-built
 * tree (root -1) where the filter in force is evaluated. */
bool tui_expr_parse(struct tui_expr *e, const char *text,
		    const struct page_layout *pl, char *msg, size_t msgsz)
{
	struct tui_expr next = { .nr = 0 };
	struct ex_parser x = { .p = text, .e = &next, .pl = pl, .msg = msg,
			       .msgsz = msgsz };

	msg[0] = '\0';
	snprintf(next.text, sizeof(next.text), "%s", text);
	next.root = ex_or(&x);
	if (next.root < 0)
		return false;
	ex_skip(&x);
	if (*x.p) {
		ex_error(&x, "unexpected '%s'", x.p);
		return false;
	}
	*e = next;
	return true;
}

static bool ex_cmp(enum tui_ex_op op, int64_t a, int64_t b)
{
	switch (op) {
	case TUI_OP_EQ:
		return a == b;
	case TUI_OP_NE:
		return a != b;
	case TUI_OP_LT:
		return a < b;
	case TUI_OP_LE:
		return a <= b;
	case TUI_OP_GT:
		return a > b;
	default:
		return a >= b;
	}
}

static int64_t ex_value(enum tui_ex_field f, const struct page_state *ps)
{
	switch (f) {
	case TUI_EXF_REFCOUNT:
		return ps->refcount;
	case TUI_EXF_MAPCOUNT:
		return ps->mapcount;
	case TUI_EXF_ORDER:
		return ps->order;
	case TUI_EXF_PINCOUNT:
		return ps->pin_how == PIN_HOW_NONE ? 0 : ps->pincount;
	default:
		return (int64_t)ps->pfn;
	}
}

/* Nodes only point to earlier nodes: the recursion is bounded by
 * TUI_EXPR_MAX_NODES. */
static bool ex_eval(const struct tui_expr *e, int i,
		    const struct page_state *ps, bool has_finding)
{
	const struct tui_ex_node *n = &e->n[i];

	switch (n->kind) {
	case TUI_EX_FLAG:
		return pageflags_test_bit(ps->flags, n->bit);
	case TUI_EX_PINNED:
		return ps->pin_how != PIN_HOW_NONE;
	case TUI_EX_FINDING:
		return has_finding;
	case TUI_EX_HEAD:
		return ps->head;
	case TUI_EX_TAIL:
		return ps->tail;
	case TUI_EX_LRU:
		return ps->lru;
	case TUI_EX_BUDDY:
		return ps->buddy;
	case TUI_EX_SLAB:
		return ps->slab;
	case TUI_EX_TYPED:
		return ps->typed;
	case TUI_EX_CMP:
		return ex_cmp(n->op, ex_value(n->field, ps), n->val);
	case TUI_EX_NOT:
		return !ex_eval(e, n->lhs, ps, has_finding);
	case TUI_EX_AND:
		return ex_eval(e, n->lhs, ps, has_finding) &&
		       ex_eval(e, n->rhs, ps, has_finding);
	default:
		return ex_eval(e, n->lhs, ps, has_finding) ||
		       ex_eval(e, n->rhs, ps, has_finding);
	}
}

bool tui_expr_match(const struct tui_expr *e, const struct page_state *ps,
		    bool has_finding)
{
	return ex_eval(e, e->root, ps, has_finding);
}

bool tui_expr_uses_findings(const struct tui_expr *e)
{
	int i;

	for (i = 0; i < e->nr; i++)
		if (e->n[i].kind == TUI_EX_FINDING)
			return true;
	return false;
}

bool tui_parse_pfn(const char *text, uint64_t *pfn)
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

bool tui_parse_range(const char *text, uint64_t *lo, uint64_t *hi,
		     char *msg, size_t msgsz)
{
	char from[TUI_TEXT_MAX + 1], *to;
	uint64_t a = 0, b = UINT64_MAX;

	snprintf(from, sizeof(from), "%s", text);
	/* "a..b" or "a-b": to points just before b. */
	to = strstr(from, "..");
	if (to) {
		*to = '\0';
		to += 1;
	} else {
		to = strchr(from, '-');
		if (to)
			*to = '\0';
	}
	if ((from[strspn(from, " ")] && !tui_parse_pfn(from, &a)) ||
	    (to && to[1 + strspn(to + 1, " ")] && !tui_parse_pfn(to + 1, &b))) {
		snprintf(msg, msgsz, "not a pfn range: '%s' (0x1000-0x1fff, 4096-8191, 0x1000-)",
			 text);
		return false;
	}
	if (!to)
		b = a;
	if (b < a) {
		snprintf(msg, msgsz, "empty range: 0x%" PRIx64 " > 0x%" PRIx64,
			 a, b);
		return false;
	}
	*lo = a;
	*hi = b;
	return true;
}
