"""Servers that fail, stall, cut off, rate-limit or lie: clear message, right exit code,
nothing half-written."""

import os
import subprocess
import time
import unittest

import swtest
from swcase import ARCH, GNU, MUSL, CliCase

DL = r"/dl/wasmCloud/wasmCloud/v2\.6\.1/"
API_TAG = r"/releases/tags/v2\.6\.1"


class FaultTest(CliCase):
    token = "ghs_faultMatrixToken0123456789abcdef"

    def install_261(self, *extra, env=None):
        return self.install("--version", "2.6.1", *extra, env=env)

    def assertInstalled(self, r):
        self.assertEqual(r.rc, 0, r)
        self.assertTrue(os.path.exists(os.path.join(self.cache, "wash", "2.6.1", ARCH + ".complete")))
        self.assertNoTrace()

    def test_api_5xx_then_ok_is_retried(self):
        self.gh.set_faults([{"match": API_TAG, "host": "api", "times": 2, "action": {"status": 502}}])
        r = self.install_261()
        self.assertInstalled(r)
        self.assertIn("retrying", r.stderr)
        self.assertIn("HTTP 502", r.stderr)

    def test_api_5xx_forever_fails_as_network_error(self):
        self.gh.set_faults([{"match": API_TAG, "host": "api", "action": {"status": 503}}])
        r = self.install_261(env={"SETUP_WASH_RETRIES": "2"})
        self.assertFails(r, 4, "HTTP 503", "after 3 attempts")
        self.assertEqual(len(self.api_requests()), 3)
        self.assertNoTrace("2.6.1")

    def test_download_5xx_then_ok(self):
        self.gh.set_faults([{"match": DL, "host": "download", "times": 1, "action": {"status": 500}}])
        self.assertInstalled(self.install_261())

    def test_reset_mid_body_then_ok(self):
        self.gh.set_faults([{"match": DL, "host": "download", "times": 1,
                             "action": {"reset_after": 20}}])
        r = self.install_261()
        self.assertInstalled(r)
        self.assertIn("retrying", r.stderr)

    def test_reset_every_time_fails_and_leaves_nothing(self):
        self.gh.set_faults([{"match": DL, "host": "download", "action": {"reset_after": 20}}])
        r = self.install_261(env={"SETUP_WASH_RETRIES": "1"})
        self.assertFails(r, 4, "installing wash 2.6.1", "wash-" + GNU)
        self.assertNoTrace("2.6.1")

    def test_truncated_body_then_ok(self):
        self.gh.set_faults([{"match": DL, "host": "download", "times": 1,
                             "action": {"truncate_after": 10}}])
        self.assertInstalled(self.install_261())

    def test_truncated_body_every_time_fails(self):
        self.gh.set_faults([{"match": DL, "host": "download", "action": {"truncate_after": 10}}])
        r = self.install_261(env={"SETUP_WASH_RETRIES": "1"})
        self.assertEqual(r.rc, 4, r)
        self.assertNoTrace("2.6.1")

    def test_stalled_body_times_out_then_retries(self):
        self.gh.set_faults([{"match": DL, "host": "download", "times": 1,
                             "action": {"stall_after": 10, "stall_seconds": 8}}])
        t = time.monotonic()
        r = self.install_261(env={"SETUP_WASH_STALL_TIMEOUT": "1"})
        self.assertInstalled(r)
        self.assertLess(time.monotonic() - t, 7, "the stall was waited out instead of timed out")
        self.assertIn("retrying", r.stderr)

    def test_stall_every_time_fails_with_timeout_message(self):
        self.gh.set_faults([{"match": DL, "host": "download",
                             "action": {"stall_after": 10, "stall_seconds": 8}}])
        r = self.install_261(env={"SETUP_WASH_STALL_TIMEOUT": "1", "SETUP_WASH_RETRIES": "1"})
        self.assertFails(r, 4, "stalled or timed out", "stall timeout 1 s")
        self.assertNoTrace("2.6.1")

    def test_403_rate_limit_says_when_it_resets(self):
        reset = int(time.time()) + 1800
        self.gh.set_faults([{"match": "/releases", "host": "api", "action": {
            "status": 403, "body": {"message": "API rate limit exceeded for 127.0.0.1."},
            "headers": {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)}}}])
        r = self.install("--version", "latest", env={"GITHUB_TOKEN": None})
        self.assertFails(r, 4, "rate limit exceeded", "resets at", "GITHUB_TOKEN", "setup-wash lock")
        self.assertEqual(len(self.api_requests()), 1, "a rate limit must not be hammered")
        self.assertNoTrace()

    def test_403_with_token_does_not_advise_setting_one(self):
        self.gh.set_faults([{"match": "/releases", "host": "api", "action": {
            "status": 403, "headers": {"X-RateLimit-Remaining": "0",
                                       "X-RateLimit-Reset": str(int(time.time()) + 60)}}}])
        r = self.install("--version", "latest", env={"GITHUB_TOKEN": "tok"})
        self.assertFails(r, 4, "rate limit exceeded", "plugins.lock")
        self.assertNotIn("set GITHUB_TOKEN", r.stderr)

    def test_429_short_retry_after_is_honoured(self):
        self.gh.set_faults([{"match": API_TAG, "host": "api", "times": 1,
                             "action": {"status": 429, "headers": {"Retry-After": "1"}}}])
        t = time.monotonic()
        r = self.install_261()
        self.assertInstalled(r)
        self.assertGreaterEqual(time.monotonic() - t, 1.0)
        self.assertIn("Retry-After", r.stderr)

    def test_429_long_retry_after_fails_at_once(self):
        self.gh.set_faults([{"match": API_TAG, "host": "api",
                             "action": {"status": 429, "headers": {"Retry-After": "3600"}}}])
        t = time.monotonic()
        r = self.install_261()
        self.assertFails(r, 4, "rate limit", "retry after 3600 s")
        self.assertLess(time.monotonic() - t, 5)

    def test_wrong_digest_from_api_is_refused_and_leaves_no_trace(self):
        bad = "sha256:" + "0" * 64
        self.gh.add_releases({"wasmCloud/wasmCloud": [{"tag_name": "v2.6.1", "assets": [
            {"name": "wash-" + GNU, "digest": bad}]}]})
        r = self.install_261()
        self.assertFails(r, 5, "digest mismatch", bad, "the GitHub API", "nothing was installed")
        self.assertNoTrace("2.6.1")

    def test_corrupted_download_is_refused(self):
        self.gh.set_faults([{"match": DL, "host": "download", "action": {"corrupt": True}}])
        r = self.install_261()
        self.assertFails(r, 5, "digest mismatch")
        self.assertNoTrace("2.6.1")

    def test_body_longer_than_declared_is_refused(self):
        self.gh.set_faults([{"match": DL, "host": "download",
                             "action": {"replace_b64": "QUFBQQ==" * 200}}])
        r = self.install_261()
        self.assertEqual(r.rc, 5, r)
        self.assertNoTrace("2.6.1")

    def test_no_digest_known_fails_closed_unless_verify_none(self):
        self.gh.add_releases({"wasmCloud/wasmCloud": [{"tag_name": "v2.6.1", "assets": [
            {"name": "wash-" + GNU, "digest": None}]}]})
        r = self.install_261()
        self.assertFails(r, 5, "no digest is known", "--verify none")
        self.assertNoTrace("2.6.1")
        r = self.install_261("--verify", "none")
        self.assertEqual(r.rc, 0, r)
        self.assertIn("warning", r.stderr)
        self.assertIn("without checking its digest", r.stderr)
        # an unverified install is not a cache hit for a verifying one
        r = self.install_261()
        self.assertEqual(r.rc, 5, r)

    def test_unknown_ca_is_refused_without_fallback(self):
        r = self.install_261(env={"SSL_CERT_FILE": self.gh.certs.other_ca})
        self.assertFails(r, 4, "TLS verification failed", "--cacert")
        self.assertEqual(self.gh.requests(), [], "no request may complete over an untrusted TLS")
        # --cacert names the right CA and wins over the environment
        r = self.install_261("--cacert", self.gh.ca, env={"SSL_CERT_FILE": self.gh.certs.other_ca})
        self.assertInstalled(r)

    def test_connection_refused_fails_after_retries(self):
        r = self.install_261(env={"GITHUB_API_URL": "https://127.0.0.1:9/api/v3",
                                  "SETUP_WASH_RETRIES": "1"})
        self.assertFails(r, 4, "127.0.0.1:9", "after 2 attempts")

    def test_404_download_is_not_found(self):
        self.gh.set_faults([{"match": DL, "host": "download", "action": {"status": 404}}])
        r = self.install_261()
        self.assertFails(r, 3, "does not exist (HTTP 404)")
        self.assertNoTrace("2.6.1")

    def test_html_instead_of_json_is_a_clear_error(self):
        self.gh.set_faults([{"match": API_TAG, "host": "api",
                             "action": {"status": 200, "body": "<html>proxy login</html>"}}])
        r = self.install_261()
        self.assertFails(r, 4, "not valid JSON")

    def test_hostile_archive_is_refused(self):
        import base64, io, zipfile
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("../../evil.exe", b"MZ evil")
        data = buf.getvalue()
        self.gh.add_releases({"wasmCloud/wasmCloud": [{"tag_name": "v2.6.1", "assets": [
            {"name": "wash-x86_64-pc-windows-msvc.zip", "content_b64": base64.b64encode(data).decode()}]}]})
        r = self.install_261("--target", "x86_64-pc-windows-msvc")
        self.assertFails(r, 5, "escapes the destination")
        self.assertFalse(os.path.exists(os.path.join(self.cache, "evil.exe")))
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "evil.exe")))
        self.assertNoTrace("2.6.1")

    def test_disk_full_while_writing_fails_cleanly(self):
        import resource
        import signal as sig

        self.gh.add_releases({"wasmCloud/wasmCloud": [{"tag_name": "v2.6.1", "assets": [
            {"name": "wash-" + GNU, "content_size_random_seed": [4 << 20, 7]}]}]})

        def limit():  # a file-size limit stands in for a full disk: writes fail with EFBIG
            sig.signal(sig.SIGXFSZ, sig.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))

        env = dict(self.env, PATH=os.environ.get("PATH", "/usr/bin:/bin"), HOME=self.tmp, LANG="C")
        p = subprocess.run([swtest.cli_path(), "install", "--cache-dir", self.cache, "--version",
                            "2.6.1"], env=env, cwd=self.cwd, capture_output=True, text=True,
                           preexec_fn=limit, timeout=60)
        self.assertEqual(p.returncode, 6, p.stderr)
        self.assertIn("cannot write the download: File too large", p.stderr)
        self.assertNoTrace("2.6.1")
        self.assertNotIn(self.token, p.stdout + p.stderr)

    def test_archive_without_wash_exe_is_refused(self):
        import base64, io, zipfile
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("README.txt", b"no binary here")
        self.gh.add_releases({"wasmCloud/wasmCloud": [{"tag_name": "v2.6.1", "assets": [
            {"name": "wash-x86_64-pc-windows-msvc.zip",
             "content_b64": base64.b64encode(buf.getvalue()).decode()}]}]})
        r = self.install_261("--target", "x86_64-pc-windows-msvc")
        self.assertFails(r, 5, "has no 'wash.exe'")
        self.assertNoTrace("2.6.1")


if __name__ == "__main__":
    unittest.main()
