#!/usr/bin/env bash
# Step "Doctor" of action.yml (doctor: warn or strict): `setup-wash doctor --json` on the working
# directory. The tool writes its annotations and its job-summary table itself; this step turns its
# status into the doctor-status output and decides whether the job fails:
#   warn    reports what doctor found and never fails the job for it;
#   strict  runs `doctor --strict` and fails the job when it exits non-zero.
# A usage error (exit 2) fails the job in both modes.
#
# Environment: SW_BIN, SW_DOCTOR. Output: doctor-status (ok, warn or error).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=action/lib.sh
. "$here/lib.sh"

args=(doctor --project "$PWD" --json)
[ "${SW_DOCTOR:-}" != strict ] || args+=(--strict)
json="${RUNNER_TEMP:?RUNNER_TEMP is not set}/setup-wash-doctor.$$.json"
rc=0
sw_tool "${args[@]}" >"$json" || rc=$?
status=""
if [ -s "$json" ]; then
  status=$(sw_json_get "$json" status 2>/dev/null) || status=""
  echo "::group::setup-wash doctor --json"
  cat "$json"
  echo
  echo "::endgroup::"
fi
rm -f "$json"
case "$status" in
  ok | warn | error) ;;
  *) status=error ;;
esac
sw_output doctor-status "$status"
case "$rc" in
  0) ;;
  1)
    [ "${SW_DOCTOR:-}" = strict ] && exit 1
    sw_annotate warning "doctor found problems (status: $status); 'doctor: warn' reports them without failing the job, 'doctor: strict' fails it" ;;
  *) exit "$rc" ;;
esac
