"""The token goes to the API host only: never to github.com downloads, never to the asset
host, never across a redirect, never into any output."""

import unittest

from swcase import CliCase

TOKEN = "ghs_s3cr3tT0kenValue0123456789"


def auth_of(req):
    return {k.lower(): v for k, v in req["headers"].items()}.get("authorization")


class TokenTest(CliCase):
    def check_no_leak(self, r):
        self.assertNotIn(TOKEN, r.stdout)
        self.assertNotIn(TOKEN, r.stderr)

    def test_token_reaches_api_only(self):
        r = self.install("--version", "latest", env={"GITHUB_TOKEN": TOKEN})
        self.assertEqual(r.rc, 0, r)
        self.check_no_leak(r)
        api = self.api_requests()
        self.assertTrue(api)
        for req in api:
            self.assertEqual(auth_of(req), "Bearer " + TOKEN, req["path"])
        others = [q for q in self.gh.requests() if q not in api]
        self.assertTrue(any(q["host"] == "download" for q in others), others)
        for req in others:
            self.assertIsNone(auth_of(req), "token sent to %s %s" % (req["host"], req["path"]))

    def test_gh_token_is_read_too(self):
        r = self.install("--version", "2.6.1", env={"GH_TOKEN": TOKEN})
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(auth_of(self.api_requests()[0]), "Bearer " + TOKEN)

    def test_token_not_forwarded_across_api_redirect(self):
        # an API answer that redirects to another host (as a renamed repository would)
        target = self.gh.download + "/api/v3/repos/wasmCloud/wasmCloud/releases/tags/v2.6.1"
        self.gh.set_faults([{"match": r"/releases/tags/v2\.6\.1", "host": "api", "times": 1,
                             "action": {"redirect": target, "status": 301}}])
        r = self.install("--version", "2.6.1", env={"GITHUB_TOKEN": TOKEN})
        self.check_no_leak(r)
        for req in self.gh.requests("download"):
            self.assertIsNone(auth_of(req), req["path"])
        self.assertTrue(self.gh.requests("download"), "the redirect was not followed")

    def test_token_absent_from_failure_output(self):
        self.gh.set_faults([{"match": "/releases", "host": "api", "action": {"status": 401,
                             "body": {"message": "Bad credentials"}}}])
        r = self.install("--version", "latest", env={"GITHUB_TOKEN": TOKEN})
        self.assertEqual(r.rc, 4, r)
        self.assertIn("Bad credentials", r.stderr)
        self.assertIn("token was refused", r.stderr)
        self.check_no_leak(r)

    def test_actions_masks_the_token_and_prints_it_nowhere_else(self):
        r = self.install("--version", "2.6.1", env={"GITHUB_TOKEN": TOKEN, "GITHUB_ACTIONS": "true"})
        self.assertEqual(r.rc, 0, r)
        lines = (r.stdout + r.stderr).splitlines()
        with_token = [l for l in lines if TOKEN in l]
        self.assertEqual(with_token, ["::add-mask::" + TOKEN])

    def test_token_is_never_taken_from_argv(self):
        r = self.install("--token", TOKEN)
        self.assertEqual(r.rc, 2, r)
        self.assertEqual(self.gh.requests(), [])


if __name__ == "__main__":
    unittest.main()
