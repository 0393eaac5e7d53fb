#!/bin/sh
# Progress on stderr: only on a terminal (or with --progress), never with
# --no-progress; a terminal's line is cleared at the end, a file's ends in
# a newline. The report and the exit status are the same either way.
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d) || exit 99
trap 'rm -rf "$work"' EXIT
gen "$work/d" 6.1
dump=$work/d/vmcore vmlinux=$work/d/vmlinux

# Not a terminal: nothing unless asked.
"$PINSCAN" scan "$dump" -s "$vmlinux" --no-cache -o "$work/plain.txt" 2>"$work/err"
[ $? = 0 ] || fail "the scan is not 0"
[ ! -s "$work/err" ] || { cat "$work/err"; fail "progress on stderr that is not a terminal"; }

"$PINSCAN" scan "$dump" -s "$vmlinux" --no-cache -o "$work/forced.txt" --progress 2>"$work/err"
[ $? = 0 ] || fail "the scan with --progress is not 0"
cmp -s "$work/plain.txt" "$work/forced.txt" || fail "--progress changed the report"
total=$(sed -n 's/.*struct pages read \([0-9]*\), missing \([0-9]*\).*/\1 \2/p' "$work/plain.txt" |
	awk '{print $1 + $2}')
tr '\r' '\n' < "$work/err" | grep -q "^pinscan: $total/$total struct pages (100%)" ||
	{ od -c "$work/err" | tail -n 5; fail "--progress does not reach $total/$total struct pages"; }
[ "$(tail -c 1 "$work/err" | od -An -c | tr -d ' ')" = '\n' ] ||
	fail "--progress to a file does not end its line"

"$PINSCAN" scan "$dump" -s "$vmlinux" --no-cache -o /dev/null --progress --no-progress 2>"$work/err"
[ ! -s "$work/err" ] || fail "--no-progress after --progress still shows it"

# A terminal (script(1) gives one): --progress is cleared at the end,
# --no-progress shows nothing. (Whether an unasked one shows depends on
# the time the scan takes: no test.)
command -v script >/dev/null 2>&1 || skip "script(1) is not installed (bsdutils)"
on_tty() { # output-file pinscan-options...: stderr as the terminal saw it
	out=$1
	shift
	script -qec "'$PINSCAN' scan '$dump' -s '$vmlinux' --no-cache -o '$out' $* 2>&1" /dev/null
}
on_tty "$work/tty.txt" --progress > "$work/tty"
cmp -s "$work/plain.txt" "$work/tty.txt" || fail "the report on a terminal differs"
grep -q "(100%)" "$work/tty" || fail "no progress on a terminal with --progress"
[ "$(tail -c 4 "$work/tty" | od -An -c | tr -d ' ')" = '\r033[K' ] ||
	{ od -c "$work/tty" | tail -n 3; fail "progress on a terminal is not cleared at the end"; }
on_tty /dev/null --no-progress > "$work/tty"
[ ! -s "$work/tty" ] || { od -c "$work/tty" | head; fail "--no-progress on a terminal shows something"; }
echo "PASS: progress only where asked or watched"
