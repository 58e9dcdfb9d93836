/* Decisions about wash plugins, without I/O: which plugin package a wash loads, whether a
 * component is a plugin for it, and where wash looks for plugins. */
#ifndef SW_PLUGINS_H
#define SW_PLUGINS_H

#include <stdint.h>

#include "core/component.h"
#include "core/error.h"
#include "core/semver.h"
#include "core/target.h"
#include "data/toolchains.h"

/* The most bytes a plugin may have, wherever it comes from (a registry blob, a URL, a path
 * source, a file in the cache): 256 MiB, far above any real component. */
#define SW_PLUGIN_MAX_BYTES ((uint64_t)256 << 20)

/* An installed plugin against the lock (io/plugin_dir.c finds it out). */
enum sw_plugin_state {
    SW_PLUGIN_OK,         /* installed and hashes to the pinned digest */
    SW_PLUGIN_MISSING,    /* no <name>.wasm */
    SW_PLUGIN_MODIFIED,   /* a different file */
    SW_PLUGIN_UNPINNED,   /* installed, but the lock pins no digest to compare with */
    SW_PLUGIN_UNREADABLE, /* there, but cannot be read */
};

/* "ok", "missing", "modified", "unpinned", "unreadable". */
const char *sw_plugin_state_name(enum sw_plugin_state s);

/* The row of data/toolchains.c that holds wash version v, or NULL. */
const struct sw_wash_era *sw_wash_era_of(const struct sw_semver *v);

/* The plugin package version ("0.0.2") a wash version loads. Fails (SW_EXIT_USAGE) for a wash
 * without a plugin system, naming the last wash that has one, when `nplugins` > 0. */
int sw_wash_plugin_pkg(const struct sw_semver *wash, size_t nplugins, const char **pkg,
                       struct sw_error *err);

/* Whether a binary is a plugin the wash loads: a component exporting
 * wasmcloud:wash/plugin@<pkg>. Fails (SW_EXIT_VERIFY) naming what was found: a core module,
 * a component with other exports (listed), or a plugin for the other package version (with
 * the wash versions that load it). */
int sw_plugin_check(const struct sw_wasm_info *info, const char *name, const char *pkg,
                    struct sw_error *err);

/* wash's data directory: $XDG_DATA_HOME/wash or <home>/.local/share/wash on Linux and macOS;
 * <appdata>\wasmCloud Team\wash\data on Windows. NULL when the variables it needs are unset.
 * The caller frees the result. */
char *sw_wash_data_dir(enum sw_os os, const char *xdg_data_home, const char *home,
                       const char *appdata);

#endif
