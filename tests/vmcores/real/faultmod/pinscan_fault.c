// SPDX-License-Identifier: GPL-2.0
/*
 * pinscan_fault: damage struct pages the way pinscan's audit must notice, print what was done
 * as ground truth, and panic (so that the dump is taken before anything trips over the damage).
 *
 * Loaded by the `faults` fixture (build-extra.sh) after the workload holds its io_uring pins.
 * Everything happens with interrupts off on a one-CPU guest: nothing else runs, so nobody holds
 * or can take an LRU lock while the lists are edited (on a UP-running kernel, spinlock holders
 * cannot be preempted), which is what holding lruvec->lru_lock would guarantee; the lock
 * helpers (folio_lruvec_lock_irq) are not exported to modules.
 *
 * Lines printed (KERN_EMERG, so they reach the serial console):
 *   PINSCAN-FAULT <RULE> 0x<pfn>        a finding pinscan must report at that pfn
 *   PINSCAN-FAULT-PIN 0x<pfn> refcount=<before> mapcount=<before>   the page made pinned by (d)
 *   PINSCAN-FAULT-INFO ...              details
 *   PINSCAN-FAULT-ERROR ...             a fault could not be injected
 * The faults:
 *   (a) LRU-BAD-POINTER: an LRU page's lru.next := a non-canonical, 8-byte aligned value;
 *   (b) LRU-LINK-MISMATCH: Q in the middle of a list (prev P, next N); R three links before Q
 *       (R.next == S, S.prev == R); Q.prev := &R->lru. P.next == Q is then unconfirmed by Q, and
 *       Q.prev == R unconfirmed by R: Q's prev is the stale pointer, Q is the one reported;
 *   (c) LRU-POISONED: list_del(&page->lru) (poisons next/prev) without ClearPageLRU;
 *   (d) FOLL-PIN-ON-LRU (info) and a refcount-bias pin: page_ref_add(page, 1024) on an LRU page;
 *   (e) TAIL-HEAD-NOT-HEAD: the last tail of an order-2 compound page this module allocates
 *       points at another page (not a head) | 1.
 * Pages are picked among small (not compound), evictable LRU pages with refcount < 1024, whose
 * lru.next and lru.prev are both other pages' lru (not a list head), apart from each other and
 * from each other's neighbours.
 */
#include <linux/gfp.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mm_types.h>
#include <linux/module.h>
#include <linux/page_ref.h>
#include <linux/panic.h>

#define MAX_PFN_SCAN (1UL << 20)	/* 4 GiB: the guest has 1 GiB */
#define BAD_POINTER 0x0bad0bad0bad0ba8UL	/* non-canonical, 8-byte aligned */

static struct page *touched[64];
static int nr_touched;

/* The struct page whose lru is at l, or NULL when l is not exactly some page's lru. */
static struct page *lru_page(struct list_head *l)
{
	unsigned long off = (unsigned long)l - offsetof(struct page, lru) - (unsigned long)vmemmap;
	unsigned long pfn = off / sizeof(struct page);

	if (off % sizeof(struct page) || pfn >= MAX_PFN_SCAN || !pfn_valid(pfn))
		return NULL;
	return pfn_to_page(pfn);
}

static bool is_touched(struct page *p)
{
	int i;

	for (i = 0; i < nr_touched; i++)
		if (touched[i] == p)
			return true;
	return false;
}

static void touch(struct page *p)
{
	if (p && nr_touched < ARRAY_SIZE(touched))
		touched[nr_touched++] = p;
}

/* A small evictable LRU page, not pinned, both of whose links are pages. */
static bool plain_lru(struct page *p)
{
	return p && PageLRU(p) && !PageCompound(p) && !test_bit(PG_unevictable, &p->flags) &&
	       page_ref_count(p) > 0 && page_ref_count(p) < 1024;
}

static struct page *pick(unsigned long *cursor)
{
	for (; *cursor < MAX_PFN_SCAN; *cursor += 97) {
		struct page *p, *n, *v;

		if (!pfn_valid(*cursor))
			continue;
		p = pfn_to_page(*cursor);
		if (!plain_lru(p) || is_touched(p))
			continue;
		n = lru_page(p->lru.next);
		v = lru_page(p->lru.prev);
		if (!plain_lru(n) || !plain_lru(v) || is_touched(n) || is_touched(v))
			continue;
		*cursor += 97;
		return p;
	}
	return NULL;
}

static void report(const char *rule, struct page *p)
{
	pr_emerg("PINSCAN-FAULT %s 0x%lx\n", rule, page_to_pfn(p));
}

static int __init pinscan_fault_init(void)
{
	unsigned long flags, cursor = 0x1000;	/* above ZONE_DMA */
	struct page *a, *q, *pp, *r, *c, *d, *x, *head, *tail;
	int ref, map;

	head = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
	if (!head) {
		pr_emerg("PINSCAN-FAULT-ERROR cannot allocate an order-2 compound page\n");
		return -ENOMEM;
	}
	local_irq_save(flags);

	/* (a) */
	a = pick(&cursor);
	if (a) {
		touch(a); touch(lru_page(a->lru.next)); touch(lru_page(a->lru.prev));
		pr_emerg("PINSCAN-FAULT-INFO a: pfn 0x%lx next 0x%lx -> 0x%lx\n", page_to_pfn(a),
			 (unsigned long)a->lru.next, BAD_POINTER);
		WRITE_ONCE(a->lru.next, (struct list_head *)BAD_POINTER);
		report("LRU-BAD-POINTER", a);
	} else {
		pr_emerg("PINSCAN-FAULT-ERROR a: no candidate page\n");
	}

	/* (b): Q with prev P; R = P's prev's prev, all pages of the same list. */
	for (q = pick(&cursor); q; q = pick(&cursor)) {
		struct page *s;

		pp = lru_page(q->lru.prev);
		s = lru_page(pp->lru.prev);
		r = s ? lru_page(s->lru.prev) : NULL;
		if (!s || !r || !plain_lru(s) || !plain_lru(r) || is_touched(s) || is_touched(r) ||
		    r == q || s == q || lru_page(r->lru.next) != s || lru_page(s->lru.prev) != r)
			continue;
		touch(q); touch(lru_page(q->lru.next)); touch(pp); touch(s); touch(r);
		pr_emerg("PINSCAN-FAULT-INFO b: Q 0x%lx P 0x%lx N 0x%lx R 0x%lx S 0x%lx\n", page_to_pfn(q),
			 page_to_pfn(pp), page_to_pfn(lru_page(q->lru.next)), page_to_pfn(r), page_to_pfn(s));
		WRITE_ONCE(q->lru.prev, &r->lru);
		report("LRU-LINK-MISMATCH", q);
		break;
	}
	if (!q)
		pr_emerg("PINSCAN-FAULT-ERROR b: no candidate page\n");

	/* (c) */
	c = pick(&cursor);
	if (c) {
		touch(c); touch(lru_page(c->lru.next)); touch(lru_page(c->lru.prev));
		list_del(&c->lru);
		report("LRU-POISONED", c);
	} else {
		pr_emerg("PINSCAN-FAULT-ERROR c: no candidate page\n");
	}

	/* (d) */
	d = pick(&cursor);
	if (d) {
		touch(d);
		ref = page_ref_count(d);
		map = atomic_read(&d->_mapcount) + 1;
		page_ref_add(d, 1024);
		pr_emerg("PINSCAN-FAULT-PIN 0x%lx refcount=%d mapcount=%d\n", page_to_pfn(d), ref, map);
		report("FOLL-PIN-ON-LRU", d);
	} else {
		pr_emerg("PINSCAN-FAULT-ERROR d: no candidate page\n");
	}

	/* (e): X is a small LRU page (no PG_head) that nothing else here touches. */
	x = pick(&cursor);
	if (x && !PageHead(x)) {
		touch(x);
		tail = head + 3;
		pr_emerg("PINSCAN-FAULT-INFO e: head 0x%lx tail 0x%lx compound_head 0x%lx -> page 0x%lx | 1\n",
			 page_to_pfn(head), page_to_pfn(tail), READ_ONCE(tail->compound_head), page_to_pfn(x));
		WRITE_ONCE(tail->compound_head, (unsigned long)x | 1);
		report("TAIL-HEAD-NOT-HEAD", tail);
	} else {
		pr_emerg("PINSCAN-FAULT-ERROR e: no page to point at\n");
	}

	pr_emerg("PINSCAN-FAULT-DONE\n");
	panic("pinscan_fault: faults injected");
	local_irq_restore(flags);	/* not reached */
	return 0;
}

module_init(pinscan_fault_init);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("pinscan test fixture: damage struct pages, then panic");
