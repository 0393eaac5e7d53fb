#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "owners.h"
#include "util.h"

/* PAGE_MAPPING_ANON and PAGE_MAPPING_MOVABLE, the low bits of
 * page->mapping (both set: a KSM page, mapping a stable_node). */
#define MAPPING_ANON UINT64_C(0x1)
#define MAPPING_MOVABLE UINT64_C(0x2)
#define MAPPING_FLAGS UINT64_C(0x3)
/* VM_HUGETLB, the same bit since v2.6. */
#define VM_HUGETLB 0x00400000ull

/* Bounds on every walk over the dump. An rb tree of n nodes is at most
 * 2 log2(n + 1) deep, so 128 levels hold any tree a machine can have; a
 * deeper descent is a cycle. */
#define RB_MAX_DEPTH 128
#define RB_MAX_NODES (1u << 20)
/* PID_MAX_LIMIT (4M) tasks at most on a 64-bit kernel. */
#define TASKS_MAX (1u << 22)
/* NR_OPEN's default (sysctl fs.nr_open): file descriptors per task. */
#define FDS_MAX (1u << 20)
/* VFIO type1's default dma_entry_limit (U16_MAX) is a module parameter:
 * a container with more mappings than this is cut short. */
#define VFIO_MAX_DMAS (1u << 20)
/* IORING_MAX_REG_BUFFERS; a buffer is at most 1 GiB, so 2^18 bvecs. */
#define IO_URING_MAX_BUFS (1u << 14)
#define IO_URING_MAX_BVECS (1u << 18)
#define FD_CHUNK 512
/* mm/ksm.c: a stable node heading a chain of duplicates has this
 * rmap_hlist_len (v4.13, commit 2c653d0ee2ae, "ksm: introduce
 * ksm_max_page_sharing per page deduplication limit"); an rmap_item's
 * address keeps flags in its low bits, STABLE_FLAG while it hangs off a
 * stable node. The rmap_items of one node: ksm_max_page_sharing (256 by
 * default) unless raised, bounded here like a tree. */
#define STABLE_NODE_CHAIN (-1024)
#define KSM_STABLE_FLAG 0x200u
#define KSM_MAX_RMAP_ITEMS RB_MAX_NODES

const char *owner_kind_name(enum owner_kind k)
{
	switch (k) {
	case OWNER_FILE:
		return "file";
	case OWNER_KSM:
		return "ksm";
	case OWNER_ANON:
		break;
	}
	return "anon";
}

const char *holder_kind_name(enum holder_kind k)
{
	return k == HOLDER_VFIO ? "vfio" : "io_uring";
}

void owner_describe(const struct pin_owner *o, char *buf, size_t size)
{
	if (o->kind == OWNER_FILE)
		fmt_text(buf, size, "pid %" PRId64 " (%s) at %#" PRIx64
			 " (file %s, inode %" PRIu64 ")", o->pid, o->comm,
			 o->vaddr, o->name[0] ? o->name : "?", o->ino);
	else if (o->kind == OWNER_KSM)
		fmt_text(buf, size, "pid %" PRId64 " (%s) at %#" PRIx64
			 " (anon, merged by KSM)", o->pid, o->comm, o->vaddr);
	else
		fmt_text(buf, size, "pid %" PRId64 " (%s) at %#" PRIx64
			 " (anon)", o->pid, o->comm, o->vaddr);
}

void holder_describe(const struct pin_holder *h, char *buf, size_t size)
{
	if (h->kind == HOLDER_VFIO)
		fmt_text(buf, size, "pid %" PRId64 " (%s): vfio container fd %"
			 PRId64 ", DMA mapping at iova %#" PRIx64, h->pid,
			 h->comm, h->fd, h->iova);
	else
		fmt_text(buf, size, "pid %" PRId64 " (%s): %s fd %" PRId64
			 ", registered buffer %u", h->pid, h->comm,
			 holder_kind_name(h->kind), h->fd, h->index);
}

static void set_note(char *note, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void set_note(char *note, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(note, size, fmt, ap);
	va_end(ap);
}

/* The nodes a walk has been to, so that a link back to one of them (a
 * cycle) stops it at once instead of at the step limit. */
struct addr_set {
	uint64_t *slot;		/* open addressing; 0 is empty */
	size_t cap, n;
};

/* 1 when addr is new (now added), 0 when seen before, -1 out of memory. */
static int addr_set_add(struct addr_set *set, uint64_t addr)
{
	size_t i;

	if (2 * (set->n + 1) > set->cap) {
		struct addr_set bigger = { .cap = set->cap ? 2 * set->cap : 64 };

		bigger.slot = calloc(bigger.cap, sizeof(*bigger.slot));
		if (!bigger.slot)
			return -1;
		for (i = 0; i < set->cap; i++)
			if (set->slot[i])
				addr_set_add(&bigger, set->slot[i]);
		free(set->slot);
		*set = bigger;
	}
	for (i = (addr >> 3) * 0x9e3779b97f4a7c15ull % set->cap; set->slot[i];
	     i = (i + 1) % set->cap)
		if (set->slot[i] == addr)
			return 0;
	set->slot[i] = addr;
	set->n++;
	return 1;
}

/* A pointer read from the dump that may be followed: a kernel address,
 * aligned like every struct pinscan reads through it. */
static bool followable(uint64_t p)
{
	return memmap_is_kernel_addr(p) && !(p & 7);
}

static bool read_u64(struct owners *o, uint64_t addr, uint64_t *val)
{
	struct ps_err ignored;

	return !target_read_u64(o->t, addr, val, &ignored);
}

/* A member of up to 8 bytes, little-endian, zero-extended. */
static bool read_field(struct owners *o, uint64_t base, struct field f,
		       uint64_t *val)
{
	struct ps_err ignored;
	uint8_t buf[8] = { 0 };
	uint32_t size = f.size && f.size <= 8 ? f.size : 8;

	*val = 0;
	if (!f.present ||
	    target_read_virt(o->t, base + f.off, buf, size, &ignored))
		return false;
	memcpy(val, buf, size);
	return true;
}

static bool read_comm(struct owners *o, uint64_t task, char *comm)
{
	const struct owner_layout *ow = &o->pl->ow;
	struct ps_err ignored;
	size_t i;

	memset(comm, 0, OWNER_COMM_LEN + 1);
	if (target_read_virt(o->t, task + ow->task_comm.off, comm,
			     OWNER_COMM_LEN, &ignored))
		return false;
	for (i = 0; i < OWNER_COMM_LEN && comm[i]; i++)
		if ((unsigned char)comm[i] < 0x20 || comm[i] == 0x7f)
			comm[i] = '?';
	return true;
}

void owners_init(struct owners *o, struct target *t,
		 const struct page_layout *pl, const struct memmap *mm,
		 const struct owner_symbols *sym)
{
	memset(o, 0, sizeof(*o));
	o->t = t;
	o->pl = pl;
	o->mm = mm;
	o->sym = *sym;
	if (!layout_has_owners(pl))
		snprintf(o->owners_why, sizeof(o->owners_why),
			 "the layout (%s) lacks the reverse map's members (task_struct, vm_area_struct, anon_vma ...)",
			 layout_kind_name(pl->kind));
	if (!layout_has_owners(pl) || !layout_has_io_uring(pl))
		snprintf(o->holders_why, sizeof(o->holders_why),
			 "the layout (%s) lacks io_uring's registered buffers (ctx->user_bufs up to v6.12, ctx->buf_table from v6.13)",
			 layout_kind_name(pl->kind));
	else if (!sym->io_uring_fops)
		snprintf(o->holders_why, sizeof(o->holders_why),
			 "no symbol io_uring_fops");
	if (!layout_has_owners(pl) || !layout_has_vfio(pl))
		snprintf(o->vfio_why, sizeof(o->vfio_why),
			 "the layout (%s) lacks VFIO type1's structs (vfio_container, vfio_dma: in the vfio modules' debug info, not vmlinux, unless VFIO is built in)",
			 layout_kind_name(pl->kind));
	else if (!sym->vfio_fops || !sym->vfio_type1_ops)
		snprintf(o->vfio_why, sizeof(o->vfio_why),
			 "no symbol %s (the vfio modules' symbols are not in the kernel's kallsyms)",
			 !sym->vfio_fops ? "vfio_fops" : "vfio_iommu_driver_ops_type1");
	/* A source that cannot be followed recognises no file. */
	if (o->holders_why[0])
		o->sym.io_uring_fops = 0;
	if (o->vfio_why[0])
		o->sym.vfio_fops = 0;
	if (o->holders_why[0] && !o->vfio_why[0])
		o->holders_why[0] = 0;
	if (!o->owners_why[0] && !sym->init_task && !o->pl->ow.mm_owner.present)
		snprintf(o->owners_why, sizeof(o->owners_why),
			 "no symbol init_task and no mm->owner: tasks cannot be found");
}

void owners_free(struct owners *o)
{
	free(o->tasks);
	free(o->spans);
	free(o->vfio);
	memset(o, 0, sizeof(*o));
}

void pin_owners_free(struct pin_owners *po)
{
	free(po->owners);
	free(po->holders);
	memset(po, 0, sizeof(*po));
}

/* The task list from init_task.tasks, once: every thread group leader
 * with its mm and files. A list that does not come back to its head
 * within TASKS_MAX steps, or a link that cannot be read, ends the walk;
 * what was read is kept and tasks_why says why it is incomplete. */
static enum ps_status read_tasks(struct owners *o, struct ps_err *err)
{
	const struct owner_layout *ow = &o->pl->ow;
	struct addr_set seen = { 0 };
	uint64_t head, next;
	uint32_t steps;

	o->tasks_read = true;
	if (!o->sym.init_task) {
		snprintf(o->tasks_why, sizeof(o->tasks_why),
			 "no symbol init_task");
		return PS_OK;
	}
	head = o->sym.init_task + ow->task_tasks.off;
	if (!read_u64(o, head, &next)) {
		snprintf(o->tasks_why, sizeof(o->tasks_why),
			 "init_task.tasks at %#" PRIx64 " not in the dump", head);
		return PS_OK;
	}
	for (steps = 0; next != head; steps++) {
		struct owner_task tk = { 0 };
		uint64_t tgid = 0;
		int added;

		if (steps >= TASKS_MAX || !followable(next)) {
			snprintf(o->tasks_why, sizeof(o->tasks_why),
				 steps >= TASKS_MAX ?
				 "the task list does not end after %u tasks" :
				 "the task list has a bad link after %u tasks",
				 steps);
			break;
		}
		added = addr_set_add(&seen, next);
		if (added < 0) {
			free(seen.slot);
			return ps_fail(err, PS_ERR_NOMEM,
				       "out of memory for the task list");
		}
		if (!added) {
			snprintf(o->tasks_why, sizeof(o->tasks_why),
				 "the task list comes back to %#" PRIx64 " after %u tasks, not to init_task (a cycle)",
				 next, steps);
			break;
		}
		tk.addr = next - ow->task_tasks.off;
		if (!read_field(o, tk.addr, ow->task_tgid, &tgid) ||
		    !read_field(o, tk.addr, ow->task_mm, &tk.mm) ||
		    !read_comm(o, tk.addr, tk.comm) ||
		    !read_u64(o, next, &next)) {
			snprintf(o->tasks_why, sizeof(o->tasks_why),
				 "task %#" PRIx64 " not in the dump", tk.addr);
			break;
		}
		read_field(o, tk.addr, ow->task_files, &tk.files);
		tk.pid = (int32_t)tgid;
		/* Kernel threads have no mm: they map nothing. */
		if (tk.mm && !array_append((void **)&o->tasks, &o->nr_tasks,
					   &o->cap_tasks, &tk, 1, sizeof(tk))) {
			free(seen.slot);
			return ps_fail(err, PS_ERR_NOMEM,
				       "out of memory for the task list");
		}
	}
	free(seen.slot);
	return PS_OK;
}

static enum ps_status add_owner(struct pin_owners *out,
				const struct pin_owner *ow,
				struct ps_err *err)
{
	size_t i;

	for (i = 0; i < out->nr_owners; i++)
		if (out->owners[i].pid == ow->pid &&
		    out->owners[i].vaddr == ow->vaddr)
			return PS_OK;
	if (out->nr_owners >= OWNERS_MAX_PER_ENTRY) {
		out->nr_owners_more++;
		return PS_OK;
	}
	if (!array_append((void **)&out->owners, &out->nr_owners,
			  &out->cap_owners, ow, 1, sizeof(*ow)))
		return ps_fail(err, PS_ERR_NOMEM, "out of memory for owners");
	return PS_OK;
}

/* The tasks whose mm is mm, each an owner at vaddr: mm->owner where the
 * kernel has it (CONFIG_MEMCG) and it points back at this mm, else the
 * task list. Returns how many were added through *added. */
static enum ps_status owners_of_mm(struct owners *o, uint64_t mm,
				   struct pin_owner *tmpl,
				   struct pin_owners *out, size_t *added,
				   struct ps_err *err)
{
	const struct owner_layout *ow = &o->pl->ow;
	uint64_t task = 0, task_mm = 0, tgid = 0;
	size_t i;

	*added = 0;
	if (ow->mm_owner.present && read_field(o, mm, ow->mm_owner, &task) &&
	    followable(task) && read_field(o, task, ow->task_mm, &task_mm) &&
	    task_mm == mm && read_field(o, task, ow->task_tgid, &tgid) &&
	    read_comm(o, task, tmpl->comm)) {
		tmpl->pid = (int32_t)tgid;
		*added = 1;
		return add_owner(out, tmpl, err);
	}
	if (!o->tasks_read && read_tasks(o, err))
		return err->status;
	for (i = 0; i < o->nr_tasks; i++) {
		if (o->tasks[i].mm != mm)
			continue;
		tmpl->pid = o->tasks[i].pid;
		memcpy(tmpl->comm, o->tasks[i].comm, sizeof(tmpl->comm));
		++*added;
		if (add_owner(out, tmpl, err))
			return err->status;
	}
	return PS_OK;
}

/* What a tree walk visits, and what it needs to decide. */
struct rmap_walk {
	struct owners *o;
	struct pin_owners *out;
	enum owner_kind kind;
	uint64_t index;		/* the page's offset, in base pages */
	bool hugetlb_units;	/* index counts huge pages of this order */
	unsigned order;
	uint64_t nr_vmas, nr_unowned;
	const struct pin_owner *file;	/* files: ino, dev, name */
	char why[160];		/* a vma that could not be read */
};

/* A vma of the tree: an owner when it maps the page's offset. */
static enum ps_status visit_vma(struct rmap_walk *w, uint64_t vma,
				struct ps_err *err)
{
	struct owners *o = w->o;
	const struct owner_layout *ow = &o->pl->ow;
	uint64_t start, end, mm, pgoff, flags = 0, index = w->index;
	struct pin_owner po = { 0 };
	size_t added;

	if (!followable(vma) || !read_field(o, vma, ow->vma_start, &start) ||
	    !read_field(o, vma, ow->vma_end, &end) ||
	    !read_field(o, vma, ow->vma_mm, &mm) ||
	    !read_field(o, vma, ow->vma_pgoff, &pgoff)) {
		snprintf(w->why, sizeof(w->why),
			 "vma %#" PRIx64 " not in the dump", vma);
		return PS_OK;
	}
	read_field(o, vma, ow->vma_flags, &flags);
	if (w->hugetlb_units && (flags & VM_HUGETLB))
		index <<= w->order;
	if (end <= start || start & 0xfff || index < pgoff ||
	    index - pgoff >= (end - start) >> 12)
		return PS_OK;
	w->nr_vmas++;
	if (w->file)
		po = *w->file;
	po.kind = w->kind;
	po.vaddr = start + ((index - pgoff) << 12);
	if (!followable(mm))
		return PS_OK;
	if (owners_of_mm(o, mm, &po, w->out, &added, err))
		return err->status;
	if (!added)
		w->nr_unowned++;
	return PS_OK;
}

/* Called for every node of an rb tree; a message in why stops the walk. */
typedef enum ps_status (*rb_visit)(void *ctx, uint64_t node, char *why,
				   size_t why_size, struct ps_err *err);

/* Every node of the rb tree under root, in order, handed to visit.
 * Bounded in depth (a cycle) and in nodes; `tree` names it in why. */
static enum ps_status walk_rb_tree(struct owners *o, uint64_t root,
				   const char *tree, rb_visit visit, void *ctx,
				   char *why, size_t why_size,
				   struct ps_err *err)
{
	const struct owner_layout *ow = &o->pl->ow;
	uint64_t stack[RB_MAX_DEPTH], node = root, visited_node;
	uint32_t depth = 0, visited = 0;
	struct addr_set seen = { 0 };
	enum ps_status st = PS_OK;

	while (!why[0] && !st && (node || depth)) {
		while (node) {
			int added;

			if (depth >= RB_MAX_DEPTH) {
				snprintf(why, why_size,
					 "%s is deeper than %u nodes (a cycle)",
					 tree, RB_MAX_DEPTH);
				break;
			}
			if (!followable(node)) {
				snprintf(why, why_size,
					 "%s has a bad link %#" PRIx64, tree,
					 node);
				break;
			}
			added = addr_set_add(&seen, node);
			if (added < 0) {
				st = ps_fail(err, PS_ERR_NOMEM,
					     "out of memory for a tree walk");
				break;
			}
			if (!added) {
				snprintf(why, why_size,
					 "%s reaches node %#" PRIx64 " twice (a cycle)",
					 tree, node);
				break;
			}
			stack[depth++] = node;
			if (!read_field(o, node, ow->rb_left, &node)) {
				snprintf(why, why_size,
					 "tree node %#" PRIx64 " not in the dump",
					 stack[depth - 1]);
				break;
			}
		}
		if (why[0] || st)
			break;
		node = stack[--depth];
		if (++visited > RB_MAX_NODES) {
			snprintf(why, why_size, "%s has more than %u nodes",
				 tree, RB_MAX_NODES);
			break;
		}
		st = visit(ctx, node, why, why_size, err);
		if (st || why[0])
			break;
		visited_node = node;
		if (!read_field(o, visited_node, ow->rb_right, &node))
			snprintf(why, why_size,
				 "tree node %#" PRIx64 " not in the dump",
				 visited_node);
	}
	free(seen.slot);
	return st;
}

/* An interval tree's node as the vma it belongs to (node - node_off,
 * through avc_vma for anon_vma chains). */
struct rmap_node_ctx {
	struct rmap_walk *w;
	uint64_t node_off;
	bool through_avc;
};

static enum ps_status rmap_node(void *ctx, uint64_t node, char *why,
				size_t why_size, struct ps_err *err)
{
	const struct rmap_node_ctx *c = ctx;
	uint64_t vma = node - c->node_off;

	if (c->through_avc &&
	    !read_field(c->w->o, vma, c->w->o->pl->ow.avc_vma, &vma)) {
		snprintf(why, why_size,
			 "anon_vma_chain %#" PRIx64 " not in the dump",
			 node - c->node_off);
		return PS_OK;
	}
	return visit_vma(c->w, vma, err);
}

static enum ps_status walk_rmap_tree(struct rmap_walk *w, uint64_t root,
				     uint64_t node_off, bool through_avc,
				     struct ps_err *err)
{
	struct rmap_node_ctx c = { w, node_off, through_avc };

	return walk_rb_tree(w->o, root, "the interval tree", rmap_node, &c,
			    w->why, sizeof(w->why), err);
}

/* The name of an inode: its first dentry's d_name, or "". */
static void inode_name(struct owners *o, uint64_t inode, char *name)
{
	const struct owner_layout *ow = &o->pl->ow;
	uint64_t first = 0, dentry, str = 0;
	struct ps_err ignored;
	size_t i;

	name[0] = 0;
	if (!ow->inode_dentry.present || !ow->dentry_alias.present ||
	    !ow->dentry_name.present ||
	    !read_field(o, inode, ow->inode_dentry, &first) ||
	    !followable(first))
		return;
	dentry = first - ow->dentry_alias.off;
	if (!read_field(o, dentry, ow->dentry_name, &str) ||
	    !memmap_is_kernel_addr(str) ||
	    target_read_virt(o->t, str, name, OWNER_NAME_LEN, &ignored)) {
		name[0] = 0;
		return;
	}
	name[OWNER_NAME_LEN] = 0;
	for (i = 0; i < OWNER_NAME_LEN && name[i]; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			name[i] = '?';
}

static void describe_unmapped(const struct page_state *ps, char *note,
			      size_t size)
{
	if (ps->slab)
		set_note(note, size,
			 "mapped by nobody: a slab page (kernel memory)");
	else if (ps->typed)
		set_note(note, size,
			 "mapped by nobody: page_type %#x, mapping NULL",
			 ps->page_type);
	else
		set_note(note, size,
			 "mapped by nobody: mapping NULL, mapcount %d (a driver's or the kernel's own buffer)",
			 ps->mapcount);
}

/* The head's struct page with page[1] and page[2], where a large folio
 * keeps its order; a page at the end of mem_map has only itself. */
static bool read_head(struct owners *o, uint64_t addr, uint8_t *raw,
		      size_t size, uint64_t *nr_read)
{
	uint32_t sps = o->pl->struct_page_size;
	struct ps_err ignored;

	if (3 * (size_t)sps > size)
		return false;
	*nr_read = 3;
	if (!target_read_virt(o->t, addr, raw, 3 * sps, &ignored))
		return true;
	*nr_read = 1;
	return !target_read_virt(o->t, addr, raw, sps, &ignored);
}

/* The rmap_items of a KSM page's stable node (mm/ksm.c, struct
 * ksm_stable_node, stable_node before v6.1): each names an mm and the
 * user address where it maps the page; the tasks using that mm are its
 * owners. The hlist is bounded and guarded against cycles; an item that
 * does not belong to this node, or a count that disagrees with
 * rmap_hlist_len, makes the answer "owner unknown". A task forked after
 * the merge and not yet scanned by ksmd has no rmap_item: the kernel
 * finds it through the item's anon_vma and checks its page table, which
 * pinscan does not, so it is not named rather than guessed. */
static enum ps_status resolve_ksm(struct owners *o, uint64_t node,
				  struct pin_owners *out, struct ps_err *err)
{
	const struct owner_layout *ow = &o->pl->ow;
	uint64_t len_raw = 0, link = 0, page_mask = ~((uint64_t)o->pl->page_size - 1);
	struct addr_set seen = { 0 };
	uint32_t nr_items = 0, nr_unowned = 0;
	char why[160] = "";
	int32_t hlist_len;

	if (!layout_has_ksm(o->pl)) {
		set_note(out->note, sizeof(out->note),
			 "KSM page: the layout (%s) lacks KSM's stable tree (ksm_stable_node/stable_node, ksm_rmap_item/rmap_item): stable node %#" PRIx64 " not followed",
			 layout_kind_name(o->pl->kind), node);
		return PS_OK;
	}
	if (!followable(node) ||
	    !read_field(o, node, ow->ksm_node_hlist_len, &len_raw) ||
	    !read_u64(o, node + ow->ksm_node_hlist.off, &link)) {
		set_note(out->note, sizeof(out->note),
			 "owner unknown: KSM stable node %#" PRIx64 " not in the dump",
			 node);
		return PS_OK;
	}
	hlist_len = (int32_t)len_raw;
	/* A chain head lists stable node duplicates, not rmap_items; a
	 * page's mapping points at a duplicate, never at the head. */
	if (hlist_len == STABLE_NODE_CHAIN || hlist_len < 0) {
		set_note(out->note, sizeof(out->note),
			 "owner unknown: KSM stable node %#" PRIx64 " has rmap_hlist_len %d (%s), not a node a page maps",
			 node, hlist_len, hlist_len == STABLE_NODE_CHAIN ?
			 "STABLE_NODE_CHAIN: a chain of duplicates" :
			 "negative");
		return PS_OK;
	}
	for (; link && !why[0]; nr_items++) {
		struct pin_owner po = { .kind = OWNER_KSM };
		uint64_t item, mm = 0, address = 0, head = node;
		size_t added;
		int fresh;

		if (nr_items >= KSM_MAX_RMAP_ITEMS) {
			snprintf(why, sizeof(why),
				 "KSM stable node %#" PRIx64 " has more than %u rmap_items",
				 node, KSM_MAX_RMAP_ITEMS);
			break;
		}
		if (!followable(link)) {
			snprintf(why, sizeof(why),
				 "KSM stable node %#" PRIx64 ": bad rmap_item link %#" PRIx64,
				 node, link);
			break;
		}
		fresh = addr_set_add(&seen, link);
		if (fresh < 0) {
			free(seen.slot);
			return ps_fail(err, PS_ERR_NOMEM,
				       "out of memory for a KSM walk");
		}
		if (!fresh) {
			snprintf(why, sizeof(why),
				 "KSM stable node %#" PRIx64 ": its rmap_items reach %#" PRIx64 " twice (a cycle)",
				 node, link);
			break;
		}
		item = link - ow->ksm_item_hlist.off;
		if (!read_field(o, item, ow->ksm_item_mm, &mm) ||
		    !read_field(o, item, ow->ksm_item_address, &address) ||
		    (ow->ksm_item_head.present &&
		     !read_field(o, item, ow->ksm_item_head, &head)) ||
		    !read_u64(o, link, &link)) {
			snprintf(why, sizeof(why),
				 "KSM rmap_item %#" PRIx64 " not in the dump", item);
			break;
		}
		if (head != node || !(address & KSM_STABLE_FLAG) ||
		    !followable(mm)) {
			snprintf(why, sizeof(why),
				 "KSM rmap_item %#" PRIx64 " is not one of stable node %#" PRIx64 "'s (head %#" PRIx64 ", address %#" PRIx64 ", mm %#" PRIx64 ")",
				 item, node, head, address, mm);
			break;
		}
		po.vaddr = address & page_mask;
		if (owners_of_mm(o, mm, &po, out, &added, err)) {
			free(seen.slot);
			return err->status;
		}
		if (!added)
			nr_unowned++;
	}
	free(seen.slot);
	if (!why[0] && nr_items != (uint32_t)hlist_len)
		snprintf(why, sizeof(why),
			 "KSM stable node %#" PRIx64 " links %u rmap_items, its rmap_hlist_len says %d",
			 node, nr_items, hlist_len);
	if (why[0])
		set_note(out->note, sizeof(out->note), "owner unknown: %s%s",
			 why, out->nr_owners ? " (owners listed are those read before)" : "");
	else if (!nr_items)
		set_note(out->note, sizeof(out->note),
			 "mapped by nobody: KSM stable node %#" PRIx64 " has no rmap_item",
			 node);
	else if (!out->nr_owners)
		set_note(out->note, sizeof(out->note),
			 "owner unknown: %u KSM rmap_item(s) map it but no task uses their mm%s%s",
			 nr_unowned, o->tasks_why[0] ? ": " : "", o->tasks_why);
	return PS_OK;
}

/* The owners of one entry through the reverse map. */
static enum ps_status resolve_mapping(struct owners *o, uint64_t pfn,
				      struct pin_owners *out,
				      struct ps_err *err)
{
	const struct page_layout *pl = o->pl;
	const struct owner_layout *ow = &pl->ow;
	uint8_t raw[3 * 256];
	uint64_t addr = memmap_page_addr(o->mm, pfn), index = 0, root = 0;
	uint64_t nr_read;
	struct rmap_walk w = { .o = o, .out = out };
	struct pin_owner file = { 0 };
	struct page_state ps;
	uint64_t mapping;

	if (!addr || !read_head(o, addr, raw, sizeof(raw), &nr_read)) {
		set_note(out->note, sizeof(out->note),
			 "owner unknown: struct page of pfn %#" PRIx64 " not in the dump",
			 pfn);
		return PS_OK;
	}
	page_decode(pl, raw, nr_read, pfn, &ps);
	mapping = ps.mapping;
	memcpy(&index, raw + pl->index.off,
	       pl->index.size && pl->index.size < 8 ? pl->index.size : 8);
	w.index = index;
	w.order = ps.order;
	/* A hugetlb page's index (file or private anon, set through
	 * linear_page_index()) counts huge pages where the kernel says so;
	 * visit_vma applies it in VM_HUGETLB vmas only. */
	w.hugetlb_units = o->sym.hugetlb_index_in_huge_pages;
	if (!mapping) {
		describe_unmapped(&ps, out->note, sizeof(out->note));
		return PS_OK;
	}
	if ((mapping & MAPPING_FLAGS) == MAPPING_FLAGS)
		return resolve_ksm(o, mapping & ~MAPPING_FLAGS, out, err);
	if (mapping & MAPPING_MOVABLE) {
		set_note(out->note, sizeof(out->note),
			 "mapped by nobody: a driver's movable page (movable_operations %#" PRIx64 ")",
			 (uint64_t)(mapping & ~MAPPING_FLAGS));
		return PS_OK;
	}
	if (!followable(mapping & ~MAPPING_FLAGS)) {
		set_note(out->note, sizeof(out->note),
			 "owner unknown: page->mapping %#" PRIx64 " is not a kernel address",
			 mapping);
		return PS_OK;
	}
	if (mapping & MAPPING_ANON) {
		uint64_t av = mapping & ~MAPPING_FLAGS;

		w.kind = OWNER_ANON;
		if (!read_u64(o, av + ow->anon_vma_rb_root.off +
				      ow->rb_root_node.off, &root)) {
			set_note(out->note, sizeof(out->note),
				 "owner unknown: anon_vma %#" PRIx64 " not in the dump",
				 av);
			return PS_OK;
		}
		if (walk_rmap_tree(&w, root, ow->avc_rb.off, true, err))
			return err->status;
	} else {
		uint64_t host = 0;

		w.kind = OWNER_FILE;
		if (!read_field(o, mapping, ow->as_host, &host) ||
		    !followable(host) ||
		    !read_u64(o, mapping + ow->as_i_mmap.off +
				      ow->rb_root_node.off, &root)) {
			set_note(out->note, sizeof(out->note),
				 "owner unknown: address_space %#" PRIx64 " or its inode not in the dump",
				 mapping);
			return PS_OK;
		}
		read_field(o, host, ow->inode_ino, &file.ino);
		if (ow->inode_sb.present && ow->sb_dev.present) {
			uint64_t sb = 0, dev = 0;

			if (read_field(o, host, ow->inode_sb, &sb) &&
			    followable(sb) && read_field(o, sb, ow->sb_dev, &dev))
				file.dev = (uint32_t)dev;
		}
		inode_name(o, host, file.name);
		w.file = &file;
		if (walk_rmap_tree(&w, root, ow->vma_shared_rb.off, false, err))
			return err->status;
	}
	if (w.why[0])
		set_note(out->note, sizeof(out->note), "owner unknown: %s%s",
			 w.why, out->nr_owners ? " (owners listed are those read before)" : "");
	else if (!out->nr_owners && !w.nr_vmas && ps.mapcount > 0)
		set_note(out->note, sizeof(out->note),
			 "owner unknown: no vma of its %s maps index %#" PRIx64 ", though its mapcount is %d",
			 w.kind == OWNER_ANON ? "anon_vma" : "address_space",
			 index, ps.mapcount);
	else if (!out->nr_owners && !w.nr_vmas)
		set_note(out->note, sizeof(out->note),
			 "mapped by nobody: no vma of its %s maps index %#" PRIx64,
			 w.kind == OWNER_ANON ? "anon_vma" : "address_space",
			 index);
	else if (!out->nr_owners)
		set_note(out->note, sizeof(out->note),
			 "owner unknown: %" PRIu64 " vma(s) map it but no task uses their mm%s%s",
			 w.nr_vmas, o->tasks_why[0] ? ": " : "", o->tasks_why);
	return PS_OK;
}

/* A holder's span of pfns kept (an empty one is not). */
static enum ps_status push_span(struct owners *o, const struct holder_span *s,
				struct ps_err *err)
{
	if (s->nr && !array_append((void **)&o->spans, &o->nr_spans,
				   &o->cap_spans, s, 1, sizeof(*s)))
		return ps_fail(err, PS_ERR_NOMEM,
			       "out of memory for the holders' pages");
	return PS_OK;
}

/* Before v5.14 ("io_uring: keep table of pointers to ubufs") user_bufs
 * is an array of struct io_mapped_ubuf, each pointing at its bvecs; from
 * then on an array of pointers to them, the bvecs inside (a flexible
 * array: a member of size 0, where the pointer had 8). */
static bool user_bufs_hold_structs(const struct owner_layout *ow)
{
	return ow->imu_bvec.size == 8;
}

/* One registered buffer's bvecs as pfn spans, merged where contiguous. */
static enum ps_status io_uring_buffer(struct owners *o,
				      const struct pin_holder *h,
				      uint64_t imu, struct ps_err *err)
{
	const struct owner_layout *ow = &o->pl->ow;
	uint32_t bvsz = ow->bio_vec_size, i;
	uint64_t nr = 0, page_size = o->pl->page_size;
	uint64_t bvecs = imu + ow->imu_bvec.off;
	struct holder_span cur = { .h = *h };
	uint8_t bv[64];

	if (!read_field(o, imu, ow->imu_nr_bvecs, &nr) || !nr ||
	    nr > IO_URING_MAX_BVECS || bvsz > sizeof(bv) ||
	    (user_bufs_hold_structs(ow) &&
	     (!read_field(o, imu, ow->imu_bvec, &bvecs) || !followable(bvecs))))
		return PS_OK;
	for (i = 0; i < nr; i++) {
		struct ps_err ignored;
		uint64_t page = 0, len = 0, off = 0, pfn, first, count;
		uint32_t in_page;

		if (target_read_virt(o->t, bvecs + (uint64_t)i * bvsz, bv,
				     bvsz, &ignored))
			break;
		memcpy(&page, bv + ow->bv_page.off, 8);
		memcpy(&len, bv + ow->bv_len.off, 4);
		memcpy(&off, bv + ow->bv_offset.off, 4);
		pfn = memmap_page_containing(o->mm, page, &in_page);
		if (pfn == UINT64_MAX || in_page || !len)
			continue;
		first = pfn + off / page_size;
		count = (off % page_size + len + page_size - 1) / page_size;
		if (cur.nr && cur.pfn + cur.nr == first) {
			cur.nr += count;
			continue;
		}
		if (push_span(o, &cur, err))
			return err->status;
		cur.pfn = first;
		cur.nr = count;
	}
	return push_span(o, &cur, err);
}

/* IORING_RSRC_BUFFER, the type of a registered buffer's io_rsrc_node. */
#define IORING_RSRC_BUFFER 1

/* The number of registered buffer slots of a ring, and where their
 * pointers are: ctx->user_bufs up to v6.12, ctx->buf_table's nodes from
 * v6.13. false if the ring cannot be read. */
static bool io_uring_slots(struct owners *o, uint64_t ctx, uint64_t *slots,
			   uint64_t *nr)
{
	const struct owner_layout *ow = &o->pl->ow;
	bool ok = ow->ctx_user_bufs.present ?
		read_field(o, ctx, ow->ctx_user_bufs, slots) &&
		read_field(o, ctx, ow->ctx_nr_user_bufs, nr) :
		read_field(o, ctx, ow->ctx_buf_nodes, slots) &&
		read_field(o, ctx, ow->ctx_buf_nr, nr);

	return ok && followable(*slots) && *nr <= IO_URING_MAX_BUFS;
}

/* The io_mapped_ubuf a slot's pointer leads to (itself up to v6.12, the
 * io_rsrc_node's buf from v6.13); 0 for an empty slot, one that cannot
 * be read, a node that is not a buffer, or a driver's kernel buffer. */
static uint64_t io_uring_imu(struct owners *o, uint64_t ptr)
{
	const struct owner_layout *ow = &o->pl->ow;
	uint64_t type = IORING_RSRC_BUFFER, imu = 0, kbuf = 0;

	if (!followable(ptr))
		return 0;
	if (ow->ctx_user_bufs.present)
		imu = ptr;
	else if ((ow->rsrc_node_type.present &&
		  !read_field(o, ptr, ow->rsrc_node_type, &type)) ||
		 type != IORING_RSRC_BUFFER ||
		 !read_field(o, ptr, ow->rsrc_node_buf, &imu))
		return 0;
	if (!followable(imu) ||
	    (ow->imu_is_kbuf.present &&
	     (!read_field(o, imu, ow->imu_is_kbuf, &kbuf) || kbuf)))
		return 0;
	return imu;
}

/* An io_uring file's registered buffers. */
static enum ps_status io_uring_file(struct owners *o,
				    const struct owner_task *tk, int64_t fd,
				    uint64_t file, struct ps_err *err)
{
	const struct owner_layout *ow = &o->pl->ow;
	uint64_t ctx = 0, slots = 0, nr = 0;
	struct pin_holder h = { .kind = HOLDER_IO_URING, .pid = tk->pid,
				.fd = fd };
	uint32_t i;

	memcpy(h.comm, tk->comm, sizeof(h.comm));
	if (!read_field(o, file, ow->file_private, &ctx) || !followable(ctx) ||
	    !io_uring_slots(o, ctx, &slots, &nr))
		return PS_OK;
	if (user_bufs_hold_structs(ow) &&
	    (!ow->imu_size || ow->imu_size > 256 || !ow->ctx_user_bufs.present))
		return PS_OK;
	for (i = 0; i < nr; i++) {
		uint64_t ptr = 0, imu;

		if (user_bufs_hold_structs(ow))
			imu = slots + (uint64_t)i * ow->imu_size;
		else if (!read_u64(o, slots + 8ull * i, &ptr) ||
			 !(imu = io_uring_imu(o, ptr)))
			continue;
		h.index = i;
		h.uaddr = 0;
		read_field(o, imu, ow->imu_ubuf, &h.uaddr);
		if (io_uring_buffer(o, &h, imu, err))
			return err->status;
	}
	return PS_OK;
}

/* One struct vfio_dma of a container's tree, kept as a range of the
 * mapping process's user addresses. */
struct vfio_dma_ctx {
	struct owners *o;
	struct pin_holder h;	/* the task holding the container, its fd */
	uint32_t nr;
};

static enum ps_status vfio_dma_node(void *ctx, uint64_t node, char *why,
				    size_t why_size, struct ps_err *err)
{
	struct vfio_dma_ctx *c = ctx;
	struct owners *o = c->o;
	const struct owner_layout *ow = &o->pl->ow;
	uint64_t dma = node - ow->dma_node.off, task = 0, tgid = 0, invalid = 0;
	struct vfio_range r = { .h = c->h };

	if (++c->nr > VFIO_MAX_DMAS) {
		snprintf(why, why_size, "more than %u DMA mappings",
			 VFIO_MAX_DMAS);
		return PS_OK;
	}
	if (!read_field(o, dma, ow->dma_iova, &r.iova) ||
	    !read_field(o, dma, ow->dma_vaddr, &r.vaddr) ||
	    !read_field(o, dma, ow->dma_size, &r.size) ||
	    !read_field(o, dma, ow->dma_task, &task)) {
		snprintf(why, why_size, "vfio_dma %#" PRIx64 " not in the dump",
			 dma);
		return PS_OK;
	}
	/* A mapping whose user address is being replaced (VFIO_DMA_UNMAP_
	 * FLAG_VADDR) names no user page until VFIO_DMA_MAP_FLAG_VADDR. */
	if (ow->dma_vaddr_invalid.present &&
	    (!read_field(o, dma, ow->dma_vaddr_invalid, &invalid) || invalid))
		return PS_OK;
	if (!r.size || r.vaddr + r.size < r.vaddr || !followable(task) ||
	    !read_field(o, task, ow->task_tgid, &tgid))
		return PS_OK;
	r.pid = (int32_t)tgid;
	if (!array_append((void **)&o->vfio, &o->nr_vfio, &o->cap_vfio, &r, 1,
			  sizeof(r)))
		return ps_fail(err, PS_ERR_NOMEM,
			       "out of memory for VFIO's mappings");
	return PS_OK;
}

/* A VFIO container file: its type1 iommu's DMA mappings. The container
 * may use another iommu driver (spapr_tce): only type1's ops are
 * followed. A tree that cannot be read to its end keeps what was read. */
static enum ps_status vfio_container_file(struct owners *o,
					  const struct owner_task *tk,
					  int64_t fd, uint64_t file,
					  struct ps_err *err)
{
	const struct owner_layout *ow = &o->pl->ow;
	uint64_t container = 0, driver = 0, ops = 0, iommu = 0, root = 0;
	struct vfio_dma_ctx c = { .o = o, .h = { .kind = HOLDER_VFIO,
						 .pid = tk->pid, .fd = fd } };
	char why[160] = "";

	memcpy(c.h.comm, tk->comm, sizeof(c.h.comm));
	if (!read_field(o, file, ow->file_private, &container) ||
	    !followable(container) ||
	    !read_field(o, container, ow->vc_iommu_driver, &driver) ||
	    !followable(driver) || !read_field(o, driver, ow->vid_ops, &ops) ||
	    ops != o->sym.vfio_type1_ops ||
	    !read_field(o, container, ow->vc_iommu_data, &iommu) ||
	    !followable(iommu) ||
	    !read_field(o, iommu, ow->vi_dma_root, &root))
		return PS_OK;
	return walk_rb_tree(o, root, "the VFIO DMA tree", vfio_dma_node, &c,
			    why, sizeof(why), err);
}

/* The subsystems that record pins, each recognised by the f_op of a
 * task's open file (cleared in owners_init where the layout cannot
 * follow it). */
static const struct holder_source {
	enum ps_status (*collect)(struct owners *o,
				  const struct owner_task *tk, int64_t fd,
				  uint64_t file, struct ps_err *err);
	size_t fops_off;	/* in struct owner_symbols */
} holder_sources[] = {
	{ io_uring_file, offsetof(struct owner_symbols, io_uring_fops) },
	{ vfio_container_file, offsetof(struct owner_symbols, vfio_fops) },
};

static enum ps_status task_files(struct owners *o, const struct owner_task *tk,
				 struct ps_err *err)
{
	const struct owner_layout *ow = &o->pl->ow;
	uint64_t fdt = 0, max = 0, fds = 0, chunk[FD_CHUNK];
	uint32_t fd;

	if (!followable(tk->files) ||
	    !read_field(o, tk->files, ow->files_fdt, &fdt) || !followable(fdt) ||
	    !read_field(o, fdt, ow->fdt_max_fds, &max) ||
	    !read_field(o, fdt, ow->fdt_fd, &fds) || !followable(fds))
		return PS_OK;
	if (max > FDS_MAX)
		max = FDS_MAX;
	for (fd = 0; fd < max; fd += FD_CHUNK) {
		uint32_t n = max - fd < FD_CHUNK ? (uint32_t)(max - fd) : FD_CHUNK;
		struct ps_err ignored;
		uint32_t i;

		if (target_read_virt(o->t, fds + 8ull * fd, chunk, 8ull * n,
				     &ignored))
			continue;
		for (i = 0; i < n; i++) {
			uint64_t fop = 0;
			size_t s;

			if (!followable(chunk[i]) ||
			    !read_field(o, chunk[i], ow->file_f_op, &fop))
				continue;
			for (s = 0; s < sizeof(holder_sources) /
					sizeof(*holder_sources); s++) {
				uint64_t want = *(const uint64_t *)
					((const char *)&o->sym +
					 holder_sources[s].fops_off);

				if (want && fop == want &&
				    holder_sources[s].collect(o, tk, fd + i,
							      chunk[i], err))
					return err->status;
			}
		}
	}
	return PS_OK;
}

static int span_cmp(const void *a, const void *b)
{
	const struct holder_span *x = a, *y = b;

	return x->pfn < y->pfn ? -1 : x->pfn > y->pfn;
}

static int vfio_cmp(const void *a, const void *b)
{
	const struct vfio_range *x = a, *y = b;

	return x->vaddr < y->vaddr ? -1 : x->vaddr > y->vaddr;
}

/* Every task's open files, once, for the holders' spans. Tasks sharing
 * a files_struct (CLONE_FILES) are read once. */
static enum ps_status read_holders(struct owners *o, struct ps_err *err)
{
	struct addr_set seen = { 0 };
	size_t i;

	o->holders_read = true;
	if (!o->tasks_read && read_tasks(o, err))
		return err->status;
	for (i = 0; i < o->nr_tasks; i++) {
		int added;

		if (!o->tasks[i].files)
			continue;
		added = addr_set_add(&seen, o->tasks[i].files);

		if (added < 0) {
			free(seen.slot);
			return ps_fail(err, PS_ERR_NOMEM,
				       "out of memory for the file tables");
		}
		if (added && task_files(o, &o->tasks[i], err)) {
			free(seen.slot);
			return err->status;
		}
	}
	free(seen.slot);
	if (o->nr_spans)
		qsort(o->spans, o->nr_spans, sizeof(*o->spans), span_cmp);
	for (i = 0; i < o->nr_spans; i++)
		if (o->spans[i].nr > o->max_span)
			o->max_span = o->spans[i].nr;
	if (o->nr_vfio)
		qsort(o->vfio, o->nr_vfio, sizeof(*o->vfio), vfio_cmp);
	for (i = 0; i < o->nr_vfio; i++)
		if (o->vfio[i].size > o->max_vfio_size)
			o->max_vfio_size = o->vfio[i].size;
	return PS_OK;
}

/* h in out's holders, once. */
static enum ps_status add_holder(struct pin_owners *out,
				 const struct pin_holder *h, struct ps_err *err)
{
	size_t k;

	for (k = 0; k < out->nr_holders; k++)
		if (out->holders[k].pid == h->pid &&
		    out->holders[k].fd == h->fd &&
		    out->holders[k].index == h->index &&
		    out->holders[k].iova == h->iova &&
		    out->holders[k].kind == h->kind)
			return PS_OK;
	if (!array_append((void **)&out->holders, &out->nr_holders,
			  &out->cap_holders, h, 1, sizeof(*h)))
		return ps_fail(err, PS_ERR_NOMEM, "out of memory for holders");
	return PS_OK;
}

/* The first of n elements of size `size`, sorted by the uint64_t at
 * offset key_off, whose key is at least key. */
static size_t first_at_least(const void *base, size_t n, size_t size,
			     size_t key_off, uint64_t key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint64_t k;

		memcpy(&k, (const char *)base + mid * size + key_off, sizeof(k));
		if (k < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The holders whose pages overlap [pfn, pfn + nr). */
static enum ps_status add_holders(struct owners *o, uint64_t pfn,
				  uint64_t nr, struct pin_owners *out,
				  struct ps_err *err)
{
	/* A span that reaches pfn starts at or after `from`. */
	uint64_t from = pfn > o->max_span ? pfn - o->max_span : 0;
	size_t i = first_at_least(o->spans, o->nr_spans, sizeof(*o->spans),
				  offsetof(struct holder_span, pfn), from);

	for (; i < o->nr_spans && o->spans[i].pfn < pfn + nr; i++)
		if (o->spans[i].pfn + o->spans[i].nr > pfn &&
		    add_holder(out, &o->spans[i].h, err))
			return err->status;
	return PS_OK;
}

/* VFIO's mappings of the process of an owner that cover its address:
 * VFIO records user addresses, not pages, so its holders follow from
 * the owners found through the reverse map. */
static enum ps_status add_vfio_holders(struct owners *o,
				       struct pin_owners *out,
				       struct ps_err *err)
{
	size_t k, i;

	for (k = 0; k < out->nr_owners; k++) {
		const struct pin_owner *own = &out->owners[k];
		uint64_t from = own->vaddr > o->max_vfio_size ?
				own->vaddr - o->max_vfio_size : 0;

		i = first_at_least(o->vfio, o->nr_vfio, sizeof(*o->vfio),
				   offsetof(struct vfio_range, vaddr), from);
		for (; i < o->nr_vfio && o->vfio[i].vaddr <= own->vaddr; i++) {
			const struct vfio_range *r = &o->vfio[i];
			struct pin_holder h = r->h;

			if (r->pid != own->pid ||
			    own->vaddr - r->vaddr >= r->size)
				continue;
			h.uaddr = own->vaddr;
			h.iova = r->iova + (own->vaddr - r->vaddr);
			if (add_holder(out, &h, err))
				return err->status;
		}
	}
	return PS_OK;
}

enum ps_status owners_resolve(struct owners *o, uint64_t pfn,
			      uint64_t nr_pages, struct pin_owners *out,
			      struct ps_err *err)
{
	memset(out, 0, sizeof(*out));
	if (o->owners_why[0]) {
		set_note(out->note, sizeof(out->note), "owner unknown: %s",
			 o->owners_why);
		return PS_OK;
	}
	if (resolve_mapping(o, pfn, out, err))
		return err->status;
	if (o->holders_why[0])
		return PS_OK;
	if (!o->holders_read && read_holders(o, err))
		return err->status;
	if (add_holders(o, pfn, nr_pages ? nr_pages : 1, out, err))
		return err->status;
	return add_vfio_holders(o, out, err);
}
