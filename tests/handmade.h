/* A hand-made mem_map for the unit tests (test_audit, test_scan): 64-byte
 * struct pages at HM_VMEMMAP, then a page of list heads at HM_HEADS, in an
 * unlinked temporary file read through a kcore-style target (segments
 * mapped at kernel addresses), with the layout of those struct pages. */
#ifndef PINSCAN_TESTS_HANDMADE_H
#define PINSCAN_TESTS_HANDMADE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../src/layout.h"
#include "../src/target.h"

#define HM_VMEMMAP 0xffffea0000000000ull
#define HM_HEADS 0xffff888000100000ull
#define HM_SPS 64
#define HM_LRU_OFF 8

static inline void hm_put64(uint8_t *image, uint64_t off, uint64_t v)
{
	memcpy(image + off, &v, 8);
}

/* Kernel addresses of pfn's lru and of list head i. */
static inline uint64_t hm_lru_of(uint64_t pfn)
{
	return HM_VMEMMAP + pfn * HM_SPS + HM_LRU_OFF;
}

static inline uint64_t hm_head(unsigned i)
{
	return HM_HEADS + i * 16;
}

/* An LRU page on the inactive anon list: PG_lru, PG_swapbacked, its
 * links, _refcount 1, _mapcount -1. */
static inline void hm_lru_page(uint8_t *image, uint64_t pfn, uint64_t next,
			       uint64_t prev)
{
	hm_put64(image, pfn * HM_SPS, 1u << 4 | 1u << 19);
	hm_put64(image, pfn * HM_SPS + HM_LRU_OFF, next);
	hm_put64(image, pfn * HM_SPS + HM_LRU_OFF + 8, prev);
	memcpy(image + pfn * HM_SPS + 48, &(int32_t){ -1 }, 4);
	memcpy(image + pfn * HM_SPS + 52, &(int32_t){ 1 }, 4);
}

/* List head i (after memmap_size bytes of struct pages). */
static inline void hm_list_head(uint8_t *image, uint64_t memmap_size,
				unsigned i, uint64_t next, uint64_t prev)
{
	hm_put64(image, memmap_size + i * 16, next);
	hm_put64(image, memmap_size + i * 16 + 8, prev);
}

/* flags, compound_head (in lru.next, as in the kernel), lru, _mapcount,
 * _refcount; FOLL_PIN; the flags the LRU rules need. */
static inline void hm_layout(struct page_layout *pl)
{
	layout_init(pl);
	pl->struct_page_size = HM_SPS;
	pl->flags = (struct field){ true, 0, 8 };
	pl->compound_head = (struct field){ true, 8, 8 };
	pl->lru = (struct field){ true, HM_LRU_OFF, 16 };
	pl->mapcount = (struct field){ true, 48, 4 };
	pl->refcount = (struct field){ true, 52, 4 };
	pl->pin_scheme = PIN_SCHEME_FOLL;
	pageflags_add_enumerator(&pl->pf, "PG_lru", 4);
	pageflags_add_enumerator(&pl->pf, "PG_active", 5);
	pageflags_add_enumerator(&pl->pf, "PG_head", 16);
	pageflags_add_enumerator(&pl->pf, "PG_unevictable", 18);
	pageflags_add_enumerator(&pl->pf, "PG_swapbacked", 19);
}

/* Write image (memmap_size bytes of struct pages, then 4096 of list
 * heads) to a temporary file and point t at it; its descriptor, or -1. */
static inline int hm_target(struct target *t, struct kcore_segment segs[2],
			    const uint8_t *image, uint64_t memmap_size)
{
	static char path[] = "/tmp/pinscan-test-XXXXXX";
	size_t size = memmap_size + 4096;
	int fd = mkstemp(path);

	if (fd < 0 || write(fd, image, size) != (ssize_t)size) {
		perror(path);
		return -1;
	}
	unlink(path);
	segs[0] = (struct kcore_segment){
		.vaddr = HM_VMEMMAP, .paddr = ~0ull, .offset = 0,
		.size = memmap_size,
	};
	segs[1] = (struct kcore_segment){
		.vaddr = HM_HEADS, .paddr = ~0ull, .offset = memmap_size,
		.size = 4096,
	};
	memset(t, 0, sizeof(*t));
	t->path = path;
	t->live = true;
	t->page_size = 4096;
	t->fd = fd;
	t->kc.fd = fd;
	t->kc.segs = segs;
	t->kc.nr_segs = 2;
	return fd;
}

#endif
