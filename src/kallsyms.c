#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kallsyms.h"
#include "util.h"

/* Bounds on what a kernel's tables can be: 2^22 symbols is ten times a
 * distribution kernel's with KALLSYMS_ALL; a name is at most
 * KSYM_NAME_LEN (512 since v6.1) characters. */
#define MAX_SYMS (1u << 22)
#define MAX_NAMES_BYTES (64u << 20)
#define MAX_TOKEN_TABLE 65536
#define MAX_NAME_LEN 1024

/* The tables the dump's VMCOREINFO locates (kernel/vmcore_info.c since
 * v6.0, commit 5fd8fea935a1 "vmcoreinfo: include kallsyms symbols"). */
struct ks_tables {
	uint64_t names, num_syms, token_table, token_index, offsets,
		relative_base;
	/* No SYMBOL(kallsyms_relative_base): each offset is relative to its
	 * own entry (Ard Biesheuvel's "kallsyms: Get rid of kallsyms relative
	 * base", 2026, which also dropped it from VMCOREINFO). */
	bool pc_relative;
};

static bool add_symbol(struct kallsyms *ks, const char *name, size_t len,
		       uint64_t addr)
{
	size_t start = ks->names_len;

	if (!array_grow((void **)&ks->syms, &ks->cap, ks->nr, sizeof(*ks->syms)) ||
	    !array_append((void **)&ks->names, &ks->names_len, &ks->names_cap,
			  name, len, 1) ||
	    !array_append((void **)&ks->names, &ks->names_len, &ks->names_cap,
			  "", 1, 1))
		return false;
	ks->syms[ks->nr].addr = addr;
	ks->syms[ks->nr++].name = (uint32_t)start;
	return true;
}

static enum ps_status locate_tables(const struct target *t,
				    struct ks_tables *tb, struct ps_err *err)
{
	static const struct {
		const char *name;
		size_t off;
	} wanted[] = {
		{ "kallsyms_names", offsetof(struct ks_tables, names) },
		{ "kallsyms_num_syms", offsetof(struct ks_tables, num_syms) },
		{ "kallsyms_token_table", offsetof(struct ks_tables, token_table) },
		{ "kallsyms_token_index", offsetof(struct ks_tables, token_index) },
		{ "kallsyms_offsets", offsetof(struct ks_tables, offsets) },
		{ "kallsyms_relative_base",
		  offsetof(struct ks_tables, relative_base) },
	};
	size_t i, last = sizeof(wanted) / sizeof(wanted[0]) - 1;

	tb->pc_relative = false;
	for (i = 0; i <= last; i++) {
		if (vmcoreinfo_symbol(&t->vmcoreinfo, wanted[i].name,
				      (uint64_t *)((char *)tb + wanted[i].off)))
			continue;
		if (i == last) {
			tb->pc_relative = true;
			break;
		}
		return ps_fail(err, PS_ERR_NODATA,
			       "%s: VMCOREINFO has no SYMBOL(%s) (exported since Linux 6.0)",
			       t->path, wanted[i].name);
	}
	return PS_OK;
}

/* A table's extent from where the next one starts: scripts/kallsyms.c
 * writes kallsyms_names before the token table in every version. */
static enum ps_status extent(const struct target *t, const char *what,
			     uint64_t start, uint64_t next, uint64_t max,
			     uint64_t *size, struct ps_err *err)
{
	if (next <= start || next - start > max)
		return ps_fail(err, PS_ERR_FORMAT,
			       "%s: kallsyms tables are not laid out as the kernel writes them (%s at %#llx, next table at %#llx)",
			       t->path, what, (unsigned long long)start,
			       (unsigned long long)next);
	*size = next - start;
	return PS_OK;
}

struct ks_raw {
	uint32_t nr;
	uint64_t relative_base;
	bool pc_relative;
	uint64_t offsets_addr;		/* kallsyms_offsets, for pc_relative */
	bool absolute_percpu;
	uint16_t token_index[256];
	char *token_table;
	uint64_t token_table_len;
	uint8_t *names;
	uint64_t names_len;
	int32_t *offsets;
};

static void raw_free(struct ks_raw *r)
{
	if (!r)
		return;
	free(r->token_table);
	free(r->names);
	free(r->offsets);
	free(r);
}

static enum ps_status read_raw(struct target *t, const struct ks_tables *tb,
			       struct ks_raw *r, struct ps_err *err)
{
	r->pc_relative = tb->pc_relative;
	r->offsets_addr = tb->offsets;
	if (target_read_virt(t, tb->num_syms, &r->nr, sizeof(r->nr), err) ||
	    (!r->pc_relative &&
	     target_read_virt(t, tb->relative_base, &r->relative_base,
			      sizeof(r->relative_base), err)) ||
	    target_read_virt(t, tb->token_index, r->token_index,
			     sizeof(r->token_index), err))
		return ps_wrap(err, "kallsyms");
	if (!r->nr || r->nr > MAX_SYMS)
		return ps_fail(err, PS_ERR_FORMAT,
			       "%s: kallsyms_num_syms is %u", t->path, r->nr);
	if (extent(t, "kallsyms_token_table", tb->token_table, tb->token_index,
		   MAX_TOKEN_TABLE, &r->token_table_len, err) ||
	    extent(t, "kallsyms_names", tb->names, tb->token_table,
		   MAX_NAMES_BYTES, &r->names_len, err))
		return err->status;
	r->token_table = malloc(r->token_table_len + 1);
	r->names = malloc(r->names_len);
	r->offsets = calloc(r->nr, sizeof(*r->offsets));
	if (!r->token_table || !r->names || !r->offsets)
		return ps_fail(err, PS_ERR_NOMEM, "out of memory for kallsyms");
	r->token_table[r->token_table_len] = '\0';
	if (target_read_virt(t, tb->token_table, r->token_table,
			     r->token_table_len, err) ||
	    target_read_virt(t, tb->names, r->names, r->names_len, err) ||
	    target_read_virt(t, tb->offsets, r->offsets,
			     (size_t)r->nr * sizeof(*r->offsets), err))
		return ps_wrap(err, "kallsyms");
	return PS_OK;
}

/* kallsyms_sym_address() of kernel/kallsyms.c. With
 * CONFIG_KALLSYMS_ABSOLUTE_PERCPU (x86-64 SMP until v6.15) per-cpu
 * symbols are stored as non-negative absolute values and the rest as
 * negative offsets from relative_base - 1; without it every offset is an
 * unsigned one from relative_base. Which scheme a kernel used is not
 * recorded, but only the first can produce a negative entry. */
static uint64_t symbol_address(const struct ks_raw *r, bool absolute_percpu,
			       uint32_t i)
{
	int32_t off = r->offsets[i];

	/* offset_to_ptr(&kallsyms_offsets[i]): the entry's own address plus
	 * its signed value. */
	if (r->pc_relative)
		return r->offsets_addr + 4 * (uint64_t)i + (uint64_t)(int64_t)off;
	if (!absolute_percpu)
		return r->relative_base + (uint32_t)off;
	if (off >= 0)
		return (uint64_t)off;
	return r->relative_base - 1 - (uint64_t)(int64_t)off;
}

/* The compressed name at *pos: a length byte (two bytes with the top bit
 * set, since v6.1 commit 73bbb94466fd "kallsyms: support "big" kernel
 * symbols"), then that many token indices; *pos moves past it. */
static bool name_at(const struct ks_raw *r, uint64_t *pos,
		    const uint8_t **tokens, unsigned *len)
{
	uint64_t p = *pos;

	if (p >= r->names_len)
		return false;
	*len = r->names[p++];
	if (*len & 0x80) {
		if (p >= r->names_len)
			return false;
		*len = (*len & 0x7f) | ((unsigned)r->names[p++] << 7);
	}
	if (!*len || p + *len > r->names_len)
		return false;
	*tokens = r->names + p;
	*pos = p + *len;
	return true;
}

/* Whether a name expands within the table and the length a symbol can
 * have; the first character is the symbol's type letter. */
static bool name_valid(const uint16_t *token_len, const uint8_t *tokens,
		       unsigned len)
{
	size_t n = 0;
	unsigned j;

	for (j = 0; j < len; j++) {
		if (token_len[tokens[j]] == UINT16_MAX)
			return false;
		n += token_len[tokens[j]];
	}
	return n >= 2 && n <= MAX_NAME_LEN;
}

/* Whether the name expands to the type letter and then `name`, compared
 * token by token: most names differ within their first token, so a
 * lookup expands almost nothing. */
static bool name_is(const struct ks_raw *r, const uint8_t *tokens,
		    unsigned len, const char *name)
{
	size_t at = 0;		/* characters expanded, type letter first */
	unsigned j;

	for (j = 0; j < len; j++) {
		const char *s = r->token_table + r->token_index[tokens[j]];

		for (; *s; s++, at++)
			if (at && *s != name[at - 1])
				return false;
	}
	return at && !name[at - 1];
}

/* Names the dump's VMCOREINFO gives addresses for too: a table that
 * decodes but disagrees with them belongs to no kernel worth trusting. */
static enum ps_status cross_check(const struct kallsyms *ks,
				  const struct target *t, struct ps_err *err)
{
	/* Not mem_section: with SPARSEMEM_EXTREME VMCOREINFO gives the
	 * array it points at (v4.15, commit a0b1280368d1). */
	static const char *const names[] = {
		"init_uts_ns", "swapper_pg_dir", "_stext", "node_online_map",
	};
	unsigned agreed = 0;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		uint64_t from_vmci, from_ks;

		if (!vmcoreinfo_symbol(&t->vmcoreinfo, names[i], &from_vmci) ||
		    !kallsyms_lookup(ks, names[i], &from_ks))
			continue;
		if (from_vmci != from_ks)
			return ps_fail(err, PS_ERR_FORMAT,
				       "%s: kallsyms puts %s at %#llx, VMCOREINFO at %#llx: the table does not decode to this kernel's symbols",
				       t->path, names[i],
				       (unsigned long long)from_ks,
				       (unsigned long long)from_vmci);
		agreed++;
	}
	if (!agreed)
		return ps_fail(err, PS_ERR_FORMAT,
			       "%s: kallsyms decodes to no symbol VMCOREINFO also names (init_uts_ns, _stext...)",
			       t->path);
	return PS_OK;
}

/* Check every name of the table once (what a lookup will expand stays
 * within it), then keep the table for lookups. */
static enum ps_status check_names(struct ks_raw *r, const struct target *t,
				  struct ps_err *err)
{
	uint16_t token_len[256];
	uint64_t pos = 0;
	uint32_t i;

	for (i = 0; i < 256; i++) {
		uint16_t tok = r->token_index[i];
		size_t n = tok < r->token_table_len ?
			   strlen(r->token_table + tok) : 0;

		token_len[i] = tok < r->token_table_len && n < UINT16_MAX ?
			       (uint16_t)n : UINT16_MAX;
	}
	/* Place-relative entries are negative as often as not. */
	for (i = 0; i < r->nr && !r->pc_relative && !r->absolute_percpu; i++)
		r->absolute_percpu = r->offsets[i] < 0;
	for (i = 0; i < r->nr; i++) {
		const uint8_t *tokens;
		uint64_t at = pos;
		unsigned len;

		if (!name_at(r, &pos, &tokens, &len) ||
		    !name_valid(token_len, tokens, len))
			return ps_fail(err, PS_ERR_FORMAT,
				       "%s: kallsyms_names does not decode at symbol %u of %u (byte %llu)",
				       t->path, i, r->nr,
				       (unsigned long long)at);
	}
	return PS_OK;
}

enum ps_status kallsyms_from_dump(struct kallsyms *ks, struct target *t,
				  struct ps_err *err)
{
	struct ks_tables tb;
	enum ps_status st;

	memset(ks, 0, sizeof(*ks));
	snprintf(ks->source, sizeof(ks->source), "kallsyms of %s", t->path);
	ks->raw = calloc(1, sizeof(*ks->raw));
	if (!ks->raw)
		return ps_fail(err, PS_ERR_NOMEM, "out of memory for kallsyms");
	st = locate_tables(t, &tb, err);
	if (!st)
		st = read_raw(t, &tb, ks->raw, err);
	if (!st)
		st = check_names(ks->raw, t, err);
	if (!st)
		st = cross_check(ks, t, err);
	if (st)
		kallsyms_free(ks);
	return st;
}

enum ps_status kallsyms_from_file(struct kallsyms *ks, const char *path,
				  struct ps_err *err)
{
	char line[1024];
	bool any_address = false;
	FILE *f;

	memset(ks, 0, sizeof(*ks));
	snprintf(ks->source, sizeof(ks->source), "%s", path);
	f = fopen(path, "r");
	if (!f)
		return ps_fail(err, PS_ERR_IO, "%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		unsigned long long addr;
		char type, name[512];
		int used = 0;

		if (sscanf(line, "%llx %c %511s%n", &addr, &type, name,
			   &used) != 3)
			continue;
		/* Module symbols come after vmlinux's, tagged [module]. */
		if (strchr(line + used, '['))
			continue;
		any_address |= addr != 0;
		if (!add_symbol(ks, name, strlen(name), addr)) {
			fclose(f);
			kallsyms_free(ks);
			return ps_fail(err, PS_ERR_NOMEM,
				       "out of memory for %s", path);
		}
	}
	fclose(f);
	if (!ks->nr) {
		kallsyms_free(ks);
		return ps_fail(err, PS_ERR_FORMAT, "%s: no symbols", path);
	}
	if (!any_address) {
		kallsyms_free(ks);
		return ps_fail(err, PS_ERR_NODATA,
			       "%s: every address reads as zero: run as root, with kernel.kptr_restrict below 2",
			       path);
	}
	return PS_OK;
}

/* The first symbol of that name in a dump's table (names were checked
 * when it was read). */
static bool raw_lookup(const struct ks_raw *r, const char *name,
		       uint64_t *addr)
{
	uint64_t pos = 0;
	uint32_t i;

	for (i = 0; i < r->nr; i++) {
		const uint8_t *tokens;
		unsigned len;

		if (!name_at(r, &pos, &tokens, &len))
			return false;
		if (name_is(r, tokens, len, name)) {
			*addr = symbol_address(r, r->absolute_percpu, i);
			return true;
		}
	}
	return false;
}

bool kallsyms_lookup(const struct kallsyms *ks, const char *name,
		     uint64_t *addr)
{
	size_t i;

	if (ks->raw)
		return raw_lookup(ks->raw, name, addr);
	for (i = 0; i < ks->nr; i++)
		if (!strcmp(ks->names + ks->syms[i].name, name)) {
			*addr = ks->syms[i].addr;
			return true;
		}
	return false;
}

void kallsyms_free(struct kallsyms *ks)
{
	free(ks->syms);
	free(ks->names);
	raw_free(ks->raw);
	ks->raw = NULL;
	ks->syms = NULL;
	ks->names = NULL;
	ks->nr = ks->cap = ks->names_len = ks->names_cap = 0;
}
