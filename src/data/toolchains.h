/* Toolchain facts doctor checks against (wash-facts.md sections 3 and 5), as tables the code
 * reads. When TinyGo 0.43 ships, it is one more row in sw_tinygo_rows; when wasmCloud brings
 * plugins back, one more row in sw_wash_eras. Nothing else in the code knows these numbers. */
#ifndef SW_DATA_TOOLCHAINS_H
#define SW_DATA_TOOLCHAINS_H

#include <stddef.h>

#include "data/wash.h"

/* What a TinyGo release line can do. */
enum {
    SW_TG_WASIP2 = 1u << 0,     /* -target=wasip2 (0.33 and later) */
    SW_TG_BUILT_WITH = 1u << 1, /* refuses a Go newer than the Go it was built with (0.34+) */
    SW_TG_GOCOMPAT = 1u << 2,   /* -go-compatibility=false / TINYGO_GOCOMPATIBILITY (0.40+) */
};

/* TinyGo versions in [min, max_excl) accept Go 1.<go_min> through 1.<go_max> (minor versions,
 * both inclusive). Rows are sorted, contiguous and start on a minor version (X.Y.0), so
 * "0.38.x" can be printed from max_excl. Prereleases (0.42.0-dev-...) count as their
 * X.Y.Z. */
struct sw_tinygo_row {
    const char *min;      /* inclusive, "0.36.0" */
    const char *max_excl; /* exclusive, "0.39.0" */
    unsigned go_min, go_max;
    unsigned flags; /* SW_TG_* */
};

extern const struct sw_tinygo_row sw_tinygo_rows[];
extern const size_t sw_tinygo_rows_len;

/* Rust: the first release with the tier-2 wasm32-wasip2 target, and the target's name. */
#define SW_RUST_WASIP2_MINOR 82u
#define SW_RUST_WASIP2_TARGET "wasm32-wasip2"

/* wit-bindgen-go older than SW_WBG_MIN breaks with wasm-tools SW_WASMTOOLS_BREAK or newer.
 * SW_WBG_MODULE is the Go module that holds cmd/wit-bindgen-go (as go.mod requires it). */
#define SW_WBG_MIN "0.6.2"
#define SW_WASMTOOLS_BREAK "1.226.0"
#define SW_WBG_MODULE "go.bytecodealliance.org"

/* What a range of wash versions is: which product line, and which plugin package its plugin
 * system loads (wasmcloud:wash/plugin@<plugin_pkg>), NULL when it has none that setup-wash
 * knows. Versions in [min, max_excl); max_excl NULL is open-ended. A version in no row (a
 * 1.0.0 alpha) is unknown. */
struct sw_wash_era {
    const char *min;
    const char *max_excl;
    enum sw_line line;
    const char *plugin_pkg;
};

extern const struct sw_wash_era sw_wash_eras[];
extern const size_t sw_wash_eras_len;

/* The last wash that loads plugins: the version to name when a lock lists plugins for a wash
 * without a plugin system. */
extern const char *const sw_wash_last_with_plugins;

/* wash 2.x reads `build.command` from .wash/config.yaml; doctor checks it from this major. */
#define SW_WASH_CONFIG_MAJOR 2u

/* `wash config validate` exists from this release on. */
#define SW_WASH_CONFIG_VALIDATE "2.2.0"

/* Host component plugins (components exporting wasmcloud:host) exist from this release on, and
 * only builds with this cargo feature load them; wash's release binaries are built without. */
#define SW_WASH_HOST_PLUGINS "2.6.0"
#define SW_WASH_HOST_PLUGINS_FEATURE "host-component-plugins"

#endif
