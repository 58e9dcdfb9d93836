/* The HTTP engine: every request, single or in a batch, runs here over libcurl's multi
 * interface. Redirects are followed by hand so credentials are decided per hop; retries and
 * rate limits are handled per request. What a response brings is read by http_recv.c. */
#include "core/attr.h"
#include "io/http.h"

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/url.h"
#include "io/http_internal.h"
#include "os/os.h"

/* scheme://host[:port] length of url, or 0. */
static size_t origin_len(const char *url)
{
    const char *p = strstr(url, "://");
    if (!p)
        return 0;
    p += 3;
    while (*p && *p != '/' && *p != '?' && *p != '#')
        p++;
    return (size_t)(p - url);
}

static bool same_origin(const char *a, const char *b)
{
    size_t la = origin_len(a);
    return la && la == origin_len(b) && strncasecmp(a, b, la) == 0;
}

bool sw_http_url_gets_token(const char *api_url, const char *url)
{
    if (!api_url || !url || !same_origin(api_url, url))
        return false;
    size_t ol = origin_len(api_url);
    size_t al = strlen(api_url);
    while (al > ol && api_url[al - 1] == '/')
        al--;
    if (strncmp(api_url, url, al) != 0)
        return false;
    char c = url[al];
    return c == '\0' || c == '/' || c == '?';
}

void sw_http_url_for_message(char *dst, size_t n, const char *url)
{
    char tmp[512];
    size_t l = strcspn(url, "?#");
    if (l >= sizeof(tmp))
        l = sizeof(tmp) - 1;
    memcpy(tmp, url, l);
    tmp[l] = '\0';
    sw_sanitize(dst, n, tmp);
}

struct sw_http *sw_http_new(const struct sw_http_config *cfg, struct sw_error *err)
{
    static bool global_done;
    if (!global_done) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            sw_error_set(err, SW_EXIT_NETWORK, "cannot initialise libcurl");
            return NULL;
        }
        global_done = true;
    }
    struct sw_http *h = sw_xcalloc(1, sizeof(*h));
    h->cfg = *cfg;
    if (h->cfg.connect_timeout_s <= 0)
        h->cfg.connect_timeout_s = 30;
    if (h->cfg.stall_timeout_s <= 0)
        h->cfg.stall_timeout_s = 30;
    if (h->cfg.max_retries < 0)
        h->cfg.max_retries = 4;
    if (h->cfg.retry_base_ms <= 0)
        h->cfg.retry_base_ms = 1000;
    if (h->cfg.retry_after_max_s <= 0)
        h->cfg.retry_after_max_s = 60;
    h->seed = (unsigned int)time(NULL) ^ ((unsigned int)sw_os_getpid() << 16);
    /* one multi handle for the client's life: its connection cache keeps connections warm
     * from one request to the next */
    h->multi = curl_multi_init();
    if (!h->multi) {
        free(h);
        sw_error_set(err, SW_EXIT_NETWORK, "cannot initialise libcurl");
        return NULL;
    }
    curl_multi_setopt(h->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 8L);
    return h;
}

void sw_http_free(struct sw_http *h)
{
    if (!h)
        return;
    curl_multi_cleanup(h->multi);
    free(h);
}

const struct sw_http_stats *sw_http_stats(const struct sw_http *h)
{
    return &h->stats;
}

void sw_http_set_progress(struct sw_http *h, void (*fn)(void *ud, uint64_t done, uint64_t total),
                          void *ud)
{
    h->progress = fn;
    h->progress_ud = ud;
}

static long backoff_ms(struct sw_http *h, int attempt)
{
    long d = h->cfg.retry_base_ms;
    for (int i = 0; i < attempt && d < 60000; i++)
        d *= 2;
    /* jitter in [d/2, d]: matrix jobs that failed together do not retry together */
    /* xorshift32: jitter needs spread, not secrecy, and rand_r is not on Windows */
    unsigned int x = h->seed ? h->seed : 2463534242u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    h->seed = x;
    return d / 2 + (long)(x % (unsigned)(d / 2 + 1));
}

static void notice(struct sw_http *h, const char *fmt, ...) SW_PRINTF(2, 3);
static void notice(struct sw_http *h, const char *fmt, ...)
{
    if (!h->cfg.notice)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    h->cfg.notice(h->cfg.ud, msg);
}

int sw_http_check_server_url(const struct sw_http *h, const char *url, const char *what,
                             const char *from, struct sw_error *err)
{
    if (sw_url_transport(url, h->cfg.plain_http) != SW_URL_INSECURE)
        return 0;
    char shown[512], src[512];
    sw_http_url_for_message(shown, sizeof(shown), url);
    sw_http_url_for_message(src, sizeof(src), from);
    return sw_error_set(err, SW_EXIT_NETWORK,
                        "%s from '%s' is not an https URL ('%s'): refusing to follow it (plain "
                        "HTTP is only for loopback and for hosts listed in "
                        "SETUP_WASH_PLAIN_HTTP_REGISTRIES)",
                        what, src, shown);
}

/* Whether this hop may carry a secret: over TLS always; over plain HTTP only to a loopback
 * or listed host, with a notice the first time. Otherwise fails the job before connecting. */
static bool secret_may_go(struct job *j, bool token)
{
    struct sw_http *h = j->h;
    enum sw_url_transport t = sw_url_transport(j->url, h->cfg.plain_http);
    const char *what = token ? "the GitHub token" : "registry credentials";
    char shown[512];
    if (t == SW_URL_TLS)
        return true;
    sw_http_url_for_message(shown, sizeof(shown), j->url);
    if (t == SW_URL_INSECURE) {
        sw_error_set(j->err, SW_EXIT_NETWORK,
                     "refusing to send %s over plain HTTP to '%s': %s, or list the host in "
                     "SETUP_WASH_PLAIN_HTTP_REGISTRIES if the network to it is trusted",
                     what, shown,
                     token ? "set GITHUB_API_URL to an https URL or unset GITHUB_TOKEN"
                           : "use the registry over https");
        return false;
    }
    if (!h->warned_plain) {
        h->warned_plain = true;
        notice(h, "warning: sending %s over plain HTTP to '%s' (%s)", what, shown,
               t == SW_URL_PLAIN_LOOPBACK ? "a loopback host"
                                          : "listed in SETUP_WASH_PLAIN_HTTP_REGISTRIES");
    }
    return true;
}

static void finish(struct job *j, int rc);

/* Empties a download's file for a body that starts over, only when it holds bytes: ext4 takes a
 * truncation to 0 for a file being replaced and flushes it when it is closed (auto_da_alloc),
 * which costs a download that was never retried its writeback at close, and the next fsync
 * anywhere on the disk then waits for those blocks (64 MiB: 8 ms at close, 57 ms at the
 * marker's fsync). */
static int file_empty(int fd)
{
    struct sw_os_stat st;
    if (sw_os_fstat(fd, &st) < 0)
        return -1;
    return st.size > 0 ? sw_os_ftruncate(fd, 0) : 0;
}

/* Sets up the easy handle for the job's current hop and adds it to the multi handle. A hop
 * that would send a secret in clear finishes the job with an error instead. */
static void start_hop(struct job *j)
{
    struct sw_http *h = j->h;
    const struct sw_http_request *rq = j->rq;
    CURL *c = j->easy;
    char line[2300];

    curl_easy_reset(c);
    curl_slist_free_all(j->hdrs);
    j->hdrs = NULL;
    sw_buf_reset(&j->errbody);
    j->status = 0;
    j->errbuf[0] = '\0';
    /* the sink starts over: a retried or redirected body must not be appended */
    if (rq->body) {
        sw_buf_reset(rq->body);
    } else if (rq->sink) {
        if (j->written > 0 && rq->sink->restart)
            rq->sink->restart(rq->sink->ud);
    } else if (rq->fd >= 0) {
        j->wlen = 0;
        if (file_empty(rq->fd) < 0 || sw_os_rewind(rq->fd) < 0)
            j->write_errno = errno;
    }
    EVP_DigestInit_ex(j->md, EVP_sha256(), NULL);
    j->written = 0;

    if (rq->github) {
        j->hdrs = curl_slist_append(j->hdrs, "Accept: application/vnd.github+json");
        j->hdrs = curl_slist_append(j->hdrs, "X-GitHub-Api-Version: 2022-11-28");
        curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    } else {
        snprintf(line, sizeof(line), "Accept: %s",
                 rq->accept ? rq->accept : "application/octet-stream");
        j->hdrs = curl_slist_append(j->hdrs, line);
    }
    if (j->hops == 0 && rq->if_none_match) {
        snprintf(line, sizeof(line), "If-None-Match: %s", rq->if_none_match);
        j->hdrs = curl_slist_append(j->hdrs, line);
    }
    const char *auth = NULL;
    char bearer[2100];
    bool token = rq->github && h->cfg.token && sw_http_url_gets_token(h->cfg.api_url, j->url);
    if (token) {
        snprintf(bearer, sizeof(bearer), "Bearer %s", h->cfg.token);
        auth = bearer;
    } else if (rq->authorization && same_origin(rq->url, j->url)) {
        auth = rq->authorization;
    }
    if (auth && !secret_may_go(j, token)) {
        OPENSSL_cleanse(bearer, sizeof(bearer));
        finish(j, -1);
        return;
    }
    if (auth) {
        snprintf(line, sizeof(line), "Authorization: %s", auth);
        j->hdrs = curl_slist_append(j->hdrs, line);
        OPENSSL_cleanse(line, sizeof(line));
        OPENSSL_cleanse(bearer, sizeof(bearer));
    }
    curl_easy_setopt(c, CURLOPT_URL, j->url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, j->hdrs);
    curl_easy_setopt(c, CURLOPT_USERAGENT, h->cfg.user_agent);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, h->cfg.connect_timeout_s);
    /* curl averages speed over a few seconds, so a trickle of bytes would keep a stalled
     * transfer alive under a 1 byte/s limit: under 1 KiB/s for the whole window is a stall */
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, h->cfg.stall_timeout_s);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (h->cfg.cacert)
        curl_easy_setopt(c, CURLOPT_CAINFO, h->cfg.cacert);
    if (h->cfg.capath)
        curl_easy_setopt(c, CURLOPT_CAPATH, h->cfg.capath);
    /* Windows has no CA bundle file: the system's certificate store, unless one was given */
    if (SW_ON_WINDOWS && !h->cfg.cacert && !h->cfg.capath)
        curl_easy_setopt(c, CURLOPT_SSL_OPTIONS, (long)CURLSSLOPT_NATIVE_CA);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, sw_http_on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, j);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sw_http_on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, j);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, j->errbuf);
    curl_easy_setopt(c, CURLOPT_BUFFERSIZE, 256L * 1024L);
    curl_easy_setopt(c, CURLOPT_PRIVATE, j);
    if (rq->progress && h->progress) {
        curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, sw_http_on_progress);
        curl_easy_setopt(c, CURLOPT_XFERINFODATA, j);
    }
    h->stats.requests++;
    curl_multi_add_handle(h->multi, c);
    j->running = true;
}

static void finish(struct job *j, int rc)
{
    j->done = true;
    j->rc = rc;
    if (rc == 0) {
        unsigned int mdlen = 0;
        j->out->status = j->status;
        EVP_DigestFinal_ex(j->md, j->out->sha256, &mdlen);
        j->out->size = j->written;
    }
    if (j->rq->sink && j->rq->sink->end)
        j->rq->sink->end(j->rq->sink->ud, rc, j->err);
}

static void wait_then_retry(struct job *j, long ms)
{
    j->attempt++;
    j->hops = 0;
    snprintf(j->url, sizeof(j->url), "%s", j->rq->url);
    j->wake_ms = sw_os_now_ms() + ms;
}

/* Decides what a finished hop means: done, next hop, retry later, or failure. */
static void evaluate(struct job *j, CURLcode cc)
{
    struct sw_http *h = j->h;
    const struct sw_http_request *rq = j->rq;
    bool last = j->attempt >= h->cfg.max_retries;
    char shown[512], msg[256];
    long d;
    sw_http_url_for_message(shown, sizeof(shown), j->url);

    /* the body is complete: the last of it to its file */
    if (cc == CURLE_OK && !j->write_errno && sw_http_flush_body(j) < 0)
        j->write_errno = errno;
    if (cc == CURLE_WRITE_ERROR && j->too_big) {
        sw_error_set(j->err, SW_EXIT_VERIFY,
                     "'%s' sent more than the %llu bytes expected: refusing the download", shown,
                     (unsigned long long)rq->max_size);
        goto fail;
    }
    if (j->write_errno) {
        sw_error_set(j->err, SW_EXIT_FS, "cannot write the download: %s", strerror(j->write_errno));
        goto fail;
    }
    if (cc != CURLE_OK) {
        if (!sw_http_retryable_curl(cc) || last) {
            sw_http_curl_failure(j, cc);
            if (j->attempt > 0)
                sw_error_wrap(j->err, "after %d attempts", j->attempt + 1);
            goto fail;
        }
        d = backoff_ms(h, j->attempt);
        notice(h, "retrying in %.1f s (attempt %d of %d): %s", (double)d / 1000.0, j->attempt + 2,
               h->cfg.max_retries + 1, j->errbuf[0] ? j->errbuf : curl_easy_strerror(cc));
        wait_then_retry(j, d);
        return;
    }
    if (j->status >= 300 && j->status <= 399 && j->status != 304) {
        char *loc = NULL;
        curl_easy_getinfo(j->easy, CURLINFO_REDIRECT_URL, &loc);
        if (!loc || ++j->hops > SW_HTTP_MAX_HOPS) {
            sw_error_set(j->err, SW_EXIT_NETWORK,
                         "too many redirects or a redirect without a Location from '%s'", shown);
            goto fail;
        }
        if (sw_http_check_server_url(h, loc, "a redirect", j->url, j->err) < 0)
            goto fail;
        snprintf(j->url, sizeof(j->url), "%s", loc);
        start_hop(j);
        return;
    }
    if (sw_http_ok_status(j->status) || j->status == 304 ||
        (j->status == 404 && (rq->pass & SW_HTTP_PASS_404)) ||
        (j->status == 401 && (rq->pass & SW_HTTP_PASS_401))) {
        finish(j, 0);
        return;
    }
    if (sw_http_is_rate_limit(j)) {
        long wait = sw_http_retry_after_seconds(j->retry_after);
        if (wait >= 0 && wait <= h->cfg.retry_after_max_s && !last) {
            notice(h, "rate limited by '%s' (HTTP %ld): waiting %ld s as Retry-After asks", shown,
                   j->status, wait);
            wait_then_retry(j, wait * 1000);
            return;
        }
        sw_http_rate_limit_failure(j);
        goto fail;
    }
    if ((j->status >= 500 || j->status == 408) && !last) {
        d = backoff_ms(h, j->attempt);
        notice(h, "retrying in %.1f s (attempt %d of %d): '%s' answered HTTP %ld",
               (double)d / 1000.0, j->attempt + 2, h->cfg.max_retries + 1, shown, j->status);
        wait_then_retry(j, d);
        return;
    }
    if (j->status == 404) {
        sw_error_set(j->err, SW_EXIT_NOTFOUND, "'%s' does not exist (HTTP 404)", shown);
        goto fail;
    }
    sw_http_error_message(j, msg, sizeof(msg));
    sw_error_set(j->err, SW_EXIT_NETWORK, "'%s' answered HTTP %ld%s%s%s", shown, j->status,
                 msg[0] ? " (" : "", msg, msg[0] ? ")" : "");
    if (j->status == 401 && rq->github)
        sw_error_wrap(j->err, "the token was refused (check GITHUB_TOKEN)");
    else if (j->attempt > 0)
        sw_error_wrap(j->err, "after %d attempts", j->attempt + 1);
fail:
    finish(j, -1);
}

size_t sw_http_fetch_many(struct sw_http *h, const struct sw_http_request *rqs,
                          struct sw_http_reply *outs, struct sw_error *errs, size_t n)
{
    struct job *jobs = sw_xcalloc(n, sizeof(*jobs));
    size_t left = n, failed = 0;
    for (size_t i = 0; i < n; i++) {
        struct job *j = &jobs[i];
        j->h = h, j->rq = &rqs[i], j->out = &outs[i], j->err = &errs[i];
        memset(j->out, 0, sizeof(*j->out));
        sw_error_clear(j->err);
        snprintf(j->url, sizeof(j->url), "%s", rqs[i].url);
        j->easy = curl_easy_init();
        j->md = EVP_MD_CTX_new();
        if (!j->easy || !j->md) {
            sw_error_set(j->err, SW_EXIT_NETWORK, "cannot initialise libcurl");
            finish(j, -1);
            left--;
            continue;
        }
        start_hop(j);
        if (j->done)
            left--;
    }
    while (left > 0) {
        int still = 0;
        curl_multi_perform(h->multi, &still);
        CURLMsg *msg;
        int queued;
        while ((msg = curl_multi_info_read(h->multi, &queued))) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            struct job *j = NULL;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&j);
            CURLcode cc = msg->data.result;
            curl_multi_remove_handle(h->multi, msg->easy_handle);
            j->running = false;
            evaluate(j, cc);
            if (j->done)
                left--;
        }
        /* start the jobs whose backoff is over; sleep no longer than the nearest wake-up */
        long now = sw_os_now_ms(), wait = 1000;
        bool any_running = false;
        for (size_t i = 0; i < n; i++) {
            struct job *j = &jobs[i];
            if (j->done)
                continue;
            if (!j->running && j->wake_ms <= now) {
                start_hop(j);
                if (j->done) {
                    left--;
                    continue;
                }
            }
            if (j->running)
                any_running = true;
            else if (j->wake_ms - now < wait)
                wait = j->wake_ms - now;
        }
        if (left == 0)
            break;
        if (any_running)
            curl_multi_poll(h->multi, NULL, 0, (int)(wait > 0 ? wait : 0), NULL);
        else if (wait > 0) {
            sw_os_sleep_ms(wait);
        }
    }
    for (size_t i = 0; i < n; i++) {
        struct job *j = &jobs[i];
        if (j->rc < 0)
            failed++;
        curl_slist_free_all(j->hdrs);
        curl_easy_cleanup(j->easy);
        EVP_MD_CTX_free(j->md);
        sw_buf_free(&j->errbody);
        free(j->wbuf);
    }
    free(jobs);
    return failed;
}

int sw_http_fetch(struct sw_http *h, const struct sw_http_request *rq, struct sw_http_reply *out,
                  struct sw_error *err)
{
    return sw_http_fetch_many(h, rq, out, err, 1) ? -1 : 0;
}
