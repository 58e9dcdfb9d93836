"""Several installs into one cache at once, and an install killed half-way."""

import glob
import json
import os
import signal
import subprocess
import time
import unittest

import swtest
from swcase import ARCH, GNU, MUSL, CliCase


class ConcurrencyTest(CliCase):
    def spawn(self, *args):
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": self.tmp, "LANG": "C"}
        env.update(self.env)
        return subprocess.Popen([swtest.cli_path(), "install", "--cache-dir", self.cache, "--json"]
                                + list(args), env=env, cwd=self.cwd, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)

    def test_eight_installs_of_one_version_download_once(self):
        # slow the download so the eight really overlap
        self.gh.set_faults([{"match": "/dl/", "host": "download", "action": {"delay": 0.5}}])
        procs = [self.spawn("--version", "2.6.1") for _ in range(8)]
        outs = [p.communicate(timeout=60) for p in procs]
        for p, (out, err) in zip(procs, outs):
            self.assertEqual(p.returncode, 0, err)
        results = [json.loads(out) for out, _ in outs]
        self.assertEqual({r["wash-path"] for r in results}, {results[0]["wash-path"]})
        self.assertEqual(sum(not r["cache-hit"] for r in results), 1, results)
        binaries = [d for d in self.downloads() if "/wash-" in d["path"]]
        self.assertEqual(len(binaries), 1, self.downloads())
        self.assertNoTrace()

    def test_eight_installs_of_different_versions(self):
        versions = ["2.0.0", "2.0.5", "2.1.0", "2.2.0", "2.3.0", "2.4.0", "2.5.0", "2.6.0"]
        procs = [self.spawn("--version", v) for v in versions]
        for v, p in zip(versions, procs):
            out, err = p.communicate(timeout=60)
            self.assertEqual(p.returncode, 0, err)
            self.assertEqual(json.loads(out)["wash-version"], v)
            self.assertTrue(os.path.exists(os.path.join(self.cache, "wash", v, ARCH + ".complete")))
        self.assertNoTrace()

    def test_killed_install_never_looks_complete_and_a_rerun_recovers(self):
        self.gh.set_faults([{"match": "/dl/", "host": "download", "times": 1,
                             "action": {"stall_after": 20, "stall_seconds": 20}}])
        p = self.spawn("--version", "2.6.1")
        deadline = time.monotonic() + 10
        while not self.downloads() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)
        p.send_signal(signal.SIGKILL)
        p.communicate()
        self.assertFalse(os.path.exists(os.path.join(self.cache, "wash", "2.6.1", ARCH + ".complete")))
        self.assertFalse(os.path.exists(os.path.join(self.cache, "wash", "2.6.1", ARCH, "wash")))
        out = self.install_json("--version", "2.6.1")
        self.assertIs(out["cache-hit"], False)
        self.assertEqual(glob.glob(os.path.join(self.cache, "wash", ".staging-*")), [])
        with open(out["wash-path"]) as f:
            self.assertIn("wash 2.6.1", f.read())


if __name__ == "__main__":
    unittest.main()
