/* snappy's raw block format, decoded without libsnappy (a C++ library the static release
 * binaries cannot link against musl): the attestations API serves bundles this way behind a
 * bundle_url. Only the raw format (google/snappy's format_description.txt), not the framing
 * format of .sz streams.
 *
 * The format: a little-endian base-128 varint with the uncompressed length (at most 2^32 - 1,
 * so at most 5 bytes), then elements until the input ends, each starting with a tag byte whose
 * low two bits say what follows:
 *   00 literal     upper six bits m: m < 60 is length m + 1, the bytes follow; m = 60..63 puts
 *                  length - 1 little-endian in the next m - 59 bytes, then the bytes
 *   01 copy        length 4 + bits 2..4 (4..11); offset bits 5..7 of the tag then one byte
 *   10 copy        length (tag >> 2) + 1 (1..64); offset in the next two bytes, little-endian
 *   11 copy        the same with a four-byte offset
 * A copy repeats `length` bytes starting `offset` bytes back in the output; the length may be
 * more than the offset (a run: the bytes it copies are the ones it is writing).
 *
 * libsnappy stays the oracle: tests/unit/test_snappy.c and tests/fuzz/fuzz_snappy.c check that
 * this decoder and libsnappy accept the same inputs and produce the same bytes. */
#ifndef SW_SNAPPY_H
#define SW_SNAPPY_H

#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"

/* Decodes the whole of in[0..len) (raw snappy) and appends the bytes to out, NUL-terminated.
 * Refuses, with SW_EXIT_VERIFY and a message naming the byte at fault:
 *   - a declared length over max (before anything is decoded or allocated), or one that is not
 *     a varint of at most 32 bits;
 *   - an element cut short by the end of the input, a copy with offset 0 or one reaching before
 *     the start of the output, an element writing past the declared length;
 *   - output that ends short of the declared length.
 * Like libsnappy, a varint with redundant zero groups (0x80 0x00 for 0) is accepted: its value
 * is what counts. in may be NULL when len is 0. On failure out->len is unchanged (its
 * allocation may have grown; the caller frees out either way). */
int sw_snappy_uncompress(const void *in, size_t len, size_t max, struct sw_buf *out,
                         struct sw_error *err);

#endif
