#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dump_guard.h"

/* Bounds on what the headers may ask pinscan to read before libkdumpfile
 * does: 2^16 program headers (more use PN_XNUM, read from section 0). */
#define MAX_PHDRS (1u << 20)
#define KDUMP_SIGNATURE "KDUMP   "
#define BITMAP_CHUNK (1u << 20)

struct dump_file {
	int fd;
	const char *path;
	uint64_t size;
};

/* [off, off + len) lies inside the file (no overflow). */
static bool within(const struct dump_file *f, uint64_t off, uint64_t len)
{
	return off <= f->size && len <= f->size - off;
}

static enum ps_status read_at(const struct dump_file *f, uint64_t off,
			      void *buf, size_t len, const char *what,
			      struct ps_err *err)
{
	ssize_t got;

	if (!within(f, off, len))
		return ps_fail(err, PS_ERR_FORMAT,
			       "%s: truncated at offset %llu: %s (offset %llu, %zu bytes) lies past the end of the file",
			       f->path, (unsigned long long)f->size, what,
			       (unsigned long long)off, len);
	got = pread(f->fd, buf, len, (off_t)off);
	if (got < 0)
		return ps_fail(err, PS_ERR_IO, "%s: %s", f->path, strerror(errno));
	if ((size_t)got != len)
		return ps_fail(err, PS_ERR_FORMAT,
			       "%s: truncated at offset %llu: %s could not be read",
			       f->path, (unsigned long long)(off + got), what);
	return PS_OK;
}

static enum ps_status check_phdrs(const struct dump_file *f,
				  const Elf64_Ehdr *eh, uint32_t phnum,
				  struct ps_err *err)
{
	Elf64_Phdr *ph;
	uint32_t i;
	enum ps_status st;

	if (eh->e_phentsize != sizeof(Elf64_Phdr) || !phnum || phnum > MAX_PHDRS)
		return ps_fail(err, PS_ERR_FORMAT,
			       "%s: ELF header: %u program headers of %u bytes are not plausible",
			       f->path, phnum, eh->e_phentsize);
	ph = malloc((size_t)phnum * sizeof(*ph));
	if (!ph)
		return ps_fail(err, PS_ERR_NOMEM, "out of memory");
	st = read_at(f, eh->e_phoff, ph, (size_t)phnum * sizeof(*ph),
		     "the program headers", err);
	for (i = 0; !st && i < phnum; i++)
		if (ph[i].p_type == PT_NOTE &&
		    !within(f, ph[i].p_offset, ph[i].p_filesz))
			st = ps_fail(err, PS_ERR_FORMAT,
				     "%s: truncated or corrupt: PT_NOTE at offset %llu of %llu bytes runs past the end of the file (%llu bytes)",
				     f->path, (unsigned long long)ph[i].p_offset,
				     (unsigned long long)ph[i].p_filesz,
				     (unsigned long long)f->size);
	free(ph);
	return st;
}

static enum ps_status guard_elf(const struct dump_file *f, struct ps_err *err)
{
	Elf64_Ehdr eh;
	uint32_t phnum;

	if (read_at(f, 0, &eh, sizeof(eh), "the ELF header", err))
		return err->status;
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB)
		return ps_fail(err, PS_ERR_FORMAT,
			       "%s: ELF class %u, data %u: an x86-64 dump is ELF64 little-endian",
			       f->path, eh.e_ident[EI_CLASS], eh.e_ident[EI_DATA]);
	phnum = eh.e_phnum;
	/* Section headers are optional in a dump, but if the header names
	 * some they must be there: libkdumpfile reads them. */
	if (eh.e_shoff || eh.e_shnum) {
		Elf64_Shdr sh0;

		if (eh.e_shentsize != sizeof(Elf64_Shdr) ||
		    !within(f, eh.e_shoff,
			    (uint64_t)(eh.e_shnum ? eh.e_shnum : 1) * sizeof(Elf64_Shdr)))
			return ps_fail(err, PS_ERR_FORMAT,
				       "%s: ELF header: %u section headers of %u bytes at offset %llu do not fit in the file (%llu bytes)",
				       f->path, eh.e_shnum, eh.e_shentsize,
				       (unsigned long long)eh.e_shoff,
				       (unsigned long long)f->size);
		/* PN_XNUM: more than 65534 program headers, counted in
		 * section 0's sh_info. */
		if (phnum == PN_XNUM) {
			if (read_at(f, eh.e_shoff, &sh0, sizeof(sh0),
				    "section header 0", err))
				return err->status;
			phnum = sh0.sh_info;
		}
	}
	return check_phdrs(f, &eh, phnum, err);
}

/* makedumpfile's struct disk_dump_header and kdump_sub_header (x86-64),
 * the fields pinscan checks. */
struct kdump_header {
	int32_t header_version;
	int32_t block_size, sub_hdr_size;
	uint32_t bitmap_blocks, max_mapnr;
};

static void parse_kdump_header(const uint8_t *h, struct kdump_header *k)
{
	memcpy(&k->header_version, h + 8, 4);
	memcpy(&k->block_size, h + 428, 4);
	memcpy(&k->sub_hdr_size, h + 432, 4);
	memcpy(&k->bitmap_blocks, h + 436, 4);
	memcpy(&k->max_mapnr, h + 440, 4);
}

/* Pages the bitmaps describe: two bitmaps of bitmap_blocks / 2 blocks. */
static uint64_t bitmap_bits(const struct kdump_header *k)
{
	return (uint64_t)k->bitmap_blocks / 2 * (uint64_t)k->block_size * 8;
}

/* libkdumpfile 0.5.1 trusts these: a negative header_version, or a
 * max_mapnr beyond what the bitmaps hold, makes kdump_free crash after
 * the open failed (doc/libkdumpfile-bugs.md). makedumpfile sizes the
 * bitmaps from max_mapnr, so a real file never has more. */
static enum ps_status check_mapnr(const struct dump_file *f,
				  const char *where, uint64_t max_mapnr,
				  const struct kdump_header *k,
				  struct ps_err *err)
{
	if (max_mapnr <= bitmap_bits(k))
		return PS_OK;
	return ps_fail(err, PS_ERR_FORMAT,
		       "%s: %s: max_mapnr %llu, more pages than its bitmaps describe (%llu)",
		       f->path, where, (unsigned long long)max_mapnr,
		       (unsigned long long)bitmap_bits(k));
}

/* offset_vmcoreinfo/size_vmcoreinfo (header v3+), offset_note/size_note
 * (v4+), offset_eraseinfo/size_eraseinfo (v5+) in the sub-header. */
static enum ps_status check_sub_header(const struct dump_file *f,
				       const struct kdump_header *k,
				       struct ps_err *err)
{
	static const struct {
		const char *name;
		unsigned at, version;
	} blobs[] = {
		{ "VMCOREINFO", 32, 3 }, { "ELF note", 48, 4 },
		{ "erase info", 64, 5 },
	};
	uint8_t sub[104];
	uint64_t max_mapnr_64;
	size_t i;

	if (k->header_version < 3)
		return PS_OK;
	if (read_at(f, (uint64_t)k->block_size, sub, sizeof(sub),
		    "the kdump sub-header", err))
		return err->status;
	for (i = 0; i < sizeof(blobs) / sizeof(blobs[0]); i++) {
		uint64_t off, len;

		if (k->header_version < (int)blobs[i].version)
			continue;
		memcpy(&off, sub + blobs[i].at, 8);
		memcpy(&len, sub + blobs[i].at + 8, 8);
		if (len && !within(f, off, len))
			return ps_fail(err, PS_ERR_FORMAT,
				       "%s: kdump sub-header: the %s at offset %llu of %llu bytes runs past the end of the file (%llu bytes)",
				       f->path, blobs[i].name,
				       (unsigned long long)off,
				       (unsigned long long)len,
				       (unsigned long long)f->size);
	}
	/* v6+: the page count beyond 2^32 (max_mapnr_64 at 96). */
	memcpy(&max_mapnr_64, sub + 96, 8);
	if (k->header_version >= 6)
		return check_mapnr(f, "kdump sub-header", max_mapnr_64, k, err);
	return PS_OK;
}

/* Pages dumped: the bits set in the second bitmap, read in chunks. */
static enum ps_status count_dumped(const struct dump_file *f, uint64_t start,
				   uint64_t len, uint64_t *n,
				   struct ps_err *err)
{
	uint8_t *buf = malloc(BITMAP_CHUNK);
	uint64_t done;
	enum ps_status st = PS_OK;

	if (!buf)
		return ps_fail(err, PS_ERR_NOMEM, "out of memory");
	*n = 0;
	for (done = 0; done < len && !st; done += BITMAP_CHUNK) {
		size_t chunk = len - done < BITMAP_CHUNK ? (size_t)(len - done) :
			       BITMAP_CHUNK, i;

		st = read_at(f, start + done, buf, chunk, "the kdump bitmap", err);
		for (i = 0; !st && i < chunk; i++)
			*n += (uint64_t)__builtin_popcount(buf[i]);
	}
	free(buf);
	return st;
}

/* makedumpfile's page_desc_t: data offset, size, flags (DUMP_DH_*). */
struct page_desc {
	uint64_t offset;
	uint32_t size, flags;
	uint64_t page_flags;
};
#define DUMP_DH_COMPRESSED (0x1 | 0x2 | 0x4 | 0x20)	/* zlib lzo snappy zstd */
#define DESC_CHUNK 4096

/* Every descriptor the file holds (nr_descs from pds on): a compressed
 * size above the page size (block_size: makedumpfile writes a block per
 * page) is refused. Bitmap and descriptors are both in pfn order, but
 * the pfn is only for the message: the index says which descriptor. */
static enum ps_status check_descs(const struct dump_file *f, uint64_t pds,
				  uint64_t nr_descs, uint32_t page_size,
				  struct ps_err *err)
{
	struct page_desc *buf = malloc(DESC_CHUNK * sizeof(*buf));
	enum ps_status st = PS_OK;
	uint64_t first, i;

	if (!buf)
		return ps_fail(err, PS_ERR_NOMEM, "out of memory");
	for (first = 0; !st && first < nr_descs; first += DESC_CHUNK) {
		uint64_t n = nr_descs - first < DESC_CHUNK ? nr_descs - first :
			     DESC_CHUNK;

		st = read_at(f, pds + first * sizeof(*buf), buf,
			     (size_t)n * sizeof(*buf), "the page descriptors",
			     err);
		for (i = 0; !st && i < n; i++)
			if ((buf[i].flags & DUMP_DH_COMPRESSED) &&
			    buf[i].size > page_size)
				st = ps_fail(err, PS_ERR_FORMAT,
					     "%s: page descriptor %llu (offset %llu) claims %u compressed bytes, more than a page (%u): the file is corrupt",
					     f->path,
					     (unsigned long long)(first + i),
					     (unsigned long long)(pds + (first + i) * sizeof(*buf)),
					     buf[i].size, page_size);
	}
	free(buf);
	return st;
}

static enum ps_status guard_kdump(const struct dump_file *f,
				  struct ps_warnings *w, struct ps_err *err)
{
	uint8_t h[464];
	struct kdump_header k;
	uint64_t bitmaps, pds, nr_pages = 0, last[2];
	uint32_t psize;

	if (read_at(f, 0, h, sizeof(h), "the kdump header", err))
		return err->status;
	parse_kdump_header(h, &k);
	if (k.block_size < 512 || k.block_size > (1 << 20) ||
	    (k.block_size & (k.block_size - 1)) || k.sub_hdr_size < 0 ||
	    !k.bitmap_blocks)
		return ps_fail(err, PS_ERR_FORMAT,
			       "%s: kdump header: block_size %d, sub_hdr_size %d, bitmap_blocks %u are not plausible",
			       f->path, k.block_size, k.sub_hdr_size,
			       k.bitmap_blocks);
	if (k.header_version < 1)
		return ps_fail(err, PS_ERR_FORMAT,
			       "%s: kdump header: header_version %d is not plausible",
			       f->path, k.header_version);
	if (check_mapnr(f, "kdump header", k.max_mapnr, &k, err) ||
	    check_sub_header(f, &k, err))
		return err->status;
	bitmaps = (1 + (uint64_t)k.sub_hdr_size) * (uint64_t)k.block_size;
	pds = bitmaps + (uint64_t)k.bitmap_blocks * (uint64_t)k.block_size;
	if (pds > f->size)
		return ps_fail(err, PS_ERR_FORMAT,
			       "%s: truncated at offset %llu: the kdump headers and bitmaps end at offset %llu",
			       f->path, (unsigned long long)f->size,
			       (unsigned long long)pds);
	/* The second half of the bitmap says which pages have a descriptor
	 * (24 bytes: offset, size, flags, page flags), in pfn order. */
	if (count_dumped(f, bitmaps + (uint64_t)k.bitmap_blocks * k.block_size / 2,
			 (uint64_t)k.bitmap_blocks * k.block_size / 2,
			 &nr_pages, err))
		return err->status;
	if (!nr_pages)
		return PS_OK;
	if (check_descs(f, pds, f->size - pds < nr_pages * 24 ?
			(f->size - pds) / 24 : nr_pages,
			(uint32_t)k.block_size, err))
		return err->status;
	if (!within(f, pds, nr_pages * 24)) {
		ps_warn(w, "%s: truncated at offset %llu: the page descriptors run to offset %llu; pages beyond the cut are missing",
			f->path, (unsigned long long)f->size,
			(unsigned long long)(pds + nr_pages * 24));
		return PS_OK;
	}
	/* makedumpfile writes the page data in descriptor order: the last
	 * descriptor's data ends the file. */
	if (read_at(f, pds + (nr_pages - 1) * 24, last, sizeof(last),
		    "the last page descriptor", err))
		return err->status;
	memcpy(&psize, (uint8_t *)last + 8, 4);
	if (!within(f, last[0], psize))
		ps_warn(w, "%s: truncated at offset %llu: the page data runs to offset %llu; pages stored beyond the cut are missing",
			f->path, (unsigned long long)f->size,
			(unsigned long long)(last[0] + psize));
	return PS_OK;
}

enum ps_status dump_guard(int fd, const char *path, struct ps_warnings *w,
			  struct ps_err *err)
{
	struct dump_file f = { .fd = fd, .path = path };
	struct stat sb;
	char magic[8];

	if (fstat(fd, &sb))
		return ps_fail(err, PS_ERR_IO, "%s: %s", path, strerror(errno));
	/* /proc/kcore and devices report no useful size: not guarded. */
	if (!S_ISREG(sb.st_mode))
		return PS_OK;
	f.size = (uint64_t)sb.st_size;
	if (f.size < sizeof(magic) ||
	    pread(fd, magic, sizeof(magic), 0) != (ssize_t)sizeof(magic))
		return PS_OK;
	if (!memcmp(magic, ELFMAG, SELFMAG))
		return guard_elf(&f, err);
	if (!memcmp(magic, KDUMP_SIGNATURE, sizeof(magic)))
		return guard_kdump(&f, w, err);
	return PS_OK;
}
