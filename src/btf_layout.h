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

/* Parse raw BTF (libbpf's btf__new) and collect the facts. `what` names
 * where the bytes came from, for messages. */
enum ps_status btf_collect(const void *data, size_t size, const char *what,
			   struct dw_facts *f, struct ps_err *err);

#endif
