#!/usr/bin/python3
"""The RFC kernel's struct page against the synthetic 4.19 + RFC era, member by member.

  layout-vs-era.py PINSCAN RFC_VMLINUX ERA_VMLINUX...

For each synthetic era vmlinux (tests/vmcores/eras/4.19-rfc1.c, 4.19-rfc2.c, made by mkvmcore):
  1. `pinscan layout -s` on both: every struct page field pinscan resolves must be equal
     (offset and size); the keys that may differ are listed in EXPLAINED with the reason, and
     are printed; any other difference fails.
  2. drgn's offsetof/sizeof of the struct page members the RFC and pinscan's RFC rules rely on,
     read from each DWARF: must be equal (memcg_data is 4.19's mem_cgroup, renamed in v5.11).
Exit 0 when everything matches, 1 otherwise (each difference on stdout).
"""
import os
import subprocess
import sys
import tempfile

os.environ.setdefault("DRGN_USE_LIBKDUMPFILE_FOR_ELF", "1")

# pinscan layout keys that are struct page's (offset, size) or derived from it: must be equal.
PAGE_KEYS = ("page_size", "struct_page_size", "flags", "compound_head", "lru", "refcount",
             "mapcount", "mapping", "index", "private_", "list_next_off", "list_prev_off",
             "order_kind", "order", "pin_scheme", "rfc_flags", "rfc_count", "tail_refcount_overlaid")
# Keys that differ between 4.19 and 6.1 for reasons other than the RFC.
EXPLAINED = {
    "build-id": "another kernel",
    "source": "another file",
    "release": "another kernel",
    "rfc_pin_mask": "not in the DWARF: --rfc-pin-bit (1 here)",
    "large_pin_kind": "6.1 counts large folios' pins in page[1].compound_pincount (FOLL_PIN, v5.7; "
                      "moved to page[1] in v6.0, commit 5232c63f46fd); the RFC port keeps it, 4.19 has none",
    "large_pin": "see large_pin_kind",
    "large_pin_min_order": "see large_pin_kind",
    "nr_pages": "6.1's struct folio has _folio_nr_pages (page[1]); 4.19 has no folio",
    "unevictable_unlisted": "6.1 keeps unevictable pages on no list (mlock_count in lru.prev, v5.18); 4.19 "
                            "links them on the unevictable LRU",
    "page_type_base": "page_type encoding constants, not struct page's layout",
    "pg_buddy": "page_type encoding constants, not struct page's layout",
}
EXPLAINED_PREFIXES = {
    "pg_": "enum pageflags numbering differs between 4.19 and 6.1 (each read from its own DWARF)",
    "nr_pageflags": "enum pageflags",
    "flag ": "enum pageflags",
    "zone": "struct zone / config (CMA, zones), not struct page",
    "pgdat_": "struct pglist_data, not struct page",
    "migrate_cma": "enum migratetype / CONFIG_CMA",
    "section": "mem_section / SECTION_* bits (4.19 and 6.1 differ: SECTION_IS_ONLINE etc.)",
    "mem_section": "struct mem_section: 32 bytes in 4.19 (section_mem_map, pageblock_flags, page_ext, pad), 16 in 6.1 (section_mem_map, usage: v5.3)",
    "pageblock": "pageblock bitmap location (mem_section_usage since v5.3)",
    "nr_pageblock_bits": "pageblock bits",
    "sparsemem_extreme": "config",
    "max_physmem_bits": "config (5-level paging in 6.1)",
    "pgty_": "6.12's enum pagetype, absent from both",
    "ow.": "the owners' structs (task_struct, vm_area_struct, io_uring ...), not struct page; "
           "the synthetic 4.19 eras define none",
    "nr_foll_pin_": "the FOLL_PIN node stats (v5.7): 6.1 has them, 4.19 none",
    "nr_node_stat_items": "enum node_stat_item: read only where it has the FOLL_PIN items (6.1, not 4.19)",
    "nodestat_diff": "struct per_cpu_nodestat: kept only with the FOLL_PIN items (6.1, not 4.19)",
    "per_cpu_nodestat_size": "struct per_cpu_nodestat: kept only with the FOLL_PIN items (6.1, not 4.19)",
    "sym_": "link-time addresses of per-cpu variables: another kernel image",
}
# struct page members through drgn: (name in 6.1, name in 4.19).
MEMBERS = (("flags", "flags"), ("lru", "lru"), ("dma_pinned_flags", "dma_pinned_flags"),
           ("dma_pinned_count", "dma_pinned_count"), ("compound_head", "compound_head"),
           ("compound_dtor", "compound_dtor"), ("compound_order", "compound_order"),
           ("compound_mapcount", "compound_mapcount"), ("mapping", "mapping"), ("index", "index"),
           ("private", "private"), ("_mapcount", "_mapcount"), ("page_type", "page_type"),
           ("_refcount", "_refcount"), ("memcg_data", "mem_cgroup"))


def layout(pinscan, vmlinux):
    with tempfile.NamedTemporaryFile(suffix=".layout") as f:
        subprocess.run([pinscan, "layout", "-s", vmlinux, "-o", f.name], check=True)
        out = {}
        for line in open(f.name):
            w = line.rstrip("\n").split(" ")
            if w[0] == "flag":
                out["flag " + w[1]] = " ".join(w[2:])
            elif len(w) > 1:
                out[w[0]] = " ".join(w[1:])
        return out


def explained(key):
    if key in EXPLAINED:
        return EXPLAINED[key]
    for p, why in EXPLAINED_PREFIXES.items():
        if key.startswith(p):
            return why
    return None


def members(vmlinux, names):
    import drgn
    from drgn import offsetof, sizeof
    prog = drgn.Program()
    prog.load_debug_info([vmlinux])
    page_t = prog.type("struct page")
    out = {"sizeof": page_t.size}
    for n in names:
        try:
            out[n] = (offsetof(page_t, n), sizeof(page_t.member(n).type))
        except LookupError:
            out[n] = None
    return out


def main():
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    pinscan, rfc, eras = sys.argv[1], sys.argv[2], sys.argv[3:]
    bad = 0
    got = layout(pinscan, rfc)
    got_m = members(rfc, [a for a, _ in MEMBERS])
    for era in eras:
        want = layout(pinscan, era)
        print("== %s vs %s" % (rfc, era))
        for key in sorted(set(got) | set(want)):
            a, b = got.get(key), want.get(key)
            if a == b:
                if key in PAGE_KEYS:
                    print("same      %-22s %s" % (key, a))
                continue
            why = None if key in PAGE_KEYS else explained(key)
            if why:
                print("differs   %-22s %s (rfc) / %s (era): %s" % (key, a, b, why))
            else:
                print("MISMATCH  %-22s %s (rfc) / %s (era)" % (key, a, b))
                bad += 1
        want_m = members(era, [b for _, b in MEMBERS])
        if got_m["sizeof"] != want_m["sizeof"]:
            print("MISMATCH  sizeof(struct page) %d / %d" % (got_m["sizeof"], want_m["sizeof"]))
            bad += 1
        for a, b in MEMBERS:
            x, y = got_m[a], want_m[b]
            if x is None or x != y:
                print("MISMATCH  page.%-16s %s (rfc) / page.%s %s (era)" % (a, x, b, y))
                bad += 1
            else:
                print("same      page.%-16s offset %d size %d%s" % (a, x[0], x[1], "" if a == b else " (4.19: %s)" % b))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
