#!/usr/bin/python3
"""Check a pinscan report's owners and holders against the workload and drgn.

  check-owners.py REPORT.json VMCORE VMLINUX TRUTH.txt

The workload (workload.c) writes each registered buffer's user address, its pfns and its
io_uring fd to truth.txt, but not its own pid or comm. Those come from drgn over the same dump,
by a road pinscan does not take: the task whose file table has the truth's io_uring fd open on a
file whose f_op is &io_uring_fops (drgn's fget()). Then every pinned entry must name:
  - among its owners: that pid and comm, kind "anon", and the user address of the entry's first
    page (the buffer's vaddr + its page index, from the truth);
  - among its holders: io_uring, that pid, the truth's fd, and a registered buffer whose user
    address is the buffer's vaddr.
Where the dump itself lacks the kernel memory (makedumpfile -d 31 drops the slab pages of
kernels whose slab is a page_type, v6.10+), drgn cannot read the task list either: then every
entry must say "owner unknown: ... not in the dump" and name no owner at all (no wrong one).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

os.environ.setdefault("DRGN_USE_LIBKDUMPFILE_FOR_ELF", "1")

import drgn  # noqa: E402
from drgn import FaultError  # noqa: E402
from drgn.helpers.linux.fs import fget  # noqa: E402
from drgn.helpers.linux.pid import for_each_task  # noqa: E402


def read_truth(path):
    fd = None
    page_of = {}  # pfn -> (buffer, user address of that page)
    vaddr = {}
    for line in open(path):
        w = line.split()
        if not w:
            continue
        if w[0] == "io_uring_fd":
            fd = int(w[1])
        elif w[0] == "buf":
            kv = dict(x.split("=", 1) for x in w[2:])
            vaddr[int(w[1])] = int(kv["vaddr"], 16)
        elif w[0] == "pfns":
            buf = int(w[1])
            j = 0
            for run in w[2:]:
                start, count = run.split("+")
                for k in range(int(count)):
                    page_of[int(start, 16) + k] = (buf, vaddr[buf] + 4096 * j)
                    j += 1
    if fd is None or not page_of:
        sys.exit("FAIL: %s has no io_uring_fd or no pfns" % path)
    return fd, page_of, vaddr


def workload_task(prog, fd):
    """(tgid, comm) of the task with fd open on an io_uring file, or None if the dump lacks it."""
    fops = prog["io_uring_fops"].address_of_()
    found = set()
    try:
        for task in for_each_task(prog):
            if not task.files:
                continue
            try:
                f = fget(task, fd)
            except FaultError:
                continue
            if f and f.f_op == fops:
                found.add((task.tgid.value_(), task.comm.string_().decode()))
    except FaultError as e:
        print("drgn: the task list is not in the dump (%s)" % e)
        return None
    if len(found) != 1:
        sys.exit("FAIL: drgn finds %d tasks with io_uring fd %d: %s" % (len(found), fd, found))
    return found.pop()


def main():
    report, vmcore, vmlinux, truth = sys.argv[1:5]
    r = json.load(open(report))
    fd, page_of, vaddr = read_truth(truth)
    prog = drgn.Program()
    scratch = None
    try:
        prog.set_core_dump(vmcore)
    except Exception:  # noqa: BLE001 (drgn raises a bare Exception here)
        # QEMU's kdump files leave utsname empty, which drgn needs: read a copy with it
        # filled in, as build-fixture.sh does for drgn-count.py.
        fd_tmp, scratch = tempfile.mkstemp(prefix="pinscan-owners.")
        os.close(fd_tmp)
        shutil.copyfile(vmcore, scratch)
        subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "fixture-helper.py"),
                        "fill-uts", scratch, r["kernel"]], check=True)
        prog = drgn.Program()
        prog.set_core_dump(scratch)
    try:
        prog.load_debug_info([vmlinux])
        task = workload_task(prog, fd)
    finally:
        if scratch:
            os.unlink(scratch)
    bad = []
    if not r["pinned"]:
        bad.append("no pinned entries")
    for e in r["pinned"]:
        pfn = e["pfn"]
        if "owners" not in e or "holders" not in e:
            bad.append("pfn %#x: no owners/holders in the report" % pfn)
            continue
        if task is None:
            if e["owners"] or not e["owner_note"].startswith("owner unknown:") or \
               "not in the dump" not in e["owner_note"]:
                bad.append("pfn %#x: the dump lacks the task list, yet owners %s, note %r"
                           % (pfn, e["owners"], e["owner_note"]))
            continue
        if pfn not in page_of:
            bad.append("pfn %#x: not a page of the workload's buffers" % pfn)
            continue
        buf, addr = page_of[pfn]
        pid, comm = task
        if not any(o["pid"] == pid and o["comm"] == comm and o["vaddr"] == addr and
                   o["kind"] == "anon" for o in e["owners"]):
            bad.append("pfn %#x: owners %s lack pid %d (%s) at %#x"
                       % (pfn, e["owners"], pid, comm, addr))
        if not any(h["kind"] == "io_uring" and h["pid"] == pid and h["fd"] == fd and
                   h["uaddr"] == vaddr[buf] for h in e["holders"]):
            bad.append("pfn %#x: holders %s lack io_uring fd %d of pid %d, buffer at %#x"
                       % (pfn, e["holders"], fd, pid, vaddr[buf]))
    if bad:
        for b in bad[:20]:
            print("FAIL:", b)
        sys.exit(1)
    if task is None:
        print("owners: %d entries say why their owner is unknown (the dump lacks it)" % len(r["pinned"]))
    else:
        print("owners: every one of %d entries names pid %d (%s), its user address and io_uring fd %d"
              % (len(r["pinned"]), task[0], task[1], fd))


main()
