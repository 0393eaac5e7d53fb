/* Unit test of the parallel scan (src/scan.c): a hand-made mem_map of five
 * 64-page sections, read through a kcore-style target (segments of a file
 * mapped at kernel addresses), where what the cross-page audit reports
 * depends on pages in other sections than the one being scanned:
 *   family A: head 32, order 7 (pfns 32..159) covers section 1 whole and
 *     ends inside section 2; tail 100 has _refcount 3 (TAIL-REFCOUNT only
 *     if the scan knows 100 is inside A), pfns 70, 80, 130 (LRU pages
 *     below) and 140 are no tails of A: HEAD-TAIL-MISMATCH at 32, made in
 *     section 2 and counting pages of sections 1 and 2;
 *   family B: head 224, order 5 (224..255) ends where section 3 ends, pfn
 *     250 is no tail of B: HEAD-TAIL-MISMATCH at 224, made when the scan
 *     meets pfn 256, in section 4;
 *   pfn 257: a tail pointing at B's head, outside B (TAIL-OUTSIDE-FOLIO);
 *   an LRU list H1 -> 10 -> 70 -> 130 -> 200 -> 300 -> H1 through every
 *     section, and H2 -> 20 -> 80 -> 190 -> H2 where 190's prev is 20,
 *     not 80, while 20's next is 80: 190 holds the stale link
 *     (LRU-LINK-MISMATCH at 190, found from section 2 looking into 0).
 * The report must be the same, byte for byte, for 1 to 5 threads, and hold
 * those findings. (A kcore target is live: the unreachable-page pass and
 * the audit's cache are off; the synthetic and real dumps cover them, each
 * case rescanned with -j 1 and -j 3 by tests/run-case.sh.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../src/scan.h"
#include "handmade.h"
#include "unit.h"

#define VMEMMAP HM_VMEMMAP
#define HEADS HM_HEADS
#define PPS 64			/* pages per section */
#define NR_SECTIONS 5
#define NR_PAGES (PPS * NR_SECTIONS)
#define SPS HM_SPS
#define LRU_OFF HM_LRU_OFF
#define ORDER_OFF (SPS + 40)	/* page[1]'s order byte */

#define PG_LRU (1u << 4)
#define PG_HEAD (1u << 16)
#define PG_SWAPBACKED (1u << 19)

static uint8_t image[NR_PAGES * SPS + 4096];

static uint64_t page_va(uint64_t pfn)
{
	return VMEMMAP + pfn * SPS;
}

static void put64(uint64_t off, uint64_t v)
{
	hm_put64(image, off, v);
}

static void put32(uint64_t off, uint32_t v)
{
	memcpy(image + off, &v, 4);
}

/* A head of order, every page after it a tail pointing back. */
static void family(uint64_t head_pfn, unsigned order)
{
	uint64_t p;

	put64(head_pfn * SPS, PG_HEAD);
	put32(head_pfn * SPS + 52, 1);
	image[head_pfn * SPS + ORDER_OFF] = (uint8_t)order;
	for (p = head_pfn + 1; p < head_pfn + (1u << order); p++)
		put64(p * SPS + 8, page_va(head_pfn) | 1);
}

static void build_image(void)
{
	uint64_t pfn;

	for (pfn = 0; pfn < NR_PAGES; pfn++)
		put32(pfn * SPS + 48, (uint32_t)-1);	/* _mapcount -1 */
	family(32, 7);
	put32(100 * SPS + 52, 3);
	put64(140 * SPS + 8, 0);
	family(224, 5);
	put64(250 * SPS + 8, 0);
	put64(257 * SPS + 8, page_va(224) | 1);

	hm_list_head(image, NR_PAGES * SPS, 1, hm_lru_of(10), hm_lru_of(300));
	hm_lru_page(image, 10, hm_lru_of(70), hm_head(1));
	hm_lru_page(image, 70, hm_lru_of(130), hm_lru_of(10));
	hm_lru_page(image, 130, hm_lru_of(200), hm_lru_of(70));
	hm_lru_page(image, 200, hm_lru_of(300), hm_lru_of(130));
	hm_lru_page(image, 300, hm_head(1), hm_lru_of(200));

	hm_list_head(image, NR_PAGES * SPS, 2, hm_lru_of(20), hm_lru_of(190));
	hm_lru_page(image, 20, hm_lru_of(80), hm_head(2));
	hm_lru_page(image, 80, hm_lru_of(190), hm_lru_of(20));
	hm_lru_page(image, 190, hm_head(2), hm_lru_of(20));
}

static void test_layout(struct page_layout *pl)
{
	hm_layout(pl);
	pl->order_kind = ORDER_BYTE;
	pl->order = (struct field){ true, ORDER_OFF, 1 };
}

/* The JSON report of a scan on threads threads, or NULL. */
static char *scan_json(struct memmap *mm, unsigned threads)
{
	struct scan_params p = { .audit = true, .threads = threads };
	struct ps_err err = { 0 };
	struct report r;
	char *json = NULL;
	size_t len = 0;
	FILE *out;

	report_init(&r, mm->pl);
	r.dump_path = "test";
	r.dump_format = "kcore";
	r.kernel = "test";
	if (scan_all(mm, &r, &p, &err)) {
		printf("  scan with %u threads: %s\n", threads, err.msg);
		report_free(&r);
		return NULL;
	}
	out = open_memstream(&json, &len);
	if (out) {
		report_print_json(&r, out);
		fclose(out);
	}
	report_free(&r);
	return json;
}

static bool has_finding(const char *json, const char *rule, uint64_t pfn)
{
	char want[128];

	snprintf(want, sizeof(want),
		 "\"rule\": \"%s\", \"severity\": \"error\", \"pfn\": %llu,",
		 rule, (unsigned long long)pfn);
	return json && strstr(json, want);
}

int main(void)
{
	struct kcore_segment segs[2];
	struct mm_section sections[NR_SECTIONS];
	struct page_layout pl;
	struct target t;
	struct memmap mm;
	char *one, *many;
	unsigned threads, i;
	int fd;

	build_image();
	fd = hm_target(&t, segs, image, NR_PAGES * SPS);
	if (fd < 0)
		return 99;
	test_layout(&pl);
	for (i = 0; i < NR_SECTIONS; i++)
		sections[i] = (struct mm_section){
			.nr = i, .start_pfn = i * PPS, .map = VMEMMAP,
		};
	memset(&mm, 0, sizeof(mm));
	mm.t = &t;
	mm.pl = &pl;
	mm.pages_per_section = PPS;
	mm.sections = sections;
	mm.nr_sections = NR_SECTIONS;

	one = scan_json(&mm, 1);
	CHECK(one != NULL, "the scan on one thread");
	if (getenv("TEST_SCAN_PRINT"))
		fputs(one, stdout);
	CHECK(has_finding(one, "TAIL-REFCOUNT", 100),
	      "TAIL-REFCOUNT at 100, a tail of a family whose head is two sections back");
	CHECK(one && strstr(one, "\"pfn\": 32, \"message\": \"4 of its 127 tail pages do not point back (first: pfn 0x46)"),
	      "HEAD-TAIL-MISMATCH at 32: 4 pages in two sections are no tails of it");
	CHECK(has_finding(one, "HEAD-TAIL-MISMATCH", 224),
	      "HEAD-TAIL-MISMATCH at 224, a family that ends with its section");
	CHECK(has_finding(one, "TAIL-OUTSIDE-FOLIO", 257),
	      "TAIL-OUTSIDE-FOLIO at 257, pointing back into the section before");
	CHECK(has_finding(one, "LRU-LINK-MISMATCH", 190),
	      "LRU-LINK-MISMATCH at 190, whose prev (two sections back) points elsewhere");
	CHECK(one && strstr(one, "\"findings\": 5,"),
	      "those five findings, no other");
	CHECK(one && strstr(one, "\"length\": 5, \"first_pfn\": 10, \"status\": \"ok\""),
	      "H1's list, through all five sections, is ok with 5 pages");
	for (threads = 2; threads <= NR_SECTIONS; threads++) {
		char what[80];

		many = scan_json(&mm, threads);
		snprintf(what, sizeof(what),
			 "%u threads: the report of one thread, byte for byte",
			 threads);
		CHECK(one && many && !strcmp(one, many), what);
		if (one && many && strcmp(one, many))
			printf("--- one thread:\n%s--- %u threads:\n%s", one,
			       threads, many);
		free(many);
	}
	free(one);
	close(fd);
	return unit_exit();
}
