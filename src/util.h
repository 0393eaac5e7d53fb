/* Small helpers every stage uses. */
#ifndef PINSCAN_UTIL_H
#define PINSCAN_UTIL_H

#include <stdbool.h>
#include <stddef.h>

/* Make room for element n of a growing array (doubling); false when out
 * of memory, the array unchanged. */
bool array_grow(void **arr, size_t *cap, size_t n, size_t elem);

/* Append n elements to a growing array of *nr (array_grow's doubling);
 * false when out of memory, its elements unchanged. */
bool array_append(void **arr, size_t *nr, size_t *cap, const void *items,
		  size_t n, size_t elem);

/* free(*ptr): for AUTOFREE, below. */
void free_ptr(void *ptr);

/* A heap buffer freed on every way out of its scope, as drgn's
 * _cleanup_free_: char *buf AUTOFREE = NULL; error paths then return
 * without freeing by hand. */
#define AUTOFREE __attribute__((cleanup(free_ptr)))

/* snprintf for a message or a screen line where cutting a long text
 * short is the intent (so gcc's -Wformat-truncation has nothing to say). */
void fmt_text(char *buf, size_t bufsz, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
