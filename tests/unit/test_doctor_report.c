/* Unit tests for doctor's plumbing: the check table and selection, which programs a project
 * needs, the text / JSON / Markdown report, and the consistency of the toolchain tables in
 * src/data/toolchains.c (so next year's TinyGo row cannot break the rules silently). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/doctor.h"
#include "core/semver.h"
#include "data/toolchains.h"

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))

static struct sw_semver ver(const char *s)
{
    struct sw_semver v;
    struct sw_error err = {0};
    if (sw_semver_parse(s, &v, &err) < 0)
        fail_msg("table version '%s' does not parse: %s", s, err.msg);
    return v;
}

static void test_tinygo_table(void **state)
{
    (void)state;
    assert_true(sw_tinygo_rows_len > 0);
    for (size_t i = 0; i < sw_tinygo_rows_len; i++) {
        const struct sw_tinygo_row *r = &sw_tinygo_rows[i];
        struct sw_semver lo = ver(r->min), hi = ver(r->max_excl);
        if (lo.patch != 0 || lo.pre[0] || hi.patch != 0 || hi.pre[0])
            fail_msg("row %zu (%s): bounds must be X.Y.0", i, r->min);
        if (sw_semver_cmp(&lo, &hi) >= 0)
            fail_msg("row %zu (%s): empty range", i, r->min);
        if (r->go_min > r->go_max)
            fail_msg("row %zu (%s): Go range %u-%u", i, r->min, r->go_min, r->go_max);
        if (i > 0) {
            const struct sw_tinygo_row *p = &sw_tinygo_rows[i - 1];
            struct sw_semver prev_hi = ver(p->max_excl);
            if (sw_semver_cmp(&prev_hi, &lo) != 0)
                fail_msg("row %zu (%s) does not start where row %zu ends (%s)", i, r->min, i - 1,
                         p->max_excl);
            /* a capability, once there, stays */
            if ((p->flags & r->flags) != p->flags)
                fail_msg("row %zu (%s) drops a flag of row %zu", i, r->min, i - 1);
            if (r->go_max < p->go_max)
                fail_msg("row %zu (%s): newest Go went down", i, r->min);
        }
    }
}

/* The facts of section 5, restated: wasip2 from 0.33, built-with from 0.34, go-compatibility
 * from 0.40; 0.38.0 takes 1.19-1.24. */
static void test_tinygo_facts(void **state)
{
    (void)state;
    static const struct {
        const char *v;
        unsigned go_min, go_max, flags;
    } facts[] = {
        {"0.30.0", 18, 21, 0},
        {"0.31.2", 18, 22, 0},
        {"0.32.0", 19, 22, 0},
        {"0.33.0", 19, 23, SW_TG_WASIP2},
        {"0.34.0", 19, 23, SW_TG_WASIP2 | SW_TG_BUILT_WITH},
        {"0.35.0", 19, 23, SW_TG_WASIP2 | SW_TG_BUILT_WITH},
        {"0.36.0", 19, 24, SW_TG_WASIP2 | SW_TG_BUILT_WITH},
        {"0.38.0", 19, 24, SW_TG_WASIP2 | SW_TG_BUILT_WITH},
        {"0.39.0", 19, 25, SW_TG_WASIP2 | SW_TG_BUILT_WITH},
        {"0.40.1", 19, 25, SW_TG_WASIP2 | SW_TG_BUILT_WITH | SW_TG_GOCOMPAT},
        {"0.41.1", 19, 26, SW_TG_WASIP2 | SW_TG_BUILT_WITH | SW_TG_GOCOMPAT},
        {"0.42.0", 25, 27, SW_TG_WASIP2 | SW_TG_BUILT_WITH | SW_TG_GOCOMPAT},
    };
    for (size_t i = 0; i < ROWS(facts); i++) {
        struct sw_semver v = ver(facts[i].v);
        const struct sw_tinygo_row *row = NULL;
        for (size_t k = 0; k < sw_tinygo_rows_len; k++) {
            struct sw_semver lo = ver(sw_tinygo_rows[k].min), hi = ver(sw_tinygo_rows[k].max_excl);
            if (sw_semver_cmp(&v, &lo) >= 0 && sw_semver_cmp(&v, &hi) < 0)
                row = &sw_tinygo_rows[k];
        }
        if (!row)
            fail_msg("TinyGo %s has no row", facts[i].v);
        if (row->go_min != facts[i].go_min || row->go_max != facts[i].go_max ||
            row->flags != facts[i].flags)
            fail_msg("TinyGo %s: row says Go 1.%u-1.%u flags %u", facts[i].v, row->go_min,
                     row->go_max, row->flags);
    }
}

static void test_wash_eras(void **state)
{
    (void)state;
    for (size_t i = 0; i < sw_wash_eras_len; i++) {
        struct sw_semver lo = ver(sw_wash_eras[i].min);
        if (sw_wash_eras[i].max_excl) {
            struct sw_semver hi = ver(sw_wash_eras[i].max_excl);
            assert_true(sw_semver_cmp(&lo, &hi) < 0);
        } else {
            assert_int_equal(i, sw_wash_eras_len - 1); /* only the last is open-ended */
        }
    }
    /* the last wash with plugins is in a plugin era, and the next era has none */
    struct sw_semver last = ver(sw_wash_last_with_plugins);
    bool found = false;
    for (size_t i = 0; i + 1 < sw_wash_eras_len; i++) {
        struct sw_semver lo = ver(sw_wash_eras[i].min), hi = ver(sw_wash_eras[i].max_excl);
        if (sw_semver_cmp(&last, &lo) >= 0 && sw_semver_cmp(&last, &hi) < 0) {
            found = true;
            assert_non_null(sw_wash_eras[i].plugin_pkg);
            assert_null(sw_wash_eras[i + 1].plugin_pkg);
            assert_string_equal(sw_wash_eras[i + 1].min, "2.0.0-rc.8");
        }
    }
    assert_true(found);
}

static void test_select(void **state)
{
    (void)state;
    bool sel[64];
    struct sw_error err = {0};
    assert_int_equal(sw_doctor_select(NULL, 0, sel, &err), 0);
    for (size_t k = 0; k < sw_check_defs_len; k++)
        assert_true(sel[k]);
    const char *ids[] = {"tinygo-go", "wash"};
    assert_int_equal(sw_doctor_select(ids, 2, sel, &err), 0);
    for (size_t k = 0; k < sw_check_defs_len; k++)
        assert_int_equal(sel[k], strcmp(sw_check_defs[k].id, "tinygo-go") == 0 ||
                                     strcmp(sw_check_defs[k].id, "wash") == 0);
    const char *bad[] = {"wash", "tinygo\x1b[2J"};
    assert_int_equal(sw_doctor_select(bad, 2, sel, &err), -1);
    assert_int_equal(err.code, SW_EXIT_USAGE);
    assert_non_null(
        strstr(err.msg, "unknown check 'tinygo\\x1b[2J': the checks are project, wash"));
    /* ids are unique and lowercase */
    for (size_t k = 0; k < sw_check_defs_len; k++) {
        for (const char *p = sw_check_defs[k].id; *p; p++)
            assert_true((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-');
        for (size_t j = k + 1; j < sw_check_defs_len; j++)
            assert_string_not_equal(sw_check_defs[k].id, sw_check_defs[j].id);
    }
}

static void test_tools(void **state)
{
    (void)state;
    bool all[64];
    for (size_t k = 0; k < sw_check_defs_len; k++)
        all[k] = true;
    struct sw_project p;
    memset(&p, 0, sizeof(p));
    assert_int_equal(sw_doctor_tools(&p, all), SW_T_WASH);
    p.gomod.present = true;
    assert_int_equal(sw_doctor_tools(&p, all), SW_T_WASH | SW_T_GO | SW_T_TINYGO |
                                                   SW_T_WASM_TOOLS | SW_T_WIT_BINDGEN_GO);
    memset(&p, 0, sizeof(p));
    p.cargo = true;
    assert_int_equal(sw_doctor_tools(&p, all),
                     SW_T_WASH | SW_T_RUSTC | SW_T_RUST_TARGETS | SW_T_CARGO_COMPONENT);
    memset(&p, 0, sizeof(p));
    p.tsconfig = true;
    assert_int_equal(sw_doctor_tools(&p, all), SW_T_WASH | SW_T_NODE | SW_T_JCO);
    /* only what the selected checks read */
    p.gomod.present = p.cargo = true;
    bool sel[64];
    const char *ids[] = {"tinygo-go"};
    sw_doctor_select(ids, 1, sel, NULL);
    assert_int_equal(sw_doctor_tools(&p, sel), SW_T_GO | SW_T_TINYGO);
    const char *proj[] = {"project"};
    sw_doctor_select(proj, 1, sel, NULL);
    assert_int_equal(sw_doctor_tools(&p, sel), 0);
    /* wash config validate only for a project with a wash config */
    const char *cfg[] = {"wash-config"};
    sw_doctor_select(cfg, 1, sel, NULL);
    assert_int_equal(sw_doctor_tools(&p, sel), SW_T_WASH);
    snprintf(p.washcfg.file, sizeof(p.washcfg.file), ".wash/config.yaml");
    assert_int_equal(sw_doctor_tools(&p, sel), SW_T_WASH | SW_T_WASH_VALIDATE);
}

static struct sw_report sample(void)
{
    struct sw_report r = {0};
    r.checks = calloc(4, sizeof(*r.checks));
    r.n = 4;
    r.status = SW_CHECK_ERROR;
    r.checks[0] = (struct sw_check){.id = "wash", .status = SW_CHECK_OK};
    snprintf(r.checks[0].message, sizeof(r.checks[0].message), "wash 2.7.0 on PATH");
    snprintf(r.checks[0].found[0].key, 32, "version");
    snprintf(r.checks[0].found[0].val, 256, "2.7.0");
    r.checks[0].nfound = 1;
    r.checks[1] = (struct sw_check){.id = "tinygo-go", .status = SW_CHECK_ERROR};
    snprintf(r.checks[1].message, sizeof(r.checks[1].message),
             "TinyGo 0.38.0 supports Go 1.19-1.24, Go on PATH is go1.25.1");
    snprintf(r.checks[1].fix, sizeof(r.checks[1].fix),
             "install TinyGo >= 0.39.0 or set GOTOOLCHAIN=go1.24.x");
    r.checks[2] = (struct sw_check){.id = "project", .status = SW_CHECK_WARN};
    snprintf(r.checks[2].message, sizeof(r.checks[2].message), "a | pipe <b> & \"q\"\nline");
    snprintf(r.checks[2].fix, sizeof(r.checks[2].fix), "fix | it");
    r.checks[3] = (struct sw_check){.id = "rust", .status = SW_CHECK_SKIP};
    snprintf(r.checks[3].message, sizeof(r.checks[3].message), "not a Rust project");
    return r;
}

static void test_text(void **state)
{
    (void)state;
    struct sw_report r = sample();
    char *t = sw_report_text(&r, false);
    assert_non_null(strstr(t, "\xe2\x9c\x93 wash       wash 2.7.0 on PATH\n"));
    assert_non_null(strstr(t, "\xe2\x9c\x97 tinygo-go  TinyGo 0.38.0 supports Go 1.19-1.24"));
    assert_non_null(strstr(t, "! project    a | pipe"));
    assert_non_null(strstr(t, "- rust       not a Rust project\n"));
    assert_non_null(strstr(t, "\nfixes:\n  tinygo-go  install TinyGo >= 0.39.0 or set "
                              "GOTOOLCHAIN=go1.24.x\n  project    fix | it\n"));
    assert_non_null(strstr(t, "doctor: error (1 error, 1 warning, 1 ok, 1 skipped)\n"));
    assert_null(strstr(t, "\033["));
    free(t);
    t = sw_report_text(&r, true);
    assert_non_null(strstr(t, "\033[31m\xe2\x9c\x97\033[0m tinygo-go"));
    assert_non_null(strstr(t, "\033[32m\xe2\x9c\x93\033[0m wash"));
    free(t);
    free(r.checks);
}

static void test_json(void **state)
{
    (void)state;
    struct sw_report r = sample();
    char *t = sw_report_json(&r);
    assert_non_null(strchr(t, '\n'));
    assert_true(strchr(t, '\n') == t + strlen(t) - 1); /* one line */
    cJSON *root = cJSON_Parse(t);
    assert_non_null(root);
    assert_int_equal(cJSON_GetArraySize(root), 2);
    assert_string_equal(cJSON_GetObjectItem(root, "status")->valuestring, "error");
    cJSON *checks = cJSON_GetObjectItem(root, "checks");
    assert_int_equal(cJSON_GetArraySize(checks), 4);
    cJSON *c0 = cJSON_GetArrayItem(checks, 0);
    assert_int_equal(cJSON_GetArraySize(c0), 5); /* id, status, message, fix, found */
    assert_string_equal(cJSON_GetObjectItem(c0, "id")->valuestring, "wash");
    assert_string_equal(cJSON_GetObjectItem(c0, "status")->valuestring, "ok");
    assert_string_equal(cJSON_GetObjectItem(c0, "fix")->valuestring, "");
    cJSON *found = cJSON_GetObjectItem(c0, "found");
    assert_string_equal(cJSON_GetObjectItem(found, "version")->valuestring, "2.7.0");
    cJSON *c2 = cJSON_GetArrayItem(checks, 2);
    assert_string_equal(cJSON_GetObjectItem(c2, "message")->valuestring,
                        "a | pipe <b> & \"q\"\nline");
    assert_true(cJSON_IsObject(cJSON_GetObjectItem(cJSON_GetArrayItem(checks, 3), "found")));
    cJSON_Delete(root);
    free(t);
    free(r.checks);
}

static void test_markdown(void **state)
{
    (void)state;
    struct sw_report r = sample();
    char *t = sw_report_markdown(&r, "examples/go");
    assert_non_null(strstr(t, "### setup-wash doctor: error\n"));
    assert_non_null(strstr(t, "Project `examples/go`: 1 error, 1 warning, 1 ok, 1 skipped."));
    assert_non_null(strstr(t, "| | check | status | message | fix |\n|---|---|---|---|---|\n"));
    assert_non_null(strstr(t, "| \xe2\x9c\x97 | `tinygo-go` | error | TinyGo 0.38.0 supports Go "
                              "1.19-1.24, Go on PATH is go1.25.1 | install TinyGo >= 0.39.0 or "
                              "set GOTOOLCHAIN=go1.24.x |\n"));
    assert_non_null(strstr(t, "| ! | `project` | warn | a \\| pipe &lt;b> &amp; \"q\" line | "
                              "fix \\| it |\n"));
    assert_non_null(strstr(t, "| - | `rust` | skip | not a Rust project |  |\n"));
    free(t);
    free(r.checks);
}

/* What doctor --fix did shows in every rendering: fixed, failed, and one that did not end. */
static void test_applied(void **state)
{
    (void)state;
    struct sw_report r = sample();
    r.checks[0].id = "rust-wasip2";
    snprintf(r.checks[0].applied, sizeof(r.checks[0].applied), "rustup target add wasm32-wasip2");
    r.checks[0].fixed = true;
    snprintf(r.checks[1].applied, sizeof(r.checks[1].applied), "x | y");
    r.checks[1].applied_exit = 3;
    snprintf(r.checks[2].applied, sizeof(r.checks[2].applied), "z");
    r.checks[2].applied_exit = -1;
    char *t = sw_report_text(&r, false);
    assert_non_null(strstr(t, "\nfixed by doctor --fix:\n"
                              "  rust-wasip2  ran 'rustup target add wasm32-wasip2': fixed\n"
                              "  tinygo-go    ran 'x | y': exit code 3, not fixed\n"
                              "  project      ran 'z': it did not finish, not fixed\n"));
    free(t);
    t = sw_report_json(&r);
    cJSON *root = cJSON_Parse(t);
    cJSON *checks = cJSON_GetObjectItem(root, "checks");
    cJSON *a = cJSON_GetObjectItem(cJSON_GetArrayItem(checks, 0), "fix-applied");
    assert_string_equal(cJSON_GetObjectItem(a, "command")->valuestring,
                        "rustup target add wasm32-wasip2");
    assert_int_equal(cJSON_GetObjectItem(a, "exit-code")->valueint, 0);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(a, "fixed")));
    a = cJSON_GetObjectItem(cJSON_GetArrayItem(checks, 1), "fix-applied");
    assert_int_equal(cJSON_GetObjectItem(a, "exit-code")->valueint, 3);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(a, "fixed")));
    assert_null(cJSON_GetObjectItem(cJSON_GetArrayItem(checks, 3), "fix-applied"));
    cJSON_Delete(root);
    free(t);
    t = sw_report_markdown(&r, ".");
    assert_non_null(strstr(t, "(doctor --fix ran 'rustup target add wasm32-wasip2': fixed)"));
    assert_non_null(strstr(t, "(doctor --fix ran 'x \\| y': not fixed)"));
    free(t);
    free(r.checks);
}

static void test_status_names(void **state)
{
    (void)state;
    assert_string_equal(sw_check_status_name(SW_CHECK_OK), "ok");
    assert_string_equal(sw_check_status_name(SW_CHECK_WARN), "warn");
    assert_string_equal(sw_check_status_name(SW_CHECK_ERROR), "error");
    assert_string_equal(sw_check_status_name(SW_CHECK_SKIP), "skip");
    sw_report_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tinygo_table), cmocka_unit_test(test_tinygo_facts),
        cmocka_unit_test(test_wash_eras),    cmocka_unit_test(test_select),
        cmocka_unit_test(test_tools),        cmocka_unit_test(test_text),
        cmocka_unit_test(test_json),         cmocka_unit_test(test_markdown),
        cmocka_unit_test(test_status_names), cmocka_unit_test(test_applied),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
