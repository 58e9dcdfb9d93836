#!/usr/bin/env bash
# Step "Check the inputs" of action.yml, with no network: validates the inputs that only the
# action has (cache, plugins, doctor; version, target and verify are the tool's to check), finds
# the lock, and decides what the cache keys are made of.
#
# Environment: SW_VERSION, SW_LOCK, SW_TARGET, SW_CACHE, SW_PLUGINS, SW_DOCTOR, SW_RUST_WASIP2,
# SW_TOOLS; runs in the working-directory input. Outputs: tools (the tools input's words, checked,
# space-separated), has-tools (true when the tools input or the lock names a tool), lock
# (absolute path, or empty), lock-hash, plugins
# (true when the lock's plugins are to be installed), rust-target (true when rust-wasip2 is on
# and the working directory holds a Cargo.toml), exact (the version when SW_VERSION is one exact version),
# resolve (true when versions must be resolved to name the cache: a wash spec that is not one
# exact version, or any tool), api-prefix
# (the API cache's key prefix, when resolve), plugins-key and plugins-path (when cached: the
# content-addressed plugin cache of `setup-wash plugins install`, <cache root>/plugins/sha256).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=action/lib.sh
. "$here/lib.sh"

case "${SW_DOCTOR:-off}" in
  off | warn | strict | fix) ;;
  *) sw_fail "invalid doctor '$SW_DOCTOR': use off, warn, strict or fix" ;;
esac
cache=$(sw_bool cache "${SW_CACHE:-true}") || exit 1
plugins=$(sw_bool plugins "${SW_PLUGINS:-true}") || exit 1
rust=$(sw_bool rust-wasip2 "${SW_RUST_WASIP2:-true}") || exit 1
[ -f Cargo.toml ] || rust=false
: "${RUNNER_TOOL_CACHE:?RUNNER_TOOL_CACHE is not set: is this a GitHub Actions runner?}"

tools=$(sw_tool_words "${SW_TOOLS:-}") || exit 1
tools=$(printf '%s' "$tools" | tr '\n' ' ')
tools=${tools% }

lock=""
if [ -n "${SW_LOCK:-}" ]; then
  [ -f "$SW_LOCK" ] || sw_fail "lock file '$SW_LOCK' not found (a relative path starts at the working directory, $PWD)"
  lock="$(cd "$(dirname "$SW_LOCK")" && pwd)/$(basename "$SW_LOCK")"
elif [ -f plugins.lock ]; then
  lock="$PWD/plugins.lock"
fi
lock_hash=none
want_plugins=false
has_tools=false
if [ -n "$lock" ]; then
  lock_hash=$(sw_sha256 "$lock")
  # a lock that is not valid JSON counts as listing none here: install reports it precisely
  n=$(sw_json_get "$lock" plugin-count 2>/dev/null) || n=0
  case "$n" in '' | *[!0-9]*) n=0 ;; esac
  if [ "$plugins" = true ] && [ "$n" -gt 0 ]; then
    want_plugins=true
  fi
  t=$(sw_json_get "$lock" tool-count 2>/dev/null) || t=0
  case "$t" in '' | *[!0-9]*) t=0 ;; esac
  [ "$t" -eq 0 ] || has_tools=true
fi
[ -z "$tools" ] || has_tools=true
sw_output tools "$tools"
sw_output has-tools "$has_tools"
sw_output cache "$cache"
sw_output lock "$lock"
sw_output lock-hash "$lock_hash"
sw_output plugins "$want_plugins"
sw_output rust-target "$rust"

# One exact version (2.0.1, v2.0.0-rc.8, wash-v1.0.0-rc.2) names its cache entry without asking
# the API, so a pinned warm run makes no request at all; anything else is resolved first.
exact=""
if [[ ${SW_VERSION:-} =~ ^(wash-)?v?((0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?)$ ]]; then
  exact=${BASH_REMATCH[2]}
fi
sw_output exact "$exact"
if [ "$cache" = true ] && { [ -z "$exact" ] || [ "$has_tools" = true ]; }; then
  sw_output resolve true
  id=$(printf '%s\n' "${SW_VERSION:-}" "${SW_TARGET:-}" "$lock_hash" "$tools" | sw_sha256 -)
  sw_output api-prefix "setup-wash-api-v1-$RUNNER_OS-$RUNNER_ARCH-${id:0:16}-"
else
  sw_output resolve false
fi
if [ "$cache" = true ] && [ "$want_plugins" = true ]; then
  sw_output plugins-key "setup-wash-plugins-v1-$RUNNER_OS-$RUNNER_ARCH-${lock_hash:0:32}"
  sw_output plugins-path "$RUNNER_TOOL_CACHE/plugins/sha256"
fi
