#!/usr/bin/env python3
"""Package transfer benchmark: a 100 MB package to four workers over loopback TCP.

    python3 bench/transfer.py [--mb 100] [--workers 4]

Prints, per worker, the bytes received and the transfer rate (as each worker measured it from the first to
the last byte of the transfer), then submits the same project again and shows that no package byte moves
the second time: the package is content-addressed and the workers hold it.
"""
import argparse
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

RECEIVED = re.compile(r"package (\w+) received: (\d+) bytes in (\d+) ms \(([\d.]+) MB/s\), unpacked in (\d+) ms")


def received(logs):
    out = []
    for path in logs:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                m = RECEIVED.search(line)
                if m:
                    out.append((os.path.basename(path)[7:-4], m.group(1), int(m.group(2)), int(m.group(3)),
                                float(m.group(4)), int(m.group(5))))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=int, default=100)
    ap.add_argument("--workers", type=int, default=4)
    args = ap.parse_args()
    files = {"data/blob.bin": os.urandom(args.mb * 1024 * 1024)}
    # a test of 2 s per worker: a project never seen before spreads over every worker once it shows it is worth a
    # pytest session on each (a second at most), so every worker gets the package
    for i in range(args.workers):
        files["tests/test_part%d.py" % i] = "import time\n\ndef test_part%d():\n    time.sleep(2)\n" % i
    content = harness.zip_files(files, compression=harness.zipfile.ZIP_STORED)
    with harness.Cluster(args.workers) as cluster:
        t0 = time.time()
        first = cluster.wait(cluster.submit("big.zip", content))
        wall1 = time.time() - t0
        after_first = received(cluster.worker_logs)
        t0 = time.time()
        second = cluster.wait(cluster.submit("big.zip", content))
        wall2 = time.time() - t0
        after_second = received(cluster.worker_logs)
    rows = [("worker", "package", "MB", "transfer ms", "MB/s", "unpack ms")]
    for w, pkg, size, ms, rate, unpack in after_first:
        rows.append((w, pkg, "%.1f" % (size / 1e6), ms, "%.1f" % rate, unpack))
    print("First submission (%s, %d tests, %.1f s from upload to results):\n" % (first["status"],
          first["progress"]["executed"], wall1))
    print(harness.table(rows))
    total = sum(r[2] for r in after_first)
    print("\n%d transfers, %.1f MB in all; mean rate %.1f MB/s" % (len(after_first), total / 1e6,
          sum(r[4] for r in after_first) / max(1, len(after_first))))
    new = len(after_second) - len(after_first)
    print("\nSecond submission of the same project (%s, %.1f s): %d package transfers, %d package bytes"
          % (second["status"], wall2, new, sum(r[2] for r in after_second[len(after_first):])))
    return 0 if new == 0 and len(after_first) == args.workers else 1


if __name__ == "__main__":
    sys.exit(main())
