#!/usr/bin/python3
"""expected.json of an RFC fixture (build-rfc.sh), checked against the dump itself.

  DRGN_USE_LIBKDUMPFILE_FOR_ELF=1 rfc-expected.py FIXTURE_DIR --bit 1|2 > expected.json

Reads FIXTURE_DIR/truth.txt (the workload's pins), faults.txt (the kernel's PINSCAN-RFC-FAULT
lines, faults variant), drgn-counts.json (../real/drgn-count.py --pins) and, through drgn,
vmlinux + vmcore.
  - pinned: each small page of the truth: how "rfc-flag", pincount = its registrations, exact
    (the patched kernel marks small pages the RFC's way: flag + dma_pinned_count); the THP and
    hugetlb buffers: 6.1's compound-pincount, 512 per registration, exact (the RFC port leaves
    large folios to 6.1); the faults' RFC-PIN-ON-LRU and RFC-PIN-COUNT pages: rfc-flag with the
    count the kernel wrote (1 and 0).
  - findings: one per PINSCAN-RFC-FAULT line, severity error.
  - summary: drgn's counts, pinned_pages = the sum of nr_pages.
Checks, independent of pinscan (stderr, exit 1 on any problem): drgn reads every struct page of
the dump and finds the pin word (dma_pinned_flags == the mask, not a tail) on exactly the
expected small pages, with the expected dma_pinned_count, and PG_lru clear on them (the
faults' page apart); no page with the other variant's word; drgn-count.py finds exactly the
expected large-folio pins and no _refcount >= 1024 (no pin was taken the 6.1 way).
"""
import importlib.util
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
os.environ.setdefault("DRGN_USE_LIBKDUMPFILE_FOR_ELF", "1")
KEYS = ("pfn", "nr_pages", "how", "pincount", "confidence")
FAULT_RULES = ("RFC-PIN-ON-TAIL", "RFC-PIN-ON-LRU", "RFC-PIN-COUNT")


def load_truth_parser():
    spec = importlib.util.spec_from_file_location(
        "truth_to_expected", os.path.join(HERE, "..", "real", "truth-to-expected.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.parse_truth


def read_faults(path):
    faults, pins = [], {}
    if not os.path.exists(path):
        return faults, pins
    for line in open(path, encoding="latin-1"):
        m = re.search(r"PINSCAN-RFC-FAULT (\S+) 0x([0-9a-f]+)(?: dma_pinned_count=(\d+))?", line)
        if m:
            faults.append((m.group(1), int(m.group(2), 16)))
            if m.group(3) is not None:
                pins[int(m.group(2), 16)] = int(m.group(3))
    return faults, pins


def rfc_words(d, counts):
    """Every non-tail struct page whose dma_pinned_flags has bit 1 or 2: pfn -> (word, count, flags)."""
    import drgn
    from drgn import FaultError, offsetof
    prog = drgn.Program()
    prog.set_core_dump(os.path.join(d, "vmcore"))
    prog.load_debug_info([os.path.join(d, "vmlinux")])
    page_t = prog.type("struct page")
    psize = page_t.size
    off_word = offsetof(page_t, "dma_pinned_flags")
    off_count = offsetof(page_t, "dma_pinned_count")
    off_flags = offsetof(page_t, "flags")
    vmemmap = prog["vmemmap_base"].value_()
    per_section = counts["layout"]["pages_per_section"]
    found = {}
    for nr in counts["present_sections"]:
        start = nr * per_section
        for chunk in range(0, per_section, 4096):
            pfn0 = start + chunk
            try:
                data = prog.read(vmemmap + pfn0 * psize, 4096 * psize)
            except FaultError:
                continue
            mv = memoryview(data)
            for i in range(4096):
                o = i * psize
                word = int.from_bytes(mv[o + off_word:o + off_word + 8], "little")
                if word & 1 or not word & 0x6:
                    continue
                count = int.from_bytes(mv[o + off_count:o + off_count + 4], "little", signed=True)
                flags = int.from_bytes(mv[o + off_flags:o + off_flags + 8], "little")
                found[pfn0 + i] = (word, count, flags)
    PG_lru = prog["PG_lru"].value_()
    return found, PG_lru


def main():
    args = sys.argv[1:]
    if len(args) != 3 or args[1] != "--bit" or args[2] not in ("1", "2"):
        raise SystemExit(__doc__)
    d, mask = args[0], 1 << int(args[2])
    problems = []
    truth = load_truth_parser()(os.path.join(d, "truth.txt"))
    faults, fault_pins = read_faults(os.path.join(d, "faults.txt"))
    counts = json.load(open(os.path.join(d, "drgn-counts.json")))

    small, large = {}, {}
    for i, b in sorted(truth["bufs"].items()):
        if len(b["pfns"]) != b["pages"]:
            problems.append("buffer %d: %d of %d pages have a PFN" % (i, len(b["pfns"]), b["pages"]))
        if b["kind"] == "small":
            for pfn in b["pfns"]:
                small[pfn] = small.get(pfn, 0) + b["regs"]
        else:
            head = b["pfns"][0]
            if head % 512 or b["pfns"] != list(range(head, head + 512)):
                problems.append("buffer %d (%s) is not one aligned 512-page folio" % (i, b["kind"]))
            large[head] = large.get(head, 0) + 512 * b["regs"]
    if os.path.basename(os.path.normpath(d)) == "faults" and sorted(r for r, _ in faults) != sorted(FAULT_RULES):
        problems.append("the kernel broke %s, want one page each for %s" % (faults, FAULT_RULES))

    pinned = [dict(pfn=p, nr_pages=1, how="rfc-flag", pincount=n, confidence="exact") for p, n in small.items()]
    pinned += [dict(pfn=p, nr_pages=1, how="rfc-flag", pincount=n, confidence="exact") for p, n in fault_pins.items()]
    pinned += [dict(pfn=p, nr_pages=512, how="compound-pincount", pincount=n, confidence="exact")
               for p, n in large.items()]
    pinned.sort(key=lambda e: e["pfn"])
    findings = [dict(rule=r, pfn=p, severity="error") for r, p in faults]

    # The dump, read by drgn: the RFC's words exactly where the workload and the faults put them.
    found, PG_lru = rfc_words(d, counts)
    want_small = dict(small)
    want_small.update(fault_pins)
    for pfn, n in sorted(want_small.items()):
        if pfn not in found:
            problems.append("pfn %#x: no RFC pin word in the dump (want count %d)" % (pfn, n))
            continue
        word, count, flags = found[pfn]
        if word != mask or count != n:
            problems.append("pfn %#x: dma_pinned_flags %#x count %d, want %#x count %d" % (pfn, word, count, mask, n))
        if flags >> PG_lru & 1 and pfn not in {p for r, p in faults if r == "RFC-PIN-ON-LRU"}:
            problems.append("pfn %#x: pinned and PG_lru" % pfn)
    for pfn, (word, count, flags) in sorted(found.items()):
        if pfn in want_small:
            continue
        if word == mask or (word == mask ^ 0x6 and count > 0):
            problems.append("pfn %#x: pin word %#x (count %d) that nobody made" % (pfn, word, count))
    got_large = {e["pfn"]: e for e in counts.get("pinned", []) if e["how"] != "refcount-bias"}
    for p, n in large.items():
        e = got_large.pop(p, None)
        if not e or e["how"] != "compound-pincount" or e["pincount"] != n or e["nr_pages"] != 512:
            problems.append("large folio %#x: drgn reads %s, want compound-pincount %d" % (p, e, n))
    for p, e in got_large.items():
        problems.append("large folio pin nobody made: %s" % e)
    if counts.get("refcount_ge_1024"):
        problems.append("%d pages have _refcount >= 1024 (pinned the 6.1 way?)" % counts["refcount_ge_1024"])

    summary = dict(counts["summary"])
    summary["pinned_pages"] = sum(e["nr_pages"] for e in pinned)
    expected = dict(kernel=truth["release"], summary=summary, pinned=pinned, findings=findings)
    json.dump(expected, sys.stdout, indent=1)
    print()
    print("rfc-expected: %d small pages with the pin word %#x, %d large folios, %d faults; words seen: %d"
          % (len(want_small), mask, len(large), len(faults), len(found)), file=sys.stderr)
    for p in problems:
        print("MISMATCH " + p, file=sys.stderr)
    if not problems:
        print("OK: drgn finds the RFC's words and the large pins exactly where expected, nothing else",
              file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
