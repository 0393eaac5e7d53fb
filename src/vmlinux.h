/* The vmlinux ELF: its symbol table and build-id (libelf, mmap'd). The
 * DWARF layout stage reads the same open file. */
#ifndef PINSCAN_VMLINUX_H
#define PINSCAN_VMLINUX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct Elf;

struct vmlinux {
	char *path;
	int fd;
	struct Elf *elf;
	char build_id[129];	/* lowercase hex, "" when the note is absent */
	char release[65];	/* from linux_banner, "" when unknown */
	struct Elf_Scn *symtab;
	size_t symtab_strndx;
};

enum ps_status vmlinux_open(struct vmlinux *v, const char *path,
			    struct ps_err *err);
void vmlinux_close(struct vmlinux *v);

/* Link-time address of a symbol (add the KASLR offset for run time). */
bool vmlinux_symbol(const struct vmlinux *v, const char *name,
		    uint64_t *addr);
/* The same for n names in one pass over the table (a name the kernel
 * lacks costs a whole pass): found[i] says whether addrs[i] was set. */
void vmlinux_symbols(const struct vmlinux *v, const char *const *names,
		     size_t n, uint64_t *addrs, bool *found);

#endif
