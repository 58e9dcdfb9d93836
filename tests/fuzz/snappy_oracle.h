/* libsnappy as the oracle of src/core/snappy.c, for tests/unit/test_snappy.c and
 * tests/fuzz/fuzz_snappy.c (header-only: the fuzz build compiles sources, not the test library). */
#ifndef SW_SNAPPY_ORACLE_H
#define SW_SNAPPY_ORACLE_H

#include <snappy-c.h>
#include <stdbool.h>
#include <stdlib.h>

/* libsnappy's verdict: true, with its output in *out (caller frees), when it accepts in. Its
 * validator runs first, so nothing is allocated for a declared length the data cannot fill. */
static inline bool sw_snappy_oracle(const char *in, size_t len, char **out, size_t *n)
{
    size_t want = 0;
    *out = NULL;
    *n = 0;
    if (snappy_uncompressed_length(in, len, &want) != SNAPPY_OK ||
        snappy_validate_compressed_buffer(in, len) != SNAPPY_OK)
        return false;
    *out = malloc(want + 1);
    *n = want;
    return snappy_uncompress(in, len, *out, n) == SNAPPY_OK && *n == want;
}

#endif
