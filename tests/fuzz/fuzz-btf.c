/* The kernel's BTF (src/btf_layout.c through libbpf's btf__new): any
 * bytes as the .BTF section of a dump or /sys/kernel/btf/vmlinux, the
 * layout decided from what it describes, completed with a synthetic 6.1
 * kernel's VMCOREINFO and validated, as session.c does. libbpf itself is
 * not instrumented: its own reads are checked only where they crash. */
#include <string.h>

#include "fuzz.h"
#include "layout.h"
#include "vmcoreinfo.h"

#ifndef FUZZ_DATA_DIR
#define FUZZ_DATA_DIR "tests/fuzz"
#endif

/* The VMCOREINFO the layout is completed with: the 6.1 seed's. */
static const struct vmcoreinfo *kernel_vmcoreinfo(void)
{
	static struct vmcoreinfo vi;
	static char text[65536];

	if (!vi.text) {
		FILE *f = fopen(FUZZ_DATA_DIR "/vmcoreinfo/6.1", "r");
		size_t n;

		if (!f) {
			perror(FUZZ_DATA_DIR "/vmcoreinfo/6.1");
			abort();
		}
		n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
		if (vmcoreinfo_set(&vi, text, n))
			abort();
	}
	return &vi;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct vmcoreinfo *vi = kernel_vmcoreinfo();
	struct page_layout pl;
	struct ps_err err;

	if (layout_from_btf(&pl, data, size, "fuzz-btf", "6.1.0-synthetic",
			    &err))
		return 0;
	layout_apply_vmcoreinfo(&pl, vi);
	if (!layout_validate(&pl, "fuzz-btf", &err))
		layout_check_vmcoreinfo(&pl, vi, &err);
	return 0;
}
