#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gelf.h>
#include <libelf.h>
#include <libkdumpfile/kdumpfile.h>
#include <sys/stat.h>

#include "dump_guard.h"
#include "flattened.h"
#include "target.h"
#include "util.h"

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

/* What every VMCOREINFO source leads to. */
static void use_vmcoreinfo(struct target *t)
{
	uint64_t off;

	if (!vmcoreinfo_get(&t->vmcoreinfo, "OSRELEASE", t->release,
			    sizeof(t->release)))
		strcpy(t->release, "unknown");
	if (vmcoreinfo_hex(&t->vmcoreinfo, "KERNELOFFSET", &off))
		t->kaslr_offset = off;
}

static enum ps_status read_phys(struct target *t, uint64_t addr, void *buf,
				size_t len, struct ps_err *err);
static enum ps_status virt_to_phys(struct target *t, uint64_t addr,
				   uint64_t *phys);

/* /sys/kernel/vmcoreinfo holds "PADDR SIZE" of the kernel's VMCOREINFO ELF
 * note; read the note from the target and keep its text. */
static enum ps_status vmcoreinfo_from_note(struct target *t, uint64_t paddr,
					   uint64_t size, const char *file,
					   struct ps_err *err)
{
	uint32_t hdr[3];
	char *note AUTOFREE = NULL;
	uint64_t name_sz, desc_off;

	if (size < sizeof(hdr) || size > (1u << 20))
		return ps_fail(err, PS_ERR_FORMAT, "%s: implausible note size %llu",
			       file, (unsigned long long)size);
	note = malloc(size + 1);
	if (!note)
		return ps_fail(err, PS_ERR_NOMEM, "out of memory");
	if (read_phys(t, paddr, note, size, err))
		return ps_wrap(err, "reading the VMCOREINFO note named by %s", file);
	memcpy(hdr, note, sizeof(hdr));
	name_sz = (hdr[0] + 3) & ~3u;
	desc_off = sizeof(hdr) + name_sz;
	if (desc_off + hdr[1] > size)
		return ps_fail(err, PS_ERR_FORMAT, "%s: the note at 0x%llx is not VMCOREINFO",
			       file, (unsigned long long)paddr);
	if (vmcoreinfo_set(&t->vmcoreinfo, note + desc_off, hdr[1]))
		return ps_fail(err, PS_ERR_NOMEM, "out of memory");
	return PS_OK;
}

static enum ps_status vmcoreinfo_from_file(struct target *t, const char *file,
					   struct ps_err *err)
{
	unsigned long long paddr, size;
	char *text;
	long len;
	int failed;
	FILE *f = fopen(file, "r");

	if (!f)
		return ps_fail(err, PS_ERR_IO, "%s: %s", file, strerror(errno));
	text = malloc(1 << 20);
	len = text ? (long)fread(text, 1, (1 << 20) - 1, f) : -1;
	fclose(f);
	if (len < 0) {
		free(text);
		return ps_fail(err, PS_ERR_NOMEM, "out of memory");
	}
	text[len] = '\0';
	if (!strchr(text, '=') && sscanf(text, "%llx %llx", &paddr, &size) == 2) {
		free(text);
		return vmcoreinfo_from_note(t, paddr, size, file, err);
	}
	failed = vmcoreinfo_set(&t->vmcoreinfo, text, (size_t)len);
	free(text);
	if (failed)
		return ps_fail(err, PS_ERR_NOMEM, "out of memory");
	return PS_OK;
}

static enum ps_status load_vmcoreinfo(struct target *t,
				      const struct target_opts *opts,
				      struct ps_err *err)
{
	char *raw = NULL;

	if (opts && opts->vmcoreinfo_path) {
		if (vmcoreinfo_from_file(t, opts->vmcoreinfo_path, err))
			return err->status;
	} else if (t->live && t->kc.vmcoreinfo) {
		/* Since v4.19 /proc/kcore carries the note itself. */
		if (vmcoreinfo_set(&t->vmcoreinfo, t->kc.vmcoreinfo,
				   t->kc.vmcoreinfo_len))
			return ps_fail(err, PS_ERR_NOMEM, "out of memory");
	} else if (t->live) {
		if (vmcoreinfo_from_file(t, "/sys/kernel/vmcoreinfo", err))
			return err->status;
	} else if (kdump_vmcoreinfo_raw(t->kd, &raw) == KDUMP_OK && raw) {
		int failed = vmcoreinfo_set(&t->vmcoreinfo, raw, strlen(raw));

		free(raw);
		if (failed)
			return ps_fail(err, PS_ERR_NOMEM, "out of memory");
	} else {
		return ps_fail(err, PS_ERR_NODATA,
			       "%s: the dump carries no VMCOREINFO (for QEMU dumps add -device vmcoreinfo and load qemu_fw_cfg in the guest; or pass --vmcoreinfo FILE)",
			       t->path);
	}
	if (!strstr(t->vmcoreinfo.text, "OSRELEASE="))
		return ps_fail(err, PS_ERR_FORMAT,
			       "%s: VMCOREINFO has no OSRELEASE: not VMCOREINFO",
			       opts && opts->vmcoreinfo_path ?
			       opts->vmcoreinfo_path : t->path);
	use_vmcoreinfo(t);
	return PS_OK;
}

static void get_pagemap(struct target *t)
{
	kdump_attr_t attr;

	if (kdump_get_attr(t->kd, KDUMP_ATTR_FILE_PAGEMAP, &attr) == KDUMP_OK &&
	    attr.type == KDUMP_BITMAP) {
		t->pagemap = attr.val.bitmap;
		kdump_bmp_incref(t->pagemap);
	}
	kdump_clear_err(t->kd);
}

static int range_cmp(const void *a, const void *b)
{
	const struct phys_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Sort and merge overlapping or touching ranges in place. */
static size_t merge_ranges(struct phys_range *r, size_t n)
{
	size_t i, m = 0;

	qsort(r, n, sizeof(*r), range_cmp);
	for (i = 0; i < n; i++) {
		if (m && r[i].start <= r[m - 1].end) {
			if (r[i].end > r[m - 1].end)
				r[m - 1].end = r[i].end;
		} else {
			r[m++] = r[i];
		}
	}
	return m;
}

/* An ELF vmcore holds what its PT_LOADs' file images hold, cut at the end
 * of the file. pinscan computes that itself: libkdumpfile 0.5.1 reads
 * bytes past a truncated end as zeros, and its page map assumes PT_LOADs
 * do not overlap, which in a kdump /proc/vmcore (the kernel text lies
 * inside the direct map's segment) makes it call present pages absent. */
static void find_elf_present(struct target *t, int fd)
{
	struct stat sb;
	size_t n, i, cut = 0;
	Elf *elf;

	if (strcmp(t->format, "elf") || fstat(fd, &sb))
		return;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_getphdrnum(elf, &n) || !n ||
	    !(t->present = calloc(n, sizeof(*t->present)))) {
		if (elf)
			elf_end(elf);
		return;
	}
	/* Without room for them, libkdumpfile reads everything. */
	t->loads = calloc(n, sizeof(*t->loads));
	for (i = 0; i < n; i++) {
		uint64_t have;
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD ||
		    !ph.p_filesz)
			continue;
		have = ph.p_offset < (uint64_t)sb.st_size ?
		       (uint64_t)sb.st_size - ph.p_offset : 0;
		if (have < ph.p_filesz)
			cut++;
		else
			have = ph.p_filesz;
		if (!have)
			continue;
		t->present[t->nr_present].start = ph.p_paddr;
		t->present[t->nr_present++].end = ph.p_paddr + have;
		if (t->loads) {
			t->loads[t->nr_loads].paddr = ph.p_paddr;
			t->loads[t->nr_loads].offset = ph.p_offset;
			t->loads[t->nr_loads++].size = have;
		}
	}
	elf_end(elf);
	t->nr_present = merge_ranges(t->present, t->nr_present);
	t->elf_ranges = true;
	if (cut)
		ps_warn(t->warnings,
			"%s is truncated: %zu PT_LOAD segments extend past its end (%lld bytes); their pages count as missing",
			t->path, cut, (long long)sb.st_size);
}

/* True when [phys, phys + len) lies inside one present range. */
static bool in_present_ranges(const struct target *t, uint64_t phys,
			      uint64_t len)
{
	size_t lo = 0, hi = t->nr_present;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->present[mid].end <= phys)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->nr_present && t->present[lo].start <= phys &&
	       phys + len <= t->present[lo].end;
}

/* True when every page of [phys, phys + len) is in the file. */
static bool pages_present(struct target *t, uint64_t phys, uint64_t len)
{
	unsigned shift = __builtin_ctzll(t->page_size);
	kdump_addr_t idx = phys >> shift;
	/* First: pages that failed to read (any format) or that dump_guard
	 * found unusable (kdump) are never asked for again. */
	if (dump_damage_overlaps(&t->damage, phys, len))
		return false;
	if (t->elf_ranges)
		return in_present_ranges(t, phys, len);
	if (!t->pagemap)
		return true;
	if (kdump_bmp_find_clear(t->pagemap, &idx) != KDUMP_OK)
		return true;
	return idx > (phys + len - 1) >> shift;
}

static enum ps_status open_kdump(struct target *t, int fd, struct ps_err *err)
{
	const char *fmt = NULL;
	kdump_num_t psize;

	t->kd = kdump_new();
	if (!t->kd)
		return ps_fail(err, PS_ERR_NOMEM, "cannot allocate a dump context");
	kdump_set_number_attr(t->kd, "cache.size", KDUMP_CACHE_PAGES);
	/* read(2), never mmap(2): a dump cut short (the ordinary interrupted
	 * copy) then gives a short read, which libkdumpfile reports, where a
	 * mapping past the end of the file raised SIGBUS. */
	kdump_set_number_attr(t->kd, KDUMP_ATTR_FILE_MMAP_POLICY,
			      KDUMP_MMAP_NEVER);
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
	get_pagemap(t);
	find_elf_present(t, fd);
	return PS_OK;
}

/* Why a dump could not be opened; /proc/kcore is root's alone (mode
 * 0400, and CAP_SYS_RAWIO to open it), which a bare "Permission denied"
 * does not tell. */
static enum ps_status open_failed(const char *path, int errnum,
				  struct ps_err *err)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	if ((errnum == EACCES || errnum == EPERM) && !strcmp(base, "kcore"))
		return ps_fail(err, PS_ERR_IO,
			       "%s: %s: reading the running kernel's memory needs root",
			       path, strerror(errnum));
	return ps_fail(err, PS_ERR_IO, "%s: %s", path, strerror(errnum));
}

enum ps_status target_open(struct target *t, const char *path,
			   const struct target_opts *opts, struct ps_err *err)
{
	int fd;

	memset(t, 0, sizeof(*t));
	t->fd = -1;
	t->warnings = opts ? opts->warnings : NULL;
	t->path = strdup(path);
	t->fd = fd = open(path, O_RDONLY);
	if (fd < 0)
		return open_failed(path, errno, err);
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
	if (kcore_detect(fd)) {
		t->live = true;
		t->page_size = 4096;
		strcpy(t->format, "kcore");
		if (kcore_open(&t->kc, fd, path, err))
			return err->status;
		return load_vmcoreinfo(t, opts, err);
	}
	t->kd_failures = calloc(1, sizeof(*t->kd_failures));
	t->kd_failures_owned = true;
	if (!t->kd_failures)
		return ps_fail(err, PS_ERR_NOMEM, "out of memory");
	if (dump_guard(fd, path, t->warnings, &t->damage, err) ||
	    open_kdump(t, fd, err) || load_vmcoreinfo(t, opts, err))
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
	if (t->pagemap)
		kdump_bmp_decref(t->pagemap);
	free(t->present);
	free(t->loads);
	free(t->damage.ranges);
	if (t->kd_failures_owned)
		free(t->kd_failures);
	if (t->kd)
		kdump_free(t->kd);
	kcore_close(&t->kc);
	/* libkdumpfile does not own the descriptor it was given. */
	if (t->fd >= 0)
		close(t->fd);
	vmcoreinfo_free(&t->vmcoreinfo);
	free(t->path);
	memset(t, 0, sizeof(*t));
	t->fd = -1;
}

/* A kdump-compressed clone: a libkdumpfile context of its own on a file
 * description of its own, so that threads decompress in parallel (a
 * kdump_clone shares the original's cache, and the lock around it). */
static enum ps_status reopen_kdump(const struct target *src,
				   struct target *dst, struct ps_err *err)
{
	char self[64];
	int fd;

	/* The path may be gone (a flattened dump's reassembled copy is an
	 * unlinked file): the descriptor's own link still opens it. */
	snprintf(self, sizeof(self), "/proc/self/fd/%d", src->fd);
	fd = open(self, O_RDONLY);
	if (fd >= 0) {
		close(dst->fd);
		dst->fd = fd;
	}
	return open_kdump(dst, dst->fd, err);
}

/* *dst = a copy of n elements of src (NULL for none); false without
 * memory. */
static bool copy_array(void **dst, const void *src, size_t n, size_t size)
{
	*dst = NULL;
	if (!n)
		return true;
	*dst = malloc(n * size);
	if (!*dst)
		return false;
	memcpy(*dst, src, n * size);
	return true;
}

/* target_clone's work; dst may be left half-built. */
static enum ps_status clone_into(const struct target *src, struct target *dst,
				 struct ps_err *err)
{
	dst->fd = dup(src->fd);
	dst->path = strdup(src->path);
	dst->live = src->live;
	memcpy(dst->format, src->format, sizeof(dst->format));
	memcpy(dst->release, src->release, sizeof(dst->release));
	dst->kaslr_offset = src->kaslr_offset;
	dst->page_size = src->page_size;
	dst->kd_failures = src->kd_failures;
	if (dst->fd < 0 || !dst->path)
		return ps_fail(err, PS_ERR_IO, "%s: cannot clone: %s", src->path,
			       strerror(errno));
	if (vmcoreinfo_set(&dst->vmcoreinfo, src->vmcoreinfo.text,
			   src->vmcoreinfo.text ? strlen(src->vmcoreinfo.text) : 0))
		return ps_fail(err, PS_ERR_NOMEM, "out of memory");
	if (src->live) {
		/* pread on a shared descriptor is thread-safe. */
		dst->kc.fd = dst->fd;
		dst->kc.nr_segs = src->kc.nr_segs;
		dst->kc.segs = malloc(src->kc.nr_segs * sizeof(*dst->kc.segs) + 1);
		if (!dst->kc.segs)
			return ps_fail(err, PS_ERR_NOMEM, "out of memory");
		memcpy(dst->kc.segs, src->kc.segs,
		       src->kc.nr_segs * sizeof(*dst->kc.segs));
		return PS_OK;
	}
	if (!copy_array((void **)&dst->damage.ranges, src->damage.ranges,
			src->damage.nr, sizeof(*src->damage.ranges)))
		return ps_fail(err, PS_ERR_NOMEM, "out of memory");
	dst->damage.nr = dst->damage.cap = src->damage.nr;
	/* A context of its own, never kdump_clone's shared page cache: a
	 * failed read leaves libkdumpfile 0.5.1's cache able to crash the
	 * next reader, and kdump_recover renews only the failing context. */
	return reopen_kdump(src, dst, err);
}

enum ps_status target_clone(const struct target *src, struct target *dst,
			    struct ps_err *err)
{
	enum ps_status st;

	memset(dst, 0, sizeof(*dst));
	dst->fd = -1;
	st = clone_into(src, dst, err);
	/* No half-built copy: what was made is released, dst is closed. */
	if (st)
		target_close(dst);
	return st;
}

enum ps_status target_read_virt(struct target *t, uint64_t addr, void *buf,
				size_t len, struct ps_err *err)
{
	size_t got = 0;

	if (t->live) {
		uint64_t kgot;

		return kcore_read_virt(&t->kc, addr, buf, len, &kgot, t->path,
				       err);
	}
	/* Page by page: translated, asked whether the file holds it, then
	 * read, so that libkdumpfile is never asked for a page it cannot
	 * give (kdump_recover). */
	while (got < len) {
		uint64_t piece = t->page_size - ((addr + got) % t->page_size);
		uint64_t phys;
		const char *why = NULL;

		if (piece > len - got)
			piece = len - got;
		if (virt_to_phys(t, addr + got, &phys))
			why = "not mapped";
		else if (!pages_present(t, phys, piece))
			why = "not in the dump";
		else if (read_phys(t, phys, (uint8_t *)buf + got, piece, err))
			why = err->msg;
		if (why) {
			char reason[sizeof(err->msg)];

			snprintf(reason, sizeof(reason), "%s", why);
			return ps_fail(err, PS_ERR_NODATA,
				       "%s: cannot read %zu bytes at kernel address 0x%llx: %s",
				       t->path, len, (unsigned long long)addr,
				       reason);
		}
		got += piece;
	}
	return PS_OK;
}

/* libkdumpfile 0.5.1 discards the cache entry of a page it failed to read,
 * and the cache can then hand a later read an entry without a buffer
 * (memcpy to NULL: fixed upstream in e63dab4, "cache: Get data buffer before
 * adjusting ghost partition size", in no release up to 0.5.4). After any
 * failed read the context is replaced by a fresh one; after too many the
 * dump is read no further (doc/libkdumpfile-bugs.md). */
#define MAX_KDUMP_FAILURES 256

static enum ps_status too_damaged(const struct target *t, struct ps_err *err)
{
	return ps_fail(err, PS_ERR_FORMAT,
		       "%s: more than %d page reads failed: the file is too damaged to analyse",
		       t->path, MAX_KDUMP_FAILURES);
}

static void kdump_recover(struct target *t)
{
	struct target fresh;
	struct ps_err e;

	if (t->kd_retired)
		return;
	memset(&fresh, 0, sizeof(fresh));
	fresh.path = t->path;
	fresh.fd = t->fd;
	memcpy(fresh.format, t->format, sizeof(fresh.format));
	if (!t->kd_failures ||
	    __atomic_add_fetch(t->kd_failures, 1, __ATOMIC_RELAXED) >
	    MAX_KDUMP_FAILURES ||
	    open_kdump(&fresh, t->fd, &e)) {
		t->kd_retired = true;
		fresh.path = NULL;
		fresh.fd = -1;
		target_close(&fresh);
		return;
	}
	addrxlat_ctx_decref(t->xctx);
	addrxlat_sys_decref(t->xsys);
	if (t->pagemap)
		kdump_bmp_decref(t->pagemap);
	kdump_free(t->kd);
	t->kd = fresh.kd;
	t->xctx = fresh.xctx;
	t->xsys = fresh.xsys;
	t->pagemap = fresh.pagemap;
	free(fresh.present);
	free(fresh.loads);
}

/* An ELF dump's physical range that one PT_LOAD holds, read with
 * pread(2); false when no single segment holds it all or the read fails
 * (libkdumpfile then tries, and says why). */
static bool elf_read_phys(struct target *t, uint64_t addr, void *buf,
			  size_t len)
{
	size_t i, done = 0;

	for (i = 0; i < t->nr_loads; i++) {
		const struct elf_load *l = &t->loads[i];

		if (addr >= l->paddr && addr - l->paddr <= l->size &&
		    len <= l->size - (addr - l->paddr))
			break;
	}
	if (i == t->nr_loads)
		return false;
	while (done < len) {
		ssize_t n = pread(t->fd, (uint8_t *)buf + done, len - done,
				  (off_t)(t->loads[i].offset + addr -
					  t->loads[i].paddr + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		done += (size_t)n;
	}
	return true;
}

static enum ps_status read_phys(struct target *t, uint64_t addr, void *buf,
			       size_t len, struct ps_err *err)
{
	size_t got = len;
	uint64_t bad;
	kdump_status ks;

	if (t->live)
		return kcore_read_phys(&t->kc, addr, buf, len, t->path, err);
	if (t->nr_loads && elf_read_phys(t, addr, buf, len))
		return PS_OK;
	if (t->kd_retired)
		return too_damaged(t, err);
	ks = kdump_read(t->kd, KDUMP_KPHYSADDR, addr, buf, &got);
	if (ks == KDUMP_OK)
		return PS_OK;
	ps_fail(err, ks == KDUMP_ERR_NODATA ? PS_ERR_NODATA : PS_ERR_IO,
		"%s: cannot read physical address 0x%llx: %s", t->path,
		(unsigned long long)(addr + got), kdump_get_err(t->kd));
	/* got: the bytes read before the page that failed, which is then
	 * absent for this target: never asked for again. */
	bad = (addr + got) & ~(t->page_size - 1);
	if (!dump_damage_overlaps(&t->damage, bad, t->page_size))
		dump_damage_add(&t->damage, bad, bad + t->page_size);
	kdump_recover(t);
	return err->status;
}

static enum ps_status virt_to_phys(struct target *t, uint64_t addr,
				   uint64_t *phys)
{
	addrxlat_fulladdr_t fa = { .addr = addr, .as = ADDRXLAT_KVADDR };
	addrxlat_status st;

	if (t->kd_retired)
		return PS_ERR_FORMAT;
	st = addrxlat_fulladdr_conv(&fa, ADDRXLAT_KPHYSADDR, t->xctx, t->xsys);
	if (st != ADDRXLAT_OK) {
		addrxlat_ctx_clear_err(t->xctx);
		/* Not mapped is an answer; anything else was a failed read of
		 * a page table. */
		if (st != ADDRXLAT_ERR_NOTPRESENT)
			kdump_recover(t);
		return PS_ERR_NODATA;
	}
	*phys = fa.addr;
	return PS_OK;
}

struct extent {
	uint64_t rel;		/* offset in the caller's buffer */
	uint64_t phys;
	uint64_t len;
};

/* Read one physically contiguous extent; when data is missing, retry page
 * by page so that only what is really absent is lost. Never fails: what
 * cannot be read is a hole, and trouble other than absence a warning. */
static void read_extent(struct target *t, struct extent *ext, uint8_t *buf,
			target_hole_fn hole, void *arg,
			struct ps_warnings *warnings)
{
	struct ps_err err;
	uint64_t done = 0, psize = t->page_size;

	if (!ext->len)
		goto out;
	/* On any failure, retry page by page: only bad pages are lost. */
	if (pages_present(t, ext->phys, ext->len) &&
	    !read_phys(t, ext->phys, buf + ext->rel, ext->len, &err))
		goto out;
	while (done < ext->len) {
		uint64_t piece = psize - ((ext->phys + done) % psize);

		if (piece > ext->len - done)
			piece = ext->len - done;
		if (!pages_present(t, ext->phys + done, piece)) {
			memset(buf + ext->rel + done, 0, piece);
			hole(arg, ext->rel + done, ext->rel + done + piece);
		} else if (read_phys(t, ext->phys + done, buf + ext->rel + done,
				     piece, &err)) {
			/* A corrupt or short page costs that page only. */
			if (err.status != PS_ERR_NODATA)
				ps_warn(warnings, "%s", err.msg);
			memset(buf + ext->rel + done, 0, piece);
			hole(arg, ext->rel + done, ext->rel + done + piece);
		}
		done += piece;
	}
out:
	ext->len = 0;
}

/* libkdumpfile: translate once per page and coalesce physically
 * contiguous pages; reading physical runs is 1.5-2.5x faster than asking
 * for kernel-virtual ranges. */
static void kdump_read_virt_sparse(struct target *t, uint64_t addr,
				   uint8_t *buf, uint64_t len,
				   target_hole_fn hole, void *arg,
				   struct ps_warnings *warnings)
{
	uint64_t psize = t->page_size, pos, piece, phys;
	struct extent ext = { 0 };

	for (pos = 0; pos < len; pos += piece) {
		piece = psize - ((addr + pos) % psize);
		if (piece > len - pos)
			piece = len - pos;
		if (virt_to_phys(t, addr + pos, &phys)) {
			/* Not mapped: those bytes are absent. */
			read_extent(t, &ext, buf, hole, arg, warnings);
			memset(buf + pos, 0, piece);
			hole(arg, pos, pos + piece);
			continue;
		}
		if (ext.len && ext.phys + ext.len == phys) {
			ext.len += piece;
			continue;
		}
		read_extent(t, &ext, buf, hole, arg, warnings);
		ext.rel = pos;
		ext.phys = phys;
		ext.len = piece;
	}
	read_extent(t, &ext, buf, hole, arg, warnings);
}

/* kcore maps vmemmap directly: read virtually, page by page only where
 * a segment ends. */
static enum ps_status kcore_read_virt_sparse(struct target *t, uint64_t addr,
					     uint8_t *buf, uint64_t len,
					     target_hole_fn hole, void *arg,
					     struct ps_err *err)
{
	uint64_t pos = 0, got;

	while (pos < len) {
		uint64_t skip;

		if (!kcore_read_virt(&t->kc, addr + pos, buf + pos, len - pos,
				     &got, t->path, err))
			return PS_OK;
		if (err->status != PS_ERR_NODATA)
			return err->status;
		pos += got;
		skip = t->page_size - ((addr + pos) % t->page_size);
		if (skip > len - pos)
			skip = len - pos;
		memset(buf + pos, 0, skip);
		hole(arg, pos, pos + skip);
		pos += skip;
	}
	return PS_OK;
}

enum ps_status target_read_virt_sparse(struct target *t, uint64_t addr,
				       void *buf, uint64_t len,
				       target_hole_fn hole, void *arg,
				       struct ps_warnings *warnings,
				       struct ps_err *err)
{
	if (t->live)
		return kcore_read_virt_sparse(t, addr, buf, len, hole, arg, err);
	/* libkdumpfile's misses are all holes; only a dump too damaged to
	 * read on is an error. */
	kdump_read_virt_sparse(t, addr, buf, len, hole, arg, warnings);
	if (t->kd_retired)
		return too_damaged(t, err);
	return PS_OK;
}

enum ps_status target_read_u64(struct target *t, uint64_t addr,
			       uint64_t *val, struct ps_err *err)
{
	return target_read_virt(t, addr, val, sizeof(*val), err);
}
