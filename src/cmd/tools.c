/* The toolchain beside wash: resolve, download (all at once), verify, unpack, cache, report. */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/install.h"
#include "cmd/provenance.h"
#include "cmd/tools.h"
#include "core/buf.h"
#include "core/text.h"
#include "core/tool.h"
#include "gha/gha.h"
#include "io/archive.h"
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

/* ---- one tool's way through a run ---- */

struct job {
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
    struct sw_installed in; /* what the marker says (hit) or what was installed */
};

static void job_free(struct job *j)
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

static bool version_attested(const struct sw_tool *t, const char *version)
{
    struct sw_semver v, since;
    return t->check == SW_TOOL_CHECK_ATTESTATIONS && t->attested_since &&
           sw_semver_parse(version, &v, NULL) == 0 &&
           sw_semver_parse(t->attested_since, &since, NULL) == 0 && sw_semver_cmp(&v, &since) >= 0;
}

static void layout_init(struct sw_ctx *ctx, const struct sw_plan *plan, struct job *j)
{
    const struct sw_tool *t = j->tool;
    bool win = sw_tool_target_is_windows(plan->target.triple);
    j->arch = plan->target_is_host ? sw_target_cache_arch(&plan->target) : plan->target.triple;
    j->version_dir = sw_xasprintf("%s/%s/%s", ctx->cache_root, t->name, j->version);
    j->dir = sw_xasprintf("%s/%s", j->version_dir, j->arch);
    j->marker = sw_xasprintf("%s.complete", j->dir);
    j->files = sw_xasprintf("%s.files", j->dir);
    j->lockfile = sw_xasprintf("%s/.setup-wash/locks/%s-%s-%s.lock", ctx->cache_root, t->name,
                               j->version, j->arch);
    j->exe = sw_xasprintf("%s/%s%s", j->dir, t->exe, win ? ".exe" : "");
    j->bin = t->bin[0] ? sw_xasprintf("%s/%s", j->dir, t->bin) : sw_xstrdup(j->dir);
    j->staging = sw_xasprintf("%s/%s/.staging-%s-%s", ctx->cache_root, t->name, j->version,
                              j->arch);
    j->download = sw_path_join(j->staging, "download");
}

/* ---- resolution ---- */

/* The provenance bundle the lock pins for the job's version. */
static void take_prov_pin(struct job *j)
{
    if (j->pin && j->pin->prov_source != SW_PROV_SOURCE_NONE && j->pin->prov_bundle) {
        j->prov_source = j->pin->prov_source;
        snprintf(j->prov_bundle, sizeof(j->prov_bundle), "%s", j->pin->prov_bundle);
    }
}

/* The lock pins this version with an asset for the target: no request at all. */
static bool resolve_from_pin(const struct sw_plan *plan, struct job *j)
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

static int list_all(struct sw_ctx *ctx, struct sw_http *h, struct job *j, struct sw_error *err)
{
    const char *repos[8];
    size_t n = sw_tool_repos(j->tool, repos, 8);
    for (size_t i = 0; i < n; i++)
        if (sw_github_list_releases(h, ctx->api_url, repos[i], &j->rs, err) < 0)
            return -1;
    return 0;
}

/* The release the spec selects: by tag for an exact version, else the newest match. */
static int select_release(struct sw_ctx *ctx, const struct sw_plan *plan, struct job *j,
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
    if (list_all(ctx, h, j, err) < 0 ||
        sw_releases_select(&j->rs, spec, &plan->cooldown, &idx, &held, err) < 0)
        return -1;
    j->release = &j->rs.items[idx];
    if (held != SIZE_MAX) {
        sw_semver_str(&j->rs.items[held].version, j->held_back, sizeof(j->held_back));
        sw_info(ctx, "%s %s is held back by --min-release-age; taking %s", j->tool->display,
                j->held_back, sw_semver_str(&j->release->version, j->version, sizeof(j->version)));
    }
    return 0;
}

static int resolve_job(struct sw_ctx *ctx, const struct sw_plan *plan, struct job *j,
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
    if (select_release(ctx, plan, j, j->spec, err) < 0)
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
    j->attested = version_attested(j->tool, j->version);
    return 0;
}

/* ---- the cache ---- */

/* Whether what the marker says was checked satisfies the mode. "checksums" proves the bytes as
 * a digest does; "none" (nothing could vouch) is taken by auto only while nothing can. */
static bool verified_enough(const struct sw_plan *plan, const struct job *j,
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
static bool job_hit(struct sw_ctx *ctx, const struct sw_plan *plan, struct job *j)
{
    struct sw_installed *in = &j->in;
    struct sw_tree *tree = NULL;
    struct sw_tree_verdict v;
    bool ok = false;
    if (!sw_install_read_marker(j->marker, in) || strcmp(in->asset, j->asset) != 0 ||
        (j->digest[0] && strcmp(in->digest, j->digest) != 0) || !verified_enough(plan, j, in))
        return false;
    struct sw_error e = {0};
    if (sw_tree_load(j->files, &tree, &e) < 0 || sw_tree_verify(tree, j->dir, &v, &e) < 0) {
        sw_info(ctx, "the cached %s %s cannot be proven (%s): installing it again",
                j->tool->display, j->version, e.msg);
        goto out;
    }
    if (!v.ok) {
        sw_warn(ctx, "the cached %s %s in '%s' is not what was installed: %s; installing it again",
                j->tool->display, j->version, j->dir, v.why);
        goto out;
    }
    if (v.restamped)
        sw_tree_save(tree, j->files, NULL); /* a failure costs a re-hash next time, no more */
    ok = true;
out:
    sw_tree_free(tree);
    return ok;
}

/* ---- verification ---- */

/* The digest of `asset` in a sha256sum-style checksum file ("<hex>  <name>", "<hex> *<name>"):
 * 0 and digest[] ("sha256:<hex>"), or -1 when no line names it. */
static int checksum_of(const struct sw_buf *file, const char *asset, char *digest, size_t n)
{
    const char *p = file->data ? file->data : "", *end = p + file->len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        size_t len = (size_t)(le - p);
        if (len > 0 && p[len - 1] == '\r')
            len--;
        size_t h = 0;
        while (h < len && isxdigit((unsigned char)p[h]))
            h++;
        if (h == 64 && h < len && (p[h] == ' ' || p[h] == '\t')) {
            size_t s = h;
            while (s < len && (p[s] == ' ' || p[s] == '\t'))
                s++;
            if (s < len && p[s] == '*')
                s++;
            if (len - s == strlen(asset) && memcmp(p + s, asset, len - s) == 0) {
                char hex[65];
                for (size_t i = 0; i < 64; i++)
                    hex[i] = (char)tolower((unsigned char)p[i]);
                hex[64] = '\0';
                snprintf(digest, n, "sha256:%s", hex);
                return 0;
            }
        }
        p = nl ? nl + 1 : end;
    }
    return -1;
}

/* Checks the downloaded bytes: size, the expected digest, the checksum file, provenance.
 * Fills in->digest, in->verified and in->prov. */
static int verify_job(struct sw_ctx *ctx, const struct sw_plan *plan, struct job *j,
                      struct sw_error *err)
{
    struct sw_installed *in = &j->in;
    const char *name = j->tool->display;
    char actual[80];
    sw_digest_format(j->reply.sha256, actual, sizeof(actual));
    snprintf(in->digest, sizeof(in->digest), "%s", actual);
    memset(&in->prov, 0, sizeof(in->prov));
    in->has_prov = true;
    snprintf(in->prov.status, sizeof(in->prov.status), "%s",
             sw_prov_status_name(j->attested ? SW_PROV_SKIPPED : SW_PROV_NOT_ATTESTED));
    if (j->size >= 0 && j->reply.size != (uint64_t)j->size)
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "'%s' is %llu bytes but the release declares %lld: the download was "
                            "discarded",
                            j->asset, (unsigned long long)j->reply.size, (long long)j->size);
    if (plan->verify == SW_VERIFY_NONE) {
        sw_warn(ctx, "--verify none: %s %s ('%s') was installed without checking its digest (%s)",
                name, j->version, j->asset, actual);
        snprintf(in->verified, sizeof(in->verified), "none");
        snprintf(in->prov.status, sizeof(in->prov.status), "%s",
                 sw_prov_status_name(SW_PROV_SKIPPED));
        return 0;
    }
    const char *verified = NULL;
    if (j->digest[0]) {
        struct sw_verify_input vin = {.asset = j->asset,
                                      .sha256 = j->reply.sha256,
                                      .expected = j->digest,
                                      .expected_source = j->digest_source};
        struct sw_verify_result vr;
        if (sw_verify_artifact(plan->verify, &vin, &vr, err) < 0)
            return -1;
        verified = "digest";
    }
    if (j->tool->check == SW_TOOL_CHECK_CHECKSUMS && !j->from_lock) {
        char want[80];
        if (j->cerr.code)
            return sw_error_set(err, j->cerr.code,
                                "the checksum file '%s' of %s %s could not be read: %s",
                                j->tool->checksums, name, j->version, j->cerr.msg);
        if (checksum_of(&j->checksums, j->asset, want, sizeof(want)) < 0)
            return sw_error_set(err, SW_EXIT_VERIFY,
                                "'%s' of %s %s (%s) has no line for '%s': refusing an asset its "
                                "release does not vouch for",
                                j->tool->checksums, name, j->version, j->tag, j->asset);
        if (strcmp(want, actual) != 0)
            return sw_error_set(err, SW_EXIT_VERIFY,
                                "'%s' does not match '%s' of %s %s: the file lists %s, the "
                                "download is %s; nothing was installed",
                                j->asset, j->tool->checksums, name, j->version, want, actual);
        verified = "checksums";
    }
    if (!verified) {
        if (plan->verify != SW_VERIFY_AUTO)
            return sw_error_set(err, SW_EXIT_VERIFY,
                                "--verify %s: nothing vouches for '%s' of %s %s (the GitHub API "
                                "reports no digest and the release publishes no checksums); pin "
                                "it with 'setup-wash lock %s@%s' after checking it, or use "
                                "--verify auto",
                                sw_verify_mode_name(plan->verify), j->asset, name, j->version,
                                j->tool->name, j->version);
        sw_warn(ctx, "nothing vouches for '%s' of %s %s (no digest from the GitHub API, no "
                "checksum file, no lock pin): installed with verified: none (%s); "
                "'setup-wash lock %s@%s' pins it for later runs",
                j->asset, name, j->version, actual, j->tool->name, j->version);
        snprintf(in->verified, sizeof(in->verified), "none");
        return 0;
    }
    snprintf(in->verified, sizeof(in->verified), "%s", verified);
    if (!j->attested) {
        if (plan->verify == SW_VERIFY_PROVENANCE)
            return sw_error_set(err, SW_EXIT_VERIFY,
                                "--verify provenance: %s %s publishes no build provenance%s%s",
                                name, j->version,
                                j->tool->attested_since ? "; it is published from " : "",
                                j->tool->attested_since ? j->tool->attested_since : "");
        return 0;
    }

    struct sw_prov_env env = {.ctx = ctx, .trusted_root = plan->trusted_root};
    struct sw_prov_request rq = {
        .mode = plan->verify,
        .version = j->version,
        .tag = j->tag,
        .repo = j->repo,
        .asset = j->asset,
        .sha256 = j->reply.sha256,
        .has_asset = 0,
        .pin_source = j->prov_source,
        .pin_bundle = j->prov_bundle[0] ? j->prov_bundle : NULL,
        .lock_path = plan->lock_path,
        .tool = j->tool,
    };
    struct sw_prov_outcome o;
    int rc = sw_prov_check(&env, &rq, &o, err);
    snprintf(in->prov.status, sizeof(in->prov.status), "%s", sw_prov_status_name(o.status));
    snprintf(in->prov.detail, sizeof(in->prov.detail), "%s", o.detail);
    if (rc == 0 && o.action == SW_PROV_ACCEPT) {
        snprintf(in->verified, sizeof(in->verified), "provenance");
        snprintf(in->prov.source, sizeof(in->prov.source), "%s", sw_prov_source_name(o.source));
        snprintf(in->prov.identity, sizeof(in->prov.identity), "release");
        in->prov.p = o.prov;
        sw_info(ctx, "%s %s: provenance verified: %s, signed %s, Rekor log index %lld", name,
                j->version, o.prov.signer, o.prov.signed_at_text, o.prov.log_index);
    } else if (rc == 0 && o.action == SW_PROV_WARN) {
        sw_warn(ctx, "%s %s: %s; only the %s was checked", name, j->version, o.detail,
                verified);
    } else if (rc == 0) {
        sw_info(ctx, "%s %s: %s", name, j->version, o.detail);
    }
    sw_prov_outcome_free(&o);
    sw_prov_env_free(&env);
    return rc;
}

/* ---- unpacking and placing ---- */

/* The extractor's callbacks record into the job's tree (on the stream's thread for a streamed
 * archive, which alone touches the tree until it is finished). */
static int on_file(void *ud, const char *rel, const unsigned char sha256[32], uint64_t size,
                   const struct sw_os_stat *st, struct sw_error *err)
{
    (void)err;
    char stamp[SW_FS_STAMP_MAX];
    sw_fs_stamp(st, stamp, sizeof(stamp));
    sw_tree_add_file(((struct job *)ud)->tree, rel, sha256, size, stamp);
    return 0;
}

static int on_link(void *ud, const char *rel, const char *target, struct sw_error *err)
{
    (void)err;
    sw_tree_add_link(((struct job *)ud)->tree, rel, target);
    return 0;
}

/* The download started over and so does the extraction: what was recorded is gone. */
static void on_restart(void *ud)
{
    struct job *j = ud;
    sw_tree_free(j->tree);
    j->tree = sw_tree_new();
}

static struct sw_extract_limits extract_limits(struct job *j)
{
    return (struct sw_extract_limits){
        .max_bytes = j->tool->max_bytes,
        .max_entries = j->tool->max_entries,
        .allow_symlinks = true,
        .on_file = on_file,
        .on_link = on_link,
        .ud = j,
    };
}

/* Whether the asset is unpacked as it downloads: a tar.gz, which the extractor reads front to
 * back. A zip is spooled to a file first (its central directory, at the end, holds the modes
 * and links), and a raw executable is the file. */
static bool streams(const char *asset)
{
    size_t n = strlen(asset);
    return (n > 7 && strcmp(asset + n - 7, ".tar.gz") == 0) ||
           (n > 4 && strcmp(asset + n - 4, ".tgz") == 0);
}

/* The single top folder of an unpacked archive, which becomes the root: its name, or NULL when
 * the top holds anything else (the caller frees it). */
static char *single_top(const char *dir)
{
    struct sw_os_dir *d = sw_os_opendir(dir);
    char *top = NULL;
    size_t count = 0;
    for (const char *e; d && (e = sw_os_readdir(d));)
        if (count++ == 0)
            top = sw_xstrdup(e);
    sw_os_closedir(d);
    if (count != 1) {
        free(top);
        return NULL;
    }
    char *p = sw_path_join(dir, top);
    struct sw_os_stat st;
    bool is_dir = sw_os_stat(p, false, &st) == 0 && st.kind == SW_OS_DIR;
    free(p);
    if (!is_dir) {
        free(top);
        return NULL;
    }
    return top;
}

/* Unpacks (or places) the verified download into the staging directory, or takes what the
 * stream unpacked, and moves the root to its place with its manifest and marker. */
static int place_job(struct sw_ctx *ctx, const struct sw_plan *plan, struct job *j,
                     struct sw_error *err)
{
    const struct sw_tool *t = j->tool;
    char *unpacked = sw_path_join(j->staging, "unpacked"), *root = NULL, *top = NULL;
    char *exe_rel = sw_xasprintf("%s%s", t->exe,
                                 sw_tool_target_is_windows(plan->target.triple) ? ".exe" : "");
    bool moved = false;
    int rc = -1;
    if (!j->tree)
        j->tree = sw_tree_new();
    struct sw_tree *tree = j->tree;
    if (streams(j->asset)) {
        /* unpacked while it downloaded (prepare_staging); the digest is proven since */
        if (j->xrc < 0) {
            *err = j->xerr;
            sw_error_wrap(err, "unpacking '%s'", j->asset);
            goto out;
        }
    } else if (sw_os_mkdir(unpacked, 0755) < 0) {
        sw_error_set(err, SW_EXIT_FS, "cannot create '%s': %s", unpacked, strerror(errno));
        goto out;
    } else if (sw_asset_is_archive(j->asset)) {
        struct sw_extract_limits lim = extract_limits(j);
        if (sw_archive_extract(j->download, unpacked, &lim, err) < 0) {
            sw_error_wrap(err, "unpacking '%s'", j->asset);
            goto out;
        }
    }
    if (sw_asset_is_archive(j->asset)) {
        top = single_top(unpacked);
        if (top) {
            root = sw_path_join(unpacked, top);
            sw_tree_strip(tree, top);
        } else {
            root = sw_xstrdup(unpacked);
        }
    } else {
        /* a raw executable: the download is the file (wkg's Windows build gets its .exe) */
        root = sw_xstrdup(unpacked);
        char *dest = sw_path_join(root, exe_rel);
        struct sw_os_stat st;
        char stamp[SW_FS_STAMP_MAX];
        sw_os_close(j->fd);
        j->fd = -1;
        int mv = sw_os_rename(j->download, dest) < 0 || sw_os_chmod(dest, 0755) < 0 ||
                         sw_os_stat(dest, false, &st) < 0
                     ? -1
                     : 0;
        if (mv == 0) {
            sw_fs_stamp(&st, stamp, sizeof(stamp));
            sw_tree_add_file(tree, exe_rel, j->reply.sha256, j->reply.size, stamp);
        } else {
            sw_error_set(err, SW_EXIT_FS, "cannot place '%s': %s", dest, strerror(errno));
        }
        free(dest);
        if (mv < 0)
            goto out;
    }
    const char *exe_digest = sw_tree_digest_of(tree, exe_rel);
    if (!exe_digest) {
        sw_error_set(err, SW_EXIT_VERIFY, "'%s' holds no '%s'%s: it is not a %s release layout",
                     j->asset, exe_rel, top ? " inside its top folder" : "", t->display);
        goto out;
    }
    char exe_digest_copy[80];
    snprintf(exe_digest_copy, sizeof(exe_digest_copy), "%s", exe_digest);

    /* into place: a leftover of an interrupted install (no marker) is replaced */
    if (sw_fs_mkdir_p(j->version_dir, 0755, err) < 0 || sw_fs_rm_rf(j->marker, err) < 0 ||
        sw_fs_rm_rf(j->files, err) < 0 || sw_fs_rm_rf(j->dir, err) < 0)
        goto out;
    if (sw_os_rename(root, j->dir) < 0) {
        sw_error_set(err, SW_EXIT_FS, "cannot move the install into '%s': %s", j->dir,
                     strerror(errno));
        goto out;
    }
    moved = true;
    snprintf(j->in.tag, sizeof(j->in.tag), "%s", j->tag);
    snprintf(j->in.repo, sizeof(j->in.repo), "%s", j->repo);
    snprintf(j->in.asset, sizeof(j->in.asset), "%s", j->asset);
    if (sw_tree_save(tree, j->files, err) < 0 ||
        sw_install_write_marker(j->marker, j->version, j->tag, j->repo, j->asset, j->in.digest,
                                j->in.verified, exe_digest_copy, "", &j->in.prov, err) < 0)
        goto out;
    rc = 0;
out:
    if (rc < 0 && moved) {
        sw_fs_rm_rf(j->marker, NULL);
        sw_fs_rm_rf(j->files, NULL);
        sw_fs_rm_rf(j->dir, NULL);
    }
    (void)ctx;
    free(unpacked);
    free(root);
    free(top);
    free(exe_rel);
    return rc;
}

/* ---- the run ---- */

static void human_size(int64_t n, char *buf, size_t len)
{
    if (n < 0)
        snprintf(buf, len, "size unknown");
    else if (n < 1048576)
        snprintf(buf, len, "%.1f KiB", (double)n / 1024.0);
    else
        snprintf(buf, len, "%.1f MiB", (double)n / 1048576.0);
}

/* A fresh staging directory, and in it the download's file, or for a streamed archive the
 * thread that unpacks it into <staging>/unpacked as it arrives. */
static int prepare_staging(struct job *j, struct sw_error *err)
{
    char *parent = sw_xstrndup(j->staging, (size_t)(strrchr(j->staging, '/') - j->staging));
    int rc = sw_fs_mkdir_p(parent, 0755, err);
    free(parent);
    /* one staging directory per tool, version and arch, used only under that lock: what a
     * killed install left there is stale by definition */
    if (rc < 0 || sw_fs_rm_rf(j->staging, err) < 0)
        return -1;
    if (sw_os_mkdir(j->staging, 0755) < 0)
        return sw_error_set(err, SW_EXIT_FS, "cannot write in '%s': %s", j->staging,
                            strerror(errno));
    if (streams(j->asset)) {
        /* Unpacked before its digest is checked: acceptable only because the extractor is
         * hardened (io/archive.h: no entry leaves its directory, sizes and counts are capped)
         * and writes into staging, which is renamed into place only after every check passed
         * (download_and_place) and removed otherwise. */
        char *unpacked = sw_path_join(j->staging, "unpacked");
        struct sw_stream_spec spec = {.what = j->asset,
                                      .dest = unpacked,
                                      .limits = extract_limits(j),
                                      .on_restart = on_restart};
        j->tree = sw_tree_new();
        rc = sw_stream_start(&spec, &j->stream, err);
        free(unpacked);
        return rc;
    }
    if ((j->fd = sw_os_open(j->download, SW_O_RDWR | SW_O_CREAT | SW_O_EXCL, 0600)) < 0)
        return sw_error_set(err, SW_EXIT_FS, "cannot write in '%s': %s", j->staging,
                            strerror(errno));
    return 0;
}

/* Waits for every stream's thread: after it, nothing writes in a staging directory. */
static void finish_streams(struct job *jobs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (jobs[i].stream) {
            jobs[i].xrc = sw_stream_finish(jobs[i].stream, &jobs[i].xerr);
            jobs[i].stream = NULL;
        }
}

/* Downloads every job that is not a hit at once (with the checksum files), then checks and
 * places each. The first failure is returned; every staging directory is removed. */
static int download_and_place(struct sw_ctx *ctx, const struct sw_plan *plan, struct job *jobs,
                              size_t n, struct sw_error *err)
{
    struct sw_http *h = sw_ctx_http(ctx, err);
    if (!h)
        return -1;
    struct sw_http_request *rqs = sw_xcalloc(2 * n + 1, sizeof(*rqs));
    struct sw_http_reply *replies = sw_xcalloc(2 * n + 1, sizeof(*replies));
    struct sw_error *errs = sw_xcalloc(2 * n + 1, sizeof(*errs));
    char **urls = sw_xcalloc(2 * n + 1, sizeof(*urls));
    size_t *owner = sw_xcalloc(2 * n + 1, sizeof(*owner));
    size_t m = 0;
    int rc = -1;
    for (size_t i = 0; i < n; i++) {
        struct job *j = &jobs[i];
        if (j->hit)
            continue;
        if (prepare_staging(j, err) < 0)
            goto out;
        char sz[32];
        human_size(j->size, sz, sizeof(sz));
        sw_info(ctx, "downloading %s (%s) from %s", j->asset, sz, j->repo);
        urls[m] = sw_github_download_url(ctx->server_url, j->repo, j->tag, j->asset);
        rqs[m] = (struct sw_http_request){.url = urls[m],
                                          .sink = j->stream ? sw_stream_sink(j->stream) : NULL,
                                          .fd = j->fd,
                                          .max_size = j->size > 0 ? (uint64_t)j->size : 0};
        owner[m++] = i;
        if (j->tool->check == SW_TOOL_CHECK_CHECKSUMS && !j->from_lock) {
            urls[m] = sw_github_download_url(ctx->server_url, j->repo, j->tag, j->tool->checksums);
            rqs[m] = (struct sw_http_request){
                .url = urls[m], .body = &j->checksums, .fd = -1, .max_size = 1u << 20};
            owner[m++] = i | ((size_t)1 << (sizeof(size_t) * 8 - 1));
        }
    }
    long t0 = sw_os_now_ms();
    if (m > 0)
        sw_http_fetch_many(h, rqs, replies, errs, m);
    finish_streams(jobs, n);
    long ms = sw_os_now_ms() - t0;
    size_t high = (size_t)1 << (sizeof(size_t) * 8 - 1);
    for (size_t k = 0; k < m; k++) {
        struct job *j = &jobs[owner[k] & ~high];
        if (owner[k] & high) {
            j->creply = replies[k];
            j->cerr = errs[k];
        } else {
            j->reply = replies[k];
            j->derr = errs[k];
        }
    }
    if (m > 0)
        sw_info(ctx, "downloaded %zu file%s in %.2f s", m, m == 1 ? "" : "s", (double)ms / 1e3);
    for (size_t i = 0; i < n; i++) {
        struct job *j = &jobs[i];
        if (j->hit)
            continue;
        if (j->derr.code) {
            *err = j->derr;
            sw_error_wrap(err, "downloading '%s' of %s %s", j->asset, j->tool->display,
                          j->version);
            goto out;
        }
        if (verify_job(ctx, plan, j, err) < 0 || place_job(ctx, plan, j, err) < 0) {
            sw_error_wrap(err, "installing %s %s", j->tool->display, j->version);
            goto out;
        }
    }
    rc = 0;
out:
    finish_streams(jobs, n);
    for (size_t i = 0; i < n; i++)
        if (!jobs[i].hit && jobs[i].staging) {
            if (jobs[i].fd >= 0)
                sw_os_close(jobs[i].fd);
            jobs[i].fd = -1;
            sw_fs_rm_rf(jobs[i].staging, NULL);
        }
    for (size_t k = 0; k < m; k++)
        free(urls[k]);
    free(urls);
    free(rqs);
    free(replies);
    free(errs);
    free(owner);
    return rc;
}

/* ---- reporting ---- */

static cJSON *job_json(const struct sw_plan *plan, const struct job *j, const char *exe,
                       const char *dir, const char *bin)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", j->tool->name);
    cJSON_AddStringToObject(o, "version", j->version);
    cJSON_AddStringToObject(o, "tag", j->in.tag[0] ? j->in.tag : j->tag);
    cJSON_AddStringToObject(o, "repository", j->in.repo[0] ? j->in.repo : j->repo);
    cJSON_AddStringToObject(o, "target", plan->target.triple);
    cJSON_AddStringToObject(o, "asset", j->asset);
    cJSON_AddStringToObject(o, "digest", j->in.digest);
    cJSON_AddStringToObject(o, "path", exe);
    cJSON_AddStringToObject(o, "dir", dir);
    cJSON_AddStringToObject(o, "bin", bin);
    cJSON_AddStringToObject(o, "verified", j->in.verified);
    cJSON_AddStringToObject(o, "provenance", j->in.has_prov ? j->in.prov.status : "skipped");
    cJSON_AddBoolToObject(o, "cache-hit", j->hit);
    cJSON_AddStringToObject(o, "held-back", j->held_back);
    return o;
}

static int report_job(struct sw_ctx *ctx, const struct sw_plan *plan, const struct job *j,
                      cJSON *json, struct sw_buf *summary, struct sw_error *err)
{
    char *exe = sw_os_path_out(j->exe), *dir = sw_os_path_out(j->dir),
         *bin = sw_os_path_out(j->bin);
    char *oname = sw_xasprintf("%s-version", j->tool->name),
         *opath = sw_xasprintf("%s-path", j->tool->name);
    const char *names[] = {oname, opath}, *vals[] = {j->version, exe};
    int rc = -1;
    if (ctx->github_path && sw_gha_check_path(bin, err) < 0)
        goto out;
    if (ctx->github_output && sw_gha_set_outputs(ctx->github_output, names, vals, 2, err) < 0)
        goto out;
    if (ctx->github_path && sw_gha_add_path(ctx->github_path, bin, err) < 0)
        goto out;
    if (ctx->github_env && j->tool->root_env &&
        sw_gha_set_output(ctx->github_env, j->tool->root_env, dir, err) < 0)
        goto out;
    sw_buf_printf(summary, "| %s | ", j->tool->display);
    sw_md_cell(summary, j->version);
    sw_buf_adds(summary, " | ");
    sw_md_cell(summary, j->asset);
    sw_buf_printf(summary, " | %s | %s | ", j->in.verified, j->hit ? "yes" : "no");
    sw_md_cell(summary, exe);
    sw_buf_adds(summary, " |\n");
    if (json) {
        cJSON_AddItemToArray(json, job_json(plan, j, exe, dir, bin));
    } else {
        bool none = strcmp(j->in.verified, "none") == 0;
        sw_result(ctx, "%s %s installed at %s (%s, %s%s%s)", j->tool->display, j->version, exe,
                  plan->target.triple, none ? "unverified" : "verified by ",
                  none ? "" : j->in.verified, j->hit ? "; cache hit" : "");
        if (!ctx->github_path)
            sw_result(ctx, "add it to PATH: export PATH=\"%s%s$PATH\"", bin,
                      SW_ON_WINDOWS ? ";" : ":");
        if (!ctx->github_env && j->tool->root_env)
            sw_result(ctx, "and set %s=\"%s\"", j->tool->root_env, dir);
    }
    rc = 0;
out:
    free(exe);
    free(dir);
    free(bin);
    free(oname);
    free(opath);
    return rc;
}

/* Jobs in table order, so two runs take their locks in one order. A bare TOOL takes the
 * version the lock pins (install, resolve) or the spec it was locked from (lock), as wash does
 * without --version. */
static struct job *jobs_new(const struct sw_plan *plan, const struct sw_tool_reqs *reqs,
                            bool relock)
{
    struct job *jobs = sw_xcalloc(reqs->n + 1, sizeof(*jobs));
    size_t n = 0;
    for (size_t t = 0; t < sw_tools_len; t++)
        for (size_t i = 0; i < reqs->n; i++)
            if (reqs->items[i].tool == &sw_tools[t]) {
                struct job *j = &jobs[n++];
                j->req = &reqs->items[i];
                j->tool = j->req->tool;
                j->pin = plan->lock ? sw_lock_tool_named(plan->lock, j->tool->name) : NULL;
                j->spec = &j->req->spec;
                const char *pinned = !j->pin ? NULL
                                     : relock ? (j->pin->requested ? j->pin->requested : "latest")
                                              : j->pin->version;
                if (j->req->bare && pinned && sw_spec_parse(pinned, &j->own, NULL) == 0)
                    j->spec = &j->own;
                j->fd = -1;
                j->lockfd = -1;
            }
    return jobs;
}

static void jobs_free(struct job *jobs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        job_free(&jobs[i]);
    free(jobs);
}

/* An exact version (or a lock pin) whose install is complete and proven: no request. The asset
 * name comes from the table, the expected digest from the lock when it pins the version. */
static bool early_hit(struct sw_ctx *ctx, const struct sw_plan *plan, struct job *j)
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
    j->attested = version_attested(j->tool, j->version);
    layout_init(ctx, plan, j);
    bool hit = job_hit(ctx, plan, j);
    if (hit) {
        snprintf(j->tag, sizeof(j->tag), "%s", j->in.tag);
        snprintf(j->repo, sizeof(j->repo), "%s", j->in.repo);
    }
    return hit;
}

static void layout_reset(struct job *j)
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
    struct job *jobs = jobs_new(plan, reqs, false);
    size_t n = reqs->n;
    struct sw_buf summary = SW_BUF_INIT;
    int rc = -1;
    char *lockdir = sw_path_join(ctx->cache_root, ".setup-wash/locks");
    if (sw_fs_mkdir_p(lockdir, 0755, err) < 0)
        goto out;
    for (size_t i = 0; i < n; i++) {
        struct job *j = &jobs[i];
        if (early_hit(ctx, plan, j)) {
            j->hit = true;
            continue;
        }
        layout_reset(j);
        if (resolve_job(ctx, plan, j, err) < 0)
            goto out;
        layout_init(ctx, plan, j);
    }
    /* under each job's lock, in table order: a concurrent run of the same tool waits here and
     * then finds the first one's install */
    for (size_t i = 0; i < n; i++) {
        struct job *j = &jobs[i];
        if (j->hit)
            continue;
        if ((j->lockfd = sw_fs_lock(j->lockfile, err)) < 0)
            goto out;
        j->hit = job_hit(ctx, plan, j);
    }
    if (download_and_place(ctx, plan, jobs, n, err) < 0)
        goto out;
    sw_buf_adds(&summary, "### toolchain\n\n| tool | version | asset | verified | cache hit | "
                          "path |\n|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < n; i++)
        if (report_job(ctx, plan, &jobs[i], json, &summary, err) < 0)
            goto out;
    sw_buf_adds(&summary, "\n");
    if (n && ctx->step_summary && sw_gha_summary(ctx->step_summary, sw_buf_str(&summary), err) < 0)
        goto out;
    rc = 0;
out:
    sw_buf_free(&summary);
    free(lockdir);
    jobs_free(jobs, n);
    return rc;
}

/* The check install would make, as the output names it. */
static const char *planned_check(const struct sw_plan *plan, const struct job *j)
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
    struct job *jobs = jobs_new(plan, reqs, false);
    int rc = -1;
    for (size_t i = 0; i < reqs->n; i++) {
        struct job *j = &jobs[i];
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
    jobs_free(jobs, reqs->n);
    return rc;
}

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

static int lock_one(struct sw_ctx *ctx, const struct sw_plan *plan, struct job *j,
                    struct sw_lock *lock, struct sw_error *err)
{
    struct sw_http *h = sw_ctx_http(ctx, err);
    struct sw_tool_target_asset all[16];
    struct lock_asset la[16];
    struct sw_buf sums = SW_BUF_INIT;
    size_t nla = 0;
    int rc = -1;
    memset(la, 0, sizeof(la));
    if (!h || select_release(ctx, plan, j, j->spec, err) < 0) {
        sw_error_wrap(err, "%s", j->tool->display);
        goto out;
    }
    const struct sw_release *r = j->release;
    sw_semver_str(&r->version, j->version, sizeof(j->version));
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
            if (checksum_of(&sums, a->name, a->digest, sizeof(a->digest)) < 0) {
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
    if (version_attested(j->tool, j->version)) {
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
    struct job *jobs = jobs_new(plan, reqs, true);
    int rc = 0;
    for (size_t i = 0; i < reqs->n && rc == 0; i++)
        rc = lock_one(ctx, plan, &jobs[i], lock, err);
    jobs_free(jobs, reqs->n);
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
    if ((args->npos == 0 || sw_flag(args, "lock-tools")) &&
        sw_tool_reqs_add_lock(&reqs, plan.lock, err) < 0)
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
