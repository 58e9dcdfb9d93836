/* libFuzzer harness for what src/io/attest.c reads from the network: an attestations API
 * answer, and a snappy-compressed bundle (the bytes behind a bundle_url). Whatever the input,
 * parsing must not crash, keep at most SW_ATTEST_MAX entries, and decompression must respect
 * its cap. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/snappy.h"
#include "io/attest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sw_attestations a;
    struct sw_error err = {0};
    if (sw_attest_parse((const char *)data, size, &a, &err) == 0) {
        if (a.n > SW_ATTEST_MAX)
            abort();
        for (size_t i = 0; i < a.n; i++)
            if (!a.items[i].bundle == !a.items[i].bundle_url) /* exactly one of the two */
                abort();
        sw_attestations_free(&a);
    }
    struct sw_buf out = SW_BUF_INIT;
    if (sw_snappy_uncompress(data, size, 1u << 16, &out, &err) == 0 && out.len > (1u << 16))
        abort();
    sw_buf_free(&out);
    return 0;
}
