"""A real OCI registry on loopback for plugin-pull tests: Debian's ``docker-registry``
(distribution v2.8) with its own config, plus its helpers (token server, blob host).

Typical use::

    import swregistry

    with swregistry.Registry("tls_token") as reg:     # or "plain", "tls_basic"
        pushed = swregistry.push_artifact(reg, "public/hello", "0.1.0", wasm_bytes)
        ref = reg.reference("public/hello", "0.1.0")   # "127.0.0.1:PORT/public/hello:0.1.0"
        env = dict(reg.client_env())                   # SSL_CERT_FILE for the TLS modes
        ...
        assert reg.token_requests()[-1]["scopes"] == ["repository:public/hello:pull"]

Modes: ``plain`` (HTTP, anonymous, anyone may push), ``tls_basic`` (HTTPS + htpasswd Basic:
every request needs credentials), ``tls_token`` (HTTPS + Bearer tokens from tokenserver.py;
anonymous pull of ``public`` repositories). ``blob_redirect=True`` adds the ``redirect``
storage middleware so blob GET/HEAD answer 307 to regfront.py's blob host on 127.0.0.2,
which serves the bytes and rejects ``Authorization`` with 400 (as S3 pre-signed URLs do).
``front=True`` puts regfront.py's fault proxy in front of the registry: ``host``/``url``
are then the proxy's, every request is logged with its headers (``front_requests()``) and
``set_front_faults`` can break answers (wrong Docker-Content-Digest, corrupt manifest, 5xx).

Pushes and pulls from Python: ``push_blob``, ``push_artifact``, ``push_raw_manifest``,
``pull_manifest``, ``pull_blob``, or ``Client`` for anything else (all do the
401 -> Basic / Bearer token dance; from ociclient.py). Docker client config:
``docker_config``, ``fake_credential_helper``, ``helper_calls`` (from dockercreds.py).
Only loopback addresses are ever contacted.
"""

import json
import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import unittest
from urllib.parse import urlsplit

import swtest
from dockercreds import docker_config, fake_credential_helper, helper_calls
from ociclient import (DEFAULT, DOCKER_LIST, DOCKER_MANIFEST, MANIFEST_ACCEPT,
                       OCI_INDEX, OCI_MANIFEST, WASM_CONFIG, WASM_LAYER, Client, Reply,
                       RegistryError, descriptor, http_request, parse_challenge, pull_blob,
                       pull_manifest, push_artifact, push_blob, push_raw_manifest, sha256_digest)

__all__ = ["Registry", "MODES", "require_registry", "free_port", "docker_config", "fake_credential_helper",
           "helper_calls", "DEFAULT", "DOCKER_LIST", "DOCKER_MANIFEST", "MANIFEST_ACCEPT", "OCI_INDEX",
           "OCI_MANIFEST", "WASM_CONFIG", "WASM_LAYER", "Client", "Reply", "RegistryError", "descriptor",
           "http_request", "parse_challenge", "pull_blob", "pull_manifest", "push_artifact", "push_blob",
           "push_raw_manifest", "sha256_digest"]

HERE = os.path.dirname(os.path.abspath(__file__))
REGISTRY_BIN = os.environ.get("SW_DOCKER_REGISTRY") or "docker-registry"
MODES = ("plain", "tls_basic", "tls_token")


def require_registry(mode="plain"):
    """Raise unittest.SkipTest unless docker-registry (and htpasswd for tls_basic) are installed."""
    missing = [b for b in (REGISTRY_BIN, "openssl") + (("htpasswd",) if mode == "tls_basic" else ())
               if shutil.which(b) is None]
    if missing:
        raise unittest.SkipTest("not installed: %s (apt-get install docker-registry apache2-utils)"
                                % ", ".join(missing))


def free_port(addr="127.0.0.1"):
    """A port that was free on ``addr`` a moment ago (bind 0, read, close)."""
    with socket.socket() as s:
        s.bind((addr, 0))
        return s.getsockname()[1]


def _stop(proc, grace=5):
    """SIGTERM the process by its pid, then SIGKILL after ``grace`` seconds."""
    if proc is not None and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _read(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode(errors="replace")
    except OSError:
        return ""


def _jsonl(path):
    return [json.loads(line) for line in _read(path).split("\n") if line.strip()]


def _write_json(path, obj):
    with open(path + ".tmp", "w") as f:
        json.dump(obj, f, indent=2)
    os.replace(path + ".tmp", path)


class Registry(swtest.Service):
    """``docker-registry serve`` with a generated config in a temp dir, as a context manager.

    ``Registry(mode="plain", tmpdir=None, certs=None, users=None, grants=None,
    public=("public/*",), blob_redirect=False, front=False)``; ``users`` maps user -> password
    (default one random user), ``grants`` maps user -> {repo pattern: [actions]} for the
    token server (default every user gets ``{"*": ["pull", "push", "delete"]}``).

    Attributes after ``__enter__``: ``mode``, ``host`` ("127.0.0.1:PORT"), ``url``
    (scheme://host) -- the front proxy's when ``front`` --, ``registry_host``/``registry_url``
    (the registry's own listener), ``ca`` (CA PEM, None in plain mode), ``certs``, ``username``,
    ``password`` (the first user; None in plain mode), ``users``, ``log`` (registry
    stderr), ``access_log`` (stdout: combined-format access log), ``config_path``,
    ``data_dir`` (filesystem storage root), ``tmpdir``, ``pid``, ``service``, ``issuer``,
    ``token_url``/``token_log`` (tls_token), ``blob_url``/``blob_log`` (blob_redirect),
    ``front_log`` (front).
    """

    service = "setup-wash-test-registry"
    issuer = "setup-wash-test-token-issuer"

    def __init__(self, mode="plain", tmpdir=None, certs=None, users=None, grants=None,
                 public=("public/*",), blob_redirect=False, front=False):
        if mode not in MODES:
            raise ValueError("mode must be one of %s" % (MODES,))
        self.mode, self.certs, self.blob_redirect, self.front = mode, certs, blob_redirect, front
        self._own_tmp = tmpdir is None
        self.tmpdir = tmpdir or tempfile.mkdtemp(prefix="registry-")
        self.users = dict(users) if users else ({} if mode == "plain" else {"swtest": secrets.token_hex(8)})
        self.username, self.password = next(iter(self.users.items()), (None, None))
        self.policy = {"service": self.service, "issuer": self.issuer, "users": self.users,
                       "public": list(public),
                       "grants": grants if grants is not None else
                       {u: {"*": ["pull", "push", "delete"]} for u in self.users}}
        self.tls = mode != "plain"
        self.ca = self.token_url = self.token_log = self.blob_url = self.blob_log = self.front_log = None
        self.proc, self._helpers, self._files = None, [], []
        self.data_dir = os.path.join(self.tmpdir, "data")
        self.config_path = os.path.join(self.tmpdir, "config.yml")
        self.log = os.path.join(self.tmpdir, "registry.log")
        self.access_log = os.path.join(self.tmpdir, "access.log")
        self.policy_path = os.path.join(self.tmpdir, "token-policy.json")
        self.blob_control = os.path.join(self.tmpdir, "blob-control.json")
        self.front_control = os.path.join(self.tmpdir, "front-control.json")

    # -- lifecycle -------------------------------------------------------------

    def start(self):
        require_registry(self.mode)
        os.makedirs(self.data_dir, exist_ok=True)
        if self.tls:
            if self.certs is None:
                self.certs = swtest.make_ca(os.path.join(self.tmpdir, "certs"))
            self.ca = self.certs.ca
        tls_args = ["--cert", self.certs.cert, "--key", self.certs.key] if self.tls else []
        config = self._config()
        if self.mode == "tls_basic":
            config["auth"] = {"htpasswd": {"realm": "setup-wash-test", "path": self._htpasswd()}}
        elif self.mode == "tls_token":
            key, cert = self._token_signer()
            _write_json(self.policy_path, self.policy)
            self.token_log = os.path.join(self.tmpdir, "token.jsonl")
            self.token_url = self._helper("tokenserver.py", tls_args + [
                "--policy", self.policy_path, "--sign-key", key, "--sign-cert", cert,
                "--log", self.token_log])
            config["auth"] = {"token": {"realm": self.token_url + "/token", "service": self.service,
                                        "issuer": self.issuer, "rootcertbundle": cert}}
        if self.blob_redirect:
            _write_json(self.blob_control, {"rules": [], "rules_id": 0})
            self.blob_log = os.path.join(self.tmpdir, "blob.jsonl")
            self.blob_url = self._helper("regfront.py", tls_args + [
                "--root", self.data_dir, "--control-file", self.blob_control, "--log", self.blob_log])
            config["middleware"] = {"storage": [{"name": "redirect",
                                                 "options": {"baseurl": self.blob_url}}]}
        with open(self.config_path, "w") as f:  # JSON is YAML: no PyYAML needed
            json.dump(config, f, indent=2)
        self._launch()
        if self.front:
            _write_json(self.front_control, {"rules": [], "rules_id": 0})
            self.front_log = os.path.join(self.tmpdir, "front.jsonl")
            self.url = self._helper("regfront.py", tls_args + (["--ca", self.ca] if self.ca else []) + [
                "--upstream", self.registry_url, "--control-file", self.front_control,
                "--log", self.front_log])
            self.host = urlsplit(self.url).netloc

    def _config(self):
        port = free_port()
        self.host = self.registry_host = "127.0.0.1:%d" % port
        self.url = self.registry_url = ("https://" if self.tls else "http://") + self.host
        http_cfg = {"addr": self.host, "secret": secrets.token_hex(16), "relativeurls": False,
                    "headers": {"X-Content-Type-Options": ["nosniff"]}}
        if self.tls:
            http_cfg["tls"] = {"certificate": self.certs.cert, "key": self.certs.key}
        return {"version": "0.1",
                "log": {"level": "warn", "formatter": "text", "accesslog": {"disabled": False}},
                "storage": {"filesystem": {"rootdirectory": self.data_dir},
                            "delete": {"enabled": True}, "redirect": {"disable": False},
                            "maintenance": {"uploadpurging": {"enabled": False}}},
                "http": http_cfg,
                "health": {"storagedriver": {"enabled": False}}}

    def _htpasswd(self):
        path = os.path.join(self.tmpdir, "htpasswd")
        with open(path, "w") as f:
            for user, pw in self.users.items():
                r = subprocess.run(["htpasswd", "-Bbn", user, pw], capture_output=True, text=True, check=True)
                f.write(r.stdout.strip() + "\n")
        return path

    def _token_signer(self):
        """A self-signed P-256 cert + key: x5c of every token, and the registry's rootcertbundle."""
        d = os.path.join(self.tmpdir, "token-signer")
        os.makedirs(d, exist_ok=True)
        key, cert = os.path.join(d, "signer.key"), os.path.join(d, "signer.pem")
        subprocess.run(["openssl", "req", "-x509", "-new", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", cert,
                        "-days", "30", "-subj", "/CN=setup-wash test token signer", "-sha256"],
                       capture_output=True, check=True)
        return key, cert

    def _helper(self, script, args):
        """Start a helper script; return the URL it wrote to its port file."""
        stem = os.path.splitext(script)[0] + ("-blob" if "--root" in args else "")
        port_file = os.path.join(self.tmpdir, stem + ".port")
        err_path = os.path.join(self.tmpdir, stem + ".stderr")
        err = open(err_path, "ab")
        self._files.append(err)
        proc = subprocess.Popen([sys.executable, os.path.join(HERE, script), "--port-file", port_file]
                                + args, stdin=subprocess.DEVNULL, stdout=err, stderr=err)
        self._helpers.append(proc)
        deadline = time.monotonic() + 10
        while not os.path.exists(port_file):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("%s did not start (rc %s): %s" % (script, proc.poll(), _read(err_path)))
            time.sleep(0.02)
        with open(port_file) as f:
            return json.load(f)["url"]

    def _launch(self):
        out, err = open(self.access_log, "ab"), open(self.log, "ab")  # O_APPEND: logs may be truncated
        self._files += [out, err]
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": self.tmpdir}  # no REGISTRY_*
        self.proc = subprocess.Popen([REGISTRY_BIN, "serve", self.config_path], stdin=subprocess.DEVNULL,
                                     stdout=out, stderr=err, env=env, cwd=self.tmpdir)
        self.pid = self.proc.pid
        deadline = time.monotonic() + 15
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError("docker-registry exited with %s: %s" % (self.proc.returncode, _read(self.log)))
            try:
                if http_request("GET", self.registry_url + "/v2/", ca=self.ca, timeout=2).status in (200, 401):
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("docker-registry did not answer /v2/ within 15 s: %s" % _read(self.log))
            time.sleep(0.05)

    def stop(self):
        """Stop the registry, then its helpers (each by pid: SIGTERM, 5 s, SIGKILL); drop an owned temp dir."""
        for proc in [self.proc] + self._helpers:
            _stop(proc)
        self.proc, self._helpers = None, []
        for f in self._files:
            f.close()
        self._files = []
        if self._own_tmp:
            shutil.rmtree(self.tmpdir, True)

    # -- for tests -----------------------------------------------------------------

    def reference(self, repository, tag=None, digest=None):
        """``host/repository[:tag][@digest]``."""
        return self.host + "/" + repository + (":" + tag if tag else "") + ("@" + digest if digest else "")

    def client_env(self):
        """Environment for the CLI to trust this registry: SSL_CERT_FILE in the TLS modes."""
        return {"SSL_CERT_FILE": self.ca} if self.ca else {}

    def ssl_context(self):
        return ssl.create_default_context(cafile=self.ca) if self.ca else None

    def stderr(self):
        """What the registry logged so far (level warn and above)."""
        return _read(self.log)

    def requests(self):
        """The registry's access log so far: dicts ``method``, ``path``, ``status``, ``user``.

        Lines are written when a handler returns, so one may lag its response by a moment.
        """
        out = []
        for line in _read(self.access_log).split("\n"):
            m = re.match(r'\S+ \S+ (\S+) \[[^\]]*\] "(\S+) (\S+) [^"]*" (\d+)', line)
            if m:
                out.append({"user": m.group(1), "method": m.group(2), "path": m.group(3),
                            "status": int(m.group(4))})
        return out

    def clear_requests(self):
        open(self.access_log, "w").close()  # the registry's stdout was opened O_APPEND

    def token_requests(self):
        """The token server's log (see tokenserver.py), oldest first; [] unless tls_token."""
        return _jsonl(self.token_log) if self.token_log else []

    def clear_token_log(self):
        if self.token_log:
            open(self.token_log, "w").close()

    def set_token_policy(self, **changes):
        """Change token-server policy keys (users, public, grants, fault); read on the next request.

        Token mode only: htpasswd users (tls_basic) are fixed when the registry starts."""
        self.policy.update(changes)
        _write_json(self.policy_path, self.policy)

    def blob_requests(self):
        """The blob host's log (see regfront.py); [] unless blob_redirect."""
        return _jsonl(self.blob_log) if self.blob_log else []

    def clear_blob_log(self):
        if self.blob_log:
            open(self.blob_log, "w").close()

    def set_blob_faults(self, rules):
        """Replace the blob host's fault rules (see regfront.py); use counters restart."""
        _set_rules(self.blob_control, rules)

    def front_requests(self):
        """The front proxy's log (see regfront.py), oldest first; [] unless front."""
        return _jsonl(self.front_log) if self.front_log else []

    def clear_front_log(self):
        if self.front_log:
            open(self.front_log, "w").close()

    def set_front_faults(self, rules):
        """Replace the front proxy's fault rules (see regfront.py); use counters restart."""
        _set_rules(self.front_control, rules)


def _set_rules(path, rules):
    with open(path) as f:
        rules_id = json.load(f)["rules_id"] + 1
    _write_json(path, {"rules": list(rules), "rules_id": rules_id})
