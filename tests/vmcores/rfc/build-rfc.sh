#!/bin/bash
# Crash dumps of Linux 6.1 carrying the 2018 DMA-pin RFC (build-kernel.sh), pinned by the real
# fixtures' workload (io_uring fixed buffers), for pinscan's tests.
#
#   tests/vmcores/rfc/build-rfc.sh [--variant V]... [--force] [--cached-only] [--print-dir]
#
#   --variant V     v1 (rfc_dma_pin_bit=1, mask 0x2), v2 (rfc_dma_pin_bit=2, mask 0x4), faults
#                   (v2 + rfc_dma_pin_faults: three pages breaking the RFC's rules); default all
#   --force         boot again even when the variant is up to date
#   --cached-only   never build the kernel (exit 77 when it is not cached); boots are done
#   --print-dir     print the variant directories only
#   --timeout S     seconds to wait for the guest's panic (default 300)
#
# Prints one directory per variant: <kernel dir>/<variant>/ (kernel dir: build-kernel.sh), with
# vmlinux (-> ../vmlinux), vmcore (ELF), vmcore.flat (QEMU's kdump-zlib, flattened), vmcore.kdump
# (reassembled), truth.txt, faults.txt, serial.log, vmcoreinfo.txt, drgn-counts.json,
# expected.json, expected-check.txt, meta.txt. Uses ../real's workload.c and fixture-helper.py
# as they are, and the same QEMU lock as ../real/build-fixture.sh (one guest at a time).
# The initramfs and the boot-and-dump steps repeat build-fixture.sh's on purpose: that file is
# part of every Debian fixture's cache key (changing it re-boots them all); fold the two into a
# shared helper the next time it has to change anyway.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REAL=$HERE/../real
PY=/usr/bin/python3
ALL_VARIANTS="v1 v2 faults"
VARIANTS="" FORCE=0 CACHED_ONLY=0 PRINT_DIR=0 TIMEOUT=300
while [ $# -gt 0 ]; do
	case "$1" in
	--variant) VARIANTS="$VARIANTS $2"; shift 2;;
	--force) FORCE=1; shift;;
	--cached-only) CACHED_ONLY=1; shift;;
	--print-dir) PRINT_DIR=1; shift;;
	--timeout) TIMEOUT=$2; shift 2;;
	*) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2;;
	esac
done
VARIANTS=${VARIANTS:-$ALL_VARIANTS}
for v in $VARIANTS; do
	case " $ALL_VARIANTS " in *" $v "*) ;; *) echo "unknown variant $v (known: $ALL_VARIANTS)" >&2; exit 2;; esac
done

log() { printf '[build-rfc %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}'; }

if [ $PRINT_DIR = 1 ]; then
	K=$("$HERE/build-kernel.sh" --print-dir)
	for v in $VARIANTS; do echo "$K/$v"; done
	exit 0
fi
if [ $CACHED_ONLY = 1 ]; then
	K=$("$HERE/build-kernel.sh" --cached-only) || {
		echo "the RFC kernel is not cached ($("$HERE/build-kernel.sh" --print-dir)); build it with tests/vmcores/rfc/build-kernel.sh" >&2
		exit 77
	}
else
	K=$("$HERE/build-kernel.sh")
fi
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/pinscan
mkdir -p "$CACHE/real"
exec 8>"$K/.fixture.lock"
flock 8 # one fixture builder per kernel: test cases run in parallel ask for the same variants

# A variant is rebuilt when this script, the workload or the QMP helper changes.
DUMP_HASH=$(cat "$HERE/build-rfc.sh" "$REAL/workload.c" "$REAL/fixture-helper.py" | sha256sum | cut -c1-16)
EXP_HASH=$( (echo "$DUMP_HASH"; cat "$HERE/rfc-expected.py" "$REAL/drgn-count.py" "$REAL/truth-to-expected.py") |
	sha256sum | cut -c1-16)

for c in qemu-system-x86_64:qemu-system-x86 /bin/busybox:busybox-static cpio:cpio gcc:gcc; do
	command -v "${c%%:*}" >/dev/null 2>&1 || [ -x "${c%%:*}" ] ||
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${c#*:}" >&2
done
"$PY" -c 'import drgn' 2>/dev/null ||
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3-drgn >&2

# Initramfs: as ../real/build-fixture.sh's, without modules (fw_cfg is built in).
INITRD="$K/initramfs-$DUMP_HASH.cpio.gz"
if [ ! -s "$INITRD" ]; then
	R=$(mktemp -d "$K/initramfs.XXXXXX")
	mkdir -p "$R"/{bin,dev,proc,sys,tmp,root}
	cp /bin/busybox "$R/bin/busybox"
	ln -s busybox "$R/bin/sh"
	mknod -m 600 "$R/dev/console" c 5 1
	mknod -m 666 "$R/dev/null" c 1 3
	gcc -O2 -Wall -static -o "$R/workload" "$REAL/workload.c"
	cat > "$R/init" <<'EOF'
#!/bin/sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tmpfs tmpfs /tmp
echo "PINSCAN-INIT $(uname -r) $(cat /proc/cmdline)"
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
	for old in "$K"/initramfs-*.cpio.gz; do [ "$old" = "$INITRD" ] || rm -f "$old"; done
	rm -rf "$R"
fi

variant_cmdline() {
	case "$1" in
	v1) echo "rfc_dma_pin_bit=1";;
	v2) echo "rfc_dma_pin_bit=2";;
	faults) echo "rfc_dma_pin_bit=2 rfc_dma_pin_faults";;
	esac
}
variant_bit() { case "$1" in v1) echo 1;; *) echo 2;; esac; }

build_variant() {
	local v=$1 D="$K/$1" W="$K/$1.tmp" sock qpid t0 t_panic dumpt cpu="max,la57=off" cmdline
	cmdline="console=ttyS0,115200 panic=0 qemu_fw_cfg.ioport=12@0x510:0:1:4 $(variant_cmdline "$v")"
	if [ $FORCE = 0 ] && [ "$(cat "$D/stamp" 2>/dev/null)" = "$DUMP_HASH" ] &&
		[ -s "$D/vmcore" ] && [ -s "$D/vmcore.kdump" ] && [ -s "$D/truth.txt" ]; then
		log "$v: dump up to date ($D)"
		return 0
	fi
	rm -rf "$W"; mkdir -p "$W"
	sock=$(mktemp -u /tmp/pinscan-qmp.XXXXXX)
	log "$v: booting ($cmdline)"
	exec 9>"$CACHE/real/.qemu.lock"
	flock 9 # one QEMU guest at a time, with ../real/build-fixture.sh's builders too
	t0=$(now)
	qemu-system-x86_64 -accel tcg -m 1G -smp 1 -cpu "$cpu" -nographic -monitor none \
		-serial "file:$W/serial.log" -device vmcoreinfo -qmp "unix:$sock,server=on,wait=off" \
		-kernel "$K/bzImage" -initrd "$INITRD" -append "$cmdline" -no-reboot \
		</dev/null >"$W/qemu.out" 2>&1 &
	qpid=$!
	while ! grep -qa "Kernel panic - not syncing" "$W/serial.log" 2>/dev/null; do
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
	sleep 2 # let the panic message (and the faults' panic notifier) finish
	dumpt=$("$PY" "$REAL/fixture-helper.py" dump "$sock" "$W/vmcore" "$W/vmcore.flat")
	for _ in $(seq 1 50); do kill -0 $qpid 2>/dev/null || break; sleep 0.2; done
	kill $qpid 2>/dev/null || true
	wait $qpid 2>/dev/null || true
	flock -u 9
	rm -f "$sock"

	chmod a+r "$W/vmcore" "$W/vmcore.flat"
	fallocate -d "$W/vmcore" 2>/dev/null || true
	"$PY" "$REAL/fixture-helper.py" reassemble "$W/vmcore.flat" "$W/vmcore.kdump" >/dev/null
	tr -d '\r' < "$W/serial.log" > "$W/serial.log.tmp" && mv "$W/serial.log.tmp" "$W/serial.log"
	sed -n '/^PINSCAN-TRUTH-BEGIN/,/^PINSCAN-TRUTH-END/p' "$W/serial.log" > "$W/truth.txt"
	grep -q '^PINSCAN-TRUTH-END' "$W/truth.txt" || die "$v: no complete truth block in $W/serial.log"
	grep -a 'PINSCAN-WORKLOAD-ERROR' "$W/serial.log" >&2 && die "$v: workload error"
	grep -ao 'PINSCAN-RFC-FAULT.*' "$W/serial.log" > "$W/faults.txt" || true
	grep -q "rfc_dma_pin: PAGE_DMA_PINNED 0x$((1 << $(variant_bit "$v")))" "$W/serial.log" ||
		die "$v: the kernel did not report pin mask 0x$((1 << $(variant_bit "$v")))"
	"$PY" "$REAL/fixture-helper.py" vmcoreinfo "$W/vmcore" > "$W/vmcoreinfo.txt" ||
		die "$v: the ELF dump has no VMCOREINFO note (fw_cfg?)"
	cat > "$W/meta.txt" <<EOF
kernel $(basename "$K") ($(sed -n 's/^source //p' "$K/build.txt"))
uname $(sed -n 's/^uname //p' "$W/truth.txt")
variant $v
rfc_pin_bit $(variant_bit "$v")
cmdline $cmdline
cpu $cpu
qemu $(qemu-system-x86_64 --version | head -1)
kaslr_offset $(sed -n 's/^KERNELOFFSET=//p' "$W/vmcoreinfo.txt")
time_boot_to_panic_s $t_panic
time_dump_s $dumpt
time_qemu_total_s $(since "$t0")
size_vmcore $(stat -c %s "$W/vmcore")
size_vmcore_kdump $(stat -c %s "$W/vmcore.kdump")
builder_hash $DUMP_HASH
built $(date -u +%FT%TZ)
EOF
	ln -sfn ../vmlinux "$W/vmlinux"
	echo "$DUMP_HASH" > "$W/stamp"
	rm -rf "$D"
	mv "$W" "$D"
	log "$v: boot to panic $t_panic s, dump $dumpt"
}

expected_variant() {
	local v=$1 D="$K/$1"
	if [ $FORCE = 0 ] && [ "$(cat "$D/expected.stamp" 2>/dev/null)" = "$EXP_HASH $(cat "$D/stamp")" ] &&
		[ -s "$D/expected.json" ]; then
		return 0
	fi
	DRGN_USE_LIBKDUMPFILE_FOR_ELF=1 "$PY" "$REAL/drgn-count.py" --pins "$D/vmlinux" "$D/vmcore" > "$D/drgn-counts.json.tmp"
	mv "$D/drgn-counts.json.tmp" "$D/drgn-counts.json"
	"$PY" "$HERE/rfc-expected.py" "$D" --bit "$(variant_bit "$v")" > "$D/expected.json.tmp" 2> "$D/expected-check.txt" ||
		{ cat "$D/expected-check.txt" >&2; die "$v: the dump does not hold what the workload and the kernel say"; }
	mv "$D/expected.json.tmp" "$D/expected.json"
	echo "$EXP_HASH $(cat "$D/stamp")" > "$D/expected.stamp"
}

for v in $VARIANTS; do
	build_variant "$v"
	expected_variant "$v"
	echo "$K/$v"
done
