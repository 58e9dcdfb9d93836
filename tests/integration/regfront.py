#!/usr/bin/env python3
"""Loopback servers around a test registry: the blob host it redirects to, or a fault proxy.

    python3 regfront.py --root DIR     --port-file F --log L [--control-file J] [--cert C --key K] [--addr A]
    python3 regfront.py --upstream URL --port-file F --log L [--control-file J] [--cert C --key K] [--ca CA]

``--root`` (blob host, default --addr 127.0.0.2; plays S3 or a CDN): distribution v2.8 with
the ``redirect`` storage middleware (``baseurl`` = this host) answers ``GET|HEAD
/v2/<name>/blobs/<digest>`` with ``307 Location: <baseurl>/docker/registry/v2/blobs/sha256/
<2 hex>/<hex>/data``, the storage path. This serves that file from DIR (the registry's
filesystem ``rootdirectory``) with ``Accept-Ranges`` and single ``Range: bytes=a-b`` (206).
Like a pre-signed S3 URL, a request carrying ``Authorization`` gets 400 (S3's XML error);
paths outside ``/docker/registry/v2/blobs/`` get 404.

``--upstream`` (fault proxy, default --addr 127.0.0.1): forwards every request, Host header
included (so the registry's upload Locations point back here), to the registry at URL
(a loopback URL, TLS checked against --ca), and relays the answer.

Fault rules come from --control-file (JSON ``{"rules": [...], "rules_id": N}``), re-read on
every request; the first rule whose ``match`` regex is found in the raw request target (and
``method``, when given) with ``times`` left (default unlimited, counted per ``rules_id``)
applies its ``action``: ``{"status": N, "body": str}`` (answered here, not forwarded),
``{"corrupt": true}`` (same length, byte at length//2 XOR 0xFF), ``{"replace_b64": "..."}``
(those bytes instead), ``{"truncate_after": B}`` (real Content-Length, B bytes, close),
``{"reset_after": B}`` (B bytes, then a connection reset), ``{"stall_after": B, "stall_seconds": S}``
(B bytes, S seconds of silence, then close),
``{"delay": S}``, ``{"throttle_bps": N}`` (the body at N bytes a second, like a link with that
per-connection throughput); any action may add ``"headers": {...}`` (e.g. a wrong Docker-Content-Digest).

Each request is one JSON line in --log before the body is sent: ``{"method", "path",
"headers", "authorization": bool, "status", "fault"}``. SIGTERM/SIGINT stop it.
"""

import argparse
import base64
import http.client
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
from http.server import BaseHTTPRequestHandler
from urllib.parse import unquote, urlsplit

import loopserver

STOP = threading.Event()
PREFIX = "/docker/registry/v2/blobs/"
XML = {"Content-Type": "application/xml"}
S3_AUTH_ERROR = (b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>InvalidArgument</Code>"
                 b"<Message>Only one auth mechanism allowed; only the X-Amz-Algorithm query "
                 b"parameter, Signature query string parameter or the Authorization header "
                 b"should be specified</Message></Error>\n")
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
              "proxy-authorization", "proxy-authenticate", "content-length"}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "regfront"
    sys_version = ""

    def setup(self):
        self.request.settimeout(10)
        if isinstance(self.request, ssl.SSLSocket):
            self.request.do_handshake()  # here, not in the accept loop
        super().setup()

    def log_message(self, *args):
        pass

    def do_GET(self):
        self._serve()

    do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def _serve(self):
        app, head = self.server.app, self.command == "HEAD"
        body_in = self._read_body()
        idx, action = app.match_rule(self.command, self.path)
        if action.get("delay"):
            STOP.wait(action["delay"])
        if app.upstream and not head and set(action) == {"throttle_bps"}:
            return self._forward_paced(body_in, idx, int(action["throttle_bps"]))
        try:
            if "status" in action:
                status, headers = action["status"], dict(XML)
                data = action.get("body", "<Error><Code>InjectedFault</Code></Error>\n").encode()
            elif app.upstream:
                status, headers, data = self._forward(body_in)
            else:
                status, headers, data = self._blob()
        except OSError as e:
            status, headers, data = 502, {"Content-Type": "text/plain"}, ("regfront: %s\n" % e).encode()
        if "replace_b64" in action:
            data = base64.b64decode(action["replace_b64"])
            headers.pop("Content-Length", None)
        headers.update(action.get("headers", {}))
        app.write_log({"method": self.command, "path": self.path, "headers": dict(self.headers.items()),
                       "authorization": "Authorization" in self.headers, "status": status, "fault": idx})
        self.send_response(status)
        length = headers.pop("Content-Length", None) if head else None
        for k, v in headers.items():
            self.send_header(k, str(v))
        self.send_header("Content-Length", length or str(len(data)))
        self.end_headers()
        if head:
            return
        if action.get("corrupt") and data:
            data = bytearray(data)
            data[len(data) // 2] ^= 0xFF
        for key in ("truncate_after", "reset_after", "stall_after"):
            if key in action:
                data = data[:max(0, int(action[key]))]
                self.close_connection = True
        if "reset_after" in action or "stall_after" in action:
            self.wfile.write(bytes(data))
            self.wfile.flush()
            if "stall_after" in action:
                STOP.wait(action.get("stall_seconds", 0))
            else:  # SO_LINGER 0: the client sees a connection reset
                time.sleep(0.05)
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
            self.connection.close()
            return
        bps = int(action.get("throttle_bps") or 0)
        if bps <= 0:
            self.wfile.write(bytes(data))
            return
        # a link of bps bytes a second for this connection, in 256 KiB steps
        view, step, start = memoryview(bytes(data)), 262144, time.monotonic()
        for off in range(0, len(view), step):
            self.wfile.write(view[off:off + step])
            lag = start + (off + step) / bps - time.monotonic()
            if lag > 0:
                STOP.wait(lag)

    def _read_body(self):
        if "chunked" not in self.headers.get("Transfer-Encoding", "").lower():
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))
        out = b""
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return out
            out += self.rfile.read(size)
            self.rfile.readline()

    def _forward_paced(self, body, idx, bps):
        """Relay to the upstream registry as the bytes arrive, at bps bytes a second."""
        app = self.server.app
        u = urlsplit(app.upstream)
        conn = (http.client.HTTPSConnection(u.hostname, u.port, timeout=30, context=app.upstream_ctx)
                if u.scheme == "https" else http.client.HTTPConnection(u.hostname, u.port, timeout=30))
        try:
            hdrs = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            if body or self.command in ("POST", "PUT", "PATCH"):
                hdrs["Content-Length"] = str(len(body))
            conn.request(self.command, self.path, body=body or None, headers=hdrs)
            resp = conn.getresponse()
            app.write_log({"method": self.command, "path": self.path,
                           "headers": dict(self.headers.items()),
                           "authorization": "Authorization" in self.headers,
                           "status": resp.status, "fault": idx})
            self.send_response(resp.status)
            for k, v in resp.getheaders():
                if k.lower() not in HOP_BY_HOP:
                    self.send_header(k, v)
            if resp.getheader("Content-Length") is not None:
                self.send_header("Content-Length", resp.getheader("Content-Length"))
            else:
                self.close_connection = True
            self.end_headers()
            start, sent = time.monotonic(), 0
            while True:
                chunk = resp.read(262144)
                if not chunk:
                    break
                self.wfile.write(chunk)
                sent += len(chunk)
                lag = start + sent / bps - time.monotonic() if bps > 0 else 0
                if lag > 0:
                    STOP.wait(lag)
        finally:
            conn.close()

    def _forward(self, body):
        """Relay to the upstream registry; returns (status, headers, body)."""
        app = self.server.app
        u = urlsplit(app.upstream)
        if u.scheme == "https":
            conn = http.client.HTTPSConnection(u.hostname, u.port, timeout=30, context=app.upstream_ctx)
        else:
            conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
        try:
            hdrs = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            if body or self.command in ("POST", "PUT", "PATCH"):
                hdrs["Content-Length"] = str(len(body))
            conn.request(self.command, self.path, body=body or None, headers=hdrs)
            resp = conn.getresponse()
            data = resp.read()
            headers = {k: v for k, v in resp.getheaders() if k.lower() not in HOP_BY_HOP}
            if self.command == "HEAD" and resp.getheader("Content-Length"):
                headers["Content-Length"] = resp.getheader("Content-Length")
            return resp.status, headers, data
        finally:
            conn.close()

    def _blob(self):
        """Serve a registry storage file, S3-style; returns (status, headers, body)."""
        if "Authorization" in self.headers:
            return 400, dict(XML), S3_AUTH_ERROR
        path = unquote(urlsplit(self.path).path)
        if not path.startswith(PREFIX) or "/../" in path or not path.endswith("/data"):
            return 404, dict(XML), b"<Error><Code>NoSuchKey</Code></Error>\n"
        try:
            with open(os.path.join(self.server.app.root, path.lstrip("/")), "rb") as f:
                body = f.read()
        except OSError:
            return 404, dict(XML), b"<Error><Code>NoSuchKey</Code></Error>\n"
        h = {"Content-Type": "application/octet-stream", "Accept-Ranges": "bytes",
             "ETag": '"%s"' % path.split("/")[-2][:32]}
        m = re.fullmatch(r"bytes=(\d*)-(\d*)", self.headers.get("Range", "").strip())
        if m and m.group(0) != "bytes=-":
            if m.group(1):
                start = int(m.group(1))
                end = min(int(m.group(2)) if m.group(2) else len(body) - 1, len(body) - 1)
            else:
                start, end = max(0, len(body) - int(m.group(2))), len(body) - 1
            if start >= len(body) or start > end:
                h["Content-Range"] = "bytes */%d" % len(body)
                return 416, h, b""
            h["Content-Range"] = "bytes %d-%d/%d" % (start, end, len(body))
            return 206, h, body[start:end + 1]
        return 200, h, body


class App:
    def __init__(self, args):
        self.root, self.upstream, self.control_file = args.root, args.upstream, args.control_file
        self.upstream_ctx = ssl.create_default_context(cafile=args.ca) if args.upstream else None
        self.log = open(args.log, "a")
        self.lock = threading.Lock()
        self.counters = {}

    def match_rule(self, method, target):
        """(index, action) of the first applicable fault rule, counting its use; (None, {})."""
        control = {}
        if self.control_file:
            try:
                with open(self.control_file) as f:
                    control = json.load(f)
            except FileNotFoundError:
                pass
        with self.lock:
            for i, rule in enumerate(control.get("rules", [])):
                if rule.get("method") and rule["method"].upper() != method:
                    continue
                if not re.search(rule.get("match", ""), target):
                    continue
                key = (control.get("rules_id"), i, json.dumps(rule, sort_keys=True))
                used = self.counters.get(key, 0)
                if rule.get("times") is not None and used >= rule["times"]:
                    continue
                self.counters[key] = used + 1
                return i, rule.get("action", {})
        return None, {}

    def write_log(self, entry):
        with self.lock:
            self.log.write(json.dumps(entry) + "\n")
            self.log.flush()


class Server(loopserver.LoopbackServer):
    def __init__(self, addr, app, ctx):
        self.app = app
        super().__init__(addr, Handler, ctx)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    role = p.add_mutually_exclusive_group(required=True)
    role.add_argument("--root")
    role.add_argument("--upstream")
    for opt in ("--port-file", "--log"):
        p.add_argument(opt, required=True)
    for opt in ("--control-file", "--cert", "--key", "--ca", "--addr"):
        p.add_argument(opt)
    args = p.parse_args(argv)
    args.addr = args.addr or ("127.0.0.2" if args.root else "127.0.0.1")
    if not args.addr.startswith("127.") or (args.upstream and not
                                            urlsplit(args.upstream).hostname.startswith("127.")):
        p.error("only loopback addresses")
    ctx = None
    if args.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.cert, args.key)
    try:
        server = Server((args.addr, 0), App(args), ctx)
    except OSError as e:
        print("regfront: cannot bind %s (%s); using 127.0.0.1" % (args.addr, e), file=sys.stderr)
        args.addr = "127.0.0.1"
        server = Server((args.addr, 0), App(args), ctx)
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *a: STOP.set())
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
    url = "%s://%s:%d" % ("https" if ctx else "http", args.addr, server.server_address[1])
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        json.dump({"url": url}, f)
    os.replace(tmp, args.port_file)
    while not STOP.wait(0.5):
        pass
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
