#!/bin/sh
# src/pageflags.[ch] own the kernel's page-flag and page-type names: no
# other source file names a flag in its code (an identifier such as
# pg_lru or PG_lru, or a string such as "PG_lru" or "PGTY_buddy" that
# looks one up). Comments and messages may say PG_lru to people.
set -u
exec /usr/bin/python3 - "$top_srcdir/src" <<'PYEOF'
import glob, os, re, sys

# Comments and string literals, so that the code alone is searched.
TOKEN = re.compile(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)
CODE_NAME = re.compile(r'\b(?:PG|pg|PGTY|pgty)_[A-Za-z0-9_]+')
LOOKUP_STRING = re.compile(r'^"(?:PG|PGTY)_[A-Za-z0-9_]*"$')

bad = 0
for path in sorted(glob.glob(os.path.join(sys.argv[1], '*.[ch]'))):
    if os.path.basename(path) in ('pageflags.c', 'pageflags.h'):
        continue
    text = open(path).read()
    strings = [m.group(0) for m in TOKEN.finditer(text) if m.group(0).startswith('"')]
    code = TOKEN.sub(lambda m: '\n' * m.group(0).count('\n'), text)
    for lineno, line in enumerate(code.split('\n'), 1):
        for name in CODE_NAME.findall(line):
            print(f"FAIL: {path}:{lineno}: names {name} in code")
            bad += 1
    for s in strings:
        if LOOKUP_STRING.match(s):
            print(f"FAIL: {path}: looks up {s}")
            bad += 1
print("ok: only src/pageflags.[ch] name page flags" if not bad else f"{bad} names outside src/pageflags.[ch]")
sys.exit(1 if bad else 0)
PYEOF
