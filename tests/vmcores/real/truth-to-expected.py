#!/usr/bin/python3
"""Turn a real fixture's truth.txt (the guest workload's ground truth) into expected.json.

  truth-to-expected.py TRUTH.TXT [--counts DRGN-COUNTS.JSON] [--era ERA] [--notes NOTES.JSON]

The "pinned" list of tests/vmcores/CONTRACT.md comes from what the workload pinned:
  - small buffers: one entry per page, how "refcount-bias", nr_pages 1,
    pincount = number of times the page was registered (each io_uring registration takes one
    FOLL_PIN = +1024 on _refcount; the page's own mapping adds 1, so refcount = 1 + 1024 * pins),
    confidence "likely" (refcount - mapcount = 1024 * pins >= 1024; the workload's mapping is its
    only one: /proc/kpagecount = 1 in truth.txt).
  - THP and hugetlb buffers (2 MiB folios): one entry at the head pfn, nr_pages 512, confidence
    "exact", and by era (the era is taken from --era, else from drgn-counts.json's layout.pin_era,
    which drgn-count.py decides from the DWARF, else from the kernel version in truth.txt):
      compound-pincount (6.1): io_uring pins every page of the buffer, so pincount = 512 per
                                registration (refcount 1 + 512);
      folio-pincount (6.6+, 6.12): io_uring coalesces a buffer that is one folio and keeps one pin
                                per folio: pincount = 1 per registration (refcount 1 + 1).
The "summary" comes from drgn-counts.json (drgn-count.py's independent walk of the dump) plus
pinned_pages = the sum of nr_pages over "pinned". Without --counts, summary holds pinned_pages only.

With --counts made by `drgn-count.py --pins`, every entry is checked against what drgn reads in
the dump (pincount from the folio field / _refcount / 1024), and so is the other direction (pins
drgn sees that the workload did not make). The check goes to stderr and to --notes, with the list
of fields known exactly and approximately. Exit status 0 even on a mismatch (the notes say it);
3 when truth.txt is incomplete.
"""
import json
import re
import sys


def parse_truth(path):
    t = {"bufs": {}}
    seen_end = False
    for line in open(path, encoding="latin-1"):
        line = line.rstrip("\n")
        if line.startswith("PINSCAN-TRUTH-END"):
            seen_end = True
        w = line.split()
        if not w:
            continue
        if w[0] == "uname":
            t["release"] = w[1]
        elif w[0] == "buf":
            i = int(w[1])
            kv = dict(x.split("=", 1) for x in w[2:])
            t["bufs"][i] = dict(kind=kv["kind"], pages=int(kv["pages"]), regs=int(kv["regs"]),
                                vaddr=kv["vaddr"], pfns=[], kpf={})
        elif w[0] == "pfns":
            b = t["bufs"][int(w[1])]
            for run in w[2:]:
                s, n = run.split("+")
                s = int(s, 16)
                b["pfns"].extend(range(s, s + int(n)))
        elif w[0] == "kpf":
            b = t["bufs"][int(w[1])]
            b["kpf"][int(w[2])] = dict(pfn=int(w[3], 16), flags=int(w[4], 16), mapcount=int(w[5]))
    if not seen_end:
        raise SystemExit(3)
    return t


def era_from_release(rel):
    m = re.match(r"(\d+)\.(\d+)", rel)
    v = (int(m.group(1)), int(m.group(2)))
    if v >= (6, 6):
        return "folio-pincount"
    if v >= (5, 18):  # compound_pincount for order >= 1 (6.1)
        return "compound-pincount"
    return "hpage-pinned-refcount"


def main():
    args = sys.argv[1:]
    opts = {}
    pos = []
    i = 0
    while i < len(args):
        if args[i] in ("--counts", "--era", "--notes"):
            opts[args[i]] = args[i + 1]
            i += 2
        else:
            pos.append(args[i])
            i += 1
    if len(pos) != 1:
        raise SystemExit(__doc__)
    truth = parse_truth(pos[0])
    counts = json.load(open(opts["--counts"])) if "--counts" in opts else None
    era = opts.get("--era") or (counts or {}).get("layout", {}).get("pin_era") or era_from_release(truth["release"])

    small = {}  # pfn -> pins
    folios = {}  # head pfn -> (nr_pages, pins)
    problems = []
    for i, b in sorted(truth["bufs"].items()):
        if len(b["pfns"]) != b["pages"] or 0 in b["pfns"]:
            problems.append("buffer %d: %d of %d pages have a PFN" % (i, len(b["pfns"]), b["pages"]))
        if b["kind"] == "small":
            for pfn in b["pfns"]:
                small[pfn] = small.get(pfn, 0) + b["regs"]
        else:
            head = b["pfns"][0]
            if head % 512 or b["pfns"] != list(range(head, head + 512)):
                problems.append("buffer %d (%s) is not one aligned 512-page folio" % (i, b["kind"]))
            per_reg = 512 if era in ("compound-pincount", "hpage-pinned-refcount") else 1
            n, p = folios.get(head, (512, 0))
            folios[head] = (512, p + per_reg * b["regs"])

    pinned = []
    for pfn, pins in small.items():
        pinned.append(dict(pfn=pfn, nr_pages=1, how="refcount-bias", pincount=pins, confidence="likely"))
    for head, (n, pins) in folios.items():
        pinned.append(dict(pfn=head, nr_pages=n, how=era, pincount=pins, confidence="exact"))
    pinned.sort(key=lambda e: e["pfn"])

    summary = {}
    if counts:
        summary.update(counts["summary"])
    summary["pinned_pages"] = sum(e["nr_pages"] for e in pinned)
    expected = dict(kernel=truth["release"], summary=summary, pinned=pinned, findings=[])

    # Cross-check with what drgn reads in the dump.
    check = []
    if counts and "pinned" in counts:
        keys = ("pfn", "nr_pages", "how", "pincount", "confidence")
        drgn_by_pfn = {e["pfn"]: e for e in counts["pinned"]}
        for e in pinned:
            d = drgn_by_pfn.get(e["pfn"])
            if d is None:
                check.append("MISMATCH pfn %d: truth says pinned (%s), drgn finds no pin" % (e["pfn"], e["how"]))
            elif any(e[k] != d[k] for k in keys):
                check.append("MISMATCH pfn %d: truth %s, drgn %s" % (
                    e["pfn"], {k: e[k] for k in keys}, {k: d[k] for k in keys}))
        truth_pfns = {e["pfn"] for e in pinned}
        for d in counts["pinned"]:
            if d["pfn"] not in truth_pfns:
                check.append("EXTRA pfn %d: drgn finds a pin the workload did not make: %s" % (d["pfn"], d))
        if not check:
            check.append("OK: all %d pinned entries match drgn's reading of the dump (pfn, nr_pages, how, "
                         "pincount, confidence), and drgn finds no other pin" % len(pinned))
    check = problems + check
    for c in check:
        sys.stderr.write(c + "\n")
    if "--notes" in opts:
        notes = dict(
            era=era,
            check=check,
            exact=["pinned[].pfn", "pinned[].nr_pages", "pinned[].how",
                   "summary.pinned_pages",
                   "summary.* (pages, missing, lru, head, tail, buddy, slab) as read by drgn-count.py "
                   "from this very dump"],
            approximate=["pinned[].pincount of small pages: refcount // 1024; transient references never "
                         "reach 1024, so it equals the number of registrations",
                         "pinned[].confidence of small pages: 'likely' needs refcount - mapcount >= 1024; "
                         "true here (mapcount 1 from /proc/kpagecount, refcount 1 + 1024 * pins)",
                         "pinned[].pincount of THP/hugetlb folios: 512 per registration on 6.1 "
                         "(compound_pincount), 1 per registration on 6.12 (io_uring keeps one pin per "
                         "folio): what the kernel's io_uring does, checked against drgn, not measured "
                         "by the workload"],
        )
        with open(opts["--notes"], "w") as f:
            json.dump(notes, f, indent=1)
            f.write("\n")
    json.dump(expected, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
