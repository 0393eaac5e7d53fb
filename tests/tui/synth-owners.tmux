#!/bin/sh
# pinscan tui's owners view (o) on the synthetic 6.12 owners scenario: an
# anon page shared by two tasks after fork and held by an io_uring buffer and
# a VFIO mapping, a
# file page mapped twice, a page mapped by nobody, a broken anon_vma chain,
# a pinned large folio, KSM pages (merged from both tasks; broken lists). The view must group the entries as expected.json
# says the dump was made (each task once per entry, the others by why), list
# each entry under its group with the task's address, fold a group, open an
# entry's page and come back, and show the kernel's pin accounting (the
# header too), as the help says.
. "$(dirname "$0")/lib.sh"
dir=$(synth_fixture 6.12 --scenario owners) || exit $?
expectations "$dir" "$dir/vmcore"

# The truth: groups in order of first appearance (pfn order), and each
# entry's line under its group, from expected.json.
$PY - "$dir/expected.json" >"$work/owners.expect" <<'PYEOF' || fail "cannot read expected.json"
import json, sys
exp = json.load(open(sys.argv[1]))
groups, lines = {}, {}
def entry(p, what):
    n = p["nr_pages"]
    return "  %#x (%d page%s) %s %s %d: %s" % (p["pfn"], n, "" if n == 1 else "s",
                                             p["how"], p["confidence"], p["pincount"], what)
def owner(o):
    if o["kind"] == "file":
        where = "file %s, inode %d" % (o["name"], o["inode"])
    else:
        where = "anon, merged by KSM" if o["kind"] == "ksm" else "anon"
    return "pid %d (%s) at %#x (%s)" % (o["pid"], o["comm"], o["vaddr"], where)
for p in exp["pinned"]:
    seen = set()
    for o in p.get("owners", []):
        if o["pid"] in seen:
            continue
        seen.add(o["pid"])
        g = groups.setdefault("pid %d (%s)" % (o["pid"], o["comm"]), [0, 0, []])
        g[0] += p["nr_pages"]; g[1] += 1
        for h in p.get("holders", []):
            if h["pid"] == o["pid"] and (h["kind"], h["fd"]) not in g[2]:
                g[2].append((h["kind"], h["fd"]))
        lines.setdefault("pid %d (%s)" % (o["pid"], o["comm"]), []).append(entry(p, owner(o)))
    if not p.get("owners"):
        label = (p.get("owner_note") or "owner unknown").split(":")[0]
        g = groups.setdefault(label, [0, 0, []])
        g[0] += p["nr_pages"]; g[1] += 1
        # The note in expected.json is the start of the report's.
        lines.setdefault(label, []).append(entry(p, p["owner_note"]))
for label, (pages, entries, fds) in groups.items():
    # The fds of each kind together, io_uring's first.
    fd = "".join(", %s fd " % kind + ", ".join(str(f) for k, f in fds if k == kind)
                 for kind in ("io_uring", "vfio") if any(k == kind for k, f in fds))
    print("G\t- %s: %d pages in %d entries%s" % (label, pages, entries, fd))
    for l in lines[label]:
        print("E\t" + l)
import re
print("F\t" + re.escape(next(iter(groups))))
a = exp["summary"]["pin_accounting"]
print("A\tpin accounting: acquired %d, released %d, outstanding %d; decoded %d (balanced)"
      % (a["acquired"], a["released"], a["outstanding"], a["decoded"]))
PYEOF
nr_groups=$(grep -c '^G' "$work/owners.expect")
nr_lines=$(grep -c '^E' "$work/owners.expect")
[ "$nr_groups" -ge 4 ] || fail "the owners scenario lost its groups ($nr_groups)"

start_shell 120 40
start_tui "$dir/vmcore" "$dir/vmlinux"
wait_for "(kernel pins $PINCOUNT_TOTAL, decoded $PINCOUNT_TOTAL|pins $PINCOUNT_TOTAL=$PINCOUNT_TOTAL)" 10
ok "header: kernel pins $PINCOUNT_TOTAL, decoded $PINCOUNT_TOTAL"

keys o
wait_for "^Pins by owner: $nr_groups groups, $PINNED_ENTRIES of $PINNED_ENTRIES entries resolved\$" 30
acct=$(sed -n 's/^A\t//p' "$work/owners.expect")
screen | grep -qxF "$acct" || fail "no line '$acct'"
ok "$acct"
# Every group and every entry line, each under its group: the screen's
# lines from the first group on are the expected ones, in order.
sed -n 's/^[GE]\t//p' "$work/owners.expect" >"$work/want"
screen | sed -n '/^[-+] /,$p' | grep -E '^([-+] |  0x)' >"$work/got"
# A note in expected.json is the start of the report's: lines compare by
# their start, one for one.
$PY - "$work/want" "$work/got" <<'PYEOF' || fail "owners view differs from expected.json"
import sys
want, got = (open(f).read().splitlines() for f in sys.argv[1:3])
bad = [(w, g) for w, g in zip(want, got) if not g.startswith(w)]
if len(want) != len(got) or bad:
    print("want %d lines, got %d; first difference: %s" % (len(want), len(got), bad[:1]))
    sys.exit(1)
PYEOF
ok "$nr_groups groups, $nr_lines entry lines, as expected.json says"

# Enter on the first group folds it: its entries go, the others stay.
first=$(sed -n '1s/^G\t- \([^:]*\):.*/\1/p' "$work/owners.expect")
first_n=$(awk -F'\t' '$1 == "G" { g++ } $1 == "E" && g == 1 { n++ } END { print n }' "$work/owners.expect")
keys Home /
text "$first:"
keys Enter
keys Enter
first_re=$(sed -n 's/^F\t//p' "$work/owners.expect")
wait_for "^\\+ $first_re:" 5
got=$(screen | grep -c '^  0x')
[ "$got" = $((nr_lines - first_n)) ] || fail "folded: $got entry lines, expected $((nr_lines - first_n))"
keys Enter
wait_for "^- $first_re:" 5
[ "$(screen | grep -c '^  0x')" = "$nr_lines" ] || fail "unfolded: not every entry line is back"
ok "Enter folds '$first' ($first_n entries) and unfolds it"

# A search of the view's text (a file's name) puts the cursor on the file
# page's entry; Enter opens its page, with its owners; q comes back.
file_pfn=$(sed -n 's/^E\t  \(0x[0-9a-f]*\) .*(file .*/\1/p' "$work/owners.expect" | head -n 1)
[ -n "$file_pfn" ] || fail "the owners scenario has no file page"
file_name=$(sed -n 's/^E\t  .*(file \([^,]*\),.*/\1/p' "$work/owners.expect" | head -n 1)
keys Home /
text "$file_name"
keys Enter
keys Enter
wait_for "^pfn $file_pfn  phys" 10
wait_for "^owner pid [0-9]+ \\(.*\\(file $file_name, inode [0-9]+\\)" 10
keys q
wait_for "^Pins by owner: " 5
ok "/ $file_name, Enter: the detail of $file_pfn with its file owner; q comes back"

# The help names the key; q goes back to the pages, then quits.
keys '?'
wait_for 'o +pins grouped by owner' 5
keys q
wait_for "^Pins by owner: " 5
keys q
wait_for '^Pages: all' 5
keys q
wait_for '^EXIT=0$' 20
ok "help lists o; q back to the pages; q quits"
check_terminal_sane
echo "PASS"
