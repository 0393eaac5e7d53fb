/* pinscan tui: the owners view, the pinned entries grouped by the task
 * that maps them as the report's "Pins by owner" groups them (report.c's
 * owner_groups_build), each group followed by its entries unless folded,
 * under the kernel's pin accounting. Owners are resolved on demand: once
 * the view is first opened, a time slice per turn of the event loop
 * (tui.c), through the session (UI thread), as the scan's pinned list
 * grows. */
#ifndef PINSCAN_TUI_OWNERS_H
#define PINSCAN_TUI_OWNERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "report.h"
#include "session.h"
#include "tui_scan.h"
#include "tui_term.h"

enum tui_oline_kind {
	TUI_OL_ACCOUNTING,	/* the kernel's pin count against the decoded */
	TUI_OL_NOTE,		/* owners or holders unavailable: why */
	TUI_OL_BLANK,
	TUI_OL_GROUP,		/* a group's line */
	TUI_OL_ENTRY,		/* one of its entries */
};

struct tui_oline {
	enum tui_oline_kind kind;
	size_t group;		/* GROUP, ENTRY: index in groups */
	size_t entry;		/* ENTRY: index in entries; NOTE: which */
};

struct tui_owners {
	struct session *s;
	const struct tui_scan *sc;
	bool started;		/* the view was opened: resolve */
	struct owners ow;	/* set up at the first entry */
	bool ow_ready;
	/* The scan's pinned entries, copied with their owners resolved. */
	struct pinned_entry *entries;
	size_t nr_entries, cap_entries;
	struct owner_groups groups;
	bool *unfolded;		/* per group */
	size_t cap_unfolded;
	struct tui_oline *lines;
	size_t nr, cap;
	uint64_t cursor, top;
	char error[256];	/* why the view is incomplete, or "" */
};

void tui_owners_init(struct tui_owners *v, struct session *s,
		     const struct tui_scan *sc);
void tui_owners_free(struct tui_owners *v);

/* Whether entries found by the scan wait for their owners (the view has
 * been opened). */
bool tui_owners_busy(const struct tui_owners *v);

/* Resolve the owners of the scan's next entries, at most max; how many.
 * The first call starts the view resolving (tui_owners_busy). */
size_t tui_owners_resolve(struct tui_owners *v, size_t max);

/* The groups and lines again from the entries resolved so far. */
void tui_owners_build(struct tui_owners *v);

/* Line i as text, its role; the pfn Enter opens (an entry's), else
 * TUI_NO_PFN. */
void tui_owners_text(const struct tui_owners *v, size_t i, char *buf,
		     size_t bufsz);
enum tui_role tui_owners_role(const struct tui_owners *v, size_t i);
uint64_t tui_owners_pfn(const struct tui_owners *v, size_t i);

/* Fold or unfold the group on line i, when it is one. */
void tui_owners_fold(struct tui_owners *v, size_t i);

#endif
