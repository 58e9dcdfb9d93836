/* Unit tests for src/sigstore/ over every case of the sigstore-conformance bundle-verify
 * suite (../shared/fixtures/sigstore/conformance/bundle-verify), run as its README says: the
 * artifact is <dir>/artifact or a.txt, the identity <dir>/identity or the conformance beacon
 * workflow, the issuer <dir>/issuer or GitHub's, the root <dir>/trusted_root.json or production.
 * A directory ending in _fail must fail; a case needing Rekor v2, RFC 3161 timestamps or a
 * public key must say it is unsupported and never pass. Each row names the message expected. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>

#include "test_sigstore_fixtures.h"

#define CASES "conformance/bundle-verify"
#define BEACON                                                                                     \
    "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/"      \
    "workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main"

#define REKOR2 SW_SIGSTORE_UNSUPPORTED "its log entry is from Rekor v2"
#define TSA SW_SIGSTORE_UNSUPPORTED "it carries RFC 3161 timestamps"
#define PUBKEY SW_SIGSTORE_UNSUPPORTED "it is signed with a public key"

struct conformance {
    const char *dir;
    enum expect expect;
    const char *fragment; /* in the error; for PASS, in the matched subject ("" for signatures) */
};

static const struct conformance cases[] = {
    {"bundle-empty-certificate-chain_fail", FAIL,
     "bundle: verificationMaterial.x509CertificateChain is empty"},
    {"bundle-from-wrong-instance_fail", FAIL,
     "is from a transparency log that is not in the trusted root (log id d32f30a3"},
    {"bundle-invalid-base64-signature_fail", FAIL,
     "bundle: messageSignature.signature is not valid base64"},
    {"bundle-malformed-json_fail", FAIL, "bundle: invalid JSON near byte"},
    {"bundle-negative-log-index_fail", FAIL,
     "bundle: verificationMaterial.tlogEntries[0].logIndex is negative"},
    {"bundle-unknown-version_fail", FAIL,
     "bundle: unknown media type 'application/vnd.dev.sigstore.bundle+json;version=99.9'"},
    {"bundle-with-root-cert_fail", FAIL, "inclusionProof.checkpoint is missing"},
    {"bundle-with-sct-with-extensions", UNSUPPORTED, REKOR2},
    {"checkpoint-bad-keyhint_fail", FAIL,
     "checkpoint has no signature by the transparency log (key hint c0d23d6a)"},
    {"checkpoint-wrong-roothash_fail", FAIL, "checkpoint tree size 75610772 differs"},
    {"dsse-invalid-sig_fail", FAIL, "its signature differs from the envelope's"},
    {"dsse-mismatch-envelope_fail", FAIL, "the payload hash differs from the envelope's"},
    {"dsse-mismatch-sig_fail", FAIL, "its signature differs from the envelope's"},
    {"happy-path-intoto-in-dsse-v3", PASS, "a.txt"},
    {"happy-path-v0.1", PASS, ""},
    {"happy-path-v0.2", PASS, ""},
    {"happy-path-v0.3", PASS, ""},
    {"happy-path-v0.3-new-mediaType", PASS, ""},
    {"inclusion-proof-corrupted-hash_fail", FAIL,
     "inclusion proof does not match the checkpoint root hash"},
    {"incorrect-public-key_fail", FAIL,
     "signed entry timestamp of log entry 27246492 does not "
     "verify"},
    {"integrated-time-in-future_fail", FAIL,
     "signing time 2026-05-07T15:34:11Z is outside the certificate validity"},
    {"intoto-expired-certificate_fail", FAIL,
     "signing time 2023-02-01T00:00:00Z is outside the certificate validity 2030-01-01T00:00:00Z"},
    {"intoto-log-entry-mismatch_fail", FAIL, "sig is not base64 of base64"},
    {"intoto-missing-inclusion-proof_fail", FAIL,
     "has no inclusionProof, which a v0.2 bundle requires"},
    {"intoto-set-outside-signing-cert-validity_fail", FAIL,
     "signing time 2023-02-02T00:00:00Z is outside the certificate validity"},
    {"intoto-tsa-timestamp-outside-cert-validity_fail", UNSUPPORTED, TSA},
    {"intoto-with-custom-trust-root", UNSUPPORTED, TSA},
    {"invalid-checkpoint-signature_fail", FAIL,
     "checkpoint signature does not verify with the key of https://rekor.sigstore.dev"},
    {"invalid-ct-key_fail", FAIL, "certificate has no SCT from a CT log of the trusted root"},
    {"invalid-inclusion-proof_fail", FAIL, "inclusionProof.checkpoint is missing"},
    {"managed-key-and-trusted-root", UNSUPPORTED, PUBKEY},
    {"managed-key-happy-path", UNSUPPORTED, PUBKEY},
    {"managed-key-no-key_fail", UNSUPPORTED, PUBKEY},
    {"managed-key-wrong-key_fail", UNSUPPORTED, PUBKEY},
    {"message-digest-mismatch_fail", FAIL,
     "message digest in the bundle is not the artifact's SHA-256"},
    {"rekor2-checkpoint-cosigned", UNSUPPORTED, REKOR2},
    {"rekor2-checkpoint-missing-log-signature_fail", UNSUPPORTED, REKOR2},
    {"rekor2-checkpoint-missing-origin_fail", UNSUPPORTED, REKOR2},
    {"rekor2-checkpoint-missing-root-hash_fail", UNSUPPORTED, REKOR2},
    {"rekor2-checkpoint-missing-size_fail", UNSUPPORTED, REKOR2},
    {"rekor2-checkpoint-multiple-cosigs", UNSUPPORTED, REKOR2},
    {"rekor2-checkpoint-no-matching-signature_fail", UNSUPPORTED, REKOR2},
    {"rekor2-checkpoint-origin-not-first", UNSUPPORTED, REKOR2},
    {"rekor2-checkpoint-two-sigs-cosigned", UNSUPPORTED, REKOR2},
    {"rekor2-checkpoint-two-sigs-from-origin", UNSUPPORTED, REKOR2},
    {"rekor2-dsse-happy-path", UNSUPPORTED, REKOR2},
    {"rekor2-dsse-invalid-sig_fail", UNSUPPORTED, REKOR2},
    {"rekor2-dsse-mismatch-envelope_fail", UNSUPPORTED, REKOR2},
    {"rekor2-dsse-mismatch-sig_fail", UNSUPPORTED, REKOR2},
    {"rekor2-happy-path", UNSUPPORTED, REKOR2},
    {"rekor2-no-inclusion-proof_fail", FAIL, "has no inclusionProof, which a v0.3 bundle requires"},
    {"rekor2-no-timestamp_fail", UNSUPPORTED, REKOR2},
    {"rekor2-timestamp-outside-trust-root-tsa-validity_fail", UNSUPPORTED, REKOR2},
    {"rekor2-timestamp-outside-tsa-cert-validity_fail", UNSUPPORTED, REKOR2},
    {"rekor2-timestamp-payload-mismatch_fail", UNSUPPORTED, REKOR2},
    {"rekor2-timestamp-untrusted-tsa-with-embedded-cert_fail", UNSUPPORTED, REKOR2},
    {"rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail", UNSUPPORTED, REKOR2},
    {"rekor2-timestamp-with-embedded-cert", UNSUPPORTED, REKOR2},
    {"rekor2-timestamp-with-expired-cert-chain", UNSUPPORTED, REKOR2},
    {"rekor2-timestamp-with-incorrect-time_fail", UNSUPPORTED, REKOR2},
    {"rekor2-timestamp-without-embedded-cert", UNSUPPORTED, REKOR2},
    {"set-invalid-signature_fail", FAIL,
     "signed entry timestamp of log entry 27246492 does not verify with the key of "
     "https://rekor.sigstore.dev"},
    {"signature-mismatch_fail", FAIL, "its signature differs from the bundle's"},
    {"trust-root-tlog-missing-validity-start_fail", ROOT_FAIL,
     "tlogs[1].publicKey.validFor.start is missing"},
    {"trust-root-tlog-validity-end-inclusive", PASS, ""},
    {"trust-root-tsa-validity-end-inclusive", UNSUPPORTED, REKOR2},
    {"wrong-hashedrekord-artifact_fail", FAIL, "it was made for another artifact"},
    {"wrong-hashedrekord-cert-and-sig_fail", FAIL, "its signature differs from the bundle's"},
    {"wrong-hashedrekord-entry_fail", FAIL, "it was made for another artifact"},
    {"wrong-material_fail", FAIL, "it was made for another artifact"},
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

static bool exists(const char *rel)
{
    char path[1400];
    snprintf(path, sizeof(path), "%s/%s", shared, rel);
    FILE *f = fopen(path, "rb");
    if (f)
        fclose(f);
    return f != NULL;
}

/* The contents of <dir>/<file> without the trailing newline, or fallback. */
static char *setting(const char *dir, const char *file, const char *fallback)
{
    char rel[300];
    size_t len;
    snprintf(rel, sizeof(rel), CASES "/%s/%s", dir, file);
    char *s = exists(rel) ? slurp(rel, &len) : sw_xstrdup(fallback);
    s[strcspn(s, "\r\n")] = '\0';
    return s;
}

static void test_case(void **state)
{
    const struct conformance *c = *state;
    char bundle[300], artifact[300], root[300];
    need_fixtures();
    /* a _fail case must be expected to fail in some way */
    size_t dl = strlen(c->dir);
    bool must_fail = dl > 5 && strcmp(c->dir + dl - 5, "_fail") == 0;
    assert_false(must_fail && c->expect == PASS);
    snprintf(bundle, sizeof(bundle), CASES "/%s/bundle.sigstore.json", c->dir);
    snprintf(artifact, sizeof(artifact), CASES "/%s/artifact", c->dir);
    if (!exists(artifact))
        snprintf(artifact, sizeof(artifact), CASES "/a.txt");
    snprintf(root, sizeof(root), CASES "/%s/trusted_root.json", c->dir);
    char *identity = setting(c->dir, "identity", BEACON);
    char *issuer = setting(c->dir, "issuer", "https://token.actions.githubusercontent.com");
    struct sw_sigstore_policy policy = {
        .name = c->dir, .issuer = issuer, .san_exact = identity, .allow_message_signature = true};
    int rc =
        run(bundle, artifact, exists(root) ? root : "trusted_root/public-good.trusted_root.json",
            &policy, c->expect, c->fragment, 0);
    free(identity);
    free(issuer);
    assert_int_equal(rc, 0);
}

/* A new case in the suite must get a row here. */
static void test_every_case_has_a_row(void **state)
{
    (void)state;
    need_fixtures();
    char path[1200];
    snprintf(path, sizeof(path), "%s/" CASES, shared);
    DIR *d = opendir(path);
    assert_non_null(d);
    struct dirent *e;
    size_t found = 0, missing = 0;
    while ((e = readdir(d))) {
        char sub[1500];
        snprintf(sub, sizeof(sub), "%s/%s/bundle.sigstore.json", path, e->d_name);
        FILE *f = fopen(sub, "rb");
        if (!f)
            continue;
        fclose(f);
        found++;
        bool listed = false;
        for (size_t i = 0; i < NCASES && !listed; i++)
            listed = strcmp(cases[i].dir, e->d_name) == 0;
        if (!listed) {
            print_error("conformance case '%s' has no row\n", e->d_name);
            missing++;
        }
    }
    closedir(d);
    assert_int_equal(missing, 0);
    assert_int_equal(found, NCASES);
}

int main(void)
{
    struct CMUnitTest *tests = calloc(NCASES + 1, sizeof(*tests));
    for (size_t i = 0; i < NCASES; i++)
        tests[i] = (struct CMUnitTest){cases[i].dir, test_case, NULL, NULL, (void *)&cases[i]};
    tests[NCASES] = (struct CMUnitTest)cmocka_unit_test(test_every_case_has_a_row);
    int rc = _cmocka_run_group_tests("sigstore_conformance", tests, NCASES + 1, find_shared, NULL);
    free(tests);
    return rc;
}
