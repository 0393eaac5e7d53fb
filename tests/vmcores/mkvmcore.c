/* mkvmcore: write a synthetic x86_64 Linux crash dump for pinscan's tests.
 *
 *   mkvmcore --era ERA --out DIR [--scenario mixed|bench|faults|zones|owners] [--mem-mib N]
 *            [--kaslr] [--l5] [--no-extreme] [--no-vmemmap] [--missing]
 *            [--kdump] [--selftest] [--no-btf] [--vmcoreinfo-kallsyms]
 *            [--kallsyms-pc-relative]
 *            [--cc gcc] [--srcdir DIR]
 *
 * DIR receives vmlinux (built from eras/ERA.c with real DWARF), vmcore
 * (ELF64 ET_CORE like /proc/vmcore), expected.json (see CONTRACT.md) and,
 * with --kdump, vmcore.kdump and vmcore.flat.  This file holds option
 * parsing and the vmlinux build; see mkvmcore.h for the other parts.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mkvmcore.h"

void fatal(const char *fmt, ...)
{
	va_list ap;

	fputs("mkvmcore: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		fatal("out of memory (%zu x %zu bytes)", n, size);
	return p;
}

void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	if (!p)
		fatal("out of memory (%zu bytes)", size);
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		fatal("out of memory");
	va_end(ap);
	return s;
}

/* Run a program without a shell; stdout goes to out_path if given.
 * Returns the exit status, or -1 if it did not exit normally. */
static int run_cmd_at(const char *dir, char *const argv[],
		      const char *out_path)
{
	pid_t pid;
	int status;

	pid = fork();
	if (pid < 0)
		fatal("fork: %s", strerror(errno));
	if (pid == 0) {
		if (dir && chdir(dir))
			_exit(127);
		if (out_path) {
			int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

			if (fd < 0 || dup2(fd, 1) < 0)
				_exit(127);
			close(fd);
		}
		execvp(argv[0], argv);
		fprintf(stderr, "mkvmcore: cannot run %s: %s\n",
			argv[0], strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		fatal("waitpid: %s", strerror(errno));
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int run_cmd(char *const argv[], const char *out_path)
{
	return run_cmd_at(NULL, argv, out_path);
}

static int run_cmd_in(const char *dir, char *const argv[])
{
	return run_cmd_at(dir, argv, NULL);
}

static void usage(int status)
{
	fprintf(status ? stderr : stdout,
		"usage: mkvmcore --era ERA --out DIR [--scenario mixed|bench|faults|zones|owners]\n"
		"                [--mem-mib N] [--kaslr] [--l5] [--no-extreme]\n"
		"                [--no-vmemmap] [--missing] [--pin-delta N] [--kdump]\n"
		"                [--selftest] [--no-btf] [--vmcoreinfo-kallsyms] [--stream]\n"
		"                [--kallsyms-pc-relative]\n"
		"                [--cc CC] [--srcdir DIR]\n"
		"eras:");
	era_list();
	exit(status);
}

static void parse_args(struct gen *g, int argc, char **argv)
{
	const char *era = NULL;

	g->scenario = SCEN_MIXED;
	g->extreme = true;
	g->vmemmap = true;
	g->cc = "gcc";
	g->srcdir = NULL;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

#define NEEDVAL() do { if (!val) usage(2); i++; } while (0)
		if (!strcmp(a, "--era")) {
			NEEDVAL();
			era = val;
		} else if (!strcmp(a, "--out")) {
			NEEDVAL();
			g->outdir = val;
		} else if (!strcmp(a, "--scenario")) {
			NEEDVAL();
			if (!strcmp(val, "mixed"))
				g->scenario = SCEN_MIXED;
			else if (!strcmp(val, "bench"))
				g->scenario = SCEN_BENCH;
			else if (!strcmp(val, "faults"))
				g->scenario = SCEN_FAULTS;
			else if (!strcmp(val, "zones"))
				g->scenario = SCEN_ZONES;
			else if (!strcmp(val, "owners"))
				g->scenario = SCEN_OWNERS;
			else if (!strcmp(val, "sample"))
				g->scenario = SCEN_SAMPLE;
			else
				fatal("unknown scenario '%s'", val);
		} else if (!strcmp(a, "--mem-mib")) {
			NEEDVAL();
			g->mem_mib = strtoull(val, NULL, 0);
		} else if (!strcmp(a, "--cc")) {
			NEEDVAL();
			g->cc = val;
		} else if (!strcmp(a, "--srcdir")) {
			NEEDVAL();
			g->srcdir = val;
		} else if (!strcmp(a, "--kaslr")) {
			g->kaslr = true;
		} else if (!strcmp(a, "--l5")) {
			g->l5 = true;
		} else if (!strcmp(a, "--no-extreme")) {
			g->extreme = false;
		} else if (!strcmp(a, "--no-vmemmap")) {
			g->vmemmap = false;
		} else if (!strcmp(a, "--missing")) {
			g->missing = true;
		} else if (!strcmp(a, "--pin-delta")) {
			NEEDVAL();
			g->pin_delta = strtoll(val, NULL, 0);
		} else if (!strcmp(a, "--kdump")) {
			g->kdump = true;
		} else if (!strcmp(a, "--selftest")) {
			g->selftest = true;
		} else if (!strcmp(a, "--no-btf")) {
			g->no_btf = true;
		} else if (!strcmp(a, "--vmcoreinfo-kallsyms")) {
			g->vmcoreinfo_kallsyms = true;
		} else if (!strcmp(a, "--kallsyms-pc-relative")) {
			g->kallsyms_pc_relative = true;
		} else if (!strcmp(a, "--stream")) {
			g->stream = true;
		} else if (!strcmp(a, "--keep-obj")) {
			g->keep_obj = true;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(0);
		} else {
			fprintf(stderr, "mkvmcore: unknown option '%s'\n", a);
			usage(2);
		}
#undef NEEDVAL
	}
	if (!era || !g->outdir)
		usage(2);
	g->era = era_lookup(era);
	if (!g->era)
		fatal("unknown era '%s'", era);
	if (g->scenario == SCEN_ZONES) {
		/* A fixed layout (memimage.c plan_sections()): 1 GiB at 0 and
		 * 512 MiB at 4 GiB, the last 256 MiB of it ZONE_MOVABLE. */
		if (g->mem_mib && g->mem_mib != 1536)
			fatal("the zones scenario has a fixed layout "
			      "(1536 MiB); leave --mem-mib out");
		if (g->missing)
			fatal("--missing is not supported with --scenario zones");
		g->mem_mib = 1536;
	}
	if (!g->mem_mib)
		g->mem_mib = g->scenario == SCEN_BENCH ? 16384 : 512;
	if (g->mem_mib % 128)
		fatal("--mem-mib must be a multiple of 128 (one section)");
	if (g->scenario != SCEN_BENCH && g->mem_mib < 384)
		fatal("the %s scenario needs at least 384 MiB",
		      g->scenario == SCEN_MIXED ? "mixed" : "faults");
	if ((g->scenario == SCEN_FAULTS || g->scenario == SCEN_SAMPLE) &&
	    g->missing)
		fatal("--missing is not supported with --scenario faults or sample");
	if (g->scenario == SCEN_BENCH && g->mem_mib < 1024)
		fatal("the bench scenario needs at least 1024 MiB");
	/* --stream is for size (a terabyte host): one contiguous RAM
	 * range, nothing dropped, and no read-back of every page. */
	if (g->stream && (g->scenario != SCEN_BENCH || g->missing ||
			  g->selftest))
		fatal("--stream goes with --scenario bench, without --missing "
		      "and --selftest");
}

/* Default srcdir: the directory this executable's source lives in is not
 * known at run time, so fall back to the directory of argv[0], then to
 * tests/vmcores under the current directory. */
static const char *find_srcdir(const char *argv0)
{
	static char buf[4096];
	const char *slash = strrchr(argv0, '/');
	struct stat st;

	if (slash) {
		snprintf(buf, sizeof(buf), "%.*s/eras", (int)(slash - argv0), argv0);
		if (!stat(buf, &st)) {
			buf[slash - argv0] = '\0';
			return buf;
		}
	}
	if (!stat("tests/vmcores/eras", &st))
		return "tests/vmcores";
	return ".";
}

/* Compile eras/ERA.c and link it at kernel addresses. */
static void build_vmlinux(struct gen *g)
{
	char *src = xasprintf("%s/eras/%s", g->srcdir, g->era->src);
	char *inc = xasprintf("-I%s/eras", g->srcdir);
	char *lds = xasprintf("%s/vmlinux.lds", g->srcdir);
	char *obj = xasprintf("%s/vmlinux.o", g->outdir);
	char *rel = xasprintf("-DUTS_RELEASE=\"%s\"", g->era->release);
	char *bits = xasprintf("-DMAX_PHYSMEM_BITS=%d", g->max_physmem_bits);
	char *cc_argv[] = {
		(char *)g->cc, "-std=gnu11", "-g", "-O0", "-c",
		"-mcmodel=kernel", "-fno-pie", "-ffreestanding",
		"-fno-common", "-fno-eliminate-unused-debug-types",
		"-fno-asynchronous-unwind-tables", "-fno-stack-protector",
		inc, rel, bits, g->era->cma ? "-DCONFIG_CMA" : "-UCONFIG_CMA",
		g->extreme ? "-DSPARSEMEM_EXTREME" : "-DNO_EXTREME",
		"-o", obj, src, NULL
	};
	char *ks_src = xasprintf("%s/kallsyms.S", g->outdir);
	char *ks_obj = xasprintf("%s/kallsyms.o", g->outdir);
	char *btf_raw = xasprintf("%s/btf.raw", g->outdir);
	char *btf_obj = xasprintf("%s/btf.o", g->outdir);
	char *ks_argv[] = {
		(char *)g->cc, "-c", "-o", ks_obj, ks_src, NULL
	};
	char *ld_argv[] = {
		"ld", "-T", lds, "--build-id=sha1", "-nostdlib",
		"-z", "noexecstack", "-z", "max-page-size=4096",
		"-o", g->vmlinux_path, obj, ks_obj, NULL, NULL
	};

	if (run_cmd(cc_argv, NULL))
		fatal("compiling %s failed", src);
	kallsyms_write_space(g, ks_src);
	if (run_cmd(ks_argv, NULL))
		fatal("assembling %s failed", ks_src);
	if (run_cmd(ld_argv, NULL))
		fatal("linking %s failed", g->vmlinux_path);
	if (!g->no_btf) {
		/* As the kernel's link-vmlinux.sh: BTF from the linked
		 * image's DWARF (pahole -J, Debian's dwarves), then a second
		 * link that places it in the image between __start_BTF and
		 * __stop_BTF (the .BTF section of vmlinux.lds). */
		char *redef_start = "_binary_btf_raw_start=__start_BTF";
		char *redef_stop = "_binary_btf_raw_end=__stop_BTF";
		char *pahole_argv[] = {
			"pahole", "-J", "--btf_encode_detached", btf_raw,
			g->vmlinux_path, NULL
		};
		char *objcopy_argv[] = {
			"objcopy", "-I", "binary", "-O", "elf64-x86-64",
			"-B", "i386:x86-64",
			"--rename-section", ".data=.BTF,alloc,load,readonly,data,contents",
			"--redefine-sym", redef_start, "--redefine-sym", redef_stop,
			"--strip-symbol", "_binary_btf_raw_size",
			"btf.raw", "btf.o", NULL
		};

		if (run_cmd(pahole_argv, NULL))
			fatal("pahole -J on %s failed (Debian's dwarves; "
			      "--no-btf makes a kernel without BTF)",
			      g->vmlinux_path);
		/* objcopy names the symbols after its input path: run it
		 * in the output directory. */
		if (run_cmd_in(g->outdir, objcopy_argv))
			fatal("objcopy of %s failed", btf_raw);
		ld_argv[13] = btf_obj;
		if (run_cmd(ld_argv, NULL))
			fatal("linking %s with its BTF failed", g->vmlinux_path);
	}
	if (!g->keep_obj) {
		unlink(obj);
		unlink(ks_src);
		unlink(ks_obj);
		unlink(btf_raw);
		unlink(btf_obj);
	}
	free(ks_src);
	free(ks_obj);
	free(btf_raw);
	free(btf_obj);
	free(src);
	free(inc);
	free(lds);
	free(obj);
	free(rel);
	free(bits);
}

const struct sym *sym_find(const struct gen *g, const char *name)
{
	for (size_t i = 0; i < g->nr_syms; i++)
		if (!strcmp(g->syms[i].name, name))
			return &g->syms[i];
	return NULL;
}

/* Run-time (KASLR-relocated) address of a vmlinux symbol. */
uint64_t sym_rt(const struct gen *g, const char *name)
{
	const struct sym *s = sym_find(g, name);

	if (!s)
		fatal("vmlinux has no symbol '%s'", name);
	return s->value + g->kaslr_offset;
}

/* Bytes of the linked image at a link-time address (allocated sections
 * with contents only). */
const uint8_t *vmlinux_bytes(const struct gen *g, uint64_t link_addr,
			     uint64_t len)
{
	for (size_t i = 0; i < g->nr_sects; i++) {
		const struct vmlinux_sect *vs = &g->sects[i];

		if (!vs->nobits && link_addr >= vs->addr &&
		    link_addr + len <= vs->addr + vs->size)
			return vs->data + (link_addr - vs->addr);
	}
	fatal("vmlinux has no contents at 0x%llx (+%llu)",
	      (unsigned long long)link_addr, (unsigned long long)len);
}

/* synthetic_mm_layout[] (eras/kernel_vars.h): the era's pglist_data,
 * zone and pageblock layout as its own compiler laid it out. */
static void read_mm_layout(struct gen *g)
{
	const struct sym *s = sym_find(g, "synthetic_mm_layout");
	const uint8_t *p;

	if (!s || s->size != L_NR * 8)
		fatal("vmlinux has no synthetic_mm_layout[%d]", L_NR);
	p = vmlinux_bytes(g, s->value, L_NR * 8);
	for (int i = 0; i < L_NR; i++)
		g->layout[i] = (long)get64(p, i * 8);
	if (g->layout[L_MAX_NR_ZONES] != NR_ZONES ||
	    g->layout[L_ZONE_MOVABLE] != Z_MOVABLE)
		fatal("%s: unexpected enum zone_type (%ld zones, ZONE_MOVABLE %ld)",
		      g->era->src, g->layout[L_MAX_NR_ZONES],
		      g->layout[L_ZONE_MOVABLE]);
	if ((g->layout[L_MIGRATE_CMA] >= 0) != g->era->cma)
		fatal("%s: MIGRATE_CMA %ld, but the era table says cma=%d",
		      g->era->src, g->layout[L_MIGRATE_CMA], g->era->cma);
}

/* synthetic_owner_layout[] (eras/owners.h): only the eras with owners. */
static void read_owner_layout(struct gen *g)
{
	const struct sym *s = sym_find(g, "synthetic_owner_layout");
	const uint8_t *p;

	if (!s) {
		if (g->scenario == SCEN_OWNERS || g->scenario == SCEN_SAMPLE)
			fatal("era %s has no owner structs (eras/owners.h): the owners and sample scenarios need a FOLL_PIN era from 6.1",
			      g->era->name);
		return;
	}
	if (s->size != O_NR * 8)
		fatal("vmlinux has a synthetic_owner_layout of %llu bytes, not %d",
		      (unsigned long long)s->size, O_NR * 8);
	p = vmlinux_bytes(g, s->value, O_NR * 8);
	for (int i = 0; i < O_NR; i++)
		g->olayout[i] = (long)get64(p, i * 8);
	g->has_owner_layout = true;
}

static void read_build_id(struct gen *g, Elf_Data *data)
{
	size_t off = 0, name_off, desc_off;
	GElf_Nhdr nh;

	while ((off = gelf_getnote(data, off, &nh, &name_off, &desc_off)) > 0) {
		if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
		    !memcmp((char *)data->d_buf + name_off, "GNU", 4) &&
		    nh.n_descsz <= sizeof(g->build_id)) {
			memcpy(g->build_id, (char *)data->d_buf + desc_off,
			       nh.n_descsz);
			g->build_id_len = nh.n_descsz;
		}
	}
}

/* Load .symtab, the allocated sections and the build-id of vmlinux. */
static void read_vmlinux(struct gen *g)
{
	int fd = open(g->vmlinux_path, O_RDONLY);
	Elf_Scn *scn = NULL;
	Elf *elf;

	if (fd < 0)
		fatal("open %s: %s", g->vmlinux_path, strerror(errno));
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf)
		fatal("%s: %s", g->vmlinux_path, elf_errmsg(-1));

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;

		if (!gelf_getshdr(scn, &sh))
			fatal("%s: %s", g->vmlinux_path, elf_errmsg(-1));
		if (sh.sh_type == SHT_SYMTAB) {
			size_t n = sh.sh_size / sh.sh_entsize;

			data = elf_getdata(scn, NULL);
			g->syms = xcalloc(n, sizeof(*g->syms));
			for (size_t i = 0; i < n; i++) {
				GElf_Sym s;
				const char *name;

				gelf_getsym(data, (int)i, &s);
				name = elf_strptr(elf, sh.sh_link, s.st_name);
				if (!name || !*name)
					continue;
				g->syms[g->nr_syms].name = strdup(name);
				g->syms[g->nr_syms].value = s.st_value;
				g->syms[g->nr_syms].size = s.st_size;
				g->nr_syms++;
			}
		} else if (sh.sh_flags & SHF_ALLOC) {
			struct vmlinux_sect *vs;

			g->sects = xrealloc(g->sects,
					    (g->nr_sects + 1) * sizeof(*g->sects));
			vs = &g->sects[g->nr_sects++];
			vs->addr = sh.sh_addr;
			vs->size = sh.sh_size;
			vs->nobits = sh.sh_type == SHT_NOBITS;
			vs->data = NULL;
			if (!vs->nobits) {
				data = elf_getdata(scn, NULL);
				vs->data = xcalloc(1, sh.sh_size);
				if (data && data->d_buf)
					memcpy(vs->data, data->d_buf, data->d_size);
			}
			if (sh.sh_type == SHT_NOTE)
				read_build_id(g, elf_getdata(scn, NULL));
		}
	}
	elf_end(elf);
	close(fd);
	if (!g->build_id_len)
		fatal("%s has no GNU build-id note", g->vmlinux_path);
}

/* Pick the address-space parameters: KASLR offsets, bases, paging. */
static void plan_address_space(struct gen *g)
{
	g->levels = g->l5 ? 5 : 4;
	g->max_physmem_bits = g->l5 ? 52 : 46;
	if (g->kaslr) {
		/* Real KASLR moves the kernel virtually and physically
		 * (arch/x86/boot/compressed/kaslr.c) and randomises the
		 * direct map, vmalloc and vmemmap bases in 1 GiB steps
		 * (arch/x86/mm/kaslr.c).  Fixed values keep dumps
		 * reproducible. */
		g->kaslr_offset = 0x1e000000;
		g->kernel_phys = 0x21000000;
		if (g->l5) {
			g->page_offset_base = 0xff2a974cc0000000ULL;
			g->vmalloc_base = 0xffa1c04a80000000ULL;
			g->vmemmap_base = 0xffc8e31a40000000ULL;
		} else {
			g->page_offset_base = 0xffff8f1a40000000ULL;
			g->vmalloc_base = 0xffffb1e3c0000000ULL;
			g->vmemmap_base = 0xffffd3a6c0000000ULL;
		}
	} else {
		g->kaslr_offset = 0;
		g->kernel_phys = 0x1000000;	/* CONFIG_PHYSICAL_START */
		if (g->l5) {
			g->page_offset_base = 0xff11000000000000ULL;
			g->vmalloc_base = 0xffa0000000000000ULL;
			g->vmemmap_base = 0xffd4000000000000ULL;
		} else {
			g->page_offset_base = 0xffff888000000000ULL;
			g->vmalloc_base = 0xffffc90000000000ULL;
			g->vmemmap_base = 0xffffea0000000000ULL;
		}
	}
	/* __pa_symbol(x) = x - __START_KERNEL_map + phys_base */
	g->phys_base = g->kernel_phys -
		(LINK_TEXT + g->kaslr_offset - START_KERNEL_MAP);
}

static void mkdir_p(const char *dir)
{
	char *tmp = strdup(dir);

	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(tmp, 0755);
		*p = '/';
	}
	if (mkdir(tmp, 0755) && errno != EEXIST)
		fatal("mkdir %s: %s", tmp, strerror(errno));
	free(tmp);
}

int main(int argc, char **argv)
{
	struct gen g = { 0 };
	char *path;
	int rc = 0;

	parse_args(&g, argc, argv);
	if (!g.srcdir)
		g.srcdir = find_srcdir(argv[0]);
	mkdir_p(g.outdir);
	plan_address_space(&g);

	g.vmlinux_path = xasprintf("%s/vmlinux", g.outdir);
	build_vmlinux(&g);
	read_vmlinux(&g);
	read_mm_layout(&g);
	read_owner_layout(&g);

	mem_plan(&g);
	scen_fill_memmap(&g);
	mem_build_kernel_data(&g);
	kallsyms_fill(&g);
	scen_place(&g);
	mem_build_pin_accounting(&g);
	mem_build_page_tables(&g);
	mem_build_vmcoreinfo(&g);

	path = xasprintf("%s/vmcore", g.outdir);
	mem_write_elf(&g, path);
	free(path);

	path = xasprintf("%s/expected.json", g.outdir);
	scen_write_expected(&g, path);
	free(path);

	if (g.kdump && g.stream) {
		path = xasprintf("%s/vmcore.kdump", g.outdir);
		kdump_write_stream(&g, path);
		free(path);
	} else if (g.kdump) {
		char *elf_path = xasprintf("%s/vmcore", g.outdir);
		char *kd = xasprintf("%s/vmcore.kdump", g.outdir);
		char *flat = xasprintf("%s/vmcore.flat", g.outdir);

		kdump_write(&g, elf_path, kd, flat);
		free(elf_path);
		free(kd);
		free(flat);
	}

	if (g.selftest) {
		path = xasprintf("%s/vmcore", g.outdir);
		rc |= selftest_run(&g, path, false);
		free(path);
		if (g.kdump) {
			path = xasprintf("%s/vmcore.kdump", g.outdir);
			rc |= selftest_run(&g, path, true);
			free(path);
		}
	}
	return rc ? 1 : 0;
}
