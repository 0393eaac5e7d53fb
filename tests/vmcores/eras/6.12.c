/* Synthetic vmlinux for Linux 6.12 (Debian 13 "trixie", x86_64).
 *
 * Layouts from v6.12 include/linux/mm_types.h, include/linux/page-flags.h
 * and include/linux/mmzone.h with a distro config: CONFIG_MEMCG,
 * CONFIG_PAGE_EXTENSION, CONFIG_ZONE_DEVICE, CONFIG_MEMORY_FAILURE,
 * CONFIG_PAGE_IDLE_FLAG; x86 selects neither ARCH_USES_PG_ARCH_2 nor _3.
 *
 * What pinscan cares about in 6.12:
 *  - struct page keeps only compound_head for tail pages; the large
 *    folio fields are spelled out in struct folio's __page_1/__page_2;
 *  - the folio order is the low byte of _flags_1, i.e. of page[1].flags
 *    (since v6.6, when _folio_order/_folio_dtor left page[1]);
 *  - FOLL_PIN counts of every large folio are folio->_pincount, in page[1]
 *    (64-bit);
 *  - PG_slab is gone (v6.10): slab, buddy, etc. are page types,
 *    page_type >> 24 == PGTY_* (v6.12 enum pagetype), and page_type is
 *    the first member of its union with _mapcount.
 * struct page is 64 bytes.
 */
#include "common.h"

typedef struct {
	unsigned long val;
} swp_entry_t;

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
			atomic_long_t pp_ref_count;
		};
		struct {	/* Tail pages of compound page */
			unsigned long compound_head;	/* Bit zero is set */
		};
		struct {	/* ZONE_DEVICE pages */
			struct dev_pagemap *pgmap;
			void *zone_device_data;
		};
		struct rcu_head rcu_head;
	};

	union {		/* This union is 4 bytes in size. */
		/* For head pages of typed folios: see enum pagetype. */
		unsigned int page_type;
		/* For pages of non-typed folios mapped via rmap. */
		atomic_t _mapcount;
	};

	/* Usage count. *DO NOT USE DIRECTLY*. See page_ref.h */
	atomic_t _refcount;

	unsigned long memcg_data;	/* CONFIG_MEMCG */
} __attribute__((aligned(16)));	/* CONFIG_HAVE_ALIGNED_STRUCT_PAGE */

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
			union {
				void *private;
				swp_entry_t swap;
			};
			atomic_t _mapcount;
			atomic_t _refcount;
			unsigned long memcg_data;
		};
		struct page page;
	};
	union {
		struct {
			unsigned long _flags_1;
			unsigned long _head_1;
			atomic_t _large_mapcount;
			atomic_t _entire_mapcount;
			atomic_t _nr_pages_mapped;
			atomic_t _pincount;
			unsigned int _folio_nr_pages;	/* CONFIG_64BIT */
		};
		struct page __page_1;
	};
	union {
		struct {
			unsigned long _flags_2;
			unsigned long _head_2;
			void *_hugetlb_subpool;
			void *_hugetlb_cgroup;
			void *_hugetlb_cgroup_rsvd;
			void *_hugetlb_hwpoison;
		};
		struct {
			unsigned long _flags_2a;
			unsigned long _head_2a;
			struct list_head _deferred_list;
		};
		struct page __page_2;
	};
};

_Static_assert(sizeof(struct page) == 64, "struct page is 64 bytes");
_Static_assert(offsetof(struct page, lru) == 8, "lru");
_Static_assert(offsetof(struct page, compound_head) == 8, "compound_head");
_Static_assert(offsetof(struct page, mapping) == 24, "mapping");
_Static_assert(offsetof(struct page, index) == 32, "index");
_Static_assert(offsetof(struct page, private) == 40, "private");
_Static_assert(offsetof(struct page, page_type) == 48, "page_type");
_Static_assert(offsetof(struct page, _mapcount) == 48, "_mapcount");
_Static_assert(offsetof(struct page, _refcount) == 52, "_refcount");
_Static_assert(offsetof(struct folio, _flags_1) == 64, "_flags_1");
_Static_assert(offsetof(struct folio, _large_mapcount) == 64 + 16, "_large_mapcount");
_Static_assert(offsetof(struct folio, _pincount) == 64 + 28, "_pincount");
_Static_assert(offsetof(struct folio, _folio_nr_pages) == 64 + 32, "_folio_nr_pages");
_Static_assert(offsetof(struct folio, _deferred_list) == 128 + 16, "_deferred_list");
_Static_assert(sizeof(struct folio) == 3 * 64, "struct folio");

/* v6.12 include/linux/page-flags.h, x86_64 Debian config. */
enum pageflags {
	PG_locked,		/* 0 */
	PG_writeback,
	PG_referenced,
	PG_uptodate,
	PG_dirty,
	PG_lru,			/* 5 */
	PG_head,		/* 6: must be in bit 6 */
	PG_waiters,		/* 7: same byte as PG_locked */
	PG_active,
	PG_workingset,		/* 9 */
	PG_error,
	PG_owner_priv_1,	/* 11 */
	PG_owner_2,
	PG_arch_1,
	PG_reserved,		/* 14 */
	PG_private,
	PG_private_2,
	PG_reclaim,
	PG_swapbacked,		/* 18 */
	PG_unevictable,
	PG_mlocked,		/* CONFIG_MMU */
	PG_hwpoison,		/* CONFIG_MEMORY_FAILURE */
	PG_young,		/* CONFIG_PAGE_IDLE_FLAG && 64BIT */
	PG_idle,
	__NR_PAGEFLAGS,		/* 24 */

	PG_readahead = PG_reclaim,
	PG_swapcache = PG_owner_priv_1,
	PG_checked = PG_owner_priv_1,
	PG_anon_exclusive = PG_owner_2,
	PG_mappedtodisk = PG_owner_2,
	PG_fscache = PG_private_2,
	PG_pinned = PG_owner_priv_1,
	PG_savepinned = PG_dirty,
	PG_foreign = PG_owner_priv_1,
	PG_xen_remapped = PG_owner_priv_1,
	PG_isolated = PG_reclaim,
	PG_reported = PG_uptodate,
	PG_vmemmap_self_hosted = PG_owner_priv_1,
	PG_has_hwpoisoned = PG_error,
	PG_large_rmappable = PG_workingset,
	PG_partially_mapped = PG_reclaim,
};

/* v6.12 include/linux/page-flags.h: the type is page_type >> 24. */
enum pagetype {
	/* 0x00-0x7f are positive numbers, ie mapcount */
	/* Reserve 0x80-0xef for mapcount overflow. */
	PGTY_buddy	= 0xf0,
	PGTY_offline	= 0xf1,
	PGTY_table	= 0xf2,
	PGTY_guard	= 0xf3,
	PGTY_hugetlb	= 0xf4,
	PGTY_slab	= 0xf5,
	PGTY_zsmalloc	= 0xf6,
	PGTY_unaccepted	= 0xf7,

	PGTY_mapcount_underflow = 0xff
};

/* The reverse map, files and io_uring, for the owners scenario: v6.12's
 * io_mapped_ubuf and vm_area_struct; mm_struct without `owner`, as a
 * kernel without CONFIG_MEMCG has it, so that owners come from the task
 * list (the 6.1 era has mm->owner); KSM's rmap_item with v6.7's age. */
#define OWNERS_NO_MM_OWNER
#define OWNERS_UBUF_6_12
#define KSM_RMAP_AGE
#include "owners.h"

#include "mmzone-6.12.h"
