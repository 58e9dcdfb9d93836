#!/usr/bin/env python3
"""A fault-injecting fake of GitHub (REST API, github.com, release-asset host) over HTTPS.

    python3 ghserver.py --cert C --key K --port-file F [--control-file J] [--log L]
                        [--api-prefix /api/v3] [--fixtures DIR]

Listens on two loopback addresses with ephemeral ports, HTTP/1.1 with keep-alive:

* 127.0.0.1 ("api" host): the REST API under --api-prefix (like GHES) and github.com pages;
* 127.0.0.2 ("download" host): plays release-assets.githubusercontent.com.

Once both listen it writes (temp file + rename) the port file:
``{"api": "https://127.0.0.1:P1/api/v3", "server": "https://127.0.0.1:P1", "download": "https://127.0.0.2:P2",
"trusted_root": PATH or null}``.

With ``--forge-tool PATH`` (tests/tools/sw_forge_bundle) every attested fixture release is signed
at start (ghstore.sign_fixtures, into ``--sigstore-dir``): its ``wash.sigstore.json`` becomes a
real Sigstore bundle of a test instance, whose trusted root is ``trusted_root`` in the port file.

Routes (API JSON always carries a strong ``ETag: "<sha256 hex of the body>"``;
``If-None-Match`` with a matching tag -> 304 without body):

* ``GET {api}/repos/{o}/{r}/releases?per_page=N&page=K`` (per_page default 30,
  max 100) and the same at ``{api}/repositories/{id}/releases``; when there is more
  than one page, a ``Link`` header like GitHub's, with absolute URLs of the
  /repositories/{id} form, in the order prev, next, last, first:
  ``<{api}/repositories/123/releases?per_page=100&page=2>; rel="next", <...>; rel="last"``
* ``GET {api}/repos/{o}/{r}/attestations/sha256:{hex}``: ``{"attestations": [...]}`` from the
  control file's ``attestations`` map, else from the signed fixtures (--forge-tool), else 404
  (see ghstore.py).
* ``GET {api}/repos/{o}/{r}/releases/tags/{tag}`` (tag percent-decoded),
  ``.../releases/latest`` (newest by created_at, neither draft nor flagged
  prerelease: the flag is trusted, as GitHub does), ``.../releases/{id}``,
  ``.../releases/assets/{id}`` (JSON, or with ``Accept: application/octet-stream``
  a 302 to the download host); unknown -> 404 ``{"message":"Not Found",...}``.
* ``GET /{o}/{r}/releases/download/{tag}/{name}`` -> 302, Location
  ``{download}/dl/{o}/{r}/{tag}/{name}?token=sig``; ``/{o}/{r}/releases/latest`` -> 302
  to ``/{o}/{r}/releases/tag/{tag}`` (200, small HTML).
* download host ``GET /dl/{o}/{r}/{tag}/{name}``: the bytes, ``application/octet-stream``,
  ``Accept-Ranges: bytes`` (a single ``Range: bytes=a-b`` gets 206). A request that
  carries ``Authorization`` gets 400, as a pre-signed S3 URL does.

Fault rules come from the control file (see ghstore.py for its other keys),
re-read on every request. The first rule that matches and is not used up applies:
``{"match": regex searched (re.search) in the raw request target, path and query,
still percent-encoded, "host": "api" (127.0.0.1: API and github.com pages) |
"download" | "any" (default), "method": optional, "times": N (default unlimited;
counted in memory per rule, reset when "rules_id" changes), "action": {...}}``. Actions:

* ``{"status": 500, "body": obj|str, "headers": {...}}``: that answer instead (default
  body ``{"message": ...}``);
* ``{"redirect": URL, "status": 302}``;
* ``{"reset_after": B}``: headers + B body bytes, then RST (SO_LINGER 0);
* ``{"truncate_after": B}``: the real Content-Length, B bytes, then a clean close
  (TLS close_notify + FIN);
* ``{"stall_after": B, "stall_seconds": S}``: B bytes (B = -1: not even the status
  line), silence for S seconds, then a clean close;
* ``{"corrupt": true}``: same length, the byte at offset length//2 XOR 0xFF;
* ``{"replace_b64": "..."}``: those bytes instead, with their length;
* ``{"delay": S}``: wait S seconds, then answer normally;
* any action may add ``"headers": {...}`` to the answer.

Every request is appended to --log as one JSON line (flushed) before its body is sent:
``{"host", "addr", "method", "path", "headers", "status", "fault"}`` (fault = rule index or null).
SIGTERM/SIGINT stop the server; nothing is printed on stdout.
"""

import argparse
import base64
import hashlib
import json
import os
import re
import signal
import socket
import ssl
import struct
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

import ghstore
import loopserver

HERE = os.path.dirname(os.path.abspath(__file__))
STOP = threading.Event()


class Response:
    """Status, headers, and a body slice ``body[start:start+length]``."""

    def __init__(self, status, headers=None, body=b"", start=0, length=None):
        self.status = status
        self.headers = dict(headers or {})
        self.body = ghstore.BytesBody(body) if isinstance(body, bytes) else body
        self.start = start
        self.length = self.body.size - start if length is None else length


def json_response(status, obj):
    data = json.dumps(obj, separators=(",", ":")).encode()
    return Response(status, {"Content-Type": "application/json; charset=utf-8"}, data)


def not_found():
    return json_response(404, {"message": "Not Found",
                               "documentation_url": "https://docs.github.com/rest",
                               "status": "404"})


class App:
    """State shared by both listeners: fixtures, control file, rule counters, log."""

    def __init__(self, args):
        self.fixtures = ghstore.load_fixtures(args.fixtures)
        self.trusted_root, self.signed = None, {}
        if args.forge_tool:
            self.trusted_root, self.signed = ghstore.sign_fixtures(
                self.fixtures, args.forge_tool, args.sigstore_dir or os.path.join(
                    os.path.dirname(os.path.abspath(args.port_file)), "sigstore"))
        self.control_file = args.control_file
        self.api_prefix = args.api_prefix.rstrip("/")
        self.log = open(args.log, "a") if args.log else None
        self.lock = threading.Lock()
        self.counters = {}
        self.rate_used = {True: 0, False: 0}
        self.rate_reset = int(time.time()) + 3600
        self._control = (None, ghstore.Control({}, self.fixtures, HERE))
        self.server = self.api = self.download = None

    def control(self):
        """The control file as parsed now (cached by content)."""
        raw = b"{}"
        if self.control_file:
            try:
                with open(self.control_file, "rb") as f:
                    raw = f.read()
            except FileNotFoundError:
                pass
        with self.lock:
            if self._control[0] != raw:
                base = os.path.dirname(os.path.abspath(self.control_file or HERE))
                self._control = (raw, ghstore.Control(json.loads(raw or b"{}"), self.fixtures, base))
            return self._control[1]

    def match_rule(self, control, host, method, path):
        """(index, action) of the first applicable rule, counting its use; (None, {}) if none."""
        with self.lock:
            for i, rule in enumerate(control.rules):
                if rule.get("host", "any") not in ("any", host):
                    continue
                if rule.get("method") and rule["method"].upper() != method:
                    continue
                if not re.search(rule.get("match", ""), path):
                    continue
                key = (control.rules_id, i, json.dumps(rule, sort_keys=True))
                used = self.counters.get(key, 0)
                if rule.get("times") is not None and used >= rule["times"]:
                    continue
                self.counters[key] = used + 1
                return i, rule.get("action", {})
        return None, {}

    def write_log(self, entry):
        if self.log:
            with self.lock:
                self.log.write(json.dumps(entry) + "\n")
                self.log.flush()

    def rewrite(self, data):
        """Point github.com / api.github.com URLs in serialized JSON at this server."""
        return data.replace(b"https://api.github.com/", (self.api + "/").encode()) \
                   .replace(b"https://github.com/", (self.server + "/").encode())


def _authorized(headers, token):
    auth = headers.get("Authorization", "")
    return auth in ("Bearer " + token, "token " + token)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ghserver"
    sys_version = ""
    timeout = 60

    def setup(self):
        self.request.settimeout(10)
        self.request.do_handshake()
        super().setup()

    def log_message(self, *args):
        pass

    def version_string(self):
        return "ghserver"

    def do_GET(self):
        self._serve(head=False)

    def do_HEAD(self):
        self._serve(head=True)

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(n)
        self._serve(head=False)

    # -- request handling ----------------------------------------------------

    def _serve(self, head):
        app, host = self.server.app, self.server.kind
        idx, action = None, {}
        try:
            control = app.control()
            idx, action = app.match_rule(control, host, self.command, self.path)
            resp = self._answer(control, host, action)
        except Exception as e:  # a broken control file or a server bug: say so loudly
            traceback.print_exc(file=sys.stderr)
            sys.stderr.flush()
            idx, action = None, {}
            resp = json_response(500, {"message": "ghserver error: %s: %s" % (type(e).__name__, e)})
        app.write_log({"host": host, "addr": "%s:%d" % self.client_address[:2], "method": self.command,
                       "path": self.path, "headers": dict(self.headers.items()),
                       "status": resp.status, "fault": idx})
        try:
            self._send(resp, action, head)
        except (ConnectionError, ssl.SSLError, socket.timeout, OSError):
            self.close_connection = True

    def _answer(self, control, host, action):
        """The response for this request after the rule's ``action`` (not yet the sending faults)."""
        if action.get("delay"):
            STOP.wait(action["delay"])
        if "redirect" in action:
            resp = Response(action.get("status", 302), {"Location": action["redirect"]})
        elif "status" in action:
            resp = self._status_action(action)
        else:
            resp = self._route(control, host)
        if "replace_b64" in action:
            resp.body = ghstore.BytesBody(base64.b64decode(action["replace_b64"]))
            resp.start, resp.length = 0, resp.body.size
        resp.headers.update(action.get("headers", {}))
        return resp

    def _status_action(self, action):
        status = action["status"]
        body = action.get("body")
        if status in (204, 304) or 100 <= status < 200:
            return Response(status, {})
        if body is None:
            body = {"message": "ghserver: injected status %d" % status,
                    "documentation_url": "https://docs.github.com/rest"}
        if isinstance(body, str):
            return Response(status, {"Content-Type": "text/plain; charset=utf-8"}, body.encode())
        return json_response(status, body)

    def _send(self, resp, action, head):
        if action.get("stall_after") == -1:
            self._sleep(action.get("stall_seconds", 0))
            return self._close_clean()
        self.send_response(resp.status)
        for k, v in resp.headers.items():
            self.send_header(k, str(v))
        no_body = resp.status in (204, 304) or resp.status < 200
        if not no_body:
            self.send_header("Content-Length", str(resp.length))
        self.end_headers()
        if head or no_body:
            return
        limit = resp.length
        for key in ("reset_after", "truncate_after", "stall_after"):
            if key in action:
                limit = min(limit, max(0, int(action[key])))
        flip = resp.length // 2 if action.get("corrupt") and resp.length else -1
        off = 0
        for chunk in resp.body.iter_range(resp.start, resp.start + limit):
            if off <= flip < off + len(chunk):
                b = bytearray(chunk)
                b[flip - off] ^= 0xFF
                chunk = bytes(b)
            self.wfile.write(chunk)
            off += len(chunk)
        if "reset_after" in action:
            time.sleep(0.05)  # let the bytes reach the peer before the RST
            self._abort()
        elif "truncate_after" in action:
            self._close_clean()
        elif "stall_after" in action:
            self._sleep(action.get("stall_seconds", 0))
            self._close_clean()

    def _sleep(self, seconds):
        STOP.wait(seconds)

    def _abort(self):
        """Close with SO_LINGER 0: the peer sees a connection reset."""
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.rfile.close()
        self.connection.close()

    def _close_clean(self):
        """TLS close_notify, then FIN."""
        self.close_connection = True
        try:
            self.connection.settimeout(0.5)
            plain = self.connection.unwrap()
            plain.shutdown(socket.SHUT_RDWR)
        except (OSError, ValueError):
            pass

    def finish(self):
        try:
            super().finish()
        except (OSError, ValueError):
            pass

    # -- routing -------------------------------------------------------------

    def _route(self, control, host):
        app = self.server.app
        url = urlsplit(self.path)
        parts = url.path.split("/")[1:]
        if host == "download":
            return self._download(control, parts)
        prefix = app.api_prefix
        if url.path.startswith(prefix + "/"):
            api_parts = url.path[len(prefix):].split("/")[1:]
            if api_parts and api_parts[0] in ("repos", "repositories", "rate_limit"):
                return self._api(control, api_parts, dict(parse_qsl(url.query)), url.query)
            if prefix:
                return not_found()
        return self._web(control, parts)

    def _auth_ok(self, control, repo):
        token = control.require_token.get(repo.full_name.lower())
        return token is None or _authorized(self.headers, token)

    def _api(self, control, parts, query, raw_query):
        app = self.server.app
        authorized = "Authorization" in self.headers
        if parts == ["rate_limit"]:
            resp = self._json_ok({"resources": {"core": self._rate(authorized)}})
            return resp
        if parts[0] == "repos" and len(parts) == 5 and parts[3] == "attestations":
            return self._attestations(control, parts)
        if parts[0] == "repositories" and len(parts) == 3 and parts[1].isdigit() and parts[2] == "releases":
            repo, rest = control.repo_by_id(int(parts[1])), ["releases"]
        elif parts[0] == "repos" and len(parts) >= 4 and parts[3] == "releases":
            repo, rest = control.repo(unquote(parts[1]), unquote(parts[2])), parts[3:]
        else:
            return not_found()
        if repo is None or not self._auth_ok(control, repo):
            return not_found()
        with app.lock:
            app.rate_used[authorized] += 1
        if rest == ["releases"]:
            return self._list(repo, query, raw_query, authorized)
        if rest == ["releases", "latest"]:
            rel = repo.latest()
        elif len(rest) >= 3 and rest[1] == "tags":
            rel = repo.by_tag(unquote("/".join(rest[2:])))
        elif len(rest) == 2 and rest[1].isdigit():
            rel = next((r for r in repo.visible(authorized) if r["id"] == int(rest[1])), None)
        elif len(rest) == 3 and rest[1] == "assets" and rest[2].isdigit():
            rel, asset = repo.asset_by_id(int(rest[2]))
            if asset is None:
                return not_found()
            if "application/octet-stream" in self.headers.get("Accept", ""):
                return self._redirect_to_asset(repo, rel["tag_name"], asset["name"])
            return self._json_ok(asset)
        else:
            return not_found()
        return self._json_ok(rel) if rel else not_found()

    def _attestations(self, control, parts):
        app = self.server.app
        repo = control.repo(unquote(parts[1]), unquote(parts[2]))
        subject = unquote(parts[4])
        if repo is None or not self._auth_ok(control, repo) or not subject.startswith("sha256:"):
            return not_found()
        with app.lock:
            app.rate_used["Authorization" in self.headers] += 1
        found = control.attestations_for(subject[7:], app.signed)
        return self._json_ok({"attestations": found}) if found else not_found()

    def _rate(self, authorized):
        app = self.server.app
        limit = 5000 if authorized else 60
        used = app.rate_used[authorized]
        return {"limit": limit, "remaining": max(0, limit - used), "reset": app.rate_reset, "used": used,
                "resource": "core"}

    def _json_ok(self, obj, extra=None):
        """200 JSON with ETag, or 304 when If-None-Match matches it."""
        app = self.server.app
        data = app.rewrite(json.dumps(obj, separators=(",", ":")).encode())
        etag = '"%s"' % hashlib.sha256(data).hexdigest()
        rate = self._rate("Authorization" in self.headers)
        h = {"Cache-Control": "private, max-age=60, s-maxage=60", "Vary": "Accept, Authorization",
             "ETag": etag, "X-GitHub-Media-Type": "github.v3; format=json",
             "X-RateLimit-Limit": rate["limit"], "X-RateLimit-Remaining": rate["remaining"],
             "X-RateLimit-Reset": rate["reset"], "X-RateLimit-Used": rate["used"],
             "X-RateLimit-Resource": "core"}
        h.update(extra or {})
        inm = self.headers.get("If-None-Match")
        if inm:
            tags = [t.strip() for t in inm.split(",")]
            if "*" in tags or etag in [t[2:] if t.startswith("W/") else t for t in tags]:
                return Response(304, h)
        h["Content-Type"] = "application/json; charset=utf-8"
        return Response(200, h, data)

    def _list(self, repo, query, raw_query, authorized):
        def intarg(name, default):
            try:
                v = int(query.get(name, default))
            except ValueError:
                return default
            return v if v >= 1 else default
        per_page, page = min(intarg("per_page", 30), 100), intarg("page", 1)
        rels = repo.visible(authorized)
        last = max(1, -(-len(rels) // per_page))
        body = rels[(page - 1) * per_page:page * per_page]
        extra = {}
        if last > 1:
            params = [(k, v) for k, v in parse_qsl(raw_query) if k != "page"]
            base = "%s/repositories/%d/releases?" % (self.server.app.api, repo.id)

            def link(p, rel):
                return '<%s%s>; rel="%s"' % (base, urlencode(params + [("page", p)]), rel)
            links = []
            if page > 1:
                links.append(link(min(page - 1, last), "prev"))
            if page < last:
                links += [link(page + 1, "next"), link(last, "last")]
            if page > 1:
                links.append(link(1, "first"))
            extra["Link"] = ", ".join(links)
        return self._json_ok(body, extra)

    def _redirect_to_asset(self, repo, tag, name):
        app = self.server.app
        loc = "%s/dl/%s/%s/%s/%s?token=sig" % (app.download, quote(repo.owner), quote(repo.name),
                                               quote(tag, safe=""), quote(name, safe=""))
        return Response(302, {"Location": loc})

    def _web(self, control, parts):
        """github.com: release download redirects and tag pages."""
        if len(parts) >= 4 and parts[2] == "releases":
            repo = control.repo(unquote(parts[0]), unquote(parts[1]))
            if repo is not None and self._auth_ok(control, repo):
                if parts[3] == "download" and len(parts) >= 6:
                    tag, name = unquote("/".join(parts[4:-1])), unquote(parts[-1])
                    rel = repo.by_tag(tag)
                    if rel and any(a["name"] == name for a in rel["assets"]):
                        return self._redirect_to_asset(repo, tag, name)
                elif parts[3:] == ["latest"] and repo.latest():
                    tag = quote(repo.latest()["tag_name"], safe="")
                    return Response(302, {"Location": "%s/%s/releases/tag/%s" % (
                        self.server.app.server, repo.full_name, tag)})
                elif parts[3] == "tag" and len(parts) >= 5 and repo.by_tag(unquote("/".join(parts[4:]))):
                    return Response(200, {"Content-Type": "text/html; charset=utf-8"},
                                    b"<html><body>release page</body></html>\n")
        return Response(404, {"Content-Type": "text/plain; charset=utf-8"}, b"Not Found\n")

    def _download(self, control, parts):
        """The asset host: /dl/{o}/{r}/{tag}/{name}."""
        text = {"Content-Type": "application/xml"}
        if len(parts) != 5 or parts[0] != "dl":
            return Response(404, text, b"<Error><Code>NoSuchKey</Code></Error>\n")
        if "Authorization" in self.headers:
            return Response(400, text, b"<Error><Code>InvalidArgument</Code>"
                                       b"<Message>Only one auth mechanism allowed</Message></Error>\n")
        repo = control.repo(unquote(parts[1]), unquote(parts[2]))
        body = repo and repo.bodies.get((unquote(parts[3]), unquote(parts[4])))
        if body is None:
            return Response(404, text, b"<Error><Code>NoSuchKey</Code></Error>\n")
        h = {"Content-Type": "application/octet-stream", "Accept-Ranges": "bytes",
             "Content-Disposition": "attachment; filename=%s" % unquote(parts[4]),
             "ETag": '"%s"' % ghstore.digest_of(body)[7:39]}
        m = re.fullmatch(r"bytes=(\d*)-(\d*)", self.headers.get("Range", "").strip())
        if m and m.group(0) != "bytes=-":
            if m.group(1):
                start = int(m.group(1))
                end = min(int(m.group(2)) if m.group(2) else body.size - 1, body.size - 1)
            else:
                start, end = max(0, body.size - int(m.group(2))), body.size - 1
            if start >= body.size or start > end:
                h["Content-Range"] = "bytes */%d" % body.size
                return Response(416, h)
            h["Content-Range"] = "bytes %d-%d/%d" % (start, end, body.size)
            return Response(206, h, body, start, end - start + 1)
        return Response(200, h, body)


class TLSServer(loopserver.LoopbackServer):
    def __init__(self, addr, ctx, kind, app):
        self.kind, self.app = kind, app
        super().__init__(addr, Handler, ctx)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--port-file", required=True)
    p.add_argument("--control-file")
    p.add_argument("--log")
    p.add_argument("--api-prefix", default="/api/v3")
    p.add_argument("--forge-tool", help="sw_forge_bundle: sign the attested fixture releases")
    p.add_argument("--sigstore-dir", help="where the signed bundles go (default: next to the port file)")
    p.add_argument("--fixtures", default=os.environ.get("SW_TEST_FIXTURES_RELEASES") or
                   os.path.join(HERE, "..", "fixtures", "releases"))
    args = p.parse_args(argv)

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)
    ctx.set_alpn_protocols(["http/1.1"])
    try:
        app = App(args)
    except (ValueError, OSError) as e:
        print("ghserver: %s" % e, file=sys.stderr)
        return 2
    api = TLSServer(("127.0.0.1", 0), ctx, "api", app)
    try:
        dl = TLSServer(("127.0.0.2", 0), ctx, "download", app)
    except OSError as e:
        print("ghserver: cannot bind 127.0.0.2 (%s); using 127.0.0.1" % e, file=sys.stderr)
        dl = TLSServer(("127.0.0.1", 0), ctx, "download", app)
    app.server = "https://%s:%d" % api.server_address[:2]
    app.api = app.server + app.api_prefix
    app.download = "https://%s:%d" % dl.server_address[:2]

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *a: STOP.set())
    threads = [threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
               for s in (api, dl)]
    for t in threads:
        t.start()
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        json.dump({"api": app.api, "server": app.server, "download": app.download,
                   "trusted_root": app.trusted_root}, f)
    os.replace(tmp, args.port_file)
    while not STOP.wait(0.5):
        pass
    for s in (api, dl):
        s.shutdown()
        s.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
