/* Synthetic vmlinux for Linux 7.1 (x86_64) with
 * CONFIG_HUGETLB_PAGE_OPTIMIZE_VMEMMAP: as 6.18, but compound_head is
 * compound_info ("mm: rename the 'compound_head' field in the 'struct
 * page' to 'compound_info'"), and since sizeof(struct page) is 64, a power
 * of two, set_compound_head() stores GENMASK(63, order + 6) | 1 in it ("mm:
 * rework compound_head() for power-of-2 sizeof(struct page)"); fake head
 * pages are gone ("mm/hugetlb: remove fake head pages"). All three by
 * Kiryl Shutsemau, merged for 7.1. */
#include "common.h"

typedef struct {
	unsigned long f;
} memdesc_flags_t;

#define PAGE_FLAGS_T	memdesc_flags_t
#define COMPOUND_FIELD	compound_info
#define UNUSED_PGMAP	_unused_pgmap_compound_info
#include "folio-6.16.h"

/* The reverse map, files and io_uring, for the owners scenario: v6.12's
 * vm_area_struct, and io_uring's registered buffers in ctx->buf_table
 * (v6.13+) with v6.15's io_mapped_ubuf (is_kbuf); KSM's rmap_item with
 * v6.7's age. */
#define OWNERS_UBUF_6_12
#define OWNERS_BUF_TABLE
#define KSM_RMAP_AGE
#include "owners.h"

#include "mmzone-6.12.h"
