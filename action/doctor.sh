#!/usr/bin/env bash
# Step "Doctor" of action.yml (doctor: warn, strict or fix): `setup-wash doctor --json` on the
# working directory. The tool writes its annotations, its job-summary table and the doctor-status
# output itself; this step shows the JSON in a log group and decides whether the job fails:
#   warn    reports what doctor found and never fails the job for it;
#   strict  runs `doctor --strict` and fails the job when it exits non-zero;
#   fix     runs `doctor --fix --strict`: applies the fixes it knows (rustup target add; a TinyGo
#           that builds with the Go in use, installed into the cache and put on GITHUB_PATH,
#           with wasm-tools when it is missing), checks again, and fails as strict does on
#           whatever is left.
# A usage error (exit 2) fails the job in both modes.
#
# Environment: SW_BIN, SW_DOCTOR, SW_LOCK, SW_VERIFY, SW_MIN_RELEASE_AGE, SW_TOKEN, SW_API_URL,
# SW_SERVER_URL. Output (written by the tool): doctor-status (ok, warn, error).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=action/lib.sh
. "$here/lib.sh"

args=(doctor --project "$PWD" --json)
[ -z "${SW_LOCK:-}" ] || args+=(--lock "$SW_LOCK")
case "${SW_DOCTOR:-}" in
  strict) args+=(--strict) ;;
  # --fix may install a TinyGo (and wasm-tools): as the install step does, with its settings
  fix)
    args+=(--fix --strict)
    [ -z "${SW_VERIFY:-}" ] || args+=(--verify "$SW_VERIFY")
    [ -z "${SW_MIN_RELEASE_AGE:-}" ] || args+=(--min-release-age "$SW_MIN_RELEASE_AGE")
    ;;
esac
json="${RUNNER_TEMP:?RUNNER_TEMP is not set}/setup-wash-doctor.$$.json"
rc=0
sw_tool "${args[@]}" >"$json" || rc=$?
if [ -s "$json" ]; then
  echo "::group::setup-wash doctor --json"
  cat "$json"
  echo
  echo "::endgroup::"
fi
rm -f "$json"
case "$rc" in
  0) ;;
  1)
    [ "${SW_DOCTOR:-}" = warn ] || exit 1
    sw_annotate warning "doctor found problems; 'doctor: warn' reports them without failing the job, 'doctor: strict' fails it" ;;
  *) exit "$rc" ;;
esac
