/* mkvmcore: synthetic x86_64 crash dumps for pinscan's tests.
 *
 * Shared declarations of the generator's parts:
 *   mkvmcore.c   options, building and reading the synthetic vmlinux
 *   memimage.c   physical memory, page tables, mem_section, ELF core
 *   scenario.c   era table, struct page placement, expected.json
 *   kdumpfmt.c   kdump-compressed and flattened copies
 *   selftest.c   read-back through libkdumpfile
 */
#ifndef MKVMCORE_H
#define MKVMCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eras/mm_layout.h"
#include "eras/owner_layout.h"

#define PAGE_SIZE		4096UL
#define PAGE_SHIFT		12
#define SECTION_SIZE_BITS	27
#define PAGES_PER_SECTION	(1UL << (SECTION_SIZE_BITS - PAGE_SHIFT))
#define SECTION_BYTES		(1UL << SECTION_SIZE_BITS)
#define STRUCT_PAGE_SIZE	64UL
#define MEMMAP_BYTES		(PAGES_PER_SECTION * STRUCT_PAGE_SIZE)
#define MEM_SECTION_SIZE	32UL

/* Fixed crash time, so that dumps are reproducible byte for byte. */
#define CRASHTIME		1700000000LL

#define START_KERNEL_MAP	0xffffffff80000000ULL
#define LINK_TEXT		0xffffffff81000000ULL
#define SZ_2M			0x200000ULL
#define SZ_1G			0x40000000ULL

/* How an era keeps the pin state of a page (see CONTRACT.md). */
enum pin_scheme {
	PIN_RFC,		/* 4.19 + RFC: dma_pinned_flags/_count */
	PIN_HPAGE_PAGE2,	/* 5.10: page[2].hpage_pinned_refcount */
	PIN_COMPOUND_PAGE1,	/* 6.1: page[1].compound_pincount */
	PIN_FOLIO_PAGE1,	/* 6.12: folio->_pincount in page[1] */
};

/* Everything mkvmcore knows about one kernel era.  The struct layouts
 * themselves are in eras/ERA.c (checked there with _Static_assert);
 * this table repeats the offsets the generator writes through. */
struct era {
	const char *name;		/* --era value */
	const char *release;		/* UTS release, "kernel" in expected.json */
	const char *src;		/* eras/ file name */
	int rfc_pin_bit;		/* 0, or 1 (mask 0x2) / 2 (mask 0x4) */
	enum pin_scheme pin;
	int min_exact_order;		/* smallest order with an exact pin count */
	int off_pincount;		/* within page[1] (or page[2] for 5.10) */
	int off_deferred_list;		/* within page[2] */
	int off_slab_cache;		/* struct slab.slab_cache */
	bool order_in_flags1;		/* 6.6+: order is page[1].flags & 0xff */
	bool folio_mm_id;		/* 6.15+: page[1] with _mm_ids, _nr_pages
					 * at 56; built CONFIG_NO_PAGE_MAPCOUNT */
	bool tail_mask;			/* 7.1 + HVO: tails hold a mask */
	bool pgty;			/* 6.12: page_type >> 24 is the type */
	bool has_compound_nr;		/* 5.10, 6.1: page[1].compound_nr */
	bool uneviction_unlinked;	/* 6.1+: unevictable folios off-list */
	bool cma;			/* built with CONFIG_CMA (MIGRATE_CMA) */
	bool pageblock_msb_first;	/* before v5.9: pageblock bits from bit 63 down */
	/* page flag bit numbers (enum pageflags), -1 if absent */
	int pg_locked, pg_referenced, pg_uptodate, pg_dirty, pg_lru, pg_active;
	int pg_workingset, pg_slab, pg_owner_priv_1, pg_reserved, pg_private;
	int pg_head, pg_swapbacked, pg_unevictable, pg_mlocked, pg_hwpoison;
	int pg_error;
	/* section_mem_map flags */
	int section_is_early_bit;	/* -1 if the era has no SECTION_IS_EARLY */
	/* VMCOREINFO contents that changed between releases */
	bool vi_build_id;		/* v5.9+ */
	bool vi_uts_name_offset;
	bool vi_swapper_stext;
	bool vi_vmap_area_list;		/* removed in v6.9 */
	bool vi_vmalloc_start;		/* v6.9+ */
	bool vi_phys_bits;		/* SECTION_SIZE_BITS, MAX_PHYSMEM_BITS */
	bool vi_offline;		/* PAGE_OFFLINE_MAPCOUNT_VALUE */
	bool vi_sme_mask;
	bool vi_compound_dtor;		/* OFFSET(page.compound_dtor/order) */
	bool vi_kallsyms;		/* SYMBOL(kallsyms_*), v6.0+ (commit
					 * 5fd8fea935a1) */
};

const struct era *era_lookup(const char *name);
void era_list(void);

/* One piece of the dump's physical memory that has content. */
struct chunk {
	uint64_t paddr;
	uint64_t size;
	uint64_t vaddr;			/* PT_LOAD p_vaddr */
	uint8_t *buf;
	bool ktext;
};

struct range {
	uint64_t start, end;		/* [start, end) */
};

struct sym {
	char *name;
	uint64_t value;			/* link-time address */
	uint64_t size;
};

struct vmlinux_sect {
	uint64_t addr, size;
	bool nobits;
	uint8_t *data;
};

struct pin_entry {
	uint64_t pfn;
	uint64_t nr_pages;
	const char *how;
	int64_t pincount;
	const char *confidence;
	/* The owners scenario: `"owners": [...], "holders": [...],
	 * "owner_note": "..."` for expected.json, or NULL. */
	char *owners_json;
};

struct finding {
	const char *rule;
	uint64_t pfn;
};

/* Bookkeeping classes per pfn (what the generator put there). */
enum {
	C_LRU = 1,
	C_HEAD = 2,
	C_TAIL = 4,
	C_BUDDY = 8,
	C_SLAB = 16,
	C_USED = 32,		/* placed by the scenario */
	C_RES = 64,		/* backs kernel data, mem_map, page tables */
};

/* mixed: every kind of healthy page; bench: size; faults: every rule of
 * doc/rules.md broken on purpose, each next to a near miss (scenario.c);
 * zones: pins in ZONE_MOVABLE and in MIGRATE_CMA pageblocks. */
enum scenario { SCEN_MIXED, SCEN_BENCH, SCEN_FAULTS, SCEN_ZONES,
		SCEN_OWNERS, SCEN_SAMPLE };

/* enum zone_type, the same in every era here (DMA, DMA32, NORMAL,
 * MOVABLE, DEVICE); checked against the era's DWARF-derived layout. */
enum { Z_DMA, Z_DMA32, Z_NORMAL, Z_MOVABLE, Z_DEVICE, NR_ZONES };

struct gen {
	/* options */
	const struct era *era;
	const char *outdir;
	const char *srcdir;
	const char *cc;
	enum scenario scenario;
	uint64_t mem_mib;
	bool kaslr, l5, extreme, vmemmap, missing, kdump, selftest, keep_obj;
	/* The kernel's own type information and symbol table in the image:
	 * BTF (pahole -J) between __start_BTF/__stop_BTF unless --no-btf,
	 * kallsyms tables always, exported in VMCOREINFO from v6.0 (or with
	 * --vmcoreinfo-kallsyms, a backport, for older eras). */
	bool no_btf, vmcoreinfo_kallsyms;
	/* --kallsyms-pc-relative: kallsyms_offsets relative to each entry,
	 * no kallsyms_relative_base in VMCOREINFO (kallsyms.c). */
	bool kallsyms_pc_relative;
	/* --stream (a host larger than memory): every chunk's buffer is a
	 * window of the ELF vmcore itself, mapped MAP_SHARED, so that the
	 * kernel writes mem_map back as it is filled instead of the
	 * generator holding it; RAM PT_LOADs cover all RAM (sparse file),
	 * and --kdump is written by kdump_write_stream(). */
	bool stream;
	int stream_fd;
	uint8_t *stream_map;
	uint64_t stream_size;
	uint64_t *stream_ram_off;	/* per RAM range, its PT_LOAD's offset */
	uint64_t stream_ktext_off;	/* the kernel image's own PT_LOAD */
	uint64_t stream_notes_off, stream_notes_room;

	/* address space */
	int max_physmem_bits;
	int levels;
	uint64_t kaslr_offset;
	uint64_t kernel_phys;		/* physical address of _text */
	uint64_t phys_base;
	uint64_t page_offset_base;
	uint64_t vmemmap_base;
	uint64_t vmalloc_base;

	/* RAM: section numbers */
	uint64_t nr_sections;		/* span, including holes */
	bool *section_present;
	struct range *ram;
	int nr_ram;

	/* vmlinux */
	char *vmlinux_path;
	struct sym *syms;
	size_t nr_syms;
	struct vmlinux_sect *sects;
	size_t nr_sects;
	uint8_t build_id[64];
	size_t build_id_len;

	/* physical memory with content */
	struct chunk *chunks;
	int nr_chunks;
	struct range *reserved;		/* physical ranges not free for alloc */
	int nr_reserved;
	uint64_t alloc_cursor;

	/* metadata pool: page tables, mem_section roots, data objects */
	int pool;			/* chunk index */
	uint64_t pool_used;

	int ktext;			/* chunk index of the kernel image */
	int *memmap_chunk;		/* per section, chunk of its mem_map */
	uint64_t *memmap_phys;		/* per section, 0 if absent */
	uint64_t pgd_phys;

	uint64_t mem_section_value;	/* SYMBOL(mem_section) */
	uint64_t nr_section_roots;

	/* bookkeeping */
	uint8_t *cls;			/* per pfn, C_* bits */
	struct pin_entry *pins;
	size_t nr_pins, cap_pins;
	struct finding *findings;
	size_t nr_findings, cap_findings;
	struct range *missing_ranges;	/* physical, page aligned */
	int nr_missing;

	/* data objects in the pool */
	uint64_t anon_vma_va, file_mapping_va, kmem_cache_va;

	/* the era's pglist_data/zone/pageblock layout (eras/mm_layout.h),
	 * read from the synthetic vmlinux's synthetic_mm_layout[] */
	long layout[L_NR];
	/* synthetic_owner_layout[] (eras/owners.h), where the era has it */
	bool has_owner_layout;
	long olayout[O_NR];
	/* zone spans [start, end) in pfns over all nodes (empty: 0, 0);
	 * node n's zone z is zone[z] clipped to node[n] */
	struct range zone[NR_ZONES];
	/* NUMA nodes: pfn spans [node_start_pfn, end) and pglist_data;
	 * one node, or two in the zones scenario */
#define GEN_MAX_NODES 2
	/* per-cpu areas: CPU ids 0..3 and one beyond nr_cpu_ids */
#define SYNTH_CPU_AREAS 5
	int nr_nodes;
	struct range node[GEN_MAX_NODES];
	uint64_t pgdat_pa[GEN_MAX_NODES];
	/* per present section: its mem_section_usage (4.19: its usemap) */
	uint64_t *usage_pa;
	uint8_t *pb_mt;			/* migratetype per pageblock written */

	/* The kernel's FOLL_PIN counters (eras with NR_FOLL_PIN_*): the
	 * pins the scenario placed, missing pages' included, plus
	 * --pin-delta; what they were written as. */
	int64_t pin_delta;
	bool acct_written;
	int64_t acct_acquired, acct_released;

	char *vmcoreinfo;
};

/* mkvmcore.c */
void fatal(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const struct sym *sym_find(const struct gen *g, const char *name);
const uint8_t *vmlinux_bytes(const struct gen *g, uint64_t link_addr,
			     uint64_t len);
uint64_t sym_rt(const struct gen *g, const char *name);	/* run-time address */
int run_cmd(char *const argv[], const char *out_path);

/* kallsyms.c */
void kallsyms_write_space(const struct gen *g, const char *path);
void kallsyms_fill(struct gen *g);
bool kallsyms_in_vmcoreinfo(const struct gen *g);

/* memimage.c */
void mem_plan(struct gen *g);
uint8_t *phys_ptr(struct gen *g, uint64_t paddr, uint64_t len);
uint8_t *ktext_ptr(struct gen *g, uint64_t rt_vaddr, uint64_t len);
uint64_t pool_alloc(struct gen *g, uint64_t size, uint64_t align);
uint64_t dmap(const struct gen *g, uint64_t paddr);
void mem_build_kernel_data(struct gen *g);
void mem_build_page_tables(struct gen *g);
void mem_build_pin_accounting(struct gen *g);
void mem_build_vmcoreinfo(struct gen *g);
void mem_write_elf(struct gen *g, const char *path);
uint8_t *mem_elf_notes(const struct gen *g, size_t *len);
bool pfn_is_missing(const struct gen *g, uint64_t pfn);
uint64_t section_mem_map_value(const struct gen *g, uint64_t sec);
uint64_t usemap_word_pa(const struct gen *g, uint64_t pfn, unsigned *shift);
void set_pageblock_mt(struct gen *g, uint64_t pfn, int mt);
void set_pageblock_bits(struct gen *g, uint64_t pfn, int mt, bool skip);
int zone_of_pfn(const struct gen *g, uint64_t pfn);
int node_of_pfn(const struct gen *g, uint64_t pfn);
struct range node_zone(const struct gen *g, int nid, int z);

/* scenario.c */
void scen_fill_memmap(struct gen *g);
void scen_place(struct gen *g);
void scen_write_expected(struct gen *g, const char *path);
uint8_t *spage(struct gen *g, uint64_t pfn);
uint64_t spage_va(const struct gen *g, uint64_t pfn);
void scen_summary(struct gen *g, uint64_t out[8], bool *pin_keep);
extern const bool cma_rule_without_usage;

/* kdumpfmt.c */
void kdump_write(struct gen *g, const char *elf_path, const char *kdump_path,
		 const char *flat_path);
void kdump_write_stream(struct gen *g, const char *kdump_path);

/* selftest.c */
int selftest_run(struct gen *g, const char *path, bool is_kdump);

static inline void put64(uint8_t *p, size_t off, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[off + i] = (uint8_t)(v >> (8 * i));
}

static inline void put32(uint8_t *p, size_t off, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[off + i] = (uint8_t)(v >> (8 * i));
}

static inline uint64_t get64(const uint8_t *p, size_t off)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[off + i];
	return v;
}

static inline uint32_t get32(const uint8_t *p, size_t off)
{
	uint32_t v = 0;
	for (int i = 3; i >= 0; i--)
		v = (v << 8) | p[off + i];
	return v;
}

#endif /* MKVMCORE_H */
