#!/usr/bin/env python3
"""A Docker registry Bearer token server (the "token" auth of distribution v2.8) for tests.

    python3 tokenserver.py --policy P --sign-key K --sign-cert C --port-file F --log L
                           [--cert TLS_CERT --key TLS_KEY] [--addr 127.0.0.1]

Route: ``GET /token?service=S&scope=repository:NAME:pull[,push]`` (``scope`` may repeat, or
be absent as for the ``/v2/`` ping), optionally with ``Authorization: Basic``. Answers
``{"token": JWT, "access_token": JWT, "expires_in": 300, "issued_at": ...}``:

* no credentials: ``pull`` (only) on repositories matching a ``public`` pattern;
* good credentials: what the user's ``grants`` allow (plus ``pull`` on public ones);
  actions not allowed are silently dropped, as Docker's token servers do;
* bad credentials -> 401; ``service`` missing or not the policy's -> 400; other paths -> 404.

The policy file (JSON, re-read on every request so tests can change it) holds::

    {"service": "...", "issuer": "...", "users": {"alice": "pw"},
     "public": ["public/*"],                       # fnmatch patterns of repository names
     "grants": {"alice": {"*": ["pull", "push"]}},  # pattern -> actions
     "fault": {"status": 500, "times": 1},          # optional: answer that instead (N times)
     "expires_in": 300,                             # optional: token lifetime (exp - iat)
     "response_keys": ["token", "access_token"]}    # optional: which keys carry the JWT

The JWT is ES256 (P-256 key, signed by the ``openssl`` CLI, DER signature converted to
JOSE r||s) with header ``{"typ": "JWT", "alg": "ES256", "x5c": [base64 DER of --sign-cert]}``;
distribution checks x5c against its ``rootcertbundle``, then ``iss``, ``aud`` (= service),
``exp``/``nbf`` (60 s leeway) and the ``access`` claim
``[{"type": "repository", "name": NAME, "actions": [...]}]``.

Every request is one JSON line in --log (flushed before answering): ``{"method", "path",
"service", "scopes": [raw scope strings], "credentials": bool, "user", "status",
"access": [granted claims]}``. SIGTERM/SIGINT stop it. Only loopback addresses are bound.
"""

import argparse
import base64
import fnmatch
import json
import os
import signal
import ssl
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

import loopserver

STOP = threading.Event()
TOKEN_LIFETIME = 300


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def der_ecdsa_to_jose(der, size=32):
    """DER ``SEQUENCE { INTEGER r, INTEGER s }`` -> fixed-width ``r || s`` (RFC 7518 3.4)."""
    def read_len(buf, i):
        n = buf[i]
        if n < 0x80:
            return n, i + 1
        k = n & 0x7F
        return int.from_bytes(buf[i + 1:i + 1 + k], "big"), i + 1 + k
    if der[0] != 0x30:
        raise ValueError("not a DER sequence")
    _, i = read_len(der, 1)
    out = b""
    for _ in range(2):
        if der[i] != 0x02:
            raise ValueError("not a DER integer")
        n, i = read_len(der, i + 1)
        out += int.from_bytes(der[i:i + n], "big").to_bytes(size, "big")
        i += n
    return out


def pem_to_der_b64(pem_path):
    """The first certificate of a PEM file as standard base64 of its DER (the x5c form)."""
    with open(pem_path) as f:
        lines = f.read().split("-----BEGIN CERTIFICATE-----", 1)[1].split("-----END", 1)[0]
    return "".join(lines.split())


def sign_jwt(claims, key_path, cert_path):
    """An ES256 JWT over ``claims`` signed with ``key_path`` (PEM), x5c = ``cert_path``."""
    header = {"typ": "JWT", "alg": "ES256", "x5c": [pem_to_der_b64(cert_path)]}
    signing_input = (b64url(json.dumps(header, separators=(",", ":")).encode()) + "." +
                     b64url(json.dumps(claims, separators=(",", ":")).encode()))
    r = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key_path], input=signing_input.encode(),
                       capture_output=True, check=True)
    return signing_input + "." + b64url(der_ecdsa_to_jose(r.stdout))


def parse_scope(scope):
    """``type[(class)]:name:actions`` -> (type, name, [actions]); None when malformed."""
    typ, sep, rest = scope.partition(":")
    name, sep2, actions = rest.rpartition(":")
    if not sep or not sep2 or not name:
        return None
    return typ.split("(")[0], name, [a for a in actions.split(",") if a]


def allowed_actions(policy, user, name):
    """Actions ``user`` (None: anonymous) may do on repository ``name``."""
    acts = set()
    if any(fnmatch.fnmatchcase(name, p) for p in policy.get("public", [])):
        acts.add("pull")
    if user is not None:
        for pattern, granted in policy.get("grants", {}).get(user, {}).items():
            if fnmatch.fnmatchcase(name, pattern):
                acts.update(granted)
    return acts


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "tokenserver"
    sys_version = ""

    def setup(self):
        self.request.settimeout(10)
        if isinstance(self.request, ssl.SSLSocket):
            self.request.do_handshake()  # here, not in the accept loop
        super().setup()

    def log_message(self, *args):
        pass

    def do_POST(self):  # OAuth2 POST form is not supported: clients fall back to GET on 404/405
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(n)
        self._reply(405, {"errors": [{"code": "UNSUPPORTED", "message": "use GET"}]}, {})

    def do_GET(self):
        app = self.server.app
        url = urlsplit(self.path)
        q = parse_qs(url.query)
        scopes = [s for v in q.get("scope", []) for s in v.split(" ") if s]
        entry = {"method": "GET", "path": self.path, "service": (q.get("service") or [None])[0],
                 "scopes": scopes, "credentials": "Authorization" in self.headers, "user": None,
                 "account": (q.get("account") or [None])[0], "access": []}
        try:
            policy = app.policy()
            status, body, extra = self._answer(policy, url.path, entry)
        except Exception as e:  # a server bug or a broken policy: say so loudly
            print("tokenserver: %s: %s" % (type(e).__name__, e), file=sys.stderr, flush=True)
            status, body, extra = 500, {"errors": [{"code": "UNKNOWN", "message": str(e)}]}, {}
        entry["status"] = status
        app.write_log(entry)
        self._reply(status, body, extra)

    def _answer(self, policy, path, entry):
        app = self.server.app
        fault = policy.get("fault")
        if fault and app.take_fault(fault):
            return fault.get("status", 500), fault.get("body", {"errors": [{"code": "UNAVAILABLE"}]}), {}
        if path.rstrip("/") != "/token":
            return 404, {"errors": [{"code": "NOT_FOUND"}]}, {}
        if entry["service"] != policy["service"]:
            return 400, {"errors": [{"code": "INVALID_REQUEST", "message": "unknown service"}]}, {}
        user = None
        auth = self.headers.get("Authorization")
        if auth is not None:
            try:
                kind, _, cred = auth.partition(" ")
                name, _, pw = base64.b64decode(cred.strip(), validate=True).decode().partition(":")
                ok = kind.lower() == "basic" and policy.get("users", {}).get(name) == pw
            except (ValueError, UnicodeDecodeError):
                ok = False
            if not ok:
                return 401, {"details": "incorrect username or password"}, {
                    "WWW-Authenticate": 'Basic realm="tokenserver"'}
            user = entry["user"] = name
        access = []
        for scope in entry["scopes"]:
            parsed = parse_scope(scope)
            if parsed is None:
                return 400, {"errors": [{"code": "INVALID_REQUEST", "message": "bad scope " + scope}]}, {}
            typ, name, wanted = parsed
            if typ != "repository":
                continue
            granted = [a for a in wanted if a in allowed_actions(policy, user, name)]
            if granted:
                access.append({"type": "repository", "name": name, "actions": granted})
        entry["access"] = access
        now = int(time.time())
        lifetime = int(policy.get("expires_in", TOKEN_LIFETIME))
        claims = {"iss": policy["issuer"], "sub": user or "", "aud": policy["service"],
                  "exp": now + lifetime, "nbf": now - 5, "iat": now,
                  "jti": uuid.uuid4().hex, "access": access}
        token = sign_jwt(claims, app.sign_key, app.sign_cert)
        body = {k: token for k in policy.get("response_keys", ["token", "access_token"])}
        body.update(expires_in=lifetime, issued_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now)))
        return 200, body, {}

    def _reply(self, status, body, extra):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in extra.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)


class App:
    def __init__(self, args):
        self.policy_path, self.sign_key, self.sign_cert = args.policy, args.sign_key, args.sign_cert
        self.log = open(args.log, "a")
        self.lock = threading.Lock()
        self.fault_uses = {}

    def policy(self):
        with open(self.policy_path) as f:
            return json.load(f)

    def take_fault(self, fault):
        """True when ``fault`` still applies (counts uses per distinct fault object)."""
        key = json.dumps(fault, sort_keys=True)
        with self.lock:
            used = self.fault_uses.get(key, 0)
            if fault.get("times") is not None and used >= fault["times"]:
                return False
            self.fault_uses[key] = used + 1
            return True

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
    for opt in ("--policy", "--sign-key", "--sign-cert", "--port-file", "--log"):
        p.add_argument(opt, required=True)
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--addr", default="127.0.0.1")
    args = p.parse_args(argv)
    if not args.addr.startswith("127."):
        p.error("only loopback addresses")
    ctx = None
    if args.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.cert, args.key)
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
