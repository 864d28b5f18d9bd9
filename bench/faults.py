#!/usr/bin/env python3
"""Fault benchmark: how long CD Nodes takes to notice each kind of failure and to get the lost work going again.

    python3 bench/faults.py [--workers 4] [--tests 240]

One evaluation of a suite of sleeping tests runs on N workers over TCP while the script injects, one after the
other: a worker killed (kill -9) mid-test, a worker frozen (SIGSTOP, thawed after it was declared gone), a worker
stopped politely (SIGTERM: it drains), and the coordinator killed (kill -9) and started again. For each fault it
prints when the coordinator noticed (the worker's connection closed, or its heartbeat timeout passed) and when
the lost work was running again on another worker, from the coordinator's own log; then whether every test got
exactly one result.
"""
import argparse
import os
import re
import signal
import sys
import time
from datetime import datetime

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

STAMP = re.compile(r"^\[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+)([+-]\d{4})\]")


def suite(tests, files=8):
    out = {}
    per = max(1, tests // files)
    for f in range(files):
        src = ["import time", ""]
        for t in range(per):
            n = f * per + t
            src += ["def test_%d():" % t, "    time.sleep(%.2f)" % (0.3 + (n % 5) * 0.1), ""]
        out["tests/test_f%d.py" % f] = "\n".join(src)
    return out


def log_events(path):
    """(time, line) of the coordinator's scheduling lines."""
    events = []
    with open(path, encoding="utf-8", errors="replace") as f:
        stamp = None
        for line in f:
            m = STAMP.match(line)
            if m:
                stamp = datetime.strptime(m.group(1) + m.group(2), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()
            if stamp and ("gone (" in line or "taken over by" in line or "joined from" in line):
                events.append((stamp, line.strip()))
    return events


def first_after(events, t0, needle):
    for t, line in events:
        if t >= t0 and needle in line:
            return t
    return None


def executed(cluster, eid):
    return cluster.evaluation(eid)["progress"]["executed"]


def wait_executed(cluster, eid, n, timeout=300):
    deadline = time.time() + timeout
    while executed(cluster, eid) < n:
        if time.time() > deadline:
            raise SystemExit("stuck below %d executed tests" % n)
        time.sleep(0.1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--tests", type=int, default=240)
    args = ap.parse_args()
    timeout_ms = 3000
    rows = [("fault", "injected at (s)", "noticed after (s)", "work running again after (s)")]
    with harness.Cluster(args.workers, env={"CDNODES_HEARTBEAT_TIMEOUT_MS": str(timeout_ms)}) as c:
        log = os.path.join(c.dir, "coordinator.log")
        eid = c.submit("faults.zip", harness.zip_files(suite(args.tests)))
        start = time.time()
        workers = c.procs[1:]
        faults = []

        wait_executed(c, eid, args.tests // 8)
        t = time.time()
        os.killpg(workers[0].pid, signal.SIGKILL)
        faults.append(("worker killed (kill -9)", t, "worker=w1 ", "gone ("))

        wait_executed(c, eid, args.tests // 4)
        t = time.time()
        os.kill(workers[1].pid, signal.SIGSTOP)
        faults.append(("worker frozen (SIGSTOP)", t, "worker=w2 ", "gone ("))
        time.sleep(timeout_ms / 1000 + 3)
        os.kill(workers[1].pid, signal.SIGCONT)

        wait_executed(c, eid, args.tests * 3 // 8)
        t = time.time()
        os.kill(workers[2].pid, signal.SIGTERM)
        faults.append(("worker stopped (SIGTERM, drains)", t, "worker=w3 ", "gone ("))

        wait_executed(c, eid, args.tests // 2)
        t = time.time()
        os.killpg(c.procs[0].pid, signal.SIGKILL)
        c.procs[0].wait()
        c.restart_coordinator()
        restart_t, ready = t, time.time()

        ev = c.wait(eid)
        total = time.time() - start
        events = log_events(log)

    for name, t, who, needle in faults:
        noticed = next((s for s, line in events if s >= t and who in line and needle in line), None)
        resumed = first_after(events, noticed or t, "taken over by")
        rows.append((name, "%.1f" % (t - start), "-" if noticed is None else "%.2f" % (noticed - t),
                     "-" if resumed is None else "%.2f" % (resumed - t)))
    resumed = first_after(events, ready - 0.001, "taken over by")
    rows.append(("coordinator killed (kill -9), restarted", "%.1f" % (restart_t - start),
                 "%.2f (HTTP ready again)" % (ready - restart_t),
                 "-" if resumed is None else "%.2f" % (resumed - restart_t)))
    print(harness.table(rows))
    o = ev["outcomes"]
    got = sum(o.values())
    print("\nevaluation %s in %.1f s: %d results for %d tests (%s)" % (ev["status"], total, got, args.tests,
          "none lost, none twice" if got == args.tests and ev["progress"]["executed"] == args.tests else "MISMATCH"))
    return 0 if got == args.tests else 1


if __name__ == "__main__":
    sys.exit(main())
