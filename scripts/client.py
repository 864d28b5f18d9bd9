#!/usr/bin/env python3
"""The CD Nodes command line client: ./cdnodes submit, list, show, cancel and rerun.

  submit [--wait] [-x] [-v] [--junit FILE] [--options JSON] ZIP|DIR...|URL...
  list
  show ID [--tests] [--failed]
  cancel ID
  rerun ID [--failed] [--wait] [-x]

Projects are zips and folders (sent as one zip upload; a folder without what its .gitignore files leave out, nor
.git/, virtual environments and caches: -v names what was left out, --dry-run lists what would go), or repository
URLs (https://github.com/o/r, any https://, http://, ssh:// or file:// git URL, user@host:path), sent as one JSON
submission with the token from --token or CDNODES_GITHUB_TOKEN. One submission is either kind: submit URLs and
files separately. The coordinator fetches only what its admin allows: public hosts, hosts in its
CDNODES_FETCH_ALLOW_HOSTS, and file:// repositories inside its CDNODES_FETCH_FILE_ROOTS (none by default: submit a
local folder instead).

--wait follows the evaluation over its event stream (resuming where it left off when the connection drops): a
progress bar on a terminal, a line per test otherwise; then pytest's short test summary (FAILED/ERROR lines) and
its counts line. -x (--exitfirst) cancels the evaluation at the first failure or error; Ctrl-C cancels it too.

Every request carries an API key (Authorization: Bearer): --api-key, else $CDNODES_API_KEY, else, when the
coordinator's URL names this machine (localhost or a loopback address), the admin key the coordinator made in
$CDNODES_DATA_DIR/admin.key (./cdnodes exports CDNODES_DATA_DIR; without it, the repository's data/ folder, as
./cdnodes uses by default). The key follows a redirect only to the same scheme, host and port; sent over plain
http to another machine, it comes with a warning (anyone on the way can read it: use https).

Exit codes are pytest's: 0 every test passed, 1 some test failed or errored (or a project could not run),
2 interrupted (Ctrl-C, or the evaluation was cancelled), 3 internal error (the coordinator cannot be reached or
answers with an error), 4 usage error (bad arguments, a refused submission or key), 5 no tests were run.
"""
import argparse
import fnmatch
import io
import ipaddress
import json
import os
import re
import signal
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zipfile

# Never sent, whatever .gitignore says: version control, caches, and build leftovers of Python tools.
ALWAYS_LEFT_OUT = {".git", ".hg", ".svn", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".tox",
                   ".nox", "__MACOSX", ".eggs"}

# pytest's exit codes, which every command here ends with.
OK, TESTS_FAILED, INTERRUPTED, INTERNAL_ERROR, USAGE_ERROR, NO_TESTS = 0, 1, 2, 3, 4, 5
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The API key sent with every request (set once in main).
API_KEY = None


def find_api_key(given, url):
    """--api-key, $CDNODES_API_KEY, or (for a coordinator on this machine only) the admin key file in the data
    folder; None when there is none. The local admin key never goes to another machine: a --url elsewhere is
    another coordinator, or one that should not get this one's key."""
    if given:
        return given.strip()
    if os.environ.get("CDNODES_API_KEY", "").strip():
        return os.environ["CDNODES_API_KEY"].strip()
    if not is_loopback(url):
        return None
    data = os.environ.get("CDNODES_DATA_DIR") or os.path.join(ROOT, "data")
    try:
        with open(os.path.join(data, "admin.key"), encoding="ascii") as f:
            return f.read().strip() or None
    except OSError:
        return None


def is_loopback(url):
    """Whether the URL's host is this machine: localhost or a loopback address, written as such (a name is not
    looked up: what it resolves to may change between the check and the request)."""
    host = (urllib.parse.urlsplit(url).hostname or "").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_loopback


def origin(url):
    """(scheme, host, port) of a URL, the port filled in: what a key is bound to."""
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or {"http": 80, "https": 443}.get(scheme)


class SameOriginAuthRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects as urllib does, but the Authorization header only to the origin it was sent to: urllib
    would hand the API key to whatever host, port or scheme a redirect names."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and origin(new.full_url) != origin(req.full_url):
            for name in [h for h in new.headers if h.lower() == "authorization"]:
                del new.headers[name]
            for name in [h for h in new.unredirected_hdrs if h.lower() == "authorization"]:
                del new.unredirected_hdrs[name]
        return new


OPENER = urllib.request.build_opener(SameOriginAuthRedirects)


def warn_if_exposed(url, key):
    """A key over plain http to another machine can be read on the way: say so (the request still goes)."""
    if key and urllib.parse.urlsplit(url).scheme.lower() == "http" and not is_loopback(url):
        print("cdnodes: warning: the API key goes to %s over plain http, readable by anyone on the way; "
              "use the coordinator's https address (CDNODES_URL=https://...)" % origin(url)[1], file=sys.stderr)


class GitIgnore:
    """The patterns of the .gitignore files met on the way down a folder, as git reads them: blank lines and
    comments skipped; ``!`` re-includes; a trailing ``/`` matches folders only; a pattern with a ``/`` before its end
    is anchored at its .gitignore's folder, one without matches at any depth; ``*``, ``?``, ``[...]`` and ``**``.
    The last matching pattern wins; nothing is re-included inside a folder left out (as git)."""

    def __init__(self, rules=()):
        self.rules = list(rules)

    def within(self, folder, rel_folder):
        """These rules and those of ``folder``'s own .gitignore (``rel_folder``: its path from the top)."""
        path = os.path.join(folder, ".gitignore")
        if not os.path.isfile(path):
            return self
        rules = list(self.rules)
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                lines = f.read().splitlines()
        except OSError:
            return self
        for line in lines:
            line = line.rstrip()
            if line.endswith("\\ "):
                line = line + " "
            if not line or line.startswith("#"):
                continue
            negate = line.startswith("!")
            if negate:
                line = line[1:]
            if line.startswith("\\"):
                line = line[1:]
            dir_only = line.endswith("/")
            line = line.strip("/") if dir_only else line
            anchored = "/" in line.rstrip("/")
            pattern = line.lstrip("/")
            regex = _glob_regex(pattern, anchored)
            rules.append((re.compile(regex), negate, dir_only, rel_folder))
        return GitIgnore(rules)

    def ignored(self, rel, is_dir):
        verdict = False
        for regex, negate, dir_only, base in self.rules:
            if dir_only and not is_dir:
                continue
            if base:
                if not rel.startswith(base + "/"):
                    continue
                sub = rel[len(base) + 1:]
            else:
                sub = rel
            if regex.fullmatch(sub):
                verdict = not negate
        return verdict


def _glob_regex(pattern, anchored):
    """A gitignore glob as a regular expression over a path relative to its .gitignore's folder."""
    out = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("/**", i) and i + 3 == len(pattern):
            out.append("/.*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            end = pattern.find("]", i + 1)
            if end < 0:
                out.append(re.escape(c))
                i += 1
            else:
                body = pattern[i + 1:end]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = end + 1
        else:
            out.append(re.escape(c))
            i += 1
    regex = "".join(out)
    return regex if anchored else "(?:.*/)?" + regex


def is_virtualenv(folder):
    """A virtual environment (venv, virtualenv, conda): never part of a project's files."""
    return os.path.isfile(os.path.join(folder, "pyvenv.cfg")) or os.path.isdir(os.path.join(folder, "conda-meta"))


def project_files(path):
    """The files of a folder that go up, and what was left out (each path relative to ``path``, ``/``-separated;
    a folder left out as a whole is one entry ending with ``/``)."""
    sent, left_out = [], []

    def walk(folder, rel, rules):
        rules = rules.within(folder, rel)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            return
        for e in entries:
            child = (rel + "/" + e.name) if rel else e.name
            if e.is_symlink():
                left_out.append(child + " (a symbolic link)")
                continue
            if e.is_dir():
                if e.name in ALWAYS_LEFT_OUT or is_virtualenv(e.path) or rules.ignored(child, True):
                    left_out.append(child + "/")
                else:
                    walk(e.path, child, rules)
            elif e.is_file():
                if e.name.endswith((".pyc", ".pyo")) or rules.ignored(child, False):
                    left_out.append(child)
                else:
                    sent.append(child)

    walk(path, "", GitIgnore())
    return sent, left_out


def zip_dir(path, prefix="", verbose=False):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        add_dir(z, path, prefix, verbose)
    return buf.getvalue()


def add_dir(z, path, prefix, verbose=False):
    sent, left_out = project_files(path)
    for rel in sent:
        z.write(os.path.join(path, *rel.split("/")), prefix + rel)
    if verbose and left_out:
        print("cdnodes: left out of %s (.gitignore, version control, virtual environments, caches):" % path,
              file=sys.stderr)
        for rel in left_out:
            print("  " + rel, file=sys.stderr)


def bundle(inputs, verbose=False):
    """One zip for the evaluation: a single zip is sent as is; otherwise each input becomes a folder."""
    if len(inputs) == 1 and os.path.isfile(inputs[0]):
        with open(inputs[0], "rb") as f:
            return os.path.basename(inputs[0]), f.read()
    if len(inputs) == 1:
        return os.path.basename(os.path.abspath(inputs[0])) + ".zip", zip_dir(inputs[0], "", verbose)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for path in inputs:
            name = os.path.splitext(os.path.basename(os.path.abspath(path)))[0]
            if os.path.isdir(path):
                add_dir(z, path, name + "/", verbose)
            else:
                with zipfile.ZipFile(path) as src:
                    for info in src.infolist():
                        if not info.is_dir():
                            z.writestr(name + "/" + info.filename, src.read(info))
    return "projects.zip", buf.getvalue()


SCP_LIKE = re.compile(r"^[A-Za-z0-9._~-]+@[A-Za-z0-9.-]+:[^/]")


def is_url(arg):
    """A repository URL rather than a file or folder: the coordinator checks it further."""
    return arg.startswith(("http://", "https://", "ssh://", "file://")) or bool(SCP_LIKE.match(arg))


def post_urls(base, urls, token, options):
    """One JSON submission; the token goes in the body and nowhere else (never printed)."""
    body = {"projects": urls}
    if token:
        body["auth_token"] = token
    if options:
        body["options"] = options
    return request(base + "/evaluation", json.dumps(body).encode(), {"Content-Type": "application/json"})


def request(url, data=None, headers=None, method=None):
    headers = dict(headers or {})
    if API_KEY:
        headers["Authorization"] = "Bearer " + API_KEY
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with OPENER.open(req, timeout=120) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def post_zip(base, filename, content, options):
    boundary = uuid.uuid4().hex
    parts = [b"--" + boundary.encode(),
             ('Content-Disposition: form-data; name="file"; filename="%s"' % filename).encode(),
             b"Content-Type: application/zip", b"", content]
    if options:
        parts += [b"--" + boundary.encode(), b'Content-Disposition: form-data; name="options"',
                  b"Content-Type: application/json", b"", options.encode()]
    parts += [b"--" + boundary.encode() + b"--", b""]
    body = b"\r\n".join(parts)
    return request(base + "/evaluation", body, {"Content-Type": "multipart/form-data; boundary=" + boundary})


def bar(done, total, width=30):
    filled = int(width * done / total) if total else 0
    return "[" + "#" * filled + "." * (width - filled) + "]"


class Problem(Exception):
    """A request the coordinator answered with an error, or could not be made: what to say, and the exit code."""

    def __init__(self, message, code):
        super().__init__(message)
        self.code = code


def answer(status, body, what):
    """The JSON of a 2xx answer; otherwise a Problem saying why, with the exit code it means."""
    if 200 <= status < 300:
        return json.loads(body) if body else None
    if status == 401:
        raise Problem("the coordinator wants a valid API key (401): %s" % (
            "the key given was refused" if API_KEY else
            "pass --api-key or set CDNODES_API_KEY (the admin key is in the coordinator's data folder, admin.key, "
            "which is read by itself only for a coordinator on this machine)"), USAGE_ERROR)
    try:
        problem = json.loads(body)
        detail = problem.get("detail") or problem.get("title")
    except ValueError:
        detail = body[:500].decode("utf-8", "replace") if isinstance(body, bytes) else str(body)[:500]
    raise Problem("%s: refused (%d): %s" % (what, status, detail), INTERNAL_ERROR if status >= 500 else USAGE_ERROR)


def get_json(base, path, what):
    try:
        status, body = request(base + path)
    except (urllib.error.URLError, OSError) as e:
        raise Problem("cannot reach %s: %s" % (base, e), INTERNAL_ERROR)
    return answer(status, body, what)


def cancel(base, eid):
    """Asks the coordinator to cancel; True when it did, False when the evaluation had ended already."""
    try:
        status, body = request("%s/evaluation/%d" % (base, eid), method="DELETE")
    except (urllib.error.URLError, OSError) as e:
        raise Problem("cannot reach %s to cancel evaluation %d: %s" % (base, eid, e), INTERNAL_ERROR)
    if status == 409:
        return False
    answer(status, body, "cancelling evaluation %d" % eid)
    return True


def events(base, eid, last_id):
    """The evaluation's Server-Sent Events from after ``last_id``: (event, id, data) until the stream ends."""
    headers = {"Accept": "text/event-stream"}
    if API_KEY:
        headers["Authorization"] = "Bearer " + API_KEY
    if last_id:
        headers["Last-Event-ID"] = last_id
    req = urllib.request.Request("%s/evaluation/%d/events" % (base, eid), headers=headers)
    with OPENER.open(req, timeout=60) as r:
        event, eid_, data = "message", None, []
        for raw in r:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if not line:
                if data:
                    yield event, eid_, "\n".join(data)
                event, eid_, data = "message", None, []
            elif line.startswith(":"):
                continue
            else:
                field, _, value = line.partition(":")
                value = value[1:] if value.startswith(" ") else value
                if field == "event":
                    event = value
                elif field == "id":
                    eid_ = value
                elif field == "data":
                    data.append(value)


class Progress:
    """What a terminal shows while an evaluation runs: one bar, redrawn; elsewhere, one line per test."""

    def __init__(self, out, projects):
        self.out = out
        self.tty = out.isatty()
        self.projects = projects
        self.last = ""

    def result(self, r):
        if not self.tty:
            name = ("%s/%s" % (r["project"], r["nodeid"])) if self.projects > 1 else r["nodeid"]
            self.out.write("%s %s\n" % (name, r["outcome"].upper()))
            self.out.flush()

    def progress(self, p, o, status, elapsed):
        if not self.tty:
            return
        line = "%s %d/%d tests  passed %d  failed %d  errors %d  (%s, %.0fs)" % (
            bar(p["executed"], p["total"]), p["executed"], p["total"], o["passed"] + o["xpassed"], o["failed"],
            o["error"], status, elapsed)
        self.out.write("\r" + line.ljust(len(self.last)))
        self.out.flush()
        self.last = line

    def end(self):
        if self.tty and self.last:
            self.out.write("\n")
            self.out.flush()


def follow(base, eid, exitfirst=False):
    """Follows the evaluation over its event stream to its end (resuming after a dropped connection, at most 20
    times in a row); returns whether it was stopped for -x."""
    first = get_json(base, "/evaluation/%d" % eid, "reading evaluation %d" % eid)
    show = Progress(sys.stderr, len(first["projects"]))
    last_id, failures, stopped = None, 0, False
    while True:
        try:
            for event, event_id, data in events(base, eid, last_id):
                failures = 0
                if event == "result":
                    last_id = event_id or last_id
                    r = json.loads(data)
                    show.result(r)
                    if exitfirst and not stopped and r["outcome"] in ("failed", "error"):
                        stopped = True
                        show.end()
                        print("!!!!!!!!!!!!!!!!!!!!!!!!!! stopping after 1 failure (-x): cancelling evaluation %d "
                              "!!!!!!!!!!!!!!!!!!!!!!!!!!" % eid, file=sys.stderr)
                        cancel(base, eid)
                elif event == "progress":
                    view = json.loads(data)
                    show.progress(view["progress"], view["outcomes"], view["status"], view["elapsed_seconds"])
                elif event == "end":
                    show.end()
                    return stopped
        except (urllib.error.URLError, OSError, ValueError) as e:
            failures += 1
            if failures > 20:
                raise Problem("lost the event stream of evaluation %d: %s" % (eid, e), INTERNAL_ERROR)
            time.sleep(min(5.0, 0.25 * 2 ** failures))
            continue
        # the stream ended without an end event (the coordinator restarted, say): ask whether the evaluation has
        status = get_json(base, "/evaluation/%d" % eid, "reading evaluation %d" % eid)["status"]
        if status in ("done", "failed", "cancelled"):
            show.end()
            return stopped


# ---- what is printed at the end: pytest's words ------------------------------------------------------------------

def table(ev):
    rows = [("project", "status", "passed", "failed", "errors", "skipped", "xfailed", "xpassed", "grade")]
    for pr in ev["projects"]:
        o = pr["outcomes"]
        grade = "-" if pr.get("grade") is None else "%.2f" % pr["grade"]
        rows.append((pr["name"], pr["status"], o["passed"], o["failed"], o["error"], o["skipped"], o["xfailed"],
                     o["xpassed"], grade))
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip())
    for pr in ev["projects"]:
        if pr.get("reason"):
            print("\n%s: %s" % (pr["name"], pr["reason"]))


def banner(title, fill="="):
    """A pytest section line: the title centred in 80 columns of ``fill``."""
    title = " %s " % title
    left = (80 - len(title)) // 2
    return fill * max(left, 1) + title + fill * max(80 - len(title) - left, 1)


def counts_line(ev):
    """pytest's last line: its counts in its order and words, and the time. pytest counts a test whose teardown
    failed after its call passed twice, as passed and as an error: so does this line (the outcome is error)."""
    o = dict(ev["outcomes"])
    o["passed"] = o.get("passed", 0) + sum(1 for pr in ev["projects"] for t in pr.get("tests") or []
                                           if t["outcome"] == "error" and t.get("phase") == "teardown")
    elapsed = ev["elapsed_seconds"]
    parts = []
    # pytest-rerunfailures counts the attempts before the last as "rerun", after pytest's own counts
    o["rerun"] = sum(len(t.get("attempts") or []) for pr in ev["projects"] for t in pr.get("tests") or [])
    for key, word in (("failed", "failed"), ("passed", "passed"), ("skipped", "skipped"), ("xfailed", "xfailed"),
                      ("xpassed", "xpassed"), ("error", "error"), ("rerun", "rerun")):
        n = o.get(key, 0)
        if n:
            parts.append("%d %s" % (n, word + ("s" if key == "error" and n > 1 else "")))
    return banner("%s in %.2fs" % (", ".join(parts) or "no tests ran", elapsed))


def test_name(project, nodeid, several):
    return "%s/%s" % (project, nodeid) if several else nodeid


def short_summary(ev):
    """pytest's short test summary info: FAILED and ERROR lines, with the one-line message."""
    several = len(ev["projects"]) > 1
    lines = []
    for kind in ("failed", "error"):
        for pr in ev["projects"]:
            for t in pr.get("tests") or []:
                if t["outcome"] == kind:
                    message = t.get("message") or ""
                    lines.append("%s %s%s" % (kind.upper(), test_name(pr["name"], t["nodeid"], several),
                                              " - " + message if message else ""))
    if lines:
        print(banner("short test summary info"))
        for line in lines:
            print(line)


def summarise(ev):
    """The projects' table, then pytest's short test summary and counts line."""
    table(ev)
    print()
    short_summary(ev)
    print(counts_line(ev))


def exit_code(ev, stopped=False):
    """pytest's exit code for how the evaluation ended."""
    o = ev["outcomes"]
    ran = sum(o.values())
    bad = o["failed"] + o["error"] > 0 or any(p["status"] == "failed" for p in ev["projects"])
    if bad or stopped:
        return TESTS_FAILED
    if ev["status"] == "cancelled":
        return INTERRUPTED
    if ev["status"] != "done":
        return TESTS_FAILED
    return NO_TESTS if ran == 0 else OK


def report(base, eid, stopped=False, junit=None):
    ev = get_json(base, "/evaluation/%d?tests=true" % eid, "reading evaluation %d" % eid)
    summarise(ev)
    grade = ev.get("grade")
    print("evaluation %d %s, grade %s" % (ev["id"], ev["status"], "-" if grade is None else "%.2f / 20" % grade))
    if junit:
        status, xml = request("%s/evaluation/%d/junit.xml" % (base, eid))
        if status != 200:
            answer(status, xml, "JUnit XML of evaluation %d" % eid)
        with open(junit, "wb") as f:
            f.write(xml)
    return exit_code(ev, stopped)


def wait_for(base, eid, exitfirst, junit):
    """--wait: follows the evaluation, cancels it on Ctrl-C (exit 2), and reports it as pytest would."""
    try:
        stopped = follow(base, eid, exitfirst)
    except KeyboardInterrupt:
        print("\ncdnodes: interrupted: cancelling evaluation %d" % eid, file=sys.stderr)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            cancel(base, eid)
        except Problem as p:
            print("cdnodes: %s" % p, file=sys.stderr)
        print(banner("KeyboardInterrupt: evaluation %d cancelled" % eid, "!"), file=sys.stderr)
        return INTERRUPTED
    return report(base, eid, stopped, junit)


# ---- the commands --------------------------------------------------------------------------------------------------

def cmd_submit(args, base, ap):
    urls = [i for i in args.inputs if is_url(i)]
    if urls and len(urls) != len(args.inputs):
        ap.error("repository URLs and zips or folders cannot go in one submission; submit them separately")
    for i in args.inputs:
        if not urls and not os.path.exists(i):
            ap.error("no such file or folder: " + i)
    if args.junit and not args.wait:
        ap.error("--junit needs --wait")
    if args.exitfirst and not args.wait:
        ap.error("-x needs --wait")
    options = None
    if args.options:
        try:
            options = json.loads(args.options)
        except ValueError as e:
            ap.error("--options is not JSON: %s" % e)
        if not isinstance(options, dict):
            ap.error("--options must be a JSON object")
    for key, value in (("reruns", args.reruns), ("reruns_delay", args.reruns_delay)):
        if value is not None:
            options = dict(options or {})
            options[key] = value
    if args.dry_run:
        if urls:
            ap.error("--dry-run lists the files of zips and folders")
        for path in args.inputs:
            if os.path.isdir(path):
                sent, left_out = project_files(path)
                for rel in sent:
                    print(os.path.join(path, rel))
                if args.verbose:
                    for rel in left_out:
                        print("left out: " + os.path.join(path, rel), file=sys.stderr)
            else:
                print(path)
        return OK
    try:
        if urls:
            status, body = post_urls(base, urls, args.token, options)
        else:
            filename, content = bundle(args.inputs, args.verbose)
            status, body = post_zip(base, filename, content, None if options is None else json.dumps(options))
    except (urllib.error.URLError, OSError) as e:
        raise Problem("cannot reach %s: %s" % (base, e), INTERNAL_ERROR)
    eid = answer(status, body, "the submission")["id"]
    print("evaluation %d submitted: %s/evaluation/%d" % (eid, base, eid), file=sys.stderr)
    if not args.wait:
        print(eid)
        return OK
    return wait_for(base, eid, args.exitfirst, args.junit)


def cmd_list(args, base, ap):
    evs = get_json(base, "/evaluation", "listing evaluations")
    rows = [("id", "status", "submitted", "projects", "passed", "failed", "errors", "grade", "source")]
    for e in evs:
        o = e.get("outcomes") or {}
        rows.append((e["id"], e["status"], (e.get("submitted_at") or "")[:19].replace("T", " "), e["projects"],
                     o.get("passed", 0) + o.get("xpassed", 0), o.get("failed", 0), o.get("error", 0),
                     "-" if e.get("grade") is None else "%.2f" % e["grade"], e.get("source") or ""))
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip())
    return OK


def cmd_show(args, base, ap):
    ev = get_json(base, "/evaluation/%d?tests=true" % args.id, "reading evaluation %d" % args.id)
    several = len(ev["projects"]) > 1
    if args.failed:
        # pytest's FAILURES and ERRORS sections: each test's whole report
        for kind, title in (("failed", "FAILURES"), ("error", "ERRORS")):
            tests = [(pr["name"], t) for pr in ev["projects"] for t in pr.get("tests") or [] if t["outcome"] == kind]
            if not tests:
                continue
            print(banner(title))
            for project, t in tests:
                name = test_name(project, t["nodeid"], several)
                if kind == "error" and t.get("phase"):
                    name = "ERROR at %s of %s" % (t["phase"], name)
                print(banner(name, "_"))
                print(t.get("longrepr") or t.get("message") or "")
                for field, what in (("stdout", "stdout"), ("stderr", "stderr"), ("log", "log")):
                    if t.get(field):
                        print(banner("Captured %s" % what, "-"))
                        print(t[field].rstrip("\n"))
    elif args.tests:
        for pr in ev["projects"]:
            for t in pr.get("tests") or []:
                runs = t.get("attempts") or []
                again = " (flaky: passed on attempt %d)" % (len(runs) + 1) if t.get("flaky") else (
                    " (on each of %d attempts)" % (len(runs) + 1) if runs else "")
                print("%s %s%s (%.3fs)%s" % (test_name(pr["name"], t["nodeid"], several), t["outcome"].upper(), again,
                                             t["duration"], " - " + t["message"] if t.get("message") else ""))
        print()
    summarise(ev)
    return exit_code(ev) if ev["status"] in ("done", "failed", "cancelled") else OK


def cmd_cancel(args, base, ap):
    if cancel(base, args.id):
        print("evaluation %d cancelled" % args.id)
        return OK
    print("evaluation %d had already ended" % args.id, file=sys.stderr)
    return TESTS_FAILED


def cmd_rerun(args, base, ap):
    body = json.dumps({"only": "failed" if args.failed else "all"}).encode()
    try:
        status, raw = request("%s/evaluation/%d/rerun" % (base, args.id), body, {"Content-Type": "application/json"})
    except (urllib.error.URLError, OSError) as e:
        raise Problem("cannot reach %s: %s" % (base, e), INTERNAL_ERROR)
    eid = answer(status, raw, "rerun of evaluation %d" % args.id)["id"]
    print("evaluation %d submitted (%s tests of evaluation %d): %s/evaluation/%d" % (
        eid, "failed" if args.failed else "all", args.id, base, eid), file=sys.stderr)
    if not args.wait:
        print(eid)
        return OK
    return wait_for(base, eid, args.exitfirst, args.junit)


class UsageParser(argparse.ArgumentParser):
    """argparse, with pytest's exit code for a usage error (4, not argparse's 2)."""

    def error(self, message):
        self.print_usage(sys.stderr)
        print("%s: error: %s" % (self.prog, message), file=sys.stderr)
        sys.exit(USAGE_ERROR)


def parser():
    ap = UsageParser(prog="cdnodes", description=__doc__.splitlines()[0])
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--url", default=os.environ.get("CDNODES_URL", "http://localhost:8080"))
    common.add_argument("--api-key", metavar="KEY",
                        help="API key (default: $CDNODES_API_KEY, which stays out of ps, else "
                             "$CDNODES_DATA_DIR/admin.key when --url is on this machine)")
    following = argparse.ArgumentParser(add_help=False)
    following.add_argument("--wait", action="store_true", help="follow the evaluation to its end")
    following.add_argument("-x", "--exitfirst", action="store_true",
                           help="with --wait: cancel the evaluation at the first failure or error")
    following.add_argument("--junit", metavar="FILE", help="with --wait: write the results as JUnit XML")
    sub = ap.add_subparsers(dest="command", required=True, parser_class=UsageParser)
    s = sub.add_parser("submit", parents=[common, following], help="send projects to run")
    s.add_argument("inputs", nargs="+", metavar="ZIP|DIR|URL")
    s.add_argument("--options", metavar="JSON", help='run options, e.g. {"pytest_args": ["-k", "fast"]}')
    s.add_argument("--token", default=os.environ.get("CDNODES_GITHUB_TOKEN"),
                   help="token for the repository URLs (default: $CDNODES_GITHUB_TOKEN, which stays out of ps)")
    s.add_argument("--reruns", type=int, metavar="N",
                   help="run a failed or errored test again up to N times (pytest-rerunfailures' --reruns)")
    s.add_argument("--reruns-delay", type=float, metavar="SECONDS", help="wait this long before each rerun")
    s.add_argument("-v", "--verbose", action="store_true", help="name the files a folder upload leaves out")
    s.add_argument("--dry-run", action="store_true", help="list the files that would go up, and send nothing")
    sub.add_parser("list", parents=[common], help="the evaluations this key sees, newest first")
    sh = sub.add_parser("show", parents=[common], help="one evaluation: its table, summary and tests")
    sh.add_argument("id", type=int)
    sh.add_argument("--tests", action="store_true", help="every test, one line each")
    sh.add_argument("--failed", action="store_true", help="the failed and errored tests with their whole report")
    c = sub.add_parser("cancel", parents=[common], help="cancel a queued or running evaluation")
    c.add_argument("id", type=int)
    r = sub.add_parser("rerun", parents=[common, following], help="run an evaluation's tests again")
    r.add_argument("id", type=int)
    r.add_argument("--failed", action="store_true", help="only the failed and errored tests (pytest's --lf)")
    return ap


def main(argv=None):
    ap = parser()
    args = ap.parse_args(argv)
    global API_KEY
    base = args.url.rstrip("/")
    API_KEY = find_api_key(args.api_key, base)
    warn_if_exposed(base, API_KEY)
    command = {"submit": cmd_submit, "list": cmd_list, "show": cmd_show, "cancel": cmd_cancel,
               "rerun": cmd_rerun}[args.command]
    try:
        return command(args, base, ap)
    except Problem as p:
        print("cdnodes: %s" % p, file=sys.stderr)
        return p.code
    except KeyboardInterrupt:
        print("\ncdnodes: interrupted", file=sys.stderr)
        return INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
