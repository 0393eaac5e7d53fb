#!/bin/sh
# Time `pinscan scan` on a large synthetic dump: 16 GiB of simulated RAM,
# 4 M struct pages (256 MiB of mem_map), ELF and kdump-compressed.
#   bench/scan-bench.sh [BUILDDIR] [RUNS]
# Prints the median wall time of RUNS runs and struct pages per second.
# Run it alone: the machine is shared and has 2 cores.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top}
runs=${2:-5}
pinscan=$build/src/pinscan
mkvmcore=$build/tests/vmcores/mkvmcore
dir=${PINSCAN_BENCH_DIR:-$build/tests/out/bench}

[ -x "$pinscan" ] && [ -x "$mkvmcore" ] ||
	{ echo "build first: make && make tests/vmcores/mkvmcore" >&2; exit 2; }
if [ ! -f "$dir/expected.json" ]; then
	mkdir -p "$dir"
	"$mkvmcore" --srcdir "$top/tests/vmcores" --era 6.1 --scenario bench \
		--mem-mib 16384 --kdump --out "$dir" >"$dir/mkvmcore.log" 2>&1
fi

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

bench_one() { # file
	pages=""
	for i in $(seq "$runs"); do
		s=$(date +%s.%N)
		"$pinscan" scan "$dir/$1" -s "$dir/vmlinux" --format json -o "$dir/out.json" || [ $? = 1 ]
		e=$(date +%s.%N)
		echo "$s $e" | awk '{printf "%.3f\n", $2 - $1}'
	done | median > "$dir/median"
	pages=$(sed -n 's/.*"pages": \([0-9]*\).*/\1/p' "$dir/out.json" | head -n 1)
	t=$(cat "$dir/median")
	printf '%-14s %9s struct pages  median %6.3f s over %s runs  %6.1f M pages/s\n' \
		"$1" "$pages" "$t" "$runs" "$(echo "$pages $t" | awk '{print $1 / $2 / 1e6}')"
}

echo "pinscan $("$pinscan" version | cut -d' ' -f2), $(nproc) cores, $(date -u +%F)"
bench_one vmcore
bench_one vmcore.kdump
