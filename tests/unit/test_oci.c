/* Unit tests for src/core/oci.c: references, Wasm manifests, authentication challenges. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/oci.h"

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))
#define D64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

struct ref_row {
    const char *in;
    int ok;
    const char *registry, *host, *repository, *tag, *digest, *frag;
};

static const struct ref_row ref_rows[] = {
    {"ghcr.io/wasmcloud/wash-plugins/blobstore-filesystem:0.1.0", 1, "ghcr.io", "ghcr.io",
     "wasmcloud/wash-plugins/blobstore-filesystem", "0.1.0", "", NULL},
    {"oci://ghcr.io/a/b:1", 1, "ghcr.io", "ghcr.io", "a/b", "1", "", NULL},
    {"ghcr.io/a/b", 1, "ghcr.io", "ghcr.io", "a/b", "latest", "", NULL},
    {"ghcr.io/a/b@sha256:" D64, 1, "ghcr.io", "ghcr.io", "a/b", "", "sha256:" D64, NULL},
    {"ghcr.io/a/b:1.0@sha256:" D64, 1, "ghcr.io", "ghcr.io", "a/b", "1.0", "sha256:" D64, NULL},
    {"127.0.0.1:5000/p:v1", 1, "127.0.0.1:5000", "127.0.0.1:5000", "p", "v1", "", NULL},
    {"localhost/p", 1, "localhost", "localhost", "p", "latest", "", NULL},
    {"localhost:5000/x/y:z", 1, "localhost:5000", "localhost:5000", "x/y", "z", "", NULL},
    {"busybox", 1, "docker.io", "registry-1.docker.io", "library/busybox", "latest", "", NULL},
    {"user/img:2", 1, "docker.io", "registry-1.docker.io", "user/img", "2", "", NULL},
    {"ghcr.io/A/b:1", 0, NULL, NULL, NULL, NULL, NULL, "lowercase"},
    {"ghcr.io/a/b:", 0, NULL, NULL, NULL, NULL, NULL, "invalid tag"},
    {"ghcr.io/a/b:-x", 0, NULL, NULL, NULL, NULL, NULL, "invalid tag"},
    {"ghcr.io/a/b:t@sha256:12", 0, NULL, NULL, NULL, NULL, NULL, "digest"},
    {"ghcr.io/", 0, NULL, NULL, NULL, NULL, NULL, "missing repository"},
    {"ghcr.io/a//b", 0, NULL, NULL, NULL, NULL, NULL, "missing repository"},
    {"", 0, NULL, NULL, NULL, NULL, NULL, "missing repository"},
    {"ghcr.io/a b", 0, NULL, NULL, NULL, NULL, NULL, "lowercase"},
};

static void test_ref_parse(void **state)
{
    (void)state;
    int failed = 0;
    for (size_t i = 0; i < ROWS(ref_rows); i++) {
        const struct ref_row *r = &ref_rows[i];
        struct sw_oci_ref ref;
        struct sw_error err = {0};
        int rc = sw_oci_ref_parse(r->in, &ref, &err);
        bool ok = r->ok ? rc == 0 && strcmp(ref.registry, r->registry) == 0 &&
                              strcmp(ref.host, r->host) == 0 &&
                              strcmp(ref.repository, r->repository) == 0 &&
                              strcmp(ref.tag, r->tag) == 0 && strcmp(ref.digest, r->digest) == 0
                        : rc < 0 && err.code == SW_EXIT_USAGE && strstr(err.msg, r->frag);
        if (!ok) {
            print_error("row %zu '%s': rc=%d reg=%s repo=%s tag=%s err=%s\n", i, r->in, rc,
                        rc == 0 ? ref.registry : "", rc == 0 ? ref.repository : "",
                        rc == 0 ? ref.tag : "", err.msg);
            failed++;
        }
    }
    assert_int_equal(failed, 0);
}

#define LAYER(mt, dg, sz) "{\"mediaType\":\"" mt "\",\"digest\":\"" dg "\",\"size\":" sz "}"
#define MANIFEST(layers)                                                                           \
    "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","         \
    "\"config\":{\"mediaType\":\"application/vnd.wasm.config.v0+json\",\"digest\":\"sha256:" D64 \
    "\",\"size\":2},\"layers\":[" layers "]}"

struct manifest_row {
    const char *name, *json;
    int ok;
    const char *frag;
};

static const struct manifest_row manifest_rows[] = {
    {"wasm layer", MANIFEST(LAYER("application/wasm", "sha256:" D64, "10")), 1, NULL},
    {"legacy wasmCloud layer",
     MANIFEST(LAYER("application/vnd.module.wasm.content.layer.v1+wasm", "sha256:" D64, "10")), 1,
     NULL},
    {"two layers",
     MANIFEST(LAYER("application/wasm", "sha256:" D64, "1") "," LAYER("application/wasm",
                                                                       "sha256:" D64, "1")),
     0, "exactly one layer"},
    {"no layers", MANIFEST(""), 0, "exactly one layer"},
    {"image layer", MANIFEST(LAYER("application/vnd.oci.image.layer.v1.tar+gzip", "sha256:" D64, "1")),
     0, "not a Wasm component artifact"},
    {"bad digest", MANIFEST(LAYER("application/wasm", "sha256:12", "1")), 0, "malformed"},
    {"negative size", MANIFEST(LAYER("application/wasm", "sha256:" D64, "-1")), 0, "malformed"},
    {"index", "{\"schemaVersion\":2,\"manifests\":[]}", 0, "image index"},
    {"schema 1", "{\"schemaVersion\":1,\"layers\":[]}", 0, "schemaVersion 2"},
    {"not json", "<html>", 0, "not a JSON object"},
};

static void test_manifest(void **state)
{
    (void)state;
    int failed = 0;
    for (size_t i = 0; i < ROWS(manifest_rows); i++) {
        const struct manifest_row *r = &manifest_rows[i];
        struct sw_oci_layer layer;
        struct sw_error err = {0};
        int rc = sw_oci_manifest_wasm_layer(r->json, strlen(r->json), &layer, &err);
        bool ok = r->ok ? rc == 0 && layer.size == 10 && strcmp(layer.digest, "sha256:" D64) == 0
                        : rc < 0 && err.code == SW_EXIT_VERIFY && strstr(err.msg, r->frag);
        if (!ok) {
            print_error("row %zu (%s): rc=%d err=%s\n", i, r->name, rc, err.msg);
            failed++;
        }
    }
    assert_int_equal(failed, 0);
}

struct challenge_row {
    const char *in;
    int ok;
    const char *scheme, *realm, *service, *scope;
};

static const struct challenge_row challenge_rows[] = {
    {"Bearer realm=\"https://ghcr.io/token\",service=\"ghcr.io\",scope=\"repository:a/b:pull\"",
     1, "Bearer", "https://ghcr.io/token", "ghcr.io", "repository:a/b:pull"},
    {"Bearer realm=\"https://auth.docker.io/token\", service=\"registry.docker.io\"", 1, "Bearer",
     "https://auth.docker.io/token", "registry.docker.io", ""},
    {"Basic realm=\"Registry Realm\"", 1, "Basic", "Registry Realm", "", ""},
    {"Bearer realm=\"https://x/t\",scope=\"repository:a:pull,push\"", 1, "Bearer", "https://x/t",
     "", "repository:a:pull,push"},
    {"Bearer realm=\"a\\\"b\"", 1, "Bearer", "a\"b", "", ""},
    {"Bearer service=\"x\"", 0, NULL, NULL, NULL, NULL},
    {"Bearer realm=\"unterminated", 0, NULL, NULL, NULL, NULL},
    {"", 0, NULL, NULL, NULL, NULL},
};

static void test_challenge(void **state)
{
    (void)state;
    int failed = 0;
    for (size_t i = 0; i < ROWS(challenge_rows); i++) {
        const struct challenge_row *r = &challenge_rows[i];
        struct sw_oci_challenge c;
        struct sw_error err = {0};
        int rc = sw_oci_challenge_parse(r->in, &c, &err);
        bool ok = r->ok ? rc == 0 && strcmp(c.scheme, r->scheme) == 0 &&
                              strcmp(c.realm, r->realm) == 0 &&
                              strcmp(c.service, r->service) == 0 && strcmp(c.scope, r->scope) == 0
                        : rc < 0 && err.code == SW_EXIT_NETWORK;
        if (!ok) {
            print_error("row %zu '%s': rc=%d err=%s\n", i, r->in, rc, err.msg);
            failed++;
        }
    }
    assert_int_equal(failed, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ref_parse),
        cmocka_unit_test(test_manifest),
        cmocka_unit_test(test_challenge),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
