#!/bin/sh
# The crash-report unit passes systemd-analyze verify, runs report-dir
# after kdump-tools, and names the pinscan that make install puts in bindir.
. "$(dirname "$0")/lib.sh"
command -v systemd-analyze >/dev/null 2>&1 || skip "no systemd-analyze (apt-get install systemd)"
unit=$top_builddir/systemd/pinscan-report.service
[ -f "$unit" ] || fail "$unit not built"
work=$(mktemp -d) || exit 99
trap 'rm -rf "$work"' EXIT
bindir=$(sed -n 's|^ExecStart=\(.*\)/pinscan report-dir$|\1|p' "$unit")
[ -n "$bindir" ] || fail "ExecStart is not \"BINDIR/pinscan report-dir\": $(grep ExecStart "$unit")"
grep -q '^After=kdump-tools.service' "$unit" || fail "not ordered after kdump-tools"
grep -q '^Type=oneshot' "$unit" || fail "not a oneshot"
# No HOME for a system service: the layout cache needs a directory.
grep -q '^CacheDirectory=pinscan$' "$unit" &&
	grep -q '^Environment=XDG_CACHE_HOME=/var/cache$' "$unit" ||
	fail "no layout cache directory for the service"
# verify checks that ExecStart's program exists: this build's, under the
# unit's own name; and man:pinscan(1) is not installed yet (the package
# test verifies the installed unit with it).
sed "s|^ExecStart=.*|ExecStart=$PINSCAN report-dir|" "$unit" > "$work/pinscan-report.service"
systemd-analyze verify --man=no "$work/pinscan-report.service" > "$work/log" 2>&1
rc=$?
cat "$work/log"
[ $rc = 0 ] || fail "systemd-analyze verify exited $rc"
# Warnings about this unit are failures too (other units' are not ours).
grep -i "pinscan-report" "$work/log" && fail "systemd-analyze complains about the unit"
echo ok
