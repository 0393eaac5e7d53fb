#!/bin/bash
# Build real-kernel crash-dump fixtures for pinscan from Debian 12's kernel packages.
#
#   tests/vmcores/real/build-fixture.sh SERIES|VERSION [options]
#
#   SERIES   6.1 or 6.12 (any "X.Y": the newest linux-image-X.Y*-FLAVOUR-unsigned with a
#            matching -dbg package that apt offers now), or an exact version such as
#            6.1.0-55 or 6.12.117+deb12 (the part between "linux-image-" and "-FLAVOUR").
#   --variant V     build only this variant (repeatable); default: all four of
#                   4level-nokaslr 4level-kaslr 5level-nokaslr 5level-kaslr
#   --flavour F     kernel flavour (default cloud-amd64)
#   --modules "M.." extra modules to load in the guest (their deps are resolved), e.g. "9p virtio_pci"
#   --force         rebuild even when the cached fixture is up to date
#   --no-expected   skip drgn-count.py / truth-to-expected.py (expected.json)
#   --timeout S     seconds to wait for the guest's panic (default 600)
#   --print-dir     only print the fixture directory of each variant (resolving the version)
#   --prepare-only  download, extract and build the initramfs, boot nothing
#
# Fixture directory: ${XDG_CACHE_HOME:-$HOME/.cache}/pinscan/real/<ver>-<flavour>/<variant>/
# holding vmlinux (symlink to the debug vmlinux), vmcore (ELF), vmcore.flat (QEMU's kdump-zlib
# output as is: makedumpfile's flattened format), vmcore.kdump (the same reassembled into an
# ordinary kdump-compressed file), truth.txt, serial.log, vmcoreinfo.txt, elfinfo.txt, kdumpinfo.txt, meta.txt,
# drgn-counts.json, expected.json. See README.md.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PY=/usr/bin/python3
ALL_VARIANTS="4level-nokaslr 4level-kaslr 5level-nokaslr 5level-kaslr"

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
log() { printf '[build-fixture %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}'; }

[ $# -ge 1 ] || usage
SPEC=$1; shift
case "$SPEC" in -h|--help) usage;; esac
VARIANTS=""
FLAVOUR=cloud-amd64
EXTRA_MODULES=""
FORCE=0
EXPECTED=1
TIMEOUT=600
PRINT_DIR=0
PREPARE_ONLY=0
while [ $# -gt 0 ]; do
	case "$1" in
	--variant) VARIANTS="$VARIANTS $2"; shift 2;;
	--flavour|--flavor) FLAVOUR=$2; shift 2;;
	--modules) EXTRA_MODULES=$2; shift 2;;
	--force) FORCE=1; shift;;
	--no-expected) EXPECTED=0; shift;;
	--timeout) TIMEOUT=$2; shift 2;;
	--print-dir) PRINT_DIR=1; shift;;
	--prepare-only) PREPARE_ONLY=1; shift;;
	-h|--help) usage;;
	*) die "unknown option $1";;
	esac
done
VARIANTS=${VARIANTS:-$ALL_VARIANTS}
for v in $VARIANTS; do
	case " $ALL_VARIANTS " in *" $v "*) ;; *) die "unknown variant $v (known: $ALL_VARIANTS)";; esac
done

CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/pinscan/real
mkdir -p "$CACHE"

need_cmd() { # command package
	command -v "$1" >/dev/null 2>&1 || [ -x "$1" ] && return 0
	log "installing $2 (for $1)"
	apt_update_once
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$2" >&2
}
APT_UPDATED=0
apt_update_once() {
	[ $APT_UPDATED = 1 ] && return 0
	log "apt-get update"
	apt-get update >&2 || log "apt-get update failed (continuing with the lists we have)"
	APT_UPDATED=1
}

# ---------------------------------------------------------------- 1. which kernel
re_escape() { printf '%s' "$1" | sed 's/[.+]/\\&/g'; }
candidate() { # package -> candidate version or empty
	apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}' | grep -v '(none)' || true
}
list_versions() { # series -> versions with both -unsigned and -dbg, oldest first
	local re; re=$(re_escape "$1")
	apt-cache search --names-only "^linux-image-${re}[.-].*-${FLAVOUR}-unsigned\$" 2>/dev/null |
		sed -n "s/^linux-image-\(${re}[.-][^ ]*\)-${FLAVOUR}-unsigned .*/\1/p" | sort -V |
		while read -r v; do
			[ -n "$(candidate "linux-image-$v-$FLAVOUR-dbg")" ] && echo "$v"
		done
	return 0
}
resolve_version() {
	local spec=$1 vers
	if [[ "$spec" =~ ^[0-9]+\.[0-9]+$ ]]; then
		vers=$(list_versions "$spec")
		if [ -z "$vers" ]; then apt_update_once; vers=$(list_versions "$spec"); fi
		if [ -z "$vers" ]; then
			# Offline and cached? Use the newest cached version of the series.
			vers=$(ls "$CACHE" 2>/dev/null | sed -n "s/^\($(re_escape "$spec")[.-].*\)-${FLAVOUR}\$/\1/p" | sort -V)
			[ -n "$vers" ] && log "series $spec not offered by apt now; using cached $(echo "$vers" | tail -1)"
		fi
		[ -n "$vers" ] || die "Debian's apt sources here do not offer a linux-image-$spec*-$FLAVOUR-unsigned with a matching -dbg package (checked: apt-cache search/policy over $(ls /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null | tr '\n' ' '))"
		echo "$vers" | tail -1
	else
		echo "$spec"
	fi
}
KVER_SHORT=$(resolve_version "$SPEC")
KVER="$KVER_SHORT-$FLAVOUR"
KDIR="$CACHE/$KVER"

if [ $PRINT_DIR = 1 ]; then
	for v in $VARIANTS; do echo "$KDIR/$v"; done
	exit 0
fi
mkdir -p "$KDIR"
# One builder per kernel at a time: cases run in parallel (make -j check) ask
# for the same fixture, and a second builder would remove the first one's work
# directory under its running guest. The second waits, then finds it up to date.
exec 8>"$KDIR/.build.lock"
flock 8
log "kernel $KVER -> $KDIR"

# Hash of the builder's own files: a fixture is rebuilt when any of them changes.
DUMP_HASH=$(cat "$HERE/build-fixture.sh" "$HERE/workload.c" "$HERE/fixture-helper.py" | sha256sum | cut -c1-16)
EXP_HASH=$( (echo "$DUMP_HASH"; cat "$HERE/drgn-count.py" "$HERE/truth-to-expected.py") | sha256sum | cut -c1-16)

TIMINGS="$KDIR/timings.txt"
tlog() { echo "$(date -u +%FT%TZ) $*" >> "$TIMINGS"; log "$*"; }

# ---------------------------------------------------------------- 2. download + extract
UNSIGNED=linux-image-$KVER-unsigned
DBG=linux-image-$KVER-dbg
mkdir -p "$KDIR/deb"
if ! ls "$KDIR"/deb/"${UNSIGNED}"_*.deb >/dev/null 2>&1 || ! ls "$KDIR"/deb/"${DBG}"_*.deb >/dev/null 2>&1; then
	[ -n "$(candidate "$UNSIGNED")" ] || apt_update_once
	[ -n "$(candidate "$UNSIGNED")" ] || die "apt does not offer $UNSIGNED"
	[ -n "$(candidate "$DBG")" ] || die "apt does not offer $DBG"
	t=$(now)
	if ! (cd "$KDIR/deb" && rm -f ./*.deb.partial && apt-get download "$UNSIGNED" "$DBG" >&2); then
		apt_update_once # stale lists name a file the mirror no longer has
		(cd "$KDIR/deb" && rm -f ./*.deb.partial && apt-get download "$UNSIGNED" "$DBG" >&2)
	fi
	tlog "download $UNSIGNED $DBG: $(since "$t") s, $(du -sh "$KDIR/deb" | cut -f1)"
fi
UNSIGNED_DEB=$(ls "$KDIR"/deb/"${UNSIGNED}"_*.deb | tail -1)
DBG_DEB=$(ls "$KDIR"/deb/"${DBG}"_*.deb | tail -1)
X="$KDIR/kernel"
mkdir -p "$X"
VMLINUZ="$X/boot/vmlinuz-$KVER"
VMLINUX="$X/usr/lib/debug/boot/vmlinux-$KVER"
if [ ! -s "$VMLINUZ" ]; then
	t=$(now)
	dpkg-deb --fsys-tarfile "$UNSIGNED_DEB" | tar -x -C "$X" "./boot/vmlinuz-$KVER" "./boot/config-$KVER" "./boot/System.map-$KVER"
	tlog "extract vmlinuz: $(since "$t") s"
fi
if [ ! -s "$VMLINUX" ]; then
	t=$(now)
	dpkg-deb --fsys-tarfile "$DBG_DEB" | tar -x -C "$X" "./usr/lib/debug/boot/vmlinux-$KVER"
	tlog "extract debug vmlinux: $(since "$t") s ($(du -h "$VMLINUX" | cut -f1))"
fi
# Layout facts of this kernel's DWARF, for pinscan's author (pahole + drgn, no dump needed).
if [ ! -s "$KDIR/layout.txt" ] && command -v pahole >/dev/null && "$PY" -c 'import drgn' 2>/dev/null; then
	{
		echo "# pahole -C page,folio,mem_section $VMLINUX"
		pahole -C page,folio,mem_section "$VMLINUX" 2>&1 || true
		"$PY" - "$VMLINUX" <<'PYEOF'
import sys, drgn
p = drgn.Program(); p.load_debug_info([sys.argv[1]])
for name in ("enum pageflags", "enum pagetype"):
    try:
        print(p.type(name))
    except LookupError:
        print("# no %s in the DWARF" % name)
shown = set()
for c in ("SECTION_MARKED_PRESENT_BIT", "SECTION_HAS_MEM_MAP_BIT", "SECTION_MAP_LAST_BIT", "PAGE_TYPE_BASE",
          "PG_buddy", "PGTY_buddy", "PGTY_slab"):
    try:
        o = p[c]
        print("%s = %s" % (c, o.value_()))
        if str(o.type_) not in shown:
            shown.add(str(o.type_)); print(o.type_)
    except (KeyError, LookupError):
        print("# %s: not in the DWARF" % c)
PYEOF
	} > "$KDIR/layout.txt.tmp" && mv "$KDIR/layout.txt.tmp" "$KDIR/layout.txt"
fi
[ -s "$X/contents.txt" ] || dpkg-deb --fsys-tarfile "$UNSIGNED_DEB" | tar -t > "$X/contents.txt"

# Modules: qemu_fw_cfg (hands the guest's VMCOREINFO to QEMU's -device vmcoreinfo) + extras,
# with their dependencies from the modules' own "depends=" modinfo field, deps first.
MODS_ORDER=()
module_path() { # name -> path inside the package
	local n=${1//-/_}
	awk -v n="$n" '{ b=$0; sub(/.*\//, "", b); sub(/\.ko(\.xz|\.zst|\.gz)?$/, "", b); gsub(/-/, "_", b);
		if (b == n && $0 ~ /\.ko(\.xz|\.zst|\.gz)?$/) { print; exit } }' "$X/contents.txt"
}
module_plain() { # extracted path -> uncompressed .ko path in $X/mods
	local p=$1 out="$X/mods/$(basename "$1" | sed -E 's/\.(xz|zst|gz)$//')"
	mkdir -p "$X/mods"
	if [ ! -s "$out" ]; then
		case "$p" in
		*.xz) xz -dc "$X/$p" > "$out";;
		*.zst) need_cmd zstd zstd; zstd -dcq "$X/$p" > "$out";;
		*.gz) gzip -dc "$X/$p" > "$out";;
		*) cp "$X/$p" "$out";;
		esac
	fi
	echo "$out"
}
add_module() {
	local name=${1//-/_} p ko dep m
	for m in "${MODS_ORDER[@]}"; do [ "$(basename "$m" .ko | tr - _)" = "$name" ] && return 0; done
	p=$(module_path "$name")
	if [ -z "$p" ]; then
		grep -qE "(^|/)$name.ko" "$X/lib/modules/$KVER/modules.builtin" 2>/dev/null && return 0
		if dpkg-deb --fsys-tarfile "$UNSIGNED_DEB" | tar -x -C "$X" "./lib/modules/$KVER/modules.builtin" 2>/dev/null &&
			grep -qE "/${name//_/[-_]}\.ko" "$X/lib/modules/$KVER/modules.builtin"; then
			log "module $name is built in"; return 0
		fi
		die "module $name not found in $UNSIGNED"
	fi
	[ -e "$X/$p" ] || dpkg-deb --fsys-tarfile "$UNSIGNED_DEB" | tar -x -C "$X" "$p"
	ko=$(module_plain "$p")
	for dep in $(strings -a "$ko" | sed -n 's/^depends=//p' | tr ',' ' '); do add_module "$dep"; done
	MODS_ORDER+=("$ko")
}
for m in qemu_fw_cfg $EXTRA_MODULES; do add_module "$m"; done
log "modules: $(for m in "${MODS_ORDER[@]}"; do basename "$m"; done | tr '\n' ' ')"

# ---------------------------------------------------------------- 3. initramfs
need_cmd /bin/busybox busybox-static
need_cmd cpio cpio
need_cmd gcc gcc
INITRD="$KDIR/initramfs-$DUMP_HASH-$(printf '%s\n' "${MODS_ORDER[@]}" | sha256sum | cut -c1-8).cpio.gz"
if [ ! -s "$INITRD" ]; then
	t=$(now)
	R=$(mktemp -d "$KDIR/initramfs.XXXXXX")
	mkdir -p "$R"/{bin,dev,proc,sys,tmp,lib/modules,root}
	cp /bin/busybox "$R/bin/busybox"
	ln -s busybox "$R/bin/sh"
	mknod -m 600 "$R/dev/console" c 5 1
	mknod -m 666 "$R/dev/null" c 1 3
	gcc -O2 -Wall -static -o "$R/workload" "$HERE/workload.c"
	: > "$R/modules.order"
	for m in "${MODS_ORDER[@]}"; do cp "$m" "$R/lib/modules/"; basename "$m" >> "$R/modules.order"; done
	cat > "$R/init" <<'EOF'
#!/bin/sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tmpfs tmpfs /tmp
echo "PINSCAN-INIT $(uname -r) $(cat /proc/cmdline)"
for m in $(cat /modules.order); do insmod /lib/modules/$m || echo "PINSCAN-INIT insmod $m failed"; done
ls /sys/firmware/qemu_fw_cfg/by_name/etc/vmcoreinfo >/dev/null 2>&1 &&
	echo "PINSCAN-INIT fw_cfg etc/vmcoreinfo present" || echo "PINSCAN-INIT fw_cfg etc/vmcoreinfo MISSING"
grep -E '^(MemTotal|MemFree|AnonHugePages|HugePages_Total):' /proc/meminfo
/workload
echo "PINSCAN-INIT workload returned $?; crashing anyway"
echo c > /proc/sysrq-trigger
EOF
	chmod 755 "$R/init"
	(cd "$R" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -9) > "$INITRD.tmp"
	mv "$INITRD.tmp" "$INITRD"
	for old in "$KDIR"/initramfs-*.cpio.gz; do [ "$old" = "$INITRD" ] || rm -f "$old"; done
	rm -rf "$R"
	tlog "initramfs $(basename "$INITRD"): $(since "$t") s, $(du -h "$INITRD" | cut -f1)"
fi

if [ $PREPARE_ONLY = 1 ]; then
	echo "$INITRD"
	exit 0
fi

# ---------------------------------------------------------------- 4./5. boot, panic, dump
need_cmd qemu-system-x86_64 qemu-system-x86
QEMU_VERSION=$(qemu-system-x86_64 --version | head -1)

build_variant() {
	local v=$1 D="$KDIR/$1" W cpu cmdline sock qpid t0 t_panic waited elapsed dumpt
	local stamp; stamp="$DUMP_HASH $(basename "$INITRD")"
	if [ $FORCE = 0 ] && [ -s "$D/stamp" ] && [ "$(cat "$D/stamp")" = "$stamp" ] &&
		[ -s "$D/vmcore" ] && [ -s "$D/vmcore.flat" ] && [ -s "$D/vmcore.kdump" ] && [ -s "$D/truth.txt" ]; then
		log "$v: dump up to date ($D)"
		return 0
	fi
	case "$v" in
	4level-*) cpu="max,la57=off";;
	5level-*) cpu="max";;
	esac
	cmdline="console=ttyS0,115200 panic=0"
	case "$v" in *-nokaslr) cmdline="$cmdline nokaslr";; esac

	W="$D.tmp"
	rm -rf "$W"; mkdir -p "$W"
	sock=$(mktemp -u /tmp/pinscan-qmp.XXXXXX)
	log "$v: booting (cpu $cpu, cmdline: $cmdline)"
	exec 9>"$CACHE/.qemu.lock"
	flock 9 # one QEMU guest at a time, across builders
	t0=$(now)
	qemu-system-x86_64 -accel tcg -m 1G -smp 1 -cpu "$cpu" -nographic -monitor none \
		-serial "file:$W/serial.log" -device vmcoreinfo -qmp "unix:$sock,server=on,wait=off" \
		-kernel "$VMLINUZ" -initrd "$INITRD" -append "$cmdline" -no-reboot \
		</dev/null >"$W/qemu.out" 2>&1 &
	qpid=$!
	waited=0
	while :; do
		if grep -qa "Kernel panic - not syncing" "$W/serial.log" 2>/dev/null; then break; fi
		if ! kill -0 $qpid 2>/dev/null; then
			cat "$W/qemu.out" >&2; tail -20 "$W/serial.log" >&2 || true
			flock -u 9; die "$v: QEMU exited before the guest panicked"
		fi
		if [ "$(awk -v a="$t0" -v b="$(now)" -v l="$TIMEOUT" 'BEGIN{print (b-a > l)}')" = 1 ]; then
			kill $qpid 2>/dev/null || true; wait $qpid 2>/dev/null || true
			tail -20 "$W/serial.log" >&2 || true
			flock -u 9; die "$v: no kernel panic within $TIMEOUT s (serial log: $W/serial.log)"
		fi
		sleep 0.5
	done
	t_panic=$(since "$t0")
	sleep 2 # let the panic message finish
	local truth_line
	truth_line=$(grep -an "PINSCAN-TRUTH-BEGIN" "$W/serial.log" | head -1 | cut -d: -f1 || true)
	t=$(now)
	dumpt=$("$PY" "$HERE/fixture-helper.py" dump "$sock" "$W/vmcore" "$W/vmcore.flat")
	local t_dump; t_dump=$(since "$t")
	for _ in $(seq 1 50); do kill -0 $qpid 2>/dev/null || break; sleep 0.2; done
	kill $qpid 2>/dev/null || true
	wait $qpid 2>/dev/null || true
	flock -u 9
	rm -f "$sock"
	elapsed=$(since "$t0")

	chmod a+r "$W/vmcore" "$W/vmcore.flat"
	fallocate -d "$W/vmcore" 2>/dev/null || true # zero blocks become holes: same bytes, ~1/4 of the disk
	"$PY" "$HERE/fixture-helper.py" reassemble "$W/vmcore.flat" "$W/vmcore.kdump" >/dev/null
	tr -d '\r' < "$W/serial.log" > "$W/serial.log.tmp" && mv "$W/serial.log.tmp" "$W/serial.log"
	sed -n '/^PINSCAN-TRUTH-BEGIN/,/^PINSCAN-TRUTH-END/p' "$W/serial.log" > "$W/truth.txt"
	grep -q '^PINSCAN-TRUTH-END' "$W/truth.txt" || die "$v: no complete truth block in $W/serial.log"
	grep -a 'PINSCAN-WORKLOAD-ERROR' "$W/serial.log" >&2 && die "$v: workload error"
	"$PY" "$HERE/fixture-helper.py" vmcoreinfo "$W/vmcore" > "$W/vmcoreinfo.txt" ||
		die "$v: the ELF dump has no VMCOREINFO note (qemu_fw_cfg not loaded?)"
	"$PY" "$HERE/fixture-helper.py" elfinfo "$W/vmcore" > "$W/elfinfo.txt"
	"$PY" "$HERE/fixture-helper.py" kdumpinfo "$W/vmcore.flat" > "$W/kdumpinfo.txt"
	ln -sfn "$(realpath --relative-to="$D" "$VMLINUX" 2>/dev/null || echo "$VMLINUX")" "$W/vmlinux"
	cat > "$W/meta.txt" <<EOF
kernel $KVER
packages $(basename "$UNSIGNED_DEB") $(basename "$DBG_DEB")
uname $(sed -n 's/^uname //p' "$W/truth.txt")
variant $v
cmdline $cmdline
cpu $cpu
qemu $QEMU_VERSION
qemu_args -accel tcg -m 1G -smp 1 -cpu $cpu -device vmcoreinfo -kernel vmlinuz-$KVER -initrd $(basename "$INITRD")
pgtable_l5_enabled $(sed -n 's/^NUMBER(pgtable_l5_enabled)=//p' "$W/vmcoreinfo.txt")
kaslr_offset $(sed -n 's/^KERNELOFFSET=//p' "$W/vmcoreinfo.txt")
truth_serial_line ${truth_line:-?}
time_boot_to_panic_s $t_panic
time_dump_s $t_dump $dumpt
time_qemu_total_s $elapsed
size_vmcore $(stat -c %s "$W/vmcore")
size_vmcore_flat $(stat -c %s "$W/vmcore.flat")
size_vmcore_kdump $(stat -c %s "$W/vmcore.kdump")
size_initramfs $(stat -c %s "$INITRD")
builder_hash $DUMP_HASH
built $(date -u +%FT%TZ)
EOF
	[ -s "$KDIR/layout.txt" ] && ln -sfn ../layout.txt "$W/layout.txt"
	echo "$stamp" > "$W/stamp"
	rm -rf "$D"
	mv "$W" "$D"
	ln -sfn "$(realpath --relative-to="$D" "$VMLINUX" 2>/dev/null || echo "$VMLINUX")" "$D/vmlinux"
	tlog "$v: boot to panic $t_panic s, dump $t_dump s ($dumpt), total QEMU $elapsed s"
}

expected_variant() {
	local v=$1 D="$KDIR/$1" t
	if [ $FORCE = 0 ] && [ -s "$D/expected.stamp" ] && [ "$(cat "$D/expected.stamp")" = "$EXP_HASH $(cat "$D/stamp")" ] &&
		[ -s "$D/expected.json" ]; then
		log "$v: expected.json up to date"
		return 0
	fi
	t=$(now)
	DRGN_USE_LIBKDUMPFILE_FOR_ELF=1 "$PY" "$HERE/drgn-count.py" --pins "$D/vmlinux" "$D/vmcore" > "$D/drgn-counts.json.tmp"
	mv "$D/drgn-counts.json.tmp" "$D/drgn-counts.json"
	"$PY" "$HERE/truth-to-expected.py" "$D/truth.txt" --counts "$D/drgn-counts.json" \
		--notes "$D/expected-notes.json" > "$D/expected.json.tmp" 2> "$D/expected-check.txt"
	mv "$D/expected.json.tmp" "$D/expected.json"
	# The kdump file must hold the same struct pages: drgn reads it too (through libkdumpfile, on a
	# scratch copy whose empty utsname fields are filled in, see fixture-helper.py fill-uts).
	local scratch; scratch=$(mktemp /tmp/pinscan-kdump.XXXXXX)
	cp "$D/vmcore.kdump" "$scratch"
	"$PY" "$HERE/fixture-helper.py" fill-uts "$scratch" "$(sed -n 's/^OSRELEASE=//p' "$D/vmcoreinfo.txt")"
	DRGN_USE_LIBKDUMPFILE_FOR_ELF=1 "$PY" "$HERE/drgn-count.py" --pins "$D/vmlinux" "$scratch" > "$D/drgn-counts-kdump.json"
	rm -f "$scratch"
	"$PY" - "$D/drgn-counts.json" "$D/drgn-counts-kdump.json" >> "$D/expected-check.txt" <<'PYEOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
if a["summary"] == b["summary"] and a["pinned"] == b["pinned"]:
    print("OK: vmcore.kdump gives the same summary and pinned list as vmcore (drgn)")
else:
    print("MISMATCH: vmcore.kdump %s vs vmcore %s" % (b["summary"], a["summary"]))
PYEOF
	if grep -qE '^(MISMATCH|EXTRA)' "$D/expected-check.txt"; then
		log "$v: WARNING: truth and drgn disagree:"; cat "$D/expected-check.txt" >&2
	fi
	echo "$EXP_HASH $(cat "$D/stamp")" > "$D/expected.stamp"
	echo "time_drgn_expected_s $(since "$t")" >> "$D/meta.txt"
	tlog "$v: drgn counts + expected.json: $(since "$t") s"
}

if [ $EXPECTED = 1 ] && ! "$PY" -c 'import drgn' 2>/dev/null; then
	need_cmd /nonexistent/python3-drgn python3-drgn
fi
for v in $VARIANTS; do
	build_variant "$v"
	[ $EXPECTED = 1 ] && expected_variant "$v"
	echo "$KDIR/$v"
done
