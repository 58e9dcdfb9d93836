/* Unit tests for src/core/lock.c (plugins.lock): parse, deterministic format, pinning a
 * release from the fixtures, and a table of bad lockfiles that must each be refused with a
 * message that says where. Every failing row is printed by number. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

#include "support.h"
#include "core/lock.h"

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))
#define MAXNAMES 12

#define WASH "wasmCloud/wash"
#define MONO "wasmCloud/wasmCloud"

#define HEX16 "0123456789abcdef"
#define HEX64 HEX16 HEX16 HEX16 HEX16
#define HEX16U "0123456789ABCDEF"
#define HEX64U HEX16U HEX16U HEX16U HEX16U
#define DA "sha256:" HEX64
#define DB                                                                                         \
    "sha256:"                                                                                      \
    "fedcba9876543210" HEX16 HEX16 HEX16
#define DC                                                                                         \
    "sha256:"                                                                                      \
    "aaaaaaaaaaaaaaaa" HEX16 HEX16 HEX16

/* ---- fixtures ---- */

/* ---- lockfiles ---- */

/* The canonical text of a complete lock: what sw_lock_format must write, byte for byte. */
static const char canonical[] =
    "{\n"
    "  \"lockfile-version\": 1,\n"
    "  \"wash\": {\n"
    "    \"requested\": \"^2\",\n"
    "    \"version\": \"2.7.0\",\n"
    "    \"tag\": \"v2.7.0\",\n"
    "    \"repository\": \"wasmCloud/wasmCloud\",\n"
    "    \"assets\": {\n"
    "      \"wash-aarch64-apple-darwin\": {\n"
    "        \"target\": \"aarch64-apple-darwin\",\n"
    "        \"size\": 131,\n"
    "        \"digest\": \"" DA "\"\n"
    "      },\n"
    "      \"wash-x86_64-pc-windows-msvc.zip\": {\n"
    "        \"target\": \"x86_64-pc-windows-msvc\",\n"
    "        \"size\": 3000000000,\n"
    "        \"digest\": \"" DB "\"\n"
    "      },\n"
    "      \"wash-x86_64-unknown-linux-gnu\": {\n"
    "        \"target\": \"x86_64-unknown-linux-gnu\",\n"
    "        \"digest\": \"" DC "\"\n"
    "      }\n"
    "    }\n"
    "  },\n"
    "  \"plugins\": [\n"
    "    {\n"
    "      \"name\": \"blobstore-filesystem\",\n"
    "      \"source\": \"ghcr.io/wasmcloud/wash-plugins/blobstore-filesystem:0.1.0\",\n"
    "      \"digest\": \"" DA "\",\n"
    "      \"manifest\": \"" DB "\",\n"
    "      \"size\": 4096,\n"
    "      \"wit\": \"0.0.2\"\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"local\",\n"
    "      \"source\": \"./plugins/local.wasm\"\n"
    "    }\n"
    "  ]\n"
    "}\n";

/* The same lock written by hand: other key order, one line, assets unsorted, upper-case hex. */
static const char scrambled[] =
    "{\"plugins\":[{\"source\":\"./plugins/local.wasm\",\"name\":\"local\"},"
    "{\"wit\":\"0.0.2\",\"size\":4096,\"manifest\":\"" DB "\",\"digest\":\"" DA "\","
    "\"source\":\"ghcr.io/wasmcloud/wash-plugins/blobstore-filesystem:0.1.0\","
    "\"name\":\"blobstore-filesystem\"}],"
    "\"wash\":{\"assets\":{"
    "\"wash-x86_64-unknown-linux-gnu\":{\"digest\":\"sha256:AAAAAAAAAAAAAAAA" HEX16U HEX16U HEX16U
    "\",\"target\":\"x86_64-unknown-linux-gnu\"},"
    "\"wash-x86_64-pc-windows-msvc.zip\":{\"size\":3e9,\"target\":\"x86_64-pc-windows-msvc\","
    "\"digest\":\"" DB "\"},"
    "\"wash-aarch64-apple-darwin\":{\"target\":\"aarch64-apple-darwin\",\"digest\":\"" DA
    "\",\"size\":131}},"
    "\"repository\":\"wasmCloud/wasmCloud\",\"tag\":\"v2.7.0\",\"version\":\"2.7.0\","
    "\"requested\":\"^2\"},\"lockfile-version\":1.0}";

static const char minimal_out[] = "{\n  \"lockfile-version\": 1,\n  \"plugins\": []\n}\n";

/* ---- sw_lock_parse: good lockfiles ---- */

struct ok_row {
    const char *name, *text;
    const char *version;   /* NULL: no wash entry */
    const char *requested; /* NULL: none */
    size_t nassets;
    const char *first_name, *first_digest;
    int64_t first_size;
    int nplugins;
};

static const struct ok_row ok_rows[] = {
    {"complete lock", canonical, "2.7.0", "^2", 3, "wash-aarch64-apple-darwin", DA, 131, 2},
    {"scrambled lock", scrambled, "2.7.0", "^2", 3, "wash-aarch64-apple-darwin", DA, 131, 2},
    {"only the version", "{\"lockfile-version\": 1}", NULL, NULL, 0, NULL, NULL, 0, 0},
    {"empty plugins", "{\"lockfile-version\": 1, \"plugins\": []}", NULL, NULL, 0, NULL, NULL, 0,
     0},
    {"no requested, no size, upper-case digest, rc.8 tag",
     "{\"lockfile-version\":1,\"wash\":{\"version\":\"2.0.0-rc.8\",\"tag\":\"wash-v2.0.0-rc.8\","
     "\"repository\":\"wasmCloud/wasmCloud\",\"assets\":{\"wash-x86_64-unknown-linux-musl\":{"
     "\"target\":\"x86_64-unknown-linux-musl\",\"digest\":\"sha256:" HEX64U "\"}}}}",
     "2.0.0-rc.8", NULL, 1, "wash-x86_64-unknown-linux-musl", DA, -1, 0},
    {"a beta from the old repository",
     "{\"lockfile-version\":1,\"wash\":{\"version\":\"1.0.0-beta.3\",\"tag\":\"wash-v1.0.0-beta.3"
     "\",\"repository\":\"wasmCloud/wash\",\"assets\":{\"wash-aarch64-apple-darwin\":{\"target\":"
     "\"aarch64-apple-darwin\",\"size\":0,\"digest\":\"" DB "\"}}},\"plugins\":[]}",
     "1.0.0-beta.3", NULL, 1, "wash-aarch64-apple-darwin", DB, 0, 0},
    {"the old 0.x line",
     "{\"lockfile-version\":1,\"wash\":{\"version\":\"0.43.0\",\"tag\":\"wash-v0.43.0\","
     "\"repository\":\"wasmCloud/wasmCloud\",\"assets\":{\"wash-x86_64-pc-windows-msvc\":{"
     "\"target\":\"x86_64-pc-windows-msvc\",\"digest\":\"" DC "\"}}}}",
     "0.43.0", NULL, 1, "wash-x86_64-pc-windows-msvc", DC, -1, 0},
};

static void test_parse_ok(void **state)
{
    (void)state;
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(ok_rows); i++) {
        const struct ok_row *r = &ok_rows[i];
        struct sw_lock *lock = NULL;
        struct sw_error err = {0};
        int rc = sw_lock_parse(r->text, strlen(r->text), "plugins.lock", &lock, &err);
        if (rc != 0 || !lock) {
            print_error("row %zu (%s): does not parse: %s\n", i, r->name, err.msg);
            bad++;
            continue;
        }
        const struct sw_lock_wash *w = lock->wash;
        int nplugins = (int)lock->nplugins;
        bool ok = nplugins == r->nplugins;
        if (!r->version) {
            ok = ok && w == NULL;
        } else {
            ok = ok && w && strcmp(w->version, r->version) == 0 &&
                 (r->requested ? w->requested && strcmp(w->requested, r->requested) == 0
                               : w->requested == NULL) &&
                 w->nassets == r->nassets && strcmp(w->assets[0].name, r->first_name) == 0 &&
                 strcmp(w->assets[0].digest, r->first_digest) == 0 &&
                 w->assets[0].size == r->first_size;
            for (size_t k = 1; ok && k < w->nassets; k++)
                ok = strcmp(w->assets[k - 1].name, w->assets[k].name) < 0;
            for (size_t k = 0; ok && k < w->nassets; k++)
                ok = sw_lock_asset_named(w, w->assets[k].name) == &w->assets[k];
            ok = ok && sw_lock_asset_named(w, "wash-nonexistent") == NULL;
        }
        if (!ok) {
            print_error("row %zu (%s): parsed as version %s requested %s, %zu assets, first %s "
                        "%s %" PRId64 ", %d plugins\n",
                        i, r->name, w ? w->version : "-", w && w->requested ? w->requested : "-",
                        w ? w->nassets : 0, w && w->nassets ? w->assets[0].name : "-",
                        w && w->nassets ? w->assets[0].digest : "-",
                        w && w->nassets ? w->assets[0].size : -2, nplugins);
            bad++;
        }
        sw_lock_free(lock);
    }
    sw_lock_free(NULL);
    if (sw_lock_asset_named(NULL, "wash-x86_64-unknown-linux-gnu") != NULL) {
        print_error("sw_lock_asset_named(NULL, ...) is not NULL\n");
        bad++;
    }
    if (bad)
        fail();
}

/* ---- sw_lock_format: deterministic, round trip ---- */

struct format_row {
    const char *name, *text;
    const char *want; /* the exact formatted text */
};

static const struct format_row format_rows[] = {
    {"canonical is a fixed point", canonical, canonical},
    {"scrambled formats canonically", scrambled, canonical},
    {"no wash, no plugins", "{\"lockfile-version\":1}", minimal_out},
    {"no wash, empty plugins", "  {\"plugins\":[],\"lockfile-version\":1}\n\n", minimal_out},
};

static void test_format(void **state)
{
    (void)state;
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(format_rows); i++) {
        const struct format_row *r = &format_rows[i];
        struct sw_lock *lock = NULL, *again = NULL;
        struct sw_error err = {0};
        char *text = NULL, *text2 = NULL;
        if (sw_lock_parse(r->text, strlen(r->text), "plugins.lock", &lock, &err) != 0) {
            print_error("row %zu (%s): does not parse: %s\n", i, r->name, err.msg);
            bad++;
            continue;
        }
        text = sw_lock_format(lock);
        if (!text || strcmp(text, r->want) != 0) {
            print_error("row %zu (%s): formatted as\n%s\nwant\n%s\n", i, r->name,
                        text ? text : "(null)", r->want);
            bad++;
        } else if (sw_lock_parse(text, strlen(text), "plugins.lock", &again, &err) != 0 ||
                   !(text2 = sw_lock_format(again)) || strcmp(text, text2) != 0) {
            print_error("row %zu (%s): parse(format(x)) formats differently: %s\n%s\n", i, r->name,
                        err.msg, text2 ? text2 : "(null)");
            bad++;
        } else if (lock->nplugins != again->nplugins) {
            print_error("row %zu (%s): plugins changed across the round trip\n", i, r->name);
            bad++;
        }
        free(text);
        free(text2);
        sw_lock_free(lock);
        sw_lock_free(again);
    }
    if (bad)
        fail();
}

/* Plugin entries: what parses, what is refused, and the helpers around them. */
struct plugin_row {
    const char *name, *entry; /* one element of "plugins" */
    int ok;
    const char *frag;
};

#define PE(x) "{\"name\":\"p\",\"source\":\"ghcr.io/a/p:1\"" x "}"
static const struct plugin_row plugin_rows[] = {
    {"unlocked oci", PE(""), 1, NULL},
    {"locked oci",
     PE(",\"digest\":\"" DA "\",\"manifest\":\"" DB "\",\"size\":1,\"wit\":\"0.0.1\""), 1, NULL},
    {"url", "{\"name\":\"p\",\"source\":\"https://example.test/p.wasm\"}", 1, NULL},
    {"path", "{\"name\":\"p\",\"source\":\"./p.wasm\"}", 1, NULL},
    {"http url", "{\"name\":\"p\",\"source\":\"http://example.test/p.wasm\"}", 0, "https only"},
    {"bad name", "{\"name\":\"a/b\",\"source\":\"./p.wasm\"}", 0, "plugins[0].name"},
    {"empty name", "{\"name\":\"\",\"source\":\"./p.wasm\"}", 0, "non-empty string"},
    {"no source", "{\"name\":\"p\"}", 0, "plugins[0].source"},
    {"bad oci ref", "{\"name\":\"p\",\"source\":\"ghcr.io/A/p\"}", 0, "lowercase"},
    {"unknown key", PE(",\"ref\":\"x\""), 0, "unknown key 'ref'"},
    {"digest without size", PE(",\"digest\":\"" DA "\""), 0, "both digest and size"},
    {"bad digest", PE(",\"digest\":\"sha256:12\",\"size\":1"), 0, "64 hex digits"},
    {"manifest on a path", "{\"name\":\"p\",\"source\":\"./p.wasm\",\"manifest\":\"" DA "\"}", 0,
     "only OCI sources"},
    {"bad wit", PE(",\"wit\":\"two\""), 0, "0.0.2"},
    {"not an object", "\"p\"", 0, "expected an object"},
};

static void test_plugins(void **state)
{
    (void)state;
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(plugin_rows); i++) {
        const struct plugin_row *r = &plugin_rows[i];
        char text[2048];
        struct sw_lock *lock = NULL;
        struct sw_error err = {0};
        snprintf(text, sizeof(text), "{\"lockfile-version\":1,\"plugins\":[%s]}", r->entry);
        int rc = sw_lock_parse(text, strlen(text), "plugins.lock", &lock, &err);
        bool ok = r->ok ? rc == 0 && lock->nplugins == 1
                        : rc < 0 && err.code == SW_EXIT_USAGE && strstr(err.msg, r->frag);
        if (!ok) {
            print_error("row %zu (%s): rc=%d err=%s\n", i, r->name, rc, err.msg);
            bad++;
        }
        sw_lock_free(lock);
    }
    /* duplicate names: both would install as p.wasm */
    struct sw_lock *lock = NULL;
    struct sw_error err = {0};
    const char *dup = "{\"lockfile-version\":1,\"plugins\":[" PE("") "," PE("") "]}";
    if (sw_lock_parse(dup, strlen(dup), "plugins.lock", &lock, &err) == 0 ||
        !strstr(err.msg, "two plugins are named 'p'")) {
        print_error("duplicate names: %s\n", err.msg);
        bad++;
    }
    sw_lock_free(lock);
    /* add, replace by name, keep sorted */
    lock = sw_lock_new();
    assert_int_equal(sw_lock_add_plugin(lock, "zeta", "ghcr.io/a/z:1", &err), 0);
    assert_int_equal(sw_lock_add_plugin(lock, "alpha", "./a.wasm", &err), 0);
    assert_int_equal(sw_lock_add_plugin(lock, "zeta", "ghcr.io/a/z:2", &err), 0);
    assert_int_equal(lock->nplugins, 2);
    assert_string_equal(lock->plugins[0].name, "alpha");
    assert_string_equal(lock->plugins[1].source, "ghcr.io/a/z:2");
    assert_int_equal(sw_lock_add_plugin(lock, "no/slash", "./a.wasm", &err), -1);
    sw_lock_free(lock);
    /* default names, as `wash plugin install` names files */
    static const char *const names[][2] = {
        {"ghcr.io/wasmcloud/wash-plugins/blobstore-filesystem:0.1.0", "blobstore-filesystem"},
        {"ghcr.io/a/b@sha256:" HEX64, "b"},
        {"https://example.test/dl/my.plugin.wasm?x=1", "my_plugin"},
        {"./plugins/local.wasm", "local"},
        {"127.0.0.1:5000/p", "p"},
    };
    for (size_t i = 0; i < ROWS(names); i++) {
        char *n = sw_plugin_default_name(names[i][0]);
        if (strcmp(n, names[i][1]) != 0) {
            print_error("default name of '%s': '%s', want '%s'\n", names[i][0], n, names[i][1]);
            bad++;
        }
        free(n);
    }
    if (bad)
        fail();
}

/* ---- sw_path_within: where a lock's path sources may point ---- */

struct within_row {
    const char *root, *path;
    bool in;
};

static const struct within_row within_rows[] = {
    {"/w/project", "/w/project/plugins/x.wasm", true},
    {"/w/project", "/w/project", true},
    {"/w/project/", "/w/project/x.wasm", true},
    {"/w/project", "/w/project-other/x.wasm", false}, /* a prefix, not a parent */
    {"/w/project", "/w/projec", false},
    {"/w/project", "/w/x.wasm", false},
    {"/w/project", "/etc/passwd", false},
    {"/w/project", "/dev/zero", false},
    {"/", "/dev/zero", true},
    {"/w/project", "w/project/x.wasm", false}, /* relative: never inside */
    {"w/project", "w/project/x.wasm", false},
    {"/w/project", "", false},
    /* Windows paths, as the platform layer gives them ('/'-separated, with a drive) */
    {"C:/w/project", "C:/w/project/plugins/x.wasm", true},
    {"C:/w/project", "C:/w/project-other/x.wasm", false},
    {"C:/w/project", "D:/w/project/x.wasm", false},
    {"C:/", "C:/x.wasm", true},
    {"C:/w/project", "C:w/project/x.wasm", false}, /* drive-relative: never inside */
    {"C:w/project", "C:w/project/x.wasm", false},
};

static void test_path_within(void **state)
{
    (void)state;
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(within_rows); i++) {
        const struct within_row *r = &within_rows[i];
        if (sw_path_within(r->root, r->path) != r->in) {
            print_error("row %zu: '%s' within '%s' should be %s\n", i, r->path, r->root,
                        r->in ? "true" : "false");
            bad++;
        }
    }
    if (bad)
        fail();
}

/* ---- sw_lock_set_wash from fixture releases ---- */

struct set_row {
    const char *repo, *tag, *requested;
    const char *version;
    const char *names[MAXNAMES]; /* the locked assets, in order */
};

static const struct set_row set_rows[] = {
    {MONO,
     "v2.7.0",
     "^2",
     "2.7.0",
     {"wash-aarch64-apple-darwin", "wash-aarch64-unknown-linux-gnu",
      "wash-aarch64-unknown-linux-musl", "wash-s390x-unknown-linux-gnu", "wash-x86_64-apple-darwin",
      "wash-x86_64-pc-windows-msvc", "wash-x86_64-pc-windows-msvc.zip",
      "wash-x86_64-unknown-linux-gnu", "wash-x86_64-unknown-linux-musl"}},
    {MONO,
     "v2.1.0",
     NULL,
     "2.1.0",
     {"wash-aarch64-apple-darwin", "wash-aarch64-unknown-linux-gnu",
      "wash-aarch64-unknown-linux-musl", "wash-x86_64-apple-darwin", "wash-x86_64-pc-windows-msvc",
      "wash-x86_64-pc-windows-msvc.zip", "wash-x86_64-unknown-linux-gnu",
      "wash-x86_64-unknown-linux-musl"}},
    {MONO,
     "v2.0.2",
     "2.0.2",
     "2.0.2",
     {"wash-aarch64-apple-darwin", "wash-aarch64-unknown-linux-musl", "wash-x86_64-apple-darwin",
      "wash-x86_64-pc-windows-msvc", "wash-x86_64-pc-windows-msvc.zip",
      "wash-x86_64-unknown-linux-musl"}},
    {MONO,
     "wash-v2.0.0-rc.8",
     "rc",
     "2.0.0-rc.8",
     {"wash-aarch64-apple-darwin", "wash-aarch64-unknown-linux-musl", "wash-x86_64-apple-darwin",
      "wash-x86_64-pc-windows-msvc", "wash-x86_64-unknown-linux-musl"}},
    {WASH,
     "wash-v1.0.0-beta.1",
     "^1.0.0-beta.1",
     "1.0.0-beta.1",
     {"wash-aarch64-apple-darwin", "wash-aarch64-unknown-linux-musl", "wash-x86_64-apple-darwin",
      "wash-x86_64-pc-windows-msvc", "wash-x86_64-unknown-linux-musl"}},
    {MONO,
     "wash-v0.43.0",
     "0.43.0",
     "0.43.0",
     {"wash-aarch64-apple-darwin", "wash-aarch64-unknown-linux-musl", "wash-x86_64-apple-darwin",
      "wash-x86_64-pc-windows-msvc", "wash-x86_64-unknown-linux-musl"}},
};

/* The triple an asset name is for, spelled out for the test: the name minus "wash-" and any
 * ".zip". */
static void expected_target(const char *name, char *buf, size_t n)
{
    const char *t = name + strlen("wash-");
    size_t l = strlen(t);
    if (l > 4 && strcmp(t + l - 4, ".zip") == 0)
        l -= 4;
    snprintf(buf, n, "%.*s", (int)l, t);
}

static bool check_set(const struct set_row *r, const struct sw_release *rel,
                      const struct sw_lock_wash *w, size_t row)
{
    size_t want_n = 0;
    while (want_n < MAXNAMES && r->names[want_n])
        want_n++;
    if (strcmp(w->version, r->version) != 0 || strcmp(w->tag, r->tag) != 0 ||
        strcmp(w->repository, r->repo) != 0 ||
        (r->requested ? !w->requested || strcmp(w->requested, r->requested) != 0
                      : w->requested != NULL) ||
        w->nassets != want_n) {
        print_error("row %zu: locked %s %s %s requested %s with %zu assets, want %s %s %s %s "
                    "with %zu\n",
                    row, w->version, w->tag, w->repository, w->requested ? w->requested : "-",
                    w->nassets, r->version, r->tag, r->repo, r->requested ? r->requested : "-",
                    want_n);
        return false;
    }
    for (size_t k = 0; k < want_n; k++) {
        const struct sw_lock_asset *a = &w->assets[k];
        const struct sw_asset *src = sw_release_asset(rel, r->names[k]);
        char target[64];
        expected_target(r->names[k], target, sizeof(target));
        if (strcmp(a->name, r->names[k]) != 0 || !src || !src->digest ||
            strcmp(a->digest, src->digest) != 0 || a->size != src->size ||
            strcmp(a->target, target) != 0) {
            print_error("row %zu: asset %zu is %s (%s, %s, %" PRId64 "), want %s (%s, %s, %" PRId64
                        ")\n",
                        row, k, a->name, a->target, a->digest, a->size, r->names[k], target,
                        src && src->digest ? src->digest : "-", src ? src->size : -2);
            return false;
        }
    }
    if (sw_lock_asset_named(w, "wash.sigstore.json") != NULL) {
        print_error("row %zu: the sigstore bundle was locked as a binary\n", row);
        return false;
    }
    return true;
}

static void test_set_wash(void **state)
{
    (void)state;
    static const char start[] =
        "{\"lockfile-version\":1,\"wash\":{\"version\":\"2.0.0-rc.8\",\"tag\":\"wash-v2.0.0-rc.8\","
        "\"repository\":\"wasmCloud/wasmCloud\",\"assets\":{\"wash-x86_64-unknown-linux-musl\":{"
        "\"target\":\"x86_64-unknown-linux-musl\",\"digest\":\"" DA "\"}}},"
        "\"plugins\":[{\"name\":\"p\",\"source\":\"ghcr.io/x/p:1\"}]}";
    struct sw_releases rs = {0};
    size_t bad = 0;
    sw_test_load_releases(&rs);
    for (size_t i = 0; i < ROWS(set_rows); i++) {
        const struct set_row *r = &set_rows[i];
        const struct sw_release *rel = NULL;
        for (size_t k = 0; k < rs.n; k++)
            if (strcmp(rs.items[k].repo, r->repo) == 0 && strcmp(rs.items[k].tag, r->tag) == 0)
                rel = &rs.items[k];
        struct sw_lock *lock = NULL, *again = NULL;
        struct sw_error err = {0};
        char *text = NULL, *text2 = NULL;
        if (!rel) {
            print_error("row %zu: %s %s is not in the fixtures\n", i, r->repo, r->tag);
            bad++;
            continue;
        }
        if (sw_lock_parse(start, strlen(start), "plugins.lock", &lock, &err) != 0 ||
            sw_lock_set_wash(lock, rel, r->requested, &err) != 0) {
            print_error("row %zu: set_wash(%s) failed: %s\n", i, r->tag, err.msg);
            bad++;
            sw_lock_free(lock);
            continue;
        }
        bool ok = check_set(r, rel, lock->wash, i);
        text = sw_lock_format(lock);
        if (ok && (sw_lock_parse(text, strlen(text), "plugins.lock", &again, &err) != 0 ||
                   !check_set(r, rel, again->wash, i) || !(text2 = sw_lock_format(again)) ||
                   strcmp(text, text2) != 0)) {
            print_error("row %zu: the formatted lock does not round-trip (%s):\n%s\n", i, err.msg,
                        text);
            ok = false;
        }
        if (ok && (strstr(text, "sigstore") != NULL ||
                   strstr(text, "\"name\": \"p\",\n      \"source\": \"ghcr.io/x/p:1\"") == NULL)) {
            print_error("row %zu: bundle listed or plugins lost:\n%s\n", i, text);
            ok = false;
        }
        if (!ok)
            bad++;
        free(text);
        free(text2);
        sw_lock_free(lock);
        sw_lock_free(again);
    }
    sw_releases_free(&rs);
    if (bad)
        fail();
}

/* A release that reports no digest has nothing to pin; the lock keeps what it had. */
static void test_set_wash_no_digest(void **state)
{
    (void)state;
    static const struct {
        const char *name, *json;
    } rows[] = {
        {"no digests",
         "{\"tag_name\":\"v2.9.0\",\"assets\":[{\"name\":\"wash-x86_64-unknown-linux-gnu\","
         "\"size\":5},{\"name\":\"wash-aarch64-apple-darwin\"}]}"},
        {"bad digests",
         "{\"tag_name\":\"v2.9.0\",\"assets\":[{\"name\":\"wash-x86_64-unknown-linux-gnu\","
         "\"digest\":\"sha256:1234\"}]}"},
        {"digest only on the bundle",
         "{\"tag_name\":\"v2.9.0\",\"assets\":[{\"name\":\"wash-x86_64-unknown-linux-gnu\"},"
         "{\"name\":\"wash.sigstore.json\",\"digest\":\"" DA "\"}]}"},
        {"digest only on an unknown target",
         "{\"tag_name\":\"v2.9.0\",\"assets\":[{\"name\":\"wash-x86_64-unknown-linux-gnu\"},"
         "{\"name\":\"wash-riscv64gc-unknown-linux-gnu\",\"digest\":\"" DA "\"}]}"},
    };
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(rows); i++) {
        struct sw_releases rs = {0};
        struct sw_error err = {0};
        struct sw_lock *lock = sw_lock_new();
        if (sw_releases_add_json(&rs, MONO, rows[i].json, strlen(rows[i].json), "row", &err) != 0 ||
            rs.n != 1) {
            print_error("row %zu (%s): fixture not loaded: %s\n", i, rows[i].name, err.msg);
            bad++;
        } else if (sw_lock_set_wash(lock, &rs.items[0], "^2", &err) != -1 ||
                   err.code != SW_EXIT_VERIFY ||
                   strstr(err.msg, "release 'v2.9.0' of 'wasmCloud/wasmCloud' reports no digest") ==
                       NULL ||
                   lock->wash != NULL) {
            print_error("row %zu (%s): want SW_EXIT_VERIFY, got code %d '%s'\n", i, rows[i].name,
                        err.code, err.msg);
            bad++;
        }
        sw_lock_free(lock);
        sw_releases_free(&rs);
    }
    if (bad)
        fail();
}

/* ---- sw_lock_parse: bad lockfiles ---- */

#define GNU "wash-x86_64-unknown-linux-gnu"
#define HEAD "\"version\":\"2.7.0\",\"tag\":\"v2.7.0\",\"repository\":\"wasmCloud/wasmCloud\""
#define ASSET(name, body) "\"" name "\":{" body "}"
#define GOOD_BODY "\"target\":\"x86_64-unknown-linux-gnu\",\"size\":1,\"digest\":\"" DA "\""
#define GOOD_ASSETS "\"assets\":{" ASSET(GNU, GOOD_BODY) "}"
#define LOCKW(wash) "{\"lockfile-version\":1,\"wash\":{" wash "}}"
#define LOCKA(name, body) LOCKW(HEAD ",\"assets\":{" ASSET(name, body) "}")
#define AT "plugins.lock: wash.assets." GNU
#define LOCKP(prov) LOCKW(HEAD "," GOOD_ASSETS ",\"provenance\":" prov)

/* tools: one TinyGo asset, or wasm-tools with a provenance pin */
#define LOCKT(tools) "{\"lockfile-version\":1,\"tools\":{" tools "}}"
#define TOOL(name, body) "\"" name "\":{" body "}"
#define TG_HEAD "\"version\":\"0.40.1\",\"tag\":\"v0.40.1\",\"repository\":\"tinygo-org/tinygo\""
#define TG_NAME "tinygo0.40.1.linux-amd64.tar.gz"
#define TG_ARM "tinygo0.40.1.linux-arm64.tar.gz"
#define TG_BODY                                                                                    \
    "\"targets\":[\"x86_64-unknown-linux-gnu\"],\"size\":1,\"digest\":\"" DA                       \
    "\",\"pinned-from\":\"api\""
#define TG_ASSETS "\"assets\":{" ASSET(TG_NAME, TG_BODY) "}"
#define LOCKTG(body) LOCKT(TOOL("tinygo", body))
#define LOCKTA(name, body) LOCKTG(TG_HEAD ",\"assets\":{" ASSET(name, body) "}")
#define TAT "plugins.lock: tools.tinygo.assets." TG_NAME
#define TBODY(targets, rest) "\"targets\":" targets ",\"digest\":\"" DA "\"" rest
#define WT_HEAD                                                                                    \
    "\"version\":\"1.250.0\",\"tag\":\"v1.250.0\",\"repository\":\"bytecodealliance/wasm-tools\""
#define WT_ASSETS                                                                                  \
    "\"assets\":{\"wasm-tools-1.250.0-x86_64-linux.tar.gz\":{\"targets\":[\"x86_64-unknown-"       \
    "linux-gnu\"],\"digest\":\"" DA "\",\"pinned-from\":\"api\"}}"
#define LOCKWT(prov) LOCKT(TOOL("wasm-tools", WT_HEAD "," WT_ASSETS ",\"provenance\":" prov))
#define TOOLS_LIST "wash, tinygo, wasm-tools, wkg, componentize-go"

struct bad_row {
    const char *name, *text;
    const char *msg; /* fragment of the error */
};

static const struct bad_row bad_rows[] = {
    /* syntax */
    {"syntax error on line 3", "{\n  \"lockfile-version\": 1,\n  \"wash\": {,\n  }\n}\n",
     "plugins.lock:3:"},
    {"syntax error column", "{\n  \"lockfile-version\": 1,\n  \"plugins\": [1 2]\n}\n",
     "plugins.lock:3:17: invalid JSON near '2]"},
    {"truncated", "{\"lockfile-version\": 1,", "plugins.lock:1:"},
    {"empty file", "", "plugins.lock:1:1:"},
    {"trailing garbage", "{\"lockfile-version\": 1}\n}\n", "plugins.lock:2:1:"},
    {"merge conflict after the object", "{\"lockfile-version\": 1}\n=======\n", "plugins.lock:2:"},
    {"a second document", "{\"lockfile-version\":1}{\"wash\":{}}", "plugins.lock:1:23:"},
    /* keys and strings parsers disagree on: refused where they stand */
    {"duplicate top-level key", "{\"lockfile-version\": 1,\n \"lockfile-version\": 2}",
     "plugins.lock:2:2: duplicate key 'lockfile-version'"},
    {"duplicate key in a nested object",
     "{\"lockfile-version\": 1, \"wash\": {\"tag\": \"v2.0.1\", \"tag\": \"v2.0.2\"}}",
     "plugins.lock:1:51: duplicate key 'tag'"},
    {"duplicate key spelled with an escape", "{\"wash\": {}, \"w\\u0061sh\": {}}",
     "plugins.lock:1:14: duplicate key 'wash'"},
    /* found by fuzz_lock: cJSON takes every byte up to 32 as white space */
    {"duplicate key after control-character white space", "{\x1a\"wash\": {},\x1a\"wash\": {}}",
     "plugins.lock:1:15: duplicate key 'wash'"},
    {"duplicate key after a byte order mark", "\xEF\xBB\xBF{\"wash\": {}, \"wash\": {}}",
     "plugins.lock:1:17: duplicate key 'wash'"},
    {"duplicate key in an array's object",
     "{\"lockfile-version\": 1, \"plugins\": [{\"name\": \"a\", \"name\": \"b\"}]}",
     "plugins.lock:1:51: duplicate key 'name'"},
    {"\\u0000 in a string", "{\"lockfile-version\": 1, \"plugins\": [{\"name\": \"a\\u0000b\"}]}",
     "plugins.lock:1:48: a string holds \\u0000"},
    {"\\u0000 in a key", "{\"lockfile-version\\u0000x\": 1}",
     "plugins.lock:1:19: a string holds \\u0000"},
    /* top level */
    {"not an object", "[]", "plugins.lock: expected a JSON object at the top"},
    {"a string", "\"lockfile-version\"", "plugins.lock: expected a JSON object at the top"},
    {"missing lockfile-version", "{}", "plugins.lock: missing \"lockfile-version\": 1"},
    {"lockfile-version a string", "{\"lockfile-version\":\"1\"}", "\"lockfile-version\""},
    {"lockfile-version 2", "{\"lockfile-version\":2}",
     "plugins.lock: lockfile-version 2 is not supported"},
    {"lockfile-version 0", "{\"lockfile-version\":0}", "lockfile-version 0 is not supported"},
    {"lockfile-version 1.5", "{\"lockfile-version\":1.5}", "lockfile-version 1.5 is not supported"},
    {"unknown top-level key", "{\"lockfile-version\":1,\"wsh\":{}}",
     "plugins.lock: top level: unknown key 'wsh'"},
    {"unknown key with control characters", "{\"lockfile-version\":1,\"a\\u0007b\":1}",
     "unknown key 'a\\x07b'"},
    {"plugins not an array", "{\"lockfile-version\":1,\"plugins\":{}}",
     "plugins.lock: plugins: expected an array"},
    {"plugins null", "{\"lockfile-version\":1,\"plugins\":null}",
     "plugins.lock: plugins: expected an array"},
    /* wash */
    {"wash not an object", "{\"lockfile-version\":1,\"wash\":\"2.7.0\"}",
     "plugins.lock: wash: expected an object"},
    {"wash an array", "{\"lockfile-version\":1,\"wash\":[]}",
     "plugins.lock: wash: expected an object"},
    {"unknown key in wash", LOCKW(HEAD ",\"versoin\":\"2.7.0\"," GOOD_ASSETS),
     "plugins.lock: wash: unknown key 'versoin'"},
    {"missing version",
     LOCKW("\"tag\":\"v2.7.0\",\"repository\":\"wasmCloud/wasmCloud\"," GOOD_ASSETS),
     "plugins.lock: wash.version: expected a non-empty string"},
    {"empty version",
     LOCKW(
         "\"version\":\"\",\"tag\":\"v2.7.0\",\"repository\":\"wasmCloud/wasmCloud\"," GOOD_ASSETS),
     "plugins.lock: wash.version: expected a non-empty string"},
    {"numeric version",
     LOCKW(
         "\"version\":2.7,\"tag\":\"v2.7.0\",\"repository\":\"wasmCloud/wasmCloud\"," GOOD_ASSETS),
     "plugins.lock: wash.version: expected a non-empty string"},
    {"bad semver",
     LOCKW("\"version\":\"2.7\",\"tag\":\"v2.7.0\",\"repository\":\"wasmCloud/"
           "wasmCloud\"," GOOD_ASSETS),
     "plugins.lock: wash.version: invalid version '2.7'"},
    {"prefixed version",
     LOCKW("\"version\":\"v2.7.0\",\"tag\":\"v2.7.0\",\"repository\":\"wasmCloud/"
           "wasmCloud\"," GOOD_ASSETS),
     "plugins.lock: wash.version: invalid version 'v2.7.0'"},
    {"missing tag",
     LOCKW("\"version\":\"2.7.0\",\"repository\":\"wasmCloud/wasmCloud\"," GOOD_ASSETS),
     "plugins.lock: wash.tag: expected a non-empty string"},
    {"missing repository", LOCKW("\"version\":\"2.7.0\",\"tag\":\"v2.7.0\"," GOOD_ASSETS),
     "plugins.lock: wash.repository: expected a non-empty string"},
    {"empty requested", LOCKW("\"requested\":\"\"," HEAD "," GOOD_ASSETS),
     "plugins.lock: wash.requested: expected a non-empty string"},
    {"tag of another version",
     LOCKW("\"version\":\"2.7.0\",\"tag\":\"v2.6.1\",\"repository\":\"wasmCloud/"
           "wasmCloud\"," GOOD_ASSETS),
     "plugins.lock: wash: tag 'v2.6.1' of 'wasmCloud/wasmCloud' is not the wash 2.7.0 release"},
    {"tag in the wrong repository",
     LOCKW(
         "\"version\":\"2.7.0\",\"tag\":\"v2.7.0\",\"repository\":\"wasmCloud/wash\"," GOOD_ASSETS),
     "plugins.lock: wash: tag 'v2.7.0' of 'wasmCloud/wash' is not the wash 2.7.0 release"},
    {"rc tag in the wrong repository",
     LOCKW("\"version\":\"2.0.0-rc.5\",\"tag\":\"wash-v2.0.0-rc.5\",\"repository\":"
           "\"wasmCloud/wasmCloud\"," GOOD_ASSETS),
     "tag 'wash-v2.0.0-rc.5' of 'wasmCloud/wasmCloud' is not the wash 2.0.0-rc.5 release"},
    {"a host release",
     LOCKW("\"version\":\"1.5.0\",\"tag\":\"v1.5.0\",\"repository\":\"wasmCloud/"
           "wasmCloud\"," GOOD_ASSETS),
     "tag 'v1.5.0' of 'wasmCloud/wasmCloud' is not the wash 1.5.0 release"},
    {"a wash-runtime release",
     LOCKW("\"version\":\"0.3.0\",\"tag\":\"wash-runtime-v0.3.0\",\"repository\":"
           "\"wasmCloud/wasmCloud\"," GOOD_ASSETS),
     "tag 'wash-runtime-v0.3.0' of 'wasmCloud/wasmCloud' is not the wash 0.3.0 release"},
    {"missing assets", LOCKW(HEAD), "plugins.lock: wash.assets: expected an object"},
    {"empty assets", LOCKW(HEAD ",\"assets\":{}"),
     "plugins.lock: wash.assets: expected an object with one entry per asset"},
    {"assets an array", LOCKW(HEAD ",\"assets\":[]"),
     "plugins.lock: wash.assets: expected an object with one entry per asset"},
    /* assets */
    {"asset not an object", LOCKW(HEAD ",\"assets\":{\"" GNU "\":\"" DA "\"}"),
     AT ": expected an object"},
    {"unknown key in an asset", LOCKA(GNU, GOOD_BODY ",\"sha\":\"x\""), AT ": unknown key 'sha'"},
    {"missing digest", LOCKA(GNU, "\"target\":\"x86_64-unknown-linux-gnu\""),
     AT ".digest: expected a non-empty string"},
    {"short digest",
     LOCKA(GNU, "\"target\":\"x86_64-unknown-linux-gnu\",\"digest\":\"sha256:0123abcd\""),
     AT ".digest: expected 'sha256:' followed by 64 hex digits"},
    {"wrong digest prefix",
     LOCKA(GNU, "\"target\":\"x86_64-unknown-linux-gnu\",\"digest\":\"sha512:" HEX64 "\""),
     AT ".digest: expected 'sha256:' followed by 64 hex digits"},
    {"no digest prefix",
     LOCKA(GNU, "\"target\":\"x86_64-unknown-linux-gnu\",\"digest\":\"" HEX64 "\""),
     AT ".digest: expected 'sha256:' followed by 64 hex digits"},
    {"non-hex digest",
     LOCKA(GNU, "\"target\":\"x86_64-unknown-linux-gnu\",\"digest\":\"sha256:" HEX16 HEX16 HEX16
                "0123456789abcdeg\""),
     AT ".digest: expected 'sha256:' followed by 64 hex digits"},
    {"long digest", LOCKA(GNU, "\"target\":\"x86_64-unknown-linux-gnu\",\"digest\":\"" DA "00\""),
     AT ".digest: expected 'sha256:' followed by 64 hex digits"},
    {"missing target", LOCKA(GNU, "\"digest\":\"" DA "\""),
     AT ".target: expected a non-empty string"},
    {"bad target triple", LOCKA(GNU, "\"target\":\"x86_64-linux\",\"digest\":\"" DA "\""),
     AT ".target: unknown target 'x86_64-linux'"},
    {"negative size",
     LOCKA(GNU, "\"target\":\"x86_64-unknown-linux-gnu\",\"size\":-1,\"digest\":\"" DA "\""),
     AT ".size: expected a whole number of bytes"},
    {"fractional size",
     LOCKA(GNU, "\"target\":\"x86_64-unknown-linux-gnu\",\"size\":1.5,\"digest\":\"" DA "\""),
     AT ".size: expected a whole number of bytes"},
    {"size a string",
     LOCKA(GNU, "\"target\":\"x86_64-unknown-linux-gnu\",\"size\":\"1\",\"digest\":\"" DA "\""),
     AT ".size: expected a whole number of bytes"},
    {"size huge",
     LOCKA(GNU, "\"target\":\"x86_64-unknown-linux-gnu\",\"size\":1e300,\"digest\":\"" DA "\""),
     AT ".size: expected a whole number of bytes"},
    {"asset name with a slash", LOCKA("wash-x86_64-unknown-linux-gnu/../../bin/sh", GOOD_BODY),
     "wash.assets.wash-x86_64-unknown-linux-gnu/../../bin/sh: not a wash asset name"},
    {"asset name in a directory", LOCKA("wash-x/wash", GOOD_BODY),
     "wash.assets.wash-x/wash: not a wash asset name"},
    {"asset name with ..", LOCKA("wash-..", GOOD_BODY),
     "wash.assets.wash-..: not a wash asset name"},
    {"asset name ending in ..", LOCKA("wash-x86_64-unknown-linux-gnu..", GOOD_BODY),
     "not a wash asset name"},
    {"asset name without the prefix", LOCKA("x86_64-unknown-linux-gnu", GOOD_BODY),
     "wash.assets.x86_64-unknown-linux-gnu: not a wash asset name"},
    {"asset name of another product", LOCKA("wasmcloud-x86_64-unknown-linux-gnu", GOOD_BODY),
     "not a wash asset name"},
    /* provenance */
    {"provenance not an object", LOCKP("\"" DA "\""), "wash.provenance: expected an object"},
    {"provenance an array", LOCKP("[]"), "wash.provenance: expected an object"},
    {"provenance null", LOCKP("null"), "wash.provenance: expected an object"},
    {"unknown key in provenance",
     LOCKP("{\"source\":\"asset\",\"bundle\":\"" DA "\",\"url\":\"x\"}"),
     "plugins.lock: wash.provenance: unknown key 'url'"},
    {"provenance without source", LOCKP("{\"bundle\":\"" DA "\"}"),
     "wash.provenance.source: expected a non-empty string"},
    {"provenance without bundle", LOCKP("{\"source\":\"asset\"}"),
     "wash.provenance.bundle: expected a non-empty string"},
    {"unknown provenance source", LOCKP("{\"source\":\"release\",\"bundle\":\"" DA "\"}"),
     "wash.provenance.source: expected \"asset\" or \"attestations\""},
    {"provenance source in capitals", LOCKP("{\"source\":\"Asset\",\"bundle\":\"" DA "\"}"),
     "wash.provenance.source: expected"},
    {"provenance source a number", LOCKP("{\"source\":1,\"bundle\":\"" DA "\"}"),
     "wash.provenance.source: expected a non-empty string"},
    {"short bundle digest", LOCKP("{\"source\":\"asset\",\"bundle\":\"sha256:0123\"}"),
     "wash.provenance.bundle: expected 'sha256:' followed by 64 hex digits"},
    {"bundle digest of another algorithm",
     LOCKP("{\"source\":\"attestations\",\"bundle\":\"sha512:" HEX64 "\"}"),
     "wash.provenance.bundle: expected 'sha256:'"},
    {"bundle a URL",
     LOCKP("{\"source\":\"attestations\",\"bundle\":\"https://example.test/b.json\"}"),
     "wash.provenance.bundle: expected 'sha256:'"},
    /* tools */
    {"tools an array", "{\"lockfile-version\":1,\"tools\":[]}",
     "plugins.lock: tools: expected an object with one entry per tool"},
    {"tools null", "{\"lockfile-version\":1,\"tools\":null}",
     "plugins.lock: tools: expected an object with one entry per tool"},
    {"tool not an object", LOCKT("\"tinygo\":\"0.40.1\""),
     "plugins.lock: tools.tinygo: expected an object"},
    {"unknown tool", LOCKT(TOOL("tinygoo", TG_HEAD "," TG_ASSETS)),
     "plugins.lock: tools.tinygoo: unknown tool 'tinygoo': the tools are " TOOLS_LIST},
    {"tool in capitals", LOCKT(TOOL("TinyGo", TG_HEAD "," TG_ASSETS)),
     "plugins.lock: tools.TinyGo: unknown tool 'TinyGo'"},
    {"unknown tool that is not an object", LOCKT("\"go\":1"),
     "plugins.lock: tools.go: unknown tool 'go'"},
    {"wash under tools",
     LOCKT(TOOL("wash", HEAD ",\"assets\":{\"" GNU "\":{\"targets\":[\"x86_64-unknown-linux-gnu\"],"
                             "\"digest\":\"" DA "\",\"pinned-from\":\"api\"}}")),
     "plugins.lock: tools.wash: wash is pinned under the top-level \"wash\" key, not under "
     "\"tools\""},
    {"unknown key in a tool", LOCKTG(TG_HEAD ",\"versoin\":\"0.40.1\"," TG_ASSETS),
     "plugins.lock: tools.tinygo: unknown key 'versoin'"},
    {"missing version",
     LOCKTG("\"tag\":\"v0.40.1\",\"repository\":\"tinygo-org/tinygo\"," TG_ASSETS),
     "plugins.lock: tools.tinygo.version: expected a non-empty string"},
    {"numeric version",
     LOCKTG("\"version\":0.4,\"tag\":\"v0.40.1\",\"repository\":\"tinygo-org/tinygo\"," TG_ASSETS),
     "plugins.lock: tools.tinygo.version: expected a non-empty string"},
    {"tool version not semver",
     LOCKTG(
         "\"version\":\"0.40\",\"tag\":\"v0.40\",\"repository\":\"tinygo-org/tinygo\"," TG_ASSETS),
     "plugins.lock: tools.tinygo.version: invalid version '0.40'"},
    {"missing tool tag",
     LOCKTG("\"version\":\"0.40.1\",\"repository\":\"tinygo-org/tinygo\"," TG_ASSETS),
     "plugins.lock: tools.tinygo.tag: expected a non-empty string"},
    {"tool repository an object",
     LOCKTG("\"version\":\"0.40.1\",\"tag\":\"v0.40.1\",\"repository\":{}," TG_ASSETS),
     "plugins.lock: tools.tinygo.repository: expected a non-empty string"},
    {"empty tool requested", LOCKTG("\"requested\":\"\"," TG_HEAD "," TG_ASSETS),
     "plugins.lock: tools.tinygo.requested: expected a non-empty string"},
    {"for-go without requested auto",
     LOCKTG("\"requested\":\"^0.40\",\"for-go\":\"go1.25.5\"," TG_HEAD "," TG_ASSETS),
     "plugins.lock: tools.tinygo.for-go: only a tool locked as \"auto\" records the Go it was "
     "chosen for"},
    {"for-go without requested", LOCKTG("\"for-go\":\"go1.25.5\"," TG_HEAD "," TG_ASSETS),
     "tools.tinygo.for-go: only a tool locked as \"auto\""},
    {"for-go not a Go version",
     LOCKTG("\"requested\":\"auto\",\"for-go\":\"1.25.5\"," TG_HEAD "," TG_ASSETS),
     "plugins.lock: tools.tinygo.for-go: '1.25.5' is not a Go version such as \"go1.25.5\""},
    {"for-go with text after the version",
     LOCKTG("\"requested\":\"auto\",\"for-go\":\"go1.25.5 linux/amd64\"," TG_HEAD
            "," TG_ASSETS),
     "tools.tinygo.for-go: 'go1.25.5 linux/amd64' is not a Go version"},
    {"for-go with a control character",
     LOCKTG("\"requested\":\"auto\",\"for-go\":\"go1.25.5\\u001b[2J\"," TG_HEAD
            "," TG_ASSETS),
     "tools.tinygo.for-go: 'go1.25.5\\x1b[2J' is not a Go version"},
    {"for-go a number", LOCKTG("\"requested\":\"auto\",\"for-go\":1," TG_HEAD "," TG_ASSETS),
     "plugins.lock: tools.tinygo.for-go: expected a non-empty string"},
    {"requested auto for wasm-tools",
     LOCKT(TOOL("wasm-tools", "\"requested\":\"auto\",\"for-go\":\"go1.25.5\"," WT_HEAD
                "," WT_ASSETS)),
     "plugins.lock: tools.wasm-tools.for-go: only TinyGo is chosen for a Go"},
    {"tool tag of another version",
     LOCKTG("\"version\":\"0.40.1\",\"tag\":\"v0.40.0\",\"repository\":\"tinygo-org/"
            "tinygo\"," TG_ASSETS),
     "plugins.lock: tools.tinygo: tag 'v0.40.0' of 'tinygo-org/tinygo' is not the TinyGo 0.40.1 "
     "release; run 'setup-wash lock' again"},
    {"tool tag in another repository",
     LOCKTG("\"version\":\"0.40.1\",\"tag\":\"v0.40.1\",\"repository\":\"evil/tinygo\"," TG_ASSETS),
     "plugins.lock: tools.tinygo: tag 'v0.40.1' of 'evil/tinygo' is not the TinyGo 0.40.1 release"},
    {"a TinyGo dev build",
     LOCKTG("\"version\":\"0.41.0-dev\",\"tag\":\"v0.41.0-dev\",\"repository\":\"tinygo-org/"
            "tinygo\"," TG_ASSETS),
     "tag 'v0.41.0-dev' of 'tinygo-org/tinygo' is not the TinyGo 0.41.0-dev release"},
    {"wasm-tools 1.0.x under the v tag form",
     LOCKT(TOOL("wasm-tools", "\"version\":\"1.0.5\",\"tag\":\"v1.0.5\",\"repository\":"
                              "\"bytecodealliance/wasm-tools\"," WT_ASSETS)),
     "plugins.lock: tools.wasm-tools: tag 'v1.0.5' of 'bytecodealliance/wasm-tools' is not the "
     "wasm-tools 1.0.5 release"},
    {"tool without assets", LOCKTG(TG_HEAD),
     "plugins.lock: tools.tinygo.assets: expected an object with one entry per asset"},
    {"tool with empty assets", LOCKTG(TG_HEAD ",\"assets\":{}"),
     "plugins.lock: tools.tinygo.assets: expected an object with one entry per asset"},
    {"tool assets an array", LOCKTG(TG_HEAD ",\"assets\":[]"),
     "plugins.lock: tools.tinygo.assets: expected an object with one entry per asset"},
    {"tool asset not an object", LOCKTG(TG_HEAD ",\"assets\":{\"" TG_NAME "\":\"" DA "\"}"),
     TAT ": expected an object"},
    {"unknown key in a tool asset", LOCKTA(TG_NAME, TG_BODY ",\"target\":\"x\""),
     TAT ": unknown key 'target'"},
    {"tool asset name with a slash", LOCKTA("../../bin/tinygo", TG_BODY),
     "plugins.lock: tools.tinygo.assets.../../bin/tinygo: not an asset file name"},
    {"tool asset name with a backslash", LOCKTA("a\\\\b.tar.gz", TG_BODY),
     "not an asset file name"},
    {"tool asset name with a drive", LOCKTA("C:x.tar.gz", TG_BODY), "not an asset file name"},
    {"tool asset name with a control character", LOCKTA("a\\u0007.tar.gz", TG_BODY),
     "tools.tinygo.assets.a\\x07.tar.gz: not an asset file name"},
    {"missing targets", LOCKTA(TG_NAME, "\"digest\":\"" DA "\",\"pinned-from\":\"api\""),
     TAT ".targets: expected a non-empty array of target triples"},
    {"empty targets", LOCKTA(TG_NAME, TBODY("[]", ",\"pinned-from\":\"api\"")),
     TAT ".targets: expected a non-empty array of target triples"},
    {"targets a string",
     LOCKTA(TG_NAME, TBODY("\"x86_64-unknown-linux-gnu\"", ",\"pinned-from\":\"api\"")),
     TAT ".targets: expected a non-empty array of target triples"},
    {"a target that is a number",
     LOCKTA(TG_NAME, TBODY("[\"x86_64-unknown-linux-gnu\",1]", ",\"pinned-from\":\"api\"")),
     TAT ".targets[1]: expected a target triple"},
    {"an empty target", LOCKTA(TG_NAME, TBODY("[\"\"]", ",\"pinned-from\":\"api\"")),
     TAT ".targets[0]: expected a target triple"},
    {"unknown target", LOCKTA(TG_NAME, TBODY("[\"x86_64-linux\"]", ",\"pinned-from\":\"api\"")),
     TAT ".targets: unknown target 'x86_64-linux': the targets are x86_64-unknown-linux-gnu, "
         "aarch64-unknown-linux-gnu, "},
    {"a wash target the tools table has not",
     LOCKTA(TG_NAME, TBODY("[\"s390x-unknown-linux-gnu\"]", ",\"pinned-from\":\"api\"")),
     TAT ".targets: unknown target 's390x-unknown-linux-gnu'"},
    {"a target listed twice",
     LOCKTA(TG_NAME, TBODY("[\"x86_64-unknown-linux-gnu\",\"x86_64-unknown-linux-gnu\"]",
                           ",\"pinned-from\":\"api\"")),
     TAT ".targets: target 'x86_64-unknown-linux-gnu' is listed twice"},
    {"a target in two assets",
     LOCKTG(TG_HEAD ",\"assets\":{" ASSET(TG_NAME, TG_BODY) "," ASSET(
         TG_ARM, TBODY("[\"aarch64-unknown-linux-gnu\",\"x86_64-unknown-linux-gnu\"]",
                       ",\"pinned-from\":\"api\"")) "}"),
     "plugins.lock: tools.tinygo.assets." TG_ARM ".targets: target 'x86_64-unknown-linux-gnu' is "
     "also served by '" TG_NAME "': a target has one asset"},
    {"missing tool digest",
     LOCKTA(TG_NAME, "\"targets\":[\"x86_64-unknown-linux-gnu\"],\"pinned-from\":\"api\""),
     TAT ".digest: expected a non-empty string"},
    {"short tool digest",
     LOCKTA(TG_NAME, "\"targets\":[\"x86_64-unknown-linux-gnu\"],\"digest\":\"sha256:0a\","
                     "\"pinned-from\":\"api\""),
     TAT ".digest: expected 'sha256:' followed by 64 hex digits"},
    {"tool digest of another algorithm",
     LOCKTA(TG_NAME, "\"targets\":[\"x86_64-unknown-linux-gnu\"],\"digest\":\"sha512:" HEX64
                     "\",\"pinned-from\":\"api\""),
     TAT ".digest: expected 'sha256:' followed by 64 hex digits"},
    {"negative tool size",
     LOCKTA(TG_NAME,
            TBODY("[\"x86_64-unknown-linux-gnu\"]", ",\"size\":-5,\"pinned-from\":\"api\"")),
     TAT ".size: expected a whole number of bytes"},
    {"missing pinned-from", LOCKTA(TG_NAME, TBODY("[\"x86_64-unknown-linux-gnu\"]", "")),
     TAT ".pinned-from: expected a non-empty string"},
    {"unknown pinned-from",
     LOCKTA(TG_NAME, TBODY("[\"x86_64-unknown-linux-gnu\"]", ",\"pinned-from\":\"github\"")),
     TAT ".pinned-from: expected \"api\", \"checksums\" or \"download\""},
    {"pinned-from in capitals",
     LOCKTA(TG_NAME, TBODY("[\"x86_64-unknown-linux-gnu\"]", ",\"pinned-from\":\"API\"")),
     TAT ".pinned-from: expected \"api\""},
    {"pinned-from a number",
     LOCKTA(TG_NAME, TBODY("[\"x86_64-unknown-linux-gnu\"]", ",\"pinned-from\":0")),
     TAT ".pinned-from: expected a non-empty string"},
    {"tool provenance not an object", LOCKWT("\"" DA "\""),
     "plugins.lock: tools.wasm-tools.provenance: expected an object"},
    {"unknown key in tool provenance",
     LOCKWT("{\"source\":\"attestations\",\"bundle\":\"" DA "\",\"url\":\"x\"}"),
     "plugins.lock: tools.wasm-tools.provenance: unknown key 'url'"},
    {"tool provenance from an asset", LOCKWT("{\"source\":\"asset\",\"bundle\":\"" DA "\"}"),
     "plugins.lock: tools.wasm-tools.provenance.source: expected \"attestations\""},
    {"tool provenance without bundle", LOCKWT("{\"source\":\"attestations\"}"),
     "plugins.lock: tools.wasm-tools.provenance.bundle: expected a non-empty string"},
    {"short tool bundle digest", LOCKWT("{\"source\":\"attestations\",\"bundle\":\"sha256:01\"}"),
     "plugins.lock: tools.wasm-tools.provenance.bundle: expected 'sha256:' followed by 64 hex "
     "digits"},
    {"provenance for a tool that publishes none",
     LOCKTG(TG_HEAD "," TG_ASSETS ",\"provenance\":{\"source\":\"attestations\",\"bundle\":\"" DA
                    "\"}"),
     "plugins.lock: tools.tinygo.provenance: TinyGo publishes no build provenance"},
};

static void test_parse_bad(void **state)
{
    (void)state;
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(bad_rows); i++) {
        const struct bad_row *r = &bad_rows[i];
        struct sw_lock *lock = NULL;
        struct sw_error err = {0};
        int rc = sw_lock_parse(r->text, strlen(r->text), "plugins.lock", &lock, &err);
        if (rc != -1 || lock != NULL || err.code != SW_EXIT_USAGE ||
            strstr(err.msg, r->msg) == NULL) {
            print_error("row %zu (%s): want SW_EXIT_USAGE with '%s', got rc %d code %d '%s'\n"
                        "  input: %s\n",
                        i, r->name, r->msg, rc, err.code, err.msg, r->text);
            bad++;
        }
        sw_lock_free(lock);
    }
    if (bad)
        fail();
}

/* A raw NUL byte, which once ended the file silently, is an error where it stands. */
static void test_lock_nul_byte(void **state)
{
    (void)state;
    static const char text[] = "{\"lockfile-version\": 1}\n\0{\"wash\": {}}\n";
    struct sw_lock *lock = NULL;
    struct sw_error err = {0};
    assert_int_equal(sw_lock_parse(text, sizeof(text) - 1, "plugins.lock", &lock, &err), -1);
    assert_null(lock);
    assert_int_equal(err.code, SW_EXIT_USAGE);
    assert_non_null(strstr(err.msg, "plugins.lock:2:1: a NUL byte in the file"));
}

/* An object with more keys than any lockfile has is refused before the duplicate check. */
static void test_lock_too_many_keys(void **state)
{
    (void)state;
    struct sw_buf b = SW_BUF_INIT;
    sw_buf_adds(&b, "{\"lockfile-version\": 1, \"wash\": {\"assets\": {");
    for (int i = 0; i < 5000; i++)
        sw_buf_printf(&b, "%s\"k%d\": 0", i ? ", " : "", i);
    sw_buf_adds(&b, "}}}");
    struct sw_lock *lock = NULL;
    struct sw_error err = {0};
    assert_int_equal(sw_lock_parse(sw_buf_str(&b), b.len, "plugins.lock", &lock, &err), -1);
    assert_null(lock);
    assert_non_null(strstr(err.msg, "plugins.lock:1:44: an object with 5000 keys (at most 4096)"));
    sw_buf_free(&b);
}

/* ---- wash.provenance: the pinned Sigstore bundle ---- */

static const char canonical_prov[] = "{\n"
                                     "  \"lockfile-version\": 1,\n"
                                     "  \"wash\": {\n"
                                     "    \"version\": \"1.0.0-rc.2\",\n"
                                     "    \"tag\": \"wash-v1.0.0-rc.2\",\n"
                                     "    \"repository\": \"wasmCloud/wash\",\n"
                                     "    \"assets\": {\n"
                                     "      \"wash-x86_64-unknown-linux-musl\": {\n"
                                     "        \"target\": \"x86_64-unknown-linux-musl\",\n"
                                     "        \"size\": 137,\n"
                                     "        \"digest\": \"" DA "\"\n"
                                     "      }\n"
                                     "    },\n"
                                     "    \"provenance\": {\n"
                                     "      \"source\": \"attestations\",\n"
                                     "      \"bundle\": \"" DB "\"\n"
                                     "    }\n"
                                     "  },\n"
                                     "  \"plugins\": []\n"
                                     "}\n";

struct prov_row {
    const char *name, *prov; /* the provenance object, or NULL for none */
    enum sw_prov_source source;
    const char *bundle;
};

#define PMUSL                                                                                      \
    "\"wash-x86_64-unknown-linux-musl\":{\"target\":\"x86_64-unknown-linux-musl\","                \
    "\"size\":137,\"digest\":\"" DA "\"}"
static const struct prov_row prov_rows[] = {
    {"attestations", "{\"source\":\"attestations\",\"bundle\":\"" DB "\"}",
     SW_PROV_SOURCE_ATTESTATIONS, DB},
    {"asset, keys the other way round", "{\"bundle\":\"" DC "\",\"source\":\"asset\"}",
     SW_PROV_SOURCE_ASSET, DC},
    {"upper-case bundle digest", "{\"source\":\"asset\",\"bundle\":\"sha256:" HEX64U "\"}",
     SW_PROV_SOURCE_ASSET, DA},
    {"no provenance (a lock from before it, or --verify digest)", NULL, SW_PROV_SOURCE_NONE, NULL},
};

static void test_provenance(void **state)
{
    (void)state;
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(prov_rows); i++) {
        const struct prov_row *r = &prov_rows[i];
        char text[2048];
        snprintf(text, sizeof(text),
                 "{\"lockfile-version\":1,\"wash\":{\"version\":\"1.0.0-rc.2\",\"tag\":"
                 "\"wash-v1.0.0-rc.2\",\"repository\":\"wasmCloud/wash\",\"assets\":{" PMUSL
                 "}%s%s}}",
                 r->prov ? ",\"provenance\":" : "", r->prov ? r->prov : "");
        struct sw_lock *lock = NULL, *again = NULL;
        struct sw_error err = {0};
        char *out = NULL;
        if (sw_lock_parse(text, strlen(text), "plugins.lock", &lock, &err) != 0) {
            print_error("row %zu (%s): does not parse: %s\n", i, r->name, err.msg);
            bad++;
            continue;
        }
        const struct sw_lock_wash *w = lock->wash;
        if (w->prov_source != r->source ||
            (r->bundle ? !w->prov_bundle || strcmp(w->prov_bundle, r->bundle) != 0
                       : w->prov_bundle != NULL)) {
            print_error("row %zu (%s): source %d bundle %s\n", i, r->name, (int)w->prov_source,
                        w->prov_bundle ? w->prov_bundle : "-");
            bad++;
        }
        /* the round trip keeps the pin, and only writes the object when there is one */
        out = sw_lock_format(lock);
        if (sw_lock_parse(out, strlen(out), "plugins.lock", &again, &err) != 0 ||
            again->wash->prov_source != r->source ||
            (strstr(out, "\"provenance\"") != NULL) != (r->prov != NULL)) {
            print_error("row %zu (%s): round trip lost the pin: %s\n%s\n", i, r->name, err.msg,
                        out);
            bad++;
        }
        free(out);
        sw_lock_free(again);
        sw_lock_free(lock);
    }
    /* sw_lock_set_provenance writes the canonical form, and removes the pin */
    struct sw_lock *lock = NULL;
    struct sw_error err = {0};
    const char *plain =
        "{\"lockfile-version\":1,\"wash\":{\"version\":\"1.0.0-rc.2\",\"tag\":"
        "\"wash-v1.0.0-rc.2\",\"repository\":\"wasmCloud/wash\",\"assets\":{" PMUSL "}}}";
    assert_int_equal(sw_lock_parse(plain, strlen(plain), "plugins.lock", &lock, &err), 0);
    sw_lock_set_provenance(lock, SW_PROV_SOURCE_ASSET, DC);
    sw_lock_set_provenance(lock, SW_PROV_SOURCE_ATTESTATIONS, DB);
    char *out = sw_lock_format(lock);
    if (strcmp(out, canonical_prov) != 0) {
        print_error("formatted as\n%s\nwant\n%s\n", out, canonical_prov);
        bad++;
    }
    free(out);
    sw_lock_set_provenance(lock, SW_PROV_SOURCE_NONE, NULL);
    out = sw_lock_format(lock);
    if (strstr(out, "provenance") || lock->wash->prov_bundle) {
        print_error("the pin was not removed:\n%s\n", out);
        bad++;
    }
    free(out);
    assert_string_equal(sw_prov_source_name(SW_PROV_SOURCE_ASSET), "asset");
    assert_string_equal(sw_prov_source_name(SW_PROV_SOURCE_ATTESTATIONS), "attestations");
    assert_string_equal(sw_prov_source_name(SW_PROV_SOURCE_NONE), "");
    sw_lock_free(lock);
    if (bad)
        fail();
}

/* ---- tools: the component toolchain beside wash ---- */

/* The "tools" object as sw_lock_format writes it: tools, assets and targets sorted, "size"
 * only when known, "provenance" only when pinned. */
#define TOOLS_BLOCK                                                                                \
    "  \"tools\": {\n"                                                                             \
    "    \"componentize-go\": {\n"                                                                 \
    "      \"version\": \"0.3.4\",\n"                                                              \
    "      \"tag\": \"v0.3.4\",\n"                                                                 \
    "      \"repository\": \"bytecodealliance/componentize-go\",\n"                                \
    "      \"assets\": {\n"                                                                        \
    "        \"componentize-go-linux-amd64.tar.gz\": {\n"                                          \
    "          \"targets\": [\n"                                                                   \
    "            \"x86_64-unknown-linux-gnu\",\n"                                                  \
    "            \"x86_64-unknown-linux-musl\"\n"                                                  \
    "          ],\n"                                                                               \
    "          \"size\": 2048,\n"                                                                  \
    "          \"digest\": \"" DC "\",\n"                                                          \
    "          \"pinned-from\": \"checksums\"\n"                                                   \
    "        }\n"                                                                                  \
    "      }\n"                                                                                    \
    "    },\n"                                                                                     \
    "    \"tinygo\": {\n"                                                                          \
    "      \"requested\": \"^0.40\",\n"                                                            \
    "      \"version\": \"0.40.1\",\n"                                                             \
    "      \"tag\": \"v0.40.1\",\n"                                                                \
    "      \"repository\": \"tinygo-org/tinygo\",\n"                                               \
    "      \"assets\": {\n"                                                                        \
    "        \"tinygo0.40.1.darwin-arm64.tar.gz\": {\n"                                            \
    "          \"targets\": [\n"                                                                   \
    "            \"aarch64-apple-darwin\"\n"                                                       \
    "          ],\n"                                                                               \
    "          \"size\": 123,\n"                                                                   \
    "          \"digest\": \"" DA "\",\n"                                                          \
    "          \"pinned-from\": \"api\"\n"                                                         \
    "        },\n"                                                                                 \
    "        \"tinygo0.40.1.linux-amd64.tar.gz\": {\n"                                             \
    "          \"targets\": [\n"                                                                   \
    "            \"x86_64-unknown-linux-gnu\"\n"                                                   \
    "          ],\n"                                                                               \
    "          \"digest\": \"" DB "\",\n"                                                          \
    "          \"pinned-from\": \"download\"\n"                                                    \
    "        }\n"                                                                                  \
    "      }\n"                                                                                    \
    "    },\n"                                                                                     \
    "    \"wasm-tools\": {\n"                                                                      \
    "      \"version\": \"1.250.0\",\n"                                                            \
    "      \"tag\": \"v1.250.0\",\n"                                                               \
    "      \"repository\": \"bytecodealliance/wasm-tools\",\n"                                     \
    "      \"assets\": {\n"                                                                        \
    "        \"wasm-tools-1.250.0-aarch64-macos.tar.gz\": {\n"                                     \
    "          \"targets\": [\n"                                                                   \
    "            \"aarch64-apple-darwin\"\n"                                                       \
    "          ],\n"                                                                               \
    "          \"size\": 4000000,\n"                                                               \
    "          \"digest\": \"" DB "\",\n"                                                          \
    "          \"pinned-from\": \"api\"\n"                                                         \
    "        }\n"                                                                                  \
    "      },\n"                                                                                   \
    "      \"provenance\": {\n"                                                                    \
    "        \"source\": \"attestations\",\n"                                                      \
    "        \"bundle\": \"" DC "\"\n"                                                             \
    "      }\n"                                                                                    \
    "    }\n"                                                                                      \
    "  },\n"

static const char canonical_tools[] =
    "{\n"
    "  \"lockfile-version\": 1,\n" TOOLS_BLOCK "  \"plugins\": []\n"
    "}\n";

/* The same by hand: one line, keys, tools, assets and targets in other orders, upper-case hex. */
static const char scrambled_tools[] =
    "{\"tools\":{"
    "\"wasm-tools\":{\"provenance\":{\"bundle\":\"sha256:AAAAAAAAAAAAAAAA" HEX16U HEX16U HEX16U
    "\",\"source\":\"attestations\"},\"assets\":{\"wasm-tools-1.250.0-aarch64-macos.tar.gz\":{"
    "\"pinned-from\":\"api\",\"digest\":\"" DB "\",\"size\":4e6,\"targets\":[\"aarch64-apple-"
    "darwin\"]}},\"repository\":\"bytecodealliance/wasm-tools\",\"tag\":\"v1.250.0\","
    "\"version\":\"1.250.0\"},"
    "\"tinygo\":{\"assets\":{\"tinygo0.40.1.linux-amd64.tar.gz\":{\"targets\":[\"x86_64-unknown-"
    "linux-gnu\"],\"pinned-from\":\"download\",\"digest\":\"" DB "\"},"
    "\"tinygo0.40.1.darwin-arm64.tar.gz\":{\"digest\":\"sha256:" HEX64U "\",\"size\":123,"
    "\"targets\":[\"aarch64-apple-darwin\"],\"pinned-from\":\"api\"}},\"version\":\"0.40.1\","
    "\"requested\":\"^0.40\",\"tag\":\"v0.40.1\",\"repository\":\"tinygo-org/tinygo\"},"
    "\"componentize-go\":{\"version\":\"0.3.4\",\"tag\":\"v0.3.4\",\"repository\":"
    "\"bytecodealliance/componentize-go\",\"assets\":{\"componentize-go-linux-amd64.tar.gz\":{"
    "\"targets\":[\"x86_64-unknown-linux-musl\",\"x86_64-unknown-linux-gnu\"],\"size\":2048,"
    "\"digest\":\"" DC "\",\"pinned-from\":\"checksums\"}}}},"
    "\"plugins\":[],\"lockfile-version\":1}";

/* canonical (wash and plugins) with TOOLS_BLOCK where it goes: after wash, before plugins */
static char *with_tools_block(const char *text)
{
    const char *at = strstr(text, "  \"plugins\": [");
    assert_non_null(at);
    return sw_xasprintf("%.*s%s%s", (int)(at - text), text, TOOLS_BLOCK, at);
}

struct tools_format_row {
    const char *name, *text;
    const char *want; /* NULL: canonical with the tools block */
};

static const struct tools_format_row tools_format_rows[] = {
    {"canonical tools are a fixed point", canonical_tools, canonical_tools},
    {"scrambled tools format canonically", scrambled_tools, canonical_tools},
    {"an empty tools object is not written", "{\"lockfile-version\":1,\"tools\":{}}", minimal_out},
    {"wash, tools and plugins, in that order",
     "{\"lockfile-version\":1,\"plugins\":[],\"tools\":{\"tinygo\":{" TG_HEAD "," TG_ASSETS "}}}",
     "{\n  \"lockfile-version\": 1,\n  \"tools\": {\n    \"tinygo\": {\n      \"version\": "
     "\"0.40.1\",\n      \"tag\": \"v0.40.1\",\n      \"repository\": \"tinygo-org/tinygo\",\n"
     "      \"assets\": {\n        \"" TG_NAME "\": {\n          \"targets\": [\n            "
     "\"x86_64-unknown-linux-gnu\"\n          ],\n          \"size\": 1,\n          \"digest\": "
     "\"" DA "\",\n          \"pinned-from\": \"api\"\n        }\n      }\n    }\n  },\n  "
             "\"plugins\": []\n}\n"},
    {"tinygo@auto: for-go right after requested, whatever the input's order",
     "{\"lockfile-version\":1,\"tools\":{\"tinygo\":{" TG_HEAD ",\"for-go\":\"go1.25.5\","
     "\"requested\":\"auto\"," TG_ASSETS "}}}",
     "{\n  \"lockfile-version\": 1,\n  \"tools\": {\n    \"tinygo\": {\n      \"requested\": "
     "\"auto\",\n      \"for-go\": \"go1.25.5\",\n      \"version\": "
     "\"0.40.1\",\n      \"tag\": \"v0.40.1\",\n      \"repository\": \"tinygo-org/tinygo\",\n"
     "      \"assets\": {\n        \"" TG_NAME "\": {\n          \"targets\": [\n            "
     "\"x86_64-unknown-linux-gnu\"\n          ],\n          \"size\": 1,\n          \"digest\": "
     "\"" DA "\",\n          \"pinned-from\": \"api\"\n        }\n      }\n    }\n  },\n  \"plugins\": []\n}\n"},
};

static void test_tools_format(void **state)
{
    (void)state;
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(tools_format_rows); i++) {
        const struct tools_format_row *r = &tools_format_rows[i];
        struct sw_lock *lock = NULL, *again = NULL;
        struct sw_error err = {0};
        char *text = NULL, *text2 = NULL;
        if (sw_lock_parse(r->text, strlen(r->text), "plugins.lock", &lock, &err) != 0) {
            print_error("row %zu (%s): does not parse: %s\n", i, r->name, err.msg);
            bad++;
            continue;
        }
        text = sw_lock_format(lock);
        if (strcmp(text, r->want) != 0) {
            print_error("row %zu (%s): formatted as\n%s\nwant\n%s\n", i, r->name, text, r->want);
            bad++;
        } else if (sw_lock_parse(text, strlen(text), "plugins.lock", &again, &err) != 0 ||
                   strcmp(text, text2 = sw_lock_format(again)) != 0 ||
                   again->ntools != lock->ntools) {
            print_error("row %zu (%s): parse(format(x)) differs: %s\n", i, r->name, err.msg);
            bad++;
        }
        free(text);
        free(text2);
        sw_lock_free(lock);
        sw_lock_free(again);
    }
    /* a lock with wash and plugins keeps both around the tools block */
    struct sw_lock *lock = NULL, *tools = NULL;
    struct sw_error err = {0};
    assert_int_equal(sw_lock_parse(canonical, strlen(canonical), "plugins.lock", &lock, &err), 0);
    assert_int_equal(
        sw_lock_parse(canonical_tools, strlen(canonical_tools), "t.lock", &tools, &err), 0);
    for (size_t i = 0; i < tools->ntools; i++)
        assert_int_equal(sw_lock_put_tool(lock, &tools->tools[i], &err), 0);
    char *text = sw_lock_format(lock), *want = with_tools_block(canonical);
    if (strcmp(text, want) != 0) {
        print_error("wash + tools + plugins formatted as\n%s\nwant\n%s\n", text, want);
        bad++;
    }
    free(text);
    free(want);
    sw_lock_free(lock);
    sw_lock_free(tools);
    if (bad)
        fail();
}

/* What a parsed tool entry holds, and the lookups. */
static void test_tools_parse(void **state)
{
    (void)state;
    struct sw_lock *lock = NULL;
    struct sw_error err = {0};
    assert_int_equal(
        sw_lock_parse(scrambled_tools, strlen(scrambled_tools), "plugins.lock", &lock, &err), 0);
    assert_int_equal(lock->ntools, 3);
    assert_null(lock->wash);
    assert_string_equal(lock->tools[0].name, "componentize-go");
    assert_string_equal(lock->tools[1].name, "tinygo");
    assert_string_equal(lock->tools[2].name, "wasm-tools");

    const struct sw_lock_tool *tg = sw_lock_tool_named(lock, "tinygo");
    assert_ptr_equal(tg, &lock->tools[1]);
    assert_string_equal(tg->requested, "^0.40");
    assert_string_equal(tg->version, "0.40.1");
    assert_string_equal(tg->tag, "v0.40.1");
    assert_string_equal(tg->repository, "tinygo-org/tinygo");
    assert_int_equal(tg->nassets, 2);
    assert_string_equal(tg->assets[0].name, "tinygo0.40.1.darwin-arm64.tar.gz");
    assert_string_equal(tg->assets[0].digest, DA); /* lowercased */
    assert_int_equal(tg->assets[0].size, 123);
    assert_int_equal(tg->assets[0].from, SW_PIN_API);
    assert_int_equal(tg->assets[1].size, -1);
    assert_int_equal(tg->assets[1].from, SW_PIN_DOWNLOAD);
    assert_int_equal(tg->prov_source, SW_PROV_SOURCE_NONE);
    assert_null(tg->prov_bundle);
    assert_ptr_equal(sw_lock_tool_asset_for(tg, "x86_64-unknown-linux-gnu"), &tg->assets[1]);
    assert_ptr_equal(sw_lock_tool_asset_for(tg, "aarch64-apple-darwin"), &tg->assets[0]);
    assert_null(sw_lock_tool_asset_for(tg, "x86_64-pc-windows-msvc"));
    assert_null(sw_lock_tool_asset_for(NULL, "x86_64-unknown-linux-gnu"));

    const struct sw_lock_tool *cg = sw_lock_tool_named(lock, "componentize-go");
    assert_int_equal(cg->assets[0].ntargets, 2);
    assert_string_equal(cg->assets[0].targets[0], "x86_64-unknown-linux-gnu"); /* sorted */
    assert_string_equal(cg->assets[0].targets[1], "x86_64-unknown-linux-musl");
    assert_int_equal(cg->assets[0].from, SW_PIN_CHECKSUMS);
    assert_null(cg->requested);
    assert_ptr_equal(sw_lock_tool_asset_for(cg, "x86_64-unknown-linux-musl"), &cg->assets[0]);

    const struct sw_lock_tool *wt = sw_lock_tool_named(lock, "wasm-tools");
    assert_int_equal(wt->prov_source, SW_PROV_SOURCE_ATTESTATIONS);
    assert_string_equal(wt->prov_bundle, DC); /* lowercased */
    assert_int_equal(wt->assets[0].size, 4000000);

    assert_null(sw_lock_tool_named(lock, "wkg"));
    assert_null(sw_lock_tool_named(lock, "wash"));
    assert_null(sw_lock_tool_named(lock, NULL));
    assert_null(sw_lock_tool_named(NULL, "tinygo"));
    assert_string_equal(sw_pin_from_name(SW_PIN_API), "api");
    assert_string_equal(sw_pin_from_name(SW_PIN_CHECKSUMS), "checksums");
    assert_string_equal(sw_pin_from_name(SW_PIN_DOWNLOAD), "download");
    assert_string_equal(sw_pin_from_name((enum sw_pin_from)7), "");
    sw_lock_free(lock);

    /* the other tag form of wasm-tools, and wkg's Windows build without ".exe" */
    static const char *const ok[] = {
        LOCKT(TOOL("wasm-tools", "\"version\":\"1.0.5\",\"tag\":\"wasm-tools-1.0.5\","
                                 "\"repository\":\"bytecodealliance/wasm-tools\"," WT_ASSETS)),
        LOCKT(TOOL("wkg", "\"version\":\"0.16.1\",\"tag\":\"v0.16.1\",\"repository\":"
                          "\"bytecodealliance/wasm-pkg-tools\",\"assets\":{\"wkg-x86_64-pc-windows-"
                          "gnu\":{\"targets\":[\"x86_64-pc-windows-msvc\"],\"size\":0,\"digest\":"
                          "\"" DA "\",\"pinned-from\":\"download\"}}")),
    };
    for (size_t i = 0; i < ROWS(ok); i++) {
        lock = NULL;
        if (sw_lock_parse(ok[i], strlen(ok[i]), "plugins.lock", &lock, &err) != 0)
            fail_msg("ok row %zu does not parse: %s", i, err.msg);
        assert_int_equal(lock->ntools, 1);
        sw_lock_free(lock);
    }
}

/* ---- sw_lock_put_tool ---- */

/* The entry's strings are char *: the tests' copies live in static arrays. */
#define SET(field, str)                                                                            \
    do {                                                                                           \
        static char s_[] = str;                                                                    \
        (field) = s_;                                                                              \
    } while (0)

static char t_gnu[] = "x86_64-unknown-linux-gnu", t_mac[] = "aarch64-apple-darwin",
            t_riscv[] = "riscv64gc-unknown-linux-gnu", t_empty[] = "";
static char *tg_targets_a[] = {t_gnu};
static char *tg_targets_b[] = {t_mac};
static char *two_targets[] = {t_gnu, t_mac};
static char *dup_targets[] = {t_gnu, t_gnu};
static char *bad_targets[] = {t_riscv};
static char *empty_target[] = {t_empty};

/* A good TinyGo entry, as the program would make it (assets in the wrong order, upper case). */
static void good_tool(struct sw_lock_tool *t, struct sw_lock_tool_asset assets[2])
{
    memset(t, 0, sizeof(*t));
    memset(assets, 0, 2 * sizeof(*assets));
    SET(assets[0].name, TG_NAME);
    assets[0].targets = tg_targets_a;
    assets[0].ntargets = 1;
    assets[0].size = -1;
    SET(assets[0].digest, "sha256:" HEX64U);
    assets[0].from = SW_PIN_DOWNLOAD;
    SET(assets[1].name, "tinygo0.40.1.darwin-arm64.tar.gz");
    assets[1].targets = tg_targets_b;
    assets[1].ntargets = 1;
    assets[1].size = 123;
    SET(assets[1].digest, DB);
    assets[1].from = SW_PIN_API;
    SET(t->name, "tinygo");
    SET(t->requested, "^0.40");
    SET(t->version, "0.40.1");
    SET(t->tag, "v0.40.1");
    SET(t->repository, "tinygo-org/tinygo");
    t->assets = assets;
    t->nassets = 2;
}

static void e_unknown(struct sw_lock_tool *t)
{
    SET(t->name, "go");
}
static void e_wash(struct sw_lock_tool *t)
{
    SET(t->name, "wash");
}
static void e_no_version(struct sw_lock_tool *t)
{
    t->version = NULL;
}
static void e_tag(struct sw_lock_tool *t)
{
    SET(t->tag, "0.40.1");
}
static void e_digest(struct sw_lock_tool *t)
{
    SET(t->assets[1].digest, "sha256:abc");
}
static void e_no_digest(struct sw_lock_tool *t)
{
    t->assets[1].digest = NULL;
}
static void e_no_targets(struct sw_lock_tool *t)
{
    t->assets[0].ntargets = 0;
}
static void e_empty_target(struct sw_lock_tool *t)
{
    t->assets[0].targets = empty_target;
}
static void e_bad_target(struct sw_lock_tool *t)
{
    t->assets[0].targets = bad_targets;
}
static void e_dup_target(struct sw_lock_tool *t)
{
    t->assets[0].targets = dup_targets;
    t->assets[0].ntargets = 2;
}
static void e_two_assets(struct sw_lock_tool *t)
{
    t->assets[0].targets = two_targets;
    t->assets[0].ntargets = 2;
}
static void e_path(struct sw_lock_tool *t)
{
    SET(t->assets[0].name, "../tinygo.tar.gz");
}
static void e_same_name(struct sw_lock_tool *t)
{
    SET(t->assets[1].name, TG_NAME);
}
static void e_no_assets(struct sw_lock_tool *t)
{
    t->nassets = 0;
}
static void e_size(struct sw_lock_tool *t)
{
    t->assets[0].size = -2;
}
static void e_from(struct sw_lock_tool *t)
{
    t->assets[0].from = (enum sw_pin_from)3;
}
static void e_prov(struct sw_lock_tool *t)
{
    t->prov_source = SW_PROV_SOURCE_ATTESTATIONS;
    SET(t->prov_bundle, DA);
}

struct put_row {
    const char *name;
    void (*edit)(struct sw_lock_tool *t);
    const char *msg; /* the whole message starts with this */
};

static const struct put_row put_rows[] = {
    {"unknown tool", e_unknown, "tools.go: unknown tool 'go': the tools are " TOOLS_LIST},
    {"wash", e_wash, "tools.wash: wash is pinned under the top-level \"wash\" key"},
    {"no version", e_no_version, "tools.tinygo.version: expected a non-empty string"},
    {"a tag without its prefix", e_tag,
     "tools.tinygo: tag '0.40.1' of 'tinygo-org/tinygo' is not the TinyGo 0.40.1 release"},
    {"bad digest", e_digest,
     "tools.tinygo.assets.tinygo0.40.1.darwin-arm64.tar.gz.digest: expected 'sha256:' followed "
     "by 64 hex digits"},
    {"no digest", e_no_digest, "tools.tinygo.assets.tinygo0.40.1.darwin-arm64.tar.gz.digest:"},
    {"no targets", e_no_targets,
     "tools.tinygo.assets." TG_NAME ".targets: expected a non-empty array of target triples"},
    {"an empty target", e_empty_target,
     "tools.tinygo.assets." TG_NAME ".targets: unknown target '': the targets are"},
    {"an unknown target", e_bad_target,
     "tools.tinygo.assets." TG_NAME ".targets: unknown target 'riscv64gc-unknown-linux-gnu'"},
    {"a target twice", e_dup_target,
     "tools.tinygo.assets." TG_NAME ".targets: target 'x86_64-unknown-linux-gnu' is listed twice"},
    {"a target in two assets", e_two_assets,
     "tools.tinygo.assets." TG_NAME ".targets: target 'aarch64-apple-darwin' is also served by "
     "'tinygo0.40.1.darwin-arm64.tar.gz': a target has one asset"},
    {"an asset name that is a path", e_path,
     "tools.tinygo.assets.../tinygo.tar.gz: not an asset file name"},
    {"an asset twice", e_same_name, "tools.tinygo.assets." TG_NAME ": the asset is listed twice"},
    {"no assets", e_no_assets, "tools.tinygo.assets: expected an object with one entry per asset"},
    {"a size below -1", e_size,
     "tools.tinygo.assets." TG_NAME ".size: expected a whole number of bytes"},
    {"pinned-from out of range", e_from,
     "tools.tinygo.assets." TG_NAME
     ".pinned-from: expected \"api\", \"checksums\" or \"download\""},
    {"provenance for TinyGo", e_prov,
     "tools.tinygo.provenance: TinyGo publishes no build provenance"},
};

static void test_put_tool(void **state)
{
    (void)state;
    struct sw_lock_tool t;
    struct sw_lock_tool_asset assets[2];
    struct sw_error err = {0};
    struct sw_lock *lock = sw_lock_new();
    size_t bad = 0;

    /* a deep copy, sorted and lowercased; the caller's struct is untouched */
    good_tool(&t, assets);
    assert_int_equal(sw_lock_put_tool(lock, &t, &err), 0);
    assert_string_equal(assets[0].name, TG_NAME);
    assert_int_equal(lock->ntools, 1);
    struct sw_lock_tool *got = sw_lock_tool_named(lock, "tinygo");
    assert_non_null(got);
    assert_ptr_not_equal(got->name, t.name);
    assert_string_equal(got->assets[0].name, "tinygo0.40.1.darwin-arm64.tar.gz");
    assert_string_equal(got->assets[1].digest, DA);
    assert_ptr_not_equal(got->assets[1].targets, tg_targets_a);
    assert_null(got->prov_bundle);

    /* wasm-tools, with a pin; then TinyGo replaced by another version */
    static char musl_x[] = "x86_64-unknown-linux-musl", musl_a[] = "aarch64-unknown-linux-musl";
    char *wt_targets[] = {musl_x, musl_a};
    struct sw_lock_tool_asset wa = {
        .targets = wt_targets, .ntargets = 2, .size = 9, .from = SW_PIN_API};
    SET(wa.name, "wasm-tools-1.250.0-musl.tar.gz");
    SET(wa.digest, DC);
    struct sw_lock_tool wt = {
        .assets = &wa, .nassets = 1, .prov_source = SW_PROV_SOURCE_ATTESTATIONS};
    SET(wt.name, "wasm-tools");
    SET(wt.version, "1.250.0");
    SET(wt.tag, "v1.250.0");
    SET(wt.repository, "bytecodealliance/wasm-tools");
    SET(wt.prov_bundle, "sha256:" HEX64U);
    assert_int_equal(sw_lock_put_tool(lock, &wt, &err), 0);
    assert_string_equal(wt_targets[0], "x86_64-unknown-linux-musl"); /* the caller's order */
    good_tool(&t, assets);
    SET(t.version, "0.41.1");
    SET(t.tag, "v0.41.1");
    t.requested = NULL;
    SET(assets[0].name, "tinygo0.41.1.linux-amd64.tar.gz");
    t.nassets = 1;
    assert_int_equal(sw_lock_put_tool(lock, &t, &err), 0);
    assert_int_equal(lock->ntools, 2);
    assert_string_equal(lock->tools[0].name, "tinygo");
    assert_string_equal(lock->tools[0].version, "0.41.1");
    assert_null(lock->tools[0].requested);
    assert_int_equal(lock->tools[0].nassets, 1);
    assert_string_equal(lock->tools[1].name, "wasm-tools");
    assert_string_equal(lock->tools[1].assets[0].targets[0], "aarch64-unknown-linux-musl");
    assert_string_equal(lock->tools[1].prov_bundle, DA);
    assert_ptr_equal(sw_lock_tool_asset_for(&lock->tools[1], "x86_64-unknown-linux-musl"),
                     &lock->tools[1].assets[0]);

    /* what was put round-trips through the file */
    char *text = sw_lock_format(lock), *text2 = NULL;
    struct sw_lock *again = NULL;
    if (sw_lock_parse(text, strlen(text), "plugins.lock", &again, &err) != 0 ||
        strcmp(text, text2 = sw_lock_format(again)) != 0) {
        print_error("put tools do not round-trip (%s):\n%s\n", err.msg, text);
        bad++;
    }
    free(text2);
    sw_lock_free(again);

    /* each refusal names what is wrong and leaves the lock as it was */
    for (size_t i = 0; i < ROWS(put_rows); i++) {
        const struct put_row *r = &put_rows[i];
        struct sw_error e = {0};
        good_tool(&t, assets);
        r->edit(&t);
        int rc = sw_lock_put_tool(lock, &t, &e);
        char *after = sw_lock_format(lock);
        if (rc != -1 || e.code != SW_EXIT_USAGE || strncmp(e.msg, r->msg, strlen(r->msg)) != 0 ||
            strcmp(after, text) != 0) {
            print_error("put row %zu (%s): want SW_EXIT_USAGE starting '%s', got rc %d code %d "
                        "'%s'%s\n",
                        i, r->name, r->msg, rc, e.code, e.msg,
                        strcmp(after, text) ? " and the lock changed" : "");
            bad++;
        }
        free(after);
    }
    free(text);
    sw_lock_free(lock);
    if (bad)
        fail();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_ok),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_plugins),
        cmocka_unit_test(test_path_within),
        cmocka_unit_test(test_set_wash),
        cmocka_unit_test(test_set_wash_no_digest),
        cmocka_unit_test(test_parse_bad),
        cmocka_unit_test(test_lock_nul_byte),
        cmocka_unit_test(test_lock_too_many_keys),
        cmocka_unit_test(test_provenance),
        cmocka_unit_test(test_tools_format),
        cmocka_unit_test(test_tools_parse),
        cmocka_unit_test(test_put_tool),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
