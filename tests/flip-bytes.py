#!/usr/bin/python3
"""Flip bytes of one ELF section of a file, one at a time, and run a
pinscan command on each copy: any death by a signal (abort, SEGV, a
sanitizer's report) fails. Usage:
  flip-bytes.py FILE SECTION COUNT WORKDIR -- COMMAND... (FILE_COPY for the copy)
Positions and masks come from a fixed seed: the same copies every run."""
import random
import re
import subprocess
import sys

path, section, count, work = sys.argv[1:5]
cmd = sys.argv[sys.argv.index('--') + 1:]
sh = subprocess.run(['readelf', '-SW', path], capture_output=True,
                    text=True, check=True).stdout
m = re.search(r'\s' + re.escape(section) + r'\s+\S+\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)', sh)
if not m:
    sys.exit('%s has no section %s' % (path, section))
off, size = int(m.group(1), 16), int(m.group(2), 16)
data = open(path, 'rb').read()
rng = random.Random(11)
copy = work + '/flipped'
bad = 0
codes = {}
for i in range(int(count)):
    b = bytearray(data)
    at = off + rng.randrange(size)
    b[at] ^= rng.choice([0xff, 0x80, 0x01, 0x40])
    open(copy, 'wb').write(b)
    r = subprocess.run([copy if a == 'FILE_COPY' else a for a in cmd],
                       capture_output=True, text=True, timeout=60)
    codes[r.returncode] = codes.get(r.returncode, 0) + 1
    if r.returncode not in (0, 1, 2) or 'Sanitizer' in r.stderr:
        bad += 1
        print('FAIL: byte %#x of %s ^ mask: exit %d\n%s' %
              (at - off, section, r.returncode, r.stderr[-2000:]))
print('%s copies with one byte of %s flipped, exit codes %s' %
      (count, section, codes))
sys.exit(1 if bad else 0)
