"""Shared pieces of the benchmarks: a real coordinator and real workers on this machine, and the HTTP API.

Everything runs on loopback with free ports and its own data folder under bench/out/, and is stopped when
the benchmark ends (also on Ctrl-C).
"""
import datetime
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAYARA = os.path.join(ROOT, "target", "dist", "payara-micro.jar")
RAR = os.path.join(ROOT, "connector", "target", "cdnodes-connector.rar")
WAR = os.path.join(ROOT, "web", "target", "cdnodes-web.war")
WORKER = os.path.join(ROOT, "worker-agent", "target", "cdnodes-worker.jar")
OUT = os.path.join(ROOT, "bench", "out")
# as ./cdnodes starts the coordinator and the workers (see JIT_OPTS there); CDNODES_BENCH_JIT replaces them
JIT_OPTS = os.environ.get("CDNODES_BENCH_JIT", "-XX:TieredStopAtLevel=1").split()


def ensure_built():
    if not all(os.path.exists(p) for p in (PAYARA, RAR, WAR, WORKER)):
        print("building (./mvnw -q -DskipTests install) ...", file=sys.stderr)
        subprocess.run([os.path.join(ROOT, "mvnw"), "-q", "-B", "-DskipTests", "install"], cwd=ROOT, check=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def python_with_pytest():
    if subprocess.run(["python3", "-c", "import pytest"], capture_output=True).returncode == 0:
        return "python3"
    raise SystemExit("python3 has no pytest; install it or set CDNODES_PYTHON")


class Cluster:
    """A coordinator and workers, started on entering and stopped on leaving."""

    def __init__(self, workers, slots=1, python=None, env=None):
        ensure_built()
        os.makedirs(OUT, exist_ok=True)
        self.dir = tempfile.mkdtemp(prefix="run-", dir=OUT)
        self.sock_dir = tempfile.mkdtemp(prefix="cdb-", dir="/tmp")
        self.http = free_port()
        self.proto = free_port()
        self.url = "http://127.0.0.1:%d" % self.http
        self.workers_wanted = workers
        self.slots = slots
        self.python = python or os.environ.get("CDNODES_PYTHON") or python_with_pytest()
        self.env = dict(env or {})
        # the coordinator's admin key, sent with every request (Authorization: Bearer); never given to workers
        self.key = self.env.pop("CDNODES_ADMIN_KEY", None) or "bench-" + secrets.token_hex(24)
        # the coordinator does not start without a worker token; the workers get it by environment
        self.env.setdefault("CDNODES_WORKER_TOKEN", uuid.uuid4().hex)
        self.procs = []
        self.worker_logs = []

    def __enter__(self):
        self._start_coordinator()
        for i in range(self.workers_wanted):
            self.add_worker("w%d" % (i + 1))
        self.await_workers(self.workers_wanted)
        return self

    def restart_coordinator(self):
        """Starts the coordinator again on the same ports and data (after it was killed)."""
        self.procs[0] = self._start_coordinator(replace=True)
        self.restarted_at = time.time()

    def evaluation(self, eid):
        """GET /evaluation/{id}; right after a restart Payara may still answer 404 for a moment."""
        while True:
            try:
                return json.loads(get("%s/evaluation/%d" % (self.url, eid), key=self.key)[1])
            except urllib.error.HTTPError as e:
                if e.code != 404 or time.time() - getattr(self, "restarted_at", 0) > 60:
                    raise
                time.sleep(0.2)

    def _start_coordinator(self, replace=False):
        env = dict(os.environ, CDNODES_DATA_DIR=os.path.join(self.dir, "data"), CDNODES_PROTO_HOST="127.0.0.1",
                   CDNODES_PROTO_PORT=str(self.proto), CDNODES_SOCKET=os.path.join(self.sock_dir, "s.sock"),
                   CDNODES_HTTP_PORT=str(self.http), CDNODES_ADMIN_KEY=self.key, **self.env)
        log = open(os.path.join(self.dir, "coordinator.log"), "a")
        proc = (subprocess.Popen(
            ["java", *JIT_OPTS, "-jar", PAYARA, "--nohazelcast", "--disablephonehome", "--port", str(self.http),
             "--rootdir", os.path.join(self.dir, "payara"), "--deploy", RAR, "--deploy", WAR],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        if not replace:
            self.procs.append(proc)
        deadline = time.time() + 180
        while not ready(self.url):
            if time.time() > deadline or proc.poll() is not None:
                raise SystemExit("the coordinator did not start; see " + log.name)
            time.sleep(0.3)
        return proc

    def fingerprint(self):
        """The SHA-256 of the coordinator's CDProto certificate, as it published it in its data folder."""
        with open(os.path.join(self.dir, "data", "tls", "cdproto.sha256")) as f:
            return f.read().strip()

    def add_worker(self, name):
        path = os.path.join(self.dir, "worker-%s.log" % name)
        log = open(path, "w")
        env = dict(os.environ, CDNODES_PYTHON=self.python, **self.env)
        for k in ("CDNODES_ADMIN_KEY", "CDNODES_API_KEY"):
            env.pop(k, None)
        self.procs.append(subprocess.Popen(
            ["java", *JIT_OPTS, "-jar", WORKER, "--coordinator", "tcp://127.0.0.1:%d" % self.proto, "--name", name,
             "--tls-fingerprint", self.fingerprint(),
             "--slots", str(self.slots), "--work-dir", os.path.join(self.dir, "workers", name)],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        self.worker_logs.append(path)

    def await_workers(self, n, timeout=60):
        deadline = time.time() + timeout
        while len(json.loads(get(self.url + "/stats", key=self.key)[1])["nodes"]) < n:
            if time.time() > deadline:
                raise SystemExit("workers did not connect; see " + self.dir)
            time.sleep(0.2)

    def __exit__(self, *exc):
        for p in reversed(self.procs):
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for p in self.procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
        shutil.rmtree(self.sock_dir, ignore_errors=True)
        if not os.environ.get("CDNODES_BENCH_KEEP"):
            shutil.rmtree(self.dir, ignore_errors=True)

    def submit(self, filename, content, options=None):
        status, body = post_zip(self.url, filename, content, options, key=self.key)
        if status != 201:
            raise SystemExit("submission refused: %d %s" % (status, body[:300]))
        return json.loads(body)["id"]

    def wait(self, eid, timeout=3600, poll=0.5):
        """The evaluation once it has ended. Polled every half second: a poll costs the coordinator a full view,
        which a tighter loop would make a load of its own; when it ended is in the view (finished_at)."""
        deadline = time.time() + timeout
        while True:
            ev = self.evaluation(eid)
            if ev["status"] in ("done", "failed", "cancelled"):
                return ev
            if time.time() > deadline:
                raise SystemExit("evaluation %d did not finish in %d s" % (eid, timeout))
            time.sleep(poll)


def finished_at(ev):
    """When the coordinator ended the evaluation, as time.time() seconds (the coordinator runs on this machine)."""
    return datetime.datetime.fromisoformat(ev["finished_at"].replace("Z", "+00:00")).timestamp()


def ready(url):
    """Whether the coordinator's readiness probe (no key needed) reports its own check UP: the database answers and
    CDProto listens. Payara answers UP with no checks at all before the application is deployed, hence the name."""
    try:
        with urllib.request.urlopen(url + "/health/ready", timeout=5) as r:
            checks = json.loads(r.read()).get("checks", [])
    except (OSError, ValueError):  # not listening yet, 503 DOWN (an HTTPError is an OSError), or not JSON
        return False
    return any(c.get("name") == "cdnodes" and c.get("status") == "UP" for c in checks)


def auth(key):
    """The header that carries the API key."""
    return {"Authorization": "Bearer " + key} if key else {}


def get(url, attempts=50, key=None):
    """GET with the API key, riding out a coordinator that is (re)starting: 5xx and refused connections are retried."""
    for i in range(attempts):
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=auth(key)), timeout=60) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            if e.code < 500 or i == attempts - 1:
                raise
        except urllib.error.URLError:
            if i == attempts - 1:
                raise
        time.sleep(0.2)


def post_zip(base, filename, content, options, key=None):
    boundary = uuid.uuid4().hex
    parts = [b"--" + boundary.encode(),
             ('Content-Disposition: form-data; name="file"; filename="%s"' % filename).encode(),
             b"Content-Type: application/zip", b"", content]
    if options:
        parts += [b"--" + boundary.encode(), b'Content-Disposition: form-data; name="options"', b"",
                  json.dumps(options).encode()]
    parts += [b"--" + boundary.encode() + b"--", b""]
    req = urllib.request.Request(base + "/evaluation", b"\r\n".join(parts),
                                 dict(auth(key), **{"Content-Type": "multipart/form-data; boundary=" + boundary}))
    try:
        with urllib.request.urlopen(req, timeout=600) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def zip_files(files, compression=zipfile.ZIP_DEFLATED):
    """A zip of name → bytes (or str)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


SUMMARY_COUNT = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed)\b")


def pytest_counts(text):
    """pytest's closing summary line ("3 failed, 48 passed, 1 skipped in 2.1s") as {outcome: n}, with "error" for
    errors, as the coordinator names its outcome counts; subtests' own counts are left out."""
    lines = [ln for ln in text.splitlines() if " in " in ln and SUMMARY_COUNT.search(ln)]
    found = {}
    for n, word in SUMMARY_COUNT.findall(lines[-1] if lines else ""):
        found["error" if word.startswith("error") else word] = int(n)
    return found


def table(rows):
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for n, r in enumerate(rows):
        lines.append("| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |")
        if n == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)
