"""setup-wash lock, and installs pinned by plugins.lock."""

import json
import os
import unittest

import swtest
from swcase import ARCH, GNU, MUSL, CliCase


class LockTest(CliCase):
    def lock(self, *args):
        return self.run_cli("lock", "--cache-dir", self.cache, *args)

    def lockfile(self):
        with open(os.path.join(self.cwd, "plugins.lock")) as f:
            return json.load(f)

    def test_lock_pins_every_build_with_digests(self):
        r = self.lock("--version", "^2.5")
        self.assertEqual(r.rc, 0, r)
        w = self.lockfile()["wash"]
        self.assertEqual((w["version"], w["tag"], w["repository"], w["requested"]),
                         ("2.7.0", "v2.7.0", "wasmCloud/wasmCloud", "^2.5"))
        names = sorted(w["assets"])
        self.assertEqual(names, sorted(n for n in names))
        self.assertIn("wash-s390x-unknown-linux-gnu", names)
        self.assertIn("wash-x86_64-pc-windows-msvc.zip", names)
        self.assertNotIn("wash.sigstore.json", names)
        for name, a in w["assets"].items():
            self.assertRegex(a["digest"], r"^sha256:[0-9a-f]{64}$")
        self.assertEqual(self.lockfile()["plugins"], [])

    def test_lock_output_is_deterministic_and_keeps_plugins(self):
        path = os.path.join(self.cwd, "plugins.lock")
        with open(path, "w") as f:
            json.dump({"lockfile-version": 1, "plugins": [{"name": "x", "source": "./x.wasm"}]}, f)
        self.assertEqual(self.lock("--version", "2.6.1").rc, 0)
        with open(path) as f:
            first = f.read()
        self.assertEqual(self.lock("--version", "2.6.1").rc, 0)
        with open(path) as f:
            self.assertEqual(f.read(), first)
        self.assertEqual(json.loads(first)["plugins"], [{"name": "x", "source": "./x.wasm"}])
        self.assertTrue(first.endswith("}\n"))

    def test_locked_install_makes_no_api_request(self):
        self.assertEqual(self.lock("--version", "2.6.1").rc, 0)
        self.gh.clear_log()
        out = self.install_json()  # no --version: the lock's
        self.assertEqual(out["wash-version"], "2.6.1")
        self.assertEqual(self.api_requests(), [])
        self.assertEqual(len(self.downloads()), 1)
        self.assertEqual(out["digest"], self.lockfile()["wash"]["assets"]["wash-" + GNU]["digest"])

    def test_locked_digest_mismatch_fails_and_leaves_nothing(self):
        self.assertEqual(self.lock("--version", "2.6.1").rc, 0)
        lock = self.lockfile()
        bad = "sha256:" + "ab" * 32
        lock["wash"]["assets"]["wash-" + GNU]["digest"] = bad
        with open(os.path.join(self.cwd, "plugins.lock"), "w") as f:
            json.dump(lock, f)
        r = self.install("--version", "2.6.1")
        self.assertFails(r, 5, "digest mismatch", bad, "plugins.lock")
        self.assertNoTrace("2.6.1")

    def test_release_changed_since_locked_is_refused_before_download(self):
        self.assertEqual(self.lock("--version", "2.6.1").rc, 0)
        lock = self.lockfile()
        lock["wash"]["assets"]["wash-" + GNU]["digest"] = "sha256:" + "cd" * 32
        with open(os.path.join(self.cwd, "plugins.lock"), "w") as f:
            json.dump(lock, f)
        self.gh.clear_log()
        r = self.install("--version", "~2.6.1")  # a range: the API is asked, and disagrees
        self.assertFails(r, 5, "changed since it was locked")
        self.assertEqual(self.downloads(), [])

    def test_cache_hit_with_a_different_locked_digest_reinstalls(self):
        self.install_json("--version", "2.6.1")
        self.assertEqual(self.lock("--version", "2.6.1").rc, 0)
        self.gh.clear_log()
        out = self.install_json()
        self.assertIs(out["cache-hit"], True)
        lock = self.lockfile()
        lock["wash"]["assets"]["wash-" + GNU]["digest"] = "sha256:" + "ef" * 32
        with open(os.path.join(self.cwd, "plugins.lock"), "w") as f:
            json.dump(lock, f)
        r = self.install()
        self.assertFails(r, 5, "digest mismatch")
        # the earlier good install is still there
        self.assertTrue(os.path.exists(os.path.join(self.cache, "wash", "2.6.1", ARCH, "wash")))

    def test_bad_lockfiles_are_usage_errors_naming_the_place(self):
        rows = [
            ('{\n  "lockfile-version": 1,\n  "wash": {,\n}', "plugins.lock:3:"),
            ('[]', "expected a JSON object"),
            ('{"wash": {}}', "lockfile-version"),
            ('{"lockfile-version": 7}', "lockfile-version 7 is not supported"),
            ('{"lockfile-version": 1, "wahs": {}}', "unknown key 'wahs'"),
            ('{"lockfile-version": 1, "wash": {"version": "2.6.1", "tag": "v2.6.1", '
             '"repository": "wasmCloud/wasmCloud", "assets": {"wash-x86_64-unknown-linux-gnu": '
             '{"target": "x86_64-unknown-linux-gnu", "digest": "sha256:1234"}}}}',
             "wash.assets.wash-x86_64-unknown-linux-gnu.digest"),
            ('{"lockfile-version": 1, "wash": {"version": "2.6.1", "tag": "v2.6.0", '
             '"repository": "wasmCloud/wasmCloud", "assets": {}}}', "is not the wash 2.6.1 release"),
        ]
        for i, (text, frag) in enumerate(rows):
            with self.subTest(row=i):
                with open(os.path.join(self.cwd, "plugins.lock"), "w") as f:
                    f.write(text)
                r = self.install()
                self.assertFails(r, 2, frag)
        self.assertEqual(self.gh.requests(), [])

    def test_explicit_missing_lock_is_an_error(self):
        r = self.install("--lock", "nope.lock")
        self.assertFails(r, 2, "nope.lock", "does not exist")


if __name__ == "__main__":
    unittest.main()
