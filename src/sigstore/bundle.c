/* Sigstore bundle files: media types v0.1 to v0.3, JSON or JSON Lines, into typed structs.
 * Structural rules follow sigstore-go's Bundle.validate and the protobuf-specs comments. */
#include "sigstore/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

static const struct {
    const char *media_type;
    int minor;
} media_types[] = {
    {"application/vnd.dev.sigstore.bundle+json;version=0.1", 1},
    {"application/vnd.dev.sigstore.bundle+json;version=0.2", 2},
    {"application/vnd.dev.sigstore.bundle+json;version=0.3", 3},
    {"application/vnd.dev.sigstore.bundle.v0.3+json", 3},
};

static void entry_clear(struct sw_sig_entry *e)
{
    free(e->log_id);
    free(e->set);
    free(e->root_hash);
    free(e->hashes);
    free(e->checkpoint);
    free(e->body);
}

static void bundle_clear(struct sw_sig_bundle *b)
{
    free(b->leaf);
    for (size_t i = 0; i < b->nentries; i++)
        entry_clear(&b->entries[i]);
    free(b->entries);
    free(b->payload_type);
    free(b->payload);
    free(b->sig);
    free(b->digest);
}

void sw_sig_bundles_free(struct sw_sig_bundle *b, size_t n)
{
    for (size_t i = 0; b && i < n; i++)
        bundle_clear(&b[i]);
    free(b);
}

/* A short token (kind, version, algorithm): printable ASCII without spaces, safe in messages. */
static int copy_word(const struct sw_sig_json *j, const char *where, const char *key, const char *s,
                     char *dst, size_t n)
{
    size_t len = strlen(s);
    if (!len || len >= n)
        return sw_error_set(j->err, j->code, "%s: %s.%s is empty or too long", j->what, where, key);
    for (size_t i = 0; i < len; i++)
        if (s[i] <= ' ' || s[i] > '~')
            return sw_error_set(j->err, j->code, "%s: %s.%s has a character out of place", j->what,
                                where, key);
    memcpy(dst, s, len + 1);
    return 0;
}

static int parse_proof(const struct sw_sig_json *j, const cJSON *p, const char *where,
                       struct sw_sig_entry *e)
{
    const cJSON *hashes, *cp;
    const char *note;
    size_t n;
    char sub[96];
    if (sw_sig_int(j, p, where, "logIndex", false, &e->proof_index) < 0 ||
        sw_sig_int(j, p, where, "treeSize", true, &e->tree_size) < 0 ||
        sw_sig_b64(j, p, where, "rootHash", true, 64, &e->root_hash, &e->root_hash_len) < 0 ||
        sw_sig_arr(j, p, where, "hashes", false, SW_SIG_MAX_HASHES, &hashes, &n) < 0 ||
        sw_sig_obj(j, p, where, "checkpoint", true, &cp) < 0)
        return -1;
    snprintf(sub, sizeof(sub), "%s.checkpoint", where);
    if (sw_sig_str(j, cp, sub, "envelope", true, &note) < 0)
        return -1;
    if (!*note || strlen(note) > SW_SIG_MAX_CHECKPOINT)
        return sw_error_set(j->err, j->code, "%s: %s.envelope is empty or too long", j->what, sub);
    e->checkpoint = sw_xstrdup(note);
    e->hashes = sw_xmalloc(n ? n * 32 : 1);
    for (const cJSON *h = hashes ? hashes->child : NULL; h; h = h->next) {
        unsigned char *d = NULL;
        size_t len = 0;
        if (!cJSON_IsString(h) ||
            sw_sig_b64_decode(h->valuestring, strlen(h->valuestring), 64, &d, &len) < 0 ||
            len != 32) {
            free(d);
            return sw_error_set(j->err, j->code, "%s: %s.hashes[%zu] is not a base64 SHA-256",
                                j->what, where, e->nhashes);
        }
        memcpy(e->hashes + 32 * e->nhashes++, d, 32);
        free(d);
    }
    e->has_proof = true;
    return 0;
}

static int parse_entry(const struct sw_sig_json *j, const cJSON *o, const char *where, int minor,
                       struct sw_sig_entry *e)
{
    const cJSON *id, *kv, *promise, *proof;
    const char *kind, *version;
    char sub[80];
    if (!cJSON_IsObject(o))
        return sw_error_set(j->err, j->code, "%s: %s is not an object", j->what, where);
    if (sw_sig_int(j, o, where, "logIndex", false, &e->log_index) < 0 ||
        sw_sig_obj(j, o, where, "logId", true, &id) < 0 ||
        sw_sig_obj(j, o, where, "kindVersion", true, &kv) < 0 ||
        sw_sig_int(j, o, where, "integratedTime", false, &e->integrated_time) < 0 ||
        sw_sig_obj(j, o, where, "inclusionPromise", false, &promise) < 0 ||
        sw_sig_obj(j, o, where, "inclusionProof", false, &proof) < 0 ||
        sw_sig_b64(j, o, where, "canonicalizedBody", true, SW_SIG_MAX_PAYLOAD, &e->body,
                   &e->body_len) < 0)
        return -1;
    snprintf(sub, sizeof(sub), "%s.logId", where);
    if (sw_sig_b64(j, id, sub, "keyId", true, 64, &e->log_id, &e->log_id_len) < 0)
        return -1;
    snprintf(sub, sizeof(sub), "%s.kindVersion", where);
    if (sw_sig_str(j, kv, sub, "kind", true, &kind) < 0 ||
        sw_sig_str(j, kv, sub, "version", true, &version) < 0 ||
        copy_word(j, sub, "kind", kind, e->kind, sizeof(e->kind)) < 0 ||
        copy_word(j, sub, "version", version, e->version, sizeof(e->version)) < 0)
        return -1;
    if (promise) {
        snprintf(sub, sizeof(sub), "%s.inclusionPromise", where);
        if (sw_sig_b64(j, promise, sub, "signedEntryTimestamp", true, SW_SIG_MAX_SIG, &e->set,
                       &e->set_len) < 0)
            return -1;
    }
    if (proof) {
        snprintf(sub, sizeof(sub), "%s.inclusionProof", where);
        if (parse_proof(j, proof, sub, e) < 0)
            return -1;
    }
    if (minor == 1 && !e->set)
        return sw_error_set(j->err, j->code,
                            "%s: %s has no inclusionPromise, which a v0.1 bundle requires", j->what,
                            where);
    if (minor >= 2 && !e->has_proof)
        return sw_error_set(j->err, j->code,
                            "%s: %s has no inclusionProof, which a v0.%d bundle requires", j->what,
                            where, minor);
    return 0;
}

/* verificationMaterial: exactly one of certificate, x509CertificateChain (the leaf first; the
 * rest ignored: trust comes only from the trusted root) or publicKey; the log entries; the
 * RFC 3161 timestamps, only counted. */
static int parse_material(const struct sw_sig_json *j, const cJSON *vm, struct sw_sig_bundle *b)
{
    const cJSON *cert, *chain, *pk, *entries, *tvd;
    size_t n;
    const char *vmw = "verificationMaterial";
    if (sw_sig_obj(j, vm, vmw, "certificate", false, &cert) < 0 ||
        sw_sig_obj(j, vm, vmw, "x509CertificateChain", false, &chain) < 0 ||
        sw_sig_obj(j, vm, vmw, "publicKey", false, &pk) < 0 ||
        sw_sig_arr(j, vm, vmw, "tlogEntries", false, SW_SIG_MAX_ENTRIES, &entries, &n) < 0 ||
        sw_sig_obj(j, vm, vmw, "timestampVerificationData", false, &tvd) < 0)
        return -1;
    int forms = (cert != NULL) + (chain != NULL) + (pk != NULL);
    if (forms != 1)
        return sw_error_set(j->err, j->code,
                            "%s: verificationMaterial has %s of certificate, "
                            "x509CertificateChain and publicKey; exactly one is required",
                            j->what, forms ? "more than one" : "none");
    if (cert) {
        if (sw_sig_b64(j, cert, "verificationMaterial.certificate", "rawBytes", true,
                       SW_SIG_MAX_CERT, &b->leaf, &b->leaf_len) < 0)
            return -1;
        b->material = SW_SIG_CERTIFICATE;
    } else if (chain) {
        const cJSON *certs;
        size_t nc;
        if (b->minor >= 3)
            return sw_error_set(j->err, j->code,
                                "%s: a v0.3 bundle must carry verificationMaterial.certificate, "
                                "not x509CertificateChain",
                                j->what);
        if (sw_sig_arr(j, chain, "verificationMaterial.x509CertificateChain", "certificates", false,
                       SW_SIG_MAX_CHAIN, &certs, &nc) < 0)
            return -1;
        if (nc == 0)
            return sw_error_set(j->err, j->code,
                                "%s: verificationMaterial.x509CertificateChain is empty", j->what);
        size_t i = 0;
        for (const cJSON *c = certs->child; c; c = c->next, i++) {
            char where[80];
            unsigned char *der = NULL;
            size_t len;
            snprintf(where, sizeof(where),
                     "verificationMaterial.x509CertificateChain."
                     "certificates[%zu]",
                     i);
            if (!cJSON_IsObject(c))
                return sw_error_set(j->err, j->code, "%s: %s is not an object", j->what, where);
            if (sw_sig_b64(j, c, where, "rawBytes", true, SW_SIG_MAX_CERT, &der, &len) < 0)
                return -1;
            if (i == 0) {
                b->leaf = der;
                b->leaf_len = len;
            } else {
                free(der);
            }
        }
        b->material = SW_SIG_CHAIN;
    } else {
        b->material = SW_SIG_PUBLIC_KEY;
    }
    b->entries = n ? sw_xcalloc(n, sizeof(*b->entries)) : NULL;
    for (const cJSON *e = entries ? entries->child : NULL; e; e = e->next) {
        char where[64];
        snprintf(where, sizeof(where), "verificationMaterial.tlogEntries[%zu]", b->nentries);
        if (parse_entry(j, e, where, b->minor, &b->entries[b->nentries++]) < 0)
            return -1;
        for (size_t k = 0; k + 1 < b->nentries; k++) {
            const struct sw_sig_entry *x = &b->entries[k], *y = &b->entries[b->nentries - 1];
            if (x->log_index == y->log_index && x->log_id_len == y->log_id_len &&
                memcmp(x->log_id, y->log_id, x->log_id_len) == 0)
                return sw_error_set(j->err, j->code, "%s: %s repeats log entry %lld", j->what,
                                    where, y->log_index);
        }
    }
    if (tvd) {
        const cJSON *ts;
        if (sw_sig_arr(j, tvd, "verificationMaterial.timestampVerificationData",
                       "rfc3161Timestamps", false, 32, &ts, &b->ntimestamps) < 0)
            return -1;
    }
    return 0;
}

static int parse_dsse(const struct sw_sig_json *j, const cJSON *env, struct sw_sig_bundle *b)
{
    const char *dw = "dsseEnvelope", *type, *keyid;
    const cJSON *sigs;
    size_t n;
    if (sw_sig_b64(j, env, dw, "payload", true, SW_SIG_MAX_PAYLOAD, &b->payload, &b->payload_len) <
            0 ||
        sw_sig_str(j, env, dw, "payloadType", true, &type) < 0 ||
        sw_sig_arr(j, env, dw, "signatures", true, 64, &sigs, &n) < 0)
        return -1;
    if (n != 1)
        return sw_error_set(j->err, j->code,
                            "%s: dsseEnvelope has %zu signatures; exactly one is required", j->what,
                            n);
    if (!cJSON_IsObject(sigs->child))
        return sw_error_set(j->err, j->code, "%s: dsseEnvelope.signatures[0] is not an object",
                            j->what);
    if (sw_sig_b64(j, sigs->child, "dsseEnvelope.signatures[0]", "sig", true, SW_SIG_MAX_SIG,
                   &b->sig, &b->sig_len) < 0 ||
        sw_sig_str(j, sigs->child, "dsseEnvelope.signatures[0]", "keyid", false, &keyid) < 0)
        return -1;
    b->payload_type = sw_xstrdup(type);
    b->dsse = true;
    return 0;
}

static int parse_message(const struct sw_sig_json *j, const cJSON *ms, struct sw_sig_bundle *b)
{
    const cJSON *md;
    const char *alg = NULL;
    if (sw_sig_b64(j, ms, "messageSignature", "signature", true, SW_SIG_MAX_SIG, &b->sig,
                   &b->sig_len) < 0 ||
        sw_sig_obj(j, ms, "messageSignature", "messageDigest", false, &md) < 0)
        return -1;
    if (md && (sw_sig_str(j, md, "messageSignature.messageDigest", "algorithm", false, &alg) < 0 ||
               sw_sig_b64(j, md, "messageSignature.messageDigest", "digest", false, 64, &b->digest,
                          &b->digest_len) < 0))
        return -1;
    if (alg && copy_word(j, "messageSignature.messageDigest", "algorithm", alg, b->digest_alg,
                         sizeof(b->digest_alg)) < 0)
        return -1;
    return 0;
}

static int parse_bundle(const struct sw_sig_json *j, const cJSON *json, struct sw_sig_bundle *b)
{
    const char *media;
    const cJSON *vm, *env, *ms;
    if (!cJSON_IsObject(json))
        return sw_error_set(j->err, j->code, "%s: not a JSON object", j->what);
    if (sw_sig_unique_keys(j, json) < 0 || sw_sig_str(j, json, "", "mediaType", true, &media) < 0)
        return -1;
    b->minor = 0;
    for (size_t i = 0; i < sizeof(media_types) / sizeof(media_types[0]); i++)
        if (strcmp(media, media_types[i].media_type) == 0)
            b->minor = media_types[i].minor;
    if (!b->minor) {
        char shown[96];
        sw_sanitize(shown, sizeof(shown), media);
        return sw_error_set(j->err, j->code,
                            "%s: unknown media type '%s' (supported: Sigstore bundle v0.1, v0.2, "
                            "v0.3)",
                            j->what, shown);
    }
    if (sw_sig_obj(j, json, "", "verificationMaterial", true, &vm) < 0 ||
        sw_sig_obj(j, json, "", "dsseEnvelope", false, &env) < 0 ||
        sw_sig_obj(j, json, "", "messageSignature", false, &ms) < 0 || parse_material(j, vm, b) < 0)
        return -1;
    if ((env != NULL) == (ms != NULL))
        return sw_error_set(j->err, j->code,
                            "%s: it has %s dsseEnvelope %s messageSignature; exactly one is "
                            "required",
                            j->what, env ? "both" : "neither", env ? "and" : "nor");
    return env ? parse_dsse(j, env, b) : parse_message(j, ms, b);
}

static bool space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int sw_sig_bundles_parse(const char *text, size_t len, struct sw_sig_bundle **out, size_t *n,
                         struct sw_error *err)
{
    struct sw_sig_bundle *b = NULL;
    size_t count = 0, line = 1;
    const char *p = text, *end = text + len;
    int rc = -1;
    *out = NULL;
    *n = 0;
    if (len > SW_SIG_MAX_FILE) {
        sw_error_set(err, SW_EXIT_VERIFY, "bundle file is larger than %u bytes", SW_SIG_MAX_FILE);
        goto out;
    }
    for (;;) {
        for (; p < end && space(*p); p++)
            line += *p == '\n';
        if (p == end)
            break;
        char what[48];
        if (line == 1)
            snprintf(what, sizeof(what), "bundle");
        else
            snprintf(what, sizeof(what), "bundle on line %zu", line);
        if (count == SW_SIG_MAX_BUNDLES) {
            sw_error_set(err, SW_EXIT_VERIFY, "bundle file holds more than %d bundles",
                         SW_SIG_MAX_BUNDLES);
            goto out;
        }
        /* cJSON would skip a byte order mark; JSON (RFC 8259) and protojson do not allow one */
        if (end - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
            sw_error_set(err, SW_EXIT_VERIFY, "%s: invalid JSON near byte %zu (a byte order mark)",
                         what, (size_t)(p - text));
            goto out;
        }
        const char *stop = NULL;
        cJSON *json = cJSON_ParseWithLengthOpts(p, (size_t)(end - p), &stop, 0);
        if (!json) {
            size_t at = stop && stop >= text && stop <= end ? (size_t)(stop - text) : 0;
            sw_error_set(err, SW_EXIT_VERIFY, "%s: invalid JSON near byte %zu", what, at);
            goto out;
        }
        b = sw_xrealloc(b, (count + 1) * sizeof(*b));
        memset(&b[count], 0, sizeof(*b));
        count++;
        struct sw_sig_json j = {what, SW_EXIT_VERIFY, err};
        int prc = parse_bundle(&j, json, &b[count - 1]);
        cJSON_Delete(json);
        if (prc < 0)
            goto out;
        for (; p < stop; p++)
            line += *p == '\n';
    }
    if (count == 0) {
        sw_error_set(err, SW_EXIT_VERIFY, "bundle file is empty");
        goto out;
    }
    *out = b;
    *n = count;
    b = NULL;
    rc = 0;
out:
    sw_sig_bundles_free(b, count);
    return rc;
}
