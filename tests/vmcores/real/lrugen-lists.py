#!/usr/bin/python3
"""The kernel's own view of a dump's LRU lists, read with Debian's python3-drgn (0.0.22), for the
`lrugen` fixture of build-extra.sh (multi-generational LRU enabled).

  DRGN_USE_LIBKDUMPFILE_FOR_ELF=1 /usr/bin/python3 lrugen-lists.py VMLINUX VMCORE > drgn-lru-lists.json

Walks every lruvec (each memcg from root_mem_cgroup down, each online node; and each node's
pgdat->__lruvec) and in it the classic lists lruvec->lists[NR_LRU_LISTS] and the MGLRU lists
lruvec->lrugen.folios[gen][type][zone] (6.1: struct lru_gen_struct, 6.12: struct lru_gen_folio;
same member). Prints JSON:
  lru_gen_caps      the counters of the lru_gen_caps static keys (what lru_gen/enabled shows)
  lruvecs           per lruvec: memcg id, node, address, lrugen.enabled, max_seq, min_seq[]
  lists             every non-empty list: head address, kind (classic: lru index and name;
                    lrugen: gen, type anon/file, zone name, seq), length walking next, length
                    walking prev, pages (sum of folio sizes), first pfn, and per-folio checks
                    (PG_lru set, tail, PG_active, PG_swapbacked vs the list's type, PG_unevictable,
                    next->prev == this), the generations of its folios per page->flags
  gen_counters      per lruvec and (gen, type, zone): lrugen.nr_pages vs the pages whose flags
                    carry that generation (MGLRU moves a folio to its new generation's list
                    lazily: the counters follow the flags, not the list the folio sits on)
  problems          every check that failed (empty when the lists are what MGLRU promises)
The generation bits of page->flags are macros absent from DWARF: LRU_GEN_PGOFF is derived from
Debian's amd64 config (SECTIONS_WIDTH 0, NODES_SHIFT 10, ZONES_WIDTH 3, LAST_CPUPID_WIDTH 21 (in
flags), KASAN_TAG_WIDTH 0: 64 - 10 - 3 - 21 - 3 = 27), and checked by gen_counters.
"""
import json
import os
import sys

os.environ.setdefault("DRGN_USE_LIBKDUMPFILE_FOR_ELF", "1")

from drgn import Program, cast, offsetof  # noqa: E402

LRU_GEN_PGOFF = 27
LRU_GEN_MASK = 7 << LRU_GEN_PGOFF
CLASSIC = ("inactive_anon", "active_anon", "inactive_file", "active_file", "unevictable")


def enum_value(prog, enum, name):
    for e in prog.type(enum).enumerators:
        if e.name == name:
            return e.value
    raise LookupError(name)


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    prog = Program()
    prog.set_core_dump(sys.argv[2])
    prog.load_debug_info([sys.argv[1]])
    page_t = prog.type("struct page")
    lru_off = offsetof(page_t, "lru")
    page_size = page_t.size
    try:
        order_off = offsetof(page_t, "compound_order")
    except LookupError:
        order_off = None
    vmemmap = prog["vmemmap_base"].value_() if "vmemmap_base" in prog else 0xffffea0000000000
    PG = {n: 1 << enum_value(prog, "enum pageflags", "PG_" + n)
          for n in ("lru", "active", "swapbacked", "unevictable", "head")}
    zone_names = [e.name for e in prog.type("enum zone_type").enumerators if e.name != "__MAX_NR_ZONES"]
    out = {"lru_gen_caps": [k.key.enabled.counter.value_() for k in prog["lru_gen_caps"]],
           "lru_gen_pgoff": LRU_GEN_PGOFF, "lruvecs": [], "lists": [], "gen_counters": [], "problems": []}
    problems = out["problems"]

    def pfn_of(page):
        return (page - vmemmap) // page_size

    def nr_pages(page, flags):
        if not flags & PG[("head")]:
            return 1
        if order_off is not None:  # 6.1: page[1].compound_order
            return 1 << prog.read_u8(page + page_size + order_off)
        return 1 << (prog.read_u64(page + page_size) & 0xff)  # 6.12: folio_order(), folio->_flags_1 & 0xff

    def walk(head, name, want):
        """want: dict of the list's expected type flags (or None for classic lists)."""
        ent = {"head": head, "length": 0, "length_prev": 0, "pages": 0, "first_pfn": None,
               "not_lru": 0, "tail": 0, "active": 0, "swapbacked": 0, "unevictable": 0,
               "bad_links": 0, "gens": {}}
        prev, cur, steps = head, prog.read_u64(head), 0
        folios = []
        while cur != head:
            steps += 1
            if steps > 300000:
                problems.append("%s: more than 300000 steps" % name)
                break
            page = cur - lru_off
            flags = prog.read_u64(page)
            if prog.read_u64(cur + 8) != prev:
                ent["bad_links"] += 1
            ent["length"] += 1
            if ent["first_pfn"] is None:
                ent["first_pfn"] = pfn_of(page)
            if not flags & PG["lru"]:
                ent["not_lru"] += 1
            if prog.read_u64(page + 8) & 1:  # compound_head bit 0: a tail
                ent["tail"] += 1
            for f in ("active", "swapbacked", "unevictable"):
                if flags & PG[f]:
                    ent[f] += 1
            n = nr_pages(page, flags)
            ent["pages"] += n
            g = ((flags & LRU_GEN_MASK) >> LRU_GEN_PGOFF) - 1
            ent["gens"][g] = ent["gens"].get(g, 0) + 1
            folios.append((g, n))
            prev, cur = cur, prog.read_u64(cur)
        back, cur = 0, prog.read_u64(head + 8)
        while cur != head and back <= steps:
            back += 1
            cur = prog.read_u64(cur + 8)
        ent["length_prev"] = back
        ent["gens"] = {str(k): v for k, v in sorted(ent["gens"].items())}
        if ent["length"] != back:
            problems.append("%s: %d folios walking next, %d walking prev" % (name, ent["length"], back))
        for k in ("not_lru", "tail", "unevictable", "bad_links"):
            if ent[k]:
                problems.append("%s: %d folios with %s" % (name, ent[k], k))
        if want is not None:
            if ent["active"]:
                problems.append("%s: %d folios with PG_active on an MGLRU list" % (name, ent["active"]))
            sb = ent["length"] if want["anon"] else 0
            if ent["swapbacked"] != sb:
                problems.append("%s: %d of %d folios swapbacked on a %s list" % (
                    name, ent["swapbacked"], ent["length"], "anon" if want["anon"] else "file"))
        return ent, folios

    from drgn.helpers.linux.cgroup import css_for_each_descendant_pre
    from drgn.helpers.linux.nodemask import for_each_online_node
    nodes = list(for_each_online_node(prog))
    lruvecs = []
    root = prog["root_mem_cgroup"]
    if root.value_():
        for css in css_for_each_descendant_pre(root.css.address_of_()):
            memcg = cast("struct mem_cgroup *", css)  # css is the first member
            for nid in nodes:
                lruvecs.append((memcg.css.id.value_(), nid, memcg.nodeinfo[nid].lruvec.address_of_()))
    for nid in nodes:
        lruvecs.append((None, nid, prog["node_data"][nid].__lruvec.address_of_()))

    for idx, (mid, nid, lv) in enumerate(lruvecs):
        g = lv.lrugen
        max_seq = g.max_seq.value_()
        min_seq = [g.min_seq[i].value_() for i in range(2)]
        out["lruvecs"].append({"memcg_id": mid, "node": nid, "address": lv.value_(),
                               "lrugen_enabled": bool(g.enabled.value_()), "max_seq": max_seq, "min_seq": min_seq})
        for i, name in enumerate(CLASSIC):
            head = lv.lists[i].address_of_().value_()
            if prog.read_u64(head) in (head, 0xdead000000000100):  # empty; unevictable: poisoned since 5.18
                continue
            ent, _ = walk(head, "lruvec %d %s" % (idx, name), None)
            ent.update(kind="classic", lruvec=idx, lru=i, name=name)
            out["lists"].append(ent)
        ngen, ntype, nzone = 4, 2, len(g.folios[0][0])
        by_gen = {}
        for gen in range(ngen):
            for typ in range(ntype):
                for z in range(nzone):
                    head = g.folios[gen][typ][z].address_of_().value_()
                    if prog.read_u64(head) == head:
                        continue
                    name = "lruvec %d lrugen gen %d %s %s" % (idx, gen, ("anon", "file")[typ], zone_names[z])
                    ent, folios = walk(head, name, {"anon": typ == 0})
                    seqs = [s for s in range(min_seq[typ], max_seq + 1) if s % ngen == gen]
                    ent.update(kind="lrugen", lruvec=idx, gen=gen, type=("anon", "file")[typ],
                               zone=zone_names[z], seq=seqs[0] if seqs else None)
                    if not seqs:
                        problems.append("%s: not a live generation (min_seq %s, max_seq %d)" % (name, min_seq, max_seq))
                    out["lists"].append(ent)
                    for fg, n in folios:
                        by_gen[(fg, typ, z)] = by_gen.get((fg, typ, z), 0) + n
        if g.enabled.value_() or by_gen:
            for gen in range(ngen):
                for typ in range(ntype):
                    for z in range(nzone):
                        c = g.nr_pages[gen][typ][z].value_()
                        f = by_gen.get((gen, typ, z), 0)
                        if c or f:
                            out["gen_counters"].append({"lruvec": idx, "gen": gen, "type": ("anon", "file")[typ],
                                                        "zone": zone_names[z], "nr_pages": c, "pages_by_flags": f})
                            if c != f:
                                problems.append("lruvec %d gen %d %s %s: nr_pages %d, pages by flags %d" % (
                                    idx, gen, ("anon", "file")[typ], zone_names[z], c, f))
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
