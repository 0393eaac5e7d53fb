/* pinscan tui: struct pages on demand. The screen shows a few dozen rows
 * of a mem_map of millions: it reads aligned chunks of 256 struct pages,
 * decodes and checks each page once, and keeps the last 32 chunks. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "tui_pages.h"
#include "util.h"

/* Struct pages per cached chunk: a screen spans one or two. Chunks are
 * aligned within their section, and read CHUNK_EXTRA more pages so that a
 * head near the end still has page[1] and page[2] for page_decode(). */
#define CHUNK_PAGES 256u
#define CHUNK_EXTRA 2u
#define NR_CHUNKS 32
/* One more slot, for searches, so that they do not evict the screen. */
#define BULK_SLOT NR_CHUNKS

struct chunk {
	bool used;
	uint64_t first_pfn, stamp;
	uint32_t nr_pages;	/* decoded */
	uint32_t nr_read;	/* nr_pages + the extra ones */
	enum ps_status status;
	char error[256];
	uint8_t *raw;
	uint64_t missing[(CHUNK_PAGES + CHUNK_EXTRA + 63) / 64];
	struct tui_page pages[CHUNK_PAGES];
};

struct tui_pages {
	struct memmap *mm;
	const struct page_layout *pl;
	uint64_t pps;		/* struct pages per section */
	struct chunk chunks[NR_CHUNKS + 1];
	uint64_t stamp;		/* of the last chunk used: least recent goes */
	/* A walk's whole section, allocated at the first walk. */
	uint8_t *sec_raw;
	uint64_t *sec_missing;
};

enum ps_status tui_pages_open(struct tui_pages **pages, struct memmap *mm,
			      struct ps_err *err)
{
	struct tui_pages *pc = calloc(1, sizeof(*pc));
	unsigned i;

	*pages = pc;
	if (!pc)
		return ps_fail(err, PS_ERR_NOMEM, "out of memory");
	pc->mm = mm;
	pc->pl = mm->pl;
	pc->pps = mm->pages_per_section;
	for (i = 0; i <= NR_CHUNKS; i++) {
		pc->chunks[i].raw = malloc((CHUNK_PAGES + CHUNK_EXTRA) *
					   (size_t)pc->pl->struct_page_size);
		if (!pc->chunks[i].raw)
			return ps_fail(err, PS_ERR_NOMEM, "out of memory");
	}
	return PS_OK;
}

void tui_pages_close(struct tui_pages *pc)
{
	unsigned i;

	if (!pc)
		return;
	for (i = 0; i <= NR_CHUNKS; i++)
		free(pc->chunks[i].raw);
	free(pc->sec_raw);
	free(pc->sec_missing);
	free(pc);
}

static bool is_missing(const uint64_t *missing, uint64_t i)
{
	return (missing[i / 64] >> (i % 64)) & 1;
}

static void worst_finding(void *arg, const struct finding *f)
{
	int *worst = arg;

	if ((int)f->rule->severity > *worst)
		*worst = (int)f->rule->severity;
}

/* The severity of the worst finding the per-page rules make on ps, or -1. */
static int page_findings(const struct page_layout *pl,
			 const struct page_state *ps)
{
	int worst = -1;

	checks_page(pl, ps, worst_finding, &worst);
	return worst;
}

static enum tui_lru_link classify_link(const struct tui_pages *pc,
				       uint64_t ptr)
{
	if (!memmap_is_kernel_addr(ptr))
		return TUI_LRU_BAD;
	if (memmap_addr_to_pfn(pc->mm, ptr - pc->pl->lru.off) != TUI_NO_PFN)
		return TUI_LRU_OK;
	return TUI_LRU_END;
}

static enum tui_lru_link lru_link_state(const struct tui_pages *pc,
					const struct page_state *ps)
{
	enum tui_lru_link next, prev;

	if (!ps->lru || ps->tail || !pc->pl->lru.present)
		return TUI_LRU_NONE;
	next = classify_link(pc, ps->lru_next);
	prev = classify_link(pc, ps->lru_prev);
	if (next == TUI_LRU_BAD || prev == TUI_LRU_BAD)
		return TUI_LRU_BAD;
	return next == TUI_LRU_OK && prev == TUI_LRU_OK ? TUI_LRU_OK :
							  TUI_LRU_END;
}

/* Read the chunk of section sec that starts at pfn first, and decode and
 * check its pages; a read error stays in the chunk, shown on its rows. */
static void chunk_load(struct tui_pages *pc, struct chunk *c,
		       const struct mm_section *sec, uint64_t first)
{
	const struct page_layout *pl = pc->pl;
	uint64_t sec_end = sec->start_pfn + pc->pps;
	struct ps_err err = { 0 };
	uint32_t nr_missing, i;

	c->used = true;
	c->first_pfn = first;
	c->nr_pages = (uint32_t)(sec_end - first < CHUNK_PAGES ?
				 sec_end - first : CHUNK_PAGES);
	c->nr_read = (uint32_t)(sec_end - first < CHUNK_PAGES + CHUNK_EXTRA ?
				sec_end - first : CHUNK_PAGES + CHUNK_EXTRA);
	c->error[0] = '\0';
	c->status = memmap_read(pc->mm, sec, first, c->nr_read, c->raw,
				c->missing, &nr_missing, &err);
	if (c->status) {
		fmt_text(c->error, sizeof(c->error), "%s", err.msg);
		return;
	}
	for (i = 0; i < c->nr_pages; i++) {
		struct tui_page *p = &c->pages[i];

		if (is_missing(c->missing, i))
			continue;
		page_decode(pl, c->raw + (uint64_t)i * pl->struct_page_size,
			    c->nr_read - i, first + i, &p->ps);
		p->worst = page_findings(pl, &p->ps);
		p->lru_link = lru_link_state(pc, &p->ps);
	}
}

/* The chunk holding pfn's struct page, read when not cached, and *idx its
 * index there; NULL when pfn is in no present section. */
static const struct chunk *cache_get(struct tui_pages *pc, uint64_t pfn,
				     bool bulk, uint32_t *idx)
{
	const struct mm_section *sec = memmap_find(pc->mm, pfn);
	struct chunk *victim = NULL;
	uint64_t first;
	unsigned i;

	if (!sec)
		return NULL;
	first = sec->start_pfn +
		(pfn - sec->start_pfn) / CHUNK_PAGES * CHUNK_PAGES;
	*idx = (uint32_t)(pfn - first);
	for (i = 0; i <= NR_CHUNKS; i++) {
		struct chunk *c = &pc->chunks[i];

		if (c->used && c->first_pfn == first) {
			c->stamp = ++pc->stamp;
			return c;
		}
		if (i < NR_CHUNKS && (!victim || !c->used ||
				      (victim->used && c->stamp < victim->stamp)))
			victim = c;
	}
	if (bulk)
		victim = &pc->chunks[BULK_SLOT];
	chunk_load(pc, victim, sec, first);
	victim->stamp = ++pc->stamp;
	return victim;
}

enum tui_page_status tui_pages_get(struct tui_pages *pc, uint64_t pfn,
				   bool bulk, const struct tui_page **page,
				   const char **error)
{
	const struct chunk *c;
	uint32_t idx;

	*page = NULL;
	*error = NULL;
	c = cache_get(pc, pfn, bulk, &idx);
	if (!c || c->status) {
		*error = c ? c->error : "no such section";
		return TUI_PAGE_UNREADABLE;
	}
	if (is_missing(c->missing, idx))
		return TUI_PAGE_MISSING;
	*page = &c->pages[idx];
	return TUI_PAGE_OK;
}

enum ps_status tui_pages_read(struct tui_pages *pc, uint64_t pfn,
			      uint8_t *raw, uint32_t *nr,
			      struct page_state *ps, struct ps_err *err)
{
	const struct mm_section *sec = memmap_find(pc->mm, pfn);
	uint64_t missing[1], left;
	uint32_t nr_missing;
	enum ps_status st;

	*nr = 0;
	if (!sec)
		return ps_fail(err, PS_ERR_NODATA,
			       "pfn 0x%" PRIx64 " is in no present memory section",
			       pfn);
	/* page[1] and page[2], unless the section ends first. */
	left = sec->start_pfn + pc->pps - pfn;
	*nr = left < 3 ? (uint32_t)left : 3;
	st = memmap_read(pc->mm, sec, pfn, *nr, raw, missing, &nr_missing,
			 err);
	if (st)
		return st;
	if (is_missing(missing, 0))
		return ps_fail(err, PS_ERR_NODATA,
			       "its struct page is missing from the dump");
	page_decode(pc->pl, raw, *nr, pfn, ps);
	return PS_OK;
}

/* The section buffer, allocated at the first walk and kept. */
static bool walk_buffers(struct tui_pages *pc)
{
	if (!pc->sec_raw)
		pc->sec_raw = malloc(pc->pps * pc->pl->struct_page_size);
	if (!pc->sec_missing)
		pc->sec_missing = malloc((pc->pps + 63) / 64 *
					 sizeof(uint64_t));
	return pc->sec_raw && pc->sec_missing;
}

enum ps_status tui_pages_walk(struct tui_pages *pc,
			      const struct mm_section *sec, uint64_t lo,
			      uint64_t hi, tui_page_fn fn, void *arg,
			      struct ps_err *err)
{
	const struct page_layout *pl = pc->pl;
	uint32_t nr_missing, i;
	enum ps_status st;

	if (!walk_buffers(pc))
		return ps_fail(err, PS_ERR_NOMEM, "out of memory");
	st = memmap_read(pc->mm, sec, sec->start_pfn, (uint32_t)pc->pps,
			 pc->sec_raw, pc->sec_missing, &nr_missing, err);
	if (st)
		return st;
	for (i = 0; i < pc->pps; i++) {
		uint64_t pfn = sec->start_pfn + i;
		struct page_state ps;

		if (is_missing(pc->sec_missing, i) || pfn < lo || pfn > hi)
			continue;
		page_decode(pl, pc->sec_raw + (uint64_t)i * pl->struct_page_size,
			    pc->pps - i, pfn, &ps);
		fn(arg, &ps, page_findings(pl, &ps));
	}
	return PS_OK;
}
