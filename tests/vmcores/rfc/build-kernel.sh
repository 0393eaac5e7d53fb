#!/bin/bash
# Build Linux 6.1 (Debian 12's linux-source-6.1) with the 2018 DMA-pin RFC ported onto it
# (rfc-dma-pin-6.1.patch) and the small config of config.fragment; print the kernel directory.
#
#   tests/vmcores/rfc/build-kernel.sh [--print-dir] [--cached-only] [--jobs N]
#
#   --print-dir     print the kernel directory (for the current patch, config and source), build nothing
#   --cached-only   exit 3 when the kernel is not cached instead of building it
#   --jobs N        make -jN (default 2; always nice -n 19: the CPU is shared)
#
# Kernel directory: ${XDG_CACHE_HOME:-$HOME/.cache}/pinscan/rfc/kernel-<key>/, key = hash of the
# patch, config.fragment, the linux-source-6.1 package version and this script's RECIPE line;
# holds bzImage, vmlinux (DWARF 5 + BTF + .symtab), System.map, config, build.txt (times).
# Needs root for apt-get (linux-source-6.1, flex, bison, bc, libelf-dev, libssl-dev, dwarves).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RECIPE="tinyconfig+fragment, make bzImage, gcc of the host (recipe 1)"
PRINT_DIR=0 CACHED_ONLY=0 JOBS=2
while [ $# -gt 0 ]; do
	case "$1" in
	--print-dir) PRINT_DIR=1; shift;;
	--cached-only) CACHED_ONLY=1; shift;;
	--jobs) JOBS=$2; shift 2;;
	*) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2;;
	esac
done

log() { printf '[build-kernel %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}'; }

RFC=${XDG_CACHE_HOME:-$HOME/.cache}/pinscan/rfc
TARBALL=/usr/src/linux-source-6.1.tar.xz
src_version() { dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || true; }
SRCVER=$(src_version)
if [ -z "$SRCVER" ] || [ ! -s "$TARBALL" ]; then
	[ $PRINT_DIR = 1 ] || [ $CACHED_ONLY = 1 ] && {
		# Without the package the key is unknown: use the newest cached kernel, if any.
		k=$(ls -td "$RFC"/kernel-*/ 2>/dev/null | head -1)
		[ -n "$k" ] && [ -s "$k/bzImage" ] && { echo "${k%/}"; exit 0; }
		[ $PRINT_DIR = 1 ] && { echo "$RFC/kernel-none"; exit 0; }
		exit 3
	}
	log "installing linux-source-6.1 and the build dependencies"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		linux-source-6.1 flex bison bc libelf-dev libssl-dev dwarves xz-utils make gcc >&2 ||
		die "cannot install linux-source-6.1 (no network to Debian's registry?)"
	SRCVER=$(src_version)
fi
KEY=$( (cat "$HERE/rfc-dma-pin-6.1.patch" "$HERE/config.fragment"; echo "$SRCVER"; echo "$RECIPE") |
	sha256sum | cut -c1-16)
K="$RFC/kernel-$KEY"
if [ $PRINT_DIR = 1 ]; then echo "$K"; exit 0; fi
if [ -s "$K/bzImage" ] && [ -s "$K/vmlinux" ]; then echo "$K"; exit 0; fi
[ $CACHED_ONLY = 1 ] && exit 3

mkdir -p "$K"
exec 7>"$K/.build.lock"
flock 7 # one builder per kernel; a second one waits and finds it built
if [ -s "$K/bzImage" ] && [ -s "$K/vmlinux" ]; then echo "$K"; exit 0; fi
for c in flex bison bc pahole; do
	command -v $c >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends flex bison bc dwarves libelf-dev libssl-dev >&2
done

patched_files() { sed -n 's|^+++ b/\([^[:space:]]*\).*|\1|p' "$@" | sort -u; }

# One build tree per source version, at a fixed path ($RFC/src-<version>), shared by every
# kernel-<key>: a new patch rewrites only the files whose patched text changes, so make rebuilds
# what they touch. (Kbuild's objects depend on objtool, whose build records absolute paths: a
# tree that moves is rebuilt whole.) The tree keeps pristine copies of the patched files in
# .pinscan-orig/ and the patch it carries in .pinscan-patch.
update_tree() { # S: bring an existing tree to this patch
	local S=$1 st f
	st=$(mktemp -d)
	for f in $(patched_files "$S/.pinscan-patch" "$HERE/rfc-dma-pin-6.1.patch"); do
		if [ ! -e "$S/.pinscan-orig/$f" ] && [ -e "$S/$f" ] && ! patched_files "$S/.pinscan-patch" | grep -qxF "$f"; then
			mkdir -p "$S/.pinscan-orig/$(dirname "$f")"; cp -p "$S/$f" "$S/.pinscan-orig/$f"
		fi
		if [ -e "$S/.pinscan-orig/$f" ]; then mkdir -p "$st/$(dirname "$f")"; cp "$S/.pinscan-orig/$f" "$st/$f"; fi
	done
	(cd "$st" && patch -p1 --quiet < "$HERE/rfc-dma-pin-6.1.patch") || { rm -rf "$st"; die "the patch does not apply"; }
	for f in $(patched_files "$S/.pinscan-patch" "$HERE/rfc-dma-pin-6.1.patch"); do
		if [ -e "$st/$f" ]; then
			cmp -s "$st/$f" "$S/$f" || { mkdir -p "$S/$(dirname "$f")"; cp "$st/$f" "$S/$f"; log "updated $f"; }
		elif [ -e "$S/$f" ]; then
			rm -f "$S/$f"; log "removed $f"
		fi
	done
	rm -rf "$st"
	cp "$HERE/rfc-dma-pin-6.1.patch" "$S/.pinscan-patch"
}

t_all=$(now)
S="$RFC/src-$SRCVER"
exec 6>"$RFC/.src-$SRCVER.lock"
flock 6 # one build in the shared tree at a time
t=$(now)
if [ -s "$S/.pinscan-patch" ] && [ "$(cat "$S/.pinscan-srcver" 2>/dev/null)" = "$SRCVER" ]; then
	BUILD_KIND=incremental
	update_tree "$S"
else
	BUILD_KIND=cold
	rm -rf "$S"; mkdir -p "$S"
	tar -xJf "$TARBALL" -C "$S" --strip-components=1
	for f in $(patched_files "$HERE/rfc-dma-pin-6.1.patch"); do
		[ -e "$S/$f" ] || continue
		mkdir -p "$S/.pinscan-orig/$(dirname "$f")"; cp -p "$S/$f" "$S/.pinscan-orig/$f"
	done
	(cd "$S" && patch -p1 --quiet < "$HERE/rfc-dma-pin-6.1.patch")
	echo "$SRCVER" > "$S/.pinscan-srcver"
	cp "$HERE/rfc-dma-pin-6.1.patch" "$S/.pinscan-patch"
fi
t_extract=$(since "$t")
log "linux-source-6.1 $SRCVER in $S ready ($BUILD_KIND) in $t_extract s"

cd "$S"
# A reused tree whose config does not change keeps its .config as it was.
mv .config .config.prev 2>/dev/null || true
make -s tinyconfig >/dev/null 2>&1
scripts/kconfig/merge_config.sh -m -O . .config "$HERE/config.fragment" >/dev/null 2>&1
make -s olddefconfig >/dev/null 2>&1
if [ -e .config.prev ] && cmp -s .config .config.prev; then mv .config.prev .config; else rm -f .config.prev; fi
bad=0
while IFS= read -r line; do
	case "$line" in CONFIG_*=*) grep -qx "$line" .config || { log "config: $line did not stick"; bad=1; };; esac
done < "$HERE/config.fragment"
[ $bad = 0 ] || die "config.fragment does not apply to this source ($SRCVER)"

t=$(now)
log "make -j$JOBS bzImage (nice -n 19), log in $K/make.log"
if ! nice -n 19 make -j"$JOBS" bzImage > "$K/make.log" 2>&1; then
	tail -30 "$K/make.log" >&2
	die "kernel build failed (log: $K/make.log)"
fi
t_make=$(since "$t")
cp arch/x86/boot/bzImage "$K/bzImage.tmp"
cp vmlinux "$K/vmlinux.tmp"
cp System.map "$K/System.map"
cp .config "$K/config"
cat > "$K/build.txt" <<EOF
build $BUILD_KIND
source linux-source-6.1 $SRCVER ($TARBALL)
patch $(sha256sum < "$HERE/rfc-dma-pin-6.1.patch" | cut -c1-16) rfc-dma-pin-6.1.patch
config $(sha256sum < "$HERE/config.fragment" | cut -c1-16) config.fragment onto tinyconfig
recipe $RECIPE
gcc $(gcc --version | head -1)
pahole $(pahole --version)
jobs $JOBS (nice -n 19), host cores $(nproc), load before $(cut -d' ' -f1-3 /proc/loadavg)
time_extract_patch_s $t_extract
time_make_s $t_make
time_total_s $(since "$t_all")
size_bzImage $(stat -c %s "$K/bzImage.tmp")
size_vmlinux $(stat -c %s "$K/vmlinux.tmp")
built $(date -u +%FT%TZ)
EOF
mv "$K/vmlinux.tmp" "$K/vmlinux"
mv "$K/bzImage.tmp" "$K/bzImage"
log "kernel built in $t_make s (make), $(since "$t_all") s in all: $K"
echo "$K"
