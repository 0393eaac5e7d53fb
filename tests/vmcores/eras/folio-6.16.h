/* struct page, struct folio, enum pageflags and enum pagetype of Linux
 * 6.16 and later (x86_64, the 6.12.c distro config), shared by the 6.16,
 * 6.18 and 7.1 eras. An era file defines, before including this:
 *   PAGE_FLAGS_T	the type of page->flags and folio->flags:
 *			unsigned long, or memdesc_flags_t from v6.18
 *			(commit 53fbef56e07d, "mm: introduce memdesc_flags_t");
 *   COMPOUND_FIELD	compound_head, or compound_info from v7.1 ("mm:
 *			rename the 'compound_head' field in the 'struct
 *			page' to 'compound_info'", Kiryl Shutsemau);
 *   UNUSED_PGMAP	the ZONE_DEVICE filler named after that field.
 *
 * What changed for pinscan since 6.12, from include/linux/mm_types.h and
 * page-flags.h:
 *  - v6.15, commit 6af8cb80d3a9 ("mm/rmap: basic MM owner tracking for
 *    large folios (!hugetlb)") and the CONFIG_NO_PAGE_MAPCOUNT series:
 *    page[1] of a folio holds _large_mapcount, _nr_pages_mapped,
 *    _entire_mapcount, _pincount, _mm_id_mapcount[2], _mm_ids, then the
 *    tail's own _mapcount_1/_refcount_1 and _nr_pages (was
 *    _folio_nr_pages, at 32) where memcg_data would be; the hugetlb
 *    members moved to page[3]. These eras are built as with
 *    CONFIG_NO_PAGE_MAPCOUNT=y: the pages of a large folio keep
 *    _mapcount -1 and only _large_mapcount counts the mappings.
 *  - v6.16, commit acc53a0b4c15 ("mm: rename page->index to
 *    page->__folio_index").
 *  - enum pageflags without PG_error (PG_has_hwpoisoned now aliases
 *    PG_active) and with PG_dropbehind (v6.14) after PG_unevictable;
 *    PGTY_large_kmalloc (0xf8) a new page type. Both checked against
 *    the kernel's include/linux/page-flags.h (enum pageflags of 6.15/6.16,
 *    PG_locked, PG_writeback ... PG_unevictable 18, PG_dropbehind 19,
 *    PG_mlocked 20, PG_hwpoison 21; enum pagetype 0xf0..0xf8). pinscan
 *    takes every bit and type value from the DWARF enums all the same.
 * struct page is still 64 bytes (a power of two). */
#ifndef MKVMCORE_ERAS_FOLIO_6_16_H
#define MKVMCORE_ERAS_FOLIO_6_16_H

typedef struct {
	unsigned long val;
} swp_entry_t;

typedef int mm_id_mapcount_t;	/* include/linux/mm_types.h */
typedef unsigned int mm_id_t;

struct page {
	PAGE_FLAGS_T flags;
	union {
		struct {	/* Page cache and anonymous pages */
			union {
				struct list_head lru;
				struct {
					void *__filler;
					unsigned int mlock_count;
				};
				struct list_head buddy_list;
				struct list_head pcp_list;
			};
			struct address_space *mapping;
			union {
				pgoff_t __folio_index;
				unsigned long share;	/* fsdax */
			};
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
			unsigned long COMPOUND_FIELD;	/* Bit zero is set */
		};
		struct {	/* ZONE_DEVICE pages */
			void *UNUSED_PGMAP;
			void *zone_device_data;
		};
		struct rcu_head rcu_head;
	};

	union {		/* This union is 4 bytes in size. */
		unsigned int page_type;
		atomic_t _mapcount;
	};

	atomic_t _refcount;

	unsigned long memcg_data;	/* CONFIG_MEMCG */
} __attribute__((aligned(16)));

struct folio {
	union {
		struct {
			PAGE_FLAGS_T flags;
			union {
				struct list_head lru;
				struct {
					void *__filler;
					unsigned int mlock_count;
				};
				struct dev_pagemap *pgmap;
			};
			struct address_space *mapping;
			union {
				pgoff_t index;
				unsigned long share;
			};
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
			union {
				struct {
					atomic_t _large_mapcount;
					atomic_t _nr_pages_mapped;
					atomic_t _entire_mapcount;	/* 64BIT */
					atomic_t _pincount;		/* 64BIT */
					mm_id_mapcount_t _mm_id_mapcount[2];
					union {
						mm_id_t _mm_id[2];
						unsigned long _mm_ids;
					};
				};
				unsigned long _usable_1[4];
			};
			atomic_t _mapcount_1;
			atomic_t _refcount_1;
			unsigned int _nr_pages;	/* NR_PAGES_IN_LARGE_FOLIO */
		};
		struct page __page_1;
	};
	union {
		struct {
			unsigned long _flags_2;
			unsigned long _head_2;
			struct list_head _deferred_list;
		};
		struct page __page_2;
	};
	union {
		struct {
			unsigned long _flags_3;
			unsigned long _head_3;
			void *_hugetlb_subpool;
			void *_hugetlb_cgroup;
			void *_hugetlb_cgroup_rsvd;
			void *_hugetlb_hwpoison;
		};
		struct page __page_3;
	};
};

_Static_assert(sizeof(struct page) == 64, "struct page is 64 bytes");
_Static_assert(offsetof(struct page, lru) == 8, "lru");
_Static_assert(offsetof(struct page, COMPOUND_FIELD) == 8, "compound");
_Static_assert(offsetof(struct page, mapping) == 24, "mapping");
_Static_assert(offsetof(struct page, __folio_index) == 32, "__folio_index");
_Static_assert(offsetof(struct page, private) == 40, "private");
_Static_assert(offsetof(struct page, _mapcount) == 48, "_mapcount");
_Static_assert(offsetof(struct page, _refcount) == 52, "_refcount");
_Static_assert(offsetof(struct folio, _flags_1) == 64, "_flags_1");
_Static_assert(offsetof(struct folio, _large_mapcount) == 64 + 16, "_large_mapcount");
_Static_assert(offsetof(struct folio, _entire_mapcount) == 64 + 24, "_entire_mapcount");
_Static_assert(offsetof(struct folio, _pincount) == 64 + 28, "_pincount");
_Static_assert(offsetof(struct folio, _mm_ids) == 64 + 40, "_mm_ids");
_Static_assert(offsetof(struct folio, _refcount_1) == 64 + 52, "_refcount_1");
_Static_assert(offsetof(struct folio, _nr_pages) == 64 + 56, "_nr_pages");
_Static_assert(offsetof(struct folio, _deferred_list) == 128 + 16, "_deferred_list");
_Static_assert(sizeof(struct folio) == 4 * 64, "struct folio");

/* include/linux/page-flags.h, x86_64 distro config (MMU, MEMORY_FAILURE,
 * PAGE_IDLE_FLAG). */
enum pageflags {
	PG_locked,		/* 0 */
	PG_writeback,
	PG_referenced,
	PG_uptodate,
	PG_dirty,
	PG_lru,			/* 5 */
	PG_head,		/* 6 */
	PG_waiters,		/* 7 */
	PG_active,
	PG_workingset,		/* 9 */
	PG_owner_priv_1,	/* 10 */
	PG_owner_2,
	PG_arch_1,
	PG_reserved,		/* 13 */
	PG_private,
	PG_private_2,
	PG_reclaim,		/* 16 */
	PG_swapbacked,
	PG_unevictable,		/* 18 */
	PG_dropbehind,		/* v6.14 */
	PG_mlocked,		/* 20 */
	PG_hwpoison,
	PG_young,
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
	PG_reported = PG_uptodate,
	PG_vmemmap_self_hosted = PG_owner_priv_1,
	PG_has_hwpoisoned = PG_active,
	PG_large_rmappable = PG_workingset,
	PG_partially_mapped = PG_reclaim,
};

/* The type is page_type >> 24. */
enum pagetype {
	PGTY_buddy		= 0xf0,
	PGTY_offline		= 0xf1,
	PGTY_table		= 0xf2,
	PGTY_guard		= 0xf3,
	PGTY_hugetlb		= 0xf4,
	PGTY_slab		= 0xf5,
	PGTY_zsmalloc		= 0xf6,
	PGTY_unaccepted		= 0xf7,
	PGTY_large_kmalloc	= 0xf8,

	PGTY_mapcount_underflow = 0xff
};

#endif /* MKVMCORE_ERAS_FOLIO_6_16_H */
