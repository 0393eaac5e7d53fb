# Shared by the tests in tests/service: where things are, and synthetic
# dumps from the generator (tests/vmcores/mkvmcore).
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$(pwd)}
PINSCAN=${PINSCAN:-$top_builddir/src/pinscan}
MKVMCORE=$top_builddir/tests/vmcores/mkvmcore
PY=/usr/bin/python3
# The test's own layout cache, empty at its start; the real-kernel fixtures
# stay where they are cached.
PINSCAN_FIXTURE_CACHE=${PINSCAN_FIXTURE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}}
export PINSCAN_FIXTURE_CACHE
XDG_CACHE_HOME=$top_builddir/tests/out/xdg-cache/service-$(basename "$0" .sh)
rm -rf "$XDG_CACHE_HOME"
export XDG_CACHE_HOME

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

# gen DIR ERA [mkvmcore options]: a synthetic dump and its vmlinux in DIR.
gen() {
	dir=$1 era=$2
	shift 2
	mkdir -p "$dir"
	ASAN_OPTIONS=detect_leaks=0 "$MKVMCORE" --srcdir "$top_srcdir/tests/vmcores" \
		--era "$era" --out "$dir" "$@" >"$dir/mkvmcore.log" 2>&1 ||
		{ cat "$dir/mkvmcore.log"; fail "mkvmcore --era $era $* failed"; }
}
