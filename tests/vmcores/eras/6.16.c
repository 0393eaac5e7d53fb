/* Synthetic vmlinux for Linux 6.16 (x86_64): struct page and folio of
 * folio-6.16.h with page->flags an unsigned long and compound_head; zones
 * and sections as 6.12 (mmzone-6.12.h). */
#include "common.h"

#define PAGE_FLAGS_T	unsigned long
#define COMPOUND_FIELD	compound_head
#define UNUSED_PGMAP	_unused_pgmap_compound_head
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
