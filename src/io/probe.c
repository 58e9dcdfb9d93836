#include "io/probe.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/compat.h"
#include "core/toolver.h"
#include "core/semver.h"
#include "data/toolchains.h"
#include "io/fs.h"
#include "os/os.h"
#include "io/proc.h"

#define MAX_FILE (1024u * 1024u)

/* Reads dir/name when it exists: 1 and the text in b; 0 when absent; -1 with why[] when
 * it exists but cannot be read. */
static int read_opt(const char *dir, const char *name, struct sw_buf *b, char *why, size_t n)
{
    char *path = sw_path_join(dir, name);
    int rc = 0;
    if (sw_fs_is_file(path)) {
        struct sw_error err = {0};
        rc = sw_fs_read(path, MAX_FILE, b, NULL, &err) < 0 ? -1 : 1;
        if (rc < 0)
            snprintf(why, n, "%s", err.msg);
    }
    free(path);
    return rc;
}

static bool has_file(const char *dir, const char *name)
{
    char *path = sw_path_join(dir, name);
    bool ok = sw_fs_is_file(path);
    free(path);
    return ok;
}

int sw_probe_project(const char *dir, struct sw_project *p, struct sw_error *err)
{
    memset(p, 0, sizeof(*p));
    if (!sw_fs_is_dir(dir))
        return sw_error_set(err, SW_EXIT_USAGE, "project directory '%s' does not exist or is "
                            "not a directory: pass --project DIR", dir);
    struct sw_buf b = SW_BUF_INIT;
    char why[512] = "";

    p->cargo = has_file(dir, "Cargo.toml");
    if (has_file(dir, "rust-toolchain.toml"))
        snprintf(p->rust_toolchain, sizeof(p->rust_toolchain), "rust-toolchain.toml");
    else if (has_file(dir, "rust-toolchain"))
        snprintf(p->rust_toolchain, sizeof(p->rust_toolchain), "rust-toolchain");

    if (read_opt(dir, "go.mod", &b, why, sizeof(why)) != 0) {
        p->gomod.present = true;
        sw_gomod_parse(b.data ? b.data : "", b.len, &p->gomod);
        sw_buf_reset(&b);
        if (read_opt(dir, "go.sum", &b, why, sizeof(why)) > 0)
            sw_gosum_parse(b.data ? b.data : "", b.len, &p->gomod);
    }
    sw_buf_reset(&b);
    int pj = read_opt(dir, "package.json", &b, why, sizeof(why));
    if (pj != 0) {
        p->pkg.present = true;
        if (pj > 0)
            sw_pkgjson_parse(b.data ? b.data : "", b.len, &p->pkg);
        else
            p->pkg.invalid = true;
    }
    sw_buf_reset(&b);
    p->tsconfig = has_file(dir, "tsconfig.json");

    static const char *const configs[] = {".wash/config.yaml", ".wash/config.yml",
                                          ".wash/config.json"};
    for (size_t i = 0; i < sizeof(configs) / sizeof(configs[0]); i++) {
        int rc = read_opt(dir, configs[i], &b, why, sizeof(why));
        if (rc == 0)
            continue;
        struct sw_washcfg *c = &p->washcfg;
        snprintf(c->file, sizeof(c->file), "%s", configs[i]);
        if (rc < 0) {
            c->invalid = true;
            snprintf(c->error, sizeof(c->error), "%s", why);
        } else if (strstr(configs[i], ".json")) {
            sw_washcfg_parse_json(b.data ? b.data : "", b.len, c);
        } else {
            sw_washcfg_parse_yaml(b.data ? b.data : "", b.len, c);
        }
        break;
    }
    sw_buf_reset(&b);

    int lk = read_opt(dir, "plugins.lock", &b, why, sizeof(why));
    if (lk != 0) {
        p->plugins_lock = true;
        if (lk > 0) {
            p->plugins_lock_len = b.len;
            p->plugins_lock_text = sw_buf_detach(&b);
        } else {
            snprintf(p->plugins_lock_error, sizeof(p->plugins_lock_error), "%s", why);
        }
    }
    sw_buf_free(&b);
    return 0;
}

char *sw_probe_cached_wash(const char *root, const char *arch)
{
    if (!root || !arch)
        return NULL;
    char *washdir = sw_path_join(root, "wash");
    struct sw_os_dir *d = sw_os_opendir(washdir);
    char *best = NULL;
    struct sw_semver best_v;
    const char *name;
    while (d && (name = sw_os_readdir(d))) {
        struct sw_semver v;
        if (sw_semver_parse(name, &v, NULL) < 0)
            continue; /* .staging-*, stray files */
        char *marker = sw_xasprintf("%s/%s/%s.complete", washdir, name, arch);
        char *exe = sw_xasprintf("%s/%s/%s/wash" SW_OS_EXE_SUFFIX, washdir, name, arch);
        if (sw_fs_is_file(marker) && sw_fs_is_file(exe) &&
            (!best || sw_semver_cmp(&v, &best_v) > 0)) {
            free(best);
            best = exe;
            exe = NULL;
            best_v = v;
        }
        free(marker);
        free(exe);
    }
    sw_os_closedir(d);
    free(washdir);
    return best;
}

/* One program to run, and where its answer goes. */
struct job {
    struct sw_probe *probe;
    const char *argv[6];
    const char *env[2];
    const char *dir;
    char *path; /* owned */
};

static void add_job(struct job *jobs, size_t *n, struct sw_probe *probe, char *path,
                    const char *dir, const char *const *argv)
{
    struct job *j = &jobs[(*n)++];
    memset(j, 0, sizeof(*j));
    j->probe = probe;
    j->path = path;
    j->dir = dir;
    for (size_t i = 0; argv[i] && i < 5; i++)
        j->argv[i] = argv[i];
    struct sw_buf cmd = SW_BUF_INIT;
    for (size_t i = 0; argv[i]; i++)
        sw_buf_printf(&cmd, "%s%s", i ? " " : "", argv[i]);
    snprintf(probe->cmd, sizeof(probe->cmd), "%s", sw_buf_str(&cmd));
    sw_buf_free(&cmd);
    snprintf(probe->path, sizeof(probe->path), "%s", path);
}

/* Looks a program up; an absent one is recorded and gets no job. */
static char *find(const struct sw_probe_config *cfg, struct sw_probe *probe, const char *name)
{
    char *path = sw_proc_which(name, cfg->path_env);
    if (!path) {
        probe->state = SW_PROBE_ABSENT;
        snprintf(probe->path, sizeof(probe->path), "%s", name);
    }
    return path;
}

static void record(struct sw_probe *p, const struct sw_proc_result *r, long timeout_s)
{
    p->timeout_s = timeout_s;
    const char *out = sw_buf_str(&r->out), *errtext = sw_buf_str(&r->err);
    switch (r->state) {
    case SW_PROC_EXITED:
        p->state = r->status == 0 ? SW_PROBE_OK : SW_PROBE_FAILED;
        p->status = r->status;
        /* a program that answers on stderr still answers */
        snprintf(p->out, sizeof(p->out), "%s", out[0] || r->status ? out : errtext);
        snprintf(p->detail, sizeof(p->detail), "%s", errtext[0] ? errtext : out);
        break;
    case SW_PROC_SIGNALED:
        p->state = SW_PROBE_FAILED;
        p->status = -r->status;
        snprintf(p->detail, sizeof(p->detail), "%s", errtext);
        break;
    case SW_PROC_TIMEOUT:
        p->state = SW_PROBE_TIMEOUT;
        break;
    case SW_PROC_NOSTART:
        p->state = SW_PROBE_ERROR;
        snprintf(p->detail, sizeof(p->detail), "%s", strerror(r->errno_start));
        break;
    }
}

#define ARGV(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Whether the wash at `path` sits in setup-wash's layout, <version>/<arch>/wash beside an
 * <arch>.complete marker (links followed): then it is a release build setup-wash installed. */
static bool installed_by_us(const char *path)
{
    char *real = sw_os_realpath(path);
    bool yes = false;
    char *slash = real ? strrchr(real, '/') : NULL;
    if (slash && slash != real) {
        *slash = '\0';
        char *marker = sw_xasprintf("%s.complete", real);
        yes = sw_fs_is_file(marker);
        free(marker);
    }
    free(real);
    return yes;
}

/* `wash config validate` in the project, after `wash --version` told that it exists. */
static int validate(const struct sw_probe_config *cfg, struct sw_doctor_facts *f,
                    struct sw_error *err)
{
    struct job j;
    size_t n = 0;
    add_job(&j, &n, &f->wash_validate, sw_xstrdup(f->wash.path), cfg->project_dir,
            ARGV("wash", "config", "validate"));
    struct sw_proc_spec spec = {
        .path = j.path,
        .argv = j.argv,
        .dir = j.dir,
        .timeout_ms = cfg->timeout_s * 1000,
    };
    struct sw_proc_result res;
    memset(&res, 0, sizeof(res));
    int rc = sw_proc_run_many(&spec, 1, &res, err);
    if (rc == 0)
        record(&f->wash_validate, &res, cfg->timeout_s);
    sw_proc_result_free(&res);
    free(j.path);
    return rc;
}

int sw_probe_tools(const struct sw_probe_config *cfg, struct sw_doctor_facts *f,
                   struct sw_error *err)
{
    struct job jobs[16];
    size_t n = 0;
    unsigned t = cfg->tools;
    const char *dir = cfg->project_dir;
    char *path;
    int rc = -1;

    if (t & SW_T_WASH) {
        path = sw_proc_which("wash", cfg->path_env);
        f->wash_source = path ? SW_WASH_PATH : SW_WASH_NONE;
        if (!path && (path = sw_probe_cached_wash(cfg->cache_root, cfg->cache_arch)))
            f->wash_source = SW_WASH_CACHE;
        if (path)
            add_job(jobs, &n, &f->wash, path, dir, ARGV("wash", "--version"));
        else
            f->wash.state = SW_PROBE_ABSENT;
    }
    if ((t & SW_T_GO) && (path = find(cfg, &f->go, "go"))) {
        add_job(jobs, &n, &f->go, path, dir, ARGV("go", "env", "GOVERSION"));
        /* the Go on PATH itself, outside the project so go.mod cannot switch it */
        add_job(jobs, &n, &f->go_local, sw_xstrdup(path), "/", ARGV("go", "env", "GOVERSION"));
        jobs[n - 1].env[0] = "GOTOOLCHAIN=local";
        snprintf(f->go_local.cmd, sizeof(f->go_local.cmd), "GOTOOLCHAIN=local go env GOVERSION");
    }
    if ((t & SW_T_TINYGO) && (path = find(cfg, &f->tinygo, "tinygo")))
        add_job(jobs, &n, &f->tinygo, path, dir, ARGV("tinygo", "version"));
    if (t & SW_T_WASM_TOOLS) {
        f->wasm_tools_from_env = cfg->wasmtools_env != NULL;
        path = find(cfg, &f->wasm_tools, cfg->wasmtools_env ? cfg->wasmtools_env : "wasm-tools");
        if (path)
            add_job(jobs, &n, &f->wasm_tools, path, dir, ARGV("wasm-tools", "--version"));
    }
    if ((t & SW_T_WKG) && (path = find(cfg, &f->wkg, "wkg")))
        add_job(jobs, &n, &f->wkg, path, dir, ARGV("wkg", "--version"));
    if ((t & SW_T_COMPONENTIZE_GO) && (path = find(cfg, &f->componentize_go, "componentize-go")))
        add_job(jobs, &n, &f->componentize_go, path, dir, ARGV("componentize-go", "--version"));
    if ((t & SW_T_WIT_BINDGEN_GO) && (path = find(cfg, &f->wit_bindgen_go, "wit-bindgen-go")))
        add_job(jobs, &n, &f->wit_bindgen_go, path, dir, ARGV("wit-bindgen-go", "--version"));
    /* rustup's proxies would install a toolchain that rust-toolchain.toml names and rustup
     * lacks; doctor observes what is there and downloads nothing */
    size_t rust_from = n;
    if ((t & SW_T_RUSTC) && (path = find(cfg, &f->rustc, "rustc")))
        add_job(jobs, &n, &f->rustc, path, dir, ARGV("rustc", "-vV"));
    if (t & SW_T_RUST_TARGETS) {
        if ((path = find(cfg, &f->rustup, "rustup")))
            add_job(jobs, &n, &f->rustup, path, dir, ARGV("rustup", "target", "list", "--installed"));
        else if ((path = find(cfg, &f->sysroot, "rustc")))
            add_job(jobs, &n, &f->sysroot, path, dir, ARGV("rustc", "--print", "sysroot"));
    }
    for (size_t i = rust_from; i < n; i++)
        jobs[i].env[0] = "RUSTUP_AUTO_INSTALL=0";
    if ((t & SW_T_CARGO_COMPONENT) &&
        (path = find(cfg, &f->cargo_component, "cargo-component")))
        add_job(jobs, &n, &f->cargo_component, path, dir, ARGV("cargo-component", "--version"));
    if ((t & SW_T_NODE) && (path = find(cfg, &f->node, "node")))
        add_job(jobs, &n, &f->node, path, dir, ARGV("node", "--version"));
    if (t & SW_T_JCO) {
        char *local = sw_path_join(dir, "node_modules/.bin/jco");
        path = sw_proc_which(local, NULL);
        free(local);
        f->jco_local = path != NULL;
        if (path || (path = find(cfg, &f->jco, "jco")))
            add_job(jobs, &n, &f->jco, path, dir, ARGV("jco", "--version"));
    }

    struct sw_proc_spec specs[16];
    struct sw_proc_result res[16];
    memset(res, 0, sizeof(res));
    for (size_t i = 0; i < n; i++) {
        specs[i] = (struct sw_proc_spec){
            .path = jobs[i].path,
            .argv = jobs[i].argv,
            .dir = jobs[i].dir,
            .env = jobs[i].env[0] ? jobs[i].env : NULL,
            .timeout_ms = cfg->timeout_s * 1000,
        };
    }
    if (sw_proc_run_many(specs, n, res, err) < 0)
        goto out;
    for (size_t i = 0; i < n; i++)
        record(jobs[i].probe, &res[i], cfg->timeout_s);
    if (f->wash.state == SW_PROBE_OK)
        f->wash_installed = f->wash_source == SW_WASH_CACHE || installed_by_us(f->wash.path);
    if ((t & SW_T_WASH_VALIDATE) && sw_doctor_validates(f) &&
        validate(cfg, f, err) < 0)
        goto out;
    if (f->sysroot.state == SW_PROBE_OK) {
        char root[2048];
        snprintf(root, sizeof(root), "%s", f->sysroot.out);
        root[strcspn(root, "\r\n")] = '\0';
        char *target = sw_xasprintf("%s/lib/rustlib/%s", root, SW_RUST_WASIP2_TARGET);
        f->sysroot_has_wasip2 = sw_fs_is_dir(target);
        free(target);
    }
    rc = 0;
out:
    for (size_t i = 0; i < n; i++) {
        free(jobs[i].path);
        sw_proc_result_free(&res[i]);
    }
    return rc;
}

int sw_probe_gobuild(const struct sw_probe_config *cfg, const char *gotoolchain,
                     struct sw_gomod *mod, struct sw_gobuild *out, struct sw_error *err)
{
    struct sw_doctor_facts f;
    memset(&f, 0, sizeof(f));
    memset(out, 0, sizeof(*out));
    int rc = -1;
    if (sw_probe_project(cfg->project_dir, &f.project, err) < 0)
        goto out;
    struct sw_probe_config c = *cfg;
    c.tools = SW_T_GO;
    if (sw_probe_tools(&c, &f, err) < 0)
        goto out;
    struct sw_gobuild_in in = {
        .answer = f.go.state == SW_PROBE_OK ? f.go.out : NULL,
        .local = f.go_local.state == SW_PROBE_OK ? f.go_local.out : NULL,
        .go_absent = f.go.state == SW_PROBE_ABSENT,
        .gotoolchain = gotoolchain,
        .mod = &f.project.gomod,
    };
    sw_gobuild_select(&in, out);
    if (!out->known && !in.go_absent) {
        char raw[256];
        sw_toolver_raw(raw, sizeof(raw), f.go.state == SW_PROBE_OK ? f.go.out : f.go.detail);
        snprintf(out->who, sizeof(out->who), "'go env GOVERSION' in %s %s: '%s'",
                 cfg->project_dir, f.go.state == SW_PROBE_TIMEOUT ? "timed out"
                                   : f.go.state == SW_PROBE_OK   ? "is not a Go version"
                                                                 : "failed",
                 raw);
    }
    *mod = f.project.gomod;
    rc = 0;
out:
    sw_project_free(&f.project);
    return rc;
}
