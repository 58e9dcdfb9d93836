"""--min-release-age against the fake GitHub: latest, rc and ranges hold fresh releases back;
exact versions and lock pins ignore the cooldown; nothing old enough is exit 3 with the newest
match and when it qualifies."""

import json
import os

import swtest
from swcase import GNU, MUSL, CliCase

MONO = "wasmCloud/wasmCloud"


def ago(hours):
    return swtest.utc_ago(hours=hours)


def release(tag, published):
    # published None: the API's null (the fake fills in a date when the key is absent)
    return {"tag_name": tag, "published_at": published,
            "assets": [{"name": "wash-" + GNU}, {"name": "wash-" + MUSL}]}


class CooldownTest(CliCase):
    def setUp(self):
        super().setUp()
        # fixture: 2.7.0 (published 2026-10-26) is the newest stable, 2.8.0-rc.2 the newest rc
        self.fresh = ago(2)
        self.gh.add_releases({MONO: [release("v2.10.0-rc.1", ago(1)), release("v2.9.0", self.fresh),
                                     release("v2.8.1", ago(30))]})

    def resolve(self, *args):
        r = self.run_cli("resolve", "--json", *args)
        return r, json.loads(r.stdout) if r.rc == 0 else None

    def test_off_by_default(self):
        r, out = self.resolve("--version", "latest")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual((out["wash-version"], out["held-back"], out["min-release-age"]),
                         ("2.9.0", "", 0))
        self.assertNotIn("held back", r.stderr)

    def test_latest_rc_and_ranges_hold_fresh_releases_back(self):
        for spec, age, want, held in (("latest", "24h", "2.8.1", "2.9.0"),
                                      ("latest", "1h", "2.9.0", ""),
                                      ("latest", "2d", "2.7.0", "2.9.0"),
                                      ("rc", "90m", "2.9.0", "2.10.0-rc.1"),
                                      ("^2.8", "1d", "2.8.1", "2.9.0"),
                                      ("~2.9", "1h", "2.9.0", "")):
            with self.subTest(spec=spec, age=age):
                r, out = self.resolve("--version", spec, "--min-release-age", age)
                self.assertEqual(r.rc, 0, r)
                self.assertEqual((out["wash-version"], out["held-back"]), (want, held))
                if held:
                    self.assertIn("wash %s is held back by --min-release-age" % held, r.stderr)
                    self.assertIn("taking %s" % want, r.stderr)

    def test_install_reports_what_was_held_back(self):
        out = self.install_json("--version", "latest", "--min-release-age", "1d",
                                "--verify", "digest")
        self.assertEqual((out["wash-version"], out["held-back"]), ("2.8.1", "2.9.0"))
        self.assertTrue(os.path.exists(out["wash-path"]))

    def test_exact_version_ignores_the_cooldown(self):
        r, out = self.resolve("--version", "2.9.0", "--min-release-age", "2w")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual((out["wash-version"], out["held-back"]), ("2.9.0", ""))

    def test_nothing_old_enough_is_exit_3_naming_the_newest_match(self):
        r, _ = self.resolve("--version", "~2.9", "--min-release-age", "1d")
        self.assertEqual(r.rc, 3, r)
        self.assertIn("no wash release matching '~2.9' is older than --min-release-age 1d: the "
                      "newest match, 2.9.0, was published %s and qualifies at" % self.fresh,
                      r.stderr)
        self.assertIn("--min-release-age 0", r.stderr)
        self.assertNoTrace()

    def test_release_without_a_published_time_is_held_back(self):
        self.gh.add_releases({MONO: [release("v2.11.0", None)]})
        r, out = self.resolve("--version", "latest", "--min-release-age", "1h")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual((out["wash-version"], out["held-back"]), ("2.9.0", "2.11.0"))
        self.assertIn("no published time", r.stderr)

    def test_lock_takes_the_cooldown_and_a_locked_install_ignores_it(self):
        lock = os.path.join(self.cwd, "plugins.lock")
        r = self.run_cli("lock", "--version", "latest", "--min-release-age", "1d", "--verify",
                         "auto", "--lock", lock)
        self.assertEqual(r.rc, 0, r)
        self.assertIn("locked wash 2.8.1", r.stdout)
        with open(lock) as f:
            self.assertEqual(json.load(f)["wash"]["version"], "2.8.1")
        # the lock pins 2.8.1: an install from it takes 2.8.1 whatever the age asked
        r, out = self.resolve("--lock", lock, "--min-release-age", "10w")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual((out["wash-version"], out["from-lock"]), ("2.8.1", True))

    def test_bad_durations_are_usage_errors(self):
        for bad in ("24", "1y", "-1d", "1.5d", "3651d", ""):
            with self.subTest(age=bad):
                r = self.run_cli("resolve", "--min-release-age", bad)
                self.assertEqual(r.rc, 2, r)
                self.assertIn("--min-release-age '%s' is not a duration" % bad, r.stderr)
        self.assertEqual(self.api_requests(), [])
