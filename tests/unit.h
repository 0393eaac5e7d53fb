/* The few lines every unit test (tests/test_*.c) shares: CHECK prints
 * "ok: what" or "FAIL: what (condition)" and counts the failures, which
 * unit_exit turns into the exit status automake reads. */
#ifndef PINSCAN_TESTS_UNIT_H
#define PINSCAN_TESTS_UNIT_H

#include <stdio.h>

static int unit_failures;

#define CHECK(cond, what)                                                   \
	do {                                                                \
		if (!(cond)) {                                              \
			printf("FAIL: %s (%s)\n", what, #cond);             \
			unit_failures++;                                    \
		} else {                                                    \
			printf("ok: %s\n", what);                           \
		}                                                           \
	} while (0)

static inline int unit_exit(void)
{
	return unit_failures ? 1 : 0;
}

#endif
