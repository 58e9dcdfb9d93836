/* Unit tests for src/sigstore/ over the real bundles of ../shared/fixtures/sigstore outside
 * the conformance suite (which has its own program): GitHub attestations from cli/cli, npm
 * provenance (sha512 subjects), sigstore-go and sigstore-python bundles, each with the identity
 * policy gh would apply, the trusted roots (the staging root must not verify production), and
 * the time one verification takes. One named test per row; every row is skipped, saying so,
 * when the shared fixtures are absent. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "sigstore/sigstore.h"
#include "sigstore/internal.h"
#include "test_sigstore_fixtures.h"

#define GH "https://token.actions.githubusercontent.com"
#define SLSA1 "https://slsa.dev/provenance/v1"
#define PG "trusted_root/public-good.trusted_root.json"
#define REUSABLE "cli-cli/reusable-workflow-attestation.sigstore.json"
#define REUSABLE_ART "cli-cli/reusable-workflow-artifact"
#define REUSABLE_SAN                                                                               \
    "https://github.com/github/artifact-attestations-workflows/.github/workflows/attest.yml@"      \
    "09b495c3f12c7881b3cc17209a327792065c1a1d"
#define JS_SAN                                                                                     \
    "https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main"
#define JS_TGZ "cli-cli/sigstore-js-2.1.0.tgz"
#define PRIVATE "cli-cli/github_provenance_demo-0.0.12-py3-none-any"

/* gh attestation verify --repo malancas/attest-demo
 *   --signer-repo github/artifact-attestations-workflows */
static const struct sw_sigstore_policy reusable = {
    .name = "github/artifact-attestations-workflows",
    .issuer = GH,
    .source_repository = "https://github.com/malancas/attest-demo",
    .san_prefix = "https://github.com/github/artifact-attestations-workflows/",
    .predicate_type = SLSA1};
/* gh attestation verify --repo malancas/attest-demo (the signer must be in that repository) */
static const struct sw_sigstore_policy attest_demo = {
    .name = "malancas/attest-demo",
    .issuer = GH,
    .source_repository = "https://github.com/malancas/attest-demo",
    .san_prefix = "https://github.com/malancas/attest-demo/",
    .predicate_type = SLSA1};
static const struct sw_sigstore_policy hammer_time = {
    .name = "too-legit/attest",
    .issuer = GH "/hammer-time",
    .source_repository = "https://github.com/too-legit/attest",
    .san_prefix = "https://github.com/too-legit/attest/.github/workflows/",
    .predicate_type = SLSA1};
static const struct sw_sigstore_policy too_legit = {
    .name = "too-legit/attest",
    .issuer = GH,
    .source_repository = "https://github.com/too-legit/attest",
    .san_prefix = "https://github.com/too-legit/attest/.github/workflows/"};
static const struct sw_sigstore_policy sigstore_js = {.name = "sigstore/sigstore-js",
                                                      .issuer = GH,
                                                      .source_repository =
                                                          "https://github.com/sigstore/sigstore-js",
                                                      .san_exact = JS_SAN,
                                                      .predicate_type = SLSA1};
/* npm provenance of 2023 is SLSA v0.2 in an in-toto v0.1 statement */
static const struct sw_sigstore_policy sigstore_js_any = {
    .name = "sigstore/sigstore-js", .issuer = GH, .san_exact = JS_SAN};
/* another workflow of the same repository */
static const struct sw_sigstore_policy sigstore_js_ci = {
    .name = "sigstore/sigstore-js",
    .issuer = GH,
    .source_repository = "https://github.com/sigstore/sigstore-js",
    .san_exact = "https://github.com/sigstore/sigstore-js/.github/workflows/ci.yml@refs/heads/main",
    .predicate_type = SLSA1};
static const struct sw_sigstore_policy brian = {.name = "brian@dehamer.com",
                                                .issuer = "https://github.com/login/oauth",
                                                .san_exact = "brian@dehamer.com"};
static const struct sw_sigstore_policy rfc8785 = {
    .name = "trailofbits/rfc8785.py",
    .issuer = GH,
    .san_exact = "https://github.com/trailofbits/rfc8785.py/.github/workflows/release.yml@refs/"
                 "tags/v0.1.2",
    .allow_message_signature = true};
static const struct sw_sigstore_policy rfc8785_attestation = {
    .name = "trailofbits/rfc8785.py", .issuer = GH, .san_prefix = "https://github.com/"};

struct row {
    const char *name;
    const char *bundle;   /* relative to the fixtures directory */
    const char *artifact; /* a file (its SHA-256 and SHA-512), or "sha256:<hex>"/"sha512:<hex>" */
    const char *root;     /* relative; NULL for the embedded public-good root */
    const struct sw_sigstore_policy *policy; /* NULL: the wash policy of wasmCloud/wasmCloud */
    enum expect expect;
    const char *fragment; /* in the error; for PASS, in the matched subject */
    size_t bundles;       /* for PASS, when non-zero: bundles in the file */
};

static const struct row rows[] = {
    {"reusable workflow, --signer-repo github/artifact-attestations-workflows", REUSABLE,
     REUSABLE_ART, PG, &reusable, PASS, "github_provenance_demo-0.0.0-py3-none-any.whl", 1},
    {"reusable workflow, embedded trusted root", REUSABLE, REUSABLE_ART, NULL, &reusable, PASS,
     "github_provenance_demo", 1},
    {"reusable workflow, cli/cli test trusted root", REUSABLE, REUSABLE_ART,
     "trusted_root/cli-cli-test.trusted_root.json", &reusable, PASS, "github_provenance_demo", 0},
    {"reusable workflow, sigstore-go public-good root of 2023", REUSABLE, REUSABLE_ART,
     "sigstore-go/trusted-root-public-good.json", &reusable, PASS, "github_provenance_demo", 0},
    {"reusable workflow, sigstore-go test public-good root", REUSABLE, REUSABLE_ART,
     "sigstore-go/public-good.json", &reusable, PASS, "github_provenance_demo", 0},
    {"reusable workflow, cli/cli trusted_root.json", REUSABLE, REUSABLE_ART,
     "cli-cli/trusted_root.json", &reusable, PASS, "github_provenance_demo", 0},
    {"reusable workflow, staging trusted root", REUSABLE, REUSABLE_ART,
     "trusted_root/staging.trusted_root.json", &reusable, FAIL,
     "log entry 96764485 is from a transparency log that is not in the trusted root", 0},
    {"reusable workflow, --repo malancas/attest-demo alone", REUSABLE, REUSABLE_ART, PG,
     &attest_demo, FAIL,
     "bundle was signed by " REUSABLE_SAN ", expected a workflow of malancas/attest-demo", 0},
    {"reusable workflow, wash policy", REUSABLE, REUSABLE_ART, PG, NULL, FAIL,
     "bundle was signed by " REUSABLE_SAN ", expected a workflow of wasmCloud/wasmCloud", 0},
    {"reusable workflow, another artifact", REUSABLE, "cli-cli/custom-issuer-artifact", PG,
     &reusable, FAIL,
     "artifact sha256:afa27b44d43b02a9fea41d13cedc2e4016cfcf87c5dbf990e593669aa8ce286d is not a "
     "subject of the attestation (its 1 subject is: 'github_provenance_demo-0.0.0-py3-none-any."
     "whl')",
     0},
    {"custom issuer, its own issuer", "cli-cli/custom-issuer.sigstore.json",
     "cli-cli/custom-issuer-artifact", PG, &hammer_time, PASS, "artifact", 1},
    {"custom issuer, GitHub's issuer required", "cli-cli/custom-issuer.sigstore.json",
     "cli-cli/custom-issuer-artifact", PG, &too_legit, FAIL,
     "bundle was signed with an identity from issuer " GH "/hammer-time, expected " GH, 0},
    {"sigstore-js 2.1.0, v0.3, intoto entry, sha512 subject",
     "cli-cli/sigstore-js-2.1.0-bundle.json", JS_TGZ, PG, &sigstore_js, PASS,
     "pkg:npm/sigstore@2.1.0", 1},
    {"sigstore-js 2.1.0, its sha256 is not a subject", "cli-cli/sigstore-js-2.1.0-bundle.json",
     "sha256:f0c641fce0310cb43208f4272dc1423153630e44ba8cdc0b5ce8466f724e0eed", PG, &sigstore_js,
     FAIL,
     "artifact sha256:f0c641fce0310cb43208f4272dc1423153630e44ba8cdc0b5ce8466f724e0eed is not", 0},
    {"sigstore-js 2.1.0, another workflow required", "cli-cli/sigstore-js-2.1.0-bundle.json",
     JS_TGZ, PG, &sigstore_js_ci, FAIL,
     "bundle was signed by " JS_SAN
     ", expected https://github.com/sigstore/sigstore-js/.github/workflows/ci.yml@refs/heads/main",
     0},
    {"sigstore-js 2.1.0, v0.1", "cli-cli/sigstore-js-2.1.0-bundle-v0.1.json", JS_TGZ, PG,
     &sigstore_js, PASS, "pkg:npm/sigstore@2.1.0", 1},
    {"sigstore-js 2.1.0, JSON Lines of two bundles",
     "cli-cli/sigstore-js-2.1.0_with_2_bundles.jsonl", JS_TGZ, PG, &sigstore_js, PASS,
     "pkg:npm/sigstore@2.1.0", 2},
    {"sigstore-js, envelope signature differs from the log",
     "cli-cli/sigstoreBundle-invalid-signature.json", JS_TGZ, PG, &brian, FAIL,
     "log entry 6751924 does not match the bundle: its signature differs from the envelope's", 0},
    {"GitHub private instance against the public-good root", PRIVATE "-bundle.jsonl",
     PRIVATE ".whl", PG, NULL, FAIL,
     "certificate does not chain to a certificate authority of the trusted root", 0},
    {"GitHub private instance, certificate missing", PRIVATE "-bundle-missing-cert.jsonl",
     PRIVATE ".whl", PG, NULL, FAIL, "bundle: it has neither dsseEnvelope nor messageSignature", 0},
    {"GitHub private instance, verification material missing",
     PRIVATE "-bundle-missing-verification-material.jsonl", PRIVATE ".whl", PG, NULL, FAIL,
     "bundle: verificationMaterial is missing", 0},
    {"sigstore-go provenance v0.1 with its chain, SET only", "sigstore-go/bundle-provenance.json",
     "sha512:76176ffa33808b54602c7c35de5c6e9a4deb96066dba6533f50ac234f4f1f4c6b3527515dc17c06fbe28"
     "60030f410eee69ea20079bd3a2c6f3dcf3b329b10751",
     PG, &sigstore_js_any, PASS, "pkg:npm/sigstore@1.3.0", 1},
    {"sigstore-go provenance v0.1 is SLSA v0.2", "sigstore-go/bundle-provenance.json",
     "sha512:76176ffa33808b54602c7c35de5c6e9a4deb96066dba6533f50ac234f4f1f4c6b3527515dc17c06fbe28"
     "60030f410eee69ea20079bd3a2c6f3dcf3b329b10751",
     PG, &sigstore_js, FAIL,
     "attestation predicate is 'https://slsa.dev/provenance/v0.2', expected " SLSA1, 0},
    {"sigstore-go sigstore.js 2.0.0 provenance",
     "sigstore-go/sigstore.js@2.0.0-provenance.sigstore.json",
     "sha512:46d4e2f74c4877316640000a6fdf8a8b59f1e0847667973e9859f774dd31b8f1e0937813b777fb66a2ac"
     "67d50540fe34640966eee9fc2ccca387082b4c85cd3c",
     PG, &sigstore_js, PASS, "pkg:npm/sigstore@2.0.0", 1},
    {"sigstore-go DSSE with an email identity", "sigstore-go/dsse.sigstore.json",
     "sha512:bbfd372fc9beeb777fe35d05bb10c0c70a9733d366a75fed7dd18866c7391de3ee7e88ba74dd47abf3e1"
     "5c845e547fcf0e5c3da80854c751554224d3a6d4e55f",
     PG, &brian, PASS, "slsa-provenance-0.0.7.tgz", 1},
    {"sigstore-go DSSE with two signatures", "sigstore-go/dsse-2sigs.sigstore.json",
     "sha512:bbfd372fc9beeb777fe35d05bb10c0c70a9733d366a75fed7dd18866c7391de3ee7e88ba74dd47abf3e1"
     "5c845e547fcf0e5c3da80854c751554224d3a6d4e55f",
     PG, &brian, FAIL, "dsseEnvelope has 2 signatures; exactly one is required", 0},
    {"sigstore-go bundle signed with a public key", "sigstore-go/bundle-publish.json", JS_TGZ, PG,
     &sigstore_js, UNSUPPORTED, SW_SIGSTORE_UNSUPPORTED "it is signed with a public key", 0},
    {"sigstore-python hashedrekord message signature",
     "sigstore-python/bundle_v3_github.whl.sigstore", "sigstore-python/bundle_v3_github.whl", PG,
     &rfc8785, PASS, "", 1},
    {"sigstore-python message signature where an attestation is required",
     "sigstore-python/bundle_v3_github.whl.sigstore", "sigstore-python/bundle_v3_github.whl", PG,
     &rfc8785_attestation, FAIL, "bundle holds a message signature, not an in-toto attestation", 0},
};

static void test_row(void **state)
{
    const struct row *r = *state;
    need_fixtures();
    const struct sw_sigstore_policy *p =
        r->policy ? r->policy : sw_sigstore_policy_wash("wasmCloud/wasmCloud");
    assert_int_equal(run(r->bundle, r->artifact, r->root, p, r->expect, r->fragment, r->bundles),
                     0);
}

/* ---- the trusted roots themselves ---- */

static void test_roots_load(void **state)
{
    (void)state;
    need_fixtures();
    static const char *const roots[] = {PG,
                                        "trusted_root/staging.trusted_root.json",
                                        "trusted_root/cli-cli-test.trusted_root.json",
                                        "sigstore-go/trusted-root-public-good.json",
                                        "sigstore-go/public-good.json",
                                        "cli-cli/trusted_root.json"};
    for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
        struct sw_error err = {0};
        struct sw_sigstore_root *root = load_root(roots[i], &err);
        if (!root)
            fail_msg("%s: %s", roots[i], err.msg);
        sw_sigstore_root_free(root);
    }
}

/* The embedded root is byte for byte src/data/trusted_root.json, and it loads. */
static void test_embedded_root(void **state)
{
    (void)state;
    size_t len;
    const unsigned char *json = sw_sigstore_root_embedded_json(&len);
    struct sw_sigstore_root *root = NULL;
    struct sw_error err = {0};
    assert_int_equal(sw_sigstore_root_load_embedded(&root, &err), 0);
    assert_true(root->ntlogs >= 1 && root->ncas >= 1 && root->nctlogs >= 1);
    sw_sigstore_root_free(root);
    const char *slash = strrchr(__FILE__, '/');
    char path[1024];
    snprintf(path, sizeof(path), "%.*s/../../src/data/trusted_root.json",
             slash ? (int)(slash - __FILE__) : 1, slash ? __FILE__ : ".");
    FILE *f = fopen(path, "rb");
    if (!f) {
        print_message("skipped: the source tree is not at '%s'\n", path);
        skip();
    }
    struct sw_buf b = SW_BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        sw_buf_add(&b, chunk, n);
    fclose(f);
    assert_int_equal(len, b.len);
    assert_memory_equal(json, b.data, len);
    sw_buf_free(&b);
}

/* The time one verification of the real GitHub bundle takes, root loaded. */
int main(void)
{
    size_t nr = sizeof(rows) / sizeof(rows[0]);
    struct CMUnitTest *tests = calloc(nr + 3, sizeof(*tests));
    size_t n = 0;
    for (size_t i = 0; i < nr; i++)
        tests[n++] = (struct CMUnitTest){rows[i].name, test_row, NULL, NULL, (void *)&rows[i]};
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_roots_load);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_embedded_root);
    int rc = _cmocka_run_group_tests("sigstore_fixtures", tests, n, find_shared, NULL);
    free(tests);
    return rc;
}
