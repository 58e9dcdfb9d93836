/* plugins.lock: the file that pins wash (and, with the plugins issue, wash plugins).
 *
 * JSON, written deterministically (fixed key order, sorted targets, 2-space indent) so diffs
 * stay small. The format is documented in the README:
 *   {
 *     "lockfile-version": 1,
 *     "wash": {
 *       "requested": "^2", "version": "2.7.0", "tag": "v2.7.0",
 *       "repository": "wasmCloud/wasmCloud",
 *       "assets": { "<asset name>": {"target": "<triple>", "size": N, "digest": "sha256:..."} },
 *       "provenance": {"source": "asset" | "attestations", "bundle": "sha256:..."}
 *     },
 *     "tools": {
 *       "<tool>": {
 *         "requested": "^0.40", "version": "0.40.1", "tag": "v0.40.1",
 *         ("requested": "auto", "for-go": "go1.25.5": tinygo@auto and the Go it chose for)
 *         "repository": "tinygo-org/tinygo",
 *         "assets": { "<asset name>": {"targets": ["<triple>", ...], "size": N,
 *                                      "digest": "sha256:...",
 *                                      "pinned-from": "api" | "checksums" | "download"} },
 *         "provenance": {"source": "attestations", "bundle": "sha256:..."}
 *       }
 *     },
 *     "plugins": [ ... ]
 *   }
 * "tools" pins the component toolchain beside wash (the rows of data/tools.h other than wash)
 * and is written only when it holds a tool, so a lock without tools reads as it always did.
 * Ownership: a `struct sw_lock` owns everything in it; sw_lock_free(NULL) is a no-op. */
#ifndef SW_LOCK_H
#define SW_LOCK_H

#include <stdbool.h>
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

/* The Sigstore bundle that proved the release's provenance when it was locked: where it came
 * from and the SHA-256 of its bytes (kept in the cache, <root>/.setup-wash/bundles/). */
enum sw_prov_source {
    SW_PROV_SOURCE_NONE,         /* nothing pinned */
    SW_PROV_SOURCE_ASSET,        /* the release asset wash.sigstore.json */
    SW_PROV_SOURCE_ATTESTATIONS, /* GET /repos/{repo}/attestations/sha256:{hex} */
};

/* "asset", "attestations" ("" for none). */
const char *sw_prov_source_name(enum sw_prov_source s);

struct sw_lock_wash {
    char *requested; /* the spec the lock was made from, or NULL */
    char *version;   /* "2.7.0" */
    char *tag;
    char *repository;
    struct sw_lock_asset *assets; /* sorted by name */
    size_t nassets;
    enum sw_prov_source prov_source; /* SW_PROV_SOURCE_NONE: no "provenance" entry */
    char *prov_bundle;               /* "sha256:<hex>" of the bundle bytes, or NULL */
};

enum sw_plugin_source { SW_SOURCE_OCI, SW_SOURCE_URL, SW_SOURCE_PATH };

/* One wash plugin. Before `plugins lock` (or right after `plugins add`) only name and source
 * are set; a locked entry has digest, size and wit, and manifest for an OCI source. */
struct sw_lock_plugin {
    char *name;     /* [A-Za-z0-9_-]+: installed as <name>.wasm */
    char *source;   /* OCI reference, https URL, or a path relative to the lock ("./x.wasm") */
    char *digest;   /* "sha256:..." of the .wasm, or NULL when not locked */
    char *manifest; /* "sha256:..." of the OCI manifest, or NULL */
    int64_t size;   /* -1 when not locked */
    char *wit;      /* the plugin package version it exports ("0.0.2"), or NULL */
};

/* What vouched for a tool asset's digest when it was pinned. */
enum sw_pin_from {
    SW_PIN_API,       /* the digest GitHub's API reports for the asset */
    SW_PIN_CHECKSUMS, /* the release's checksum file (data/tools.h `checksums`) */
    SW_PIN_DOWNLOAD,  /* the lock's own download: nothing else vouched for it */
};

/* "api", "checksums", "download" (the words of "pinned-from"); "" for anything else. */
const char *sw_pin_from_name(enum sw_pin_from f);

/* One release asset of a tool and the targets it serves (several when one build serves, say,
 * gnu and musl hosts). */
struct sw_lock_tool_asset {
    char *name;      /* the release asset's file name: "tinygo0.40.1.linux-amd64.tar.gz" */
    char **targets;  /* Rust triples of sw_tool_targets (data/tools.h), sorted, distinct */
    size_t ntargets; /* at least 1 */
    int64_t size;    /* -1 when unknown */
    char *digest;    /* "sha256:<64 lowercase hex>" */
    enum sw_pin_from from;
};

/* A tool of the table pinned to one release. */
struct sw_lock_tool {
    char *name;                        /* the row's name: "tinygo", "wasm-tools" (never "wash") */
    char *requested;                   /* the spec the lock was made from, or NULL */
    char *for_go;                      /* requested "auto": the Go it was chosen for
                                        * ("go1.25.5"), or NULL */
    char *version;                     /* "0.40.1" */
    char *tag;                         /* "v0.40.1": a tag form of the row for that version */
    char *repository;                  /* "tinygo-org/tinygo" */
    struct sw_lock_tool_asset *assets; /* sorted by name; a target is served by one asset */
    size_t nassets;                    /* at least 1 */
    enum sw_prov_source prov_source;   /* NONE, or ATTESTATIONS (a tool has no bundle asset) */
    char *prov_bundle;                 /* "sha256:<hex>" of the bundle bytes, or NULL */
};

struct sw_lock {
    struct sw_lock_wash *wash;      /* NULL when the lock pins no wash */
    struct sw_lock_plugin *plugins; /* sorted by name */
    size_t nplugins;
    struct sw_lock_tool *tools; /* sorted by name; NULL when ntools is 0 */
    size_t ntools;
};

/* The tool entry called name ("tinygo"), or NULL; it belongs to the lock. */
struct sw_lock_tool *sw_lock_tool_named(const struct sw_lock *lock, const char *name);

/* Adds, or replaces, the entry t->name with a deep copy of t (the caller keeps t): assets
 * sorted by name, targets sorted, digests lowercased on the way in; prov_bundle is copied only
 * with a prov_source. Checks what sw_lock_parse checks and fails with SW_EXIT_USAGE, leaving
 * the lock as it was, for an unknown tool or wash, a missing version, tag or repository, a tag
 * that is not the tool's tag for the version, no assets, an asset name that is a path, a bad
 * digest, an empty or unknown target, a target listed twice or in two assets, a bad size or
 * pinned-from, a provenance pin for a tool that publishes none, or a for-go that is not a Go
 * release version or comes without requested "auto". Messages start
 * "tools.<name>...". */
int sw_lock_put_tool(struct sw_lock *lock, const struct sw_lock_tool *t, struct sw_error *err);

/* The asset of a locked tool that serves target, or NULL (also for a NULL t). */
const struct sw_lock_tool_asset *sw_lock_tool_asset_for(const struct sw_lock_tool *t,
                                                        const char *target);

/* The kind of a plugin source: a URL by its scheme, a path when it starts with ./ ../ or /,
 * else an OCI reference. */
enum sw_plugin_source sw_plugin_source_kind(const char *source);

/* Whether the path source `path` lies inside `root`, the project a lock may read from: path is
 * root itself or continues it after a '/'. Both must be absolute and already resolved (as
 * realpath gives them: no "..", no symlinks, no doubled '/'); a relative one is never inside.
 * A trailing '/' on root is allowed, so "/" holds every absolute path. Windows paths count as
 * absolute with their drive ("C:/..."). */
bool sw_path_within(const char *root, const char *path);

/* The plugin name for a source: the last path component without tag, digest or ".wasm",
 * every character outside [A-Za-z0-9_-] replaced by '_' (as `wash plugin install` does).
 * The caller frees the result. */
char *sw_plugin_default_name(const char *source);

/* Adds (or, with the same name, replaces) a plugin entry with only name and source set.
 * Fails with SW_EXIT_USAGE for a bad name or source. */
int sw_lock_add_plugin(struct sw_lock *lock, const char *name, const char *source,
                       struct sw_error *err);

/* The plugin entry called name, or NULL. */
struct sw_lock_plugin *sw_lock_plugin_named(struct sw_lock *lock, const char *name);

/* Frees the fields of one entry (not the entry itself). */
void sw_lock_plugin_clear(struct sw_lock_plugin *p);

/* Parses a lockfile's text. `path` names the file in messages. Errors are SW_EXIT_USAGE and
 * say "<path>:<line>:<col>: ..." for syntax errors or "<path>: wash.assets.<t>.digest: ..."
 * ("<path>: tools.tinygo.assets.<name>.digest: ...") for a value of the wrong shape. Unknown
 * keys are errors: a typo must not silently unpin. A tool's targets may come in any order and
 * are kept (and written) sorted. */
int sw_lock_parse(const char *text, size_t len, const char *path, struct sw_lock **out,
                  struct sw_error *err);

/* The lock's text, ending in a newline. The caller frees it. */
char *sw_lock_format(const struct sw_lock *lock);

/* Replaces the wash entry with one made from a release: every wash binary asset that has a
 * digest, keyed by asset name, and no provenance (sw_lock_set_provenance adds it). Fails
 * (SW_EXIT_VERIFY) when no asset of the release has a digest. */
int sw_lock_set_wash(struct sw_lock *lock, const struct sw_release *r, const char *requested,
                     struct sw_error *err);

/* Pins the bundle that proved the wash entry's provenance (digest "sha256:<hex>", copied);
 * SW_PROV_SOURCE_NONE removes the pin. The lock must have a wash entry. */
void sw_lock_set_provenance(struct sw_lock *lock, enum sw_prov_source source,
                            const char *bundle_digest);

/* The locked asset with that file name, or NULL. */
const struct sw_lock_asset *sw_lock_asset_named(const struct sw_lock_wash *w, const char *name);

struct sw_lock *sw_lock_new(void);
void sw_lock_free(struct sw_lock *lock);

#endif
