/* The log and bundle half of the test Sigstore instance (test_sigstore_forge.h has the keys,
 * certificates and trusted root): RFC 6962 trees and audit paths, Rekor entries with their SET
 * and signed checkpoint, in-toto statements, DSSE envelopes and whole bundles. */
#ifndef TEST_SIGSTORE_FORGE_BUNDLE_H
#define TEST_SIGSTORE_FORGE_BUNDLE_H

#include "test_sigstore_forge.h"

/* ---- Merkle tree (RFC 6962 2.1) ---- */

FORGE void forge_node(const unsigned char *l, const unsigned char *r, unsigned char out[32])
{
    unsigned char b[65];
    b[0] = 1;
    memcpy(b + 1, l, 32);
    memcpy(b + 33, r, 32);
    sw_sig_sha256(b, 65, out);
}

FORGE void forge_mth(const unsigned char *leaves, size_t n, unsigned char out[32])
{
    if (n == 1) {
        memcpy(out, leaves, 32);
        return;
    }
    size_t k = 1;
    while (k * 2 < n)
        k *= 2;
    unsigned char l[32], r[32];
    forge_mth(leaves, k, l);
    forge_mth(leaves + 32 * k, n - k, r);
    forge_node(l, r, out);
}

/* The audit path of leaf m, appended to path (32 bytes each). */
FORGE void forge_path(const unsigned char *leaves, size_t n, size_t m, struct sw_buf *path)
{
    if (n == 1)
        return;
    size_t k = 1;
    while (k * 2 < n)
        k *= 2;
    unsigned char sib[32];
    if (m < k) {
        forge_path(leaves, k, m, path);
        forge_mth(leaves + 32 * k, n - k, sib);
    } else {
        forge_path(leaves + 32 * k, n - k, m - k, path);
        forge_mth(leaves, k, sib);
    }
    sw_buf_add(path, sib, 32);
}

FORGE unsigned char *forge_leaves(size_t n, size_t index, const void *body, size_t body_len)
{
    unsigned char *leaves = sw_xmalloc(32 * n);
    for (size_t i = 0; i < n; i++) {
        struct sw_buf b = SW_BUF_INIT;
        sw_buf_add(&b, "", 1); /* the 0x00 leaf prefix */
        if (i == index)
            sw_buf_add(&b, body, body_len);
        else
            sw_buf_printf(&b, "another entry %zu", i);
        sw_sig_sha256(b.data, b.len, leaves + 32 * i);
        sw_buf_free(&b);
    }
    return leaves;
}

/* ---- the bundle ---- */

FORGE char *forge_statement(const struct forge_opts *o)
{
    cJSON *st = cJSON_CreateObject();
    cJSON_AddStringToObject(
        st, "_type", o->statement_type ? o->statement_type : "https://in-toto.io/Statement/v1");
    cJSON *subjects = cJSON_AddArrayToObject(st, "subject");
    size_t n = o->nsubjects ? o->nsubjects : FORGE_NBIN;
    for (size_t i = 0; i < n; i++) {
        unsigned char d[32];
        char hex[65];
        forge_digest(forge_binaries[i], d);
        sw_sig_hex(d, 32, hex);
        cJSON *s = cJSON_CreateObject();
        cJSON_AddStringToObject(s, "name", forge_binaries[i]);
        cJSON_AddStringToObject(cJSON_AddObjectToObject(s, "digest"), "sha256", hex);
        cJSON_AddItemToArray(subjects, s);
    }
    cJSON_AddStringToObject(st, "predicateType",
                            o->predicate ? o->predicate : "https://slsa.dev/provenance/v1");
    cJSON *pred = cJSON_AddObjectToObject(st, "predicate");
    cJSON_AddStringToObject(cJSON_AddObjectToObject(pred, "buildDefinition"), "buildType",
                            "https://actions.github.io/buildtypes/workflow/v1");
    char *text = cJSON_PrintUnformatted(st);
    cJSON_Delete(st);
    return text;
}

FORGE char *forge_body(const struct forge_opts *o, const unsigned char *payload, size_t plen,
                       const unsigned char *sig, size_t siglen, X509 *leaf)
{
    unsigned char ph[32];
    char phex[65], *pem = forge_b64_pem(leaf), *b64sig = sw_sig_b64_encode(sig, siglen), *body;
    sw_sig_sha256(payload, plen, ph);
    sw_sig_hex(ph, 32, phex);
    if (o->message) {
        char hex[65];
        unsigned char d[32];
        forge_digest(forge_binaries[0], d);
        sw_sig_hex(d, 32, hex);
        body = sw_xasprintf("{\"apiVersion\":\"0.0.1\",\"kind\":\"hashedrekord\",\"spec\":{"
                            "\"data\":{\"hash\":{\"algorithm\":\"sha256\",\"value\":\"%s\"}},"
                            "\"signature\":{\"content\":\"%s\",\"publicKey\":{\"content\":"
                            "\"%s\"}}}}",
                            hex, b64sig, pem);
    } else if (o->kind && strcmp(o->kind, "intoto") == 0) {
        char *twice = sw_sig_b64_encode((const unsigned char *)b64sig, strlen(b64sig));
        body = sw_xasprintf("{\"apiVersion\":\"0.0.2\",\"kind\":\"intoto\",\"spec\":{\"content\":{"
                            "\"envelope\":{\"payloadType\":\"application/vnd.in-toto+json\","
                            "\"signatures\":[{\"publicKey\":\"%s\",\"sig\":\"%s\"}]},"
                            "\"hash\":{\"algorithm\":\"sha256\",\"value\":\"%s\"},"
                            "\"payloadHash\":{\"algorithm\":\"sha256\",\"value\":\"%s\"}}}}",
                            pem, twice, phex, phex);
        free(twice);
    } else {
        body = sw_xasprintf("{\"apiVersion\":\"0.0.1\",\"kind\":\"dsse\",\"spec\":{"
                            "\"envelopeHash\":{\"algorithm\":\"sha256\",\"value\":\"%s\"},"
                            "\"payloadHash\":{\"algorithm\":\"sha256\",\"value\":\"%s\"},"
                            "\"signatures\":[{\"signature\":\"%s\",\"verifier\":\"%s\"}]}}",
                            phex, phex, b64sig, pem);
    }
    free(pem);
    free(b64sig);
    return body;
}

FORGE char *forge_note_line(const char *name, EVP_PKEY *key, const unsigned char hint[4],
                            const char *text)
{
    size_t siglen;
    unsigned char *sig = forge_sign(key, EVP_sha256(), text, strlen(text), &siglen);
    unsigned char *raw = sw_xmalloc(siglen + 4);
    memcpy(raw, hint, 4);
    memcpy(raw + 4, sig, siglen);
    char *b64 = sw_sig_b64_encode(raw, siglen + 4);
    char *line = sw_xasprintf("\xE2\x80\x94 %s %s\n", name, b64);
    free(b64);
    free(raw);
    free(sig);
    return line;
}

FORGE void forge_add_b64(cJSON *obj, const char *key, const void *data, size_t len)
{
    char *b64 = sw_sig_b64_encode(data, len);
    cJSON_AddStringToObject(obj, key, b64);
    free(b64);
}

FORGE cJSON *forge_entry(const struct forge_keys *k, const struct forge_opts *o, const char *body)
{
    long long size = o->tree_size ? o->tree_size : 13, index = o->tree_size ? o->index : 6;
    long long global = 90000000 + index, t = FORGE_T0 + 60 + o->time_offset;
    unsigned char *leaves = forge_leaves((size_t)size, (size_t)index, body, strlen(body));
    unsigned char root[32];
    struct sw_buf path = SW_BUF_INIT;
    forge_mth(leaves, (size_t)size, root);
    forge_path(leaves, (size_t)size, (size_t)index, &path);
    char *body64 = sw_sig_b64_encode((const unsigned char *)body, strlen(body)), hex[65];
    sw_sig_hex(k->rekor_id, 32, hex);
    char *set_payload = sw_xasprintf("{\"body\":\"%s\",\"integratedTime\":%lld,\"logID\":\"%s\","
                                     "\"logIndex\":%lld}",
                                     body64, t, hex, global);
    size_t setlen;
    unsigned char *set =
        forge_sign(k->rekor_key, EVP_sha256(), set_payload, strlen(set_payload), &setlen);
    char *root64 = sw_sig_b64_encode(root, 32);
    char *text = sw_xasprintf("rekor.test - 4242\n%lld\n%s\n", size, root64);
    struct sw_buf note = SW_BUF_INIT;
    sw_buf_printf(&note, "%s\n", text);
    if (o->witness_first) {
        unsigned char hint[4] = {1, 2, 3, 4};
        char *w = forge_note_line("witness.test", k->ct_key, hint, text);
        sw_buf_adds(&note, w);
        free(w);
    }
    char *line = forge_note_line(o->note_name ? o->note_name : "rekor.test", k->rekor_key,
                                 k->rekor_id, text);
    sw_buf_adds(&note, line);
    free(line);

    cJSON *e = cJSON_CreateObject();
    char num[32];
    snprintf(num, sizeof(num), "%lld", global);
    cJSON_AddStringToObject(e, "logIndex", num);
    forge_add_b64(cJSON_AddObjectToObject(e, "logId"), "keyId", k->rekor_id, 32);
    cJSON *kv = cJSON_AddObjectToObject(e, "kindVersion");
    bool intoto = o->kind && strcmp(o->kind, "intoto") == 0;
    cJSON_AddStringToObject(kv, "kind", o->message ? "hashedrekord" : intoto ? "intoto" : "dsse");
    cJSON_AddStringToObject(kv, "version", intoto ? "0.0.2" : "0.0.1");
    snprintf(num, sizeof(num), "%lld", t);
    cJSON_AddStringToObject(e, "integratedTime", num);
    forge_add_b64(cJSON_AddObjectToObject(e, "inclusionPromise"), "signedEntryTimestamp", set,
                  setlen);
    cJSON *proof = cJSON_AddObjectToObject(e, "inclusionProof");
    snprintf(num, sizeof(num), "%lld", index);
    cJSON_AddStringToObject(proof, "logIndex", num);
    forge_add_b64(proof, "rootHash", root, 32);
    snprintf(num, sizeof(num), "%lld", size);
    cJSON_AddStringToObject(proof, "treeSize", num);
    cJSON *hashes = cJSON_AddArrayToObject(proof, "hashes");
    for (size_t i = 0; i < path.len / 32; i++) {
        char *h = sw_sig_b64_encode((unsigned char *)path.data + 32 * i, 32);
        cJSON_AddItemToArray(hashes, cJSON_CreateString(h));
        free(h);
    }
    cJSON_AddStringToObject(cJSON_AddObjectToObject(proof, "checkpoint"), "envelope",
                            sw_buf_str(&note));
    cJSON_AddStringToObject(e, "canonicalizedBody", body64);
    sw_buf_free(&note);
    sw_buf_free(&path);
    free(leaves);
    free(text);
    free(root64);
    free(set);
    free(set_payload);
    free(body64);
    return e;
}

/* A complete bundle (malloc'd JSON text with a trailing newline, as actions/attest writes). */
FORGE char *forge_bundle(const struct forge_keys *k, const struct forge_opts *o)
{
    EVP_PKEY *key = forge_key(o->leaf_bits ? o->leaf_bits : 256);
    X509 *leaf = forge_leaf(k, o, key);
    char *payload = forge_statement(o);
    const char *ptype = o->payload_type ? o->payload_type : "application/vnd.in-toto+json";
    struct sw_buf pae = SW_BUF_INIT;
    sw_buf_printf(&pae, "DSSEv1 %zu %s %zu %s", strlen(ptype), ptype, strlen(payload), payload);
    size_t siglen;
    EVP_PKEY *signer = o->bad_sig ? forge_key(256) : key;
    char *message = sw_xasprintf("contents of %s", forge_binaries[0]);
    unsigned char *sig = o->message
                             ? forge_sign(signer, EVP_sha256(), message, strlen(message), &siglen)
                             : forge_sign(signer, o->leaf_bits == 384 ? EVP_sha384() : EVP_sha256(),
                                          pae.data, pae.len, &siglen);
    if (signer != key)
        EVP_PKEY_free(signer);
    char *body = forge_body(o, (unsigned char *)payload, strlen(payload), sig, siglen,
                            o->body_cert_other ? k->inter : leaf);

    cJSON *b = cJSON_CreateObject();
    int minor = o->minor ? o->minor : 3;
    const char *media = o->media_type ? o->media_type
                        : minor == 3  ? "application/vnd.dev.sigstore.bundle.v0.3+json"
                        : minor == 2  ? "application/vnd.dev.sigstore.bundle+json;version=0.2"
                                      : "application/vnd.dev.sigstore.bundle+json;version=0.1";
    cJSON_AddStringToObject(b, "mediaType", media);
    cJSON *vm = cJSON_AddObjectToObject(b, "verificationMaterial");
    if (minor == 3) {
        char *c = forge_b64_cert(leaf);
        cJSON_AddStringToObject(cJSON_AddObjectToObject(vm, "certificate"), "rawBytes", c);
        free(c);
    } else {
        cJSON *certs = cJSON_AddArrayToObject(cJSON_AddObjectToObject(vm, "x509CertificateChain"),
                                              "certificates");
        /* the bundle's own chain, which verifiers must ignore: a rogue issuer's comes along */
        X509 *chain[3] = {leaf, o->rogue_issuer ? k->rogue : k->inter, k->root};
        for (int i = 0; i < (o->rogue_issuer ? 2 : 3); i++) {
            char *c = i > 0 && o->chain_junk ? sw_xstrdup("MAA=") : forge_b64_cert(chain[i]);
            cJSON *o2 = cJSON_CreateObject();
            cJSON_AddStringToObject(o2, "rawBytes", c);
            cJSON_AddItemToArray(certs, o2);
            free(c);
        }
    }
    cJSON_AddItemToArray(cJSON_AddArrayToObject(vm, "tlogEntries"), forge_entry(k, o, body));
    if (o->tsa) {
        cJSON *ts = cJSON_CreateObject();
        cJSON_AddStringToObject(ts, "signedTimestamp", "MAA=");
        cJSON_AddItemToArray(
            cJSON_AddArrayToObject(cJSON_AddObjectToObject(vm, "timestampVerificationData"),
                                   "rfc3161Timestamps"),
            ts);
    }
    if (o->message) {
        cJSON *ms = cJSON_AddObjectToObject(b, "messageSignature");
        cJSON *md = cJSON_AddObjectToObject(ms, "messageDigest");
        unsigned char d[32];
        forge_digest(forge_binaries[0], d);
        cJSON_AddStringToObject(md, "algorithm", "SHA2_256");
        forge_add_b64(md, "digest", d, 32);
        forge_add_b64(ms, "signature", sig, siglen);
    } else {
        cJSON *env = cJSON_AddObjectToObject(b, "dsseEnvelope");
        forge_add_b64(env, "payload", payload, strlen(payload));
        cJSON_AddStringToObject(env, "payloadType", ptype);
        cJSON *sigs = cJSON_AddArrayToObject(env, "signatures");
        for (int i = 0; i < (o->two_sigs ? 2 : 1); i++) {
            cJSON *s = cJSON_CreateObject();
            forge_add_b64(s, "sig", sig, siglen);
            cJSON_AddStringToObject(s, "keyid", "");
            cJSON_AddItemToArray(sigs, s);
        }
    }
    char *text = cJSON_PrintUnformatted(b), *out = sw_xasprintf("%s\n", text);
    free(text);
    cJSON_Delete(b);
    free(body);
    free(sig);
    free(message);
    sw_buf_free(&pae);
    free(payload);
    X509_free(leaf);
    EVP_PKEY_free(key);
    return out;
}

/* ---- verifying what was made ---- */

enum expect { PASS, FAIL, UNSUPPORTED };
#define NOT_RELEASED ((size_t)-1) /* an artifact index: a binary the release does not list */

FORGE struct sw_sigstore_root *forge_make_root(const struct forge_keys *keys,
                                               const struct forge_root_opts *o)
{
    struct sw_error err = {0};
    struct sw_sigstore_root *root = NULL;
    char *json = forge_root_json(keys, o);
    if (sw_sigstore_root_load_json(json, strlen(json), "test root", &root, &err) < 0)
        print_error("test root does not load: %s\n", err.msg);
    free(json);
    assert_non_null(root);
    return root;
}

FORGE int forge_check(const char *bundle, const struct sw_sigstore_root *root,
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

#endif
