/*
 * pinscan real-kernel fixture workload (runs as PID-1's child inside a QEMU guest).
 *
 * Pins memory through FOLL_PIN the way a driver does: io_uring fixed-buffer registration
 * (io_uring_setup + io_uring_register(IORING_REGISTER_BUFFERS), raw syscalls) of
 *   - several small-page anonymous buffers (one of them registered twice: 2 pins per page),
 *   - one 2 MiB THP-backed anonymous buffer (verified through /proc/kpageflags KPF_THP),
 *   - one 2 MiB hugetlb buffer (MAP_HUGETLB) when the kernel gives one.
 * It also fills page cache (tmpfs files written and read back) and anonymous memory so the
 * LRU lists are long, prints its ground truth between PINSCAN-TRUTH-BEGIN / PINSCAN-TRUTH-END
 * on stdout (the serial console), then crashes the kernel through /proc/sysrq-trigger while the
 * io_uring fd (and so every pin) is still held.
 *
 * Build: gcc -O2 -static -o workload workload.c
 * Options: --no-crash (print truth, then sleep forever: for debugging).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <termios.h>
#include <unistd.h>

#ifndef __NR_io_uring_setup
#define __NR_io_uring_setup 425
#endif
#ifndef __NR_io_uring_register
#define __NR_io_uring_register 427
#endif
#define IORING_REGISTER_BUFFERS_ 0
#ifndef MAP_HUGETLB
#define MAP_HUGETLB 0x40000
#endif
#ifndef MADV_HUGEPAGE
#define MADV_HUGEPAGE 14
#endif

#define KPF_LRU 5
#define KPF_COMPOUND_HEAD 15
#define KPF_COMPOUND_TAIL 16
#define KPF_HUGE 17
#define KPF_THP 22

#define PAGE 4096UL
#define HPAGE (2UL << 20)

/* struct io_uring_params is 120 bytes on every kernel we care about; only zeroed input is needed. */
struct uring_params {
	uint32_t sq_entries, cq_entries, flags, sq_thread_cpu, sq_thread_idle, features, wq_fd;
	uint32_t resv[3];
	uint32_t sq_off[10];
	uint32_t cq_off[10];
};

static void out(const char *fmt, ...)
{
	char buf[4096];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof buf - 1)
		n = sizeof buf - 1;
	const char *p = buf;
	while (n > 0) {
		ssize_t w = write(1, p, n);
		if (w <= 0) {
			if (w < 0 && errno == EINTR)
				continue;
			return;
		}
		p += w;
		n -= w;
	}
}

static void die(const char *what)
{
	out("PINSCAN-WORKLOAD-ERROR %s: %s\n", what, strerror(errno));
	exit(1);
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

static void read_line(const char *path, char *buf, size_t len)
{
	buf[0] = 0;
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		snprintf(buf, len, "(unreadable: %s)", strerror(errno));
		return;
	}
	ssize_t n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		n = 0;
	buf[n] = 0;
	char *nl = strchr(buf, '\n');
	if (nl)
		*nl = 0;
}

static int pagemap_fd, kpageflags_fd, kpagecount_fd;

static uint64_t pread64_at(int fd, uint64_t index)
{
	uint64_t v = 0;
	if (fd < 0 || pread(fd, &v, 8, (off_t)(index * 8)) != 8)
		return ~0ULL;
	return v;
}

/* PFN of the page at virtual address va (0 if not present). */
static uint64_t va_pfn(void *va)
{
	uint64_t e = pread64_at(pagemap_fd, (uintptr_t)va / PAGE);
	if (e == ~0ULL || !(e >> 63))
		return 0;
	return e & ((1ULL << 55) - 1);
}

enum kind { SMALL, THP, HUGETLB };
static const char *kind_name[] = {"small", "thp", "hugetlb"};

struct buf {
	enum kind kind;
	char *va;
	size_t len;
	int regs; /* how many iovecs of the registration point at it */
};

static char *map_aligned(size_t len, size_t align)
{
	char *p = mmap(NULL, len + align, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("mmap");
	char *a = (char *)(((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1));
	if (a > p)
		munmap(p, a - p);
	char *end = p + len + align;
	if (end > a + len)
		munmap(a + len, end - (a + len));
	return a;
}

static void touch(char *p, size_t len, int seed)
{
	for (size_t off = 0; off < len; off += PAGE)
		memset(p + off, 0x40 + ((seed + off / PAGE) & 0x3f), PAGE);
}

/* Page cache: tmpfs files written then read back (shmem pages on the LRU lists). */
static void fill_page_cache(const char *dir, int nfiles, size_t each)
{
	char path[256], *chunk = malloc(1 << 16);
	if (!chunk)
		die("malloc");
	memset(chunk, 'p', 1 << 16);
	for (int i = 0; i < nfiles; i++) {
		snprintf(path, sizeof path, "%s/cache-%02d", dir, i);
		int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			die("open cache file");
		for (size_t off = 0; off < each; off += 1 << 16)
			if (write(fd, chunk, 1 << 16) != 1 << 16)
				die("write cache file");
		lseek(fd, 0, SEEK_SET);
		while (read(fd, chunk, 1 << 16) > 0)
			;
		close(fd);
	}
	free(chunk);
}

int main(int argc, char **argv)
{
	int no_crash = argc > 1 && !strcmp(argv[1], "--no-crash");
	char line[512];

	pagemap_fd = open("/proc/self/pagemap", O_RDONLY);
	kpageflags_fd = open("/proc/kpageflags", O_RDONLY);
	kpagecount_fd = open("/proc/kpagecount", O_RDONLY);
	if (pagemap_fd < 0)
		die("open /proc/self/pagemap");

	/* THP: make sure it is not disabled. */
	read_line("/sys/kernel/mm/transparent_hugepage/enabled", line, sizeof line);
	if (strstr(line, "[never]"))
		write_file("/sys/kernel/mm/transparent_hugepage/enabled", "always");
	char thp_enabled[128], thp_defrag[128];
	read_line("/sys/kernel/mm/transparent_hugepage/enabled", thp_enabled, sizeof thp_enabled);
	read_line("/sys/kernel/mm/transparent_hugepage/defrag", thp_defrag, sizeof thp_defrag);

	/* hugetlb: ask for 2 huge pages (one is used, one stays free in the pool). */
	write_file("/proc/sys/vm/nr_hugepages", "2");
	char nr_huge[64];
	read_line("/proc/sys/vm/nr_hugepages", nr_huge, sizeof nr_huge);

	/* Background: page cache and anonymous memory, so the LRU lists are long. */
	mkdir("/tmp/pc", 0755);
	fill_page_cache("/tmp/pc", 8, 8UL << 20); /* 64 MiB of shmem page cache */
	size_t anon_len = 96UL << 20;            /* 96 MiB anonymous, some of it THP */
	char *anon = mmap(NULL, anon_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (anon == MAP_FAILED)
		die("mmap anon");
	madvise(anon, anon_len, MADV_NOHUGEPAGE); /* small pages: long LRU lists of 4 KiB pages */
	touch(anon, anon_len, 7);

	/* The buffers to pin. */
	struct buf bufs[8];
	int nb = 0;
	bufs[nb++] = (struct buf){SMALL, map_aligned(1 * PAGE, PAGE), 1 * PAGE, 2}; /* registered twice */
	bufs[nb++] = (struct buf){SMALL, map_aligned(4 * PAGE, PAGE), 4 * PAGE, 1};
	bufs[nb++] = (struct buf){SMALL, map_aligned(16 * PAGE, PAGE), 16 * PAGE, 1};
	for (int i = 0; i < nb; i++) {
		madvise(bufs[i].va, bufs[i].len, MADV_NOHUGEPAGE);
		touch(bufs[i].va, bufs[i].len, i);
	}
	int thp_idx = nb;
	bufs[nb] = (struct buf){THP, map_aligned(HPAGE, HPAGE), HPAGE, 1};
	if (madvise(bufs[nb].va, HPAGE, MADV_HUGEPAGE))
		out("PINSCAN-WORKLOAD-NOTE madvise(MADV_HUGEPAGE): %s\n", strerror(errno));
	touch(bufs[nb].va, HPAGE, 3);
	nb++;
	int hugetlb_idx = -1;
	char *h = mmap(NULL, HPAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (h != MAP_FAILED) {
		touch(h, HPAGE, 5);
		hugetlb_idx = nb;
		bufs[nb++] = (struct buf){HUGETLB, h, HPAGE, 1};
	} else {
		out("PINSCAN-WORKLOAD-NOTE no hugetlb buffer: mmap(MAP_HUGETLB): %s\n", strerror(errno));
	}

	/* Verify the THP buffer really is a THP (KPF_THP on its head, PFNs contiguous and aligned). */
	uint64_t thp_head = va_pfn(bufs[thp_idx].va);
	uint64_t kpf_head = pread64_at(kpageflags_fd, thp_head);
	int thp_ok = thp_head && (thp_head & 511) == 0 && kpf_head != ~0ULL && (kpf_head >> KPF_THP & 1) &&
		     (kpf_head >> KPF_COMPOUND_HEAD & 1);
	for (size_t i = 1; thp_ok && i < HPAGE / PAGE; i++)
		if (va_pfn(bufs[thp_idx].va + i * PAGE) != thp_head + i)
			thp_ok = 0;

	/* io_uring: one ring, one IORING_REGISTER_BUFFERS call with every buffer (buffer 0 twice). */
	struct uring_params p;
	memset(&p, 0, sizeof p);
	int ring = syscall(__NR_io_uring_setup, 4, &p);
	if (ring < 0)
		die("io_uring_setup");
	struct iovec iov[16];
	int niov = 0;
	for (int i = 0; i < nb; i++)
		iov[niov++] = (struct iovec){bufs[i].va, bufs[i].len};
	for (int i = 0; i < nb; i++)
		for (int r = 1; r < bufs[i].regs; r++)
			iov[niov++] = (struct iovec){bufs[i].va, bufs[i].len};
	int rc = syscall(__NR_io_uring_register, ring, IORING_REGISTER_BUFFERS_, iov, niov);
	if (rc < 0 && hugetlb_idx >= 0) {
		/* Retry without the hugetlb buffer (a kernel may refuse it). */
		out("PINSCAN-WORKLOAD-NOTE register with hugetlb failed: %s; retrying without\n", strerror(errno));
		munmap(bufs[hugetlb_idx].va, HPAGE);
		for (int i = hugetlb_idx; i + 1 < nb; i++)
			bufs[i] = bufs[i + 1];
		nb--;
		hugetlb_idx = -1;
		niov = 0;
		for (int i = 0; i < nb; i++)
			iov[niov++] = (struct iovec){bufs[i].va, bufs[i].len};
		for (int i = 0; i < nb; i++)
			for (int r = 1; r < bufs[i].regs; r++)
				iov[niov++] = (struct iovec){bufs[i].va, bufs[i].len};
		rc = syscall(__NR_io_uring_register, ring, IORING_REGISTER_BUFFERS_, iov, niov);
	}
	if (rc < 0)
		die("io_uring_register(IORING_REGISTER_BUFFERS)");

	/* Ground truth. */
	struct utsname u;
	uname(&u);
	out("PINSCAN-TRUTH-BEGIN\n");
	out("version 1\n");
	out("uname %s %s %s\n", u.release, u.version, u.machine);
	read_line("/proc/cmdline", line, sizeof line);
	out("cmdline %s\n", line);
	out("thp_enabled %s\n", thp_enabled);
	out("thp_defrag %s\n", thp_defrag);
	out("nr_hugepages %s\n", nr_huge);
	out("io_uring_fd %d registered_iovecs %d\n", ring, niov);
	out("thp_verified %d\n", thp_ok);
	out("nbufs %d\n", nb);
	for (int i = 0; i < nb; i++) {
		struct buf *b = &bufs[i];
		size_t n = b->len / PAGE;
		out("buf %d kind=%s vaddr=0x%lx bytes=%zu pages=%zu regs=%d\n", i, kind_name[b->kind],
		    (unsigned long)(uintptr_t)b->va, b->len, n, b->regs);
		/* PFNs as runs: start+count (hex start, decimal count). */
		char runs[4096];
		size_t rl = 0;
		uint64_t start = 0, prev = 0, cnt = 0;
		for (size_t k = 0; k <= n; k++) {
			uint64_t pfn = k < n ? va_pfn(b->va + k * PAGE) : 0;
			if (k < n && cnt && pfn == prev + 1 && pfn) {
				prev = pfn;
				cnt++;
				continue;
			}
			if (cnt)
				rl += snprintf(runs + rl, sizeof runs - rl, " 0x%lx+%lu", (unsigned long)start,
					       (unsigned long)cnt);
			if (k < n) {
				start = prev = pfn;
				cnt = 1;
			}
		}
		runs[rl] = 0;
		out("pfns %d%s\n", i, runs);
		/* /proc/kpageflags and /proc/kpagecount (= mapcount) per page: every page of a small
		 * buffer, the first two pages of a large one. */
		for (size_t k = 0; k < n && (b->kind == SMALL || k < 2); k++) {
			uint64_t pfn = va_pfn(b->va + k * PAGE);
			out("kpf %d %zu 0x%lx 0x%lx %ld\n", i, k, (unsigned long)pfn,
			    (unsigned long)pread64_at(kpageflags_fd, pfn), (long)pread64_at(kpagecount_fd, pfn));
		}
	}
	read_line("/proc/sys/vm/nr_hugepages", line, sizeof line);
	out("nr_hugepages_after %s\n", line);
	out("PINSCAN-TRUTH-END\n");
	tcdrain(1);
	sleep(2);

	if (no_crash) {
		out("PINSCAN-WORKLOAD-IDLE\n");
		for (;;)
			pause();
	}
	out("PINSCAN-WORKLOAD-CRASH\n");
	tcdrain(1);
	sleep(1);
	sync();
	if (write_file("/proc/sysrq-trigger", "c"))
		die("write /proc/sysrq-trigger");
	/* not reached */
	for (;;)
		pause();
	return 0;
}
