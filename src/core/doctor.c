/* Doctor's framework (the check table, selection, helpers) and the project and wash checks.
 * The language checks are in doctor_go.c and doctor_lang.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/attr.h"
#include "core/buf.h"
#include "core/doctor_int.h"
#include "core/lock.h"
#include "core/toolver.h"

#define GO_TOOLS (SW_T_GO | SW_T_TINYGO | SW_T_WASM_TOOLS | SW_T_WIT_BINDGEN_GO)
#define RUST_TOOLS (SW_T_RUSTC | SW_T_RUST_TARGETS | SW_T_CARGO_COMPONENT)
#define TS_TOOLS (SW_T_NODE | SW_T_JCO)

const struct sw_check_def sw_check_defs[] = {
    {"project", "which languages the project uses (Cargo.toml, go.mod, package.json)", 0,
     sw_chk_project},
    {"wash", "wash on PATH (or installed by setup-wash): version, line, plugin system", SW_T_WASH,
     sw_chk_wash},
    {"wash-config", "wash 2.x: .wash/config.yaml sets build.command; wash config validate (2.2+)",
     SW_T_WASH | SW_T_WASH_VALIDATE, sw_chk_wash_config},
    {"host-plugins", "wash 2.6+: host component plugins in the config or WASH_HOST_PLUGINS",
     SW_T_WASH, sw_chk_host_plugins},
    {"plugins", "plugins.lock against the wash in use and the installed plugins", SW_T_WASH,
     sw_chk_plugins},
    {"go", "Go: the version `go env GOVERSION` selects in the project", SW_T_GO | SW_T_TINYGO,
     sw_chk_go},
    {"tinygo", "TinyGo: version, -target=wasip2 support (0.33+)", SW_T_TINYGO | SW_T_GO,
     sw_chk_tinygo},
    {"tinygo-go", "Go inside the range of Go versions the installed TinyGo accepts",
     SW_T_GO | SW_T_TINYGO, sw_chk_tinygo_go},
    {"tinygo-built-with", "TinyGo 0.34+: Go not newer than the Go TinyGo was built with",
     SW_T_GO | SW_T_TINYGO, sw_chk_tinygo_built},
    {"wasm-tools", "wasm-tools (or $WASMTOOLS), which TinyGo's wasip2 builds run", SW_T_WASM_TOOLS,
     sw_chk_wasm_tools},
    {"wit-bindgen-go", "wit-bindgen-go >= 0.6.2 when wasm-tools is 1.226 or newer",
     SW_T_WIT_BINDGEN_GO | SW_T_WASM_TOOLS, sw_chk_wit_bindgen_go},
    {"tools-lock", "each tool plugins.lock pins against the one on PATH (version, cache path)", 0,
     sw_chk_tools_lock},
    {"rust", "rustc >= 1.82 (the first with wasm32-wasip2)", SW_T_RUSTC, sw_chk_rust},
    {"rust-wasip2", "the wasm32-wasip2 target is installed (rustup, or rustc's sysroot)",
     SW_T_RUSTC | SW_T_RUST_TARGETS, sw_chk_rust_wasip2},
    {"cargo-component", "cargo-component version, when installed (optional)", SW_T_CARGO_COMPONENT,
     sw_chk_cargo_component},
    {"node", "Node.js version, for a TypeScript project", SW_T_NODE, sw_chk_node},
    {"jco", "jco version (node_modules/.bin or PATH), for a TypeScript project", SW_T_JCO,
     sw_chk_jco},
};
const size_t sw_check_defs_len = sizeof(sw_check_defs) / sizeof(sw_check_defs[0]);

/* ---- helpers ---- */

static void vappend(char *dst, size_t n, const char *fmt, va_list ap)
    SW_PRINTF(3, 0);

static void vappend(char *dst, size_t n, const char *fmt, va_list ap)
{
    size_t len = strlen(dst);
    if (len + 1 < n)
        vsnprintf(dst + len, n - len, fmt, ap);
}

void sw_chk_set(struct sw_check *c, enum sw_check_status s, const char *fmt, ...)
{
    va_list ap;
    c->status = s;
    c->message[0] = '\0';
    va_start(ap, fmt);
    vappend(c->message, sizeof(c->message), fmt, ap);
    va_end(ap);
}

void sw_chk_more(struct sw_check *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vappend(c->message, sizeof(c->message), fmt, ap);
    va_end(ap);
}

void sw_chk_fix(struct sw_check *c, const char *fmt, ...)
{
    va_list ap;
    size_t len = strlen(c->fix);
    if (len && len + 2 < sizeof(c->fix))
        memcpy(c->fix + len, "; ", 3);
    va_start(ap, fmt);
    vappend(c->fix, sizeof(c->fix), fmt, ap);
    va_end(ap);
}

void sw_chk_found(struct sw_check *c, const char *key, const char *fmt, ...)
{
    if (c->nfound >= SW_CHECK_FOUND_MAX)
        return;
    struct sw_found *kv = &c->found[c->nfound++];
    snprintf(kv->key, sizeof(kv->key), "%s", key);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(kv->val, sizeof(kv->val), fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof(kv->val)) { /* cut: drop a last character left incomplete */
        size_t len = strlen(kv->val), last = len;
        while (last > 0 && ((unsigned char)kv->val[last - 1] & 0xC0) == 0x80)
            last--;
        if (last > 0 && sw_utf8_next(kv->val + last - 1, NULL) != len - last + 1)
            kv->val[last - 1] = '\0';
    }
}

void sw_chk_found_answer(struct sw_check *c, const char *key, const char *out)
{
    static const char space[] = " \t\r\n";
    if (!out)
        out = "";
    out += strspn(out, space);
    size_t n = strlen(out);
    while (n > 0 && strchr(space, out[n - 1]))
        n--;
    sw_chk_found(c, key, "%.*s", (int)n, out);
}

void sw_chk_not_lang(const struct sw_doctor_facts *f, struct sw_check *c, const char *lang,
                     const char *files)
{
    sw_chk_set(c, SW_CHECK_SKIP, "not a %s project: no %s in '%s'", lang, files, f->project_dir);
}

bool sw_chk_probe_failed(struct sw_check *c, const struct sw_probe *p, enum sw_check_status status,
                         const char *fix)
{
    char detail[256];
    sw_toolver_raw(detail, sizeof(detail), p->detail);
    switch (p->state) {
    case SW_PROBE_TIMEOUT:
        sw_chk_set(c, status, "'%s' timed out after %ld s (%s)", p->cmd, p->timeout_s, p->path);
        break;
    case SW_PROBE_FAILED:
        sw_chk_set(c, status, "'%s' failed with %s %d%s%s", p->cmd,
                   p->status < 0 ? "signal" : "exit code", p->status < 0 ? -p->status : p->status,
                   detail[0] ? ": " : "", detail);
        break;
    case SW_PROBE_ERROR:
        sw_chk_set(c, status, "cannot run '%s' (%s): %s", p->cmd, p->path, detail);
        break;
    default:
        return false;
    }
    sw_chk_found(c, "path", "%s", p->path);
    if (fix)
        sw_chk_fix(c, "%s", fix);
    return true;
}

const char *sw_check_status_name(enum sw_check_status s)
{
    switch (s) {
    case SW_CHECK_OK:
        return "ok";
    case SW_CHECK_WARN:
        return "warn";
    case SW_CHECK_ERROR:
        return "error";
    case SW_CHECK_SKIP:
        return "skip";
    }
    return "?";
}

/* ---- selection and running ---- */

int sw_doctor_select(const char *const *ids, size_t n, bool *selected, struct sw_error *err)
{
    for (size_t k = 0; k < sw_check_defs_len; k++)
        selected[k] = n == 0;
    for (size_t i = 0; i < n; i++) {
        size_t k = 0;
        while (k < sw_check_defs_len && strcmp(sw_check_defs[k].id, ids[i]) != 0)
            k++;
        if (k == sw_check_defs_len) {
            struct sw_buf known = SW_BUF_INIT;
            for (size_t j = 0; j < sw_check_defs_len; j++)
                sw_buf_printf(&known, "%s%s", j ? ", " : "", sw_check_defs[j].id);
            char id[64];
            sw_sanitize(id, sizeof(id), ids[i]);
            sw_error_set(err, SW_EXIT_USAGE, "unknown check '%s': the checks are %s", id,
                         sw_buf_str(&known));
            sw_buf_free(&known);
            return -1;
        }
        selected[k] = true;
    }
    return 0;
}

unsigned sw_doctor_tools(const struct sw_project *p, const bool *selected)
{
    unsigned tools = 0;
    for (size_t k = 0; k < sw_check_defs_len; k++)
        if (selected[k])
            tools |= sw_check_defs[k].tools;
    if (!p->gomod.present)
        tools &= ~(unsigned)GO_TOOLS;
    if (!p->cargo)
        tools &= ~(unsigned)RUST_TOOLS;
    if (!sw_project_is_ts(p))
        tools &= ~(unsigned)TS_TOOLS;
    if (!p->washcfg.file[0])
        tools &= ~(unsigned)SW_T_WASH_VALIDATE;
    return tools;
}

void sw_doctor_run(const struct sw_doctor_facts *f, const bool *selected, struct sw_report *out)
{
    memset(out, 0, sizeof(*out));
    out->checks = sw_xcalloc(sw_check_defs_len, sizeof(*out->checks));
    out->status = SW_CHECK_OK;
    for (size_t k = 0; k < sw_check_defs_len; k++) {
        if (!selected[k])
            continue;
        struct sw_check *c = &out->checks[out->n++];
        c->id = sw_check_defs[k].id;
        sw_check_defs[k].run(f, c);
        if (c->status == SW_CHECK_ERROR)
            out->status = SW_CHECK_ERROR;
        else if (c->status == SW_CHECK_WARN && out->status == SW_CHECK_OK)
            out->status = SW_CHECK_WARN;
    }
}

void sw_report_free(struct sw_report *r)
{
    if (!r)
        return;
    free(r->checks);
    r->checks = NULL;
    r->n = 0;
}

/* ---- project ---- */

void sw_chk_project(const struct sw_doctor_facts *f, struct sw_check *c)
{
    const struct sw_project *p = &f->project;
    struct sw_buf langs = SW_BUF_INIT, ids = SW_BUF_INIT;
    if (p->gomod.present) {
        sw_buf_adds(&langs, "Go (go.mod");
        if (p->gomod.toolchain[0])
            sw_buf_printf(&langs, ", toolchain %s", p->gomod.toolchain);
        sw_buf_adds(&langs, ")");
        sw_buf_adds(&ids, "go");
    }
    if (p->cargo) {
        sw_buf_printf(&langs, "%sRust (Cargo.toml)", langs.len ? ", " : "");
        sw_buf_printf(&ids, "%srust", ids.len ? "," : "");
    }
    if (sw_project_is_ts(p)) {
        sw_buf_printf(&langs, "%sTypeScript (%s)", langs.len ? ", " : "",
                      p->tsconfig ? "tsconfig.json" : "package.json");
        sw_buf_printf(&ids, "%stypescript", ids.len ? "," : "");
    }
    if (!langs.len) {
        sw_chk_set(c, SW_CHECK_WARN,
                   "no component project in '%s': no Cargo.toml, go.mod or TypeScript "
                   "package.json, so the language checks are skipped",
                   f->project_dir);
        sw_chk_fix(c, "run doctor in the project directory, or pass --project DIR");
    } else {
        sw_chk_set(c, SW_CHECK_OK, "%s in '%s'", sw_buf_str(&langs), f->project_dir);
    }
    if (langs.len && p->washcfg.file[0])
        sw_chk_more(c, "; wash config %s", p->washcfg.file);
    if (langs.len && p->plugins_lock)
        sw_chk_more(c, "; plugins.lock");
    if (p->pkg.present && p->pkg.invalid && c->status == SW_CHECK_OK) {
        sw_chk_set(c, SW_CHECK_WARN, "package.json in '%s' is not valid JSON", f->project_dir);
        c->file = "package.json";
        sw_chk_fix(c, "fix its syntax (npm and jco cannot read it either)");
    }
    sw_chk_found(c, "dir", "%s", f->project_dir);
    sw_chk_found(c, "languages", "%s", sw_buf_str(&ids));
    if (p->washcfg.file[0])
        sw_chk_found(c, "wash-config", "%s", p->washcfg.file);
    sw_chk_found(c, "plugins-lock", "%s", p->plugins_lock ? "plugins.lock" : "");
    sw_buf_free(&langs);
    sw_buf_free(&ids);
}

/* ---- wash ---- */

/* The wash that was checked, if its version could be read. */
struct washsel {
    bool ok;
    struct sw_semver v;
    char vs[SW_SEMVER_STR_MAX];
    const struct sw_wash_era *era; /* NULL: a version no row holds */
    char where[1200];              /* "on PATH (/usr/bin/wash)" */
};

static void wash_select(const struct sw_doctor_facts *f, struct washsel *w)
{
    memset(w, 0, sizeof(*w));
    snprintf(w->where, sizeof(w->where), "%s (%s)",
             f->wash_source == SW_WASH_CACHE ? "from the setup-wash cache" : "on PATH",
             f->wash.path);
    if (f->wash.state != SW_PROBE_OK || sw_toolver_parse(f->wash.out, &w->v, NULL) < 0)
        return;
    w->ok = true;
    sw_semver_str(&w->v, w->vs, sizeof(w->vs));
    for (size_t i = 0; i < sw_wash_eras_len; i++) {
        const struct sw_wash_era *e = &sw_wash_eras[i];
        struct sw_semver lo = sw_chk_ver(e->min), hi;
        if (sw_semver_cmp(&w->v, &lo) < 0)
            continue;
        if (e->max_excl && (hi = sw_chk_ver(e->max_excl), sw_semver_cmp(&w->v, &hi) >= 0))
            continue;
        w->era = e;
        break;
    }
}

/* The first version of the newest era, which has no plugin system ("2.0.0-rc.8"). */
static const char *plugins_removed_in(void)
{
    for (size_t i = sw_wash_eras_len; i-- > 0;)
        if (sw_wash_eras[i].line == SW_LINE_NEW && !sw_wash_eras[i].plugin_pkg)
            return sw_wash_eras[i].min;
    return "?";
}

static struct sw_lock *project_lock(const struct sw_project *p, struct sw_error *err)
{
    struct sw_lock *lock = NULL;
    if (!p->plugins_lock_text)
        return NULL;
    if (sw_lock_parse(p->plugins_lock_text, p->plugins_lock_len, "plugins.lock", &lock, err) < 0)
        return NULL;
    return lock;
}

void sw_chk_wash(const struct sw_doctor_facts *f, struct sw_check *c)
{
    struct washsel w;
    wash_select(f, &w);
    if (f->wash_source == SW_WASH_NONE) {
        sw_chk_set(c, SW_CHECK_ERROR, "wash not found on PATH or in the setup-wash cache (%s)",
                   f->cache_root ? f->cache_root : "no cache directory");
        sw_chk_fix(c, "install it with 'setup-wash install' and put the directory it prints on "
                      "PATH");
        return;
    }
    if (sw_chk_probe_failed(c, &f->wash, SW_CHECK_ERROR,
                            "check that this wash runs: 'wash --version'"))
        return;
    sw_chk_found(c, "path", "%s", f->wash.path);
    sw_chk_found(c, "source", "%s", f->wash_source == SW_WASH_CACHE ? "setup-wash cache" : "PATH");
    if (!w.ok) {
        char raw[160];
        sw_toolver_raw(raw, sizeof(raw), f->wash.out);
        sw_chk_set(c, SW_CHECK_WARN, "cannot read a version from 'wash --version': '%s' (wash %s)",
                   raw, w.where);
        sw_chk_fix(c, "install a released wash with 'setup-wash install'");
        sw_chk_found_answer(c, "raw", f->wash.out);
        return;
    }
    sw_chk_found(c, "version", "%s", w.vs);
    if (!w.era) {
        sw_chk_set(c, SW_CHECK_WARN, "wash %s %s is not a release setup-wash knows", w.vs,
                   w.where);
        sw_chk_fix(c, "install a released wash with 'setup-wash install'");
        sw_chk_found(c, "line", "unknown");
    } else if (w.era->line == SW_LINE_OLD) {
        sw_chk_set(c, SW_CHECK_WARN,
                   "wash %s %s is the old wash 0.x line, a different product from the current "
                   "wash (1.0 and later)",
                   w.vs, w.where);
        sw_chk_fix(c, "install the current wash with 'setup-wash install'");
        sw_chk_found(c, "line", "old");
    } else {
        sw_chk_set(c, SW_CHECK_OK, "wash %s %s: the current wash line, ", w.vs, w.where);
        if (w.era->plugin_pkg)
            sw_chk_more(c, "plugin system (wasmcloud:wash/plugin@%s)", w.era->plugin_pkg);
        else
            sw_chk_more(c, "no plugin system (removed in %s)", plugins_removed_in());
        sw_chk_found(c, "line", "new");
    }
    sw_chk_found(c, "plugin-package", "%s", w.era && w.era->plugin_pkg ? w.era->plugin_pkg : "");
    if (f->wash_source == SW_WASH_CACHE) {
        if (c->status == SW_CHECK_OK)
            c->status = SW_CHECK_WARN;
        sw_chk_more(c, "; it is not on PATH");
        const char *slash = strrchr(f->wash.path, '/'), *bs = strrchr(f->wash.path, '\\');
        if (bs && (!slash || bs > slash)) /* a Windows path */
            slash = bs;
        int dirlen = slash ? (int)(slash - f->wash.path) : 1;
        sw_chk_fix(c, "put it on PATH: export PATH=\"%.*s:$PATH\"", dirlen,
                   slash ? f->wash.path : ".");
    }
    struct sw_lock *lock = project_lock(&f->project, NULL);
    if (lock && lock->wash && strcmp(lock->wash->version, w.vs) != 0) {
        if (c->status == SW_CHECK_OK)
            c->status = SW_CHECK_WARN;
        char pinned[64];
        sw_sanitize(pinned, sizeof(pinned), lock->wash->version);
        sw_chk_more(c, "; plugins.lock pins wash %s", pinned);
        sw_chk_fix(c, "install the pinned wash with 'setup-wash install' (it reads plugins.lock)");
        c->file = "plugins.lock";
        sw_chk_found(c, "locked", "%s", pinned);
    }
    sw_lock_free(lock);
}

static const char *build_example(const struct sw_project *p)
{
    if (p->gomod.present)
        return "tinygo build -target=wasip2 -o build/component.wasm .";
    if (p->cargo)
        return "cargo build --target wasm32-wasip2 --release";
    if (sw_project_is_ts(p))
        return "npm run build";
    return "make";
}

bool sw_doctor_validates(const struct sw_doctor_facts *f)
{
    struct washsel w;
    wash_select(f, &w);
    struct sw_semver first = sw_chk_ver(SW_WASH_CONFIG_VALIDATE);
    return f->project.washcfg.file[0] && w.ok && sw_semver_cmp(&w.v, &first) >= 0;
}

/* What `wash config validate` said, in the wash-config check: true when it was the verdict. */
static bool validate_verdict(const struct sw_doctor_facts *f, struct sw_check *c)
{
    const struct sw_probe *p = &f->wash_validate;
    const char *file = f->project.washcfg.file;
    if (p->state == SW_PROBE_NOT_RUN) {
        sw_chk_found(c, "validate", "not run (wash before %s)", SW_WASH_CONFIG_VALIDATE);
        return false;
    }
    if (p->state == SW_PROBE_FAILED && p->status > 0) {
        char said[400];
        sw_toolver_raw(said, sizeof(said), p->detail);
        sw_chk_set(c, SW_CHECK_ERROR, "'wash config validate' rejects %s (exit code %d)%s%s",
                   file, p->status, said[0] ? ": " : "", said);
        sw_chk_fix(c, "fix what it names in %s; check with 'wash config validate' in '%s'",
                   file, f->project_dir);
        sw_chk_found(c, "validate", "failed");
        return true;
    }
    if (sw_chk_probe_failed(c, p, SW_CHECK_ERROR,
                            "check that 'wash config validate' finishes in the project")) {
        sw_chk_found(c, "validate", "%s", p->state == SW_PROBE_TIMEOUT ? "timeout" : "error");
        return true;
    }
    sw_chk_found(c, "validate", "ok");
    return false;
}

void sw_chk_wash_config(const struct sw_doctor_facts *f, struct sw_check *c)
{
    const struct sw_washcfg *cfg = &f->project.washcfg;
    struct washsel w;
    wash_select(f, &w);
    if (!cfg->file[0]) {
        sw_chk_set(c, SW_CHECK_SKIP, "no .wash/config.yaml, .yml or .json in '%s'",
                   f->project_dir);
        return;
    }
    sw_chk_found(c, "file", "%s", cfg->file);
    if (w.ok && w.v.major < SW_WASH_CONFIG_MAJOR) {
        sw_chk_set(c, SW_CHECK_SKIP, "wash %s does not read build.command from %s (wash %u.x does)",
                   w.vs, cfg->file, SW_WASH_CONFIG_MAJOR);
        return;
    }
    c->file = cfg->file;
    if (cfg->invalid) {
        sw_chk_set(c, SW_CHECK_ERROR, "%s", cfg->error);
        sw_chk_fix(c, "fix the JSON syntax of %s", cfg->file);
        return;
    }
    if (validate_verdict(f, c))
        return;
    if (!cfg->has_command) {
        sw_chk_set(c, SW_CHECK_ERROR, "%s sets no build.command, which 'wash build' of wash %u.x "
                   "needs", cfg->file, SW_WASH_CONFIG_MAJOR);
        sw_chk_fix(c, "add the command that builds the component to %s, e.g. 'build: {command: "
                      "%s}'", cfg->file, build_example(&f->project));
        return;
    }
    c->file = NULL;
    sw_chk_set(c, SW_CHECK_OK, "%s sets build.command '%s'", cfg->file, cfg->command);
    if (f->wash_validate.state == SW_PROBE_OK)
        sw_chk_more(c, "; 'wash config validate' accepts it");
    sw_chk_found(c, "command", "%s", cfg->command);
}

/* ---- host component plugins ---- */

/* Entries in $WASH_HOST_PLUGINS: comma-separated sources, none of which carries a digest. */
static unsigned env_entries(const char *v, char *list, size_t n)
{
    unsigned count = 0;
    list[0] = '\0';
    while (v && *v) {
        size_t len = strcspn(v, ",");
        const char *s = v;
        size_t l = len;
        while (l && (*s == ' ' || *s == '\t'))
            s++, l--;
        while (l && (s[l - 1] == ' ' || s[l - 1] == '\t'))
            l--;
        if (l) {
            char raw[128], clean[128];
            snprintf(raw, sizeof(raw), "%.*s", (int)l, s);
            sw_sanitize(clean, sizeof(clean), raw);
            size_t at = strlen(list);
            snprintf(list + at, n - at, "%s%s", at ? ", " : "", clean);
            count++;
        }
        v += len + (v[len] == ',');
    }
    return count;
}

void sw_chk_host_plugins(const struct sw_doctor_facts *f, struct sw_check *c)
{
    const struct sw_washcfg *cfg = &f->project.washcfg;
    char env_list[256];
    unsigned from_env = env_entries(f->host_plugins_env, env_list, sizeof(env_list));
    unsigned total = cfg->host_plugins + from_env, pinned = cfg->host_plugins_pinned;
    if (!total) {
        sw_chk_set(c, SW_CHECK_SKIP, "no host component plugins: none in %s, WASH_HOST_PLUGINS "
                   "is not set", cfg->file[0] ? cfg->file : "a wash config");
        return;
    }
    struct sw_buf where = SW_BUF_INIT, unpinned = SW_BUF_INIT;
    if (cfg->host_plugins)
        sw_buf_printf(&where, "%u in %s (%s)", cfg->host_plugins, cfg->file,
                      cfg->host_plugin_keys);
    if (from_env)
        sw_buf_printf(&where, "%s%u in WASH_HOST_PLUGINS", where.len ? ", " : "", from_env);
    if (cfg->host_plugins_unpinned[0])
        sw_buf_printf(&unpinned, "%s", cfg->host_plugins_unpinned);
    if (env_list[0])
        sw_buf_printf(&unpinned, "%s%s", unpinned.len ? ", " : "", env_list);
    sw_chk_found(c, "entries", "%u", total);
    sw_chk_found(c, "pinned", "%u", pinned);
    sw_chk_found(c, "unpinned", "%s", sw_buf_str(&unpinned));
    if (cfg->host_plugins)
        c->file = cfg->file;

    struct washsel w;
    wash_select(f, &w);
    struct sw_semver first = sw_chk_ver(SW_WASH_HOST_PLUGINS);
    if (w.ok && sw_semver_cmp(&w.v, &first) < 0) {
        sw_chk_set(c, SW_CHECK_WARN, "%u host component plugin%s (%s), but wash %s predates them "
                   "(they come with %s) and does not load them",
                   total, total == 1 ? "" : "s", sw_buf_str(&where), w.vs, SW_WASH_HOST_PLUGINS);
        sw_chk_fix(c, "use wash %s or later built with the cargo feature '%s', or remove them",
                   SW_WASH_HOST_PLUGINS, SW_WASH_HOST_PLUGINS_FEATURE);
    } else {
        sw_chk_set(c, SW_CHECK_WARN, "%u host component plugin%s (%s): ", total,
                   total == 1 ? "" : "s", sw_buf_str(&where));
        if (f->wash_installed)
            sw_chk_more(c, "wash %s is a release build (installed by setup-wash), which ", w.vs);
        else
            sw_chk_more(c, "release builds of wash (GitHub releases, the install script, "
                           "setup-wash) ");
        sw_chk_more(c, "cannot load them, so 'wash host' and 'wash dev' fail; only builds with "
                       "the cargo feature '%s' load them",
                    SW_WASH_HOST_PLUGINS_FEATURE);
        sw_chk_fix(c, "build wash from source with '--features %s' and put it first on PATH, or "
                      "remove the entries%s",
                   SW_WASH_HOST_PLUGINS_FEATURE, from_env ? " and unset WASH_HOST_PLUGINS" : "");
    }
    sw_chk_found(c, "release-build", "%s", f->wash_installed ? "yes" : "unknown");
    if (pinned < total) {
        sw_chk_more(c, "; %u of %u set no expectedDigest: %s", total - pinned, total,
                    sw_buf_str(&unpinned));
        sw_chk_fix(c, "pin each entry with expectedDigest (sha256:...) so that wash refuses a "
                      "changed component%s",
                   from_env ? "; WASH_HOST_PLUGINS cannot carry digests, list them in the config" : "");
    } else {
        sw_chk_more(c, "; all %u set expectedDigest", total);
    }
    sw_buf_free(&where);
    sw_buf_free(&unpinned);
}

/* ---- plugins ---- */

/* The era whose plugin system loads package `pkg`, for the fix. */
static const struct sw_wash_era *era_loading(const char *pkg)
{
    for (size_t i = 0; i < sw_wash_eras_len; i++)
        if (sw_wash_eras[i].plugin_pkg && strcmp(sw_wash_eras[i].plugin_pkg, pkg) == 0)
            return &sw_wash_eras[i];
    return NULL;
}

/* The installed files against the lock's digests (probed by cmd/doctor.c). */
static void installed_state(const struct sw_doctor_facts *f, const struct sw_lock *lock,
                            struct sw_check *c)
{
    size_t n = lock->nplugins, broken = 0, unpinned = 0;
    if (!f->plugin_states || f->nplugin_states != n) {
        sw_chk_set(c, SW_CHECK_SKIP,
                   "plugins.lock lists %zu plugin%s; where wash keeps them is unknown (HOME is "
                   "not set), so they were not checked",
                   n, n == 1 ? "" : "s");
        return;
    }
    struct sw_buf list = SW_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        enum sw_plugin_state st = f->plugin_states[i];
        if (st == SW_PLUGIN_OK)
            continue;
        if (st == SW_PLUGIN_UNPINNED)
            unpinned++;
        else
            broken++;
        char name[64];
        sw_sanitize(name, sizeof(name), lock->plugins[i].name);
        sw_buf_printf(&list, "%s'%s' %s", list.len ? ", " : "", name, sw_plugin_state_name(st));
    }
    sw_chk_found(c, "plugins-dir", "%s/plugins", f->plugins_dir);
    if (broken) {
        sw_chk_set(c, SW_CHECK_ERROR,
                   "%zu of %zu plugins in '%s/plugins' are not as plugins.lock pins them: %s",
                   broken + unpinned, n, f->plugins_dir, sw_buf_str(&list));
        sw_chk_fix(c, "run 'setup-wash plugins install' to install exactly what the lock pins");
    } else if (unpinned) {
        sw_chk_set(c, SW_CHECK_WARN, "%zu of %zu plugins are not pinned in plugins.lock: %s",
                   unpinned, n, sw_buf_str(&list));
        sw_chk_fix(c, "run 'setup-wash plugins lock' to pin them");
        c->file = "plugins.lock";
    } else {
        sw_chk_set(c, SW_CHECK_OK, "%zu plugin%s installed in '%s/plugins' as plugins.lock pins "
                   "them", n, n == 1 ? "" : "s", f->plugins_dir);
    }
    sw_buf_free(&list);
}

void sw_chk_plugins(const struct sw_doctor_facts *f, struct sw_check *c)
{
    const struct sw_project *p = &f->project;
    if (!p->plugins_lock) {
        sw_chk_set(c, SW_CHECK_SKIP, "no plugins.lock in '%s'", f->project_dir);
        return;
    }
    if (!p->plugins_lock_text) {
        sw_chk_set(c, SW_CHECK_ERROR, "cannot read plugins.lock: %s", p->plugins_lock_error);
        c->file = "plugins.lock";
        sw_chk_fix(c, "make plugins.lock readable, or recreate it with 'setup-wash lock'");
        return;
    }
    struct sw_error err = {0};
    struct sw_lock *lock = project_lock(p, &err);
    if (!lock) {
        sw_chk_set(c, SW_CHECK_ERROR, "%s", err.msg);
        c->file = "plugins.lock";
        sw_chk_fix(c, "fix plugins.lock, or recreate it with 'setup-wash lock'");
        return;
    }
    int n = (int)lock->nplugins;
    sw_chk_found(c, "locked-plugins", "%d", n);
    struct washsel w;
    wash_select(f, &w);
    if (n == 0) {
        sw_chk_set(c, SW_CHECK_SKIP, "plugins.lock lists no plugins");
    } else if (w.ok && w.era && w.era->line == SW_LINE_NEW && !w.era->plugin_pkg) {
        sw_chk_set(c, SW_CHECK_ERROR,
                   "plugins.lock lists %d plugin%s, but wash %s has no plugin system (removed "
                   "in %s); the last wash with plugins is %s",
                   n, n == 1 ? "" : "s", w.vs, plugins_removed_in(), sw_wash_last_with_plugins);
        sw_chk_fix(c, "pin wash %s ('setup-wash lock --version %s') or remove the plugins from "
                      "plugins.lock",
                   sw_wash_last_with_plugins, sw_wash_last_with_plugins);
        c->file = "plugins.lock";
        sw_chk_found(c, "wash", "%s", w.vs);
    } else {
        /* a locked plugin built for the other plugin package does not load */
        const struct sw_lock_plugin *bad = NULL;
        for (size_t i = 0; w.ok && w.era && w.era->plugin_pkg && i < lock->nplugins && !bad; i++)
            if (lock->plugins[i].wit && strcmp(lock->plugins[i].wit, w.era->plugin_pkg) != 0)
                bad = &lock->plugins[i];
        if (bad) {
            char name[64], wit[32];
            sw_sanitize(name, sizeof(name), bad->name);
            sw_sanitize(wit, sizeof(wit), bad->wit);
            const struct sw_wash_era *e = era_loading(wit);
            sw_chk_set(c, SW_CHECK_ERROR,
                       "plugin '%s' in plugins.lock exports wasmcloud:wash/plugin@%s, but wash %s "
                       "loads @%s",
                       name, wit, w.vs, w.era->plugin_pkg);
            if (e)
                sw_chk_fix(c, "pin a wash that loads @%s (from %s, before %s) or a build of '%s' "
                              "for @%s",
                           wit, e->min, e->max_excl ? e->max_excl : "-", name, w.era->plugin_pkg);
            else
                sw_chk_fix(c, "pin a build of '%s' for @%s", name, w.era->plugin_pkg);
            c->file = "plugins.lock";
            sw_chk_found(c, "wash", "%s", w.vs);
        } else {
            installed_state(f, lock, c);
        }
    }
    sw_lock_free(lock);
}
