#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "layout_cache.h"
#include "layout_file.h"

/* An entry is a few kilobytes; anything much larger is not one. */
#define MAX_ENTRY_SIZE (1u << 20)
#define CHECKSUM_KEY "cache-checksum "

/* XDG Base Directory: XDG_CACHE_HOME when it is an absolute path (a
 * relative one is to be ignored), else ~/.cache. */
static bool cache_base(char *buf, size_t size)
{
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	int n;

	if (xdg && xdg[0] == '/')
		n = snprintf(buf, size, "%s/pinscan/layouts", xdg);
	else if (home && home[0] == '/')
		n = snprintf(buf, size, "%s/.cache/pinscan/layouts", home);
	else
		return false;
	return n > 0 && (size_t)n < size;
}

void layout_cache_init(struct layout_cache *c, bool disabled,
		       const char *build_id, const char *release)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->build_id, sizeof(c->build_id), "%s", build_id ? build_id : "");
	snprintf(c->release, sizeof(c->release), "%s", release ? release : "");
	if (disabled || (!c->build_id[0] && !c->release[0]) ||
	    !cache_base(c->dir, sizeof(c->dir)))
		c->dir[0] = '\0';
}

/* The name says which kernel and which source: <build-id>-dwarf.layout,
 * or release-<release>-btf.layout for a kernel without a build-id. */
void layout_cache_path(const struct layout_cache *c, enum layout_kind kind,
		       char *path, size_t size)
{
	char release[sizeof(c->release)];
	size_t i;

	if (c->build_id[0]) {
		snprintf(path, size, "%s/%s-%s.layout", c->dir, c->build_id,
			 layout_kind_name(kind));
		return;
	}
	/* A release is a file name once nothing in it can leave the
	 * directory. */
	for (i = 0; c->release[i]; i++)
		release[i] = strchr("/\\ \t", c->release[i]) ? '_' : c->release[i];
	release[i] = '\0';
	snprintf(path, size, "%s/release-%s-%s.layout", c->dir, release,
		 layout_kind_name(kind));
}

/* What makes an entry this pinscan's: a pinscan of another version may
 * derive the same kernel's layout differently (a fix in layout.c), one
 * with other keys would leave new members at their defaults. */
static void writer_line(char *buf, size_t size)
{
	snprintf(buf, size, "cache-writer " PACKAGE_STRING " keys %016" PRIx64,
		 layout_file_keys_fingerprint());
}

/* The whole entry, or NULL with why in msg (silent for "no entry"). */
static char *read_entry(const char *path, size_t *len, char *msg,
			size_t msgsz)
{
	FILE *in = fopen(path, "r");
	char *buf;

	msg[0] = '\0';
	if (!in) {
		if (errno != ENOENT)
			snprintf(msg, msgsz, "%s", strerror(errno));
		return NULL;
	}
	buf = malloc(MAX_ENTRY_SIZE + 1);
	if (!buf) {
		fclose(in);
		snprintf(msg, msgsz, "out of memory");
		return NULL;
	}
	*len = fread(buf, 1, MAX_ENTRY_SIZE + 1, in);
	if (ferror(in) || *len > MAX_ENTRY_SIZE) {
		snprintf(msg, msgsz, ferror(in) ? "read error" :
			 "larger than any layout");
		free(buf);
		buf = NULL;
	} else {
		buf[*len] = '\0';
	}
	fclose(in);
	return buf;
}

/* The entry's own lines, checked before the layout in it is read:
 * format version, checksum over everything above the last line, the
 * source and the pinscan that wrote it. On success *len is the length
 * without the checksum line. */
static bool entry_valid(char *buf, size_t *len, enum layout_kind kind,
			char *msg, size_t msgsz)
{
	char want[160], line[128];
	const char *last, *p;
	uint64_t sum;
	int version;

	if (sscanf(buf, LAYOUT_FILE_MAGIC " %d", &version) != 1) {
		snprintf(msg, msgsz, "not a pinscan layout file");
		return false;
	}
	if (version != LAYOUT_FILE_VERSION) {
		snprintf(msg, msgsz, "layout file version %d, this pinscan reads %d",
			 version, LAYOUT_FILE_VERSION);
		return false;
	}
	/* The checksum line is the last one, and complete. */
	if (*len < 2 || buf[*len - 1] != '\n' || strlen(buf) != *len) {
		snprintf(msg, msgsz, "cut short or not text (no checksum line)");
		return false;
	}
	for (last = buf + *len - 1; last > buf && last[-1] != '\n'; last--)
		;
	if (strncmp(last, CHECKSUM_KEY, strlen(CHECKSUM_KEY)) ||
	    sscanf(last + strlen(CHECKSUM_KEY), "%" SCNx64, &sum) != 1) {
		snprintf(msg, msgsz, "cut short (no checksum line)");
		return false;
	}
	*len = (size_t)(last - buf);
	if (sum != layout_file_fnv1a(LAYOUT_FILE_FNV_START, buf, *len)) {
		snprintf(msg, msgsz, "checksum does not match its contents (corrupt)");
		return false;
	}
	snprintf(want, sizeof(want), "\ncache-kind %s\n", layout_kind_name(kind));
	if (!strstr(buf, want)) {
		snprintf(msg, msgsz, "not a layout from %s", layout_kind_name(kind));
		return false;
	}
	writer_line(line, sizeof(line));
	snprintf(want, sizeof(want), "\n%s\n", line);
	if (!strstr(buf, want)) {
		p = strstr(buf, "\ncache-writer ");
		snprintf(msg, msgsz, "stale: written by %.60s, this is %s",
			 p ? p + strlen("\ncache-writer ") : "an unknown pinscan",
			 line + strlen("cache-writer "));
		*strchrnul(msg, '\n') = '\0';
		return false;
	}
	return true;
}

bool layout_cache_load(const struct layout_cache *c, enum layout_kind kind,
		       struct page_layout *pl, struct ps_warnings *w)
{
	char path[PATH_MAX + 64], msg[PS_WARNING_LEN / 2], build_id[129];
	struct ps_err err = { 0 };
	size_t len = 0;
	char *buf;
	FILE *in;

	if (!c->dir[0])
		return false;
	layout_cache_path(c, kind, path, sizeof(path));
	buf = read_entry(path, &len, msg, sizeof(msg));
	if (buf && !entry_valid(buf, &len, kind, msg, sizeof(msg))) {
		free(buf);
		buf = NULL;
	}
	if (!buf) {
		if (msg[0])
			ps_warn(w, "layout cache %s: %s: ignored", path, msg);
		return false;
	}
	in = fmemopen(buf, len, "r");
	if (!in)
		ps_fail(&err, PS_ERR_NOMEM, "out of memory");
	else if (!layout_file_parse(pl, in, path, "cached in", build_id,
				    sizeof(build_id), &err)) {
		/* The name is only a name: the kernel is the one inside. */
		if (strcasecmp(build_id, c->build_id))
			ps_fail(&err, PS_ERR_MISMATCH,
				"made for build-id %s, not %s",
				build_id[0] ? build_id : "none",
				c->build_id[0] ? c->build_id : "none");
		else if (!c->build_id[0] && strcmp(pl->release, c->release))
			ps_fail(&err, PS_ERR_MISMATCH,
				"made for release %s, not %s", pl->release,
				c->release);
	}
	if (in)
		fclose(in);
	free(buf);
	if (err.status) {
		ps_warn(w, "layout cache %s: %s: ignored", path, err.msg);
		return false;
	}
	pl->kind = kind;
	pl->cached = true;
	return true;
}

/* The entry's text: the layout file, the cache's own lines, and a
 * checksum over all of it. */
static char *entry_text(const struct layout_cache *c,
			const struct page_layout *pl, size_t *len)
{
	char *buf = NULL, line[128];
	size_t size = 0;
	FILE *mem = open_memstream(&buf, &size);
	bool bad;

	if (!mem)
		return NULL;
	writer_line(line, sizeof(line));
	bad = layout_file_write(pl, c->build_id, mem) != PS_OK;
	fprintf(mem, "cache-kind %s\n%s\n", layout_kind_name(pl->kind), line);
	bad |= fflush(mem) != 0;
	if (!bad)
		fprintf(mem, CHECKSUM_KEY "%016" PRIx64 "\n",
			layout_file_fnv1a(LAYOUT_FILE_FNV_START, buf, size));
	bad |= ferror(mem) != 0;
	if (fclose(mem) || bad) {
		free(buf);
		return NULL;
	}
	*len = size;
	return buf;
}

/* mkdir -p, private to the user: layouts are no secret, but nobody else
 * should be able to put one there. */
static bool make_dirs(char *dir)
{
	char *p;

	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) && errno != EEXIST) {
			*p = '/';
			return false;
		}
		*p = '/';
	}
	return !mkdir(dir, 0700) || errno == EEXIST;
}

void layout_cache_store(const struct layout_cache *c,
			const struct page_layout *pl, struct ps_warnings *w)
{
	char path[PATH_MAX + 64], tmp[PATH_MAX + 80], dir[PATH_MAX];
	const char *why = NULL;
	size_t len = 0;
	char *text;
	int fd;
	FILE *out;

	if (!c->dir[0] || (pl->kind != LAYOUT_DWARF && pl->kind != LAYOUT_BTF))
		return;
	layout_cache_path(c, pl->kind, path, sizeof(path));
	snprintf(dir, sizeof(dir), "%s", c->dir);
	snprintf(tmp, sizeof(tmp), "%s.new.XXXXXX", path);
	text = entry_text(c, pl, &len);
	if (!text) {
		ps_warn(w, "layout cache %s: out of memory: not saved", path);
		return;
	}
	if (!make_dirs(dir) || (fd = mkstemp(tmp)) < 0) {
		ps_warn(w, "layout cache %s: %s: not saved", path, strerror(errno));
		free(text);
		return;
	}
	out = fdopen(fd, "w");
	if (!out) {
		why = strerror(errno);
		close(fd);
	} else if (fwrite(text, 1, len, out) != len || fflush(out)) {
		why = strerror(errno);
		fclose(out);
	} else if (fclose(out)) {
		why = strerror(errno);
	} else if (rename(tmp, path)) {
		why = strerror(errno);
	}
	if (why) {
		unlink(tmp);
		ps_warn(w, "layout cache %s: %s: not saved", path, why);
	}
	free(text);
}
