#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "btf_layout.h"
#include "layout_cache.h"
#include "layout_file.h"
#include "session.h"
#include "util.h"

#define LIVE_BTF "/sys/kernel/btf/vmlinux"
#define LIVE_KALLSYMS "/proc/kallsyms"

/* BUILD-ID= is in VMCOREINFO since v5.9; older dumps are checked by
 * release (linux_banner against OSRELEASE), which is weaker. */
static enum ps_status check_build_id(const struct target *t,
				     const char *file, const char *build_id,
				     const char *release, int force,
				     struct ps_warnings *warnings,
				     struct ps_err *err)
{
	char dump_id[129];

	if (!vmcoreinfo_get(&t->vmcoreinfo, "BUILD-ID", dump_id, sizeof(dump_id))) {
		if (!release[0]) {
			ps_warn(warnings,
				"the dump has no BUILD-ID in VMCOREINFO and %s no linux_banner: cannot check that they match",
				file);
			return PS_OK;
		}
		if (!strcmp(release, t->release))
			return PS_OK;
		if (force) {
			ps_warn(warnings, "--force: %s is release %s, the dump %s",
				file, release, t->release);
			return PS_OK;
		}
		return ps_fail(err, PS_ERR_MISMATCH,
			       "%s does not belong to %s: vmlinux release %s, dump release %s (use --force to try anyway)",
			       file, t->path, release, t->release);
	}
	if (!strcasecmp(dump_id, build_id))
		return PS_OK;
	if (force) {
		ps_warn(warnings,
			"--force: %s (build-id %s) does not match the dump (build-id %s)",
			file, build_id[0] ? build_id : "none", dump_id);
		return PS_OK;
	}
	return ps_fail(err, PS_ERR_MISMATCH,
		       "%s does not belong to %s: vmlinux build-id %s, dump build-id %s (use --force to try anyway)",
		       file, t->path, build_id[0] ? build_id : "none", dump_id);
}

/* Where distributions install the debug vmlinux of a release (Debian and
 * Ubuntu's -dbg/-dbgsym packages, Fedora's kernel-debuginfo, a kernel
 * built by hand), tried in this order. PINSCAN_SYSROOT prefixes them, for
 * an unpacked package tree and for the tests. */
static const char *const debug_vmlinux_paths[] = {
	"/usr/lib/debug/boot/vmlinux-%s",
	"/usr/lib/debug/lib/modules/%s/vmlinux",
	"/boot/vmlinux-%s",
};

/* A debug vmlinux found where distributions put it, accepted only when
 * its build-id is the dump's (as crash and drgn do): a same-release
 * rebuild would give a layout that looks right and is not. */
static bool find_debug_vmlinux(struct session *s)
{
	const char *root = getenv("PINSCAN_SYSROOT");
	char dump_id[129], path[PATH_MAX], fmt[PATH_MAX];
	struct ps_err ignored;
	size_t i;

	if (!s->t.release[0] ||
	    !vmcoreinfo_get(&s->t.vmcoreinfo, "BUILD-ID", dump_id,
			    sizeof(dump_id)))
		return false;
	for (i = 0; i < sizeof(debug_vmlinux_paths) / sizeof(*debug_vmlinux_paths); i++) {
		snprintf(fmt, sizeof(fmt), "%s%s", root ? root : "",
			 debug_vmlinux_paths[i]);
		snprintf(path, sizeof(path), fmt, s->t.release);
		if (access(path, R_OK))
			continue;
		if (vmlinux_open(&s->v, path, &ignored))
			continue;
		if (!strcasecmp(s->v.build_id, dump_id))
			return true;
		ps_warn(&s->warnings,
			"%s is not the dump's kernel (build-id %s, the dump's %s): not used",
			path, s->v.build_id[0] ? s->v.build_id : "none",
			dump_id);
		vmlinux_close(&s->v);
		memset(&s->v, 0, sizeof(s->v));
		s->v.fd = -1;
	}
	return false;
}

/* A copy of a layout as derived, to save once the session has checked
 * it; NULL (nothing saved) when memory is short. */
static struct page_layout *layout_copy(const struct page_layout *pl)
{
	struct page_layout *copy = malloc(sizeof(*copy));

	if (copy)
		*copy = *pl;
	return copy;
}

static bool kallsyms_lookup_fn(const void *ks, const char *name,
			       uint64_t *addr)
{
	return kallsyms_lookup(ks, name, addr);
}

/* The layout from the kernel's own BTF, its symbols from kallsyms: the
 * running kernel's files when live, the dump's memory otherwise. */
static enum ps_status layout_from_kernel(struct session *s,
					 const struct layout_cache *cache,
					 struct ps_err *err)
{
	struct target *t = &s->t;
	char what[300];
	void *btf = NULL;
	size_t size = 0;
	enum ps_status st;

	if (t->live) {
		struct ps_err file_err = { 0 };

		/* /proc/kallsyms shows zeros under kptr_restrict 2 (or to a
		 * user without CAP_SYSLOG): then decode the table in memory
		 * like a dump's; if that fails too, the message names both. */
		if (kallsyms_from_file(&s->ks, LIVE_KALLSYMS, &file_err) &&
		    kallsyms_from_dump(&s->ks, t, err))
			return ps_wrap(err, "%s; the table in memory", file_err.msg);
		snprintf(what, sizeof(what), "%s", LIVE_BTF);
		st = btf_read_file(LIVE_BTF, &btf, &size, err);
		if (st) {
			snprintf(what, sizeof(what), "the kernel image in %s",
				 t->path);
			st = btf_read_dump(t, &s->ks, &btf, &size, err);
		}
	} else {
		snprintf(what, sizeof(what), "the kernel image in %s", t->path);
		st = kallsyms_from_dump(&s->ks, t, err);
		if (!st)
			st = btf_read_dump(t, &s->ks, &btf, &size, err);
	}
	if (!st)
		st = layout_from_btf(&s->pl, btf, size, what, t->release, err);
	free(btf);
	if (!st) {
		struct page_layout *derived;

		/* The per-cpu symbols a DWARF layout takes from the vmlinux,
		 * link-time like the rest of the derived layout (so both
		 * layouts, and their saved files, are the same): cached with
		 * it. */
		layout_find_symbols(&s->pl, kallsyms_lookup_fn, &s->ks,
				    t->kaslr_offset);
		derived = layout_copy(&s->pl);
		layout_apply_vmcoreinfo(&s->pl, &t->vmcoreinfo);
		/* The same check as every other layout's; then the dump's own
		 * OFFSET(page.*) must agree: BTF read from elsewhere (a live
		 * file of another kernel) would not. */
		st = layout_validate(&s->pl, what, err);
		if (!st)
			st = layout_check_vmcoreinfo(&s->pl, &t->vmcoreinfo,
						     err);
		if (!st && derived)
			layout_cache_store(cache, derived, &s->warnings);
		free(derived);
	}
	return st;
}

/* A layout from the cache, once it passes the checks a fresh one of its
 * source would; otherwise a warning, and the caller derives it again. */
static bool layout_from_cache(struct session *s, const struct session_opts *o,
			      const struct layout_cache *cache,
			      enum layout_kind kind)
{
	const struct vmcoreinfo *vi = &s->t.vmcoreinfo;
	char path[PATH_MAX + 64];
	struct ps_err err = { 0 };

	if (!layout_cache_load(cache, kind, &s->pl, &s->warnings))
		return false;
	layout_cache_path(cache, kind, path, sizeof(path));
	layout_apply_vmcoreinfo(&s->pl, vi);
	if (!layout_validate(&s->pl, path, &err) &&
	    ((o->force && kind == LAYOUT_DWARF) ||
	     !layout_check_vmcoreinfo(&s->pl, vi, &err)))
		return true;
	ps_warn(&s->warnings, "layout cache %s: %s: ignored", path, err.msg);
	return false;
}

/* The cache of the dump's kernel: keyed by its BUILD-ID, by its release
 * where VMCOREINFO has none (before v5.9). */
static void dump_cache(const struct session *s, const struct session_opts *o,
		       struct layout_cache *cache)
{
	char dump_id[129] = "";

	vmcoreinfo_get(&s->t.vmcoreinfo, "BUILD-ID", dump_id, sizeof(dump_id));
	layout_cache_init(cache, o->no_cache, dump_id, s->t.release);
}

/* The layout from the best source there is, in the documented order:
 * -s VMLINUX, --layout FILE, a debug vmlinux found where distributions
 * install it, the kernel's BTF + kallsyms, VMCOREINFO alone; then checked
 * against the dump. A layout derived from DWARF or BTF is saved in the
 * layout cache, and read back from there instead of being derived again
 * (a DWARF one before looking for the vmlinux, a BTF one only once no
 * vmlinux was found, so that the better source keeps winning). */
static enum ps_status load_layout(struct session *s,
				  const struct session_opts *o,
				  struct ps_err *err)
{
	const char *file = o->vmlinux ? o->vmlinux : o->layout;
	struct target *t = &s->t;
	const char *vmci_file = o->vmcoreinfo ? o->vmcoreinfo : t->path;
	struct page_layout *pl = &s->pl, *derived = NULL;
	struct layout_cache cache = { .dir = "" };
	char build_id[129];
	enum ps_status st;

	if (layout_check_vmcoreinfo_values(&t->vmcoreinfo, vmci_file, err))
		return err->status;
	if (!o->layout && !o->vmlinux)
		dump_cache(s, o, &cache);
	if (o->layout) {
		if (layout_file_read(pl, o->layout, build_id, sizeof(build_id),
				     err) ||
		    check_build_id(t, o->layout, build_id, pl->release, o->force,
				   &s->warnings, err))
			return err->status;
	} else if (o->vmlinux) {
		if (vmlinux_open(&s->v, o->vmlinux, err) ||
		    check_build_id(t, o->vmlinux, s->v.build_id, s->v.release,
				   o->force, &s->warnings, err))
			return err->status;
		/* The vmlinux's own kernel, even when --force used it for
		 * another's dump. */
		layout_cache_init(&cache, o->no_cache, s->v.build_id,
				  s->v.release);
		if (layout_from_cache(s, o, &cache, LAYOUT_DWARF)) {
			/* Found by this file's build-id: its DWARF, whichever
			 * copy of it the entry was first derived from. */
			char path[PATH_MAX + 64];

			layout_cache_path(&cache, LAYOUT_DWARF, path,
					  sizeof(path));
			fmt_text(pl->source, sizeof(pl->source),
				 "DWARF of %s (cached in %s)", s->v.path, path);
			return PS_OK;
		}
		if (layout_from_dwarf(pl, &s->v, err))
			return err->status;
		derived = layout_copy(pl);
	} else if (layout_from_cache(s, o, &cache, LAYOUT_DWARF)) {
		/* As good as the debug vmlinux it was derived from. */
		return PS_OK;
	} else if (find_debug_vmlinux(s)) {
		if (layout_from_dwarf(pl, &s->v, err))
			return err->status;
		derived = layout_copy(pl);
		file = s->v.path;
	} else if (layout_from_cache(s, o, &cache, LAYOUT_BTF) ||
		   !layout_from_kernel(s, &cache, err)) {
		return PS_OK;
	} else {
		if (err->status == PS_ERR_NOMEM)
			return err->status;
		ps_warn(&s->warnings,
			"no debug vmlinux and no usable BTF (%s): layout from VMCOREINFO alone, reduced as layout.reduced says",
			err->msg);
		if (layout_from_vmcoreinfo(pl, &t->vmcoreinfo, err))
			return ps_wrap(err, "%s", vmci_file);
	}
	layout_apply_vmcoreinfo(pl, &t->vmcoreinfo);
	/* One check of the finished layout, whichever source it came from. */
	st = layout_validate(pl, file ? file : vmci_file, err);
	if (!st && file && !o->force &&
	    (st = layout_check_vmcoreinfo(pl, &t->vmcoreinfo, err)))
		ps_wrap(err, "%s does not match %s", file, t->path);
	/* Saved as derived: what VMCOREINFO adds belongs to each dump. */
	if (!st && derived)
		layout_cache_store(&cache, derived, &s->warnings);
	free(derived);
	return st;
}

enum ps_status session_vmlinux_layout(const struct vmlinux *v, bool no_cache,
				      struct page_layout *pl,
				      struct ps_warnings *w,
				      struct ps_err *err)
{
	struct layout_cache cache;
	char path[PATH_MAX + 64];
	enum ps_status st;

	layout_cache_init(&cache, no_cache, v->build_id, v->release);
	if (layout_cache_load(&cache, LAYOUT_DWARF, pl, w)) {
		layout_cache_path(&cache, LAYOUT_DWARF, path, sizeof(path));
		if (!layout_validate(pl, path, err))
			return PS_OK;
		ps_warn(w, "layout cache %s: %s: ignored", path, err->msg);
		err->status = PS_OK;
	}
	st = layout_from_dwarf(pl, v, err);
	if (!st)
		st = layout_validate(pl, v->path, err);
	if (!st)
		layout_cache_store(&cache, pl, w);
	return st;
}

enum ps_status session_open(struct session *s, const struct session_opts *o,
			    struct ps_err *err)
{
	struct target_opts topts = { .vmcoreinfo_path = o->vmcoreinfo,
				     .warnings = &s->warnings };

	memset(s, 0, sizeof(*s));
	s->t.fd = -1;
	s->v.fd = -1;
	if (target_open(&s->t, o->dump, &topts, err) ||
	    load_layout(s, o, err))
		return err->status;
	s->pl.rfc_pin_mask = 1ull << (o->rfc_pin_bit ? o->rfc_pin_bit : 1);
	return memmap_open(&s->mm, &s->t, &s->pl, err);
}

void session_close(struct session *s)
{
	memmap_close(&s->mm);
	if (s->v.path)
		vmlinux_close(&s->v);
	kallsyms_free(&s->ks);
	target_close(&s->t);
}

bool session_symbol(struct session *s, const char *name, uint64_t *addr)
{
	struct ps_err ignored;

	/* A DWARF layout has them too: no second walk of .symtab. */
	if (layout_symbol(&s->pl, name, addr)) {
		*addr += s->t.kaslr_offset;
		return true;
	}
	if (s->v.path && vmlinux_symbol(&s->v, name, addr)) {
		*addr += s->t.kaslr_offset;
		return true;
	}
	/* A file's table is decoded (nr), a dump's kept compressed (raw). */
	if (!s->ks.nr && !s->ks.raw && !s->kallsyms_tried && !s->v.path) {
		s->kallsyms_tried = true;
		if (s->t.live)
			kallsyms_from_file(&s->ks, LIVE_KALLSYMS, &ignored);
		if (!s->ks.nr)
			kallsyms_from_dump(&s->ks, &s->t, &ignored);
	}
	return (s->ks.nr || s->ks.raw) && kallsyms_lookup(&s->ks, name, addr);
}

/* Several symbols as session_symbol finds each, the vmlinux's in one
 * pass over its table: each name it lacks would cost a pass. */
static void session_symbols(struct session *s, const char *const *names,
			    size_t n, uint64_t *addrs, bool *found)
{
	size_t i;

	if (!s->v.path || n > 16) {
		for (i = 0; i < n; i++)
			found[i] = session_symbol(s, names[i], &addrs[i]);
		return;
	}
	vmlinux_symbols(&s->v, names, n, addrs, found);
	for (i = 0; i < n; i++) {
		if (layout_symbol(&s->pl, names[i], &addrs[i]))
			found[i] = true;
		if (found[i])
			addrs[i] += s->t.kaslr_offset;
	}
}

void session_owners_init(struct session *s, struct owners *o)
{
	/* __basepage_index until v5.14's "mm, futex: fix shared futex
	 * pgoff on shmem huge page" renamed it (and its stable backports). */
	static const char *const names[] = {
		"init_task", "io_uring_fops", "vfio_fops",
		"vfio_iommu_driver_ops_type1", "hugetlb_basepage_index",
		"__basepage_index",
	};
	uint64_t addrs[sizeof(names) / sizeof(*names)] = { 0 };
	bool found[sizeof(names) / sizeof(*names)];
	struct owner_symbols sym = { 0 };

	session_symbols(s, names, sizeof(names) / sizeof(*names), addrs,
			found);
	sym.init_task = found[0] ? addrs[0] : 0;
	sym.io_uring_fops = found[1] ? addrs[1] : 0;
	sym.vfio_fops = found[2] ? addrs[2] : 0;
	sym.vfio_type1_ops = found[3] ? addrs[3] : 0;
	sym.hugetlb_index_in_huge_pages = found[4] || found[5];
	owners_init(o, &s->t, &s->pl, &s->mm, &sym);
}

static bool acct_symbol(void *session, const char *name, uint64_t *addr)
{
	return session_symbol(session, name, addr);
}

void session_pin_accounting(struct session *s, struct pin_accounting *pa)
{
	pin_accounting_read(&s->t, &s->pl, acct_symbol, s, pa);
}
