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
# /proc/kcore is root's (0400, CAP_SYS_RAWIO): a user who cannot open it is
# told that, not only "Permission denied". A root-only file named kcore
# stands in for it (this container may have none); as root, the scan runs
# as nobody, else the file is made unreadable to its owner.
kdir=$top_builddir/tests/out/cli-errors
mkdir -p "$kdir" && rm -f "$kdir/kcore" && echo x > "$kdir/kcore"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	chmod 400 "$kdir/kcore"
	chmod a+rx "$kdir"
	expect "kcore without root" "^pinscan: .*/kcore: Permission denied: reading the running kernel's memory needs root$" \
		setpriv --reuid=65534 --regid=65534 --clear-groups "$P" scan "$kdir/kcore" --no-cache
elif [ "$(id -u)" != 0 ]; then
	chmod 000 "$kdir/kcore"
	expect "kcore without root" "^pinscan: .*/kcore: Permission denied: reading the running kernel's memory needs root$" \
		"$P" scan "$kdir/kcore" --no-cache
else
	echo "skip: kcore without root (no setpriv)"
fi
exit $bad
