#!/usr/bin/env bash
# Step "Get setup-wash" of action.yml: a verified setup-wash binary for this runner, or the
# request for a source build.
#
# A release commit of this repository carries dist/checksums.txt, written by release.yml, with the
# SHA-256 of each binary of that release. When the action runs from such a commit (its ref is the
# release tag, an alias of it such as v1, or a commit SHA) the binary for this runner is downloaded
# from the release into the runner tool cache and checked against the committed sum before it is
# run (setup-wash-<tag>-<platform>, with .exe on Windows); a mismatch fails the job. Any other
# ref (a branch, a fork, `uses: ./`) or a release with no binary for this runner builds from
# source: this step then outputs build=true with the cache key and directory of that build, and
# build-tool.sh does it (on Windows in MSYS2).
#
# Environment: SW_ACTION_REF, SW_ACTION_REPOSITORY (github.action_ref and action_repository),
# SW_SERVER_URL (the server-url input), and the runner's RUNNER_* variables.
# Outputs: bin, source ("release TAG" or "build HASH"), build, build-key, build-dir.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=action/lib.sh
. "$here/lib.sh"
root=$(dirname "$here")

platform=$(sw_platform) || exit 1
arch=$(sw_arch)
exe=$(sw_exe)
: "${RUNNER_TOOL_CACHE:?RUNNER_TOOL_CACHE is not set: is this a GitHub Actions runner?}"

# ref_matches REF TAG: the action's ref names release TAG (v1.2.0, v1.2, v1) or a commit.
ref_matches() {
  local ref=$1 tag=$2
  [ -n "$ref" ] || return 1
  [ "$ref" != "$tag" ] || return 0
  case "$tag" in "$ref".*) return 0 ;; esac
  [[ $ref =~ ^[0-9a-f]{40}$ ]]
}

# from_release SUM ASSET TAG: downloads and verifies the release binary; 1 when it cannot be had
# (then the caller builds from source); exits on a digest mismatch.
from_release() {
  local want=$1 asset=$2 tag=$3 repo=${SW_ACTION_REPOSITORY:-} dir bin url tmp got
  dir="$RUNNER_TOOL_CACHE/setup-wash/${tag#v}/$arch"
  bin="$dir/setup-wash$exe"
  if [ -f "$dir.complete" ] && [ -x "$bin" ] && [ "$(sw_sha256 "$bin")" = "$want" ]; then
    echo "setup-wash $tag: $bin (from the runner tool cache, SHA-256 $want)"
  else
    if [ -z "$repo" ]; then
      echo "setup-wash: the action's repository is unknown here: building from source"
      return 1
    fi
    command -v curl >/dev/null 2>&1 || {
      echo "setup-wash: no curl on this runner to download $asset: building from source"
      return 1
    }
    url="${SW_SERVER_URL%/}/$repo/releases/download/$tag/$asset"
    mkdir -p "$dir"
    tmp="$dir/.download.$$"
    echo "setup-wash: downloading $url"
    if ! curl -fsSL --retry 3 --connect-timeout 30 -o "$tmp" "$url"; then
      rm -f "$tmp"
      sw_annotate warning "could not download $url: building setup-wash from source instead"
      return 1
    fi
    got=$(sw_sha256 "$tmp")
    if [ "$got" != "$want" ]; then
      rm -f "$tmp"
      sw_fail "$asset from $url does not match the SHA-256 committed in dist/checksums.txt (expected $want, got $got): it was not run"
    fi
    chmod 755 "$tmp"
    mv -f "$tmp" "$bin"
    printf '%s %s\n' "$tag" "$want" >"$dir.complete"
    echo "setup-wash $tag: $bin (SHA-256 $want, as committed in dist/checksums.txt)"
  fi
  sw_ensure_runs "$bin"
  sw_output bin "$bin"
  sw_output source "release $tag"
  sw_output build false
}

sums="$root/dist/checksums.txt"
line=""
if [ -f "$sums" ]; then
  line=$(grep -E "^[0-9a-f]{64}  setup-wash-v[0-9A-Za-z.+-]+-$platform${exe//./\\.}\$" "$sums" | head -n 1 || true)
fi
if [ -n "$line" ]; then
  want=${line%% *}
  asset=${line#*  }
  tag=${asset#setup-wash-}
  tag=${tag%-"$platform$exe"}
  if ref_matches "${SW_ACTION_REF:-}" "$tag"; then
    from_release "$want" "$asset" "$tag" && exit 0
  else
    echo "setup-wash: the action runs at ref '${SW_ACTION_REF:-}', not at release $tag: building from source"
  fi
else
  echo "setup-wash: no release binary for $platform is committed at this ref: building from source"
fi

# A source build, cached by actions/cache under a key of the sources and the runner image.
inputs=(CMakeLists.txt src)
[ ! -d "$root/cmake" ] || inputs+=(cmake)
hash=$(sw_tree_sha256 "$root" "${inputs[@]}")
image=${ImageOS:-local}
sw_output build true
sw_output build-key "setup-wash-tool-v1-$RUNNER_OS-$RUNNER_ARCH-${image//[!A-Za-z0-9._-]/_}-${hash:0:32}"
sw_output build-dir "$RUNNER_TOOL_CACHE/setup-wash/src-${hash:0:16}/$arch"
sw_output source "build ${hash:0:12}"
