"""Versions that work together, issue 23 points 5 and 7: `lock` without TOOL (the bump) and
doctor against the lock (tools-lock, doctor --fix installing a TinyGo that builds), with the
real binary against the fake GitHub on loopback and the toolchain releases of toolassets.py.

The machine is a temp bin directory: fake `go` programs printing real `go env GOVERSION`
answers (go1.24.3, go1.25.5, go1.26.1) and a fake `tinygo` printing `tinygo version 0.39.0
linux/amd64 (using go version go1.25.0 and LLVM version 19.1.2)`; PATH is that directory and
/usr/bin:/bin (the fake tools in the releases are shell scripts).
"""

import datetime
import json
import os
import unittest

import swtest
import toolassets as ta
from test_doctor import FAKE_GO, TG, fake_program
from test_tools import ToolCase

SYS_PATH = "/usr/bin:/bin"
OLD_TINYGO = TG % ("0.39.0", "go1.25.0")


class MachineCase(ToolCase):
    """ToolCase with a project directory that is a Go module and a bin directory of fakes."""

    def setUp(self):
        super().setUp()
        self.bin = os.path.join(self.tmp, "usrbin")
        os.makedirs(self.bin)
        self.env["PATH"] = self.bin + ":" + SYS_PATH
        with open(os.path.join(self.cwd, "go.mod"), "w") as f:
            f.write("module example.com/component\n\ngo 1.24\n")

    def fake(self, name, body):
        return fake_program(self.bin, name, body)

    def go(self, version):
        self.fake("go", FAKE_GO % {"local": version})

    def prints(self, name, text):
        self.fake(name, "/bin/cat <<'EOF'\n%s\nEOF\n" % text)

    def doctor(self, *args, env=None):
        return self.run_cli("doctor", "--cache-dir", self.cache, *args, env=env)

    def doctor_json(self, *args, env=None):
        r = self.doctor("--json", *args, env=env)
        self.assertIn(r.rc, (0, 1), r)
        doc = json.loads(r.stdout)
        return {c["id"]: c for c in doc["checks"]}, doc, r


class BumpTest(MachineCase):
    def publish_without(self, *gone):
        """Publishes every release but the (tool, version) pairs in gone."""
        tags = {(ta.REPOS[t], ta.tag_of(t, v)) for t, v in gone}
        rels = {repo: [r for r in rs if (repo, r["tag_name"]) not in tags]
                for repo, rs in self.rels.items()}
        self.gh.reset_releases()
        self.gh.add_releases(rels)
        self.gh.set_attestations(self.atts)

    def locked(self):
        doc = self.lockfile()
        return {t: e["version"] for t, e in doc.get("tools", {}).items()}

    def lock_bytes(self):
        with open(os.path.join(self.cwd, "plugins.lock"), "rb") as f:
            return f.read()

    def test_moves_within_each_range_and_says_what_moved(self):
        self.publish_without(("tinygo", "0.40.1"), ("wasm-tools", "1.244.0"))
        r = self.lock("tinygo@~0.40", "wasm-tools@^1.240", "wkg@0.15.1")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(self.locked(), {"tinygo": "0.40.0", "wasm-tools": "1.241.2",
                                         "wkg": "0.15.1"})
        wkg_before = self.lockfile()["tools"]["wkg"]
        self.publish()
        before = len(self.gh.requests())
        r = self.lock()
        self.assertEqual(r.rc, 0, r)
        # within ~0.40 and ^1.240: not TinyGo 0.41.1; the exact wkg stays as it was pinned
        self.assertEqual(self.locked(), {"tinygo": "0.40.1", "wasm-tools": "1.244.0",
                                         "wkg": "0.15.1"})
        self.assertEqual(self.lockfile()["tools"]["wkg"], wkg_before)
        self.assertEqual(self.lockfile()["tools"]["tinygo"]["requested"], "~0.40")
        lines = r.stdout.splitlines()
        self.assertRegex(lines[0], r"^tool\s+old\s+new$")
        self.assertRegex(r.stdout, r"(?m)^tinygo\s+0\.40\.0\s+-> 0\.40\.1$")
        self.assertRegex(r.stdout, r"(?m)^wasm-tools\s+1\.241\.2\s+-> 1\.244\.0$")
        self.assertNotIn("wkg", r.stdout)
        self.assertGreater(len(self.gh.requests()), before)

    def test_nothing_to_change_leaves_the_bytes_untouched(self):
        self.assertEqual(self.lock("tinygo@^0.41", "wasm-tools").rc, 0)
        path = os.path.join(self.cwd, "plugins.lock")
        with open(path, "a") as f:  # bytes the tool would not write itself
            f.write("\n")
        st, data = os.stat(path), self.lock_bytes()
        r = self.lock()
        self.assertEqual(r.rc, 0, r)
        # written only when the formatted lock differs: a trailing blank line alone does
        self.assertIn("plugins.lock: no version moved; its pins were refreshed", r.stdout)
        self.assertNotEqual(self.lock_bytes(), data)
        st, data = os.stat(path), self.lock_bytes()
        r = self.lock()
        self.assertEqual(r.rc, 0, r)
        self.assertIn("plugins.lock is up to date", r.stdout)
        self.assertEqual(self.lock_bytes(), data)
        self.assertEqual((os.stat(path).st_ino, os.stat(path).st_mtime_ns),
                         (st.st_ino, st.st_mtime_ns))
        doc = json.loads(self.lock("--json").stdout)
        self.assertEqual(doc, {"lock": "plugins.lock", "written": False, "changes": [],
                               "held-back": []})

    def test_json_for_a_bot(self):
        self.publish_without(("tinygo", "0.41.1"))
        self.assertEqual(self.lock("tinygo@^0.41").rc, 0)
        self.publish()
        r = self.lock("--json")
        self.assertEqual(r.rc, 0, r)
        doc = json.loads(r.stdout)
        self.assertEqual(doc["written"], True)
        self.assertEqual(doc["changes"], [{"tool": "tinygo", "old": "0.41.0", "new": "0.41.1"}])
        self.assertEqual(doc["held-back"], [])
        self.assertEqual(self.locked(), {"tinygo": "0.41.1"})

    def test_cooldown_holds_back_and_says_why(self):
        self.publish_without(("tinygo", "0.41.1"))
        self.assertEqual(self.lock("tinygo@^0.41").rc, 0)
        self.publish()
        # a cooldown that lets 0.41.0 (2026-04-20) through and holds 0.41.1 (2026-04-22) back
        cut = datetime.datetime(2026, 4, 21, 12, tzinfo=datetime.timezone.utc)
        hours = int((datetime.datetime.now(datetime.timezone.utc) - cut).total_seconds() // 3600)
        r = self.lock("--json", "--min-release-age", "%dh" % hours)
        self.assertEqual(r.rc, 0, r)
        doc = json.loads(r.stdout)
        self.assertEqual(doc["written"], False)
        self.assertEqual(doc["held-back"][0]["tool"], "tinygo")
        self.assertEqual(doc["held-back"][0]["version"], "0.41.1")
        self.assertEqual(doc["held-back"][0]["reason"], "min-release-age")
        self.assertIn("--min-release-age", doc["held-back"][0]["why"])

    def test_a_rule_holds_tinygo_back_for_the_go_that_builds(self):
        # TinyGo 0.42.0 needs Go 1.25: a project on go1.24.3 moves to 0.41.1, not to 0.42.0
        self.go("go1.24.3")
        self.publish_without(("tinygo", "0.41.1"))
        self.assertEqual(self.lock("tinygo@latest").rc, 0)
        self.variant("tinygo", "0.42.0", published_at="2026-08-01T10:00:00Z")
        r = self.lock()
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(self.locked(), {"tinygo": "0.41.1"})
        self.assertEqual(self.lockfile()["tools"]["tinygo"]["requested"], "latest")
        self.assertRegex(r.stdout, r"(?m)^tinygo\s+0\.41\.0\s+-> 0\.41\.1$")
        self.assertIn("tinygo 0.42.0 held back: needs Go \u2265 1.25, the project builds with "
                      "go1.24.3 (took 0.41.1)", r.stdout)
        # up to date now, and still held back for a bot
        doc = json.loads(self.lock("--json").stdout)
        self.assertEqual(doc["written"], False)
        self.assertEqual(doc["held-back"], [{
            "tool": "tinygo", "version": "0.42.0", "taking": "0.41.1", "reason": "tinygo-go",
            "why": "needs Go \u2265 1.25, the project builds with go1.24.3"}])
        # with Go 1.25 the bump takes it
        self.go("go1.25.5")
        r = self.lock("--json")
        self.assertEqual(r.rc, 0, r)
        doc = json.loads(r.stdout)
        self.assertEqual(doc["changes"], [{"tool": "tinygo", "old": "0.41.1", "new": "0.42.0"}])
        self.assertEqual(doc["held-back"], [])


class DoctorPinsTest(MachineCase):
    def test_tinygo_on_path_differs_from_the_pin(self):
        self.assertEqual(self.lock("tinygo@0.41.1", "wasm-tools@1.240.0").rc, 0)
        self.go("go1.25.5")
        self.prints("tinygo", OLD_TINYGO)
        self.prints("wasm-tools", "wasm-tools 1.240.0")
        before = len(self.gh.requests())
        checks, _, r = self.doctor_json("tools-lock")
        c = checks["tools-lock"]
        self.assertEqual(c["status"], "warn", c)
        self.assertIn("tinygo on PATH is 0.39.0 from %s but the lock pins 0.41.1" % self.bin,
                      c["message"])
        self.assertIn("wasm-tools 1.240.0 as pinned", c["message"])
        self.assertIn("setup-wash install", c["fix"])
        self.assertEqual(c["found"]["tinygo"], "0.39.0 (lock: 0.41.1)")
        self.assertEqual(len(self.gh.requests()), before, "doctor without --fix made a request")
        # installed by setup-wash and first on PATH: as pinned, from the cache
        self.tools("tinygo")
        bin_dir = os.path.join(self.dir_for("tinygo", "0.41.1"), "bin")
        checks, _, _ = self.doctor_json("tools-lock", env={
            "PATH": bin_dir + ":" + self.env["PATH"]})
        c = checks["tools-lock"]
        self.assertEqual(c["status"], "ok", c)
        self.assertIn("tinygo 0.41.1 as pinned (setup-wash's install)", c["message"])

    def test_cached_pin_gives_the_export_line(self):
        self.assertEqual(self.lock("tinygo@0.41.1").rc, 0)
        self.tools("tinygo")
        self.prints("tinygo", OLD_TINYGO)
        r = self.doctor("tools-lock")
        self.assertEqual(r.rc, 0, r)
        bin_dir = os.path.join(self.dir_for("tinygo", "0.41.1"), "bin")
        self.assertIn('export PATH="%s:$PATH"' % bin_dir, r.stdout)

    def test_pinned_tool_missing_from_path(self):
        self.assertEqual(self.lock("wkg@0.15.1").rc, 0)
        checks, _, _ = self.doctor_json("tools-lock")
        self.assertEqual(checks["tools-lock"]["status"], "warn")
        self.assertIn("wkg is not on PATH but the lock pins 0.15.1",
                      checks["tools-lock"]["message"])

    def test_no_lock_is_a_skip(self):
        checks, _, _ = self.doctor_json("tools-lock")
        self.assertEqual(checks["tools-lock"]["status"], "skip")


if __name__ == "__main__":
    unittest.main()
