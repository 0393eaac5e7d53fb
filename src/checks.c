#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "checks.h"

static const struct rule rules[NR_RULES] = {
	[RULE_RFC_PIN_ON_TAIL] = { "RFC-PIN-ON-TAIL", SEV_ERROR, "4.19 + DMA-pin RFC",
		"the word shared by compound_head and dma_pinned_flags has both PageTail (bit 0) and the pin bit",
		"RFC 'mm: introduce page->dma_pinned_flags, _count' (2018): PageDmaPinned avoids bit 0, only for non-tail pages" },
	[RULE_RFC_PIN_ON_LRU] = { "RFC-PIN-ON-LRU", SEV_ERROR, "4.19 + DMA-pin RFC",
		"a DMA-pinned page has PG_lru or a neighbour's lru link points at it (dma_pinned_flags is in a union with lru)",
		"RFC: 'any page that uses these flags must NOT be on an LRU'; SetPageDmaPinned removes the page from the LRU first" },
	[RULE_RFC_PIN_COUNT] = { "RFC-PIN-COUNT", SEV_ERROR, "4.19 + DMA-pin RFC",
		"the pin flag is set but dma_pinned_count <= 0",
		"RFC: dma_pinned_count counts get_user_pages pins; the flag is cleared when it drops to zero" },
	[RULE_RFC_PIN_IN_FOLIO] = { "RFC-PIN-IN-FOLIO", SEV_ERROR, "4.19 + DMA-pin RFC",
		"the pin bit is set on a page inside a compound page that is not its head",
		"RFC: VM_BUG_ON(page != compound_head(page)) in SetPageDmaPinned" },
	[RULE_PIN_COUNT_NEGATIVE] = { "PIN-COUNT-NEGATIVE", SEV_ERROR, "5.7+ (FOLL_PIN)",
		"a large folio's exact pin count (hpage_pinned_refcount, compound_pincount, _pincount) is negative",
		"mm/gup.c: gup_put_folio/unpin_user_page subtract what try_grab_folio added" },
	[RULE_PIN_COUNT_ABOVE_REFCOUNT] = { "PIN-COUNT-ABOVE-REFCOUNT", SEV_ERROR, "5.7+ (FOLL_PIN)",
		"a large folio's pin count exceeds its refcount, though every pin also takes a reference",
		"mm/gup.c try_grab_folio: folio_ref_add(folio, refs) with atomic_add(refs, pincount)" },
	[RULE_FOLL_PIN_ON_LRU] = { "FOLL-PIN-ON-LRU", SEV_INFO, "5.7+ (FOLL_PIN)",
		"a pinned page sits on an LRU list: legitimate with FOLL_PIN, but it can be neither reclaimed nor migrated",
		"mm/gup.c: FOLL_PIN leaves the LRU alone; folio_maybe_dma_pinned() makes reclaim and migration skip it" },
	[RULE_TAIL_REFCOUNT] = { "TAIL-REFCOUNT", SEV_ERROR, "all",
		"a tail page has a refcount of its own (>= 1024 looks like a pin on a tail)",
		"mm/page_alloc.c prep_compound_tail: set_page_count(p, 0); references go to the head" },
	[RULE_TAIL_BAD_HEAD] = { "TAIL-BAD-HEAD", SEV_ERROR, "all",
		"a tail page's compound_head does not point at a struct page",
		"include/linux/page-flags.h: compound_head = head | 1 (set_compound_head)" },
	[RULE_TAIL_HEAD_NOT_HEAD] = { "TAIL-HEAD-NOT-HEAD", SEV_ERROR, "all",
		"a tail page points at a struct page that lacks PG_head",
		"mm/page_alloc.c prep_compound_page: __SetPageHead(head) before the tails point at it" },
	[RULE_TAIL_OUTSIDE_FOLIO] = { "TAIL-OUTSIDE-FOLIO", SEV_ERROR, "all",
		"a tail page lies outside the range 1 << order of the head it points at",
		"mm/page_alloc.c prep_compound_page: only pages head+1 .. head+(1<<order)-1 become tails" },
	[RULE_HEAD_TAIL_MISMATCH] = { "HEAD-TAIL-MISMATCH", SEV_ERROR, "all",
		"not every page in a head's 1 << order range is a tail pointing back at it",
		"mm/page_alloc.c free_tail_page_prepare: bad_page 'compound_head not consistent'" },
	[RULE_ORDER_INCONSISTENT] = { "ORDER-INCONSISTENT", SEV_ERROR, "all",
		"a head's order is absurd, or its nr_pages (compound_nr/_folio_nr_pages) is not 1 << order",
		"include/linux/mm.h folio_set_order/set_compound_order keep order and nr_pages together" },
	[RULE_HEAD_AND_TAIL] = { "HEAD-AND-TAIL", SEV_ERROR, "all",
		"a page has PG_head and is also a tail (bit 0 of compound_head)",
		"include/linux/page-flags.h: a page is a head or a tail, never both" },
	[RULE_REFCOUNT_NEGATIVE] = { "REFCOUNT-NEGATIVE", SEV_ERROR, "all",
		"_refcount is negative (an underflow: a put without a get)",
		"include/linux/page_ref.h: VM_BUG_ON_PAGE(page_ref_count(page) <= 0) in put_page_testzero" },
	[RULE_MAPCOUNT_ABOVE_REFCOUNT] = { "MAPCOUNT-ABOVE-REFCOUNT", SEV_ERROR, "all",
		"a page is mapped more times than it has references, though every mapping holds one",
		"mm/rmap.c: each page table mapping holds a reference (get_page before page_add_*_rmap)" },
	[RULE_BUDDY_REFCOUNT] = { "BUDDY-REFCOUNT", SEV_ERROR, "4.18+",
		"a free (buddy) page has a nonzero refcount",
		"mm/page_alloc.c page_bad_reason: 'nonzero _refcount'" },
	[RULE_BUDDY_MAPPING] = { "BUDDY-MAPPING", SEV_ERROR, "4.18+",
		"a free (buddy) page has a mapping",
		"mm/page_alloc.c page_bad_reason: 'non-NULL mapping'" },
	[RULE_LRU_BAD_POINTER] = { "LRU-BAD-POINTER", SEV_ERROR, "all",
		"an LRU page's lru.next or lru.prev is neither another page's lru nor a list head outside mem_map",
		"lib/list_debug.c __list_add_valid/__list_del_entry_valid (CONFIG_DEBUG_LIST)" },
	[RULE_LRU_POISONED] = { "LRU-POISONED", SEV_ERROR, "all",
		"a page with PG_lru has LIST_POISON1/2 links: it was deleted from its list without clearing PG_lru",
		"include/linux/list.h list_del: entry->next = LIST_POISON1, entry->prev = LIST_POISON2" },
	[RULE_LRU_LINK_MISMATCH] = { "LRU-LINK-MISMATCH", SEV_ERROR, "all",
		"next->prev or prev->next of an LRU page does not point back at it",
		"lib/list_debug.c: 'list_del corruption. next->prev should be ...'" },
	[RULE_LRU_NEIGHBOUR_NOT_LRU] = { "LRU-NEIGHBOUR-NOT-LRU", SEV_ERROR, "all",
		"an LRU page's list neighbour is a struct page without PG_lru",
		"mm/swap.c lruvec_add_folio: PG_lru is set exactly while the folio is on an LRU list" },
	[RULE_LRU_LIST_TYPE_MISMATCH] = { "LRU-LIST-TYPE-MISMATCH", SEV_ERROR, "all",
		"list neighbours disagree on the list type (active, anon/file, unevictable)",
		"include/linux/mm_inline.h folio_lru_list: the list follows PG_active, PG_swapbacked, PG_unevictable" },
	[RULE_LRU_UNREACHABLE] = { "LRU-UNREACHABLE", SEV_ERROR, "all",
		"a page with PG_lru is on no list reachable from a list head",
		"a list broken upstream of the page: its list head no longer reaches it" },
	[RULE_LRU_CYCLE_NO_HEAD] = { "LRU-CYCLE-NO-HEAD", SEV_ERROR, "all",
		"LRU pages link to each other in a cycle that contains no list head",
		"lruvec lists always go through their struct list_head in the lruvec" },
	[RULE_LRU_NODE_MISMATCH] = { "LRU-NODE-MISMATCH", SEV_ERROR, "all (NUMA)",
		"LRU list neighbours lie on different NUMA nodes, though every LRU list belongs to one node's lruvec",
		"mm/memcontrol.c folio_lruvec/mem_cgroup_lruvec: a folio is on the lruvec of its own node" },
	[RULE_PIN_IN_MOVABLE] = { "PIN-IN-MOVABLE", SEV_WARNING, "5.7+ (FOLL_PIN), RFC",
		"a pinned page lies in ZONE_MOVABLE: it blocks memory hot-remove",
		"mm/gup.c check_and_migrate_movable_pages: FOLL_LONGTERM pins migrate pages out of ZONE_MOVABLE first" },
	[RULE_PIN_IN_CMA] = { "PIN-IN-CMA", SEV_WARNING, "5.7+ (FOLL_PIN), RFC; CONFIG_CMA",
		"a pinned page lies in a MIGRATE_CMA pageblock: it blocks CMA allocations",
		"mm/gup.c check_and_migrate_movable_pages / folio_is_longterm_pinnable: no long-term pins in CMA" },
	[RULE_PIN_ACCOUNTING_MISMATCH] = { "PIN-ACCOUNTING-MISMATCH", SEV_WARNING, "5.7+ (FOLL_PIN)",
		"the pins decoded from struct pages differ from the kernel's count, nr_foll_pin_acquired - nr_foll_pin_released",
		"mm/gup.c try_grab_folio / gup_put_folio: node_stat_mod_folio(NR_FOLL_PIN_ACQUIRED/RELEASED, refs) with every pin and unpin" },
};

void checks_pin_accounting(const struct page_layout *pl,
			   const struct pin_accounting *pa,
			   const struct decoded_pins *dp, uint64_t missing,
			   uint64_t sections_unread, finding_fn emit,
			   void *arg)
{
	int64_t outstanding = pa->acquired - pa->released;

	/* The RFC's pins (dma_pinned_count) are not what the counters
	 * count: a kernel with both (the RFC ported to 6.1) is not
	 * compared. */
	if (pl->pin_scheme != PIN_SCHEME_FOLL || pa->state != PIN_ACCT_READ ||
	    dp->total == outstanding)
		return;
	if (dp->total > outstanding) {
		/* Every refcount-bias pin is a guess: 1024 ordinary
		 * references look the same. */
		finding_emit(emit, arg, RULE_PIN_ACCOUNTING_MISMATCH, 0,
			     "%" PRId64 " pins decoded, the kernel counts %" PRId64 " outstanding (acquired %" PRId64 ", released %" PRId64 "): %" PRId64 " more than it took%s",
			     dp->total, outstanding, pa->acquired, pa->released,
			     dp->total - outstanding,
			     dp->total - outstanding <= dp->inexact ?
			     "; as many refcount-bias pins may be references that are not pins" :
			     "; more than every refcount-bias guess: counts or counters corrupt");
		return;
	}
	finding_emit(emit, arg, RULE_PIN_ACCOUNTING_MISMATCH, 0,
		     "%" PRId64 " pins decoded, the kernel counts %" PRId64 " outstanding (acquired %" PRId64 ", released %" PRId64 "): %" PRId64 " pins not seen%s",
		     dp->total, outstanding, pa->acquired, pa->released,
		     outstanding - dp->total,
		     missing ? " (struct pages are missing from the dump)" :
		     sections_unread ? " (mem_section entries that could not be followed: their struct pages were not read)" :
		     ": a pin on a page pinscan cannot decode, a leaked or corrupt count");
}

const struct rule *rules_all(unsigned *count)
{
	*count = NR_RULES;
	return rules;
}

const struct rule *rule_get(enum rule_id id)
{
	return &rules[id];
}

const char *severity_name(enum severity s)
{
	switch (s) {
	case SEV_INFO:
		return "info";
	case SEV_WARNING:
		return "warning";
	default:
		return "error";
	}
}

int severity_parse(const char *name)
{
	if (!strcmp(name, "info"))
		return SEV_INFO;
	if (!strcmp(name, "warning"))
		return SEV_WARNING;
	if (!strcmp(name, "error"))
		return SEV_ERROR;
	return -1;
}

void finding_emit(finding_fn emit, void *arg, enum rule_id id, uint64_t pfn,
		  const char *fmt, ...)
{
	struct finding f = { .rule = &rules[id], .pfn = pfn };
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f.message, sizeof(f.message), fmt, ap);
	va_end(ap);
	emit(arg, &f);
}

static void check_rfc(const struct page_layout *pl, const struct page_state *ps,
		      finding_fn emit, void *arg)
{
	if (ps->rfc_pin_on_tail)
		finding_emit(emit, arg, RULE_RFC_PIN_ON_TAIL, ps->pfn,
			     "tail page (compound_head 0x%llx) also has the DMA-pin bit 0x%llx",
			     (unsigned long long)ps->compound_info,
			     (unsigned long long)pl->rfc_pin_mask);
	if (ps->pin_how != PIN_HOW_RFC_FLAG)
		return;
	if (ps->lru)
		finding_emit(emit, arg, RULE_RFC_PIN_ON_LRU, ps->pfn,
			     "DMA-pinned page has PG_lru (flags 0x%llx)",
			     (unsigned long long)ps->flags);
	if (ps->pincount <= 0)
		finding_emit(emit, arg, RULE_RFC_PIN_COUNT, ps->pfn,
			     "pin flag set with dma_pinned_count %lld",
			     (long long)ps->pincount);
}

static void check_foll_pin(const struct page_state *ps, finding_fn emit,
			   void *arg)
{
	if (ps->large_pincount < 0)
		finding_emit(emit, arg, RULE_PIN_COUNT_NEGATIVE, ps->pfn,
			     "large folio pin count %lld (refcount %u)",
			     (long long)ps->large_pincount, ps->refcount);
	else if (ps->large_pincount > 0 &&
		 (uint64_t)ps->large_pincount > ps->refcount)
		finding_emit(emit, arg, RULE_PIN_COUNT_ABOVE_REFCOUNT, ps->pfn,
			     "pin count %lld above refcount %u",
			     (long long)ps->large_pincount, ps->refcount);
	if (ps->pin_how != PIN_HOW_NONE && ps->lru)
		finding_emit(emit, arg, RULE_FOLL_PIN_ON_LRU, ps->pfn,
			     "pinned (%s, pin count %lld) and on an LRU list",
			     ps->pin_how == PIN_HOW_REFCOUNT_BIAS ?
			     "refcount bias" : "exact count",
			     (long long)ps->pincount);
}

static void check_counts(const struct page_state *ps, finding_fn emit,
			 void *arg)
{
	if (ps->tail)
		return;
	if ((int32_t)ps->refcount < 0)
		finding_emit(emit, arg, RULE_REFCOUNT_NEGATIVE, ps->pfn,
			     "_refcount %d", (int32_t)ps->refcount);
	else if (!ps->typed && ps->mapcount > 0 &&
		 (uint32_t)ps->mapcount > ps->refcount)
		finding_emit(emit, arg, RULE_MAPCOUNT_ABOVE_REFCOUNT, ps->pfn,
			     "mapcount %d above refcount %u", ps->mapcount,
			     ps->refcount);
	if (!ps->buddy)
		return;
	if (ps->refcount)
		finding_emit(emit, arg, RULE_BUDDY_REFCOUNT, ps->pfn,
			     "free page with _refcount %u", ps->refcount);
	if (ps->mapping)
		finding_emit(emit, arg, RULE_BUDDY_MAPPING, ps->pfn,
			     "free page with mapping 0x%llx",
			     (unsigned long long)ps->mapping);
}

static void check_compound(const struct page_state *ps, finding_fn emit,
			   void *arg)
{
	if (ps->head && ps->tail)
		finding_emit(emit, arg, RULE_HEAD_AND_TAIL, ps->pfn,
			     "PG_head set and compound_head 0x%llx has the tail bit",
			     (unsigned long long)ps->compound_info);
	if (ps->head && (ps->bad_order || ps->nr_pages_mismatch))
		finding_emit(emit, arg, RULE_ORDER_INCONSISTENT, ps->pfn,
			     ps->bad_order ? "order %u is not plausible" :
			     "order %u but nr_pages %llu", ps->raw_order,
			     (unsigned long long)ps->folio_nr_pages);
}

void checks_page(const struct page_layout *pl, const struct page_state *ps,
		 finding_fn emit, void *arg)
{
	if (pl->pin_scheme == PIN_SCHEME_RFC)
		check_rfc(pl, ps, emit, arg);
	/* Large folios' counts, beside the RFC's flag too (the RFC on 6.1). */
	if (pl->pin_scheme == PIN_SCHEME_FOLL ||
	    (pl->pin_scheme == PIN_SCHEME_RFC && ps->pin_how != PIN_HOW_RFC_FLAG))
		check_foll_pin(ps, emit, arg);
	check_counts(ps, emit, arg);
	check_compound(ps, emit, arg);
}
