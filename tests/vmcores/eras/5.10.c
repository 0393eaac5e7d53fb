/* Synthetic vmlinux for Linux 5.10 (Debian 11 "bullseye", x86_64).
 *
 * Layouts from v5.10.y include/linux/mm_types.h, include/linux/page-flags.h
 * and include/linux/mmzone.h with a distro config: CONFIG_MEMCG,
 * CONFIG_PAGE_EXTENSION, CONFIG_MEMORY_FAILURE, CONFIG_IDLE_PAGE_TRACKING,
 * CONFIG_X86_PAT, CONFIG_TRANSPARENT_HUGEPAGE, CONFIG_HUGETLB_PAGE.
 *
 * What pinscan cares about in 5.10:
 *  - FOLL_PIN (v5.7) adds GUP_PIN_COUNTING_BIAS (1024) to _refcount per
 *    pin of a small page;
 *  - a compound page of order >= 2 counts pins exactly in
 *    page[2].hpage_pinned_refcount (hpage_pincount_available() is
 *    "PageCompound(page) && compound_order(page) > 1"), next to
 *    _compound_pad_1 and deferred_list;
 *  - an order-1 compound page falls back to the refcount bias on its head;
 *  - page[1] has compound_dtor, compound_order, compound_mapcount and
 *    compound_nr; there is no struct folio yet (v5.16).
 * struct page is 64 bytes.
 */
#include "common.h"

struct page {
	unsigned long flags;
	union {
		struct {	/* Page cache and anonymous pages */
			struct list_head lru;
			struct address_space *mapping;
			pgoff_t index;		/* Our offset within mapping. */
			unsigned long private;
		};
		struct {	/* page_pool used by netstack */
			/* 5.10.y stable: two words, for 32-bit DMA */
			unsigned long dma_addr[2];
		};
		struct {	/* slab, slob and slub */
			union {
				struct list_head slab_list;
				struct {	/* Partial pages */
					struct page *next;
					int pages;	/* Nr of pages left */
					int pobjects;	/* Approximate count */
				};
			};
			struct kmem_cache *slab_cache; /* not slob */
			/* Double-word boundary */
			void *freelist;		/* first free object */
			union {
				void *s_mem;	/* slab: first object */
				unsigned long counters;		/* SLUB */
				struct {			/* SLUB */
					unsigned inuse:16;
					unsigned objects:15;
					unsigned frozen:1;
				};
			};
		};
		struct {	/* Tail pages of compound page */
			unsigned long compound_head;	/* Bit zero is set */

			/* First tail page only */
			unsigned char compound_dtor;
			unsigned char compound_order;
			atomic_t compound_mapcount;
			unsigned int compound_nr; /* 1 << compound_order */
		};
		struct {	/* Second tail page of compound page */
			unsigned long _compound_pad_1;	/* compound_head */
			atomic_t hpage_pinned_refcount;
			/* For both global and memcg */
			struct list_head deferred_list;
		};
		struct {	/* Page table pages */
			unsigned long _pt_pad_1;	/* compound_head */
			pgtable_t pmd_huge_pte; /* protected by page->ptl */
			unsigned long _pt_pad_2;	/* mapping */
			union {
				struct mm_struct *pt_mm; /* x86 pgds only */
				atomic_t pt_frag_refcount; /* powerpc */
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
		unsigned int active;		/* SLAB */
		int units;			/* SLOB */
	};

	/* Usage count. *DO NOT USE DIRECTLY*. See page_ref.h */
	atomic_t _refcount;

	union {				/* CONFIG_MEMCG */
		struct mem_cgroup *mem_cgroup;
		struct obj_cgroup **obj_cgroups;
	};
} __attribute__((aligned(16)));	/* CONFIG_HAVE_ALIGNED_STRUCT_PAGE */

_Static_assert(sizeof(struct page) == 64, "struct page is 64 bytes");
_Static_assert(offsetof(struct page, lru) == 8, "lru");
_Static_assert(offsetof(struct page, compound_head) == 8, "compound_head");
_Static_assert(offsetof(struct page, compound_dtor) == 16, "compound_dtor");
_Static_assert(offsetof(struct page, compound_order) == 17, "compound_order");
_Static_assert(offsetof(struct page, compound_mapcount) == 20, "compound_mapcount");
_Static_assert(offsetof(struct page, compound_nr) == 24, "compound_nr");
_Static_assert(offsetof(struct page, hpage_pinned_refcount) == 16, "hpage_pinned_refcount");
_Static_assert(offsetof(struct page, deferred_list) == 24, "deferred_list");
_Static_assert(offsetof(struct page, slab_cache) == 24, "slab_cache");
_Static_assert(offsetof(struct page, mapping) == 24, "mapping");
_Static_assert(offsetof(struct page, private) == 40, "private");
_Static_assert(offsetof(struct page, _mapcount) == 48, "_mapcount");
_Static_assert(offsetof(struct page, _refcount) == 52, "_refcount");

/* v5.10 include/linux/page-flags.h, x86_64 distro config. */
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
	PG_young,		/* CONFIG_IDLE_PAGE_TRACKING && 64BIT */
	PG_idle,
	PG_arch_2,		/* CONFIG_64BIT */
	__NR_PAGEFLAGS,		/* 27 */

	PG_checked = PG_owner_priv_1,
	PG_swapcache = PG_owner_priv_1,
	PG_fscache = PG_private_2,
	PG_pinned = PG_owner_priv_1,
	PG_savepinned = PG_dirty,
	PG_foreign = PG_owner_priv_1,
	PG_xen_remapped = PG_owner_priv_1,
	PG_slob_free = PG_private,
	PG_double_map = PG_workingset,
	PG_isolated = PG_reclaim,
	PG_reported = PG_uptodate,
};

/* v5.10 include/linux/mm.h */
enum compound_dtor_id {
	NULL_COMPOUND_DTOR,
	COMPOUND_PAGE_DTOR,
	HUGETLB_PAGE_DTOR,	/* CONFIG_HUGETLB_PAGE */
	TRANSHUGE_PAGE_DTOR,	/* CONFIG_TRANSPARENT_HUGEPAGE */
	NR_COMPOUND_DTORS,
};

/* v5.10.y include/linux/mmzone.h (as in 5.10.228): zones and nodes with a
 * Debian 11 amd64 config: NUMA (NODES_SHIFT 10), ZONE_DMA, ZONE_DMA32,
 * ZONE_DEVICE, MEMORY_HOTPLUG, MEMORY_ISOLATION, COMPACTION,
 * DEFERRED_STRUCT_PAGE_INIT, TRANSPARENT_HUGEPAGE, MEMCG, ZSMALLOC
 * (module), no X86_VSMP (internode cache line 64), and no CONFIG_CMA:
 * enum migratetype has no MIGRATE_CMA, so value 4 in a pageblock is
 * MIGRATE_ISOLATE here.  Every member is transcribed, so gcc gives the
 * real offsets and sizes. */
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

/* include/linux/pageblock-flags.h (PB_migratetype_bits 3) */
enum pageblock_bits {
	PB_migrate,
	PB_migrate_end = PB_migrate + 3 - 1,
	PB_migrate_skip,	/* compaction skips the block */
	NR_PAGEBLOCK_BITS
};

struct free_area {
	struct list_head free_list[MIGRATE_TYPES];
	unsigned long nr_free;
};

/* ZONE_PADDING: ____cacheline_internodealigned_in_smp */
struct zone_padding {
	char x[0];
} __attribute__((aligned(64)));
#define ZONE_PADDING(name)	struct zone_padding name;

enum numa_stat_item {
	NUMA_HIT,
	NUMA_MISS,
	NUMA_FOREIGN,
	NUMA_INTERLEAVE_HIT,
	NUMA_LOCAL,
	NUMA_OTHER,
	NR_VM_NUMA_STAT_ITEMS
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
	NR_PAGETABLE,
	NR_BOUNCE,
	NR_ZSPAGES,		/* IS_ENABLED(CONFIG_ZSMALLOC) */
	NR_FREE_CMA_PAGES,
	NR_VM_ZONE_STAT_ITEMS
};

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
	NR_KERNEL_MISC_RECLAIMABLE,
	NR_FOLL_PIN_ACQUIRED,
	NR_FOLL_PIN_RELEASED,
	NR_KERNEL_STACK_KB,
	NR_VM_NODE_STAT_ITEMS
};

enum lru_list {
	LRU_INACTIVE_ANON,
	LRU_ACTIVE_ANON,
	LRU_INACTIVE_FILE,
	LRU_ACTIVE_FILE,
	LRU_UNEVICTABLE,
	NR_LRU_LISTS
};

struct lruvec {
	struct list_head lists[NR_LRU_LISTS];
	unsigned long anon_cost;
	unsigned long file_cost;
	atomic_long_t nonresident_age;
	unsigned long refaults[2];	/* ANON_AND_FILE */
	unsigned long flags;
	struct pglist_data *pgdat;	/* CONFIG_MEMCG */
};

enum zone_watermarks {
	WMARK_MIN,
	WMARK_LOW,
	WMARK_HIGH,
	NR_WMARK
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

typedef struct seqcount_spinlock {
	seqcount_t seqcount;
} seqcount_spinlock_t;
typedef struct {
	seqcount_spinlock_t seqcount;
	spinlock_t lock;
} seqlock_t;

struct per_cpu_pageset;
struct per_cpu_nodestat;

struct zone {
	unsigned long _watermark[NR_WMARK];
	unsigned long watermark_boost;
	unsigned long nr_reserved_highatomic;
	long lowmem_reserve[MAX_NR_ZONES];
	int node;				/* CONFIG_NEED_MULTIPLE_NODES */
	struct pglist_data *zone_pgdat;
	struct per_cpu_pageset *pageset;	/* __percpu */
	unsigned long zone_start_pfn;
	atomic_long_t managed_pages;
	unsigned long spanned_pages;
	unsigned long present_pages;
	const char *name;
	unsigned long nr_isolate_pageblock;	/* CONFIG_MEMORY_ISOLATION */
	seqlock_t span_seqlock;			/* CONFIG_MEMORY_HOTPLUG */
	int initialized;
	ZONE_PADDING(_pad1_)
	struct free_area free_area[MAX_ORDER];
	unsigned long flags;
	spinlock_t lock;
	ZONE_PADDING(_pad2_)
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
	ZONE_PADDING(_pad3_)
	atomic_long_t vm_stat[NR_VM_ZONE_STAT_ITEMS];
	atomic_long_t vm_numa_stat[NR_VM_NUMA_STAT_ITEMS];
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

struct deferred_split {			/* CONFIG_TRANSPARENT_HUGEPAGE */
	spinlock_t split_queue_lock;
	struct list_head split_queue;
	unsigned long split_queue_len;
};

typedef struct pglist_data {
	struct zone node_zones[MAX_NR_ZONES];
	struct zonelist node_zonelists[MAX_ZONELISTS];
	int nr_zones;
	spinlock_t node_size_lock;	/* MEMORY_HOTPLUG || DEFERRED_STRUCT_PAGE_INIT */
	unsigned long node_start_pfn;
	unsigned long node_present_pages;
	unsigned long node_spanned_pages;
	int node_id;
	wait_queue_head_t kswapd_wait;
	wait_queue_head_t pfmemalloc_wait;
	struct task_struct *kswapd;
	int kswapd_order;
	enum zone_type kswapd_highest_zoneidx;
	int kswapd_failures;
	int kcompactd_max_order;		/* CONFIG_COMPACTION */
	enum zone_type kcompactd_highest_zoneidx;
	wait_queue_head_t kcompactd_wait;
	struct task_struct *kcompactd;
	unsigned long totalreserve_pages;
	unsigned long min_unmapped_pages;	/* CONFIG_NUMA */
	unsigned long min_slab_pages;
	ZONE_PADDING(_pad1_)
	spinlock_t lru_lock;
	unsigned long first_deferred_pfn;	/* DEFERRED_STRUCT_PAGE_INIT */
	struct deferred_split deferred_split_queue;
	struct lruvec __lruvec;
	unsigned long flags;
	ZONE_PADDING(_pad2_)
	struct per_cpu_nodestat *per_cpu_nodestats;	/* __percpu */
	atomic_long_t vm_stat[NR_VM_NODE_STAT_ITEMS];
} pg_data_t;

_Static_assert(offsetof(struct zone, spanned_pages) == 120, "zone.spanned_pages");
_Static_assert(offsetof(struct zone, free_area) == 192, "zone.free_area");
_Static_assert(sizeof(struct zone) == 1472, "zone");

/* v5.10.y include/linux/mmzone.h.  The rcu head came with the 5.10.y
 * backport of "mm/sparsemem: fix race in accessing memory_section->usage"
 * (present in 5.10.228, which Debian 11 follows). */
#define HAVE_MEM_SECTION_USAGE
struct mem_section_usage {
	struct rcu_head rcu;
	unsigned long subsection_map[1];	/* SUBSECTIONS_PER_SECTION / 64 */
	unsigned long pageblock_flags[0];
};

/* v5.10 include/linux/mmzone.h.  The section_mem_map flags are #defines
 * in 5.10 (no DWARF): SECTION_MARKED_PRESENT 1<<0, SECTION_HAS_MEM_MAP
 * 1<<1, SECTION_IS_ONLINE 1<<2, SECTION_IS_EARLY 1<<3,
 * SECTION_MAP_LAST_BIT 1<<4. */
struct page_ext;
struct mem_section {
	unsigned long section_mem_map;
	struct mem_section_usage *usage;
	struct page_ext *page_ext;	/* CONFIG_PAGE_EXTENSION */
	unsigned long pad;
};
_Static_assert(sizeof(struct mem_section) == 32, "mem_section");

/* v5.10 include/linux/page-flags.h: PAGE_TYPE_BASE scheme. */
#define PAGE_TYPE_BASE	0xf0000000
#define PG_buddy	0x00000080
#define PG_offline	0x00000100
#define PG_kmemcg	0x00000200
#define PG_table	0x00000400
#define PG_guard	0x00000800

/* v5.10 include/linux/utsname.h: a kref comes before name (until 5.11). */
struct kref {
	int refcount;	/* refcount_t */
};
struct user_namespace;
struct ucounts;
struct ns_common {
	atomic_long_t stashed;
	const void *ops;
	unsigned int inum;
};
struct uts_namespace {
	struct kref kref;
	struct new_utsname name;
	struct user_namespace *user_ns;
	struct ucounts *ucounts;
	struct ns_common ns;
};

enum compound_dtor_id synthetic_dtor_ref;

/* The reverse map, files, io_uring (before v5.14: user_bufs an array of
 * io_mapped_ubuf, each pointing at its bvecs), VFIO and KSM (struct
 * stable_node and rmap_item, the names before v6.1), for the owners
 * scenario. */
#define OWNERS_UBUF_5_10
#define KSM_OLD_NAMES
#include "owners.h"

/* kernel/futex.c's helper for hugetlb pages (renamed
 * hugetlb_basepage_index in v5.14): a hugetlb page's index counts huge
 * pages. */
unsigned long __basepage_index(struct page *page)
{
	return page ? 0 : 1;
}

#include "kernel_vars.h"
