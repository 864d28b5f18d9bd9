# A warm start (see WarmStarts.java): the interpreter a coming `python -m pytest` needs, started ahead with that
# run's interpreter and environment, in the folder its project will be copied to, pytest already imported. Run as
# `python -c <this> READY_FILE`. Once ready it writes READY_FILE (the top-level modules imported so far, the
# modification times of the sys.path folders, -1 for those missing) and waits. The agent then writes one JSON line to standard input:
# the working directory, the plugin's CDNODES_* variables and pytest's arguments; the run then goes on as
# `python -m pytest ARGS` started in that folder would, through runpy's own -m path. Standard input at end of file
# before that line: nothing is run.
import os
import sys

import pytest  # noqa: F401  what `python -m pytest` imports first, and most of its start-up
import json

_ready = sys.argv[1]
with open(_ready + ".tmp", "w", encoding="utf-8") as _f:
    # a project file or folder named like one of these modules would be imported instead by a cold start, and a
    # sys.path folder changed since means something was installed or removed: the agent then starts cold
    json.dump({"modules": sorted({_m.partition(".")[0] for _m in list(sys.modules)}),
               "paths": {_p: os.stat(_p).st_mtime_ns if os.path.isdir(_p) else -1 for _p in sys.path if _p}}, _f)
os.replace(_ready + ".tmp", _ready)
_go = sys.stdin.buffer.readline()
if not _go.strip():
    raise SystemExit(0)
_go = json.loads(_go)
os.chdir(_go["cwd"])
os.environ.update(_go["env"])
if not getattr(sys.flags, "safe_path", False):
    # as -m puts the working directory first (-c put "")
    sys.path[0] = os.getcwd()
# the finders found while the project's folder was still empty (none for a folder that did not exist yet, such
# as a relative PYTHONPATH entry's) are found again as a cold start finds them
sys.path_importer_cache.clear()
if hasattr(sys, "orig_argv"):
    # the interpreter as the agent's command named it: this one was started by the same command
    sys.orig_argv = sys.orig_argv[:1] + ["-m", "pytest"] + _go["args"]
# -m's argv before runpy puts the module's path in its place
sys.argv = ["-m"] + _go["args"]
# __main__ as `python -m` leaves it: nothing of this script's
del os, sys, json, pytest, _f, _go, _ready
__import__("runpy")._run_module_as_main("pytest", True)
