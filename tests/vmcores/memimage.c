/* Physical memory of the synthetic dump: where things live, the x86_64
 * page tables rooted at init_top_pgt, mem_section, VMCOREINFO, and the
 * ELF core file that carries it all.
 *
 * Only memory with content is kept (struct chunk): the kernel image, the
 * mem_map arrays, and a metadata pool holding page tables, the
 * mem_section roots and a few data objects.  Other RAM exists in the page
 * tables and in mem_section but is simply not in any PT_LOAD.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mkvmcore.h"

#define PTE_PRESENT	0x001ULL
#define PTE_RW		0x002ULL
#define PTE_ACCESSED	0x020ULL
#define PTE_DIRTY	0x040ULL
#define PTE_PSE		0x080ULL
#define PTE_GLOBAL	0x100ULL
#define PTE_NX		(1ULL << 63)
#define PTE_ADDR_MASK	0x000ffffffffff000ULL
#define KERNPG_TABLE	(PTE_PRESENT | PTE_RW | PTE_ACCESSED | PTE_DIRTY)

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

uint64_t dmap(const struct gen *g, uint64_t paddr)
{
	return g->page_offset_base + paddr;
}

/* --stream: where physical address paddr lives in the mapped vmcore
 * (the RAM PT_LOAD that covers it). */
static uint8_t *stream_ptr(const struct gen *g, uint64_t paddr, uint64_t len)
{
	for (int r = 0; r < g->nr_ram; r++)
		if (paddr >= g->ram[r].start && paddr + len <= g->ram[r].end)
			return g->stream_map + g->stream_ram_off[r] +
				(paddr - g->ram[r].start);
	fatal("--stream: physical 0x%llx (+%llu) is not in RAM",
	      (unsigned long long)paddr, (unsigned long long)len);
}

static int add_chunk(struct gen *g, uint64_t paddr, uint64_t size,
		     uint64_t vaddr, bool ktext)
{
	struct chunk *c;

	g->chunks = xrealloc(g->chunks, (g->nr_chunks + 1) * sizeof(*c));
	c = &g->chunks[g->nr_chunks];
	c->paddr = paddr;
	c->size = size;
	c->vaddr = vaddr;
	c->ktext = ktext;
	/* --stream: the file's pages start as holes, read as zeros;
	 * faulting them in one by one costs more than writing them, so
	 * they are faulted in a chunk at a time (Linux 5.14+; the faults
	 * come anyway where that is refused). */
	if (g->stream) {
		c->buf = stream_ptr(g, paddr, size);
		madvise(c->buf, size, MADV_POPULATE_WRITE);
	} else {
		c->buf = xcalloc(1, size);
	}
	return g->nr_chunks++;
}

uint8_t *phys_ptr(struct gen *g, uint64_t paddr, uint64_t len)
{
	for (int i = 0; i < g->nr_chunks; i++) {
		struct chunk *c = &g->chunks[i];

		if (paddr >= c->paddr && paddr + len <= c->paddr + c->size)
			return c->buf + (paddr - c->paddr);
	}
	fatal("no content chunk for physical 0x%llx (+%llu)",
	      (unsigned long long)paddr, (unsigned long long)len);
}

uint8_t *ktext_ptr(struct gen *g, uint64_t rt_vaddr, uint64_t len)
{
	uint64_t text = LINK_TEXT + g->kaslr_offset;

	return phys_ptr(g, g->kernel_phys + (rt_vaddr - text), len);
}

static void add_reserved(struct gen *g, uint64_t start, uint64_t end)
{
	g->reserved = xrealloc(g->reserved,
			       (g->nr_reserved + 1) * sizeof(*g->reserved));
	g->reserved[g->nr_reserved].start = start;
	g->reserved[g->nr_reserved].end = end;
	g->nr_reserved++;
}

/* Allocate RAM that nothing else uses, like memblock_alloc() at boot. */
static uint64_t phys_alloc(struct gen *g, uint64_t size, uint64_t align)
{
	uint64_t p = align_up(g->alloc_cursor, align);

	for (;;) {
		bool moved = false;
		int r;

		for (int i = 0; i < g->nr_reserved; i++) {
			if (p < g->reserved[i].end &&
			    p + size > g->reserved[i].start) {
				p = align_up(g->reserved[i].end, align);
				moved = true;
			}
		}
		for (r = 0; r < g->nr_ram; r++)
			if (p >= g->ram[r].start && p < g->ram[r].end)
				break;
		if (r == g->nr_ram) {
			for (r = 0; r < g->nr_ram; r++)
				if (g->ram[r].start > p)
					break;
			if (r == g->nr_ram)
				fatal("out of synthetic RAM for %llu bytes",
				      (unsigned long long)size);
			p = align_up(g->ram[r].start, align);
			continue;
		}
		if (p + size > g->ram[r].end) {
			if (r + 1 == g->nr_ram)
				fatal("out of synthetic RAM for %llu bytes",
				      (unsigned long long)size);
			p = align_up(g->ram[r + 1].start, align);
			continue;
		}
		if (!moved)
			break;
	}
	add_reserved(g, p, p + size);
	g->alloc_cursor = p + size;
	return p;
}

uint64_t pool_alloc(struct gen *g, uint64_t size, uint64_t align)
{
	struct chunk *c = &g->chunks[g->pool];
	uint64_t off = align_up(g->pool_used, align);

	if (off + size > c->size)
		fatal("metadata pool exhausted (%llu of %llu bytes)",
		      (unsigned long long)(off + size),
		      (unsigned long long)c->size);
	g->pool_used = off + size;
	return c->paddr + off;
}

/* The zones scenario: RAM at 0..1 GiB (sections 0..7) and 4..4.5 GiB
 * (sections 32..35), the gap standing for the PCI hole below 4 GiB, so
 * that ZONE_DMA32 and ZONE_NORMAL both have memory; sections 34..35 are
 * ZONE_MOVABLE (as movablecore=256M makes it, from the top of the
 * highest zone). */
#define ZONES_LOW_SECTIONS	8
#define ZONES_HIGH_FIRST	32
#define ZONES_NR_SECTIONS	36
#define ZONES_MOVABLE_FIRST	34

/* Which sections have RAM: "mixed" and "faults" leave section 2 out (a
 * 128 MiB hole), "bench" is one contiguous range, "zones" see above. */
static void plan_sections(struct gen *g)
{
	uint64_t ram_sections = g->mem_mib / 128;
	uint64_t hole = g->scenario != SCEN_BENCH ? 2 : UINT64_MAX;

	if (g->scenario == SCEN_ZONES) {
		g->nr_sections = ZONES_NR_SECTIONS;
		hole = UINT64_MAX;
	} else {
		g->nr_sections = ram_sections + (hole != UINT64_MAX ? 1 : 0);
	}
	g->section_present = xcalloc(g->nr_sections, sizeof(bool));
	g->memmap_phys = xcalloc(g->nr_sections, sizeof(uint64_t));
	for (uint64_t s = 0; s < g->nr_sections; s++)
		g->section_present[s] = g->scenario == SCEN_ZONES ?
			s < ZONES_LOW_SECTIONS || s >= ZONES_HIGH_FIRST :
			s != hole;

	for (uint64_t s = 0; s < g->nr_sections; s++) {
		uint64_t start = s * SECTION_BYTES;

		if (!g->section_present[s])
			continue;
		if (g->nr_ram && g->ram[g->nr_ram - 1].end == start) {
			g->ram[g->nr_ram - 1].end += SECTION_BYTES;
			continue;
		}
		g->ram = xrealloc(g->ram, (g->nr_ram + 1) * sizeof(*g->ram));
		g->ram[g->nr_ram].start = start;
		g->ram[g->nr_ram].end = start + SECTION_BYTES;
		g->nr_ram++;
	}
}

/* Room for the PT_NOTE (NT_PRSTATUS and VMCOREINFO, a few KiB), which
 * --stream places before the VMCOREINFO text exists. */
#define STREAM_NOTES_ROOM	(64 * 1024)

/* --stream: lay out the ELF vmcore (headers and notes, the kernel
 * image's PT_LOAD, one PT_LOAD per RAM range, as /proc/vmcore has them),
 * size it (sparse: RAM that nobody writes stays a hole) and map it, so
 * that every chunk is written in place. */
static void stream_plan(struct gen *g, uint64_t image_size)
{
	char *path = xasprintf("%s/vmcore", g->outdir);
	uint64_t phnum = 2 + g->nr_ram;
	uint64_t off = align_up(sizeof(Elf64_Ehdr) + phnum * sizeof(Elf64_Phdr),
				PAGE_SIZE);

	g->stream_notes_off = off;
	g->stream_notes_room = STREAM_NOTES_ROOM;
	off += STREAM_NOTES_ROOM;
	g->stream_ktext_off = off;
	off = align_up(off + image_size, SZ_2M);
	g->stream_ram_off = xcalloc(g->nr_ram, sizeof(uint64_t));
	for (int r = 0; r < g->nr_ram; r++) {
		g->stream_ram_off[r] = off;
		off = align_up(off + (g->ram[r].end - g->ram[r].start), SZ_2M);
	}
	g->stream_size = off;
	g->stream_fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (g->stream_fd < 0)
		fatal("open %s: %s", path, strerror(errno));
	if (ftruncate(g->stream_fd, (off_t)off))
		fatal("ftruncate %s to %llu bytes: %s", path,
		      (unsigned long long)off, strerror(errno));
	g->stream_map = mmap(NULL, off, PROT_READ | PROT_WRITE, MAP_SHARED,
			     g->stream_fd, 0);
	if (g->stream_map == MAP_FAILED)
		fatal("mmap %s (%llu bytes): %s", path,
		      (unsigned long long)off, strerror(errno));
	free(path);
}

/* The zones, as free_area_init() sizes them on x86_64: ZONE_DMA below
 * 16 MiB, ZONE_DMA32 below 4 GiB, ZONE_NORMAL above; memory starts at
 * pfn 1 (e820 trims page 0); ZONE_MOVABLE (zones scenario only) is carved
 * from the top of the highest zone, which then ends where it starts
 * (adjust_zone_range_for_zone_movable()).  Spans include holes.  One
 * node holds it all, except in the zones scenario: node 0 = the RAM
 * below 4 GiB (sections 0..7), node 1 = the RAM at 4 GiB (sections
 * 32..35, with ZONE_NORMAL and all of ZONE_MOVABLE); a node's zones are
 * these spans clipped to the node's span (node_zone()). */
static void plan_zones(struct gen *g)
{
	static const uint64_t limit[] = { 4096, 1ULL << 20, UINT64_MAX };
	uint64_t low = 0, movable = UINT64_MAX, mem_start = 1, mem_end = 0;

	for (uint64_t s = 0; s < g->nr_sections; s++)
		if (g->section_present[s])
			mem_end = (s + 1) * PAGES_PER_SECTION;
	if (g->scenario == SCEN_ZONES) {
		g->nr_nodes = 2;
		g->node[0].start = mem_start;
		g->node[0].end = ZONES_LOW_SECTIONS * PAGES_PER_SECTION;
		g->node[1].start = ZONES_HIGH_FIRST * PAGES_PER_SECTION;
		g->node[1].end = mem_end;
		movable = ZONES_MOVABLE_FIRST * PAGES_PER_SECTION;
		g->zone[Z_MOVABLE].start = movable;
		g->zone[Z_MOVABLE].end = mem_end;
	} else {
		g->nr_nodes = 1;
		g->node[0].start = mem_start;
		g->node[0].end = mem_end;
	}
	for (int z = Z_DMA; z <= Z_NORMAL; z++) {
		uint64_t start = low > mem_start ? low : mem_start;
		uint64_t end = limit[z] < mem_end ? limit[z] : mem_end;

		if (end > movable)
			end = movable;
		if (start < end) {
			g->zone[z].start = start;
			g->zone[z].end = end;
		}
		low = limit[z];
	}
}

int zone_of_pfn(const struct gen *g, uint64_t pfn)
{
	for (int z = 0; z < NR_ZONES; z++)
		if (pfn >= g->zone[z].start && pfn < g->zone[z].end)
			return z;
	/* pfn 0: below the node; page->flags still says ZONE_DMA */
	return Z_DMA;
}

/* The node whose span holds pfn (0 for pfn 0, below every node). */
int node_of_pfn(const struct gen *g, uint64_t pfn)
{
	for (int n = 0; n < g->nr_nodes; n++)
		if (pfn >= g->node[n].start && pfn < g->node[n].end)
			return n;
	return 0;
}

/* Node nid's zone z: the zone's span clipped to the node's (empty: 0, 0). */
struct range node_zone(const struct gen *g, int nid, int z)
{
	struct range r = g->zone[z];

	if (r.start < g->node[nid].start)
		r.start = g->node[nid].start;
	if (r.end > g->node[nid].end)
		r.end = g->node[nid].end;
	if (r.start >= r.end)
		r.start = r.end = 0;
	return r;
}

static uint64_t usage_stride(const struct gen *g)
{
	/* mem_section_usage_size(): sizeof(struct mem_section_usage) +
	 * usemap_size(); 4.19 allocates usemap_size() per section. */
	return g->layout[L_USAGE_SIZE] + g->layout[L_USEMAP_SIZE];
}

void mem_plan(struct gen *g)
{
	const struct sym *end = sym_find(g, "_end");
	uint64_t image_size, pool_size, roots_bytes;

	if (g->l5 && !g->extreme)
		fatal("--l5 with --no-extreme would need a 1 GiB static "
		      "mem_section array; x86_64 kernels always use "
		      "SPARSEMEM_EXTREME");
	if (!end)
		fatal("vmlinux has no _end");
	plan_sections(g);
	plan_zones(g);

	/* The kernel image: text, data and bss, as loaded at boot. */
	image_size = align_up(end->value - LINK_TEXT, PAGE_SIZE);
	if (g->stream)
		stream_plan(g, image_size);
	add_reserved(g, 0, 0x100000);	/* BIOS, real-mode trampoline */
	add_reserved(g, g->kernel_phys,
		     align_up(g->kernel_phys + image_size, SZ_2M));
	g->ktext = add_chunk(g, g->kernel_phys, image_size,
			     LINK_TEXT + g->kaslr_offset, true);
	g->alloc_cursor = 0x2000000;

	/* mem_section roots (SPARSEMEM_EXTREME): one pointer per root, and a
	 * page of struct mem_section for each root that has sections. */
	g->nr_section_roots = g->extreme ?
		(1ULL << (g->max_physmem_bits - SECTION_SIZE_BITS)) /
		(PAGE_SIZE / MEM_SECTION_SIZE) :
		(1ULL << (g->max_physmem_bits - SECTION_SIZE_BITS));
	roots_bytes = g->extreme ?
		align_up(g->nr_section_roots * 8, PAGE_SIZE) : 0;
	/* Page tables need well under a page per GiB; be generous. */
	pool_size = 128 * PAGE_SIZE + roots_bytes +
		(g->nr_sections / 128 + 2) * PAGE_SIZE +
		(g->mem_mib / 1024 + 1) * 2 * PAGE_SIZE + 8 * PAGE_SIZE;
	/* the nodes' pglist_data and the sections' mem_section_usage */
	/* the per-cpu areas holding the node stat diffs */
	pool_size += SYNTH_CPU_AREAS * PAGE_SIZE;
	pool_size += g->nr_nodes * align_up(g->layout[L_PGDAT_SIZE], PAGE_SIZE) +
		align_up(g->nr_sections * usage_stride(g), PAGE_SIZE);
	pool_size = align_up(pool_size, SZ_2M);
	{
		uint64_t p = phys_alloc(g, pool_size, SZ_2M);

		g->pool = add_chunk(g, p, pool_size, dmap(g, p), false);
	}

	/* Every present section's mem_map: 2 MiB each, 2 MiB aligned, so
	 * the vmemmap can use PMD mappings as the kernel does.  A 2 MiB gap
	 * of RAM that is not in the dump follows each one, so that a mem_map
	 * page left out at the end of a section is more than a page away
	 * from the next PT_LOAD (see the libkdumpfile note in README.md). */
	g->memmap_chunk = xcalloc(g->nr_sections, sizeof(int));
	for (uint64_t s = 0; s < g->nr_sections; s++) {
		uint64_t p;

		if (!g->section_present[s])
			continue;
		p = phys_alloc(g, 2 * MEMMAP_BYTES, SZ_2M);
		g->memmap_phys[s] = p;
		g->memmap_chunk[s] = add_chunk(g, p, MEMMAP_BYTES, dmap(g, p),
					       false);
	}

	g->cls = xcalloc(g->nr_sections * PAGES_PER_SECTION, 1);
}

uint64_t section_mem_map_value(const struct gen *g, uint64_t sec)
{
	uint64_t map, flags;

	if (sec >= g->nr_sections || !g->section_present[sec])
		return 0;
	/* sparse_encode_mem_map(): mem_map - section_nr_to_pfn(pnum), in
	 * struct page units.  With VMEMMAP the section's mem_map is
	 * vmemmap + start_pfn, so this is vmemmap itself. */
	if (g->vmemmap)
		map = g->vmemmap_base;
	else
		map = dmap(g, g->memmap_phys[sec]) -
			sec * PAGES_PER_SECTION * STRUCT_PAGE_SIZE;
	flags = 1 << 0	/* SECTION_MARKED_PRESENT */
		| 1 << 1	/* SECTION_HAS_MEM_MAP */
		| 1 << 2;	/* SECTION_IS_ONLINE */
	if (g->era->section_is_early_bit >= 0)
		flags |= 1ULL << g->era->section_is_early_bit;
	return map | flags;
}

static void write_mem_section(struct gen *g, uint8_t *ms, uint64_t sec)
{
	put64(ms, 0, section_mem_map_value(g, sec));
	/* 5.3+: usage (4.19: pageblock_flags, the usemap itself) */
	put64(ms, 8, g->section_present[sec] ? dmap(g, g->usage_pa[sec]) : 0);
	put64(ms, 16, 0);	/* page_ext */
	put64(ms, 24, 0);	/* pad */
}

/* mem_section: the root array is allocated in the direct map by
 * sparse_index_alloc()/memblock, as the kernel does for EXTREME; the
 * static variant is the vmlinux array itself. */
static void build_mem_section(struct gen *g)
{
	uint64_t per_root = PAGE_SIZE / MEM_SECTION_SIZE;

	if (!g->extreme) {
		uint64_t base = sym_rt(g, "mem_section");

		for (uint64_t s = 0; s < g->nr_sections; s++)
			write_mem_section(g, ktext_ptr(g, base + s * MEM_SECTION_SIZE,
						       MEM_SECTION_SIZE), s);
		g->mem_section_value = base;
		return;
	}

	uint64_t roots = pool_alloc(g, g->nr_section_roots * 8, PAGE_SIZE);
	uint8_t *rootp = phys_ptr(g, roots, g->nr_section_roots * 8);

	for (uint64_t r = 0; r * per_root < g->nr_sections; r++) {
		uint64_t arr = pool_alloc(g, PAGE_SIZE, PAGE_SIZE);
		uint8_t *arrp = phys_ptr(g, arr, PAGE_SIZE);

		put64(rootp, r * 8, dmap(g, arr));
		for (uint64_t i = 0; i < per_root; i++) {
			uint64_t s = r * per_root + i;

			if (s < g->nr_sections)
				write_mem_section(g, arrp + i * MEM_SECTION_SIZE, s);
		}
	}
	g->mem_section_value = dmap(g, roots);
	put64(ktext_ptr(g, sym_rt(g, "mem_section"), 8), 0,
	      g->mem_section_value);
}

/* Where pfn's pageblock keeps its 4 bits: the physical address of the
 * unsigned long, and the shift of the migratetype's low bit in it
 * (get_pfnblock_flags_mask(): since v5.9 (word >> bitidx) & 7, before it
 * (word >> (BITS_PER_LONG - bitidx - PB_migrate_end - 1)) & 7). */
uint64_t usemap_word_pa(const struct gen *g, uint64_t pfn, unsigned *shift)
{
	uint64_t sec = pfn / PAGES_PER_SECTION;
	uint64_t bitidx = ((pfn % PAGES_PER_SECTION) >> 9) *
		(uint64_t)g->layout[L_NR_PAGEBLOCK_BITS];
	uint64_t b = bitidx % 64;

	*shift = g->era->pageblock_msb_first ? (unsigned)(64 - b - 2 - 1)
		: (unsigned)b;
	return g->usage_pa[sec] + g->layout[L_USAGE_PAGEBLOCK] + bitidx / 64 * 8;
}

/* Set pfn's pageblock's migratetype and PB_migrate_skip, the bit next to
 * it (above it from v5.9, below it before: set_pfnblock_flags_mask()
 * with end_bitidx PB_migrate_skip). */
void set_pageblock_bits(struct gen *g, uint64_t pfn, int mt, bool skip)
{
	unsigned shift;
	uint64_t pa = usemap_word_pa(g, pfn, &shift);
	uint8_t *p = phys_ptr(g, pa, 8);
	unsigned skip_bit = g->era->pageblock_msb_first ? shift - 1 : shift + 3;
	uint64_t w = get64(p, 0) & ~(7ULL << shift) & ~(1ULL << skip_bit);

	w |= (uint64_t)mt << shift | (uint64_t)skip << skip_bit;
	put64(p, 0, w);
	g->pb_mt[pfn >> 9] = (uint8_t)mt;
}

void set_pageblock_mt(struct gen *g, uint64_t pfn, int mt)
{
	set_pageblock_bits(g, pfn, mt, false);
}

/* sparse_init(): one array of mem_section_usage (4.19: of usemaps) for
 * all present sections of the node; every subsection present, every
 * pageblock MIGRATE_MOVABLE (scenarios change some afterwards). */
static void build_usage(struct gen *g)
{
	uint64_t stride = usage_stride(g), nr = 0, base;

	for (uint64_t s = 0; s < g->nr_sections; s++)
		nr += g->section_present[s];
	base = pool_alloc(g, nr * stride, 64);
	g->usage_pa = xcalloc(g->nr_sections, sizeof(uint64_t));
	g->pb_mt = xcalloc(g->nr_sections * (PAGES_PER_SECTION >> 9), 1);
	for (uint64_t s = 0, i = 0; s < g->nr_sections; s++) {
		if (!g->section_present[s])
			continue;
		g->usage_pa[s] = base + i++ * stride;
		if (g->layout[L_USAGE_SIZE])	/* subsection_map: all 64 */
			put64(phys_ptr(g, g->usage_pa[s] +
				       g->layout[L_USAGE_SUBSECTION], 8), 0,
			      ~0ULL);
		for (uint64_t pfn = s * PAGES_PER_SECTION;
		     pfn < (s + 1) * PAGES_PER_SECTION; pfn += 512)
			set_pageblock_mt(g, pfn, (int)g->layout[L_MIGRATE_MOVABLE]);
	}
}

/* Each node's pglist_data, allocated in the direct map as
 * alloc_node_data() does (memblock, rounded up to a page), and
 * node_data[nid] pointing at it.  Written: node_zones[] (start, spanned,
 * present, managed pages, name, node, zone_pgdat, initialized and empty
 * free lists for populated zones, as free_area_init_core() and
 * zone_init_free_lists() leave them), nr_zones, node_start_pfn,
 * node_present_pages, node_spanned_pages, node_id; node_online_map. */
static void build_pgdat(struct gen *g, int nid)
{
	const long *L = g->layout;
	uint64_t size = align_up(L[L_PGDAT_SIZE], PAGE_SIZE);
	uint64_t pa = pool_alloc(g, size, PAGE_SIZE), va = dmap(g, pa);
	uint8_t *pg = phys_ptr(g, pa, size);
	uint64_t node_present = 0, names = sym_rt(g, "zone_names");
	int nr_zones = 0;

	g->pgdat_pa[nid] = pa;
	for (int z = 0; z < NR_ZONES; z++) {
		uint64_t zoff = L[L_PGDAT_NODE_ZONES] + z * L[L_ZONE_SIZE];
		uint8_t *zp = pg + zoff;
		uint64_t present = 0, reserved = 0;
		struct range zr = node_zone(g, nid, z);

		for (uint64_t pfn = zr.start; pfn < zr.end; pfn++) {
			if (!g->section_present[pfn / PAGES_PER_SECTION]) {
				pfn = (pfn / PAGES_PER_SECTION + 1) *
					PAGES_PER_SECTION - 1;
				continue;
			}
			present++;
			reserved += !!(g->cls[pfn] & C_RES);
		}
		put32(zp, L[L_ZONE_NODE], (uint32_t)nid);
		put64(zp, L[L_ZONE_PGDAT], va);
		put64(zp, L[L_ZONE_START_PFN], zr.start);
		put64(zp, L[L_ZONE_SPANNED], zr.end - zr.start);
		put64(zp, L[L_ZONE_PRESENT], present);
		put64(zp, L[L_ZONE_MANAGED], present - reserved);
		put64(zp, L[L_ZONE_NAME],
		      get64(ktext_ptr(g, names + z * 8, 8), 0));
		node_present += present;
		if (!present)
			continue;
		nr_zones = z + 1;
		put32(zp, L[L_ZONE_INITIALIZED], 1);
		for (long o = 0; o < L[L_NR_ORDERS]; o++)
			for (long t = 0; t < L[L_MIGRATE_TYPES]; t++) {
				uint64_t off = zoff + L[L_ZONE_FREE_AREA] +
					o * L[L_FREE_AREA_SIZE] +
					L[L_FREE_AREA_LIST] + t * 16;

				put64(pg, off, va + off);
				put64(pg, off + 8, va + off);
			}
	}
	put32(pg, L[L_PGDAT_NR_ZONES], (uint32_t)nr_zones);
	put64(pg, L[L_PGDAT_START_PFN], g->node[nid].start);
	put64(pg, L[L_PGDAT_PRESENT], node_present);
	put64(pg, L[L_PGDAT_SPANNED], g->node[nid].end - g->node[nid].start);
	put32(pg, L[L_PGDAT_NODE_ID], (uint32_t)nid);
	put64(ktext_ptr(g, sym_rt(g, "node_data") + nid * 8, 8), 0, va);
	{
		uint8_t *m = ktext_ptr(g, sym_rt(g, "node_online_map"), 8);

		put64(m, 0, get64(m, 0) | 1ULL << nid);
	}
}

/* Each node's NR_FOLL_PIN_ACQUIRED/RELEASED as the kernel keeps them:
 * pglist_data.vm_stat[] plus one s8 diff per possible CPU, in the
 * per-cpu area that __per_cpu_offset[cpu] + pgdat->per_cpu_nodestats
 * addresses (x86-64 per-cpu pointers are offsets into the area). Four
 * CPU ids (nr_cpu_ids 4), CPU 2 not possible (__cpu_possible_mask 0xb);
 * its area and CPU 4's hold diffs that a reader must not add. The diffs
 * are nonzero and of both signs, so a reader that skips them, or reads
 * the wrong CPUs, gets another total. Outstanding = every pin placed
 * (those on missing pages too: the kernel counted them) + --pin-delta;
 * released is a fixed 3000 + outstanding / 2, spread over the nodes. */
#define SYNTH_NR_CPU_IDS 4
#define SYNTH_POSSIBLE_MASK 0xbULL
#define SYNTH_PCP_OFFSET 0x100	/* pgdat->per_cpu_nodestats of node 0 */
static const int8_t acquired_diff[SYNTH_CPU_AREAS] = { 7, -5, 100, 120, 100 };
static const int8_t released_diff[SYNTH_CPU_AREAS] = { -2, 9, 100, -128, 100 };

void mem_build_pin_accounting(struct gen *g)
{
	const long *L = g->layout;
	long acq_item = L[L_NR_FOLL_PIN_ACQUIRED], rel_item = L[L_NR_FOLL_PIN_RELEASED];
	int64_t outstanding = g->pin_delta, released, acquired;
	uint64_t area_va[SYNTH_CPU_AREAS];
	uint8_t *mask = ktext_ptr(g, sym_rt(g, "__cpu_possible_mask"), 8);

	if (acq_item < 0)
		return;		/* 4.19: no such counters */
	for (size_t i = 0; i < g->nr_pins; i++)
		outstanding += g->pins[i].pincount;
	released = 3000 + outstanding / 2;
	acquired = outstanding + released;
	g->acct_written = true;
	g->acct_acquired = acquired;
	g->acct_released = released;

	put32(ktext_ptr(g, sym_rt(g, "nr_cpu_ids"), 4), 0, SYNTH_NR_CPU_IDS);
	put64(mask, 0, SYNTH_POSSIBLE_MASK);
	for (int c = 0; c < SYNTH_CPU_AREAS; c++) {
		area_va[c] = dmap(g, pool_alloc(g, PAGE_SIZE, PAGE_SIZE));
		put64(ktext_ptr(g, sym_rt(g, "__per_cpu_offset") + c * 8, 8), 0,
		      area_va[c]);
	}
	for (int n = 0; n < g->nr_nodes; n++) {
		uint8_t *pg = phys_ptr(g, g->pgdat_pa[n], L[L_PGDAT_SIZE]);
		uint64_t pcp = SYNTH_PCP_OFFSET + (uint64_t)n * 64;
		/* node 1 (zones scenario) holds a quarter of each */
		int64_t acq = n ? acquired / 4 : acquired - (g->nr_nodes > 1 ? acquired / 4 : 0);
		int64_t rel = n ? released / 4 : released - (g->nr_nodes > 1 ? released / 4 : 0);

		put64(pg, L[L_PGDAT_PCP_NODESTATS], pcp);
		for (int c = 0; c < SYNTH_CPU_AREAS; c++) {
			uint8_t *d = phys_ptr(g, area_va[c] - g->page_offset_base +
					      pcp + L[L_NODESTAT_DIFF],
					      (size_t)L[L_NODESTAT_SIZE]);

			d[acq_item] = (uint8_t)acquired_diff[c];
			d[rel_item] = (uint8_t)released_diff[c];
			if (c < SYNTH_NR_CPU_IDS &&
			    (SYNTH_POSSIBLE_MASK >> c & 1)) {
				acq -= acquired_diff[c];
				rel -= released_diff[c];
			}
		}
		put64(pg, L[L_PGDAT_VM_STAT] + acq_item * 8, (uint64_t)acq);
		put64(pg, L[L_PGDAT_VM_STAT] + rel_item * 8, (uint64_t)rel);
	}
}

static void set_ulong(struct gen *g, const char *name, uint64_t v)
{
	put64(ktext_ptr(g, sym_rt(g, name), 8), 0, v);
}

/* Copy the linked image into the dump and give the variables their
 * run-time values. */
void mem_build_kernel_data(struct gen *g)
{
	for (size_t i = 0; i < g->nr_sects; i++) {
		struct vmlinux_sect *vs = &g->sects[i];

		if (vs->nobits || vs->addr < LINK_TEXT)
			continue;
		memcpy(ktext_ptr(g, vs->addr + g->kaslr_offset, vs->size),
		       vs->data, vs->size);
	}

	/* A few data objects that struct pages point at: an anon_vma, an
	 * address_space, a kmem_cache and a mem_section_usage.  Their
	 * contents do not matter to pinscan; they exist so that pointers
	 * in the dump lead somewhere readable. */
	g->anon_vma_va = dmap(g, pool_alloc(g, PAGE_SIZE, PAGE_SIZE));
	g->file_mapping_va = dmap(g, pool_alloc(g, PAGE_SIZE, PAGE_SIZE));
	g->kmem_cache_va = dmap(g, pool_alloc(g, PAGE_SIZE, PAGE_SIZE));

	/* zone_names[] holds pointers: relocate them like the kernel's own
	 * relocation does under KASLR. */
	{
		uint64_t zn = sym_rt(g, "zone_names");

		for (int z = 0; z < NR_ZONES; z++) {
			uint8_t *p = ktext_ptr(g, zn + z * 8, 8);

			put64(p, 0, get64(p, 0) + g->kaslr_offset);
		}
	}
	build_usage(g);
	for (int n = 0; n < g->nr_nodes; n++)
		build_pgdat(g, n);

	set_ulong(g, "phys_base", g->phys_base);
	set_ulong(g, "page_offset_base", g->page_offset_base);
	set_ulong(g, "vmalloc_base", g->vmalloc_base);
	set_ulong(g, "vmemmap_base", g->vmemmap_base);
	put32(ktext_ptr(g, sym_rt(g, "__pgtable_l5_enabled"), 4), 0, g->l5);
	build_mem_section(g);
}

static uint8_t *table(struct gen *g, uint64_t paddr)
{
	return phys_ptr(g, paddr, PAGE_SIZE);
}

/* Map one page of 4 KiB (level 1), 2 MiB (2) or 1 GiB (3). */
static void pt_map(struct gen *g, uint64_t va, uint64_t pa, int level,
		   bool nx)
{
	uint64_t tbl = g->pgd_phys;
	int lvl;

	for (lvl = g->levels; lvl > level; lvl--) {
		unsigned idx = (va >> (PAGE_SHIFT + 9 * (lvl - 1))) & 511;
		uint64_t e = get64(table(g, tbl), idx * 8);

		if (!(e & PTE_PRESENT)) {
			uint64_t np = pool_alloc(g, PAGE_SIZE, PAGE_SIZE);

			e = np | KERNPG_TABLE;
			put64(table(g, tbl), idx * 8, e);
		} else if (e & PTE_PSE) {
			fatal("mapping 0x%llx: already under a huge page",
			      (unsigned long long)va);
		}
		tbl = e & PTE_ADDR_MASK;
	}

	unsigned idx = (va >> (PAGE_SHIFT + 9 * (level - 1))) & 511;
	uint64_t e = pa | KERNPG_TABLE | PTE_GLOBAL;

	if (level > 1)
		e |= PTE_PSE;
	if (nx)
		e |= PTE_NX;
	if (get64(table(g, tbl), idx * 8) & PTE_PRESENT)
		fatal("0x%llx is mapped twice", (unsigned long long)va);
	put64(table(g, tbl), idx * 8, e);
}

/* Map [pa, pa + size) at va with the largest pages that fit, except that
 * the first 2 MiB of physical memory uses 4 KiB pages (the kernel maps
 * the first megabyte specially). */
static void pt_map_range(struct gen *g, uint64_t va, uint64_t pa,
			 uint64_t size, bool nx, bool allow_1g)
{
	uint64_t end = pa + size;

	while (pa < end) {
		uint64_t step;
		int level;

		if (allow_1g && !(pa % SZ_1G) && !(va % SZ_1G) &&
		    pa + SZ_1G <= end && pa >= SZ_2M) {
			level = 3;
			step = SZ_1G;
		} else if (!(pa % SZ_2M) && !(va % SZ_2M) &&
			   pa + SZ_2M <= end && pa >= SZ_2M) {
			level = 2;
			step = SZ_2M;
		} else {
			level = 1;
			step = PAGE_SIZE;
		}
		pt_map(g, va, pa, level, nx);
		va += step;
		pa += step;
	}
}

void mem_build_page_tables(struct gen *g)
{
	uint64_t text = LINK_TEXT + g->kaslr_offset;
	const struct sym *end = sym_find(g, "_end");
	uint64_t kstart, kend;

	g->pgd_phys = g->kernel_phys + (sym_rt(g, "init_top_pgt") - text);
	if (g->pgd_phys % PAGE_SIZE)
		fatal("init_top_pgt is not page aligned");

	/* Kernel text mapping: __START_KERNEL_map + x -> phys_base + x,
	 * 2 MiB pages (level2_kernel_pgt). */
	kstart = text & ~(SZ_2M - 1);
	kend = align_up(end->value + g->kaslr_offset, SZ_2M);
	pt_map_range(g, kstart, g->kernel_phys - (text - kstart),
		     kend - kstart, false, false);

	/* Direct map of all RAM (kernel_physical_mapping_init()). */
	for (int r = 0; r < g->nr_ram; r++)
		pt_map_range(g, dmap(g, g->ram[r].start), g->ram[r].start,
			     g->ram[r].end - g->ram[r].start, true, true);

	/* vmemmap of present sections (vmemmap_populate_hugepages()). */
	if (g->vmemmap) {
		for (uint64_t s = 0; s < g->nr_sections; s++) {
			if (!g->section_present[s])
				continue;
			pt_map_range(g, g->vmemmap_base +
				     s * PAGES_PER_SECTION * STRUCT_PAGE_SIZE,
				     g->memmap_phys[s], MEMMAP_BYTES, true,
				     false);
		}
	}
}

struct strbuf {
	char *s;
	size_t len, cap;
};

static void sb_printf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(sb->s + sb->len, sb->cap - sb->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < sb->cap - sb->len)
			break;
		sb->cap = sb->cap * 2 + 256;
		sb->s = xrealloc(sb->s, sb->cap);
	}
	sb->len += n;
}

/* VMCOREINFO as kernel/crash_core.c (kernel/vmcore_info.c since 6.9) and
 * arch/x86/kernel/crash_core_64.c (machine_kexec_64.c before 5.x) print
 * it, restricted to the keys whose objects exist in the synthetic image:
 * printk and vmap_area keys are left out.  The pglist_data,
 * zone and free_area keys come from the era's own layout (node 0's
 * pglist_data is in the image). */
void mem_build_vmcoreinfo(struct gen *g)
{
	const struct era *e = g->era;
	const long *L = g->layout;
	struct strbuf sb = { 0 };

	sb_printf(&sb, "OSRELEASE=%s\n", e->release);
	if (e->vi_build_id) {
		sb_printf(&sb, "BUILD-ID=");
		for (size_t i = 0; i < g->build_id_len; i++)
			sb_printf(&sb, "%02x", g->build_id[i]);
		sb_printf(&sb, "\n");
	}
	sb_printf(&sb, "PAGESIZE=4096\n");
	sb_printf(&sb, "SYMBOL(init_uts_ns)=%llx\n",
		  (unsigned long long)sym_rt(g, "init_uts_ns"));
	if (e->vi_uts_name_offset)
		sb_printf(&sb, "OFFSET(uts_namespace.name)=0\n");
	sb_printf(&sb, "SYMBOL(node_online_map)=%llx\n",
		  (unsigned long long)sym_rt(g, "node_online_map"));
	if (e->vi_swapper_stext) {
		/* swapper_pg_dir is a macro for init_top_pgt on x86_64 */
		sb_printf(&sb, "SYMBOL(swapper_pg_dir)=%llx\n",
			  (unsigned long long)sym_rt(g, "init_top_pgt"));
		sb_printf(&sb, "SYMBOL(_stext)=%llx\n",
			  (unsigned long long)sym_rt(g, "_stext"));
	}
	if (e->vi_vmap_area_list)
		sb_printf(&sb, "SYMBOL(vmap_area_list)=%llx\n",
			  (unsigned long long)sym_rt(g, "vmap_area_list"));
	if (e->vi_vmalloc_start)
		sb_printf(&sb, "NUMBER(VMALLOC_START)=0x%llx\n",
			  (unsigned long long)g->vmalloc_base);
	sb_printf(&sb, "SYMBOL(mem_section)=%llx\n",
		  (unsigned long long)g->mem_section_value);
	sb_printf(&sb, "LENGTH(mem_section)=%llu\n",
		  (unsigned long long)g->nr_section_roots);
	sb_printf(&sb, "SIZE(mem_section)=%lu\n", MEM_SECTION_SIZE);
	sb_printf(&sb, "OFFSET(mem_section.section_mem_map)=0\n");
	if (e->vi_phys_bits) {
		sb_printf(&sb, "NUMBER(SECTION_SIZE_BITS)=%d\n", SECTION_SIZE_BITS);
		sb_printf(&sb, "NUMBER(MAX_PHYSMEM_BITS)=%d\n",
			  g->max_physmem_bits);
	}
	sb_printf(&sb, "SIZE(page)=64\n");
	sb_printf(&sb, "SIZE(pglist_data)=%ld\n", L[L_PGDAT_SIZE]);
	sb_printf(&sb, "SIZE(zone)=%ld\n", L[L_ZONE_SIZE]);
	sb_printf(&sb, "SIZE(free_area)=%ld\n", L[L_FREE_AREA_SIZE]);
	sb_printf(&sb, "SIZE(list_head)=16\n");
	sb_printf(&sb, "SIZE(nodemask_t)=128\n");
	sb_printf(&sb, "OFFSET(page.flags)=0\n");
	sb_printf(&sb, "OFFSET(page._refcount)=52\n");
	sb_printf(&sb, "OFFSET(page.mapping)=24\n");
	sb_printf(&sb, "OFFSET(page.lru)=8\n");
	sb_printf(&sb, "OFFSET(page._mapcount)=48\n");
	sb_printf(&sb, "OFFSET(page.private)=40\n");
	if (e->vi_compound_dtor) {
		sb_printf(&sb, "OFFSET(page.compound_dtor)=16\n");
		sb_printf(&sb, "OFFSET(page.compound_order)=17\n");
	}
	/* kernel/vmcore_info.c names the member it exports (compound_info
	 * from 7.1). */
	sb_printf(&sb, "OFFSET(page.%s)=8\n",
		  e->tail_mask ? "compound_info" : "compound_head");
	sb_printf(&sb, "OFFSET(pglist_data.node_zones)=%ld\n",
		  L[L_PGDAT_NODE_ZONES]);
	sb_printf(&sb, "OFFSET(pglist_data.nr_zones)=%ld\n", L[L_PGDAT_NR_ZONES]);
	sb_printf(&sb, "OFFSET(pglist_data.node_start_pfn)=%ld\n",
		  L[L_PGDAT_START_PFN]);
	sb_printf(&sb, "OFFSET(pglist_data.node_spanned_pages)=%ld\n",
		  L[L_PGDAT_SPANNED]);
	sb_printf(&sb, "OFFSET(pglist_data.node_id)=%ld\n", L[L_PGDAT_NODE_ID]);
	sb_printf(&sb, "OFFSET(zone.free_area)=%ld\n", L[L_ZONE_FREE_AREA]);
	sb_printf(&sb, "OFFSET(zone.vm_stat)=%ld\n", L[L_ZONE_VM_STAT]);
	sb_printf(&sb, "OFFSET(zone.spanned_pages)=%ld\n", L[L_ZONE_SPANNED]);
	sb_printf(&sb, "OFFSET(free_area.free_list)=%ld\n", L[L_FREE_AREA_LIST]);
	sb_printf(&sb, "OFFSET(list_head.next)=0\n");
	sb_printf(&sb, "OFFSET(list_head.prev)=8\n");
	/* (vmap_area offsets: no struct vmap_area here) */
	sb_printf(&sb, "LENGTH(zone.free_area)=%ld\n", L[L_NR_ORDERS]);
	/* (printk ring buffer keys: none here) */
	sb_printf(&sb, "LENGTH(free_area.free_list)=%ld\n", L[L_MIGRATE_TYPES]);
	sb_printf(&sb, "NUMBER(NR_FREE_PAGES)=0\n");
	sb_printf(&sb, "NUMBER(PG_lru)=%d\n", e->pg_lru);
	sb_printf(&sb, "NUMBER(PG_private)=%d\n", e->pg_private);
	sb_printf(&sb, "NUMBER(PG_swapcache)=%d\n", e->pg_owner_priv_1);
	sb_printf(&sb, "NUMBER(PG_swapbacked)=%d\n", e->pg_swapbacked);
	if (e->pgty) {
		/* (PGTY_x << 24) is an int expression, printed with %ld */
		sb_printf(&sb, "NUMBER(PAGE_SLAB_MAPCOUNT_VALUE)=%d\n",
			  (int)0xf5000000u);
	} else {
		sb_printf(&sb, "NUMBER(PG_slab)=%d\n", e->pg_slab);
	}
	sb_printf(&sb, "NUMBER(PG_hwpoison)=%d\n", e->pg_hwpoison);
	sb_printf(&sb, "NUMBER(PG_head_mask)=%lu\n", 1UL << e->pg_head);
	if (e->pgty) {
		sb_printf(&sb, "NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)=%d\n",
			  (int)0xf0000000u);
		sb_printf(&sb, "NUMBER(PAGE_HUGETLB_MAPCOUNT_VALUE)=%d\n",
			  (int)0xf4000000u);
		sb_printf(&sb, "NUMBER(PAGE_OFFLINE_MAPCOUNT_VALUE)=%d\n",
			  (int)0xf1000000u);
	} else {
		sb_printf(&sb, "NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)=%d\n", ~0x80);
		sb_printf(&sb, "NUMBER(HUGETLB_PAGE_DTOR)=2\n");
		if (e->vi_offline)
			sb_printf(&sb, "NUMBER(PAGE_OFFLINE_MAPCOUNT_VALUE)=%d\n",
				  ~0x100);
	}

	/* v6.0 (commit 5fd8fea935a1, "vmcoreinfo: include kallsyms
	 * symbols"): where the kallsyms tables are, for tools without the
	 * vmlinux (kernel/vmcore_info.c, under CONFIG_KALLSYMS). */
	if (kallsyms_in_vmcoreinfo(g)) {
		static const char *const ks[] = {
			"kallsyms_names", "kallsyms_num_syms",
			"kallsyms_token_table", "kallsyms_token_index",
			"kallsyms_offsets", "kallsyms_relative_base",
		};

		/* The place-relative scheme has no relative base (last). */
		size_t nr = sizeof(ks) / sizeof(ks[0]) -
			    (g->kallsyms_pc_relative ? 1 : 0);

		for (size_t i = 0; i < nr; i++)
			sb_printf(&sb, "SYMBOL(%s)=%llx\n", ks[i],
				  (unsigned long long)sym_rt(g, ks[i]));
	}

	/* arch_crash_save_vmcoreinfo() */
	sb_printf(&sb, "NUMBER(phys_base)=%lld\n", (long long)g->phys_base);
	sb_printf(&sb, "SYMBOL(init_top_pgt)=%llx\n",
		  (unsigned long long)sym_rt(g, "init_top_pgt"));
	sb_printf(&sb, "NUMBER(pgtable_l5_enabled)=%d\n", g->l5 ? 1 : 0);
	sb_printf(&sb, "SYMBOL(node_data)=%llx\n",
		  (unsigned long long)sym_rt(g, "node_data"));
	sb_printf(&sb, "LENGTH(node_data)=1024\n");
	/* x86_64 prints KERNELOFFSET unconditionally (0 without KASLR). */
	sb_printf(&sb, "KERNELOFFSET=%llx\n",
		  (unsigned long long)g->kaslr_offset);
	sb_printf(&sb, "NUMBER(KERNEL_IMAGE_SIZE)=1073741824\n");
	if (e->vi_sme_mask)
		sb_printf(&sb, "NUMBER(sme_mask)=0\n");
	/* crash_save_vmcoreinfo() at panic time */
	sb_printf(&sb, "CRASHTIME=%lld\n", CRASHTIME);
	g->vmcoreinfo = sb.s;
}

bool pfn_is_missing(const struct gen *g, uint64_t pfn)
{
	uint64_t sec = pfn / PAGES_PER_SECTION;
	uint64_t pa;

	if (sec >= g->nr_sections || !g->section_present[sec])
		return false;
	pa = g->memmap_phys[sec] + (pfn % PAGES_PER_SECTION) * STRUCT_PAGE_SIZE;
	for (int i = 0; i < g->nr_missing; i++)
		if (pa >= g->missing_ranges[i].start &&
		    pa < g->missing_ranges[i].end)
			return true;
	return false;
}

struct seg {
	uint64_t paddr, vaddr, size;
	const uint8_t *buf;
	uint64_t offset;
};

static void add_seg(struct seg **segs, int *n, uint64_t paddr, uint64_t vaddr,
		    uint64_t size, const uint8_t *buf)
{
	if (!size)
		return;
	*segs = xrealloc(*segs, (*n + 1) * sizeof(**segs));
	(*segs)[*n] = (struct seg){ paddr, vaddr, size, buf, 0 };
	(*n)++;
}

/* Split a chunk into PT_LOADs around the missing ranges. */
static void chunk_segs(struct gen *g, const struct chunk *c,
		       struct seg **segs, int *n)
{
	uint64_t pos = c->paddr, end = c->paddr + c->size;

	while (pos < end) {
		uint64_t stop = end, skip_to = end;

		for (int i = 0; i < g->nr_missing; i++) {
			const struct range *m = &g->missing_ranges[i];

			if (m->end > pos && m->start < stop) {
				stop = m->start > pos ? m->start : pos;
				skip_to = m->end;
			}
		}
		add_seg(segs, n, pos, c->vaddr + (pos - c->paddr), stop - pos,
			c->buf + (pos - c->paddr));
		pos = skip_to;
	}
}

static int cmp_seg(const void *a, const void *b)
{
	const struct seg *x = a, *y = b;

	return x->paddr < y->paddr ? -1 : x->paddr > y->paddr;
}

static void write_all(int fd, const void *buf, size_t len, const char *path)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len > (1 << 26) ? (1 << 26) : len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			fatal("write %s: %s", path, strerror(errno));
		}
		p += n;
		len -= n;
	}
}

static size_t note_size(size_t namesz, size_t descsz)
{
	return sizeof(Elf64_Nhdr) + align_up(namesz, 4) + align_up(descsz, 4);
}

static uint8_t *put_note(uint8_t *p, const char *name, uint32_t type,
			 const void *desc, size_t descsz)
{
	Elf64_Nhdr nh = {
		.n_namesz = strlen(name) + 1,
		.n_descsz = descsz,
		.n_type = type,
	};

	memcpy(p, &nh, sizeof(nh));
	p += sizeof(nh);
	memcpy(p, name, nh.n_namesz);
	p += align_up(nh.n_namesz, 4);
	memcpy(p, desc, descsz);
	return p + align_up(descsz, 4);
}

/* The PT_NOTE's contents: an empty NT_PRSTATUS for CPU 0 and the
 * VMCOREINFO note (also the kdump header's notes). */
uint8_t *mem_elf_notes(const struct gen *g, size_t *len)
{
	uint8_t prstatus[336] = { 0 };	/* struct elf_prstatus, x86_64 */
	size_t vmci_len = strlen(g->vmcoreinfo);
	uint8_t *notes, *p;

	*len = note_size(5, sizeof(prstatus)) + note_size(11, vmci_len);
	notes = xcalloc(1, *len);
	p = put_note(notes, "CORE", NT_PRSTATUS, prstatus, sizeof(prstatus));
	put_note(p, "VMCOREINFO", 0, g->vmcoreinfo, vmci_len);
	return notes;
}

static void elf_header(Elf64_Ehdr *eh, int phnum)
{
	memset(eh, 0, sizeof(*eh));
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_ident[EI_OSABI] = ELFOSABI_NONE;
	eh->e_type = ET_CORE;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(Elf64_Phdr);
	eh->e_phnum = phnum;
}

static void set_load(Elf64_Phdr *q, uint64_t off, uint64_t vaddr,
		     uint64_t paddr, uint64_t size)
{
	q->p_type = PT_LOAD;
	q->p_flags = PF_R | PF_W | PF_X;
	q->p_offset = off;
	q->p_vaddr = vaddr;
	q->p_paddr = paddr;
	q->p_filesz = size;
	q->p_memsz = size;
	q->p_align = 0;
}

/* --stream: the contents are in the mapped file already; add the
 * headers, the notes and the kernel image's own PT_LOAD (a copy of the
 * RAM it lives in, as /proc/vmcore has it).  The mapping stays for
 * kdump_write_stream(); the kernel writes it back, at the latest when
 * the process exits. */
static void stream_write_elf(struct gen *g, const uint8_t *notes,
			     size_t notes_len)
{
	const struct chunk *kt = &g->chunks[g->ktext];
	int phnum = 2 + g->nr_ram;
	Elf64_Ehdr eh;
	Elf64_Phdr *ph = xcalloc(phnum, sizeof(*ph));

	if (notes_len > g->stream_notes_room)
		fatal("--stream: %zu bytes of notes, room for %llu", notes_len,
		      (unsigned long long)g->stream_notes_room);
	elf_header(&eh, phnum);
	ph[0].p_type = PT_NOTE;
	ph[0].p_offset = g->stream_notes_off;
	ph[0].p_filesz = notes_len;
	ph[0].p_memsz = notes_len;
	set_load(&ph[1], g->stream_ktext_off, kt->vaddr, kt->paddr, kt->size);
	for (int r = 0; r < g->nr_ram; r++)
		set_load(&ph[2 + r], g->stream_ram_off[r],
			 dmap(g, g->ram[r].start), g->ram[r].start,
			 g->ram[r].end - g->ram[r].start);
	memcpy(g->stream_map, &eh, sizeof(eh));
	memcpy(g->stream_map + sizeof(eh), ph, phnum * sizeof(*ph));
	memcpy(g->stream_map + g->stream_notes_off, notes, notes_len);
	memcpy(g->stream_map + g->stream_ktext_off, kt->buf, kt->size);
	free(ph);
}

/* Write an ELF64 ET_CORE like /proc/vmcore: one PT_NOTE with a
 * NT_PRSTATUS for CPU 0 and the VMCOREINFO note, the kernel text
 * PT_LOAD (p_vaddr in __START_KERNEL_map), then RAM PT_LOADs whose
 * p_vaddr is the direct-map address. */
void mem_write_elf(struct gen *g, const char *path)
{
	struct seg *segs = NULL;
	int nsegs = 0, nktext, fd;
	size_t notes_len;
	uint8_t *notes = mem_elf_notes(g, &notes_len);
	Elf64_Ehdr eh;
	Elf64_Phdr *ph;
	uint64_t off;

	if (g->stream) {
		stream_write_elf(g, notes, notes_len);
		free(notes);
		return;
	}
	for (int i = 0; i < g->nr_chunks; i++)
		if (g->chunks[i].ktext)
			chunk_segs(g, &g->chunks[i], &segs, &nsegs);
	nktext = nsegs;
	for (int i = 0; i < g->nr_chunks; i++)
		if (!g->chunks[i].ktext)
			chunk_segs(g, &g->chunks[i], &segs, &nsegs);
	qsort(segs + nktext, nsegs - nktext, sizeof(*segs), cmp_seg);

	elf_header(&eh, 1 + nsegs);

	ph = xcalloc(1 + nsegs, sizeof(*ph));
	off = sizeof(eh) + (1 + nsegs) * sizeof(*ph);
	ph[0].p_type = PT_NOTE;
	ph[0].p_offset = off;
	ph[0].p_filesz = notes_len;
	ph[0].p_memsz = notes_len;
	off = align_up(off + notes_len, PAGE_SIZE);
	for (int i = 0; i < nsegs; i++) {
		set_load(&ph[1 + i], off, segs[i].vaddr, segs[i].paddr,
			 segs[i].size);
		segs[i].offset = off;
		off += segs[i].size;
	}

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		fatal("open %s: %s", path, strerror(errno));
	write_all(fd, &eh, sizeof(eh), path);
	write_all(fd, ph, (1 + nsegs) * sizeof(*ph), path);
	write_all(fd, notes, notes_len, path);
	for (int i = 0; i < nsegs; i++) {
		if (lseek(fd, segs[i].offset, SEEK_SET) < 0)
			fatal("lseek %s: %s", path, strerror(errno));
		write_all(fd, segs[i].buf, segs[i].size, path);
	}
	if (close(fd))
		fatal("close %s: %s", path, strerror(errno));
	free(ph);
	free(notes);
	free(segs);
}
