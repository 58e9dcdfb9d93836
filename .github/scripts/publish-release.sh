#!/usr/bin/env bash
# Last job of release.yml: publishes the binaries in dist-out/ (with their SHA256SUMS) as release
# TAG. The sums are also committed as dist/checksums.txt in a release commit on top of the commit
# that was built (the sources are identical), TAG points at that commit, and the major tag (v1 for
# v1.2.0) is moved to it unless TAG is a prerelease: `uses: wasmcloud/setup-wash@v1` then runs
# action.yml from a tree whose dist/checksums.txt names exactly these binaries, so the action
# downloads and verifies them instead of building from source. Branches never carry the sums.
#
# Environment: TAG (e.g. v1.2.0), GH_TOKEN (contents: write). Run from the repository root.
set -euo pipefail
: "${TAG:?TAG is not set}"
[[ $TAG =~ ^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?$ ]] || {
  echo "::error::the tag '$TAG' is not vMAJOR.MINOR.PATCH[-PRERELEASE]"
  exit 1
}
if git ls-remote --exit-code --tags origin "refs/tags/$TAG" >/dev/null; then
  echo "::error::the tag $TAG exists already"
  exit 1
fi
cd dist-out
for p in linux-x64 linux-arm64 macos-x64 macos-arm64 windows-x64.exe; do
  [ -f "setup-wash-$TAG-$p" ] || { echo "::error::setup-wash-$TAG-$p was not built"; exit 1; }
done
sha256sum setup-wash-"$TAG"-* >SHA256SUMS
cat SHA256SUMS
cd ..

{
  grep '^#' dist/checksums.txt
  cat dist-out/SHA256SUMS
} >dist/checksums.txt.new
mv dist/checksums.txt.new dist/checksums.txt
git config user.name "github-actions[bot]"
git config user.email "41898282+github-actions[bot]@users.noreply.github.com"
git add dist/checksums.txt
git commit -m "Release $TAG: SHA-256 of the setup-wash binaries"
git tag -a "$TAG" -m "setup-wash $TAG"
git push origin "refs/tags/$TAG"
prerelease=()
if [[ $TAG == *-* ]]; then
  prerelease=(--prerelease)
else
  major=${TAG%%.*}
  git tag -f -a "$major" -m "setup-wash $TAG"
  git push --force origin "refs/tags/$major"
fi
gh release create "$TAG" --verify-tag ${prerelease[@]+"${prerelease[@]}"} \
  --title "setup-wash $TAG" \
  --notes "Static Linux (x64, arm64), macOS (x64, arm64) and Windows (x64) builds of setup-wash, with their SHA-256 sums (also committed in dist/checksums.txt at $TAG) and a build-provenance attestation: gh attestation verify FILE --repo ${GITHUB_REPOSITORY:-wasmCloud/setup-wash}" \
  dist-out/setup-wash-"$TAG"-* dist-out/SHA256SUMS
