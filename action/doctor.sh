#!/usr/bin/env bash
# Step "Doctor" of action.yml (doctor: warn, strict or fix): `setup-wash doctor --json` on the
# working directory. The tool writes its annotations, its job-summary table and the doctor-status
# output itself; this step shows the JSON in a log group and decides whether the job fails:
#   warn    reports what doctor found and never fails the job for it;
#   strict  runs `doctor --strict` and fails the job when it exits non-zero;
#   fix     runs `doctor --fix --strict`: applies the fixes that take one safe command, checks
#           again, and fails as strict does on whatever is left.
# A usage error (exit 2) fails the job in both modes.
#
# Environment: SW_BIN, SW_DOCTOR. Output (written by the tool): doctor-status (ok, warn, error).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=action/lib.sh
. "$here/lib.sh"

args=(doctor --project "$PWD" --json)
case "${SW_DOCTOR:-}" in
  strict) args+=(--strict) ;;
  fix) args+=(--fix --strict) ;;
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
