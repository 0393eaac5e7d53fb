#!/usr/bin/python3
"""Compare pinscan's JSON report with a fixture's expected.json.

The comparison is exact: every summary key of expected.json, every pinned
entry (pfn, nr_pages, how, pincount, confidence) in order, and findings as a
set of (rule, pfn). Where an expected entry lists "owners" (the owners
scenario), its owners and holders are compared as sets, and its
"owner_note" as a prefix of the report's ("" must be ""). --only summary
limits it to the summary (for scans that cannot know everything, e.g.
without a vmlinux). --reduced, for a layout that lists what it reduces
(layout.reduced): the report's pinned entries and findings (info ones too)
must all be expected ones; expected ones it lacks are allowed only when the
report says it is reduced. It may answer less, never differently."""
import argparse
import json
import sys

PIN_KEYS = ("pfn", "nr_pages", "how", "pincount", "confidence")


OWNER_KEYS = ("pid", "comm", "vaddr", "kind", "inode", "dev", "name")
HOLDER_KEYS = ("kind", "pid", "comm", "fd", "index", "uaddr", "iova")


def compare_owners(got_pinned, want_pinned):
    errors = []
    for g, w in zip(got_pinned, want_pinned):
        if "owners" not in w:
            continue
        for key, keys in (("owners", OWNER_KEYS), ("holders", HOLDER_KEYS)):
            gs = {tuple(o.get(k) for k in keys) for o in g.get(key, [])}
            ws = {tuple(o.get(k) for k in keys) for o in w[key]}
            if gs != ws:
                errors.append(f"pfn {w['pfn']}: {key} {sorted(gs, key=str)}, want {sorted(ws, key=str)}")
        note = g.get("owner_note")
        if note is None or not note.startswith(w["owner_note"]) or (not w["owner_note"] and note):
            errors.append(f"pfn {w['pfn']}: owner_note {note!r}, want {w['owner_note']!r}...")
    return errors


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("report")
    ap.add_argument("expected")
    ap.add_argument("--only", choices=["summary"], default=None)
    ap.add_argument("--summary-keys", default=None,
                    help="comma-separated summary keys to compare")
    ap.add_argument("--ignore-pin-keys", default="",
                    help="comma-separated pinned keys known only approximately")
    ap.add_argument("--reduced", action="store_true",
                    help="pins and findings: a subset of the expected ones")
    ap.add_argument("--also-expect", action="append", default=[], metavar="RULE:PFN",
                    help="a finding the case expects beyond expected.json's")
    args = ap.parse_args()
    with open(args.report) as f:
        got = json.load(f)
    with open(args.expected) as f:
        want = json.load(f)
    errors = []
    if "kernel" in want and got.get("kernel") != want["kernel"]:
        errors.append(f"kernel: got {got.get('kernel')!r}, want {want['kernel']!r}")
    keys = args.summary_keys.split(",") if args.summary_keys else list(want["summary"])
    for key in keys:
        have, need = got["summary"].get(key), want["summary"][key]
        # An object (pin_accounting) is compared on the keys expected.json gives.
        if isinstance(need, dict) and isinstance(have, dict):
            have = {k: have.get(k) for k in need}
        if have != need:
            errors.append(f"summary.{key}: got {have}, want {need}")
    if args.reduced:
        if not got["layout"].get("reduced"):
            errors.append("--reduced, but the report's layout.reduced is empty")
        got_pins = {tuple(p[k] for k in PIN_KEYS) for p in got["pinned"]}
        want_pins = {tuple(p[k] for k in PIN_KEYS) for p in want["pinned"]}
        for p in sorted(got_pins - want_pins):
            errors.append(f"pinned entry not expected: {dict(zip(PIN_KEYS, p))}")
        got_f = {(f["rule"], f["pfn"]) for f in got["findings"]}
        want_f = {(f["rule"], f["pfn"]) for f in want.get("findings", [])}
        if not any(f.get("severity") == "info" for f in want.get("findings", [])):
            got_f = {(f["rule"], f["pfn"]) for f in got["findings"]
                     if f["severity"] != "info"}
        for f in sorted(got_f - want_f):
            errors.append(f"finding not expected: {f}")
    elif args.only != "summary":
        ignore = set(filter(None, args.ignore_pin_keys.split(",")))
        keys = [k for k in PIN_KEYS if k not in ignore]
        got_pins = [tuple(p[k] for k in keys) for p in got["pinned"]]
        want_pins = [tuple(p[k] for k in keys) for p in want["pinned"]]
        for p in sorted(set(want_pins) - set(got_pins)):
            errors.append(f"pinned entry missing: {dict(zip(keys, p))}")
        for p in sorted(set(got_pins) - set(want_pins)):
            errors.append(f"pinned entry not expected: {dict(zip(keys, p))}")
        if not errors and got_pins != want_pins:
            errors.append("pinned entries are not in pfn order")
        if not errors:
            errors += compare_owners(got["pinned"], want["pinned"])
        # Info findings describe legitimate kernel state (pinscan rules);
        # fixtures list them only when they mean to test them.
        want_info = any(f.get("severity") == "info" for f in want.get("findings", []))
        got_f = {(f["rule"], f["pfn"]) for f in got["findings"]
                 if want_info or f["severity"] != "info"}
        want_f = {(f["rule"], f["pfn"]) for f in want.get("findings", [])}
        want_f |= {(a.split(":")[0], int(a.split(":")[1], 0)) for a in args.also_expect}
        for f in sorted(want_f - got_f):
            errors.append(f"finding missing: {f}")
        for f in sorted(got_f - want_f):
            errors.append(f"finding not expected: {f}")
    for e in errors[:50]:
        print("MISMATCH", e)
    if len(errors) > 50:
        print(f"... and {len(errors) - 50} more")
    if errors:
        return 1
    print(f"match: {len(want['summary'])} summary counts, {len(want['pinned'])} pinned entries,"
          f" {len(want.get('findings', []))} findings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
