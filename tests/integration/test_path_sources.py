"""Path sources in plugins.lock (issue 12, point 5): a pull request's lock is untrusted, so a path
source is bounded (a regular file only, read up to its pinned size and the 256 MiB cap) and
confined to the lock's project (the lock's directory, or the git work tree that holds it) unless
--allow-path-outside-project is given. Every refusal names its cause and fix, exits non-zero,
quotes none of the file's bytes and leaves nothing in wash's plugin directory or the cache's
staging area. No server is needed: the plugins are small components built here byte by byte."""

import glob
import json
import os
import time
import unittest

import swtest

CAP = 256 << 20
MARKER = "SW-MARKER-7f3a-do-not-print"


def leb(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def plugin(pkg="0.0.2"):
    """A component (encoding 0x0d) whose one export is wasmcloud:wash/plugin@<pkg>: all that
    setup-wash reads of a plugin."""
    name = ("wasmcloud:wash/plugin@" + pkg).encode()
    body = b"\x01" + b"\x00" + leb(len(name)) + name + b"\x05\x00" + b"\x00"
    return b"\0asm\x0d\x00\x01\x00" + b"\x0b" + leb(len(body)) + body


PLUGIN = plugin()


def pin(name, source, data):
    return {"name": name, "source": source, "digest": "sha256:" + swtest.sha256_bytes(data),
            "size": len(data), "wit": "0.0.2"}


class PathSourceTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        swtest.require_bin()

    def setUp(self):
        self.tmp = swtest.tempdir(self)
        self.project = os.path.join(self.tmp, "project")
        self.outside = os.path.join(self.tmp, "outside")
        self.data = os.path.join(self.tmp, "data")
        self.cache = os.path.join(self.tmp, "cache")
        os.makedirs(self.project)
        os.makedirs(self.outside)
        self.lock = os.path.join(self.project, "plugins.lock")

    # ---- helpers ----

    def write(self, path, data):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def write_lock(self, *plugins, lock=None):
        text = json.dumps({"lockfile-version": 1, "wash": {
            "version": "2.0.0-rc.5", "tag": "wash-v2.0.0-rc.5", "repository": "wasmCloud/wash",
            "assets": {"wash-x86_64-unknown-linux-musl": {
                "target": "x86_64-unknown-linux-musl", "digest": "sha256:" + "0" * 64}}},
            "plugins": list(plugins)}, indent=2)
        with open(lock or self.lock, "w") as f:
            f.write(text)
        return text

    def plugins(self, *args, lock=None, cwd=None, timeout=30):
        return swtest.run_cli(["plugins", *args, "--lock", lock or self.lock, "--cache-dir",
                               self.cache, "--data-dir", self.data],
                              cwd=cwd or self.project, timeout=timeout)

    def installed(self):
        return sorted(os.listdir(os.path.join(self.data, "plugins"))) \
            if os.path.isdir(os.path.join(self.data, "plugins")) else []

    def assertNothingHalfDone(self, r, lock_text=None, lock=None):
        """Nothing in wash's plugin directory, no staging or part file in the cache, the lock as
        it was, no file contents in the output."""
        self.assertEqual(self.installed(), [], r)
        self.assertEqual(glob.glob(os.path.join(self.cache, "plugins", ".staging-*")), [], r)
        self.assertEqual(glob.glob(os.path.join(self.cache, "**", "*.part"), recursive=True), [], r)
        if lock_text is not None:
            with open(lock or self.lock) as f:
                self.assertEqual(f.read(), lock_text, "a failed run rewrote the lock")
        self.assertNotIn(MARKER, r.stdout + r.stderr, r)

    def assertRefused(self, r, rc, *fragments, lock_text=None, lock=None):
        self.assertEqual(r.rc, rc, r)
        for frag in fragments:
            self.assertIn(frag, r.stderr, r)
        self.assertNothingHalfDone(r, lock_text, lock)

    # ---- what is allowed ----

    def test_relative_path_in_the_lock_directory_locks_and_installs(self):
        self.write(os.path.join(self.project, "plugins", "mine.wasm"), PLUGIN)
        self.write_lock({"name": "mine", "source": "./plugins/mine.wasm"})
        r = swtest.run_cli(["plugins", "lock", "--cache-dir", self.cache, "--data-dir", self.data],
                           cwd=self.project)  # the default ./plugins.lock: its directory is "."
        self.assertEqual(r.rc, 0, r)
        with open(self.lock) as f:
            entry = json.load(f)["plugins"][0]
        self.assertEqual(entry["size"], len(PLUGIN))
        self.assertEqual(entry["digest"], "sha256:" + swtest.sha256_bytes(PLUGIN))
        r = self.plugins("install", "--frozen")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(self.installed(), ["mine.wasm"])

    def test_absolute_path_and_symlink_inside_the_project_are_allowed(self):
        real = self.write(os.path.join(self.project, "build", "real.wasm"), PLUGIN)
        os.symlink("build/real.wasm", os.path.join(self.project, "link.wasm"))
        self.write_lock(pin("abs", real, PLUGIN), pin("link", "./link.wasm", PLUGIN))
        r = self.plugins("install", "--frozen")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(self.installed(), ["abs.wasm", "link.wasm"])

    def test_path_in_the_git_work_tree_above_the_lock_directory_is_allowed(self):
        for kind in ("dir", "file"):  # .git as a directory, and as a linked worktree's file
            with self.subTest(git=kind):
                repo = os.path.join(self.tmp, "repo-" + kind)
                if kind == "dir":
                    os.makedirs(os.path.join(repo, ".git"))
                else:
                    self.write(os.path.join(repo, ".git"), b"gitdir: /elsewhere/.git/worktrees/x\n")
                self.write(os.path.join(repo, "plugins", "shared.wasm"), PLUGIN)
                lock = os.path.join(repo, "services", "api", "plugins.lock")
                os.makedirs(os.path.dirname(lock))
                self.write_lock(pin("shared", "../../plugins/shared.wasm", PLUGIN), lock=lock)
                r = self.plugins("install", "--frozen", lock=lock, cwd=repo)
                self.assertEqual(r.rc, 0, r)
                self.assertIn("shared.wasm", self.installed())

    def test_relock_after_the_file_changed_pins_the_new_file(self):
        path = self.write(os.path.join(self.project, "p.wasm"), plugin("0.0.1"))
        self.write_lock(pin("p", "./p.wasm", plugin("0.0.1")))
        self.write(path, PLUGIN)  # rebuilt: other bytes, another size
        r = self.plugins("lock")
        self.assertEqual(r.rc, 0, r)
        with open(self.lock) as f:
            entry = json.load(f)["plugins"][0]
        self.assertEqual((entry["digest"], entry["size"]),
                         ("sha256:" + swtest.sha256_bytes(PLUGIN), len(PLUGIN)))

    # ---- confinement ----

    def test_absolute_path_outside_the_project_is_refused(self):
        secret = self.write(os.path.join(self.outside, "x.wasm"), PLUGIN)
        text = self.write_lock(pin("x", secret, PLUGIN))
        r = self.plugins("install", "--frozen")
        self.assertRefused(r, 2, "plugin 'x': path '%s' resolves to '%s', outside the project '%s'"
                           % (secret, secret, os.path.realpath(self.project)),
                           "--allow-path-outside-project", lock_text=text)
        self.assertIn("the directory that holds", r.stderr)
        r = self.plugins("lock")
        self.assertRefused(r, 2, "outside the project", lock_text=text)

    def test_dotdot_escape_is_refused(self):
        self.write(os.path.join(self.outside, "x.wasm"), PLUGIN)
        text = self.write_lock({"name": "x", "source": "../outside/x.wasm"})
        r = self.plugins("lock")
        self.assertRefused(r, 2, "path '../outside/x.wasm' resolves to '%s'"
                           % os.path.realpath(os.path.join(self.outside, "x.wasm")),
                           "move the file into it, or pass --allow-path-outside-project",
                           lock_text=text)
        # a ../ that comes back into the project is fine
        self.write(os.path.join(self.project, "y.wasm"), PLUGIN)
        self.write_lock(pin("y", "./sub/../y.wasm", PLUGIN))
        os.makedirs(os.path.join(self.project, "sub"))
        self.assertEqual(self.plugins("install", "--frozen").rc, 0)

    def test_symlink_inside_the_project_pointing_outside_is_refused(self):
        secret = self.write(os.path.join(self.outside, "secret.wasm"), PLUGIN)
        os.symlink(secret, os.path.join(self.project, "innocent.wasm"))
        os.symlink(self.outside, os.path.join(self.project, "vendor"))
        for source in ("./innocent.wasm", "./vendor/secret.wasm"):
            with self.subTest(source=source):
                text = self.write_lock(pin("p", source, PLUGIN))
                r = self.plugins("install", "--frozen")
                self.assertRefused(r, 2, "path '%s' resolves to '%s', outside the project"
                                   % (source, os.path.realpath(secret)), lock_text=text)

    def test_outside_path_is_refused_even_when_its_bytes_are_cached(self):
        secret = self.write(os.path.join(self.outside, "x.wasm"), PLUGIN)
        text = self.write_lock(pin("x", secret, PLUGIN))
        r = self.plugins("install", "--frozen", "--allow-path-outside-project")
        self.assertEqual(r.rc, 0, r)
        os.remove(os.path.join(self.data, "plugins", "x.wasm"))
        r = self.plugins("install", "--frozen")  # warm cache: refused all the same
        self.assertRefused(r, 2, "outside the project", lock_text=text)

    def test_opt_out_reads_outside_the_project(self):
        secret = self.write(os.path.join(self.outside, "x.wasm"), PLUGIN)
        self.write_lock({"name": "x", "source": secret},
                        {"name": "y", "source": "../outside/x.wasm"})
        r = self.plugins("lock", "--allow-path-outside-project")
        self.assertEqual(r.rc, 0, r)
        r = self.plugins("install", "--frozen", "--allow-path-outside-project")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(self.installed(), ["x.wasm", "y.wasm"])
        r = swtest.run_cli(["plugins", "--help"])
        self.assertIn("--allow-path-outside-project", r.stdout)
        self.assertIn("git work tree", r.stdout)

    # ---- bounded reads ----

    def test_dev_zero_pinned_and_frozen_fails_fast(self):
        text = self.write_lock(pin("zero", "/dev/zero", PLUGIN))
        started = time.monotonic()
        r = self.plugins("install", "--frozen", timeout=15)
        self.assertRefused(r, 2, "path '/dev/zero' resolves to '/dev/zero', outside the project",
                           lock_text=text)
        r = self.plugins("install", "--frozen", "--allow-path-outside-project", timeout=15)
        self.assertRefused(r, 2, "plugin 'zero' from '/dev/zero' in %s: '/dev/zero' is a "
                           "character device, not a regular file" % self.lock, lock_text=text)
        r = self.plugins("lock", "--allow-path-outside-project", timeout=15)  # unpinned: same
        self.assertRefused(r, 2, "is a character device", lock_text=text)
        self.assertLess(time.monotonic() - started, 10)

    def test_fifo_in_the_project_does_not_hang(self):
        fifo = os.path.join(self.project, "pipe.wasm")
        os.mkfifo(fifo)
        for pinned in (True, False):
            with self.subTest(pinned=pinned):
                text = self.write_lock(pin("pipe", "./pipe.wasm", PLUGIN) if pinned
                                       else {"name": "pipe", "source": "./pipe.wasm"})
                r = self.plugins("install" if pinned else "lock", timeout=15)
                self.assertRefused(r, 2, "'%s' is a FIFO (named pipe), not a regular file" % fifo,
                                   "a plugin is read from a regular .wasm file", lock_text=text)

    def test_directory_is_refused(self):
        os.makedirs(os.path.join(self.project, "plugins"))
        text = self.write_lock({"name": "d", "source": "./plugins"})
        r = self.plugins("lock")
        self.assertRefused(r, 2, "plugin 'd' from './plugins'", "is a directory, not a regular file",
                           lock_text=text)

    def test_file_bigger_than_its_pinned_size_is_refused_unread(self):
        path = self.write(os.path.join(self.project, "grown.wasm"), PLUGIN + b"\0" * 4096)
        text = self.write_lock(pin("grown", "./grown.wasm", PLUGIN))
        r = self.plugins("install", "--frozen")
        self.assertRefused(r, 5, "plugin 'grown' from './grown.wasm': size mismatch: %s pins %d "
                           "bytes, the file is %d" % (self.lock, len(PLUGIN), os.path.getsize(path)),
                           "run 'setup-wash plugins lock'", lock_text=text)
        # the same size with other bytes is a digest mismatch
        self.write(path, PLUGIN[:-1] + b"\x01")
        r = self.plugins("install", "--frozen")
        self.assertRefused(r, 5, "digest mismatch", lock_text=text)

    def test_file_bigger_than_the_cap_is_refused_unread(self):
        path = os.path.join(self.project, "huge.wasm")
        with open(path, "wb") as f:
            f.write(PLUGIN)
            f.truncate(CAP + 1)  # sparse: nothing of it is on disk
        for args, entry in ((("lock",), {"name": "huge", "source": "./huge.wasm"}),
                            (("install", "--frozen"), dict(pin("huge", "./huge.wasm", PLUGIN),
                                                           size=CAP + 1))):
            with self.subTest(cmd=args[0]):
                text = self.write_lock(entry)
                started = time.monotonic()
                r = self.plugins(*args, timeout=15)
                self.assertRefused(r, 5, "plugin 'huge' from './huge.wasm': the file is %d bytes, "
                                   "more than the 256 MiB a plugin may have" % (CAP + 1),
                                   lock_text=text)
                self.assertLess(time.monotonic() - started, 10)

    # ---- never quoting the file ----

    def test_non_wasm_file_is_refused_without_quoting_it(self):
        secret = ("%s\nAWS_SECRET_ACCESS_KEY=abc\n" % MARKER).encode()
        self.write(os.path.join(self.project, "notes.wasm"), secret)
        text = self.write_lock({"name": "notes", "source": "./notes.wasm"})
        r = self.plugins("lock")
        self.assertRefused(r, 5, "plugin 'notes': not a WebAssembly binary: the file does not start "
                           "with the magic bytes \\0asm", lock_text=text)
        self.assertNotIn("AWS_SECRET", r.stderr)
        text = self.write_lock(pin("notes", "./notes.wasm", secret))
        r = self.plugins("install", "--frozen")
        self.assertRefused(r, 5, "not a WebAssembly binary", lock_text=text)
        # a file often mistaken for a .wasm is named by kind
        self.write(os.path.join(self.project, "lfs.wasm"),
                   b"version https://git-lfs.github.com/spec/v1\noid sha256:" + MARKER.encode())
        text = self.write_lock({"name": "lfs", "source": "./lfs.wasm"})
        r = self.plugins("lock")
        self.assertRefused(r, 5, "it looks like a Git LFS pointer: fetch the real file with "
                           "'git lfs pull'", lock_text=text)


if __name__ == "__main__":
    unittest.main()
