#!/bin/sh
# Command-line and output errors: each is exit 2 with one message that
# begins "pinscan:" (getopt's own began with the subcommand, "scan:"), and
# output that cannot be written is never a clean exit.
set -u
P=$top_builddir/src/pinscan
XDG_CACHE_HOME=$top_builddir/tests/out/xdg-cache/cli-errors
export XDG_CACHE_HOME
bad=0
expect() { # description, expected stderr pattern, command...
	what=$1 pattern=$2
	shift 2
	err=$("$@" 2>&1 >/dev/null | head -n 1)
	"$@" >/dev/null 2>&1
	rc=$?
	if [ "$rc" = 2 ] && echo "$err" | grep -Eq "$pattern"; then
		echo "ok: $what"
	else
		echo "FAIL: $what: exit $rc, stderr '$err'"
		bad=1
	fi
}
expect "unknown long option" "^pinscan: unknown option '--bogus'$" "$P" scan --bogus x
expect "unknown short option" "^pinscan: unknown option '-q'$" "$P" scan -q x
expect "option without its value" "^pinscan: option '-s' needs a value$" "$P" scan x -s
expect "rules to a full disk" "^pinscan: standard output: write error" sh -c "'$P' rules > /dev/full"
expect "version to a full disk" "^pinscan: standard output: write error" sh -c "'$P' version > /dev/full"
exit $bad
