#!/bin/sh
# Time `pinscan scan` on a large synthetic dump: 16 GiB of simulated RAM,
# 4 M struct pages (256 MiB of mem_map), as ELF and kdump-compressed (zlib),
# for each thread count (-j), with the cross-page audit (the default), and
# on one thread without it (--no-audit).
#   bench/scan-bench.sh [BUILDDIR] [RUNS] [JOBS...]     (JOBS: default 1 2)
# The variants run interleaved, RUNS rounds, so that a noisy neighbour hits
# them alike; prints the median wall time of whole runs and struct pages
# per second, then the marginal rate: the same dump made with 1 GiB of RAM
# (256 Ki struct pages) is timed too, and (pages - small pages) / (time -
# small time) is the scan's own rate without start-up and report. Run it
# alone (flock /tmp/bench.lock): the machine has 2 cores.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top}
runs=${2:-5}
[ $# -gt 2 ] && shift 2 || set --
jobs=${*:-1 2}
pinscan=$build/src/pinscan
mkvmcore=$build/tests/vmcores/mkvmcore
dir=${PINSCAN_BENCH_DIR:-$build/tests/out/bench}

[ -x "$pinscan" ] && [ -x "$mkvmcore" ] ||
	{ echo "build first: make && make tests/vmcores/mkvmcore" >&2; exit 2; }
make_dump() { # dir mem-mib
	[ -f "$1/vmcore.kdump" ] && return
	mkdir -p "$1"
	"$mkvmcore" --srcdir "$top/tests/vmcores" --era 6.1 --scenario bench \
		--mem-mib "$2" --kdump --out "$1" >"$1/mkvmcore.log" 2>&1
}
make_dump "$dir" 16384
make_dump "$dir/small" 1024

one_run() { # dumpdir file options...
	d=$1 f=$2
	shift 2
	s=$(date +%s.%N)
	"$pinscan" scan "$d/$f" -s "$d/vmlinux" --format json \
		-o "$d/out.json" "$@" || [ $? = 1 ]
	e=$(date +%s.%N)
	echo "$s $e" | awk '{printf "%.4f\n", $2 - $1}'
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
key() { echo "$*" | tr ' :.-' '____'; }

variants=""
for f in vmcore vmcore.kdump; do
	for j in $jobs; do variants="$variants $f:-j:$j"; done
	variants="$variants $f:--no-audit:-j:1"
done
rm -f "$dir"/times.*
for i in $(seq "$runs"); do
	for v in $variants; do
		f=${v%%:*} opts=$(echo "${v#*:}" | tr ':' ' ')
		# shellcheck disable=SC2086
		one_run "$dir" "$f" $opts >> "$dir/times.$(key "$v")"
		# shellcheck disable=SC2086
		one_run "$dir/small" "$f" $opts >> "$dir/times.small.$(key "$v")"
	done
done
pages() { sed -n 's/.*"pages": \([0-9]*\).*/\1/p' "$1/out.json" | head -n 1; }
big=$(pages "$dir") small=$(pages "$dir/small")

echo "pinscan $("$pinscan" version | cut -d' ' -f2), $(nproc) cores, $(date -u +%F), $runs rounds, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-13s %-18s %10s %8s %10s %12s\n' dump options "struct pages" median "M pages/s" "marginal M/s"
for v in $variants; do
	t=$(median < "$dir/times.$(key "$v")")
	ts=$(median < "$dir/times.small.$(key "$v")")
	printf '%-13s %-18s %10s %8.3f %10.1f %12.1f\n' "${v%%:*}" \
		"$(echo "${v#*:}" | tr ':' ' ')" "$big" "$t" \
		"$(echo "$big $t" | awk '{print $1 / $2 / 1e6}')" \
		"$(echo "$big $small $t $ts" | awk '{print ($1 - $2) / ($3 - $4) / 1e6}')"
done
