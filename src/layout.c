#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf_layout.h"
#include "dwarf_layout.h"
#include "layout.h"

/* x86-64 constants every supported kernel shares: PAGE_SIZE, and
 * SECTION_SIZE_BITS (arch/x86/include/asm/sparsemem.h, 27 since sparsemem
 * came to x86-64 in v2.6.16); MAX_PHYSMEM_BITS is 46 (4-level) or 52
 * (5-level), 44 before v2.6.31. */
#define X86_64_PAGE_SIZE 4096
#define X86_64_SECTION_SIZE_BITS 27
#define MIN_PHYSMEM_BITS 36
#define MAX_PHYSMEM_BITS_LIMIT 52
#define MAX_STRUCT_PAGE_SIZE 512
/* enum node_stat_item: 47 items in 6.12; a bound for what a layout says. */
#define MAX_NODE_STAT_ITEMS 1024

/* What the flags and page types mean, and the pin bias, live in
 * pageflags.c; this file only knows where things are. */

static struct field field_at(uint32_t off, uint32_t size)
{
	struct field f = { .present = true, .off = off, .size = size };

	return f;
}

static struct field member(const struct dw_struct *s, const char *name)
{
	const struct dw_member *m = dw_struct_member(s, name);
	struct field none = { 0 };

	return m ? field_at(m->off, m->size) : none;
}

/* Members of struct page that describe a tail page live at the same
 * offset in page[1] or page[2]: shift them to be relative to the head. */
static struct field in_tail(struct field f, unsigned index,
			    uint32_t struct_page_size)
{
	if (f.present)
		f.off += index * struct_page_size;
	return f;
}

void layout_init(struct page_layout *pl)
{
	memset(pl, 0, sizeof(*pl));
	pl->page_size = 4096;
	pl->list_next_off = 0;
	pl->list_prev_off = 8;
	pl->rfc_pin_mask = 0x2;
	pageflags_init(&pl->pf);
	/* x86-64 SECTION_SIZE_BITS is 27 in every kernel pinscan supports;
	 * MAX_PHYSMEM_BITS 46 with 4-level paging. VMCOREINFO overrides. */
	pl->section_size_bits = 27;
	pl->max_physmem_bits = 46;
	pl->mem_section_size = 16;
	/* SECTION_HAS_MEM_MAP has been bit 1 since v2.6.13. Up to v5.2 the
	 * flag bits ended at 3 (SECTION_MAP_LAST_BIT = 1 << 3), from v5.3
	 * (commit 326e1b8f83a4, "mm/sparsemem: introduce a SECTION_IS_EARLY
	 * flag") at 4; clearing 5 bits is right for both since the encoded
	 * mem_map is at least 64-byte aligned. */
	pl->section_has_mem_map = 1u << 1;
	pl->section_map_mask = ~((1ull << 5) - 1);
	pl->sparsemem_extreme = -1;
	pl->zone_movable = pl->migrate_cma = -1;
	pl->nr_foll_pin_acquired = pl->nr_foll_pin_released = -1;
	/* x86-64 pageblock_order = HUGETLB_PAGE_ORDER = PMD_SHIFT - PAGE_SHIFT
	 * (a #define, absent from DWARF); NR_PAGEBLOCK_BITS = 4. */
	pl->pageblock_order = 9;
	pl->nr_pageblock_bits = 4;
}

static void resolve_flags(struct page_layout *pl, const struct dw_facts *f)
{
	int i;

	for (i = 0; i < f->pageflags.n; i++)
		pageflags_add_enumerator(&pl->pf, f->pageflags.e[i].name,
					 f->pageflags.e[i].val);
	for (i = 0; i < f->pagetype.n; i++)
		pageflags_add_pagetype(&pl->pf, f->pagetype.e[i].name,
				       f->pagetype.e[i].val);
}

/* Where a compound page's order is kept. */
static void resolve_order(struct page_layout *pl, const struct dw_facts *f)
{
	uint32_t sps = pl->struct_page_size;
	struct field fo;

	/* Up to v6.2: page[1].compound_order. */
	fo = member(&f->page, "compound_order");
	if (fo.present) {
		pl->order_kind = ORDER_BYTE;
		pl->order = in_tail(fo, 1, sps);
	} else if ((fo = member(&f->folio, "_folio_order")).present) {
		/* v6.3 (commit 1c5509be58f6, "mm: remove 'First tail page'
		 * members from struct page") to v6.5: only folio->_folio_order
		 * (already from the head) names it. */
		pl->order_kind = ORDER_BYTE;
		pl->order = fo;
	} else if ((fo = member(&f->folio, "_flags_1")).present) {
		/* v6.6 (commit ebc1baf5c9b4, "mm: free up a word in the first
		 * tail page"): the order is the low byte of _flags_1. */
		pl->order_kind = ORDER_FLAGS_1_LOW_BYTE;
		pl->order = fo;
	}
	fo = member(&f->page, "compound_nr");
	if (fo.present)
		pl->nr_pages = in_tail(fo, 1, sps);
	else if ((fo = member(&f->folio, "_folio_nr_pages")).present)
		pl->nr_pages = fo;
	else
		/* v6.15 (commit 4996fc547f5b, "mm: let _folio_nr_pages
		 * overlay memcg_data in first tail page", in David
		 * Hildenbrand's series "mm: MM owner tracking for large
		 * folios (!hugetlb) + CONFIG_NO_PAGE_MAPCOUNT"): renamed
		 * _nr_pages, moved to the end of page[1], where
		 * page[1].memcg_data would be. */
		pl->nr_pages = member(&f->folio, "_nr_pages");
	/* v6.15 (commit 6af8cb80d3a9, "mm/rmap: basic MM owner tracking for
	 * large folios (!hugetlb)", added folio->_mm_ids; the same series
	 * brought "mm: CONFIG_NO_PAGE_MAPCOUNT to prepare for not maintain
	 * per-page mapcounts in large folios"): a kernel of this
	 * layout may keep no per-page _mapcount in a large folio (each page's
	 * stays -1). Its mappings are then only in folio->_large_mapcount,
	 * which both configurations maintain; pinscan reads that for heads so
	 * that the refcount-bias confidence and MAPCOUNT-ABOVE-REFCOUNT see
	 * the folio's real mappings whichever way the kernel was built. */
	if (member(&f->folio, "_mm_ids").present ||
	    member(&f->folio, "_mm_id").present)
		pl->large_mapcount = member(&f->folio, "_large_mapcount");
}

/* Which tail page an anonymous-union member of struct page belongs to,
 * told by the members it shares its struct with. */
static unsigned tail_index(const struct dw_struct *page,
			   const struct dw_member *m)
{
	static const char *const first_tail[] = {
		"compound_order", "compound_dtor", "compound_mapcount",
	};
	size_t i;

	for (i = 0; i < sizeof(first_tail) / sizeof(first_tail[0]); i++) {
		const struct dw_member *o = dw_struct_member(page, first_tail[i]);

		if (o && o->group == m->group)
			return 1;
	}
	return 2;
}

/* Which tail pages' _refcount bytes a folio member reuses. */
static void resolve_tail_overlay(struct page_layout *pl,
				 const struct dw_facts *f)
{
	uint32_t sps = pl->struct_page_size, i;
	int m;

	for (i = 1; i < 8 && pl->refcount.present; i++) {
		uint32_t lo = i * sps + pl->refcount.off, hi = lo + 4;

		for (m = 0; m < f->folio.n; m++) {
			const struct dw_member *dm = &f->folio.m[m];

			/* v6.15+ names the tails' own counts in struct folio
			 * (_refcount_1, _mapcount_1 ...): still the tail's
			 * _refcount, which must be 0, not an overlay. */
			if (!strncmp(dm->name, "_refcount", 9))
				continue;
			if (dm->off < hi && dm->off + dm->size > lo &&
			    dm->size < sps)
				pl->tail_refcount_overlaid |= 1u << i;
		}
	}
}

static void resolve_pins(struct page_layout *pl, const struct dw_facts *f)
{
	uint32_t sps = pl->struct_page_size;
	const struct dw_member *m;

	/* The 2018 RFC (dma_pinned_flags/dma_pinned_count in a union with
	 * lru; never merged) is recognised by its member names.  It marks
	 * small pages only; large folios keep whatever exact count the
	 * kernel has beside it: none on 4.19, compound_pincount on the RFC
	 * ported to 6.1 (tests/vmcores/rfc), so both are resolved. */
	pl->rfc_flags = member(&f->page, "dma_pinned_flags");
	if (pl->rfc_flags.present)
		pl->rfc_count = member(&f->page, "dma_pinned_count");
	if ((m = dw_struct_member(&f->page, "hpage_pinned_refcount"))) {
		/* v5.7 (commit 47e29d32afba, "mm/gup: page->hpage_pinned_refcount:
		 * exact pin counts for huge pages"): page[2], order >= 2. */
		pl->large_pin_kind = LARGE_PIN_HPAGE_PINNED_REFCOUNT;
		pl->large_pin = in_tail(field_at(m->off, m->size), 2, sps);
		pl->large_pin_min_order = 2;
	} else if ((m = dw_struct_member(&f->page, "compound_pincount"))) {
		/* Renamed in v5.8/5.9, still page[2]; moved to page[1] in v6.0
		 * (commit 5232c63f46fd, "mm: Make compound_pincount always
		 * available"), covering order-1 folios too. */
		unsigned idx = tail_index(&f->page, m);

		pl->large_pin_kind = LARGE_PIN_COMPOUND_PINCOUNT;
		pl->large_pin = in_tail(field_at(m->off, m->size), idx, sps);
		pl->large_pin_min_order = idx;
	} else if ((m = dw_struct_member(&f->folio, "_pincount"))) {
		/* v6.2+: folio->_pincount, in page[1]. */
		pl->large_pin_kind = LARGE_PIN_FOLIO_PINCOUNT;
		pl->large_pin = field_at(m->off, m->size);
		pl->large_pin_min_order = sps ? m->off / sps : 1;
	}
	/* FOLL_PIN accounting (v5.7, commit 3faa52c03f44, "mm/gup: track
	 * FOLL_PIN pages") came with hpage_pinned_refcount; a kernel with
	 * none of these members has no pin accounting pinscan can read. */
	if (pl->rfc_flags.present)
		pl->pin_scheme = PIN_SCHEME_RFC;
	else
		pl->pin_scheme = pl->large_pin_kind != LARGE_PIN_NONE ?
				 PIN_SCHEME_FOLL : PIN_SCHEME_NONE;
}

static void resolve_sections(struct page_layout *pl, const struct dw_facts *f)
{
	int64_t val;

	if (f->mem_section.found) {
		struct field smm = member(&f->mem_section, "section_mem_map");

		pl->mem_section_size = f->mem_section.size;
		pl->section_mem_map_off = smm.present ? smm.off : 0;
	}
	/* v6.0+ (commit ed7802dd48f7, "mm: memory_hotplug: enumerate all
	 * supported section flags") name the bits in an anonymous enum;
	 * before, they are #defines and the defaults above hold. */
	if (dw_enum_value(&f->section_bits, "SECTION_MAP_LAST_BIT", &val) &&
	    val > 0 && val < 16)
		pl->section_map_mask = ~((1ull << val) - 1);
	if (dw_enum_value(&f->section_bits, "SECTION_HAS_MEM_MAP_BIT", &val) &&
	    val >= 0 && val < 16)
		pl->section_has_mem_map = 1ull << val;
	if (f->mem_section_elem_is_pointer >= 0)
		pl->sparsemem_extreme = f->mem_section_elem_is_pointer;
}

static void resolve_zones(struct page_layout *pl, const struct dw_facts *f)
{
	struct field start = member(&f->zone, "zone_start_pfn");
	struct field spanned = member(&f->zone, "spanned_pages");
	struct field zones = member(&f->pglist_data, "node_zones");
	int64_t val;

	pl->pgdat_node_start = member(&f->pglist_data, "node_start_pfn");
	pl->pgdat_node_spanned = member(&f->pglist_data, "node_spanned_pages");
	pl->pgdat_node_id = member(&f->pglist_data, "node_id");
	if (f->zone.found && start.present && spanned.present && zones.present) {
		pl->zone_size = f->zone.size;
		pl->zone_start_pfn_off = start.off;
		pl->zone_spanned_off = spanned.off;
		pl->pgdat_node_zones_off = zones.off;
		if (dw_enum_value(&f->zone_type, "ZONE_MOVABLE", &val))
			pl->zone_movable = (int)val;
	}
	/* CONFIG_CMA adds MIGRATE_CMA to enum migratetype. */
	if (dw_enum_value(&f->migratetype, "MIGRATE_CMA", &val))
		pl->migrate_cma = (int)val;
	pl->section_usage = member(&f->mem_section, "usage");
	pl->pageblock_flags = member(&f->mem_section_usage, "pageblock_flags");
	if (!pl->section_usage.present) {
		/* Before v5.3 (commit f1eca35a0dc7, "mm/sparsemem: introduce
		 * struct mem_section_usage") the section points at its
		 * bitmap directly. */
		pl->section_usage = member(&f->mem_section, "pageblock_flags");
		pl->pageblock_flags = field_at(0, 0);
	}
	/* Before v5.9 (commit 535b81e20921, "mm/page_alloc.c: remove unused
	 * end_bitidx of get_pfnblock_flags_mask") a block's bits were read
	 * from the top of the word down; the function lost a parameter
	 * with that change, which the DWARF shows. */
	pl->pageblock_msb_first = !member(&f->mem_section, "usage").present ||
				  f->pfnblock_params == 4;
	/* enum pageblock_bits ends with NR_PAGEBLOCK_BITS (4 since v2.6.24,
	 * commit 835c134ec4dd, "Add a bitmap that is used to track flags
	 * affecting a block of pages"; the default when the enum is not in
	 * the DWARF). */
	if (dw_enum_value(&f->pageblock_bits, "NR_PAGEBLOCK_BITS", &val) &&
	    val > 0 && val <= 8)
		pl->nr_pageblock_bits = (unsigned)val;
}

/* The symbols the pin accounting reads through that VMCOREINFO does not
 * name, and the member (layout-file key) keeping each one's link-time
 * address: a layout file then needs neither the vmlinux nor kallsyms. */
static const struct {
	const char *name, *key;
	size_t off;
} layout_syms[] = {
#define SYM(name, member) { name, #member, offsetof(struct page_layout, member) }
	SYM("__per_cpu_offset", sym_per_cpu_offset),
	SYM("nr_cpu_ids", sym_nr_cpu_ids),
	SYM("__cpu_possible_mask", sym_cpu_possible_mask),
#undef SYM
};
#define NR_LAYOUT_SYMS (sizeof(layout_syms) / sizeof(layout_syms[0]))

static const uint64_t *sym_slot(const struct page_layout *pl, size_t i)
{
	return (const uint64_t *)((const char *)pl + layout_syms[i].off);
}

/* A link-time address of the kernel image (x86-64: the top 2 GiB), or 0
 * for unknown. */
static bool kernel_symbol_plausible(uint64_t addr)
{
	return addr == 0 || addr >= 0xffffffff80000000ull;
}

bool layout_symbol(const struct page_layout *pl, const char *name,
		   uint64_t *addr)
{
	size_t i;

	for (i = 0; i < NR_LAYOUT_SYMS; i++)
		if (!strcmp(layout_syms[i].name, name)) {
			*addr = *sym_slot(pl, i);
			return *addr != 0;
		}
	return false;
}

void layout_find_symbols(struct page_layout *pl, layout_symbol_fn lookup,
			 const void *arg, uint64_t offset)
{
	size_t i;

	for (i = 0; i < NR_LAYOUT_SYMS; i++) {
		uint64_t addr;

		if (lookup(arg, layout_syms[i].name, &addr) && addr > offset &&
		    kernel_symbol_plausible(addr - offset))
			*(uint64_t *)((char *)pl + layout_syms[i].off) =
				addr - offset;
	}
}

/* What is wrong with the pin accounting's numbers (they address the
 * dump's node stats, like struct page's members address a struct page),
 * into why; NULL when they are consistent or absent (both items -1). */
static const char *pin_accounting_problem(const struct page_layout *pl,
					  char *why, size_t size)
{
	uint32_t n = pl->nr_node_stat_items;
	int acquired = pl->nr_foll_pin_acquired;
	int released = pl->nr_foll_pin_released;
	size_t i;

	for (i = 0; i < NR_LAYOUT_SYMS; i++) {
		uint64_t addr = *sym_slot(pl, i);

		if (!kernel_symbol_plausible(addr)) {
			snprintf(why, size, "%s %#" PRIx64 " is not an address in the kernel image",
				 layout_syms[i].key, addr);
			return why;
		}
	}
	if (acquired == -1 && released == -1)
		return NULL;
	if (n < 1 || n > MAX_NODE_STAT_ITEMS)
		snprintf(why, size, "nr_node_stat_items %" PRIu32 " is not within 1..%d",
			 n, MAX_NODE_STAT_ITEMS);
	else if (acquired < 0 || (uint32_t)acquired >= n || released < 0 ||
		 (uint32_t)released >= n || acquired == released)
		snprintf(why, size, "nr_foll_pin_acquired %d and nr_foll_pin_released %d are not two items below nr_node_stat_items %" PRIu32,
			 acquired, released, n);
	else if (!pl->pgdat_vm_stat.present ||
		 !pl->pgdat_per_cpu_nodestats.present ||
		 pl->pgdat_per_cpu_nodestats.size != 8 ||
		 !pl->nodestat_diff.present)
		snprintf(why, size, "the FOLL_PIN items without pgdat_vm_stat, nodestat_diff and an 8-byte pgdat_per_cpu_nodestats");
	else if (pl->per_cpu_nodestat_size > X86_64_PAGE_SIZE ||
		 (uint64_t)pl->nodestat_diff.off + n > pl->per_cpu_nodestat_size)
		snprintf(why, size, "nodestat_diff at offset %u with %" PRIu32 " items does not fit in per_cpu_nodestat_size %" PRIu32,
			 pl->nodestat_diff.off, n, pl->per_cpu_nodestat_size);
	else
		return NULL;
	return why;
}

bool layout_has_pin_accounting(const struct page_layout *pl)
{
	char why[160];

	return pl->nr_foll_pin_acquired >= 0 &&
	       !pin_accounting_problem(pl, why, sizeof(why));
}

/* Where the kernel counts FOLL_PIN references: the node stats the FOLL_PIN
 * tracking series brought in v5.7 ("mm/gup: /proc/vmstat: pin_user_pages
 * (FOLL_PIN) reporting"; /proc/vmstat nr_foll_pin_acquired/released),
 * updated on every pin and unpin by the number of pages (try_grab_folio,
 * gup_put_folio). The values come from the enum, never a number: items
 * come and go before them (NR_SECONDARY_PAGETABLE in v6.0, NR_IOMMU_PAGES
 * in v6.11 ...). The names as first posted, NR_FOLL_PIN_REQUESTED/RETURNED,
 * counted only with CONFIG_DEBUG_VM and are not taken for the count. */
static void resolve_pin_accounting(struct page_layout *pl,
				   const struct dw_facts *f)
{
	int64_t acquired, released, nr_items;
	struct field vm_stat = member(&f->pglist_data, "vm_stat");
	struct field pcp = member(&f->pglist_data, "per_cpu_nodestats");
	struct field diff = member(&f->per_cpu_nodestat, "vm_node_stat_diff");
	char why[160];

	if (!dw_enum_value(&f->node_stat_item, "NR_FOLL_PIN_ACQUIRED", &acquired) ||
	    !dw_enum_value(&f->node_stat_item, "NR_FOLL_PIN_RELEASED", &released) ||
	    !dw_enum_value(&f->node_stat_item, "NR_VM_NODE_STAT_ITEMS", &nr_items) ||
	    acquired < 0 || released < 0 || acquired >= nr_items ||
	    released >= nr_items || nr_items > MAX_NODE_STAT_ITEMS || !vm_stat.present ||
	    !pcp.present || !diff.present || !f->per_cpu_nodestat.found)
		return;
	pl->nr_foll_pin_acquired = (int)acquired;
	pl->nr_foll_pin_released = (int)released;
	pl->nr_node_stat_items = (uint32_t)nr_items;
	pl->pgdat_vm_stat = vm_stat;
	pl->pgdat_per_cpu_nodestats = pcp;
	pl->nodestat_diff = diff;
	pl->per_cpu_nodestat_size = f->per_cpu_nodestat.size;
	/* Types that do not fit together (a damaged vmlinux or BTF): no
	 * counters read, rather than the layout refused for them. */
	if (pin_accounting_problem(pl, why, sizeof(why))) {
		pl->nr_foll_pin_acquired = pl->nr_foll_pin_released = -1;
		pl->nr_node_stat_items = 0;
	}
}

static void resolve_common(struct page_layout *pl, const struct dw_facts *f)
{
	pl->struct_page_size = f->page.size;
	pl->flags = member(&f->page, "flags");
	pl->compound_head = member(&f->page, "compound_head");
	if (!pl->compound_head.present) {
		/* v7.1 (Kiryl Shutsemau, "mm: rename the 'compound_head' field
		 * in the 'struct page' to 'compound_info'" and "mm: rework
		 * compound_head() for power-of-2 sizeof(struct page)"): when
		 * sizeof(struct page) is a power of two and the kernel has
		 * CONFIG_HUGETLB_PAGE_OPTIMIZE_VMEMMAP, set_compound_head()
		 * stores GENMASK(63, order + log2(sizeof(struct page))) | 1,
		 * and the head is the tail's own address & that mask; without
		 * HVO it stores head | 1 as before. The value tells which
		 * (decode.c); the layout only says whether a mask can occur.
		 * Fake heads (HVO tails remapped onto page 0) went with it
		 * ("mm/hugetlb: remove fake head pages"). */
		pl->compound_head = member(&f->page, "compound_info");
		pl->compound_info_mask = pl->compound_head.present &&
			f->page.size && !(f->page.size & (f->page.size - 1));
	}
	pl->lru = member(&f->page, "lru");
	pl->refcount = member(&f->page, "_refcount");
	/* Before v4.6 (commit 0139aa7b7fa1) it was _count. */
	if (!pl->refcount.present)
		pl->refcount = member(&f->page, "_count");
	pl->mapcount = member(&f->page, "_mapcount");
	pl->mapping = member(&f->page, "mapping");
	pl->index = member(&f->page, "index");
	/* v6.16 (commit acc53a0b4c15, "mm: rename page->index to
	 * page->__folio_index"). */
	if (!pl->index.present)
		pl->index = member(&f->page, "__folio_index");
	/* v6.18 (commit 53fbef56e07d, "mm: introduce memdesc_flags_t"; the
	 * mainline id: 30f45bf18d55 was its linux-next id):
	 * page->flags is a struct whose only member .f holds the same word
	 * at the same offset; its 8 bytes are read as before. */
	pl->private_ = member(&f->page, "private");
	/* v5.18 (commit 07ca76067308, "mm/munlock: maintain page->mlock_count
	 * while unevictable"): the unevictable "list" is a count. */
	pl->unevictable_unlisted = member(&f->page, "mlock_count").present;
	if (f->list_head.found) {
		struct field n = member(&f->list_head, "next");
		struct field p = member(&f->list_head, "prev");

		if (n.present && p.present) {
			pl->list_next_off = n.off;
			pl->list_prev_off = p.off;
		}
	}
}

void layout_apply_vmcoreinfo(struct page_layout *pl,
			     const struct vmcoreinfo *vi)
{
	char buf[32];
	unsigned long size;
	int64_t val;

	if (vmcoreinfo_get(vi, "PAGESIZE", buf, sizeof(buf))) {
		size = strtoul(buf, NULL, 10);
		if (size >= 4096 && size <= (1ul << 16) && !(size & (size - 1)))
			pl->page_size = (uint32_t)size;
	}
	pageflags_apply_vmcoreinfo(&pl->pf, vi);
	if (vmcoreinfo_number(vi, "SECTION_SIZE_BITS", &val) && val > 12 &&
	    val < 40)
		pl->section_size_bits = (unsigned)val;
	/* MAX_PHYSMEM_BITS depends on the paging mode the kernel booted in
	 * (5-level: 52), so it comes from the dump, never from the vmlinux. */
	if (vmcoreinfo_number(vi, "MAX_PHYSMEM_BITS", &val) && val > 30 &&
	    val <= 64)
		pl->max_physmem_bits = (unsigned)val;
	else if (vmcoreinfo_number(vi, "pgtable_l5_enabled", &val))
		pl->max_physmem_bits = val ? 52 : 46;
	/* Only DWARF has the type of the variable mem_section; without it
	 * (BTF, VMCOREINFO alone), makedumpfile's rule: a static array has
	 * one section per "root", LENGTH(mem_section) of them. */
	if (pl->sparsemem_extreme < 0 &&
	    pl->max_physmem_bits > pl->section_size_bits &&
	    pl->max_physmem_bits - pl->section_size_bits < 40) {
		uint64_t nr_mem_sections =
			1ull << (pl->max_physmem_bits - pl->section_size_bits);

		pl->sparsemem_extreme =
			!vmcoreinfo_length(vi, "mem_section", &val) ||
			val <= 0 || (uint64_t)val != nr_mem_sections;
	}
}

/* KSM's stable node and rmap_item (struct ksm_stable_node and
 * ksm_rmap_item since v6.1, stable_node and rmap_item before: the DWARF
 * and BTF walks take either name). The rmap_item's head and hlist are in
 * an anonymous struct of a union with the unstable tree's rb node. */
static void resolve_ksm(struct owner_layout *ow, const struct dw_facts *f)
{
	ow->ksm_node_hlist = member(&f->ksm_stable_node, "hlist");
	ow->ksm_node_hlist_len = member(&f->ksm_stable_node, "rmap_hlist_len");
	ow->ksm_item_hlist = member(&f->ksm_rmap_item, "hlist");
	ow->ksm_item_head = member(&f->ksm_rmap_item, "head");
	ow->ksm_item_mm = member(&f->ksm_rmap_item, "mm");
	ow->ksm_item_address = member(&f->ksm_rmap_item, "address");
}

/* The members owners.c follows. The nested names ("shared.rb") are the
 * DWARF/BTF walk's flattening of named nested structs. */
static void resolve_owners(struct page_layout *pl, const struct dw_facts *f)
{
	struct owner_layout *ow = &pl->ow;

	ow->task_tasks = member(&f->task_struct, "tasks");
	ow->task_pid = member(&f->task_struct, "pid");
	ow->task_tgid = member(&f->task_struct, "tgid");
	ow->task_comm = member(&f->task_struct, "comm");
	ow->task_mm = member(&f->task_struct, "mm");
	ow->task_files = member(&f->task_struct, "files");
	/* CONFIG_MEMCG only: without it the task list maps mm to tasks. */
	ow->mm_owner = member(&f->mm_struct, "owner");
	ow->vma_start = member(&f->vm_area_struct, "vm_start");
	ow->vma_end = member(&f->vm_area_struct, "vm_end");
	ow->vma_mm = member(&f->vm_area_struct, "vm_mm");
	ow->vma_flags = member(&f->vm_area_struct, "vm_flags");
	ow->vma_pgoff = member(&f->vm_area_struct, "vm_pgoff");
	ow->vma_file = member(&f->vm_area_struct, "vm_file");
	ow->vma_shared_rb = member(&f->vm_area_struct, "shared.rb");
	ow->anon_vma_root = member(&f->anon_vma, "root");
	ow->anon_vma_rb_root = member(&f->anon_vma, "rb_root");
	ow->avc_vma = member(&f->anon_vma_chain, "vma");
	ow->avc_rb = member(&f->anon_vma_chain, "rb");
	ow->rb_left = member(&f->rb_node, "rb_left");
	ow->rb_right = member(&f->rb_node, "rb_right");
	ow->rb_root_node = member(&f->rb_root_cached, "rb_root.rb_node");
	ow->as_host = member(&f->address_space, "host");
	ow->as_i_mmap = member(&f->address_space, "i_mmap");
	ow->inode_ino = member(&f->inode, "i_ino");
	ow->inode_sb = member(&f->inode, "i_sb");
	ow->inode_dentry = member(&f->inode, "i_dentry");
	ow->sb_dev = member(&f->super_block, "s_dev");
	ow->dentry_name = member(&f->dentry, "d_name.name");
	ow->dentry_alias = member(&f->dentry, "d_u.d_alias");
	if (!ow->dentry_alias.present)
		ow->dentry_alias = member(&f->dentry, "d_alias");
	ow->files_fdt = member(&f->files_struct, "fdt");
	ow->fdt_max_fds = member(&f->fdtable, "max_fds");
	ow->fdt_fd = member(&f->fdtable, "fd");
	ow->file_f_op = member(&f->file, "f_op");
	ow->file_private = member(&f->file, "private_data");
	/* Up to v6.12 the registered buffers are ctx->user_bufs, an array
	 * of nr_user_bufs struct io_mapped_ubuf pointers (its members
	 * differ: ubuf_end in v6.1, len and folio_shift in v6.12, whose
	 * bvecs may each cover a whole folio). v6.13 ("io_uring/rsrc: unify
	 * file and buffer resource tables") made them ctx->buf_table, a
	 * struct io_rsrc_data {nr, nodes}: an array of struct io_rsrc_node
	 * pointers whose buf is the io_mapped_ubuf; the kernel-buffer series
	 * of v6.15 ("io_uring: add abstraction for buf_table rsrc data")
	 * wrapped it in struct io_buf_table (buf_table.data). */
	ow->ctx_user_bufs = member(&f->io_ring_ctx, "user_bufs");
	ow->ctx_nr_user_bufs = member(&f->io_ring_ctx, "nr_user_bufs");
	ow->ctx_buf_nr = member(&f->io_ring_ctx, "buf_table.data.nr");
	ow->ctx_buf_nodes = member(&f->io_ring_ctx, "buf_table.data.nodes");
	if (!ow->ctx_buf_nodes.present) {
		ow->ctx_buf_nr = member(&f->io_ring_ctx, "buf_table.nr");
		ow->ctx_buf_nodes = member(&f->io_ring_ctx, "buf_table.nodes");
	}
	ow->rsrc_node_type = member(&f->io_rsrc_node, "type");
	ow->rsrc_node_buf = member(&f->io_rsrc_node, "buf");
	/* v6.15 ("io_uring: add support for kernel registered bvecs"): a
	 * driver (ublk) may register its own pages, which are not pinned
	 * by io_uring: is_kbuf tells them apart. */
	ow->imu_is_kbuf = member(&f->io_mapped_ubuf, "is_kbuf");
	ow->imu_size = f->io_mapped_ubuf.size;
	ow->imu_ubuf = member(&f->io_mapped_ubuf, "ubuf");
	ow->imu_nr_bvecs = member(&f->io_mapped_ubuf, "nr_bvecs");
	ow->imu_bvec = member(&f->io_mapped_ubuf, "bvec");
	ow->bv_page = member(&f->bio_vec, "bv_page");
	ow->bv_len = member(&f->bio_vec, "bv_len");
	ow->bv_offset = member(&f->bio_vec, "bv_offset");
	ow->bio_vec_size = f->bio_vec.size;
	/* VFIO type1, the same members since v4.x (vfio_dma.vaddr_invalid
	 * from v5.12: a mapping whose user address is being replaced). */
	ow->vc_iommu_driver = member(&f->vfio_container, "iommu_driver");
	ow->vc_iommu_data = member(&f->vfio_container, "iommu_data");
	ow->vid_ops = member(&f->vfio_iommu_driver, "ops");
	ow->vi_dma_root = member(&f->vfio_iommu, "dma_list.rb_node");
	ow->dma_node = member(&f->vfio_dma, "node");
	ow->dma_iova = member(&f->vfio_dma, "iova");
	ow->dma_vaddr = member(&f->vfio_dma, "vaddr");
	ow->dma_size = member(&f->vfio_dma, "size");
	ow->dma_task = member(&f->vfio_dma, "task");
	ow->dma_vaddr_invalid = member(&f->vfio_dma, "vaddr_invalid");
	resolve_ksm(ow, f);
}

bool layout_has_owners(const struct page_layout *pl)
{
	const struct owner_layout *ow = &pl->ow;

	return ow->task_tasks.present && ow->task_tgid.present &&
	       ow->task_comm.present && ow->task_mm.present &&
	       ow->vma_start.present && ow->vma_end.present &&
	       ow->vma_mm.present && ow->vma_pgoff.present &&
	       ow->vma_shared_rb.present && ow->anon_vma_rb_root.present &&
	       ow->avc_vma.present && ow->avc_rb.present &&
	       ow->rb_left.present && ow->rb_right.present &&
	       ow->rb_root_node.present && ow->as_host.present &&
	       ow->as_i_mmap.present && pl->index.present &&
	       pl->mapping.present;
}

/* A task's open files, each file's f_op and private_data: how every
 * holder is found. */
static bool has_open_files(const struct owner_layout *ow)
{
	return ow->task_files.present && ow->files_fdt.present &&
	       ow->fdt_max_fds.present && ow->fdt_fd.present &&
	       ow->file_f_op.present && ow->file_private.present;
}

bool layout_has_io_uring(const struct page_layout *pl)
{
	const struct owner_layout *ow = &pl->ow;
	bool user_bufs = ow->ctx_user_bufs.present &&
			 ow->ctx_nr_user_bufs.present;
	bool buf_table = ow->ctx_buf_nr.present &&
			 ow->ctx_buf_nodes.present && ow->rsrc_node_buf.present;

	return has_open_files(ow) && (user_bufs || buf_table) &&
	       ow->imu_nr_bvecs.present && ow->imu_bvec.present &&
	       ow->bv_page.present && ow->bv_len.present &&
	       ow->bv_offset.present && ow->bio_vec_size >= 16;
}

bool layout_has_vfio(const struct page_layout *pl)
{
	const struct owner_layout *ow = &pl->ow;

	return has_open_files(ow) &&
	       ow->vc_iommu_driver.present && ow->vc_iommu_data.present &&
	       ow->vid_ops.present && ow->vi_dma_root.present &&
	       ow->dma_node.present && ow->dma_iova.present &&
	       ow->dma_vaddr.present && ow->dma_size.present &&
	       ow->dma_task.present && ow->rb_left.present &&
	       ow->rb_right.present;
}

bool layout_has_ksm(const struct page_layout *pl)
{
	const struct owner_layout *ow = &pl->ow;

	return ow->ksm_node_hlist.present && ow->ksm_node_hlist_len.present &&
	       ow->ksm_item_hlist.present && ow->ksm_item_mm.present &&
	       ow->ksm_item_address.present;
}

/* Every era decision, the same for facts from DWARF or from BTF. */
static void layout_from_facts(struct page_layout *pl,
			      const struct dw_facts *f)
{
	resolve_common(pl, f);
	resolve_flags(pl, f);
	resolve_order(pl, f);
	resolve_tail_overlay(pl, f);
	resolve_pins(pl, f);
	resolve_sections(pl, f);
	resolve_zones(pl, f);
	resolve_pin_accounting(pl, f);
	resolve_owners(pl, f);
}

static bool vmlinux_lookup(const void *v, const char *name, uint64_t *addr)
{
	return vmlinux_symbol(v, name, addr);
}

enum ps_status layout_from_dwarf(struct page_layout *pl,
				 const struct vmlinux *v, struct ps_err *err)
{
	struct dw_facts f;

	layout_init(pl);
	if (dw_collect(v, &f, err))	/* it frees the facts when it fails */
		return err->status;
	layout_from_facts(pl, &f);
	layout_find_symbols(pl, vmlinux_lookup, v, 0);
	pl->kind = LAYOUT_DWARF;
	snprintf(pl->source, sizeof(pl->source), "DWARF of %s", v->path);
	snprintf(pl->release, sizeof(pl->release), "%s", v->release);
	dw_facts_free(&f);
	return PS_OK;
}

enum ps_status layout_from_btf(struct page_layout *pl, const void *btf,
			       size_t size, const char *what,
			       const char *release, struct ps_err *err)
{
	struct dw_facts f;

	layout_init(pl);
	if (btf_collect(btf, size, what, &f, err))
		return err->status;
	layout_from_facts(pl, &f);
	pl->kind = LAYOUT_BTF;
	snprintf(pl->source, sizeof(pl->source), "BTF of %s", what);
	snprintf(pl->release, sizeof(pl->release), "%s", release);
	dw_facts_free(&f);
	return PS_OK;
}

static void layout_reduced(struct page_layout *pl, const char *why)
{
	if (pl->nr_reduced < LAYOUT_MAX_REDUCED)
		pl->reduced[pl->nr_reduced++] = why;
}

/* What VMCOREINFO alone cannot tell, decided from what it does give. */
static void vmcoreinfo_reductions(struct page_layout *pl)
{
	layout_reduced(pl, "large folios: VMCOREINFO names no folio member (pincount, _large_mapcount), so no pin of a large folio is reported (a pin adds 1 to its head's _refcount, not the bias), nor MAPCOUNT-ABOVE-REFCOUNT where only _large_mapcount counts its mappings");
	if (pl->order_kind == ORDER_NONE)
		/* v6.3 (commit 1c5509be58f6) took compound_order out of
		 * struct page, and kernel/vmcore_info.c stopped exporting it:
		 * the order lives in struct folio, which VMCOREINFO omits. */
		layout_reduced(pl, "folio order: VMCOREINFO has no OFFSET(page.compound_order) (gone since v6.3), so a compound page is the run of tails that point back at its head; TAIL-OUTSIDE-FOLIO only for a tail at or before its head, no HEAD-TAIL-MISMATCH or ORDER-INCONSISTENT");
	if (!pageflags_has(&pl->pf, PGF_active) ||
	    !pageflags_has(&pl->pf, PGF_unevictable))
		layout_reduced(pl, "LRU: VMCOREINFO gives PG_lru but not PG_active or PG_unevictable, so the lists cannot be told apart: no LRU rules, no lists rebuilt");
	if (!pl->zone_size)
		layout_reduced(pl, "zones: VMCOREINFO has no zone_start_pfn, enum zone_type or pageblock bitmap: no PIN-IN-MOVABLE, PIN-IN-CMA");
}

/* VMCOREINFO's OFFSET(page.X), or an absent field. */
static struct field vmci_field(const struct vmcoreinfo *vi, const char *name,
			       uint32_t size)
{
	struct field none = { 0 };
	int64_t off;

	if (!vmcoreinfo_offset(vi, name, &off) || off < 0 || off > 4096)
		return none;
	return field_at((uint32_t)off, size);
}

enum ps_status layout_from_vmcoreinfo(struct page_layout *pl,
				      const struct vmcoreinfo *vi,
				      struct ps_err *err)
{
	int64_t val;
	struct dw_facts none;

	layout_init(pl);
	pl->kind = LAYOUT_VMCOREINFO;
	memset(&none, 0, sizeof(none));
	none.mem_section_elem_is_pointer = -1;
	if (!vmcoreinfo_size(vi, "page", &val) || val <= 0 ||
	    val > MAX_STRUCT_PAGE_SIZE)
		return ps_fail(err, PS_ERR_UNSUPPORTED,
			       "VMCOREINFO has no usable SIZE(page): a vmlinux (-s) is needed");
	pl->struct_page_size = (uint32_t)val;
	/* Every kernel since v2.6.24 writes SIZE(mem_section); without it
	 * (and without DWARF) the sections would be read at a guessed
	 * stride, every count wrong. */
	if (!vmcoreinfo_size(vi, "mem_section", &val) || val < 8 ||
	    val > X86_64_PAGE_SIZE)
		return ps_fail(err, PS_ERR_UNSUPPORTED,
			       "VMCOREINFO has no usable SIZE(mem_section): a vmlinux (-s) is needed");
	pl->mem_section_size = (uint32_t)val;
	if (vmcoreinfo_offset(vi, "mem_section.section_mem_map", &val) &&
	    val >= 0 && (uint64_t)val + 8 <= pl->mem_section_size)
		pl->section_mem_map_off = (uint32_t)val;
	pl->flags = vmci_field(vi, "page.flags", 8);
	pl->refcount = vmci_field(vi, "page._refcount", 4);
	pl->mapcount = vmci_field(vi, "page._mapcount", 4);
	pl->mapping = vmci_field(vi, "page.mapping", 8);
	pl->lru = vmci_field(vi, "page.lru", 16);
	pl->private_ = vmci_field(vi, "page.private", 8);
	pl->compound_head = vmci_field(vi, "page.compound_head", 8);
	if (!pl->compound_head.present) {
		/* v7.1 exports the renamed member; SIZE(page) says whether
		 * the mask form can occur, as in resolve_common(). */
		pl->compound_head = vmci_field(vi, "page.compound_info", 8);
		pl->compound_info_mask = pl->compound_head.present &&
			pl->struct_page_size &&
			!(pl->struct_page_size & (pl->struct_page_size - 1));
	}
	if (!pl->compound_head.present && pl->lru.present)
		pl->compound_head = field_at(pl->lru.off, 8);
	pl->order = vmci_field(vi, "page.compound_order", 1);
	if (pl->order.present) {
		pl->order_kind = ORDER_BYTE;
		pl->order = in_tail(pl->order, 1, pl->struct_page_size);
	}
	pageflags_from_vmcoreinfo(&pl->pf, vi);
	/* Without DWARF the exact pin counts of large folios are unknown:
	 * every page is judged by the refcount bias. */
	pl->pin_scheme = PIN_SCHEME_FOLL;
	resolve_sections(pl, &none);
	vmcoreinfo_reductions(pl);
	snprintf(pl->source, sizeof(pl->source),
		 "VMCOREINFO only (no vmlinux): reduced, see below");
	return PS_OK;
}

enum ps_status layout_check_vmcoreinfo(const struct page_layout *pl,
				       const struct vmcoreinfo *vi,
				       struct ps_err *err)
{
	static const struct {
		const char *name;
		size_t off;
	} fields[] = {
		{ "page.flags", offsetof(struct page_layout, flags) },
		{ "page._refcount", offsetof(struct page_layout, refcount) },
		{ "page._mapcount", offsetof(struct page_layout, mapcount) },
		{ "page.lru", offsetof(struct page_layout, lru) },
		{ "page.mapping", offsetof(struct page_layout, mapping) },
	};
	int64_t val;
	size_t i;

	if (vmcoreinfo_size(vi, "page", &val) &&
	    (uint64_t)val != pl->struct_page_size)
		return ps_fail(err, PS_ERR_MISMATCH,
			       "sizeof(struct page) is %u in the vmlinux but %lld in the dump's VMCOREINFO",
			       pl->struct_page_size, (long long)val);
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const struct field *f = (const struct field *)
			((const char *)pl + fields[i].off);

		if (f->present && vmcoreinfo_offset(vi, fields[i].name, &val) &&
		    (uint64_t)val != f->off)
			return ps_fail(err, PS_ERR_MISMATCH,
				       "offset of %s is %u in the vmlinux but %lld in the dump's VMCOREINFO",
				       fields[i].name, f->off, (long long)val);
	}
	return PS_OK;
}

/* A member of one struct page, read from a buffer of that page. */
static const char *check_page_member(const struct field *f, uint32_t sps,
				     char *why, size_t whysz)
{
	if (!f->present)
		return NULL;
	if (f->size != 1 && f->size != 2 && f->size != 4 && f->size != 8) {
		snprintf(why, whysz, "size %u is not 1, 2, 4 or 8", f->size);
		return why;
	}
	if ((uint64_t)f->off + f->size > sps) {
		snprintf(why, whysz, "offset %u + size %u lies beyond sizeof(struct page) %u",
			 f->off, f->size, sps);
		return why;
	}
	return NULL;
}

/* Compound metadata: read from the head's buffer, in page[off / sps];
 * it must not straddle two struct pages. */
static const char *check_head_member(const struct field *f, uint32_t sps,
				     char *why, size_t whysz)
{
	struct field in_page = *f;

	if (!f->present)
		return NULL;
	if (f->off / sps > 7) {
		snprintf(why, whysz, "offset %u is beyond page[7]", f->off);
		return why;
	}
	in_page.off = f->off % sps;
	return check_page_member(&in_page, sps, why, whysz);
}

static enum ps_status check_members(const struct page_layout *pl,
				    const char *what, struct ps_err *err)
{
	static const struct {
		const char *name;
		size_t off;
		bool head;	/* relative to the head page */
	} members[] = {
#define M(m) { #m, offsetof(struct page_layout, m), false }
#define H(m) { #m, offsetof(struct page_layout, m), true }
		M(flags), M(compound_head), M(refcount), M(mapcount),
		M(mapping), M(index), M(private_), M(rfc_flags), M(rfc_count),
		H(order), H(nr_pages), H(large_pin),
#undef M
#undef H
	};
	uint32_t sps = pl->struct_page_size;
	char why[160];
	size_t i;

	for (i = 0; i < sizeof(members) / sizeof(members[0]); i++) {
		const struct field *f = (const struct field *)
			((const char *)pl + members[i].off);
		const char *bad = members[i].head ?
			check_head_member(f, sps, why, sizeof(why)) :
			check_page_member(f, sps, why, sizeof(why));

		if (bad)
			return ps_fail(err, PS_ERR_FORMAT, "%s: page.%s: %s",
				       what, members[i].name, bad);
	}
	/* lru is a struct list_head: both pointers inside it. */
	if ((uint64_t)pl->lru.off + pl->lru.size > sps || pl->lru.size < 16 ||
	    (uint64_t)pl->list_next_off + 8 > pl->lru.size ||
	    (uint64_t)pl->list_prev_off + 8 > pl->lru.size)
		return ps_fail(err, PS_ERR_FORMAT,
			       "%s: page.lru at offset %u size %u with next at %u, prev at %u does not fit in a struct page of %u bytes",
			       what, pl->lru.off, pl->lru.size, pl->list_next_off,
			       pl->list_prev_off, sps);
	return PS_OK;
}

static enum ps_status check_sections(const struct page_layout *pl,
				     const char *what, struct ps_err *err)
{
	unsigned page_shift = (unsigned)__builtin_ctz(pl->page_size);

	if (pl->section_size_bits != X86_64_SECTION_SIZE_BITS)
		return ps_fail(err, PS_ERR_FORMAT,
			       "%s: SECTION_SIZE_BITS %u, x86-64 kernels have %d",
			       what, pl->section_size_bits,
			       X86_64_SECTION_SIZE_BITS);
	if (pl->max_physmem_bits < MIN_PHYSMEM_BITS ||
	    pl->max_physmem_bits > MAX_PHYSMEM_BITS_LIMIT)
		return ps_fail(err, PS_ERR_FORMAT,
			       "%s: MAX_PHYSMEM_BITS %u is not within %d..%d",
			       what, pl->max_physmem_bits, MIN_PHYSMEM_BITS,
			       MAX_PHYSMEM_BITS_LIMIT);
	if (pl->mem_section_size < 8 || pl->mem_section_size > pl->page_size ||
	    (uint64_t)pl->section_mem_map_off + 8 > pl->mem_section_size)
		return ps_fail(err, PS_ERR_FORMAT,
			       "%s: struct mem_section of %u bytes with section_mem_map at offset %u is not plausible",
			       what, pl->mem_section_size,
			       pl->section_mem_map_off);
	if (pl->pageblock_order > pl->section_size_bits - page_shift ||
	    pl->nr_pageblock_bits < 1 || pl->nr_pageblock_bits > 8)
		return ps_fail(err, PS_ERR_FORMAT,
			       "%s: pageblock_order %u / NR_PAGEBLOCK_BITS %u do not fit a section of 2^%u bytes",
			       what, pl->pageblock_order, pl->nr_pageblock_bits,
			       pl->section_size_bits);
	return PS_OK;
}

/* A flag the kernel has is a bit of the 64-bit flags word: a bit beyond
 * it (a layout file's "pg_lru 70") would silently never be set. */
static enum ps_status check_flag_bits(const struct pageflags *pf,
				      const char *what, struct ps_err *err)
{
	int f;

	for (f = 0; f < PGF_NR; f++)
		if (pf->bit[f] < -1 || pf->bit[f] > 63)
			return ps_fail(err, PS_ERR_FORMAT,
				       "%s: %s is bit %d, outside the 64-bit page flags word",
				       what, pageflag_name((enum pageflag)f),
				       pf->bit[f]);
	return PS_OK;
}

enum ps_status layout_validate(const struct page_layout *pl, const char *what,
			       struct ps_err *err)
{
	const char *missing = NULL;
	char why[200];

	if (pl->page_size != X86_64_PAGE_SIZE)
		return ps_fail(err, PS_ERR_UNSUPPORTED,
			       "%s: page size %u, x86-64 kernels have %d", what,
			       pl->page_size, X86_64_PAGE_SIZE);
	if (!pl->flags.present)
		missing = "page.flags";
	else if (!pl->refcount.present)
		missing = "page._refcount";
	else if (!pl->mapcount.present)
		missing = "page._mapcount";
	else if (!pl->lru.present)
		missing = "page.lru";
	else if (!pageflags_has(&pl->pf, PGF_lru))
		missing = pageflag_name(PGF_lru);
	else if (!pageflags_has(&pl->pf, PGF_head))
		missing = pageflag_name(PGF_head);
	if (missing)
		return ps_fail(err, PS_ERR_UNSUPPORTED, "%s: lacks %s", what,
			       missing);
	if (check_flag_bits(&pl->pf, what, err))
		return err->status;
	if (pl->struct_page_size < 32 ||
	    pl->struct_page_size > MAX_STRUCT_PAGE_SIZE ||
	    pl->struct_page_size % 8)
		return ps_fail(err, PS_ERR_FORMAT,
			       "%s: sizeof(struct page) %u is not plausible (x86-64: a multiple of 8 within 32..%d)",
			       what, pl->struct_page_size,
			       MAX_STRUCT_PAGE_SIZE);
	if (check_members(pl, what, err) || check_sections(pl, what, err))
		return err->status;
	if (pin_accounting_problem(pl, why, sizeof(why)))
		return ps_fail(err, PS_ERR_FORMAT, "%s: %s", what, why);
	return PS_OK;
}

typedef bool vmci_getter(const struct vmcoreinfo *vi, const char *name,
			 int64_t *val);

/* One VMCOREINFO number, KIND(name), that must lie within [lo, hi] when
 * present. */
static enum ps_status check_vmci_range(const struct vmcoreinfo *vi,
				       const char *where, vmci_getter *get,
				       const char *kind, const char *name,
				       int64_t lo, int64_t hi,
				       struct ps_err *err)
{
	int64_t val;

	if (get(vi, name, &val) && (val < lo || val > hi) && lo == hi)
		return ps_fail(err, PS_ERR_FORMAT,
			       "%s: VMCOREINFO %s(%s)=%lld is not plausible (x86-64: %lld)",
			       where, kind, name, (long long)val, (long long)lo);
	if (get(vi, name, &val) && (val < lo || val > hi))
		return ps_fail(err, PS_ERR_FORMAT,
			       "%s: VMCOREINFO %s(%s)=%lld is not plausible (x86-64: %lld..%lld)",
			       where, kind, name, (long long)val, (long long)lo,
			       (long long)hi);
	return PS_OK;
}

enum ps_status layout_check_vmcoreinfo_values(const struct vmcoreinfo *vi,
					      const char *where,
					      struct ps_err *err)
{
	static const struct {
		const char *name;
		unsigned size;
	} members[] = {
		{ "page.flags", 8 }, { "page._refcount", 4 },
		{ "page._mapcount", 4 }, { "page.mapping", 8 },
		{ "page.lru", 16 }, { "page.private", 8 },
		{ "page.compound_head", 8 },
	};
	int64_t page_size = 0, ms_size = 16;
	bool has_page;
	char buf[32];
	size_t i;

	if (vmcoreinfo_get(vi, "PAGESIZE", buf, sizeof(buf)) &&
	    strtoll(buf, NULL, 10) != X86_64_PAGE_SIZE)
		return ps_fail(err, PS_ERR_FORMAT,
			       "%s: VMCOREINFO PAGESIZE=%s, x86-64 kernels have %d",
			       where, buf, X86_64_PAGE_SIZE);
	if (check_vmci_range(vi, where, vmcoreinfo_size, "SIZE", "page", 32,
			     MAX_STRUCT_PAGE_SIZE, err) ||
	    check_vmci_range(vi, where, vmcoreinfo_size, "SIZE", "mem_section",
			     8, X86_64_PAGE_SIZE, err) ||
	    check_vmci_range(vi, where, vmcoreinfo_number, "NUMBER",
			     "SECTION_SIZE_BITS", X86_64_SECTION_SIZE_BITS,
			     X86_64_SECTION_SIZE_BITS, err) ||
	    check_vmci_range(vi, where, vmcoreinfo_number, "NUMBER",
			     "MAX_PHYSMEM_BITS", MIN_PHYSMEM_BITS,
			     MAX_PHYSMEM_BITS_LIMIT, err))
		return err->status;
	vmcoreinfo_size(vi, "mem_section", &ms_size);
	if (check_vmci_range(vi, where, vmcoreinfo_offset, "OFFSET",
			     "mem_section.section_mem_map", 0, ms_size - 8, err))
		return err->status;
	has_page = vmcoreinfo_size(vi, "page", &page_size);
	for (i = 0; has_page && i < sizeof(members) / sizeof(members[0]); i++) {
		int64_t val;

		if (vmcoreinfo_offset(vi, members[i].name, &val) &&
		    (val < 0 || val > page_size - members[i].size))
			return ps_fail(err, PS_ERR_FORMAT,
				       "%s: VMCOREINFO OFFSET(%s)=%lld does not fit a %u-byte member in SIZE(page)=%lld",
				       where, members[i].name, (long long)val,
				       members[i].size, (long long)page_size);
	}
	return PS_OK;
}

const char *layout_kind_name(enum layout_kind k)
{
	switch (k) {
	case LAYOUT_DWARF:
		return "dwarf";
	case LAYOUT_FILE:
		return "layout-file";
	case LAYOUT_BTF:
		return "btf";
	case LAYOUT_VMCOREINFO:
		break;
	}
	return "vmcoreinfo";
}
