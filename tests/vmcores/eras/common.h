/* Types shared by every era's synthetic vmlinux.
 *
 * These are the x86_64 definitions the real kernel uses (include/linux/types.h,
 * include/linux/mm_types_task.h, arch/x86/include/asm/pgtable_64_types.h),
 * trimmed to what struct page, struct folio and struct mem_section need.
 * The file is compiled freestanding by mkvmcore with
 * "gcc -g -O0 -mcmodel=kernel"; only its DWARF and symbols matter.
 */
#ifndef MKVMCORE_ERAS_COMMON_H
#define MKVMCORE_ERAS_COMMON_H

#define offsetof(type, member)	__builtin_offsetof(type, member)

typedef unsigned char u8;
typedef signed char s8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef unsigned long pgoff_t;
typedef unsigned long long dma_addr_t;	/* CONFIG_ARCH_DMA_ADDR_T_64BIT */
typedef _Bool bool;

typedef struct {
	int counter;
} atomic_t;

typedef struct {
	long counter;
} atomic64_t;
typedef atomic64_t atomic_long_t;

struct list_head {
	struct list_head *next, *prev;
};

struct callback_head {
	struct callback_head *next;
	void (*func)(struct callback_head *head);
};
#define rcu_head callback_head

/* Non-debug qspinlock: 4 bytes, so ALLOC_SPLIT_PTLOCKS is 0 and struct
 * page embeds the ptl (include/linux/mm_types_task.h). */
typedef struct qspinlock {
	union {
		atomic_t val;
		struct {
			u8 locked;
			u8 pending;
		};
	};
} arch_spinlock_t;

typedef struct raw_spinlock {
	arch_spinlock_t raw_lock;
} raw_spinlock_t;

typedef struct spinlock {
	union {
		struct raw_spinlock rlock;
	};
} spinlock_t;

typedef struct {
	unsigned long pgd;
} pgd_t;

struct address_space;
struct kmem_cache;
struct mem_cgroup;
struct obj_cgroup;
struct dev_pagemap;
struct page_pool;
struct mm_struct;
struct pglist_data;
typedef struct page *pgtable_t;

/* include/linux/wait.h, include/linux/seqlock.h (non-debug builds) */
struct task_struct;
struct wait_queue_head {
	spinlock_t lock;
	struct list_head head;
};
typedef struct wait_queue_head wait_queue_head_t;

typedef struct seqcount {
	unsigned sequence;
} seqcount_t;

/* include/linux/numa.h with CONFIG_NODES_SHIFT=10 (Debian amd64) and the
 * mmzone.h constants every era shares on x86_64. */
#define MAX_NUMNODES		1024
#define MAX_ORDER		11	/* buddy orders 0..10 */
#define ASYNC_AND_SYNC		2

/* include/uapi/linux/utsname.h */
#define __NEW_UTS_LEN 64
struct new_utsname {
	char sysname[__NEW_UTS_LEN + 1];
	char nodename[__NEW_UTS_LEN + 1];
	char release[__NEW_UTS_LEN + 1];
	char version[__NEW_UTS_LEN + 1];
	char machine[__NEW_UTS_LEN + 1];
	char domainname[__NEW_UTS_LEN + 1];
};

/* include/linux/nodemask.h with CONFIG_NODES_SHIFT=10 */
typedef struct {
	unsigned long bits[1024 / 64];
} nodemask_t;

/* Sparse memory model constants for x86_64
 * (arch/x86/include/asm/sparsemem.h, include/linux/mmzone.h).
 * MAX_PHYSMEM_BITS is 46 with 4-level paging and 52 with 5-level paging;
 * mkvmcore passes it on the command line. */
#ifndef MAX_PHYSMEM_BITS
#define MAX_PHYSMEM_BITS 46
#endif
#define SECTION_SIZE_BITS	27
#define PAGE_SHIFT		12
#define PFN_SECTION_SHIFT	(SECTION_SIZE_BITS - PAGE_SHIFT)
#define SECTIONS_SHIFT		(MAX_PHYSMEM_BITS - SECTION_SIZE_BITS)
#define NR_MEM_SECTIONS		(1UL << SECTIONS_SHIFT)
#define PAGES_PER_SECTION	(1UL << PFN_SECTION_SHIFT)

#ifdef NO_EXTREME
/* SPARSEMEM_STATIC: one section per root, a plain array. */
#define SECTIONS_PER_ROOT	1UL
#else
/* SPARSEMEM_EXTREME: one page of struct mem_section per root. */
#define SECTIONS_PER_ROOT	(4096UL / sizeof(struct mem_section))
#endif
#define NR_SECTION_ROOTS	(NR_MEM_SECTIONS / SECTIONS_PER_ROOT)

#endif /* MKVMCORE_ERAS_COMMON_H */
