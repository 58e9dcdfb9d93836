/* OCI references and manifests for wash plugins: pure parsing, no I/O.
 *
 * A reference is `[oci://]REGISTRY/REPOSITORY[:TAG][@sha256:HEX]`, as docker writes them:
 * a first component with a '.' or ':' or equal to "localhost" is the registry; otherwise
 * the registry is docker.io (served at registry-1.docker.io) and a one-component repository
 * gets the "library/" prefix. No tag and no digest means the tag "latest". */
#ifndef SW_OCI_H
#define SW_OCI_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"

struct sw_oci_ref {
    char registry[256];   /* "ghcr.io", "127.0.0.1:5000" */
    char host[256];       /* where to connect: registry-1.docker.io for docker.io */
    char repository[512]; /* "wasmcloud/wash-plugins/blobstore-filesystem" */
    char tag[129];        /* "" when only a digest was given */
    char digest[80];      /* "sha256:<hex>", "" when none */
};

/* Parses a reference. -1 with err (SW_EXIT_USAGE) quoting the input and the rule it breaks. */
int sw_oci_ref_parse(const char *s, struct sw_oci_ref *out, struct sw_error *err);

/* Writes "registry/repository[:tag][@digest]" into buf[n]. */
void sw_oci_ref_str(const struct sw_oci_ref *r, char *buf, size_t n);

/* The media types this client asks for and accepts. */
#define SW_OCI_ACCEPT                                                                              \
    "application/vnd.oci.image.manifest.v1+json, "                                                \
    "application/vnd.docker.distribution.manifest.v2+json"
#define SW_OCI_WASM_CONFIG "application/vnd.wasm.config.v0+json"
#define SW_OCI_WASM_LAYER "application/wasm"
/* what wasmCloud published components as before the Wasm OCI artifact format */
#define SW_OCI_WASMCLOUD_LAYER "application/vnd.module.wasm.content.layer.v1+wasm"

struct sw_oci_layer {
    char media_type[128];
    char digest[80]; /* "sha256:<hex>" */
    int64_t size;
};

/* Parses an image manifest of a Wasm artifact: schemaVersion 2, exactly one layer of type
 * application/wasm (or the legacy wasmCloud layer type). An image index, a manifest with
 * several layers, another layer type or a malformed document fails with SW_EXIT_VERIFY naming
 * what was found. */
int sw_oci_manifest_wasm_layer(const char *json, size_t len, struct sw_oci_layer *out,
                               struct sw_error *err);

/* A WWW-Authenticate challenge: scheme "Bearer" or "Basic", and for Bearer its parameters. */
struct sw_oci_challenge {
    char scheme[16];
    char realm[1024];
    char service[256];
    char scope[512];
};

/* Parses a WWW-Authenticate value (comma-separated key="value" parameters, quoted strings
 * with backslash escapes). -1 with err (SW_EXIT_NETWORK) when it cannot be understood. */
int sw_oci_challenge_parse(const char *value, struct sw_oci_challenge *out, struct sw_error *err);

#endif
