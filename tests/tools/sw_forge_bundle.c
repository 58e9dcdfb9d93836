/* sw_forge_bundle: Sigstore bundles for the integration tests, made with the test Sigstore
 * instance of tests/unit/test_sigstore_forge*.h (a test CA, Rekor log and CT log, made afresh
 * on every run), and the trusted_root.json that verifies them. Built only for the tests.
 *
 *     sw_forge_bundle SPEC.json OUTDIR
 *     sw_forge_bundle --snappy IN OUT      (snappy-compress a file, raw format, as GitHub's
 *                                           attestations bundle_url serves bundles)
 *
 * SPEC.json:
 *     {"root": "trusted_root.json",
 *      "bundles": [{"file": "b.json",
 *                   "repository": "wasmCloud/wasmCloud",        signer: its workflow
 *                   "workflow": "release.yml", "ref": "refs/heads/main",
 *                   "source_repository": "wasmCloud/wasmCloud",  optional, default repository
 *                   "source_ref": "refs/tags/v2.1.0",            optional, default ref
 *                   "subjects": [{"name": "wash-x86_64-unknown-linux-gnu", "sha256": "<hex>"}],
 *                   "snappy": "b.json.sz"}]}                      optional: also compressed
 * Every bundle is signed under the one instance whose root is written to OUTDIR/<root>.
 * Exit 0, or 1 with a message on stderr. */
#include <snappy-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void forge_die(const char *what)
{
    fprintf(stderr, "sw_forge_bundle: %s\n", what);
    exit(1);
}

/* the forge headers were written for cmocka; outside it a failed check ends the program */
#define assert_non_null(x) ((x) ? (void)0 : forge_die(#x " is NULL"))
#define assert_true(x) ((x) ? (void)0 : forge_die(#x " failed"))
#define print_error(...) fprintf(stderr, __VA_ARGS__)

#include "../unit/test_sigstore_forge_bundle.h"
#include "core/json.h"
#include "io/fs.h"

static char *read_all(const char *path, size_t *len)
{
    struct sw_buf b = SW_BUF_INIT;
    struct sw_error err = {0};
    if (sw_fs_read(path, 64u << 20, &b, NULL, &err) < 0)
        forge_die(err.msg);
    *len = b.len;
    return b.data ? sw_buf_detach(&b) : sw_xstrdup("");
}

static void write_all(const char *dir, const char *name, const void *data, size_t len)
{
    struct sw_error err = {0};
    char *path = sw_path_join(dir, name);
    if (strchr(name, '/') || sw_fs_write_atomic(path, data, len, 0644, &err) < 0)
        forge_die(err.code ? err.msg : "file names may not contain '/'");
    free(path);
}

static char *snappy_of(const char *data, size_t len, size_t *out_len)
{
    *out_len = snappy_max_compressed_length(len);
    char *out = sw_xmalloc(*out_len);
    if (snappy_compress(data, len, out, out_len) != SNAPPY_OK)
        forge_die("snappy_compress failed");
    return out;
}

static const char *str(const cJSON *o, const char *key, const char *def)
{
    const char *v = sw_json_str(o, key);
    if (!v && !def) {
        fprintf(stderr, "sw_forge_bundle: a bundle needs \"%s\"\n", key);
        exit(1);
    }
    return v ? v : def;
}

/* The in-toto statement: SLSA provenance v1 over the given subjects. */
static char *statement(const cJSON *subjects)
{
    cJSON *st = cJSON_CreateObject();
    cJSON_AddStringToObject(st, "_type", "https://in-toto.io/Statement/v1");
    cJSON *list = cJSON_AddArrayToObject(st, "subject");
    for (const cJSON *s = subjects ? subjects->child : NULL; s; s = s->next) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", str(s, "name", NULL));
        cJSON_AddStringToObject(cJSON_AddObjectToObject(o, "digest"), "sha256",
                                str(s, "sha256", NULL));
        cJSON_AddItemToArray(list, o);
    }
    cJSON_AddStringToObject(st, "predicateType", "https://slsa.dev/provenance/v1");
    cJSON *pred = cJSON_AddObjectToObject(st, "predicate");
    cJSON_AddStringToObject(cJSON_AddObjectToObject(pred, "buildDefinition"), "buildType",
                            "https://actions.github.io/buildtypes/workflow/v1");
    char *text = cJSON_PrintUnformatted(st);
    cJSON_Delete(st);
    return text;
}

/* A v0.3 bundle with a DSSE envelope over `payload`, as forge_bundle makes one. */
static char *bundle_of(const struct forge_keys *k, const struct forge_opts *o, const char *payload)
{
    EVP_PKEY *key = forge_key(256);
    X509 *leaf = forge_leaf(k, o, key);
    const char *ptype = "application/vnd.in-toto+json";
    struct sw_buf pae = SW_BUF_INIT;
    sw_buf_printf(&pae, "DSSEv1 %zu %s %zu %s", strlen(ptype), ptype, strlen(payload), payload);
    size_t siglen;
    unsigned char *sig = forge_sign(key, EVP_sha256(), pae.data, pae.len, &siglen);
    char *body = forge_body(o, (const unsigned char *)payload, strlen(payload), sig, siglen, leaf);
    cJSON *b = cJSON_CreateObject();
    cJSON_AddStringToObject(b, "mediaType", "application/vnd.dev.sigstore.bundle.v0.3+json");
    cJSON *vm = cJSON_AddObjectToObject(b, "verificationMaterial");
    char *c = forge_b64_cert(leaf);
    cJSON_AddStringToObject(cJSON_AddObjectToObject(vm, "certificate"), "rawBytes", c);
    free(c);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(vm, "tlogEntries"), forge_entry(k, o, body));
    cJSON *env = cJSON_AddObjectToObject(b, "dsseEnvelope");
    forge_add_b64(env, "payload", payload, strlen(payload));
    cJSON_AddStringToObject(env, "payloadType", ptype);
    cJSON *s = cJSON_CreateObject();
    forge_add_b64(s, "sig", sig, siglen);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(env, "signatures"), s);
    char *text = cJSON_PrintUnformatted(b), *out = sw_xasprintf("%s\n", text);
    free(text);
    cJSON_Delete(b);
    free(body);
    free(sig);
    sw_buf_free(&pae);
    X509_free(leaf);
    EVP_PKEY_free(key);
    return out;
}

static void make_one(const struct forge_keys *k, const cJSON *spec, const char *dir)
{
    const char *repo = str(spec, "repository", NULL), *ref = str(spec, "ref", "refs/heads/main");
    char *san = sw_xasprintf("https://github.com/%s/.github/workflows/%s@%s", repo,
                             str(spec, "workflow", "release.yml"), ref);
    char *source = sw_xasprintf("https://github.com/%s", str(spec, "source_repository", repo));
    struct forge_opts o = {
        .san = san, .source_repo = source, .source_ref = str(spec, "source_ref", ref)};
    char *payload = statement(cJSON_GetObjectItemCaseSensitive(spec, "subjects"));
    char *bundle = bundle_of(k, &o, payload);
    write_all(dir, str(spec, "file", NULL), bundle, strlen(bundle));
    const char *sz = sw_json_str(spec, "snappy");
    if (sz) {
        size_t n;
        char *packed = snappy_of(bundle, strlen(bundle), &n);
        write_all(dir, sz, packed, n);
        free(packed);
    }
    free(bundle);
    free(payload);
    free(source);
    free(san);
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "--snappy") == 0) {
        size_t len, n;
        char *data = read_all(argv[2], &len), *packed = snappy_of(data, len, &n);
        struct sw_error err = {0};
        if (sw_fs_write_atomic(argv[3], packed, n, 0644, &err) < 0)
            forge_die(err.msg);
        free(packed);
        free(data);
        return 0;
    }
    if (argc != 3) {
        fprintf(stderr, "usage: sw_forge_bundle SPEC.json OUTDIR | --snappy IN OUT\n");
        return 2;
    }
    size_t len;
    char *text = read_all(argv[1], &len);
    struct sw_error err = {0};
    cJSON *spec = sw_json_parse(text, len, argv[1], 2, &err);
    if (!spec)
        forge_die(err.msg);
    if (sw_fs_mkdir_p(argv[2], 0755, &err) < 0)
        forge_die(err.msg);
    struct forge_keys keys;
    forge_keys_make(&keys);
    char *root = forge_root_json(&keys, NULL);
    write_all(argv[2], str(spec, "root", "trusted_root.json"), root, strlen(root));
    const cJSON *bundles = cJSON_GetObjectItemCaseSensitive(spec, "bundles");
    for (const cJSON *b = bundles ? bundles->child : NULL; b; b = b->next)
        make_one(&keys, b, argv[2]);
    free(root);
    forge_keys_free(&keys);
    cJSON_Delete(spec);
    free(text);
    return 0;
}
