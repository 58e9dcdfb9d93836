/* libFuzzer harness for the version, range and spec parsers in src/core/semver.c.
 *
 *   clang-14 -fsanitize=fuzzer,address,undefined -g -Isrc -D_POSIX_C_SOURCE=200809L \
 *       -D_DEFAULT_SOURCE src/core/semver.c src/core/error.c src/core/buf.c \
 *       tests/fuzz/fuzz_semver.c -o /tmp/fuzz_semver && /tmp/fuzz_semver -max_total_time=60
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/semver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Versions every parsed range is matched against: stable, prerelease, edges of uint64. */
static const char *const probes[] = {
    "0.0.0",
    "0.0.0-0",
    "0.43.0",
    "1.0.0-beta.10",
    "1.0.0-rc.2",
    "2.0.0-rc.8",
    "2.0.0",
    "2.7.0",
    "3.0.0-rc.1",
    "18446744073709551615.0.0",
    "18446744073709551615.18446744073709551615.18446744073709551615",
};

static void check_version(const struct sw_semver *v)
{
    char buf[128];
    sw_semver_str(v, buf, sizeof(buf));
    struct sw_semver back;
    /* what sw_semver_str writes parses back to an equal version */
    if (sw_semver_parse(buf, &back, NULL) != 0 || sw_semver_cmp(v, &back) != 0)
        abort();
    if (sw_semver_cmp(v, v) != 0)
        abort();
}

static void check_range(const struct sw_range *r)
{
    for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
        struct sw_semver v;
        if (sw_semver_parse(probes[i], &v, NULL) != 0)
            abort();
        (void)sw_range_match(r, &v);
    }
    (void)sw_range_names_major0(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';

    struct sw_error err = {0};
    struct sw_spec spec;
    if (sw_spec_parse(s, &spec, &err) == 0) {
        if (spec.kind == SW_SPEC_EXACT)
            check_version(&spec.exact);
        if (spec.kind == SW_SPEC_RANGE)
            check_range(spec.range);
    }
    if (strlen(spec.text) >= sizeof(spec.text))
        abort();
    sw_spec_free(&spec);

    struct sw_range *r = NULL;
    int range_rc = sw_range_parse(s, &r, &err);
    if (range_rc == 0)
        check_range(r);

    struct sw_semver v;
    if (sw_semver_parse(s, &v, &err) == 0) {
        check_version(&v);
        /* a full version is also a range that selects exactly that version */
        if (range_rc != 0 || !sw_range_match(r, &v))
            abort();
        for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
            struct sw_semver p;
            if (sw_semver_parse(probes[i], &p, NULL) != 0)
                abort();
            /* precedence is antisymmetric */
            int ab = sw_semver_cmp(&v, &p), ba = sw_semver_cmp(&p, &v);
            if ((ab > 0) != (ba < 0) || (ab == 0) != (ba == 0))
                abort();
        }
    }

    sw_range_free(r);
    free(s);
    return 0;
}
