/* Unit tests for src/io/attest.c without a network: the attestations API's answers (both
 * forms, and what is refused) and the content-addressed bundle cache (a damaged copy is
 * dropped, never used); snappy decompression is tests/unit/test_snappy.c's. Failing rows are
 * printed by number. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/verify.h"
#include "io/attest.h"
#include "io/fs.h"
#include "support.h"

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- sw_attest_parse ---- */

struct parse_row {
    const char *name, *json;
    int ok;
    size_t n;          /* entries kept */
    const char *first; /* the first entry's inline bundle, or "url:<bundle_url>" */
};

static const struct parse_row parse_rows[] = {
    {"inline bundle", "{\"attestations\":[{\"bundle\":{\"mediaType\":\"m\"},\"repository_id\":1}]}",
     1, 1, "{\"mediaType\":\"m\"}"},
    {"bundle_url only (the newer form)",
     "{\"attestations\":[{\"bundle\":null,\"bundle_url\":\"https://blob.test/b?sig=1\"}]}", 1, 1,
     "url:https://blob.test/b?sig=1"},
    {"both: the inline bundle wins",
     "{\"attestations\":[{\"bundle\":{\"a\":1},\"bundle_url\":\"https://blob.test/b\"}]}", 1, 1,
     "{\"a\":1}"},
    {"several, in order",
     "{\"attestations\":[{\"bundle_url\":\"https://x.test/1\"},{\"bundle\":{\"b\":2}}]}", 1, 2,
     "url:https://x.test/1"},
    {"entries with neither are skipped",
     "{\"attestations\":[{\"repository_id\":1},{\"bundle\":\"text\"},{\"bundle_url\":\"\"},"
     "{\"bundle\":{\"c\":3}}]}",
     1, 1, "{\"c\":3}"},
    {"empty list", "{\"attestations\":[]}", 1, 0, NULL},
    {"not JSON", "<html>rate limited</html>", 0, 0, NULL},
    {"no attestations key", "{\"message\":\"Not Found\"}", 0, 0, NULL},
    {"attestations not a list", "{\"attestations\":{}}", 0, 0, NULL},
    {"a list at the top", "[{\"bundle\":{}}]", 0, 0, NULL},
};

static void test_parse(void **state)
{
    (void)state;
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(parse_rows); i++) {
        const struct parse_row *r = &parse_rows[i];
        struct sw_attestations a;
        struct sw_error err = {0};
        int rc = sw_attest_parse(r->json, strlen(r->json), &a, &err);
        bool ok = r->ok ? rc == 0 && a.n == r->n : rc == -1 && err.code == SW_EXIT_NETWORK;
        if (ok && r->first) {
            const struct sw_attestation *f = &a.items[0];
            ok = strncmp(r->first, "url:", 4) == 0
                     ? f->bundle_url && !f->bundle && strcmp(f->bundle_url, r->first + 4) == 0
                     : f->bundle && f->bundle_len == strlen(f->bundle) &&
                           strcmp(f->bundle, r->first) == 0;
        }
        if (!ok) {
            print_error("row %zu (%s): rc %d n %zu err '%s'\n", i, r->name, rc, rc == 0 ? a.n : 0,
                        err.msg);
            bad++;
        }
        if (rc == 0)
            sw_attestations_free(&a);
    }
    /* at most SW_ATTEST_MAX entries are kept */
    struct sw_buf many = SW_BUF_INIT;
    sw_buf_adds(&many, "{\"attestations\":[");
    for (int i = 0; i < SW_ATTEST_MAX + 5; i++)
        sw_buf_printf(&many, "%s{\"bundle_url\":\"https://x.test/%d\"}", i ? "," : "", i);
    sw_buf_adds(&many, "]}");
    struct sw_attestations a;
    assert_int_equal(sw_attest_parse(many.data, many.len, &a, NULL), 0);
    assert_int_equal(a.n, SW_ATTEST_MAX);
    sw_attestations_free(&a);
    sw_buf_free(&many);
    if (bad)
        fail();
}

/* ---- the bundle cache ---- */

static void test_cache(void **state)
{
    (void)state;
    char *dir = sw_test_tmpdir("sw-attest");
    const char *bundle = "{\"a bundle\":true}\n";
    unsigned char md[32];
    char digest[80];
    EVP_Digest(bundle, strlen(bundle), md, NULL, EVP_sha256(), NULL);
    sw_digest_format(md, digest, sizeof(digest));
    struct sw_buf out = SW_BUF_INIT;
    struct sw_error err = {0};

    assert_false(sw_bundle_cache_get(dir, digest, &out)); /* not there yet */
    assert_int_equal(sw_bundle_cache_put(dir, bundle, strlen(bundle), &err), 0);
    char *path = sw_bundle_cache_path(dir, digest);
    char *want = sw_xasprintf("%s/.setup-wash/bundles/sha256/%s.json", dir, digest + 7);
    assert_string_equal(path, want);
    assert_true(sw_bundle_cache_get(dir, digest, &out));
    assert_string_equal(out.data, bundle);
    sw_buf_free(&out);

    /* a copy whose bytes no longer match its name is removed, and not used */
    assert_int_equal(sw_fs_write_atomic(path, "{\"tampered\":1}\n", 15, 0644, &err), 0);
    assert_false(sw_bundle_cache_get(dir, digest, &out));
    assert_int_equal(out.len, 0);
    assert_false(sw_fs_is_file(path));
    assert_false(sw_bundle_cache_get(dir, "sha256:1234", &out));

    sw_fs_rm_rf(dir, NULL);
    free(dir);
    free(path);
    free(want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_cache),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
