"""The component toolchain beside wash (TinyGo, wasm-tools, wkg, componentize-go): install,
resolve and lock of TOOL[@SPEC] against the fake GitHub, with releases that carry the real asset
names and layouts (toolassets.py).

The releases are built once per class in a temp dir: every version of toolassets.VERSIONS, the
moving tags that must never be picked (TinyGo v0.42.0-dev, wkg dev, componentize-go canary),
wasm-tools' old tag form (wasm-tools-1.0.60); the attested wasm-tools releases (1.241.2 and later)
have attestations signed by publish.yml on main under a test Sigstore instance whose root the
tool gets in SETUP_WASH_TRUSTED_ROOT. Tests that need another version of a release (a wrong or
missing digest, a bad checksums.txt, a hostile archive) publish it in place of the good one.

Tables of cases are one test per row (test_<table>_<row>), so a failing row names itself.
"""

import glob
import itertools
import json
import os
import shutil
import subprocess
import unittest

import swtest
import toolassets as ta
from swcase import ARCH, GNU, MUSL, CliCase

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WINDOWS = "x86_64-pc-windows-msvc"
MINGW = "x86_64-w64-mingw32-gcc-win32"
_VARIANTS = itertools.count(1)
_SHARED = {}


def _fake_windows_exe(workdir):
    """tests/tools/fake_tool_win.c built with mingw-w64 when it is there (the Windows assets then
    hold a real PE file), else None (they hold the shell script)."""
    if not shutil.which(MINGW):
        return None
    out = os.path.join(workdir, "fake-tool.exe")
    r = subprocess.run([MINGW, "-O2", "-municode", "-static", "-o", out,
                        os.path.join(ROOT, "tests", "tools", "fake_tool_win.c")], capture_output=True)
    return out if r.returncode == 0 else None


def _parse_gha_file(path):
    """A GITHUB_OUTPUT / GITHUB_ENV file: KEY=value lines and KEY<<DELIM blocks, in order."""
    out = []
    try:
        with open(path) as f:
            lines = f.read().split("\n")
    except FileNotFoundError:
        return out
    i = 0
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


class ToolCase(CliCase):
    """CliCase with the toolchain's releases published and helpers for its cache layout."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        tool = swtest.forge_tool()
        if not tool:
            raise unittest.SkipTest("tests/tools/sw_forge_bundle is not built")
        if not _SHARED:  # built once per process, shared by every class
            work = swtest.tempdir(prefix="sw-tools-")
            winexe = _fake_windows_exe(work)
            rels = ta.releases(work, windows_exe=winexe)
            root, atts = ta.forge_attestations(work, tool, rels)
            _SHARED.update(work=work, winexe=winexe, rels=rels, root=root, atts=atts)
        cls.work, cls.winexe, cls.rels = _SHARED["work"], _SHARED["winexe"], _SHARED["rels"]
        cls.root, cls.atts = _SHARED["root"], _SHARED["atts"]

    def setUp(self):
        super().setUp()
        self.publish()
        self.env["SETUP_WASH_TRUSTED_ROOT"] = self.root

    # -- publishing ----------------------------------------------------------

    def publish(self, *replacements, attestations=None):
        """Publishes every release, each of ``replacements`` (tool, release) in place of the
        release with its tag (or in addition), and the attestations (default: the class's)."""
        rels = {repo: list(rs) for repo, rs in self.rels.items()}
        for tool, rel in replacements:
            lst = rels[ta.REPOS[tool]]
            lst[:] = [r for r in lst if r["tag_name"] != rel["tag_name"]]
            lst.insert(0, rel)
        # one add, so no two releases of a repository share a tag (the server would serve
        # the bytes of the first given under the digest of the last)
        self.gh.reset_releases()
        self.gh.add_releases(rels)
        self.gh.set_attestations(self.atts if attestations is None else attestations)
        self.published = rels

    def rel(self, tool, version):
        return ta.find_release(self.published, tool, ta.tag_of(tool, version))

    def variant(self, tool, version, **kw):
        """A variant of a release (toolassets.release keywords), published in its place."""
        kw.setdefault("variant", "v%d" % next(_VARIANTS))
        rel = ta.release(self.work, tool, version, windows_exe=self.winexe, **kw)
        self.publish((tool, rel))
        return rel

    # -- running -------------------------------------------------------------

    def tools(self, *args, env=None):
        """install --json ARGS: rc 0 asserted, {tool name: its object}, and the whole document."""
        r = self.install("--json", *args, env=env)
        self.assertEqual(r.rc, 0, r)
        doc = json.loads(r.stdout)
        return {t["name"]: t for t in doc["tools"]}, doc, r

    def resolve(self, *args, env=None):
        r = self.run_cli("resolve", "--json", "--cache-dir", self.cache, *args, env=env)
        self.assertEqual(r.rc, 0, r)
        return {t["name"]: t for t in json.loads(r.stdout)["tools"]}

    def lock(self, *args, env=None):
        return self.run_cli("lock", "--cache-dir", self.cache, *args, env=env)

    def lockfile(self):
        with open(os.path.join(self.cwd, "plugins.lock")) as f:
            return json.load(f)

    def write_lock(self, doc):
        with open(os.path.join(self.cwd, "plugins.lock"), "w") as f:
            json.dump(doc, f, indent=2)

    # -- the cache -------------------------------------------------------------

    def arch_dir(self, target):
        return ARCH if target == GNU else target

    def dir_for(self, tool, version, target=GNU):
        return os.path.join(self.cache, tool, version, self.arch_dir(target))

    def exe_for(self, tool, version, target=GNU):
        ext = ".exe" if ta.is_windows(target) else ""
        return os.path.join(self.dir_for(tool, version, target), ta.EXE[tool] + ext)

    def tree_on_disk(self, d):
        """{relative path: bytes} of every file under d; links listed as ('link', target)."""
        out = {}
        for base, dirs, files in os.walk(d):
            for n in files + [x for x in dirs if os.path.islink(os.path.join(base, x))]:
                p = os.path.join(base, n)
                rel = os.path.relpath(p, d)
                if os.path.islink(p):
                    out[rel] = ("link", os.readlink(p))
                else:
                    with open(p, "rb") as f:
                        out[rel] = f.read()
        return out

    def asset_downloads(self, name=None):
        """Downloads of release assets (the bytes), of one asset name if given."""
        return [d for d in self.downloads() if d["path"].startswith("/dl/")
                and (name is None or d["path"].split("?")[0].endswith("/" + name))]

    def assertNoToolTrace(self, tool, version=None):
        """Nothing half-installed for tool: no staging dir, no version dir without its marker,
        and no directory for `version` at all when given."""
        base = os.path.join(self.cache, tool)
        self.assertEqual(glob.glob(os.path.join(base, ".staging*")), [], "staging left behind")
        self.assertEqual(glob.glob(os.path.join(base, "*", ".staging*")), [], "staging left behind")
        for vdir in glob.glob(os.path.join(base, "*")):
            if not os.path.isdir(vdir) or os.path.islink(vdir):
                continue
            for entry in os.listdir(vdir):
                p = os.path.join(vdir, entry)
                if os.path.isdir(p) and not os.path.islink(p):
                    self.assertTrue(os.path.exists(p + ".complete"),
                                    "%s has no .complete marker after a failure" % p)
        if version:
            self.assertFalse(os.path.lexists(os.path.join(base, version)),
                             "%s/%s exists after a failed install" % (tool, version))

    def assertInstalled(self, out, tool, version, target=GNU, verified=None, cache_hit=False,
                        extra_files=50):
        """The JSON object and the tree on disk of an installed tool, exactly."""
        rel = self.rel(tool, version)
        asset = ta.asset_name(tool, version, target)
        d = self.dir_for(tool, version, target)
        exe = self.exe_for(tool, version, target)
        want = {"name": tool, "version": version, "tag": ta.tag_of(tool, version),
                "repository": ta.REPOS[tool], "target": target, "asset": asset,
                "digest": "sha256:" + swtest.sha256_file(ta.asset_file(rel, asset)),
                "path": exe, "dir": d, "bin": os.path.join(d, ta.BIN[tool]) if ta.BIN[tool] else d,
                "cache-hit": cache_hit}
        if verified:
            want["verified"] = verified
        self.assertEqual({k: out.get(k) for k in want}, want)
        self.assertIn(out.get("verified"), ("provenance", "checksums", "digest", "none"))
        self.assertTrue(os.path.isfile(d + ".complete"), "no marker %s.complete" % d)
        expected = ta.tree_files(tool, version, asset, extra_files=extra_files,
                                 windows_exe=self.winexe)
        got = self.tree_on_disk(d)
        self.assertEqual(sorted(got), sorted(expected), "the installed tree differs")
        for rel_path, data in expected.items():
            self.assertEqual(got[rel_path], data, rel_path)
        if not ta.is_windows(target):
            self.assertTrue(os.access(exe, os.X_OK), "%s is not executable" % exe)
        if target == GNU:
            arg = "version" if tool == "tinygo" else "--version"
            ran = subprocess.run([exe, arg], capture_output=True, text=True)
            self.assertEqual(ran.stdout, ta.version_line(tool, version, asset) + "\n")

    def tags_path(self, tool, version):
        return "/api/v3/repos/%s/releases/tags/%s" % (ta.REPOS[tool], ta.tag_of(tool, version))


HOST_ASSET = {t: ta.asset_name(t, ta.LATEST[t], GNU) for t in ta.TOOLS}


# ---- resolution --------------------------------------------------------------------------

# (row, word, version, exact?)
RESOLVE_ROWS = [
    ("tinygo_exact", "tinygo@0.40.1", "0.40.1", True),
    ("tinygo_exact_with_v", "tinygo@v0.40.1", "0.40.1", True),
    ("tinygo_bare_is_latest", "tinygo", "0.41.1", False),
    ("tinygo_latest", "tinygo@latest", "0.41.1", False),
    ("tinygo_rc_never_takes_dev", "tinygo@rc", "0.41.1", False),
    ("tinygo_tilde", "tinygo@~0.40", "0.40.1", False),
    ("tinygo_caret_0x", "tinygo@^0.39", "0.39.0", False),
    ("tinygo_open_range", "tinygo@>=0.40.0", "0.41.1", False),
    ("wasm_tools_exact", "wasm-tools@1.240.0", "1.240.0", True),
    ("wasm_tools_exact_with_v", "wasm-tools@v1.241.2", "1.241.2", True),
    ("wasm_tools_old_tag_form", "wasm-tools@1.0.60", "1.0.60", True),
    ("wasm_tools_latest", "wasm-tools", "1.244.0", False),
    ("wasm_tools_caret", "wasm-tools@^1.240", "1.244.0", False),
    ("wasm_tools_tilde", "wasm-tools@~1.241", "1.241.2", False),
    ("wasm_tools_range_below_old_form", "wasm-tools@<1.200.0", "1.0.60", False),
    ("wkg_exact", "wkg@0.15.1", "0.15.1", True),
    ("wkg_latest_never_takes_dev", "wkg", "0.16.0", False),
    ("wkg_rc_never_takes_dev", "wkg@rc", "0.16.0", False),
    ("wkg_caret", "wkg@^0.15", "0.15.1", False),
    ("wkg_tilde", "wkg@~0.13", "0.13.0", False),
    ("componentize_go_exact", "componentize-go@0.3.3", "0.3.3", True),
    ("componentize_go_latest_never_takes_canary", "componentize-go", "0.3.4", False),
    ("componentize_go_rc_never_takes_canary", "componentize-go@rc", "0.3.4", False),
    ("componentize_go_tilde", "componentize-go@~0.3.3", "0.3.4", False),
    ("componentize_go_x", "componentize-go@0.3.x", "0.3.4", False),
]

# (row, word, exit code, fragment of stderr): never a candidate, even asked for exactly
NEVER_ROWS = [
    ("wkg_dev", "wkg@dev", 2, "dev"),
    ("componentize_go_canary", "componentize-go@canary", 2, "canary"),
    ("tinygo_dev_exact", "tinygo@0.42.0-dev", 3, "0.42.0-dev"),
    ("tinygo_dev_exact_with_v", "tinygo@v0.42.0-dev", 3, "0.42.0-dev"),
    ("tinygo_dev_by_prerelease_range", "tinygo@>=0.42.0-0", 3, ">=0.42.0-0"),
]


class ResolveTest(ToolCase):
    def check_resolve(self, word, version, exact):
        tool = word.split("@")[0]
        out = self.resolve(word)
        self.assertEqual(list(out), [tool])
        t = out[tool]
        want = {"name": tool, "version": version, "tag": ta.tag_of(tool, version),
                "repository": ta.REPOS[tool], "target": GNU,
                "asset": ta.asset_name(tool, version, GNU)}
        self.assertEqual({k: t.get(k) for k in want}, want)
        self.assertEqual(self.asset_downloads(), [], "resolve downloaded an asset")
        if exact:
            self.assertEqual([r["path"] for r in self.api_requests()], [self.tags_path(tool, version)])

    def check_never(self, word, rc, fragment):
        r = self.install(word)
        self.assertFails(r, rc, fragment)
        if rc == 3:  # the versions it lists do not offer the moving one either
            self.assertNotIn("0.42.0-dev,", r.stderr + ",")
        self.assertEqual(self.asset_downloads(), [])
        tool_dir = os.path.join(self.cache, word.split("@")[0])
        self.assertEqual(os.listdir(tool_dir) if os.path.isdir(tool_dir) else [], [])

    def test_min_release_age_holds_back_a_new_release(self):
        new = ta.release(self.work, "tinygo", "0.42.0", published_at=swtest.utc_ago(hours=2))
        self.publish(("tinygo", new))
        self.assertEqual(self.resolve("tinygo")["tinygo"]["version"], "0.42.0")
        held = self.resolve("tinygo", "--min-release-age", "1d")["tinygo"]
        self.assertEqual((held["version"], held["tag"]), ("0.41.1", "v0.41.1"))

    def test_several_tools_resolve_in_one_run(self):
        r = self.run_cli("resolve", "--json", "--cache-dir", self.cache, "wkg@0.13.0",
                         "tinygo@0.40.1", "componentize-go@0.3.4", "wasm-tools@1.240.0")
        self.assertEqual(r.rc, 0, r)
        got = sorted((t["name"], t["version"]) for t in json.loads(r.stdout)["tools"])
        self.assertEqual(got, [("componentize-go", "0.3.4"), ("tinygo", "0.40.1"),
                               ("wasm-tools", "1.240.0"), ("wkg", "0.13.0")])
        self.assertEqual(self.asset_downloads(), [])

    def test_usage_errors_make_no_request(self):
        rows = [(("install", "nosuchtool"), "unknown tool 'nosuchtool'"),
                (("install", "tinygo@banana"), "banana"),
                (("install", "tinygo@0.40.1", "tinygo@0.41.1"), "tinygo"),
                (("install", "wkg@0.13.0", "--target", "sparc-sun-solaris"), "sparc-sun-solaris"),
                (("resolve", "@0.40.1"), "TOOL"),
                (("lock", "nosuchtool"), "nosuchtool")]
        for args, frag in rows:
            with self.subTest(args=args):
                r = self.run_cli(*args, "--cache-dir", self.cache)
                self.assertFails(r, 2, frag)
        self.assertEqual(self.gh.requests(), [])


def _rows(cls, prefix, table, method):
    for row in table:
        def test(self, row=row):
            getattr(self, method)(*row[1:])
        test.__name__ = "test_%s_%s" % (prefix, row[0])
        test.__doc__ = "%s: %s" % (prefix, ", ".join(map(str, row[1:])))
        setattr(cls, test.__name__, test)


_rows(ResolveTest, "resolve", RESOLVE_ROWS, "check_resolve")
_rows(ResolveTest, "never", NEVER_ROWS, "check_never")


# ---- install ---------------------------------------------------------------------------------

# (row, tool, version, verified, downloads: asset names fetched)
INSTALL_ROWS = [
    ("tinygo", "tinygo", "0.40.1", "digest", None),
    ("wasm_tools_before_attestations", "wasm-tools", "1.240.0", "digest", None),
    ("wasm_tools_attested", "wasm-tools", "1.244.0", "provenance", None),
    ("wasm_tools_old_tag_form", "wasm-tools", "1.0.60", "digest", None),
    ("wkg", "wkg", "0.13.0", "digest", None),
    ("componentize_go", "componentize-go", "0.3.4", "checksums", ["checksums.txt"]),
]


class InstallToolsTest(ToolCase):
    def check_install(self, tool, version, verified, more):
        outs, doc, r = self.tools("%s@%s" % (tool, version))
        self.assertEqual(list(outs), [tool])
        self.assertInstalled(outs[tool], tool, version, verified=verified)
        self.assertNotIn("wash-version", doc, "wash was installed too")
        self.assertFalse(os.path.exists(os.path.join(self.cache, "wash")))
        api = [q["path"] for q in self.api_requests()]
        self.assertEqual(api[0], self.tags_path(tool, version))
        if verified == "provenance":
            self.assertTrue(any("/attestations/sha256:" in p for p in api[1:]), api)
        else:
            self.assertEqual(api, [self.tags_path(tool, version)])
        got = sorted(d["path"].split("?")[0].rsplit("/", 1)[1] for d in self.asset_downloads())
        self.assertEqual(got, sorted([ta.asset_name(tool, version, GNU)] + (more or [])))
        self.assertNoToolTrace(tool)

    def test_four_tools_in_one_run(self):
        outs, doc, r = self.tools("tinygo@0.40.1", "wasm-tools@1.240.0", "wkg@0.13.0",
                                  "componentize-go@0.3.4")
        self.assertEqual([t["name"] for t in doc["tools"]],
                         ["tinygo", "wasm-tools", "wkg", "componentize-go"])
        self.assertInstalled(outs["tinygo"], "tinygo", "0.40.1", verified="digest")
        self.assertInstalled(outs["wasm-tools"], "wasm-tools", "1.240.0", verified="digest")
        self.assertInstalled(outs["wkg"], "wkg", "0.13.0", verified="digest")
        self.assertInstalled(outs["componentize-go"], "componentize-go", "0.3.4", verified="checksums")
        self.assertEqual(len(self.asset_downloads()), 5)

    def test_text_output_names_each_tool_and_its_path(self):
        r = self.install("tinygo@0.40.1", "wkg@0.13.0")
        self.assertEqual(r.rc, 0, r)
        self.assertIn(self.exe_for("tinygo", "0.40.1"), r.stdout + r.stderr)
        self.assertIn(self.exe_for("wkg", "0.13.0"), r.stdout + r.stderr)

    def test_wash_at_spec_is_the_version_option(self):
        self.env["SETUP_WASH_TRUSTED_ROOT"] = self.gh.trusted_root
        a = self.run_cli("resolve", "--json", "--cache-dir", self.cache, "wash@2.6.1")
        b = self.run_cli("resolve", "--json", "--cache-dir", self.cache, "--version", "2.6.1")
        self.assertEqual((a.rc, b.rc), (0, 0), (a, b))
        ja, jb = json.loads(a.stdout), json.loads(b.stdout)
        for k in ("wash-version", "tag", "repository", "asset", "install-dir"):
            self.assertEqual(ja.get(k), jb[k], k)
        self.assertEqual(jb["wash-version"], "2.6.1")

    def test_wash_and_a_tool_in_one_run(self):
        self.env["SETUP_WASH_TRUSTED_ROOT"] = self.gh.trusted_root
        outs, doc, r = self.tools("wash@2.6.1", "tinygo@0.40.1")
        self.assertEqual((doc["wash-version"], doc["tag"]), ("2.6.1", "v2.6.1"))
        self.assertEqual(doc["wash-path"], os.path.join(self.cache, "wash", "2.6.1", ARCH, "wash"))
        self.assertInstalled(outs["tinygo"], "tinygo", "0.40.1", verified="digest")

    def test_github_actions_outputs_path_and_tinygoroot(self):
        files = {k: os.path.join(self.tmp, k.lower()) for k in ("GITHUB_OUTPUT", "GITHUB_PATH", "GITHUB_ENV")}
        r = self.install("tinygo@0.40.1", "wasm-tools@1.240.0", "wkg@0.13.0", env=files)
        self.assertEqual(r.rc, 0, r)
        outputs = dict(_parse_gha_file(files["GITHUB_OUTPUT"]))
        for tool, version in (("tinygo", "0.40.1"), ("wasm-tools", "1.240.0"), ("wkg", "0.13.0")):
            self.assertEqual(outputs.get(tool + "-version"), version, outputs)
            self.assertEqual(outputs.get(tool + "-path"), self.exe_for(tool, version), outputs)
        with open(files["GITHUB_PATH"]) as f:
            paths = f.read().splitlines()
        for d in (os.path.join(self.dir_for("tinygo", "0.40.1"), "bin"),
                  self.dir_for("wasm-tools", "1.240.0"), self.dir_for("wkg", "0.13.0")):
            self.assertIn(d, paths)
        env = _parse_gha_file(files["GITHUB_ENV"])
        self.assertEqual([v for k, v in env if k == "TINYGOROOT"], [self.dir_for("tinygo", "0.40.1")])

    def test_no_tinygoroot_without_tinygo(self):
        files = {k: os.path.join(self.tmp, k.lower()) for k in ("GITHUB_OUTPUT", "GITHUB_PATH", "GITHUB_ENV")}
        r = self.install("wkg@0.13.0", env=files)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual([k for k, v in _parse_gha_file(files["GITHUB_ENV"]) if k == "TINYGOROOT"], [])
        self.assertEqual(dict(_parse_gha_file(files["GITHUB_OUTPUT"])).get("wkg-version"), "0.13.0")


_rows(InstallToolsTest, "install", INSTALL_ROWS, "check_install")


# ---- --target --------------------------------------------------------------------------------

def _target_rows():
    rows = []
    for tool in ta.TOOLS:
        version = ta.LATEST[tool]
        for target in ta.table_targets(tool, version):
            rows.append(("%s_%s" % (tool.replace("-", "_"), target.replace("-", "_")), tool,
                         version, target))
    return rows


# (row, word, target, fragment): no build for that target at that version
NO_BUILD_ROWS = [
    ("tinygo_musl", "tinygo@0.40.1", MUSL, MUSL),
    ("tinygo_windows_arm64", "tinygo@0.40.1", "aarch64-pc-windows-msvc", "aarch64-pc-windows-msvc"),
    ("wasm_tools_windows_arm64_before_1_244", "wasm-tools@1.241.2", "aarch64-pc-windows-msvc",
     "aarch64-pc-windows-msvc"),
    ("wasm_tools_musl_before_1_236", "wasm-tools@1.226.0", "x86_64-unknown-linux-musl",
     "x86_64-unknown-linux-musl"),
    ("wkg_musl", "wkg@0.16.0", MUSL, MUSL),
    ("componentize_go_windows_arm64", "componentize-go@0.3.4", "aarch64-pc-windows-msvc",
     "aarch64-pc-windows-msvc"),
]


class TargetTest(ToolCase):
    def check_target(self, tool, version, target):
        word = "%s@%s" % (tool, version)
        res = self.resolve(word, "--target", target)[tool]
        self.assertEqual((res["asset"], res["target"], res["version"]),
                         (ta.asset_name(tool, version, target), target, version))
        self.assertEqual(self.asset_downloads(), [])
        outs, doc, r = self.tools(word, "--target", target)
        self.assertInstalled(outs[tool], tool, version, target=target)
        d = os.path.join(self.cache, tool, version, ARCH if target == GNU else target)
        self.assertEqual(outs[tool]["dir"], d)
        if ta.is_windows(target):
            self.assertTrue(outs[tool]["path"].endswith(ta.EXE[tool] + ".exe"), outs[tool]["path"])

    def check_no_build(self, word, target, fragment):
        r = self.install(word, "--target", target)
        self.assertFails(r, 3, fragment)
        self.assertEqual(self.asset_downloads(), [])
        self.assertNoToolTrace(word.split("@")[0], word.split("@")[1])


_rows(TargetTest, "target", _target_rows(), "check_target")
_rows(TargetTest, "no_build", NO_BUILD_ROWS, "check_no_build")


# ---- verification ----------------------------------------------------------------------------

# (row, tool, version): the API publishes a wrong digest for the host's asset
WRONG_DIGEST_ROWS = [
    ("tinygo", "tinygo", "0.40.1"),
    ("wasm_tools", "wasm-tools", "1.240.0"),
    ("wkg", "wkg", "0.13.0"),
    ("componentize_go_checksums_agree", "componentize-go", "0.3.4"),
]

# (row, checksums override for the host asset: None = its line left out, or a wrong hash, fragment)
CHECKSUMS_ROWS = [
    ("line_missing", None, "checksums.txt"),
    ("wrong_hash", "0" * 64, "checksums.txt"),
]

# (row, tool, version, --verify mode, expected rc)
NO_DIGEST_ROWS = [
    ("tinygo_auto_warns", "tinygo", "0.40.1", "auto", 0),
    ("tinygo_digest_refuses", "tinygo", "0.40.1", "digest", 5),
    ("tinygo_provenance_refuses", "tinygo", "0.40.1", "provenance", 5),
    ("wkg_auto_warns", "wkg", "0.13.0", "auto", 0),
    ("wkg_digest_refuses", "wkg", "0.13.0", "digest", 5),
    ("wasm_tools_auto_warns", "wasm-tools", "1.240.0", "auto", 0),
    ("wasm_tools_digest_refuses", "wasm-tools", "1.240.0", "digest", 5),
]


class VerifyTest(ToolCase):
    def check_wrong_digest(self, tool, version):
        asset = ta.asset_name(tool, version, GNU)
        self.variant(tool, version, digests={asset: ta.WRONG_DIGEST})
        r = self.install("%s@%s" % (tool, version))
        self.assertFails(r, 5, asset)
        self.assertIn(ta.WRONG_DIGEST[7:], r.stderr)
        self.assertNoToolTrace(tool, version)

    def check_checksums(self, override, fragment):
        asset = HOST_ASSET["componentize-go"]
        self.variant("componentize-go", "0.3.4", checksums={asset: override})
        r = self.install("componentize-go@0.3.4")
        self.assertFails(r, 5, fragment, asset)
        self.assertNoToolTrace("componentize-go", "0.3.4")

    def check_no_digest(self, tool, version, mode, rc):
        self.variant(tool, version, digests={"*": None})
        r = self.install("--json", "--verify", mode, "%s@%s" % (tool, version))
        self.assertEqual(r.rc, rc, r)
        if rc == 0:
            out = {t["name"]: t for t in json.loads(r.stdout)["tools"]}[tool]
            self.assertInstalled(out, tool, version, verified="none")
            self.assertIn("setup-wash: warning:", r.stderr)
            self.assertIn(tool, r.stderr.lower())
        else:
            self.assertNoToolTrace(tool, version)

    def test_componentize_go_without_api_digest_is_vouched_by_checksums(self):
        self.variant("componentize-go", "0.3.4", digests={"*": None})
        outs, doc, r = self.tools("--verify", "digest", "componentize-go@0.3.4")
        self.assertInstalled(outs["componentize-go"], "componentize-go", "0.3.4", verified="checksums")
        self.assertNotIn("warning", r.stderr)

    def test_provenance_required_and_present(self):
        outs, doc, r = self.tools("--verify", "provenance", "wasm-tools@1.244.0")
        self.assertInstalled(outs["wasm-tools"], "wasm-tools", "1.244.0", verified="provenance")

    def test_provenance_required_before_attestations_is_refused_before_any_download(self):
        # with an attested tool in the same run: the refusal comes first, so nothing is fetched
        self.gh.clear_log()
        r = self.install("--verify", "provenance", "wasm-tools@1.244.0", "tinygo@0.40.1")
        self.assertFails(r, 5, "TinyGo 0.40.1 publishes no build provenance",
                          "nothing was downloaded")
        self.assertEqual([q["path"] for q in self.gh.requests() if "/dl/" in q["path"]
                          or "/releases/download/" in q["path"]], [])
        self.assertNoToolTrace("tinygo", "0.40.1")
        self.assertNoToolTrace("wasm-tools", "1.244.0")
        r = self.install("--verify", "provenance", "wasm-tools@1.240.0")
        self.assertFails(r, 5, "wasm-tools")
        self.assertNoToolTrace("wasm-tools", "1.240.0")

    def test_attestation_of_another_asset_is_refused(self):
        # the attestations API answers for 1.244.0's host asset with 1.241.2's bundle, whose
        # subjects are other digests
        asset = ta.asset_name("wasm-tools", "1.244.0", GNU)
        mine = swtest.sha256_file(ta.asset_file(self.rel("wasm-tools", "1.244.0"), asset))
        other = swtest.sha256_file(ta.asset_file(self.rel("wasm-tools", "1.241.2"),
                                                 ta.asset_name("wasm-tools", "1.241.2", GNU)))
        atts = dict(self.atts)
        atts[mine] = self.atts[other]
        self.publish(attestations=atts)
        r = self.install("wasm-tools@1.244.0")
        self.assertEqual(r.rc, 5, r)
        self.assertNoToolTrace("wasm-tools", "1.244.0")


# (row, fault action on the asset's download, exit code, fragment)
DOWNLOAD_FAULT_ROWS = [
    ("server_error_every_time", {"status": 502}, 4, "502"),
    ("reset_every_time", {"reset_after": 200}, 4, "tinygo0.40.1.linux-amd64.tar.gz"),
    ("truncated_every_time", {"truncate_after": 200}, 4, "tinygo0.40.1.linux-amd64.tar.gz"),
    ("corrupted", {"corrupt": True}, 5, "tinygo0.40.1.linux-amd64.tar.gz"),
    ("not_found", {"status": 404}, 3, "404"),
]

# (row, tool, version, archive member left out)
NO_EXE_ROWS = [
    ("tinygo_without_bin_tinygo", "tinygo", "0.40.1", "tinygo/bin/tinygo"),
    ("wasm_tools_without_wasm_tools", "wasm-tools", "1.240.0", "wasm-tools-1.240.0-x86_64-linux/wasm-tools"),
    ("componentize_go_without_componentize_go", "componentize-go", "0.3.4", "componentize-go"),
]


class FaultTest(ToolCase):
    def check_download_fault(self, action, rc, fragment):
        self.gh.set_faults([{"match": r"^/dl/.*tinygo0\.40\.1\.linux-amd64", "host": "download",
                             "action": action}])
        r = self.install("tinygo@0.40.1")
        self.assertFails(r, rc, fragment)
        self.assertNoToolTrace("tinygo", "0.40.1")

    def check_no_exe(self, tool, version, member):
        asset = ta.asset_name(tool, version, GNU)
        ents = [e for e in ta.entries_for(tool, version, asset) if e.name != member]
        path = ta.write_archive(os.path.join(self.tmp, asset), ents)
        self.variant(tool, version, replace={asset: path})
        r = self.install("%s@%s" % (tool, version))
        self.assertFails(r, 5, asset)
        self.assertNoToolTrace(tool, version)

    def test_a_second_top_folder_leaves_no_single_root(self):
        # tinygo/ and a stray top-level file: the archive root is the root, where bin/tinygo is not
        asset = ta.asset_name("tinygo", "0.40.1", GNU)
        ents = ta.entries_for("tinygo", "0.40.1", asset) + [ta.Entry("stray.txt", b"x\n")]
        path = ta.write_archive(os.path.join(self.tmp, asset), ents)
        self.variant("tinygo", "0.40.1", replace={asset: path})
        r = self.install("tinygo@0.40.1")
        self.assertFails(r, 5, asset)
        self.assertNoToolTrace("tinygo", "0.40.1")

    def test_a_cache_dir_that_is_a_file_is_a_filesystem_error(self):
        blocker = os.path.join(self.tmp, "not-a-dir")
        with open(blocker, "w") as f:
            f.write("x")
        r = self.run_cli("install", "--cache-dir", blocker, "wkg@0.13.0")
        self.assertFails(r, 6, "not-a-dir")


_rows(FaultTest, "download_fault", DOWNLOAD_FAULT_ROWS, "check_download_fault")
_rows(FaultTest, "archive_without_its_executable", NO_EXE_ROWS, "check_no_exe")
_rows(VerifyTest, "wrong_api_digest", WRONG_DIGEST_ROWS, "check_wrong_digest")
_rows(VerifyTest, "componentize_go_checksums", CHECKSUMS_ROWS, "check_checksums")
_rows(VerifyTest, "no_api_digest", NO_DIGEST_ROWS, "check_no_digest")


# ---- hostile archives ------------------------------------------------------------------------

def _hostile_rows():
    rows = []
    for tool, version in (("tinygo", "0.40.1"), ("wasm-tools", "1.240.0"), ("componentize-go", "0.3.4")):
        for target, fmt in ((GNU, "tar"), (WINDOWS, "zip")):
            for kind in ("symlink", "dotdot", "absolute"):
                rows.append(("%s_%s_%s" % (tool.replace("-", "_"), fmt, kind), tool, version, target, kind))
    return rows


class HostileArchiveTest(ToolCase):
    def check_hostile(self, tool, version, target, kind):
        outside = os.path.join(self.tmp, "sw-escaped-%s" % kind)
        rel, asset = ta.hostile_release(self.work, tool, version, target, kind, outside,
                                        windows_exe=self.winexe)
        self.publish((tool, rel))
        r = self.install("%s@%s" % (tool, version), "--target", target)
        self.assertEqual(r.rc, 5, r)
        self.assertIn(asset, r.stderr)
        self.assertEqual(len(self.asset_downloads(asset)), 1)
        self.assertNoToolTrace(tool, version)
        self.assertFalse(os.path.lexists(outside), "the archive wrote outside its root")
        found = [os.path.join(b, n) for b, ds, fs in os.walk(self.tmp) for n in fs + ds
                 if n.startswith("sw-escaped") or n == "evil"]
        self.assertEqual(found, [])


_rows(HostileArchiveTest, "hostile", _hostile_rows(), "check_hostile")


# ---- lock ------------------------------------------------------------------------------------

# (row, word, version, pinned-from accepted)
LOCK_ROWS = [
    ("tinygo", "tinygo@~0.40", "0.40.1", ("api",)),
    ("wasm_tools_attested_every_platform", "wasm-tools@^1.240", "1.244.0", ("api",)),
    ("wasm_tools_before_musl", "wasm-tools@1.226.0", "1.226.0", ("api",)),
    ("wasm_tools_old_tag_form", "wasm-tools@1.0.60", "1.0.60", ("api",)),
    ("wkg", "wkg@0.16.0", "0.16.0", ("api",)),
    ("componentize_go", "componentize-go@^0.3", "0.3.4", ("api", "checksums")),
]


class LockTest(ToolCase):
    def assertPinned(self, entry, tool, version, requested, froms):
        rel = self.rel(tool, version)
        self.assertEqual({k: entry.get(k) for k in ("requested", "version", "tag", "repository")},
                         {"requested": requested, "version": version, "tag": ta.tag_of(tool, version),
                          "repository": ta.REPOS[tool]})
        table = ta.table_assets(tool, version)
        self.assertEqual(sorted(entry["assets"]), sorted(table), "not every platform is pinned")
        for name, pin in entry["assets"].items():
            path = ta.asset_file(rel, name)
            self.assertEqual(sorted(pin["targets"]), sorted(table[name]), name)
            self.assertEqual(pin["digest"], "sha256:" + swtest.sha256_file(path), name)
            self.assertEqual(pin["size"], os.path.getsize(path), name)
            self.assertIn(pin["pinned-from"], froms, name)

    def check_lock(self, word, version, froms):
        tool, requested = word.split("@")
        r = self.lock(word)
        self.assertEqual(r.rc, 0, r)
        doc = self.lockfile()
        self.assertEqual(list(doc["tools"]), [tool])
        entry = doc["tools"][tool]
        self.assertPinned(entry, tool, version, requested, froms)
        if ta.attested(tool, version):
            self.assertIn("provenance", entry, "the attested release's bundle is not pinned")
            self.assertEqual(entry["provenance"].get("source"), "attestations")
            self.assertRegex(entry["provenance"].get("bundle", ""), r"^sha256:[0-9a-f]{64}$")
        else:
            self.assertNotIn("provenance", entry)
        fetched = [d["path"].split("?")[0].rsplit("/", 1)[1] for d in self.asset_downloads()]
        self.assertEqual([n for n in fetched if n != "checksums.txt"], [],
                         "lock downloaded assets the API has digests for")
        self.assertNotIn("wash", doc)

    def test_lock_without_api_digests_downloads_each_asset_and_says_so(self):
        self.variant("tinygo", "0.40.1", digests={"*": None})
        r = self.lock("tinygo@0.40.1")
        self.assertEqual(r.rc, 0, r)
        entry = self.lockfile()["tools"]["tinygo"]
        self.assertPinned(entry, "tinygo", "0.40.1", "0.40.1", ("download",))
        fetched = sorted(d["path"].split("?")[0].rsplit("/", 1)[1] for d in self.asset_downloads())
        self.assertEqual(fetched, sorted(ta.table_assets("tinygo", "0.40.1")))
        # the lock's own downloads are not an install
        self.assertFalse(os.path.exists(os.path.join(self.cache, "tinygo")))

    def test_lock_componentize_go_without_api_digests_pins_from_checksums(self):
        self.variant("componentize-go", "0.3.4", digests={"*": None})
        r = self.lock("componentize-go@0.3.4")
        self.assertEqual(r.rc, 0, r)
        self.assertPinned(self.lockfile()["tools"]["componentize-go"], "componentize-go", "0.3.4",
                          "0.3.4", ("checksums",))
        fetched = [d["path"].split("?")[0].rsplit("/", 1)[1] for d in self.asset_downloads()]
        self.assertEqual(fetched, ["checksums.txt"])

    def test_lock_keeps_wash_plugins_and_other_tools(self):
        self.env["SETUP_WASH_TRUSTED_ROOT"] = self.gh.trusted_root
        self.assertEqual(self.lock("--version", "2.6.1").rc, 0)
        doc = self.lockfile()
        doc["plugins"] = [{"name": "x", "source": "./x.wasm"}]
        self.write_lock(doc)
        self.assertEqual(self.lock("tinygo@0.40.1").rc, 0)
        self.assertEqual(self.lock("wkg@0.13.0").rc, 0)
        after = self.lockfile()
        self.assertEqual(after["wash"], doc["wash"])
        self.assertEqual(after["plugins"], doc["plugins"])
        self.assertEqual(sorted(after["tools"]), ["tinygo", "wkg"])
        self.assertEqual(after["tools"]["tinygo"]["version"], "0.40.1")
        # relocking the same is byte for byte the same file
        with open(os.path.join(self.cwd, "plugins.lock")) as f:
            first = f.read()
        self.assertEqual(self.lock("wkg@0.13.0").rc, 0)
        with open(os.path.join(self.cwd, "plugins.lock")) as f:
            self.assertEqual(f.read(), first)

    def test_lock_to_another_file(self):
        path = os.path.join(self.tmp, "other.lock")
        r = self.lock("wkg@0.15.1", "--lock", path)
        self.assertEqual(r.rc, 0, r)
        with open(path) as f:
            self.assertEqual(json.load(f)["tools"]["wkg"]["version"], "0.15.1")
        self.assertFalse(os.path.exists(os.path.join(self.cwd, "plugins.lock")))

    # -- locked installs ---------------------------------------------------------------

    def check_locked(self, tool, version):
        self.assertEqual(self.lock("%s@%s" % (tool, version)).rc, 0)
        pin = self.lockfile()["tools"][tool]["assets"][ta.asset_name(tool, version, GNU)]["digest"]
        self.gh.clear_log()
        # an exact version the lock pins: no API request (a bare name means latest, which asks)
        outs, doc, r = self.tools("%s@%s" % (tool, version))
        self.assertInstalled(outs[tool], tool, version)
        self.assertEqual(outs[tool]["digest"], pin)
        self.assertNotEqual(outs[tool]["verified"], "none")
        self.assertEqual(self.api_requests(), [], "a locked install asked the API")
        fetched = [d["path"].split("?")[0].rsplit("/", 1)[1] for d in self.asset_downloads()]
        self.assertEqual(fetched, [ta.asset_name(tool, version, GNU)])

    def test_install_without_tools_takes_wash_and_every_locked_tool(self):
        self.env["SETUP_WASH_TRUSTED_ROOT"] = self.gh.trusted_root
        self.assertEqual(self.lock("--version", "2.6.1").rc, 0)
        self.assertEqual(self.lock("tinygo@0.40.1", "wkg@0.13.0").rc, 0)
        self.gh.clear_log()
        outs, doc, r = self.tools()
        self.assertEqual(doc["wash-version"], "2.6.1")
        self.assertEqual(sorted(n for n in outs if n != "wash"), ["tinygo", "wkg"])
        self.assertInstalled(outs["tinygo"], "tinygo", "0.40.1")
        self.assertInstalled(outs["wkg"], "wkg", "0.13.0")
        self.assertEqual(self.api_requests(), [])
        self.assertEqual(len(self.asset_downloads()), 3)

    def test_locked_pin_vouches_when_the_api_gives_no_digest(self):
        self.variant("tinygo", "0.40.1", digests={"*": None})
        self.assertEqual(self.lock("tinygo@0.40.1").rc, 0)
        outs, doc, r = self.tools("--verify", "digest", "tinygo@0.40.1")
        self.assertInstalled(outs["tinygo"], "tinygo", "0.40.1", verified="digest")
        self.assertNotIn("warning", r.stderr)

    def test_locked_pin_refuses_changed_bytes_without_api_digest(self):
        self.variant("tinygo", "0.40.1", digests={"*": None})
        self.assertEqual(self.lock("tinygo@0.40.1").rc, 0)
        # the release's asset is replaced by other bytes, still with no digest in the API
        self.variant("tinygo", "0.40.1", digests={"*": None}, extra_files=51, variant="changed")
        r = self.install("tinygo@0.40.1")
        self.assertFails(r, 5, ta.asset_name("tinygo", "0.40.1", GNU))
        self.assertNoToolTrace("tinygo", "0.40.1")

    def test_locked_pin_refuses_a_same_size_forgery_without_api_digest(self):
        self.variant("tinygo", "0.40.1", digests={"*": None})
        self.assertEqual(self.lock("tinygo@0.40.1").rc, 0)
        asset = ta.asset_name("tinygo", "0.40.1", GNU)
        forged = swtest.forged_copy(ta.asset_file(self.rel("tinygo", "0.40.1"), asset),
                                    os.path.join(self.tmp, asset))
        self.variant("tinygo", "0.40.1", digests={"*": None}, replace={asset: forged})
        self.gh.clear_log()
        r = self.install("tinygo@0.40.1")
        self.assertFails(r, 5, asset, "plugins.lock")
        self.assertEqual(len(self.asset_downloads(asset)), 1)
        self.assertNoToolTrace("tinygo", "0.40.1")

    def test_locked_digest_edited_is_refused(self):
        self.assertEqual(self.lock("wkg@0.13.0").rc, 0)
        doc = self.lockfile()
        bad = "sha256:" + "ab" * 32
        doc["tools"]["wkg"]["assets"]["wkg-" + GNU]["digest"] = bad
        self.write_lock(doc)
        r = self.install("wkg@0.13.0")
        self.assertFails(r, 5, bad[7:])
        self.assertNoToolTrace("wkg", "0.13.0")


_rows(LockTest, "lock", LOCK_ROWS, "check_lock")
_rows(LockTest, "locked_install_makes_no_api_request", [
    ("tinygo", "tinygo", "0.40.1"),
    ("wasm_tools_attested", "wasm-tools", "1.244.0"),
    ("wkg", "wkg", "0.13.0"),
    ("componentize_go", "componentize-go", "0.3.4"),
], "check_locked")


# ---- the cache -------------------------------------------------------------------------------

# (row, relative path in TinyGo's tree, how it is tampered)
TAMPER_ROWS = [
    ("changed_source", "src/runtime/runtime.go", "flip"),
    ("removed_target", "targets/wasip2.json", "remove"),
    ("changed_wasm_opt", "bin/wasm-opt", "flip"),
    ("grown_lib_file", "lib/wasi-cli/wit/command.wit", "append"),
]


class CacheTest(ToolCase):
    def check_cache_hit(self, tool, version):
        self.tools("%s@%s" % (tool, version))
        self.gh.clear_log()
        outs, doc, r = self.tools("%s@%s" % (tool, version))
        self.assertInstalled(outs[tool], tool, version, cache_hit=True)
        self.assertEqual(self.gh.requests(), [])

    def check_tamper(self, rel_path, how):
        self.tools("tinygo@0.40.1")
        d = self.dir_for("tinygo", "0.40.1")
        p = os.path.join(d, rel_path)
        if how == "remove":
            os.unlink(p)
        else:
            with open(p, "rb") as f:
                data = bytearray(f.read())
            if how == "flip":
                data[len(data) // 2] ^= 0x01
            else:
                data += b"// more\n"
            with open(p, "wb") as f:
                f.write(data)
        self.gh.clear_log()
        outs, doc, r = self.tools("tinygo@0.40.1")
        self.assertIn(rel_path, r.stderr)
        # said once, though the tree is checked before the tool's lock and again under it
        self.assertEqual(r.stderr.count("setup-wash: warning:"), 1, r.stderr)
        self.assertEqual(r.stderr.count("is not what was installed"), 1, r.stderr)
        self.assertInstalled(outs["tinygo"], "tinygo", "0.40.1", cache_hit=False)
        self.assertEqual(len(self.asset_downloads(ta.asset_name("tinygo", "0.40.1", GNU))), 1)

    def test_an_added_file_in_the_tree_is_noticed(self):
        self.tools("tinygo@0.40.1")
        extra = os.path.join(self.dir_for("tinygo", "0.40.1"), "src", "runtime", "planted.go")
        with open(extra, "w") as f:
            f.write("package runtime\n")
        outs, doc, r = self.tools("tinygo@0.40.1")
        self.assertIn("planted.go", r.stderr)
        self.assertInstalled(outs["tinygo"], "tinygo", "0.40.1", cache_hit=False)

    def test_a_dir_without_its_marker_is_replaced(self):
        d = self.dir_for("tinygo", "0.40.1")
        os.makedirs(os.path.join(d, "bin"))
        with open(os.path.join(d, "bin", "tinygo"), "w") as f:
            f.write("half")
        outs, doc, r = self.tools("tinygo@0.40.1")
        self.assertInstalled(outs["tinygo"], "tinygo", "0.40.1", cache_hit=False)

    def test_versions_and_targets_sit_side_by_side(self):
        self.tools("tinygo@0.40.1")
        self.tools("tinygo@0.41.1")
        self.tools("tinygo@0.40.1", "--target", "aarch64-apple-darwin")
        self.assertEqual(sorted(os.listdir(os.path.join(self.cache, "tinygo"))), ["0.40.1", "0.41.1"])
        names = sorted(n for n in os.listdir(os.path.join(self.cache, "tinygo", "0.40.1"))
                       if not n.endswith(".files"))
        self.assertEqual(names, sorted([ARCH, ARCH + ".complete", "aarch64-apple-darwin",
                                        "aarch64-apple-darwin.complete"]))

    def test_two_concurrent_installs_of_tinygo_download_once(self):
        self.check_concurrent("tinygo", "0.40.1")

    def test_two_concurrent_installs_of_componentize_go_download_once(self):
        self.check_concurrent("componentize-go", "0.3.4")

    def check_concurrent(self, tool, version):
        self.gh.set_faults([{"match": "/dl/", "host": "download", "action": {"delay": 0.5}}])
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": self.tmp, "LANG": "C"}
        env.update(self.env)
        procs = [subprocess.Popen([swtest.cli_path(), "install", "--cache-dir", self.cache, "--json",
                                   "%s@%s" % (tool, version)], env=env, cwd=self.cwd,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]
        outs = [p.communicate(timeout=60) for p in procs]
        for p, (out, err) in zip(procs, outs):
            self.assertEqual(p.returncode, 0, err)
        results = [{t["name"]: t for t in json.loads(out)["tools"]}[tool] for out, _ in outs]
        self.assertEqual({r["path"] for r in results}, {self.exe_for(tool, version)})
        asset = ta.asset_name(tool, version, GNU)
        self.assertEqual(len(self.asset_downloads(asset)), 1, self.downloads())
        self.assertEqual(sorted(r["cache-hit"] for r in results), [False, True])
        self.assertNoToolTrace(tool)
        self.gh.clear_faults()
        self.gh.clear_log()
        outs2, doc, r = self.tools("%s@%s" % (tool, version))
        self.assertInstalled(outs2[tool], tool, version, cache_hit=True)


_rows(CacheTest, "exact_cache_hit_makes_no_request", [
    ("tinygo", "tinygo", "0.40.1"), ("wasm_tools", "wasm-tools", "1.244.0"),
    ("wkg", "wkg", "0.13.0"), ("componentize_go", "componentize-go", "0.3.4"),
], "check_cache_hit")
_rows(CacheTest, "tampered_tinygo_tree", TAMPER_ROWS, "check_tamper")


if __name__ == "__main__":
    unittest.main()
