/* The Fulcio certificate: validity at the signing time, chain to a CA of the trusted root
 * verified at that time with OpenSSL's X509 store, key usage, the embedded SCT (RFC 6962
 * precertificate signature rebuilt by hand: CTLOG_STORE cannot be filled from memory), and the
 * identity carried in the SAN and the Fulcio extensions (OIDs 1.3.6.1.4.1.57264.1.x). */
#include "sigstore/internal.h"

#include <openssl/ct.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"

#define OID_ISSUER_V1 "1.3.6.1.4.1.57264.1.1"
#define OID_USERNAME "1.3.6.1.4.1.57264.1.7"
#define OID_ISSUER_V2 "1.3.6.1.4.1.57264.1.8"
#define OID_SOURCE_REPOSITORY "1.3.6.1.4.1.57264.1.12"
#define OID_SOURCE_DIGEST "1.3.6.1.4.1.57264.1.13"
#define OID_SOURCE_REF "1.3.6.1.4.1.57264.1.14"
#define OID_PRECERT_SIGNING "1.3.6.1.4.1.11129.2.4.4"

static int asn1_time(const ASN1_TIME *a, long long *out)
{
    /* seconds since the epoch, counted by OpenSSL (no timegm(), which Windows lacks) */
    int days, secs;
    ASN1_TIME *epoch = a ? ASN1_TIME_set(NULL, 0) : NULL;
    int ok = epoch && ASN1_TIME_diff(&days, &secs, epoch, a) == 1;
    ASN1_TIME_free(epoch);
    if (!ok)
        return -1;
    *out = (long long)days * 86400 + secs;
    return 0;
}

/* Verifies leaf against one CA (store = its last certificate, the rest untrusted) at time t, or
 * ignoring times when t < 0. On success *issuer (when non-NULL) is the certificate that issued
 * the leaf, with a reference the caller frees. */
static int chain_to(X509 *leaf, const struct sw_sig_ca *ca, long long t, X509 **issuer, char *why,
                    size_t why_n)
{
    X509_STORE *store = X509_STORE_new();
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    STACK_OF(X509) *untrusted = sk_X509_new_null();
    STACK_OF(X509) *chain = NULL;
    int ok = 0;
    if (!store || !ctx || !untrusted || X509_STORE_add_cert(store, ca->certs[ca->ncerts - 1]) != 1)
        goto out;
    for (size_t i = 0; i + 1 < ca->ncerts; i++)
        if (!sk_X509_push(untrusted, ca->certs[i]))
            goto out;
    if (X509_STORE_CTX_init(ctx, store, leaf, untrusted) != 1)
        goto out;
    X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx);
    /* the root of certChain is the trust anchor even when it is not self-signed (as in Go) */
    X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
    if (t >= 0)
        X509_VERIFY_PARAM_set_time(param, (time_t)t);
    else
        X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_NO_CHECK_TIME);
    if (X509_verify_cert(ctx) != 1) {
        snprintf(why, why_n, "%s", X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)));
        goto out;
    }
    chain = X509_STORE_CTX_get1_chain(ctx);
    if (!chain || sk_X509_num(chain) < 2)
        goto out;
    if (issuer) {
        /* a precertificate-signing CA stands in for the real issuer (RFC 6962 3.1) */
        X509 *is = sk_X509_value(chain, 1);
        int pos = -1;
        EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(is, NID_ext_key_usage, NULL, NULL);
        ASN1_OBJECT *pre = OBJ_txt2obj(OID_PRECERT_SIGNING, 1);
        for (int i = 0; eku && pre && i < sk_ASN1_OBJECT_num(eku); i++)
            if (OBJ_cmp(sk_ASN1_OBJECT_value(eku, i), pre) == 0)
                pos = 2;
        sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
        ASN1_OBJECT_free(pre);
        if (pos == 2 && sk_X509_num(chain) > 2)
            is = sk_X509_value(chain, 2);
        X509_up_ref(is);
        *issuer = is;
    }
    ok = 1;
out:
    if (!ok && !*why)
        sw_sig_ssl_error(why, why_n);
    sk_X509_pop_free(chain, X509_free);
    sk_X509_free(untrusted);
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(store);
    ERR_clear_error();
    return ok;
}

int sw_sig_cert_chain_any(X509 *leaf, const struct sw_sigstore_root *root, struct sw_error *err)
{
    char why[256] = "";
    for (size_t i = 0; i < root->ncas; i++) {
        why[0] = '\0';
        if (chain_to(leaf, &root->cas[i], -1, NULL, why, sizeof(why)))
            return 0;
    }
    return sw_error_set(err, SW_EXIT_VERIFY,
                        "certificate does not chain to a certificate authority of the trusted "
                        "root: %s",
                        why);
}

/* ---- SCT ---- */

static void put(struct sw_buf *b, uint64_t v, int bytes)
{
    for (int i = bytes - 1; i >= 0; i--) {
        unsigned char c = (unsigned char)(v >> (8 * i));
        sw_buf_add(b, &c, 1);
    }
}

/* RFC 6962 3.2 digitally-signed data of a precertificate entry. */
static int sct_data(const SCT *sct, const unsigned char *tbs, size_t tbs_len,
                    const unsigned char issuer_key_hash[32], struct sw_buf *b)
{
    unsigned char *ext = NULL;
    size_t ext_len = SCT_get0_extensions(sct, &ext);
    if (tbs_len >= (1u << 24) || ext_len >= (1u << 16))
        return -1;
    put(b, 0, 1); /* v1 */
    put(b, 0, 1); /* certificate_timestamp */
    put(b, SCT_get_timestamp(sct), 8);
    put(b, 1, 2); /* precert_entry */
    sw_buf_add(b, issuer_key_hash, 32);
    put(b, tbs_len, 3);
    sw_buf_add(b, tbs, tbs_len);
    put(b, ext_len, 2);
    if (ext_len)
        sw_buf_add(b, ext, ext_len);
    return 0;
}

static int verify_scts(X509 *leaf, X509 *issuer, const struct sw_sigstore_root *root,
                       struct sw_error *err)
{
    STACK_OF(SCT) *scts = X509_get_ext_d2i(leaf, NID_ct_precert_scts, NULL, NULL);
    X509 *pre = NULL;
    unsigned char *tbs = NULL, *spki = NULL;
    int tbs_len = -1, spki_len = -1, rc = -1;
    size_t unknown = 0, bad = 0;
    const char *bad_log = NULL;
    unsigned char ikh[32];
    if (!scts || sk_SCT_num(scts) <= 0) {
        sw_error_set(err, SW_EXIT_VERIFY, "certificate has no embedded SCT");
        goto out;
    }
    if (sk_SCT_num(scts) > SW_SIG_MAX_SCTS) {
        sw_error_set(err, SW_EXIT_VERIFY, "certificate has more than %d SCTs", SW_SIG_MAX_SCTS);
        goto out;
    }
    /* the precertificate TBS: the leaf's TBSCertificate without the SCT list extension */
    pre = X509_dup(leaf);
    int at = pre ? X509_get_ext_by_NID(pre, NID_ct_precert_scts, -1) : -1;
    if (at < 0) {
        sw_error_set(err, SW_EXIT_VERIFY, "certificate SCT list cannot be removed");
        goto out;
    }
    X509_EXTENSION_free(X509_delete_ext(pre, at));
    tbs_len = i2d_re_X509_tbs(pre, &tbs);
    spki_len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(issuer), &spki);
    if (tbs_len <= 0 || spki_len <= 0) {
        sw_error_set(err, SW_EXIT_VERIFY, "certificate cannot be re-encoded for its SCT");
        goto out;
    }
    sw_sig_sha256(spki, (size_t)spki_len, ikh);
    for (int i = 0; i < sk_SCT_num(scts); i++) {
        SCT *sct = sk_SCT_value(scts, i);
        unsigned char *id = NULL, *sig = NULL;
        size_t id_len = SCT_get0_log_id(sct, &id);
        const struct sw_sig_log *log =
            SCT_get_version(sct) == SCT_VERSION_V1
                ? sw_sig_log_find(root->ctlogs, root->nctlogs, id, id_len)
                : NULL;
        long long when = (long long)(SCT_get_timestamp(sct) / 1000);
        if (!log || !sw_sig_window(log->start, true, log->end, log->has_end, when)) {
            unknown++;
            continue;
        }
        struct sw_buf data = SW_BUF_INIT;
        size_t sig_len = SCT_get0_signature(sct, &sig);
        int ok = sct_data(sct, tbs, (size_t)tbs_len, ikh, &data) == 0 &&
                 sw_sig_verify(log->key, EVP_sha256(), sig, sig_len,
                               (const unsigned char *)data.data, data.len);
        sw_buf_free(&data);
        if (ok) {
            rc = 0;
            goto out;
        }
        bad++;
        bad_log = log->base_url;
    }
    if (bad)
        sw_error_set(err, SW_EXIT_VERIFY, "certificate SCT from %s does not verify",
                     bad_log ? bad_log : "a CT log of the trusted root");
    else
        sw_error_set(err, SW_EXIT_VERIFY,
                     "certificate has no SCT from a CT log of the trusted root valid at its time "
                     "(%zu from unknown logs)",
                     unknown);
out:
    OPENSSL_free(tbs);
    OPENSSL_free(spki);
    X509_free(pre);
    SCT_LIST_free(scts);
    ERR_clear_error();
    return rc;
}

/* ---- the leaf at the signing time ---- */

int sw_sig_cert_verify(X509 *leaf, const struct sw_sigstore_root *root, long long t,
                       struct sw_error *err)
{
    char ts[32], nb_s[32], na_s[32], why[256] = "";
    long long nb, na;
    X509 *issuer = NULL;
    size_t tried = 0;
    sw_time_format(t, ts, sizeof(ts));
    if (asn1_time(X509_get0_notBefore(leaf), &nb) < 0 ||
        asn1_time(X509_get0_notAfter(leaf), &na) < 0)
        return sw_error_set(err, SW_EXIT_VERIFY, "certificate validity cannot be read");
    if (t < nb || t > na) {
        sw_time_format(nb, nb_s, sizeof(nb_s));
        sw_time_format(na, na_s, sizeof(na_s));
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "signing time %s is outside the certificate validity %s to %s", ts,
                            nb_s, na_s);
    }
    for (size_t i = 0; i < root->ncas && !issuer; i++) {
        const struct sw_sig_ca *ca = &root->cas[i];
        if (!sw_sig_window(ca->start, ca->has_start, ca->end, ca->has_end, t))
            continue;
        tried++;
        why[0] = '\0';
        chain_to(leaf, ca, t, &issuer, why, sizeof(why));
    }
    if (!tried)
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "no certificate authority of the trusted root is valid at the "
                            "signing time %s",
                            ts);
    if (!issuer)
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "certificate chain does not verify at the signing time %s: %s", ts,
                            why);
    uint32_t ku = X509_get_key_usage(leaf), xku = X509_get_extended_key_usage(leaf);
    int rc = 0;
    if (ku == UINT32_MAX || !(ku & KU_DIGITAL_SIGNATURE))
        rc = sw_error_set(err, SW_EXIT_VERIFY, "certificate key usage lacks digital signature");
    else if (xku == UINT32_MAX || !(xku & XKU_CODE_SIGN))
        rc = sw_error_set(err, SW_EXIT_VERIFY,
                          "certificate is not for code signing (extended "
                          "key usage)");
    else
        rc = verify_scts(leaf, issuer, root, err);
    X509_free(issuer);
    return rc;
}

/* ---- identity ---- */

static int asn1_copy(const ASN1_STRING *s, char **out)
{
    const unsigned char *d = ASN1_STRING_get0_data(s);
    int n = ASN1_STRING_length(s);
    if (!d || n < 0 || memchr(d, '\0', (size_t)n))
        return -1;
    *out = sw_xstrndup((const char *)d, (size_t)n);
    return 0;
}

/* The extension `oid` as a string: a DER UTF8String (.1.8 and later) or raw bytes (.1.1 to
 * .1.6). Absent leaves *out NULL. */
static int ext_string(X509 *leaf, const char *oid, bool der, char **out, struct sw_error *err)
{
    ASN1_OBJECT *obj = OBJ_txt2obj(oid, 1);
    int at = obj ? X509_get_ext_by_OBJ(leaf, obj, -1) : -1;
    int again = at >= 0 ? X509_get_ext_by_OBJ(leaf, obj, at) : -1;
    ASN1_OBJECT_free(obj);
    *out = NULL;
    if (at < 0)
        return 0;
    if (again >= 0)
        return sw_error_set(err, SW_EXIT_VERIFY, "certificate extension %s appears twice", oid);
    const ASN1_OCTET_STRING *v = X509_EXTENSION_get_data(X509_get_ext(leaf, at));
    const unsigned char *p = ASN1_STRING_get0_data(v);
    long n = ASN1_STRING_length(v);
    int bad;
    if (der) {
        const unsigned char *q = p;
        ASN1_UTF8STRING *s = d2i_ASN1_UTF8STRING(NULL, &q, n);
        bad = !s || q != p + n || asn1_copy(s, out) < 0;
        ASN1_UTF8STRING_free(s);
    } else {
        bad = asn1_copy(v, out) < 0;
    }
    ERR_clear_error();
    if (bad)
        return sw_error_set(err, SW_EXIT_VERIFY, "certificate extension %s is malformed", oid);
    return 0;
}

static int read_san(X509 *leaf, char **out, struct sw_error *err)
{
    GENERAL_NAMES *names = X509_get_ext_d2i(leaf, NID_subject_alt_name, NULL, NULL);
    int rc = -1;
    if (!names || sk_GENERAL_NAME_num(names) != 1) {
        sw_error_set(err, SW_EXIT_VERIFY,
                     "certificate must have exactly one subject alternative name");
        goto out;
    }
    GENERAL_NAME *gn = sk_GENERAL_NAME_value(names, 0);
    const ASN1_STRING *s = NULL;
    ASN1_OBJECT *user = OBJ_txt2obj(OID_USERNAME, 1);
    if (gn->type == GEN_URI)
        s = gn->d.uniformResourceIdentifier;
    else if (gn->type == GEN_EMAIL)
        s = gn->d.rfc822Name;
    else if (gn->type == GEN_OTHERNAME && user && OBJ_cmp(gn->d.otherName->type_id, user) == 0 &&
             gn->d.otherName->value->type == V_ASN1_UTF8STRING)
        s = gn->d.otherName->value->value.utf8string;
    ASN1_OBJECT_free(user);
    if (!s || asn1_copy(s, out) < 0) {
        sw_error_set(err, SW_EXIT_VERIFY,
                     "certificate subject alternative name is not a URI, email or username");
        goto out;
    }
    rc = 0;
out:
    GENERAL_NAMES_free(names);
    ERR_clear_error();
    return rc;
}

void sw_sig_identity_clear(struct sw_sig_identity *id)
{
    free(id->san);
    free(id->issuer);
    free(id->source_repository);
    free(id->source_digest);
    free(id->source_ref);
    memset(id, 0, sizeof(*id));
}

int sw_sig_identity_read(X509 *leaf, struct sw_sig_identity *id, struct sw_error *err)
{
    char *legacy = NULL;
    memset(id, 0, sizeof(*id));
    if (read_san(leaf, &id->san, err) < 0 ||
        ext_string(leaf, OID_ISSUER_V2, true, &id->issuer, err) < 0 ||
        ext_string(leaf, OID_ISSUER_V1, false, &legacy, err) < 0 ||
        ext_string(leaf, OID_SOURCE_REPOSITORY, true, &id->source_repository, err) < 0 ||
        ext_string(leaf, OID_SOURCE_DIGEST, true, &id->source_digest, err) < 0 ||
        ext_string(leaf, OID_SOURCE_REF, true, &id->source_ref, err) < 0)
        goto fail;
    if (id->issuer && legacy && strcmp(id->issuer, legacy) != 0) {
        sw_error_set(err, SW_EXIT_VERIFY,
                     "certificate names two different issuers (extensions %s and %s)",
                     OID_ISSUER_V2, OID_ISSUER_V1);
        goto fail;
    }
    if (!id->issuer) {
        id->issuer = legacy;
        legacy = NULL;
    }
    free(legacy);
    return 0;
fail:
    free(legacy);
    sw_sig_identity_clear(id);
    return -1;
}
