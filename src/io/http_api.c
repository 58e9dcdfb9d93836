/* GitHub API JSON with an on-disk ETag cache, and asset downloads, over the engine. */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hex.h"
#include "io/fs.h"
#include "io/http_internal.h"

void sw_http_response_free(struct sw_http_response *resp)
{
    sw_buf_free(&resp->body);
    free(resp->next);
    resp->next = NULL;
}

/* --- the ETag cache: <dir>/<sha256 of url>, holding "etag\nnext\n" then the body --- */

static char *cache_path(struct sw_http *h, const char *url)
{
    unsigned char md[32];
    char hex[65];
    EVP_Digest(url, strlen(url), md, NULL, EVP_sha256(), NULL);
    sw_hex_encode(md, 32, hex);
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

/* Keeps an answer's Link rel="next" (live or cached) only when it may be followed. */
static int take_next(const struct sw_http *h, struct sw_http_response *resp, const char *next,
                     const char *from, struct sw_error *err)
{
    if (!next[0])
        return 0;
    if (sw_http_check_server_url(h, next, "the next-page Link", from, err) < 0)
        return -1;
    resp->next = sw_xstrdup(next);
    return 0;
}

int sw_http_cache_peek(struct sw_http *h, const char *url, struct sw_http_response *resp)
{
    struct cached c = {0};
    struct sw_error ignored = {0};
    /* a cached Link that may not be followed makes the entry useless: ask the server */
    if (cache_load(h, url, &c) < 0 || take_next(h, resp, c.next, url, &ignored) < 0) {
        sw_buf_free(&c.raw);
        return -1;
    }
    resp->status = 200;
    resp->from_cache = true;
    sw_buf_add(&resp->body, c.body, c.body_len);
    sw_buf_free(&c.raw);
    return 0;
}

int sw_http_get_json(struct sw_http *h, const char *url, bool cached, struct sw_http_response *resp,
                     struct sw_error *err)
{
    struct cached c = {0};
    struct sw_http_reply reply;
    bool have_cache = cached && cache_load(h, url, &c) == 0;
    memset(resp, 0, sizeof(*resp));
    struct sw_http_request rq = {
        .url = url,
        .github = true,
        .if_none_match = have_cache ? c.etag : NULL,
        .body = &resp->body,
        .max_size = 64u << 20,
        .pass = SW_HTTP_PASS_404,
    };
    int rc = sw_http_fetch(h, &rq, &reply, err);
    if (rc == 0) {
        if (reply.status == 304 && have_cache) {
            h->stats.not_modified++;
            sw_buf_reset(&resp->body);
            sw_buf_add(&resp->body, c.body, c.body_len);
            resp->status = 200;
            resp->from_cache = true;
            rc = take_next(h, resp, c.next, url, err);
        } else if (reply.status == 304) {
            rc = sw_error_set(err, SW_EXIT_NETWORK,
                              "the server answered 304 Not Modified to "
                              "a request that was not conditional");
        } else {
            resp->status = reply.status;
            rc = take_next(h, resp, reply.next, url, err);
            if (rc == 0 && cached && reply.status >= 200 && reply.status < 300)
                cache_store(h, url, reply.etag, reply.next, &resp->body);
        }
    }
    sw_buf_free(&c.raw);
    return rc;
}

int sw_http_download(struct sw_http *h, const char *url, int fd, uint64_t max_size,
                     struct sw_download *out, struct sw_error *err)
{
    struct sw_http_reply reply;
    struct sw_http_request rq = {.url = url, .fd = fd, .max_size = max_size, .progress = true};
    if (sw_http_fetch(h, &rq, &reply, err) < 0)
        return -1;
    memcpy(out->sha256, reply.sha256, sizeof(out->sha256));
    out->size = reply.size;
    return 0;
}
