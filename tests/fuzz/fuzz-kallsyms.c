/* The kernel's symbol table, where no vmlinux is at hand (src/kallsyms.c).
 * Input with a NUL: VMCOREINFO text (its SYMBOL(kallsyms_*) lines locate
 * the tables), a NUL, then kernel memory from KALLSYMS_FUZZ_BASE on, which
 * kallsyms_decode reads as it reads a dump. Input without one: a
 * /proc/kallsyms text, read by kallsyms_from_file. */
#include <string.h>

#include "fuzz.h"
#include "kallsyms.h"
#include "vmcoreinfo.h"

/* Where the input's memory lies (seeds.py kallsyms writes tables there). */
#define KALLSYMS_FUZZ_BASE 0xffffffff82000000ull

struct image {
	const uint8_t *bytes;
	size_t size;
};

static enum ps_status read_image(void *arg, uint64_t addr, void *buf,
				 size_t len, struct ps_err *err)
{
	const struct image *im = arg;
	uint64_t off = addr - KALLSYMS_FUZZ_BASE;

	if (addr < KALLSYMS_FUZZ_BASE || off > im->size ||
	    len > im->size - off)
		return ps_fail(err, PS_ERR_NODATA, "%#llx: not in the image",
			       (unsigned long long)addr);
	memcpy(buf, im->bytes + off, len);
	return PS_OK;
}

static void lookups(const struct kallsyms *ks)
{
	uint64_t addr;

	kallsyms_lookup(ks, "init_task", &addr);
	kallsyms_lookup(ks, "__start_BTF", &addr);
	kallsyms_lookup(ks, "", &addr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	struct kallsyms ks;
	struct ps_err err;

	if (!nul) {
		char path[64];
		int fd = fuzz_memfd(data, size, path, sizeof(path));

		if (fd < 0)
			return 0;
		if (!kallsyms_from_file(&ks, path, &err)) {
			lookups(&ks);
			kallsyms_free(&ks);
		}
		close(fd);
	} else {
		struct vmcoreinfo vi = { 0 };
		/* A copy of exactly the image, so that ASan sees a read
		 * past it. */
		struct image im = { NULL, size - (size_t)(nul - data) - 1 };
		uint8_t *copy = malloc(im.size + 1);

		if (!copy)
			return 0;
		memcpy(copy, nul + 1, im.size);
		im.bytes = copy;
		if (!vmcoreinfo_set(&vi, (const char *)data,
				    (size_t)(nul - data))) {
			if (!kallsyms_decode(&ks, "fuzz-kallsyms", &vi,
					     read_image, &im, &err)) {
				lookups(&ks);
				kallsyms_free(&ks);
			}
			vmcoreinfo_free(&vi);
		}
		free(copy);
	}
	return 0;
}
