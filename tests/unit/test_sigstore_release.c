/* Unit tests for src/sigstore/ on a whole wash release, made at run time by the test
 * Sigstore instance (test_sigstore_forge_bundle.h): every binary of a 12-binary release verifies
 * against the one bundle and the result says what was proven; JSON Lines where only one bundle
 * is right; the RFC 6962 proof at every position of every tree up to 64 entries; and the time one
 * verification takes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <time.h>

#include "os/os.h"
#include "test_sigstore_forge_bundle.h"

#define EVIL_SAN "https://github.com/evil/fork/.github/workflows/release.yml@refs/heads/main"
#define SIGNED_AT "2025-06-15T15:07:40Z"

static struct forge_keys keys;

static int setup_keys(void **state)
{
    (void)state;
    forge_keys_make(&keys);
    return 0;
}

static int teardown_keys(void **state)
{
    (void)state;
    forge_keys_free(&keys);
    return 0;
}

/* Every binary of the release verifies against the one bundle, and the result names it. */
static void test_every_subject(void **state)
{
    (void)state;
    struct sw_sigstore_root *root = forge_make_root(&keys, NULL);
    struct forge_opts o = {0};
    char *bundle = forge_bundle(&keys, &o);
    for (size_t i = 0; i < FORGE_NBIN; i++) {
        struct sw_provenance out;
        assert_int_equal(forge_check(bundle, root, sw_sigstore_policy_wash("wasmCloud/wasmCloud"),
                                     i, PASS, forge_binaries[i], &out),
                         0);
        assert_string_equal(out.subject, forge_binaries[i]);
        assert_string_equal(out.issuer, FORGE_GH);
        assert_string_equal(out.signer, FORGE_SAN);
        assert_string_equal(out.workflow, "wasmCloud/wasmCloud/.github/workflows/release-tag.yml");
        assert_string_equal(out.workflow_ref, "refs/heads/main");
        assert_string_equal(out.source_repository, FORGE_MONO);
        assert_string_equal(out.source_ref, "refs/heads/main");
        assert_string_equal(out.source_digest, "0123456789abcdef0123456789abcdef01234567");
        assert_string_equal(out.predicate_type, SW_SIGSTORE_SLSA_V1);
        assert_string_equal(out.signed_at_text, SIGNED_AT);
        assert_int_equal(out.signed_at, FORGE_T0 + 60);
        assert_int_equal(out.log_index, 90000006);
        assert_int_equal(out.bundle_count, 1);
        assert_int_equal(strncmp(out.bundle_digest, "sha256:", 7), 0);
    }
    free(bundle);
    sw_sigstore_root_free(root);
}

/* JSON Lines: the bundle that verifies wins; when none does, the furthest failure is named. */
static void test_json_lines(void **state)
{
    (void)state;
    struct sw_sigstore_root *root = forge_make_root(&keys, NULL);
    struct forge_opts evil = {.san = EVIL_SAN}, few = {.nsubjects = 2}, good = {0};
    char *a = forge_bundle(&keys, &evil), *b = forge_bundle(&keys, &few),
         *c = forge_bundle(&keys, &good);
    char *all = sw_xasprintf("%s%s\r\n%s", a, b, c), *bad = sw_xasprintf("%s%s", b, a);
    const struct sw_sigstore_policy *p = sw_sigstore_policy_wash("wasmCloud/wasmCloud");
    struct sw_provenance out;
    assert_int_equal(forge_check(all, root, p, 5, PASS, forge_binaries[5], &out), 0);
    assert_int_equal(out.bundle_count, 3);
    assert_int_equal(out.bundle_index, 2);
    assert_int_equal(
        forge_check(bad, root, p, 5, FAIL,
                    "none of the 2 bundles verifies; bundle 2: bundle was signed by " EVIL_SAN,
                    &out),
        0);
    free(a);
    free(b);
    free(c);
    free(all);
    free(bad);
    sw_sigstore_root_free(root);
}

/* RFC 6962 inclusion for every position of trees of 1 to 64 leaves, and forged proofs. */
static void test_merkle(void **state)
{
    (void)state;
    for (size_t n = 1; n <= 64; n++) {
        unsigned char *leaves = forge_leaves(n, 0, "x", 1), root[32];
        forge_mth(leaves, n, root);
        for (size_t m = 0; m < n; m++) {
            struct sw_buf path = SW_BUF_INIT;
            struct sw_error err = {0};
            forge_path(leaves, n, m, &path);
            size_t k = path.len / 32;
            const unsigned char *h = (const unsigned char *)path.data, *leaf = leaves + 32 * m;
            if (sw_sig_merkle_verify(leaf, (long long)m, (long long)n, h, k, root, &err) != 0)
                fail_msg("tree %zu, leaf %zu: %s", n, m, err.msg);
            if (k > 0) {
                unsigned char *bent = sw_xmalloc(path.len);
                memcpy(bent, path.data, path.len);
                bent[32 * (k - 1) + 7] ^= 0x40;
                assert_int_equal(
                    sw_sig_merkle_verify(leaf, (long long)m, (long long)n, bent, k, root, &err),
                    -1);
                free(bent);
                assert_int_equal(
                    sw_sig_merkle_verify(leaf, (long long)m, (long long)n, h, k - 1, root, &err),
                    -1);
            }
            if (n > 1)
                assert_int_equal(sw_sig_merkle_verify(leaf, (long long)((m + 1) % n), (long long)n,
                                                      h, k, root, &err),
                                 -1);
            sw_buf_add(&path, root, 32);
            assert_int_equal(sw_sig_merkle_verify(leaf, (long long)m, (long long)n,
                                                  (const unsigned char *)path.data, k + 1, root,
                                                  &err),
                             -1);
            assert_int_equal(
                sw_sig_merkle_verify(leaf, (long long)n, (long long)n, h, k, root, &err), -1);
            sw_buf_free(&path);
        }
        free(leaves);
    }
}

static double now_ms(void)
{
    return (double)sw_os_now_ms();
}

/* The time one verification of a 12-binary release bundle takes (the root already loaded, as
 * install would hold it); the budget is 20 ms. */
static void test_timing(void **state)
{
    (void)state;
    struct sw_sigstore_root *root = forge_make_root(&keys, NULL);
    struct forge_opts o = {0};
    char *bundle = forge_bundle(&keys, &o);
    const struct sw_sigstore_policy *p = sw_sigstore_policy_wash("wasmCloud/wasmCloud");
    unsigned char digest[32];
    forge_digest(forge_binaries[4], digest);
    const int runs = 100;
    double t0 = now_ms();
    for (int i = 0; i < runs; i++) {
        struct sw_provenance out;
        struct sw_error err = {0};
        assert_int_equal(sw_sigstore_verify(bundle, strlen(bundle), root, digest, p, &out, &err),
                         0);
    }
    double per = (now_ms() - t0) / runs;
    double t1 = now_ms();
    for (int i = 0; i < runs; i++) {
        struct sw_sigstore_root *r = NULL;
        struct sw_error err = {0};
        assert_int_equal(sw_sigstore_root_load_embedded(&r, &err), 0);
        sw_sigstore_root_free(r);
    }
    double load = (now_ms() - t1) / runs;
    print_message("sigstore timing: %.2f ms per verification of a %zu-subject release bundle "
                  "(%zu bytes), %.2f ms to load the embedded trusted root\n",
                  per, FORGE_NBIN, strlen(bundle), load);
    free(bundle);
    sw_sigstore_root_free(root);
    assert_true(per < 20.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_subject),
        cmocka_unit_test(test_json_lines),
        cmocka_unit_test(test_merkle),
        cmocka_unit_test(test_timing),
    };
    return cmocka_run_group_tests(tests, setup_keys, teardown_keys);
}
