#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmlinux.h"

#define NT_GNU_BUILD_ID_TYPE 3

static void read_build_id(struct vmlinux *v)
{
	Elf_Scn *scn = NULL;

	v->build_id[0] = '\0';
	while ((scn = elf_nextscn(v->elf, scn))) {
		GElf_Shdr sh;
		GElf_Nhdr nh;
		Elf_Data *data;
		size_t off = 0, name_off, desc_off;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data)
			continue;
		while ((off = gelf_getnote(data, off, &nh, &name_off,
					   &desc_off)) > 0) {
			const unsigned char *desc;
			size_t i;

			if (nh.n_type != NT_GNU_BUILD_ID_TYPE ||
			    nh.n_namesz != 4 ||
			    memcmp((char *)data->d_buf + name_off, "GNU", 4) ||
			    nh.n_descsz * 2 >= sizeof(v->build_id))
				continue;
			desc = (const unsigned char *)data->d_buf + desc_off;
			for (i = 0; i < nh.n_descsz; i++)
				sprintf(v->build_id + 2 * i, "%02x", desc[i]);
			return;
		}
	}
}

static void find_symtab(struct vmlinux *v)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(v->elf, scn))) {
		GElf_Shdr sh;

		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB) {
			v->symtab = scn;
			v->symtab_strndx = sh.sh_link;
			return;
		}
	}
}

/* The bytes at a link-time address, from the section that holds it. */
static bool read_at(const struct vmlinux *v, uint64_t addr, char *buf,
		    size_t len)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(v->elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS ||
		    addr < sh.sh_addr || addr >= sh.sh_addr + sh.sh_size)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data || addr - sh.sh_addr >= data->d_size)
			return false;
		if (len > data->d_size - (addr - sh.sh_addr))
			len = data->d_size - (addr - sh.sh_addr);
		memcpy(buf, (char *)data->d_buf + (addr - sh.sh_addr), len);
		return true;
	}
	return false;
}

/* "Linux version 4.19.0-6-amd64 (...)": the release, for kernels whose
 * VMCOREINFO predates BUILD-ID (v5.9). */
static void read_release(struct vmlinux *v)
{
	static const char prefix[] = "Linux version ";
	char banner[128] = "";
	uint64_t addr;
	size_t len;

	if (!vmlinux_symbol(v, "linux_banner", &addr) ||
	    !read_at(v, addr, banner, sizeof(banner) - 1) ||
	    strncmp(banner, prefix, sizeof(prefix) - 1))
		return;
	len = strcspn(banner + sizeof(prefix) - 1, " \n");
	if (len >= sizeof(v->release))
		return;
	memcpy(v->release, banner + sizeof(prefix) - 1, len);
	v->release[len] = '\0';
}

/* A vmlinux cut short (a copy interrupted) keeps its ELF header but loses
 * the section headers at its end, or the end of a section: say so, rather
 * than "no symbol table", and never let the mmap'd read fault past the
 * end of the file. */
static enum ps_status check_not_truncated(struct vmlinux *v,
					  const GElf_Ehdr *eh,
					  struct ps_err *err)
{
	struct stat st;
	Elf_Scn *scn = NULL;
	uint64_t end;

	if (fstat(v->fd, &st))
		return ps_fail(err, PS_ERR_IO, "%s: %s", v->path,
			       strerror(errno));
	end = eh->e_shoff + (uint64_t)eh->e_shnum * eh->e_shentsize;
	if (eh->e_shoff > (uint64_t)st.st_size || end > (uint64_t)st.st_size)
		return ps_fail(err, PS_ERR_FORMAT,
			       "%s: truncated: its section headers end at offset %llu, the file has %lld bytes",
			       v->path, (unsigned long long)end,
			       (long long)st.st_size);
	while ((scn = elf_nextscn(v->elf, scn))) {
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type == SHT_NOBITS)
			continue;
		if (sh.sh_offset > (uint64_t)st.st_size ||
		    sh.sh_size > (uint64_t)st.st_size - sh.sh_offset)
			return ps_fail(err, PS_ERR_FORMAT,
				       "%s: truncated: a section ends at offset %llu, the file has %lld bytes",
				       v->path,
				       (unsigned long long)(sh.sh_offset + sh.sh_size),
				       (long long)st.st_size);
	}
	return PS_OK;
}

enum ps_status vmlinux_open(struct vmlinux *v, const char *path,
			    struct ps_err *err)
{
	GElf_Ehdr eh;

	memset(v, 0, sizeof(*v));
	v->path = strdup(path);
	elf_version(EV_CURRENT);
	v->fd = open(path, O_RDONLY);
	if (v->fd < 0)
		return ps_fail(err, PS_ERR_IO, "%s: %s", path, strerror(errno));
	/* mmap: a debug vmlinux is hundreds of MB and we touch little of it. */
	v->elf = elf_begin(v->fd, ELF_C_READ_MMAP, NULL);
	if (!v->elf || elf_kind(v->elf) != ELF_K_ELF || !gelf_getehdr(v->elf, &eh))
		return ps_fail(err, PS_ERR_FORMAT, "%s: not an ELF file", path);
	if (eh.e_machine != EM_X86_64)
		return ps_fail(err, PS_ERR_UNSUPPORTED,
			       "%s: not an x86-64 kernel (ELF machine %u)",
			       path, eh.e_machine);
	if (check_not_truncated(v, &eh, err))
		return err->status;
	read_build_id(v);
	find_symtab(v);
	if (!v->symtab)
		return ps_fail(err, PS_ERR_FORMAT,
			       "%s: has no symbol table (stripped?); pass the debug vmlinux",
			       path);
	read_release(v);
	return PS_OK;
}

void vmlinux_close(struct vmlinux *v)
{
	if (v->elf)
		elf_end(v->elf);
	if (v->fd > 0)
		close(v->fd);
	free(v->path);
	memset(v, 0, sizeof(*v));
}

void vmlinux_symbols(const struct vmlinux *v, const char *const *names,
		     size_t n, uint64_t *addrs, bool *found)
{
	size_t i, k, nr_syms, left = n;
	Elf_Data *data;
	GElf_Shdr sh;

	for (k = 0; k < n; k++)
		found[k] = false;
	if (!v->symtab || !gelf_getshdr(v->symtab, &sh) || !sh.sh_entsize)
		return;
	data = elf_getdata(v->symtab, NULL);
	if (!data)
		return;
	nr_syms = sh.sh_size / sh.sh_entsize;
	for (i = 0; i < nr_syms && left; i++) {
		GElf_Sym sym;
		const char *sname;

		if (!gelf_getsym(data, (int)i, &sym) || !sym.st_name)
			continue;
		sname = elf_strptr(v->elf, v->symtab_strndx, sym.st_name);
		for (k = 0; sname && k < n; k++)
			/* The first symbol of a name wins. */
			if (!found[k] && !strcmp(sname, names[k])) {
				addrs[k] = sym.st_value;
				found[k] = true;
				left--;
			}
	}
}

bool vmlinux_symbol(const struct vmlinux *v, const char *name,
		    uint64_t *addr)
{
	bool found;

	vmlinux_symbols(v, &name, 1, addr, &found);
	return found;
}
