"""CD Nodes' pytest plugin, loaded by the worker agent with ``-p cdnodes_pytest_plugin``.

It changes nothing about how tests are collected or run. It only:

* in collect mode (``CDNODES_MODE=collect``), records the collected node ids, the scope each shares with
  others (see ``_shared_scope``) and any collection errors;
* in run mode (``CDNODES_MODE=run``), keeps only the node ids listed in ``CDNODES_SELECT`` (one per line),
  skips importing test files that hold none of them, records each node's start and one result per node id,
  and stops after the test in progress once the file ``CDNODES_STOP`` exists (the worker is draining);
* in serve mode (``CDNODES_MODE=serve``), collects the whole project once, with the user's arguments as
  given, then runs batch after batch of node ids in the same process (see "Serve mode" below).

Records are JSON lines appended to ``CDNODES_REPORT``, flushed one by one, so the agent can stream them
while pytest runs. Outcomes follow pytest's own terminal summary: passed, failed, error (setup or
teardown failed), skipped, xfailed, xpassed. A test whose call passed (or was skipped or xfailed) but whose
teardown failed is reported as error; a failed test whose teardown also failed stays failed.

Each result record also carries the node's ``report`` (PROTOCOL.md, TEST_RESULT): ``longrepr``, the failure or
error as pytest prints it in the style ``--tb`` asks for (the text its junitxml writes; every failing phase's,
and each failed subtest's, one after the other); ``phase``, the first phase that failed; ``reason``, the skip or
xfail reason as junitxml gives it; ``stdout``, ``stderr`` and ``log``, pytest's ``capstdout``, ``capstderr`` and
``caplog`` of the node's last report (every phase's capture, joined); ``property:NAME`` for each
``record_property``. Each value is cut to ``CDNODES_REPORT_CHARS`` characters, keeping its beginning and its end
around a line that says how much was left out; 0 sends no report.

Subtests (unittest's ``self.subTest`` and pytest's ``subtests`` fixture) get no result of their own: there is
one result per node id. A test any of whose subtests failed is ``failed``, whatever its own outcome, and its
message lists them: ``2 of 5 subtests failed: [square] (i=3) assert (3 * 3) < 9; [square] (i=4) ...``,
after the test's own failure text when the test itself also failed. pytest 9 reports subtests as
``SubtestReport`` s (``report.context`` holds the subtest's ``msg`` and ``kwargs``); in its terminal a
``subtests``-fixture test whose subtests failed is ``FAILED`` ("contains N failed subtests") but a unittest
test whose subtests failed is ``PASSED`` beside its ``SUBFAILED`` lines, and counted among the failures only
through them: hence the one rule here for both. Skipped and xfailed subtests do not change the test's outcome.

Serve mode saves the interpreter start, the imports, the plugins and the collection that a fresh pytest per
batch pays. After collecting, the plugin writes (with ``CDNODES_SERVE_COLLECT=1``, for a session the agent
started to answer a COLLECT assignment and keep for the batches that follow) the ``collected`` record as in
collect mode, and ``{"type": "ready", "servable": true, "collected": N, "collect_ms": T}`` to ``CDNODES_REPORT``
(``T``: the collection's milliseconds, from the session's start, which the worker logs apart from the
interpreter's start; ``servable`` is false, with a ``reason``, when collection had errors, with ``--collect-only``
or under pytest-xdist: the agent then runs the batch in a fresh run-mode pytest, whose narrowed collection is what
the user would get), and its ``pytest_runtestloop`` waits for the files
``batch-1.txt``, ``batch-2.txt``, ... in ``CDNODES_SERVE_DIR`` (node ids, one per line; the agent writes each
under another name and renames it, so it is whole when seen). It deletes each when taken and runs the
collected items among its node ids in collection order, as a run-mode pytest would, with ``nextitem=None``
for the batch's last one: every fixture, session-scoped ones included, is torn down at the end of each batch,
as it would be at the end of a process. Each batch's records go to their own ``report-N.jsonl`` (and carry
``"batch": N``), so a late line can never be read as another batch's, and end with ``{"type":
"batch_done", "batch": N, "ran": K, "missing": [node ids not collected], "stopped": false, "exit": E}``,
``E`` being the exit code a run-mode pytest would have had (0, 1 tests failed, 5 nothing ran). When pytest
wants to stop (``-x``/``--maxfail``, or ``CDNODES_STOP`` while draining) the batch ends after the test in
progress, ``batch_done`` says ``"stopped": true`` and pytest ends as the run-mode process would (exit code,
summary): ``session.shouldstop`` cannot be unset, so such a session serves no further batch. The process
also ends by itself when ``CDNODES_SERVE_DIR/exit`` appears, when no batch came for ``CDNODES_SERVE_IDLE``
seconds, or when its parent (the agent) is gone.
"""
import json
import os
import re
import time

import pytest

_MODE = os.environ.get("CDNODES_MODE", "")
_REPORT = os.environ.get("CDNODES_REPORT")
_SELECT = os.environ.get("CDNODES_SELECT")
_MAX_MESSAGE = int(os.environ.get("CDNODES_MAX_MESSAGE", "4000"))
_REPORT_CHARS = int(os.environ.get("CDNODES_REPORT_CHARS", "32768"))
_STOP = os.environ.get("CDNODES_STOP")
_SERVE_DIR = os.environ.get("CDNODES_SERVE_DIR")
_SERVE_IDLE = float(os.environ.get("CDNODES_SERVE_IDLE", "120"))
_SERVE_COLLECT = _MODE == "serve" and os.environ.get("CDNODES_SERVE_COLLECT") == "1"
# the agent started this process: when the parent changes, the agent is gone and nobody will send batches
_PARENT = os.getppid()
_RUNS_TESTS = _MODE in ("run", "serve")

_out = None
_out_path = _REPORT
_batch = None
_selected = None
_selected_files = None
_state = {}
_session = None
_collect_started = None


def _emit(record):
    global _out
    if _out_path is None:
        return
    if _out is None:
        _out = open(_out_path, "a", encoding="utf-8")
    if _batch is not None:
        record["batch"] = _batch
    _out.write(json.dumps(record, ensure_ascii=False) + "\n")
    _out.flush()


def _report_to(path, batch):
    """Sends the next records to another file (serve mode: one per batch)."""
    global _out, _out_path, _batch
    if _out is not None:
        _out.close()
        _out = None
    _out_path, _batch = path, batch


def _bounded(text):
    if text is None:
        return ""
    text = str(text)
    if len(text) > _MAX_MESSAGE:
        return text[: _MAX_MESSAGE - 1] + "\u2026"
    return text


def _cut(text):
    """At most ``_REPORT_CHARS`` characters of a report value: its beginning and its end around a line that says
    how much was left out (the end of a traceback or of captured output is what a reader looks for first)."""
    text = str(text)
    if len(text) <= _REPORT_CHARS:
        return text
    head = _REPORT_CHARS // 4
    tail = _REPORT_CHARS - head
    cut = len(text) - head - tail
    return text[:head] + "\n[... %d characters cut by CD Nodes ...]\n" % cut + (text[-tail:] if tail else "")


def _longrepr(report):
    """The failure as pytest prints it (and as its junitxml writes it), in the style ``--tb`` asks for."""
    text = getattr(report, "longreprtext", None)
    return text if text is not None else str(report.longrepr)


def _skip_reason(report):
    """As pytest's junitxml gives it: the xfail reason, or the skip reason without its "Skipped: " prefix."""
    if hasattr(report, "wasxfail"):
        return report.wasxfail
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        reason = str(longrepr[2])
        return reason[len("Skipped: "):] if reason.startswith("Skipped: ") else reason
    return None


def _report_fields(st):
    """The TEST_RESULT report of a node (PROTOCOL.md): phase, reason, longrepr, captured output, properties.

    The captured output is pytest's own ``capstdout``, ``capstderr`` and ``caplog`` of the node's last report
    (every phase's "Captured ..." section of that kind, joined), as its junitxml writes them."""
    if _REPORT_CHARS <= 0:
        return {}
    fields = {}
    if st["phase"]:
        fields["phase"] = st["phase"]
    if st["reason"]:
        fields["reason"] = _cut(st["reason"])
    if st["longreprs"]:
        fields["longrepr"] = _cut("\n\n".join(st["longreprs"]))
    for kind, text in st["captured"].items():
        if text:
            fields[kind] = _cut(text)
    for name, value in st["properties"]:
        fields["property:" + str(name)] = _cut(value)
    return fields


def _one_line(text):
    """The first line that says something: the message is one line (the whole text is in the report)."""
    for line in str(text).splitlines():
        if line.strip():
            return line.rstrip()
    return ""


def _collection_error_line(longrepr):
    """The line of a collection error that names the exception (``E   ModuleNotFoundError: ...``), else its first."""
    errors = [line[1:].strip() for line in str(longrepr).splitlines() if line.startswith("E ")]
    return errors[-1] if errors else _one_line(longrepr)


def _message(report):
    """The short text pytest shows for a report, in one line: the crash line, the skip reason, the xfail reason."""
    return _bounded(_one_line(_message_text(report)))


def _message_text(report):
    if hasattr(report, "wasxfail"):
        return report.wasxfail
    longrepr = report.longrepr
    if longrepr is None:
        return ""
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return longrepr[2]
    crash = getattr(longrepr, "reprcrash", None)
    if crash is not None and getattr(crash, "message", None):
        return crash.message
    return getattr(report, "longreprtext", str(longrepr))


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
        # (a serving session with collection errors is not servable: the agent collects again in collect mode)
        longrepr = _longrepr(report)
        _emit({"type": "result", "nodeid": report.nodeid, "outcome": "error", "duration": 0.0,
               "message": _bounded(_collection_error_line(longrepr)),
               "report": {"phase": "collect", "longrepr": _cut(longrepr)} if _REPORT_CHARS > 0 else {}})
    elif report.skipped and (_MODE == "collect" or _SERVE_COLLECT):
        # a module skipped as it is collected (pytest.importorskip, pytest.skip(allow_module_level=True)):
        # pytest counts it as one skipped, under the module's node id, and collects nothing from it
        reason = _skip_reason(report)
        _emit({"type": "result", "nodeid": report.nodeid, "outcome": "skipped", "duration": 0.0,
               "message": _message(report),
               "report": {"reason": _cut(reason)} if reason and _REPORT_CHARS > 0 else {}})


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
    global _session, _collect_started
    _session = session
    _collect_started = time.monotonic()


def pytest_runtest_logstart(nodeid, location):
    if _RUNS_TESTS:
        _emit({"type": "started", "nodeid": nodeid})


def pytest_runtest_logfinish(nodeid, location):
    # the worker is draining: finish the test that was running, start no other
    if _RUNS_TESTS and _STOP and _session is not None and os.path.exists(_STOP):
        _session.shouldstop = "the CD Nodes worker is draining"


def pytest_collection_finish(session):
    # a serving session started for a COLLECT answers it with its own collection, then serves the batches
    if _MODE == "collect" or _SERVE_COLLECT:
        _emit({"type": "collected", "nodeids": [item.nodeid for item in session.items],
               "scopes": [_shared_scope(item) for item in session.items]})


_WIDTH = {"class": 1, "module": 2, "package": 3}


def _shared_scope(item):
    """The class, module or package whose fixtures this test shares with other tests, "" when none.

    Tests that share a fixture wider than a function (a class- or module-scoped one, unittest's setUpClass,
    an autouse one) see each other's effects on it and expect it set up once: they must run in one process
    in collection order. Session-scoped fixtures are set up by every process, so they keep nothing together.
    """
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return ""
    widest, key = 0, ""
    for name in info.names_closure:
        defs = info.name2fixturedefs.get(name)
        if not defs:
            continue
        fixturedef = defs[-1]
        scope = getattr(fixturedef.scope, "value", fixturedef.scope)
        width = _WIDTH.get(scope, 0)
        if width <= widest:
            continue
        module = item.nodeid.split("::", 1)[0]
        if scope == "class":
            parent = item.getparent(pytest.Class)
            candidate = parent.nodeid if parent is not None else module
        elif scope == "module":
            candidate = module
        else:
            # a package-scoped fixture lives as long as the package it is defined in; defined at the root it
            # is, like a session-scoped one, set up once per process
            base = getattr(fixturedef, "baseid", "") or ""
            if not base:
                continue
            candidate = base.rstrip("/") + "/"
        widest, key = width, candidate
    return key


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
        st["longreprs"].append("subtest %s:\n%s" % (_subtest_description(report), _longrepr(report)))
        st["phase"] = st["phase"] or "call"


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
    if not _RUNS_TESTS:
        return
    st = _state.setdefault(report.nodeid, {"outcome": None, "message": "", "duration": 0.0, "subtests": 0,
                                           "subfailures": [], "phase": None, "reason": None, "longreprs": [],
                                           "captured": {}, "properties": []})
    if _is_subtest(report):
        # its time is part of the test's call, counted there
        _subtest(st, report)
        return
    st["duration"] += getattr(report, "duration", 0.0) or 0.0
    # each phase's report holds the sections and properties of the phases before it too: the last one has them all
    st["captured"] = {"stdout": report.capstdout, "stderr": report.capstderr, "log": report.caplog}
    st["properties"] = list(getattr(report, "user_properties", None) or [])
    when = report.when
    if report.failed:
        st["phase"] = st["phase"] or when
        st["longreprs"].append(_longrepr(report) if not st["longreprs"]
                               else "%s failed too:\n%s" % (when, _longrepr(report)))
    elif report.skipped or hasattr(report, "wasxfail"):
        st["reason"] = _skip_reason(report)
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
        _emit_result(report.nodeid, st)
        del _state[report.nodeid]


def _emit_result(nodeid, st):
    outcome, message = _final(st)
    _emit({"type": "result", "nodeid": nodeid, "outcome": outcome, "duration": round(st["duration"], 6),
           "message": message, "report": _report_fields(st)})


def _flush_unfinished():
    # a node whose teardown never reported (pytest stopped early) still gets what is known of it
    for nodeid, st in list(_state.items()):
        if st["outcome"] is not None or st["subfailures"]:
            _emit_result(nodeid, st)
    _state.clear()


def pytest_unconfigure(config):
    _flush_unfinished()
    _report_to(None, None)


def _unservable(session):
    """Why this session cannot serve batches as a run-mode pytest would run them, or None."""
    if session.testsfailed:
        # run mode would not even import most of the broken files: a fresh process per batch gives that
        return "%d error(s) during collection" % session.testsfailed
    if session.config.option.collectonly:
        return "--collect-only"
    if session.config.pluginmanager.has_plugin("dsession"):
        return "pytest-xdist distributes the tests itself"
    return None


def pytest_runtestloop(session):
    if _MODE != "serve":
        return None
    reason = _unservable(session)
    took = 0 if _collect_started is None else int((time.monotonic() - _collect_started) * 1000)
    _emit({"type": "ready", "servable": reason is None, "reason": reason or "", "collected": len(session.items),
           "collect_ms": took})
    if reason is None:
        _serve(session)
    return True


# before pytest's own loop, which would run every collected item at once
pytest_runtestloop.tryfirst = True


def _serve(session):
    where = {}
    for i, item in enumerate(session.items):
        where.setdefault(item.nodeid, []).append(i)
    n = 0
    while True:
        n += 1
        ids = _next_batch(n)
        if ids is None:
            return
        if _run_batch(session, n, ids, where):
            # as pytest's own loop ends; the process then exits with run mode's code and summary
            if session.shouldfail:
                raise session.Failed(session.shouldfail)
            raise session.Interrupted(session.shouldstop)


def _next_batch(n):
    """The node ids of batch n, or None when the session should end."""
    path = os.path.join(_SERVE_DIR, "batch-%d.txt" % n)
    stop = os.path.join(_SERVE_DIR, "exit")
    started = time.monotonic()
    while True:
        # the batch first: one that arrives as the limit passes is still served
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                ids = [line.rstrip("\n") for line in f if line.strip()]
            os.remove(path)
            return ids
        waited = time.monotonic() - started
        if os.path.exists(stop) or os.getppid() != _PARENT or waited > _SERVE_IDLE:
            return None
        # quick while batches follow each other, cheap when idle
        time.sleep(0.002 if waited < 1 else 0.02)


def _run_batch(session, n, ids, where):
    """Runs batch n; returns whether pytest asked to stop."""
    wanted = dict.fromkeys(ids)
    positions = sorted(i for nodeid in wanted for i in where.get(nodeid, ()))
    items = [session.items[i] for i in positions]
    _report_to(os.path.join(_SERVE_DIR, "report-%d.jsonl" % n), n)
    # counted per batch, as each run-mode process counts its own (--maxfail, the exit code)
    session.testsfailed = 0
    ran, stopped = 0, False
    for i, item in enumerate(items):
        nextitem = items[i + 1] if i + 1 < len(items) else None
        item.config.hook.pytest_runtest_protocol(item=item, nextitem=nextitem)
        ran += 1
        if session.shouldfail or session.shouldstop:
            stopped = True
            break
    _flush_unfinished()
    exit_code = 1 if session.testsfailed else 5 if not items else 0
    _emit({"type": "batch_done", "ran": ran, "stopped": stopped, "exit": exit_code,
           "missing": [nodeid for nodeid in wanted if nodeid not in where]})
    _report_to(None, None)
    return stopped
