#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memmap.h"
#include "util.h"

/* No x86-64 kernel has more roots than 2^25 sections / 1 per root. */
#define MAX_ROOTS (1ull << 25)


static enum ps_status add_section(struct memmap *mm, uint64_t nr,
				  uint64_t smm, uint64_t usage, size_t *cap,
				  struct ps_err *err)
{
	const struct page_layout *pl = mm->pl;
	struct mm_section *s;

	if (!(smm & pl->section_has_mem_map))
		return PS_OK;
	if (!array_grow((void **)&mm->sections, cap, mm->nr_sections,
			sizeof(*mm->sections)))
		return ps_fail(err, PS_ERR_NOMEM, "out of memory");
	s = &mm->sections[mm->nr_sections];
	s->nr = nr;
	s->start_pfn = nr * mm->pages_per_section;
	s->map = smm & pl->section_map_mask;
	s->usage = usage;
	if (!memmap_is_kernel_addr(s->map + s->start_pfn * pl->struct_page_size)) {
		ps_warn(mm->warnings,
			"section %llu has a mem_map outside kernel space (0x%llx); skipped",
			(unsigned long long)nr, (unsigned long long)smm);
		mm->nr_skipped++;
		return PS_OK;
	}
	mm->nr_sections++;
	return PS_OK;
}

/* Scan one block of struct mem_section entries (a root). */
static enum ps_status scan_block(struct memmap *mm, const uint8_t *block,
				 uint64_t first_nr, uint64_t count,
				 size_t *cap, struct ps_err *err)
{
	const struct page_layout *pl = mm->pl;
	uint64_t i;

	for (i = 0; i < count; i++) {
		const uint8_t *ms = block + i * pl->mem_section_size;
		uint64_t smm, usage = 0;

		memcpy(&smm, ms + pl->section_mem_map_off, sizeof(smm));
		if (pl->section_usage.present &&
		    pl->section_usage.off + 8 <= pl->mem_section_size)
			memcpy(&usage, ms + pl->section_usage.off, sizeof(usage));
		if (add_section(mm, first_nr + i, smm, usage, cap, err))
			return err->status;
	}
	return PS_OK;
}

static enum ps_status read_roots(struct memmap *mm, uint64_t root_array,
				 uint64_t nr_roots, uint64_t per_root,
				 struct ps_err *err)
{
	const struct page_layout *pl = mm->pl;
	size_t block_size = per_root * pl->mem_section_size;
	uint64_t *roots, r;
	size_t cap = 0;
	uint8_t *block;
	enum ps_status st = PS_OK;

	roots = calloc(nr_roots, sizeof(*roots));
	block = malloc(block_size);
	if (!roots || !block) {
		free(roots);
		free(block);
		return ps_fail(err, PS_ERR_NOMEM, "out of memory");
	}
	if (target_read_virt(mm->t, root_array, roots,
			     nr_roots * sizeof(*roots), err)) {
		st = ps_wrap(err, "reading the mem_section root array");
		goto out;
	}
	for (r = 0; r < nr_roots; r++) {
		struct ps_err rerr;

		if (!roots[r])
			continue;
		if (!memmap_is_kernel_addr(roots[r]) ||
		    target_read_virt(mm->t, roots[r], block, block_size,
				     &rerr)) {
			if (memmap_is_kernel_addr(roots[r]))
				ps_warn(mm->warnings, "%s", rerr.msg);
			mm->nr_bad_roots++;
			continue;
		}
		st = scan_block(mm, block, r * per_root, per_root, &cap, err);
		if (st)
			break;
	}
out:
	free(roots);
	free(block);
	return st;
}

/* Plain SPARSEMEM: the sections are one static array, read in chunks. */
static enum ps_status read_static(struct memmap *mm, uint64_t array,
				  uint64_t nr_sections, struct ps_err *err)
{
	const struct page_layout *pl = mm->pl;
	uint64_t chunk = 4096, i;
	size_t cap = 0;
	uint8_t *block = malloc(chunk * pl->mem_section_size);
	enum ps_status st = PS_OK;

	if (!block)
		return ps_fail(err, PS_ERR_NOMEM, "out of memory");
	for (i = 0; i < nr_sections && !st; i += chunk) {
		uint64_t n = nr_sections - i < chunk ? nr_sections - i : chunk;

		st = target_read_virt(mm->t, array + i * pl->mem_section_size,
				      block, n * pl->mem_section_size, err);
		if (st) {
			ps_wrap(err, "reading mem_section[%llu]",
				(unsigned long long)i);
			break;
		}
		st = scan_block(mm, block, i, n, &cap, err);
	}
	free(block);
	return st;
}

enum ps_status memmap_open(struct memmap *mm, struct target *t,
			   const struct page_layout *pl, struct ps_err *err)
{
	const struct vmcoreinfo *vi = &t->vmcoreinfo;
	uint64_t root_array, nr_mem_sections, per_root;
	int64_t length;
	int extreme;

	memset(mm, 0, sizeof(*mm));
	mm->t = t;
	mm->pl = pl;
	mm->warnings = t->warnings;
	mm->pages_per_section = 1ull << (pl->section_size_bits -
					 __builtin_ctz(pl->page_size));
	if (!vmcoreinfo_symbol(vi, "mem_section", &root_array) || !root_array)
		return ps_fail(err, PS_ERR_NODATA,
			       "%s: VMCOREINFO has no SYMBOL(mem_section): not a SPARSEMEM kernel, or mem_section was never set up",
			       t->path);
	nr_mem_sections = 1ull << (pl->max_physmem_bits - pl->section_size_bits);
	if (!vmcoreinfo_length(vi, "mem_section", &length) || length <= 0)
		length = -1;
	/* layout_apply_vmcoreinfo decided it where DWARF could not. */
	extreme = pl->sparsemem_extreme != 0;
	if (!extreme)
		return read_static(mm, root_array,
				   length > 0 ? (uint64_t)length : nr_mem_sections,
				   err);
	per_root = pl->page_size / pl->mem_section_size;
	if (length < 0)
		length = (int64_t)((nr_mem_sections + per_root - 1) / per_root);
	if ((uint64_t)length > MAX_ROOTS)
		return ps_fail(err, PS_ERR_FORMAT,
			       "%s: LENGTH(mem_section)=%lld is not plausible",
			       t->path, (long long)length);
	return read_roots(mm, root_array, (uint64_t)length, per_root, err);
}

void memmap_close(struct memmap *mm)
{
	free(mm->sections);
	memset(mm, 0, sizeof(*mm));
}

struct missing_ctx {
	uint64_t *missing;
	uint32_t *nr_missing;
	uint32_t sps, count;
};

/* target_hole_fn: bytes [from, to) of the run are absent: so are the
 * struct pages they overlap. */
static void mark_missing(void *arg, uint64_t from, uint64_t to)
{
	struct missing_ctx *mc = arg;
	uint64_t p, last = (to - 1) / mc->sps;

	for (p = from / mc->sps; p <= last && p < mc->count; p++) {
		if (!(mc->missing[p / 64] & (1ull << (p % 64)))) {
			mc->missing[p / 64] |= 1ull << (p % 64);
			(*mc->nr_missing)++;
		}
	}
}

enum ps_status memmap_read(struct memmap *mm, const struct mm_section *sec,
			   uint64_t pfn, uint32_t count, uint8_t *buf,
			   uint64_t *missing, uint32_t *nr_missing,
			   struct ps_err *err)
{
	uint32_t sps = mm->pl->struct_page_size;
	struct missing_ctx mc = {
		.missing = missing, .nr_missing = nr_missing,
		.sps = sps, .count = count,
	};

	memset(missing, 0, ((count + 63) / 64) * sizeof(*missing));
	*nr_missing = 0;
	return target_read_virt_sparse(mm->t, sec->map + pfn * sps, buf,
				       (uint64_t)count * sps, mark_missing,
				       &mc, mm->warnings, err);
}

const struct mm_section *memmap_find(const struct memmap *mm, uint64_t pfn)
{
	uint64_t nr = pfn / mm->pages_per_section, lo = 0, hi = mm->nr_sections;

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (mm->sections[mid].nr == nr)
			return &mm->sections[mid];
		if (mm->sections[mid].nr < nr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

uint64_t memmap_page_addr(const struct memmap *mm, uint64_t pfn)
{
	const struct mm_section *s = memmap_find(mm, pfn);

	return s ? s->map + pfn * mm->pl->struct_page_size : 0;
}

static uint64_t addr_in_section(const struct memmap *mm,
				const struct mm_section *s, uint64_t addr,
				uint32_t *offset)
{
	uint32_t sps = mm->pl->struct_page_size;
	uint64_t first = s->map + s->start_pfn * sps;

	if (addr < first || (addr - first) / sps >= mm->pages_per_section)
		return UINT64_MAX;
	*offset = (uint32_t)((addr - first) % sps);
	return s->start_pfn + (addr - first) / sps;
}

uint64_t memmap_page_containing(const struct memmap *mm, uint64_t addr,
				uint32_t *offset)
{
	uint64_t i, pfn;

	if (!mm->nr_sections)
		return UINT64_MAX;
	/* With VMEMMAP every section shares one base: one division. */
	if (addr >= mm->sections[0].map) {
		const struct mm_section *s;

		pfn = (addr - mm->sections[0].map) / mm->pl->struct_page_size;
		s = memmap_find(mm, pfn);
		if (s && addr_in_section(mm, s, addr, offset) == pfn)
			return pfn;
	}
	for (i = 0; i < mm->nr_sections; i++) {
		pfn = addr_in_section(mm, &mm->sections[i], addr, offset);
		if (pfn != UINT64_MAX)
			return pfn;
	}
	return UINT64_MAX;
}

uint64_t memmap_addr_to_pfn(const struct memmap *mm, uint64_t addr)
{
	uint32_t offset;
	uint64_t pfn = memmap_page_containing(mm, addr, &offset);

	return pfn != UINT64_MAX && !offset ? pfn : UINT64_MAX;
}
