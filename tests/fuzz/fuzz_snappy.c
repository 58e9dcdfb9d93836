/* Differential libFuzzer harness for src/core/snappy.c against libsnappy, its oracle. For any
 * input:
 *   1. as a raw snappy stream, our decoder and libsnappy agree on valid or not, and on the
 *      bytes;
 *   2. compressed by libsnappy, it comes back byte for byte, and a cap one byte short refuses it;
 *   3. that compressed stream with one byte changed or cut short (where and how come from the
 *      input's first bytes, so the fuzzer steers into streams libsnappy itself wrote) is judged
 *      the same by both, as in 1.
 * Any disagreement aborts, but for one difference in libsnappy 1.1.9, explained in differ(). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/snappy.h"
#include "snappy_oracle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool same(const char *a, size_t an, const char *b, size_t bn)
{
    return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

static void differ(const char *in, size_t len)
{
    /* no valid stream of len bytes writes more than 64 bytes for each 3 it reads, so with this
     * cap, our refusing a length as too large means libsnappy must refuse the stream too */
    size_t cap = 22 * len + 64;
    struct sw_buf out = SW_BUF_INIT;
    struct sw_error err = {0};
    bool ours = sw_snappy_uncompress(in, len, cap, &out, &err) == 0;
    if (!ours && (err.code != SW_EXIT_VERIFY || !err.msg[0]))
        abort();
    char *buf = NULL;
    size_t n = 0;
    bool theirs = sw_snappy_oracle(in, len, &buf, &n);
    /* The one known difference: a literal whose 4-byte length field holds 0xffffffff is 2^32
     * bytes, more than any output, and we refuse it; libsnappy 1.1.9 adds the 1 in 32 bits and
     * takes an empty literal. So where we stop at one, libsnappy must judge the stream without
     * those 5 bytes as it judged this one, and that shorter stream is compared in turn. */
    unsigned long long at = 0;
    int matched = 0; /* %n: sscanf counts the %llu even when the words after it differ */
    if (!ours &&
        sscanf(err.msg, "not valid snappy: the literal at byte %llu has 4294967296 bytes%n", &at,
               &matched) == 1 &&
        matched > 0) {
        char *rest = malloc(len), *rbuf = NULL;
        size_t rn = 0;
        memcpy(rest, in, at);
        memcpy(rest + at, in + at + 5, len - at - 5);
        if (sw_snappy_oracle(rest, len - 5, &rbuf, &rn) != theirs ||
            (theirs && !same(buf, n, rbuf, rn)))
            abort();
        differ(rest, len - 5);
        free(rbuf);
        free(rest);
    } else if (ours != theirs || (theirs && !same(buf, n, out.data, out.len))) {
        abort();
    }
    free(buf);
    sw_buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    differ((const char *)data, size);

    size_t clen = snappy_max_compressed_length(size);
    char *packed = malloc(clen + 1);
    if (snappy_compress((const char *)data, size, packed, &clen) != SNAPPY_OK)
        abort();
    struct sw_buf out = SW_BUF_INIT;
    struct sw_error err = {0};
    if (sw_snappy_uncompress(packed, clen, size, &out, &err) != 0 || out.len != size ||
        (size && memcmp(out.data, data, size) != 0))
        abort();
    sw_buf_free(&out);
    if (size && sw_snappy_uncompress(packed, clen, size - 1, &out, &err) != -1)
        abort();
    sw_buf_free(&out);

    if (size >= 3) {
        size_t at = ((size_t)data[0] << 8 | data[1]) % clen;
        if (data[2] == 0)
            differ(packed, at); /* cut short */
        else {
            packed[at] ^= (char)data[2];
            differ(packed, clen);
        }
    }
    free(packed);
    return 0;
}
