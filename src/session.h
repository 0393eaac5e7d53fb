/* A session: the dump opened, its struct page layout resolved (DWARF, a
 * layout file or VMCOREINFO alone) and mem_map's sections listed. `scan`
 * and `tui` open the same way through here, so they agree on what a dump
 * contains. */
#ifndef PINSCAN_SESSION_H
#define PINSCAN_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "kallsyms.h"
#include "layout.h"
#include "memmap.h"
#include "owners.h"
#include "pinacct.h"
#include "vmlinux.h"
#include "target.h"

struct session_opts {
	const char *dump;
	const char *vmlinux;	/* -s: the debug vmlinux, or NULL */
	const char *layout;	/* --layout: a saved layout file, or NULL */
	const char *vmcoreinfo;	/* --vmcoreinfo: VMCOREINFO to use instead */
	int rfc_pin_bit;	/* 1: RFC v1 (mask 0x2), 2: RFC v2 (0x4) */
	int force;		/* use a vmlinux whose build-id differs */
	int no_cache;		/* --no-cache: neither read nor write the
				 * layout cache */
};

/* Everything points into the struct: open it where it stays put. */
struct session {
	struct target t;
	struct vmlinux v;	/* -s, or the debug vmlinux found */
	struct kallsyms ks;	/* without a vmlinux: the kernel's own */
	struct page_layout pl;
	struct memmap mm;
	/* What the user should know that did not stop the session: a
	 * build-id that could not be checked, a truncated dump, a section
	 * skipped...; target and memmap add to it, while open and while
	 * reading (from the thread that opened the session only). */
	struct ps_warnings warnings;
	bool kallsyms_tried;	/* for session_symbol, without a vmlinux */
};

/* Open target, layout and memmap, in that order. On failure the session
 * is still safe to session_close(). */
enum ps_status session_open(struct session *s, const struct session_opts *o,
			    struct ps_err *err);
void session_close(struct session *s);

/* The layout of a vmlinux alone (pinscan layout -s), from the layout
 * cache when it has it, else from the DWARF and then saved there. */
enum ps_status session_vmlinux_layout(const struct vmlinux *v, bool no_cache,
				      struct page_layout *pl,
				      struct ps_warnings *w,
				      struct ps_err *err);

/* The run-time address of a kernel symbol: those a layout carries (the
 * pin accounting's per-cpu symbols, saved in layout files), the
 * vmlinux's (plus the KASLR offset), else kallsyms (decoded from the dump
 * once, when the layout came from a file and nothing read it yet). False
 * when not found. */
bool session_symbol(struct session *s, const char *name, uint64_t *addr);

/* The owners stage on the session's dump, its symbols (init_task,
 * io_uring_fops, hugetlb_basepage_index) looked up here: the report and
 * the TUI's views resolve owners the same way. */
void session_owners_init(struct session *s, struct owners *o);

/* The kernel's FOLL_PIN counters in the session's dump (pinacct.c), with
 * the session's symbols. */
void session_pin_accounting(struct session *s, struct pin_accounting *pa);

#endif
