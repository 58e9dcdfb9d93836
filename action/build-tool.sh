#!/usr/bin/env bash
# Step "Build setup-wash from source" of action.yml: runs when no release binary fits this ref.
# Reuses the build that actions/cache restored into SW_BUILD_DIR when it starts here; otherwise
# installs the build packages (only when something is missing), builds with CMake in RUNNER_TEMP
# and puts the binary into SW_BUILD_DIR, which the next step saves with actions/cache.
# Output: bin.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=action/lib.sh
. "$here/lib.sh"
root=$(dirname "$here")
dir=${SW_BUILD_DIR:?SW_BUILD_DIR is not set}
bin="$dir/setup-wash"

if [ -x "$bin" ]; then
  sw_ensure_runs "$bin"
  echo "setup-wash: using the cached source build $bin"
  sw_output bin "$bin"
  exit 0
fi

sw_brew_env
sw_have_build_deps || sw_install_packages
build="${RUNNER_TEMP:?RUNNER_TEMP is not set}/setup-wash-build"
echo "::group::Build setup-wash from source"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DSW_TESTS=OFF -DSW_WERROR=OFF
cmake --build "$build" --parallel "$(sw_ncpu)"
echo "::endgroup::"
mkdir -p "$dir"
cp "$build/setup-wash" "$dir/.setup-wash.tmp"
mv -f "$dir/.setup-wash.tmp" "$bin"
"$bin" --version
sw_output bin "$bin"
