/* The toolchain beside wash (data/tools.h: TinyGo, wasm-tools, wkg, componentize-go) for
 * install, resolve and lock: one shared flow for every row of the table.
 *
 *   resolve   the lock's pin (no request), an exact tag, or the newest match of a listing
 *   install   every download of the run at once (a tar.gz unpacked into its staging
 *             directory as it streams, hashed in the same pass; a zip or a raw executable to a
 *             file first), each checked when it ends (the API's digest, the lock's pin, a
 *             checksum file, provenance) before its staging directory is renamed into
 *             <cache>/<tool>/<version>/<arch>/ with a .complete marker and a per-file manifest
 *             (<dir>.files) that proves the tree on every later cache hit; a failure removes the
 *             staging directory and installs nothing
 *   lock      every platform's asset of the version pinned under "tools" in plugins.lock
 *
 * Ownership: a struct sw_tool_reqs owns its specs; sw_tool_reqs_free releases them. */
#ifndef SW_CMD_TOOLS_H
#define SW_CMD_TOOLS_H

#include <stdbool.h>
#include <stddef.h>

#include "cmd/cli.h"
#include "cmd/ctx.h"
#include "cmd/install.h"
#include "cmd/plan.h"
#include "core/buf.h"
#include "core/lock.h"
#include "core/release.h"
#include "core/semver.h"
#include "data/tools.h"
#include "io/http.h"

struct sw_tool_req {
    const struct sw_tool *tool;
    struct sw_spec spec;
    bool from_lock; /* not named on the command line: the version the lock pins */
    bool bare;      /* named without @SPEC: the lock's pin when there is one, else latest */
};

struct sw_tool_reqs {
    struct sw_tool_req *items;
    size_t n;
    bool wash;             /* "wash" or "wash@SPEC" was named */
    const char *wash_spec; /* its SPEC (into argv); NULL for "wash": as without --version */
};

/* Reads the TOOL[@SPEC] words of the command line. A "wash" word sets wash_spec instead of a
 * request. Fails (SW_EXIT_USAGE) for an unknown tool, a bad spec, or a tool named twice. */
int sw_tool_reqs_parse(char **words, int n, struct sw_tool_reqs *out, struct sw_error *err);

/* sw_tool_reqs_parse over the command's positional words, with *a a copy of args whose
 * --version is wash@SPEC's SPEC. wash@SPEC with --version too is a usage error. */
int sw_tool_reqs_from_args(const struct sw_args *args, struct sw_tool_reqs *out, struct sw_args *a,
                           struct sw_error *err);

/* Adds a request for every tool the lock pins, at its pinned version. */
int sw_tool_reqs_add_lock(struct sw_tool_reqs *reqs, const struct sw_lock *lock,
                          struct sw_error *err);

void sw_tool_reqs_free(struct sw_tool_reqs *reqs);

/* Installs every request (the plan gives target, lock, verification mode, cooldown, trusted
 * root and cache). With `json` (a cJSON array) an object per tool is appended to it; else the
 * results are printed as text. Outputs, PATH, the job summary and GITHUB_ENV are written for
 * each tool. Returns 0, or -1 with err: what failed leaves nothing in the cache. */
int sw_tools_install(struct sw_ctx *ctx, const struct sw_plan *plan,
                     const struct sw_tool_reqs *reqs, void *json, struct sw_error *err);

/* What an install put in place for one tool. */
struct sw_tool_done {
    const struct sw_tool *tool;
    char version[SW_SEMVER_STR_MAX];
    char *bin; /* the directory on PATH, as the OS writes it (malloc'd: sw_tool_done_free) */
    bool hit;  /* the cache had it */
};

/* sw_tools_install, with done[reqs->n] (may be NULL) getting each tool, in table order, when it
 * returns 0; the caller frees each with sw_tool_done_free. doctor --fix installs this way. */
int sw_tools_install_done(struct sw_ctx *ctx, const struct sw_plan *plan,
                          const struct sw_tool_reqs *reqs, void *json, struct sw_tool_done *done,
                          struct sw_error *err);
void sw_tool_done_free(struct sw_tool_done *d);

/* What install would pick, without downloading: an object per tool into `json` (a cJSON array)
 * or a text line each. */
int sw_tools_resolve(struct sw_ctx *ctx, const struct sw_plan *plan,
                     const struct sw_tool_reqs *reqs, void *json, struct sw_error *err);

/* Resolves every request from the API (never from the lock's own pin) and puts an entry for
 * each under "tools" of `lock`: every platform's asset with its digest from the API, the
 * release's checksum file, or, when nothing else gives one, the lock's own download of it
 * (hashed as it streams, never written to disk; said on stderr). */
int sw_tools_lock(struct sw_ctx *ctx, const struct sw_plan *plan, const struct sw_tool_reqs *reqs,
                  struct sw_lock *lock, struct sw_error *err);

/* The flow install and resolve share: the TOOL words (wash@SPEC becoming --version), the plan,
 * the tools (named, or without any TOOL every tool the lock pins) through `tools_step`, whose
 * --json results go into an array, then wash through `wash_step` when it is asked for (no TOOL,
 * or a wash word), which takes the array for its object; without wash the document is
 * {"tools": [...]}. */
typedef int (*sw_tools_step)(struct sw_ctx *ctx, const struct sw_plan *plan,
                             const struct sw_tool_reqs *reqs, void *json, struct sw_error *err);
typedef int (*sw_wash_step)(struct sw_ctx *ctx, const struct sw_args *args,
                            struct sw_plan *plan, void *tools, struct sw_error *err);
int sw_tools_run(struct sw_ctx *ctx, const struct sw_args *args, sw_tools_step tools_step,
                 sw_wash_step wash_step, struct sw_error *err);

/* ---- versions that work together (tools_compat.c; the rules are core/compat.h's) ---- */

/* Finds the Go that will build the project in the lock's directory into plan->go and its
 * go.mod/go.sum into plan->gomod (io/probe.h: sw_probe_gobuild), once. Fails only when the
 * directory cannot be read or processes cannot start. */
int sw_plan_probe_go(struct sw_ctx *ctx, struct sw_plan *plan, struct sw_error *err);

/* Whether the requests or the lock involve a tool a rule is about (TinyGo, wasm-tools). */
bool sw_tools_need_go(const struct sw_tool_reqs *reqs, const struct sw_lock *lock);

/* Checks a set of versions (NULL: not in the set) against the rules for the plan's Go and
 * go.mod before the lock is written (SW_COMPAT_FOR_LOCK, which also warns about TinyGo without
 * wasm-tools in a Go project) or anything is downloaded (SW_COMPAT_FOR_INSTALL). Warnings are
 * said on stderr; a broken rule fails with SW_EXIT_FAILURE naming both sides and the fix, or
 * with plan->allow_incompatible is said as a warning. Nothing to check (no Go known and no
 * go.mod) is 0. */
int sw_tools_check_set(struct sw_ctx *ctx, const struct sw_plan *plan, const char *tinygo,
                       const char *wasm_tools, enum sw_compat_for who, struct sw_error *err);

struct sw_tool_job;

/* tinygo@auto over j->rs (listed): the newest release the cooldown lets through whose Go range
 * holds plan->go, into *idx (and *held as sw_releases_select). Fails with SW_EXIT_USAGE when
 * the Go is not known, SW_EXIT_NOTFOUND naming the Go and the newest TinyGo's range when none
 * fits, or as the cooldown does. */
int sw_tools_select_auto(struct sw_ctx *ctx, const struct sw_plan *plan, struct sw_tool_job *j,
                         const struct sw_spec *spec, size_t *idx, size_t *held,
                         struct sw_error *err);

/* The bump: a TinyGo whose newest match under a range or latest (j->release) misses the Go
 * that will build is held back to the newest match that builds with it and that the cooldown
 * lets through. True when j->release moved, with held[hn] the version left out and why[wn]
 * saying why; false when nothing was held back (no rule broken, or no match fits: the check of
 * the set then refuses). */
bool sw_tools_hold_for_go(const struct sw_plan *plan, struct sw_tool_job *j, char *held, size_t hn,
                          char *why, size_t wn);

/* ---- shared by the files of the flow only (tools.c, tools_fetch.c, tools_lock.c,
 * tools_report.c) ---- */

struct sw_stream;
struct sw_tree;

/* One tool's way through a run: its request, what resolution found, where it goes in the cache,
 * its download, and the outcome. Owns its strings, spec, releases, descriptors, stream and
 * tree; sw_tools_jobs_free releases them. */
struct sw_tool_job {
    const struct sw_tool_req *req;
    const struct sw_tool *tool;
    const struct sw_lock_tool *pin; /* the lock's entry for the tool, or NULL */
    const struct sw_spec *spec;     /* the request's, or for a bare TOOL the lock's (own) */
    struct sw_spec own;

    /* resolution */
    struct sw_releases rs;
    const struct sw_release *release; /* NULL when resolved from the lock alone */
    char version[SW_SEMVER_STR_MAX];
    char tag[160], repo[80], asset[160];
    char digest[80];           /* expected, "" when nothing gives one */
    const char *digest_source; /* "plugins.lock", "the GitHub API" */
    int64_t size;
    bool from_lock;
    bool attested; /* the version publishes build provenance */
    enum sw_prov_source prov_source; /* the bundle the lock pins for this version, if any */
    char prov_bundle[80];
    char held_back[SW_SEMVER_STR_MAX];

    /* layout */
    const char *arch; /* x64, arm64, or the triple */
    char *version_dir, *dir, *marker, *files, *lockfile, *exe, *bin, *staging, *download;
    int lockfd;

    /* the download: to the file `download` (fd), or for a streamed archive (a tar.gz)
     * unpacked as it arrives into <staging>/unpacked by `stream`, whose outcome is xrc, xerr */
    int fd;
    struct sw_stream *stream;
    struct sw_tree *tree; /* what the archive held (on_file, on_link); the stream's thread's
                           * until it is finished */
    int xrc;
    struct sw_error xerr;
    struct sw_buf checksums; /* the release's checksum file, when the tool has one */
    struct sw_http_reply reply, creply;
    struct sw_error derr, cerr;

    /* the outcome */
    bool hit;
    bool stale_said; /* a cached install that failed its proof was reported once */
    struct sw_installed in; /* what the marker says (hit) or what was installed */
};

/* A job per request in table order (so two runs take their locks in one order). A bare TOOL
 * takes the version the lock pins, or with `relock` the spec it was locked from. The caller
 * frees them with sw_tools_jobs_free (NULL is fine for none). */
struct sw_tool_job *sw_tools_jobs_new(const struct sw_plan *plan, const struct sw_tool_reqs *reqs,
                                      bool relock);
void sw_tools_jobs_free(struct sw_tool_job *jobs, size_t n);

/* Where install puts `version` of t for the plan's target: *dir gets the install directory
 * <cache>/<tool>/<version>/<arch>, *bin the directory that goes on PATH (both malloc'd,
 * '/'-separated; the caller frees them). */
void sw_tools_layout(const struct sw_ctx *ctx, const struct sw_plan *plan, const struct sw_tool *t,
                     const char *version, char **dir, char **bin);

/* Whether the tool publishes build provenance for that version (its attested_since on). */
bool sw_tools_version_attested(const struct sw_tool *t, const char *version);

/* The release `spec` selects into j->release (j->rs holds it): by tag for an exact version,
 * else the newest match of the listing under the plan's cooldown (j->held_back says what it
 * held back). Fails as the API calls and sw_releases_select do. */
int sw_tools_select_release(struct sw_ctx *ctx, const struct sw_plan *plan,
                            struct sw_tool_job *j, const struct sw_spec *spec,
                            struct sw_error *err);

/* The digest of `asset` in a sha256sum-style checksum file ("<hex>  <name>", "<hex> *<name>"):
 * 0 and digest[] ("sha256:<hex>"), or -1 when no line names it (no error is set). */
int sw_tools_checksum_of(const struct sw_buf *file, const char *asset, char *digest, size_t n);

/* Downloads every job that is not a hit at once (with the checksum files; a tar.gz unpacked as
 * it streams), then checks each and renames it into the cache. Returns 0, or -1 with the first
 * failure, the asset named and its class kept; every staging directory is removed either way. */
int sw_tools_download_and_place(struct sw_ctx *ctx, const struct sw_plan *plan,
                                struct sw_tool_job *jobs, size_t n, struct sw_error *err);

/* Reports one installed (or hit) job: outputs, GITHUB_PATH, GITHUB_ENV, a row of `summary`,
 * and an object into `json` (a cJSON array) or the text lines. */
int sw_tools_report_job(struct sw_ctx *ctx, const struct sw_plan *plan,
                        const struct sw_tool_job *j, void *json, struct sw_buf *summary,
                        struct sw_error *err);

#endif
