"""A unittest base class for CLI tests against one fake GitHub per test class."""

import glob
import json
import os
import platform
import unittest

import swtest


# The host's build, as the tool picks it: the runner tool cache's arch name and the Rust triples.
_CPU = {"x86_64": "x86_64", "amd64": "x86_64", "aarch64": "aarch64", "arm64": "aarch64"}.get(
    platform.machine().lower(), platform.machine())
ARCH = {"x86_64": "x64", "aarch64": "arm64"}.get(_CPU, _CPU)
GNU = "%s-unknown-linux-gnu" % _CPU
MUSL = "%s-unknown-linux-musl" % _CPU


class CliCase(unittest.TestCase):
    """Starts ghserver once per class; each test gets a fresh cache, no faults, an empty log.

    A class that sets ``token`` runs every command with it in GITHUB_TOKEN and checks, for every
    command and every test, that it appears in no output and reaches no host but the API's.
    """

    token = None

    @classmethod
    def setUpClass(cls):
        swtest.require_bin()
        if platform.system() != "Linux":
            raise unittest.SkipTest("these tests expect the Linux builds the host would pick; "
                                    "on %s see the README's CI notes" % platform.system())
        cls.gh = swtest.GitHubServer()
        cls.gh.__enter__()
        cls.addClassCleanup(cls.gh.__exit__, None, None, None)

    def setUp(self):
        self.tmp = swtest.tempdir(self)
        self.gh.clear_faults()
        self.gh.reset_releases()
        self.gh.clear_log()
        self.env = swtest.base_env(self.gh, self.tmp)
        self.cache = os.path.join(self.tmp, "cache")
        self.cwd = os.path.join(self.tmp, "project")
        os.makedirs(self.cwd)
        if self.token:
            self.env["GITHUB_TOKEN"] = self.token
            self.addCleanup(self.assertTokenStayedOnApi)

    def assertTokenStayedOnApi(self):
        api = self.api_requests()
        for req in self.gh.requests():
            if req in api:
                continue
            auth = {k.lower(): v for k, v in req["headers"].items()}.get("authorization", "")
            self.assertNotIn(self.token, auth, "token sent to %s %s" % (req["host"], req["path"]))

    def run_cli(self, *args, env=None, **kw):
        full = dict(self.env)
        full.update(env or {})
        r = swtest.run_cli(list(args), env=full, cwd=kw.pop("cwd", self.cwd), **kw)
        if self.token:
            self.assertNotIn(self.token, r.stdout + r.stderr, "the token was printed")
        return r

    def install(self, *args, env=None, **kw):
        return self.run_cli("install", "--cache-dir", self.cache, *args, env=env, **kw)

    def install_json(self, *args, env=None):
        r = self.install("--json", *args, env=env)
        self.assertEqual(r.rc, 0, r)
        return json.loads(r.stdout)

    def assertFails(self, r, rc, *fragments):
        self.assertEqual(r.rc, rc, r)
        for f in fragments:
            self.assertIn(f, r.stderr, r)

    def assertNoTrace(self, version=None):
        """Nothing half-installed: no staging dirs, no version dir (when given)."""
        self.assertEqual(glob.glob(os.path.join(self.cache, "wash", ".staging-*")), [])
        if version:
            self.assertFalse(os.path.exists(os.path.join(self.cache, "wash", version)),
                             "wash/%s exists after a failed install" % version)

    def api_requests(self):
        return [r for r in self.gh.requests("api") if r["path"].startswith("/api/")]

    def downloads(self):
        return self.gh.requests("download")
