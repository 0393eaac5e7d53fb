/* pinscan: command line, subcommands, and the one place that decides how
 * an error is printed and which exit status it becomes. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
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
#include "session.h"
#include "vmlinux.h"
#include "target.h"
#include "tui.h"

/* Exit statuses, documented in doc/pinscan.1 and the README. */
#define EXIT_CLEAN 0
#define EXIT_FINDINGS 1
#define EXIT_CANNOT_ANALYSE 2

struct scan_opts {
	struct session_opts sess;	/* DUMP, -s, --layout, --vmcoreinfo,
					 * --rfc-pin-bit, --force */
	const char *output;
	int json;
	int progress;
	int no_audit;
	int fail_on;		/* enum severity */
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: pinscan scan DUMP [-s VMLINUX | --layout FILE] [--format text|json]\n"
		"                    [-o FILE] [--rfc-pin-bit 1|2] [--vmcoreinfo FILE]\n"
		"                    [--fail-on info|warning|error] [--no-audit]\n"
		"                    [--force] [--progress]\n"
		"       pinscan tui DUMP [-s VMLINUX | --layout FILE] [--rfc-pin-bit 1|2]\n"
		"                   [--vmcoreinfo FILE] [--force]\n"
		"       pinscan layout -s VMLINUX [-o FILE]\n"
		"       pinscan rules\n"
		"       pinscan version\n"
		"\n"
		"Report DMA-pinned pages and broken struct pages in a Linux vmcore\n"
		"(ELF, kdump-compressed, flattened kdump) or a live /proc/kcore.\n"
		"Exit status: 0 clean, 1 findings at or above --fail-on (default\n"
		"warning), 2 could not analyse. See pinscan(1).\n");
}

static int fail(const struct ps_err *err)
{
	fprintf(stderr, "pinscan: %s\n", err->msg);
	return EXIT_CANNOT_ANALYSE;
}

static bool show_progress(void *arg, uint64_t done, uint64_t total)
{
	(void)arg;
	fprintf(stderr, "\rpinscan: %llu/%llu struct pages (%llu%%)",
		(unsigned long long)done, (unsigned long long)total,
		(unsigned long long)(total ? done * 100 / total : 100));
	if (done == total)
		fputc('\n', stderr);
	return true;
}

static int run_scan(const struct scan_opts *o)
{
	struct session s;
	struct report r;
	struct ps_err err = { 0 };
	FILE *out = stdout;
	int rc = EXIT_CANNOT_ANALYSE;

	memset(&r, 0, sizeof(r));
	if (session_open(&s, &o->sess, &err))
		goto out;
	report_init(&r, &s.pl);
	r.dump_path = o->sess.dump;
	r.dump_format = s.t.format;
	r.vmlinux_path = o->sess.vmlinux;
	r.kernel = s.t.release;
	r.kaslr_offset = s.t.kaslr_offset;
	r.warnings = &s.warnings;
	/* A live kernel limits every scan of it, whatever else went wrong. */
	if (s.t.live)
		ps_warn(&s.warnings,
			"live kernel: pages change while they are read; LRU findings may be races, and unreachable LRU pages are not reported");
	if (scan_all(&s.mm, &r, !o->no_audit,
		     o->progress ? show_progress : NULL, NULL, &err))
		goto out;
	/* Not one struct page: a report of zeros would be a wrong answer. */
	if (!r.sum.pages) {
		ps_fail(&err, PS_ERR_NODATA,
			"%s: none of the %llu struct pages of %llu present sections could be read%s%s",
			o->sess.dump, (unsigned long long)r.sum.missing,
			(unsigned long long)r.sum.sections,
			s.warnings.n ? ": " : "",
			s.warnings.n ? s.warnings.w[0].msg : "");
		goto out;
	}
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
	rc = report_findings_at_least(&r, o->fail_on) ? EXIT_FINDINGS : EXIT_CLEAN;
out:
	if (rc == EXIT_CANNOT_ANALYSE) {
		/* A truncated file explains most failures: say so. */
		const char *first = s.warnings.n ? s.warnings.w[0].msg : "";

		if (first[0] && !strstr(err.msg, first))
			fprintf(stderr, "pinscan: %s (%s)\n", err.msg, first);
		else
			fail(&err);
	}
	report_free(&r);
	session_close(&s);
	return rc;
}

/* Browse the dump in the terminal; exit statuses as for scan, except that
 * findings do not make it 1: the user has seen them. */
static int run_tui(const struct scan_opts *o)
{
	struct session s;
	struct ps_err err = { 0 };
	int signo = 0, rc = EXIT_CANNOT_ANALYSE;

	if (session_open(&s, &o->sess, &err) ||
	    tui_run(&s, &signo, &err))
		goto out;
	rc = EXIT_CLEAN;
out:
	if (rc == EXIT_CANNOT_ANALYSE)
		fail(&err);
	session_close(&s);
	/* Ctrl-C or a hangup ended the TUI: the terminal is restored and
	 * everything freed, now die of the signal as the shell expects. */
	if (signo) {
		signal(signo, SIG_DFL);
		raise(signo);
	}
	return rc;
}

/* Options of scan, and of tui (which has no output to choose). */
static int parse_scan(int argc, char **argv, struct scan_opts *o, int tui)
{
	static const struct option longopts[] = {
		{ "vmlinux", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "rfc-pin-bit", required_argument, NULL, 'r' },
		{ "layout", required_argument, NULL, 'L' },
		{ "vmcoreinfo", required_argument, NULL, 'V' },
		{ "force", no_argument, NULL, 'F' },
		{ "fail-on", required_argument, NULL, 'S' },
		{ "no-audit", no_argument, NULL, 'A' },
		{ "progress", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->sess.rfc_pin_bit = 1;
	o->fail_on = SEV_WARNING;
	while ((c = getopt_long(argc, argv, "s:f:o:h", longopts, NULL)) != -1) {
		if (tui && (c == 'f' || c == 'o' || c == 'p' || c == 'S' ||
			    c == 'A')) {
			fprintf(stderr, "pinscan: tui takes no --format, -o, --fail-on, --no-audit or --progress\n");
			return -1;
		}
		switch (c) {
		case 's':
			o->sess.vmlinux = optarg;
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
			o->sess.rfc_pin_bit = atoi(optarg);
			break;
		case 'L':
			o->sess.layout = optarg;
			break;
		case 'V':
			o->sess.vmcoreinfo = optarg;
			break;
		case 'F':
			o->sess.force = 1;
			break;
		case 'S':
			o->fail_on = severity_parse(optarg);
			if (o->fail_on < 0) {
				fprintf(stderr, "pinscan: --fail-on takes info, warning or error\n");
				return -1;
			}
			break;
		case 'A':
			o->no_audit = 1;
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
		fprintf(stderr, "pinscan: %s needs exactly one DUMP\n",
			tui ? "tui" : "scan");
		return -1;
	}
	if (o->sess.vmlinux && o->sess.layout) {
		fprintf(stderr, "pinscan: give -s VMLINUX or --layout FILE, not both\n");
		return -1;
	}
	o->sess.dump = argv[optind];
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
		if (parse_scan(argc - 1, argv + 1, &o, 0)) {
			usage(stderr);
			return EXIT_CANNOT_ANALYSE;
		}
		return run_scan(&o);
	}
	if (!strcmp(argv[1], "tui")) {
		if (parse_scan(argc - 1, argv + 1, &o, 1)) {
			usage(stderr);
			return EXIT_CANNOT_ANALYSE;
		}
		return run_tui(&o);
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
