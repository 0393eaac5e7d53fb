/* VMCOREINFO: the kernel's own KEY=VALUE description of itself, as found in
 * a dump's note, in /sys/kernel/vmcoreinfo, or in a layout file. */
#ifndef PINSCAN_VMCOREINFO_H
#define PINSCAN_VMCOREINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vmcoreinfo {
	char *text;		/* owned copy, lines end with '\n' */
};

/* Take a copy of raw VMCOREINFO text (may be NULL: empty info). */
int vmcoreinfo_set(struct vmcoreinfo *vi, const char *text, size_t len);
void vmcoreinfo_free(struct vmcoreinfo *vi);

/* The value of KEY as a string (up to the end of line), copied into buf;
 * false when absent. */
bool vmcoreinfo_get(const struct vmcoreinfo *vi, const char *key,
		    char *buf, size_t bufsz);

/* NUMBER(name)=decimal (may be negative). */
bool vmcoreinfo_number(const struct vmcoreinfo *vi, const char *name,
		       int64_t *val);
/* SYMBOL(name)=hex */
bool vmcoreinfo_symbol(const struct vmcoreinfo *vi, const char *name,
		       uint64_t *val);
/* OFFSET(struct.member)=decimal, SIZE(name)=decimal, LENGTH(name)=decimal */
bool vmcoreinfo_offset(const struct vmcoreinfo *vi, const char *name,
		       int64_t *val);
bool vmcoreinfo_size(const struct vmcoreinfo *vi, const char *name,
		     int64_t *val);
bool vmcoreinfo_length(const struct vmcoreinfo *vi, const char *name,
		       int64_t *val);
/* A bare hex value such as KERNELOFFSET=1e000000 */
bool vmcoreinfo_hex(const struct vmcoreinfo *vi, const char *key,
		    uint64_t *val);

/* Walk the keys in the order the text has them ("NUMBER(PG_lru)", ...):
 * *pos starts at 0; false after the last. Lines without '=' and keys
 * longer than keysz are passed over. */
bool vmcoreinfo_next_key(const struct vmcoreinfo *vi, size_t *pos,
			 char *key, size_t keysz);

#endif
