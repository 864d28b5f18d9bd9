#!/usr/bin/env python3
"""Scheduling benchmark: CD Nodes against plain pytest and pytest-xdist on generated suites.

    python3 bench/schedule.py [--workers 8] [--suites uniform,heavy,tiny]

For each suite it runs, on this machine: serial pytest; pytest-xdist `-n K`; CD Nodes round-robin; CD Nodes
dynamic (first run, no history) and dynamic again (with the history of the first run); each CD Nodes run on K
local workers of one slot. Everything uses one virtual environment the benchmark makes under bench/out/ (pytest
and pytest-xdist from pip as this machine has it configured), so every runner pays the same start-up. Wall time
is what a user waits: from the command (or the upload) to the last result (for CD Nodes: the evaluation's
finished_at; the script polls every half second, and a tighter poll would load the coordinator it measures). Ideal is the larger of the total test
time divided by K and the longest test. No number here is asserted anywhere.
"""
import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

SUITES = {
    # name: (files, tests per file, duration function of test number)
    "uniform": (20, 10, lambda rnd, n: 0.25),
    "heavy": (20, 10, lambda rnd, n: 6.0 if n in (7, 91, 163) else round(rnd.uniform(0.02, 0.3), 3)),
    "tiny": (40, 50, lambda rnd, n: 0.0),
}


def suite_files(name):
    files, per, duration = SUITES[name]
    rnd = random.Random(name)
    out, durations = {}, []
    for f in range(files):
        src = ["import time", ""]
        for t in range(per):
            d = duration(rnd, f * per + t)
            durations.append(d)
            src += ["def test_%d():" % t, "    time.sleep(%s)" % d if d else "    pass", ""]
        out["tests/test_%s_%02d.py" % (name, f)] = "\n".join(src)
    return out, durations


def venv():
    path = os.path.join(harness.OUT, "venv")
    py = os.path.join(path, "bin", "python")
    if not os.path.exists(py):
        subprocess.run([sys.executable, "-m", "venv", path], check=True)
        subprocess.run([py, "-m", "pip", "install", "-q", "pytest", "pytest-xdist"], check=True)
    return py


def timed(cmd, cwd):
    t0 = time.time()
    r = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if r.returncode not in (0, 1):
        raise SystemExit("%s failed with %d" % (" ".join(cmd), r.returncode))
    return time.time() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=8)
    ap.add_argument("--suites", default="uniform,heavy,tiny")
    args = ap.parse_args()
    k = args.workers
    py = venv()
    names = args.suites.split(",")
    rows = [("suite", "tests", "runner", "wall s", "ideal s", "efficiency", "vs xdist")]
    results, zips = {}, {}
    work = tempfile.mkdtemp(prefix="suites-", dir=harness.OUT)
    try:
        for name in names:
            files, durations = suite_files(name)
            zips[name] = harness.zip_files(files)
            d = os.path.join(work, name)
            for path, src in files.items():
                os.makedirs(os.path.dirname(os.path.join(d, path)), exist_ok=True)
                with open(os.path.join(d, path), "w") as f:
                    f.write(src)
            ideal = max(sum(durations) / k, max(durations))
            results[name] = {"tests": len(durations), "ideal": ideal,
                             "serial pytest": timed([py, "-m", "pytest", "-q", "-p", "no:cacheprovider"], d),
                             "pytest-xdist -n %d" % k: timed([py, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                                                             "-n", str(k)], d)}
        with harness.Cluster(k, python=py) as cluster:
            # a coordinator that has just booted loads classes and compiles its code paths on the first
            # evaluation; a project nobody measures pays that, as it would on a coordinator already serving (it is
            # worth a session on every worker, as the measured suites are, so that it warms the same paths)
            warmup = {"tests/test_warmup_%d.py" % i: "import time\n\n" + "".join(
                "def test_%d():\n    time.sleep(0.25)\n\n" % t for t in range(5)) for i in range(k)}
            cluster.wait(cluster.submit("warmup.zip", harness.zip_files(warmup), None))
            # and many results, the coordinator's hottest path (a project of another name: no history for the suites)
            many = {"tests/test_many_%d.py" % i: "".join("def test_%d():\n    pass\n\n" % t for t in range(50))
                    for i in range(40)}
            cluster.wait(cluster.submit("warmup-many.zip", harness.zip_files(many), None))
            for name in names:
                for runner, zipname, options in (("CD Nodes dynamic, first run", name, None),
                                                 ("CD Nodes dynamic, with history", name, None),
                                                 ("CD Nodes round-robin", name + "-rr", {"strategy": "round-robin"})):
                    t0 = time.time()
                    ev = cluster.wait(cluster.submit(zipname + ".zip", zips[name], options))
                    # from the upload to the moment the last result was in and the evaluation ended
                    results[name][runner] = harness.finished_at(ev) - t0
                    if ev["progress"]["executed"] != results[name]["tests"]:
                        raise SystemExit("%s %s: %d results for %d tests" % (name, runner,
                                         ev["progress"]["executed"], results[name]["tests"]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for name in names:
        r = results[name]
        xdist = r["pytest-xdist -n %d" % k]
        for runner in ("serial pytest", "pytest-xdist -n %d" % k, "CD Nodes round-robin",
                       "CD Nodes dynamic, first run", "CD Nodes dynamic, with history"):
            wall = r[runner]
            rows.append((name, r["tests"], runner, "%.2f" % wall, "%.2f" % r["ideal"], "%.0f%%" % (100 * r["ideal"] / wall),
                         "%.2f" % (wall / xdist)))
    print("K = %d workers (CD Nodes: %d agents of one slot; xdist: -n %d), %d cores\n" % (k, k, k, os.cpu_count()))
    print(harness.table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
