"""The Windows build (issue 11) under Wine, against the loopback fake GitHub.

setup-wash-windows-x64.exe is built here by `scripts/build-release windows-x64` (mingw-w64,
from Debian's sources of its libraries, as test_release_binary builds linux-x64) and run with
Debian's Wine (/usr/lib/wine/wine64) in a prefix kept under ~/.cache/setup-wash/wine (created
once, about 10 s; SW_WINEPREFIX moves it). Paths reach it the way a Windows runner gives them:
Z:\\ is Wine's drive for /, with backslashes. Wine takes PATH from its registry, not from the
environment: WINEPATH puts the fake tools' directory on the Windows program's PATH.

Covered: latest and an exact version from a release with a .zip and from one with a raw .exe
(the tool-cache layout wash\\<version>\\x64 with x64.complete); a cache hit with zero requests;
a digest mismatch refused with nothing left behind; lock, then a locked install; GITHUB_OUTPUT
and GITHUB_PATH with Windows paths; `doctor --json` on a project with fake go.exe, tinygo.exe,
node.exe and a jco.cmd shim (and the arguments CreateProcessW delivered); cache paths with
spaces and non-ASCII characters; two concurrent installs of one version. The fake tools are one
small C program (tests/tools/fake_tool_win.c) built with the same cross compiler.

ToolsTest: the component toolchain (TinyGo's and wasm-tools' .zip files, wkg's raw exe
wkg-x86_64-pc-windows-gnu installed as wkg.exe, componentize-go's .zip checked against
checksums.txt) from toolassets' releases whose Windows assets carry the fake tool's bytes, so the
installed programs run under Wine: four tools in one run (the JSON, the trees, each program run
by its path and found through the GITHUB_PATH lines, GITHUB_OUTPUT, TINYGOROOT in GITHUB_ENV),
then a cache hit with no request; a tampered file of the cached TinyGo tree named and
reinstalled; TinyGo under a cache path over MAX_PATH; a wrong API digest refused; zips with
`..\\x`, `tinygo/../../x`, `C:/x` and `C:x` entries refused; lock, then a locked install with no
API request.

UnitTestsUnderWineTest: the unit tests (all but test_archive and test_snappy) cross-compiled
against the Windows build's libswcore.a and run under Wine.

ActionWindowsTest: the action on an emulated windows-latest runner (RUNNER_OS=Windows, the
runner emulation of test_action.py) at a release tag: get-tool downloads
setup-wash-<tag>-windows-x64.exe, checks it against dist/checksums.txt and runs it, the install
and output steps run it too. The steps' bash is Linux's, so for the class's duration Wine is
registered with the kernel's binfmt_misc as the interpreter of PE files (name
setup-wash-test-wine, removed at the end; the class skips where binfmt_misc cannot be used).
"""

import glob
import json
import os
import platform
import shlex
import shutil
import subprocess
import time
import unittest

import actionrun
import swtest
import test_action
import test_path_sources
import toolassets
from swcase import CliCase
from test_release_binary import LIBS, SOURCES, build, missing_sources

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WINE = "/usr/lib/wine/wine64"
WINESERVER = "/usr/lib/wine/wineserver64"
CC = "x86_64-w64-mingw32-gcc-win32"
PREFIX = os.environ.get("SW_WINEPREFIX") or os.path.join(
    os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "setup-wash", "wine")
WINDOWS = "x86_64-pc-windows-msvc"


def missing():
    """What this machine lacks for the Windows tests, as a skip message; None when nothing."""
    if platform.system() != "Linux" or platform.machine() not in ("x86_64", "amd64"):
        return "the Windows build is cross-compiled and run under Wine on x86_64 Linux"
    lack = [p for p in (WINE,) if not os.access(p, os.X_OK)]
    lack += [b for b in (CC, "x86_64-w64-mingw32-objdump") if shutil.which(b) is None]
    lack += missing_sources(LIBS)
    if lack:
        return ("missing for the Windows tests: %s (run scripts/setup-deps, which installs "
                "mingw-w64 and wine64 and fetches the libraries' sources)" % ", ".join(lack))
    return None


_BUILT = {}


def built():
    """(the exe, the fake tool exe, build seconds), built once per test process."""
    if "exe" not in _BUILT:
        out = os.path.join(swtest.tempdir(prefix="sw-win-"), "dist")
        given = os.environ.get("SETUP_WASH_WINDOWS_BIN")  # a build of one's own, to iterate
        secs = 0.0
        if given:
            os.makedirs(out)
            shutil.copy(given, os.path.join(out, "setup-wash-windows-x64.exe"))
        else:
            p, secs = build(out, "windows-x64")
            if p.returncode != 0:
                raise AssertionError("scripts/build-release windows-x64 failed:\n" + p.stderr[-4000:])
        fake = os.path.join(out, "fake-tool.exe")
        c = subprocess.run([CC, "-O2", "-municode", "-static", "-Wall", "-Werror", "-o", fake,
                            os.path.join(ROOT, "tests", "tools", "fake_tool_win.c")],
                           capture_output=True, text=True)
        if c.returncode != 0:
            raise AssertionError("building the fake tool failed:\n" + c.stderr)
        _BUILT.update(exe=os.path.join(out, "setup-wash-windows-x64.exe"), fake=fake,
                      secs=secs)
    return _BUILT["exe"], _BUILT["fake"], _BUILT["secs"]


def win(path):
    """A Linux path as the Windows program sees it: on drive Z:, with backslashes."""
    return "Z:" + os.path.abspath(path).replace("/", "\\")


def unwin(path):
    """The Linux path of a Z:\\ path the program printed."""
    assert path.startswith("Z:\\"), path
    return path[2:].replace("\\", "/")


def wine_env():
    return {"WINEPREFIX": PREFIX, "WINEDEBUG": "-all", "WINEDLLOVERRIDES": "mscoree,mshtml="}


def run_win(exe, args, env=None, cwd=None, timeout=120):
    """Runs the Windows program under Wine like swtest.run_cli runs the native one."""
    home = swtest.tempdir(prefix="sw-home-")
    full = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "LANG": "C.UTF-8"}
    full.update(wine_env())
    for k, v in (env or {}).items():
        if v is None:
            full.pop(k, None)
        else:
            full[k] = str(v)
    argv = [WINE, exe] + [str(a) for a in args]
    p = subprocess.run(argv, env=full, cwd=cwd, capture_output=True, timeout=timeout)
    return swtest.CliResult(p.returncode, p.stdout.decode(errors="replace"),
                            p.stderr.decode(errors="replace"), argv)


_SERVER = []


def start_wineserver():
    """One persistent wineserver for the module (each wine run then starts in tens of ms, not
    seconds), stopped by tearDownModule: `wineserver -k` ends the prefix's server and its
    processes, `-w` waits until it is gone (a new one must not meet the old one dying)."""
    if _SERVER:
        return
    os.makedirs(PREFIX, exist_ok=True)
    env = dict(os.environ, **wine_env())
    # a server left running in the test prefix (an interrupted run) is stopped first
    subprocess.run([WINESERVER, "-k"], env=env, capture_output=True, timeout=60)
    subprocess.run([WINESERVER, "-w"], env=env, capture_output=True, timeout=60)
    # the server, and the processes Wine boots with the prefix (services, winedevice, explorer),
    # outlive the run that starts them: none may hold a test's output pipes, so they start
    # here with /dev/null
    quiet = dict(stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run([WINESERVER, "-p"], env=env, check=True, timeout=60, **quiet)
    subprocess.run([WINE, "cmd", "/c", "exit"], env=env, timeout=120, **quiet)
    _SERVER.append(env)


def tearDownModule():
    for env in _SERVER:
        subprocess.run([WINESERVER, "-k"], env=env, capture_output=True, timeout=60)
        subprocess.run([WINESERVER, "-w"], env=env, capture_output=True, timeout=60)
    _SERVER.clear()


class WindowsCase(CliCase):
    """CliCase with the Windows exe under Wine: paths as Windows sees them (Z:\\...)."""

    @classmethod
    def setUpClass(cls):
        why = missing()
        if why:
            raise unittest.SkipTest(why)
        cls.exe, cls.fake, _ = built()
        start_wineserver()
        super().setUpClass()

    def setUp(self):
        super().setUp()
        base = self.env
        self.env = {
            "GITHUB_API_URL": base["GITHUB_API_URL"],
            "GITHUB_SERVER_URL": base["GITHUB_SERVER_URL"],
            "SSL_CERT_FILE": win(base["SSL_CERT_FILE"]),
            "SETUP_WASH_TRUSTED_ROOT": win(base["SETUP_WASH_TRUSTED_ROOT"]),
            "SETUP_WASH_RETRY_DELAY_MS": "50",
            "SETUP_WASH_STALL_TIMEOUT": "3",
        }
        # a cache path with a space and non-ASCII characters, as a Windows user's can be
        self.cache = os.path.join(self.tmp, "tool cache ü 日本")

    def run_cli(self, *args, env=None, **kw):
        full = dict(self.env)
        full.update(env or {})
        return run_win(self.exe, list(args), env=full, cwd=kw.pop("cwd", self.cwd), **kw)

    run_win = run_cli

    def install(self, *args, env=None, **kw):
        return self.run_cli("install", "--cache-dir", win(self.cache), *args, env=env, **kw)


class InstallTest(WindowsCase):
    def assertInstalled(self, out, version, asset):
        self.assertEqual(out["wash-version"], version)
        self.assertEqual(out["target"], WINDOWS)
        self.assertEqual(out["asset"], asset)
        exe = os.path.join(self.cache, "wash", version, "x64", "wash.exe")
        self.assertEqual(out["wash-path"], win(exe))
        self.assertEqual(out["install-dir"], win(os.path.dirname(exe)))
        self.assertTrue(os.path.isfile(os.path.join(self.cache, "wash", version, "x64.complete")))
        with open(exe, "rb") as f:
            self.assertIn(b"wash %s" % version.encode(), f.read())
        return exe

    def test_latest_is_the_zip_unpacked_into_the_tool_cache_layout(self):
        out = self.install_json("--version", "latest")
        self.assertInstalled(out, "2.7.0", "wash-%s.zip" % WINDOWS)
        self.assertEqual(out["verified"], "provenance")
        self.assertIs(out["cache-hit"], False)

    def test_an_exact_version_before_the_zip_is_the_raw_exe(self):
        out = self.install_json("--version", "2.0.1")
        exe = self.assertInstalled(out, "2.0.1", "wash-" + WINDOWS)
        self.assertEqual(out["digest"], "sha256:" + swtest.sha256_file(exe))

    def test_a_second_install_is_a_cache_hit_with_no_request(self):
        self.install_json("--version", "2.6.1")
        self.gh.clear_log()
        out = self.install_json("--version", "2.6.1")
        self.assertIs(out["cache-hit"], True)
        self.assertEqual(self.gh.requests(), [])

    def test_a_digest_mismatch_is_refused_and_leaves_nothing(self):
        bad = "sha256:" + "0" * 64
        self.gh.add_releases({"wasmCloud/wasmCloud": [{"tag_name": "v2.6.1", "assets": [
            {"name": "wash-%s.zip" % WINDOWS, "digest": bad}]}]})
        r = self.install("--version", "2.6.1")
        self.assertEqual(r.rc, 5, r)
        self.assertIn("digest mismatch", r.stderr)
        self.assertIn(bad, r.stderr)
        self.assertNoTrace("2.6.1")

    def test_lock_then_a_locked_install_makes_no_api_request(self):
        r = self.run_win("lock", "--cache-dir", win(self.cache), "--version", "2.6.1")
        self.assertEqual(r.rc, 0, r)
        with open(os.path.join(self.cwd, "plugins.lock")) as f:
            lock = json.load(f)
        pinned = lock["wash"]["assets"]["wash-%s.zip" % WINDOWS]["digest"]
        self.gh.clear_log()
        out = self.install_json()
        self.assertEqual(out["wash-version"], "2.6.1")
        self.assertEqual(out["digest"], pinned)
        self.assertEqual(self.api_requests(), [])

    def test_runner_files_get_windows_paths(self):
        output = os.path.join(self.tmp, "github_output")
        path = os.path.join(self.tmp, "github_path")
        out = self.install_json("--version", "2.6.1", env={
            "GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": win(output), "GITHUB_PATH": win(path)})
        with open(path, encoding="utf-8") as f:
            self.assertEqual(f.read(), out["install-dir"] + "\n")
        self.assertTrue(out["install-dir"].startswith("Z:\\"), out)
        self.assertNotIn("/", out["install-dir"])
        with open(output, encoding="utf-8") as f:
            lines = f.read().splitlines()
        self.assertIn("wash-path=" + out["wash-path"], lines)

    def test_a_cache_path_longer_than_max_path(self):
        self.cache = os.path.join(self.tmp, *(["a directory of forty characters, or so ü"] * 8))
        self.assertGreater(len(win(self.cache)), 300)
        out = self.install_json("--version", "2.6.1")
        self.assertInstalled(out, "2.6.1", "wash-%s.zip" % WINDOWS)

    def test_without_a_ca_bundle_the_windows_store_decides(self):
        # the test CA is in no Windows store: TLS to the fake GitHub must fail, and say so
        r = self.install("--version", "2.6.1", env={"SSL_CERT_FILE": None})
        self.assertEqual(r.rc, 4, r)
        self.assertIn("certificate", r.stderr.lower())
        self.assertNoTrace("2.6.1")

    def test_resolve_json_names_the_windows_install_dir(self):
        r = self.run_win("resolve", "--json", "--cache-dir", win(self.cache), "--version", "2.6.1")
        self.assertEqual(r.rc, 0, r)
        out = json.loads(r.stdout)
        self.assertEqual((out["wash-version"], out["target"], out["asset"]),
                         ("2.6.1", WINDOWS, "wash-%s.zip" % WINDOWS))
        self.assertEqual(out["install-dir"], win(os.path.join(self.cache, "wash", "2.6.1", "x64")))

    def test_plugins_go_to_wash_data_dir_under_appdata(self):
        plugin = test_path_sources.PLUGIN
        os.makedirs(os.path.join(self.cwd, "plugins"))
        with open(os.path.join(self.cwd, "plugins", "mine.wasm"), "wb") as f:
            f.write(plugin)
        with open(os.path.join(self.cwd, "plugins.lock"), "w") as f:
            json.dump({"lockfile-version": 1, "wash": {
                "version": "2.0.0-rc.5", "tag": "wash-v2.0.0-rc.5", "repository": "wasmCloud/wash",
                "assets": {"wash-%s" % WINDOWS: {"target": WINDOWS, "digest": "sha256:" + "0" * 64}}},
                "plugins": [{"name": "mine", "source": "./plugins/mine.wasm"}]}, f)
        # Wine gives a program its profile's APPDATA (C:\\users\\<user>\\AppData\\Roaming,
        # in the prefix's drive_c), whatever the environment says
        p = subprocess.run([WINE, "cmd", "/c", "echo", "%APPDATA%"], env=dict(os.environ, **wine_env()),
                           capture_output=True, text=True, timeout=60)
        appdata_win = p.stdout.strip()
        self.assertRegex(appdata_win, r"^C:\\")
        appdata = os.path.join(PREFIX, "drive_c", *appdata_win[3:].split("\\"))
        self.addCleanup(shutil.rmtree, os.path.join(appdata, "wasmCloud Team"), True)
        r = self.run_win("plugins", "lock", "--cache-dir", win(self.cache))
        self.assertEqual(r.rc, 0, r)
        r = self.run_win("plugins", "install", "--frozen", "--json", "--cache-dir", win(self.cache))
        self.assertEqual(r.rc, 0, r)
        data = os.path.join(appdata, "wasmCloud Team", "wash", "data")
        with open(os.path.join(data, "plugins", "mine.wasm"), "rb") as f:
            self.assertEqual(f.read(), plugin)
        out = json.loads(r.stdout)
        self.assertEqual(out["plugins-dir"], appdata_win + "\\wasmCloud Team\\wash\\data\\plugins")
        self.assertEqual(out["plugins"][0]["path"], out["plugins-dir"] + "\\mine.wasm")

    def test_two_concurrent_installs_of_one_version(self):
        full = dict(os.environ)
        full.update(wine_env())
        full.update(self.env)
        args = [WINE, self.exe, "install", "--json", "--cache-dir", win(self.cache), "--version",
                "2.6.1"]
        procs = [subprocess.Popen(args, env=full, cwd=self.cwd, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE) for _ in range(2)]
        outs = [p.communicate(timeout=120) for p in procs]
        for p, (so, se) in zip(procs, outs):
            self.assertEqual(p.returncode, 0, se.decode(errors="replace"))
        docs = [json.loads(so) for so, _ in outs]
        self.assertEqual({d["wash-path"] for d in docs}, {docs[0]["wash-path"]})
        # the lock serialises them: one downloads, the other finds it in the cache
        self.assertEqual(sorted(d["cache-hit"] for d in docs), [False, True])
        zips = [r for r in self.gh.requests("download")
                if r["path"].split("?")[0].endswith("/wash-%s.zip" % WINDOWS)]
        self.assertEqual(len(zips), 1, self.gh.requests("download"))
        self.assertEqual(glob.glob(os.path.join(self.cache, "wash", ".staging-*")), [])


class DoctorTest(WindowsCase):
    def tool(self, name, output):
        """A fake program on the Windows PATH: name.exe printing output."""
        exe = os.path.join(self.bin, name + ".exe")
        shutil.copy(self.fake, exe)
        with open(os.path.join(self.bin, name + ".out"), "w") as f:
            f.write(output + "\n")
        return exe

    def args_of(self, name):
        with open(os.path.join(self.bin, name + ".args"), encoding="utf-8") as f:
            return [call.strip("\n").split("\n") if call.strip("\n") else []
                    for call in f.read().split("--\n") if call]

    def setUp(self):
        super().setUp()
        self.bin = os.path.join(self.tmp, "tool bin ü")
        os.makedirs(self.bin)

    def test_json_with_exe_tools_and_a_cmd_shim(self):
        with open(os.path.join(self.cwd, "go.mod"), "w") as f:
            f.write("module example.com/component\n\ngo 1.22\n")
        with open(os.path.join(self.cwd, "package.json"), "w") as f:
            json.dump({"devDependencies": {"@bytecodealliance/jco": "^1.10.0"}}, f)
        self.tool("go", "go1.24.4")
        self.tool("tinygo", "tinygo version 0.38.0 windows/amd64 (using go version go1.24.4 and "
                            "LLVM version 19.1.2)")
        self.tool("wasm-tools", "wasm-tools 1.226.0 (a5c5a3a2c 2025-02-20)")
        self.tool("node", "v22.11.0")
        self.tool("wash", "wash 2.7.0")
        with open(os.path.join(self.bin, "jco.cmd"), "w", newline="\r\n") as f:
            f.write("@echo off\necho 1.10.0\n")
        r = self.run_win("doctor", "--json", "--project", win(self.cwd),
                         env={"WINEPATH": win(self.bin)})
        self.assertIn(r.rc, (0, 1), r)
        checks = {c["id"]: c for c in json.loads(r.stdout)["checks"]}
        for check in ("project", "go", "tinygo", "tinygo-go", "wasm-tools", "node", "jco", "wash"):
            self.assertIn(checks[check]["status"], ("ok", "warn"), checks[check])
        self.assertEqual(checks["go"]["found"]["path"], win(os.path.join(self.bin, "go.exe")))
        self.assertEqual(checks["go"]["found"]["version"], "go1.24.4")
        self.assertEqual(checks["tinygo"]["found"]["version"], "0.38.0")
        self.assertEqual(checks["node"]["found"]["path"], win(os.path.join(self.bin, "node.exe")))
        self.assertEqual(checks["jco"]["found"]["path"], win(os.path.join(self.bin, "jco.cmd")))
        self.assertEqual(checks["jco"]["found"]["version"], "1.10.0")
        # what CreateProcessW's command line delivered, argument by argument
        self.assertIn(["env", "GOVERSION"], self.args_of("go"))
        self.assertIn(["--version"], self.args_of("node"))

    def test_a_hanging_tool_is_ended_with_what_it_started(self):
        with open(os.path.join(self.cwd, "go.mod"), "w") as f:
            f.write("module example.com/component\n\ngo 1.22\n")
        self.tool("go", "go1.24.4")
        self.tool("tinygo", "never printed")
        with open(os.path.join(self.bin, "tinygo.sleep"), "w") as f:
            f.write("60000")
        t0 = time.monotonic()
        r = self.run_win("doctor", "--project", win(self.cwd), "go", "tinygo",
                         env={"WINEPATH": win(self.bin), "SETUP_WASH_DOCTOR_TIMEOUT": "1"},
                         timeout=60)
        elapsed = time.monotonic() - t0
        self.assertEqual(r.rc, 1, r)
        self.assertLess(elapsed, 10, "doctor took %.1f s with a 1 s timeout" % elapsed)
        self.assertIn("'tinygo version' timed out after 1 s", r.stdout)
        # the job object ended the tool and the child it started: the heartbeats stop
        beat = os.path.join(self.bin, "tinygo.beat")
        with open(beat) as f:
            seen = f.read()
        self.assertIn("p", seen)
        self.assertIn("c", seen)
        time.sleep(0.5)
        with open(beat) as f:
            self.assertEqual(f.read(), seen, "a process of the tool survived the timeout")

    def test_missing_tools_are_errors_naming_them(self):
        with open(os.path.join(self.cwd, "go.mod"), "w") as f:
            f.write("module example.com/component\n\ngo 1.22\n")
        r = self.run_win("doctor", "--json", "--project", win(self.cwd),
                         env={"WINEPATH": win(self.bin)})
        self.assertEqual(r.rc, 1, r)
        checks = {c["id"]: c for c in json.loads(r.stdout)["checks"]}
        self.assertEqual(checks["go"]["status"], "error")
        self.assertIn("go not found on PATH", checks["go"]["message"])


# ---- the component toolchain under Wine ------------------------------------------------------

# (tool, version, verified) of the one run that installs all four
TOOLS = (("tinygo", "0.40.1", "digest"), ("wasm-tools", "1.240.0", "digest"),
         ("wkg", "0.13.0", "digest"), ("componentize-go", "0.3.4", "checksums"))
TOOL_EXTRA_FILES = 20  # TinyGo's filler files: a tree of some depth, quick to build and check

# (row, hostile zip entry added beside TinyGo's tinygo/ tree): each, taken as Windows takes it,
# would land in the cache directory (three or four levels above the staging directory's
# unpacked/) or at the top of drive C: (the Wine prefix's drive_c)
HOSTILE_ZIP_ROWS = [
    ("backslash_dotdot", "..\\..\\..\\sw-escaped-bs"),
    ("slash_dotdot_inside_the_top_folder", "tinygo/../../../../sw-escaped-dd"),
    ("backslash_dotdot_inside_the_top_folder", "tinygo\\..\\..\\..\\..\\sw-escaped-bd"),
    ("drive_absolute", "C:/sw-escaped-abs"),
    ("drive_relative", "C:sw-escaped-rel"),
]


def _gha_lines(path):
    """A GITHUB_OUTPUT / GITHUB_ENV file as (key, value) pairs, in order: KEY=value lines and
    KEY<<DELIM blocks. A CR is kept in the value, so a CRLF file shows."""
    with open(path, encoding="utf-8", newline="") as f:
        lines = f.read().split("\n")
    out, i = [], 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            key, delim = line.split("<<", 1)
            j = lines.index(delim, i + 1)
            out.append((key, "\n".join(lines[i + 1:j])))
            i = j + 1
            continue
        if "=" in line:
            out.append(tuple(line.split("=", 1)))
        i += 1
    return out


class ToolsTest(WindowsCase):
    """TinyGo's and wasm-tools' .zip files, wkg's raw exe and componentize-go's .zip (with
    checksums.txt) installed by the Windows exe under Wine on x86_64-pc-windows-msvc, from
    toolassets' releases whose Windows assets hold the fake tool's bytes (so the installed
    programs run under Wine). The releases are built once for the class: the four versions
    installed, with every platform's assets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ta = toolassets
        cls.work = swtest.tempdir(prefix="sw-win-tools-")
        cls.rels = {}
        for tool, version, _ in TOOLS:
            cls.rels[tool] = toolassets.release(cls.work, tool, version,
                                                extra_files=TOOL_EXTRA_FILES, windows_exe=cls.fake)

    def setUp(self):
        super().setUp()
        self.publish()

    def publish(self, **replace):
        """The class's releases, each of ``replace`` (tool=release) in its tool's place."""
        rels = dict(self.rels, **replace)
        self.gh.reset_releases()
        self.gh.add_releases({self.ta.REPOS[t]: [r] for t, r in rels.items()})

    def variant(self, tool, version, name, **kw):
        rel = self.ta.release(self.work, tool, version, extra_files=TOOL_EXTRA_FILES,
                              windows_exe=self.fake, variant=name, **kw)
        self.publish(**{tool: rel})
        return rel

    # -- the cache, as Linux sees it ---------------------------------------------------------

    def asset(self, tool, version):
        return self.ta.asset_name(tool, version, WINDOWS)

    def dir_for(self, tool, version):
        return os.path.join(self.cache, tool, version, "x64")

    def exe_for(self, tool, version):
        return os.path.join(self.dir_for(tool, version), self.ta.EXE[tool] + ".exe")

    def bin_for(self, tool, version):
        d = self.dir_for(tool, version)
        return os.path.join(d, self.ta.BIN[tool]) if self.ta.BIN[tool] else d

    def tree_on_disk(self, d):
        out = {}
        for base, _, files in os.walk(d):
            for n in files:
                p = os.path.join(base, n)
                with open(p, "rb") as f:
                    out[os.path.relpath(p, d)] = f.read()
        return out

    def tools(self, *args, env=None):
        r = self.install("--json", *args, env=env)
        self.assertEqual(r.rc, 0, r)
        doc = json.loads(r.stdout)
        return {t["name"]: t for t in doc["tools"]}, doc, r

    def asset_downloads(self, name=None):
        return [d for d in self.downloads() if d["path"].startswith("/dl/")
                and (name is None or d["path"].split("?")[0].endswith("/" + name))]

    def assertInstalled(self, out, tool, version, verified, cache_hit=False):
        """The JSON object (paths in Windows form), the marker and the whole tree on disk."""
        asset = self.asset(tool, version)
        rel = self.rels[tool]
        want = {"name": tool, "version": version, "tag": self.ta.tag_of(tool, version),
                "repository": self.ta.REPOS[tool], "target": WINDOWS, "asset": asset,
                "digest": "sha256:" + swtest.sha256_file(self.ta.asset_file(rel, asset)),
                "path": win(self.exe_for(tool, version)), "dir": win(self.dir_for(tool, version)),
                "bin": win(self.bin_for(tool, version)), "verified": verified,
                "cache-hit": cache_hit}
        self.assertEqual({k: out.get(k) for k in want}, want)
        d = self.dir_for(tool, version)
        self.assertTrue(os.path.isfile(d + ".complete"), "no marker %s.complete" % d)
        expected = self.ta.tree_files(tool, version, asset, extra_files=TOOL_EXTRA_FILES,
                                      windows_exe=self.fake)
        got = self.tree_on_disk(d)
        self.assertEqual(sorted(got), sorted(expected), "the installed tree of %s differs" % tool)
        for p, data in expected.items():
            self.assertEqual(got[p], data, p)

    def assertNoToolTrace(self, tool, version):
        base = os.path.join(self.cache, tool)
        self.assertEqual(glob.glob(os.path.join(base, ".staging*")), [], "staging left behind")
        self.assertFalse(os.path.lexists(os.path.join(base, version)),
                         "%s/%s exists after a failed install" % (tool, version))

    def run_installed(self, tool, version, exe_win):
        """Runs the installed exe (its Windows path) under Wine: it prints what the .out file
        beside it holds (fake_tool_win.c); the .out and the .args it leaves are removed after,
        so the tree is again what was installed."""
        exe = unwin(exe_win)
        stem = os.path.splitext(exe)[0]
        line = self.ta.version_line(tool, version, self.asset(tool, version))
        arg = "version" if tool == "tinygo" else "--version"
        with open(stem + ".out", "w") as f:
            f.write(line + "\n")
        try:
            p = subprocess.run([WINE, exe_win, arg], env=dict(os.environ, **wine_env()),
                               capture_output=True, timeout=60)
            # the fake writes its stdout in text mode: CRLF
            self.assertEqual((p.returncode, p.stdout.decode(errors="replace")), (0, line + "\r\n"),
                             p.stderr.decode(errors="replace"))
            with open(stem + ".args", encoding="utf-8") as f:
                self.assertEqual(f.read(), arg + "\n--\n")
        finally:
            for ext in (".out", ".args"):
                if os.path.exists(stem + ext):
                    os.unlink(stem + ext)

    # -- the tests ---------------------------------------------------------------------------

    def test_four_tools_in_one_run_then_a_cache_hit_with_no_request(self):
        files = {k: os.path.join(self.tmp, k.lower()) for k in ("GITHUB_OUTPUT", "GITHUB_PATH",
                                                                 "GITHUB_ENV")}
        gha = {"GITHUB_ACTIONS": "true"}
        gha.update({k: win(v) for k, v in files.items()})
        words = ["%s@%s" % (t, v) for t, v, _ in TOOLS]
        outs, doc, r = self.tools(*words, env=gha)
        self.assertEqual([t["name"] for t in doc["tools"]], [t for t, _, _ in TOOLS])
        self.assertNotIn("wash-version", doc, "wash was installed too")
        for tool, version, verified in TOOLS:
            self.assertInstalled(outs[tool], tool, version, verified)
        # one download each, and componentize-go's checksums.txt
        got = sorted(d["path"].split("?")[0].rsplit("/", 1)[1] for d in self.asset_downloads())
        self.assertEqual(got, sorted([self.asset(t, v) for t, v, _ in TOOLS] + ["checksums.txt"]))
        self.assertEqual([q["path"] for q in self.api_requests()
                          if "/attestations/" in q["path"]], [])
        # wkg's raw asset got its .exe
        self.assertEqual(os.listdir(self.dir_for("wkg", "0.13.0")), ["wkg.exe"])
        # every installed program runs under Wine, by the path the JSON gives
        for tool, version, _ in TOOLS:
            with self.subTest(run=tool):
                self.run_installed(tool, version, outs[tool]["path"])

        # the runner files: Windows paths, one bin dir per tool, TINYGOROOT
        with open(files["GITHUB_PATH"], encoding="utf-8", newline="") as f:
            path_lines = f.read().split("\n")
        self.assertEqual(path_lines[-1], "", "GITHUB_PATH does not end with a newline")
        self.assertEqual(path_lines[:-1], [win(self.bin_for(t, v)) for t, v, _ in TOOLS])
        for line in path_lines[:-1]:
            self.assertTrue(line.startswith("Z:\\") and "/" not in line, line)
        outputs = dict(_gha_lines(files["GITHUB_OUTPUT"]))
        for tool, version, _ in TOOLS:
            self.assertEqual(outputs.get(tool + "-version"), version, outputs)
            self.assertEqual(outputs.get(tool + "-path"), win(self.exe_for(tool, version)), outputs)
        env = _gha_lines(files["GITHUB_ENV"])
        self.assertEqual([v for k, v in env if k == "TINYGOROOT"],
                         [win(self.dir_for("tinygo", "0.40.1"))])
        # the PATH lines find each program by name (WINEPATH is the Windows PATH's head)
        names = " & ".join("%s %s" % (self.ta.EXE[t].split("/")[-1],
                                      "version" if t == "tinygo" else "--version")
                           for t, _, _ in TOOLS)
        for tool, version, _ in TOOLS:
            with open(os.path.splitext(self.exe_for(tool, version))[0] + ".out", "w") as f:
                f.write(self.ta.version_line(tool, version, self.asset(tool, version)) + "\n")
        p = subprocess.run([WINE, "cmd", "/c", names], capture_output=True, timeout=60,
                           env=dict(os.environ, WINEPATH=";".join(path_lines[:-1]), **wine_env()))
        for tool, version, _ in TOOLS:
            stem = os.path.splitext(self.exe_for(tool, version))[0]
            for ext in (".out", ".args"):
                if os.path.exists(stem + ext):
                    os.unlink(stem + ext)
        self.assertEqual(p.stdout.decode(errors="replace").replace("\r\n", "\n"),
                         "".join(self.ta.version_line(t, v, self.asset(t, v)) + "\n"
                                 for t, v, _ in TOOLS), p.stderr.decode(errors="replace"))

        # again: every tool a cache hit, proven without a request
        self.gh.clear_log()
        outs2, doc2, r2 = self.tools(*words)
        for tool, version, verified in TOOLS:
            self.assertInstalled(outs2[tool], tool, version, verified, cache_hit=True)
        self.assertEqual(self.gh.requests(), [])
        self.assertNotIn("warning", r2.stderr)

    def test_a_tampered_file_in_the_cached_tinygo_tree_is_named_and_reinstalled(self):
        self.tools("tinygo@0.40.1")
        p = os.path.join(self.dir_for("tinygo", "0.40.1"), "src", "runtime", "runtime.go")
        with open(p, "rb") as f:
            data = bytearray(f.read())
        data[len(data) // 2] ^= 0x01
        with open(p, "wb") as f:
            f.write(data)
        self.gh.clear_log()
        outs, doc, r = self.tools("tinygo@0.40.1")
        self.assertIn("setup-wash: warning:", r.stderr)
        self.assertTrue("src/runtime/runtime.go" in r.stderr or
                        "src\\runtime\\runtime.go" in r.stderr, r.stderr)
        self.assertInstalled(outs["tinygo"], "tinygo", "0.40.1", "digest", cache_hit=False)
        self.assertEqual(len(self.asset_downloads(self.asset("tinygo", "0.40.1"))), 1)

    def test_tinygo_under_a_cache_path_longer_than_max_path(self):
        # TinyGo's tree is deep (lib/wasi-libc/sysroot/include/wasi/api.h): unpacked, moved into
        # place and proven again on a cache hit, every path well over 260 characters
        self.cache = os.path.join(self.tmp, *(["a directory of forty characters, or so ü"] * 6))
        self.assertGreater(len(win(self.dir_for("tinygo", "0.40.1"))), 260)
        outs, doc, r = self.tools("tinygo@0.40.1")
        self.assertInstalled(outs["tinygo"], "tinygo", "0.40.1", "digest")
        self.gh.clear_log()
        outs, doc, r = self.tools("tinygo@0.40.1")
        self.assertInstalled(outs["tinygo"], "tinygo", "0.40.1", "digest", cache_hit=True)
        self.assertEqual(self.gh.requests(), [])

    def test_a_digest_mismatch_is_refused_and_leaves_nothing(self):
        asset = self.asset("tinygo", "0.40.1")
        self.variant("tinygo", "0.40.1", "wrong-digest", digests={asset: self.ta.WRONG_DIGEST})
        r = self.install("tinygo@0.40.1")
        self.assertFails(r, 5, asset, self.ta.WRONG_DIGEST[7:])
        self.assertNoToolTrace("tinygo", "0.40.1")

    def check_hostile_zip(self, entry):
        base = entry.replace("\\", "/").rsplit("/", 1)[-1].split(":")[-1]
        asset = self.asset("tinygo", "0.40.1")
        ents = self.ta._with_dirs(self.ta.entries_for("tinygo", "0.40.1", asset, extra_files=3,
                                                      windows_exe=self.fake))
        ents.append(self.ta.Entry(entry, b"escaped from the archive\n"))
        path = self.ta.write_zip(os.path.join(self.tmp, asset), ents)
        self.variant("tinygo", "0.40.1", "hostile-%s" % base, replace={asset: path})
        r = self.install("tinygo@0.40.1")
        self.assertFails(r, 5, asset, "refusing to extract")
        self.assertEqual(len(self.asset_downloads(asset)), 1)
        self.assertNoToolTrace("tinygo", "0.40.1")
        found = [os.path.join(b, n) for b, ds, fs in os.walk(self.tmp) for n in fs + ds
                 if n.startswith("sw-escaped")]
        found += [n for n in os.listdir(os.path.join(PREFIX, "drive_c")) if n.startswith("sw-escaped")]
        self.assertEqual(found, [], "the archive wrote outside its root")

    def test_lock_then_install_without_tool_makes_no_api_request(self):
        cache = ["--cache-dir", win(self.cache)]
        r = self.run_win("lock", *cache, "--version", "2.6.1")
        self.assertEqual(r.rc, 0, r)
        r = self.run_win("lock", *cache, "tinygo@0.40.1", "wkg@0.13.0")
        self.assertEqual(r.rc, 0, r)
        with open(os.path.join(self.cwd, "plugins.lock")) as f:
            lock = json.load(f)
        self.assertEqual(sorted(lock["tools"]), ["tinygo", "wkg"])
        self.assertEqual(lock["wash"]["version"], "2.6.1")
        pins = {t: lock["tools"][t]["assets"][self.asset(t, v)]["digest"]
                for t, v in (("tinygo", "0.40.1"), ("wkg", "0.13.0"))}
        self.assertEqual(lock["tools"]["wkg"]["assets"][self.asset("wkg", "0.13.0")]["targets"],
                         [WINDOWS])
        self.gh.clear_log()
        outs, doc, r = self.tools()
        self.assertEqual(doc["wash-version"], "2.6.1")
        self.assertEqual(sorted(outs), ["tinygo", "wkg"])
        self.assertInstalled(outs["tinygo"], "tinygo", "0.40.1", "digest")
        self.assertInstalled(outs["wkg"], "wkg", "0.13.0", "digest")
        for t in pins:
            self.assertEqual(outs[t]["digest"], pins[t])
        self.assertEqual(self.api_requests(), [])
        got = sorted(d["path"].split("?")[0].rsplit("/", 1)[1] for d in self.asset_downloads())
        self.assertEqual(got, sorted(["wash-%s.zip" % WINDOWS, self.asset("tinygo", "0.40.1"),
                                      self.asset("wkg", "0.13.0")]))


def _hostile_rows():
    for row, entry in HOSTILE_ZIP_ROWS:
        def test(self, entry=entry):
            self.check_hostile_zip(entry)
        test.__name__ = "test_hostile_zip_is_refused_%s" % row
        test.__doc__ = "a TinyGo zip with the entry %r is refused" % entry
        setattr(ToolsTest, test.__name__, test)


_hostile_rows()


# the unit tests that need what Windows has not (test_archive: symlinks, FIFOs, rlimits), or a
# C++ oracle (test_snappy: libsnappy), as in tests/CMakeLists.txt for a Windows build
UNIT_POSIX_ONLY = ("test_archive", "test_snappy")


class UnitTestsUnderWineTest(unittest.TestCase):
    """The unit tests, cross-compiled with mingw-w64 against the Windows build's own libswcore.a
    and libraries (scripts/build-release leaves them in build-release/windows-x64, its compile
    flags in compile_commands.json) and a cmocka built from Debian's sources the same way, each
    run under Wine: what ci.yml's windows-latest job runs natively."""

    @classmethod
    def setUpClass(cls):
        why = missing()
        if why:
            raise unittest.SkipTest(why)
        cmocka = [d for d in (os.listdir(SOURCES) if os.path.isdir(SOURCES) else [])
                  if d.startswith("cmocka-") and os.path.isdir(os.path.join(SOURCES, d))]
        if not cmocka:
            raise unittest.SkipTest("no cmocka sources in %s (scripts/setup-deps fetches them)" % SOURCES)
        built()
        bdir = os.path.join(ROOT, "build-release", "windows-x64")
        if not os.path.isfile(os.path.join(bdir, "libswcore.a")):
            raise unittest.SkipTest("no build-release/windows-x64 (SETUP_WASH_WINDOWS_BIN given?)")
        cache = {}
        with open(os.path.join(bdir, "CMakeCache.txt")) as f:
            for line in f:
                k, _, v = line.rstrip("\n").partition("=")
                cache[k.split(":")[0]] = v
        toolchain = cache["CMAKE_TOOLCHAIN_FILE"]
        with open(os.path.join(bdir, "compile_commands.json")) as f:
            entry = next(c for c in json.load(f) if c["file"].endswith("src/cmd/ctx.c"))
        words, cls.cflags = [], []
        for w in shlex.split(entry["command"])[1:]:
            if w.startswith("@"):  # a response file: the include directories
                with open(os.path.join(entry["directory"], w[1:])) as f:
                    words += shlex.split(f.read())
            else:
                words.append(w)
        for i, w in enumerate(words):
            if w.startswith(("-D", "-I", "-std")):
                cls.cflags.append(w)
            elif w == "-isystem":
                cls.cflags += [w, words[i + 1]]
        cls.libs = [os.path.join(bdir, "libswcore.a")] + cache["CMAKE_C_STANDARD_LIBRARIES"].split()
        cls.tmp = swtest.tempdir(prefix="sw-wine-unit-")
        cm_build, cls.cm = os.path.join(cls.tmp, "cmocka-build"), os.path.join(cls.tmp, "cmocka")
        for args in (["cmake", "-S", os.path.join(SOURCES, cmocka[0]), "-B", cm_build,
                      "-DCMAKE_TOOLCHAIN_FILE=" + toolchain, "-DCMAKE_BUILD_TYPE=Release",
                      "-DCMAKE_INSTALL_PREFIX=" + cls.cm, "-DWITH_STATIC_LIB=ON",
                      "-DWITH_EXAMPLES=OFF", "-DUNIT_TESTING=OFF"],
                     ["cmake", "--build", cm_build, "--parallel"], ["cmake", "--install", cm_build]):
            p = subprocess.run(args, capture_output=True, text=True, timeout=600)
            if p.returncode != 0:
                raise AssertionError("building cmocka for Windows failed:\n%s" % (p.stdout + p.stderr)[-3000:])
        start_wineserver()

    def test_every_portable_unit_test_passes_under_wine(self):
        unit = os.path.join(ROOT, "tests", "unit")
        names = sorted(f[:-2] for f in os.listdir(unit)
                       if f.startswith("test_") and f.endswith(".c") and f[:-2] not in UNIT_POSIX_ONLY)
        self.assertGreater(len(names), 20)
        env = dict(os.environ, **wine_env())
        env.update(SW_TEST_FIXTURES=os.path.join(ROOT, "tests", "fixtures"),
                   SW_SHARED_DIR=os.path.join(os.path.dirname(ROOT), "shared"))
        failed = []
        for name in names:
            exe = os.path.join(self.tmp, name + ".exe")
            c = subprocess.run([CC, "-O1", "-Wall"] + self.cflags +
                               ["-I" + unit, "-I" + os.path.join(self.cm, "include"), "-o", exe,
                                os.path.join(unit, name + ".c"), os.path.join(unit, "support.c"),
                                os.path.join(self.cm, "lib", "libcmocka-static.a"), "-static"] +
                               self.libs, capture_output=True, text=True, timeout=300)
            if c.returncode != 0:
                failed.append("%s does not build for Windows:\n%s" % (name, c.stderr[-2000:]))
                continue
            r = subprocess.run([WINE, exe], env=env, cwd=unit, capture_output=True, timeout=600)
            out = r.stdout.decode(errors="replace") + r.stderr.decode(errors="replace")
            if r.returncode != 0 or "[  PASSED  ]" not in out:
                failed.append("%s under Wine: exit %d\n%s" % (name, r.returncode, out[-3000:]))
        self.assertEqual(failed, [], "\n\n".join(failed))


BINFMT = "/proc/sys/fs/binfmt_misc"
BINFMT_NAME = "setup-wash-test-wine"


def register_wine():
    """Registers Wine for PE files with binfmt_misc; returns the cleanup, or raises SkipTest."""
    mounted = False
    if not os.path.exists(os.path.join(BINFMT, "register")):
        m = subprocess.run(["mount", "-t", "binfmt_misc", "binfmt_misc", BINFMT],
                           capture_output=True, text=True)
        if m.returncode != 0:
            raise unittest.SkipTest("binfmt_misc cannot be mounted here (%s): the emulated "
                                    "Windows runner needs it to run .exe files through Wine"
                                    % m.stderr.strip())
        mounted = True
    entry = os.path.join(BINFMT, BINFMT_NAME)
    try:
        if not os.path.exists(entry):
            with open(os.path.join(BINFMT, "register"), "w") as f:
                f.write(":%s:M::MZ::%s:" % (BINFMT_NAME, WINE))
    except OSError as e:
        if mounted:
            subprocess.run(["umount", BINFMT], capture_output=True)
        raise unittest.SkipTest("cannot register Wine with binfmt_misc (%s)" % e)

    def cleanup():
        if os.path.exists(entry):
            with open(entry, "w") as f:
                f.write("-1")
        if mounted:
            subprocess.run(["umount", BINFMT], capture_output=True)
    return cleanup


class ActionWindowsTest(test_action.ActionCase):
    TAG = "v9.8.7"
    REPO = "wasmCloud/setup-wash"

    @classmethod
    def setUpClass(cls):
        why = missing()
        if why:
            raise unittest.SkipTest(why)
        cls.release = built()[0]
        super().setUpClass()
        start_wineserver()
        cls.addClassCleanup(register_wine())

    def setUp(self):
        super().setUp()
        self.machine = actionrun.Machine(os.path.join(self.tmp, "runner"), os_name="Windows",
                                         arch="X64")
        self.asset = "setup-wash-%s-windows-x64.exe" % self.TAG
        self.action_dir = actionrun.release_checkout(ROOT, os.path.join(self.tmp, "action"),
                                                     self.asset, self.release)

    def job_env(self):
        env = super().job_env()
        env.update(wine_env())
        return env

    def publish(self, path):
        self.gh.add_releases({self.REPO: [{"tag_name": self.TAG, "assets": [
            {"name": self.asset, "content_file": path}]}]})

    def use(self, fresh=True):
        return self.act({"version": "2.6.1"}, stub_tool=False, fresh=fresh,
                        github=self.github(action_ref=self.TAG, action_repository=self.REPO))

    def test_get_tool_install_and_outputs_run_the_exe(self):
        self.publish(self.release)
        t = time.monotonic()
        res = self.use()
        cold_s = time.monotonic() - t
        self.assertOk(res)
        tool = res.step("tool").outputs
        cached = os.path.join(self.machine.tool_cache, "setup-wash", self.TAG[1:], "x64",
                              "setup-wash.exe")
        self.assertEqual((tool["bin"], tool["source"], tool["build"]),
                         (cached, "release " + self.TAG, "false"))
        self.assertEqual(swtest.sha256_file(cached), swtest.sha256_file(self.release))
        self.assertEqual(res.step("build").outcome, "skipped")
        out = res.outputs
        self.assertEqual(out["wash-version"], "2.6.1")
        self.assertEqual(res.step("install").outputs["target"], WINDOWS)
        self.assertEqual(out["wash-path"], win(os.path.join(self.machine.tool_cache, "wash", "2.6.1",
                                                            "x64", "wash.exe")))
        self.assertTrue(os.path.isfile(unwin(out["wash-path"])))
        self.assertIn(res.step("install").outputs["install-dir"], res.path_lines)
        self.assertTrue(res.step("install").outputs["install-dir"].startswith("Z:\\"))
        # the second use in the job: setup-wash.exe from the tool cache, wash a cache hit
        self.gh.clear_log()
        warm = self.use(fresh=False)
        self.assertOk(warm)
        self.assertIn("from the runner tool cache", warm.step("tool").stdout)
        self.assertEqual(warm.outputs["cache-hit"], "true")
        print("action on an emulated Windows runner under Wine: cold %.2f s" % cold_s)

    def test_a_forged_exe_is_refused(self):
        forged = swtest.forged_copy(self.release, os.path.join(self.tmp, "forged.exe"))
        self.publish(forged)
        res = self.use()
        self.assertFailedAt(res, "tool", "does not match the SHA-256 committed in dist/checksums.txt",
                            swtest.sha256_file(self.release), swtest.sha256_file(forged))
        left = os.path.join(self.machine.tool_cache, "setup-wash", self.TAG[1:], "x64")
        self.assertEqual(os.listdir(left) if os.path.isdir(left) else [], [])


if __name__ == "__main__":
    unittest.main()
