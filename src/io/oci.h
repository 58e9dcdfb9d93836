/* Pulling Wasm artifacts from OCI registries (the distribution spec), over io/http.
 *
 * Authentication follows the registry's challenge: anonymous first; on 401 with a Bearer
 * challenge a token is fetched from the realm (with Basic credentials when the docker config
 * has them), on a Basic challenge the credentials are sent directly. Tokens are kept per
 * registry and repository for the client's life. A registry's Authorization never follows a
 * redirect to another origin (blob downloads are often redirected to object storage). */
#ifndef SW_IO_OCI_H
#define SW_IO_OCI_H

#include "core/error.h"
#include "core/oci.h"
#include "io/http.h"

struct sw_oci;

struct sw_oci_config {
    /* comma-separated host[:port] list reached over plain HTTP (a local test or mirror
     * registry), as docker's insecure-registries; NULL for none */
    const char *plain_http;
    /* the docker config file to read credentials from ($DOCKER_CONFIG/config.json); NULL:
     * <home>/.docker/config.json */
    const char *docker_config;
    const char *home;
    const char *path_env; /* PATH, to find docker-credential-* helpers */
};

struct sw_oci *sw_oci_new(struct sw_http *h, const struct sw_oci_config *cfg);
void sw_oci_free(struct sw_oci *o);

/* Fetches the manifest of ref (by its digest when it has one, else by tag) and checks it: the
 * bytes hash to ref->digest when given, and to the Docker-Content-Digest header when sent.
 * Writes the manifest's digest into manifest_digest[80] and its single Wasm layer into *layer.
 * Errors: SW_EXIT_NOTFOUND (no such repository/tag), SW_EXIT_VERIFY (digest mismatch, not a
 * Wasm artifact), SW_EXIT_NETWORK (auth refused: with the fix). */
int sw_oci_resolve(struct sw_oci *o, const struct sw_oci_ref *ref, char *manifest_digest,
                   struct sw_oci_layer *layer, struct sw_error *err);

/* Fills rq (url and authorization, valid while o lives) to download blob `digest` of ref's
 * repository; the caller sets the sink and runs it, alone or in a batch. Call after
 * sw_oci_resolve of the same repository so the token is known. */
void sw_oci_blob_request(struct sw_oci *o, const struct sw_oci_ref *ref, const char *digest,
                         struct sw_http_request *rq);

#endif
