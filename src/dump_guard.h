/* Checks of a dump file's own headers against its size, made before the
 * file is given to libkdumpfile, which trusts them (a bogus e_shoff, a
 * PT_NOTE past the end, a kdump sub-header note of 2^62 bytes crashed it). */
#ifndef PINSCAN_DUMP_GUARD_H
#define PINSCAN_DUMP_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Pages a kdump-compressed file lists but cannot deliver: descriptors past
 * the cut of a truncated file, or corrupt ones. Physical ranges, sorted;
 * pinscan treats them as absent and never asks libkdumpfile for them. */
struct dump_damage {
	struct damage_range {
		uint64_t start, end;
	} *ranges;
	size_t nr, cap;
};

/* PS_OK for a file whose headers fit in it, or that is neither ELF nor
 * kdump-compressed (libkdumpfile then says what it is); an error naming
 * path, the header field and the offset otherwise. Page data cut short is
 * a warning ("truncated at offset N"): the pages before the cut are read,
 * those beyond it, like those of corrupt descriptors, go into *damage.
 * A page descriptor claiming more compressed bytes than a page is an
 * error: libkdumpfile 0.5.1 overflows its page buffer reading that page,
 * also from inside its own page-table walks, where pinscan cannot step in
 * (doc/libkdumpfile-bugs.md). */
enum ps_status dump_guard(int fd, const char *path, struct ps_warnings *w,
			  struct dump_damage *damage, struct ps_err *err);

/* Add [start, end), which overlaps no range yet; false without memory. */
bool dump_damage_add(struct dump_damage *d, uint64_t start, uint64_t end);

/* Whether [phys, phys + len) overlaps a damaged range. */
bool dump_damage_overlaps(const struct dump_damage *d, uint64_t phys,
			  uint64_t len);

#endif
