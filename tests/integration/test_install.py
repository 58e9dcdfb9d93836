"""setup-wash install/resolve against the fake GitHub: resolution, layout, cache, outputs."""

import json
import os
import stat
import subprocess
import unittest

import swtest
from swcase import ARCH, GNU, MUSL, CliCase


class InstallTest(CliCase):
    def test_latest_installs_newest_stable_and_it_runs(self):
        out = self.install_json("--version", "latest")
        self.assertEqual(out["wash-version"], "2.7.0")
        self.assertEqual(out["tag"], "v2.7.0")
        self.assertEqual(out["repository"], "wasmCloud/wasmCloud")
        self.assertEqual(out["verified"], "provenance")  # wash.sigstore.json, see test_provenance
        self.assertIs(out["cache-hit"], False)
        exe = out["wash-path"]
        self.assertEqual(exe, os.path.join(self.cache, "wash", "2.7.0", ARCH, "wash"))
        self.assertTrue(os.stat(exe).st_mode & stat.S_IXUSR)
        self.assertTrue(os.path.exists(os.path.join(self.cache, "wash", "2.7.0", ARCH + ".complete")))
        self.assertEqual(out["digest"], "sha256:" + swtest.sha256_file(exe))
        ran = subprocess.run([exe, "--version"], capture_output=True, text=True)
        self.assertEqual(ran.stdout.strip(), "wash 2.7.0")
        self.assertNoTrace()

    def test_rc_selects_newest_prerelease(self):
        self.assertEqual(self.install_json("--version", "rc")["wash-version"], "2.8.0-rc.2")

    def test_exact_forms_all_select_rc8_in_the_monorepo(self):
        for spec in ("2.0.0-rc.8", "v2.0.0-rc.8", "wash-v2.0.0-rc.8"):
            with self.subTest(spec=spec):
                r = self.run_cli("resolve", "--json", "--version", spec)
                self.assertEqual(r.rc, 0, r)
                out = json.loads(r.stdout)
                self.assertEqual((out["tag"], out["repository"]),
                                 ("wash-v2.0.0-rc.8", "wasmCloud/wasmCloud"))

    def test_exact_pin_makes_one_api_request(self):
        # plus, for an attested release without wash.sigstore.json (before 2.1.0), the
        # attestations API (test_provenance)
        att = "/api/v3/repos/%s/attestations/"
        rows = [("2.6.1", "/repos/wasmCloud/wasmCloud/releases/tags/v2.6.1", None),
                ("2.0.0-rc.8", "/repos/wasmCloud/wasmCloud/releases/tags/wash-v2.0.0-rc.8",
                 att % "wasmCloud/wasmCloud"),
                ("2.0.0-rc.5", "/repos/wasmCloud/wash/releases/tags/wash-v2.0.0-rc.5",
                 att % "wasmCloud/wash"),
                ("1.0.0-beta.3", "/repos/wasmCloud/wash/releases/tags/wash-v1.0.0-beta.3", None),
                ("0.42.0", "/repos/wasmCloud/wasmCloud/releases/tags/wash-v0.42.0", None)]
        for version, path, attestations in rows:
            with self.subTest(version=version):
                self.gh.clear_log()
                out = self.install_json("--version", version)
                self.assertEqual(out["wash-version"], version)
                paths = [r["path"] for r in self.api_requests()]
                self.assertEqual(paths[0], "/api/v3" + path)
                if attestations:
                    self.assertEqual(len(paths), 2, paths)
                    self.assertTrue(paths[1].startswith(attestations + "sha256:"), paths)
                else:
                    self.assertEqual(len(paths), 1, paths)

    def test_old_repository_release_installs(self):
        out = self.install_json("--version", "1.0.0-rc.2")
        self.assertEqual((out["repository"], out["tag"]), ("wasmCloud/wash", "wash-v1.0.0-rc.2"))
        # no gnu build before 2.0.5: the musl build is the fallback on a glibc host
        self.assertEqual(out["asset"], "wash-" + MUSL)

    def test_old_line_pin_installs_with_notice(self):
        r = self.install("--version", "0.43.0")
        self.assertEqual(r.rc, 0, r)
        self.assertIn("old wash 0.x line", r.stderr)

    def test_ranges_never_pick_the_old_line(self):
        rows = [("^2", "2.7.0"), ("~2.6", "2.6.1"), ("2.x", "2.7.0"), (">=2.1 <3", "2.7.0"),
                ("^1.0.0-beta.1", "1.0.0-rc.2"), ("^0.40", "0.40.0"), ("0.x", "0.43.0"),
                (">=0.40 <1", "0.43.0"), ("*", "2.7.0")]
        for spec, want in rows:
            with self.subTest(spec=spec):
                r = self.run_cli("resolve", "--json", "--version", spec)
                self.assertEqual(r.rc, 0, r)
                self.assertEqual(json.loads(r.stdout)["wash-version"], want)

    def test_range_with_musl_target(self):
        out = self.install_json("--version", "^2.3", "--target", "aarch64-unknown-linux-musl")
        self.assertEqual(out["wash-version"], "2.7.0")
        self.assertEqual(out["asset"], "wash-aarch64-unknown-linux-musl")
        self.assertEqual(out["target"], "aarch64-unknown-linux-musl")
        self.assertIn(os.path.join("2.7.0", "aarch64-unknown-linux-musl", "wash"), out["wash-path"])

    def test_windows_zip_is_unpacked(self):
        out = self.install_json("--version", "2.3.0", "--target", "x86_64-pc-windows-msvc")
        self.assertEqual(out["asset"], "wash-x86_64-pc-windows-msvc.zip")
        self.assertTrue(out["wash-path"].endswith("wash.exe"))
        with open(out["wash-path"]) as f:
            self.assertIn("wash 2.3.0", f.read())

    def test_windows_before_zip_gets_raw_exe(self):
        out = self.install_json("--version", "2.0.1", "--target", "x86_64-pc-windows-msvc")
        self.assertEqual(out["asset"], "wash-x86_64-pc-windows-msvc")
        self.assertTrue(out["wash-path"].endswith("wash.exe"))

    def test_unknown_version_lists_nearest(self):
        r = self.install("--version", "2.0.9")
        self.assertFails(r, 3, "2.0.9", "2.0.6", "2.1.0")
        self.assertNoTrace("2.0.9")

    def test_no_build_for_target_lists_targets(self):
        r = self.install("--version", "2.4.0", "--target", "s390x-unknown-linux-gnu")
        self.assertFails(r, 3, "s390x-unknown-linux-gnu", GNU,
                         "aarch64-apple-darwin")

    def test_bad_spec_and_target_are_usage_errors(self):
        self.assertFails(self.install("--version", "banana"), 2, "invalid version 'banana'")
        self.assertFails(self.install("--target", "riscv64-unknown-linux-gnu"), 2,
                         "unknown target 'riscv64-unknown-linux-gnu'")
        self.assertFails(self.install("--verify", "maybe"), 2, "invalid --verify 'maybe'")
        self.assertFails(self.install("--bogus"), 2, "unknown option '--bogus'")
        self.assertEqual(self.gh.requests(), [])

    def test_second_install_is_a_cache_hit_with_no_request(self):
        self.install_json("--version", "2.6.0")
        self.gh.clear_log()
        out = self.install_json("--version", "2.6.0")
        self.assertIs(out["cache-hit"], True)
        self.assertEqual(out["tag"], "v2.6.0")
        self.assertEqual(self.gh.requests(), [])

    def test_latest_warm_makes_one_conditional_request(self):
        self.install_json("--version", "latest")
        self.gh.clear_log()
        out = self.install_json("--version", "latest")
        self.assertIs(out["cache-hit"], True)
        reqs = self.gh.requests()
        self.assertEqual(len(reqs), 1, reqs)
        self.assertEqual(reqs[0]["status"], 304)
        self.assertIn("If-None-Match", {k.title(): v for k, v in reqs[0]["headers"].items()})

    def test_pagination_follows_link_header(self):
        self.run_cli("resolve", "--version", "latest", "--cache-dir", self.cache)
        pages = [r for r in self.api_requests() if "/releases?" in r["path"]]
        self.assertGreaterEqual(len(pages), 2, pages)

    def test_interrupted_install_leftover_is_replaced(self):
        # a directory without its .complete marker is what a killed install leaves
        d = os.path.join(self.cache, "wash", "2.6.0", ARCH)
        os.makedirs(d)
        with open(os.path.join(d, "wash"), "w") as f:
            f.write("half")
        out = self.install_json("--version", "2.6.0")
        self.assertIs(out["cache-hit"], False)
        with open(out["wash-path"]) as f:
            self.assertIn("wash 2.6.0", f.read())

    def test_symlink_planted_at_the_install_lock_is_never_followed(self):
        # a link at the per-version lock must not create or write its target
        locks = os.path.join(self.cache, ".setup-wash", "locks")
        os.makedirs(locks)
        target = os.path.join(self.tmp, "planted-target")
        os.symlink(target, os.path.join(locks, "wash-2.6.0-%s.lock" % ARCH))
        r = self.install("--version", "2.6.0")
        self.assertFails(r, 6, "is a symbolic link: refusing to follow it")
        self.assertFalse(os.path.lexists(target), "the lock's symlink was followed")
        self.assertNoTrace("2.6.0")

    def test_runner_outputs_and_path(self):
        gh_out = os.path.join(self.tmp, "output")
        gh_path = os.path.join(self.tmp, "path")
        r = self.install("--version", "2.7.0", env={"GITHUB_OUTPUT": gh_out, "GITHUB_PATH": gh_path})
        self.assertEqual(r.rc, 0, r)
        with open(gh_out) as f:
            outputs = dict(line.split("=", 1) for line in f.read().splitlines())
        for key in ("wash-version", "wash-path", "tag", "repository", "target", "digest",
                    "verified", "cache-hit"):
            self.assertIn(key, outputs)
        self.assertEqual(outputs["wash-version"], "2.7.0")
        self.assertEqual(outputs["cache-hit"], "false")
        with open(gh_path) as f:
            self.assertEqual(f.read(), os.path.dirname(outputs["wash-path"]) + "\n")

    def test_cache_root_from_runner_tool_cache(self):
        tool_cache = os.path.join(self.tmp, "toolcache")
        r = self.run_cli("install", "--json", "--version", "2.7.0",
                         env={"RUNNER_TOOL_CACHE": tool_cache})
        self.assertEqual(r.rc, 0, r)
        self.assertTrue(json.loads(r.stdout)["wash-path"].startswith(tool_cache + "/wash/2.7.0/%s/" % ARCH))

    def test_resolve_offline_answers_exact_versions_without_a_request(self):
        r = self.run_cli("resolve", "--offline", "--json", "--version", "wash-v2.0.0-rc.5",
                         "--cache-dir", self.cache)
        self.assertEqual(r.rc, 0, r)
        out = json.loads(r.stdout)
        self.assertEqual((out["wash-version"], out["tag"], out["repository"]),
                         ("2.0.0-rc.5", "wash-v2.0.0-rc.5", "wasmCloud/wash"))
        self.assertEqual(out["install-dir"], os.path.join(self.cache, "wash", "2.0.0-rc.5", ARCH))
        self.assertEqual(out["lock-plugins"], 0)
        r = self.run_cli("resolve", "--offline", "--version", "^2", "--cache-dir", self.cache)
        self.assertFails(r, 2, "needs the network")
        self.assertEqual(self.gh.requests(), [])

    def test_help_and_version(self):
        r = self.run_cli("--help")
        self.assertEqual(r.rc, 0)
        for word in ("install", "resolve", "lock", "Exit codes"):
            self.assertIn(word, r.stdout)
        r = self.run_cli("help", "install")
        self.assertEqual(r.rc, 0)
        for opt in ("--version", "--target", "--lock", "--verify", "--cache-dir", "--json"):
            self.assertIn(opt, r.stdout)
        self.assertRegex(self.run_cli("--version").stdout, r"^setup-wash \d+\.\d+\.\d+")
        self.assertEqual(self.run_cli("frobnicate").rc, 2)


if __name__ == "__main__":
    unittest.main()
