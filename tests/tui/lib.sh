# Shared by the tmux tests of `pinscan tui` (tests/tui/*.tmux): a private
# tmux server per test, a shell in a fixed-size pane, keys in, screens out.
# A test sources this file, picks a fixture and calls tui_checks.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$(pwd)}
PINSCAN=${PINSCAN:-$top_builddir/src/pinscan}
MKVMCORE=${MKVMCORE:-$top_builddir/tests/vmcores/mkvmcore}
PY=/usr/bin/python3
name=$(basename "$0" .tmux)
work=$top_builddir/tests/out/tui/$name
rm -rf "$work" && mkdir -p "$work"
# The test's own layout cache (the tmux server passes it on to the pane);
# the real-kernel fixtures stay where they are cached.
PINSCAN_FIXTURE_CACHE=${PINSCAN_FIXTURE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}}
XDG_CACHE_HOME=$work/xdg-cache
export PINSCAN_FIXTURE_CACHE XDG_CACHE_HOME
SOCK=pinscan-tui-$name-$$
PROMPT='tui-test$ '

# On stderr too, so that a failure inside $(...) is not swallowed.
skip() { echo "SKIP: $*" >&2; exit 77; }
ok() { echo "ok: $*"; }
fail() {
	{
		echo "FAIL: $*"
		echo "---- screen ----"
		screen 2>/dev/null
		echo "----------------"
	} >&2
	exit 1
}

T() { tmux -u -L "$SOCK" -f /dev/null "$@"; }
# kill-server leaves the socket file behind.
trap 'T kill-server >/dev/null 2>&1; rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK"' EXIT

command -v tmux >/dev/null 2>&1 || skip "tmux is not installed (apt-get install tmux)"
[ -x "$PINSCAN" ] || fail "$PINSCAN is not built"

screen() { T capture-pane -p -t t; }
keys() { T send-keys -t t "$@"; }
# Literal text: tmux would read "0x5e00" as the key with that code.
text() { T send-keys -t t -l "$1"; }
# Key by key: one write per character, as a person types.
type_keys() {
	rest=$1
	while [ -n "$rest" ]; do
		c=${rest%"${rest#?}"}
		rest=${rest#?}
		T send-keys -t t -l "$c"
	done
}
# ASCII text in its full-width forms (U+FF01..U+FF5E), as documents and
# web pages may hold it.
fullwidth() {
	$PY -c 'import sys; print("".join(chr(ord(c) + 0xfee0) for c in sys.argv[1]), end="")' "$1"
}
# In one burst, as a paste delivers it: the prompt's key, the text and
# Enter in a single write. The TUI must keep every character.
paste_line() { # TEXT (prompt key first)
	T set-buffer -b pinscan-test "$1$(printf '\r')" &&
		T paste-buffer -d -b pinscan-test -t t
}

# Wait (at most $2 seconds, default 30) until the screen matches the
# extended regex $1.
wait_for() {
	i=0 limit=$(( ${2:-30} * 10 ))
	while [ $i -lt $limit ]; do
		screen | grep -Eq -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	fail "screen never showed /$1/ within ${2:-30} s"
}

# The screen line matching $1 (the first), or fail.
line_of() {
	l=$(screen | grep -E -- "$1" | head -n 1)
	[ -n "$l" ] || fail "no line matches /$1/"
	printf '%s\n' "$l"
}

# A shell in a COLS x ROWS pane, with a plain environment: TERM=screen
# (ncurses-base always has it), and NO_COLOR only when $3 is set. In a
# sanitizer build, ncurses' own leaks are not ours (lsan.supp).
start_shell() {
	T new-session -d -x "$1" -y "$2" -s t \
		"env -i PATH='$PATH' HOME='$HOME' TERM=screen LANG=C.UTF-8 ${3:+NO_COLOR=1} \
			LSAN_OPTIONS='suppressions=$top_srcdir/tests/tui/lsan.supp' PS1='$PROMPT' sh" ||
		fail "cannot start tmux"
	wait_for 'tui-test\$' 10
}

# After the TUI ended: the prompt is back and the terminal is sane.
sane_checks=0
check_terminal_sane() {
	# A new marker each time: the last one may still be on screen; and
	# typed so that the command line itself does not show it.
	sane_checks=$((sane_checks + 1))
	mark=STTY-DONE-$sane_checks
	keys "clear; stty -a | tr ';' '\\n' | grep -Eo '(^| )-?(icanon|echo|icrnl|opost)( |\$)' | tr -d ' ' | tr '\\n' ' '; echo STTY-DONE-\$((0 + $sane_checks))" Enter
	wait_for "$mark\$" 10
	stty_line=$(line_of "$mark\$")
	for mode in icanon echo icrnl opost; do
		case " $stty_line" in
		*" $mode "*) ;;
		*) fail "terminal left with -$mode after pinscan tui: $stty_line";;
		esac
	done
	ok "terminal sane afterwards ($stty_line)"
}

# Find the cached real-kernel fixture without booting anything; build it
# (tests/vmcores/real/fixture-dir.sh) only when there is none.
real_fixture() { # SERIES VARIANT
	[ "${PINSCAN_SKIP_REAL:-0}" = 1 ] && skip "real-kernel tests switched off (PINSCAN_SKIP_REAL=1)"
	cache=${XDG_CACHE_HOME:-$HOME/.cache}/pinscan/real
	dir=$(ls -d "$cache/$1".*-cloud-amd64/"$2" "$cache/$1"-*-cloud-amd64/"$2" 2>/dev/null |
		while read -r d; do [ -f "$d/expected.json" ] && echo "$d"; done |
		sort -V | tail -n 1)
	if [ -z "$dir" ]; then
		dir=$("$top_srcdir/tests/vmcores/real/fixture-dir.sh" "$1" "$2" 2>"$work/fixture.log")
		rc=$?
		[ $rc = 77 ] && skip "$(tail -n 1 "$work/fixture.log")"
		[ $rc = 0 ] || { cat "$work/fixture.log"; fail "cannot build the real $1 $2 fixture"; }
	fi
	echo "$dir"
}

synth_fixture() { # ERA [mkvmcore options]
	[ -x "$MKVMCORE" ] || fail "$MKVMCORE not built"
	era=$1
	shift
	dir=$work/fixture
	mkdir -p "$dir"
	# The generator is not what is tested: its leaks do not count in a
	# --enable-sanitizers build.
	ASAN_OPTIONS=detect_leaks=0 \
	"$MKVMCORE" --srcdir "$top_srcdir/tests/vmcores" --era "$era" --out "$dir" "$@" \
		>"$dir/mkvmcore.log" 2>&1 ||
		{ cat "$dir/mkvmcore.log"; fail "mkvmcore --era $era $* failed"; }
	echo "$dir"
}

# What the screens must show, from the fixture's expected.json (the truth
# the dump was made with) and, for what expected.json does not list (info
# findings, refcounts), from `pinscan scan --format json` of the same dump.
expectations() { # DIR DUMP
	timeout 300 "$PINSCAN" scan "$2" -s "$1/vmlinux" --format json \
		-o "$work/scan.json" 2>"$work/scan.err"
	[ $? -le 1 ] || { cat "$work/scan.err"; fail "pinscan scan failed"; }
	$PY - "$1/expected.json" "$work/scan.json" >"$work/expect.sh" <<'PYEOF' ||
import json, sys
exp = json.load(open(sys.argv[1]))
rep = json.load(open(sys.argv[2]))
pinned = exp["pinned"]
def sh(k, v):
    print("%s='%s'" % (k, str(v).replace("'", "")))
sh("KERNEL", exp["kernel"])
sh("PINNED_PAGES", exp["summary"]["pinned_pages"])
sh("PINNED_ENTRIES", len(pinned))
sh("PAGES", exp["summary"]["pages"])
sh("PINNED_LIST", " ".join("%x:%s:%s:%d" % (p["pfn"], p["how"], p["confidence"], p["pincount"]) for p in pinned))
small = [p for p in pinned if p["how"] == "refcount-bias"]
large = [p for p in pinned if p["how"] != "refcount-bias" and p["nr_pages"] > 1]
if not small or not large:
    sys.exit("the fixture needs a refcount-bias pin and a pinned large folio")
refcount = {p["pfn"]: p["refcount"] for p in rep["pinned"]}
for k, p in (("SMALL", small[0]), ("LARGE", large[0])):
    sh(k + "_PFN", p["pfn"])
    sh(k + "_HEX", "%#x" % p["pfn"])
    sh(k + "_HOW", p["how"])
    sh(k + "_CONF", p["confidence"])
    sh(k + "_PINCOUNT", p["pincount"])
    sh(k + "_REFCOUNT", refcount.get(p["pfn"], "unknown"))
sh("LARGE_TAIL_HEX", "%#x" % (large[0]["pfn"] + 1))
sh("FIRST_PINNED", "%#x" % pinned[0]["pfn"])
sh("SECOND_PINNED", "%#x" % pinned[1]["pfn"] if len(pinned) > 1 else "%#x" % pinned[0]["pfn"])
fpfns = sorted({f["pfn"] for f in rep["findings"]})
sh("FINDING_PAGES", len(fpfns))
sh("FINDINGS_TOTAL", rep["summary"]["findings"])
sh("EXPECTED_FINDINGS", " ".join("%s:%x" % (f["rule"], f["pfn"]) for f in exp["findings"]))
# What the kernel's counters must balance: every pin the dump holds.
sh("PINCOUNT_TOTAL", sum(p["pincount"] for p in pinned))
PYEOF
	fail "cannot read expected.json"
	. "$work/expect.sh"
}

# Start the TUI in the pane; returns when its header shows the finished
# scan's pinned count.
start_tui() { # DUMP VMLINUX
	keys "clear; $PINSCAN tui '$1' -s '$2'; echo EXIT=\$?" Enter
	wait_for "kernel $KERNEL" 60
	# The header's long form, or its short one on a narrow screen.
	wait_for "pinned $PINNED_PAGES( pages)? \\($PINNED_ENTRIES( entries)?\\)" 120
	ok "header: kernel $KERNEL, pinned $PINNED_PAGES pages in $PINNED_ENTRIES entries"
}

# Go to a pfn (decimal, as people type it) and check its row: typed key
# by key, or pasted with g and Enter in one burst.
check_jump() { # keys|burst PFN HEX HOW CONF PINCOUNT
	how=$1
	shift
	if [ "$how" = burst ]; then
		paste_line "g$1"
	else
		keys g
		wait_for 'go to pfn:' 5
		type_keys "$1"
		keys Enter
	fi
	wait_for "^$2 " 10
	row=$(line_of "^$2 ")
	case "$row" in
	*"$3 $4 $5 "*) ;;
	*) fail "row of $2 lacks '$3 $4 $5': $row";;
	esac
	ok "g $1 ($how): row $2 shows $3 $4 $5"
}

# Enter on the cursor row: the detail of pfn $1 with its pin state.
check_detail() { # HEX HOW CONF PINCOUNT REFCOUNT
	keys Enter
	wait_for "^pfn $1  phys" 10
	wait_for "^pin: PINNED how $2, confidence $3, pincount $4\$" 5
	rc_line=$(line_of '^  refcount [0-9]+  mapcount')
	refcount=$(echo "$rc_line" | sed 's/^  refcount \([0-9]*\).*/\1/')
	if [ "$2" = refcount-bias ]; then
		[ $((refcount / 1024)) = "$4" ] ||
			fail "refcount $refcount of $1 does not give pincount $4"
	fi
	[ "$5" = unknown ] || [ "$refcount" = "$5" ] ||
		fail "detail of $1 shows refcount $refcount, the scan says $5"
	ok "detail of $1: pin $2 $3 $4, refcount $refcount"
}

# In a detail view: follow lru.next with '>' and come back with q.
check_lru_follow() { # HEX of the page shown
	next=$(screen | sed -n 's/^  next (>) 0x[0-9a-f]* -> pfn \(0x[0-9a-f]*\).*/\1/p' | head -n 1)
	[ -n "$next" ] || return 1
	back=$(line_of '^  next \(>\)')
	keys '>'
	wait_for "^pfn $next  phys" 10
	case "$back" in
	*"links back"*)
		wait_for "^  prev \\(<\\) 0x[0-9a-f]* -> pfn $1, links back" 5;;
	esac
	ok "LRU next of $1 is $next, and its prev leads back"
	keys q
	wait_for "^pfn $1  phys" 10
	return 0
}

# o opens the owners view: the accounting line balances PINCOUNT_TOTAL,
# the header shows the same count, the group line $1 is there; q goes
# back to the pages.
check_owners_view() { # GROUP-REGEX
	keys o
	wait_for "^Pins by owner: [0-9]+ groups, $PINNED_ENTRIES of $PINNED_ENTRIES entries resolved\$" 60
	wait_for "^pin accounting: acquired [0-9]+, released [0-9]+, outstanding $PINCOUNT_TOTAL; decoded $PINCOUNT_TOTAL \\(balanced\\)\$" 10
	line_of "(kernel pins $PINCOUNT_TOTAL, decoded $PINCOUNT_TOTAL|pins $PINCOUNT_TOTAL=$PINCOUNT_TOTAL)" >/dev/null
	wait_for "$1" 10
	ok "owners view: $(line_of "$1"); $(line_of '^pin accounting:')"
	keys q
	wait_for '^Pages: all' 5
}

# The whole walk through the TUI on one dump.
tui_checks() { # DIR DUMP [nocolor]
	dir=$1 dump=$2 nocolor=${3:-}
	expectations "$dir" "$dump"
	start_shell 100 30 "$nocolor"
	start_tui "$dump" "$dir/vmlinux"

	# Colour when the terminal has it, none with NO_COLOR.
	if T capture-pane -p -e -t t | grep -Eq "$(printf '\033')\\[([0-9;]*;)?(3[0-7]|4[0-7])m"; then
		[ -z "$nocolor" ] || fail "colours on screen despite NO_COLOR"
		ok "colours on"
	else
		[ -n "$nocolor" ] || fail "no colours on a colour terminal"
		ok "no colours with NO_COLOR"
	fi

	# The large folio's head pasted in one burst, then the small page
	# typed key by key (the detail checks below start from it).
	check_jump burst "$LARGE_HEX" "$LARGE_HEX" "$LARGE_HOW" "$LARGE_CONF" "$LARGE_PINCOUNT"
	# Pasted text beyond ASCII is kept, not dropped: full-width digits
	# read as the ASCII they stand for.
	paste_line "g$(fullwidth "$LARGE_TAIL_HEX")"
	wait_for "^Pages: all \\| row [0-9]+ of [0-9]+ \\| pfn $LARGE_TAIL_HEX \\|" 10
	ok "g with $LARGE_TAIL_HEX pasted in full-width digits jumps there"
	check_jump keys "$SMALL_PFN" "$SMALL_HEX" "$SMALL_HOW" "$SMALL_CONF" "$SMALL_PINCOUNT"
	check_detail "$SMALL_HEX" "$SMALL_HOW" "$SMALL_CONF" "$SMALL_PINCOUNT" "$SMALL_REFCOUNT"
	if ! check_lru_follow "$SMALL_HEX"; then
		# Not on an LRU list: follow the first LRU page after it.
		keys q
		wait_for '^Pages: all' 5
		keys /
		text 'lru'
		keys Enter Enter
		wait_for '^pfn 0x[0-9a-f]*  phys' 10
		lru_pfn=$(screen | sed -n 's/^pfn \(0x[0-9a-f]*\)  phys.*/\1/p')
		check_lru_follow "$lru_pfn" || fail "no LRU link on LRU page $lru_pfn"
	fi
	keys q
	wait_for '^Pages: all' 5

	# A tail of the pinned large folio leads to its head, which is pinned.
	keys g
	text "$LARGE_TAIL_HEX"
	keys Enter
	wait_for "^$LARGE_TAIL_HEX .* tail " 10
	keys Enter
	wait_for "^  tail of head -> pfn $LARGE_HEX \\(H\\)" 10
	keys H
	wait_for "^pfn $LARGE_HEX  phys" 10
	wait_for "^pin: PINNED how $LARGE_HOW, confidence $LARGE_CONF, pincount $LARGE_PINCOUNT\$" 5
	ok "tail $LARGE_TAIL_HEX -> head $LARGE_HEX: $LARGE_HOW $LARGE_CONF $LARGE_PINCOUNT"
	# Its owners and holders, resolved on demand: the workload's when the
	# caller names it (OWNER_COMM), else at least what pinscan found.
	if [ -n "${OWNER_COMM:-}" ]; then
		wait_for "^owner pid [0-9]+ \\($OWNER_COMM\\) at 0x[0-9a-f]+ \\(anon\\)" 5
		wait_for "^held by pid [0-9]+ \\($OWNER_COMM\\): io_uring fd [0-9]+, registered buffer [0-9]+" 5
		ok "detail of $LARGE_HEX: owned by $OWNER_COMM, held by its io_uring"
	else
		wait_for "^(held by |holders: )" 5
		ok "detail of $LARGE_HEX: holders shown"
	fi
	keys q q
	wait_for '^Pages: all' 5

	# The owners view: with the workload named, every pinned entry is in
	# its group, and the kernel's pin count balances the pins the truth
	# lists (the header says so too).
	if [ -n "${OWNER_COMM:-}" ]; then
		check_owners_view "^- pid [0-9]+ \\($OWNER_COMM\\): $PINNED_PAGES pages in $PINNED_ENTRIES entries, io_uring fd [0-9]+\$"
	fi

	# Pinned only: one row per expected entry, each with its pin.
	keys p
	wait_for "^Pages: filter pinned \\| row [0-9]+ of $PINNED_ENTRIES \\|" 10
	shown=0
	for e in $PINNED_LIST; do
		hex=0x${e%%:*} rest=${e#*:}
		how=${rest%%:*} rest=${rest#*:}
		conf=${rest%%:*} pc=${rest#*:}
		screen | grep -Eq "^$hex " || continue
		row=$(line_of "^$hex ")
		case "$row" in
		*"$how $conf $pc "*) shown=$((shown + 1));;
		*) fail "pinned row $hex lacks '$how $conf $pc': $row";;
		esac
	done
	[ $shown -gt 0 ] || fail "no expected pinned pfn on the first screen"
	ok "pinned only: $PINNED_ENTRIES rows, $shown checked on screen"
	keys s
	wait_for "sort pincount" 5
	keys s s p
	wait_for '^Pages: all \| row' 5

	# Search with an expression: from the first row to the first pinned
	# page, n to the next, N back.
	if [ "$FIRST_PINNED" != 0x0 ]; then
		keys Home
		wait_for '^Pages: all \| row 1 of' 5
		paste_line '/pinned'
		wait_for "^Pages: all \\| .* \\| pfn $FIRST_PINNED \\|" 20
		keys n
		wait_for "^Pages: all \\| .* \\| pfn $SECOND_PINNED \\|" 20
		keys N
		wait_for "^Pages: all \\| .* \\| pfn $FIRST_PINNED \\|" 20
		ok "search 'pinned': $FIRST_PINNED, n: $SECOND_PINNED, N: back"
	fi

	# Findings only, and the findings view grouped by rule.
	keys F
	wait_for "^Pages: filter findings \\| row [0-9]+ of $FINDING_PAGES \\|" 10
	ok "findings only: $FINDING_PAGES pages"
	keys F Tab
	wait_for "^Findings by rule: $FINDINGS_TOTAL findings" 10
	# Every (rule, pfn) expected.json lists is there: search its pfn.
	for rf in $EXPECTED_FINDINGS; do
		keys Home /
		text "pfn 0x${rf#*:} "
		keys Enter
		wait_for "pfn 0x${rf#*:} " 10
	done
	ok "findings view: $FINDINGS_TOTAL findings${EXPECTED_FINDINGS:+, expected ones listed}"
	keys Tab

	# A flag expression filter, typed key by key.
	keys f
	wait_for '^flag filter' 5
	type_keys 'lru&!active'
	keys Enter
	wait_for "^Pages: filter 'lru&!active' \\| row [0-9]+ of [0-9]+ \\| pfn 0x[0-9a-f]+ \\| sort" 60
	wait_for 'filter: [0-9]+ pages' 60
	ok "$(line_of '^Pages: filter')"
	keys c
	wait_for '^Pages: all \| row' 5

	# A pfn range and a filter pasted in one burst each, prompt key and
	# Enter included.
	paste_line "r$LARGE_HEX-$LARGE_TAIL_HEX"
	wait_for "^Pages: filter pfn $LARGE_HEX-$LARGE_TAIL_HEX \\| row 1 of 2 \\|" 10
	paste_line 'flru'
	wait_for "^Pages: filter 'lru' pfn $LARGE_HEX-$LARGE_TAIL_HEX \\|" 20
	ok "r and f pasted in one burst: $(line_of '^Pages: filter')"
	keys c
	wait_for '^Pages: all \| row' 5

	# Help, then back.
	keys '?'
	wait_for '^Everywhere' 5
	keys q
	wait_for '^Pages: all' 5
	ok "help opens and closes"

	# Resize: the screen follows the window.
	T resize-window -t t -x 80 -y 24
	wait_for '^\?:help Enter:detail g:goto /:search p:pinned F:findings f:flags q:quit' 10
	[ "$(screen | wc -l)" -le 24 ] || fail "more than 24 lines after resizing to 80x24"
	wide=$(screen | awk 'length > 80' | head -n 1)
	[ -z "$wide" ] || fail "a line wider than 80 columns: $wide"
	line_of "kernel $KERNEL" >/dev/null
	ok "80x24 after resize-window"
	T resize-window -t t -x 120 -y 40
	wait_for '^\?:help Enter:detail g:goto /:search p:pinned F:findings f:flags r:range s:sort o:owners Tab q:quit' 10
	[ "$(screen | sed -n 40p | cut -c1-6)" = "?:help" ] || fail "status line not at the bottom of 40 rows"
	ok "120x40 after resize-window"

	# q quits, status 0, terminal sane.
	keys q
	wait_for '^EXIT=0$' 20
	ok "q: exit status 0"
	check_terminal_sane

	# Ctrl-C ends it too, by SIGINT, terminal sane.
	keys "clear; $PINSCAN tui '$dump' -s '$dir/vmlinux'" Enter
	wait_for "kernel $KERNEL" 60
	keys C-c
	wait_for '^tui-test\$ ?$' 20
	keys "echo STATUS=\$?" Enter
	wait_for '^STATUS=130$' 10
	ok "Ctrl-C: killed by SIGINT (status 130)"
	check_terminal_sane
}
