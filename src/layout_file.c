#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "layout_file.h"

enum kind { K_FIELD, K_U32, K_INT, K_U64 };

/* Every member of struct page_layout that a layout file carries. Adding a
 * line here is all a new layout member needs; readers ignore keys they do
 * not know, so old pinscans read newer files of the same version. */
static const struct {
	const char *key;
	enum kind kind;
	size_t off;
} keys[] = {
#define F(m) { #m, K_FIELD, offsetof(struct page_layout, m) }
#define U(m) { #m, K_U32, offsetof(struct page_layout, m) }
#define I(m) { #m, K_INT, offsetof(struct page_layout, m) }
#define Q(m) { #m, K_U64, offsetof(struct page_layout, m) }
/* A member under a key of its own, kept from before it moved. */
#define NAMED(key, kind, m) { key, kind, offsetof(struct page_layout, m) }
#define PAGEFLAG_KEY(name) NAMED("pg_" #name, K_INT, pf.bit[PGF_##name]),
	U(page_size), U(struct_page_size),
	F(flags), F(compound_head), F(lru), F(refcount), F(mapcount),
	F(mapping), F(index), F(private_),
	U(list_next_off), U(list_prev_off),
	I(unevictable_unlisted), U(tail_refcount_overlaid), I(order_kind), F(order), F(nr_pages),
	F(large_mapcount), I(compound_info_mask),
	I(pin_scheme), F(rfc_flags), F(rfc_count), Q(rfc_pin_mask),
	I(large_pin_kind), F(large_pin), U(large_pin_min_order),
	PAGEFLAGS_KNOWN(PAGEFLAG_KEY)
	NAMED("nr_pageflags", K_INT, pf.nr_pageflags),
	NAMED("page_type_kind", K_INT, pf.type_kind),
	NAMED("page_type_base", K_U32, pf.type_base),
	NAMED("pg_buddy", K_U32, pf.type_buddy_bit),
	NAMED("pgty_buddy", K_INT, pf.type_buddy_top),
	NAMED("pgty_slab", K_INT, pf.type_slab_top),
	U(zone_size), U(zone_start_pfn_off), U(zone_spanned_off),
	U(pgdat_node_zones_off), F(pgdat_node_start), F(pgdat_node_spanned),
	F(pgdat_node_id), I(zone_movable), I(migrate_cma),
	F(section_usage), F(pageblock_flags), I(pageblock_msb_first),
	U(pageblock_order),
	I(nr_foll_pin_acquired), I(nr_foll_pin_released),
	U(nr_node_stat_items), F(pgdat_vm_stat), F(pgdat_per_cpu_nodestats),
	F(nodestat_diff), U(per_cpu_nodestat_size),
	Q(sym_per_cpu_offset), Q(sym_nr_cpu_ids), Q(sym_cpu_possible_mask),
	U(nr_pageblock_bits),
	U(mem_section_size), U(section_mem_map_off), Q(section_map_mask),
	Q(section_has_mem_map), I(sparsemem_extreme), U(section_size_bits),
	U(max_physmem_bits),
	/* owners.c's members: keys "ow.task_pid", ... */
	F(ow.task_tasks), F(ow.task_pid), F(ow.task_tgid), F(ow.task_comm),
	F(ow.task_mm), F(ow.task_files), F(ow.mm_owner),
	F(ow.vma_start), F(ow.vma_end), F(ow.vma_mm), F(ow.vma_flags),
	F(ow.vma_pgoff), F(ow.vma_file), F(ow.vma_shared_rb),
	F(ow.anon_vma_root), F(ow.anon_vma_rb_root), F(ow.avc_vma),
	F(ow.avc_rb), F(ow.rb_left), F(ow.rb_right), F(ow.rb_root_node),
	F(ow.as_host), F(ow.as_i_mmap), F(ow.inode_ino), F(ow.inode_sb),
	F(ow.inode_dentry), F(ow.sb_dev), F(ow.dentry_name),
	F(ow.dentry_alias), F(ow.files_fdt), F(ow.fdt_max_fds), F(ow.fdt_fd),
	F(ow.file_f_op), F(ow.file_private), F(ow.ctx_user_bufs),
	F(ow.ctx_nr_user_bufs), F(ow.ctx_buf_nr), F(ow.ctx_buf_nodes),
	F(ow.rsrc_node_type), F(ow.rsrc_node_buf), F(ow.imu_is_kbuf),
	F(ow.imu_ubuf), F(ow.imu_nr_bvecs), U(ow.imu_size),
	F(ow.imu_bvec), F(ow.bv_page), F(ow.bv_len), F(ow.bv_offset),
	U(ow.bio_vec_size),
	F(ow.vc_iommu_driver), F(ow.vc_iommu_data), F(ow.vid_ops),
	F(ow.vi_dma_root), F(ow.dma_node), F(ow.dma_iova), F(ow.dma_vaddr),
	F(ow.dma_size), F(ow.dma_task), F(ow.dma_vaddr_invalid),
	F(ow.ksm_node_hlist), F(ow.ksm_node_hlist_len), F(ow.ksm_item_hlist),
	F(ow.ksm_item_head), F(ow.ksm_item_mm), F(ow.ksm_item_address),
#undef F
#undef U
#undef I
#undef Q
#undef NAMED
#undef PAGEFLAG_KEY
};

#define NKEYS (sizeof(keys) / sizeof(keys[0]))

enum ps_status layout_file_write(const struct page_layout *pl,
				 const char *build_id, FILE *out)
{
	size_t i;
	int f;

	fprintf(out, "%s %d\n", LAYOUT_FILE_MAGIC, LAYOUT_FILE_VERSION);
	fprintf(out, "build-id %s\n", build_id && *build_id ? build_id : "-");
	fprintf(out, "source %s\n", pl->source);
	fprintf(out, "release %s\n", pl->release[0] ? pl->release : "-");
	for (i = 0; i < NKEYS; i++) {
		const void *p = (const char *)pl + keys[i].off;

		switch (keys[i].kind) {
		case K_FIELD: {
			const struct field *fl = p;

			fprintf(out, "%s %d %u %u\n", keys[i].key, fl->present,
				fl->off, fl->size);
			break;
		}
		case K_U32:
			fprintf(out, "%s %" PRIu32 "\n", keys[i].key, *(const uint32_t *)p);
			break;
		case K_INT:
			fprintf(out, "%s %d\n", keys[i].key, *(const int *)p);
			break;
		case K_U64:
			fprintf(out, "%s %#" PRIx64 "\n", keys[i].key, *(const uint64_t *)p);
			break;
		}
	}
	for (f = 0; f < pl->pf.nr_names; f++)
		fprintf(out, "flag %s %d\n", pl->pf.names[f].name,
			pl->pf.names[f].bit);
	return ferror(out) ? PS_ERR_IO : PS_OK;
}

static bool parse_value(struct page_layout *pl, size_t k, const char *val)
{
	void *p = (char *)pl + keys[k].off;
	char *end;

	switch (keys[k].kind) {
	case K_FIELD: {
		struct field *fl = p;
		int present;
		unsigned off, size;

		if (sscanf(val, "%d %u %u", &present, &off, &size) != 3)
			return false;
		fl->present = present != 0;
		fl->off = off;
		fl->size = size;
		/* pglist_data members lie 170 KB in. */
		return size <= 4096 && off < (1u << 24);
	}
	case K_U32:
		*(uint32_t *)p = (uint32_t)strtoul(val, &end, 0);
		return end != val;
	case K_INT:
		*(int *)p = (int)strtol(val, &end, 0);
		return end != val;
	case K_U64:
		*(uint64_t *)p = strtoull(val, &end, 0);
		return end != val;
	}
	return false;
}

static enum ps_status parse_line(struct page_layout *pl, char *line,
				 char *build_id, size_t bsz, const char *path,
				 const char *how, unsigned lineno, bool *seen,
				 struct ps_err *err)
{
	char *val = strchr(line, ' ');
	size_t k;

	if (!val)
		return ps_fail(err, PS_ERR_FORMAT, "%s:%u: no value", path, lineno);
	*val++ = '\0';
	if (!strcmp(line, "build-id")) {
		snprintf(build_id, bsz, "%s", strcmp(val, "-") ? val : "");
		return PS_OK;
	}
	if (!strcmp(line, "release")) {
		snprintf(pl->release, sizeof(pl->release), "%s",
			 strcmp(val, "-") ? val : "");
		return PS_OK;
	}
	if (!strcmp(line, "source")) {
		snprintf(pl->source, sizeof(pl->source), "%s (%s %s)", val, how,
			 path);
		return PS_OK;
	}
	if (!strcmp(line, "flag")) {
		char name[32];
		int bit;

		if (sscanf(val, "%31s %d", name, &bit) != 2 ||
		    !pageflags_add_name(&pl->pf, name, bit))
			return ps_fail(err, PS_ERR_FORMAT, "%s:%u: bad flag", path,
				       lineno);
		return PS_OK;
	}
	for (k = 0; k < NKEYS; k++)
		if (!strcmp(line, keys[k].key))
			return (seen[k] = parse_value(pl, k, val)) ? PS_OK :
			       ps_fail(err, PS_ERR_FORMAT, "%s:%u: bad value for %s",
				       path, lineno, line);
	return PS_OK;	/* a key from a newer pinscan */
}

/* Keys every layout file has had since version 1: without one of them a
 * default would stand in for the kernel's value, silently. A file that
 * lacks one was cut short or edited by hand. */
static enum ps_status check_required(const bool *seen, const char *path,
				     struct ps_err *err)
{
	static const char *const required[] = {
		"page_size", "struct_page_size", "flags", "refcount",
		"mapcount", "lru", "list_next_off", "list_prev_off",
		"pin_scheme", "mem_section_size", "section_mem_map_off",
		"section_map_mask", "section_has_mem_map",
		"section_size_bits", "max_physmem_bits",
	};
	size_t r, k;

	for (r = 0; r < sizeof(required) / sizeof(required[0]); r++) {
		for (k = 0; k < NKEYS && strcmp(keys[k].key, required[r]); k++)
			;
		if (k == NKEYS || !seen[k])
			return ps_fail(err, PS_ERR_FORMAT,
				       "%s: incomplete layout: no %s line (a file cut short?)",
				       path, required[r]);
	}
	return PS_OK;
}

enum ps_status layout_file_parse(struct page_layout *pl, FILE *in,
				 const char *path, const char *how,
				 char *build_id, size_t build_id_size,
				 struct ps_err *err)
{
	char line[512];
	unsigned lineno = 0;
	int version = 0;
	enum ps_status st = PS_OK;
	bool seen[NKEYS] = { false };

	/* A key an older pinscan did not write stays at its default (absent,
	 * -1 for a flag), never 0, which is a valid offset or bit. */
	layout_init(pl);
	pl->kind = LAYOUT_FILE;
	build_id[0] = '\0';
	if (!fgets(line, sizeof(line), in) ||
	    sscanf(line, LAYOUT_FILE_MAGIC " %d", &version) != 1)
		return ps_fail(err, PS_ERR_FORMAT, "%s: not a pinscan layout file",
			       path);
	if (version != LAYOUT_FILE_VERSION)
		return ps_fail(err, PS_ERR_UNSUPPORTED,
			       "%s: layout file version %d, this pinscan reads %d",
			       path, version, LAYOUT_FILE_VERSION);
	while (!st && fgets(line, sizeof(line), in)) {
		size_t len = strcspn(line, "\n");

		lineno++;
		/* Every line pinscan writes ends with one: a last line without
		 * it is a file cut short, its number perhaps cut too. */
		if (!line[len]) {
			st = ps_fail(err, PS_ERR_FORMAT,
				     "%s:%u: line cut short (no end of line): the file is truncated or the line longer than %zu bytes",
				     path, lineno + 1, sizeof(line) - 2);
			break;
		}
		line[len] = '\0';
		if (line[0] && line[0] != '#')
			st = parse_line(pl, line, build_id, build_id_size, path,
					how, lineno + 1, seen, err);
	}
	if (!st)
		st = check_required(seen, path, err);
	return st;
}

enum ps_status layout_file_read(struct page_layout *pl, const char *path,
				char *build_id, size_t build_id_size,
				struct ps_err *err)
{
	FILE *in = fopen(path, "r");
	enum ps_status st;

	if (!in)
		return ps_fail(err, PS_ERR_IO, "%s: %s", path, strerror(errno));
	st = layout_file_parse(pl, in, path, "saved in", build_id,
			       build_id_size, err);
	fclose(in);
	return st;
}

/* FNV-1a over the key names and kinds: a pinscan that reads or writes
 * another set of keys (a member added, one renamed) has another
 * fingerprint, so what an older one cached is derived again rather than
 * read with the new members at their defaults. */
uint64_t layout_file_keys_fingerprint(void)
{
	uint64_t h = LAYOUT_FILE_FNV_START;
	unsigned char tag = LAYOUT_FILE_VERSION;
	size_t i;

	h = layout_file_fnv1a(h, &tag, 1);
	for (i = 0; i < NKEYS; i++) {
		tag = (unsigned char)keys[i].kind;
		h = layout_file_fnv1a(h, keys[i].key, strlen(keys[i].key) + 1);
		h = layout_file_fnv1a(h, &tag, 1);
	}
	return h;
}

uint64_t layout_file_fnv1a(uint64_t h, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}
