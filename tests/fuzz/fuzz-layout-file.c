/* A layout file (--layout) as a user may hand it over: read
 * (src/layout_file.c), validated as session.c does, and, when it reads,
 * written back and read again: the second writing must equal the first
 * (nothing read is lost or changed by a round trip). The source line is
 * left out of the comparison: reading appends "(saved in FILE)" to it. */
#include <stdbool.h>
#include <string.h>

#include "fuzz.h"
#include "layout.h"
#include "layout_file.h"

/* The text layout_file_write gives for pl (malloc'd, *len bytes). */
static char *written(const struct page_layout *pl, const char *build_id,
		     size_t *len)
{
	char *text = NULL;
	FILE *out = open_memstream(&text, len);

	if (!out)
		abort();
	if (layout_file_write(pl, build_id, out))
		abort();
	if (fclose(out))
		abort();
	return text;
}

static void round_trip(const struct page_layout *read, const char *build_id)
{
	struct page_layout again, copy = *read, *pl = &copy;
	char path[64], id2[129];
	struct ps_err err;
	size_t len1, len2;
	char *text1, *text2;
	int fd;

	copy.source[0] = '\0';
	text1 = written(pl, build_id, &len1);
	fd = fuzz_memfd(text1, len1, path, sizeof(path));
	if (fd < 0) {
		free(text1);
		return;
	}
	if (layout_file_read(&again, path, id2, sizeof(id2), &err)) {
		fprintf(stderr, "a written layout does not read back: %s\n%s",
			err.msg, text1);
		abort();
	}
	close(fd);
	again.source[0] = '\0';
	text2 = written(&again, id2, &len2);
	if (len1 != len2 || memcmp(text1, text2, len1)) {
		fprintf(stderr, "round trip changed the layout:\n%s---\n%s",
			text1, text2);
		abort();
	}
	free(text1);
	free(text2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct page_layout pl;
	char path[64], build_id[129];
	struct ps_err err;
	int fd = fuzz_memfd(data, size, path, sizeof(path));

	if (fd < 0)
		return 0;
	if (!layout_file_read(&pl, path, build_id, sizeof(build_id), &err)) {
		layout_validate(&pl, path, &err);
		round_trip(&pl, build_id);
	}
	close(fd);
	return 0;
}
