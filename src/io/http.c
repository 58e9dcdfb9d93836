#include "io/http.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "io/fs.h"

#define MAX_HOPS 10
#define ERRBODY_MAX 4096

struct sw_http {
    struct sw_http_config cfg;
    CURL *curl;
    struct sw_http_stats stats;
    unsigned int seed;
    void (*progress)(void *ud, uint64_t done, uint64_t total);
    void *progress_ud;
};

/* What one request hop collects. */
struct xfer {
    struct sw_http *h;
    long status;
    char etag[256];
    char next[2048];
    char retry_after[64];
    char rl_remaining[32];
    char rl_reset[32];
    /* sinks: JSON into body, downloads into fd with the hash */
    struct sw_buf *body;
    int fd;
    EVP_MD_CTX *md;
    uint64_t written;
    uint64_t max;
    bool too_big;
    int write_errno;
    struct sw_buf errbody;
};

static bool ok_status(long s)
{
    return s >= 200 && s < 300;
}

static void copy_trimmed(char *dst, size_t n, const char *v, size_t len)
{
    while (len && (v[len - 1] == '\r' || v[len - 1] == '\n' || v[len - 1] == ' '))
        len--;
    while (len && *v == ' ')
        v++, len--;
    if (len >= n)
        len = n - 1;
    memcpy(dst, v, len);
    dst[len] = '\0';
}

/* Link: <url>; rel="next", <url>; rel="last" */
static void parse_link_next(char *dst, size_t n, const char *v, size_t len)
{
    const char *end = v + len;
    while (v < end) {
        const char *lt = memchr(v, '<', (size_t)(end - v));
        if (!lt)
            return;
        const char *gt = memchr(lt, '>', (size_t)(end - lt));
        if (!gt)
            return;
        const char *comma = memchr(gt, ',', (size_t)(end - gt));
        const char *seg_end = comma ? comma : end;
        for (const char *p = gt; p + 10 <= seg_end; p++)
            if (strncmp(p, "rel=\"next\"", 10) == 0) {
                copy_trimmed(dst, n, lt + 1, (size_t)(gt - lt - 1));
                return;
            }
        v = seg_end + (comma ? 1 : 0);
    }
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *ud)
{
    struct xfer *x = ud;
    size_t len = size * nmemb;
    if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
        /* a new response (after 100-continue or a redirect): forget the previous headers */
        const char *sp = memchr(data, ' ', len);
        x->status = sp ? strtol(sp + 1, NULL, 10) : 0;
        x->etag[0] = x->next[0] = x->retry_after[0] = '\0';
        x->rl_remaining[0] = x->rl_reset[0] = '\0';
        return len;
    }
    const char *colon = memchr(data, ':', len);
    if (!colon)
        return len;
    size_t klen = (size_t)(colon - data);
    const char *v = colon + 1;
    size_t vlen = len - klen - 1;
#define IS(name) (klen == sizeof(name) - 1 && strncasecmp(data, name, klen) == 0)
    if (IS("etag"))
        copy_trimmed(x->etag, sizeof(x->etag), v, vlen);
    else if (IS("link"))
        parse_link_next(x->next, sizeof(x->next), v, vlen);
    else if (IS("retry-after"))
        copy_trimmed(x->retry_after, sizeof(x->retry_after), v, vlen);
    else if (IS("x-ratelimit-remaining"))
        copy_trimmed(x->rl_remaining, sizeof(x->rl_remaining), v, vlen);
    else if (IS("x-ratelimit-reset"))
        copy_trimmed(x->rl_reset, sizeof(x->rl_reset), v, vlen);
#undef IS
    return len;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *ud)
{
    struct xfer *x = ud;
    size_t len = size * nmemb;
    x->h->stats.bytes_received += len;
    if (!ok_status(x->status)) {
        if (x->errbody.len < ERRBODY_MAX)
            sw_buf_add(&x->errbody, data,
                       len < ERRBODY_MAX - x->errbody.len ? len : ERRBODY_MAX - x->errbody.len);
        return len;
    }
    if (x->body) {
        sw_buf_add(x->body, data, len);
        return len;
    }
    if (x->max && x->written + len > x->max) {
        x->too_big = true;
        return 0;
    }
    for (size_t off = 0; off < len;) {
        ssize_t n = write(x->fd, data + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            x->write_errno = errno;
            return 0;
        }
        off += (size_t)n;
    }
    EVP_DigestUpdate(x->md, data, len);
    x->written += len;
    return len;
}

static int on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    (void)ultotal, (void)ulnow;
    struct xfer *x = ud;
    if (x->h->progress && ok_status(x->status) && !x->body)
        x->h->progress(x->h->progress_ud, (uint64_t)dlnow, (uint64_t)dltotal);
    return 0;
}

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

bool sw_http_url_gets_token(const char *api_url, const char *url)
{
    if (!api_url || !url)
        return false;
    size_t ol = origin_len(api_url);
    if (ol == 0 || origin_len(url) != ol || strncasecmp(api_url, url, ol) != 0)
        return false;
    size_t al = strlen(api_url);
    while (al > ol && api_url[al - 1] == '/')
        al--;
    if (strncmp(api_url, url, al) != 0)
        return false;
    char c = url[al];
    return c == '\0' || c == '/' || c == '?';
}

/* The URL for messages: no query string (signed download URLs carry credentials there). */
static void url_for_message(char *dst, size_t n, const char *url)
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
    h->seed = (unsigned int)time(NULL) ^ ((unsigned int)getpid() << 16);
    h->curl = curl_easy_init();
    if (!h->curl) {
        free(h);
        sw_error_set(err, SW_EXIT_NETWORK, "cannot initialise libcurl");
        return NULL;
    }
    return h;
}

void sw_http_free(struct sw_http *h)
{
    if (!h)
        return;
    curl_easy_cleanup(h->curl);
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

void sw_http_response_free(struct sw_http_response *resp)
{
    sw_buf_free(&resp->body);
    free(resp->next);
    resp->next = NULL;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

static long backoff_ms(struct sw_http *h, int attempt)
{
    long d = h->cfg.retry_base_ms;
    for (int i = 0; i < attempt && d < 60000; i++)
        d *= 2;
    /* full jitter in [d/2, d]: matrix jobs that failed together do not retry together */
    return d / 2 + (long)(rand_r(&h->seed) % (unsigned)(d / 2 + 1));
}

static void notice(struct sw_http *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
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

static bool retryable_curl(CURLcode rc)
{
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return true;
    default:
        return false;
    }
}

static int curl_failure(struct sw_http *h, CURLcode rc, const char *url, const char *errbuf,
                        struct sw_error *err)
{
    char shown[512];
    url_for_message(shown, sizeof(shown), url);
    const char *detail = errbuf[0] ? errbuf : curl_easy_strerror(rc);
    switch (rc) {
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
        return sw_error_set(err, SW_EXIT_NETWORK,
                            "TLS verification failed for '%s': %s; for a private CA or a "
                            "TLS-inspecting proxy pass --cacert FILE or set SSL_CERT_FILE "
                            "(verification is never switched off)",
                            shown, detail);
    case CURLE_OPERATION_TIMEDOUT:
        return sw_error_set(err, SW_EXIT_NETWORK,
                            "download from '%s' stalled or timed out: %s (connect timeout %ld s, "
                            "stall timeout %ld s)",
                            shown, detail, h->cfg.connect_timeout_s, h->cfg.stall_timeout_s);
    default:
        return sw_error_set(err, SW_EXIT_NETWORK, "request to '%s' failed: %s", shown, detail);
    }
}

/* 403/429 answers that are rate limits, with GitHub's headers or Retry-After. */
static bool is_rate_limit(const struct xfer *x)
{
    if (x->status == 429)
        return true;
    if (x->status != 403)
        return false;
    return strcmp(x->rl_remaining, "0") == 0 || x->retry_after[0] ||
           strstr(sw_buf_str(&x->errbody), "rate limit") != NULL;
}

/* Retry-After in seconds, from "120" or an HTTP date; -1 when absent or unreadable. */
static long retry_after_seconds(const char *v)
{
    if (!v[0])
        return -1;
    char *end;
    long n = strtol(v, &end, 10);
    if (*end == '\0')
        return n >= 0 ? n : -1;
    time_t at = curl_getdate(v, NULL);
    if (at < 0)
        return -1;
    time_t now = time(NULL);
    return at > now ? (long)(at - now) : 0;
}

static int rate_limit_failure(struct sw_http *h, const struct xfer *x, const char *url,
                              struct sw_error *err)
{
    char shown[512], when[160] = "";
    url_for_message(shown, sizeof(shown), url);
    if (x->retry_after[0]) {
        snprintf(when, sizeof(when), "; the server asks to retry after %s s", x->retry_after);
    } else if (x->rl_reset[0]) {
        time_t reset = (time_t)strtoll(x->rl_reset, NULL, 10);
        struct tm tm;
        char at[64];
        gmtime_r(&reset, &tm);
        strftime(at, sizeof(at), "%Y-%m-%d %H:%M:%S UTC", &tm);
        long mins = (long)((reset - time(NULL) + 59) / 60);
        snprintf(when, sizeof(when), "; the limit resets at %s (in %ld min)", at,
                 mins > 0 ? mins : 0);
    }
    const char *fix = h->cfg.token
                          ? "pin the version in plugins.lock ('setup-wash lock') so installs make "
                            "no API request"
                          : "set GITHUB_TOKEN (in a workflow: token: ${{ github.token }}) for a "
                            "higher limit, or pin the version in plugins.lock ('setup-wash lock') "
                            "so installs make no API request";
    return sw_error_set(err, SW_EXIT_NETWORK, "GitHub API rate limit exceeded (HTTP %ld) for '%s'%s: %s",
                        x->status, shown, when, fix);
}

enum mode { MODE_JSON, MODE_DOWNLOAD };

struct request {
    enum mode mode;
    const char *url;
    const char *if_none_match; /* JSON mode, first hop only */
    struct sw_buf *body;       /* JSON mode */
    int fd;                    /* download mode */
    uint64_t max;
    struct sw_download *dl;
};

static void reset_sink(struct xfer *x, const struct request *rq)
{
    if (rq->mode == MODE_JSON) {
        sw_buf_reset(rq->body);
        return;
    }
    if (ftruncate(rq->fd, 0) < 0 || lseek(rq->fd, 0, SEEK_SET) < 0)
        x->write_errno = errno;
    EVP_DigestInit_ex(x->md, EVP_sha256(), NULL);
    x->written = 0;
}

static CURLcode perform_hop(struct sw_http *h, const struct request *rq, const char *url,
                            bool first_hop, struct xfer *x, char *errbuf)
{
    CURL *c = h->curl;
    struct curl_slist *hdrs = NULL;
    char line[2300];
    curl_easy_reset(c);
    if (rq->mode == MODE_JSON) {
        hdrs = curl_slist_append(hdrs, "Accept: application/vnd.github+json");
        hdrs = curl_slist_append(hdrs, "X-GitHub-Api-Version: 2022-11-28");
        if (first_hop && rq->if_none_match) {
            snprintf(line, sizeof(line), "If-None-Match: %s", rq->if_none_match);
            hdrs = curl_slist_append(hdrs, line);
        }
        curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    } else {
        hdrs = curl_slist_append(hdrs, "Accept: application/octet-stream");
    }
    if (h->cfg.token && sw_http_url_gets_token(h->cfg.api_url, url)) {
        snprintf(line, sizeof(line), "Authorization: Bearer %s", h->cfg.token);
        hdrs = curl_slist_append(hdrs, line);
        explicit_bzero(line, sizeof(line));
    }
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
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
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, x);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_BUFFERSIZE, 256L * 1024L);
    if (rq->mode == MODE_DOWNLOAD && h->progress) {
        curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
        curl_easy_setopt(c, CURLOPT_XFERINFODATA, x);
    }
    errbuf[0] = '\0';
    h->stats.requests++;
    CURLcode rc = curl_easy_perform(c);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
    curl_slist_free_all(hdrs);
    return rc;
}

/* GitHub's JSON error body {"message": "..."} as a short, printable string. */
static void error_message(const struct xfer *x, char *dst, size_t n)
{
    const char *b = sw_buf_str(&x->errbody);
    const char *m = strstr(b, "\"message\"");
    dst[0] = '\0';
    if (!m)
        return;
    m = strchr(m + 9, '"');
    if (!m)
        return;
    const char *e = strchr(m + 1, '"');
    if (!e)
        return;
    char tmp[200];
    size_t l = (size_t)(e - m - 1) < sizeof(tmp) - 1 ? (size_t)(e - m - 1) : sizeof(tmp) - 1;
    memcpy(tmp, m + 1, l);
    tmp[l] = '\0';
    sw_sanitize(dst, n, tmp);
}

static int run(struct sw_http *h, const struct request *rq, struct xfer *x, char *final_url,
               size_t final_n, struct sw_error *err)
{
    char errbuf[CURL_ERROR_SIZE];
    char url[4096];
    int rc = -1;
    x->h = h;
    x->body = rq->mode == MODE_JSON ? rq->body : NULL;
    x->fd = rq->fd;
    x->max = rq->max;
    if (rq->mode == MODE_DOWNLOAD)
        x->md = EVP_MD_CTX_new();

    for (int attempt = 0;; attempt++) {
        bool last = attempt >= h->cfg.max_retries;
        snprintf(url, sizeof(url), "%s", rq->url);
        CURLcode cc = CURLE_OK;
        int hops = 0;
        for (;;) {
            sw_buf_reset(&x->errbody);
            reset_sink(x, rq);
            x->status = 0;
            cc = perform_hop(h, rq, url, hops == 0, x, errbuf);
            if (cc != CURLE_OK || x->status < 300 || x->status > 399 || x->status == 304)
                break;
            char *loc = NULL;
            curl_easy_getinfo(h->curl, CURLINFO_REDIRECT_URL, &loc);
            char shown[512];
            url_for_message(shown, sizeof(shown), url);
            if (!loc || ++hops > MAX_HOPS) {
                sw_error_set(err, SW_EXIT_NETWORK, "too many redirects or a redirect without "
                             "a Location from '%s'", shown);
                goto out;
            }
            if (strncmp(url, "https:", 6) == 0 && strncmp(loc, "https:", 6) != 0) {
                sw_error_set(err, SW_EXIT_NETWORK,
                             "'%s' redirects from HTTPS to an insecure URL: refusing to follow",
                             shown);
                goto out;
            }
            snprintf(url, sizeof(url), "%s", loc);
        }
        if (cc == CURLE_WRITE_ERROR && x->too_big) {
            sw_error_set(err, SW_EXIT_VERIFY,
                         "the server sent more than the %llu bytes the release declares: "
                         "refusing the download",
                         (unsigned long long)x->max);
            goto out;
        }
        if (cc == CURLE_WRITE_ERROR && x->write_errno) {
            sw_error_set(err, SW_EXIT_FS, "cannot write the download: %s",
                         strerror(x->write_errno));
            goto out;
        }
        if (x->write_errno) {
            sw_error_set(err, SW_EXIT_FS, "cannot reset the download file: %s",
                         strerror(x->write_errno));
            goto out;
        }
        char shown[512];
        url_for_message(shown, sizeof(shown), url);
        if (cc != CURLE_OK) {
            if (!retryable_curl(cc) || last) {
                curl_failure(h, cc, url, errbuf, err);
                if (attempt > 0)
                    sw_error_wrap(err, "after %d attempts", attempt + 1);
                goto out;
            }
            long d = backoff_ms(h, attempt);
            notice(h, "retrying in %.1f s (attempt %d of %d): %s", (double)d / 1000.0,
                   attempt + 2, h->cfg.max_retries + 1, errbuf[0] ? errbuf : curl_easy_strerror(cc));
            sleep_ms(d);
            continue;
        }
        if (ok_status(x->status) || x->status == 304 || x->status == 404) {
            snprintf(final_url, final_n, "%s", url);
            rc = 0;
            goto out;
        }
        if (is_rate_limit(x)) {
            long wait = retry_after_seconds(x->retry_after);
            if (wait >= 0 && wait <= h->cfg.retry_after_max_s && !last) {
                notice(h, "rate limited by '%s' (HTTP %ld): waiting %ld s as Retry-After asks",
                       shown, x->status, wait);
                sleep_ms(wait * 1000);
                continue;
            }
            rate_limit_failure(h, x, url, err);
            goto out;
        }
        if ((x->status >= 500 || x->status == 408) && !last) {
            long d = backoff_ms(h, attempt);
            notice(h, "retrying in %.1f s (attempt %d of %d): '%s' answered HTTP %ld",
                   (double)d / 1000.0, attempt + 2, h->cfg.max_retries + 1, shown, x->status);
            sleep_ms(d);
            continue;
        }
        char msg[256];
        error_message(x, msg, sizeof(msg));
        sw_error_set(err, SW_EXIT_NETWORK, "'%s' answered HTTP %ld%s%s%s", shown, x->status,
                     msg[0] ? " (" : "", msg, msg[0] ? ")" : "");
        if (x->status == 401)
            sw_error_wrap(err, "the token was refused (check GITHUB_TOKEN)");
        else if (attempt > 0)
            sw_error_wrap(err, "after %d attempts", attempt + 1);
        goto out;
    }
out:
    if (rq->mode == MODE_DOWNLOAD && rc == 0 && ok_status(x->status)) {
        unsigned int mdlen = 0;
        EVP_DigestFinal_ex(x->md, rq->dl->sha256, &mdlen);
        rq->dl->size = x->written;
    }
    EVP_MD_CTX_free(x->md);
    x->md = NULL;
    sw_buf_free(&x->errbody);
    return rc;
}

/* --- the ETag cache: <dir>/<sha256 of url>, holding "etag\nnext\n" then the body --- */

static char *cache_path(struct sw_http *h, const char *url)
{
    unsigned char md[32];
    char hex[65];
    EVP_Digest(url, strlen(url), md, NULL, EVP_sha256(), NULL);
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    return sw_path_join(h->cfg.cache_dir, hex);
}

struct cached {
    struct sw_buf raw;
    char etag[256];
    const char *next; /* into raw, "" when none */
    const char *body;
    size_t body_len;
};

static int cache_load(struct sw_http *h, const char *url, struct cached *c)
{
    if (!h->cfg.cache_dir)
        return -1;
    char *path = cache_path(h, url);
    int rc = sw_fs_read(path, 64u << 20, &c->raw, NULL, NULL);
    free(path);
    if (rc < 0)
        return -1;
    char *nl1 = memchr(c->raw.data, '\n', c->raw.len);
    char *nl2 = nl1 ? memchr(nl1 + 1, '\n', c->raw.len - (size_t)(nl1 + 1 - c->raw.data)) : NULL;
    if (!nl2 || (size_t)(nl1 - c->raw.data) >= sizeof(c->etag))
        return -1;
    memcpy(c->etag, c->raw.data, (size_t)(nl1 - c->raw.data));
    c->etag[nl1 - c->raw.data] = '\0';
    *nl2 = '\0';
    c->next = nl1 + 1;
    c->body = nl2 + 1;
    c->body_len = c->raw.len - (size_t)(c->body - c->raw.data);
    return 0;
}

static void cache_store(struct sw_http *h, const char *url, const char *etag, const char *next,
                        const struct sw_buf *body)
{
    if (!h->cfg.cache_dir || !etag[0] || strchr(etag, '\n'))
        return;
    struct sw_buf b = SW_BUF_INIT;
    sw_buf_printf(&b, "%s\n%s\n", etag, next);
    sw_buf_add(&b, body->data ? body->data : "", body->len);
    char *path = cache_path(h, url);
    /* a cache that cannot be written only costs a request next time */
    if (sw_fs_mkdir_p(h->cfg.cache_dir, 0755, NULL) == 0)
        sw_fs_write_atomic(path, b.data, b.len, 0644, NULL);
    free(path);
    sw_buf_free(&b);
}

int sw_http_cache_peek(struct sw_http *h, const char *url, struct sw_http_response *resp)
{
    struct cached c = {0};
    if (cache_load(h, url, &c) < 0) {
        sw_buf_free(&c.raw);
        return -1;
    }
    resp->status = 200;
    resp->from_cache = true;
    sw_buf_add(&resp->body, c.body, c.body_len);
    resp->next = c.next[0] ? sw_xstrdup(c.next) : NULL;
    sw_buf_free(&c.raw);
    return 0;
}

int sw_http_get_json(struct sw_http *h, const char *url, bool cached,
                     struct sw_http_response *resp, struct sw_error *err)
{
    struct cached c = {0};
    struct xfer x = {0};
    char final_url[4096];
    bool have_cache = cached && cache_load(h, url, &c) == 0;
    struct request rq = {.mode = MODE_JSON, .url = url, .body = &resp->body, .fd = -1};
    if (have_cache)
        rq.if_none_match = c.etag;
    memset(resp, 0, sizeof(*resp));
    rq.body = &resp->body;
    int rc = run(h, &rq, &x, final_url, sizeof(final_url), err);
    if (rc == 0) {
        if (x.status == 304 && have_cache) {
            h->stats.not_modified++;
            sw_buf_reset(&resp->body);
            sw_buf_add(&resp->body, c.body, c.body_len);
            resp->status = 200;
            resp->from_cache = true;
            resp->next = c.next[0] ? sw_xstrdup(c.next) : NULL;
        } else if (x.status == 304) {
            rc = sw_error_set(err, SW_EXIT_NETWORK, "the server answered 304 Not Modified to "
                              "a request that was not conditional");
        } else {
            resp->status = x.status;
            resp->next = x.next[0] ? sw_xstrdup(x.next) : NULL;
            if (cached && ok_status(x.status))
                cache_store(h, url, x.etag, x.next, &resp->body);
        }
    }
    sw_buf_free(&c.raw);
    return rc;
}

int sw_http_download(struct sw_http *h, const char *url, int fd, uint64_t max_size,
                     struct sw_download *out, struct sw_error *err)
{
    struct xfer x = {0};
    char final_url[4096];
    struct request rq = {.mode = MODE_DOWNLOAD, .url = url, .fd = fd, .max = max_size, .dl = out};
    if (run(h, &rq, &x, final_url, sizeof(final_url), err) < 0)
        return -1;
    if (x.status == 404) {
        char shown[512];
        url_for_message(shown, sizeof(shown), url);
        return sw_error_set(err, SW_EXIT_NOTFOUND, "'%s' does not exist (HTTP 404)", shown);
    }
    if (!ok_status(x.status))
        return sw_error_set(err, SW_EXIT_NETWORK, "download answered HTTP %ld", x.status);
    return 0;
}
