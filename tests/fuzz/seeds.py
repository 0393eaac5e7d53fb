#!/usr/bin/env python3
"""Pieces of a synthetic dump for the fuzzers' seed corpora (make-seeds.sh).

  seeds.py vmcoreinfo VMCORE OUT       the VMCOREINFO note of an ELF vmcore
  seeds.py decode VMCORE LAYOUT OUT N  LAYOUT's text, a NUL, then N struct
                                       pages of the dump's mem_map (the
                                       window with the most distinct pages
                                       in use): fuzz-decode's input
  seeds.py flat KDUMP OUT BYTES        the first BYTES of a kdump file as a
                                       makedumpfile flattened stream, its
                                       records out of order
  seeds.py kallsyms VMLINUX VMCORE TABLE PROC
                                       VMLINUX's symbols as the kernel's
                                       compressed table (fuzz-kallsyms's
                                       input: VMCORE's VMCOREINFO with the
                                       tables' SYMBOLs, a NUL, the memory)
                                       and as a /proc/kallsyms text
"""
import struct
import sys

PT_LOAD, PT_NOTE = 1, 4


def phdrs(img):
    if img[:4] != b"\x7fELF" or img[4] != 2:
        sys.exit("not an ELF64 file")
    phoff, = struct.unpack_from("<Q", img, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", img, 0x36)
    for i in range(phnum):
        p_type, _, p_offset, p_vaddr, p_paddr, p_filesz = struct.unpack_from(
            "<IIQQQQ", img, phoff + i * phentsize)
        yield p_type, p_offset, p_filesz


def vmcoreinfo(vmcore, out):
    img = open(vmcore, "rb").read()
    for p_type, off, size in phdrs(img):
        if p_type != PT_NOTE:
            continue
        pos, end = off, off + size
        while pos + 12 <= end:
            namesz, descsz, _ = struct.unpack_from("<III", img, pos)
            name = img[pos + 12:pos + 12 + namesz].rstrip(b"\0")
            desc = pos + 12 + ((namesz + 3) & ~3)
            if name == b"VMCOREINFO":
                open(out, "wb").write(img[desc:desc + descsz].rstrip(b"\0"))
                return
            pos = desc + ((descsz + 3) & ~3)
    sys.exit(vmcore + ": no VMCOREINFO note")


def layout_value(text, key):
    for line in text.decode().splitlines():
        words = line.split()
        if words and words[0] == key:
            return [int(w, 0) for w in words[1:]]
    sys.exit("layout has no " + key)


def decode(vmcore, layout, out, nr):
    img = open(vmcore, "rb").read()
    text = open(layout, "rb").read()
    sps = layout_value(text, "struct_page_size")[0]
    _, ref_off, _ = layout_value(text, "refcount")
    best, best_score = None, -1
    for p_type, off, size in phdrs(img):
        if p_type != PT_LOAD:
            continue
        for w in range(off, off + size - nr * sps + 1, nr * sps):
            pages = [img[w + i * sps:w + (i + 1) * sps] for i in range(nr)]
            used = {p for p in pages
                    if struct.unpack_from("<I", p, ref_off)[0] not in (0,)}
            if len(used) > best_score:
                best, best_score = w, len(used)
    open(out, "wb").write(text + b"\0" + img[best:best + nr * sps])


def flat(kdump, out, nbytes):
    data = open(kdump, "rb").read()[:nbytes]
    recs, pos, size = [], 0, 4096
    while pos < len(data):
        recs.append((pos, data[pos:pos + size]))
        pos += size
    recs = recs[1::2] + recs[0::2]     # out of order, as a pipe may have them
    hdr = b"makedumpfile".ljust(16, b"\0") + struct.pack(">qq", 1, 1)
    body = b"".join(struct.pack(">qq", o, len(d)) + d for o, d in recs)
    end = struct.pack(">qq", -1, -1)
    open(out, "wb").write(hdr.ljust(4096, b"\0") + body + end)


KALLSYMS_BASE = 0xffffffff82000000   # fuzz-kallsyms.c KALLSYMS_FUZZ_BASE


def kallsyms(vmlinux, vmcore, table_out, proc_out):
    """scripts/kallsyms.c's layout, v6.1+ (base-relative offsets, no
    absolute per-cpu symbols), with one token per character."""
    import subprocess
    nm = subprocess.run(["nm", "-n", vmlinux], capture_output=True,
                        text=True, check=True).stdout
    syms = []
    for line in nm.splitlines():
        w = line.split()
        if len(w) == 3:
            syms.append((int(w[0], 16), w[1], w[2]))
    base = min(a for a, _, _ in syms)
    tokens = b"".join(bytes([i]) + b"\0" for i in range(256))
    token_index = struct.pack("<256H", *[2 * i for i in range(256)])
    names = b""
    for _, t, n in syms:
        s = (t + n).encode()
        names += bytes([len(s)]) + s
    mem, at = b"", {}

    def put(name, blob):
        nonlocal mem
        mem += b"\0" * (-len(mem) % 8)
        at[name] = KALLSYMS_BASE + len(mem)
        mem += blob
    put("kallsyms_offsets",
        struct.pack("<%di" % len(syms), *[a - base for a, _, _ in syms]))
    put("kallsyms_relative_base", struct.pack("<Q", base))
    put("kallsyms_num_syms", struct.pack("<I", len(syms)))
    put("kallsyms_names", names)
    put("kallsyms_token_table", tokens)
    put("kallsyms_token_index", token_index)
    vmcoreinfo(vmcore, table_out)
    text = open(table_out, "rb").read()
    text += "".join("SYMBOL(%s)=%x\n" % (k, v) for k, v in at.items()).encode()
    open(table_out, "wb").write(text + b"\0" + mem)
    open(proc_out, "w").write("".join("%016x %s %s\n" % s for s in syms))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "vmcoreinfo":
        vmcoreinfo(sys.argv[2], sys.argv[3])
    elif cmd == "decode":
        decode(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
    elif cmd == "kallsyms":
        kallsyms(*sys.argv[2:6])
    elif cmd == "flat":
        flat(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        sys.exit(__doc__)
