#!/bin/sh
# How quickly `pinscan tui` answers on a large synthetic dump: 16 GiB of
# simulated RAM, 4 M struct pages. In a tmux pane (100x30), for RUNS runs:
#   first screen   start of the command -> the header is on screen
#   full scan      start -> the header shows the background scan's totals
#   PgDn x N       N PgDn keys sent at once, while the scan still runs and
#                  again after it -> the cursor's row shows on screen
#   jump to end    g + the last pfn -> its row on screen
# Prints the median of each. Not a test: nothing is asserted.
#   bench/tui-bench.sh [BUILDDIR] [RUNS] [N]
# Run it alone: the machine is shared and has 2 cores.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top}
runs=${2:-5}
npgdn=${3:-20}
pinscan=$build/src/pinscan
mkvmcore=$build/tests/vmcores/mkvmcore
dir=${PINSCAN_TUI_BENCH_DIR:-$build/tests/out/bench-tui}
sock=pinscan-tui-bench-$$
rows=30
page=$((rows - 5))	# table rows on a 30-line screen

[ -x "$pinscan" ] && [ -x "$mkvmcore" ] ||
	{ echo "build first: make && make tests/vmcores/mkvmcore" >&2; exit 2; }
command -v tmux >/dev/null || { echo "tmux is needed" >&2; exit 2; }
if [ ! -f "$dir/expected.json" ]; then
	mkdir -p "$dir"
	"$mkvmcore" --srcdir "$top/tests/vmcores" --era 6.1 --scenario bench \
		--mem-mib 16384 --out "$dir" \
		$(command -v makedumpfile >/dev/null && echo --kdump) \
		>"$dir/mkvmcore.log" 2>&1
fi
pages=$(sed -n 's/.*"pages": *\([0-9]*\).*/\1/p' "$dir/expected.json" | head -n 1)

T() { tmux -L "$sock" -f /dev/null "$@"; }
trap 'T kill-server >/dev/null 2>&1; rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$sock"' EXIT
now() { date +%s.%N; }
since() { echo "$1 $(now)" | awk '{printf "%.3f\n", $2 - $1}'; }
# Poll the screen every 10 ms until it matches; at most 60 s.
until_screen() {
	i=0
	while ! T capture-pane -p -t b | grep -Eq -- "$1"; do
		i=$((i + 1))
		[ $i -lt 6000 ] || { echo "timeout waiting for /$1/" >&2; exit 1; }
		sleep 0.01
	done
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

T new-session -d -x 100 -y $rows -s b "env -i PATH='$PATH' TERM=screen PS1='bench$ ' sh"
until_screen 'bench\$'
keys() { T send-keys -t b "$@"; }

# One file, RUNS times; prints its medians.
bench_file() {
	f=$1
	: >"$dir/first"; : >"$dir/scan"; : >"$dir/pgdn-scan"; : >"$dir/pgdn"; : >"$dir/end"
	for r in $(seq "$runs"); do
		keys "clear" Enter
		sleep 0.2
		t0=$(now)
		keys "$pinscan tui $dir/$f -s $dir/vmlinux; clear" Enter
		until_screen '^ pinscan \| kernel'
		since "$t0" >>"$dir/first"
		# Straight away, while the scan runs: N PgDn at once.
		t1=$(now)
		keys -N "$npgdn" NPage
		until_screen "row $((1 + npgdn * page)) of"
		since "$t1" >>"$dir/pgdn-scan"
		# "pages N," only once the scan is done (else "so far" or "N+").
		until_screen "pages $pages,"
		since "$t0" >>"$dir/scan"
		keys Home
		until_screen 'row 1 of'
		t1=$(now)
		keys -N "$npgdn" NPage
		until_screen "row $((1 + npgdn * page)) of"
		since "$t1" >>"$dir/pgdn"
		t1=$(now)
		keys g
		T send-keys -t b -l "$last"
		keys Enter
		until_screen "^$last "
		since "$t1" >>"$dir/end"
		keys q
		until_screen 'bench\$'
	done
	echo "$f:"
	printf '  first screen       %6.3f s\n' "$(median <"$dir/first")"
	printf '  full scan          %6.3f s (in the background)\n' "$(median <"$dir/scan")"
	printf '  %3d x PgDn         %6.3f s while the scan runs\n' "$npgdn" "$(median <"$dir/pgdn-scan")"
	printf '  %3d x PgDn         %6.3f s after it\n' "$npgdn" "$(median <"$dir/pgdn")"
	printf '  jump to %-10s %6.3f s\n' "$last" "$(median <"$dir/end")"
}

last=$(printf '%#x' $((pages - 1)))
echo "pinscan $("$pinscan" version | cut -d' ' -f2), $(nproc) cores, $(date -u +%F), $pages struct pages, medians of $runs runs"
bench_file vmcore
[ ! -f "$dir/vmcore.kdump" ] || bench_file vmcore.kdump
