#!/bin/sh
# pinscan tui on a real Debian 6.1 kernel's ELF dump (io_uring fixed
# buffers pinned: small pages by refcount bias, THPs by compound_pincount):
# jump to a pinned pfn and see how it is pinned, open its detail, follow
# its LRU link, go from a tail to its pinned head, filter to pinned pages
# and findings, read the help, resize, quit; and Ctrl-C leaves a sane
# terminal. In colour.
. "$(dirname "$0")/lib.sh"
dir=$(real_fixture 6.1 4level-nokaslr) || exit $?
# The pinned head's detail names the workload and its io_uring (owners.c).
OWNER_COMM=workload
tui_checks "$dir" "$dir/vmcore"
echo "PASS"
