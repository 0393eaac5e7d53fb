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

#include "mmzone-6.12.h"
