/* Indices into synthetic_owner_layout[] (eras/owners.h): the offsets of
 * the structs the owners scenario writes (tasks, mms, vmas, anon_vma
 * chains, a file, an io_uring context), read back by mkvmcore as
 * synthetic_mm_layout[] is. #defines only, for the same reason. */
#ifndef MKVMCORE_ERAS_OWNER_LAYOUT_H
#define MKVMCORE_ERAS_OWNER_LAYOUT_H

#define O_TASK_SIZE		0
#define O_TASK_TASKS		1
#define O_TASK_MM		2
#define O_TASK_PID		3
#define O_TASK_TGID		4
#define O_TASK_COMM		5
#define O_TASK_FILES		6
#define O_MM_SIZE		7
#define O_MM_OWNER		8	/* -1: no mm->owner (no CONFIG_MEMCG) */
#define O_VMA_SIZE		9
#define O_VMA_START		10
#define O_VMA_END		11
#define O_VMA_MM		12
#define O_VMA_FLAGS		13
#define O_VMA_PGOFF		14
#define O_VMA_FILE		15
#define O_VMA_SHARED_RB		16
#define O_AV_SIZE		17
#define O_AV_ROOT		18
#define O_AV_RB_ROOT		19	/* rb_root_cached; rb_node first */
#define O_AVC_SIZE		20
#define O_AVC_VMA		21
#define O_AVC_AV		22
#define O_AVC_RB		23
#define O_RB_RIGHT		24
#define O_RB_LEFT		25
#define O_AS_SIZE		26
#define O_AS_HOST		27
#define O_AS_I_MMAP		28
#define O_INODE_SIZE		29
#define O_INODE_SB		30
#define O_INODE_INO		31
#define O_INODE_DENTRY		32
#define O_SB_SIZE		33
#define O_SB_DEV		34
#define O_DENTRY_SIZE		35
#define O_DENTRY_NAME		36	/* d_name.name */
#define O_DENTRY_ALIAS		37	/* d_u.d_alias */
#define O_FILES_SIZE		38
#define O_FILES_FDT		39
#define O_FDT_SIZE		40
#define O_FDT_MAX_FDS		41
#define O_FDT_FD		42
#define O_FILE_SIZE		43
#define O_FILE_F_OP		44
#define O_FILE_PRIVATE		45
#define O_CTX_SIZE		46
#define O_CTX_USER_BUFS		47	/* -1: v6.13+, buf_table */
#define O_CTX_NR_USER_BUFS	48
#define O_IMU_SIZE		49	/* without the bvecs */
#define O_IMU_UBUF		50
#define O_IMU_NR_BVECS		51
#define O_IMU_BVEC		52
#define O_BV_SIZE		53
#define O_BV_PAGE		54
#define O_BV_LEN		55
#define O_BV_OFFSET		56
/* v6.13+'s io_uring (-1 before): ctx->buf_table.data.{nr,nodes}, the
 * io_rsrc_node, io_mapped_ubuf.is_kbuf */
#define O_CTX_BUF_NR		57
#define O_CTX_BUF_NODES		58
#define O_NODE_SIZE		59
#define O_NODE_TYPE		60
#define O_NODE_BUF		61
#define O_IMU_IS_KBUF		62
/* VFIO type1: the container, its iommu driver, the vfio_iommu and its
 * tree of vfio_dma */
#define O_VC_SIZE		63
#define O_VC_IOMMU_DRIVER	64
#define O_VC_IOMMU_DATA		65
#define O_VID_SIZE		66
#define O_VID_OPS		67
#define O_VI_SIZE		68
#define O_VI_DMA_LIST		69	/* struct rb_root */
#define O_DMA_SIZE		70
#define O_DMA_NODE		71
#define O_DMA_IOVA		72
#define O_DMA_VADDR		73
#define O_DMA_LEN		74	/* vfio_dma.size */
#define O_DMA_TASK		75
#define O_DMA_VADDR_INVALID	76
/* 1 before v5.14: user_bufs an array of io_mapped_ubuf, bvec a pointer */
#define O_IMU_BVEC_PTR		77
#define O_KSM_NODE_SIZE		78	/* ksm_stable_node (stable_node) */
#define O_KSM_NODE_HLIST	79
#define O_KSM_NODE_HLIST_LEN	80
#define O_KSM_ITEM_SIZE		81	/* ksm_rmap_item (rmap_item) */
#define O_KSM_ITEM_MM		82
#define O_KSM_ITEM_ADDRESS	83
#define O_KSM_ITEM_HEAD		84
#define O_KSM_ITEM_HLIST	85
#define O_NR			86

#endif /* MKVMCORE_ERAS_OWNER_LAYOUT_H */
