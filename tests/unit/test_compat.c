/* Unit tests for src/core/compat.c: the Go that will build, and each rule's verdict, message
 * and fix as doctor, lock and install word it. One cmocka test per row, named by the row. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/compat.h"

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))

static void gomod(const char *text, struct sw_gomod *m)
{
    memset(m, 0, sizeof(*m));
    if (text) {
        m->present = true;
        sw_gomod_parse(text, strlen(text), m);
    }
}

/* ---- the Go that will build ---- */

struct go_row {
    const char *name;
    const char *answer, *local, *env, *mod;
    bool absent;
    bool known;
    const char *version; /* v.text */
    enum sw_go_src src;
    const char *who; /* a fragment */
};

static const struct go_row go_rows[] = {
    {"go1.24.3 on PATH", "go1.24.3\n", "go1.24.3\n", NULL, "module m\ngo 1.22\n", false, true,
     "go1.24.3", SW_GO_SRC_PATH, "Go on PATH is go1.24.3"},
    {"go1.25.5 on PATH", "go1.25.5", "go1.25.5", NULL, NULL, false, true, "go1.25.5",
     SW_GO_SRC_PATH, "Go on PATH is go1.25.5"},
    {"go1.26.1 on PATH", "go1.26.1", "go1.26.1", NULL, NULL, false, true, "go1.26.1",
     SW_GO_SRC_PATH, "Go on PATH is go1.26.1"},
    {"devel go1.26", "devel go1.26-abcdef Tue Mar 3 18:23:42 2026 -0800", NULL, NULL, NULL, false,
     true, "go1.26-abcdef", SW_GO_SRC_PATH, "Go on PATH is go1.26-abcdef"},
    {"go1.26-devel", "go1.26-devel_7c8166d02d Tue Mar 3 18:23:42 2026 -0800",
     "go1.26-devel_7c8166d02d Tue Mar 3 18:23:42 2026 -0800", NULL, NULL, false, true,
     "go1.26-devel_7c8166d02d", SW_GO_SRC_PATH, "Go on PATH is go1.26-devel_7c8166d02d"},
    {"GOTOOLCHAIN=go1.25.5", "go1.25.5", "go1.24.3", "go1.25.5", NULL, false, true, "go1.25.5",
     SW_GO_SRC_ENV, "GOTOOLCHAIN=go1.25.5 selects go1.25.5 (Go on PATH is go1.24.3)"},
    {"GOTOOLCHAIN=go1.25.5+auto, go.mod asks less", "go1.25.5", "go1.24.3", "go1.25.5+auto",
     "module m\ngo 1.24\n", false, true, "go1.25.5", SW_GO_SRC_ENV,
     "GOTOOLCHAIN=go1.25.5+auto selects go1.25.5"},
    {"GOTOOLCHAIN=go1.24.3+auto, toolchain line higher", "go1.26.1", "go1.24.3", "go1.24.3+auto",
     "module m\ngo 1.24\ntoolchain go1.26.1\n", false, true, "go1.26.1", SW_GO_SRC_TOOLCHAIN,
     "the toolchain line in go.mod selects go1.26.1 (Go on PATH is go1.24.3)"},
    {"GOTOOLCHAIN=go1.24.3+path, go line higher", "go1.25.0", "go1.24.3", "go1.24.3+path",
     "module m\ngo 1.25.0\n", false, true, "go1.25.0", SW_GO_SRC_GOLINE,
     "the go line in go.mod (go 1.25.0) selects go1.25.0"},
    {"GOTOOLCHAIN=local", "go1.24.3", "go1.24.3", "local", "module m\ntoolchain go1.26.1\n", false,
     true, "go1.24.3", SW_GO_SRC_PATH, "Go on PATH is go1.24.3"},
    {"GOTOOLCHAIN=auto and a toolchain line", "go1.25.5", "go1.24.3", "auto",
     "module m\ngo 1.22\ntoolchain go1.25.5\n", false, true, "go1.25.5", SW_GO_SRC_TOOLCHAIN,
     "the toolchain line in go.mod selects go1.25.5"},
    {"no go: the toolchain line", NULL, NULL, NULL, "module m\ngo 1.24\ntoolchain go1.25.5\n", true,
     true, "go1.25.5", SW_GO_SRC_GOMOD, "no go on PATH: go.mod's toolchain line names go1.25.5"},
    {"no go: the go line", NULL, NULL, NULL, "module m\ngo 1.26\n", true, true, "go1.26",
     SW_GO_SRC_GOMOD, "no go on PATH: go.mod's go line names go1.26"},
    {"no go, no go.mod", NULL, NULL, NULL, NULL, true, false, NULL, SW_GO_SRC_PATH,
     "no go on PATH and no go.mod"},
    {"no go, go.mod names no Go", NULL, NULL, NULL, "module m\n", true, false, NULL, SW_GO_SRC_PATH,
     "go.mod names no Go"},
    {"no go, bad toolchain line", NULL, NULL, NULL, "module m\ntoolchain default\n", true, false,
     NULL, SW_GO_SRC_PATH, "toolchain line 'default' is not a Go version"},
    {"go gave no answer", NULL, NULL, NULL, "module m\ngo 1.24\n", false, false, NULL,
     SW_GO_SRC_PATH, "gave no answer"},
    {"an answer that is not a version", "hello", "go1.24.3", NULL, NULL, false, false, NULL,
     SW_GO_SRC_PATH, "hello"},
};

static void test_go(void **state)
{
    const struct go_row *r = *state;
    struct sw_gomod m;
    gomod(r->mod, &m);
    struct sw_gobuild_in in = {r->answer, r->local, r->absent, r->env, &m};
    struct sw_gobuild g;
    sw_gobuild_select(&in, &g);
    assert_int_equal(g.known, r->known);
    if (r->known) {
        assert_string_equal(g.v.text, r->version);
        assert_int_equal(g.src, r->src);
    }
    if (!strstr(g.who, r->who))
        fail_msg("who '%s' lacks '%s'", g.who, r->who);
}

/* ---- TinyGo <-> Go ---- */

struct tg_row {
    const char *name;
    const char *tinygo, *go, *local, *mod;
    bool absent;
    const char *compat_off;
    enum sw_compat_for who;
    enum sw_compat_status status;
    const char *message, *fix; /* fragments */
    const char *file;
};

#define L SW_COMPAT_FOR_LOCK
#define I SW_COMPAT_FOR_INSTALL
#define D SW_COMPAT_FOR_DOCTOR

static const struct tg_row tg_rows[] = {
    {"0.39.0 with go1.26.1 (the issue's example)", "0.39.0", "go1.26.1", "go1.26.1", NULL, false,
     NULL, L, SW_COMPAT_ERROR, "TinyGo 0.39.0 supports Go 1.19-1.25, Go on PATH is go1.26.1",
     "lock tinygo@auto or tinygo@^0.42, or build with Go 1.25 or older (GOTOOLCHAIN=go1.25.x)",
     NULL},
    {"0.39.0 with go1.26.1 for install", "0.39.0", "go1.26.1", "go1.26.1", NULL, false, NULL, I,
     SW_COMPAT_ERROR, "TinyGo 0.39.0 supports Go 1.19-1.25",
     "lock a TinyGo that builds with it ('setup-wash lock tinygo@auto', or tinygo@^0.42)", NULL},
    {"0.39.0 with go1.26.1 for doctor", "0.39.0", "go1.26.1", "go1.26.1", NULL, false, NULL, D,
     SW_COMPAT_ERROR, "TinyGo 0.39.0 supports Go 1.19-1.25",
     "install TinyGo >= 0.41.0 or set GOTOOLCHAIN=go1.25.x", NULL},
    {"0.42.0 with go1.24.3", "0.42.0", "go1.24.3", "go1.24.3", NULL, false, NULL, L,
     SW_COMPAT_ERROR, "TinyGo 0.42.0 supports Go 1.25-1.27, Go on PATH is go1.24.3",
     "set GOTOOLCHAIN=go1.25.x (or add 'toolchain go1.25.0' to go.mod) or lock tinygo@auto or "
     "tinygo@^0.41",
     NULL},
    {"0.41.1 with go1.26.1", "0.41.1", "go1.26.1", "go1.26.1", NULL, false, NULL, L, SW_COMPAT_OK,
     "TinyGo 0.41.1 supports Go 1.19-1.26", "", NULL},
    {"0.40.1 with go1.25.5", "0.40.1", "go1.25.5", "go1.25.5", NULL, false, NULL, L, SW_COMPAT_OK,
     "Go on PATH is go1.25.5", "", NULL},
    {"0.40.1 with a devel go1.26", "0.40.1", "devel go1.26-abcdef Tue Mar 3", NULL, NULL, false,
     NULL, L, SW_COMPAT_ERROR, "Go on PATH is go1.26-abcdef", "tinygo@^0.42", NULL},
    {"0.42.0 with go1.28.0: none fits", "0.42.0", "go1.28.0", "go1.28.0", NULL, false, NULL, L,
     SW_COMPAT_ERROR, "TinyGo 0.42.0 supports Go 1.25-1.27",
     "no TinyGo this setup-wash knows accepts Go 1.28 (TinyGo 0.42.x accepts up to 1.27)", NULL},
    {"the toolchain line selects go1.26.1", "0.39.0", "go1.26.1", "go1.24.3",
     "module m\ngo 1.22\ntoolchain go1.26.1\n", false, NULL, L, SW_COMPAT_ERROR,
     "the toolchain line in go.mod selects go1.26.1 (Go on PATH is go1.24.3)",
     "lock tinygo@auto or tinygo@^0.42 or change the toolchain line in go.mod to go1.25.x",
     "go.mod"},
    {"no go: go.mod's toolchain line", "0.39.0", NULL, NULL,
     "module m\ngo 1.22\ntoolchain go1.26.1\n", true, NULL, I, SW_COMPAT_ERROR,
     "no go on PATH: go.mod's toolchain line names go1.26.1",
     "change the toolchain line in go.mod to go1.25.x", "go.mod"},
    {"no go: go.mod's go line requires more", "0.39.0", NULL, NULL, "module m\ngo 1.26.0\n", true,
     NULL, L, SW_COMPAT_ERROR, "; go.mod requires go 1.26.0", "lock tinygo@auto", "go.mod"},
    {"newer than the table", "0.50.0", "go1.26.1", "go1.26.1", NULL, false, NULL, L, SW_COMPAT_WARN,
     "TinyGo 0.50.0 is newer than the releases this setup-wash knows", "update setup-wash", NULL},
    {"older than the table", "0.29.0", "go1.20", "go1.20", NULL, false, NULL, L, SW_COMPAT_NA,
     "older than any release", "", NULL},
    {"TINYGO_GOCOMPATIBILITY=false on 0.40", "0.40.0", "go1.26.1", "go1.26.1", NULL, false,
     "TINYGO_GOCOMPATIBILITY=false", L, SW_COMPAT_WARN, "turns TinyGo's range check off",
     "tinygo@^0.42", NULL},
    {"TINYGO_GOCOMPATIBILITY=false before 0.40", "0.39.0", "go1.26.1", "go1.26.1", NULL, false,
     "TINYGO_GOCOMPATIBILITY=false", L, SW_COMPAT_ERROR, "has no effect before TinyGo 0.40.0",
     "tinygo@auto", NULL},
};

static void test_tinygo_go(void **state)
{
    const struct tg_row *r = *state;
    struct sw_gomod m;
    gomod(r->mod, &m);
    struct sw_gobuild_in in = {r->go, r->local, r->absent, NULL, &m};
    struct sw_gobuild g;
    sw_gobuild_select(&in, &g);
    assert_true(g.known);
    struct sw_semver tv;
    assert_int_equal(sw_semver_parse(r->tinygo, &tv, NULL), 0);
    struct sw_compat_verdict v;
    sw_compat_tinygo_go(&tv, &g, &m, r->compat_off, r->who, &v);
    assert_int_equal(v.status, r->status);
    if (!strstr(v.message, r->message))
        fail_msg("message '%s' lacks '%s'", v.message, r->message);
    if (r->fix[0] ? !strstr(v.fix, r->fix) : v.fix[0] != '\0')
        fail_msg("fix '%s' is not '%s'", v.fix, r->fix);
    if (r->file)
        assert_string_equal(v.file, r->file);
    else
        assert_null(v.file);
    /* the verdict and the predicate tinygo@auto uses agree */
    if (r->status == SW_COMPAT_OK || r->status == SW_COMPAT_ERROR)
        assert_int_equal(sw_compat_tinygo_accepts(&tv, &g.v), r->status == SW_COMPAT_OK);
}

/* tinygo@auto's predicate: the newest release line for each Go of the issue; and the bump's
 * reason to hold a TinyGo back */
struct acc_row {
    const char *name, *tinygo, *go;
    bool ok;
    const char *why; /* sw_compat_tinygo_misses; NULL: false */
};

static const struct acc_row acc_rows[] = {
    {"0.42.0 takes go1.25.5", "0.42.0", "go1.25.5", true, NULL},
    {"0.42.0 refuses go1.24.3", "0.42.0", "go1.24.3", false,
     "needs Go \u2265 1.25, the project builds with go1.24.3"},
    {"0.41.1 takes go1.24.3", "0.41.1", "go1.24.3", true, NULL},
    {"0.42.0 takes go1.26.1", "0.42.0", "go1.26.1", true, NULL},
    {"0.40.1 refuses go1.26.1", "0.40.1", "go1.26.1", false,
     "supports Go up to 1.25, the project builds with go1.26.1"},
    {"0.42.0 refuses go1.28.0", "0.42.0", "go1.28.0", false,
     "supports Go up to 1.27, the project builds with go1.28.0"},
    {"0.50.0 (unknown) is never taken, nor held back", "0.50.0", "go1.26.1", false, NULL},
    {"a prerelease counts as its X.Y.Z", "0.42.0-dev-e9d78a78", "go1.25.0", true, NULL},
    {"go2 is not Go 1", "0.42.0", "go2.0.0", false, NULL},
};

/* sw_compat_tinygo_accepts, and sw_compat_tinygo_misses's reason where the table refuses */
static void test_accepts(void **state)
{
    const struct acc_row *r = *state;
    struct sw_semver tv;
    struct sw_gobuild_in in = {r->go, r->go, false, NULL, NULL};
    struct sw_gobuild g;
    char why[200] = "";
    assert_int_equal(sw_semver_parse(r->tinygo, &tv, NULL), 0);
    sw_gobuild_select(&in, &g);
    assert_true(g.known);
    assert_int_equal(sw_compat_tinygo_accepts(&tv, &g.v), r->ok);
    assert_int_equal(sw_compat_tinygo_misses(&tv, &g, why, sizeof(why)), r->why != NULL);
    if (r->why)
        assert_string_equal(why, r->why);
}

/* ---- wit-bindgen-go and wasm-tools ---- */

struct wbg_row {
    const char *name, *wbg, *wt; /* wt NULL: unknown */
    enum sw_compat_for who;
    enum sw_compat_status status;
    const char *message, *fix;
};

static const struct wbg_row wbg_rows[] = {
    {"0.5.0 with 1.240.0 for lock", "0.5.0", "1.240.0", L, SW_COMPAT_ERROR,
     "wit-bindgen-go 0.5.0 (go.mod requires go.bytecodealliance.org v0.5.0) breaks with "
     "wasm-tools 1.240.0 (locked) (1.226.0 and newer need wit-bindgen-go 0.6.2)",
     "require go.bytecodealliance.org 0.6.2 or newer: go get go.bytecodealliance.org@latest, or "
     "lock a wasm-tools older than 1.226.0 (wasm-tools@<1.226.0)"},
    {"0.5.0 with 1.226.0 (the edge)", "0.5.0", "1.226.0", D, SW_COMPAT_ERROR,
     "breaks with wasm-tools 1.226.0", "go get go.bytecodealliance.org@latest"},
    {"0.5.0 with 1.225.0", "0.5.0", "1.225.0", L, SW_COMPAT_OK,
     "works with wasm-tools 1.225.0 (locked)", ""},
    {"0.6.1 with 1.240.0", "0.6.1", "1.240.0", L, SW_COMPAT_ERROR, "breaks", "0.6.2 or newer"},
    {"0.6.2 with 1.240.0", "0.6.2", "1.240.0", L, SW_COMPAT_OK, "wit-bindgen-go 0.6.2", ""},
    {"0.7.0 with 1.240.0", "0.7.0", "1.240.0", L, SW_COMPAT_OK, "wit-bindgen-go 0.7.0", ""},
    {"0.5.0, wasm-tools unknown", "0.5.0", NULL, D, SW_COMPAT_WARN,
     "the wasm-tools version is unknown", "go get"},
};

static void test_wbg(void **state)
{
    const struct wbg_row *r = *state;
    struct sw_semver w, t;
    assert_int_equal(sw_semver_parse(r->wbg, &w, NULL), 0);
    if (r->wt)
        assert_int_equal(sw_semver_parse(r->wt, &t, NULL), 0);
    char where[128];
    snprintf(where, sizeof(where), "go.mod requires go.bytecodealliance.org v%s", r->wbg);
    struct sw_compat_verdict v;
    sw_compat_wbg(&w, where, true, r->wt ? &t : NULL, r->who == D ? NULL : "locked", r->who, &v);
    assert_int_equal(v.status, r->status);
    if (!strstr(v.message, r->message))
        fail_msg("message '%s' lacks '%s'", v.message, r->message);
    if (r->fix[0] ? !strstr(v.fix, r->fix) : v.fix[0] != '\0')
        fail_msg("fix '%s' is not '%s'", v.fix, r->fix);
    if (v.status == SW_COMPAT_ERROR)
        assert_string_equal(v.file, "go.mod");
}

/* ---- wasip2 needs wasm-tools; built-with ---- */

static void test_wasip2(void **state)
{
    (void)state;
    struct sw_semver t40, t32;
    struct sw_compat_verdict v;
    assert_int_equal(sw_semver_parse("0.40.1", &t40, NULL), 0);
    assert_int_equal(sw_semver_parse("0.32.0", &t32, NULL), 0);
    sw_compat_wasip2_tools(&t40, false, &v);
    assert_int_equal(v.status, SW_COMPAT_WARN);
    assert_non_null(strstr(v.message, "the lock pins TinyGo 0.40.1 but no wasm-tools"));
    assert_string_equal(v.fix, "lock it too: setup-wash lock wasm-tools");
    sw_compat_wasip2_tools(&t40, true, &v);
    assert_int_equal(v.status, SW_COMPAT_OK);
    sw_compat_wasip2_tools(&t32, false, &v);
    assert_int_equal(v.status, SW_COMPAT_NA);
}

static void test_built(void **state)
{
    (void)state;
    struct sw_semver t;
    struct sw_gover b;
    struct sw_gobuild_in in = {"go1.26.1", "go1.26.1", false, NULL, NULL};
    struct sw_gobuild g;
    struct sw_compat_verdict v;
    sw_gobuild_select(&in, &g);
    assert_int_equal(sw_semver_parse("0.41.1", &t, NULL), 0);
    assert_int_equal(sw_gover_parse("go1.25.4", &b, NULL), 0);
    sw_compat_tinygo_built(&t, &b, &g, &v);
    assert_int_equal(v.status, SW_COMPAT_ERROR);
    assert_string_equal(v.message, "TinyGo 0.41.1 was built with go1.25.4 and refuses a newer Go, "
                                   "Go on PATH is go1.26.1");
    assert_int_equal(sw_gover_parse("go1.26.0", &b, NULL), 0);
    sw_compat_tinygo_built(&t, &b, &g, &v);
    assert_int_equal(v.status, SW_COMPAT_OK);
    assert_int_equal(sw_semver_parse("0.33.0", &t, NULL), 0);
    sw_compat_tinygo_built(&t, &b, &g, &v);
    assert_int_equal(v.status, SW_COMPAT_NA);
}

static void test_none(void **state)
{
    (void)state;
    struct sw_semver newest;
    struct sw_gobuild_in in = {"go1.28.0", "go1.28.0", false, NULL, NULL};
    struct sw_gobuild g;
    struct sw_compat_verdict v;
    sw_gobuild_select(&in, &g);
    assert_int_equal(sw_semver_parse("0.42.0", &newest, NULL), 0);
    sw_compat_tinygo_none(&newest, &g, &v);
    assert_int_equal(v.status, SW_COMPAT_ERROR);
    assert_string_equal(v.message, "no TinyGo release builds with go1.28.0 (Go on PATH is "
                                   "go1.28.0): the newest, 0.42.0, supports Go 1.25-1.27");
    assert_string_equal(v.fix, "build with Go 1.27 or older (GOTOOLCHAIN=go1.27.x), or wait for "
                               "a TinyGo that supports Go 1.28");
    in = (struct sw_gobuild_in){"go1.24.3", "go1.24.3", false, NULL, NULL};
    sw_gobuild_select(&in, &g);
    sw_compat_tinygo_none(&newest, &g, &v);
    assert_string_equal(v.fix, "build with Go 1.25 or newer (GOTOOLCHAIN=go1.25.x)");
    assert_int_equal(sw_semver_parse("0.50.0", &newest, NULL), 0);
    sw_compat_tinygo_none(&newest, &g, &v);
    assert_non_null(strstr(v.message, "the newest, 0.50.0, is not in its table"));
    assert_string_equal(v.fix, "update setup-wash, or name a version (tinygo@0.50.0)");
}

int main(void)
{
    size_t cap = ROWS(go_rows) + ROWS(tg_rows) + ROWS(acc_rows) + ROWS(wbg_rows) + 3;
    struct CMUnitTest *tests = calloc(cap, sizeof(*tests));
    size_t n = 0;
#define ADD(kind, rows, fn)                                                                        \
    for (size_t i = 0; i < ROWS(rows); i++) {                                                      \
        char *name = malloc(160);                                                                  \
        snprintf(name, 160, "%s: %s", kind, rows[i].name);                                         \
        tests[n++] = (struct CMUnitTest){name, fn, NULL, NULL, (void *)&rows[i]};                  \
    }
    ADD("go", go_rows, test_go)
    ADD("tinygo-go", tg_rows, test_tinygo_go)
    ADD("accepts", acc_rows, test_accepts)
    ADD("wit-bindgen-go", wbg_rows, test_wbg)
    size_t named = n;
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_wasip2);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_built);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_none);
    int rc = _cmocka_run_group_tests("compat", tests, n, NULL, NULL);
    for (size_t i = 0; i < named; i++)
        free((void *)tests[i].name);
    free(tests);
    return rc;
}
