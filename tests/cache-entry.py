#!/usr/bin/python3
"""Spoil a layout cache entry (src/layout_cache.c) in one way, so that a
test can check that pinscan notices exactly that and ignores the entry.
Usage: cache-entry.py ENTRY flip|truncate|version|stale
  flip      one byte of a layout line flipped (the checksum no longer holds)
  truncate  the file cut in the middle of a line
  version   another format version, checksum recomputed (only the version is wrong)
  stale     written by another pinscan, checksum recomputed"""
import sys

FNV_START = 0xcbf29ce484222325
CHECKSUM = b'cache-checksum '


def fnv1a(data):
    h = FNV_START
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
    return h


def resign(body):
    return body + CHECKSUM + b'%016x\n' % fnv1a(body)


path, how = sys.argv[1:3]
data = open(path, 'rb').read()
body = data[:data.rindex(CHECKSUM)]
if fnv1a(body) != int(data[len(body) + len(CHECKSUM):], 16):
    sys.exit('%s: not a valid entry to start from' % path)
if how == 'flip':
    at = body.index(b'\nrefcount ') + len(b'\nrefcount ') + 2
    data = data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:]
elif how == 'truncate':
    data = data[:len(data) // 2]
elif how == 'version':
    data = resign(body.replace(b'pinscan-layout 1\n', b'pinscan-layout 7\n', 1))
elif how == 'stale':
    start = body.index(b'\ncache-writer ') + 1
    end = body.index(b'\n', start)
    data = resign(body[:start] + b'cache-writer pinscan 0.0.1 keys 0000000000000000' +
                  body[end:])
else:
    sys.exit(__doc__)
open(path, 'wb').write(data)
