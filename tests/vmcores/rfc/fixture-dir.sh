#!/bin/sh
# Print the directory of an RFC-kernel fixture (v1, v2, faults), booting QEMU first when the
# cache lacks the dump: fixture-dir.sh VARIANT. Exit 77 (automake's SKIP), with the reason on
# the last stderr line, when the kernel is not cached and may not be built in this run.
#
# The kernel build (build-kernel.sh) takes minutes of both cores (doc/real-kernels.md has the
# times), too long to start unasked inside `make check`: it is built here only when
# PINSCAN_RFC_KERNEL_BUILD=1. CI runs on a machine whose ~/.cache/pinscan holds it; boots and
# dumps (about half a minute per variant) are always done when missing.
set -u
here=$(cd "$(dirname "$0")" && pwd)
variant=$1
if ! command -v qemu-system-x86_64 >/dev/null 2>&1 &&
   ! apt-cache policy qemu-system-x86 2>/dev/null | grep -q Candidate; then
	echo "no qemu-system-x86_64 and no package to install it from" >&2
	exit 77
fi
if ! "$here/build-kernel.sh" --cached-only >/dev/null 2>&1; then
	if [ "${PINSCAN_RFC_KERNEL_BUILD:-0}" != 1 ]; then
		echo "the RFC kernel is not cached ($("$here/build-kernel.sh" --print-dir)): run tests/vmcores/rfc/build-kernel.sh, or set PINSCAN_RFC_KERNEL_BUILD=1" >&2
		exit 77
	fi
	if ! "$here/build-kernel.sh" >&2; then
		echo "cannot build the RFC kernel (no linux-source-6.1 from Debian's registry?)" >&2
		exit 77
	fi
fi
# From here a failure is a failure: the kernel is there, the guest or the dump is wrong.
"$here/build-rfc.sh" --variant "$variant" >&2 || exit 1
"$here/build-rfc.sh" --variant "$variant" --print-dir
