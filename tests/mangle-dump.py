#!/usr/bin/python3
"""Damage one header field of a dump in place, as a hostile or broken
file would have it. Usage: mangle-dump.py FILE WHAT, WHAT one of
  elf-class       ELF class byte says 32-bit
  elf-shoff       section headers far past the end of the file
  elf-note-size   PT_NOTE p_filesz four times the file size
  kdump-note-size kdump sub-header size_note = 2^62
  kdump-block     kdump header block_size = 3
  kdump-desc-size every 8th page descriptor's compressed size = 5000
                  (more than a page: libkdumpfile 0.5.1 overflows)
  kdump-desc-offset [PFN] every 8th page descriptor's data offset past the
                  end of a file that is not cut short
  kdump-page-data [PFN] the compressed data of every 16th compressed page
                  garbled (decompression fails: libkdumpfile 0.5.1's
                  page cache could then crash a later read)
  With PFN, only pages from that pfn on are damaged (the page tables
  below it stay readable); a further STEP damages every STEP-th page."""
import struct
import sys

path, what = sys.argv[1:3]
b = bytearray(open(path, 'rb').read())
if what == 'elf-class':
    b[4] = 1
elif what == 'elf-shoff':
    struct.pack_into('<QHH', b, 0x28, 0x7fffffffffff, 0, 0)
    struct.pack_into('<HH', b, 0x3a, 64, 300)
elif what == 'elf-note-size':
    phoff, = struct.unpack_from('<Q', b, 0x20)
    phnum, = struct.unpack_from('<H', b, 0x38)
    for i in range(phnum):
        at = phoff + i * 56
        if struct.unpack_from('<I', b, at)[0] == 4:
            struct.pack_into('<Q', b, at + 32, len(b) * 4)
elif what == 'kdump-note-size':
    block_size, = struct.unpack_from('<i', b, 428)
    struct.pack_into('<Q', b, block_size + 56, 1 << 62)
elif what == 'kdump-block':
    struct.pack_into('<i', b, 428, 3)
elif what.startswith('kdump-desc-') or what == 'kdump-page-data':
    block_size, sub_hdr, bitmap_blocks = struct.unpack_from('<iiI', b, 428)
    bitmap2 = (1 + sub_hdr + bitmap_blocks // 2) * block_size
    pages = sum(bin(x).count('1')
                for x in b[bitmap2:bitmap2 + bitmap_blocks // 2 * block_size])
    descs = (1 + sub_hdr + bitmap_blocks) * block_size
    step = 16 if what == 'kdump-page-data' else 8
    if len(sys.argv) > 4:
        step = int(sys.argv[4])
    lo = int(sys.argv[3], 0) if len(sys.argv) > 3 else 0
    bitmap = b[bitmap2:bitmap2 + bitmap_blocks // 2 * block_size]
    first = sum(bin(x).count('1') for x in bitmap[:lo // 8]) + \
        sum((bitmap[lo // 8] >> k) & 1 for k in range(lo % 8))
    for i in range(first, pages, step):
        off, size, flags = struct.unpack_from('<QII', b, descs + 24 * i)
        if what == 'kdump-desc-size' and flags & 0x27:
            struct.pack_into('<I', b, descs + 24 * i + 8, 5000)
        elif what == 'kdump-desc-offset':
            struct.pack_into('<Q', b, descs + 24 * i, len(b) * 16)
        elif what == 'kdump-page-data' and flags & 0x27:
            b[off:off + size] = bytes(x ^ 0x5a for x in b[off:off + size])
else:
    sys.exit('unknown damage ' + what)
open(path, 'wb').write(b)
