/* makedumpfile's flattened format (src/flattened.c): detection and
 * reassembly of any byte stream, then the reassembled copy through the
 * header checks made before libkdumpfile sees a file (src/dump_guard.c),
 * as target_open does. The input itself goes through dump_guard too: it
 * may be an ELF or kdump file, not a flattened one. */
#include <stdlib.h>

#include "dump_guard.h"
#include "error.h"
#include "flattened.h"
#include "fuzz.h"

static void guard(int fd, const char *what)
{
	struct ps_warnings w = { 0 };
	struct dump_damage damage = { 0 };
	struct ps_err err;

	dump_guard(fd, what, &w, &damage, &err);
	free(damage.ranges);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int once;
	char path[64];
	struct ps_err err;
	int fd, out;

	/* The reassembled copy is a temporary file: keep it in memory. */
	if (!once++ && !getenv("TMPDIR"))
		setenv("TMPDIR", "/dev/shm", 1);
	fd = fuzz_memfd(data, size, path, sizeof(path));
	if (fd < 0)
		return 0;
	guard(fd, path);
	if (flattened_detect(fd) &&
	    !flattened_reassemble(fd, path, &out, &err)) {
		guard(out, "reassembled");
		close(out);
	}
	close(fd);
	return 0;
}
