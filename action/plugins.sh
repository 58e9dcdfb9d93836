#!/usr/bin/env bash
# Step "Install plugins" of action.yml: runs only when the lock lists plugins and the plugins input
# is true. `setup-wash plugins install --lock FILE` installs exactly what the lock pins, from the
# plugin cache when actions/cache restored it.
#
# Environment: SW_BIN, SW_LOCK and the token and server URLs for sw_tool.
# Outputs: plugins-installed (the tool's when it writes one, else the number the lock lists).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=action/lib.sh
. "$here/lib.sh"
lock=${SW_LOCK:?SW_LOCK is not set}

if ! "${SW_BIN:?}" help plugins >/dev/null 2>&1; then
  sw_fail "'$lock' lists plugins, but this setup-wash has no 'plugins' command yet: set 'plugins: false' to install wash without them"
fi
sw_tool plugins install --lock "$lock"

n=$(sw_json_get "$lock" plugin-count)
if ! grep -q '^plugins-installed=' "$GITHUB_OUTPUT" 2>/dev/null; then
  sw_output plugins-installed "$n"
fi
if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ ! -s "$GITHUB_STEP_SUMMARY" ]; then
  # shellcheck disable=SC2016 # the backticks are Markdown's
  printf '### wash plugins\n\n%s plugins installed, as pinned in `%s`.\n\n' \
    "$n" "$(sw_md_cell "$lock")" >>"$GITHUB_STEP_SUMMARY"
fi
