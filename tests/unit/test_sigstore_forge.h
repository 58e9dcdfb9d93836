/* A Sigstore instance made at test time with OpenSSL, for what the real fixtures do not cover:
 * the keys and certificates (a test root CA and Fulcio-like intermediate, a rogue CA, a Rekor log
 * key, CT log keys), the Fulcio leaf with its SCT, the trusted_root.json that trusts them, and
 * JSON editing by path. Bundles are made by test_sigstore_forge_bundle.h. */
#ifndef TEST_SIGSTORE_FORGE_H
#define TEST_SIGSTORE_FORGE_H

#include <cjson/cJSON.h>
#include <openssl/ct.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "sigstore/sigstore.h"
#include "sigstore/internal.h"

#define FORGE static __attribute__((unused))

#define FORGE_T0 1750000000LL /* 2025-06-15T15:06:40Z: the test leaf's notBefore */
#define FORGE_GH "https://token.actions.githubusercontent.com"
#define FORGE_MONO "https://github.com/wasmCloud/wasmCloud"
#define FORGE_SAN FORGE_MONO "/.github/workflows/release-tag.yml@refs/heads/main"

/* The wash binaries a release attests: one subject each. */
static const char *const forge_binaries[] = {
    "wash-aarch64-apple-darwin",        "wash-aarch64-unknown-linux-gnu",
    "wash-aarch64-unknown-linux-musl",  "wash-riscv64gc-unknown-linux-gnu",
    "wash-s390x-unknown-linux-gnu",     "wash-x86_64-apple-darwin",
    "wash-x86_64-pc-windows-msvc.exe",  "wash-x86_64-pc-windows-msvc.zip",
    "wash-x86_64-unknown-linux-gnu",    "wash-x86_64-unknown-linux-musl",
    "wash-aarch64-pc-windows-msvc.zip", "wash-armv7-unknown-linux-gnueabihf",
};
#define FORGE_NBIN (sizeof(forge_binaries) / sizeof(forge_binaries[0]))

struct forge_keys {
    EVP_PKEY *root_key, *inter_key, *old_key, *rogue_key, *rekor_key, *ct_key, *other_ct_key;
    X509 *root, *inter, *old_inter, *rogue; /* old_inter expired a day before FORGE_T0 */
    unsigned char rekor_id[32], ct_id[32], other_ct_id[32];
};

struct forge_opts {
    const char *san, *issuer, *source_repo, *source_ref;
    bool san_email;
    int leaf_bits;          /* 256 (default) or 384 */
    const char *kind;       /* "dsse" (default) or "intoto" */
    int minor;              /* 3 (default: certificate); 1 or 2: a 3-certificate chain */
    const char *media_type; /* overrides the one of `minor` */
    bool no_sct, sct_other_log, sct_bad;
    bool rogue_issuer;     /* the leaf is issued by a CA the root does not know */
    bool old_issuer;       /* the leaf is issued by old_inter (trusted, but expired at FORGE_T0) */
    bool body_cert_other;  /* the log entry names another certificate than the bundle's */
    bool chain_junk;       /* minor < 3: the chain's certificates after the leaf are junk */
    bool issuer_v1_only;   /* only the legacy issuer extension (1.1), not 1.8 */
    const char *issuer_v1; /* the legacy issuer extension's value, when it differs */
    bool no_codesign;
    bool no_digital_signature; /* key usage keyEncipherment only */
    long long time_offset;     /* integratedTime = FORGE_T0 + 60 + time_offset */
    const char *payload_type, *statement_type, *predicate;
    size_t nsubjects;           /* of forge_binaries; 0 means all */
    bool witness_first;         /* a witness cosignature line before the log's */
    const char *note_name;      /* the checkpoint signer name (default: the origin's host) */
    long long tree_size, index; /* default 13 and 6 */
    bool tsa;                   /* add an (unverifiable) RFC 3161 timestamp */
    bool two_sigs;
    bool message; /* a message signature over forge_binaries[0] (hashedrekord), not DSSE */
    bool bad_sig; /* the envelope or message signature is by another key (logged as it is) */
};

struct forge_root_opts {
    long long ca_start, ca_end; /* 0: defaults (T0 - 1 year, open) */
    long long rekor_end;        /* 0: open */
    long long ct_end;           /* 0: open; the SCT is from FORGE_T0 + 1 */
    bool no_ctlogs;
    bool old_ca; /* also trust [old_inter, root], with a validFor that contains FORGE_T0 */
};

/* ---- small helpers ---- */

FORGE void forge_digest(const char *name, unsigned char out[32])
{
    char *text = sw_xasprintf("contents of %s", name);
    sw_sig_sha256(text, strlen(text), out);
    free(text);
}

FORGE EVP_PKEY *forge_key(int bits)
{
    return EVP_EC_gen(bits == 384 ? "P-384" : "P-256");
}

FORGE void forge_key_id(EVP_PKEY *k, unsigned char out[32])
{
    unsigned char *der = NULL;
    int n = i2d_PUBKEY(k, &der);
    sw_sig_sha256(der, (size_t)n, out);
    OPENSSL_free(der);
}

FORGE char *forge_b64_der_key(EVP_PKEY *k)
{
    unsigned char *der = NULL;
    int n = i2d_PUBKEY(k, &der);
    char *s = sw_sig_b64_encode(der, (size_t)n);
    OPENSSL_free(der);
    return s;
}

FORGE char *forge_b64_cert(X509 *x)
{
    unsigned char *der = NULL;
    int n = i2d_X509(x, &der);
    char *s = sw_sig_b64_encode(der, (size_t)n);
    OPENSSL_free(der);
    return s;
}

FORGE char *forge_b64_pem(X509 *x)
{
    BIO *b = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(b, x);
    char *p;
    long n = BIO_get_mem_data(b, &p);
    char *s = sw_sig_b64_encode((unsigned char *)p, (size_t)n);
    BIO_free(b);
    return s;
}

FORGE unsigned char *forge_sign(EVP_PKEY *k, const EVP_MD *md, const void *data, size_t len,
                                size_t *siglen)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned char *sig = NULL;
    *siglen = 0;
    if (EVP_DigestSignInit(ctx, NULL, md, NULL, k) == 1 &&
        EVP_DigestSign(ctx, NULL, siglen, data, len) == 1) {
        sig = sw_xmalloc(*siglen);
        if (EVP_DigestSign(ctx, sig, siglen, data, len) != 1)
            *siglen = 0;
    }
    EVP_MD_CTX_free(ctx);
    return sig;
}

FORGE void forge_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer ? issuer : x, x, NULL, NULL, 0);
    X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    X509_add_ext(x, e, -1);
    X509_EXTENSION_free(e);
}

/* A Fulcio extension: a DER UTF8String (der) or the raw bytes. */
FORGE void forge_oid_ext(X509 *x, const char *oid, const char *value, bool der)
{
    ASN1_OBJECT *obj = OBJ_txt2obj(oid, 1);
    ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
    if (der) {
        ASN1_UTF8STRING *u = ASN1_UTF8STRING_new();
        ASN1_STRING_set(u, value, (int)strlen(value));
        unsigned char *enc = NULL;
        int n = i2d_ASN1_UTF8STRING(u, &enc);
        ASN1_OCTET_STRING_set(os, enc, n);
        OPENSSL_free(enc);
        ASN1_UTF8STRING_free(u);
    } else {
        ASN1_OCTET_STRING_set(os, (const unsigned char *)value, (int)strlen(value));
    }
    X509_EXTENSION *e = X509_EXTENSION_create_by_OBJ(NULL, obj, 0, os);
    X509_add_ext(x, e, -1);
    X509_EXTENSION_free(e);
    ASN1_OCTET_STRING_free(os);
    ASN1_OBJECT_free(obj);
}

FORGE X509 *forge_cert(EVP_PKEY *key, const char *cn, X509 *issuer, EVP_PKEY *issuer_key,
                       long long nb, long long na, long serial)
{
    X509 *x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
    ASN1_TIME_set(X509_getm_notBefore(x), (time_t)nb);
    ASN1_TIME_set(X509_getm_notAfter(x), (time_t)na);
    X509_set_pubkey(x, key);
    X509_NAME *name = X509_get_subject_name(x);
    if (cn) {
        X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const unsigned char *)"sigstore.test",
                                   -1, -1, 0);
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
    }
    X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name);
    (void)issuer_key;
    return x;
}

FORGE X509 *forge_ca_at(EVP_PKEY *key, const char *cn, X509 *issuer, EVP_PKEY *issuer_key,
                        long serial, long long nb, long long na)
{
    X509 *x = forge_cert(key, cn, issuer, issuer_key, nb, na, serial);
    forge_ext(x, issuer, NID_basic_constraints,
              issuer ? "critical,CA:TRUE,pathlen:0" : "critical,CA:TRUE,pathlen:1");
    forge_ext(x, issuer, NID_key_usage, "critical,keyCertSign,cRLSign");
    forge_ext(x, issuer, NID_subject_key_identifier, "hash");
    if (issuer)
        forge_ext(x, issuer, NID_ext_key_usage, "codeSigning");
    X509_sign(x, issuer_key ? issuer_key : key, EVP_sha384());
    return x;
}

FORGE X509 *forge_ca(EVP_PKEY *key, const char *cn, X509 *issuer, EVP_PKEY *issuer_key, long serial)
{
    return forge_ca_at(key, cn, issuer, issuer_key, serial, FORGE_T0 - 365 * 86400LL,
                       FORGE_T0 + 3650 * 86400LL);
}

FORGE void forge_keys_make(struct forge_keys *k)
{
    memset(k, 0, sizeof(*k));
    k->root_key = forge_key(384);
    k->inter_key = forge_key(384);
    k->rogue_key = forge_key(256);
    k->old_key = forge_key(256);
    k->rekor_key = forge_key(256);
    k->ct_key = forge_key(256);
    k->other_ct_key = forge_key(256);
    k->root = forge_ca(k->root_key, "sigstore-test", NULL, NULL, 1);
    k->inter = forge_ca(k->inter_key, "sigstore-test-intermediate", k->root, k->root_key, 2);
    k->rogue = forge_ca(k->rogue_key, "sigstore-test-intermediate", NULL, NULL, 3);
    k->old_inter = forge_ca_at(k->old_key, "sigstore-test-intermediate-old", k->root, k->root_key,
                               4, FORGE_T0 - 730 * 86400LL, FORGE_T0 - 86400LL);
    forge_key_id(k->rekor_key, k->rekor_id);
    forge_key_id(k->ct_key, k->ct_id);
    forge_key_id(k->other_ct_key, k->other_ct_id);
}

FORGE void forge_keys_free(struct forge_keys *k)
{
    EVP_PKEY_free(k->root_key);
    EVP_PKEY_free(k->inter_key);
    EVP_PKEY_free(k->rogue_key);
    EVP_PKEY_free(k->old_key);
    X509_free(k->old_inter);
    EVP_PKEY_free(k->rekor_key);
    EVP_PKEY_free(k->ct_key);
    EVP_PKEY_free(k->other_ct_key);
    X509_free(k->root);
    X509_free(k->inter);
    X509_free(k->rogue);
}

/* ---- the trusted root ---- */

FORGE cJSON *forge_log_json(const char *url, EVP_PKEY *key, const unsigned char id[32],
                            long long start, long long end)
{
    char t[32];
    cJSON *log = cJSON_CreateObject(), *pk = cJSON_AddObjectToObject(log, "publicKey");
    cJSON_AddStringToObject(log, "baseUrl", url);
    cJSON_AddStringToObject(log, "hashAlgorithm", "SHA2_256");
    char *der = forge_b64_der_key(key), *kid = sw_sig_b64_encode(id, 32);
    cJSON_AddStringToObject(pk, "rawBytes", der);
    cJSON_AddStringToObject(pk, "keyDetails", "PKIX_ECDSA_P256_SHA_256");
    cJSON *vf = cJSON_AddObjectToObject(pk, "validFor");
    sw_time_format(start, t, sizeof(t));
    cJSON_AddStringToObject(vf, "start", t);
    if (end) {
        sw_time_format(end, t, sizeof(t));
        cJSON_AddStringToObject(vf, "end", t);
    }
    cJSON_AddStringToObject(cJSON_AddObjectToObject(log, "logId"), "keyId", kid);
    free(der);
    free(kid);
    return log;
}

FORGE char *forge_root_json(const struct forge_keys *k, const struct forge_root_opts *o)
{
    char t[32];
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "mediaType",
                            "application/vnd.dev.sigstore.trustedroot+json;version=0.1");
    cJSON *tlogs = cJSON_AddArrayToObject(root, "tlogs");
    cJSON_AddItemToArray(tlogs, forge_log_json("https://rekor.test", k->rekor_key, k->rekor_id,
                                               FORGE_T0 - 365 * 86400LL, o ? o->rekor_end : 0));
    cJSON *cas = cJSON_AddArrayToObject(root, "certificateAuthorities");
    cJSON *ca = cJSON_CreateObject();
    cJSON_AddStringToObject(ca, "uri", "https://fulcio.test");
    cJSON *certs = cJSON_AddArrayToObject(cJSON_AddObjectToObject(ca, "certChain"), "certificates");
    X509 *chain[2] = {k->inter, k->root};
    for (int i = 0; i < 2; i++) {
        cJSON *c = cJSON_CreateObject();
        char *b64 = forge_b64_cert(chain[i]);
        cJSON_AddStringToObject(c, "rawBytes", b64);
        free(b64);
        cJSON_AddItemToArray(certs, c);
    }
    cJSON *vf = cJSON_AddObjectToObject(ca, "validFor");
    sw_time_format(o && o->ca_start ? o->ca_start : FORGE_T0 - 365 * 86400LL, t, sizeof(t));
    cJSON_AddStringToObject(vf, "start", t);
    if (o && o->ca_end) {
        sw_time_format(o->ca_end, t, sizeof(t));
        cJSON_AddStringToObject(vf, "end", t);
    }
    cJSON_AddItemToArray(cas, ca);
    if (o && o->old_ca) {
        cJSON *old = cJSON_CreateObject();
        cJSON *oc =
            cJSON_AddArrayToObject(cJSON_AddObjectToObject(old, "certChain"), "certificates");
        X509 *ochain[2] = {k->old_inter, k->root};
        for (int i = 0; i < 2; i++) {
            cJSON *c = cJSON_CreateObject();
            char *b64 = forge_b64_cert(ochain[i]);
            cJSON_AddStringToObject(c, "rawBytes", b64);
            free(b64);
            cJSON_AddItemToArray(oc, c);
        }
        cJSON_AddItemToArray(cas, old);
    }
    if (!o || !o->no_ctlogs) {
        cJSON *ct = cJSON_AddArrayToObject(root, "ctlogs");
        cJSON_AddItemToArray(ct, forge_log_json("https://ctfe.test", k->ct_key, k->ct_id,
                                                FORGE_T0 - 365 * 86400LL, o ? o->ct_end : 0));
    }
    char *s = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    return s;
}

/* ---- the leaf certificate, with its SCT ---- */

FORGE void forge_add_sct(X509 *leaf, X509 *issuer, EVP_PKEY *issuer_key, EVP_PKEY *ct_key,
                         const unsigned char ct_id[32], bool bad)
{
    /* sign the leaf once so that its TBS carries the signature algorithm, as the final one will */
    X509_sign(leaf, issuer_key, EVP_sha384());
    unsigned char *tbs = NULL, *spki = NULL, ikh[32];
    int tbs_len = i2d_re_X509_tbs(leaf, &tbs);
    int spki_len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(issuer), &spki);
    sw_sig_sha256(spki, (size_t)spki_len, ikh);
    uint64_t ts = (uint64_t)(FORGE_T0 + 1) * 1000;
    struct sw_buf d = SW_BUF_INIT;
    unsigned char head[12] = {0, 0};
    for (int i = 0; i < 8; i++)
        head[2 + i] = (unsigned char)(ts >> (56 - 8 * i));
    head[10] = 0;
    head[11] = 1;
    sw_buf_add(&d, head, 12);
    sw_buf_add(&d, ikh, 32);
    unsigned char l3[3] = {(unsigned char)(tbs_len >> 16), (unsigned char)(tbs_len >> 8),
                           (unsigned char)tbs_len};
    sw_buf_add(&d, l3, 3);
    sw_buf_add(&d, tbs, (size_t)tbs_len);
    unsigned char l2[2] = {0, 0};
    sw_buf_add(&d, l2, 2);
    size_t siglen;
    unsigned char *sig = forge_sign(ct_key, EVP_sha256(), d.data, d.len, &siglen);
    if (bad)
        sig[siglen - 1] ^= 1;
    SCT *sct = SCT_new();
    SCT_set_version(sct, SCT_VERSION_V1);
    SCT_set_log_entry_type(sct, CT_LOG_ENTRY_TYPE_PRECERT);
    SCT_set1_log_id(sct, ct_id, 32);
    SCT_set_timestamp(sct, ts);
    SCT_set_signature_nid(sct, NID_ecdsa_with_SHA256);
    SCT_set1_signature(sct, sig, siglen);
    STACK_OF(SCT) *list = sk_SCT_new_null();
    sk_SCT_push(list, sct);
    X509_add1_ext_i2d(leaf, NID_ct_precert_scts, list, 0, X509V3_ADD_APPEND);
    SCT_LIST_free(list);
    free(sig);
    sw_buf_free(&d);
    OPENSSL_free(tbs);
    OPENSSL_free(spki);
}

FORGE X509 *forge_leaf(const struct forge_keys *k, const struct forge_opts *o, EVP_PKEY *key)
{
    X509 *issuer = o->rogue_issuer ? k->rogue : o->old_issuer ? k->old_inter : k->inter;
    EVP_PKEY *ikey = o->rogue_issuer ? k->rogue_key : o->old_issuer ? k->old_key : k->inter_key;
    X509 *x = forge_cert(key, NULL, issuer, ikey, FORGE_T0, FORGE_T0 + 600, 1000);
    forge_ext(x, issuer, NID_key_usage,
              o->no_digital_signature ? "critical,keyEncipherment" : "critical,digitalSignature");
    forge_ext(x, issuer, NID_ext_key_usage, o->no_codesign ? "emailProtection" : "codeSigning");
    forge_ext(x, issuer, NID_subject_key_identifier, "hash");
    forge_ext(x, issuer, NID_authority_key_identifier, "keyid");
    char *san =
        sw_xasprintf("critical,%s:%s", o->san_email ? "email" : "URI", o->san ? o->san : FORGE_SAN);
    forge_ext(x, issuer, NID_subject_alt_name, san);
    free(san);
    const char *issuer_uri = o->issuer ? o->issuer : FORGE_GH;
    forge_oid_ext(x, "1.3.6.1.4.1.57264.1.1", o->issuer_v1 ? o->issuer_v1 : issuer_uri, false);
    if (!o->issuer_v1_only)
        forge_oid_ext(x, "1.3.6.1.4.1.57264.1.8", issuer_uri, true);
    forge_oid_ext(x, "1.3.6.1.4.1.57264.1.11", "github-hosted", true);
    forge_oid_ext(x, "1.3.6.1.4.1.57264.1.12", o->source_repo ? o->source_repo : FORGE_MONO, true);
    forge_oid_ext(x, "1.3.6.1.4.1.57264.1.13", "0123456789abcdef0123456789abcdef01234567", true);
    forge_oid_ext(x, "1.3.6.1.4.1.57264.1.14", o->source_ref ? o->source_ref : "refs/heads/main",
                  true);
    if (!o->no_sct)
        forge_add_sct(x, issuer, ikey, o->sct_other_log ? k->other_ct_key : k->ct_key,
                      o->sct_other_log ? k->other_ct_id : k->ct_id, o->sct_bad);
    X509_sign(x, ikey, EVP_sha384());
    return x;
}

/* ---- editing JSON by path ("a.b.0.c": numbers index arrays) ---- */

/* The parent of the last path element, and that element. */
FORGE cJSON *forge_locate(cJSON *tree, const char *path, char *last, size_t n)
{
    cJSON *node = tree;
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", path);
    char *save = NULL, *seg = strtok_r(buf, ".", &save);
    while (seg) {
        char *next = strtok_r(NULL, ".", &save);
        if (!next) {
            snprintf(last, n, "%s", seg);
            return node;
        }
        node = (seg[0] >= '0' && seg[0] <= '9') ? cJSON_GetArrayItem(node, atoi(seg))
                                                : cJSON_GetObjectItemCaseSensitive(node, seg);
        assert_non_null(node);
        seg = next;
    }
    return NULL;
}

FORGE void forge_put(cJSON *parent, const char *key, cJSON *item)
{
    if (cJSON_IsArray(parent))
        assert_true(cJSON_ReplaceItemInArray(parent, atoi(key), item));
    else if (cJSON_GetObjectItemCaseSensitive(parent, key))
        assert_true(cJSON_ReplaceItemInObjectCaseSensitive(parent, key, item));
    else
        cJSON_AddItemToObject(parent, key, item);
}

#endif
