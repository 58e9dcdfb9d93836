/* Tampering with any signed byte of a real bundle must fail verification, for the right reason.
 * Rows are made here: for three real bundles (a GitHub attestation with a dsse entry, an npm
 * provenance with an intoto entry, a message signature with a hashedrekord entry) and each of
 * their signed fields, every byte is flipped in turn (decoded bytes for base64 fields,
 * characters for strings, +1 and -1 for integers) and the bundle re-serialised and verified.
 * One named test per (bundle, field); a failure lists the positions that got through. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "test_sigstore_fixtures.h"

enum kind { B64, STR, INT };

struct field {
    const char *path; /* dot-separated; numbers index arrays, '*' is every element */
    enum kind kind;
    const char *fragment; /* every failure says this; NULL when the reason varies */
};

struct base {
    const char *name, *bundle, *artifact;
    struct sw_sigstore_policy policy;
    const struct field *fields;
};

#define VM "verificationMaterial."
#define TL VM "tlogEntries.0."
#define SET_FAILS "signed entry timestamp of log entry"

/* the fields every Rekor v1 entry has, and what breaks when each is touched */
#define LOG_FIELDS                                                                                 \
    {TL "logIndex", INT, SET_FAILS}, {TL "logId.keyId", B64, "not in the trusted root"},           \
        {TL "kindVersion.kind", STR, NULL}, {TL "kindVersion.version", STR, NULL},                 \
        {TL "integratedTime", INT, SET_FAILS},                                                     \
        {TL "inclusionPromise.signedEntryTimestamp", B64, SET_FAILS},                              \
        {TL "inclusionProof.logIndex", INT, "inclusion proof"},                                    \
        {TL "inclusionProof.rootHash", B64,                                                        \
         "checkpoint root hash differs from the inclusion proof's root hash"},                     \
        {TL "inclusionProof.treeSize", INT, NULL},                                                 \
        {TL "inclusionProof.hashes.*", B64,                                                        \
         "inclusion proof does not match the checkpoint root hash"},                               \
        {TL "inclusionProof.checkpoint.envelope", STR, "checkpoint"},                              \
        {TL "canonicalizedBody", B64, SET_FAILS},                                                  \
    {                                                                                              \
        VM "certificate.rawBytes", B64, NULL                                                       \
    }

static const struct field dsse_fields[] = {
    {"dsseEnvelope.payload", B64, "the payload hash differs from the envelope's"},
    {"dsseEnvelope.payloadType", STR, "envelope payload type is"},
    {"dsseEnvelope.signatures.0.sig", B64, "its signature differs from the envelope's"},
    LOG_FIELDS,
    {NULL, B64, NULL},
};

static const struct field intoto_fields[] = {
    {"dsseEnvelope.payload", B64, "the payload hash differs from the envelope's"},
    {"dsseEnvelope.payloadType", STR, "its payload type differs from the envelope's"},
    {"dsseEnvelope.signatures.0.sig", B64, "its signature differs from the envelope's"},
    LOG_FIELDS,
    {NULL, B64, NULL},
};

static const struct field message_fields[] = {
    {"messageSignature.signature", B64, "its signature differs from the bundle's"},
    {"messageSignature.messageDigest.digest", B64,
     "message digest in the bundle is not the artifact's SHA-256"},
    LOG_FIELDS,
    {NULL, B64, NULL},
};

static const struct base bases[] = {
    {"GitHub attestation",
     "cli-cli/reusable-workflow-attestation.sigstore.json",
     "cli-cli/reusable-workflow-artifact",
     {.name = "github/artifact-attestations-workflows",
      .issuer = "https://token.actions.githubusercontent.com",
      .source_repository = "https://github.com/malancas/attest-demo",
      .san_prefix = "https://github.com/github/artifact-attestations-workflows/",
      .predicate_type = SW_SIGSTORE_SLSA_V1},
     dsse_fields},
    {"npm provenance",
     "cli-cli/sigstore-js-2.1.0-bundle.json",
     "cli-cli/sigstore-js-2.1.0.tgz",
     {.name = "sigstore/sigstore-js",
      .issuer = "https://token.actions.githubusercontent.com",
      .source_repository = "https://github.com/sigstore/sigstore-js",
      .san_prefix = "https://github.com/sigstore/sigstore-js/.github/workflows/",
      .predicate_type = SW_SIGSTORE_SLSA_V1},
     intoto_fields},
    {"message signature",
     "conformance/bundle-verify/happy-path-v0.3/bundle.sigstore.json",
     "conformance/bundle-verify/a.txt",
     {.name = "conformance",
      .issuer = "https://token.actions.githubusercontent.com",
      .san_prefix = "https://github.com/sigstore-conformance/",
      .allow_message_signature = true},
     message_fields},
};

struct row {
    char name[160];
    const struct base *base;
    const struct field *field;
};

struct target {
    cJSON *tree;
    const char *bundle_name;
    const struct sw_sigstore_root *root;
    const struct sw_sigstore_digests *art;
    const struct sw_sigstore_policy *policy;
    const char *fragment;
    size_t tried, passed, wrong;
    struct sw_buf report;
};

/* Serialises the tree and verifies it: it must fail, saying the fragment. */
static void attempt(struct target *t, const char *what)
{
    char *text = cJSON_PrintUnformatted(t->tree);
    struct sw_provenance out;
    struct sw_error err = {0};
    int rc = sw_sigstore_verify_digests(text, strlen(text), t->root, t->art, t->policy, &out, &err);
    free(text);
    t->tried++;
    if (rc == 0) {
        t->passed++;
        if (t->passed <= 5)
            sw_buf_printf(&t->report, "  %s: VERIFIED\n", what);
    } else if (t->fragment && !strstr(err.msg, t->fragment)) {
        t->wrong++;
        if (t->wrong <= 5)
            sw_buf_printf(&t->report, "  %s: failed for another reason: %s\n", what, err.msg);
    }
}

static void tamper_node(struct target *t, cJSON *node, enum kind kind, const char *where)
{
    char what[128];
    assert_true(cJSON_IsString(node) && node->valuestring);
    char *orig = sw_xstrdup(node->valuestring);
    if (kind == B64) {
        unsigned char *raw;
        size_t n;
        assert_int_equal(sw_sig_b64_decode(orig, strlen(orig), SW_SIG_MAX_PAYLOAD, &raw, &n), 0);
        for (size_t i = 0; i < n; i++) {
            raw[i] ^= 0x01;
            char *enc = sw_sig_b64_encode(raw, n);
            cJSON_SetValuestring(node, enc);
            free(enc);
            raw[i] ^= 0x01;
            snprintf(what, sizeof(what), "%s byte %zu", where, i);
            attempt(t, what);
        }
        free(raw);
    } else if (kind == STR) {
        char *s = sw_xstrdup(orig);
        for (size_t i = 0; s[i]; i++) {
            s[i] ^= 0x01;
            if (s[i]) {
                cJSON_SetValuestring(node, s);
                snprintf(what, sizeof(what), "%s character %zu", where, i);
                attempt(t, what);
            }
            s[i] ^= 0x01;
        }
        free(s);
    } else {
        long long v = strtoll(orig, NULL, 10);
        for (int d = -1; d <= 1; d += 2) {
            char num[32];
            snprintf(num, sizeof(num), "%lld", v + d);
            cJSON_SetValuestring(node, num);
            snprintf(what, sizeof(what), "%s %+d", where, d);
            attempt(t, what);
        }
    }
    cJSON_SetValuestring(node, orig);
    free(orig);
}

/* Walks path from node, tampering with every node it names. */
static void walk(struct target *t, cJSON *node, const char *path, enum kind kind, const char *full)
{
    if (!*path) {
        tamper_node(t, node, kind, full);
        return;
    }
    const char *dot = strchr(path, '.');
    size_t n = dot ? (size_t)(dot - path) : strlen(path);
    const char *rest = dot ? dot + 1 : "";
    char key[64];
    snprintf(key, sizeof(key), "%.*s", (int)n, path);
    if (strcmp(key, "*") == 0) {
        int i = 0;
        for (cJSON *c = node->child; c; c = c->next, i++) {
            char sub[200];
            snprintf(sub, sizeof(sub), "%s[%d]", full, i);
            walk(t, c, rest, kind, sub);
        }
        return;
    }
    cJSON *next = (key[0] >= '0' && key[0] <= '9') ? cJSON_GetArrayItem(node, atoi(key))
                                                   : cJSON_GetObjectItemCaseSensitive(node, key);
    if (!next)
        fail_msg("%s: no '%s' in the bundle", t->bundle_name, key);
    walk(t, next, rest, kind, full);
}

static void test_tamper(void **state)
{
    const struct row *r = *state;
    need_fixtures();
    size_t len;
    char *text = slurp(r->base->bundle, &len);
    assert_non_null(text);
    unsigned char s256[32], s512[64];
    struct sw_sigstore_digests art;
    struct sw_error err = {0};
    digests_of(r->base->artifact, s256, s512, &art);
    struct sw_sigstore_root *root = load_root(NULL, &err);
    assert_non_null(root);
    struct target t = {cJSON_Parse(text),
                       r->base->bundle,
                       root,
                       &art,
                       &r->base->policy,
                       r->field->fragment,
                       0,
                       0,
                       0,
                       SW_BUF_INIT};
    assert_non_null(t.tree);
    /* re-serialised but untouched, it verifies: the failures below are the tampering's */
    char *again = cJSON_PrintUnformatted(t.tree);
    struct sw_provenance out;
    if (sw_sigstore_verify_digests(again, strlen(again), root, &art, &r->base->policy, &out,
                                   &err) != 0)
        fail_msg("the untouched bundle does not verify: %s", err.msg);
    free(again);
    walk(&t, t.tree, r->field->path, r->field->kind, r->field->path);
    print_message("%s: %zu tampered bundles, all refused\n", r->name, t.tried - t.passed);
    if (t.passed || t.wrong)
        print_error("%zu verified, %zu failed for another reason than '%s':\n%s", t.passed, t.wrong,
                    r->field->fragment ? r->field->fragment : "", sw_buf_str(&t.report));
    sw_buf_free(&t.report);
    cJSON_Delete(t.tree);
    sw_sigstore_root_free(root);
    free(text);
    assert_int_equal(t.passed, 0);
    assert_int_equal(t.wrong, 0);
    assert_true(t.tried > 0);
}

int main(void)
{
    size_t n = 0, cap = 0;
    struct row *rows = NULL;
    for (size_t b = 0; b < sizeof(bases) / sizeof(bases[0]); b++)
        for (const struct field *f = bases[b].fields; f->path; f++)
            cap++;
    rows = calloc(cap, sizeof(*rows));
    struct CMUnitTest *tests = calloc(cap, sizeof(*tests));
    for (size_t b = 0; b < sizeof(bases) / sizeof(bases[0]); b++) {
        for (const struct field *f = bases[b].fields; f->path; f++) {
            snprintf(rows[n].name, sizeof(rows[n].name), "%s: %s", bases[b].name, f->path);
            rows[n].base = &bases[b];
            rows[n].field = f;
            tests[n] = (struct CMUnitTest){rows[n].name, test_tamper, NULL, NULL, &rows[n]};
            n++;
        }
    }
    int rc = _cmocka_run_group_tests("sigstore_tamper", tests, n, find_shared, NULL);
    free(tests);
    free(rows);
    return rc;
}
