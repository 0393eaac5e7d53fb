/* The whole analysis of a dump file whose bytes the fuzzer mutates: the
 * input, held in a memfd, is opened by name as `pinscan scan` opens a
 * dump (src/analysis.c: dump_guard, libkdumpfile, the layout, mem_section,
 * every struct page decoded and audited), and the report is printed as
 * text and JSON. The seed is a small synthetic kdump-compressed dump.
 * Inputs of even length are scanned with the seed's layout file
 * (tests/fuzz/scan.layout, the full DWARF layout: audit, zones, pins of
 * large folios); odd ones with what VMCOREINFO alone gives (and, before
 * that, the kernel's BTF and kallsyms when the dump holds them). */
#include <string.h>

#include "analysis.h"
#include "fuzz.h"
#include "report.h"

#ifndef FUZZ_DATA_DIR
#define FUZZ_DATA_DIR "tests/fuzz"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* One thread: the fuzzer's process is its unit of work. */
	const struct scan_params params = { .audit = true, .threads = 1 };
	struct session_opts o;
	struct analysis a;
	struct ps_err err;
	char path[64];
	int fd = fuzz_memfd(data, size, path, sizeof(path));

	if (fd < 0)
		return 0;
	memset(&o, 0, sizeof(o));
	o.dump = path;
	if (!(size & 1))
		o.layout = getenv("PINSCAN_FUZZ_LAYOUT") ?
			getenv("PINSCAN_FUZZ_LAYOUT") :
			FUZZ_DATA_DIR "/scan.layout";
	if (!analysis_run(&a, &o, &params, &err)) {
		report_print_text(&a.r, fuzz_sink());
		report_print_json(&a.r, fuzz_sink());
	}
	analysis_free(&a);
	close(fd);
	return 0;
}
