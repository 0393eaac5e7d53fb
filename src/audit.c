#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "util.h"

/* x86-64 LIST_POISON1/2: include/linux/poison.h with
 * CONFIG_ILLEGAL_POINTER_VALUE 0xdead000000000000 (every distro kernel). */
#define LIST_POISON1 0xdead000000000100ull
#define LIST_POISON2 0xdead000000000122ull
/* A list walk never visits more than every LRU page plus the head. */
#define CACHE_SLOTS 2048
#define CHUNK_PAGES 64		/* one 4 KiB page of 64-byte struct pages */
#define MAX_HEADS (1u << 20)

struct cache_slot {
	uint64_t first_pfn;	/* UINT64_MAX: empty */
	uint64_t missing;	/* bit per page of the chunk */
	uint8_t *data;
};

struct page_cache {
	struct cache_slot slot[CACHE_SLOTS];
	uint8_t *buf;
};

static bool bit_test(const uint64_t *bits, uint64_t i)
{
	return (bits[i / 64] >> (i % 64)) & 1;
}

static void bit_set(uint64_t *bits, uint64_t i)
{
	bits[i / 64] |= 1ull << (i % 64);
}

static struct page_cache *cache_new(uint32_t sps)
{
	struct page_cache *c = calloc(1, sizeof(*c));
	unsigned i;

	if (!c)
		return NULL;
	c->buf = malloc((size_t)CACHE_SLOTS * CHUNK_PAGES * sps);
	if (!c->buf) {
		free(c);
		return NULL;
	}
	for (i = 0; i < CACHE_SLOTS; i++) {
		c->slot[i].first_pfn = UINT64_MAX;
		c->slot[i].data = c->buf + (size_t)i * CHUNK_PAGES * sps;
	}
	return c;
}

bool audit_read_page(struct audit *a, uint64_t pfn, struct page_state *ps)
{
	uint32_t sps = a->pl->struct_page_size, nr_missing;
	uint64_t first = pfn - pfn % CHUNK_PAGES;
	struct cache_slot *slot = &a->cache->slot[(first / CHUNK_PAGES) % CACHE_SLOTS];
	const struct mm_section *sec = memmap_find(a->mm, pfn);
	unsigned idx = (unsigned)(pfn - first);
	struct ps_err err;

	if (!sec)
		return false;
	/* A live kernel changes under us: never answer from the cache. */
	if (slot->first_pfn != first || a->mm->t->live) {
		slot->first_pfn = UINT64_MAX;
		if (memmap_read(&a->quiet_mm, sec, first, CHUNK_PAGES, slot->data,
				&slot->missing, &nr_missing, &err))
			return false;
		slot->first_pfn = first;
	}
	if ((slot->missing >> idx) & 1)
		return false;
	page_decode(a->pl, slot->data + (size_t)idx * sps, CHUNK_PAGES - idx,
		    pfn, ps);
	return true;
}

/* ---- zones and pageblocks ---- */

static void add_node_span(struct audit *a, uint64_t pgdat)
{
	const struct page_layout *pl = a->pl;
	uint64_t start, spanned;
	uint32_t nid = 0;
	struct ps_err err;

	if (!pl->pgdat_node_start.present || !pl->pgdat_node_spanned.present ||
	    !pl->pgdat_node_id.present ||
	    target_read_u64(a->mm->t, pgdat + pl->pgdat_node_start.off, &start, &err) ||
	    target_read_u64(a->mm->t, pgdat + pl->pgdat_node_spanned.off, &spanned, &err) ||
	    target_read_virt(a->mm->t, pgdat + pl->pgdat_node_id.off, &nid,
			     sizeof(nid), &err) ||
	    !spanned || !array_grow((void **)&a->nodes, &a->cap_nodes,
				    a->nr_nodes, sizeof(*a->nodes)))
		return;
	a->nodes[a->nr_nodes].start = start;
	a->nodes[a->nr_nodes].end = start + spanned;
	a->nodes[a->nr_nodes++].nid = (int)nid;
}

/* The node of pfn, or -1 when no node span or more than one holds it
 * (node spans may interleave; then only page->flags would tell). */
static int node_of(const struct audit *a, uint64_t pfn)
{
	int nid = -1;
	size_t i;

	for (i = 0; i < a->nr_nodes; i++) {
		if (pfn < a->nodes[i].start || pfn >= a->nodes[i].end)
			continue;
		if (nid >= 0)
			return -1;
		nid = a->nodes[i].nid;
	}
	return nid;
}

static void add_movable_span(struct audit *a, uint64_t pgdat)
{
	const struct page_layout *pl = a->pl;
	uint64_t zone = pgdat + pl->pgdat_node_zones_off +
			(uint64_t)pl->zone_movable * pl->zone_size;
	uint64_t start, spanned;
	struct ps_err err;

	if (target_read_u64(a->mm->t, zone + pl->zone_start_pfn_off, &start, &err) ||
	    target_read_u64(a->mm->t, zone + pl->zone_spanned_off, &spanned, &err) ||
	    !spanned || !array_grow((void **)&a->movable, &a->cap_movable,
				    a->nr_movable, sizeof(*a->movable)))
		return;
	a->movable[a->nr_movable].start = start;
	a->movable[a->nr_movable++].end = start + spanned;
}

static void add_node(struct audit *a, uint64_t pgdat)
{
	add_node_span(a, pgdat);
	if (a->pl->zone_movable >= 0 && a->pl->zone_size)
		add_movable_span(a, pgdat);
}

/* node_data[] (NUMA) or contig_page_data: each node's span and
 * ZONE_MOVABLE. */
static void find_nodes(struct audit *a)
{
	const struct vmcoreinfo *vi = &a->mm->t->vmcoreinfo;
	uint64_t array, pgdat;
	int64_t length, i;
	struct ps_err err;

	if (vmcoreinfo_symbol(vi, "contig_page_data", &pgdat)) {
		add_node(a, pgdat);
		return;
	}
	if (!vmcoreinfo_symbol(vi, "node_data", &array) ||
	    !vmcoreinfo_length(vi, "node_data", &length) || length <= 0 ||
	    length > (1 << 16))
		return;
	for (i = 0; i < length; i++)
		if (!target_read_u64(a->mm->t, array + (uint64_t)i * 8, &pgdat, &err) &&
		    pgdat)
			add_node(a, pgdat);
}

static int pageblock_migratetype(struct audit *a, uint64_t pfn)
{
	const struct page_layout *pl = a->pl;
	const struct mm_section *sec = memmap_find(a->mm, pfn);
	uint64_t bitidx, word;
	struct ps_err err;

	if (!sec || !sec->usage || !pl->pageblock_flags.present)
		return -1;
	bitidx = ((pfn % a->mm->pages_per_section) >> pl->pageblock_order) *
		 pl->nr_pageblock_bits;
	if (target_read_u64(a->mm->t, sec->usage + pl->pageblock_flags.off +
			    bitidx / 64 * 8, &word, &err))
		return -1;
	/* The migratetype is the block's first 3 bits (PB_migrate ..
	 * PB_migrate_end, include/linux/pageblock-flags.h); before v5.9
	 * they were counted from the top of the word. */
	if (pl->pageblock_msb_first)
		return (int)((word >> (64 - bitidx % 64 - 3)) & 7);
	return (int)((word >> (bitidx % 64)) & 7);
}

static void audit_pin_placement(struct audit *a, const struct page_state *ps)
{
	size_t i;
	int mt;

	if (ps->pin_how == PIN_HOW_NONE)
		return;
	for (i = 0; i < a->nr_movable; i++)
		if (ps->pfn >= a->movable[i].start && ps->pfn < a->movable[i].end)
			finding_emit(a->emit, a->arg, RULE_PIN_IN_MOVABLE, ps->pfn,
				     "pinned (%llu pages) in ZONE_MOVABLE pfns %#llx..%#llx",
				     (unsigned long long)ps->nr_pages,
				     (unsigned long long)a->movable[i].start,
				     (unsigned long long)(a->movable[i].end - 1));
	if (a->pl->migrate_cma < 0)
		return;
	mt = pageblock_migratetype(a, ps->pfn);
	if (mt == a->pl->migrate_cma)
		finding_emit(a->emit, a->arg, RULE_PIN_IN_CMA, ps->pfn,
			     "pinned (%llu pages) in a MIGRATE_CMA pageblock",
			     (unsigned long long)ps->nr_pages);
}

/* What every audit has: its memmap, the cache and the node spans. */
static void audit_setup(struct audit *a, struct memmap *mm, finding_fn emit,
			void *arg)
{
	memset(a, 0, sizeof(*a));
	a->mm = mm;
	a->quiet_mm = *mm;
	a->quiet_mm.warnings = NULL;
	a->pl = mm->pl;
	a->emit = emit;
	a->arg = arg;
	if (mm->nr_sections)
		a->max_pfn = mm->sections[mm->nr_sections - 1].start_pfn +
			     mm->pages_per_section;
	a->cache = cache_new(a->pl->struct_page_size);
	a->lru_checks = pageflags_has(&a->pl->pf, PGF_active) &&
			pageflags_has(&a->pl->pf, PGF_unevictable) &&
			pageflags_has(&a->pl->pf, PGF_swapbacked);
	find_nodes(a);
}

enum ps_status audit_init(struct audit *a, struct memmap *mm,
			  finding_fn emit, void *arg, struct ps_err *err)
{
	size_t words;

	audit_setup(a, mm, emit, arg);
	words = (a->max_pfn + 63) / 64 + 1;
	a->lru_bits = calloc(words, sizeof(uint64_t));
	a->seen_bits = calloc(words, sizeof(uint64_t));
	if (!a->lru_bits || !a->seen_bits || !a->cache)
		return ps_fail(err, PS_ERR_NOMEM,
			       "out of memory for the audit's bitmaps (%llu pfns)",
			       (unsigned long long)a->max_pfn);
	return PS_OK;
}

enum ps_status audit_init_worker(struct audit *a, struct memmap *mm,
				 const struct audit *main, finding_fn emit,
				 void *arg, struct ps_err *err)
{
	audit_setup(a, mm, emit, arg);
	a->lru_bits = main->lru_bits;
	a->shares_bits = true;
	if (!a->cache)
		return ps_fail(err, PS_ERR_NOMEM,
			       "out of memory for a scan thread's mem_map cache");
	return PS_OK;
}

void audit_free(struct audit *a)
{
	if (!a->shares_bits)
		free(a->lru_bits);
	free(a->seen_bits);
	if (a->cache)
		free(a->cache->buf);
	free(a->cache);
	free(a->heads);
	free(a->lists);
	free(a->movable);
	free(a->nodes);
	memset(a, 0, sizeof(*a));
}

/* ---- compound families ---- */

static void close_family(struct audit *a)
{
	if (a->fam.open && a->fam.bad)
		finding_emit(a->emit, a->arg, RULE_HEAD_TAIL_MISMATCH, a->fam.head,
			     "%llu of its %llu tail pages do not point back (first: pfn %#llx)",
			     (unsigned long long)a->fam.bad,
			     (unsigned long long)(a->fam.end - a->fam.head - 1),
			     (unsigned long long)a->fam.first_bad);
	a->fam.open = false;
}

static void family_bad(struct audit *a, uint64_t pfn)
{
	if (!a->fam.bad++)
		a->fam.first_bad = pfn;
}

/* A tail's own view: does compound_head lead to a head whose range
 * covers it? */
static void check_tail_head(struct audit *a, const struct page_state *ps)
{
	uint64_t head_addr = page_tail_head_addr(ps,
			memmap_page_addr(a->mm, ps->pfn));
	uint64_t hpfn = memmap_addr_to_pfn(a->mm, head_addr);
	struct page_state head;

	if (hpfn == UINT64_MAX) {
		finding_emit(a->emit, a->arg, RULE_TAIL_BAD_HEAD, ps->pfn,
			     "compound_head 0x%llx is not a struct page",
			     (unsigned long long)ps->compound_info);
		return;
	}
	if (!audit_read_page(a, hpfn, &head))
		return;		/* the head is missing from the dump */
	if (!head.head) {
		finding_emit(a->emit, a->arg, RULE_TAIL_HEAD_NOT_HEAD, ps->pfn,
			     "points at pfn %#llx, which lacks PG_head (flags 0x%llx)",
			     (unsigned long long)hpfn,
			     (unsigned long long)head.flags);
		return;
	}
	/* Without the folio order (VMCOREINFO alone, v6.3+: no
	 * OFFSET(page.compound_order)) the head's extent is unknown; a tail
	 * at or before its head is outside any folio all the same. */
	if (a->pl->order_kind == ORDER_NONE) {
		if (ps->pfn <= hpfn)
			finding_emit(a->emit, a->arg, RULE_TAIL_OUTSIDE_FOLIO,
				     ps->pfn,
				     "head pfn %#llx lies at or after its tail",
				     (unsigned long long)hpfn);
		return;
	}
	if (head.bad_order || ps->pfn <= hpfn || ps->pfn >= hpfn + head.nr_pages)
		finding_emit(a->emit, a->arg, RULE_TAIL_OUTSIDE_FOLIO, ps->pfn,
			     "head pfn %#llx has order %u: pages %#llx..%#llx",
			     (unsigned long long)hpfn, head.raw_order,
			     (unsigned long long)hpfn,
			     (unsigned long long)(hpfn + head.nr_pages - 1));
}

/* Era-aware: page[1..3] of a folio may hold folio members where a tail's
 * _refcount would be (layout.tail_refcount_overlaid). */
static void check_tail_refcount(struct audit *a, const struct page_state *ps,
				uint64_t index)
{
	if (!ps->refcount ||
	    (index < 8 && (a->pl->tail_refcount_overlaid >> index) & 1))
		return;
	finding_emit(a->emit, a->arg, RULE_TAIL_REFCOUNT, ps->pfn,
		     "tail %llu of pfn %#llx has _refcount %u%s",
		     (unsigned long long)index, (unsigned long long)a->fam.head,
		     ps->refcount,
		     ps->refcount >= GUP_PIN_COUNTING_BIAS ? " (looks pinned)" : "");
}

void audit_compound_page(struct audit *a, const struct page_state *ps)
{
	bool in_family = a->fam.open && ps->pfn < a->fam.end;

	if (a->fam.open && !in_family)
		close_family(a);
	if (in_family) {
		if (ps->tail && page_tail_head_addr(ps,
				memmap_page_addr(a->mm, ps->pfn)) == a->fam.addr) {
			check_tail_refcount(a, ps, ps->pfn - a->fam.head);
			return;
		}
		if (ps->tail) {
			/* Points elsewhere: the tail's own rules say where
			 * (RFC-PIN-ON-TAIL already did for a pin bit). */
			if (!ps->rfc_pin_on_tail)
				check_tail_head(a, ps);
			return;
		}
		if (a->pl->order_kind == ORDER_NONE) {
			/* Extent unknown: the family is the run of tails that
			 * point back, and this page ends it. */
			a->fam.open = false;
			in_family = false;
		}
	}
	if (in_family) {
		if (a->pl->pin_scheme == PIN_SCHEME_RFC &&
		    ps->pin_how == PIN_HOW_RFC_FLAG)
			finding_emit(a->emit, a->arg, RULE_RFC_PIN_IN_FOLIO, ps->pfn,
				     "pin bit inside the compound page of pfn %#llx",
				     (unsigned long long)a->fam.head);
		else
			family_bad(a, ps->pfn);
		if (!ps->head)
			return;
		close_family(a);	/* a head inside a head */
	}
	if (ps->head && !ps->tail && !ps->bad_order) {
		a->fam.open = true;
		a->fam.head = ps->pfn;
		/* Order unknown: open until a page that is not its tail. */
		a->fam.end = a->pl->order_kind == ORDER_NONE ? UINT64_MAX :
			     ps->pfn + ps->nr_pages;
		a->fam.addr = memmap_page_addr(a->mm, ps->pfn);
		a->fam.bad = 0;
		return;
	}
	if (ps->tail && !ps->rfc_pin_on_tail)
		check_tail_head(a, ps);
}

/* ---- LRU links ---- */

static void add_head(struct audit *a, uint64_t addr)
{
	size_t i;

	for (i = a->nr_heads; i > 0; i--)	/* recent heads repeat */
		if (a->heads[i - 1] == addr)
			return;
	if (a->nr_heads >= MAX_HEADS)
		return;
	if (!array_grow((void **)&a->heads, &a->cap_heads, a->nr_heads,
			sizeof(*a->heads)))
		return;
	a->heads[a->nr_heads++] = addr;
}

static bool same_list_type(const struct page_layout *pl,
			   const struct page_state *x, const struct page_state *y)
{
	static const enum pageflag list_type[] = {
		PGF_active, PGF_swapbacked, PGF_unevictable,
	};
	size_t i;

	for (i = 0; i < sizeof(list_type) / sizeof(list_type[0]); i++)
		if (pageflags_test(&pl->pf, x->flags, list_type[i]) !=
		    pageflags_test(&pl->pf, y->flags, list_type[i]))
			return false;
	return true;
}

/* Read a list_head outside mem_map. */
static bool read_list_head(struct audit *a, uint64_t addr, uint64_t *next,
			   uint64_t *prev)
{
	uint64_t w[2];
	struct ps_err err;

	if (target_read_virt(a->mm->t, addr, w, sizeof(w), &err))
		return false;
	*next = w[a->pl->list_next_off / 8];
	*prev = w[a->pl->list_prev_off / 8];
	return true;
}

static bool is_poison(uint64_t v);

static void check_same_node(struct audit *a, uint64_t pfn, uint64_t npfn,
			    bool forward)
{
	int nid = node_of(a, pfn), nnid = node_of(a, npfn);

	if (nid >= 0 && nnid >= 0 && nid != nnid)
		finding_emit(a->emit, a->arg, RULE_LRU_NODE_MISMATCH, pfn,
			     "on node %d, but lru.%s pfn %#llx is on node %d", nid,
			     forward ? "next" : "prev", (unsigned long long)npfn,
			     nnid);
}

/* A pointer that could be an lru link: an aligned kernel address, not
 * poison, that is a page's lru or a readable list head. */
static bool valid_link(struct audit *a, uint64_t ptr)
{
	uint64_t next, prev;
	uint32_t off;

	if (!memmap_is_kernel_addr(ptr) || ptr % 8 || is_poison(ptr))
		return false;
	if (memmap_page_containing(a->mm, ptr, &off) != UINT64_MAX)
		return off == a->pl->lru.off;
	return read_list_head(a, ptr, &next, &prev);
}

/* The link ptr of page ps (next when forward) points at a page or a head
 * that must point back. A broken link is blamed on the pointer nobody
 * agrees with: if the pointee's counter-pointer is itself confirmed by its
 * own target, ours is the stale one; otherwise the pointee is to blame and
 * will be reported when its own pointer is checked. */
static void check_link(struct audit *a, const struct page_state *ps,
		       uint64_t ptr, bool forward)
{
	const struct page_layout *pl = a->pl;
	uint64_t self = memmap_page_addr(a->mm, ps->pfn) + pl->lru.off;
	uint64_t npfn, back, other, dummy;
	struct page_state n, o;
	uint32_t off;

	npfn = memmap_page_containing(a->mm, ptr, &off);
	if (npfn == UINT64_MAX) {
		uint64_t hn, hp;

		if (!read_list_head(a, ptr, &hn, &hp)) {
			finding_emit(a->emit, a->arg, RULE_LRU_BAD_POINTER, ps->pfn,
				     "lru.%s 0x%llx is neither a page nor a readable list head",
				     forward ? "next" : "prev",
				     (unsigned long long)ptr);
			return;
		}
		add_head(a, ptr);
		/* A list head is not a page: a link it does not return is
		 * reported here, at the only page involved. */
		back = forward ? hp : hn;
		if (back != self)
			finding_emit(a->emit, a->arg, RULE_LRU_LINK_MISMATCH, ps->pfn,
				     "list head 0x%llx: its %s is 0x%llx, not this page",
				     (unsigned long long)ptr, forward ? "prev" : "next",
				     (unsigned long long)back);
		return;
	}
	if (off != pl->lru.off) {
		finding_emit(a->emit, a->arg, RULE_LRU_BAD_POINTER, ps->pfn,
			     "lru.%s 0x%llx points %u bytes into pfn %#llx's struct page, not at its lru",
			     forward ? "next" : "prev", (unsigned long long)ptr,
			     off, (unsigned long long)npfn);
		return;
	}
	if (!audit_read_page(a, npfn, &n))
		return;
	if (pl->pin_scheme == PIN_SCHEME_RFC && n.pin_how == PIN_HOW_RFC_FLAG) {
		finding_emit(a->emit, a->arg, RULE_RFC_PIN_ON_LRU, npfn,
			     "DMA-pinned page is linked from LRU page %#llx",
			     (unsigned long long)ps->pfn);
		return;
	}
	if (!n.lru) {
		finding_emit(a->emit, a->arg, RULE_LRU_NEIGHBOUR_NOT_LRU, ps->pfn,
			     "lru.%s is pfn %#llx, which lacks PG_lru",
			     forward ? "next" : "prev", (unsigned long long)npfn);
		return;
	}
	if (!same_list_type(pl, ps, &n))
		finding_emit(a->emit, a->arg, RULE_LRU_LIST_TYPE_MISMATCH, ps->pfn,
			     "flags 0x%llx but lru.%s pfn %#llx has 0x%llx",
			     (unsigned long long)ps->flags, forward ? "next" : "prev",
			     (unsigned long long)npfn, (unsigned long long)n.flags);
	check_same_node(a, ps->pfn, npfn, forward);
	back = forward ? n.lru_prev : n.lru_next;
	if (back == self)
		return;
	if (forward) {
		/* P.next = Q but Q.prev = R: P's next is the stale one only
		 * if R.next == Q confirms Q.prev; otherwise Q's prev is, and
		 * Q's own check reports it. */
		other = memmap_addr_to_pfn(a->mm, back - pl->lru.off);
		if (other != UINT64_MAX) {
			if (!audit_read_page(a, other, &o) || o.lru_next != ptr)
				return;
		} else if (!read_list_head(a, back, &other, &dummy) ||
			   other != ptr) {
			return;
		}
	} else if (!valid_link(a, back)) {
		/* Q.prev = R but R.next is no link at all: R's damage
		 * (reported at R) explains it; Q's prev is right. */
		return;
	}
	finding_emit(a->emit, a->arg, RULE_LRU_LINK_MISMATCH, ps->pfn,
		     "lru.%s is pfn %#llx, whose %s (0x%llx) points elsewhere",
		     forward ? "next" : "prev", (unsigned long long)npfn,
		     forward ? "prev" : "next", (unsigned long long)back);
}

static bool is_poison(uint64_t v)
{
	return v == LIST_POISON1 || v == LIST_POISON2;
}

static void check_pointer(struct audit *a, const struct page_state *ps,
			  uint64_t ptr, bool forward)
{
	if (!memmap_is_kernel_addr(ptr) || ptr % 8)
		finding_emit(a->emit, a->arg, RULE_LRU_BAD_POINTER, ps->pfn,
			     "lru.%s 0x%llx is not an aligned kernel pointer",
			     forward ? "next" : "prev", (unsigned long long)ptr);
	else
		check_link(a, ps, ptr, forward);
}

static void audit_lru(struct audit *a, const struct page_state *ps)
{
	if (!ps->lru || ps->tail)
		return;
	/* Without the list-type flags (VMCOREINFO only) lists cannot be
	 * told apart, nor unlisted unevictable pages recognised. */
	if (!a->lru_checks)
		return;
	/* RFC: the pin word is lru.next; RFC-PIN-ON-LRU says it all. */
	if (ps->pin_how == PIN_HOW_RFC_FLAG)
		return;
	if (a->pl->unevictable_unlisted &&
	    pageflags_test(&a->pl->pf, ps->flags, PGF_unevictable))
		return;
	if (is_poison(ps->lru_next) || is_poison(ps->lru_prev)) {
		/* Off every list by construction: not "unreachable" too. */
		finding_emit(a->emit, a->arg, RULE_LRU_POISONED, ps->pfn,
			     "PG_lru with lru.next 0x%llx, lru.prev 0x%llx (deleted entry)",
			     (unsigned long long)ps->lru_next,
			     (unsigned long long)ps->lru_prev);
		return;
	}
	bit_set(a->lru_bits, ps->pfn);
	a->nr_lru++;
	/* Each link on its own: a good one still finds its list head. */
	check_pointer(a, ps, ps->lru_next, true);
	check_pointer(a, ps, ps->lru_prev, false);
}

void audit_links_page(struct audit *a, const struct page_state *ps)
{
	if (ps->pfn >= a->max_pfn)
		return;
	audit_lru(a, ps);
	audit_pin_placement(a, ps);
}

void audit_page(struct audit *a, const struct page_state *ps)
{
	if (ps->pfn >= a->max_pfn)
		return;
	audit_compound_page(a, ps);
	audit_lru(a, ps);
	audit_pin_placement(a, ps);
}

void audit_add_heads(struct audit *a, const uint64_t *heads, size_t n,
		     uint64_t nr_lru)
{
	size_t i;

	for (i = 0; i < n; i++)
		add_head(a, heads[i]);
	a->nr_lru += nr_lru;
}

void audit_missing(struct audit *a, uint64_t pfn)
{
	/* Unknown pages in a family: say nothing rather than guess. */
	if (a->fam.open && pfn < a->fam.end)
		a->fam.open = false;
}

/* ---- list reconstruction ---- */

/* Did the forward walk from start pass through pfn in its first count
 * pages? Then meeting pfn again is a loop inside this list, not a join
 * with another one. Bounded by count; asked only where a walk stops. */
static bool walked_through(struct audit *a, uint64_t start, uint64_t count,
			   uint64_t pfn)
{
	uint64_t cur = start, i;
	struct page_state ps;

	for (i = 0; i < count; i++) {
		uint64_t p = memmap_addr_to_pfn(a->mm, cur - a->pl->lru.off);

		if (p == pfn)
			return true;
		if (p == UINT64_MAX || !audit_read_page(a, p, &ps))
			return false;
		cur = ps.lru_next;
	}
	return false;
}

/* Walk one direction from a head, marking pages seen; returns pages
 * walked. Stops at the head, at a non-page, at a page walked before
 * (this list's: a loop that never returns, too-long; another's: joined),
 * or after every LRU page. */
static uint64_t walk(struct audit *a, uint64_t head, uint64_t start,
		     bool forward, enum lru_list_status *status,
		     uint64_t *first_pfn)
{
	uint64_t cur = start, count = 0;
	struct page_state ps;

	*status = LRU_LIST_OK;
	*first_pfn = UINT64_MAX;
	while (cur != head) {
		uint64_t pfn = memmap_addr_to_pfn(a->mm, cur - a->pl->lru.off);

		if (pfn == UINT64_MAX || !bit_test(a->lru_bits, pfn) ||
		    !audit_read_page(a, pfn, &ps)) {
			*status = LRU_LIST_BROKEN;
			break;
		}
		if (count > a->nr_lru) {
			*status = LRU_LIST_TOO_LONG;
			break;
		}
		if (forward && bit_test(a->seen_bits, pfn)) {
			*status = walked_through(a, start, count, pfn) ?
				  LRU_LIST_TOO_LONG : LRU_LIST_JOINED;
			break;
		}
		if (*first_pfn == UINT64_MAX)
			*first_pfn = pfn;
		bit_set(a->seen_bits, pfn);
		count++;
		cur = forward ? ps.lru_next : ps.lru_prev;
	}
	return count;
}

static void rebuild_lists(struct audit *a)
{
	size_t i;

	a->lists = calloc(a->nr_heads ? a->nr_heads : 1, sizeof(*a->lists));
	if (!a->lists)
		return;
	for (i = 0; i < a->nr_heads; i++) {
		struct lru_list *l = &a->lists[a->nr_lists++];
		enum lru_list_status back_status;
		uint64_t next, prev, unused;

		l->head = a->heads[i];
		l->first_pfn = UINT64_MAX;
		if (!read_list_head(a, l->head, &next, &prev)) {
			l->status = LRU_LIST_BROKEN;
			continue;
		}
		l->length = walk(a, l->head, next, true, &l->status,
				 &l->first_pfn);
		/* Walking back too reaches pages a broken or torn next
		 * link hides from the forward walk. */
		walk(a, l->head, prev, false, &back_status, &unused);
	}
}

/* Follow next from an LRU page no head reached, at most over every LRU
 * page. Returns the steps taken; *cycle when it came back to start. With
 * report, marks the pages seen and reports each as unreachable. */
static uint64_t follow_orphans(struct audit *a, uint64_t start, bool report,
			       bool *cycle)
{
	uint64_t cur = start, steps = 0;
	struct page_state ps;

	*cycle = false;
	while (steps <= a->nr_lru) {
		uint64_t next;

		if (report) {
			bit_set(a->seen_bits, cur);
			finding_emit(a->emit, a->arg, RULE_LRU_UNREACHABLE, cur,
				     "on no LRU list reachable from a list head");
		}
		steps++;
		if (!audit_read_page(a, cur, &ps))
			break;
		next = memmap_addr_to_pfn(a->mm, ps.lru_next - a->pl->lru.off);
		if (next == start) {
			*cycle = true;
			break;
		}
		if (next == UINT64_MAX || !bit_test(a->lru_bits, next) ||
		    bit_test(a->seen_bits, next))
			break;
		cur = next;
	}
	return steps;
}

static void mark_cycle(struct audit *a, uint64_t start, uint64_t steps)
{
	uint64_t cur = start, i;
	struct page_state ps;

	for (i = 0; i < steps && audit_read_page(a, cur, &ps); i++) {
		bit_set(a->seen_bits, cur);
		cur = memmap_addr_to_pfn(a->mm, ps.lru_next - a->pl->lru.off);
		if (cur == UINT64_MAX)
			break;
	}
}

/* LRU pages no head reaches: a chain that comes back to where it started
 * is a cycle without a head (one finding); other pages are unreachable. */
static void find_unreachable(struct audit *a)
{
	uint64_t pfn;

	for (pfn = 0; pfn < a->max_pfn; pfn++) {
		uint64_t steps;
		bool cycle;

		/* 64 pfns at a time where none is an LRU page left unseen. */
		if (!(pfn % 64) &&
		    !(a->lru_bits[pfn / 64] & ~a->seen_bits[pfn / 64])) {
			pfn += 63;
			continue;
		}
		if (!bit_test(a->lru_bits, pfn) || bit_test(a->seen_bits, pfn))
			continue;
		steps = follow_orphans(a, pfn, false, &cycle);
		if (cycle) {
			finding_emit(a->emit, a->arg, RULE_LRU_CYCLE_NO_HEAD, pfn,
				     "a cycle of %llu LRU pages with no list head",
				     (unsigned long long)steps);
			mark_cycle(a, pfn, steps);
		} else {
			follow_orphans(a, pfn, true, &cycle);
		}
	}
}

enum ps_status audit_finish(struct audit *a, struct ps_err *err)
{
	close_family(a);
	rebuild_lists(a);
	if (!a->lists && a->nr_heads)
		return ps_fail(err, PS_ERR_NOMEM, "out of memory for LRU lists");
	/* On a live kernel pages join and leave lists between reading
	 * mem_map and walking the links: the lists are reported, but a page
	 * no walk reached proves nothing there. */
	if (!a->mm->t->live)
		find_unreachable(a);
	return PS_OK;
}

const char *lru_list_status_name(enum lru_list_status s)
{
	switch (s) {
	case LRU_LIST_OK:
		return "ok";
	case LRU_LIST_BROKEN:
		return "broken";
	case LRU_LIST_JOINED:
		return "joined";
	default:
		return "too-long";
	}
}
