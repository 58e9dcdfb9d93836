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


# the checks of a Go component's toolchain (no wash on these machines)
GO_CHECKS = ("go", "tinygo", "tinygo-go", "tinygo-built-with", "wasm-tools", "tools-lock")


class DoctorFixTest(MachineCase):
    """doctor --fix installs a TinyGo that builds with the Go in use, and a missing wasm-tools,
    through install's flow: the Go is go1.26.1 and the TinyGo on PATH 0.39.0 (Go 1.19-1.25)."""

    def setUp(self):
        super().setUp()
        self.go("go1.26.1")
        self.prints("tinygo", OLD_TINYGO)
        self.runner = {"GITHUB_PATH": os.path.join(self.tmp, "github_path"),
                       "GITHUB_ENV": os.path.join(self.tmp, "github_env"),
                       "GITHUB_OUTPUT": os.path.join(self.tmp, "github_output")}
        for p in self.runner.values():
            open(p, "w").close()

    def lines(self, name):
        with open(self.runner[name]) as f:
            return f.read().splitlines()

    def test_from_the_locks_fitting_pin_under_actions(self):
        self.go("go1.24.3")  # the lock is made for the Go of that day
        self.assertEqual(self.lock("tinygo@0.41.1", "wasm-tools@1.244.0").rc, 0)
        self.go("go1.26.1")
        self.prints("wasm-tools", "wasm-tools 1.244.0")
        before = len(self.gh.requests())
        checks, doc, r = self.doctor_json("--fix", *GO_CHECKS,
                                           env=dict(self.runner, GITHUB_ACTIONS="true"))
        self.assertEqual(r.rc, 0, r)
        bin_dir = os.path.join(self.dir_for("tinygo", "0.41.1"), "bin")
        for cid in ("tinygo-go", "tinygo-built-with"):
            self.assertEqual(checks[cid]["status"], "ok", checks[cid])
            self.assertEqual(checks[cid]["fix-applied"], {
                "command": "setup-wash install tinygo@0.41.1", "exit-code": 0, "fixed": True,
                "installed": {"tool": "tinygo", "version": "0.41.1", "bin": bin_dir,
                              "downloaded": True}})
        self.assertEqual(checks["tools-lock"]["status"], "ok", checks["tools-lock"])
        self.assertNotIn("fix-applied", checks["wasm-tools"])
        # the later steps: the cached TinyGo first on PATH, TINYGOROOT, the step's status
        self.assertEqual(self.lines("GITHUB_PATH")[-1], bin_dir)
        self.assertIn("TINYGOROOT=" + self.dir_for("tinygo", "0.41.1"), self.lines("GITHUB_ENV"))
        self.assertIn("doctor-status=ok", self.lines("GITHUB_OUTPUT"))
        # the lock's pin: the asset alone, no API request
        new = self.gh.requests()[before:]
        self.assertTrue(new, "nothing was downloaded")
        self.assertFalse([q for q in new if "/repos/" in q["path"]], new)
        self.assertIn("doctor --fix: installing tinygo@0.41.1 into the cache", r.stderr)
        # again: the fixed PATH is the runner's now; nothing left to fix, nothing requested
        before = len(self.gh.requests())
        env = dict(self.runner, PATH=bin_dir + ":" + self.env["PATH"])
        checks, _, r = self.doctor_json("--fix", *GO_CHECKS, env=env)
        self.assertEqual(checks["tinygo-go"]["status"], "ok")
        self.assertNotIn("fix-applied", checks["tinygo-go"])
        self.assertEqual(len(self.gh.requests()), before)

    def test_auto_and_wasm_tools_without_a_lock_print_the_path_line(self):
        r = self.doctor("--fix", *GO_CHECKS)
        self.assertEqual(r.rc, 0, r)
        tg = os.path.join(self.dir_for("tinygo", "0.41.1"), "bin")
        wt = self.dir_for("wasm-tools", "1.244.0")
        self.assertIn("TinyGo 0.41.1 installed at", r.stdout)
        self.assertIn('export PATH="%s:$PATH"' % tg, r.stdout)
        self.assertIn('export PATH="%s:$PATH"' % wt, r.stdout)
        self.assertIn('TINYGOROOT="%s"' % self.dir_for("tinygo", "0.41.1"), r.stdout)
        self.assertRegex(r.stdout, r"tinygo-go\s+ran 'setup-wash install tinygo@auto': fixed; "
                         r"tinygo 0\.41\.1 downloaded into " + tg)
        self.assertRegex(r.stdout, r"wasm-tools\s+ran 'setup-wash install wasm-tools@latest': "
                         r"fixed; wasm-tools 1\.244\.0 downloaded into " + wt)
        self.assertIn("doctor: ok", r.stdout)
        self.assertIn("tinygo@auto: TinyGo 0.41.1, the newest that builds with go1.26.1", r.stderr)

    def test_auto_when_the_pin_does_not_fit(self):
        self.go("go1.24.3")
        self.assertEqual(self.lock("tinygo@0.40.1", "wasm-tools@1.244.0").rc, 0)
        self.go("go1.26.1")
        self.prints("wasm-tools", "wasm-tools 1.244.0")
        self.variant("tinygo", "0.42.0", published_at="2026-08-01T10:00:00Z")
        checks, _, r = self.doctor_json("--fix", *GO_CHECKS)
        self.assertEqual(r.rc, 0, r)  # tools-lock warns: 0.42.0 is not the pin
        self.assertEqual(checks["tools-lock"]["status"], "warn")
        fa = checks["tinygo-go"]["fix-applied"]
        self.assertEqual(fa["command"], "setup-wash install tinygo@auto")
        self.assertEqual(fa["installed"]["version"], "0.42.0")
        self.assertTrue(fa["fixed"])

    def test_no_request_without_fix(self):
        before = len(self.gh.requests())
        checks, doc, r = self.doctor_json(*GO_CHECKS)
        self.assertEqual(r.rc, 1, r)
        self.assertEqual(checks["tinygo-go"]["status"], "error")
        self.assertEqual(checks["wasm-tools"]["status"], "error")
        self.assertNotIn("fix-applied", checks["tinygo-go"])
        self.assertEqual(len(self.gh.requests()), before, "doctor without --fix made a request")
        self.assertFalse(os.path.exists(os.path.join(self.cache, "tinygo")))

    def test_a_failed_install_is_said_and_left_in_the_report(self):
        self.gh.reset_releases()
        checks, _, r = self.doctor_json("--fix", *GO_CHECKS)
        self.assertEqual(r.rc, 1, r)
        fa = checks["tinygo-go"]["fix-applied"]
        self.assertEqual((fa["command"], fa["fixed"]), ("setup-wash install tinygo@auto", False))
        self.assertNotEqual(fa["exit-code"], 0)
        self.assertNotIn("installed", fa)
        self.assertIn("doctor --fix: installing tinygo@auto and wasm-tools@latest failed", r.stderr)


if __name__ == "__main__":
    unittest.main()
