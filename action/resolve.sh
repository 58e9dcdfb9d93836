#!/usr/bin/env bash
# Step "Resolve wash" of action.yml (cache: true only): the exact version to install and the name
# of its cache entry. A version that plan.sh found exact is used as is (no request); otherwise
# `setup-wash resolve` picks it: one conditional request once the API cache is warm, none when the
# lock pins the version with a digest for the target.
#
# Environment: SW_BIN, SW_EXACT, SW_RESOLVE, SW_VERSION, SW_TARGET, SW_LOCK, SW_LOCK_HASH,
# SW_MIN_RELEASE_AGE and the token and server URLs for sw_tool. Outputs: version, wash-key,
# wash-path, held-back (the newer match the cooldown skipped, when it skipped one).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=action/lib.sh
. "$here/lib.sh"

version=${SW_EXACT:-}
if [ "${SW_RESOLVE:-false}" = true ]; then
  args=(resolve --json)
  [ -z "${SW_VERSION:-}" ] || args+=(--version "$SW_VERSION")
  [ -z "${SW_TARGET:-}" ] || args+=(--target "$SW_TARGET")
  [ -z "${SW_LOCK:-}" ] || args+=(--lock "$SW_LOCK")
  [ -z "${SW_MIN_RELEASE_AGE:-}" ] || args+=(--min-release-age "$SW_MIN_RELEASE_AGE")
  json="${RUNNER_TEMP:?RUNNER_TEMP is not set}/setup-wash-resolve.$$.json"
  sw_tool "${args[@]}" >"$json"
  version=$(sw_json_get "$json" wash-version)
  held=$(sw_json_get "$json" held-back)
  rm -f "$json"
  [ -z "$held" ] || sw_output held-back "$held"
fi
[[ $version =~ ^[0-9A-Za-z.+-]+$ ]] || sw_fail "internal: resolved an invalid version '$version'"
target=${SW_TARGET:-host}
lock_hash=${SW_LOCK_HASH:-none}
sw_output version "$version"
sw_output wash-key "setup-wash-wash-v1-$RUNNER_OS-$RUNNER_ARCH-$version-${target//[!A-Za-z0-9._-]/_}-${lock_hash:0:16}"
sw_output wash-path "${RUNNER_TOOL_CACHE:?}/wash/$version"
