#!/usr/bin/env bash
# Step "Rust target" of action.yml (rust-wasip2: true, the default, in a Rust project): makes
# sure the wasm32-wasip2 target is installed, as the existing wash action does with `rustup
# target add`. It runs `setup-wash doctor --fix rust-wasip2`, which adds the target only to a
# toolchain rustup already manages (no toolchain download), checks again, and says what it ran.
# The step fails when the target is still missing afterwards; rust-wasip2: false turns it off.
#
# Environment: SW_BIN. Runs in the working-directory input.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=action/lib.sh
. "$here/lib.sh"

rc=0
# doctor's table and status belong to the Doctor step; this one only fixes
GITHUB_STEP_SUMMARY='' sw_tool doctor --fix --project "$PWD" rust-wasip2 || rc=$?
case "$rc" in
  0) ;;
  1) sw_fail "the wasm32-wasip2 Rust target is not installed and doctor --fix could not install it (see above); install it in an earlier step, or set rust-wasip2: false to skip this step" ;;
  *) exit "$rc" ;;
esac
