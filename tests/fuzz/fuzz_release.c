/* libFuzzer harness for release JSON handling (src/core/release.c): whatever a server sends
 * as a release list, adding it, selecting from it and choosing an asset must not crash; the
 * same page added again (a page shifted by a whole page) must add nothing. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/release.h"
#include "core/target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const specs[] = {"latest", "rc", "^2", "0.x", "2.0.0-rc.8", ">=1.0.0-0"};
    struct sw_releases rs = {0};
    struct sw_error err = {0};
    const char *repo = (size & 1) ? "wasmCloud/wasmCloud" : "wasmCloud/wash";
    if (sw_releases_add_json(&rs, repo, (const char *)data, size, "fuzz", &err) == 0) {
        size_t n = rs.n;
        if (sw_releases_add_json(&rs, repo, (const char *)data, size, "fuzz", &err) != 0 ||
            rs.n != n)
            abort();
        struct sw_target t;
        sw_target_parse("x86_64-unknown-linux-gnu", &t, &err);
        for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
            struct sw_spec spec;
            size_t idx;
            if (sw_spec_parse(specs[i], &spec, &err) < 0)
                abort();
            if (sw_releases_select(&rs, &spec, NULL, &idx, NULL, &err) == 0) {
                const struct sw_release *r = &rs.items[idx];
                const char **names = calloc(r->nassets + 1, sizeof(*names));
                for (size_t k = 0; k < r->nassets; k++)
                    names[k] = r->assets[k].name;
                struct sw_asset_choice c;
                sw_asset_choose(&t, names, r->nassets, &c, &err);
                free(names);
            }
            sw_spec_free(&spec);
        }
    }
    sw_releases_free(&rs);
    return 0;
}
