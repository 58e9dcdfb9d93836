/* The toolchain beside wash (data/tools.h: TinyGo, wasm-tools, wkg, componentize-go) for
 * install, resolve and lock: one shared flow for every row of the table.
 *
 *   resolve   the lock's pin (no request), an exact tag, or the newest match of a listing
 *   install   every download of the run at once, each checked (the API's digest, the lock's
 *             pin, a checksum file, provenance) before its staging directory is renamed into
 *             <cache>/<tool>/<version>/<arch>/ with a .complete marker and a per-file manifest
 *             (<dir>.files) that proves the tree on every later cache hit
 *   lock      every platform's asset of the version pinned under "tools" in plugins.lock
 *
 * Ownership: a struct sw_tool_reqs owns its specs; sw_tool_reqs_free releases them. */
#ifndef SW_CMD_TOOLS_H
#define SW_CMD_TOOLS_H

#include <stdbool.h>
#include <stddef.h>

#include "cmd/cli.h"
#include "cmd/ctx.h"
#include "cmd/plan.h"
#include "core/lock.h"
#include "core/semver.h"
#include "data/tools.h"

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

#endif
