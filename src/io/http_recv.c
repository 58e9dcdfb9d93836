/* What a response brings, as libcurl hands it over: its headers (the few the engine and its
 * callers read), its body into the request's buffer, sink or file (through a write-behind
 * buffer) while it is hashed, and progress. The engine (http.c) sets these as a hop's
 * callbacks. */
#include <curl/curl.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/fs.h"
#include "io/http_internal.h"
#include "os/os.h"

bool sw_http_ok_status(long s)
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

size_t sw_http_on_header(char *data, size_t size, size_t nmemb, void *ud)
{
    struct job *j = ud;
    struct sw_http_reply *o = j->out;
    size_t len = size * nmemb;
    if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
        /* a new response (after 100-continue or a redirect): forget earlier headers */
        const char *sp = memchr(data, ' ', len);
        j->status = sp ? strtol(sp + 1, NULL, 10) : 0;
        j->retry_after[0] = j->rl_remaining[0] = j->rl_reset[0] = '\0';
        o->etag[0] = o->next[0] = o->content_type[0] = '\0';
        o->docker_digest[0] = o->www_authenticate[0] = '\0';
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
        copy_trimmed(o->etag, sizeof(o->etag), v, vlen);
    else if (IS("link"))
        parse_link_next(o->next, sizeof(o->next), v, vlen);
    else if (IS("content-type"))
        copy_trimmed(o->content_type, sizeof(o->content_type), v, vlen);
    else if (IS("docker-content-digest"))
        copy_trimmed(o->docker_digest, sizeof(o->docker_digest), v, vlen);
    else if (IS("www-authenticate"))
        copy_trimmed(o->www_authenticate, sizeof(o->www_authenticate), v, vlen);
    else if (IS("retry-after"))
        copy_trimmed(j->retry_after, sizeof(j->retry_after), v, vlen);
    else if (IS("x-ratelimit-remaining"))
        copy_trimmed(j->rl_remaining, sizeof(j->rl_remaining), v, vlen);
    else if (IS("x-ratelimit-reset"))
        copy_trimmed(j->rl_reset, sizeof(j->rl_reset), v, vlen);
#undef IS
    return len;
}

/* A body arrives a TLS record (16 KiB) at a time; written as it came, 64 MiB took 4,096
 * write(2) calls, and a cold install of it 1.33x a bare `curl -o` of the same bytes on this
 * project's 2-core VM; in 256 KiB writes, 0.99x (scripts/bench figure 1; hashing those blocks
 * on a thread of their own measured slower, 1.04-1.08x). */
#define SW_HTTP_WBUF ((size_t)256 * 1024)

/* Writes what the buffer holds to the file; -1 with errno. */
int sw_http_flush_body(struct job *j)
{
    size_t n = j->wlen;
    j->wlen = 0;
    return n && j->rq->fd >= 0 ? sw_fs_write_all(j->rq->fd, j->wbuf, n) : 0;
}

/* Appends to a body going to a file: through the buffer, or straight for a chunk as big. */
static int write_body(struct job *j, const char *data, size_t len)
{
    if (j->wlen + len > SW_HTTP_WBUF && sw_http_flush_body(j) < 0)
        return -1;
    if (len >= SW_HTTP_WBUF)
        return sw_fs_write_all(j->rq->fd, data, len);
    if (!j->wbuf)
        j->wbuf = sw_xmalloc(SW_HTTP_WBUF);
    memcpy(j->wbuf + j->wlen, data, len);
    j->wlen += len;
    return 0;
}

size_t sw_http_on_body(char *data, size_t size, size_t nmemb, void *ud)
{
    struct job *j = ud;
    size_t len = size * nmemb;
    j->h->stats.bytes_received += len;
    if (!sw_http_ok_status(j->status)) {
        if (j->errbody.len < SW_HTTP_ERRBODY_MAX)
            sw_buf_add(&j->errbody, data,
                       len < SW_HTTP_ERRBODY_MAX - j->errbody.len
                           ? len
                           : SW_HTTP_ERRBODY_MAX - j->errbody.len);
        return len;
    }
    if (j->rq->max_size && j->written + len > j->rq->max_size) {
        j->too_big = true;
        return 0;
    }
    if (j->rq->body) {
        sw_buf_add(j->rq->body, data, len);
    } else if (j->rq->sink) {
        if (j->rq->sink->write(j->rq->sink->ud, data, len) < 0) {
            j->write_errno = errno ? errno : EIO;
            return 0;
        }
    } else if (j->rq->fd >= 0 && write_body(j, data, len) < 0) {
        j->write_errno = errno;
        return 0;
    }
    EVP_DigestUpdate(j->md, data, len);
    j->written += len;
    return len;
}

int sw_http_on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    (void)ultotal, (void)ulnow;
    struct job *j = ud;
    if (j->h->progress && sw_http_ok_status(j->status))
        j->h->progress(j->h->progress_ud, (uint64_t)dlnow, (uint64_t)dltotal);
    return 0;
}
