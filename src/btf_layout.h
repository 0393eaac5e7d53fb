/* What pinscan reads from a kernel's BTF (CONFIG_DEBUG_INFO_BTF): the
 * same facts the DWARF path collects, so that layout.c decides every era
 * question once for both. BTF has types and functions but no global
 * variables, so mem_section_elem_is_pointer stays unknown (-1) and
 * memmap decides it from VMCOREINFO, as it does without DWARF. */
#ifndef PINSCAN_BTF_LAYOUT_H
#define PINSCAN_BTF_LAYOUT_H

#include <stddef.h>

#include "dwarf_layout.h"
#include "error.h"
#include "kallsyms.h"
#include "target.h"

/* Parse raw BTF (libbpf's btf__new) and collect the facts. `what` names
 * where the bytes came from, for messages. */
enum ps_status btf_collect(const void *data, size_t size, const char *what,
			   struct dw_facts *f, struct ps_err *err);

/* Raw BTF of a live kernel (/sys/kernel/btf/vmlinux); free() it. */
enum ps_status btf_read_file(const char *path, void **data, size_t *size,
			     struct ps_err *err);

/* Raw BTF of a dump's kernel image, __start_BTF..__stop_BTF (the .BTF
 * section, v5.7+ with CONFIG_DEBUG_INFO_BTF) located by kallsyms; free() it. */
enum ps_status btf_read_dump(struct target *t, const struct kallsyms *ks,
			     void **data, size_t *size, struct ps_err *err);

#endif
