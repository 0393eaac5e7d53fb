/* Synthetic vmlinux for Linux 6.1 (Debian 12 "bookworm", x86_64).
 *
 * Layouts from v6.1 include/linux/mm_types.h, include/linux/page-flags.h,
 * include/linux/mmzone.h and include/linux/utsname.h, with the options a
 * Debian/distro config sets: CONFIG_MEMCG, CONFIG_PAGE_EXTENSION,
 * CONFIG_ZONE_DEVICE, CONFIG_MEMORY_FAILURE, CONFIG_PAGE_IDLE_FLAG,
 * CONFIG_X86_PAT (PG_uncached), no CONFIG_KMSAN, no CONFIG_KASAN_HW_TAGS,
 * no WANT_PAGE_VIRTUAL, LAST_CPUPID in page flags.  struct page is 64 bytes.
 *
 * What pinscan cares about in 6.1:
 *  - the FOLL_PIN count of a large folio is page[1].compound_pincount,
 *    kept for every compound page of order >= 1 (5.10 kept it in page[2]
 *    as hpage_pinned_refcount, and only for order >= 2);
 *  - the order is page[1].compound_order;
 *  - struct folio spells out the first tail page (_folio_order, _pincount);
 *  - PG_slab still exists; page_type uses the PAGE_TYPE_BASE scheme.
 */
#include "common.h"

struct page {
	unsigned long flags;
	union {
		struct {	/* Page cache and anonymous pages */
			union {
				struct list_head lru;
				/* Or, for the Unevictable "LRU list" slot */
				struct {
					/* Always even, to negate PageTail */
					void *__filler;
					/* Count page's or folio's mlocks */
					unsigned int mlock_count;
				};
				/* Or, free page */
				struct list_head buddy_list;
				struct list_head pcp_list;
			};
			struct address_space *mapping;
			pgoff_t index;
			unsigned long private;
		};
		struct {	/* page_pool used by netstack */
			unsigned long pp_magic;
			struct page_pool *pp;
			unsigned long _pp_mapping_pad;
			unsigned long dma_addr;
			union {
				unsigned long dma_addr_upper;
				atomic_long_t pp_frag_count;
			};
		};
		struct {	/* Tail pages of compound page */
			unsigned long compound_head;	/* Bit zero is set */

			/* First tail page only */
			unsigned char compound_dtor;
			unsigned char compound_order;
			atomic_t compound_mapcount;
			atomic_t compound_pincount;
			unsigned int compound_nr; /* 1 << compound_order */
		};
		struct {	/* Second tail page of compound page */
			unsigned long _compound_pad_1;	/* compound_head */
			unsigned long _compound_pad_2;
			/* For both global and memcg */
			struct list_head deferred_list;
		};
		struct {	/* Page table pages */
			unsigned long _pt_pad_1;	/* compound_head */
			pgtable_t pmd_huge_pte;
			unsigned long _pt_pad_2;	/* mapping */
			union {
				struct mm_struct *pt_mm;
				atomic_t pt_frag_refcount;
			};
			spinlock_t ptl;		/* !ALLOC_SPLIT_PTLOCKS */
		};
		struct {	/* ZONE_DEVICE pages */
			struct dev_pagemap *pgmap;
			void *zone_device_data;
		};
		struct rcu_head rcu_head;
	};

	union {		/* This union is 4 bytes in size. */
		atomic_t _mapcount;
		unsigned int page_type;
	};

	/* Usage count. *DO NOT USE DIRECTLY*. See page_ref.h */
	atomic_t _refcount;

	unsigned long memcg_data;	/* CONFIG_MEMCG */
} __attribute__((aligned(16)));	/* CONFIG_HAVE_ALIGNED_STRUCT_PAGE */

/* v6.1 struct folio: head page, then the first tail page spelled out. */
struct folio {
	union {
		struct {
			unsigned long flags;
			union {
				struct list_head lru;
				struct {
					void *__filler;
					unsigned int mlock_count;
				};
			};
			struct address_space *mapping;
			pgoff_t index;
			void *private;
			atomic_t _mapcount;
			atomic_t _refcount;
			unsigned long memcg_data;
		};
		struct page page;
	};
	unsigned long _flags_1;
	unsigned long __head;
	unsigned char _folio_dtor;
	unsigned char _folio_order;
	atomic_t _total_mapcount;
	atomic_t _pincount;
	unsigned int _folio_nr_pages;
};

_Static_assert(sizeof(struct page) == 64, "struct page is 64 bytes");
_Static_assert(offsetof(struct page, lru) == 8, "lru");
_Static_assert(offsetof(struct page, compound_head) == 8, "compound_head");
_Static_assert(offsetof(struct page, compound_dtor) == 16, "compound_dtor");
_Static_assert(offsetof(struct page, compound_order) == 17, "compound_order");
_Static_assert(offsetof(struct page, compound_mapcount) == 20, "compound_mapcount");
_Static_assert(offsetof(struct page, compound_pincount) == 24, "compound_pincount");
_Static_assert(offsetof(struct page, compound_nr) == 28, "compound_nr");
_Static_assert(offsetof(struct page, deferred_list) == 24, "deferred_list");
_Static_assert(offsetof(struct page, mapping) == 24, "mapping");
_Static_assert(offsetof(struct page, index) == 32, "index");
_Static_assert(offsetof(struct page, private) == 40, "private");
_Static_assert(offsetof(struct page, _mapcount) == 48, "_mapcount");
_Static_assert(offsetof(struct page, _refcount) == 52, "_refcount");
_Static_assert(offsetof(struct folio, _pincount) == 64 + 24, "_pincount");
_Static_assert(offsetof(struct folio, _folio_order) == 64 + 17, "_folio_order");

/* v6.1 include/linux/page-flags.h, x86_64 Debian config. */
enum pageflags {
	PG_locked,		/* 0 */
	PG_referenced,
	PG_uptodate,
	PG_dirty,
	PG_lru,			/* 4 */
	PG_active,
	PG_workingset,
	PG_waiters,		/* 7: same byte as PG_locked */
	PG_error,
	PG_slab,		/* 9 */
	PG_owner_priv_1,
	PG_arch_1,
	PG_reserved,		/* 12 */
	PG_private,
	PG_private_2,
	PG_writeback,
	PG_head,		/* 16 */
	PG_mappedtodisk,
	PG_reclaim,
	PG_swapbacked,		/* 19 */
	PG_unevictable,
	PG_mlocked,		/* CONFIG_MMU */
	PG_uncached,		/* CONFIG_ARCH_USES_PG_UNCACHED (X86_PAT) */
	PG_hwpoison,		/* CONFIG_MEMORY_FAILURE */
	PG_young,		/* CONFIG_PAGE_IDLE_FLAG && 64BIT */
	PG_idle,
	PG_arch_2,		/* CONFIG_64BIT */
	__NR_PAGEFLAGS,		/* 27 */

	PG_readahead = PG_reclaim,
	PG_anon_exclusive = PG_mappedtodisk,
	PG_checked = PG_owner_priv_1,
	PG_swapcache = PG_owner_priv_1,
	PG_fscache = PG_private_2,
	PG_pinned = PG_owner_priv_1,
	PG_savepinned = PG_dirty,
	PG_foreign = PG_owner_priv_1,
	PG_xen_remapped = PG_owner_priv_1,
	PG_slob_free = PG_private,
	PG_double_map = PG_workingset,
	PG_has_hwpoisoned = PG_error,
	PG_isolated = PG_reclaim,
	PG_reported = PG_uptodate,
	PG_vmemmap_self_hosted = PG_owner_priv_1,
};

/* v6.1 include/linux/mm.h */
enum compound_dtor_id {
	NULL_COMPOUND_DTOR,
	COMPOUND_PAGE_DTOR,
	HUGETLB_PAGE_DTOR,	/* CONFIG_HUGETLB_PAGE */
	TRANSHUGE_PAGE_DTOR,	/* CONFIG_TRANSPARENT_HUGEPAGE */
	NR_COMPOUND_DTORS,
};

/* v6.1 include/linux/mmzone.h: zones and nodes, as Debian 12's
 * 6.1.0-56-cloud-amd64 (6.1.192) lays them out (pahole of its debug
 * vmlinux), plus CONFIG_CMA, which that cloud kernel lacks and this
 * synthetic one has: MIGRATE_CMA, a sixth free list per order and
 * zone.cma_pages.  Config: NUMA (NODES_SHIFT 10), ZONE_DMA, ZONE_DMA32,
 * ZONE_DEVICE, MEMORY_HOTPLUG, MEMORY_ISOLATION, COMPACTION,
 * DEFERRED_STRUCT_PAGE_INIT, TRANSPARENT_HUGEPAGE, LRU_GEN,
 * NUMA_BALANCING, ZSMALLOC (module), no X86_VSMP (internode cache line 64). */
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

/* v6.1 include/linux/mmzone.h, as Debian 6.1.0-57's DWARF has it (43 items). */
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
	NR_SWAPCACHE,
	PGPROMOTE_SUCCESS,
	PGPROMOTE_CANDIDATE,
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
	long lowmem_reserve[MAX_NR_ZONES];
	int node;				/* CONFIG_NUMA */
	struct pglist_data *zone_pgdat;
	struct per_cpu_pages *per_cpu_pageset;	/* __percpu */
	struct per_cpu_zonestat *per_cpu_zonestats;	/* __percpu */
	int pageset_high;
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
	struct free_area free_area[MAX_ORDER];
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
 * name; the rest (kswapd_wait .. memtier, 2620 bytes in Debian's
 * 6.1.0-56: wait queues, kswapd/kcompactd state, deferred split queue,
 * __lruvec with MGLRU, mm_walk) is opaque arrays of the same size around
 * the per-node stats (per_cpu_nodestats, vm_stat: the pin accounting), so
 * that sizeof and every named offset are the real ones. */
typedef struct pglist_data {
	struct zone node_zones[MAX_NR_ZONES];
	struct zonelist node_zonelists[MAX_ZONELISTS];
	int nr_zones;
	spinlock_t node_size_lock;	/* MEMORY_HOTPLUG || DEFERRED_STRUCT_PAGE_INIT */
	unsigned long node_start_pfn;
	unsigned long node_present_pages;
	unsigned long node_spanned_pages;
	int node_id;
	unsigned char __synthetic_rest[2236];	/* kswapd_wait .. _pad2_ */
	struct per_cpu_nodestat *per_cpu_nodestats;	/* __percpu */
	atomic_long_t vm_stat[NR_VM_NODE_STAT_ITEMS];
	unsigned char __synthetic_tail[32];	/* memtier */
} pg_data_t;

#ifdef CONFIG_CMA
_Static_assert(offsetof(struct zone, spanned_pages) == 144, "zone.spanned_pages");
_Static_assert(offsetof(struct zone, name) == 176, "zone.name");
_Static_assert(offsetof(struct zone, free_area) == 256, "zone.free_area");
_Static_assert(offsetof(struct zone, vm_stat) == 1536, "zone.vm_stat");
_Static_assert(sizeof(struct free_area) == 104, "free_area");
_Static_assert(sizeof(struct zone) == 1728, "zone");
_Static_assert(offsetof(struct pglist_data, nr_zones) == 172512, "pgdat.nr_zones");
_Static_assert(offsetof(struct pglist_data, node_id) == 172544, "pgdat.node_id");
_Static_assert(sizeof(struct pglist_data) == 175168, "pglist_data");
#else	/* Debian 6.1.0-56-cloud-amd64, VMCOREINFO and pahole */
_Static_assert(offsetof(struct zone, spanned_pages) == 144, "zone.spanned_pages");
_Static_assert(offsetof(struct zone, free_area) == 256, "zone.free_area");
_Static_assert(offsetof(struct zone, vm_stat) == 1344, "zone.vm_stat");
_Static_assert(sizeof(struct zone) == 1536, "zone");
_Static_assert(offsetof(struct pglist_data, nr_zones) == 171552, "pgdat.nr_zones");
_Static_assert(offsetof(struct pglist_data, node_start_pfn) == 171560, "pgdat.node_start_pfn");
_Static_assert(offsetof(struct pglist_data, node_spanned_pages) == 171576, "pgdat.node_spanned_pages");
_Static_assert(offsetof(struct pglist_data, node_id) == 171584, "pgdat.node_id");
_Static_assert(offsetof(struct pglist_data, per_cpu_nodestats) == 173824, "pgdat.per_cpu_nodestats");
_Static_assert(offsetof(struct pglist_data, vm_stat) == 173832, "pgdat.vm_stat");
_Static_assert(sizeof(struct pglist_data) == 174208, "pglist_data");
#endif

/* v6.1 include/linux/mmzone.h (rcu: 6.1.y stable, "mm/sparsemem: fix race in
 * accessing memory_section->usage"; Debian's 6.1.0-56 has it) */
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

/* v6.1: the section_mem_map flag bits are an enum (5.10 used #defines);
 * SECTION_TAINT_ZONE_DEVICE exists with CONFIG_ZONE_DEVICE, so
 * SECTION_MAP_LAST_BIT is 5. */
enum {
	SECTION_MARKED_PRESENT_BIT,
	SECTION_HAS_MEM_MAP_BIT,
	SECTION_IS_ONLINE_BIT,
	SECTION_IS_EARLY_BIT,
	SECTION_TAINT_ZONE_DEVICE_BIT,	/* CONFIG_ZONE_DEVICE */
	SECTION_MAP_LAST_BIT,
};

/* v6.1 include/linux/page-flags.h: PAGE_TYPE_BASE scheme. */
#define PAGE_TYPE_BASE	0xf0000000
#define PG_buddy	0x00000080
#define PG_offline	0x00000100
#define PG_table	0x00000200
#define PG_guard	0x00000400

/* v6.1 include/linux/utsname.h: name is the first member since v5.11. */
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
enum compound_dtor_id synthetic_dtor_ref;

/* The reverse map, files and io_uring, for the owners scenario. */
#include "owners.h"

/* mm/hugetlb.c (v6.1): its presence tells pinscan that a hugetlb page's
 * index counts huge pages (6.12 has none: base pages). */
unsigned long hugetlb_basepage_index(struct page *page)
{
	return page ? 0 : 1;
}

#include "kernel_vars.h"
