"""Deterministic bytes of every release asset the fake GitHub serves.

Shared by the fixture generator (tests/fixtures/gen_releases.py, which records
size and digest of these bytes in the release JSON) and by the test server
(ghserver.py, which serves them), so the two can never disagree.

What an asset contains, by name:

* ``wash-<triple>`` (every platform, the Windows one included): a POSIX shell
  script that prints ``wash <version>`` whatever its arguments and exits 0,
  followed by a comment line naming repository, tag and asset, so every asset
  of every release has different bytes and a different digest::

      #!/bin/sh
      echo "wash 2.7.0"
      exit 0
      # fake wash for setup-wash tests: wasmCloud/wasmCloud v2.7.0 wash-x86_64-unknown-linux-musl

  The version is the one the real binary reports, which can lag its tag
  (``wash-v2.0.0-rc.3`` reports ``1.0.0-rc.2``).
* ``wash-x86_64-pc-windows-msvc.zip``: a stored (uncompressed, so independent
  of the zlib build) zip with one member ``wash.exe`` holding the script,
  timestamps fixed at 1980-01-01.
* ``wash.sigstore.json``: a FAKE Sigstore bundle (unsigned; it will not verify)
  whose DSSE payload is an in-toto statement listing every ``wash-<triple>``
  binary of the release with its real sha256 as subject.
* anything else (host, runtime-operator, ...): one text line naming it.
"""

import base64
import hashlib
import io
import json
import re
import zipfile

BASE_TARGETS = (
    "x86_64-unknown-linux-musl",
    "aarch64-unknown-linux-musl",
    "x86_64-apple-darwin",
    "aarch64-apple-darwin",
    "x86_64-pc-windows-msvc",
)

# Versions whose binary reports something else than its tag says.
REPORTED_VERSION_OVERRIDES = {"wash-v2.0.0-rc.3": "1.0.0-rc.2"}

_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?$"
)


def semver_key(version):
    """Sort key implementing semver 2.0.0 precedence; None if not semver.

    Prerelease parts compare numerically when numeric (rc.10 > rc.9), numeric
    parts sort before alphanumeric ones, and a release sorts after all of its
    prereleases.
    """
    m = _SEMVER.match(version)
    if not m:
        return None
    core = tuple(int(x) for x in m.group(1, 2, 3))
    if m.group(4) is None:
        return core + ((1,),)
    parts = tuple(
        (0, int(p), "") if p.isdigit() else (1, 0, p) for p in m.group(4).split(".")
    )
    return core + ((0,) + parts,)


def version_of_tag(tag):
    """The semver a release tag names: ``wash-v2.0.0-rc.8`` and ``v2.0.0`` -> ``2.0.0...``.

    Returns None for tags that are not ``v<semver>`` or ``wash-v<semver>``.
    """
    for prefix in ("wash-v", "v"):
        if tag.startswith(prefix) and semver_key(tag[len(prefix):]):
            return tag[len(prefix):]
    return None


def reported_version(tag):
    """What ``wash --version`` of the binary released under ``tag`` prints after ``wash ``."""
    return REPORTED_VERSION_OVERRIDES.get(tag) or version_of_tag(tag) or tag


def wash_asset_names(version):
    """The asset names a wash release of ``version`` carries (facts section 2), sorted."""
    key = semver_key(version)
    names = ["wash-" + t for t in BASE_TARGETS]
    if key >= semver_key("2.0.2"):
        names.append("wash-x86_64-pc-windows-msvc.zip")
    if key >= semver_key("2.0.5"):
        names += ["wash-x86_64-unknown-linux-gnu", "wash-aarch64-unknown-linux-gnu"]
    if key >= semver_key("2.1.0"):
        names.append("wash.sigstore.json")
    if key >= semver_key("2.5.0"):
        names.append("wash-s390x-unknown-linux-gnu")
    return sorted(names)


def is_wash_binary(name):
    """True for ``wash-<triple>`` assets (not the zip, not the bundle)."""
    return name.startswith("wash-") and not name.endswith((".zip", ".json"))


def wash_script(owner, repo, tag, name):
    """The fake wash binary: a shell script printing the reported version."""
    return (
        "#!/bin/sh\n"
        'echo "wash %s"\n'
        "exit 0\n"
        "# fake wash for setup-wash tests: %s/%s %s %s\n"
        % (reported_version(tag), owner, repo, tag, name)
    ).encode()


def zip_of(member, data):
    """A deterministic stored zip holding ``data`` as ``member`` (mode 0755)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        info = zipfile.ZipInfo(member, date_time=(1980, 1, 1, 0, 0, 0))
        info.create_system = 3
        info.external_attr = 0o100755 << 16
        zf.writestr(info, data)
    return buf.getvalue()


def fake_sigstore_bundle(owner, repo, tag, names):
    """A FAKE (unsigned) Sigstore bundle whose statement lists the release's wash binaries."""
    subjects = [
        {"name": n, "digest": {"sha256": hashlib.sha256(wash_script(owner, repo, tag, n)).hexdigest()}}
        for n in sorted(names)
        if is_wash_binary(n)
    ]
    workflow = "https://github.com/%s/%s/.github/workflows/release-tag.yml@refs/heads/main" % (owner, repo)
    statement = {
        "_type": "https://in-toto.io/Statement/v1",
        "subject": subjects,
        "predicateType": "https://slsa.dev/provenance/v1",
        "predicate": {"runDetails": {"builder": {"id": workflow}}, "note": "fake, for tests: " + tag},
    }
    bundle = {
        "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
        "verificationMaterial": {"certificate": {"rawBytes": base64.b64encode(b"not a certificate").decode()},
                                 "tlogEntries": []},
        "dsseEnvelope": {
            "payload": base64.b64encode(json.dumps(statement, sort_keys=True).encode()).decode(),
            "payloadType": "application/vnd.in-toto+json",
            "signatures": [{"sig": base64.b64encode(b"not a signature").decode()}],
        },
    }
    return (json.dumps(bundle, indent=2, sort_keys=True) + "\n").encode()


def asset_bytes(owner, repo, tag, name, release_asset_names=()):
    """The bytes of asset ``name`` of release ``tag`` in ``owner/repo``.

    ``release_asset_names`` (all asset names of that release) is only used for
    ``wash.sigstore.json``, whose subjects are the release's binaries.
    """
    if name == "wash-x86_64-pc-windows-msvc.zip":
        return zip_of("wash.exe", wash_script(owner, repo, tag, name))
    if name == "wash.sigstore.json":
        return fake_sigstore_bundle(owner, repo, tag, release_asset_names)
    if is_wash_binary(name):
        return wash_script(owner, repo, tag, name)
    return ("not wash: fake asset for setup-wash tests: %s/%s %s %s\n" % (owner, repo, tag, name)).encode()


def content_type(name):
    """The Content-Type GitHub records for an asset of this name."""
    if name.endswith(".zip"):
        return "application/zip"
    if name.endswith(".json"):
        return "application/json"
    return "application/octet-stream"


def sha256_digest(data):
    """``sha256:<hex>`` as in the REST API ``digest`` field."""
    return "sha256:" + hashlib.sha256(data).hexdigest()
