#!/usr/bin/env python3
"""Where a project's time goes: the class of 40 (classroom.py) on a freshly booted coordinator, phase by phase.

    python3 bench/phases.py [--projects 40] [--workers 4]
    python3 bench/phases.py --sources DIR --project attrs [--workers 4]    (one of realprojects.py's projects)

The same zip is submitted twice to a coordinator and workers booted for it: first cold (a coordinator that has
seen nothing, a cold JVM), then with the history of the first. For each submission the phases are read from what
the system itself says, not guessed from outside: the client's upload (the POST, which answers once the zip is
unpacked, packaged and recorded), the coordinator's log line for the intake (unpacked and packaged, recorded), the
workers' log lines for each package transfer and for each assignment as it ends (waiting for a slot, the project's
private copy, pytest's start — a new interpreter, one started ahead, or a session kept from an earlier assignment
— its collection, by the plugin's own clock, and the tests), the tests' own durations (pytest's, setup and teardown
included) from the API, the time from the last assignment's end on a worker to the evaluation's end on the
coordinator, and the coordinator's CPU seconds (from /proc). Worker phases are summed over all slots (slot
seconds); "per project" divides by the number of projects. No number here is asserted anywhere.
"""
import argparse
import collections
import json
import os
import re
import sys
import time
import datetime

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import classroom  # noqa: E402
import harness  # noqa: E402
import realprojects  # noqa: E402
import schedule  # noqa: E402

TWIN = re.compile(r"duplicated on worker=")
INTAKE = re.compile(r"unpacked and packaged in ([\d,]+) ms, recorded in ([\d,]+) ms")
PACKAGE = re.compile(r"package \w+ received: (\d+) bytes in (\d+) ms .*unpacked in (\d+) ms")
ASSIGNMENT = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) .*assignment \d+ \((RUN|COLLECT), (\d+) node ids\) "
                        r"finished with exit code -?\d+: (.*)$")
PHASE = re.compile(r"(slot|copy|cold start|warm start|collection|tests|one-shot pytest) (\d+) ms")


def cpu_seconds(pid):
    """User and system CPU seconds of a process so far."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def log_sizes(paths):
    return {p: os.path.getsize(p) if os.path.exists(p) else 0 for p in paths}


def new_lines(path, since):
    with open(path, errors="replace") as f:
        f.seek(since)
        return f.read().splitlines()


def measure(cluster, name, content, options=None):
    """One submission of the class: the phases, in seconds (slot seconds for the workers') and counts."""
    coordinator = os.path.join(cluster.dir, "coordinator.log")
    before = log_sizes([coordinator, *cluster.worker_logs])
    cpu0 = cpu_seconds(cluster.procs[0].pid)
    t0 = time.time()
    eid = cluster.submit(name, content, options)
    upload = time.time() - t0
    ev = cluster.wait(eid, timeout=1800)
    cpu = cpu_seconds(cluster.procs[0].pid) - cpu0
    end = harness.finished_at(ev)
    full = json.loads(harness.get("%s/evaluation/%d?tests=true" % (cluster.url, eid), key=cluster.key)[1])
    durations = [t["duration"] for p in full["projects"] for t in p.get("tests", [])]
    time.sleep(0.5)  # the workers' last lines
    s = collections.Counter()
    n = collections.Counter()
    for line in new_lines(coordinator, before[coordinator]):
        if TWIN.search(line):
            n["twins"] += 1
        m = INTAKE.search(line)
        if m:
            s["intake"] += int(m.group(1).replace(",", "")) / 1000
            s["record"] += int(m.group(2).replace(",", "")) / 1000
    last_end = 0.0
    for log in cluster.worker_logs:
        for line in new_lines(log, before[log]):
            m = PACKAGE.search(line)
            if m:
                n["packages"] += 1
                s["transfer"] += int(m.group(2)) / 1000
                s["unpack"] += int(m.group(3)) / 1000
                continue
            m = ASSIGNMENT.search(line)
            if not m:
                continue
            at = datetime.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S.%f").timestamp()
            last_end = max(last_end, at)
            n[m.group(2)] += 1
            summary = m.group(4)
            if "kept session" in summary:
                n["kept"] += 1
            for phase, ms in PHASE.findall(summary):
                s[phase] += int(ms) / 1000
                if phase in ("cold start", "warm start", "one-shot pytest"):
                    n[phase] += 1
    wall = end - t0
    return {"wall": wall, "upload": upload, "cpu": cpu, "results": len(durations), "test time": sum(durations),
            "after last": max(0.0, end - last_end) if last_end else float("nan"), "s": s, "n": n}


def rows(measures, projects, slots):
    labels = list(measures)
    out = [("phase", *("%s: slot s (per project)" % label for label in labels))]

    def row(name, f):
        out.append((name, *(f(measures[label]) for label in labels)))

    def each(key):
        return lambda m: "%.2f (%.3f)" % (m["s"][key], m["s"][key] / projects)

    row("wall, upload to last result", lambda m: "%.2f" % m["wall"])
    row("  × %d slots = slot seconds" % slots,
        lambda m: "%.2f (%.3f)" % (m["wall"] * slots, m["wall"] * slots / projects))
    row("upload (POST: send, unpack, package, record)", lambda m: "%.2f (%.3f)" % (m["upload"], m["upload"] / projects))
    row("  of which unpacked and packaged", each("intake"))
    row("  of which recorded", each("record"))
    row("package transfers to workers", lambda m: "%.2f (%d packages)" % (m["s"]["transfer"], m["n"]["packages"]))
    row("  unpacked on the workers", each("unpack"))
    row("waiting for a slot (queueing, not work)", each("slot"))
    row("private copy of the project", each("copy"))
    row("pytest start: new interpreter", lambda m: "%.2f (%d starts)" % (m["s"]["cold start"], m["n"]["cold start"]))
    row("pytest start: started ahead", lambda m: "%.2f (%d starts)" % (m["s"]["warm start"], m["n"]["warm start"]))
    row("sessions kept from an earlier assignment", lambda m: "%d assignments" % m["n"]["kept"])
    row("collection", each("collection"))
    row("one-shot pytest (start, collection, tests)",
        lambda m: "%.2f (%d runs)" % (m["s"]["one-shot pytest"], m["n"]["one-shot pytest"]))
    row("tests in sessions", each("tests"))
    row("  the tests' own durations (all results)",
        lambda m: "%.2f (%.3f)" % (m["test time"], m["test time"] / projects))
    row("  in-session beyond the durations",
        lambda m: "%.2f (%.3f)" % (m["s"]["tests"] + m["s"]["one-shot pytest"] - m["test time"],
                                   (m["s"]["tests"] + m["s"]["one-shot pytest"] - m["test time"]) / projects))
    row("last assignment's end to the evaluation's end", lambda m: "%.3f" % m["after last"])
    row("coordinator CPU s (per result, ms)",
        lambda m: "%.2f (%.2f ms)" % (m["cpu"], 1000 * m["cpu"] / max(1, m["results"])))
    row("assignments: COLLECT / RUN (of which twins)",
        lambda m: "%d / %d (%d)" % (m["n"]["COLLECT"], m["n"]["RUN"], m["n"]["twins"]))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--projects", type=int, default=40)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--sources", help="with --project: the folder of realprojects.py's checkouts")
    ap.add_argument("--project", help="one of realprojects.py's projects instead of the class")
    args = ap.parse_args()
    if args.project:
        py = realprojects.venv(args.sources)
        _, _, pytest_args, env = realprojects.PROJECTS[args.project]
        name, content = args.project + ".zip", realprojects.folder_zip(os.path.join(args.sources, args.project))
        options, projects = {"pytest_args": pytest_args, "env": env}, 1
    else:
        py = schedule.venv()
        files = {}
        for i in range(1, args.projects + 1):
            files.update({"student-%02d/%s" % (i, path): text for path, text in classroom.project(i).items()})
        name, content, options, projects = "class.zip", harness.zip_files(files), None, args.projects
    measures = {}
    with harness.Cluster(args.workers, python=py) as cluster:
        for label in ("cold", "with history"):
            print("%s ..." % label, file=sys.stderr)
            measures[label] = measure(cluster, name, content, options)
    print("%s: %d project(s) (%d results), %d workers of one slot, %d cores; phases summed over the slots\n" % (
        name, projects, measures["cold"]["results"], args.workers, os.cpu_count()))
    print(harness.table(rows(measures, projects, args.workers)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
