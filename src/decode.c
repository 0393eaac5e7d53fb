#include <string.h>

#include "decode.h"

/* Inlined at each use: the scan reads ten fields of every struct page,
 * and a call each cost more than the reads. */
static inline __attribute__((always_inline)) uint64_t
get_field(const uint8_t *raw, const struct field *f)
{
	uint64_t v = 0;

	if (!f->present)
		return 0;
	switch (f->size) {
	case 1:
		return raw[f->off];
	case 2: {
		uint16_t x;
		memcpy(&x, raw + f->off, 2);
		return x;
	}
	case 4: {
		uint32_t x;
		memcpy(&x, raw + f->off, 4);
		return x;
	}
	default:
		memcpy(&v, raw + f->off, 8);
		return v;
	}
}

/* page_type, in a union with _mapcount, says whether the page is typed
 * (buddy, slab...) or mapped. */
static void decode_page_type(const struct page_layout *pl,
			     struct page_state *ps)
{
	struct page_type t = page_type_decode(&pl->pf, ps->flags,
					      ps->page_type);

	ps->typed = t.typed;
	ps->buddy = t.buddy;
	ps->slab = t.slab;
	/* _mapcount + 1 in unsigned arithmetic: 0x7fffffff (an overflowed
	 * or corrupt count) wraps instead of overflowing an int. */
	ps->mapcount = ps->typed ? 0 : (int32_t)(ps->page_type + 1u);
}

/* GENMASK(63, s) | 1 with s between 1 + log2(sizeof(struct page)) and
 * that + MAX_SANE_ORDER: what set_compound_head() stores in the mask form.
 * No head pointer has this shape (it would be in the top 2^s bytes of the
 * address space, above every mem_map). */
static uint64_t compound_info_mask(const struct page_layout *pl, uint64_t word)
{
	uint64_t mask = word & ~1ull, low = ~mask;
	unsigned shift, sps_shift;

	if (!pl->compound_info_mask || !(word & 1) || (low & (low + 1)) ||
	    !mask)
		return 0;
	/* low is 2^shift - 1; the mask form needs a power-of-two struct
	 * page (layout.c), whose log2 is its count of trailing zeros. */
	shift = (unsigned)__builtin_ctzll(mask);
	sps_shift = (unsigned)__builtin_ctz(pl->struct_page_size);
	if (shift <= sps_shift || shift > sps_shift + MAX_SANE_ORDER)
		return 0;
	return mask;
}

/* The folio's mappings from folio->_large_mapcount (v6.15+), where the
 * per-page _mapcount may not be maintained. */
static void decode_large_mapcount(const struct page_layout *pl,
				  const uint8_t *raw, uint64_t nr_following,
				  struct page_state *ps)
{
	uint64_t need = pl->large_mapcount.off / pl->struct_page_size + 1;

	if (!ps->head || !pl->large_mapcount.present || nr_following < need)
		return;
	/* + 1 unsigned, as for _mapcount: 0x7fffffff wraps, no overflow. */
	ps->mapcount = (int32_t)((uint32_t)get_field(raw, &pl->large_mapcount) + 1u);
}

static void decode_order(const struct page_layout *pl, const uint8_t *raw,
			 uint64_t nr_following, struct page_state *ps)
{
	uint64_t need = pl->order.off / pl->struct_page_size + 1;
	uint64_t order;

	ps->nr_pages = 1;
	if (!ps->head || pl->order_kind == ORDER_NONE || nr_following < need)
		return;
	order = get_field(raw, &pl->order);
	if (pl->order_kind == ORDER_FLAGS_1_LOW_BYTE)
		order &= 0xff;
	ps->raw_order = (unsigned)(order & 0xff);
	if (order > MAX_SANE_ORDER || order == 0) {
		/* A head has at least one tail: order 0 is as wrong as 200. */
		ps->bad_order = true;
		return;
	}
	ps->order = (unsigned)order;
	ps->nr_pages = 1ull << order;
	if (pl->nr_pages.present &&
	    nr_following > pl->nr_pages.off / pl->struct_page_size) {
		ps->folio_nr_pages = get_field(raw, &pl->nr_pages);
		ps->nr_pages_mismatch = ps->folio_nr_pages != ps->nr_pages;
	}
}

static void decode_rfc_pin(const struct page_layout *pl, const uint8_t *raw,
			   struct page_state *ps)
{
	uint64_t word = get_field(raw, &pl->rfc_flags);

	if (!(word & pl->rfc_pin_mask)) {
		/* SetPageDmaPinned writes the whole word: exactly the other
		 * variant's mask (v1 0x2, v2 0x4) with a count is a pin that
		 * --rfc-pin-bit does not see, told so after the scan. */
		ps->rfc_other_bit = word == (pl->rfc_pin_mask ^ 0x6) &&
				    (int32_t)get_field(raw, &pl->rfc_count) > 0;
		return;
	}
	/* Bit 0 is PageTail: the RFC's pin bit avoids it, so a word with
	 * both is a tail page whose head pointer is corrupt, not a pin. */
	if (word & 1) {
		ps->rfc_pin_on_tail = true;
		return;
	}
	ps->pin_how = PIN_HOW_RFC_FLAG;
	ps->pin_confidence = PIN_CONF_EXACT;
	ps->pincount = (int32_t)get_field(raw, &pl->rfc_count);
}

/* A large folio's exact pin count, when this head has one; false for
 * pages that do not (small pages, tails, an order too small). */
static bool decode_large_pin(const struct page_layout *pl, const uint8_t *raw,
			     uint64_t nr_following, struct page_state *ps)
{
	uint64_t need = pl->large_pin.off / pl->struct_page_size + 1;
	int32_t count;

	if (!ps->head || ps->bad_order || pl->large_pin_kind == LARGE_PIN_NONE ||
	    ps->order < pl->large_pin_min_order || nr_following < need)
		return false;
	count = (int32_t)get_field(raw, &pl->large_pin);
	ps->large_pincount = count;
	if (count > 0) {
		ps->pin_how = PIN_HOW_LARGE_EXACT;
		ps->pin_confidence = PIN_CONF_EXACT;
		ps->pincount = count;
	}
	return true;
}

static void decode_foll_pin(const struct page_layout *pl, const uint8_t *raw,
			    uint64_t nr_following, struct page_state *ps)
{
	uint32_t unexplained;

	if (ps->tail || decode_large_pin(pl, raw, nr_following, ps))
		return;
	/* No exact count known (VMCOREINFO alone): since v6.0 every large
	 * folio's pins are in its pincount and add 1, not the bias, to the
	 * head's _refcount, so the bias on a head proves nothing; say
	 * nothing rather than report a pin that is not (layout.reduced). */
	if (ps->head && pl->large_pin_kind == LARGE_PIN_NONE)
		return;
	if (ps->refcount < GUP_PIN_COUNTING_BIAS)
		return;
	/* The kernel's own test (folio_maybe_dma_pinned) is a "maybe":
	 * 1024 ordinary references look the same. Mappings explain some. */
	unexplained = ps->refcount - (ps->mapcount > 0 ? (uint32_t)ps->mapcount : 0);
	if (ps->mapcount > 0 && (uint32_t)ps->mapcount > ps->refcount)
		unexplained = 0;
	ps->pin_how = PIN_HOW_REFCOUNT_BIAS;
	ps->pincount = ps->refcount / GUP_PIN_COUNTING_BIAS;
	ps->pin_confidence = unexplained >= GUP_PIN_COUNTING_BIAS ?
			     PIN_CONF_LIKELY : PIN_CONF_POSSIBLE;
}

static inline __attribute__((always_inline)) bool
plain_one(const struct page_layout *pl, const uint8_t *raw, bool *buddy,
	  bool *slab)
{
	uint64_t flags = get_field(raw, &pl->flags);
	uint32_t refcount, page_type;
	struct page_type t;

	if (pageflags_test(&pl->pf, flags, PGF_lru) ||
	    pageflags_test(&pl->pf, flags, PGF_head) ||
	    (get_field(raw, &pl->compound_head) & 1))
		return false;
	refcount = (uint32_t)get_field(raw, &pl->refcount);
	/* A negative count is a finding; from the bias up, a pin. */
	if (refcount >= GUP_PIN_COUNTING_BIAS)
		return false;
	if (pl->pin_scheme == PIN_SCHEME_RFC &&
	    (get_field(raw, &pl->rfc_flags) & 0x6))
		return false;	/* either variant's pin word */
	page_type = (uint32_t)get_field(raw, &pl->mapcount);
	t = page_type_decode(&pl->pf, flags, page_type);
	/* Mapped more often than referenced is a finding. */
	if (!t.typed && (int32_t)(page_type + 1u) > 0 &&
	    page_type + 1u > refcount)
		return false;
	/* A free page with a reference or a mapping is one too. */
	if (t.buddy && (refcount || get_field(raw, &pl->mapping)))
		return false;
	*buddy = t.buddy;
	*slab = t.slab;
	return true;
}

bool page_is_plain(const struct page_layout *pl, const uint8_t *raw,
		   bool *buddy, bool *slab)
{
	return plain_one(pl, raw, buddy, slab);
}

uint64_t page_plain_run(const struct page_layout *pl, const uint8_t *raw,
			uint64_t n, struct plain_counts *c)
{
	uint64_t i, buddies = 0, slabs = 0;
	bool buddy, slab;

	for (i = 0; i < n; i++) {
		if (!plain_one(pl, raw + i * pl->struct_page_size, &buddy, &slab))
			break;
		buddies += buddy;
		slabs += slab;
	}
	c->pages += i;
	c->buddy += buddies;
	c->slab += slabs;
	return i;
}

void page_decode(const struct page_layout *pl, const uint8_t *raw,
		 uint64_t nr_following, uint64_t pfn, struct page_state *ps)
{
	/* Copied, not memset: a fixed-size copy is a few vector stores,
	 * where memset became `rep stos`, half of decoding a page. */
	static const struct page_state zero;
	uint64_t head_word;

	*ps = zero;
	ps->pfn = pfn;
	ps->flags = get_field(raw, &pl->flags);
	ps->lru = pageflags_test(&pl->pf, ps->flags, PGF_lru);
	ps->head = pageflags_test(&pl->pf, ps->flags, PGF_head);
	head_word = get_field(raw, &pl->compound_head);
	ps->tail = head_word & 1;
	if (ps->tail) {
		ps->compound_info = head_word;
		ps->head_mask = compound_info_mask(pl, head_word);
		ps->head_addr = ps->head_mask ? 0 : head_word - 1;
	}
	ps->refcount = (uint32_t)get_field(raw, &pl->refcount);
	ps->page_type = (uint32_t)get_field(raw, &pl->mapcount);
	ps->mapping = get_field(raw, &pl->mapping);
	ps->private_ = get_field(raw, &pl->private_);
	if (pl->lru.present) {
		memcpy(&ps->lru_next, raw + pl->lru.off + pl->list_next_off, 8);
		memcpy(&ps->lru_prev, raw + pl->lru.off + pl->list_prev_off, 8);
	}
	decode_page_type(pl, ps);
	decode_order(pl, raw, nr_following, ps);
	if (!ps->typed)
		decode_large_mapcount(pl, raw, nr_following, ps);
	if (pl->pin_scheme == PIN_SCHEME_RFC) {
		decode_rfc_pin(pl, raw, ps);
		/* The RFC marks small pages; a kernel that also counts large
		 * folios' pins (the RFC on 6.1) keeps those exact counts. */
		if (ps->pin_how == PIN_HOW_NONE && !ps->tail)
			decode_large_pin(pl, raw, nr_following, ps);
	} else if (pl->pin_scheme == PIN_SCHEME_FOLL)
		decode_foll_pin(pl, raw, nr_following, ps);
}

const char *pin_how_name(const struct page_layout *pl, enum pin_how how)
{
	switch (how) {
	case PIN_HOW_RFC_FLAG:
		return "rfc-flag";
	case PIN_HOW_REFCOUNT_BIAS:
		return "refcount-bias";
	case PIN_HOW_LARGE_EXACT:
		return large_pin_how(pl->large_pin_kind);
	default:
		return "none";
	}
}

const char *pin_confidence_name(enum pin_confidence c)
{
	switch (c) {
	case PIN_CONF_EXACT:
		return "exact";
	case PIN_CONF_LIKELY:
		return "likely";
	default:
		return "possible";
	}
}

const char *pin_scheme_name(enum pin_scheme s)
{
	switch (s) {
	case PIN_SCHEME_RFC:
		return "rfc-dma-pinned-flags";
	case PIN_SCHEME_FOLL:
		return "foll-pin";
	default:
		return "none";
	}
}

const char *large_pin_how(enum large_pin_kind k)
{
	switch (k) {
	case LARGE_PIN_HPAGE_PINNED_REFCOUNT:
		return "hpage-pinned-refcount";
	case LARGE_PIN_COMPOUND_PINCOUNT:
		return "compound-pincount";
	case LARGE_PIN_FOLIO_PINCOUNT:
		return "folio-pincount";
	default:
		return "none";
	}
}
