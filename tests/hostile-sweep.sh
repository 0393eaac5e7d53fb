#!/bin/sh
# Truncations at every structural boundary and a damaged byte in every
# header field of a small ELF, kdump and flattened dump (hostile-sweep.py
# says what must hold for each). Under --enable-sanitizers too.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$(pwd)}
work=$top_builddir/tests/out/hostile-sweep
# Under --enable-sanitizers, as tests/run-case.sh: libkdumpfile's own leak
# (tests/lsan.supp) is not pinscan's, and its stack is only whole without
# the fast unwinder.
LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$top_srcdir/tests/lsan.supp:print_suppressions=0}
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0
export LSAN_OPTIONS ASAN_OPTIONS
mkdir -p "$work" || exit 1
exec /usr/bin/python3 "$top_srcdir/tests/hostile-sweep.py" \
	"$top_builddir/src/pinscan" "$top_builddir/tests/vmcores/mkvmcore" \
	"$top_srcdir" "$work"
