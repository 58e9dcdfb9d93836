/* Tests for io/stream: the pipe between a download and its extraction, driven through its sink
 * as the HTTP engine drives it (write, restart, end), with real tar.gz archives made in memory
 * by libarchive and a pipe much smaller than the archive, so both sides block and wake. Each
 * test checks what sw_stream_finish returns and what the destination holds: the whole tree
 * after a body that completed, only the second body after a restart, and an error of the right
 * class, with the writer never stuck, after a hostile archive, a truncated body, a failed
 * request or a request that never ended. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "io/fs.h"
#include "io/stream.h"
#include "support.h"

#define PIPE 4096 /* bytes: far less than every archive below */

/* Byte j of file i: a xorshift stream seeded by i, so the contents are checkable and gzip
 * cannot shrink them (the archive stays larger than the pipe). */
static void fill(unsigned char *p, size_t n, int i)
{
    uint32_t x = 2463534242u ^ (uint32_t)i * 2654435761u;
    for (size_t j = 0; j < n; j++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[j] = (unsigned char)x;
    }
}

/* A tar.gz in memory: `files` regular files named <top>/f<i> of `size` bytes each (fill()),
 * plus an entry named `extra` when it is not NULL. *len is its size; the caller frees. */
static unsigned char *targz(const char *top, int files, size_t size, const char *extra, size_t *len)
{
    size_t cap = (size_t)files * size + 65536;
    unsigned char *mem = sw_xmalloc(cap);
    struct archive *a = archive_write_new();
    assert_int_equal(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
    assert_int_equal(archive_write_add_filter_gzip(a), ARCHIVE_OK);
    assert_int_equal(archive_write_open_memory(a, mem, cap, len), ARCHIVE_OK);
    unsigned char *data = sw_xmalloc(size ? size : 1);
    for (int i = 0; i < files + (extra ? 1 : 0); i++) {
        struct archive_entry *e = archive_entry_new();
        char name[256];
        if (i < files)
            snprintf(name, sizeof(name), "%s/f%d", top, i);
        else
            snprintf(name, sizeof(name), "%s", extra);
        fill(data, size, i);
        archive_entry_set_pathname(e, name);
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_size(e, (la_int64_t)size);
        assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
        assert_int_equal(archive_write_data(a, data, size), (la_ssize_t)size);
        archive_entry_free(e);
    }
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
    free(data);
    return mem;
}

struct run {
    char *tmp, *dest;
    struct sw_stream *s;
    const struct sw_http_sink *sink;
    int restarts; /* on_restart calls */
};

static void count_restart(void *ud)
{
    ((struct run *)ud)->restarts++;
}

static void start(struct run *r)
{
    memset(r, 0, sizeof(*r));
    r->tmp = sw_test_tmpdir("sw-stream");
    r->dest = sw_xasprintf("%s/dest", r->tmp);
    struct sw_stream_spec spec = {.what = "tinygo.tar.gz",
                                  .dest = r->dest,
                                  .limits = {.max_bytes = 1u << 26, .max_entries = 1000, .ud = r},
                                  .on_restart = count_restart,
                                  .capacity = PIPE};
    struct sw_error err = {0};
    assert_int_equal(sw_stream_start(&spec, &r->s, &err), 0);
    r->sink = sw_stream_sink(r->s);
}

/* Writes n bytes of p through the sink in pieces of `piece` bytes, as curl's callbacks do. */
static void feed(struct run *r, const unsigned char *p, size_t n, size_t piece)
{
    for (size_t off = 0; off < n; off += piece) {
        size_t k = n - off < piece ? n - off : piece;
        assert_int_equal(r->sink->write(r->sink->ud, p + off, k), 0);
    }
}

static void stop(struct run *r)
{
    struct sw_error err = {0};
    sw_fs_rm_rf(r->tmp, &err);
    free(r->tmp);
    free(r->dest);
}

/* Whether dest/<top>/f<i> holds file i of targz() for every i < files, and f<files> is absent. */
static void assert_tree(const char *dest, const char *top, int files, size_t size)
{
    unsigned char *buf = sw_xmalloc(size + 1), *want = sw_xmalloc(size ? size : 1);
    for (int i = 0; i <= files; i++) {
        char *path = sw_xasprintf("%s/%s/f%d", dest, top, i);
        FILE *f = fopen(path, "rb");
        if (i == files) {
            assert_null(f);
            free(path);
            break;
        }
        assert_non_null(f);
        assert_int_equal(fread(buf, 1, size + 1, f), size);
        fclose(f);
        fill(want, size, i);
        assert_memory_equal(buf, want, size);
        free(path);
    }
    free(buf);
    free(want);
}

static void test_a_body_larger_than_the_pipe_unpacks_whole(void **state)
{
    (void)state;
    struct run r;
    start(&r);
    size_t len;
    unsigned char *a = targz("tinygo", 40, 20000, NULL, &len);
    assert_true(len > 20 * PIPE);
    feed(&r, a, len, 1000);
    r.sink->end(r.sink->ud, 0, NULL);
    struct sw_error err = {0};
    assert_int_equal(sw_stream_finish(r.s, &err), 0);
    assert_tree(r.dest, "tinygo", 40, 20000);
    assert_int_equal(r.restarts, 0);
    free(a);
    stop(&r);
}

/* A retry after bytes were written: the first body's files are gone, the second's are there. */
static void test_a_restart_unpacks_the_new_body_only(void **state)
{
    (void)state;
    struct run r;
    start(&r);
    size_t l1, l2;
    unsigned char *first = targz("old", 30, 20000, NULL, &l1);
    unsigned char *second = targz("new", 10, 3000, NULL, &l2);
    feed(&r, first, l1 / 2, 777);
    r.sink->restart(r.sink->ud);
    feed(&r, second, l2, 1500);
    r.sink->end(r.sink->ud, 0, NULL);
    struct sw_error err = {0};
    assert_int_equal(sw_stream_finish(r.s, &err), 0);
    assert_tree(r.dest, "new", 10, 3000);
    char *old = sw_xasprintf("%s/old", r.dest);
    assert_null(fopen(old, "rb"));
    assert_int_equal(r.restarts, 1);
    free(old);
    free(first);
    free(second);
    stop(&r);
}

/* A hostile entry stops the extraction; the writer is not held up (the rest is dropped), and
 * finish reports the archive's error, not the request's success. */
static void test_a_hostile_archive_fails_and_the_body_is_still_taken(void **state)
{
    (void)state;
    struct run r;
    start(&r);
    size_t len;
    unsigned char *a = targz("t", 2, 100, "t/../../escape", &len);
    unsigned char *junk = sw_xcalloc(1, 1u << 20); /* more than the pipe: must not block */
    feed(&r, a, len, 64);
    feed(&r, junk, 1u << 20, 16384);
    r.sink->end(r.sink->ud, 0, NULL);
    struct sw_error err = {0};
    assert_int_equal(sw_stream_finish(r.s, &err), -1);
    assert_int_equal(err.code, SW_EXIT_VERIFY);
    assert_non_null(strstr(err.msg, "t/../../escape"));
    char *escape = sw_xasprintf("%s/escape", r.tmp);
    assert_null(fopen(escape, "rb"));
    free(escape);
    free(junk);
    free(a);
    stop(&r);
}

static void test_a_truncated_body_is_a_verify_error(void **state)
{
    (void)state;
    struct run r;
    start(&r);
    size_t len;
    unsigned char *a = targz("t", 20, 20000, NULL, &len);
    feed(&r, a, len / 2, 4096);
    r.sink->end(r.sink->ud, 0, NULL);
    struct sw_error err = {0};
    assert_int_equal(sw_stream_finish(r.s, &err), -1);
    assert_int_equal(err.code, SW_EXIT_VERIFY);
    free(a);
    stop(&r);
}

/* The request's own failure is what finish reports, class and message. */
static void test_a_failed_request_reports_its_own_error(void **state)
{
    (void)state;
    struct run r;
    start(&r);
    size_t len;
    unsigned char *a = targz("t", 20, 20000, NULL, &len);
    feed(&r, a, len / 3, 4096);
    struct sw_error net = {0};
    sw_error_set(&net, SW_EXIT_NETWORK, "connection reset by the mirror");
    r.sink->end(r.sink->ud, -1, &net);
    struct sw_error err = {0};
    assert_int_equal(sw_stream_finish(r.s, &err), -1);
    assert_int_equal(err.code, SW_EXIT_NETWORK);
    assert_string_equal(err.msg, "connection reset by the mirror");
    free(a);
    stop(&r);
}

/* finish on a stream whose request never ended (the caller gave up) does not hang. */
static void test_finish_without_an_end_fails(void **state)
{
    (void)state;
    struct run r;
    start(&r);
    size_t len;
    unsigned char *a = targz("t", 1, 100, NULL, &len);
    feed(&r, a, len / 2, 10);
    struct sw_error err = {0};
    assert_int_equal(sw_stream_finish(r.s, &err), -1);
    assert_int_equal(err.code, SW_EXIT_NETWORK);
    assert_non_null(strstr(err.msg, "did not finish"));
    free(a);
    stop(&r);
}

/* A failed body, then a retry that unpacks: the retry wins. */
static void test_a_retry_after_a_hostile_body_unpacks(void **state)
{
    (void)state;
    struct run r;
    start(&r);
    size_t l1, l2;
    unsigned char *bad = targz("t", 1, 100, "/abs", &l1);
    unsigned char *good = targz("t", 5, 5000, NULL, &l2);
    feed(&r, bad, l1, 512);
    r.sink->restart(r.sink->ud);
    feed(&r, good, l2, 512);
    r.sink->end(r.sink->ud, 0, NULL);
    struct sw_error err = {0};
    assert_int_equal(sw_stream_finish(r.s, &err), 0);
    assert_tree(r.dest, "t", 5, 5000);
    free(bad);
    free(good);
    stop(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_body_larger_than_the_pipe_unpacks_whole),
        cmocka_unit_test(test_a_restart_unpacks_the_new_body_only),
        cmocka_unit_test(test_a_hostile_archive_fails_and_the_body_is_still_taken),
        cmocka_unit_test(test_a_truncated_body_is_a_verify_error),
        cmocka_unit_test(test_a_failed_request_reports_its_own_error),
        cmocka_unit_test(test_finish_without_an_end_fails),
        cmocka_unit_test(test_a_retry_after_a_hostile_body_unpacks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
