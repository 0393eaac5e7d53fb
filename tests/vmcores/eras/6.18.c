/* Synthetic vmlinux for Linux 6.18 (x86_64): as 6.16, but page->flags and
 * folio->flags are memdesc_flags_t, the word in .f (commit 53fbef56e07d,
 * "mm: introduce memdesc_flags_t"). */
#include "common.h"

typedef struct {
	unsigned long f;
} memdesc_flags_t;

#define PAGE_FLAGS_T	memdesc_flags_t
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
