#!/bin/sh
# Time `pinscan scan` on a large synthetic dump: 16 GiB of simulated RAM,
# 4 M struct pages (256 MiB of mem_map), as ELF and kdump-compressed, each
# with the cross-page audit (the default) and without it (--no-audit).
#   bench/scan-bench.sh [BUILDDIR] [RUNS]
# The variants run interleaved, RUNS rounds, so that a noisy neighbour hits
# them alike; prints the median wall time, struct pages per second, and
# the audit's cost as a ratio. Run it alone: the machine has 2 cores.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top}
runs=${2:-5}
pinscan=$build/src/pinscan
mkvmcore=$build/tests/vmcores/mkvmcore
dir=${PINSCAN_BENCH_DIR:-$build/tests/out/bench}

[ -x "$pinscan" ] && [ -x "$mkvmcore" ] ||
	{ echo "build first: make && make tests/vmcores/mkvmcore" >&2; exit 2; }
if [ ! -f "$dir/vmcore.kdump" ]; then
	mkdir -p "$dir"
	"$mkvmcore" --srcdir "$top/tests/vmcores" --era 6.1 --scenario bench \
		--mem-mib 16384 --kdump --out "$dir" >"$dir/mkvmcore.log" 2>&1
fi

one_run() { # file extra-option
	s=$(date +%s.%N)
	"$pinscan" scan "$dir/$1" -s "$dir/vmlinux" --format json \
		-o "$dir/out.json" $2 || [ $? = 1 ]
	e=$(date +%s.%N)
	echo "$s $e" | awk '{printf "%.3f\n", $2 - $1}'
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

variants="vmcore: vmcore:--no-audit vmcore.kdump: vmcore.kdump:--no-audit"
rm -f "$dir"/times.*
for i in $(seq "$runs"); do
	for v in $variants; do
		one_run "${v%%:*}" "${v#*:}" >> "$dir/times.$(echo "$v" | tr ':-' '__')"
	done
done
pages=$(sed -n 's/.*"pages": \([0-9]*\).*/\1/p' "$dir/out.json" | head -n 1)

echo "pinscan $("$pinscan" version | cut -d' ' -f2), $(nproc) cores, $(date -u +%F), $runs rounds"
for v in $variants; do
	t=$(median < "$dir/times.$(echo "$v" | tr ':-' '__')")
	eval "t_$(echo "$v" | tr ':.-' '___')=$t"
	printf '%-13s %-11s %8s struct pages  median %6.3f s  %6.1f M pages/s\n' \
		"${v%%:*}" "${v#*:}" "$pages" "$t" \
		"$(echo "$pages $t" | awk '{print $1 / $2 / 1e6}')"
done
echo "$t_vmcore_ $t_vmcore___no_audit $t_vmcore_kdump_ $t_vmcore_kdump___no_audit" |
	awk '{printf "audit cost: %.2fx (ELF), %.2fx (kdump)\n", $1 / $2, $3 / $4}'
