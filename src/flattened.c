#include <endian.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "flattened.h"

/* From makedumpfile.h: a 4096-byte header starting with the signature,
 * then records of two big-endian int64s (offset, size) and the data, ended
 * by a record whose offset is -1. */
#define FLAT_SIGNATURE		"makedumpfile"
#define FLAT_HEADER_SIZE	4096
#define FLAT_TYPE		1
#define FLAT_END		(-1)
#define FLAT_MAX_RECORD		(1LL << 30)

struct flat_header {
	char signature[16];
	int64_t type;
	int64_t version;
};

struct flat_record {
	int64_t offset;
	int64_t size;
};

bool flattened_detect(int fd)
{
	struct flat_header h;

	if (pread(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h))
		return false;
	return !memcmp(h.signature, FLAT_SIGNATURE, sizeof(FLAT_SIGNATURE)) &&
	       (int64_t)be64toh(h.type) == FLAT_TYPE;
}

static int make_temp_file(void)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/pinscan-flat-XXXXXX",
		 dir && *dir ? dir : "/tmp");
	fd = mkstemp(path);
	if (fd >= 0)
		unlink(path);	/* lives as long as the descriptor */
	return fd;
}

static enum ps_status copy_record(int in_fd, off_t in_pos, int out_fd,
				  int64_t offset, int64_t size, char *buf,
				  size_t bufsz, const char *path,
				  struct ps_err *err)
{
	while (size > 0) {
		size_t chunk = size < (int64_t)bufsz ? (size_t)size : bufsz;
		ssize_t n = pread(in_fd, buf, chunk, in_pos);

		if (n <= 0)
			return ps_fail(err, PS_ERR_FORMAT,
				       "%s: flattened dump is truncated at offset %lld",
				       path, (long long)in_pos);
		if (pwrite(out_fd, buf, n, offset) != n)
			return ps_fail(err, PS_ERR_IO,
				       "writing the reassembled copy of %s: %s",
				       path, strerror(errno));
		in_pos += n;
		offset += n;
		size -= n;
	}
	return PS_OK;
}

enum ps_status flattened_reassemble(int in_fd, const char *path, int *out_fd,
				    struct ps_err *err)
{
	enum ps_status st = PS_OK;
	size_t bufsz = 1 << 20;
	off_t pos = FLAT_HEADER_SIZE;
	struct stat sb;
	char *buf;
	int fd;

	if (fstat(in_fd, &sb))
		return ps_fail(err, PS_ERR_IO, "%s: %s", path, strerror(errno));
	fd = make_temp_file();
	if (fd < 0)
		return ps_fail(err, PS_ERR_IO,
			       "cannot create a temporary file to reassemble %s: %s",
			       path, strerror(errno));
	buf = malloc(bufsz);
	if (!buf) {
		close(fd);
		return ps_fail(err, PS_ERR_NOMEM, "out of memory");
	}
	/* Each record consumes at least its header, so the file size
	 * bounds the loop. */
	for (;;) {
		struct flat_record rec;
		int64_t offset, size;

		if (pread(in_fd, &rec, sizeof(rec), pos) != (ssize_t)sizeof(rec)) {
			st = ps_fail(err, PS_ERR_FORMAT,
				     "%s: flattened dump ends at offset %lld without its end marker",
				     path, (long long)pos);
			break;
		}
		pos += sizeof(rec);
		offset = (int64_t)be64toh(rec.offset);
		size = (int64_t)be64toh(rec.size);
		if (offset == FLAT_END)
			break;
		if (offset < 0 || size < 0 || size > FLAT_MAX_RECORD ||
		    pos + size > sb.st_size) {
			st = ps_fail(err, PS_ERR_FORMAT,
				     "%s: bad flattened record at offset %lld (offset %lld, size %lld)",
				     path, (long long)(pos - sizeof(rec)),
				     (long long)offset, (long long)size);
			break;
		}
		st = copy_record(in_fd, pos, fd, offset, size, buf, bufsz,
				 path, err);
		if (st)
			break;
		pos += size;
	}
	free(buf);
	if (st) {
		close(fd);
		return st;
	}
	*out_fd = fd;
	return PS_OK;
}
