/* The kernel's symbol table as /proc/kallsyms gives it (src/kallsyms.c,
 * kallsyms_from_file), then the lookups the session makes.
 * Not yet here: the dump's compressed table (kallsyms_from_dump), which
 * reads through a target; the seeds ending in -table (VMCOREINFO, a NUL,
 * kernel memory at 0xffffffff82000000, made by seeds.py) are for when its
 * decoding takes a reader callback. Inputs with a NUL are passed over. */
#include <string.h>

#include "fuzz.h"
#include "kallsyms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kallsyms ks;
	struct ps_err err;
	uint64_t addr;
	char path[64];
	int fd;

	if (memchr(data, '\0', size))
		return 0;
	fd = fuzz_memfd(data, size, path, sizeof(path));
	if (fd < 0)
		return 0;
	if (!kallsyms_from_file(&ks, path, &err)) {
		kallsyms_lookup(&ks, "init_task", &addr);
		kallsyms_lookup(&ks, "__start_BTF", &addr);
		kallsyms_lookup(&ks, "", &addr);
		kallsyms_free(&ks);
	}
	close(fd);
	return 0;
}
