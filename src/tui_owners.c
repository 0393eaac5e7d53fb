/* pinscan tui: the owners view, pins grouped by owner. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui_owners.h"
#include "tui_pages.h"
#include "util.h"

void tui_owners_init(struct tui_owners *v, struct session *s,
		     const struct tui_scan *sc)
{
	memset(v, 0, sizeof(*v));
	v->s = s;
	v->sc = sc;
}

void tui_owners_free(struct tui_owners *v)
{
	size_t i;

	for (i = 0; i < v->nr_entries; i++)
		pin_owners_free(&v->entries[i].own);
	free(v->entries);
	owner_groups_free(&v->groups);
	free(v->unfolded);
	free(v->lines);
	if (v->ow_ready)
		owners_free(&v->ow);
}

bool tui_owners_busy(const struct tui_owners *v)
{
	return v->started && !v->error[0] &&
	       v->nr_entries < v->sc->found.nr_pinned;
}

/* The next entry of the scan's list, copied with its owners; false when
 * out of memory (v->error says so). */
static bool resolve_next(struct tui_owners *v)
{
	struct pinned_entry e = v->sc->found.pinned[v->nr_entries];
	struct ps_err err = { 0 };

	memset(&e.own, 0, sizeof(e.own));
	if (!array_grow((void **)&v->entries, &v->cap_entries, v->nr_entries,
			sizeof(*v->entries))) {
		snprintf(v->error, sizeof(v->error), "out of memory: owners incomplete");
		return false;
	}
	if (owners_resolve(&v->ow, e.pfn, e.nr_pages, &e.own, &err)) {
		fmt_text(v->error, sizeof(v->error), "owners: %s", err.msg);
		return false;
	}
	v->entries[v->nr_entries++] = e;
	return true;
}

static void add_line(struct tui_owners *v, enum tui_oline_kind kind,
		     size_t group, size_t entry)
{
	if (!array_grow((void **)&v->lines, &v->cap, v->nr, sizeof(*v->lines)))
		return;
	v->lines[v->nr++] = (struct tui_oline){ .kind = kind, .group = group,
						.entry = entry };
}

/* Why owners, holders or tasks are missing, as the report's notes. */
static const char *note_text(const struct tui_owners *v, size_t which,
			     const char **what)
{
	static const char *const whats[] = {
		"owners unavailable", "holders unavailable",
		"task list incomplete",
	};
	const char *why[] = { v->ow.owners_why, v->ow.holders_why,
			      v->ow.tasks_why };

	*what = whats[which];
	return v->ow_ready ? why[which] : "";
}

/* The lines again: the accounting, the notes, each group and (unless
 * folded) its entries. */
static void build_lines(struct tui_owners *v)
{
	const char *what;
	size_t g, k, n;

	v->nr = 0;
	add_line(v, TUI_OL_ACCOUNTING, 0, 0);
	for (k = 0; k < 3; k++)
		if (note_text(v, k, &what)[0])
			add_line(v, TUI_OL_NOTE, 0, k);
	add_line(v, TUI_OL_BLANK, 0, 0);
	for (g = 0; g < v->groups.n; g++) {
		add_line(v, TUI_OL_GROUP, g, 0);
		n = v->groups.g[g].nr_members;
		for (k = 0; g < v->cap_unfolded && v->unfolded[g] && k < n; k++)
			add_line(v, TUI_OL_ENTRY, g, v->groups.g[g].members[k]);
	}
}

/* New groups start unfolded; the old ones keep their state (groups are
 * in order of first appearance, so their indexes stay). */
static void grow_unfolded(struct tui_owners *v)
{
	size_t old = v->cap_unfolded;
	bool *u;

	if (v->groups.n <= old)
		return;
	u = realloc(v->unfolded, v->groups.n * sizeof(*u));
	if (!u)
		return;
	memset(u + old, 1, (v->groups.n - old) * sizeof(*u));
	v->unfolded = u;
	v->cap_unfolded = v->groups.n;
}

size_t tui_owners_resolve(struct tui_owners *v, size_t max)
{
	size_t n = 0;

	v->started = true;
	if (!v->ow_ready && v->sc->found.nr_pinned) {
		session_owners_init(v->s, &v->ow);
		v->ow_ready = true;
	}
	while (n < max && tui_owners_busy(v) && resolve_next(v))
		n++;
	return n;
}

void tui_owners_build(struct tui_owners *v)
{
	if (!owner_groups_build(&v->groups, v->entries, v->nr_entries))
		snprintf(v->error, sizeof(v->error), "out of memory: owners incomplete");
	grow_unfolded(v);
	build_lines(v);
}

/* An entry under its group: where the group's task maps it, or why no
 * task does. */
static void entry_text(const struct tui_owners *v, const struct tui_oline *l,
		       char *buf, size_t bufsz)
{
	const struct owner_group *g = &v->groups.g[l->group];
	const struct pinned_entry *e = &v->entries[l->entry];
	const struct page_layout *pl = v->sc->pl;
	char owner[200] = "";
	size_t k;

	for (k = 0; k < e->own.nr_owners; k++)
		if (e->own.owners[k].pid == g->pid) {
			owner_describe(&e->own.owners[k], owner, sizeof(owner));
			break;
		}
	fmt_text(buf, bufsz, "  0x%" PRIx64 " (%" PRIu64 " page%s) %s %s %" PRId64 ": %s",
		 e->pfn, e->nr_pages, e->nr_pages == 1 ? "" : "s",
		 pin_how_name(pl, e->how), pin_confidence_name(e->confidence),
		 e->pincount, owner[0] ? owner :
		 e->own.note[0] ? e->own.note : "owner unknown");
}

void tui_owners_text(const struct tui_owners *v, size_t i, char *buf,
		     size_t bufsz)
{
	const struct tui_oline *l = &v->lines[i];
	const struct tui_scan *sc = v->sc;
	const char *what, *why;

	switch (l->kind) {
	case TUI_OL_ACCOUNTING:
		if (sc->acct_read)
			pin_accounting_text(sc->pl, &sc->acct,
					    sc->sum.decoded.total, buf, bufsz);
		else
			fmt_text(buf, bufsz, "pin accounting: read when the scan has finished");
		break;
	case TUI_OL_NOTE:
		why = note_text(v, l->entry, &what);
		fmt_text(buf, bufsz, "%s: %s", what, why);
		break;
	case TUI_OL_BLANK:
		buf[0] = '\0';
		break;
	case TUI_OL_GROUP: {
		const struct owner_group *g = &v->groups.g[l->group];
		char text[256];

		owner_group_text(g, text, sizeof(text));
		fmt_text(buf, bufsz, "%s %s",
			 l->group < v->cap_unfolded && v->unfolded[l->group] ?
			 "-" : "+", text);
		break;
	}
	case TUI_OL_ENTRY:
		entry_text(v, l, buf, bufsz);
		break;
	}
}

enum tui_role tui_owners_role(const struct tui_owners *v, size_t i)
{
	const struct tui_oline *l = &v->lines[i];
	const struct tui_scan *sc = v->sc;

	switch (l->kind) {
	case TUI_OL_ACCOUNTING:
		return sc->acct_read &&
		       sc->rule_count[RULE_PIN_ACCOUNTING_MISMATCH] ?
		       TUI_ROLE_FINDING : TUI_ROLE_TITLE;
	case TUI_OL_NOTE:
		return TUI_ROLE_DIM;
	case TUI_OL_GROUP:
		return v->groups.g[l->group].pid >= 0 ? TUI_ROLE_PINNED :
		       TUI_ROLE_DIM;
	case TUI_OL_ENTRY:
		return TUI_ROLE_LINK;
	default:
		return TUI_ROLE_NORMAL;
	}
}

uint64_t tui_owners_pfn(const struct tui_owners *v, size_t i)
{
	const struct tui_oline *l = &v->lines[i];

	return l->kind == TUI_OL_ENTRY ? v->entries[l->entry].pfn : TUI_NO_PFN;
}

void tui_owners_fold(struct tui_owners *v, size_t i)
{
	const struct tui_oline *l = &v->lines[i];

	if (l->kind != TUI_OL_GROUP || l->group >= v->cap_unfolded)
		return;
	v->unfolded[l->group] = !v->unfolded[l->group];
	build_lines(v);
}
