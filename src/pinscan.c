/* pinscan: command line, subcommands, and the one place that decides how
 * an error is printed and which exit status it becomes. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "analysis.h"
#include "checks.h"
#include "layout.h"
#include "layout_file.h"
#include "memmap.h"
#include "report.h"
#include "reportdir.h"
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
	int progress;		/* 1 --progress, -1 --no-progress, 0 auto */
	unsigned threads;	/* -j; 0: every CPU */
	int no_audit;
	int fail_on;		/* enum severity */
	char **dumps;		/* scan: every DUMP given, in order */
	int nr_dumps;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: pinscan scan DUMP... [-s VMLINUX | --layout FILE] [--format text|json]\n"
		"                    [-o FILE] [--rfc-pin-bit 1|2] [--vmcoreinfo FILE]\n"
		"                    [--fail-on info|warning|error] [--no-audit]\n"
		"                    [--force] [-j N] [--progress | --no-progress] [--no-cache]\n"
		"       pinscan tui DUMP [-s VMLINUX | --layout FILE] [--rfc-pin-bit 1|2]\n"
		"                   [--vmcoreinfo FILE] [--force] [-j N] [--no-cache]\n"
		"       pinscan layout -s VMLINUX [-o FILE] [--no-cache]\n"
		"       pinscan layout --dump DUMP [-s VMLINUX] [-o FILE] [--no-cache]\n"
		"       pinscan report-dir [DIR] [--kdump-config FILE]\n"
		"       pinscan rules [RULE...]\n"
		"       pinscan version\n"
		"\n"
		"Report DMA-pinned pages and broken struct pages in a Linux vmcore\n"
		"(ELF, kdump-compressed, flattened kdump) or a live /proc/kcore.\n"
		"Exit status: 0 clean, 1 findings at or above --fail-on (default\n"
		"warning), 2 could not analyse. See pinscan(1).\n");
}

/* Flush and close a report's stream: a full disk, a closed pipe or
 * /dev/full is a failure to report, never a clean exit. */
static enum ps_status finish_output(FILE *out, const char *path,
				    struct ps_err *err)
{
	bool bad = fflush(out) != 0 || ferror(out);
	int saved = errno;

	if (out != stdout && fclose(out) && !bad) {
		bad = true;
		saved = errno;
	}
	if (bad)
		return ps_fail(err, PS_ERR_IO, "%s: write error: %s",
			       path ? path : "standard output",
			       strerror(saved));
	return PS_OK;
}

static int fail(const struct ps_err *err)
{
	fprintf(stderr, "pinscan: %s\n", err->msg);
	return EXIT_CANNOT_ANALYSE;
}

/* Progress on stderr: pages, rate and time left, on one line that is
 * rewritten and, on a terminal, cleared at the end. */
struct progress {
	bool tty;		/* stderr is a terminal */
	bool forced;		/* --progress: from the start, even to a file */
	bool shown;
	struct timespec start;	/* of the analysis: the delay counts from it */
	struct timespec first;	/* the first section's: the rate from it */
	uint64_t first_done;
	struct timespec last;
};

/* Auto progress waits this long: a quick scan shows none. */
#define PROGRESS_DELAY 1.0
#define PROGRESS_INTERVAL 0.1

static double seconds_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) +
	       (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static bool show_progress(void *arg, uint64_t done, uint64_t total)
{
	struct progress *pg = arg;
	double elapsed, rate, left;

	/* The rate is the scan's, not the layout's before it. */
	if (!pg->first_done) {
		clock_gettime(CLOCK_MONOTONIC, &pg->first);
		pg->first_done = done;
	}
	if (!pg->forced && seconds_since(&pg->start) < PROGRESS_DELAY)
		return true;
	if (pg->shown && done < total &&
	    seconds_since(&pg->last) < PROGRESS_INTERVAL)
		return true;
	clock_gettime(CLOCK_MONOTONIC, &pg->last);
	elapsed = seconds_since(&pg->first);
	rate = elapsed > 0 ? (double)(done - pg->first_done) / elapsed : 0;
	left = rate > 0 ? (double)(total - done) / rate : 0;
	fprintf(stderr, "%spinscan: %llu/%llu struct pages (%llu%%)",
		pg->tty ? "\r\033[K" : "\r",
		(unsigned long long)done, (unsigned long long)total,
		(unsigned long long)(total ? done * 100 / total : 100));
	if (rate > 0)
		fprintf(stderr, ", %.1f M/s, %.0f s left", rate / 1e6, left);
	if (!pg->tty && done == total)
		fputc('\n', stderr);
	fflush(stderr);
	pg->shown = true;
	return true;
}

static void progress_end(const struct progress *pg)
{
	if (pg->shown && pg->tty)
		fputs("\r\033[K", stderr);
}

/* Whether to show progress: asked, refused, or on a terminal, unless the
 * output is JSON going down a pipe (a program reads it; nobody watches). */
static bool want_progress(const struct scan_opts *o)
{
	if (o->progress)
		return o->progress > 0;
	if (!isatty(STDERR_FILENO))
		return false;
	return !o->json || o->output || isatty(STDOUT_FILENO);
}

/* Analyse one dump and print its report to *out (opened on the first
 * report, so that a failed scan leaves -o FILE alone). A JSON report is
 * one JSON Lines record when several dumps share the output. */
static int scan_one(const struct scan_opts *o, const char *dump, FILE **out,
		    struct ps_err *err)
{
	struct session_opts so = o->sess;
	struct progress pg = {
		.tty = isatty(STDERR_FILENO), .forced = o->progress > 0,
	};
	struct scan_params p = {
		.audit = !o->no_audit, .threads = o->threads,
		.progress = want_progress(o) ? show_progress : NULL, .arg = &pg,
	};
	struct analysis a;
	enum ps_status st;
	int rc = EXIT_CANNOT_ANALYSE;

	so.dump = dump;
	clock_gettime(CLOCK_MONOTONIC, &pg.start);
	st = analysis_run(&a, &so, &p, err);
	progress_end(&pg);
	if (st)
		goto out;
	if (!*out && !(*out = fopen(o->output, "w"))) {
		ps_fail(err, PS_ERR_IO, "%s: %s", o->output, strerror(errno));
		goto out;
	}
	if (o->json && o->nr_dumps > 1)
		report_print_json_line(&a.r, *out);
	else if (o->json)
		report_print_json(&a.r, *out);
	else
		report_print_text(&a.r, *out);
	rc = report_findings_at_least(&a.r, o->fail_on) ? EXIT_FINDINGS : EXIT_CLEAN;
out:
	analysis_free(&a);
	return rc;
}

/* Scan every DUMP in turn. One exit status covers them all: the worst one
 * (2 when a dump could not be analysed, else 1 when one has findings at or
 * above --fail-on, else 0); each failure is one line on stderr. */
static int run_scan(const struct scan_opts *o)
{
	FILE *out = o->output ? NULL : stdout;
	int worst = EXIT_CLEAN, i, rc;

	for (i = 0; i < o->nr_dumps; i++) {
		struct ps_err err = { 0 };

		rc = scan_one(o, o->dumps[i], &out, &err);
		if (rc == EXIT_CANNOT_ANALYSE)
			fail(&err);
		if (rc > worst)
			worst = rc;
		if (out)
			fflush(out);
	}
	if (out) {
		struct ps_err err = { 0 };

		if (finish_output(out, o->output, &err)) {
			fail(&err);
			worst = EXIT_CANNOT_ANALYSE;
		}
	}
	return worst;
}

/* Browse the dump in the terminal; exit statuses as for scan, except that
 * findings do not make it 1: the user has seen them. */
static int run_tui(const struct scan_opts *o)
{
	struct session s;
	struct ps_err err = { 0 };
	int signo = 0, rc = EXIT_CANNOT_ANALYSE;

	if (session_open(&s, &o->sess, &err) ||
	    tui_run(&s, o->threads, &signo, &err))
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
		{ "no-progress", no_argument, NULL, 'P' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "no-cache", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->sess.rfc_pin_bit = 1;
	o->fail_on = SEV_WARNING;
	/* getopt would name the subcommand ("scan: ..."): pinscan's own
	 * messages begin "pinscan:", so these do too. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":s:f:o:j:h", longopts, NULL)) != -1) {
		if (tui && (c == 'f' || c == 'o' || c == 'p' || c == 'P' ||
			    c == 'S' || c == 'A')) {
			fprintf(stderr, "pinscan: tui takes no --format, -o, --fail-on, --no-audit, --progress or --no-progress\n");
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
		case 'P':
			o->progress = -1;
			break;
		case 'j': {
			char *end;
			unsigned long n;

			errno = 0;
			n = strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end || optarg[0] == '-' ||
			    n < 1 || n > SCAN_MAX_THREADS) {
				fprintf(stderr, "pinscan: -j takes a number of threads from 1 to %d, not '%s'\n",
					SCAN_MAX_THREADS, optarg);
				return -1;
			}
			o->threads = (unsigned)n;
			break;
		}
		case 'C':
			o->sess.no_cache = 1;
			break;
		case 'h':
			usage(stdout);
			exit(EXIT_CLEAN);
		case ':':
			fprintf(stderr, "pinscan: option '%s' needs a value\n",
				argv[optind - 1]);
			return -1;
		default:
			if (optopt)
				fprintf(stderr, "pinscan: unknown option '-%c'\n",
					optopt);
			else
				fprintf(stderr, "pinscan: unknown option '%s'\n",
					argv[optind - 1]);
			return -1;
		}
	}
	if (tui ? optind != argc - 1 : optind >= argc) {
		fprintf(stderr, "pinscan: %s\n", tui ? "tui needs exactly one DUMP" :
			"scan needs a DUMP (or several)");
		return -1;
	}
	if (o->sess.vmlinux && o->sess.layout) {
		fprintf(stderr, "pinscan: give -s VMLINUX or --layout FILE, not both\n");
		return -1;
	}
	o->sess.dump = argv[optind];
	o->dumps = argv + optind;
	o->nr_dumps = argc - optind;
	return 0;
}

/* For the commands without a report to carry them. */
static void print_warnings(const struct ps_warnings *w)
{
	char text[PS_WARNING_LEN + 32];
	unsigned i;

	for (i = 0; i < ps_warnings_count(w); i++) {
		ps_warning_text(w, i, text, sizeof(text));
		fprintf(stderr, "pinscan: warning: %s\n", text);
	}
}

/* Resolve the layout once where the debug vmlinux is, and save it for a
 * machine where it is not (doc/layout-file.md). */
static int run_layout(int argc, char **argv)
{
	struct session_opts so = { 0 };
	struct session *s = NULL;
	struct vmlinux v = { .fd = -1 };
	struct page_layout pl;
	struct ps_warnings warnings = { 0 };
	struct ps_err err = { 0 };
	const char *output = NULL, *build_id;
	char dump_id[129] = "";
	FILE *out = stdout;
	int rc = EXIT_CANNOT_ANALYSE, i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--no-cache"))
			so.no_cache = 1;
		else if (i + 1 == argc)
			break;
		else if (!strcmp(argv[i], "-s"))
			so.vmlinux = argv[++i];
		else if (!strcmp(argv[i], "--dump"))
			so.dump = argv[++i];
		else if (!strcmp(argv[i], "-o"))
			output = argv[++i];
		else
			break;
	}
	if ((!so.vmlinux && !so.dump) || i != argc) {
		fprintf(stderr, "usage: pinscan layout -s VMLINUX [-o FILE] [--no-cache]\n"
				"       pinscan layout --dump DUMP [-s VMLINUX] [-o FILE] [--no-cache]\n");
		return rc;
	}
	if (so.dump) {
		/* The layout the scan of that dump would use (BTF when
		 * there is no vmlinux), completed by its VMCOREINFO. */
		if (!(s = calloc(1, sizeof(*s)))) {
			ps_fail(&err, PS_ERR_NOMEM, "out of memory");
			goto out;
		}
		if (session_open(s, &so, &err))
			goto out;
		if (s->pl.kind == LAYOUT_VMCOREINFO) {
			ps_fail(&err, PS_ERR_NODATA,
				"%s: nothing better than VMCOREINFO to save: %s",
				so.dump, s->warnings.n ? s->warnings.w[0].msg : "");
			goto out;
		}
		pl = s->pl;
		vmcoreinfo_get(&s->t.vmcoreinfo, "BUILD-ID", dump_id,
			       sizeof(dump_id));
		build_id = s->v.path ? s->v.build_id : dump_id;
	} else {
		if (vmlinux_open(&v, so.vmlinux, &err) ||
		    session_vmlinux_layout(&v, so.no_cache, &pl, &warnings,
					   &err))
			goto out;
		build_id = v.build_id;
	}
	print_warnings(s ? &s->warnings : &warnings);
	if (output && !(out = fopen(output, "w"))) {
		ps_fail(&err, PS_ERR_IO, "%s: %s", output, strerror(errno));
		goto out;
	}
	layout_file_write(&pl, build_id, out);
	if (finish_output(out, output, &err))
		goto out;
	rc = EXIT_CLEAN;
out:
	if (rc != EXIT_CLEAN)
		fail(&err);
	if (s) {
		session_close(s);
		free(s);
	}
	if (v.path)
		vmlinux_close(&v);
	return rc;
}

/* The crash-report service (reportdir.h): every dump under DIR, or under
 * KDUMP_COREDIR, without a report gets one. Exit status 0 when each of
 * them got pinscan.json or pinscan.err, 2 when the tree or the config
 * could not be read or a result could not be written. */
static int run_report_dir(int argc, char **argv)
{
	struct reportdir_opts o = { .log = stdout };
	struct reportdir_counts c;
	struct ps_err err = { 0 };
	const char *config = REPORTDIR_DEFAULT_CONFIG, *dir = NULL;
	char coredir[4096];
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--kdump-config") && i + 1 < argc)
			config = argv[++i];
		else if (argv[i][0] != '-' && !dir)
			dir = argv[i];
		else {
			fprintf(stderr, "usage: pinscan report-dir [DIR] [--kdump-config FILE]\n");
			return EXIT_CANNOT_ANALYSE;
		}
	}
	if (!dir) {
		if (reportdir_coredir(config, coredir, sizeof(coredir), &err))
			return fail(&err);
		dir = coredir;
	}
	/* No -s or --layout: each dump's layout is chosen as by `pinscan
	 * scan DUMP` alone (doc/pinscan.1, "report-dir"). */
	o.sess.rfc_pin_bit = 1;
	o.coredir = dir;
	if (reportdir_run(&o, &c, &err))
		return fail(&err);
	printf("pinscan: %s: %u reported, %u could not be analysed, %u already done%s\n",
	       dir, c.reported, c.failed, c.skipped,
	       c.unwritable ? ", some results could not be written" : "");
	return c.unwritable ? EXIT_CANNOT_ANALYSE : EXIT_CLEAN;
}

/* The rule catalogue, or the rules named (by id, case ignored). */
static int run_rules(int argc, char **argv)
{
	const struct rule *rules;
	unsigned n, i;
	int a, rc = EXIT_CLEAN;

	rules = rules_all(&n);
	for (a = 1; a < argc; a++) {
		for (i = 0; i < n && strcasecmp(argv[a], rules[i].id); i++)
			;
		if (i == n) {
			fprintf(stderr, "pinscan: no rule '%s' (pinscan rules lists them)\n",
				argv[a]);
			rc = EXIT_CANNOT_ANALYSE;
		}
	}
	if (rc)
		return rc;
	for (i = 0; i < n; i++) {
		for (a = 1; a < argc && strcasecmp(argv[a], rules[i].id); a++)
			;
		if (argc > 1 && a == argc)
			continue;
		printf("%-20s %-8s %s\n  eras: %s\n  source: %s\n",
		       rules[i].id, severity_name(rules[i].severity),
		       rules[i].summary, rules[i].eras, rules[i].source);
	}
	return EXIT_CLEAN;
}

/* A command whose whole output is stdout: rc, unless it was not written. */
static int stdout_written(int rc)
{
	struct ps_err err = { 0 };

	if (finish_output(stdout, NULL, &err))
		return fail(&err);
	return rc;
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
	if (!strcmp(argv[1], "report-dir"))
		return run_report_dir(argc - 1, argv + 1);
	if (!strcmp(argv[1], "rules"))
		return stdout_written(run_rules(argc - 1, argv + 1));
	if (!strcmp(argv[1], "version") || !strcmp(argv[1], "--version")) {
		printf("%s\n", PACKAGE_STRING);
		return stdout_written(EXIT_CLEAN);
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "-h")) {
		usage(stdout);
		return stdout_written(EXIT_CLEAN);
	}
	fprintf(stderr, "pinscan: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_CANNOT_ANALYSE;
}
