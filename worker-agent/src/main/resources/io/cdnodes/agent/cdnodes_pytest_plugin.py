"""CD Nodes' pytest plugin, loaded by the worker agent with ``-p cdnodes_pytest_plugin``.

It changes nothing about how tests are collected or run. It only:

* in collect mode (``CDNODES_MODE=collect``), records the collected node ids and any collection errors;
* in run mode (``CDNODES_MODE=run``), keeps only the node ids listed in ``CDNODES_SELECT`` (one per line),
  skips importing test files that hold none of them, records each node's start and one result per node id,
  and stops after the test in progress once the file ``CDNODES_STOP`` exists (the worker is draining).

Records are JSON lines appended to ``CDNODES_REPORT``, flushed one by one, so the agent can stream them
while pytest runs. Outcomes follow pytest's own terminal summary: passed, failed, error (setup or
teardown failed), skipped, xfailed, xpassed. A test whose call passed (or was skipped or xfailed) but whose
teardown failed is reported as error; a failed test whose teardown also failed stays failed.

Subtests (unittest's ``self.subTest`` and pytest's ``subtests`` fixture) get no result of their own: there is
one result per node id. A test any of whose subtests failed is ``failed``, whatever its own outcome, and its
message lists them: ``2 of 5 subtests failed: [square] (i=3) assert (3 * 3) < 9; [square] (i=4) ...``,
after the test's own failure text when the test itself also failed. pytest 9 reports subtests as
``SubtestReport`` s (``report.context`` holds the subtest's ``msg`` and ``kwargs``); in its terminal a
``subtests``-fixture test whose subtests failed is ``FAILED`` ("contains N failed subtests") but a unittest
test whose subtests failed is ``PASSED`` beside its ``SUBFAILED`` lines, and counted among the failures only
through them: hence the one rule here for both. Skipped and xfailed subtests do not change the test's outcome.
"""
import json
import os
import re

_MODE = os.environ.get("CDNODES_MODE", "")
_REPORT = os.environ.get("CDNODES_REPORT")
_SELECT = os.environ.get("CDNODES_SELECT")
_MAX_MESSAGE = int(os.environ.get("CDNODES_MAX_MESSAGE", "4000"))
_STOP = os.environ.get("CDNODES_STOP")

_out = None
_selected = None
_selected_files = None
_state = {}
_session = None


def _emit(record):
    global _out
    if _REPORT is None:
        return
    if _out is None:
        _out = open(_REPORT, "a", encoding="utf-8")
    _out.write(json.dumps(record, ensure_ascii=False) + "\n")
    _out.flush()


def _bounded(text):
    if text is None:
        return ""
    text = str(text)
    if len(text) > _MAX_MESSAGE:
        return text[: _MAX_MESSAGE - 1] + "\u2026"
    return text


def _message(report):
    """The short text pytest shows for a report: the crash line, the skip reason, the xfail reason."""
    if hasattr(report, "wasxfail"):
        return _bounded(report.wasxfail)
    longrepr = report.longrepr
    if longrepr is None:
        return ""
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return _bounded(longrepr[2])
    crash = getattr(longrepr, "reprcrash", None)
    if crash is not None and getattr(crash, "message", None):
        return _bounded(crash.message)
    return _bounded(getattr(report, "longreprtext", str(longrepr)))


def pytest_configure(config):
    global _selected, _selected_files
    if _MODE == "run" and _SELECT:
        with open(_SELECT, encoding="utf-8") as f:
            _selected = set(line.rstrip("\n") for line in f if line.strip())
        _selected_files = set(nodeid.split("::", 1)[0] for nodeid in _selected)


def _relative(config, path):
    try:
        return path.relative_to(config.rootpath).as_posix()
    except ValueError:
        return None


def pytest_ignore_collect(collection_path, config):
    """In run mode, do not import files that hold none of the selected tests."""
    if _selected_files is None:
        return None
    rel = _relative(config, collection_path)
    if rel is None or rel == ".":
        return None
    if collection_path.is_dir():
        prefix = rel + "/"
        if any(f.startswith(prefix) for f in _selected_files):
            return None
        return True
    if collection_path.name in ("conftest.py", "__init__.py"):
        return None
    if rel in _selected_files:
        return None
    return True


def pytest_collectreport(report):
    if report.failed and _MODE == "collect":
        _emit({"type": "result", "nodeid": report.nodeid, "outcome": "error", "duration": 0.0,
               "message": _bounded(getattr(report, "longreprtext", str(report.longrepr)))})


def pytest_collection_modifyitems(session, config, items):
    if _selected is None:
        return
    keep, drop = [], []
    for item in items:
        (keep if item.nodeid in _selected else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


pytest_collection_modifyitems.trylast = True


def pytest_sessionstart(session):
    global _session
    _session = session


def pytest_runtest_logstart(nodeid, location):
    if _MODE == "run":
        _emit({"type": "started", "nodeid": nodeid})


def pytest_runtest_logfinish(nodeid, location):
    # the worker is draining: finish the test that was running, start no other
    if _MODE == "run" and _STOP and _session is not None and os.path.exists(_STOP):
        _session.shouldstop = "the CD Nodes worker is draining"


def pytest_collection_finish(session):
    if _MODE == "collect":
        _emit({"type": "collected", "nodeids": [item.nodeid for item in session.items]})


def _is_subtest(report):
    # pytest 9's SubtestReport and the pytest-subtests plugin's SubTestReport both carry the context
    context = getattr(report, "context", None)
    return context is not None and hasattr(context, "kwargs")


def _subtest_description(report):
    """As pytest shows a subtest: ``[msg] (k=v, ...)``."""
    parts = []
    msg = getattr(report.context, "msg", None)
    if msg is not None:
        parts.append("[%s]" % (msg,))
    kwargs = getattr(report.context, "kwargs", None) or {}
    if kwargs:
        parts.append("(%s)" % ", ".join("%s=%r" % (k, v) for k, v in kwargs.items()))
    return " ".join(parts) or "(<subtest>)"


def _subtest(st, report):
    st["subtests"] += 1
    if report.failed:
        first_line = _message(report).strip().splitlines()[:1]
        st["subfailures"].append(_subtest_description(report) + (" " + first_line[0] if first_line else ""))


# what pytest 9 writes as the failure of a test that failed only through its subtests
_SUBTESTS_NOTE = re.compile(r"^contains \d+ failed subtests?$")


def _final(st):
    """The node's one outcome and message, subtest failures included."""
    outcome, message = st["outcome"] or "passed", st["message"]
    failures = st["subfailures"]
    if failures:
        summary = "%d of %d subtest%s failed: %s" % (len(failures), st["subtests"],
                                                     "" if st["subtests"] == 1 else "s", "; ".join(failures))
        own = outcome == "failed" and message and not _SUBTESTS_NOTE.match(message)
        message = message + "; " + summary if own else summary
        outcome = "failed"
    return outcome, _bounded(message)


def pytest_runtest_logreport(report):
    if _MODE != "run":
        return
    st = _state.setdefault(report.nodeid, {"outcome": None, "message": "", "duration": 0.0, "subtests": 0,
                                           "subfailures": []})
    if _is_subtest(report):
        # its time is part of the test's call, counted there
        _subtest(st, report)
        return
    st["duration"] += getattr(report, "duration", 0.0) or 0.0
    when = report.when
    if when == "setup":
        if report.failed:
            st["outcome"], st["message"] = "error", _message(report)
        elif report.skipped:
            st["outcome"] = "xfailed" if hasattr(report, "wasxfail") else "skipped"
            st["message"] = _message(report)
    elif when == "call":
        if hasattr(report, "wasxfail"):
            outcome = "xfailed" if report.skipped else "xpassed"
        elif report.passed:
            outcome = "passed"
        elif report.failed:
            outcome = "failed"
        else:
            outcome = "skipped"
        st["outcome"] = outcome
        if outcome != "passed":
            st["message"] = _message(report)
    elif when == "teardown":
        if report.failed and st["outcome"] != "failed":
            st["outcome"], st["message"] = "error", _message(report)
        outcome, message = _final(st)
        _emit({"type": "result", "nodeid": report.nodeid, "outcome": outcome,
               "duration": round(st["duration"], 6), "message": message})
        del _state[report.nodeid]


def pytest_unconfigure(config):
    global _out
    # a node whose teardown never reported (pytest stopped early) still gets what is known of it
    for nodeid, st in list(_state.items()):
        if st["outcome"] is not None or st["subfailures"]:
            outcome, message = _final(st)
            _emit({"type": "result", "nodeid": nodeid, "outcome": outcome,
                   "duration": round(st["duration"], 6), "message": message})
    _state.clear()
    if _out is not None:
        _out.close()
        _out = None
