#!/usr/bin/python3
"""expected.json of a `faults` fixture (build-extra.sh): the workload's truth plus what the fault
module (faultmod/pinscan_fault.c) says it did.

  DRGN_USE_LIBKDUMPFILE_FOR_ELF=1 faults-to-expected.py FIXTURE_DIR > expected.json

Reads FIXTURE_DIR/truth.txt, faults.txt (the module's PINSCAN-FAULT lines), drgn-counts.json
(drgn-count.py --pins on the dump) and, through drgn, vmlinux + vmcore.
  - pinned: truth-to-expected.py's list from truth.txt, plus the page of fault (d): refcount-bias,
    pincount (refcount + 1024) // 1024, likely when refcount + 1024 - mapcount >= 1024;
  - summary: drgn's counts, pinned_pages = the sum of nr_pages;
  - findings: each "PINSCAN-FAULT RULE 0xPFN" line (severity error, except FOLL-PIN-ON-LRU), and,
    since that makes compare.py compare info findings too, FOLL-PIN-ON-LRU (info) at every pinned
    entry whose page has PG_lru in the dump (drgn's PageLRU).
Checks (to stderr, and to the exit status 1): the module injected all five faults; drgn finds
exactly the expected pinned entries (the truth's and the fault's, nothing else).
"""
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
RULES = ("LRU-BAD-POINTER", "LRU-LINK-MISMATCH", "LRU-POISONED", "FOLL-PIN-ON-LRU", "TAIL-HEAD-NOT-HEAD")
KEYS = ("pfn", "nr_pages", "how", "pincount", "confidence")


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    d = sys.argv[1]
    problems = []
    base = json.loads(subprocess.run(
        [sys.executable, os.path.join(HERE, "truth-to-expected.py"), os.path.join(d, "truth.txt"),
         "--counts", os.path.join(d, "drgn-counts.json")],
        capture_output=True, text=True, check=True).stdout)
    faults = []
    pins = []
    for line in open(os.path.join(d, "faults.txt")):
        m = re.search(r"PINSCAN-FAULT (\S+) 0x([0-9a-f]+)$", line.strip())
        if m:
            faults.append((m.group(1), int(m.group(2), 16)))
        m = re.search(r"PINSCAN-FAULT-PIN 0x([0-9a-f]+) refcount=(-?\d+) mapcount=(-?\d+)", line)
        if m:
            pins.append((int(m.group(1), 16), int(m.group(2)), int(m.group(3))))
        if "PINSCAN-FAULT-ERROR" in line:
            problems.append("module: " + line.strip())
    if sorted(r for r, _ in faults) != sorted(RULES):
        problems.append("the module injected %s, want one each of %s" % (faults, RULES))

    pinned = list(base["pinned"])
    for pfn, ref, mapcount in pins:
        ref += 1024
        pinned.append(dict(pfn=pfn, nr_pages=1, how="refcount-bias", pincount=ref // 1024,
                           confidence="likely" if ref - max(mapcount, 0) >= 1024 else "possible"))
    pinned.sort(key=lambda e: e["pfn"])
    summary = dict(base["summary"])
    summary["pinned_pages"] = sum(e["nr_pages"] for e in pinned)

    counts = json.load(open(os.path.join(d, "drgn-counts.json")))
    got = sorted(tuple(e[k] for k in KEYS) for e in counts["pinned"])
    want = sorted(tuple(e[k] for k in KEYS) for e in pinned)
    for e in sorted(set(want) - set(got)):
        problems.append("drgn does not find the expected pin %s" % dict(zip(KEYS, e)))
    for e in sorted(set(got) - set(want)):
        problems.append("drgn finds a pin nobody made: %s" % dict(zip(KEYS, e)))

    os.environ.setdefault("DRGN_USE_LIBKDUMPFILE_FOR_ELF", "1")
    import drgn
    from drgn.helpers.linux.mm import PageLRU, pfn_to_page
    prog = drgn.Program()
    prog.set_core_dump(os.path.join(d, "vmcore"))
    prog.load_debug_info([os.path.join(d, "vmlinux")])
    findings = [dict(rule=r, pfn=p, severity="error") for r, p in faults if r != "FOLL-PIN-ON-LRU"]
    for e in pinned:
        if PageLRU(pfn_to_page(prog, e["pfn"])):
            findings.append(dict(rule="FOLL-PIN-ON-LRU", pfn=e["pfn"], severity="info"))
    fault_pin = {p for r, p in faults if r == "FOLL-PIN-ON-LRU"}
    if not fault_pin <= {f["pfn"] for f in findings if f["rule"] == "FOLL-PIN-ON-LRU"}:
        problems.append("the page of fault (d) has no PG_lru in the dump")
    findings.sort(key=lambda f: (f["rule"], f["pfn"]))

    for p in problems:
        sys.stderr.write("PROBLEM %s\n" % p)
    if not problems:
        sys.stderr.write("OK: 5 faults injected; drgn finds exactly the %d expected pins (truth + fault d); "
                         "%d FOLL-PIN-ON-LRU\n" % (len(pinned), sum(f["rule"] == "FOLL-PIN-ON-LRU" for f in findings)))
    json.dump(dict(kernel=base["kernel"], summary=summary, pinned=pinned, findings=findings), sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
