/* Unit test of the LRU list rebuild in src/audit.c on a hand-made mem_map:
 * 64 struct pages and four list heads in a memory image read through a
 * kcore-style target (segments of a file mapped at kernel addresses), so
 * that each list ends the way it is built to, and the rebuild must say so:
 *   H1 -> 1 -> 2 -> 3 -> H1          ok, 3 pages
 *   H2 -> 10 -> 11 -> (no page)      broken, 2 pages; LRU-BAD-POINTER at 11
 *   H3 -> 20 -> 2 (H1's)             joined, 1 page
 *   H4 -> 30 -> 31 -> 32 -> 31 ...   a loop that never comes back: too-long
 * A live target (kcore) has no unreachable-page pass, so only the rebuild
 * and the per-link rules are exercised here; the synthetic dumps cover
 * the rest end to end. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../src/audit.h"
#include "handmade.h"
#include "unit.h"

#define VMEMMAP HM_VMEMMAP
#define HEADS HM_HEADS
#define NOWHERE 0xffff888000300000ull	/* mapped by no segment */
#define NR_PAGES 64
#define SPS HM_SPS
#define LRU_OFF HM_LRU_OFF

static uint8_t image[2 * 4096];

static void build_image(void)
{
	uint64_t pfn;

	for (pfn = 0; pfn < NR_PAGES; pfn++)
		memcpy(image + pfn * SPS + 48, &(int32_t){ -1 }, 4);
	hm_list_head(image, NR_PAGES * SPS, 1, hm_lru_of(1), hm_lru_of(3));
	hm_lru_page(image, 1, hm_lru_of(2), hm_head(1));
	hm_lru_page(image, 2, hm_lru_of(3), hm_lru_of(1));
	hm_lru_page(image, 3, hm_head(1), hm_lru_of(2));

	hm_list_head(image, NR_PAGES * SPS, 2, hm_lru_of(10), hm_lru_of(11));
	hm_lru_page(image, 10, hm_lru_of(11), hm_head(2));
	hm_lru_page(image, 11, NOWHERE, hm_lru_of(10));

	hm_list_head(image, NR_PAGES * SPS, 3, hm_lru_of(20), hm_lru_of(20));
	hm_lru_page(image, 20, hm_lru_of(2), hm_head(3));

	hm_list_head(image, NR_PAGES * SPS, 4, hm_lru_of(30), hm_lru_of(32));
	hm_lru_page(image, 30, hm_lru_of(31), hm_head(4));
	hm_lru_page(image, 31, hm_lru_of(32), hm_lru_of(30));
	hm_lru_page(image, 32, hm_lru_of(31), hm_lru_of(31));
}

struct seen {
	unsigned bad_pointer_at_11, others;
};

static void on_finding(void *arg, const struct finding *f)
{
	struct seen *s = arg;

	if (!strcmp(f->rule->id, "LRU-BAD-POINTER") && f->pfn == 11)
		s->bad_pointer_at_11++;
	else
		s->others++;
	printf("  finding %s at %#llx: %s\n", f->rule->id,
	       (unsigned long long)f->pfn, f->message);
}

static const struct lru_list *list_of(const struct audit *a, uint64_t h)
{
	size_t i;

	for (i = 0; i < a->nr_lists; i++)
		if (a->lists[i].head == h)
			return &a->lists[i];
	return NULL;
}

static bool list_is(const struct audit *a, unsigned h,
		    enum lru_list_status status, uint64_t length,
		    uint64_t first_pfn)
{
	const struct lru_list *l = list_of(a, hm_head(h));

	if (!l)
		return false;
	printf("  list %u: %s, %llu pages from pfn %#llx\n", h,
	       lru_list_status_name(l->status), (unsigned long long)l->length,
	       (unsigned long long)l->first_pfn);
	return l->status == status && l->length == length &&
	       l->first_pfn == first_pfn;
}

int main(void)
{
	struct kcore_segment segs[2];
	struct mm_section section = { .nr = 0, .start_pfn = 0, .map = VMEMMAP };
	struct page_layout pl;
	struct target t;
	struct memmap mm;
	struct audit a;
	struct seen seen = { 0 };
	struct ps_err err = { 0 };
	struct page_state ps;
	uint64_t pfn;
	int fd;

	build_image();
	fd = hm_target(&t, segs, image, NR_PAGES * SPS);
	if (fd < 0)
		return 99;
	hm_layout(&pl);
	memset(&mm, 0, sizeof(mm));
	mm.t = &t;
	mm.pl = &pl;
	mm.pages_per_section = NR_PAGES;
	mm.sections = &section;
	mm.nr_sections = 1;

	CHECK(audit_init(&a, &mm, on_finding, &seen, &err) == PS_OK,
	      "audit over a 64-page mem_map");
	for (pfn = 0; pfn < NR_PAGES; pfn++) {
		if (audit_read_page(&a, pfn, &ps))
			audit_page(&a, &ps);
		else
			audit_missing(&a, pfn);
	}
	CHECK(audit_finish(&a, &err) == PS_OK && a.nr_lists == 4,
	      "four list heads found through the pages' links");
	CHECK(list_is(&a, 1, LRU_LIST_OK, 3, 1),
	      "H1: ok, 3 pages from pfn 1, back at its head");
	CHECK(list_is(&a, 2, LRU_LIST_BROKEN, 2, 10),
	      "H2: broken after 2 pages, at a link to no page");
	CHECK(list_is(&a, 3, LRU_LIST_JOINED, 1, 20),
	      "H3: joined H1's pages after 1 page");
	CHECK(list_is(&a, 4, LRU_LIST_TOO_LONG, 3, 30),
	      "H4: a loop back into its own pages, not another list's, is too-long");
	CHECK(seen.bad_pointer_at_11 == 1,
	      "LRU-BAD-POINTER at pfn 11, whose next is neither a page nor a head");
	audit_free(&a);
	close(fd);
	return unit_exit();
}
