/* Dump access: the only stage that knows which file format it reads.
 * Everything above asks for kernel-virtual or physical bytes. */
#ifndef PINSCAN_TARGET_H
#define PINSCAN_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "vmcoreinfo.h"


struct target {
	char *path;		/* as given by the user, for messages */
	char format[32];	/* "elf", "kdump", "flattened kdump", ... */
	struct _kdump_ctx *kd;
	struct _addrxlat_ctx *xctx;
	struct _addrxlat_sys *xsys;
	int fd;			/* what libkdumpfile reads: the file, or its
				 * reassembled copy when it was flattened */
	struct vmcoreinfo vmcoreinfo;
	char release[65];	/* OSRELEASE */
	uint64_t kaslr_offset;	/* KERNELOFFSET, 0 without KASLR */
	uint64_t page_size;
};

/* Open a vmcore (ELF, kdump-compressed or its flattened form). */
enum ps_status target_open(struct target *t, const char *path,
			   struct ps_err *err);
void target_close(struct target *t);

/* Read len bytes of kernel-virtual memory; all or nothing. */
enum ps_status target_read_virt(struct target *t, uint64_t addr, void *buf,
				size_t len, struct ps_err *err);

/* Read physical memory; *got receives how many bytes were read before
 * the first one the dump lacks (NODATA). */
enum ps_status target_read_phys(struct target *t, uint64_t addr, void *buf,
				size_t len, size_t *got, struct ps_err *err);

/* Translate one kernel-virtual address through the dump's page tables. */
enum ps_status target_virt_to_phys(struct target *t, uint64_t addr,
				   uint64_t *phys, struct ps_err *err);

/* Read a u64 / pointer at a kernel-virtual address. */
enum ps_status target_read_u64(struct target *t, uint64_t addr,
			       uint64_t *val, struct ps_err *err);

#endif
