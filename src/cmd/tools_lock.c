/* lock TOOL[@SPEC]: every platform's asset of the version pinned (cmd/tools.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/lock_bump.h"
#include "cmd/provenance.h"
#include "cmd/tools.h"
#include "core/buf.h"
#include "core/tool.h"
#include "io/github.h"

/* ---- lock ---- */

/* One asset of the locked version and the targets it serves. */
struct lock_asset {
    char name[160];
    const char *targets[16];
    size_t ntargets;
    const struct sw_asset *api; /* the release's entry */
    char digest[80];
    enum sw_pin_from from;
    struct sw_http_reply reply;
    struct sw_error err;
};

static int lock_one(struct sw_ctx *ctx, const struct sw_plan *plan, struct sw_tool_job *j,
                    struct sw_lock *lock, struct sw_error *err)
{
    struct sw_http *h = sw_ctx_http(ctx, err);
    struct sw_tool_target_asset all[16];
    struct lock_asset la[16];
    struct sw_buf sums = SW_BUF_INIT;
    size_t nla = 0;
    int rc = -1;
    memset(la, 0, sizeof(la));
    if (!h || sw_tools_select_release(ctx, plan, j, j->spec, err) < 0) {
        sw_error_wrap(err, "%s", j->tool->display);
        goto out;
    }
    char held[SW_SEMVER_STR_MAX], why[400];
    bool rule = plan->bump && sw_tools_hold_for_go(plan, j, held, sizeof(held), why, sizeof(why));
    const struct sw_release *r = j->release;
    sw_semver_str(&r->version, j->version, sizeof(j->version));
    if (plan->bump) {
        if (rule)
            sw_bump_hold(plan->bump, j->tool->name, held, j->version, SW_BUMP_RULE, why);
        if (j->held_back[0])
            sw_bump_hold(plan->bump, j->tool->name, j->held_back, j->version, SW_BUMP_COOLDOWN,
                         SW_BUMP_COOLDOWN_WHY);
        if (sw_bump_take(plan->bump, j->tool->name, j->pin ? j->pin->version : NULL,
                         j->version)) {
            rc = 0;
            goto out;
        }
    }
    size_t na = sw_tool_assets_at(j->tool, &r->version, all, 16);
    for (size_t i = 0; i < na; i++) {
        size_t k = 0;
        while (k < nla && strcmp(la[k].name, all[i].name) != 0)
            k++;
        if (k == nla) {
            const struct sw_asset *a = sw_release_asset(r, all[i].name);
            if (!a) {
                sw_info(ctx, "%s %s has no '%s': %s is not pinned", j->tool->display, j->version,
                        all[i].name, all[i].target);
                continue;
            }
            snprintf(la[nla].name, sizeof(la[nla].name), "%s", all[i].name);
            la[nla++].api = a;
        }
        la[k].targets[la[k].ntargets++] = all[i].target;
    }
    if (nla == 0) {
        sw_error_set(err, SW_EXIT_NOTFOUND, "%s %s (%s) has none of the assets setup-wash knows",
                     j->tool->display, j->version, r->tag);
        goto out;
    }
    if (j->tool->check == SW_TOOL_CHECK_CHECKSUMS) {
        char *url = sw_github_download_url(ctx->server_url, r->repo, r->tag, j->tool->checksums);
        struct sw_http_request rq = {.url = url, .body = &sums, .fd = -1, .max_size = 1u << 20};
        struct sw_http_reply reply;
        int frc = sw_http_fetch(h, &rq, &reply, err);
        free(url);
        if (frc < 0) {
            sw_error_wrap(err, "the checksum file '%s' of %s %s", j->tool->checksums,
                          j->tool->display, j->version);
            goto out;
        }
    }
    /* the digests: the checksum file, else the API; what has neither is downloaded below */
    struct sw_http_request rqs[16];
    struct sw_http_reply replies[16];
    struct sw_error errs[16];
    char *urls[16] = {0};
    size_t idx[16], m = 0;
    for (size_t k = 0; k < nla; k++) {
        struct lock_asset *a = &la[k];
        if (j->tool->check == SW_TOOL_CHECK_CHECKSUMS) {
            if (sw_tools_checksum_of(&sums, a->name, a->digest, sizeof(a->digest)) < 0) {
                sw_error_set(err, SW_EXIT_VERIFY, "'%s' of %s %s has no line for '%s'",
                             j->tool->checksums, j->tool->display, j->version, a->name);
                goto out;
            }
            if (a->api->digest && strcmp(a->api->digest, a->digest) != 0) {
                sw_error_set(err, SW_EXIT_VERIFY,
                             "'%s' of %s %s: the GitHub API reports %s, '%s' lists %s",
                             a->name, j->tool->display, j->version, a->api->digest,
                             j->tool->checksums, a->digest);
                goto out;
            }
            a->from = SW_PIN_CHECKSUMS;
        } else if (a->api->digest) {
            snprintf(a->digest, sizeof(a->digest), "%s", a->api->digest);
            a->from = SW_PIN_API;
        } else {
            urls[m] = sw_github_download_url(ctx->server_url, r->repo, r->tag, a->name);
            rqs[m] = (struct sw_http_request){
                .url = urls[m], .fd = -1,
                .max_size = a->api->size > 0 ? (uint64_t)a->api->size : 0};
            idx[m++] = k;
        }
    }
    if (m > 0) {
        sw_info(ctx, "%s %s: the GitHub API reports no digest for %zu asset%s: downloading %s to "
                "pin %s (nothing else vouches for %s)",
                j->tool->display, j->version, m, m == 1 ? "" : "s", m == 1 ? "it" : "them",
                m == 1 ? "its digest" : "their digests", m == 1 ? "it" : "them");
        size_t failed = sw_http_fetch_many(h, rqs, replies, errs, m);
        for (size_t q = 0; q < m; q++) {
            struct lock_asset *a = &la[idx[q]];
            if (!failed || !errs[q].code) {
                sw_digest_format(replies[q].sha256, a->digest, sizeof(a->digest));
                a->from = SW_PIN_DOWNLOAD;
                sw_info(ctx, "pinned '%s' as %s from the lock's own download", a->name,
                        a->digest);
            } else if (rc == -1 && !err->code) {
                *err = errs[q];
                sw_error_wrap(err, "downloading '%s' to pin it", a->name);
            }
        }
        for (size_t q = 0; q < m; q++)
            free(urls[q]);
        if (err->code)
            goto out;
    }

    /* provenance: the bundle of this host's asset (else the first), checked to list the rest */
    struct sw_prov_lock_result prov = {0};
    if (sw_tools_version_attested(j->tool, j->version)) {
        const char *names[16], *digests[16];
        size_t first = 0;
        for (size_t k = 0; k < nla; k++)
            for (size_t q = 0; q < la[k].ntargets; q++)
                if (strcmp(la[k].targets[q], plan->target.triple) == 0)
                    first = k;
        names[0] = la[first].name;
        digests[0] = la[first].digest;
        for (size_t k = 0, q = 1; k < nla; k++)
            if (k != first) {
                names[q] = la[k].name;
                digests[q++] = la[k].digest;
            }
        struct sw_prov_env env = {.ctx = ctx, .trusted_root = plan->trusted_root};
        struct sw_prov_lock_request prq = {
            .mode = plan->verify,
            .tool = j->tool,
            .what = j->tool->display,
            .version = j->version,
            .tag = r->tag,
            .repo = r->repo,
            .lock_path = plan->lock_path,
            .has_asset = 0,
            .names = names,
            .digests = digests,
            .n = nla,
        };
        int prc = sw_prov_lock(&env, &prq, &prov, err);
        sw_prov_env_free(&env);
        if (prc < 0)
            goto out;
    }

    struct sw_lock_tool_asset *assets = sw_xcalloc(nla, sizeof(*assets));
    for (size_t k = 0; k < nla; k++)
        assets[k] = (struct sw_lock_tool_asset){.name = la[k].name,
                                                .targets = (char **)la[k].targets,
                                                .ntargets = la[k].ntargets,
                                                .size = la[k].api->size,
                                                .digest = la[k].digest,
                                                .from = la[k].from};
    struct sw_lock_tool entry = {.name = (char *)j->tool->name,
                                 .requested = (char *)j->spec->text,
                                 .for_go = sw_spec_is_auto(j->spec) ? (char *)plan->go.v.text
                                                                    : NULL,
                                 .version = j->version,
                                 .tag = r->tag,
                                 .repository = r->repo,
                                 .assets = assets,
                                 .nassets = nla,
                                 .prov_source = prov.pinned ? prov.source : SW_PROV_SOURCE_NONE,
                                 .prov_bundle = prov.pinned ? prov.bundle : NULL};
    rc = sw_lock_put_tool(lock, &entry, err);
    free(assets);
    if (rc == 0 && prov.pinned)
        sw_info(ctx, "%s %s: provenance pinned, signed by %s", j->tool->display, j->version,
                prov.signer);
out:
    sw_buf_free(&sums);
    return rc;
}

int sw_tools_lock(struct sw_ctx *ctx, const struct sw_plan *plan, const struct sw_tool_reqs *reqs,
                  struct sw_lock *lock, struct sw_error *err)
{
    struct sw_tool_job *jobs = sw_tools_jobs_new(plan, reqs, true);
    int rc = 0;
    for (size_t i = 0; i < reqs->n && rc == 0; i++)
        rc = lock_one(ctx, plan, &jobs[i], lock, err);
    sw_tools_jobs_free(jobs, reqs->n);
    return rc;
}
