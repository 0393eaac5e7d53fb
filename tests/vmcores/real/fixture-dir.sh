#!/bin/sh
# Print the directory of a real-kernel fixture, building it first when the
# cache lacks it: fixture-dir.sh SERIES VARIANT. Exit 77 (automake's SKIP)
# when it cannot be built here, with the reason on the last stderr line.
# The variants live, kdump, faults and lrugen are build-extra.sh's; live runs the
# pinscan under test ($PINSCAN, else $top_builddir/src/pinscan) in the guest.
set -u
# The tests give pinscan a layout cache of each test's own in
# XDG_CACHE_HOME; the fixtures stay in the cache they were built in,
# which PINSCAN_FIXTURE_CACHE then names.
if [ -n "${PINSCAN_FIXTURE_CACHE:-}" ]; then
	XDG_CACHE_HOME=$PINSCAN_FIXTURE_CACHE
	export XDG_CACHE_HOME
fi
here=$(cd "$(dirname "$0")" && pwd)
series=$1 variant=$2
if ! command -v qemu-system-x86_64 >/dev/null 2>&1 &&
   ! apt-cache policy qemu-system-x86 2>/dev/null | grep -q Candidate; then
	echo "no qemu-system-x86_64 and no package to install it from" >&2
	exit 77
fi
# The 2018 DMA-pin RFC ported onto 6.1, built from source: ../rfc/fixture-dir.sh decides.
[ "$series" = rfc ] && exec "$here/../rfc/fixture-dir.sh" "$variant"
# A series (6.1) means the newest Debian kernel of it, and finding that asks
# apt-cache about every version of the series: seconds of CPU, and each of the
# forty real cases asked it twice or more. Resolve it once an hour and hand the
# builders the exact version (same cache directory, no apt-cache calls).
resolve_series() { # series -> exact version, e.g. 6.1 -> 6.1.0-57
	memo=${XDG_CACHE_HOME:-$HOME/.cache}/pinscan/real/series-$1
	if [ -n "$(find "$memo" -mmin -60 2>/dev/null)" ] && [ -s "$memo" ]; then
		cat "$memo"
		return 0
	fi
	dir=$("$here/build-fixture.sh" "$1" --print-dir --variant 4level-kaslr 2>/dev/null) &&
		[ -n "$dir" ] || { echo "$1"; return 0; } # let the builder say why
	exact=$(basename "$(dirname "$dir")")
	exact=${exact%-cloud-amd64}
	mkdir -p "$(dirname "$memo")"
	echo "$exact" > "$memo.$$" && mv "$memo.$$" "$memo"
	echo "$exact"
}
case "$series" in
*[!0-9.]*|*.*.*) ;;	# an exact version already (6.1.0-57, 6.12.118+deb12)
*.*) series=$(resolve_series "$series");;
esac
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
