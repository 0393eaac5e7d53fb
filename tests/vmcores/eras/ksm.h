/* mm/ksm.c's stable node and rmap_item, which pinscan's owners stage
 * follows from a KSM page (page->mapping = stable node | 3) to the mms
 * that map it. The kernel's definitions (from v4.13, which brought the
 * stable node chains and rmap_hlist_len; unchanged since but for the
 * names and the age), with an x86_64 distro config (CONFIG_NUMA).
 *
 *   KSM_OLD_NAMES  struct stable_node and rmap_item, as before v6.1
 *                  (commit 21fbd59136e0, "ksm: add the ksm prefix to the
 *                  names of the ksm private structures"); else
 *                  ksm_stable_node and ksm_rmap_item
 *   KSM_RMAP_AGE   the rmap_item's age and remaining_skips (v6.7, "mm/ksm:
 *                  add "smart" page scanning mode"), in the hole after
 *                  oldchecksum
 *
 * The era declares struct rb_node, hlist_head, hlist_node and list_head
 * first. KSM_STABLE_NODE and KSM_RMAP_ITEM name the structs for the
 * era's offset table. */
#ifndef MKVMCORE_ERAS_KSM_H
#define MKVMCORE_ERAS_KSM_H

#ifdef KSM_OLD_NAMES
#define KSM_STABLE_NODE stable_node
#define KSM_RMAP_ITEM rmap_item
#else
#define KSM_STABLE_NODE ksm_stable_node
#define KSM_RMAP_ITEM ksm_rmap_item
#endif

struct anon_vma;
struct mm_struct;

struct KSM_STABLE_NODE {
	union {
		struct rb_node node;	/* when node of stable tree */
		struct {		/* when listed for migration */
			struct list_head *head;
			struct {
				struct hlist_node hlist_dup;
				struct list_head list;
			};
		};
	};
	struct hlist_head hlist;
	union {
		unsigned long kpfn;
		unsigned long chain_prune_time;
	};
	int rmap_hlist_len;	/* STABLE_NODE_CHAIN (-1024): a chain head */
	int nid;
};

struct KSM_RMAP_ITEM {
	struct KSM_RMAP_ITEM *rmap_list;
	union {
		struct anon_vma *anon_vma;	/* when stable */
		int nid;		/* when node of unstable tree */
	};
	struct mm_struct *mm;
	unsigned long address;		/* + low bits used for flags */
	unsigned int oldchecksum;	/* when unstable */
#ifdef KSM_RMAP_AGE
	unsigned char age;
	unsigned char remaining_skips;
#endif
	union {
		struct rb_node node;	/* when node of unstable tree */
		struct {		/* when listed from stable tree */
			struct KSM_STABLE_NODE *head;
			struct hlist_node hlist;
		};
	};
};

/* Keep both types in the DWARF. */
struct KSM_STABLE_NODE *synthetic_ksm_node_ref;
struct KSM_RMAP_ITEM *synthetic_ksm_item_ref;

#endif /* MKVMCORE_ERAS_KSM_H */
