#!/usr/bin/env bash
# Asserts what self-test.yml's uses of the action returned. Environment: REQUESTED (the version
# input), EXPECT_CACHE_HIT (true, false or empty for either), and the action's outputs as
# WASH_VERSION, WASH_PATH, TAG, REPOSITORY, DIGEST, VERIFIED, CACHE_HIT and DOCTOR_STATUS.
# Checks too that the wash on PATH is WASH_PATH and that `wash --version` says
# WASH_VERSION.
set -euo pipefail
fail() {
  echo "::error title=self-test::$*"
  exit 1
}
semver='^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$'
[[ ${WASH_VERSION:-} =~ $semver ]] || fail "wash-version '${WASH_VERSION:-}' is not a version"
case "${REQUESTED:-}" in
  "" | latest) [[ $WASH_VERSION != *-* ]] || fail "latest selected the prerelease $WASH_VERSION" ;;
  rc) ;;
  *) [ "$WASH_VERSION" = "${REQUESTED#v}" ] || fail "asked for $REQUESTED, got wash-version $WASH_VERSION" ;;
esac
case "${REPOSITORY:-}" in
  wasmCloud/wasmCloud | wasmCloud/wash) ;;
  *) fail "repository '${REPOSITORY:-}' is not wasmCloud/wasmCloud or wasmCloud/wash" ;;
esac
[[ ${TAG:-} == *"$WASH_VERSION" ]] || fail "tag '${TAG:-}' does not name $WASH_VERSION"
[[ ${DIGEST:-} =~ ^sha256:[0-9a-f]{64}$ ]] || fail "digest '${DIGEST:-}' is not sha256:HEX"
case "${VERIFIED:-}" in
  digest | provenance) ;;
  *) fail "verified is '${VERIFIED:-}'" ;;
esac
case "${CACHE_HIT:-}" in true | false) ;; *) fail "cache-hit is '${CACHE_HIT:-}'" ;; esac
if [ -n "${EXPECT_CACHE_HIT:-}" ] && [ "$CACHE_HIT" != "$EXPECT_CACHE_HIT" ]; then
  fail "cache-hit is $CACHE_HIT, expected $EXPECT_CACHE_HIT"
fi
case "${DOCTOR_STATUS:-}" in skipped | ok | warn | error) ;; *) fail "doctor-status is '${DOCTOR_STATUS:-}'" ;; esac
[ -x "${WASH_PATH:-}" ] || fail "wash-path '${WASH_PATH:-}' is not an executable"
want=$WASH_PATH
got=$(command -v wash || true)
if [ "${RUNNER_OS:-}" = Windows ]; then
  # Git Bash names it /c/.../wash; the output is C:\...\wash.exe, as Windows programs expect
  [[ $WASH_PATH =~ ^[A-Za-z]:\\ ]] || fail "wash-path '$WASH_PATH' is not a Windows path"
  want=$(cygpath -u "$WASH_PATH")
  want=${want%.exe}
  got=${got%.exe}
fi
[ "$got" = "$want" ] || fail "the wash on PATH is '$got', not '$want'"
out=$(wash --version)
[[ $out == *"$WASH_VERSION"* ]] || fail "wash --version printed '$out', not $WASH_VERSION"
echo "ok: wash $WASH_VERSION ($TAG of $REPOSITORY, $DIGEST, verified by $VERIFIED, cache-hit $CACHE_HIT): $out"
