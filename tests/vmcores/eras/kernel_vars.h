/* Kernel variables every era's synthetic vmlinux defines.
 *
 * Included at the end of each eras/ERA.c, after the era's struct page,
 * struct mem_section and enums.  mkvmcore finds these by name in .symtab
 * and writes their run-time values into the dump's copy of the image.
 * UTS_RELEASE is passed by mkvmcore with -D.
 */
#include "mm_layout.h"

#ifndef UTS_RELEASE
#error "UTS_RELEASE must be defined by mkvmcore"
#endif

/* arch/x86/kernel/head_64.S: the top-level page table, 4 KiB aligned.
 * On x86_64 swapper_pg_dir is a C macro for init_top_pgt (no symbol). */
pgd_t init_top_pgt[512] __attribute__((aligned(4096), section(".data..page_aligned")));

/* arch/x86/kernel/head_64.S / arch/x86/mm/kaslr.c */
unsigned long phys_base;
unsigned long page_offset_base = 0xffff888000000000UL;
unsigned long vmalloc_base = 0xffffc90000000000UL;
unsigned long vmemmap_base = 0xffffea0000000000UL;
unsigned int __pgtable_l5_enabled;

/* mm/sparse.c */
#ifdef NO_EXTREME
struct mem_section mem_section[NR_SECTION_ROOTS][SECTIONS_PER_ROOT]
	__attribute__((aligned(64)));
#else
struct mem_section **mem_section;
#endif

/* init/version.c */
struct uts_namespace init_uts_ns = {
	.name = {
		.sysname = "Linux",
		.nodename = "synthetic",
		.release = UTS_RELEASE,
		.version = "#1 SMP PREEMPT_DYNAMIC mkvmcore",
		.machine = "x86_64",
		.domainname = "(none)",
	},
};
const char linux_banner[] =
	"Linux version " UTS_RELEASE " (mkvmcore@synthetic) (gcc) "
	"#1 SMP PREEMPT_DYNAMIC mkvmcore\n";

nodemask_t node_online_map = { { 1UL } };

/* include/linux/mmzone.h, the same in every era since v4.8: a CPU's node
 * stat deltas not yet folded into pglist_data.vm_stat
 * (__mod_node_page_state); pglist_data.per_cpu_nodestats points at it. */
struct per_cpu_nodestat {
	s8 stat_threshold;
	s8 vm_node_stat_diff[NR_VM_NODE_STAT_ITEMS];
};

/* arch/x86/kernel/setup_percpu.c, kernel/cpu.c, kernel/smp.c: where each
 * CPU's per-cpu area is, which CPUs may exist, how many ids there are. */
#define NR_CPUS 64
unsigned long __per_cpu_offset[NR_CPUS];
struct cpumask { unsigned long bits[NR_CPUS / 64]; } __cpu_possible_mask;
unsigned int nr_cpu_ids = NR_CPUS;
struct pglist_data *node_data[1024];
struct list_head vmap_area_list;

/* Not a kernel variable: the heads of the LRU and free lists that the
 * synthetic struct pages are linked on.  A real kernel keeps them in
 * struct lruvec (per memcg and node) and struct free_area (per zone). */
struct synthetic_lruvec {
	struct list_head lists[5];	/* enum lru_list order */
} synthetic_lruvec;
struct list_head synthetic_free_list[11];

/* mm/page_alloc.c (static there): the strings struct zone.name points at. */
const char * const zone_names[MAX_NR_ZONES] = {
	"DMA",
	"DMA32",
	"Normal",
	"Movable",
	"Device",
};

/* Not a kernel variable: the sizes and offsets of this era's
 * pglist_data, zone, free_area and pageblock bitmaps, which mkvmcore reads
 * back from this vmlinux to write those objects (eras/mm_layout.h). */
#define SECTION_BLOCKFLAGS_BITS	\
	((1UL << (PFN_SECTION_SHIFT - 9 /* pageblock_order */)) * NR_PAGEBLOCK_BITS)
const long synthetic_mm_layout[L_NR] = {
	[L_PGDAT_SIZE] = sizeof(struct pglist_data),
	[L_PGDAT_NODE_ZONES] = offsetof(struct pglist_data, node_zones),
	[L_PGDAT_NR_ZONES] = offsetof(struct pglist_data, nr_zones),
	[L_PGDAT_START_PFN] = offsetof(struct pglist_data, node_start_pfn),
	[L_PGDAT_PRESENT] = offsetof(struct pglist_data, node_present_pages),
	[L_PGDAT_SPANNED] = offsetof(struct pglist_data, node_spanned_pages),
	[L_PGDAT_NODE_ID] = offsetof(struct pglist_data, node_id),
	[L_ZONE_SIZE] = sizeof(struct zone),
	[L_ZONE_NODE] = offsetof(struct zone, node),
	[L_ZONE_PGDAT] = offsetof(struct zone, zone_pgdat),
	[L_ZONE_START_PFN] = offsetof(struct zone, zone_start_pfn),
	[L_ZONE_MANAGED] = offsetof(struct zone, managed_pages),
	[L_ZONE_SPANNED] = offsetof(struct zone, spanned_pages),
	[L_ZONE_PRESENT] = offsetof(struct zone, present_pages),
	[L_ZONE_NAME] = offsetof(struct zone, name),
	[L_ZONE_INITIALIZED] = offsetof(struct zone, initialized),
	[L_ZONE_FREE_AREA] = offsetof(struct zone, free_area),
	[L_ZONE_CONTIGUOUS] = offsetof(struct zone, contiguous),
	[L_ZONE_VM_STAT] = offsetof(struct zone, vm_stat),
	[L_FREE_AREA_SIZE] = sizeof(struct free_area),
	[L_FREE_AREA_LIST] = offsetof(struct free_area, free_list),
	[L_MIGRATE_TYPES] = MIGRATE_TYPES,
	[L_NR_ORDERS] = sizeof(((struct zone *)0)->free_area) /
			sizeof(struct free_area),
	[L_MAX_NR_ZONES] = MAX_NR_ZONES,
	[L_ZONE_MOVABLE] = ZONE_MOVABLE,
	[L_MIGRATE_MOVABLE] = MIGRATE_MOVABLE,
#ifdef CONFIG_CMA
	[L_MIGRATE_CMA] = MIGRATE_CMA,
#else
	[L_MIGRATE_CMA] = -1,
#endif
#ifdef HAVE_MEM_SECTION_USAGE
	[L_USAGE_SIZE] = sizeof(struct mem_section_usage),
	[L_USAGE_SUBSECTION] = offsetof(struct mem_section_usage, subsection_map),
	[L_USAGE_PAGEBLOCK] = offsetof(struct mem_section_usage, pageblock_flags),
#endif
	[L_USEMAP_SIZE] = (SECTION_BLOCKFLAGS_BITS + 63) / 64 * 8,
	[L_NR_PAGEBLOCK_BITS] = NR_PAGEBLOCK_BITS,
	[L_PGDAT_PCP_NODESTATS] = offsetof(struct pglist_data, per_cpu_nodestats),
	[L_PGDAT_VM_STAT] = offsetof(struct pglist_data, vm_stat),
	[L_NODESTAT_DIFF] = offsetof(struct per_cpu_nodestat, vm_node_stat_diff),
	[L_NODESTAT_SIZE] = sizeof(struct per_cpu_nodestat),
#ifdef HAVE_FOLL_PIN_STATS
	[L_NR_FOLL_PIN_ACQUIRED] = NR_FOLL_PIN_ACQUIRED,
	[L_NR_FOLL_PIN_RELEASED] = NR_FOLL_PIN_RELEASED,
#else
	[L_NR_FOLL_PIN_ACQUIRED] = -1,
	[L_NR_FOLL_PIN_RELEASED] = -1,
#endif
	[L_NR_CPUS] = NR_CPUS,
};

/* Keep every type in the DWARF even at -O0 with unused-type elimination. */
struct page *synthetic_page_ref;
enum pageflags synthetic_pageflags_ref;
pg_data_t *synthetic_pgdat_ref;
enum zone_type synthetic_zone_type_ref;
enum migratetype synthetic_migratetype_ref;
enum pageblock_bits synthetic_pageblock_bits_ref;
enum node_stat_item synthetic_node_stat_item_ref;
struct per_cpu_nodestat *synthetic_nodestat_ref;

/* mm/sparse.c: a function of the same file, so .text is not empty and
 * debuggers see a CU with code. */
void sparse_init(void)
{
	unsigned long nr = 0;
	unsigned long i;

	for (i = 0; i < sizeof(struct page); i++)
		nr += i;
	synthetic_page_ref = (struct page *)nr;
}
