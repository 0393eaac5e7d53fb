#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dump_guard.h"
#include "util.h"

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

/* makedumpfile's page_desc_t: data offset, size, flags (DUMP_DH_*). */
struct page_desc {
	uint64_t offset;
	uint32_t size, flags;
	uint64_t page_flags;
};
#define DUMP_DH_COMPRESSED (0x1 | 0x2 | 0x4 | 0x20)	/* zlib lzo snappy zstd */
#define DESC_CHUNK 4096
/* Unreadable ranges kept at most: a file worse than this is not a dump. */
#define MAX_UNREADABLE (1u << 20)

/* Walks the dumped bitmap and the page descriptors together: the n-th set
 * bit (pfn order) owns the n-th descriptor. */
struct desc_walk {
	const struct dump_file *f;
	uint32_t page_size;
	uint64_t pds, nr_in_file;	/* descriptors wholly inside the file */
	uint64_t index;			/* of the next descriptor */
	struct page_desc buf[DESC_CHUNK];
	uint64_t buf_first, buf_n;
	struct dump_damage *out;
	uint64_t corrupt;		/* descriptors found bad */
	uint64_t first_corrupt_pfn;
	const char *first_corrupt_why;
	uint64_t past_eof;		/* data (partly) past the end */
	uint64_t last_data_end;		/* of the last descriptor in the file */
	uint64_t last_bad_index;	/* descriptor ending the last range */
};

static enum ps_status add_unreadable(struct desc_walk *dw, uint64_t pfn,
				     struct ps_err *err)
{
	struct dump_damage *d = dw->out;
	uint64_t start = pfn * dw->page_size;

	/* Merge across pages the file does not hold: those are absent
	 * anyway, and a truncated file then costs a few ranges. */
	if (d->nr && dw->index && dw->last_bad_index == dw->index - 1) {
		d->ranges[d->nr - 1].end = start + dw->page_size;
		dw->last_bad_index = dw->index;
		return PS_OK;
	}
	if (d->nr == MAX_UNREADABLE)
		return ps_fail(err, PS_ERR_FORMAT,
			       "%s: more than %u runs of page descriptors are unusable: the file is not a readable dump",
			       dw->f->path, MAX_UNREADABLE);
	if (!dump_damage_add(d, start, start + dw->page_size))
		return ps_fail(err, PS_ERR_NOMEM, "out of memory");
	dw->last_bad_index = dw->index;
	return PS_OK;
}

/* Why libkdumpfile could not read the page this descriptor describes, or
 * NULL when it can (data past the end of the file is counted apart). */
static const char *desc_problem(const struct desc_walk *dw,
				const struct page_desc *pd)
{
	if (pd->flags & DUMP_DH_COMPRESSED) {
		if (!pd->size)
			return "compressed data of 0 bytes";
	} else if (pd->size != dw->page_size) {
		return "an uncompressed size other than the page size";
	}
	return NULL;
}

/* One dumped pfn: its descriptor checked. A compressed size above the
 * page size is an error: libkdumpfile 0.5.1 overflows its buffer reading
 * it, also inside its own page-table walks, where pinscan cannot step in.
 * Every other unusable descriptor makes its page unreadable: pinscan then
 * never asks libkdumpfile for it (a failed read corrupts 0.5.1's page
 * cache, doc/libkdumpfile-bugs.md). */
static enum ps_status walk_one(struct desc_walk *dw, uint64_t pfn,
			       struct ps_err *err)
{
	const struct page_desc *pd;
	const char *why;

	if (dw->index >= dw->nr_in_file)
		return add_unreadable(dw, pfn, err);
	if (dw->index >= dw->buf_first + dw->buf_n) {
		uint64_t n = dw->nr_in_file - dw->index;

		dw->buf_first = dw->index;
		dw->buf_n = n < DESC_CHUNK ? n : DESC_CHUNK;
		if (read_at(dw->f, dw->pds + dw->index * sizeof(*pd), dw->buf,
			    (size_t)dw->buf_n * sizeof(*pd),
			    "the page descriptors", err))
			return err->status;
	}
	pd = &dw->buf[dw->index - dw->buf_first];
	if ((pd->flags & DUMP_DH_COMPRESSED) && pd->size > dw->page_size)
		return ps_fail(err, PS_ERR_FORMAT,
			       "%s: page descriptor %llu (offset %llu) claims %u compressed bytes, more than a page (%u): the file is corrupt",
			       dw->f->path, (unsigned long long)dw->index,
			       (unsigned long long)(dw->pds + dw->index * sizeof(*pd)),
			       pd->size, dw->page_size);
	dw->last_data_end = pd->offset + pd->size;
	why = desc_problem(dw, pd);
	if (why && !dw->corrupt++) {
		dw->first_corrupt_pfn = pfn;
		dw->first_corrupt_why = why;
	}
	if (!why && !within(dw->f, pd->offset, pd->size))
		dw->past_eof++;
	else if (!why)
		return PS_OK;
	return add_unreadable(dw, pfn, err);
}

/* Every dumped page's descriptor, in the order of the second bitmap. */
static enum ps_status walk_descs(struct desc_walk *dw, uint64_t bitmap,
				 uint64_t len, struct ps_err *err)
{
	uint8_t *buf = malloc(BITMAP_CHUNK);
	enum ps_status st = PS_OK;
	uint64_t done;

	if (!buf)
		return ps_fail(err, PS_ERR_NOMEM, "out of memory");
	for (done = 0; done < len && !st; done += BITMAP_CHUNK) {
		size_t chunk = len - done < BITMAP_CHUNK ? (size_t)(len - done) :
			       BITMAP_CHUNK, i;

		st = read_at(dw->f, bitmap + done, buf, chunk, "the kdump bitmap",
			     err);
		for (i = 0; !st && i < chunk; i++) {
			unsigned bits = buf[i];

			while (bits && !st) {
				unsigned b = (unsigned)__builtin_ctz(bits);

				st = walk_one(dw, (done + i) * 8 + b, err);
				dw->index++;
				bits &= bits - 1;
			}
		}
	}
	free(buf);
	return st;
}

/* What the walk found, as warnings: a cut (makedumpfile writes the page
 * data in descriptor order, so the last descriptor's data ends a whole
 * file) or corrupt descriptors. Data past the end of a file that is not
 * cut short is corruption too. */
static void warn_damage(const struct desc_walk *dw, struct ps_warnings *w)
{
	const char *path = dw->f->path;
	unsigned long long size = dw->f->size;
	bool descs_cut = dw->index > dw->nr_in_file;
	bool data_cut = !descs_cut && dw->index &&
			dw->last_data_end > dw->f->size;

	if (descs_cut)
		ps_warn(w, "%s: truncated at offset %llu: the page descriptors run to offset %llu; pages beyond the cut are missing",
			path, size,
			(unsigned long long)(dw->pds + dw->index * sizeof(struct page_desc)));
	else if (data_cut)
		ps_warn(w, "%s: truncated at offset %llu: the page data runs to offset %llu; pages stored beyond the cut are missing",
			path, size, (unsigned long long)dw->last_data_end);
	if (dw->corrupt)
		ps_warn(w, "%s: %llu page descriptors are corrupt (the first, for pfn 0x%llx, gives %s); those pages are missing",
			path, (unsigned long long)dw->corrupt,
			(unsigned long long)dw->first_corrupt_pfn,
			dw->first_corrupt_why);
	if (dw->past_eof && !descs_cut && !data_cut)
		ps_warn(w, "%s: %llu page descriptors point past the end of the file, which is not cut short: the file is corrupt; those pages are missing",
			path, (unsigned long long)dw->past_eof);
}

static enum ps_status guard_kdump(const struct dump_file *f,
				  struct dump_damage *out,
				  struct ps_warnings *w, struct ps_err *err)
{
	uint8_t h[464];
	struct kdump_header k;
	struct desc_walk *dw;
	uint64_t bitmaps, pds;
	enum ps_status st;

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
	dw = calloc(1, sizeof(*dw));
	if (!dw)
		return ps_fail(err, PS_ERR_NOMEM, "out of memory");
	dw->f = f;
	dw->page_size = (uint32_t)k.block_size;
	dw->pds = pds;
	dw->nr_in_file = (f->size - pds) / sizeof(struct page_desc);
	dw->out = out;
	/* The second half of the bitmap says which pages have a descriptor
	 * (24 bytes: offset, size, flags, page flags), in pfn order. */
	st = walk_descs(dw, bitmaps + (uint64_t)k.bitmap_blocks * k.block_size / 2,
			(uint64_t)k.bitmap_blocks * k.block_size / 2, err);
	if (!st)
		warn_damage(dw, w);
	free(dw);
	return st;
}

/* The index of the first range ending after phys (nr when none). */
static size_t first_ending_after(const struct dump_damage *d, uint64_t phys)
{
	size_t lo = 0, hi = d->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->ranges[mid].end <= phys)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool dump_damage_overlaps(const struct dump_damage *d, uint64_t phys,
			  uint64_t len)
{
	size_t i = first_ending_after(d, phys);

	return i < d->nr && d->ranges[i].start < phys + len;
}

bool dump_damage_add(struct dump_damage *d, uint64_t start, uint64_t end)
{
	/* The new range overlaps none: it goes before the first after it. */
	size_t lo = first_ending_after(d, start);

	if (!array_grow((void **)&d->ranges, &d->cap, d->nr,
			sizeof(*d->ranges)))
		return false;
	memmove(d->ranges + lo + 1, d->ranges + lo,
		(d->nr - lo) * sizeof(*d->ranges));
	d->ranges[lo].start = start;
	d->ranges[lo].end = end;
	d->nr++;
	return true;
}

enum ps_status dump_guard(int fd, const char *path, struct ps_warnings *w,
			  struct dump_damage *damage, struct ps_err *err)
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
		return guard_kdump(&f, damage, w, err);
	return PS_OK;
}
