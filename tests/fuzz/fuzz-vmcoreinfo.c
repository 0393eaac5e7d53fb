/* VMCOREINFO text as a dump's note, --vmcoreinfo or /sys/kernel/vmcoreinfo
 * gives it: the parser (src/vmcoreinfo.c), the plausibility checks
 * (layout_check_vmcoreinfo_values) and, when they pass, the layout built
 * from VMCOREINFO alone and its validation, as session.c runs them. */
#include <string.h>

#include "fuzz.h"
#include "layout.h"
#include "vmcoreinfo.h"

/* Every kind of lookup the stages make, on names they use. */
static void lookups(const struct vmcoreinfo *vi)
{
	static const char *const names[] = {
		"page", "page.flags", "mem_section", "PAGESIZE",
		"SECTION_SIZE_BITS", "MAX_PHYSMEM_BITS", "PG_lru",
		"init_uts_ns", "kallsyms_names", "node_data",
	};
	char buf[256], key[64];
	size_t i, pos = 0, keys = 0;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int64_t v;
		uint64_t u;

		vmcoreinfo_number(vi, names[i], &v);
		vmcoreinfo_symbol(vi, names[i], &u);
		vmcoreinfo_offset(vi, names[i], &v);
		vmcoreinfo_size(vi, names[i], &v);
		vmcoreinfo_length(vi, names[i], &v);
		vmcoreinfo_hex(vi, names[i], &u);
		vmcoreinfo_get(vi, names[i], buf, sizeof(buf));
	}
	vmcoreinfo_get(vi, "OSRELEASE", buf, 1);
	/* Each key consumes at least a byte of text: the walk ends. */
	while (vmcoreinfo_next_key(vi, &pos, key, sizeof(key)))
		if (++keys > strlen(vi->text) + 1)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vmcoreinfo vi = { 0 };
	struct page_layout pl;
	struct ps_err err;

	if (vmcoreinfo_set(&vi, (const char *)data, size))
		return 0;
	lookups(&vi);
	if (!layout_check_vmcoreinfo_values(&vi, "fuzz-vmcoreinfo", &err)) {
		layout_init(&pl);
		if (!layout_from_vmcoreinfo(&pl, &vi, &err)) {
			layout_apply_vmcoreinfo(&pl, &vi);
			if (!layout_validate(&pl, "fuzz-vmcoreinfo", &err))
				layout_check_vmcoreinfo(&pl, &vi, &err);
		}
	}
	vmcoreinfo_free(&vi);
	return 0;
}
