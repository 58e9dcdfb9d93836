"""A tool's tar.gz is unpacked while it downloads (src/io/stream.h), hashed in the same pass, and
renamed into place only after its digest is proven: a body cut off, reset or redirected again
and then retried is unpacked once from its first byte (the extraction starts over in a wiped
staging directory), a retry that ends in a wrong digest leaves nothing, and the memory of a run
stays bounded whatever the archive's size.

The archive here is a synthetic TinyGo (toolassets.write_big_tinygo) of a few MiB of
incompressible files, so a fault in the middle of its body lands after the extractor has
written files of the first attempt. Tables are one test per row, as in test_tools.py, whose
ToolCase (releases, helpers) this file shares.
"""

import glob
import os
import shutil
import subprocess
import tarfile
import threading
import time
import unittest

import swtest
import toolassets as ta
from swcase import ARCH, GNU
from test_tools import ToolCase

VERSION = "0.40.1"
ASSET = ta.asset_name("tinygo", VERSION, GNU)
DL = r"^/dl/.*tinygo0\.40\.1\.linux-amd64"
MiB = 1 << 20
_BIG = {}


def _big_tinygo(work, mib):
    """A synthetic TinyGo tar.gz of about `mib` MiB, built once per process and size."""
    if mib not in _BIG:
        path = os.path.join(work, "big-%d" % mib, ASSET)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        _BIG[mib] = ta.write_big_tinygo(path, VERSION, files=max(40, mib * 8), dirs=10,
                                        total=mib * MiB, seed="stream-%d" % mib)
    return _BIG[mib]


def _archive_tree(path):
    """{path under the top folder: (bytes, executable)} of the files of a tar.gz."""
    out = {}
    with tarfile.open(path, "r:gz") as tar:
        for m in tar:
            if m.isfile():
                rel = m.name.split("/", 1)[1]
                out[rel] = (tar.extractfile(m).read(), bool(m.mode & 0o100))
    return out


# (row, fault rules on the download host, in order: each applies once unless it says otherwise)
RETRY_ROWS = [
    ("reset_mid_body_once", [{"reset_after": 2 * MiB}]),
    ("truncated_mid_body_once", [{"truncate_after": 2 * MiB}]),
    ("reset_early_then_truncated_late", [{"reset_after": 4096}, {"truncate_after": 3 * MiB}]),
    ("server_error_once", [{"status": 502}]),
    ("redirected_again_once", "redirect"),
]

# (row, fault rules, exit code, fragments of the message)
FAIL_ROWS = [
    ("reset_mid_body_every_time", [{"reset_after": 2 * MiB, "times": None}], 4, (ASSET,)),
    ("reset_then_corrupted", [{"reset_after": 2 * MiB}, {"corrupt": True, "times": None}], 5,
     (ASSET, "installing TinyGo 0.40.1")),
    ("truncated_then_empty", [{"truncate_after": MiB}, {"replace_b64": "", "times": None}], 5,
     (ASSET,)),
]


class StreamCase(ToolCase):
    mib = 4

    def setUp(self):
        super().setUp()
        self.big = _big_tinygo(self.work, self.mib)
        self.variant("tinygo", VERSION, replace={ASSET: self.big})

    def faults(self, actions):
        rules = []
        for a in actions:
            a = dict(a)
            times = a.pop("times", 1)
            rule = {"match": DL, "host": "download", "action": a}
            if times is not None:
                rule["times"] = times
            rules.append(rule)
        self.gh.set_faults(rules)

    def staging(self):
        return os.path.join(self.cache, "tinygo", ".staging-%s-%s" % (VERSION, ARCH))

    def assertInstalledBig(self, r):
        self.assertEqual(r.rc, 0, r)
        d = self.dir_for("tinygo", VERSION)
        want = _archive_tree(self.big)
        got = {}
        for base, _, files in os.walk(d):
            for n in files:
                p = os.path.join(base, n)
                with open(p, "rb") as f:
                    got[os.path.relpath(p, d)] = (f.read(), os.access(p, os.X_OK))
        self.assertEqual(sorted(got), sorted(want), "the installed tree is not the archive's")
        for rel, v in want.items():
            self.assertEqual(got[rel], v, rel)
        self.assertTrue(os.path.isfile(d + ".complete"))
        self.assertEqual(glob.glob(os.path.join(self.cache, "tinygo", ".staging*")), [])


class StreamRetryTest(StreamCase):
    def check_retry(self, actions):
        if actions == "redirect":
            path = "/dl/%s/%s/%s?token=sig" % (ta.REPOS["tinygo"], ta.tag_of("tinygo", VERSION), ASSET)
            actions = [{"redirect": self.gh.download + path, "status": 302}]
        self.faults(actions)
        r = self.install("tinygo@" + VERSION)
        self.assertInstalledBig(r)
        self.assertEqual(len(self.asset_downloads(ASSET)), len(actions) + 1)
        if not any("redirect" in a for a in actions):
            self.assertIn("retrying", r.stderr)

    def check_failure(self, actions, rc, fragments):
        self.faults(actions)
        r = self.install("tinygo@" + VERSION, env={"SETUP_WASH_RETRIES": "2"})
        self.assertFails(r, rc, *fragments)
        self.assertNoToolTrace("tinygo", VERSION)

    def test_the_archive_is_unpacked_while_it_downloads(self):
        # 2 MiB, then 2 s of silence and a clean close: while the server is silent the staging
        # directory holds files of the first attempt and no download file; the retry that
        # follows unpacks the whole archive once more into a wiped directory
        self.faults([{"stall_after": 2 * MiB, "stall_seconds": 2}])
        out = {}
        t = threading.Thread(target=lambda: out.update(r=self.install("tinygo@" + VERSION)))
        t.start()
        seen, deadline = [], time.monotonic() + 10
        while time.monotonic() < deadline and not seen and t.is_alive():
            unpacked = os.path.join(self.staging(), "unpacked")
            seen = [os.path.join(b, n) for b, _, fs in os.walk(unpacked) for n in fs]
            if not seen:
                time.sleep(0.02)
        staged = sorted(os.listdir(self.staging())) if os.path.isdir(self.staging()) else None
        t.join()
        self.assertTrue(seen, "nothing was unpacked while the download was under way")
        self.assertEqual(staged, ["unpacked"], "the archive went to a file first")
        self.assertInstalledBig(out["r"])
        self.assertEqual(len(self.asset_downloads(ASSET)), 2)

    def test_every_tool_streams_at_once_with_a_retry_each(self):
        # TinyGo, wasm-tools and componentize-go (tar.gz, streamed) and wkg (a raw file) in one
        # run, the two biggest cut off once each
        wt = ta.asset_name("wasm-tools", "1.240.0", GNU)
        self.gh.set_faults([
            {"match": DL, "host": "download", "times": 1, "action": {"reset_after": MiB}},
            {"match": r"^/dl/.*" + wt.replace(".", r"\."), "host": "download", "times": 1,
             "action": {"truncate_after": 100}},
        ])
        objs, _, r = self.tools("tinygo@" + VERSION, "wasm-tools@1.240.0", "componentize-go@0.3.4",
                                "wkg@0.13.0")
        self.assertInstalledBig(r)
        for tool, version in (("wasm-tools", "1.240.0"), ("componentize-go", "0.3.4"),
                              ("wkg", "0.13.0")):
            self.assertInstalled(objs[tool], tool, version)
        self.assertEqual(len(self.asset_downloads(wt)), 2)


class StreamMemoryTest(StreamCase):
    mib = 100

    def test_peak_rss_with_a_100_mib_tinygo_stays_under_32_mib(self):
        gnu_time = shutil.which("time", path="/usr/bin:/bin")
        if not gnu_time:
            self.skipTest("GNU time (/usr/bin/time) is not installed")
        with open(swtest.cli_path(), "rb") as f:
            image = f.read()
        if b"__asan_init" in image or b"__tsan_init" in image:
            self.skipTest("a sanitized build: its peak RSS is the sanitizer's shadow memory")
        home = swtest.tempdir(prefix="sw-home-")
        os.makedirs(os.path.join(home, "tmp"))
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "LANG": "C",
               "TMPDIR": os.path.join(home, "tmp")}
        env.update(self.env)
        rss_file = os.path.join(self.tmp, "rss")
        p = subprocess.run([gnu_time, "-o", rss_file, "-f", "%M", swtest.cli_path(), "install",
                            "--cache-dir", self.cache, "tinygo@" + VERSION], env=env, cwd=self.cwd,
                           capture_output=True, text=True, timeout=300)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(rss_file) as f:
            kib = int(f.read().split()[-1])
        self.assertLessEqual(kib, 32 * 1024, "peak RSS %.1f MiB" % (kib / 1024))
        self.assertTrue(os.path.isfile(self.dir_for("tinygo", VERSION) + ".complete"))


def _rows(cls, prefix, table, method):
    for row in table:
        def test(self, row=row):
            getattr(self, method)(*row[1:])
        test.__name__ = "test_%s_%s" % (prefix, row[0])
        test.__doc__ = "%s: %s" % (prefix, row[0])
        setattr(cls, test.__name__, test)


_rows(StreamRetryTest, "streamed_retry", RETRY_ROWS, "check_retry")
_rows(StreamRetryTest, "streamed_failure", FAIL_ROWS, "check_failure")

if __name__ == "__main__":
    unittest.main()
