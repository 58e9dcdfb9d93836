#!/usr/bin/env bash
# Step "Resolve wash" of action.yml (cache: true only): the exact versions to install and the name
# and paths of their cache entry. A wash version that plan.sh found exact is used as is (no
# request); otherwise, or when tools are to be installed, `setup-wash resolve` picks them: one
# conditional request per repository once the API cache is warm, none for what the lock pins
# with a digest for the target, and none at all (--offline) when wash and every tools word are
# exact versions.
#
# Environment: SW_BIN, SW_EXACT, SW_RESOLVE, SW_VERSION, SW_TARGET, SW_LOCK, SW_LOCK_HASH,
# SW_MIN_RELEASE_AGE, SW_TOOLS (plan.sh's checked words), SW_HAS_TOOLS and the token and server
# URLs for sw_tool. Outputs: version, wash-key, wash-path (one path a line: wash's version
# directory and each tool's), held-back (the newer match the cooldown skipped, when it skipped one).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=action/lib.sh
. "$here/lib.sh"

version=${SW_EXACT:-}
tool_versions=""
if [ "${SW_RESOLVE:-false}" = true ]; then
  args=(resolve --json)
  [ -z "${SW_VERSION:-}" ] || args+=(--version "$SW_VERSION")
  [ -z "${SW_TARGET:-}" ] || args+=(--target "$SW_TARGET")
  [ -z "${SW_LOCK:-}" ] || args+=(--lock "$SW_LOCK")
  [ -z "${SW_MIN_RELEASE_AGE:-}" ] || args+=(--min-release-age "$SW_MIN_RELEASE_AGE")
  if [ "${SW_HAS_TOOLS:-false}" = true ]; then
    words=()
    IFS=' ' read -r -a words <<<"${SW_TOOLS:-}" || true
    args+=(--lock-tools wash ${words[@]+"${words[@]}"})
    offline=false
    if [ -n "$version" ]; then
      offline=true
      for w in ${words[@]+"${words[@]}"}; do
        [[ $w =~ @v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] || offline=false
      done
    fi
    [ "$offline" = false ] || args+=(--offline)
  fi
  json="${RUNNER_TEMP:?RUNNER_TEMP is not set}/setup-wash-resolve.$$.json"
  sw_tool "${args[@]}" >"$json"
  version=$(sw_json_get "$json" wash-version)
  held=$(sw_json_get "$json" held-back)
  tool_versions=$(sw_json_get "$json" tool-versions)
  rm -f "$json"
  [ -z "$held" ] || sw_output held-back "$held"
fi
[[ $version =~ ^[0-9A-Za-z.+-]+$ ]] || sw_fail "internal: resolved an invalid version '$version'"
target=${SW_TARGET:-host}
lock_hash=${SW_LOCK_HASH:-none}
key="setup-wash-wash-v1-$RUNNER_OS-$RUNNER_ARCH-$version-${target//[!A-Za-z0-9._-]/_}-${lock_hash:0:16}"
paths=("${RUNNER_TOOL_CACHE:?}/wash/$version")
if [ -n "$tool_versions" ]; then
  while read -r name v; do
    [[ $name =~ ^[a-z][a-z0-9-]*$ && $v =~ ^[0-9A-Za-z.+-]+$ ]] ||
      sw_fail "internal: resolved an invalid tool version '$name $v'"
    paths+=("$RUNNER_TOOL_CACHE/$name/$v")
  done <<<"$tool_versions"
  # the set of tool versions is part of the name: another set is another entry
  sum=$(printf '%s\n' "$tool_versions" | sw_sha256 -)
  key="$key-tools-${sum:0:16}"
fi
sw_output version "$version"
sw_output wash-key "$key"
sw_output_lines wash-path "${paths[@]}"
