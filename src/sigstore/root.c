/* The Sigstore trusted root (trusted_root.json): Rekor logs, Fulcio CAs, CT logs and timestamp
 * authorities with their validity windows, parsed into typed structs with OpenSSL keys. */
#include "sigstore/internal.h"

#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "io/fs.h"

#define TRUSTED_ROOT_MEDIA_TYPE "application/vnd.dev.sigstore.trustedroot"

static void log_clear(struct sw_sig_log *l)
{
    free(l->base_url);
    free(l->key_details);
    free(l->log_id);
    EVP_PKEY_free(l->key);
}

static void ca_clear(struct sw_sig_ca *c)
{
    free(c->uri);
    for (size_t i = 0; i < c->ncerts; i++)
        X509_free(c->certs[i]);
    free(c->certs);
}

void sw_sigstore_root_free(struct sw_sigstore_root *root)
{
    if (!root)
        return;
    for (size_t i = 0; i < root->ntlogs; i++)
        log_clear(&root->tlogs[i]);
    for (size_t i = 0; i < root->nctlogs; i++)
        log_clear(&root->ctlogs[i]);
    for (size_t i = 0; i < root->ncas; i++)
        ca_clear(&root->cas[i]);
    for (size_t i = 0; i < root->ntsas; i++)
        ca_clear(&root->tsas[i]);
    free(root->tlogs);
    free(root->ctlogs);
    free(root->cas);
    free(root->tsas);
    free(root);
}

/* Names from the root end up in messages: kept sanitised. */
static char *dup_or_null(const char *s)
{
    return s ? sw_sanitize_dup(s) : NULL;
}

/* validFor {start, end}: RFC 3339 strings, end inclusive. */
static int parse_window(const struct sw_sig_json *j, const cJSON *obj, const char *where,
                        bool start_required, long long *start, bool *has_start, long long *end,
                        bool *has_end)
{
    const cJSON *vf;
    const char *s = NULL, *e = NULL;
    *has_start = *has_end = false;
    *start = *end = 0;
    if (sw_sig_obj(j, obj, where, "validFor", start_required, &vf) < 0)
        return -1;
    if (!vf)
        return 0;
    char sub[128];
    snprintf(sub, sizeof(sub), "%s.validFor", where);
    if (sw_sig_str(j, vf, sub, "start", start_required, &s) < 0 ||
        sw_sig_str(j, vf, sub, "end", false, &e) < 0)
        return -1;
    if (s) {
        if (sw_time_parse(s, true, start) < 0)
            return sw_error_set(j->err, j->code, "%s: %s.start is not an RFC 3339 time", j->what,
                                sub);
        *has_start = true;
    }
    if (e) {
        if (sw_time_parse(e, false, end) < 0)
            return sw_error_set(j->err, j->code, "%s: %s.end is not an RFC 3339 time", j->what,
                                sub);
        *has_end = true;
    }
    return 0;
}

static EVP_PKEY *decode_key(const unsigned char *der, size_t len, const char *details)
{
    const unsigned char *p = der;
    EVP_PKEY *k = d2i_PUBKEY(NULL, &p, (long)len);
    if (k && p == der + len)
        return k;
    EVP_PKEY_free(k);
    k = NULL;
    /* the staging root's old CT key is a bare PKCS#1 RSAPublicKey, as its keyDetails says */
    if (details && strncmp(details, "PKCS1_RSA", 9) == 0) {
        p = der;
        k = d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, (long)len);
        if (k && p == der + len)
            return k;
        EVP_PKEY_free(k);
    }
    return NULL;
}

static int parse_log(const struct sw_sig_json *j, const cJSON *o, const char *where,
                     struct sw_sig_log *log)
{
    const char *url, *alg, *details;
    const cJSON *pk, *id;
    unsigned char *der = NULL;
    size_t der_len = 0;
    bool has_start;
    int rc = -1;
    char sub[96];
    if (!cJSON_IsObject(o))
        return sw_error_set(j->err, j->code, "%s: %s is not an object", j->what, where);
    if (sw_sig_str(j, o, where, "baseUrl", false, &url) < 0 ||
        sw_sig_str(j, o, where, "hashAlgorithm", false, &alg) < 0 ||
        sw_sig_obj(j, o, where, "publicKey", true, &pk) < 0 ||
        sw_sig_obj(j, o, where, "logId", true, &id) < 0)
        return -1;
    if (alg && strcmp(alg, "SHA2_256") != 0)
        return sw_error_set(j->err, j->code, "%s: %s.hashAlgorithm '%.40s' is not SHA2_256",
                            j->what, where, alg);
    snprintf(sub, sizeof(sub), "%s.logId", where);
    if (sw_sig_b64(j, id, sub, "keyId", true, 64, &log->log_id, &log->log_id_len) < 0)
        return -1;
    snprintf(sub, sizeof(sub), "%s.publicKey", where);
    if (sw_sig_str(j, pk, sub, "keyDetails", false, &details) < 0 ||
        sw_sig_b64(j, pk, sub, "rawBytes", true, 16384, &der, &der_len) < 0 ||
        parse_window(j, pk, sub, true, &log->start, &has_start, &log->end, &log->has_end) < 0)
        goto out;
    log->key = decode_key(der, der_len, details);
    if (!log->key) {
        sw_error_set(j->err, j->code, "%s: %s.rawBytes is not a public key", j->what, sub);
        goto out;
    }
    log->base_url = dup_or_null(url);
    log->key_details = dup_or_null(details);
    rc = 0;
out:
    free(der);
    return rc;
}

static int parse_ca(const struct sw_sig_json *j, const cJSON *o, const char *where,
                    struct sw_sig_ca *ca)
{
    const char *uri;
    const cJSON *chain, *certs;
    size_t n;
    char sub[96];
    if (!cJSON_IsObject(o))
        return sw_error_set(j->err, j->code, "%s: %s is not an object", j->what, where);
    if (sw_sig_str(j, o, where, "uri", false, &uri) < 0 ||
        sw_sig_obj(j, o, where, "certChain", true, &chain) < 0 ||
        parse_window(j, o, where, false, &ca->start, &ca->has_start, &ca->end, &ca->has_end) < 0)
        return -1;
    snprintf(sub, sizeof(sub), "%s.certChain", where);
    if (sw_sig_arr(j, chain, sub, "certificates", true, SW_SIG_MAX_CHAIN, &certs, &n) < 0)
        return -1;
    if (n == 0)
        return sw_error_set(j->err, j->code, "%s: %s.certificates is empty", j->what, sub);
    ca->uri = dup_or_null(uri);
    ca->certs = sw_xcalloc(n, sizeof(*ca->certs));
    for (const cJSON *c = certs->child; c; c = c->next) {
        unsigned char *der = NULL;
        size_t len;
        snprintf(sub, sizeof(sub), "%s.certChain.certificates[%zu]", where, ca->ncerts);
        if (!cJSON_IsObject(c))
            return sw_error_set(j->err, j->code, "%s: %s is not an object", j->what, sub);
        if (sw_sig_b64(j, c, sub, "rawBytes", true, SW_SIG_MAX_CERT, &der, &len) < 0)
            return -1;
        const unsigned char *p = der;
        X509 *x = d2i_X509(NULL, &p, (long)len);
        bool whole = x && p == der + len;
        free(der);
        if (!whole) {
            X509_free(x);
            return sw_error_set(j->err, j->code, "%s: %s.rawBytes is not a DER certificate",
                                j->what, sub);
        }
        ca->certs[ca->ncerts++] = x;
    }
    return 0;
}

/* Parses the array `key` of the root with one of the two element parsers. */
static int parse_logs(const struct sw_sig_json *j, const cJSON *root, const char *key,
                      struct sw_sig_log **out, size_t *nout)
{
    const cJSON *arr;
    size_t n;
    if (sw_sig_arr(j, root, "", key, false, SW_SIG_MAX_LOGS, &arr, &n) < 0)
        return -1;
    *out = n ? sw_xcalloc(n, sizeof(**out)) : NULL;
    for (const cJSON *c = arr ? arr->child : NULL; c; c = c->next) {
        char where[32];
        snprintf(where, sizeof(where), "%s[%zu]", key, *nout);
        /* counted before parsing so that a half-parsed element is freed with the rest */
        if (parse_log(j, c, where, &(*out)[(*nout)++]) < 0)
            return -1;
    }
    return 0;
}

static int parse_cas(const struct sw_sig_json *j, const cJSON *root, const char *key,
                     struct sw_sig_ca **out, size_t *nout)
{
    const cJSON *arr;
    size_t n;
    if (sw_sig_arr(j, root, "", key, false, SW_SIG_MAX_LOGS, &arr, &n) < 0)
        return -1;
    *out = n ? sw_xcalloc(n, sizeof(**out)) : NULL;
    for (const cJSON *c = arr ? arr->child : NULL; c; c = c->next) {
        char where[48];
        snprintf(where, sizeof(where), "%s[%zu]", key, *nout);
        if (parse_ca(j, c, where, &(*out)[(*nout)++]) < 0)
            return -1;
    }
    return 0;
}

int sw_sigstore_root_load_json(const char *text, size_t len, const char *name,
                               struct sw_sigstore_root **out, struct sw_error *err)
{
    struct sw_sigstore_root *root = NULL;
    cJSON *json = NULL;
    const char *media;
    char what[300], shown[256];
    int rc = -1;
    *out = NULL;
    sw_sanitize(shown, sizeof(shown), name);
    snprintf(what, sizeof(what), "trusted root '%s'", shown);
    struct sw_sig_json j = {what, SW_EXIT_USAGE, err};
    if (len > SW_SIG_MAX_ROOT) {
        sw_error_set(err, SW_EXIT_USAGE, "%s: larger than %u bytes", what, SW_SIG_MAX_ROOT);
        goto out;
    }
    json = sw_sig_parse(text, len);
    if (!json || !cJSON_IsObject(json)) {
        sw_error_set(err, SW_EXIT_USAGE, "%s: not a JSON object", what);
        goto out;
    }
    if (sw_sig_unique_keys(&j, json) < 0 || sw_sig_str(&j, json, "", "mediaType", true, &media) < 0)
        goto out;
    if (strncmp(media, TRUSTED_ROOT_MEDIA_TYPE, strlen(TRUSTED_ROOT_MEDIA_TYPE)) != 0) {
        char m[64];
        sw_sanitize(m, sizeof(m), media);
        sw_error_set(err, SW_EXIT_USAGE, "%s: media type '%s' is not a Sigstore trusted root", what,
                     m);
        goto out;
    }
    root = sw_xcalloc(1, sizeof(*root));
    if (parse_logs(&j, json, "tlogs", &root->tlogs, &root->ntlogs) < 0 ||
        parse_logs(&j, json, "ctlogs", &root->ctlogs, &root->nctlogs) < 0 ||
        parse_cas(&j, json, "certificateAuthorities", &root->cas, &root->ncas) < 0 ||
        parse_cas(&j, json, "timestampAuthorities", &root->tsas, &root->ntsas) < 0)
        goto out;
    if (root->ntlogs == 0 || root->ncas == 0) {
        sw_error_set(err, SW_EXIT_USAGE, "%s: it has no %s", what,
                     root->ntlogs == 0 ? "transparency log (tlogs)"
                                       : "certificate authority (certificateAuthorities)");
        goto out;
    }
    *out = root;
    root = NULL;
    rc = 0;
out:
    sw_sigstore_root_free(root);
    cJSON_Delete(json);
    return rc;
}

int sw_sigstore_root_load_file(const char *path, struct sw_sigstore_root **out,
                               struct sw_error *err)
{
    struct sw_buf b = SW_BUF_INIT;
    *out = NULL;
    int rc = sw_fs_read(path, SW_SIG_MAX_ROOT, &b, NULL, err);
    if (rc == 0)
        rc = sw_sigstore_root_load_json(b.data ? b.data : "", b.len, path, out, err);
    sw_buf_free(&b);
    return rc;
}

const struct sw_sig_log *sw_sig_log_find(const struct sw_sig_log *logs, size_t n,
                                         const unsigned char *id, size_t id_len)
{
    for (size_t i = 0; i < n; i++)
        if (logs[i].log_id_len == id_len && memcmp(logs[i].log_id, id, id_len) == 0)
            return &logs[i];
    return NULL;
}
