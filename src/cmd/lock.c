/* setup-wash lock: pin a wash release (tag, repository, the digest of every build, and the
 * Sigstore bundle that proves where they came from). */
#include <stdlib.h>
#include <string.h>

#include "cmd/commands.h"
#include "cmd/plan.h"
#include "cmd/provenance.h"
#include "core/buf.h"
#include "io/attest.h"
#include "io/fs.h"

/* The locked build to look the attestation up by: this host's, else the first. */
static const struct sw_lock_asset *lookup_asset(const struct sw_plan *plan,
                                                const struct sw_lock_wash *w)
{
    for (size_t i = 0; i < w->nassets; i++)
        if (strcmp(w->assets[i].target, plan->target.triple) == 0)
            return &w->assets[i];
    return &w->assets[0];
}

/* Verifies the release's bundle and pins it (with its bytes in the cache) when the mode asks
 * for provenance and the release has it; says what was pinned in `said`. */
static int lock_provenance(struct sw_ctx *ctx, const struct sw_plan *plan,
                           const struct sw_release *rel, struct sw_lock *lock, char *said, size_t n,
                           struct sw_error *err)
{
    struct sw_lock_wash *w = lock->wash;
    const struct sw_lock_asset *a = lookup_asset(plan, w);
    unsigned char sha[32];
    struct sw_prov_env env = {.ctx = ctx, .trusted_root = plan->trusted_root};
    struct sw_prov_outcome o = {0};
    struct sw_buf missing = SW_BUF_INIT;
    size_t nmissing = 0;
    int rc = -1;
    said[0] = '\0';
    if (plan->verify == SW_VERIFY_NONE || plan->verify == SW_VERIFY_DIGEST)
        return 0;
    sw_digest_parse(a->digest, sha);
    struct sw_prov_request rq = {
        .mode = plan->verify,
        .version = w->version,
        .tag = w->tag,
        .repo = w->repository,
        .asset = a->name,
        .sha256 = sha,
        .has_asset = sw_release_asset(rel, SW_SIGSTORE_ASSET) != NULL,
        .lock_path = plan->lock_path,
        .refused = "nothing was locked",
    };
    if (sw_prov_check(&env, &rq, &o, err) < 0)
        goto out;
    if (o.action == SW_PROV_WARN)
        sw_warn(ctx, "%s; %s pins no provenance for wash %s", o.detail, plan->lock_path,
                w->version);
    else if (o.action == SW_PROV_DIGEST_ONLY)
        sw_info(ctx, "%s pins the digests of wash %s only: %s", plan->lock_path, w->version,
                o.detail);
    if (o.action != SW_PROV_ACCEPT) {
        rc = 0;
        goto out;
    }
    if (o.identity_note[0])
        sw_info(ctx, "%s", o.identity_note);
    /* one bundle lists every binary of a release: check that this one does */
    for (size_t i = 0; i < w->nassets; i++) {
        struct sw_error e = {0};
        if (&w->assets[i] == a || (sw_digest_parse(w->assets[i].digest, sha) == 0 &&
                                   sw_prov_verify_other(&env, &o, w->repository, sha, &e) == 0))
            continue;
        sw_buf_printf(&missing, "%s%s", nmissing++ ? ", " : "", w->assets[i].name);
    }
    if (nmissing)
        sw_warn(ctx,
                "the provenance bundle of wash %s does not list %zu of its %zu builds (%s): "
                "installs of those will fail the provenance check",
                w->version, nmissing, w->nassets, sw_buf_str(&missing));
    if (sw_bundle_cache_put(ctx->cache_root, o.bundle.data, o.bundle.len, err) < 0)
        goto out;
    sw_lock_set_provenance(lock, o.source, o.prov.bundle_digest);
    snprintf(said, n, ", provenance from %s signed by %s",
             o.source == SW_PROV_SOURCE_ASSET ? SW_SIGSTORE_ASSET : "the attestations API",
             o.prov.signer);
    rc = 0;
out:
    sw_buf_free(&missing);
    sw_prov_outcome_free(&o);
    sw_prov_env_free(&env);
    return rc;
}

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
        sel = sw_select_candidates(ctx, &plan, &r, &idx, err);
    plan.lock = old;
    if (sel < 0)
        goto out;
    const struct sw_release *rel = spec->kind == SW_SPEC_EXACT ? r.release : &r.rs.items[idx];
    if (!plan.lock)
        plan.lock = sw_lock_new();
    if (sw_lock_set_wash(plan.lock, rel, spec->text, err) < 0)
        goto out;
    char said[1024];
    if (lock_provenance(ctx, &plan, rel, plan.lock, said, sizeof(said), err) < 0) {
        sw_error_wrap(err, "locking wash %s", plan.lock->wash->version);
        goto out;
    }
    text = sw_lock_format(plan.lock);
    if (sw_fs_write_atomic(plan.lock_path, text, strlen(text), 0644, err) < 0)
        goto out;
    sw_result(ctx, "locked wash %s (%s of %s, %zu builds%s) in %s", plan.lock->wash->version,
              rel->tag, rel->repo, plan.lock->wash->nassets, said, plan.lock_path);
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
    {"verify", "MODE", "auto (default) or provenance (required): also pin the Sigstore bundle"},
    {"trusted-root", "FILE", "Sigstore trusted_root.json (default: the embedded public-good one)"},
    {"cache-dir", "DIR", "cache root (holds the API response cache and the pinned bundles)"},
    {"cacert", "FILE", "CA bundle to trust"},
    {"min-release-age", "AGE", "skip releases newer than AGE (24h, 3d, 2w; default 0: none)"},
    {"quiet", NULL, "no information on stderr"},
    {"help", NULL, "show this help"},
    {NULL, NULL, NULL},
};

const struct sw_cmd sw_cmd_lock = {
    .name = "lock",
    .summary = "pin a wash release, the digest of every build and its provenance in plugins.lock",
    .usage = "[--version SPEC] [--lock FILE] [--verify MODE]",
    .opts = lock_opts,
    .run = cmd_lock,
    .details = "Resolves SPEC with the GitHub API and writes the release's tag, repository and\n"
               "the SHA-256 digest of every wash build into the lockfile (other entries, such\n"
               "as plugins, are kept). Where the release has a Sigstore provenance bundle\n"
               "(wash 1.0.0-beta.9 and later), it is verified and pinned too (wash.provenance:\n"
               "its source and digest), and its bytes are kept in the cache\n"
               "(<cache root>/.setup-wash/bundles/). Installs that use the lock then verify\n"
               "offline and, for the pinned version, make no API request. Without --version,\n"
               "the spec the lock was made from is resolved again. --min-release-age AGE skips\n"
               "releases newer than AGE for latest, rc and ranges, as install does.\n",
};
