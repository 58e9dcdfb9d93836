"""Self-check of the test infrastructure: the fake GitHub (ghserver.py), checked with Python's
own HTTPS client before the C tool is ever pointed at it.

Run: ``cd tests/integration && python3 -m unittest -v test_server_selfcheck``.
"""

import base64
import hashlib
import http.client
import io
import json
import os
import re
import socket
import ssl
import subprocess
import sys
import time
import unittest
import zipfile
from urllib.parse import urlsplit

import ghassets
import swtest

FIXTURE_DIR = os.path.join(swtest.FIXTURES, "releases")


def fixture(repo):
    with open(os.path.join(FIXTURE_DIR, repo.replace("/", "_") + ".json")) as f:
        return json.load(f)


def parse_link(header):
    """{rel: url} from a Link header."""
    return {m.group(2): m.group(1) for m in re.finditer(r'<([^>]*)>;\s*rel="([^"]+)"', header or "")}


class Client:
    """Keep-alive HTTPS connections per origin, never following redirects."""

    def __init__(self, cafile, timeout=5):
        self.ctx = ssl.create_default_context(cafile=cafile)
        self.timeout = timeout
        self.conns = {}

    def conn(self, url):
        u = urlsplit(url)
        if u.netloc not in self.conns:
            self.conns[u.netloc] = http.client.HTTPSConnection(u.hostname, u.port, context=self.ctx,
                                                               timeout=self.timeout)
        return self.conns[u.netloc]

    def request(self, url, headers=None, method="GET"):
        """Send a request; returns the HTTPResponse with its body unread."""
        u = urlsplit(url)
        c = self.conn(url)
        c.request(method, u.path + ("?" + u.query if u.query else ""), headers=headers or {})
        return c.getresponse()

    def get(self, url, headers=None):
        """(status, headers, body) of a GET."""
        r = self.request(url, headers)
        return r.status, r.headers, r.read()

    def close(self):
        for c in self.conns.values():
            c.close()
        self.conns = {}


class ServerSelfCheck(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.gh = swtest.GitHubServer()
        cls.gh.__enter__()
        cls.addClassCleanup(cls.gh.__exit__, None, None, None)

    def setUp(self):
        self.gh.set_faults([])
        self.gh.reset_releases()
        self.gh.clear_log()
        self.c = Client(self.gh.ca)
        self.addCleanup(self.c.close)

    def json(self, url, headers=None):
        status, h, body = self.c.get(url, headers)
        self.assertEqual(status, 200, body)
        return h, json.loads(body)

    def dl_url(self, repo, tag, name):
        return "%s/%s/releases/download/%s/%s" % (self.gh.server, repo, tag.replace("/", "%2F"), name)

    # -- releases API ---------------------------------------------------------

    def walk(self, url):
        pages, tags = [], []
        while url:
            h, page = self.json(url)
            pages.append((h.get("Link"), len(page)))
            tags += [r["tag_name"] for r in page]
            url = parse_link(h.get("Link")).get("next")
        return pages, tags

    def test_pagination_follows_link_over_100_releases(self):
        expected = [r["tag_name"] for r in fixture("wasmCloud/wasmCloud")]
        self.assertGreater(len(expected), 100)
        pages, tags = self.walk(self.gh.api + "/repos/wasmCloud/wasmCloud/releases?per_page=100")
        self.assertEqual(tags, expected)
        self.assertEqual([n for _, n in pages], [100, len(expected) - 100])
        first, second = parse_link(pages[0][0]), parse_link(pages[1][0])
        self.assertEqual(set(first), {"next", "last"})
        self.assertTrue(first["next"].startswith(self.gh.api + "/repositories/"), first)
        self.assertTrue(first["next"].endswith("?per_page=100&page=2"), first)
        self.assertEqual(set(second), {"prev", "first"})

    def test_pagination_default_30_and_beyond_last(self):
        pages, tags = self.walk(self.gh.api + "/repos/wasmCloud/wasmCloud/releases")
        self.assertEqual([n for _, n in pages], [30, 30, 30, 30, 9])
        self.assertEqual(set(parse_link(pages[2][0])), {"prev", "next", "last", "first"})
        h, page = self.json(self.gh.api + "/repos/wasmCloud/wasmCloud/releases?page=9")
        self.assertEqual(page, [])
        h, page = self.json(self.gh.api + "/repos/wasmCloud/wash/releases?per_page=100")
        self.assertEqual(len(page), 20)
        self.assertIsNone(h.get("Link"))

    def test_etag_and_304(self):
        url = self.gh.api + "/repos/wasmCloud/wash/releases?per_page=100"
        status, h, body = self.c.get(url)
        etag = h["ETag"]
        self.assertRegex(etag, r'^"[0-9a-f]{64}"$')
        self.assertEqual(etag, '"%s"' % hashlib.sha256(body).hexdigest())
        for inm in (etag, "W/" + etag, '"nope", ' + etag):
            status, h2, body2 = self.c.get(url, {"If-None-Match": inm})
            self.assertEqual((status, body2, h2["ETag"]), (304, b"", etag))
        status, _, body3 = self.c.get(url, {"If-None-Match": '"other"'})
        self.assertEqual((status, body3), (200, body))

    def test_tag_lookup(self):
        api = self.gh.api + "/repos/wasmCloud/wasmCloud/releases/tags/"
        _, rel = self.json(api + "wash-v2.0.0-rc.8")
        self.assertEqual((rel["tag_name"], rel["prerelease"]), ("wash-v2.0.0-rc.8", False))
        _, rel = self.json(api + "runtime-operator%2Fv0.1.0")
        self.assertEqual(rel["tag_name"], "runtime-operator/v0.1.0")
        _, rel = self.json(self.gh.api + "/repos/wasmcloud/WASH/releases/tags/wash-v1.0.0-beta.1")
        self.assertTrue(rel["prerelease"])
        for url in (api + "v9.9.9", self.gh.api + "/repos/nobody/nothing/releases/tags/v1.0.0",
                    self.gh.api + "/repos/wasmCloud/wash/nonsense"):
            status, h, body = self.c.get(url)
            self.assertEqual(status, 404, url)
            self.assertEqual(json.loads(body)["message"], "Not Found")

    def test_latest_trusts_the_prerelease_flag(self):
        _, rel = self.json(self.gh.api + "/repos/wasmCloud/wash/releases/latest")
        self.assertEqual(rel["tag_name"], "wash-v2.0.0-rc.7")  # an rc: the flag was not set
        _, rel = self.json(self.gh.api + "/repos/wasmCloud/wasmCloud/releases/latest")
        self.assertEqual(rel["tag_name"], "runtime-operator/v0.40.0")  # not even wash

    def test_release_and_asset_by_id(self):
        rel = fixture("wasmCloud/wash")[0]
        _, got = self.json(self.gh.api + "/repos/wasmCloud/wash/releases/%d" % rel["id"])
        self.assertEqual(got["tag_name"], rel["tag_name"])
        asset = got["assets"][0]
        self.assertTrue(asset["url"].startswith(self.gh.api + "/repos/wasmCloud/wash/releases/assets/"))
        r = self.c.request(asset["url"], {"Accept": "application/octet-stream"})
        r.read()
        self.assertEqual(r.status, 302)
        self.assertTrue(r.headers["Location"].startswith(self.gh.download + "/dl/"))

    # -- downloads -----------------------------------------------------------

    def test_redirect_to_download_host_and_digests(self):
        n = 0
        for repo in ("wasmCloud/wash", "wasmCloud/wasmCloud"):
            for rel in fixture(repo):
                _, rel = self.json(self.gh.api + "/repos/%s/releases/tags/%s" % (repo, rel["tag_name"].replace("/", "%2F")))
                for a in rel["assets"]:
                    self.assertTrue(a["browser_download_url"].startswith(self.gh.server + "/"), a)
                    status, h, body = self.c.get(a["browser_download_url"])
                    self.assertEqual((status, body), (302, b""))
                    loc = h["Location"]
                    self.assertTrue(loc.startswith(self.gh.download + "/dl/" + repo + "/"), loc)
                    self.assertTrue(loc.endswith("?token=sig"), loc)
                    status, h, data = self.c.get(loc)
                    self.assertEqual(status, 200)
                    self.assertEqual(h["Content-Type"], "application/octet-stream")
                    self.assertEqual((len(data), "sha256:" + swtest.sha256_bytes(data)),
                                     (a["size"], a["digest"]), a["name"])
                    n += 1
        self.assertGreater(n, 300)
        self.assertEqual({urlsplit("https://" + r["headers"]["Host"]).hostname for r in
                          self.gh.requests("download")}, {"127.0.0.2"})

    def test_asset_contents(self):
        _, _, data = self.c.get(self.gh.download + "/dl/wasmCloud/wash/wash-v2.0.0-rc.3/wash-x86_64-apple-darwin")
        self.assertTrue(data.startswith(b'#!/bin/sh\necho "wash 1.0.0-rc.2"\n'), data)
        tag = "v2.7.0"
        _, _, data = self.c.get(self.gh.download + "/dl/wasmCloud/wasmCloud/%s/wash-x86_64-pc-windows-msvc.zip" % tag)
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            self.assertEqual(zf.namelist(), ["wash.exe"])
            self.assertIn(b'echo "wash 2.7.0"', zf.read("wash.exe"))
        _, _, data = self.c.get(self.gh.download + "/dl/wasmCloud/wasmCloud/%s/wash.sigstore.json" % tag)
        # a real bundle of the test Sigstore instance (--forge-tool), listing every wash-* asset
        stmt = json.loads(base64.b64decode(json.loads(data)["dsseEnvelope"]["payload"]))
        self.assertEqual(len(stmt["subject"]), 9)
        status, _, _ = self.c.get(self.gh.download + "/dl/wasmCloud/wasmCloud/%s/wash-nope" % tag)
        self.assertEqual(status, 404)
        status, _, _ = self.c.get(self.dl_url("wasmCloud/wasmCloud", "v2.0.4", "wash-x86_64-unknown-linux-gnu"))
        self.assertEqual(status, 404)  # gnu builds start at 2.0.5

    def test_range_and_head(self):
        url = self.gh.download + "/dl/wasmCloud/wasmCloud/v2.7.0/wash-x86_64-unknown-linux-musl"
        _, _, full = self.c.get(url)
        status, h, part = self.c.get(url, {"Range": "bytes=10-"})
        self.assertEqual((status, part, h["Content-Range"]), (206, full[10:], "bytes 10-%d/%d" % (len(full) - 1, len(full))))
        r = self.c.request(url, method="HEAD")
        self.assertEqual((r.status, r.read(), int(r.headers["Content-Length"])), (200, b"", len(full)))

    # -- faults ----------------------------------------------------------------

    def test_status_500_once_then_ok(self):
        self.gh.set_faults([{"match": r"/releases\?", "host": "api", "times": 1, "action": {"status": 500}}])
        url = self.gh.api + "/repos/wasmCloud/wash/releases?per_page=5"
        self.assertEqual(self.c.get(url)[0], 500)
        self.assertEqual(self.c.get(url)[0], 200)
        self.assertEqual([(r["status"], r["fault"]) for r in self.gh.requests()], [(500, 0), (200, None)])

    def test_rate_limit_403_and_429(self):
        self.gh.set_faults([
            {"match": "wash/releases", "times": 1, "action": {
                "status": 403, "body": {"message": "API rate limit exceeded for 127.0.0.1."},
                "headers": {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1790000000"}}},
            {"match": "wash/releases", "times": 1, "action": {"status": 429, "headers": {"Retry-After": "2"}}},
        ])
        url = self.gh.api + "/repos/wasmCloud/wash/releases"
        status, h, body = self.c.get(url)
        self.assertEqual((status, h["X-RateLimit-Remaining"], h["X-RateLimit-Reset"]), (403, "0", "1790000000"))
        self.assertIn("rate limit", json.loads(body)["message"])
        status, h, _ = self.c.get(url)
        self.assertEqual((status, h["Retry-After"]), (429, "2"))
        self.assertEqual(self.c.get(url)[0], 200)

    def fetch_raw(self, url, timeout=5):
        """(status, Content-Length, bytes received, exception) without raising on a broken body."""
        c = Client(self.gh.ca, timeout)
        try:
            r = c.request(url)
            got, err = b"", None
            try:
                got = r.read()
            except http.client.IncompleteRead as e:
                got, err = e.partial, e
            except (OSError, ssl.SSLError) as e:
                err = e
            return r.status, int(r.headers["Content-Length"]), got, err
        finally:
            c.close()

    def asset(self):
        url = self.gh.download + "/dl/wasmCloud/wasmCloud/v2.7.0/wash-x86_64-unknown-linux-gnu"
        return url, self.c.get(url)[2]

    def test_reset_after(self):
        url, data = self.asset()
        self.gh.set_faults([{"match": "^/dl/", "host": "download", "action": {"reset_after": 10}}])
        status, length, got, err = self.fetch_raw(url)
        self.assertEqual((status, length), (200, len(data)))
        self.assertIsInstance(err, (ConnectionResetError, http.client.IncompleteRead), repr(err))
        self.assertTrue(data.startswith(got) and len(got) <= 10, got)

    def test_truncate_after(self):
        url, data = self.asset()
        self.gh.set_faults([{"match": "^/dl/", "action": {"truncate_after": 20}}])
        status, length, got, err = self.fetch_raw(url)
        self.assertEqual((status, length, got), (200, len(data), data[:20]))
        self.assertIsInstance(err, http.client.IncompleteRead)

    def test_stall_after(self):
        url, data = self.asset()
        self.gh.set_faults([{"match": "^/dl/", "action": {"stall_after": 5, "stall_seconds": 3}}])
        t0 = time.monotonic()
        status, length, got, err = self.fetch_raw(url, timeout=0.5)
        self.assertLess(time.monotonic() - t0, 2.5)
        self.assertEqual((status, got), (200, b""))
        self.assertIsInstance(err, socket.timeout)
        self.gh.set_faults([{"match": "^/dl/", "action": {"stall_after": -1, "stall_seconds": 3}}])
        with self.assertRaises(socket.timeout):
            self.fetch_raw(url, timeout=0.5)

    def test_corrupt_replace_redirect(self):
        url, data = self.asset()
        self.gh.set_faults([{"match": "^/dl/", "times": 1, "action": {"corrupt": True}},
                            {"match": "^/dl/", "times": 1, "action": {"replace_b64": base64.b64encode(b"evil").decode()}},
                            {"match": "^/dl/", "times": 1, "action": {"redirect": "https://127.0.0.1:1/x"}}])
        _, _, bad = self.c.get(url)
        diff = [i for i in range(len(data)) if bad[i] != data[i]]
        self.assertEqual((len(bad), diff), (len(data), [len(data) // 2]))
        self.assertEqual(self.c.get(url)[2], b"evil")
        status, h, _ = self.c.get(url)
        self.assertEqual((status, h["Location"]), (302, "https://127.0.0.1:1/x"))
        self.assertEqual(self.c.get(url)[2], data)

    def test_host_filter(self):
        self.gh.set_faults([{"match": ".", "host": "download", "action": {"status": 503}}])
        self.assertEqual(self.c.get(self.gh.api + "/repos/wasmCloud/wash/releases")[0], 200)
        self.assertEqual(self.asset()[1][:0], b"")
        self.assertEqual(self.gh.requests()[-1]["status"], 503)

    # -- log, keep-alive, auth, TLS ------------------------------------------------

    def test_log_records_headers_and_keepalive(self):
        url = self.dl_url("wasmCloud/wash", "wash-v1.0.0-rc.1", "wash-aarch64-apple-darwin")
        h = {"Authorization": "Bearer t0ken", "User-Agent": "selfcheck"}
        self.c.get(self.gh.api + "/repos/wasmCloud/wash/releases", h)
        status, hdrs, _ = self.c.get(url, h)
        self.c.get(hdrs["Location"])
        self.c.get(hdrs["Location"])
        status, _, _ = self.c.get(hdrs["Location"], {"Authorization": "Bearer t0ken"})
        self.assertEqual(status, 400)  # a signed URL refuses a second credential, as S3 does
        log = self.gh.requests()
        self.assertEqual([r["host"] for r in log], ["api", "api", "download", "download", "download"])
        self.assertEqual(log[0]["headers"]["Authorization"], "Bearer t0ken")
        self.assertEqual(log[0]["headers"]["User-Agent"], "selfcheck")
        self.assertEqual(log[0]["addr"], log[1]["addr"])  # one kept-alive connection
        self.assertNotIn("Authorization", log[2]["headers"])
        self.assertEqual(log[2]["method"], "GET")
        self.assertTrue(log[2]["path"].endswith("?token=sig"))

    def test_private_repo(self):
        self.gh.require_token("wasmCloud/wash", "s3cret")
        url = self.gh.api + "/repos/wasmCloud/wash/releases"
        self.assertEqual(self.c.get(url)[0], 404)
        self.assertEqual(self.c.get(url, {"Authorization": "token s3cret"})[0], 200)
        self.gh.require_token("wasmCloud/wash", None)
        self.assertEqual(self.c.get(url)[0], 200)

    def test_unknown_ca_fails(self):
        ctx = ssl.create_default_context(cafile=self.gh.certs.other_ca)
        for base in (self.gh.api, self.gh.download):
            u = urlsplit(base)
            c = http.client.HTTPSConnection(u.hostname, u.port, context=ctx, timeout=5)
            with self.assertRaises(ssl.SSLCertVerificationError):
                c.request("GET", "/")
            c.close()

    # -- extra releases via the control file ---------------------------------------

    def test_extra_releases(self):
        prefix = ghassets.wash_script("wasmCloud", "wasmCloud", "v2.9.0", "wash-x86_64-unknown-linux-musl")
        self.gh.add_releases({"wasmCloud/wasmCloud": [
            {"tag_name": "v2.9.0", "created_at": "2026-11-10T10:00:00Z", "assets": [
                {"name": "wash-x86_64-unknown-linux-musl",
                 "content_size_random_seed": [3 * 1024 * 1024 + 5, 42],
                 "content_prefix_b64": base64.b64encode(prefix).decode()},
                {"name": "wash-aarch64-unknown-linux-musl", "content_b64": base64.b64encode(b"x" * 7).decode()},
                {"name": "wash-x86_64-apple-darwin", "digest": "sha256:" + "0" * 64},
                {"name": "wash-aarch64-apple-darwin"}]},
            {"tag_name": "v2.7.0", "assets": []},
            {"tag_name": "v3.0.0", "draft": True}]})
        _, page = self.json(self.gh.api + "/repos/wasmCloud/wasmCloud/releases?per_page=3")
        self.assertEqual([r["tag_name"] for r in page], ["v2.9.0", "v2.7.0", "runtime-operator/v0.40.0"])
        self.assertEqual(page[1]["assets"], [])
        assets = {a["name"]: a for a in page[0]["assets"]}
        for name, a in assets.items():
            status, h, _ = self.c.get(a["browser_download_url"])
            status, _, data = self.c.get(h["Location"])
            self.assertEqual(status, 200)
            if name == "wash-x86_64-apple-darwin":
                self.assertNotEqual(a["digest"], "sha256:" + swtest.sha256_bytes(data))
            else:
                self.assertEqual((a["size"], a["digest"]), (len(data), "sha256:" + swtest.sha256_bytes(data)))
        big = assets["wash-x86_64-unknown-linux-musl"]
        self.assertEqual(big["size"], 3 * 1024 * 1024 + 5)
        url = self.c.get(big["browser_download_url"])[1]["Location"]
        status, _, part = self.c.get(url, {"Range": "bytes=0-%d" % (len(prefix) - 1)})
        self.assertEqual((status, part), (206, prefix))
        status, _, _ = self.c.get(self.gh.api + "/repos/wasmCloud/wasmCloud/releases/tags/v3.0.0")
        self.assertEqual(status, 404)  # drafts have no tag page
        _, page = self.json(self.gh.api + "/repos/wasmCloud/wasmCloud/releases?per_page=3",
                            {"Authorization": "Bearer x"})
        self.assertEqual(page[2]["tag_name"], "v3.0.0")  # ... and are listed only to the authorized

    def test_bad_control_file_is_a_500(self):
        with open(self.gh.control_path + ".tmp", "w") as f:
            f.write('{"rules": [{"match": "(", "action": {"status": 500}}]}')
        os.replace(self.gh.control_path + ".tmp", self.gh.control_path)
        status, _, body = self.c.get(self.gh.api + "/repos/wasmCloud/wash/releases")
        self.assertEqual(status, 500)
        self.assertIn("ghserver error", json.loads(body)["message"])

    def test_api_at_root_and_sigterm(self):
        with swtest.GitHubServer(certs=self.gh.certs, api_prefix="") as other:
            self.assertEqual(other.api, other.server)
            _, rel = self.json(other.api + "/repos/wasmCloud/wash/releases/latest")
            self.assertTrue(rel["assets"][0]["url"].startswith(other.server + "/repos/"))
            status, h, _ = self.c.get(rel["assets"][0]["browser_download_url"])
            self.assertEqual((status, h["Location"].startswith(other.download)), (302, True))
        self.assertEqual(other.returncode, 0)

    def test_fixtures_are_fresh(self):
        tmp = swtest.tempdir(self)
        gen = os.path.join(swtest.FIXTURES, "gen_releases.py")
        subprocess.run([sys.executable, gen, "--out", tmp], check=True, capture_output=True)
        for name in sorted(os.listdir(tmp)):
            with open(os.path.join(tmp, name), "rb") as a, open(os.path.join(FIXTURE_DIR, name), "rb") as b:
                self.assertTrue(a.read() == b.read(), name + " is stale: run tests/fixtures/gen_releases.py")

    def test_run_cli_environment(self):
        os.environ["SETUP_WASH_BIN"], saved = "/usr/bin/env", os.environ.get("SETUP_WASH_BIN")
        os.environ["GITHUB_TOKEN"], saved_token = "leak", os.environ.get("GITHUB_TOKEN")
        try:
            tmp = swtest.tempdir(self)
            r = swtest.run_cli([], env=dict(swtest.base_env(self.gh, tmp), X="1", LANG=None))
        finally:
            for k, v in (("SETUP_WASH_BIN", saved), ("GITHUB_TOKEN", saved_token)):
                if v is None:
                    os.environ.pop(k)
                else:
                    os.environ[k] = v
        env = dict(line.split("=", 1) for line in r.stdout.splitlines())
        self.assertEqual(r.rc, 0)
        self.assertEqual(sorted(env), sorted(["PATH", "HOME", "TMPDIR", "X", "GITHUB_API_URL", "GITHUB_SERVER_URL",
                                              "SSL_CERT_FILE", "SETUP_WASH_RETRY_DELAY_MS",
                                              "SETUP_WASH_TRUSTED_ROOT",
                                              "SETUP_WASH_STALL_TIMEOUT", "XDG_CACHE_HOME"]))
        self.assertEqual(env["XDG_CACHE_HOME"], os.path.join(tmp, "xdg-cache"))

    def test_sigterm_exits_cleanly(self):
        with swtest.GitHubServer(certs=self.gh.certs) as other:
            self.assertEqual(self.c.get(other.api + "/repos/wasmCloud/wash/releases/latest")[0], 200)
        self.assertEqual(other.returncode, 0)


if __name__ == "__main__":
    unittest.main()
