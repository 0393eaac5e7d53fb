#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libkdumpfile/kdumpfile.h>

#include "flattened.h"
#include "target.h"

/* A small cache streams compressed dumps faster: pinscan reads each page
 * once, in order, so a big cache only costs memory. */
#define KDUMP_CACHE_PAGES 64

static enum ps_status kdump_failure(struct target *t, struct ps_err *err,
				    const char *what)
{
	return ps_fail(err, PS_ERR_FORMAT, "%s: %s: %s", t->path, what,
		       kdump_get_err(t->kd));
}

/* QEMU's kdump files leave arch.name unset; libkdumpfile then cannot
 * translate anything. pinscan only supports x86-64 dumps for now. */
static enum ps_status ensure_arch(struct target *t, struct ps_err *err)
{
	const char *arch = NULL;

	if (kdump_get_string_attr(t->kd, KDUMP_ATTR_ARCH_NAME, &arch) ==
	    KDUMP_OK && arch) {
		if (strcmp(arch, "x86_64"))
			return ps_fail(err, PS_ERR_UNSUPPORTED,
				       "%s: architecture %s is not supported (x86_64 only)",
				       t->path, arch);
		return PS_OK;
	}
	kdump_clear_err(t->kd);
	if (kdump_set_string_attr(t->kd, KDUMP_ATTR_ARCH_NAME, "x86_64"))
		return kdump_failure(t, err, "cannot set the architecture");
	return PS_OK;
}

static enum ps_status load_vmcoreinfo(struct target *t, struct ps_err *err)
{
	char *raw = NULL;
	uint64_t off;

	if (kdump_vmcoreinfo_raw(t->kd, &raw) != KDUMP_OK || !raw)
		return ps_fail(err, PS_ERR_NODATA,
			       "%s: the dump carries no VMCOREINFO (for QEMU dumps add -device vmcoreinfo and load qemu_fw_cfg in the guest)",
			       t->path);
	vmcoreinfo_set(&t->vmcoreinfo, raw, strlen(raw));
	free(raw);
	if (!vmcoreinfo_get(&t->vmcoreinfo, "OSRELEASE", t->release,
			    sizeof(t->release)))
		strcpy(t->release, "unknown");
	if (vmcoreinfo_hex(&t->vmcoreinfo, "KERNELOFFSET", &off))
		t->kaslr_offset = off;
	return PS_OK;
}

static enum ps_status open_kdump(struct target *t, int fd, struct ps_err *err)
{
	const char *fmt = NULL;
	kdump_num_t psize;

	t->kd = kdump_new();
	if (!t->kd)
		return ps_fail(err, PS_ERR_NOMEM, "cannot allocate a dump context");
	kdump_set_number_attr(t->kd, "cache.size", KDUMP_CACHE_PAGES);
	if (kdump_open_fd(t->kd, fd) != KDUMP_OK)
		return kdump_failure(t, err, "not a dump libkdumpfile can read");
	if (kdump_get_string_attr(t->kd, KDUMP_ATTR_FILE_FORMAT, &fmt) ==
	    KDUMP_OK && fmt && !t->format[0])
		snprintf(t->format, sizeof(t->format), "%s", fmt);
	if (ensure_arch(t, err))
		return err->status;
	/* Kernel-virtual reads and VMCOREINFO need the OS type first. */
	if (kdump_set_string_attr(t->kd, KDUMP_ATTR_OSTYPE, "linux"))
		return kdump_failure(t, err, "cannot set up Linux address translation");
	if (kdump_get_number_attr(t->kd, KDUMP_ATTR_PAGE_SIZE, &psize) ==
	    KDUMP_OK)
		t->page_size = psize;
	else
		t->page_size = 4096;
	if (kdump_get_addrxlat(t->kd, &t->xctx, &t->xsys) != KDUMP_OK)
		return kdump_failure(t, err, "no address translation");
	return load_vmcoreinfo(t, err);
}

enum ps_status target_open(struct target *t, const char *path,
			   struct ps_err *err)
{
	int fd;

	memset(t, 0, sizeof(*t));
	t->fd = -1;
	t->path = strdup(path);
	t->fd = fd = open(path, O_RDONLY);
	if (fd < 0)
		return ps_fail(err, PS_ERR_IO, "%s: %s", path, strerror(errno));
	if (flattened_detect(fd)) {
		enum ps_status st = flattened_reassemble(fd, path, &t->fd, err);

		close(fd);
		if (st) {
			t->fd = -1;
			return st;
		}
		fd = t->fd;
		strcpy(t->format, "flattened ");
	}
	if (open_kdump(t, fd, err))
		return err->status;
	if (t->format[0] == 'f') {
		const char *fmt = NULL;

		kdump_get_string_attr(t->kd, KDUMP_ATTR_FILE_FORMAT, &fmt);
		snprintf(t->format, sizeof(t->format), "flattened %s",
			 fmt ? fmt : "kdump");
	}
	return PS_OK;
}

void target_close(struct target *t)
{
	if (t->xctx)
		addrxlat_ctx_decref(t->xctx);
	if (t->xsys)
		addrxlat_sys_decref(t->xsys);
	if (t->kd)
		kdump_free(t->kd);
	/* libkdumpfile does not own the descriptor it was given. */
	if (t->fd >= 0)
		close(t->fd);
	vmcoreinfo_free(&t->vmcoreinfo);
	free(t->path);
	memset(t, 0, sizeof(*t));
	t->fd = -1;
}

enum ps_status target_read_virt(struct target *t, uint64_t addr, void *buf,
				size_t len, struct ps_err *err)
{
	size_t got = len;

	if (kdump_read(t->kd, KDUMP_KVADDR, addr, buf, &got) != KDUMP_OK)
		return ps_fail(err, PS_ERR_NODATA,
			       "%s: cannot read %zu bytes at kernel address 0x%llx: %s",
			       t->path, len, (unsigned long long)addr,
			       kdump_get_err(t->kd));
	return PS_OK;
}

enum ps_status target_read_phys(struct target *t, uint64_t addr, void *buf,
				size_t len, size_t *got, struct ps_err *err)
{
	kdump_status ks;

	*got = len;
	ks = kdump_read(t->kd, KDUMP_KPHYSADDR, addr, buf, got);
	if (ks == KDUMP_OK)
		return PS_OK;
	return ps_fail(err, ks == KDUMP_ERR_NODATA ? PS_ERR_NODATA : PS_ERR_IO,
		       "%s: cannot read physical address 0x%llx: %s", t->path,
		       (unsigned long long)(addr + *got), kdump_get_err(t->kd));
}

enum ps_status target_virt_to_phys(struct target *t, uint64_t addr,
				   uint64_t *phys, struct ps_err *err)
{
	addrxlat_fulladdr_t fa = { .addr = addr, .as = ADDRXLAT_KVADDR };
	addrxlat_status xs;

	xs = addrxlat_fulladdr_conv(&fa, ADDRXLAT_KPHYSADDR, t->xctx, t->xsys);
	if (xs != ADDRXLAT_OK) {
		ps_fail(err, PS_ERR_NODATA,
			"%s: cannot translate kernel address 0x%llx: %s",
			t->path, (unsigned long long)addr,
			addrxlat_ctx_get_err(t->xctx));
		addrxlat_ctx_clear_err(t->xctx);
		return PS_ERR_NODATA;
	}
	*phys = fa.addr;
	return PS_OK;
}

enum ps_status target_read_u64(struct target *t, uint64_t addr,
			       uint64_t *val, struct ps_err *err)
{
	return target_read_virt(t, addr, val, sizeof(*val), err);
}
