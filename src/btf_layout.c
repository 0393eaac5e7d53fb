#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "btf_layout.h"

/* Debian 6.12's BTF is 6 MiB; a bound keeps a corrupt __stop_BTF from
 * asking for gigabytes. */
#define BTF_MAX_BYTES (256u << 20)

/* The same bound as the DWARF walk: struct page nests anonymous
 * structs and unions 4 deep at most. */
#define MAX_NESTING 8

static const char *type_name(const struct btf *btf, const struct btf_type *t)
{
	const char *name = btf__name_by_offset(btf, t->name_off);

	return name && *name ? name : NULL;
}

/* The type behind typedefs and const/volatile, or NULL. */
static const struct btf_type *strip(const struct btf *btf, uint32_t id,
				    uint32_t *stripped_id)
{
	int resolved = btf__resolve_type(btf, id);

	if (resolved < 0)
		return NULL;
	if (stripped_id)
		*stripped_id = (uint32_t)resolved;
	return btf__type_by_id(btf, (uint32_t)resolved);
}

/* A member's size in bytes, as the DWARF path records it: the size of
 * its type, and 0 for an array (GCC gives array types no byte size, and
 * no layout decision reads the size of an array member). */
static uint32_t member_size(const struct btf *btf, uint32_t type_id)
{
	const struct btf_type *t = strip(btf, type_id, NULL);
	__s64 size;

	if (!t || btf_is_array(t))
		return 0;
	size = btf__resolve_size(btf, type_id);
	return size > 0 && size < (1 << 30) ? (uint32_t)size : 0;
}

/* Flatten a struct or union: named members at their absolute byte
 * offset (a bitfield at the byte holding its first bit), anonymous ones
 * descended into. `group` is the type id of the innermost anonymous
 * struct, which tells the tail page a union member belongs to. */
static void walk_members(const struct btf *btf, const struct btf_type *t,
			 uint32_t base, uint64_t group, struct dw_struct *out,
			 int depth, const char *prefix, int nest)
{
	const struct btf_member *m = btf_members(t);
	unsigned i, vlen = btf_vlen(t);

	if (depth > MAX_NESTING)
		return;
	for (i = 0; i < vlen; i++) {
		const char *name = btf__name_by_offset(btf, m[i].name_off);
		uint32_t off = base + btf_member_bit_offset(t, i) / 8;
		const struct btf_type *mt;
		uint32_t mt_id;

		mt = strip(btf, m[i].type, &mt_id);
		if (name && *name) {
			char full[sizeof(out->m->name)];

			snprintf(full, sizeof(full), "%s%s", prefix, name);
			dw_add_member(out, full, off,
				      member_size(btf, m[i].type), group);
			if (nest > 0 && mt && btf_is_composite(mt)) {
				strncat(full, ".",
					sizeof(full) - strlen(full) - 1);
				walk_members(btf, mt, off, group, out,
					     depth + 1, full, nest - 1);
			}
			continue;
		}
		if (mt && btf_is_composite(mt))
			walk_members(btf, mt, off, mt_id, out, depth + 1,
				     prefix, nest);
	}
}

static void collect_struct(const struct btf *btf, uint32_t id,
			   const struct btf_type *t, struct dw_struct *out,
			   int nest)
{
	if (out->found || !t->size)
		return;
	out->size = t->size;
	walk_members(btf, t, 0, id, out, 0, "", nest);
	out->found = out->n > 0;
}

static int64_t enumerator_value(const struct btf_type *t, unsigned i)
{
	/* kflag: signed values (pahole 1.24+); unsigned before. */
	if (btf_is_enum64(t)) {
		uint64_t v = btf_enum64_value(&btf_enum64(t)[i]);

		return (int64_t)v;
	}
	if (btf_kflag(t))
		return btf_enum(t)[i].val;
	return (uint32_t)btf_enum(t)[i].val;
}

static const char *enumerator_name(const struct btf *btf,
				   const struct btf_type *t, unsigned i)
{
	uint32_t off = btf_is_enum64(t) ? btf_enum64(t)[i].name_off :
					  btf_enum(t)[i].name_off;

	return btf__name_by_offset(btf, off);
}

static void collect_enum(const struct btf *btf, const struct btf_type *t,
			 struct dw_enum *out)
{
	unsigned i, vlen = btf_vlen(t);

	if (out->found)
		return;
	for (i = 0; i < vlen; i++) {
		const char *name = enumerator_name(btf, t, i);

		if (name && *name)
			dw_add_enumerator(out, name, enumerator_value(t, i));
	}
	out->found = out->n > 0;
}

static bool enum_has(const struct btf *btf, const struct btf_type *t,
		     const char *wanted)
{
	unsigned i, vlen = btf_vlen(t);

	for (i = 0; i < vlen; i++) {
		const char *name = enumerator_name(btf, t, i);

		if (name && !strcmp(name, wanted))
			return true;
	}
	return false;
}

static void visit_type(const struct btf *btf, uint32_t id, struct dw_facts *f)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const char *name;
	struct dw_struct *s;
	struct dw_enum *e;

	if (!t)
		return;
	name = type_name(btf, t);
	if (btf_is_struct(t) && name) {
		int nest;

		if ((s = dw_wanted_struct(f, name, &nest)))
			collect_struct(btf, id, t, s, nest);
	} else if (btf_is_any_enum(t) && name) {
		if ((e = dw_wanted_enum(f, name)))
			collect_enum(btf, t, e);
	} else if (btf_is_any_enum(t)) {
		/* The SECTION_*_BIT enum is anonymous. */
		if (!f->section_bits.found &&
		    enum_has(btf, t, "SECTION_MAP_LAST_BIT"))
			collect_enum(btf, t, &f->section_bits);
	} else if (btf_is_func(t) && name &&
		   !strcmp(name, "get_pfnblock_flags_mask") &&
		   f->pfnblock_params < 0) {
		const struct btf_type *proto = btf__type_by_id(btf, t->type);

		if (proto && btf_is_func_proto(proto))
			f->pfnblock_params = (int)btf_vlen(proto);
	}
}

enum ps_status btf_collect(const void *data, size_t size, const char *what,
			   struct dw_facts *f, struct ps_err *err)
{
	char where[300];
	struct btf *btf;
	uint32_t id, n;

	dw_facts_init(f);
	/* libbpf prints its own diagnostics to stderr by default; pinscan
	 * reports once, through err. */
	libbpf_set_print(NULL);
	if (size > UINT32_MAX)
		return ps_fail(err, PS_ERR_FORMAT, "%s: BTF of %zu bytes",
			       what, size);
	btf = btf__new(data, (uint32_t)size);
	if (!btf)
		return ps_fail(err, PS_ERR_FORMAT,
			       "%s: BTF does not parse (libbpf: %s)", what,
			       strerror(errno));
	n = btf__type_cnt(btf);
	for (id = 1; id < n; id++)
		visit_type(btf, id, f);
	btf__free(btf);
	snprintf(where, sizeof(where), "%s: BTF", what);
	if (dw_facts_check(f, where, err)) {
		dw_facts_free(f);
		return err->status;
	}
	return PS_OK;
}

/* BTF bytes of a live kernel: the file the kernel itself exports. */
enum ps_status btf_read_file(const char *path, void **data, size_t *size,
			     struct ps_err *err)
{
	size_t cap = 0, len = 0;
	char *buf = NULL;
	FILE *f = fopen(path, "rb");

	if (!f)
		return ps_fail(err, PS_ERR_IO, "%s: %s", path, strerror(errno));
	for (;;) {
		size_t got;

		if (len == cap) {
			char *nb;

			cap = cap ? 2 * cap : 8u << 20;
			if (cap > BTF_MAX_BYTES || !(nb = realloc(buf, cap))) {
				free(buf);
				fclose(f);
				return ps_fail(err, PS_ERR_FORMAT,
					       "%s: more than %u MiB of BTF",
					       path, BTF_MAX_BYTES >> 20);
			}
			buf = nb;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (!got)
			break;
	}
	fclose(f);
	*data = buf;
	*size = len;
	return PS_OK;
}

/* BTF bytes of a dump: __start_BTF..__stop_BTF of the kernel image (the
 * .BTF section, v5.7+ with CONFIG_DEBUG_INFO_BTF), found by kallsyms. */
enum ps_status btf_read_dump(struct target *t, const struct kallsyms *ks,
			     void **data, size_t *size, struct ps_err *err)
{
	uint64_t start, stop;

	if (!kallsyms_lookup(ks, "__start_BTF", &start) ||
	    !kallsyms_lookup(ks, "__stop_BTF", &stop))
		return ps_fail(err, PS_ERR_NODATA,
			       "%s: kallsyms has no __start_BTF/__stop_BTF (a kernel without CONFIG_DEBUG_INFO_BTF)",
			       t->path);
	if (stop <= start || stop - start > BTF_MAX_BYTES)
		return ps_fail(err, PS_ERR_FORMAT,
			       "%s: __start_BTF %#llx, __stop_BTF %#llx do not bound a BTF section",
			       t->path, (unsigned long long)start,
			       (unsigned long long)stop);
	*size = stop - start;
	if (!(*data = malloc(*size)))
		return ps_fail(err, PS_ERR_NOMEM, "out of memory for BTF");
	if (target_read_virt(t, start, *data, *size, err)) {
		free(*data);
		*data = NULL;
		return ps_wrap(err, "BTF");
	}
	return PS_OK;
}
