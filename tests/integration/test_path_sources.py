"""Path sources in plugins.lock are bounded (issue 12, point 5): a lock from a pull request is
untrusted, so a path source names only a regular file inside the lock's project (its directory,
or the git work tree that holds it, unless --allow-outside-project), is read at most to its
pinned size, and no message quotes the file's contents. No server is needed."""

import json
import os
import shutil
import subprocess
import time
import unittest

import swtest
from test_plugins import components, lock_text

SECRET = b"AWS_SECRET_ACCESS_KEY=hunter2-do-not-print"


class PathSourceTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        swtest.require_bin()
        cls.wasm = components()["plugin-0.0.2"]

    def setUp(self):
        self.tmp = swtest.tempdir(self)
        self.repo = os.path.join(self.tmp, "repo")
        self.project = os.path.join(self.repo, "app")
        self.data = os.path.join(self.tmp, "data")
        self.cache = os.path.join(self.tmp, "cache")
        os.makedirs(self.project)
        self.good = self.put("app/plugins/mine.wasm", self.wasm)

    def put(self, rel, data, base=None):
        path = os.path.join(base or self.repo, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def lock(self, source, data=None, size=None, name="p"):
        """A lock pinning `source` to the digest and size of `data` (or unpinned)."""
        entry = {"name": name, "source": source}
        if data is not None:
            entry["digest"] = "sha256:" + swtest.sha256_bytes(data)
            entry["size"] = len(data) if size is None else size
        lock = json.loads(lock_text("2.0.0-rc.5"))
        lock["plugins"] = [entry]
        with open(os.path.join(self.project, "plugins.lock"), "w") as f:
            json.dump(lock, f, indent=2)

    def plugins(self, *args, timeout=30):
        return swtest.run_cli(["plugins", *args, "--cache-dir", self.cache, "--data-dir", self.data],
                              env={}, cwd=self.project, timeout=timeout)

    def assertRefused(self, r, rc, *fragments):
        self.assertEqual(r.rc, rc, r)
        for f in fragments:
            self.assertIn(f, r.stderr, r)
        self.assertNotIn(SECRET.decode(), r.stdout + r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.data, "plugins", "p.wasm")),
                         "a plugin was installed")
        leftovers = [f for _, _, fs in os.walk(self.tmp) for f in fs if f.endswith(".part")]
        self.assertEqual(leftovers, [])

    def test_a_file_in_the_project_installs(self):
        self.lock("./plugins/mine.wasm", self.wasm)
        r = self.plugins("install", "--frozen")
        self.assertEqual(r.rc, 0, r)
        with open(os.path.join(self.data, "plugins", "p.wasm"), "rb") as f:
            self.assertEqual(f.read(), self.wasm)

    def test_a_device_fails_fast_with_frozen_and_a_pinned_size(self):
        self.lock("/dev/zero", self.wasm)
        t = time.monotonic()
        r = self.plugins("install", "--frozen", "--allow-outside-project", timeout=10)
        self.assertLess(time.monotonic() - t, 5)
        self.assertRefused(r, 6, "'/dev/zero' is not a regular file but a device")

    def test_a_fifo_does_not_hang(self):
        fifo = os.path.join(self.project, "plugins", "fifo.wasm")
        os.mkfifo(fifo)
        self.lock("./plugins/fifo.wasm", self.wasm)
        r = self.plugins("install", "--frozen", timeout=10)
        self.assertRefused(r, 6, "is not a regular file but a FIFO")

    def test_a_directory_is_refused(self):
        self.lock("./plugins", self.wasm)
        self.assertRefused(self.plugins("install", "--frozen"), 6,
                           "is not a regular file but a directory")

    def test_a_file_larger_than_its_pinned_size_is_not_read(self):
        self.put("app/plugins/mine.wasm", self.wasm + b"\0" * 4096)
        self.lock("./plugins/mine.wasm", self.wasm)
        self.assertRefused(self.plugins("install", "--frozen"), 5,
                           "the file is %d bytes, but" % (len(self.wasm) + 4096),
                           "pins %d" % len(self.wasm))

    def test_an_unpinned_file_past_the_cap_is_refused(self):
        big = os.path.join(self.project, "plugins", "big.wasm")
        with open(big, "wb") as f:
            f.truncate(257 << 20)  # sparse: costs no disk
        self.lock("./plugins/big.wasm")
        self.assertRefused(self.plugins("lock"), 5, "more than the 256 MiB a plugin may have")

    def test_paths_outside_the_project_are_refused(self):
        outside = self.put("elsewhere/secret.wasm", SECRET, base=self.tmp)
        os.symlink(outside, os.path.join(self.project, "plugins", "link.wasm"))
        for source in (outside, "../../elsewhere/secret.wasm", "./plugins/link.wasm",
                       "./plugins/../../../elsewhere/secret.wasm"):
            with self.subTest(source=source):
                self.lock(source, SECRET)
                self.assertRefused(self.plugins("install", "--frozen"), 2,
                                   "is outside the project of", "--allow-outside-project")

    def test_the_lock_directory_is_the_root_outside_a_git_work_tree(self):
        self.put("shared/up.wasm", self.wasm)
        self.lock("../shared/up.wasm", self.wasm)
        self.assertRefused(self.plugins("install", "--frozen"), 2,
                           "is outside the project of", "('%s')" % os.path.realpath(self.project))

    def test_the_git_work_tree_holding_the_lock_is_the_root(self):
        self.put("shared/up.wasm", self.wasm)
        for git in ("dir", "file"):  # a repository, or a worktree/submodule's .git file
            with self.subTest(git=git):
                dotgit = os.path.join(self.repo, ".git")
                shutil.rmtree(dotgit, True)
                if os.path.exists(dotgit):
                    os.unlink(dotgit)
                if git == "dir":
                    os.makedirs(dotgit)
                else:
                    with open(dotgit, "w") as f:
                        f.write("gitdir: /elsewhere\n")
                self.lock("../shared/up.wasm", self.wasm)
                r = self.plugins("install", "--frozen")
                self.assertEqual(r.rc, 0, r)

    def test_allow_outside_project_opts_out(self):
        outside = self.put("elsewhere/up.wasm", self.wasm, base=self.tmp)
        self.lock(outside, self.wasm)
        r = self.plugins("install", "--frozen", "--allow-outside-project")
        self.assertEqual(r.rc, 0, r)

    def test_a_file_that_is_not_wasm_is_never_quoted(self):
        self.put("app/plugins/secret.wasm", SECRET)
        self.lock("./plugins/secret.wasm")
        self.assertRefused(self.plugins("lock"), 5, "not a WebAssembly binary",
                           "(it looks like text)")
        self.lock("./plugins/secret.wasm", SECRET)
        self.assertRefused(self.plugins("install", "--frozen"), 5, "not a WebAssembly binary")

    def test_a_changed_file_is_a_digest_mismatch(self):
        self.lock("./plugins/mine.wasm", self.wasm[:-1] + b"\x01")
        self.assertRefused(self.plugins("install", "--frozen"), 5, "digest mismatch")


if __name__ == "__main__":
    unittest.main()
