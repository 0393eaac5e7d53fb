/* Checks of a dump file's own headers against its size, made before the
 * file is given to libkdumpfile, which trusts them (a bogus e_shoff, a
 * PT_NOTE past the end, a kdump sub-header note of 2^62 bytes crashed it). */
#ifndef PINSCAN_DUMP_GUARD_H
#define PINSCAN_DUMP_GUARD_H

#include "error.h"

/* PS_OK for a file whose headers fit in it, or that is neither ELF nor
 * kdump-compressed (libkdumpfile then says what it is); an error naming
 * path, the header field and the offset otherwise. Page data cut short is
 * a warning ("truncated at offset N"): the pages before the cut are read.
 * A page descriptor claiming more compressed bytes than a page is an
 * error: libkdumpfile 0.5.1 overflows its page buffer reading that page,
 * also from inside its own page-table walks, where pinscan cannot step in
 * (doc/libkdumpfile-bugs.md). */
enum ps_status dump_guard(int fd, const char *path, struct ps_warnings *w,
			  struct ps_err *err);

#endif
