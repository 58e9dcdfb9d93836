/* The shared fetch step of `plugins lock` and `plugins install`. */
#ifndef SW_PLUGINS_FETCH_H
#define SW_PLUGINS_FETCH_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "core/lock.h"
#include "io/http.h"
#include "io/oci.h"

struct sw_plugins_fetch {
    struct sw_lock *lock;   /* its plugin entries are updated with what was found */
    const char *lock_path;  /* for messages and for sources relative to the lock */
    const char *cache_root; /* <root>/plugins/sha256/<hex>.wasm */
    struct sw_http *http;
    struct sw_oci_config oci;
    const char *pkg; /* the plugin package the wash loads ("0.0.2"), or NULL when unknown */
    bool frozen;     /* an unpinned plugin is an error, never resolved over the network */
    bool refresh;    /* re-resolve tags and replace the pins (plugins lock) */
    bool allow_outside; /* path sources may name files outside the lock's project */
};

/* Gets every plugin's bytes into the cache, verified against the lock's pins (or, when a
 * plugin is unpinned or refresh is set, recording what was found in its entry), then checks
 * each is a plugin for `pkg`. A path source is resolved against the lock's directory and,
 * unless allow_outside, must resolve (symlinks followed) inside the lock's project: the top of
 * the git work tree that holds the lock, else the lock's directory; it must be a regular file
 * of at most its pinned size (and SW_PLUGIN_MAX_BYTES), and is read once. Downloads run in
 * parallel. Any failure fails the whole call, after every plugin was tried, with every failure in
 * the message; cached bytes of the others stay (they are verified), nothing is installed. */
int sw_plugins_fetch(struct sw_plugins_fetch *f, struct sw_error *err);

/* <cache_root>/plugins/sha256/<hex>.wasm for a digest "sha256:<hex>"; caller frees. */
char *sw_plugin_cas_path(const char *cache_root, const char *digest);

#endif
