"""Harness for setup-wash integration tests (unittest, standard library only).

Typical use::

    import unittest, swtest

    class InstallTest(unittest.TestCase):
        @classmethod
        def setUpClass(cls):
            swtest.require_bin()
            cls.gh = swtest.GitHubServer()        # makes its own temp dir and test CA
            cls.gh.__enter__()                    # (3.11+: cls.enterClassContext(...))
            cls.addClassCleanup(cls.gh.__exit__, None, None, None)

        def setUp(self):
            self.tmp = swtest.tempdir(self)       # removed after the test
            self.gh.set_faults([])
            self.gh.clear_log()

        def test_latest(self):
            env = swtest.base_env(self.gh, self.tmp)
            r = swtest.run_cli(["install", "--version", "latest"], env=env)
            self.assertEqual(r.rc, 0, r)

Only loopback addresses are ever contacted. The fake GitHub is ghserver.py;
its routes, fault actions and control file are documented there and in ghstore.py.
"""

import atexit
import collections
import datetime
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.environ.get("SW_TEST_FIXTURES") or os.path.join(HERE, "..", "fixtures")

Certs = collections.namedtuple("Certs", "ca cert key other_ca")
Certs.__doc__ = """Paths: test CA (PEM), server cert and key signed by it, and an unrelated CA."""

_CA_EXT = """[req]
distinguished_name = dn
[dn]
[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
"""

_LEAF_EXT = """basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, IP:127.0.0.2, DNS:localhost
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid, issuer
"""


def utc_ago(**delta):
    """An RFC 3339 UTC time that long before now, as the API's published_at: utc_ago(hours=3)."""
    t = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(**delta)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def sha256_bytes(data):
    """Hex sha256 of bytes."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path):
    """Hex sha256 of a file, streamed."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def forged_copy(path, dest):
    """Writes to ``dest`` a copy of the file ``path`` with one byte in its middle changed (a
    forged binary of the same size), executable. Returns ``dest``."""
    with open(path, "rb") as f:
        data = bytearray(f.read())
    data[len(data) // 2] ^= 0xFF
    with open(dest, "wb") as f:
        f.write(data)
    os.chmod(dest, 0o755)
    return dest


def tempdir(testcase=None, prefix="sw-"):
    """A new temp directory; removed at the end of ``testcase`` (or at exit if None)."""
    path = tempfile.mkdtemp(prefix=prefix)
    if testcase is not None:
        testcase.addCleanup(shutil.rmtree, path, True)
    else:
        _LEFTOVERS.append(path)
    return path


_LEFTOVERS = []


def _openssl(*args, cwd):
    r = subprocess.run(["openssl"] + list(args), cwd=cwd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("openssl %s failed: %s" % (" ".join(args), r.stderr))


def _make_root(d, stem, cn):
    with open(os.path.join(d, "ca.cnf"), "w") as f:
        f.write(_CA_EXT)
    _openssl("req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
             "-nodes", "-keyout", stem + ".key", "-out", stem + ".pem", "-days", "3650",
             "-subj", "/CN=" + cn, "-config", "ca.cnf", "-extensions", "v3_ca", "-sha256", cwd=d)


def make_ca(tmpdir):
    """Create in ``tmpdir`` a test CA and a server cert for 127.0.0.1, 127.0.0.2, localhost.

    Uses the openssl CLI (EC P-256 keys). Returns ``Certs(ca, cert, key, other_ca)``:
    ``ca.pem``, ``cert.pem``, ``key.pem`` and ``other-ca.pem`` (an unrelated CA that
    must not validate the server).
    """
    os.makedirs(tmpdir, exist_ok=True)
    _make_root(tmpdir, "ca", "setup-wash test CA")
    _make_root(tmpdir, "other-ca", "setup-wash unrelated CA")
    with open(os.path.join(tmpdir, "leaf.ext"), "w") as f:
        f.write(_LEAF_EXT)
    _openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", "key.pem", "-out", "server.csr", "-subj", "/CN=localhost",
             "-config", "ca.cnf", cwd=tmpdir)
    _openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
             "-CAcreateserial", "-out", "cert.pem", "-days", "825", "-sha256",
             "-extfile", "leaf.ext", cwd=tmpdir)
    return Certs(*(os.path.join(tmpdir, n) for n in ("ca.pem", "cert.pem", "key.pem", "other-ca.pem")))


def forge_tool():
    """tests/tools/sw_forge_bundle: $SW_FORGE_BUNDLE (CTest sets it), else next to the binary's
    build tree, else build/tests/. None when it is not built."""
    cands = [os.environ.get("SW_FORGE_BUNDLE")]
    if os.environ.get("SETUP_WASH_BIN"):
        cands.append(os.path.join(os.path.dirname(os.environ["SETUP_WASH_BIN"]), "tests", "sw_forge_bundle"))
    cands.append(os.path.join(HERE, "..", "..", "build", "tests", "sw_forge_bundle"))
    return next((c for c in cands if c and os.access(c, os.X_OK)), None)


class Service:
    """A process the tests start and stop: `with` runs start(), and stop() also when start()
    failed half-way, so nothing is left running."""

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()
        return False


class GitHubServer(Service):
    """ghserver.py in a subprocess, as a context manager.

    Attributes after ``__enter__``: ``api`` (e.g. https://127.0.0.1:P/api/v3),
    ``server`` (https://127.0.0.1:P), ``download`` (https://127.0.0.2:Q), ``ca`` (CA
    PEM path), ``certs``, ``tmpdir``, ``log_path``, ``control_path``, ``pid``, and
    ``trusted_root``: the Sigstore trusted root that verifies the bundles of the attested
    fixture releases, signed at start with ``forge_tool()`` (base_env passes it to the tool as
    SETUP_WASH_TRUSTED_ROOT).
    """

    def __init__(self, tmpdir=None, certs=None, api_prefix="/api/v3"):
        self._own_tmp = tmpdir is None
        self.tmpdir = tmpdir or tempfile.mkdtemp(prefix="ghserver-")
        self.certs = certs
        self.api_prefix = api_prefix
        self.log_path = os.path.join(self.tmpdir, "requests.jsonl")
        self.control_path = os.path.join(self.tmpdir, "control.json")
        self._control = {"rules": [], "rules_id": 0, "extra_releases": {}, "require_token": {},
                         "attestations": {}}
        self.proc = None
        self.returncode = None

    def start(self):
        if self.certs is None:
            self.certs = make_ca(os.path.join(self.tmpdir, "certs"))
        self.ca = self.certs.ca
        self._write_control()
        port_file = os.path.join(self.tmpdir, "ports.json")
        if os.path.exists(port_file):
            os.unlink(port_file)
        self._out = open(os.path.join(self.tmpdir, "server.stdout"), "wb")
        self._err_path = os.path.join(self.tmpdir, "server.stderr")
        self._err = open(self._err_path, "wb")
        cmd = [sys.executable, os.path.join(HERE, "ghserver.py"), "--cert", self.certs.cert,
               "--key", self.certs.key, "--port-file", port_file, "--control-file",
               self.control_path, "--log", self.log_path, "--api-prefix", self.api_prefix,
               "--fixtures", os.path.join(FIXTURES, "releases")]
        tool = forge_tool()
        if not tool:
            raise RuntimeError("tests/tools/sw_forge_bundle is not built (the fake GitHub signs its "
                               "releases with it): build the tests, or set SW_FORGE_BUNDLE")
        cmd += ["--forge-tool", tool, "--sigstore-dir", os.path.join(self.tmpdir, "sigstore")]
        self.proc = subprocess.Popen(cmd, stdout=self._out, stderr=self._err, stdin=subprocess.DEVNULL)
        self.pid = self.proc.pid
        deadline = time.monotonic() + 10
        while not os.path.exists(port_file):
            if self.proc.poll() is not None:
                raise RuntimeError("ghserver exited with %s: %s" % (self.proc.returncode, self.stderr()))
            if time.monotonic() > deadline:
                raise RuntimeError("ghserver did not start within 10 s: %s" % self.stderr())
            time.sleep(0.02)
        with open(port_file) as f:
            ports = json.load(f)
        self.api, self.server, self.download = ports["api"], ports["server"], ports["download"]
        self.trusted_root = ports.get("trusted_root")

    def stop(self):
        """Terminate the server (SIGTERM, 5 s grace, then SIGKILL) and remove an owned temp dir."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc is not None:
            self.returncode = self.proc.returncode
        self.proc = None
        for f in (getattr(self, "_out", None), getattr(self, "_err", None)):
            if f:
                f.close()
        if self._own_tmp:
            shutil.rmtree(self.tmpdir, True)

    def stderr(self):
        """What the server wrote on stderr so far."""
        try:
            with open(self._err_path, "rb") as f:
                return f.read().decode(errors="replace")
        except (OSError, AttributeError):
            return ""

    # -- control file (re-read by the server on every request) --------------

    def _write_control(self):
        tmp = self.control_path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(self._control, f)
        os.replace(tmp, self.control_path)

    def set_faults(self, rules):
        """Replace the fault rules (see ghserver.py); their use counters start from zero."""
        self._control["rules"] = list(rules)
        self._control["rules_id"] += 1
        self._write_control()

    def clear_faults(self):
        self.set_faults([])

    def add_releases(self, releases):
        """Add releases: ``{"owner/repo": [release, ...]}`` (see ghstore.py for the fields).

        They go in front of the repo's fixture releases (and of releases added
        before) and hide fixture releases with the same tag.
        """
        for repo, rels in releases.items():
            self._control["extra_releases"][repo] = list(rels) + self._control["extra_releases"].get(repo, [])
        self._write_control()

    def reset_releases(self):
        """Forget every added release and attestation."""
        self._control["extra_releases"] = {}
        self._control["attestations"] = {}
        self._write_control()

    def set_attestations(self, attestations):
        """Replace the attestations API's answers: ``{"<sha256 hex>": [entry, ...]}`` (see ghstore.py)."""
        self._control["attestations"] = dict(attestations)
        self._write_control()

    def require_token(self, repo, token):
        """Make ``owner/repo`` private: 404 unless ``Authorization: Bearer|token <token>``; None to undo."""
        if token is None:
            self._control["require_token"].pop(repo, None)
        else:
            self._control["require_token"][repo] = token
        self._write_control()

    # -- request log --------------------------------------------------------

    def requests(self, host=None):
        """Logged requests (dicts: host, addr, method, path, headers, status, fault), oldest first."""
        try:
            with open(self.log_path) as f:
                lines = f.read().split("\n")
        except FileNotFoundError:
            return []
        out = [json.loads(line) for line in lines[:-1] if line]
        return [r for r in out if host is None or r["host"] == host]

    def clear_log(self):
        """Empty the request log (the server appends, so truncating is safe)."""
        open(self.log_path, "w").close()

    def ssl_context(self):
        """A client SSLContext trusting the test CA (for Python-side checks)."""
        import ssl
        return ssl.create_default_context(cafile=self.ca)


CliResult = collections.namedtuple("CliResult", "rc stdout stderr args")
CliResult.__str__ = lambda r: "rc=%d args=%r\n--- stdout ---\n%s\n--- stderr ---\n%s" % (
    r.rc, r.args, r.stdout, r.stderr)


def cli_path():
    """The setup-wash binary from $SETUP_WASH_BIN; raises unittest.SkipTest if unset or missing."""
    path = os.environ.get("SETUP_WASH_BIN")
    if not path:
        raise unittest.SkipTest("SETUP_WASH_BIN is not set (run through ctest, or export it)")
    if not os.access(path, os.X_OK):
        raise unittest.SkipTest("SETUP_WASH_BIN=%s is not an executable file" % path)
    return path


require_bin = cli_path


def run_cli(args, env=None, timeout=120, cwd=None, input=None, raw=False):
    """Run the binary with a clean environment; returns ``CliResult(rc, stdout, stderr, args)``.

    The environment is only PATH (inherited), HOME and TMPDIR (fresh temp dirs), LANG=C,
    plus ``env`` (a value of None removes a key). Nothing else leaks from the caller:
    no GITHUB_TOKEN, GITHUB_*, RUNNER_*. An argument or value may be bytes (a path that is not
    UTF-8); raw=True leaves stdout and stderr as bytes. On timeout the process is killed and an
    AssertionError carries what it printed.
    """
    binary = cli_path()
    home = tempdir(prefix="sw-home-")
    full = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "LANG": "C",
            "TMPDIR": os.path.join(home, "tmp")}
    os.makedirs(full["TMPDIR"])
    for k, v in (env or {}).items():
        if v is None:
            full.pop(k, None)
        else:
            full[k] = v if isinstance(v, bytes) else str(v)
    argv = [binary] + [a if isinstance(a, bytes) else str(a) for a in args]
    try:
        p = subprocess.run(argv, env=full, cwd=cwd, capture_output=True, timeout=timeout,
                           input=input.encode() if isinstance(input, str) else input)
    except subprocess.TimeoutExpired as e:
        raise AssertionError("%r timed out after %ss\n--- stdout ---\n%s\n--- stderr ---\n%s" % (
            argv, timeout, (e.stdout or b"").decode(errors="replace"),
            (e.stderr or b"").decode(errors="replace")))
    if raw:
        return CliResult(p.returncode, p.stdout, p.stderr, argv)
    return CliResult(p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace"), argv)


def base_env(server, cache_dir):
    """Environment aiming the tool at ``server``; XDG_CACHE_HOME is ``<cache_dir>/xdg-cache``;
    SETUP_WASH_TRUSTED_ROOT is the server's Sigstore test root."""
    xdg = os.path.join(cache_dir, "xdg-cache")
    os.makedirs(xdg, exist_ok=True)
    return {
        "SETUP_WASH_TRUSTED_ROOT": server.trusted_root,
        "GITHUB_API_URL": server.api,
        "GITHUB_SERVER_URL": server.server,
        "SSL_CERT_FILE": server.ca,
        "SETUP_WASH_RETRY_DELAY_MS": "50",
        "SETUP_WASH_STALL_TIMEOUT": "3",
        "XDG_CACHE_HOME": xdg,
    }


def _cleanup():
    for path in _LEFTOVERS:
        shutil.rmtree(path, True)



atexit.register(_cleanup)
