#!/usr/bin/python3
"""Helpers of build-fixture.sh (standard library only; run with Debian's /usr/bin/python3).

  fixture-helper.py dump QMP_SOCKET ELF_OUT FLAT_OUT
      stop the guest, dump-guest-memory (paging: false) to ELF, then format kdump-zlib
      (QEMU 7.2 writes it in makedumpfile's flattened form), then quit QEMU.
      Prints one JSON line with the timings.
  fixture-helper.py elfinfo VMCORE
      prints the program headers of an ELF dump and the names of its notes.
  fixture-helper.py vmcoreinfo VMCORE
      prints the VMCOREINFO note text of an ELF dump.
  fixture-helper.py reassemble FLAT OUT
      turns a flattened kdump (makedumpfile -F / QEMU <= 8.1 kdump-*) into the ordinary
      kdump-compressed file (what `makedumpfile -R` does).
  fixture-helper.py fill-uts KDUMP RELEASE
      patches, in place, the empty utsname fields of a (reassembled) kdump header that QEMU
      leaves empty (it sets only machine): libkdumpfile 0.5.1 ignores a utsname with any empty
      field and then has no arch.name, so drgn cannot open the file. Use on a scratch copy only.
  fixture-helper.py kdumpinfo VMCORE.KDUMP
      prints the flattened header, the disk_dump_header (utsname: machine...) and the
      kdump sub-header of a flattened kdump-compressed file.
"""
import json
import os
import socket
import struct
import sys
import time


class QMP:
    def __init__(self, path, timeout=600):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(timeout)
        self.s.connect(path)
        self.buf = b""
        greeting = self.recv()
        if "QMP" not in greeting:
            raise RuntimeError("no QMP greeting: %r" % greeting)
        self.cmd("qmp_capabilities")

    def recv(self):
        while b"\n" not in self.buf:
            data = self.s.recv(65536)
            if not data:
                raise RuntimeError("QMP connection closed")
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def cmd(self, name, **args):
        msg = {"execute": name}
        if args:
            msg["arguments"] = args
        self.s.sendall(json.dumps(msg).encode() + b"\n")
        while True:
            r = self.recv()
            if "event" in r:
                continue
            if "error" in r:
                raise RuntimeError("QMP %s failed: %s" % (name, r["error"]))
            return r.get("return")


def cmd_dump(sock, elf_out, flat_out):
    q = QMP(sock)
    times = {}
    q.cmd("stop")
    for path, fmt in ((elf_out, "elf"), (flat_out, "kdump-zlib")):
        if os.path.exists(path):
            os.unlink(path)
        t = time.time()
        q.cmd("dump-guest-memory", paging=False, protocol="file:" + os.path.abspath(path), format=fmt)
        times[fmt] = round(time.time() - t, 2)
    try:
        q.cmd("quit")
    except (RuntimeError, OSError):
        pass
    print(json.dumps(times))


def elf_read(path):
    f = open(path, "rb")
    eh = f.read(64)
    if eh[:4] != b"\x7fELF" or eh[4] != 2:
        raise SystemExit("%s: not an ELF64 file" % path)
    e_phoff, = struct.unpack_from("<Q", eh, 0x20)
    e_phentsize, e_phnum = struct.unpack_from("<HH", eh, 0x36)
    phdrs = []
    for i in range(e_phnum):
        f.seek(e_phoff + i * e_phentsize)
        p_type, p_flags, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align = struct.unpack(
            "<IIQQQQQQ", f.read(56))
        phdrs.append(dict(type=p_type, flags=p_flags, offset=p_offset, vaddr=p_vaddr, paddr=p_paddr,
                          filesz=p_filesz, memsz=p_memsz, align=p_align))
    return f, phdrs


def elf_notes(f, phdrs):
    for p in phdrs:
        if p["type"] != 4:
            continue
        f.seek(p["offset"])
        data = f.read(p["filesz"])
        off = 0
        while off + 12 <= len(data):
            namesz, descsz, ntype = struct.unpack_from("<III", data, off)
            off += 12
            name = data[off:off + namesz].rstrip(b"\0").decode("latin-1")
            off += (namesz + 3) & ~3
            desc = data[off:off + descsz]
            off += (descsz + 3) & ~3
            yield name, ntype, desc


def cmd_elfinfo(path):
    f, phdrs = elf_read(path)
    types = {1: "LOAD", 4: "NOTE"}
    for p in phdrs:
        print("%-5s offset=0x%x vaddr=0x%x paddr=0x%x filesz=0x%x memsz=0x%x flags=%d align=%d" % (
            types.get(p["type"], str(p["type"])), p["offset"], p["vaddr"], p["paddr"], p["filesz"],
            p["memsz"], p["flags"], p["align"]))
    for name, ntype, desc in elf_notes(f, phdrs):
        print("note %s type=%d size=%d" % (name, ntype, len(desc)))


def cmd_vmcoreinfo(path):
    f, phdrs = elf_read(path)
    for name, ntype, desc in elf_notes(f, phdrs):
        if name == "VMCOREINFO":
            sys.stdout.write(desc.rstrip(b"\0").decode("latin-1"))
            return
    raise SystemExit("%s: no VMCOREINFO note" % path)


def cmd_reassemble(src, dst):
    f = open(src, "rb")
    head = f.read(4096)
    if not head.startswith(b"makedumpfile\0"):
        raise SystemExit("%s: not a flattened dump" % src)
    typ, ver = struct.unpack_from(">qq", head, 16)
    if typ != 1:
        raise SystemExit("%s: flat header type %d, want 1" % (src, typ))
    tmp = dst + ".tmp"
    out = open(tmp, "wb")
    records = 0
    while True:
        h = f.read(16)
        if len(h) < 16:
            raise SystemExit("%s: truncated (no end record)" % src)
        off, size = struct.unpack(">qq", h)
        if off == -1 and size == -1:
            break
        if off < 0 or size < 0:
            raise SystemExit("%s: bad record offset=%d size=%d" % (src, off, size))
        data = f.read(size)
        if len(data) != size:
            raise SystemExit("%s: truncated record" % src)
        out.seek(off)
        out.write(data)
        records += 1
    out.close()
    os.rename(tmp, dst)
    print("%d records" % records)


def cmd_fill_uts(path, release):
    f = open(path, "r+b")
    dh = f.read(12 + 6 * 65)
    if dh[:8] != b"KDUMP   ":
        raise SystemExit("%s: not a kdump-compressed file" % path)
    values = [b"Linux", b"qemu-guest", release.encode(), b"#1", None, None]
    for i, v in enumerate(values):
        cur = dh[12 + 65 * i: 12 + 65 * (i + 1)]
        if v is not None and not cur.split(b"\0")[0]:
            f.seek(12 + 65 * i)
            f.write(v[:64].ljust(65, b"\0"))
    f.close()


class KdumpReader:
    """Random access to a kdump-compressed file, flattened or not."""

    def __init__(self, path):
        self.f = open(path, "rb")
        head = self.f.read(4096)
        self.flat = head.startswith(b"makedumpfile\0")
        self.records = []
        if self.flat:
            self.flat_type, self.flat_version = struct.unpack_from(">qq", head, 16)
            pos = 4096
            while True:
                self.f.seek(pos)
                off, size = struct.unpack(">qq", self.f.read(16))
                if off == -1:
                    break
                self.records.append((off, size, pos + 16))
                pos += 16 + size

    def read(self, off, size):
        if not self.flat:
            self.f.seek(off)
            return self.f.read(size)
        out = bytearray(size)
        for roff, rsize, fpos in self.records:
            lo, hi = max(off, roff), min(off + size, roff + rsize)
            if lo < hi:
                self.f.seek(fpos + lo - roff)
                out[lo - off:hi - off] = self.f.read(hi - lo)
        return bytes(out)


def cmd_kdumpinfo(path):
    k = KdumpReader(path)
    print("flattened: %s" % k.flat)
    if k.flat:
        print("flat header: signature='makedumpfile' type=%d version=%d, %d data records, first at "
              "offset %d size %d" % (k.flat_type, k.flat_version, len(k.records), k.records[0][0],
                                     k.records[0][1]))
    dh = k.read(0, 464)
    print("disk_dump_header.signature=%r" % dh[:8])
    header_version, = struct.unpack_from("<i", dh, 8)
    print("header_version=%d" % header_version)
    names = ["sysname", "nodename", "release", "version", "machine", "domainname"]
    for i, n in enumerate(names):
        print("utsname.%s=%r" % (n, dh[12 + 65 * i: 12 + 65 * (i + 1)].split(b"\0")[0].decode("latin-1")))
    # utsname ends at 402; struct timeval (8-aligned) at 408..424; then 10 x 32-bit fields
    fields = struct.unpack_from("<10i", dh, 424)
    fn = ["status", "block_size", "sub_hdr_size", "bitmap_blocks", "max_mapnr", "total_ram_blocks",
          "device_blocks", "written_blocks", "current_cpu", "nr_cpus"]
    h = dict(zip(fn, fields))
    for n in fn:
        print("%s=%d" % (n, h[n]))
    # kdump_sub_header at block 1
    bs = h["block_size"]
    sub = k.read(bs, 112)
    sf = struct.unpack_from("<QiiQQqQqQqQQQQ", sub, 0)
    sn = ["phys_base", "dump_level", "split", "start_pfn", "end_pfn", "offset_vmcoreinfo",
          "size_vmcoreinfo", "offset_note", "size_note", "offset_eraseinfo", "size_eraseinfo",
          "start_pfn_64", "end_pfn_64", "max_mapnr_64"]
    for n, v in zip(sn, sf):
        print("sub.%s=%s" % (n, hex(v) if n.startswith(("offset", "phys")) else v))
    sd = dict(zip(sn, sf))
    print("layout: header block 0, sub header block 1 (%d blocks), 1st bitmap at block %d, 2nd at %d, "
          "page descriptors at block %d" % (h["sub_hdr_size"], 1 + h["sub_hdr_size"],
                                            1 + h["sub_hdr_size"] + h["bitmap_blocks"] // 2,
                                            1 + h["sub_hdr_size"] + h["bitmap_blocks"]))
    if sd["size_vmcoreinfo"]:
        vi = k.read(sd["offset_vmcoreinfo"], sd["size_vmcoreinfo"])
        print("vmcoreinfo in file: %d bytes, starts %r" % (len(vi), vi[:40]))


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    cmd, args = sys.argv[1], sys.argv[2:]
    {"dump": cmd_dump, "elfinfo": cmd_elfinfo, "vmcoreinfo": cmd_vmcoreinfo,
     "kdumpinfo": cmd_kdumpinfo, "reassemble": cmd_reassemble,
     "fill-uts": cmd_fill_uts}[cmd](*args)


if __name__ == "__main__":
    main()
