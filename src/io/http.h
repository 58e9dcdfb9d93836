/* HTTP for setup-wash: libcurl with the policies a CI setup tool needs.
 *
 * - The token goes only to URLs under the API base URL (same origin, path below the base),
 *   never across a redirect to another origin: redirects are followed here, hop by hop, and
 *   the Authorization header is decided anew for every hop.
 * - Retries with exponential backoff and jitter for connection failures, resets, timeouts,
 *   truncated bodies and 5xx; a rate limit (403/429 with the rate-limit headers or
 *   Retry-After) waits when Retry-After is short and otherwise fails saying when it resets.
 * - Secrets (the token, an Authorization value) go only over TLS: a request that would send
 *   one over plain HTTP fails before connecting, unless the host is loopback or listed in
 *   cfg.plain_http, and then with a notice. Every URL a server hands over (Location, Link,
 *   a token realm, a bundle_url) passes sw_http_check_server_url: https, or an exception.
 * - Connect timeout and a low-speed (stall) timeout; TLS always verified, never a fallback.
 * - API responses may be cached on disk and revalidated with If-None-Match.
 * - One engine (libcurl's multi interface) runs single requests and parallel batches alike.
 * Ownership: struct sw_http owns its libcurl handles; responses own their buffers. */
#ifndef SW_HTTP_H
#define SW_HTTP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/buf.h"
#include "core/error.h"

struct sw_http_config {
    const char *api_url;    /* the token is sent only below this base URL */
    const char *token;      /* NULL: anonymous */
    const char *cacert;     /* CA bundle file, or NULL for the system store */
    const char *capath;     /* CA directory, or NULL */
    const char *user_agent; /* "setup-wash/<version>" */
    long connect_timeout_s; /* 0: 30 s */
    long stall_timeout_s;   /* abort when under 1 KiB/s for this long; 0: 30 s */
    int max_retries;        /* retries after the first attempt; < 0: 4 */
    long retry_base_ms;     /* first backoff; doubled each retry, with jitter; 0: 1000 */
    long retry_after_max_s; /* longest Retry-After honoured by waiting; 0: 60 */
    const char *cache_dir;  /* directory for the ETag cache, or NULL to disable */
    const char *plain_http; /* SETUP_WASH_PLAIN_HTTP_REGISTRIES: hosts that may get secrets
                             * over plain HTTP (core/url.h); loopback always may */
    /* Called with a one-line notice ("retrying in 2 s: ..."); may be NULL. */
    void (*notice)(void *ud, const char *msg);
    void *ud;
};

struct sw_http_stats {
    unsigned requests;      /* HTTP requests sent, each redirect hop and retry counted */
    unsigned not_modified;  /* 304 answers */
    uint64_t bytes_received;/* body bytes */
};

struct sw_http;

/* Creates a client; the config strings must outlive it. NULL with err on failure. */
struct sw_http *sw_http_new(const struct sw_http_config *cfg, struct sw_error *err);
void sw_http_free(struct sw_http *h);
const struct sw_http_stats *sw_http_stats(const struct sw_http *h);

/* Sets (or, with fn NULL, clears) a callback called with bytes done and total (0 when
 * unknown) while a download runs. */
void sw_http_set_progress(struct sw_http *h, void (*fn)(void *ud, uint64_t done, uint64_t total),
                          void *ud);

/* Statuses a request may ask to get back as answers instead of failures. */
#define SW_HTTP_PASS_404 0x1u /* "not found" is an answer (a missing tag) */
#define SW_HTTP_PASS_401 0x2u /* "unauthorized" is an answer (a registry's Bearer challenge) */

/* Where a body goes when it is neither buffered nor written to a file (io/stream.h unpacks one
 * as it arrives). Every call comes from the thread running sw_http_fetch(_many), from inside
 * it, for the request the sink was given to:
 * - write(): each chunk of a 2xx body, in order (only the final hop's; a redirect's or an error
 *   answer's body never). It may block: the slower of the network and the sink sets the pace
 *   (every request of the batch waits meanwhile). Returns 0, or -1 with errno set, which fails
 *   the request with SW_EXIT_FS "cannot write the download: <strerror>".
 * - restart(): the body starts over (a retry after bytes were written): forget them. Not called
 *   when nothing was written since the start or the last restart. May be NULL.
 * - end(): once, when the request is over: rc 0 when the body written is complete and the
 *   request succeeded, else -1 with its error (err, which lives only during the call). May be
 *   NULL. */
struct sw_http_sink {
    int (*write)(void *ud, const void *data, size_t n);
    void (*restart)(void *ud);
    void (*end)(void *ud, int rc, const struct sw_error *err);
    void *ud;
};

/* One request. The body goes to `body` (buffered) or, when body is NULL, to the `sink`, or to
 * the file `fd` when sink is NULL too (truncated and rewritten on each retry), or nowhere when
 * fd is -1 as well (a digest taken from the stream alone); in every case it is hashed with
 * SHA-256 as it arrives. Strings (and the sink) must outlive the call. */
struct sw_http_request {
    const char *url;
    bool github;               /* GitHub API: its Accept and version headers, and the token when
                                * the URL is below the API base URL */
    const char *accept;        /* Accept header when not github; NULL: application/octet-stream */
    const char *authorization; /* an Authorization value (a registry token) for the URL's own
                                * origin only: dropped on any redirect to another origin */
    const char *if_none_match; /* sent on the first hop only */
    struct sw_buf *body;
    const struct sw_http_sink *sink;
    int fd;
    uint64_t max_size; /* > 0: a larger body fails with SW_EXIT_VERIFY while it streams */
    unsigned pass;     /* SW_HTTP_PASS_* */
    bool progress;     /* report to the progress callback */
};

struct sw_http_reply {
    long status; /* 2xx, 304, or a status allowed by `pass` */
    unsigned char sha256[32];
    uint64_t size;
    char etag[256];
    char next[2048]; /* Link rel="next" */
    char content_type[128];
    char docker_digest[160];     /* Docker-Content-Digest */
    char www_authenticate[1024]; /* WWW-Authenticate (with 401) */
};

/* Performs one request with the policies above. Returns 0 with *out filled, or -1 with err:
 * SW_EXIT_NETWORK for transport, TLS and HTTP failures (rate limits explained), SW_EXIT_FS
 * for a write error, SW_EXIT_VERIFY for an oversized body, SW_EXIT_NOTFOUND for a 404 that
 * was not passed. */
int sw_http_fetch(struct sw_http *h, const struct sw_http_request *rq, struct sw_http_reply *out,
                  struct sw_error *err);

/* Performs n requests at once over libcurl's multi interface, each with its own redirects and
 * retries. outs[i] and errs[i] receive each outcome; returns the number that failed. */
size_t sw_http_fetch_many(struct sw_http *h, const struct sw_http_request *rqs,
                          struct sw_http_reply *outs, struct sw_error *errs, size_t n);

struct sw_http_response {
    long status;         /* final HTTP status (200, 304 served from cache reports 200, 404...) */
    struct sw_buf body;  /* the body (from the cache when revalidated) */
    char *next;          /* the Link rel="next" URL, or NULL */
    bool from_cache;     /* a 304 answered and the cached body was used */
};

/* GETs a GitHub API URL as JSON. With `cached`, sends If-None-Match from the disk cache and
 * stores 200 answers that carry an ETag. 2xx and 404 return 0 (check status); other answers
 * fail as sw_http_fetch does. The caller frees resp with sw_http_response_free. */
int sw_http_get_json(struct sw_http *h, const char *url, bool cached,
                     struct sw_http_response *resp, struct sw_error *err);

/* The cached body for url without any request, or -1 when there is none (no error set). */
int sw_http_cache_peek(struct sw_http *h, const char *url, struct sw_http_response *resp);

void sw_http_response_free(struct sw_http_response *resp);

struct sw_download {
    unsigned char sha256[32]; /* of the bytes written */
    uint64_t size;
};

/* Downloads url (no token: it is not an API URL) into fd, hashing in the same pass, with
 * progress. `max_size` > 0 caps the body. 404 fails with SW_EXIT_NOTFOUND. */
int sw_http_download(struct sw_http *h, const char *url, int fd, uint64_t max_size,
                     struct sw_download *out, struct sw_error *err);

/* The check for a URL taken from a server's answer before it is followed: 0 when url is https
 * or plain HTTP to a loopback or listed host (core/url.h), else -1 with err (SW_EXIT_NETWORK)
 * "<what> from '<from>' is not https: ...", naming SETUP_WASH_PLAIN_HTTP_REGISTRIES. */
int sw_http_check_server_url(const struct sw_http *h, const char *url, const char *what,
                             const char *from, struct sw_error *err);

/* Whether the token would be sent to url: same origin as the API base and below its path. */
bool sw_http_url_gets_token(const char *api_url, const char *url);

#endif
