#!/usr/bin/python3
"""The pin-finding job as one writes it with drgn (bench/compare.sh's drgn column).

  DRGN_USE_LIBKDUMPFILE_FOR_ELF=1 /usr/bin/python3 bench/drgn-pins.py VMLINUX VMCORE

For every page (drgn.helpers.linux.mm.for_each_page): its flags, _refcount and, for a
compound head, the folio's exact pin count (page[1].compound_pincount up to 6.5,
folio->_pincount from 6.6, whichever the kernel's DWARF has); a small page is pinned when
_refcount >= GUP_PIN_COUNTING_BIAS (1024), as tests/vmcores/CONTRACT.md decides.  Prints
the number of pages seen and of pinned pages.  This is the idiomatic drgn way (objects and
helpers), not a bulk reader: tests/vmcores/real/drgn-count.py is the fast one, used for
ground truth.  (drgn 0.0.22's own ELF reader fails on QEMU's dumps with "recursive address
translation"; libkdumpfile reads them, hence the variable, set here when missing.)
"""
import os
import sys

os.environ.setdefault("DRGN_USE_LIBKDUMPFILE_FOR_ELF", "1")

from drgn import FaultError, Program, cast  # noqa: E402
from drgn.helpers.linux.mm import PageHead, PageTail, for_each_page  # noqa: E402

GUP_PIN_COUNTING_BIAS = 1024


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    prog = Program()
    prog.set_core_dump(sys.argv[2])
    prog.load_debug_info([sys.argv[1]])
    has_folio_pincount = has_member(prog, "struct folio", "_pincount")
    has_compound_pincount = has_member(prog, "struct page", "compound_pincount")
    pages = pinned = 0
    for page in for_each_page(prog):
        try:
            page.flags.value_()
            refcount = page._refcount.counter.value_() & 0xFFFFFFFF
            pages += 1
            if PageTail(page):
                continue
            if PageHead(page):
                if has_folio_pincount:
                    count = cast("struct folio *", page)._pincount.counter.value_()
                    if count > 0:
                        pinned += 1
                    continue
                if has_compound_pincount:
                    count = (page + 1).compound_pincount.counter.value_()
                    if count > 0:
                        pinned += 1
                    continue
            if refcount >= GUP_PIN_COUNTING_BIAS:
                pinned += 1
        except FaultError:
            continue
    print("drgn-pins: %d pages, %d pinned" % (pages, pinned))


def has_member(prog, type_name, name):
    """Whether the type has the member, also inside anonymous unions and structs."""
    try:
        prog.type(type_name).member(name)
        return True
    except LookupError:
        return False


if __name__ == "__main__":
    main()
