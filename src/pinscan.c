/* pinscan: command line, subcommands, and the one place that decides how
 * an error is printed and which exit status it becomes. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checks.h"
#include "layout.h"
#include "layout_file.h"
#include "memmap.h"
#include "report.h"
#include "scan.h"
#include "symbols.h"
#include "target.h"

/* Exit statuses, documented in doc/pinscan.1 and the README. */
#define EXIT_CLEAN 0
#define EXIT_FINDINGS 1
#define EXIT_CANNOT_ANALYSE 2

struct scan_opts {
	const char *dump, *vmlinux, *output, *layout, *vmcoreinfo;
	int json;
	int rfc_pin_bit;	/* 1: RFC v1 (mask 0x2), 2: RFC v2 (0x4) */
	int force;
	int progress;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: pinscan scan DUMP [-s VMLINUX | --layout FILE] [--format text|json]\n"
		"                    [-o FILE] [--rfc-pin-bit 1|2] [--vmcoreinfo FILE]\n"
		"                    [--force] [--progress]\n"
		"       pinscan layout -s VMLINUX [-o FILE]\n"
		"       pinscan rules\n"
		"       pinscan version\n"
		"\n"
		"Report DMA-pinned pages and broken struct pages in a Linux vmcore\n"
		"(ELF, kdump-compressed, flattened kdump) or a live /proc/kcore.\n"
		"Exit status: 0 clean,\n"
		"1 findings, 2 could not analyse. See pinscan(1).\n");
}

static int fail(const struct ps_err *err)
{
	fprintf(stderr, "pinscan: %s\n", err->msg);
	return EXIT_CANNOT_ANALYSE;
}

/* BUILD-ID= is in VMCOREINFO since v5.9; older dumps cannot be checked. */
static enum ps_status check_build_id(const struct target *t,
				     const char *file, const char *build_id,
				     int force, char *warning, size_t wsz,
				     struct ps_err *err)
{
	char dump_id[129];

	if (!vmcoreinfo_get(&t->vmcoreinfo, "BUILD-ID", dump_id, sizeof(dump_id))) {
		snprintf(warning, wsz,
			 "the dump has no BUILD-ID in VMCOREINFO: cannot check that %s matches it",
			 file);
		return PS_OK;
	}
	if (!strcasecmp(dump_id, build_id))
		return PS_OK;
	if (force) {
		snprintf(warning, wsz,
			 "--force: %s (build-id %s) does not match the dump (build-id %s)",
			 file, build_id[0] ? build_id : "none", dump_id);
		return PS_OK;
	}
	return ps_fail(err, PS_ERR_MISMATCH,
		       "%s does not belong to %s: vmlinux build-id %s, dump build-id %s (use --force to try anyway)",
		       file, t->path, build_id[0] ? build_id : "none", dump_id);
}

static enum ps_status load_layout(const struct scan_opts *o,
				  struct target *t, struct vmlinux *v,
				  struct page_layout *pl, char *warning,
				  size_t wsz, struct ps_err *err)
{
	const char *file = o->vmlinux ? o->vmlinux : o->layout;
	char build_id[129];

	if (o->layout) {
		if (layout_file_read(pl, o->layout, build_id, sizeof(build_id),
				     err) ||
		    check_build_id(t, o->layout, build_id, o->force, warning,
				   wsz, err))
			return err->status;
	} else if (o->vmlinux) {
		if (vmlinux_open(v, o->vmlinux, err) ||
		    check_build_id(t, o->vmlinux, v->build_id, o->force,
				   warning, wsz, err) ||
		    layout_from_dwarf(pl, v, err))
			return err->status;
	} else if (layout_from_vmcoreinfo(pl, &t->vmcoreinfo, err)) {
		return err->status;
	}
	layout_apply_vmcoreinfo(pl, &t->vmcoreinfo);
	if (file && !o->force && layout_check_vmcoreinfo(pl, &t->vmcoreinfo, err))
		return ps_wrap(err, "%s does not match %s", file, t->path);
	return PS_OK;
}

static void show_progress(void *arg, uint64_t done, uint64_t total)
{
	(void)arg;
	fprintf(stderr, "\rpinscan: %llu/%llu struct pages (%llu%%)",
		(unsigned long long)done, (unsigned long long)total,
		(unsigned long long)(total ? done * 100 / total : 100));
	if (done == total)
		fputc('\n', stderr);
}

static int run_scan(const struct scan_opts *o)
{
	struct target t = { .fd = -1 };
	struct vmlinux v = { .fd = -1 };
	struct page_layout pl;
	struct memmap mm = { 0 };
	struct report r;
	struct ps_err err = { 0 };
	char warning[1024] = "";
	FILE *out = stdout;
	int rc = EXIT_CANNOT_ANALYSE;

	struct target_opts topts = { .vmcoreinfo_path = o->vmcoreinfo };

	memset(&r, 0, sizeof(r));
	if (target_open(&t, o->dump, &topts, &err) ||
	    load_layout(o, &t, &v, &pl, warning, sizeof(warning), &err))
		goto out;
	pl.rfc_pin_mask = 1ull << o->rfc_pin_bit;
	if (memmap_open(&mm, &t, &pl, &err))
		goto out;
	report_init(&r, &pl);
	r.dump_path = o->dump;
	r.dump_format = t.format;
	r.vmlinux_path = o->vmlinux;
	r.kernel = t.release;
	r.kaslr_offset = t.kaslr_offset;
	snprintf(r.warning, sizeof(r.warning), "%s",
		 warning[0] ? warning : mm.warning);
	if (scan_all(&mm, &r, o->progress ? show_progress : NULL, NULL, &err))
		goto out;
	if (o->output && !(out = fopen(o->output, "w"))) {
		ps_fail(&err, PS_ERR_IO, "%s: %s", o->output, strerror(errno));
		goto out;
	}
	if (o->json)
		report_print_json(&r, out);
	else
		report_print_text(&r, out);
	if (out != stdout && fclose(out)) {
		ps_fail(&err, PS_ERR_IO, "%s: %s", o->output, strerror(errno));
		goto out;
	}
	rc = r.nr_findings ? EXIT_FINDINGS : EXIT_CLEAN;
out:
	if (rc == EXIT_CANNOT_ANALYSE)
		fail(&err);
	report_free(&r);
	memmap_close(&mm);
	if (v.path)
		vmlinux_close(&v);
	target_close(&t);
	return rc;
}

static int parse_scan(int argc, char **argv, struct scan_opts *o)
{
	static const struct option longopts[] = {
		{ "vmlinux", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "rfc-pin-bit", required_argument, NULL, 'r' },
		{ "layout", required_argument, NULL, 'L' },
		{ "vmcoreinfo", required_argument, NULL, 'V' },
		{ "force", no_argument, NULL, 'F' },
		{ "progress", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->rfc_pin_bit = 1;
	while ((c = getopt_long(argc, argv, "s:f:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			o->vmlinux = optarg;
			break;
		case 'f':
			if (!strcmp(optarg, "json"))
				o->json = 1;
			else if (strcmp(optarg, "text")) {
				fprintf(stderr, "pinscan: --format must be text or json, not '%s'\n",
					optarg);
				return -1;
			}
			break;
		case 'o':
			o->output = optarg;
			break;
		case 'r':
			if (strcmp(optarg, "1") && strcmp(optarg, "2")) {
				fprintf(stderr, "pinscan: --rfc-pin-bit must be 1 (RFC v1, mask 0x2) or 2 (RFC v2, mask 0x4)\n");
				return -1;
			}
			o->rfc_pin_bit = atoi(optarg);
			break;
		case 'L':
			o->layout = optarg;
			break;
		case 'V':
			o->vmcoreinfo = optarg;
			break;
		case 'F':
			o->force = 1;
			break;
		case 'p':
			o->progress = 1;
			break;
		case 'h':
			usage(stdout);
			exit(EXIT_CLEAN);
		default:
			return -1;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "pinscan: scan needs exactly one DUMP\n");
		return -1;
	}
	if (o->vmlinux && o->layout) {
		fprintf(stderr, "pinscan: give -s VMLINUX or --layout FILE, not both\n");
		return -1;
	}
	o->dump = argv[optind];
	return 0;
}

/* Resolve the layout once where the debug vmlinux is, and save it for a
 * machine where it is not (doc/layout-file.md). */
static int run_layout(int argc, char **argv)
{
	struct vmlinux v = { .fd = -1 };
	struct page_layout pl;
	struct ps_err err = { 0 };
	const char *vmlinux = NULL, *output = NULL;
	FILE *out = stdout;
	int rc = EXIT_CANNOT_ANALYSE, i;

	for (i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "-s"))
			vmlinux = argv[i + 1];
		else if (!strcmp(argv[i], "-o"))
			output = argv[i + 1];
		else
			break;
	}
	if (!vmlinux || i != argc) {
		fprintf(stderr, "usage: pinscan layout -s VMLINUX [-o FILE]\n");
		return rc;
	}
	if (vmlinux_open(&v, vmlinux, &err) || layout_from_dwarf(&pl, &v, &err))
		goto out;
	if (output && !(out = fopen(output, "w"))) {
		ps_fail(&err, PS_ERR_IO, "%s: %s", output, strerror(errno));
		goto out;
	}
	if (layout_file_write(&pl, v.build_id, out) ||
	    (out != stdout && fclose(out))) {
		ps_fail(&err, PS_ERR_IO, "%s: write error", output ? output : "stdout");
		goto out;
	}
	rc = EXIT_CLEAN;
out:
	if (rc != EXIT_CLEAN)
		fail(&err);
	if (v.path)
		vmlinux_close(&v);
	return rc;
}

static int run_rules(void)
{
	const struct rule *rules;
	unsigned n, i;

	rules = rules_all(&n);
	for (i = 0; i < n; i++)
		printf("%-20s %-8s %s\n  eras: %s\n  source: %s\n",
		       rules[i].id, severity_name(rules[i].severity),
		       rules[i].summary, rules[i].eras, rules[i].source);
	return EXIT_CLEAN;
}

int main(int argc, char **argv)
{
	struct scan_opts o;

	if (argc < 2) {
		usage(stderr);
		return EXIT_CANNOT_ANALYSE;
	}
	if (!strcmp(argv[1], "scan")) {
		if (parse_scan(argc - 1, argv + 1, &o)) {
			usage(stderr);
			return EXIT_CANNOT_ANALYSE;
		}
		return run_scan(&o);
	}
	if (!strcmp(argv[1], "layout"))
		return run_layout(argc - 1, argv + 1);
	if (!strcmp(argv[1], "rules"))
		return run_rules();
	if (!strcmp(argv[1], "version") || !strcmp(argv[1], "--version")) {
		printf("%s\n", PACKAGE_STRING);
		return EXIT_CLEAN;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "-h")) {
		usage(stdout);
		return EXIT_CLEAN;
	}
	fprintf(stderr, "pinscan: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_CANNOT_ANALYSE;
}
