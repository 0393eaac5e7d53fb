#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pinacct.h"

/* atomic_long_t on a 64-bit kernel: vm_stat's element since node stats
 * exist (v4.8); the per-cpu diffs are s8 (per_cpu_nodestat). Neither
 * type's size is in struct page's layout; the struct sizes are checked. */
#define VM_STAT_ELEM 8
#define NODESTAT_DIFF_ELEM 1

/* Where to look while reading: the symbols and the two items. */
struct acct_ctx {
	struct target *t;
	const struct page_layout *pl;
	pinacct_symbol_fn symbol;
	void *arg;
	struct pin_accounting *pa;
	uint64_t per_cpu_offset;	/* &__per_cpu_offset[0] */
	uint32_t nr_cpu_ids;
	uint64_t *possible;		/* nr_cpu_ids bits, or NULL: all */
};

static void set_state(struct pin_accounting *pa, enum pin_acct_state st,
		      const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void set_state(struct pin_accounting *pa, enum pin_acct_state st,
		      const char *fmt, ...)
{
	va_list ap;

	pa->state = st;
	va_start(ap, fmt);
	vsnprintf(pa->reason, sizeof(pa->reason), fmt, ap);
	va_end(ap);
}

/* VMCOREINFO's SYMBOL() (run-time already, and cheap), else the
 * session's symbols (a vmlinux's .symtab is searched linearly). */
static bool symbol(struct acct_ctx *c, const char *name, uint64_t *addr)
{
	if (vmcoreinfo_symbol(&c->t->vmcoreinfo, name, addr) && *addr)
		return true;
	return c->symbol && c->symbol(c->arg, name, addr);
}

static bool read_bytes(struct acct_ctx *c, uint64_t addr, void *buf,
		       size_t len)
{
	struct ps_err err;

	return !target_read_virt(c->t, addr, buf, len, &err);
}

static bool cpu_possible(const struct acct_ctx *c, uint32_t cpu)
{
	return !c->possible || (c->possible[cpu / 64] >> (cpu % 64) & 1);
}

/* nr_cpu_ids, __per_cpu_offset[] and the possible mask: which CPUs may
 * hold a diff. Offline CPUs' diffs were folded into vm_stat when they
 * went down (vmstat_cpu_dead), so summing the possible ones is exact. */
static bool find_cpus(struct acct_ctx *c)
{
	uint64_t addr, mask;
	uint32_t nr;

	if (!symbol(c, "__per_cpu_offset", &c->per_cpu_offset) ||
	    !symbol(c, "nr_cpu_ids", &addr)) {
		set_state(c->pa, PIN_ACCT_UNREADABLE,
			  "no address of __per_cpu_offset or nr_cpu_ids (no vmlinux symbols or kallsyms): the per-CPU diffs cannot be summed");
		return false;
	}
	if (!read_bytes(c, addr, &nr, sizeof(nr)) || !nr ||
	    nr > PINACCT_MAX_CPUS) {
		set_state(c->pa, PIN_ACCT_UNREADABLE,
			  "nr_cpu_ids at %#" PRIx64 " unreadable or not in 1..%d",
			  addr, PINACCT_MAX_CPUS);
		return false;
	}
	c->nr_cpu_ids = nr;
	/* __cpu_possible_mask since v4.5 (cpu_possible_bits before);
	 * without it every id below nr_cpu_ids, which the kernel sets to
	 * the highest possible CPU + 1. */
	if (symbol(c, "__cpu_possible_mask", &mask)) {
		c->possible = calloc((nr + 63) / 64, sizeof(*c->possible));
		if (c->possible &&
		    !read_bytes(c, mask, c->possible,
				(nr + 63) / 64 * sizeof(*c->possible))) {
			free(c->possible);
			c->possible = NULL;
		}
	}
	for (nr = 0; nr < c->nr_cpu_ids; nr++)
		c->pa->cpus += cpu_possible(c, nr);
	return true;
}

/* One node's vm_stat[item] plus every possible CPU's diff for it. */
static bool add_node(struct acct_ctx *c, uint64_t pgdat, int nid)
{
	const struct page_layout *pl = c->pl;
	int items[2] = { pl->nr_foll_pin_acquired, pl->nr_foll_pin_released };
	int64_t *sums[2] = { &c->pa->acquired, &c->pa->released };
	uint64_t pcp;
	uint32_t cpu;
	int i;

	if (!read_bytes(c, pgdat + pl->pgdat_per_cpu_nodestats.off, &pcp,
			sizeof(pcp))) {
		set_state(c->pa, PIN_ACCT_UNREADABLE,
			  "node %d's pglist_data at %#" PRIx64 " is not in the dump",
			  nid, pgdat);
		return false;
	}
	for (i = 0; i < 2; i++) {
		int64_t val;

		if (!read_bytes(c, pgdat + pl->pgdat_vm_stat.off +
				(uint64_t)items[i] * VM_STAT_ELEM, &val,
				sizeof(val))) {
			set_state(c->pa, PIN_ACCT_UNREADABLE,
				  "node %d's vm_stat is not in the dump", nid);
			return false;
		}
		*sums[i] += val;
	}
	for (cpu = 0; cpu < c->nr_cpu_ids; cpu++) {
		uint64_t off;

		if (!cpu_possible(c, cpu))
			continue;
		if (!read_bytes(c, c->per_cpu_offset + (uint64_t)cpu * 8, &off,
				sizeof(off))) {
			set_state(c->pa, PIN_ACCT_UNREADABLE,
				  "__per_cpu_offset[%u] is not in the dump", cpu);
			return false;
		}
		for (i = 0; i < 2; i++) {
			int8_t diff;

			if (!read_bytes(c, pcp + off + pl->nodestat_diff.off +
					(uint64_t)items[i] * NODESTAT_DIFF_ELEM,
					&diff, sizeof(diff))) {
				set_state(c->pa, PIN_ACCT_UNREADABLE,
					  "node %d's per-CPU stats of CPU %u (%#" PRIx64 " + %#" PRIx64 ") are not in the dump",
					  nid, cpu, pcp, off);
				return false;
			}
			*sums[i] += diff;
		}
	}
	c->pa->nodes++;
	return true;
}

/* node_data[] on NUMA, the nodes of node_states[N_ONLINE] (VMCOREINFO's
 * node_online_map); contig_page_data otherwise. MAX_NUMNODES is
 * LENGTH(node_data). */
static void sum_nodes(struct acct_ctx *c)
{
	uint64_t array = 0, pgdat, online_addr, online[PINACCT_MAX_NODES / 64];
	int64_t length;
	bool have_online;
	int nid;

	/* VMCOREINFO names node_data on NUMA kernels, contig_page_data
	 * otherwise: asked first, it spares a search for the other. */
	if (!vmcoreinfo_symbol(&c->t->vmcoreinfo, "node_data", &array))
		array = 0;
	if (!array && symbol(c, "contig_page_data", &pgdat)) {
		add_node(c, pgdat, 0);
		return;
	}
	if (!array && !symbol(c, "node_data", &array)) {
		set_state(c->pa, PIN_ACCT_UNREADABLE,
			  "neither node_data nor contig_page_data has an address");
		return;
	}
	if (!vmcoreinfo_length(&c->t->vmcoreinfo, "node_data", &length) ||
	    length <= 0 || length > PINACCT_MAX_NODES)
		length = PINACCT_MAX_NODES;
	have_online = symbol(c, "node_online_map", &online_addr) &&
		      read_bytes(c, online_addr, online,
				 ((size_t)length + 63) / 64 * 8);
	for (nid = 0; nid < length; nid++) {
		if (have_online && !(online[nid / 64] >> (nid % 64) & 1))
			continue;
		if (!read_bytes(c, array + (uint64_t)nid * 8, &pgdat,
				sizeof(pgdat))) {
			set_state(c->pa, PIN_ACCT_UNREADABLE,
				  "node_data[%d] is not in the dump", nid);
			return;
		}
		/* Without the online mask, every node that has a pgdat. */
		if (!pgdat && !have_online)
			continue;
		if (!pgdat) {
			set_state(c->pa, PIN_ACCT_UNREADABLE,
				  "node %d is online but node_data[%d] is NULL",
				  nid, nid);
			return;
		}
		if (!add_node(c, pgdat, nid))
			return;
	}
	if (!c->pa->nodes)
		set_state(c->pa, PIN_ACCT_UNREADABLE, "no online node found");
}

void pin_accounting_read(struct target *t, const struct page_layout *pl,
			 pinacct_symbol_fn sym, void *arg,
			 struct pin_accounting *pa)
{
	struct acct_ctx c = { .t = t, .pl = pl, .symbol = sym, .arg = arg,
			      .pa = pa };

	memset(pa, 0, sizeof(*pa));
	if (!layout_has_pin_accounting(pl)) {
		/* Without the types, a FOLL_PIN kernel (v5.7+) still has the
		 * counters: only this layout cannot find them. */
		if (pl->pin_scheme != PIN_SCHEME_FOLL)
			set_state(pa, PIN_ACCT_NO_COUNTERS,
				  "this kernel has no FOLL_PIN counters (enum node_stat_item has no NR_FOLL_PIN_ACQUIRED/RELEASED; they came with FOLL_PIN in v5.7)");
		else
			set_state(pa, PIN_ACCT_NO_TYPES,
				  pl->kind == LAYOUT_VMCOREINFO ?
				  "the layout from VMCOREINFO alone has no enum node_stat_item or struct per_cpu_nodestat" :
				  "the layout has no (usable) enum node_stat_item, pglist_data.vm_stat or struct per_cpu_nodestat");
		return;
	}
	pa->state = PIN_ACCT_READ;
	if (find_cpus(&c))
		sum_nodes(&c);
	if (pa->state != PIN_ACCT_READ)
		pa->acquired = pa->released = pa->nodes = pa->cpus = 0;
	free(c.possible);
}

const char *pin_acct_state_name(enum pin_acct_state s)
{
	switch (s) {
	case PIN_ACCT_READ:
		return "read";
	case PIN_ACCT_NO_COUNTERS:
		return "no-counters";
	case PIN_ACCT_NO_TYPES:
		return "no-types";
	case PIN_ACCT_UNREADABLE:
		return "unreadable";
	}
	return "?";
}
