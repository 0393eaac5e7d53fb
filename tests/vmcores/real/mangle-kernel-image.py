#!/usr/bin/python3
"""Corrupt part of the kernel image inside a copy of an ELF vmcore, in place.

  mangle-kernel-image.py DUMP VMCOREINFO VMLINUX WHAT

WHAT is one of
  btf-magic       the BTF header's magic (__start_BTF) zeroed: not BTF at all;
  btf-strings     the header's str_len made larger than the section: truncated BTF;
  kallsyms-names  4 KiB in the middle of kallsyms_names overwritten (the first 256 of a small one):
                  a table that does not decode.
Kernel-image addresses come from VMCOREINFO (SYMBOL(), KERNELOFFSET) and the vmlinux's symbol
table; the physical address is vaddr - __START_KERNEL_map + phys_base (x86-64), and the file
offset that of the PT_LOAD holding it."""
import re
import struct
import subprocess
import sys

START_KERNEL_MAP = 0xffffffff80000000


def vmcoreinfo(path):
    text = open(path).read()
    syms = {m.group(1): int(m.group(2), 16) for m in re.finditer(r"^SYMBOL\((\w+)\)=([0-9a-f]+)$", text, re.M)}
    num = {m.group(1): int(m.group(2)) for m in re.finditer(r"^NUMBER\((\w+)\)=(-?\d+)$", text, re.M)}
    m = re.search(r"^KERNELOFFSET=([0-9a-f]+)$", text, re.M)
    return syms, num, int(m.group(1), 16) if m else 0


def link_address(vmlinux, name):
    out = subprocess.run(["nm", vmlinux], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == name:
            return int(parts[0], 16)
    raise SystemExit("%s: no symbol %s" % (vmlinux, name))


def file_offset(dump, paddr):
    with open(dump, "rb") as f:
        eh = f.read(64)
        phoff, = struct.unpack_from("<Q", eh, 32)
        phentsize, phnum = struct.unpack_from("<HH", eh, 54)
        for i in range(phnum):
            f.seek(phoff + i * phentsize)
            p_type, _, p_offset, _, p_paddr, p_filesz = struct.unpack("<IIQQQQ", f.read(40))
            if p_type == 1 and p_paddr <= paddr < p_paddr + p_filesz:
                return p_offset + paddr - p_paddr
    raise SystemExit("%s: physical %#x is in no PT_LOAD" % (dump, paddr))


def main():
    dump, vmci, vmlinux, what = sys.argv[1:5]
    syms, num, kaslr = vmcoreinfo(vmci)

    def offset_of(vaddr):
        return file_offset(dump, vaddr - START_KERNEL_MAP + num["phys_base"])

    with open(dump, "r+b") as f:
        if what.startswith("btf-"):
            off = offset_of(link_address(vmlinux, "__start_BTF") + kaslr)
            f.seek(off)
            hdr = f.read(24)
            magic, = struct.unpack_from("<H", hdr, 0)
            if magic != 0xeb9f:
                raise SystemExit("no BTF magic at __start_BTF (%#x)" % magic)
            f.seek(off)
            if what == "btf-magic":
                f.write(b"\0\0")
            elif what == "btf-strings":
                f.seek(off + 20)    # btf_header.str_len
                f.write(struct.pack("<I", 0x7fffffff))
            else:
                raise SystemExit("unknown WHAT " + what)
        elif what == "kallsyms-names":
            # 4 KiB at 256 KiB into the table (a distribution kernel's is
            # over a megabyte); a small (synthetic) table, reserved larger
            # than it is used: its first 256 bytes. The table ends where
            # kallsyms_token_table starts.
            size = syms["kallsyms_token_table"] - syms["kallsyms_names"]
            at, length = (0x40000, 4096) if size > 0x40000 + 4096 else (0, 256)
            f.seek(offset_of(syms["kallsyms_names"]) + at)
            f.write(b"\xff" * length)
        else:
            raise SystemExit("unknown WHAT " + what)


main()
