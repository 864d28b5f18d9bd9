#!/usr/bin/env python3
"""Sandbox benchmark: what running in bubblewrap costs, per process start and on the scheduling suites.

    python3 bench/sandbox.py [--starts 100] [--rounds 3] [--workers 8] [--suites uniform,heavy,tiny] [--skip-suites]

Part 1, per start: the very command line a worker runs a process with (printed by the worker jar's ShowSandbox:
bubblewrap, prlimit and, for a worker running as root, setpriv) against the same interpreter started plainly, for
`python -c pass`, `python -m pytest --version` and a collection of a 20-test project (`pytest --collect-only -q`),
alternating plain and sandboxed starts: median and 90th percentile in ms, and what the sandbox adds (difference of
the medians). Part 2, the suites of schedule.py run by CD Nodes dynamic (first run, then with history) on a cluster
whose workers sandbox (--sandbox required) and on one whose workers do not (--sandbox off), the two alternating over
--rounds rounds, each on a coordinator booted for it; the "cold" row is the uniform suite submitted first on the
fresh coordinator, before the warm-up schedule.py does. Wall times are medians over the rounds, from the upload to
the evaluation's finished_at. No number here is asserted anywhere.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import schedule  # noqa: E402

TINY = {"test_tiny_%d.py" % i: "".join("def test_%d():\n    pass\n\n" % t for t in range(10)) for i in range(2)}


def show_sandbox(work, python, *args):
    """The worker's sandboxed command line for `python args...`, and the folder it runs in."""
    out = subprocess.run(["java", "-cp", harness.WORKER, "io.cdnodes.agent.ShowSandbox", work, python, *args],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def per_start(python, starts):
    rows = [("command", "plain median ms", "plain p90 ms", "sandboxed median ms", "sandboxed p90 ms", "added ms")]
    work = tempfile.mkdtemp(prefix="sandbox-", dir=harness.OUT)
    try:
        cases = (("python -c pass", ["-c", "pass"], starts * 2),
                 ("python -m pytest --version", ["-m", "pytest", "--version"], starts),
                 ("pytest --collect-only (20 tests)", ["-m", "pytest", "--collect-only", "-q", "-p",
                                                      "no:cacheprovider"], starts))
        description = ""
        for label, args, n in cases:
            shown = show_sandbox(work, python, *args)
            description = shown["sandbox"]
            for name, src in TINY.items():
                with open(os.path.join(shown["cwd"], name), "w") as f:
                    f.write(src)
            plain_cmd = [shown["command"][-len(args) - 1]] + args
            times = {"plain": [], "sandboxed": []}
            for i in range(n):
                for kind, cmd in (("plain", plain_cmd), ("sandboxed", shown["command"]))[::1 if i % 2 else -1]:
                    t0 = time.perf_counter()
                    r = subprocess.run(cmd, cwd=shown["cwd"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                    times[kind].append((time.perf_counter() - t0) * 1000)
                    if r.returncode != 0:
                        raise SystemExit("%s (%s) failed with %d" % (label, kind, r.returncode))
            p, s = times["plain"], times["sandboxed"]
            rows.append((label, "%.1f" % statistics.median(p), "%.1f" % percentile(p, 90),
                         "%.1f" % statistics.median(s), "%.1f" % percentile(s, 90),
                         "%.1f" % (statistics.median(s) - statistics.median(p))))
        return rows, description
    finally:
        shutil.rmtree(work, ignore_errors=True)


def suites_on(cluster, names, zips, counts):
    """Wall seconds per (suite, runner) on one cluster: the cold run first, then schedule.py's warm-up and suites."""
    out = {}
    t0 = time.time()
    ev = cluster.wait(cluster.submit("cold-uniform.zip", zips["uniform"], None))
    out[("uniform", "CD Nodes dynamic, cold coordinator")] = harness.finished_at(ev) - t0
    warmup = {"tests/test_warmup_%d.py" % i: "import time\n\n" + "".join(
        "def test_%d():\n    time.sleep(0.25)\n\n" % t for t in range(5)) for i in range(cluster.workers_wanted)}
    cluster.wait(cluster.submit("warmup.zip", harness.zip_files(warmup), None))
    many = {"tests/test_many_%d.py" % i: "".join("def test_%d():\n    pass\n\n" % t for t in range(50))
            for i in range(40)}
    cluster.wait(cluster.submit("warmup-many.zip", harness.zip_files(many), None))
    for name in names:
        for runner in ("CD Nodes dynamic, first run", "CD Nodes dynamic, with history"):
            t0 = time.time()
            ev = cluster.wait(cluster.submit(name + ".zip", zips[name], None))
            if ev["progress"]["executed"] != counts[name]:
                raise SystemExit("%s: %d results for %d tests" % (name, ev["progress"]["executed"], counts[name]))
            out[(name, runner)] = harness.finished_at(ev) - t0
    return out


def sandboxed_nodes(cluster):
    nodes = json.loads(harness.get(cluster.url + "/network/nodes")[1])
    return sorted({n["sandboxed"] for n in nodes})


def suites(workers, rounds, names):
    py = schedule.venv()
    zips, counts = {}, {}
    for name in set(names) | {"uniform"}:
        files, durations = schedule.suite_files(name)
        zips[name], counts[name] = harness.zip_files(files), len(durations)
    walls = {"off": [], "required": []}
    for r in range(rounds):
        for mode in (("off", "required") if r % 2 == 0 else ("required", "off")):
            with harness.Cluster(workers, python=py, env={"CDNODES_SANDBOX": mode}) as cluster:
                expected = [mode == "required"]
                if sandboxed_nodes(cluster) != expected:
                    raise SystemExit("workers with --sandbox %s report sandboxed %s" % (mode, sandboxed_nodes(cluster)))
                walls[mode].append(suites_on(cluster, names, zips, counts))
    rows = [("suite", "runner", "unsandboxed s", "sandboxed s", "sandboxed / unsandboxed")]
    keys = [("uniform", "CD Nodes dynamic, cold coordinator")] + [(n, r) for n in names for r in (
        "CD Nodes dynamic, first run", "CD Nodes dynamic, with history")]
    for key in keys:
        off = statistics.median(w[key] for w in walls["off"])
        on = statistics.median(w[key] for w in walls["required"])
        rows.append((key[0], key[1], "%.2f" % off, "%.2f" % on, "%.3f" % (on / off)))
    spread = {mode: {"%s, %s" % key: ["%.2f" % w[key] for w in walls[mode]] for key in keys} for mode in walls}
    return rows, spread


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--starts", type=int, default=100)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--workers", type=int, default=8)
    ap.add_argument("--suites", default="uniform,heavy,tiny")
    ap.add_argument("--skip-suites", action="store_true")
    args = ap.parse_args()
    harness.ensure_built()
    os.makedirs(harness.OUT, exist_ok=True)
    python = os.environ.get("CDNODES_PYTHON") or harness.python_with_pytest()
    rows, description = per_start(python, args.starts)
    print("Per start (%d starts each, %d for python -c pass; sandbox: %s), %d cores\n"
          % (args.starts, args.starts * 2, description, os.cpu_count()))
    print(harness.table(rows))
    if not args.skip_suites:
        rows, spread = suites(args.workers, args.rounds, args.suites.split(","))
        print("\nSuites, K = %d workers of one slot, median of %d rounds (each on a coordinator of its own)\n"
              % (args.workers, args.rounds))
        print(harness.table(rows))
        print("\nEvery round (s): " + json.dumps(spread))
    return 0


if __name__ == "__main__":
    sys.exit(main())
