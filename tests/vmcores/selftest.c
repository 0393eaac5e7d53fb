/* --selftest: open the written dump with libkdumpfile and check, without
 * pinscan, that
 *   1. SYMBOL(mem_section) and the mem_section entries read back through
 *      KDUMP_KVADDR (page-table translation) as written;
 *   2. every present section's struct pages read back through their
 *      vmemmap (or direct-map) KVADDR byte for byte, and the pages left
 *      out by --missing fail to read;
 *   3. decoding those struct pages by the rules of CONTRACT.md gives the
 *      summary, pinned list and findings that expected.json holds (the
 *      bookkeeping and the bytes agree);
 *   4. each node_data[] entry's ZONE_MOVABLE and the pageblock bits of every
 *      decoded pin, read back through the dump, give exactly the
 *      PIN-IN-MOVABLE and PIN-IN-CMA findings of expected.json.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libkdumpfile/kdumpfile.h>

#include "mkvmcore.h"

struct check {
	const char *dump;
	int failures;
};

static void fail(struct check *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail(struct check *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "selftest %s: FAIL: ", c->dump);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	c->failures++;
}

static kdump_ctx_t *open_dump(struct check *c, const char *path, int *fdp)
{
	kdump_ctx_t *ctx = kdump_new();
	const char *arch;
	kdump_status st;
	int fd;

	if (!ctx)
		fatal("kdump_new failed");
	fd = open(path, O_RDONLY);
	if (fd < 0)
		fatal("open %s: %s", path, strerror(errno));
	st = kdump_open_fd(ctx, fd);
	if (st != KDUMP_OK) {
		fail(c, "kdump_open_fd: %s", kdump_get_err(ctx));
		kdump_free(ctx);
		close(fd);
		return NULL;
	}
	if (kdump_get_string_attr(ctx, "arch.name", &arch) != KDUMP_OK &&
	    kdump_set_string_attr(ctx, "arch.name", "x86_64") != KDUMP_OK)
		fail(c, "set arch.name: %s", kdump_get_err(ctx));
	if (kdump_set_string_attr(ctx, "addrxlat.ostype", "linux") != KDUMP_OK)
		fail(c, "set addrxlat.ostype: %s", kdump_get_err(ctx));
	*fdp = fd;
	return ctx;
}

static bool kv_read(kdump_ctx_t *ctx, uint64_t addr, void *buf, size_t len)
{
	size_t got = len;

	return kdump_read(ctx, KDUMP_KVADDR, addr, buf, &got) == KDUMP_OK &&
		got == len;
}

static void check_mem_section(struct check *c, struct gen *g, kdump_ctx_t *ctx)
{
	kdump_addr_t sym;
	uint64_t per_root = PAGE_SIZE / MEM_SECTION_SIZE;

	if (kdump_vmcoreinfo_symbol(ctx, "mem_section", &sym) != KDUMP_OK) {
		fail(c, "no SYMBOL(mem_section): %s", kdump_get_err(ctx));
		return;
	}
	if (sym != g->mem_section_value)
		fail(c, "SYMBOL(mem_section) 0x%llx, wrote 0x%llx",
		     (unsigned long long)sym,
		     (unsigned long long)g->mem_section_value);

	for (uint64_t s = 0; s < g->nr_sections; s++) {
		uint8_t ms[MEM_SECTION_SIZE];
		uint64_t addr;

		if (g->extreme) {
			uint8_t root[8];

			if (!kv_read(ctx, sym + (s / per_root) * 8, root, 8)) {
				fail(c, "read mem_section root %llu: %s",
				     (unsigned long long)(s / per_root),
				     kdump_get_err(ctx));
				return;
			}
			addr = get64(root, 0) + (s % per_root) * MEM_SECTION_SIZE;
		} else {
			addr = sym + s * MEM_SECTION_SIZE;
		}
		if (!kv_read(ctx, addr, ms, sizeof(ms))) {
			fail(c, "read mem_section[%llu] at 0x%llx: %s",
			     (unsigned long long)s, (unsigned long long)addr,
			     kdump_get_err(ctx));
			return;
		}
		if (get64(ms, 0) != section_mem_map_value(g, s))
			fail(c, "mem_section[%llu].section_mem_map 0x%llx, "
			     "wrote 0x%llx", (unsigned long long)s,
			     (unsigned long long)get64(ms, 0),
			     (unsigned long long)section_mem_map_value(g, s));
	}
}

/* The address of struct mem_section @s, through the root array for
 * SPARSEMEM_EXTREME. */
static bool section_addr(struct check *c, struct gen *g, kdump_ctx_t *ctx,
			 uint64_t s, uint64_t *addr)
{
	uint64_t per_root = PAGE_SIZE / MEM_SECTION_SIZE;
	uint8_t root[8];

	if (!g->extreme) {
		*addr = g->mem_section_value + s * MEM_SECTION_SIZE;
		return true;
	}
	if (!kv_read(ctx, g->mem_section_value + (s / per_root) * 8, root, 8)) {
		fail(c, "read mem_section root %llu: %s",
		     (unsigned long long)(s / per_root), kdump_get_err(ctx));
		return false;
	}
	*addr = get64(root, 0) + (s % per_root) * MEM_SECTION_SIZE;
	return true;
}

/* Decoded totals, in the order of scen_summary(). */
struct decoded {
	uint64_t sum[8];
	struct pin_entry *pins;
	size_t nr_pins, cap;
	struct finding *findings;
	size_t nr_findings, cap_findings;
};

static void dec_pin(struct decoded *d, uint64_t pfn, uint64_t nr,
		    const char *how, int64_t count, const char *conf)
{
	if (d->nr_pins == d->cap) {
		d->cap = d->cap * 2 + 64;
		d->pins = xrealloc(d->pins, d->cap * sizeof(*d->pins));
	}
	d->pins[d->nr_pins++] = (struct pin_entry){ pfn, nr, how, count, conf, NULL };
	d->sum[7] += nr;
}

static bool is_typed(const struct era *e, uint32_t page_type)
{
	if (e->pgty)	/* 6.12 page_type_has_type() */
		return (int32_t)page_type < (int32_t)0xff000000u;
	return (int32_t)page_type < -128;	/* PAGE_MAPCOUNT_RESERVE */
}

/* CONTRACT.md, applied to page @i of a section buffer. */
static void decode_page(const struct era *e, struct decoded *d,
			const uint8_t *sec, const bool *ok, uint64_t i,
			uint64_t pfn)
{
	const uint8_t *p = sec + i * STRUCT_PAGE_SIZE;
	uint64_t flags = get64(p, 0), w = get64(p, 8);
	uint32_t pt = get32(p, 48), ref = get32(p, 52);
	bool head = flags & (1ULL << e->pg_head);
	int order = 0;

	d->sum[0]++;
	d->sum[2] += !!(flags & (1ULL << e->pg_lru));
	d->sum[3] += head;
	d->sum[4] += w & 1;
	if (e->pgty) {
		d->sum[5] += pt >> 24 == 0xf0;
		d->sum[6] += pt >> 24 == 0xf5;
	} else {
		d->sum[5] += (pt & 0xf0000080u) == 0xf0000000u;
		d->sum[6] += !!(flags & (1ULL << e->pg_slab));
	}
	if (head && i + 1 < PAGES_PER_SECTION && ok[i + 1]) {
		const uint8_t *p1 = p + STRUCT_PAGE_SIZE;

		order = e->order_in_flags1 ? (int)(get64(p1, 0) & 0xff) : p1[17];
	}

	if (e->pin == PIN_RFC) {
		uint64_t mask = 1ULL << e->rfc_pin_bit;

		if ((w & mask) && (w & 1)) {
			if (d->nr_findings == d->cap_findings) {
				d->cap_findings = d->cap_findings * 2 + 16;
				d->findings = xrealloc(d->findings,
					d->cap_findings * sizeof(*d->findings));
			}
			d->findings[d->nr_findings++] =
				(struct finding){ "RFC-PIN-ON-TAIL", pfn };
		} else if (w & mask) {
			dec_pin(d, pfn, head ? 1ULL << order : 1, "rfc-flag",
				(int32_t)get32(p, 16), "exact");
		}
		return;
	}
	if (w & 1)
		return;
	if (head && order >= e->min_exact_order) {
		const uint8_t *q = p + (e->pin == PIN_HPAGE_PAGE2 ? 2 : 1) *
			STRUCT_PAGE_SIZE;
		int32_t count = (int32_t)get32(q, e->off_pincount);
		const char *how = e->pin == PIN_HPAGE_PAGE2 ?
			"hpage-pinned-refcount" : e->pin == PIN_COMPOUND_PAGE1 ?
			"compound-pincount" : "folio-pincount";

		if (count > 0)
			dec_pin(d, pfn, 1ULL << order, how, count, "exact");
		return;
	}
	if (ref >= 1024) {
		int64_t mc = is_typed(e, pt) ? 0 : (int64_t)(int32_t)pt + 1;
		int64_t mapped = mc > 0 ? mc : 0;

		dec_pin(d, pfn, head ? 1ULL << order : 1, "refcount-bias",
			ref / 1024, (int64_t)ref - mapped >= 1024 ?
			"likely" : "possible");
	}
}

/* Which physical pages the file holds, from libkdumpfile's file.pagemap.
 * A page that is not in any PT_LOAD must be treated as missing even when
 * kdump_read() returns data for it: libkdumpfile 0.5.1 zero-fills a page
 * that ends exactly where the next ELF PT_LOAD begins. */
static bool *file_pages(struct check *c, kdump_ctx_t *ctx, uint64_t first,
			uint64_t n)
{
	kdump_attr_t attr;
	unsigned char *raw = xcalloc(n / 8 + 64, 1);
	bool *present = xcalloc(n, sizeof(bool));

	if (kdump_get_attr(ctx, KDUMP_ATTR_FILE_PAGEMAP, &attr) != KDUMP_OK ||
	    attr.type != KDUMP_BITMAP) {
		fail(c, "no file.pagemap: %s", kdump_get_err(ctx));
	} else if (kdump_bmp_get_bits(attr.val.bitmap, first, first + n - 1,
				      raw) != KDUMP_OK) {
		fail(c, "file.pagemap: %s", kdump_bmp_get_err(attr.val.bitmap));
	} else {
		for (uint64_t i = 0; i < n; i++)
			present[i] = raw[i / 8] & (1 << (i % 8));
	}
	free(raw);
	return present;
}

static void check_memmap(struct check *c, struct gen *g, kdump_ctx_t *ctx,
			 struct decoded *d)
{
	uint8_t *buf = xcalloc(1, MEMMAP_BYTES);
	bool *ok = xcalloc(PAGES_PER_SECTION, sizeof(bool));
	uint64_t spp = PAGE_SIZE / STRUCT_PAGE_SIZE;
	uint64_t npages = MEMMAP_BYTES / PAGE_SIZE;

	for (uint64_t s = 0; s < g->nr_sections; s++) {
		uint64_t pfn0 = s * PAGES_PER_SECTION;
		uint64_t va = spage_va(g, pfn0);
		uint64_t bad = 0, zero_filled = 0;
		bool *infile;

		if (!g->section_present[s])
			continue;
		infile = file_pages(c, ctx, g->memmap_phys[s] >> PAGE_SHIFT,
				    npages);
		for (uint64_t off = 0; off < MEMMAP_BYTES; off += PAGE_SIZE) {
			uint64_t pfn = pfn0 + off / STRUCT_PAGE_SIZE;
			bool missing = pfn_is_missing(g, pfn);
			bool got = kv_read(ctx, va + off, buf + off, PAGE_SIZE);
			bool present = got && infile[off / PAGE_SIZE];

			if (got && !infile[off / PAGE_SIZE])
				zero_filled++;
			for (uint64_t k = 0; k < spp; k++)
				ok[off / STRUCT_PAGE_SIZE + k] = present;
			if (missing && present)
				fail(c, "mem_map page of pfn %llu was left out "
				     "but is in the dump",
				     (unsigned long long)pfn);
			if (!missing && !present) {
				fail(c, "read struct page of pfn %llu at 0x%llx: "
				     "%s", (unsigned long long)pfn,
				     (unsigned long long)(va + off),
				     got ? "not in file.pagemap"
				     : kdump_get_err(ctx));
				continue;
			}
			if (present && memcmp(buf + off, spage(g, pfn), PAGE_SIZE))
				bad++;
		}
		free(infile);
		if (bad)
			fail(c, "section %llu: %llu mem_map pages differ",
			     (unsigned long long)s, (unsigned long long)bad);
		if (zero_filled)
			printf("selftest %s: note: section %llu: %llu left-out "
			       "mem_map page(s) read as zeros through "
			       "kdump_read(), absent from file.pagemap\n",
			       c->dump, (unsigned long long)s,
			       (unsigned long long)zero_filled);
		for (uint64_t i = 0; i < PAGES_PER_SECTION; i++) {
			if (!ok[i]) {
				d->sum[1]++;
				continue;
			}
			decode_page(g->era, d, buf, ok, i, pfn0 + i);
		}
	}
	free(buf);
	free(ok);
}

static void check_decoded(struct check *c, struct gen *g, struct decoded *d)
{
	static const char *const names[8] = {
		"pages", "missing", "lru", "head", "tail", "buddy", "slab",
		"pinned_pages"
	};
	uint64_t want[8];
	bool *keep = xcalloc(g->nr_pins, sizeof(bool));
	size_t j = 0, nf = 0;

	scen_summary(g, want, keep);
	for (int i = 0; i < 8; i++)
		if (want[i] != d->sum[i])
			fail(c, "summary.%s: decoded %llu, expected %llu",
			     names[i], (unsigned long long)d->sum[i],
			     (unsigned long long)want[i]);
	for (size_t i = 0; i < g->nr_pins; i++) {
		const struct pin_entry *w = &g->pins[i], *x;

		if (!keep[i])
			continue;
		if (j >= d->nr_pins) {
			fail(c, "expected pin at pfn %llu not decoded",
			     (unsigned long long)w->pfn);
			continue;
		}
		x = &d->pins[j++];
		if (x->pfn != w->pfn || x->nr_pages != w->nr_pages ||
		    strcmp(x->how, w->how) || x->pincount != w->pincount ||
		    strcmp(x->confidence, w->confidence))
			fail(c, "pin: decoded {%llu,%llu,%s,%lld,%s} expected "
			     "{%llu,%llu,%s,%lld,%s}",
			     (unsigned long long)x->pfn,
			     (unsigned long long)x->nr_pages, x->how,
			     (long long)x->pincount, x->confidence,
			     (unsigned long long)w->pfn,
			     (unsigned long long)w->nr_pages, w->how,
			     (long long)w->pincount, w->confidence);
	}
	if (j != d->nr_pins)
		fail(c, "decoded %zu pins, expected %zu", d->nr_pins, j);
	/* The decode of CONTRACT.md knows one finding, RFC-PIN-ON-TAIL; the
	 * other rules of doc/rules.md (scenario faults) are pinscan's to
	 * find and are not decoded here. */
	for (size_t i = 0; i < g->nr_findings; i++) {
		bool found = false;

		if (strcmp(g->findings[i].rule, "RFC-PIN-ON-TAIL") ||
		    pfn_is_missing(g, g->findings[i].pfn))
			continue;
		nf++;
		for (size_t k = 0; k < d->nr_findings; k++)
			found |= d->findings[k].pfn == g->findings[i].pfn;
		if (!found)
			fail(c, "finding at pfn %llu not decoded",
			     (unsigned long long)g->findings[i].pfn);
	}
	if (nf != d->nr_findings)
		fail(c, "decoded %zu findings, expected %zu",
		     d->nr_findings, nf);
	free(keep);
}

static bool vmci_long(struct check *c, kdump_ctx_t *ctx, const char *key,
		      long *val)
{
	char *v = NULL, *end;
	bool ok;

	if (kdump_vmcoreinfo_line(ctx, key, &v) != KDUMP_OK || !v) {
		fail(c, "no %s in VMCOREINFO", key);
		return false;
	}
	*val = strtol(v, &end, 10);
	ok = !*end && end != v;
	if (!ok)
		fail(c, "%s=%s is not a number", key, v);
	free(v);
	return ok;
}

/* PIN-IN-MOVABLE and PIN-IN-CMA, decoded from the dump without pinscan:
 * node_data[] (VMCOREINFO SYMBOL/LENGTH) -> each node's ZONE_MOVABLE
 * span (SIZE(zone), OFFSET(pglist_data.node_zones),
 * OFFSET(zone.spanned_pages) from VMCOREINFO, zone_start_pfn from the
 * era's layout), and each decoded pin's pageblock migratetype read
 * through mem_section (usage->pageblock_flags, or 4.19's
 * pageblock_flags bitmap with its bit order), all through KDUMP_KVADDR;
 * compared with the findings of those two rules in expected.json. */
static void check_zones(struct check *c, struct gen *g, kdump_ctx_t *ctx,
			const struct decoded *d)
{
	const long *L = g->layout;
	kdump_addr_t nd;
	long len, zones_off, zone_size, spanned_off;
	struct range mv[8];
	int nmv = 0;
	struct finding *want = NULL;
	size_t nwant = 0, ngot = 0;
	bool *matched;

	if (kdump_vmcoreinfo_symbol(ctx, "node_data", &nd) != KDUMP_OK) {
		fail(c, "no SYMBOL(node_data): %s", kdump_get_err(ctx));
		return;
	}
	if (!vmci_long(c, ctx, "LENGTH(node_data)", &len) ||
	    !vmci_long(c, ctx, "OFFSET(pglist_data.node_zones)", &zones_off) ||
	    !vmci_long(c, ctx, "SIZE(zone)", &zone_size) ||
	    !vmci_long(c, ctx, "OFFSET(zone.spanned_pages)", &spanned_off))
		return;
	for (long i = 0; i < len; i++) {
		uint8_t b[8], z[16];
		uint64_t pgdat, zone;
		char name[16] = "";

		if (!kv_read(ctx, nd + i * 8, b, 8)) {
			fail(c, "read node_data[%ld]: %s", i, kdump_get_err(ctx));
			return;
		}
		pgdat = get64(b, 0);
		if (!pgdat)
			continue;
		if (i >= g->nr_nodes || pgdat != dmap(g, g->pgdat_pa[i])) {
			fail(c, "node_data[%ld] = 0x%llx", i,
			     (unsigned long long)pgdat);
			continue;
		}
		zone = pgdat + zones_off + Z_MOVABLE * zone_size;
		if (!kv_read(ctx, zone + L[L_ZONE_START_PFN], z, 8) ||
		    !kv_read(ctx, zone + spanned_off, z + 8, 8) ||
		    !kv_read(ctx, zone + L[L_ZONE_NAME], b, 8) ||
		    !kv_read(ctx, get64(b, 0), name, sizeof(name) - 1)) {
			fail(c, "read node %ld's ZONE_MOVABLE: %s", i,
			     kdump_get_err(ctx));
			return;
		}
		if (strcmp(name, "Movable"))
			fail(c, "node %ld zone %d is named '%s'", i, Z_MOVABLE,
			     name);
		if (get64(z, 0) != node_zone(g, (int)i, Z_MOVABLE).start ||
		    get64(z, 0) + get64(z, 8) !=
		    node_zone(g, (int)i, Z_MOVABLE).end)
			fail(c, "node %ld's ZONE_MOVABLE reads %llu+%llu", i,
			     (unsigned long long)get64(z, 0),
			     (unsigned long long)get64(z, 8));
		if (get64(z, 8) && nmv < 8) {
			mv[nmv].start = get64(z, 0);
			mv[nmv++].end = get64(z, 0) + get64(z, 8);
		}
	}

	for (size_t i = 0; i < g->nr_findings; i++)
		if ((!strcmp(g->findings[i].rule, "PIN-IN-MOVABLE") ||
		     !strcmp(g->findings[i].rule, "PIN-IN-CMA")) &&
		    !pfn_is_missing(g, g->findings[i].pfn)) {
			want = xrealloc(want, (nwant + 1) * sizeof(*want));
			want[nwant++] = g->findings[i];
		}
	matched = xcalloc(nwant + 1, sizeof(bool));
	for (size_t i = 0; i < d->nr_pins; i++) {
		uint64_t pfn = d->pins[i].pfn, ms, word_pa, bits;
		const char *rules[2] = { NULL, NULL };
		uint8_t b[8];
		unsigned shift;

		for (int k = 0; k < nmv; k++)
			if (pfn >= mv[k].start && pfn < mv[k].end)
				rules[0] = "PIN-IN-MOVABLE";
		if (L[L_MIGRATE_CMA] >= 0 &&
		    (L[L_USAGE_SIZE] || cma_rule_without_usage)) {
			if (!section_addr(c, g, ctx, pfn / PAGES_PER_SECTION, &ms) ||
			    !kv_read(ctx, ms + 8, b, 8))
				return;
			/* usage (or 4.19's usemap) + the word's offset */
			word_pa = usemap_word_pa(g, pfn, &shift);
			bits = get64(b, 0) + (word_pa - g->usage_pa[pfn / PAGES_PER_SECTION]);
			if (!kv_read(ctx, bits, b, 8)) {
				fail(c, "read pageblock bits of pfn %llu: %s",
				     (unsigned long long)pfn, kdump_get_err(ctx));
				return;
			}
			if ((long)((get64(b, 0) >> shift) & 7) == L[L_MIGRATE_CMA])
				rules[1] = "PIN-IN-CMA";
		}
		for (int r = 0; r < 2; r++) {
			bool found = false;

			if (!rules[r])
				continue;
			ngot++;
			for (size_t k = 0; k < nwant; k++)
				if (want[k].pfn == pfn &&
				    !strcmp(want[k].rule, rules[r])) {
					found = matched[k] = true;
				}
			if (!found)
				fail(c, "decoded %s at pfn %llu, not expected",
				     rules[r], (unsigned long long)pfn);
		}
	}
	for (size_t k = 0; k < nwant; k++)
		if (!matched[k])
			fail(c, "expected %s at pfn %llu not decoded",
			     want[k].rule, (unsigned long long)want[k].pfn);
	if (!c->failures && ngot)
		printf("selftest %s: %zu zone/pageblock findings decoded\n",
		       c->dump, ngot);
	free(want);
	free(matched);
}

static void check_uts(struct check *c, struct gen *g, kdump_ctx_t *ctx)
{
	char rel[65] = "";
	/* name is at offset 0 since 5.11, after struct kref before */
	uint64_t name = sym_rt(g, "init_uts_ns") +
		(g->era->vi_uts_name_offset ? 0 : 4);

	if (!kv_read(ctx, name + 2 * 65, rel, 64))
		fail(c, "read init_uts_ns: %s", kdump_get_err(ctx));
	else if (strcmp(rel, g->era->release))
		fail(c, "init_uts_ns release '%s', expected '%s'", rel,
		     g->era->release);
}

int selftest_run(struct gen *g, const char *path, bool is_kdump)
{
	struct check c = { .dump = path, .failures = 0 };
	struct decoded d = { 0 };
	kdump_ctx_t *ctx;
	int fd;

	(void)is_kdump;
	ctx = open_dump(&c, path, &fd);
	if (!ctx)
		return 1;
	check_mem_section(&c, g, ctx);
	check_uts(&c, g, ctx);
	check_memmap(&c, g, ctx, &d);
	check_decoded(&c, g, &d);
	check_zones(&c, g, ctx, &d);
	kdump_free(ctx);
	close(fd);
	if (c.failures)
		fprintf(stderr, "selftest %s: %d failures\n", path, c.failures);
	else
		printf("selftest %s: OK (%llu struct pages, %llu missing, "
		       "%zu pinned)\n", path, (unsigned long long)d.sum[0],
		       (unsigned long long)d.sum[1], d.nr_pins);
	free(d.pins);
	free(d.findings);
	return c.failures ? 1 : 0;
}
