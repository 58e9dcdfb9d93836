/* setup-wash lock: pin a wash release (tag, repository, the digest of every build). */
#include <stdlib.h>
#include <string.h>

#include "cmd/commands.h"
#include "cmd/plan.h"
#include "io/fs.h"

static int cmd_lock(struct sw_ctx *ctx, const struct sw_args *args, struct sw_error *err)
{
    struct sw_plan plan;
    struct sw_resolved r = {0};
    char *text = NULL;
    int rc = -1;
    if (sw_plan_init(ctx, args, true, &plan, err) < 0)
        goto out;
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
        sel = sw_fetch_candidates(ctx, spec, &r.rs, err) < 0 ? -1
              : sw_releases_select(&r.rs, spec, &idx, err);
    plan.lock = old;
    if (sel < 0)
        goto out;
    const struct sw_release *rel = spec->kind == SW_SPEC_EXACT ? r.release : &r.rs.items[idx];
    if (!plan.lock)
        plan.lock = sw_lock_new();
    if (sw_lock_set_wash(plan.lock, rel, spec->text, err) < 0)
        goto out;
    text = sw_lock_format(plan.lock);
    if (sw_fs_write_atomic(plan.lock_path, text, strlen(text), 0644, err) < 0)
        goto out;
    fprintf(ctx->out, "locked wash %s (%s of %s, %zu builds) in %s\n", plan.lock->wash->version,
            rel->tag, rel->repo, plan.lock->wash->nassets, plan.lock_path);
    rc = 0;
out:
    free(text);
    sw_resolved_free(&r);
    sw_plan_free(&plan);
    return rc;
}

static const struct sw_opt lock_opts[] = {
    {"version", "SPEC", "what to pin: latest (default), rc, an exact version, or a range"},
    {"lock", "FILE", "the lockfile to write (default: ./plugins.lock)"},
    {"cache-dir", "DIR", "cache root (holds the API response cache)"},
    {"cacert", "FILE", "CA bundle to trust"},
    {"quiet", NULL, "no information on stderr"},
    {"help", NULL, "show this help"},
    {NULL, NULL, NULL},
};

const struct sw_cmd sw_cmd_lock = {
    .name = "lock",
    .summary = "pin a wash release and the digest of every build in plugins.lock",
    .usage = "[--version SPEC] [--lock FILE]",
    .opts = lock_opts,
    .run = cmd_lock,
    .details = "Resolves SPEC with the GitHub API and writes the release's tag, repository and\n"
               "the SHA-256 digest of every wash build into the lockfile (other entries, such\n"
               "as plugins, are kept). Installs that use the lock then verify offline and, for\n"
               "the pinned version, make no API request. Without --version, the spec the lock\n"
               "was made from is resolved again.\n",
};
