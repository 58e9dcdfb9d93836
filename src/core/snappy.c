#include "core/snappy.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define SW_SNAPPY_BAD "not valid snappy: "

enum { TAG_LITERAL = 0, TAG_COPY1 = 1, TAG_COPY2 = 2, TAG_COPY4 = 3 };

/* The uncompressed length: 0 with *n and *used set, or -1 after filling err. */
static int read_length(const unsigned char *p, size_t len, uint32_t *n, size_t *used,
                       struct sw_error *err)
{
    uint32_t v = 0;
    for (size_t i = 0; i < 5; i++) {
        if (i == len)
            return sw_error_set(err, SW_EXIT_VERIFY,
                                len ? SW_SNAPPY_BAD "the uncompressed length is cut short"
                                    : SW_SNAPPY_BAD "no uncompressed length (empty input)");
        /* the fifth byte holds bits 28..31: anything above is a 33rd bit or a sixth byte */
        if (i == 4 && p[i] > 0x0f)
            break;
        v |= (uint32_t)(p[i] & 0x7f) << (7 * i);
        if (p[i] < 0x80) {
            *n = v;
            *used = i + 1;
            return 0;
        }
    }
    return sw_error_set(err, SW_EXIT_VERIFY,
                        SW_SNAPPY_BAD "the uncompressed length does not fit in 32 bits");
}

/* Little-endian unsigned integer of k (1..4) bytes. */
static uint64_t load_le(const unsigned char *p, size_t k)
{
    uint64_t v = 0;
    for (size_t j = 0; j < k; j++)
        v |= (uint64_t)p[j] << (8 * j);
    return v;
}

/* One element: where its tag is, and what it says. */
struct element {
    size_t at;
    bool literal;
    uint64_t length;
    uint64_t offset; /* copies only */
};

/* Reads the element whose tag is at p[*i] and moves *i past its tag and the bytes of its
 * header (a literal's own bytes are left for the caller). */
static int read_element(const unsigned char *p, size_t len, size_t *i, struct element *e,
                        struct sw_error *err)
{
    /* bytes after the tag: the copy's offset, or (m = 60..63) the literal's length */
    static const size_t extra[4] = {0, 1, 2, 4};
    unsigned tag = p[*i];
    unsigned kind = tag & 3;
    size_t k = extra[kind];
    e->at = (*i)++;
    e->literal = kind == TAG_LITERAL;
    e->length = (tag >> 2) + 1;
    e->offset = 0;
    if (e->literal)
        k = e->length > 60 ? e->length - 60 : 0;
    if (len - *i < k)
        return sw_error_set(err, SW_EXIT_VERIFY,
                            SW_SNAPPY_BAD "the %s at byte %zu is cut short by the end of the input",
                            e->literal ? "literal" : "copy", e->at);
    if (kind == TAG_COPY1) {
        e->length = 4 + ((tag >> 2) & 7);
        e->offset = (uint64_t)(tag >> 5) << 8 | p[*i];
    } else if (kind != TAG_LITERAL) {
        e->offset = load_le(p + *i, k);
    } else if (k) {
        e->length = load_le(p + *i, k) + 1;
    }
    *i += k;
    return 0;
}

/* Decodes the elements in p[i..len) into dst, which has room for exactly n bytes. */
static int decode(const unsigned char *p, size_t len, size_t i, unsigned char *dst, size_t n,
                  struct sw_error *err)
{
    size_t pos = 0; /* bytes written so far */
    while (i < len) {
        struct element e;
        if (read_element(p, len, &i, &e, err) < 0)
            return -1;
        const char *what = e.literal ? "literal" : "copy";
        if (e.literal && e.length > len - i)
            return sw_error_set(err, SW_EXIT_VERIFY,
                                SW_SNAPPY_BAD "the literal at byte %zu has %llu bytes, the input "
                                              "only %zu more",
                                e.at, (unsigned long long)e.length, len - i);
        if (!e.literal && e.offset == 0)
            return sw_error_set(err, SW_EXIT_VERIFY,
                                SW_SNAPPY_BAD "the copy at byte %zu has offset 0", e.at);
        if (!e.literal && e.offset > pos)
            return sw_error_set(err, SW_EXIT_VERIFY,
                                SW_SNAPPY_BAD "the copy at byte %zu reaches %llu bytes back, "
                                              "before the start of the output (%zu bytes)",
                                e.at, (unsigned long long)e.offset, pos);
        if (e.length > n - pos)
            return sw_error_set(err, SW_EXIT_VERIFY,
                                SW_SNAPPY_BAD "the %s at byte %zu writes past the declared "
                                              "length of %zu bytes",
                                what, e.at, n);
        size_t l = (size_t)e.length, off = (size_t)e.offset;
        if (e.literal) {
            memcpy(dst + pos, p + i, l);
            i += l;
        } else if (off >= l) {
            memcpy(dst + pos, dst + pos - off, l);
        } else {
            /* a run: the bytes it copies include the ones it is writing, so one at a time */
            for (size_t j = 0; j < l; j++)
                dst[pos + j] = dst[pos - off + j];
        }
        pos += l;
    }
    if (pos != n)
        return sw_error_set(err, SW_EXIT_VERIFY,
                            SW_SNAPPY_BAD "the data ends after %zu of the %zu bytes it declares",
                            pos, n);
    return 0;
}

int sw_snappy_uncompress(const void *in, size_t len, size_t max, struct sw_buf *out,
                         struct sw_error *err)
{
    static const unsigned char none[1];
    const unsigned char *p = len ? in : none;
    uint32_t want = 0;
    size_t i = 0;
    if (read_length(p, len, &want, &i, err) < 0)
        return -1;
    size_t n = want;
    if (n > max)
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "snappy data would decompress to %zu bytes, more than the %zu allowed",
                            n, max);
    sw_buf_grow(out, n + 1);
    int rc = decode(p, len, i, (unsigned char *)out->data + out->len, n, err);
    if (rc == 0)
        out->len += n;
    out->data[out->len] = '\0'; /* on failure, what was decoded is dropped */
    return rc;
}
