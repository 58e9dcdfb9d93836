"""Runs a composite action's steps with bash the way the GitHub Actions runner does (stdlib only).

    runner = actionrun.Runner(action_dir, machine, cache_store, github={...}, stubs={...})
    result = runner.run({"version": "latest"})
    result.outputs["wash-version"], result.path_lines, result.summary, result.annotations

What is emulated, after the runner's documented behaviour:

* ``inputs``: the ``with:`` values over the defaults of action.yml (defaults may be expressions,
  e.g. ``${{ github.token }}``); an unknown input is an error. They are also exported as
  ``INPUT_<NAME>`` (upper case) unless ``input_env=False`` -- a composite action's steps do not
  really get those, so a test can prove the action does not depend on them.
* expressions ``${{ ... }}`` in ``env:``, ``with:``, ``working-directory:``, ``if:`` and the
  action's ``outputs``: contexts ``inputs``, ``github``, ``runner``, ``steps`` (``outputs``,
  ``outcome``, ``conclusion``), ``env``; literals, ``== != < <= > >= && || !``, parentheses,
  ``success() failure() always() cancelled() contains() startsWith() endsWith() format()``.
  String comparison ignores case; ``a || b`` yields the first truthy operand, as GitHub's does.
  An ``if:`` without a status function means ``success() && (...)``. ``${{`` inside a ``run:``
  script is refused (the action passes inputs through ``env:``).
* ``run:`` steps (``shell: bash`` only): ``bash --noprofile --norc -eo pipefail SCRIPT`` with the
  job environment, the step's ``env:``, ``GITHUB_ACTION_PATH`` and fresh ``GITHUB_OUTPUT``,
  ``GITHUB_ENV``, ``GITHUB_PATH`` and ``GITHUB_STEP_SUMMARY`` files, read back after the step
  (``name=value`` and ``name<<DELIM`` forms); ``GITHUB_PATH`` lines are prepended to ``PATH`` and
  ``GITHUB_ENV`` lines exported for later steps; summaries are concatenated. Workflow commands
  (``::error``/``::warning``/``::notice``, ``::add-mask::``) are read from stdout and stderr.
* ``uses: actions/cache/restore@SHA`` and ``actions/cache/save@SHA``: a ``CacheStore``, a local
  directory standing for the repository's cache: exact key, then ``restore-keys`` prefixes (newest
  first), entries only match the same list of paths (the cache "version"), a key is written once,
  keys with commas are refused, a save with no existing path warns and saves nothing. Outputs
  ``cache-hit`` (``true`` on an exact match, ``false`` on a prefix match, unset on a miss),
  ``cache-primary-key`` and ``cache-matched-key``. Any other ``uses:`` is an error.
* ``stubs``: ``{step_id: {output: value}}`` replaces a step by those outputs (the test suite
  short-circuits "Get setup-wash" to the freshly built binary this way).
"""

import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import uuid

# -- expressions --------------------------------------------------------------

_TOKEN = re.compile(r"""\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>-?\d+(?:\.\d+)?)|(?P<op>==|!=|<=|>=|&&|\|\||[!<>()\[\].,])|(?P<id>[A-Za-z_][A-Za-z0-9_-]*))""")
_STATUS_FUNCS = ("success", "failure", "always", "cancelled")


class ExprError(ValueError):
    pass


def to_str(v):
    if v is None:
        return ""
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (dict, list)):
        return json.dumps(v)
    return str(v)


def truthy(v):
    return not (v is None or v is False or v == "" or (isinstance(v, (int, float)) and not isinstance(v, bool) and v == 0))


def _num(v):
    if v is None:
        return 0.0
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, (int, float)):
        return float(v)
    try:
        return float(v.strip()) if v.strip() else 0.0
    except ValueError:
        return float("nan")


def _compare(a, op, b):
    if isinstance(a, str) and isinstance(b, str):
        a, b = a.lower(), b.lower()
    elif type(a) is not type(b):
        a, b = _num(a), _num(b)
    return {"==": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def _get(obj, name):
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k.lower() == str(name).lower():
                return v
        return None
    if isinstance(obj, list) and isinstance(name, (int, float)) and 0 <= int(name) < len(obj):
        return obj[int(name)]
    return None


class _Expr:
    def __init__(self, text, ctx, status):
        self.toks = []
        pos = 0
        text = text.strip()
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if not m or m.end() == pos:
                raise ExprError("cannot parse expression %r at %d" % (text, pos))
            kind = m.lastgroup
            self.toks.append((kind, m.group(kind)))
            pos = m.end()
            while pos < len(text) and text[pos].isspace():
                pos += 1
        self.k = 0
        self.text = text
        self.ctx = ctx
        self.status = status

    def peek(self):
        return self.toks[self.k] if self.k < len(self.toks) else (None, None)

    def take(self, value=None):
        tok = self.peek()
        if tok[0] is None or (value is not None and tok[1] != value):
            raise ExprError("expected %r in %r" % (value, self.text))
        self.k += 1
        return tok

    def parse(self):
        v = self.or_()
        if self.k != len(self.toks):
            raise ExprError("unexpected %r in %r" % (self.peek()[1], self.text))
        return v

    def or_(self):
        v = self.and_()
        while self.peek() == ("op", "||"):
            self.take()
            rhs = self.and_()
            v = v if truthy(v) else rhs
        return v

    def and_(self):
        v = self.not_()
        while self.peek() == ("op", "&&"):
            self.take()
            rhs = self.not_()
            v = rhs if truthy(v) else v
        return v

    def not_(self):
        if self.peek() == ("op", "!"):
            self.take()
            return not truthy(self.not_())
        return self.cmp()

    def cmp(self):
        v = self.primary()
        kind, op = self.peek()
        if kind == "op" and op in ("==", "!=", "<", "<=", ">", ">="):
            self.take()
            return _compare(v, op, self.primary())
        return v

    def primary(self):
        kind, val = self.take()
        if kind == "str":
            return val[1:-1].replace("''", "'")
        if kind == "num":
            return float(val)
        if kind == "op" and val == "(":
            v = self.or_()
            self.take(")")
            return v
        if kind != "id":
            raise ExprError("unexpected %r in %r" % (val, self.text))
        low = val.lower()
        if low in ("true", "false"):
            return low == "true"
        if low == "null":
            return None
        if self.peek() == ("op", "("):
            self.take()
            args = []
            if self.peek() != ("op", ")"):
                args.append(self.or_())
                while self.peek() == ("op", ","):
                    self.take()
                    args.append(self.or_())
            self.take(")")
            return self.call(low, args)
        v = _get(self.ctx, val)
        if v is None and low not in {k.lower() for k in self.ctx}:
            raise ExprError("unknown context %r in %r" % (val, self.text))
        while True:
            kind, op = self.peek()
            if (kind, op) == ("op", "."):
                self.take()
                v = _get(v, self.take()[1])
            elif (kind, op) == ("op", "["):
                self.take()
                key = self.or_()
                self.take("]")
                v = _get(v, key)
            else:
                return v

    def call(self, name, args):
        if name in _STATUS_FUNCS:
            return {"success": not self.status["failed"], "failure": self.status["failed"],
                    "always": True, "cancelled": False}[name]
        if name == "contains":
            hay, needle = args
            if isinstance(hay, list):
                return any(_compare(x, "==", needle) for x in hay)
            return to_str(needle).lower() in to_str(hay).lower()
        if name == "startswith":
            return to_str(args[0]).lower().startswith(to_str(args[1]).lower())
        if name == "endswith":
            return to_str(args[0]).lower().endswith(to_str(args[1]).lower())
        if name == "format":
            fmt = to_str(args[0])
            return re.sub(r"\{(\d+)\}", lambda m: to_str(args[1 + int(m.group(1))]), fmt)
        raise ExprError("function %s() is not emulated" % name)


def evaluate(expr, ctx, status=None):
    """Value of one expression (the text inside ``${{ }}``)."""
    return _Expr(expr, ctx, status or {"failed": False}).parse()


def interpolate(text, ctx, status=None):
    """``text`` with every ``${{ expr }}`` replaced by its string value."""
    if text is None:
        return ""
    out, pos = [], 0
    while True:
        start = text.find("${{", pos)
        if start < 0:
            out.append(text[pos:])
            return "".join(out)
        end = text.find("}}", start)
        if end < 0:
            raise ExprError("unterminated expression in %r" % text)
        out.append(text[pos:start])
        out.append(to_str(evaluate(text[start + 3:end], ctx, status)))
        pos = end + 2


def condition(text, ctx, status):
    """Whether a step with ``if: text`` runs (None: the default, success())."""
    if text is None or str(text).strip() == "":
        return not status["failed"]
    expr = str(text).strip()
    if expr.startswith("${{") and expr.endswith("}}"):
        expr = expr[3:-2]
    if not re.search(r"\b(%s)\s*\(" % "|".join(_STATUS_FUNCS), expr):
        expr = "success() && (%s)" % expr
    return truthy(evaluate(expr, ctx, status))


# -- runner files and commands -------------------------------------------------

def parse_env_file(path):
    """``name=value`` and ``name<<DELIM`` / lines / ``DELIM`` entries, in order (later wins)."""
    out = {}
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
    except FileNotFoundError:
        return out
    k = 0
    while k < len(lines):
        line = lines[k].rstrip("\r")
        k += 1
        if not line:
            continue
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delim = line.split("<<", 1)
            value = []
            while True:
                if k >= len(lines):
                    raise ValueError("%s: no closing delimiter %r for %r" % (path, delim, name))
                nxt = lines[k].rstrip("\r")
                k += 1
                if nxt == delim:
                    break
                value.append(nxt)
            out[name] = "\n".join(value)
        elif "=" in line:
            name, value = line.split("=", 1)
            out[name] = value
        else:
            raise ValueError("%s: malformed line %r" % (path, line))
    return out


_COMMAND = re.compile(r"^::(error|warning|notice|add-mask|debug|group|endgroup)(?: ([^:]*))?::(.*)$")


def _unescape(s):
    return s.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


# -- actions/cache emulation ---------------------------------------------------

class CacheStore:
    """A repository's cache, on disk: entries are immutable, matched by key and path list."""

    def __init__(self, root):
        self.root = root
        os.makedirs(root, exist_ok=True)
        self.index_path = os.path.join(root, "index.json")
        if not os.path.exists(self.index_path):
            self._write([])

    def _read(self):
        with open(self.index_path) as f:
            return json.load(f)

    def _write(self, entries):
        with open(self.index_path + ".tmp", "w") as f:
            json.dump(entries, f, indent=1)
        os.replace(self.index_path + ".tmp", self.index_path)

    def keys(self):
        return [e["key"] for e in self._read()]

    @staticmethod
    def _check_key(key):
        if not key or "," in key or len(key) > 512:
            raise ValueError("invalid cache key %r (empty, a comma, or longer than 512)" % key)

    def restore(self, key, restore_keys, paths):
        """Returns (matched_key or None, exact)."""
        self._check_key(key)
        version = json.dumps(paths)
        entries = [e for e in self._read() if e["version"] == version]
        match = next((e for e in entries if e["key"] == key), None)
        if match is None:
            for prefix in restore_keys:
                cands = [e for e in entries if e["key"].startswith(prefix)]
                if cands:
                    match = max(cands, key=lambda e: e["seq"])
                    break
        if match is None:
            return None, False
        for n, p in enumerate(paths):
            src = os.path.join(self.root, match["dir"], str(n))
            if os.path.isdir(src):
                shutil.copytree(src, p, symlinks=True, dirs_exist_ok=True)
            elif os.path.isfile(src):
                os.makedirs(os.path.dirname(p), exist_ok=True)
                shutil.copy2(src, p)
        return match["key"], match["key"] == key

    def save(self, key, paths):
        """Returns a warning message, or None when saved."""
        self._check_key(key)
        version = json.dumps(paths)
        entries = self._read()
        if any(e["key"] == key and e["version"] == version for e in entries):
            return "Failed to save: Unable to reserve cache with key %s, another job may be creating this cache." % key
        if not any(os.path.exists(p) for p in paths):
            return "Path Validation Error: Path(s) specified in the action for caching do(es) not exist, hence no cache is being saved."
        d = uuid.uuid4().hex
        for n, p in enumerate(paths):
            dst = os.path.join(self.root, d, str(n))
            if os.path.isdir(p):
                shutil.copytree(p, dst, symlinks=True)
            elif os.path.isfile(p):
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                shutil.copy2(p, dst)
        entries.append({"key": key, "version": version, "dir": d,
                        "seq": max([e["seq"] for e in entries] or [0]) + 1})
        self._write(entries)
        return None


# -- a release commit of the action ------------------------------------------------

def platform_name(machine):
    """The release platform a runner machine takes: linux-x64, macos-arm64, windows-x64..."""
    return {"Linux": "linux", "macOS": "macos", "Windows": "windows"}[machine.os] + "-" + machine.arch.lower()


def release_checkout(root, dest, asset=None, binary=None):
    """Copies the action in ``root`` to ``dest`` as a release commit of it is: action.yml, its
    scripts, the sources of a source build, and dist/checksums.txt (the committed header, plus
    the SHA-256 of ``binary`` under the name ``asset`` when given). Returns ``dest``."""
    os.makedirs(os.path.join(dest, "dist"), exist_ok=True)
    shutil.copy(os.path.join(root, "action.yml"), dest)
    shutil.copy(os.path.join(root, "CMakeLists.txt"), dest)
    for d in ("action", "src", "cmake"):
        if os.path.isdir(os.path.join(root, d)):
            shutil.copytree(os.path.join(root, d), os.path.join(dest, d), dirs_exist_ok=True)
    with open(os.path.join(root, "dist", "checksums.txt")) as f:
        sums = f.read()
    if asset is not None:
        h = hashlib.sha256()
        with open(binary, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        sums += "%s  %s\n" % (h.hexdigest(), asset)
    with open(os.path.join(dest, "dist", "checksums.txt"), "w") as f:
        f.write(sums)
    return dest


# -- the runner ----------------------------------------------------------------

class Machine:
    """A runner machine: its workspace, RUNNER_TEMP, RUNNER_TOOL_CACHE and HOME under ``root``.

    Hosted runners give every job a new virtual machine with the same paths; ``fresh()`` plays
    that (everything under ``root`` is wiped), which matters because actions/cache only restores
    an entry into the same absolute paths it was saved from.
    """

    def __init__(self, root, os_name="Linux", arch=None):
        self.root = root
        self.workspace = os.path.join(root, "work", "repo", "repo")
        self.temp = os.path.join(root, "work", "_temp")
        self.tool_cache = os.path.join(root, "hostedtoolcache")
        self.home = os.path.join(root, "home")
        self.fresh()
        self.os = os_name
        self.arch = arch or {"x86_64": "X64", "amd64": "X64", "aarch64": "ARM64",
                             "arm64": "ARM64"}.get(platform.machine().lower(), "X64")

    def fresh(self):
        """A new virtual machine: empty workspace, temp, tool cache and home."""
        shutil.rmtree(self.root, ignore_errors=True)
        for d in (self.workspace, self.temp, self.tool_cache, self.home):
            os.makedirs(d, exist_ok=True)
        return self


class StepRecord:
    def __init__(self, index, step):
        self.index = index
        self.id = step.get("id") or "__step%d" % index
        self.name = step.get("name") or step.get("uses") or "Run"
        self.outcome = "skipped"
        self.outputs = {}
        self.stdout = self.stderr = ""
        self.rc = None

    def __repr__(self):
        return "<step %s %s rc=%s>" % (self.id, self.outcome, self.rc)


class Result:
    def __init__(self):
        self.outputs = {}
        self.steps = []
        self.path_lines = []
        self.env = {}
        self.summary = ""
        self.annotations = []  # (level, properties, message)
        self.masks = []
        self.failed = False
        self.failed_step = None

    def step(self, step_id):
        return next(s for s in self.steps if s.id == step_id)

    def log(self):
        parts = []
        for s in self.steps:
            parts.append("== %s (%s) [%s rc=%s]" % (s.name, s.id, s.outcome, s.rc))
            if s.outputs:
                parts.append("   outputs: %r" % (s.outputs,))
            if s.stdout.strip():
                parts.append(s.stdout.rstrip())
            if s.stderr.strip():
                parts.append("-- stderr --\n" + s.stderr.rstrip())
        return "\n".join(parts)

    def errors(self):
        return [m for lvl, _, m in self.annotations if lvl == "error"]

    def __str__(self):
        return "failed=%s at %s\noutputs=%r\n%s" % (self.failed, self.failed_step, self.outputs, self.log())


class Runner:
    """Runs the composite action in ``action_dir`` on ``machine`` (see the module doc)."""

    def __init__(self, action_dir, machine, cache_store, github=None, env=None, stubs=None,
                 input_env=True, timeout=300):
        with open(os.path.join(action_dir, "action.yml"), encoding="utf-8") as f:
            text = f.read()
        import miniyaml
        self.action = miniyaml.load(text)
        self.action_dir = action_dir
        self.machine = machine
        self.cache = cache_store
        self.github = dict(github or {})
        self.github.setdefault("action_path", action_dir)
        self.github.setdefault("workspace", machine.workspace)
        self.env = dict(env or {})
        self.stubs = stubs or {}
        self.input_env = input_env
        self.timeout = timeout
        if self.action.get("runs", {}).get("using") != "composite":
            raise ValueError("not a composite action")

    def runner_ctx(self):
        m = self.machine
        return {"os": m.os, "arch": m.arch, "temp": m.temp, "tool_cache": m.tool_cache,
                "name": "emulated", "environment": "github-hosted"}

    def job_env(self):
        m = self.machine
        env = {
            "HOME": m.home, "LANG": "C.UTF-8", "CI": "true", "GITHUB_ACTIONS": "true",
            "RUNNER_OS": m.os, "RUNNER_ARCH": m.arch, "RUNNER_TEMP": m.temp,
            "RUNNER_TOOL_CACHE": m.tool_cache, "RUNNER_NAME": "emulated",
            "GITHUB_WORKSPACE": m.workspace,
        }
        for k in ("api_url", "server_url", "repository", "run_id", "run_attempt", "sha", "ref",
                  "event_name", "job", "actor"):
            if k in self.github:
                env["GITHUB_" + k.upper()] = to_str(self.github[k])
        env.update(self.env)
        return env

    def run(self, with_inputs=None):
        res = Result()
        declared = self.action.get("inputs") or {}
        given = {k.lower(): to_str(v) for k, v in (with_inputs or {}).items()}
        for k in given:
            if k not in {d.lower() for d in declared}:
                raise ValueError("unknown input %r" % k)
        base_ctx = {"github": self.github, "runner": self.runner_ctx(), "env": {}, "steps": {},
                    "inputs": {}}
        inputs = {}
        for name, spec in declared.items():
            spec = spec or {}
            if name.lower() in given:
                inputs[name] = given[name.lower()]
            else:
                inputs[name] = interpolate(spec.get("default"), base_ctx)
        env = self.job_env()
        if self.input_env:
            for name, value in inputs.items():
                env["INPUT_" + name.replace(" ", "_").upper()] = value
        extra_path = []
        steps_ctx = {}
        status = {"failed": False}
        for index, step in enumerate(self.action["runs"]["steps"]):
            rec = StepRecord(index, step)
            res.steps.append(rec)
            ctx = {"github": self.github, "runner": self.runner_ctx(), "inputs": inputs,
                   "steps": steps_ctx, "env": dict(env)}
            if condition(step.get("if"), ctx, status):
                self._run_step(step, rec, ctx, env, extra_path, res)
                if rec.outcome == "failure":
                    status["failed"] = True
                    if res.failed_step is None:
                        res.failed_step = rec.id
            steps_ctx[rec.id] = {"outputs": rec.outputs, "outcome": rec.outcome,
                                 "conclusion": rec.outcome}
        res.failed = status["failed"]
        ctx = {"github": self.github, "runner": self.runner_ctx(), "inputs": inputs,
               "steps": steps_ctx, "env": dict(env)}
        for name, spec in (self.action.get("outputs") or {}).items():
            res.outputs[name] = interpolate((spec or {}).get("value"), ctx)
        res.path_lines = list(reversed(extra_path))
        return res

    def _run_step(self, step, rec, ctx, env, extra_path, res):
        if rec.id in self.stubs:
            rec.outputs = {k: to_str(v) for k, v in self.stubs[rec.id].items()}
            rec.outcome = "success"
            rec.rc = 0
            return
        if "uses" in step:
            self._uses(step, rec, ctx, res)
            return
        script = step.get("run")
        if script is None:
            raise ValueError("step %s has neither run nor uses" % rec.id)
        if "${{" in script:
            raise ValueError("step %s pastes an expression into its script" % rec.id)
        if step.get("shell") != "bash":
            raise ValueError("step %s: only shell: bash is emulated (got %r)" % (rec.id, step.get("shell")))
        m = self.machine
        files = {}
        for name in ("GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_PATH", "GITHUB_STEP_SUMMARY"):
            files[name] = os.path.join(m.temp, "_runner_file_commands", "%s_%s" % (name.lower(), uuid.uuid4().hex))
            os.makedirs(os.path.dirname(files[name]), exist_ok=True)
            open(files[name], "w").close()
        step_env = dict(env)
        for k, v in (step.get("env") or {}).items():
            step_env[k] = interpolate(v, ctx)
        step_env.update(files)
        step_env["GITHUB_ACTION_PATH"] = self.action_dir
        step_env["GITHUB_ACTION"] = rec.id
        step_env["PATH"] = os.pathsep.join(list(reversed(extra_path)) + [env.get("PATH", os.defpath)])
        cwd = m.workspace
        if step.get("working-directory") is not None:
            cwd = os.path.join(m.workspace, interpolate(step["working-directory"], ctx))
        if not os.path.isdir(cwd):
            rec.rc, rec.outcome = 1, "failure"
            rec.stderr = "##[error]working-directory %s does not exist" % cwd
            res.annotations.append(("error", "", "working-directory %s does not exist" % cwd))
            return
        script_path = os.path.join(m.temp, "%s.sh" % uuid.uuid4())
        with open(script_path, "w") as f:
            f.write(script)
        try:
            p = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", script_path],
                               env=step_env, cwd=cwd, capture_output=True, timeout=self.timeout,
                               stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as e:
            raise AssertionError("step %s timed out after %ss\n%s\n%s" % (
                rec.id, self.timeout, (e.stdout or b"").decode(errors="replace"),
                (e.stderr or b"").decode(errors="replace")))
        rec.rc = p.returncode
        rec.stdout = p.stdout.decode(errors="replace")
        rec.stderr = p.stderr.decode(errors="replace")
        for line in (rec.stdout + "\n" + rec.stderr).split("\n"):
            mm = _COMMAND.match(line.rstrip("\r"))
            if not mm:
                continue
            cmd, props, msg = mm.group(1), mm.group(2) or "", _unescape(mm.group(3))
            if cmd in ("error", "warning", "notice"):
                res.annotations.append((cmd, props, msg))
            elif cmd == "add-mask":
                res.masks.append(msg)
        rec.outputs = parse_env_file(files["GITHUB_OUTPUT"])
        for k, v in parse_env_file(files["GITHUB_ENV"]).items():
            env[k] = v
            res.env[k] = v
        with open(files["GITHUB_PATH"]) as f:
            for line in f.read().split("\n"):
                if line.strip():
                    extra_path.append(line.strip())
        with open(files["GITHUB_STEP_SUMMARY"]) as f:
            res.summary += f.read()
        rec.outcome = "success" if p.returncode == 0 else "failure"

    def _uses(self, step, rec, ctx, res):
        uses = step["uses"]
        action, _, ref = uses.partition("@")
        args = {k: interpolate(v, ctx) for k, v in (step.get("with") or {}).items()}
        paths = [p.strip() for p in args.get("path", "").split("\n") if p.strip()]
        for p in paths:
            if not os.path.isabs(p) or any(c in p for c in "*?[!"):
                raise ValueError("step %s: only absolute paths without globs are emulated: %r" % (rec.id, p))
        rec.rc = 0
        rec.outcome = "success"
        if action == "actions/cache/restore":
            key = args.get("key", "")
            restore_keys = [k.strip() for k in args.get("restore-keys", "").split("\n") if k.strip()]
            rec.outputs["cache-primary-key"] = key
            matched, exact = self.cache.restore(key, restore_keys, paths)
            if matched is None:
                rec.stdout = "Cache not found for input keys: %s" % ", ".join([key] + restore_keys)
            else:
                rec.outputs["cache-hit"] = "true" if exact else "false"
                rec.outputs["cache-matched-key"] = matched
                rec.stdout = "Cache restored from key: %s" % matched
        elif action == "actions/cache/save":
            warning = self.cache.save(args.get("key", ""), paths)
            if warning:
                res.annotations.append(("warning", "", warning))
                rec.stdout = warning
            else:
                rec.stdout = "Cache saved with key: %s" % args.get("key")
        else:
            raise ValueError("step %s: uses %r is not emulated" % (rec.id, uses))
