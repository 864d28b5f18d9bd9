#!/usr/bin/env python3
"""Real-projects benchmark: public pure-Python projects' own test suites through CD Nodes, serial pytest and xdist.

    python3 bench/realprojects.py --sources DIR [--workers 2,4] [--projects a,b] [--runs 1]

DIR holds one folder per project of PROJECTS below, a checkout of its repository at the commit named there (see
bench/README.md for the commands; nothing of theirs is kept in this repository). One virtual environment under
bench/out/ holds pytest, pytest-xdist and what the suites import (REQUIREMENTS, and the projects of INSTALLED); every runner uses it, so all pay
the same start-up, and the CD Nodes workers run without installs. Each suite runs with the options its authors use
(their configuration file, plus the arguments and environment given here). For each K: serial pytest and
`pytest -n K` in the project's folder; then on a coordinator and K one-slot workers freshly booted, each project
submitted once (its first run: a project the coordinator has never seen; the first submission also meets a cold
JVM) and once more (with the history of the first). Wall time is from the command (or the upload) to the last
result. Every project's outcome counts through CD Nodes are checked against serial pytest's summary line. No number
here is asserted anywhere.
"""
import argparse
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import schedule  # noqa: E402

# name: (repository, commit, pytest arguments, environment); what each suite has that a generated one lacks
PROJECTS = {
    # a single module with many doctests beside a unittest suite of thousands of subtests
    "more-itertools": ("more-itertools/more-itertools", "2fe1b2e", [], {}),
    # packages of small functional tests, warnings as errors, strict xfail (186 tests: the one below 500)
    "toolz": ("pytoolz/toolz", "568c2b8", [], {}),
    # src layout, hypothesis, --import-mode=importlib, pytest's native TOML configuration
    "attrs": ("python-attrs/attrs", "c1dc5dcb", [], {"PYTHONPATH": "src"}),
    # unittest classes, one per Markdown feature; its authors run `unittest discover`, so pytest collects only the
    # TestCase classes (-o python_classes=), and the package is installed (its extensions are entry points)
    "markdown": ("Python-Markdown/markdown", "bb50627d", ["-o", "python_classes="], {}),
    # src layout, doctests in modules and .rst files
    "sortedcontainers": ("grantjenks/python-sortedcontainers", "3ac3586", [], {"PYTHONPATH": "src"}),
}
# what the suites import, from the pip index this machine is configured with
REQUIREMENTS = ["pytest", "pytest-xdist", "hypothesis", "pyyaml", "setuptools"]
# projects installed (not editable, without dependencies) into the environment, as their tests expect
INSTALLED = ["markdown"]


def venv(sources):
    path = os.path.join(harness.OUT, "venv-real")
    py = os.path.join(path, "bin", "python")
    if not os.path.exists(py):
        subprocess.run([sys.executable, "-m", "venv", path], check=True)
        subprocess.run([py, "-m", "pip", "install", "-q", "-U", *REQUIREMENTS], check=True)
        for name in INSTALLED:
            subprocess.run([py, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                            os.path.join(sources, name)], check=True)
    return py


def pytest_run(py, folder, args, env, extra=()):
    """Wall seconds and pytest's summary counts."""
    t0 = time.time()
    r = subprocess.run([py, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args, *extra], cwd=folder,
                       env=dict(os.environ, **env), capture_output=True, text=True)
    wall = time.time() - t0
    if r.returncode not in (0, 1):
        raise SystemExit("pytest in %s exited %d:\n%s" % (folder, r.returncode, r.stdout[-2000:]))
    return wall, harness.pytest_counts(r.stdout)


def folder_zip(folder):
    files = {}
    for top, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if d not in (".git", "__pycache__", ".tox", ".pytest_cache")]
        for n in names:
            path = os.path.join(top, n)
            with open(path, "rb") as f:
                files[os.path.relpath(path, folder)] = f.read()
    return harness.zip_files(files)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sources", required=True, help="folder with a checkout of each project")
    ap.add_argument("--workers", default="2,4")
    ap.add_argument("--projects", default=",".join(PROJECTS))
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()
    ks = [int(k) for k in args.workers.split(",")]
    names = args.projects.split(",")
    py = venv(args.sources)
    zips = {n: folder_zip(os.path.join(args.sources, n)) for n in names}
    times, expected = {}, {}
    for run in range(args.runs):
        for k in ks:
            print("run %d, K = %d ..." % (run + 1, k), file=sys.stderr)
            for n in names:
                _, _, pytest_args, env = PROJECTS[n]
                folder = os.path.join(args.sources, n)
                wall, expected[n] = pytest_run(py, folder, pytest_args, env)
                times.setdefault((k, n, "serial pytest"), []).append(wall)
                wall, _ = pytest_run(py, folder, pytest_args, env, ("-n", str(k)))
                times.setdefault((k, n, "pytest-xdist -n %d" % k), []).append(wall)
            with harness.Cluster(k, python=py) as cluster:
                for runner in ("CD Nodes first run", "CD Nodes with history"):
                    for n in names:
                        _, _, pytest_args, env = PROJECTS[n]
                        options = {"pytest_args": pytest_args, "env": env}
                        t0 = time.time()
                        ev = cluster.wait(cluster.submit(n + ".zip", zips[n], options), timeout=1800)
                        times.setdefault((k, n, runner), []).append(harness.finished_at(ev) - t0)
                        got = {o: c for o, c in ev["outcomes"].items() if c}
                        if got != expected[n]:
                            raise SystemExit("%s, %s: counts %s, pytest's %s" % (n, runner, got, expected[n]))
    for k in ks:
        runners = ("serial pytest", "pytest-xdist -n %d" % k, "CD Nodes first run", "CD Nodes with history")
        rows = [("project", "tests", *("%s s" % r for r in runners))]
        totals = dict.fromkeys(runners, 0.0)
        for n in names:
            cells = []
            for r in runners:
                median, text = schedule.cell(times[(k, n, r)])
                totals[r] += median
                cells.append(text)
            rows.append((n, sum(expected[n].values()), *cells))
        rows.append(("total", sum(sum(expected[n].values()) for n in names), *("%.2f" % totals[r] for r in runners)))
        print("K = %d (CD Nodes: %d workers of one slot; xdist: -n %d), %d cores, %d run(s); medians, spread in "
              "brackets; CD Nodes' counts equal pytest's for every project\n" % (k, k, k, os.cpu_count(), args.runs))
        print(harness.table(rows))
        print("\ntotal against serial pytest: first run %.2f, with history %.2f; against xdist: first run %.2f, "
              "with history %.2f\n" % (
                  totals[runners[2]] / totals[runners[0]], totals[runners[3]] / totals[runners[0]],
                  totals[runners[2]] / totals[runners[1]], totals[runners[3]] / totals[runners[1]]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
