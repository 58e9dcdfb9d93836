"""Release data and asset bodies for the fake GitHub server (ghserver.py).

The store holds the committed fixtures (tests/fixtures/releases/<owner>_<repo>.json)
and merges in what the control file adds at run time. Nothing here does HTTP.

Control file (JSON, re-read by the server on every request; write it atomically)::

    {
      "rules": [...],                       # fault rules, see ghserver.py
      "rules_id": 3,                        # optional; a new value resets the rule counters
      "extra_releases": {"owner/repo": [release, ...]},
      "require_token": {"owner/repo": "TOKEN"},  # private repo: 404 without that token
      "attestations": {"<sha256 hex>": [entry, ...]}   # the attestations API, see below
    }

``attestations`` answers ``GET {api}/repos/{o}/{r}/attestations/sha256:{hex}`` (for any
repository) with ``{"attestations": [...]}``, one element per entry, in order; an entry is
``{"bundle_file": path}`` (served inline as ``{"bundle": <that JSON>}``; relative paths are
relative to the control file), ``{"bundle": {...}}`` (inline as given) or
``{"bundle_url": URL}`` (served as ``{"bundle": null, "bundle_url": URL}``). A digest the
control file does not name falls back to the attestations of the signed fixtures (see
``sign_fixtures``); one named with an empty list, or unknown, answers 404.

An extra release needs only ``tag_name``; everything else gets a default
(id, name = tag, draft/prerelease false, dates 2026-12-01, URLs). Extra releases
come first in the repo's list, in the order given, and hide fixture releases
with the same tag. An extra asset needs only ``name``; its bytes come from the
first of these keys present:

* ``content_b64``: base64 of the bytes;
* ``content_file``: a path (relative ones are relative to the control file);
* ``content_size_random_seed``: ``[size, seed]``: ``size`` deterministic
  pseudo-random bytes, generated and streamed in 1 MiB chunks (never held in
  memory), optionally starting with ``content_prefix_b64``;
* none: ``ghassets.asset_bytes`` (the standard fake for that name).

``size`` and ``digest`` are computed from the bytes unless given: a given
``digest`` (even null) or ``size`` is published as is, while the download still
serves the real bytes, so tests can publish a wrong digest. Digests of large
bodies are computed once, by streaming, and cached.
"""

import base64
import hashlib
import json
import os
import random
import threading
import subprocess
import zlib
from urllib.parse import quote

import ghassets

CHUNK = 1 << 20
DEFAULT_DATE = "2026-12-01T12:00:00Z"
_CONTENT_KEYS = ("content_b64", "content_file", "content_size_random_seed", "content_prefix_b64")


class BytesBody:
    """A body held in memory."""

    def __init__(self, data):
        self.data = bytes(data)
        self.size = len(self.data)
        self.key = ("bytes", hashlib.sha256(self.data).hexdigest())

    def iter_range(self, start, end):
        for off in range(start, end, CHUNK):
            yield self.data[off:min(off + CHUNK, end)]


class FileBody:
    """A body streamed from a file."""

    def __init__(self, path):
        st = os.stat(path)
        self.path, self.size = path, st.st_size
        self.key = ("file", path, st.st_size, st.st_mtime_ns)

    def iter_range(self, start, end):
        with open(self.path, "rb") as f:
            f.seek(start)
            while start < end:
                data = f.read(min(CHUNK, end - start))
                if not data:
                    raise IOError("%s shrank while serving it" % self.path)
                start += len(data)
                yield data


class GeneratedBody:
    """``size`` deterministic pseudo-random bytes (chunk i seeded by "<seed>:<i>"), after a prefix."""

    def __init__(self, size, seed, prefix=b""):
        self.size, self.seed, self.prefix = int(size), seed, bytes(prefix)
        self.key = ("random", self.size, str(seed), hashlib.sha256(self.prefix).hexdigest())

    def _chunk(self, i):
        data = random.Random("%s:%d" % (self.seed, i)).randbytes(CHUNK)
        if i * CHUNK < len(self.prefix):
            head = self.prefix[i * CHUNK:(i + 1) * CHUNK]
            data = head + data[len(head):]
        return data

    def iter_range(self, start, end):
        end = min(end, self.size)
        i = start // CHUNK
        while i * CHUNK < end:
            lo, hi = max(start, i * CHUNK), min(end, (i + 1) * CHUNK)
            yield self._chunk(i)[lo - i * CHUNK:hi - i * CHUNK]
            i += 1


_digest_cache = {}
_digest_lock = threading.Lock()


def digest_of(body):
    """``sha256:<hex>`` of a body, computed once per distinct body by streaming."""
    with _digest_lock:
        if body.key not in _digest_cache:
            h = hashlib.sha256()
            for chunk in body.iter_range(0, body.size):
                h.update(chunk)
            _digest_cache[body.key] = "sha256:" + h.hexdigest()
        return _digest_cache[body.key]


def repo_id(full_name):
    """A stable numeric id for a repository (used in Link URLs like GitHub's /repositories/{id})."""
    return 100000000 + zlib.crc32(full_name.lower().encode()) % 800000000


class Repo:
    """One repository: ``releases`` (JSON dicts, github.com URLs) and ``bodies[(tag, name)]``."""

    def __init__(self, owner, name, releases, bodies):
        self.owner, self.name = owner, name
        self.full_name = owner + "/" + name
        self.id = repo_id(self.full_name)
        self.releases, self.bodies = releases, bodies

    def visible(self, authorized):
        """Releases as a list shows them: drafts only to an authorized client."""
        return [r for r in self.releases if authorized or not r.get("draft")]

    def by_tag(self, tag):
        for r in self.releases:
            if r["tag_name"] == tag and not r.get("draft"):
                return r
        return None

    def latest(self):
        """Newest (by created_at) release that is neither draft nor flagged prerelease, like GitHub."""
        ok = [r for r in self.releases if not r.get("draft") and not r.get("prerelease")]
        return max(ok, key=lambda r: r.get("created_at") or "", default=None)

    def asset_by_id(self, asset_id):
        for r in self.releases:
            for a in r["assets"]:
                if a["id"] == asset_id:
                    return r, a
        return None, None


def load_fixtures(directory):
    """Repos from ``<owner>_<repo>.json`` files, keyed by lower-case full name.

    Raises ValueError if a published size or digest differs from ghassets' bytes
    (the fixtures are stale: rerun tests/fixtures/gen_releases.py).
    """
    repos = {}
    for fn in sorted(os.listdir(directory)):
        if not fn.endswith(".json") or "_" not in fn:
            continue
        owner, name = fn[:-5].split("_", 1)
        with open(os.path.join(directory, fn)) as f:
            releases = json.load(f)
        bodies = {}
        for r in releases:
            names = [a["name"] for a in r["assets"]]
            for a in r["assets"]:
                body = BytesBody(ghassets.asset_bytes(owner, name, r["tag_name"], a["name"], names))
                if body.size != a["size"] or ghassets.sha256_digest(body.data) != a["digest"]:
                    raise ValueError("%s: %s %s: size/digest differ from ghassets; rerun gen_releases.py"
                                     % (fn, r["tag_name"], a["name"]))
                bodies[r["tag_name"], a["name"]] = body
        repos[(owner + "/" + name).lower()] = Repo(owner, name, releases, bodies)
    return repos


def _body_for(asset, owner, name, tag, names, base_dir):
    if "content_b64" in asset:
        return BytesBody(base64.b64decode(asset["content_b64"]))
    if "content_file" in asset:
        return FileBody(os.path.join(base_dir, asset["content_file"]))
    if "content_size_random_seed" in asset:
        size, seed = asset["content_size_random_seed"]
        return GeneratedBody(size, seed, base64.b64decode(asset.get("content_prefix_b64", "")))
    return BytesBody(ghassets.asset_bytes(owner, name, tag, asset["name"], names))


def _normalize_release(rel, owner, name, base_dir, bodies):
    """Fill defaults of one extra release; records asset bodies in ``bodies``."""
    tag = rel["tag_name"]
    full = owner + "/" + name
    rid = rel.get("id", 95000000 + zlib.crc32((full + "@" + tag).encode()) % 1000000)
    qtag = quote(tag, safe="")
    out = {
        "url": "https://api.github.com/repos/%s/releases/%d" % (full, rid),
        "assets_url": "https://api.github.com/repos/%s/releases/%d/assets" % (full, rid),
        "html_url": "https://github.com/%s/releases/tag/%s" % (full, qtag),
        "id": rid, "tag_name": tag, "target_commitish": "main", "name": tag,
        "draft": False, "prerelease": False,
        "created_at": DEFAULT_DATE, "published_at": DEFAULT_DATE, "body": "",
    }
    out.update({k: v for k, v in rel.items() if k != "assets"})
    names = [a["name"] for a in rel.get("assets", [])]
    assets = []
    for i, a in enumerate(rel.get("assets", [])):
        body = _body_for(a, owner, name, tag, names, base_dir)
        bodies[tag, a["name"]] = body
        aid = a.get("id", rid * 100 + i + 1)
        asset = {
            "url": "https://api.github.com/repos/%s/releases/assets/%d" % (full, aid),
            "id": aid, "name": a["name"], "label": "", "state": "uploaded",
            "content_type": ghassets.content_type(a["name"]),
            "size": body.size, "digest": None, "download_count": 0,
            "created_at": out["created_at"], "updated_at": out["created_at"],
            "browser_download_url": "https://github.com/%s/releases/download/%s/%s" % (full, qtag, quote(a["name"])),
        }
        asset.update({k: v for k, v in a.items() if k not in _CONTENT_KEYS})
        if "digest" not in a:
            asset["digest"] = digest_of(body)
        assets.append(asset)
    out["assets"] = assets
    return out


# Who signs the fixture releases' bundles: a release workflow of the repository (facts 2).
def signer_of(repo_key, tag):
    """(workflow, ref) of the release ``tag`` of the repository, as in facts 2 (and
    src/data/wash.c): wash.yml at the tag up to 2.0.5, release-tag.yml from main after."""
    version = ghassets.version_of_tag(tag)
    key = version and ghassets.semver_key(version)
    if repo_key == "wasmcloud/wash" or tag.startswith("wash-v"):
        return "wash.yml", "refs/tags/" + tag
    if key and key <= ghassets.semver_key("2.0.5"):
        return "wash.yml", "refs/tags/" + tag
    return "release-tag.yml", "refs/heads/main"
ATTESTED_SINCE = "1.0.0-beta.9"


def _attested(tag):
    version = ghassets.version_of_tag(tag)
    key = version and ghassets.semver_key(version)
    return bool(key) and key[0] >= 1 and key >= ghassets.semver_key(ATTESTED_SINCE)


def sign_fixtures(repos, tool, outdir):
    """Sign every attested fixture release (1.0.0-beta.9 and later) with ``tool`` (tests/tools/
    sw_forge_bundle): one bundle a release listing all its ``wash-*`` assets, which replaces the
    fake ``wash.sigstore.json`` where the release has one (its published size and digest
    follow) and answers the attestations API for each of its subjects.

    Returns ``(trusted_root_path, {sha256 hex: [bundle bytes]})``.
    """
    os.makedirs(outdir, exist_ok=True)
    spec, made = {"root": "trusted_root.json", "bundles": []}, []
    for key, repo in sorted(repos.items()):
        for rel in repo.releases:
            if not _attested(rel["tag_name"]):
                continue
            workflow, ref = signer_of(key, rel["tag_name"])
            subjects = [{"name": a["name"], "sha256": a["digest"][7:]} for a in rel["assets"]
                        if a["name"].startswith("wash-") and a.get("digest")]
            if not subjects:
                continue
            name = "%s_%s.json" % (key.replace("/", "_"), rel["tag_name"].replace("/", "_"))
            spec["bundles"].append({"file": name, "repository": repo.full_name, "workflow": workflow,
                                    "ref": ref, "subjects": subjects})
            made.append((repo, rel, name, subjects))
    spec_path = os.path.join(outdir, "spec.json")
    with open(spec_path, "w") as f:
        json.dump(spec, f)
    r = subprocess.run([tool, spec_path, outdir], capture_output=True, text=True)
    if r.returncode != 0:
        raise ValueError("%s failed: %s" % (tool, r.stderr))
    attestations = {}
    for repo, rel, name, subjects in made:
        with open(os.path.join(outdir, name), "rb") as f:
            data = f.read()
        for a in rel["assets"]:
            if a["name"] == "wash.sigstore.json":
                body = BytesBody(data)
                repo.bodies[rel["tag_name"], a["name"]] = body
                a["size"], a["digest"] = body.size, digest_of(body)
        for s in subjects:
            attestations.setdefault(s["sha256"], []).append(data)
    return os.path.join(outdir, "trusted_root.json"), attestations


class Control:
    """One parsed version of the control file: rules, private repos, and the merged repos."""

    def __init__(self, data, fixtures, base_dir):
        self.base_dir = base_dir
        self.attestations = {k.lower(): v for k, v in data.get("attestations", {}).items()}
        self.rules = data.get("rules", [])
        self.rules_id = data.get("rules_id")
        self.require_token = {k.lower(): v for k, v in data.get("require_token", {}).items()}
        self.repos = dict(fixtures)
        for full, rels in data.get("extra_releases", {}).items():
            owner, name = full.split("/", 1)
            base = fixtures.get(full.lower())
            if base:
                owner, name = base.owner, base.name
            bodies = dict(base.bodies) if base else {}
            extra = [_normalize_release(r, owner, name, base_dir, bodies) for r in rels]
            tags = {r["tag_name"] for r in extra}
            rest = [r for r in (base.releases if base else []) if r["tag_name"] not in tags]
            self.repos[full.lower()] = Repo(owner, name, extra + rest, bodies)

    def repo(self, owner, name):
        return self.repos.get((owner + "/" + name).lower())

    def attestations_for(self, hex_digest, signed):
        """The attestations API's list for a digest (see the module doc), or None (404)."""
        entries = self.attestations.get(hex_digest.lower())
        if entries is None:
            return [{"bundle": json.loads(b), "repository_id": 1} for b in signed.get(hex_digest, [])] or None
        out = []
        for e in entries:
            if "bundle_file" in e:
                with open(os.path.join(self.base_dir, e["bundle_file"]), "rb") as f:
                    out.append({"bundle": json.loads(f.read()), "repository_id": 1})
            elif "bundle_url" in e:
                out.append({"bundle": None, "bundle_url": e["bundle_url"], "repository_id": 1})
            else:
                out.append({"bundle": e["bundle"], "repository_id": 1})
        return out or None

    def repo_by_id(self, rid):
        for r in self.repos.values():
            if r.id == rid:
                return r
        return None
