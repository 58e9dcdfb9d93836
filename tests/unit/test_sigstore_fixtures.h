/* Shared by the test_sigstore*.c programs that read ../shared/fixtures/sigstore: where the
 * fixtures are (SW_SHARED_DIR, else next to this source), skipping when they are absent,
 * reading them, and running one verification against an expected outcome. */
#ifndef TEST_SIGSTORE_FIXTURES_H
#define TEST_SIGSTORE_FIXTURES_H

#include <openssl/evp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "sigstore/sigstore.h"
#include "sigstore/internal.h"

#define FIXTURE static __attribute__((unused))

enum expect { PASS, FAIL, UNSUPPORTED, ROOT_FAIL };

/* ---- the fixtures directory ---- */

static char shared[1024];

FIXTURE int find_shared(void **state)
{
    (void)state;
    const char *env = getenv("SW_SHARED_DIR");
    const char *slash = strrchr(__FILE__, '/');
    if (env && *env)
        snprintf(shared, sizeof(shared), "%s/fixtures/sigstore", env);
    else
        snprintf(shared, sizeof(shared), "%.*s/../../../shared/fixtures/sigstore",
                 slash ? (int)(slash - __FILE__) : 1, slash ? __FILE__ : ".");
    return 0;
}

FIXTURE void need_fixtures(void)
{
    char probe[1200];
    snprintf(probe, sizeof(probe), "%s/README.md", shared);
    FILE *f = fopen(probe, "rb");
    if (!f) {
        print_message("skipped: the shared Sigstore fixtures are not at '%s' (set SW_SHARED_DIR)\n",
                      shared);
        skip();
    }
    fclose(f);
}

FIXTURE char *slurp(const char *rel, size_t *len)
{
    char path[1400];
    struct sw_buf b = SW_BUF_INIT;
    snprintf(path, sizeof(path), "%s/%s", shared, rel);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        sw_buf_add(&b, chunk, n);
    fclose(f);
    *len = b.len;
    return b.data ? sw_buf_detach(&b) : sw_xstrdup("");
}

/* A digest argument: a fixture file, or "<alg>:<hex>". */
FIXTURE void digests_of(const char *artifact, unsigned char s256[32], unsigned char s512[64],
                        struct sw_sigstore_digests *d)
{
    d->sha256 = d->sha512 = NULL;
    if (strncmp(artifact, "sha256:", 7) == 0) {
        assert_int_equal(sw_sig_unhex(artifact + 7, s256, 32), 0);
        d->sha256 = s256;
    } else if (strncmp(artifact, "sha512:", 7) == 0) {
        assert_int_equal(sw_sig_unhex(artifact + 7, s512, 64), 0);
        d->sha512 = s512;
    } else {
        size_t len;
        char *data = slurp(artifact, &len);
        if (!data)
            fail_msg("cannot read artifact '%s'", artifact);
        unsigned int n;
        EVP_Digest(data, len, s256, &n, EVP_sha256(), NULL);
        EVP_Digest(data, len, s512, &n, EVP_sha512(), NULL);
        d->sha256 = s256;
        d->sha512 = s512;
        free(data);
    }
}

FIXTURE struct sw_sigstore_root *load_root(const char *rel, struct sw_error *err)
{
    struct sw_sigstore_root *root = NULL;
    if (!rel) {
        sw_sigstore_root_load_embedded(&root, err);
        return root;
    }
    char path[1400];
    snprintf(path, sizeof(path), "%s/%s", shared, rel);
    sw_sigstore_root_load_file(path, &root, err);
    return root;
}

/* Runs one verification and checks its outcome; returns 0 or prints why not and returns -1. */
FIXTURE int run(const char *bundle_rel, const char *artifact, const char *root_rel,
                const struct sw_sigstore_policy *policy, enum expect expect, const char *fragment,
                size_t bundles)
{
    struct sw_error err = {0};
    struct sw_provenance out = {0};
    unsigned char s256[32], s512[64];
    struct sw_sigstore_digests d;
    size_t len;
    int rc = -1, got;
    char *bundle = slurp(bundle_rel, &len);
    if (!bundle) {
        print_error("cannot read bundle '%s'\n", bundle_rel);
        return -1;
    }
    digests_of(artifact, s256, s512, &d);
    struct sw_sigstore_root *root = load_root(root_rel, &err);
    if (!root) {
        got = -2;
        if (expect != ROOT_FAIL || !strstr(err.msg, fragment))
            print_error("trusted root did not load: %s\n", err.msg);
        else
            rc = 0;
        goto out;
    }
    got = sw_sigstore_verify_digests(bundle, len, root, &d, policy, &out, &err);
    if (expect == PASS) {
        if (got != 0)
            print_error("expected a pass, got: %s\n", err.msg);
        else if (!strstr(out.subject, fragment) || (bundles && out.bundle_count != bundles))
            print_error("passed with subject '%s' and %zu bundles, expected '%s' and %zu\n",
                        out.subject, out.bundle_count, fragment, bundles);
        else
            rc = 0;
    } else if (got == 0) {
        print_error("expected a failure ('%s') but it verified: signer %s\n", fragment, out.signer);
    } else if (err.code != SW_EXIT_VERIFY || !strstr(err.msg, fragment) ||
               out.unsupported != (expect == UNSUPPORTED)) {
        print_error("expected%s '%s', got%s (class %d): %s\n",
                    expect == UNSUPPORTED ? " unsupported" : "", fragment,
                    out.unsupported ? " unsupported" : "", err.code, err.msg);
    } else {
        rc = 0;
    }
out:
    sw_sigstore_root_free(root);
    free(bundle);
    return rc;
}

#endif
