#include "core/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die_oom(void)
{
    fputs("setup-wash: out of memory\n", stderr);
    abort();
}

void *sw_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die_oom();
    return p;
}

void *sw_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        die_oom();
    return p;
}

void *sw_xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        die_oom();
    return p;
}

char *sw_xstrdup(const char *s)
{
    return sw_xstrndup(s, strlen(s));
}

char *sw_xstrndup(const char *s, size_t n)
{
    char *p = sw_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *sw_xasprintf(const char *fmt, ...)
{
    struct sw_buf b = SW_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        die_oom();
    sw_buf_grow(&b, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(b.data, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b.len = (size_t)n;
    return sw_buf_detach(&b);
}

void sw_buf_grow(struct sw_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->data = sw_xrealloc(b->data, cap);
    b->cap = cap;
}

void sw_buf_add(struct sw_buf *b, const void *data, size_t len)
{
    sw_buf_grow(b, len);
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void sw_buf_adds(struct sw_buf *b, const char *s)
{
    sw_buf_add(b, s, strlen(s));
}

void sw_buf_vprintf(struct sw_buf *b, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    if (n >= 0) {
        sw_buf_grow(b, (size_t)n);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
        b->len += (size_t)n;
    }
    va_end(again);
}

void sw_buf_printf(struct sw_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sw_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void sw_buf_reset(struct sw_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void sw_buf_free(struct sw_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *sw_buf_detach(struct sw_buf *b)
{
    char *p = b->data ? b->data : sw_xstrdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

const char *sw_buf_str(const struct sw_buf *b)
{
    return b->data ? b->data : "";
}
