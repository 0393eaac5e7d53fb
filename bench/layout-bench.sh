#!/bin/sh
# Time where a scan's layout comes from, on the real Debian fixtures:
#   cold DWARF       pinscan layout -s VMLINUX --no-cache (the anchor units)
#   full DWARF walk  the same with PINSCAN_DWARF_FULL_WALK=1 (every unit, as before)
#   from the cache   pinscan layout -s VMLINUX with the layout cached (whole run:
#                    exec, ELF open, build-id, the entry read and checked)
#   scan, cached     pinscan scan DUMP (no -s: the dump's BUILD-ID finds the entry),
#                    the whole run on the 1 GiB ELF dump
#   scan, cold       pinscan scan DUMP -s VMLINUX --no-cache
# Usage: bench/layout-bench.sh [BUILDDIR] [RUNS] [KERNEL...]
# KERNEL: a directory under ~/.cache/pinscan/real (default: the 6.1 and 6.12 ones).
# Variants run interleaved, RUNS rounds; medians in seconds. Takes /tmp/bench.lock.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top}
runs=${2:-11}
[ $# -ge 2 ] && shift 2 || shift $#
pinscan=$build/src/pinscan
real=${PINSCAN_FIXTURE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}}/pinscan/real
[ $# -gt 0 ] || set -- 6.1.0-57-cloud-amd64 6.12.118+deb12-cloud-amd64
[ -x "$pinscan" ] || { echo "build first: $pinscan" >&2; exit 2; }

exec 9>/tmp/bench.lock
flock 9

cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT
export XDG_CACHE_HOME=$cache

now() { date +%s.%N; }
timed() { # command...: prints the wall time
	s=$(now)
	"$@" >/dev/null 2>&1 || [ $? = 1 ]
	e=$(now)
	echo "$s $e" | awk '{printf "%.4f\n", $2 - $1}'
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

printf '%-28s %-16s %s\n' kernel variant "median of $runs (s)"
for k in "$@"; do
	d=$real/$k/4level-kaslr
	[ -f "$d/vmcore" ] || { echo "$d: no fixture" >&2; continue; }
	"$pinscan" layout -s "$d/vmlinux" -o /dev/null	# fills the cache
	rm -f "$cache"/times.*
	for i in $(seq "$runs"); do
		timed "$pinscan" layout -s "$d/vmlinux" --no-cache -o /dev/null >> "$cache/times.cold"
		PINSCAN_DWARF_FULL_WALK=1 timed "$pinscan" layout -s "$d/vmlinux" \
			--no-cache -o /dev/null >> "$cache/times.full"
		timed "$pinscan" layout -s "$d/vmlinux" -o /dev/null >> "$cache/times.cached"
		timed "$pinscan" scan "$d/vmcore" --format json -o /dev/null \
			>> "$cache/times.scan-cached"
		timed "$pinscan" scan "$d/vmcore" -s "$d/vmlinux" --no-cache \
			--format json -o /dev/null >> "$cache/times.scan-cold"
	done
	for v in cold full cached scan-cached scan-cold; do
		printf '%-28s %-16s %s\n' "$k" "$v" "$(median < "$cache/times.$v")"
	done
done
