/* A run's downloads, all at once (cmd/tools.h): a tar.gz unpacked as it streams, anything else
 * to a file; then each checked (size, digest, checksum file, provenance), unpacked or placed in
 * its staging directory, and renamed into the cache. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/install.h"
#include "cmd/provenance.h"
#include "cmd/tools.h"
#include "core/tool.h"
#include "io/archive.h"
#include "io/fs.h"
#include "io/github.h"
#include "io/stream.h"
#include "io/tree.h"
#include "os/os.h"

/* ---- verification ---- */

/* The digest of `asset` in a sha256sum-style checksum file ("<hex>  <name>", "<hex> *<name>"):
 * 0 and digest[] ("sha256:<hex>"), or -1 when no line names it. */
int sw_tools_checksum_of(const struct sw_buf *file, const char *asset, char *digest, size_t n)
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

/* --verify provenance of a version that publishes none: refused, before its download (the
 * download loop asks first) as after it. */
static int refuse_unattested(const struct sw_tool_job *j, struct sw_error *err)
{
    return sw_error_set(err, SW_EXIT_VERIFY,
                        "--verify provenance: %s %s publishes no build provenance%s%s; nothing "
                        "was downloaded or installed; use --verify digest to rely on its digest",
                        j->tool->display, j->version,
                        j->tool->attested_since ? "; it is published from " : "",
                        j->tool->attested_since ? j->tool->attested_since : "");
}

/* Checks the downloaded bytes: size, the expected digest, the checksum file, provenance.
 * Fills in->digest, in->verified and in->prov. */
static int verify_job(struct sw_ctx *ctx, const struct sw_plan *plan, struct sw_tool_job *j,
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
        if (sw_tools_checksum_of(&j->checksums, j->asset, want, sizeof(want)) < 0)
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
    if (!j->attested)
        return plan->verify == SW_VERIFY_PROVENANCE ? refuse_unattested(j, err) : 0;

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
    sw_tree_add_file(((struct sw_tool_job *)ud)->tree, rel, sha256, size, stamp);
    return 0;
}

static int on_link(void *ud, const char *rel, const char *target, struct sw_error *err)
{
    (void)err;
    sw_tree_add_link(((struct sw_tool_job *)ud)->tree, rel, target);
    return 0;
}

/* The download started over and so does the extraction: what was recorded is gone. */
static void on_restart(void *ud)
{
    struct sw_tool_job *j = ud;
    sw_tree_free(j->tree);
    j->tree = sw_tree_new();
}

static struct sw_extract_limits extract_limits(struct sw_tool_job *j)
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
static int place_job(struct sw_ctx *ctx, const struct sw_plan *plan, struct sw_tool_job *j,
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
static int prepare_staging(struct sw_tool_job *j, struct sw_error *err)
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
static void finish_streams(struct sw_tool_job *jobs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (jobs[i].stream) {
            jobs[i].xrc = sw_stream_finish(jobs[i].stream, &jobs[i].xerr);
            jobs[i].stream = NULL;
        }
}

/* Downloads every job that is not a hit at once (with the checksum files; a tar.gz unpacked
 * as it streams, at the pace of the slower of the network and its extraction), then checks
 * each when every download has ended, and only then places it. The first failure is returned;
 * every staging directory is removed. */
int sw_tools_download_and_place(struct sw_ctx *ctx, const struct sw_plan *plan,
                                struct sw_tool_job *jobs, size_t n, struct sw_error *err)
{
    /* what cannot be installed whatever its bytes is refused before any byte is fetched */
    for (size_t i = 0; i < n; i++)
        if (!jobs[i].hit && !jobs[i].attested && plan->verify == SW_VERIFY_PROVENANCE)
            return refuse_unattested(&jobs[i], err);
    /* every tool a hit: nothing to fetch, and libcurl (with OpenSSL's set-up) is not started */
    size_t misses = 0;
    for (size_t i = 0; i < n; i++)
        misses += !jobs[i].hit;
    if (misses == 0)
        return 0;
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
        struct sw_tool_job *j = &jobs[i];
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
    long ms = sw_os_now_ms() - t0;
    finish_streams(jobs, n);
    size_t high = (size_t)1 << (sizeof(size_t) * 8 - 1);
    for (size_t k = 0; k < m; k++) {
        struct sw_tool_job *j = &jobs[owner[k] & ~high];
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
        struct sw_tool_job *j = &jobs[i];
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
