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
	const char *dump, *vmlinux, *output;
	int json;
	int rfc_pin_bit;	/* 1: RFC v1 (mask 0x2), 2: RFC v2 (0x4) */
	int force;
	int progress;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: pinscan scan DUMP [-s VMLINUX] [--format text|json] [-o FILE]\n"
		"                    [--rfc-pin-bit 1|2] [--force] [--progress]\n"
		"       pinscan rules\n"
		"       pinscan version\n"
		"\n"
		"Report DMA-pinned pages and broken struct pages in a Linux vmcore\n"
		"(ELF, kdump-compressed, or flattened kdump). Exit status: 0 clean,\n"
		"1 findings, 2 could not analyse. See pinscan(1).\n");
}

static int fail(const struct ps_err *err)
{
	fprintf(stderr, "pinscan: %s\n", err->msg);
	return EXIT_CANNOT_ANALYSE;
}

/* BUILD-ID= is in VMCOREINFO since v5.9; older dumps cannot be checked. */
static enum ps_status check_build_id(const struct target *t,
				     const struct vmlinux *v, int force,
				     char *warning, size_t wsz,
				     struct ps_err *err)
{
	char dump_id[129];

	if (!vmcoreinfo_get(&t->vmcoreinfo, "BUILD-ID", dump_id, sizeof(dump_id))) {
		snprintf(warning, wsz,
			 "the dump has no BUILD-ID in VMCOREINFO: cannot check that %s matches it",
			 v->path);
		return PS_OK;
	}
	if (!strcasecmp(dump_id, v->build_id))
		return PS_OK;
	if (force) {
		snprintf(warning, wsz,
			 "--force: %s (build-id %s) does not match the dump (build-id %s)",
			 v->path, v->build_id[0] ? v->build_id : "none", dump_id);
		return PS_OK;
	}
	return ps_fail(err, PS_ERR_MISMATCH,
		       "%s does not belong to %s: vmlinux build-id %s, dump build-id %s (use --force to try anyway)",
		       v->path, t->path, v->build_id[0] ? v->build_id : "none",
		       dump_id);
}

static enum ps_status load_layout(const struct scan_opts *o,
				  struct target *t, struct vmlinux *v,
				  struct page_layout *pl, char *warning,
				  size_t wsz, struct ps_err *err)
{
	if (!o->vmlinux)
		return layout_from_vmcoreinfo(pl, &t->vmcoreinfo, err);
	if (vmlinux_open(v, o->vmlinux, err))
		return err->status;
	if (check_build_id(t, v, o->force, warning, wsz, err))
		return err->status;
	if (layout_from_dwarf(pl, v, &t->vmcoreinfo, err))
		return err->status;
	if (!o->force && layout_check_vmcoreinfo(pl, &t->vmcoreinfo, err))
		return ps_wrap(err, "%s does not match %s", o->vmlinux, t->path);
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

	memset(&r, 0, sizeof(r));
	if (target_open(&t, o->dump, &err) ||
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
	o->dump = argv[optind];
	return 0;
}

static void print_field(const char *name, const struct field *f)
{
	if (f->present)
		printf("  %-22s offset %4u size %u\n", name, f->off, f->size);
	else
		printf("  %-22s absent\n", name);
}

/* Print what the layout stage resolved: the first thing to look at when
 * a new kernel decodes strangely. */
static int run_layout(int argc, char **argv)
{
	struct vmlinux v = { .fd = -1 };
	struct vmcoreinfo none = { 0 };
	struct page_layout pl;
	struct ps_err err = { 0 };
	int rc = EXIT_CANNOT_ANALYSE;

	if (argc != 3 || strcmp(argv[1], "-s")) {
		fprintf(stderr, "usage: pinscan layout -s VMLINUX\n");
		return rc;
	}
	if (vmlinux_open(&v, argv[2], &err) ||
	    layout_from_dwarf(&pl, &v, &none, &err)) {
		fail(&err);
		goto out;
	}
	printf("%s\nbuild-id %s\nsizeof(struct page) %u\n", pl.source,
	       v.build_id[0] ? v.build_id : "none", pl.struct_page_size);
	print_field("flags", &pl.flags);
	print_field("compound_head", &pl.compound_head);
	print_field("lru", &pl.lru);
	print_field("mapping", &pl.mapping);
	print_field("index", &pl.index);
	print_field("private", &pl.private_);
	print_field("_mapcount/page_type", &pl.mapcount);
	print_field("_refcount", &pl.refcount);
	print_field("order (from head)", &pl.order);
	print_field("nr_pages (from head)", &pl.nr_pages);
	printf("pin scheme %s\n", pin_scheme_name(pl.pin_scheme));
	if (pl.pin_scheme == PIN_SCHEME_RFC) {
		print_field("dma_pinned_flags", &pl.rfc_flags);
		print_field("dma_pinned_count", &pl.rfc_count);
	} else {
		printf("  large folio pin count: %s, order >= %u\n",
		       large_pin_how(pl.large_pin_kind), pl.large_pin_min_order);
		print_field("large pin (from head)", &pl.large_pin);
	}
	printf("order kind %d, page_type kind %s (buddy %s%d/%#x, slab %d)\n",
	       pl.order_kind,
	       pl.page_type_kind == PAGE_TYPE_TOP_BYTE ? "top-byte" : "mask",
	       "", pl.pgty_buddy, pl.pg_buddy, pl.pgty_slab);
	printf("PG_lru %d PG_head %d PG_slab %d PG_active %d PG_reserved %d, __NR_PAGEFLAGS %d\n",
	       pl.pg_lru, pl.pg_head, pl.pg_slab, pl.pg_active, pl.pg_reserved,
	       pl.nr_pageflags);
	printf("mem_section size %u, section_mem_map at %u, map mask %#llx, has_mem_map %#llx, extreme %d\n",
	       pl.mem_section_size, pl.section_mem_map_off,
	       (unsigned long long)pl.section_map_mask,
	       (unsigned long long)pl.section_has_mem_map, pl.sparsemem_extreme);
	rc = EXIT_CLEAN;
out:
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
