/* Unit tests for src/core/url.c: the plain-HTTP rule, one table of URLs and one of host lists,
 * every failing row printed by number. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/url.h"

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))

struct transport_row {
    const char *url;
    const char *list;
    enum sw_url_transport want;
};

static const struct transport_row transport_rows[] = {
    {"https://api.github.com/repos/x", NULL, SW_URL_TLS},
    {"HTTPS://api.github.com/", NULL, SW_URL_TLS},
    {"https://127.0.0.1:8443/", NULL, SW_URL_TLS},
    {"http://api.github.com/repos/x", NULL, SW_URL_INSECURE},
    {"HTTP://api.github.com/", NULL, SW_URL_INSECURE},
    {"http://127.0.0.1:8080/x", NULL, SW_URL_PLAIN_LOOPBACK},
    {"http://127.255.3.4/", NULL, SW_URL_PLAIN_LOOPBACK},
    {"http://localhost:5000/v2/", NULL, SW_URL_PLAIN_LOOPBACK},
    {"http://LocalHost/", NULL, SW_URL_PLAIN_LOOPBACK},
    {"http://[::1]:5000/v2/", NULL, SW_URL_PLAIN_LOOPBACK},
    {"http://[::2]:5000/", NULL, SW_URL_INSECURE},
    {"http://[::ffff:127.0.0.1]/", NULL, SW_URL_INSECURE},
    {"http://128.0.0.1/", NULL, SW_URL_INSECURE},
    {"http://127.0.0.1.example.com/", NULL, SW_URL_INSECURE},
    {"http://localhost.example.com/", NULL, SW_URL_INSECURE},
    {"http://0x7f000001/", NULL, SW_URL_INSECURE},
    {"http://2130706433/", NULL, SW_URL_INSECURE},
    /* user-info cannot borrow the loopback exception */
    {"http://127.0.0.1@evil.example/", NULL, SW_URL_INSECURE},
    {"http://user:pw@127.0.0.1:80/", NULL, SW_URL_PLAIN_LOOPBACK},
    {"http://evil.example\\@127.0.0.1/", NULL, SW_URL_INSECURE},
    {"http://reg.corp:5000/v2/", "reg.corp:5000", SW_URL_PLAIN_LISTED},
    {"http://REG.corp:5000/v2/", "other,reg.corp:5000", SW_URL_PLAIN_LISTED},
    {"http://reg.corp:5001/v2/", "reg.corp:5000", SW_URL_INSECURE},
    {"http://reg.corp:5001/v2/", "reg.corp", SW_URL_PLAIN_LISTED},
    {"http://reg.corp/v2/", "reg.corp:5000", SW_URL_INSECURE},
    {"http://reg.corp.evil/v2/", "reg.corp", SW_URL_INSECURE},
    {"http://[fd00::1]:5000/", "[fd00::1]:5000", SW_URL_PLAIN_LISTED},
    {"http://127.0.0.1:80/", "127.0.0.1:80", SW_URL_PLAIN_LISTED},
    {"ftp://127.0.0.1/x", NULL, SW_URL_INSECURE},
    {"file:///etc/passwd", NULL, SW_URL_INSECURE},
    {"//api.github.com/x", NULL, SW_URL_INSECURE},
    {"api.github.com/x", NULL, SW_URL_INSECURE},
    {"/repos/x?page=2", NULL, SW_URL_INSECURE},
    {"", NULL, SW_URL_INSECURE},
    {"http://", NULL, SW_URL_INSECURE},
    {"http:///x", NULL, SW_URL_INSECURE},
};

static void test_transport(void **state)
{
    (void)state;
    int bad = 0;
    for (size_t i = 0; i < ROWS(transport_rows); i++) {
        const struct transport_row *r = &transport_rows[i];
        enum sw_url_transport got = sw_url_transport(r->url, r->list);
        if (got != r->want) {
            fprintf(stderr, "row %zu: '%s' (list '%s'): got %d, want %d\n", i, r->url,
                    r->list ? r->list : "", (int)got, (int)r->want);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

struct listed_row {
    const char *host;
    const char *list;
    bool want;
};

static const struct listed_row listed_rows[] = {
    {"127.0.0.1:5000", "127.0.0.1:5000", true},
    {"127.0.0.1:5000", "localhost:5000,127.0.0.1:5000", true},
    {"127.0.0.1:5000", "127.0.0.1:50000", false},
    {"127.0.0.1:5000", "127.0.0.1:500", false},
    {"reg.corp:5000", "reg.corp", true},
    {"reg.corp", "reg.corp:5000", false},
    {"reg.corp", "", false},
    {"reg.corp", NULL, false},
    {"reg.corp", ",,reg.corp,", true},
    {"reg.corp", "eg.corp", false},
    {"[::1]:5000", "[::1]:5000", true},
    {"[::1]:5000", "::1", false},
};

static void test_listed(void **state)
{
    (void)state;
    int bad = 0;
    for (size_t i = 0; i < ROWS(listed_rows); i++) {
        const struct listed_row *r = &listed_rows[i];
        if (sw_url_host_listed(r->host, r->list) != r->want) {
            fprintf(stderr, "row %zu: '%s' in '%s': want %d\n", i, r->host,
                    r->list ? r->list : "(null)", r->want);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

static void test_authority(void **state)
{
    (void)state;
    char a[32];
    assert_true(sw_url_authority("https://u:p@Host:1/x?y", a, sizeof(a)));
    assert_string_equal(a, "Host:1");
    assert_true(sw_url_authority("http://[::1]:5/", a, sizeof(a)));
    assert_string_equal(a, "[::1]:5");
    assert_false(sw_url_authority("no-scheme/x", a, sizeof(a)));
    assert_false(sw_url_authority("https://a-host-name-far-too-long-for-the-buffer/", a, sizeof(a)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transport),
        cmocka_unit_test(test_listed),
        cmocka_unit_test(test_authority),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
