#!/bin/sh
# Print the directory of a real-kernel fixture, building it first when the
# cache lacks it: fixture-dir.sh SERIES VARIANT. Exit 77 (automake's SKIP)
# when it cannot be built here, with the reason on the last stderr line.
set -u
here=$(cd "$(dirname "$0")" && pwd)
series=$1 variant=$2
if ! command -v qemu-system-x86_64 >/dev/null 2>&1 &&
   ! apt-cache policy qemu-system-x86 2>/dev/null | grep -q Candidate; then
	echo "no qemu-system-x86_64 and no package to install it from" >&2
	exit 77
fi
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
