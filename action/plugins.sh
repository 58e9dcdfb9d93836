#!/usr/bin/env bash
# Step "Install plugins" of action.yml: runs only when the lock lists plugins and the plugins input
# is true. `setup-wash plugins install --frozen` installs exactly what the lock pins, for the wash
# just installed, from the plugin cache when actions/cache restored it, and writes the output
# plugins-installed (the names, comma-separated) itself.
#
# Environment: SW_BIN, SW_LOCK, SW_WASH_VERSION and the token and server URLs for sw_tool.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=action/lib.sh
. "$here/lib.sh"
lock=${SW_LOCK:?SW_LOCK is not set}

if ! "${SW_BIN:?}" help plugins >/dev/null 2>&1; then
  sw_fail "'$lock' lists plugins, but this setup-wash has no 'plugins' command: set 'plugins: false' to install wash without them"
fi
args=(plugins install --lock "$lock" --frozen)
[ -z "${SW_WASH_VERSION:-}" ] || args+=(--wash-version "$SW_WASH_VERSION")
sw_tool "${args[@]}"

# A job-summary section, until the tool writes one itself.
if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ ! -s "$GITHUB_STEP_SUMMARY" ]; then
  names=$(sed -n 's/^plugins-installed=//p' "$GITHUB_OUTPUT" | tail -n 1)
  # shellcheck disable=SC2016 # the backticks are Markdown's
  printf '### wash plugins\n\nInstalled as pinned in `%s`: %s\n\n' \
    "$(sw_md_cell "$lock")" "$(sw_md_cell "${names//,/, }")" >>"$GITHUB_STEP_SUMMARY"
fi
