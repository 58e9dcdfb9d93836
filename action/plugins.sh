#!/usr/bin/env bash
# Step "Install plugins" of action.yml: runs only when the lock lists plugins and the plugins input
# is true. `setup-wash plugins install --frozen` installs exactly what the lock pins, for the wash
# just installed, from the plugin cache when actions/cache restored it, and writes the output
# plugins-installed (the names, comma-separated) and its job-summary section itself.
#
# Environment: SW_BIN, SW_LOCK, SW_WASH_VERSION and the token and server URLs for sw_tool.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=action/lib.sh
. "$here/lib.sh"
lock=${SW_LOCK:?SW_LOCK is not set}

args=(plugins install --lock "$lock" --frozen)
[ -z "${SW_WASH_VERSION:-}" ] || args+=(--wash-version "$SW_WASH_VERSION")
sw_tool "${args[@]}"

