/* plugins.lock: the file that pins wash (and, with the plugins issue, wash plugins).
 *
 * JSON, written deterministically (fixed key order, sorted targets, 2-space indent) so diffs
 * stay small. The format is documented in the README:
 *   {
 *     "lockfile-version": 1,
 *     "wash": {
 *       "requested": "^2", "version": "2.7.0", "tag": "v2.7.0",
 *       "repository": "wasmCloud/wasmCloud",
 *       "assets": { "<asset name>": {"target": "<triple>", "size": N, "digest": "sha256:..."} }
 *     },
 *     "plugins": [ ... ]
 *   }
 * Ownership: a `struct sw_lock` owns everything in it; sw_lock_free(NULL) is a no-op. */
#ifndef SW_LOCK_H
#define SW_LOCK_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/release.h"

#define SW_LOCK_VERSION 1

struct sw_lock_asset {
    char *target; /* "x86_64-unknown-linux-gnu" */
    char *name;   /* "wash-x86_64-unknown-linux-gnu" */
    char *digest; /* "sha256:<64 lowercase hex>" */
    int64_t size; /* -1 when unknown */
};

struct sw_lock_wash {
    char *requested; /* the spec the lock was made from, or NULL */
    char *version;   /* "2.7.0" */
    char *tag;
    char *repository;
    struct sw_lock_asset *assets; /* sorted by name */
    size_t nassets;
};

struct sw_lock {
    struct sw_lock_wash *wash; /* NULL when the lock pins no wash */
    cJSON *plugins;            /* the plugins array as found, kept verbatim; NULL when absent */
};

/* Parses a lockfile's text. `path` names the file in messages. Errors are SW_EXIT_USAGE and
 * say "<path>:<line>:<col>: ..." for syntax errors or "<path>: wash.assets.<t>.digest: ..."
 * for a value of the wrong shape. Unknown keys are errors: a typo must not silently unpin. */
int sw_lock_parse(const char *text, size_t len, const char *path, struct sw_lock **out,
                  struct sw_error *err);

/* The lock's text, ending in a newline. The caller frees it. */
char *sw_lock_format(const struct sw_lock *lock);

/* Replaces the wash entry with one made from a release: every wash binary asset that has a
 * digest, keyed by asset name. Fails (SW_EXIT_VERIFY) when no asset of the release has a digest. */
int sw_lock_set_wash(struct sw_lock *lock, const struct sw_release *r, const char *requested,
                     struct sw_error *err);

/* The locked asset with that file name, or NULL. */
const struct sw_lock_asset *sw_lock_asset_named(const struct sw_lock_wash *w, const char *name);

struct sw_lock *sw_lock_new(void);
void sw_lock_free(struct sw_lock *lock);

#endif
