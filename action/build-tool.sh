#!/usr/bin/env bash
# Step "Build setup-wash from source" of action.yml: runs when no release binary fits this ref.
# Reuses the build that actions/cache restored into SW_BUILD_DIR when it starts here; otherwise
# installs the build packages (only when something is missing), builds with CMake in RUNNER_TEMP
# and puts the binary into SW_BUILD_DIR, which the next step saves with actions/cache. On Windows
# it builds in MSYS2's UCRT64 environment (C:\msys64 on windows-latest) and puts the DLLs the
# build loads from there beside setup-wash.exe.
# Output: bin.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=action/lib.sh
. "$here/lib.sh"
root=$(dirname "$here")
dir=${SW_BUILD_DIR:?SW_BUILD_DIR is not set}
exe=$(sw_exe)

# Windows: the step's bash is Git Bash; the build runs in MSYS2's UCRT64 environment (its gcc,
# CMake and libraries, from pacman through scripts/setup-deps), so this script runs again there.
if [ "${RUNNER_OS:-}" = Windows ] && [ "${MSYSTEM:-}" != UCRT64 ]; then
  msys=$(sw_msys2) || exit 1
  exec env MSYSTEM=UCRT64 CHERE_INVOKING=1 MSYS2_PATH_TYPE=inherit "$msys/usr/bin/bash.exe" -l \
    "$here/build-tool.sh"
fi
if [ "${RUNNER_OS:-}" = Windows ]; then
  dir=$(cygpath -u "$dir")
  export CMAKE_GENERATOR=Ninja
fi
bin="$dir/setup-wash$exe"

if [ -x "$bin" ]; then
  sw_ensure_runs "$bin"
  echo "setup-wash: using the cached source build $bin"
  sw_output bin "$bin"
  exit 0
fi

sw_brew_env
sw_have_build_deps || sw_install_packages
build="${RUNNER_TEMP:?RUNNER_TEMP is not set}/setup-wash-build"
[ "${RUNNER_OS:-}" != Windows ] || build=$(cygpath -u "$build")
echo "::group::Build setup-wash from source"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DSW_TESTS=OFF -DSW_WERROR=OFF
cmake --build "$build" --parallel "$(sw_ncpu)"
echo "::endgroup::"
mkdir -p "$dir"
if [ "${RUNNER_OS:-}" = Windows ]; then
  # MSYS2's libraries are DLLs: the ones it loads from UCRT64 go beside it (Windows looks in
  # the exe's directory first), so the cached build runs outside MSYS2 too
  ldd "$build/setup-wash.exe" | awk '$3 ~ "^/ucrt64/" { print $3 }' | while IFS= read -r dll; do
    cp "$dll" "$dir/"
  done
fi
cp "$build/setup-wash$exe" "$dir/.setup-wash.tmp$exe"
mv -f "$dir/.setup-wash.tmp$exe" "$bin"
"$bin" --version
sw_output bin "$bin"
