#!/bin/sh
# make fuzz: run each libFuzzer harness for SECONDS on its seed corpus
# (SRC/NAME, read only) plus the inputs it found before (OUT/NAME/corpus);
# crashes, leaks and timeouts are saved as OUT/NAME/crash-* etc. One line
# per harness, "PASS: NAME ..." or "FAIL: NAME ...", also kept in
# OUT/summary (.ci/run counts them). Exit 1 when any failed.
#   run.sh SECONDS SRC OUT HARNESS...
# FUZZ_FLAGS adds libFuzzer options, e.g. for a long run that goes on past
# a crash: FUZZ_FLAGS="-fork=1 -ignore_crashes=1 -ignore_timeouts=1".
set -u
seconds=$1 src=$2 out=$3
shift 3
mkdir -p "$out" || exit 2
# Leaks inside libkdumpfile that pinscan cannot free (tests/fuzz/lsan.supp).
LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$src/lsan.supp:print_suppressions=0}
export LSAN_OPTIONS
: > "$out/summary"
status=0
for h in "$@"; do
	name=$(basename "$h" | sed 's/^fuzz-//')
	dir=$out/$name
	mkdir -p "$dir/corpus"
	log=$dir/fuzz.log
	# -timeout: an input slower than this is a hang (the scan harness's
	# clean dump takes well under a second under ASan);
	# -rss_limit_mb: memory pinscan must not need for a 200 KB input.
	# Leaks are found at exit of each input (LSan, -detect_leaks=1).
	# shellcheck disable=SC2086
	"$h" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$dir/" ${FUZZ_FLAGS:-} \
		"$dir/corpus" "$src/$name" > "$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	# -fork prints no final stats: its last "#N:" line counts them.
	[ -n "$execs" ] ||
		execs=$(sed -n 's/^#\([0-9][0-9]*\)[: ].*/\1/p' "$log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | sed 's/cov: //')
	ft=$(grep -o 'ft: [0-9]*' "$log" | tail -n 1 | sed 's/ft: //')
	if [ $rc = 0 ]; then
		line="PASS: $name ${execs:-0} executions in ${seconds}s, cov ${cov:-?}, ft ${ft:-?}"
	else
		status=1
		found=$(ls "$dir" | grep -E '^(crash|leak|timeout|oom|slow-unit)-' | head -n 3 | tr '\n' ' ')
		line="FAIL: $name exit $rc after ${execs:-?} executions: ${found:-see $log}"
		grep -m 1 -E 'ERROR: |runtime error|SUMMARY' "$log" | sed 's/^/    /'
	fi
	echo "$line"
	echo "$line" >> "$out/summary"
done
exit $status
