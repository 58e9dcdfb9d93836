/* The trusted root parser of src/sigstore/root.c over a table of mutations of a root made at
 * run time (validity windows, keys, chains, duplicates, sizes), the --trusted-root file loader,
 * and the base64 and RFC 3339 decoders the whole verifier relies on. One named test per row. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "io/fs.h"
#include "support.h"

#include "test_sigstore_forge.h"

enum op { NONE, SET_STR, SET_RAW, DELETE, DUP, SUFFIX };

struct row {
    const char *name;
    enum op op;
    const char *path, *value;
    const char *fragment; /* NULL: it loads */
};

#define TLOG "tlogs.0.publicKey."
#define CA "certificateAuthorities.0."

static const struct row rows[] = {
    {"made at run time", NONE, NULL, NULL, NULL},
    {"mediaType missing", DELETE, "mediaType", NULL, "trusted root 'test': mediaType is missing"},
    {"a bundle's media type", SET_STR, "mediaType", "application/vnd.dev.sigstore.bundle.v0.3+json",
     "is not a Sigstore trusted root"},
    {"no tlogs", DELETE, "tlogs", NULL, "it has no transparency log (tlogs)"},
    {"no certificate authorities", SET_RAW, "certificateAuthorities", "[]",
     "it has no certificate authority (certificateAuthorities)"},
    {"tlog validity without start", DELETE, TLOG "validFor.start", NULL,
     "trusted root 'test': tlogs[0].publicKey.validFor.start is missing"},
    {"tlog without validity", DELETE, TLOG "validFor", NULL,
     "tlogs[0].publicKey.validFor is missing"},
    {"ctlog validity without start", DELETE, "ctlogs.0.publicKey.validFor.start", NULL,
     "ctlogs[0].publicKey.validFor.start is missing"},
    {"CA without validity", DELETE, CA "validFor", NULL, NULL},
    {"start that is no date", SET_STR, TLOG "validFor.start", "2022-13-01T00:00:00Z",
     "tlogs[0].publicKey.validFor.start is not an RFC 3339 time"},
    {"start without a zone", SET_STR, TLOG "validFor.start", "2022-04-13T20:06:15",
     "is not an RFC 3339 time"},
    {"start with an offset", SET_STR, TLOG "validFor.start", "2022-04-13T22:06:15+02:00", NULL},
    {"start with a fraction", SET_STR, TLOG "validFor.start", "2022-04-13T20:06:15.123456Z", NULL},
    {"end null", SET_RAW, TLOG "validFor.end", "null", NULL},
    {"end a number", SET_RAW, TLOG "validFor.end", "1",
     "tlogs[0].publicKey.validFor.end is not a "
     "string"},
    {"key not DER", SET_STR, TLOG "rawBytes", "MAA=",
     "tlogs[0].publicKey.rawBytes is not a public "
     "key"},
    {"key not base64", SET_STR, TLOG "rawBytes", "***",
     "tlogs[0].publicKey.rawBytes is not valid "
     "base64"},
    {"key missing", DELETE, TLOG "rawBytes", NULL, "tlogs[0].publicKey.rawBytes is missing"},
    {"log id missing", DELETE, "tlogs.0.logId", NULL, "tlogs[0].logId is missing"},
    {"hash algorithm SHA2_384", SET_STR, "tlogs.0.hashAlgorithm", "SHA2_384",
     "tlogs[0].hashAlgorithm 'SHA2_384' is not SHA2_256"},
    {"certificate chain empty", SET_RAW, CA "certChain.certificates", "[]",
     "certificateAuthorities[0].certChain.certificates is empty"},
    {"certificate not DER", SET_STR, CA "certChain.certificates.0.rawBytes", "MAA=",
     "certificateAuthorities[0].certChain.certificates[0].rawBytes is not a DER certificate"},
    {"tlog an array", SET_RAW, "tlogs.0", "[]", "tlogs[0] is not an object"},
    {"mediaType twice", DUP, "mediaType", NULL, "key 'mediaType' appears twice"},
    {"text after the root", SUFFIX, NULL, "{}", "trusted root 'test': not a JSON object"},
    {"65 tlogs", SET_RAW, "tlogs", NULL, "tlogs has 65 elements, more than 64"},
};

static struct forge_keys keys;
static char *base;

static int setup(void **state)
{
    (void)state;
    forge_keys_make(&keys);
    base = forge_root_json(&keys, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    forge_keys_free(&keys);
    free(base);
    return 0;
}

static char *mutate(const struct row *r)
{
    if (r->op == NONE)
        return sw_xstrdup(base);
    if (r->op == SUFFIX)
        return sw_xasprintf("%s%s", base, r->value);
    cJSON *tree = cJSON_Parse(base);
    char key[64];
    cJSON *parent = forge_locate(tree, r->path, key, sizeof(key));
    cJSON *node = cJSON_IsArray(parent) ? cJSON_GetArrayItem(parent, atoi(key))
                                        : cJSON_GetObjectItemCaseSensitive(parent, key);
    if (r->op == SET_STR) {
        forge_put(parent, key, cJSON_CreateString(r->value));
    } else if (r->op == SET_RAW && r->value) {
        forge_put(parent, key, cJSON_Parse(r->value));
    } else if (r->op == SET_RAW) { /* 65 copies of the first element */
        for (int i = 1; i < 65; i++)
            cJSON_AddItemToArray(node, cJSON_Duplicate(node->child, 1));
    } else if (r->op == DELETE) {
        cJSON_DeleteItemFromObjectCaseSensitive(parent, key);
    } else if (r->op == DUP) {
        cJSON_AddItemToObject(parent, key, cJSON_Duplicate(node, 1));
    }
    char *text = cJSON_PrintUnformatted(tree);
    cJSON_Delete(tree);
    return text;
}

static void test_row(void **state)
{
    const struct row *r = *state;
    char *text = mutate(r);
    struct sw_sigstore_root *root = NULL;
    struct sw_error err = {0};
    int rc = sw_sigstore_root_load_json(text, strlen(text), "test", &root, &err);
    free(text);
    sw_sigstore_root_free(root);
    if (!r->fragment) {
        if (rc != 0)
            fail_msg("expected it to load, got: %s", err.msg);
        return;
    }
    if (rc == 0)
        fail_msg("expected '%s', but it loaded", r->fragment);
    assert_null(root);
    if (err.code != SW_EXIT_USAGE || !strstr(err.msg, r->fragment))
        fail_msg("expected '%s' (class %d), got (class %d): %s", r->fragment, SW_EXIT_USAGE,
                 err.code, err.msg);
}

/* --trusted-root FILE: a file that loads, one that does not exist, one too large. */
static void test_files(void **state)
{
    (void)state;
    char *dir = sw_test_tmpdir("sw-sigstore-root");
    char *good = sw_xasprintf("%s/root.json", dir), *big = sw_xasprintf("%s/big.json", dir);
    FILE *f = fopen(good, "wb");
    fputs(base, f);
    fclose(f);
    f = fopen(big, "wb");
    for (int i = 0; i < 5 * 1024; i++)
        fprintf(f, "%1024s", "");
    fclose(f);
    struct sw_sigstore_root *root = NULL;
    struct sw_error err = {0};
    assert_int_equal(sw_sigstore_root_load_file(good, &root, &err), 0);
    sw_sigstore_root_free(root);
    root = NULL;
    char *missing = sw_xasprintf("%s/missing.json", dir);
    assert_int_equal(sw_sigstore_root_load_file(missing, &root, &err), -1);
    assert_int_equal(err.code, SW_EXIT_FS);
    assert_null(root);
    assert_int_equal(sw_sigstore_root_load_file(big, &root, &err), -1);
    assert_null(root);
    sw_fs_rm_rf(dir, NULL);
    free(dir);
    free(good);
    free(big);
    free(missing);
}

struct b64_row {
    const char *in;
    int ok;
    const char *out;
};

static void test_base64(void **state)
{
    (void)state;
    static const struct b64_row b64[] = {
        {"", 1, ""},         {"TQ==", 1, "M"},      {"TQ", 1, "M"},         {"TWE=", 1, "Ma"},
        {"TWE", 1, "Ma"},    {"TWFu", 1, "Man"},    {"-_8", 1, "\xfb\xff"}, {"+/8=", 1, "\xfb\xff"},
        {"TQ=", 0, NULL},    {"T", 0, NULL},        {"TQ===", 0, NULL},     {"T Q==", 0, NULL},
        {"TQ==\n", 0, NULL}, {"====", 0, NULL},     {"TW=u", 0, NULL},      {"TWFu\n", 0, NULL},
        {"TWFuT", 0, NULL},  {"TQ==TQ==", 0, NULL},
    };
    for (size_t i = 0; i < sizeof(b64) / sizeof(b64[0]); i++) {
        unsigned char *out = NULL;
        size_t n = 0;
        int rc = sw_sig_b64_decode(b64[i].in, strlen(b64[i].in), 64, &out, &n);
        if ((rc == 0) != b64[i].ok)
            fail_msg("base64 row %zu '%s': expected %s", i, b64[i].in,
                     b64[i].ok ? "success" : "failure");
        if (rc == 0 && (n != strlen(b64[i].out) || memcmp(out, b64[i].out, n) != 0))
            fail_msg("base64 row %zu '%s': wrong bytes", i, b64[i].in);
        free(out);
    }
    unsigned char *out = NULL;
    size_t n;
    assert_int_equal(sw_sig_b64_decode("TWFu", 4, 2, &out, &n), -1); /* over the cap */
    char *enc = sw_sig_b64_encode((const unsigned char *)"Ma", 2);
    assert_string_equal(enc, "TWE=");
    free(enc);
}

struct time_row {
    const char *in;
    bool round_up;
    int ok;
    long long t;
};

static void test_times(void **state)
{
    (void)state;
    static const struct time_row times[] = {
        {"2022-04-13T20:06:15Z", false, 1, 1649880375},
        {"2022-04-13T20:06:15.000Z", true, 1, 1649880375},
        {"2022-04-13T20:06:15.999Z", false, 1, 1649880375},
        {"2022-04-13T20:06:15.001Z", true, 1, 1649880376},
        {"2022-04-13T22:06:15+02:00", false, 1, 1649880375},
        {"2022-04-13T18:06:15-02:00", false, 1, 1649880375},
        {"2022-04-13t20:06:15z", false, 1, 1649880375},
        {"1970-01-01T00:00:00Z", false, 1, 0},
        {"2022-04-13 20:06:15Z", false, 0, 0},
        {"2022-04-13T20:06:15", false, 0, 0},
        {"2022-04-13T20:06Z", false, 0, 0},
        {"2022-13-13T20:06:15Z", false, 0, 0},
        {"2022-04-13T24:06:15Z", false, 0, 0},
        {"2022-04-13T20:06:15.Z", false, 0, 0},
        {"2022-04-13T20:06:15Zjunk", false, 0, 0},
        {"", false, 0, 0},
    };
    for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
        long long t = -1;
        int rc = sw_time_parse(times[i].in, times[i].round_up, &t);
        if ((rc == 0) != times[i].ok || (rc == 0 && t != times[i].t))
            fail_msg("time row %zu '%s': got rc %d, %lld", i, times[i].in, rc, t);
    }
    char buf[32];
    sw_time_format(1716578064, buf, sizeof(buf));
    assert_string_equal(buf, "2024-05-24T19:14:24Z");
}

int main(void)
{
    size_t nr = sizeof(rows) / sizeof(rows[0]);
    struct CMUnitTest *tests = calloc(nr + 3, sizeof(*tests));
    size_t n = 0;
    for (size_t i = 0; i < nr; i++)
        tests[n++] = (struct CMUnitTest){rows[i].name, test_row, NULL, NULL, (void *)&rows[i]};
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_files);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_base64);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_times);
    int rc = _cmocka_run_group_tests("sigstore_root", tests, n, setup, teardown);
    free(tests);
    return rc;
}
