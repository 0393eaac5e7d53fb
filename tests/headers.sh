#!/bin/sh
# Every header in src/ compiles on its own: it includes what it uses, so
# that a file may include it first, alone, in any order (the guide's
# "modules talk through small structs in headers").
# Needs CC, CPPFLAGS_ALL (the build's include flags) and top_srcdir,
# top_builddir from the Makefile's test environment.
set -u
fails=0
out=$(mktemp -d) || exit 99
trap 'rm -rf "$out"' EXIT
for h in "$top_srcdir"/src/*.h; do
	name=$(basename "$h")
	printf '#include "%s"\n' "$h" > "$out/t.c"
	# shellcheck disable=SC2086
	if $CC -std=c11 -fsyntax-only -Werror -Wall -Wextra \
		-include "$top_builddir/config.h" $CPPFLAGS_ALL \
		"$out/t.c" > "$out/log" 2>&1; then
		echo "ok: $name"
	else
		echo "FAIL: $name does not compile alone:"
		cat "$out/log"
		fails=$((fails + 1))
	fi
done
[ "$fails" = 0 ]
