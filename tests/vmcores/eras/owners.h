/* The structs pinscan's owners stage follows, for the eras that have them
 * (6.1, 6.12), with the members it reads at the places the kernel has
 * them and enough of the rest around them that offsets are not zero.
 * Not the kernels' full definitions: pinscan reads every offset from the
 * DWARF, so what matters is that each member exists under its name, in
 * the nesting the kernel uses (vm_area_struct.shared.rb, dentry.d_name.name
 * and dentry.d_u.d_alias, anon_vma.rb_root.rb_root.rb_node, io_ring_ctx's
 * anonymous cache-line groups).
 *
 *   OWNERS_NO_MM_OWNER  mm_struct without `owner` (a kernel without
 *                       CONFIG_MEMCG): owners come from the task list
 *   OWNERS_UBUF_6_12    v6.12's io_mapped_ubuf (len, folio_shift, refs)
 *                       and vm_area_struct (vm_start in a union with
 *                       vm_rcu, vm_flags in a union with __vm_flags);
 *                       else v6.1's (ubuf_end)
 *   OWNERS_UBUF_5_10    v5.10's io_uring (before v5.14's "io_uring: keep
 *                       table of pointers to ubufs"): ctx->user_bufs an
 *                       array of struct io_mapped_ubuf, whose bvec is a
 *                       pointer to its bio_vecs
 *   OWNERS_BUF_TABLE    with OWNERS_UBUF_6_12: v6.15+'s io_uring, the
 *                       registered buffers in ctx->buf_table (struct
 *                       io_buf_table, its data's io_rsrc_node pointers)
 *                       instead of ctx->user_bufs, and io_mapped_ubuf
 *                       with release, priv, is_kbuf and dir
 *
 * Included by the era file before kernel_vars.h. */
#include "owner_layout.h"

typedef int pid_t;
typedef unsigned int dev_t;
typedef unsigned int gfp_t;
typedef struct { unsigned long pgprot; } pgprot_t;
typedef struct { atomic_t refs; } refcount_t;

struct hlist_head {
	struct hlist_node *first;
};
struct hlist_node {
	struct hlist_node *next, **pprev;
};
struct hlist_bl_node {
	struct hlist_bl_node *next, **pprev;
};

struct rb_node {
	unsigned long __rb_parent_color;
	struct rb_node *rb_right;
	struct rb_node *rb_left;
} __attribute__((aligned(sizeof(long))));
struct rb_root {
	struct rb_node *rb_node;
};
struct rb_root_cached {
	struct rb_root rb_root;
	struct rb_node *rb_leftmost;
};

/* A lock's bytes, where pinscan reads nothing. */
struct rw_semaphore {
	atomic_long_t count;
	atomic_long_t owner;
	unsigned long osq_wait[3];
};

struct files_struct;
struct file;
struct io_ring_ctx;

struct task_struct {
	unsigned int __state;
	void *stack;
	refcount_t usage;
	unsigned int flags;
	unsigned long sched_bytes[40];
	struct list_head tasks;
	struct mm_struct *mm;
	struct mm_struct *active_mm;
	int exit_state;
	pid_t pid;
	pid_t tgid;
	struct task_struct *real_parent;
	struct task_struct *group_leader;
	unsigned long cred_bytes[12];
	char comm[16];
	unsigned long fs_bytes[4];
	struct files_struct *files;
	unsigned long rest[16];
};

struct mm_struct {
	struct {
		unsigned long mm_mt_bytes[4];
		unsigned long mmap_base;
		unsigned long task_size;
		void *pgd;
		atomic_t mm_users;
		atomic_t mm_count;
		unsigned long counters[20];
#ifndef OWNERS_NO_MM_OWNER
		struct task_struct *owner;	/* CONFIG_MEMCG */
#endif
		unsigned long more[8];
	};
	unsigned long cpu_bitmap[];
};

struct vm_area_struct {
#ifdef OWNERS_UBUF_6_12
	union {
		struct {
			unsigned long vm_start;
			unsigned long vm_end;
		};
		struct callback_head vm_rcu;
	};
	struct mm_struct *vm_mm;
	pgprot_t vm_page_prot;
	union {
		const unsigned long vm_flags;
		unsigned long __vm_flags;
	};
	bool detached;
	unsigned int vm_lock_seq;
	void *vm_lock;
#else
	unsigned long vm_start;
	unsigned long vm_end;
	struct mm_struct *vm_mm;
	pgprot_t vm_page_prot;
	unsigned long vm_flags;
#endif
	struct {
		struct rb_node rb;
		unsigned long rb_subtree_last;
	} shared;
	struct list_head anon_vma_chain;
	struct anon_vma *anon_vma;
	const void *vm_ops;
	unsigned long vm_pgoff;
	struct file *vm_file;
	void *vm_private_data;
};

struct anon_vma {
	struct anon_vma *root;
	struct rw_semaphore rwsem;
	atomic_t refcount;
	unsigned long num_children;
	unsigned long num_active_vmas;
	struct anon_vma *parent;
	struct rb_root_cached rb_root;
};

struct anon_vma_chain {
	struct vm_area_struct *vma;
	struct anon_vma *anon_vma;
	struct list_head same_vma;
	struct rb_node rb;
	unsigned long rb_subtree_last;
};

struct super_block {
	struct list_head s_list;
	dev_t s_dev;
	unsigned char s_blocksize_bits;
	unsigned long s_blocksize;
};

struct inode {
	unsigned short i_mode;
	unsigned short i_opflags;
	unsigned int i_uid, i_gid;
	unsigned int i_flags;
	void *i_acl, *i_default_acl;
	const void *i_op;
	struct super_block *i_sb;
	struct address_space *i_mapping;
	unsigned long i_ino;
	unsigned long times[10];
	struct hlist_node i_hash;
	struct list_head i_io_list;
	union {
		struct hlist_head i_dentry;
		struct callback_head i_rcu;
	};
};

struct xarray {
	spinlock_t xa_lock;
	gfp_t xa_flags;
	void *xa_head;
};

struct address_space {
	struct inode *host;
	struct xarray i_pages;
	struct rw_semaphore invalidate_lock;
	gfp_t gfp_mask;
	atomic_t i_mmap_writable;
	struct rb_root_cached i_mmap;
	unsigned long nrpages;
};

struct qstr {
	union {
		struct {
			u32 hash;
			u32 len;
		};
		u64 hash_len;
	};
	const unsigned char *name;
};

struct dentry {
	unsigned int d_flags;
	unsigned int d_seq;
	struct hlist_bl_node d_hash;
	struct dentry *d_parent;
	struct qstr d_name;
	struct inode *d_inode;
	unsigned char d_iname[32];
	unsigned long d_lockref;
	const void *d_op;
	struct super_block *d_sb;
	unsigned long d_time;
	void *d_fsdata;
	struct list_head d_lru;
	struct list_head d_child;
	struct list_head d_subdirs;
	union {
		struct hlist_node d_alias;
		struct hlist_bl_node d_in_lookup_hash;
		struct callback_head d_rcu;
	} d_u;
};

struct fdtable {
	unsigned int max_fds;
	struct file **fd;
	unsigned long *close_on_exec;
	unsigned long *open_fds;
	unsigned long *full_fds_bits;
	struct callback_head rcu;
};

struct files_struct {
	atomic_t count;
	bool resize_in_progress;
	unsigned long resize_wait[3];
	struct fdtable *fdt;
	struct fdtable fdtab;
	spinlock_t file_lock;
	unsigned int next_fd;
	unsigned long close_on_exec_init[1];
	unsigned long open_fds_init[1];
	unsigned long full_fds_bits_init[1];
	struct file *fd_array[64];
};

struct path {
	void *mnt;
	struct dentry *dentry;
};

struct file_operations {
	void *owner;
	long (*llseek)(struct file *, long, int);
	long (*read)(struct file *, char *, unsigned long, long *);
};

struct file {
	union {
		struct list_head fu_llist;
		struct callback_head fu_rcuhead;
	} f_u;
	struct path f_path;
	struct inode *f_inode;
	const struct file_operations *f_op;
	spinlock_t f_lock;
	atomic_long_t f_count;
	unsigned int f_flags;
	unsigned int f_mode;
	unsigned long f_pos;
	void *private_data;
	struct address_space *f_mapping;
};

struct bio_vec {
	struct page *bv_page;
	unsigned int bv_len;
	unsigned int bv_offset;
};

struct io_mapped_ubuf {
	u64 ubuf;
#ifdef OWNERS_BUF_TABLE
	unsigned int len;
	unsigned int nr_bvecs;
	unsigned int folio_shift;
	refcount_t refs;
	unsigned long acct_pages;
	void (*release)(void *);
	void *priv;
	bool is_kbuf;
	u8 dir;
#elif defined(OWNERS_UBUF_6_12)
	unsigned int len;
	unsigned int nr_bvecs;
	unsigned int folio_shift;
	refcount_t refs;
	unsigned long acct_pages;
#elif defined(OWNERS_UBUF_5_10)
	unsigned long len;		/* size_t */
	struct bio_vec *bvec;
	unsigned int nr_bvecs;
	unsigned long acct_pages;
#else
	u64 ubuf_end;
	unsigned int nr_bvecs;
	unsigned long acct_pages;
#endif
#ifndef OWNERS_UBUF_5_10
	struct bio_vec bvec[];	/* before v5.14 a pointer, above */
#endif
};

#ifdef OWNERS_BUF_TABLE
/* io_uring/rsrc.h, include/linux/io_uring_types.h */
struct io_rsrc_node {
	unsigned char type;
	int refs;
	u64 tag;
	union {
		unsigned long file_ptr;
		struct io_mapped_ubuf *buf;
	};
};

struct io_rsrc_data {
	unsigned int nr;
	struct io_rsrc_node **nodes;
};

struct io_file_table {
	struct io_rsrc_data data;
	unsigned long *bitmap;
	unsigned int alloc_hint;
};

struct io_alloc_cache {
	void **entries;
	unsigned int nr_cached;
	unsigned int max_cached;
	unsigned int elem_size;
	unsigned int init_clear;
};

struct io_buf_table {
	struct io_rsrc_data data;
	struct io_alloc_cache node_cache;
	struct io_alloc_cache imu_cache;
};
#endif

/* The cache-line groups of io_ring_ctx are anonymous structs. */
struct io_ring_ctx {
	struct {
		unsigned int flags;
		unsigned int drain_next;
		unsigned long submit_state[8];
	} __attribute__((aligned(64)));
	struct {
		unsigned long uring_lock[4];
		unsigned int *sq_array;
		void *sq_sqes;
		unsigned int cached_sq_head;
		unsigned int sq_entries;
#ifdef OWNERS_BUF_TABLE
		unsigned int cancel_seq;
		bool poll_multi_queue;
		unsigned long iopoll_list[2];
		struct io_file_table file_table;
		struct io_buf_table buf_table;
#else
		void *rsrc_node;
		void *file_data;
#ifdef OWNERS_UBUF_5_10
		struct io_mapped_ubuf *user_bufs;
#else
		struct io_mapped_ubuf **user_bufs;
#endif
		unsigned int nr_user_bufs;
		unsigned int file_table_bytes;
#endif
	} __attribute__((aligned(64)));
	unsigned long more[16];
};

/* VFIO type1 (drivers/vfio/container.c, vfio_iommu_type1.c): modules
 * in a real kernel, built in here so that the DWARF has them. */
struct vfio_iommu_driver_ops {
	const char *name;
	void *(*open)(unsigned long arg);
	void (*release)(void *iommu_data);
};

struct vfio_iommu_driver {
	const struct vfio_iommu_driver_ops *ops;
	struct list_head vfio_next;
};

struct vfio_container {
	atomic_t kref;
	struct list_head group_list;
	struct rw_semaphore group_lock;
	struct vfio_iommu_driver *iommu_driver;
	void *iommu_data;
	bool noiommu;
};

struct vfio_iommu {
	struct list_head domain_list;
	struct list_head iova_list;
	unsigned long lock[4];
	struct rb_root dma_list;
	unsigned long notifier[3];
	unsigned int dma_avail;
	unsigned int vaddr_invalid_count;
	u64 pgsize_bitmap;
	bool v2;
};

struct vfio_dma {
	struct rb_node node;
	u64 iova;			/* dma_addr_t */
	unsigned long vaddr;
	unsigned long size;
	int prot;
	bool iommu_mapped;
	bool lock_cap;
	bool vaddr_invalid;
	struct task_struct *task;
	struct rb_root pfn_list;
	unsigned long *bitmap;
	struct mm_struct *mm;
	unsigned long locked_vm;
};

/* KSM's stable node and rmap_items (the era defines KSM_OLD_NAMES before
 * v6.1, KSM_RMAP_AGE from v6.7). */
#include "ksm.h"

/* kernel/fork.c, io_uring/io_uring.c, drivers/vfio/container.c and
 * vfio_iommu_type1.c (static there) */
struct task_struct init_task;
const struct file_operations io_uring_fops;
const struct file_operations vfio_fops;
const struct vfio_iommu_driver_ops vfio_iommu_driver_ops_type1;
/* Not a kernel variable: another iommu driver's ops (spapr_tce's), whose
 * container's iommu_data is not a type1 vfio_iommu (a near miss). */
const struct vfio_iommu_driver_ops synthetic_other_iommu_ops;
/* Not a kernel variable: the f_op of the ordinary file the owners
 * scenario opens next to the ring (a near miss for the holders). */
const struct file_operations synthetic_other_fops;

/* Not a kernel variable: where mkvmcore writes each member (owner_layout.h). */
const long synthetic_owner_layout[O_NR] = {
	[O_TASK_SIZE] = sizeof(struct task_struct),
	[O_TASK_TASKS] = offsetof(struct task_struct, tasks),
	[O_TASK_MM] = offsetof(struct task_struct, mm),
	[O_TASK_PID] = offsetof(struct task_struct, pid),
	[O_TASK_TGID] = offsetof(struct task_struct, tgid),
	[O_TASK_COMM] = offsetof(struct task_struct, comm),
	[O_TASK_FILES] = offsetof(struct task_struct, files),
	[O_MM_SIZE] = sizeof(struct mm_struct),
#ifdef OWNERS_NO_MM_OWNER
	[O_MM_OWNER] = -1,
#else
	[O_MM_OWNER] = offsetof(struct mm_struct, owner),
#endif
	[O_VMA_SIZE] = sizeof(struct vm_area_struct),
	[O_VMA_START] = offsetof(struct vm_area_struct, vm_start),
	[O_VMA_END] = offsetof(struct vm_area_struct, vm_end),
	[O_VMA_MM] = offsetof(struct vm_area_struct, vm_mm),
	[O_VMA_FLAGS] = offsetof(struct vm_area_struct, vm_flags),
	[O_VMA_PGOFF] = offsetof(struct vm_area_struct, vm_pgoff),
	[O_VMA_FILE] = offsetof(struct vm_area_struct, vm_file),
	[O_VMA_SHARED_RB] = offsetof(struct vm_area_struct, shared.rb),
	[O_AV_SIZE] = sizeof(struct anon_vma),
	[O_AV_ROOT] = offsetof(struct anon_vma, root),
	[O_AV_RB_ROOT] = offsetof(struct anon_vma, rb_root),
	[O_AVC_SIZE] = sizeof(struct anon_vma_chain),
	[O_AVC_VMA] = offsetof(struct anon_vma_chain, vma),
	[O_AVC_AV] = offsetof(struct anon_vma_chain, anon_vma),
	[O_AVC_RB] = offsetof(struct anon_vma_chain, rb),
	[O_RB_RIGHT] = offsetof(struct rb_node, rb_right),
	[O_RB_LEFT] = offsetof(struct rb_node, rb_left),
	[O_AS_SIZE] = sizeof(struct address_space),
	[O_AS_HOST] = offsetof(struct address_space, host),
	[O_AS_I_MMAP] = offsetof(struct address_space, i_mmap),
	[O_INODE_SIZE] = sizeof(struct inode),
	[O_INODE_SB] = offsetof(struct inode, i_sb),
	[O_INODE_INO] = offsetof(struct inode, i_ino),
	[O_INODE_DENTRY] = offsetof(struct inode, i_dentry),
	[O_SB_SIZE] = sizeof(struct super_block),
	[O_SB_DEV] = offsetof(struct super_block, s_dev),
	[O_DENTRY_SIZE] = sizeof(struct dentry),
	[O_DENTRY_NAME] = offsetof(struct dentry, d_name.name),
	[O_DENTRY_ALIAS] = offsetof(struct dentry, d_u.d_alias),
	[O_FILES_SIZE] = sizeof(struct files_struct),
	[O_FILES_FDT] = offsetof(struct files_struct, fdt),
	[O_FDT_SIZE] = sizeof(struct fdtable),
	[O_FDT_MAX_FDS] = offsetof(struct fdtable, max_fds),
	[O_FDT_FD] = offsetof(struct fdtable, fd),
	[O_FILE_SIZE] = sizeof(struct file),
	[O_FILE_F_OP] = offsetof(struct file, f_op),
	[O_FILE_PRIVATE] = offsetof(struct file, private_data),
	[O_CTX_SIZE] = sizeof(struct io_ring_ctx),
#ifdef OWNERS_BUF_TABLE
	[O_CTX_USER_BUFS] = -1,
	[O_CTX_NR_USER_BUFS] = -1,
	[O_CTX_BUF_NR] = offsetof(struct io_ring_ctx, buf_table.data.nr),
	[O_CTX_BUF_NODES] = offsetof(struct io_ring_ctx, buf_table.data.nodes),
	[O_NODE_SIZE] = sizeof(struct io_rsrc_node),
	[O_NODE_TYPE] = offsetof(struct io_rsrc_node, type),
	[O_NODE_BUF] = offsetof(struct io_rsrc_node, buf),
	[O_IMU_IS_KBUF] = offsetof(struct io_mapped_ubuf, is_kbuf),
#else
	[O_CTX_USER_BUFS] = offsetof(struct io_ring_ctx, user_bufs),
	[O_CTX_NR_USER_BUFS] = offsetof(struct io_ring_ctx, nr_user_bufs),
	[O_CTX_BUF_NR] = -1,
	[O_CTX_BUF_NODES] = -1,
	[O_NODE_SIZE] = -1,
	[O_NODE_TYPE] = -1,
	[O_NODE_BUF] = -1,
	[O_IMU_IS_KBUF] = -1,
#endif
#ifdef OWNERS_UBUF_5_10
	[O_IMU_BVEC_PTR] = 1,
#else
	[O_IMU_BVEC_PTR] = 0,
#endif
	[O_IMU_SIZE] = sizeof(struct io_mapped_ubuf),
	[O_IMU_UBUF] = offsetof(struct io_mapped_ubuf, ubuf),
	[O_IMU_NR_BVECS] = offsetof(struct io_mapped_ubuf, nr_bvecs),
	[O_IMU_BVEC] = offsetof(struct io_mapped_ubuf, bvec),
	[O_BV_SIZE] = sizeof(struct bio_vec),
	[O_BV_PAGE] = offsetof(struct bio_vec, bv_page),
	[O_BV_LEN] = offsetof(struct bio_vec, bv_len),
	[O_BV_OFFSET] = offsetof(struct bio_vec, bv_offset),
	[O_VC_SIZE] = sizeof(struct vfio_container),
	[O_VC_IOMMU_DRIVER] = offsetof(struct vfio_container, iommu_driver),
	[O_VC_IOMMU_DATA] = offsetof(struct vfio_container, iommu_data),
	[O_VID_SIZE] = sizeof(struct vfio_iommu_driver),
	[O_VID_OPS] = offsetof(struct vfio_iommu_driver, ops),
	[O_VI_SIZE] = sizeof(struct vfio_iommu),
	[O_VI_DMA_LIST] = offsetof(struct vfio_iommu, dma_list),
	[O_DMA_SIZE] = sizeof(struct vfio_dma),
	[O_DMA_NODE] = offsetof(struct vfio_dma, node),
	[O_DMA_IOVA] = offsetof(struct vfio_dma, iova),
	[O_DMA_VADDR] = offsetof(struct vfio_dma, vaddr),
	[O_DMA_LEN] = offsetof(struct vfio_dma, size),
	[O_DMA_TASK] = offsetof(struct vfio_dma, task),
	[O_DMA_VADDR_INVALID] = offsetof(struct vfio_dma, vaddr_invalid),
	[O_KSM_NODE_SIZE] = sizeof(struct KSM_STABLE_NODE),
	[O_KSM_NODE_HLIST] = offsetof(struct KSM_STABLE_NODE, hlist),
	[O_KSM_NODE_HLIST_LEN] = offsetof(struct KSM_STABLE_NODE, rmap_hlist_len),
	[O_KSM_ITEM_SIZE] = sizeof(struct KSM_RMAP_ITEM),
	[O_KSM_ITEM_MM] = offsetof(struct KSM_RMAP_ITEM, mm),
	[O_KSM_ITEM_ADDRESS] = offsetof(struct KSM_RMAP_ITEM, address),
	[O_KSM_ITEM_HEAD] = offsetof(struct KSM_RMAP_ITEM, head),
	[O_KSM_ITEM_HLIST] = offsetof(struct KSM_RMAP_ITEM, hlist),
};

/* Keep every type in the DWARF. */
struct vm_area_struct *synthetic_vma_ref;
struct anon_vma_chain *synthetic_avc_ref;
struct address_space *synthetic_as_ref;
struct inode *synthetic_inode_ref;
struct dentry *synthetic_dentry_ref;
struct files_struct *synthetic_files_ref;
struct file *synthetic_file_ref;
struct io_ring_ctx *synthetic_ctx_ref;
struct io_mapped_ubuf *synthetic_imu_ref;
struct vfio_container *synthetic_vfio_container_ref;
struct vfio_iommu *synthetic_vfio_iommu_ref;
struct vfio_dma *synthetic_vfio_dma_ref;
#ifdef OWNERS_BUF_TABLE
struct io_rsrc_node *synthetic_rsrc_node_ref;
#endif
