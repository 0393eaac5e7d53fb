#!/bin/sh
# pinscan scan A B C: one report per dump, in order (JSON Lines with
# --format json), and one exit status for all, the worst: 2 when any could
# not be analysed, else 1 when any has findings at --fail-on, else 0.
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d) || exit 99
trap 'rm -rf "$work"' EXIT
gen "$work/clean" 6.1
gen "$work/faults" 6.1 --scenario faults
clean=$work/clean/vmcore faults=$work/faults/vmcore
head -c 4096 "$clean" > "$work/cut"

# Each alone first: the statuses that the combined one is made of.
"$PINSCAN" scan "$clean" -s "$work/clean/vmlinux" >/dev/null 2>&1; [ $? = 0 ] || fail "the clean dump alone is not 0"
"$PINSCAN" scan "$faults" >/dev/null 2>&1; [ $? = 1 ] || fail "the faults dump alone is not 1"

"$PINSCAN" scan "$clean" "$faults" --format json > "$work/two.jsonl" 2>"$work/err"
[ $? = 1 ] || fail "clean + faults is not 1"
$PY - "$work/two.jsonl" "$clean" "$faults" "$top_srcdir/doc/pinscan-report.schema.json" <<'PYEOF' || fail "JSON Lines"
import json, sys
lines = open(sys.argv[1]).read().split("\n")
assert lines[-1] == "" and len(lines) == 3, "not two lines: %r" % lines[:3]
reports = [json.loads(l) for l in lines[:2]]
assert [r["dump"]["path"] for r in reports] == sys.argv[2:4], "not in order"
try:
    import jsonschema
except ImportError:
    sys.exit(0)
for r in reports:
    jsonschema.validate(r, json.load(open(sys.argv[4])))
PYEOF

"$PINSCAN" scan "$clean" "$work/cut" "$faults" --format json > "$work/three.jsonl" 2>"$work/err"
[ $? = 2 ] || fail "with a dump that cannot be analysed the status is not 2"
[ "$(wc -l < "$work/three.jsonl")" = 2 ] || fail "not one line per analysed dump"
[ "$(wc -l < "$work/err")" = 1 ] && grep -q "^pinscan: $work/cut: " "$work/err" ||
	{ cat "$work/err"; fail "not one stderr line naming the dump that failed"; }

# Text: the reports one after another, each opening with its dump's name.
"$PINSCAN" scan "$faults" "$clean" -o "$work/two.txt" 2>/dev/null
[ $? = 1 ] || fail "text: clean + faults is not 1"
grep '^pinscan: ' "$work/two.txt" | cut -d' ' -f2 > "$work/order"
printf '%s\n%s\n' "$faults" "$clean" | cmp -s - "$work/order" || fail "text reports not in order"
# One dump with --format json: the pretty report as before.
"$PINSCAN" scan "$clean" --format json | head -n 1 | grep -qx '{' || fail "one dump's JSON is no longer the pretty form"
# tui still takes one dump.
"$PINSCAN" tui "$clean" "$faults" 2>&1 | grep -q 'tui needs exactly one DUMP' || fail "tui took two dumps"
echo ok
