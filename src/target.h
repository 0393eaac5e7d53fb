/* Dump access: the only stage that knows which file format it reads.
 * Everything above asks for kernel-virtual or physical bytes. */
#ifndef PINSCAN_TARGET_H
#define PINSCAN_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dump_guard.h"
#include "error.h"
#include "kcore.h"
#include "vmcoreinfo.h"


struct target_opts {
	/* VMCOREINFO to use instead of the dump's: KEY=VALUE text, or the
	 * "PADDR SIZE" of /sys/kernel/vmcoreinfo (read from the target). */
	const char *vmcoreinfo_path;
	/* Where trouble that does not stop reading goes (may be NULL). */
	struct ps_warnings *warnings;
};

struct target {
	char *path;		/* as given by the user, for messages */
	bool live;		/* /proc/kcore: read through kc, not kd */
	struct kcore kc;
	char format[32];	/* "elf", "kdump", "flattened kdump", ... */
	struct _kdump_ctx *kd;
	struct _addrxlat_ctx *xctx;
	struct _addrxlat_sys *xsys;
	/* Which physical pages the file holds: ELF reads of an absent page
	 * that ends where the next PT_LOAD starts return zeros with
	 * KDUMP_OK in libkdumpfile 0.5.1, so absence is asked here. */
	struct _kdump_bmp *pagemap;
	/* ELF: the physical ranges the file really holds (PT_LOAD file
	 * images cut at the end of the file), sorted and merged; asked
	 * instead of libkdumpfile's page map (see find_elf_present). */
	struct phys_range {
		uint64_t start, end;
	} *present;
	size_t nr_present;
	bool elf_ranges;
	/* ELF: each PT_LOAD's file image (cut at the end of the file), read
	 * with pread(2) straight into the caller's buffer: libkdumpfile
	 * copies page by page through a cache its clones share under a
	 * lock, which costs more than the scan itself. */
	struct elf_load {
		uint64_t paddr, offset, size;
	} *loads;
	size_t nr_loads;
	/* Failed libkdumpfile reads, counted across a target and its clones
	 * (the original owns the counter); retired: too many, the dump is
	 * read no further (kdump_recover). */
	unsigned *kd_failures;
	bool kd_failures_owned, kd_retired;
	/* kdump: pages the file lists but cannot deliver (dump_guard). */
	struct dump_damage damage;
	/* Trouble that did not stop the scan (a truncated file, a corrupt
	 * page): target_opts.warnings; NULL in a clone, whose thread must
	 * not write the session's list. */
	struct ps_warnings *warnings;
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

/* A second handle on an open target, for another thread: libkdumpfile
 * contexts must never be shared between threads (kdump_clone). On
 * failure dst holds nothing (closed). Warnings are not its to give: its
 * warnings list is NULL. */
enum ps_status target_clone(const struct target *src, struct target *dst,
			    struct ps_err *err);

/* Read len bytes of kernel-virtual memory; all or nothing. */
enum ps_status target_read_virt(struct target *t, uint64_t addr, void *buf,
				size_t len, struct ps_err *err);

/* Called for each byte range [from, to) of a sparse read that the dump
 * lacks (offsets from the start of the read). */
typedef void (*target_hole_fn)(void *arg, uint64_t from, uint64_t to);

/* Read a long kernel-virtual range (a run of mem_map), as fast as the
 * format allows; bytes the dump lacks are zeroed and reported to hole().
 * A page that is there but cannot be read (corrupt) is a hole too, and a
 * warning in warnings (NULL: none, for a second read of the same bytes).
 * Fails only on errors other than missing data. */
enum ps_status target_read_virt_sparse(struct target *t, uint64_t addr,
				       void *buf, uint64_t len,
				       target_hole_fn hole, void *arg,
				       struct ps_warnings *warnings,
				       struct ps_err *err);

/* Read a u64 / pointer at a kernel-virtual address. */
enum ps_status target_read_u64(struct target *t, uint64_t addr,
			       uint64_t *val, struct ps_err *err);

#endif
