/* The layout cache: every layout derived from a kernel's DWARF or BTF is
 * saved under ${XDG_CACHE_HOME:-~/.cache}/pinscan/layouts/, one file per
 * kernel and source, so that the next dump of that kernel is analysed
 * without reading DWARF or BTF again (doc/layout-file.md, "The layout
 * cache"). An entry is a layout file (src/layout_file.c) with a header
 * saying which kernel, source and pinscan made it, and a checksum; one
 * that is not exactly that is ignored with a warning, never trusted. */
#ifndef PINSCAN_LAYOUT_CACHE_H
#define PINSCAN_LAYOUT_CACHE_H

#include <limits.h>
#include <stdbool.h>

#include "error.h"
#include "layout.h"

struct layout_cache {
	char dir[PATH_MAX];	/* "" when there is no cache */
	/* The kernel: its GNU build-id, or "" when it has none and its
	 * release stands in (weaker: a rebuild keeps the release). */
	char build_id[129];
	char release[65];
};

/* The cache for one kernel; no cache (layout_cache_load finds nothing,
 * layout_cache_store does nothing) when disabled (--no-cache), when
 * neither XDG_CACHE_HOME nor HOME says where it is, or when the kernel
 * has neither build-id nor release. */
void layout_cache_init(struct layout_cache *c, bool disabled,
		       const char *build_id, const char *release);

/* The entry of one source (LAYOUT_DWARF or LAYOUT_BTF). */
void layout_cache_path(const struct layout_cache *c, enum layout_kind kind,
		       char *path, size_t size);

/* The layout of that source saved for the kernel: true when a valid
 * entry was there (pl->kind is the source, pl->cached set). A missing
 * entry is false in silence; a corrupt, stale or foreign one is false
 * with a warning. The caller still completes it from VMCOREINFO and
 * checks it as it would a fresh one. */
bool layout_cache_load(const struct layout_cache *c, enum layout_kind kind,
		       struct page_layout *pl, struct ps_warnings *w);

/* Save a layout derived from DWARF or BTF (before VMCOREINFO completed
 * it: that part belongs to each dump), atomically: written beside the
 * entry and renamed over it, so that a reader sees the old entry or the
 * new one, never half of one. Failing to save is a warning. */
void layout_cache_store(const struct layout_cache *c,
			const struct page_layout *pl, struct ps_warnings *w);

#endif
