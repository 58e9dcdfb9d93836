/* Where a wash release's Sigstore bundle comes from, and where it is kept.
 *
 * - the release asset wash.sigstore.json, downloaded like any asset (no API request, no token);
 * - GitHub's attestations API, GET {api}/repos/{repo}/attestations/sha256:{hex} (with the
 *   token, like every API request), whose entries carry the bundle inline or, in the newer
 *   form, only a `bundle_url` to a snappy-compressed bundle on another host (fetched without
 *   the token);
 * - the content-addressed cache <cache root>/.setup-wash/bundles/sha256/<hex>.json, filled by
 *   `setup-wash lock` so that locked installs need no request for the bundle.
 * Nothing here verifies a bundle (sigstore/sigstore.h does); bytes are capped at SW_BUNDLE_MAX.
 * Ownership: buffers are the caller's; a struct sw_attestations owns its entries. */
#ifndef SW_ATTEST_H
#define SW_ATTEST_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"
#include "io/http.h"

/* A bundle is a few KiB; anything larger than this is refused while it streams. */
#define SW_BUNDLE_MAX (4u << 20)
/* Attestations of one artifact considered at most (GitHub answers 30 a page). */
#define SW_ATTEST_MAX 32

/* Downloads the release asset wash.sigstore.json of repo/tag from server_url into out
 * (appended). A 404 sets *found to false and returns 0; other failures are -1 with err as
 * sw_http_fetch reports them. */
int sw_attest_fetch_asset(struct sw_http *h, const char *server_url, const char *repo,
                          const char *tag, struct sw_buf *out, bool *found, struct sw_error *err);

struct sw_attestation {
    char *bundle; /* the inline bundle as compact JSON text, or NULL */
    size_t bundle_len;
    char *bundle_url; /* where the snappy-compressed bundle is, or NULL */
};

struct sw_attestations {
    struct sw_attestation *items; /* at most SW_ATTEST_MAX, in the API's order */
    size_t n;
};

/* Parses an attestations API answer, {"attestations": [{"bundle": {...}} | {"bundle_url":
 * "https://..."}, ...]}: entries with neither are skipped. Fails (SW_EXIT_NETWORK) when the
 * body is not JSON of that shape. */
int sw_attest_parse(const char *json, size_t len, struct sw_attestations *out,
                    struct sw_error *err);

/* GET {api}/repos/{repo}/attestations/sha256:{hex}, parsed. A 404 (no attestation) gives n = 0
 * and returns 0. */
int sw_attest_list(struct sw_http *h, const char *api_url, const char *repo, const char *hex,
                   struct sw_attestations *out, struct sw_error *err);

void sw_attestations_free(struct sw_attestations *a);

/* Fetches a bundle_url (never with the token: it is not an API URL) and decompresses it
 * (snappy's raw format, as GitHub serves it; core/snappy.h) into out. Fails with SW_EXIT_VERIFY
 * when the body is not valid snappy or decompresses past SW_BUNDLE_MAX. */
int sw_attest_fetch_url(struct sw_http *h, const char *url, struct sw_buf *out,
                        struct sw_error *err);

/* <cache root>/.setup-wash/bundles/sha256/<hex>.json for a "sha256:<hex>" digest; caller frees. */
char *sw_bundle_cache_path(const char *cache_root, const char *digest);

/* Reads the cached bundle with that digest into out, re-hashing it: true when it is there and
 * has that digest (a file that does not is removed, and false returned). */
bool sw_bundle_cache_get(const char *cache_root, const char *digest, struct sw_buf *out);

/* Stores bytes in the cache under their digest (atomically). -1 with err (SW_EXIT_FS). */
int sw_bundle_cache_put(const char *cache_root, const void *data, size_t len, struct sw_error *err);

#endif
