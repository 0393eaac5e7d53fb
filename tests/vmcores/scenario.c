/* The eras, and the struct pages each scenario puts in the dump.
 *
 * Every object is placed through a helper that also records what it is
 * (per-pfn class bits, the pinned list, findings); expected.json is
 * written from that record, never by decoding the image.  selftest.c
 * decodes the image independently and compares.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mkvmcore.h"

#define TAIL_MAPPING	0xdead000000000400ULL	/* POISON_POINTER_DELTA + 0x400 */
#define LIST_POISON1	0xdead000000000100ULL
#define GUP_PIN_COUNTING_BIAS	1024

/* enum compound_dtor_id (4.19 .. 6.1, with HUGETLB_PAGE and THP) */
#define COMPOUND_PAGE_DTOR	1
#define TRANSHUGE_PAGE_DTOR	3

/* enum lru_list */
enum { LRU_INACTIVE_ANON, LRU_ACTIVE_ANON, LRU_INACTIVE_FILE,
       LRU_ACTIVE_FILE, LRU_UNEVICTABLE, NR_LRU_LISTS };
#define NR_FREE_LISTS 11

static const struct era eras[] = {
	{
		/* 4.19 + John Hubbard's 2018 RFC "gup: dma-pinned pages"
		 * v1: PAGE_DMA_PINNED is bit 1 (0x2), see seed-rfc.txt. */
		.name = "4.19-rfc1", .release = "4.19.0-rfc1-synthetic",
		.src = "4.19-rfc1.c", .rfc_pin_bit = 1, .pin = PIN_RFC,
		.min_exact_order = 0, .off_pincount = 16,
		.off_deferred_list = 24, .off_slab_cache = 24,
		.pg_locked = 0, .pg_error = 1, .pg_referenced = 2,
		.pg_uptodate = 3, .pg_dirty = 4, .pg_lru = 5, .pg_active = 6,
		.pg_workingset = -1, .pg_slab = 8, .pg_owner_priv_1 = 9,
		.pg_reserved = 11, .pg_private = 12, .pg_head = 15,
		.pg_swapbacked = 18, .pg_unevictable = 19, .pg_mlocked = 20,
		.pg_hwpoison = 22,
		.section_is_early_bit = -1,
		.vi_vmap_area_list = true, .vi_compound_dtor = true,
	},
	{
		/* Same layout; per CONTRACT.md the second RFC revision
		 * uses bit 2 (0x4). */
		.name = "4.19-rfc2", .release = "4.19.0-rfc2-synthetic",
		.src = "4.19-rfc2.c", .rfc_pin_bit = 2, .pin = PIN_RFC,
		.min_exact_order = 0, .off_pincount = 16,
		.off_deferred_list = 24, .off_slab_cache = 24,
		.pg_locked = 0, .pg_error = 1, .pg_referenced = 2,
		.pg_uptodate = 3, .pg_dirty = 4, .pg_lru = 5, .pg_active = 6,
		.pg_workingset = -1, .pg_slab = 8, .pg_owner_priv_1 = 9,
		.pg_reserved = 11, .pg_private = 12, .pg_head = 15,
		.pg_swapbacked = 18, .pg_unevictable = 19, .pg_mlocked = 20,
		.pg_hwpoison = 22,
		.section_is_early_bit = -1,
		.vi_vmap_area_list = true, .vi_compound_dtor = true,
	},
	{
		/* 5.10: FOLL_PIN (v5.7); exact count for order >= 2 in
		 * page[2].hpage_pinned_refcount, refcount bias otherwise. */
		.name = "5.10", .release = "5.10.0-synthetic",
		.src = "5.10.c", .pin = PIN_HPAGE_PAGE2,
		.min_exact_order = 2, .off_pincount = 16,
		.off_deferred_list = 24, .off_slab_cache = 24,
		.has_compound_nr = true,
		.pg_locked = 0, .pg_referenced = 1, .pg_uptodate = 2,
		.pg_dirty = 3, .pg_lru = 4, .pg_active = 5, .pg_workingset = 6,
		.pg_error = 8, .pg_slab = 9, .pg_owner_priv_1 = 10,
		.pg_reserved = 12, .pg_private = 13, .pg_head = 16,
		.pg_swapbacked = 19, .pg_unevictable = 20, .pg_mlocked = 21,
		.pg_hwpoison = 23,
		.section_is_early_bit = 3,
		.vi_build_id = true, .vi_vmap_area_list = true,
		.vi_phys_bits = true, .vi_offline = true, .vi_sme_mask = true,
		.vi_compound_dtor = true,
	},
	{
		/* 6.1: page[1].compound_pincount for every order >= 1. */
		.name = "6.1", .release = "6.1.0-synthetic",
		.src = "6.1.c", .pin = PIN_COMPOUND_PAGE1,
		.min_exact_order = 1, .off_pincount = 24,
		.off_deferred_list = 24, .off_slab_cache = 24,
		.has_compound_nr = true, .uneviction_unlinked = true,
		.pg_locked = 0, .pg_referenced = 1, .pg_uptodate = 2,
		.pg_dirty = 3, .pg_lru = 4, .pg_active = 5, .pg_workingset = 6,
		.pg_error = 8, .pg_slab = 9, .pg_owner_priv_1 = 10,
		.pg_reserved = 12, .pg_private = 13, .pg_head = 16,
		.pg_swapbacked = 19, .pg_unevictable = 20, .pg_mlocked = 21,
		.pg_hwpoison = 23,
		.section_is_early_bit = 3,
		.vi_build_id = true, .vi_uts_name_offset = true,
		.vi_swapper_stext = true, .vi_vmap_area_list = true,
		.vi_phys_bits = true, .vi_offline = true, .vi_sme_mask = true,
		.vi_compound_dtor = true,
	},
	{
		/* 6.12: folio->_pincount in page[1], order in the low byte
		 * of page[1].flags (v6.6), PG_slab gone, PGTY_* page types. */
		.name = "6.12", .release = "6.12.0-synthetic",
		.src = "6.12.c", .pin = PIN_FOLIO_PAGE1,
		.min_exact_order = 1, .off_pincount = 28,
		.off_deferred_list = 16, .off_slab_cache = 8,
		.order_in_flags1 = true, .pgty = true,
		.uneviction_unlinked = true,
		.pg_locked = 0, .pg_referenced = 2, .pg_uptodate = 3,
		.pg_dirty = 4, .pg_lru = 5, .pg_head = 6, .pg_active = 8,
		.pg_workingset = 9, .pg_error = 10, .pg_slab = -1,
		.pg_owner_priv_1 = 11, .pg_reserved = 14, .pg_private = 15,
		.pg_swapbacked = 18, .pg_unevictable = 19, .pg_mlocked = 20,
		.pg_hwpoison = 21,
		.section_is_early_bit = 3,
		.vi_build_id = true, .vi_uts_name_offset = true,
		.vi_swapper_stext = true, .vi_vmalloc_start = true,
		.vi_phys_bits = true, .vi_offline = true, .vi_sme_mask = true,
	},
};

const struct era *era_lookup(const char *name)
{
	for (size_t i = 0; i < sizeof(eras) / sizeof(eras[0]); i++)
		if (!strcmp(eras[i].name, name))
			return &eras[i];
	return NULL;
}

void era_list(void)
{
	for (size_t i = 0; i < sizeof(eras) / sizeof(eras[0]); i++)
		fprintf(stderr, " %s", eras[i].name);
	fputc('\n', stderr);
}

struct pfn_list {
	uint64_t *pfn;
	size_t n, cap;
};

static struct pfn_list lru_lists[NR_LRU_LISTS];
static struct pfn_list free_lists[NR_FREE_LISTS];

static void list_push(struct pfn_list *l, uint64_t pfn)
{
	if (l->n == l->cap) {
		l->cap = l->cap * 2 + 64;
		l->pfn = xrealloc(l->pfn, l->cap * sizeof(*l->pfn));
	}
	l->pfn[l->n++] = pfn;
}

static uint64_t F(int bit)
{
	return bit < 0 ? 0 : 1ULL << bit;
}

/* Node 0 and the zone in the top bits of page->flags, as
 * include/linux/page-flags-layout.h puts them with VMEMMAP (no section
 * field): NODES_SHIFT 6 at bits 58..63, ZONES_SHIFT 3 below it. */
static uint64_t zone_bits(uint64_t pfn)
{
	uint64_t zone = pfn < 4096 ? 0 : pfn < (1ULL << 20) ? 1 : 2;

	return zone << 55;
}

uint8_t *spage(struct gen *g, uint64_t pfn)
{
	uint64_t sec = pfn / PAGES_PER_SECTION;

	if (sec >= g->nr_sections || !g->section_present[sec])
		fatal("pfn 0x%llx has no struct page", (unsigned long long)pfn);
	return g->chunks[g->memmap_chunk[sec]].buf +
		(pfn % PAGES_PER_SECTION) * STRUCT_PAGE_SIZE;
}

/* Kernel virtual address of a struct page, as section_mem_map decodes. */
uint64_t spage_va(const struct gen *g, uint64_t pfn)
{
	uint64_t sec = pfn / PAGES_PER_SECTION;

	if (g->vmemmap)
		return g->vmemmap_base + pfn * STRUCT_PAGE_SIZE;
	return dmap(g, g->memmap_phys[sec]) +
		(pfn % PAGES_PER_SECTION) * STRUCT_PAGE_SIZE;
}

static bool pfn_present(const struct gen *g, uint64_t pfn)
{
	uint64_t sec = pfn / PAGES_PER_SECTION;

	return sec < g->nr_sections && g->section_present[sec];
}

/* Fill every struct page as a free page inside a buddy block (refcount 0,
 * _mapcount -1), then mark the pages that back the kernel image, mem_map
 * and the metadata pool PG_reserved, as memblock leaves them. */
void scen_fill_memmap(struct gen *g)
{
	for (uint64_t s = 0; s < g->nr_sections; s++) {
		if (!g->section_present[s])
			continue;
		for (uint64_t i = 0; i < PAGES_PER_SECTION; i++) {
			uint64_t pfn = s * PAGES_PER_SECTION + i;
			uint8_t *p = spage(g, pfn);

			memset(p, 0, STRUCT_PAGE_SIZE);
			put64(p, 0, zone_bits(pfn));
			put32(p, 48, 0xffffffff);
		}
	}
	for (int r = 0; r < g->nr_reserved; r++) {
		for (uint64_t pfn = g->reserved[r].start >> PAGE_SHIFT;
		     pfn < (g->reserved[r].end + PAGE_SIZE - 1) >> PAGE_SHIFT;
		     pfn++) {
			uint8_t *p;

			if (!pfn_present(g, pfn))
				continue;
			p = spage(g, pfn);
			put64(p, 0, zone_bits(pfn) | F(g->era->pg_reserved));
			put32(p, 52, 1);
			g->cls[pfn] |= C_RES;
		}
	}
}

static bool claim(struct gen *g, uint64_t pfn, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		if (!pfn_present(g, pfn + i) || g->cls[pfn + i])
			return false;
	for (uint64_t i = 0; i < n; i++)
		g->cls[pfn + i] |= C_USED;
	return true;
}

static void must_claim(struct gen *g, uint64_t pfn, uint64_t n)
{
	if (!claim(g, pfn, n))
		fatal("scenario bug: pfns 0x%llx+%llu are not free",
		      (unsigned long long)pfn, (unsigned long long)n);
}

static void add_pin(struct gen *g, uint64_t pfn, uint64_t nr, const char *how,
		    int64_t pincount, const char *confidence)
{
	if (g->nr_pins == g->cap_pins) {
		g->cap_pins = g->cap_pins * 2 + 64;
		g->pins = xrealloc(g->pins, g->cap_pins * sizeof(*g->pins));
	}
	g->pins[g->nr_pins++] = (struct pin_entry){
		pfn, nr, how, pincount, confidence
	};
}

static void add_finding(struct gen *g, const char *rule, uint64_t pfn)
{
	if (g->nr_findings == g->cap_findings) {
		g->cap_findings = g->cap_findings * 2 + 16;
		g->findings = xrealloc(g->findings,
				       g->cap_findings * sizeof(*g->findings));
	}
	g->findings[g->nr_findings++] = (struct finding){ rule, pfn };
}

/* Write the common words of an ordinary page and record its classes. */
static void set_page(struct gen *g, uint64_t pfn, uint64_t flags,
		     uint64_t mapping, uint64_t index, int32_t mapcount_raw,
		     uint32_t refcount)
{
	uint8_t *p = spage(g, pfn);

	put64(p, 0, zone_bits(pfn) | flags);
	put64(p, 24, mapping);
	put64(p, 32, index);
	put32(p, 48, (uint32_t)mapcount_raw);
	put32(p, 52, refcount);
	if (flags & F(g->era->pg_lru))
		g->cls[pfn] |= C_LRU;
	if (flags & F(g->era->pg_head))
		g->cls[pfn] |= C_HEAD;
	if (g->era->pg_slab >= 0 && (flags & F(g->era->pg_slab)))
		g->cls[pfn] |= C_SLAB;
}

static void lru_add(struct gen *g, int lru, uint64_t pfn)
{
	if (!(g->cls[pfn] & C_LRU))
		fatal("scenario bug: pfn 0x%llx on an LRU without PG_lru",
		      (unsigned long long)pfn);
	list_push(&lru_lists[lru], pfn);
}

/* The flags an anonymous or file page on list @lru carries. */
static uint64_t lru_flags(const struct era *e, int lru)
{
	uint64_t f = F(e->pg_lru) | F(e->pg_uptodate);

	if (lru == LRU_ACTIVE_ANON || lru == LRU_ACTIVE_FILE)
		f |= F(e->pg_active);
	if (lru == LRU_INACTIVE_ANON || lru == LRU_ACTIVE_ANON)
		f |= F(e->pg_swapbacked);
	if (lru == LRU_UNEVICTABLE)
		f |= F(e->pg_unevictable) | F(e->pg_mlocked) |
			F(e->pg_swapbacked);
	return f;
}

static uint64_t anon_mapping(const struct gen *g)
{
	return g->anon_vma_va | 1;	/* PAGE_MAPPING_ANON */
}

/* An ordinary order-0 page on an LRU list. */
static void place_lru_page(struct gen *g, uint64_t pfn, int lru)
{
	bool anon = lru != LRU_INACTIVE_FILE && lru != LRU_ACTIVE_FILE;
	int32_t mc = anon ? 0 : -1;

	must_claim(g, pfn, 1);
	set_page(g, pfn, lru_flags(g->era, lru),
		 anon ? anon_mapping(g) : g->file_mapping_va, pfn & 0xfff, mc,
		 anon ? 1 : 2);
	if (lru == LRU_UNEVICTABLE && g->era->uneviction_unlinked) {
		/* Since 6.1 unevictable folios are not linked: lru.next is
		 * __filler (stale, even) and lru.prev holds mlock_count. */
		uint8_t *p = spage(g, pfn);

		g->cls[pfn] |= C_LRU;
		put64(p, 8, LIST_POISON1);
		put64(p, 16, 1);
		return;
	}
	lru_add(g, lru, pfn);
}

static void set_rfc_pin(struct gen *g, uint64_t pfn, int32_t count)
{
	uint8_t *p = spage(g, pfn);

	/* dma_pinned_flags (union with lru.next) and dma_pinned_count. */
	put64(p, 8, 1ULL << g->era->rfc_pin_bit);
	put64(p, 16, (uint32_t)count);
}

/* Record a pin the refcount-bias way (CONTRACT.md rule 2). */
static void expect_bias_pin(struct gen *g, uint64_t pfn, uint64_t nr,
			    uint32_t refcount, int32_t mapcount_raw)
{
	int64_t mapcount = (int64_t)mapcount_raw + 1;
	int64_t mapped = mapcount > 0 ? mapcount : 0;

	if (refcount < GUP_PIN_COUNTING_BIAS)
		return;
	add_pin(g, pfn, nr, "refcount-bias", refcount / GUP_PIN_COUNTING_BIAS,
		(int64_t)refcount - mapped >= GUP_PIN_COUNTING_BIAS ?
		"likely" : "possible");
}

/* A small anonymous page pinned @count times: FOLL_PIN adds 1024 per pin
 * to _refcount; the RFC sets dma_pinned_flags and dma_pinned_count and
 * takes the page off the LRU. */
static void place_pinned_small(struct gen *g, uint64_t pfn, int count,
			       uint32_t extra_refs, int32_t mapcount_raw,
			       bool on_lru)
{
	const struct era *e = g->era;
	uint64_t flags = F(e->pg_uptodate) | F(e->pg_swapbacked);

	must_claim(g, pfn, 1);
	if (e->pin == PIN_RFC) {
		/* Every mapping holds a reference: refcount >= mapcount. */
		uint32_t mapped = mapcount_raw + 1 > 0 ? (uint32_t)mapcount_raw + 1 : 0;

		set_page(g, pfn, flags, anon_mapping(g), pfn & 0xfff,
			 mapcount_raw, 1 + extra_refs + count + mapped);
		set_rfc_pin(g, pfn, count);
		add_pin(g, pfn, 1, "rfc-flag", count, "exact");
		return;
	}
	uint32_t ref = (uint32_t)count * GUP_PIN_COUNTING_BIAS + extra_refs;

	if (on_lru)
		flags |= F(e->pg_lru) | F(e->pg_active);
	set_page(g, pfn, flags, anon_mapping(g), pfn & 0xfff, mapcount_raw,
		 ref);
	if (on_lru)
		lru_add(g, LRU_ACTIVE_ANON, pfn);
	expect_bias_pin(g, pfn, 1, ref, mapcount_raw);
}

/* prep_compound_page() plus, for a THP, prep_transhuge_page(). */
static void make_compound(struct gen *g, uint64_t head, int order, bool thp)
{
	const struct era *e = g->era;
	uint64_t nr = 1ULL << order;
	uint64_t head_va = spage_va(g, head);
	uint8_t *p1 = spage(g, head + 1);

	g->cls[head] |= C_HEAD;
	put64(spage(g, head), 0, get64(spage(g, head), 0) | F(e->pg_head));
	for (uint64_t i = 1; i < nr; i++) {
		uint8_t *p = spage(g, head + i);

		put64(p, 0, zone_bits(head + i));
		put64(p, 8, head_va | 1);
		put64(p, 16, 0);
		put64(p, 24, TAIL_MAPPING);
		put32(p, 48, 0xffffffff);
		put32(p, 52, 0);
		g->cls[head + i] |= C_TAIL;
	}

	if (e->order_in_flags1) {
		/* folio_set_order(): _flags_1 low byte, _folio_nr_pages;
		 * prep_compound_head(): mapcounts -1, _pincount 0. */
		put64(p1, 0, zone_bits(head + 1) | (uint64_t)order |
		      (thp ? F(e->pg_workingset) /* PG_large_rmappable */ : 0));
		put32(p1, 16, 0xffffffff);	/* _large_mapcount */
		put32(p1, 20, 0xffffffff);	/* _entire_mapcount */
		put32(p1, 24, 0);		/* _nr_pages_mapped */
		put32(p1, 28, 0);		/* _pincount */
		put32(p1, 32, (uint32_t)nr);	/* _folio_nr_pages */
	} else {
		p1[16] = thp ? TRANSHUGE_PAGE_DTOR : COMPOUND_PAGE_DTOR;
		p1[17] = (uint8_t)order;
		put32(p1, 20, 0xffffffff);	/* compound_mapcount */
		if (e->pin == PIN_HPAGE_PAGE2) {
			put32(p1, 24, (uint32_t)nr);	/* compound_nr */
			if (order >= 2)	/* hpage_pincount_available() */
				put32(spage(g, head + 2), 16, 0);
		} else if (e->pin == PIN_COMPOUND_PAGE1) {
			put32(p1, 24, 0);		/* compound_pincount */
			put32(p1, 28, (uint32_t)nr);	/* compound_nr */
		}
	}
	if (thp && order >= 2) {
		/* INIT_LIST_HEAD(deferred_list) in page[2] */
		uint8_t *p2 = spage(g, head + 2);
		uint64_t self = spage_va(g, head + 2) + e->off_deferred_list;

		put64(p2, e->off_deferred_list, self);
		put64(p2, e->off_deferred_list + 8, self);
	}
}

/* The exact pin count of a large folio, where the era keeps one. */
static void set_exact_pincount(struct gen *g, uint64_t head, int order,
			       int32_t count)
{
	const struct era *e = g->era;

	if (e->pin == PIN_RFC || order < e->min_exact_order)
		fatal("scenario bug: no exact pin count for order %d", order);
	if (e->pin == PIN_HPAGE_PAGE2)
		put32(spage(g, head + 2), e->off_pincount, (uint32_t)count);
	else
		put32(spage(g, head + 1), e->off_pincount, (uint32_t)count);
}

static const char *exact_how(const struct era *e)
{
	switch (e->pin) {
	case PIN_HPAGE_PAGE2:
		return "hpage-pinned-refcount";
	case PIN_COMPOUND_PAGE1:
		return "compound-pincount";
	case PIN_FOLIO_PAGE1:
		return "folio-pincount";
	default:
		return "rfc-flag";
	}
}

/* Set the mapcounts of a large folio: @pte_maps PTE mappings of every
 * subpage, @pmd_maps PMD mappings of the whole. */
static void set_folio_mapcounts(struct gen *g, uint64_t head, int order,
				int pte_maps, int pmd_maps)
{
	const struct era *e = g->era;
	uint64_t nr = 1ULL << order;
	uint8_t *p1 = spage(g, head + 1);

	for (uint64_t i = 0; i < nr; i++)
		put32(spage(g, head + i), 48, (uint32_t)(pte_maps - 1));
	if (e->order_in_flags1) {
		put32(p1, 16, (uint32_t)(pte_maps * nr + pmd_maps - 1));
		put32(p1, 20, (uint32_t)(pmd_maps - 1));
	} else {
		put32(p1, 20, (uint32_t)(pmd_maps - 1));
	}
}

/* A large folio (THP when order 9) pinned @pins times, or not at all. */
static void place_folio(struct gen *g, uint64_t head, int order, bool anon,
			int lru, int pins, uint32_t refcount, int pte_maps,
			int pmd_maps)
{
	const struct era *e = g->era;
	uint64_t nr = 1ULL << order;
	uint64_t flags = F(e->pg_uptodate);
	bool on_lru = lru >= 0 && !(e->pin == PIN_RFC && pins);

	must_claim(g, head, nr);
	if (anon)
		flags |= F(e->pg_swapbacked);
	if (on_lru) {
		flags |= F(e->pg_lru);
		if (lru == LRU_ACTIVE_ANON || lru == LRU_ACTIVE_FILE)
			flags |= F(e->pg_active);
	}
	set_page(g, head, flags, anon ? anon_mapping(g) : g->file_mapping_va,
		 head & 0xfff, -1, refcount);
	make_compound(g, head, order, order == 9);
	set_folio_mapcounts(g, head, order, pte_maps, pmd_maps);
	if (on_lru)
		lru_add(g, lru, head);

	if (e->pin == PIN_RFC) {
		if (pins) {
			set_rfc_pin(g, head, pins);
			add_pin(g, head, nr, "rfc-flag", pins, "exact");
		}
		return;
	}
	if (order >= e->min_exact_order) {
		set_exact_pincount(g, head, order, pins);
		if (pins)
			add_pin(g, head, nr, exact_how(e), pins, "exact");
		return;
	}
	/* 5.10, order 1: no exact count, the bias is in the head's
	 * _refcount; @refcount already includes it. */
	expect_bias_pin(g, head, nr, refcount, pte_maps - 1);
}

/* The first page of a free buddy block of @order (PageBuddy, order in
 * page->private, linked on a free list). */
static void place_buddy(struct gen *g, uint64_t pfn, int order)
{
	uint8_t *p;

	must_claim(g, pfn, 1ULL << order);
	p = spage(g, pfn);
	put32(p, 48, g->era->pgty ? 0xf0000000u		/* PGTY_buddy << 24 */
	      : 0xffffff7fu);				/* ~PG_buddy */
	put32(p, 52, 0);
	put64(p, 40, (uint64_t)order);
	g->cls[pfn] |= C_BUDDY;
	list_push(&free_lists[order], pfn);
}

/* A SLUB slab of @order. */
static void place_slab(struct gen *g, uint64_t pfn, int order)
{
	const struct era *e = g->era;
	uint8_t *p;

	must_claim(g, pfn, 1ULL << order);
	set_page(g, pfn, F(e->pg_slab), 0, 0, -1, 1);
	if (order)
		make_compound(g, pfn, order, false);
	p = spage(g, pfn);
	put64(p, e->off_slab_cache, g->kmem_cache_va);
	put64(p, 32, dmap(g, pfn << PAGE_SHIFT) + 256);	/* freelist */
	put64(p, 40, 0x00100010);			/* inuse, objects */
	if (e->pgty) {
		put32(p, 48, 0xf5000000u);		/* PGTY_slab << 24 */
		g->cls[pfn] |= C_SLAB;
	}
}

/* Link the recorded LRU and free lists as real circular list_heads whose
 * heads live in kernel data (synthetic_lruvec, synthetic_free_list). */
static void link_list(struct gen *g, struct pfn_list *l, uint64_t head_va)
{
	uint8_t *head = ktext_ptr(g, head_va, 16);
	uint64_t prev = head_va;

	if (!l->n) {
		put64(head, 0, head_va);
		put64(head, 8, head_va);
		return;
	}
	put64(head, 0, spage_va(g, l->pfn[0]) + 8);
	for (size_t i = 0; i < l->n; i++) {
		uint8_t *p = spage(g, l->pfn[i]);
		uint64_t next = i + 1 < l->n ? spage_va(g, l->pfn[i + 1]) + 8
			: head_va;

		put64(p, 8, next);
		put64(p, 16, prev);
		prev = spage_va(g, l->pfn[i]) + 8;
	}
	put64(head, 8, prev);
}

static void link_all_lists(struct gen *g)
{
	uint64_t lruvec = sym_rt(g, "synthetic_lruvec");
	uint64_t freel = sym_rt(g, "synthetic_free_list");

	for (int i = 0; i < NR_LRU_LISTS; i++)
		link_list(g, &lru_lists[i], lruvec + i * 16);
	for (int i = 0; i < NR_FREE_LISTS; i++)
		link_list(g, &free_lists[i], freel + i * 16);
}

/* A tail page whose compound_head word also carries the RFC pin bit:
 * the kernel never writes this, pinscan must flag it, not count a pin. */
static void corrupt_tail_with_pin_bit(struct gen *g, uint64_t pfn)
{
	uint8_t *p = spage(g, pfn);

	put64(p, 8, get64(p, 8) | (1ULL << g->era->rfc_pin_bit));
	add_finding(g, "RFC-PIN-ON-TAIL", pfn);
}

static void add_missing_memmap_page(struct gen *g, uint64_t pfn)
{
	uint64_t sec = pfn / PAGES_PER_SECTION;
	uint64_t pa = g->memmap_phys[sec] +
		(pfn % PAGES_PER_SECTION) * STRUCT_PAGE_SIZE;

	pa &= ~(PAGE_SIZE - 1);
	g->missing_ranges = xrealloc(g->missing_ranges,
				     (g->nr_missing + 1) * sizeof(struct range));
	g->missing_ranges[g->nr_missing].start = pa;
	g->missing_ranges[g->nr_missing].end = pa + PAGE_SIZE;
	g->nr_missing++;
}

static void place_mixed(struct gen *g)
{
	const struct era *e = g->era;
	const uint64_t s1 = 1 * PAGES_PER_SECTION, s3 = 3 * PAGES_PER_SECTION;
	const uint64_t s4 = 4 * PAGES_PER_SECTION;
	bool rfc = e->pin == PIN_RFC;

	/* 32 pages on the four evictable LRU lists, 2 unevictable. */
	for (int i = 0; i < 32; i++)
		place_lru_page(g, s1 + 200 + i, i / 8);
	for (int i = 0; i < 2; i++)
		place_lru_page(g, s1 + 300 + i, LRU_UNEVICTABLE);

	/* Pinned small pages.  FOLL_PIN: refcount = 1024 * pins + other
	 * refs; with many mappings the pin is only "possible". */
	place_pinned_small(g, s1 + 400, 1, 1, 0, true);	   /* likely */
	place_pinned_small(g, s1 + 401, 3, 2, 0, true);	   /* likely */
	place_pinned_small(g, s1 + 402, 1, 76, 99, true);   /* possible */
	place_pinned_small(g, s1 + 403, 2, 10, 1500, false); /* possible */
	place_pinned_small(g, s1 + 404, 1, 0, -1, false);   /* likely */
	place_pinned_small(g, s1 + 406, 1024, 7, 2, true);  /* likely */
	/* Not pinned: one reference short of the bias (FOLL_PIN), or a high
	 * refcount without the pin flag (RFC: no refcount test). */
	must_claim(g, s1 + 405, 1);
	set_page(g, s1 + 405,
		 F(e->pg_lru) | F(e->pg_uptodate) | F(e->pg_swapbacked),
		 anon_mapping(g), 405, 0, rfc ? 5000 : 1023);
	lru_add(g, LRU_INACTIVE_ANON, s1 + 405);

	/* A pinned page whose struct page --missing drops from the dump. */
	place_pinned_small(g, s1 + 8202, 2, 1, 0, false);

	/* THP, order 9, PMD-mapped once and pinned 3 times. */
	place_folio(g, s1 + 4096, 9, true, LRU_ACTIVE_ANON, 3, 1 + 3, 0, 1);
	/* THP PTE-mapped in two processes: refcount 1025 is above the bias
	 * but the exact count is 0, so it is not pinned. */
	place_folio(g, s1 + 4608, 9, true, LRU_INACTIVE_ANON, 0, 1025, 2, 0);
	if (rfc)
		corrupt_tail_with_pin_bit(g, s1 + 4608 + 5);
	/* Order-1 folio pinned twice: 5.10 has no exact count below order
	 * 2, so its head carries the bias (2 * 1024 + 1). */
	place_folio(g, s1 + 5232, 1, true, -1, 2,
		    e->pin == PIN_HPAGE_PAGE2 ? 2 * 1024 + 1 : 1 + 2, 1, 0);
	place_folio(g, s1 + 5236, 2, true, -1, 5, 1 + 5, 1, 0);
	place_folio(g, s1 + 5240, 2, true, -1, 0, 1500, 1, 0);
	place_folio(g, s1 + 5244, 1, true, -1, 0, 3, 1, 0);

	/* Free memory. */
	place_buddy(g, s1 + 6232, 0);
	place_buddy(g, s1 + 6233, 0);
	place_buddy(g, s1 + 6240, 3);
	place_buddy(g, s1 + 10240, 10);

	/* Slabs: ten order-0, one order-2. */
	for (int i = 0; i < 10; i++)
		place_slab(g, s1 + 6332 + i, 0);
	place_slab(g, s1 + 6344, 2);

	/* Section 3: ten pinned pages, 1..10 pins, and a page-cache THP. */
	for (int k = 0; k < 10; k++) {
		uint64_t pfn = s3 + 1696 + k;

		if (rfc) {
			place_pinned_small(g, pfn, k + 1, 0, 0, false);
			continue;
		}
		place_pinned_small(g, pfn, k + 1, 1, 0, false);
		g->cls[pfn] |= C_LRU;
		put64(spage(g, pfn), 0, get64(spage(g, pfn), 0) | F(e->pg_lru));
		lru_add(g, LRU_INACTIVE_ANON, pfn);
	}
	place_folio(g, s3 + 2048, 9, false, LRU_INACTIVE_FILE, 0, 1 + 512, 0, 0);

	/* Section 4 (when present): 100 page-cache pages. */
	if (pfn_present(g, s4 + 8928 + 99))
		for (int i = 0; i < 100; i++)
			place_lru_page(g, s4 + 8928 + i, LRU_INACTIVE_FILE);

	if (g->missing) {
		/* Inside a mem_map (another PT_LOAD follows at once), and
		 * the last page of a section's mem_map. */
		add_missing_memmap_page(g, s1 + 8202);
		add_missing_memmap_page(g, s3 + PAGES_PER_SECTION - 1);
	}
}

/* Many sections of mostly untouched pages with a few thousand objects. */
static void place_bench(struct gen *g)
{
	const struct era *e = g->era;
	bool rfc = e->pin == PIN_RFC;

	for (uint64_t s = 0; s < g->nr_sections; s++) {
		uint64_t b = s * PAGES_PER_SECTION;

		if (!g->section_present[s])
			continue;
		for (int i = 0; i < 24; i++) {
			uint64_t pfn = b + 1000 + 37 * i;
			int pins = 1 + i % 3;
			int32_t mc = i % 8 == 0 ? 1100 : 0;

			if (claim(g, pfn, 1)) {
				g->cls[pfn] &= ~C_USED;
				place_pinned_small(g, pfn, pins, 1 + i % 5, mc,
						   !rfc && i % 2);
			}
		}
		for (int i = 0; i < 64; i++) {
			uint64_t pfn = b + 3000 + i;

			if (claim(g, pfn, 1)) {
				g->cls[pfn] &= ~C_USED;
				place_lru_page(g, pfn, i % 4);
			}
		}
		if (claim(g, b + 8192, 8)) {
			for (int i = 0; i < 8; i++)
				g->cls[b + 8192 + i] &= ~C_USED;
			place_buddy(g, b + 8192, 3);
		}
		for (int i = 0; i < 4; i++)
			if (claim(g, b + 9000 + i, 1)) {
				g->cls[b + 9000 + i] &= ~C_USED;
				place_slab(g, b + 9000 + i, 0);
			}
		if (s % 4 == 0 && claim(g, b + 12288, 512)) {
			for (int i = 0; i < 512; i++)
				g->cls[b + 12288 + i] &= ~C_USED;
			place_folio(g, b + 12288, 9, true, LRU_INACTIVE_ANON, 0,
				    1025, 2, 0);
			if (rfc && s % 32 == 0)
				corrupt_tail_with_pin_bit(g, b + 12288 + 7);
		}
		if (s % 8 == 1 && claim(g, b + 16384, 512)) {
			for (int i = 0; i < 512; i++)
				g->cls[b + 16384 + i] &= ~C_USED;
			place_folio(g, b + 16384, 9, true, LRU_ACTIVE_ANON,
				    1 + (int)(s % 5), 2 + (int)(s % 5), 0, 1);
		}
		if (s % 16 == 2 && claim(g, b + 20000, 2)) {
			g->cls[b + 20000] &= ~C_USED;
			g->cls[b + 20001] &= ~C_USED;
			place_folio(g, b + 20000, 1, true, -1, 2,
				    e->pin == PIN_HPAGE_PAGE2 ? 2049 : 3, 1, 0);
		}
	}
	/* The dropped struct pages describe RAM that is not in the dump
	 * itself: makedumpfile reads the mem_map of every page it dumps (to
	 * drop hwpoison/offline pages even at -d 0) and stops at an unreadable
	 * one, so --kdump could not be made otherwise. */
	if (g->missing) {
		if (g->nr_sections > 10 && g->section_present[10])
			add_missing_memmap_page(g, 10 * PAGES_PER_SECTION + 1000);
		if (g->nr_sections > 50 && g->section_present[50])
			add_missing_memmap_page(g, 51 * PAGES_PER_SECTION - 1);
	}
}

void scen_place(struct gen *g)
{
	if (g->scenario == SCEN_MIXED)
		place_mixed(g);
	else
		place_bench(g);
	link_all_lists(g);
}

/* Counts per CONTRACT.md from the bookkeeping: out[] is pages, missing,
 * lru, head, tail, buddy, slab, pinned_pages. */
void scen_summary(struct gen *g, uint64_t out[8], bool *pin_keep)
{
	memset(out, 0, 8 * sizeof(out[0]));
	for (uint64_t s = 0; s < g->nr_sections; s++) {
		if (!g->section_present[s])
			continue;
		for (uint64_t i = 0; i < PAGES_PER_SECTION; i++) {
			uint64_t pfn = s * PAGES_PER_SECTION + i;
			uint8_t c = g->cls[pfn];

			if (pfn_is_missing(g, pfn)) {
				out[1]++;
				continue;
			}
			out[0]++;
			out[2] += !!(c & C_LRU);
			out[3] += !!(c & C_HEAD);
			out[4] += !!(c & C_TAIL);
			out[5] += !!(c & C_BUDDY);
			out[6] += !!(c & C_SLAB);
		}
	}
	for (size_t i = 0; i < g->nr_pins; i++) {
		pin_keep[i] = !pfn_is_missing(g, g->pins[i].pfn);
		if (pin_keep[i])
			out[7] += g->pins[i].nr_pages;
	}
}

static int cmp_pin(const void *a, const void *b)
{
	const struct pin_entry *x = a, *y = b;

	return x->pfn < y->pfn ? -1 : x->pfn > y->pfn;
}

void scen_write_expected(struct gen *g, const char *path)
{
	uint64_t sum[8];
	bool *keep;
	FILE *f;
	bool first = true;

	qsort(g->pins, g->nr_pins, sizeof(*g->pins), cmp_pin);
	keep = xcalloc(g->nr_pins, sizeof(bool));
	scen_summary(g, sum, keep);

	f = fopen(path, "w");
	if (!f)
		fatal("open %s: %s", path, strerror(errno));
	fprintf(f, "{\n  \"kernel\": \"%s\",\n", g->era->release);
	if (g->era->rfc_pin_bit)
		fprintf(f, "  \"rfc_pin_bit\": %d,\n", g->era->rfc_pin_bit);
	fprintf(f, "  \"summary\": {\"pages\": %llu, \"missing\": %llu, "
		"\"lru\": %llu, \"head\": %llu, \"tail\": %llu,\n"
		"              \"buddy\": %llu, \"slab\": %llu, "
		"\"pinned_pages\": %llu},\n",
		(unsigned long long)sum[0], (unsigned long long)sum[1],
		(unsigned long long)sum[2], (unsigned long long)sum[3],
		(unsigned long long)sum[4], (unsigned long long)sum[5],
		(unsigned long long)sum[6], (unsigned long long)sum[7]);
	fprintf(f, "  \"pinned\": [");
	for (size_t i = 0; i < g->nr_pins; i++) {
		const struct pin_entry *p = &g->pins[i];

		if (!keep[i])
			continue;
		fprintf(f, "%s\n    {\"pfn\": %llu, \"nr_pages\": %llu, "
			"\"how\": \"%s\", \"pincount\": %lld, "
			"\"confidence\": \"%s\"}",
			first ? "" : ",", (unsigned long long)p->pfn,
			(unsigned long long)p->nr_pages, p->how,
			(long long)p->pincount, p->confidence);
		first = false;
	}
	fprintf(f, "%s],\n  \"findings\": [", first ? "" : "\n  ");
	first = true;
	for (size_t i = 0; i < g->nr_findings; i++) {
		if (pfn_is_missing(g, g->findings[i].pfn))
			continue;
		fprintf(f, "%s\n    {\"rule\": \"%s\", \"pfn\": %llu}",
			first ? "" : ",", g->findings[i].rule,
			(unsigned long long)g->findings[i].pfn);
		first = false;
	}
	fprintf(f, "%s]\n}\n", first ? "" : "\n  ");
	if (fclose(f))
		fatal("write %s: %s", path, strerror(errno));
	free(keep);
}
