/* Rekor v1 transparency log entries: the signed entry timestamp (SET), the RFC 6962 inclusion
 * proof, the signed checkpoint, and the entry body against the bundle. The exact signed bytes
 * are those of ../shared/docs/sigstore-recipe.md section (f). */
#include "sigstore/internal.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

#define EM_DASH "\xE2\x80\x94 "
#define MAX_NOTE_SIGNATURES 100

/* ---- Merkle inclusion (RFC 6962 hashing, RFC 9162 2.1.3.2 algorithm) ---- */

static void node_hash(const unsigned char *l, const unsigned char *r, unsigned char out[32])
{
    unsigned char buf[65];
    buf[0] = 0x01;
    memcpy(buf + 1, l, 32);
    memcpy(buf + 33, r, 32);
    sw_sig_sha256(buf, sizeof(buf), out);
}

int sw_sig_merkle_verify(const unsigned char leaf_hash[32], long long index, long long size,
                         const unsigned char *hashes, size_t nhashes, const unsigned char *root,
                         struct sw_error *err)
{
    if (index < 0 || size <= 0 || index >= size)
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "inclusion proof index %lld is not inside the tree of size %lld", index,
                            size);
    unsigned long long fn = (unsigned long long)index, sn = (unsigned long long)size - 1;
    unsigned char r[32];
    memcpy(r, leaf_hash, 32);
    for (size_t i = 0; i < nhashes; i++) {
        const unsigned char *p = hashes + 32 * i;
        if (sn == 0)
            return sw_error_set(err, SW_EXIT_VERIFY,
                                "inclusion proof has %zu hashes, more than a tree of size %lld "
                                "needs",
                                nhashes, size);
        if ((fn & 1) || fn == sn) {
            node_hash(p, r, r);
            if (!(fn & 1))
                do {
                    fn >>= 1;
                    sn >>= 1;
                } while (!(fn & 1) && fn != 0);
        } else {
            node_hash(r, p, r);
        }
        fn >>= 1;
        sn >>= 1;
    }
    if (sn != 0 || CRYPTO_memcmp(r, root, 32) != 0)
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "inclusion proof does not match the checkpoint root hash (entry "
                            "%lld of a tree of size %lld)",
                            index, size);
    return 0;
}

/* ---- checkpoint (signed note) ---- */

/* One line of s starting at *p (without its '\n'); NULL at the end. */
static const char *next_line(const char **p, const char *end, size_t *len)
{
    if (*p >= end)
        return NULL;
    const char *s = *p, *nl = memchr(s, '\n', (size_t)(end - s));
    if (!nl)
        nl = end;
    *len = (size_t)(nl - s);
    *p = nl < end ? nl + 1 : end;
    return s;
}

static int parse_size(const char *s, size_t n, long long *out)
{
    long long v = 0;
    if (n == 0 || n > 18 || (n > 1 && s[0] == '0'))
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* Verifies the signature lines that carry the log's key hint: each must name the origin's host
 * and verify over the text; other lines (witness cosignatures) are skipped. */
static int note_signatures(const char *text, size_t text_len, const char *sigs, size_t sigs_len,
                           const char *name, size_t name_len, const struct sw_sig_log *log,
                           struct sw_error *err)
{
    const char *p = sigs, *end = sigs + sigs_len, *l;
    size_t n, lines = 0, matched = 0;
    while ((l = next_line(&p, end, &n))) {
        if (++lines > MAX_NOTE_SIGNATURES)
            return sw_error_set(err, SW_EXIT_VERIFY, "checkpoint has too many signature lines");
        size_t dash = strlen(EM_DASH);
        const char *sp = n > dash ? memchr(l + dash, ' ', n - dash) : NULL;
        if (n <= dash || memcmp(l, EM_DASH, dash) != 0 || !sp || sp == l + dash)
            return sw_error_set(err, SW_EXIT_VERIFY, "checkpoint signature line %zu is malformed",
                                lines);
        const char *b64 = sp + 1;
        size_t b64_len = (size_t)(l + n - b64);
        unsigned char *raw = NULL;
        size_t raw_len = 0;
        if (memchr(b64, ' ', b64_len) ||
            sw_sig_b64_decode(b64, b64_len, SW_SIG_MAX_SIG + 4, &raw, &raw_len) < 0 ||
            raw_len < 5) {
            free(raw);
            return sw_error_set(err, SW_EXIT_VERIFY,
                                "checkpoint signature line %zu is not base64 of a key hint and a "
                                "signature",
                                lines);
        }
        if (log->log_id_len < 4 || memcmp(raw, log->log_id, 4) != 0) {
            free(raw);
            continue;
        }
        matched++;
        const char *who = l + dash;
        size_t who_len = (size_t)(sp - who);
        bool same_name = who_len == name_len && memcmp(who, name, name_len) == 0;
        int ok = same_name && sw_sig_verify(log->key, sw_sig_md_for_key(log->key), raw + 4,
                                            raw_len - 4, (const unsigned char *)text, text_len);
        free(raw);
        if (!same_name) {
            char raw_who[81], raw_name[81], shown_who[81], shown_name[81];
            snprintf(raw_who, sizeof(raw_who), "%.*s", (int)who_len, who);
            snprintf(raw_name, sizeof(raw_name), "%.*s", (int)name_len, name);
            sw_sanitize(shown_who, sizeof(shown_who), raw_who);
            sw_sanitize(shown_name, sizeof(shown_name), raw_name);
            return sw_error_set(err, SW_EXIT_VERIFY,
                                "checkpoint is signed in the name of '%s', not of its origin '%s'",
                                shown_who, shown_name);
        }
        if (!ok)
            return sw_error_set(err, SW_EXIT_VERIFY,
                                "checkpoint signature does not verify with the key of %s",
                                log->base_url ? log->base_url : "the transparency log");
    }
    if (matched == 0) {
        char hint[9];
        sw_sig_hex(log->log_id, log->log_id_len < 4 ? log->log_id_len : 4, hint);
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "checkpoint has no signature by the transparency log (key hint %s)",
                            hint);
    }
    return 0;
}

int sw_sig_checkpoint_verify(const char *note, const struct sw_sig_log *log, long long tree_size,
                             const unsigned char *root_hash, size_t root_len, struct sw_error *err)
{
    const char *sep = strstr(note, "\n\n");
    if (!sep)
        return sw_error_set(err, SW_EXIT_VERIFY, "checkpoint has no signature block");
    size_t text_len = (size_t)(sep - note) + 1;
    const char *sigs = sep + 2;
    size_t sigs_len = strlen(sigs);
    if (sigs_len == 0 || sigs[sigs_len - 1] != '\n')
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "checkpoint signature block is empty or does not end with a newline");
    const char *p = note, *end = note + text_len, *origin, *size_line, *root_line;
    size_t origin_len = 0, size_len = 0, root_line_len = 0;
    origin = next_line(&p, end, &origin_len);
    size_line = next_line(&p, end, &size_len);
    root_line = next_line(&p, end, &root_line_len);
    if (!origin || !origin_len || !size_line || !root_line)
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "checkpoint lacks its origin, tree size or root hash line");
    long long size;
    if (parse_size(size_line, size_len, &size) < 0)
        return sw_error_set(err, SW_EXIT_VERIFY, "checkpoint tree size is not a number");
    unsigned char *root = NULL;
    size_t rlen = 0;
    if (sw_sig_b64_decode(root_line, root_line_len, 64, &root, &rlen) < 0 || rlen != 32) {
        free(root);
        return sw_error_set(err, SW_EXIT_VERIFY, "checkpoint root hash is not a base64 SHA-256");
    }
    /* Rekor v1 origins are "<host> - <tree id>", signed in the name of <host> */
    const char *dash = NULL;
    for (const char *q = origin; q + 3 <= origin + origin_len && !dash; q++)
        if (memcmp(q, " - ", 3) == 0)
            dash = q;
    size_t name_len = dash ? (size_t)(dash - origin) : origin_len;
    int rc = note_signatures(note, text_len, sigs, sigs_len, origin, name_len, log, err);
    if (rc == 0 && size != tree_size)
        rc = sw_error_set(err, SW_EXIT_VERIFY,
                          "checkpoint tree size %lld differs from the inclusion proof's %lld", size,
                          tree_size);
    if (rc == 0 && (root_len != 32 || CRYPTO_memcmp(root, root_hash, 32) != 0))
        rc = sw_error_set(err, SW_EXIT_VERIFY,
                          "checkpoint root hash differs from the inclusion proof's root hash");
    free(root);
    return rc;
}

/* ---- entry body against the bundle ---- */

static int pem_is_leaf(const unsigned char *pem, size_t len, const struct sw_sig_bundle *b)
{
    BIO *bio = BIO_new_mem_buf(pem, (int)len);
    X509 *x = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
    unsigned char *der = NULL;
    int n = x ? i2d_X509(x, &der) : -1;
    int same = n > 0 && (size_t)n == b->leaf_len && memcmp(der, b->leaf, b->leaf_len) == 0;
    OPENSSL_free(der);
    X509_free(x);
    BIO_free(bio);
    ERR_clear_error();
    return same;
}

/* A base64 string member (decoded `times` times) must equal want. */
static int same_b64(const struct sw_sig_json *j, const cJSON *o, const char *where, const char *key,
                    int times, const unsigned char *want, size_t want_len, bool *same)
{
    unsigned char *d = NULL;
    size_t n = 0;
    if (sw_sig_b64(j, o, where, key, true, SW_SIG_MAX_PAYLOAD, &d, &n) < 0)
        return -1;
    if (times == 2) {
        unsigned char *d2 = NULL;
        size_t n2 = 0;
        int bad = sw_sig_b64_decode((const char *)d, n, SW_SIG_MAX_SIG, &d2, &n2);
        free(d);
        if (bad < 0)
            return sw_error_set(j->err, j->code, "%s: %s.%s is not base64 of base64", j->what,
                                where, key);
        d = d2;
        n = n2;
    }
    *same = n == want_len && CRYPTO_memcmp(d, want, n) == 0;
    free(d);
    return 0;
}

static int same_pem(const struct sw_sig_json *j, const cJSON *o, const char *where, const char *key,
                    const struct sw_sig_bundle *b, bool *same)
{
    unsigned char *pem = NULL;
    size_t n = 0;
    if (sw_sig_b64(j, o, where, key, true, 4 * SW_SIG_MAX_CERT, &pem, &n) < 0)
        return -1;
    *same = b->leaf && pem_is_leaf(pem, n, b);
    free(pem);
    return 0;
}

/* {"algorithm": "sha256", "value": hex} equal to the SHA-256 `want`. */
static int hash_matches(const struct sw_sig_json *j, const cJSON *o, const char *where,
                        const unsigned char *want, bool *same)
{
    const char *alg, *value;
    unsigned char got[32];
    if (sw_sig_str(j, o, where, "algorithm", true, &alg) < 0 ||
        sw_sig_str(j, o, where, "value", true, &value) < 0)
        return -1;
    if (strcmp(alg, "sha256") != 0 || sw_sig_unhex(value, got, 32) < 0)
        return sw_error_set(j->err, j->code, "%s: %s is not a sha256 hash", j->what, where);
    *same = CRYPTO_memcmp(got, want, 32) == 0;
    return 0;
}

/* The one signature object of the body's array `key`. */
static int one_signature(const struct sw_sig_json *j, const cJSON *o, const char *where,
                         const cJSON **sig)
{
    const cJSON *arr;
    size_t n;
    if (sw_sig_arr(j, o, where, "signatures", true, 16, &arr, &n) < 0)
        return -1;
    if (n != 1 || !cJSON_IsObject(arr->child))
        return sw_error_set(j->err, j->code, "%s: %s.signatures must hold exactly one object",
                            j->what, where);
    *sig = arr->child;
    return 0;
}

static int mismatch(struct sw_error *err, long long index, const char *what)
{
    return sw_error_set(err, SW_EXIT_VERIFY, "log entry %lld does not match the bundle: %s", index,
                        what);
}

static int body_matches(const struct sw_sig_entry *e, const struct sw_sig_bundle *b,
                        const unsigned char *sha256, const cJSON *spec, const struct sw_sig_json *j)
{
    const cJSON *o = NULL, *sig = NULL, *inner = NULL;
    bool same = false;
    unsigned char payload_hash[32];
    if (b->dsse)
        sw_sig_sha256(b->payload, b->payload_len, payload_hash);
    if (strcmp(e->kind, "dsse") == 0) {
        if (sw_sig_obj(j, spec, "spec", "payloadHash", true, &o) < 0 ||
            hash_matches(j, o, "spec.payloadHash", payload_hash, &same) < 0)
            return -1;
        if (!same)
            return mismatch(j->err, e->log_index, "the payload hash differs from the envelope's");
        if (one_signature(j, spec, "spec", &sig) < 0 ||
            same_b64(j, sig, "spec.signatures[0]", "signature", 1, b->sig, b->sig_len, &same) < 0)
            return -1;
        if (!same)
            return mismatch(j->err, e->log_index, "its signature differs from the envelope's");
        if (same_pem(j, sig, "spec.signatures[0]", "verifier", b, &same) < 0)
            return -1;
    } else if (strcmp(e->kind, "intoto") == 0) {
        const char *type;
        if (sw_sig_obj(j, spec, "spec", "content", true, &o) < 0 ||
            sw_sig_obj(j, o, "spec.content", "payloadHash", true, &inner) < 0 ||
            hash_matches(j, inner, "spec.content.payloadHash", payload_hash, &same) < 0)
            return -1;
        if (!same)
            return mismatch(j->err, e->log_index, "the payload hash differs from the envelope's");
        if (sw_sig_obj(j, o, "spec.content", "envelope", true, &inner) < 0 ||
            sw_sig_str(j, inner, "spec.content.envelope", "payloadType", false, &type) < 0)
            return -1;
        if (type && strcmp(type, b->payload_type) != 0)
            return mismatch(j->err, e->log_index, "its payload type differs from the envelope's");
        /* intoto 0.0.2 bodies encode the signature twice */
        if (one_signature(j, inner, "spec.content.envelope", &sig) < 0 ||
            same_b64(j, sig, "spec.content.envelope.signatures[0]", "sig", 2, b->sig, b->sig_len,
                     &same) < 0)
            return -1;
        if (!same)
            return mismatch(j->err, e->log_index, "its signature differs from the envelope's");
        if (same_pem(j, sig, "spec.content.envelope.signatures[0]", "publicKey", b, &same) < 0)
            return -1;
    } else { /* hashedrekord 0.0.1 */
        if (!sha256)
            return sw_error_set(j->err, SW_EXIT_VERIFY,
                                "a message signature needs the artifact's SHA-256");
        if (sw_sig_obj(j, spec, "spec", "data", true, &o) < 0 ||
            sw_sig_obj(j, o, "spec.data", "hash", true, &inner) < 0 ||
            hash_matches(j, inner, "spec.data.hash", sha256, &same) < 0)
            return -1;
        if (!same)
            return mismatch(j->err, e->log_index, "it was made for another artifact");
        if (sw_sig_obj(j, spec, "spec", "signature", true, &o) < 0 ||
            same_b64(j, o, "spec.signature", "content", 1, b->sig, b->sig_len, &same) < 0)
            return -1;
        if (!same)
            return mismatch(j->err, e->log_index, "its signature differs from the bundle's");
        if (sw_sig_obj(j, o, "spec.signature", "publicKey", true, &inner) < 0 ||
            same_pem(j, inner, "spec.signature.publicKey", "content", b, &same) < 0)
            return -1;
    }
    if (!same)
        return mismatch(j->err, e->log_index, "it was signed with another certificate");
    return 0;
}

static int check_body(const struct sw_sig_entry *e, const struct sw_sig_bundle *b,
                      const unsigned char *sha256, struct sw_error *err)
{
    char what[64];
    const char *kind, *version;
    const cJSON *spec;
    snprintf(what, sizeof(what), "log entry %lld body", e->log_index);
    struct sw_sig_json j = {what, SW_EXIT_VERIFY, err};
    int rc = -1;
    cJSON *json = sw_sig_parse((const char *)e->body, e->body_len);
    if (!json || !cJSON_IsObject(json)) {
        sw_error_set(err, SW_EXIT_VERIFY, "%s is not a JSON object", what);
        goto out;
    }
    if (sw_sig_unique_keys(&j, json) < 0 || sw_sig_str(&j, json, "", "kind", true, &kind) < 0 ||
        sw_sig_str(&j, json, "", "apiVersion", true, &version) < 0 ||
        sw_sig_obj(&j, json, "", "spec", true, &spec) < 0)
        goto out;
    if (strcmp(kind, e->kind) != 0 || strcmp(version, e->version) != 0) {
        sw_error_set(err, SW_EXIT_VERIFY, "%s is not of the kind its entry says (%s %s)", what,
                     e->kind, e->version);
        goto out;
    }
    rc = body_matches(e, b, sha256, spec, &j);
out:
    cJSON_Delete(json);
    return rc;
}

/* ---- the entry ---- */

static int verify_set(const struct sw_sig_entry *e, const struct sw_sig_log *log,
                      struct sw_error *err)
{
    char *body = sw_sig_b64_encode(e->body, e->body_len);
    char *hex = sw_xmalloc(2 * e->log_id_len + 1);
    sw_sig_hex(e->log_id, e->log_id_len, hex);
    /* RFC 8785 canonical JSON of these four members is exactly this text */
    char *payload = sw_xasprintf("{\"body\":\"%s\",\"integratedTime\":%lld,\"logID\":\"%s\","
                                 "\"logIndex\":%lld}",
                                 body, e->integrated_time, hex, e->log_index);
    int ok = sw_sig_verify(log->key, sw_sig_md_for_key(log->key), e->set, e->set_len,
                           (const unsigned char *)payload, strlen(payload));
    free(payload);
    free(hex);
    free(body);
    if (!ok)
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "signed entry timestamp of log entry %lld does not verify with the "
                            "key of %s",
                            e->log_index, log->base_url ? log->base_url : "the transparency log");
    return 0;
}

int sw_sig_tlog_verify(const struct sw_sig_entry *e, int minor, const struct sw_sig_bundle *b,
                       const unsigned char *sha256, const struct sw_sigstore_root *root,
                       struct sw_error *err)
{
    char t[32];
    const struct sw_sig_log *log =
        sw_sig_log_find(root->tlogs, root->ntlogs, e->log_id, e->log_id_len);
    if (!log) {
        char hex[129];
        sw_sig_hex(e->log_id, e->log_id_len, hex);
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "log entry %lld is from a transparency log that is not in the "
                            "trusted root (log id %s)",
                            e->log_index, hex);
    }
    if (!e->set || e->integrated_time <= 0)
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "log entry %lld has no signed entry timestamp, so its time cannot be "
                            "trusted",
                            e->log_index);
    sw_time_format(e->integrated_time, t, sizeof(t));
    if (!sw_sig_window(log->start, true, log->end, log->has_end, e->integrated_time))
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "log entry %lld time %s is outside the validity of the key of %s in "
                            "the trusted root",
                            e->log_index, t, log->base_url ? log->base_url : "its log");
    if (verify_set(e, log, err) < 0)
        return -1;
    if (minor >= 2 && !e->has_proof)
        return sw_error_set(err, SW_EXIT_VERIFY, "log entry %lld has no inclusion proof",
                            e->log_index);
    if (e->has_proof) {
        unsigned char leaf[32];
        unsigned char *buf = sw_xmalloc(e->body_len + 1);
        buf[0] = 0x00;
        memcpy(buf + 1, e->body, e->body_len);
        sw_sig_sha256(buf, e->body_len + 1, leaf);
        free(buf);
        if (e->root_hash_len != 32)
            return sw_error_set(err, SW_EXIT_VERIFY, "inclusion proof root hash is not a SHA-256");
        if (sw_sig_checkpoint_verify(e->checkpoint, log, e->tree_size, e->root_hash,
                                     e->root_hash_len, err) < 0 ||
            sw_sig_merkle_verify(leaf, e->proof_index, e->tree_size, e->hashes, e->nhashes,
                                 e->root_hash, err) < 0)
            return sw_error_wrap(err, "log entry %lld", e->log_index);
    }
    return check_body(e, b, sha256, err);
}
