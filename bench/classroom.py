#!/usr/bin/env python3
"""Class benchmark: one zip of 40 small student projects, as a teacher hands it in, against plain pytest.

    python3 bench/classroom.py [--projects 40] [--workers 4] [--runs 1]

Each project is different, the kind students hand in: a module of their own with its bugs (so some tests fail),
two to four test files with a conftest fixture (function and module scope), parametrized, class-based and unittest
tests, a skip, an xfail and one slower test: about 54 tests and 1.5 s of work each. The teacher's script is plain
pytest in every project folder, four at a time (`ls | xargs -P 4 ...`, here a pool of four); CD Nodes gets the one
zip on a freshly booted coordinator with 4 workers of one slot (cold: the first submission it has seen), then the
same zip again (with the history of the first). Wall time is from the command (or the upload) to the last result.
Every project's outcome counts through CD Nodes are checked against pytest's own summary line. With --runs N it all
runs N times and the table shows the median with the spread. No number here is asserted anywhere.
"""
import argparse
import concurrent.futures
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import schedule  # noqa: E402

def project(i):
    """The files of student i's project: path → text."""
    rnd = random.Random("student-%d" % i)
    slow = round(rnd.uniform(0.3, 0.7), 2)
    step = round(rnd.uniform(0.008, 0.02), 3)
    bug_add = rnd.random() < 0.3
    bug_upper = rnd.random() < 0.25
    bug_fib = rnd.random() < 0.2
    files = {
        "pyproject.toml": "[tool.pytest.ini_options]\ntestpaths = [\"tests\"]\n",
        "student.py": "\n".join([
            "def add(a, b):",
            "    return a + b%s" % (" + (1 if a > 7 else 0)" if bug_add else ""),
            "",
            "def shout(s):",
            "    return s.upper()%s" % ("[:5]" if bug_upper else ""),
            "",
            "def fib(n):",
            "    a, b = 0, 1",
            "    for _ in range(n%s):" % (" - 1" if bug_fib else ""),
            "        a, b = b, a + b",
            "    return a",
            "",
            "class Stack:",
            "    def __init__(self):",
            "        self.items = []",
            "    def push(self, x):",
            "        self.items.append(x)",
            "    def pop(self):",
            "        return self.items.pop()",
            "    def __len__(self):",
            "        return len(self.items)",
            ""]),
        "tests/conftest.py": "\n".join([
            "import sys, os, time, pytest",
            "sys.path.insert(0, os.path.dirname(os.path.dirname(__file__)))",
            "",
            "@pytest.fixture(scope='module')",
            "def table():",
            "    time.sleep(%s)" % round(rnd.uniform(0.05, 0.12), 3),
            "    return {n: n * n for n in range(20)}",
            "",
            "@pytest.fixture",
            "def stack():",
            "    from student import Stack",
            "    return Stack()",
            ""]),
    }
    n_add = rnd.randint(10, 16)
    files["tests/test_arith.py"] = "\n".join([
        "import time, pytest",
        "from student import add, fib",
        "",
        "@pytest.mark.parametrize('a,b', [(a, a + 1) for a in range(%d)])" % n_add,
        "def test_add(a, b):",
        "    time.sleep(%s)" % step,
        "    assert add(a, b) == 2 * a + 1",
        "",
        "@pytest.mark.parametrize('n,expected', [(0, 0), (1, 1), (2, 1), (5, 5), (10, 55), (20, 6765)])",
        "def test_fib(n, expected):",
        "    assert fib(n) == expected",
        "",
        "def test_table(table):",
        "    time.sleep(%s)" % step,
        "    assert table[4] == 16",
        "",
        "def test_slow():",
        "    time.sleep(%s)" % slow,
        "    assert fib(25) == 75025",
        "",
        "@pytest.mark.skip(reason='not graded this week')",
        "def test_bonus():",
        "    assert False",
        "",
        "@pytest.mark.xfail(reason='known: floats')",
        "def test_floats():",
        "    assert 0.1 + 0.2 == 0.3",
        ""])
    n_words = rnd.randint(8, 14)
    files["tests/test_text.py"] = "\n".join([
        "import time, unittest, pytest",
        "from student import shout",
        "",
        "WORDS = [%s]" % ", ".join(repr("word%d" % w * (1 + w % 3)) for w in range(n_words)),
        "",
        "@pytest.mark.parametrize('w', WORDS)",
        "def test_shout(w):",
        "    time.sleep(%s)" % step,
        "    assert shout(w) == w.upper()",
        "",
        "class ShoutCase(unittest.TestCase):",
        "    def test_empty(self):",
        "        self.assertEqual(shout(''), '')",
        "    def test_long(self):",
        "        time.sleep(%s)" % step,
        "        self.assertEqual(shout('abcdefgh'), 'ABCDEFGH')",
        "    def test_subtests(self):",
        "        for w in ('a', 'bb', 'ccc'):",
        "            with self.subTest(w=w):",
        "                self.assertEqual(shout(w), w.upper())",
        ""])
    n_stack = rnd.randint(6, 12)
    files["tests/test_stack.py"] = "\n".join([
        "import time, pytest",
        "",
        "class TestStack:",
        "    @pytest.mark.parametrize('n', range(%d))" % n_stack,
        "    def test_push_pop(self, stack, n, table):",
        "        time.sleep(%s)" % step,
        "        for k in range(n):",
        "            stack.push(table[k])",
        "        assert len(stack) == n",
        "        if n:",
        "            assert stack.pop() == (n - 1) ** 2",
        "",
        "    def test_empty_pop(self, stack):",
        "        with pytest.raises(IndexError):",
        "            stack.pop()",
        ""])
    if rnd.random() < 0.5:
        files["tests/test_extra.py"] = "\n".join([
            "import time",
            "from student import add",
            "",
            "def test_commutes():",
            "    time.sleep(%s)" % step,
            "    for a in range(10):",
            "        for b in range(10):",
            "            assert add(a, b) == add(b, a)",
            ""])
    return files


def four_at_a_time(py, root, names):
    """Plain pytest in every project folder, four at a time: wall seconds and each project's counts."""
    def one(name):
        r = subprocess.run([py, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=os.path.join(root, name),
                           capture_output=True, text=True)
        return name, harness.pytest_counts(r.stdout)
    t0 = time.time()
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        found = dict(pool.map(one, names))
    return time.time() - t0, found


def cd_nodes_counts(ev):
    return {p["name"]: {k: v for k, v in p["outcomes"].items() if v} for p in ev["projects"]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--projects", type=int, default=40)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()
    py = schedule.venv()
    names = ["student-%02d" % i for i in range(1, args.projects + 1)]
    files = {}
    for i, name in enumerate(names, 1):
        files.update({name + "/" + path: text for path, text in project(i).items()})
    content = harness.zip_files(files)
    root = tempfile.mkdtemp(prefix="class-", dir=harness.OUT)
    times = {}
    try:
        for path, text in files.items():
            os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
            with open(os.path.join(root, path), "w") as f:
                f.write(text)
        for run in range(args.runs):
            print("run %d ..." % (run + 1), file=sys.stderr)
            wall, expected = four_at_a_time(py, root, names)
            times.setdefault("plain pytest, four projects at a time", []).append(wall)
            with harness.Cluster(args.workers, python=py) as cluster:
                for runner in ("CD Nodes cold (fresh coordinator, first run)", "CD Nodes again (with history)"):
                    t0 = time.time()
                    ev = cluster.wait(cluster.submit("class.zip", content), timeout=1800)
                    times.setdefault(runner, []).append(harness.finished_at(ev) - t0)
                    got = cd_nodes_counts(ev)
                    wrong = [n for n in names if got.get(n) != expected[n]]
                    if wrong:
                        raise SystemExit("%s: counts differ from pytest's for %s: %s against %s" % (
                            runner, wrong[0], got.get(wrong[0]), expected[wrong[0]]))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    total = sum(sum(c.values()) for c in expected.values())
    base = schedule.cell(times["plain pytest, four projects at a time"])[0]
    rows = [("runner", "wall s" if args.runs == 1 else "wall s, median (min–max)", "vs four at a time")]
    for runner, values in times.items():
        median, text = schedule.cell(values)
        rows.append((runner, text, "%.2f" % (median / base)))
    print("%d projects, %d tests (%d failed), %d workers of one slot, %d cores, %d run(s); every project's counts"
          " equal pytest's\n" % (len(names), total, sum(c.get("failed", 0) for c in expected.values()),
                                 args.workers, os.cpu_count(), args.runs))
    print(harness.table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
