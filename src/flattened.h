/* makedumpfile's flattened format: a stream of (offset, size, data)
 * records written when the output is a pipe. QEMU 7.2 writes kdump files
 * this way; libkdumpfile 0.5.1 does not read it. */
#ifndef PINSCAN_FLATTENED_H
#define PINSCAN_FLATTENED_H

#include <stdbool.h>

#include "error.h"

/* True when fd starts with the flattened header. */
bool flattened_detect(int fd);

/* Reassemble the records of in_fd into an anonymous temporary file and
 * return its descriptor in *out_fd. */
enum ps_status flattened_reassemble(int in_fd, const char *path, int *out_fd,
				    struct ps_err *err);

#endif
