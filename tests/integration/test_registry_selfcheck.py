"""Self-check of the OCI registry test infrastructure (swregistry.py, tokenserver.py,
regfront.py, ociclient.py, dockercreds.py) with Python's own HTTP client, before the C tool
is ever pointed at it. Needs Debian's docker-registry and apache2-utils (skipped without).

Run: ``cd tests/integration && python3 -m unittest -v test_registry_selfcheck``.
"""

import base64
import json
import os
import subprocess
import unittest

import swregistry as sr
import swtest

WASM = b"\x00asm\x0d\x00\x01\x00" + bytes(range(256)) * 4  # a component preamble + filler


def jwt_part(token, i):
    part = token.split(".")[i]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


class RoundTrip:
    """Push then pull by tag and by digest; shared by the three modes."""

    mode = None
    repo = "public/hello"

    @classmethod
    def setUpClass(cls):
        cls.reg = sr.Registry(cls.mode)
        cls.reg.__enter__()
        cls.addClassCleanup(cls.reg.__exit__, None, None, None)
        cls.pushed = sr.push_artifact(cls.reg, cls.repo, "0.1.0", WASM)

    def test_pull_by_tag_and_digest(self):
        for ref in ("0.1.0", self.pushed["manifest_digest"]):
            r = sr.pull_manifest(self.reg, self.repo, ref)
            self.assertEqual(r.headers["Content-Type"], sr.OCI_MANIFEST)
            self.assertEqual(r.headers["Docker-Content-Digest"], sr.sha256_digest(r.body))
            self.assertEqual(r.headers["Docker-Content-Digest"], self.pushed["manifest_digest"])
            self.assertEqual(r.body, self.pushed["manifest"])
        m = json.loads(r.body)
        self.assertEqual(m["config"]["mediaType"], sr.WASM_CONFIG)
        self.assertEqual(m["layers"], [{"mediaType": sr.WASM_LAYER, "digest": self.pushed["layer_digest"],
                                        "size": len(WASM)}])
        config = sr.pull_blob(self.reg, self.repo, m["config"]["digest"])
        self.assertEqual(json.loads(config), {"architecture": "wasm", "os": "wasip2",
                                              "layerDigests": [self.pushed["layer_digest"]]})
        self.assertEqual(sr.pull_blob(self.reg, self.repo, self.pushed["layer_digest"]), WASM)

    def test_blob_get_is_served_directly(self):
        """Filesystem storage has no redirect of its own: 200 and the bytes, no Location."""
        r = sr.Client(self.reg).request("GET", "/v2/%s/blobs/%s" % (self.repo, self.pushed["layer_digest"]))
        self.assertEqual(r.status, 200)
        self.assertIsNone(r.headers.get("Location"))
        self.assertEqual(r.headers["Docker-Content-Digest"], self.pushed["layer_digest"])
        self.assertEqual(r.body, WASM)

    def test_oci_manifest_needs_oci_accept(self):
        """distribution 2.8 hides an OCI manifest from a client that does not accept its type."""
        for ref in ("0.1.0", self.pushed["manifest_digest"]):
            with self.assertRaises(sr.RegistryError) as cm:
                sr.pull_manifest(self.reg, self.repo, ref, accept=sr.DOCKER_MANIFEST)
            self.assertEqual(cm.exception.reply.status, 404)
            self.assertIn(b"MANIFEST_UNKNOWN", cm.exception.reply.body)

    def test_missing_tag_and_digest(self):
        for ref in ("9.9.9", sr.sha256_digest(b"nothing")):
            with self.assertRaises(sr.RegistryError) as cm:
                sr.pull_manifest(self.reg, self.repo, ref)
            self.assertEqual(cm.exception.reply.status, 404)


class PlainTest(RoundTrip, unittest.TestCase):
    mode = "plain"

    def test_anonymous_and_no_tls(self):
        self.assertTrue(self.reg.url.startswith("http://127.0.0.1:"))
        self.assertIsNone(self.reg.ca)
        self.assertEqual(sr.http_request("GET", self.reg.url + "/v2/").status, 200)

    def test_hostile_manifests(self):
        """Two layers, a foreign layer type, an image index: distribution stores them all."""
        repo = "hostile/x"
        for data in (b"layer-a", b"layer-b", b"{}"):
            sr.push_blob(self.reg, repo, data)
        two = {"schemaVersion": 2, "mediaType": sr.OCI_MANIFEST, "config": sr.descriptor(sr.WASM_CONFIG, b"{}"),
               "layers": [sr.descriptor(sr.WASM_LAYER, b"layer-a"), sr.descriptor(sr.WASM_LAYER, b"layer-b")]}
        tar = dict(two, layers=[sr.descriptor("application/vnd.oci.image.layer.v1.tar+gzip", b"layer-a")])
        d_two = sr.push_raw_manifest(self.reg, repo, "two", two)
        d_tar = sr.push_raw_manifest(self.reg, repo, "tar", tar)
        raw_tar = sr.pull_manifest(self.reg, repo, d_tar).body
        index = {"schemaVersion": 2, "mediaType": sr.OCI_INDEX, "manifests": [
            sr.descriptor(sr.OCI_MANIFEST, raw_tar, platform={"architecture": "wasm", "os": "wasip2"})]}
        sr.push_raw_manifest(self.reg, repo, "index", index)
        self.assertEqual(len(json.loads(sr.pull_manifest(self.reg, repo, d_two).body)["layers"]), 2)
        self.assertEqual(sr.pull_manifest(self.reg, repo, "index").headers["Content-Type"], sr.OCI_INDEX)
        with self.assertRaises(sr.RegistryError) as cm:  # a manifest naming a blob it never got
            sr.push_raw_manifest(self.reg, repo, "bad", dict(two, layers=[sr.descriptor(sr.WASM_LAYER, b"?")]))
        self.assertIn(b"MANIFEST_BLOB_UNKNOWN", cm.exception.reply.body)


class TlsBasicTest(RoundTrip, unittest.TestCase):
    mode = "tls_basic"

    def test_401_without_credentials(self):
        self.assertTrue(self.reg.url.startswith("https://127.0.0.1:"))
        for path in ("/v2/", "/v2/%s/manifests/0.1.0" % self.repo):
            r = sr.Client(self.reg, None).request("GET", path, headers={"Accept": sr.MANIFEST_ACCEPT})
            self.assertEqual(r.status, 401)
            self.assertEqual(r.headers["WWW-Authenticate"], 'Basic realm="setup-wash-test"')
        with self.assertRaises(sr.RegistryError) as cm:
            sr.pull_manifest(self.reg, self.repo, "0.1.0", auth=(self.reg.username, "wrong"))
        self.assertEqual(cm.exception.reply.status, 401)

    def test_untrusted_ca_fails(self):
        with self.assertRaises(OSError):
            sr.http_request("GET", self.reg.url + "/v2/", ca=self.reg.certs.other_ca)


class TlsTokenTest(RoundTrip, unittest.TestCase):
    mode = "tls_token"

    def setUp(self):
        self.reg.set_token_policy(fault=None)
        self.reg.clear_token_log()

    def test_anonymous_token_for_public_repo(self):
        r = sr.pull_manifest(self.reg, self.repo, "0.1.0", auth=None)
        self.assertEqual(r.headers["Docker-Content-Digest"], self.pushed["manifest_digest"])
        log = self.reg.token_requests()
        self.assertEqual(len(log), 1)
        self.assertEqual(log[0]["scopes"], ["repository:public/hello:pull"])
        self.assertFalse(log[0]["credentials"])
        self.assertEqual(log[0]["service"], self.reg.service)
        self.assertEqual(log[0]["access"], [{"type": "repository", "name": self.repo, "actions": ["pull"]}])

    def test_private_repo_needs_credentials(self):
        sr.push_artifact(self.reg, "private/p", "1.0.0", WASM)
        with self.assertRaises(sr.RegistryError) as cm:
            sr.pull_manifest(self.reg, "private/p", "1.0.0", auth=None)
        self.assertEqual(cm.exception.reply.status, 401)
        self.assertIn('error="insufficient_scope"', cm.exception.reply.headers["WWW-Authenticate"])
        sr.pull_manifest(self.reg, "private/p", "1.0.0")
        log = [e for e in self.reg.token_requests() if e["scopes"] == ["repository:private/p:pull"]]
        self.assertEqual([(e["credentials"], e["user"], e["access"] != []) for e in log],
                         [(False, None, False), (True, self.reg.username, True)])
        # distribution 2.8 joins the actions in Go map order: "pull,push" or "push,pull"
        push = [e for e in self.reg.token_requests() if e["scopes"] in (
            ["repository:private/p:pull,push"], ["repository:private/p:push,pull"])]
        self.assertTrue(push and sorted(push[0]["access"][0]["actions"]) == ["pull", "push"], push)

    def test_bad_credentials_get_401_from_token_server(self):
        with self.assertRaises(sr.RegistryError) as cm:
            sr.pull_manifest(self.reg, self.repo, "0.1.0", auth=(self.reg.username, "wrong"))
        self.assertEqual(cm.exception.reply.status, 401)
        self.assertIn("/token?", cm.exception.reply.url)
        self.assertEqual(self.reg.token_requests()[-1]["status"], 401)

    def test_grants_limit_actions(self):
        self.reg.set_token_policy(users=dict(self.reg.users, reader="rpw"),
                                  grants={self.reg.username: {"*": ["pull", "push"]}, "reader": {"*": ["pull"]}})
        try:
            with self.assertRaises(sr.RegistryError) as cm:
                sr.push_artifact(self.reg, "private/q", "1", WASM, auth=("reader", "rpw"))
            self.assertEqual(cm.exception.reply.status, 401)
            self.assertEqual(self.reg.token_requests()[-1]["access"],  # push dropped, pull kept
                             [{"type": "repository", "name": "private/q", "actions": ["pull"]}])
            sr.pull_manifest(self.reg, self.repo, "0.1.0", auth=("reader", "rpw"))
        finally:
            self.reg.set_token_policy(users={self.reg.username: self.reg.password},
                                      grants={self.reg.username: {"*": ["pull", "push", "delete"]}})

    def test_token_is_es256_with_x5c(self):
        c = sr.Client(self.reg, None)
        c.request("GET", "/v2/%s/manifests/0.1.0" % self.repo, headers={"Accept": sr.MANIFEST_ACCEPT})
        token = c.authorization.split(" ", 1)[1]
        header, claims = jwt_part(token, 0), jwt_part(token, 1)
        self.assertEqual(header["alg"], "ES256")
        self.assertEqual(len(header["x5c"]), 1)
        self.assertEqual(len(base64.urlsafe_b64decode(token.split(".")[2] + "==")), 64)
        self.assertEqual((claims["iss"], claims["aud"]), (self.reg.issuer, self.reg.service))
        self.assertLess(claims["nbf"], claims["exp"])

    def test_token_server_fault(self):
        self.reg.set_token_policy(fault={"status": 503, "times": 1})
        with self.assertRaises(sr.RegistryError) as cm:
            sr.pull_manifest(self.reg, self.repo, "0.1.0", auth=None)
        self.assertEqual(cm.exception.reply.status, 503)
        sr.pull_manifest(self.reg, self.repo, "0.1.0", auth=None)


class RedirectFrontTest(unittest.TestCase):
    """tls_token + blob_redirect + front: 307 to 127.0.0.2, which refuses Authorization."""

    @classmethod
    def setUpClass(cls):
        cls.reg = sr.Registry("tls_token", blob_redirect=True, front=True)
        cls.reg.__enter__()
        cls.addClassCleanup(cls.reg.__exit__, None, None, None)
        cls.pushed = sr.push_artifact(cls.reg, "public/r", "1.0.0", WASM)
        cls.blob_path = "/v2/public/r/blobs/" + cls.pushed["layer_digest"]

    def setUp(self):
        self.reg.set_blob_faults([])
        self.reg.set_front_faults([])
        self.reg.clear_blob_log()
        self.reg.clear_front_log()

    def test_blob_redirects_to_second_address(self):
        c = sr.Client(self.reg, None)
        for method in ("GET", "HEAD"):
            r = c.request(method, self.blob_path)
            self.assertEqual(r.status, 307, r)
            loc = r.headers["Location"]
            self.assertTrue(loc.startswith(self.reg.blob_url + "/docker/registry/v2/blobs/sha256/"), loc)
            self.assertTrue(self.reg.blob_url.startswith("https://127.0.0.2:"), self.reg.blob_url)
        self.assertEqual(sr.http_request("GET", loc, headers={"Authorization": c.authorization},
                                         ca=self.reg.ca).status, 400)
        r = sr.http_request("GET", loc, ca=self.reg.ca)
        self.assertEqual((r.status, r.body), (200, WASM))
        r = sr.http_request("GET", loc, headers={"Range": "bytes=4-7"}, ca=self.reg.ca)
        self.assertEqual((r.status, r.body), (206, WASM[4:8]))
        self.assertEqual([e["authorization"] for e in self.reg.blob_requests()], [True, False, False])

    def test_pull_blob_drops_authorization_on_redirect(self):
        self.assertEqual(sr.pull_blob(self.reg, "public/r", self.pushed["layer_digest"]), WASM)
        self.assertEqual([(e["authorization"], e["status"]) for e in self.reg.blob_requests()], [(False, 200)])
        front = self.reg.front_requests()
        self.assertEqual([e["status"] for e in front], [401, 307])
        self.assertTrue(front[1]["authorization"])

    def test_blob_host_faults(self):
        self.reg.set_blob_faults([{"match": "/data$", "times": 1, "action": {"corrupt": True}}])
        bad = sr.pull_blob(self.reg, "public/r", self.pushed["layer_digest"])
        self.assertEqual(len(bad), len(WASM))
        self.assertNotEqual(sr.sha256_digest(bad), self.pushed["layer_digest"])
        self.assertEqual(sr.pull_blob(self.reg, "public/r", self.pushed["layer_digest"]), WASM)

    def test_front_logs_and_faults(self):
        self.assertTrue(self.reg.host != self.reg.registry_host and self.reg.host.startswith("127.0.0.1:"))
        c, path, accept = sr.Client(self.reg, None), "/v2/public/r/manifests/1.0.0", {"Accept": sr.MANIFEST_ACCEPT}
        self.assertEqual(c.request("GET", path, headers=accept).status, 200)  # now c holds a token
        self.assertEqual([(e["status"], e["authorization"], e["headers"]["Accept"])
                          for e in self.reg.front_requests()],
                         [(401, False, sr.MANIFEST_ACCEPT), (200, True, sr.MANIFEST_ACCEPT)])
        wrong = sr.sha256_digest(b"wrong")
        self.reg.set_front_faults([
            {"match": "/manifests/1.0.0$", "times": 1, "action": {"status": 503, "body": "busy"}},
            {"match": "/manifests/", "times": 1, "action": {"headers": {"Docker-Content-Digest": wrong}}}])
        self.assertEqual(c.request("GET", path, headers=accept).status, 503)
        r = c.request("GET", path, headers=accept)
        self.assertEqual((r.status, r.headers["Docker-Content-Digest"]), (200, wrong))
        self.assertEqual(sr.sha256_digest(r.body), self.pushed["manifest_digest"])


class DockerCredsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = swtest.tempdir(self)

    def test_docker_config(self):
        d = sr.docker_config(self.tmp, auths={"127.0.0.1:5000": ("u", "p:w"), "x.test": {"identitytoken": "t"}},
                             creds_store="store", cred_helpers={"127.0.0.1:5001": "helper"})
        with open(os.path.join(d, "config.json")) as f:
            doc = json.load(f)
        self.assertEqual(base64.b64decode(doc["auths"]["127.0.0.1:5000"]["auth"]), b"u:p:w")
        self.assertEqual(doc["auths"]["x.test"], {"identitytoken": "t"})
        self.assertEqual((doc["credsStore"], doc["credHelpers"]), ("store", {"127.0.0.1:5001": "helper"}))

    def test_credential_helper(self):
        bindir = sr.fake_credential_helper(self.tmp, "fake", {"127.0.0.1:5000": ("u", "s")})
        exe = os.path.join(bindir, "docker-credential-fake")

        def get(server):
            return subprocess.run([exe, "get"], input=server, capture_output=True, text=True, timeout=10)
        r = get("https://127.0.0.1:5000")
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(json.loads(r.stdout), {"ServerURL": "https://127.0.0.1:5000", "Username": "u", "Secret": "s"})
        r = get("127.0.0.1:6000\n")
        self.assertEqual((r.returncode, r.stdout.strip()), (1, "credentials not found in native keychain"))
        self.assertEqual([c["input"] for c in sr.helper_calls(bindir, "fake")], ["https://127.0.0.1:5000", "127.0.0.1:6000\n"])
        sr.fake_credential_helper(self.tmp, "broken", {}, fail=True)
        r = subprocess.run([os.path.join(bindir, "docker-credential-broken"), "get"], input="x",
                           capture_output=True, text=True, timeout=10)
        self.assertEqual(r.returncode, 1)
        self.assertIn("simulated", r.stdout)


if __name__ == "__main__":
    unittest.main()
