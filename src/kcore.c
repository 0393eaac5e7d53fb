#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kcore.h"

#define NO_PADDR UINT64_MAX
/* kcore maps at most a few hundred ranges; refuse absurd headers. */
#define MAX_SEGMENTS 65536
#define MAX_NOTES_SIZE (1u << 20)

static Elf *open_elf(int fd)
{
	elf_version(EV_CURRENT);
	return elf_begin(fd, ELF_C_READ, NULL);
}

bool kcore_detect(int fd)
{
	Elf *elf = open_elf(fd);
	GElf_Ehdr eh;
	size_t n, i;
	bool kcore = false;

	if (!elf)
		return false;
	if (gelf_getehdr(elf, &eh) && eh.e_type == ET_CORE &&
	    eh.e_machine == EM_X86_64 && !elf_getphdrnum(elf, &n)) {
		for (i = 0; i < n && !kcore; i++) {
			GElf_Phdr ph;

			kcore = gelf_getphdr(elf, (int)i, &ph) &&
				ph.p_type == PT_LOAD && ph.p_paddr == NO_PADDR;
		}
	}
	elf_end(elf);
	return kcore;
}

static void find_vmcoreinfo(struct kcore *kc, Elf *elf, const GElf_Phdr *ph)
{
	GElf_Nhdr nh;
	Elf_Data *data;
	size_t off = 0, name_off, desc_off;
	char *notes;

	if (ph->p_filesz == 0 || ph->p_filesz > MAX_NOTES_SIZE)
		return;
	notes = malloc(ph->p_filesz);
	if (!notes)
		return;
	if (pread(kc->fd, notes, ph->p_filesz, (off_t)ph->p_offset) !=
	    (ssize_t)ph->p_filesz)
		goto out;
	data = elf_getdata_rawchunk(elf, (off_t)ph->p_offset, ph->p_filesz,
				    ELF_T_NHDR);
	if (!data)
		goto out;
	while ((off = gelf_getnote(data, off, &nh, &name_off, &desc_off)) > 0) {
		if (nh.n_namesz == sizeof("VMCOREINFO") &&
		    !memcmp((char *)data->d_buf + name_off, "VMCOREINFO",
			    sizeof("VMCOREINFO"))) {
			kc->vmcoreinfo = malloc(nh.n_descsz + 1);
			if (!kc->vmcoreinfo)
				break;
			memcpy(kc->vmcoreinfo, (char *)data->d_buf + desc_off,
			       nh.n_descsz);
			kc->vmcoreinfo[nh.n_descsz] = '\0';
			kc->vmcoreinfo_len = nh.n_descsz;
			break;
		}
	}
out:
	free(notes);
}

enum ps_status kcore_open(struct kcore *kc, int fd, const char *path,
			  struct ps_err *err)
{
	Elf *elf;
	size_t n, i;

	memset(kc, 0, sizeof(*kc));
	kc->fd = fd;
	elf = open_elf(fd);
	if (!elf || elf_getphdrnum(elf, &n) || n > MAX_SEGMENTS) {
		if (elf)
			elf_end(elf);
		return ps_fail(err, PS_ERR_FORMAT, "%s: not a readable kcore ELF",
			       path);
	}
	kc->segs = calloc(n ? n : 1, sizeof(*kc->segs));
	if (!kc->segs) {
		elf_end(elf);
		return ps_fail(err, PS_ERR_NOMEM, "out of memory");
	}
	for (i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph))
			continue;
		if (ph.p_type == PT_NOTE && !kc->vmcoreinfo)
			find_vmcoreinfo(kc, elf, &ph);
		if (ph.p_type != PT_LOAD || !ph.p_filesz)
			continue;
		kc->segs[kc->nr_segs].vaddr = ph.p_vaddr;
		kc->segs[kc->nr_segs].paddr = ph.p_paddr;
		kc->segs[kc->nr_segs].offset = ph.p_offset;
		kc->segs[kc->nr_segs++].size = ph.p_filesz;
	}
	elf_end(elf);
	return PS_OK;
}

void kcore_close(struct kcore *kc)
{
	free(kc->segs);
	free(kc->vmcoreinfo);
	memset(kc, 0, sizeof(*kc));
}

/* The segment holding addr in the virtual (or physical) space, or NULL. */
static const struct kcore_segment *find_segment(const struct kcore *kc,
						uint64_t addr, bool phys)
{
	size_t i;

	for (i = 0; i < kc->nr_segs; i++) {
		const struct kcore_segment *s = &kc->segs[i];
		uint64_t start = phys ? s->paddr : s->vaddr;

		if (phys && s->paddr == NO_PADDR)
			continue;
		if (addr >= start && addr - start < s->size)
			return s;
	}
	return NULL;
}

static enum ps_status read_space(const struct kcore *kc, uint64_t addr,
				 uint8_t *buf, uint64_t len, uint64_t *got,
				 bool phys, const char *path,
				 struct ps_err *err)
{
	*got = 0;
	while (*got < len) {
		const struct kcore_segment *s =
			find_segment(kc, addr + *got, phys);
		uint64_t start, chunk;
		ssize_t n;

		if (!s)
			return ps_fail(err, PS_ERR_NODATA,
				       "%s: no segment maps %s address 0x%llx",
				       path, phys ? "physical" : "kernel",
				       (unsigned long long)(addr + *got));
		start = phys ? s->paddr : s->vaddr;
		chunk = s->size - (addr + *got - start);
		if (chunk > len - *got)
			chunk = len - *got;
		n = pread(kc->fd, buf + *got, chunk,
			  (off_t)(s->offset + (addr + *got - start)));
		if (n <= 0)
			return ps_fail(err, n < 0 && errno != EIO ? PS_ERR_IO :
				       PS_ERR_NODATA,
				       "%s: cannot read kernel address 0x%llx: %s",
				       path, (unsigned long long)(addr + *got),
				       n < 0 ? strerror(errno) : "end of file");
		*got += (uint64_t)n;
	}
	return PS_OK;
}

enum ps_status kcore_read_virt(const struct kcore *kc, uint64_t addr,
			       void *buf, uint64_t len, uint64_t *got,
			       const char *path, struct ps_err *err)
{
	return read_space(kc, addr, buf, len, got, false, path, err);
}

enum ps_status kcore_read_phys(const struct kcore *kc, uint64_t addr,
			       void *buf, uint64_t len, const char *path,
			       struct ps_err *err)
{
	uint64_t got;

	return read_space(kc, addr, buf, len, &got, true, path, err);
}
