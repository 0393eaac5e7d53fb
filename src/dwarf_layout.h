/* What pinscan reads from a vmlinux's DWARF: a few structs flattened to
 * (name, absolute offset), and a few enums. layout.c turns these facts
 * into a struct page_layout. */
#ifndef PINSCAN_DWARF_LAYOUT_H
#define PINSCAN_DWARF_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "vmlinux.h"

struct dw_member {
	char name[48];
	uint32_t off, size;
	uint64_t group;		/* DIE offset of the enclosing anonymous
				 * struct: tells which tail page a member
				 * of a union of per-page structs is in */
};

struct dw_struct {
	bool found;
	uint32_t size;
	int n;
	size_t cap;
	struct dw_member *m;
};

struct dw_enumerator {
	char name[48];
	int64_t val;
};

struct dw_enum {
	bool found;
	int n;
	size_t cap;
	struct dw_enumerator *e;
};

struct dw_facts {
	struct dw_struct page, folio, list_head, mem_section;
	struct dw_struct zone, pglist_data, mem_section_usage;
	struct dw_struct per_cpu_nodestat;
	/* The reverse map and the holders of pins (owners.c): named
	 * nested members of these are flattened too, as "outer.inner". */
	struct dw_struct task_struct, mm_struct, vm_area_struct, anon_vma,
		anon_vma_chain, rb_node, rb_root_cached, address_space, inode,
		super_block, dentry, files_struct, fdtable, file, io_ring_ctx,
		io_rsrc_node, io_mapped_ubuf, bio_vec, vfio_container,
		vfio_iommu_driver, vfio_iommu, vfio_dma;
	/* KSM's stable tree (mm/ksm.c): named ksm_stable_node and
	 * ksm_rmap_item since v6.1, stable_node and rmap_item before. */
	struct dw_struct ksm_stable_node, ksm_rmap_item;
	struct dw_enum pageflags, pagetype, section_bits;
	struct dw_enum zone_type, migratetype, pageblock_bits;
	struct dw_enum node_stat_item;
	int mem_section_elem_is_pointer;	/* -1 when the variable is absent */
	int pfnblock_params;	/* get_pfnblock_flags_mask's, -1 if absent */
};

enum ps_status dw_collect(const struct vmlinux *v, struct dw_facts *f,
			     struct ps_err *err);
void dw_facts_free(struct dw_facts *f);

/* For every producer of facts (DWARF here, BTF in btf_layout.c). */
void dw_facts_init(struct dw_facts *f);
/* The slot for a wanted struct or enum of that name, NULL if unwanted;
 * *nest (may be NULL): how many levels of named nested structs and
 * unions to flatten as "outer.inner". */
struct dw_struct *dw_wanted_struct(struct dw_facts *f, const char *name,
				   int *nest);
struct dw_enum *dw_wanted_enum(struct dw_facts *f, const char *name);
/* Append a member (the first of union alternatives wins), an enumerator. */
void dw_add_member(struct dw_struct *s, const char *name, uint32_t off,
		   uint32_t size, uint64_t group);
void dw_add_enumerator(struct dw_enum *e, const char *name, int64_t val);
/* What no layout can do without; `what` names the source ("X: BTF"). */
enum ps_status dw_facts_check(const struct dw_facts *f, const char *what,
			      struct ps_err *err);

const struct dw_member *dw_struct_member(const struct dw_struct *s,
					 const char *name);
bool dw_enum_value(const struct dw_enum *e, const char *name, int64_t *val);

#endif
