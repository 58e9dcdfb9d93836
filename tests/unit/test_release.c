/* Unit tests for src/core/release.c and the tag table in src/data/wash.c: one table per area,
 * every failing row printed by number. The selection tests run over the real release-list
 * fixtures (tests/fixtures/releases), the same files the integration server serves. */
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
#include "core/release.h"
#include "core/timefmt.h"
#include "support.h"

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))

#define WASH "wasmCloud/wash"
#define MONO "wasmCloud/wasmCloud"

#define HEX16 "0123456789abcdef"
#define HEX64 HEX16 HEX16 HEX16 HEX16
#define HEX16U "0123456789ABCDEF"
#define HEX64U HEX16U HEX16U HEX16U HEX16U

/* ---- fixtures ---- */

struct fixture {
    const char *repo;
    const char *file;
};

/* The files sw_test_load_releases reads, for the tests that look inside them. */
static const struct fixture fixtures[] = {
    {WASH, "releases/wasmCloud_wash.json"},
    {MONO, "releases/wasmCloud_wasmCloud.json"},
};


static const struct sw_release *find_release(const struct sw_releases *rs, const char *repo,
                                             const char *tag)
{
    for (size_t i = 0; i < rs->n; i++)
        if (strcmp(rs->items[i].repo, repo) == 0 && strcmp(rs->items[i].tag, tag) == 0)
            return &rs->items[i];
    return NULL;
}

/* ---- sw_tag_classify ---- */

struct classify_row {
    const char *repo, *tag;
    bool ok;
    const char *version; /* when ok */
    enum sw_line line;
};

static const struct classify_row classify_rows[] = {
    /* the new wash in its own repository */
    {WASH, "wash-v1.0.0-beta.1", true, "1.0.0-beta.1", SW_LINE_NEW},
    {WASH, "wash-v1.0.0-beta.2", true, "1.0.0-beta.2", SW_LINE_NEW},
    {WASH, "wash-v1.0.0-beta.3", true, "1.0.0-beta.3", SW_LINE_NEW},
    {WASH, "wash-v1.0.0-beta.4", true, "1.0.0-beta.4", SW_LINE_NEW},
    {WASH, "wash-v1.0.0-beta.5", true, "1.0.0-beta.5", SW_LINE_NEW},
    {WASH, "wash-v1.0.0-beta.6", true, "1.0.0-beta.6", SW_LINE_NEW},
    {WASH, "wash-v1.0.0-beta.7", true, "1.0.0-beta.7", SW_LINE_NEW},
    {WASH, "wash-v1.0.0-beta.8", true, "1.0.0-beta.8", SW_LINE_NEW},
    {WASH, "wash-v1.0.0-beta.9", true, "1.0.0-beta.9", SW_LINE_NEW},
    {WASH, "wash-v1.0.0-beta.10", true, "1.0.0-beta.10", SW_LINE_NEW},
    {WASH, "wash-v1.0.0-rc.1", true, "1.0.0-rc.1", SW_LINE_NEW},
    {WASH, "wash-v1.0.0-rc.2", true, "1.0.0-rc.2", SW_LINE_NEW},
    {WASH, "wash-v2.0.0-rc.3", true, "2.0.0-rc.3", SW_LINE_NEW},
    {WASH, "wash-v2.0.0-rc.4", true, "2.0.0-rc.4", SW_LINE_NEW},
    {WASH, "wash-v2.0.0-rc.5", true, "2.0.0-rc.5", SW_LINE_NEW},
    {WASH, "wash-v2.0.0-rc.6", true, "2.0.0-rc.6", SW_LINE_NEW},
    {WASH, "wash-v2.0.0-rc.7", true, "2.0.0-rc.7", SW_LINE_NEW},
    /* the move to the monorepo, then co-versioned tags */
    {MONO, "wash-v2.0.0-rc.8", true, "2.0.0-rc.8", SW_LINE_NEW},
    {MONO, "v2.0.0", true, "2.0.0", SW_LINE_NEW},
    {MONO, "v2.0.1", true, "2.0.1", SW_LINE_NEW},
    {MONO, "v2.0.5", true, "2.0.5", SW_LINE_NEW},
    {MONO, "v2.0.6", true, "2.0.6", SW_LINE_NEW},
    {MONO, "v2.1.0", true, "2.1.0", SW_LINE_NEW},
    {MONO, "v2.3.1", true, "2.3.1", SW_LINE_NEW},
    {MONO, "v2.5.0", true, "2.5.0", SW_LINE_NEW},
    {MONO, "v2.6.1", true, "2.6.1", SW_LINE_NEW},
    {MONO, "v2.7.0", true, "2.7.0", SW_LINE_NEW},
    {MONO, "v2.8.0-rc.1", true, "2.8.0-rc.1", SW_LINE_NEW},
    {MONO, "v2.8.0-rc.2", true, "2.8.0-rc.2", SW_LINE_NEW},
    {MONO, "v2.10.0", true, "2.10.0", SW_LINE_NEW},
    {MONO, "v3.0.0", true, "3.0.0", SW_LINE_NEW},
    /* the old wash 0.x line in the monorepo: wash, but another product */
    {MONO, "wash-v0.40.0", true, "0.40.0", SW_LINE_OLD},
    {MONO, "wash-v0.41.0", true, "0.41.0", SW_LINE_OLD},
    {MONO, "wash-v0.42.0", true, "0.42.0", SW_LINE_OLD},
    {MONO, "wash-v0.43.0", true, "0.43.0", SW_LINE_OLD},
    /* not wash: host releases, other crates, old-repo tags, wrong repository */
    {MONO, "v1.5.0", false, NULL, SW_LINE_NEW},
    {MONO, "v1.0.0", false, NULL, SW_LINE_NEW},
    {MONO, "v1.9.0", false, NULL, SW_LINE_NEW},
    {MONO, "v0.82.0", false, NULL, SW_LINE_NEW},
    {MONO, "wash-runtime-v0.3.0", false, NULL, SW_LINE_NEW},
    {MONO, "wash-runtime-v2.0.0", false, NULL, SW_LINE_NEW},
    {MONO, "runtime-operator/v0.1.0", false, NULL, SW_LINE_NEW},
    {MONO, "runtime-operator/v2.7.0", false, NULL, SW_LINE_NEW},
    {WASH, "v0.27.0", false, NULL, SW_LINE_NEW},
    {WASH, "v0.25.0", false, NULL, SW_LINE_NEW},
    {WASH, "wash-v2.0.0-rc.8", false, NULL, SW_LINE_NEW},
    {WASH, "wash-v2.0.0", false, NULL, SW_LINE_NEW},
    {WASH, "v2.7.0", false, NULL, SW_LINE_NEW},
    {WASH, "wash-v1.0.0-alpha.1", false, NULL, SW_LINE_NEW},
    {WASH, "wash-v0.43.0", false, NULL, SW_LINE_NEW},
    {MONO, "wash-v2.0.0", false, NULL, SW_LINE_NEW},
    {MONO, "wash-v2.7.0", false, NULL, SW_LINE_NEW},
    {MONO, "wash-v2.0.0-rc.7", false, NULL, SW_LINE_NEW},
    {MONO, "wash-v2.0.0-rc.9", false, NULL, SW_LINE_NEW},
    {MONO, "wash-v1.0.0-beta.1", false, NULL, SW_LINE_NEW},
    {"wasmCloud/other", "v2.7.0", false, NULL, SW_LINE_NEW},
    {"someone/wash", "wash-v1.0.0-beta.1", false, NULL, SW_LINE_NEW},
    /* garbage */
    {MONO, "", false, NULL, SW_LINE_NEW},
    {MONO, "v", false, NULL, SW_LINE_NEW},
    {MONO, "wash-v", false, NULL, SW_LINE_NEW},
    {MONO, "latest", false, NULL, SW_LINE_NEW},
    {MONO, "v2.7", false, NULL, SW_LINE_NEW},
    {MONO, "v2.7.0.1", false, NULL, SW_LINE_NEW},
    {MONO, "v02.7.0", false, NULL, SW_LINE_NEW},
    {MONO, "V2.7.0", false, NULL, SW_LINE_NEW},
    {MONO, " v2.7.0", false, NULL, SW_LINE_NEW},
    {MONO, "v2.7.0 ", false, NULL, SW_LINE_NEW},
    {MONO, "vv2.7.0", false, NULL, SW_LINE_NEW},
    {MONO, "2.7.0", false, NULL, SW_LINE_NEW},
    {MONO, "refs/tags/v2.7.0", false, NULL, SW_LINE_NEW},
    {WASH, "wash-v1.0.0-beta.01", false, NULL, SW_LINE_NEW},
    {WASH, "wash-vx.y.z", false, NULL, SW_LINE_NEW},
};

static void test_tag_classify(void **state)
{
    (void)state;
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(classify_rows); i++) {
        const struct classify_row *r = &classify_rows[i];
        struct sw_semver v, want;
        enum sw_line line = SW_LINE_NEW;
        char got[128];
        memset(&v, 0, sizeof(v));
        bool ok = sw_tag_classify(r->repo, r->tag, &v, &line);
        if (ok != r->ok) {
            print_error("row %zu: classify(%s, '%s') = %d, want %d\n", i, r->repo, r->tag, ok,
                        r->ok);
            bad++;
        } else if (ok && (sw_semver_parse(r->version, &want, NULL) != 0 ||
                          sw_semver_cmp(&v, &want) != 0 || line != r->line)) {
            print_error("row %zu: classify(%s, '%s') gave %s line %d, want %s line %d\n", i,
                        r->repo, r->tag, sw_semver_str(&v, got, sizeof(got)), (int)line,
                        r->version, (int)r->line);
            bad++;
        }
    }
    if (bad)
        fail();
}

/* ---- sw_tag_for_version ---- */

struct tag_row {
    const char *version;
    const char *repo, *tag; /* NULL repo: must fail */
    const char *msg;        /* fragment of the error */
};

static const struct tag_row tag_rows[] = {
    {"1.0.0-beta.1", WASH, "wash-v1.0.0-beta.1", NULL},
    {"1.0.0-beta.10", WASH, "wash-v1.0.0-beta.10", NULL},
    {"1.0.0-rc.2", WASH, "wash-v1.0.0-rc.2", NULL},
    {"2.0.0-rc.3", WASH, "wash-v2.0.0-rc.3", NULL},
    {"2.0.0-rc.5", WASH, "wash-v2.0.0-rc.5", NULL},
    {"2.0.0-rc.7", WASH, "wash-v2.0.0-rc.7", NULL},
    {"2.0.0-rc.8", MONO, "wash-v2.0.0-rc.8", NULL},
    {"2.0.0", MONO, "v2.0.0", NULL},
    {"2.0.6", MONO, "v2.0.6", NULL},
    {"2.7.0", MONO, "v2.7.0", NULL},
    {"2.8.0-rc.1", MONO, "v2.8.0-rc.1", NULL},
    {"3.1.4", MONO, "v3.1.4", NULL},
    {"0.40.0", MONO, "wash-v0.40.0", NULL},
    {"0.43.0", MONO, "wash-v0.43.0", NULL},
    {"1.0.0-alpha.1", NULL, NULL, "wash 1.0.0-alpha.1 is not a version any wash repository"},
    {"1.0.0-0", NULL, NULL, "wash 1.0.0-0 is not a version any wash repository"},
};

static void test_tag_for_version(void **state)
{
    (void)state;
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(tag_rows); i++) {
        const struct tag_row *r = &tag_rows[i];
        struct sw_semver v;
        struct sw_error err = {0};
        const char *repo = NULL;
        char tag[160] = "";
        if (sw_semver_parse(r->version, &v, &err) != 0) {
            print_error("row %zu: fixture '%s' does not parse: %s\n", i, r->version, err.msg);
            bad++;
            continue;
        }
        int rc = sw_tag_for_version(&v, &repo, tag, sizeof(tag), &err);
        if (r->repo && (rc != 0 || !repo || strcmp(repo, r->repo) != 0 ||
                        strcmp(tag, r->tag) != 0)) {
            print_error("row %zu: tag_for_version(%s) = rc %d %s '%s', want %s '%s' (%s)\n", i,
                        r->version, rc, repo ? repo : "(null)", tag, r->repo, r->tag, err.msg);
            bad++;
        } else if (!r->repo && (rc != -1 || err.code != SW_EXIT_NOTFOUND ||
                                strstr(err.msg, r->msg) == NULL)) {
            print_error("row %zu: tag_for_version(%s) should fail with '%s', got rc %d code %d "
                        "'%s'\n",
                        i, r->version, r->msg, rc, err.code, err.msg);
            bad++;
        }
    }
    if (bad)
        fail();
}

/* Every wash release in the fixtures is where sw_tag_for_version says its version lives. */
static void test_tag_for_version_fixtures(void **state)
{
    (void)state;
    struct sw_releases rs = {0};
    size_t bad = 0;
    sw_test_load_releases(&rs);
    for (size_t i = 0; i < rs.n; i++) {
        const struct sw_release *r = &rs.items[i];
        struct sw_error err = {0};
        const char *repo = NULL;
        char tag[160] = "", vs[128];
        int rc = sw_tag_for_version(&r->version, &repo, tag, sizeof(tag), &err);
        if (rc != 0 || strcmp(repo, r->repo) != 0 || strcmp(tag, r->tag) != 0) {
            print_error("release %zu (%s %s): tag_for_version(%s) = rc %d %s '%s' (%s)\n", i,
                        r->repo, r->tag, sw_semver_str(&r->version, vs, sizeof(vs)), rc,
                        repo ? repo : "(null)", tag, err.msg);
            bad++;
        }
    }
    sw_releases_free(&rs);
    if (bad)
        fail();
}

/* ---- loading the fixtures ---- */

/* Whether a tag is a wash CLI release, by the patterns of wash-facts.md section 1 written out
 * independently of data/wash.c: the test's own count, not the code's. */
static bool fixture_tag_is_wash(const char *repo, const char *tag, bool *old)
{
    *old = false;
    if (strcmp(repo, WASH) == 0)
        return strncmp(tag, "wash-v1.0.0-beta.", 17) == 0 ||
               strncmp(tag, "wash-v1.0.0-rc.", 15) == 0 ||
               (strncmp(tag, "wash-v2.0.0-rc.", 15) == 0 && strcmp(tag, "wash-v2.0.0-rc.8") != 0);
    if (strcmp(tag, "wash-v2.0.0-rc.8") == 0 || strncmp(tag, "v2.", 3) == 0)
        return true;
    if (strncmp(tag, "wash-v0.", 8) == 0)
        return *old = true;
    return false;
}

static void test_fixture_counts(void **state)
{
    (void)state;
    struct sw_releases rs = {0};
    size_t bad = 0;
    sw_test_load_releases(&rs);
    for (size_t f = 0; f < ROWS(fixtures); f++) {
        size_t len = 0, want_new = 0, want_old = 0, got_new = 0, got_old = 0, total = 0;
        char *json = sw_test_read_fixture(fixtures[f].file, &len);
        cJSON *root = json ? cJSON_ParseWithLength(json, len) : NULL;
        const cJSON *rel;
        if (!root) {
            print_error("fixture %zu: %s does not parse\n", f, fixtures[f].file);
            free(json);
            bad++;
            continue;
        }
        cJSON_ArrayForEach(rel, root)
        {
            const cJSON *tag = cJSON_GetObjectItemCaseSensitive(rel, "tag_name");
            bool old;
            total++;
            if (cJSON_IsString(tag) && fixture_tag_is_wash(fixtures[f].repo, tag->valuestring, &old))
                *(old ? &want_old : &want_new) += 1;
        }
        cJSON_Delete(root);
        free(json);
        for (size_t i = 0; i < rs.n; i++)
            if (strcmp(rs.items[i].repo, fixtures[f].repo) == 0)
                *(rs.items[i].line == SW_LINE_OLD ? &got_old : &got_new) += 1;
        if (want_new == 0 || got_new != want_new || got_old != want_old) {
            print_error("fixture %zu (%s, %zu releases): %zu new-line and %zu old-line wash "
                        "releases loaded, the tags say %zu and %zu\n",
                        f, fixtures[f].repo, total, got_new, got_old, want_new, want_old);
            bad++;
        }
    }
    /* the same page again (a page shifted while listing) adds nothing */
    size_t before = rs.n, len = 0;
    char *json = sw_test_read_fixture(fixtures[0].file, &len);
    struct sw_error err = {0};
    if (!json || sw_releases_add_json(&rs, fixtures[0].repo, json, len, "again", &err) != 0 ||
        rs.n != before) {
        print_error("adding %s twice: %zu releases before, %zu after (%s)\n", fixtures[0].file,
                    before, rs.n, err.msg);
        bad++;
    }
    free(json);
    /* beta.1 was the only one flagged prerelease; the flag must not matter */
    const struct sw_release *b1 = find_release(&rs, WASH, "wash-v1.0.0-beta.1");
    const struct sw_release *b2 = find_release(&rs, WASH, "wash-v1.0.0-beta.2");
    if (!b1 || !b2 || strcmp(b1->version.pre, "beta.1") != 0 ||
        strcmp(b2->version.pre, "beta.2") != 0) {
        print_error("beta.1 / beta.2 not loaded with their versions\n");
        bad++;
    }
    sw_releases_free(&rs);
    sw_releases_free(&rs); /* idempotent */
    sw_releases_free(NULL);
    if (bad)
        fail();
}

/* ---- sw_releases_select over the fixtures ---- */

struct select_row {
    const char *spec;
    const char *repo, *tag; /* NULL repo: must fail with SW_EXIT_NOTFOUND */
    const char *msg, *msg2; /* fragments of the error (msg2 may be NULL) */
};

static const struct select_row select_rows[] = {
    {"latest", MONO, "v2.7.0", NULL, NULL},
    {"", MONO, "v2.7.0", NULL, NULL},
    {"stable", MONO, "v2.7.0", NULL, NULL},
    {"*", MONO, "v2.7.0", NULL, NULL},
    {"rc", MONO, "v2.8.0-rc.2", NULL, NULL},
    {"prerelease", MONO, "v2.8.0-rc.2", NULL, NULL},
    {"^2", MONO, "v2.7.0", NULL, NULL},
    {"~2.6", MONO, "v2.6.1", NULL, NULL},
    {"2.x", MONO, "v2.7.0", NULL, NULL},
    {"2.6", MONO, "v2.6.1", NULL, NULL},
    {">=2.1 <3", MONO, "v2.7.0", NULL, NULL},
    {"<2.1", MONO, "v2.0.6", NULL, NULL},
    {"<2", NULL, NULL, "no wash release matches '<2'", "2.7.0"},
    {"^1.0.0-beta.1", WASH, "wash-v1.0.0-rc.2", NULL, NULL},
    {">=2.0.0-rc.1 <2.0.0", MONO, "wash-v2.0.0-rc.8", NULL, NULL},
    {">=2.0.0-rc.1 <2.0.0-rc.8", WASH, "wash-v2.0.0-rc.7", NULL, NULL},
    {">=2.8.0-rc.1", MONO, "v2.8.0-rc.2", NULL, NULL},
    /* npm caret on 0.x pins the minor: ^0.40 is >=0.40.0 <0.41.0-0 (test_semver.c) */
    {"^0.40", MONO, "wash-v0.40.0", NULL, NULL},
    {"^0", MONO, "wash-v0.43.0", NULL, NULL},
    {">=0.40 <1", MONO, "wash-v0.43.0", NULL, NULL},
    {"0.x", MONO, "wash-v0.43.0", NULL, NULL},
    {"~0.41", MONO, "wash-v0.41.0", NULL, NULL},
    {"0.43.0", MONO, "wash-v0.43.0", NULL, NULL},
    {"2.7.0", MONO, "v2.7.0", NULL, NULL},
    {"v2.0.5", MONO, "v2.0.5", NULL, NULL},
    {"wash-v2.0.0-rc.8", MONO, "wash-v2.0.0-rc.8", NULL, NULL},
    {"2.0.0-rc.7", WASH, "wash-v2.0.0-rc.7", NULL, NULL},
    {"v1.0.0-beta.3", WASH, "wash-v1.0.0-beta.3", NULL, NULL},
    {"1.0.0-beta.10", WASH, "wash-v1.0.0-beta.10", NULL, NULL},
    {"1", NULL, NULL, "no wash release matches '1'", NULL},
    {"1.x", NULL, NULL, "no wash release matches '1.x'", NULL},
    {"^3", NULL, NULL, "no wash release matches '^3'", "the newest versions are 2.8.0-rc.2, "
                                                       "2.8.0-rc.1, 2.7.0, 2.6.1, 2.6.0, 2.5.0"},
    {">=4 <5", NULL, NULL, "no wash release matches '>=4 <5'", "2.7.0"},
    {"2.0.9", NULL, NULL, "wash 2.0.9 was not found in any release", "2.1.0, 2.0.6"},
    {"1.5.0", NULL, NULL, "wash 1.5.0 was not found in any release", "1.0.0-rc.2"},
    {"v1.0.0", NULL, NULL, "wash 1.0.0 was not found in any release", NULL},
    {"0.44.0", NULL, NULL, "wash 0.44.0 was not found in any release", "0.43.0"},
    {"0.27.0", NULL, NULL, "wash 0.27.0 was not found in any release", NULL},
    {"3.0.0", NULL, NULL, "wash 3.0.0 was not found in any release", "2.7.0"},
};

static void test_select(void **state)
{
    (void)state;
    struct sw_releases rs = {0};
    size_t bad = 0;
    sw_test_load_releases(&rs);
    for (size_t i = 0; i < ROWS(select_rows); i++) {
        const struct select_row *r = &select_rows[i];
        struct sw_spec spec;
        struct sw_error err = {0};
        size_t idx = SIZE_MAX;
        memset(&spec, 0, sizeof(spec));
        if (sw_spec_parse(r->spec, &spec, &err) != 0) {
            print_error("row %zu: spec '%s' does not parse: %s\n", i, r->spec, err.msg);
            bad++;
            continue;
        }
        int rc = sw_releases_select(&rs, &spec, NULL, &idx, NULL, &err);
        if (r->repo) {
            const struct sw_release *got = rc == 0 && idx < rs.n ? &rs.items[idx] : NULL;
            if (!got || strcmp(got->repo, r->repo) != 0 || strcmp(got->tag, r->tag) != 0) {
                print_error("row %zu: '%s' selected %s %s (rc %d: %s), want %s %s\n", i,
                            r->spec, got ? got->repo : "-", got ? got->tag : "-", rc, err.msg,
                            r->repo, r->tag);
                bad++;
            }
        } else if (rc != -1 || err.code != SW_EXIT_NOTFOUND || strstr(err.msg, r->msg) == NULL ||
                   (r->msg2 && strstr(err.msg, r->msg2) == NULL)) {
            print_error("row %zu: '%s' should fail (code %d) with '%s' and '%s', got rc %d "
                        "code %d '%s' (selected %s)\n",
                        i, r->spec, SW_EXIT_NOTFOUND, r->msg, r->msg2 ? r->msg2 : "", rc,
                        err.code, err.msg, rc == 0 && idx < rs.n ? rs.items[idx].tag : "-");
            bad++;
        }
        sw_spec_free(&spec);
    }
    sw_releases_free(&rs);
    if (bad)
        fail();
}

/* The old line is picked only when asked for: the 0.43.0 selection is an old-line release. */
static void test_select_line(void **state)
{
    (void)state;
    static const struct {
        const char *spec;
        enum sw_line line;
    } rows[] = {
        {"0.43.0", SW_LINE_OLD}, {"^0.40", SW_LINE_OLD}, {"latest", SW_LINE_NEW},
        {"rc", SW_LINE_NEW},     {"*", SW_LINE_NEW},     {">=0.0.0", SW_LINE_NEW},
    };
    struct sw_releases rs = {0};
    size_t bad = 0;
    sw_test_load_releases(&rs);
    for (size_t i = 0; i < ROWS(rows); i++) {
        struct sw_spec spec;
        struct sw_error err = {0};
        size_t idx = 0;
        memset(&spec, 0, sizeof(spec));
        if (sw_spec_parse(rows[i].spec, &spec, &err) != 0 ||
            sw_releases_select(&rs, &spec, NULL, &idx, NULL, &err) != 0 || rs.items[idx].line != rows[i].line) {
            print_error("row %zu: '%s' gave line %d (%s), want %d\n", i, rows[i].spec,
                        err.code ? -1 : (int)rs.items[idx].line, err.msg, (int)rows[i].line);
            bad++;
        }
        sw_spec_free(&spec);
    }
    sw_releases_free(&rs);
    if (bad)
        fail();
}

/* Nothing loaded: every kind of spec fails with NOTFOUND and says there is nothing. */
static void test_select_empty(void **state)
{
    (void)state;
    static const char *const specs[] = {"latest", "rc", "^2", "2.7.0"};
    struct sw_releases rs = {0};
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(specs); i++) {
        struct sw_spec spec;
        struct sw_error err = {0};
        size_t idx = 0;
        memset(&spec, 0, sizeof(spec));
        if (sw_spec_parse(specs[i], &spec, &err) != 0 ||
            sw_releases_select(&rs, &spec, NULL, &idx, NULL, &err) != -1 || err.code != SW_EXIT_NOTFOUND ||
            strstr(err.msg, "(none)") == NULL) {
            print_error("row %zu: '%s' on no releases: code %d '%s'\n", i, specs[i], err.code,
                        err.msg);
            bad++;
        }
        sw_spec_free(&spec);
    }
    if (bad)
        fail();
}

/* ---- sw_releases_add_json on inline bodies ---- */

#define GNU_ASSET "{\"name\":\"wash-x86_64-unknown-linux-gnu\"}"

struct add_row {
    const char *name;
    const char *json;
    int code;        /* 0: must succeed */
    const char *msg; /* fragment of the error */
    size_t count;    /* releases added on success */
};

static const struct add_row add_rows[] = {
    {"plain release", "[{\"tag_name\":\"v2.9.0\",\"assets\":[" GNU_ASSET "]}]", 0, NULL, 1},
    {"draft false", "[{\"tag_name\":\"v2.9.0\",\"draft\":false,\"assets\":[" GNU_ASSET "]}]", 0,
     NULL, 1},
    {"draft skipped", "[{\"tag_name\":\"v2.9.0\",\"draft\":true,\"assets\":[" GNU_ASSET "]}]", 0,
     NULL, 0},
    {"draft beside a release",
     "[{\"tag_name\":\"v2.10.0\",\"draft\":true,\"assets\":[" GNU_ASSET "]},"
     "{\"tag_name\":\"v2.9.0\",\"draft\":false,\"assets\":[" GNU_ASSET "]}]",
     0, NULL, 1},
    {"prerelease flag ignored",
     "[{\"tag_name\":\"v2.9.0\",\"prerelease\":true,\"assets\":[" GNU_ASSET "]}]", 0, NULL, 1},
    {"single release object", "{\"tag_name\":\"v2.9.0\",\"assets\":[" GNU_ASSET "]}", 0, NULL,
     1},
    {"no wash asset, only the bundle",
     "[{\"tag_name\":\"v2.9.0\",\"assets\":[{\"name\":\"wash.sigstore.json\"}]}]", 0, NULL, 0},
    {"host assets only",
     "[{\"tag_name\":\"v2.9.0\",\"assets\":[{\"name\":\"wasmcloud-x86_64-unknown-linux-gnu\"}]}]",
     0, NULL, 0},
    {"empty assets", "[{\"tag_name\":\"v2.9.0\",\"assets\":[]}]", 0, NULL, 0},
    {"no assets key", "[{\"tag_name\":\"v2.9.0\"}]", 0, NULL, 0},
    {"non-wash tag with wash assets",
     "[{\"tag_name\":\"wash-runtime-v0.3.0\",\"assets\":[" GNU_ASSET "]}]", 0, NULL, 0},
    {"host tag with wash assets", "[{\"tag_name\":\"v1.5.0\",\"assets\":[" GNU_ASSET "]}]", 0,
     NULL, 0},
    {"tag_name not a string", "[{\"tag_name\":2,\"assets\":[" GNU_ASSET "]}]", 0, NULL, 0},
    {"no tag_name", "[{\"assets\":[" GNU_ASSET "]}]", 0, NULL, 0},
    {"duplicate tag on one page",
     "[{\"tag_name\":\"v2.9.0\",\"assets\":[" GNU_ASSET "]},"
     "{\"tag_name\":\"v2.9.0\",\"assets\":[" GNU_ASSET "]}]",
     0, NULL, 1},
    {"entries that are not objects", "[1,\"v2.9.0\",null,[]]", 0, NULL, 0},
    {"empty list", "[]", 0, NULL, 0},
    {"truncated JSON", "[{\"tag_name\":\"v2.9.0\",\"assets\":[", SW_EXIT_NETWORK,
     "test page: the response is not valid JSON", 0},
    {"HTML page", "<html><body>502 Bad Gateway</body></html>", SW_EXIT_NETWORK,
     "test page: the response is not valid JSON", 0},
    {"empty body", "", SW_EXIT_NETWORK, "test page: the response is not valid JSON", 0},
    {"error object", "{\"message\":\"Not Found\"}", SW_EXIT_NETWORK,
     "test page: expected a release list or a release object", 0},
    {"number", "42", SW_EXIT_NETWORK, "test page: expected a release list or a release object",
     0},
    {"string", "\"v2.9.0\"", SW_EXIT_NETWORK,
     "test page: expected a release list or a release object", 0},
};

static void test_add_json(void **state)
{
    (void)state;
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(add_rows); i++) {
        const struct add_row *r = &add_rows[i];
        struct sw_releases rs = {0};
        struct sw_error err = {0};
        int rc = sw_releases_add_json(&rs, MONO, r->json, strlen(r->json), "test page", &err);
        if (r->code == 0 && (rc != 0 || rs.n != r->count)) {
            print_error("row %zu (%s): rc %d, %zu releases, want %zu (%s)\n", i, r->name, rc, rs.n,
                        r->count, err.msg);
            bad++;
        } else if (r->code != 0 && (rc != -1 || err.code != r->code ||
                                    strstr(err.msg, r->msg) == NULL || rs.n != 0)) {
            print_error("row %zu (%s): should fail with code %d '%s', got rc %d code %d '%s'\n", i,
                        r->name, r->code, r->msg, rc, err.code, err.msg);
            bad++;
        }
        sw_releases_free(&rs);
    }
    if (bad)
        fail();
}

/* How each asset field is read: digests validated and lowercased, sizes -1 when unusable. */
struct asset_row {
    const char *asset; /* the JSON object of the second asset */
    const char *name;
    const char *digest; /* NULL: none kept */
    int64_t size;
};

static const struct asset_row asset_rows[] = {
    {"{\"name\":\"wash-x86_64-apple-darwin\",\"digest\":\"sha256:" HEX64 "\",\"size\":10}",
     "wash-x86_64-apple-darwin", "sha256:" HEX64, 10},
    {"{\"name\":\"wash-x86_64-apple-darwin\",\"digest\":\"sha256:" HEX64U "\",\"size\":0}",
     "wash-x86_64-apple-darwin", "sha256:" HEX64, 0},
    {"{\"name\":\"wash-x86_64-apple-darwin\",\"digest\":\"sha256:abc\",\"size\":10}",
     "wash-x86_64-apple-darwin", NULL, 10},
    {"{\"name\":\"wash-x86_64-apple-darwin\",\"digest\":\"sha512:" HEX64 "\"}",
     "wash-x86_64-apple-darwin", NULL, -1},
    {"{\"name\":\"wash-x86_64-apple-darwin\",\"digest\":null,\"size\":-5}",
     "wash-x86_64-apple-darwin", NULL, -1},
    {"{\"name\":\"wash-x86_64-apple-darwin\",\"size\":\"10\"}", "wash-x86_64-apple-darwin", NULL,
     -1},
    {"{\"name\":\"wash-x86_64-apple-darwin\",\"size\":3000000000}", "wash-x86_64-apple-darwin",
     NULL, 3000000000},
    {"{\"name\":\"wash.sigstore.json\",\"digest\":\"sha256:" HEX64 "\",\"size\":7}",
     "wash.sigstore.json", "sha256:" HEX64, 7},
    /* found by fuzz_release: a size past int64_t was cast (undefined behaviour) */
    {"{\"name\":\"wash-x86_64-apple-darwin\",\"size\":1.3e130}", "wash-x86_64-apple-darwin",
     NULL, -1},
    {"{\"name\":\"wash-x86_64-apple-darwin\",\"size\":9007199254740993}",
     "wash-x86_64-apple-darwin", NULL, -1},
};

static void test_add_json_assets(void **state)
{
    (void)state;
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(asset_rows); i++) {
        const struct asset_row *r = &asset_rows[i];
        char json[1024];
        struct sw_releases rs = {0};
        struct sw_error err = {0};
        snprintf(json, sizeof(json),
                 "{\"tag_name\":\"v2.9.0\",\"assets\":[" GNU_ASSET ",{\"size\":1},%s]}", r->asset);
        int rc = sw_releases_add_json(&rs, MONO, json, strlen(json), "row", &err);
        const struct sw_asset *a =
            rc == 0 && rs.n == 1 ? sw_release_asset(&rs.items[0], r->name) : NULL;
        if (!a || rs.items[0].nassets != 2 ||
            (r->digest ? !a->digest || strcmp(a->digest, r->digest) != 0 : a->digest != NULL) ||
            a->size != r->size) {
            print_error("row %zu: asset %s read as digest %s size %" PRId64
                        " (%zu assets; rc %d %s), want %s %" PRId64 "\n",
                        i, r->asset, a && a->digest ? a->digest : "(null)", a ? a->size : -2,
                        rs.n ? rs.items[0].nassets : 0, rc, err.msg,
                        r->digest ? r->digest : "(null)", r->size);
            bad++;
        }
        if (rs.n == 1 && sw_release_asset(&rs.items[0], "wash-nonexistent") != NULL) {
            print_error("row %zu: sw_release_asset found a name that is not there\n", i);
            bad++;
        }
        sw_releases_free(&rs);
    }
    if (bad)
        fail();
}

/* ---- sw_digest_valid ---- */

struct digest_row {
    const char *in;
    bool want;
};

static const struct digest_row digest_rows[] = {
    {"sha256:" HEX64, true},
    {"sha256:" HEX64U, true},
    {"sha256:" HEX16 HEX16U HEX16 HEX16U, true},
    {"sha256:" HEX16 HEX16 HEX16 "0123456789abcde", false},   /* 63 */
    {"sha256:" HEX64 "0", false},                              /* 65 */
    {"sha256:" HEX16 HEX16 HEX16 "0123456789abcdeg", false},  /* non-hex */
    {"sha256:" HEX16 HEX16 HEX16 "0123456789abcde ", false},  /* space */
    {"sha256:" HEX16 HEX16 HEX16 "0123456789abcdef\n", false},
    {"sha256: " HEX64, false},
    {"sha256:", false},
    {"sha256", false},
    {"", false},
    {NULL, false},
    {"sha512:" HEX64, false},
    {"sha1:" HEX64, false},
    {HEX64, false},
    {":" HEX64, false},
    {"sha256:sha256:" HEX64, false},
};

static void test_digest_valid(void **state)
{
    (void)state;
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(digest_rows); i++) {
        bool got = sw_digest_valid(digest_rows[i].in);
        if (got != digest_rows[i].want) {
            print_error("row %zu: digest_valid('%s') = %d, want %d\n", i,
                        digest_rows[i].in ? digest_rows[i].in : "(null)", got,
                        digest_rows[i].want);
            bad++;
        }
    }
    if (bad)
        fail();
}

/* ---- sw_releases_nearest ---- */

struct nearest_row {
    const char *around; /* NULL: the newest */
    bool old;
    size_t max;
    size_t n; /* buffer size */
    const char *want;
};

static const struct nearest_row nearest_rows[] = {
    {NULL, false, 3, 512, "2.8.0-rc.2, 2.8.0-rc.1, 2.7.0"},
    {NULL, true, 3, 512, "2.8.0-rc.2, 2.8.0-rc.1, 2.7.0"},
    {NULL, false, 1, 512, "2.8.0-rc.2"},
    {"2.0.9", false, 6, 512, "2.3.0, 2.2.0, 2.1.0, 2.0.6, 2.0.5, 2.0.4"},
    {"2.0.9", false, 2, 512, "2.1.0, 2.0.6"},
    {"2.0.6", false, 4, 512, "2.2.0, 2.1.0, 2.0.6, 2.0.5"},
    {"9.0.0", false, 3, 512, "2.8.0-rc.2, 2.8.0-rc.1, 2.7.0"},
    {"0.1.0", false, 3, 512, "1.0.0-beta.3, 1.0.0-beta.2, 1.0.0-beta.1"},
    {"0.1.0", true, 3, 512, "0.42.0, 0.41.0, 0.40.0"},
    {"0.41.5", true, 4, 512, "0.43.0, 0.42.0, 0.41.0, 0.40.0"},
    {"1.5.0", false, 2, 512, "2.0.0-rc.3, 1.0.0-rc.2"},
    {"2.0.0-rc.8", false, 3, 512, "2.0.0, 2.0.0-rc.8, 2.0.0-rc.7"},
    {NULL, false, 3, 8, "2.8.0-r"},
    {NULL, false, 0, 512, ""},
};

static void test_nearest(void **state)
{
    (void)state;
    struct sw_releases rs = {0};
    size_t bad = 0;
    sw_test_load_releases(&rs);
    for (size_t i = 0; i < ROWS(nearest_rows); i++) {
        const struct nearest_row *r = &nearest_rows[i];
        struct sw_semver v;
        char buf[512];
        memset(buf, 'Z', sizeof(buf));
        if (r->around && sw_semver_parse(r->around, &v, NULL) != 0) {
            print_error("row %zu: fixture '%s' does not parse\n", i, r->around);
            bad++;
            continue;
        }
        sw_releases_nearest(&rs, r->around ? &v : NULL, r->old, r->max, buf, r->n);
        if (strcmp(buf, r->want) != 0 || (r->n < sizeof(buf) && buf[r->n] != 'Z')) {
            print_error("row %zu: nearest(%s, old %d, max %zu, n %zu) = '%.*s', want '%s'\n", i,
                        r->around ? r->around : "newest", r->old, r->max, r->n, (int)r->n, buf,
                        r->want);
            bad++;
        }
    }
    /* no releases at all */
    struct sw_releases none = {0};
    char buf[64];
    sw_releases_nearest(&none, NULL, true, 6, buf, sizeof(buf));
    if (strcmp(buf, "(none)") != 0) {
        print_error("empty: nearest = '%s', want '(none)'\n", buf);
        bad++;
    }
    sw_releases_free(&rs);
    if (bad)
        fail();
}

/* ---- duplicate tags across pages, ties, one large page ---- */

#define D1 "sha256:" HEX64
#define D2 "sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
#define DREL(tag, digest)                                                                          \
    "{\"tag_name\":\"" tag "\",\"assets\":[{\"name\":\"wash-x86_64-unknown-linux-gnu\","           \
    "\"digest\":\"" digest "\"}]}"

struct pages_row {
    const char *name;
    size_t count;                              /* releases kept */
    const char *spec, *want_tag, *want_digest; /* the release selected and its asset's digest */
    const char *pages[8]; /* repository, page, repository, page...: added in order */
};

/* clang-format 14 puts each field of a row with a page list on its own line. */
/* clang-format off */
static const struct pages_row pages_rows[] = {
    {"a tag repeated on the next page: the first kept", 2, "2.9.0", "v2.9.0", D1,
     {MONO, "[" DREL("v2.9.0", D1) "]", MONO, "[" DREL("v2.9.0", D2) "," DREL("v2.8.0", D2) "]"}},
    {"pages shifted twice", 4, "2.8.0", "v2.8.0", D2,
     {MONO, "[" DREL("v2.10.0", D1) "," DREL("v2.9.0", D1) "]", MONO,
      "[" DREL("v2.9.0", D2) "," DREL("v2.8.0", D2) "]", MONO,
      "[" DREL("v2.8.0", D1) "," DREL("v2.7.0", D1) "]"}},
    {"a first entry without a wash asset hides nothing", 1, "2.9.0", "v2.9.0", D2,
     {MONO, "[{\"tag_name\":\"v2.9.0\",\"assets\":[{\"name\":\"wash.sigstore.json\"}]}]", MONO,
      "[" DREL("v2.9.0", D2) "]"}},
    {"a draft first, then the release", 1, "2.9.0", "v2.9.0", D2,
     {MONO,
      "[{\"tag_name\":\"v2.9.0\",\"draft\":true,\"assets\":[{\"name\":"
      "\"wash-x86_64-unknown-linux-gnu\",\"digest\":\"" D1 "\"}]}]",
      MONO, "[" DREL("v2.9.0", D2) "]"}},
    {"both repositories, then a repeat from each", 4, "2.0.0-rc.7", "wash-v2.0.0-rc.7", D1,
     {MONO, "[" DREL("v2.0.0", D1) "," DREL("wash-v2.0.0-rc.8", D1) "]", WASH,
      "[" DREL("wash-v2.0.0-rc.7", D1) "]", MONO, "[" DREL("wash-v2.0.0-rc.8", D2) "]", WASH,
      "[" DREL("wash-v2.0.0-rc.7", D2) "," DREL("wash-v2.0.0-rc.6", D2) "]"}},
    {"a repeat within a page and on the next", 1, "latest", "v2.9.0", D1,
     {MONO, "[" DREL("v2.9.0", D1) "," DREL("v2.9.0", D2) "]", MONO, "[" DREL("v2.9.0", D2) "]"}},
    /* one version under two tags (build metadata): both kept, the first listed selected */
    {"a tie: the first listed wins", 3, "latest", "v2.9.0+b", D1,
     {MONO, "[" DREL("v2.9.0+b", D1) "," DREL("v2.9.0+a", D2) "," DREL("v2.8.0", D2) "]"}},
    {"a tie in the other order", 3, "2.9.0", "v2.9.0+a", D2,
     {MONO, "[" DREL("v2.8.0", D2) "," DREL("v2.9.0+a", D2) "," DREL("v2.9.0+b", D1) "]"}},
};
/* clang-format on */

static void test_pages(void **state)
{
    (void)state;
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(pages_rows); i++) {
        const struct pages_row *r = &pages_rows[i];
        struct sw_releases rs = {0};
        struct sw_error err = {0};
        struct sw_spec spec;
        size_t idx = SIZE_MAX;
        int rc = 0;
        for (size_t p = 0; p + 1 < ROWS(r->pages) && r->pages[p] && rc == 0; p += 2)
            rc = sw_releases_add_json(&rs, r->pages[p], r->pages[p + 1], strlen(r->pages[p + 1]),
                                      "page", &err);
        assert_int_equal(sw_spec_parse(r->spec, &spec, &err), 0);
        if (rc == 0)
            rc = sw_releases_select(&rs, &spec, NULL, &idx, NULL, &err);
        const struct sw_release *got = rc == 0 ? &rs.items[idx] : NULL;
        const struct sw_asset *a =
            got ? sw_release_asset(got, "wash-x86_64-unknown-linux-gnu") : NULL;
        if (rs.n != r->count || !got || strcmp(got->tag, r->want_tag) != 0 || !a || !a->digest ||
            strcmp(a->digest, r->want_digest) != 0) {
            print_error("row %zu (%s): %zu releases (want %zu), '%s' selected %s with %s (rc %d "
                        "%s), want %s with %s\n",
                        i, r->name, rs.n, r->count, r->spec, got ? got->tag : "-",
                        a && a->digest ? a->digest : "-", rc, err.msg, r->want_tag, r->want_digest);
            bad++;
        }
        sw_spec_free(&spec);
        sw_releases_free(&rs);
    }
    if (bad)
        fail();
}

/* The nearest versions do not depend on the order of the page: one line per version, ties
 * (one version under two tags) named once. */
static void test_nearest_ties(void **state)
{
    (void)state;
    static const char *const pages[] = {
        "[" DREL("v2.9.0+b", D1) "," DREL("v2.8.0", D1) "," DREL("v2.9.0+a", D2) "," DREL(
            "v2.10.0-rc.1", D1) "," DREL("v2.9.0", D1) "]",
        "[" DREL("v2.9.0", D1) "," DREL("v2.9.0+a", D2) "," DREL("v2.10.0-rc.1", D1) "," DREL(
            "v2.8.0", D1) "," DREL("v2.9.0+b", D1) "]",
    };
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(pages); i++) {
        struct sw_releases rs = {0};
        struct sw_error err = {0};
        char buf[128];
        assert_int_equal(sw_releases_add_json(&rs, MONO, pages[i], strlen(pages[i]), "page", &err),
                         0);
        sw_releases_nearest(&rs, NULL, false, 6, buf, sizeof(buf));
        if (rs.n != 5 || strcmp(buf, "2.10.0-rc.1, 2.9.0, 2.8.0") != 0) {
            print_error("page %zu: %zu releases, nearest '%s'\n", i, rs.n, buf);
            bad++;
        }
        sw_releases_free(&rs);
    }
    if (bad)
        fail();
}

#define LARGE 50000
#define LARGE_PAGES 4

/* The version of the k-th release listed: k times a prime modulo LARGE scatters the versions
 * over the pages, each once. */
static void large_version(size_t k, char *buf, size_t n)
{
    size_t i = k * 7919 % LARGE;
    snprintf(buf, n, "2.%zu.%zu", i / 1000, i % 1000);
}

/* 50,000 releases over four pages in a scattered order, each page starting with the last 100
 * of the one before (a shifted page) and the last repeating every 97th release: every release
 * counted once, its first copy kept, and the selections and the full order right. */
static void test_large(void **state)
{
    (void)state;
    struct sw_releases rs = {0};
    struct sw_error err = {0};
    char v[32];
    for (size_t p = 0; p < LARGE_PAGES; p++) {
        struct sw_buf b = SW_BUF_INIT;
        size_t lo = p * LARGE / LARGE_PAGES, hi = (p + 1) * LARGE / LARGE_PAGES;
        sw_buf_adds(&b, "[");
        for (size_t k = p ? lo - 100 : lo; k < hi; k++) {
            large_version(k, v, sizeof(v));
            sw_buf_printf(&b, "%s" DREL("v%s", "%s"), b.len > 1 ? "," : "", v, k < lo ? D2 : D1);
        }
        for (size_t k = 0; p == LARGE_PAGES - 1 && k < LARGE; k += 97) {
            large_version(k, v, sizeof(v));
            sw_buf_printf(&b, "," DREL("v%s", D2), v);
        }
        sw_buf_adds(&b, "]");
        assert_int_equal(sw_releases_add_json(&rs, MONO, b.data, b.len, "page", &err), 0);
        sw_buf_free(&b);
    }
    assert_int_equal(rs.n, LARGE);
    for (size_t i = 0; i < rs.n; i++) {
        const struct sw_asset *a = sw_release_asset(&rs.items[i], "wash-x86_64-unknown-linux-gnu");
        large_version(i, v, sizeof(v));
        if (!a || !a->digest || strcmp(a->digest, D1) != 0 || strcmp(rs.items[i].tag + 1, v) != 0)
            fail_msg("release %zu: %s, want v%s with the first page's digest", i, rs.items[i].tag,
                     v);
    }

    static const struct {
        const char *spec, *want; /* want NULL: not found, with msg */
        const char *msg;
    } rows[] = {
        {"latest", "v2.49.999", NULL},
        {"~2.3", "v2.3.999", NULL},
        {"2.17.500", "v2.17.500", NULL},
        {">=2.0.0 <2.0.5", "v2.0.4", NULL},
        {"2.3.1000", NULL,
         "the nearest versions are 2.4.2, 2.4.1, 2.4.0, 2.3.999, 2.3.998, 2.3.997"},
        {"2.50.0", NULL,
         "the nearest versions are 2.49.999, 2.49.998, 2.49.997, 2.49.996, 2.49.995"},
        {"^3", NULL, "the newest versions are 2.49.999, 2.49.998,"},
    };
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(rows); i++) {
        struct sw_spec spec;
        size_t idx = SIZE_MAX;
        memset(&err, 0, sizeof(err));
        assert_int_equal(sw_spec_parse(rows[i].spec, &spec, &err), 0);
        int rc = sw_releases_select(&rs, &spec, NULL, &idx, NULL, &err);
        if (rows[i].want ? rc != 0 || strcmp(rs.items[idx].tag, rows[i].want) != 0
                         : rc != -1 || strstr(err.msg, rows[i].msg) == NULL) {
            print_error("row %zu: '%s': rc %d, selected %s, error '%s'\n", i, rows[i].spec, rc,
                        rc == 0 ? rs.items[idx].tag : "-", err.msg);
            bad++;
        }
        sw_spec_free(&spec);
    }

    /* every version, newest first */
    struct sw_buf want = SW_BUF_INIT;
    size_t n = LARGE * 12;
    char *got = malloc(n);
    assert_non_null(got);
    for (size_t i = LARGE; i-- > 0;) {
        snprintf(v, sizeof(v), "2.%zu.%zu", i / 1000, i % 1000);
        sw_buf_printf(&want, "%s%s", i + 1 < LARGE ? ", " : "", v);
    }
    sw_releases_nearest(&rs, NULL, true, LARGE, got, n);
    if (strcmp(got, sw_buf_str(&want)) != 0) {
        print_error("the full order differs: '%.80s...'\n", got);
        bad++;
    }
    sw_buf_free(&want);
    free(got);
    sw_releases_free(&rs);
    if (bad)
        fail();
}

/* ---- --min-release-age: sw_releases_select with a cooldown ---- */

#define REL(tag, when) "{\"tag_name\":\"" tag "\"," when "\"assets\":[" GNU_ASSET "]}"
#define AT(t) "\"published_at\":\"" t "\","

static const char cooldown_page[] =
    "[" REL("v2.10.0-rc.1", AT("2026-12-02T20:00:00Z")) "," REL("v2.9.0", AT("2026-12-02T12:00:00Z"))
    "," REL("v2.8.1", AT("2026-11-30T12:00:00Z")) "," REL("v2.8.0", AT("2026-11-20T12:00:00Z"))
    "," REL("v2.7.0", "") "," REL("v2.6.0", AT("not a time")) "]";

struct cooldown_row {
    const char *spec;
    const char *age;  /* a --min-release-age duration; now is 2026-12-02T21:00:00Z */
    const char *want; /* the version selected; NULL: SW_EXIT_NOTFOUND with msg and msg2 */
    const char *held; /* the version held back, "" for none */
    const char *msg, *msg2;
};

static const struct cooldown_row cooldown_rows[] = {
    {"latest", "0", "2.9.0", "", NULL, NULL},
    {"latest", "1h", "2.9.0", "", NULL, NULL},
    {"latest", "24h", "2.8.1", "2.9.0", NULL, NULL},
    {"rc", "24h", "2.8.1", "2.10.0-rc.1", NULL, NULL},
    {"rc", "2h", "2.9.0", "2.10.0-rc.1", NULL, NULL},
    {"rc", "30m", "2.10.0-rc.1", "", NULL, NULL},
    {"~2.8", "1w", "2.8.0", "2.8.1", NULL, NULL},
    {"^2.8", "1w", "2.8.0", "2.9.0", NULL, NULL},
    {"2.9.0", "2w", "2.9.0", "", NULL, NULL}, /* an exact version ignores the cooldown */
    {"v2.10.0-rc.1", "3d", "2.10.0-rc.1", "", NULL, NULL},
    {"^2.9", "1d", NULL, NULL,
     "no wash release matching '^2.9' is older than --min-release-age 1d: the newest match, "
     "2.9.0, was published 2026-12-02T12:00:00Z and qualifies at 2026-12-03T12:00:00Z;",
     "--min-release-age 0"},
    {">=2.8.1", "10d", NULL, NULL,
     "the newest match, 2.9.0, was published 2026-12-02T12:00:00Z and qualifies at "
     "2026-12-12T12:00:00Z (the first match to qualify is 2.8.1, at 2026-12-10T12:00:00Z)",
     "install an exact version to take it now"},
    /* a release without a (valid) published time cannot show its age: held back */
    {"~2.7", "1d", NULL, NULL, "the newest match, 2.7.0, has no published time", NULL},
    {"<2.8", "1s", NULL, NULL, "no published time", NULL},
    {"<2.8", "0", "2.7.0", "", NULL, NULL},
    {">=2.6 <2.9", "5d", "2.8.0", "2.8.1", NULL, NULL},
    /* no match at all: the usual message, not the cooldown one */
    {"^3", "1d", NULL, NULL, "no wash release matches '^3'", NULL},
};

static void test_select_cooldown(void **state)
{
    (void)state;
    struct sw_releases rs = {0};
    struct sw_error err = {0};
    size_t bad = 0;
    long long now;
    assert_int_equal(sw_releases_add_json(&rs, MONO, cooldown_page, strlen(cooldown_page), "page",
                                          &err), 0);
    assert_int_equal(rs.n, 6);
    assert_int_equal(sw_time_parse("2026-12-02T21:00:00Z", false, &now), 0);
    for (size_t i = 0; i < ROWS(cooldown_rows); i++) {
        const struct cooldown_row *r = &cooldown_rows[i];
        struct sw_spec spec;
        struct sw_cooldown cd = {0};
        size_t idx = SIZE_MAX, held = 7;
        memset(&err, 0, sizeof(err));
        assert_int_equal(sw_spec_parse(r->spec, &spec, &err), 0);
        assert_int_equal(sw_duration_parse(r->age, &cd.age), 0);
        cd.cutoff = now - cd.age;
        int rc = sw_releases_select(&rs, &spec, &cd, &idx, &held, &err);
        char got[SW_SEMVER_STR_MAX] = "-", hv[SW_SEMVER_STR_MAX] = "";
        if (rc == 0)
            sw_semver_str(&rs.items[idx].version, got, sizeof(got));
        if (rc == 0 && held != SIZE_MAX)
            sw_semver_str(&rs.items[held].version, hv, sizeof(hv));
        if (r->want ? rc != 0 || strcmp(got, r->want) != 0 || strcmp(hv, r->held) != 0
                    : rc != -1 || err.code != SW_EXIT_NOTFOUND || !strstr(err.msg, r->msg) ||
                          (r->msg2 && !strstr(err.msg, r->msg2))) {
            print_error("row %zu: '%s' with --min-release-age %s: rc %d, selected %s, held %s, "
                        "error '%s'\n",
                        i, r->spec, r->age, rc, got, hv, err.msg);
            bad++;
        }
        sw_spec_free(&spec);
    }
    sw_releases_free(&rs);
    if (bad)
        fail();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tag_classify),
        cmocka_unit_test(test_tag_for_version),
        cmocka_unit_test(test_tag_for_version_fixtures),
        cmocka_unit_test(test_fixture_counts),
        cmocka_unit_test(test_select),
        cmocka_unit_test(test_select_line),
        cmocka_unit_test(test_select_empty),
        cmocka_unit_test(test_select_cooldown),
        cmocka_unit_test(test_add_json),
        cmocka_unit_test(test_add_json_assets),
        cmocka_unit_test(test_digest_valid),
        cmocka_unit_test(test_nearest),
        cmocka_unit_test(test_pages),
        cmocka_unit_test(test_nearest_ties),
        cmocka_unit_test(test_large),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
