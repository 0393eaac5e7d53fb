#!/usr/bin/python3
"""Independent reader of a dump's struct pages, with Debian's python3-drgn (0.0.22).

  DRGN_USE_LIBKDUMPFILE_FOR_ELF=1 /usr/bin/python3 drgn-count.py [--pins] VMLINUX VMCORE

(drgn's own ELF reader fails on QEMU dumps with "recursive address translation"; libkdumpfile reads
them. The variable is set here too when missing.)

Walks every pfn of every present mem_section (section_mem_map has SECTION_HAS_MEM_MAP) and prints
JSON with the counts of tests/vmcores/CONTRACT.md:
  pages, missing, lru, head, tail, buddy, slab
plus refcount_ge_1024 (non-tail pages whose _refcount, as unsigned 32-bit, is >= 1024).
With --pins it also applies CONTRACT.md's FOLL_PIN rules and prints the "pinned" list it finds,
and "refcount_ge_1024_pages" (pfn, refcount, mapcount, flags of each such page).

Everything layout-related comes from drgn's type info (DWARF): sizeof/offsetof of struct page and
struct folio, PG_* from enum pageflags, SECTION_* from the kernel's enum, PGTY_* from enum pagetype
where the kernel has it. Struct pages are read in bulk (one prog.read per section's mem_map) and
decoded with those offsets.
"""
import json
import os
import struct
import sys
import time

os.environ.setdefault("DRGN_USE_LIBKDUMPFILE_FOR_ELF", "1")

import drgn  # noqa: E402
from drgn import FaultError, Program, offsetof  # noqa: E402

GUP_PIN_COUNTING_BIAS = 1024


def const(prog, name, default=None):
    try:
        return prog[name].value_()
    except (KeyError, LookupError):
        return default


def has_member(t, name):
    try:
        t.member(name)
        return True
    except LookupError:
        return False


def kernel_vmcoreinfo(prog):
    """The VMCOREINFO text from the kernel's own buffer (not from the dump's note)."""
    try:
        size = prog["vmcoreinfo_size"].value_()
        data = prog.read(prog["vmcoreinfo_data"].value_(), size)
    except (KeyError, LookupError, FaultError):
        return {}
    out = {}
    for line in data.decode("latin-1").splitlines():
        if "=" in line:
            k, v = line.split("=", 1)
            out[k] = v
    return out


def verify_with_helpers(prog, sections, pps, n, PG_slab, PGTY_slab, is_buddy, cache):
    """Re-read up to n sampled pages with drgn's object access and helpers (pfn_to_page, PageLRU,
    PageHead, PageTail, page->_refcount, page->page_type) and compare with the bulk decoding."""
    from drgn.helpers.linux.mm import PageHead, PageLRU, PageTail, pfn_to_page
    pfns = sorted(cache)[:: max(1, len(cache) // n)][:n]
    bad = []
    for pfn in pfns:
        page = pfn_to_page(prog, pfn)
        lru, head, tail, ref, pt = cache[pfn]
        got = (int(bool(PageLRU(page))), int(bool(PageHead(page))), int(bool(PageTail(page))),
               page._refcount.counter.value_() & 0xFFFFFFFF, page.page_type.value_() & 0xFFFFFFFF)
        # PageTail() is also true for the first tail of a folio via PG_head tricks on some kernels:
        # compare the raw compound_head bit only.
        got = (got[0], got[1], page.compound_head.value_() & 1, got[3], got[4])
        if got != (lru, head, tail, ref, pt):
            bad.append(dict(pfn=pfn, bulk=(lru, head, tail, ref, pt), helpers=got))
    return dict(sampled=len(pfns), mismatches=bad[:20], nr_mismatches=len(bad))


def main():
    args = sys.argv[1:]
    pins = "--pins" in args
    verify = 0
    for a in args:
        if a.startswith("--verify="):
            verify = int(a.split("=", 1)[1])
    args = [a for a in args if not a.startswith("--")]
    if len(args) != 2:
        raise SystemExit(__doc__)
    vmlinux, vmcore = args
    t0 = time.time()
    prog = Program()
    prog.set_core_dump(vmcore)
    prog.load_debug_info([vmlinux])

    page_t = prog.type("struct page")
    psize = page_t.size
    page_size = prog["PAGE_SIZE"].value_() if const(prog, "PAGE_SIZE") else 4096
    vmci = kernel_vmcoreinfo(prog)
    section_size_bits = int(vmci.get("NUMBER(SECTION_SIZE_BITS)", 27))
    page_shift = page_size.bit_length() - 1
    pages_per_section = 1 << (section_size_bits - page_shift)

    off_flags = offsetof(page_t, "flags")
    off_first = 8  # compound_head / lru.next: the word after flags
    try:
        off_first = offsetof(page_t, "compound_head")
    except LookupError:
        pass
    off_mapcount = offsetof(page_t, "_mapcount")
    off_refcount = offsetof(page_t, "_refcount")

    PG_lru = const(prog, "PG_lru")
    PG_head = const(prog, "PG_head")
    PG_slab = const(prog, "PG_slab")  # None from 6.10 on

    # page_type encoding
    PGTY_buddy = const(prog, "PGTY_buddy")  # enum pagetype (6.12)
    PGTY_slab = const(prog, "PGTY_slab")
    if PGTY_buddy is not None:
        era_types = "pagetype-enum"

        def is_buddy(pt):
            return pt >> 24 == PGTY_buddy

        def is_typed(pt):
            # page_mapcount_is_type(): (int)(pt + 1) < PAGE_MAPCOUNT_RESERVE (~0x0000ffff)
            s = pt - (1 << 32) if pt & 0x80000000 else pt
            return s + 1 < -0x10000
    else:
        era_types = "page_type-base-0xf0000000"

        def is_buddy(pt):
            return (pt & (0xF0000000 | 0x80)) == 0xF0000000

        def is_typed(pt):
            # page_has_type(): (int)page_type < PAGE_MAPCOUNT_RESERVE (-128)
            s = pt - (1 << 32) if pt & 0x80000000 else pt
            return s < -128

    # pin era (from DWARF, CONTRACT.md)
    folio_t = None
    try:
        folio_t = prog.type("struct folio")
    except LookupError:
        pass
    if has_member(page_t, "compound_pincount"):
        pin_era = "compound-pincount"  # 6.1
        min_exact_order = 1
        off_order1 = offsetof(page_t, "compound_order")  # in page[1]
        off_pin1 = offsetof(page_t, "compound_pincount")  # in page[1]
    elif has_member(page_t, "hpage_pinned_refcount"):
        pin_era = "hpage-pinned-refcount"  # 5.10
        min_exact_order = 2
        off_order1 = offsetof(page_t, "compound_order")
        off_pin1 = psize + offsetof(page_t, "hpage_pinned_refcount")  # page[2], relative to page[1]
    elif folio_t is not None and has_member(folio_t, "_pincount"):
        pin_era = "folio-pincount"  # 6.6+ (6.12)
        min_exact_order = 1
        off_order1 = offsetof(folio_t, "_flags_1") - psize if has_member(folio_t, "_flags_1") else 0
        off_pin1 = offsetof(folio_t, "_pincount") - psize
    else:
        pin_era = "refcount-only"
        min_exact_order = 99
        off_order1 = offsetof(page_t, "compound_order") if has_member(page_t, "compound_order") else None
        off_pin1 = None

    # mem_section walk
    ms_t = prog.type("struct mem_section")
    last_bit = const(prog, "SECTION_MAP_LAST_BIT", 5)
    has_mem_map = 1 << const(prog, "SECTION_HAS_MEM_MAP_BIT", 1)
    map_mask = ~((1 << last_bit) - 1) & 0xFFFFFFFFFFFFFFFF
    mem_section = prog["mem_section"]
    extreme = mem_section.type_.kind == drgn.TypeKind.POINTER
    sections_per_root = page_size // ms_t.size if extreme else mem_section.type_.length
    highest = const(prog, "__highest_present_section_nr")
    if highest is None:
        nr_roots = int(vmci.get("LENGTH(mem_section)", 1))
        highest = nr_roots * sections_per_root - 1

    rec = struct.Struct("<%dx" % psize)  # placeholder for size checks
    del rec

    counts = dict(pages=0, missing=0, lru=0, head=0, tail=0, buddy=0, slab=0, refcount_ge_1024=0)
    pinned = []
    ref_pages = []
    present_sections = []
    roots = {}
    sample_cache = {}
    for nr in range(highest + 1):
        if extreme:
            r = nr // sections_per_root
            if r not in roots:
                roots[r] = mem_section[r].value_()
            if not roots[r]:
                continue
            ms_addr = roots[r] + (nr % sections_per_root) * ms_t.size
        else:
            ms_addr = mem_section[nr // sections_per_root][nr % sections_per_root].address_
        smm = prog.read_u64(ms_addr + offsetof(ms_t, "section_mem_map"))
        if not smm & has_mem_map:
            continue
        present_sections.append(nr)
        start_pfn = nr * pages_per_section
        base = (smm & map_mask) + start_pfn * psize  # address of the section's first struct page
        nbytes = pages_per_section * psize
        try:
            data = prog.read(base, nbytes)
            present = None
        except FaultError:
            # read what is there, one page of struct pages at a time
            buf = bytearray(nbytes)
            present = bytearray(pages_per_section)
            step = page_size
            for off in range(0, nbytes, step):
                try:
                    buf[off:off + step] = prog.read(base + off, step)
                    for i in range(off // psize, min(pages_per_section, (off + step) // psize)):
                        present[i] = 1
                except FaultError:
                    pass
            data = bytes(buf)
        mv = memoryview(data)
        for i in range(pages_per_section):
            if present is not None and not present[i]:
                counts["missing"] += 1
                continue
            o = i * psize
            flags = int.from_bytes(mv[o + off_flags:o + off_flags + 8], "little")
            first = int.from_bytes(mv[o + off_first:o + off_first + 8], "little")
            pt = int.from_bytes(mv[o + off_mapcount:o + off_mapcount + 4], "little")
            ref = int.from_bytes(mv[o + off_refcount:o + off_refcount + 4], "little")
            counts["pages"] += 1
            if verify and (start_pfn + i) % 97 == 0:
                sample_cache[start_pfn + i] = (flags >> PG_lru & 1, flags >> PG_head & 1, first & 1, ref, pt)
            if flags >> PG_lru & 1:
                counts["lru"] += 1
            head = flags >> PG_head & 1
            if head:
                counts["head"] += 1
            is_tail = first & 1
            if is_tail:
                counts["tail"] += 1
            if is_buddy(pt):
                counts["buddy"] += 1
            if (PG_slab is not None and flags >> PG_slab & 1) or (PGTY_slab is not None and pt >> 24 == PGTY_slab):
                counts["slab"] += 1
            if is_tail:
                continue
            pfn = start_pfn + i
            mapcount = 0 if is_typed(pt) else (pt - (1 << 32) if pt & 0x80000000 else pt) + 1
            if ref >= GUP_PIN_COUNTING_BIAS:
                counts["refcount_ge_1024"] += 1
                if pins:
                    ref_pages.append(dict(pfn=pfn, refcount=ref, mapcount=mapcount, flags="0x%x" % flags,
                                          head=bool(head)))
            if not pins:
                continue
            order = 0
            if head and i + 1 < pages_per_section and off_order1 is not None:
                o1 = o + psize
                order = mv[o1 + off_order1]
                if order >= min_exact_order and off_pin1 is not None:
                    cnt = int.from_bytes(mv[o1 + off_pin1:o1 + off_pin1 + 4], "little", signed=True)
                    if cnt > 0:
                        pinned.append(dict(pfn=pfn, nr_pages=1 << order, how=pin_era, pincount=cnt,
                                           confidence="exact", refcount=ref))
                    continue
            if ref >= GUP_PIN_COUNTING_BIAS:
                conf = "likely" if ref - max(mapcount, 0) >= GUP_PIN_COUNTING_BIAS else "possible"
                pinned.append(dict(pfn=pfn, nr_pages=1 << order, how="refcount-bias",
                                   pincount=ref // GUP_PIN_COUNTING_BIAS, confidence=conf, refcount=ref,
                                   mapcount=mapcount))

    verified = None
    if verify:
        verified = verify_with_helpers(prog, present_sections, pages_per_section, verify, PG_slab, PGTY_slab,
                                       is_buddy, sample_cache)
    out = dict(
        kernel=vmci.get("OSRELEASE") or prog["UTS_RELEASE"].string_().decode(),
        summary={k: counts[k] for k in ("pages", "missing", "lru", "head", "tail", "buddy", "slab")},
        refcount_ge_1024=counts["refcount_ge_1024"],
        layout=dict(sizeof_page=psize, off_flags=off_flags, off_first=off_first, off_mapcount=off_mapcount,
                    off_refcount=off_refcount, PG_lru=PG_lru, PG_head=PG_head, PG_slab=PG_slab,
                    PGTY_buddy=PGTY_buddy, PGTY_slab=PGTY_slab, page_type_encoding=era_types,
                    pin_era=pin_era, off_order_in_page1=off_order1, off_pincount_in_page1=off_pin1,
                    section_size_bits=section_size_bits, pages_per_section=pages_per_section,
                    section_map_last_bit=last_bit, has_mem_map_bit=has_mem_map.bit_length() - 1),
        present_sections=present_sections,
        seconds=round(time.time() - t0, 2),
    )
    if verified is not None:
        out["verified_with_drgn_helpers"] = verified
    if pins:
        out["pinned"] = pinned
        out["pinned_pages"] = sum(p["nr_pages"] for p in pinned)
        out["refcount_ge_1024_pages"] = ref_pages
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
