#!/bin/sh
# Install what pinscan builds and tests with, from Debian 12's packages.
# Used by the README's quick start and by .ci/run.
set -e
PKGS="build-essential autoconf automake pkg-config
libkdumpfile-dev libdwarf-dev libbpf-dev libelf-dev libncurses-dev zlib1g-dev
makedumpfile python3 python3-jsonschema tmux dwarves time
bash-completion debhelper lintian systemd man-db
clang libclang-rt-14-dev"
# (dwarves: pahole -J puts BTF in the synthetic kernels of the tests and
# the fuzzers' seeds. Then tests/service, completion, units and the Debian
# package; the libFuzzer harnesses, make fuzz.)
# The real-kernel fixtures (tests/vmcores/real) also need these.
if [ "${PINSCAN_REAL_KERNELS:-1}" = 1 ]; then
	PKGS="$PKGS qemu-system-x86 busybox-static cpio socat python3-drgn kexec-tools"
fi
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
log=$(mktemp)
echo "install-deps: installing$missing"
# shellcheck disable=SC2086
if ! { $SUDO apt-get update -qq &&
       DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
		--no-install-recommends $missing; } >"$log" 2>&1; then
	cat "$log" >&2
	echo "install-deps: apt-get failed" >&2
	exit 1
fi
rm -f "$log"
