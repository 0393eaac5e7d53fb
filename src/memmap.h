/* The mem_map walk: mem_section roots -> present sections -> struct pages,
 * read in whole-section runs through physical addresses. */
#ifndef PINSCAN_MEMMAP_H
#define PINSCAN_MEMMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "layout.h"
#include "target.h"

/* x86-64: the lowest kernel address with 5-level paging (4-level kernels
 * start higher). A pointer a struct page holds is never below it. */
#define KERNEL_ADDR_MIN 0xff00000000000000ull

static inline bool memmap_is_kernel_addr(uint64_t addr)
{
	return addr >= KERNEL_ADDR_MIN;
}

struct mm_section {
	uint64_t nr;		/* section number */
	uint64_t start_pfn;
	uint64_t map;		/* kernel address of the struct page of pfn 0
				 * as the section encodes it: page of pfn p is
				 * at map + p * sizeof(struct page) */
	uint64_t usage;		/* struct mem_section_usage *, or 0 */
};

struct memmap {
	struct target *t;
	const struct page_layout *pl;
	uint64_t pages_per_section;
	struct mm_section *sections;	/* present ones, by section number */
	uint64_t nr_sections;
	uint64_t nr_bad_roots;		/* roots the dump could not give */
	uint64_t nr_skipped;		/* sections whose mem_map is implausible */
	struct ps_warnings *warnings;	/* the target's: sections skipped */
};

/* Read mem_section and list the present sections. */
enum ps_status memmap_open(struct memmap *mm, struct target *t,
			   const struct page_layout *pl, struct ps_err *err);
void memmap_close(struct memmap *mm);

/* Read the struct pages of [pfn, pfn + count), all in section sec, into
 * buf (count * struct_page_size bytes). Pages the dump lacks are marked in
 * the missing bitmap (count bits, zeroed first) and counted in
 * *nr_missing; their bytes are zero. Fails only on errors other than
 * missing data. */
enum ps_status memmap_read(struct memmap *mm, const struct mm_section *sec,
			   uint64_t pfn, uint32_t count, uint8_t *buf,
			   uint64_t *missing, uint32_t *nr_missing,
			   struct ps_err *err);

/* The present section holding pfn, or NULL. */
const struct mm_section *memmap_find(const struct memmap *mm, uint64_t pfn);

/* The kernel address of pfn's struct page (0 when not present). */
uint64_t memmap_page_addr(const struct memmap *mm, uint64_t pfn);

/* The pfn whose struct page contains a kernel address (and the offset
 * into it), or UINT64_MAX when the address is not in mem_map. */
uint64_t memmap_page_containing(const struct memmap *mm, uint64_t addr,
				uint32_t *offset);

/* The pfn whose struct page starts at a kernel address, or UINT64_MAX. */
uint64_t memmap_addr_to_pfn(const struct memmap *mm, uint64_t addr);

#endif
