/* What the libFuzzer harnesses share: the input as a file that pinscan
 * opens by name, as it opens a user's (a memfd, /proc/self/fd/N), and a
 * sink for what the code under test prints. */
#ifndef PINSCAN_FUZZ_H
#define PINSCAN_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A memfd holding data; its name for open() in path. -1 when the kernel
 * refuses (then the harness skips the input: nothing to test). */
static inline int fuzz_memfd(const void *data, size_t size, char *path,
			     size_t pathsz)
{
	const char *p = data;
	int fd = memfd_create("pinscan-fuzz", MFD_CLOEXEC);

	if (fd < 0)
		return -1;
	while (size) {
		ssize_t n = write(fd, p, size);

		if (n <= 0) {
			close(fd);
			return -1;
		}
		p += n;
		size -= (size_t)n;
	}
	snprintf(path, pathsz, "/proc/self/fd/%d", fd);
	return fd;
}

/* Where reports are printed: written, then thrown away. */
static inline FILE *fuzz_sink(void)
{
	static FILE *sink;

	if (!sink)
		sink = fopen("/dev/null", "w");
	if (!sink)
		abort();
	return sink;
}

#endif
