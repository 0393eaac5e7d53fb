/* --kdump: the kdump-compressed (diskdump, zlib per page) and the
 * flattened copies of the ELF vmcore.
 *
 * Both are written by makedumpfile (Debian's 1.7.2 reads the synthetic
 * ELF: it takes the VMCOREINFO note and the PT_LOADs, and with "-d 0"
 * filters nothing), so the files are what a real kdump setup produces:
 *   makedumpfile -c -d 0 vmcore vmcore.kdump
 *   makedumpfile -F -c -d 0 vmcore > vmcore.flat
 * Pages that are in no PT_LOAD (--missing) are clear in the kdump
 * bitmaps.  makedumpfile's output does not depend on the time it runs,
 * so the flattened records must reassemble to vmcore.kdump byte for
 * byte; flat_reassemble() checks that with its own reader of the format
 * (makedumpfile's IMPLEMENTATION file, "flattened format").
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "mkvmcore.h"

#define MDF_SIGNATURE		"makedumpfile"
#define MDF_HEADER_SIZE		4096	/* MAX_SIZE_MDF_HEADER */
#define MDF_TYPE_FLAT_HEADER	1

static uint64_t be64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

static uint8_t *read_file(const char *path, size_t *len)
{
	struct stat st;
	uint8_t *buf;
	size_t got = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st))
		fatal("open %s: %s", path, strerror(errno));
	buf = xcalloc(1, st.st_size);
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, st.st_size - got);

		if (n <= 0)
			fatal("read %s: %s", path, n ? strerror(errno) : "EOF");
		got += n;
	}
	close(fd);
	*len = got;
	return buf;
}

/* Rebuild the kdump file from the flattened records: a 4 KiB header
 * ("makedumpfile", type 1, version 1; big-endian), then (offset, size)
 * big-endian pairs each followed by size bytes to put at offset, ended by
 * offset -1. */
static uint8_t *flat_reassemble(const char *path, size_t *out_len)
{
	size_t len, pos = MDF_HEADER_SIZE, max = 0, cap = 0;
	uint8_t *flat = read_file(path, &len), *out = NULL;

	if (len < MDF_HEADER_SIZE || strncmp((char *)flat, MDF_SIGNATURE,
					     sizeof(MDF_SIGNATURE)) ||
	    be64(flat + 16) != MDF_TYPE_FLAT_HEADER)
		fatal("%s: not a makedumpfile flattened file", path);
	for (;;) {
		int64_t off, size;

		if (pos + 16 > len)
			fatal("%s: records end without the end marker", path);
		off = (int64_t)be64(flat + pos);
		size = (int64_t)be64(flat + pos + 8);
		pos += 16;
		if (off < 0)
			break;
		if (size < 0 || pos + size > len)
			fatal("%s: bad record at %zu", path, pos - 16);
		if ((size_t)(off + size) > cap) {
			size_t ncap = (size_t)(off + size) * 2;

			out = xrealloc(out, ncap);
			memset(out + cap, 0, ncap - cap);
			cap = ncap;
		}
		memcpy(out + off, flat + pos, size);
		if ((size_t)(off + size) > max)
			max = off + size;
		pos += size;
	}
	free(flat);
	*out_len = max;
	return out;
}

void kdump_write(struct gen *g, const char *elf_path, const char *kdump_path,
		 const char *flat_path)
{
	char *kd_argv[] = {
		"makedumpfile", "-c", "-d", "0", (char *)elf_path,
		(char *)kdump_path, NULL
	};
	char *flat_argv[] = {
		"makedumpfile", "-F", "-c", "-d", "0", (char *)elf_path, NULL
	};
	char *log = xasprintf("%s/makedumpfile.log", g->outdir);
	uint8_t *kd, *re;
	size_t kd_len, re_len;
	int saved = dup(2), fd;

	unlink(kdump_path);
	unlink(flat_path);
	/* makedumpfile chatters on stderr (progress, "kernel version is
	 * not supported" for synthetic releases): keep it in a log. */
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		dup2(fd, 2);
		close(fd);
	}
	if (run_cmd(kd_argv, NULL)) {
		dup2(saved, 2);
		fatal("makedumpfile -c failed (see %s); writing the kdump "
		      "format without makedumpfile is not implemented", log);
	}
	if (run_cmd(flat_argv, flat_path)) {
		dup2(saved, 2);
		fatal("makedumpfile -F failed (see %s)", log);
	}
	dup2(saved, 2);
	close(saved);

	kd = read_file(kdump_path, &kd_len);
	re = flat_reassemble(flat_path, &re_len);
	if (kd_len != re_len || memcmp(kd, re, kd_len))
		fatal("%s does not reassemble to %s (%zu vs %zu bytes)",
		      flat_path, kdump_path, re_len, kd_len);
	printf("kdump: %s and %s written; flattened records reassemble to "
	       "the kdump file byte for byte (%zu bytes)\n", kdump_path,
	       flat_path, kd_len);
	unlink(log);
	free(kd);
	free(re);
	free(log);
}

/* ------------------------------------------------------------------ */
/* --stream: a kdump-compressed file written here, for hosts whose ELF
 * makedumpfile could not go through in a usable time (it reads every
 * page of every PT_LOAD, a terabyte of holes).  The format is
 * makedumpfile's (IMPLEMENTATION; diskdump_mod.h), header version 6:
 *   block 0      struct disk_dump_header
 *   block 1..    struct kdump_sub_header, the ELF notes, VMCOREINFO
 *   then         the two bitmaps (RAM pfns; dumped pfns)
 *   then         one struct page_desc per dumped pfn, in pfn order
 *   then         the pages, each zlib-compressed (compress2 at
 *                Z_BEST_SPEED, as makedumpfile -c) or raw if that is
 *                not smaller.
 * Only pages with content are dumped (kernel image, metadata pool,
 * mem_map): the rest of RAM is left out, as makedumpfile -d 31 leaves
 * out free pages.  Pages with the same bytes share their data, as
 * makedumpfile's zero page does: most mem_map pages are 64 identical
 * free struct pages.  A reader still inflates every page it reads. */

#define KDUMP_BLOCK		4096
#define KDUMP_HEADER_VERSION	6
#define DUMP_DH_COMPRESSED_ZLIB	0x1
#define PAGE_DESC_SIZE		24
#define SUB_HEADER_SIZE		104	/* up to max_mapnr_64 */
#define DEDUP_SLOTS		(1u << 16)

struct dedup_slot {
	uint64_t hash;
	const uint8_t *page;		/* in the mapped vmcore */
	uint64_t offset;
	uint32_t size, flags;
};

/* Sequential output through a buffer, at an explicit file offset. */
struct kd_out {
	int fd;
	const char *path;
	uint64_t pos;
	uint8_t *buf;
	size_t used, cap;
};

static void pwrite_all(int fd, const void *buf, size_t len, uint64_t off,
		       const char *path)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = pwrite(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			fatal("write %s: %s", path, n ? strerror(errno) : "0 bytes");
		p += n;
		len -= n;
		off += n;
	}
}

static void kd_flush(struct kd_out *o)
{
	pwrite_all(o->fd, o->buf, o->used, o->pos, o->path);
	o->pos += o->used;
	o->used = 0;
}

static void kd_put(struct kd_out *o, const void *p, size_t len)
{
	if (o->used + len > o->cap)
		kd_flush(o);
	memcpy(o->buf + o->used, p, len);
	o->used += len;
}

/* Four independent lanes, so that hashing 16 GiB of mem_map is not one
 * long chain of multiplies. */
static uint64_t page_hash(const uint8_t *p)
{
	uint64_t h[4] = { 1, 2, 3, 4 }, w;

	for (size_t i = 0; i < PAGE_SIZE; i += 32)
		for (int l = 0; l < 4; l++) {
			memcpy(&w, p + i + 8 * l, 8);
			h[l] = (h[l] ^ w) * 0x9e3779b97f4a7c15ULL;
			h[l] ^= h[l] >> 31;
		}
	return h[0] ^ (h[1] * 3) ^ (h[2] * 5) ^ (h[3] * 7);
}

static int cmp_chunk_idx(const void *a, const void *b, void *arg)
{
	const struct chunk *c = arg;
	uint64_t x = c[*(const int *)a].paddr, y = c[*(const int *)b].paddr;

	return x < y ? -1 : x > y;
}

static void set_bits(uint8_t *bm, uint64_t from, uint64_t to)
{
	for (uint64_t pfn = from; pfn < to; pfn++)
		bm[pfn >> 3] |= 1u << (pfn & 7);
}

static void put_str(uint8_t *p, size_t off, const char *s)
{
	strncpy((char *)p + off, s, 64);
}

/* Block 0 (disk_dump_header, x86_64 layout) and the sub-header blocks. */
static void kd_headers(struct gen *g, uint8_t *h, uint64_t max_mapnr,
		       uint32_t sub_blocks, uint32_t bitmap_blocks,
		       const uint8_t *notes, size_t notes_len)
{
	uint8_t *sub = h + KDUMP_BLOCK;
	size_t vmci_len = strlen(g->vmcoreinfo);
	uint64_t notes_off = KDUMP_BLOCK + SUB_HEADER_SIZE + 8;
	uint64_t vmci_off = notes_off + notes_len;

	memcpy(h, "KDUMP   ", 8);
	put32(h, 8, KDUMP_HEADER_VERSION);
	/* struct new_utsname at 12: six fields of 65 bytes */
	put_str(h, 12, "Linux");
	put_str(h, 12 + 65, "mkvmcore");
	put_str(h, 12 + 130, g->era->release);
	put_str(h, 12 + 195, "#1 SMP");
	put_str(h, 12 + 260, "x86_64");
	put64(h, 408, CRASHTIME);		/* timestamp.tv_sec */
	put32(h, 424, DUMP_DH_COMPRESSED_ZLIB);	/* status */
	put32(h, 428, KDUMP_BLOCK);
	put32(h, 432, sub_blocks);
	put32(h, 436, bitmap_blocks);
	put32(h, 440, (uint32_t)max_mapnr);
	put32(h, 460, 1);			/* nr_cpus */

	put64(sub, 0, g->phys_base);
	put32(sub, 8, 31);			/* dump_level: like -d 31 */
	put64(sub, 24, max_mapnr);		/* end_pfn */
	put64(sub, 32, vmci_off);
	put64(sub, 40, vmci_len);
	put64(sub, 48, notes_off);
	put64(sub, 56, notes_len);
	put64(sub, 88, max_mapnr);		/* end_pfn_64 */
	put64(sub, 96, max_mapnr);		/* max_mapnr_64 */
	memcpy(h + notes_off, notes, notes_len);
	memcpy(h + vmci_off, g->vmcoreinfo, vmci_len);
}

void kdump_write_stream(struct gen *g, const char *path)
{
	uint64_t max_mapnr = g->ram[g->nr_ram - 1].end >> PAGE_SHIFT;
	uint64_t bm_bytes = (max_mapnr + 8 * KDUMP_BLOCK - 1) /
		(8 * KDUMP_BLOCK) * KDUMP_BLOCK;
	uint8_t *bm = xcalloc(2, bm_bytes);
	int *order = xcalloc(g->nr_chunks, sizeof(int));
	struct dedup_slot *slots = xcalloc(DEDUP_SLOTS, sizeof(*slots));
	uLong zcap = compressBound(PAGE_SIZE);
	uint8_t *zbuf = xcalloc(1, zcap), *hdr;
	size_t notes_len, hdr_len;
	uint8_t *notes = mem_elf_notes(g, &notes_len);
	uint64_t nr_dumped = 0, nr_unique = 0, data_bytes = 0;
	uint32_t sub_blocks;
	struct kd_out desc = { 0 }, data = { 0 };
	int fd;

	for (int i = 0; i < g->nr_chunks; i++)
		order[i] = i;
	qsort_r(order, g->nr_chunks, sizeof(int), cmp_chunk_idx, g->chunks);
	for (int r = 0; r < g->nr_ram; r++)
		set_bits(bm, g->ram[r].start >> PAGE_SHIFT,
			 g->ram[r].end >> PAGE_SHIFT);
	for (int i = 0; i < g->nr_chunks; i++) {
		const struct chunk *c = &g->chunks[order[i]];

		if ((c->paddr | c->size) & (PAGE_SIZE - 1))
			fatal("chunk at 0x%llx is not page aligned",
			      (unsigned long long)c->paddr);
		if (i && c->paddr < g->chunks[order[i - 1]].paddr +
		    g->chunks[order[i - 1]].size)
			fatal("chunks overlap at 0x%llx",
			      (unsigned long long)c->paddr);
		set_bits(bm + bm_bytes, c->paddr >> PAGE_SHIFT,
			 (c->paddr + c->size) >> PAGE_SHIFT);
		nr_dumped += c->size >> PAGE_SHIFT;
	}

	sub_blocks = (SUB_HEADER_SIZE + 8 + notes_len +
		      strlen(g->vmcoreinfo) + KDUMP_BLOCK - 1) / KDUMP_BLOCK;
	hdr_len = (size_t)(1 + sub_blocks) * KDUMP_BLOCK;
	hdr = xcalloc(1, hdr_len);
	kd_headers(g, hdr, max_mapnr, sub_blocks,
		   (uint32_t)(2 * bm_bytes / KDUMP_BLOCK), notes, notes_len);

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		fatal("open %s: %s", path, strerror(errno));
	pwrite_all(fd, hdr, hdr_len, 0, path);
	pwrite_all(fd, bm, 2 * bm_bytes, hdr_len, path);
	desc = (struct kd_out){ fd, path, hdr_len + 2 * bm_bytes,
				xcalloc(1, 1 << 20), 0, 1 << 20 };
	data = (struct kd_out){ fd, path,
				desc.pos + nr_dumped * PAGE_DESC_SIZE,
				xcalloc(1, 1 << 20), 0, 1 << 20 };

	for (int i = 0; i < g->nr_chunks; i++) {
		const struct chunk *c = &g->chunks[order[i]];

		/* The mapped vmcore may have been written back and evicted
		 * (16 GiB of mem_map for a terabyte host): start reading the
		 * next chunk while this one is compressed. */
		if (i + 1 < g->nr_chunks)
			madvise(g->chunks[order[i + 1]].buf,
				g->chunks[order[i + 1]].size, MADV_WILLNEED);
		for (uint64_t off = 0; off < c->size; off += PAGE_SIZE) {
			const uint8_t *page = c->buf + off;
			uint64_t h = page_hash(page);
			struct dedup_slot *s = &slots[h & (DEDUP_SLOTS - 1)];
			uint8_t d[PAGE_DESC_SIZE] = { 0 };

			if (!s->page || s->hash != h ||
			    memcmp(s->page, page, PAGE_SIZE)) {
				uLongf zlen = zcap;
				bool z = compress2(zbuf, &zlen, page, PAGE_SIZE,
						   Z_BEST_SPEED) == Z_OK &&
					zlen < PAGE_SIZE;

				*s = (struct dedup_slot){
					h, page, data.pos + data.used,
					z ? (uint32_t)zlen : PAGE_SIZE,
					z ? DUMP_DH_COMPRESSED_ZLIB : 0
				};
				kd_put(&data, z ? zbuf : page, s->size);
				nr_unique++;
				data_bytes += s->size;
			}
			put64(d, 0, s->offset);
			put32(d, 8, s->size);
			put32(d, 12, s->flags);
			kd_put(&desc, d, sizeof(d));
		}
	}
	kd_flush(&desc);
	kd_flush(&data);
	if (close(fd))
		fatal("close %s: %s", path, strerror(errno));
	printf("kdump: %s written: %llu pages of %llu dumped, %llu distinct "
	       "(%llu bytes of page data)\n", path,
	       (unsigned long long)nr_dumped, (unsigned long long)max_mapnr,
	       (unsigned long long)nr_unique, (unsigned long long)data_bytes);
	free(desc.buf);
	free(data.buf);
	free(hdr);
	free(notes);
	free(zbuf);
	free(slots);
	free(order);
	free(bm);
}
