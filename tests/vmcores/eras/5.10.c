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

/* v5.10 include/linux/mmzone.h.  The section_mem_map flags are #defines
 * in 5.10 (no DWARF): SECTION_MARKED_PRESENT 1<<0, SECTION_HAS_MEM_MAP
 * 1<<1, SECTION_IS_ONLINE 1<<2, SECTION_IS_EARLY 1<<3,
 * SECTION_MAP_LAST_BIT 1<<4. */
struct mem_section_usage {
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

#include "kernel_vars.h"
