/* Unit tests for src/core/semver.c: one table per area, every failing row printed by number. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/semver.h"

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))

#define MAXU "18446744073709551615"
#define PRE63 "a23456789.123456789.123456789.123456789.123456789.123456789.123"
#define PRE64 PRE63 "4"
#define DIGITS16 "1111111111111111"
#define DIGITS128 DIGITS16 DIGITS16 DIGITS16 DIGITS16 DIGITS16 DIGITS16 DIGITS16 DIGITS16

/* Parses a version a table row relies on; a broken row is a failure of that row. */
static bool version(const char *s, struct sw_semver *v, size_t row)
{
    struct sw_error err = {0};
    if (sw_semver_parse(s, v, &err) == 0)
        return true;
    print_error("row %zu: fixture '%s' does not parse: %s\n", row, s, err.msg);
    return false;
}

/* ---- sw_semver_parse ---- */

struct parse_row {
    const char *in;
    const char *msg; /* NULL: must parse; else a fragment of the error */
    uint64_t major, minor, patch;
    const char *pre, *build;
};

static const struct parse_row parse_rows[] = {
    {"0.0.0", NULL, 0, 0, 0, "", ""},
    {"1.2.3", NULL, 1, 2, 3, "", ""},
    {"10.20.30", NULL, 10, 20, 30, "", ""},
    {"2.0.0-rc.8", NULL, 2, 0, 0, "rc.8", ""},
    {"1.0.0-beta.10", NULL, 1, 0, 0, "beta.10", ""},
    {"1.0.0-alpha.beta", NULL, 1, 0, 0, "alpha.beta", ""},
    {"1.0.0-0", NULL, 1, 0, 0, "0", ""},
    {"1.0.0-x.7.z.92", NULL, 1, 0, 0, "x.7.z.92", ""},
    {"1.0.0-0A.is.legal", NULL, 1, 0, 0, "0A.is.legal", ""},
    {"1.0.0-alpha+001", NULL, 1, 0, 0, "alpha", "001"},
    {"1.0.0+20130313144700", NULL, 1, 0, 0, "", "20130313144700"},
    {"1.0.0-beta+exp.sha.5114f85", NULL, 1, 0, 0, "beta", "exp.sha.5114f85"},
    {"1.0.0+21AF26D3----117B344092BD", NULL, 1, 0, 0, "", "21AF26D3----117B344092BD"},
    {"1.2.3----RC-SNAPSHOT.12.9.1--.12+788", NULL, 1, 2, 3, "---RC-SNAPSHOT.12.9.1--.12", "788"},
    {"1.1.2-prerelease+meta", NULL, 1, 1, 2, "prerelease", "meta"},
    {"1.2.3+01", NULL, 1, 2, 3, "", "01"},
    {"1.2.3-rc-1", NULL, 1, 2, 3, "rc-1", ""},
    {"1.2.3--", NULL, 1, 2, 3, "-", ""},
    {MAXU "." MAXU "." MAXU, NULL, UINT64_MAX, UINT64_MAX, UINT64_MAX, "", ""},
    {"1.2.3-" PRE63, NULL, 1, 2, 3, PRE63, ""},
    {"1.2.3+" PRE63, NULL, 1, 2, 3, "", PRE63},
    {"", "invalid version '': expected MAJOR.MINOR.PATCH like 2.7.0", 0, 0, 0, NULL, NULL},
    {"1", "invalid version '1': expected MAJOR.MINOR.PATCH", 0, 0, 0, NULL, NULL},
    {"1.2", "invalid version '1.2': expected MAJOR.MINOR.PATCH", 0, 0, 0, NULL, NULL},
    {"1.2.3.4", "invalid version '1.2.3.4': unexpected '.4' at column 6", 0, 0, 0, NULL, NULL},
    {"01.2.3", "leading zero in '01' at column 1", 0, 0, 0, NULL, NULL},
    {"1.02.3", "leading zero in '02' at column 3", 0, 0, 0, NULL, NULL},
    {"1.2.03", "leading zero in '03' at column 5", 0, 0, 0, NULL, NULL},
    {"00.0.0", "leading zero in '00'", 0, 0, 0, NULL, NULL},
    {"v1.2.3", "unexpected 'v1.2.3' at column 1", 0, 0, 0, NULL, NULL},
    {"=1.2.3", "unexpected '=1.2.3' at column 1", 0, 0, 0, NULL, NULL},
    {" 1.2.3", "expected a version at column 1", 0, 0, 0, NULL, NULL},
    {"1.2.3 ", "unexpected ' ' at column 6", 0, 0, 0, NULL, NULL},
    {"1.2.3\n", "unexpected '\\x0a' at column 6", 0, 0, 0, NULL, NULL},
    {"1.2.3-", "empty prerelease identifier at column 7", 0, 0, 0, NULL, NULL},
    {"1.2.3-rc..1", "empty prerelease identifier at column 10", 0, 0, 0, NULL, NULL},
    {"1.2.3-rc.1.", "empty prerelease identifier at column 12", 0, 0, 0, NULL, NULL},
    {"1.2.3-.rc", "empty prerelease identifier at column 7", 0, 0, 0, NULL, NULL},
    {"1.2.3+", "empty build identifier at column 7", 0, 0, 0, NULL, NULL},
    {"1.2.3+a..b", "empty build identifier at column 9", 0, 0, 0, NULL, NULL},
    {"1.2.3-+b", "empty prerelease identifier at column 7", 0, 0, 0, NULL, NULL},
    {"1.2.3-01", "leading zero in prerelease identifier '01' at column 7", 0, 0, 0, NULL, NULL},
    {"1.2.3-rc.01", "leading zero in prerelease identifier '01' at column 10", 0, 0, 0, NULL, NULL},
    {"18446744073709551616.0.0", "number '18446744073709551616' is too large at column 1", 0, 0, 0,
     NULL, NULL},
    {"1.18446744073709551616.0", "is too large at column 3", 0, 0, 0, NULL, NULL},
    {"1.0.99999999999999999999999", "is too large at column 5", 0, 0, 0, NULL, NULL},
    {"1.2.3-" PRE64,
     "prerelease 'a23456789.123456789.123456789.123456...' longer than 63 characters at column 7",
     0, 0, 0, NULL, NULL},
    {"1.2.3+" PRE64,
     "build 'a23456789.123456789.123456789.123456...' longer than 63 characters at column 7", 0, 0,
     0, NULL, NULL},
    {"1.2.3-rc_1", "unexpected '_1' at column 9", 0, 0, 0, NULL, NULL},
    {"1.2.x", "unexpected '.x' at column 4", 0, 0, 0, NULL, NULL},
    {"1.2.3-rc.1+b+c", "unexpected '+c' at column 13", 0, 0, 0, NULL, NULL},
    {"1.2.3trailing", "unexpected 'trailing' at column 6", 0, 0, 0, NULL, NULL},
    {"a.b.c", "unexpected 'a.b.c' at column 1", 0, 0, 0, NULL, NULL},
    {"-1.2.3", "unexpected '-1.2.3' at column 1", 0, 0, 0, NULL, NULL},
    {"1..3", "unexpected '..3' at column 2", 0, 0, 0, NULL, NULL},
    {"1.2.", "unexpected '.' at column 4", 0, 0, 0, NULL, NULL},
    {"1.2.3-rc.1 ", "unexpected ' ' at column 11", 0, 0, 0, NULL, NULL},
};

static void test_parse(void **state)
{
    (void)state;
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(parse_rows); i++) {
        const struct parse_row *r = &parse_rows[i];
        struct sw_semver v;
        struct sw_error err = {0};
        int rc = sw_semver_parse(r->in, &v, &err);
        if (!r->msg && rc != 0) {
            print_error("row %zu: '%s' should parse, got: %s\n", i, r->in, err.msg);
            bad++;
        } else if (!r->msg && (v.major != r->major || v.minor != r->minor || v.patch != r->patch ||
                               strcmp(v.pre, r->pre) != 0 || strcmp(v.build, r->build) != 0)) {
            print_error("row %zu: '%s' parsed as %" PRIu64 ".%" PRIu64 ".%" PRIu64
                        " pre '%s' build '%s'\n",
                        i, r->in, v.major, v.minor, v.patch, v.pre, v.build);
            bad++;
        } else if (r->msg &&
                   (rc != -1 || err.code != SW_EXIT_USAGE || strstr(err.msg, r->msg) == NULL)) {
            print_error("row %zu: '%s' should fail with '%s', got rc %d code %d: '%s'\n", i, r->in,
                        r->msg, rc, err.code, err.msg);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

/* ---- sw_semver_cmp ---- */

struct cmp_row {
    const char *a, *b;
    int want; /* sign of cmp(a, b); cmp(b, a) must be the opposite */
};

static const struct cmp_row cmp_rows[] = {
    {"1.0.0", "2.0.0", -1},
    {"2.0.0", "2.1.0", -1},
    {"2.1.0", "2.1.1", -1},
    {"2.1.1", "2.1.1", 0},
    {"10.0.0", "9.0.0", 1},
    {"1.10.0", "1.9.0", 1},
    {"1.0.10", "1.0.9", 1},
    {"0.43.0", "1.0.0-beta.1", -1},
    {MAXU ".0.0", "18446744073709551614.0.0", 1},
    {"1.0.0+a", "1.0.0+b", 0},
    {"1.0.0-rc.1+a", "1.0.0-rc.1", 0},
    {"1.0.0-rc.10", "1.0.0-rc.9", 1},
    {"2.0.0-rc.8", "2.0.0-rc.10", -1},
    {"1.0.0-beta.10", "1.0.0-rc.1", -1},
    {"1.0.0-beta.10", "1.0.0-beta.9", 1},
    {"1.0.0-rc.1", "1.0.0", -1},
    {"1.0.0-rc.1", "0.99.99", 1},
    {"1.0.0-1", "1.0.0-a", -1},
    {"1.0.0-1a", "1.0.0-1", 1},
    {"1.0.0-a", "1.0.0-a.0", -1},
    {"1.0.0-a.b", "1.0.0-a.1", 1},
    {"1.0.0-Z", "1.0.0-a", -1},
    {"1.0.0-alpha", "1.0.0-alpha-", -1},
    {"1.0.0-a-b", "1.0.0-a", 1},
    {"1.0.0-11", "1.0.0-9", 1},
    {"1.0.0-0", "1.0.0-1", -1},
    {"1.0.0--", "1.0.0-0", 1},
    {"1.0.0-99999999999999999999999", "1.0.0-100000000000000000000000", -1},
    {"1.0.0-99999999999999999999999", "1.0.0-99999999999999999999998", 1},
    {"1.0.0-rc.1.0", "1.0.0-rc.1", 1},
    {"1.0.0-0", "0.0.0", 1},
    {"3.0.0-0", "3.0.0-rc.1", -1},
};

/* The whole wash tag history in order (wash-facts.md; the 2.x patch list is representative). */
static const char *const wash_history[] = {
    "1.0.0-beta.1", "1.0.0-beta.2", "1.0.0-beta.3", "1.0.0-beta.4",  "1.0.0-beta.5", "1.0.0-beta.6",
    "1.0.0-beta.7", "1.0.0-beta.8", "1.0.0-beta.9", "1.0.0-beta.10", "1.0.0-rc.1",   "1.0.0-rc.2",
    "2.0.0-rc.3",   "2.0.0-rc.4",   "2.0.0-rc.5",   "2.0.0-rc.6",    "2.0.0-rc.7",   "2.0.0-rc.8",
    "2.0.0",        "2.0.1",        "2.0.2",        "2.0.3",         "2.0.4",        "2.0.5",
    "2.0.6",        "2.1.0",        "2.2.0",        "2.3.0",         "2.4.0",        "2.5.0",
    "2.6.0",        "2.7.0",
};

/* semver.org section 11's example, in order. */
static const char *const semver_org_chain[] = {
    "1.0.0-alpha",  "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
    "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1",       "1.0.0",
};

static int sign(int x)
{
    return (x > 0) - (x < 0);
}

static void test_cmp(void **state)
{
    (void)state;
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(cmp_rows); i++) {
        const struct cmp_row *r = &cmp_rows[i];
        struct sw_semver a, b;
        if (!version(r->a, &a, i) || !version(r->b, &b, i)) {
            bad++;
            continue;
        }
        int ab = sign(sw_semver_cmp(&a, &b)), ba = sign(sw_semver_cmp(&b, &a));
        if (ab != r->want || ba != -r->want) {
            print_error("row %zu: cmp('%s', '%s') = %d, reverse %d, want %d\n", i, r->a, r->b, ab,
                        ba, r->want);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

/* Every earlier entry of an ordered chain is below every later one. */
static size_t check_chain(const char *name, const char *const *chain, size_t n)
{
    size_t bad = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++) {
            struct sw_semver a, b;
            if (!version(chain[i], &a, i) || !version(chain[j], &b, j))
                return 1;
            int want = (i > j) - (i < j), got = sign(sw_semver_cmp(&a, &b));
            if (got != want) {
                print_error("%s row %zu vs row %zu: cmp('%s', '%s') = %d, want %d\n", name, i, j,
                            chain[i], chain[j], got, want);
                bad++;
            }
        }
    }
    return bad;
}

static void test_chains(void **state)
{
    (void)state;
    size_t bad = check_chain("wash_history", wash_history, ROWS(wash_history));
    bad += check_chain("semver_org_chain", semver_org_chain, ROWS(semver_org_chain));
    assert_int_equal(bad, 0);
}

/* ---- sw_semver_str ---- */

struct str_row {
    const char *in;
    size_t n; /* buffer size handed to sw_semver_str */
    const char *want;
};

static const struct str_row str_rows[] = {
    {"1.2.3", 96, "1.2.3"},
    {"0.0.0", 96, "0.0.0"},
    {"2.0.0-rc.8", 96, "2.0.0-rc.8"},
    {"2.0.0-rc.8+build.5", 96, "2.0.0-rc.8"},
    {"1.0.0+build", 96, "1.0.0"},
    {"1.2.3", 4, "1.2"},
    {"1.2.3", 1, ""},
    {MAXU "." MAXU "." MAXU "-" PRE63, 128, MAXU "." MAXU "." MAXU "-" PRE63},
};

static void test_str(void **state)
{
    (void)state;
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(str_rows); i++) {
        const struct str_row *r = &str_rows[i];
        struct sw_semver v;
        char buf[160];
        memset(buf, 'Z', sizeof(buf));
        if (!version(r->in, &v, i)) {
            bad++;
            continue;
        }
        char *got = sw_semver_str(&v, buf, r->n);
        if (got != buf || strcmp(buf, r->want) != 0 || buf[r->n] != 'Z') {
            print_error("row %zu: str('%s', %zu) = '%s', want '%s'\n", i, r->in, r->n, buf,
                        r->want);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

/* ---- sw_range_parse + sw_range_match ---- */

struct match_row {
    const char *range, *version;
    bool want;
};

static const struct match_row match_rows[] = {
    /* primitive comparators */
    {"=1.2.3", "1.2.3", true},
    {"=1.2.3", "1.2.4", false},
    {"1.2.3", "1.2.3", true},
    {"1.2.3", "1.2.3+build.7", true},
    {"1.2.3", "1.2.2", false},
    {">1.2.3", "1.2.4", true},
    {">1.2.3", "1.2.3", false},
    {">=1.2.3", "1.2.3", true},
    {">=1.2.3", "1.2.2", false},
    {"<1.2.3", "1.2.2", true},
    {"<1.2.3", "1.2.3", false},
    {"<=1.2.3", "1.2.3", true},
    {"<=1.2.3", "1.2.4", false},
    {">=v2.1", "2.1.0", true},
    {">=v2.1", "2.0.9", false},
    {">= 2.1", "2.5.0", true},
    {"> 2", "3.0.0", true},
    {"v1.2.3", "1.2.3", true},
    /* operators on partials (npm replaceXRange) */
    {">2", "3.0.0", true},
    {">2", "2.99.0", false},
    {">2.6", "2.7.0", true},
    {">2.6", "2.6.9", false},
    {">=2", "2.0.0", true},
    {">=2", "1.9.9", false},
    {"<2", "1.99.99", true},
    {"<2", "2.0.0", false},
    {"<2", "2.0.0-rc.1", false},
    {"<2", "1.9.0-rc.1", false},
    {"<2.6", "2.5.9", true},
    {"<2.6", "2.6.0", false},
    {"<=2", "2.99.0", true},
    {"<=2", "3.0.0", false},
    {"<=2", "3.0.0-rc.1", false},
    {"<=2.6", "2.6.9", true},
    {"<=2.6", "2.7.0", false},
    {"=2", "2.3.4", true},
    {"=2", "3.0.0", false},
    {">*", "1.0.0", false},
    {"<*", "0.0.0", false},
    {">=*", "1.0.0", true},
    {"<=x", "0.0.0", true},
    /* X-ranges and partials */
    {"*", "0.0.0", true},
    {"*", "2.7.0", true},
    {"*", "2.8.0-rc.1", false},
    {"x", "1.0.0", true},
    {"X", "1.0.0", true},
    {"x.x.x", "1.0.0", true},
    /* npm drops a build suffix after any partial, and a prerelease after three parts of which one
     * is a wildcard (results from node-semver 7) */
    {"1.x.x+build", "1.0.0", true},
    {"1.x.x+build", "1.1.9", true},
    {"1.x.x+build", "1.2.0", true},
    {"1.x.x+build", "1.9.9", true},
    {"1.x.x+build", "2.0.0", false},
    {"1.x.x+build", "2.5.0", false},
    {"1.x.x+build", "3.0.0", false},
    {"1.x.x+build", "1.5.0-alpha", false},
    {"^1.2.x+build", "1.0.0", false},
    {"^1.2.x+build", "1.1.9", false},
    {"^1.2.x+build", "1.2.0", true},
    {"^1.2.x+build", "1.9.9", true},
    {"^1.2.x+build", "2.0.0", false},
    {"^1.2.x+build", "2.5.0", false},
    {"^1.2.x+build", "3.0.0", false},
    {"^1.2.x+build", "1.5.0-alpha", false},
    {"1.x.x-alpha+build", "1.0.0", true},
    {"1.x.x-alpha+build", "1.1.9", true},
    {"1.x.x-alpha+build", "1.2.0", true},
    {"1.x.x-alpha+build", "1.9.9", true},
    {"1.x.x-alpha+build", "2.0.0", false},
    {"1.x.x-alpha+build", "2.5.0", false},
    {"1.x.x-alpha+build", "3.0.0", false},
    {"1.x.x-alpha+build", "1.5.0-alpha", false},
    {">1.x+build <=2.x.x+meta", "1.0.0", false},
    {">1.x+build <=2.x.x+meta", "1.1.9", false},
    {">1.x+build <=2.x.x+meta", "1.2.0", false},
    {">1.x+build <=2.x.x+meta", "1.9.9", false},
    {">1.x+build <=2.x.x+meta", "2.0.0", true},
    {">1.x+build <=2.x.x+meta", "2.5.0", true},
    {">1.x+build <=2.x.x+meta", "3.0.0", false},
    {">1.x+build <=2.x.x+meta", "1.5.0-alpha", false},
    {"1.x+build", "1.0.0", true},
    {"1.x+build", "1.1.9", true},
    {"1.x+build", "1.2.0", true},
    {"1.x+build", "1.9.9", true},
    {"1.x+build", "2.0.0", false},
    {"1.x+build", "2.5.0", false},
    {"1.x+build", "3.0.0", false},
    {"1.x+build", "1.5.0-alpha", false},
    {"*+build", "1.0.0", true},
    {"*+build", "1.1.9", true},
    {"*+build", "1.2.0", true},
    {"*+build", "1.9.9", true},
    {"*+build", "2.0.0", true},
    {"*+build", "2.5.0", true},
    {"*+build", "3.0.0", true},
    {"*+build", "1.5.0-alpha", false},
    {"~1.2.x+b", "1.0.0", false},
    {"~1.2.x+b", "1.1.9", false},
    {"~1.2.x+b", "1.2.0", true},
    {"~1.2.x+b", "1.9.9", false},
    {"~1.2.x+b", "2.0.0", false},
    {"~1.2.x+b", "2.5.0", false},
    {"~1.2.x+b", "3.0.0", false},
    {"~1.2.x+b", "1.5.0-alpha", false},
    {"1.2.x-alpha", "1.0.0", false},
    {"1.2.x-alpha", "1.1.9", false},
    {"1.2.x-alpha", "1.2.0", true},
    {"1.2.x-alpha", "1.9.9", false},
    {"1.2.x-alpha", "2.0.0", false},
    {"1.2.x-alpha", "2.5.0", false},
    {"1.2.x-alpha", "3.0.0", false},
    {"1.2.x-alpha", "1.5.0-alpha", false},
    {">=1.2.x-rc.1", "1.0.0", false},
    {">=1.2.x-rc.1", "1.1.9", false},
    {">=1.2.x-rc.1", "1.2.0", true},
    {">=1.2.x-rc.1", "1.9.9", true},
    {">=1.2.x-rc.1", "2.0.0", true},
    {">=1.2.x-rc.1", "2.5.0", true},
    {">=1.2.x-rc.1", "3.0.0", true},
    {">=1.2.x-rc.1", "1.5.0-alpha", false},

    {"2", "2.0.0", true},
    {"2", "2.9.9", true},
    {"2", "3.0.0", false},
    {"2", "1.9.9", false},
    {"2", "3.0.0-rc.1", false},
    {"2", "2.8.0-rc.1", false},
    {"2.x", "2.6.0", true},
    {"2.x", "3.0.0", false},
    {"2.*", "2.6.0", true},
    {"2.x.x", "2.6.1", true},
    {"2.6", "2.6.0", true},
    {"2.6", "2.6.5", true},
    {"2.6", "2.7.0", false},
    {"2.6", "2.7.0-rc.1", false},
    {"2.6.x", "2.6.3", true},
    {"2.6.x", "2.7.0", false},
    {"v2", "2.1.0", true},
    /* caret */
    {"^2", "2.0.0", true},
    {"^2", "2.7.0", true},
    {"^2", "3.0.0", false},
    {"^2", "1.9.9", false},
    {"^2", "3.0.0-rc.1", false},
    {"^2", "3.0.0-0", false},
    {"^2", "2.8.0-rc.1", false},
    {"^2.3", "2.3.0", true},
    {"^2.3", "2.9.0", true},
    {"^2.3", "2.2.9", false},
    {"^2.3", "3.0.0", false},
    {"^2.3.1", "2.3.1", true},
    {"^2.3.1", "2.3.0", false},
    {"^2.3.1", "2.99.0", true},
    {"^2.3.1", "3.0.0", false},
    {"^0.40", "0.40.0", true},
    {"^0.40", "0.40.9", true},
    {"^0.40", "0.41.0", false},
    {"^0.40", "0.41.0-0", false},
    {"^0.40", "0.39.9", false},
    {"^0.2.3", "0.2.9", true},
    {"^0.2.3", "0.3.0", false},
    {"^0.0.3", "0.0.3", true},
    {"^0.0.3", "0.0.4", false},
    {"^0.0", "0.0.9", true},
    {"^0.0", "0.1.0", false},
    {"^0", "0.43.0", true},
    {"^0", "1.0.0", false},
    {"^0.0.3-beta", "0.0.3-pr.2", true},
    {"^0.0.3-beta", "0.0.4", false},
    {"^1.0.0-beta.1", "1.0.0-beta.1", true},
    {"^1.0.0-beta.1", "1.0.0-beta.10", true},
    {"^1.0.0-beta.1", "1.0.0-rc.2", true},
    {"^1.0.0-beta.1", "1.0.0", true},
    {"^1.0.0-beta.1", "1.5.0", true},
    {"^1.0.0-beta.1", "2.0.0", false},
    {"^1.0.0-beta.1", "1.0.1-rc.1", false},
    {"^1.0.0-beta.1", "1.0.0-alpha", false},
    {"^2.0.0-rc.3", "2.0.0-rc.8", true},
    {"^2.0.0-rc.3", "2.0.0-rc.2", false},
    {"^2.0.0-rc.3", "2.1.0-rc.1", false},
    {"^2.0.0-rc.3", "2.7.0", true},
    {"^*", "2.0.0", true},
    {"^ 2", "2.1.0", true},
    {"^v2.3", "2.4.0", true},
    {"^1.2.3+build", "1.9.0", true},
    /* tilde */
    {"~2.6", "2.6.0", true},
    {"~2.6", "2.6.9", true},
    {"~2.6", "2.7.0", false},
    {"~2.6", "2.7.0-rc.1", false},
    {"~2.6.1", "2.6.1", true},
    {"~2.6.1", "2.6.0", false},
    {"~2.6.1", "2.7.0", false},
    {"~2", "2.9.0", true},
    {"~2", "3.0.0", false},
    {"~0.40.1", "0.40.5", true},
    {"~0.40.1", "0.41.0", false},
    {"~1.0.0-rc.1", "1.0.0-rc.2", true},
    {"~1.0.0-rc.1", "1.0.5", true},
    {"~1.0.0-rc.1", "1.1.0", false},
    {"~>2.6", "2.6.3", true},
    {"~*", "0.1.0", true},
    /* hyphen */
    {"1.2 - 2.3", "1.2.0", true},
    {"1.2 - 2.3", "2.3.9", true},
    {"1.2 - 2.3", "2.4.0", false},
    {"1.2 - 2.3", "2.4.0-0", false},
    {"1.2 - 2.3", "1.1.9", false},
    {"1.2.3 - 2.3.4", "1.2.3", true},
    {"1.2.3 - 2.3.4", "2.3.4", true},
    {"1.2.3 - 2.3.4", "2.3.5", false},
    {"1.2.3 - 2", "2.9.0", true},
    {"1.2.3 - 2", "3.0.0", false},
    {"* - 2", "0.1.0", true},
    {"* - 2", "3.0.0", false},
    {"1 - *", "9.0.0", true},
    {"2.0.0-rc.1 - 2.0.0", "2.0.0-rc.8", true},
    {"2.0.0-rc.1 - 2.0.0", "2.0.0", true},
    {"1 - 2.0.0-rc.3", "2.0.0-rc.3", true},
    {"1 - 2.0.0-rc.3", "2.0.0-rc.4", false},
    {"1 - 2.0.0-rc.3", "1.5.0", true},
    {"v1 - v2", "2.5.0", true},
    {"1.2 -\t2.3", "2.0.0", true},
    /* sets: AND with spaces, OR with || */
    {">=2.1 <3", "2.1.0", true},
    {">=2.1 <3", "2.9.9", true},
    {">=2.1 <3", "2.0.9", false},
    {">=2.1 <3", "3.0.0", false},
    {">=2.1 <3", "3.0.0-rc.1", false},
    {">=2.1   <3", "2.5.0", true},
    {"<2 >3", "2.5.0", false},
    {"2.x 2.6.x", "2.6.1", true},
    {"2.x 2.6.x", "2.7.0", false},
    {">=0.40 <1", "0.43.0", true},
    {">=0.40 <1", "1.0.0-beta.1", false},
    {"^1.0.0-beta.1 || ^2", "1.0.0-rc.2", true},
    {"^1.0.0-beta.1 || ^2", "2.7.0", true},
    {"^1.0.0-beta.1 || ^2", "2.8.0-rc.1", false},
    {"^1.0.0-beta.1 || ^2", "3.0.0", false},
    {"1.x || >=2.5.0 || 5.0.0 - 7.2.3", "1.2.3", true},
    {"1.x || >=2.5.0 || 5.0.0 - 7.2.3", "2.4.0", false},
    {"1.x || >=2.5.0 || 5.0.0 - 7.2.3", "2.6.0", true},
    {"1||2", "2.0.0", true},
    {"1 ||2", "3.0.0", false},
    {"1 - 2 || 4", "4.1.0", true},
    /* prerelease rule: only a set naming a prerelease of the same x.y.z admits one */
    {">=2.0.0-rc.1 <2.0.0", "2.0.0-rc.8", true},
    {">=2.0.0-rc.1 <2.0.0", "2.0.0-rc.1", true},
    {">=2.0.0-rc.1 <2.0.0", "2.0.0", false},
    {">=2.8.0-rc.1", "2.8.0-rc.2", true},
    {">=2.8.0-rc.1", "2.9.0-rc.1", false},
    {">=2.8.0-rc.1", "2.9.0", true},
    {">2.8.0-rc.1", "2.8.0-rc.1", false},
    {">2.8.0-rc.1", "2.8.0-rc.10", true},
    {"=2.0.0-rc.8", "2.0.0-rc.8", true},
    {"2.0.0-rc.8", "2.0.0-rc.8+build", true},
    {"2.0.0-rc.8", "2.0.0-rc.9", false},
    {">=1.0.0 <=2.0.0-rc.5", "2.0.0-rc.4", true},
    {">=1.0.0 <=2.0.0-rc.5", "2.0.0-rc.6", false},
    {">=1.0.0-rc.1 <2", "1.5.0-rc.1", false},
    {">=1.0.0-rc.1 <2", "1.0.0-rc.2", true},
    {"<2.0.0-0", "2.0.0-rc.1", false},
    {"<2.0.0-0", "1.9.0", true},
    {"<3.0.0-rc.1", "3.0.0-beta.1", true},
    {"<3.0.0-rc.1", "3.0.0-rc.1", false},
    {"^2 || >=2.8.0-rc.1 <2.8.0", "2.8.0-rc.1", true},
    {"^2 || 2.9.0-rc.1", "2.8.0-rc.1", false},
    /* the -0 upper bounds: without them a comparator naming a prerelease of the next version
     * would let that prerelease through */
    {"^2 <=3.0.0-rc.5", "3.0.0-rc.1", false},
    {"2.x >=3.0.0-alpha", "3.0.0-beta", false},
    {"~2.6 >=2.7.0-rc.1", "2.7.0-rc.2", false},
    {"2.6 >=2.7.0-0", "2.7.0-rc.1", false},
    {"<=2.6 >=2.7.0-0", "2.7.0-rc.1", false},
    {"<2.7 >=2.7.0-0", "2.7.0-0", false},
    {"1.2 - 2.3 || >=2.4.0-0 <2.4.0", "2.4.0-rc.1", true},
    /* the prerelease must be on the same major.minor.patch */
    {">=2.0.0-rc.1", "2.0.1-rc.1", false},
    {">=2.0.0-rc.1", "2.1.0-rc.1", false},
    {">=2.0.0-rc.1", "3.0.0-rc.1", false},
    {"<=2.0.5-rc.1 >1", "2.0.5-alpha", true},
    {"<=2.0.5-rc.1 >1", "2.0.4-alpha", false},
    /* numbers at the top of uint64: bounds carry instead of wrapping */
    {"^" MAXU, MAXU ".5.0", true},
    {">" MAXU, MAXU ".0.0", false},
    {"<=" MAXU ".x", MAXU ".99.0", true},
    {"~1." MAXU, "1." MAXU ".7", true},
    {"~1." MAXU, "2.0.0", false},
    {">1." MAXU, "2.0.0", true},
    {">1." MAXU, "1." MAXU ".9", false},
    {"^0.0." MAXU, "0.1.0", false},
    {"^0.0." MAXU, "0.0." MAXU, true},
};

static void test_match(void **state)
{
    (void)state;
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(match_rows); i++) {
        const struct match_row *r = &match_rows[i];
        struct sw_range *range = NULL;
        struct sw_error err = {0};
        struct sw_semver v;
        if (!version(r->version, &v, i)) {
            bad++;
            continue;
        }
        if (sw_range_parse(r->range, &range, &err) != 0) {
            print_error("row %zu: range '%s' does not parse: %s\n", i, r->range, err.msg);
            bad++;
            continue;
        }
        bool got = sw_range_match(range, &v);
        if (got != r->want) {
            print_error("row %zu: '%s' matches '%s' = %d, want %d\n", i, r->range, r->version, got,
                        r->want);
            bad++;
        }
        sw_range_free(range);
    }
    assert_int_equal(bad, 0);
}

struct range_fail_row {
    const char *range, *msg;
};

static const struct range_fail_row range_fail_rows[] = {
    {">=2.x.1 <3", "invalid version range '>=2.x.1 <3': unexpected '.1' at column 6"},
    {"", "invalid version range '': empty range, use * for any version"},
    {"   ", "empty range"},
    {"foo", "unexpected 'foo' at column 1"},
    {"latest", "unexpected 'latest' at column 1"},
    {"xyz", "unexpected 'xyz' at column 1"},
    {"v", "unexpected 'v' at column 1"},
    {">=", "expected a version at column 3"},
    {">=\t", "expected a version at column 4"},
    {"~", "expected a version at column 2"},
    {"1.2.3 <", "expected a version at column 8"},
    {"1.2.3.4", "unexpected '.4' at column 6"},
    {"1.x.2", "unexpected '.2' at column 4"},
    {"x.1", "unexpected '.1' at column 2"},
    {"1.", "unexpected '.' at column 2"},
    {"01", "leading zero in '01' at column 1"},
    {"1.02", "leading zero in '02' at column 3"},
    {"^1.2.3-01", "leading zero in prerelease identifier '01' at column 8"},
    {"99999999999999999999", "number '99999999999999999999' is too large at column 1"},
    {"1.2.3-", "empty prerelease identifier at column 7"},
    {"1.2.3-rc..1", "empty prerelease identifier at column 10"},
    {"1.2.3+", "empty build identifier at column 7"},
    {"^1.2.3-" PRE64,
     "prerelease 'a23456789.123456789.123456789.123456...' longer than 63 characters at column 8"},
    {"1.2-rc.1", "unexpected '-rc.1' at column 4"},
    {"1.x-rc.1", "unexpected '-rc.1' at column 4"},
    {"1.x-alpha+b", "unexpected '-alpha+b' at column 4"},
    {"1.x.x-01+b", "leading zero in prerelease identifier '01' at column 7"},
    {"1.x.x+", "empty build identifier at column 7"},
    {"*-alpha", "unexpected '-alpha' at column 2"},
    {">=1.2.3_4", "unexpected '_4' at column 8"},
    {"1 ||", "expected a version after '||' at column 5"},
    {"|| 1", "unexpected '||' at column 1"},
    {"1 || || 2", "unexpected '||' at column 6"},
    {"1|2", "unexpected '|2' at column 2"},
    {"1 2 - 3", "unexpected '-' at column 5"},
    {"1 - 2 - 3", "unexpected '-' at column 7"},
    {"1 - >=2", "unexpected '>=2' at column 5"},
    {">=1 - 2", "unexpected '-' at column 5"},
    {"1 -", "expected a version at column 4"},
    {"1 -2", "unexpected '-2' at column 3"},
    {"<>1", "unexpected '>1' at column 2"},
    {"^^1", "unexpected '^1' at column 2"},
    {"1.2.3\x01", "unexpected '\\x01' at column 6"},
};

static void test_range_fail(void **state)
{
    (void)state;
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(range_fail_rows); i++) {
        const struct range_fail_row *r = &range_fail_rows[i];
        struct sw_range *range = NULL;
        struct sw_error err = {0};
        int rc = sw_range_parse(r->range, &range, &err);
        if (rc != -1 || range != NULL || err.code != SW_EXIT_USAGE ||
            strstr(err.msg, r->msg) == NULL) {
            print_error("row %zu: '%s' should fail with '%s', got rc %d: '%s'\n", i, r->range,
                        r->msg, rc, err.msg);
            bad++;
            if (rc == 0)
                sw_range_free(range);
        }
    }
    assert_int_equal(bad, 0);
}

/* ---- sw_range_names_major0 ---- */

struct major0_row {
    const char *range;
    bool want;
};

static const struct major0_row major0_rows[] = {
    {"^0.40", true},
    {"0.x", true},
    {">=0.40 <1", true},
    {"0.43.0", true},
    {"<0.44", true},
    {"0", true},
    {"^0", true},
    {"~0.40.1", true},
    {"0.40 - 0.43", true},
    {"* - 0.43", true},
    {"^2 || 0.x", true},
    {">=0.0.0", true},
    {"v0.43.0", true},
    {"=0.43.0", true},
    {"0.x.x", true},
    {"^0.0.3", true},
    {"*", false},
    {"x", false},
    {"x.x", false},
    {"<2", false},
    {"<1", false},
    {"^2", false},
    {">=1", false},
    {"1 - 2", false},
    {"^1.0.0-beta.1", false},
    {">=2.1 <3", false},
    {"2.0.0-rc.8", false},
    {"10.0.0", false},
    {"^1.0.0-beta.1 || ^2", false},
    {">*", false},
};

static void test_major0(void **state)
{
    (void)state;
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(major0_rows); i++) {
        const struct major0_row *r = &major0_rows[i];
        struct sw_range *range = NULL;
        struct sw_error err = {0};
        if (sw_range_parse(r->range, &range, &err) != 0) {
            print_error("row %zu: range '%s' does not parse: %s\n", i, r->range, err.msg);
            bad++;
            continue;
        }
        bool got = sw_range_names_major0(range);
        if (got != r->want) {
            print_error("row %zu: names_major0('%s') = %d, want %d\n", i, r->range, got, r->want);
            bad++;
        }
        sw_range_free(range);
    }
    assert_false(sw_range_names_major0(NULL));
    assert_int_equal(bad, 0);
}

/* ---- sw_spec_parse ---- */

#define FAIL (-1)

struct spec_row {
    const char *in;
    int kind;          /* enum sw_spec_kind, or FAIL */
    const char *text;  /* expected text[] */
    const char *exact; /* SW_SPEC_EXACT: the version, build included */
    const char *probe; /* SW_SPEC_RANGE: a version to match ... */
    bool probe_match;  /* ... and whether it should */
    const char *msg;   /* FAIL: fragment of the error */
};

static const struct spec_row spec_rows[] = {
    {"latest", SW_SPEC_LATEST, "latest", NULL, NULL, false, NULL},
    {"LATEST", SW_SPEC_LATEST, "LATEST", NULL, NULL, false, NULL},
    {" latest\n", SW_SPEC_LATEST, "latest", NULL, NULL, false, NULL},
    {"stable", SW_SPEC_LATEST, "stable", NULL, NULL, false, NULL},
    {"Stable", SW_SPEC_LATEST, "Stable", NULL, NULL, false, NULL},
    {"", SW_SPEC_LATEST, "", NULL, NULL, false, NULL},
    {" \t ", SW_SPEC_LATEST, "", NULL, NULL, false, NULL},
    {"*", SW_SPEC_LATEST, "*", NULL, NULL, false, NULL},
    {"rc", SW_SPEC_RC, "rc", NULL, NULL, false, NULL},
    {"RC", SW_SPEC_RC, "RC", NULL, NULL, false, NULL},
    {"prerelease", SW_SPEC_RC, "prerelease", NULL, NULL, false, NULL},
    {"next", SW_SPEC_RC, "next", NULL, NULL, false, NULL},
    {"Next", SW_SPEC_RC, "Next", NULL, NULL, false, NULL},
    {"2.0.0-rc.8", SW_SPEC_EXACT, "2.0.0-rc.8", "2.0.0-rc.8", NULL, false, NULL},
    {"v2.0.0-rc.8", SW_SPEC_EXACT, "v2.0.0-rc.8", "2.0.0-rc.8", NULL, false, NULL},
    {"V2.7.0", SW_SPEC_EXACT, "V2.7.0", "2.7.0", NULL, false, NULL},
    {"wash-v2.0.0-rc.8", SW_SPEC_EXACT, "wash-v2.0.0-rc.8", "2.0.0-rc.8", NULL, false, NULL},
    {"wash-v0.43.0", SW_SPEC_EXACT, "wash-v0.43.0", "0.43.0", NULL, false, NULL},
    {"WASH-V2.0.0", SW_SPEC_EXACT, "WASH-V2.0.0", "2.0.0", NULL, false, NULL},
    {" 2.7.0 ", SW_SPEC_EXACT, "2.7.0", "2.7.0", NULL, false, NULL},
    {"2.7.0+build.5", SW_SPEC_EXACT, "2.7.0+build.5", "2.7.0+build.5", NULL, false, NULL},
    {"0.43.0", SW_SPEC_EXACT, "0.43.0", "0.43.0", NULL, false, NULL},
    {"2", SW_SPEC_RANGE, "2", NULL, "2.6.0", true, NULL},
    {"2.6", SW_SPEC_RANGE, "2.6", NULL, "2.6.3", true, NULL},
    {"^2.3", SW_SPEC_RANGE, "^2.3", NULL, "2.9.0", true, NULL},
    {"~2.6", SW_SPEC_RANGE, "~2.6", NULL, "2.7.0", false, NULL},
    {"2.x", SW_SPEC_RANGE, "2.x", NULL, "3.0.0", false, NULL},
    {">=2.1 <3", SW_SPEC_RANGE, ">=2.1 <3", NULL, "2.1.0", true, NULL},
    {"^1.0.0-beta.1 || ^2", SW_SPEC_RANGE, "^1.0.0-beta.1 || ^2", NULL, "1.0.0-rc.2", true, NULL},
    {"v2", SW_SPEC_RANGE, "v2", NULL, "2.0.0", true, NULL},
    {"=2.7.0", SW_SPEC_RANGE, "=2.7.0", NULL, "2.7.0", true, NULL},
    {"x", SW_SPEC_RANGE, "x", NULL, "2.7.0", true, NULL},
    {"0.x", SW_SPEC_RANGE, "0.x", NULL, "0.43.0", true, NULL},
    {"  ^2  ", SW_SPEC_RANGE, "^2", NULL, "2.8.0-rc.1", false, NULL},
    {"foo", FAIL, "foo", NULL, NULL, false,
     "invalid version 'foo': use latest, rc, an exact version (2.7.0, v2.7.0, wash-v2.0.0-rc.8) "
     "or a range (^2, ~2.6, 2.x, >=2.1 <3)"},
    {"latest-ish", FAIL, "latest-ish", NULL, NULL, false, "invalid version 'latest-ish': use"},
    {"version", FAIL, "version", NULL, NULL, false, "invalid version 'version': use latest"},
    {"wash-v2", FAIL, "wash-v2", NULL, NULL, false,
     "invalid version 'wash-v2': expected MAJOR.MINOR.PATCH like 2.7.0; use latest"},
    {"wash-v2.0.01", FAIL, "wash-v2.0.01", NULL, NULL, false,
     "invalid version 'wash-v2.0.01': leading zero in '01' at column 11; use latest"},
    {"wash-2.0.0", FAIL, "wash-2.0.0", NULL, NULL, false, "unexpected 'wash-2.0.0' at column 1"},
    {">=2.x.1 <3", FAIL, ">=2.x.1 <3", NULL, NULL, false,
     "invalid version '>=2.x.1 <3': unexpected '.1' at column 6; use latest, rc"},
    {"v2.0.0-rc.01", FAIL, "v2.0.0-rc.01", NULL, NULL, false,
     "leading zero in prerelease identifier '01' at column 11"},
    {"1 ||", FAIL, "1 ||", NULL, NULL, false, "expected a version after '||' at column 5"},
    {"2.7.0\x01", FAIL, "2.7.0\x01", NULL, NULL, false, "invalid version '2.7.0\\x01'"},
    /* fuzz_semver: escapes lengthen a clipped word past its buffer (the cut mark was appended
     * after sanitising) */
    {"\xd2" "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" "6", FAIL, "\xd2" "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" "6", NULL, NULL, false, "invalid version '\\xd2\\xff\\xff"},
    {DIGITS128, FAIL,
     DIGITS16 DIGITS16 DIGITS16 DIGITS16 DIGITS16 DIGITS16 DIGITS16 "111111111111111", NULL, NULL,
     false, "too long (128 characters, at most 127)"},
    {" " DIGITS128 " ", FAIL,
     DIGITS16 DIGITS16 DIGITS16 DIGITS16 DIGITS16 DIGITS16 DIGITS16 "111111111111111", NULL, NULL,
     false, "invalid version '11111111111111111111111111111111111111111111...': too long"},
};

static void test_spec(void **state)
{
    (void)state;
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(spec_rows); i++) {
        const struct spec_row *r = &spec_rows[i];
        struct sw_spec spec;
        struct sw_error err = {0};
        int rc = sw_spec_parse(r->in, &spec, &err);
        char got[96];
        struct sw_semver v;
        if (strcmp(spec.text, r->text) != 0) {
            print_error("row %zu: text '%s', want '%s'\n", i, spec.text, r->text);
            bad++;
        } else if (r->kind == FAIL) {
            if (rc != -1 || err.code != SW_EXIT_USAGE || strstr(err.msg, r->msg) == NULL ||
                spec.range != NULL) {
                print_error("row %zu: '%s' should fail with '%s', got rc %d: '%s'\n", i, r->in,
                            r->msg, rc, err.msg);
                bad++;
            }
        } else if (rc != 0 || (int)spec.kind != r->kind) {
            print_error("row %zu: '%s' gave rc %d kind %d, want kind %d (%s)\n", i, r->in, rc,
                        (int)spec.kind, r->kind, err.msg);
            bad++;
        } else if (r->kind == SW_SPEC_EXACT) {
            if (!version(r->exact, &v, i) || sw_semver_cmp(&v, &spec.exact) != 0 ||
                strcmp(v.build, spec.exact.build) != 0) {
                print_error("row %zu: '%s' gave %s+%s, want %s\n", i, r->in,
                            sw_semver_str(&spec.exact, got, sizeof(got)), spec.exact.build,
                            r->exact);
                bad++;
            }
        } else if (r->kind == SW_SPEC_RANGE) {
            if (!spec.range || !version(r->probe, &v, i) ||
                sw_range_match(spec.range, &v) != r->probe_match) {
                print_error("row %zu: range '%s' matches '%s' should be %d\n", i, r->in, r->probe,
                            r->probe_match);
                bad++;
            }
        } else if (spec.range != NULL) {
            print_error("row %zu: '%s' has a range\n", i, r->in);
            bad++;
        }
        sw_spec_free(&spec);
        sw_spec_free(&spec); /* idempotent */
    }
    sw_spec_free(NULL);
    assert_int_equal(bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),  cmocka_unit_test(test_cmp),
        cmocka_unit_test(test_chains), cmocka_unit_test(test_str),
        cmocka_unit_test(test_match),  cmocka_unit_test(test_range_fail),
        cmocka_unit_test(test_major0), cmocka_unit_test(test_spec),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
