"""The static linux-x64 release binary (issue 10), built here by scripts/build-release from
Debian's sources of its libraries (scripts/setup-deps fetches them into $SW_RELEASE_SOURCES,
default ~/.cache/setup-wash/debsrc): no program interpreter and no NEEDED entries, it starts
with an empty environment outside the tree, it installs an exact version and `latest` from
the loopback fake GitHub, and a second build reuses the cached dependency prefix.

ActionReleaseBinaryTest: the action's release-binary path with that binary, in the runner
emulation of test_action.py: dist/checksums.txt holds its sum, the fake GitHub serves it as the
release asset, the action runs at that tag. No compiler, package manager or build tool is run
(each is a recording stub first on PATH), a forged binary is refused, and the second use in the
job comes from the runner tool cache."""

import os
import platform
import shutil
import subprocess
import time
import unittest

import actionrun
import swtest
import test_action

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SOURCES = os.environ.get("SW_RELEASE_SOURCES") or os.path.join(
    os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "setup-wash", "debsrc")
LIBS = ("openssl", "curl", "libarchive", "cjson", "zlib")


def missing_for_the_build():
    """What this machine lacks for the release build, as a skip message; None when nothing."""
    if platform.system() != "Linux" or platform.machine() not in ("x86_64", "amd64"):
        return "the linux-x64 release build runs on x86_64 Linux"
    missing = [b for b in ("musl-gcc", "readelf") if shutil.which(b) is None]
    missing += missing_sources(LIBS)
    if missing:
        return ("missing for the release build: %s (run scripts/setup-deps, or "
                "scripts/setup-deps --release-sources DIR with SW_RELEASE_SOURCES=DIR)" % ", ".join(missing))
    return None


def missing_sources(names):
    """Which of the source trees `names` (openssl, cmocka, ...) are not unpacked in SOURCES."""
    have = os.listdir(SOURCES) if os.path.isdir(SOURCES) else []
    return [n for n in names if not any(
        d.startswith(n + "-") and os.path.isdir(os.path.join(SOURCES, d)) for d in have)]


_BUILT = {}


def built():
    """The release build, run once per test process: (result, seconds, binary path)."""
    if "bin" not in _BUILT:
        out = os.path.join(swtest.tempdir(prefix="sw-release-"), "dist")
        p, secs = build(out)
        if p.returncode != 0:
            raise AssertionError("scripts/build-release failed:\n" + p.stderr[-4000:])
        _BUILT.update(p=p, secs=secs, bin=os.path.join(out, "setup-wash-linux-x64"))
    return _BUILT["p"], _BUILT["secs"], _BUILT["bin"]


def build(outdir, platform_name="linux-x64"):
    """scripts/build-release from Debian's sources: (result, seconds)."""
    t = time.monotonic()
    p = subprocess.run([os.path.join(ROOT, "scripts", "build-release"), "--sources", SOURCES,
                        platform_name, outdir], capture_output=True, text=True, timeout=2400)
    return p, time.monotonic() - t


class ReleaseBinaryTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        why = missing_for_the_build()
        if why:
            raise unittest.SkipTest(why)
        cls.tmp = swtest.tempdir(prefix="sw-release-")
        cls.first, cls.first_s, cls.bin = built()

    def test_the_script_prints_the_binary_last(self):
        self.assertEqual(self.first.stdout.strip().splitlines()[-1], os.path.realpath(self.bin))
        self.assertTrue(os.access(self.bin, os.X_OK))

    def test_no_interpreter_and_no_needed_libraries(self):
        for flag, word in (("-lW", "INTERP"), ("-dW", "NEEDED")):
            out = subprocess.run(["readelf", flag, self.bin], capture_output=True, text=True).stdout
            self.assertNotIn(word, out)
        self.assertLessEqual(os.path.getsize(self.bin), 8 << 20, "over the 8 MiB target")

    def test_it_starts_with_an_empty_environment_outside_the_tree(self):
        empty = swtest.tempdir(self)
        p = subprocess.run(["env", "-i", self.bin, "--version"], cwd=empty, capture_output=True,
                           text=True, timeout=30)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(p.stdout.startswith("setup-wash "), p.stdout)

    def test_it_installs_an_exact_version_and_latest(self):
        tmp = swtest.tempdir(self)
        with swtest.GitHubServer() as gh:
            env = swtest.base_env(gh, tmp)
            env.update({"HOME": tmp, "PATH": "/usr/bin:/bin"})
            for spec in ("2.0.1", "latest"):
                with self.subTest(spec=spec):
                    cache = os.path.join(tmp, "cache-" + spec)
                    p = subprocess.run([self.bin, "install", "--cache-dir", cache, "--version", spec,
                                        "--json"], env=env, cwd=tmp, capture_output=True,
                                       text=True, timeout=120)
                    self.assertEqual(p.returncode, 0, p.stderr)
                    self.assertIn('"verified":', p.stdout)
                    self.assertTrue(os.path.exists(os.path.join(cache, "wash")))

    def test_a_second_build_reuses_the_dependency_prefix(self):
        again, secs = build(os.path.join(self.tmp, "again"))
        self.assertEqual(again.returncode, 0, again.stderr[-4000:])
        self.assertNotIn("building openssl", again.stderr)
        self.assertNotIn("libraries built in", again.stderr)
        self.assertIn("setup-wash built in", again.stderr)
        print("release build: first %.0f s, again %.0f s" % (self.first_s, secs))


# what a runner without a release binary would have to run; each is a stub that records its use
BUILD_TOOLS = ("cc", "gcc", "clang", "musl-gcc", "cmake", "make", "ninja", "pkg-config",
               "apt-get", "apt", "dpkg", "sudo", "brew", "apk", "yum", "dnf")


class ActionReleaseBinaryTest(test_action.ActionCase):
    TAG = "v9.8.7"
    REPO = "wasmCloud/setup-wash"

    @classmethod
    def setUpClass(cls):
        why = missing_for_the_build()
        if why:
            raise unittest.SkipTest(why)
        super().setUpClass()
        cls.release = built()[2]

    def setUp(self):
        super().setUp()
        self.asset = "setup-wash-%s-%s" % (self.TAG, actionrun.platform_name(self.machine))
        self.action_dir = actionrun.release_checkout(ROOT, os.path.join(self.tmp, "action"),
                                                     self.asset, self.release)
        # every build tool and package manager, first on the job's PATH, recording its use
        self.path_prefix = os.path.join(self.tmp, "stubs")
        self.used = os.path.join(self.tmp, "used-tools")
        os.makedirs(self.path_prefix)
        for name in BUILD_TOOLS:
            stub = os.path.join(self.path_prefix, name)
            with open(stub, "w") as f:
                f.write('#!/bin/sh\necho "%s $*" >> "%s"\nexit 97\n' % (name, self.used))
            os.chmod(stub, 0o755)

    def publish(self, path):
        self.gh.add_releases({self.REPO: [{"tag_name": self.TAG, "assets": [
            {"name": self.asset, "content_file": path}]}]})

    def use(self, fresh=True):
        t = time.monotonic()
        res = self.act({"version": "2.6.1"}, stub_tool=False, fresh=fresh,
                       github=self.github(action_ref=self.TAG, action_repository=self.REPO))
        return res, time.monotonic() - t

    def tools_run(self):
        if not os.path.exists(self.used):
            return []
        with open(self.used) as f:
            return f.read().splitlines()

    def asset_requests(self):
        # the release download itself (the fake GitHub then redirects to its asset host)
        path = "/%s/releases/download/%s/%s" % (self.REPO, self.TAG, self.asset)
        return [r for r in self.gh.requests() if r["path"] == path]

    def test_the_release_binary_path_runs_no_build_tool(self):
        self.publish(self.release)
        cold, cold_s = self.use()
        self.assertOk(cold)
        tool = cold.step("tool").outputs
        cached = os.path.join(self.machine.tool_cache, "setup-wash", self.TAG[1:],
                              self.machine.arch.lower(), "setup-wash")
        self.assertEqual((tool["bin"], tool["source"], tool["build"]),
                         (cached, "release " + self.TAG, "false"))
        self.assertEqual(swtest.sha256_file(cached), swtest.sha256_file(self.release))
        for step in ("build-restore", "build"):
            self.assertEqual(cold.step(step).outcome, "skipped")
        self.assertEqual(cold.outputs["wash-version"], "2.6.1")
        self.assertTrue(any(line.endswith(os.path.dirname(cold.outputs["wash-path"]))
                            for line in cold.path_lines), cold.path_lines)
        self.assertEqual(len(self.asset_requests()), 1)
        self.assertEqual(self.tools_run(), [])
        # the second use in the same job: from the tool cache, nothing downloaded or built
        self.gh.clear_log()
        warm, warm_s = self.use(fresh=False)
        self.assertOk(warm)
        self.assertIn("from the runner tool cache", warm.step("tool").stdout)
        self.assertEqual(self.asset_requests(), [])
        self.assertEqual(warm.outputs["cache-hit"], "true")
        self.assertEqual(self.tools_run(), [])
        print("action with the release binary: cold %.2f s, second use %.2f s" % (cold_s, warm_s))

    def test_a_forged_release_binary_is_refused(self):
        forged = swtest.forged_copy(self.release, os.path.join(self.tmp, "forged"))
        self.publish(forged)
        res, _ = self.use()
        self.assertFailedAt(res, "tool", "does not match the SHA-256 committed in dist/checksums.txt",
                            swtest.sha256_file(self.release), swtest.sha256_file(forged))
        self.assertEqual(res.step("build").outcome, "skipped")
        self.assertEqual(self.tools_run(), [])
        left = os.path.join(self.machine.tool_cache, "setup-wash", self.TAG[1:], self.machine.arch.lower())
        self.assertEqual(os.listdir(left) if os.path.isdir(left) else [], [])


if __name__ == "__main__":
    unittest.main()
