/* Unit tests for src/core/snappy.c, with libsnappy as the oracle:
 *   - inputs compressed by libsnappy (random, repetitive, runs, sizes around the tag
 *     boundaries, several 64 KiB blocks) come back byte for byte;
 *   - hand-made streams using what libsnappy never writes (4-byte offsets, long literal length
 *     fields, redundant varints, runs with every copy kind) decode as libsnappy decodes them;
 *   - hostile streams are refused with SW_EXIT_VERIFY and a message naming the fault, and
 *     libsnappy refuses them too (except where only our cap says no, and the one literal length
 *     libsnappy 1.1.9 wraps around in 32 bits).
 * One named test per row. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/snappy.h"
#include "../fuzz/snappy_oracle.h"

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))
/* A byte string and its length; an escape before a letter a-f is octal ("\004ab"), as \x would
 * take the letters in. */
#define BYTES(s) s, sizeof(s) - 1

/* Decodes with both and fails the test unless both accept with the same bytes. */
static void check_same(const char *packed, size_t len, const char *plain, size_t plain_len)
{
    char *theirs = NULL;
    size_t their_len = 0;
    assert_true(sw_snappy_oracle(packed, len, &theirs, &their_len));
    struct sw_buf out = SW_BUF_INIT;
    struct sw_error err = {0};
    if (sw_snappy_uncompress(packed, len, SIZE_MAX, &out, &err) < 0)
        fail_msg("refused what libsnappy accepts: %s", err.msg);
    assert_int_equal(out.len, their_len);
    assert_memory_equal(out.data, theirs, their_len);
    assert_int_equal(out.data[out.len], '\0');
    if (plain) {
        assert_int_equal(out.len, plain_len);
        assert_memory_equal(out.data, plain, plain_len);
    }
    sw_buf_free(&out);
    free(theirs);
}

/* ---- libsnappy compresses, we decode ---- */

enum gen { GEN_RANDOM, GEN_TEXT, GEN_RUN, GEN_PERIOD, GEN_FAR };

struct packed_row {
    const char *name;
    enum gen gen;
    size_t size;
    size_t period; /* GEN_PERIOD: the repeating unit; GEN_FAR: the distance of the repeats */
};

static const struct packed_row packed_rows[] = {
    {"empty", GEN_RANDOM, 0, 0},
    {"1 byte", GEN_RANDOM, 1, 0},
    {"random 59 (a short literal)", GEN_RANDOM, 59, 0},
    {"random 60 (the longest short literal)", GEN_RANDOM, 60, 0},
    {"random 61 (a literal with a 1-byte length)", GEN_RANDOM, 61, 0},
    {"random 62", GEN_RANDOM, 62, 0},
    {"random 255", GEN_RANDOM, 255, 0},
    {"random 256 (the longest 1-byte literal length)", GEN_RANDOM, 256, 0},
    {"random 257 (a literal with a 2-byte length)", GEN_RANDOM, 257, 0},
    {"random 65535", GEN_RANDOM, 65535, 0},
    {"random 65536 (one whole block)", GEN_RANDOM, 65536, 0},
    {"random 65537 (a second block)", GEN_RANDOM, 65537, 0},
    {"random 300000 (five blocks)", GEN_RANDOM, 300000, 0},
    {"JSON-like text 10 KiB", GEN_TEXT, 10240, 0},
    {"JSON-like text 200 KiB", GEN_TEXT, 204800, 0},
    {"a run of one byte, 100000 (offset 1 copies)", GEN_RUN, 100000, 0},
    {"a run of 5 bytes", GEN_RUN, 5, 0},
    {"a run of 64", GEN_RUN, 64, 0},
    {"period 2, 70000", GEN_PERIOD, 70000, 2},
    {"period 7, 1000", GEN_PERIOD, 1000, 7},
    {"period 61, 5000", GEN_PERIOD, 5000, 61},
    {"period 3000 (2-byte offsets), 50000", GEN_PERIOD, 50000, 3000},
    {"repeats 2047 back (the longest 1-byte offset)", GEN_FAR, 30000, 2047},
    {"repeats 2048 back (a 2-byte offset)", GEN_FAR, 30000, 2048},
    {"repeats 65000 back", GEN_FAR, 200000, 65000},
};

static uint32_t next_random(uint32_t *s)
{
    /* xorshift32: the same bytes on every run, so a failing row can be reproduced */
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static char *generate(const struct packed_row *r)
{
    static const char *const words[] = {"{\"mediaType\":",
                                        "\"application/vnd.dev.sigstore",
                                        ".bundle.v0.3+json\"",
                                        ",\"verificationMaterial\":",
                                        "{\"certificate\":{\"rawBytes\":\"",
                                        "MIIC",
                                        "\"},",
                                        "\"tlogEntries\":[",
                                        "]}",
                                        "\"logIndex\":\""};
    char *p = malloc(r->size + 1);
    uint32_t s = 0x9e3779b9u ^ (uint32_t)r->size;
    size_t i = 0;
    switch (r->gen) {
    case GEN_RANDOM:
        for (; i < r->size; i++)
            p[i] = (char)(next_random(&s) >> 24);
        break;
    case GEN_TEXT:
        while (i < r->size) {
            const char *w = words[next_random(&s) % ROWS(words)];
            for (; *w && i < r->size; w++)
                p[i++] = *w;
            if (i < r->size && next_random(&s) % 4 == 0)
                p[i++] = (char)('A' + next_random(&s) % 26);
        }
        break;
    case GEN_RUN:
        memset(p, 'z', r->size);
        break;
    case GEN_PERIOD:
        for (; i < r->size; i++)
            p[i] = i < r->period ? (char)(next_random(&s) >> 24) : p[i - r->period];
        break;
    case GEN_FAR:
        /* random, except that every other 100 bytes repeat what came period bytes before */
        for (; i < r->size; i++)
            p[i] =
                i >= r->period && (i / 100) % 2 ? p[i - r->period] : (char)(next_random(&s) >> 24);
        break;
    }
    return p;
}

static void test_packed(void **state)
{
    const struct packed_row *r = *state;
    char *plain = generate(r);
    size_t len = snappy_max_compressed_length(r->size);
    char *packed = malloc(len);
    assert_int_equal(snappy_compress(plain, r->size, packed, &len), SNAPPY_OK);
    check_same(packed, len, plain, r->size);
    free(packed);
    free(plain);
}

/* ---- hand-made streams that libsnappy accepts ---- */

struct valid_row {
    const char *name;
    const char *data;
    size_t len;
    const char *plain; /* NULL: compared with libsnappy only */
};

static const struct valid_row valid_rows[] = {
    {"length 0, no elements", BYTES("\x00"), ""},
    {"a redundant varint (0x85 0x00 is 5)", BYTES("\x85\x00\x10hello"), "hello"},
    {"two literals in a row", BYTES("\x04\004ab\004cd"), "abcd"},
    {"a short literal in the 1-byte length form", BYTES("\x03\xf0\x02xyz"), "xyz"},
    {"a literal with a 2-byte length field", BYTES("\x03\xf4\x02\x00xyz"), "xyz"},
    {"a literal with a 3-byte length field", BYTES("\x03\xf8\x02\x00\x00xyz"), "xyz"},
    {"a literal with a 4-byte length field", BYTES("\x03\xfc\x02\x00\x00\x00xyz"), "xyz"},
    {"copy, 1-byte offset, longer than its offset", BYTES("\x0c\004ab\x19\x02"), "abababababab"},
    {"copy, 2-byte offset 1, length 64", BYTES("\x41\000a\xfe\x01\x00"), NULL},
    {"copy, 2-byte offset, length 1", BYTES("\x04\x08xyz\x02\x03\x00"), "xyzx"},
    {"copy, 4-byte offset 3, longer than its offset", BYTES("\x0a\x08xyz\x1b\x03\x00\x00\x00"),
     "xyzxyzxyzx"},
    {"copy, 4-byte offset 1, length 64", BYTES("\x41\000a\xff\x01\x00\x00\x00"), NULL},
    {"copies of each kind after each other",
     BYTES("\x0e\014abcd\x01\x04\x06\x04\x00\x0f\x08\x00\x00\x00"), "abcdabcdabcdab"},
};

static void test_valid(void **state)
{
    const struct valid_row *r = *state;
    check_same(r->data, r->len, r->plain, r->plain ? strlen(r->plain) : 0);
}

/* The one kind of stream too large for a table row: a 70000-byte literal (3-byte length
 * field) and copies from beyond 65535 bytes back, which only a 4-byte offset reaches. */
static void test_far_copy4(void **state)
{
    (void)state;
    const size_t lit = 70000, total = lit + 64 + 20;
    unsigned char *s = malloc(lit + 64);
    size_t n = 0;
    for (size_t v = total;; v >>= 7) { /* the uncompressed length, a varint */
        s[n++] = (unsigned char)((v & 0x7f) | (v >= 0x80 ? 0x80 : 0));
        if (v < 0x80)
            break;
    }
    s[n++] = 62 << 2; /* literal, 3-byte length */
    s[n++] = (unsigned char)((lit - 1) & 0xff);
    s[n++] = (unsigned char)(((lit - 1) >> 8) & 0xff);
    s[n++] = (unsigned char)((lit - 1) >> 16);
    for (size_t i = 0; i < lit; i++)
        s[n++] = (unsigned char)(i * 7 + i / 251);
    /* 64 bytes from 69000 back, then 20 from 70050 back */
    const unsigned char copies[] = {63 << 2 | 3, 0x88, 0x0d, 0x01, 0x00,
                                    19 << 2 | 3, 0xa2, 0x11, 0x01, 0x00};
    memcpy(s + n, copies, sizeof(copies));
    n += sizeof(copies);
    check_same((const char *)s, n, NULL, 0);
    free(s);
}

/* ---- hostile streams ---- */

struct bad_row {
    const char *name;
    const char *data;
    size_t len;
    size_t max;          /* 0: no cap (SIZE_MAX) */
    const char *message; /* a fragment of the error */
    enum {
        THEY_REFUSE,
        THEY_ACCEPT, /* only our cap refuses it */
        THEY_WRAP,   /* libsnappy 1.1.9's 32-bit literal length: either verdict */
    } libsnappy;
};

static const struct bad_row bad_rows[] = {
    {"empty", BYTES(""), 0, "no uncompressed length", THEY_REFUSE},
    {"a varint cut short", BYTES("\x80"), 0, "length is cut short", THEY_REFUSE},
    {"a varint of 4 bytes cut short", BYTES("\xff\xff\xff\xff"), 0, "cut short", THEY_REFUSE},
    {"a varint of 6 bytes", BYTES("\x80\x80\x80\x80\x80\x01"), 0, "does not fit in 32 bits",
     THEY_REFUSE},
    {"a varint with a 33rd bit", BYTES("\x80\x80\x80\x80\x10"), 0, "does not fit in 32 bits",
     THEY_REFUSE},
    {"a varint of 5 bytes going on", BYTES("\xff\xff\xff\xff\x8f\x00"), 0, "32 bits", THEY_REFUSE},
    {"2^32 - 1 declared, over the cap", BYTES("\xff\xff\xff\xff\x0f\000a"), 1u << 20,
     "4294967295 bytes, more than the 1048576 allowed", THEY_REFUSE},
    {"a length with no data", BYTES("\xff\xff\x03"), 0, "ends after 0 of the 65535", THEY_REFUSE},
    {"one byte short of the declared length", BYTES("\x05\014abcd"), 0, "ends after 4 of the 5",
     THEY_REFUSE},
    {"one byte more than the declared length", BYTES("\x03\014abcd"), 0,
     "literal at byte 1 writes past the declared length of 3", THEY_REFUSE},
    {"a copy past the declared length", BYTES("\x05\000a\x05\x01"), 0, "copy at byte 3 writes past",
     THEY_REFUSE},
    {"trailing garbage after a whole stream", BYTES("\x01\000a\000b"), 0,
     "literal at byte 3 writes past", THEY_REFUSE},
    {"a trailing copy tag after a whole stream", BYTES("\x01\000a\x01"), 0,
     "copy at byte 3 is cut short", THEY_REFUSE},
    {"offset 0, 1-byte form", BYTES("\x06\004ab\x01\x00"), 0, "copy at byte 4 has offset 0",
     THEY_REFUSE},
    {"offset 0, 2-byte form", BYTES("\x06\004ab\x0e\x00\x00"), 0, "offset 0", THEY_REFUSE},
    {"offset 0, 4-byte form", BYTES("\x06\004ab\x0f\x00\x00\x00\x00"), 0, "offset 0", THEY_REFUSE},
    {"a copy first", BYTES("\x04\x01\x01"), 0, "reaches 1 bytes back, before the start",
     THEY_REFUSE},
    {"offset one past the output", BYTES("\x06\004ab\x01\x03"), 0,
     "copy at byte 4 reaches 3 bytes back, before the start of the output (2 bytes)", THEY_REFUSE},
    {"2-byte offset past the output", BYTES("\x06\004ab\x0e\x00\x01"), 0, "reaches 256",
     THEY_REFUSE},
    {"4-byte offset 2^32 - 1", BYTES("\x06\004ab\x0f\xff\xff\xff\xff"), 0, "reaches 4294967295",
     THEY_REFUSE},
    {"a literal's 1-byte length missing", BYTES("\x05\xf0"), 0, "literal at byte 1 is cut short",
     THEY_REFUSE},
    {"a literal's 4-byte length cut at 3", BYTES("\x05\xfc\x04\x00\x00"), 0, "cut short",
     THEY_REFUSE},
    {"a 1-byte offset missing", BYTES("\x06\004ab\x01"), 0, "copy at byte 4 is cut short",
     THEY_REFUSE},
    {"a 2-byte offset cut at 1", BYTES("\x06\004ab\x0e\x01"), 0, "cut short", THEY_REFUSE},
    {"a 4-byte offset cut at 3", BYTES("\x06\004ab\x0f\x01\x00\x00"), 0, "cut short", THEY_REFUSE},
    {"a literal longer than the input", BYTES("\x0a\044abc"), 0,
     "literal at byte 1 has 10 bytes, the input only 3 more", THEY_REFUSE},
    {"a literal of 2^32 bytes", BYTES("\x0a\xfc\xff\xff\xff\377abc"), 0, "4294967296 bytes",
     THEY_REFUSE},
    /* (len - 1) = 0xffffffff: 2^32 bytes, more than any output holds. libsnappy 1.1.9 adds the
     * 1 in 32 bits, gets 0 and takes an empty literal (found by fuzz_snappy); we refuse it. */
    {"a literal of 2^32 bytes after a whole stream", BYTES("\x03\x08xyz\xfc\xff\xff\xff\xff"), 0,
     "literal at byte 5 has 4294967296 bytes", THEY_WRAP},
    {"plain JSON", BYTES("{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\"}"), 0,
     "not valid snappy", THEY_REFUSE},
    {"over the cap by one", BYTES("\x05\x10hello"), 4, "5 bytes, more than the 4 allowed",
     THEY_ACCEPT},
};

static void test_bad(void **state)
{
    const struct bad_row *r = *state;
    struct sw_buf out = SW_BUF_INIT;
    struct sw_error err = {0};
    sw_buf_adds(&out, "before");
    assert_int_equal(sw_snappy_uncompress(r->data, r->len, r->max ? r->max : SIZE_MAX, &out, &err),
                     -1);
    assert_int_equal(err.code, SW_EXIT_VERIFY);
    if (!strstr(err.msg, r->message))
        fail_msg("'%s' does not say '%s'", err.msg, r->message);
    assert_int_equal(out.len, 6); /* what was there stays */
    assert_string_equal(sw_buf_str(&out), "before");
    char *theirs = NULL;
    size_t n = 0;
    bool ok = sw_snappy_oracle(r->data, r->len, &theirs, &n);
    if (r->libsnappy != THEY_WRAP && ok != (r->libsnappy == THEY_ACCEPT))
        fail_msg("libsnappy %s it", ok ? "accepts" : "refuses");
    free(theirs);
    sw_buf_free(&out);
}

/* Output is appended; a cap equal to the length is enough; NULL input with length 0 is the
 * empty input. */
static void test_edges(void **state)
{
    (void)state;
    struct sw_buf out = SW_BUF_INIT;
    struct sw_error err = {0};
    sw_buf_adds(&out, ">");
    assert_int_equal(sw_snappy_uncompress("\x05\x10hello", 7, 5, &out, &err), 0);
    assert_string_equal(sw_buf_str(&out), ">hello");
    assert_int_equal(sw_snappy_uncompress("\x00", 1, 0, &out, &err), 0);
    assert_int_equal(out.len, 6);
    assert_int_equal(sw_snappy_uncompress(NULL, 0, 10, &out, &err), -1);
    assert_non_null(strstr(err.msg, "empty input"));
    sw_buf_free(&out);
}

/* Flipping any one byte of a libsnappy stream never yields the original silently. */
static void test_flips(void **state)
{
    (void)state;
    const struct packed_row r = {"text", GEN_TEXT, 3000, 0};
    char *plain = generate(&r);
    size_t len = snappy_max_compressed_length(r.size);
    char *packed = malloc(len);
    assert_int_equal(snappy_compress(plain, r.size, packed, &len), SNAPPY_OK);
    for (size_t i = 0; i < len; i++) {
        packed[i] ^= 0x55;
        struct sw_buf out = SW_BUF_INIT;
        struct sw_error err = {0};
        char *theirs = NULL;
        size_t n = 0;
        bool ours = sw_snappy_uncompress(packed, len, SIZE_MAX, &out, &err) == 0;
        bool ok = sw_snappy_oracle(packed, len, &theirs, &n);
        if (ours != ok || (ours && (n != out.len || memcmp(theirs, out.data, n) != 0)))
            fail_msg("byte %zu flipped: we %s, libsnappy %s", i, ours ? "accept" : "refuse",
                     ok ? "accepts" : "refuses");
        if (ours && out.len == r.size && memcmp(out.data, plain, r.size) == 0)
            fail_msg("byte %zu flipped: still the original", i);
        free(theirs);
        sw_buf_free(&out);
        packed[i] ^= 0x55;
    }
    free(packed);
    free(plain);
}

#define ADD_ROWS(rows, fn)                                                                         \
    for (size_t i = 0; i < ROWS(rows); i++)                                                        \
        tests[n++] = (struct CMUnitTest){rows[i].name, fn, NULL, NULL, (void *)&rows[i]};

int main(void)
{
    struct CMUnitTest tests[ROWS(packed_rows) + ROWS(valid_rows) + ROWS(bad_rows) + 3];
    size_t n = 0;
    ADD_ROWS(packed_rows, test_packed)
    ADD_ROWS(valid_rows, test_valid)
    ADD_ROWS(bad_rows, test_bad)
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_far_copy4);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_edges);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_flips);
    return _cmocka_run_group_tests("snappy", tests, n, NULL, NULL);
}
