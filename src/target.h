/* Dump access: the only stage that knows which file format it reads.
 * Everything above asks for kernel-virtual or physical bytes. */
#ifndef PINSCAN_TARGET_H
#define PINSCAN_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "kcore.h"
#include "vmcoreinfo.h"


struct target_opts {
	/* VMCOREINFO to use instead of the dump's: KEY=VALUE text, or the
	 * "PADDR SIZE" of /sys/kernel/vmcoreinfo (read from the target). */
	const char *vmcoreinfo_path;
};

struct target {
	char *path;		/* as given by the user, for messages */
	bool live;		/* /proc/kcore: read through kc, not kd */
	struct kcore kc;
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

/* Open a vmcore (ELF, kdump-compressed or its flattened form) or
 * /proc/kcore. opts may be NULL. */
enum ps_status target_open(struct target *t, const char *path,
			   const struct target_opts *opts, struct ps_err *err);
void target_close(struct target *t);

/* Read len bytes of kernel-virtual memory; all or nothing. */
enum ps_status target_read_virt(struct target *t, uint64_t addr, void *buf,
				size_t len, struct ps_err *err);

/* Called for each byte range [from, to) of a sparse read that the dump
 * lacks (offsets from the start of the read). */
typedef void (*target_hole_fn)(void *arg, uint64_t from, uint64_t to);

/* Read a long kernel-virtual range (a run of mem_map), as fast as the
 * format allows; bytes the dump lacks are zeroed and reported to hole().
 * Fails only on errors other than missing data. */
enum ps_status target_read_virt_sparse(struct target *t, uint64_t addr,
				       void *buf, uint64_t len,
				       target_hole_fn hole, void *arg,
				       struct ps_err *err);

/* Read a u64 / pointer at a kernel-virtual address. */
enum ps_status target_read_u64(struct target *t, uint64_t addr,
			       uint64_t *val, struct ps_err *err);

#endif
