#!/usr/bin/python3
"""Every structural boundary and every header field of a small synthetic
dump, damaged one at a time: ELF vmcore (header, program headers, notes,
PT_LOADs), kdump-compressed (header, sub-header, bitmaps, descriptors, page
data) and its flattened form. Each damaged copy is scanned; what must hold:

- exit 0, 1 or 2, no signal, no sanitizer report, within BOUND seconds
  (the clean scan's time x 10 + 10 s, for a loaded machine);
- exit 2: stderr is one line "pinscan: DUMP...", naming the file;
- a truncated file read anyway (exit 0/1) says so in the report's
  warnings, or misses pages: never a report of a whole dump.

Usage: hostile-sweep.py PINSCAN MKVMCORE SRCDIR WORKDIR [--list]"""
import json
import os
import shutil
import struct
import subprocess
import sys
import time

pinscan, mkvmcore, srcdir, work = sys.argv[1:5]


def fields_elf(b):
    ehdr = [(4, 1), (5, 1), (6, 1), (7, 1), (16, 2), (18, 2), (20, 4),
            (24, 8), (32, 8), (40, 8), (48, 4), (52, 2), (54, 2), (56, 2),
            (58, 2), (60, 2), (62, 2)]
    out = [('ehdr@%d' % o, o, n) for o, n in ehdr]
    phoff, = struct.unpack_from('<Q', b, 32)
    phnum, = struct.unpack_from('<H', b, 56)
    for i in sorted({0, 1, phnum - 1}):
        for o, n in ((0, 4), (4, 4), (8, 8), (16, 8), (24, 8), (32, 8),
                     (40, 8), (48, 8)):
            out.append(('phdr%d@%d' % (i, o), phoff + 56 * i + o, n))
    note = struct.unpack_from('<Q', b, phoff + 8)[0]
    pos, k = note, 0
    while k < 2:       # the first note (PRSTATUS) and the next (VMCOREINFO)
        namesz, descsz, _ = struct.unpack_from('<III', b, pos)
        for o, n in ((0, 4), (4, 4), (8, 4)):
            out.append(('note%d@%d' % (k, o), pos + o, n))
        pos += 12 + ((namesz + 3) & ~3) + ((descsz + 3) & ~3)
        k += 1
    return out


def cuts_elf(b):
    phoff, = struct.unpack_from('<Q', b, 32)
    phnum, = struct.unpack_from('<H', b, 56)
    cuts = [16, 63, 64, phoff + 28, phoff + 56 * phnum]
    for i in range(phnum):
        t, _, off, _, _, filesz = struct.unpack_from('<IIQQQQ', b, phoff + 56 * i)
        if t == 4:
            cuts += [off + 6, off + filesz // 2, off + filesz]
        elif i < 3 or i == phnum - 1:
            cuts += [off + 1, off + filesz // 2]
    return sorted({c for c in cuts if 0 < c < len(b)})


def kdump_layout(b):
    bs, sub, bmb = struct.unpack_from('<iiI', b, 428)
    bmp1 = (1 + sub) * bs
    bmp2 = bmp1 + bmb * bs // 2
    pds = bmp1 + bmb * bs
    pages = sum(bin(x).count('1') for x in b[bmp2:pds])
    return bs, bmp1, bmp2, pds, pages


def fields_kdump(b):
    bs = kdump_layout(b)[0]
    hdr = [(0, 8), (8, 4), (424, 4), (428, 4), (432, 4), (436, 4), (440, 4),
           (444, 4), (448, 4), (452, 4), (456, 4), (460, 4)]
    sub = [(0, 8), (8, 4), (12, 4), (16, 8), (24, 8), (32, 8), (40, 8),
           (48, 8), (56, 8), (64, 8), (72, 8), (80, 8), (88, 8), (96, 8)]
    return [('kdump@%d' % o, o, n) for o, n in hdr] + \
        [('sub@%d' % o, bs + o, n) for o, n in sub]


def cuts_kdump(b):
    bs, bmp1, bmp2, pds, pages = kdump_layout(b)
    data = struct.unpack_from('<Q', b, pds)[0]
    return sorted({c for c in (100, 464, bs + 40, bmp1 + 10, bmp2 + 10,
                               pds + 12, pds + pages * 12, data + 100,
                               len(b) // 2, len(b) - 1) if 0 < c < len(b)})


def cuts_flat(b):
    return [c for c in (10, 4096 + 8, 4096 + 16 + 100, len(b) // 2,
                        len(b) - 16, len(b) - 8) if 0 < c < len(b)]


def flip(b, off, n):
    """The top byte of the field inverted: huge, negative or absurd."""
    b = bytearray(b)
    b[off + n - 1] ^= 0xff
    return b


def main():
    fixture = os.path.join(work, 'fixture')
    if not os.path.exists(os.path.join(fixture, 'vmcore.flat')):
        shutil.rmtree(fixture, ignore_errors=True)
        env = dict(os.environ, ASAN_OPTIONS='detect_leaks=0')
        subprocess.run([mkvmcore, '--srcdir', os.path.join(srcdir, 'tests/vmcores'),
                        '--era', '6.1', '--mem-mib', '384', '--kdump',
                        '--out', fixture], check=True, env=env,
                       stdout=subprocess.DEVNULL)
    vmlinux = os.path.join(fixture, 'vmlinux')
    files = {f: open(os.path.join(fixture, f), 'rb').read()
             for f in ('vmcore', 'vmcore.kdump', 'vmcore.flat')}
    variants = []
    for c in cuts_elf(files['vmcore']):
        variants.append(('elf-cut@%d' % c, files['vmcore'][:c], True))
    for name, o, n in fields_elf(files['vmcore']):
        variants.append(('elf-flip-' + name, flip(files['vmcore'], o, n), False))
    for c in cuts_kdump(files['vmcore.kdump']):
        variants.append(('kdump-cut@%d' % c, files['vmcore.kdump'][:c], True))
    for name, o, n in fields_kdump(files['vmcore.kdump']):
        variants.append(('kdump-flip-' + name, flip(files['vmcore.kdump'], o, n), False))
    for c in cuts_flat(files['vmcore.flat']):
        variants.append(('flat-cut@%d' % c, files['vmcore.flat'][:c], True))
    if '--list' in sys.argv:
        print('\n'.join(v[0] for v in variants))
        return 0

    def scan(path):
        t = time.time()
        p = subprocess.run([pinscan, 'scan', path, '-s', vmlinux, '--format',
                            'json', '-o', path + '.json'],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           timeout=600)
        return p.returncode, p.stderr.decode(errors='replace'), time.time() - t

    clean = max(scan(os.path.join(fixture, f))[2] for f in files)
    bound = clean * 10 + 10
    failed = 0
    dump = os.path.join(work, 'dump')
    for name, data, truncated in variants:
        open(dump, 'wb').write(data)
        rc, err, took = scan(dump)
        why = None
        if rc not in (0, 1, 2):
            why = 'exit status %d' % rc
        elif 'Sanitizer' in err or 'runtime error' in err:
            why = 'sanitizer report'
        elif took > bound:
            why = '%.1f s, more than %.1f s' % (took, bound)
        elif rc == 2 and (err.count('\n') != 1 or
                          not err.startswith('pinscan: ') or dump not in err):
            why = 'exit 2 without one line naming the file'
        elif rc != 2 and truncated:
            r = json.load(open(dump + '.json'))
            if not r['summary']['missing'] and \
               not any('truncated' in w for w in r['warnings']):
                why = 'a truncated file reported whole'
        print('%s: %s (exit %d, %.2f s)%s' % ('FAIL' if why else 'ok', name,
              rc, took, ': ' + why if why else ''))
        if why:
            failed += 1
            print('    ' + err.strip().replace('\n', '\n    ')[:2000])
    print('%d variants, %d failed (bound %.1f s)' % (len(variants), failed, bound))
    return 1 if failed else 0


sys.exit(main())
