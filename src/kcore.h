/* /proc/kcore: the live kernel as an ELF file whose PT_LOADs map kernel
 * virtual ranges (direct map, vmemmap, text, vmalloc). libkdumpfile 0.5.1
 * ignores the segments with p_paddr == -1 (vmemmap among them) and reads
 * no VMCOREINFO from kcore, so pinscan reads kcore's segments itself. */
#ifndef PINSCAN_KCORE_H
#define PINSCAN_KCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct kcore_segment {
	uint64_t vaddr, paddr, offset, size;
};

struct kcore {
	int fd;
	struct kcore_segment *segs;
	size_t nr_segs;
	char *vmcoreinfo;	/* the VMCOREINFO note's text, or NULL */
	size_t vmcoreinfo_len;
};

/* True for an x86-64 ELF core whose segments carry kernel virtual
 * addresses the way /proc/kcore does (some with p_paddr == -1). */
bool kcore_detect(int fd);

enum ps_status kcore_open(struct kcore *kc, int fd, const char *path,
			  struct ps_err *err);
void kcore_close(struct kcore *kc);

/* Read kernel-virtual memory; *got receives how many bytes were read
 * before the first one no segment covers. */
enum ps_status kcore_read_virt(const struct kcore *kc, uint64_t addr,
			       void *buf, uint64_t len, uint64_t *got,
			       const char *path, struct ps_err *err);
/* Read physical memory through the direct-map segments. */
enum ps_status kcore_read_phys(const struct kcore *kc, uint64_t addr,
			       void *buf, uint64_t len, const char *path,
			       struct ps_err *err);

#endif
