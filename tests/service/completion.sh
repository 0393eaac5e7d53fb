#!/bin/sh
# bash completion (completion/pinscan): registered for pinscan
# (complete -p), and what a user gets on Tab: subcommands, options, the
# values of --format/--fail-on, rule ids after `pinscan rules`, files.
. "$(dirname "$0")/lib.sh"
command -v bash >/dev/null 2>&1 || skip "no bash"
bc=/usr/share/bash-completion/bash_completion
[ -r "$bc" ] || skip "bash-completion is not installed (apt-get install bash-completion)"
work=$(mktemp -d) || exit 99
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/files/crash" && touch "$work/files/vmcore" "$work/files/vmlinux"

# complete LINE: the completions bash offers for LINE (cursor at its end),
# one a line, sorted; the command word is this build's pinscan.
cat > "$work/complete.bash" <<BASHEOF
. "$bc"
. "$top_srcdir/completion/pinscan"
complete -p pinscan || exit 1
# The same function for the build's binary, found by its path.
complete -F _pinscan "$PINSCAN"
complete_line() {
	COMP_LINE=\$1
	COMP_POINT=\${#COMP_LINE}
	read -r -a COMP_WORDS <<< "\$COMP_LINE"
	[[ \$COMP_LINE == *" " ]] && COMP_WORDS+=("")
	COMP_CWORD=\$((\${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_pinscan "\${COMP_WORDS[0]}" "\${COMP_WORDS[\$COMP_CWORD]}" "\${COMP_WORDS[\$COMP_CWORD - 1]}"
	printf '%s\n' "\${COMPREPLY[@]}" | sort
}
BASHEOF

got() { # LINE: what is offered, on one line
	(cd "$work/files" && bash -c ". '$work/complete.bash' >/dev/null && complete_line \"\$1\"" _ "$1") | tr '\n' ' ' | sed 's/ $//'
}
expect() { # LINE EXPECTED
	g=$(got "$1")
	[ "$g" = "$2" ] || fail "'$1<Tab>' offers '$g', not '$2'"
	echo "ok: '$1<Tab>' -> $2"
}

bash -c ". '$bc'; . '$top_srcdir/completion/pinscan'; complete -p pinscan" > "$work/spec" 2>&1 ||
	{ cat "$work/spec"; fail "complete -p pinscan: not registered"; }
grep -qx 'complete -F _pinscan pinscan' "$work/spec" || fail "unexpected spec: $(cat "$work/spec")"

expect "pinscan " "--help --version help layout report-dir rules scan tui version"
expect "pinscan s" "scan"
expect "pinscan r" "report-dir rules"
expect "pinscan scan --fo" "--force --format"
expect "pinscan scan --fa" "--fail-on"
expect "pinscan scan --format " "json text"
expect "pinscan scan --fail-on " "error info warning"
expect "pinscan scan --fail-on w" "warning"
expect "pinscan tui --f" "--force"
expect "pinscan scan --rfc-pin-bit " "1 2"
expect "pinscan scan --no-p" "--no-progress"
expect "pinscan scan --j" "--jobs"
expect "pinscan tui --j" "--jobs"
expect "pinscan report-dir --" "--kdump-config"
# Files: dumps for scan, a vmlinux for -s, a directory for report-dir.
expect "pinscan scan vm" "vmcore vmlinux"
expect "pinscan scan vmcore -s vmli" "vmlinux"
expect "pinscan report-dir " "crash"
# Rule ids from the pinscan being completed: all of them, and by prefix.
"$PINSCAN" rules | awk '/^[A-Z]/ { print $1 }' | sort | tr '\n' ' ' | sed 's/ $//' > "$work/ids"
[ -s "$work/ids" ] || fail "pinscan rules lists no rule"
expect "$PINSCAN rules " "$(cat "$work/ids")"
first=$(cut -d' ' -f1 "$work/ids")
prefix=$(echo "$first" | cut -c1-6)
expect "$PINSCAN rules $prefix" "$(tr ' ' '\n' < "$work/ids" | grep "^$prefix" | tr '\n' ' ' | sed 's/ $//')"
# And each id it offers is one pinscan rules knows.
"$PINSCAN" rules "$first" | head -n 1 | grep -q "^$first " || fail "pinscan rules $first does not show it"
"$PINSCAN" rules NO-SUCH-RULE >/dev/null 2>&1; [ $? = 2 ] || fail "an unknown rule id is not exit 2"
# compgen over the words the script offers for --fail-on: the severities
# pinscan accepts, each of them.
for sev in $(got "pinscan scan --fail-on "); do
	"$PINSCAN" scan /nonexistent --fail-on "$sev" 2>&1 | grep -q 'fail-on' &&
		fail "--fail-on $sev offered but refused"
done
echo ok
