/* pinscan tui: the detail view's lines. Pages are read through
 * tui_pages_read() and decoded by page_decode(); findings come from
 * checks_page() and the scan, never from a check of this file's own. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui_detail.h"
#include "util.h"

#define FINDINGS_PER_PAGE 8	/* shown; the rest are counted */

void tui_detail_init(struct tui_detail *d, struct session *s,
		     struct tui_pages *pages)
{
	d->s = s;
	d->pages = pages;
}

void tui_detail_free(struct tui_detail *d)
{
	if (d->ow_ready)
		owners_free(&d->ow);
	d->ow_ready = false;
	free(d->lines);
	d->lines = NULL;
	d->nr = d->cap = 0;
}

static void dl_add(struct tui_detail *d, enum tui_role role, uint64_t link,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* A line more; out of memory, the view is short of it. */
static void dl_add(struct tui_detail *d, enum tui_role role, uint64_t link,
		   const char *fmt, ...)
{
	struct tui_dline *l;
	va_list ap;

	if (!array_grow((void **)&d->lines, &d->cap, d->nr, sizeof(*d->lines)))
		return;
	l = &d->lines[d->nr++];
	va_start(ap, fmt);
	vsnprintf(l->text, sizeof(l->text), fmt, ap);
	va_end(ap);
	l->role = role;
	l->link = link;
}

/* Decode pfn (with page[1] and page[2] when its section has them) into
 * ps; false with a reason in why when it cannot be. */
static bool decode_pfn(struct tui_detail *d, uint64_t pfn, uint8_t *raw,
		       uint32_t *nr, struct page_state *ps, char *why,
		       size_t whysz)
{
	struct ps_err err = { 0 };

	if (!tui_pages_read(d->pages, pfn, raw, nr, ps, &err))
		return true;
	fmt_text(why, whysz, "%s", err.msg);
	return false;
}

static void pin_text(const struct page_layout *pl, const struct page_state *ps,
		     char *buf, size_t bufsz)
{
	if (ps->pin_how == PIN_HOW_NONE)
		snprintf(buf, bufsz, "not pinned");
	else
		snprintf(buf, bufsz, "PINNED how %s, confidence %s, pincount %" PRId64,
			 pin_how_name(pl, ps->pin_how),
			 pin_confidence_name(ps->pin_confidence), ps->pincount);
}

/* Why decode.c decided what it did, in words. */
static void pin_reason(const struct page_layout *pl,
		       const struct page_state *ps, char *buf, size_t bufsz)
{
	switch (ps->pin_how) {
	case PIN_HOW_RFC_FLAG:
		snprintf(buf, bufsz, "dma_pinned_flags has the pin bit 0x%" PRIx64
			 ", dma_pinned_count %" PRId64, pl->rfc_pin_mask,
			 ps->pincount);
		break;
	case PIN_HOW_LARGE_EXACT:
		snprintf(buf, bufsz, "%s of this order-%u head is %" PRId64,
			 large_pin_how(pl->large_pin_kind), ps->order,
			 ps->pincount);
		break;
	case PIN_HOW_REFCOUNT_BIAS:
		snprintf(buf, bufsz, "refcount %" PRIu32 " >= %u; mapcount %" PRId32
			 " %s", ps->refcount, GUP_PIN_COUNTING_BIAS,
			 ps->mapcount, ps->pin_confidence == PIN_CONF_LIKELY ?
			 "leaves >= 1024 references unexplained" :
			 "explains most references: may be mapped, not pinned");
		break;
	default:
		snprintf(buf, bufsz, "pins recorded by %s",
			 pin_scheme_name(pl->pin_scheme));
		break;
	}
}

struct finding_list {
	struct finding f[FINDINGS_PER_PAGE];
	unsigned nr, total;
};

static void collect_finding(void *arg, const struct finding *f)
{
	struct finding_list *fl = arg;

	if (fl->nr < FINDINGS_PER_PAGE)
		fl->f[fl->nr++] = *f;
	fl->total++;
}

/* An LRU neighbour that is no struct page: the list head the list hangs
 * from (an lruvec or a free_area). */
static void neighbour_head(struct tui_detail *d, const char *which,
			   bool is_next, uint64_t ptr, uint64_t self)
{
	const struct page_layout *pl = &d->s->pl;
	struct ps_err err = { 0 };
	uint64_t back, lh[2];

	if (target_read_virt(&d->s->t, ptr, lh, sizeof(lh), &err)) {
		dl_add(d, TUI_ROLE_DIM, TUI_NO_PFN,
		       "  %s 0x%016" PRIx64 ": list head outside mem_map (unreadable)",
		       which, ptr);
		return;
	}
	back = is_next ? lh[pl->list_prev_off / 8] : lh[pl->list_next_off / 8];
	dl_add(d, TUI_ROLE_DIM, TUI_NO_PFN,
	       "  %s 0x%016" PRIx64 ": list head outside mem_map, %s",
	       which, ptr, back == self ? "links back" :
	       "does NOT link back");
}

/* One LRU neighbour: a struct page we can go to, or the list head.
 * Whether it points back at us tells a consistent list from a torn one. */
static uint64_t add_neighbour(struct tui_detail *d, const char *which,
			      bool is_next, uint64_t ptr, uint64_t self)
{
	const struct page_layout *pl = &d->s->pl;
	uint8_t raw[3 * 256];
	char why[256];
	struct page_state nps;
	uint64_t npfn, back;
	uint32_t nr;

	if (!memmap_is_kernel_addr(ptr)) {
		dl_add(d, TUI_ROLE_FINDING, TUI_NO_PFN,
		       "  %s 0x%016" PRIx64 ": not a kernel pointer", which, ptr);
		return TUI_NO_PFN;
	}
	npfn = memmap_addr_to_pfn(&d->s->mm, ptr - pl->lru.off);
	if (npfn == TUI_NO_PFN) {
		neighbour_head(d, which, is_next, ptr, self);
		return TUI_NO_PFN;
	}
	if (pl->struct_page_size > 256 ||
	    !decode_pfn(d, npfn, raw, &nr, &nps, why, sizeof(why))) {
		dl_add(d, TUI_ROLE_LINK, npfn, "  %s 0x%016" PRIx64 " -> pfn 0x%" PRIx64 " (%s)",
		       which, ptr, npfn,
		       pl->struct_page_size > 256 ? "struct page too large" : why);
		return npfn;
	}
	back = is_next ? nps.lru_prev : nps.lru_next;
	dl_add(d, TUI_ROLE_LINK, npfn, "  %s 0x%016" PRIx64 " -> pfn 0x%" PRIx64 ", %s",
	       which, ptr, npfn, back == self ? "links back" :
	       "does NOT link back");
	return npfn;
}

/* A tail page: its head, read and decoded, and whether the head's pages
 * reach this one. */
static void compound_tail(struct tui_detail *d, const struct page_state *ps)
{
	const struct page_layout *pl = &d->s->pl;
	uint8_t raw[3 * 256];
	struct page_state hps;
	char why[256], pin[128];
	uint32_t nr;

	d->head_pfn = memmap_addr_to_pfn(&d->s->mm, page_tail_head_addr(ps,
				memmap_page_addr(&d->s->mm, ps->pfn)));
	if (d->head_pfn == TUI_NO_PFN) {
		dl_add(d, TUI_ROLE_FINDING, TUI_NO_PFN,
		       "  tail whose compound_head 0x%" PRIx64 " is no struct page in mem_map",
		       ps->compound_info);
		return;
	}
	dl_add(d, TUI_ROLE_LINK, d->head_pfn, "  tail of head -> pfn 0x%" PRIx64 " (H)",
	       d->head_pfn);
	if (pl->struct_page_size > 256 ||
	    !decode_pfn(d, d->head_pfn, raw, &nr, &hps, why, sizeof(why))) {
		dl_add(d, TUI_ROLE_DIM, TUI_NO_PFN, "  head: %s",
		       pl->struct_page_size > 256 ? "struct page too large" : why);
		return;
	}
	pin_text(pl, &hps, pin, sizeof(pin));
	dl_add(d, hps.pin_how ? TUI_ROLE_PINNED : TUI_ROLE_NORMAL, TUI_NO_PFN,
	       "  head: %s order %u (%" PRIu64 " pages), %s",
	       hps.head ? "PG_head," : "NO PG_head!", hps.order,
	       hps.nr_pages, pin);
	if (ps->pfn < d->head_pfn || ps->pfn >= d->head_pfn + hps.nr_pages)
		dl_add(d, TUI_ROLE_FINDING, TUI_NO_PFN,
		       "  this page lies outside its head's %" PRIu64 " pages",
		       hps.nr_pages);
}

static void detail_compound(struct tui_detail *d, const struct page_state *ps)
{
	dl_add(d, TUI_ROLE_TITLE, TUI_NO_PFN, "Compound page");
	if (ps->head && ps->bad_order) {
		dl_add(d, TUI_ROLE_FINDING, TUI_NO_PFN,
		       "  head whose order is absurd (> %d)", MAX_SANE_ORDER);
	} else if (ps->head) {
		dl_add(d, TUI_ROLE_NORMAL, TUI_NO_PFN, "  head of order %u: %" PRIu64 " pages, 0x%" PRIx64 "-0x%" PRIx64,
		       ps->order, ps->nr_pages, ps->pfn,
		       ps->pfn + ps->nr_pages - 1);
		if (ps->nr_pages > 1) {
			d->tail_pfn = ps->pfn + 1;
			dl_add(d, TUI_ROLE_LINK, d->tail_pfn,
			       "  first tail -> pfn 0x%" PRIx64 " (T)",
			       d->tail_pfn);
		}
	} else if (ps->tail) {
		compound_tail(d, ps);
	} else {
		dl_add(d, TUI_ROLE_NORMAL, TUI_NO_PFN,
		       "  not compound (order-0 page)");
	}
}

static void detail_lru(struct tui_detail *d, const struct page_state *ps)
{
	const struct page_layout *pl = &d->s->pl;
	uint64_t self;

	dl_add(d, TUI_ROLE_TITLE, TUI_NO_PFN, "LRU links (lru at +%u)",
	       pl->lru.off);
	if (!pl->lru.present) {
		dl_add(d, TUI_ROLE_DIM, TUI_NO_PFN,
		       "  this layout has no lru member");
		return;
	}
	if (ps->tail) {
		dl_add(d, TUI_ROLE_DIM, TUI_NO_PFN,
		       "  a tail page: lru.next is its compound_head, no list");
		return;
	}
	dl_add(d, TUI_ROLE_DIM, TUI_NO_PFN, "  %s",
	       ps->lru ? "on an LRU list (PG_lru)" :
	       ps->buddy ? "free: lru is the buddy allocator's free list" :
	       "PG_lru clear: these words may hold something else");
	self = memmap_page_addr(&d->s->mm, ps->pfn) + pl->lru.off;
	d->next_pfn = add_neighbour(d, "next (>)", true, ps->lru_next, self);
	d->prev_pfn = add_neighbour(d, "prev (<)", false, ps->lru_prev, self);
}

static uint64_t raw_value(const uint8_t *raw, uint32_t off, uint32_t size)
{
	uint8_t b[8] = { 0 };
	uint64_t v;

	memcpy(b, raw + off, size > 8 ? 8 : size);
	memcpy(&v, b, 8);
	if (size < 8)
		v &= (1ull << (size * 8)) - 1;
	return v;
}

/* One member of struct page_layout: name, where it is, its value. */
static void detail_field(struct tui_detail *d, const char *name,
			 const struct field *f, const uint8_t *raw,
			 uint32_t nr_read, bool head_only, bool is_head)
{
	uint32_t sps = d->s->pl.struct_page_size;
	char where[32], value[64];

	if (!f->present)
		return;
	if (f->off < sps)
		snprintf(where, sizeof(where), "+%u", f->off);
	else
		snprintf(where, sizeof(where), "page[%u]+%u", f->off / sps,
			 f->off % sps);
	if (head_only && !is_head)
		snprintf(value, sizeof(value), "- (heads only)");
	else if ((uint64_t)f->off + f->size > (uint64_t)nr_read * sps)
		snprintf(value, sizeof(value), "- (beyond the section)");
	else if (f->size <= 4)
		snprintf(value, sizeof(value), "0x%" PRIx64 " (%" PRId32 ")",
			 raw_value(raw, f->off, f->size),
			 (int32_t)raw_value(raw, f->off, f->size));
	else if (f->size <= 8)
		snprintf(value, sizeof(value), "0x%" PRIx64,
			 raw_value(raw, f->off, f->size));
	else
		snprintf(value, sizeof(value), "0x%" PRIx64 " 0x%" PRIx64,
			 raw_value(raw, f->off, 8), raw_value(raw, f->off + 8, 8));
	dl_add(d, TUI_ROLE_NORMAL, TUI_NO_PFN, "  %-22s %-12s %3u  %s", name,
	       where, f->size, value);
}

static void detail_fields(struct tui_detail *d, const struct page_state *ps,
			  const uint8_t *raw, uint32_t nr)
{
	const struct page_layout *pl = &d->s->pl;
	bool head = ps->head;
	char name[48];

	dl_add(d, TUI_ROLE_TITLE, TUI_NO_PFN, "struct page members (%s)",
	       pl->source);
	dl_add(d, TUI_ROLE_DIM, TUI_NO_PFN, "  %-22s %-12s %3s  %s", "member",
	       "offset", "len", "value");
	detail_field(d, "flags", &pl->flags, raw, nr, false, head);
	detail_field(d, "compound_head", &pl->compound_head, raw, nr, false,
		     head);
	detail_field(d, "lru (next, prev)", &pl->lru, raw, nr, false, head);
	detail_field(d, "mapping", &pl->mapping, raw, nr, false, head);
	detail_field(d, "index", &pl->index, raw, nr, false, head);
	detail_field(d, "private", &pl->private_, raw, nr, false, head);
	detail_field(d, "_mapcount / page_type", &pl->mapcount, raw, nr,
		     false, head);
	detail_field(d, "_refcount", &pl->refcount, raw, nr, false, head);
	detail_field(d, pl->order_kind == ORDER_FLAGS_1_LOW_BYTE ?
		     "order (_flags_1 & 0xff)" : "compound order", &pl->order,
		     raw, nr, true, head);
	detail_field(d, "nr_pages", &pl->nr_pages, raw, nr, true, head);
	if (pl->large_pin_kind != LARGE_PIN_NONE) {
		snprintf(name, sizeof(name), "%s",
			 large_pin_how(pl->large_pin_kind));
		detail_field(d, name, &pl->large_pin, raw, nr, true, head);
	}
	detail_field(d, "dma_pinned_flags", &pl->rfc_flags, raw, nr, false,
		     head);
	detail_field(d, "dma_pinned_count", &pl->rfc_count, raw, nr, false,
		     head);
}

static void detail_raw(struct tui_detail *d, const uint8_t *raw,
		       uint32_t len, const char *title, uint64_t addr)
{
	uint32_t off;

	dl_add(d, TUI_ROLE_TITLE, TUI_NO_PFN, "%s (%u bytes at 0x%" PRIx64 ")",
	       title, len, addr);
	for (off = 0; off < len; off += 16) {
		char hex[16 * 3 + 2];
		size_t n = 0;
		uint32_t i;

		for (i = off; i < off + 16 && i < len; i++)
			n += (size_t)snprintf(hex + n, sizeof(hex) - n, "%s%02x",
					      i == off + 8 ? "  " : i > off ? " " : "",
					      raw[i]);
		dl_add(d, TUI_ROLE_NORMAL, TUI_NO_PFN, "  +0x%03x  %s", off, hex);
	}
}

/* The decoded state: flags, counts, and the pin with its reason. */
static void detail_state(struct tui_detail *d, const struct page_state *ps)
{
	const struct page_layout *pl = &d->s->pl;
	char flags[512], text[256];

	pageflags_string(&pl->pf, ps->flags, flags, sizeof(flags));
	dl_add(d, TUI_ROLE_NORMAL, TUI_NO_PFN, "  flags 0x%" PRIx64 " %s",
	       ps->flags, flags[0] ? flags : "(none)");
	dl_add(d, TUI_ROLE_NORMAL, TUI_NO_PFN, "  refcount %" PRIu32 "  mapcount %" PRId32 "%s%s%s",
	       ps->refcount, ps->mapcount, ps->typed ? "  typed page_type " : "",
	       ps->buddy ? "buddy" : ps->slab ? "slab" : "",
	       ps->typed && !ps->buddy && !ps->slab ? "other" : "");
	dl_add(d, TUI_ROLE_NORMAL, TUI_NO_PFN, "  mapping 0x%" PRIx64 "  private 0x%" PRIx64,
	       ps->mapping, ps->private_);
	pin_text(pl, ps, text, sizeof(text));
	dl_add(d, ps->pin_how ? TUI_ROLE_PINNED : TUI_ROLE_NORMAL, TUI_NO_PFN,
	       "pin: %s", text);
	pin_reason(pl, ps, text, sizeof(text));
	dl_add(d, TUI_ROLE_DIM, TUI_NO_PFN, "  %s", text);
}

/* Who maps a pinned page and who holds the pin (owners.c), as the
 * report gives them; the owners stage is set up at the first pinned page
 * shown. */
static void detail_owners(struct tui_detail *d, const struct page_state *ps)
{
	struct ps_err err = { 0 };
	struct pin_owners po;
	char text[256];
	size_t k;

	if (!ps->pin_how)
		return;
	if (!d->ow_ready) {
		session_owners_init(d->s, &d->ow);
		d->ow_ready = true;
	}
	if (owners_resolve(&d->ow, ps->pfn, ps->nr_pages, &po, &err)) {
		dl_add(d, TUI_ROLE_FINDING, TUI_NO_PFN, "owners: %s", err.msg);
		return;
	}
	for (k = 0; k < po.nr_owners; k++) {
		owner_describe(&po.owners[k], text, sizeof(text));
		dl_add(d, TUI_ROLE_NORMAL, TUI_NO_PFN, "owner %s", text);
	}
	if (po.nr_owners_more)
		dl_add(d, TUI_ROLE_DIM, TUI_NO_PFN, "  ... %zu more owners",
		       po.nr_owners_more);
	if (po.note[0])
		dl_add(d, TUI_ROLE_DIM, TUI_NO_PFN, "owner: %s", po.note);
	for (k = 0; k < po.nr_holders; k++) {
		holder_describe(&po.holders[k], text, sizeof(text));
		dl_add(d, TUI_ROLE_NORMAL, TUI_NO_PFN, "held by %s", text);
	}
	if (!po.nr_holders && d->ow.holders_why[0])
		dl_add(d, TUI_ROLE_DIM, TUI_NO_PFN, "holders: unavailable: %s",
		       d->ow.holders_why);
	else if (!po.nr_holders)
		dl_add(d, TUI_ROLE_DIM, TUI_NO_PFN, "holders: none found");
	pin_owners_free(&po);
}

/* The per-page rules' findings, and what the scan found here besides
 * (cross-page rules), each rule once. */
static void detail_findings(struct tui_detail *d, const struct page_state *ps,
			    const struct finding *findings, size_t nr_findings)
{
	struct finding_list fl = { .nr = 0 };
	size_t j;
	unsigned i;

	checks_page(&d->s->pl, ps, collect_finding, &fl);
	for (j = 0; j < nr_findings; j++) {
		unsigned k;

		if (findings[j].pfn != ps->pfn)
			continue;
		for (k = 0; k < fl.nr && fl.f[k].rule != findings[j].rule; k++)
			;
		if (k == fl.nr)
			collect_finding(&fl, &findings[j]);
	}
	if (!fl.total)
		dl_add(d, TUI_ROLE_NORMAL, TUI_NO_PFN, "findings: none");
	for (i = 0; i < fl.nr; i++)
		dl_add(d, TUI_ROLE_FINDING, TUI_NO_PFN, "finding %s (%s): %s",
		       fl.f[i].rule->id, severity_name(fl.f[i].rule->severity),
		       fl.f[i].message);
	if (fl.total > fl.nr)
		dl_add(d, TUI_ROLE_FINDING, TUI_NO_PFN, "  ... %u more",
		       fl.total - fl.nr);
}

void tui_detail_build(struct tui_detail *d, uint64_t pfn,
		      const struct finding *findings, size_t nr_findings)
{
	const struct page_layout *pl = &d->s->pl;
	uint32_t sps = pl->struct_page_size, nr = 0;
	uint64_t addr = memmap_page_addr(&d->s->mm, pfn);
	struct page_state ps;
	char why[256];
	uint8_t *raw;

	d->nr = 0;
	d->pfn = pfn;
	d->next_pfn = d->prev_pfn = d->head_pfn = d->tail_pfn = TUI_NO_PFN;
	dl_add(d, TUI_ROLE_TITLE, TUI_NO_PFN, "pfn 0x%" PRIx64 "  phys 0x%" PRIx64 "  struct page at 0x%" PRIx64,
	       pfn, pfn * pl->page_size, addr);
	raw = malloc(3 * (size_t)sps);
	if (!raw) {
		dl_add(d, TUI_ROLE_FINDING, TUI_NO_PFN, "  out of memory");
		return;
	}
	if (!decode_pfn(d, pfn, raw, &nr, &ps, why, sizeof(why))) {
		dl_add(d, TUI_ROLE_FINDING, TUI_NO_PFN, "  %s", why);
		free(raw);
		return;
	}
	detail_state(d, &ps);
	detail_owners(d, &ps);
	detail_findings(d, &ps, findings, nr_findings);
	detail_compound(d, &ps);
	detail_lru(d, &ps);
	detail_fields(d, &ps, raw, nr);
	detail_raw(d, raw, sps, "raw struct page", addr);
	if (ps.head && nr > 1)
		detail_raw(d, raw + sps, (nr - 1) * sps,
			   "page[1..] (compound metadata)", addr + sps);
	free(raw);
}
