/* What install, resolve and lock share: the request read from the options (spec, target,
 * lockfile, verification mode, cache root) and the resolution of that request to one release
 * asset with the digest it must have. */
#ifndef SW_PLAN_H
#define SW_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "cmd/cli.h"
#include "cmd/ctx.h"
#include "core/compat.h"
#include "core/lock.h"
#include "core/release.h"
#include "core/semver.h"
#include "core/target.h"
#include "core/verify.h"

struct sw_plan {
    struct sw_spec spec;
    bool spec_from_lock; /* no --version: the lock's version */
    struct sw_target target;
    bool target_is_host; /* no --target, or the host's own */
    struct sw_lock *lock; /* NULL when there is no lockfile */
    char *lock_path;      /* the lockfile read or to write */
    enum sw_verify_mode verify;
    const char *trusted_root; /* --trusted-root, else SETUP_WASH_TRUSTED_ROOT; NULL: embedded */
    bool offline; /* resolve without any request: exact versions and lock pins only */
    struct sw_cooldown cooldown; /* --min-release-age; age 0 when off */
    /* the Go that will build the project beside the lock (sw_plan_probe_go), and its go.mod */
    bool go_probed;
    struct sw_gobuild go;
    struct sw_gomod gomod;
    bool allow_incompatible; /* --allow-incompatible: a broken rule is a warning */
    struct sw_bump *bump; /* lock without TOOL (cmd/lock_bump.h): an unmoved pin stays */
};

/* Reads and parses the lockfile at path into *out. A missing file gives *out = NULL and 0
 * unless must_exist (then SW_EXIT_USAGE with how to create it). A file that cannot be read
 * (a directory, no permission) or parsed is SW_EXIT_USAGE too. */
int sw_lock_load(const char *path, bool must_exist, struct sw_lock **out, struct sw_error *err);

/* Reads --version, --target, --lock, --verify, --trusted-root, --cache-dir, --cacert and
 * --min-release-age. A missing default
 * lock (./plugins.lock) is fine; a missing --lock FILE is an error unless `lock_may_be_new`. */
/* The option table rows of what sw_plan_init reads for the network and the cache, shared by
 * the commands that download (install, lock, doctor --fix) so each is spelled and explained
 * once. */
#define SW_PLAN_NET_OPTS                                                                      \
    {"trusted-root", "FILE", "Sigstore trusted_root.json (default: the embedded one)"},       \
    {"cache-dir", "DIR", "cache root (default: RUNNER_TOOL_CACHE, else XDG cache)"},          \
    {"cacert", "FILE", "CA bundle to trust (default: SSL_CERT_FILE, CURL_CA_BUNDLE, system)"}, \
    {"min-release-age", "AGE", "skip releases newer than AGE (24h, 3d, 2w; default 0: none)"}

int sw_plan_init(struct sw_ctx *ctx, const struct sw_args *args, bool lock_may_be_new,
                 struct sw_plan *plan, struct sw_error *err);
void sw_plan_free(struct sw_plan *plan);

struct sw_resolved {
    struct sw_releases rs;          /* what the API reported (empty when from the lock) */
    const struct sw_release *release; /* into rs; NULL when resolved from the lock alone */
    char version[SW_SEMVER_STR_MAX];
    char tag[160];
    char repo[80];
    enum sw_line line;
    char asset[160];
    char digest[80];            /* expected "sha256:...", "" when unknown */
    const char *digest_source;  /* "plugins.lock", "the GitHub API" */
    int64_t size;               /* -1 when unknown */
    bool fallback;              /* musl chosen on glibc */
    bool archive;
    bool from_lock; /* no API request was needed */
    int has_sigstore_asset;          /* the release lists wash.sigstore.json: 1, 0, -1 unknown */
    enum sw_prov_source prov_source; /* the bundle the lock pins for this version, if any */
    char prov_bundle[80];            /* its "sha256:...", "" when none */
    char held_back[SW_SEMVER_STR_MAX]; /* the newest match --min-release-age held back, or "" */
    long long held_back_published;     /* when it was published (0: not known) */
};

/* Resolves the plan to a release and an asset. An exact version pinned in the lock with a
 * digest for the target makes no request; otherwise the API is asked (one conditional request
 * per page of releases for latest/rc/ranges, one for an exact tag). */
int sw_resolve(struct sw_ctx *ctx, const struct sw_plan *plan, struct sw_resolved *out,
               struct sw_error *err);
void sw_resolved_free(struct sw_resolved *r);

/* Where install puts a version for the plan's target: <root>/wash/<version>/<arch>, arch being
 * the runner tool cache's name (x64, arm64) for this host's target, else the target triple.
 * The caller frees the result. */
char *sw_plan_install_dir(const struct sw_ctx *ctx, const struct sw_plan *plan,
                          const char *version);

/* Lists every repository that may hold a match for the plan's spec into out->rs (newest
 * repository first, stopping early where data/wash.c says an older one cannot beat what was
 * found) and selects the newest match that the plan's cooldown lets through: 0 and *idx, or -1.
 * A match held back by the cooldown is recorded in out->held_back and said on stderr. */
int sw_select_candidates(struct sw_ctx *ctx, const struct sw_plan *plan, struct sw_resolved *out,
                         size_t *idx, struct sw_error *err);

/* Writes a JSON object to ctx->out (one line, valid UTF-8: sw_json_print in core/json.h). The
 * one writer of --json for install, resolve and plugins. Takes ownership of obj. */
void sw_print_json(struct sw_ctx *ctx, void *obj);

#endif
