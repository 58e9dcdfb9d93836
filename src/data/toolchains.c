#include "data/toolchains.h"

#define TG_34 (SW_TG_WASIP2 | SW_TG_BUILT_WITH)
#define TG_40 (SW_TG_WASIP2 | SW_TG_BUILT_WITH | SW_TG_GOCOMPAT)

/* TinyGo's accepted Go range per release (its builder/config.go minorMin/minorMax). */
const struct sw_tinygo_row sw_tinygo_rows[] = {
    {"0.30.0", "0.31.0", 18, 21, 0},
    {"0.31.0", "0.32.0", 18, 22, 0},
    {"0.32.0", "0.33.0", 19, 22, 0},
    {"0.33.0", "0.34.0", 19, 23, SW_TG_WASIP2},
    {"0.34.0", "0.36.0", 19, 23, TG_34},
    {"0.36.0", "0.39.0", 19, 24, TG_34},
    {"0.39.0", "0.40.0", 19, 25, TG_34},
    {"0.40.0", "0.41.0", 19, 25, TG_40},
    {"0.41.0", "0.42.0", 19, 26, TG_40},
    {"0.42.0", "0.43.0", 25, 27, TG_40},
};
const size_t sw_tinygo_rows_len = sizeof(sw_tinygo_rows) / sizeof(sw_tinygo_rows[0]);

const struct sw_wash_era sw_wash_eras[] = {
    /* the old wash 0.x line: a different product; its plugins are not modelled */
    {"0.0.0-0", "1.0.0-0", SW_LINE_OLD, NULL},
    /* the new wash loads every *.wasm in <data_dir>/plugins/ */
    {"1.0.0-beta.1", "1.0.0-beta.6", SW_LINE_NEW, "0.0.1"},
    {"1.0.0-beta.6", "2.0.0-rc.8", SW_LINE_NEW, "0.0.2"},
    /* 2.0.0-rc.8 removed `wash plugin` and plugin loading */
    {"2.0.0-rc.8", NULL, SW_LINE_NEW, NULL},
};
const size_t sw_wash_eras_len = sizeof(sw_wash_eras) / sizeof(sw_wash_eras[0]);

const char *const sw_wash_last_with_plugins = "2.0.0-rc.7";
