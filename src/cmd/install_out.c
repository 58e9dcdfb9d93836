/* install's marker and outputs (cmd/install.h). */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/install.h"
#include "cmd/plan.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/text.h"
#include "gha/gha.h"
#include "io/fs.h"
#include "os/os.h"

static void copy(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

/* The provenance object of --json and of the marker. */
static cJSON *prov_json(const struct sw_install_prov *ip)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "status", ip->status);
    if (strcmp(ip->status, "verified") != 0) {
        if (ip->detail[0])
            cJSON_AddStringToObject(o, "reason", ip->detail);
        return o;
    }
    const struct sw_provenance *p = &ip->p;
    cJSON_AddStringToObject(o, "signer", p->signer);
    cJSON_AddStringToObject(o, "workflow", p->workflow);
    cJSON_AddStringToObject(o, "workflow-ref", p->workflow_ref);
    cJSON_AddStringToObject(o, "source-repository", p->source_repository);
    cJSON_AddStringToObject(o, "source-ref", p->source_ref);
    cJSON_AddStringToObject(o, "source-digest", p->source_digest);
    cJSON_AddStringToObject(o, "issuer", p->issuer);
    cJSON_AddStringToObject(o, "signed-at", p->signed_at_text);
    cJSON_AddNumberToObject(o, "log-index", (double)p->log_index);
    cJSON_AddStringToObject(o, "subject", p->subject);
    cJSON_AddStringToObject(o, "bundle-digest", p->bundle_digest);
    cJSON_AddStringToObject(o, "bundle-source", ip->source);
    cJSON_AddStringToObject(o, "identity", ip->identity[0] ? ip->identity : "release");
    return o;
}

static void prov_from_json(const cJSON *o, struct sw_install_prov *ip)
{
    struct sw_provenance *p = &ip->p;
    copy(ip->status, sizeof(ip->status), sw_json_str(o, "status"));
    copy(ip->detail, sizeof(ip->detail), sw_json_str(o, "reason"));
    copy(ip->source, sizeof(ip->source), sw_json_str(o, "bundle-source"));
    copy(ip->identity, sizeof(ip->identity), sw_json_str(o, "identity"));
    copy(p->signer, sizeof(p->signer), sw_json_str(o, "signer"));
    copy(p->workflow, sizeof(p->workflow), sw_json_str(o, "workflow"));
    copy(p->workflow_ref, sizeof(p->workflow_ref), sw_json_str(o, "workflow-ref"));
    copy(p->source_repository, sizeof(p->source_repository), sw_json_str(o, "source-repository"));
    copy(p->source_ref, sizeof(p->source_ref), sw_json_str(o, "source-ref"));
    copy(p->source_digest, sizeof(p->source_digest), sw_json_str(o, "source-digest"));
    copy(p->issuer, sizeof(p->issuer), sw_json_str(o, "issuer"));
    copy(p->signed_at_text, sizeof(p->signed_at_text), sw_json_str(o, "signed-at"));
    copy(p->subject, sizeof(p->subject), sw_json_str(o, "subject"));
    copy(p->bundle_digest, sizeof(p->bundle_digest), sw_json_str(o, "bundle-digest"));
    const cJSON *li = cJSON_GetObjectItemCaseSensitive(o, "log-index");
    p->log_index = cJSON_IsNumber(li) ? (long long)li->valuedouble : -1;
}

bool sw_install_read_marker(const char *marker, struct sw_installed *in)
{
    struct sw_buf text = SW_BUF_INIT;
    bool ok = false;
    memset(in, 0, sizeof(*in));
    if (sw_fs_read_regular(marker, 65536, &text, NULL) < 0)
        goto out;
    cJSON *root = cJSON_ParseWithLength(text.data, text.len);
    const char *tag = sw_json_str(root, "tag"), *repo = sw_json_str(root, "repository");
    const char *asset = sw_json_str(root, "asset"), *digest = sw_json_str(root, "digest");
    const char *verified = sw_json_str(root, "verified");
    const cJSON *prov = cJSON_GetObjectItemCaseSensitive(root, "provenance");
    if (tag && repo && asset && digest && verified) {
        copy(in->tag, sizeof(in->tag), tag);
        copy(in->repo, sizeof(in->repo), repo);
        copy(in->asset, sizeof(in->asset), asset);
        copy(in->digest, sizeof(in->digest), digest);
        copy(in->verified, sizeof(in->verified), verified);
        copy(in->exe_digest, sizeof(in->exe_digest), sw_json_str(root, "exe-digest"));
        copy(in->exe_stamp, sizeof(in->exe_stamp), sw_json_str(root, "exe-stamp"));
        if (cJSON_IsObject(prov) && sw_json_str(prov, "status")) {
            in->has_prov = true;
            prov_from_json(prov, &in->prov);
        }
        ok = true;
    }
    cJSON_Delete(root);
out:
    sw_buf_free(&text);
    return ok;
}

int sw_install_write_marker(const char *marker, const char *version, const char *tag,
                            const char *repo, const char *asset, const char *digest,
                            const char *verified, const char *exe_digest, const char *exe_stamp,
                            const struct sw_install_prov *prov, struct sw_error *err)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "version", version);
    cJSON_AddStringToObject(o, "tag", tag);
    cJSON_AddStringToObject(o, "repository", repo);
    cJSON_AddStringToObject(o, "asset", asset);
    cJSON_AddStringToObject(o, "digest", digest);
    cJSON_AddStringToObject(o, "verified", verified);
    cJSON_AddStringToObject(o, "exe-digest", exe_digest);
    cJSON_AddStringToObject(o, "exe-stamp", exe_stamp);
    cJSON_AddItemToObject(o, "provenance", prov_json(prov));
    char *text = sw_json_format(o);
    int rc = sw_fs_write_atomic(marker, text, strlen(text), 0644, err);
    free(text);
    cJSON_Delete(o);
    return rc;
}

int sw_install_restamp_marker(const char *marker, const char *exe_stamp, struct sw_error *err)
{
    struct sw_buf text = SW_BUF_INIT;
    cJSON *root = NULL;
    char *out = NULL;
    int rc = -1;
    if (sw_fs_read_regular(marker, 65536, &text, err) < 0)
        goto out;
    root = cJSON_ParseWithLength(text.data, text.len);
    if (!cJSON_IsObject(root)) {
        sw_error_set(err, SW_EXIT_FS, "'%s' is not a marker", marker);
        goto out;
    }
    cJSON_DeleteItemFromObjectCaseSensitive(root, "exe-stamp");
    cJSON_AddStringToObject(root, "exe-stamp", exe_stamp);
    out = sw_json_format(root);
    rc = sw_fs_write_atomic(marker, out, strlen(out), 0644, err);
out:
    free(out);
    cJSON_Delete(root);
    sw_buf_free(&text);
    return rc;
}

static bool prov_verified(const struct sw_install_outcome *o)
{
    return o->prov && strcmp(o->prov->status, "verified") == 0;
}

/* The summary's provenance cell: the signer workflow and its ref, or why there is none. */
static void prov_cell(struct sw_buf *md, const struct sw_install_outcome *o)
{
    const struct sw_install_prov *ip = o->prov;
    if (prov_verified(o)) {
        sw_buf_adds(md, "`");
        sw_md_cell(md, ip->p.workflow);
        sw_buf_adds(md, "` at `");
        sw_md_cell(md, ip->p.workflow_ref);
        sw_buf_adds(md, "`, signed ");
        sw_md_cell(md, ip->p.signed_at_text);
        sw_buf_printf(md, " (Rekor log index %lld)", ip->p.log_index);
    } else if (ip && strcmp(ip->status, "skipped") != 0) {
        sw_buf_adds(md, "not verified: ");
        sw_md_cell(md, ip->detail[0] ? ip->detail : ip->status);
    } else {
        sw_buf_adds(md, "not checked (--verify ");
        sw_buf_adds(md, strcmp(o->verified, "none") == 0 ? "none)" : "digest)");
    }
}

/* The job summary's section for the install: one table row a fact. */
static int summary(struct sw_ctx *ctx, const struct sw_install_outcome *o, struct sw_error *err)
{
    const char *rows[][2] = {
        {"version", o->version}, {"release", NULL},
        {"target", o->target},   {"asset", o->asset},
        {"digest", o->digest},   {"verified by", o->verified},
        {"provenance", NULL},    {"cache hit", o->cache_hit ? "yes" : "no"},
        {"path", o->exe},
    };
    struct sw_buf md = SW_BUF_INIT;
    sw_buf_adds(&md, "### wash ");
    sw_md_cell(&md, o->version);
    sw_buf_adds(&md, "\n\n| | |\n|---|---|\n");
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        sw_buf_printf(&md, "| %s | ", rows[i][0]);
        if (rows[i][1]) {
            sw_md_cell(&md, rows[i][1]);
        } else if (strcmp(rows[i][0], "provenance") == 0) {
            prov_cell(&md, o);
        } else { /* the release: tag of repository */
            sw_buf_adds(&md, "`");
            sw_md_cell(&md, o->tag);
            sw_buf_adds(&md, "` of ");
            sw_md_cell(&md, o->repo);
        }
        sw_buf_adds(&md, " |\n");
    }
    sw_buf_adds(&md, "\n");
    int rc = sw_gha_summary(ctx->step_summary, sw_buf_str(&md), err);
    sw_buf_free(&md);
    return rc;
}

/* The text result: what was installed, and which checks were applied. */
static void print_text(struct sw_ctx *ctx, const struct sw_install_outcome *o)
{
    bool none = strcmp(o->verified, "none") == 0;
    /* the build installed, which is not the target asked for where a musl build stood in */
    char built[160];
    sw_asset_targets(&o->asset, 1, built, sizeof(built));
    if (strchr(built, ' '))
        snprintf(built, sizeof(built), "%s", o->target);
    bool musl = strcmp(built, o->target) != 0 && strstr(built, "-linux-musl") &&
                strstr(o->target, "-linux-gnu");
    sw_result(ctx, "wash %s installed at %s (%s, %s%s%s)", o->version, o->exe, built,
              musl ? "musl build; this release has no gnu build; " : "",
              none ? "unverified" : "verified by ", none ? "" : o->verified);
    if (prov_verified(o))
        sw_result(ctx,
                  "checked: the digest %s, and provenance: built by %s, signed %s (Rekor log "
                  "index %lld; bundle from %s)",
                  o->digest, o->prov->p.signer, o->prov->p.signed_at_text, o->prov->p.log_index,
                  strcmp(o->prov->source, "asset") == 0 ? "wash.sigstore.json"
                                                        : "the attestations API");
    else if (!none)
        sw_result(ctx, "checked: the digest %s only%s%s", o->digest,
                  o->prov && o->prov->detail[0] ? ": " : " (--verify digest)",
                  o->prov && o->prov->detail[0] ? o->prov->detail : "");
    if (o->cache_hit)
        sw_result(ctx, "cache hit: nothing was downloaded");
    if (!ctx->github_path) {
        char line[1200];
        sw_path_line(line, sizeof(line), o->dir, SW_ON_WINDOWS);
        sw_result(ctx, "add it to PATH: %s", line);
    }
}

static int report(struct sw_ctx *ctx, bool json, const struct sw_install_outcome *o,
                  cJSON *tools, struct sw_error *err)
{
    const char *names[] = {"wash-version", "wash-path",   "tag",      "repository",
                           "target",       "digest",      "verified", "provenance",
                           "cache-hit",    "install-dir", "asset",    "held-back"};
    const char *vals[] = {o->version,
                          o->exe,
                          o->tag,
                          o->repo,
                          o->target,
                          o->digest,
                          o->verified,
                          o->prov ? o->prov->status : "skipped",
                          o->cache_hit ? "true" : "false",
                          o->dir,
                          o->asset,
                          o->held_back ? o->held_back : ""};
    size_t n = sizeof(names) / sizeof(names[0]);
    /* a marker from before provenance says nothing about it */
    static const struct sw_install_prov skipped = {.status = "skipped"};
    /* checked before anything is written: a refused value leaves both runner files as they
     * were, not half the outputs */
    if (ctx->github_path && sw_gha_check_path(o->dir, err) < 0)
        return -1;
    if (ctx->github_output && sw_gha_set_outputs(ctx->github_output, names, vals, n, err) < 0)
        return -1;
    if (ctx->github_path && sw_gha_add_path(ctx->github_path, o->dir, err) < 0)
        return -1;
    if (ctx->step_summary && summary(ctx, o, err) < 0)
        return -1;
    if (!json) {
        print_text(ctx, o);
        return 0;
    }
    cJSON *obj = cJSON_CreateObject();
    for (size_t i = 0; i < n; i++) {
        if (strcmp(names[i], "cache-hit") == 0)
            cJSON_AddBoolToObject(obj, names[i], o->cache_hit);
        else if (strcmp(names[i], "provenance") == 0)
            cJSON_AddItemToObject(obj, names[i], prov_json(o->prov ? o->prov : &skipped));
        else
            cJSON_AddStringToObject(obj, names[i], vals[i]);
    }
    if (tools)
        cJSON_AddItemToObject(obj, "tools", tools);
    sw_print_json(ctx, obj);
    return 0;
}

int sw_install_report(struct sw_ctx *ctx, bool json, const struct sw_install_outcome *o,
                      void *tools, struct sw_error *err)
{
    /* paths leave in the platform's own form (on Windows "C:\\...", which the runner and
     * PowerShell expect) */
    struct sw_install_outcome native = *o;
    char *exe = sw_os_path_out(o->exe), *dir = sw_os_path_out(o->dir);
    native.exe = exe;
    native.dir = dir;
    cJSON *t = tools;
    int rc = report(ctx, json, &native, t, err);
    if (rc < 0 || !json) /* handed over only when printed */
        cJSON_Delete(t);
    free(exe);
    free(dir);
    return rc;
}
