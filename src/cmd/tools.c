/* The toolchain beside wash: the requests, each tool's job through a run (resolution, cache
 * hits), install and resolve. The download, its checks and the placing are tools_fetch.c's, the
 * outputs tools_report.c's, lock tools_lock.c's (tools.h holds what they share). */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/install.h"
#include "cmd/tools.h"
#include "core/buf.h"
#include "core/tool.h"
#include "gha/gha.h"
#include "io/fs.h"
#include "io/github.h"
#include "io/stream.h"
#include "io/tree.h"
#include "os/os.h"

/* ---- the requests ---- */

static int add_req(struct sw_tool_reqs *reqs, const struct sw_tool *t, struct sw_spec *spec,
                   bool from_lock, struct sw_error *err)
{
    for (size_t i = 0; i < reqs->n; i++)
        if (reqs->items[i].tool == t) {
            sw_spec_free(spec);
            return from_lock ? 0
                             : sw_error_set(err, SW_EXIT_USAGE,
                                            "%s is named twice: give one TOOL@SPEC per tool",
                                            t->name);
        }
    reqs->items = sw_xrealloc(reqs->items, (reqs->n + 1) * sizeof(*reqs->items));
    reqs->items[reqs->n++] = (struct sw_tool_req){t, *spec, from_lock, false};
    return 0;
}

int sw_tool_reqs_parse(char **words, int n, struct sw_tool_reqs *out, struct sw_error *err)
{
    memset(out, 0, sizeof(*out));
    for (int i = 0; i < n; i++) {
        const struct sw_tool *t = NULL;
        struct sw_spec spec;
        if (sw_tool_request_parse(words[i], &t, &spec, err) < 0)
            return -1;
        if (t->wash) {
            sw_spec_free(&spec);
            if (out->wash)
                return sw_error_set(err, SW_EXIT_USAGE,
                                    "wash is named twice: give one TOOL@SPEC per tool");
            const char *at = strchr(words[i], '@');
            out->wash = true;
            out->wash_spec = at && at[1] ? at + 1 : NULL;
            continue;
        }
        if (add_req(out, t, &spec, false, err) < 0)
            return -1;
        out->items[out->n - 1].bare = strchr(words[i], '@') == NULL;
    }
    return 0;
}

int sw_tool_reqs_from_args(const struct sw_args *args, struct sw_tool_reqs *out, struct sw_args *a,
                           struct sw_error *err)
{
    *a = *args;
    if (sw_tool_reqs_parse(args->pos, args->npos, out, err) < 0)
        return -1;
    if (!out->wash_spec)
        return 0;
    if (sw_arg(args, "version"))
        return sw_error_set(err, SW_EXIT_USAGE,
                            "wash@%s and --version both name wash's version: give one",
                            out->wash_spec);
    sw_args_set(a, "version", out->wash_spec);
    return 0;
}

int sw_tool_reqs_add_lock(struct sw_tool_reqs *reqs, const struct sw_lock *lock,
                          struct sw_error *err)
{
    for (size_t i = 0; lock && i < lock->ntools; i++) {
        const struct sw_lock_tool *lt = &lock->tools[i];
        const struct sw_tool *t = sw_tool_named(lt->name);
        struct sw_spec spec;
        if (!t || sw_spec_parse(lt->version, &spec, err) < 0)
            return sw_error_wrap(err, "the lock's %s", lt->name);
        if (add_req(reqs, t, &spec, true, err) < 0)
            return -1;
    }
    return 0;
}

void sw_tool_reqs_free(struct sw_tool_reqs *reqs)
{
    for (size_t i = 0; reqs && i < reqs->n; i++)
        sw_spec_free(&reqs->items[i].spec);
    if (reqs)
        free(reqs->items);
}

/* ---- one tool's way through a run (struct sw_tool_job: cmd/tools.h) ---- */

static void job_free(struct sw_tool_job *j)
{
    sw_spec_free(&j->own);
    sw_releases_free(&j->rs);
    free(j->version_dir);
    free(j->dir);
    free(j->marker);
    free(j->files);
    free(j->lockfile);
    free(j->exe);
    free(j->bin);
    free(j->staging);
    free(j->download);
    if (j->fd >= 0)
        sw_os_close(j->fd);
    sw_stream_finish(j->stream, NULL);
    sw_tree_free(j->tree);
    sw_fs_unlock(j->lockfd);
    sw_buf_free(&j->checksums);
}

bool sw_tools_version_attested(const struct sw_tool *t, const char *version)
{
    struct sw_semver v, since;
    return t->check == SW_TOOL_CHECK_ATTESTATIONS && t->attested_since &&
           sw_semver_parse(version, &v, NULL) == 0 &&
           sw_semver_parse(t->attested_since, &since, NULL) == 0 && sw_semver_cmp(&v, &since) >= 0;
}

void sw_tools_layout(const struct sw_ctx *ctx, const struct sw_plan *plan, const struct sw_tool *t,
                     const char *version, char **dir, char **bin)
{
    const char *arch =
        plan->target_is_host ? sw_target_cache_arch(&plan->target) : plan->target.triple;
    *dir = sw_xasprintf("%s/%s/%s/%s", ctx->cache_root, t->name, version, arch);
    *bin = t->bin[0] ? sw_xasprintf("%s/%s", *dir, t->bin) : sw_xstrdup(*dir);
}

static void layout_init(struct sw_ctx *ctx, const struct sw_plan *plan, struct sw_tool_job *j)
{
    const struct sw_tool *t = j->tool;
    bool win = sw_tool_target_is_windows(plan->target.triple);
    j->arch = plan->target_is_host ? sw_target_cache_arch(&plan->target) : plan->target.triple;
    j->version_dir = sw_xasprintf("%s/%s/%s", ctx->cache_root, t->name, j->version);
    sw_tools_layout(ctx, plan, t, j->version, &j->dir, &j->bin);
    j->marker = sw_xasprintf("%s.complete", j->dir);
    j->files = sw_xasprintf("%s.files", j->dir);
    j->lockfile = sw_xasprintf("%s/.setup-wash/locks/%s-%s-%s.lock", ctx->cache_root, t->name,
                               j->version, j->arch);
    j->exe = sw_xasprintf("%s/%s%s", j->dir, t->exe, win ? ".exe" : "");
    j->staging = sw_xasprintf("%s/%s/.staging-%s-%s", ctx->cache_root, t->name, j->version,
                              j->arch);
    j->download = sw_path_join(j->staging, "download");
}

/* ---- resolution ---- */

/* The provenance bundle the lock pins for the job's version. */
static void take_prov_pin(struct sw_tool_job *j)
{
    if (j->pin && j->pin->prov_source != SW_PROV_SOURCE_NONE && j->pin->prov_bundle) {
        j->prov_source = j->pin->prov_source;
        snprintf(j->prov_bundle, sizeof(j->prov_bundle), "%s", j->pin->prov_bundle);
    }
}

/* The lock pins this version with an asset for the target: no request at all. */
static bool resolve_from_pin(const struct sw_plan *plan, struct sw_tool_job *j)
{
    const struct sw_lock_tool *p = j->pin;
    struct sw_semver v;
    if (!p || j->spec->kind != SW_SPEC_EXACT || sw_semver_parse(p->version, &v, NULL) < 0 ||
        sw_semver_cmp(&v, &j->spec->exact) != 0)
        return false;
    const struct sw_lock_tool_asset *a = sw_lock_tool_asset_for(p, plan->target.triple);
    if (!a)
        return false;
    snprintf(j->version, sizeof(j->version), "%s", p->version);
    snprintf(j->tag, sizeof(j->tag), "%s", p->tag);
    snprintf(j->repo, sizeof(j->repo), "%s", p->repository);
    snprintf(j->asset, sizeof(j->asset), "%s", a->name);
    snprintf(j->digest, sizeof(j->digest), "%s", a->digest);
    j->digest_source = "plugins.lock";
    j->size = a->size;
    j->from_lock = true;
    take_prov_pin(j);
    return true;
}

static int list_all(struct sw_ctx *ctx, struct sw_http *h, struct sw_tool_job *j,
                    struct sw_error *err)
{
    const char *repos[8];
    size_t n = sw_tool_repos(j->tool, repos, 8);
    for (size_t i = 0; i < n; i++)
        if (sw_github_list_releases(h, ctx->api_url, repos[i], &j->rs, err) < 0)
            return -1;
    return 0;
}

/* The release the spec selects: by tag for an exact version, else the newest match. */
int sw_tools_select_release(struct sw_ctx *ctx, const struct sw_plan *plan, struct sw_tool_job *j,
                            const struct sw_spec *spec, struct sw_error *err)
{
    struct sw_http *h = sw_ctx_http(ctx, err);
    size_t idx = 0, held = SIZE_MAX;
    if (!h)
        return -1;
    j->rs.tool = j->tool;
    if (spec->kind == SW_SPEC_EXACT) {
        const char *repo;
        char tag[160];
        bool found = false;
        if (sw_tool_tag_for(j->tool, &spec->exact, &repo, tag, sizeof(tag), err) < 0 ||
            sw_github_release_by_tag(h, ctx->api_url, repo, tag, &j->rs, &found, err) < 0)
            return -1;
        if (found && j->rs.n > 0 && sw_semver_cmp(&j->rs.items[j->rs.n - 1].version,
                                                  &spec->exact) == 0) {
            j->release = &j->rs.items[j->rs.n - 1];
            return 0;
        }
        /* not there: the listing names the nearest versions */
    }
    if (list_all(ctx, h, j, err) < 0)
        return -1;
    if (sw_spec_is_auto(spec) ? sw_tools_select_auto(ctx, plan, j, spec, &idx, &held, err) < 0
                              : sw_releases_select(&j->rs, spec, &plan->cooldown, &idx, &held,
                                                   err) < 0)
        return -1;
    j->release = &j->rs.items[idx];
    if (held != SIZE_MAX) {
        sw_semver_str(&j->rs.items[held].version, j->held_back, sizeof(j->held_back));
        sw_info(ctx, "%s %s is held back by --min-release-age; taking %s", j->tool->display,
                j->held_back, sw_semver_str(&j->release->version, j->version, sizeof(j->version)));
    }
    return 0;
}

static int resolve_job(struct sw_ctx *ctx, const struct sw_plan *plan, struct sw_tool_job *j,
                       struct sw_error *err)
{
    j->size = -1;
    if (resolve_from_pin(plan, j))
        goto done;
    if (plan->offline) {
        /* an exact version is named by the table alone; its digest is not known offline */
        const char *repo;
        if (j->spec->kind != SW_SPEC_EXACT)
            return sw_error_set(err, SW_EXIT_USAGE,
                                "%s@%s needs the network to resolve: offline, only exact "
                                "versions and what the lock pins can be answered",
                                j->tool->name, j->spec->text);
        sw_semver_str(&j->spec->exact, j->version, sizeof(j->version));
        if (sw_tool_tag_for(j->tool, &j->spec->exact, &repo, j->tag, sizeof(j->tag), err) < 0 ||
            sw_tool_asset_name(j->tool, plan->target.triple, &j->spec->exact, j->asset,
                               sizeof(j->asset), err) < 0)
            return -1;
        snprintf(j->repo, sizeof(j->repo), "%s", repo);
        goto done;
    }
    if (sw_tools_select_release(ctx, plan, j, j->spec, err) < 0)
        return sw_error_wrap(err, "%s", j->tool->display);
    const struct sw_release *r = j->release;
    sw_semver_str(&r->version, j->version, sizeof(j->version));
    snprintf(j->tag, sizeof(j->tag), "%s", r->tag);
    snprintf(j->repo, sizeof(j->repo), "%s", r->repo);
    if (sw_tool_asset_name(j->tool, plan->target.triple, &r->version, j->asset, sizeof(j->asset),
                           err) < 0)
        return -1;
    const struct sw_asset *a = sw_release_asset(r, j->asset);
    if (!a)
        return sw_error_set(err, SW_EXIT_NOTFOUND,
                            "%s %s (%s of %s) has no asset '%s' for %s", j->tool->display,
                            j->version, j->tag, j->repo, j->asset, plan->target.triple);
    j->size = a->size;
    if (a->digest) {
        snprintf(j->digest, sizeof(j->digest), "%s", a->digest);
        j->digest_source = "the GitHub API";
    }
    /* The lock pins this version: its digest counts, and an asset that changed since is
     * refused before anything is downloaded. */
    const struct sw_lock_tool_asset *la = NULL;
    if (j->pin && strcmp(j->pin->version, j->version) == 0 &&
        (la = sw_lock_tool_asset_for(j->pin, plan->target.triple)) &&
        strcmp(la->name, j->asset) == 0) {
        if (a->digest && strcmp(a->digest, la->digest) != 0)
            return sw_error_set(err, SW_EXIT_VERIFY,
                                "'%s' of %s %s changed since it was locked: %s pins %s, the "
                                "GitHub API now reports %s; if the release was rebuilt on "
                                "purpose, run 'setup-wash lock %s@%s' again",
                                a->name, j->tool->display, j->version, plan->lock_path,
                                la->digest, a->digest, j->tool->name, j->version);
        snprintf(j->digest, sizeof(j->digest), "%s", la->digest);
        j->digest_source = "plugins.lock";
        take_prov_pin(j);
    }
done:
    j->attested = sw_tools_version_attested(j->tool, j->version);
    return 0;
}

/* ---- the cache ---- */

/* Whether what the marker says was checked satisfies the mode. "checksums" proves the bytes as
 * a digest does; "none" (nothing could vouch) is taken by auto only while nothing can. */
static bool verified_enough(const struct sw_plan *plan, const struct sw_tool_job *j,
                            const struct sw_installed *in)
{
    const char *v = strcmp(in->verified, "checksums") == 0 ? "digest" : in->verified;
    if (plan->verify == SW_VERIFY_AUTO && !j->attested)
        return strcmp(v, "none") != 0 || !j->digest[0];
    return sw_verify_cached_ok(plan->verify, v, in->has_prov ? in->prov.status : NULL);
}

/* A cache hit: complete, the asset expected, verified as the mode asks, and every file of the
 * tree still the bytes installed (io/tree.h). A tree that changed is warned about, naming the
 * file, and installed again. */
static bool job_hit(struct sw_ctx *ctx, const struct sw_plan *plan, struct sw_tool_job *j)
{
    struct sw_installed *in = &j->in;
    struct sw_tree *tree = NULL;
    struct sw_tree_verdict v;
    bool ok = false;
    if (!sw_install_read_marker(j->marker, in) || strcmp(in->asset, j->asset) != 0 ||
        (j->digest[0] && strcmp(in->digest, j->digest) != 0) || !verified_enough(plan, j, in))
        return false;
    struct sw_error e = {0};
    /* checked before the lock and again under it: said once */
    bool say = !j->stale_said;
    if (sw_tree_load(j->files, &tree, &e) < 0 || sw_tree_verify(tree, j->dir, &v, &e) < 0) {
        if (say)
            sw_info(ctx, "the cached %s %s cannot be proven (%s): installing it again",
                    j->tool->display, j->version, e.msg);
        j->stale_said = true;
        goto out;
    }
    if (!v.ok) {
        char *shown = sw_os_path_out(j->dir);
        if (say)
            sw_warn(ctx, "the cached %s %s in '%s' is not what was installed: %s; installing it "
                    "again", j->tool->display, j->version, shown, v.why);
        free(shown);
        j->stale_said = true;
        goto out;
    }
    if (v.restamped)
        sw_tree_save_stamps(tree, j->files, NULL); /* a failure costs a re-hash next time */
    ok = true;
out:
    sw_tree_free(tree);
    return ok;
}

/* Jobs in table order, so two runs take their locks in one order. A bare TOOL takes the
 * version the lock pins (install, resolve) or the spec it was locked from (lock), as wash does
 * without --version. */
struct sw_tool_job *sw_tools_jobs_new(const struct sw_plan *plan, const struct sw_tool_reqs *reqs,
                                      bool relock)
{
    struct sw_tool_job *jobs = sw_xcalloc(reqs->n + 1, sizeof(*jobs));
    size_t n = 0;
    for (size_t t = 0; t < sw_tools_len; t++)
        for (size_t i = 0; i < reqs->n; i++)
            if (reqs->items[i].tool == &sw_tools[t]) {
                struct sw_tool_job *j = &jobs[n++];
                j->req = &reqs->items[i];
                j->tool = j->req->tool;
                j->pin = plan->lock ? sw_lock_tool_named(plan->lock, j->tool->name) : NULL;
                j->spec = &j->req->spec;
                const char *pinned = !j->pin ? NULL
                                     : relock ? (j->pin->requested ? j->pin->requested : "latest")
                                              : j->pin->version;
                if (j->req->bare && pinned &&
                    sw_tool_spec_parse(j->tool, pinned, &j->own, NULL) == 0)
                    j->spec = &j->own;
                j->fd = -1;
                j->lockfd = -1;
            }
    return jobs;
}

void sw_tools_jobs_free(struct sw_tool_job *jobs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        job_free(&jobs[i]);
    free(jobs);
}

/* An exact version (or a lock pin) whose install is complete and proven: no request. The asset
 * name comes from the table, the expected digest from the lock when it pins the version. */
static bool early_hit(struct sw_ctx *ctx, const struct sw_plan *plan, struct sw_tool_job *j)
{
    const struct sw_spec *spec = j->spec;
    if (spec->kind != SW_SPEC_EXACT)
        return false;
    if (!resolve_from_pin(plan, j)) {
        sw_semver_str(&spec->exact, j->version, sizeof(j->version));
        if (sw_tool_asset_name(j->tool, plan->target.triple, &spec->exact, j->asset,
                               sizeof(j->asset), NULL) < 0)
            return false;
    }
    j->attested = sw_tools_version_attested(j->tool, j->version);
    layout_init(ctx, plan, j);
    bool hit = job_hit(ctx, plan, j);
    if (hit) {
        snprintf(j->tag, sizeof(j->tag), "%s", j->in.tag);
        snprintf(j->repo, sizeof(j->repo), "%s", j->in.repo);
    }
    return hit;
}

static void layout_reset(struct sw_tool_job *j)
{
    char **paths[] = {&j->version_dir, &j->dir,  &j->marker,  &j->files,   &j->lockfile,
                      &j->exe,         &j->bin,  &j->staging, &j->download};
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        free(*paths[i]);
        *paths[i] = NULL;
    }
    j->digest[0] = '\0';
    j->digest_source = NULL;
    j->from_lock = false;
    j->prov_source = SW_PROV_SOURCE_NONE;
    j->prov_bundle[0] = '\0';
}

int sw_tools_install(struct sw_ctx *ctx, const struct sw_plan *plan,
                     const struct sw_tool_reqs *reqs, void *json, struct sw_error *err)
{
    return sw_tools_install_done(ctx, plan, reqs, json, NULL, err);
}

void sw_tool_done_free(struct sw_tool_done *d)
{
    if (d)
        free(d->bin);
}

int sw_tools_install_done(struct sw_ctx *ctx, const struct sw_plan *plan,
                          const struct sw_tool_reqs *reqs, void *json, struct sw_tool_done *done,
                          struct sw_error *err)
{
    struct sw_tool_job *jobs = sw_tools_jobs_new(plan, reqs, false);
    size_t n = reqs->n;
    struct sw_buf summary = SW_BUF_INIT;
    int rc = -1;
    char *lockdir = NULL;
    for (size_t i = 0; i < n; i++) {
        struct sw_tool_job *j = &jobs[i];
        if (early_hit(ctx, plan, j)) {
            j->hit = true;
            continue;
        }
        layout_reset(j);
        if (resolve_job(ctx, plan, j, err) < 0)
            goto out;
        layout_init(ctx, plan, j);
    }
    /* the rules against this machine's Go, before anything is downloaded */
    const char *set[2] = {NULL, NULL};
    for (size_t i = 0; i < n; i++)
        if (jobs[i].tool->auto_by_go || strcmp(jobs[i].tool->name, "wasm-tools") == 0)
            set[!jobs[i].tool->auto_by_go] = jobs[i].version;
    if (sw_tools_check_set(ctx, plan, set[0], set[1], SW_COMPAT_FOR_INSTALL, err) < 0)
        goto out;
    /* under each job's lock, in table order: a concurrent run of the same tool waits here and
     * then finds the first one's install */
    for (size_t i = 0; i < n; i++) {
        struct sw_tool_job *j = &jobs[i];
        if (j->hit)
            continue;
        /* made for the first lock taken: a run of hits takes none */
        if (!lockdir) {
            lockdir = sw_path_join(ctx->cache_root, ".setup-wash/locks");
            if (sw_fs_mkdir_p(lockdir, 0755, err) < 0)
                goto out;
        }
        if ((j->lockfd = sw_fs_lock(j->lockfile, err)) < 0)
            goto out;
        j->hit = job_hit(ctx, plan, j);
    }
    if (sw_tools_download_and_place(ctx, plan, jobs, n, err) < 0)
        goto out;
    sw_buf_adds(&summary, "### toolchain\n\n| tool | version | asset | verified | cache hit | "
                          "path |\n|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < n; i++)
        if (sw_tools_report_job(ctx, plan, &jobs[i], json, &summary, err) < 0)
            goto out;
    sw_buf_adds(&summary, "\n");
    if (n && ctx->step_summary && sw_gha_summary(ctx->step_summary, sw_buf_str(&summary), err) < 0)
        goto out;
    for (size_t i = 0; done && i < n; i++) {
        done[i] = (struct sw_tool_done){
            .tool = jobs[i].tool, .bin = sw_os_path_out(jobs[i].bin), .hit = jobs[i].hit};
        snprintf(done[i].version, sizeof(done[i].version), "%s", jobs[i].version);
    }
    rc = 0;
out:
    sw_buf_free(&summary);
    free(lockdir);
    sw_tools_jobs_free(jobs, n);
    return rc;
}

/* The check install would make, as the output names it. */
static const char *planned_check(const struct sw_plan *plan, const struct sw_tool_job *j)
{
    if (plan->verify == SW_VERIFY_NONE)
        return "none";
    if (j->attested && plan->verify != SW_VERIFY_DIGEST)
        return "provenance";
    if (j->tool->check == SW_TOOL_CHECK_CHECKSUMS && !j->from_lock)
        return "checksums";
    return j->digest[0] ? "digest" : "none";
}

int sw_tools_resolve(struct sw_ctx *ctx, const struct sw_plan *plan,
                     const struct sw_tool_reqs *reqs, void *json, struct sw_error *err)
{
    struct sw_tool_job *jobs = sw_tools_jobs_new(plan, reqs, false);
    int rc = -1;
    for (size_t i = 0; i < reqs->n; i++) {
        struct sw_tool_job *j = &jobs[i];
        if (resolve_job(ctx, plan, j, err) < 0)
            goto out;
        layout_init(ctx, plan, j);
        char *exe = sw_os_path_out(j->exe), *dir = sw_os_path_out(j->dir);
        if (json) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "name", j->tool->name);
            cJSON_AddStringToObject(o, "version", j->version);
            cJSON_AddStringToObject(o, "tag", j->tag);
            cJSON_AddStringToObject(o, "repository", j->repo);
            cJSON_AddStringToObject(o, "target", plan->target.triple);
            cJSON_AddStringToObject(o, "asset", j->asset);
            cJSON_AddStringToObject(o, "digest", j->digest);
            cJSON_AddStringToObject(o, "digest-source", j->digest_source ? j->digest_source : "");
            cJSON_AddBoolToObject(o, "from-lock", j->from_lock);
            cJSON_AddStringToObject(o, "verify", planned_check(plan, j));
            cJSON_AddStringToObject(o, "install-dir", dir);
            cJSON_AddStringToObject(o, "path", exe);
            cJSON_AddStringToObject(o, "held-back", j->held_back);
            cJSON_AddItemToArray(json, o);
        } else {
            sw_result(ctx, "%s %s: %s of %s, asset %s, digest %s, checked by %s",
                      j->tool->display, j->version, j->tag, j->repo, j->asset,
                      j->digest[0] ? j->digest : "(none known)", planned_check(plan, j));
        }
        free(exe);
        free(dir);
    }
    rc = 0;
out:
    sw_tools_jobs_free(jobs, reqs->n);
    return rc;
}

int sw_tools_run(struct sw_ctx *ctx, const struct sw_args *args, sw_tools_step tools_step,
                 sw_wash_step wash_step, struct sw_error *err)
{
    struct sw_tool_reqs reqs = {0};
    struct sw_plan plan = {0};
    struct sw_args a;
    cJSON *tools = NULL;
    int rc = -1;
    if (sw_tool_reqs_from_args(args, &reqs, &a, err) < 0 ||
        sw_plan_init(ctx, &a, false, &plan, err) < 0)
        goto out;
    plan.offline = sw_flag(args, "offline");
    plan.allow_incompatible = sw_flag(args, "allow-incompatible");
    if ((args->npos == 0 || sw_flag(args, "lock-tools")) &&
        sw_tool_reqs_add_lock(&reqs, plan.lock, err) < 0)
        goto out;
    if (sw_tools_need_go(&reqs, NULL) && sw_plan_probe_go(ctx, &plan, err) < 0)
        goto out;
    if (sw_flag(args, "json") && reqs.n > 0)
        tools = cJSON_CreateArray();
    if (reqs.n > 0 && tools_step(ctx, &plan, &reqs, tools, err) < 0)
        goto out;
    if (args->npos == 0 || reqs.wash) {
        rc = wash_step(ctx, &a, &plan, tools, err);
        tools = NULL;
        goto out;
    }
    if (tools) {
        cJSON *doc = cJSON_CreateObject();
        cJSON_AddItemToObject(doc, "tools", tools);
        tools = NULL;
        sw_print_json(ctx, doc);
    }
    rc = 0;
out:
    cJSON_Delete(tools);
    sw_tool_reqs_free(&reqs);
    sw_plan_free(&plan);
    return rc;
}
