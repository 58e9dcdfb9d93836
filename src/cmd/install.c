/* setup-wash install: resolve, download, verify, unpack and cache wash; put it on PATH. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/commands.h"
#include "cmd/install.h"
#include "cmd/plan.h"
#include "cmd/provenance.h"
#include "cmd/tools.h"
#include "core/buf.h"
#include "io/archive.h"
#include "io/fs.h"
#include "io/github.h"
#include "os/os.h"

/* Where one version for one target lives: <root>/wash/<version>/<dir>, <dir>.complete. */
struct layout {
    const char *name; /* x64, arm64, s390x, or a triple: points into dir */
    char *version_dir;
    char *dir;
    char *marker;
    char *exe;
    char *lockfile;
};

static void layout_free(struct layout *l)
{
    free(l->version_dir);
    free(l->dir);
    free(l->marker);
    free(l->exe);
    free(l->lockfile);
}

static void layout_init(struct sw_ctx *ctx, const struct sw_plan *plan, const char *version,
                        struct layout *l)
{
    l->dir = sw_plan_install_dir(ctx, plan, version);
    l->name = strrchr(l->dir, '/') + 1;
    l->version_dir = sw_xstrndup(l->dir, (size_t)(l->name - 1 - l->dir));
    l->marker = sw_xasprintf("%s.complete", l->dir);
    l->exe = sw_path_join(l->dir, sw_target_exe_name(&plan->target));
    l->lockfile =
        sw_xasprintf("%s/.setup-wash/locks/wash-%s-%s.lock", ctx->cache_root, version, l->name);
}

/* Whether the cached executable still holds the bytes verified at install. An unchanged stamp
 * (size, times, device, inode) means untouched; a changed one (a cache restore, an edit), a
 * lock that pins the version, or a marker without a stamp means re-hashing it against the
 * recorded digest (for a raw asset, the asset's verified digest itself). A mismatch, a symlink or anything but a regular file is a miss; the
 * mismatch is warned about with both digests. A re-hash that matches refreshes the stamp. */
static bool exe_proven(struct sw_ctx *ctx, const struct layout *l, const struct sw_installed *in,
                       bool pinned, bool *said)
{
    struct sw_os_stat st;
    char stamp[SW_FS_STAMP_MAX], got[80];
    unsigned char md[32];
    uint64_t size;
    int fd = sw_fs_open_regular(l->exe, &st, NULL, NULL);
    if (fd < 0)
        return false;
    sw_fs_stamp(&st, stamp, sizeof(stamp));
    bool same = in->exe_stamp[0] && strcmp(stamp, in->exe_stamp) == 0;
    if (same && !pinned) {
        sw_os_close(fd);
        return true;
    }
    /* A pinned raw asset is the executable: its bytes must be the lock's digest, whatever the
     * marker says. A marker from before the executable's digest was recorded proves nothing. */
    const char *want = in->exe_digest[0] ? in->exe_digest : NULL;
    if (pinned && !sw_asset_is_archive(in->asset))
        want = in->digest;
    int hrc = want ? sw_fs_hash_fd(fd, l->exe, INT64_MAX, -1, md, &size, NULL) : -1;
    sw_os_close(fd);
    if (hrc < 0)
        return false;
    sw_digest_format(md, got, sizeof(got));
    if (strcmp(got, want) != 0) {
        /* checked before the lock and again under it: said once */
        if (!*said)
            sw_warn(ctx,
                    "the cached wash '%s' is not the file verified at install (%s recorded, "
                    "%s found): installing it again",
                    l->exe, want, got);
        *said = true;
        return false;
    }
    if (!same)
        sw_install_restamp_marker(l->marker, stamp, NULL);
    return true;
}

/* A cache hit: complete, holding the pinned bytes when the lock pins this version, verified at
 * least as the mode asks (core/verify.h: sw_verify_cached_ok), and its executable proven.
 * *said is set once a changed executable was warned about, so a second look warns no more. */
static bool cache_hit(struct sw_ctx *ctx, const struct sw_plan *plan, const struct layout *l,
                      const char *version, struct sw_installed *in, bool *said)
{
    if (!sw_install_read_marker(l->marker, in))
        return false;
    const struct sw_lock_wash *w = plan->lock ? plan->lock->wash : NULL;
    bool pinned = false;
    if (w && strcmp(w->version, version) == 0) {
        const struct sw_lock_asset *a = sw_lock_asset_named(w, in->asset);
        if (a && strcmp(a->digest, in->digest) != 0)
            return false;
        pinned = a != NULL;
    }
    if (!sw_verify_cached_ok(plan->verify, in->verified, in->has_prov ? in->prov.status : NULL))
        return false;
    return exe_proven(ctx, l, in, pinned, said);
}

struct progress {
    struct sw_ctx *ctx;
    const char *name;
    long last_ms;
    bool drawn;
};

static double now_s(void)
{
    return (double)sw_os_now_ms() / 1e3;
}

static void on_progress(void *ud, uint64_t done, uint64_t total)
{
    struct progress *p = ud;
    long now = sw_os_now_ms();
    if (now - p->last_ms < 100 && done != total)
        return;
    p->last_ms = now;
    int width = 30, fill = total ? (int)((double)done / (double)total * width) : 0;
    char bar[32];
    for (int i = 0; i < width; i++)
        bar[i] = i < fill ? '#' : '-';
    bar[width] = '\0';
    char name[96]; /* the asset's name, from the API */
    sw_sanitize(name, sizeof(name), p->name);
    fprintf(p->ctx->errf, "\r  %s [%s] %6.1f / %.1f MiB", name, bar, (double)done / 1048576.0,
            (double)total / 1048576.0);
    fflush(p->ctx->errf);
    p->drawn = true;
}

static void human_size(int64_t n, char *buf, size_t len)
{
    if (n < 0)
        snprintf(buf, len, "size unknown");
    else if (n < 1024)
        snprintf(buf, len, "%lld B", (long long)n);
    else if (n < 1048576)
        snprintf(buf, len, "%.1f KiB", (double)n / 1024.0);
    else
        snprintf(buf, len, "%.1f MiB", (double)n / 1048576.0);
}

/* Finds the executable in an unpacked archive: at the top, or one directory down. */
static char *find_exe(const char *dir, const char *exe)
{
    char *p = sw_path_join(dir, exe);
    if (sw_fs_is_file(p))
        return p;
    free(p);
    return NULL;
}

/* The provenance step's request for the resolved release (sha256: NULL before the download). */
static struct sw_prov_request prov_request(const struct sw_plan *plan, const struct sw_resolved *r,
                                           const unsigned char *sha256)
{
    struct sw_prov_request rq = {
        .mode = plan->verify,
        .version = r->version,
        .tag = r->tag,
        .repo = r->repo,
        .asset = r->asset,
        .sha256 = sha256,
        .has_asset = r->has_sigstore_asset,
        .pin_source = r->prov_source,
        .pin_bundle = r->prov_bundle[0] ? r->prov_bundle : NULL,
        .lock_path = plan->lock_path,
    };
    return rq;
}

/* The provenance step after the digest check: fills vr->verified/prov and ip, says on stderr
 * which check was applied, and fails when the mode or a bad bundle says so. */
static int check_provenance(struct sw_ctx *ctx, const struct sw_plan *plan,
                            const struct sw_resolved *r, const unsigned char sha256[32],
                            struct sw_verify_result *vr, struct sw_install_prov *ip,
                            struct sw_error *err)
{
    struct sw_prov_env env = {.ctx = ctx, .trusted_root = plan->trusted_root};
    struct sw_prov_request rq = prov_request(plan, r, sha256);
    struct sw_prov_outcome o;
    memset(ip, 0, sizeof(*ip));
    int rc = sw_prov_check(&env, &rq, &o, err);
    vr->prov = o.status;
    snprintf(ip->status, sizeof(ip->status), "%s", sw_prov_status_name(o.status));
    snprintf(ip->detail, sizeof(ip->detail), "%s", o.detail);
    if (rc == 0 && o.action == SW_PROV_ACCEPT) {
        snprintf(vr->verified, sizeof(vr->verified), "provenance");
        snprintf(ip->source, sizeof(ip->source), "%s", sw_prov_source_name(o.source));
        ip->p = o.prov;
        sw_info(ctx,
                "provenance verified in %.1f ms (bundle %s in %.1f ms): %s, signed %s, Rekor log "
                "index %lld",
                o.verify_ms,
                o.from_cache                       ? "from the cache"
                : o.source == SW_PROV_SOURCE_ASSET ? "from " SW_SIGSTORE_ASSET
                                                   : "from the attestations API",
                o.fetch_ms, o.prov.signer, o.prov.signed_at_text, o.prov.log_index);
        snprintf(ip->identity, sizeof(ip->identity), "%s",
                 o.identity == SW_SIGNER_REPOSITORY ? "repository" : "release");
        if (o.identity_note[0])
            sw_info(ctx, "%s", o.identity_note);
    } else if (rc == 0 && o.action == SW_PROV_WARN) {
        sw_warn(ctx, "%s; only the digest was checked", o.detail);
    } else if (rc == 0 && plan->verify == SW_VERIFY_AUTO) {
        sw_info(ctx, "%s", o.detail);
    }
    sw_prov_outcome_free(&o);
    sw_prov_env_free(&env);
    return rc;
}

/* Download, verify and unpack into a staging directory, then rename into place. */
static int install_fresh(struct sw_ctx *ctx, const struct sw_plan *plan,
                         const struct sw_resolved *r, const struct layout *l,
                         struct sw_verify_result *vr, struct sw_install_prov *ip,
                         struct sw_error *err)
{
    char *wash_root = sw_path_join(ctx->cache_root, "wash");
    char *staging = NULL, *file = NULL, *unpacked = NULL, *url = NULL, *exe = NULL;
    int fd = -1, rc = -1;
    struct sw_download dl = {0};
    struct progress prog = {.ctx = ctx, .name = r->asset};
    struct sw_prov_env env = {.ctx = ctx, .trusted_root = plan->trusted_root};
    struct sw_prov_request rq = prov_request(plan, r, NULL);

    /* what provenance refuses whatever the bytes is refused before they are downloaded */
    int pre = sw_prov_precheck(&env, &rq, err);
    sw_prov_env_free(&env);
    if (pre < 0 || sw_fs_mkdir_p(wash_root, 0755, err) < 0)
        goto out;
    /* One staging directory per version and arch, used only under that pair's lock: what a
     * killed install left there is stale by definition and is wiped before reuse. */
    staging = sw_xasprintf("%s/.staging-%s-%s", wash_root, r->version, l->name);
    if (sw_fs_rm_rf(staging, err) < 0)
        goto out;
    if (sw_os_mkdir(staging, 0755) < 0) {
        sw_error_set(err, SW_EXIT_FS, "cannot create a staging directory in '%s': %s", wash_root,
                     strerror(errno));
        goto out;
    }
    file = sw_path_join(staging, "download");
    unpacked = sw_path_join(staging, "wash");
    fd = sw_os_open(file, SW_O_RDWR | SW_O_CREAT | SW_O_EXCL, 0600);
    if (fd < 0 || sw_os_mkdir(unpacked, 0755) < 0) {
        sw_error_set(err, SW_EXIT_FS, "cannot write in '%s': %s", staging, strerror(errno));
        goto out;
    }

    struct sw_http *h = sw_ctx_http(ctx, err);
    if (!h)
        goto out;
    url = sw_github_download_url(ctx->server_url, r->repo, r->tag, r->asset);
    char sz[32];
    human_size(r->size, sz, sizeof(sz));
    sw_info(ctx, "downloading %s (%s) from %s", r->asset, sz, r->repo);
    double t0 = now_s();
    if (ctx->tty && !ctx->quiet)
        sw_http_set_progress(h, on_progress, &prog);
    /* a body larger than the size the release declares is refused while it streams */
    int drc = sw_http_download(h, url, fd, r->size > 0 ? (uint64_t)r->size : 0, &dl, err);
    sw_http_set_progress(h, NULL, NULL);
    if (prog.drawn)
        fputc('\n', ctx->errf);
    if (drc < 0) {
        sw_error_wrap(err, "downloading '%s'", r->asset);
        goto out;
    }
    double secs = now_s() - t0;
    human_size((int64_t)dl.size, sz, sizeof(sz));
    sw_info(ctx, "downloaded %s in %.2f s", sz, secs);
    if (r->size >= 0 && dl.size != (uint64_t)r->size) {
        sw_error_set(err, SW_EXIT_VERIFY,
                     "'%s' is %llu bytes but the release declares %lld: the download was "
                     "discarded",
                     r->asset, (unsigned long long)dl.size, (long long)r->size);
        goto out;
    }

    struct sw_verify_input vin = {
        .asset = r->asset,
        .sha256 = dl.sha256,
        .expected = r->digest[0] ? r->digest : NULL,
        .expected_source = r->digest_source ? r->digest_source : "nowhere",
    };
    if (sw_verify_artifact(plan->verify, &vin, vr, err) < 0)
        goto out;
    if (plan->verify == SW_VERIFY_NONE) {
        sw_warn(ctx, "--verify none: '%s' was installed without checking its digest (%s)", r->asset,
                vr->actual);
        memset(ip, 0, sizeof(*ip));
        snprintf(ip->status, sizeof(ip->status), "%s", sw_prov_status_name(SW_PROV_SKIPPED));
    } else if (check_provenance(ctx, plan, r, dl.sha256, vr, ip, err) < 0) {
        goto out;
    }

    sw_os_close(fd);
    fd = -1;
    const char *exe_name = sw_target_exe_name(&plan->target);
    if (r->archive) {
        if (sw_archive_extract(file, unpacked, NULL, err) < 0) {
            sw_error_wrap(err, "unpacking '%s'", r->asset);
            goto out;
        }
        exe = find_exe(unpacked, exe_name);
        if (!exe) {
            sw_error_set(err, SW_EXIT_VERIFY, "archive '%s' has no '%s' at its top level", r->asset,
                         exe_name);
            goto out;
        }
        sw_os_chmod(exe, 0755);
    } else {
        exe = sw_path_join(unpacked, exe_name);
        if (sw_os_rename(file, exe) < 0 || sw_os_chmod(exe, 0755) < 0) {
            sw_error_set(err, SW_EXIT_FS, "cannot place '%s': %s", exe, strerror(errno));
            goto out;
        }
    }

    /* into place: a leftover of an interrupted install (no marker) is replaced */
    if (sw_fs_mkdir_p(l->version_dir, 0755, err) < 0 || sw_fs_rm_rf(l->marker, err) < 0 ||
        sw_fs_rm_rf(l->dir, err) < 0)
        goto out;
    if (sw_os_rename(unpacked, l->dir) < 0) {
        sw_error_set(err, SW_EXIT_FS, "cannot move the install into '%s': %s", l->dir,
                     strerror(errno));
        goto out;
    }
    /* the executable's digest and stamp, for later cache hits: a raw asset is the executable,
     * an archive's executable is hashed here */
    struct sw_os_stat st;
    char exe_digest[80], stamp[SW_FS_STAMP_MAX];
    free(exe);
    exe = sw_path_join(l->dir, sw_target_exe_name(&plan->target));
    fd = sw_fs_open_regular(exe, &st, NULL, err);
    if (fd < 0)
        goto out;
    sw_fs_stamp(&st, stamp, sizeof(stamp));
    snprintf(exe_digest, sizeof(exe_digest), "%s", vr->actual);
    if (r->archive) {
        unsigned char md[32];
        uint64_t size;
        if (sw_fs_hash_fd(fd, exe, INT64_MAX, -1, md, &size, err) < 0)
            goto out;
        sw_digest_format(md, exe_digest, sizeof(exe_digest));
    }
    if (sw_install_write_marker(l->marker, r->version, r->tag, r->repo, r->asset, vr->actual,
                                vr->verified, exe_digest, stamp, ip, err) < 0)
        goto out;
    rc = 0;
out:
    if (fd >= 0)
        sw_os_close(fd);
    if (staging)
        sw_fs_rm_rf(staging, NULL);
    free(wash_root);
    free(staging);
    free(file);
    free(unpacked);
    free(url);
    free(exe);
    return rc;
}

/* wash itself: resolve, install unless the cache proves it, report (with the toolchain's
 * results in `tools`, a cJSON array this takes, or NULL). */
static int install_wash(struct sw_ctx *ctx, const struct sw_args *args, struct sw_plan *plan_,
                        void *tools, struct sw_error *err)
{
    struct sw_plan plan = *plan_;
    struct sw_resolved res = {0};
    struct layout l = {0};
    struct sw_installed in = {0};
    struct sw_verify_result vr = {0};
    int lockfd = -1, rc = -1;
    bool said = false;

    /* An exact version already complete in the cache needs no request at all. */
    if (plan.spec.kind == SW_SPEC_EXACT) {
        char vs[SW_SEMVER_STR_MAX];
        sw_semver_str(&plan.spec.exact, vs, sizeof(vs));
        layout_init(ctx, &plan, vs, &l);
        if (cache_hit(ctx, &plan, &l, vs, &in, &said)) {
            struct sw_install_outcome o = {vs,
                                           in.tag,
                                           in.repo,
                                           plan.target.triple,
                                           in.asset,
                                           in.digest,
                                           in.verified,
                                           l.exe,
                                           l.dir,
                                           true,
                                           in.has_prov ? &in.prov : NULL,
                                           NULL};
            rc = sw_install_report(ctx, sw_flag(args, "json"), &o, tools, err);
            tools = NULL;
            goto out;
        }
        layout_free(&l);
        memset(&l, 0, sizeof(l));
    }

    if (sw_resolve(ctx, &plan, &res, err) < 0)
        goto out;
    if (plan.lock && plan.lock->wash && !res.from_lock &&
        strcmp(plan.lock->wash->version, res.version) != 0)
        sw_info(ctx, "%s pins wash %s, but '%s' selected %s: the lock's digests do not apply",
                plan.lock_path, plan.lock->wash->version, plan.spec.text, res.version);
    if (res.line == SW_LINE_OLD)
        sw_notice(ctx,
                  "wash %s is the old wash 0.x line (a different product with the same "
                  "name); the current wash is 1.0 and later",
                  res.version);
    if (res.fallback)
        sw_info(ctx, "wash %s has no glibc build for %s: using the static musl build '%s'",
                res.version, plan.target.arch, res.asset);
    layout_init(ctx, &plan, res.version, &l);

    char *lockdir = sw_path_join(ctx->cache_root, ".setup-wash/locks");
    int mk = sw_fs_mkdir_p(lockdir, 0755, err);
    free(lockdir);
    if (mk < 0 || (lockfd = sw_fs_lock(l.lockfile, err)) < 0)
        goto out;
    bool hit = cache_hit(ctx, &plan, &l, res.version, &in, &said) &&
               strcmp(in.asset, res.asset) == 0 &&
               (!res.digest[0] || strcmp(in.digest, res.digest) == 0);
    if (!hit) {
        if (install_fresh(ctx, &plan, &res, &l, &vr, &in.prov, err) < 0) {
            sw_error_wrap(err, "installing wash %s", res.version);
            goto out;
        }
        snprintf(in.digest, sizeof(in.digest), "%s", vr.actual);
        snprintf(in.verified, sizeof(in.verified), "%s", vr.verified);
        in.has_prov = true;
    }
    struct sw_install_outcome o = {res.version,
                                   res.tag,
                                   res.repo,
                                   plan.target.triple,
                                   res.asset,
                                   in.digest,
                                   in.verified,
                                   l.exe,
                                   l.dir,
                                   hit,
                                   in.has_prov ? &in.prov : NULL,
                                   res.held_back};
    rc = sw_install_report(ctx, sw_flag(args, "json"), &o, tools, err);
    tools = NULL;
out:
    cJSON_Delete(tools);
    sw_fs_unlock(lockfd);
    layout_free(&l);
    sw_resolved_free(&res);
    return rc;
}

static int cmd_install(struct sw_ctx *ctx, const struct sw_args *args, struct sw_error *err)
{
    return sw_tools_run(ctx, args, sw_tools_install, install_wash, err);
}

static const struct sw_opt install_opts[] = {
    {"version", "SPEC", "latest (default), rc, an exact version, or a range (^2, ~2.6, 2.x)"},
    {"target", "TRIPLE", "Rust target triple of the build to install (default: this host)"},
    {"lock", "FILE", "lockfile pinning wash digests (default: ./plugins.lock when present)"},
    {"verify", "MODE", "auto (default), digest, provenance, or none (warns; never the default)"},
    SW_PLAN_NET_OPTS,
    {"lock-tools", NULL, "also every tool the lockfile pins (what no TOOL word means)"},
    {"allow-incompatible", NULL, "install tools that do not work together (with a warning)"},
    {"json", NULL, "print the result as one JSON object on stdout"},
    {"quiet", NULL, "no progress or information on stderr (warnings and errors still)"},
    {"help", NULL, "show this help"},
    {NULL, NULL, NULL},
};

const struct sw_cmd sw_cmd_install = {
    .name = "install",
    .summary = "download, verify and install wash and its toolchain into the cache, onto PATH",
    .usage = "[TOOL[@SPEC]...]",
    .opts = install_opts,
    .max_pos = 16,
    .run = cmd_install,
    .details =
        "Tools: wash, tinygo, wasm-tools, wkg, componentize-go, each as TOOL or TOOL@SPEC\n"
        "(install tinygo@0.40.1 wasm-tools@^1.240 wkg). Without TOOL, wash is installed\n"
        "(--version) together with every tool the lockfile pins under \"tools\"; with TOOLs,\n"
        "exactly those (wash@SPEC is --version SPEC). The downloads of one run go at once;\n"
        "each is checked before it is unpacked into <cache>/<tool>/<version>/<arch>/: the\n"
        "lock's pin, else the digest the GitHub API reports, componentize-go's checksums.txt,\n"
        "and wasm-tools' build provenance (1.241.2 and later). Where nothing vouches for an\n"
        "asset, --verify auto installs it with a warning (verified: none); --verify digest\n"
        "and provenance refuse it. A cache hit re-proves every file of the tree (a changed\n"
        "file is named and the tool installed again). Each tool's bin directory goes on\n"
        "PATH, the outputs <tool>-version and <tool>-path are set, and TinyGo's root goes\n"
        "to TINYGOROOT (GITHUB_ENV).\n"
        "\n"
        "tinygo@auto is the newest TinyGo whose Go range holds the Go that will build (go\n"
        "env GOVERSION in the lock's directory, so GOTOOLCHAIN and go.mod count). Before any\n"
        "download, the tools of the run are checked against that Go and go.mod: a TinyGo\n"
        "that cannot build with it, or wit-bindgen-go before 0.6.2 with wasm-tools 1.226 or\n"
        "newer, fails (exit 1) with the fix; --allow-incompatible installs anyway.\n"
        "\n"
        "Version specs:\n"
        "  latest           newest stable wash (1.0 and later; never the old 0.x line)\n"
        "  rc               newest wash including prereleases (betas, release candidates)\n"
        "  2.0.0-rc.8       an exact version; v2.0.0-rc.8 and wash-v2.0.0-rc.8 also work;\n"
        "                   an exact 0.x version installs the old wash line, with a notice\n"
        "  ^2, ~2.6, 2.x, >=2.1 <3, 1.2 - 2.3, a || b\n"
        "                   ranges (npm syntax); a prerelease matches only when a comparator\n"
        "                   names a prerelease of the same X.Y.Z (>=2.8.0-rc.1); 0.x only\n"
        "                   when the range names major version 0\n"
        "\n"
        "Without --version, the version pinned in the lockfile is installed, else latest.\n"
        "An exact version already in the cache is reused with no network request; one pinned\n"
        "in the lockfile with a digest for the target is downloaded with no API request.\n"
        "Every download is checked against its SHA-256 digest (from the lockfile, else the\n"
        "GitHub API) before anything is unpacked or installed. With --verify auto (the\n"
        "default) the release's Sigstore provenance is verified too where it has one (wash\n"
        "1.0.0-beta.9 and later: the wash.sigstore.json asset from 2.1.0, else the\n"
        "attestations API); older releases are installed on their digest, saying so.\n"
        "--verify provenance requires it and fails closed; --trusted-root FILE (or\n"
        "SETUP_WASH_TRUSTED_ROOT) replaces the embedded Sigstore trusted root.\n"
        "\n"
        "--min-release-age AGE (24h, 3d, 2w, 1d12h; 0, the default, turns it off) makes\n"
        "latest, rc and ranges skip releases published less than AGE ago, a guard against a\n"
        "broken or compromised release; an exact version or a lock pin ignores it. When no\n"
        "match is old enough, the exit code is 3 and the message names the newest match and\n"
        "when it qualifies.\n"
        "\n"
        "In GitHub Actions (GITHUB_OUTPUT, GITHUB_PATH) the outputs wash-version, wash-path,\n"
        "tag, repository, target, digest, verified (provenance, digest or none), provenance\n"
        "(verified, not-attested, not-found, unsupported, unreachable or skipped), cache-hit,\n"
        "install-dir, asset and held-back (the newer match --min-release-age skipped, or\n"
        "empty) are set and the install directory is added to PATH. --json prints\n"
        "the same fields, with provenance as an object (signer workflow and ref, source ref,\n"
        "signing time, Rekor log index, bundle digest and source).\n",
};
