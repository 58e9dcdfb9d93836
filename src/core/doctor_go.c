/* Doctor's Go checks: go, tinygo, tinygo-go (the Go range), tinygo-built-with, wasm-tools and
 * wit-bindgen-go. The Go that counts is what `go env GOVERSION` answers in the project, which
 * GOTOOLCHAIN and go.mod's toolchain and go lines can switch away from the Go on PATH. */
#include <stdio.h>
#include <string.h>

#include "core/doctor_int.h"
#include "core/toolver.h"

static const char tinygo_url[] = "https://tinygo.org/getting-started/install/";

/* The Go that will build, as doctor sees it: go's answer in the project (core/compat.h); a
 * missing go is the go check's error, so go.mod alone does not stand in for it here. */
void sw_doctor_gobuild(const struct sw_doctor_facts *f, struct sw_gobuild *g)
{
    struct sw_gobuild_in in = {
        .answer = f->go.state == SW_PROBE_OK ? f->go.out : NULL,
        .local = f->go_local.state == SW_PROBE_OK ? f->go_local.out : NULL,
        .gotoolchain = f->gotoolchain,
        .mod = &f->project.gomod,
    };
    sw_gobuild_select(&in, g);
}

struct tgsel {
    bool ok;
    struct sw_tinygo_ver t;
    char vs[SW_SEMVER_STR_MAX];
    const struct sw_tinygo_row *row; /* NULL: not in the table */
    bool newer;                      /* newer than every row */
    unsigned flags;                  /* the row's, or the last row's for a newer TinyGo */
};

static void tinygo_select(const struct sw_doctor_facts *f, struct tgsel *t)
{
    memset(t, 0, sizeof(*t));
    if (f->tinygo.state != SW_PROBE_OK || sw_tinygo_parse(f->tinygo.out, &t->t, NULL) < 0)
        return;
    t->ok = true;
    sw_semver_str(&t->t.v, t->vs, sizeof(t->vs));
    t->row = sw_tinygo_row_for(&t->t.v);
    struct sw_semver rel = sw_chk_release(&t->t.v);
    struct sw_semver top = sw_chk_ver(sw_tinygo_rows[sw_tinygo_rows_len - 1].max_excl);
    t->newer = !t->row && sw_semver_cmp(&rel, &top) >= 0;
    t->flags = t->row ? t->row->flags : t->newer ? sw_tinygo_rows[sw_tinygo_rows_len - 1].flags : 0;
}

/* A verdict of core/compat.c as the check's status, message, fix and file. */
static void take(struct sw_check *c, const struct sw_compat_verdict *v)
{
    static const enum sw_check_status map[] = {SW_CHECK_OK, SW_CHECK_WARN, SW_CHECK_ERROR,
                                               SW_CHECK_SKIP};
    sw_chk_set(c, map[v->status], "%s", v->message);
    if (v->fix[0])
        sw_chk_fix(c, "%s", v->fix);
    if (v->file)
        c->file = v->file;
}

/* TINYGO_GOCOMPATIBILITY or -go-compatibility in build.command, when it turns the check off;
 * names the setting in `what`. */
static bool gocompat_off(const struct sw_doctor_facts *f, char *what, size_t n)
{
    static const char *const falses[] = {"0", "f", "F", "false", "FALSE", "False"};
    const char *env = f->tinygo_gocompat;
    for (size_t i = 0; env && i < sizeof(falses) / sizeof(falses[0]); i++)
        if (strcmp(env, falses[i]) == 0) {
            snprintf(what, n, "TINYGO_GOCOMPATIBILITY=%s", env);
            return true;
        }
    const char *cmd = f->project.washcfg.has_command ? f->project.washcfg.command : "";
    if (strstr(cmd, "-go-compatibility=false") || strstr(cmd, "-go-compatibility=0")) {
        snprintf(what, n, "-go-compatibility=false in build.command");
        return true;
    }
    return false;
}

void sw_chk_go(const struct sw_doctor_facts *f, struct sw_check *c)
{
    if (!f->project.gomod.present) {
        sw_chk_not_lang(f, c, SW_NO_GO);
        return;
    }
    struct tgsel t;
    tinygo_select(f, &t);
    if (f->go.state == SW_PROBE_ABSENT) {
        sw_chk_set(c, SW_CHECK_ERROR, "go not found on PATH: TinyGo compiles with the Go "
                                      "toolchain");
        if (t.ok && t.row)
            sw_chk_fix(c, "install Go 1.%u-1.%u (the range TinyGo %s accepts): "
                          "https://go.dev/dl/", t.row->go_min, t.row->go_max, t.vs);
        else
            sw_chk_fix(c, "install Go: https://go.dev/dl/");
        return;
    }
    if (sw_chk_probe_failed(c, &f->go, SW_CHECK_ERROR,
                            "run 'go env GOVERSION' in the project to see why (a toolchain "
                            "download named by GOTOOLCHAIN or go.mod may be failing)"))
        return;
    struct sw_gobuild g;
    sw_doctor_gobuild(f, &g);
    sw_chk_found(c, "path", "%s", f->go.path);
    if (!g.known) {
        struct sw_error err = {0};
        sw_gover_parse(f->go.out, &g.v, &err);
        sw_chk_set(c, SW_CHECK_WARN, "%s (go env GOVERSION)", err.msg);
        sw_chk_fix(c, "check what 'go env GOVERSION' prints in the project");
        sw_chk_found_answer(c, "raw", f->go.out);
        return;
    }
    sw_chk_set(c, SW_CHECK_OK, "%s", g.who);
    sw_chk_found(c, "version", "%s", g.v.text);
    sw_chk_found(c, "source", "%s", sw_go_src_name(g.src));
    if (f->project.gomod.toolchain[0])
        sw_chk_found(c, "go.mod-toolchain", "%s", f->project.gomod.toolchain);
    if (f->gotoolchain)
        sw_chk_found(c, "GOTOOLCHAIN", "%s", f->gotoolchain);
}

/* Which TinyGo to install: the newest release that builds wasip2 with the Go in use. */
static void install_advice(struct sw_check *c, const struct sw_gobuild *g,
                           const struct sw_tinygo_row *wasip2)
{
    const struct sw_tinygo_row *r = g->known && g->v.major == 1 ? sw_tinygo_last_row_for(g->v.minor) : NULL;
    if (r && (r->flags & SW_TG_WASIP2)) {
        char last[32];
        sw_tinygo_row_last(r, last, sizeof(last));
        sw_chk_fix(c, "install TinyGo %s, the newest that accepts %s: %s", last, g->v.text,
                   tinygo_url);
    } else {
        sw_chk_fix(c, "install TinyGo %s or later: %s", wasip2->min, tinygo_url);
    }
}

void sw_chk_tinygo(const struct sw_doctor_facts *f, struct sw_check *c)
{
    if (!f->project.gomod.present) {
        sw_chk_not_lang(f, c, SW_NO_GO);
        return;
    }
    struct sw_gobuild g;
    sw_doctor_gobuild(f, &g);
    struct tgsel t;
    tinygo_select(f, &t);
    const struct sw_tinygo_row *wasip2 = sw_tinygo_first_row_with(SW_TG_WASIP2);
    if (f->tinygo.state == SW_PROBE_ABSENT) {
        sw_chk_set(c, SW_CHECK_ERROR, "tinygo not found on PATH: Go components are built with "
                                      "TinyGo");
        install_advice(c, &g, wasip2);
        return;
    }
    if (sw_chk_probe_failed(c, &f->tinygo, SW_CHECK_ERROR,
                            "check that 'tinygo version' runs"))
        return;
    sw_chk_found(c, "path", "%s", f->tinygo.path);
    if (!t.ok) {
        struct sw_error err = {0};
        sw_tinygo_parse(f->tinygo.out, &t.t, &err);
        sw_chk_set(c, SW_CHECK_WARN, "%s", err.msg);
        sw_chk_fix(c, "check what 'tinygo version' prints");
        sw_chk_found_answer(c, "raw", f->tinygo.out);
        return;
    }
    sw_chk_found(c, "version", "%s", t.vs);
    if (t.t.has_go)
        sw_chk_found(c, "built-with", "%s", t.t.go.text);
    if (!(t.flags & SW_TG_WASIP2)) {
        sw_chk_set(c, SW_CHECK_ERROR, "TinyGo %s cannot build wasip2 components: -target=wasip2 "
                                      "needs TinyGo %s or later", t.vs, wasip2->min);
        install_advice(c, &g, wasip2);
        return;
    }
    sw_chk_set(c, SW_CHECK_OK, "TinyGo %s", t.vs);
    if (t.t.v.pre[0])
        sw_chk_more(c, " (a development build, checked as %llu.%llu.%llu)",
                    (unsigned long long)t.t.v.major, (unsigned long long)t.t.v.minor,
                    (unsigned long long)t.t.v.patch);
    if (t.newer)
        sw_chk_more(c, " (newer than the TinyGo releases this setup-wash knows)");
    if (t.t.has_go)
        sw_chk_more(c, ", built with %s", t.t.go.text);
    sw_chk_more(c, ": -target=wasip2 supported");
}

/* The Go and TinyGo a check compares, or false after setting the check to skip (no Go project,
 * or one of the versions unknown). */
static bool go_and_tinygo(const struct sw_doctor_facts *f, struct sw_check *c, struct sw_gobuild *g,
                          struct tgsel *t)
{
    if (!f->project.gomod.present) {
        sw_chk_not_lang(f, c, SW_NO_GO);
        return false;
    }
    sw_doctor_gobuild(f, g);
    tinygo_select(f, t);
    if (!g->known || !t->ok) {
        sw_chk_set(c, SW_CHECK_SKIP, "needs the versions of both go and tinygo (see the %s check)",
                   !g->known ? "go" : "tinygo");
        return false;
    }
    return true;
}

void sw_chk_tinygo_go(const struct sw_doctor_facts *f, struct sw_check *c)
{
    struct sw_gobuild g;
    struct tgsel t;
    if (!go_and_tinygo(f, c, &g, &t))
        return;
    sw_chk_found(c, "go", "%s", g.v.text);
    sw_chk_found(c, "tinygo", "%s", t.vs);
    char off[96] = "";
    bool compat_off = gocompat_off(f, off, sizeof(off));
    if (compat_off)
        sw_chk_found(c, "go-compatibility", "%s", off);
    struct sw_compat_verdict v;
    sw_compat_tinygo_go(&t.t.v, &g, &f->project.gomod, compat_off ? off : NULL,
                        SW_COMPAT_FOR_DOCTOR, &v);
    if (v.status == SW_COMPAT_NA)
        sw_chk_set(c, SW_CHECK_SKIP, "%s; see the tinygo check", v.message);
    else
        take(c, &v);
}

void sw_chk_tinygo_built(const struct sw_doctor_facts *f, struct sw_check *c)
{
    struct sw_gobuild g;
    struct tgsel t;
    if (!go_and_tinygo(f, c, &g, &t))
        return;
    struct sw_compat_verdict v;
    if (!(t.flags & SW_TG_BUILT_WITH)) {
        sw_compat_tinygo_built(&t.t.v, &t.t.go, &g, &v); /* na: says when the check came */
        take(c, &v);
        return;
    }
    if (!t.t.has_go) {
        char raw[160];
        sw_toolver_raw(raw, sizeof(raw), f->tinygo.out);
        sw_chk_set(c, SW_CHECK_SKIP, "'tinygo version' does not say which Go built TinyGo: '%s'",
                   raw);
        return;
    }
    sw_chk_found(c, "go", "%s", g.v.text);
    sw_chk_found(c, "built-with", "%s", t.t.go.text);
    sw_compat_tinygo_built(&t.t.v, &t.t.go, &g, &v);
    take(c, &v);
}

void sw_chk_wasm_tools(const struct sw_doctor_facts *f, struct sw_check *c)
{
    if (!f->project.gomod.present) {
        sw_chk_not_lang(f, c, "Go", "go.mod (only TinyGo's wasip2 builds need wasm-tools)");
        return;
    }
    const struct sw_probe *p = &f->wasm_tools;
    if (p->state == SW_PROBE_ABSENT) {
        if (f->wasm_tools_from_env)
            sw_chk_set(c, SW_CHECK_ERROR, "WASMTOOLS is '%s', which is not an executable file",
                       p->path);
        else
            sw_chk_set(c, SW_CHECK_ERROR, "wasm-tools not found on PATH: "
                                          SW_COMPAT_WASIP2_WHY);
        sw_chk_fix(c, "install wasm-tools ('cargo install --locked wasm-tools', or a release "
                      "from https://github.com/bytecodealliance/wasm-tools/releases) or set "
                      "WASMTOOLS to its path");
        return;
    }
    if (sw_chk_probe_failed(c, p, SW_CHECK_ERROR, "check that 'wasm-tools --version' runs"))
        return;
    sw_chk_found(c, "path", "%s", p->path);
    sw_chk_found(c, "source", "%s", f->wasm_tools_from_env ? "WASMTOOLS" : "PATH");
    struct sw_semver v;
    struct sw_error err = {0};
    if (sw_toolver_parse(p->out, &v, &err) < 0) {
        sw_chk_set(c, SW_CHECK_WARN, "wasm-tools: %s", err.msg);
        sw_chk_fix(c, "check what 'wasm-tools --version' prints");
        return;
    }
    char vs[SW_SEMVER_STR_MAX];
    sw_semver_str(&v, vs, sizeof(vs));
    sw_chk_found(c, "version", "%s", vs);
    sw_chk_set(c, SW_CHECK_OK, "wasm-tools %s (%s)", vs,
               f->wasm_tools_from_env ? "from WASMTOOLS" : "on PATH");
}

void sw_chk_wit_bindgen_go(const struct sw_doctor_facts *f, struct sw_check *c)
{
    const struct sw_gomod *mod = &f->project.gomod;
    if (!mod->present) {
        sw_chk_not_lang(f, c, SW_NO_GO);
        return;
    }
    const struct sw_probe *p = &f->wit_bindgen_go;
    if (sw_chk_probe_failed(c, p, SW_CHECK_WARN, "check that 'wit-bindgen-go --version' runs"))
        return;
    struct sw_semver v;
    struct sw_error err = {0};
    bool from_mod = p->state != SW_PROBE_OK;
    char where[1100];
    const char *modv = sw_gomod_wbg(mod, where, sizeof(where));
    if (from_mod && !modv) {
        sw_chk_set(c, SW_CHECK_SKIP, "wit-bindgen-go is not on PATH and go.mod does not require "
                   "%s", SW_WBG_MODULE);
        return;
    }
    if (sw_toolver_parse(from_mod ? modv : p->out, &v, &err) < 0) {
        sw_chk_set(c, SW_CHECK_WARN, "wit-bindgen-go: %s", err.msg);
        sw_chk_fix(c, "check what 'wit-bindgen-go --version' prints");
        return;
    }
    char vs[SW_SEMVER_STR_MAX];
    sw_semver_str(&v, vs, sizeof(vs));
    if (!from_mod)
        snprintf(where, sizeof(where), "%s", p->path);
    sw_chk_found(c, "version", "%s", vs);
    sw_chk_found(c, "source", "%s", from_mod ? "go.mod" : "PATH");
    struct sw_semver wt;
    bool has_wt = f->wasm_tools.state == SW_PROBE_OK &&
                  sw_toolver_parse(f->wasm_tools.out, &wt, NULL) == 0;
    struct sw_compat_verdict cv;
    sw_compat_wbg(&v, where, from_mod, has_wt ? &wt : NULL, NULL, SW_COMPAT_FOR_DOCTOR, &cv);
    take(c, &cv);
}
