/* kallsyms tables of the synthetic kernel image, laid out as
 * scripts/kallsyms.c writes them (kallsyms_offsets, relative_base,
 * num_syms, names, markers, token_table, token_index, in that order) so
 * that pinscan can find symbols without the vmlinux, as in a real dump.
 *
 * The link reserves the space (an assembler file, kallsyms_write_space);
 * the generator fills it in the dump's copy of the image once the final
 * symbol addresses are known (kallsyms_fill). The "compression" uses one
 * token per byte value, which is a valid table: the kernel's decoder
 * (kallsyms_expand_symbol) and pinscan's expand any token table. Offsets
 * are unsigned from kallsyms_relative_base (no absolute per-cpu symbols:
 * x86-64 without CONFIG_KALLSYMS_ABSOLUTE_PERCPU), or with
 * --kallsyms-pc-relative each relative to its own entry, the scheme of Ard
 * Biesheuvel's "kallsyms: Get rid of kallsyms relative base" (2026), whose
 * VMCOREINFO names no kallsyms_relative_base. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mkvmcore.h"

#define KS_MAX_SYMS	4096
#define KS_NAMES_BYTES	(96 * 1024)
#define KS_MARKERS	(KS_MAX_SYMS / 256 + 1)
#define KS_TOKEN_TABLE	512	/* 256 one-character tokens and NULs */
#define KS_TOKEN_INDEX	512	/* 256 u16 */

void kallsyms_write_space(const struct gen *g, const char *path)
{
	FILE *f = fopen(path, "w");

	(void)g;
	if (!f)
		fatal("cannot write %s", path);
	fprintf(f,
		"\t.section .rodata.kallsyms,\"a\"\n"
		"\t.balign 8\n"
		"\t.globl kallsyms_offsets\nkallsyms_offsets:\n\t.skip %d\n"
		"\t.balign 8\n"
		"\t.globl kallsyms_relative_base\nkallsyms_relative_base:\n\t.skip 8\n"
		"\t.globl kallsyms_num_syms\nkallsyms_num_syms:\n\t.skip 8\n"
		"\t.globl kallsyms_names\nkallsyms_names:\n\t.skip %d\n"
		"\t.balign 8\n"
		"\t.globl kallsyms_markers\nkallsyms_markers:\n\t.skip %d\n"
		"\t.balign 8\n"
		"\t.globl kallsyms_token_table\nkallsyms_token_table:\n\t.skip %d\n"
		"\t.balign 8\n"
		"\t.globl kallsyms_token_index\nkallsyms_token_index:\n\t.skip %d\n"
		"\t.section .note.GNU-stack,\"\",@progbits\n",
		4 * KS_MAX_SYMS, KS_NAMES_BYTES, 4 * KS_MARKERS,
		KS_TOKEN_TABLE, KS_TOKEN_INDEX);
	if (fclose(f))
		fatal("cannot write %s", path);
}

bool kallsyms_in_vmcoreinfo(const struct gen *g)
{
	return g->era->vi_kallsyms || g->vmcoreinfo_kallsyms;
}

static int by_address(const void *a, const void *b)
{
	const struct sym *x = *(const struct sym *const *)a;
	const struct sym *y = *(const struct sym *const *)b;

	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* The type letter /proc/kallsyms shows: text or data. */
static char sym_type(const struct gen *g, const struct sym *s)
{
	const struct sym *etext = sym_find(g, "_etext");

	return etext && s->value < etext->value ? 'T' : 'D';
}

void kallsyms_fill(struct gen *g)
{
	const struct sym *lo = sym_find(g, "_text"), *hi = sym_find(g, "_end");
	const struct sym **list = xcalloc(g->nr_syms, sizeof(*list));
	uint8_t *names, *offsets, *markers, *table, *index;
	uint64_t base;
	size_t n = 0, pos = 0, tpos = 0;

	if (!lo || !hi)
		fatal("vmlinux has no _text/_end");
	for (size_t i = 0; i < g->nr_syms; i++)
		if (g->syms[i].value >= lo->value &&
		    g->syms[i].value <= hi->value && g->syms[i].name[0] != '.')
			list[n++] = &g->syms[i];
	if (n > KS_MAX_SYMS)
		fatal("%zu symbols, kallsyms space for %d", n, KS_MAX_SYMS);
	qsort(list, n, sizeof(*list), by_address);
	base = lo->value + g->kaslr_offset;

	names = ktext_ptr(g, sym_rt(g, "kallsyms_names"), KS_NAMES_BYTES);
	offsets = ktext_ptr(g, sym_rt(g, "kallsyms_offsets"), 4 * KS_MAX_SYMS);
	markers = ktext_ptr(g, sym_rt(g, "kallsyms_markers"), 4 * KS_MARKERS);
	table = ktext_ptr(g, sym_rt(g, "kallsyms_token_table"), KS_TOKEN_TABLE);
	index = ktext_ptr(g, sym_rt(g, "kallsyms_token_index"), KS_TOKEN_INDEX);
	/* Token b is the one character b (token 0: empty, never used). */
	for (int b = 0; b < 256; b++) {
		index[2 * b] = (uint8_t)tpos;
		index[2 * b + 1] = (uint8_t)(tpos >> 8);
		if (b)
			table[tpos++] = (uint8_t)b;
		table[tpos++] = 0;
	}
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(list[i]->name) + 1;	/* + type letter */

		if (i % 256 == 0)
			put32(markers, 4 * (i / 256), (uint32_t)pos);
		if (len > 0x3fff || pos + len + 2 > KS_NAMES_BYTES)
			fatal("kallsyms_names space exhausted at %s",
			      list[i]->name);
		/* Names of 128 or more tokens: the two-byte length of v6.1
		 * (commit 73bbb94466fd, "kallsyms: support \"big\" kernel
		 * symbols"). */
		if (len >= 0x80) {
			names[pos++] = (uint8_t)(0x80 | (len & 0x7f));
			names[pos++] = (uint8_t)(len >> 7);
		} else {
			names[pos++] = (uint8_t)len;
		}
		names[pos++] = (uint8_t)sym_type(g, list[i]);
		memcpy(names + pos, list[i]->name, len - 1);
		pos += len - 1;
		if (g->kallsyms_pc_relative)
			put32(offsets, 4 * i,
			      (uint32_t)(list[i]->value + g->kaslr_offset -
					 (sym_rt(g, "kallsyms_offsets") + 4 * i)));
		else
			put32(offsets, 4 * i,
			      (uint32_t)(list[i]->value + g->kaslr_offset - base));
	}
	put64(ktext_ptr(g, sym_rt(g, "kallsyms_relative_base"), 8), 0, base);
	put64(ktext_ptr(g, sym_rt(g, "kallsyms_num_syms"), 8), 0, n);
	free(list);
}
