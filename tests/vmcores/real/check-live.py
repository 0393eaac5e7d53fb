#!/usr/bin/python3
"""Check what pinscan said in the guest about /proc/kcore (a `live` fixture of build-extra.sh).

  check-live.py FIXTURE_DIR

For each report the guest wrote (live.json: VMCOREINFO from kcore's own note; live-sysfs.json:
--vmcoreinfo /sys/kernel/vmcoreinfo, the "PADDR SIZE" form; both with the layout file made on
the host; live-btf.json: `pinscan scan /proc/kcore` with no other argument, whose layout must
come from the running kernel's BTF (/sys/kernel/btf/vmlinux) and kallsyms, layout.kind "btf",
nothing reduced):
  - pinscan exited 0 or 1 (PINSCAN-LIVE-RC in live-info.txt) and wrote a pinscan-report;
  - kernel == the release the workload saw (truth.txt);
  - the pinned set (pfn, nr_pages, how, pincount) == the workload's ground truth, i.e. the
    "pinned" list truth-to-expected.py makes from truth.txt; confidence too;
  - summary: sections == present memory sections as the guest's sysfs listed them
    (/sys/devices/system/memory/memoryN blocks x block size / 128 MiB), pages == sections x
    32768 - missing, pinned_pages == the sum of nr_pages, and missing is small: /proc/kcore
    maps the vmemmap of RAM ranges only, so the struct pages of a hole that fills a whole 4 KiB
    vmemmap page (pfns 0xc0-0xff, below 1 MiB) cannot be read live (64 pages); more than 1024
    missing would mean pinscan lost real vmemmap;
  - findings at warning or error severity are printed but do not fail the check: the kernel,
    and pinscan's own allocations, move pages on and off the LRU lists while a live scan reads
    them, so an LRU link can be caught half-updated (seen: LRU-NEIGHBOUR-NOT-LRU and
    LRU-UNREACHABLE at a few pages in one of two scans of the same idle guest).
Exit 0 when everything holds, 1 otherwise (each problem on its own line).
"""
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PIN_KEYS = ("pfn", "nr_pages", "how", "pincount")
SECTION_BYTES = 1 << 27  # x86-64 SECTION_SIZE_BITS
PAGES_PER_SECTION = SECTION_BYTES // 4096
MAX_MISSING = 1024


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    d = sys.argv[1]
    problems = []
    truth = subprocess.run([sys.executable, os.path.join(HERE, "truth-to-expected.py"),
                            os.path.join(d, "truth.txt")], capture_output=True, text=True, check=True)
    want = json.loads(truth.stdout)
    want_pins = [tuple(p[k] for k in PIN_KEYS) for p in want["pinned"]]
    want_conf = {p["pfn"]: p["confidence"] for p in want["pinned"]}
    info = open(os.path.join(d, "live-info.txt")).read()
    m = re.search(r"memory_blocks (\d+) block_size_bytes (0x[0-9a-f]+)", info)
    sections = int(m.group(1)) * int(m.group(2), 16) // SECTION_BYTES if m else None
    rcs = dict(re.findall(r"PINSCAN-LIVE-RC (\w+) rc=(\d+)", info))
    for mode, name in (("note", "live.json"), ("sysfs", "live-sysfs.json"), ("btf", "live-btf.json")):
        path = os.path.join(d, name)
        rc = rcs.get(mode)
        if rc not in ("0", "1"):
            problems.append("%s: pinscan exited %s in the guest (see serial.log PINSCAN-LIVE-STDERR)" % (name, rc))
            continue
        try:
            r = json.load(open(path))
        except (OSError, ValueError) as e:
            problems.append("%s: no report: %s" % (name, e))
            continue
        bad = []
        kind = r.get("layout", {}).get("kind")
        if mode == "btf" and (kind != "btf" or r["layout"].get("reduced")):
            bad.append("layout.kind %r, reduced %r: want \"btf\", nothing reduced" % (
                kind, r.get("layout", {}).get("reduced")))
        # Live, the BTF is the running kernel's file (the image's copy is the fallback).
        if mode == "btf" and "/sys/kernel/btf/vmlinux" not in r["layout"].get("source", ""):
            bad.append("layout.source %r: not the running kernel's /sys/kernel/btf/vmlinux" %
                       r["layout"].get("source"))
        if mode != "btf" and kind != "layout-file":
            bad.append("layout.kind %r, want \"layout-file\"" % kind)
        if r.get("kernel") != want["kernel"]:
            bad.append("kernel %r, truth %r" % (r.get("kernel"), want["kernel"]))
        got_pins = [tuple(p[k] for k in PIN_KEYS) for p in r["pinned"]]
        for p in sorted(set(want_pins) - set(got_pins)):
            bad.append("pinned entry missing: %s" % dict(zip(PIN_KEYS, p)))
        for p in sorted(set(got_pins) - set(want_pins)):
            bad.append("pinned entry not expected: %s" % dict(zip(PIN_KEYS, p)))
        for p in r["pinned"]:
            if p["pfn"] in want_conf and p["confidence"] != want_conf[p["pfn"]]:
                bad.append("pfn %d: confidence %s, want %s" % (p["pfn"], p["confidence"], want_conf[p["pfn"]]))
        s = r["summary"]
        if sections is not None and s["sections"] != sections:
            bad.append("summary.sections %d, the guest's sysfs shows %d" % (s["sections"], sections))
        if s["pages"] != s["sections"] * PAGES_PER_SECTION - s["missing"]:
            bad.append("summary.pages %d != sections %d x %d - missing %d" % (
                s["pages"], s["sections"], PAGES_PER_SECTION, s["missing"]))
        if not 0 <= s["missing"] <= MAX_MISSING:
            bad.append("summary.missing %d (more than %d struct pages unreadable)" % (s["missing"], MAX_MISSING))
        if s["pinned_pages"] != sum(p[1] for p in want_pins):
            bad.append("summary.pinned_pages %d, truth %d" % (s["pinned_pages"], sum(p[1] for p in want_pins)))
        if not s["lru"] or not s["head"] or not s["slab"]:
            bad.append("summary has zero lru/head/slab: %s" % s)
        # Findings are printed, not judged: the kernel (and pinscan's own memory: its buffers
        # and output file join the LRU lists while it reads them) changes struct pages during a
        # live scan, so an LRU link can be seen half-updated. A dump has no such race.
        serious = [f for f in r["findings"] if f["severity"] != "info"]
        for f in serious[:20]:
            print("NOTE %s: finding %s at pfn %d (%s): %s" % (name, f["rule"], f["pfn"], f["severity"],
                                                           f.get("message")))
        print("%s: rc %s, summary %s, %d pinned entries, findings by rule %s" % (
            name, rc, s, len(r["pinned"]), r.get("findings_by_rule")))
        problems += ["%s: %s" % (name, b) for b in bad]
    for p in problems:
        print("PROBLEM", p)
    if not problems:
        print("OK: the three live reports give the workload's %d pinned entries and a sane summary" % len(want_pins))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
