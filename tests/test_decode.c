/* Unit tests of the pure decode stage, on hand-made struct pages with a
 * hand-made layout (the 6.1 and RFC shapes). The end-to-end tests use
 * real DWARF; these pin down the decisions one by one. */
#include <string.h>

#include "../src/checks.h"
#include "../src/decode.h"
#include "unit.h"

static struct field at(uint32_t off, uint32_t size)
{
	struct field f = { true, off, size };
	return f;
}

/* 6.1 x86-64: flags 0, lru/compound_head 8, _mapcount 48, _refcount 52;
 * page[1].compound_order at 64+17, page[1].compound_pincount at 64+24. */
static void layout_61(struct page_layout *pl)
{
	layout_init(pl);
	pl->struct_page_size = 64;
	pl->flags = at(0, 8);
	pl->compound_head = at(8, 8);
	pl->lru = at(8, 16);
	pl->list_prev_off = 8;
	pl->mapcount = at(48, 4);
	pl->refcount = at(52, 4);
	pl->order_kind = ORDER_BYTE;
	pl->order = at(64 + 17, 1);
	pl->pin_scheme = PIN_SCHEME_FOLL;
	pl->large_pin_kind = LARGE_PIN_COMPOUND_PINCOUNT;
	pl->large_pin = at(64 + 24, 4);
	pl->large_pin_min_order = 1;
	pageflags_add_enumerator(&pl->pf, "PG_lru", 4);
	pageflags_add_enumerator(&pl->pf, "PG_slab", 9);
	pageflags_add_enumerator(&pl->pf, "PG_head", 16);
}

static void put32(uint8_t *p, uint32_t off, uint32_t v) { memcpy(p + off, &v, 4); }
static void put64(uint8_t *p, uint32_t off, uint64_t v) { memcpy(p + off, &v, 8); }

static void test_refcount_bias(void)
{
	struct page_layout pl;
	struct page_state ps;
	uint8_t raw[64] = { 0 };

	layout_61(&pl);
	put32(raw, 48, 0);		/* mapcount 1 */
	put32(raw, 52, 1025);
	page_decode(&pl, raw, 1, 7, &ps);
	CHECK(ps.pin_how == PIN_HOW_REFCOUNT_BIAS && ps.pincount == 1 &&
	      ps.pin_confidence == PIN_CONF_LIKELY,
	      "a small page with refcount 1025 and mapcount 1 is likely pinned once");
	put32(raw, 48, 1999);		/* mapcount 2000 */
	put32(raw, 52, 2048);
	page_decode(&pl, raw, 1, 7, &ps);
	CHECK(ps.pin_how == PIN_HOW_REFCOUNT_BIAS &&
	      ps.pin_confidence == PIN_CONF_POSSIBLE,
	      "refcount 2048 with mapcount 2000 is only possibly pinned");
	put32(raw, 52, 1023);
	put32(raw, 48, 0xffffffff);
	page_decode(&pl, raw, 1, 7, &ps);
	CHECK(ps.pin_how == PIN_HOW_NONE, "refcount 1023 is not pinned");
}

/* Every bit pattern decodes without undefined behaviour (the suite runs
 * under UBSan): _mapcount 0x7fffffff wraps to a negative count. */
static void test_hostile_words(void)
{
	struct page_layout pl;
	struct page_state ps;
	uint8_t raw[64];

	layout_61(&pl);
	memset(raw, 0, sizeof(raw));
	put32(raw, 48, 0x7fffffff);
	put32(raw, 52, 0xffffffff);
	page_decode(&pl, raw, 1, 7, &ps);
	CHECK(ps.mapcount == INT32_MIN,
	      "_mapcount 0x7fffffff + 1 wraps, no signed overflow");
	memset(raw, 0xff, sizeof(raw));
	page_decode(&pl, raw, 1, 7, &ps);
	CHECK(ps.tail && ps.head_addr == ~1ull && ps.mapcount == 0,
	      "all ones: a tail pointing at ~1, _mapcount -1 is no mapping");
}

static void test_large_folio(void)
{
	struct page_layout pl;
	struct page_state ps;
	uint8_t raw[3 * 64] = { 0 };

	layout_61(&pl);
	put64(raw, 0, 1ull << 16);	/* PG_head */
	put32(raw, 52, 513);
	raw[64 + 17] = 9;
	put64(raw, 64 + 8, 0xffffea0000000000ull | 1);
	put32(raw, 64 + 24, 512);
	page_decode(&pl, raw, 3, 512, &ps);
	CHECK(ps.head && ps.order == 9 && ps.nr_pages == 512 &&
	      ps.pin_how == PIN_HOW_LARGE_EXACT && ps.pincount == 512 &&
	      ps.pin_confidence == PIN_CONF_EXACT,
	      "a THP head with compound_pincount 512 is pinned exactly, 512 pages");
	page_decode(&pl, raw + 64, 2, 513, &ps);
	CHECK(ps.tail && ps.pin_how == PIN_HOW_NONE &&
	      ps.head_addr == 0xffffea0000000000ull,
	      "its tail page is a tail, pointing at the head, not pinned itself");
	page_decode(&pl, raw, 1, 512, &ps);
	CHECK(ps.head && ps.nr_pages == 1 && ps.pin_how == PIN_HOW_NONE,
	      "a head whose page[1] is not available is not guessed at");
	raw[64 + 17] = 0xff;
	page_decode(&pl, raw, 3, 512, &ps);
	CHECK(ps.bad_order && ps.nr_pages == 1,
	      "an absurd order is flagged, not used");
}

static void test_rfc(void)
{
	struct page_layout pl;
	struct page_state ps;
	uint8_t raw[64] = { 0 };

	layout_61(&pl);
	pl.pin_scheme = PIN_SCHEME_RFC;
	pl.rfc_flags = at(8, 8);
	pl.rfc_count = at(16, 4);
	pl.rfc_pin_mask = 0x2;
	put64(raw, 8, 0x2);
	put32(raw, 16, 3);
	put32(raw, 52, 5000);
	page_decode(&pl, raw, 1, 1, &ps);
	CHECK(ps.pin_how == PIN_HOW_RFC_FLAG && ps.pincount == 3,
	      "RFC v1: bit 1 of dma_pinned_flags pins, with dma_pinned_count");
	pl.rfc_pin_mask = 0x4;
	page_decode(&pl, raw, 1, 1, &ps);
	CHECK(ps.pin_how == PIN_HOW_NONE,
	      "RFC v2 reads bit 2: the v1 bit alone is no pin (and no refcount test)");
	pl.rfc_pin_mask = 0x2;
	put64(raw, 8, 0xffffea0000001000ull | 0x3);
	page_decode(&pl, raw, 1, 1, &ps);
	CHECK(ps.pin_how == PIN_HOW_NONE && ps.rfc_pin_on_tail && ps.tail,
	      "a word with the tail bit and the pin bit is a finding, not a pin");
}

static void test_page_types(void)
{
	struct page_layout pl;
	struct page_state ps;
	uint8_t raw[64] = { 0 };

	layout_61(&pl);
	put32(raw, 48, 0xf0000000u & ~0x80u);
	page_decode(&pl, raw, 1, 1, &ps);
	CHECK(ps.buddy && ps.typed && ps.mapcount == 0,
	      "6.1: page_type 0xefffff7f... with PG_buddy cleared is buddy");
	/* 6.12: no PG_slab, enum pagetype in the top byte. */
	pageflags_init(&pl.pf);
	pageflags_add_enumerator(&pl.pf, "PG_lru", 4);
	pageflags_add_enumerator(&pl.pf, "PG_head", 6);
	pageflags_add_pagetype(&pl.pf, "PGTY_buddy", 0xf0);
	pageflags_add_pagetype(&pl.pf, "PGTY_slab", 0xf5);
	put32(raw, 48, 0xf5000000u);
	page_decode(&pl, raw, 1, 1, &ps);
	CHECK(ps.slab && !ps.buddy, "6.12: top byte 0xf5 is slab");
	put32(raw, 48, 0xffffffffu);
	page_decode(&pl, raw, 1, 1, &ps);
	CHECK(!ps.typed && ps.mapcount == 0, "6.12: _mapcount -1 is untyped, unmapped");
}

/* v7.1 compound_info: a mask when the layout allows it and the word has
 * the shape GENMASK(63, s) | 1; anything else is still head | 1. */
static void test_compound_info_mask(void)
{
	struct page_layout pl;
	struct page_state ps;
	uint8_t raw[64] = { 0 };
	uint64_t tail = 0xffffea0000008040ull;	/* pfn 0x201 */

	layout_61(&pl);
	pl.compound_info_mask = 1;
	put64(raw, 8, (~0ull << (9 + 6)) | 1);	/* order 9 */
	page_decode(&pl, raw, 1, 0x201, &ps);
	CHECK(ps.tail && ps.head_mask == ~0ull << 15 &&
	      page_tail_head_addr(&ps, tail) == 0xffffea0000008000ull,
	      "a mask tail leads to its own address rounded down to the folio");
	put64(raw, 8, 0xffffea0000008000ull | 1);
	page_decode(&pl, raw, 1, 0x201, &ps);
	CHECK(ps.tail && !ps.head_mask &&
	      page_tail_head_addr(&ps, tail) == 0xffffea0000008000ull,
	      "a head pointer (no HVO) is still read as a pointer");
	put64(raw, 8, (~0ull << 40) | 1);	/* order 34: absurd */
	page_decode(&pl, raw, 1, 0x201, &ps);
	CHECK(ps.tail && !ps.head_mask,
	      "a mask wider than any folio is not taken for one");
	pl.compound_info_mask = 0;
	put64(raw, 8, (~0ull << 15) | 1);
	page_decode(&pl, raw, 1, 0x201, &ps);
	CHECK(!ps.head_mask && ps.head_addr == ~0ull << 15,
	      "without compound_info in the layout no mask is assumed");
}

/* v6.15+: a large folio's mappings from _large_mapcount. */
static void test_large_mapcount(void)
{
	struct page_layout pl;
	struct page_state ps;
	uint8_t raw[2 * 64] = { 0 };

	layout_61(&pl);
	pl.large_mapcount = at(64 + 16, 4);
	put64(raw, 0, 1ull << 16);	/* PG_head */
	raw[64 + 17] = 2;
	put32(raw, 48, 0xffffffff);	/* per-page _mapcount unmaintained */
	put32(raw, 52, 2);
	put32(raw, 64 + 16, 7);		/* 8 mappings */
	page_decode(&pl, raw, 2, 512, &ps);
	CHECK(ps.head && ps.mapcount == 8,
	      "a head's mapcount is _large_mapcount + 1 when the layout has it");
	page_decode(&pl, raw, 1, 512, &ps);
	CHECK(ps.mapcount == 0,
	      "without page[1] the head's own _mapcount stands");
}

static void count_finding(void *arg, const struct finding *f)
{
	(void)f;
	(*(unsigned *)arg)++;
}

/* Is page_is_plain's answer for raw one page_decode and checks_page
 * agree with: nothing recorded but the count (buddy, slab)? */
static bool plain_agrees(const struct page_layout *pl, const uint8_t *raw,
			 bool *plain)
{
	struct page_state ps;
	unsigned findings = 0;
	bool buddy, slab;

	*plain = page_is_plain(pl, raw, &buddy, &slab);
	if (!*plain)
		return true;
	page_decode(pl, raw, 1, 1, &ps);
	checks_page(pl, &ps, count_finding, &findings);
	return !findings && !ps.lru && !ps.head && !ps.tail &&
	       ps.pin_how == PIN_HOW_NONE && !ps.rfc_other_bit &&
	       !ps.rfc_pin_on_tail && ps.buddy == buddy && ps.slab == slab;
}

/* The scan's shortcut (page_is_plain) against the full decode and the
 * per-page rules, on every combination of the words that decide them:
 * flags, the tail bit (and the RFC pin bits in the same word), counts
 * around zero and the pin bias, page types of both encodings, a mapping,
 * for a FOLL_PIN, an RFC and a 6.12 layout. */
static void test_plain_pages(void)
{
	static const uint64_t head_words[] = {
		0, 0xffffea0000001000ull, 0xffffea0000001001ull, 0x2, 0x4, 0x6,
	};
	static const uint32_t refcounts[] = {
		0, 1, 2, 1023, 1024, 1025, 0x7fffffff, 0x80000000u, 0xffffffffu,
	};
	static const uint32_t page_types[] = {
		0xffffffffu, 0, 1, 5, 0xf0000000u, 0xf5000000u, 0xefffff7fu,
		0xffffff7fu, 0xffffff80u, 0x7fffffff,
	};
	static const uint64_t mappings[] = { 0, 0xffff888000001000ull };
	struct page_layout layouts[3];
	unsigned plain = 0, other = 0, wrong = 0, l, fl, h, r, t, m;

	layout_61(&layouts[0]);
	layouts[0].mapping = at(24, 8);
	layouts[1] = layouts[0];
	layouts[1].pin_scheme = PIN_SCHEME_RFC;
	layouts[1].rfc_flags = at(8, 8);
	layouts[1].rfc_count = at(16, 4);
	layouts[2] = layouts[0];
	pageflags_init(&layouts[2].pf);
	pageflags_add_enumerator(&layouts[2].pf, "PG_lru", 4);
	pageflags_add_enumerator(&layouts[2].pf, "PG_head", 6);
	pageflags_add_pagetype(&layouts[2].pf, "PGTY_buddy", 0xf0);
	pageflags_add_pagetype(&layouts[2].pf, "PGTY_slab", 0xf5);
	for (l = 0; l < 3; l++)
	for (fl = 0; fl < 64; fl++)
	for (h = 0; h < sizeof(head_words) / sizeof(head_words[0]); h++)
	for (r = 0; r < sizeof(refcounts) / sizeof(refcounts[0]); r++)
	for (t = 0; t < sizeof(page_types) / sizeof(page_types[0]); t++)
	for (m = 0; m < 2; m++) {
		/* Bits 3..8 of flags: lru (4), PG_head on 6.12 (6), others. */
		uint64_t flags = (uint64_t)fl << 3 | (fl & 1 ? 1u << 9 : 0) |
				 (fl & 2 ? 1u << 16 : 0);
		uint8_t raw[64] = { 0 };
		bool is_plain;

		put64(raw, 0, flags);
		put64(raw, 8, head_words[h]);
		put32(raw, 16, 3);		/* RFC dma_pinned_count */
		put64(raw, 24, mappings[m]);
		put32(raw, 48, page_types[t]);
		put32(raw, 52, refcounts[r]);
		if (!plain_agrees(&layouts[l], raw, &is_plain))
			wrong++;
		if (is_plain)
			plain++;
		else
			other++;
	}
	printf("  %u plain, %u decoded in full, %u disagreeing\n", plain, other,
	       wrong);
	CHECK(!wrong, "a page page_is_plain() calls plain is only counted by the full decode and checks");
	CHECK(plain && other, "some pages are plain, some are not");
}

int main(void)
{
	test_refcount_bias();
	test_hostile_words();
	test_large_folio();
	test_rfc();
	test_page_types();
	test_compound_info_mask();
	test_large_mapcount();
	test_plain_pages();
	return unit_exit();
}
