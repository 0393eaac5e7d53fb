/* A saved struct page_layout: what `pinscan layout -s VMLINUX -o FILE`
 * writes once on a machine that has the debug vmlinux, and `--layout FILE`
 * loads where it is too big to copy (a guest, a rescue system). Text,
 * versioned, keyed by the vmlinux's build-id. */
#ifndef PINSCAN_LAYOUT_FILE_H
#define PINSCAN_LAYOUT_FILE_H

#include <stddef.h>
#include <stdint.h>
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

/* The same from an open stream; `how` and path end the layout's source
 * ("DWARF of X (saved in FILE)"). */
enum ps_status layout_file_parse(struct page_layout *pl, FILE *in,
				 const char *path, const char *how,
				 char *build_id, size_t build_id_size,
				 struct ps_err *err);

/* Changes whenever the set of keys a layout file carries changes. */
uint64_t layout_file_keys_fingerprint(void);

/* 64-bit FNV-1a, continued from h (LAYOUT_FILE_FNV_START to start). */
#define LAYOUT_FILE_FNV_START 0xcbf29ce484222325ull
uint64_t layout_file_fnv1a(uint64_t h, const void *buf, size_t len);

#endif
