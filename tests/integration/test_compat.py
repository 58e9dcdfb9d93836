"""Versions that work together (issue 23): tinygo@auto, lock refusing a set that breaks a rule,
and install checking the rules against the machine's Go before any download, against the fake
GitHub with fake `go` programs first on PATH that print the real formats (`go env GOVERSION`:
go1.24.3, go1.25.5, go1.26.1, a devel build; switched by GOTOOLCHAIN and go.mod's toolchain
line as go switches) and go.mod/go.sum files requiring wit-bindgen-go 0.5.0, 0.6.2 and 0.7.0.

Tables of cases are one test per row (test_<table>_<row>), so a failing row names itself.
"""

import os
import unittest

import swtest
from test_tools import ToolCase

# a go whose own version is LOCAL; GOTOOLCHAIN and go.mod's toolchain line switch it as go
# does (the toolchain line of these tests is always the newer Go)
FAKE_GO = r"""#!/bin/sh
LOCAL='%(local)s'
if [ "$1" = env ] && [ "$2" = GOVERSION ]; then
  TC=""
  if [ -f go.mod ]; then
    while read -r key val rest; do
      if [ "$key" = toolchain ]; then TC="$val"; fi
    done < go.mod
  fi
  case "${GOTOOLCHAIN:-auto}" in
    local) echo "$LOCAL"; exit 0 ;;
    go1*+auto|go1*+path) if [ -n "$TC" ]; then echo "$TC"; else echo "${GOTOOLCHAIN%%%%+*}"; fi; exit 0 ;;
    go1*) echo "$GOTOOLCHAIN"; exit 0 ;;
  esac
  if [ -n "$TC" ]; then echo "$TC"; exit 0; fi
  echo "$LOCAL"; exit 0
fi
echo "fake go: unexpected arguments: $*" >&2
exit 2
"""

DEVEL = "devel go1.26-abcdef0123 Tue Mar 3 18:23:42 2026 -0800"
GO_DEVEL = "go1.26-devel_7c8166d02d Tue Mar 3 18:23:42 2026 -0800"
NEW = "0.42.0"  # published by the tests that need it: Go 1.25-1.27


class CompatCase(ToolCase):
    def setUp(self):
        super().setUp()
        self.bin = os.path.join(self.tmp, "bin")
        os.makedirs(self.bin)
        # the fake go first; no real go is looked at (the rest of PATH has none that matters)
        self.env["PATH"] = self.bin + ":/usr/bin:/bin"

    def go(self, local):
        path = os.path.join(self.bin, "go")
        with open(path, "w") as f:
            f.write(FAKE_GO % {"local": local})
        os.chmod(path, 0o755)

    def no_go(self):
        self.assertFalse(os.path.exists(os.path.join(self.bin, "go")))
        for d in ("/usr/bin", "/bin"):
            if os.path.exists(os.path.join(d, "go")):
                self.skipTest("a go in %s would be found" % d)

    def file(self, name, text):
        with open(os.path.join(self.cwd, name), "w") as f:
            f.write(text)

    def with_new_tinygo(self, published_at="2026-08-01T10:00:00Z"):
        self.variant("tinygo", NEW, published_at=published_at)

    def lock_bytes(self):
        try:
            with open(os.path.join(self.cwd, "plugins.lock"), "rb") as f:
                return f.read()
        except FileNotFoundError:
            return None


def _rows(cls, name, rows, make):
    for row in rows:
        setattr(cls, "test_%s_%s" % (name, row[0]), make(*row[1:]))


# ---- tinygo@auto for each Go --------------------------------------------------------------

# (row, go on PATH or None, GOTOOLCHAIN, go.mod, TinyGo chosen, for-go)
AUTO_ROWS = [
    ("go1_24_3", "go1.24.3", None, None, "0.41.1", "go1.24.3"),
    ("go1_25_5", "go1.25.5", None, None, NEW, "go1.25.5"),
    ("go1_26_1", "go1.26.1", None, None, NEW, "go1.26.1"),
    ("devel_go1_26", DEVEL, None, None, NEW, "go1.26-abcdef0123"),
    ("go1_26_devel", GO_DEVEL, None, None, NEW, "go1.26-devel_7c8166d02d"),
    ("gotoolchain_selects_go1_24_3", "go1.26.1", "go1.24.3", None, "0.41.1", "go1.24.3"),
    ("gotoolchain_local", "go1.24.3", "local", "module m\ngo 1.22\ntoolchain go1.26.1\n",
     "0.41.1", "go1.24.3"),
    ("gotoolchain_auto_floor_then_toolchain_line", "go1.24.3", "go1.24.3+auto",
     "module m\ngo 1.22\ntoolchain go1.25.5\n", NEW, "go1.25.5"),
    ("toolchain_line_go1_25_5", "go1.24.3", None, "module m\ngo 1.22\ntoolchain go1.25.5\n", NEW,
     "go1.25.5"),
    ("no_go_toolchain_line", None, None, "module m\ngo 1.22\ntoolchain go1.24.3\n", "0.41.1",
     "go1.24.3"),
    ("no_go_go_line", None, None, "module m\ngo 1.26\n", NEW, "go1.26"),
]


def _auto(go, gotoolchain, gomod, want, for_go):
    def test(self):
        self.with_new_tinygo()
        if go:
            self.go(go)
        else:
            self.no_go()
        if gomod:
            self.file("go.mod", gomod)
        env = {"GOTOOLCHAIN": gotoolchain} if gotoolchain else None
        r = self.lock("tinygo@auto", env=env)
        self.assertEqual(r.rc, 0, r)
        t = self.lockfile()["tools"]["tinygo"]
        self.assertEqual((t["requested"], t["for-go"], t["version"]), ("auto", for_go, want))
        self.assertIn("tinygo@auto: TinyGo %s, the newest that builds with %s" % (want, for_go),
                      r.stderr)
        # the file's key order: for-go right after requested
        text = open(os.path.join(self.cwd, "plugins.lock")).read()
        self.assertIn('"requested": "auto",\n      "for-go": "%s",\n      "version"' % for_go, text)
        # resolve (what install would pick) agrees
        self.assertEqual(self.resolve("tinygo@auto", env=env)["tinygo"]["version"], want)
    return test


class AutoTest(CompatCase):
    def test_relock_bare_keeps_auto(self):
        self.with_new_tinygo()
        self.go("go1.24.3")
        self.assertEqual(self.lock("tinygo@auto").rc, 0)
        self.go("go1.25.5")
        r = self.lock("tinygo")
        self.assertEqual(r.rc, 0, r)
        t = self.lockfile()["tools"]["tinygo"]
        self.assertEqual((t["requested"], t["for-go"], t["version"]), ("auto", "go1.25.5", NEW))

    def test_none_fits_names_the_go_and_the_newest_range(self):
        self.go("go1.27.0")  # the releases end at 0.41.1 (Go 1.19-1.26)
        r = self.lock("tinygo@auto")
        self.assertFails(r, 3, "no TinyGo release builds with go1.27.0 (Go on PATH is go1.27.0): "
                         "the newest, 0.41.1, supports Go 1.19-1.26: build with Go 1.26 or older "
                         "(GOTOOLCHAIN=go1.26.x)")
        self.assertIsNone(self.lock_bytes())

    def test_none_fits_an_old_go(self):
        self.with_new_tinygo()
        self.go("go1.17.13")
        r = self.install("tinygo@auto")
        self.assertFails(r, 3, "no TinyGo release builds with go1.17.13", "the newest, 0.42.0, "
                         "supports Go 1.25-1.27: build with Go 1.25 or newer")
        self.assertEqual(self.asset_downloads(), [])

    def test_cooldown_counts(self):
        self.with_new_tinygo(published_at="2099-01-01T00:00:00Z")
        self.go("go1.25.5")
        r = self.lock("tinygo@auto", "--min-release-age", "1d")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(self.lockfile()["tools"]["tinygo"]["version"], "0.41.1")
        self.assertIn("TinyGo 0.42.0 is held back by --min-release-age", r.stderr)

    def test_unknown_go_is_a_usage_error(self):
        self.no_go()
        r = self.lock("tinygo@auto")
        self.assertFails(r, 2, "tinygo@auto picks the newest TinyGo that builds with the Go that "
                         "will build here, and that Go is not known: no go on PATH and no go.mod")

    def test_auto_is_for_tinygo_only(self):
        r = self.lock("wasm-tools@auto")
        self.assertFails(r, 2, "'auto' is for tinygo only")


_rows(AutoTest, "auto", AUTO_ROWS, _auto)


# ---- lock refuses a set that breaks a rule ---------------------------------------------------

WBG_MOD = "module m\n\ngo 1.24\n\nrequire go.bytecodealliance.org v%s\n"
WBG_TOOL = ("module m\n\ngo 1.24\n\ntool go.bytecodealliance.org/cmd/wit-bindgen-go\n\n"
            "require go.bytecodealliance.org v%s // indirect\n")
WBG_SUM = "go.bytecodealliance.org v%s h1:AAAA=\ngo.bytecodealliance.org v%s/go.mod h1:BBBB=\n"

# (row, go, GOTOOLCHAIN, files {name: text}, words, rc, stderr fragments)
LOCK_ROWS = [
    ("tinygo_0_39_with_go1_26_1", "go1.26.1", None, {}, ["tinygo@0.39.0"], 1,
     ["TinyGo 0.39.0 supports Go 1.19-1.25, Go on PATH is go1.26.1: lock tinygo@auto or "
      "tinygo@^0.42, or build with Go 1.25 or older (GOTOOLCHAIN=go1.25.x); nothing was "
      "written (--allow-incompatible locks it anyway)"]),
    ("tinygo_0_41_with_go1_24_3_ok", "go1.24.3", None, {}, ["tinygo@0.41.1"], 0, []),
    ("tinygo_0_40_1_with_devel_go1_26", DEVEL, None, {}, ["tinygo@0.40.1"], 1,
     ["TinyGo 0.40.1 supports Go 1.19-1.25, Go on PATH is go1.26-abcdef0123"]),
    ("gotoolchain_go1_26_1", "go1.24.3", "go1.26.1", {}, ["tinygo@0.40.1"], 1,
     ["GOTOOLCHAIN=go1.26.1 selects go1.26.1 (Go on PATH is go1.24.3): lock tinygo@auto or "
      "tinygo@^0.42"]),
    ("toolchain_line_go1_26_1", "go1.24.3", None,
     {"go.mod": "module m\ngo 1.22\ntoolchain go1.26.1\n"}, ["tinygo@0.40.1"], 1,
     ["the toolchain line in go.mod selects go1.26.1 (Go on PATH is go1.24.3)",
      "or change the toolchain line in go.mod to go1.25.x"]),
    ("no_go_toolchain_line", None, None, {"go.mod": "module m\ngo 1.22\ntoolchain go1.26.1\n"},
     ["tinygo@0.40.1"], 1, ["no go on PATH: go.mod's toolchain line names go1.26.1"]),
    ("no_go_no_gomod_nothing_to_check", None, None, {}, ["tinygo@0.39.0"], 0, []),
    ("wbg_0_5_0_with_wasm_tools_1_240", None, None, {"go.mod": WBG_MOD % "0.5.0"},
     ["wasm-tools@1.240.0"], 1,
     ["wit-bindgen-go 0.5.0 (go.mod requires go.bytecodealliance.org v0.5.0) breaks with "
      "wasm-tools 1.240.0 (locked) (1.226.0 and newer need wit-bindgen-go 0.6.2): require "
      "go.bytecodealliance.org 0.6.2 or newer: go get go.bytecodealliance.org@latest, or lock a "
      "wasm-tools older than 1.226.0 (wasm-tools@<1.226.0)"]),
    ("wbg_0_5_0_with_wasm_tools_1_226_edge", None, None, {"go.mod": WBG_MOD % "0.5.0"},
     ["wasm-tools@1.226.0"], 1, ["breaks with wasm-tools 1.226.0 (locked)"]),
    ("wbg_0_5_0_from_go_sum", None, None,
     {"go.mod": "module m\ngo 1.24\n", "go.sum": WBG_SUM % ("0.5.0", "0.5.0")},
     ["wasm-tools@1.240.0"], 1, ["wit-bindgen-go 0.5.0 (go.sum lists go.bytecodealliance.org "
                                 "v0.5.0) breaks with wasm-tools 1.240.0"]),
    ("wbg_0_5_0_with_old_wasm_tools_ok", None, None, {"go.mod": WBG_MOD % "0.5.0"},
     ["wasm-tools@1.0.60"], 0, []),
    ("wbg_0_6_2_ok", None, None, {"go.mod": WBG_MOD % "0.6.2"}, ["wasm-tools@1.240.0"], 0, []),
    ("wbg_0_7_0_tool_line_ok", None, None,
     {"go.mod": WBG_TOOL % "0.7.0", "go.sum": WBG_SUM % ("0.7.0", "0.7.0")},
     ["wasm-tools@1.240.0"], 0, []),
    ("wbg_0_5_0_tool_line", None, None, {"go.mod": WBG_TOOL % "0.5.0"}, ["wasm-tools@1.240.0"],
     1, ["v0.5.0, run by go tool) breaks with wasm-tools 1.240.0"]),
    ("go_project_tinygo_without_wasm_tools_warns", "go1.25.5", None,
     {"go.mod": "module m\ngo 1.24\n"}, ["tinygo@0.41.1"], 0,
     ["warning: the lock pins TinyGo 0.41.1 but no wasm-tools: TinyGo's wasip2 builds run it",
      "lock it too: setup-wash lock wasm-tools"]),
]


def _lock(go, gotoolchain, files, words, rc, fragments):
    def test(self):
        if go:
            self.go(go)
        else:
            self.no_go()
        for name, text in files.items():
            self.file(name, text)
        env = {"GOTOOLCHAIN": gotoolchain} if gotoolchain else None
        # an existing lock: a refusal leaves its bytes as they were
        self.assertEqual(self.lock("wkg@0.15.1", env=env).rc, 0)
        before = self.lock_bytes()
        r = self.lock(*words, env=env)
        self.assertEqual(r.rc, rc, r)
        for f in fragments:
            self.assertIn(f, r.stderr, r)
        if rc:
            self.assertEqual(self.lock_bytes(), before, "the lock changed on a refusal")
        else:
            self.assertIn(words[0].split("@")[0], self.lockfile()["tools"])
    return test


class LockTest(CompatCase):
    def test_allow_incompatible_pins_anyway(self):
        self.go("go1.26.1")
        r = self.lock("tinygo@0.39.0", "--allow-incompatible")
        self.assertEqual(r.rc, 0, r)
        self.assertIn("warning: TinyGo 0.39.0 supports Go 1.19-1.25, Go on PATH is go1.26.1 "
                      "(--allow-incompatible: setup-wash locks it anyway)", r.stderr)
        self.assertEqual(self.lockfile()["tools"]["tinygo"]["version"], "0.39.0")

    def test_the_set_counts_a_tool_already_locked(self):
        self.file("go.mod", WBG_MOD % "0.5.0")
        self.no_go()
        self.assertEqual(self.lock("wasm-tools@1.0.60").rc, 0)
        before = self.lock_bytes()
        # tinygo is fine alone; the lock's wasm-tools is bumped into the break with it
        r = self.lock("tinygo@0.41.1", "wasm-tools@1.240.0")
        self.assertFails(r, 1, "breaks with wasm-tools 1.240.0 (locked)")
        self.assertEqual(self.lock_bytes(), before)


_rows(LockTest, "lock", LOCK_ROWS, _lock)


# ---- install checks the machine before it downloads ------------------------------------------

class InstallTest(CompatCase):
    def test_locked_tinygo_and_a_newer_go_stop_before_any_request(self):
        self.go("go1.25.5")
        self.assertEqual(self.lock("tinygo@0.39.0").rc, 0)
        self.go("go1.26.1")  # setup-go ran after the lock was made
        self.gh.clear_log()
        r = self.install("tinygo")
        self.assertFails(r, 1, "TinyGo 0.39.0 supports Go 1.19-1.25, Go on PATH is go1.26.1: "
                         "lock a TinyGo that builds with it ('setup-wash lock tinygo@auto', or "
                         "tinygo@^0.42), or build with Go 1.25 or older (GOTOOLCHAIN=go1.25.x); "
                         "nothing was downloaded (--allow-incompatible installs it anyway)")
        self.assertEqual(self.asset_downloads(), [])
        self.assertEqual(self.gh.requests(), [], "a pinned version needs no request")
        self.assertNoToolTrace("tinygo", "0.39.0")

    def test_requested_tinygo_stops_before_the_download(self):
        self.go("go1.26.1")
        self.gh.clear_log()
        r = self.install("tinygo@0.40.1")
        self.assertFails(r, 1, "TinyGo 0.40.1 supports Go 1.19-1.25, Go on PATH is go1.26.1")
        self.assertEqual(self.asset_downloads(), [])
        self.assertEqual(self.downloads(), [])
        self.assertNoToolTrace("tinygo", "0.40.1")

    def test_gotoolchain_on_the_runner_counts(self):
        self.go("go1.24.3")
        self.assertEqual(self.lock("tinygo@0.40.1").rc, 0)
        self.gh.clear_log()
        r = self.install("tinygo", env={"GOTOOLCHAIN": "go1.26.1"})
        self.assertFails(r, 1, "GOTOOLCHAIN=go1.26.1 selects go1.26.1 (Go on PATH is go1.24.3)")
        self.assertEqual(self.asset_downloads(), [])

    def test_wbg_and_wasm_tools_stop_before_the_download(self):
        self.no_go()
        self.file("go.mod", WBG_MOD % "0.5.0")
        self.gh.clear_log()
        r = self.install("wasm-tools@1.240.0")
        self.assertFails(r, 1, "wit-bindgen-go 0.5.0 (go.mod requires go.bytecodealliance.org "
                         "v0.5.0) breaks with wasm-tools 1.240.0 (installed)")
        self.assertEqual(self.asset_downloads(), [])

    def test_allow_incompatible_installs_anyway(self):
        self.go("go1.26.1")
        r = self.install("tinygo@0.40.1", "--allow-incompatible")
        self.assertEqual(r.rc, 0, r)
        self.assertIn("(--allow-incompatible: setup-wash installs it anyway)", r.stderr)
        self.assertTrue(os.path.isfile(self.exe_for("tinygo", "0.40.1")))

    def test_a_fitting_go_installs(self):
        self.go("go1.25.5")
        r = self.install("tinygo@0.40.1")
        self.assertEqual(r.rc, 0, r)
        self.assertNotIn("warning", r.stderr)

    def test_no_go_and_no_gomod_nothing_to_check(self):
        self.no_go()
        r = self.install("tinygo@0.39.0")
        self.assertEqual(r.rc, 0, r)
        self.assertNotIn("supports Go", r.stderr)


if __name__ == "__main__":
    unittest.main()
