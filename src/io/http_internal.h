/* The client struct, shared by the files of the HTTP module (http.c: the engine; http_recv.c:
 * what a response brings; http_errors.c: what a failure means; http_api.c: GitHub JSON with
 * the ETag cache, and downloads). Not for other modules. */
#ifndef SW_HTTP_INTERNAL_H
#define SW_HTTP_INTERNAL_H

#include <curl/curl.h>

#include <stdbool.h>

#include "io/http.h"

struct sw_http {
    struct sw_http_config cfg;
    CURLM *multi;
    struct sw_http_stats stats;
    unsigned int seed;
    void (*progress)(void *ud, uint64_t done, uint64_t total);
    void *progress_ud;
    bool warned_plain; /* the plain-HTTP notice was given */
};

#define SW_HTTP_MAX_HOPS 10
#define SW_HTTP_ERRBODY_MAX 4096

/* One request in flight: its hop, its collected headers and its sink. */
struct job {
    struct sw_http *h;
    const struct sw_http_request *rq;
    struct sw_http_reply *out;
    struct sw_error *err;

    CURL *easy;
    struct curl_slist *hdrs;
    char url[4096];
    char errbuf[CURL_ERROR_SIZE];
    int attempt, hops;
    long wake_ms; /* monotonic ms at which a waiting job starts again */
    bool running, done;
    int rc;

    long status;
    char retry_after[64];
    char rl_remaining[32];
    char rl_reset[32];
    struct evp_md_ctx_st *md; /* EVP_MD_CTX */
    uint64_t written;
    bool too_big;
    int write_errno;
    struct sw_buf errbody;
    char *wbuf; /* the write-behind buffer of a body going to a file (http_recv.c) */
    size_t wlen;
};

/* The receiving side (http_recv.c): libcurl's header, write and progress callbacks of a hop
 * (ud is the job), and the last of a body to its file when the transfer completed (-1 with
 * errno). */
bool sw_http_ok_status(long s);
size_t sw_http_on_header(char *data, size_t size, size_t nmemb, void *ud);
size_t sw_http_on_body(char *data, size_t size, size_t nmemb, void *ud);
int sw_http_on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                        curl_off_t ulnow);
int sw_http_flush_body(struct job *j);

/* Failure analysis (http_errors.c): each fills j->err where it reports a failure. */
bool sw_http_retryable_curl(CURLcode rc);
void sw_http_curl_failure(struct job *j, CURLcode rc);
bool sw_http_is_rate_limit(const struct job *j);
long sw_http_retry_after_seconds(const char *v);
void sw_http_rate_limit_failure(struct job *j);
void sw_http_error_message(const struct job *j, char *dst, size_t n);

/* The URL for messages: no query string (signed download URLs carry credentials there). */
void sw_http_url_for_message(char *dst, size_t n, const char *url);

#endif
