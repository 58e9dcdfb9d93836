"""What the CLI says agrees with what it does: exit codes, help, warnings, result lines, paths
(the findings of issue 24, each a class)."""

import json
import os
import pwd
import re
import shlex
import shutil
import subprocess
import sys
import unittest

import swtest
from swcase import ARCH, GNU, MUSL, CliCase

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def option_line(help_text, name):
    """The line of `--help` that documents option --name."""
    for line in help_text.splitlines():
        if re.match(r"\s+--%s\b" % re.escape(name), line):
            return line
    raise AssertionError("no --%s in:\n%s" % (name, help_text))


class UnreadableLockTest(CliCase):
    """A lockfile that is there but cannot be read is a bad lockfile: exit 2, as the README's
    exit-code table says, not 6 (a cache that cannot be written)."""

    def test_directory_as_lock(self):
        d = os.path.join(self.tmp, "dir.lock")
        os.mkdir(d)
        for cmd in (["resolve", "--offline"], ["install", "--cache-dir", self.cache],
                    ["plugins", "list"]):
            with self.subTest(cmd=cmd[0]):
                r = self.run_cli(*cmd, "--lock", d)
                self.assertFails(r, 2, "bad lockfile", d)
        self.assertEqual(self.gh.requests(), [])

    def test_lock_the_user_cannot_read(self):
        if os.geteuid() != 0:
            user_runs = []  # already unprivileged: chmod 000 is enough
        elif shutil.which("setpriv"):
            user_runs = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"]
        elif shutil.which("runuser"):
            user_runs = ["runuser", "-u", "nobody", "--"]
        else:
            self.skipTest("running as root without setpriv or runuser: cannot drop privileges "
                          "to make a file unreadable")
        os.chmod(self.tmp, 0o755)
        lock = os.path.join(self.tmp, "plugins.lock")
        with open(lock, "w") as f:
            f.write('{"lockfile-version": 1}\n')
        os.chmod(lock, 0)
        home = os.path.join(self.tmp, "home")
        os.mkdir(home)
        if os.geteuid() == 0:
            os.chown(home, pwd.getpwnam("nobody").pw_uid, -1)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "LANG": "C",
               "XDG_CACHE_HOME": os.path.join(home, "cache")}
        p = subprocess.run(user_runs + [swtest.cli_path(), "resolve", "--offline", "--version",
                                        "2.7.0", "--lock", lock],
                           env=env, capture_output=True, text=True, timeout=60)
        if os.geteuid() == 0 and "Permission denied" not in p.stderr and p.returncode == 0:
            self.skipTest("the dropped user could still read the lockfile")
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("bad lockfile: cannot read '%s': Permission denied" % lock, p.stderr)


class LockVerifyTest(CliCase):
    """lock --verify: the help lists the four modes the parser takes, and none warns as the
    README says it always does."""

    def test_help_names_every_mode(self):
        r = self.run_cli("lock", "--help")
        self.assertEqual(r.rc, 0, r)
        line = option_line(r.stdout, "verify")
        for mode in ("auto", "provenance", "digest", "none"):
            self.assertIn(mode, line)

    def test_none_warns_and_pins_no_bundle(self):
        lock = os.path.join(self.tmp, "plugins.lock")
        r = self.run_cli("lock", "--version", "2.7.0", "--lock", lock, "--verify", "none",
                         "--cache-dir", self.cache)
        self.assertEqual(r.rc, 0, r)
        self.assertIn("warning: --verify none: %s will pin no provenance" % lock, r.stderr)
        with open(lock) as f:
            self.assertNotIn("provenance", json.load(f)["wash"])

    def test_digest_pins_no_bundle_without_a_warning(self):
        lock = os.path.join(self.tmp, "plugins.lock")
        r = self.run_cli("lock", "--version", "2.7.0", "--lock", lock, "--verify", "digest",
                         "--cache-dir", self.cache)
        self.assertEqual(r.rc, 0, r)
        self.assertNotIn("warning", r.stderr)
        with open(lock) as f:
            self.assertNotIn("provenance", json.load(f)["wash"])


class TamperedCacheTest(CliCase):
    """A cached wash whose bytes changed is reported once (it is looked at before the version's
    lock and again under it): one warning, one ::warning annotation under Actions."""

    def test_one_warning(self):
        exe = self.install_json("--version", "2.7.0")["wash-path"]
        for gha in (False, True):
            with self.subTest(actions=gha):
                with open(exe, "ab") as f:
                    f.write(b"x")
                env = {"GITHUB_ACTIONS": "true"} if gha else {}
                r = self.install("--version", "2.7.0", env=env)
                self.assertEqual(r.rc, 0, r)
                mark = "::warning" if gha else "warning: "
                said = [l for l in r.stderr.splitlines() if mark in l and "cached wash" in l]
                self.assertEqual(len(said), 1, r)
                self.assertIn("installing it again", said[0])


class DoctorJsonValuesTest(unittest.TestCase):
    """doctor --json keeps a found value as it is (the JSON writer escapes it as JSON does);
    terminal escapes are for the text report only. A byte that is not UTF-8 becomes U+FFFD in
    --json, as the README's "Text from outside" says."""

    def setUp(self):
        swtest.require_bin()
        self.tmp = swtest.tempdir(self)

    def doctor(self, proj, *args):
        env = {"PATH": os.path.join(self.tmp, "nobin"), "XDG_CACHE_HOME": os.path.join(self.tmp, "c")}
        r = swtest.run_cli([b"doctor", b"--project", proj] + list(args), env=env, raw=True)
        self.assertIn(r.rc, (0, 1), r)
        return r

    def test_control_characters_kept_in_json_escaped_in_text(self):
        proj = os.path.join(self.tmp, "e\x1b[31mX").encode()
        os.mkdir(proj)
        doc = json.loads(self.doctor(proj, b"--json", b"project").stdout)
        self.assertEqual(doc["checks"][0]["found"]["dir"], proj.decode())
        text = self.doctor(proj, b"project").stdout
        self.assertNotIn(b"\x1b", text)
        self.assertIn(b"e\\x1b[31mX", text)

    def test_invalid_utf8_is_replacement_characters_in_json(self):
        proj = os.path.join(self.tmp, "bad").encode() + b"\xff\xfe"
        os.mkdir(proj)
        out = self.doctor(proj, b"--json", b"project").stdout
        doc = json.loads(out.decode("utf-8"))  # strict: valid UTF-8
        self.assertEqual(doc["checks"][0]["found"]["dir"],
                         os.path.join(self.tmp, "bad") + "\ufffd\ufffd")

    def test_a_long_value_is_whole(self):
        deep = self.tmp
        while len(deep) < 600:
            deep = os.path.join(deep, "d" * 50)
        os.makedirs(deep)
        doc = json.loads(self.doctor(deep.encode(), b"--json", b"project").stdout)
        self.assertEqual(doc["checks"][0]["found"]["dir"], deep)


class ProvenanceRefusedBeforeDownloadTest(CliCase):
    """install --verify provenance of a release older than the attestations is refused before
    its asset is downloaded: the fake GitHub sees the tag lookup and no download."""

    def test_no_asset_request(self):
        r = self.install("--version", "1.0.0-beta.3", "--verify", "provenance")
        self.assertFails(r, 5, "wash 1.0.0-beta.3 predates build-provenance attestations",
                         "nothing was installed")
        self.assertEqual([q["path"] for q in self.downloads()], [])
        self.assertEqual([q["path"] for q in self.gh.requests() if "/releases/download/" in q["path"]], [])
        self.assertNotIn("downloading", r.stderr)
        self.assertNoTrace("1.0.0-beta.3")

    def test_an_attested_release_still_downloads(self):
        r = self.install("--version", "2.7.0", "--verify", "provenance")
        self.assertEqual(r.rc, 0, r)
        self.assertTrue(any(q["path"].endswith("/wash-" + GNU) for q in self.gh.requests()))


class SuccessLineTest(CliCase):
    """The success line names the build installed: the asset's target, and where a musl build
    stood in for a gnu one, says so (1.0.0-rc.2 has no gnu build)."""

    def line(self, r):
        self.assertEqual(r.rc, 0, r)
        return next(l for l in r.stdout.splitlines() if " installed at " in l)

    def test_musl_fallback_named(self):
        for run in ("cold", "cache hit"):
            with self.subTest(run=run):
                line = self.line(self.install("--version", "1.0.0-rc.2"))
                self.assertIn("(%s, musl build; this release has no gnu build; verified by " % MUSL,
                              line)
                self.assertNotIn(GNU, line)

    def test_gnu_build_named_plainly(self):
        line = self.line(self.install("--version", "2.7.0"))
        self.assertIn("(%s, verified by provenance)" % GNU, line)

    def test_another_target(self):
        line = self.line(self.install("--version", "2.7.0", "--target", "aarch64-apple-darwin"))
        self.assertIn("(aarch64-apple-darwin, verified by ", line)


def help_of(command):
    """(usage, {option: metavar or None}) from `setup-wash help COMMAND`: the usage line joined
    across its wrapped lines, and the Options table."""
    r = swtest.run_cli(["help", command])
    assert r.rc == 0, r
    lines = r.stdout.splitlines()
    i = next(k for k, l in enumerate(lines) if l.startswith("Usage: "))
    usage = [lines[i]]
    while lines[i + 1].startswith(" "):
        i += 1
        usage.append(lines[i])
    opts = {}
    j = lines.index("Options:")
    for l in lines[j + 1:]:
        if not l.strip():
            break
        m = re.match(r"  --([a-z0-9-]+)(?: ([A-Z][A-Z-]*))?(?:\s|$)", l)
        if m:
            opts[m.group(1)] = m.group(2)
    return " ".join(x.strip() for x in usage), opts


def commands():
    """The command names `setup-wash --help` lists."""
    r = swtest.run_cli(["--help"])
    lines = r.stdout.splitlines()
    out = []
    for l in lines[lines.index("Commands:") + 1:]:
        if not l.strip():
            break
        out.append(l.split()[0])
    return out


class UsageLineTest(unittest.TestCase):
    """Each command's usage line names every option of its table (the parser's), and nothing
    else; the Environment list names every SETUP_WASH_ variable the code reads."""

    @classmethod
    def setUpClass(cls):
        swtest.require_bin()

    def test_every_option_in_every_usage_line(self):
        names = commands()
        self.assertEqual(set(names), {"install", "resolve", "lock", "plugins", "doctor", "help"})
        for name in names:
            with self.subTest(command=name):
                usage, opts = help_of(name)
                self.assertTrue(usage.startswith("Usage: setup-wash %s" % name), usage)
                in_usage = dict(re.findall(r"\[--([a-z0-9-]+)(?: ([A-Z][A-Z-]*))?\]", usage))
                want = {k: v or "" for k, v in opts.items() if k != "help"}
                self.assertEqual(in_usage, want, usage)
                self.assertEqual(re.findall(r"--[a-z0-9-]+", usage),
                                 ["--" + k for k in in_usage], "an option outside [...]: " + usage)

    def test_the_issue_s_missing_options(self):
        for name, wanted in (("install", ["--trusted-root FILE", "--min-release-age AGE"]),
                             ("resolve", ["--verify MODE", "--min-release-age AGE", "--offline"])):
            usage, _ = help_of(name)
            for w in wanted:
                self.assertIn("[%s]" % w, usage)

    def test_usage_lines_fit_80_columns(self):
        for name in commands():
            lines = swtest.run_cli(["help", name]).stdout.splitlines()
            i = next(k for k, l in enumerate(lines) if l.startswith("Usage: "))
            while lines[i]:
                self.assertLessEqual(len(lines[i]), 80, lines[i])
                i += 1

    def test_environment_lists_every_variable_read(self):
        src = os.path.join(ROOT, "src")
        read = set()
        for d, _, files in os.walk(src):
            for f in files:
                if f.endswith((".c", ".h")):
                    with open(os.path.join(d, f), encoding="utf-8") as fh:
                        read |= set(re.findall(r'"(SETUP_WASH_[A-Z_]+)"', fh.read()))
        self.assertGreaterEqual(read, {"SETUP_WASH_RETRIES", "SETUP_WASH_TRUSTED_ROOT",
                                       "SETUP_WASH_DOCTOR_TIMEOUT"})
        text = swtest.run_cli(["--help"]).stdout
        env = text[text.index("Environment:"):]
        for var in sorted(read):
            self.assertRegex(env, r"\b%s\b" % var)


class PluginsListTest(unittest.TestCase):
    """plugins list with no plugins says so and where wash would load them from; --json gives
    that plugins/ folder as plugins-dir, not wash's data directory."""

    def setUp(self):
        swtest.require_bin()
        self.tmp = swtest.tempdir(self)
        self.data = os.path.join(self.tmp, "data")
        self.lock = os.path.join(self.tmp, "plugins.lock")
        with open(self.lock, "w") as f:
            f.write('{"lockfile-version": 1}\n')

    def test_none_is_said(self):
        r = swtest.run_cli(["plugins", "list", "--lock", self.lock, "--data-dir", self.data])
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.stdout, "%s lists no plugins; wash loads them from %s\n"
                         % (self.lock, os.path.join(self.data, "plugins")))

    def test_json_plugins_dir_is_the_plugins_folder(self):
        r = swtest.run_cli(["plugins", "list", "--json", "--lock", self.lock, "--data-dir", self.data])
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(json.loads(r.stdout), {"plugins-dir": os.path.join(self.data, "plugins"),
                                                "plugins": []})

    def test_install_json_agrees(self):
        r = swtest.run_cli(["plugins", "install", "--json", "--lock", self.lock, "--data-dir",
                            self.data, "--cache-dir", os.path.join(self.tmp, "c")])
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(json.loads(r.stdout)["plugins-dir"], os.path.join(self.data, "plugins"))


class RelativeCacheDirTest(CliCase):
    """A relative --cache-dir is made absolute without "." and "..": outputs name
    /tmp/.../c/wash/..., never /tmp/.../x/../c/wash/...; also when it does not exist yet, and
    through a symbolic link the way the system resolves it."""

    def rows(self):
        x = os.path.join(self.tmp, "x")
        os.makedirs(x)
        os.symlink(os.path.join(self.tmp, "real", "deep"), os.path.join(x, "link"))
        os.makedirs(os.path.join(self.tmp, "real", "deep"))
        return [("../c", x, os.path.join(self.tmp, "c")),
                ("./new/../d/./", x, os.path.join(x, "d")),
                ("link/../c2", x, os.path.join(self.tmp, "real", "c2")),
                ]

    def test_outputs_have_no_dot_parts(self):
        for arg, cwd, want in self.rows():
            with self.subTest(arg=arg):
                r = self.run_cli("resolve", "--offline", "--json", "--version", "2.7.0",
                                 "--cache-dir", arg, cwd=cwd)
                self.assertEqual(r.rc, 0, r)
                self.assertEqual(json.loads(r.stdout)["install-dir"],
                                 os.path.join(want, "wash", "2.7.0", ARCH))

    def test_install(self):
        x = os.path.join(self.tmp, "x")
        os.makedirs(x)
        out = json.loads(self.run_cli("install", "--json", "--version", "2.7.0", "--cache-dir",
                                      "../c", cwd=x).stdout)
        self.assertEqual(out["wash-path"], os.path.join(self.tmp, "c", "wash", "2.7.0", ARCH, "wash"))
        self.assertTrue(os.path.exists(out["wash-path"]))


class DemoEchoTest(unittest.TestCase):
    """scripts/demo echoes exactly the command lines it runs: a wrapper in place of the binary
    records its argv, and each `$ ...` line of the demo must be one of them, in order."""

    def test_echo_is_what_runs(self):
        real = swtest.cli_path()
        tmp = swtest.tempdir(self)
        log = os.path.join(tmp, "argv.jsonl")
        wrapper = os.path.join(tmp, "setup-wash")
        with open(wrapper, "w") as f:
            f.write("#!%s\nimport json, os, sys\nwith open(%r, 'a') as f:\n"
                    "    f.write(json.dumps(sys.argv) + '\\n')\nos.execv(%r, [%r] + sys.argv[1:])\n"
                    % (sys.executable, log, real, real))
        os.chmod(wrapper, 0o755)
        env = dict(os.environ)
        env["SETUP_WASH_BIN"] = real
        p = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "demo"), wrapper],
                           env=env, capture_output=True, text=True, timeout=300)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        echoed = [shlex.split(l[2:], comments=True) for l in p.stdout.splitlines()
                  if l.startswith("$ ")]
        echoed = [a for a in echoed if a and a[0] == wrapper]
        with open(log) as f:
            ran = [json.loads(l) for l in f]
        self.assertEqual(len(ran), 2, p.stdout)
        self.assertEqual(echoed, ran)


if __name__ == "__main__":
    unittest.main()
