/* setup-wash lock: pin a wash release (tag, repository, the digest of every build, and the
 * Sigstore bundle that proves where they came from). */
#include <stdlib.h>
#include <string.h>

#include "cmd/commands.h"
#include "cmd/lock_bump.h"
#include "cmd/plan.h"
#include "cmd/provenance.h"
#include "cmd/tools.h"
#include "core/buf.h"
#include "io/attest.h"
#include "io/fs.h"

/* Verifies the release's bundle and pins it (with its bytes in the cache) when the mode asks
 * for provenance and the release has it; says what was pinned in `said`. The bundle is looked
 * up by this host's build, else the first. */
static int lock_provenance(struct sw_ctx *ctx, const struct sw_plan *plan,
                           const struct sw_release *rel, struct sw_lock *lock, char *said, size_t n,
                           struct sw_error *err)
{
    struct sw_lock_wash *w = lock->wash;
    const char **names = sw_xcalloc(w->nassets + 1, sizeof(*names));
    const char **digests = sw_xcalloc(w->nassets + 1, sizeof(*digests));
    size_t first = 0, k = 1;
    for (size_t i = 0; i < w->nassets; i++)
        if (strcmp(w->assets[i].target, plan->target.triple) == 0)
            first = i;
    names[0] = w->assets[first].name;
    digests[0] = w->assets[first].digest;
    for (size_t i = 0; i < w->nassets; i++)
        if (i != first) {
            names[k] = w->assets[i].name;
            digests[k++] = w->assets[i].digest;
        }
    struct sw_prov_env env = {.ctx = ctx, .trusted_root = plan->trusted_root};
    struct sw_prov_lock_request rq = {
        .mode = plan->verify,
        .what = "wash",
        .version = w->version,
        .tag = w->tag,
        .repo = w->repository,
        .lock_path = plan->lock_path,
        .has_asset = sw_release_asset(rel, SW_SIGSTORE_ASSET) != NULL,
        .names = names,
        .digests = digests,
        .n = w->nassets,
    };
    struct sw_prov_lock_result res;
    int rc = sw_prov_lock(&env, &rq, &res, err);
    said[0] = '\0';
    if (rc == 0 && res.pinned) {
        sw_lock_set_provenance(lock, res.source, res.bundle);
        snprintf(said, n, ", provenance from %s signed by %s",
                 res.source == SW_PROV_SOURCE_ASSET ? SW_SIGSTORE_ASSET : "the attestations API",
                 res.signer);
    }
    sw_prov_env_free(&env);
    free(names);
    free(digests);
    return rc;
}

/* Pins wash as the plan's spec selects it; `said` gets what the result line adds. */
static int lock_wash(struct sw_ctx *ctx, struct sw_plan *plan_, char *said, size_t n,
                     const struct sw_release **relp, struct sw_resolved *rp, struct sw_error *err)
{
    struct sw_plan plan = *plan_;
    struct sw_resolved r = {0};
    int rc = -1;
    if (plan.spec_from_lock) {
        /* re-locking without --version keeps what the lock was made from */
        const char *req = plan.lock->wash->requested ? plan.lock->wash->requested : "latest";
        sw_spec_free(&plan.spec);
        if (sw_spec_parse(req, &plan.spec, err) < 0)
            goto out;
    }
    struct sw_spec *spec = &plan.spec;
    /* always ask the API: locking is how digests get into the lock */
    struct sw_lock *old = plan.lock;
    plan.lock = NULL;
    size_t idx = 0;
    int sel;
    if (spec->kind == SW_SPEC_EXACT)
        sel = sw_resolve(ctx, &plan, &r, err);
    else
        sel = sw_select_candidates(ctx, &plan, &r, &idx, err);
    plan.lock = old;
    if (sel < 0)
        goto out;
    const struct sw_release *rel = spec->kind == SW_SPEC_EXACT ? r.release : &r.rs.items[idx];
    if (plan.bump) {
        char vs[SW_SEMVER_STR_MAX];
        sw_semver_str(&rel->version, vs, sizeof(vs));
        if (r.held_back[0])
            sw_bump_hold(plan.bump, "wash", r.held_back, vs, SW_BUMP_COOLDOWN,
                         SW_BUMP_COOLDOWN_WHY);
        if (sw_bump_take(plan.bump, "wash",
                         plan.lock && plan.lock->wash ? plan.lock->wash->version : NULL, vs)) {
            rc = 0; /* the pin stays as it is: *relp stays NULL */
            goto out;
        }
    }
    if (!plan.lock)
        plan.lock = sw_lock_new();
    if (sw_lock_set_wash(plan.lock, rel, spec->text, err) < 0)
        goto out;
    if (lock_provenance(ctx, &plan, rel, plan.lock, said, n, err) < 0) {
        sw_error_wrap(err, "locking wash %s", plan.lock->wash->version);
        goto out;
    }
    *relp = rel;
    *rp = r;
    memset(&r, 0, sizeof(r));
    rc = 0;
out:
    /* the spec may have been replaced, and the lock created: the caller frees both */
    *plan_ = plan;
    sw_resolved_free(&r);
    return rc;
}

static int cmd_lock(struct sw_ctx *ctx, const struct sw_args *args, struct sw_error *err)
{
    struct sw_tool_reqs reqs = {0};
    struct sw_plan plan = {0};
    struct sw_resolved r = {0};
    struct sw_args a;
    const struct sw_release *rel = NULL;
    char *text = NULL, said[1024] = "";
    struct sw_bump bump;
    struct sw_buf before = SW_BUF_INIT;
    int rc = -1;
    memset(&bump, 0, sizeof(bump));
    if (sw_tool_reqs_from_args(args, &reqs, &a, err) < 0)
        goto out;
    if (sw_plan_init(ctx, &a, true, &plan, err) < 0)
        goto out;
    if (plan.verify == SW_VERIFY_NONE)
        sw_warn(ctx,
                "--verify none: %s will pin no provenance, so installs from it check the "
                "digest alone",
                plan.lock_path);
    /* no TOOL and no --version on an existing lock: the bump, every entry re-resolved */
    if (args->npos == 0 && !sw_arg(args, "version") && plan.lock) {
        plan.bump = &bump;
        if (sw_tool_reqs_add_lock(&reqs, plan.lock, err) < 0)
            goto out;
        for (size_t i = 0; i < reqs.n; i++)
            reqs.items[i].bare = true;
    }
    /* no TOOL: wash, as before tools existed; else exactly the tools named */
    if (((args->npos == 0 && (!plan.bump || plan.lock->wash)) || reqs.wash) &&
        lock_wash(ctx, &plan, said, sizeof(said), &rel, &r, err) < 0)
        goto out;
    if (!plan.lock)
        plan.lock = sw_lock_new();
    plan.allow_incompatible = sw_flag(args, "allow-incompatible");
    if (reqs.n > 0 && sw_tools_need_go(&reqs, plan.lock) && sw_plan_probe_go(ctx, &plan, err) < 0)
        goto out;
    if (reqs.n > 0 && sw_tools_lock(ctx, &plan, &reqs, plan.lock, err) < 0)
        goto out;
    /* the set as it will be written keeps the rules, or nothing is written */
    if (reqs.n > 0) {
        const struct sw_lock_tool *tg = sw_lock_tool_named(plan.lock, "tinygo");
        const struct sw_lock_tool *wt = sw_lock_tool_named(plan.lock, "wasm-tools");
        if (sw_tools_check_set(ctx, &plan, tg ? tg->version : NULL, wt ? wt->version : NULL,
                               SW_COMPAT_FOR_LOCK, err) < 0)
            goto out;
    }
    text = sw_lock_format(plan.lock);
    if (plan.bump) {
        bool same = sw_fs_read(plan.lock_path, 16u << 20, &before, NULL, NULL) == 0 &&
                    before.len == strlen(text) && memcmp(before.data, text, before.len) == 0;
        if (!same && sw_fs_write_atomic(plan.lock_path, text, strlen(text), 0644, err) < 0)
            goto out;
        sw_bump_report(ctx, &bump, plan.lock_path, !same, sw_flag(args, "json"));
        rc = 0;
        goto out;
    }
    if (sw_fs_write_atomic(plan.lock_path, text, strlen(text), 0644, err) < 0)
        goto out;
    if (rel)
        sw_result(ctx, "locked wash %s (%s of %s, %zu builds%s) in %s", plan.lock->wash->version,
                  rel->tag, rel->repo, plan.lock->wash->nassets, said, plan.lock_path);
    for (size_t i = 0; i < reqs.n; i++) {
        const struct sw_lock_tool *t = sw_lock_tool_named(plan.lock, reqs.items[i].tool->name);
        if (t)
            sw_result(ctx, "locked %s %s (%s of %s, %zu asset%s) in %s",
                      reqs.items[i].tool->display, t->version, t->tag, t->repository, t->nassets,
                      t->nassets == 1 ? "" : "s", plan.lock_path);
    }
    rc = 0;
out:
    free(text);
    sw_buf_free(&before);
    sw_resolved_free(&r);
    sw_tool_reqs_free(&reqs);
    sw_plan_free(&plan);
    return rc;
}

static const struct sw_opt lock_opts[] = {
    {"version", "SPEC", "what to pin: latest (default), rc, an exact version, or a range"},
    {"lock", "FILE", "the lockfile to write (default: ./plugins.lock)"},
    {"verify", "MODE", "auto (default), provenance, digest or none (warns): see below"},
    SW_PLAN_NET_OPTS,
    {"allow-incompatible", NULL, "lock tools that do not work together (with a warning)"},
    {"json", NULL, "without TOOL (the bump): print what changed as one JSON object"},
    {"quiet", NULL, "no information on stderr"},
    {"help", NULL, "show this help"},
    {NULL, NULL, NULL},
};

const struct sw_cmd sw_cmd_lock = {
    .name = "lock",
    .summary = "pin wash and its toolchain: releases, every build's digest, provenance",
    .usage = "[TOOL[@SPEC]...]",
    .opts = lock_opts,
    .max_pos = 16,
    .run = cmd_lock,
    .details = "Resolves SPEC with the GitHub API and writes the release's tag, repository and\n"
               "the SHA-256 digest of every wash build into the lockfile (other entries, such\n"
               "as plugins, are kept). Where the release has a Sigstore provenance bundle\n"
               "(wash 1.0.0-beta.9 and later), it is verified and pinned too (wash.provenance:\n"
               "its source and digest), and its bytes are kept in the cache\n"
               "(<cache root>/.setup-wash/bundles/). Installs that use the lock then verify\n"
               "offline and, for the pinned version, make no API request. --verify auto (the\n"
               "default) pins the bundle where the release has one and warns when none can be\n"
               "had; provenance requires it and writes nothing without it; digest pins no\n"
               "bundle; none pins none either and warns (the digests are pinned in every\n"
               "mode). Without --version, the spec the lock was made from is resolved again.\n"
               "--min-release-age AGE skips releases newer than AGE for latest, rc and ranges,\n"
               "as install does.\n"
               "\n"
               "With TOOL[@SPEC] words (lock tinygo@0.40.1 wasm-tools@^1.240 wkg), each tool\n"
               "is resolved and pinned under \"tools\": requested, version, tag, repository, and\n"
               "every platform's asset with its targets, size, digest and where the digest came\n"
               "from (pinned-from: api, checksums, or download when nothing else gives one and\n"
               "the lock hashed its own download). wash@SPEC is --version SPEC. 'install'\n"
               "without TOOL then installs wash and every pinned tool, with no API request.\n"
               "\n"
               "tinygo@auto pins the newest TinyGo (--min-release-age counted) whose Go range\n"
               "holds the Go that will build here: go env GOVERSION in the lock's directory\n"
               "(GOTOOLCHAIN and go.mod's toolchain line count), or without go on PATH\n"
               "go.mod's toolchain or go line. It records requested \"auto\" and for-go.\n"
               "Before writing, the tools locked are checked together: a TinyGo whose Go range\n"
               "misses that Go, or wit-bindgen-go before 0.6.2 (go.mod, go.sum) with wasm-tools\n"
               "1.226 or newer, fails with exit 1 and writes nothing; --allow-incompatible\n"
               "locks it anyway, with a warning. A Go project whose lock has TinyGo and no\n"
               "wasm-tools gets a warning.\n"
               "\n"
               "Without TOOL and --version on an existing lock, lock is the bump: every entry\n"
               "(wash and each tool) is resolved again from the spec it was locked from, with\n"
               "--min-release-age. An entry whose version does not move keeps its pin as it is;\n"
               "a table says what moved (tool, old -> new) and what was held back and why, and\n"
               "a lock with nothing to change is said to be up to date and not written (its\n"
               "bytes stay). --json prints {\"lock\", \"written\", \"changes\": [{\"tool\",\n"
               "\"old\", \"new\"}], \"held-back\": [{\"tool\", \"version\", \"taking\", \"reason\",\n"
               "\"why\"}]}. A TinyGo whose newest match misses the Go that will build is held back\n"
               "to the newest match that builds with it, saying which Go it needs (reason\n"
               "\"tinygo-go\"; the cooldown's is \"min-release-age\").\n",
};
