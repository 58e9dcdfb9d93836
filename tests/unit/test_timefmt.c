/* Unit tests for src/core/timefmt.c: RFC 3339 times both ways (checked against the C library's
 * timegm over 400 years of days) and the durations of --min-release-age. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/timefmt.h"

#ifdef _WIN32
/* Windows' C runtime names them so; its times start at 1970 */
#define timegm _mkgmtime
#define gmtime_r(t, tm) (gmtime_s((tm), (t)) == 0 ? (tm) : NULL)
#define LIBC_FIRST_YEAR 70
#else
#define LIBC_FIRST_YEAR 0 /* 1900 */
#endif

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
    const char *in;
    int ok;
    long long start, end; /* rounded up (a start) and down (an end) */
} time_rows[] = {
    {"1970-01-01T00:00:00Z", 1, 0, 0},
    {"2026-10-26T18:44:48Z", 1, 1793040288, 1793040288},
    {"2026-12-02T21:53:37z", 1, 1796248417, 1796248417},
    {"2022-04-13T20:06:15.5Z", 1, 1649880376, 1649880375},
    {"2022-04-13T20:06:15.000Z", 1, 1649880375, 1649880375},
    {"2022-04-13t22:06:15+02:00", 1, 1649880375, 1649880375},
    {"2022-04-13T18:36:15-01:30", 1, 1649880375, 1649880375},
    {"2024-02-29T00:00:00Z", 1, 1709164800, 1709164800},
    {"1969-12-31T23:59:59Z", 1, -1, -1},
    {"2023-02-29T00:00:00Z", 0, 0, 0}, /* not a leap year */
    {"2026-04-31T00:00:00Z", 0, 0, 0},
    {"2026-13-01T00:00:00Z", 0, 0, 0},
    {"2026-00-10T00:00:00Z", 0, 0, 0},
    {"2026-12-02T24:00:00Z", 0, 0, 0},
    {"2026-12-02T21:53:37", 0, 0, 0}, /* no zone */
    {"2026-12-02 21:53:37Z", 0, 0, 0},
    {"2026-12-02T21:53:37Zjunk", 0, 0, 0},
    {"2026-12-02T21:53:37.Z", 0, 0, 0},
    {"2026-12-02T21:53:37+0100", 0, 0, 0},
    {"26-12-02T21:53:37Z", 0, 0, 0},
    {"", 0, 0, 0},
};

static void test_time_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < ROWS(time_rows); i++) {
        long long a = 12345, b = 12345;
        int ra = sw_time_parse(time_rows[i].in, true, &a);
        int rb = sw_time_parse(time_rows[i].in, false, &b);
        if (!time_rows[i].ok) {
            if (ra != -1 || rb != -1)
                fail_msg("'%s' parsed", time_rows[i].in);
            continue;
        }
        if (ra != 0 || rb != 0 || a != time_rows[i].start || b != time_rows[i].end)
            fail_msg("'%s': %lld/%lld, expected %lld/%lld", time_rows[i].in, a, b,
                     time_rows[i].start, time_rows[i].end);
    }
}

/* Every day from 1900 to 2300 at a changing time of day, both ways, against timegm. */
static void test_time_against_libc(void **state)
{
    (void)state;
    struct tm tm = {0};
    tm.tm_year = LIBC_FIRST_YEAR; /* 1900-01-01 (1970 on Windows) */
    tm.tm_mday = 1;
    time_t t0 = timegm(&tm);
    for (long long day = 0; day < 146097; day++) {
        time_t t = t0 + (time_t)(day * 86400 + (day * 3797) % 86400);
        struct tm g;
        assert_non_null(gmtime_r(&t, &g));
        char want[32], got[32];
        strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%SZ", &g);
        sw_time_format((long long)t, got, sizeof(got));
        if (strcmp(want, got) != 0)
            fail_msg("%lld formats as %s, libc says %s", (long long)t, got, want);
        long long back;
        if (sw_time_parse(want, false, &back) != 0 || back != (long long)t)
            fail_msg("%s parses as %lld, libc says %lld", want, back, (long long)t);
    }
}

static const struct {
    const char *in;
    int ok;
    long long secs;
} dur_rows[] = {
    {"0", 1, 0},          {"24h", 1, 86400},        {"3d", 1, 259200},
    {"2w", 1, 1209600},   {"1d12h", 1, 129600},     {"90m", 1, 5400},
    {"45s", 1, 45},       {"0d", 1, 0},             {"1w1d1h1m1s", 1, 694861},
    {"3650d", 1, 315360000},
    {"", 0, 0},           {"24", 0, 0},             {"1y", 0, 0},
    {"h", 0, 0},          {"-1d", 0, 0},            {"1.5d", 0, 0},
    {"1d ", 0, 0},        {" 1d", 0, 0},            {"1D", 0, 0},
    {"3651d", 0, 0},   {"522w", 0, 0},      {"99999999999999999999d", 0, 0},
    {"1d12", 0, 0},       {"00", 0, 0},
};

static void test_duration_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < ROWS(dur_rows); i++) {
        long long s = -7;
        int rc = sw_duration_parse(dur_rows[i].in, &s);
        if (dur_rows[i].ok ? rc != 0 || s != dur_rows[i].secs : rc != -1)
            fail_msg("'%s': rc %d, %lld seconds", dur_rows[i].in, rc, s);
    }
}

static void test_duration_format(void **state)
{
    (void)state;
    static const struct {
        long long secs;
        const char *text;
    } rows[] = {{0, "0s"},          {-5, "0s"},          {45, "45s"},   {5400, "1h 30m"},
                {86400, "1d"},      {129600, "1d 12h"},  {86401, "1d"}, {259200 + 59, "3d"},
                {3599, "59m 59s"}};
    for (size_t i = 0; i < ROWS(rows); i++) {
        char buf[32];
        sw_duration_format(rows[i].secs, buf, sizeof(buf));
        if (strcmp(buf, rows[i].text) != 0)
            fail_msg("%lld s: '%s', expected '%s'", rows[i].secs, buf, rows[i].text);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_rows),
        cmocka_unit_test(test_time_against_libc),
        cmocka_unit_test(test_duration_rows),
        cmocka_unit_test(test_duration_format),
    };
    return cmocka_run_group_tests_name("timefmt", tests, NULL, NULL);
}
