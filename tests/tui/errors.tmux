#!/bin/sh
# pinscan tui that cannot start says why in one line, exits 2, and leaves
# the terminal as it found it: a file that is not a dump, no terminal on
# stdin/stdout, a TERM the terminfo database does not know.
. "$(dirname "$0")/lib.sh"
dir=$(synth_fixture 6.1) || exit $?
printf 'not a dump\n' >"$work/not-a-dump"

expect_exit2() { # what, then the command
	what=$1
	shift
	"$@" >"$work/out" 2>"$work/err"
	rc=$?
	[ $rc = 2 ] || fail "$what: exit status $rc, expected 2"
	[ "$(wc -l <"$work/err")" = 1 ] || { cat "$work/err"; fail "$what: stderr is not one line"; }
	ok "$what: exit 2, $(cat "$work/err")"
}
expect_exit2 "missing dump" "$PINSCAN" tui "$work/no-such-file"
expect_exit2 "not a terminal" "$PINSCAN" tui "$dir/vmcore" -s "$dir/vmlinux" </dev/null
grep -q 'needs a terminal' "$work/err" || fail "not a terminal: wrong message"

KERNEL=none
start_shell 100 30
keys "clear; $PINSCAN tui '$work/not-a-dump'; echo EXIT=\$?" Enter
wait_for '^EXIT=2$' 30
line_of "^pinscan: .*not-a-dump" >/dev/null
ok "not a dump, in a terminal: exit 2 with the reason"
check_terminal_sane
keys "clear; TERM=nosuchterm $PINSCAN tui '$dir/vmcore' -s '$dir/vmlinux'; echo EXIT=\$?" Enter
wait_for '^EXIT=2$' 30
line_of "cannot use the terminal 'nosuchterm'" >/dev/null
ok "unknown TERM: exit 2 with the reason"
check_terminal_sane

# An RFC v2 dump browsed with the default --rfc-pin-bit 1: "nothing
# pinned" would be a wrong answer; the TUI says why, as `scan` refuses.
rfc2=$(synth_fixture 4.19-rfc2) || exit $?
keys "clear; $PINSCAN tui '$rfc2/vmcore' -s '$rfc2/vmlinux'" Enter
wait_for 'rerun with --rfc-pin-bit 2' 60
ok "RFC v2 dump with --rfc-pin-bit 1: the TUI names the other bit"
keys q
wait_for '\$ *$' 30
check_terminal_sane
echo "PASS"
