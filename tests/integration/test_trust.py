"""Trust boundaries (issue 12) against the fake GitHub: what a hostile API, mirror or cache
answers is checked, never taken on its word."""

import glob
import shutil
import json
import os
import signal
import ssl
import subprocess
import sys
import time
import urllib.request

import swtest
from swcase import CliCase

MONO = "wasmCloud/wasmCloud"
HERE = os.path.dirname(os.path.abspath(__file__))
TOKEN = "ghs_plainHttpTestToken0123456789"
PLAIN_HINT = "SETUP_WASH_PLAIN_HTTP_REGISTRIES"


class PlainServer(swtest.Service):
    """plainserver.py in a subprocess: an http:// API base on loopback that logs what it gets."""

    def __init__(self, tmpdir):
        self.tmpdir, self.proc = tmpdir, None
        self.log_path = os.path.join(tmpdir, "plain.jsonl")

    def start(self):
        port_file = os.path.join(self.tmpdir, "plain.port")
        self.proc = subprocess.Popen([sys.executable, os.path.join(HERE, "plainserver.py"),
                                      "--port-file", port_file, "--log", self.log_path],
                                     stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not os.path.exists(port_file):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("plainserver.py did not start")
            time.sleep(0.02)
        with open(port_file) as f:
            self.url = "http://127.0.0.1:%s" % f.read().strip()

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            self.proc.wait(5)

    def requests(self):
        if not os.path.exists(self.log_path):
            return []
        with open(self.log_path) as f:
            return [json.loads(line) for line in f if line.strip()]


class SwappedReleaseTest(CliCase):
    """An exact version is looked up by tag; an answer for another release is refused."""

    def release_json(self, tag):
        ctx = ssl.create_default_context(cafile=self.gh.ca)
        url = "%s/repos/%s/releases/tags/%s" % (self.gh.api, MONO, tag)
        with urllib.request.urlopen(url, context=ctx) as resp:
            return json.load(resp)

    def test_an_answer_for_another_tag_is_refused(self):
        other = self.release_json("v2.0.0")
        self.gh.set_faults([{"match": r"/releases/tags/v2\.0\.1$", "host": "api",
                             "action": {"status": 200, "body": other}}])
        for cmd in (["install", "--cache-dir", self.cache], ["resolve"], ["lock"]):
            with self.subTest(cmd=cmd[0]):
                r = self.run_cli(*cmd, "--version", "2.0.1")
                self.assertFails(r, 5, "looking up release 'v2.0.1' of 'wasmCloud/wasmCloud': the "
                                       "API answered with release 'v2.0.0' instead; refusing it")
        self.assertFalse(os.path.exists(os.path.join(self.cache, "wash")), "nothing installed")
        self.assertEqual(self.downloads(), [])
        self.assertFalse(os.path.exists(os.path.join(self.cwd, "plugins.lock")))

    def test_an_answer_for_another_products_tag_is_refused(self):
        other = self.release_json("v2.0.1")
        other["tag_name"] = "runtime-operator/v2.0.1"
        self.gh.set_faults([{"match": r"/releases/tags/v2\.0\.1$", "host": "api",
                             "action": {"status": 200, "body": other}}])
        r = self.run_cli("resolve", "--version", "2.0.1")
        self.assertFails(r, 5, "the API answered with release 'runtime-operator/v2.0.1' instead")

    def test_a_tag_name_with_control_characters_is_printed_escaped(self):
        other = self.release_json("v2.0.1")
        other["tag_name"] = "v2.0.1\x1b[2J\n::error::forged"
        self.gh.set_faults([{"match": r"/releases/tags/v2\.0\.1$", "host": "api",
                             "action": {"status": 200, "body": other}}])
        r = self.run_cli("resolve", "--version", "2.0.1", env={"GITHUB_ACTIONS": "true"})
        self.assertEqual(r.rc, 5, r)
        self.assertNotIn("\x1b", r.stderr)
        self.assertNotIn("\n::error::forged", r.stderr)

    def test_the_right_answer_still_installs(self):
        r = self.run_cli("install", "--cache-dir", self.cache, "--version", "2.0.1",
                         "--verify", "digest")
        self.assertEqual(r.rc, 0, r)


class PlainHttpTest(CliCase):
    """Secrets go only over TLS; every URL a server hands over must keep https. Plain HTTP is
    allowed only to loopback and to hosts listed in SETUP_WASH_PLAIN_HTTP_REGISTRIES, with a
    warning when a secret goes there. Refusals happen before connecting: the .invalid hosts
    below are never even looked up."""

    def test_the_token_is_never_sent_to_a_plain_http_api(self):
        env = {"GITHUB_API_URL": "http://api.invalid/api/v3", "GITHUB_TOKEN": TOKEN}
        for cmd in (["install", "--cache-dir", self.cache], ["resolve"], ["lock"]):
            with self.subTest(cmd=cmd[0]):
                r = self.run_cli(*cmd, "--version", "2.0.1", env=env)
                self.assertFails(r, 4, "refusing to send the GitHub token over plain HTTP to "
                                       "'http://api.invalid/api/v3/repos/",
                                 "set GITHUB_API_URL to an https URL or unset GITHUB_TOKEN",
                                 PLAIN_HINT)
                self.assertNotIn(TOKEN, r.stdout + r.stderr)
                self.assertNotIn("resolve host", r.stderr, "a lookup was attempted")
        self.assertNoTrace("2.0.1")
        self.assertFalse(os.path.exists(os.path.join(self.cwd, "plugins.lock")))

    def test_a_listed_or_loopback_plain_http_host_gets_the_token_with_a_warning(self):
        with PlainServer(self.tmp) as plain:
            for listed in ("", plain.url[len("http://"):]):
                with self.subTest(listed=listed):
                    r = self.run_cli("resolve", "--version", "2.0.1",
                                     env={"GITHUB_API_URL": plain.url, "GITHUB_TOKEN": TOKEN,
                                          PLAIN_HINT: listed})
                    self.assertEqual(r.rc, 3, r)  # the stand-in knows no release
                    why = "listed in " + PLAIN_HINT if listed else "a loopback host"
                    self.assertIn("warning: sending the GitHub token over plain HTTP to '%s/"
                                  % plain.url, r.stderr)
                    self.assertIn(why, r.stderr)
                    self.assertEqual(r.stderr.count("over plain HTTP"), 1, r)
            auths = [q["headers"].get("Authorization") for q in plain.requests()]
            self.assertTrue(auths)
            self.assertEqual(set(auths), {"Bearer " + TOKEN})

    def link_rule(self, link):
        return {"match": r"/releases\?", "host": "api",
                "action": {"delay": 0, "headers": {"Link": '<%s>; rel="next"' % link}}}

    def test_a_plain_http_next_page_link_is_not_followed(self):
        for link in ("http://api.invalid/api/v3/repositories/1/releases?page=2",
                     "HTTP://127.0.0.1@api.invalid/releases?page=2",
                     "//api.invalid/releases?page=2", "ftp://api.invalid/releases"):
            with self.subTest(link=link):
                self.gh.set_faults([self.link_rule(link)])
                r = self.run_cli("resolve", "--version", "^2", env={"GITHUB_TOKEN": TOKEN})
                self.assertFails(r, 4, "the next-page Link from '%s/repos/" % self.gh.api,
                                 "is not an https URL", PLAIN_HINT)
                self.assertNotIn(TOKEN, r.stderr)

    def test_an_https_next_page_link_is_followed(self):
        page2 = "%s/repos/%s/releases?per_page=100&page=2" % (self.gh.api, MONO)
        self.gh.set_faults([dict(self.link_rule(page2), times=1)])
        r = self.run_cli("resolve", "--version", "^2")
        self.assertEqual(r.rc, 0, r)
        self.assertTrue([q for q in self.api_requests() if "page=2" in q["path"]])

    def test_a_cached_plain_http_link_is_not_followed(self):
        args = ("resolve", "--version", "^2", "--cache-dir", self.cache)
        r = self.run_cli(*args)
        self.assertEqual(r.rc, 0, r)
        poisoned = 0
        for p in glob.glob(os.path.join(self.cache, ".setup-wash", "http", "*")):
            with open(p, "rb") as f:
                parts = f.read().split(b"\n", 2)
            if len(parts) == 3 and parts[2].lstrip().startswith(b"["):
                with open(p, "wb") as f:
                    f.write(b"\n".join([parts[0], b"http://api.invalid/releases?page=2", parts[2]]))
                poisoned += 1
        self.assertTrue(poisoned, "no cached release list under %s" % self.cache)
        r = self.run_cli(*args)  # revalidated: 304, then the cached Link
        self.assertFails(r, 4, "the next-page Link from", "is not an https URL")
        r = self.run_cli(*args, "--offline")  # no request: the entry is unusable
        self.assertNotEqual(r.rc, 0, r)
        self.assertNotIn("api.invalid", r.stdout)

    def test_a_redirect_to_plain_http_is_not_followed(self):
        for target in ("http://dl.invalid/wash", "http://127.0.0.1@dl.invalid/wash"):
            with self.subTest(target=target):
                self.gh.set_faults([{"match": "^/dl/", "host": "download",
                                     "action": {"redirect": target}}])
                r = self.run_cli("install", "--cache-dir", self.cache, "--version", "2.0.1",
                                 "--verify", "digest")
                self.assertFails(r, 4, "a redirect from '%s/dl/" % self.gh.download,
                                 "is not an https URL")
                self.assertNoTrace("2.0.1")


def stamp_of(path):
    """The executable's stamp as io/fs.c's sw_fs_stamp writes it."""
    st = os.stat(path)
    return "%d:%d.%09d:%d.%09d:%d:%d" % (
        st.st_size, st.st_mtime_ns // 10**9, st.st_mtime_ns % 10**9,
        st.st_ctime_ns // 10**9, st.st_ctime_ns % 10**9, st.st_dev, st.st_ino)


class CacheProofTest(CliCase):
    """A cache hit proves its bytes: the executable is re-hashed whenever its stamp differs
    from the marker's (a replaced file, a cache restore) and always when a lock pins it; a
    mismatch is a miss that reinstalls, warning with both digests."""

    VERSION = "2.0.1"

    def setUp(self):
        super().setUp()
        first = self.install_json("--version", self.VERSION)
        self.exe = first["wash-path"]
        self.marker = os.path.join(os.path.dirname(self.exe) + ".complete")
        with open(self.exe, "rb") as f:
            self.good = f.read()
        self.good_digest = "sha256:" + swtest.sha256_bytes(self.good)
        self.gh.clear_log()

    def read_marker(self, path=None):
        with open(path or self.marker) as f:
            return json.load(f)

    def write_marker(self, data):
        with open(self.marker, "w") as f:
            json.dump(data, f)

    def forge_exe(self, keep_times=True):
        st = os.stat(self.exe)
        forged = b"#!/bin/sh\necho forged\n".ljust(len(self.good), b"#")
        with open(self.exe, "r+b") as f:
            f.write(forged)
        if keep_times:
            os.utime(self.exe, ns=(st.st_atime_ns, st.st_mtime_ns))
        return "sha256:" + swtest.sha256_bytes(forged)

    def assertReinstalled(self, r, want_warning=None):
        self.assertEqual(r.rc, 0, r)
        self.assertIs(json.loads(r.stdout)["cache-hit"], False, r)
        if want_warning:
            self.assertIn(want_warning, r.stderr)
        with open(self.exe, "rb") as f:
            self.assertEqual(f.read(), self.good)
        self.assertEqual(len(self.downloads()), 1)

    def test_the_marker_records_the_executable(self):
        m = self.read_marker()
        self.assertEqual(m["exe-digest"], self.good_digest)
        self.assertEqual(m["exe-stamp"], stamp_of(self.exe))

    def test_an_untouched_hit_makes_no_request(self):
        j = self.install_json("--version", self.VERSION)
        self.assertIs(j["cache-hit"], True)
        self.assertEqual(self.gh.requests(), [])

    def test_a_file_replaced_behind_the_marker_is_reinstalled(self):
        forged = self.forge_exe()
        r = self.install("--json", "--version", self.VERSION)
        self.assertReinstalled(r, "is not the file verified at install (%s recorded, %s found): "
                                  "installing it again" % (self.good_digest, forged))

    def test_a_restored_cache_is_rehashed_once_and_reused(self):
        restored = os.path.join(self.tmp, "restored")
        shutil.copytree(self.cache, restored)  # new inodes and ctimes, as actions/cache gives
        exe = os.path.join(restored, os.path.relpath(self.exe, self.cache))
        marker = os.path.join(restored, os.path.relpath(self.marker, self.cache))
        before = self.read_marker(marker)["exe-stamp"]
        self.assertNotEqual(before, stamp_of(exe))
        for _ in range(2):
            r = self.run_cli("install", "--cache-dir", restored, "--json", "--version", self.VERSION)
            self.assertEqual(r.rc, 0, r)
            self.assertIs(json.loads(r.stdout)["cache-hit"], True)
            self.assertEqual(self.read_marker(marker)["exe-stamp"], stamp_of(exe))
        self.assertEqual(self.gh.requests(), [])

    def test_a_restored_cache_with_a_replaced_file_is_reinstalled(self):
        forged = self.forge_exe(keep_times=False)
        restored = os.path.join(self.tmp, "restored")
        shutil.copytree(self.cache, restored)
        r = self.run_cli("install", "--cache-dir", restored, "--json", "--version", self.VERSION)
        self.assertEqual(r.rc, 0, r)
        self.assertIs(json.loads(r.stdout)["cache-hit"], False)
        self.assertIn("(%s recorded, %s found)" % (self.good_digest, forged), r.stderr)

    def test_a_lock_pin_is_always_checked_even_against_a_forged_marker(self):
        r = self.run_cli("lock", "--version", self.VERSION)
        self.assertEqual(r.rc, 0, r)
        forged = self.forge_exe()
        m = self.read_marker()
        m["exe-digest"], m["exe-stamp"] = forged, stamp_of(self.exe)
        self.write_marker(m)
        # without the lock the forged marker is all there is to go by (see the README)
        elsewhere = os.path.join(self.tmp, "elsewhere")
        os.makedirs(elsewhere)
        r = self.install("--json", "--version", self.VERSION, cwd=elsewhere)
        self.assertIs(json.loads(r.stdout)["cache-hit"], True, r)
        # the lock pins the asset, and a raw asset is the executable: re-hashed against the pin
        self.gh.clear_log()
        r = self.install("--json", "--version", self.VERSION)
        self.assertReinstalled(r, "(%s recorded, %s found)" % (self.good_digest, forged))

    def test_a_symlinked_executable_is_a_miss(self):
        copy = os.path.join(self.tmp, "elsewhere-wash")
        shutil.copy(self.exe, copy)
        os.unlink(self.exe)
        os.symlink(copy, self.exe)
        r = self.install("--json", "--version", self.VERSION)
        self.assertReinstalled(r)
        self.assertFalse(os.path.islink(self.exe))

    def test_a_symlinked_marker_is_not_read(self):
        planted = os.path.join(self.tmp, "planted.complete")
        shutil.copy(self.marker, planted)
        os.unlink(self.marker)
        os.symlink(planted, self.marker)
        r = self.install("--json", "--version", self.VERSION)
        self.assertReinstalled(r)
        self.assertFalse(os.path.islink(self.marker))

    def test_a_marker_without_the_executables_digest_is_a_miss(self):
        m = self.read_marker()
        del m["exe-digest"], m["exe-stamp"]
        self.write_marker(m)
        self.assertReinstalled(self.install("--json", "--version", self.VERSION))
