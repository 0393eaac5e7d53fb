/* struct zone, struct pglist_data, mem_section and the rest that the
 * 6.12 era and its successors (6.16, 6.18, 7.1) share: transcribed from
 * v6.12 (see 6.12.c); the later eras have not been re-transcribed from
 * their own mmzone.h, since pinscan reads only the members named here
 * and the DWARF gives their offsets. Included once, at the end of an
 * era file, after its struct page and enums. */
#ifndef MKVMCORE_ERAS_MMZONE_6_12_H
#define MKVMCORE_ERAS_MMZONE_6_12_H

/* v6.12 include/linux/mmzone.h: zones and nodes, as Debian's
 * 6.12.117+deb12-cloud-amd64 (6.12.117) lays them out (pahole of its debug
 * vmlinux; nr_free_highatomic is a 6.12.y stable addition), plus CONFIG_CMA, which that cloud kernel lacks and this
 * synthetic one has: MIGRATE_CMA, a sixth free list per order and
 * zone.cma_pages.  Config: NUMA (NODES_SHIFT 10), ZONE_DMA, ZONE_DMA32,
 * ZONE_DEVICE, MEMORY_HOTPLUG, MEMORY_ISOLATION, COMPACTION,
 * DEFERRED_STRUCT_PAGE_INIT, TRANSPARENT_HUGEPAGE, LRU_GEN,
 * NUMA_BALANCING, MEMORY_FAILURE, UNACCEPTED_MEMORY, ZSMALLOC (module), no
 * X86_VSMP (internode cache line 64).  MAX_ORDER is MAX_PAGE_ORDER (10)
 * since v6.8; free_area has NR_PAGE_ORDERS (11) entries. */
#define NR_PAGE_ORDERS	MAX_ORDER
enum migratetype {
	MIGRATE_UNMOVABLE,
	MIGRATE_MOVABLE,
	MIGRATE_RECLAIMABLE,
	MIGRATE_PCPTYPES,	/* the number of types on the pcp lists */
	MIGRATE_HIGHATOMIC = MIGRATE_PCPTYPES,
#ifdef CONFIG_CMA
	MIGRATE_CMA,
#endif
	MIGRATE_ISOLATE,	/* CONFIG_MEMORY_ISOLATION */
	MIGRATE_TYPES
};

/* include/linux/pageblock-flags.h */
enum pageblock_bits {
	PB_migrate,
	PB_migrate_end = PB_migrate + 3 - 1,	/* 3 bits for migrate types */
	PB_migrate_skip,	/* compaction skips the block */
	NR_PAGEBLOCK_BITS
};

struct free_area {
	struct list_head free_list[MIGRATE_TYPES];
	unsigned long nr_free;
};

enum zone_watermarks {
	WMARK_MIN,
	WMARK_LOW,
	WMARK_HIGH,
	WMARK_PROMO,
	NR_WMARK
};

/* v6.12 include/linux/mmzone.h, as Debian 6.12.118's DWARF has it (47 items). */
/* NR_FOLL_PIN_ACQUIRED/RELEASED: the kernel's pin accounting (v5.7+). */
#define HAVE_FOLL_PIN_STATS
enum node_stat_item {
	NR_LRU_BASE,
	NR_INACTIVE_ANON = NR_LRU_BASE,
	NR_ACTIVE_ANON,
	NR_INACTIVE_FILE,
	NR_ACTIVE_FILE,
	NR_UNEVICTABLE,
	NR_SLAB_RECLAIMABLE_B,
	NR_SLAB_UNRECLAIMABLE_B,
	NR_ISOLATED_ANON,
	NR_ISOLATED_FILE,
	WORKINGSET_NODES,
	WORKINGSET_REFAULT_BASE,
	WORKINGSET_REFAULT_ANON = WORKINGSET_REFAULT_BASE,
	WORKINGSET_REFAULT_FILE,
	WORKINGSET_ACTIVATE_BASE,
	WORKINGSET_ACTIVATE_ANON = WORKINGSET_ACTIVATE_BASE,
	WORKINGSET_ACTIVATE_FILE,
	WORKINGSET_RESTORE_BASE,
	WORKINGSET_RESTORE_ANON = WORKINGSET_RESTORE_BASE,
	WORKINGSET_RESTORE_FILE,
	WORKINGSET_NODERECLAIM,
	NR_ANON_MAPPED,
	NR_FILE_MAPPED,
	NR_FILE_PAGES,
	NR_FILE_DIRTY,
	NR_WRITEBACK,
	NR_WRITEBACK_TEMP,
	NR_SHMEM,
	NR_SHMEM_THPS,
	NR_SHMEM_PMDMAPPED,
	NR_FILE_THPS,
	NR_FILE_PMDMAPPED,
	NR_ANON_THPS,
	NR_VMSCAN_WRITE,
	NR_VMSCAN_IMMEDIATE,
	NR_DIRTIED,
	NR_WRITTEN,
	NR_THROTTLED_WRITTEN,
	NR_KERNEL_MISC_RECLAIMABLE,
	NR_FOLL_PIN_ACQUIRED,
	NR_FOLL_PIN_RELEASED,
	NR_KERNEL_STACK_KB,
	NR_PAGETABLE,
	NR_SECONDARY_PAGETABLE,
	NR_IOMMU_PAGES,
	NR_SWAPCACHE,
	PGPROMOTE_SUCCESS,
	PGPROMOTE_CANDIDATE,
	PGDEMOTE_KSWAPD,
	PGDEMOTE_DIRECT,
	PGDEMOTE_KHUGEPAGED,
	NR_VM_NODE_STAT_ITEMS
};


enum zone_stat_item {
	NR_FREE_PAGES,
	NR_ZONE_LRU_BASE,
	NR_ZONE_INACTIVE_ANON = NR_ZONE_LRU_BASE,
	NR_ZONE_ACTIVE_ANON,
	NR_ZONE_INACTIVE_FILE,
	NR_ZONE_ACTIVE_FILE,
	NR_ZONE_UNEVICTABLE,
	NR_ZONE_WRITE_PENDING,
	NR_MLOCK,
	NR_BOUNCE,
	NR_ZSPAGES,		/* IS_ENABLED(CONFIG_ZSMALLOC) */
	NR_FREE_CMA_PAGES,
	NR_UNACCEPTED,		/* CONFIG_UNACCEPTED_MEMORY */
	NR_VM_ZONE_STAT_ITEMS
};

enum numa_stat_item {
	NUMA_HIT,
	NUMA_MISS,
	NUMA_FOREIGN,
	NUMA_INTERLEAVE_HIT,
	NUMA_LOCAL,
	NUMA_OTHER,
	NR_VM_NUMA_EVENT_ITEMS
};

enum zone_type {
	ZONE_DMA,
	ZONE_DMA32,
	ZONE_NORMAL,
	ZONE_MOVABLE,
	ZONE_DEVICE,		/* CONFIG_ZONE_DEVICE */
	__MAX_NR_ZONES
};
#define MAX_NR_ZONES	__MAX_NR_ZONES	/* include/generated/bounds.h */

/* include/linux/cache.h: ____cacheline_internodealigned_in_smp */
struct cacheline_padding {
	char x[0];
} __attribute__((aligned(64)));
#define CACHELINE_PADDING(name)	struct cacheline_padding name

typedef struct seqcount_spinlock {
	seqcount_t seqcount;
} seqcount_spinlock_t;
typedef struct {
	seqcount_spinlock_t seqcount;
	spinlock_t lock;
} seqlock_t;

struct per_cpu_pages;
struct per_cpu_zonestat;

struct zone {
	unsigned long _watermark[NR_WMARK];
	unsigned long watermark_boost;
	unsigned long nr_reserved_highatomic;
	unsigned long nr_free_highatomic;
	long lowmem_reserve[MAX_NR_ZONES];
	int node;				/* CONFIG_NUMA */
	struct pglist_data *zone_pgdat;
	struct per_cpu_pages *per_cpu_pageset;	/* __percpu */
	struct per_cpu_zonestat *per_cpu_zonestats;	/* __percpu */
	int pageset_high_min;
	int pageset_high_max;
	int pageset_batch;
	unsigned long zone_start_pfn;
	atomic_long_t managed_pages;
	unsigned long spanned_pages;
	unsigned long present_pages;
	unsigned long present_early_pages;	/* CONFIG_MEMORY_HOTPLUG */
#ifdef CONFIG_CMA
	unsigned long cma_pages;
#endif
	const char *name;
	unsigned long nr_isolate_pageblock;	/* CONFIG_MEMORY_ISOLATION */
	seqlock_t span_seqlock;			/* CONFIG_MEMORY_HOTPLUG */
	int initialized;
	CACHELINE_PADDING(_pad1_);
	struct free_area free_area[NR_PAGE_ORDERS];
	struct list_head unaccepted_pages;	/* CONFIG_UNACCEPTED_MEMORY */
	unsigned long flags;
	spinlock_t lock;
	CACHELINE_PADDING(_pad2_);
	unsigned long percpu_drift_mark;
	unsigned long compact_cached_free_pfn;
	unsigned long compact_cached_migrate_pfn[ASYNC_AND_SYNC];
	unsigned long compact_init_migrate_pfn;
	unsigned long compact_init_free_pfn;
	unsigned int compact_considered;
	unsigned int compact_defer_shift;
	int compact_order_failed;
	bool compact_blockskip_flush;
	bool contiguous;
	CACHELINE_PADDING(_pad3_);
	atomic_long_t vm_stat[NR_VM_ZONE_STAT_ITEMS];
	atomic_long_t vm_numa_event[NR_VM_NUMA_EVENT_ITEMS];
} __attribute__((aligned(64)));

#define MAX_ZONES_PER_ZONELIST	(MAX_NUMNODES * MAX_NR_ZONES)
enum {
	ZONELIST_FALLBACK,
	ZONELIST_NOFALLBACK,	/* CONFIG_NUMA */
	MAX_ZONELISTS
};

struct zoneref {
	struct zone *zone;
	int zone_idx;
};

struct zonelist {
	struct zoneref _zonerefs[MAX_ZONES_PER_ZONELIST + 1];
};

/* The members up to node_id, which is all that VMCOREINFO and pinscan
 * name; the rest (kswapd_wait .. mf_stats, 2876 bytes in Debian's
 * 6.12.117: wait queues, kswapd/kcompactd state, deferred split queue,
 * __lruvec with MGLRU, mm_walk, memcg_lru, memory failure stats) is
 * opaque arrays of the same size around the per-node stats
 * (per_cpu_nodestats, vm_stat: the pin accounting), so that sizeof and
 * every named offset are the real ones. */
typedef struct pglist_data {
	struct zone node_zones[MAX_NR_ZONES];
	struct zonelist node_zonelists[MAX_ZONELISTS];
	int nr_zones;
	spinlock_t node_size_lock;	/* MEMORY_HOTPLUG || DEFERRED_STRUCT_PAGE_INIT */
	unsigned long node_start_pfn;
	unsigned long node_present_pages;
	unsigned long node_spanned_pages;
	int node_id;
	unsigned char __synthetic_rest[2428];	/* kswapd_wait .. _pad2_ */
	struct per_cpu_nodestat *per_cpu_nodestats;	/* __percpu */
	atomic_long_t vm_stat[NR_VM_NODE_STAT_ITEMS];
	unsigned char __synthetic_tail[64];	/* memtier .. mf_stats */
} pg_data_t;

#ifdef CONFIG_CMA
_Static_assert(offsetof(struct zone, spanned_pages) == 160, "zone.spanned_pages");
_Static_assert(offsetof(struct zone, name) == 192, "zone.name");
_Static_assert(offsetof(struct zone, free_area) == 256, "zone.free_area");
_Static_assert(offsetof(struct zone, vm_stat) == 1536, "zone.vm_stat");
_Static_assert(sizeof(struct free_area) == 104, "free_area");
_Static_assert(sizeof(struct zone) == 1728, "zone");
_Static_assert(offsetof(struct pglist_data, nr_zones) == 172512, "pgdat.nr_zones");
_Static_assert(offsetof(struct pglist_data, node_id) == 172544, "pgdat.node_id");
_Static_assert(sizeof(struct pglist_data) == 175424, "pglist_data");
#else	/* Debian 6.12.117+deb12-cloud-amd64, VMCOREINFO and pahole */
_Static_assert(offsetof(struct zone, spanned_pages) == 160, "zone.spanned_pages");
_Static_assert(offsetof(struct zone, free_area) == 256, "zone.free_area");
_Static_assert(offsetof(struct zone, vm_stat) == 1344, "zone.vm_stat");
_Static_assert(sizeof(struct zone) == 1536, "zone");
_Static_assert(offsetof(struct pglist_data, nr_zones) == 171552, "pgdat.nr_zones");
_Static_assert(offsetof(struct pglist_data, node_start_pfn) == 171560, "pgdat.node_start_pfn");
_Static_assert(offsetof(struct pglist_data, node_spanned_pages) == 171576, "pgdat.node_spanned_pages");
_Static_assert(offsetof(struct pglist_data, node_id) == 171584, "pgdat.node_id");
_Static_assert(offsetof(struct pglist_data, per_cpu_nodestats) == 174016, "pgdat.per_cpu_nodestats");
_Static_assert(offsetof(struct pglist_data, vm_stat) == 174024, "pgdat.vm_stat");
_Static_assert(sizeof(struct pglist_data) == 174464, "pglist_data");
#endif

/* v6.12 include/linux/mmzone.h (the rcu head came with "mm/sparsemem: fix
 * race in accessing memory_section->usage", early 2024, also in 6.1.y and
 * 5.10.y; Debian's 6.12.117 has it) */
#define HAVE_MEM_SECTION_USAGE
struct mem_section_usage {
	struct rcu_head rcu;
	unsigned long subsection_map[1];	/* SUBSECTIONS_PER_SECTION / 64 */
	unsigned long pageblock_flags[0];
};

struct page_ext;
struct mem_section {
	unsigned long section_mem_map;
	struct mem_section_usage *usage;
	struct page_ext *page_ext;	/* CONFIG_PAGE_EXTENSION */
	unsigned long pad;
};
_Static_assert(sizeof(struct mem_section) == 32, "mem_section");

enum {
	SECTION_MARKED_PRESENT_BIT,
	SECTION_HAS_MEM_MAP_BIT,
	SECTION_IS_ONLINE_BIT,
	SECTION_IS_EARLY_BIT,
	SECTION_TAINT_ZONE_DEVICE_BIT,	/* CONFIG_ZONE_DEVICE */
	SECTION_MAP_LAST_BIT,
};

/* v6.12 include/linux/utsname.h */
struct user_namespace;
struct ucounts;
struct ns_common {
	atomic_long_t stashed;
	const void *ops;
	unsigned int inum;
	int count;	/* refcount_t */
};
struct uts_namespace {
	struct new_utsname name;
	struct user_namespace *user_ns;
	struct ucounts *ucounts;
	struct ns_common ns;
};

struct folio *synthetic_folio_ref;
enum pagetype synthetic_pagetype_ref;

#include "kernel_vars.h"

#endif /* MKVMCORE_ERAS_MMZONE_6_12_H */
