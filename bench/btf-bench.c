/* Time the BTF path on a dump, stage by stage: kallsyms decoded from the
 * dump, the .BTF bytes read through its translation, and the layout
 * resolved from them (libbpf's parse + the facts + layout.c's decisions).
 *   bench/btf-bench DUMP [RUNS]
 * Prints the median and the fastest of RUNS (default 21) for each stage,
 * in ms: on a shared machine the fastest is the cost, the median what a
 * neighbour's load adds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "btf_layout.h"
#include "kallsyms.h"
#include "layout.h"
#include "target.h"

#define MAX_RUNS 1001

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void print_stage(const char *what, double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	printf("  %-34s median %6.1f ms, fastest %6.1f ms\n", what, v[n / 2],
	       v[0]);
}

int main(int argc, char **argv)
{
	static double t_ks[MAX_RUNS], t_read[MAX_RUNS], t_layout[MAX_RUNS];
	struct target t = { .fd = -1 };
	struct ps_err err = { 0 };
	int runs = argc > 2 ? atoi(argv[2]) : 21, i;
	size_t size = 0;

	if (argc < 2 || runs < 1 || runs > MAX_RUNS) {
		fprintf(stderr, "usage: btf-bench DUMP [RUNS (1..%d)]\n", MAX_RUNS);
		return 2;
	}
	if (target_open(&t, argv[1], NULL, &err)) {
		fprintf(stderr, "btf-bench: %s\n", err.msg);
		return 2;
	}
	for (i = 0; i < runs; i++) {
		struct kallsyms ks;
		struct page_layout pl;
		void *btf = NULL;
		double t0, t1, t2, t3;

		t0 = now_ms();
		if (kallsyms_from_dump(&ks, &t, &err))
			goto fail;
		t1 = now_ms();
		if (btf_read_dump(&t, &ks, &btf, &size, &err))
			goto fail;
		t2 = now_ms();
		if (layout_from_btf(&pl, btf, size, argv[1], t.release, &err))
			goto fail;
		t3 = now_ms();
		free(btf);
		kallsyms_free(&ks);
		t_ks[i] = t1 - t0;
		t_read[i] = t2 - t1;
		t_layout[i] = t3 - t2;
	}
	printf("%s (%s), %d runs, .BTF of %zu bytes\n", argv[1], t.release,
	       runs, size);
	print_stage("kallsyms decoded from the dump:", t_ks, runs);
	print_stage(".BTF read through the dump:", t_read, runs);
	print_stage("layout from BTF:", t_layout, runs);
	target_close(&t);
	return 0;
fail:
	fprintf(stderr, "btf-bench: %s\n", err.msg);
	target_close(&t);
	return 2;
}
