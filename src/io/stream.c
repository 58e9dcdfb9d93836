/* The pipe between a download and its extraction (stream.h): a ring buffer under one mutex, a
 * condition variable both sides wait on, and a generation that a restart bumps so a reader of
 * the old body never sees a byte of the new one. */
#include "io/stream.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "io/fs.h"
#include "os/os.h"

#define SW_STREAM_CAPACITY ((size_t)1 << 20)

struct sw_stream {
    char *what, *dest;
    struct sw_extract_limits limits;
    void (*on_restart)(void *ud);
    struct sw_http_sink sink;
    struct sw_os_thread *thread;

    /* the pipe: everything below is under mu until the thread is joined */
    struct sw_os_mutex *mu;
    struct sw_os_cond *cv;
    unsigned char *ring;
    size_t cap, head, len; /* len bytes buffered from ring[head], wrapping */
    unsigned gen;          /* the body's number: bumped when it starts over */
    bool discard;          /* the extraction of this body failed: its bytes are dropped */
    bool ended;            /* the request is over (end_rc, end_err) */
    int end_rc;
    struct sw_error end_err;

    /* the outcome, the thread's own until it is joined */
    int rc;
    struct sw_error err;
};

/* What one extraction reads: the pipe, for the body it started with. */
struct reader {
    struct sw_stream *s;
    unsigned gen;
};

/* sw_archive_extract_cb's read(): the bytes of the reader's body as they come; 0 at its end
 * when the request succeeded; -1 when it failed or the body started over. */
static sw_ssize pipe_read(void *ud, void *buf, size_t n, struct sw_error *err)
{
    struct reader *r = ud;
    struct sw_stream *s = r->s;
    sw_ssize got = -1;
    sw_os_mutex_lock(s->mu);
    while (s->gen == r->gen && s->len == 0 && !s->ended)
        sw_os_cond_wait(s->cv, s->mu);
    if (s->gen != r->gen) {
        sw_error_set(err, SW_EXIT_NETWORK, "the download of '%s' started over", s->what);
    } else if (s->len > 0) {
        size_t k = n < s->len ? n : s->len;
        size_t first = s->cap - s->head < k ? s->cap - s->head : k;
        memcpy(buf, s->ring + s->head, first);
        memcpy((unsigned char *)buf + first, s->ring, k - first);
        s->head = (s->head + k) % s->cap;
        s->len -= k;
        if (s->len == 0)
            s->head = 0;
        got = (sw_ssize)k;
        sw_os_cond_broadcast(s->cv);
    } else if (s->end_rc == 0) {
        got = 0;
    } else {
        *err = s->end_err;
    }
    sw_os_mutex_unlock(s->mu);
    return got;
}

/* The sink's write(): into the pipe, waiting while it is full; dropped after the extraction of
 * this body failed (the engine still hashes them). */
static int sink_write(void *ud, const void *data, size_t n)
{
    struct sw_stream *s = ud;
    const unsigned char *p = data;
    sw_os_mutex_lock(s->mu);
    while (n > 0 && !s->discard) {
        if (s->len == s->cap) {
            sw_os_cond_wait(s->cv, s->mu);
            continue;
        }
        size_t tail = (s->head + s->len) % s->cap;
        size_t room = (tail >= s->head ? s->cap - tail : s->head - tail);
        size_t k = n < room ? n : room;
        memcpy(s->ring + tail, p, k);
        s->len += k;
        p += k;
        n -= k;
        sw_os_cond_broadcast(s->cv);
    }
    sw_os_mutex_unlock(s->mu);
    return 0;
}

static void sink_restart(void *ud)
{
    struct sw_stream *s = ud;
    sw_os_mutex_lock(s->mu);
    s->gen++;
    s->head = s->len = 0;
    s->discard = false;
    sw_os_cond_broadcast(s->cv);
    sw_os_mutex_unlock(s->mu);
}

static void sink_end(void *ud, int rc, const struct sw_error *err)
{
    struct sw_stream *s = ud;
    sw_os_mutex_lock(s->mu);
    if (!s->ended) {
        s->ended = true;
        s->end_rc = rc;
        if (rc < 0 && err && err->code)
            s->end_err = *err;
        else if (rc < 0)
            sw_error_set(&s->end_err, SW_EXIT_NETWORK, "the download of '%s' failed", s->what);
        sw_os_cond_broadcast(s->cv);
    }
    sw_os_mutex_unlock(s->mu);
}

/* A fresh, empty dest for an extraction: made the first time, wiped and made again after. */
static int fresh_dest(struct sw_stream *s, bool again, struct sw_error *err)
{
    if (again && sw_fs_rm_rf(s->dest, err) < 0)
        return -1;
    if (sw_os_mkdir(s->dest, 0755) < 0)
        return sw_error_set(err, SW_EXIT_FS, "cannot create '%s': %s", s->dest, strerror(errno));
    if (again && s->on_restart)
        s->on_restart(s->limits.ud);
    return 0;
}

/* The thread: one extraction per body, until one succeeds or the request ends. */
static int stream_main(void *ud)
{
    struct sw_stream *s = ud;
    struct reader r = {s, 0};
    bool again = false;
    sw_os_mutex_lock(s->mu);
    r.gen = s->gen;
    sw_os_mutex_unlock(s->mu);
    for (;;) {
        struct sw_error e = {0};
        int rc = fresh_dest(s, again, &e);
        if (rc == 0)
            rc = sw_archive_extract_cb(pipe_read, &r, s->what, s->dest, &s->limits, &e);
        again = true;
        sw_os_mutex_lock(s->mu);
        if (rc == 0) {
            sw_os_mutex_unlock(s->mu);
            s->rc = 0;
            return 0;
        }
        if (s->gen == r.gen) {
            /* this body's extraction failed: drop the rest of it, and wait for its end or for
             * a new body (a retry, which may well unpack) */
            s->discard = true;
            s->len = s->head = 0;
            sw_os_cond_broadcast(s->cv);
            while (s->gen == r.gen && !s->ended)
                sw_os_cond_wait(s->cv, s->mu);
            if (s->gen == r.gen) {
                sw_os_mutex_unlock(s->mu);
                s->rc = -1;
                s->err = e;
                return -1;
            }
        }
        r.gen = s->gen;
        sw_os_mutex_unlock(s->mu);
    }
}

int sw_stream_start(const struct sw_stream_spec *spec, struct sw_stream **out, struct sw_error *err)
{
    struct sw_stream *s = sw_xcalloc(1, sizeof(*s));
    s->what = sw_xstrdup(spec->what);
    s->dest = sw_xstrdup(spec->dest);
    s->limits = spec->limits;
    s->on_restart = spec->on_restart;
    s->cap = spec->capacity ? spec->capacity : SW_STREAM_CAPACITY;
    s->ring = sw_xmalloc(s->cap);
    s->mu = sw_os_mutex_new();
    s->cv = sw_os_cond_new();
    s->sink = (struct sw_http_sink){sink_write, sink_restart, sink_end, s};
    s->thread = sw_os_thread_start(stream_main, s);
    if (!s->thread) {
        sw_error_set(err, SW_EXIT_FS, "cannot start a thread to unpack '%s': %s", s->what,
                     strerror(errno));
        s->ended = true;
        sw_stream_finish(s, NULL);
        return -1;
    }
    *out = s;
    return 0;
}

const struct sw_http_sink *sw_stream_sink(struct sw_stream *s)
{
    return &s->sink;
}

int sw_stream_finish(struct sw_stream *s, struct sw_error *err)
{
    if (!s)
        return 0;
    int rc = 0;
    if (s->thread) {
        struct sw_error e = {0};
        sw_error_set(&e, SW_EXIT_NETWORK, "the download of '%s' did not finish", s->what);
        sink_end(s, -1, &e); /* a no-op when the request ended */
        sw_os_thread_join(s->thread);
        rc = s->rc;
        if (rc < 0 && err)
            *err = s->err;
    }
    sw_os_cond_free(s->cv);
    sw_os_mutex_free(s->mu);
    free(s->ring);
    free(s->what);
    free(s->dest);
    free(s);
    return rc;
}
