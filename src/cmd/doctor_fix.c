/* doctor --fix (cmd/doctor_fix.h): the remedies a check names, and the toolchain installed
 * through install's flow. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/doctor_fix.h"
#include "cmd/tools.h"
#include "core/buf.h"
#include "core/toolver.h"
#include "io/proc.h"
#include "os/os.h"

/* A fix may download (rustup fetches a target's standard library): it gets longer than a
 * probe, and a hang still ends. */
#define FIX_TIMEOUT_S 600

size_t sw_doctor_fix_remedies(struct sw_ctx *ctx, const struct sw_report *r, const char *dir,
                              long timeout, struct sw_fix_done *done, struct sw_error *err)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++) {
        const struct sw_check *c = &r->checks[i];
        if (!c->remedy || (c->status != SW_CHECK_ERROR && c->status != SW_CHECK_WARN))
            continue;
        struct sw_fix_done *a = &done[n++];
        struct sw_buf cmd = SW_BUF_INIT;
        for (size_t k = 0; c->remedy->argv[k]; k++)
            sw_buf_printf(&cmd, "%s%s", k ? " " : "", c->remedy->argv[k]);
        a->id = c->id;
        a->exit = -1;
        snprintf(a->cmd, sizeof(a->cmd), "%s", sw_buf_str(&cmd));
        sw_buf_free(&cmd);
        char *path = sw_proc_which(c->remedy->argv[0], ctx->path_env);
        if (!path) {
            sw_warn(ctx, "doctor --fix: %s: '%s' is not on PATH, so '%s' cannot run", c->id,
                    c->remedy->argv[0], a->cmd);
            continue;
        }
        sw_info(ctx, "doctor --fix: %s: running '%s' in '%s'", c->id, a->cmd, dir);
        struct sw_proc_spec spec = {
            .path = path,
            .argv = c->remedy->argv,
            .dir = dir,
            .env = c->remedy->env,
            .timeout_ms = (timeout > FIX_TIMEOUT_S ? timeout : FIX_TIMEOUT_S) * 1000,
        };
        struct sw_proc_result res;
        memset(&res, 0, sizeof(res));
        int rc = sw_proc_run(&spec, &res, err);
        free(path);
        if (rc < 0) {
            sw_proc_result_free(&res);
            return (size_t)-1;
        }
        if (res.state == SW_PROC_EXITED)
            a->exit = res.status;
        if (a->exit != 0) {
            char said[400];
            const char *e = sw_buf_str(&res.err);
            sw_toolver_raw(said, sizeof(said), e[0] ? e : sw_buf_str(&res.out));
            sw_warn(ctx, "doctor --fix: '%s' %s%s%s", a->cmd,
                    res.state == SW_PROC_TIMEOUT  ? "timed out"
                    : res.state == SW_PROC_EXITED ? "failed"
                                                  : "did not run to its end",
                    said[0] ? ": " : "", said);
        }
        sw_proc_result_free(&res);
    }
    return n;
}

void sw_doctor_mark_applied(struct sw_report *r, const struct sw_fix_done *done, size_t n)
{
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < r->n; i++) {
            struct sw_check *c = &r->checks[i];
            if (strcmp(c->id, done[k].id) != 0)
                continue;
            snprintf(c->applied, sizeof(c->applied), "%s", done[k].cmd);
            c->applied_exit = done[k].exit;
            c->fixed = c->status == SW_CHECK_OK;
            c->installed = done[k].installed;
        }
}

/* One row per check the install of d->tool answered (an error in this report). */
static void add_done(const struct sw_report *r, const char *cmd, int exit,
                     const struct sw_fix_install *in, struct sw_fix_done *done, size_t *n)
{
    const char *const *ids = sw_doctor_toolfix_checks(in->tool);
    for (size_t i = 0; i < r->n; i++)
        for (size_t k = 0; ids[k]; k++)
            if (strcmp(r->checks[i].id, ids[k]) == 0 && r->checks[i].status == SW_CHECK_ERROR) {
                struct sw_fix_done *d = &done[(*n)++];
                memset(d, 0, sizeof(*d));
                d->id = r->checks[i].id;
                snprintf(d->cmd, sizeof(d->cmd), "%s", cmd);
                d->exit = exit;
                d->installed = *in;
                if (exit != 0) /* nothing was installed: only the tool is named */
                    d->installed.tool[0] = '\0';
            }
}

int sw_doctor_fix_tools(struct sw_ctx *ctx, struct sw_plan *plan, const struct sw_doctor_facts *f,
                        const struct sw_report *r, bool json, const char *path_env,
                        struct sw_fix_done *done, size_t *n, char **path, struct sw_error *err)
{
    struct sw_toolfix fix;
    struct sw_tool_reqs reqs = {0};
    struct sw_tool_done got[2];
    char words[2][SW_SEMVER_STR_MAX + 16], cmds[2][128];
    char *argv[2];
    int nw = 0;
    size_t ngot = 0;
    *path = NULL;
    sw_doctor_toolfix(f, r, &fix);
    if (fix.tinygo[0])
        snprintf(words[nw++], sizeof(words[0]), "tinygo@%s", fix.tinygo);
    if (fix.wasm_tools[0])
        snprintf(words[nw++], sizeof(words[0]), "wasm-tools@%s", fix.wasm_tools);
    if (nw == 0)
        return 0;
    for (int i = 0; i < nw; i++) {
        argv[i] = words[i];
        snprintf(cmds[i], sizeof(cmds[i]), "setup-wash install %s", words[i]);
    }
    if (sw_tool_reqs_parse(argv, nw, &reqs, err) < 0)
        return -1;
    /* the Go doctor checked against is the one install checks the set against */
    sw_doctor_gobuild(f, &plan->go);
    plan->gomod = f->project.gomod;
    plan->go_probed = true;
    char what[2 * sizeof(words[0]) + 8];
    snprintf(what, sizeof(what), "%s%s%s", words[0], nw > 1 ? " and " : "", nw > 1 ? words[1] : "");
    sw_info(ctx, "doctor --fix: installing %s into the cache", what);
    cJSON *arr = json ? cJSON_CreateArray() : NULL;
    struct sw_error e = {0};
    int rc = sw_tools_install_done(ctx, plan, &reqs, arr, got, &e);
    cJSON_Delete(arr);
    if (rc < 0)
        sw_warn(ctx, "doctor --fix: installing %s failed: %s", what, e.msg);
    else
        ngot = reqs.n;
    struct sw_buf p = SW_BUF_INIT;
    for (int i = 0; i < nw; i++) {
        struct sw_fix_install in = {0};
        const struct sw_tool *t = reqs.items[i].tool;
        snprintf(in.tool, sizeof(in.tool), "%s", t->name);
        for (size_t k = 0; k < ngot; k++)
            if (got[k].tool == t) {
                snprintf(in.version, sizeof(in.version), "%s", got[k].version);
                snprintf(in.bin, sizeof(in.bin), "%s", got[k].bin);
                in.downloaded = !got[k].hit;
                sw_buf_printf(&p, "%s%c", got[k].bin, SW_OS_PATH_LIST_SEP);
            }
        add_done(r, cmds[i], rc < 0 ? e.code : 0, &in, done, n);
    }
    for (size_t k = 0; k < ngot; k++)
        sw_tool_done_free(&got[k]);
    sw_tool_reqs_free(&reqs);
    if (p.len) {
        if (path_env && path_env[0])
            sw_buf_adds(&p, path_env);
        else
            p.data[--p.len] = '\0'; /* no empty entry: it would mean the current directory */
        *path = sw_buf_detach(&p);
    }
    sw_buf_free(&p);
    return 0;
}
