/* Strict parsing in src/sigstore/: a valid release bundle made at run time
 * (test_sigstore_forge.h), mutated one way per row (media types, missing and mistyped members,
 * integers, base64 forms, duplicate keys, JSON Lines, sizes) and verified. One named test per
 * row. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_sigstore_forge_bundle.h"

enum op {
    NONE,
    SET_STR,     /* path = value (a string) */
    SET_NUM,     /* path = value (a number) */
    SET_RAW,     /* path = value (JSON text), added when absent */
    DELETE,      /* remove path */
    URLSAFE,     /* re-encode the base64 at path in the URL-safe alphabet, unpadded */
    WRAP,        /* insert a newline in the base64 at path, as PEM would */
    DUP,         /* repeat the member at path */
    REPEAT_ITEM, /* the array at path holds its first element, value times */
    FILE_TEXT,   /* the file is value */
    FILE_PREFIX, /* value, then the bundle */
    FILE_SUFFIX, /* the bundle, then value */
    FILE_LINES,  /* the bundle repeated value times, CRLF between */
    FILE_PRETTY, /* the bundle formatted over many lines */
    FILE_HALF,   /* the first half of the bundle */
};

struct row {
    const char *name;
    enum op op;
    const char *path, *value;
    enum expect expect;
    const char *fragment;
};

#define TL "verificationMaterial.tlogEntries.0."
#define PROOF TL "inclusionProof."

static const struct row rows[] = {
    {"untouched", NONE, NULL, NULL, PASS, NULL},
    {"pretty-printed JSON", FILE_PRETTY, NULL, NULL, PASS, NULL},
    {"JSON Lines of two bundles with CRLF", FILE_LINES, NULL, "2", PASS, NULL},
    {"JSON Lines of 65 bundles", FILE_LINES, NULL, "65", FAIL,
     "bundle file holds more than 64 bundles"},
    {"empty file", FILE_TEXT, NULL, "", FAIL, "bundle file is empty"},
    {"whitespace only", FILE_TEXT, NULL, " \n\t\r\n", FAIL, "bundle file is empty"},
    {"a JSON array", FILE_TEXT, NULL, "[]", FAIL, "bundle: not a JSON object"},
    {"JSON null", FILE_TEXT, NULL, "null", FAIL, "bundle: not a JSON object"},
    {"a brace after the bundle", FILE_SUFFIX, NULL, "}", FAIL, "bundle on line 2: invalid JSON"},
    {"truncated", FILE_HALF, NULL, NULL, FAIL, "bundle: invalid JSON near byte"},
    {"byte order mark", FILE_PREFIX, NULL, "\xEF\xBB\xBF", FAIL,
     "bundle: invalid JSON near byte 0 (a byte order mark)"},
    {"media type version=0.1 with a certificate", SET_STR, "mediaType",
     "application/vnd.dev.sigstore.bundle+json;version=0.1", PASS, NULL},
    {"media type version=0.2 with a certificate", SET_STR, "mediaType",
     "application/vnd.dev.sigstore.bundle+json;version=0.2", PASS, NULL},
    {"media type version=0.3", SET_STR, "mediaType",
     "application/vnd.dev.sigstore.bundle+json;version=0.3", PASS, NULL},
    {"media type version=0.4", SET_STR, "mediaType",
     "application/vnd.dev.sigstore.bundle+json;version=0.4", FAIL,
     "bundle: unknown media type 'application/vnd.dev.sigstore.bundle+json;version=0.4'"},
    {"media type v0.4 spelling", SET_STR, "mediaType",
     "application/vnd.dev.sigstore.bundle.v0.4+json", FAIL, "unknown media type"},
    {"media type in capitals", SET_STR, "mediaType",
     "APPLICATION/VND.DEV.SIGSTORE.BUNDLE.V0.3+JSON", FAIL, "unknown media type"},
    {"media type with a space", SET_STR, "mediaType",
     "application/vnd.dev.sigstore.bundle+json; version=0.3", FAIL, "unknown media type"},
    {"mediaType missing", DELETE, "mediaType", NULL, FAIL, "bundle: mediaType is missing"},
    {"mediaType a number", SET_NUM, "mediaType", "3", FAIL, "bundle: mediaType is not a string"},
    {"mediaType null", SET_RAW, "mediaType", "null", FAIL, "bundle: mediaType is missing"},
    {"verificationMaterial missing", DELETE, "verificationMaterial", NULL, FAIL,
     "bundle: verificationMaterial is missing"},
    {"verificationMaterial an array", SET_RAW, "verificationMaterial", "[]", FAIL,
     "bundle: verificationMaterial is not an object"},
    {"certificate and chain", SET_RAW, "verificationMaterial.x509CertificateChain",
     "{\"certificates\":[{\"rawBytes\":\"MAA=\"}]}", FAIL,
     "verificationMaterial has more than one of certificate, x509CertificateChain and publicKey"},
    {"no certificate", DELETE, "verificationMaterial.certificate", NULL, FAIL,
     "verificationMaterial has none of certificate"},
    {"certificate not base64", SET_STR, "verificationMaterial.certificate.rawBytes", "!!!!", FAIL,
     "bundle: verificationMaterial.certificate.rawBytes is not valid base64"},
    {"certificate in URL-safe base64 without padding", URLSAFE,
     "verificationMaterial.certificate.rawBytes", NULL, PASS, NULL},
    {"certificate base64 wrapped", WRAP, "verificationMaterial.certificate.rawBytes", NULL, FAIL,
     "certificate.rawBytes is not valid base64"},
    {"certificate empty", SET_STR, "verificationMaterial.certificate.rawBytes", "", FAIL,
     "verificationMaterial.certificate.rawBytes is empty"},
    {"certificate not DER", SET_STR, "verificationMaterial.certificate.rawBytes", "MAA=", FAIL,
     "bundle certificate is not a DER X.509 certificate"},
    {"public key instead of a certificate", SET_RAW, "verificationMaterial",
     "{\"publicKey\":{\"hint\":\"k\"},\"tlogEntries\":[]}", UNSUPPORTED,
     SW_SIGSTORE_UNSUPPORTED "it is signed with a public key"},
    {"logIndex as a JSON number", SET_NUM, TL "logIndex", "90000006", PASS, NULL},
    {"logIndex negative", SET_STR, TL "logIndex", "-1", FAIL,
     "bundle: verificationMaterial.tlogEntries[0].logIndex is negative"},
    {"logIndex negative number", SET_NUM, TL "logIndex", "-1", FAIL, "logIndex is negative"},
    {"logIndex with a plus sign", SET_STR, TL "logIndex", "+90000006", FAIL,
     "logIndex is not an integer"},
    {"logIndex fractional", SET_NUM, TL "logIndex", "1.5", FAIL, "logIndex is not an integer"},
    {"logIndex of 20 digits", SET_STR, TL "logIndex", "99999999999999999999", FAIL,
     "logIndex is not an integer"},
    {"logIndex beyond int64", SET_STR, TL "logIndex", "9999999999999999999", FAIL,
     "logIndex is out of range"},
    {"logIndex with a space", SET_STR, TL "logIndex", " 90000006", FAIL,
     "logIndex is not an integer"},
    {"logIndex an object", SET_RAW, TL "logIndex", "{}", FAIL, "logIndex is not an integer"},
    {"integratedTime missing", DELETE, TL "integratedTime", NULL, FAIL,
     "log entry 90000006 has no signed entry timestamp"},
    {"inclusionPromise missing", DELETE, TL "inclusionPromise", NULL, FAIL,
     "log entry 90000006 has no signed entry timestamp"},
    {"inclusionProof missing", DELETE, TL "inclusionProof", NULL, FAIL,
     "tlogEntries[0] has no inclusionProof, which a v0.3 bundle requires"},
    {"checkpoint missing", DELETE, PROOF "checkpoint", NULL, FAIL,
     "tlogEntries[0].inclusionProof.checkpoint is missing"},
    {"checkpoint empty", SET_STR, PROOF "checkpoint.envelope", "", FAIL,
     "inclusionProof.checkpoint.envelope is empty or too long"},
    {"proof hash of 31 bytes", SET_STR, PROOF "hashes.0",
     "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==", FAIL,
     "inclusionProof.hashes[0] is not a base64 SHA-256"},
    {"proof hash a number", SET_NUM, PROOF "hashes.0", "1", FAIL,
     "inclusionProof.hashes[0] is not a base64 SHA-256"},
    {"65 proof hashes", REPEAT_ITEM, PROOF "hashes", "65", FAIL,
     "inclusionProof.hashes has 65 elements, more than 64"},
    {"treeSize missing", DELETE, PROOF "treeSize", NULL, FAIL, "treeSize is missing"},
    {"kindVersion missing", DELETE, TL "kindVersion", NULL, FAIL,
     "tlogEntries[0].kindVersion is missing"},
    {"kind rekord", SET_STR, TL "kindVersion.kind", "rekord", UNSUPPORTED,
     SW_SIGSTORE_UNSUPPORTED "its log entry kind is not dsse 0.0.1"},
    {"kind of 40 characters", SET_STR, TL "kindVersion.kind",
     "dssedssedssedssedssedssedssedssedssedsse", FAIL, "kindVersion.kind is empty or too long"},
    {"kind hashedrekord for an envelope", SET_RAW, TL "kindVersion",
     "{\"kind\":\"hashedrekord\",\"version\":\"0.0.1\"}", FAIL,
     "log entry 90000006 is a hashedrekord entry, which cannot record a DSSE envelope"},
    {"kind intoto over a dsse body", SET_RAW, TL "kindVersion",
     "{\"kind\":\"intoto\",\"version\":\"0.0.2\"}", FAIL,
     "log entry 90000006 body is not of the kind its entry says (intoto 0.0.2)"},
    {"no log entries", SET_RAW, "verificationMaterial.tlogEntries", "[]", FAIL,
     "bundle has no transparency log entry, so its signing time cannot be trusted"},
    {"9 log entries", REPEAT_ITEM, "verificationMaterial.tlogEntries", "9", FAIL,
     "verificationMaterial.tlogEntries has 9 elements, more than 8"},
    {"the same log entry twice", REPEAT_ITEM, "verificationMaterial.tlogEntries", "2", FAIL,
     "verificationMaterial.tlogEntries[1] repeats log entry 90000006"},
    {"logId missing", DELETE, TL "logId", NULL, FAIL, "tlogEntries[0].logId is missing"},
    {"canonicalizedBody missing", DELETE, TL "canonicalizedBody", NULL, FAIL,
     "tlogEntries[0].canonicalizedBody is missing"},
    {"envelope and message signature", SET_RAW, "messageSignature", "{\"signature\":\"MAA=\"}",
     FAIL, "bundle: it has both dsseEnvelope and messageSignature"},
    {"no envelope", DELETE, "dsseEnvelope", NULL, FAIL,
     "bundle: it has neither dsseEnvelope nor messageSignature"},
    {"no envelope signature", SET_RAW, "dsseEnvelope.signatures", "[]", FAIL,
     "dsseEnvelope has 0 signatures; exactly one is required"},
    {"envelope signature not an object", SET_RAW, "dsseEnvelope.signatures", "[\"x\"]", FAIL,
     "dsseEnvelope.signatures[0] is not an object"},
    {"payload not base64", SET_STR, "dsseEnvelope.payload", "%%%%", FAIL,
     "dsseEnvelope.payload is not valid base64"},
    {"payload in URL-safe base64 without padding", URLSAFE, "dsseEnvelope.payload", NULL, PASS,
     NULL},
    {"keyid a number", SET_NUM, "dsseEnvelope.signatures.0.keyid", "1", FAIL,
     "dsseEnvelope.signatures[0].keyid is not a string"},
    {"mediaType twice", DUP, "mediaType", NULL, FAIL, "bundle: key 'mediaType' appears twice"},
    {"logIndex twice", DUP, TL "logIndex", NULL, FAIL, "bundle: key 'logIndex' appears twice"},
    {"an unknown member", SET_RAW, "comment", "\"made by hand\"", PASS, NULL},
    {"timestampVerificationData an array", SET_RAW,
     "verificationMaterial.timestampVerificationData", "[]", FAIL,
     "verificationMaterial.timestampVerificationData is not an object"},
};

static struct forge_keys keys;
static struct sw_sigstore_root *root;
static char *base;

static int setup(void **state)
{
    (void)state;
    struct sw_error err = {0};
    struct forge_opts o = {0};
    forge_keys_make(&keys);
    char *json = forge_root_json(&keys, NULL);
    int rc = sw_sigstore_root_load_json(json, strlen(json), "test root", &root, &err);
    free(json);
    base = forge_bundle(&keys, &o);
    return rc;
}

static int teardown(void **state)
{
    (void)state;
    sw_sigstore_root_free(root);
    forge_keys_free(&keys);
    free(base);
    return 0;
}

static char *mutate_tree(const struct row *r)
{
    cJSON *tree = cJSON_Parse(base);
    char key[64];
    cJSON *parent = forge_locate(tree, r->path, key, sizeof(key));
    cJSON *node = cJSON_IsArray(parent) ? cJSON_GetArrayItem(parent, atoi(key))
                                        : cJSON_GetObjectItemCaseSensitive(parent, key);
    switch (r->op) {
    case SET_STR:
        forge_put(parent, key, cJSON_CreateString(r->value));
        break;
    case SET_NUM:
        forge_put(parent, key, cJSON_CreateNumber(strtod(r->value, NULL)));
        break;
    case SET_RAW:
        forge_put(parent, key, cJSON_Parse(r->value));
        break;
    case DELETE:
        cJSON_DeleteItemFromObjectCaseSensitive(parent, key);
        break;
    case URLSAFE:
    case WRAP: {
        char *s = sw_xstrdup(node->valuestring);
        if (r->op == URLSAFE) {
            for (char *p = s; *p; p++)
                *p = *p == '+' ? '-' : *p == '/' ? '_' : *p;
            s[strcspn(s, "=")] = '\0';
        } else {
            char *w = sw_xasprintf("%.64s\n%s", s, s + 64);
            free(s);
            s = w;
        }
        forge_put(parent, key, cJSON_CreateString(s));
        free(s);
        break;
    }
    case DUP:
        cJSON_AddItemToObject(parent, key, cJSON_Duplicate(node, 1));
        break;
    case REPEAT_ITEM:
        while (cJSON_GetArraySize(node) > 1)
            cJSON_DeleteItemFromArray(node, 1);
        for (int i = 1; i < atoi(r->value); i++)
            cJSON_AddItemToArray(node, cJSON_Duplicate(node->child, 1));
        break;
    default:
        break;
    }
    char *text = cJSON_PrintUnformatted(tree);
    cJSON_Delete(tree);
    return text;
}

static char *mutate(const struct row *r)
{
    switch (r->op) {
    case NONE:
        return sw_xstrdup(base);
    case FILE_TEXT:
        return sw_xstrdup(r->value);
    case FILE_PREFIX:
        return sw_xasprintf("%s%s", r->value, base);
    case FILE_SUFFIX:
        return sw_xasprintf("%s%s", base, r->value);
    case FILE_HALF:
        return sw_xstrndup(base, strlen(base) / 2);
    case FILE_PRETTY: {
        cJSON *t = cJSON_Parse(base);
        char *s = cJSON_Print(t);
        cJSON_Delete(t);
        return s;
    }
    case FILE_LINES: {
        struct sw_buf b = SW_BUF_INIT;
        size_t len = strlen(base) - 1; /* without its newline */
        for (int i = 0; i < atoi(r->value); i++) {
            sw_buf_add(&b, base, len);
            sw_buf_adds(&b, "\r\n");
        }
        return sw_buf_detach(&b);
    }
    default:
        return mutate_tree(r);
    }
}

static void test_row(void **state)
{
    const struct row *r = *state;
    char *text = mutate(r);
    unsigned char digest[32];
    struct sw_provenance out;
    struct sw_error err = {0};
    forge_digest(forge_binaries[0], digest);
    int rc = sw_sigstore_verify(text, strlen(text), root, digest,
                                sw_sigstore_policy_wash("wasmCloud/wasmCloud"), &out, &err);
    free(text);
    if (r->expect == PASS) {
        if (rc != 0)
            fail_msg("expected a pass, got: %s", err.msg);
        return;
    }
    if (rc == 0)
        fail_msg("expected '%s', but it verified", r->fragment);
    if (err.code != SW_EXIT_VERIFY || !strstr(err.msg, r->fragment) ||
        out.unsupported != (r->expect == UNSUPPORTED))
        fail_msg("expected%s '%s', got%s: %s", r->expect == UNSUPPORTED ? " unsupported" : "",
                 r->fragment, out.unsupported ? " unsupported" : "", err.msg);
}

int main(void)
{
    size_t nr = sizeof(rows) / sizeof(rows[0]);
    struct CMUnitTest *tests = calloc(nr, sizeof(*tests));
    for (size_t i = 0; i < nr; i++)
        tests[i] = (struct CMUnitTest){rows[i].name, test_row, NULL, NULL, (void *)&rows[i]};
    int rc = _cmocka_run_group_tests("sigstore_parse", tests, nr, setup, teardown);
    free(tests);
    return rc;
}
