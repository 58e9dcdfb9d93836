#include "cmd/provenance.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/semver.h"
#include "core/tool.h"
#include "io/attest.h"
#include "os/os.h"

void sw_prov_env_free(struct sw_prov_env *env)
{
    sw_sigstore_root_free(env->root);
    env->root = NULL;
}

void sw_prov_outcome_free(struct sw_prov_outcome *o)
{
    sw_buf_free(&o->bundle);
}

/* The request is for a tool of the table, not wash: the row's rules apply. */
static bool for_tool(const struct sw_prov_request *rq)
{
    return rq->tool && !rq->tool->wash;
}

const struct sw_sigstore_policy *sw_prov_tool_policy(const struct sw_tool *tool, const char *repo,
                                                     struct sw_prov_tool_policy *buf)
{
    const char *repos[8];
    size_t n = tool ? sw_tool_repos(tool, repos, 8) : 0;
    bool known = false;
    memset(buf, 0, sizeof(*buf));
    for (size_t i = 0; repo && i < n; i++)
        known = known || strcmp(repos[i], repo) == 0;
    if (!known || tool->wash || tool->check != SW_TOOL_CHECK_ATTESTATIONS ||
        !tool->signer_workflow || !tool->signer_refs || !tool->signer_refs[0])
        return NULL;
    snprintf(buf->repo, sizeof(buf->repo), "%s", repo);
    snprintf(buf->source_repository, sizeof(buf->source_repository), "https://github.com/%s", repo);
    snprintf(buf->san_workflow, sizeof(buf->san_workflow), "%s/%s", buf->source_repository,
             tool->signer_workflow);
    buf->policy = (struct sw_sigstore_policy){
        .name = buf->repo,
        .issuer = SW_SIGSTORE_GITHUB_ISSUER,
        .source_repository = buf->source_repository,
        .san_workflow = buf->san_workflow,
        .san_refs = tool->signer_refs,
        .predicate_type = SW_SIGSTORE_SLSA_V1,
    };
    return &buf->policy;
}

/* Whether the release was published with build provenance; *since is the first version that
 * was (NULL for a tool that publishes none). */
static bool release_attested(const struct sw_prov_request *rq, const char **since)
{
    struct sw_semver v, first;
    bool parsed = sw_semver_parse(rq->version, &v, NULL) == 0;
    if (!for_tool(rq)) {
        *since = sw_attested_since;
        return parsed && sw_version_attested(&v);
    }
    *since = rq->tool->check == SW_TOOL_CHECK_ATTESTATIONS ? rq->tool->attested_since : NULL;
    return parsed && *since && sw_semver_parse(*since, &first, NULL) == 0 &&
           sw_semver_cmp(&v, &first) >= 0;
}

static int load_root(struct sw_prov_env *env, struct sw_error *err)
{
    if (env->root)
        return 0;
    double t0 = (double)sw_os_now_ms();
    int rc = env->trusted_root ? sw_sigstore_root_load_file(env->trusted_root, &env->root, err)
                               : sw_sigstore_root_load_embedded(&env->root, err);
    env->root_ms = (double)sw_os_now_ms() - t0;
    if (rc < 0)
        return sw_error_wrap(err, "loading the Sigstore trusted root");
    return 0;
}

static const char *source_label(enum sw_prov_source s)
{
    return s == SW_PROV_SOURCE_ASSET ? SW_SIGSTORE_ASSET : "the attestations API";
}

/* What the candidates did, so the outcome can name the most telling failure. */
struct attempt {
    struct sw_prov_env *env;
    const struct sw_prov_request *rq;
    struct sw_prov_outcome *out;
    struct sw_error failed, unsupported, unreachable;
    double fetch_t0;
    struct sw_signer_expect signer;               /* who must have signed this release (wash) */
    const struct sw_sigstore_policy *tool_policy; /* a tool's policy (in tool_buf), or NULL */
    struct sw_prov_tool_policy tool_buf;
};

/* The wash policy of the repository, narrowed to the release's own signer when the table
 * knows it. NULL with e set when there is no policy for the release. */
static const struct sw_sigstore_policy *
release_policy(const struct attempt *at, struct sw_sigstore_policy *buf, struct sw_error *e)
{
    if (for_tool(at->rq)) {
        if (!at->tool_policy)
            sw_error_set(e, SW_EXIT_VERIFY, "no identity policy for %s releases of repository '%s'",
                         at->rq->tool->display, at->rq->repo);
        return at->tool_policy;
    }
    const struct sw_sigstore_policy *base = sw_sigstore_policy_wash(at->rq->repo);
    if (!base) {
        sw_error_set(e, SW_EXIT_VERIFY, "no identity policy for repository '%s'", at->rq->repo);
        return NULL;
    }
    switch (at->signer.kind) {
    case SW_SIGNER_REPOSITORY:
        return base;
    case SW_SIGNER_RELEASE:
        *buf = *base;
        buf->san_exact = at->signer.san;
        buf->source_ref = at->signer.source_ref[0] ? at->signer.source_ref : NULL;
        return buf;
    case SW_SIGNER_UNKNOWN:
        break;
    }
    sw_error_set(e, SW_EXIT_VERIFY,
                 "no signer is known for wash %s of %s (the signer table of data/wash.c has no "
                 "row for it)",
                 at->rq->version, at->rq->repo);
    return NULL;
}

static void note(struct sw_error *slot, const struct sw_error *e)
{
    if (!slot->code)
        *slot = *e;
}

/* Verifies one candidate; on success it becomes the outcome's bundle. */
static bool try_bundle(struct attempt *at, const char *data, size_t len, enum sw_prov_source src)
{
    struct sw_error e = {0};
    struct sw_provenance prov;
    struct sw_sigstore_policy buf;
    const struct sw_sigstore_policy *policy = release_policy(at, &buf, &e);
    double t0 = (double)sw_os_now_ms();
    int rc = policy
                 ? sw_sigstore_verify(data, len, at->env->root, at->rq->sha256, policy, &prov, &e)
                 : -1;
    at->out->verify_ms += (double)sw_os_now_ms() - t0;
    if (rc == 0) {
        at->out->prov = prov;
        at->out->source = src;
        at->out->status = SW_PROV_VERIFIED;
        sw_buf_reset(&at->out->bundle);
        sw_buf_add(&at->out->bundle, data, len);
        return true;
    }
    sw_error_wrap(&e, "bundle from %s", source_label(src));
    note(policy && prov.unsupported ? &at->unsupported : &at->failed, &e);
    return false;
}

static bool digest_is(const char *data, size_t len, const char *pin)
{
    unsigned char want[32], got[32];
    EVP_Digest(data, len, got, NULL, EVP_sha256(), NULL);
    return sw_digest_parse(pin, want) == 0 && CRYPTO_memcmp(want, got, 32) == 0;
}

static int attestation_bytes(struct sw_http *h, const struct sw_attestation *a, struct sw_buf *out,
                             struct sw_error *err)
{
    if (a->bundle) {
        sw_buf_add(out, a->bundle, a->bundle_len);
        return 0;
    }
    if (sw_attest_fetch_url(h, a->bundle_url, out, err) < 0)
        return sw_error_wrap(err, "fetching the attestation's bundle_url");
    return 0;
}

/* The attestations API: every attestation returned is tried until one verifies (or, with a
 * pin, until one has the pinned bytes). */
static void from_api(struct attempt *at, struct sw_http *h, bool *listed)
{
    const struct sw_prov_request *rq = at->rq;
    struct sw_attestations list = {0};
    struct sw_error e = {0};
    char hex[80];
    sw_digest_format(rq->sha256, hex, sizeof(hex));
    *listed = false;
    if (sw_attest_list(h, at->env->ctx->api_url, rq->repo, hex + 7, &list, &e) < 0) {
        sw_error_wrap(&e, "asking the attestations API");
        note(&at->unreachable, &e);
        return;
    }
    *listed = list.n > 0;
    for (size_t i = 0; i < list.n; i++) {
        struct sw_buf b = SW_BUF_INIT;
        sw_error_clear(&e);
        if (attestation_bytes(h, &list.items[i], &b, &e) < 0) {
            note(e.code == SW_EXIT_VERIFY ? &at->failed : &at->unreachable, &e);
        } else if (rq->pin_bundle && !digest_is(b.data ? b.data : "", b.len, rq->pin_bundle)) {
            sw_error_set(&e, SW_EXIT_VERIFY,
                         "the attestations API returns no bundle with the digest %s pins (%s)",
                         rq->lock_path, rq->pin_bundle);
            note(&at->failed, &e);
        } else {
            if (try_bundle(at, b.data ? b.data : "", b.len, SW_PROV_SOURCE_ATTESTATIONS)) {
                sw_buf_free(&b);
                break;
            }
        }
        sw_buf_free(&b);
    }
    sw_attestations_free(&list);
}

/* The asset: *found false when the release has none (404). */
static void from_asset(struct attempt *at, struct sw_http *h, bool *found)
{
    const struct sw_prov_request *rq = at->rq;
    struct sw_buf b = SW_BUF_INIT;
    struct sw_error e = {0};
    if (sw_attest_fetch_asset(h, at->env->ctx->server_url, rq->repo, rq->tag, &b, found, &e) < 0) {
        sw_error_wrap(&e, "downloading '%s'", SW_SIGSTORE_ASSET);
        note(&at->unreachable, &e);
        *found = true; /* it may well exist: do not look elsewhere */
    } else if (*found) {
        if (rq->pin_bundle && !digest_is(b.data ? b.data : "", b.len, rq->pin_bundle)) {
            char got[80];
            unsigned char md[32];
            EVP_Digest(b.data ? b.data : "", b.len, md, NULL, EVP_sha256(), NULL);
            sw_digest_format(md, got, sizeof(got));
            sw_error_set(&e, SW_EXIT_VERIFY,
                         "'%s' of %s is %s, but %s pins %s: the bundle changed since it was "
                         "locked; if that is expected, run 'setup-wash lock' again",
                         SW_SIGSTORE_ASSET, rq->tag, got, rq->lock_path, rq->pin_bundle);
            note(&at->failed, &e);
        } else {
            try_bundle(at, b.data ? b.data : "", b.len, SW_PROV_SOURCE_ASSET);
        }
    }
    sw_buf_free(&b);
}

/* The outcome's status once every candidate was tried. */
static enum sw_prov_status settle(struct attempt *at, char *detail, size_t n)
{
    const struct sw_prov_request *rq = at->rq;
    if (at->out->status == SW_PROV_VERIFIED)
        return SW_PROV_VERIFIED;
    if (at->failed.code) {
        snprintf(detail, n, "provenance of '%s' does not verify: %s", rq->asset, at->failed.msg);
        return SW_PROV_FAILED;
    }
    if (at->unsupported.code) {
        snprintf(detail, n, "the provenance of '%s' cannot be checked: %s", rq->asset,
                 at->unsupported.msg);
        return SW_PROV_UNSUPPORTED;
    }
    if (at->unreachable.code) {
        snprintf(detail, n, "the provenance bundle of '%s' could not be fetched: %s", rq->asset,
                 at->unreachable.msg);
        return SW_PROV_UNREACHABLE;
    }
    if (for_tool(rq)) {
        snprintf(detail, n,
                 "no provenance bundle was found for '%s': the attestations API lists none for "
                 "its digest, though %s attests its releases from %s",
                 rq->asset, rq->tool->display, rq->tool->attested_since);
        return SW_PROV_NOT_FOUND;
    }
    snprintf(detail, n,
             "no provenance bundle was found for '%s': release %s of %s %s, and the attestations "
             "API lists none for its digest",
             rq->asset, rq->tag, rq->repo,
             rq->has_asset == 1 ? "lists " SW_SIGSTORE_ASSET " but it is not there"
                                : "has no " SW_SIGSTORE_ASSET);
    return SW_PROV_NOT_FOUND;
}

static void fetch_and_verify(struct sw_prov_env *env, const struct sw_prov_request *rq,
                             struct sw_prov_outcome *out, struct sw_http *h)
{
    struct attempt at = {.env = env, .rq = rq, .out = out, .fetch_t0 = (double)sw_os_now_ms()};
    bool found = false;
    /* a tool's bundle comes from the attestations API only, whatever a pin says */
    enum sw_prov_source pin_source = for_tool(rq) ? SW_PROV_SOURCE_ATTESTATIONS : rq->pin_source;
    if (for_tool(rq)) {
        at.tool_policy = sw_prov_tool_policy(rq->tool, rq->repo, &at.tool_buf);
        at.signer.kind = SW_SIGNER_RELEASE;
    } else {
        sw_signer_expected(rq->repo, rq->version, &at.signer);
    }
    out->identity = at.signer.kind;
    if (rq->pin_bundle && sw_bundle_cache_get(env->ctx->cache_root, rq->pin_bundle, &out->bundle)) {
        struct sw_buf b = out->bundle;
        out->bundle = (struct sw_buf)SW_BUF_INIT;
        out->from_cache = true;
        try_bundle(&at, b.data ? b.data : "", b.len, pin_source);
        sw_buf_free(&b);
        found = true;
    } else if (rq->pin_bundle) {
        if (pin_source == SW_PROV_SOURCE_ASSET)
            from_asset(&at, h, &found);
        else
            from_api(&at, h, &found);
        /* a pinned bundle fetched again is kept, so the next locked install needs no request */
        if (out->status == SW_PROV_VERIFIED)
            sw_bundle_cache_put(env->ctx->cache_root, out->bundle.data, out->bundle.len, NULL);
    } else if (for_tool(rq)) {
        from_api(&at, h, &found);
    } else {
        struct sw_semver v;
        bool asset = rq->has_asset == 1 ||
                     (rq->has_asset < 0 && sw_semver_parse(rq->version, &v, NULL) == 0 &&
                      sw_version_has_sigstore_asset(&v));
        if (asset)
            from_asset(&at, h, &found);
        if (!found)
            from_api(&at, h, &found);
    }
    /* what is not verification is getting the bundle (from the cache, or over the network) */
    out->fetch_ms = (double)sw_os_now_ms() - at.fetch_t0 - out->verify_ms;
    out->status = settle(&at, out->detail, sizeof(out->detail));
    if (out->status == SW_PROV_VERIFIED && at.signer.kind == SW_SIGNER_REPOSITORY)
        snprintf(out->identity_note, sizeof(out->identity_note),
                 "wash %s is newer than the signer table (its newest release is %s), so its "
                 "signer was checked only as a workflow of %s: %s",
                 rq->version, at.signer.newest, rq->repo, out->prov.signer);
    out->error_code = out->status == SW_PROV_UNREACHABLE ? at.unreachable.code : 0;
}

int sw_prov_check(struct sw_prov_env *env, const struct sw_prov_request *rq,
                  struct sw_prov_outcome *out, struct sw_error *err)
{
    const char *since = NULL;
    bool attested = release_attested(rq, &since);
    memset(out, 0, sizeof(*out));
    out->tool = for_tool(rq) ? rq->tool : NULL;
    if (!sw_verify_wants_provenance(rq->mode, attested)) {
        out->status = rq->mode == SW_VERIFY_AUTO ? SW_PROV_NOT_ATTESTED : SW_PROV_SKIPPED;
    } else if (!attested) {
        out->status = SW_PROV_NOT_ATTESTED;
    } else {
        if (load_root(env, err) < 0)
            return -1;
        struct sw_http *h = sw_ctx_http(env->ctx, err); /* makes no request by itself */
        if (!h)
            return -1;
        fetch_and_verify(env, rq, out, h);
        out->verify_ms += env->root_ms;
        env->root_ms = 0; /* counted once */
    }
    char why[400]; /* why a release is not attested, for the detail and the refusal */
    if (!for_tool(rq))
        snprintf(why, sizeof(why),
                 "wash %s predates build-provenance attestations (the first attested wash is %s)",
                 rq->version, sw_attested_since);
    else if (since)
        snprintf(why, sizeof(why),
                 "%s %s predates build-provenance attestations (%s publishes provenance from %s)",
                 rq->tool->display, rq->version, rq->tool->display, since);
    else
        snprintf(why, sizeof(why), "%s publishes no build provenance (%s %s has none)",
                 rq->tool->display, rq->tool->display, rq->version);
    if (out->status == SW_PROV_NOT_ATTESTED)
        snprintf(out->detail, sizeof(out->detail), "%s, so only its digest could be checked", why);
    out->action = sw_verify_prov_action(rq->mode, out->status);
    if (out->action != SW_PROV_REJECT)
        return 0;
    const char *refused = rq->refused ? rq->refused : "nothing was installed";
    if (out->status == SW_PROV_FAILED)
        return sw_error_set(err, SW_EXIT_VERIFY, "%s; %s", out->detail, refused);
    if (out->status == SW_PROV_NOT_ATTESTED)
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "--verify provenance: %s, so its provenance cannot be verified and "
                            "%s; use --verify digest to rely on its digest alone",
                            why, refused);
    return sw_error_set(err, out->status == SW_PROV_UNREACHABLE ? out->error_code : SW_EXIT_VERIFY,
                        "--verify provenance: %s; %s", out->detail, refused);
}

int sw_prov_precheck(struct sw_prov_env *env, const struct sw_prov_request *rq,
                     struct sw_error *err)
{
    const char *since = NULL;
    if (rq->mode != SW_VERIFY_PROVENANCE || release_attested(rq, &since))
        return 0;
    /* not attested: sw_prov_check decides on the version alone, fetching and hashing nothing */
    struct sw_prov_outcome o;
    int rc = sw_prov_check(env, rq, &o, err);
    sw_prov_outcome_free(&o);
    return rc;
}

int sw_prov_verify_other(struct sw_prov_env *env, const struct sw_prov_outcome *o, const char *repo,
                         const unsigned char sha256[32], struct sw_error *err)
{
    struct sw_provenance prov;
    struct sw_prov_tool_policy buf;
    const struct sw_sigstore_policy *policy = o->tool && !o->tool->wash
                                                  ? sw_prov_tool_policy(o->tool, repo, &buf)
                                                  : sw_sigstore_policy_wash(repo);
    if (!env->root || !policy)
        return sw_error_set(err, SW_EXIT_VERIFY, "no verified bundle to check against");
    return sw_sigstore_verify(o->bundle.data ? o->bundle.data : "", o->bundle.len, env->root,
                              sha256, policy, &prov, err);
}

int sw_prov_lock(struct sw_prov_env *env, const struct sw_prov_lock_request *rq,
                 struct sw_prov_lock_result *out, struct sw_error *err)
{
    struct sw_ctx *ctx = env->ctx;
    struct sw_prov_outcome o = {0};
    struct sw_buf missing = SW_BUF_INIT;
    unsigned char sha[32];
    size_t nmissing = 0;
    int rc = -1;
    memset(out, 0, sizeof(*out));
    if (rq->mode == SW_VERIFY_NONE || rq->mode == SW_VERIFY_DIGEST || rq->n == 0)
        return 0;
    sw_digest_parse(rq->digests[0], sha);
    struct sw_prov_request prq = {
        .mode = rq->mode,
        .version = rq->version,
        .tag = rq->tag,
        .repo = rq->repo,
        .asset = rq->names[0],
        .sha256 = sha,
        .has_asset = rq->has_asset,
        .lock_path = rq->lock_path,
        .refused = "nothing was locked",
        .tool = rq->tool,
    };
    if (sw_prov_check(env, &prq, &o, err) < 0)
        goto out;
    if (o.action == SW_PROV_WARN)
        sw_warn(ctx, "%s; %s pins no provenance for %s %s", o.detail, rq->lock_path, rq->what,
                rq->version);
    else if (o.action == SW_PROV_DIGEST_ONLY)
        sw_info(ctx, "%s pins the digests of %s %s only: %s", rq->lock_path, rq->what,
                rq->version, o.detail);
    if (o.action != SW_PROV_ACCEPT) {
        rc = 0;
        goto out;
    }
    if (o.identity_note[0])
        sw_info(ctx, "%s", o.identity_note);
    /* one bundle lists every binary of a release: check that this one does */
    for (size_t i = 1; i < rq->n; i++) {
        struct sw_error e = {0};
        if (sw_digest_parse(rq->digests[i], sha) == 0 &&
            sw_prov_verify_other(env, &o, rq->repo, sha, &e) == 0)
            continue;
        sw_buf_printf(&missing, "%s%s", nmissing++ ? ", " : "", rq->names[i]);
    }
    if (nmissing)
        sw_warn(ctx,
                "the provenance bundle of %s %s does not list %zu of its %zu builds (%s): "
                "installs of those will fail the provenance check",
                rq->what, rq->version, nmissing, rq->n, sw_buf_str(&missing));
    if (sw_bundle_cache_put(ctx->cache_root, o.bundle.data, o.bundle.len, err) < 0)
        goto out;
    out->pinned = true;
    out->source = o.source;
    snprintf(out->bundle, sizeof(out->bundle), "%s", o.prov.bundle_digest);
    snprintf(out->signer, sizeof(out->signer), "%s", o.prov.signer);
    rc = 0;
out:
    sw_buf_free(&missing);
    sw_prov_outcome_free(&o);
    return rc;
}
