/* Unit tests for src/core/toolver.c over real version strings: one cmocka test per row, named
 * by the row, so a failure names its input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/toolver.h"

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- Go ---- */

struct go_row {
    const char *in;
    const char *msg; /* NULL: parses; else a fragment of the error */
    unsigned major, minor, patch;
    bool has_patch;
    enum sw_go_kind kind;
    unsigned pre;
    const char *text;
};

#define GO_OK(in, mi, pa, hp, kind, pre, text) {in, NULL, 1, mi, pa, hp, kind, pre, text}
#define GO_BAD(in) {in, "cannot read a Go version from", 0, 0, 0, false, SW_GO_RELEASE, 0, NULL}

static const struct go_row go_rows[] = {
    GO_OK("go1.22.4", 22, 4, true, SW_GO_RELEASE, 0, "go1.22.4"),
    GO_OK("go1.20", 20, 0, false, SW_GO_RELEASE, 0, "go1.20"),
    GO_OK("go1.21.0", 21, 0, true, SW_GO_RELEASE, 0, "go1.21.0"),
    GO_OK("go1.25.1\n", 25, 1, true, SW_GO_RELEASE, 0, "go1.25.1"),
    GO_OK("  go1.24.0  \n", 24, 0, true, SW_GO_RELEASE, 0, "go1.24.0"),
    GO_OK("go1.26rc1", 26, 0, false, SW_GO_RC, 1, "go1.26rc1"),
    GO_OK("go1.25rc2\n", 25, 0, false, SW_GO_RC, 2, "go1.25rc2"),
    GO_OK("go1.21beta1", 21, 0, false, SW_GO_BETA, 1, "go1.21beta1"),
    GO_OK("go1.26-devel_7c8166d02d Tue Mar 3 18:23:42 2026 -0800", 26, 0, false, SW_GO_DEVEL, 0,
          "go1.26-devel_7c8166d02d"),
    GO_OK("devel go1.19-fd1b5904ae Tue Mar 22 21:26:11 2022 +0000", 19, 0, false, SW_GO_DEVEL,
          0, "go1.19-fd1b5904ae"),
    GO_OK("go1.26.2-X:nodwarf5", 26, 2, true, SW_GO_RELEASE, 0, "go1.26.2-X:nodwarf5"),
    GO_OK("go1.26.2 X:nodwarf5", 26, 2, true, SW_GO_RELEASE, 0, "go1.26.2"),
    GO_OK("go1.24.1-X:boringcrypto\n", 24, 1, true, SW_GO_RELEASE, 0, "go1.24.1-X:boringcrypto"),
    GO_OK("go version go1.22.4 linux/amd64", 22, 4, true, SW_GO_RELEASE, 0, "go1.22.4"),
    GO_OK("go version go1.26rc1 darwin/arm64", 26, 0, false, SW_GO_RC, 1, "go1.26rc1"),
    GO_OK("go version devel go1.19-fd1b5904ae Tue Mar 22 21:26:11 2022 +0000 linux/amd64", 19, 0,
          false, SW_GO_DEVEL, 0, "go1.19-fd1b5904ae"),
    GO_OK("go1.18", 18, 0, false, SW_GO_RELEASE, 0, "go1.18"),
    GO_BAD(""),
    GO_BAD("go"),
    GO_BAD("go1"),
    GO_BAD("go1."),
    GO_BAD("go1.x"),
    GO_BAD("1.22.4"),
    GO_BAD("v1.22.4"),
    GO_BAD("go1.22.4.5"),
    GO_BAD("go1.22-"),
    GO_BAD("go1.22-abc"),
    GO_BAD("go1.22rc"),
    GO_BAD("go1.22rcx"),
    GO_BAD("go1.1234567890"),
    GO_BAD("golang 1.22"),
    GO_BAD("go1.22.4\x01"),
    GO_BAD("devel +a1b2c3d Tue Mar 22 2022"),
    GO_BAD("go: downloading go1.25.1 (linux/amd64)"),
};

static void test_go(void **state)
{
    const struct go_row *r = *state;
    struct sw_gover v;
    struct sw_error err = {0};
    int rc = sw_gover_parse(r->in, &v, &err);
    if (r->msg) {
        assert_int_equal(rc, -1);
        if (!strstr(err.msg, r->msg))
            fail_msg("error '%s' lacks '%s'", err.msg, r->msg);
        return;
    }
    if (rc != 0)
        fail_msg("did not parse: %s", err.msg);
    assert_int_equal(v.major, r->major);
    assert_int_equal(v.minor, r->minor);
    assert_int_equal(v.patch, r->patch);
    assert_int_equal(v.has_patch, r->has_patch);
    assert_int_equal(v.kind, r->kind);
    assert_int_equal(v.pre, r->pre);
    assert_string_equal(v.text, r->text);
}

/* ---- TinyGo ---- */

struct tinygo_row {
    const char *in;
    const char *msg;
    const char *version; /* semver as printed back */
    const char *go;      /* built-with text, NULL when has_go is false */
};

#define TG(v, go) "tinygo version " v " linux/amd64 (using go version " go " and LLVM version 19.1.2)"

static const struct tinygo_row tinygo_rows[] = {
    {TG("0.30.0", "go1.21.1"), NULL, "0.30.0", "go1.21.1"},
    {TG("0.31.2", "go1.22.0"), NULL, "0.31.2", "go1.22.0"},
    {TG("0.32.0", "go1.22.3"), NULL, "0.32.0", "go1.22.3"},
    {"tinygo version 0.33.0 darwin/arm64 (using go version go1.23.0 and LLVM version 18.1.2)",
     NULL, "0.33.0", "go1.23.0"},
    {TG("0.34.0", "go1.23.2"), NULL, "0.34.0", "go1.23.2"},
    {TG("0.35.0", "go1.23.4"), NULL, "0.35.0", "go1.23.4"},
    {TG("0.36.0", "go1.24.0"), NULL, "0.36.0", "go1.24.0"},
    {TG("0.37.0", "go1.24.2"), NULL, "0.37.0", "go1.24.2"},
    {TG("0.38.0", "go1.24.4"), NULL, "0.38.0", "go1.24.4"},
    {TG("0.39.0", "go1.25.0"), NULL, "0.39.0", "go1.25.0"},
    {TG("0.40.1", "go1.25.3"), NULL, "0.40.1", "go1.25.3"},
    {TG("0.41.0", "go1.26.0"), NULL, "0.41.0", "go1.26.0"},
    {TG("0.41.1", "go1.25.10"), NULL, "0.41.1", "go1.25.10"},
    {TG("0.42.0", "go1.26.1"), NULL, "0.42.0", "go1.26.1"},
    {"tinygo version 0.42.0-dev-e9d78a78 linux/amd64 (using go version go1.25.0 and LLVM "
     "version 20.1.1)\n",
     NULL, "0.42.0-dev-e9d78a78", "go1.25.0"},
    {TG("0.41.0-dev-0a1b2c3d", "go1.26rc1"), NULL, "0.41.0-dev-0a1b2c3d", "go1.26rc1"},
    {TG("0.40.0", "go1.25.1-X:nodwarf5"), NULL, "0.40.0", "go1.25.1-X:nodwarf5"},
    {"tinygo version 0.30.0 linux/amd64", NULL, "0.30.0", NULL},
    {"tinygo version 0.39.0 linux/amd64 (using go version devel +abc and LLVM 19)", NULL,
     "0.39.0", NULL},
    {"", "cannot read a TinyGo version from ''", NULL, NULL},
    {"tinygo version", "cannot read a TinyGo version", NULL, NULL},
    {"tinygo version 0.39 linux/amd64", "from 'tinygo version 0.39 linux/amd64'", NULL, NULL},
    {"tinygo 0.39.0", "cannot read a TinyGo version", NULL, NULL},
    {"TinyGo version 0.39.0", "cannot read a TinyGo version", NULL, NULL},
    {"error: could not find GOROOT\n", "from 'error: could not find GOROOT'", NULL, NULL},
};

static void test_tinygo(void **state)
{
    const struct tinygo_row *r = *state;
    struct sw_tinygo_ver v;
    struct sw_error err = {0};
    int rc = sw_tinygo_parse(r->in, &v, &err);
    if (r->msg) {
        assert_int_equal(rc, -1);
        if (!strstr(err.msg, r->msg))
            fail_msg("error '%s' lacks '%s'", err.msg, r->msg);
        return;
    }
    if (rc != 0)
        fail_msg("did not parse: %s", err.msg);
    char vs[SW_SEMVER_STR_MAX];
    assert_string_equal(sw_semver_str(&v.v, vs, sizeof(vs)), r->version);
    assert_int_equal(v.has_go, r->go != NULL);
    if (r->go)
        assert_string_equal(v.go.text, r->go);
}

/* ---- rustc ---- */

struct rustc_row {
    const char *in;
    const char *msg;
    const char *version;
    const char *channel;
};

#define RUSTC_VV(rel, date)                                                                        \
    "rustc " rel " (59807616e " date ")\nbinary: rustc\ncommit-hash: "                             \
    "59807616e1fa2540724bfbac14d7976d7e4a3860\ncommit-date: " date                                \
    "\nhost: x86_64-unknown-linux-gnu\nrelease: " rel "\nLLVM version: 19.1.1\n"

static const struct rustc_row rustc_rows[] = {
    {RUSTC_VV("1.95.0", "2026-04-14"), NULL, "1.95.0", "stable"},
    {RUSTC_VV("1.82.0", "2024-10-15"), NULL, "1.82.0", "stable"},
    {RUSTC_VV("1.81.0", "2024-09-04"), NULL, "1.81.0", "stable"},
    {RUSTC_VV("1.84.0-nightly", "2024-10-29"), NULL, "1.84.0-nightly", "nightly"},
    {RUSTC_VV("1.84.0-beta.3", "2024-11-20"), NULL, "1.84.0-beta.3", "beta"},
    {RUSTC_VV("1.86.0-dev", "2025-01-01"), NULL, "1.86.0-dev", "dev"},
    {"release: 1.84.0\r\n", NULL, "1.84.0", "stable"},
    {"rustc 1.82.0 (f6e511eec 2024-10-15)\n", NULL, "1.82.0", "stable"},
    {"rustc 1.84.0-nightly (1e4f10ba6 2024-10-29)", NULL, "1.84.0-nightly", "nightly"},
    {"", "cannot read a rustc version from ''", NULL, NULL},
    {"rustc", "cannot read a rustc version", NULL, NULL},
    {"binary: rustc\nrelease: abc\n", "cannot read a rustc version", NULL, NULL},
    {"cargo 1.82.0 (8f40fc59f 2024-08-21)", "cannot read a rustc version", NULL, NULL},
    {"error: toolchain 'nightly' is not installed\n", "is not installed", NULL, NULL},
};

static void test_rustc(void **state)
{
    const struct rustc_row *r = *state;
    struct sw_rustc_ver v;
    struct sw_error err = {0};
    int rc = sw_rustc_parse(r->in, &v, &err);
    if (r->msg) {
        assert_int_equal(rc, -1);
        if (!strstr(err.msg, r->msg))
            fail_msg("error '%s' lacks '%s'", err.msg, r->msg);
        return;
    }
    if (rc != 0)
        fail_msg("did not parse: %s", err.msg);
    char vs[SW_SEMVER_STR_MAX];
    assert_string_equal(sw_semver_str(&v.v, vs, sizeof(vs)), r->version);
    assert_string_equal(v.channel, r->channel);
}

/* ---- --version answers ---- */

struct tool_row {
    const char *in;
    const char *version; /* NULL: must fail */
};

static const struct tool_row tool_rows[] = {
    {"wash 2.7.0\n", "2.7.0"},
    {"wash 2.0.0-rc.8", "2.0.0-rc.8"},
    {"wash 2.0.0-rc.7\n", "2.0.0-rc.7"},
    {"wash 1.0.0-beta.10", "1.0.0-beta.10"},
    {"wash 1.0.0-rc.2", "1.0.0-rc.2"},
    {"wash-cli 0.43.0\n", "0.43.0"},
    {"wash-cli 0.39.0\n\xe2\x94\x9c nats-server v2.10.7\n", "0.39.0"},
    {"wasm-tools 1.226.0 (a5c5a3a2c 2025-02-20)\n", "1.226.0"},
    {"wasm-tools 1.225.0", "1.225.0"},
    {"wasm-tools 1.240.0", "1.240.0"},
    {"wit-bindgen-go version v0.6.2\n", "0.6.2"},
    {"wit-bindgen-go version v0.6.1", "0.6.1"},
    {"wit-bindgen-go version v0.7.1-0.20250704174425-55a8715c694f "
     "(55a8715c694fb4bbe75c269ffd4a0ca14c80c6f1)",
     "0.7.1-0.20250704174425-55a8715c694f"},
    {"v20.1.0\n", "20.1.0"},
    {"v22.12.0", "22.12.0"},
    {"1.10.2\n", "1.10.2"},
    {"cargo-component 0.21.1 (8d9b3f6 2025-02-10 wasi:040ec92)", "0.21.1"},
    {"v0.6.2", "0.6.2"},
    {"", NULL},
    {"\n\n", NULL},
    {"wash", NULL},
    {"wit-bindgen-go version (devel)", NULL},
    {"node 20", NULL},
    {"v20.1", NULL},
    {"wash 2.7", NULL},
    {"version", NULL},
    {"\nwash 2.7.0", "2.7.0"},
    {"wash\f2.7.0", "2.7.0"},
    {"a\vb\v1.2.3", "1.2.3"},
    /* found by fuzz_toolver: a form feed between words looped forever */
    {"go1.26.2-Xg\xbf\finy rf5", NULL},
};

static void test_tool(void **state)
{
    const struct tool_row *r = *state;
    struct sw_semver v;
    struct sw_error err = {0};
    int rc = sw_toolver_parse(r->in, &v, &err);
    if (!r->version) {
        assert_int_equal(rc, -1);
        if (!strstr(err.msg, "cannot read a version from '"))
            fail_msg("error '%s' does not carry the raw answer", err.msg);
        return;
    }
    if (rc != 0)
        fail_msg("did not parse: %s", err.msg);
    char vs[SW_SEMVER_STR_MAX];
    assert_string_equal(sw_semver_str(&v, vs, sizeof(vs)), r->version);
}

/* ---- raw text for messages ---- */

struct raw_row {
    const char *in;
    size_t n;
    const char *out;
};

static const struct raw_row raw_rows[] = {
    {"  go1.22.4\n", 64, "go1.22.4"},
    {"a\r\n\r\nb\tc", 64, "a b c"},
    {"\x1b[31mred", 64, "\\x1b[31mred"},
    {"abcdefghij", 8, "abcd..."},
    {"", 8, ""},
    {"\n \t", 8, ""},
};

static void test_raw(void **state)
{
    (void)state;
    for (size_t i = 0; i < ROWS(raw_rows); i++) {
        char buf[64];
        sw_toolver_raw(buf, raw_rows[i].n, raw_rows[i].in);
        if (strcmp(buf, raw_rows[i].out) != 0)
            fail_msg("raw row %zu: got '%s', want '%s'", i, buf, raw_rows[i].out);
    }
    sw_toolver_raw(NULL, 0, "x"); /* n == 0 writes nothing */
    char one[1];
    sw_toolver_raw(one, 1, "abc");
    assert_int_equal(one[0], '\0');
}

/* One test per row, named "<kind>: <input>" with control characters made visible. */
static void add(struct CMUnitTest *t, size_t *n, const char *kind, const char *in,
                void (*fn)(void **), const void *row)
{
    char clean[96];
    sw_toolver_raw(clean, sizeof(clean), in);
    char *name = malloc(128);
    snprintf(name, 128, "%s: '%s'", kind, clean);
    t[*n] = (struct CMUnitTest){name, fn, NULL, NULL, (void *)row};
    (*n)++;
}

int main(void)
{
    size_t cap = ROWS(go_rows) + ROWS(tinygo_rows) + ROWS(rustc_rows) + ROWS(tool_rows) + 1;
    struct CMUnitTest *tests = calloc(cap, sizeof(*tests));
    size_t n = 0;
    for (size_t i = 0; i < ROWS(go_rows); i++)
        add(tests, &n, "go", go_rows[i].in, test_go, &go_rows[i]);
    for (size_t i = 0; i < ROWS(tinygo_rows); i++)
        add(tests, &n, "tinygo", tinygo_rows[i].in, test_tinygo, &tinygo_rows[i]);
    for (size_t i = 0; i < ROWS(rustc_rows); i++)
        add(tests, &n, "rustc", rustc_rows[i].in, test_rustc, &rustc_rows[i]);
    for (size_t i = 0; i < ROWS(tool_rows); i++)
        add(tests, &n, "tool", tool_rows[i].in, test_tool, &tool_rows[i]);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_raw);
    int rc = _cmocka_run_group_tests("toolver", tests, n, NULL, NULL);
    for (size_t i = 0; i + 1 < n; i++)
        free((void *)tests[i].name);
    free(tests);
    return rc;
}
