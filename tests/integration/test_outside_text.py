"""Text from outside (headers, bodies, release fields, program output, paths) on its way out:
no raw control character reaches stderr or stdout, --json is always strict UTF-8 JSON, and
GITHUB_OUTPUT / GITHUB_PATH refuse what the runner would misread, writing nothing at all
(README "Text from outside"). Also: only the writers print (a check over src/)."""

import json
import os
import re
import unittest

import swtest
from swcase import ARCH, CliCase

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
API_TAG = r"/releases/tags/v2\.6\.1"
# ESC [2J (clear screen), BEL, a C1 CSI in UTF-8, a raw C1 byte, DEL, a bidi override in UTF-8,
# 0xff: as a header value, one char a byte (headers go out as latin-1)
NASTY = "\x1b[2J\x07\xc2\x9b31m\x9b\x7f\xe2\x80\xae\xff"
SHOWN = "\\x1b[2J\\x07\\u009b31m\\x9b\\x7f\\u202e\\xff"


def raw_controls(data):
    """What of `data` (bytes) would reach a terminal raw: invalid UTF-8, C0 (LF excepted), DEL,
    C1, bidi controls. An empty list is clean."""
    try:
        text = data.decode("utf-8", errors="strict")
    except UnicodeDecodeError as e:
        return ["invalid UTF-8 at byte %d: %r" % (e.start, data[max(0, e.start - 20):e.start + 4])]
    bad = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
    return ["%r at %d" % (m.group(), m.start()) for m in bad.finditer(text)]


class OutsideTextTest(CliCase):
    def run_raw(self, *args, env=None):
        return self.run_cli(*args, env=env, raw=True)

    def assertClean(self, r, *fragments):
        for name, data in (("stdout", r.stdout), ("stderr", r.stderr)):
            self.assertEqual(raw_controls(data), [], "%s of %r:\n%r" % (name, r.args, data))
        for f in fragments:
            self.assertIn(f.encode(), r.stderr, r.stderr)

    # ---- headers and bodies ----

    def test_retry_after_with_controls_is_escaped(self):
        for status in (429, 403):
            with self.subTest(status=status):
                self.gh.set_faults([{"match": API_TAG, "host": "api", "action": {
                    "status": status, "headers": {"Retry-After": NASTY},
                    "body": '{"message": "API rate limit exceeded\x1b[2J\x07\u202e"}'}}])
                r = self.run_raw("install", "--cache-dir", self.cache, "--version", "2.6.1")
                self.assertEqual(r.rc, 4, r)
                self.assertClean(r, "rate limit", "retry after " + SHOWN + " s")

    def test_retry_after_in_actions_annotations_is_escaped(self):
        self.gh.set_faults([{"match": API_TAG, "host": "api", "action": {
            "status": 429, "headers": {"Retry-After": "1\x1b]0;owned\x07"}}}])
        r = self.run_raw("install", "--cache-dir", self.cache, "--version", "2.6.1",
                         env={"GITHUB_ACTIONS": "true"})
        self.assertEqual(r.rc, 4, r)
        self.assertClean(r, "::error title=setup-wash::", "\\x1b]0;owned\\x07")
        lines = [l for l in r.stderr.split(b"\n") if l.startswith(b"::")]
        self.assertTrue(lines, r.stderr)

    def test_api_error_message_with_controls_is_escaped(self):
        self.gh.set_faults([{"match": API_TAG, "host": "api", "action": {
            "status": 422,
            "body": '{"message": "Not Found\x1b[2J\r\n::error::forged\x07\u009b\u202e"}'}}])
        r = self.run_raw("install", "--cache-dir", self.cache, "--version", "2.6.1")
        self.assertNotEqual(r.rc, 0, r)
        self.assertClean(r, "Not Found\\x1b[2J")
        self.assertNotIn(b"\n::error::forged", r.stderr)

    def test_swapped_tag_name_with_controls_is_escaped(self):
        self.gh.set_faults([{"match": API_TAG, "host": "api", "action": {
            "status": 200, "body": {"tag_name": "v2.6.1\x1b[2J\x9b", "assets": []}}}])
        r = self.run_raw("install", "--cache-dir", self.cache, "--version", "2.6.1")
        self.assertEqual(r.rc, 5, r)
        self.assertClean(r, "release 'v2.6.1\\x1b[2J\\u009b' instead")

    def test_asset_name_with_controls_is_escaped(self):
        self.gh.add_releases({"wasmCloud/wasmCloud": [{"tag_name": "v2.6.1", "assets": [
            {"name": "wash-\x1b[2Jevil\x07"}, {"name": "wash-\u009bx\u202e"}]}]})
        for args in (("install", "--cache-dir", self.cache), ("resolve",)):
            with self.subTest(args=args[0]):
                r = self.run_raw(*args, "--version", "2.6.1")
                self.assertNotEqual(r.rc, 0, r)
                self.assertClean(r)

    # ---- a cache directory whose path is not UTF-8 ----

    def bad_cache(self):
        return os.fsencode(self.tmp) + b"/c\xffd\xc0\xafe"

    def test_json_is_strict_utf8_with_a_non_utf8_cache_dir(self):
        r = self.run_raw("install", "--cache-dir", self.bad_cache(), "--version", "2.6.1",
                         "--json")
        self.assertEqual(r.rc, 0, r)
        doc = json.loads(r.stdout.decode("utf-8", errors="strict"))
        self.assertEqual(raw_controls(r.stdout), [])
        want = os.fsdecode(self.bad_cache()).encode("utf-8", "surrogateescape").decode(
            "utf-8", "replace")  # each invalid byte one U+FFFD
        self.assertEqual(doc["install-dir"], want + "/wash/2.6.1/" + ARCH)
        self.assertTrue(doc["wash-path"].startswith(want + "/"), doc)
        self.assertEqual(doc["wash-version"], "2.6.1")
        self.assertTrue(os.path.exists(self.bad_cache() + b"/wash/2.6.1/" + ARCH.encode()))
        # the text result escapes the bytes
        r = self.run_raw("install", "--cache-dir", self.bad_cache(), "--version", "2.6.1")
        self.assertEqual(r.rc, 0, r)
        self.assertClean(r)
        self.assertIn(b"/c\\xffd\\xc0\\xafe/wash/2.6.1", r.stdout)

    def test_runner_files_refuse_a_non_utf8_path_and_stay_whole(self):
        out = os.path.join(self.tmp, "github_output")
        path = os.path.join(self.tmp, "github_path")
        with open(out, "w") as f:
            f.write("before=1\n")
        rows = [
            ({"GITHUB_OUTPUT": out}, "refusing to write the output 'wash-path'"),
            ({"GITHUB_OUTPUT": out, "GITHUB_PATH": path}, "refusing to write the PATH entry"),
        ]
        for env, fragment in rows:
            with self.subTest(env=sorted(env)):
                r = self.run_raw("install", "--cache-dir", self.bad_cache(), "--version", "2.6.1",
                                 env=env)
                self.assertEqual(r.rc, 6, r)
                self.assertClean(r, fragment, "the byte 0xff, which is not UTF-8",
                                 "nothing was written")
                with open(out, "rb") as f:
                    self.assertEqual(f.read(), b"before=1\n")
                self.assertFalse(os.path.exists(path) and os.path.getsize(path), "GITHUB_PATH written")
        # a UTF-8 path goes in whole: every record complete
        r = self.run_raw("install", "--cache-dir", self.cache, "--version", "2.6.1",
                         env={"GITHUB_OUTPUT": out, "GITHUB_PATH": path})
        self.assertEqual(r.rc, 0, r)
        with open(out, "rb") as f:
            lines = f.read().decode("utf-8", errors="strict").split("\n")
        self.assertEqual(lines[0], "before=1")
        self.assertEqual(lines[-1], "")
        for line in lines[1:-1]:
            self.assertRegex(line, r"^[a-z-]+=", lines)
        with open(path, "rb") as f:
            self.assertEqual(f.read(), os.fsencode(self.cache) + b"/wash/2.6.1/" + ARCH.encode() + b"\n")


class DoctorOutsideTextTest(unittest.TestCase):
    """A program's answer with controls: doctor's text, --json and annotations stay clean."""

    @classmethod
    def setUpClass(cls):
        swtest.require_bin()

    def test_probe_output_with_controls(self):
        tmp = swtest.tempdir(self, prefix="sw-outside-")
        bindir = os.path.join(tmp, "bin")
        os.makedirs(bindir)
        with open(os.path.join(bindir, "wash"), "wb") as f:
            f.write(b"#!/bin/sh\nprintf 'wash \\033[2J\\007\\302\\233\\377 \\342\\200\\256x\\n'\n")
        os.chmod(os.path.join(bindir, "wash"), 0o755)
        env = {"PATH": bindir, "XDG_CACHE_HOME": os.path.join(tmp, "cache")}
        for extra, gha in ((), False), (("--json",), False), ((), True):
            with self.subTest(extra=extra, gha=gha):
                e = dict(env, GITHUB_ACTIONS="true") if gha else env
                r = swtest.run_cli(["doctor", "--project", tmp, *extra], env=e, raw=True)
                self.assertIn(r.rc, (0, 1), r)
                for name, data in (("stdout", r.stdout), ("stderr", r.stderr)):
                    self.assertEqual(raw_controls(data), [], "%s: %r" % (name, data))
                if extra:
                    doc = json.loads(r.stdout.decode("utf-8", errors="strict"))
                    wash = [c for c in doc["checks"] if c["id"] == "wash"][0]
                    self.assertIn("\\x1b[2J", wash["message"], wash)
                else:
                    self.assertIn(b"\\x1b[2J", r.stdout + r.stderr)


class OnlyTheWritersPrint(unittest.TestCase):
    """Every print to stdout/stderr in src/ is one of the writers that sanitise; a new one must
    go through them (sw_result, sw_info/sw_warn/sw_notice, sw_print_json), or be added here with
    the reason it is safe."""

    PRINT = re.compile(r"\b(printf|fprintf|vfprintf|puts|fputs|putchar|fputc|fwrite)\s*\(")
    COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
    ALLOWED = {
        "main.c": 1,            # --version: our own text
        "cmd/ctx.c": 4,         # say() and sw_result: the writers
        "cmd/plan.c": 1,        # sw_print_json: sw_json_print's text
        "cmd/doctor.c": 1,      # the report, sanitised per field in core/doctor_report.c
        "cmd/install.c": 2,     # the progress line (its asset name sanitised) and its newline
        "cmd/cli.c": 14,        # help: our own text (the usage line wrapped word by word)
        "gha/gha.c": 2,         # sw_gha_annotate (sanitises) and sw_gha_mask (must be exact)
        "core/buf.c": 1,        # out of memory
    }

    def test_only_the_writers_print(self):
        found = {}
        for folder, _, names in os.walk(os.path.join(ROOT, "src")):
            for name in names:
                if not name.endswith(".c"):
                    continue
                full = os.path.join(folder, name)
                rel = os.path.relpath(full, os.path.join(ROOT, "src"))
                with open(full, encoding="utf-8") as f:
                    text = self.COMMENT.sub("", f.read())
                n = len(self.PRINT.findall(text))
                if n:
                    found[rel] = n
        self.assertEqual(found, self.ALLOWED)


if __name__ == "__main__":
    unittest.main()
