/* The signed content of a bundle: a DSSE envelope (PAE per secure-systems-lab/dsse protocol.md)
 * holding an in-toto statement whose subjects must include the artifact, or a plain message
 * signature over the artifact (hashedrekord bundles). */
#include "sigstore/internal.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

#define IN_TOTO_PAYLOAD_TYPE "application/vnd.in-toto+json"
#define STATEMENT_V1 "https://in-toto.io/Statement/v1"
#define STATEMENT_V01 "https://in-toto.io/Statement/v0.1"
#define LISTED_SUBJECTS 3

static int key_supported(EVP_PKEY *key, struct sw_error *err)
{
    if (EVP_PKEY_is_a(key, "EC") || EVP_PKEY_is_a(key, "ED25519"))
        return 0;
    return sw_error_set(err, SW_EXIT_VERIFY,
                        SW_SIGSTORE_UNSUPPORTED "the certificate key is %s, not ECDSA or Ed25519",
                        EVP_PKEY_get0_type_name(key) ? EVP_PKEY_get0_type_name(key) : "unknown");
}

int sw_sig_dsse_verify(const struct sw_sig_bundle *b, EVP_PKEY *key, struct sw_error *err)
{
    if (strcmp(b->payload_type, IN_TOTO_PAYLOAD_TYPE) != 0) {
        char shown[64];
        sw_sanitize(shown, sizeof(shown), b->payload_type);
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "envelope payload type is '%s', not " IN_TOTO_PAYLOAD_TYPE, shown);
    }
    if (key_supported(key, err) < 0)
        return -1;
    struct sw_buf pae = SW_BUF_INIT;
    sw_buf_printf(&pae, "DSSEv1 %zu %s %zu ", strlen(b->payload_type), b->payload_type,
                  b->payload_len);
    sw_buf_add(&pae, b->payload, b->payload_len);
    const EVP_MD *md = sw_sig_md_for_key(key);
    int ok = sw_sig_verify(key, md, b->sig, b->sig_len, (const unsigned char *)pae.data, pae.len);
    /* older clients signed with SHA-256 whatever the curve (sigstore-go compatSignatureVerifier) */
    if (!ok && md && md != EVP_sha256() && EVP_PKEY_is_a(key, "EC"))
        ok = sw_sig_verify(key, EVP_sha256(), b->sig, b->sig_len, (const unsigned char *)pae.data,
                           pae.len);
    sw_buf_free(&pae);
    if (!ok)
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "envelope signature does not verify with the certificate's key");
    return 0;
}

int sw_sig_message_verify(const struct sw_sig_bundle *b, EVP_PKEY *key, const unsigned char *sha256,
                          struct sw_error *err)
{
    if (!sha256)
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "a message signature needs the artifact's SHA-256");
    if (b->digest && (strcmp(b->digest_alg, "SHA2_256") != 0 || b->digest_len != 32 ||
                      CRYPTO_memcmp(b->digest, sha256, 32) != 0))
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "message digest in the bundle is not the artifact's SHA-256");
    if (!EVP_PKEY_is_a(key, "EC"))
        return sw_error_set(err, SW_EXIT_VERIFY,
                            SW_SIGSTORE_UNSUPPORTED "a message signature by a %s key",
                            EVP_PKEY_get0_type_name(key) ? EVP_PKEY_get0_type_name(key) : "non-EC");
    /* the signature is over the artifact; ECDSA signs its SHA-256, which is all we need */
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key, NULL);
    int ok = ctx && EVP_PKEY_verify_init(ctx) == 1 &&
             EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) == 1 &&
             EVP_PKEY_verify(ctx, b->sig, b->sig_len, sha256, 32) == 1;
    EVP_PKEY_CTX_free(ctx);
    ERR_clear_error();
    if (!ok)
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "message signature does not verify with the certificate's key");
    return 0;
}

/* Does this subject's digest object carry one of the artifact's digests? */
static int subject_matches(const struct sw_sig_json *j, const cJSON *digest, const char *where,
                           const struct sw_sigstore_digests *art, bool *match)
{
    static const struct {
        const char *alg;
        size_t len;
    } algs[] = {{"sha256", 32}, {"sha512", 64}};
    *match = false;
    for (size_t i = 0; i < 2; i++) {
        const unsigned char *want = i == 0 ? art->sha256 : art->sha512;
        const char *hex;
        unsigned char got[64];
        if (sw_sig_str(j, digest, where, algs[i].alg, false, &hex) < 0)
            return -1;
        if (!want || !hex)
            continue;
        if (sw_sig_unhex(hex, got, algs[i].len) < 0)
            return sw_error_set(j->err, j->code, "%s: %s.%s is not a %s digest", j->what, where,
                                algs[i].alg, algs[i].alg);
        if (CRYPTO_memcmp(got, want, algs[i].len) == 0)
            *match = true;
    }
    return 0;
}

static void artifact_text(const struct sw_sigstore_digests *art, char *buf, size_t n)
{
    char hex[129];
    if (art->sha256) {
        sw_sig_hex(art->sha256, 32, hex);
        snprintf(buf, n, "sha256:%s", hex);
    } else {
        sw_sig_hex(art->sha512, 64, hex);
        snprintf(buf, n, "sha512:%s", hex);
    }
}

static int check_subjects(const struct sw_sig_json *j, const cJSON *subjects, size_t n,
                          const struct sw_sigstore_digests *art, struct sw_provenance *out)
{
    struct sw_buf names = SW_BUF_INIT;
    size_t i = 0;
    int rc = -1;
    for (const cJSON *s = subjects->child; s; s = s->next, i++) {
        char where[32];
        const char *name;
        const cJSON *digest;
        bool match;
        snprintf(where, sizeof(where), "subject[%zu]", i);
        if (!cJSON_IsObject(s)) {
            sw_error_set(j->err, j->code, "%s: %s is not an object", j->what, where);
            goto out;
        }
        if (sw_sig_str(j, s, where, "name", false, &name) < 0 ||
            sw_sig_obj(j, s, where, "digest", true, &digest) < 0 ||
            subject_matches(j, digest, where, art, &match) < 0)
            goto out;
        if (match) {
            sw_sanitize(out->subject, sizeof(out->subject), name ? name : "");
            rc = 0;
            goto out;
        }
        if (i < LISTED_SUBJECTS) {
            char shown[80];
            sw_sanitize(shown, sizeof(shown), name ? name : "(unnamed)");
            sw_buf_printf(&names, "%s'%s'", i ? ", " : "", shown);
        }
    }
    char a[140];
    artifact_text(art, a, sizeof(a));
    sw_error_set(j->err, SW_EXIT_VERIFY,
                 "artifact %s is not a subject of the attestation (its %zu subject%s: %s%s)", a, n,
                 n == 1 ? " is" : "s are", sw_buf_str(&names), n > LISTED_SUBJECTS ? ", ..." : "");
out:
    sw_buf_free(&names);
    return rc;
}

int sw_sig_statement_check(const struct sw_sig_bundle *b, const struct sw_sigstore_digests *art,
                           const struct sw_sigstore_policy *policy, struct sw_provenance *out,
                           struct sw_error *err)
{
    struct sw_sig_json j = {"in-toto statement", SW_EXIT_VERIFY, err};
    const char *type, *predicate;
    const cJSON *subjects;
    size_t n;
    int rc = -1;
    cJSON *json = sw_sig_parse((const char *)b->payload, b->payload_len);
    if (!json || !cJSON_IsObject(json)) {
        sw_error_set(err, SW_EXIT_VERIFY, "in-toto statement is not a JSON object");
        goto out;
    }
    if (sw_sig_unique_keys(&j, json) < 0 || sw_sig_str(&j, json, "", "_type", true, &type) < 0 ||
        sw_sig_str(&j, json, "", "predicateType", true, &predicate) < 0 ||
        sw_sig_arr(&j, json, "", "subject", true, SW_SIG_MAX_SUBJECTS, &subjects, &n) < 0)
        goto out;
    if (strcmp(type, STATEMENT_V1) != 0 && strcmp(type, STATEMENT_V01) != 0) {
        char shown[96];
        sw_sanitize(shown, sizeof(shown), type);
        sw_error_set(err, SW_EXIT_VERIFY, "in-toto statement type '%s' is not " STATEMENT_V1,
                     shown);
        goto out;
    }
    if (policy->predicate_type && strcmp(predicate, policy->predicate_type) != 0) {
        char shown[96];
        sw_sanitize(shown, sizeof(shown), predicate);
        sw_error_set(err, SW_EXIT_VERIFY, "attestation predicate is '%s', expected %s", shown,
                     policy->predicate_type);
        goto out;
    }
    if (n == 0) {
        sw_error_set(err, SW_EXIT_VERIFY, "in-toto statement has no subject");
        goto out;
    }
    if (check_subjects(&j, subjects, n, art, out) < 0)
        goto out;
    sw_sanitize(out->predicate_type, sizeof(out->predicate_type), predicate);
    rc = 0;
out:
    cJSON_Delete(json);
    return rc;
}
