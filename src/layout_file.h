/* A saved struct page_layout: what `pinscan layout -s VMLINUX -o FILE`
 * writes once on a machine that has the debug vmlinux, and `--layout FILE`
 * loads where it is too big to copy (a guest, a rescue system). Text,
 * versioned, keyed by the vmlinux's build-id. */
#ifndef PINSCAN_LAYOUT_FILE_H
#define PINSCAN_LAYOUT_FILE_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "layout.h"

#define LAYOUT_FILE_MAGIC "pinscan-layout"
#define LAYOUT_FILE_VERSION 1

enum ps_status layout_file_write(const struct page_layout *pl,
				 const char *build_id, FILE *out);

/* Read a layout file; build_id receives the id it was made for ("" when
 * unknown). */
enum ps_status layout_file_read(struct page_layout *pl, const char *path,
				char *build_id, size_t build_id_size,
				struct ps_err *err);

#endif
