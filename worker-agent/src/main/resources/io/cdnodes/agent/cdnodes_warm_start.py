# A warm start (see WarmStarts.java): the interpreter a coming `python -m pytest` needs, started ahead with that
# run's interpreter and environment, pytest already imported. The agent then writes one JSON line to standard
# input: the working directory, the plugin's CDNODES_* variables and pytest's arguments; the run then goes on
# exactly as `python -m pytest ARGS` started in that directory would.
# Standard input at end of file before that line: nothing is run. Run with -c: nothing of it is importable.
import os
import sys

import pytest  # noqa: F401  what `python -m pytest` imports first, and most of its start-up
import json

with open("modules.tmp", "w", encoding="utf-8") as _f:
    # every top-level name imported so far: a project file or folder of one of these names would have been
    # imported instead by a `python -m pytest` started in the project, so the agent does not warm-start it
    _f.write("\n".join(sorted({_m.partition(".")[0] for _m in list(sys.modules)})))
os.replace("modules.tmp", "modules")
_go = sys.stdin.buffer.readline()
if not _go.strip():
    raise SystemExit(0)
_go = json.loads(_go)
os.chdir(_go["cwd"])
os.environ.update(_go["env"])
if not getattr(sys.flags, "safe_path", False):
    # as -m puts the working directory first (-c put "")
    sys.path[0] = os.getcwd()
if hasattr(sys, "orig_argv"):
    # the interpreter as the agent's command named it: this one was started by the same command
    sys.orig_argv = sys.orig_argv[:1] + ["-m", "pytest"] + _go["args"]
sys.argv = ["-m"] + _go["args"]
del _f, _go
import runpy  # noqa: E402

runpy.run_module("pytest", run_name="__main__", alter_sys=True)
