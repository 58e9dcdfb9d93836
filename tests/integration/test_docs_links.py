"""The README and the pages under docs/ link to each other: every relative link names a file that
exists, and every #anchor one of that file's headings (GitHub's slugs). Sections move between the
README and docs/; a link left pointing at the old place fails here, naming the file and line."""

import os
import re
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LINK = re.compile(r"\]\(([^)\s]+)\)")


def slug(heading):
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to '-'."""
    s = re.sub(r"[`*_]", "", heading.strip().lower())
    s = re.sub(r"[^\w\- ]", "", s)
    return s.replace(" ", "-")


def markdown_lines(path):
    """(line number, text) of the lines outside fenced code blocks."""
    fence = False
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.startswith("```"):
                fence = not fence
                continue
            if not fence:
                yield n, line.rstrip("\n")


def anchors(path):
    seen, out = {}, set()
    for _, line in markdown_lines(path):
        m = re.match(r"^#+ (.*)$", line)
        if m:
            s = slug(m.group(1))
            k = seen.get(s, 0)
            out.add(s if k == 0 else "%s-%d" % (s, k))
            seen[s] = k + 1
    return out


def pages():
    out = [os.path.join(ROOT, "README.md")]
    docs = os.path.join(ROOT, "docs")
    if os.path.isdir(docs):
        out += sorted(os.path.join(docs, f) for f in os.listdir(docs) if f.endswith(".md"))
    return out


def broken_links(path):
    """What in `path` points nowhere: 'file:line: link (why)'."""
    bad = []
    for n, line in markdown_lines(path):
        for target in LINK.findall(line):
            if re.match(r"^[a-z]+:", target):  # https:, mailto:
                continue
            file, _, anchor = target.partition("#")
            dest = os.path.normpath(os.path.join(os.path.dirname(path), file)) if file else path
            where = "%s:%d: %s" % (os.path.relpath(path, ROOT), n, target)
            if not os.path.exists(dest):
                bad.append(where + " (no such file)")
            elif anchor and dest.endswith(".md") and anchor not in anchors(dest):
                bad.append(where + " (no such heading)")
    return bad


class DocsLinksTest(unittest.TestCase):
    def test_every_relative_link_and_anchor_resolves(self):
        bad = [b for p in pages() for b in broken_links(p)]
        self.assertEqual(bad, [], "\n".join(bad))

    def test_the_checker_finds_a_dangling_anchor_and_a_missing_file(self):
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "a.md")
            with open(p, "w") as f:
                f.write("# A page\n\n## Real one\n\n[ok](#real-one) [gone](#moved-away) "
                        "[file](missing.md) [self](a.md#a-page)\n```\n[code](#not-a-link)\n```\n")
            bad = broken_links(p)
        self.assertEqual(len(bad), 2, bad)
        self.assertIn("#moved-away (no such heading)", bad[0])
        self.assertIn("missing.md (no such file)", bad[1])

    def test_every_docs_page_is_in_the_readme_table(self):
        with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
            readme = f.read()
        missing = [os.path.basename(p) for p in pages()[1:]
                   if "](docs/%s)" % os.path.basename(p) not in readme]
        self.assertEqual(missing, [], "docs pages the README's Documentation table does not list")


if __name__ == "__main__":
    unittest.main()
