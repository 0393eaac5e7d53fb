#!/bin/sh
# Run one test case described by a .test file (KEY=value lines, sourced):
#   ERA=6.1 MKOPTS="--kaslr" FILE=vmcore.kdump   a synthetic dump made by
#       mkvmcore, scanned and compared with its expected.json;
#   REAL=6.1 VARIANT=4level-nokaslr FILE=vmcore  a real Debian kernel dump
#       from tests/vmcores/real (built or reused from the cache);
# plus SCANOPTS (extra pinscan options), COMPARE (extra compare.py
# options), NO_VMLINUX=1, VMLINUX_ERA (use another era's vmlinux),
# EXPECT_EXIT (default: 0, or 1 when expected.json lists findings),
# EXPECT_STDERR (a grep -E pattern), SCHEMA=1 (validate the JSON),
# MANGLE (a shell command run on a copy of the dump, "$DUMP" names it),
# CHECK_PY (a Python expression over the report r that must hold) and
# NO_COMPARE=1 (skip the comparison with expected.json), PREPARE (a shell
# command run before the scan; $work is the case's scratch directory,
# $XDG_CACHE_HOME its layout cache, empty when the case starts),
# JOBS (the scan, made with pinscan's default -j, is made again with each
# -j listed and must give the same report, byte for byte; "" for none;
# default "1 3" for synthetic dumps, and for the slower real ones "1", or
# "2" where the default is one thread already), MAX_RSS_MB (the first
# scan's peak RSS must stay below it: a generous bound on memory that must
# not grow with the dump, measured with GNU time; never a timing),
# OWNERS=1 (REAL: every pinned entry names the workload's pid, comm, user
# address and io_uring fd, checked by tests/vmcores/real/check-owners.py
# against the truth and drgn),
# PIN_ACCOUNTING (REAL cases: "drgn", the default without MANGLE, checks
# summary.pin_accounting against drgn's reading of the kernel's counters
# and, on a FOLL_PIN kernel, decoded == outstanding; "counters" checks the
# counters only, for a dump whose struct pages were damaged on purpose;
# "no" skips it).
# PINSCAN_SKIP_REAL=1 in the environment skips the REAL cases.
set -u
case_file=$1
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$(pwd)}
PINSCAN=${PINSCAN:-$top_builddir/src/pinscan}
MKVMCORE=${MKVMCORE:-$top_builddir/tests/vmcores/mkvmcore}
PY=/usr/bin/python3
# Under --enable-sanitizers: leaks inside libkdumpfile are not pinscan's
# (their stacks are only whole without the fast unwinder).
LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$top_srcdir/tests/lsan.supp:print_suppressions=0}
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0
export LSAN_OPTIONS ASAN_OPTIONS
OUT=$top_builddir/tests/out

ERA="" REAL="" VARIANT="" MKOPTS="" FILE=vmcore SCANOPTS="" COMPARE=""
NO_VMLINUX=0 VMLINUX_ERA="" EXPECT_EXIT="" EXPECT_STDERR="" SCHEMA=0 MANGLE=""
CHECK_PY="" NO_COMPARE=0 PREPARE="" JOBS=unset MAX_RSS_MB="" OWNERS=0 PIN_ACCOUNTING=""
name=$(basename "$case_file" .test)
work=$OUT/run/$name
rm -rf "$work" && mkdir -p "$work"
# The case's own layout cache, empty at its start: a case never reads a
# layout that another case, or the user, saved. The real-kernel fixtures
# stay where they are cached (tests/vmcores/real/fixture-dir.sh).
PINSCAN_FIXTURE_CACHE=${PINSCAN_FIXTURE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}}
XDG_CACHE_HOME=$work/xdg-cache
export PINSCAN_FIXTURE_CACHE XDG_CACHE_HOME
. "$case_file"

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

# A synthetic fixture directory for an era and mkvmcore options; made once
# per distinct combination and shared by the cases that use it, which may
# run at the same time (make -j). The first case to need it builds it,
# under a lock so that the others wait instead of building it again, in a
# directory of its own that is renamed into place when complete: a case
# never sees half a fixture, nor one rewritten under its feet.
fixture_fresh() { # dir stamp
	[ -f "$1/expected.json" ] && [ "$(cat "$1/stamp" 2>/dev/null)" = "$2" ]
}
synth_dir() {
	key=$(echo "$1 $2" | tr ' -' '_.')
	dir=$OUT/fixtures/$key
	# A fixture is as new as the generator that wrote it and the era
	# sources it compiled into the synthetic vmlinux.
	stamp=$(cat "$MKVMCORE" "$top_srcdir"/tests/vmcores/eras/* \
		"$top_srcdir"/tests/vmcores/vmlinux.lds | cksum)
	if ! fixture_fresh "$dir" "$stamp"; then
		mkdir -p "$OUT/fixtures" || fail "cannot create $OUT/fixtures"
		exec 9>"$dir.lock"
		command -v flock >/dev/null 2>&1 && flock 9
		fixture_fresh "$dir" "$stamp" || synth_build "$1" "$2" "$dir" "$stamp"
		exec 9>&-
	fi
	echo "$dir"
}
synth_build() { # era mkopts dir stamp
	tmp=$(mktemp -d "$3.new.XXXXXX") || fail "cannot create a directory beside $3"
	# shellcheck disable=SC2086
	# The generator is a one-shot tool that leaves freeing to exit;
	# leak reports are for pinscan, not for it.
	ASAN_OPTIONS=detect_leaks=0 "$MKVMCORE" --srcdir "$top_srcdir/tests/vmcores" --era "$1" \
		--out "$tmp" $2 >"$tmp/mkvmcore.log" 2>&1 ||
		{ cat "$tmp/mkvmcore.log"; rm -rf "$tmp"; fail "mkvmcore --era $1 $2 failed"; }
	echo "$4" > "$tmp/stamp"
	# A stale fixture is renamed away first (a case still reading it keeps
	# its files), since a directory cannot be renamed onto a full one.
	if [ -e "$3" ]; then
		old=$(mktemp -d "$3.old.XXXXXX") && mv "$3" "$old/" && rm -rf "$old"
	fi
	mv -T "$tmp" "$3" 2>/dev/null || {
		# Without flock another case may have been first: keep its copy.
		rm -rf "$tmp"
		fixture_fresh "$3" "$4" || fail "cannot put the fixture in place at $3"
	}
}

if [ -n "$ERA" ]; then
	[ -x "$MKVMCORE" ] || fail "$MKVMCORE not built"
	dir=$(synth_dir "$ERA" "$MKOPTS") || { echo "$dir"; exit 1; }
	vmlinux=$dir/vmlinux
	if [ -n "$VMLINUX_ERA" ]; then
		other=$(synth_dir "$VMLINUX_ERA" "") || { echo "$other"; exit 1; }
		vmlinux=$other/vmlinux
	fi
elif [ -n "$REAL" ]; then
	# make distcheck in CI: a fresh tree, where a real kernel may have to
	# be fetched and booted.
	[ "${PINSCAN_SKIP_REAL:-0}" = 1 ] && skip "real-kernel cases switched off (PINSCAN_SKIP_REAL=1)"
	dir=$("$top_srcdir/tests/vmcores/real/fixture-dir.sh" "$REAL" "$VARIANT" 2>"$work/fixture.log")
	rc=$?
	[ $rc = 77 ] && skip "$(tail -n 1 "$work/fixture.log")"
	[ $rc = 0 ] || { cat "$work/fixture.log"; fail "cannot build real fixture $REAL $VARIANT"; }
	vmlinux=$dir/vmlinux
else
	fail "$case_file names neither ERA nor REAL"
fi

dump=$dir/$FILE
[ -e "$dump" ] || fail "fixture lacks $FILE ($dir)"
if [ "$JOBS" = unset ]; then
	JOBS="1 3"
	[ -n "$REAL" ] && { [ "$(nproc 2>/dev/null || echo 1)" = 1 ] && JOBS=2 || JOBS=1; }
fi
if [ -n "$MANGLE" ]; then
	cp "$dump" "$work/dump" && chmod u+w "$work/dump"
	DUMP=$work/dump
	eval "$MANGLE" || fail "cannot prepare the mangled dump"
	dump=$work/dump
fi

if [ -n "$PREPARE" ]; then
	eval "$PREPARE" || fail "cannot prepare: $PREPARE"
fi
# The layout cache as the scan meets it: each scan with another -j meets
# it the same, in the same place (the first scan saves a layout the next
# would read back, which layout.source says).
cache_before=$work/xdg-cache.before
[ -d "$XDG_CACHE_HOME" ] && cp -a "$XDG_CACHE_HOME" "$cache_before"
set --
[ "$NO_VMLINUX" = 1 ] || set -- -s "$vmlinux"
# shellcheck disable=SC2086
echo "+ pinscan scan $dump $* $SCANOPTS --format json"
rss_cmd=""
if [ -n "$MAX_RSS_MB" ]; then
	[ -x /usr/bin/time ] || skip "MAX_RSS_MB needs GNU time (/usr/bin/time)"
	rss_cmd="/usr/bin/time -f %M -o $work/rss"
fi
# shellcheck disable=SC2086
timeout 300 $rss_cmd "$PINSCAN" scan "$dump" "$@" $SCANOPTS --format json \
	-o "$work/report.json" 2>"$work/stderr"
rc=$?
# The same report from any number of threads (a successful scan; the
# first thread count's failures are the expected ones).
jobs_differ=""
if [ "$rc" != 2 ]; then
	for j in $JOBS; do
		rm -rf "$XDG_CACHE_HOME"
		[ -d "$cache_before" ] && cp -a "$cache_before" "$XDG_CACHE_HOME"
		# shellcheck disable=SC2086
		timeout 300 "$PINSCAN" scan "$dump" "$@" $SCANOPTS --format json \
			-j "$j" -o "$work/report-j$j.json" 2>"$work/stderr-j$j"
		jrc=$?
		if [ "$jrc" != "$rc" ] || ! cmp -s "$work/report.json" "$work/report-j$j.json"; then
			jobs_differ="$jobs_differ $j"
			diff "$work/report.json" "$work/report-j$j.json" | head -n 20
		fi
	done
fi
# A mangled copy of a real dump is a gigabyte: gone once scanned.
[ -n "$MANGLE" ] && rm -f "$work/dump"
cat "$work/stderr"
[ -z "$jobs_differ" ] || fail "the report with -j$jobs_differ differs from the default -j's"
if [ -z "$EXPECT_EXIT" ]; then
	EXPECT_EXIT=0
	grep -q '"rule"' "$dir/expected.json" 2>/dev/null && EXPECT_EXIT=1
fi
[ "$rc" = "$EXPECT_EXIT" ] || fail "exit status $rc, expected $EXPECT_EXIT"
# AddressSanitizer's shadow memory and quarantine are no measure of
# pinscan's own.
if [ -n "$MAX_RSS_MB" ] && ldd "$PINSCAN" 2>/dev/null | grep -q libasan; then
	echo "peak RSS not bounded: pinscan is built with AddressSanitizer"
elif [ -n "$MAX_RSS_MB" ]; then
	rss_kb=$(tail -n 1 "$work/rss")
	echo "peak RSS: $((rss_kb / 1024)) MB (bound: $MAX_RSS_MB MB)"
	[ "$rss_kb" -le $((MAX_RSS_MB * 1024)) ] ||
		fail "peak RSS $((rss_kb / 1024)) MB is above $MAX_RSS_MB MB"
fi
if [ -n "$EXPECT_STDERR" ]; then
	grep -Eq "$EXPECT_STDERR" "$work/stderr" ||
		fail "stderr does not match /$EXPECT_STDERR/"
	[ "$(wc -l <"$work/stderr")" = 1 ] || fail "stderr is not one line"
fi
[ "$rc" = 2 ] && { echo "PASS: exit 2 as expected"; exit 0; }
if [ "$SCHEMA" = 1 ]; then
	$PY - "$work/report.json" "$top_srcdir/doc/pinscan-report.schema.json" <<'PYEOF' ||
import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))
print("schema: valid")
PYEOF
	fail "report does not follow doc/pinscan-report.schema.json"
fi
if [ -n "$CHECK_PY" ]; then
	$PY -c 'import json, sys
r = json.load(open(sys.argv[1]))
sys.exit(0 if eval(sys.argv[2]) else 1)' "$work/report.json" "$CHECK_PY" ||
		fail "report does not satisfy: $CHECK_PY"
	echo "holds: $CHECK_PY"
fi
if [ "$OWNERS" = 1 ]; then
	DRGN_USE_LIBKDUMPFILE_FOR_ELF=1 $PY "$top_srcdir/tests/vmcores/real/check-owners.py" \
		"$work/report.json" "$dump" "$dir/vmlinux" "$dir/truth.txt" ||
		fail "owners and holders differ from the workload's (check-owners.py)"
fi
# The kernel's FOLL_PIN counters as drgn reads them (its own helpers), for
# a real dump scanned as it is. drgn cannot open QEMU's kdump-compressed
# output (no arch name) nor a flattened file: then the same crash's other
# file, the ELF dump of the same stopped guest (or the same capture).
[ -z "$PIN_ACCOUNTING" ] && [ -n "$REAL" ] && [ -z "$MANGLE" ] && PIN_ACCOUNTING=drgn
if [ "$PIN_ACCOUNTING" = drgn ] || [ "$PIN_ACCOUNTING" = counters ]; then
	acct=$work/drgn-pin-accounting.json
	for d in "$dump" "${dump%.flat}" "$dir/vmcore"; do
		[ -e "$d" ] || continue
		$PY "$top_srcdir/tests/vmcores/real/drgn-pin-accounting.py" "$vmlinux" "$d" \
			>"$acct" 2>"$work/drgn.err" && break
	done
	[ -s "$acct" ] || { cat "$work/drgn.err"; fail "drgn-pin-accounting.py read none of $dump's files"; }
	echo "drgn ($d): $(cat "$acct")"
	$PY - "$work/report.json" "$acct" "$PIN_ACCOUNTING" <<'PYEOF' || fail "summary.pin_accounting differs from the kernel's counters (drgn)"
import json, sys
r, k = (json.load(open(p)) for p in sys.argv[1:3])
a = r["summary"]["pin_accounting"]
ok = a["acquired"] == k["acquired"] and a["released"] == k["released"]
if ok and sys.argv[3] == "drgn" and k["acquired"] is not None and r["layout"]["pin_scheme"] == "foll-pin":
    ok = a["outstanding"] == k["acquired"] - k["released"] == a["decoded"]
print("pin accounting:", {x: a[x] for x in ("acquired", "released", "outstanding", "decoded")},
      "==" if ok else "!=", "drgn", k)
sys.exit(0 if ok else 1)
PYEOF
fi
[ "$NO_COMPARE" = 1 ] && exit 0
# shellcheck disable=SC2086
$PY "$top_srcdir/tests/compare.py" "$work/report.json" "$dir/expected.json" $COMPARE ||
	fail "report differs from $dir/expected.json"
