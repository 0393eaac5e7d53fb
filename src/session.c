#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "layout_file.h"
#include "session.h"

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

/* The layout from the best source given: a layout file, the vmlinux's
 * DWARF, or VMCOREINFO alone; then checked against the dump. */
static enum ps_status load_layout(struct session *s,
				  const struct session_opts *o,
				  struct ps_err *err)
{
	const char *file = o->vmlinux ? o->vmlinux : o->layout;
	struct target *t = &s->t;
	const char *vmci_file = o->vmcoreinfo ? o->vmcoreinfo : t->path;
	struct page_layout *pl = &s->pl;
	char build_id[129];

	if (layout_check_vmcoreinfo_values(&t->vmcoreinfo, vmci_file, err))
		return err->status;
	if (o->layout) {
		if (layout_file_read(pl, o->layout, build_id, sizeof(build_id),
				     err) ||
		    check_build_id(t, o->layout, build_id, pl->release, o->force,
				   &s->warnings, err))
			return err->status;
	} else if (o->vmlinux) {
		if (vmlinux_open(&s->v, o->vmlinux, err) ||
		    check_build_id(t, o->vmlinux, s->v.build_id, s->v.release,
				   o->force, &s->warnings, err) ||
		    layout_from_dwarf(pl, &s->v, err))
			return err->status;
	} else if (layout_from_vmcoreinfo(pl, &t->vmcoreinfo, err)) {
		return ps_wrap(err, "%s", vmci_file);
	}
	layout_apply_vmcoreinfo(pl, &t->vmcoreinfo);
	/* One check of the finished layout, whichever source it came from. */
	if (layout_validate(pl, file ? file : vmci_file, err))
		return err->status;
	if (file && !o->force && layout_check_vmcoreinfo(pl, &t->vmcoreinfo, err))
		return ps_wrap(err, "%s does not match %s", file, t->path);
	return PS_OK;
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
	target_close(&s->t);
}
