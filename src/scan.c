#include <stdlib.h>

#include "audit.h"
#include "checks.h"
#include "decode.h"
#include "scan.h"

static void scan_batch(struct memmap *mm, struct report *r, struct audit *a,
		       const uint8_t *buf, const uint64_t *missing,
		       uint64_t first_pfn, uint32_t count)
{
	const struct page_layout *pl = mm->pl;
	uint32_t i;

	for (i = 0; i < count; i++) {
		struct page_state ps;

		if (missing[i / 64] & (1ull << (i % 64))) {
			report_missing(r, first_pfn + i);
			if (a)
				audit_missing(a, first_pfn + i);
			continue;
		}
		page_decode(pl, buf + (uint64_t)i * pl->struct_page_size,
			    count - i, first_pfn + i, &ps);
		report_page(r, &ps);
		checks_page(pl, &ps, report_finding, r);
		if (a)
			audit_page(a, &ps);
	}
}

enum ps_status scan_all(struct memmap *mm, struct report *r, bool audit,
			scan_progress_fn progress, void *arg,
			struct ps_err *err)
{
	struct audit a;
	uint64_t pps = mm->pages_per_section, s;
	uint8_t *buf = malloc(pps * mm->pl->struct_page_size);
	uint64_t *missing = malloc(((pps + 63) / 64) * sizeof(*missing));
	enum ps_status st = PS_OK;

	if (!buf || !missing) {
		free(buf);
		free(missing);
		return ps_fail(err, PS_ERR_NOMEM, "out of memory");
	}
	if (audit && audit_init(&a, mm, report_finding, r, err)) {
		audit_free(&a);
		free(buf);
		free(missing);
		return err->status;
	}
	r->sum.sections = mm->nr_sections;
	for (s = 0; s < mm->nr_sections; s++) {
		const struct mm_section *sec = &mm->sections[s];
		uint32_t nr_missing;

		st = memmap_read(mm, sec, sec->start_pfn, (uint32_t)pps, buf,
				 missing, &nr_missing, err);
		if (st)
			break;
		scan_batch(mm, r, audit ? &a : NULL, buf, missing,
			   sec->start_pfn, (uint32_t)pps);
		if (progress && !progress(arg, (s + 1) * pps,
					  mm->nr_sections * pps)) {
			st = ps_fail(err, PS_CANCELLED, "scan cancelled");
			break;
		}
	}
	free(buf);
	free(missing);
	if (audit) {
		if (!st)
			st = audit_finish(&a, err);
		if (!st)
			report_take_lists(r, &a);
		audit_free(&a);
	}
	return st;
}
