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
#include "unit.h"

#define VMEMMAP 0xffffea0000000000ull
#define HEADS 0xffff888000100000ull
#define PPS 64			/* pages per section */
#define NR_SECTIONS 5
#define NR_PAGES (PPS * NR_SECTIONS)
#define SPS 64
#define LRU_OFF 8
#define ORDER_OFF (SPS + 40)	/* page[1]'s order byte */

#define PG_LRU (1u << 4)
#define PG_HEAD (1u << 16)
#define PG_SWAPBACKED (1u << 19)

static uint8_t image[NR_PAGES * SPS + 4096];

static uint64_t page_va(uint64_t pfn)
{
	return VMEMMAP + pfn * SPS;
}

static uint64_t lru_of(uint64_t pfn)
{
	return page_va(pfn) + LRU_OFF;
}

static uint64_t head(unsigned i)
{
	return HEADS + i * 16;
}

static void put64(uint64_t off, uint64_t v)
{
	memcpy(image + off, &v, 8);
}

static void put32(uint64_t off, uint32_t v)
{
	memcpy(image + off, &v, 4);
}

static void lru_page(uint64_t pfn, uint64_t next, uint64_t prev)
{
	put64(pfn * SPS, PG_LRU | PG_SWAPBACKED);
	put64(pfn * SPS + LRU_OFF, next);
	put64(pfn * SPS + LRU_OFF + 8, prev);
	put32(pfn * SPS + 52, 1);
}

static void list_head(unsigned i, uint64_t next, uint64_t prev)
{
	put64(NR_PAGES * SPS + i * 16, next);
	put64(NR_PAGES * SPS + i * 16 + 8, prev);
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

	list_head(1, lru_of(10), lru_of(300));
	lru_page(10, lru_of(70), head(1));
	lru_page(70, lru_of(130), lru_of(10));
	lru_page(130, lru_of(200), lru_of(70));
	lru_page(200, lru_of(300), lru_of(130));
	lru_page(300, head(1), lru_of(200));

	list_head(2, lru_of(20), lru_of(190));
	lru_page(20, lru_of(80), head(2));
	lru_page(80, lru_of(190), lru_of(20));
	lru_page(190, head(2), lru_of(20));
}

static void test_layout(struct page_layout *pl)
{
	layout_init(pl);
	pl->struct_page_size = SPS;
	pl->flags = (struct field){ true, 0, 8 };
	pl->compound_head = (struct field){ true, 8, 8 };
	pl->lru = (struct field){ true, LRU_OFF, 16 };
	pl->mapcount = (struct field){ true, 48, 4 };
	pl->refcount = (struct field){ true, 52, 4 };
	pl->order_kind = ORDER_BYTE;
	pl->order = (struct field){ true, ORDER_OFF, 1 };
	pl->pin_scheme = PIN_SCHEME_FOLL;
	pageflags_add_enumerator(&pl->pf, "PG_lru", 4);
	pageflags_add_enumerator(&pl->pf, "PG_active", 5);
	pageflags_add_enumerator(&pl->pf, "PG_head", 16);
	pageflags_add_enumerator(&pl->pf, "PG_unevictable", 18);
	pageflags_add_enumerator(&pl->pf, "PG_swapbacked", 19);
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
	char path[] = "/tmp/pinscan-test-scan-XXXXXX";
	struct kcore_segment segs[2] = {
		{ .vaddr = VMEMMAP, .paddr = ~0ull, .offset = 0,
		  .size = NR_PAGES * SPS },
		{ .vaddr = HEADS, .paddr = ~0ull, .offset = NR_PAGES * SPS,
		  .size = 4096 },
	};
	struct mm_section sections[NR_SECTIONS];
	struct page_layout pl;
	struct target t;
	struct memmap mm;
	char *one, *many;
	unsigned threads, i;
	int fd = mkstemp(path);

	build_image();
	if (fd < 0 || write(fd, image, sizeof(image)) != (ssize_t)sizeof(image)) {
		perror(path);
		return 99;
	}
	unlink(path);
	test_layout(&pl);
	memset(&t, 0, sizeof(t));
	t.path = path;
	t.live = true;
	t.page_size = 4096;
	t.fd = fd;
	t.kc.fd = fd;
	t.kc.segs = segs;
	t.kc.nr_segs = 2;
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
