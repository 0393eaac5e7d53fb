/* The kernel's own symbol table, where no vmlinux is at hand: kallsyms
 * decoded from the dump (its tables located by VMCOREINFO) or read from
 * /proc/kallsyms on a live system. Either gives run-time addresses, so
 * KASLR is already applied. */
#ifndef PINSCAN_KALLSYMS_H
#define PINSCAN_KALLSYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "target.h"

struct ksym {
	uint64_t addr;
	uint32_t name;		/* offset in kallsyms.names */
};

struct ks_raw;

struct kallsyms {
	char source[160];	/* where the table came from, for messages */
	/* A file's table, decoded: */
	struct ksym *syms;
	size_t nr, cap;
	char *names;		/* NUL-separated, without the type letter */
	size_t names_len, names_cap;
	/* A dump's table, as compressed in the kernel, checked but never
	 * expanded whole: a lookup compares names as it goes. */
	struct ks_raw *raw;
};

/* Decode the compressed table the dump holds (kernel/kallsyms.c's
 * format, v4.6+ base-relative offsets). NODATA when VMCOREINFO does not
 * locate it (exported since v6.0), FORMAT when it does not decode. */
enum ps_status kallsyms_from_dump(struct kallsyms *ks, struct target *t,
				  struct ps_err *err);

/* Read "ADDR TYPE NAME [module]" lines (/proc/kallsyms). Addresses all
 * zero (kptr_restrict, or not root) are refused with a message saying so. */
enum ps_status kallsyms_from_file(struct kallsyms *ks, const char *path,
				  struct ps_err *err);

/* Run-time address of the first symbol of that name. */
bool kallsyms_lookup(const struct kallsyms *ks, const char *name,
		     uint64_t *addr);

void kallsyms_free(struct kallsyms *ks);

#endif
