#include <gelf.h>
#include <libelf.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libdwarf/dwarf.h>
#include <libdwarf/libdwarf.h>

#include "dwarf_layout.h"
#include "util.h"

/* Anonymous struct/union nesting in struct page is 4 deep at most; a
 * bound keeps a malformed DWARF from recursing forever. */
#define MAX_NESTING 8
/* typedef/const/volatile chains are short; bound them too. */
#define MAX_TYPE_CHAIN 16

struct walker {
	Dwarf_Debug dbg;
	Dwarf_Error derr;
	struct dw_facts *facts;
	unsigned nr_errors;		/* libdwarf errors met in the walk */
	char first_error[200];
};

/* libdwarf calls this for an error in a call given no Dwarf_Error (the
 * walk's calls: each checks its return value and treats DW_DLV_ERROR as
 * "not there"). Without a handler libdwarf calls abort() instead: one
 * flipped byte in .debug_info killed pinscan. */
static void on_dwarf_error(Dwarf_Error e, Dwarf_Ptr arg)
{
	struct walker *w = arg;

	if (!w->nr_errors++)
		snprintf(w->first_error, sizeof(w->first_error), "%s",
			 dwarf_errmsg(e));
}

static const char *die_name(Dwarf_Die die)
{
	char *name = NULL;

	if (dwarf_diename(die, &name, NULL) != DW_DLV_OK)
		return NULL;
	return name;
}

static bool die_flag(Dwarf_Die die, Dwarf_Half at)
{
	Dwarf_Bool has = 0;

	return dwarf_hasattr(die, at, &has, NULL) == DW_DLV_OK && has;
}

/* An unsigned or signed constant attribute, or a DW_OP_plus_uconst
 * location (older compilers' form of data_member_location). */
static bool die_const(Dwarf_Die die, Dwarf_Half at, int64_t *val)
{
	Dwarf_Attribute attr;
	Dwarf_Half form;
	bool ok = false;

	if (dwarf_attr(die, at, &attr, NULL) != DW_DLV_OK)
		return false;
	if (dwarf_whatform(attr, &form, NULL) == DW_DLV_OK) {
		Dwarf_Unsigned u;
		Dwarf_Signed s;
		Dwarf_Unsigned len;
		Dwarf_Ptr expr;

		if (form == DW_FORM_sdata || form == DW_FORM_implicit_const) {
			ok = dwarf_formsdata(attr, &s, NULL) == DW_DLV_OK;
			*val = s;
		} else if (form == DW_FORM_exprloc) {
			const unsigned char *p;

			if (dwarf_formexprloc(attr, &len, &expr, NULL) ==
			    DW_DLV_OK && len >= 2 &&
			    *(const unsigned char *)expr == DW_OP_plus_uconst) {
				uint64_t v = 0;
				unsigned shift = 0;

				p = (const unsigned char *)expr + 1;
				while (p < (const unsigned char *)expr + len &&
				       shift < 64) {
					v |= (uint64_t)(*p & 0x7f) << shift;
					shift += 7;
					if (!(*p++ & 0x80))
						break;
				}
				*val = (int64_t)v;
				ok = true;
			}
		} else if (dwarf_formudata(attr, &u, NULL) == DW_DLV_OK) {
			*val = (int64_t)u;
			ok = true;
		}
	}
	dwarf_dealloc_attribute(attr);
	return ok;
}

static Dwarf_Die die_type(struct walker *w, Dwarf_Die die)
{
	Dwarf_Attribute attr;
	Dwarf_Off off;
	Dwarf_Die type = NULL;

	if (dwarf_attr(die, DW_AT_type, &attr, NULL) != DW_DLV_OK)
		return NULL;
	if (dwarf_global_formref(attr, &off, NULL) == DW_DLV_OK)
		dwarf_offdie_b(w->dbg, off, 1, &type, NULL);
	dwarf_dealloc_attribute(attr);
	return type;
}

/* Follow typedef/const/volatile to the type that has a size or a shape. */
static Dwarf_Die strip_type(struct walker *w, Dwarf_Die type)
{
	int i;

	for (i = 0; type && i < MAX_TYPE_CHAIN; i++) {
		Dwarf_Half tag;
		Dwarf_Die next;

		if (dwarf_tag(type, &tag, NULL) != DW_DLV_OK)
			break;
		if (tag != DW_TAG_typedef && tag != DW_TAG_const_type &&
		    tag != DW_TAG_volatile_type && tag != DW_TAG_atomic_type)
			return type;
		next = die_type(w, type);
		dwarf_dealloc_die(type);
		type = next;
	}
	return type;
}

static uint32_t type_size(Dwarf_Die type)
{
	Dwarf_Unsigned size;

	if (type && dwarf_bytesize(type, &size, NULL) == DW_DLV_OK)
		return (uint32_t)size;
	return 0;
}

void dw_add_member(struct dw_struct *s, const char *name, uint32_t off,
		   uint32_t size, uint64_t group)
{
	struct dw_member *m;

	/* Keep the first of union alternatives: names are unique anyway. */
	if (dw_struct_member(s, name))
		return;
	if (!array_grow((void **)&s->m, &s->cap, s->n, sizeof(*s->m)))
		return;
	m = &s->m[s->n++];
	snprintf(m->name, sizeof(m->name), "%s", name);
	m->off = off;
	m->size = size;
	m->group = group;
}

static bool die_is_composite(Dwarf_Die type)
{
	Dwarf_Half tag;

	return type && dwarf_tag(type, &tag, NULL) == DW_DLV_OK &&
	       (tag == DW_TAG_structure_type || tag == DW_TAG_union_type);
}

/* Flatten the members of a struct or union, descending into anonymous
 * members so that every name gets its absolute offset, and into `nest`
 * levels of named ones, whose members are named "prefix.member". */
static void walk_members(struct walker *w, Dwarf_Die parent, uint32_t base,
			 uint64_t group, struct dw_struct *out, int depth,
			 const char *prefix, int nest)
{
	Dwarf_Die child = NULL, next;

	if (depth > MAX_NESTING || dwarf_child(parent, &child, NULL) != DW_DLV_OK)
		return;
	for (; child; child = next) {
		Dwarf_Half tag;
		int64_t loc = 0, bitoff;
		const char *name;
		Dwarf_Die type;
		uint32_t size;

		if (dwarf_tag(child, &tag, NULL) == DW_DLV_OK &&
		    tag == DW_TAG_member) {
			name = die_name(child);
			die_const(child, DW_AT_data_member_location, &loc);
			/* Bitfields: libdwarf 20210528's dwarf_bitoffset
			 * ignores DW_AT_data_bit_offset, so read it here and
			 * record the byte that holds the field's first bit. */
			if (die_const(child, DW_AT_data_bit_offset, &bitoff))
				loc = bitoff / 8;
			type = strip_type(w, die_type(w, child));
			size = type_size(type);
			if (name) {
				char full[sizeof(out->m->name)];

				snprintf(full, sizeof(full), "%s%s", prefix,
					 name);
				dw_add_member(out, full, base + (uint32_t)loc,
					      size, group);
				if (nest > 0 && die_is_composite(type)) {
					strncat(full, ".", sizeof(full) -
						strlen(full) - 1);
					walk_members(w, type,
						     base + (uint32_t)loc,
						     group, out, depth + 1,
						     full, nest - 1);
				}
			} else if (type) {
				Dwarf_Off toff = 0;

				dwarf_dieoffset(type, &toff, NULL);
				walk_members(w, type, base + (uint32_t)loc,
					     toff, out, depth + 1, prefix,
					     nest);
			}
			if (type)
				dwarf_dealloc_die(type);
		}
		next = NULL;
		if (dwarf_siblingof_b(w->dbg, child, 1, &next, NULL) != DW_DLV_OK)
			next = NULL;
		dwarf_dealloc_die(child);
	}
}

static void collect_struct(struct walker *w, Dwarf_Die die,
			   struct dw_struct *out, int nest)
{
	Dwarf_Off off = 0;

	if (out->found || die_flag(die, DW_AT_declaration))
		return;
	out->size = type_size(die);
	if (!out->size)
		return;
	dwarf_dieoffset(die, &off, NULL);
	walk_members(w, die, 0, off, out, 0, "", nest);
	out->found = out->n > 0;
}

void dw_add_enumerator(struct dw_enum *e, const char *name, int64_t val)
{
	if (!array_grow((void **)&e->e, &e->cap, e->n, sizeof(*e->e)))
		return;
	snprintf(e->e[e->n].name, sizeof(e->e[e->n].name), "%s", name);
	e->e[e->n++].val = val;
}

static void collect_enum(struct walker *w, Dwarf_Die die, struct dw_enum *out)
{
	Dwarf_Die child = NULL, next;

	if (out->found || dwarf_child(die, &child, NULL) != DW_DLV_OK)
		return;
	for (; child; child = next) {
		const char *name = die_name(child);
		int64_t val;

		if (name && die_const(child, DW_AT_const_value, &val))
			dw_add_enumerator(out, name, val);
		next = NULL;
		if (dwarf_siblingof_b(w->dbg, child, 1, &next, NULL) != DW_DLV_OK)
			next = NULL;
		dwarf_dealloc_die(child);
	}
	out->found = out->n > 0;
}

/* The SECTION_*_BIT enum is anonymous; recognise it by an enumerator. */
static bool enum_has(struct walker *w, Dwarf_Die die, const char *wanted)
{
	struct dw_enum tmp = { 0 };
	bool found;

	collect_enum(w, die, &tmp);
	found = dw_enum_value(&tmp, wanted, NULL);
	free(tmp.e);
	return found;
}

/* mem_section is `struct mem_section **` (SPARSEMEM_EXTREME since v4.15),
 * `struct mem_section *[N]` (EXTREME before v4.15) or
 * `struct mem_section [N][M]` (plain SPARSEMEM). VMCOREINFO's SYMBOL()
 * gives the root array in all three; what differs is whether its
 * elements are pointers. */
static void collect_mem_section_var(struct walker *w, Dwarf_Die die)
{
	Dwarf_Die type = strip_type(w, die_type(w, die));
	Dwarf_Half tag;

	if (!type)
		return;
	if (dwarf_tag(type, &tag, NULL) == DW_DLV_OK &&
	    (tag == DW_TAG_pointer_type || tag == DW_TAG_array_type)) {
		Dwarf_Die elem = strip_type(w, die_type(w, type));
		Dwarf_Half etag = 0;

		if (elem && dwarf_tag(elem, &etag, NULL) == DW_DLV_OK)
			w->facts->mem_section_elem_is_pointer =
				etag == DW_TAG_pointer_type;
		if (elem)
			dwarf_dealloc_die(elem);
	}
	dwarf_dealloc_die(type);
}

static int count_params(struct walker *w, Dwarf_Die fn)
{
	Dwarf_Die child = NULL, next;
	int n = 0, i;

	if (dwarf_child(fn, &child, NULL) != DW_DLV_OK)
		return 0;
	for (i = 0; child && i < 64; i++, child = next) {
		Dwarf_Half tag;

		if (dwarf_tag(child, &tag, NULL) == DW_DLV_OK &&
		    tag == DW_TAG_formal_parameter)
			n++;
		next = NULL;
		if (dwarf_siblingof_b(w->dbg, child, 1, &next, NULL) != DW_DLV_OK)
			next = NULL;
		dwarf_dealloc_die(child);
	}
	return n;
}

/* The named definitions pinscan wants, and where each one goes: one list
 * serves the search, the "all found" test and the freeing. */
static const struct {
	const char *name;
	size_t off;
	int nest;	/* named nested levels flattened as "a.b" */
} wanted_structs[] = {
	{ "page", offsetof(struct dw_facts, page), 0 },
	{ "folio", offsetof(struct dw_facts, folio), 0 },
	{ "list_head", offsetof(struct dw_facts, list_head), 0 },
	{ "mem_section", offsetof(struct dw_facts, mem_section), 0 },
	{ "zone", offsetof(struct dw_facts, zone), 0 },
	{ "pglist_data", offsetof(struct dw_facts, pglist_data), 0 },
	{ "mem_section_usage", offsetof(struct dw_facts, mem_section_usage), 0 },
	{ "per_cpu_nodestat", offsetof(struct dw_facts, per_cpu_nodestat), 0 },
#define OWNER_STRUCT(name, nest) { #name, offsetof(struct dw_facts, name), nest }
	OWNER_STRUCT(task_struct, 0), OWNER_STRUCT(mm_struct, 0),
	OWNER_STRUCT(vm_area_struct, 1),	/* shared.rb */
	OWNER_STRUCT(anon_vma, 0), OWNER_STRUCT(anon_vma_chain, 0),
	OWNER_STRUCT(rb_node, 0), OWNER_STRUCT(rb_root_cached, 1),
	OWNER_STRUCT(address_space, 0), OWNER_STRUCT(inode, 0),
	OWNER_STRUCT(super_block, 0),
	OWNER_STRUCT(dentry, 1),		/* d_name.name, d_u.d_alias */
	OWNER_STRUCT(files_struct, 0), OWNER_STRUCT(fdtable, 0),
	OWNER_STRUCT(file, 1),			/* f_path.dentry */
	OWNER_STRUCT(io_ring_ctx, 2),		/* buf_table.data.nodes */
	OWNER_STRUCT(io_rsrc_node, 0), OWNER_STRUCT(io_mapped_ubuf, 0),
	OWNER_STRUCT(bio_vec, 0),
	OWNER_STRUCT(vfio_container, 0), OWNER_STRUCT(vfio_iommu_driver, 0),
	OWNER_STRUCT(vfio_iommu, 1),		/* dma_list.rb_node */
	OWNER_STRUCT(vfio_dma, 0),
#undef OWNER_STRUCT
	{ "ksm_stable_node", offsetof(struct dw_facts, ksm_stable_node), 0 },
	{ "ksm_rmap_item", offsetof(struct dw_facts, ksm_rmap_item), 0 },
}, wanted_enums[] = {
	{ "pageflags", offsetof(struct dw_facts, pageflags), 0 },
	{ "pagetype", offsetof(struct dw_facts, pagetype), 0 },
	{ "zone_type", offsetof(struct dw_facts, zone_type), 0 },
	{ "migratetype", offsetof(struct dw_facts, migratetype), 0 },
	{ "pageblock_bits", offsetof(struct dw_facts, pageblock_bits), 0 },
	{ "node_stat_item", offsetof(struct dw_facts, node_stat_item), 0 },
};

#define NR_WANTED(a) (sizeof(a) / sizeof((a)[0]))

/* Wanted structs that older kernels name differently: a definition under
 * the old name fills the same slot. */
static const struct {
	const char *old_name, *name;
} renamed_structs[] = {
	/* v6.1, commit 21fbd59136e0 ("ksm: add the ksm prefix to the names
	 * of the ksm private structures"). */
	{ "stable_node", "ksm_stable_node" },
	{ "rmap_item", "ksm_rmap_item" },
};

/* The struct's name in older kernels, or NULL. */
static const char *old_struct_name(const char *name)
{
	size_t i;

	for (i = 0; i < NR_WANTED(renamed_structs); i++)
		if (!strcmp(name, renamed_structs[i].name))
			return renamed_structs[i].old_name;
	return NULL;
}

static struct dw_struct *wanted_struct(struct dw_facts *f, size_t i)
{
	return (struct dw_struct *)((char *)f + wanted_structs[i].off);
}

static struct dw_enum *wanted_enum(struct dw_facts *f, size_t i)
{
	return (struct dw_enum *)((char *)f + wanted_enums[i].off);
}

struct dw_struct *dw_wanted_struct(struct dw_facts *f, const char *name,
				   int *nest)
{
	size_t i;

	for (i = 0; i < NR_WANTED(renamed_structs); i++)
		if (!strcmp(name, renamed_structs[i].old_name))
			name = renamed_structs[i].name;
	for (i = 0; i < NR_WANTED(wanted_structs); i++)
		if (!strcmp(name, wanted_structs[i].name)) {
			if (nest)
				*nest = wanted_structs[i].nest;
			return wanted_struct(f, i);
		}
	return NULL;
}

struct dw_enum *dw_wanted_enum(struct dw_facts *f, const char *name)
{
	size_t i;

	for (i = 0; i < NR_WANTED(wanted_enums); i++)
		if (!strcmp(name, wanted_enums[i].name))
			return wanted_enum(f, i);
	return NULL;
}

void dw_facts_init(struct dw_facts *f)
{
	memset(f, 0, sizeof(*f));
	f->mem_section_elem_is_pointer = -1;
	f->pfnblock_params = -1;
}

enum ps_status dw_facts_check(const struct dw_facts *f, const char *what,
			      struct ps_err *err)
{
	if (!f->page.found)
		return ps_fail(err, PS_ERR_FORMAT,
			       "%s has no definition of struct page", what);
	if (!f->pageflags.found)
		return ps_fail(err, PS_ERR_FORMAT, "%s has no enum pageflags",
			       what);
	return PS_OK;
}

static bool all_found(struct dw_facts *f)
{
	size_t i;

	for (i = 0; i < NR_WANTED(wanted_structs); i++)
		if (!wanted_struct(f, i)->found)
			return false;
	for (i = 0; i < NR_WANTED(wanted_enums); i++)
		if (!wanted_enum(f, i)->found)
			return false;
	return f->section_bits.found && f->pfnblock_params >= 0 &&
	       f->mem_section_elem_is_pointer >= 0;
}

static void visit_top_level(struct walker *w, Dwarf_Die die)
{
	struct dw_facts *f = w->facts;
	struct dw_struct *s;
	struct dw_enum *e;
	const char *name;
	Dwarf_Half tag;

	if (dwarf_tag(die, &tag, NULL) != DW_DLV_OK)
		return;
	name = die_name(die);
	if (tag == DW_TAG_structure_type && name) {
		int nest;

		if ((s = dw_wanted_struct(f, name, &nest)))
			collect_struct(w, die, s, nest);
	} else if (tag == DW_TAG_enumeration_type && name) {
		if ((e = dw_wanted_enum(f, name)))
			collect_enum(w, die, e);
	} else if (tag == DW_TAG_enumeration_type) {
		/* The SECTION_*_BIT enum is anonymous. */
		if (!f->section_bits.found &&
		    enum_has(w, die, "SECTION_MAP_LAST_BIT"))
			collect_enum(w, die, &f->section_bits);
	} else if (tag == DW_TAG_subprogram && name &&
		   !strcmp(name, "get_pfnblock_flags_mask") &&
		   f->pfnblock_params < 0) {
		/* The declaration from pageblock-flags.h has the parameters
		 * too; GCC names only it, the definition in page_alloc.c
		 * points at it (DW_AT_specification) without a name of its
		 * own, so a walk that wanted the definition never found it. */
		f->pfnblock_params = count_params(w, die);
	} else if (tag == DW_TAG_variable && name &&
		   !strcmp(name, "mem_section") &&
		   f->mem_section_elem_is_pointer < 0) {
		collect_mem_section_var(w, die);
	}
}

/* Only top-level DIEs of each CU are visited: the definitions pinscan
 * needs are all at CU scope, and skipping function bodies is what makes
 * a 590 MB vmlinux take a fraction of a second. */
static void scan_unit(struct walker *w, Dwarf_Die cu)
{
	Dwarf_Die die = NULL, next;

	if (dwarf_child(cu, &die, NULL) != DW_DLV_OK)
		die = NULL;
	for (; die; die = next) {
		visit_top_level(w, die);
		next = NULL;
		if (dwarf_siblingof_b(w->dbg, die, 1, &next, NULL) != DW_DLV_OK)
			next = NULL;
		dwarf_dealloc_die(die);
	}
}

/* The unit dwarf_next_cu_header_d stopped at. */
static void scan_cu(struct walker *w)
{
	Dwarf_Die cu = NULL;

	if (dwarf_siblingof_b(w->dbg, NULL, 1, &cu, NULL) != DW_DLV_OK)
		return;
	scan_unit(w, cu);
	dwarf_dealloc_die(cu);
}

/* The compilation units that hold every definition pinscan needs: the
 * buddy allocator's (mm/page_alloc.c: struct page, folio and zone, enum
 * pageflags, pagetype, migratetype, zone_type, pageblock_bits,
 * get_pfnblock_flags_mask) and sparse memory's (mm/sparse.c: struct
 * mem_section and mem_section_usage, the SECTION_* enum, the variable
 * mem_section), found through .debug_aranges by a function each has
 * had since v2.6. */
static const char *const anchor_functions[] = {
	"__free_pages", "sparse_init",
	/* The owners' types: mm/rmap.c (anon_vma, anon_vma_chain), fs/file.c
	 * (files_struct, fdtable), io_uring's buffer registration
	 * (io_ring_ctx, io_mapped_ubuf); tasks, mms, vmas, files and
	 * dentries are in the allocator's unit already. */
	"anon_vma_fork", "fd_install", "io_sqe_buffers_register",
	/* VFIO, where it is built in (usually the modules vfio and
	 * vfio_iommu_type1, whose types are not in vmlinux): the container
	 * (vfio_register_iommu_driver's unit, drivers/vfio/container.c or
	 * before v6.2 vfio_main.c) and type1's (its attach_group, always
	 * emitted: it is called through the ops table). */
	"vfio_register_iommu_driver", "vfio_iommu_type1_attach_group",
	/* mm/ksm.c (the stable node and its rmap_items), where CONFIG_KSM
	 * builds it: rmap_walk_ksm, the walk of a stable node's rmap_items,
	 * is a global function of it in v4.19 through v6.12 at least. */
	"rmap_walk_ksm",
};

/* What every kernel pinscan reads has, used by those two units: when one
 * is missing from them, something is unusual and the whole walk decides. */
static bool essentials_found(const struct dw_facts *f)
{
	return f->page.found && f->list_head.found && f->mem_section.found &&
	       f->zone.found && f->pglist_data.found && f->pageflags.found &&
	       f->zone_type.found && f->migratetype.found &&
	       f->section_bits.found && f->mem_section_elem_is_pointer >= 0;
}

/* The anchor units' DIE offsets, from .debug_aranges; how many were
 * found. */
static int anchor_units(Dwarf_Debug dbg, const struct vmlinux *v,
			Dwarf_Off *units, int max)
{
	uint64_t addrs[NR_WANTED(anchor_functions)];
	bool found[NR_WANTED(anchor_functions)];
	Dwarf_Arange *aranges = NULL;
	Dwarf_Signed count = 0;
	int n = 0;
	size_t a;

	if (dwarf_get_aranges(dbg, &aranges, &count, NULL) != DW_DLV_OK)
		return 0;
	/* One pass over .symtab: the modules' anchors are not in it. */
	vmlinux_symbols(v, anchor_functions, NR_WANTED(anchor_functions),
			addrs, found);
	for (a = 0; a < NR_WANTED(anchor_functions) && n < max; a++) {
		Dwarf_Arange ar;

		if (found[a] &&
		    dwarf_get_arange(aranges, (Dwarf_Unsigned)count, addrs[a],
				     &ar, NULL) == DW_DLV_OK &&
		    dwarf_get_cu_die_offset(ar, &units[n], NULL) == DW_DLV_OK)
			n++;
	}
	/* dwarf_finish frees them; one dwarf_dealloc each took seconds on
	 * 8,000 of them. */
	return n;
}

/* Whether some string in .debug_str ends with the name (the linker
 * merges a string into the tail of a longer one). One that none ends
 * with is no DIE's DW_FORM_strp name; GCC puts short names once used in
 * .debug_info itself instead, which is why this only backs up the
 * anchor units' walk and never replaces it. */
static bool name_in_debug_str(Elf *elf, const char *name)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return true;
	while ((scn = elf_nextscn(elf, scn))) {
		const char *sname;
		Elf_Data *d;
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh) ||
		    !(sname = elf_strptr(elf, shstrndx, sh.sh_name)) ||
		    strcmp(sname, ".debug_str"))
			continue;
		d = elf_getdata(scn, NULL);
		/* Unreadable: assume the worst. */
		return !d || !d->d_buf || (sh.sh_flags & SHF_COMPRESSED) ||
		       memmem(d->d_buf, d->d_size, name, strlen(name) + 1);
	}
	return false;
}

/* Whether what the anchor units lack the kernel lacks: each optional
 * definition pinscan wants is used by mm/page_alloc.c or mm/sparse.c in
 * every kernel that has it (pagetype by PageBuddy(), folio by the
 * allocator's folio calls, mem_section_usage by the section code), so
 * GCC emits it in their units. A name that is still in .debug_str is
 * not taken as proof: the whole walk looks for it. */
static bool absent_ones_absent(Elf *elf, struct dw_facts *f)
{
	size_t i;

	for (i = 0; i < NR_WANTED(wanted_structs); i++) {
		const char *old = old_struct_name(wanted_structs[i].name);

		if (!wanted_struct(f, i)->found &&
		    (name_in_debug_str(elf, wanted_structs[i].name) ||
		     (old && name_in_debug_str(elf, old))))
			return false;
	}
	for (i = 0; i < NR_WANTED(wanted_enums); i++)
		if (!wanted_enum(f, i)->found &&
		    name_in_debug_str(elf, wanted_enums[i].name))
			return false;
	return f->pfnblock_params >= 0 ||
	       !name_in_debug_str(elf, "get_pfnblock_flags_mask");
}

/* Everything from the anchor units alone, when they are enough: true
 * with the facts filled, false with them reset for the whole walk. */
static bool collect_from_anchors(const struct vmlinux *v, struct dw_facts *f)
{
	struct walker w = { .facts = f };
	Dwarf_Off units[NR_WANTED(anchor_functions)];
	bool read_all = true;
	int n, i;

	if (dwarf_elf_init_b((dwarf_elf_handle)v->elf, DW_DLC_READ,
			     DW_GROUPNUMBER_ANY, on_dwarf_error, &w, &w.dbg,
			     &w.derr) != DW_DLV_OK)
		return false;
	n = anchor_units(w.dbg, v, units, (int)NR_WANTED(units));
	for (i = 0; i < n; i++) {
		Dwarf_Die cu = NULL;

		/* libdwarf reaches a unit by its offset after building the
		 * context of every unit before it (0.13 s on Debian 6.1's
		 * 590 MB vmlinux for mm/page_alloc.c, a quarter of the way
		 * in), which is still a fraction of walking them all. */
		if (dwarf_offdie_b(w.dbg, units[i], 1, &cu, NULL) != DW_DLV_OK) {
			read_all = false;
			break;
		}
		scan_unit(&w, cu);
		dwarf_dealloc_die(cu);
	}
	dwarf_finish(w.dbg, NULL);
	if (n && read_all && !w.nr_errors && essentials_found(f) &&
	    (all_found(f) || absent_ones_absent(v->elf, f)))
		return true;
	/* Not enough, or trouble: the whole walk decides, and says what
	 * the trouble was. */
	dw_facts_free(f);
	dw_facts_init(f);
	return false;
}

enum ps_status dw_collect(const struct vmlinux *v, struct dw_facts *f,
			     struct ps_err *err)
{
	struct walker w = { .facts = f };
	int rc;

	dw_facts_init(f);
	/* A vmlinux is linked: its DWARF needs no relocation, and applying
	 * .rela.debug_info (255 MB on Debian 6.1) costs seconds. */
	dwarf_set_reloc_application(0);
	if (getenv("PINSCAN_DWARF_FULL_WALK") == NULL &&
	    collect_from_anchors(v, f))
		return PS_OK;
	rc = dwarf_elf_init_b((dwarf_elf_handle)v->elf, DW_DLC_READ,
			      DW_GROUPNUMBER_ANY, on_dwarf_error, &w, &w.dbg,
			      &w.derr);
	if (rc == DW_DLV_NO_ENTRY)
		return ps_fail(err, PS_ERR_FORMAT,
			       "%s: has no DWARF debug info (pass the debug vmlinux, e.g. from linux-image-*-dbg)",
			       v->path);
	if (rc != DW_DLV_OK)
		return ps_fail(err, PS_ERR_FORMAT, "%s: cannot read DWARF: %s",
			       v->path, dwarf_errmsg(w.derr));
	for (;;) {
		Dwarf_Unsigned hdr_len, typeoff, next_off;
		Dwarf_Half version, addr_size, len_size, ext_size, cu_type;
		Dwarf_Off abbrev;
		Dwarf_Sig8 sig;

		rc = dwarf_next_cu_header_d(w.dbg, 1, &hdr_len, &version,
					    &abbrev, &addr_size, &len_size,
					    &ext_size, &sig, &typeoff,
					    &next_off, &cu_type, &w.derr);
		if (rc != DW_DLV_OK)
			break;
		if (!all_found(f))
			scan_cu(&w);
		/* The CU iterator must run to its end before it can be
		 * reset, so keep stepping even once everything is found. */
	}
	/* The message lives in the Dwarf_Debug: copy it before finishing. */
	if (rc == DW_DLV_ERROR && !w.nr_errors++)
		snprintf(w.first_error, sizeof(w.first_error), "%s",
			 dwarf_errmsg(w.derr));
	dwarf_finish(w.dbg, NULL);
	if (rc == DW_DLV_ERROR)
		ps_fail(err, PS_ERR_FORMAT, "%s: corrupt DWARF: %s", v->path,
			w.first_error);
	else if (!f->page.found || !f->pageflags.found)
		ps_fail(err, PS_ERR_FORMAT, "%s: DWARF has no %s%s%s", v->path,
			f->page.found ? "enum pageflags" :
			"definition of struct page",
			w.nr_errors ? ", corrupt DWARF: " : "",
			w.nr_errors ? w.first_error : "");
	else
		return PS_OK;
	/* The caller frees the facts only on success. */
	dw_facts_free(f);
	return err->status;
}

void dw_facts_free(struct dw_facts *f)
{
	size_t i;

	for (i = 0; i < NR_WANTED(wanted_structs); i++)
		free(wanted_struct(f, i)->m);
	for (i = 0; i < NR_WANTED(wanted_enums); i++)
		free(wanted_enum(f, i)->e);
	free(f->section_bits.e);
	memset(f, 0, sizeof(*f));
}

const struct dw_member *dw_struct_member(const struct dw_struct *s,
					 const char *name)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->m[i].name, name))
			return &s->m[i];
	return NULL;
}

bool dw_enum_value(const struct dw_enum *e, const char *name, int64_t *val)
{
	int i;

	for (i = 0; i < e->n; i++)
		if (!strcmp(e->e[i].name, name)) {
			if (val)
				*val = e->e[i].val;
			return true;
		}
	return false;
}
