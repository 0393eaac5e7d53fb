#include <stdlib.h>

#include "util.h"

bool array_grow(void **arr, size_t *cap, size_t n, size_t elem)
{
	size_t ncap;
	void *na;

	if (n < *cap)
		return true;
	ncap = *cap ? 2 * *cap : 64;
	na = realloc(*arr, ncap * elem);
	if (!na)
		return false;
	*arr = na;
	*cap = ncap;
	return true;
}
