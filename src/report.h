/* Report: summary counts, pinned pages and findings, printed as text for
 * people or as JSON (doc/json-schema.md) for pipelines. Memory grows with
 * what is found, not with the size of RAM. */
#ifndef PINSCAN_REPORT_H
#define PINSCAN_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "audit.h"
#include "checks.h"
#include "decode.h"
#include "error.h"
#include "layout.h"
#include "owners.h"

#define REPORT_SCHEMA "pinscan-report/1"
/* Above this many missing runs, only the count grows. */
#define REPORT_MAX_MISSING_RUNS 10000
/* Above this many findings of one rule, only its count grows. */
#define REPORT_MAX_PER_RULE 10000

struct summary {
	uint64_t sections, pages, missing, lru, head, tail, buddy, slab;
	uint64_t pinned_pages, pinned_entries;
	uint64_t rfc_other_bit;		/* pages with the other RFC pin word */
	struct decoded_pins decoded;	/* the pin counts of every entry */
};

struct pinned_entry {
	uint64_t pfn, nr_pages;
	enum pin_how how;
	enum pin_confidence confidence;
	int64_t pincount;
	uint32_t refcount;
	int32_t mapcount;
	struct pin_owners own;		/* filled by report_resolve_owners */
};

/* One group of "Pins by owner": a task, or a kind of "nobody". */
struct owner_group {
	int64_t pid;		/* -1: no owner, by the entries' note */
	char label[80];		/* "pid 90 (workload)", "mapped by nobody" */
	uint64_t pages, entries;
	struct {
		enum holder_kind kind;
		int64_t fd;
	} fds[8];		/* the task's files holding pins */
	size_t nr_fds;
	size_t *members;	/* indexes of its entries */
	size_t nr_members, cap_members;
};

struct owner_groups {
	struct owner_group *g;
	size_t n, cap;
};

/* Group pinned entries by owner, in order of first appearance: an entry
 * mapped by several tasks counts in each, one no task maps by why (its
 * note up to the colon). The report's "Pins by owner" and the TUI's
 * owners view. False when out of memory (the groups as far as they got). */
bool owner_groups_build(struct owner_groups *gs, const struct pinned_entry *e,
			size_t n);
void owner_groups_free(struct owner_groups *gs);
/* "pid 90 (workload): 1045 pages in 23 entries, io_uring fd 6, vfio fd 7" */
void owner_group_text(const struct owner_group *g, char *buf, size_t size);

struct missing_run {
	uint64_t pfn, count;
};

struct report {
	const struct page_layout *pl;
	const char *dump_path, *dump_format, *vmlinux_path, *kernel;
	uint64_t kaslr_offset;
	/* The session's list, read when the report is printed (so that
	 * trouble met while scanning is in it); may be NULL. */
	const struct ps_warnings *warnings;
	struct summary sum;
	struct pinned_entry *pinned;
	size_t nr_pinned, cap_pinned;
	struct finding *findings;
	size_t nr_findings, cap_findings;
	struct missing_run *missing;
	size_t nr_missing, cap_missing;
	uint64_t rule_count[NR_RULES];	/* all, kept or not */
	uint64_t *seen_findings;	/* hash set of (rule, pfn) */
	size_t seen_cap, seen_count;
	struct lru_list *lists;		/* from the audit */
	size_t nr_lists;
	int audited;
	/* Owners and holders: resolved at all, and why not where not. */
	bool owners_resolved;
	char owners_note[200], holders_note[200], tasks_note[200];
	char vfio_note[200];
	/* The kernel's own pin count; PIN_ACCT_UNREADABLE "not read" until
	 * report_pin_accounting(). */
	struct pin_accounting acct;
};

void report_init(struct report *r, const struct page_layout *pl);

/* After the scan, on an RFC kernel: PS_ERR_MISMATCH when no page has the
 * pin word of --rfc-pin-bit but some have the other variant's (the dump
 * was made by the other RFC version: an answer of "nothing pinned" would
 * be wrong); when both are there, a warning in the report. */
enum ps_status report_check_rfc_bit(const struct report *r, const char *dump,
				    struct ps_warnings *warnings,
				    struct ps_err *err);
/* The same check over pinned entries kept elsewhere (the TUI's). */
enum ps_status rfc_bit_check(const struct page_layout *pl,
			     const struct summary *sum,
			     const struct pinned_entry *pinned, size_t nr_pinned,
			     const char *dump, struct ps_warnings *warnings,
			     struct ps_err *err);
void report_free(struct report *r);

/* Count one decoded page (and record it when it is pinned). */
void report_page(struct report *r, const struct page_state *ps);
/* Count the struct pages page_plain_run() says need nothing else. */
static inline void report_plain_pages(struct report *r,
				      const struct plain_counts *c)
{
	r->sum.pages += c->pages;
	r->sum.buddy += c->buddy;
	r->sum.slab += c->slab;
}
/* Record a struct page the dump does not contain. */
void report_missing(struct report *r, uint64_t pfn);
/* finding_fn for checks_page() and the audit; the same (rule, pfn) twice
 * is kept once. */
void report_finding(void *report, const struct finding *f);
/* For a scan thread's part of the report, merged later: true the first
 * time r meets (rule, pfn), which it remembers. */
bool report_first_time(struct report *r, const struct finding *f);
/* A finding known only by rule and pfn: counted (once), never kept. For a
 * thread's findings of a rule beyond what the report could still keep. */
void report_count_finding(struct report *r, enum rule_id id, uint64_t pfn);
/* Add src's page counts, pinned entries and missing runs (src's pages
 * follow dst's) to dst, as if dst had counted those pages itself. */
void report_merge_pages(struct report *dst, const struct report *src);
/* Take the rebuilt LRU lists from the audit. */
void report_take_lists(struct report *r, struct audit *a);
/* The owners and holders of every pinned entry (owners.c), once the
 * scan is done; only running out of memory fails. */
enum ps_status report_resolve_owners(struct report *r, struct owners *o,
				     struct ps_err *err);

/* After the scan: keep the kernel's pin counters and check them against
 * the decoded pins (PIN-ACCOUNTING-MISMATCH); sections_unread: mem_section
 * entries or roots the scan could not follow. */
void report_pin_accounting(struct report *r, const struct pin_accounting *pa,
			   uint64_t sections_unread);
/* The summary's accounting line: "pin accounting: acquired 1046,
 * released 0, outstanding 1046; decoded 1046 (balanced)", or why the
 * counters were not read. The text report and the TUI. */
void pin_accounting_text(const struct page_layout *pl,
			 const struct pin_accounting *pa, int64_t decoded,
			 char *buf, size_t size);
/* Findings at or above sev. */
uint64_t report_findings_at_least(const struct report *r, enum severity sev);

void report_print_text(const struct report *r, FILE *out);
void report_print_json(const struct report *r, FILE *out);
/* The same JSON on one line ending in a newline: a JSON Lines record. */
void report_print_json_line(const struct report *r, FILE *out);

#endif
