#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmcoreinfo.h"

int vmcoreinfo_set(struct vmcoreinfo *vi, const char *text, size_t len)
{
	free(vi->text);
	vi->text = malloc(len + 2);
	if (!vi->text)
		return -1;
	memcpy(vi->text, text ? text : "", text ? len : 0);
	if (!text)
		len = 0;
	/* Notes are padded with NULs; stop at the first one. */
	vi->text[len] = '\0';
	len = strlen(vi->text);
	if (len && vi->text[len - 1] != '\n')
		vi->text[len++] = '\n';
	vi->text[len] = '\0';
	return 0;
}

void vmcoreinfo_free(struct vmcoreinfo *vi)
{
	free(vi->text);
	vi->text = NULL;
}

/* Find "KEY=" at the start of a line; return a pointer to the value. */
static const char *find_value(const struct vmcoreinfo *vi, const char *key)
{
	size_t klen = strlen(key);
	const char *line = vi->text;

	while (line && *line) {
		if (!strncmp(line, key, klen) && line[klen] == '=')
			return line + klen + 1;
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return NULL;
}

bool vmcoreinfo_get(const struct vmcoreinfo *vi, const char *key,
		    char *buf, size_t bufsz)
{
	const char *val = vi->text ? find_value(vi, key) : NULL;
	size_t len;

	if (!val)
		return false;
	len = strcspn(val, "\n");
	if (len >= bufsz)
		len = bufsz - 1;
	memcpy(buf, val, len);
	buf[len] = '\0';
	return true;
}

static bool get_int(const struct vmcoreinfo *vi, const char *kind,
		    const char *name, int base, int64_t *sval, uint64_t *uval)
{
	char key[256], buf[64], *end;

	snprintf(key, sizeof(key), "%s(%s)", kind, name);
	if (!vmcoreinfo_get(vi, kind[0] ? key : name, buf, sizeof(buf)))
		return false;
	if (sval) {
		*sval = strtoll(buf, &end, base);
	} else {
		*uval = strtoull(buf, &end, base);
	}
	return end != buf;
}

bool vmcoreinfo_number(const struct vmcoreinfo *vi, const char *name,
		       int64_t *val)
{
	return get_int(vi, "NUMBER", name, 0, val, NULL);
}

bool vmcoreinfo_symbol(const struct vmcoreinfo *vi, const char *name,
		       uint64_t *val)
{
	return get_int(vi, "SYMBOL", name, 16, NULL, val);
}

bool vmcoreinfo_offset(const struct vmcoreinfo *vi, const char *name,
		       int64_t *val)
{
	return get_int(vi, "OFFSET", name, 10, val, NULL);
}

bool vmcoreinfo_size(const struct vmcoreinfo *vi, const char *name,
		     int64_t *val)
{
	return get_int(vi, "SIZE", name, 10, val, NULL);
}

bool vmcoreinfo_length(const struct vmcoreinfo *vi, const char *name,
		       int64_t *val)
{
	return get_int(vi, "LENGTH", name, 10, val, NULL);
}

bool vmcoreinfo_hex(const struct vmcoreinfo *vi, const char *key,
		    uint64_t *val)
{
	return get_int(vi, "", key, 16, NULL, val);
}

bool vmcoreinfo_next_key(const struct vmcoreinfo *vi, size_t *pos,
			 char *key, size_t keysz)
{
	const char *text = vi->text ? vi->text : "";
	size_t len = strlen(text);

	while (*pos < len) {
		const char *line = text + *pos;
		size_t line_len = strcspn(line, "\n");
		size_t key_len = strcspn(line, "=\n");

		*pos += line_len + (line[line_len] == '\n');
		if (key_len >= line_len || key_len >= keysz)
			continue;	/* no '=', or a key too long to be ours */
		memcpy(key, line, key_len);
		key[key_len] = '\0';
		return true;
	}
	return false;
}
