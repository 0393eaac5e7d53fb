/* The eras, and the struct pages each scenario puts in the dump.
 *
 * Every object is placed through a helper that also records what it is
 * (per-pfn class bits, the pinned list, findings); expected.json is
 * written from that record, never by decoding the image.  selftest.c
 * decodes the image independently and compares.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
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
		/* CONFIG_CMA; pageblock bits in mem_section.pageblock_flags,
		 * most significant bit first (before v5.9) */
		.cma = true, .pageblock_msb_first = true,
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
		/* no CONFIG_CMA (the one config difference from rfc1) */
		.pageblock_msb_first = true,
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
		.src = "5.10.c", .pin = PIN_HPAGE_PAGE2,	/* no CONFIG_CMA */
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
		.src = "6.1.c", .pin = PIN_COMPOUND_PAGE1, .cma = true,
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
		.vi_swapper_stext = true, .vi_vmap_area_list = true, .vi_kallsyms = true,
		.vi_phys_bits = true, .vi_offline = true, .vi_sme_mask = true,
		.vi_compound_dtor = true,
	},
	{
		/* 6.12: folio->_pincount in page[1], order in the low byte
		 * of page[1].flags (v6.6), PG_slab gone, PGTY_* page types. */
		.name = "6.12", .release = "6.12.0-synthetic",
		.src = "6.12.c", .pin = PIN_FOLIO_PAGE1, .cma = true,
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
		.vi_swapper_stext = true, .vi_vmalloc_start = true, .vi_kallsyms = true,
		.vi_phys_bits = true, .vi_offline = true, .vi_sme_mask = true,
	},
	/* 6.16 and later: folio-6.16.h, zones as 6.12. */
#define ERA_FOLIO_6_16(era) \
		.name = era, .release = era ".0-synthetic", \
		.src = era ".c", .pin = PIN_FOLIO_PAGE1, .cma = true, \
		.min_exact_order = 1, .off_pincount = 28, \
		.off_deferred_list = 16, .off_slab_cache = 8, \
		.order_in_flags1 = true, .pgty = true, .folio_mm_id = true, \
		.uneviction_unlinked = true, \
		.pg_locked = 0, .pg_referenced = 2, .pg_uptodate = 3, \
		.pg_dirty = 4, .pg_lru = 5, .pg_head = 6, .pg_active = 8, \
		.pg_workingset = 9, .pg_error = -1, .pg_slab = -1, \
		.pg_owner_priv_1 = 10, .pg_reserved = 13, .pg_private = 14, \
		.pg_swapbacked = 17, .pg_unevictable = 18, .pg_mlocked = 20, \
		.pg_hwpoison = 21, \
		.section_is_early_bit = 3, \
		.vi_build_id = true, .vi_uts_name_offset = true, \
		.vi_swapper_stext = true, .vi_vmalloc_start = true, .vi_kallsyms = true, \
		.vi_phys_bits = true, .vi_offline = true, .vi_sme_mask = true
	{
		/* 6.16: page[1] with per-folio mapcounts and _mm_ids (v6.15),
		 * per-page mapcounts unmaintained (CONFIG_NO_PAGE_MAPCOUNT),
		 * page->__folio_index, PG_error gone, PG_dropbehind. */
		ERA_FOLIO_6_16("6.16"),
	},
	{
		/* 6.18: as 6.16, page->flags a memdesc_flags_t. */
		ERA_FOLIO_6_16("6.18"),
	},
	{
		/* 7.1: as 6.18, compound_info holding a mask (HVO with a
		 * 64-byte struct page). */
		ERA_FOLIO_6_16("7.1"),
		.tail_mask = true,
	},
#undef ERA_FOLIO_6_16
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

/* The dump being built, for zone_bits(). */
static const struct gen *zgen;

/* The node and the zone in the top bits of page->flags, as
 * include/linux/page-flags-layout.h puts them with VMEMMAP (no section
 * field): NODES_SHIFT 6 at bits 58..63, ZONES_SHIFT 3 below it.  The zone
 * and node are those whose spans hold the pfn (memimage.c plan_zones()). */
static uint64_t zone_bits(uint64_t pfn)
{
	return (uint64_t)zone_of_pfn(zgen, pfn) << 55 |
		(uint64_t)node_of_pfn(zgen, pfn) << 58;
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
	zgen = g;
	for (uint64_t s = 0; s < g->nr_sections; s++) {
		if (!g->section_present[s])
			continue;
		/* A terabyte host has 268 M of these: one free page is
		 * built per 512-page block and copied.  Zones and nodes are
		 * intervals, so a block whose ends agree agrees throughout. */
		for (uint64_t i = 0; i < PAGES_PER_SECTION; i += 512) {
			uint64_t pfn = s * PAGES_PER_SECTION + i;
			uint8_t free_page[STRUCT_PAGE_SIZE] = { 0 };
			uint8_t *p = spage(g, pfn);
			bool same = zone_bits(pfn) == zone_bits(pfn + 511);

			put64(free_page, 0, zone_bits(pfn));
			put32(free_page, 48, 0xffffffff);
			for (uint64_t j = 0; j < 512; j++) {
				memcpy(p + j * STRUCT_PAGE_SIZE, free_page,
				       STRUCT_PAGE_SIZE);
				if (!same)
					put64(p + j * STRUCT_PAGE_SIZE, 0,
					      zone_bits(pfn + j));
			}
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
		pfn, nr, how, pincount, confidence, NULL
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

	/* set_compound_head(): 7.1 with HVO stores the mask that turns a
	 * tail's address into its head's, GENMASK(63, order + 6) | 1. */
	uint64_t tail_word = e->tail_mask ? (~0ULL << (order + 6)) | 1
					  : head_va | 1;

	g->cls[head] |= C_HEAD;
	put64(spage(g, head), 0, get64(spage(g, head), 0) | F(e->pg_head));
	for (uint64_t i = 1; i < nr; i++) {
		uint8_t *p = spage(g, head + i);

		put64(p, 0, zone_bits(head + i));
		put64(p, 8, tail_word);
		put64(p, 16, 0);
		put64(p, 24, TAIL_MAPPING);
		put32(p, 48, 0xffffffff);
		put32(p, 52, 0);
		g->cls[head + i] |= C_TAIL;
	}

	if (e->folio_mm_id) {
		/* v6.15+ folio_set_order() and prep_compound_head(): _nr_pages
		 * at the end of page[1], mapcounts -1, _mm_ids 0. */
		put64(p1, 0, zone_bits(head + 1) | (uint64_t)order |
		      (thp ? F(e->pg_workingset) /* PG_large_rmappable */ : 0));
		put32(p1, 16, 0xffffffff);	/* _large_mapcount */
		put32(p1, 20, 0);		/* _nr_pages_mapped */
		put32(p1, 24, 0xffffffff);	/* _entire_mapcount */
		put32(p1, 28, 0);		/* _pincount */
		put32(p1, 32, 0xffffffff);	/* _mm_id_mapcount[0] */
		put32(p1, 36, 0xffffffff);	/* _mm_id_mapcount[1] */
		put64(p1, 40, 0);		/* _mm_ids */
		put32(p1, 56, (uint32_t)nr);	/* _nr_pages */
	} else if (e->order_in_flags1) {
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

	if (e->folio_mm_id) {
		/* CONFIG_NO_PAGE_MAPCOUNT: the pages' _mapcount stays -1;
		 * _large_mapcount counts every PTE and PMD mapping. */
		put32(p1, 16, (uint32_t)(pte_maps * nr + pmd_maps - 1));
		put32(p1, 24, (uint32_t)(pmd_maps - 1));
		return;
	}
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

			/* Every mapping holds a reference: with 1101
			 * mappings, 100 more references keep refcount above
			 * mapcount (no MAPCOUNT-ABOVE-REFCOUNT), and a single
			 * pin (1125..1129) stays "possible". */
			if (claim(g, pfn, 1)) {
				g->cls[pfn] &= ~C_USED;
				place_pinned_small(g, pfn, pins,
						   1 + i % 5 + (mc ? 100 : 0), mc,
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

/* ------------------------------------------------------------------ */
/* Scenario "faults": every rule of doc/rules.md broken on purpose, in
 * every era it applies to, each next to a near miss that must not fire.
 * Every damage is recorded with add_finding() where it is done, from
 * the rule's condition in doc/rules.md (never from pinscan's output).
 * The pfns (s1 = 32768) and the reasoning per rule are in README.md.
 *
 * Era differences that matter here, spelled out where they are used:
 *  - the pin state: RFC dma_pinned_flags bit 1 or 2 in the word of
 *    lru.next (4.19-rfc1/2); FOLL_PIN refcount bias, with an exact count
 *    in page[2].hpage_pinned_refcount for order >= 2 (5.10),
 *    page[1].compound_pincount for order >= 1 (6.1), folio->_pincount
 *    in page[1] for order >= 1 (6.12) (set_exact_pincount());
 *  - the order: page[1].compound_order byte (up to 6.1), low byte of
 *    page[1].flags (6.12); the page count page[1].compound_nr (5.10 at
 *    +24, 6.1 at +28), folio->_folio_nr_pages (6.12, page[1] + 32), none
 *    in 4.19;
 *  - PageBuddy: page_type 0xffffff7f (PAGE_TYPE_BASE, PG_buddy 0x80
 *    cleared) up to 6.1, PGTY_buddy << 24 = 0xf0000000 in 6.12
 *    (place_buddy());
 *  - unevictable pages: linked on the unevictable list up to 5.10; from
 *    v5.18 (the layout has mlock_count) on no list, lru.next = __filler
 *    (LIST_POISON1 here) and lru.prev = mlock_count. */

#define LIST_POISON2	0xdead000000000122ULL

/* A node of a doubly linked list: the lru of a struct page, or a
 * list_head in the metadata pool.  A pool list_head is "a list head" in
 * the sense of rules.md: an address LRU links point at that is not a
 * struct page.  Each fault gets lists of its own, so that one fault
 * cannot disturb another. */
struct lnode {
	uint64_t va;
	uint8_t *p;		/* next at p + 0, prev at p + 8 */
};

static struct lnode lnode_head(struct gen *g)
{
	uint64_t pa = pool_alloc(g, 16, 16);
	struct lnode n = { dmap(g, pa), phys_ptr(g, pa, 16) };

	put64(n.p, 0, n.va);
	put64(n.p, 8, n.va);
	return n;
}

static struct lnode lnode_page(struct gen *g, uint64_t pfn)
{
	return (struct lnode){ spage_va(g, pfn) + 8, spage(g, pfn) + 8 };
}

static void lnode_set(struct lnode n, uint64_t next, uint64_t prev)
{
	put64(n.p, 0, next);
	put64(n.p, 8, prev);
}

static void lnode_set_next(struct lnode n, uint64_t next)
{
	put64(n.p, 0, next);
}

static void lnode_set_prev(struct lnode n, uint64_t prev)
{
	put64(n.p, 8, prev);
}

/* A well-formed circular list: @h, pfns[0], ..., pfns[n - 1]. */
static void lnode_link(struct gen *g, struct lnode h, const uint64_t *pfns,
		       size_t n)
{
	uint64_t prev = h.va;

	for (size_t i = 0; i < n; i++) {
		struct lnode c = lnode_page(g, pfns[i]);
		uint64_t next = i + 1 < n ? lnode_page(g, pfns[i + 1]).va
			: h.va;

		lnode_set(c, next, prev);
		prev = c.va;
	}
	lnode_set(h, n ? lnode_page(g, pfns[0]).va : h.va, prev);
}

/* A list of its own in the pool holding @n pages. */
static struct lnode own_list(struct gen *g, const uint64_t *pfns, size_t n)
{
	struct lnode h = lnode_head(g);

	lnode_link(g, h, pfns, n);
	return h;
}

/* A second finding that the letter of doc/rules.md gives for a fault
 * whose first finding is another rule, where rules.md does not say that
 * the first replaces it (pinscan, as of this writing, reports only the
 * first): TAIL-BAD-HEAD on an RFC-PIN-ON-TAIL page, LRU-NEIGHBOUR-NOT-LRU
 * next to RFC-PIN-ON-LRU, LRU-UNREACHABLE on the pages of a
 * LRU-CYCLE-NO-HEAD.  If rules.md comes to say "instead", set this to
 * false: these three are the only places it changes. */
static const bool letter_extras = false;	/* doc/rules.md: "instead" */

static void add_letter_finding(struct gen *g, const char *rule, uint64_t pfn)
{
	if (letter_extras)
		add_finding(g, rule, pfn);
}

static bool phys_in_dump(const struct gen *g, uint64_t pa)
{
	for (int i = 0; i < g->nr_chunks; i++)
		if (pa >= g->chunks[i].paddr &&
		    pa < g->chunks[i].paddr + g->chunks[i].size)
			return true;
	return false;
}

/* An order-0 page on no list (PG_lru pages are linked by the caller). */
static void f_page(struct gen *g, uint64_t pfn, uint64_t flags,
		   uint64_t mapping, int32_t mapcount_raw, uint32_t refcount)
{
	must_claim(g, pfn, 1);
	set_page(g, pfn, flags, mapping, pfn & 0xfff, mapcount_raw, refcount);
}

/* A page with the flags of LRU list @lru plus @extra, mapped once (anon)
 * or in the page cache (file), not linked yet. */
static void f_lru_page(struct gen *g, uint64_t pfn, int lru, uint64_t extra)
{
	bool anon = lru != LRU_INACTIVE_FILE && lru != LRU_ACTIVE_FILE;

	f_page(g, pfn, lru_flags(g->era, lru) | extra,
	       anon ? anon_mapping(g) : g->file_mapping_va, anon ? 0 : -1,
	       anon ? 1 : 2);
}

/* A correct anonymous compound page (not a THP: no deferred list),
 * unmapped, exact pin count 0 where the era keeps one. */
static void f_folio(struct gen *g, uint64_t head, int order, uint64_t flags,
		    uint32_t refcount)
{
	const struct era *e = g->era;

	must_claim(g, head, 1ULL << order);
	set_page(g, head, F(e->pg_uptodate) | F(e->pg_swapbacked) | flags,
		 anon_mapping(g), head & 0xfff, -1, refcount);
	make_compound(g, head, order, false);
}

/* Turn a page of a family into a page that is not a tail at all. */
static void f_untail(struct gen *g, uint64_t pfn)
{
	uint8_t *p = spage(g, pfn);

	put64(p, 0, zone_bits(pfn));
	memset(p + 8, 0, 40);
	put32(p, 48, 0xffffffff);
	put32(p, 52, 0);
	g->cls[pfn] &= ~C_TAIL;
}

/* A tail page outside any family whose compound_head says @head_addr. */
static void f_tail(struct gen *g, uint64_t pfn, uint64_t head_addr)
{
	uint8_t *p;

	if (head_addr & 1)
		fatal("scenario bug: odd head address");
	if (g->era->rfc_pin_bit && (head_addr & (1ULL << g->era->rfc_pin_bit)))
		fatal("scenario bug: head address carries the RFC pin bit");
	must_claim(g, pfn, 1);
	p = spage(g, pfn);
	put64(p, 0, zone_bits(pfn));
	put64(p, 8, head_addr | 1);
	put64(p, 16, 0);
	put64(p, 24, TAIL_MAPPING);
	put32(p, 48, 0xffffffff);
	put32(p, 52, 0);
	g->cls[pfn] |= C_TAIL;
}

/* Where the era keeps the number of pages of a compound page, in page[1];
 * -1 if it keeps none (4.19). */
static int nr_pages_off(const struct era *e)
{
	if (e->folio_mm_id)
		return 56;	/* 6.15+ folio->_nr_pages */
	if (e->order_in_flags1)
		return 32;	/* 6.12 folio->_folio_nr_pages */
	if (!e->has_compound_nr)
		return -1;	/* 4.19: no compound_nr */
	return e->pin == PIN_HPAGE_PAGE2 ? 24 : 28;	/* 5.10 : 6.1 */
}

/* Write @order into page @pfn's order field as the era reads page[1]. */
static void set_order_field(struct gen *g, uint64_t pfn, int order)
{
	uint8_t *p = spage(g, pfn);

	if (g->era->order_in_flags1)	/* 6.12: _flags_1 & 0xff */
		put64(p, 0, (get64(p, 0) & ~0xffULL) | (uint64_t)order);
	else				/* compound_order byte */
		p[17] = (uint8_t)order;
}

static void faults_per_page(struct gen *g, uint64_t b)
{
	const struct era *e = g->era;
	int nr_off = nr_pages_off(e);

	/* ORDER-INCONSISTENT: PG_head with order 0 (page[1], b+1, is an
	 * ordinary free page: order byte / flags low byte 0). */
	f_page(g, b, F(e->pg_head), 0, -1, 1);
	add_finding(g, "ORDER-INCONSISTENT", b);
	/* PG_head with order 21 (> 20): page[1], b+5, is not a tail, so
	 * there is no family and no TAIL-* finding; its order field says
	 * 21 (6.12: flags low byte 21 = PG_locked|referenced|dirty). */
	f_page(g, b + 4, F(e->pg_head), 0, -1, 1);
	must_claim(g, b + 5, 1);
	set_order_field(g, b + 5, 21);
	add_finding(g, "ORDER-INCONSISTENT", b + 4);
	/* Order 2 with 3 in compound_nr / _folio_nr_pages (5.10, 6.1,
	 * 6.12); 4.19 has no such field, so there it is a correct order-2
	 * folio (a near miss). */
	f_folio(g, b + 8, 2, 0, 1);
	if (nr_off >= 0) {
		put32(spage(g, b + 9), nr_off, 3);
		add_finding(g, "ORDER-INCONSISTENT", b + 8);
	}
	/* Near miss: a correct order-1 folio. */
	f_folio(g, b + 12, 1, 0, 1);

	/* HEAD-AND-TAIL: b+19 is the last tail of the order-2 folio b+16
	 * and also has PG_head, heading the order-1 folio {b+19, b+20}: a
	 * valid tail and a valid head at once, so nothing else fires.
	 * Near miss: b+16 (head only) and b+17, b+18 (tails only). */
	f_folio(g, b + 16, 2, 0, 1);
	must_claim(g, b + 20, 1);
	make_compound(g, b + 19, 1, false);
	add_finding(g, "HEAD-AND-TAIL", b + 19);
	/* 7.1 mask form: an order-1 folio at an odd pfn cannot exist (the
	 * mask assumes natural alignment), so b+20's mask leads to b+20
	 * itself, which lacks PG_head. */
	if (e->tail_mask)
		add_finding(g, "TAIL-HEAD-NOT-HEAD", b + 20);

	/* REFCOUNT-NEGATIVE: _refcount -1 on a small page.  On FOLL_PIN
	 * eras CONTRACT.md rule 2 reads it as unsigned (4294967295 >= 1024):
	 * a refcount-bias pin, 4194303 pins, likely. */
	f_page(g, b + 24, F(e->pg_uptodate), 0, -1, 0xffffffffu);
	add_finding(g, "REFCOUNT-NEGATIVE", b + 24);
	if (e->pin != PIN_RFC)
		expect_bias_pin(g, b + 24, 1, 0xffffffffu, -1);
	/* MAPCOUNT-ABOVE-REFCOUNT: 5 mappings, 3 references.  Near miss:
	 * b+26, 3 mappings and 3 references. */
	f_page(g, b + 25, F(e->pg_uptodate) | F(e->pg_swapbacked),
	       anon_mapping(g), 4, 3);
	add_finding(g, "MAPCOUNT-ABOVE-REFCOUNT", b + 25);
	f_page(g, b + 26, F(e->pg_uptodate) | F(e->pg_swapbacked),
	       anon_mapping(g), 2, 3);

	/* Free pages (PageBuddy; encoding per era in place_buddy()). */
	place_buddy(g, b + 28, 0);
	put32(spage(g, b + 28), 52, 1);
	add_finding(g, "BUDDY-REFCOUNT", b + 28);
	place_buddy(g, b + 29, 0);
	put64(spage(g, b + 29), 24, g->file_mapping_va);
	add_finding(g, "BUDDY-MAPPING", b + 29);
	/* Near misses: a buddy page with refcount 0 and mapping 0; a typed
	 * page that is not buddy (PageOffline: 4.19 ~PG_balloon 0xfffffeff,
	 * 5.10/6.1 ~PG_offline 0xfffffeff, 6.12 PGTY_offline << 24) with
	 * refcount 1; on 6.12, the pre-6.12 PageBuddy value 0xffffff7f,
	 * which 6.12 reads as a _mapcount of -129 (untyped, not buddy),
	 * with refcount 1. */
	place_buddy(g, b + 30, 0);
	f_page(g, b + 31, 0, 0, (int32_t)(e->pgty ? 0xf1000000u : 0xfffffeffu),
	       1);
	if (e->pgty)
		f_page(g, b + 32, 0, 0, (int32_t)0xffffff7fu, 1);
}

static void faults_tails(struct gen *g, uint64_t b)
{
	uint64_t hole;

	/* TAIL-REFCOUNT: the last tail of an order-2 folio with refcount 1;
	 * another with refcount -1 (a tail: TAIL-REFCOUNT, not
	 * REFCOUNT-NEGATIVE, which is for non-tail pages). */
	f_folio(g, b, 2, 0, 1);
	put32(spage(g, b + 3), 52, 1);
	add_finding(g, "TAIL-REFCOUNT", b + 3);
	f_folio(g, b + 4, 2, 0, 1);
	put32(spage(g, b + 7), 52, 0xffffffffu);
	add_finding(g, "TAIL-REFCOUNT", b + 7);

	/* TAIL-BAD-HEAD: a head address in the middle of a struct page
	 * (b+20 + 16); one in the vmemmap of section 2, a hole (no
	 * mem_map; with --no-vmemmap, the direct map of the hole). */
	f_tail(g, b + 8, spage_va(g, b + 20) + 16);
	add_finding(g, "TAIL-BAD-HEAD", b + 8);
	hole = g->vmemmap ? g->vmemmap_base + (2 * PAGES_PER_SECTION + 100) *
		STRUCT_PAGE_SIZE : dmap(g, 2 * SECTION_BYTES + 100 * PAGE_SIZE);
	if (g->section_present[2])
		fatal("scenario bug: section 2 is not a hole");
	f_tail(g, b + 9, hole);
	add_finding(g, "TAIL-BAD-HEAD", b + 9);

	/* TAIL-HEAD-NOT-HEAD: b+10 points at b+11, a page without PG_head. */
	f_tail(g, b + 10, spage_va(g, b + 11));
	f_page(g, b + 11, F(g->era->pg_uptodate), 0, -1, 1);
	add_finding(g, "TAIL-HEAD-NOT-HEAD", b + 10);

	/* TAIL-OUTSIDE-FOLIO: b+19 (just before) and b+24 (just after)
	 * point at the order-2 head b+20, whose family is b+21..b+23. */
	f_tail(g, b + 19, spage_va(g, b + 20));
	f_folio(g, b + 20, 2, 0, 1);
	f_tail(g, b + 24, spage_va(g, b + 20));
	add_finding(g, "TAIL-OUTSIDE-FOLIO", b + 19);
	add_finding(g, "TAIL-OUTSIDE-FOLIO", b + 24);

	/* HEAD-TAIL-MISMATCH, at the head: page[3] of an order-2 folio is
	 * not a tail; pages [3] and [5] of an order-3 folio are not tails
	 * (still one finding). */
	f_folio(g, b + 28, 2, 0, 1);
	f_untail(g, b + 31);
	add_finding(g, "HEAD-TAIL-MISMATCH", b + 28);
	f_folio(g, b + 36, 3, 0, 1);
	f_untail(g, b + 39);
	f_untail(g, b + 41);
	add_finding(g, "HEAD-TAIL-MISMATCH", b + 36);
	/* Near miss for HEAD-TAIL-MISMATCH: page[3] of the folio b+44 is a
	 * tail of the next head b+48: the tail rules report it
	 * (TAIL-OUTSIDE-FOLIO), the head b+44 gets nothing. */
	f_folio(g, b + 44, 2, 0, 1);
	f_folio(g, b + 48, 2, 0, 1);
	put64(spage(g, b + 47), 8, spage_va(g, b + 48) | 1);
	add_finding(g, "TAIL-OUTSIDE-FOLIO", b + 47);

	/* TAIL-REFCOUNT on page[1] and page[2]: no era here has a folio
	 * member at their _refcount bytes (offset 52): 5.10/6.1 page[1]
	 * ends with compound_nr (+24/+28), 6.12 __page_1 with
	 * _folio_nr_pages (+32) and __page_2 with _hugetlb_hwpoison or
	 * _deferred_list (+40); _refcount_1 came only in v6.15.  Only the
	 * transitional `struct page __page_1/__page_2` members cover those
	 * bytes, and they are not folio members. */
	f_folio(g, b + 52, 2, 0, 1);
	put32(spage(g, b + 53), 52, 1);
	put32(spage(g, b + 54), 52, 1);
	add_finding(g, "TAIL-REFCOUNT", b + 53);
	add_finding(g, "TAIL-REFCOUNT", b + 54);
}

/* 4.19 + RFC only. */
static void faults_rfc(struct gen *g, uint64_t b)
{
	const struct era *e = g->era;
	uint64_t mask = 1ULL << e->rfc_pin_bit;
	uint64_t anon = F(e->pg_uptodate) | F(e->pg_swapbacked);

	/* RFC-PIN-ON-TAIL: the pin bit on page[2] of an order-2 folio.
	 * By rules.md a tail's head address is word - 1, here the head's
	 * address + mask, not the start of a struct page: TAIL-BAD-HEAD
	 * too (the kernel's compound_head() would compute the same). */
	f_folio(g, b, 2, 0, 1);
	put64(spage(g, b + 2), 8, get64(spage(g, b + 2), 8) | mask);
	add_finding(g, "RFC-PIN-ON-TAIL", b + 2);
	add_letter_finding(g, "TAIL-BAD-HEAD", b + 2);
	/* Near miss: the pin on a head (count 2; refcount 1 + 2). */
	f_folio(g, b + 4, 2, 0, 3);
	set_rfc_pin(g, b + 4, 2);
	add_pin(g, b + 4, 4, "rfc-flag", 2, "exact");
	/* RFC-PIN-IN-FOLIO: page[2] of the order-2 folio b+8 is not a tail
	 * and has the pin bit (count 1).  CONTRACT.md: still a pin, of one
	 * page.  Reported (my reading) at that page, instead of
	 * HEAD-TAIL-MISMATCH at the head. */
	f_folio(g, b + 8, 2, 0, 1);
	f_untail(g, b + 10);
	set_rfc_pin(g, b + 10, 1);
	add_pin(g, b + 10, 1, "rfc-flag", 1, "exact");
	add_finding(g, "RFC-PIN-IN-FOLIO", b + 10);

	/* RFC-PIN-ON-LRU: a pinned page with PG_lru (on no list: its lru
	 * words are the pin flags and count; not an LRU page for the LRU
	 * rules, so no LRU-UNREACHABLE). */
	f_page(g, b + 12, F(e->pg_lru) | anon, anon_mapping(g), 0, 2);
	set_rfc_pin(g, b + 12, 1);
	add_pin(g, b + 12, 1, "rfc-flag", 1, "exact");
	add_finding(g, "RFC-PIN-ON-LRU", b + 12);
	/* RFC-PIN-COUNT: pinned with count 0 and -1 (CONTRACT.md: still
	 * pins, pincount as read).  Near miss: count 1 (b+15). */
	f_page(g, b + 13, anon, anon_mapping(g), 0, 1);
	set_rfc_pin(g, b + 13, 0);
	add_pin(g, b + 13, 1, "rfc-flag", 0, "exact");
	add_finding(g, "RFC-PIN-COUNT", b + 13);
	f_page(g, b + 14, anon, anon_mapping(g), 0, 1);
	set_rfc_pin(g, b + 14, -1);
	add_pin(g, b + 14, 1, "rfc-flag", -1, "exact");
	add_finding(g, "RFC-PIN-COUNT", b + 14);
	f_page(g, b + 15, anon, anon_mapping(g), 0, 2);
	set_rfc_pin(g, b + 15, 1);
	add_pin(g, b + 15, 1, "rfc-flag", 1, "exact");
	/* RFC-PIN-ON-LRU (audit): the LRU page b+17 (list of its own)
	 * has lru.next = the lru of b+16, pinned (count 1) without PG_lru.
	 * rules.md does not say which page gets the finding; read as the
	 * pinned page b+16, the page the rule is about in its first clause
	 * too (a pin on an LRU).  b+16 lacks PG_lru, so by the letter
	 * LRU-NEIGHBOUR-NOT-LRU fires at b+17 as well (rules.md does not
	 * say that RFC-PIN-ON-LRU replaces it). */
	f_page(g, b + 16, anon, anon_mapping(g), 0, 2);
	set_rfc_pin(g, b + 16, 1);
	add_pin(g, b + 16, 1, "rfc-flag", 1, "exact");
	f_lru_page(g, b + 17, LRU_INACTIVE_ANON, 0);
	own_list(g, &(uint64_t){ b + 17 }, 1);
	lnode_set_next(lnode_page(g, b + 17), lnode_page(g, b + 16).va);
	add_finding(g, "RFC-PIN-ON-LRU", b + 16);
	add_letter_finding(g, "LRU-NEIGHBOUR-NOT-LRU", b + 17);
}

/* 5.10, 6.1, 6.12 only. */
static void faults_foll(struct gen *g, uint64_t b)
{
	const struct era *e = g->era;
	const char *how = exact_how(e);
	bool order1_exact = e->min_exact_order <= 1;	/* 6.1, 6.12 */

	/* PIN-COUNT-NEGATIVE: order 2 with exact count -1 (5.10:
	 * page[2].hpage_pinned_refcount, 6.1: page[1].compound_pincount,
	 * 6.12: folio->_pincount). */
	f_folio(g, b, 2, 0, 1);
	set_exact_pincount(g, b, 2, -1);
	add_finding(g, "PIN-COUNT-NEGATIVE", b);
	if (order1_exact) {
		/* Order 1, count -2 (6.1, 6.12 count order-1 folios). */
		f_folio(g, b + 4, 1, 0, 1);
		set_exact_pincount(g, b + 4, 1, -2);
		add_finding(g, "PIN-COUNT-NEGATIVE", b + 4);
	} else {
		/* 5.10 near miss: an order-1 folio has no exact count; -1
		 * where page[2].hpage_pinned_refcount would be (b+6, a free
		 * page after the folio) means nothing. */
		f_folio(g, b + 4, 1, 0, 3);
		must_claim(g, b + 6, 1);
		put32(spage(g, b + 6), 16, 0xffffffffu);
	}

	/* PIN-COUNT-ABOVE-REFCOUNT: order 2, 5 pins, refcount 3. */
	f_folio(g, b + 8, 2, 0, 3);
	set_exact_pincount(g, b + 8, 2, 5);
	add_pin(g, b + 8, 4, how, 5, "exact");
	add_finding(g, "PIN-COUNT-ABOVE-REFCOUNT", b + 8);
	if (order1_exact) {
		/* Order 1, 3 pins, refcount 2. */
		f_folio(g, b + 12, 1, 0, 2);
		set_exact_pincount(g, b + 12, 1, 3);
		add_pin(g, b + 12, 2, how, 3, "exact");
		add_finding(g, "PIN-COUNT-ABOVE-REFCOUNT", b + 12);
	} else {
		/* 5.10 near miss: order 1 pinned twice through the bias on
		 * the head (2049), no exact count to compare. */
		f_folio(g, b + 12, 1, 0, 2049);
		expect_bias_pin(g, b + 12, 2, 2049, -1);
	}
	/* Near misses: pin count equal to the refcount. */
	f_folio(g, b + 16, 2, 0, 3);
	set_exact_pincount(g, b + 16, 2, 3);
	add_pin(g, b + 16, 4, how, 3, "exact");
	if (order1_exact) {
		f_folio(g, b + 20, 1, 0, 2);
		set_exact_pincount(g, b + 20, 1, 2);
		add_pin(g, b + 20, 2, how, 2, "exact");
	}

	/* FOLL-PIN-ON-LRU (info; the findings are added for every pinned
	 * PG_lru page at the end of place_faults()): a small page pinned
	 * twice and an order-2 folio pinned twice, both on the active anon
	 * list of synthetic_lruvec.  Near misses: b+32 on the same list
	 * with refcount 1023 (not pinned), b+33 pinned once off the LRU. */
	f_page(g, b + 24, lru_flags(e, LRU_ACTIVE_ANON), anon_mapping(g), 0,
	       2049);
	lru_add(g, LRU_ACTIVE_ANON, b + 24);
	expect_bias_pin(g, b + 24, 1, 2049, 0);
	f_folio(g, b + 28, 2, lru_flags(e, LRU_ACTIVE_ANON), 3);
	set_exact_pincount(g, b + 28, 2, 2);
	add_pin(g, b + 28, 4, how, 2, "exact");
	lru_add(g, LRU_ACTIVE_ANON, b + 28);
	f_page(g, b + 32, lru_flags(e, LRU_ACTIVE_ANON), anon_mapping(g), 0,
	       1023);
	lru_add(g, LRU_ACTIVE_ANON, b + 32);
	f_page(g, b + 33, F(e->pg_uptodate) | F(e->pg_swapbacked),
	       anon_mapping(g), -1, 1025);
	expect_bias_pin(g, b + 33, 1, 1025, -1);

	/* v6.15+ built with CONFIG_NO_PAGE_MAPCOUNT: a large folio's
	 * mappings are only in _large_mapcount, its pages' _mapcount stay
	 * -1. MAPCOUNT-ABOVE-REFCOUNT on b+40: an order-2 folio mapped twice
	 * by PTEs (8 mappings) with 2 references, which the head's own
	 * _mapcount would hide. Near miss b+44: 4 mappings, 4 references. */
	if (e->folio_mm_id) {
		f_folio(g, b + 40, 2, 0, 2);
		set_folio_mapcounts(g, b + 40, 2, 2, 0);
		add_finding(g, "MAPCOUNT-ABOVE-REFCOUNT", b + 40);
		f_folio(g, b + 44, 2, 0, 4);
		set_folio_mapcounts(g, b + 44, 2, 1, 0);
	}
}

static void faults_lru(struct gen *g, uint64_t b)
{
	const struct era *e = g->era;
	uint64_t pf[3], nondump;
	struct lnode h;

	/* LRU-POISONED: the only page of its list, lru.next = LIST_POISON1
	 * and lru.prev = LIST_POISON2 (list_del() without clearing PG_lru);
	 * the head still points at it both ways, so it is reached and no
	 * link of another page is involved. */
	pf[0] = b;
	f_lru_page(g, b, LRU_INACTIVE_ANON, 0);
	own_list(g, pf, 1);
	lnode_set(lnode_page(g, b), LIST_POISON1, LIST_POISON2);
	add_finding(g, "LRU-POISONED", b);

	/* LRU-BAD-POINTER, each the first or only page of its own list, the
	 * bad link one that no other page's check follows:
	 *  b+2: lru.prev = its list head + 4 (not 8-byte aligned; in prev,
	 *       because an odd lru.next would be a tail, and bit 1/2 the
	 *       RFC pin bit);
	 *  b+5: lru.next = the struct page of b+6 + 24 (mapping: inside a
	 *       struct page, not at its lru);
	 *  b+7: lru.prev = direct-map address of RAM that is not in the
	 *       dump (outside mem_map);
	 *  b+9: lru.prev = NULL (not a kernel address). */
	pf[0] = b + 2;
	pf[1] = b + 3;
	f_lru_page(g, b + 2, LRU_INACTIVE_ANON, 0);
	f_lru_page(g, b + 3, LRU_INACTIVE_ANON, 0);
	h = own_list(g, pf, 2);
	lnode_set_prev(lnode_page(g, b + 2), h.va + 4);
	add_finding(g, "LRU-BAD-POINTER", b + 2);
	pf[0] = b + 5;
	f_lru_page(g, b + 5, LRU_INACTIVE_ANON, 0);
	own_list(g, pf, 1);
	lnode_set_next(lnode_page(g, b + 5), spage_va(g, b + 6) + 24);
	add_finding(g, "LRU-BAD-POINTER", b + 5);
	nondump = (PAGES_PER_SECTION + 20000) << PAGE_SHIFT;
	if (phys_in_dump(g, nondump))
		fatal("scenario bug: 0x%llx is in the dump",
		      (unsigned long long)nondump);
	pf[0] = b + 7;
	f_lru_page(g, b + 7, LRU_INACTIVE_ANON, 0);
	own_list(g, pf, 1);
	lnode_set_prev(lnode_page(g, b + 7), dmap(g, nondump));
	add_finding(g, "LRU-BAD-POINTER", b + 7);
	pf[0] = b + 9;
	f_lru_page(g, b + 9, LRU_INACTIVE_ANON, 0);
	own_list(g, pf, 1);
	lnode_set_prev(lnode_page(g, b + 9), 0);
	add_finding(g, "LRU-BAD-POINTER", b + 9);

	/* LRU-NEIGHBOUR-NOT-LRU: b+11's lru.next is the lru of b+12, which
	 * has no PG_lru (its own links come back: b+12.prev = b+11, so no
	 * link mismatch whatever the reading); b+14's lru.prev is the lru
	 * of b+13, no PG_lru, b+13.next = b+14. */
	pf[0] = b + 11;
	f_lru_page(g, b + 11, LRU_INACTIVE_ANON, 0);
	f_page(g, b + 12, F(e->pg_uptodate), 0, -1, 1);
	h = own_list(g, pf, 1);
	lnode_set_next(lnode_page(g, b + 11), lnode_page(g, b + 12).va);
	lnode_set(lnode_page(g, b + 12), h.va, lnode_page(g, b + 11).va);
	add_finding(g, "LRU-NEIGHBOUR-NOT-LRU", b + 11);
	pf[0] = b + 14;
	f_page(g, b + 13, F(e->pg_uptodate), 0, -1, 1);
	f_lru_page(g, b + 14, LRU_INACTIVE_ANON, 0);
	h = own_list(g, pf, 1);
	lnode_set_prev(lnode_page(g, b + 14), lnode_page(g, b + 13).va);
	lnode_set(lnode_page(g, b + 13), lnode_page(g, b + 14).va, h.va);
	add_finding(g, "LRU-NEIGHBOUR-NOT-LRU", b + 14);

	/* LRU-LIST-TYPE-MISMATCH: two-page lists whose pages differ in
	 * PG_active (b+16/b+17), PG_swapbacked (b+19/b+20) and, on eras
	 * that link unevictable pages (4.19, 5.10), PG_unevictable
	 * (b+22/b+23).  Each page's link to the other is checked, so both
	 * pages of each pair are reported. */
	pf[0] = b + 16;
	pf[1] = b + 17;
	f_lru_page(g, b + 16, LRU_INACTIVE_ANON, 0);
	f_lru_page(g, b + 17, LRU_ACTIVE_ANON, 0);
	own_list(g, pf, 2);
	add_finding(g, "LRU-LIST-TYPE-MISMATCH", b + 16);
	add_finding(g, "LRU-LIST-TYPE-MISMATCH", b + 17);
	pf[0] = b + 19;
	pf[1] = b + 20;
	f_lru_page(g, b + 19, LRU_INACTIVE_ANON, 0);
	f_lru_page(g, b + 20, LRU_INACTIVE_FILE, 0);
	own_list(g, pf, 2);
	add_finding(g, "LRU-LIST-TYPE-MISMATCH", b + 19);
	add_finding(g, "LRU-LIST-TYPE-MISMATCH", b + 20);
	if (!e->uneviction_unlinked) {
		pf[0] = b + 22;
		pf[1] = b + 23;
		f_lru_page(g, b + 22, LRU_INACTIVE_FILE, 0);
		f_lru_page(g, b + 23, LRU_INACTIVE_FILE, F(e->pg_unevictable));
		own_list(g, pf, 2);
		add_finding(g, "LRU-LIST-TYPE-MISMATCH", b + 22);
		add_finding(g, "LRU-LIST-TYPE-MISMATCH", b + 23);
	}
	/* Near miss: neighbours that differ in PG_referenced, PG_dirty and
	 * PG_workingset (where it exists), which are not list types. */
	pf[0] = b + 24;
	pf[1] = b + 25;
	f_lru_page(g, b + 24, LRU_INACTIVE_FILE,
		   F(e->pg_referenced) | F(e->pg_dirty));
	f_lru_page(g, b + 25, LRU_INACTIVE_FILE, F(e->pg_workingset));
	own_list(g, pf, 2);

	/* LRU-LINK-MISMATCH, blamed on P: list H11 = {b+28, b+29}; b+30,
	 * alone on H12, has lru.next = b+29 (stale).  b+29.prev = b+28 and
	 * b+28.next = b+29 confirm each other, so b+30 is reported. */
	pf[0] = b + 28;
	pf[1] = b + 29;
	f_lru_page(g, b + 28, LRU_INACTIVE_ANON, 0);
	f_lru_page(g, b + 29, LRU_INACTIVE_ANON, 0);
	own_list(g, pf, 2);
	pf[0] = b + 30;
	f_lru_page(g, b + 30, LRU_INACTIVE_ANON, 0);
	own_list(g, pf, 1);
	lnode_set_next(lnode_page(g, b + 30), lnode_page(g, b + 29).va);
	add_finding(g, "LRU-LINK-MISMATCH", b + 30);
	/* Blamed on Q: list H13 = {b+32, b+33} but b+33.prev = b+34, which
	 * is alone on H14 (b+34.next = H14): nobody confirms b+33's prev,
	 * so b+33 is reported (by its prev check), not b+32. */
	pf[0] = b + 32;
	pf[1] = b + 33;
	f_lru_page(g, b + 32, LRU_INACTIVE_ANON, 0);
	f_lru_page(g, b + 33, LRU_INACTIVE_ANON, 0);
	own_list(g, pf, 2);
	pf[0] = b + 34;
	f_lru_page(g, b + 34, LRU_INACTIVE_ANON, 0);
	own_list(g, pf, 1);
	lnode_set_prev(lnode_page(g, b + 33), lnode_page(g, b + 34).va);
	add_finding(g, "LRU-LINK-MISMATCH", b + 33);
	/* Through a list head: b+36 alone on H15; b+37 alone on H16 but
	 * lru.next = H15, whose prev (b+36) confirms b+36.next = H15. */
	pf[0] = b + 36;
	f_lru_page(g, b + 36, LRU_INACTIVE_ANON, 0);
	h = own_list(g, pf, 1);
	pf[0] = b + 37;
	f_lru_page(g, b + 37, LRU_INACTIVE_ANON, 0);
	own_list(g, pf, 1);
	lnode_set_next(lnode_page(g, b + 37), h.va);
	add_finding(g, "LRU-LINK-MISMATCH", b + 37);

	/* LRU-UNREACHABLE: b+40 alone on H17; the chain b+41 <-> b+42 has
	 * b+41.prev = H17 and b+42.next = H17, but H17 reaches only b+40.
	 * The chain's end links cannot come back: LRU-LINK-MISMATCH at
	 * b+41 (its prev: H17.next != b+41) and at b+42 (its next: H17.prev
	 * = b+40, and b+40.next = H17 confirms it). */
	pf[0] = b + 40;
	f_lru_page(g, b + 40, LRU_INACTIVE_ANON, 0);
	h = own_list(g, pf, 1);
	f_lru_page(g, b + 41, LRU_INACTIVE_ANON, 0);
	f_lru_page(g, b + 42, LRU_INACTIVE_ANON, 0);
	lnode_set(lnode_page(g, b + 41), lnode_page(g, b + 42).va, h.va);
	lnode_set(lnode_page(g, b + 42), h.va, lnode_page(g, b + 41).va);
	add_finding(g, "LRU-UNREACHABLE", b + 41);
	add_finding(g, "LRU-UNREACHABLE", b + 42);
	add_finding(g, "LRU-LINK-MISMATCH", b + 41);
	add_finding(g, "LRU-LINK-MISMATCH", b + 42);

	/* LRU-CYCLE-NO-HEAD: b+44 -> b+46 -> b+45 -> b+44 (prev links
	 * consistent), no list head.  One finding at the pfn a walk of
	 * unreached pages in pfn order starts from: b+44.  No walk from a
	 * head reaches these pages either: by the letter, LRU-UNREACHABLE
	 * at each of them. */
	f_lru_page(g, b + 44, LRU_INACTIVE_ANON, 0);
	f_lru_page(g, b + 45, LRU_INACTIVE_ANON, 0);
	f_lru_page(g, b + 46, LRU_INACTIVE_ANON, 0);
	lnode_set(lnode_page(g, b + 44), lnode_page(g, b + 46).va,
		  lnode_page(g, b + 45).va);
	lnode_set(lnode_page(g, b + 46), lnode_page(g, b + 45).va,
		  lnode_page(g, b + 44).va);
	lnode_set(lnode_page(g, b + 45), lnode_page(g, b + 44).va,
		  lnode_page(g, b + 46).va);
	add_finding(g, "LRU-CYCLE-NO-HEAD", b + 44);
	add_letter_finding(g, "LRU-UNREACHABLE", b + 44);
	add_letter_finding(g, "LRU-UNREACHABLE", b + 45);
	add_letter_finding(g, "LRU-UNREACHABLE", b + 46);

	/* Near misses: an LRU page whose neighbours are both the list head
	 * (b+48); an unevictable mlocked page (b+50): linked on its own
	 * list up to 5.10, on no list from 6.1 with lru.next =
	 * LIST_POISON1 (__filler) and lru.prev = 1 (mlock_count), which is
	 * neither LRU-POISONED, LRU-BAD-POINTER nor LRU-UNREACHABLE; a page
	 * without PG_lru whose lru holds both poison values (b+51). */
	pf[0] = b + 48;
	f_lru_page(g, b + 48, LRU_INACTIVE_FILE, 0);
	own_list(g, pf, 1);
	pf[0] = b + 50;
	f_lru_page(g, b + 50, LRU_UNEVICTABLE, 0);
	if (e->uneviction_unlinked)
		lnode_set(lnode_page(g, b + 50), LIST_POISON1, 1);
	else
		own_list(g, pf, 1);
	f_page(g, b + 51, F(e->pg_uptodate) | F(e->pg_swapbacked),
	       anon_mapping(g), -1, 1);
	lnode_set(lnode_page(g, b + 51), LIST_POISON1, LIST_POISON2);

	/* LRU-LINK-MISMATCH blamed on Q when Q's prev partner R points
	 * elsewhere, whatever R's own next partner says: list Ha = {b+52,
	 * b+53} but b+53.prev = b+54; list Hb = {b+54, b+55} but b+55.prev
	 * = Hb.  rules.md: "if R.next != Q, Q's prev is the stale one and
	 * Q is reported (when its own prev is checked)": b+54.next = b+55
	 * != b+53, so b+53 is reported; Hb.next = b+54 != b+55, so b+55
	 * is reported.  b+52 (its next b+53 has prev b+54, whose next is
	 * not b+53) and b+54 (its next b+55 has prev Hb, whose next is not
	 * b+55) are not. */
	pf[0] = b + 52;
	pf[1] = b + 53;
	f_lru_page(g, b + 52, LRU_INACTIVE_ANON, 0);
	f_lru_page(g, b + 53, LRU_INACTIVE_ANON, 0);
	own_list(g, pf, 2);
	pf[0] = b + 54;
	pf[1] = b + 55;
	f_lru_page(g, b + 54, LRU_INACTIVE_ANON, 0);
	f_lru_page(g, b + 55, LRU_INACTIVE_ANON, 0);
	h = own_list(g, pf, 2);
	lnode_set_prev(lnode_page(g, b + 53), lnode_page(g, b + 54).va);
	lnode_set_prev(lnode_page(g, b + 55), h.va);
	add_finding(g, "LRU-LINK-MISMATCH", b + 53);
	add_finding(g, "LRU-LINK-MISMATCH", b + 55);

	/* A torn list_add_tail(): b+57 was being added after b+56, the
	 * only page of H: b+57.next = H, b+57.prev = b+56 and H.prev =
	 * b+57 are written, b+56.next (= H) not yet.  LRU-LINK-MISMATCH at
	 * b+56 (its next H has prev b+57, whose next H confirms it) and at
	 * b+57 (its prev b+56 has next H, not b+57).  No LRU-UNREACHABLE:
	 * the walk backwards from H reaches b+57 (then b+56). */
	pf[0] = b + 56;
	f_lru_page(g, b + 56, LRU_INACTIVE_ANON, 0);
	h = own_list(g, pf, 1);
	f_lru_page(g, b + 57, LRU_INACTIVE_ANON, 0);
	lnode_set(lnode_page(g, b + 57), h.va, lnode_page(g, b + 56).va);
	lnode_set_prev(h, lnode_page(g, b + 57).va);
	add_finding(g, "LRU-LINK-MISMATCH", b + 56);
	add_finding(g, "LRU-LINK-MISMATCH", b + 57);
}

/* The faults, from pfn base on (alignments up to 1024 pages kept). */
static void place_faults_at(struct gen *g, uint64_t base)
{
	size_t nr_pins;

	faults_per_page(g, base);
	faults_tails(g, base + 100);
	if (g->era->pin == PIN_RFC)
		faults_rfc(g, base + 200);
	else
		faults_foll(g, base + 300);
	faults_lru(g, base + 400);

	/* FOLL-PIN-ON-LRU (info): every pinned page with PG_lru, which
	 * expected.json must then list in full (compare.py compares info
	 * findings only when expected.json has one). */
	nr_pins = g->nr_pins;
	if (g->era->pin != PIN_RFC)
		for (size_t i = 0; i < nr_pins; i++)
			if (g->cls[g->pins[i].pfn] & C_LRU)
				add_finding(g, "FOLL-PIN-ON-LRU",
					    g->pins[i].pfn);
}

static void place_faults(struct gen *g)
{
	place_faults_at(g, 1 * PAGES_PER_SECTION + 1000);
}

/* ------------------------------------------------------------------ */
/* Scenario "zones": pins where doc/rules.md says pins should not stay,
 * PIN-IN-MOVABLE (ZONE_MOVABLE) and PIN-IN-CMA (MIGRATE_CMA pageblocks),
 * each next to near misses.  Memory (memimage.c plan_sections(),
 * plan_zones()): sections 0..7 (0..1 GiB) and 32..35 (4..4.5 GiB); node 0
 * = [1, 8 * 32768) has DMA [1, 4096) and DMA32 [4096, 8 * 32768); node 1
 * = [1 Mi, 36 * 32768) has NORMAL [1 Mi, 34 * 32768) and MOVABLE
 * [34 * 32768, 36 * 32768), i.e. pfns 1114112..1179647.  Every
 * pageblock is MIGRATE_MOVABLE but two, which get the value MIGRATE_CMA
 * has in the CMA eras (4): block 31 of section 5 (DMA32; on the eras from
 * v5.9 the high nibble of the second word of the bitmap) and block 10 of
 * section 33 (NORMAL).  In 5.10 and 4.19-rfc2 (no CONFIG_CMA) the same
 * value is MIGRATE_ISOLATE: no finding there.  The only LRU pages are
 * the five of the LRU-NODE-MISMATCH lists, none pinned (so no
 * FOLL-PIN-ON-LRU info findings).  The findings themselves are
 * added for every recorded pin at the end of scen_place()
 * (expect_placement()). */

#define MT_CMA_VALUE	4	/* MIGRATE_CMA in the CMA eras here */

/* A small anonymous page, mapped once, not pinned: one reference short
 * of the bias (FOLL_PIN), or many references without the pin flag (RFC). */
static void zones_unpinned_small(struct gen *g, uint64_t pfn)
{
	const struct era *e = g->era;

	must_claim(g, pfn, 1);
	set_page(g, pfn, F(e->pg_uptodate) | F(e->pg_swapbacked),
		 anon_mapping(g), pfn & 0xfff, 0,
		 e->pin == PIN_RFC ? 5000 : 1023);
}

static void place_zones(struct gen *g)
{
	const struct era *e = g->era;
	const uint64_t cma_a = 5 * PAGES_PER_SECTION + 31 * 512;	/* 179712 */
	const uint64_t cma_b = 33 * PAGES_PER_SECTION + 10 * 512;	/* 1086464 */
	const uint64_t mv = g->zone[Z_MOVABLE].start;			/* 1114112 */
	const uint64_t mv_end = g->zone[Z_MOVABLE].end;			/* 1179648 */

	if (mv != 34 * PAGES_PER_SECTION || mv_end != 36 * PAGES_PER_SECTION)
		fatal("scenario bug: ZONE_MOVABLE is %llu..%llu",
		      (unsigned long long)mv, (unsigned long long)mv_end);

	/* CMA pageblock A (DMA32): a THP filling it, pinned twice (exact
	 * count; RFC: the flag on its head): PIN-IN-CMA at the head in the
	 * CMA eras.  Its PB_migrate_skip bit is set too (compaction marks
	 * blocks of every type): the migratetype is the low 3 of the 4 bits.
	 * Near misses: pinned pages in the MIGRATE_MOVABLE pageblocks on
	 * either side (last pfn of block 30, whose skip bit is set as well,
	 * and first pfn of block 32, the next word of the bitmap). */
	set_pageblock_bits(g, cma_a, MT_CMA_VALUE, true);
	set_pageblock_bits(g, cma_a - 512, (int)g->layout[L_MIGRATE_MOVABLE],
			   true);
	place_folio(g, cma_a, 9, true, -1, 2, 1 + 2, 0, 1);
	place_pinned_small(g, cma_a - 1, 1, 1, 0, false);
	place_pinned_small(g, cma_a + 512, 1, 1, 0, false);

	/* CMA pageblock B (NORMAL): a small page pinned once and an order-2
	 * folio pinned 3 times (exact count in every FOLL_PIN era):
	 * PIN-IN-CMA at both.  Near misses: an unpinned page in the same
	 * block, pinned pages just outside it. */
	set_pageblock_mt(g, cma_b, MT_CMA_VALUE);
	place_pinned_small(g, cma_b + 100, 1, 1, 0, false);
	zones_unpinned_small(g, cma_b + 101);
	place_folio(g, cma_b + 136, 2, true, -1, 3, 1 + 3, 1, 0);
	place_pinned_small(g, cma_b - 1, 2, 1, 0, false);
	place_pinned_small(g, cma_b + 512, 2, 1, 0, false);

	/* ZONE_MOVABLE.  The last pfn of ZONE_NORMAL, just below the span,
	 * pinned: no finding.  Pinned in the span (PIN-IN-MOVABLE): its
	 * first pfn; a page pinned 3 times; a "possible" pin (FOLL_PIN:
	 * 100 mappings explain 1100 references; RFC: the flag, count 1);
	 * a PMD-mapped THP pinned twice (one finding, at its head); an
	 * order-1 folio pinned twice (5.10: the bias on its head, 2049;
	 * 6.1/6.12: exact count 2); the span's last pfn.  Not pinned, in
	 * the span: a small page, and a THP PTE-mapped twice (head refcount
	 * 1025, exact count 0). */
	place_pinned_small(g, mv - 1, 1, 1, 0, false);
	place_pinned_small(g, mv, 1, 1, 0, false);
	place_pinned_small(g, mv + 1000, 3, 2, 0, false);
	zones_unpinned_small(g, mv + 1001);
	place_pinned_small(g, mv + 1002, 1, 76, 99, false);
	place_folio(g, mv + 4096, 9, true, -1, 2, 1 + 2, 0, 1);
	place_folio(g, mv + 4608, 9, true, -1, 0, 1025, 2, 0);
	place_folio(g, mv + 6000, 1, true, -1, 2,
		    e->pin == PIN_HPAGE_PAGE2 ? 2 * 1024 + 1 : 1 + 2, 1, 0);
	place_pinned_small(g, mv_end - 1, 1, 1, 0, false);

	/* LRU-NODE-MISMATCH (two nodes: node 0 below 4 GiB, node 1 from
	 * 4 GiB, memimage.c plan_zones()).  Lists of their own (heads in
	 * the pool), inactive anon, mapped once, not pinned.  Near miss:
	 * the last three pfns of node 0, all on node 0.  Fault: head <->
	 * A (node 0) <-> B (first pfn of node 1) <-> head: A.next and
	 * B.prev cross nodes, one finding at each page. */
	{
		const uint64_t n0_end = g->node[0].end;		/* 262144 */
		const uint64_t n1 = g->node[1].start;		/* 1048576 */
		uint64_t pf[3] = { n0_end - 3, n0_end - 2, n0_end - 1 };

		if (g->nr_nodes != 2 || n0_end != 8 * PAGES_PER_SECTION ||
		    n1 != 32 * PAGES_PER_SECTION)
			fatal("scenario bug: nodes are not 0..8, 32..36 sections");
		for (int i = 0; i < 3; i++)
			f_lru_page(g, pf[i], LRU_INACTIVE_ANON, 0);
		own_list(g, pf, 3);
		pf[0] = n0_end - 44;				/* 262100 */
		pf[1] = n1;
		f_lru_page(g, pf[0], LRU_INACTIVE_ANON, 0);
		f_lru_page(g, pf[1], LRU_INACTIVE_ANON, 0);
		own_list(g, pf, 2);
		add_finding(g, "LRU-NODE-MISMATCH", pf[0]);
		add_finding(g, "LRU-NODE-MISMATCH", pf[1]);
	}
}

/* Where the 4.19 eras keep pageblock bits (the usemap that
 * mem_section.pageblock_flags points at, most significant bit first;
 * struct mem_section_usage came in v5.3), rules.md's PIN-IN-CMA still
 * holds for a pin in a MIGRATE_CMA pageblock: 4.19-rfc1 has CONFIG_CMA,
 * so such a pin is expected to be reported.  pinscan (as of this writing)
 * reads pageblock bits only through mem_section.usage and misses it;
 * set this to false to expect what it does instead. */
const bool cma_rule_without_usage = true;

/* PIN-IN-MOVABLE and PIN-IN-CMA for every pin recorded (doc/rules.md: a
 * pinned page of any `how`, a folio judged by its head pfn), from the
 * zone spans and pageblock migratetypes the generator wrote. */
static void expect_placement(struct gen *g)
{
	for (size_t i = 0; i < g->nr_pins; i++) {
		uint64_t pfn = g->pins[i].pfn;

		if (pfn >= g->zone[Z_MOVABLE].start &&
		    pfn < g->zone[Z_MOVABLE].end)
			add_finding(g, "PIN-IN-MOVABLE", pfn);
		if (g->era->cma && g->pb_mt[pfn >> 9] == g->layout[L_MIGRATE_CMA] &&
		    (g->layout[L_USAGE_SIZE] || cma_rule_without_usage))
			add_finding(g, "PIN-IN-CMA", pfn);
	}
}


/* The owners scenario (pinscan's owners.c): tasks, mms, vmas, anon_vma
 * chains, a file and an io_uring context behind a few pinned pages, each
 * object in the pool at the offsets the era's own compiler gave it
 * (synthetic_owner_layout[]), and the owners pinscan must name in
 * expected.json. */
#define OL(i) ((uint64_t)g->olayout[i])
/* Where the owners scenario's VFIO container maps the anon vma. */
#define VFIO_IOVA 0x10000000ULL

static uint64_t obj_alloc(struct gen *g, long size)
{
	return dmap(g, pool_alloc(g, (uint64_t)size, 64));
}

/* The bytes of a pool object (direct map) or of the kernel image. */
static uint8_t *obj(struct gen *g, uint64_t va, uint64_t len)
{
	if (va >= START_KERNEL_MAP)
		return ktext_ptr(g, va, len);
	return phys_ptr(g, va - g->page_offset_base, len);
}

static void obj_put64(struct gen *g, uint64_t va, uint64_t off, uint64_t v)
{
	put64(obj(g, va + off, 8), 0, v);
}

static void obj_put32(struct gen *g, uint64_t va, uint64_t off, uint32_t v)
{
	put32(obj(g, va + off, 4), 0, v);
}

static uint64_t o_task(struct gen *g, uint64_t va, int pid, const char *comm,
		       uint64_t mm, uint64_t files)
{
	uint8_t *c;

	if (!va)
		va = obj_alloc(g, g->olayout[O_TASK_SIZE]);
	obj_put32(g, va, OL(O_TASK_PID), (uint32_t)pid);
	obj_put32(g, va, OL(O_TASK_TGID), (uint32_t)pid);
	c = obj(g, va + OL(O_TASK_COMM), 16);
	memset(c, 0, 16);
	memcpy(c, comm, strlen(comm) < 15 ? strlen(comm) : 15);
	obj_put64(g, va, OL(O_TASK_MM), mm);
	obj_put64(g, va, OL(O_TASK_FILES), files);
	if (mm && g->olayout[O_MM_OWNER] >= 0)
		obj_put64(g, mm, OL(O_MM_OWNER), va);
	return va;
}

/* init_task.tasks -> ... -> back, doubly linked. */
static void o_link_tasks(struct gen *g, const uint64_t *tasks, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t node = tasks[i] + OL(O_TASK_TASKS);

		obj_put64(g, node, 0, tasks[(i + 1) % n] + OL(O_TASK_TASKS));
		obj_put64(g, node, 8, tasks[(i + n - 1) % n] + OL(O_TASK_TASKS));
	}
}

static uint64_t o_vma(struct gen *g, uint64_t mm, uint64_t start,
		      uint64_t pages, uint64_t pgoff, uint64_t file)
{
	uint64_t va = obj_alloc(g, g->olayout[O_VMA_SIZE]);

	obj_put64(g, va, OL(O_VMA_START), start);
	obj_put64(g, va, OL(O_VMA_END), start + pages * PAGE_SIZE);
	obj_put64(g, va, OL(O_VMA_MM), mm);
	obj_put64(g, va, OL(O_VMA_FLAGS), 0x73);	/* rw, may*, no hugetlb */
	obj_put64(g, va, OL(O_VMA_PGOFF), pgoff);
	obj_put64(g, va, OL(O_VMA_FILE), file);
	return va;
}

/* An rb_node's children (its parent colour is not read). */
static void o_rb(struct gen *g, uint64_t node, uint64_t left, uint64_t right)
{
	obj_put64(g, node, OL(O_RB_LEFT), left);
	obj_put64(g, node, OL(O_RB_RIGHT), right);
}

static uint64_t o_avc(struct gen *g, uint64_t av, uint64_t vma)
{
	uint64_t va = obj_alloc(g, g->olayout[O_AVC_SIZE]);

	obj_put64(g, va, OL(O_AVC_VMA), vma);
	obj_put64(g, va, OL(O_AVC_AV), av);
	return va;
}

/* A pinned small page whose mapping and index the owners scenario sets. */
static void o_pinned(struct gen *g, uint64_t pfn, uint64_t mapping,
		     uint64_t index, int32_t mapcount_raw, char *owners_json)
{
	uint32_t mapped = mapcount_raw + 1 > 0 ? (uint32_t)mapcount_raw + 1 : 0;
	uint8_t *p;

	place_pinned_small(g, pfn, 1, mapped, mapcount_raw, false);
	p = spage(g, pfn);
	put64(p, 24, mapping);
	put64(p, 32, index);
	for (size_t i = 0; i < g->nr_pins; i++)
		if (g->pins[i].pfn == pfn)
			g->pins[i].owners_json = owners_json;
}

/* The io_mapped_ubuf at imu: one bvec over one page at user address
 * uaddr, inside it (from v5.14) or its own array (before); is_kbuf set (a
 * driver's kernel buffer) when kbuf. */
static void o_imu_fill(struct gen *g, uint64_t imu, uint64_t pfn,
		       uint64_t uaddr, bool kbuf)
{
	uint64_t bv = imu + OL(O_IMU_BVEC);

	if (g->olayout[O_IMU_BVEC_PTR]) {
		bv = obj_alloc(g, g->olayout[O_BV_SIZE]);
		obj_put64(g, imu, OL(O_IMU_BVEC), bv);
	}
	obj_put64(g, imu, OL(O_IMU_UBUF), uaddr);
	obj_put32(g, imu, OL(O_IMU_NR_BVECS), 1);
	if (kbuf)
		*obj(g, imu + OL(O_IMU_IS_KBUF), 1) = 1;
	obj_put64(g, bv, OL(O_BV_PAGE), spage_va(g, pfn));
	obj_put32(g, bv, OL(O_BV_LEN), PAGE_SIZE);
	obj_put32(g, bv, OL(O_BV_OFFSET), 0);
}

static uint64_t o_imu(struct gen *g, uint64_t pfn, uint64_t uaddr, bool kbuf)
{
	uint64_t imu = obj_alloc(g, g->olayout[O_IMU_SIZE] +
				 g->olayout[O_BV_SIZE]);

	o_imu_fill(g, imu, pfn, uaddr, kbuf);
	return imu;
}

/* Up to v6.12: ctx->user_bufs[2], the shared page and the ring's page:
 * pointers to io_mapped_ubufs, or before v5.14 the structs themselves.
 * Returns the ring page's buffer index. */
static unsigned o_ring_user_bufs(struct gen *g, uint64_t ctx,
				 uint64_t p_shared, uint64_t shared_uaddr,
				 uint64_t p_ring, uint64_t ring_uaddr)
{
	uint64_t bufs;

	if (g->olayout[O_IMU_BVEC_PTR]) {
		bufs = obj_alloc(g, 2 * g->olayout[O_IMU_SIZE]);
		o_imu_fill(g, bufs, p_shared, shared_uaddr, false);
		o_imu_fill(g, bufs + OL(O_IMU_SIZE), p_ring, ring_uaddr, false);
	} else {
		bufs = obj_alloc(g, 2 * 8);
		obj_put64(g, bufs, 0, o_imu(g, p_shared, shared_uaddr, false));
		obj_put64(g, bufs, 8, o_imu(g, p_ring, ring_uaddr, false));
	}
	obj_put64(g, ctx, OL(O_CTX_USER_BUFS), bufs);
	obj_put32(g, ctx, OL(O_CTX_NR_USER_BUFS), 2);
	return 1;
}

/* v6.13+: ctx->buf_table.data.nodes[4] of io_rsrc_nodes: the shared
 * page, an empty slot (a sparse registration), the ring's page, and a
 * driver's kernel buffer (is_kbuf) over the unmapped driver page: not a
 * pin of io_uring's, so that page must have no holder (a near miss).
 * Returns the ring page's buffer index. */
static unsigned o_ring_buf_table(struct gen *g, uint64_t ctx,
				 uint64_t p_shared, uint64_t shared_uaddr,
				 uint64_t p_ring, uint64_t ring_uaddr,
				 uint64_t p_driver)
{
	uint64_t nodes = obj_alloc(g, 4 * 8);
	const uint64_t imus[4] = {
		o_imu(g, p_shared, shared_uaddr, false), 0,
		o_imu(g, p_ring, ring_uaddr, false),
		o_imu(g, p_driver, 0, true),
	};

	obj_put64(g, ctx, OL(O_CTX_BUF_NODES), nodes);
	obj_put32(g, ctx, OL(O_CTX_BUF_NR), 4);
	for (int i = 0; i < 4; i++) {
		uint64_t node;

		if (!imus[i])
			continue;
		node = obj_alloc(g, g->olayout[O_NODE_SIZE]);
		*obj(g, node + OL(O_NODE_TYPE), 1) = 1;	/* IORING_RSRC_BUFFER */
		obj_put64(g, node, OL(O_NODE_BUF), imus[i]);
		obj_put64(g, nodes, 8 * i, node);
	}
	return 2;
}

/* A vfio_dma of task's process: user [vaddr, + pages) at iova. */
static uint64_t o_vfio_dma(struct gen *g, uint64_t task, uint64_t vaddr,
			   uint64_t pages, uint64_t iova, bool vaddr_invalid)
{
	uint64_t dma = obj_alloc(g, g->olayout[O_DMA_SIZE]);

	obj_put64(g, dma, OL(O_DMA_IOVA), iova);
	obj_put64(g, dma, OL(O_DMA_VADDR), vaddr);
	obj_put64(g, dma, OL(O_DMA_LEN), pages * PAGE_SIZE);
	obj_put64(g, dma, OL(O_DMA_TASK), task);
	if (vaddr_invalid)
		*obj(g, dma + OL(O_DMA_VADDR_INVALID), 1) = 1;
	return dma + OL(O_DMA_NODE);
}

/* A VFIO container file whose iommu driver has ops `ops`, its
 * vfio_iommu's dma_list the tree of three nodes left <- root -> right. */
static uint64_t o_vfio_container(struct gen *g, uint64_t ops, uint64_t left,
				 uint64_t root, uint64_t right)
{
	uint64_t file = obj_alloc(g, g->olayout[O_FILE_SIZE]);
	uint64_t container = obj_alloc(g, g->olayout[O_VC_SIZE]);
	uint64_t driver = obj_alloc(g, g->olayout[O_VID_SIZE]);
	uint64_t iommu = obj_alloc(g, g->olayout[O_VI_SIZE]);

	obj_put64(g, file, OL(O_FILE_F_OP), sym_rt(g, "vfio_fops"));
	obj_put64(g, file, OL(O_FILE_PRIVATE), container);
	obj_put64(g, container, OL(O_VC_IOMMU_DRIVER), driver);
	obj_put64(g, container, OL(O_VC_IOMMU_DATA), iommu);
	obj_put64(g, driver, OL(O_VID_OPS), ops);
	obj_put64(g, iommu, OL(O_VI_DMA_LIST), root);
	o_rb(g, root, left, right);
	if (left)
		o_rb(g, left, 0, 0);
	if (right)
		o_rb(g, right, 0, 0);
	return file;
}

/* mm/ksm.c: an rmap_item's address carries STABLE_FLAG (and a scan
 * sequence number, SEQNR_MASK) in its low bits while it hangs off a
 * stable node; a chain head's rmap_hlist_len is STABLE_NODE_CHAIN. */
#define KSM_STABLE_FLAG 0x200
#define KSM_STABLE_NODE_CHAIN (-1024)

static uint64_t o_ksm_node(struct gen *g, int32_t hlist_len)
{
	uint64_t va = obj_alloc(g, g->olayout[O_KSM_NODE_SIZE]);

	obj_put32(g, va, OL(O_KSM_NODE_HLIST_LEN), (uint32_t)hlist_len);
	return va;
}

/* An rmap_item of a stable node, for mm at addr. */
static uint64_t o_ksm_item(struct gen *g, uint64_t node, uint64_t mm,
			   uint64_t addr)
{
	uint64_t va = obj_alloc(g, g->olayout[O_KSM_ITEM_SIZE]);

	obj_put64(g, va, OL(O_KSM_ITEM_MM), mm);
	obj_put64(g, va, OL(O_KSM_ITEM_ADDRESS), addr | KSM_STABLE_FLAG | 0x17);
	obj_put64(g, va, OL(O_KSM_ITEM_HEAD), node);
	return va;
}

/* A stable node with hlist_len in rmap_hlist_len listing two rmap_items,
 * (mm0, addr0) then (mm1, addr1), linked as hlist_add_head leaves them
 * (next and pprev). foreign: the second item's head is another node (an
 * rmap_item of that one); loop: the second item's next is the first's
 * hlist node (a list that never ends). */
struct ksm_pair {
	uint64_t node, items[2], other;
};

static struct ksm_pair o_ksm_pair(struct gen *g, int32_t hlist_len,
				  uint64_t mm0, uint64_t addr0, uint64_t mm1,
				  uint64_t addr1, bool foreign, bool loop)
{
	struct ksm_pair kp = { .node = o_ksm_node(g, hlist_len) };
	uint64_t pprev = kp.node + OL(O_KSM_NODE_HLIST);

	kp.other = foreign ? o_ksm_node(g, 1) : kp.node;
	kp.items[0] = o_ksm_item(g, kp.node, mm0, addr0);
	kp.items[1] = o_ksm_item(g, kp.other, mm1, addr1);
	obj_put64(g, kp.node, OL(O_KSM_NODE_HLIST), kp.items[0] + OL(O_KSM_ITEM_HLIST));
	for (size_t i = 0; i < 2; i++) {
		uint64_t hn = kp.items[i] + OL(O_KSM_ITEM_HLIST);
		uint64_t next = !i ? kp.items[1] + OL(O_KSM_ITEM_HLIST) :
			loop ? kp.items[0] + OL(O_KSM_ITEM_HLIST) : 0;

		obj_put64(g, hn, 0, next);
		obj_put64(g, hn, 8, pprev);
		pprev = hn;
	}
	return kp;
}

/* The owners JSON of a KSM page both the parent and the child map. */
static char *ksm_both_json(uint64_t at_parent, uint64_t at_child,
			   const char *note)
{
	return xasprintf("\"owners\": [{\"pid\": 100, \"comm\": \"parent\", \"vaddr\": %llu, \"kind\": \"ksm\"}, "
			 "{\"pid\": 101, \"comm\": \"child\", \"vaddr\": %llu, \"kind\": \"ksm\"}], "
			 "\"holders\": [], \"owner_note\": \"%s\"",
			 (unsigned long long)at_parent,
			 (unsigned long long)at_child, note);
}

/* KSM pages: one merged from the parent's and the child's memory (two
 * rmap_items, different addresses, one stable node: both named, kind
 * "ksm"); one whose rmap_items loop (owner unknown, no hang); one whose
 * mapping points at a stable node chain head, which no page's does; one
 * whose list holds another node's rmap_item (the child's, which must not
 * be named); one whose rmap_hlist_len counts an item its list lacks. The
 * last four say "owner unknown", never guess. mm_a is the parent's (pid
 * 100), mm_b the child's (101). */
static void place_ksm_owners(struct gen *g, uint64_t mm_a, uint64_t mm_b)
{
	const uint64_t s1 = PAGES_PER_SECTION;
	const uint64_t p_ksm = s1 + 405, p_loop = s1 + 406, p_chain = s1 + 407,
		p_foreign = s1 + 408, p_short = s1 + 409;
	const uint64_t at_parent = 0x7f5000003000ULL, at_child = 0x7f5800007000ULL;
	struct ksm_pair kp;
	char note[200];

	kp = o_ksm_pair(g, 2, mm_b, at_child, mm_a, at_parent, false, false);
	o_pinned(g, p_ksm, kp.node | 3, at_parent >> 12, 1,
		 ksm_both_json(at_parent, at_child, ""));

	kp = o_ksm_pair(g, 2, mm_a, at_parent + 0x10000, mm_b,
			at_child + 0x10000, false, true);
	snprintf(note, sizeof(note),
		 "owner unknown: KSM stable node %#llx: its rmap_items reach %#llx twice (a cycle) (owners listed are those read before)",
		 (unsigned long long)kp.node,
		 (unsigned long long)(kp.items[0] + OL(O_KSM_ITEM_HLIST)));
	o_pinned(g, p_loop, kp.node | 3, 0, 1,
		 ksm_both_json(at_parent + 0x10000, at_child + 0x10000, note));

	kp.node = o_ksm_node(g, KSM_STABLE_NODE_CHAIN);
	o_pinned(g, p_chain, kp.node | 3, 0, 0,
		 xasprintf("\"owners\": [], \"holders\": [], "
			   "\"owner_note\": \"owner unknown: KSM stable node %#llx has rmap_hlist_len -1024\"",
			   (unsigned long long)kp.node));

	kp = o_ksm_pair(g, 2, mm_a, at_parent + 0x20000, mm_b,
			at_child + 0x20000, true, false);
	o_pinned(g, p_foreign, kp.node | 3, 0, 1,
		 xasprintf("\"owners\": [{\"pid\": 100, \"comm\": \"parent\", \"vaddr\": %llu, \"kind\": \"ksm\"}], "
			   "\"holders\": [], "
			   "\"owner_note\": \"owner unknown: KSM rmap_item %#llx is not one of stable node %#llx's (head %#llx,\"",
			   (unsigned long long)(at_parent + 0x20000),
			   (unsigned long long)kp.items[1],
			   (unsigned long long)kp.node,
			   (unsigned long long)kp.other));

	kp = o_ksm_pair(g, 3, mm_a, at_parent + 0x30000, mm_b,
			at_child + 0x30000, false, false);
	snprintf(note, sizeof(note),
		 "owner unknown: KSM stable node %#llx links 2 rmap_items, its rmap_hlist_len says 3 (owners listed are those read before)",
		 (unsigned long long)kp.node);
	o_pinned(g, p_short, kp.node | 3, 0, 2,
		 ksm_both_json(at_parent + 0x30000, at_child + 0x30000, note));
}

static void place_owners(struct gen *g)
{
	const uint64_t s1 = PAGES_PER_SECTION;
	const uint64_t p_shared = s1 + 400, p_file = s1 + 401,
		p_driver = s1 + 402, p_broken = s1 + 403, p_ring = s1 + 404;
	const uint64_t anon_start = 0x7f0000000000ULL, ring_start = 0x7f3000000000ULL;
	const uint64_t f1_start = 0x7f1000000000ULL, f2_start = 0x7f2000000000ULL;
	const uint32_t dev = (8u << 20) | 1;	/* sda1 */
	const int parent = 100, child = 101;
	uint64_t init_task = sym_rt(g, "init_task");
	uint64_t mm_a = obj_alloc(g, g->olayout[O_MM_SIZE]);
	uint64_t mm_b = obj_alloc(g, g->olayout[O_MM_SIZE]);
	uint64_t files_a = obj_alloc(g, g->olayout[O_FILES_SIZE]);
	uint64_t files_b = obj_alloc(g, g->olayout[O_FILES_SIZE]);
	uint64_t tasks[4];

	if (g->era->pin == PIN_RFC)
		fatal("the owners scenario needs a FOLL_PIN era");
	/* Tasks: init_task (pid 0, no mm), a kernel thread (no mm), the
	 * parent and the child it forked. */
	tasks[0] = o_task(g, init_task, 0, "swapper/0", 0, 0);
	tasks[1] = o_task(g, 0, 2, "kthreadd", 0, 0);
	tasks[2] = o_task(g, 0, parent, "parent", mm_a, files_a);
	tasks[3] = o_task(g, 0, child, "child", mm_b, files_b);
	o_link_tasks(g, tasks, 4);

	/* A shared anon page after fork: one anon_vma, two chains (the
	 * parent's vma and the child's copy, same addresses), and a third
	 * vma of the parent's on it that does not cover the page (a near
	 * miss: it must not be named). */
	{
		uint64_t va_a = o_vma(g, mm_a, anon_start, 16, anon_start >> 12, 0);
		uint64_t va_b = o_vma(g, mm_b, anon_start, 16, anon_start >> 12, 0);
		uint64_t va_far = o_vma(g, mm_a, anon_start + 0x100000, 4,
					(anon_start + 0x100000) >> 12, 0);
		uint64_t av = obj_alloc(g, g->olayout[O_AV_SIZE]);
		uint64_t c_a = o_avc(g, av, va_a), c_b = o_avc(g, av, va_b);
		uint64_t c_far = o_avc(g, av, va_far);

		obj_put64(g, av, OL(O_AV_ROOT), av);
		obj_put64(g, av, OL(O_AV_RB_ROOT), c_a + OL(O_AVC_RB));
		o_rb(g, c_a + OL(O_AVC_RB), c_far + OL(O_AVC_RB), c_b + OL(O_AVC_RB));
		o_pinned(g, p_shared, av | 1, (anon_start >> 12) + 3, 1,
			 xasprintf("\"owners\": [{\"pid\": %d, \"comm\": \"parent\", \"vaddr\": %llu, \"kind\": \"anon\"}, "
				   "{\"pid\": %d, \"comm\": \"child\", \"vaddr\": %llu, \"kind\": \"anon\"}], "
				   "\"holders\": [{\"kind\": \"io_uring\", \"pid\": %d, \"comm\": \"parent\", \"fd\": 5, \"index\": 0, \"uaddr\": %llu}, "
				   "{\"kind\": \"vfio\", \"pid\": %d, \"comm\": \"parent\", \"fd\": 7, \"index\": 0, \"uaddr\": %llu, \"iova\": %llu}], "
				   "\"owner_note\": \"\"",
				   parent, (unsigned long long)(anon_start + 3 * PAGE_SIZE),
				   child, (unsigned long long)(anon_start + 3 * PAGE_SIZE),
				   parent, (unsigned long long)(anon_start + 3 * PAGE_SIZE),
				   parent, (unsigned long long)(anon_start + 3 * PAGE_SIZE),
				   (unsigned long long)(VFIO_IOVA + 3 * PAGE_SIZE)));
	}

	/* A file page mapped twice (the parent at pgoff 0, the child at
	 * pgoff 4), and a third vma of the file that does not cover it. */
	{
		uint64_t sb = obj_alloc(g, g->olayout[O_SB_SIZE]);
		uint64_t inode = obj_alloc(g, g->olayout[O_INODE_SIZE]);
		uint64_t dentry = obj_alloc(g, g->olayout[O_DENTRY_SIZE]);
		uint64_t name = obj_alloc(g, 16);
		uint64_t as = obj_alloc(g, g->olayout[O_AS_SIZE]);
		uint64_t file = obj_alloc(g, g->olayout[O_FILE_SIZE]);
		uint64_t f1 = o_vma(g, mm_a, f1_start, 16, 0, file);
		uint64_t f2 = o_vma(g, mm_b, f2_start, 8, 4, file);
		uint64_t f3 = o_vma(g, mm_a, f1_start + 0x100000, 4, 100, file);

		obj_put32(g, sb, OL(O_SB_DEV), dev);
		obj_put64(g, inode, OL(O_INODE_SB), sb);
		obj_put64(g, inode, OL(O_INODE_INO), 4242);
		obj_put64(g, inode, OL(O_INODE_DENTRY), dentry + OL(O_DENTRY_ALIAS));
		memcpy(obj(g, name, 9), "data.bin", 9);
		obj_put64(g, dentry, OL(O_DENTRY_NAME), name);
		obj_put64(g, as, OL(O_AS_HOST), inode);
		obj_put64(g, as, OL(O_AS_I_MMAP), f1 + OL(O_VMA_SHARED_RB));
		o_rb(g, f1 + OL(O_VMA_SHARED_RB), f3 + OL(O_VMA_SHARED_RB),
		     f2 + OL(O_VMA_SHARED_RB));
		o_pinned(g, p_file, as, 5, 1,
			 xasprintf("\"owners\": [{\"pid\": %d, \"comm\": \"parent\", \"vaddr\": %llu, \"kind\": \"file\", \"inode\": 4242, \"dev\": %u, \"name\": \"data.bin\"}, "
				   "{\"pid\": %d, \"comm\": \"child\", \"vaddr\": %llu, \"kind\": \"file\", \"inode\": 4242, \"dev\": %u, \"name\": \"data.bin\"}], "
				   "\"holders\": [], \"owner_note\": \"\"",
				   parent, (unsigned long long)(f1_start + 5 * PAGE_SIZE), dev,
				   child, (unsigned long long)(f2_start + 1 * PAGE_SIZE), dev));
	}

	/* A driver's page: pinned, mapped by nobody (mapping NULL). */
	o_pinned(g, p_driver, 0, 0, -1,
		 xasprintf("\"owners\": [], \"holders\": [], \"owner_note\": \"mapped by nobody: mapping NULL\""));

	/* A broken anon_vma chain: the tree's root node is its own left
	 * child. pinscan must stop, name no owner and say why. */
	{
		uint64_t va_x = o_vma(g, mm_a, anon_start + 0x200000, 4,
				      (anon_start + 0x200000) >> 12, 0);
		uint64_t av = obj_alloc(g, g->olayout[O_AV_SIZE]);
		uint64_t c = o_avc(g, av, va_x);

		obj_put64(g, av, OL(O_AV_ROOT), av);
		obj_put64(g, av, OL(O_AV_RB_ROOT), c + OL(O_AVC_RB));
		o_rb(g, c + OL(O_AVC_RB), c + OL(O_AVC_RB), 0);
		o_pinned(g, p_broken, av | 1, (anon_start + 0x200000) >> 12, 0,
			 xasprintf("\"owners\": [], \"holders\": [], \"owner_note\": \"owner unknown: the interval tree reaches node\""));
	}

	/* A private hugetlb page (order 9), the second of its vma: its
	 * index counts huge pages where the kernel has
	 * hugetlb_basepage_index() (the 6.1 era), base pages otherwise
	 * (6.12). Read in the wrong unit, no vma would cover it. */
	{
		const uint64_t head = s1 + 1024, start = 0x7f4000000000ULL;
		uint64_t pgoff = start >> 12, index = pgoff + 512;
		uint64_t vma = o_vma(g, mm_a, start, 1024, pgoff, 0);
		uint64_t av = obj_alloc(g, g->olayout[O_AV_SIZE]);
		uint64_t c = o_avc(g, av, vma);

		obj_put64(g, vma, OL(O_VMA_FLAGS), 0x73 | 0x00400000);	/* VM_HUGETLB */
		obj_put64(g, av, OL(O_AV_ROOT), av);
		obj_put64(g, av, OL(O_AV_RB_ROOT), c + OL(O_AVC_RB));
		if (sym_find(g, "hugetlb_basepage_index") ||
		    sym_find(g, "__basepage_index"))
			index >>= 9;
		place_folio(g, head, 9, true, -1, 1, 3, 0, 1);
		put64(spage(g, head), 24, av | 1);
		put64(spage(g, head), 32, index);
		for (size_t i = 0; i < g->nr_pins; i++)
			if (g->pins[i].pfn == head)
				g->pins[i].owners_json = xasprintf(
					"\"owners\": [{\"pid\": %d, \"comm\": \"parent\", \"vaddr\": %llu, \"kind\": \"anon\"}], "
					"\"holders\": [], \"owner_note\": \"\"",
					parent, (unsigned long long)(start + 0x200000));
	}

	/* The parent's io_uring: fd 5 is the ring, fd 3 an ordinary file
	 * whose private_data points at the same context (a near miss: only
	 * f_op == io_uring_fops makes a holder). Buffer 0 is the shared
	 * page, the last one a page of the parent's alone. */
	{
		uint64_t fdt = obj_alloc(g, g->olayout[O_FDT_SIZE]);
		uint64_t fds = obj_alloc(g, 8 * 8);
		uint64_t ring = obj_alloc(g, g->olayout[O_FILE_SIZE]);
		uint64_t other = obj_alloc(g, g->olayout[O_FILE_SIZE]);
		uint64_t ctx = obj_alloc(g, g->olayout[O_CTX_SIZE]);
		uint64_t fdt_b = obj_alloc(g, g->olayout[O_FDT_SIZE]);
		uint64_t va_r = o_vma(g, mm_a, ring_start, 1, ring_start >> 12, 0);
		uint64_t av = obj_alloc(g, g->olayout[O_AV_SIZE]);
		uint64_t c = o_avc(g, av, va_r);
		unsigned ring_index;

		obj_put64(g, av, OL(O_AV_ROOT), av);
		obj_put64(g, av, OL(O_AV_RB_ROOT), c + OL(O_AVC_RB));
		obj_put64(g, files_a, OL(O_FILES_FDT), fdt);
		obj_put32(g, fdt, OL(O_FDT_MAX_FDS), 8);
		obj_put64(g, fdt, OL(O_FDT_FD), fds);
		obj_put64(g, fds, 3 * 8, other);
		obj_put64(g, fds, 5 * 8, ring);
		obj_put64(g, other, OL(O_FILE_F_OP), sym_rt(g, "synthetic_other_fops"));
		obj_put64(g, other, OL(O_FILE_PRIVATE), ctx);
		obj_put64(g, ring, OL(O_FILE_F_OP), sym_rt(g, "io_uring_fops"));
		obj_put64(g, ring, OL(O_FILE_PRIVATE), ctx);
		if (g->olayout[O_CTX_USER_BUFS] >= 0)
			ring_index = o_ring_user_bufs(g, ctx, p_shared,
						      anon_start + 3 * PAGE_SIZE,
						      p_ring, ring_start);
		else
			ring_index = o_ring_buf_table(g, ctx, p_shared,
						      anon_start + 3 * PAGE_SIZE,
						      p_ring, ring_start,
						      p_driver);
		/* The parent's VFIO containers. fd 7, type1: the first 16
		 * pages of the anon vma at VFIO_IOVA (the shared page is one:
		 * a holder of the parent's only, though the child maps it at
		 * the same address); the child's file mapping's addresses in
		 * the parent's process (no pin of the parent's is there: a
		 * near miss); the ring page's address with its vaddr_invalid
		 * (being replaced: a near miss). fd 6, another iommu driver
		 * over the hugetlb page's address: not type1's, not read. */
		obj_put64(g, fds, 7 * 8, o_vfio_container(g,
			sym_rt(g, "vfio_iommu_driver_ops_type1"),
			o_vfio_dma(g, tasks[2], anon_start, 16, VFIO_IOVA, false),
			o_vfio_dma(g, tasks[2], f2_start, 8, VFIO_IOVA + 0x100000,
				   false),
			o_vfio_dma(g, tasks[2], ring_start, 1,
				   VFIO_IOVA + 0x200000, true)));
		obj_put64(g, fds, 6 * 8, o_vfio_container(g,
			sym_rt(g, "synthetic_other_iommu_ops"), 0,
			o_vfio_dma(g, tasks[2], 0x7f4000000000ULL, 1024,
				   VFIO_IOVA + 0x400000, false), 0));
		/* The child's file table is empty. */
		obj_put64(g, files_b, OL(O_FILES_FDT), fdt_b);
		o_pinned(g, p_ring, av | 1, ring_start >> 12, 0,
			 xasprintf("\"owners\": [{\"pid\": %d, \"comm\": \"parent\", \"vaddr\": %llu, \"kind\": \"anon\"}], "
				   "\"holders\": [{\"kind\": \"io_uring\", \"pid\": %d, \"comm\": \"parent\", \"fd\": 5, \"index\": %u, \"uaddr\": %llu}], "
				   "\"owner_note\": \"\"",
				   parent, (unsigned long long)ring_start,
				   parent, ring_index,
				   (unsigned long long)ring_start));
	}
	place_ksm_owners(g, mm_a, mm_b);
}

/* What `make sample` shows: who holds pins (the owners scenario) and
 * what is broken (the faults, past the owners' hugetlb folio). */
static void place_sample(struct gen *g)
{
	place_owners(g);
	place_faults_at(g, 1 * PAGES_PER_SECTION + 2024);
}

void scen_place(struct gen *g)
{
	if (g->scenario == SCEN_MIXED)
		place_mixed(g);
	else if (g->scenario == SCEN_FAULTS)
		place_faults(g);
	else if (g->scenario == SCEN_ZONES)
		place_zones(g);
	else if (g->scenario == SCEN_OWNERS)
		place_owners(g);
	else if (g->scenario == SCEN_SAMPLE)
		place_sample(g);
	else
		place_bench(g);
	expect_placement(g);
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

/* Severity of a rule, as doc/rules.md gives it: FOLL-PIN-ON-LRU is info,
 * PIN-IN-MOVABLE and PIN-IN-CMA are warnings, all others errors.  Written
 * into expected.json because tests/compare.py compares info findings only
 * when expected.json lists one with "severity": "info". */
static const char *rule_severity(const char *rule)
{
	if (!strcmp(rule, "FOLL-PIN-ON-LRU"))
		return "info";
	if (!strcmp(rule, "PIN-IN-MOVABLE") || !strcmp(rule, "PIN-IN-CMA") ||
	    !strcmp(rule, "PIN-ACCOUNTING-MISMATCH"))
		return "warning";
	return "error";
}

static int cmp_pin(const void *a, const void *b)
{
	const struct pin_entry *x = a, *y = b;

	return x->pfn < y->pfn ? -1 : x->pfn > y->pfn;
}

/* summary.pin_accounting: the counters as written (null where the era
 * has none) and decoded = the pincounts of the pins expected (those on
 * missing struct pages are not seen). */
static int64_t write_pin_accounting(const struct gen *g, const bool *keep,
				    FILE *f)
{
	int64_t decoded = 0;

	for (size_t i = 0; i < g->nr_pins; i++)
		if (keep[i])
			decoded += g->pins[i].pincount;
	if (g->acct_written)
		fprintf(f, "              \"pin_accounting\": {\"state\": \"read\", "
			"\"acquired\": %lld, \"released\": %lld, "
			"\"outstanding\": %lld, \"decoded\": %lld},\n",
			(long long)g->acct_acquired, (long long)g->acct_released,
			(long long)(g->acct_acquired - g->acct_released),
			(long long)decoded);
	else
		fprintf(f, "              \"pin_accounting\": {\"state\": \"no-counters\", "
			"\"acquired\": null, \"released\": null, "
			"\"outstanding\": null, \"decoded\": %lld},\n",
			(long long)decoded);
	return decoded;
}

void scen_write_expected(struct gen *g, const char *path)
{
	uint64_t sum[8];
	bool *keep;
	FILE *f;
	bool first = true;
	int64_t decoded;

	qsort(g->pins, g->nr_pins, sizeof(*g->pins), cmp_pin);
	keep = xcalloc(g->nr_pins, sizeof(bool));
	scen_summary(g, sum, keep);

	f = fopen(path, "w");
	if (!f)
		fatal("open %s: %s", path, strerror(errno));
	fprintf(f, "{\n  \"kernel\": \"%s\",\n", g->era->release);
	if (g->era->rfc_pin_bit)
		fprintf(f, "  \"rfc_pin_bit\": %d,\n", g->era->rfc_pin_bit);
	fprintf(f, "  \"summary\": {\n");
	decoded = write_pin_accounting(g, keep, f);
	fprintf(f, "              \"pages\": %llu, \"missing\": %llu, "
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
			"\"confidence\": \"%s\"%s%s}",
			first ? "" : ",", (unsigned long long)p->pfn,
			(unsigned long long)p->nr_pages, p->how,
			(long long)p->pincount, p->confidence,
			p->owners_json ? ", " : "",
			p->owners_json ? p->owners_json : "");
		first = false;
	}
	fprintf(f, "%s],\n  \"findings\": [", first ? "" : "\n  ");
	first = true;
	for (size_t i = 0; i < g->nr_findings; i++) {
		if (pfn_is_missing(g, g->findings[i].pfn))
			continue;
		fprintf(f, "%s\n    {\"rule\": \"%s\", \"pfn\": %llu, "
			"\"severity\": \"%s\"}",
			first ? "" : ",", g->findings[i].rule,
			(unsigned long long)g->findings[i].pfn,
			rule_severity(g->findings[i].rule));
		first = false;
	}
	/* The dump-wide accounting rule, at pfn 0. */
	if (g->acct_written &&
	    decoded != g->acct_acquired - g->acct_released) {
		fprintf(f, "%s\n    {\"rule\": \"PIN-ACCOUNTING-MISMATCH\", "
			"\"pfn\": 0, \"severity\": \"warning\"}",
			first ? "" : ",");
		first = false;
	}
	fprintf(f, "%s]\n}\n", first ? "" : "\n  ");
	if (fclose(f))
		fatal("write %s: %s", path, strerror(errno));
	free(keep);
}
