/* What an install of a tool reports: outputs, PATH, GITHUB_ENV, the summary's row, and the
 * --json object or the text lines (cmd/tools.h). */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/tools.h"
#include "core/text.h"
#include "gha/gha.h"
#include "os/os.h"

/* ---- reporting ---- */

static cJSON *job_json(const struct sw_plan *plan, const struct sw_tool_job *j, const char *exe,
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

int sw_tools_report_job(struct sw_ctx *ctx, const struct sw_plan *plan,
                        const struct sw_tool_job *j, void *json, struct sw_buf *summary,
                        struct sw_error *err)
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
        if (!ctx->github_path) {
            char line[1200];
            sw_path_line(line, sizeof(line), bin, SW_ON_WINDOWS);
            sw_result(ctx, "add it to PATH: %s", line);
        }
        if (!ctx->github_env && j->tool->root_env && SW_ON_WINDOWS)
            sw_result(ctx, "and set $env:%s = \"%s\" (PowerShell)", j->tool->root_env, dir);
        else if (!ctx->github_env && j->tool->root_env)
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
