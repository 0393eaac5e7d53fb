#!/bin/sh
# Regenerate the fuzzers' seed corpora (tests/fuzz/NAME/) from the
# synthetic generator's dumps, one per kernel era where the input depends
# on the era. Run from a build directory (plain or fuzz) after `make`:
#   sh ../tests/fuzz/make-seeds.sh
# Needs tests/vmcores/mkvmcore, src/pinscan, makedumpfile and pahole (BTF).
# The corpus stays small (about 350 KB in all: see README.md); what the
# fuzzers find beyond it stays in tests/fuzz-out, out of git.
set -eu
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$(pwd)}
fz=$top_srcdir/tests/fuzz
mk=$top_builddir/tests/vmcores/mkvmcore
pinscan=$top_builddir/src/pinscan
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export ASAN_OPTIONS=detect_leaks=0

for d in vmcoreinfo layout-file decode flattened scan btf kallsyms; do
	rm -rf "${fz:?}/$d" && mkdir -p "$fz/$d"
done

dump() { # name era mkvmcore-options...
	name=$1 era=$2
	shift 2
	"$mk" --srcdir "$top_srcdir/tests/vmcores" --era "$era" --out "$work/$name" \
		--mem-mib 384 "$@" > "$work/$name.log" 2>&1 ||
		{ cat "$work/$name.log"; exit 1; }
	# The source line names the vmlinux: not this run's scratch path.
	"$pinscan" layout -s "$work/$name/vmlinux" -o "$work/$name/layout.raw"
	sed "s|^source .*|source DWARF of $era vmlinux|" "$work/$name/layout.raw" \
		> "$work/$name/layout"
}

for era in 4.19-rfc1 4.19-rfc2 5.10 6.1 6.12 6.16 6.18 7.1; do
	case $era in 4.19-rfc2|6.12|6.16|6.18) btf=false ;; *) btf=true ;; esac
	dump "$era" "$era"
	d=$work/$era
	python3 "$fz/seeds.py" vmcoreinfo "$d/vmcore" "$fz/vmcoreinfo/$era"
	cp "$d/layout" "$fz/layout-file/$era"
	python3 "$fz/seeds.py" decode "$d/vmcore" "$d/layout" "$fz/decode/$era" 32
	# BTF as the kernel's build makes it (pahole -J from the DWARF), of
	# four eras (8-10 KB each).
	if $btf; then
		cp "$d/vmlinux" "$work/btf.elf"
		pahole -J "$work/btf.elf" 2>/dev/null
		objcopy --dump-section .BTF="$fz/btf/$era" "$work/btf.elf"
	fi
done
# The variants that change VMCOREINFO or mem_section's shape.
dump l5-kaslr 6.1 --l5 --kaslr
python3 "$fz/seeds.py" vmcoreinfo "$work/l5-kaslr/vmcore" "$fz/vmcoreinfo/6.1-l5-kaslr"
dump noextreme 5.10 --no-extreme --no-vmemmap
python3 "$fz/seeds.py" vmcoreinfo "$work/noextreme/vmcore" "$fz/vmcoreinfo/5.10-noextreme"
cp "$work/noextreme/layout" "$fz/layout-file/5.10-noextreme"

# The whole scan: the smallest kdump-compressed dump the generator makes
# (6.1, 384 MiB, zero pages left out), and the layout file the harness
# scans it with (every other input: VMCOREINFO alone).
dump scan 6.1 --kdump
makedumpfile -c -d 1 "$work/scan/vmcore" "$work/scan.kdump" >/dev/null 2>&1
cp "$work/scan.kdump" "$fz/scan/6.1.kdump"
chmod 644 "$fz/scan/6.1.kdump"
cp "$work/scan/layout" "$fz/scan.layout"

# Flattened streams: the kdump's headers and bitmaps, and a whole small
# ELF dump's first pages (the reassembled copy goes to dump_guard).
python3 "$fz/seeds.py" flat "$work/scan.kdump" "$fz/flattened/kdump-head" 24576
python3 "$fz/seeds.py" flat "$work/scan/vmcore" "$fz/flattened/elf-head" 16384

# kallsyms: a table written as scripts/kallsyms.c does, for the symbols
# of a synthetic vmlinux (seeds.py kallsyms), and a /proc/kallsyms text.
python3 "$fz/seeds.py" kallsyms "$work/6.1/vmlinux" "$work/6.1/vmcore" \
	"$fz/kallsyms/6.1-table" "$fz/kallsyms/6.1-proc"

du -sh "$fz"
