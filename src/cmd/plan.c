#include "cmd/plan.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/timefmt.h"
#include "io/fs.h"
#include "io/github.h"
#include "io/host.h"

#define DEFAULT_LOCK "plugins.lock"

int sw_lock_load(const char *path, bool must_exist, struct sw_lock **out,
                 struct sw_error *err)
{
    struct sw_buf text = SW_BUF_INIT;
    int e = 0;
    *out = NULL;
    if (sw_fs_read(path, 16u << 20, &text, &e, err) < 0) {
        sw_buf_free(&text);
        if (e == ENOENT && !must_exist)
            return 0;
        if (e == ENOENT)
            return sw_error_set(err, SW_EXIT_USAGE,
                                "lockfile '%s' does not exist: create it with 'setup-wash lock "
                                "--lock %s'",
                                path, path);
        /* a lockfile that is there but cannot be read (no permission, a directory) is a bad
         * lockfile, as the exit-code table says, not a cache that cannot be written */
        err->code = SW_EXIT_USAGE;
        return sw_error_wrap(err, "bad lockfile");
    }
    int rc = sw_lock_parse(text.data ? text.data : "", text.len, path, out, err);
    sw_buf_free(&text);
    return rc;
}

int sw_plan_init(struct sw_ctx *ctx, const struct sw_args *args, bool lock_may_be_new,
                 struct sw_plan *plan, struct sw_error *err)
{
    memset(plan, 0, sizeof(*plan));
    const char *lock_flag = sw_arg(args, "lock");
    plan->lock_path = sw_xstrdup(lock_flag ? lock_flag : DEFAULT_LOCK);
    if (sw_lock_load(plan->lock_path, lock_flag && !lock_may_be_new, &plan->lock, err) < 0)
        return -1;

    const char *version = sw_arg(args, "version");
    if (!version && plan->lock && plan->lock->wash) {
        version = plan->lock->wash->version;
        plan->spec_from_lock = true;
    }
    if (sw_spec_parse(version ? version : "latest", &plan->spec, err) < 0)
        return -1;

    struct sw_target host;
    struct sw_error host_err = {0};
    bool have_host = sw_host_target(&host, &host_err) == 0;
    const char *target = sw_arg(args, "target");
    if (target) {
        if (sw_target_parse(target, &plan->target, err) < 0)
            return -1;
        plan->target_is_host = have_host && strcmp(host.triple, plan->target.triple) == 0;
    } else if (have_host) {
        plan->target = host;
        plan->target_is_host = true;
    } else {
        *err = host_err;
        return -1;
    }

    const char *verify = sw_arg(args, "verify");
    if (sw_verify_mode_parse(verify ? verify : "auto", &plan->verify, err) < 0)
        return -1;
    plan->trusted_root = sw_arg(args, "trusted-root") ? sw_arg(args, "trusted-root")
                                                      : ctx->trusted_root;
    if (plan->trusted_root && !sw_fs_is_file(plan->trusted_root))
        return sw_error_set(err, SW_EXIT_USAGE,
                            "trusted root '%s' does not exist or is not a file%s",
                            plan->trusted_root,
                            sw_arg(args, "trusted-root") ? "" : " (SETUP_WASH_TRUSTED_ROOT)");
    if (sw_arg(args, "cacert"))
        ctx->cacert = sw_arg(args, "cacert");
    const char *age = sw_arg(args, "min-release-age");
    if (age) {
        if (sw_duration_parse(age, &plan->cooldown.age) < 0)
            return sw_error_set(err, SW_EXIT_USAGE,
                                "--min-release-age '%s' is not a duration: use a number and a "
                                "unit, e.g. 24h, 3d or 2w (s, m, h, d, w; at most 3650d), or 0 "
                                "for none",
                                age);
        plan->cooldown.cutoff = (long long)time(NULL) - plan->cooldown.age;
    }
    if (ctx->cacert && !sw_fs_is_file(ctx->cacert))
        return sw_error_set(err, SW_EXIT_USAGE, "CA bundle '%s' does not exist or is not a file",
                            ctx->cacert);
    return sw_ctx_set_cache_root(ctx, sw_arg(args, "cache-dir"), err);
}

void sw_plan_free(struct sw_plan *plan)
{
    sw_spec_free(&plan->spec);
    sw_lock_free(plan->lock);
    free(plan->lock_path);
    memset(plan, 0, sizeof(*plan));
}

void sw_resolved_free(struct sw_resolved *r)
{
    sw_releases_free(&r->rs);
    memset(r, 0, sizeof(*r));
}

static int fetch_candidates(struct sw_ctx *ctx, const struct sw_plan *plan,
                            struct sw_releases *rs, struct sw_error *err)
{
    struct sw_http *h = sw_ctx_http(ctx, err);
    if (!h)
        return -1;
    for (size_t i = 0; i < sw_repos_len; i++) {
        if (i > 0 && sw_repos[i].newest) {
            /* a repository that stopped publishing cannot beat a match already found */
            struct sw_semver newest;
            size_t idx;
            if (sw_semver_parse(sw_repos[i].newest, &newest, NULL) == 0 &&
                sw_releases_select(rs, &plan->spec, &plan->cooldown, &idx, NULL, NULL) == 0 &&
                sw_semver_cmp(&rs->items[idx].version, &newest) > 0)
                break;
        }
        if (sw_github_list_releases(h, ctx->api_url, sw_repos[i].repo, rs, err) < 0)
            return -1;
    }
    return 0;
}

int sw_select_candidates(struct sw_ctx *ctx, const struct sw_plan *plan, struct sw_resolved *out,
                         size_t *idx, struct sw_error *err)
{
    size_t held = SIZE_MAX;
    if (fetch_candidates(ctx, plan, &out->rs, err) < 0 ||
        sw_releases_select(&out->rs, &plan->spec, &plan->cooldown, idx, &held, err) < 0)
        return -1;
    if (held == SIZE_MAX)
        return 0;
    const struct sw_release *h = &out->rs.items[held];
    char age[32], ago[32], chosen[SW_SEMVER_STR_MAX];
    sw_semver_str(&h->version, out->held_back, sizeof(out->held_back));
    out->held_back_published = h->published;
    sw_duration_format(plan->cooldown.age, age, sizeof(age));
    sw_semver_str(&out->rs.items[*idx].version, chosen, sizeof(chosen));
    if (h->published)
        sw_duration_format(plan->cooldown.cutoff + plan->cooldown.age - h->published, ago,
                           sizeof(ago));
    sw_info(ctx, "wash %s is held back by --min-release-age %s (%s%s%s); taking %s", out->held_back,
            age, h->published ? "published " : "no published time", h->published ? ago : "",
            h->published ? " ago" : "", chosen);
    return 0;
}

static void fill_from_release(struct sw_resolved *out, const struct sw_release *r)
{
    sw_semver_str(&r->version, out->version, sizeof(out->version));
    snprintf(out->tag, sizeof(out->tag), "%s", r->tag);
    snprintf(out->repo, sizeof(out->repo), "%s", r->repo);
    out->line = r->line;
}

static int choose(const struct sw_plan *plan, const char *const *names, size_t n,
                  struct sw_resolved *out, size_t *idx, struct sw_error *err)
{
    struct sw_asset_choice c;
    if (sw_asset_choose(&plan->target, names, n, &c, err) < 0)
        return sw_error_wrap(err, "wash %s", out->version);
    snprintf(out->asset, sizeof(out->asset), "%s", names[c.index]);
    out->fallback = c.fallback;
    out->archive = c.archive;
    *idx = c.index;
    return 0;
}

/* The exact version pinned in the lock, with a digest for the target: no request at all. */
static bool resolve_from_lock(const struct sw_plan *plan, struct sw_resolved *out)
{
    const struct sw_lock_wash *w = plan->lock ? plan->lock->wash : NULL;
    struct sw_semver v;
    if (!w || plan->spec.kind != SW_SPEC_EXACT || sw_semver_parse(w->version, &v, NULL) < 0 ||
        sw_semver_cmp(&v, &plan->spec.exact) != 0)
        return false;
    const char **names = sw_xcalloc(w->nassets + 1, sizeof(*names));
    for (size_t i = 0; i < w->nassets; i++)
        names[i] = w->assets[i].name;
    size_t idx = 0;
    snprintf(out->version, sizeof(out->version), "%s", w->version);
    bool ok = choose(plan, names, w->nassets, out, &idx, NULL) == 0;
    free(names);
    if (!ok)
        return false;
    enum sw_line line;
    struct sw_semver tv;
    sw_tag_classify(w->repository, w->tag, &tv, &line);
    snprintf(out->tag, sizeof(out->tag), "%s", w->tag);
    snprintf(out->repo, sizeof(out->repo), "%s", w->repository);
    out->line = line;
    snprintf(out->digest, sizeof(out->digest), "%s", w->assets[idx].digest);
    out->digest_source = "plugins.lock";
    out->size = w->assets[idx].size;
    out->from_lock = true;
    out->has_sigstore_asset = -1;
    if (w->prov_source != SW_PROV_SOURCE_NONE) {
        out->prov_source = w->prov_source;
        snprintf(out->prov_bundle, sizeof(out->prov_bundle), "%s", w->prov_bundle);
    }
    return true;
}

static int resolve_exact(struct sw_ctx *ctx, const struct sw_plan *plan, struct sw_resolved *out,
                         size_t *idx, struct sw_error *err)
{
    const char *repo;
    char tag[160];
    bool found = false;
    struct sw_http *h = sw_ctx_http(ctx, err);
    if (!h)
        return -1;
    if (sw_tag_for_version(&plan->spec.exact, &repo, tag, sizeof(tag), err) < 0)
        return -1;
    if (sw_github_release_by_tag(h, ctx->api_url, repo, tag, &out->rs, &found, err) < 0)
        return -1;
    if (found) {
        *idx = out->rs.n - 1;
        const struct sw_release *r = &out->rs.items[*idx];
        if (sw_semver_cmp(&r->version, &plan->spec.exact) != 0 || strcmp(r->repo, repo) != 0) {
            char want[SW_SEMVER_STR_MAX], got[SW_SEMVER_STR_MAX];
            sw_semver_str(&plan->spec.exact, want, sizeof(want));
            sw_semver_str(&r->version, got, sizeof(got));
            return sw_error_set(err, SW_EXIT_VERIFY, "the release found for wash %s is wash %s "
                                "of '%s'; refusing it", want, got, r->repo);
        }
        return 0;
    }
    /* not there: list what exists so the message can name the nearest versions */
    return sw_select_candidates(ctx, plan, out, idx, err);
}

int sw_resolve(struct sw_ctx *ctx, const struct sw_plan *plan, struct sw_resolved *out,
               struct sw_error *err)
{
    memset(out, 0, sizeof(*out));
    out->size = -1;
    out->has_sigstore_asset = -1;
    if (resolve_from_lock(plan, out))
        return 0;

    size_t ri = 0;
    if (plan->offline) {
        if (plan->spec.kind != SW_SPEC_EXACT)
            return sw_error_set(err, SW_EXIT_USAGE,
                                "'%s' needs the network to resolve: offline, only an exact "
                                "version or the version the lock pins can be answered",
                                plan->spec.text);
        const char *repo;
        sw_semver_str(&plan->spec.exact, out->version, sizeof(out->version));
        if (sw_tag_for_version(&plan->spec.exact, &repo, out->tag, sizeof(out->tag), err) < 0)
            return -1;
        struct sw_semver v;
        sw_tag_classify(repo, out->tag, &v, &out->line);
        snprintf(out->repo, sizeof(out->repo), "%s", repo);
        return 0;
    }
    if (plan->spec.kind == SW_SPEC_EXACT) {
        if (resolve_exact(ctx, plan, out, &ri, err) < 0)
            return -1;
    } else if (sw_select_candidates(ctx, plan, out, &ri, err) < 0) {
        return -1;
    }
    const struct sw_release *r = &out->rs.items[ri];
    out->release = r;
    fill_from_release(out, r);

    const char **names = sw_xcalloc(r->nassets + 1, sizeof(*names));
    for (size_t i = 0; i < r->nassets; i++)
        names[i] = r->assets[i].name;
    size_t ai = 0;
    int rc = choose(plan, names, r->nassets, out, &ai, err);
    free(names);
    if (rc < 0)
        return -1;
    const struct sw_asset *a = &r->assets[ai];
    out->size = a->size;
    out->has_sigstore_asset = sw_release_asset(r, SW_SIGSTORE_ASSET) != NULL;
    if (a->digest) {
        snprintf(out->digest, sizeof(out->digest), "%s", a->digest);
        out->digest_source = "the GitHub API";
    }
    /* The lock pins this version: its digest is the one that counts, and a release whose
     * asset changed since it was locked is refused before anything is downloaded. */
    const struct sw_lock_wash *w = plan->lock ? plan->lock->wash : NULL;
    const struct sw_lock_asset *la = NULL;
    if (w && strcmp(w->version, out->version) == 0 && (la = sw_lock_asset_named(w, a->name))) {
        if (a->digest && strcmp(a->digest, la->digest) != 0)
            return sw_error_set(err, SW_EXIT_VERIFY,
                                "'%s' of wash %s changed since it was locked: %s pins %s, the "
                                "GitHub API now reports %s; if the release was rebuilt on "
                                "purpose, run 'setup-wash lock' again",
                                a->name, out->version, plan->lock_path, la->digest, a->digest);
        snprintf(out->digest, sizeof(out->digest), "%s", la->digest);
        out->digest_source = "plugins.lock";
        if (w->prov_source != SW_PROV_SOURCE_NONE) {
            out->prov_source = w->prov_source;
            snprintf(out->prov_bundle, sizeof(out->prov_bundle), "%s", w->prov_bundle);
        }
    }
    return 0;
}

char *sw_plan_install_dir(const struct sw_ctx *ctx, const struct sw_plan *plan,
                          const char *version)
{
    const char *name =
        plan->target_is_host ? sw_target_cache_arch(&plan->target) : plan->target.triple;
    return sw_xasprintf("%s/wash/%s/%s", ctx->cache_root, version, name);
}

void sw_print_json(struct sw_ctx *ctx, void *obj)
{
    char *s = sw_json_print(obj);
    fputs(s, ctx->out);
    free(s);
    cJSON_Delete(obj);
}
