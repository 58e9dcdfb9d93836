"""setup-wash plugins against a real OCI registry (Debian's docker-registry) on loopback, with
real component binaries built from tests/fixtures/components/*.wat by jco."""

import json
import os
import shutil
import subprocess
import unittest

import swregistry
import swtest

HERE = os.path.dirname(os.path.abspath(__file__))
COMPONENTS = os.path.join(HERE, "..", "fixtures", "components")
_built = {}


def components():
    """name -> bytes of the fixture components, built once per run (skips without jco)."""
    if not _built:
        out = swtest.tempdir(prefix="sw-components-")
        p = subprocess.run([os.path.join(COMPONENTS, "build.sh"), out], capture_output=True,
                           text=True)
        if p.returncode == 77:
            raise unittest.SkipTest("jco is not installed: npm ci --prefix tests/fixtures/components")
        if p.returncode != 0:
            raise AssertionError("building the component fixtures failed:\n" + p.stderr)
        for f in os.listdir(out):
            if f.endswith(".wasm"):
                with open(os.path.join(out, f), "rb") as fh:
                    _built[f[:-5]] = fh.read()
    return _built


WASH_TAGS = {"2.0.0-rc.5": ("wash-v2.0.0-rc.5", "wasmCloud/wash"),
             "1.0.0-beta.3": ("wash-v1.0.0-beta.3", "wasmCloud/wash"),
             "2.7.0": ("v2.7.0", "wasmCloud/wasmCloud")}


def lock_text(wash_version=None, plugins=()):
    """A lock pinning that wash (one made-up asset: the plugin checks need only the version)."""
    lock = {"lockfile-version": 1, "plugins": list(plugins)}
    if wash_version:
        tag, repo = WASH_TAGS[wash_version]
        lock["wash"] = {"version": wash_version, "tag": tag, "repository": repo, "assets": {
            "wash-x86_64-unknown-linux-musl": {"target": "x86_64-unknown-linux-musl",
                                               "digest": "sha256:" + "0" * 64}}}
    return json.dumps(lock, indent=2)


class PluginCase(unittest.TestCase):
    mode = "plain"
    registry_kw = {}

    @classmethod
    def setUpClass(cls):
        swtest.require_bin()
        swregistry.require_registry(cls.mode)
        cls.wasm = components()
        cls.reg = swregistry.Registry(cls.mode, **cls.registry_kw)
        cls.reg.__enter__()
        cls.addClassCleanup(cls.reg.__exit__, None, None, None)

    def setUp(self):
        self.tmp = swtest.tempdir(self)
        self.project = os.path.join(self.tmp, "project")
        self.data = os.path.join(self.tmp, "data")
        self.cache = os.path.join(self.tmp, "cache")
        os.makedirs(self.project)
        self.env = {"SETUP_WASH_RETRY_DELAY_MS": "50", "SETUP_WASH_STALL_TIMEOUT": "3"}
        self.env.update(self.reg.client_env())
        if self.mode == "plain":
            self.env["SETUP_WASH_PLAIN_HTTP_REGISTRIES"] = self.reg.host

    def write_lock(self, text):
        with open(os.path.join(self.project, "plugins.lock"), "w") as f:
            f.write(text)

    def read_lock(self):
        with open(os.path.join(self.project, "plugins.lock")) as f:
            return json.load(f)

    def plugins(self, *args, env=None):
        full = dict(self.env)
        full.update(env or {})
        return swtest.run_cli(["plugins", *args, "--cache-dir", self.cache, "--data-dir", self.data],
                              env=full, cwd=self.project)

    def installed(self, name):
        path = os.path.join(self.data, "plugins", name + ".wasm")
        if not os.path.exists(path):
            return None
        with open(path, "rb") as f:
            return f.read()

    def push(self, repo, tag, fixture):
        return swregistry.push_artifact(self.reg, repo, tag, self.wasm[fixture])


class PlainRegistryTest(PluginCase):
    mode = "plain"
    registry_kw = {"front": True}

    def test_add_lock_install_verify_and_a_second_install_is_offline(self):
        pushed = {}
        for name in ("alpha", "beta", "gamma"):
            pushed[name] = self.push("plugins/" + name, "1.0", "plugin-0.0.2")
        self.write_lock(lock_text("2.0.0-rc.5"))
        for name in ("alpha", "beta", "gamma"):
            r = self.plugins("add", self.reg.reference("plugins/" + name, "1.0"))
            self.assertEqual(r.rc, 0, r)
        r = self.plugins("lock")
        self.assertEqual(r.rc, 0, r)
        lock = self.read_lock()
        self.assertEqual([p["name"] for p in lock["plugins"]], ["alpha", "beta", "gamma"])
        for p in lock["plugins"]:
            self.assertEqual(p["digest"], pushed[p["name"]]["layer_digest"])
            self.assertEqual(p["manifest"], pushed[p["name"]]["manifest_digest"])
            self.assertEqual(p["wit"], "0.0.2")
            self.assertEqual(p["size"], len(self.wasm["plugin-0.0.2"]))

        # a fresh cache: install pulls by digest, in one command
        shutil.rmtree(self.cache)
        self.reg.clear_front_log()
        r = self.plugins("install", "--frozen", "--json")
        self.assertEqual(r.rc, 0, r)
        out = json.loads(r.stdout)
        self.assertEqual(len(out["plugins"]), 3)
        for name in ("alpha", "beta", "gamma"):
            self.assertEqual(self.installed(name), self.wasm["plugin-0.0.2"])
        paths = [q["path"] for q in self.reg.front_requests()]
        self.assertTrue(any("/manifests/sha256:" in p for p in paths), paths)

        # the second install makes no request at all
        self.reg.clear_front_log()
        r = self.plugins("install", "--frozen")
        self.assertEqual(r.rc, 0, r)
        self.assertIn("up to date alpha", r.stdout)
        self.assertEqual(self.reg.front_requests(), [])

        r = self.plugins("verify")
        self.assertEqual(r.rc, 0, r)
        # a tampered file is caught, and install restores it
        with open(os.path.join(self.data, "plugins", "beta.wasm"), "ab") as f:
            f.write(b"\0")
        r = self.plugins("verify")
        self.assertEqual(r.rc, 5, r)
        self.assertIn("'beta' is modified", r.stderr)
        self.assertEqual(self.plugins("install", "--frozen").rc, 0)
        self.assertEqual(self.plugins("verify").rc, 0)
        r = self.plugins("list", "--json")
        self.assertEqual({p["state"] for p in json.loads(r.stdout)["plugins"]}, {"ok"})

    def test_lock_is_deterministic(self):
        self.push("plugins/det", "1", "plugin-0.0.2")
        self.write_lock(lock_text("2.0.0-rc.5"))
        self.plugins("add", self.reg.reference("plugins/det", "1"))
        self.assertEqual(self.plugins("lock").rc, 0)
        with open(os.path.join(self.project, "plugins.lock")) as f:
            first = f.read()
        self.assertEqual(self.plugins("lock").rc, 0)
        with open(os.path.join(self.project, "plugins.lock")) as f:
            self.assertEqual(f.read(), first)

    def test_plugin_for_the_other_wash_is_refused_before_install(self):
        self.push("plugins/old", "1", "plugin-0.0.1")
        self.write_lock(lock_text("2.0.0-rc.5"))
        self.plugins("add", self.reg.reference("plugins/old", "1"))
        r = self.plugins("install")
        self.assertEqual(r.rc, 5, r)
        self.assertIn("exports wasmcloud:wash/plugin@0.0.1, but this wash loads @0.0.2", r.stderr)
        self.assertIsNone(self.installed("old"))
        # the same plugin is right for beta.3
        self.write_lock(lock_text("1.0.0-beta.3", self.read_lock()["plugins"]))
        r = self.plugins("install")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(self.installed("old"), self.wasm["plugin-0.0.1"])

    def test_core_module_and_non_plugin_component_are_rejected_with_names(self):
        self.push("plugins/core", "1", "core-module")
        self.push("plugins/cli", "1", "cli-run")
        for repo, frag in (("plugins/core", "core WebAssembly module"),
                           ("plugins/cli", "wasi:cli/run")):
            with self.subTest(repo=repo):
                self.write_lock(lock_text("2.0.0-rc.5"))
                self.plugins("add", self.reg.reference(repo, "1"))
                r = self.plugins("lock")
                self.assertEqual(r.rc, 5, r)
                self.assertIn(frag, r.stderr)

    def test_wash_without_plugin_system_is_a_clear_error(self):
        self.push("plugins/p", "1", "plugin-0.0.2")
        self.write_lock(lock_text("2.7.0"))
        self.plugins("add", self.reg.reference("plugins/p", "1"))
        r = self.plugins("install")
        self.assertEqual(r.rc, 2, r)
        self.assertIn("wash 2.7.0 has no plugin system", r.stderr)
        self.assertIn("2.0.0-rc.7", r.stderr)

    def test_missing_tag_fails_and_leaves_the_others_uninstalled(self):
        self.push("plugins/good", "1", "plugin-0.0.2")
        self.write_lock(lock_text("2.0.0-rc.5"))
        self.plugins("add", self.reg.reference("plugins/good", "1"))
        self.plugins("add", self.reg.reference("plugins/good", "nope"), "--name", "bad")
        r = self.plugins("install")
        self.assertEqual(r.rc, 3, r)
        self.assertIn("was not found", r.stderr)
        self.assertIsNone(self.installed("good"))

    def test_frozen_refuses_unpinned_plugins(self):
        self.push("plugins/p", "1", "plugin-0.0.2")
        self.write_lock(lock_text("2.0.0-rc.5"))
        self.plugins("add", self.reg.reference("plugins/p", "1"))
        self.reg.clear_front_log()
        r = self.plugins("install", "--frozen")
        self.assertEqual(r.rc, 2, r)
        self.assertIn("--frozen forbids resolving", r.stderr)
        self.assertEqual(self.reg.front_requests(), [])

    def test_wrong_pinned_digest_is_refused(self):
        pushed = self.push("plugins/p", "1", "plugin-0.0.2")
        lock = json.loads(lock_text("2.0.0-rc.5"))
        lock["plugins"] = [{"name": "p", "source": self.reg.reference("plugins/p", "1"),
                            "digest": "sha256:" + "ab" * 32, "size": pushed["size"]}]
        self.write_lock(json.dumps(lock))
        r = self.plugins("install")
        self.assertEqual(r.rc, 5, r)
        self.assertIn("pins sha256:" + "ab" * 32, r.stderr)
        self.assertIsNone(self.installed("p"))

    def test_wrong_docker_content_digest_is_refused(self):
        self.push("plugins/p", "1", "plugin-0.0.2")
        self.write_lock(lock_text("2.0.0-rc.5"))
        self.plugins("add", self.reg.reference("plugins/p", "1"))
        self.reg.set_front_faults([{"match": "/manifests/", "action": {
            "headers": {"Docker-Content-Digest": "sha256:" + "1" * 64}}}])
        try:
            r = self.plugins("lock")
        finally:
            self.reg.set_front_faults([])
        self.assertEqual(r.rc, 5, r)
        self.assertIn("bytes hash to", r.stderr)

    def test_path_source_relative_to_the_lock(self):
        os.makedirs(os.path.join(self.project, "local"))
        with open(os.path.join(self.project, "local", "mine.wasm"), "wb") as f:
            f.write(self.wasm["plugin-0.0.2"])
        self.write_lock(lock_text("2.0.0-rc.5"))
        self.assertEqual(self.plugins("add", "./local/mine.wasm").rc, 0)
        self.assertEqual(self.plugins("lock").rc, 0)
        self.assertEqual(self.read_lock()["plugins"][0]["name"], "mine")
        r = self.plugins("install", "--frozen")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(self.installed("mine"), self.wasm["plugin-0.0.2"])

    def test_lock_with_a_syntax_error_names_the_place(self):
        self.write_lock('{\n  "lockfile-version": 1,\n  "plugins": [\n    {"name": "x",}\n  ]\n}\n')
        r = self.plugins("install")
        self.assertEqual(r.rc, 2, r)
        self.assertIn("plugins.lock:4:", r.stderr)

    def test_no_plugins_is_fine(self):
        self.write_lock(lock_text("2.7.0"))
        r = self.plugins("install")
        self.assertEqual(r.rc, 0, r)
        self.assertIn("lists no plugins", r.stderr)


class PluginFaultTest(PluginCase):
    """The fault matrix for plugin pulls: each answer breaks once (then the retry succeeds) or
    always (then a clear error and nothing installed); the GitHub token never reaches a
    registry."""

    mode = "plain"
    registry_kw = {"front": True}
    TOKEN = "ghs_pluginFaultToken0123456789"

    def setUp(self):
        super().setUp()
        self.env["GITHUB_TOKEN"] = self.TOKEN
        self.pushed = self.push("plugins/f", "1", "plugin-0.0.2")
        self.write_lock(lock_text("2.0.0-rc.5"))
        self.plugins("add", self.reg.reference("plugins/f", "1"))
        self.assertEqual(self.plugins("lock").rc, 0)
        shutil.rmtree(self.cache)
        self.reg.clear_front_log()
        self.addCleanup(self.reg.set_front_faults, [])

    def tearDown(self):
        for q in self.reg.front_requests():
            self.assertNotIn(self.TOKEN, json.dumps(q["headers"]), "GitHub token sent to a registry")

    def install_with(self, rules):
        self.reg.set_front_faults(rules)
        r = self.plugins("install", "--frozen", env={"SETUP_WASH_RETRIES": "1",
                                                    "SETUP_WASH_STALL_TIMEOUT": "1"})
        self.assertNotIn(self.TOKEN, r.stdout + r.stderr)
        return r

    def test_breaks_once_then_the_retry_installs(self):
        rows = [("manifest 503", {"match": "/manifests/", "action": {"status": 503}}),
                ("blob 500", {"match": "/blobs/", "action": {"status": 500}}),
                ("blob truncated", {"match": "/blobs/", "action": {"truncate_after": 100}}),
                ("blob reset mid-body", {"match": "/blobs/", "action": {"reset_after": 100}}),
                ("blob stalled", {"match": "/blobs/", "action": {"stall_after": 100,
                                                                   "stall_seconds": 6}})]
        for name, rule in rows:
            with self.subTest(row=name):
                shutil.rmtree(self.data, True)
                shutil.rmtree(self.cache, True)
                r = self.install_with([dict(rule, times=1)])
                self.assertEqual(r.rc, 0, r)
                self.assertEqual(self.installed("f"), self.wasm["plugin-0.0.2"])

    def test_breaks_always_then_a_clear_error_and_nothing_installed(self):
        rows = [("manifest 503", {"match": "/manifests/", "action": {"status": 503}}, 4, "HTTP 503"),
                ("blob truncated", {"match": "/blobs/", "action": {"truncate_after": 100}}, 4,
                 "plugin 'f'"),
                ("blob reset mid-body", {"match": "/blobs/", "action": {"reset_after": 100}}, 4,
                 "plugin 'f'"),
                ("blob stalled", {"match": "/blobs/", "action": {"stall_after": 100,
                                                                   "stall_seconds": 6}}, 4,
                 "stalled or timed out"),
                ("blob corrupt", {"match": "/blobs/", "action": {"corrupt": True}}, 5,
                 "digest mismatch"),
                ("manifest corrupt", {"match": "/manifests/", "action": {"corrupt": True}}, 5,
                 "does not match its pinned digest")]
        for name, rule, rc, frag in rows:
            with self.subTest(row=name):
                shutil.rmtree(self.data, True)
                shutil.rmtree(self.cache, True)
                r = self.install_with([rule])
                self.assertEqual(r.rc, rc, r)
                self.assertIn(frag, r.stderr)
                self.assertIsNone(self.installed("f"))


    def test_a_plain_http_token_realm_gets_no_credentials(self):
        cfg = swregistry.docker_config(self.tmp, auths={self.reg.host: ("alice", "s3cret-pw")})
        for realm in ("http://auth.invalid/token", "http://127.0.0.1@auth.invalid/token"):
            with self.subTest(realm=realm):
                challenge = 'Bearer realm="%s",service="reg"' % realm
                self.reg.set_front_faults([{"match": "/manifests/", "action": {
                    "status": 401, "body": "", "headers": {"WWW-Authenticate": challenge}}}])
                r = self.plugins("install", "--frozen", env={"DOCKER_CONFIG": cfg})
                self.assertEqual(r.rc, 4, r)
                self.assertIn("the token realm from 'http://%s/v2/" % self.reg.host, r.stderr)
                self.assertIn("is not an https URL", r.stderr)
                self.assertNotIn("s3cret-pw", r.stdout + r.stderr)
                self.assertIsNone(self.installed("f"))
        for q in self.reg.front_requests():
            self.assertNotIn("Basic", json.dumps(q["headers"]))


class BasicAuthRegistryTest(PluginCase):
    mode = "tls_basic"
    registry_kw = {"blob_redirect": True}

    def test_credentials_from_docker_config_and_blob_redirect_without_authorization(self):
        pushed = self.push("private/p", "1", "plugin-0.0.2")
        self.write_lock(lock_text("2.0.0-rc.5"))
        self.plugins("add", self.reg.reference("private/p", "1"))
        # no credentials: a clear 401 with the fix
        r = self.plugins("lock", env={"DOCKER_CONFIG": os.path.join(self.tmp, "nodocker")})
        self.assertEqual(r.rc, 4, r)
        self.assertIn("docker login", r.stderr)
        cfg = swregistry.docker_config(self.tmp, auths={self.reg.host: (self.reg.username,
                                                                         self.reg.password)})
        self.reg.clear_blob_log()
        r = self.plugins("lock", env={"DOCKER_CONFIG": cfg})
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(self.read_lock()["plugins"][0]["digest"], pushed["layer_digest"])
        blobs = self.reg.blob_requests()
        self.assertTrue(blobs, "the blob was not fetched through the redirect")
        for b in blobs:
            self.assertFalse(b["authorization"], "Authorization followed the redirect: %r" % b)
        self.assertNotIn(self.reg.password, r.stdout + r.stderr)


class TokenRegistryTest(PluginCase):
    mode = "tls_token"

    def test_anonymous_token_for_a_public_repository(self):
        self.push("public/p", "1", "plugin-0.0.2")
        self.write_lock(lock_text("2.0.0-rc.5"))
        self.plugins("add", self.reg.reference("public/p", "1"))
        self.reg.clear_token_log()
        r = self.plugins("lock", env={"DOCKER_CONFIG": os.path.join(self.tmp, "nodocker")})
        self.assertEqual(r.rc, 0, r)
        toks = self.reg.token_requests()
        self.assertTrue(toks)
        self.assertFalse(toks[0]["credentials"])

    def test_credential_helper_supplies_the_login(self):
        self.push("private/p", "1", "plugin-0.0.2")
        self.write_lock(lock_text("2.0.0-rc.5"))
        self.plugins("add", self.reg.reference("private/p", "1"))
        bindir = swregistry.fake_credential_helper(
            self.tmp, "fake", {self.reg.host: (self.reg.username, self.reg.password)})
        cfg = swregistry.docker_config(self.tmp, cred_helpers={self.reg.host: "fake"})
        env = {"DOCKER_CONFIG": cfg, "PATH": bindir + os.pathsep + os.environ["PATH"]}
        self.reg.clear_token_log()
        r = self.plugins("lock", env=env)
        self.assertEqual(r.rc, 0, r)
        self.assertTrue(any(t["credentials"] for t in self.reg.token_requests()))
        self.assertEqual(len(swregistry.helper_calls(bindir, "fake")), 1)
        self.assertNotIn(self.reg.password, r.stdout + r.stderr)

    def test_failing_credential_helper_is_named(self):
        self.push("private/q", "1", "plugin-0.0.2")
        self.write_lock(lock_text("2.0.0-rc.5"))
        self.plugins("add", self.reg.reference("private/q", "1"))
        bindir = swregistry.fake_credential_helper(self.tmp, "broken", {}, fail=True)
        cfg = swregistry.docker_config(self.tmp, creds_store="broken")
        env = {"DOCKER_CONFIG": cfg, "PATH": bindir + os.pathsep + os.environ["PATH"]}
        r = self.plugins("lock", env=env)
        self.assertEqual(r.rc, 2, r)
        self.assertIn("docker-credential-broken", r.stderr)

    def test_private_repository_without_credentials_is_refused(self):
        self.push("private/r", "1", "plugin-0.0.2")
        self.write_lock(lock_text("2.0.0-rc.5"))
        self.plugins("add", self.reg.reference("private/r", "1"))
        r = self.plugins("lock", env={"DOCKER_CONFIG": os.path.join(self.tmp, "nodocker")})
        self.assertEqual(r.rc, 4, r)
        self.assertIn("refused", r.stderr)


if __name__ == "__main__":
    unittest.main()
