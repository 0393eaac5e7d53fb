/* Indices into synthetic_mm_layout[], the table of sizes and offsets that
 * each era's vmlinux exports (kernel_vars.h) so that mkvmcore writes
 * struct pglist_data, struct zone and the pageblock bitmaps through the
 * era's own definitions instead of a second copy of them.  Shared by the
 * era files (freestanding) and by mkvmcore.h; #defines only, so that the
 * synthetic vmlinux's DWARF gains no enum of its own. */
#ifndef MKVMCORE_ERAS_MM_LAYOUT_H
#define MKVMCORE_ERAS_MM_LAYOUT_H

#define L_PGDAT_SIZE		0	/* sizeof(struct pglist_data) */
#define L_PGDAT_NODE_ZONES	1
#define L_PGDAT_NR_ZONES	2
#define L_PGDAT_START_PFN	3	/* node_start_pfn */
#define L_PGDAT_PRESENT		4	/* node_present_pages */
#define L_PGDAT_SPANNED		5	/* node_spanned_pages */
#define L_PGDAT_NODE_ID		6
#define L_ZONE_SIZE		7	/* sizeof(struct zone) */
#define L_ZONE_NODE		8
#define L_ZONE_PGDAT		9	/* zone_pgdat */
#define L_ZONE_START_PFN	10
#define L_ZONE_MANAGED		11	/* managed_pages */
#define L_ZONE_SPANNED		12
#define L_ZONE_PRESENT		13
#define L_ZONE_NAME		14
#define L_ZONE_INITIALIZED	15
#define L_ZONE_FREE_AREA	16
#define L_ZONE_CONTIGUOUS	17
#define L_ZONE_VM_STAT		18
#define L_FREE_AREA_SIZE	19	/* sizeof(struct free_area) */
#define L_FREE_AREA_LIST	20	/* offsetof(free_list) */
#define L_MIGRATE_TYPES		21
#define L_NR_ORDERS		22	/* length of zone.free_area */
#define L_MAX_NR_ZONES		23
#define L_ZONE_MOVABLE		24	/* enum zone_type */
#define L_MIGRATE_MOVABLE	25
#define L_MIGRATE_CMA		26	/* -1 without CONFIG_CMA */
#define L_USAGE_SIZE		27	/* sizeof(struct mem_section_usage); 0: none (4.19) */
#define L_USAGE_SUBSECTION	28	/* offsetof(subsection_map) */
#define L_USAGE_PAGEBLOCK	29	/* offsetof(pageblock_flags) */
#define L_USEMAP_SIZE		30	/* usemap_size(): bytes of pageblock bits per section */
#define L_NR_PAGEBLOCK_BITS	31
#define L_PGDAT_PCP_NODESTATS	32	/* per_cpu_nodestats (__percpu) */
#define L_PGDAT_VM_STAT		33
#define L_NODESTAT_DIFF		34	/* per_cpu_nodestat.vm_node_stat_diff */
#define L_NODESTAT_SIZE		35	/* sizeof(struct per_cpu_nodestat) */
#define L_NR_FOLL_PIN_ACQUIRED	36	/* enum node_stat_item; -1: none (4.19) */
#define L_NR_FOLL_PIN_RELEASED	37
#define L_NR_CPUS		38	/* length of __per_cpu_offset */
#define L_NR			39

#endif /* MKVMCORE_ERAS_MM_LAYOUT_H */
