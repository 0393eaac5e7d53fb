#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

bool array_append(void **arr, size_t *nr, size_t *cap, const void *items,
		  size_t n, size_t elem)
{
	if (!n)
		return true;
	/* array_grow doubles once a call: until the last new one fits. */
	while (*nr + n > *cap)
		if (!array_grow(arr, cap, *nr + n - 1, elem))
			return false;
	memcpy((char *)*arr + *nr * elem, items, n * elem);
	*nr += n;
	return true;
}

void fmt_text(char *buf, size_t bufsz, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, bufsz, fmt, ap);
	va_end(ap);
}

void free_ptr(void *ptr)
{
	free(*(void **)ptr);
}
