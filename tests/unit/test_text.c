/* Unit tests for src/core/text.c (the sanitiser of text from outside, the UTF-8 decoder, the
 * runner-file check, Markdown cells) and for sw_json_print (src/core/json.c, the --json
 * writer). One table per function; one named test per row. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/text.h"

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- sw_sanitize_buf (and sw_sanitize with room to spare) ---- */

struct san_row {
    const char *name, *in, *want;
};

static const struct san_row san_rows[] = {
    {"empty", "", ""},
    {"plain ASCII", "wash 2.7.0 (x86_64)", "wash 2.7.0 (x86_64)"},
    {"backslash kept", "C:\\x1b\\path", "C:\\x1b\\path"},
    {"printable UTF-8 kept", "caf\xc3\xa9 \xe6\xbc\xa2 \xf0\x9f\x93\xa6 \xe2\x9c\x93",
     "caf\xc3\xa9 \xe6\xbc\xa2 \xf0\x9f\x93\xa6 \xe2\x9c\x93"},
    {"ESC [2J", "a\x1b[2Jb", "a\\x1b[2Jb"},
    {"OSC title with BEL", "\x1b]0;owned\x07", "\\x1b]0;owned\\x07"},
    {"CR LF TAB", "a\r\n\tb", "a\\x0d\\x0a\\x09b"},
    {"every C0 edge", "\x01\x1f", "\\x01\\x1f"},
    {"DEL", "a\x7f", "a\\x7f"},
    {"C1 first (U+0080)", "\xc2\x80", "\\u0080"},
    {"C1 CSI (U+009B)",
     "\xc2\x9b"
     "31m",
     "\\u009b31m"},
    {"C1 last (U+009F)", "\xc2\x9f", "\\u009f"},
    {"U+00A0 kept", "\xc2\xa0", "\xc2\xa0"},
    {"NEL (U+0085)",
     "a\xc2\x85"
     "b",
     "a\\u0085b"},
    {"line separator", "\xe2\x80\xa8", "\\u2028"},
    {"bidi override",
     "abc\xe2\x80\xae"
     "fed",
     "abc\\u202efed"},
    {"bidi isolate", "\xe2\x81\xa6\xe2\x81\xa9", "\\u2066\\u2069"},
    {"raw C1 byte",
     "a\x9b"
     "b",
     "a\\x9bb"},
    {"0xff",
     "/c\xff"
     "d",
     "/c\\xffd"},
    {"0xfe 0xf5", "\xfe\xf5", "\\xfe\\xf5"},
    {"stray continuation", "\x80\xbf", "\\x80\\xbf"},
    {"overlong slash (C0 AF)", "\xc0\xaf", "\\xc0\\xaf"},
    {"overlong NUL (C0 80)", "\xc0\x80", "\\xc0\\x80"},
    {"overlong C1 lead (C1 BF)", "\xc1\xbf", "\\xc1\\xbf"},
    {"overlong 3 bytes (E0 80 AF)", "\xe0\x80\xaf", "\\xe0\\x80\\xaf"},
    {"overlong 4 bytes (F0 80 80 AF)", "\xf0\x80\x80\xaf", "\\xf0\\x80\\x80\\xaf"},
    {"surrogate high (ED A0 80)", "\xed\xa0\x80", "\\xed\\xa0\\x80"},
    {"surrogate low (ED BF BF)", "\xed\xbf\xbf", "\\xed\\xbf\\xbf"},
    {"U+D7FF kept", "\xed\x9f\xbf", "\xed\x9f\xbf"},
    {"U+10FFFF kept", "\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf"},
    {"beyond U+10FFFF", "\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"},
    {"cut short before ASCII",
     "\xe2\x82"
     "A",
     "\\xe2\\x82A"},
    {"cut short at the end", "ok\xf0\x9f\x93", "ok\\xf0\\x9f\\x93"},
    {"lead then lead", "\xc3\xc3\xa9", "\\xc3\xc3\xa9"},
};

static void test_sanitize_row(void **state)
{
    const struct san_row *r = *state;
    char *got = sw_sanitize_dup(r->in);
    if (strcmp(got, r->want) != 0) {
        print_error("%s: sanitize('%s') = '%s', want '%s'\n", r->name, r->in, got, r->want);
        fail();
    }
    char fixed[256];
    sw_sanitize(fixed, sizeof(fixed), r->in);
    assert_string_equal(fixed, r->want);
    char *again = sw_sanitize_dup(got); /* idempotent */
    assert_string_equal(again, got);
    assert_true(sw_text_unsafe(got, false) == SIZE_MAX);
    free(again);
    free(got);
}

/* ---- sw_sanitize cut to a capacity ---- */

struct cut_row {
    const char *name, *in;
    size_t n;
    const char *want;
};

static const struct cut_row cut_rows[] = {
    {"fits exactly", "abcd", 5, "abcd"},
    {"one too long", "abcde", 5, "a..."},
    {"capacity 1", "abc", 1, ""},
    {"capacity 3, no room for dots", "abc", 3, "ab"},
    {"capacity 4", "abcdef", 4, "..."},
    {"never inside a character", "\xc3\xa9\xc3\xa9\xc3\xa9", 6, "\xc3\xa9..."},
    {"never inside a 4-byte character", "\xf0\x9f\x93\xa6\xf0\x9f\x93\xa6", 7, "..."},
    {"a 4-byte character that fits", "\xf0\x9f\x93\xa6\xf0\x9f\x93\xa6", 8, "\xf0\x9f\x93\xa6..."},
    {"never inside an escape",
     "a\x1b"
     "bcdef",
     8, "a..."},
    {"an escape that fits whole",
     "a\x1b"
     "bcdefgh",
     9, "a\\x1b..."},
    {"never inside a \\u escape",
     "\xc2\x9b"
     "abcdef",
     9, "..."},
    {"NULL is empty", NULL, 8, ""},
};

static void test_cut_row(void **state)
{
    const struct cut_row *r = *state;
    char dst[64];
    memset(dst, 'X', sizeof(dst));
    sw_sanitize(dst, r->n, r->in);
    if (strcmp(dst, r->want) != 0) {
        print_error("%s: sanitize(n=%zu) = '%s', want '%s'\n", r->name, r->n, dst, r->want);
        fail();
    }
    assert_int_equal(dst[r->n], 'X'); /* nothing written past the capacity */
}

static void test_cut_capacity_zero(void **state)
{
    (void)state;
    char dst[2] = {'X', 'X'};
    sw_sanitize(dst, 0, "abc");
    assert_int_equal(dst[0], 'X');
}

/* ---- sw_text_unsafe (the runner files' check) ---- */

struct unsafe_row {
    const char *name, *in;
    int allow_lf;
    size_t want; /* SIZE_MAX: nothing unsafe */
};

static const struct unsafe_row unsafe_rows[] = {
    {"clean", "/opt/hostedtoolcache/wash/2.7.0/x64", 0, SIZE_MAX},
    {"UTF-8", "/home/j\xc3\xbcrgen", 0, SIZE_MAX},
    {"LF refused", "a\nb", 0, 1},
    {"LF allowed", "a\nb", 1, SIZE_MAX},
    {"CR even with LF allowed", "a\r\n", 1, 1},
    {"ESC", "ab\x1b", 1, 2},
    {"C1", "\xc3\xa9\xc2\x85", 1, 2},
    {"0xff", "/c\xff", 1, 2},
    {"overlong", "x\xc0\xaf", 1, 1},
};

static void test_unsafe_row(void **state)
{
    const struct unsafe_row *r = *state;
    size_t got = sw_text_unsafe(r->in, r->allow_lf);
    if (got != r->want) {
        print_error("%s: unsafe = %zu, want %zu\n", r->name, got, r->want);
        fail();
    }
}

/* ---- sw_md_cell ---- */

static const struct san_row md_rows[] = {
    {"plain", "2.7.0", "2.7.0"},
    {"pipe", "a|b", "a\\|b"},
    {"HTML", "<img src=x onerror=alert(1)>&amp;", "&lt;img src=x onerror=alert(1)>&amp;amp;"},
    {"line breaks as spaces", "a\r\nb", "a  b"},
    {"controls escaped", "a\x1b[2J\x7f\xc2\x9b\xff", "a\\x1b[2J\\x7f\\u009b\\xff"},
    {"UTF-8 kept", "\xe2\x9c\x93 caf\xc3\xa9", "\xe2\x9c\x93 caf\xc3\xa9"},
};

static void test_md_row(void **state)
{
    const struct san_row *r = *state;
    struct sw_buf b = SW_BUF_INIT;
    sw_buf_adds(&b, "pre:"); /* appends */
    sw_md_cell(&b, r->in);
    if (strncmp(sw_buf_str(&b), "pre:", 4) != 0 || strcmp(sw_buf_str(&b) + 4, r->want) != 0) {
        print_error("%s: md_cell = '%s', want '%s'\n", r->name, sw_buf_str(&b) + 4, r->want);
        fail();
    }
    sw_buf_free(&b);
}

/* ---- sw_json_print ---- */

static const struct san_row json_rows[] = {
    {"plain", "/opt/wash", "{\"v\":\"/opt/wash\"}\n"},
    {"UTF-8 kept", "caf\xc3\xa9 \xf0\x9f\x93\xa6", "{\"v\":\"caf\xc3\xa9 \xf0\x9f\x93\xa6\"}\n"},
    {"C0 as cJSON escapes", "a\x1b\n", "{\"v\":\"a\\u001b\\n\"}\n"},
    {"DEL escaped", "a\x7f", "{\"v\":\"a\\u007f\"}\n"},
    {"C1 escaped",
     "\xc2\x9b"
     "2J",
     "{\"v\":\"\\u009b2J\"}\n"},
    {"bidi escaped", "\xe2\x80\xae", "{\"v\":\"\\u202e\"}\n"},
    {"0xff is U+FFFD",
     "/c\xff"
     "d",
     "{\"v\":\"/c\xef\xbf\xbd"
     "d\"}\n"},
    {"each invalid byte one U+FFFD", "\xc0\xaf\xe2\x82",
     "{\"v\":\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"}\n"},
    {"surrogate is U+FFFD", "\xed\xa0\x80", "{\"v\":\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"}\n"},
};

static void test_json_row(void **state)
{
    const struct san_row *r = *state;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "v", r->in);
    char *got = sw_json_print(o);
    if (strcmp(got, r->want) != 0) {
        print_error("%s: json = '%s', want '%s'\n", r->name, got, r->want);
        fail();
    }
    cJSON *back = cJSON_Parse(got);
    assert_non_null(back);
    cJSON_Delete(back);
    free(got);
    cJSON_Delete(o);
}

/* Invalid bytes in a key are replaced too. */
static void test_json_key(void **state)
{
    (void)state;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "k\xff", "v");
    char *got = sw_json_print(o);
    assert_string_equal(got, "{\"k\xef\xbf\xbd\":\"v\"}\n");
    free(got);
    cJSON_Delete(o);
}

#define ROW_TESTS(rows, fn)                                                                        \
    for (size_t i = 0; i < ROWS(rows); i++, n++) {                                                 \
        tests[n].name = rows[i].name;                                                              \
        tests[n].test_func = fn;                                                                   \
        tests[n].initial_state = (void *)&rows[i];                                                 \
    }

int main(void)
{
    struct CMUnitTest tests[ROWS(san_rows) + ROWS(cut_rows) + ROWS(unsafe_rows) + ROWS(md_rows) +
                            ROWS(json_rows) + 2];
    memset(tests, 0, sizeof(tests));
    size_t n = 0;
    ROW_TESTS(san_rows, test_sanitize_row)
    ROW_TESTS(cut_rows, test_cut_row)
    ROW_TESTS(unsafe_rows, test_unsafe_row)
    ROW_TESTS(md_rows, test_md_row)
    ROW_TESTS(json_rows, test_json_row)
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_cut_capacity_zero);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_json_key);
    return _cmocka_run_group_tests("text", tests, n, NULL, NULL);
}
