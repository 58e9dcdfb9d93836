"""setup-wash doctor end to end: the real binary against small fake toolchain programs.

Each test writes shell scripts named go, tinygo, rustc, rustup, wasm-tools, wash, node,
wit-bindgen-go, jco, cargo-component into a temp bin directory that is the whole PATH, so no
real tool on this machine leaks in (the scripts use only shell builtins and absolute paths).
They print the real output formats; the fake `go env GOVERSION` answers per GOTOOLCHAIN and
the toolchain line of go.mod in the directory it runs in, as the real go does. One test uses
Debian's real go when it is installed.
"""

import hashlib
import json
import os
import platform
import pty
import re
import shutil
import subprocess
import time
import unittest

import swtest

TG = "tinygo version %s linux/amd64 (using go version %s and LLVM version 19.1.2)"

FAKE_GO = r"""#!/bin/sh
# a go whose own version is LOCAL; GOTOOLCHAIN and go.mod's toolchain line switch it
LOCAL=%(local)s
if [ "$1" = env ] && [ "$2" = GOVERSION ]; then
  case "${GOTOOLCHAIN:-auto}" in
    local) echo "$LOCAL"; exit 0 ;;
    go1*) echo "${GOTOOLCHAIN%%%%+*}"; exit 0 ;;
  esac
  if [ -f go.mod ]; then
    while read -r key val rest; do
      if [ "$key" = toolchain ]; then echo "$val"; exit 0; fi
    done < go.mod
  fi
  echo "$LOCAL"; exit 0
fi
echo "fake go: unexpected arguments: $*" >&2
exit 2
"""

RUSTC_VV = """rustc %(v)s (59807616e 2026-04-14)
binary: rustc
commit-hash: 59807616e1fa2540724bfbac14d7976d7e4a3860
commit-date: 2026-04-14
host: x86_64-unknown-linux-gnu
release: %(v)s
LLVM version: 20.1.1
"""


def alive(pid):
    """Whether pid runs (a zombie waiting for init to reap it does not)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def cache_arch():
    m = platform.machine().lower()
    return {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}.get(m, m)


def fake_program(bin_dir, name, body):
    """Writes bin_dir/name, a fake program: `body` is sh that runs after `#!/bin/sh`."""
    path = os.path.join(bin_dir, name)
    with open(path, "w") as f:
        f.write(body if body.startswith("#!") else "#!/bin/sh\n" + body)
    os.chmod(path, 0o755)
    return path


class DoctorCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        swtest.require_bin()

    def setUp(self):
        self.tmp = swtest.tempdir(self, prefix="sw-doctor-")
        self.bin = os.path.join(self.tmp, "bin")
        self.proj = os.path.join(self.tmp, "proj")
        os.makedirs(self.bin)
        os.makedirs(self.proj)
        self.env = {"PATH": self.bin, "XDG_CACHE_HOME": os.path.join(self.tmp, "cache")}

    # ---- fakes ----

    def tool(self, name, body):
        """A fake program: `body` is sh that runs after `#!/bin/sh`."""
        return fake_program(self.bin, name, body)

    def prints(self, name, text):
        """A fake program that prints `text` whatever its arguments."""
        return self.tool(name, "/bin/cat <<'EOF'\n%sEOF\n" % (text if text.endswith("\n") else text + "\n"))

    def go(self, local):
        self.tool("go", FAKE_GO % {"local": local})

    def tinygo(self, version, built="go1.24.4"):
        self.prints("tinygo", TG % (version, built))

    def wash(self, version="2.7.0"):
        self.prints("wash", "wash %s" % version)

    def rustc(self, version, sysroot=None):
        self.tool("rustc", 'if [ "$1" = --print ]; then echo "%s"; exit 0; fi\n/bin/cat <<EOF\n%sEOF\n'
                  % (sysroot or "/nonexistent", RUSTC_VV % {"v": version}))

    def file(self, rel, text):
        path = os.path.join(self.proj, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        return path

    def go_project(self, gomod="module example.com/component\n\ngo 1.22\n"):
        self.file("go.mod", gomod)

    def good_go(self, go="go1.24.4", tinygo="0.38.0"):
        """A Go + TinyGo machine where everything agrees."""
        self.go_project()
        self.go(go)
        self.tinygo(tinygo)
        self.prints("wasm-tools", "wasm-tools 1.226.0 (a5c5a3a2c 2025-02-20)")
        self.prints("wit-bindgen-go", "wit-bindgen-go version v0.6.2")
        self.wash()

    # ---- running ----

    def doctor(self, *args, env=None, timeout=60):
        full = dict(self.env)
        full.update(env or {})
        return swtest.run_cli(["doctor", "--project", self.proj] + list(args), env=full,
                              timeout=timeout)

    def report(self, *args, env=None):
        r = self.doctor("--json", *args, env=env)
        self.assertIn(r.rc, (0, 1), r)
        doc = json.loads(r.stdout)
        return r, doc, {c["id"]: c for c in doc["checks"]}

    def line(self, r, check_id):
        """The text line of one check."""
        for ln in r.stdout.splitlines():
            parts = ln.split()
            if len(parts) > 1 and parts[1] == check_id:
                return ln
        self.fail("no line for %s in\n%s" % (check_id, r.stdout))


class GoTinyGoTest(DoctorCase):
    def test_go125_with_tinygo038_is_an_error_naming_both_versions_and_the_fix(self):
        self.good_go(go="go1.25.1", tinygo="0.38.0")
        r = self.doctor()
        self.assertEqual(r.rc, 1, r)
        ln = self.line(r, "tinygo-go")
        self.assertTrue(ln.startswith("\u2717 tinygo-go"), ln)
        self.assertIn("TinyGo 0.38.0 supports Go 1.19-1.24, Go on PATH is go1.25.1", ln)
        fixes = r.stdout.split("\nfixes:\n", 1)[1]
        self.assertIn("tinygo-go          install TinyGo >= 0.39.0 or set GOTOOLCHAIN=go1.24.x",
                      fixes)
        # TinyGo was built with go1.24.4: it refuses go1.25 too
        self.assertIn("refuses a newer Go", self.line(r, "tinygo-built-with"))
        self.assertIn("doctor found errors: tinygo-go, tinygo-built-with", r.stderr)
        self.assertIn("doctor: error (2 errors", r.stdout)

    def test_aligned_lines_one_per_check_with_marks(self):
        self.good_go()
        r = self.doctor()
        self.assertEqual(r.rc, 0, r)
        lines = r.stdout.split("\n\n")[0].splitlines()
        self.assertEqual(len(lines), 17)
        cols = {len(re.match(r"\S+ \S+ +", ln).group(0)) for ln in lines}
        self.assertEqual(len(cols), 1, "messages do not start in one column:\n" + r.stdout)
        marks = {ln.split()[1]: ln.split()[0] for ln in lines}
        self.assertEqual(marks["tinygo-go"], "\u2713")
        self.assertEqual(marks["rust"], "-")
        self.assertEqual(marks["wash"], "\u2713")
        self.assertNotIn("fixes:", r.stdout)
        self.assertNotIn("\033[", r.stdout + r.stderr)

    def test_json_shape(self):
        self.good_go(go="go1.25.1")
        r, doc, checks = self.report()
        self.assertEqual(r.rc, 1)
        self.assertEqual(set(doc), {"status", "checks"})
        self.assertEqual(doc["status"], "error")
        ids = [c["id"] for c in doc["checks"]]
        self.assertEqual(ids, ["project", "wash", "wash-config", "host-plugins", "plugins", "go",
                               "tinygo", "tinygo-go", "tinygo-built-with", "wasm-tools", "wit-bindgen-go", "tools-lock",
                               "rust", "rust-wasip2", "cargo-component", "node", "jco"])
        for c in doc["checks"]:
            self.assertEqual(set(c), {"id", "status", "message", "fix", "found"}, c)
            self.assertIn(c["status"], ("ok", "warn", "error", "skip"))
            self.assertIsInstance(c["found"], dict)
        tg = checks["tinygo-go"]
        self.assertEqual(tg["status"], "error")
        self.assertEqual(tg["fix"], "install TinyGo >= 0.39.0 or set GOTOOLCHAIN=go1.24.x")
        self.assertEqual(tg["found"], {"go": "go1.25.1", "tinygo": "0.38.0"})
        self.assertEqual(checks["go"]["found"]["path"], os.path.join(self.bin, "go"))
        self.assertEqual(checks["rust"]["status"], "skip")
        self.assertEqual(r.stdout.count("\n"), 1)

    def test_go_env_follows_gotoolchain(self):
        self.good_go(go="go1.22.4")
        _, doc, c = self.report(env={"GOTOOLCHAIN": "go1.25.1"})
        self.assertEqual(c["tinygo-go"]["status"], "error")
        self.assertIn("GOTOOLCHAIN=go1.25.1 selects go1.25.1 (Go on PATH is go1.22.4)",
                      c["tinygo-go"]["message"])
        self.assertEqual(c["go"]["found"]["source"], "GOTOOLCHAIN")
        # the fix it suggests works
        r, doc, c = self.report(env={"GOTOOLCHAIN": "go1.24.2"})
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(c["tinygo-go"]["status"], "ok")

    def test_go_mod_toolchain_line_counts_and_the_annotation_points_at_go_mod(self):
        self.good_go(go="go1.22.4")
        self.go_project("module m\n\ngo 1.22\n\ntoolchain go1.25.1\n")
        summary = os.path.join(self.tmp, "summary.md")
        ws = self.tmp
        r = self.doctor(env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary,
                             "GITHUB_WORKSPACE": ws})
        self.assertEqual(r.rc, 1, r)
        self.assertIn("the toolchain line in go.mod selects go1.25.1 (Go on PATH is go1.22.4)",
                      self.line(r, "tinygo-go"))
        ann = [ln for ln in r.stderr.splitlines() if ln.startswith("::error file=proj/go.mod,")]
        self.assertEqual(len(ann), 2, r.stderr)  # tinygo-go and tinygo-built-with
        self.assertIn("title=doctor%3A tinygo-go::TinyGo 0.38.0 supports Go 1.19-1.24, the "
                      "toolchain line in go.mod selects go1.25.1 (Go on PATH is go1.22.4): "
                      "install TinyGo >= 0.39.0 or change the toolchain line in go.mod to "
                      "go1.24.x", r.stderr)
        with open(summary) as f:
            md = f.read()
        self.assertIn("### setup-wash doctor: error", md)
        self.assertIn("| | check | status | message | fix |\n|---|---|---|---|---|\n", md)
        self.assertRegex(md, r"\| \u2717 \| `tinygo-go` \| error \| TinyGo 0\.38\.0 supports .* "
                             r"\| install TinyGo >= 0\.39\.0 or change the toolchain line")
        self.assertEqual(md.count("\n| "), 18)  # header + 17 checks

    def test_hanging_tool_is_an_error_within_the_timeout(self):
        self.good_go()
        pids = os.path.join(self.tmp, "pids")
        self.tool("tinygo", "echo $$ > %s\n/bin/sleep 100 &\necho $! >> %s\nwait\n" % (pids, pids))
        t0 = time.monotonic()
        r = self.doctor(env={"SETUP_WASH_DOCTOR_TIMEOUT": "1"}, timeout=30)
        elapsed = time.monotonic() - t0
        self.assertEqual(r.rc, 1, r)
        self.assertLess(elapsed, 5, "doctor took %.1f s with a 1 s timeout" % elapsed)
        self.assertIn("'tinygo version' timed out after 1 s", self.line(r, "tinygo"))
        # the whole process group is gone, the grandchild sleep included
        with open(pids) as f:
            for pid in f.read().split():
                for _ in range(100):
                    if not alive(int(pid)):
                        break
                    time.sleep(0.02)
                else:
                    self.fail("process %s survived the timeout" % pid)

    def test_missing_tools_are_errors_with_fixes(self):
        self.go_project()
        self.wash()
        r, doc, c = self.report()
        self.assertEqual(r.rc, 1)
        for cid in ("go", "tinygo", "wasm-tools"):
            self.assertEqual(c[cid]["status"], "error", c[cid])
            self.assertTrue(c[cid]["fix"], c[cid])
        self.assertIn("tinygo not found on PATH", c["tinygo"]["message"])
        self.assertEqual(c["tinygo-go"]["status"], "skip")
        self.assertEqual(c["wit-bindgen-go"]["status"], "skip")

    def test_unparseable_answers_are_warnings_with_the_raw_text(self):
        self.good_go()
        self.prints("wasm-tools", "wasm-tools: \x01 something odd")
        self.prints("wash", "Segmentation fault")
        r, doc, c = self.report()
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(doc["status"], "warn")
        self.assertEqual(c["wasm-tools"]["status"], "warn")
        self.assertIn("cannot read a version from 'wasm-tools: \\x01 something odd'",
                      c["wasm-tools"]["message"])
        self.assertIn("'Segmentation fault'", c["wash"]["message"])
        r = self.doctor("--strict")
        self.assertEqual(r.rc, 1, r)
        self.assertIn("doctor found warnings and --strict is set: wash, wasm-tools", r.stderr)

    def test_wit_bindgen_go_too_old_for_wasm_tools(self):
        self.good_go()
        self.prints("wit-bindgen-go", "wit-bindgen-go version v0.6.1")
        _, _, c = self.report()
        self.assertEqual(c["wit-bindgen-go"]["status"], "error")
        self.assertIn("breaks with wasm-tools 1.226.0", c["wit-bindgen-go"]["message"])
        self.prints("wasm-tools", "wasm-tools 1.225.0")
        _, _, c = self.report()
        self.assertEqual(c["wit-bindgen-go"]["status"], "ok")

    def test_tinygo_dev_build_and_go_rc(self):
        self.good_go()
        self.tool("go", 'echo "go1.26rc1"\n')
        self.prints("tinygo", TG % ("0.41.0-dev-e9d78a78", "go1.26rc1"))
        r, _, c = self.report()
        self.assertEqual(r.rc, 0, r)
        self.assertIn("a development build, checked as 0.41.0", c["tinygo"]["message"])
        self.assertEqual(c["tinygo-go"]["status"], "ok")


class InterfaceTest(DoctorCase):
    def test_list_checks(self):
        r = swtest.run_cli(["doctor", "--list-checks"], env=self.env)
        self.assertEqual(r.rc, 0, r)
        ids = [ln.split()[0] for ln in r.stdout.splitlines()]
        self.assertEqual(len(ids), 17)
        self.assertEqual(ids[:3], ["project", "wash", "wash-config"])
        r = swtest.run_cli(["doctor", "--list-checks", "rust", "go"], env=self.env)
        self.assertEqual([ln.split()[0] for ln in r.stdout.splitlines()], ["go", "rust"])

    def test_check_ids_select_checks_and_only_their_programs_run(self):
        self.good_go(go="go1.25.1")
        self.file("Cargo.toml", "[package]\nname = \"c\"\n")
        ran = os.path.join(self.tmp, "rustc-ran")
        self.tool("rustc", ": > %s\n" % ran)
        r, doc, c = self.report("tinygo-go", "wash")
        self.assertEqual([x["id"] for x in doc["checks"]], ["wash", "tinygo-go"])
        self.assertEqual(doc["status"], "error")
        self.assertFalse(os.path.exists(ran), "rustc ran for checks that do not need it")
        r = self.doctor("wash")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(len(r.stdout.split("\n\n")[0].splitlines()), 1)

    def test_usage_errors_exit_2(self):
        for args, msg in ((["nope"], "unknown check 'nope': the checks are project, wash"),
                          (["--bogus"], "unknown option '--bogus'"),
                          (["--project"], "needs a value")):
            r = swtest.run_cli(["doctor"] + args, env=self.env)
            self.assertEqual(r.rc, 2, r)
            self.assertIn(msg, r.stderr)
        r = swtest.run_cli(["doctor", "--project", os.path.join(self.tmp, "nowhere")], env=self.env)
        self.assertEqual(r.rc, 2, r)
        self.assertIn("does not exist or is not a directory", r.stderr)
        r = self.doctor(env={"SETUP_WASH_DOCTOR_TIMEOUT": "soon"})
        self.assertEqual(r.rc, 2, r)
        self.assertIn("SETUP_WASH_DOCTOR_TIMEOUT='soon'", r.stderr)

    def test_help(self):
        r = swtest.run_cli(["doctor", "--help"], env=self.env)
        self.assertEqual(r.rc, 0, r)
        for opt in ("--project DIR", "--json", "--strict", "--list-checks", "Exit codes"):
            self.assertIn(opt, r.stdout)
        r = swtest.run_cli(["--help"], env=self.env)
        self.assertRegex(r.stdout, r"\n  doctor +check wash")

    def test_no_project_is_a_warning(self):
        self.wash()
        r, doc, c = self.report()
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(c["project"]["status"], "warn")
        self.assertEqual({x["status"] for x in doc["checks"][2:]}, {"skip"})
        self.assertEqual(self.doctor("--strict").rc, 1)

    def test_colour_only_on_a_terminal_and_not_with_no_color(self):
        self.good_go()
        for no_color, want in ((None, True), ("1", False)):
            env = {"PATH": self.bin, "HOME": self.tmp, "XDG_CACHE_HOME": self.env["XDG_CACHE_HOME"]}
            if no_color:
                env["NO_COLOR"] = no_color
            master, slave = pty.openpty()
            p = subprocess.Popen([swtest.cli_path(), "doctor", "--project", self.proj],
                                 stdout=slave, stderr=slave, env=env)
            os.close(slave)
            out = b""
            while True:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                out += chunk
            p.wait(timeout=30)
            os.close(master)
            self.assertEqual(b"\033[32m" in out, want, out)


class WashRustTsTest(DoctorCase):
    def test_wash_from_the_cache_is_named(self):
        d = os.path.join(self.env["XDG_CACHE_HOME"], "setup-wash", "wash")
        for v in ("2.6.1", "2.7.0", "2.8.0"):
            os.makedirs(os.path.join(d, v, cache_arch()))
            exe = os.path.join(d, v, cache_arch(), "wash")
            with open(exe, "w") as f:
                f.write("#!/bin/sh\necho 'wash %s'\n" % v)
            os.chmod(exe, 0o755)
            if v != "2.8.0":  # 2.8.0 has no marker: an interrupted install
                open(os.path.join(d, v, cache_arch() + ".complete"), "w").close()
        _, _, c = self.report("wash")
        w = c["wash"]
        self.assertEqual(w["status"], "warn", w)
        self.assertIn("wash 2.7.0 from the setup-wash cache (%s)" % os.path.join(d, "2.7.0",
                      cache_arch(), "wash"), w["message"])
        self.assertIn("export PATH=", w["fix"])
        self.wash("2.0.0-rc.7")
        _, _, c = self.report("wash")
        self.assertEqual(c["wash"]["status"], "ok")
        self.assertIn("wash 2.0.0-rc.7 on PATH (%s)" % os.path.join(self.bin, "wash"),
                      c["wash"]["message"])
        self.assertIn("wasmcloud:wash/plugin@0.0.2", c["wash"]["message"])

    def test_no_wash_anywhere(self):
        r = self.doctor("wash")
        self.assertEqual(r.rc, 1, r)
        self.assertIn("wash not found on PATH or in the setup-wash cache", r.stdout)

    def test_plugins_lock_with_a_wash_that_has_no_plugins(self):
        self.wash("2.0.0-rc.8")
        self.file("plugins.lock", json.dumps({"lockfile-version": 1, "plugins": [
            {"name": "blobstore", "source": "ghcr.io/wasmcloud/wash-plugins/blob:0.1.0"}]}))
        r = self.doctor("plugins", env={"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": self.proj})
        self.assertEqual(r.rc, 1, r)
        self.assertIn("the last wash with plugins is 2.0.0-rc.7", r.stdout)
        self.assertRegex(r.stderr, r"(?m)^::error file=plugins\.lock,title=doctor%3A plugins::"
                                   r"plugins\.lock lists 1 plugin, but wash 2\.0\.0-rc\.8 has no")
        self.wash("2.0.0-rc.7")
        _, _, c = self.report("plugins")
        self.assertEqual(c["plugins"]["status"], "error")
        self.assertIn("'blobstore' missing", c["plugins"]["message"])

    def test_plugins_are_checked_against_the_lock(self):
        self.wash("2.0.0-rc.7")
        body = b"\0asm\x0d\0\x01\0"
        self.file("plugins.lock", json.dumps({"lockfile-version": 1, "plugins": [
            {"name": "blobstore", "source": "./blobstore.wasm", "digest":
             "sha256:" + hashlib.sha256(body).hexdigest(), "size": len(body), "wit": "0.0.2"}]}))
        xdg = os.path.join(self.proj, "xdg")
        env = {"XDG_DATA_HOME": xdg}
        _, _, c = self.report("plugins", env=env)
        self.assertEqual(c["plugins"]["status"], "error", c["plugins"])
        self.assertIn("'blobstore' missing", c["plugins"]["message"])
        self.assertIn("setup-wash plugins install", c["plugins"]["fix"])
        installed = os.path.join(xdg, "wash", "plugins", "blobstore.wasm")
        os.makedirs(os.path.dirname(installed))
        with open(installed, "wb") as f:
            f.write(body)
        _, _, c = self.report("plugins", env=env)
        self.assertEqual(c["plugins"]["status"], "ok", c["plugins"])
        self.assertIn("1 plugin installed", c["plugins"]["message"])
        with open(installed, "ab") as f:
            f.write(b"!")
        _, _, c = self.report("plugins", env=env)
        self.assertEqual(c["plugins"]["status"], "error")
        self.assertIn("'blobstore' modified", c["plugins"]["message"])

    def test_wash_config_needs_build_command(self):
        self.wash()
        self.go_project()
        self.file(".wash/config.yaml", "build:\n  dir: build\n")
        r = self.doctor("wash-config", env={"GITHUB_ACTIONS": "true"})
        self.assertEqual(r.rc, 1, r)
        self.assertIn("::error file=%s/.wash/config.yaml," % self.proj.replace(":", "%3A"),
                      r.stderr)
        self.file(".wash/config.yaml", "build:\n  command: tinygo build -target=wasip2 .\n")
        _, _, c = self.report("wash-config")
        self.assertEqual(c["wash-config"]["found"]["command"], "tinygo build -target=wasip2 .")

    def test_rust_with_rustup_and_without(self):
        self.file("Cargo.toml", "[package]\nname = \"c\"\n")
        self.rustc("1.84.0-nightly")
        self.prints("rustup", "wasm32-wasip2\nx86_64-unknown-linux-gnu")
        self.prints("cargo-component", "cargo-component 0.21.1 (8d9b3f6 2025-02-10 wasi:040ec92)")
        self.wash()
        r, doc, c = self.report()
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(c["rust"]["message"], "rustc 1.84.0-nightly (nightly)")
        self.assertEqual(c["rust-wasip2"]["status"], "ok")
        self.assertEqual(c["cargo-component"]["status"], "ok")
        # without rustup: rustc's sysroot decides
        os.remove(os.path.join(self.bin, "rustup"))
        sysroot = os.path.join(self.tmp, "sysroot")
        os.makedirs(os.path.join(sysroot, "lib", "rustlib", "x86_64-unknown-linux-gnu"))
        self.rustc("1.85.0", sysroot)
        r, _, c = self.report()
        self.assertEqual(c["rust-wasip2"]["status"], "error", c["rust-wasip2"])
        self.assertIn("rustc's sysroot has no", c["rust-wasip2"]["message"])
        os.makedirs(os.path.join(sysroot, "lib", "rustlib", "wasm32-wasip2"))
        _, _, c = self.report()
        self.assertEqual(c["rust-wasip2"]["status"], "ok")
        self.assertIn("no rustup", c["rust-wasip2"]["message"])

    def test_old_rustc_points_at_cargo_toml(self):
        self.file("Cargo.toml", "[package]\nname = \"c\"\n")
        self.rustc("1.81.0")
        self.wash()
        r = self.doctor("rust", env={"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": self.tmp})
        self.assertEqual(r.rc, 1, r)
        self.assertRegex(r.stderr, r"(?m)^::error file=proj/Cargo\.toml,title=doctor%3A rust::"
                                   r"rustc 1\.81\.0 is older than 1\.82")

    def test_typescript(self):
        self.file("package.json", json.dumps({"devDependencies": {"@bytecodealliance/jco": "1"}}))
        self.prints("node", "v20.1.0")
        self.wash()
        r, _, c = self.report("node", "jco")
        self.assertEqual(c["node"]["message"], "Node.js 20.1.0 (on PATH)")
        self.assertEqual(c["jco"]["status"], "error")
        self.assertIn("npm install", c["jco"]["fix"])
        jco = os.path.join(self.proj, "node_modules", ".bin", "jco")
        os.makedirs(os.path.dirname(jco))
        with open(jco, "w") as f:
            f.write("#!/bin/sh\necho 1.10.2\n")
        os.chmod(jco, 0o755)
        r, _, c = self.report("node", "jco")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(c["jco"]["message"], "jco 1.10.2 (node_modules/.bin)")

    def test_every_tool_present_is_fast(self):
        self.good_go()
        self.file("Cargo.toml", "[package]\nname = \"c\"\n")
        self.file("package.json", json.dumps({"devDependencies": {"typescript": "5"}}))
        self.rustc("1.95.0")
        self.prints("rustup", "wasm32-wasip2")
        self.prints("cargo-component", "cargo-component 0.21.1")
        self.prints("node", "v20.1.0")
        self.prints("jco", "1.10.2")
        best = None
        for _ in range(5):
            t0 = time.monotonic()
            r = self.doctor()
            took = time.monotonic() - t0
            self.assertEqual(r.rc, 0, r)
            best = took if best is None else min(best, took)
        self.assertLess(best, 1.0, "doctor with every tool took %.3f s" % best)


FAKE_WASH = r"""#!/bin/sh
# a wash 2.x: --version, and `config validate`, which logs where it ran
case "$1" in
  --version) echo "wash %(v)s"; exit 0 ;;
  config)
    [ "$2" = validate ] || exit 2
    echo "$PWD" >> "%(log)s"
    %(validate)s ;;
esac
echo "fake wash: unexpected arguments: $*" >&2
exit 2
"""

VALIDATE_OK = 'echo "configuration is valid"; exit 0'
VALIDATE_BAD = r'echo "Error: unknown field \`biuld\` at line 1" >&2; exit 1'
VALIDATE_HANG = 'exec /bin/sleep 30'

FAKE_RUSTUP = r"""#!/bin/sh
# a rustup whose installed targets are the lines of STATE; every call is logged
echo "$PWD|${RUSTUP_AUTO_INSTALL-unset}|$*" >> "%(log)s"
case "$1 $2" in
  "target list") /bin/cat "%(state)s"; exit 0 ;;
  "target add") %(add)s ;;
esac
exit 2
"""

ADD_OK = ("echo \"info: downloading component 'rust-std' for '$3'\" >&2; "
          "echo \"$3\" >> \"%(state)s\"; exit 0")
ADD_FAILS = "echo \"error: toolchain '1.95.0' is not installed\" >&2; exit 1"


class Wash2Test(DoctorCase):
    """wash 2.x: `wash config validate`, host component plugins, and doctor --fix."""

    def fake_wash(self, version="2.7.0", validate=VALIDATE_OK):
        self.validate_log = os.path.join(self.tmp, "validate.log")
        if os.path.exists(self.validate_log):
            os.remove(self.validate_log)
        self.tool("wash", FAKE_WASH % {"v": version, "log": self.validate_log,
                                        "validate": validate})

    def validate_runs(self):
        if not os.path.exists(self.validate_log):
            return []
        with open(self.validate_log) as f:
            return f.read().splitlines()

    def test_wash_config_validate_runs_in_the_project(self):
        self.go_project()
        self.file(".wash/config.yaml", "build:\n  command: make\n")
        self.fake_wash()
        r, _, c = self.report("wash-config")
        w = c["wash-config"]
        self.assertEqual((r.rc, w["status"]), (0, "ok"), w)
        self.assertEqual(w["message"], ".wash/config.yaml sets build.command 'make'; "
                                       "'wash config validate' accepts it")
        self.assertEqual(w["found"]["validate"], "ok")
        self.assertEqual(self.validate_runs(), [os.path.realpath(self.proj)])
        # what it rejects is an error with its own words, annotated on the config
        self.fake_wash(validate=VALIDATE_BAD)
        r = self.doctor("wash-config", env={"GITHUB_ACTIONS": "true",
                                            "GITHUB_WORKSPACE": self.tmp})
        self.assertEqual(r.rc, 1, r)
        self.assertIn("'wash config validate' rejects .wash/config.yaml (exit code 1): Error: "
                      "unknown field `biuld` at line 1", r.stdout)
        self.assertRegex(r.stderr, r"(?m)^::error file=proj/\.wash/config\.yaml,"
                                   r"title=doctor%3A wash-config::'wash config validate' rejects")
        # a validate that hangs is cut at the timeout
        self.fake_wash(validate=VALIDATE_HANG)
        t0 = time.monotonic()
        _, _, c = self.report("wash-config", env={"SETUP_WASH_DOCTOR_TIMEOUT": "1"})
        self.assertLess(time.monotonic() - t0, 10)
        self.assertEqual(c["wash-config"]["status"], "error")
        self.assertIn("'wash config validate' timed out after 1 s", c["wash-config"]["message"])
        # wash before 2.2.0 has no validate: it is not run
        self.fake_wash("2.1.0", validate=VALIDATE_BAD)
        _, _, c = self.report("wash-config")
        self.assertEqual(c["wash-config"]["status"], "ok", c["wash-config"])
        self.assertEqual(c["wash-config"]["found"]["validate"], "not run (wash before 2.2.0)")
        self.assertEqual(self.validate_runs(), [])
        # nor without a config, nor for checks that do not need it
        os.remove(os.path.join(self.proj, ".wash", "config.yaml"))
        self.fake_wash(validate=VALIDATE_BAD)
        self.report()
        self.file(".wash/config.yaml", "build:\n  command: make\n")
        self.report("wash", "go")
        self.assertEqual(self.validate_runs(), [])

    def installed_wash(self, version):
        """A wash in setup-wash's cache layout, linked onto PATH as the action does."""
        d = os.path.join(self.env["XDG_CACHE_HOME"], "setup-wash", "wash", version)
        os.makedirs(os.path.join(d, cache_arch()))
        exe = os.path.join(d, cache_arch(), "wash")
        with open(exe, "w") as f:
            f.write("#!/bin/sh\necho 'wash %s'\n" % version)
        os.chmod(exe, 0o755)
        open(os.path.join(d, cache_arch() + ".complete"), "w").close()
        os.symlink(exe, os.path.join(self.bin, "wash"))

    def test_host_plugins_with_a_release_build(self):
        self.go_project()
        self.installed_wash("2.7.0")
        self.file(".wash/config.yaml",
                  "build:\n  command: make\nhost:\n  hostPlugins:\n"
                  "    - file: ./plugins/keyvalue.wasm\n      expectedDigest: sha256:%s\n"
                  "    - oci: ghcr.io/acme/messaging:0.3.0\n"
                  "dev:\n  host_plugins: [./plugins/dev.wasm]\n" % ("ab" * 32))
        r, _, c = self.report("host-plugins", env={"WASH_HOST_PLUGINS": "./extra.wasm"})
        h = c["host-plugins"]
        self.assertEqual((r.rc, h["status"]), (0, "warn"), h)
        self.assertIn("4 host component plugins (3 in .wash/config.yaml (host.hostPlugins, "
                      "dev.host_plugins), 1 in WASH_HOST_PLUGINS): wash 2.7.0 is a release build "
                      "(installed by setup-wash), which cannot load them", h["message"])
        self.assertIn("3 of 4 set no expectedDigest: ghcr.io/acme/messaging:0.3.0, "
                      "./plugins/dev.wasm, ./extra.wasm", h["message"])
        self.assertIn("'--features host-component-plugins'", h["fix"])
        self.assertIn("unset WASH_HOST_PLUGINS", h["fix"])
        self.assertEqual((h["found"]["entries"], h["found"]["pinned"],
                          h["found"]["release-build"]), ("4", "1", "yes"))
        # --strict makes it fail the job
        r = self.doctor("--strict", "host-plugins")
        self.assertEqual(r.rc, 1, r)
        # a wash of unknown origin on PATH: what release builds do, said as such
        os.remove(os.path.join(self.bin, "wash"))
        self.wash("2.7.0")
        _, _, c = self.report("host-plugins")
        self.assertIn("release builds of wash (GitHub releases, the install script, setup-wash) "
                      "cannot load them", c["host-plugins"]["message"])
        self.assertEqual(c["host-plugins"]["found"]["release-build"], "unknown")
        # none configured: skipped
        self.file(".wash/config.yaml", "build:\n  command: make\n")
        _, _, c = self.report("host-plugins", env={"WASH_HOST_PLUGINS": ""})
        self.assertEqual(c["host-plugins"]["status"], "skip", c["host-plugins"])

    def rust_project(self, add=ADD_OK, targets="x86_64-unknown-linux-gnu\n"):
        self.file("Cargo.toml", "[package]\nname = \"c\"\n")
        self.rustc("1.95.0")
        self.wash()
        self.rustup_log = os.path.join(self.tmp, "rustup.log")
        self.rustup_state = os.path.join(self.tmp, "targets")
        with open(self.rustup_state, "w") as f:
            f.write(targets)
        self.tool("rustup", FAKE_RUSTUP % {"log": self.rustup_log, "state": self.rustup_state,
                                           "add": add % {"state": self.rustup_state}})

    def rustup_calls(self):
        with open(self.rustup_log) as f:
            return [ln.split("|") for ln in f.read().splitlines()]

    def test_fix_adds_the_rust_target_and_checks_again(self):
        self.rust_project()
        proj = os.path.realpath(self.proj)
        r, _, c = self.report("rust", "rust-wasip2")
        self.assertEqual(r.rc, 1, r)
        self.assertIn("or 'setup-wash doctor --fix'", c["rust-wasip2"]["fix"])
        self.assertNotIn("fix-applied", c["rust-wasip2"])
        self.assertEqual(self.rustup_calls(), [[proj, "0", "target list --installed"]])
        r, doc, c = self.report("--fix", "rust", "rust-wasip2")
        self.assertEqual(r.rc, 0, r)
        w = c["rust-wasip2"]
        self.assertEqual(w["status"], "ok", w)
        self.assertEqual(w["fix-applied"], {"command": "rustup target add wasm32-wasip2",
                                            "exit-code": 0, "fixed": True})
        self.assertIn("doctor --fix: rust-wasip2: running 'rustup target add wasm32-wasip2' in",
                      r.stderr)
        # it ran once, in the project, with auto-install off, between two checks
        self.assertEqual(self.rustup_calls()[1:], [
            [proj, "0", "target list --installed"],
            [proj, "0", "target add wasm32-wasip2"],
            [proj, "0", "target list --installed"]])
        # nothing left to fix: nothing runs
        r = self.doctor("--fix")
        self.assertEqual(r.rc, 0, r)
        self.assertNotIn("fixed by doctor --fix", r.stdout)
        self.assertEqual(len(self.rustup_calls()), 5)

    def test_fix_that_fails_is_reported_and_the_error_stays(self):
        self.rust_project(add=ADD_FAILS)
        r = self.doctor("--fix", "rust-wasip2", env={"GITHUB_ACTIONS": "true"})
        self.assertEqual(r.rc, 1, r)
        self.assertIn("rust-wasip2  ran 'rustup target add wasm32-wasip2': exit code 1, not fixed",
                      r.stdout)
        self.assertIn("'rustup target add wasm32-wasip2' failed: error: toolchain '1.95.0' is "
                      "not installed", r.stderr)
        self.assertIn("::warning", r.stderr)
        _, _, c = self.report("--fix", "rust-wasip2")
        self.assertEqual(c["rust-wasip2"]["status"], "error")
        self.assertEqual(c["rust-wasip2"]["fix-applied"]["fixed"], False)
        self.assertEqual(c["rust-wasip2"]["fix-applied"]["exit-code"], 1)

    def test_fix_without_rustup_runs_nothing(self):
        self.file("Cargo.toml", "[package]\nname = \"c\"\n")
        sysroot = os.path.join(self.tmp, "sysroot")
        os.makedirs(sysroot)
        self.rustc("1.85.0", sysroot)
        self.wash()
        r, _, c = self.report("--fix", "rust-wasip2")
        self.assertEqual(r.rc, 1, r)
        self.assertNotIn("fix-applied", c["rust-wasip2"])
        self.assertNotIn("doctor --fix:", r.stderr)


@unittest.skipUnless(shutil.which("go"), "no real go on PATH (apt-get install golang-go to run "
                                         "this test)")
class RealGoTest(DoctorCase):
    def test_real_go_env_goversion(self):
        real = os.path.realpath(shutil.which("go"))
        os.symlink(real, os.path.join(self.bin, "go"))
        self.go_project("module example.com/component\n\ngo 1.19\n")
        self.wash()
        self.prints("wasm-tools", "wasm-tools 1.226.0")
        env = {"GOCACHE": os.path.join(self.tmp, "gocache"), "GOPATH": os.path.join(self.tmp, "gp")}
        version = subprocess.run([real, "env", "GOVERSION"], capture_output=True, text=True,
                                 env={"HOME": self.tmp, "PATH": "/usr/bin:/bin", **env},
                                 cwd=self.proj).stdout.strip()
        minor = int(re.match(r"go1\.(\d+)", version).group(1))
        # a TinyGo row that accepts this Go, and one that does not
        self.tinygo("0.30.0" if minor <= 21 else "0.41.0", version)
        _, _, c = self.report(env=env)
        self.assertEqual(c["go"]["found"]["version"], version, c["go"])
        self.assertEqual(c["tinygo-go"]["status"], "ok" if 18 <= minor <= 26 else "error",
                         c["tinygo-go"])
        self.tinygo("0.42.0", "go1.27.0")
        _, _, c = self.report(env=env)
        if minor < 25:
            self.assertEqual(c["tinygo-go"]["status"], "error")
            self.assertIn("TinyGo 0.42.0 supports Go 1.25-1.27, Go on PATH is %s" % version,
                          c["tinygo-go"]["message"])
            self.assertIn("set GOTOOLCHAIN=go1.25.x", c["tinygo-go"]["fix"])


if __name__ == "__main__":
    unittest.main()
