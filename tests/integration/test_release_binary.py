"""The static linux-x64 release binary (issue 10), built here by scripts/build-release from
Debian's sources of its libraries (scripts/setup-deps fetches them into $SW_RELEASE_SOURCES,
default ~/.cache/setup-wash/debsrc): no program interpreter and no NEEDED entries, it starts
with an empty environment outside the tree, it installs an exact version and `latest` from
the loopback fake GitHub, and a second build reuses the cached dependency prefix."""

import os
import platform
import shutil
import subprocess
import time
import unittest

import swtest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SOURCES = os.environ.get("SW_RELEASE_SOURCES") or os.path.join(
    os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "setup-wash", "debsrc")
LIBS = ("openssl", "curl", "libarchive", "cjson", "zlib")


def build(outdir):
    t = time.monotonic()
    p = subprocess.run([os.path.join(ROOT, "scripts", "build-release"), "--sources", SOURCES,
                        "linux-x64", outdir], capture_output=True, text=True, timeout=2400)
    return p, time.monotonic() - t


class ReleaseBinaryTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if platform.system() != "Linux" or platform.machine() not in ("x86_64", "amd64"):
            raise unittest.SkipTest("the linux-x64 release build runs on x86_64 Linux")
        missing = [b for b in ("musl-gcc", "readelf") if shutil.which(b) is None]
        missing += [lib for lib in LIBS if not any(
            d.startswith(lib + "-") and os.path.isdir(os.path.join(SOURCES, d))
            for d in (os.listdir(SOURCES) if os.path.isdir(SOURCES) else []))]
        if missing:
            raise unittest.SkipTest("missing for the release build: %s (run scripts/setup-deps, or "
                                    "scripts/setup-deps --release-sources DIR with "
                                    "SW_RELEASE_SOURCES=DIR)" % ", ".join(missing))
        cls.tmp = swtest.tempdir(prefix="sw-release-")
        cls.out = os.path.join(cls.tmp, "dist")
        cls.first, cls.first_s = build(cls.out)
        if cls.first.returncode != 0:
            raise AssertionError("scripts/build-release failed:\n" + cls.first.stderr[-4000:])
        cls.bin = os.path.join(cls.out, "setup-wash-linux-x64")

    def test_the_script_prints_the_binary_last(self):
        self.assertEqual(self.first.stdout.strip().splitlines()[-1], self.bin)
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


if __name__ == "__main__":
    unittest.main()
