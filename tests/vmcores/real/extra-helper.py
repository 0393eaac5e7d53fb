#!/usr/bin/python3
"""Helpers of build-extra.sh (standard library only; Debian's /usr/bin/python3).

  extra-helper.py dump QMP_SOCKET FORMAT=PATH...
      stop the guest, dump-guest-memory (paging: false) once per FORMAT (elf, kdump-zlib, ...)
      to PATH, then quit QEMU. One JSON line with the timings. (fixture-helper.py's QMP client.)
  extra-helper.py split-serial2 FILE OUTDIR
      split what the guest wrote to its second serial port (/dev/ttyS1) into files: each block
      "PINSCAN-<NAME>-BEGIN <words>" .. "PINSCAN-<NAME>-END" becomes OUTDIR/<file> (see BLOCKS);
      base64 blocks are decoded. Prints one line per file.
  extra-helper.py flat-end FILE
      the offset just past a flattened dump's end record (makedumpfile -F), i.e. the length of
      the stream when it was written to a bigger disk: the rest is the disk's zeros.
"""
import base64
import importlib.machinery
import json
import os
import struct
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
fixture_helper = importlib.machinery.SourceFileLoader(
    "fixture_helper", os.path.join(HERE, "fixture-helper.py")).load_module()

# block name (and first word after BEGIN) -> output file, decoder. A LIVE block of another mode
# (live-guest.sh's scans) is live-MODE.json: a new mode there needs no change here.
BLOCKS = {
    ("LIVE", "note"): ("live.json", "text"),       # pinscan scan /proc/kcore (VMCOREINFO: kcore's note)
    ("KCORE-HEAD", ""): ("kcore-head.bin", "base64"),  # first 16 KiB of /proc/kcore
}


def block_file(name, mode):
    """Output file and decoder of a block NAME whose BEGIN line's first word is MODE."""
    if (name, mode) in BLOCKS:
        return BLOCKS[(name, mode)]
    if name == "LIVE" and mode.isidentifier():
        return ("live-%s.json" % mode, "text")
    return BLOCKS.get((name, ""), ("%s-%s.txt" % (name, mode), "text"))


def cmd_dump(sock, *specs):
    q = fixture_helper.QMP(sock)
    times = {}
    q.cmd("stop")
    for spec in specs:
        fmt, path = spec.split("=", 1)
        if os.path.exists(path):
            os.unlink(path)
        t = time.time()
        q.cmd("dump-guest-memory", paging=False, protocol="file:" + os.path.abspath(path), format=fmt)
        times[fmt] = round(time.time() - t, 2)
    try:
        q.cmd("quit")
    except (RuntimeError, OSError):
        pass
    print(json.dumps(times))


def cmd_split_serial2(path, outdir):
    cur = None
    for raw in open(path, "rb").read().replace(b"\r", b"").split(b"\n"):
        line = raw.decode("latin-1")
        if line.startswith("PINSCAN-") and "-BEGIN" in line:
            name, _, rest = line[len("PINSCAN-"):].partition("-BEGIN")
            words = rest.split()
            cur = (name, words, [])
            continue
        if cur and line.startswith("PINSCAN-%s-END" % cur[0]):
            (name, words, lines) = cur
            fname, dec = block_file(name, words[0] if words else "")
            data = "\n".join(lines).encode("latin-1") + b"\n"
            if dec == "base64":
                data = base64.b64decode(b"".join(x.strip().encode() for x in lines))
            with open(os.path.join(outdir, fname), "wb") as f:
                f.write(data)
            print("%s %d bytes (%s)" % (fname, len(data), " ".join(words)))
            cur = None
            continue
        if cur:
            cur[2].append(line)


def cmd_flat_end(path):
    f = open(path, "rb")
    head = f.read(4096)
    if not head.startswith(b"makedumpfile\0"):
        raise SystemExit("%s: not a flattened dump" % path)
    pos = 4096
    while True:
        f.seek(pos)
        h = f.read(16)
        if len(h) < 16:
            raise SystemExit("%s: no end record" % path)
        off, size = struct.unpack(">qq", h)
        pos += 16
        if off == -1 and size == -1:
            break
        if off < 0 or size < 0:
            raise SystemExit("%s: bad record at %d" % (path, pos - 16))
        pos += size
    print(pos)


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    cmd, args = sys.argv[1], sys.argv[2:]
    {"dump": cmd_dump, "split-serial2": cmd_split_serial2, "flat-end": cmd_flat_end}[cmd](*args)


if __name__ == "__main__":
    main()
