/* Small helpers every stage uses. */
#ifndef PINSCAN_UTIL_H
#define PINSCAN_UTIL_H

#include <stdbool.h>
#include <stddef.h>

/* Make room for element n of a growing array (doubling); false when out
 * of memory, the array unchanged. */
bool array_grow(void **arr, size_t *cap, size_t n, size_t elem);

#endif
