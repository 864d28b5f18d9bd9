#!/usr/bin/env python3
"""Scheduling benchmark: CD Nodes against plain pytest and pytest-xdist on generated suites.

    python3 bench/schedule.py [--workers 4,8] [--suites uniform,heavy,tail,tiny] [--runs 1] [--no-warm] [--no-serial]

For each K and suite it runs, on this machine: serial pytest; pytest-xdist `-n K` (its default `--dist load`) and
`-n K --dist worksteal`; CD Nodes **cold**: a coordinator and K workers freshly booted for this one submission, the
project never seen (what a new user meets); then, on one coordinator warmed with two other projects first, CD Nodes
dynamic (first run, no history), dynamic again (with the history of the first run) and round-robin; each CD Nodes
run on K local workers of one slot. Everything uses one virtual environment the benchmark makes under bench/out/
(pytest and pytest-xdist from pip as this machine has it configured), so every runner pays the same start-up. Wall
time is what a user waits: from the command (or the upload) to the last result (for CD Nodes: the evaluation's
finished_at; the script polls every half second, and a tighter poll would load the coordinator it measures; a cold
coordinator's boot is not counted, a user's is up before they submit). Ideal is the larger of the total test time
divided by K and the longest test. With --runs N everything runs N times, alternating, and the table gives the
median with the spread (min–max). No number here is asserted anywhere.
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
    # 80 tests, 40 s of work: 74 of 0.25 s and a tail of 7.5, 4, 4, 2, 2, 2 s at places fixed by the seed
    "tail": (8, 10, lambda rnd, n: TAIL.get(n, 0.25)),
}
TAIL = dict(zip(random.Random("tail").sample(range(80), 6), (7.5, 4.0, 4.0, 2.0, 2.0, 2.0)))


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


COLD = "CD Nodes cold (fresh coordinator)"
RUNNERS = ("serial pytest", "pytest-xdist -n {k}", "pytest-xdist -n {k} --dist worksteal", COLD,
           "CD Nodes dynamic, first run", "CD Nodes dynamic, with history", "CD Nodes round-robin")


def cd_nodes(cluster, name, content, tests, options=None):
    """Wall seconds from the upload to the evaluation's end, checking that every test got its result."""
    t0 = time.time()
    ev = cluster.wait(cluster.submit(name + ".zip", content, options))
    if ev["progress"]["executed"] != tests:
        raise SystemExit("%s: %d results for %d tests" % (name, ev["progress"]["executed"], tests))
    return harness.finished_at(ev) - t0


def warm_up(cluster, k):
    """A coordinator that has just booted loads classes and compiles its code paths on the first evaluation; the
    warm rows let two other projects pay that, as they would on a coordinator already serving."""
    # worth a session on every worker, as the measured suites are, so that it warms the same paths
    warmup = {"tests/test_warmup_%d.py" % i: "import time\n\n" + "".join(
        "def test_%d():\n    time.sleep(0.25)\n\n" % t for t in range(5)) for i in range(k)}
    cluster.wait(cluster.submit("warmup.zip", harness.zip_files(warmup), None))
    # and many results, the coordinator's hottest path (a project of another name: no history for the suites)
    many = {"tests/test_many_%d.py" % i: "".join("def test_%d():\n    pass\n\n" % t for t in range(50))
            for i in range(40)}
    cluster.wait(cluster.submit("warmup-many.zip", harness.zip_files(many), None))


def one_run(k, names, suites, py, warm, serial, out):
    """Every runner once for K workers; wall seconds appended to out[(suite, runner)]."""
    for name in names:
        s = suites[name]
        if serial:
            out.setdefault((name, "serial pytest"), []).append(timed([py, "-m", "pytest", "-q", "-p",
                                                                      "no:cacheprovider"], s["dir"]))
        xdist = [py, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", str(k)]
        out.setdefault((name, RUNNERS[1].format(k=k)), []).append(timed(xdist, s["dir"]))
        out.setdefault((name, RUNNERS[2].format(k=k)), []).append(timed(xdist + ["--dist", "worksteal"], s["dir"]))
        with harness.Cluster(k, python=py) as cluster:
            out.setdefault((name, COLD), []).append(cd_nodes(cluster, name, s["zip"], s["tests"]))
    if not warm:
        return
    with harness.Cluster(k, python=py) as cluster:
        warm_up(cluster, k)
        for name in names:
            s = suites[name]
            for runner, zipname, options in (("CD Nodes dynamic, first run", name, None),
                                             ("CD Nodes dynamic, with history", name, None),
                                             ("CD Nodes round-robin", name + "-rr", {"strategy": "round-robin"})):
                out.setdefault((name, runner), []).append(cd_nodes(cluster, zipname, s["zip"], s["tests"], options))


def cell(values):
    values = sorted(values)
    median = values[len(values) // 2] if len(values) % 2 else sum(values[len(values) // 2 - 1:][:2]) / 2
    return median, ("%.2f" % median if len(values) == 1 else "%.2f (%.2f–%.2f)" % (median, values[0], values[-1]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", default="4,8", help="K values, comma-separated")
    ap.add_argument("--suites", default="uniform,heavy,tail,tiny")
    ap.add_argument("--runs", type=int, default=1, help="repeat everything, alternating; the table shows the spread")
    ap.add_argument("--no-warm", dest="warm", action="store_false",
                    help="only the cold rows beside pytest and xdist (no warmed coordinator)")
    ap.add_argument("--no-serial", dest="serial", action="store_false", help="leave serial pytest out")
    args = ap.parse_args()
    ks = [int(k) for k in args.workers.split(",")]
    py = venv()
    names = args.suites.split(",")
    suites = {}
    work = tempfile.mkdtemp(prefix="suites-", dir=harness.OUT)
    results = {k: {} for k in ks}
    try:
        for name in names:
            files, durations = suite_files(name)
            d = os.path.join(work, name)
            for path, src in files.items():
                os.makedirs(os.path.dirname(os.path.join(d, path)), exist_ok=True)
                with open(os.path.join(d, path), "w") as f:
                    f.write(src)
            suites[name] = {"zip": harness.zip_files(files), "dir": d, "tests": len(durations),
                            "durations": durations}
        for run in range(args.runs):
            for k in ks:
                print("run %d, K = %d ..." % (run + 1, k), file=sys.stderr)
                one_run(k, names, suites, py, args.warm, args.serial, results[k])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for k in ks:
        rows = [("suite", "tests", "runner", "wall s" if args.runs == 1 else "wall s, median (min–max)", "ideal s",
                 "efficiency", "vs xdist", "vs worksteal")]
        for name in names:
            durations = suites[name]["durations"]
            ideal = max(sum(durations) / k, max(durations))
            xdist = cell(results[k][(name, RUNNERS[1].format(k=k))])[0]
            steal = cell(results[k][(name, RUNNERS[2].format(k=k))])[0]
            for runner in RUNNERS:
                key = (name, runner.format(k=k))
                if key not in results[k]:
                    continue
                wall, text = cell(results[k][key])
                rows.append((name, len(durations), key[1], text, "%.2f" % ideal, "%.0f%%" % (100 * ideal / wall),
                             "%.2f" % (wall / xdist), "%.2f" % (wall / steal)))
        print("K = %d workers (CD Nodes: %d agents of one slot; xdist: -n %d), %d cores, %d run(s)\n"
              % (k, k, k, os.cpu_count(), args.runs))
        print(harness.table(rows))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
