"""Sigstore provenance in `install` and `lock`, against the fake GitHub.

The releases here carry bundles made by tests/tools/sw_forge_bundle (a test CA, Rekor log and
CT log made afresh for the class) over the digests of their own assets, and the installs are
given that instance's trusted root with --trusted-root: a 2.1.0+ style release with the
wash.sigstore.json asset, a 1.0.0-rc.2 style release verified through the attestations API
(inline bundles and snappy bundle_url ones), locked installs that verify with no request for
the bundle, every kind of tampering (exit 5, nothing installed), releases before attestations,
and the token, which never leaves the API.
"""

import base64
import json
import os
import subprocess
import unittest

import swtest
from swcase import ARCH, GNU, MUSL, CliCase

MONO, WASH = "wasmCloud/wasmCloud", "wasmCloud/wash"
NEW_TAG, NEW = "v2.9.0", "2.9.0"                      # has wash.sigstore.json (2.1.0 and later)
OLD_TAG, OLD = "wash-v1.0.0-rc.2", "1.0.0-rc.2"       # attestations API only
FUTURE_TAG, FUTURE = "v2.10.0", "2.10.0"              # newer than the signer table (2.9.0)
DARWIN = "wash-aarch64-apple-darwin"


def script(version, tag, name):
    return ('#!/bin/sh\necho "wash %s"\nexit 0\n# provenance test: %s %s\n' % (version, tag, name)).encode()


ASSETS = {
    NEW_TAG: {n: script(NEW, NEW_TAG, n) for n in ("wash-" + GNU, "wash-" + MUSL, DARWIN)},
    OLD_TAG: {n: script(OLD, OLD_TAG, n) for n in ("wash-" + MUSL, DARWIN)},
    FUTURE_TAG: {n: script(FUTURE, FUTURE_TAG, n) for n in ("wash-" + GNU, "wash-" + MUSL, DARWIN)},
}


def subjects(tag, names=None):
    return [{"name": n, "sha256": swtest.sha256_bytes(b)} for n, b in sorted(ASSETS[tag].items())
            if names is None or n in names]


class ProvenanceTest(CliCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dir = swtest.tempdir(prefix="sw-prov-")
        tool = swtest.forge_tool()
        if not tool:
            raise unittest.SkipTest("tests/tools/sw_forge_bundle is not built")
        other = [{"name": "wash-" + GNU, "sha256": "ab" * 32}]
        spec = {"root": "root.json", "bundles": [
            # the release's own bundles
            {"file": "new.json", "repository": MONO, "workflow": "release-tag.yml",
             "ref": "refs/heads/main", "source_ref": "refs/tags/" + NEW_TAG, "subjects": subjects(NEW_TAG)},
            {"file": "new2.json", "repository": MONO, "workflow": "release-tag.yml",
             "subjects": subjects(NEW_TAG)},
            {"file": "new-partial.json", "repository": MONO, "workflow": "release-tag.yml",
             "subjects": subjects(NEW_TAG, ["wash-" + GNU, "wash-" + MUSL])},
            {"file": "old.json", "repository": WASH, "workflow": "wash.yml",
             "ref": "refs/tags/" + OLD_TAG, "subjects": subjects(OLD_TAG), "snappy": "old.json.sz"},
            # forgeries, each signed properly under the same test instance
            {"file": "other-digest.json", "repository": MONO, "workflow": "release-tag.yml",
             "subjects": other},
            {"file": "other-repo.json", "repository": "evil/wasmCloud", "workflow": "release.yml",
             "subjects": subjects(NEW_TAG)},
            {"file": "wash-repo.json", "repository": WASH, "workflow": "release.yml",
             "subjects": subjects(NEW_TAG)},
            # the repository's own workflows, but not the release's signer (data/wash.c)
            {"file": "new-wrong-workflow.json", "repository": MONO, "workflow": "ci.yml",
             "subjects": subjects(NEW_TAG)},
            {"file": "old-wrong-ref.json", "repository": WASH, "workflow": "wash.yml",
             "ref": "refs/heads/main", "subjects": subjects(OLD_TAG)},
            {"file": "old-other-tag.json", "repository": WASH, "workflow": "wash.yml",
             "ref": "refs/tags/" + OLD_TAG, "source_ref": "refs/tags/wash-v1.0.0-rc.1",
             "subjects": subjects(OLD_TAG)},
            # a release newer than the table, by a workflow the table does not name
            {"file": "future.json", "repository": MONO, "workflow": "renamed.yml",
             "subjects": subjects(FUTURE_TAG)},
            {"file": "old-other-repo.json", "repository": "evil/wash", "workflow": "release.yml",
             "subjects": subjects(OLD_TAG), "snappy": "old-other-repo.json.sz"},
        ]}
        with open(os.path.join(cls.dir, "spec.json"), "w") as f:
            json.dump(spec, f)
        subprocess.run([tool, os.path.join(cls.dir, "spec.json"), cls.dir], check=True)
        cls.root = os.path.join(cls.dir, "root.json")

    # -- publishing ----------------------------------------------------------

    def path(self, name):
        return os.path.join(self.dir, name)

    def read(self, name):
        with open(self.path(name), "rb") as f:
            return f.read()

    def publish_new(self, bundle="new.json", bundle_bytes=None):
        """v2.9.0 of wasmCloud/wasmCloud, with `bundle` as its wash.sigstore.json (None: none)."""
        assets = [{"name": n, "content_b64": base64.b64encode(b).decode()}
                  for n, b in sorted(ASSETS[NEW_TAG].items())]
        if bundle_bytes is not None:
            assets.append({"name": "wash.sigstore.json", "content_b64": base64.b64encode(bundle_bytes).decode()})
        elif bundle:
            assets.append({"name": "wash.sigstore.json", "content_file": self.path(bundle)})
        self.gh.add_releases({MONO: [{"tag_name": NEW_TAG, "assets": assets}]})

    def publish_old(self, entries=None, form="inline", bundle="old.json"):
        """wash-v1.0.0-rc.2 of wasmCloud/wash with these assets, and the attestations API
        answering for each of them with `entries`, or the bundle in the given form."""
        self.gh.add_releases({WASH: [{"tag_name": OLD_TAG, "assets": [
            {"name": n, "content_b64": base64.b64encode(b).decode()}
            for n, b in sorted(ASSETS[OLD_TAG].items())]}]})
        if entries is None and form == "inline":
            entries = [{"bundle_file": self.path(bundle)}]
        elif entries is None:
            entries = [{"bundle_url": self.blob(bundle + ".sz")}]
        self.gh.set_attestations({s["sha256"]: entries for s in subjects(OLD_TAG)})

    def blob(self, name):
        """Serves the file `name` from the asset host (as GitHub's bundle_url host does) and
        returns its URL. That host answers 400 to any request with Authorization."""
        self.gh.add_releases({"blobs/store": [{"tag_name": "b", "assets": [
            {"name": name, "content_file": self.path(name)}]}]})
        return "%s/dl/blobs/store/b/%s" % (self.gh.download, name)

    def prov(self, *args, env=None):
        return self.install("--trusted-root", self.root, *args, env=env)

    def prov_json(self, *args, env=None):
        r = self.prov("--json", *args, env=env)
        self.assertEqual(r.rc, 0, r)
        return json.loads(r.stdout), r

    def attestation_requests(self):
        return [r for r in self.api_requests() if "/attestations/" in r["path"]]

    # -- the signer of each release (data/wash.c) -----------------------------

    def test_another_workflow_of_the_repository_is_refused(self):
        self.publish_new("new-wrong-workflow.json")
        r = self.prov("--version", NEW)
        self.assertEqual(r.rc, 5, r)
        self.assertIn("expected https://github.com/wasmCloud/wasmCloud/.github/workflows/"
                      "release-tag.yml@refs/heads/main", r.stderr)
        self.assertNoTrace(NEW)

    def test_the_right_workflow_at_another_ref_is_refused(self):
        self.publish_old(bundle="old-wrong-ref.json")
        r = self.prov("--version", OLD)
        self.assertEqual(r.rc, 5, r)
        self.assertIn("expected https://github.com/wasmCloud/wash/.github/workflows/"
                      "wash.yml@refs/tags/" + OLD_TAG, r.stderr)

    def test_a_bundle_built_from_another_tag_is_refused(self):
        self.publish_old(bundle="old-other-tag.json")
        r = self.prov("--version", OLD)
        self.assertEqual(r.rc, 5, r)
        self.assertIn("bundle was built from refs/tags/wash-v1.0.0-rc.1, expected the release's "
                      "tag refs/tags/" + OLD_TAG, r.stderr)

    def test_a_release_newer_than_the_table_is_checked_against_the_repository(self):
        assets = [{"name": n, "content_b64": base64.b64encode(b).decode()}
                  for n, b in sorted(ASSETS[FUTURE_TAG].items())]
        assets.append({"name": "wash.sigstore.json", "content_file": self.path("future.json")})
        self.gh.add_releases({MONO: [{"tag_name": FUTURE_TAG, "assets": assets}]})
        out, r = self.prov_json("--version", FUTURE, "--verify", "provenance")
        self.assertEqual(out["provenance"]["status"], "verified")
        self.assertEqual(out["provenance"]["identity"], "repository")
        self.assertIn("wash 2.10.0 is newer than the signer table (its newest release is 2.9.0)",
                      r.stderr)

    # -- (a) the wash.sigstore.json asset -------------------------------------

    def test_asset_bundle_verifies_with_provenance(self):
        self.publish_new()
        out, r = self.prov_json("--version", NEW, "--verify", "provenance")
        self.assertEqual(out["verified"], "provenance")
        p = out["provenance"]
        self.assertEqual(p["status"], "verified")
        self.assertEqual(p["workflow"], "wasmCloud/wasmCloud/.github/workflows/release-tag.yml")
        self.assertEqual(p["workflow-ref"], "refs/heads/main")
        self.assertEqual(p["source-ref"], "refs/tags/" + NEW_TAG)
        self.assertEqual(p["signer"], "https://github.com/wasmCloud/wasmCloud/.github/workflows/"
                                      "release-tag.yml@refs/heads/main")
        self.assertEqual(p["signed-at"], "2025-06-15T15:07:40Z")
        self.assertEqual(p["log-index"], 90000006)
        self.assertEqual(p["subject"], "wash-" + GNU)
        self.assertEqual(p["bundle-source"], "asset")
        self.assertEqual(p["bundle-digest"], "sha256:" + swtest.sha256_bytes(self.read("new.json")))
        self.assertIn("provenance verified in", r.stderr)
        # the bundle is a release asset: no API request for it
        self.assertEqual(self.attestation_requests(), [])
        self.assertTrue(any(d["path"].startswith("/dl/%s/%s/wash.sigstore.json" % (MONO, NEW_TAG))
                            for d in self.downloads()))
        self.assertEqual(subprocess.run([out["wash-path"]], capture_output=True, text=True).stdout,
                         "wash %s\n" % NEW)

    def test_auto_verifies_provenance_and_says_so(self):
        self.publish_new()
        r = self.prov("--version", NEW)
        self.assertEqual(r.rc, 0, r)
        self.assertIn("verified by provenance", r.stdout)
        self.assertIn("and provenance: built by https://github.com/wasmCloud/wasmCloud/.github/"
                      "workflows/release-tag.yml@refs/heads/main", r.stdout)
        self.assertIn("bundle from wash.sigstore.json", r.stdout)

    def test_outputs_and_summary(self):
        self.publish_new()
        gh_out, summary = os.path.join(self.tmp, "output"), os.path.join(self.tmp, "summary")
        r = self.prov("--version", NEW, env={"GITHUB_OUTPUT": gh_out, "GITHUB_STEP_SUMMARY": summary})
        self.assertEqual(r.rc, 0, r)
        with open(gh_out) as f:
            outputs = dict(line.split("=", 1) for line in f.read().splitlines())
        self.assertEqual((outputs["verified"], outputs["provenance"]), ("provenance", "verified"))
        with open(summary) as f:
            md = f.read()
        self.assertIn("| verified by | provenance |", md)
        self.assertIn("| provenance | `wasmCloud/wasmCloud/.github/workflows/release-tag.yml` at "
                      "`refs/heads/main`, signed 2025-06-15T15:07:40Z (Rekor log index 90000006) |", md)

    def test_cache_hit_keeps_the_provenance_and_respects_the_mode(self):
        self.publish_new()
        self.assertEqual(self.prov("--version", NEW, "--verify", "digest").rc, 0)
        # installed on its digest alone: not enough for --verify provenance, nor for auto
        self.gh.clear_log()
        out, _ = self.prov_json("--version", NEW, "--verify", "provenance")
        self.assertIs(out["cache-hit"], False)
        self.assertEqual(out["verified"], "provenance")
        # now every mode is satisfied with no request, and the hit reports the provenance
        for mode in ("provenance", "auto", "digest"):
            with self.subTest(mode=mode):
                self.gh.clear_log()
                out, _ = self.prov_json("--version", NEW, "--verify", mode)
                self.assertIs(out["cache-hit"], True)
                self.assertEqual(out["provenance"]["workflow-ref"], "refs/heads/main")
                self.assertEqual(self.gh.requests(), [])

    def test_locked_install_verifies_with_no_request_for_the_bundle(self):
        self.publish_new()
        r = self.run_cli("lock", "--version", NEW, "--cache-dir", self.cache, "--trusted-root", self.root)
        self.assertEqual(r.rc, 0, r)
        self.assertIn("provenance from wash.sigstore.json", r.stdout)
        with open(os.path.join(self.cwd, "plugins.lock")) as f:
            lock = json.load(f)
        digest = "sha256:" + swtest.sha256_bytes(self.read("new.json"))
        self.assertEqual(lock["wash"]["provenance"], {"source": "asset", "bundle": digest})
        cached = os.path.join(self.cache, ".setup-wash", "bundles", "sha256", digest[7:] + ".json")
        with open(cached, "rb") as f:
            self.assertEqual(f.read(), self.read("new.json"))
        # the locked install: no API request at all, and only wash itself is downloaded
        self.gh.clear_log()
        out, _ = self.prov_json("--verify", "provenance")
        self.assertEqual((out["wash-version"], out["verified"]), (NEW, "provenance"))
        self.assertEqual(out["provenance"]["bundle-digest"], digest)
        self.assertEqual(self.api_requests(), [])
        self.assertEqual([d["path"].split("?")[0] for d in self.downloads()],
                         ["/dl/%s/%s/wash-%s" % (MONO, NEW_TAG, GNU)])
        # a runner without the bundle fetches the asset again (still no API request), checks it
        # against the pin and keeps it
        os.unlink(cached)
        self.cache = os.path.join(self.tmp, "cache2")
        self.gh.clear_log()
        out, _ = self.prov_json("--verify", "provenance")
        self.assertEqual(out["verified"], "provenance")
        self.assertEqual(self.api_requests(), [])
        self.assertTrue(os.path.exists(os.path.join(self.cache, ".setup-wash", "bundles", "sha256",
                                                    digest[7:] + ".json")))

    def test_locked_bundle_that_changed_is_refused(self):
        self.publish_new()
        r = self.run_cli("lock", "--version", NEW, "--cache-dir", self.cache, "--trusted-root", self.root)
        self.assertEqual(r.rc, 0, r)
        # the release now carries another bundle, valid in itself, but not the one pinned
        self.gh.reset_releases()
        self.publish_new("new2.json")
        self.cache = os.path.join(self.tmp, "fresh-cache")
        r = self.prov("--verify", "provenance")
        self.assertFails(r, 5, "'wash.sigstore.json' of %s is sha256:" % NEW_TAG, "plugins.lock pins",
                         "run 'setup-wash lock' again")
        self.assertNoTrace(NEW)

    def test_lock_refuses_what_it_cannot_verify(self):
        lockfile = os.path.join(self.cwd, "plugins.lock")
        r = self.run_cli("lock", "--version", "1.0.0-beta.3", "--verify", "provenance",
                         "--cache-dir", self.cache, "--trusted-root", self.root)
        self.assertFails(r, 5, "locking wash 1.0.0-beta.3: --verify provenance",
                         "predates build-provenance attestations", "nothing was locked")
        self.assertFalse(os.path.exists(lockfile))
        self.publish_new("other-repo.json")
        r = self.run_cli("lock", "--version", NEW, "--cache-dir", self.cache, "--trusted-root", self.root)
        self.assertFails(r, 5, "locking wash %s: provenance of 'wash-%s' does not verify" % (NEW, GNU),
                         "evil/wasmCloud", "nothing was locked")
        self.assertFalse(os.path.exists(lockfile))
        # --verify digest pins the digests only; auto on an old release says why it pins no more
        r = self.run_cli("lock", "--version", NEW, "--verify", "digest", "--cache-dir", self.cache)
        self.assertEqual(r.rc, 0, r)
        with open(lockfile) as f:
            self.assertNotIn("provenance", json.load(f)["wash"])
        r = self.run_cli("lock", "--version", "1.0.0-beta.3", "--cache-dir", self.cache)
        self.assertEqual(r.rc, 0, r)
        self.assertIn("pins the digests of wash 1.0.0-beta.3 only", r.stderr)

    def test_lock_warns_about_builds_the_bundle_does_not_list(self):
        self.publish_new("new-partial.json")
        r = self.run_cli("lock", "--version", NEW, "--cache-dir", self.cache, "--trusted-root", self.root)
        self.assertEqual(r.rc, 0, r)
        self.assertIn("does not list 1 of its 3 builds (%s)" % DARWIN, r.stderr)
        with open(os.path.join(self.cwd, "plugins.lock")) as f:
            self.assertEqual(json.load(f)["wash"]["provenance"]["source"], "asset")

    # -- (b) the attestations API ---------------------------------------------

    def test_attestations_api_inline_bundle(self):
        self.publish_old(form="inline")
        out, _ = self.prov_json("--version", OLD, "--verify", "provenance")
        self.assertEqual(out["asset"], "wash-" + MUSL)
        p = out["provenance"]
        self.assertEqual((p["status"], p["bundle-source"]), ("verified", "attestations"))
        self.assertEqual(p["workflow"], "wasmCloud/wash/.github/workflows/wash.yml")
        self.assertEqual(p["workflow-ref"], "refs/tags/" + OLD_TAG)
        self.assertEqual([r["path"] for r in self.attestation_requests()],
                         ["/api/v3/repos/%s/attestations/sha256:%s" % (
                             WASH, swtest.sha256_bytes(ASSETS[OLD_TAG]["wash-" + MUSL]))])

    def test_attestations_api_snappy_bundle_url(self):
        self.publish_old(form="url")
        out, _ = self.prov_json("--version", OLD, "--verify", "provenance")
        self.assertEqual(out["provenance"]["bundle-source"], "attestations")
        self.assertEqual(out["provenance"]["bundle-digest"],
                         "sha256:" + swtest.sha256_bytes(self.read("old.json")))
        self.assertEqual(len([d for d in self.downloads() if d["path"].startswith("/dl/blobs/")]), 1)

    def test_a_plain_http_bundle_url_is_not_fetched(self):
        self.publish_old(entries=[{"bundle_url": "http://bundles.invalid/old.json.sz"}])
        r = self.prov("--version", OLD, "--verify", "provenance")
        self.assertEqual(r.rc, 4, r)
        self.assertIn("bundle_url: the URL from 'the attestations API'", r.stderr)
        self.assertIn("is not an https URL", r.stderr)
        self.assertNoTrace(OLD)
        # another attestation that can be fetched over https still verifies
        self.publish_old(entries=[{"bundle_url": "http://bundles.invalid/old.json.sz"},
                                  {"bundle_url": self.blob("old.json.sz")}])
        out, _ = self.prov_json("--version", OLD, "--verify", "provenance")
        self.assertEqual(out["provenance"]["bundle-source"], "attestations")

    def test_every_attestation_is_tried_until_one_verifies(self):
        self.publish_old(entries=[{"bundle_url": self.blob("old-other-repo.json.sz")},
                                  {"bundle_file": self.path("other-digest.json")},
                                  {"bundle_url": self.blob("old.json.sz")}])
        out, _ = self.prov_json("--version", OLD, "--verify", "provenance")
        self.assertEqual(out["provenance"]["bundle-digest"],
                         "sha256:" + swtest.sha256_bytes(self.read("old.json")))

    def test_locked_attestations_install(self):
        self.publish_old(form="url")
        r = self.run_cli("lock", "--version", OLD, "--cache-dir", self.cache, "--trusted-root", self.root)
        self.assertEqual(r.rc, 0, r)
        with open(os.path.join(self.cwd, "plugins.lock")) as f:
            prov = json.load(f)["wash"]["provenance"]
        self.assertEqual(prov, {"source": "attestations",
                                "bundle": "sha256:" + swtest.sha256_bytes(self.read("old.json"))})
        self.gh.clear_log()
        out, _ = self.prov_json("--verify", "provenance")
        self.assertEqual(out["verified"], "provenance")
        self.assertEqual(self.api_requests(), [])
        # without the cached bundle: the one API request, and the bundle_url
        self.cache = os.path.join(self.tmp, "cache2")
        self.gh.clear_log()
        out, _ = self.prov_json("--verify", "provenance")
        self.assertEqual(out["verified"], "provenance")
        self.assertEqual(len(self.api_requests()), 1)
        self.assertEqual(len(self.attestation_requests()), 1)

    def test_no_attestation_auto_warns_provenance_fails_closed(self):
        self.publish_old(entries=[])
        r = self.prov("--version", OLD, "--verify", "provenance")
        self.assertFails(r, 5, "--verify provenance: no provenance bundle was found for 'wash-" + MUSL,
                         "the attestations API lists none", "nothing was installed")
        self.assertNoTrace(OLD)
        out, r = self.prov_json("--version", OLD)
        self.assertEqual((out["verified"], out["provenance"]["status"]), ("digest", "not-found"))
        self.assertIn("warning", r.stderr)
        self.assertIn("only the digest was checked", r.stderr)

    def test_attestations_api_down_auto_warns_provenance_fails_as_network(self):
        self.publish_old()
        self.gh.set_faults([{"match": "/attestations/", "host": "api", "action": {"status": 503}}])
        r = self.prov("--version", OLD, "--verify", "provenance", env={"SETUP_WASH_RETRIES": "0"})
        self.assertFails(r, 4, "--verify provenance: the provenance bundle of 'wash-" + MUSL,
                         "could not be fetched", "HTTP 503")
        self.assertNoTrace(OLD)
        out, r = self.prov_json("--version", OLD, env={"SETUP_WASH_RETRIES": "0"})
        self.assertEqual((out["verified"], out["provenance"]["status"]), ("digest", "unreachable"))
        # a network failure is not remembered as good enough: the next auto install tries again
        self.gh.clear_faults()
        out, _ = self.prov_json("--version", OLD)
        self.assertEqual((out["cache-hit"], out["verified"]), (False, "provenance"))

    # -- (c) tampering: exit 5, nothing installed ------------------------------

    def test_tampered_bundles_are_refused(self):
        good = self.read("new.json")
        doc = json.loads(good)
        payload = bytearray(base64.b64decode(doc["dsseEnvelope"]["payload"]))
        payload[payload.index(b"wash-")] ^= 1  # one byte of the signed statement
        doc["dsseEnvelope"]["payload"] = base64.b64encode(bytes(payload)).decode()
        flipped = json.dumps(doc).encode()
        rows = [
            ("a bundle for other digests", "other-digest.json", None,
             ["artifact sha256:", "is not a subject of the attestation"]),
            ("a bundle from another repository", "other-repo.json", None,
             ["bundle was signed by https://github.com/evil/wasmCloud/.github/workflows/release.yml",
              "wasmCloud/wasmCloud"]),
            ("a bundle from the other wash repository", "wash-repo.json", None,
             ["bundle was signed by https://github.com/wasmCloud/wash/"]),
            ("a signed byte changed", None, flipped, ["does not verify"]),
            ("a truncated bundle", None, good[:len(good) // 2], ["does not verify"]),
            ("not a bundle", None, b'{"mediaType": "text/plain"}', ["does not verify"]),
        ]
        for name, bundle, data, fragments in rows:
            for mode in ("provenance", "auto"):
                with self.subTest(row=name, mode=mode):
                    self.gh.reset_releases()
                    self.publish_new(bundle, data)
                    r = self.prov("--version", NEW, "--verify", mode)
                    self.assertFails(r, 5, "provenance of 'wash-%s' does not verify" % GNU,
                                     "bundle from wash.sigstore.json", *fragments)
                    self.assertIn("nothing was installed", r.stderr)
                    self.assertNoTrace(NEW)

    def test_tampered_attestations_are_refused(self):
        for name, entries in (("another repository, snappy", [{"bundle_url": self.blob("old-other-repo.json.sz")}]),
                              ("not snappy at all", [{"bundle_url": self.blob("old.json")}]),
                              ("other digests, inline", [{"bundle_file": self.path("other-digest.json")}])):
            with self.subTest(row=name):
                self.publish_old(entries=entries)
                r = self.prov("--version", OLD, "--verify", "provenance")
                self.assertFails(r, 5, "provenance of 'wash-%s' does not verify" % MUSL)
                self.assertNoTrace(OLD)

    def test_the_public_good_root_does_not_trust_a_test_bundle(self):
        self.publish_new()
        env = {"SETUP_WASH_TRUSTED_ROOT": None}
        r = self.install("--version", NEW, "--verify", "provenance", env=env)
        self.assertFails(r, 5, "provenance of 'wash-%s' does not verify" % GNU)
        self.assertNoTrace(NEW)
        r = self.install("--version", NEW, env=env)  # auto too: a bad bundle is never ignored
        self.assertFails(r, 5, "does not verify")
        self.assertNoTrace(NEW)

    def test_a_bad_trusted_root_is_a_usage_error(self):
        self.publish_new()
        self.assertFails(self.install("--version", NEW, "--trusted-root", self.path("nope.json")), 2,
                         "trusted root", "does not exist")
        self.assertFails(self.install("--version", NEW, "--trusted-root", self.path("spec.json")), 2,
                         "loading the Sigstore trusted root")
        self.assertNoTrace(NEW)

    # -- (d) releases before attestations --------------------------------------

    def test_before_beta9_auto_says_digest_only_and_provenance_fails_closed(self):
        r = self.install("--version", "1.0.0-beta.3", "--verify", "provenance")
        self.assertFails(r, 5, "wash 1.0.0-beta.3 predates build-provenance attestations",
                         "1.0.0-beta.9", "--verify digest", "nothing was installed")
        self.assertNoTrace("1.0.0-beta.3")
        self.gh.clear_log()
        out, r = self.prov_json("--version", "1.0.0-beta.3")
        self.assertEqual(out["verified"], "digest")
        self.assertEqual(out["provenance"]["status"], "not-attested")
        self.assertIn("only its digest could be checked", out["provenance"]["reason"])
        self.assertIn("only its digest could be checked", r.stderr)
        self.assertEqual(self.attestation_requests(), [])
        r = self.prov("--version", "1.0.0-beta.3")
        self.assertIn("checked: the digest sha256:", r.stdout)
        self.assertIn("only: wash 1.0.0-beta.3 predates", r.stdout)

    def test_resolve_says_where_the_bundle_would_come_from(self):
        self.publish_new()
        self.publish_old()
        rows = [(NEW, "auto", "asset"), (OLD, "auto", "attestations"), ("1.0.0-beta.3", "auto", ""),
                (NEW, "digest", ""), ("1.0.0-beta.3", "provenance", "")]
        for version, mode, want in rows:
            with self.subTest(version=version, mode=mode):
                r = self.run_cli("resolve", "--json", "--version", version, "--verify", mode,
                                 "--cache-dir", self.cache)
                self.assertEqual(r.rc, 0, r)
                self.assertEqual(json.loads(r.stdout)["provenance-source"], want)

    # -- (e) the token ----------------------------------------------------------

    def test_the_token_goes_to_the_api_and_never_to_the_bundle_url(self):
        token = "ghs_provenanceToken0123456789"
        self.publish_old(form="url")
        out, _ = self.prov_json("--version", OLD, "--verify", "provenance", env={"GITHUB_TOKEN": token})
        self.assertEqual(out["verified"], "provenance")
        att = self.attestation_requests()
        self.assertEqual(len(att), 1)
        self.assertEqual({k.lower(): v for k, v in att[0]["headers"].items()}["authorization"],
                         "Bearer " + token)
        blobs = [d for d in self.downloads() if d["path"].startswith("/dl/blobs/")]
        self.assertEqual(len(blobs), 1)
        for req in self.gh.requests():
            if req not in self.api_requests():
                self.assertNotIn("authorization", {k.lower() for k in req["headers"]}, req["path"])


if __name__ == "__main__":
    unittest.main()
