# The live variant's guest step: build-extra.sh puts this file in the live initramfs as /step.sh,
# which the shared /init sources, and keys only the live fixture on it (with the pinscan binary).
# busybox sh. step_pinned runs while the workload holds its pins: pinscan scans /proc/kcore
#   note   --layout /layout.txt (made on the host by `pinscan layout -s VMLINUX`), VMCOREINFO
#          from kcore's own note;
#   sysfs  the same with --vmcoreinfo /sys/kernel/vmcoreinfo (the "PADDR SIZE" form);
#   btf    no other argument, as root: the layout from the running kernel's
#          /sys/kernel/btf/vmlinux and its symbols from /proc/kallsyms.
# Each JSON report goes to the second serial port (/dev/ttyS1: no kernel messages interleave) as a
# PINSCAN-LIVE-BEGIN MODE .. PINSCAN-LIVE-END block (extra-helper.py split-serial2: live.json for
# note, live-MODE.json otherwise), with the first 16 KiB of /proc/kcore; the console gets
# PINSCAN-LIVE-RC/-STDERR/-INFO lines.
step_pinned() {
	echo "PINSCAN-LIVE-INFO memory_blocks $(ls -d /sys/devices/system/memory/memory[0-9]* | wc -l) block_size_bytes 0x$(cat /sys/devices/system/memory/block_size_bytes)"
	echo "PINSCAN-LIVE-INFO sys_kernel_vmcoreinfo $(cat /sys/kernel/vmcoreinfo)"
	echo "PINSCAN-LIVE-INFO kptr_restrict $(cat /proc/sys/kernel/kptr_restrict) btf_bytes $(wc -c < /sys/kernel/btf/vmlinux)"
	stty -F /dev/ttyS1 raw -echo 115200 2>/dev/null
	{ echo "PINSCAN-KCORE-HEAD-BEGIN"; dd if=/proc/kcore bs=4096 count=4 2>/dev/null | base64; echo "PINSCAN-KCORE-HEAD-END"; } > /dev/ttyS1
	for mode in note sysfs btf; do
		case $mode in
		note) opt="--layout /layout.txt";;
		sysfs) opt="--layout /layout.txt --vmcoreinfo /sys/kernel/vmcoreinfo";;
		btf) opt="";;
		esac
		t0=$(cut -d' ' -f1 /proc/uptime)
		timeout 240 /bin/pinscan scan /proc/kcore --format json -o /tmp/live-$mode.json $opt 2>/tmp/live-$mode.err
		rc=$?
		echo "PINSCAN-LIVE-RC $mode rc=$rc seconds=$(awk -v a=$t0 -v b=$(cut -d' ' -f1 /proc/uptime) 'BEGIN{print b-a}')"
		sed "s/^/PINSCAN-LIVE-STDERR $mode: /" /tmp/live-$mode.err
		{ echo "PINSCAN-LIVE-BEGIN $mode rc=$rc"; cat /tmp/live-$mode.json 2>/dev/null; echo "PINSCAN-LIVE-END $mode"; } > /dev/ttyS1
	done
	sync
}
