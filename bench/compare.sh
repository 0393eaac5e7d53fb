#!/bin/sh
# pinscan side by side with crash (`kmem -p`) and the same pin-finding job
# as a drgn script (bench/drgn-pins.py), on the same real Debian dumps from
# the test fixtures: whole runs, start-up included, each tool as a user
# runs it (one command, the dump and its vmlinux).
#   bench/compare.sh [BUILDDIR] [RUNS] [DUMP...]
# DUMP is a fixture file: RELEASE/VARIANT/FILE under ~/.cache/pinscan/real
# (default: the 6.1 and 6.12 4level-kaslr ELF and kdump-zlib dumps).
# The tools run interleaved, RUNS rounds (default 3), so that a noisy
# neighbour hits them alike; printed: the median wall time and CPU time
# (user + sys) of each, the largest RSS, the ratios to pinscan, and then
# pinscan's own figures: struct pages/s per format and thread count and
# the layout's cost (DWARF, cached).  Run it alone, under
# `flock /tmp/bench.lock`: the machine has 2 cores.  The load average is
# printed before and after: ratios are comparable within one run only.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top}
runs=${2:-3}
[ $# -ge 2 ] && shift 2 || shift $#
real=${PINSCAN_REAL_DIR:-$HOME/.cache/pinscan/real}
pinscan=$build/src/pinscan
work=${PINSCAN_BENCH_DIR:-$build/tests/out/compare}
TIME=/usr/bin/time
PY=/usr/bin/python3

[ -x "$pinscan" ] || { echo "build first: make" >&2; exit 2; }
[ -x "$TIME" ] || { echo "needs GNU time (/usr/bin/time): apt-get install time" >&2; exit 2; }
have_crash=1
command -v crash >/dev/null 2>&1 || {
	have_crash=0
	echo "crash is not installed: its column is left out (apt-get install crash)" >&2
}
have_drgn=1
$PY -c 'import drgn' 2>/dev/null || {
	have_drgn=0
	echo "drgn is not installed: its column is left out (apt-get install python3-drgn)" >&2
}
if [ $# = 0 ]; then
	set -- 6.1.0-57-cloud-amd64/4level-kaslr/vmcore \
		6.1.0-57-cloud-amd64/4level-kaslr/vmcore.kdump \
		6.12.118+deb12-cloud-amd64/4level-kaslr/vmcore \
		6.12.118+deb12-cloud-amd64/4level-kaslr/vmcore.kdump
fi
mkdir -p "$work"
# A layout cache of its own: another pinscan build (other layout keys)
# sharing ~/.cache would make this one's entries stale between runs.
XDG_CACHE_HOME=$work/xdg-cache
export XDG_CACHE_HOME

# What this pinscan can do: -j N (parallel scan), a layout cache
# (--no-cache), both landing with issue 10.
help=$("$pinscan" scan --help 2>&1 || true)
threads=1
case $help in *"-j "*|*"--jobs"*) threads="1 2";; esac
has_cache=0
case $help in *--no-cache*) has_cache=1;; esac

# run NAME CMD...: one timed whole run; appends "wall cpu rss_kb" to
# $work/t.NAME; the command's output goes to $work/out.NAME.
run() {
	name=$1
	shift
	rc=0
	"$TIME" -f '%e %U %S %M' -o "$work/time" "$@" >"$work/out.$name" 2>&1 || rc=$?
	# pinscan exits 1 when it has findings, crash when its input ends
	[ "$rc:$name" = 1:crash ] && grep -q PHYSICAL "$work/out.crash" && rc=0
	case $rc:$name in 0:*|1:pinscan*|1:scan-*) ;; *:crash|*:drgn)
		# a peer that cannot read this dump: said so in its row
		echo "exit $rc: $(grep -v '^[[:space:]]*$' "$work/out.$name" | tail -n 1)" >"$work/f.$name"
		return 0;;
	*)
		echo "$name failed (exit $rc):" >&2
		tail -n 5 "$work/out.$name" >&2
		exit 1;;
	esac
	tail -n 1 "$work/time" | awk '{printf "%.3f %.3f %d\n", $1, $2 + $3, $4}' >>"$work/t.$name"
}

median() { # column file
	awk -v c="$1" '{print $c}' "$2" | sort -n |
		awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
maxcol() { awk -v c="$1" '$c > m {m = $c} END {print m}' "$2"; }

echo "compare: $(date -u '+%F %H:%M') UTC, $(nproc) cores, $runs rounds," \
	"load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "pinscan $("$pinscan" version | cut -d' ' -f2), $(crash --version 2>/dev/null | grep -m 1 '^crash' || echo 'no crash')," \
	"drgn $($PY -c 'import drgn; print(drgn.__version__)' 2>/dev/null || echo none)"

for rel in "$@"; do
	dump=$real/$rel
	vmlinux=$(dirname "$dump")/vmlinux
	[ -r "$dump" ] && [ -r "$vmlinux" ] ||
		{ echo "no fixture $dump (make check builds them)" >&2; exit 2; }
	rm -f "$work"/t.* "$work"/f.* "$work/layout"
	"$pinscan" layout -s "$vmlinux" -o "$work/layout"
	# pinscan: as run the first time (layout from DWARF) and the next
	# times (the cached layout; --layout FILE where there is no cache).
	if [ "$has_cache" = 1 ]; then
		cold="--no-cache"
		"$pinscan" scan "$dump" -s "$vmlinux" -o /dev/null || [ $? = 1 ]
		cached=""
	else
		cold=""
		cached="--layout $work/layout"
	fi
	for i in $(seq "$runs"); do
		# shellcheck disable=SC2086
		run pinscan-dwarf "$pinscan" scan "$dump" -s "$vmlinux" $cold -o /dev/null
		# shellcheck disable=SC2086
		if [ -n "$cached" ]; then
			run pinscan "$pinscan" scan "$dump" $cached -o /dev/null
		else
			run pinscan "$pinscan" scan "$dump" -s "$vmlinux" -o /dev/null
		fi
		if [ "$have_crash" = 1 ]; then
			run crash sh -c 'echo "kmem -p" | crash -s "$1" "$2"' crash "$vmlinux" "$dump"
		fi
		if [ "$have_drgn" = 1 ]; then
			run drgn env DRGN_USE_LIBKDUMPFILE_FOR_ELF=1 $PY "$top/bench/drgn-pins.py" "$vmlinux" "$dump"
		fi
	done
	for j in $threads; do
		jopt=""
		[ "$threads" = 1 ] || jopt="-j $j"
		for i in $(seq "$runs"); do
			# shellcheck disable=SC2086
			run "scan-j$j" "$pinscan" scan "$dump" --layout "$work/layout" $jopt \
				--format json -o "$work/report.json"
		done
	done
	for i in $(seq "$runs"); do
		# shellcheck disable=SC2086
		run layout-dwarf "$pinscan" layout -s "$vmlinux" $cold -o "$work/layout.new"
	done
	pages=$($PY -c 'import json, sys; print(json.load(open(sys.argv[1]))["summary"]["pages"])' \
		"$work/report.json")
	echo
	echo "$rel ($pages struct pages, $(du -h --apparent-size "$dump" | cut -f1) file)"
	p=$(median 1 "$work/t.pinscan")
	pc=$(median 2 "$work/t.pinscan")
	for t in pinscan pinscan-dwarf crash drgn; do
		if [ -f "$work/f.$t" ]; then
			printf '  %-28s failed: %s\n' "$t" "$(cut -c1-100 "$work/f.$t")"
			continue
		fi
		[ -f "$work/t.$t" ] || continue
		w=$(median 1 "$work/t.$t")
		c=$(median 2 "$work/t.$t")
		label=$t
		[ "$t" = pinscan ] && label="pinscan (cached layout)"
		[ "$t" = pinscan-dwarf ] && label="pinscan (layout from DWARF)"
		printf '  %-28s wall %7.3f s  cpu %7.3f s  rss %4d MB   %6.1fx wall %6.1fx cpu\n' \
			"$label" "$w" "$c" "$(($(maxcol 3 "$work/t.$t") / 1024))" \
			"$(echo "$w $p" | awk '{print $1 / $2}')" \
			"$(echo "$c $pc" | awk '{print $1 / $2}')"
	done
	for j in $threads; do
		w=$(median 1 "$work/t.scan-j$j")
		printf '  pinscan scan -j %s (json)     wall %7.3f s  %6.1f M struct pages/s (whole run)\n' \
			"$j" "$w" "$(echo "$pages $w" | awk '{print $1 / $2 / 1e6}')"
	done
	printf '  layout from DWARF (pinscan layout -s): %.3f s; cached: %.3f s less per scan\n' \
		"$(median 1 "$work/t.layout-dwarf")" \
		"$(echo "$(median 1 "$work/t.pinscan-dwarf") $p" | awk '{print $1 - $2}')"
done
echo
echo "(ratios: the tool's median over pinscan's, cached layout; load average now" \
	"$(cut -d' ' -f1-3 /proc/loadavg))"
