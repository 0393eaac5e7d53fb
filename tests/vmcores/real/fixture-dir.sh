#!/bin/sh
# Print the directory of a real-kernel fixture, building it first when the
# cache lacks it: fixture-dir.sh SERIES VARIANT. Exit 77 (automake's SKIP)
# when it cannot be built here, with the reason on the last stderr line.
# The variants live, kdump, faults and lrugen are build-extra.sh's; live runs the
# pinscan under test ($PINSCAN, else $top_builddir/src/pinscan) in the guest.
set -u
here=$(cd "$(dirname "$0")" && pwd)
series=$1 variant=$2
if ! command -v qemu-system-x86_64 >/dev/null 2>&1 &&
   ! apt-cache policy qemu-system-x86 2>/dev/null | grep -q Candidate; then
	echo "no qemu-system-x86_64 and no package to install it from" >&2
	exit 77
fi
case "$variant" in
live|kdump|faults|lrugen)
	# build-extra.sh exits 77 itself when the kernel or QEMU cannot be had; any
	# other failure is a failure (a broken guest step must not pass as a SKIP).
	pinscan=${PINSCAN:-${top_builddir:-$here/../../..}/src/pinscan}
	out=$("$here/build-extra.sh" "$series" --variant "$variant" --pinscan "$pinscan")
	rc=$?
	[ $rc = 0 ] || exit $rc
	echo "$out" | tail -n 1
	exit 0;;
esac
if ! "$here/build-fixture.sh" "$series" --variant "$variant" >&2; then
	dir=$("$here/build-fixture.sh" "$series" --variant "$variant" --print-dir 2>/dev/null)
	if [ -n "$dir" ] && [ -f "$dir/expected.json" ]; then
		echo "build failed; using the cached fixture in $dir" >&2
	else
		echo "cannot build the $series $variant fixture (no network to Debian's registry?)" >&2
		exit 77
	fi
fi
"$here/build-fixture.sh" "$series" --variant "$variant" --print-dir
