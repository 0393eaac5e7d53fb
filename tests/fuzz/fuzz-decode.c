/* Page decode and the per-page rules (src/decode.c, src/checks.c) on any
 * struct page bytes under any layout a layout file can describe. Input:
 * a layout file's text, a NUL, then raw struct pages. A layout that
 * layout_validate refuses is never used, as in session.c; one it accepts
 * must decode every bit pattern without undefined behaviour. */
#include <string.h>

#include "checks.h"
#include "decode.h"
#include "fuzz.h"
#include "layout.h"
#include "layout_file.h"

static void no_op(void *arg, const struct finding *f)
{
	(void)arg;
	(void)f;
}

/* What decode promises whatever the bytes (the report trusts it). */
static void check_state(const struct page_state *ps)
{
	if (ps->head && ps->order > MAX_SANE_ORDER)
		abort();
	if (ps->bad_order && ps->order)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	struct page_layout pl;
	char path[64], build_id[129];
	struct ps_err err;
	size_t text_len, nr, i;
	const uint8_t *raw;
	int fd;

	if (!nul)
		return 0;
	text_len = (size_t)(nul - data);
	fd = fuzz_memfd(data, text_len, path, sizeof(path));
	if (fd < 0)
		return 0;
	if (layout_file_read(&pl, path, build_id, sizeof(build_id), &err) ||
	    layout_validate(&pl, path, &err)) {
		close(fd);
		return 0;
	}
	close(fd);
	raw = nul + 1;
	nr = (size - text_len - 1) / pl.struct_page_size;
	/* A copy of exactly the pages, so that ASan sees a read past them. */
	if (nr) {
		uint8_t *pages = malloc(nr * pl.struct_page_size);

		if (!pages)
			return 0;
		memcpy(pages, raw, nr * pl.struct_page_size);
		for (i = 0; i < nr; i++) {
			struct page_state ps;

			page_decode(&pl, pages + i * pl.struct_page_size,
				    nr - i, i, &ps);
			check_state(&ps);
			checks_page(&pl, &ps, no_op, NULL);
			pin_how_name(&pl, ps.pin_how);
			pin_confidence_name(ps.pin_confidence);
		}
		free(pages);
	}
	return 0;
}
