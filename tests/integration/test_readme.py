"""The README (and docs/*.md) tell the truth about the command line.

Every command line in a code block (fenced, or indented four spaces) that runs setup-wash
(`setup-wash`, `build/setup-wash`, `dist/setup-wash-linux-x64`, ...) is checked against the
binary itself: its command must be one `setup-wash --help` lists and each --option one that
`setup-wash help COMMAND` documents. A failure names the file and line.

The doctor example under "Doctor" is the real output of that scenario (fake go and tinygo):
UPDATE_README=1 rewrites the block from what the binary prints.
"""

import glob
import os
import re
import unittest

import swtest
from test_cli_claims import commands, help_of

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
INVOKE = re.compile(r"^(?:\S*/)?setup-wash(?:-[A-Za-z0-9.-]+)?(?:\.exe)?$")
GLOBAL = {"--help", "--version"}
ENDS = {"&&", "||", ";"}


def doc_files():
    """README.md and docs/*.md (docs/ may not exist)."""
    return [os.path.join(ROOT, "README.md")] + sorted(glob.glob(os.path.join(ROOT, "docs", "*.md")))


def code_lines(text):
    """(line number, text) of each line in a code block: inside ``` fences, or indented four
    spaces or more outside them. A line that continues the one before (it ends in a backslash,
    or the next starts with '[' or '--', as wrapped usage lines do) is joined to it."""
    out, fence = [], False
    for n, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("```"):
            fence = not fence
            continue
        if not fence and not line.startswith("    "):
            continue
        s = line.strip()
        if out and (out[-1][1].endswith("\\") or (s.startswith(("[", "--")) and out[-1][2])):
            prev = out[-1]
            out[-1] = (prev[0], prev[1].rstrip("\\") + " " + s, prev[2])
            continue
        out.append((n, s, bool(s)))
    return [(n, s) for n, s, _ in out]


def invocations(line):
    """The setup-wash runs on a line: lists of words after the program's name, with brackets,
    '...' and '=value' dropped. A run starts at the start of the line (after an optional '$ ')
    or after &&, ||, ; or |, and ends at &&, || or ; (a '|' inside one separates alternatives,
    as in the usage of plugins)."""
    line = re.sub(r"\s#\s.*$", "", line)
    words = [w for w in re.split(r"\s+", line.strip()) if w]
    if words and words[0] == "$":
        words = words[1:]
    runs, cur, at_start = [], None, True
    for w in words:
        bare = w.strip("[]").rstrip(".")
        if at_start and INVOKE.match(w):
            cur = []
            runs.append(cur)
            at_start = False
            continue
        if w in ENDS:
            cur, at_start = None, True
            continue
        if w == "|":
            at_start = True
            continue
        at_start = False
        if cur is not None and bare:
            cur.append(bare.split("=", 1)[0] if bare.startswith("--") else bare)
    return runs


def problems(path, text, known):
    """What is wrong with the setup-wash lines of one file: 'FILE:LINE: ...' strings. known is
    {command: set of its options}."""
    out = []
    rel = os.path.relpath(path, ROOT)
    for n, line in code_lines(text):
        for words in invocations(line):
            cmd = next((w for w in words if not w.startswith("-")), None)
            first = words[0] if words else None
            if first and first.startswith("-"):
                # a global flag: setup-wash --help, setup-wash --version
                if first not in GLOBAL:
                    out.append("%s:%d: unknown option '%s' of setup-wash: %s" % (rel, n, first, line))
                continue
            if cmd is None:
                continue
            if cmd not in known:
                out.append("%s:%d: unknown command '%s': %s" % (rel, n, cmd, line))
                continue
            for w in words:
                if w.startswith("--") and w[2:] not in known[cmd]:
                    out.append("%s:%d: unknown option '%s' of '%s': %s" % (rel, n, w, cmd, line))
    return out


class ReadmeCommandsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        swtest.require_bin()
        cls.known = {c: set(help_of(c)[1]) for c in commands()}

    def test_every_command_line_is_known(self):
        found = []
        checked = 0
        for path in doc_files():
            with open(path, encoding="utf-8") as f:
                text = f.read()
            found += problems(path, text, self.known)
            checked += sum(len(invocations(l)) for _, l in code_lines(text))
        self.assertGreater(checked, 20, "the README's command lines were not found")
        self.assertEqual(found, [], "\n" + "\n".join(found))

    def test_the_check_fails_where_it_should(self):
        text = ("prose setup-wash install --nope is not code\n\n"
                "    setup-wash install --version 2 --frobnicate\n"
                "    build/setup-wash instal\n"
                "```\n$ setup-wash doctor --json && setup-wash lock --offline\n```\n"
                "    setup-wash resolve [--version SPEC]\n"
                "                       [--bogus X]\n"
                "    setup-wash help [COMMAND]  |  setup-wash --help  |  setup-wash --wat\n"
                "    setup-wash plugins add SOURCE | lock | install [--frozen] | list [--json]\n"
                "    gh attestation verify setup-wash-v1 --repo x && ./setup-wash-v1 doctor --strict\n")
        got = problems(os.path.join(ROOT, "README.md"), text, self.known)
        self.assertEqual([g.split(": ")[0] + ": " + g.split(": ")[1] for g in got], [
            "README.md:3: unknown option '--frobnicate' of 'install'",
            "README.md:4: unknown command 'instal'",
            "README.md:6: unknown option '--offline' of 'lock'",
            "README.md:8: unknown option '--bogus' of 'resolve'",
            "README.md:10: unknown option '--wat' of setup-wash",
        ])


# The scenario of the README's doctor example: Go 1.25 on PATH and TinyGo 0.38 (built with Go
# 1.24), a Go project whose go.mod asks for go 1.25.
DOCTOR_CMD = "setup-wash doctor go tinygo tinygo-go"
GOMOD = "module example.com/component\n\ngo 1.25\n"


class ReadmeDoctorExampleTest(unittest.TestCase):
    """The README's doctor example is what doctor prints for its scenario."""

    def real_output(self):
        tmp = swtest.tempdir(self)
        bin_dir, proj = os.path.join(tmp, "bin"), os.path.join(tmp, "proj")
        os.makedirs(bin_dir)
        os.makedirs(proj)
        with open(os.path.join(proj, "go.mod"), "w") as f:
            f.write(GOMOD)
        fakes = {"go": 'if [ "$1 $2" = "env GOVERSION" ]; then echo go1.25.1; exit 0; fi\nexit 2\n',
                 "tinygo": "echo 'tinygo version 0.38.0 linux/amd64 (using go version go1.24.4 "
                           "and LLVM version 19.1.2)'\n"}
        for name, body in fakes.items():
            p = os.path.join(bin_dir, name)
            with open(p, "w") as f:
                f.write("#!/bin/sh\n" + body)
            os.chmod(p, 0o755)
        r = swtest.run_cli(DOCTOR_CMD.split()[1:], cwd=proj,
                           env={"PATH": bin_dir, "NO_COLOR": "1",
                                "XDG_CACHE_HOME": os.path.join(tmp, "cache")})
        self.assertEqual(r.rc, 1, r)  # tinygo-go is an error
        return r.stdout.replace(bin_dir, "/usr/local/bin").replace(proj, ".")

    def test_block_is_real_output(self):
        readme = os.path.join(ROOT, "README.md")
        with open(readme, encoding="utf-8") as f:
            text = f.read()
        block = "".join("    " + l + "\n" if l else "\n"
                        for l in (DOCTOR_CMD + "\n" + self.real_output()).rstrip("\n").split("\n"))
        m = re.search(r"(cannot drift\):\n\n)((?:    .*\n|\n(?=    ))+)", text)
        self.assertIsNotNone(m, "the doctor example block is gone from the README")
        if os.environ.get("UPDATE_README") == "1":
            with open(readme, "w", encoding="utf-8") as f:
                f.write(text[:m.start(2)] + block + text[m.end(2):])
            return
        self.assertEqual(m.group(2), block, "README's doctor example differs from the real "
                         "output; UPDATE_README=1 rewrites it")


if __name__ == "__main__":
    unittest.main()
