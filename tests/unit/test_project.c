/* Unit tests for src/core/project.c: go.mod, .wash/config.{yaml,json} and package.json as
 * doctor reads them. One cmocka test per row, named by the row. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/project.h"

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- go.mod ---- */

struct gomod_row {
    const char *name;
    const char *text;
    const char *go, *toolchain, *wbg;
};

static const struct gomod_row gomod_rows[] = {
    {"empty", "", "", "", ""},
    {"go line", "module example.com/c\n\ngo 1.22\n", "1.22", "", ""},
    {"go and toolchain", "module m\ngo 1.22.4\ntoolchain go1.25.1\n", "1.22.4", "go1.25.1", ""},
    {"CRLF and comments", "module m\r\ngo 1.23 // min\r\ntoolchain go1.24.2 // pin\r\n", "1.23",
     "go1.24.2", ""},
    {"indented", "  go   1.21.0\n\ttoolchain\tgo1.21.5\n", "1.21.0", "go1.21.5", ""},
    {"no final newline", "module m\ngo 1.24", "1.24", "", ""},
    {"require line", "module m\ngo 1.24\nrequire go.bytecodealliance.org v0.6.2\n", "1.24", "",
     "v0.6.2"},
    {"require block",
     "module m\n\ngo 1.24\n\nrequire (\n\tgithub.com/a/b v1.0.0\n\tgo.bytecodealliance.org/cm "
     "v0.2.2\n\tgo.bytecodealliance.org v0.6.1 // indirect\n)\n",
     "1.24", "", "v0.6.1"},
    {"cm alone is not wit-bindgen-go", "module m\nrequire go.bytecodealliance.org/cm v0.2.2\n", "",
     "", ""},
    {"tool directive only", "module m\ntool go.bytecodealliance.org/cmd/wit-bindgen-go\n", "", "",
     ""},
    {"go line inside a require block is a module", "module m\nrequire (\n\tgo v1.0.0\n)\n", "", "",
     ""},
    {"comment mentions toolchain", "// toolchain go1.99.0\nmodule m\n", "", "", ""},
    {"control characters stripped", "toolchain go1.25.1\x1b[2J\n", "", "go1.25.1\\x1b[2J", ""},
};

/* go.mod with go.sum: what sw_gomod_wbg answers (the version and where it came from) */
struct wbg_row {
    const char *name;
    const char *mod, *sum;
    const char *version; /* NULL: none */
    const char *where;   /* a fragment of where */
    bool tool;
};

static const struct wbg_row wbg_rows[] = {
    {"0.5.0 required", "module m\nrequire go.bytecodealliance.org v0.5.0\n", "", "v0.5.0",
     "go.mod requires go.bytecodealliance.org v0.5.0", false},
    {"0.6.2 with a tool line",
     "module m\ngo 1.24\ntool go.bytecodealliance.org/cmd/wit-bindgen-go\nrequire "
     "go.bytecodealliance.org v0.6.2\n",
     "", "v0.6.2", "v0.6.2, run by go tool", true},
    {"0.7.0 in a tool block",
     "module m\ntool (\n\tgithub.com/x/y\n\tgo.bytecodealliance.org/cmd/wit-bindgen-go\n)\n"
     "require (\n\tgo.bytecodealliance.org v0.7.0 // indirect\n)\n",
     "", "v0.7.0", "go.mod requires", true},
    {"go.sum only, newest of several",
     "module m\n",
     "go.bytecodealliance.org v0.5.0 h1:aaa=\ngo.bytecodealliance.org v0.5.0/go.mod h1:bbb=\n"
     "go.bytecodealliance.org v0.6.2/go.mod h1:ccc=\ngo.bytecodealliance.org/cm v0.9.0 h1:d=\n",
     "v0.6.2", "go.sum lists go.bytecodealliance.org v0.6.2", false},
    {"go.mod wins over go.sum", "require go.bytecodealliance.org v0.5.0\n",
     "go.bytecodealliance.org v0.7.0 h1:x=\n", "v0.5.0", "go.mod requires", false},
    {"go.sum junk", "module m\n", "go.bytecodealliance.org\ngo.bytecodealliance.org 0.7.0 h1:\n"
     "go.bytecodealliance.org vX h1:\ngo.bytecodealliance.org v/go.mod\n", NULL, "", false},
    {"nothing", "module m\n", "", NULL, "", false},
};

static void test_wbg(void **state)
{
    const struct wbg_row *r = *state;
    struct sw_gomod g;
    memset(&g, 0, sizeof(g));
    sw_gomod_parse(r->mod, strlen(r->mod), &g);
    sw_gosum_parse(r->sum, strlen(r->sum), &g);
    char where[256];
    const char *v = sw_gomod_wbg(&g, where, sizeof(where));
    if (!r->version) {
        assert_null(v);
        assert_string_equal(where, "");
    } else {
        assert_non_null(v);
        assert_string_equal(v, r->version);
        assert_non_null(strstr(where, r->where));
    }
    assert_int_equal(g.wbg_tool, r->tool);
}

static void test_gomod(void **state)
{
    const struct gomod_row *r = *state;
    struct sw_gomod g;
    memset(&g, 0, sizeof(g));
    sw_gomod_parse(r->text, strlen(r->text), &g);
    assert_string_equal(g.go, r->go);
    assert_string_equal(g.toolchain, r->toolchain);
    assert_string_equal(g.wbg, r->wbg);
}

/* ---- .wash/config ---- */

struct cfg_row {
    const char *name;
    bool json;
    const char *text;
    const char *command; /* NULL: no command */
    bool invalid;
};

static const struct cfg_row cfg_rows[] = {
    {"plain", false, "build:\n  command: tinygo build -target=wasip2 .\n",
     "tinygo build -target=wasip2 .", false},
    {"with a comment", false, "build:\n  command: make build # the build\n", "make build", false},
    {"hash inside a value", false, "build:\n  command: echo a#b\n", "echo a#b", false},
    {"double quoted", false, "build:\n  command: \"cargo build --release\"\n",
     "cargo build --release", false},
    {"single quoted with #", false, "build:\n  command: 'make # not a comment'\n",
     "make # not a comment", false},
    {"after other keys", false,
     "name: x\nbuild:\n  dir: out\n  artifact: out/a.wasm\n  command: npm run build\ndev: {}\n",
     "npm run build", false},
    {"four-space indent", false, "build:\n    command: make\n", "make", false},
    {"blank lines and comments inside", false, "build:\n\n  # the build\n\n  command: make\n",
     "make", false},
    {"block scalar", false, "build:\n  command: |\n    tinygo build .\n    echo done\n",
     "tinygo build .", false},
    {"folded scalar", false, "build:\n  command: >-\n    make\n", "make", false},
    {"sequence", false, "build:\n  command:\n    - sh\n    - -c\n", "sh", false},
    {"flow mapping", false, "build: {command: make, dir: out}\n", "make", false},
    {"flow mapping quoted", false, "build: {dir: out, command: \"a, b\"}\n", "a, b", false},
    {"document marker", false, "---\nbuild:\n  command: make\n", "make", false},
    {"CRLF", false, "build:\r\n  command: make\r\n", "make", false},
    {"no build", false, "dev:\n  command: make\n", NULL, false},
    {"empty command", false, "build:\n  command:\n", NULL, false},
    {"empty quoted command", false, "build:\n  command: \"\"\n", NULL, false},
    {"command of a nested key", false, "build:\n  hooks:\n    command: make\n", NULL, false},
    {"top-level command", false, "command: make\nbuild:\n  dir: x\n", NULL, false},
    {"commands is not command", false, "build:\n  commands: make\n", NULL, false},
    {"build ends at the next top-level key", false, "build:\n  dir: x\ndev:\n  command: make\n",
     NULL, false},
    {"empty block scalar", false, "build:\n  command: |\nnext: 1\n", NULL, false},
    {"empty file", false, "", NULL, false},
    {"json", true, "{\"build\": {\"command\": \"make\"}}", "make", false},
    {"json without command", true, "{\"build\": {}}", NULL, false},
    {"json empty command", true, "{\"build\": {\"command\": \"\"}}", NULL, false},
    {"json command not a string", true, "{\"build\": {\"command\": [\"make\"]}}", NULL, false},
    {"json broken", true, "{\"build\": ", NULL, true},
};

/* Reads text as .wash/config.json or .wash/config.yaml into a zeroed c. */
static void parse_cfg(bool json, const char *text, struct sw_washcfg *c)
{
    memset(c, 0, sizeof(*c));
    snprintf(c->file, sizeof(c->file), "%s", json ? ".wash/config.json" : ".wash/config.yaml");
    if (json)
        sw_washcfg_parse_json(text, strlen(text), c);
    else
        sw_washcfg_parse_yaml(text, strlen(text), c);
}

/* ---- host component plugins in the wash config ---- */

struct hp_row {
    const char *name;
    bool json;
    const char *text;
    unsigned entries, pinned;
    const char *keys;     /* host_plugin_keys */
    const char *unpinned; /* host_plugins_unpinned */
};

#define DIG "sha256:0123456789abcdef"

static const struct hp_row hp_rows[] = {
    {"none", false, "build:\n  command: make\n", 0, 0, "", ""},
    {"host.hostPlugins block items", false,
     "host:\n  hostPlugins:\n    - file: ./plugins/a.wasm\n      expectedDigest: " DIG "\n"
     "      maxRestarts: 3\n    - oci: ghcr.io/acme/b:1.0\n",
     2, 1, "host.hostPlugins", "ghcr.io/acme/b:1.0"},
    {"items at the key's indent", false,
     "host:\n  hostPlugins:\n  - file: a.wasm\n  - file: b.wasm\n    expectedDigest: " DIG "\n"
     "  other: 1\n",
     2, 1, "host.hostPlugins", "a.wasm"},
    {"dev.host_plugins flow items and plain items", false,
     "dev:\n  host_plugins:\n    - {file: x.wasm, expectedDigest: '" DIG "'}\n"
     "    - 'oci://ghcr.io/acme/c:2'\n",
     2, 1, "dev.host_plugins", "oci://ghcr.io/acme/c:2"},
    {"flow sequence", false,
     "dev:\n  host_plugins: [a.wasm, {oci: \"r/b:1\", expectedDigest: " DIG "}, \"c, d.wasm\"]\n",
     3, 1, "dev.host_plugins", "a.wasm, c, d.wasm"},
    {"both keys", false,
     "host:\n  hostPlugins:\n    - file: a.wasm\ndev:\n  host_plugins:\n    - file: b.wasm\n", 2, 0,
     "host.hostPlugins, dev.host_plugins", "a.wasm, b.wasm"},
    {"an empty expectedDigest does not pin", false,
     "host:\n  hostPlugins:\n    - file: a.wasm\n      expectedDigest:\n", 1, 0, "host.hostPlugins",
     "a.wasm"},
    {"comments and blank lines inside", false,
     "host:\n  # plugins\n  hostPlugins:\n\n    # first\n    - file: a.wasm # local\n", 1, 0,
     "host.hostPlugins", "a.wasm"},
    {"the list ends at the next key", false,
     "host:\n  hostPlugins:\n    - file: a.wasm\n  port: 8000\nbuild:\n  command: make\n", 1, 0,
     "host.hostPlugins", "a.wasm"},
    {"nested deeper is not the key", false,
     "host:\n  other:\n    hostPlugins:\n      - file: a.wasm\n", 0, 0, "", ""},
    {"the other spelling is not read", false,
     "host:\n  host_plugins:\n    - file: a.wasm\ndev:\n  hostPlugins:\n    - file: b\n", 0, 0, "",
     ""},
    {"an empty list", false, "host:\n  hostPlugins: []\n", 0, 0, "", ""},
    {"control characters in a source", false, "dev:\n  host_plugins:\n    - \"a\x1b[2Jb\"\n", 1, 0,
     "dev.host_plugins", "a\\x1b[2Jb"},
    {"json", true,
     "{\"host\": {\"hostPlugins\": [{\"file\": \"a.wasm\", \"expectedDigest\": \"" DIG "\"}, "
     "{\"oci\": \"r/b:1\"}]}, \"dev\": {\"host_plugins\": [\"c.wasm\"]}}",
     3, 1, "host.hostPlugins, dev.host_plugins", "r/b:1, c.wasm"},
    {"json not a list", true, "{\"host\": {\"hostPlugins\": {\"file\": \"a\"}}}", 0, 0, "", ""},
};

static void test_host_plugins(void **state)
{
    const struct hp_row *r = *state;
    struct sw_washcfg c;
    parse_cfg(r->json, r->text, &c);
    assert_false(c.invalid);
    assert_int_equal(c.host_plugins, r->entries);
    assert_int_equal(c.host_plugins_pinned, r->pinned);
    assert_string_equal(c.host_plugin_keys, r->keys);
    assert_string_equal(c.host_plugins_unpinned, r->unpinned);
}

static void test_cfg(void **state)
{
    const struct cfg_row *r = *state;
    struct sw_washcfg c;
    parse_cfg(r->json, r->text, &c);
    assert_int_equal(c.invalid, r->invalid);
    if (r->invalid)
        assert_non_null(strstr(c.error, ".wash/config.json:1:"));
    assert_int_equal(c.has_command, r->command != NULL);
    if (r->command)
        assert_string_equal(c.command, r->command);
}

/* ---- package.json ---- */

struct pkg_row {
    const char *name;
    const char *text;
    bool invalid, typescript, jco;
};

static const struct pkg_row pkg_rows[] = {
    {"typescript dev dependency", "{\"devDependencies\": {\"typescript\": \"^5\"}}", false, true,
     false},
    {"jco dependency", "{\"dependencies\": {\"@bytecodealliance/jco\": \"1.10.2\"}}", false, false,
     true},
    {"both", "{\"dependencies\": {\"typescript\": \"5\"}, \"devDependencies\": "
             "{\"@bytecodealliance/jco\": \"1\"}}",
     false, true, true},
    {"neither", "{\"dependencies\": {\"left-pad\": \"1\"}}", false, false, false},
    {"a script named typescript", "{\"scripts\": {\"typescript\": \"tsc\"}}", false, false, false},
    {"not an object", "[]", true, false, false},
    {"broken", "{", true, false, false},
};

static void test_pkg(void **state)
{
    const struct pkg_row *r = *state;
    struct sw_pkgjson p;
    memset(&p, 0, sizeof(p));
    p.present = true;
    sw_pkgjson_parse(r->text, strlen(r->text), &p);
    assert_int_equal(p.invalid, r->invalid);
    assert_int_equal(p.typescript, r->typescript);
    assert_int_equal(p.jco, r->jco);
}

static void test_is_ts(void **state)
{
    (void)state;
    struct sw_project p;
    memset(&p, 0, sizeof(p));
    assert_false(sw_project_is_ts(&p));
    p.tsconfig = true;
    assert_true(sw_project_is_ts(&p));
    p.tsconfig = false;
    p.pkg.typescript = true; /* without a package.json it does not count */
    assert_false(sw_project_is_ts(&p));
    p.pkg.present = true;
    assert_true(sw_project_is_ts(&p));
    p.plugins_lock_text = malloc(4);
    sw_project_free(&p);
    assert_null(p.plugins_lock_text);
    sw_project_free(&p);
    sw_project_free(NULL);
}

int main(void)
{
    size_t cap = ROWS(gomod_rows) + ROWS(wbg_rows) + ROWS(cfg_rows) + ROWS(hp_rows) + ROWS(pkg_rows) + 1;
    struct CMUnitTest *tests = calloc(cap, sizeof(*tests));
    size_t n = 0;
#define ADD(kind, rows, fn)                                                                        \
    for (size_t i = 0; i < ROWS(rows); i++) {                                                      \
        char *name = malloc(128);                                                                  \
        snprintf(name, 128, "%s: %s", kind, rows[i].name);                                         \
        tests[n++] = (struct CMUnitTest){name, fn, NULL, NULL, (void *)&rows[i]};                  \
    }
    ADD("go.mod", gomod_rows, test_gomod)
    ADD("wit-bindgen-go", wbg_rows, test_wbg)
    ADD("wash config", cfg_rows, test_cfg)
    ADD("host plugins", hp_rows, test_host_plugins)
    ADD("package.json", pkg_rows, test_pkg)
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_is_ts);
    int rc = _cmocka_run_group_tests("project", tests, n, NULL, NULL);
    for (size_t i = 0; i + 1 < n; i++)
        free((void *)tests[i].name);
    free(tests);
    return rc;
}
