/* Unit tests for src/io/sigstore*.c with bundles made at run time by a test Sigstore instance
 * (tests/unit/test_sigstore_forge.h): a wash release bundle listing every binary, wrong
 * repositories, workflows and issuers, broken certificates, SCTs, logs and checkpoints, and the
 * Merkle proof over every position of trees up to 64 entries. One named test per row; also the
 * time one verification takes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <time.h>

#include "test_sigstore_forge_bundle.h"

enum expect { PASS, FAIL, UNSUPPORTED };
#define NOT_RELEASED ((size_t)-1)

struct row {
    const char *name;
    struct forge_opts opts;
    struct forge_root_opts root;
    const char *repo;                        /* wash policy of this repository */
    const struct sw_sigstore_policy *policy; /* or this one */
    size_t artifact;                         /* index in forge_binaries, or NOT_RELEASED */
    enum expect expect;
    const char *fragment; /* in the message; for PASS, the subject that matched */
};

/* the wash identity, accepting a plain message signature instead of an attestation */
static const struct sw_sigstore_policy message_policy = {.name = "wasmCloud/wasmCloud",
                                                         .issuer = FORGE_GH,
                                                         .source_repository = FORGE_MONO,
                                                         .san_prefix =
                                                             FORGE_MONO "/.github/workflows/",
                                                         .allow_message_signature = true};
static const struct sw_sigstore_policy email_policy = {
    .name = "brian", .issuer = FORGE_GH, .san_exact = "brian@example.com"};

#define EVIL_SAN "https://github.com/evil/fork/.github/workflows/release.yml@refs/heads/main"
#define SIGNED_AT "2025-06-15T15:07:40Z"

static const struct row rows[] = {
    {"release bundle, first binary", {0}, {0}, NULL, NULL, 0, PASS, "wash-aarch64-apple-darwin"},
    {"release bundle, last binary",
     {0},
     {0},
     NULL,
     NULL,
     11,
     PASS,
     "wash-armv7-unknown-linux-gnueabihf"},
    {"artifact that is not in the release",
     {0},
     {0},
     NULL,
     NULL,
     NOT_RELEASED,
     FAIL,
     "is not a subject of the attestation (its 12 subjects are: 'wash-aarch64-apple-darwin'"},
    {"policy of wasmCloud/wash on a wasmCloud/wasmCloud bundle",
     {0},
     {0},
     "wasmCloud/wash",
     NULL,
     0,
     FAIL,
     "bundle was signed by " FORGE_SAN ", expected a workflow of wasmCloud/wash (a signer URI "
     "starting with https://github.com/wasmCloud/wash/.github/workflows/)"},
    {"signer workflow of another repository",
     {.san = EVIL_SAN},
     {0},
     NULL,
     NULL,
     0,
     FAIL,
     "bundle was signed by " EVIL_SAN ", expected a workflow of wasmCloud/wasmCloud"},
    {"signer outside .github/workflows",
     {.san = FORGE_MONO "/scripts/release.yml@refs/heads/main"},
     {0},
     NULL,
     NULL,
     0,
     FAIL,
     "expected a workflow of wasmCloud/wasmCloud"},
    {"source repository of a fork",
     {.source_repo = "https://github.com/evil/wasmCloud"},
     {0},
     NULL,
     NULL,
     0,
     FAIL,
     "bundle was built from source repository https://github.com/evil/wasmCloud, expected "
     "https://github.com/wasmCloud/wasmCloud"},
    {"issuer that is not GitHub Actions",
     {.issuer = "https://accounts.google.com"},
     {0},
     NULL,
     NULL,
     0,
     FAIL,
     "bundle was signed with an identity from issuer https://accounts.google.com, expected "
     "https://token.actions.githubusercontent.com"},
    {"issuer of a GitHub Enterprise tenant",
     {.issuer = FORGE_GH "/acme"},
     {0},
     NULL,
     NULL,
     0,
     FAIL,
     "issuer " FORGE_GH "/acme, expected " FORGE_GH},
    {"owner and repository in another case",
     {.san = "https://github.com/wasmcloud/wasmcloud/.github/workflows/release-tag.yml@refs/heads/"
             "main",
      .source_repo = "https://github.com/WASMCLOUD/WASMCLOUD"},
     {0},
     NULL,
     NULL,
     3,
     PASS,
     "wash-riscv64gc-unknown-linux-gnu"},
    {"release of wasmCloud/wash",
     {.san = "https://github.com/wasmCloud/wash/.github/workflows/release.yml@refs/tags/v1.0.0",
      .source_repo = "https://github.com/wasmCloud/wash",
      .source_ref = "refs/tags/wash-v1.0.0"},
     {0},
     "wasmCloud/wash",
     NULL,
     8,
     PASS,
     "wash-x86_64-unknown-linux-gnu"},
    {"P-384 signing key", {.leaf_bits = 384}, {0}, NULL, NULL, 0, PASS, "wash-aarch64"},
    {"intoto 0.0.2 log entry", {.kind = "intoto"}, {0}, NULL, NULL, 0, PASS, "wash-aarch64"},
    {"v0.1 bundle with a 3-certificate chain", {.minor = 1}, {0}, NULL, NULL, 0, PASS, "wash"},
    {"v0.2 bundle with a 3-certificate chain", {.minor = 2}, {0}, NULL, NULL, 0, PASS, "wash"},
    {"v0.2 chain whose certificates after the leaf are junk",
     {.minor = 2, .chain_junk = true},
     {0},
     NULL,
     NULL,
     0,
     PASS,
     "wash"},
    {"v0.2 chain bringing its own rogue CA",
     {.minor = 2, .rogue_issuer = true},
     {0},
     NULL,
     NULL,
     0,
     FAIL,
     "certificate chain does not verify at the signing time " SIGNED_AT},
    {"legacy issuer extension only", {.issuer_v1_only = true}, {0}, NULL, NULL, 0, PASS, "wash"},
    {"legacy and current issuer extensions differ",
     {.issuer_v1 = "https://accounts.google.com"},
     {0},
     NULL,
     NULL,
     0,
     FAIL,
     "certificate names two different issuers (extensions 1.3.6.1.4.1.57264.1.8 and "
     "1.3.6.1.4.1.57264.1.1)"},
    {"v0.3 spelled version=0.3",
     {.media_type = "application/vnd.dev.sigstore.bundle+json;version=0.3"},
     {0},
     NULL,
     NULL,
     0,
     PASS,
     "wash"},
    {"v0.3 with a certificate chain",
     {.minor = 2, .media_type = "application/vnd.dev.sigstore.bundle.v0.3+json"},
     {0},
     NULL,
     NULL,
     0,
     FAIL,
     "a v0.3 bundle must carry verificationMaterial.certificate"},
    {"certificate without SCT",
     {.no_sct = true},
     {0},
     NULL,
     NULL,
     0,
     FAIL,
     "certificate has no embedded SCT"},
    {"SCT from a CT log not in the trusted root",
     {.sct_other_log = true},
     {0},
     NULL,
     NULL,
     0,
     FAIL,
     "certificate has no SCT from a CT log of the trusted root"},
    {"SCT with a broken signature",
     {.sct_bad = true},
     {0},
     NULL,
     NULL,
     0,
     FAIL,
     "certificate SCT from https://ctfe.test does not verify"},
    {"CT log retired before the SCT",
     {0},
     {.ct_end = FORGE_T0},
     NULL,
     NULL,
     0,
     FAIL,
     "certificate has no SCT from a CT log of the trusted root valid at its time"},
    {"CT log valid until exactly the SCT",
     {0},
     {.ct_end = FORGE_T0 + 1},
     NULL,
     NULL,
     0,
     PASS,
     "wash"},
    {"trusted root without CT logs",
     {0},
     {.no_ctlogs = true},
     NULL,
     NULL,
     0,
     FAIL,
     "certificate has no SCT from a CT log of the trusted root"},
    {"leaf issued by a CA outside the trusted root",
     {.rogue_issuer = true},
     {0},
     NULL,
     NULL,
     0,
     FAIL,
     "certificate chain does not verify at the signing time " SIGNED_AT ": "},
    {"intermediate expired before the signing time",
     {.old_issuer = true},
     {.old_ca = true},
     NULL,
     NULL,
     0,
     FAIL,
     "certificate chain does not verify at the signing time " SIGNED_AT
     ": certificate has expired"},
    {"log entry naming another certificate",
     {.body_cert_other = true},
     {0},
     NULL,
     NULL,
     0,
     FAIL,
     "log entry 90000006 does not match the bundle: it was signed with another certificate"},
    {"CA no longer valid at the signing time",
     {0},
     {.ca_end = FORGE_T0},
     NULL,
     NULL,
     0,
     FAIL,
     "no certificate authority of the trusted root is valid at the signing time " SIGNED_AT},
    {"CA valid until exactly the signing time",
     {0},
     {.ca_end = FORGE_T0 + 60},
     NULL,
     NULL,
     0,
     PASS,
     "wash"},
    {"log entry after the certificate expired",
     {.time_offset = 600},
     {0},
     NULL,
     NULL,
     0,
     FAIL,
     "signing time 2025-06-15T15:17:40Z is outside the certificate validity "
     "2025-06-15T15:06:40Z to 2025-06-15T15:16:40Z"},
    {"log entry before the certificate",
     {.time_offset = -120},
     {0},
     NULL,
     NULL,
     0,
     FAIL,
     "is outside the certificate validity"},
    {"Rekor key expired before the entry",
     {0},
     {.rekor_end = FORGE_T0},
     NULL,
     NULL,
     0,
     FAIL,
     "time " SIGNED_AT " is outside the validity of the key of https://rekor.test"},
    {"Rekor key valid until exactly the entry",
     {0},
     {.rekor_end = FORGE_T0 + 60},
     NULL,
     NULL,
     0,
     PASS,
     "wash"},
    {"witness cosignature before the log's signature",
     {.witness_first = true},
     {0},
     NULL,
     NULL,
     0,
     PASS,
     "wash"},
    {"checkpoint signed in another name",
     {.note_name = "rekor.evil"},
     {0},
     NULL,
     NULL,
     0,
     FAIL,
     "checkpoint is signed in the name of 'rekor.evil', not of its origin 'rekor.test'"},
    {"tree of one entry", {.tree_size = 1, .index = 0}, {0}, NULL, NULL, 0, PASS, "wash"},
    {"last entry of a tree", {.tree_size = 13, .index = 12}, {0}, NULL, NULL, 0, PASS, "wash"},
    {"first entry of a power-of-two tree",
     {.tree_size = 16, .index = 0},
     {0},
     NULL,
     NULL,
     0,
     PASS,
     "wash"},
    {"SLSA v0.2 predicate",
     {.predicate = "https://slsa.dev/provenance/v0.2"},
     {0},
     NULL,
     NULL,
     0,
     FAIL,
     "attestation predicate is 'https://slsa.dev/provenance/v0.2', expected "
     "https://slsa.dev/provenance/v1"},
    {"payload type text/plain",
     {.payload_type = "text/plain"},
     {0},
     NULL,
     NULL,
     0,
     FAIL,
     "envelope payload type is 'text/plain', not application/vnd.in-toto+json"},
    {"in-toto statement v0.1",
     {.statement_type = "https://in-toto.io/Statement/v0.1"},
     {0},
     NULL,
     NULL,
     0,
     PASS,
     "wash"},
    {"unknown statement type",
     {.statement_type = "https://example.com/Statement/v9"},
     {0},
     NULL,
     NULL,
     0,
     FAIL,
     "in-toto statement type 'https://example.com/Statement/v9' is not"},
    {"certificate without code-signing usage",
     {.no_codesign = true},
     {0},
     NULL,
     NULL,
     0,
     FAIL,
     "certificate is not for code signing"},
    {"certificate without digital-signature usage",
     {.no_digital_signature = true},
     {0},
     NULL,
     NULL,
     0,
     FAIL,
     "certificate key usage lacks digital signature"},
    {"RFC 3161 timestamp attached",
     {.tsa = true},
     {0},
     NULL,
     NULL,
     0,
     UNSUPPORTED,
     SW_SIGSTORE_UNSUPPORTED "it carries RFC 3161 timestamps"},
    {"two envelope signatures",
     {.two_sigs = true},
     {0},
     NULL,
     NULL,
     0,
     FAIL,
     "bundle: dsseEnvelope has 2 signatures; exactly one is required"},
    {"envelope signature by another key",
     {.bad_sig = true},
     {0},
     NULL,
     NULL,
     0,
     FAIL,
     "envelope signature does not verify with the certificate's key"},
    {"message signature where it is accepted",
     {.message = true},
     {0},
     NULL,
     &message_policy,
     0,
     PASS,
     ""},
    {"message signature under the wash policy",
     {.message = true},
     {0},
     NULL,
     NULL,
     0,
     FAIL,
     "bundle holds a message signature, not an in-toto attestation"},
    {"message signature by another key",
     {.message = true, .bad_sig = true},
     {0},
     NULL,
     &message_policy,
     0,
     FAIL,
     "message signature does not verify with the certificate's key"},
    {"message signature of another artifact",
     {.message = true},
     {0},
     NULL,
     &message_policy,
     1,
     FAIL,
     "log entry 90000006 does not match the bundle: it was made for another artifact"},
    {"email identity under an email policy",
     {.san = "brian@example.com", .san_email = true},
     {0},
     NULL,
     &email_policy,
     0,
     PASS,
     "wash"},
    {"email identity under a policy for another email",
     {.san = "mallory@example.com", .san_email = true},
     {0},
     NULL,
     &email_policy,
     0,
     FAIL,
     "bundle was signed by mallory@example.com, expected brian@example.com"},
    {"email identity under the wash policy",
     {.san = "brian@example.com", .san_email = true},
     {0},
     NULL,
     NULL,
     0,
     FAIL,
     "bundle was signed by brian@example.com, expected a workflow of"},
};

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

static struct sw_sigstore_root *make_root(const struct forge_root_opts *o)
{
    struct sw_error err = {0};
    struct sw_sigstore_root *root = NULL;
    char *json = forge_root_json(&keys, o);
    if (sw_sigstore_root_load_json(json, strlen(json), "test root", &root, &err) < 0)
        print_error("test root does not load: %s\n", err.msg);
    free(json);
    assert_non_null(root);
    return root;
}

static int check(const char *bundle, const struct sw_sigstore_root *root,
                 const struct sw_sigstore_policy *policy, size_t artifact, enum expect expect,
                 const char *fragment, struct sw_provenance *out)
{
    unsigned char digest[32];
    struct sw_error err = {0};
    forge_digest(artifact == NOT_RELEASED ? "wash-not-released" : forge_binaries[artifact], digest);
    int rc = sw_sigstore_verify(bundle, strlen(bundle), root, digest, policy, out, &err);
    if (expect == PASS && rc != 0) {
        print_error("expected a pass, got: %s\n", err.msg);
        return -1;
    }
    if (expect != PASS && rc == 0) {
        print_error("expected a failure (%s), but it verified\n", fragment);
        return -1;
    }
    if (rc != 0 && (err.code != SW_EXIT_VERIFY || !strstr(err.msg, fragment) ||
                    out->unsupported != (expect == UNSUPPORTED))) {
        print_error("expected '%s'%s, got (class %d%s): %s\n", fragment,
                    expect == UNSUPPORTED ? " (unsupported)" : "", err.code,
                    out->unsupported ? ", unsupported" : "", err.msg);
        return -1;
    }
    if (rc == 0 && !strstr(out->subject, fragment)) {
        print_error("matched subject '%s', expected '%s'\n", out->subject, fragment);
        return -1;
    }
    return 0;
}

static void test_row(void **state)
{
    const struct row *r = *state;
    struct sw_sigstore_root *root = make_root(&r->root);
    char *bundle = forge_bundle(&keys, &r->opts);
    const struct sw_sigstore_policy *policy =
        r->policy ? r->policy : sw_sigstore_policy_wash(r->repo ? r->repo : "wasmCloud/wasmCloud");
    struct sw_provenance out;
    int rc = check(bundle, root, policy, r->artifact, r->expect, r->fragment, &out);
    free(bundle);
    sw_sigstore_root_free(root);
    assert_int_equal(rc, 0);
}

/* Every binary of the release verifies against the one bundle, and the result names it. */
static void test_every_subject(void **state)
{
    (void)state;
    struct sw_sigstore_root *root = make_root(NULL);
    struct forge_opts o = {0};
    char *bundle = forge_bundle(&keys, &o);
    for (size_t i = 0; i < FORGE_NBIN; i++) {
        struct sw_provenance out;
        assert_int_equal(check(bundle, root, sw_sigstore_policy_wash("wasmCloud/wasmCloud"), i,
                               PASS, forge_binaries[i], &out),
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
    struct sw_sigstore_root *root = make_root(NULL);
    struct forge_opts evil = {.san = EVIL_SAN}, few = {.nsubjects = 2}, good = {0};
    char *a = forge_bundle(&keys, &evil), *b = forge_bundle(&keys, &few),
         *c = forge_bundle(&keys, &good);
    char *all = sw_xasprintf("%s%s\r\n%s", a, b, c), *bad = sw_xasprintf("%s%s", b, a);
    const struct sw_sigstore_policy *p = sw_sigstore_policy_wash("wasmCloud/wasmCloud");
    struct sw_provenance out;
    assert_int_equal(check(all, root, p, 5, PASS, forge_binaries[5], &out), 0);
    assert_int_equal(out.bundle_count, 3);
    assert_int_equal(out.bundle_index, 2);
    assert_int_equal(
        check(bad, root, p, 5, FAIL,
              "none of the 2 bundles verifies; bundle 2: bundle was signed by " EVIL_SAN, &out),
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
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The time one verification of a 12-binary release bundle takes (the root already loaded, as
 * install would hold it); the budget is 20 ms. */
static void test_timing(void **state)
{
    (void)state;
    struct sw_sigstore_root *root = make_root(NULL);
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
    size_t n = sizeof(rows) / sizeof(rows[0]);
    struct CMUnitTest *tests = calloc(n + 4, sizeof(*tests));
    for (size_t i = 0; i < n; i++) {
        tests[i].name = rows[i].name;
        tests[i].test_func = test_row;
        tests[i].initial_state = (void *)&rows[i];
    }
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_every_subject);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_json_lines);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_merkle);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_timing);
    int rc = _cmocka_run_group_tests("sigstore_made", tests, n, setup_keys, teardown_keys);
    free(tests);
    return rc;
}
