/* pinscan report-dir: report every kdump-tools dump that has none
 * (reportdir.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "analysis.h"
#include "reportdir.h"

#define REPORT_JSON "pinscan.json"
#define REPORT_TEXT "pinscan.txt"
#define REPORT_ERR "pinscan.err"
/* kdump-tools writes dump-incomplete and renames it dump.STAMP once the
 * copy is whole: only the latter is a dump to analyse. */
#define DUMP_PREFIX "dump."

/* What the child that analysed one dump tells its parent. */
enum dump_outcome {
	DUMP_REPORTED = 0,
	DUMP_FAILED = 1,	/* pinscan.err written */
	DUMP_UNWRITABLE = 2,	/* not even pinscan.err could be written */
};

static void strip_quotes(char *v)
{
	size_t n = strlen(v);

	while (n && (v[n - 1] == '\n' || v[n - 1] == ' ' || v[n - 1] == '\t'))
		v[--n] = '\0';
	if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
		memmove(v, v + 1, n - 2);
		v[n - 2] = '\0';
	}
}

enum ps_status reportdir_coredir(const char *config, char *buf, size_t bufsz,
				 struct ps_err *err)
{
	static const char key[] = "KDUMP_COREDIR=";
	char line[4096];
	unsigned lineno = 0;
	FILE *f = fopen(config, "r");

	snprintf(buf, bufsz, "%s", REPORTDIR_DEFAULT_COREDIR);
	if (!f) {
		if (errno == ENOENT)
			return PS_OK;
		return ps_fail(err, PS_ERR_IO, "%s: %s", config, strerror(errno));
	}
	while (fgets(line, sizeof(line), f)) {
		char *p = line;

		lineno++;
		p += strspn(p, " \t");
		if (!strncmp(p, "export ", 7))
			p += 7 + strspn(p + 7, " \t");
		if (strncmp(p, key, sizeof(key) - 1))
			continue;
		p += sizeof(key) - 1;
		strip_quotes(p);
		if (!p[0] || strpbrk(p, "$`\\\"' \t")) {
			fclose(f);
			return ps_fail(err, PS_ERR_FORMAT,
				       "%s:%u: KDUMP_COREDIR needs a shell to expand it; give the directory to pinscan report-dir",
				       config, lineno);
		}
		snprintf(buf, bufsz, "%s", p);
	}
	fclose(f);
	return PS_OK;
}

static bool exists_at(int dirfd, const char *name)
{
	struct stat st;

	return fstatat(dirfd, name, &st, 0) == 0;
}

static int is_dump_name(const struct dirent *d)
{
	return !strncmp(d->d_name, DUMP_PREFIX, sizeof(DUMP_PREFIX) - 1) &&
	       d->d_name[sizeof(DUMP_PREFIX) - 1] != '\0';
}

static int is_subdir_name(const struct dirent *d)
{
	return strcmp(d->d_name, ".") && strcmp(d->d_name, "..");
}

/* Write name in dirfd whole or not at all: a temporary file, synced, then
 * renamed over it. print fills it. */
static bool write_atomic(int dirfd, const char *name,
			 void (*print)(const void *arg, FILE *out),
			 const void *arg)
{
	char tmp[256];
	FILE *out;
	int fd;
	bool ok;

	snprintf(tmp, sizeof(tmp), ".%s.%ld.tmp", name, (long)getpid());
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return false;
	out = fdopen(fd, "w");
	if (!out) {
		close(fd);
		unlinkat(dirfd, tmp, 0);
		return false;
	}
	print(arg, out);
	ok = !ferror(out) && fflush(out) == 0 && fsync(fd) == 0;
	ok = (fclose(out) == 0) && ok;
	if (ok && renameat(dirfd, tmp, dirfd, name) == 0)
		return true;
	unlinkat(dirfd, tmp, 0);
	return false;
}

static void print_text(const void *r, FILE *out)
{
	report_print_text(r, out);
}

static void print_json(const void *r, FILE *out)
{
	report_print_json(r, out);
}

static void print_reason(const void *reason, FILE *out)
{
	fprintf(out, "%s\n", (const char *)reason);
}

/* The log line of a dump reported. */
static void log_report(FILE *log, const char *dump, const struct report *r)
{
	uint64_t errors = report_findings_at_least(r, SEV_ERROR);
	uint64_t warnings = report_findings_at_least(r, SEV_WARNING) - errors;
	uint64_t infos = report_findings_at_least(r, SEV_INFO) - errors - warnings;

	fprintf(log, "pinscan: %s: kernel %s, %llu pinned pages, findings: %llu error, %llu warning, %llu info; wrote " REPORT_TEXT ", " REPORT_JSON "\n",
		dump, r->kernel ? r->kernel : "unknown",
		(unsigned long long)r->sum.pinned_pages,
		(unsigned long long)errors, (unsigned long long)warnings,
		(unsigned long long)infos);
}

/* Record why dump could not be analysed; log it. The reason usually
 * names the dump already: the log line names it once. */
static enum dump_outcome record_failure(int dirfd, const char *dump,
					const char *reason, FILE *log)
{
	const char *why = reason;
	size_t n = strlen(dump);

	if (!strncmp(why, dump, n) && !strncmp(why + n, ": ", 2))
		why += n + 2;
	if (!write_atomic(dirfd, REPORT_ERR, print_reason, reason)) {
		fprintf(log, "pinscan: %s: cannot analyse: %s; and cannot write " REPORT_ERR ": %s\n",
			dump, why, strerror(errno));
		return DUMP_UNWRITABLE;
	}
	fprintf(log, "pinscan: %s: cannot analyse: %s; wrote " REPORT_ERR "\n",
		dump, why);
	return DUMP_FAILED;
}

/* Analyse one dump and write its results (run in a child process). */
static enum dump_outcome report_dump(const struct reportdir_opts *o, int dirfd,
				     const char *dump)
{
	struct session_opts so = o->sess;
	struct ps_err err = { 0 };
	struct analysis a;
	enum dump_outcome outcome;

	so.dump = dump;
	if (analysis_run(&a, &so, &(struct scan_params){ .audit = true }, &err)) {
		outcome = record_failure(dirfd, dump, err.msg, o->log);
	} else if (!write_atomic(dirfd, REPORT_TEXT, print_text, &a.r) ||
		   !write_atomic(dirfd, REPORT_JSON, print_json, &a.r)) {
		/* The text without the JSON is redone next time. */
		fprintf(o->log, "pinscan: %s: cannot write its report: %s\n",
			dump, strerror(errno));
		outcome = DUMP_UNWRITABLE;
	} else {
		log_report(o->log, dump, &a.r);
		outcome = DUMP_REPORTED;
	}
	analysis_free(&a);
	return outcome;
}

/* Analyse in a child, so that a dump which crashes pinscan (or exhausts
 * memory) still gets its pinscan.err and the other dumps their turn. */
static enum dump_outcome report_dump_isolated(const struct reportdir_opts *o,
					      int dirfd, const char *dump)
{
	char reason[4096 + 128];
	int status;
	pid_t pid;

	fflush(o->log);
	pid = fork();
	if (pid == 0) {
		enum dump_outcome outcome = report_dump(o, dirfd, dump);

		fflush(o->log);		/* _exit() flushes nothing */
		_exit(outcome);
	}
	if (pid < 0)
		return report_dump(o, dirfd, dump);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return DUMP_UNWRITABLE;
	if (WIFEXITED(status) && WEXITSTATUS(status) <= DUMP_UNWRITABLE)
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		snprintf(reason, sizeof(reason), "%s: pinscan died of signal %d (%s) while analysing it",
			 dump, WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		snprintf(reason, sizeof(reason), "%s: pinscan exited with status %d while analysing it",
			 dump, WEXITSTATUS(status));
	return record_failure(dirfd, dump, reason, o->log);
}

static void count(struct reportdir_counts *c, enum dump_outcome outcome)
{
	if (outcome == DUMP_REPORTED)
		c->reported++;
	else if (outcome == DUMP_FAILED)
		c->failed++;
	else
		c->unwritable++;
}

/* One STAMP directory: its dump, unless it has a report or an .err. */
static void report_stamp_dir(const struct reportdir_opts *o, const char *dir,
			     struct reportdir_counts *c)
{
	struct dirent **dumps = NULL;
	char dump[4096];
	int dirfd, n, i;

	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return;		/* a file, or a directory we may not read */
	n = scandir(dir, &dumps, is_dump_name, alphasort);
	if (n > 0) {
		if (snprintf(dump, sizeof(dump), "%s/%s", dir,
			     dumps[0]->d_name) >= (int)sizeof(dump))
			c->unwritable++;	/* a path beyond PATH_MAX */
		else if (exists_at(dirfd, REPORT_JSON) || exists_at(dirfd, REPORT_ERR))
			c->skipped++;
		else
			count(c, report_dump_isolated(o, dirfd, dump));
	}
	/* kdump-tools saves one dump per directory; the report names the
	 * first, and the others are left alone. */
	for (i = 0; i < n; i++)
		free(dumps[i]);
	free(dumps);
	close(dirfd);
}

enum ps_status reportdir_run(const struct reportdir_opts *o,
			     struct reportdir_counts *counts,
			     struct ps_err *err)
{
	struct dirent **stamps = NULL;
	char dir[4096];
	int n, i;

	memset(counts, 0, sizeof(*counts));
	n = scandir(o->coredir, &stamps, is_subdir_name, alphasort);
	if (n < 0)
		return ps_fail(err, PS_ERR_IO, "%s: %s", o->coredir,
			       strerror(errno));
	for (i = 0; i < n; i++) {
		if (snprintf(dir, sizeof(dir), "%s/%s", o->coredir,
			     stamps[i]->d_name) < (int)sizeof(dir))
			report_stamp_dir(o, dir, counts);
		free(stamps[i]);
	}
	free(stamps);
	return PS_OK;
}
