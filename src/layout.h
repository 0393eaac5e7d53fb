/* struct page_layout: everything pinscan knows about one kernel's struct
 * page, filled once (from DWARF, or from VMCOREINFO alone) and asked by
 * every later stage. Every era switch is decided here, nowhere else. */
#ifndef PINSCAN_LAYOUT_H
#define PINSCAN_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "pageflags.h"
#include "vmlinux.h"
#include "vmcoreinfo.h"

/* A member, at an offset from the start of a struct page. Offsets of
 * compound metadata are from the head page and may lie in page[1] or
 * page[2]. */
struct field {
	bool present;
	uint32_t off;
	uint32_t size;
};

/* How the kernel records that a page is pinned for DMA. */
enum pin_scheme {
	PIN_SCHEME_NONE,	/* neither FOLL_PIN nor the RFC: pins invisible */
	PIN_SCHEME_RFC,		/* 2018 RFC: flag word in a union with lru */
	PIN_SCHEME_FOLL,	/* FOLL_PIN (v5.7+): refcount bias + pincount */
};

/* Where a large folio's exact pin count lives, when the era has one. */
enum large_pin_kind {
	LARGE_PIN_NONE,
	LARGE_PIN_HPAGE_PINNED_REFCOUNT,	/* page[2], v5.7..v5.19 */
	LARGE_PIN_COMPOUND_PINCOUNT,		/* page[1] or page[2] */
	LARGE_PIN_FOLIO_PINCOUNT,		/* folio->_pincount */
};

/* Where a compound page's order lives. */
enum order_kind {
	ORDER_NONE,
	ORDER_BYTE,		/* compound_order / _folio_order byte */
	ORDER_FLAGS_1_LOW_BYTE,	/* folio->_flags_1 & 0xff, v6.6+ */
};

/* Where a layout came from, best first (the session's order of
 * preference; JSON layout.kind). */
enum layout_kind {
	LAYOUT_VMCOREINFO,	/* VMCOREINFO alone: reduced */
	LAYOUT_DWARF,		/* a debug vmlinux's DWARF */
	LAYOUT_FILE,		/* a saved layout file (--layout) */
	LAYOUT_BTF,		/* the kernel's own BTF */
};

#define LAYOUT_MAX_REDUCED 6

/* What owners.c follows from a pinned page to the tasks that map it and
 * the subsystems that hold the pin: members of the reverse map, the task
 * list, open files and io_uring's registered buffers. Absent members make
 * owners (or holders) unavailable, said so in the report. */
struct owner_layout {
	struct field task_tasks, task_pid, task_tgid, task_comm, task_mm,
		task_files;
	struct field mm_owner;
	struct field vma_start, vma_end, vma_mm, vma_flags, vma_pgoff,
		vma_file, vma_shared_rb;
	struct field anon_vma_root, anon_vma_rb_root;
	struct field avc_vma, avc_rb;
	struct field rb_left, rb_right;
	struct field rb_root_node;		/* rb_root_cached.rb_root.rb_node */
	struct field as_host, as_i_mmap;
	struct field inode_ino, inode_sb, inode_dentry;
	struct field sb_dev;
	struct field dentry_name, dentry_alias;
	struct field files_fdt, fdt_max_fds, fdt_fd;
	struct field file_f_op, file_private;
	/* io_uring up to v6.12: ctx->user_bufs[nr_user_bufs] */
	struct field ctx_user_bufs, ctx_nr_user_bufs;
	/* v6.13+: ctx->buf_table's nodes[nr], each a struct io_rsrc_node
	 * whose buf is the io_mapped_ubuf */
	struct field ctx_buf_nr, ctx_buf_nodes, rsrc_node_type, rsrc_node_buf;
	struct field imu_ubuf, imu_nr_bvecs, imu_bvec, imu_is_kbuf;
	/* Before v5.14 ("io_uring: keep table of pointers to ubufs"):
	 * user_bufs is an array of struct io_mapped_ubuf (imu_size bytes
	 * each) and bvec a pointer (imu_bvec.size 8, not a flexible array's
	 * 0) */
	uint32_t imu_size;
	struct field bv_page, bv_len, bv_offset;
	uint32_t bio_vec_size;
	/* VFIO type1 (modules vfio, vfio_iommu_type1): the container file's
	 * struct vfio_container, its iommu_driver's ops and iommu_data, a
	 * struct vfio_iommu whose dma_list is an rb tree of struct vfio_dma */
	struct field vc_iommu_driver, vc_iommu_data, vid_ops, vi_dma_root;
	struct field dma_node, dma_iova, dma_vaddr, dma_size, dma_task,
		dma_vaddr_invalid;
	/* KSM (mm/ksm.c): a KSM page's mapping points at its stable node,
	 * whose hlist links one rmap_item per (mm, address) mapping it. */
	struct field ksm_node_hlist, ksm_node_hlist_len;
	struct field ksm_item_hlist, ksm_item_head, ksm_item_mm,
		ksm_item_address;
};

struct page_layout {
	enum layout_kind kind;
	bool cached;		/* read back from the layout cache (kind is
				 * what it was first derived from) */
	char source[512];	/* where it came from, for the report */
	char release[65];	/* the vmlinux's linux_banner release, or "" */
	uint32_t page_size;	/* PAGE_SIZE of the kernel */
	uint32_t struct_page_size;

	struct field flags, compound_head, lru, refcount, mapcount, mapping,
		index, private_;
	uint32_t list_next_off, list_prev_off;	/* struct list_head */

	/* v5.18+: unevictable folios are on no list; lru.prev holds
	 * mlock_count and lru.next stays whatever it was. */
	int unevictable_unlisted;
	/* Bit i: page[i]'s _refcount bytes hold a folio member (so a
	 * nonzero value there is not a tail refcount). */
	uint32_t tail_refcount_overlaid;

	/* v6.15+ (struct folio has _mm_ids): with CONFIG_NO_PAGE_MAPCOUNT
	 * the per-page _mapcount of a large folio's pages stays -1; the
	 * folio's mappings are folio->_large_mapcount + 1, in page[1]. */
	struct field large_mapcount;		/* from the head page */
	/* v7.1 (compound_head renamed compound_info): with a power-of-two
	 * sizeof(struct page) and HVO, a tail holds a mask that turns its
	 * own address into its head's, not a pointer to the head. */
	int compound_info_mask;

	enum order_kind order_kind;
	struct field order;			/* from the head page */
	struct field nr_pages;			/* compound_nr / _folio_nr_pages */

	enum pin_scheme pin_scheme;
	struct field rfc_flags, rfc_count;	/* PIN_SCHEME_RFC */
	uint64_t rfc_pin_mask;			/* 0x2 (v1) or 0x4 (v2) */
	enum large_pin_kind large_pin_kind;	/* PIN_SCHEME_FOLL */
	struct field large_pin;			/* from the head page */
	unsigned large_pin_min_order;

	/* enum pageflags and the page_type encoding */
	struct pageflags pf;

	/* Zones and pageblocks, for the rules on where pins may not be.
	 * -1/absent where the kernel (or the DWARF) has none. */
	uint32_t zone_size, zone_start_pfn_off, zone_spanned_off;
	uint32_t pgdat_node_zones_off;
	struct field pgdat_node_start, pgdat_node_spanned, pgdat_node_id;
	int zone_movable;			/* enum zone_type */
	int migrate_cma;			/* enum migratetype */
	/* The pointer in struct mem_section that leads to the section's
	 * pageblock bitmap (usage, or pageblock_flags before v5.3), and the
	 * bitmap's offset in what it points at. */
	struct field section_usage;
	struct field pageblock_flags;
	int pageblock_msb_first;		/* bit order before v5.9 */
	unsigned pageblock_order, nr_pageblock_bits;

	/* The kernel's own count of FOLL_PIN references (v5.7+): node stats
	 * NR_FOLL_PIN_ACQUIRED/RELEASED, each node's pglist_data.vm_stat[]
	 * (atomic_long_t) plus every CPU's not yet folded
	 * per_cpu_nodestat.vm_node_stat_diff[] (s8), through the __percpu
	 * pointer pglist_data.per_cpu_nodestats. -1/absent: no such counters
	 * (4.19 + RFC), or a layout source without the types. */
	int nr_foll_pin_acquired, nr_foll_pin_released;	/* node_stat_item */
	uint32_t nr_node_stat_items;		/* NR_VM_NODE_STAT_ITEMS */
	struct field pgdat_vm_stat, pgdat_per_cpu_nodestats;
	struct field nodestat_diff;		/* in struct per_cpu_nodestat */
	uint32_t per_cpu_nodestat_size;
	/* Link-time addresses (add KERNELOFFSET) of what the counters are
	 * read through and VMCOREINFO does not name, from the vmlinux's
	 * symbols: a layout file then needs neither the vmlinux nor the
	 * dump's kallsyms for them. 0 where unknown. */
	uint64_t sym_per_cpu_offset, sym_nr_cpu_ids, sym_cpu_possible_mask;

	/* mem_section */
	uint32_t mem_section_size, section_mem_map_off;
	uint64_t section_map_mask;		/* clears the SECTION_* bits */
	uint64_t section_has_mem_map;
	int sparsemem_extreme;			/* 1, 0, or -1 unknown */
	unsigned section_size_bits, max_physmem_bits;

	/* What this layout cannot answer that a DWARF layout would, each
	 * with why (static text; the report lists them under "reduced"). */
	const char *reduced[LAYOUT_MAX_REDUCED];
	unsigned nr_reduced;

	struct owner_layout ow;
};

/* Whether owners.c can follow the reverse map to tasks, and whether it
 * can find io_uring's registered buffers, with this layout. */
bool layout_has_owners(const struct page_layout *pl);
bool layout_has_io_uring(const struct page_layout *pl);
bool layout_has_vfio(const struct page_layout *pl);
/* Whether owners.c can follow a KSM page's stable node to its rmap_items. */
bool layout_has_ksm(const struct page_layout *pl);
/* Whether the layout locates the kernel's FOLL_PIN counters (node stats
 * NR_FOLL_PIN_ACQUIRED/RELEASED), with numbers that fit together. */
bool layout_has_pin_accounting(const struct page_layout *pl);

/* The link-time address of one of the pin accounting's symbols the layout
 * keeps (__per_cpu_offset, nr_cpu_ids, __cpu_possible_mask); false for
 * another name or one unknown. */
bool layout_symbol(const struct page_layout *pl, const char *name,
		   uint64_t *addr);
/* Fill them in from a symbol table (a vmlinux's, or kallsyms' run-time
 * addresses less offset, the KASLR offset); absent ones and any outside
 * the kernel image stay 0. */
typedef bool (*layout_symbol_fn)(const void *arg, const char *name,
				 uint64_t *addr);
void layout_find_symbols(struct page_layout *pl, layout_symbol_fn lookup,
			 const void *arg, uint64_t offset);

/* Every member at its default: absent fields and flags, the x86-64
 * constants no DWARF holds. Where every layout source starts. */
void layout_init(struct page_layout *pl);

/* Fill the layout from the vmlinux's DWARF. What is a #define in the
 * kernel, or depends on how it booted, comes later from VMCOREINFO. */
enum ps_status layout_from_dwarf(struct page_layout *pl,
				 const struct vmlinux *v, struct ps_err *err);

/* Fill the layout from the kernel's BTF (raw .BTF bytes): the same
 * facts as DWARF, decided the same way. `what` names the BTF's origin;
 * `release` is the kernel's (OSRELEASE), recorded like linux_banner's. */
enum ps_status layout_from_btf(struct page_layout *pl, const void *btf,
			       size_t size, const char *what,
			       const char *release, struct ps_err *err);

/* Complete a layout (from DWARF, a layout file or VMCOREINFO) with what
 * only the running kernel knows: PAGESIZE, PG_buddy, SECTION_SIZE_BITS,
 * MAX_PHYSMEM_BITS. */
void layout_apply_vmcoreinfo(struct page_layout *pl,
			     const struct vmcoreinfo *vi);

/* Fill what VMCOREINFO alone tells (no vmlinux): offsets of the common
 * members; pins only through the refcount bias. */
enum ps_status layout_from_vmcoreinfo(struct page_layout *pl,
				      const struct vmcoreinfo *vi,
				      struct ps_err *err);

/* Check a complete layout, whatever its source, before anything reads
 * struct pages with it: every member inside the struct, the list_head
 * inside lru, mem_section and pageblock sizes consistent, the x86-64
 * constants. what names the source (a file) for the message. */
enum ps_status layout_validate(const struct page_layout *pl, const char *what,
			       struct ps_err *err);

/* Check the numbers in VMCOREINFO that pinscan uses (PAGESIZE, SIZE(page),
 * OFFSET(page.*), SECTION_SIZE_BITS, MAX_PHYSMEM_BITS, SIZE(mem_section))
 * before any is trusted; where names the VMCOREINFO's file. */
enum ps_status layout_check_vmcoreinfo_values(const struct vmcoreinfo *vi,
					      const char *where,
					      struct ps_err *err);

/* Check the layout against the dump's own VMCOREINFO (SIZE(page),
 * OFFSET(page.*)): a mismatch means the wrong vmlinux. */
enum ps_status layout_check_vmcoreinfo(const struct page_layout *pl,
				       const struct vmcoreinfo *vi,
				       struct ps_err *err);

/* "dwarf", "layout-file", "btf" or "vmcoreinfo" (JSON layout.kind). */
const char *layout_kind_name(enum layout_kind k);

#endif
