/* Owners and holders of pinned pages: after the scan, for pinned entries
 * only, the reverse map from a page to the tasks that map it (anon_vma
 * or address_space interval trees -> vma -> mm -> task) and the
 * subsystems that recorded the pin (io_uring's registered buffers, found
 * through each task's open files). Every walk over the dump is bounded
 * and guarded against cycles: a broken chain gives "owner unknown: why",
 * never a hang or an owner that is not one. */
#ifndef PINSCAN_OWNERS_H
#define PINSCAN_OWNERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "layout.h"
#include "memmap.h"
#include "target.h"

#define OWNER_COMM_LEN 16	/* TASK_COMM_LEN */
#define OWNER_NAME_LEN 64	/* a file's name, cut */
/* Owners kept per entry; more are counted in nr_owners_more. */
#define OWNERS_MAX_PER_ENTRY 32

enum owner_kind {
	OWNER_ANON,		/* through the anon_vma */
	OWNER_FILE,		/* through the address_space's i_mmap */
	OWNER_KSM,		/* a KSM page: through its stable node */
};

/* One task mapping the entry's first page. */
struct pin_owner {
	int64_t pid;		/* the task's tgid: the pid users see */
	char comm[OWNER_COMM_LEN + 1];
	uint64_t vaddr;		/* user address of the entry's first page */
	enum owner_kind kind;
	uint64_t ino;		/* files: inode number, device, a name */
	uint32_t dev;		/* the kernel's dev_t (MAJOR << 20 | MINOR) */
	char name[OWNER_NAME_LEN + 1];
};

/* A subsystem whose record of the pin names the entry's pages, found
 * through a task's open file recognised by its f_op symbol, its
 * private_data followed to the pinned ranges (owners.c, holder_sources).
 * io_uring records the pages themselves; VFIO type1 records user address
 * ranges, matched against the entry's owners. RDMA (ib_umem) would be
 * another kind, but an ib_umem is reached only through each driver's own
 * memory-region struct. */
enum holder_kind {
	HOLDER_IO_URING,	/* a registered (fixed) buffer */
	HOLDER_VFIO,		/* a VFIO type1 container's DMA mapping */
};

struct pin_holder {
	enum holder_kind kind;
	int64_t pid;
	char comm[OWNER_COMM_LEN + 1];
	int64_t fd;		/* the file descriptor in that task */
	uint32_t index;		/* io_uring: the registered buffer's index */
	uint64_t uaddr;		/* io_uring: the buffer's user address;
				 * vfio: the entry's first page's */
	uint64_t iova;		/* vfio: the device address of that page */
};

/* What pinscan found out about one pinned entry. */
struct pin_owners {
	struct pin_owner *owners;
	size_t nr_owners, cap_owners, nr_owners_more;
	struct pin_holder *holders;
	size_t nr_holders, cap_holders;
	/* "" when owners were found; else why not: "mapped by nobody: ...",
	 * "owner unknown: ...", "KSM page: ..." */
	char note[200];
};

/* Symbols the owners stage needs, run-time addresses (0: absent). */
struct owner_symbols {
	uint64_t init_task;
	uint64_t io_uring_fops;
	/* The VFIO container's file_operations and type1's iommu driver
	 * ops: both in modules, so in no vmlinux's or dump's kallsyms
	 * unless VFIO is built in. */
	uint64_t vfio_fops, vfio_type1_ops;
	/* hugetlb_basepage_index() (before it __basepage_index()) exists
	 * while a hugetlb page's index
	 * counts huge pages (Debian's 6.1 has it; 6.12, where the index
	 * counts base pages since "mm/filemap: remove hugetlb special
	 * casing in filemap.c", has not). */
	bool hugetlb_index_in_huge_pages;
};

struct owner_task {
	uint64_t addr, mm, files;
	int64_t pid;
	char comm[OWNER_COMM_LEN + 1];
};

/* One range of pfns a holder names. */
struct holder_span {
	uint64_t pfn, nr;
	struct pin_holder h;
};

/* One VFIO DMA mapping: user addresses [vaddr, vaddr + size) of the
 * process pid, at device address iova. */
struct vfio_range {
	int64_t pid;
	uint64_t vaddr, size, iova;
	struct pin_holder h;
};

struct owners {
	struct target *t;
	const struct page_layout *pl;
	const struct memmap *mm;
	struct owner_symbols sym;
	/* Why owners or holders cannot be resolved at all ("" if they can),
	 * and why VFIO's mappings are not followed ("" if they are). */
	char owners_why[200], holders_why[200], vfio_why[200];
	/* The task list, read once when first needed. */
	bool tasks_read;
	char tasks_why[200];
	struct owner_task *tasks;
	size_t nr_tasks, cap_tasks;
	/* Every holder's pfn ranges, collected once, sorted by pfn. */
	bool holders_read;
	struct holder_span *spans;
	size_t nr_spans, cap_spans;
	uint64_t max_span;
	/* VFIO's mappings, sorted by vaddr. */
	struct vfio_range *vfio;
	size_t nr_vfio, cap_vfio;
	uint64_t max_vfio_size;
};

/* Set up the stage; it reads nothing until the first entry is asked. */
void owners_init(struct owners *o, struct target *t,
		 const struct page_layout *pl, const struct memmap *mm,
		 const struct owner_symbols *sym);
void owners_free(struct owners *o);

/* Owners and holders of the pinned entry [pfn, pfn + nr_pages) into out
 * (zeroed first; free with pin_owners_free). What the dump does not give
 * goes in out->note; only running out of memory fails. */
enum ps_status owners_resolve(struct owners *o, uint64_t pfn,
			      uint64_t nr_pages, struct pin_owners *out,
			      struct ps_err *err);
void pin_owners_free(struct pin_owners *po);

/* One owner or holder in a line of text (the report, the TUI):
 * "pid 90 (workload) at 0x7f92dbfee000 (anon)",
 * "pid 90 (workload): io_uring fd 6, registered buffer 3". */
void owner_describe(const struct pin_owner *o, char *buf, size_t size);
void holder_describe(const struct pin_holder *h, char *buf, size_t size);

/* "anon", "file" or "ksm" (JSON owners[].kind); "io_uring", "vfio"
 * (holders[].kind). */
const char *owner_kind_name(enum owner_kind k);
const char *holder_kind_name(enum holder_kind k);

#endif
