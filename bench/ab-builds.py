#!/usr/bin/python3
"""Two builds of pinscan side by side on the real Debian fixtures, runs
interleaved (so that a noisy machine weighs on both alike), medians of
wall and CPU time:
  scan, cached   pinscan scan DUMP -s VMLINUX -j 1 with the layout cached
                 (each build its own cache, warmed first): the whole run
  layout, cold   pinscan layout -s VMLINUX --no-cache (DWARF)
Usage: bench/ab-builds.py OLD_BUILDDIR NEW_BUILDDIR [RUNS]
Takes /tmp/bench.lock. The fixtures: ~/.cache/pinscan/real (make check
builds them)."""
import fcntl
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

REAL = os.path.join(os.environ.get("PINSCAN_FIXTURE_CACHE") or
                    os.environ.get("XDG_CACHE_HOME") or
                    os.path.expanduser("~/.cache"), "pinscan", "real")
DUMPS = [("6.1 ELF", "6.1.0-57-cloud-amd64/4level-kaslr/vmcore"),
         ("6.12 kdump", "6.12.118+deb12-cloud-amd64/4level-kaslr/vmcore.kdump")]


def timed(argv, env):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime +
                  after.ru_stime - before.ru_stime)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    builds = {"old": os.path.join(sys.argv[1], "src/pinscan"),
              "new": os.path.join(sys.argv[2], "src/pinscan")}
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 11
    lock = open("/tmp/bench.lock", "w")
    fcntl.flock(lock, fcntl.LOCK_EX)
    tmp = tempfile.mkdtemp(prefix="pinscan-ab-")
    envs = {b: dict(os.environ, XDG_CACHE_HOME=os.path.join(tmp, b))
            for b in builds}
    jobs = []
    for name, rel in DUMPS:
        dump = os.path.join(REAL, rel)
        vmlinux = os.path.join(os.path.dirname(dump), "vmlinux")
        if not os.path.exists(dump):
            sys.exit(f"no fixture {dump}: run make check first")
        jobs.append((f"scan, cached  {name}", lambda exe, d=dump, v=vmlinux:
                     [exe, "scan", d, "-s", v, "-j", "1", "--format", "json",
                      "-o", "/dev/null"]))
        jobs.append((f"layout, cold  {name.split()[0]}", lambda exe, v=vmlinux:
                     [exe, "layout", "-s", v, "--no-cache", "-o", "/dev/null"]))
    for b, exe in builds.items():
        for _, argv in jobs:
            timed(argv(exe), envs[b])
    res = {}
    for _ in range(runs):
        for label, argv in jobs:
            for b, exe in builds.items():
                res.setdefault((label, b), []).append(timed(argv(exe), envs[b]))
    print(f"{runs} interleaved runs, load average {os.getloadavg()}")
    for label, _ in jobs:
        for b in builds:
            w = statistics.median(x[0] for x in res[(label, b)])
            c = statistics.median(x[1] for x in res[(label, b)])
            print(f"{label:26s} {b:4s} wall {w * 1000:7.1f} ms  cpu {c * 1000:7.1f} ms")
    subprocess.run(["rm", "-rf", tmp], check=False)


if __name__ == "__main__":
    main()
