#!/usr/bin/python3
"""Damage the kernel data of a synthetic ELF vmcore in place (x86-64,
4-level paging, SPARSEMEM_EXTREME vmemmap, as tests/vmcores/mkvmcore
writes it): mem_section and mem_map as a crash or a bit flip leaves them.
Everything is located the way pinscan does it, from the dump's own
VMCOREINFO: mem_section -> section_mem_map -> struct pages, page tables
from swapper_pg_dir. Usage: hostile-dump.py VMCORE WHAT, WHAT one of
  lru-cycle-1       the first LRU page's lru.next and lru.prev point at itself
  lru-cycle-2       the first two LRU pages point at each other only
  lru-cycle-big N   N struct pages from pfn 0x8000 on (128 MiB up) made LRU
                    pages linked into one cycle with no list head
  lru-noncanonical  the first LRU page's lru.next is 0x0000800000000000
  tail-noncanonical the first tail's compound_head is 0x00f0000000000001
  huge-order        the first head's order byte (page[1]) is 255
  memmap-ff         the struct pages of mem_map's first page that holds an
                    LRU page are all 0xff bytes
  section-garbage   section 1's section_mem_map: a non-canonical map with
                    the present and has-mem-map bits
  section-root-bad  mem_section's root pointer 0 points outside RAM"""
import struct
import sys

KERNEL_MAP = 0xffffffff80000000


class Dump:
    def __init__(self, path):
        self.path = path
        self.b = bytearray(open(path, 'rb').read())
        b = self.b
        phoff, = struct.unpack_from('<Q', b, 0x20)
        phnum, = struct.unpack_from('<H', b, 0x38)
        self.loads = []
        for i in range(phnum):
            t, _, off, _, paddr, filesz = struct.unpack_from(
                '<IIQQQQ', b, phoff + i * 56)
            if t == 1:
                self.loads.append((paddr, filesz, off))
            elif t == 4:
                self.vi = self.note_vmcoreinfo(off, filesz)
        self.maps = {}
        self.cr3 = self.symbol('swapper_pg_dir') - KERNEL_MAP + \
            self.number('phys_base')

    def note_vmcoreinfo(self, off, size):
        pos, b = off, self.b
        while pos + 12 <= off + size:
            namesz, descsz, _ = struct.unpack_from('<III', b, pos)
            desc = pos + 12 + ((namesz + 3) & ~3)
            if bytes(b[pos + 12:pos + 12 + namesz]).rstrip(b'\0') == b'VMCOREINFO':
                text = bytes(b[desc:desc + descsz]).decode()
                return dict(l.split('=', 1) for l in text.splitlines() if '=' in l)
            pos = desc + ((descsz + 3) & ~3)
        sys.exit('no VMCOREINFO')

    def symbol(self, name):
        return int(self.vi['SYMBOL(%s)' % name], 16)

    def number(self, name):
        return int(self.vi['NUMBER(%s)' % name], 0)

    def offset(self, name):
        return int(self.vi['OFFSET(%s)' % name])

    def file_off(self, phys):
        for paddr, size, off in self.loads:
            if paddr <= phys < paddr + size:
                return off + phys - paddr
        sys.exit('physical %#x is not in the dump' % phys)

    def phys_u64(self, phys):
        return struct.unpack_from('<Q', self.b, self.file_off(phys))[0]

    def virt_to_phys(self, va):
        if va >= KERNEL_MAP:
            return va - KERNEL_MAP + self.number('phys_base')
        table = self.cr3
        for level, shift in enumerate((39, 30, 21, 12)):
            e = self.phys_u64(table + ((va >> shift) & 511) * 8)
            if not e & 1:
                sys.exit('%#x is not mapped' % va)
            base = e & 0x000ffffffffff000
            if level in (1, 2) and e & 0x80:     # 1 GiB or 2 MiB page
                return (base & ~((1 << shift) - 1)) | (va & ((1 << shift) - 1))
            table = base
        return table | (va & 0xfff)

    def at(self, va):
        return self.file_off(self.virt_to_phys(va))

    def u64(self, va):
        return struct.unpack_from('<Q', self.b, self.at(va))[0]

    def put64(self, va, v):
        struct.pack_into('<Q', self.b, self.at(va), v)

    # mem_section (SPARSEMEM_EXTREME: an array of root pointers)
    def section_addr(self, nr):
        per_root = 4096 // int(self.vi['SIZE(mem_section)'])
        root = self.u64(self.symbol('mem_section') + 8 * (nr // per_root))
        return root + (nr % per_root) * int(self.vi['SIZE(mem_section)'])

    def page_addr(self, pfn):
        nr = pfn >> (self.number('SECTION_SIZE_BITS') - 12)
        if nr not in self.maps:
            self.maps[nr] = self.u64(self.section_addr(nr) +
                                     self.offset('mem_section.section_mem_map'))
        return (self.maps[nr] & ~0x3f) + pfn * int(self.vi['SIZE(page)'])

    def flags(self, pfn):
        return self.u64(self.page_addr(pfn) + self.offset('page.flags'))

    def find(self, test, start=0):
        """The first pfn of section 0 and up whose struct page passes."""
        for pfn in range(start, 1 << 20):
            try:
                if test(pfn):
                    return pfn
            except SystemExit:
                continue
        sys.exit('no such page')

    def save(self):
        open(self.path, 'wb').write(self.b)


def main():
    d = Dump(sys.argv[1])
    what = sys.argv[2]
    lru_bit = 1 << d.number('PG_lru')
    lru_off = d.offset('page.lru')
    head_mask = d.number('PG_head_mask')

    def is_lru(pfn):
        return d.flags(pfn) & lru_bit

    def lru(pfn):
        return d.page_addr(pfn) + lru_off

    if what == 'lru-cycle-1':
        p = d.find(is_lru)
        d.put64(lru(p), lru(p))
        d.put64(lru(p) + 8, lru(p))
    elif what == 'lru-cycle-2':
        p = d.find(is_lru)
        q = d.find(is_lru, p + 1)
        for a, b in ((p, q), (q, p)):
            d.put64(lru(a), lru(b))
            d.put64(lru(a) + 8, lru(b))
    elif what == 'lru-cycle-big':
        n, first = int(sys.argv[3]), 0x8000
        fl_off, page_off = d.offset('page.flags'), {}
        for i in range(first, first + n):
            nxt = first + (i - first + 1) % n
            prv = first + (i - first - 1) % n
            # One walk per page of mem_map (64 struct pages), not per pfn.
            pa = d.page_addr(i)
            if pa >> 12 not in page_off:
                page_off = {pa >> 12: d.at(pa & ~0xfff)}
            o = page_off[pa >> 12] + (pa & 0xfff)
            fl, = struct.unpack_from('<Q', d.b, o + fl_off)
            struct.pack_into('<Q', d.b, o + fl_off,
                             (fl | lru_bit) & ~head_mask)
            struct.pack_into('<QQ', d.b, o + lru_off, lru(nxt), lru(prv))
    elif what == 'lru-noncanonical':
        d.put64(lru(d.find(is_lru)), 0x0000800000000000)
    elif what == 'tail-noncanonical':
        p = d.find(lambda pfn: d.u64(d.page_addr(pfn) +
                                     d.offset('page.compound_head')) & 1)
        d.put64(d.page_addr(p) + d.offset('page.compound_head'),
                0x00f0000000000001)
    elif what == 'huge-order':
        p = d.find(lambda pfn: d.flags(pfn) & head_mask)
        o = d.at(d.page_addr(p + 1) + d.offset('page.compound_order'))
        d.b[o] = 255
    elif what == 'memmap-ff':
        p = d.find(is_lru)
        start = d.page_addr(p) & ~0xfff
        o = d.at(start)
        d.b[o:o + 4096] = b'\xff' * 4096
    elif what == 'section-garbage':
        a = d.section_addr(1) + d.offset('mem_section.section_mem_map')
        d.put64(a, 0x0000dead00000000 | 0x3)
    elif what == 'section-root-bad':
        d.put64(d.symbol('mem_section'), 0xffff8880fffff000)
    else:
        sys.exit(__doc__)
    d.save()


main()
