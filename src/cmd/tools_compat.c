/* Versions that work together, for lock and install (core/compat.h holds the rules): the Go
 * that will build the project beside the lock, tinygo@auto's choice, and the check of a set of
 * tools before the lock is written or anything is downloaded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/tools.h"
#include "core/tool.h"
#include "io/probe.h"
#include "os/os.h"

/* `go env GOVERSION` may fetch the toolchain GOTOOLCHAIN or go.mod names, as the build would */
#define GO_PROBE_TIMEOUT_S 60

/* The directory of the lock, where the project's go.mod is. */
static char *lock_dir(const char *path)
{
    const char *s = strrchr(path, '/');
    const char *b = SW_ON_WINDOWS ? strrchr(path, '\\') : NULL;
    if (b && (!s || b > s))
        s = b;
    if (!s)
        return sw_xstrdup(".");
    if (s == path)
        return sw_xstrdup("/");
    return sw_xasprintf("%.*s", (int)(s - path), path);
}

int sw_plan_probe_go(struct sw_ctx *ctx, struct sw_plan *plan, struct sw_error *err)
{
    if (plan->go_probed)
        return 0;
    char *dir = lock_dir(plan->lock_path);
    struct sw_probe_config cfg = {
        .project_dir = dir,
        .path_env = ctx->path_env,
        .timeout_s = GO_PROBE_TIMEOUT_S,
    };
    int rc = sw_probe_gobuild(&cfg, sw_os_getenv("GOTOOLCHAIN"), &plan->gomod, &plan->go, err);
    free(dir);
    if (rc < 0)
        return -1;
    plan->go_probed = true;
    return 0;
}

bool sw_tools_need_go(const struct sw_tool_reqs *reqs, const struct sw_lock *lock)
{
    for (size_t i = 0; i < reqs->n; i++)
        if (reqs->items[i].tool->auto_by_go || strcmp(reqs->items[i].tool->name, "wasm-tools") == 0)
            return true;
    return lock && (sw_lock_tool_named(lock, "tinygo") || sw_lock_tool_named(lock, "wasm-tools"));
}

static bool fits_go(const struct sw_release *r, const void *go)
{
    return sw_compat_tinygo_accepts(&r->version, go);
}

int sw_tools_select_auto(struct sw_ctx *ctx, const struct sw_plan *plan, struct sw_tool_job *j,
                         const struct sw_spec *spec, size_t *idx, size_t *held,
                         struct sw_error *err)
{
    const struct sw_gobuild *g = &plan->go;
    if (!g->known)
        return sw_error_set(err, SW_EXIT_USAGE,
                            "%s@auto picks the newest %s that builds with the Go that will build "
                            "here, and that Go is not known: %s; install Go or add a toolchain "
                            "line to go.mod, or name a version (%s@0.41.1, %s@^0.41)",
                            j->tool->name, j->tool->display, g->who, j->tool->name, j->tool->name);
    if (sw_releases_select_if(&j->rs, spec, &plan->cooldown, fits_go, &g->v, idx, held, err) == 0) {
        char vs[SW_SEMVER_STR_MAX];
        sw_info(ctx, "%s@auto: %s %s, the newest that builds with %s (%s)", j->tool->name,
                j->tool->display, sw_semver_str(&j->rs.items[*idx].version, vs, sizeof(vs)),
                g->v.text, g->who);
        return 0;
    }
    /* a fitting release held back by the cooldown keeps the cooldown's message */
    size_t any;
    struct sw_error e2 = {0};
    if (sw_releases_select_if(&j->rs, spec, NULL, fits_go, &g->v, &any, NULL, &e2) == 0)
        return -1;
    if (sw_releases_select(&j->rs, spec, NULL, &any, NULL, &e2) < 0)
        return -1;
    struct sw_compat_verdict v;
    sw_compat_tinygo_none(&j->rs.items[any].version, g, &v);
    memset(err, 0, sizeof(*err));
    return sw_error_set(err, SW_EXIT_NOTFOUND, "%s: %s", v.message, v.fix);
}

bool sw_tools_hold_for_go(const struct sw_plan *plan, struct sw_tool_job *j, char *held, size_t hn,
                          char *why, size_t wn)
{
    size_t idx;
    const struct sw_spec *spec = j->spec;
    if (!j->tool->auto_by_go || !j->release || spec->kind == SW_SPEC_EXACT ||
        sw_spec_is_auto(spec) || !sw_compat_tinygo_misses(&j->release->version, &plan->go, why, wn))
        return false;
    /* none fits: the check of the set refuses with the rule's own message */
    if (sw_releases_select_if(&j->rs, spec, &plan->cooldown, fits_go, &plan->go.v, &idx, NULL,
                              NULL) < 0)
        return false;
    sw_semver_str(&j->release->version, held, hn);
    j->release = &j->rs.items[idx];
    return true;
}

/* One verdict: a warning said, an error kept in err (the first) or, allowed, said. */
static void take(struct sw_ctx *ctx, const struct sw_plan *plan, const struct sw_compat_verdict *v,
                 enum sw_compat_for who, struct sw_error *err)
{
    if (v->status == SW_COMPAT_WARN)
        sw_warn(ctx, "%s: %s", v->message, v->fix);
    if (v->status != SW_COMPAT_ERROR)
        return;
    const char *act = who == SW_COMPAT_FOR_LOCK ? "locks" : "installs";
    if (plan->allow_incompatible)
        sw_warn(ctx, "%s (--allow-incompatible: setup-wash %s it anyway)", v->message, act);
    else if (!err->code)
        sw_error_set(err, SW_EXIT_FAILURE, "%s: %s; %s (--allow-incompatible %s it anyway)",
                     v->message, v->fix,
                     who == SW_COMPAT_FOR_LOCK ? "nothing was written" : "nothing was downloaded",
                     act);
}

int sw_tools_check_set(struct sw_ctx *ctx, const struct sw_plan *plan, const char *tinygo,
                       const char *wasm_tools, enum sw_compat_for who, struct sw_error *err)
{
    struct sw_error first = {0};
    struct sw_compat_verdict v;
    struct sw_semver tv, wv;
    bool has_tg = tinygo && sw_semver_parse(tinygo, &tv, NULL) == 0;
    bool has_wt = wasm_tools && sw_semver_parse(wasm_tools, &wv, NULL) == 0;
    if (has_tg && plan->go.known) {
        sw_compat_tinygo_go(&tv, &plan->go, &plan->gomod, NULL, who, &v);
        take(ctx, plan, &v, who, &first);
    } else if (has_tg && plan->gomod.present) {
        sw_warn(ctx, "TinyGo %s is not checked against Go: %s", tinygo, plan->go.who);
    }
    char where[300];
    const char *wbg = plan->gomod.present ? sw_gomod_wbg(&plan->gomod, where, sizeof(where)) : NULL;
    struct sw_semver bv;
    if (has_wt && wbg && sw_semver_parse(wbg[0] == 'v' ? wbg + 1 : wbg, &bv, NULL) == 0) {
        sw_compat_wbg(&bv, where, true, &wv, who == SW_COMPAT_FOR_LOCK ? "locked" : "installed",
                      who, &v);
        take(ctx, plan, &v, who, &first);
    }
    if (who == SW_COMPAT_FOR_LOCK && has_tg && plan->gomod.present) {
        sw_compat_wasip2_tools(&tv, has_wt, &v);
        take(ctx, plan, &v, who, &first);
    }
    if (!first.code)
        return 0;
    *err = first;
    return -1;
}
