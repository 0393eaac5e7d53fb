#!/bin/bash
# Build the extra real-kernel fixtures of pinscan: what needs more than "boot, pin, panic, dump".
#
#   tests/vmcores/real/build-extra.sh SERIES|VERSION --variant V [options]
#
#   live     pinscan itself runs in the guest on /proc/kcore while the io_uring pins are held
#            (4-level paging, KASLR on; what it runs: live-guest.sh); its JSON reports are the
#            fixture (live.json, live-sysfs.json, live-btf.json). Needs --pinscan: the fixture
#            is keyed on that binary's hash.
#   kdump    the real kdump path (4-level, KASLR on, crashkernel=256M): the guest loads Debian's
#            kexec -p capture kernel, panics, and the capture kernel saves /proc/vmcore three
#            ways with Debian's makedumpfile onto virtio disks.
#   faults   a kernel module (built here against Debian's headers) damages struct pages in ways
#            pinscan's audit must find, prints what it did, and panics; QEMU dumps (ELF).
#   lrugen   the multi-generational LRU enabled at runtime (echo y > /sys/kernel/mm/lru_gen/enabled)
#            before the workload, page cache on an ext2 virtio disk and tmpfs, MGLRU aging through
#            debugfs while the pins are held; QEMU dumps (ELF). A clean dump: no finding expected.
#
#   --variant V     live, kdump, faults or lrugen (repeatable)
#   --pinscan PATH  the pinscan binary for the live variant (default: ../../../src/pinscan)
#   --force         rebuild even when the cached fixture is up to date
#   --timeout S     seconds to wait for each guest (default 600)
#   --print-dir     only print the fixture directories
#
# Fixture directory: ${XDG_CACHE_HOME:-$HOME/.cache}/pinscan/real/<ver>-<flavour>/<variant>-<key>/
# (live: .../live/<first 12 hex digits of sha256(pinscan)>/). Exit status 77 when the kernel
# cannot be had (no registry and nothing cached) or QEMU is missing: the tests SKIP on it.
# The kernel download/extraction and the qemu_fw_cfg module come from build-fixture.sh
# (--prepare-only); this script never changes what build-fixture.sh's variants are keyed on.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PY=/usr/bin/python3
EXTRA_VARIANTS="live kdump faults lrugen"

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
log() { printf '[build-extra %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
unavailable() { log "UNAVAILABLE: $*"; echo "$*" >&2; exit 77; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}'; }

[ $# -ge 1 ] || usage
SPEC=$1; shift
case "$SPEC" in -h|--help) usage;; esac
VARIANTS=""
PINSCAN_BIN=$HERE/../../../src/pinscan
FORCE=0
TIMEOUT=600
PRINT_DIR=0
while [ $# -gt 0 ]; do
	case "$1" in
	--variant) VARIANTS="$VARIANTS $2"; shift 2;;
	--pinscan) PINSCAN_BIN=$2; shift 2;;
	--force) FORCE=1; shift;;
	--timeout) TIMEOUT=$2; shift 2;;
	--print-dir) PRINT_DIR=1; shift;;
	-h|--help) usage;;
	*) die "unknown option $1";;
	esac
done
[ -n "$VARIANTS" ] || die "name a --variant ($EXTRA_VARIANTS)"
for v in $VARIANTS; do
	case " $EXTRA_VARIANTS " in *" $v "*) ;; *) die "unknown variant $v (known: $EXTRA_VARIANTS)";; esac
done

CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/pinscan/real
# The kernel's cache directory, as build-fixture.sh resolves it (newest version apt offers).
KDIR=$("$HERE/build-fixture.sh" "$SPEC" --print-dir --variant 4level-kaslr 2>/dev/null) && [ -n "$KDIR" ] ||
	unavailable "cannot resolve Debian kernel $SPEC (no registry and nothing cached)"
KDIR=$(dirname "$KDIR")
KVER=$(basename "$KDIR")
# One extra builder per kernel at a time (parallel make check): see build-fixture.sh.
mkdir -p "$KDIR"
exec 7>"$KDIR/.extra.lock"
flock 7

# On any exit: no guest left running, no lock held, no binary snapshot left in /tmp.
cleanup() {
	if declare -F qemu_stop >/dev/null; then qemu_stop; fi
	rm -rf "${PIN_SNAP:-/nonexistent}"
}
trap cleanup EXIT

PIN_HASH=""
pinscan_hash() {
	if [ -z "$PIN_HASH" ]; then
		[ -x "$PINSCAN_BIN" ] || die "no pinscan binary at $PINSCAN_BIN (build it, or pass --pinscan)"
		# A snapshot: the binary may be rebuilt while the guest boots; hash and copy the same bytes.
		PIN_SNAP=$(mktemp -d /tmp/pinscan-bin.XXXXXX)
		cp "$PINSCAN_BIN" "$PIN_SNAP/pinscan"
		PIN_HASH=$(sha256sum < "$PIN_SNAP/pinscan" | cut -c1-12)
	fi
	echo "$PIN_HASH"
}
# A fixture's directory carries its key (live: the binary's), so that worktrees at different
# commits sharing this cache each find their own instead of rebuilding each other's.
variant_dir() {
	case "$1" in
	live) echo "$KDIR/live/$(pinscan_hash)";;
	*) echo "$KDIR/$1-$(stamp_of "$1" | tr ' ' -)";;
	esac
}
# Keep the two newest fixtures of a variant (live keeps its three newest itself).
prune_variant() {
	ls -dt "$KDIR/$1"-*/ 2>/dev/null | grep -v '\.tmp/$' | tail -n +3 | xargs -r rm -rf
}

# What a variant's fixture is keyed on (a change re-boots it: ~15 s to minutes each), in two
# parts. EXTRA_HASH, shared: this script outside its "variant:" sections (the /init, QEMU, the
# initramfs), the guest workload and the helpers that make expected.json. Then the variant's
# own: its section of this script and its own files: live-guest.sh and the pinscan binary (live),
# the fault module's source (faults), the lrugen walk (lrugen). So editing one variant re-boots
# that one only. Never build-fixture.sh's key.
script_part() { # NAME: the "variant: NAME" section of this script; "" = every line outside them
	awk -v want="$1" '/^# -------------+ [a-z]/ { sec = $0; sub(/^# -+ /, "", sec)
		sec = (sec ~ /^variant: /) ? substr(sec, 10) : "" } sec == want' "$HERE/build-extra.sh"
}
EXTRA_HASH=$({ script_part ""; cat "$HERE/workload.c" "$HERE/extra-helper.py" "$HERE/fixture-helper.py" \
	"$HERE/truth-to-expected.py" "$HERE/drgn-count.py"; } | sha256sum | cut -c1-16)
variant_hash() {
	{
		script_part "$1"
		case "$1" in
		live) cat "$HERE/live-guest.sh";;
		faults) cat "$HERE"/faultmod/* "$HERE/faults-to-expected.py" 2>/dev/null;;
		lrugen) cat "$HERE/lrugen-lists.py";;
		esac
	} | sha256sum | cut -c1-16
}
stamp_of() {
	case "$1" in
	live) echo "$EXTRA_HASH $(variant_hash live) $(pinscan_hash)";;
	*) echo "$EXTRA_HASH $(variant_hash "$1")";;
	esac
}
files_of() { # what a finished fixture holds for sure
	case "$1" in
	live) echo truth.txt live.out vmcore.flat expected.json;;
	kdump) echo truth.txt vmcore vmcore.kdump-d0 vmcore.kdump-d31 expected.json;;
	faults) echo truth.txt faults.txt vmcore expected.json;;
	lrugen) echo truth.txt lrugen.txt vmcore expected.json drgn-lru-lists.json;;
	esac
}
up_to_date() { # VARIANT
	local d f; d=$(variant_dir "$1")
	[ $FORCE = 0 ] && [ -s "$d/stamp" ] && [ "$(cat "$d/stamp")" = "$(stamp_of "$1")" ] || return 1
	for f in $(files_of "$1"); do [ -e "$d/$f" ] || return 1; done
}

case " $VARIANTS " in *" live "*) pinscan_hash >/dev/null;; esac
if [ $PRINT_DIR = 1 ]; then
	for v in $VARIANTS; do variant_dir "$v"; done
	exit 0
fi
# Nothing to do (the usual case in `make check`): no apt, no download check.
all_fresh=1
for v in $VARIANTS; do up_to_date "$v" || all_fresh=0; done
if [ $all_fresh = 1 ]; then
	for v in $VARIANTS; do log "$v: up to date"; variant_dir "$v"; done
	exit 0
fi

# ---------------------------------------------------------------- kernel, tools
# build-fixture.sh downloads and extracts the kernel and builds its own initramfs (0.5 s when
# missing); it boots nothing with --prepare-only.
if ! "$HERE/build-fixture.sh" "$SPEC" --prepare-only >/dev/null; then
	[ -s "$KDIR/kernel/boot/vmlinuz-$KVER" ] && [ -s "$KDIR/kernel/usr/lib/debug/boot/vmlinux-$KVER" ] ||
		unavailable "cannot download Debian kernel $KVER (registry unreachable?)"
	log "build-fixture.sh --prepare-only failed; using the cached kernel"
fi
X="$KDIR/kernel"
VMLINUZ="$X/boot/vmlinuz-$KVER"
VMLINUX="$X/usr/lib/debug/boot/vmlinux-$KVER"
UNSIGNED_DEB=$(ls "$KDIR"/deb/linux-image-"$KVER"-unsigned_*.deb 2>/dev/null | tail -1)

tool_path() { # a command, also where root's PATH may not reach (kexec is in /usr/sbin)
	command -v "$1" 2>/dev/null || { [ -x "/usr/sbin/$1" ] && echo "/usr/sbin/$1"; } || { [ -x "/sbin/$1" ] && echo "/sbin/$1"; }
}
need_cmd() { # command package
	tool_path "$1" >/dev/null && return 0
	log "installing $2 (for $1)"
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$2" >&2 ||
		{ apt-get update >&2 || true; DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$2" >&2; } ||
		unavailable "cannot install $2"
}
need_cmd qemu-system-x86_64 qemu-system-x86
QEMU_VERSION=$(qemu-system-x86_64 --version | head -1)


TIMINGS="$KDIR/timings.txt"
tlog() { echo "$(date -u +%FT%TZ) $*" >> "$TIMINGS"; log "$*"; }

# ---------------------------------------------------------------- guest modules
# Same resolution as build-fixture.sh: the module's own "depends=" field, deps first; modules of
# 6.12 are .ko.xz and busybox insmod wants plain .ko.
module_path() { # name -> path inside the -unsigned package, or empty
	local n=${1//-/_}
	awk -v n="$n" '{ b=$0; sub(/.*\//, "", b); sub(/\.ko(\.xz|\.zst|\.gz)?$/, "", b); gsub(/-/, "_", b);
		if (b == n && $0 ~ /\.ko(\.xz|\.zst|\.gz)?$/) { print; exit } }' "$X/contents.txt"
}
MODS=()
add_module() {
	local name=${1//-/_} p ko dep m
	for m in "${MODS[@]}"; do [ "$(basename "$m" .ko | tr - _)" = "$name" ] && return 0; done
	p=$(module_path "$name")
	if [ -z "$p" ]; then
		[ -e "$X/lib/modules/$KVER/modules.builtin" ] ||
			dpkg-deb --fsys-tarfile "$UNSIGNED_DEB" | tar -x -C "$X" "./lib/modules/$KVER/modules.builtin"
		grep -qE "/${name//_/[-_]}\.ko" "$X/lib/modules/$KVER/modules.builtin" && return 0 # built in
		die "module $name not found in the kernel package"
	fi
	mkdir -p "$X/mods"
	ko="$X/mods/$(basename "$p" | sed -E 's/\.(xz|zst|gz)$//')"
	if [ ! -s "$ko" ]; then
		[ -e "$X/$p" ] || dpkg-deb --fsys-tarfile "$UNSIGNED_DEB" | tar -x -C "$X" "$p"
		case "$p" in *.xz) xz -dc "$X/$p" > "$ko";; *) cp "$X/$p" "$ko";; esac
	fi
	for dep in $(strings -a "$ko" | sed -n 's/^depends=//p' | tr ',' ' '); do add_module "$dep"; done
	MODS+=("$ko")
}

# ---------------------------------------------------------------- initramfs
# copy_binary ROOT BINARY [NAME]: a dynamically linked host binary and every shared library ldd
# names (with the dynamic loader at its own path), so it runs in the guest as it does here.
copy_binary() {
	local r=$1 bin=$2 name=${3:-$(basename "$2")} lib
	install -m 755 "$bin" "$r/bin/$name"
	for lib in $(ldd "$bin" | awk '/=> \// {print $3} /^\t\/[^ ]*ld-linux/ {print $1}'); do
		mkdir -p "$r$(dirname "$lib")"
		cp -L "$lib" "$r$lib"
	done
}

# new_root DIR: busybox, the workload, device nodes, the modules in MODS, and the /init that
# every extra variant shares. /init runs the workload in the background with --no-crash (it
# prints its truth block, then holds every pin while it sleeps), then the variant's /step.sh
# (a function step_before, run before the workload, and step_pinned, run while the pins are
# held), then crashes the kernel unless the step did.
new_root() {
	local r=$1 m
	mkdir -p "$r"/{bin,dev,proc,sys,tmp,lib/modules,root,lib/x86_64-linux-gnu,lib64}
	cp /bin/busybox "$r/bin/busybox"
	ln -s busybox "$r/bin/sh"
	mknod -m 600 "$r/dev/console" c 5 1
	mknod -m 666 "$r/dev/null" c 1 3
	gcc -O2 -Wall -static -o "$r/workload" "$HERE/workload.c"
	: > "$r/modules.order"
	for m in "${MODS[@]}"; do cp "$m" "$r/lib/modules/"; basename "$m" >> "$r/modules.order"; done
	cat > "$r/init" <<'EOF'
#!/bin/sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tmpfs tmpfs /tmp
export PATH=/bin LD_LIBRARY_PATH=/lib/x86_64-linux-gnu
echo "PINSCAN-INIT $(uname -r) $(cat /proc/cmdline)"
for m in $(cat /modules.order); do insmod /lib/modules/$m || echo "PINSCAN-INIT insmod $m failed"; done
. /step.sh
type step_before >/dev/null 2>&1 && step_before
grep -E '^(MemTotal|MemFree|AnonHugePages|HugePages_Total):' /proc/meminfo
/workload --no-crash > /tmp/workload.out 2>&1 &
wpid=$!
n=0
until grep -q PINSCAN-WORKLOAD-IDLE /tmp/workload.out; do
	kill -0 $wpid 2>/dev/null || { echo "PINSCAN-INIT workload exited early"; break; }
	[ $n -ge 1200 ] && { echo "PINSCAN-INIT workload not idle after 600 s"; break; }
	sleep 0.5; n=$((n + 1))
done
cat /tmp/workload.out
step_pinned
echo "PINSCAN-INIT step done; crashing"
echo c > /proc/sysrq-trigger
EOF
	chmod 755 "$r/init"
}

# pack_root DIR OUT: newc cpio, gzip -9 (as build-fixture.sh).
pack_root() {
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -9) > "$2.tmp"
	mv "$2.tmp" "$2"
}

# ---------------------------------------------------------------- QEMU
# One guest at a time on this machine, across every builder: the lock build-fixture.sh takes.
QPID="" QSOCK=""
qemu_start() { # W MEM APPEND INITRD [extra QEMU args...]
	local w=$1 mem=$2 append=$3 initrd=$4; shift 4
	QSOCK=$(mktemp -u /tmp/pinscan-qmp.XXXXXX)
	exec 9>"$CACHE/.qemu.lock"
	flock 9
	QEMU_ARGS="-accel tcg -m $mem -smp 1 -cpu max,la57=off -nographic -monitor none -device vmcoreinfo -no-reboot $*"
	# shellcheck disable=SC2086
	qemu-system-x86_64 -serial "file:$w/serial.log" -qmp "unix:$QSOCK,server=on,wait=off" \
		$QEMU_ARGS -kernel "$VMLINUZ" -initrd "$initrd" -append "$append" \
		</dev/null >"$w/qemu.out" 2>&1 &
	QPID=$!
	T0=$(now)
}
qemu_stop() {
	if [ -n "$QPID" ]; then
		for _ in $(seq 1 50); do kill -0 "$QPID" 2>/dev/null || break; sleep 0.2; done
		kill "$QPID" 2>/dev/null || true
		wait "$QPID" 2>/dev/null || true
	fi
	QPID=""
	rm -f "$QSOCK"
	[ -z "$QSOCK" ] || flock -u 9 2>/dev/null || true
	QSOCK=""
}
# qemu_wait W PATTERN: until PATTERN (grep -E) shows in the serial log, or with PATTERN "exit",
# until QEMU exits. Dies on timeout or (for a pattern) on QEMU exiting first.
qemu_wait() {
	local w=$1 pat=$2
	while :; do
		if [ "$pat" != exit ] && grep -qaE "$pat" "$w/serial.log" 2>/dev/null; then return 0; fi
		if ! kill -0 "$QPID" 2>/dev/null; then
			[ "$pat" = exit ] && { wait "$QPID" 2>/dev/null || true; QPID=""; return 0; }
			cat "$w/qemu.out" >&2; tail -30 "$w/serial.log" >&2 || true
			qemu_stop; die "QEMU exited before /$pat/ (serial log: $w/serial.log)"
		fi
		if [ "$(awk -v a="$T0" -v b="$(now)" -v l="$TIMEOUT" 'BEGIN{print (b-a > l)}')" = 1 ]; then
			tail -30 "$w/serial.log" >&2 || true
			qemu_stop; die "no /$pat/ within $TIMEOUT s (serial log: $w/serial.log)"
		fi
		sleep 0.5
	done
}

# Truth block and serial log, as build-fixture.sh makes them.
take_truth() { # W
	local w=$1
	tr -d '\r' < "$w/serial.log" > "$w/serial.log.tmp" && mv "$w/serial.log.tmp" "$w/serial.log"
	sed -n '/^PINSCAN-TRUTH-BEGIN/,/^PINSCAN-TRUTH-END/p' "$w/serial.log" > "$w/truth.txt"
	grep -q '^PINSCAN-TRUTH-END' "$w/truth.txt" || die "no complete truth block in $w/serial.log"
	if grep -a 'PINSCAN-WORKLOAD-ERROR' "$w/serial.log" >&2; then die "workload error"; fi
}

write_meta() { # W VARIANT CMDLINE [key value lines...]
	local w=$1 v=$2 cmdline=$3; shift 3
	{
		echo "kernel $KVER"
		echo "uname $(sed -n 's/^uname //p' "$w/truth.txt")"
		echo "variant $v"
		echo "cmdline $cmdline"
		echo "qemu $QEMU_VERSION"
		echo "qemu_args $QEMU_ARGS"
		printf '%s\n' "$@"
		echo "builder_hash $EXTRA_HASH"
		echo "built $(date -u +%FT%TZ)"
	} > "$w/meta.txt"
}

# finish W D STAMP: the work directory becomes the fixture directory.
finish() {
	local w=$1 d=$2
	echo "$3" > "$w/stamp"
	ln -sfn "$(realpath --relative-to="$d" "$VMLINUX")" "$w/vmlinux"
	rm -rf "$d"
	mv "$w" "$d"
}

# ---------------------------------------------------------------- variant: live
# pinscan, its libraries, a layout file made on the host (`pinscan layout`) and live-guest.sh (the
# step: what pinscan runs on /proc/kcore while the workload holds its pins, and where the reports
# go) make the initramfs. Then the kernel panics and QEMU writes a kdump-zlib dump (vmcore.flat,
# ~40 MB): the host scans it against the same truth.
build_live() {
	local D W R initrd pin_hash cmdline t
	pin_hash=$(pinscan_hash)
	D="$KDIR/live/$pin_hash"
	initrd="$KDIR/extra/initramfs-live-$(stamp_of live | tr " " -).cpio.gz"
	mkdir -p "$KDIR/extra"
	MODS=(); add_module qemu_fw_cfg
	if [ ! -s "$initrd" ]; then
		R=$(mktemp -d "$KDIR/extra/root.XXXXXX")
		new_root "$R"
		copy_binary "$R" "$PIN_SNAP/pinscan" pinscan
		"$PIN_SNAP/pinscan" layout -s "$VMLINUX" -o "$R/layout.txt"
		cp "$HERE/live-guest.sh" "$R/step.sh"
		pack_root "$R" "$initrd"
		rm -rf "$R"
		for old in "$KDIR"/extra/initramfs-live-*.cpio.gz; do [ "$old" = "$initrd" ] || rm -f "$old"; done
		log "live: initramfs $(du -h "$initrd" | cut -f1)"
	fi
	W="$D.tmp"
	rm -rf "$W"; mkdir -p "$W"
	cmdline="console=ttyS0,115200 panic=0"
	log "live: booting (pinscan $pin_hash)"
	qemu_start "$W" 1G "$cmdline" "$initrd" -serial "file:$W/live.out"
	qemu_wait "$W" "Kernel panic - not syncing"
	local t_panic; t_panic=$(since "$T0")
	sleep 2
	t=$(now)
	local dumpt; dumpt=$("$PY" "$HERE/extra-helper.py" dump "$QSOCK" "kdump-zlib=$W/vmcore.flat")
	qemu_stop
	take_truth "$W"
	tr -d '\r' < "$W/live.out" > "$W/live.out.tmp" && mv "$W/live.out.tmp" "$W/live.out"
	"$PY" "$HERE/extra-helper.py" split-serial2 "$W/live.out" "$W" >&2
	grep -a '^PINSCAN-LIVE-' "$W/serial.log" > "$W/live-info.txt" || true
	[ -s "$W/kcore-head.bin" ] && readelf -hlnW "$W/kcore-head.bin" > "$W/kcore-phdrs.txt" 2>&1 || true
	chmod a+r "$W/vmcore.flat"
	"$PY" "$HERE/truth-to-expected.py" "$W/truth.txt" > "$W/expected.json" 2> "$W/expected-check.txt"
	write_meta "$W" live "$cmdline" "pinscan $(realpath "$PINSCAN_BIN") sha256 $pin_hash" \
		"live_rc $(sed -n 's/^PINSCAN-LIVE-RC //p' "$W/live-info.txt" | tr '\n' ';')" \
		"time_boot_to_panic_s $t_panic" "time_dump_s $(since "$t") $dumpt"
	finish "$W" "$D" "$(stamp_of live)"
	# Keep the three newest live fixtures (one per pinscan binary: plain, sanitized, ...).
	ls -dt "$KDIR"/live/*/ 2>/dev/null | tail -n +4 | xargs -r rm -rf
	tlog "live ($pin_hash): boot to panic $t_panic s, $(sed -n 's/^live_rc //p' "$D/meta.txt")"
}

# ---------------------------------------------------------------- variant: kdump
# The way a real machine is dumped. The guest boots with crashkernel=256M (1 GiB of RAM), /init
# loads a capture kernel with Debian's `kexec -p` (same vmlinuz, the capture initramfs below),
# runs the workload and panics with the pins held; the kernel kexecs into the capture kernel,
# whose /init writes /proc/vmcore with Debian's makedumpfile onto three virtio disks (told
# apart by their serial numbers), then powers off:
#   pinscan-d31  makedumpfile -F -c -d 31 (zero, cache, user and free pages excluded; zlib)
#   pinscan-d0   makedumpfile -F -c -d 0  (nothing excluded)
#   pinscan-elf  /proc/vmcore itself (ELF, made by the first kernel's kexec-tools + the kernel)
# -F (flattened) because makedumpfile can then write to a block device like a pipe. The host
# keeps the disks of the flattened ones as they are (vmcore.kdump-d*.flat: the stream, then the
# disk's zeros) and reassembles them (vmcore.kdump-d*: ordinary kdump-compressed files).
# The filter must run in the capture kernel: makedumpfile 1.7.2 on the host cannot read QEMU's
# paging=false ELF ("Can't get the number of PT_LOAD").
KDUMP_MEM=1G
KDUMP_CRASHKERNEL=256M
KDUMP_DISK_MB=1100
build_kdump() {
	local D W R C initrd cmdline capture_cmdline t m dumpt
	D=$(variant_dir kdump)
	initrd="$KDIR/extra/initramfs-kdump-$(stamp_of kdump | tr " " -).cpio.gz"
	need_cmd kexec kexec-tools
	need_cmd makedumpfile makedumpfile
	mkdir -p "$KDIR/extra"
	capture_cmdline="console=ttyS0,115200 reset_devices irqpoll nr_cpus=1 panic=1"
	if [ ! -s "$initrd" ]; then
		# The capture kernel's initramfs: busybox, makedumpfile, the virtio disk modules.
		C=$(mktemp -d "$KDIR/extra/root.XXXXXX")
		mkdir -p "$C"/{bin,dev,proc,sys,tmp,lib/modules}
		cp /bin/busybox "$C/bin/busybox"
		ln -s busybox "$C/bin/sh"
		mknod -m 600 "$C/dev/console" c 5 1
		copy_binary "$C" "$(tool_path makedumpfile)"
		MODS=(); add_module virtio_pci; add_module virtio_blk
		: > "$C/modules.order"
		for m in "${MODS[@]}"; do cp "$m" "$C/lib/modules/"; basename "$m" >> "$C/modules.order"; done
		cat > "$C/init" <<'EOF'
#!/bin/sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
export PATH=/bin LD_LIBRARY_PATH=/lib/x86_64-linux-gnu
echo "PINSCAN-CAPTURE $(uname -r) $(cat /proc/cmdline)"
for m in $(cat /modules.order); do insmod /lib/modules/$m || echo "PINSCAN-CAPTURE insmod $m failed"; done
sleep 1
disk() { for b in /sys/block/vd*; do [ "$(cat $b/serial 2>/dev/null)" = "$1" ] && echo /dev/${b##*/}; done; }
echo "PINSCAN-CAPTURE vmcore_size $(stat -c %s /proc/vmcore) disks $(disk pinscan-d31) $(disk pinscan-d0) $(disk pinscan-elf)"
up() { cut -d' ' -f1 /proc/uptime; }
for level in 31 0; do
	t0=$(up)
	makedumpfile -F -c -d $level --message-level 1 /proc/vmcore > $(disk pinscan-d$level)
	echo "PINSCAN-CAPTURE-RC d$level rc=$? seconds=$(awk -v a=$t0 -v b=$(up) 'BEGIN{print b-a}')"
done
t0=$(up)
dd if=/proc/vmcore of=$(disk pinscan-elf) bs=1M 2>/dev/null
echo "PINSCAN-CAPTURE-RC elf rc=$? seconds=$(awk -v a=$t0 -v b=$(up) 'BEGIN{print b-a}')"
sync
echo "PINSCAN-CAPTURE-DONE"
poweroff -f
EOF
		chmod 755 "$C/init"
		# The first kernel's initramfs: the usual one + kexec, the kernel, the capture initramfs.
		R=$(mktemp -d "$KDIR/extra/root.XXXXXX")
		MODS=(); add_module qemu_fw_cfg
		new_root "$R"
		pack_root "$C" "$R/capture.cpio.gz"
		rm -rf "$C"
		cp "$VMLINUZ" "$R/vmlinuz"
		copy_binary "$R" "$(tool_path kexec)"
		# Without a capture kernel the panic would just hang (panic=0): power off instead.
		cat > "$R/step.sh" <<EOF
step_before() {
	kexec -p /vmlinuz --initrd=/capture.cpio.gz --append="$capture_cmdline" &&
		echo "PINSCAN-KDUMP-LOADED kexec_crash_loaded=\$(cat /sys/kernel/kexec_crash_loaded) crash_size=\$(cat /sys/kernel/kexec_crash_size)" ||
		echo "PINSCAN-KDUMP-LOAD-FAILED"
}
step_pinned() {
	[ "\$(cat /sys/kernel/kexec_crash_loaded)" = 1 ] || { echo "PINSCAN-KDUMP-NO-CAPTURE-KERNEL"; poweroff -f; }
}
EOF
		pack_root "$R" "$initrd"
		rm -rf "$R"
		for old in "$KDIR"/extra/initramfs-kdump-*.cpio.gz; do [ "$old" = "$initrd" ] || rm -f "$old"; done
		log "kdump: initramfs $(du -h "$initrd" | cut -f1)"
	fi
	W="$D.tmp"
	rm -rf "$W"; mkdir -p "$W"
	for m in d31 d0 elf; do truncate -s "${KDUMP_DISK_MB}M" "$W/disk-$m.img"; done
	cmdline="console=ttyS0,115200 panic=0 crashkernel=$KDUMP_CRASHKERNEL"
	log "kdump: booting ($cmdline)"
	qemu_start "$W" "$KDUMP_MEM" "$cmdline" "$initrd" \
		-drive "file=$W/disk-d31.img,if=none,id=d31,format=raw" -device virtio-blk-pci,drive=d31,serial=pinscan-d31 \
		-drive "file=$W/disk-d0.img,if=none,id=d0,format=raw" -device virtio-blk-pci,drive=d0,serial=pinscan-d0 \
		-drive "file=$W/disk-elf.img,if=none,id=elf,format=raw" -device virtio-blk-pci,drive=elf,serial=pinscan-elf
	qemu_wait "$W" exit
	local t_total; t_total=$(since "$T0")
	qemu_stop
	grep -qa PINSCAN-KDUMP-LOADED "$W/serial.log" || { tail -30 "$W/serial.log" >&2; die "kdump: kexec -p failed (serial log: $W/serial.log)"; }
	grep -qa PINSCAN-CAPTURE-DONE "$W/serial.log" || { tail -30 "$W/serial.log" >&2; die "kdump: the capture kernel did not finish (serial log: $W/serial.log)"; }
	take_truth "$W"
	grep -a '^PINSCAN-\(KDUMP\|CAPTURE\)' "$W/serial.log" > "$W/capture-info.txt" || true
	# ELF: the disk cut to /proc/vmcore's size, zero blocks made holes.
	local size; size=$(sed -n 's/.*vmcore_size \([0-9]*\).*/\1/p' "$W/capture-info.txt")
	[ -n "$size" ] && [ "$size" -gt 0 ] || die "kdump: no vmcore size in the serial log"
	mv "$W/disk-elf.img" "$W/vmcore" && truncate -s "$size" "$W/vmcore"
	# Flattened: the disk as written, cut 1 MiB after the stream's end record (what remains of the
	# disk's zeros: pinscan must stop at the end record), and reassembled.
	local end
	for m in d31 d0; do
		mv "$W/disk-$m.img" "$W/vmcore.kdump-$m.flat"
		end=$("$PY" "$HERE/extra-helper.py" flat-end "$W/vmcore.kdump-$m.flat")
		truncate -s $((end + 1048576)) "$W/vmcore.kdump-$m.flat"
		"$PY" "$HERE/fixture-helper.py" reassemble "$W/vmcore.kdump-$m.flat" "$W/vmcore.kdump-$m" >/dev/null
		echo "vmcore.kdump-$m.flat: stream $end bytes, then 1 MiB of the disk's zeros" >> "$W/capture-info.txt"
	done
	for f in vmcore vmcore.kdump-d31.flat vmcore.kdump-d0.flat; do fallocate -d "$W/$f" 2>/dev/null || true; done
	chmod a+r "$W"/vmcore*
	"$PY" "$HERE/fixture-helper.py" vmcoreinfo "$W/vmcore" > "$W/vmcoreinfo.txt"
	"$PY" "$HERE/fixture-helper.py" elfinfo "$W/vmcore" > "$W/elfinfo.txt"
	"$PY" "$HERE/fixture-helper.py" kdumpinfo "$W/vmcore.kdump-d31" > "$W/kdumpinfo-d31.txt"
	"$PY" "$HERE/fixture-helper.py" kdumpinfo "$W/vmcore.kdump-d0" > "$W/kdumpinfo-d0.txt"
	# expected.json: pins from the truth; counts from drgn on each dump (they must agree).
	t=$(now)
	ln -sfn "$VMLINUX" "$W/vmlinux"
	for m in "" .kdump-d0 .kdump-d31; do
		DRGN_USE_LIBKDUMPFILE_FOR_ELF=1 "$PY" "$HERE/drgn-count.py" --pins "$W/vmlinux" "$W/vmcore$m" \
			> "$W/drgn-counts$m.json" || die "kdump: drgn-count.py failed on vmcore$m"
	done
	"$PY" "$HERE/truth-to-expected.py" "$W/truth.txt" --counts "$W/drgn-counts.json" \
		--notes "$W/expected-notes.json" > "$W/expected.json" 2> "$W/expected-check.txt"
	"$PY" - "$W" >> "$W/expected-check.txt" <<'PYEOF'
import json, sys
d = sys.argv[1]
a = json.load(open(d + "/drgn-counts.json"))
for m in ("kdump-d0", "kdump-d31"):
    b = json.load(open("%s/drgn-counts.%s.json" % (d, m)))
    if a["summary"] == b["summary"] and a["pinned"] == b["pinned"]:
        print("OK: vmcore.%s gives the same summary and pinned list as vmcore (drgn)" % m)
    else:
        print("MISMATCH: vmcore.%s %s vs vmcore %s" % (m, b["summary"], a["summary"]))
PYEOF
	if grep -qE '^(MISMATCH|EXTRA)' "$W/expected-check.txt"; then
		log "kdump: WARNING: truth and drgn, or the dumps, disagree:"; cat "$W/expected-check.txt" >&2
	fi
	write_meta "$W" kdump "$cmdline" "capture_cmdline $capture_cmdline" "mem $KDUMP_MEM" \
		"kexec $("$(tool_path kexec)" --version 2>&1 | head -1)" "makedumpfile $("$(tool_path makedumpfile)" -v 2>&1 | head -1)" \
		"capture $(sed -n 's/^PINSCAN-CAPTURE-RC //p' "$W/capture-info.txt" | tr '\n' ';')" \
		"time_qemu_total_s $t_total" "time_drgn_expected_s $(since "$t")" \
		"size_vmcore $(stat -c %s "$W/vmcore")" "size_kdump_d0 $(stat -c %s "$W/vmcore.kdump-d0")" \
		"size_kdump_d31 $(stat -c %s "$W/vmcore.kdump-d31")"
	finish "$W" "$D" "$(stamp_of kdump)"
	prune_variant kdump
	tlog "kdump: QEMU (boot, panic, capture) $t_total s; $(sed -n 's/^capture //p' "$D/meta.txt")"
}

# ---------------------------------------------------------------- variant: faults
# A kernel module (faultmod/pinscan_fault.c), built here against Debian's headers of the same
# kernel with gcc-12 (what Debian built it with), is loaded once the workload holds its pins: it
# damages struct pages in five ways, prints them (PINSCAN-FAULT <RULE> 0x<pfn>) and panics; QEMU
# writes an ELF dump. The module is not signed: these kernels have CONFIG_MODULE_SIG without
# _FORCE and lock down only under EFI Secure Boot (QEMU boots SeaBIOS), so it loads and taints.

# headers_dir: Debian's linux-headers-<ver>-<flavour> with its -common and linux-kbuild
# dependencies, extracted into the cache; their Makefile includes the -common one by its absolute
# /usr/src path, which is redirected to the extracted copy.
headers_dir() {
	local H="$KDIR/headers" pkgs p deb
	if [ ! -s "$H/.done" ]; then
		pkgs="linux-headers-$KVER $(apt-cache show "linux-headers-$KVER" 2>/dev/null | sed -n 's/^Depends: //p' | head -1 |
			tr ',' '\n' | sed -n 's/^ *\(linux-\(headers-[^ ]*-common\|kbuild-[^ ]*\)\).*/\1/p')"
		[ "$(echo "$pkgs" | wc -w)" -ge 3 ] || unavailable "apt does not offer linux-headers-$KVER and its dependencies"
		mkdir -p "$KDIR/deb" "$H"
		for p in $pkgs; do
			ls "$KDIR"/deb/"${p}"_*.deb >/dev/null 2>&1 ||
				(cd "$KDIR/deb" && apt-get download "$p" >&2) || unavailable "cannot download $p"
			deb=$(ls "$KDIR"/deb/"${p}"_*.deb | tail -1)
			dpkg-deb -x "$deb" "$H"
		done
		sed -i "s#^include /usr/src/#include $H/usr/src/#" "$H/usr/src/linux-headers-$KVER/Makefile"
		echo "$pkgs" > "$H/.done"
	fi
	echo "$H/usr/src/linux-headers-$KVER"
}

build_faults() {
	local D W R initrd src hdr cmdline t dumpt
	D=$(variant_dir faults)
	initrd="$KDIR/extra/initramfs-faults-$(stamp_of faults | tr " " -).cpio.gz"
	mkdir -p "$KDIR/extra"
	if [ ! -s "$initrd" ]; then
		need_cmd gcc-12 gcc-12
		need_cmd make make
		hdr=$(headers_dir)
		src=$(mktemp -d "$KDIR/extra/faultmod.XXXXXX")
		cp "$HERE"/faultmod/* "$src/"
		make -C "$hdr" M="$src" CC=gcc-12 modules >"$src/build.log" 2>&1 ||
			{ cat "$src/build.log" >&2; die "faults: the module does not build (log above)"; }
		R=$(mktemp -d "$KDIR/extra/root.XXXXXX")
		MODS=(); add_module qemu_fw_cfg
		new_root "$R"
		cp "$src/pinscan_fault.ko" "$R/pinscan_fault.ko"
		strings -a "$src/pinscan_fault.ko" | grep '^vermagic=' > "$KDIR/extra/faultmod-vermagic.txt" || true
		rm -rf "$src"
		cat > "$R/step.sh" <<'EOF'
step_pinned() {
	# The module panics from its init; returning means it failed.
	insmod /pinscan_fault.ko
	echo "PINSCAN-FAULT-ERROR insmod returned $?"
}
EOF
		pack_root "$R" "$initrd"
		rm -rf "$R"
		for old in "$KDIR"/extra/initramfs-faults-*.cpio.gz; do [ "$old" = "$initrd" ] || rm -f "$old"; done
		log "faults: module built ($(cat "$KDIR/extra/faultmod-vermagic.txt")), initramfs $(du -h "$initrd" | cut -f1)"
	fi
	W="$D.tmp"
	rm -rf "$W"; mkdir -p "$W"
	cmdline="console=ttyS0,115200 panic=0"
	log "faults: booting"
	qemu_start "$W" 1G "$cmdline" "$initrd"
	qemu_wait "$W" "Kernel panic - not syncing"
	local t_panic; t_panic=$(since "$T0")
	sleep 2
	t=$(now)
	dumpt=$("$PY" "$HERE/extra-helper.py" dump "$QSOCK" "elf=$W/vmcore")
	qemu_stop
	take_truth "$W"
	sed -n 's/^.*\(PINSCAN-FAULT[A-Z-]*\( .*\)\{0,1\}\)$/\1/p' "$W/serial.log" > "$W/faults.txt"
	grep -q 'PINSCAN-FAULT-DONE' "$W/faults.txt" || { tail -30 "$W/serial.log" >&2; die "faults: the module did not finish (serial log: $W/serial.log)"; }
	if grep 'PINSCAN-FAULT-ERROR' "$W/faults.txt" >&2; then die "faults: a fault could not be injected"; fi
	chmod a+r "$W/vmcore"
	fallocate -d "$W/vmcore" 2>/dev/null || true
	"$PY" "$HERE/fixture-helper.py" vmcoreinfo "$W/vmcore" > "$W/vmcoreinfo.txt"
	ln -sfn "$VMLINUX" "$W/vmlinux"
	local t2; t2=$(now)
	DRGN_USE_LIBKDUMPFILE_FOR_ELF=1 "$PY" "$HERE/drgn-count.py" --pins "$W/vmlinux" "$W/vmcore" > "$W/drgn-counts.json"
	DRGN_USE_LIBKDUMPFILE_FOR_ELF=1 "$PY" "$HERE/faults-to-expected.py" "$W" > "$W/expected.json" 2> "$W/expected-check.txt" ||
		{ cat "$W/expected-check.txt" >&2; die "faults: the dump does not hold what the module says it did"; }
	write_meta "$W" faults "$cmdline" "module $(cat "$KDIR/extra/faultmod-vermagic.txt" 2>/dev/null)" \
		"headers $(cat "$KDIR/headers/.done" 2>/dev/null | tr '\n' ' ')" \
		"time_boot_to_panic_s $t_panic" "time_dump_s $(since "$t") $dumpt" "time_drgn_expected_s $(since "$t2")"
	finish "$W" "$D" "$(stamp_of faults)"
	prune_variant faults
	tlog "faults: boot to panic $t_panic s; $(grep -c '^PINSCAN-FAULT [A-Z]' "$D/faults.txt") faults"
}

# ---------------------------------------------------------------- variant: lrugen
# The multi-generational LRU (CONFIG_LRU_GEN: on in both Debian kernels; off by default on 6.1,
# on by default on 6.12 through CONFIG_LRU_GEN_ENABLED) switched on at runtime before the workload
# runs, so every LRU page sits on lruvec->lrugen.folios[gen][type][zone] instead of the classic
# lists. Besides the workload's tmpfs page cache and anonymous memory (MGLRU type anon), /init
# writes and reads files on an ext2 virtio disk and reads the disk itself (type file), then ages
# the lruvec three times through /sys/kernel/debug/lru_gen ("+ memcg_id node_id max_gen 1", i.e.
# anon too, forced when refused) so that the folios spread over several generations. QEMU writes an ELF dump, as for
# 4level-kaslr (same -cpu, -m, cmdline). The fixture adds lrugen.txt (the guest's lru_gen lines:
# enabled before/after, debugfs tables before/after aging, aging commands) and
# drgn-lru-lists.json (lrugen-lists.py: the kernel's own lists, walked with drgn).
LRUGEN_DISK_MB=128
build_lrugen() {
	local D W R initrd cmdline t t2 dumpt
	D=$(variant_dir lrugen)
	initrd="$KDIR/extra/initramfs-lrugen-$(stamp_of lrugen | tr " " -).cpio.gz"
	mkdir -p "$KDIR/extra"
	if [ ! -s "$initrd" ]; then
		R=$(mktemp -d "$KDIR/extra/root.XXXXXX")
		MODS=(); add_module qemu_fw_cfg; add_module virtio_pci; add_module virtio_blk
		new_root "$R"
		cat > "$R/step.sh" <<'EOF'
lg() { echo "PINSCAN-LRUGEN-INFO $*"; }
lrugen_table() { # the debugfs table, one line per row
	[ -e /sys/kernel/debug/lru_gen ] && sed "s/^/PINSCAN-LRUGEN-DEBUGFS $1: /" /sys/kernel/debug/lru_gen
}
lru_meminfo() { grep -E '^(Active|Inactive)\((anon|file)\):' /proc/meminfo | tr -s ' ' | tr '\n' ';'; }
step_before() {
	f=/sys/kernel/mm/lru_gen/enabled
	[ -e $f ] || { echo "PINSCAN-LRUGEN-ERROR no $f (kernel without CONFIG_LRU_GEN)"; poweroff -f; }
	lg "enabled_before $(cat $f)"
	echo y > $f || echo "PINSCAN-LRUGEN-ERROR echo y > $f failed"
	lg "enabled $(cat $f)"
	lg "min_ttl_ms $(cat /sys/kernel/mm/lru_gen/min_ttl_ms)"
	if mount -t debugfs debugfs /sys/kernel/debug && [ -e /sys/kernel/debug/lru_gen ]; then lg "debugfs yes"; else lg "debugfs no"; fi
	disk=""
	for b in /sys/block/vd*; do [ "$(cat $b/serial 2>/dev/null)" = pinscan-lrugen ] && disk=/dev/${b##*/}; done
	[ -n "$disk" ] || { echo "PINSCAN-LRUGEN-ERROR no virtio disk"; poweroff -f; }
	mke2fs $disk >/dev/null 2>&1 && mkdir -p /mnt && mount -t ext2 $disk /mnt ||
		{ echo "PINSCAN-LRUGEN-ERROR cannot make or mount ext2 on $disk"; poweroff -f; }
	lg "disk $disk $(grep " /mnt " /proc/mounts)"
	# file type: ext2 page cache, written then read back; anon type: tmpfs (shmem)
	dd if=/dev/zero of=/mnt/file-a bs=1M count=24 2>/dev/null; sync
	cat /mnt/file-a > /dev/null
	dd if=/dev/zero of=/tmp/shmem-a bs=1M count=16 2>/dev/null
	lg "meminfo_before_workload $(lru_meminfo)"
}
step_pinned() {
	cat /mnt/file-a > /dev/null
	dd if=/dev/zero of=/mnt/file-b bs=1M count=24 2>/dev/null; sync
	dd if=$disk of=/dev/null bs=1M count=16 2>/dev/null   # the block device's own page cache
	dd if=/dev/zero of=/tmp/shmem-b bs=1M count=16 2>/dev/null
	lrugen_table before
	if [ -e /sys/kernel/debug/lru_gen ]; then
		# swappiness 1: age anon too (there is no swap: by default only file would be); when
		# refused (-ERANGE: already MAX_NR_GENS generations), force_scan 1.
		for round in 1 2 3; do
			set -- $(awk '$1 == "memcg" {m = $2} $1 == "node" {n = $2} $1 ~ /^[0-9]+$/ {g = $1} END {print m, n, g}' /sys/kernel/debug/lru_gen)
			for cmd in "+ $1 $2 $3 1" "+ $1 $2 $3 1 1"; do
				if echo "$cmd" > /sys/kernel/debug/lru_gen 2>/tmp/age.err; then rc=0; else rc=1; fi
				lg "aging round $round: '$cmd' rc=$rc $(cat /tmp/age.err)"
				[ $rc = 0 ] && break
			done
			cat /mnt/file-b /tmp/shmem-a > /dev/null
		done
		lrugen_table after
	fi
	lg "meminfo_at_crash $(lru_meminfo)"
	lg "enabled_at_crash $(cat /sys/kernel/mm/lru_gen/enabled)"
	echo "PINSCAN-LRUGEN-DONE"
}
EOF
		pack_root "$R" "$initrd"
		rm -rf "$R"
		for old in "$KDIR"/extra/initramfs-lrugen-*.cpio.gz; do [ "$old" = "$initrd" ] || rm -f "$old"; done
		log "lrugen: initramfs $(du -h "$initrd" | cut -f1)"
	fi
	W="$D.tmp"
	rm -rf "$W"; mkdir -p "$W"
	truncate -s "${LRUGEN_DISK_MB}M" "$W/disk.img"
	cmdline="console=ttyS0,115200 panic=0"
	log "lrugen: booting"
	qemu_start "$W" 1G "$cmdline" "$initrd" \
		-drive "file=$W/disk.img,if=none,id=d,format=raw" -device virtio-blk-pci,drive=d,serial=pinscan-lrugen
	qemu_wait "$W" "Kernel panic - not syncing"
	local t_panic; t_panic=$(since "$T0")
	sleep 2
	t=$(now)
	dumpt=$("$PY" "$HERE/extra-helper.py" dump "$QSOCK" "elf=$W/vmcore")
	qemu_stop
	rm -f "$W/disk.img"
	take_truth "$W"
	sed -n 's/^.*\(PINSCAN-LRUGEN-[A-Z]*\( .*\)\{0,1\}\)$/\1/p' "$W/serial.log" > "$W/lrugen.txt"
	if grep 'PINSCAN-LRUGEN-ERROR' "$W/lrugen.txt" >&2; then die "lrugen: the guest step failed (serial log: $W/serial.log)"; fi
	grep -q 'PINSCAN-LRUGEN-DONE' "$W/lrugen.txt" || { tail -30 "$W/serial.log" >&2; die "lrugen: the guest step did not finish (serial log: $W/serial.log)"; }
	local enabled; enabled=$(sed -n 's/^PINSCAN-LRUGEN-INFO enabled //p' "$W/lrugen.txt")
	case "$enabled" in 0x0000|"") die "lrugen: MGLRU not enabled (lru_gen/enabled: '$enabled')";; esac
	chmod a+r "$W/vmcore"
	fallocate -d "$W/vmcore" 2>/dev/null || true
	"$PY" "$HERE/fixture-helper.py" vmcoreinfo "$W/vmcore" > "$W/vmcoreinfo.txt"
	"$PY" "$HERE/fixture-helper.py" elfinfo "$W/vmcore" > "$W/elfinfo.txt"
	ln -sfn "$VMLINUX" "$W/vmlinux"
	t2=$(now)
	DRGN_USE_LIBKDUMPFILE_FOR_ELF=1 "$PY" "$HERE/drgn-count.py" --pins "$W/vmlinux" "$W/vmcore" > "$W/drgn-counts.json" ||
		die "lrugen: drgn-count.py failed"
	"$PY" "$HERE/truth-to-expected.py" "$W/truth.txt" --counts "$W/drgn-counts.json" \
		--notes "$W/expected-notes.json" > "$W/expected.json" 2> "$W/expected-check.txt"
	DRGN_USE_LIBKDUMPFILE_FOR_ELF=1 "$PY" "$HERE/lrugen-lists.py" "$W/vmlinux" "$W/vmcore" > "$W/drgn-lru-lists.json" ||
		die "lrugen: lrugen-lists.py failed"
	# The kernel's view must be MGLRU's: lrugen enabled, only lrugen lists, several generations,
	# both types, and every check of lrugen-lists.py passed.
	"$PY" - "$W" >> "$W/expected-check.txt" <<'PYEOF'
import json, sys
d = sys.argv[1]
o = json.load(open(d + "/drgn-lru-lists.json"))
bad = list(o["problems"])
kinds = {l["kind"] for l in o["lists"]}
gens = {l["gen"] for l in o["lists"] if l["kind"] == "lrugen"}
types = {l["type"] for l in o["lists"] if l["kind"] == "lrugen"}
if not all(o["lru_gen_caps"]):
    bad.append("lru_gen_caps %s: MGLRU not fully enabled" % o["lru_gen_caps"])
if kinds != {"lrugen"}:
    bad.append("list kinds %s: expected lrugen lists only" % sorted(kinds))
if len(gens) < 2 or types != {"anon", "file"}:
    bad.append("lrugen lists in generations %s, types %s: expected >= 2 generations, anon and file" % (sorted(gens), sorted(types)))
for b in bad:
    print("LRUGEN-MISMATCH " + b)
if not bad:
    print("OK: drgn: lru_gen_caps %s; %d lrugen lists (generations %s, types %s), %d folios, %d pages; "
          "links, flags and nr_pages counters consistent" % (o["lru_gen_caps"], len(o["lists"]), sorted(gens),
          sorted(types), sum(l["length"] for l in o["lists"]), sum(l["pages"] for l in o["lists"])))
PYEOF
	if grep -qE '^(MISMATCH|EXTRA|LRUGEN-MISMATCH)' "$W/expected-check.txt"; then
		cat "$W/expected-check.txt" >&2; die "lrugen: truth, drgn or the MGLRU lists disagree (above)"
	fi
	write_meta "$W" lrugen "$cmdline" "lru_gen_enabled_before $(sed -n 's/^PINSCAN-LRUGEN-INFO enabled_before //p' "$W/lrugen.txt")" \
		"lru_gen_enabled $enabled" "lru_gen_enabled_at_crash $(sed -n 's/^PINSCAN-LRUGEN-INFO enabled_at_crash //p' "$W/lrugen.txt")" \
		"lru_gen_debugfs $(sed -n 's/^PINSCAN-LRUGEN-INFO debugfs //p' "$W/lrugen.txt")" \
		"lru_gen_aging $(sed -n 's/^PINSCAN-LRUGEN-INFO aging //p' "$W/lrugen.txt" | tr '\n' ';')" \
		"disk ${LRUGEN_DISK_MB} MiB ext2 (virtio-blk)" \
		"time_boot_to_panic_s $t_panic" "time_dump_s $(since "$t") $dumpt" "time_drgn_expected_s $(since "$t2")" \
		"size_vmcore $(stat -c %s "$W/vmcore")"
	finish "$W" "$D" "$(stamp_of lrugen)"
	prune_variant lrugen
	tlog "lrugen: boot to panic $t_panic s; lru_gen/enabled $enabled; $(grep -c '^PINSCAN-LRUGEN-INFO aging' "$D/lrugen.txt") aging commands"
}

# ---------------------------------------------------------------- build
need_cmd cpio cpio
need_cmd gcc gcc
for v in $VARIANTS; do
	# One builder per variant at a time (make check -j runs several cases of one fixture): the
	# others wait here, then find it up to date.
	exec 8>"$KDIR/.extra-$v.lock"
	flock 8
	if up_to_date "$v"; then log "$v: up to date"; else "build_$v"; fi
	flock -u 8
	variant_dir "$v"
done
