/* Synthetic vmlinux for Linux 4.19 with John Hubbard's 2018 RFC
 * "gup: dma-pinned pages" applied ([PATCH 4/6] "mm: introduce
 * page->dma_pinned_flags, _count", linux-mm, 2018; see
 * shared/seed-rfc.txt).  Included by 4.19-rfc1.c and 4.19-rfc2.c, which
 * differ only in the bit PAGE_DMA_PINNED uses (not visible in DWARF:
 * pinscan gets it from --rfc-pin-bit).
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
