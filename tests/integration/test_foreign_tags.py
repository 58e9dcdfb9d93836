"""Tags of other products in wash's two repositories (wash-facts.md section 1) against the fake
GitHub: the wasmCloud 1.x host (v1.x), runtime-operator/v*, wash-cli-v*, wash-lib-v*,
wash-plugin-v*, wash-runtime-v*, and the plain v2.0.0-rc.5 / v2.0.0-rc.7 tags of wasmCloud/wash.
Each is served as a newer, fully assetted release (so a resolver that took it would install it)
and must never be selected, nor named among the "nearest versions"."""

import json
import re

from swcase import GNU, MUSL, CliCase

MONO, OLD = "wasmCloud/wasmCloud", "wasmCloud/wash"
ASSETS = [{"name": "wash-" + GNU}, {"name": "wash-" + MUSL}]

# (repository, tag, the version a careless reader would take from it)
FOREIGN = [
    (MONO, "v1.9.2", "1.9.2"),
    (MONO, "v0.78.0-rc1", "0.78.0-rc1"),
    (MONO, "runtime-operator/v2.99.0", "2.99.0"),
    (MONO, "wash-cli-v0.40.1", "0.40.1"),
    (MONO, "wash-lib-v0.99.0", "0.99.0"),
    (MONO, "wash-plugin-v0.1.0", "0.1.0"),
    (MONO, "wash-runtime-v9.0.0", "9.0.0"),
    (OLD, "wash-runtime-v0.1.0", "0.1.0"),
    (OLD, "v2.0.0-rc.5", "2.0.0-rc.5"),
    (OLD, "v2.0.0-rc.7", "2.0.0-rc.7"),
]


class ForeignTagsTest(CliCase):
    def setUp(self):
        super().setUp()
        by_repo = {}
        for repo, tag, _ in FOREIGN:
            by_repo.setdefault(repo, []).append({"tag_name": tag, "assets": ASSETS})
        self.gh.add_releases(by_repo)

    def resolve(self, spec):
        return self.run_cli("resolve", "--json", "--version", spec)

    def nearest(self, r):
        m = re.search(r"the nearest versions are ([^\n]*)", r.stderr)
        return m.group(1) if m else ""

    def test_latest_rc_and_ranges_never_select_them(self):
        for spec, want in (("latest", "2.7.0"), ("rc", "2.8.0-rc.2"), ("^2", "2.7.0"),
                           (">=2.0.0-rc.5 <2.0.0-rc.8", "2.0.0-rc.7"), ("*", "2.7.0"),
                           ("^0.1", None), ("^9", None), ("^1.9", None), ("~0.78.0-rc1", None)):
            with self.subTest(spec=spec):
                r = self.resolve(spec)
                if want is None:
                    self.assertEqual(r.rc, 3, r)
                    continue
                self.assertEqual(r.rc, 0, r)
                out = json.loads(r.stdout)
                self.assertEqual(out["wash-version"], want)
                self.assertNotIn(out["tag"], [t for _, t, _ in FOREIGN])

    def test_their_versions_are_not_wash_and_never_offered(self):
        for repo, tag, version in FOREIGN:
            with self.subTest(tag=tag):
                r = self.resolve(version)
                if version in ("2.0.0-rc.5", "2.0.0-rc.7"):
                    # the real wash release of that version, under its wash-v tag
                    self.assertEqual(r.rc, 0, r)
                    out = json.loads(r.stdout)
                    self.assertEqual((out["tag"], out["repository"]), ("wash-v" + version, OLD))
                    continue
                self.assertEqual(r.rc, 3, r)
                near = self.nearest(r)
                self.assertTrue(near, r)
                for _, _, other in FOREIGN:
                    if other not in ("2.0.0-rc.5", "2.0.0-rc.7"):
                        self.assertNotIn(other, near.split(", "), (tag, near))

    def test_the_tag_itself_is_refused_as_a_version(self):
        for repo, tag, version in FOREIGN:
            if version in ("2.0.0-rc.5", "2.0.0-rc.7"):
                continue
            with self.subTest(tag=tag):
                r = self.resolve(tag)
                self.assertIn(r.rc, (2, 3), r)
                self.assertNotIn('"tag": "%s"' % tag, r.stdout)

    def test_install_of_a_plain_rc_tag_form_takes_the_wash_v_tag(self):
        out = self.install_json("--version", "v2.0.0-rc.7", "--verify", "digest")
        self.assertEqual((out["tag"], out["repository"]), ("wash-v2.0.0-rc.7", OLD))
        paths = [q["path"] for q in self.gh.requests() if "/releases/download/" in q["path"]]
        self.assertTrue(paths and all("/wash-v2.0.0-rc.7/" in p for p in paths), paths)
