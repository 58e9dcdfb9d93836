"""The layering of src/: which folder may include which, and the rules of src/sigstore/.

    data      <- core <- os <- sigstore, io, gha <- cmd, main.c

data holds tables; core is pure logic over them; os is the platform layer (src/os/os.h, one
implementation for POSIX and one for Windows, and the only place a system header of either is
included); sigstore is the Sigstore verifier (its own subsystem, see src/sigstore/sigstore.h);
io talks to the system through os; cmd wires it all. The checker
runs over the real tree and over small trees built here with one violation each, so it is known
to catch what it looks for.
"""

import os
import re
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

ALLOWED = {
    "data": {"data"},
    "core": {"core", "data"},
    "sigstore": {"sigstore", "core", "data"},
    "os": {"os", "core"},
    "io": {"io", "core", "data", "sigstore", "os"},
    "gha": {"gha", "core", "os"},
    "cmd": {"cmd", "core", "data", "sigstore", "io", "gha", "os"},
}
# the system headers that differ between POSIX and Windows: only src/os/ includes them
PLATFORM = re.compile(r'^\s*#\s*include\s+<(unistd\.h|fcntl\.h|sys/[a-z_]+\.h|dirent\.h|poll\.h|'
                      r'signal\.h|pwd\.h|glob\.h|ftw\.h|spawn\.h|termios\.h|arpa/[a-z_]+\.h|'
                      r'netinet/[a-z_]+\.h|windows\.h|winsock2\.h|ws2tcpip\.h|io\.h|direct\.h|'
                      r'process\.h)>', re.M)
# the one file of sigstore/ that reads a file (a trusted root given by path)
EXCEPTIONS = {("sigstore/root.c", "io/fs.h")}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/([A-Za-z0-9_.]+)"', re.M)
# what src/sigstore/ never does: print, exit, read the clock or the environment, run programs,
# or use the network
FORBIDDEN = re.compile(r"\b(printf|fprintf|vfprintf|puts|fputs|putchar|perror|exit|abort|time|"
                       r"clock_gettime|gettimeofday|getenv|system|popen|fork|exec[lv]p?e?|"
                       r"socket|connect|curl_[a-z_]+)\s*\(")
COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*|\"(?:\\.|[^\"\\\n])*\"", re.S)


def violations(src):
    """Every broken rule under the tree `src`, as 'file: what' strings."""
    out = []
    for folder in sorted(os.listdir(src)):
        d = os.path.join(src, folder)
        if not os.path.isdir(d):
            continue
        if folder not in ALLOWED:
            out.append("%s/: a folder the layering does not know" % folder)
            continue
        for name in sorted(os.listdir(d)):
            if not name.endswith((".c", ".h")):
                continue
            rel = "%s/%s" % (folder, name)
            with open(os.path.join(d, name), encoding="utf-8") as f:
                text = f.read()
            if folder != "os":
                for m in PLATFORM.finditer(text):
                    out.append("%s: includes <%s>, which only src/os/ may" % (rel, m.group(1)))
            for inc_dir, inc in INCLUDE.findall(text):
                if inc_dir not in ALLOWED[folder] and (rel, "%s/%s" % (inc_dir, inc)) not in EXCEPTIONS:
                    out.append("%s: includes %s/%s" % (rel, inc_dir, inc))
                if (inc_dir, inc) == ("sigstore", "internal.h") and folder != "sigstore":
                    out.append("%s: includes sigstore/internal.h, which is for src/sigstore/" % rel)
            if folder == "sigstore":
                for m in FORBIDDEN.finditer(COMMENT.sub("", text)):
                    out.append("%s: calls %s()" % (rel, m.group(1)))
    return out


class LayoutTest(unittest.TestCase):
    def test_the_tree_keeps_its_layers(self):
        self.assertEqual(violations(os.path.join(ROOT, "src")), [])

    def test_the_sigstore_subsystem_is_its_own_folder(self):
        names = os.listdir(os.path.join(ROOT, "src", "sigstore"))
        self.assertIn("sigstore.h", names)
        self.assertEqual([n for n in os.listdir(os.path.join(ROOT, "src", "io"))
                          if n.startswith("sigstore")], [])

    def test_the_checker_catches_each_kind_of_violation(self):
        rows = [
            ("core/a.c", '#include "io/http.h"\n', "core/a.c: includes io/http.h"),
            ("sigstore/a.c", '#include "io/fs.h"\n', "sigstore/a.c: includes io/fs.h"),
            ("sigstore/b.c", "int f(void) { return printf(\"x\"); }\n", "sigstore/b.c: calls printf()"),
            ("sigstore/c.c", "long t(void) { return time(0); }\n", "sigstore/c.c: calls time()"),
            ("sigstore/d.c", "void g(void) { curl_easy_init(); }\n",
             "sigstore/d.c: calls curl_easy_init()"),
            ("io/e.c", '#include "sigstore/internal.h"\n',
             "io/e.c: includes sigstore/internal.h, which is for src/sigstore/"),
            ("gha/f.c", '#include "data/wash.h"\n', "gha/f.c: includes data/wash.h"),
            ("extra/g.c", "\n", "extra/: a folder the layering does not know"),
            ("io/h.c", "#include <unistd.h>\n", "io/h.c: includes <unistd.h>, which only src/os/ may"),
            ("cmd/i.c", "#include <windows.h>\n",
             "cmd/i.c: includes <windows.h>, which only src/os/ may"),
            ("core/j.c", '#include "os/os.h"\n', "core/j.c: includes os/os.h"),
        ]
        for path, text, want in rows:
            with self.subTest(path=path), tempfile.TemporaryDirectory() as d:
                os.makedirs(os.path.join(d, os.path.dirname(path)))
                with open(os.path.join(d, path), "w") as f:
                    f.write(text)
                self.assertEqual(violations(d), [want])
        # what is allowed, and what only looks like a call, passes
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, "sigstore"))
            with open(os.path.join(d, "sigstore", "root.c"), "w") as f:
                f.write('#include "io/fs.h"\n#include "core/buf.h"\n/* printf(x) */\n'
                        'int h(char *b) { return snprintf(b, 2, "time(0)"); }\n')
            os.makedirs(os.path.join(d, "os"))
            with open(os.path.join(d, "os", "os_win32.c"), "w") as f:
                f.write('#include <windows.h>\n#include <io.h>\n#include "core/buf.h"\n')
            self.assertEqual(violations(d), [])


if __name__ == "__main__":
    unittest.main()
