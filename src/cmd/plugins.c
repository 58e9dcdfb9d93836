/* setup-wash plugins add|lock|install|verify|list: wash plugins pinned in plugins.lock. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/commands.h"
#include "cmd/plan.h"
#include "cmd/plugins_fetch.h"
#include "core/buf.h"
#include "core/plugins.h"
#include "core/text.h"
#include "gha/gha.h"
#include "io/fs.h"
#include "io/host.h"
#include "io/plugin_dir.h"
#include "os/os.h"

struct pctx {
    struct sw_ctx *ctx;
    const struct sw_args *args;
    char *lock_path;
    struct sw_lock *lock;
    char *data_dir; /* wash's data directory */
};


/* A path in a --json answer, in the platform's own form (C:\\... on Windows). */
static void add_path(cJSON *o, const char *key, const char *path)
{
    char *native = sw_os_path_out(path);
    cJSON_AddStringToObject(o, key, native);
    free(native);
}
static void pctx_free(struct pctx *p)
{
    free(p->lock_path);
    sw_lock_free(p->lock);
    free(p->data_dir);
}

static int open_lock(struct pctx *p, bool may_be_new, struct sw_error *err)
{
    const char *flag = sw_arg(p->args, "lock");
    p->lock_path = sw_xstrdup(flag ? flag : "plugins.lock");
    if (sw_lock_load(p->lock_path, !may_be_new, &p->lock, err) < 0)
        return -1;
    if (!p->lock)
        p->lock = sw_lock_new();
    return 0;
}

static int save_lock(struct pctx *p, struct sw_error *err)
{
    char *text = sw_lock_format(p->lock);
    int rc = sw_fs_write_atomic(p->lock_path, text, strlen(text), 0644, err);
    free(text);
    return rc;
}

static int data_dir(struct pctx *p, struct sw_error *err)
{
    const char *flag = sw_arg(p->args, "data-dir");
    struct sw_target host;
    if (flag) {
        p->data_dir = sw_os_path_in(flag);
        return 0;
    }
    if (sw_host_target(&host, err) < 0)
        return -1;
    char *dir = sw_wash_data_dir(host.os, p->ctx->xdg_data_home, p->ctx->home, p->ctx->appdata);
    p->data_dir = dir ? sw_os_path_in(dir) : NULL; /* Windows: '/'-separated like the rest */
    free(dir);
    if (!p->data_dir)
        return sw_error_set(err, SW_EXIT_USAGE,
                            "cannot tell where wash keeps its data (HOME is not set): pass "
                            "--data-dir DIR");
    return 0;
}

static char *installed_path(const struct pctx *p, const char *name)
{
    return sw_plugin_installed_path(p->data_dir, name);
}

/* The plugin package the wash in use loads: --wash-version, else the lock's wash. */
static int wash_pkg(struct pctx *p, const char **pkg, bool required, struct sw_error *err)
{
    const char *v = sw_arg(p->args, "wash-version");
    struct sw_semver wash;
    *pkg = NULL;
    if (!v && p->lock->wash)
        v = p->lock->wash->version;
    if (!v) {
        if (!required)
            return 0;
        return sw_error_set(err, SW_EXIT_USAGE,
                            "cannot tell which wash will load the plugins: pin wash in %s "
                            "('setup-wash lock --version SPEC') or pass --wash-version",
                            p->lock_path);
    }
    struct sw_spec spec;
    if (sw_spec_parse(v, &spec, err) < 0)
        return -1;
    if (spec.kind != SW_SPEC_EXACT) {
        sw_spec_free(&spec);
        return sw_error_set(err, SW_EXIT_USAGE, "--wash-version needs an exact version, not '%s'",
                            v);
    }
    wash = spec.exact;
    sw_spec_free(&spec);
    return sw_wash_plugin_pkg(&wash, p->lock->nplugins, pkg, err);
}

static void fetch_init(struct pctx *p, struct sw_plugins_fetch *f, struct sw_http *h,
                       char **docker_cfg)
{
    *docker_cfg = p->ctx->docker_config ? sw_path_join(p->ctx->docker_config, "config.json")
                                        : NULL;
    memset(f, 0, sizeof(*f));
    f->lock = p->lock;
    f->lock_path = p->lock_path;
    f->cache_root = p->ctx->cache_root;
    f->http = h;
    f->oci.plain_http = p->ctx->plain_http;
    f->oci.docker_config = *docker_cfg;
    f->oci.home = p->ctx->home;
    f->oci.path_env = p->ctx->path_env;
    f->allow_outside = sw_flag(p->args, "allow-path-outside-project");
}

static int cmd_add(struct pctx *p, struct sw_error *err)
{
    if (p->args->npos < 2)
        return sw_error_set(err, SW_EXIT_USAGE,
                            "'plugins add' needs a source: an OCI reference, an https URL or a "
                            "path relative to the lock");
    const char *source = p->args->pos[1];
    char *name = sw_arg(p->args, "name") ? sw_xstrdup(sw_arg(p->args, "name"))
                                         : sw_plugin_default_name(source);
    int rc = -1;
    if (open_lock(p, true, err) < 0 || sw_lock_add_plugin(p->lock, name, source, err) < 0 ||
        save_lock(p, err) < 0)
        goto out;
    sw_result(p->ctx, "added plugin '%s' (%s) to %s; pin it with 'setup-wash plugins lock'", name,
              source, p->lock_path);
    rc = 0;
out:
    free(name);
    return rc;
}

static int cmd_lock(struct pctx *p, struct sw_error *err)
{
    struct sw_plugins_fetch f;
    char *cfg = NULL;
    int rc = -1;
    if (open_lock(p, false, err) < 0)
        goto out;
    struct sw_http *h = sw_ctx_http(p->ctx, err);
    if (!h)
        goto out;
    fetch_init(p, &f, h, &cfg);
    f.refresh = true;
    if (wash_pkg(p, &f.pkg, false, err) < 0 || sw_plugins_fetch(&f, err) < 0 ||
        save_lock(p, err) < 0)
        goto out;
    for (size_t i = 0; i < p->lock->nplugins; i++) {
        const struct sw_lock_plugin *pl = &p->lock->plugins[i];
        sw_result(p->ctx, "locked %s %s (plugin@%s, %lld bytes)", pl->name, pl->digest,
                  pl->wit ? pl->wit : "?", (long long)pl->size);
    }
    rc = 0;
out:
    free(cfg);
    return rc;
}

/* Copies a cached plugin to <data>/plugins/<name>.wasm through a temporary file. */
static int place(struct pctx *p, const struct sw_lock_plugin *pl, bool *changed,
                 struct sw_error *err)
{
    char *dest = installed_path(p, pl->name);
    char *src = sw_plugin_cas_path(p->ctx->cache_root, pl->digest);
    char *dir = sw_path_join(p->data_dir, "plugins");
    char have[80];
    int rc = -1;
    *changed = false;
    if (sw_plugin_state_of(p->data_dir, pl, have, sizeof(have)) == SW_PLUGIN_OK) {
        rc = 0;
        goto out;
    }
    if (sw_fs_mkdir_p(dir, 0755, err) < 0 || sw_fs_copy_atomic(src, dest, 0644, err) < 0)
        goto out;
    *changed = true;
    rc = 0;
out:
    free(dest);
    free(src);
    free(dir);
    return rc;
}

/* The job summary's section for the plugins: one row a plugin. */
static int summary(const struct pctx *p, struct sw_error *err)
{
    struct sw_buf md = SW_BUF_INIT;
    sw_buf_adds(&md, "### wash plugins\n\n");
    if (p->lock->nplugins == 0) {
        sw_buf_adds(&md, "No plugins in `");
        sw_md_cell(&md, p->lock_path);
        sw_buf_adds(&md, "`.\n\n");
    } else {
        sw_buf_adds(&md, "| plugin | interface | digest | source |\n|---|---|---|---|\n");
    }
    for (size_t i = 0; i < p->lock->nplugins; i++) {
        const struct sw_lock_plugin *pl = &p->lock->plugins[i];
        sw_buf_adds(&md, "| ");
        sw_md_cell(&md, pl->name);
        sw_buf_printf(&md, " | plugin@%s | `", pl->wit ? pl->wit : "?");
        sw_md_cell(&md, pl->digest ? pl->digest : "");
        sw_buf_adds(&md, "` | ");
        sw_md_cell(&md, pl->source);
        sw_buf_adds(&md, " |\n");
    }
    if (p->lock->nplugins)
        sw_buf_adds(&md, "\n");
    int rc = sw_gha_summary(p->ctx->step_summary, sw_buf_str(&md), err);
    sw_buf_free(&md);
    return rc;
}

static int cmd_install(struct pctx *p, struct sw_error *err)
{
    struct sw_plugins_fetch f;
    char *cfg = NULL;
    struct sw_buf names = SW_BUF_INIT;
    cJSON *json = NULL;
    int rc = -1;
    if (open_lock(p, false, err) < 0 || data_dir(p, err) < 0)
        goto out;
    if (p->lock->nplugins == 0) {
        sw_info(p->ctx, "%s lists no plugins: nothing to install", p->lock_path);
    } else {
        struct sw_http *h = sw_ctx_http(p->ctx, err);
        if (!h)
            goto out;
        fetch_init(p, &f, h, &cfg);
        f.frozen = sw_flag(p->args, "frozen");
        if (wash_pkg(p, &f.pkg, true, err) < 0)
            goto out;
        for (size_t i = 0; i < p->lock->nplugins; i++)
            if (!p->lock->plugins[i].digest)
                sw_warn(p->ctx, "plugin '%s' is not pinned in %s: resolving '%s' now; run "
                        "'setup-wash plugins lock' to pin it",
                        p->lock->plugins[i].name, p->lock_path, p->lock->plugins[i].source);
        if (sw_plugins_fetch(&f, err) < 0)
            goto out;
    }
    /* everything is verified and cached: only now does anything reach wash's directory */
    json = cJSON_CreateArray();
    for (size_t i = 0; i < p->lock->nplugins; i++) {
        const struct sw_lock_plugin *pl = &p->lock->plugins[i];
        bool changed;
        if (place(p, pl, &changed, err) < 0)
            goto out;
        char *dest = installed_path(p, pl->name), *shown = sw_os_path_out(dest);
        if (!sw_flag(p->args, "json"))
            sw_result(p->ctx, "%s %s -> %s", changed ? "installed" : "up to date", pl->name, shown);
        free(shown);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", pl->name);
        cJSON_AddStringToObject(o, "digest", pl->digest);
        cJSON_AddStringToObject(o, "wit", pl->wit ? pl->wit : "");
        add_path(o, "path", dest);
        cJSON_AddBoolToObject(o, "changed", changed);
        cJSON_AddItemToArray(json, o);
        sw_buf_printf(&names, "%s%s", names.len ? "," : "", pl->name);
        free(dest);
    }
    if (p->ctx->github_output &&
        sw_gha_set_output(p->ctx->github_output, "plugins-installed", sw_buf_str(&names), err) < 0)
        goto out;
    if (p->ctx->step_summary && summary(p, err) < 0)
        goto out;
    if (sw_flag(p->args, "json")) {
        cJSON *o = cJSON_CreateObject();
        char *pdir = sw_path_join(p->data_dir, "plugins");
        add_path(o, "plugins-dir", pdir);
        free(pdir);
        cJSON_AddItemToObject(o, "plugins", json);
        json = NULL;
        sw_print_json(p->ctx, o);
    }
    rc = 0;
out:
    cJSON_Delete(json);
    sw_buf_free(&names);
    free(cfg);
    return rc;
}

static int cmd_verify_or_list(struct pctx *p, bool verify, struct sw_error *err)
{
    struct sw_buf bad = SW_BUF_INIT;
    size_t nbad = 0;
    if (open_lock(p, false, err) < 0 || data_dir(p, err) < 0)
        return -1;
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < p->lock->nplugins; i++) {
        const struct sw_lock_plugin *pl = &p->lock->plugins[i];
        char have[80];
        const char *st = sw_plugin_state_name(sw_plugin_state_of(p->data_dir, pl, have, sizeof(have)));
        if (strcmp(st, "ok") != 0) {
            nbad++;
            sw_buf_printf(&bad, "%s'%s' is %s%s%s%s%s", bad.len ? "; " : "", pl->name, st,
                          have[0] && pl->digest ? " (" : "", have[0] && pl->digest ? have : "",
                          have[0] && pl->digest ? ", the lock pins " : "",
                          have[0] && pl->digest ? pl->digest : "");
            if (have[0] && pl->digest)
                sw_buf_adds(&bad, ")");
        }
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", pl->name);
        cJSON_AddStringToObject(o, "source", pl->source);
        cJSON_AddStringToObject(o, "digest", pl->digest ? pl->digest : "");
        cJSON_AddStringToObject(o, "wit", pl->wit ? pl->wit : "");
        cJSON_AddStringToObject(o, "state", st);
        cJSON_AddItemToArray(arr, o);
        if (!sw_flag(p->args, "json") && !verify)
            sw_result(p->ctx, "%-28s %-9s plugin@%-6s %s", pl->name, st, pl->wit ? pl->wit : "?",
                      pl->source);
    }
    /* wash loads every *.wasm there: one the lock does not list is worth a warning */
    char *dir = sw_path_join(p->data_dir, "plugins");
    if (p->lock->nplugins == 0 && !sw_flag(p->args, "json") && !verify) {
        char *shown = sw_os_path_out(dir);
        sw_result(p->ctx, "%s lists no plugins; wash loads them from %s", p->lock_path, shown);
        free(shown);
    }
    struct sw_os_dir *d = sw_os_opendir(dir);
    for (const char *f; d && (f = sw_os_readdir(d));) {
        size_t l = strlen(f);
        if (l < 6 || strcmp(f + l - 5, ".wasm") != 0)
            continue;
        char name[256];
        snprintf(name, sizeof(name), "%.*s", (int)(l - 5), f);
        if (!sw_lock_plugin_named(p->lock, name))
            sw_warn(p->ctx, "'%s/%s' is not in %s, and wash will load it too", dir, f,
                    p->lock_path);
    }
    sw_os_closedir(d);
    if (sw_flag(p->args, "json")) {
        cJSON *o = cJSON_CreateObject();
        add_path(o, "plugins-dir", dir);
        cJSON_AddItemToObject(o, "plugins", arr);
        sw_print_json(p->ctx, o);
    } else {
        cJSON_Delete(arr);
    }
    free(dir);
    int rc = 0;
    if (verify && nbad)
        rc = sw_error_set(err, SW_EXIT_VERIFY,
                          "%zu of %zu plugins do not match %s: %s; run 'setup-wash plugins "
                          "install' to restore them",
                          nbad, p->lock->nplugins, p->lock_path, sw_buf_str(&bad));
    else if (verify && !sw_flag(p->args, "json"))
        sw_result(p->ctx, "%zu plugin%s match %s", p->lock->nplugins,
                  p->lock->nplugins == 1 ? "" : "s", p->lock_path);
    sw_buf_free(&bad);
    return rc;
}

static int cmd_plugins(struct sw_ctx *ctx, const struct sw_args *args, struct sw_error *err)
{
    struct pctx p = {.ctx = ctx, .args = args};
    int rc = -1;
    if (args->npos < 1)
        return sw_error_set(err, SW_EXIT_USAGE,
                            "'plugins' needs a subcommand: add, lock, install, verify or list");
    const char *sub = args->pos[0];
    if (strcmp(sub, "add") != 0 && args->npos > 1)
        return sw_error_set(err, SW_EXIT_USAGE, "unexpected argument '%s' for 'plugins %s'",
                            args->pos[1], sub);
    if (sw_ctx_set_cache_root(ctx, sw_arg(args, "cache-dir"), err) < 0)
        return -1;
    if (sw_arg(args, "cacert"))
        ctx->cacert = sw_arg(args, "cacert");
    if (strcmp(sub, "add") == 0)
        rc = cmd_add(&p, err);
    else if (strcmp(sub, "lock") == 0)
        rc = cmd_lock(&p, err);
    else if (strcmp(sub, "install") == 0)
        rc = cmd_install(&p, err);
    else if (strcmp(sub, "verify") == 0)
        rc = cmd_verify_or_list(&p, true, err);
    else if (strcmp(sub, "list") == 0)
        rc = cmd_verify_or_list(&p, false, err);
    else
        rc = sw_error_set(err, SW_EXIT_USAGE,
                          "unknown subcommand 'plugins %s': use add, lock, install, verify or "
                          "list",
                          sub);
    pctx_free(&p);
    return rc;
}

static const struct sw_opt plugins_opts[] = {
    {"lock", "FILE", "the lockfile (default: ./plugins.lock)"},
    {"name", "NAME", "add: the plugin's name (default: from the source)"},
    {"frozen", NULL, "install: refuse to resolve anything the lock does not pin"},
    {"allow-path-outside-project", NULL, "lock, install: let path sources leave the project"},
    {"wash-version", "VERSION", "the wash that loads the plugins (default: the lock's wash)"},
    {"data-dir", "DIR", "wash's data directory (default: $XDG_DATA_HOME/wash)"},
    {"cache-dir", "DIR", "cache root (default: RUNNER_TOOL_CACHE, else XDG cache)"},
    {"cacert", "FILE", "CA bundle to trust"},
    {"json", NULL, "install, list: print the result as JSON"},
    {"quiet", NULL, "no information on stderr"},
    {"help", NULL, "show this help"},
    {NULL, NULL, NULL},
};

const struct sw_cmd sw_cmd_plugins = {
    .name = "plugins",
    .summary = "add, pin, install and verify the wash plugins listed in plugins.lock",
    .usage = "add SOURCE | lock | install | verify | list",
    .opts = plugins_opts,
    .max_pos = 2,
    .run = cmd_plugins,
    .details =
        "  add SOURCE   list a plugin: an OCI reference (ghcr.io/org/plugin:1.0), an https URL\n"
        "               or a path relative to the lock (./plugins/x.wasm)\n"
        "  lock         resolve every plugin to a digest (OCI tags to manifests), check each\n"
        "               is a plugin for the wash the lock pins, and write the lock\n"
        "  install      install exactly what the lock pins into <data-dir>/plugins/<name>.wasm;\n"
        "               every plugin is downloaded (in parallel), verified and checked before\n"
        "               any is installed; a second run uses the cache and makes no request\n"
        "  verify       check the installed files against the lock (exit 5 when they differ)\n"
        "  list         the lock's plugins and whether each is installed as pinned\n"
        "\n"
        "A path source is relative to the lock's directory and must resolve (symlinks\n"
        "followed) inside the lock's project: the top of the git work tree that holds the\n"
        "lock (found by its .git entry), else the lock's directory; absolute paths and ../\n"
        "that leave it are refused unless --allow-path-outside-project is given (for a lock\n"
        "you trust: a pull request's lock is not). It must be a regular file (no device,\n"
        "FIFO or directory) of at most 256 MiB and, when pinned, of the pinned size.\n"
        "\n"
        "wash 1.0.0-beta.1 to beta.5 load plugins exporting wasmcloud:wash/plugin@0.0.1,\n"
        "beta.6 to 2.0.0-rc.7 load @0.0.2, and 2.0.0-rc.8 and later load none.\n"
        "Registry credentials come from $DOCKER_CONFIG/config.json or ~/.docker/config.json\n"
        "(auths, credsStore, credHelpers). SETUP_WASH_PLAIN_HTTP_REGISTRIES lists host:port\n"
        "registries reached over plain HTTP; credentials go over plain HTTP only to those\n"
        "and to loopback, with a warning.\n",
};
