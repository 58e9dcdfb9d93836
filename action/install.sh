#!/usr/bin/env bash
# Step "Install wash" of action.yml: `setup-wash install`, which verifies wash, puts it into the
# runner tool cache and on PATH, and writes the step outputs (wash-version, wash-path, tag,
# repository, target, digest, verified, cache-hit, install-dir, asset, held-back, and for each
# tool <tool>-version and <tool>-path) itself, with each tool's bin directory on PATH.
#
# It writes its job-summary section too. Then one thing the tool does not do: the key under which
# the API response cache is saved, a hash of its contents, so that a run whose responses all
# came back 304 saves nothing new.
#
# Environment: SW_BIN, SW_INSTALL_VERSION, SW_TARGET, SW_LOCK, SW_VERIFY, SW_MIN_RELEASE_AGE, SW_TOOLS
# (plan.sh's checked words: installed with wash and the lock's tools), the token and server
# URLs for sw_tool, SW_API_PREFIX and SW_API_RESTORED (the key the API cache was restored from).
# Outputs: the tool's, plus api-key and api-save when SW_API_PREFIX is set.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=action/lib.sh
. "$here/lib.sh"

args=(install)
[ -z "${SW_INSTALL_VERSION:-}" ] || args+=(--version "$SW_INSTALL_VERSION")
[ -z "${SW_TARGET:-}" ] || args+=(--target "$SW_TARGET")
[ -z "${SW_LOCK:-}" ] || args+=(--lock "$SW_LOCK")
[ -z "${SW_VERIFY:-}" ] || args+=(--verify "$SW_VERIFY")
[ -z "${SW_MIN_RELEASE_AGE:-}" ] || args+=(--min-release-age "$SW_MIN_RELEASE_AGE")
if [ -n "${SW_TOOLS:-}" ]; then
  # without words install takes wash and the lock's tools; with them, say so
  IFS=' ' read -r -a words <<<"$SW_TOOLS" || true
  args+=(--lock-tools wash "${words[@]}")
fi
sw_tool "${args[@]}"

if [ -n "${SW_API_PREFIX:-}" ]; then
  http="${RUNNER_TOOL_CACHE:?}/.setup-wash/http"
  if [ -d "$http" ]; then
    sum=$(sw_tree_sha256 "$http" .)
    key="$SW_API_PREFIX${sum:0:32}"
    sw_output api-key "$key"
    if [ "$key" = "${SW_API_RESTORED:-}" ]; then
      sw_output api-save false
    else
      sw_output api-save true
    fi
  fi
fi
