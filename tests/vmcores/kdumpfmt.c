/* --kdump: the kdump-compressed (diskdump, zlib per page) and the
 * flattened copies of the ELF vmcore.
 *
 * Both are written by makedumpfile (Debian's 1.7.2 reads the synthetic
 * ELF: it takes the VMCOREINFO note and the PT_LOADs, and with "-d 0"
 * filters nothing), so the files are what a real kdump setup produces:
 *   makedumpfile -c -d 0 vmcore vmcore.kdump
 *   makedumpfile -F -c -d 0 vmcore > vmcore.flat
 * Pages that are in no PT_LOAD (--missing) are clear in the kdump
 * bitmaps.  makedumpfile's output does not depend on the time it runs,
 * so the flattened records must reassemble to vmcore.kdump byte for
 * byte; flat_reassemble() checks that with its own reader of the format
 * (makedumpfile's IMPLEMENTATION file, "flattened format").
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mkvmcore.h"

#define MDF_SIGNATURE		"makedumpfile"
#define MDF_HEADER_SIZE		4096	/* MAX_SIZE_MDF_HEADER */
#define MDF_TYPE_FLAT_HEADER	1

static uint64_t be64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

static uint8_t *read_file(const char *path, size_t *len)
{
	struct stat st;
	uint8_t *buf;
	size_t got = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st))
		fatal("open %s: %s", path, strerror(errno));
	buf = xcalloc(1, st.st_size);
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, st.st_size - got);

		if (n <= 0)
			fatal("read %s: %s", path, n ? strerror(errno) : "EOF");
		got += n;
	}
	close(fd);
	*len = got;
	return buf;
}

/* Rebuild the kdump file from the flattened records: a 4 KiB header
 * ("makedumpfile", type 1, version 1; big-endian), then (offset, size)
 * big-endian pairs each followed by size bytes to put at offset, ended by
 * offset -1. */
static uint8_t *flat_reassemble(const char *path, size_t *out_len)
{
	size_t len, pos = MDF_HEADER_SIZE, max = 0, cap = 0;
	uint8_t *flat = read_file(path, &len), *out = NULL;

	if (len < MDF_HEADER_SIZE || strncmp((char *)flat, MDF_SIGNATURE,
					     sizeof(MDF_SIGNATURE)) ||
	    be64(flat + 16) != MDF_TYPE_FLAT_HEADER)
		fatal("%s: not a makedumpfile flattened file", path);
	for (;;) {
		int64_t off, size;

		if (pos + 16 > len)
			fatal("%s: records end without the end marker", path);
		off = (int64_t)be64(flat + pos);
		size = (int64_t)be64(flat + pos + 8);
		pos += 16;
		if (off < 0)
			break;
		if (size < 0 || pos + size > len)
			fatal("%s: bad record at %zu", path, pos - 16);
		if ((size_t)(off + size) > cap) {
			size_t ncap = (size_t)(off + size) * 2;

			out = xrealloc(out, ncap);
			memset(out + cap, 0, ncap - cap);
			cap = ncap;
		}
		memcpy(out + off, flat + pos, size);
		if ((size_t)(off + size) > max)
			max = off + size;
		pos += size;
	}
	free(flat);
	*out_len = max;
	return out;
}

void kdump_write(struct gen *g, const char *elf_path, const char *kdump_path,
		 const char *flat_path)
{
	char *kd_argv[] = {
		"makedumpfile", "-c", "-d", "0", (char *)elf_path,
		(char *)kdump_path, NULL
	};
	char *flat_argv[] = {
		"makedumpfile", "-F", "-c", "-d", "0", (char *)elf_path, NULL
	};
	char *log = xasprintf("%s/makedumpfile.log", g->outdir);
	uint8_t *kd, *re;
	size_t kd_len, re_len;
	int saved = dup(2), fd;

	unlink(kdump_path);
	unlink(flat_path);
	/* makedumpfile chatters on stderr (progress, "kernel version is
	 * not supported" for synthetic releases): keep it in a log. */
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		dup2(fd, 2);
		close(fd);
	}
	if (run_cmd(kd_argv, NULL)) {
		dup2(saved, 2);
		fatal("makedumpfile -c failed (see %s); writing the kdump "
		      "format without makedumpfile is not implemented", log);
	}
	if (run_cmd(flat_argv, flat_path)) {
		dup2(saved, 2);
		fatal("makedumpfile -F failed (see %s)", log);
	}
	dup2(saved, 2);
	close(saved);

	kd = read_file(kdump_path, &kd_len);
	re = flat_reassemble(flat_path, &re_len);
	if (kd_len != re_len || memcmp(kd, re, kd_len))
		fatal("%s does not reassemble to %s (%zu vs %zu bytes)",
		      flat_path, kdump_path, re_len, kd_len);
	printf("kdump: %s and %s written; flattened records reassemble to "
	       "the kdump file byte for byte (%zu bytes)\n", kdump_path,
	       flat_path, kd_len);
	unlink(log);
	free(kd);
	free(re);
	free(log);
}
