/* The kernel's own count of FOLL_PIN references: the node stats
 * NR_FOLL_PIN_ACQUIRED and NR_FOLL_PIN_RELEASED read from the dump, exactly
 * (each online node's vm_stat plus every CPU's unfolded diff), to be set
 * against the pins pinscan decoded from the struct pages. */
#ifndef PINSCAN_PINACCT_H
#define PINSCAN_PINACCT_H

#include <stdbool.h>
#include <stdint.h>

#include "layout.h"
#include "target.h"

enum pin_acct_state {
	PIN_ACCT_READ,		/* acquired and released were read */
	PIN_ACCT_NO_COUNTERS,	/* the kernel keeps none (4.19 + RFC) */
	PIN_ACCT_NO_TYPES,	/* the layout source lacks the types */
	PIN_ACCT_UNREADABLE,	/* a symbol or the memory is not there */
};

struct pin_accounting {
	enum pin_acct_state state;
	int64_t acquired, released;
	uint32_t nodes, cpus;		/* what was summed */
	char reason[200];		/* why not read, when not */
};

/* A symbol's run-time address (KASLR applied); false when unknown. */
typedef bool (*pinacct_symbol_fn)(void *arg, const char *name,
				  uint64_t *addr);

/* Upper bounds of the walks, whatever the dump says: x86-64's NR_CPUS
 * (CONFIG_MAXSMP) and MAX_NUMNODES (NODES_SHIFT 10). */
#define PINACCT_MAX_CPUS 8192
#define PINACCT_MAX_NODES 1024

/* Read the counters of the dump's kernel into pa. Never fails: what
 * could not be read is pa->state and pa->reason. symbol may be NULL
 * (VMCOREINFO's SYMBOL()s are tried first for the nodes). */
void pin_accounting_read(struct target *t, const struct page_layout *pl,
			 pinacct_symbol_fn symbol, void *arg,
			 struct pin_accounting *pa);

/* "read", "no-counters", "no-types", "unreadable" (JSON state). */
const char *pin_acct_state_name(enum pin_acct_state s);

#endif
