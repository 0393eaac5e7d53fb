/* Synthetic vmlinux for Linux 4.19 with John Hubbard's 2018 RFC
 * "gup: dma-pinned pages" applied ([PATCH 4/6] "mm: introduce
 * page->dma_pinned_flags, _count", linux-mm, 2018; see
 * shared/seed-rfc.txt).  Included by 4.19-rfc1.c and 4.19-rfc2.c, which
 * differ in the bit PAGE_DMA_PINNED uses (not visible in DWARF: pinscan
 * gets it from --rfc-pin-bit) and in one config option: mkvmcore builds
 * rfc1 with CONFIG_CMA and rfc2 without (enum migratetype, struct
 * free_area and struct zone differ; struct page does not).
 *
 * Layouts from v4.19 include/linux/mm_types.h, include/linux/page-flags.h
 * and include/linux/mmzone.h, x86_64 distro config: CONFIG_MEMCG,
 * CONFIG_PAGE_EXTENSION, CONFIG_MEMORY_FAILURE, CONFIG_IDLE_PAGE_TRACKING,
 * CONFIG_X86_PAT.  The RFC puts, in the first union's page-cache struct,
 * a struct { dma_pinned_flags; dma_pinned_count; } in a union with lru,
 * so dma_pinned_flags shares the word of lru.next and compound_head.
 * No FOLL_PIN yet (that came in v5.7): no GUP_PIN_COUNTING_BIAS, no
 * compound pin counts.  struct page is 64 bytes.
 */
#include "common.h"

struct page {
	unsigned long flags;
	/*
	 * Five words (20/40 bytes) are available in this union.
	 * WARNING: bit 0 of the first word is used for PageTail().
	 */
	union {
		struct {	/* Page cache and anonymous pages */
			union {
				/* Pageout list, eg. active_list. */
				struct list_head lru;
				/* RFC: used by get_user_pages*(); a page
				 * using these is not on an LRU. */
				struct {
					unsigned long dma_pinned_flags;
					atomic_t dma_pinned_count;
				};
			};
			struct address_space *mapping;
			pgoff_t index;		/* Our offset within mapping. */
			unsigned long private;
		};
		struct {	/* slab, slob and slub */
			union {
				struct list_head slab_list;	/* uses lru */
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
		};
		struct {	/* Second tail page of compound page */
			unsigned long _compound_pad_1;	/* compound_head */
			unsigned long _compound_pad_2;
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
			unsigned long hmm_data;
			unsigned long _zd_pad_1;	/* uses mapping */
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

	struct mem_cgroup *mem_cgroup;	/* CONFIG_MEMCG */
} __attribute__((aligned(16)));	/* CONFIG_HAVE_ALIGNED_STRUCT_PAGE */

_Static_assert(sizeof(struct page) == 64, "struct page is 64 bytes");
_Static_assert(offsetof(struct page, lru) == 8, "lru");
_Static_assert(offsetof(struct page, dma_pinned_flags) == 8, "dma_pinned_flags");
_Static_assert(offsetof(struct page, dma_pinned_count) == 16, "dma_pinned_count");
_Static_assert(offsetof(struct page, compound_head) == 8, "compound_head");
_Static_assert(offsetof(struct page, compound_dtor) == 16, "compound_dtor");
_Static_assert(offsetof(struct page, compound_order) == 17, "compound_order");
_Static_assert(offsetof(struct page, deferred_list) == 24, "deferred_list");
_Static_assert(offsetof(struct page, slab_cache) == 24, "slab_cache");
_Static_assert(offsetof(struct page, mapping) == 24, "mapping");
_Static_assert(offsetof(struct page, private) == 40, "private");
_Static_assert(offsetof(struct page, _mapcount) == 48, "_mapcount");
_Static_assert(offsetof(struct page, _refcount) == 52, "_refcount");

/* v4.19 include/linux/page-flags.h (PG_workingset arrived in v4.20). */
enum pageflags {
	PG_locked,		/* 0 */
	PG_error,
	PG_referenced,
	PG_uptodate,
	PG_dirty,
	PG_lru,			/* 5 */
	PG_active,
	PG_waiters,		/* 7: same byte as PG_locked */
	PG_slab,		/* 8 */
	PG_owner_priv_1,
	PG_arch_1,
	PG_reserved,		/* 11 */
	PG_private,
	PG_private_2,
	PG_writeback,
	PG_head,		/* 15 */
	PG_mappedtodisk,
	PG_reclaim,
	PG_swapbacked,		/* 18 */
	PG_unevictable,
	PG_mlocked,		/* CONFIG_MMU */
	PG_uncached,		/* CONFIG_ARCH_USES_PG_UNCACHED (X86_PAT) */
	PG_hwpoison,		/* CONFIG_MEMORY_FAILURE */
	PG_young,		/* CONFIG_IDLE_PAGE_TRACKING && 64BIT */
	PG_idle,
	__NR_PAGEFLAGS,		/* 25 */

	PG_checked = PG_owner_priv_1,
	PG_swapcache = PG_owner_priv_1,
	PG_fscache = PG_private_2,
	PG_pinned = PG_owner_priv_1,
	PG_savepinned = PG_dirty,
	PG_foreign = PG_owner_priv_1,
	PG_slob_free = PG_private,
	PG_double_map = PG_private_2,
	PG_isolated = PG_reclaim,
};

/* v4.19 include/linux/mm.h */
enum compound_dtor_id {
	NULL_COMPOUND_DTOR,
	COMPOUND_PAGE_DTOR,
	HUGETLB_PAGE_DTOR,	/* CONFIG_HUGETLB_PAGE */
	TRANSHUGE_PAGE_DTOR,	/* CONFIG_TRANSPARENT_HUGEPAGE */
	NR_COMPOUND_DTORS,
};

/* v4.19 include/linux/mmzone.h.  The section_mem_map flags are
 * #defines in 4.19 (no DWARF): SECTION_MARKED_PRESENT 1<<0,
 * SECTION_HAS_MEM_MAP 1<<1, SECTION_IS_ONLINE 1<<2,
 * SECTION_MAP_LAST_BIT 1<<3.  There is no SECTION_IS_EARLY yet. */
struct page_ext;
struct mem_section {
	unsigned long section_mem_map;
	unsigned long *pageblock_flags;
	struct page_ext *page_ext;	/* CONFIG_PAGE_EXTENSION */
	unsigned long pad;
};
_Static_assert(sizeof(struct mem_section) == 32, "mem_section");

/* v4.19 include/linux/mmzone.h: zones and nodes with a Debian 10 amd64
 * config: NUMA (NODES_SHIFT 10, as every era here), ZONE_DMA, ZONE_DMA32,
 * ZONE_DEVICE, MEMORY_HOTPLUG, MEMORY_ISOLATION, COMPACTION, NO_BOOTMEM,
 * DEFERRED_STRUCT_PAGE_INIT, TRANSPARENT_HUGEPAGE, MEMCG, ZSMALLOC
 * (module), no X86_VSMP (internode cache line 64).  CONFIG_CMA is set for
 * 4.19-rfc1 and not for 4.19-rfc2 (mkvmcore passes -DCONFIG_CMA): it adds
 * MIGRATE_CMA (4; MIGRATE_ISOLATE moves to 5) and a sixth free list per
 * order.  Every member is transcribed, so gcc gives the real offsets and
 * sizes.  The pageblock bits live in the bitmap that
 * mem_section.pageblock_flags points at (below; struct mem_section_usage
 * came in v5.3), most significant bit first: a block's migratetype is
 * (word >> (BITS_PER_LONG - bitidx - PB_migrate_end - 1)) & 7
 * (__get_pfnblock_flags_mask(); least significant first since v5.9). */
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
	NR_KERNEL_STACK_KB,
	NR_BOUNCE,
	NR_ZSPAGES,		/* IS_ENABLED(CONFIG_ZSMALLOC) */
	NR_FREE_CMA_PAGES,
	NR_VM_ZONE_STAT_ITEMS
};

enum node_stat_item {
	NR_LRU_BASE,
	NR_INACTIVE_ANON = NR_LRU_BASE,
	NR_ACTIVE_ANON,
	NR_INACTIVE_FILE,
	NR_ACTIVE_FILE,
	NR_UNEVICTABLE,
	NR_SLAB_RECLAIMABLE,
	NR_SLAB_UNRECLAIMABLE,
	NR_ISOLATED_ANON,
	NR_ISOLATED_FILE,
	WORKINGSET_REFAULT,
	WORKINGSET_ACTIVATE,
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
	NR_ANON_THPS,
	NR_UNSTABLE_NFS,
	NR_VMSCAN_WRITE,
	NR_VMSCAN_IMMEDIATE,
	NR_DIRTIED,
	NR_WRITTEN,
	NR_INDIRECTLY_RECLAIMABLE_BYTES,
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

struct zone_reclaim_stat {
	unsigned long recent_rotated[2];
	unsigned long recent_scanned[2];
};

struct lruvec {
	struct list_head lists[NR_LRU_LISTS];
	struct zone_reclaim_stat reclaim_stat;
	atomic_long_t inactive_age;
	unsigned long refaults;
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

typedef struct {
	struct seqcount seqcount;
	spinlock_t lock;
} seqlock_t;

struct per_cpu_pageset;
struct per_cpu_nodestat;

struct zone {
	unsigned long watermark[NR_WMARK];
	unsigned long nr_reserved_highatomic;
	long lowmem_reserve[MAX_NR_ZONES];
	int node;				/* CONFIG_NUMA */
	struct pglist_data *zone_pgdat;
	struct per_cpu_pageset *pageset;	/* __percpu */
	unsigned long zone_start_pfn;
	unsigned long managed_pages;
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
	unsigned long compact_cached_migrate_pfn[2];
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
	enum zone_type kswapd_classzone_idx;
	int kswapd_failures;
	int kcompactd_max_order;		/* CONFIG_COMPACTION */
	enum zone_type kcompactd_classzone_idx;
	wait_queue_head_t kcompactd_wait;
	struct task_struct *kcompactd;
	unsigned long totalreserve_pages;
	unsigned long min_unmapped_pages;	/* CONFIG_NUMA */
	unsigned long min_slab_pages;
	ZONE_PADDING(_pad1_)
	spinlock_t lru_lock;
	unsigned long first_deferred_pfn;	/* DEFERRED_STRUCT_PAGE_INIT */
	unsigned long static_init_pgcnt;
	spinlock_t split_queue_lock;		/* CONFIG_TRANSPARENT_HUGEPAGE */
	struct list_head split_queue;
	unsigned long split_queue_len;
	struct lruvec lruvec;
	unsigned long flags;
	ZONE_PADDING(_pad2_)
	struct per_cpu_nodestat *per_cpu_nodestats;	/* __percpu */
	atomic_long_t vm_stat[NR_VM_NODE_STAT_ITEMS];
} pg_data_t;

_Static_assert(offsetof(struct zone, spanned_pages) == 112, "zone.spanned_pages");
_Static_assert(offsetof(struct zone, free_area) == 192, "zone.free_area");
#ifdef CONFIG_CMA
_Static_assert(sizeof(struct zone) == 1664, "zone");
#else
_Static_assert(sizeof(struct zone) == 1472, "zone");
#endif


/* v4.19 include/linux/page-flags.h: PAGE_TYPE_BASE scheme (v4.18). */
#define PAGE_TYPE_BASE	0xf0000000
#define PG_buddy	0x00000080
#define PG_balloon	0x00000100
#define PG_kmemcg	0x00000200
#define PG_table	0x00000400

/* v4.19 include/linux/utsname.h: a kref comes before name. */
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

#include "kernel_vars.h"
