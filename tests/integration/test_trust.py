"""Trust boundaries (issue 12) against the fake GitHub: what a hostile API, mirror or cache
answers is checked, never taken on its word."""

import json
import os
import ssl
import urllib.request

from swcase import CliCase

MONO = "wasmCloud/wasmCloud"


class SwappedReleaseTest(CliCase):
    """An exact version is looked up by tag; an answer for another release is refused."""

    def release_json(self, tag):
        ctx = ssl.create_default_context(cafile=self.gh.ca)
        url = "%s/repos/%s/releases/tags/%s" % (self.gh.api, MONO, tag)
        with urllib.request.urlopen(url, context=ctx) as resp:
            return json.load(resp)

    def test_an_answer_for_another_tag_is_refused(self):
        other = self.release_json("v2.0.0")
        self.gh.set_faults([{"match": r"/releases/tags/v2\.0\.1$", "host": "api",
                             "action": {"status": 200, "body": other}}])
        for cmd in (["install", "--cache-dir", self.cache], ["resolve"], ["lock"]):
            with self.subTest(cmd=cmd[0]):
                r = self.run_cli(*cmd, "--version", "2.0.1")
                self.assertFails(r, 5, "looking up release 'v2.0.1' of 'wasmCloud/wasmCloud': the "
                                       "API answered with release 'v2.0.0' instead; refusing it")
        self.assertFalse(os.path.exists(os.path.join(self.cache, "wash")), "nothing installed")
        self.assertEqual(self.downloads(), [])
        self.assertFalse(os.path.exists(os.path.join(self.cwd, "plugins.lock")))

    def test_an_answer_for_another_products_tag_is_refused(self):
        other = self.release_json("v2.0.1")
        other["tag_name"] = "runtime-operator/v2.0.1"
        self.gh.set_faults([{"match": r"/releases/tags/v2\.0\.1$", "host": "api",
                             "action": {"status": 200, "body": other}}])
        r = self.run_cli("resolve", "--version", "2.0.1")
        self.assertFails(r, 5, "the API answered with release 'runtime-operator/v2.0.1' instead")

    def test_a_tag_name_with_control_characters_is_printed_escaped(self):
        other = self.release_json("v2.0.1")
        other["tag_name"] = "v2.0.1\x1b[2J\n::error::forged"
        self.gh.set_faults([{"match": r"/releases/tags/v2\.0\.1$", "host": "api",
                             "action": {"status": 200, "body": other}}])
        r = self.run_cli("resolve", "--version", "2.0.1", env={"GITHUB_ACTIONS": "true"})
        self.assertEqual(r.rc, 5, r)
        self.assertNotIn("\x1b", r.stderr)
        self.assertNotIn("\n::error::forged", r.stderr)

    def test_the_right_answer_still_installs(self):
        r = self.run_cli("install", "--cache-dir", self.cache, "--version", "2.0.1",
                         "--verify", "digest")
        self.assertEqual(r.rc, 0, r)
