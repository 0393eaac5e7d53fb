#!/bin/sh
# pinscan on a synthetic 1 TiB host: 8192 sections, 268 M struct pages
# (16 GiB of mem_map), pins, THPs, slab/buddy pages and LRU lists in every
# section up to the last (mkvmcore --stream, tests/vmcores/README.md
# "Scale").  As a sparse ELF (page cache warm: a first run warms it) and
# kdump-compressed (zlib), -j 1 and -j 2 where pinscan has -j; every
# report is checked against the generator's expected.json.
#   bench/terabyte.sh [BUILDDIR] [RUNS]
# Goals (issue 10): ELF < 10 s, kdump-zlib < 30 s, peak RSS <= 150 MB.
# The dump goes to $PINSCAN_TB_DIR (default /tmp/pinscan-terabyte): 16 GiB
# on disk and in the page cache for the ELF runs; it is kept for the next
# run and rebuilt when mkvmcore changes.  Run it alone, under
# `flock /tmp/bench.lock`: the machine has 2 cores.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top}
runs=${2:-3}
pinscan=$build/src/pinscan
mkvmcore=${MKVMCORE:-$build/tests/vmcores/mkvmcore}
dir=${PINSCAN_TB_DIR:-/tmp/pinscan-terabyte}
mib=${PINSCAN_TB_MIB:-1048576}
TIME=/usr/bin/time

[ -x "$pinscan" ] && [ -x "$mkvmcore" ] ||
	{ echo "build first: make && make tests/vmcores/mkvmcore" >&2; exit 2; }
[ -x "$TIME" ] || { echo "needs GNU time (/usr/bin/time): apt-get install time" >&2; exit 2; }

stamp="$(cksum < "$mkvmcore") $mib"
if [ "$(cat "$dir/stamp" 2>/dev/null)" != "$stamp" ]; then
	# mem_map is 1/64 of RAM; the kdump file and slack: 1/1024 more.
	need_kb=$((mib * 1024 / 64 + mib + 1048576))
	mkdir -p "$dir"
	rm -f "$dir"/vmcore "$dir"/vmcore.kdump "$dir"/stamp
	free_kb=$(df -Pk "$dir" | awk 'NR == 2 {print $4}')
	[ "$free_kb" -ge "$need_kb" ] || {
		echo "$dir: $((free_kb / 1048576)) GiB free, the dump needs" \
			"$((need_kb / 1048576)) GiB (set PINSCAN_TB_DIR)" >&2
		exit 2
	}
	echo "generating a $((mib / 1024)) GiB host in $dir ..."
	"$TIME" -f 'generated in %e s (%U s user, %S s sys), peak RSS %M KB' \
		"$mkvmcore" --srcdir "$top/tests/vmcores" --era 6.1 --scenario bench \
		--mem-mib "$mib" --stream --kdump --out "$dir" >"$dir/mkvmcore.log" 2>&1 ||
		{ tail -n 5 "$dir/mkvmcore.log" >&2; exit 1; }
	tail -n 2 "$dir/mkvmcore.log"
	echo "$stamp" > "$dir/stamp"
fi
"$pinscan" layout -s "$dir/vmlinux" -o "$dir/layout"

threads=1
case $("$pinscan" scan --help 2>&1) in *"-j "*|*"--jobs"*) threads="1 2";; esac

# one_run FILE J: prints "wall rss_kb cpu"
one_run() {
	jopt=""
	[ "$threads" = 1 ] || jopt="-j $2"
	rc=0
	# shellcheck disable=SC2086
	"$TIME" -f '%e %M %U %S' -o "$dir/time" "$pinscan" scan "$dir/$1" --layout "$dir/layout" \
		$jopt --format json -o "$dir/report.json" 2>"$dir/stderr" || rc=$?
	[ "$rc" -le 1 ] || { cat "$dir/stderr" >&2; exit 1; }
	tail -n 1 "$dir/time" | awk '{print $1, $2, $3 + $4}'
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "pinscan $("$pinscan" version | cut -d' ' -f2), $(nproc) cores, $(date -u '+%F %H:%M') UTC," \
	"$runs runs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for f in vmcore vmcore.kdump; do
	# The ELF is read through the page cache: a first run warms it.
	[ "$f" = vmcore ] && one_run "$f" "${threads##* }" >/dev/null
	for j in $threads; do
		rm -f "$dir/t"
		for i in $(seq "$runs"); do
			one_run "$f" "$j" >>"$dir/t"
			# every report is the exact answer, whatever the thread count
			/usr/bin/python3 "$top/tests/compare.py" "$dir/report.json" \
				"$dir/expected.json" >"$dir/compare.log" ||
				{ cat "$dir/compare.log" >&2; exit 1; }
		done
		pages=$(/usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["summary"]["pages"])' \
			"$dir/report.json")
		w=$(cut -d' ' -f1 "$dir/t" | median)
		c=$(cut -d' ' -f3 "$dir/t" | median)
		rss=$(cut -d' ' -f2 "$dir/t" | sort -n | tail -n 1)
		printf '%-13s -j %s  %d struct pages  median %7.2f s (cpu %7.2f s)  %6.1f M pages/s  peak RSS %4d MB\n' \
			"$f" "$j" "$pages" "$w" "$c" "$(echo "$pages $w" | awk '{print $1 / $2 / 1e6}')" \
			"$((rss / 1024))"
	done
done
echo "(every report checked against expected.json: $(cat "$dir/compare.log"))"
echo "(goals: ELF < 10 s, kdump-zlib < 30 s, RSS <= 150 MB; load average now" \
	"$(cut -d' ' -f1-3 /proc/loadavg))"
