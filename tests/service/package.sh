#!/bin/sh
# The Debian package: dpkg-buildpackage -us -uc -b on a clean copy of the
# sources gives pinscan_*.deb, lintian finds no error in it, and
# `apt-get install ./pinscan_*.deb` gives a working pinscan, its man page,
# bash completion, the schema and a crash-report unit that systemd-analyze
# verify accepts. Slow (it compiles everything once more): one test.
. "$(dirname "$0")/lib.sh"
# debian/rules sets this: the package build does not build itself again.
[ -z "${PINSCAN_SKIP_PACKAGE:-}" ] || skip "PINSCAN_SKIP_PACKAGE is set (inside a package build)"
# The package does not depend on how this tree was configured: the plain
# build's run of the suite checks it, the sanitized one need not again.
grep -q '^SANITIZE_CFLAGS = -fsanitize' "$top_builddir/Makefile" 2>/dev/null &&
	skip "a sanitizer build: the package is checked by the plain build's suite"
for tool in dpkg-buildpackage dh lintian apt-get; do
	command -v $tool >/dev/null 2>&1 ||
		skip "$tool is not installed (apt-get install dpkg-dev debhelper lintian)"
done
[ -f "$top_srcdir/debian/control" ] || fail "no debian/ in $top_srcdir"
SUDO=""
if [ "$(id -u)" != 0 ]; then
	sudo -n true 2>/dev/null || skip "installing the .deb needs root or sudo"
	SUDO="sudo -n"
fi
work=$(mktemp -d) || exit 99
was_installed=0
dpkg-query -W -f='${Status}' pinscan 2>/dev/null | grep -q "ok installed" && was_installed=1
cleanup() {
	[ $was_installed = 1 ] || $SUDO apt-get purge -y -qq -o DPkg::Lock::Timeout=300 pinscan >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT

# A clean copy: what git tracks plus what it would (not the build trees),
# or the whole tree of a release tarball.
src=$work/pinscan
mkdir -p "$src"
# (A release tree unpacked inside some git checkout, as make distcheck's
# is, is not that checkout: only a tree that is its own git top counts.)
if [ "$(git -C "$top_srcdir" rev-parse --show-toplevel 2>/dev/null)" = "$(cd "$top_srcdir" && pwd -P)" ]; then
	(cd "$top_srcdir" && git ls-files -co --exclude-standard -z | xargs -0 tar -cf - --no-recursion) |
		tar -C "$src" -xf - || fail "cannot copy the sources"
else
	# make distcheck builds and installs inside its tree: not those.
	(cd "$top_srcdir" && tar --exclude=./_build --exclude=./_inst -cf - .) |
		tar -C "$src" -xf - && chmod -R u+w "$src" || fail "cannot copy the sources"
fi
cd "$src" || exit 99
dpkg-checkbuilddeps -Pnocheck > "$work/deps" 2>&1 ||
	skip "build dependencies missing: $(cat "$work/deps")"

# The test suite ran already (this is part of it): nocheck.
echo "dpkg-buildpackage -us -uc -b in $src"
if ! DEB_BUILD_OPTIONS="nocheck parallel=2" DEB_BUILD_PROFILES=nocheck \
	nice -n 10 dpkg-buildpackage -us -uc -b > "$work/build.log" 2>&1; then
	tail -n 40 "$work/build.log"
	fail "dpkg-buildpackage failed"
fi
deb=$(ls "$work"/pinscan_*.deb 2>/dev/null | grep -v dbgsym) && [ -n "$deb" ] || fail "no pinscan .deb"
changes=$(ls "$work"/pinscan_*.changes) || fail "no .changes"
echo "built $(basename "$deb")"
dpkg-deb -c "$deb" | awk '{ print $6 }' | sort > "$work/contents"
for f in ./usr/bin/pinscan ./usr/share/man/man1/pinscan.1.gz \
	./usr/share/bash-completion/completions/pinscan \
	./usr/share/pinscan/pinscan-report.schema.json \
	./lib/systemd/system/pinscan-report.service \
	./usr/share/doc/pinscan/README.md.gz ./usr/share/doc/pinscan/copyright; do
	grep -qx "$f" "$work/contents" || fail "the package lacks $f"
done

lintian --fail-on error "$changes" > "$work/lintian.log" 2>&1
rc=$?
cat "$work/lintian.log"
[ $rc = 0 ] || fail "lintian exited $rc"
grep -q '^E: ' "$work/lintian.log" && fail "lintian reports errors"

# Install as a user would (apt resolves the libraries).
if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
	-o DPkg::Lock::Timeout=300 "$deb" > "$work/install.log" 2>&1; then
	cat "$work/install.log"
	fail "apt-get install $deb failed"
fi
/usr/bin/pinscan --help | grep -q '^usage: pinscan scan' || fail "the installed pinscan --help"
/usr/bin/pinscan version | grep -qx "pinscan $(sed -n 's/^pinscan (\([^-]*\).*/\1/p;q' debian/changelog)" ||
	fail "the installed pinscan is not this version"
man -w pinscan | grep -q '/usr/share/man/man1/pinscan.1' || fail "man -w pinscan: $(man -w pinscan 2>&1)"
MANWIDTH=80 man pinscan 2>/dev/null | grep -q 'report-dir' || fail "man pinscan does not show the page"
bash -c '. /usr/share/bash-completion/bash_completion; _completion_loader pinscan; complete -p pinscan' |
	grep -qx 'complete -F _pinscan pinscan' || fail "the installed completion is not found by bash-completion"
systemd-analyze verify /lib/systemd/system/pinscan-report.service > "$work/verify.log" 2>&1 ||
	{ cat "$work/verify.log"; fail "systemd-analyze verify of the installed unit"; }
grep -i pinscan-report "$work/verify.log" && fail "systemd-analyze complains about the installed unit"
grep -qx 'ExecStart=/usr/bin/pinscan report-dir' /lib/systemd/system/pinscan-report.service ||
	fail "the installed unit does not run /usr/bin/pinscan"
echo ok
