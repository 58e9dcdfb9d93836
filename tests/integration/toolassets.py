#!/usr/bin/env python3
"""Releases of the component toolchain (TinyGo, wasm-tools, wkg, componentize-go) for the fake
GitHub, with the real asset names and layouts (docs: toolchain-facts.md section 2; the tool
table: src/data/tools.c), built in a directory at test time.

Everything is deterministic: the same arguments give the same bytes (fixed mtimes, owners and
modes, entries sorted, gzip headers without name or time, pseudo-random content seeded), so a
digest computed once holds for the whole run.

The result is what ghserver's control file takes as ``extra_releases``
(``swtest.GitHubServer.add_releases``)::

    {"tinygo-org/tinygo": [{"tag_name": "v0.40.1", "published_at": ..., "prerelease": False,
                            "assets": [{"name": "tinygo0.40.1.linux-amd64.tar.gz",
                                        "content_file": "/tmp/.../tinygo0.40.1.linux-amd64.tar.gz"},
                                       ...]}]}

An asset entry without ``digest`` gets the real one in the API (ghstore computes it); with
``"digest": None`` the API reports ``null`` (no digest, as for assets GitHub never hashed); with a
string that string is published as is (a WRONG digest) while the download still serves the real
bytes.

What the executables print (POSIX shell scripts on every target; on Windows targets the bytes of
a fake Windows exe instead when ``windows_exe`` names one, e.g. tests/tools/fake_tool_win.c built
with mingw):

    tinygo version      -> tinygo version 0.40.1 linux/amd64 (using go version go1.25.5 and LLVM version 20.1.1)
    wasm-tools --version -> wasm-tools 1.240.0
    wkg --version       -> wkg 0.13.0
    componentize-go --version -> componentize-go 0.3.4

Each script ends with a comment naming repository, tag and asset, so every asset of every release
has its own digest.

Main entry points:

* ``releases(workdir, tools=None, extra_files=50, windows_exe=None)``: every version of
  VERSIONS plus the moving tags (TinyGo ``v0.42.0-dev``, wkg ``dev``, componentize-go
  ``canary``) and wasm-tools' old ``wasm-tools-1.0.60``, as ``{"owner/repo": [release, ...]}``.
* ``release(workdir, tool, version, ...)``: one release, with knobs for digests (omitted or
  wrong), checksums.txt (a line missing, a wrong hash), hostile archives, dates.
* ``hostile_release(workdir, tool, version, target, kind, outside)``: a release whose asset for
  ``target`` is a hostile archive (a link leaving the root, a ``..`` entry, an absolute path).
* ``table_assets(tool, version)`` / ``asset_name(tool, version, target)``: what the tool table
  says (asset name per target), restated here so the tests check the C table against it.
* ``forge_attestations(workdir, forge_tool, releases)``: Sigstore bundles (tests/tools/
  sw_forge_bundle) for the attested wasm-tools releases, as the control file's ``attestations``.
* ``write_big_tinygo(out, ...)``: a synthetic big TinyGo tar.gz for benchmarks
  (``python3 toolassets.py big-tinygo OUT.tar.gz``).
"""

import argparse
import gzip
import hashlib
import io
import json
import os
import random
import stat
import subprocess
import sys
import tarfile
import zipfile

MTIME = 1735689600          # 2025-01-01T00:00:00Z: every entry's time
ZIP_TIME = (2025, 1, 1, 0, 0, 0)

REPOS = {
    "tinygo": "tinygo-org/tinygo",
    "wasm-tools": "bytecodealliance/wasm-tools",
    "wkg": "bytecodealliance/wasm-pkg-tools",
    "componentize-go": "bytecodealliance/componentize-go",
}
TOOLS = tuple(REPOS)

# Rust targets --target takes (src/data/tools.c sw_tool_targets), in that order.
TARGETS = (
    "x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu", "x86_64-unknown-linux-musl",
    "aarch64-unknown-linux-musl", "x86_64-apple-darwin", "aarch64-apple-darwin",
    "x86_64-pc-windows-msvc", "aarch64-pc-windows-msvc",
)

# Versions and release dates (toolchain-facts.md section 2; dates the facts do not give are
# plausible ones between their neighbours).
VERSIONS = {
    "tinygo": [("0.39.0", "2025-08-14T10:00:00Z"), ("0.40.0", "2025-12-02T10:00:00Z"),
               ("0.40.1", "2025-12-19T10:00:00Z"), ("0.41.0", "2026-04-20T10:00:00Z"),
               ("0.41.1", "2026-04-22T10:00:00Z")],
    "wasm-tools": [("1.226.0", "2025-02-19T18:00:00Z"), ("1.240.0", "2025-10-08T18:00:00Z"),
                   ("1.241.2", "2025-11-14T18:00:00Z"), ("1.244.0", "2026-01-06T18:00:00Z")],
    "wkg": [("0.13.0", "2025-11-10T16:00:00Z"), ("0.15.1", "2026-03-18T16:00:00Z"),
            ("0.16.0", "2026-07-27T16:00:00Z")],
    "componentize-go": [("0.3.3", "2026-05-12T09:00:00Z"), ("0.3.4", "2026-05-21T09:00:00Z")],
}
LATEST = {t: v[-1][0] for t, v in VERSIONS.items()}

# wasm-tools' tags before 1.200.0 are wasm-tools-1.0.N.
WASM_TOOLS_OLD = ("1.0.60", "2024-02-26T18:00:00Z")

# Moving tags, never candidates; each newer-looking than every real release, and published last.
MOVING = {
    # TinyGo: a -dev prerelease TAG, not flagged prerelease (the flag is not to be trusted)
    "tinygo": {"tag": "v0.42.0-dev", "version": "0.42.0-dev", "prerelease": False,
               "published_at": "2026-11-30T10:00:00Z"},
    # wkg: the moving "dev" prerelease; its binaries report a newer version
    "wkg": {"tag": "dev", "version": "0.17.0-dev", "prerelease": True,
            "published_at": "2026-11-30T10:00:00Z", "name": "wkg 0.17.0-dev (moving)"},
    # componentize-go: the moving "canary" release, not flagged prerelease
    "componentize-go": {"tag": "canary", "version": "0.4.0-canary", "prerelease": False,
                        "published_at": "2026-11-30T10:00:00Z", "name": "canary 0.4.0"},
}

# What `tinygo version` reports beside the TinyGo version.
_TINYGO_GO_LLVM = {
    "0.39.0": ("go1.25.0", "19.1.2"), "0.40.0": ("go1.25.5", "20.1.1"),
    "0.40.1": ("go1.25.5", "20.1.1"), "0.41.0": ("go1.26.2", "20.1.1"),
    "0.41.1": ("go1.26.2", "20.1.1"), "0.42.0": ("go1.26.3", "20.1.1"),
    "0.42.0-dev": ("go1.26.3", "20.1.1"),
}

WRONG_DIGEST = "sha256:" + hashlib.sha256(b"not the asset").hexdigest()


# ---- the tool table, restated ---------------------------------------------------------------

def _vkey(v):
    """Sort key of a plain X.Y.Z (with an optional -pre, sorted before the release)."""
    core, _, pre = v.partition("-")
    return tuple(int(x) for x in core.split(".")) + ((0, pre) if pre else (1, ""),)


def _since(version, minimum):
    return minimum is None or _vkey(version) >= _vkey(minimum)


# (target, asset pattern, first version) per tool, as src/data/tools.c has them.
_TABLE = {
    "tinygo": [
        ("x86_64-unknown-linux-gnu", "tinygo{v}.linux-amd64.tar.gz", None),
        ("aarch64-unknown-linux-gnu", "tinygo{v}.linux-arm64.tar.gz", None),
        ("x86_64-apple-darwin", "tinygo{v}.darwin-amd64.tar.gz", None),
        ("aarch64-apple-darwin", "tinygo{v}.darwin-arm64.tar.gz", None),
        ("x86_64-pc-windows-msvc", "tinygo{v}.windows-amd64.zip", None),
    ],
    "wasm-tools": [
        ("x86_64-unknown-linux-gnu", "wasm-tools-{v}-x86_64-linux.tar.gz", None),
        ("aarch64-unknown-linux-gnu", "wasm-tools-{v}-aarch64-linux.tar.gz", None),
        ("x86_64-unknown-linux-musl", "wasm-tools-{v}-x86_64-musl.tar.gz", "1.236.0"),
        ("aarch64-unknown-linux-musl", "wasm-tools-{v}-aarch64-musl.tar.gz", "1.236.0"),
        ("x86_64-apple-darwin", "wasm-tools-{v}-x86_64-macos.tar.gz", None),
        ("aarch64-apple-darwin", "wasm-tools-{v}-aarch64-macos.tar.gz", None),
        ("x86_64-pc-windows-msvc", "wasm-tools-{v}-x86_64-windows.zip", None),
        ("aarch64-pc-windows-msvc", "wasm-tools-{v}-aarch64-windows.zip", "1.244.0"),
    ],
    "wkg": [
        ("x86_64-unknown-linux-gnu", "wkg-x86_64-unknown-linux-gnu", None),
        ("aarch64-unknown-linux-gnu", "wkg-aarch64-unknown-linux-gnu", None),
        ("x86_64-apple-darwin", "wkg-x86_64-apple-darwin", None),
        ("aarch64-apple-darwin", "wkg-aarch64-apple-darwin", None),
        ("x86_64-pc-windows-msvc", "wkg-x86_64-pc-windows-gnu", None),
    ],
    "componentize-go": [
        ("x86_64-unknown-linux-gnu", "componentize-go-linux-amd64.tar.gz", None),
        ("x86_64-unknown-linux-musl", "componentize-go-linux-amd64.tar.gz", None),
        ("aarch64-unknown-linux-gnu", "componentize-go-linux-arm64.tar.gz", None),
        ("aarch64-unknown-linux-musl", "componentize-go-linux-arm64.tar.gz", None),
        ("x86_64-apple-darwin", "componentize-go-darwin-amd64.tar.gz", None),
        ("aarch64-apple-darwin", "componentize-go-darwin-arm64.tar.gz", None),
        ("x86_64-pc-windows-msvc", "componentize-go-windows-amd64.zip", None),
    ],
}

# Assets the releases carry that no target of the table takes.
_EXTRA_ASSETS = {
    "tinygo": [("tinygo_{v}_amd64.deb", None), ("tinygo_{v}_arm64.deb", None),
               ("tinygo{v}.linux-arm.tar.gz", None)],
    "wasm-tools": [("wasm-tools-{v}-riscv64-linux.tar.gz", "1.246.0")],
    "wkg": [("wkg-riscv64gc-unknown-linux-gnu", "0.16.0")],
    "componentize-go": [],
}

# The executable relative to the tool's root (without .exe), and the PATH dir.
EXE = {"tinygo": "bin/tinygo", "wasm-tools": "wasm-tools", "wkg": "wkg",
       "componentize-go": "componentize-go"}
BIN = {"tinygo": "bin", "wasm-tools": "", "wkg": "", "componentize-go": ""}

# Where the attestations start to be checked (src/data/tools.c attested_since), and the signer.
ATTESTED_SINCE = {"wasm-tools": "1.241.2"}
SIGNER = {"wasm-tools": ("publish.yml", "refs/heads/main")}


def tag_of(tool, version):
    """The release tag of a version: v0.40.1, wasm-tools-1.0.60 (wasm-tools before 1.200.0)."""
    if tool == "wasm-tools" and _vkey(version) < _vkey("1.200.0"):
        return "wasm-tools-" + version
    return "v" + version


def is_windows(target):
    return "-windows-" in target


def table_assets(tool, version):
    """{asset name: [targets, in TARGETS order]} of the tool table at ``version``."""
    out = {}
    for target, pattern, since in _TABLE[tool]:
        if _since(version, since):
            out.setdefault(pattern.format(v=version), []).append(target)
    for names in out.values():
        names.sort(key=TARGETS.index)
    return out


def asset_name(tool, version, target):
    """The asset the table takes for ``target`` at ``version``, or None (no build)."""
    for name, targets in table_assets(tool, version).items():
        if target in targets:
            return name
    return None


def table_targets(tool, version):
    """The targets the tool has a build for at ``version``, in TARGETS order."""
    return sorted({t for ts in table_assets(tool, version).values() for t in ts}, key=TARGETS.index)


def release_asset_names(tool, version):
    """Every asset name a release of ``version`` carries (the table's, the extra ones, and
    componentize-go's checksums.txt), sorted."""
    names = set(table_assets(tool, version))
    names.update(p.format(v=version) for p, since in _EXTRA_ASSETS[tool] if _since(version, since))
    if tool == "componentize-go":
        names.add("checksums.txt")
    return sorted(names)


def _goos_goarch(tool, name):
    """(os, arch) of a platform asset, Go-style (linux/amd64), for version lines."""
    n = name.lower()
    goos = "windows" if "windows" in n else "darwin" if ("darwin" in n or "macos" in n) else "linux"
    arch = "arm64" if ("arm64" in n or "aarch64" in n) else "riscv64" if "riscv64" in n else \
        "arm" if "linux-arm." in n else "amd64"
    return goos, arch


def _is_windows_asset(name):
    return "windows" in name


# ---- executables ---------------------------------------------------------------------------

def version_line(tool, version, asset=None):
    """What the tool prints for its version (``tinygo version``, ``X --version``)."""
    if tool == "tinygo":
        goos, arch = _goos_goarch(tool, asset or "linux-amd64")
        go, llvm = _TINYGO_GO_LLVM.get(version, ("go1.25.5", "20.1.1"))
        return "tinygo version %s %s/%s (using go version %s and LLVM version %s)" % (
            version, goos, arch, go, llvm)
    return "%s %s" % (tool, version)


def script(tool, version, repo, tag, asset, program=None):
    """The fake executable: a POSIX shell script answering like the real program."""
    program = program or tool
    line = version_line(tool, version, asset)
    if program == "tinygo":
        body = ('case "$1" in\n'
                '  version) echo "%s"; exit 0 ;;\n'
                '  env) [ "$2" = TINYGOROOT ] && { cd "$(dirname "$0")/.." && pwd; exit 0; } ;;\n'
                'esac\n'
                'echo "error: unknown command: $1" >&2\nexit 1\n' % line)
    elif program == "wasm-opt":
        body = 'echo "wasm-opt version 123"\nexit 0\n'
    else:
        body = ('case "$1" in\n'
                '  --version|-V) echo "%s"; exit 0 ;;\n'
                'esac\n'
                'echo "%s: fake for setup-wash tests" >&2\nexit 1\n' % (line, program))
    return ("#!/bin/sh\n%s# fake %s for setup-wash tests: %s %s %s\n"
            % (body, program, repo, tag, asset)).encode()


def _exe_bytes(tool, version, repo, tag, asset, program, windows_exe):
    if windows_exe and _is_windows_asset(asset):
        with open(windows_exe, "rb") as f:
            return f.read()
    return script(tool, version, repo, tag, asset, program)


# ---- archives ------------------------------------------------------------------------------

class Entry:
    """One archive member: a file (data), a directory (data None, dir True), or a link."""

    def __init__(self, name, data=None, mode=0o644, is_dir=False, symlink=None, hardlink=None):
        self.name, self.data, self.mode = name, data, mode
        self.is_dir, self.symlink, self.hardlink = is_dir, symlink, hardlink


def _with_dirs(entries):
    """Adds the directory entries the files need (like a real tar/zip of a tree), sorted."""
    names = {e.name.rstrip("/") for e in entries}
    dirs = set()
    for e in entries:
        parts = e.name.strip("/").split("/")[:-1]
        if e.name.startswith("/") or ".." in parts:
            continue  # hostile names: no parent entries for them
        for i in range(1, len(parts) + 1):
            d = "/".join(parts[:i])
            if d not in names:
                dirs.add(d)
    out = list(entries) + [Entry(d + "/", mode=0o755, is_dir=True) for d in dirs]
    return sorted(out, key=lambda e: e.name.rstrip("/"))


def write_tar_gz(path, entries, level=9):
    """A deterministic .tar.gz (GNU format, owner root, fixed mtime, no gzip name or time)."""
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,
                                                 compresslevel=level) as gz, \
            tarfile.open(fileobj=gz, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for e in entries:
            info = tarfile.TarInfo(e.name.rstrip("/") if e.is_dir else e.name)
            info.mtime, info.uid, info.gid, info.uname, info.gname = MTIME, 0, 0, "", ""
            info.mode = e.mode
            if e.is_dir:
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            elif e.symlink is not None:
                info.type, info.linkname, info.mode = tarfile.SYMTYPE, e.symlink, 0o777
                tar.addfile(info)
            elif e.hardlink is not None:
                info.type, info.linkname = tarfile.LNKTYPE, e.hardlink
                tar.addfile(info)
            else:
                info.size = len(e.data)
                tar.addfile(info, io.BytesIO(e.data))
    return path


def write_zip(path, entries):
    """A deterministic .zip (deflated, Unix modes, fixed times); symlinks as Info-ZIP stores
    them (S_IFLNK mode, the target as the content)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for e in entries:
            info = zipfile.ZipInfo(e.name, date_time=ZIP_TIME)
            info.create_system = 3
            if e.is_dir:
                info.external_attr = ((stat.S_IFDIR | e.mode) << 16) | 0x10
                zf.writestr(info, b"")
            elif e.symlink is not None:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
                zf.writestr(info, e.symlink.encode(), zipfile.ZIP_STORED)
            else:
                info.external_attr = (stat.S_IFREG | e.mode) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, e.data)
    return path


def write_archive(path, entries):
    """.zip or .tar.gz by the name; adds the directory entries."""
    entries = _with_dirs(entries)
    return write_zip(path, entries) if path.endswith(".zip") else write_tar_gz(path, entries)


def _filler(seed, n):
    """n bytes of text-ish deterministic content."""
    rnd = random.Random(seed)
    words = ["package", "runtime", "func", "return", "uint32", "unsafe", "wasm", "import", "var",
             "const", "type", "struct", "interface", "defer", "go", "select"]
    out, size = [], 0
    while size < n:
        w = rnd.choice(words)
        out.append(w)
        size += len(w) + 1
    return (" ".join(out)[:n] + "\n").encode()


def tinygo_entries(version, asset, repo="tinygo-org/tinygo", tag=None, extra_files=50,
                   windows_exe=None):
    """The members of a TinyGo archive: ``tinygo/`` with bin/tinygo, bin/wasm-opt, lib/, src/,
    targets/, and ``extra_files`` more files spread over src/ and lib/."""
    tag = tag or tag_of("tinygo", version)
    ext = ".exe" if _is_windows_asset(asset) else ""
    e = [
        Entry("tinygo/bin/tinygo" + ext, _exe_bytes("tinygo", version, repo, tag, asset, "tinygo",
                                                    windows_exe), 0o755),
        Entry("tinygo/bin/wasm-opt" + ext, _exe_bytes("tinygo", version, repo, tag, asset, "wasm-opt",
                                                      windows_exe), 0o755),
        Entry("tinygo/LICENSE", b"Copyright (c) 2018-2026 The TinyGo Authors. All rights reserved.\n"),
        Entry("tinygo/README.md", b"# TinyGo - Go compiler for small places\n"),
        Entry("tinygo/targets/wasip1.json", json.dumps(
            {"llvm-target": "wasm32-unknown-wasi", "goos": "wasip1", "goarch": "wasm"},
            sort_keys=True).encode() + b"\n"),
        Entry("tinygo/targets/wasip2.json", json.dumps(
            {"llvm-target": "wasm32-unknown-wasi", "goos": "wasip2", "goarch": "wasm",
             "wasm-abi": "", "wit-package": "{root}/lib/wasi-cli/wit/",
             "wit-world": "wasi:cli/command"}, sort_keys=True).encode() + b"\n"),
        Entry("tinygo/targets/wasm-unknown.json", b'{"llvm-target": "wasm32-unknown-unknown"}\n'),
        Entry("tinygo/lib/wasi-libc/sysroot/include/wasi/api.h", b"/* wasi api */\n"),
        Entry("tinygo/lib/wasi-cli/wit/command.wit", b"package wasi:cli@0.2.0;\nworld command {}\n"),
        Entry("tinygo/src/runtime/runtime.go", b"package runtime\n\n// fake " + version.encode() + b"\n"),
        Entry("tinygo/src/runtime/runtime_wasip2.go", b"//go:build wasip2\n\npackage runtime\n"),
        Entry("tinygo/src/machine/machine.go", b"package machine\n"),
    ]
    dirs = ["src/runtime", "src/machine", "src/internal/task", "src/os", "lib/wasi-libc/libc-top-half",
            "lib/musl/src/string", "src/sync", "src/reflect"]
    for i in range(extra_files):
        d = dirs[i % len(dirs)]
        suffix = ".go" if d.startswith("src/") else ".c"
        e.append(Entry("tinygo/%s/gen_%04d%s" % (d, i, suffix),
                       _filler("%s:%s:%d" % (version, asset, i), 200 + (i * 37) % 900)))
    return e


def wasm_tools_entries(version, asset, repo="bytecodealliance/wasm-tools", tag=None, windows_exe=None):
    """``wasm-tools-<V>-<plat>/``: wasm-tools(.exe), LICENSE-APACHE, LICENSE-MIT, README.md."""
    tag = tag or tag_of("wasm-tools", version)
    top = asset[:-len(".zip")] if asset.endswith(".zip") else asset[:-len(".tar.gz")]
    ext = ".exe" if _is_windows_asset(asset) else ""
    return [
        Entry("%s/wasm-tools%s" % (top, ext),
              _exe_bytes("wasm-tools", version, repo, tag, asset, "wasm-tools", windows_exe), 0o755),
        Entry("%s/LICENSE-APACHE" % top, b"Apache License\nVersion 2.0, January 2004\n"),
        Entry("%s/LICENSE-Apache-2.0_WITH_LLVM-exception" % top, b"Apache-2.0 WITH LLVM-exception\n"),
        Entry("%s/LICENSE-MIT" % top, b"MIT License\n"),
        Entry("%s/README.md" % top, b"# wasm-tools\n\nCLI and Rust libraries for low-level manipulation of WebAssembly modules\n"),
    ]


def cgo_entries(version, asset, repo="bytecodealliance/componentize-go", tag=None, windows_exe=None):
    """componentize-go(.exe) at the top of the archive, with its licence and README."""
    tag = tag or tag_of("componentize-go", version)
    ext = ".exe" if _is_windows_asset(asset) else ""
    return [
        Entry("componentize-go" + ext,
              _exe_bytes("componentize-go", version, repo, tag, asset, "componentize-go", windows_exe),
              0o755),
        Entry("LICENSE", b"Apache License\nVersion 2.0, January 2004\n"),
        Entry("README.md", b"# componentize-go\n"),
    ]


def entries_for(tool, version, asset, tag=None, extra_files=50, windows_exe=None):
    """The archive members of a platform asset (None for wkg's raw binaries)."""
    repo = REPOS[tool]
    if tool == "tinygo":
        return tinygo_entries(version, asset, repo, tag, extra_files, windows_exe)
    if tool == "wasm-tools":
        return wasm_tools_entries(version, asset, repo, tag, windows_exe)
    if tool == "componentize-go":
        return cgo_entries(version, asset, repo, tag, windows_exe)
    return None


def root_prefix(tool, asset):
    """The single top folder an archive of the tool holds ('' for none)."""
    if tool == "tinygo":
        return "tinygo/"
    if tool == "wasm-tools":
        return (asset[:-len(".zip")] if asset.endswith(".zip") else asset[:-len(".tar.gz")]) + "/"
    return ""


def tree_files(tool, version, asset, tag=None, extra_files=50, windows_exe=None):
    """{path relative to the install root: bytes} of what installing ``asset`` must leave (for
    wkg: the one executable, named wkg / wkg.exe)."""
    ents = entries_for(tool, version, asset, tag, extra_files, windows_exe)
    if ents is None:
        name = "wkg.exe" if _is_windows_asset(asset) else "wkg"
        return {name: _exe_bytes("wkg", version, REPOS["wkg"], tag or tag_of("wkg", version), asset,
                                 "wkg", windows_exe)}
    top = root_prefix(tool, asset)
    return {e.name[len(top):]: e.data for e in ents if not e.is_dir}


HOSTILE_KINDS = ("symlink", "symlink-absolute", "dotdot", "absolute")


def hostile_entries(tool, version, asset, kind, outside, tag=None, windows_exe=None):
    """The normal members of ``asset`` plus one hostile member:

    * ``symlink``: a link inside the root whose target leaves it (TinyGo: ``tinygo/bin/evil ->
      ../../<name>``; wasm-tools: ``<top>/evil -> ../<name>``; componentize-go: ``evil -> ../<name>``);
    * ``symlink-absolute``: a link inside the root to the absolute path ``outside``;
    * ``dotdot``: a file ``<top>../../<name>`` (a ``..`` entry);
    * ``absolute``: a file at the absolute path ``outside``.

    ``<name>`` is the basename of ``outside``: tests look for it anywhere afterwards."""
    ents = list(entries_for(tool, version, asset, tag, 3, windows_exe))
    top = root_prefix(tool, asset)
    base = os.path.basename(outside)
    payload = b"escaped from the archive\n"
    if kind == "symlink":
        if tool == "tinygo":
            ents.append(Entry(top + "bin/evil", symlink="../../" + base))
        else:
            ents.append(Entry(top + "evil", symlink="../" + base))
    elif kind == "symlink-absolute":
        ents.append(Entry(top + "evil", symlink=outside))
    elif kind == "dotdot":
        ents.append(Entry(top + "../../" + base, payload))
    elif kind == "absolute":
        ents.append(Entry(outside, payload))
    else:
        raise ValueError("unknown hostile kind %r" % kind)
    return ents


# ---- releases ------------------------------------------------------------------------------

def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def checksums_txt(pairs):
    """goreleaser's checksums.txt: ``<sha256 hex>  <name>`` lines sorted by name."""
    return "".join("%s  %s\n" % (h, n) for n, h in sorted(pairs.items())).encode()


def _write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
    return path


def build_asset(path, tool, version, name, tag=None, extra_files=50, windows_exe=None,
                entries=None):
    """Writes asset ``name`` of ``tool`` ``version`` at ``path`` (reused when there)."""
    if os.path.exists(path) and entries is None:
        return path
    repo = REPOS[tool]
    tag = tag or tag_of(tool, version)
    if name in table_assets(tool, version) or entries is not None:
        ents = entries if entries is not None else entries_for(tool, version, name, tag, extra_files,
                                                               windows_exe)
        if ents is None:  # wkg: the raw executable
            return _write(path, _exe_bytes(tool, version, repo, tag, name, tool, windows_exe))
        tmp = path + ".tmp" + (".zip" if name.endswith(".zip") else ".tar.gz")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        write_archive(tmp, ents)
        os.replace(tmp, path)
        return path
    # an asset no target takes (.deb, 32-bit ARM, riscv64): small, distinct bytes
    return _write(path, ("not for setup-wash: fake %s for tests: %s %s %s\n"
                         % (tool, repo, tag, name)).encode())


def release(workdir, tool, version, tag=None, published_at=None, prerelease=False, name=None,
            digests=None, checksums=None, checksums_asset=True, extra_files=50, windows_exe=None,
            replace=None, only=None, variant=""):
    """One release of ``tool`` as an ``extra_releases`` entry; its files go under ``workdir``.

    * ``digests``: {asset name: None (the API reports no digest) | "sha256:..." (published as
      is: a WRONG digest)}; ``"*"`` as a key applies to every asset without its own entry.
    * ``checksums`` (componentize-go): {asset name: None (its line is left out) | hex (a wrong
      hash)}; ``checksums_asset=False``: no checksums.txt at all.
    * ``replace``: {asset name: path} of files to serve instead of the built ones (hostile
      archives); their hash still goes in checksums.txt unless ``checksums`` says otherwise.
    * ``only``: the asset names to publish (default: all of release_asset_names).
    * ``variant``: a subdirectory name so variants of one release do not share files.
    """
    tag = tag or tag_of(tool, version)
    d = os.path.join(workdir, tool, tag.replace("/", "_") + ("." + variant if variant else ""))
    names = [n for n in release_asset_names(tool, version) if only is None or n in only]
    if tool == "componentize-go" and not checksums_asset:
        names = [n for n in names if n != "checksums.txt"]
    files = {}
    for n in names:
        if n == "checksums.txt":
            continue
        if replace and n in replace:
            files[n] = replace[n]
        else:
            files[n] = build_asset(os.path.join(d, n), tool, version, n, tag, extra_files, windows_exe)
    if "checksums.txt" in names:
        sums = {n: sha256_file(p) for n, p in files.items()}
        for n, h in (checksums or {}).items():
            if h is None:
                sums.pop(n, None)
            else:
                sums[n] = h
        files["checksums.txt"] = _write(os.path.join(d, "checksums.txt"), checksums_txt(sums))
    digests = dict(digests or {})
    assets = []
    for n in names:
        a = {"name": n, "content_file": files[n]}
        if n in digests:
            a["digest"] = digests[n]
        elif "*" in digests:
            a["digest"] = digests["*"]
        assets.append(a)
    published_at = published_at or dict(VERSIONS.get(tool, [])).get(version) or "2026-06-01T12:00:00Z"
    rel = {"tag_name": tag, "name": name or tag, "prerelease": bool(prerelease),
           "created_at": published_at, "published_at": published_at, "assets": assets}
    return rel


def moving_release(workdir, tool, extra_files=50, windows_exe=None):
    """The moving tag of ``tool`` (MOVING), or None for a tool that has none."""
    m = MOVING.get(tool)
    if not m:
        return None
    return release(workdir, tool, m["version"], tag=m["tag"], published_at=m["published_at"],
                   prerelease=m["prerelease"], name=m.get("name"), extra_files=extra_files,
                   windows_exe=windows_exe)


def releases(workdir, tools=None, extra_files=50, windows_exe=None):
    """Every release of VERSIONS for ``tools`` (default all), the moving tags and wasm-tools'
    old tag form, newest first, as ``{"owner/repo": [release, ...]}``."""
    out = {}
    for tool in tools or TOOLS:
        rels = [release(workdir, tool, v, extra_files=extra_files, windows_exe=windows_exe)
                for v, _ in VERSIONS[tool]]
        if tool == "wasm-tools":
            rels.append(release(workdir, tool, WASM_TOOLS_OLD[0], published_at=WASM_TOOLS_OLD[1],
                                extra_files=extra_files, windows_exe=windows_exe))
        mv = moving_release(workdir, tool, extra_files, windows_exe)
        if mv:
            rels.append(mv)
        rels.sort(key=lambda r: r["published_at"], reverse=True)
        out[REPOS[tool]] = rels
    return out


def hostile_release(workdir, tool, version, target, kind, outside, **kw):
    """``release()`` whose asset for ``target`` is hostile (hostile_entries); the API digest and
    checksums.txt vouch for the hostile bytes, so only the unpacking can refuse it. Returns
    (release, asset name)."""
    name = asset_name(tool, version, target)
    if name is None or tool == "wkg":
        raise ValueError("%s %s has no archive for %s" % (tool, version, target))
    variant = "hostile-" + kind
    path = os.path.join(workdir, tool, tag_of(tool, version) + "." + variant, "hostile", name)
    build_asset(path, tool, version, name, entries=_with_dirs(
        hostile_entries(tool, version, name, kind, outside, windows_exe=kw.get("windows_exe"))))
    return release(workdir, tool, version, replace={name: path}, variant=variant, **kw), name


def asset_file(rel, name):
    """The path of asset ``name`` in a release made here."""
    return next(a["content_file"] for a in rel["assets"] if a["name"] == name)


def find_release(rels, tool, tag):
    """The release ``tag`` of ``tool`` in a releases() result."""
    return next(r for r in rels[REPOS[tool]] if r["tag_name"] == tag)


# ---- attestations (wasm-tools from 1.241.2) ------------------------------------------------

def attested(tool, version):
    since = ATTESTED_SINCE.get(tool)
    return bool(since) and _vkey(version) >= _vkey(since)


def forge_attestations(workdir, forge_tool, rels, root_name="tools-root.json"):
    """Sigstore bundles signed by the releases' own signer (wasm-tools: publish.yml on main) for
    every attested release in ``rels`` (a releases() result), made with ``forge_tool``
    (tests/tools/sw_forge_bundle) under a fresh test instance.

    Returns (trusted_root_path, attestations) where attestations is the control file's map
    ``{"<sha256 hex>": [{"bundle_file": path}]}`` for every platform asset."""
    out = os.path.join(workdir, "attestations")
    os.makedirs(out, exist_ok=True)
    spec = {"root": root_name, "bundles": []}
    att = {}
    for tool, repo in REPOS.items():
        for rel in rels.get(repo, []):
            version = rel["tag_name"][1:] if rel["tag_name"].startswith("v") else None
            if not version or not attested(tool, version):
                continue
            table = table_assets(tool, version)
            subjects = [{"name": a["name"], "sha256": sha256_file(a["content_file"])}
                        for a in rel["assets"] if a["name"] in table]
            workflow, ref = SIGNER[tool]
            fname = "%s_%s.json" % (tool, rel["tag_name"])
            spec["bundles"].append({"file": fname, "repository": repo, "workflow": workflow,
                                    "ref": ref, "subjects": subjects})
            for s in subjects:
                att.setdefault(s["sha256"], []).append({"bundle_file": os.path.join(out, fname)})
    with open(os.path.join(out, "spec.json"), "w") as f:
        json.dump(spec, f)
    subprocess.run([forge_tool, os.path.join(out, "spec.json"), out], check=True,
                   capture_output=True)
    return os.path.join(out, root_name), att


# ---- a big TinyGo, for benchmarks ----------------------------------------------------------

def write_big_tinygo(out, version="0.40.1", files=5000, dirs=500, total=100 << 20,
                     seed="big-tinygo", level=1):
    """A synthetic TinyGo tar.gz as big as the real one: ``tinygo/`` with the usual bin/tinygo
    and bin/wasm-opt scripts and targets/, plus ``files`` files in ``dirs`` directories whose
    contents are seeded pseudo-random bytes (incompressible: the .tar.gz is about ``total``
    bytes). Deterministic for given arguments. Returns ``out``."""
    rnd = random.Random(seed)
    asset = "tinygo%s.linux-amd64.tar.gz" % version
    base = tinygo_entries(version, asset, extra_files=0)
    dirnames = []
    tops = ["src", "lib", "src/vendor", "lib/wasi-libc", "lib/musl", "src/internal", "lib/picolibc"]
    for i in range(dirs):
        dirnames.append("tinygo/%s/pkg%03d" % (tops[i % len(tops)], i))
    # sizes: random weights, scaled to the total
    weights = [rnd.random() ** 2 + 0.01 for _ in range(files)]
    scale = total / sum(weights)
    sizes = [max(1, int(w * scale)) for w in weights]
    sizes[-1] += total - sum(sizes)
    names = ["%s/f%05d.%s" % (dirnames[i % dirs], i, ("go", "c", "h", "s")[i % 4]) for i in range(files)]
    order = sorted(range(files), key=lambda i: names[i])
    all_dirs = set()
    for d in dirnames:
        parts = d.split("/")
        for k in range(1, len(parts) + 1):
            all_dirs.add("/".join(parts[:k]))
    for e in base:
        parts = e.name.split("/")[:-1]
        for k in range(1, len(parts) + 1):
            all_dirs.add("/".join(parts[:k]))
    items = [(d, None) for d in all_dirs] + [(e.name, e) for e in base] + [(names[i], i) for i in order]
    items.sort(key=lambda x: x[0])
    tmp = out + ".tmp"
    with open(tmp, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,
                                                compresslevel=level) as gz, \
            tarfile.open(fileobj=gz, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for name, what in items:
            info = tarfile.TarInfo(name)
            info.mtime, info.uid, info.gid, info.uname, info.gname = MTIME, 0, 0, "", ""
            if what is None:
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                tar.addfile(info)
            elif isinstance(what, Entry):
                info.mode, info.size = what.mode, len(what.data)
                tar.addfile(info, io.BytesIO(what.data))
            else:
                data = random.Random("%s:%d" % (seed, what)).randbytes(sizes[what])
                info.mode, info.size = 0o644, len(data)
                tar.addfile(info, io.BytesIO(data))
    os.replace(tmp, out)
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description="component toolchain releases for the fake GitHub")
    sub = p.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("big-tinygo", help="write a synthetic ~100 MB TinyGo tar.gz")
    b.add_argument("out")
    b.add_argument("--version", default="0.40.1")
    b.add_argument("--files", type=int, default=5000)
    b.add_argument("--dirs", type=int, default=500)
    b.add_argument("--mib", type=int, default=100)
    b.add_argument("--seed", default="big-tinygo")
    r = sub.add_parser("releases", help="build every release in DIR and print extra_releases JSON")
    r.add_argument("dir")
    r.add_argument("--extra-files", type=int, default=50)
    r.add_argument("--windows-exe")
    args = p.parse_args(argv)
    if args.cmd == "big-tinygo":
        write_big_tinygo(args.out, args.version, args.files, args.dirs, args.mib << 20, args.seed)
        print("%s %d bytes sha256:%s" % (args.out, os.path.getsize(args.out), sha256_file(args.out)))
    else:
        json.dump(releases(os.path.abspath(args.dir), extra_files=args.extra_files,
                           windows_exe=args.windows_exe), sys.stdout, indent=1)
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
