#!/usr/bin/env python3
"""./cdnodes submit: send projects to a CD Nodes coordinator and, with --wait, follow them to the end.

Projects are zips and folders (sent as one zip upload), or repository URLs (https://github.com/o/r, any
https://, http://, ssh:// or file:// git URL, user@host:path), sent as one JSON submission with the token
from --token or CDNODES_GITHUB_TOKEN. One submission is either kind: submit URLs and files separately.
The coordinator fetches only what its admin allows: public hosts, hosts in its CDNODES_FETCH_ALLOW_HOSTS,
and file:// repositories inside its CDNODES_FETCH_FILE_ROOTS (none by default: submit a local folder instead).

Every request carries an API key (Authorization: Bearer): --api-key, else $CDNODES_API_KEY, else, when the
coordinator's URL names this machine (localhost or a loopback address), the admin key the coordinator made in
$CDNODES_DATA_DIR/admin.key (./cdnodes exports CDNODES_DATA_DIR; without it, the repository's data/ folder, as
./cdnodes uses by default). The key follows a redirect only to the same scheme, host and port; sent over plain
http to another machine, it comes with a warning (anyone on the way can read it: use https).

Exit code, like pytest's: 0 when every test passed, 1 when a test failed or errored or a project could
not run, 2 on usage or connection errors.
"""
import argparse
import io
import ipaddress
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zipfile

JUNK = {"__pycache__", ".git", ".pytest_cache", ".venv", ".tox", ".mypy_cache", "__MACOSX"}
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


def zip_dir(path, prefix=""):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        add_dir(z, path, prefix)
    return buf.getvalue()


def add_dir(z, path, prefix):
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if d not in JUNK)
        for f in sorted(files):
            if f.endswith((".pyc", ".pyo")):
                continue
            full = os.path.join(root, f)
            if os.path.islink(full):
                continue
            rel = os.path.relpath(full, path).replace(os.sep, "/")
            z.write(full, prefix + rel)


def bundle(inputs):
    """One zip for the evaluation: a single zip is sent as is; otherwise each input becomes a folder."""
    if len(inputs) == 1 and os.path.isfile(inputs[0]):
        with open(inputs[0], "rb") as f:
            return os.path.basename(inputs[0]), f.read()
    if len(inputs) == 1:
        return os.path.basename(os.path.abspath(inputs[0])) + ".zip", zip_dir(inputs[0])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for path in inputs:
            name = os.path.splitext(os.path.basename(os.path.abspath(path)))[0]
            if os.path.isdir(path):
                add_dir(z, path, name + "/")
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


def follow(base, eid):
    last = ""
    while True:
        status, body = request("%s/evaluation/%d" % (base, eid))
        if status != 200:
            raise SystemExit("cdnodes: cannot read evaluation %d: HTTP %d %s" % (eid, status, body[:300]))
        ev = json.loads(body)
        p, o = ev["progress"], ev["outcomes"]
        line = "%s %d/%d tests  passed %d  failed %d  errors %d  (%s, %.0fs)" % (
            bar(p["executed"], p["total"]), p["executed"], p["total"], o["passed"] + o["xpassed"], o["failed"],
            o["error"], ev["status"], ev["elapsed_seconds"])
        if sys.stderr.isatty():
            sys.stderr.write("\r" + line.ljust(len(last)))
        elif line != last:
            sys.stderr.write(line + "\n")
        last = line
        if ev["status"] in ("done", "failed", "cancelled"):
            if sys.stderr.isatty():
                sys.stderr.write("\n")
            return ev
        time.sleep(1)


def summary(ev):
    rows = [("project", "status", "passed", "failed", "errors", "skipped", "xfailed", "xpassed", "grade")]
    for pr in ev["projects"]:
        o = pr["outcomes"]
        grade = "-" if pr.get("grade") is None else "%.2f" % pr["grade"]
        rows.append((pr["name"], pr["status"], o["passed"], o["failed"], o["error"], o["skipped"], o["xfailed"],
                     o["xpassed"], grade))
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)))
    for pr in ev["projects"]:
        if pr.get("reason"):
            print("\n%s: %s" % (pr["name"], pr["reason"]))
    grade = ev.get("grade")
    print("\nevaluation %d %s in %.1fs, grade %s" % (ev["id"], ev["status"], ev["elapsed_seconds"],
                                                   "-" if grade is None else "%.2f / 20" % grade))


def main():
    ap = argparse.ArgumentParser(prog="cdnodes submit", description=__doc__.splitlines()[0])
    ap.add_argument("inputs", nargs="+", metavar="ZIP|DIR|URL")
    ap.add_argument("--wait", action="store_true", help="follow the evaluation to its end")
    ap.add_argument("--junit", metavar="FILE", help="with --wait: write the results as JUnit XML")
    ap.add_argument("--options", metavar="JSON", help='run options, e.g. {"pytest_args": ["-k", "fast"]}')
    ap.add_argument("--token", default=os.environ.get("CDNODES_GITHUB_TOKEN"),
                    help="token for the repository URLs (default: $CDNODES_GITHUB_TOKEN, which stays out of ps)")
    ap.add_argument("--url", default=os.environ.get("CDNODES_URL", "http://localhost:8080"))
    ap.add_argument("--api-key", metavar="KEY",
                    help="API key (default: $CDNODES_API_KEY, which stays out of ps, else $CDNODES_DATA_DIR/admin.key "
                         "when --url is on this machine)")
    args = ap.parse_args()
    global API_KEY
    base = args.url.rstrip("/")
    API_KEY = find_api_key(args.api_key, base)
    warn_if_exposed(base, API_KEY)
    urls = [i for i in args.inputs if is_url(i)]
    if urls and len(urls) != len(args.inputs):
        ap.error("repository URLs and zips or folders cannot go in one submission; submit them separately")
    for i in args.inputs:
        if not urls and not os.path.exists(i):
            ap.error("no such file or folder: " + i)
    if args.junit and not args.wait:
        ap.error("--junit needs --wait")
    try:
        if urls:
            options = None
            if args.options:
                try:
                    options = json.loads(args.options)
                except ValueError as e:
                    ap.error("--options is not JSON: %s" % e)
            status, body = post_urls(base, urls, args.token, options)
        else:
            filename, content = bundle(args.inputs)
            status, body = post_zip(base, filename, content, args.options)
    except (urllib.error.URLError, OSError) as e:
        print("cdnodes: cannot reach %s: %s" % (base, e), file=sys.stderr)
        return 2
    if status == 401:
        print("cdnodes: the coordinator wants a valid API key (401): %s" % (
            "the key given was refused" if API_KEY else
            "pass --api-key or set CDNODES_API_KEY (the admin key is in the coordinator's data folder, admin.key, "
            "which is read by itself only for a coordinator on this machine)"),
            file=sys.stderr)
        return 2
    if status != 201:
        try:
            problem = json.loads(body)
            print("cdnodes: refused (%d): %s" % (status, problem.get("detail") or problem.get("title")), file=sys.stderr)
        except ValueError:
            print("cdnodes: refused (%d): %s" % (status, body[:500]), file=sys.stderr)
        return 2
    eid = json.loads(body)["id"]
    print("evaluation %d submitted: %s/evaluation/%d" % (eid, base, eid), file=sys.stderr)
    if not args.wait:
        print(eid)
        return 0
    ev = follow(base, eid)
    summary(ev)
    if args.junit:
        status, xml = request("%s/evaluation/%d/junit.xml" % (base, eid))
        with open(args.junit, "wb") as f:
            f.write(xml)
    o = ev["outcomes"]
    bad = o["failed"] + o["error"] > 0 or ev["status"] != "done" or any(
        p["status"] == "failed" for p in ev["projects"])
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
