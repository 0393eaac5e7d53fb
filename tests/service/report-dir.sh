#!/bin/sh
# pinscan report-dir on a kdump-tools tree (COREDIR/STAMP/dump.STAMP beside
# dmesg.STAMP): each new dump gets pinscan.txt and pinscan.json, the one
# that is not a dump gets pinscan.err with the reason, the log has one line
# per dump, and a second run touches nothing that has a result.
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d) || exit 99
trap 'rm -rf "$work"' EXIT
gen "$work/g61" 6.1 --kdump
gen "$work/g510" 5.10
crash=$work/crash
for s in 202612010101 202612020202 202612030303 202612040404; do
	mkdir -p "$crash/$s" && echo "[ 0.000000] Linux version" > "$crash/$s/dmesg.$s"
done
cp "$work/g61/vmcore.kdump" "$crash/202612010101/dump.202612010101"
cp "$work/g510/vmcore" "$crash/202612020202/dump.202612020202"
# A copy cut off after its headers: what a full disk leaves.
head -c 4096 "$work/g61/vmcore.kdump" > "$crash/202612030303/dump.202612030303"
# A save that never finished: kdump-tools' name for it, not a dump.
head -c 4096 "$work/g61/vmcore.kdump" > "$crash/202612040404/dump-incomplete"

"$PINSCAN" report-dir "$crash" > "$work/log1" 2>&1 || { cat "$work/log1"; fail "report-dir exited $?"; }
cat "$work/log1"
[ "$(grep -c ': kernel .*wrote pinscan.txt, pinscan.json$' "$work/log1")" = 2 ] ||
	fail "not one report line for each of the two good dumps"
grep -q 'dump.202612030303: cannot analyse: .*; wrote pinscan.err$' "$work/log1" ||
	fail "no log line for the truncated dump"
grep 'cannot analyse' "$work/log1" | grep -q 'dump.202612030303.*dump.202612030303' &&
	fail "the truncated dump's log line names it twice"
grep -q ': 2 reported, 1 could not be analysed, 0 already done$' "$work/log1" ||
	fail "wrong summary line"
for s in 202612010101 202612020202; do
	d=$crash/$s
	[ -s "$d/pinscan.txt" ] && [ -s "$d/pinscan.json" ] || fail "$s lacks its report"
	[ ! -e "$d/pinscan.err" ] || fail "$s has an .err"
	head -n 1 "$d/pinscan.txt" | grep -q "^pinscan: $d/dump.$s " || fail "$s: pinscan.txt is not its report"
	$PY - "$d/pinscan.json" "$d/dump.$s" "$top_srcdir/doc/pinscan-report.schema.json" <<'PYEOF' || fail "$s: pinscan.json"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["dump"]["path"] == sys.argv[2], r["dump"]
assert r["summary"]["pinned_pages"] > 0, r["summary"]
try:
    import jsonschema
except ImportError:
    sys.exit(0)
jsonschema.validate(r, json.load(open(sys.argv[3])))
PYEOF
done
grep -q 'dump.202612030303' "$crash/202612030303/pinscan.err" || fail "the .err does not name the dump"
[ ! -e "$crash/202612030303/pinscan.json" ] || fail "a report for the truncated dump"
ls -A "$crash/202612040404" | grep -q pinscan && fail "dump-incomplete was analysed"
ls -A "$crash"/*/ | grep -q '\.tmp$' && fail "a temporary file was left"

# Already reported or failed: never again, nothing rewritten.
ls -l --time-style=full-iso "$crash"/*/pinscan.* > "$work/before"
"$PINSCAN" report-dir "$crash" > "$work/log2" 2>&1 || fail "second run exited $?"
cat "$work/log2"
[ "$(wc -l < "$work/log2")" = 1 ] && grep -q ': 0 reported, 0 could not be analysed, 3 already done$' "$work/log2" ||
	fail "the second run analysed again"
ls -l --time-style=full-iso "$crash"/*/pinscan.* | cmp -s - "$work/before" || fail "the second run rewrote a result"

# A new crash later: only it is analysed. The tree comes from KDUMP_COREDIR.
mkdir "$crash/202612050505" && cp "$work/g510/vmcore" "$crash/202612050505/dump.202612050505"
printf '# kdump-tools settings\nKDUMP_COREDIR="%s"\n' "$crash" > "$work/kdump-tools"
"$PINSCAN" report-dir --kdump-config "$work/kdump-tools" > "$work/log3" 2>&1 || fail "third run exited $?"
grep -q ': 1 reported, 0 could not be analysed, 3 already done$' "$work/log3" || { cat "$work/log3"; fail "the new dump was not the only one analysed"; }
[ -s "$crash/202612050505/pinscan.json" ] || fail "the new dump lacks its report"

# A KDUMP_COREDIR only a shell could expand is refused, by name.
echo 'KDUMP_COREDIR=$HOME/crash' > "$work/kdump-tools"
"$PINSCAN" report-dir --kdump-config "$work/kdump-tools" > "$work/log4" 2>&1
[ $? = 2 ] && grep -q 'kdump-tools:1: KDUMP_COREDIR needs a shell' "$work/log4" || { cat "$work/log4"; fail "a shell expression was accepted"; }
# No tree: exit 2, naming it.
"$PINSCAN" report-dir "$work/none" > "$work/log5" 2>&1
[ $? = 2 ] && grep -q "$work/none" "$work/log5" || fail "a missing tree was not reported"
echo "ok"
