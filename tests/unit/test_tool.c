/* Unit tests for src/core/tool.c and the tools table (src/data/tools.c): TOOL[@SPEC] words,
 * tag classification with the moving tags, where an exact version lives, the asset of each
 * target by version, and selection over generated release lists. One row per case; a failing
 * row is printed by number. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/release.h"
#include "core/target.h"
#include "core/tool.h"

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))

static const struct sw_tool *tool(const char *name)
{
    const struct sw_tool *t = sw_tool_named(name);
    assert_non_null(t);
    return t;
}

/* ---- the table itself ---- */

static void table_is_consistent(void **state)
{
    (void)state;
    for (size_t i = 0; i < sw_tools_len; i++) {
        const struct sw_tool *t = &sw_tools[i];
        assert_ptr_equal(sw_tool_named(t->name), t);
        assert_non_null(t->exe);
        assert_non_null(t->bin);
        if (t->wash)
            continue;
        assert_true(t->ntags > 0);
        assert_true(t->nassets > 0);
        for (size_t j = 0; j < t->nassets; j++) {
            bool known = false;
            for (size_t k = 0; k < sw_tool_targets_len; k++)
                known = known || strcmp(sw_tool_targets[k], t->assets[j].target) == 0;
            if (!known)
                fail_msg("%s: asset row %zu has unknown target %s", t->name, j,
                         t->assets[j].target);
            /* every target --target may name parses as a target */
            struct sw_target tg;
            assert_int_equal(sw_target_parse(t->assets[j].target, &tg, NULL), 0);
        }
        if (t->check == SW_TOOL_CHECK_CHECKSUMS)
            assert_non_null(t->checksums);
        if (t->check == SW_TOOL_CHECK_ATTESTATIONS)
            assert_true(t->attested_since && t->signer_workflow && t->signer_refs);
    }
    assert_null(sw_tool_named("go"));
    assert_string_equal(sw_tool_names(), "wash, tinygo, wasm-tools, wkg, componentize-go");
}

/* ---- TOOL[@SPEC] ---- */

struct word_row {
    const char *word;
    const char *tool; /* NULL: refused */
    enum sw_spec_kind kind;
    const char *msg;
};

static const struct word_row word_rows[] = {
    {"tinygo", "tinygo", SW_SPEC_LATEST, NULL},
    {"tinygo@0.40.1", "tinygo", SW_SPEC_EXACT, NULL},
    {"tinygo@v0.40.1", "tinygo", SW_SPEC_EXACT, NULL},
    {"wasm-tools@^1.240", "wasm-tools", SW_SPEC_RANGE, NULL},
    {"wkg@rc", "wkg", SW_SPEC_RC, NULL},
    {"componentize-go@latest", "componentize-go", SW_SPEC_LATEST, NULL},
    {"wash@2.7.0", "wash", SW_SPEC_EXACT, NULL},
    {"go@1.25", NULL, 0, "unknown tool 'go': the tools are wash, tinygo, wasm-tools, wkg, componentize-go"},
    {"@1.0.0", NULL, 0, "'@1.0.0' is not TOOL[@SPEC]"},
    {"TinyGo", NULL, 0, "unknown tool 'TinyGo'"},
    {"tinygo@not a version", NULL, 0, "tinygo: "},
    {"wasm-tools@", NULL, 0, NULL}, /* an empty spec is latest */
};

static void words(void **state)
{
    (void)state;
    for (size_t i = 0; i < ROWS(word_rows); i++) {
        const struct word_row *r = &word_rows[i];
        const struct sw_tool *t = NULL;
        struct sw_spec spec;
        struct sw_error err = {0};
        int rc = sw_tool_request_parse(r->word, &t, &spec, &err);
        if (r->tool) {
            if (rc != 0 || strcmp(t->name, r->tool) != 0 || spec.kind != r->kind)
                fail_msg("row %zu (%s): rc %d, %s", i, r->word, rc, err.msg);
            sw_spec_free(&spec);
        } else if (i == ROWS(word_rows) - 1) {
            assert_int_equal(rc, 0);
            assert_int_equal(spec.kind, SW_SPEC_LATEST);
            sw_spec_free(&spec);
        } else {
            if (rc == 0 || err.code != SW_EXIT_USAGE || !strstr(err.msg, r->msg))
                fail_msg("row %zu (%s): rc %d, '%s'", i, r->word, rc, err.msg);
        }
    }
}

/* ---- tags ---- */

struct tag_row {
    const char *tool, *repo, *tag;
    const char *version; /* NULL: not a release of the tool */
};

static const struct tag_row tag_rows[] = {
    {"tinygo", "tinygo-org/tinygo", "v0.40.1", "0.40.1"},
    {"tinygo", "tinygo-org/tinygo", "v0.42.0-dev", NULL},
    {"tinygo", "tinygo-org/tinygo", "v0.42.0-dev.3", NULL},
    {"tinygo", "tinygo-org/tinygo", "v0.42.0-rc.1", "0.42.0-rc.1"},
    {"tinygo", "tinygo-org/tinygo", "0.40.1", NULL},
    {"tinygo", "other/tinygo", "v0.40.1", NULL},
    {"wasm-tools", "bytecodealliance/wasm-tools", "v1.240.0", "1.240.0"},
    {"wasm-tools", "bytecodealliance/wasm-tools", "wasm-tools-1.0.60", "1.0.60"},
    {"wasm-tools", "bytecodealliance/wasm-tools", "wasm-tools-1.240.0", NULL},
    {"wasm-tools", "bytecodealliance/wasm-tools", "v1.0.60", NULL},
    {"wasm-tools", "bytecodealliance/wasm-tools", "wit-component-0.200.0", NULL},
    {"wkg", "bytecodealliance/wasm-pkg-tools", "v0.13.0", "0.13.0"},
    {"wkg", "bytecodealliance/wasm-pkg-tools", "dev", NULL},
    {"componentize-go", "bytecodealliance/componentize-go", "v0.3.4", "0.3.4"},
    {"componentize-go", "bytecodealliance/componentize-go", "canary", NULL},
};

static void tags(void **state)
{
    (void)state;
    for (size_t i = 0; i < ROWS(tag_rows); i++) {
        const struct tag_row *r = &tag_rows[i];
        struct sw_semver v;
        bool is = sw_tool_classify(tool(r->tool), r->repo, r->tag, &v);
        char vs[SW_SEMVER_STR_MAX];
        if (is != (r->version != NULL) ||
            (is && strcmp(sw_semver_str(&v, vs, sizeof(vs)), r->version) != 0))
            fail_msg("row %zu (%s %s): %s", i, r->tool, r->tag, is ? vs : "not a release");
    }
}

struct where_row {
    const char *tool, *version;
    const char *repo, *tag; /* NULL: none */
};

static const struct where_row where_rows[] = {
    {"tinygo", "0.40.1", "tinygo-org/tinygo", "v0.40.1"},
    {"tinygo", "0.42.0-dev", NULL, NULL},
    {"wasm-tools", "1.240.0", "bytecodealliance/wasm-tools", "v1.240.0"},
    {"wasm-tools", "1.0.60", "bytecodealliance/wasm-tools", "wasm-tools-1.0.60"},
    {"wasm-tools", "0.9.0", NULL, NULL},
    {"wkg", "0.13.0", "bytecodealliance/wasm-pkg-tools", "v0.13.0"},
};

static void where(void **state)
{
    (void)state;
    for (size_t i = 0; i < ROWS(where_rows); i++) {
        const struct where_row *r = &where_rows[i];
        struct sw_semver v;
        assert_int_equal(sw_semver_parse(r->version, &v, NULL), 0);
        const char *repo = NULL;
        char tag[64];
        struct sw_error err = {0};
        int rc = sw_tool_tag_for(tool(r->tool), &v, &repo, tag, sizeof(tag), &err);
        if (r->tag ? rc != 0 || strcmp(repo, r->repo) != 0 || strcmp(tag, r->tag) != 0
                   : rc == 0 || err.code != SW_EXIT_NOTFOUND)
            fail_msg("row %zu (%s %s): rc %d %s", i, r->tool, r->version, rc,
                     rc ? err.msg : tag);
    }
}

/* ---- assets ---- */

struct asset_row {
    const char *tool, *version, *target;
    const char *name; /* NULL: no build; msg then */
    const char *msg;
};

static const struct asset_row asset_rows[] = {
    {"tinygo", "0.40.1", "x86_64-unknown-linux-gnu", "tinygo0.40.1.linux-amd64.tar.gz", NULL},
    {"tinygo", "0.40.1", "aarch64-unknown-linux-gnu", "tinygo0.40.1.linux-arm64.tar.gz", NULL},
    {"tinygo", "0.40.1", "x86_64-apple-darwin", "tinygo0.40.1.darwin-amd64.tar.gz", NULL},
    {"tinygo", "0.40.1", "aarch64-apple-darwin", "tinygo0.40.1.darwin-arm64.tar.gz", NULL},
    {"tinygo", "0.40.1", "x86_64-pc-windows-msvc", "tinygo0.40.1.windows-amd64.zip", NULL},
    {"tinygo", "0.40.1", "aarch64-pc-windows-msvc", NULL,
     "TinyGo 0.40.1 has no build for aarch64-pc-windows-msvc: it is published for "
     "x86_64-unknown-linux-gnu, aarch64-unknown-linux-gnu, x86_64-apple-darwin, "
     "aarch64-apple-darwin, x86_64-pc-windows-msvc"},
    {"tinygo", "0.40.1", "x86_64-unknown-linux-musl", NULL, "has no build for x86_64-unknown-linux-musl"},
    {"wasm-tools", "1.240.0", "x86_64-unknown-linux-gnu", "wasm-tools-1.240.0-x86_64-linux.tar.gz", NULL},
    {"wasm-tools", "1.240.0", "x86_64-unknown-linux-musl", "wasm-tools-1.240.0-x86_64-musl.tar.gz", NULL},
    {"wasm-tools", "1.235.0", "x86_64-unknown-linux-musl", NULL, "wasm-tools 1.235.0 has no build for x86_64-unknown-linux-musl"},
    {"wasm-tools", "1.240.0", "aarch64-apple-darwin", "wasm-tools-1.240.0-aarch64-macos.tar.gz", NULL},
    {"wasm-tools", "1.240.0", "x86_64-pc-windows-msvc", "wasm-tools-1.240.0-x86_64-windows.zip", NULL},
    {"wasm-tools", "1.243.0", "aarch64-pc-windows-msvc", NULL, "no build for aarch64-pc-windows-msvc"},
    {"wasm-tools", "1.244.0", "aarch64-pc-windows-msvc", "wasm-tools-1.244.0-aarch64-windows.zip", NULL},
    {"wasm-tools", "1.0.60", "x86_64-unknown-linux-gnu", "wasm-tools-1.0.60-x86_64-linux.tar.gz", NULL},
    {"wkg", "0.13.0", "x86_64-unknown-linux-gnu", "wkg-x86_64-unknown-linux-gnu", NULL},
    {"wkg", "0.13.0", "aarch64-apple-darwin", "wkg-aarch64-apple-darwin", NULL},
    {"wkg", "0.13.0", "x86_64-pc-windows-msvc", "wkg-x86_64-pc-windows-gnu", NULL},
    {"componentize-go", "0.3.4", "x86_64-unknown-linux-musl", "componentize-go-linux-amd64.tar.gz", NULL},
    {"componentize-go", "0.3.4", "x86_64-pc-windows-msvc", "componentize-go-windows-amd64.zip", NULL},
};

static void assets(void **state)
{
    (void)state;
    for (size_t i = 0; i < ROWS(asset_rows); i++) {
        const struct asset_row *r = &asset_rows[i];
        struct sw_semver v;
        assert_int_equal(sw_semver_parse(r->version, &v, NULL), 0);
        char name[160];
        struct sw_error err = {0};
        int rc = sw_tool_asset_name(tool(r->tool), r->target, &v, name, sizeof(name), &err);
        if (r->name ? rc != 0 || strcmp(name, r->name) != 0
                    : rc == 0 || err.code != SW_EXIT_NOTFOUND || !strstr(err.msg, r->msg))
            fail_msg("row %zu (%s %s %s): rc %d '%s'", i, r->tool, r->version, r->target, rc,
                     rc ? err.msg : name);
    }
}

static void assets_at_lists_every_target_once(void **state)
{
    (void)state;
    struct sw_semver v;
    struct sw_tool_target_asset all[16];
    assert_int_equal(sw_semver_parse("1.244.0", &v, NULL), 0);
    assert_int_equal(sw_tool_assets_at(tool("wasm-tools"), &v, all, 16), 8);
    assert_string_equal(all[0].target, "x86_64-unknown-linux-gnu");
    assert_string_equal(all[7].name, "wasm-tools-1.244.0-aarch64-windows.zip");
    assert_int_equal(sw_tool_assets_at(tool("wkg"), &v, all, 16), 5);
    assert_int_equal(sw_tool_assets_at(tool("wkg"), &v, all, 2), 2);
    assert_true(sw_tool_target_is_windows("aarch64-pc-windows-msvc"));
    assert_false(sw_tool_target_is_windows("x86_64-apple-darwin"));
}

/* ---- selection over a release list, through core/release.c with the tool's rules ---- */

static const char *const wkg_json =
    "[{\"tag_name\":\"dev\",\"prerelease\":true,\"assets\":[{\"name\":\"wkg-x86_64-unknown-linux-gnu\"}]},"
    " {\"tag_name\":\"v0.16.0\",\"assets\":[{\"name\":\"wkg-x86_64-unknown-linux-gnu\"}]},"
    " {\"tag_name\":\"v0.17.0-rc.1\",\"prerelease\":true,\"assets\":[]},"
    " {\"tag_name\":\"v0.15.1\",\"assets\":[]},"
    " {\"tag_name\":\"v0.13.0\",\"draft\":true,\"assets\":[]}]";

struct select_row {
    const char *spec;
    const char *want; /* NULL: not found, msg then */
    const char *msg;
};

static const struct select_row select_rows[] = {
    {"latest", "0.16.0", NULL},
    {"rc", "0.17.0-rc.1", NULL},
    {"^0.15", "0.15.1", NULL},
    {"0.15.1", "0.15.1", NULL},
    {"0.13.0", NULL, "wkg 0.13.0 was not found in any release: the nearest versions are"},
    {"^0.20", NULL, "no wkg release matches '^0.20'"},
};

static void selection(void **state)
{
    (void)state;
    struct sw_releases rs = {.tool = tool("wkg")};
    struct sw_error err = {0};
    assert_int_equal(sw_releases_add_json(&rs, "bytecodealliance/wasm-pkg-tools", wkg_json,
                                          strlen(wkg_json), "test", &err),
                     0);
    assert_int_equal(rs.n, 3); /* dev and the draft are not releases */
    for (size_t i = 0; i < ROWS(select_rows); i++) {
        const struct select_row *r = &select_rows[i];
        struct sw_spec spec;
        assert_int_equal(sw_spec_parse(r->spec, &spec, NULL), 0);
        size_t idx = 0;
        int rc = sw_releases_select(&rs, &spec, NULL, &idx, NULL, &err);
        char vs[SW_SEMVER_STR_MAX] = "";
        if (rc == 0)
            sw_semver_str(&rs.items[idx].version, vs, sizeof(vs));
        if (r->want ? rc != 0 || strcmp(vs, r->want) != 0 : rc == 0 || !strstr(err.msg, r->msg))
            fail_msg("row %zu (%s): rc %d '%s'", i, r->spec, rc, rc ? err.msg : vs);
        sw_spec_free(&spec);
    }
    sw_releases_free(&rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_is_consistent),
        cmocka_unit_test(words),
        cmocka_unit_test(tags),
        cmocka_unit_test(where),
        cmocka_unit_test(assets),
        cmocka_unit_test(assets_at_lists_every_target_once),
        cmocka_unit_test(selection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
