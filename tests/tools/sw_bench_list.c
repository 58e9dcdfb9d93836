/* sw_bench_list: times release listing and selection on one generated page, for scripts/bench.
 *
 *     sw_bench_list N [N...]
 *
 * For each N, builds one GitHub release-list page of N distinct wash releases of
 * wasmCloud/wasmCloud (v2.0.0 upwards, in a fixed shuffled order, every 16th repeated later on
 * the page as a shifted page would repeat it) and prints one line:
 *
 *     N ADD_MS SELECT_MS MISSING_MS
 *
 * ADD_MS: sw_releases_add_json on the page (parse, classify, duplicate tags); SELECT_MS:
 * sw_releases_select for `latest`; MISSING_MS: sw_releases_select for an exact version that is
 * not there (its message sorts every version for the nearest ones). The selections are checked:
 * a wrong answer exits 1. Building the page is not timed. Exit 2 on bad usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/release.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void version_of(size_t i, unsigned v[3])
{
    v[0] = 2 + (unsigned)(i / 1000000);
    v[1] = (unsigned)(i / 1000 % 1000);
    v[2] = (unsigned)(i % 1000);
}

/* The page, and in *newest the version of release n-1 (the newest). */
static char *make_page(size_t n, size_t *len, char *newest, size_t newest_n)
{
    size_t *order = sw_xcalloc(n + 1, sizeof(*order));
    unsigned long long x = 0x9e3779b97f4a7c15ull;
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    for (size_t i = n; i > 1; i--) { /* Fisher-Yates with xorshift64: the same order every run */
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        size_t j = (size_t)(x % i), t = order[i - 1];
        order[i - 1] = order[j];
        order[j] = t;
    }
    struct sw_buf b = SW_BUF_INIT;
    sw_buf_adds(&b, "[");
    for (size_t k = 0; k < n + n / 16; k++) {
        unsigned v[3];
        version_of(k < n ? order[k] : order[(k - n) * 16], v);
        sw_buf_printf(
            &b,
            "%s{\"tag_name\":\"v%u.%u.%u\",\"draft\":false,\"prerelease\":false,"
            "\"published_at\":\"2026-11-01T12:00:00Z\",\"assets\":["
            "{\"name\":\"wash-x86_64-unknown-linux-gnu\",\"size\":1000,"
            "\"digest\":\"sha256:%064x\"},{\"name\":\"wash.sigstore.json\",\"size\":10}]}",
            k ? "," : "", v[0], v[1], v[2], (unsigned)k);
    }
    sw_buf_adds(&b, "]");
    unsigned v[3];
    version_of(n - 1, v);
    snprintf(newest, newest_n, "%u.%u.%u", v[0], v[1], v[2]);
    free(order);
    *len = b.len;
    return sw_buf_detach(&b);
}

static int bench(size_t n)
{
    char newest[64], got[SW_SEMVER_STR_MAX];
    size_t len, idx = 0;
    char *page = make_page(n, &len, newest, sizeof(newest));
    struct sw_releases rs = {0};
    struct sw_error err = {0};
    struct sw_spec latest = {0}, missing = {0};
    int rc = 1;
    if (sw_spec_parse("latest", &latest, &err) < 0 || sw_spec_parse("1.5.0", &missing, &err) < 0)
        goto out;

    double t0 = now_ms();
    if (sw_releases_add_json(&rs, "wasmCloud/wasmCloud", page, len, "page", &err) < 0)
        goto out;
    double t1 = now_ms();
    if (sw_releases_select(&rs, &latest, NULL, &idx, NULL, &err) < 0)
        goto out;
    double t2 = now_ms();
    sw_semver_str(&rs.items[idx].version, got, sizeof(got));
    int found = sw_releases_select(&rs, &missing, NULL, &idx, NULL, &err);
    double t3 = now_ms();

    if (rs.n != n || strcmp(got, newest) != 0 || found == 0 ||
        strstr(err.msg, "nearest versions are") == NULL) {
        char msg[sizeof(err.msg)];
        snprintf(msg, sizeof(msg), "%zu releases kept of %zu, latest %s (want %s), missing: %s",
                 rs.n, n, got, newest, found == 0 ? "found" : err.msg);
        snprintf(err.msg, sizeof(err.msg), "%s", msg);
        goto out;
    }
    printf("%zu %.3f %.3f %.3f\n", n, t1 - t0, t2 - t1, t3 - t2);
    rc = 0;
out:
    if (rc)
        fprintf(stderr, "sw_bench_list: %zu releases: %s\n", n, err.msg);
    sw_spec_free(&latest);
    sw_spec_free(&missing);
    sw_releases_free(&rs);
    free(page);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: sw_bench_list N [N...]\n");
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        char *end;
        unsigned long long n = strtoull(argv[i], &end, 10);
        if (*end || n == 0 || n > 10000000) {
            fprintf(stderr, "sw_bench_list: '%s' is not a count of releases (1 to 10000000)\n",
                    argv[i]);
            return 2;
        }
        if (bench((size_t)n) != 0)
            return 1;
    }
    return 0;
}
