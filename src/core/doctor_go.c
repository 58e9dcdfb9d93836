/* Doctor's Go checks: go, tinygo, tinygo-go (the Go range), tinygo-built-with, wasm-tools and
 * wit-bindgen-go. The Go that counts is what `go env GOVERSION` answers in the project, which
 * GOTOOLCHAIN and go.mod's toolchain and go lines can switch away from the Go on PATH. */
#include <stdio.h>
#include <string.h>

#include "core/doctor_int.h"
#include "core/toolver.h"

static const char tinygo_url[] = "https://tinygo.org/getting-started/install/";

enum go_src {
    SRC_PATH,      /* the Go on PATH itself */
    SRC_ENV,       /* GOTOOLCHAIN=goX */
    SRC_TOOLCHAIN, /* the toolchain line of go.mod */
    SRC_GOLINE,    /* the go line of go.mod (GOTOOLCHAIN=auto switched up to it) */
};

struct gosel {
    bool ok;
    struct sw_gover v;
    enum go_src src;
    char who[320]; /* "Go on PATH is go1.25.1" */
};

static void go_select(const struct sw_doctor_facts *f, struct gosel *g)
{
    memset(g, 0, sizeof(*g));
    if (f->go.state != SW_PROBE_OK || sw_gover_parse(f->go.out, &g->v, NULL) < 0)
        return;
    g->ok = true;
    struct sw_gover local;
    bool has_local =
        f->go_local.state == SW_PROBE_OK && sw_gover_parse(f->go_local.out, &local, NULL) == 0;
    const struct sw_gomod *m = &f->project.gomod;
    if (has_local && strcmp(local.text, g->v.text) == 0)
        g->src = SRC_PATH;
    else if (f->gotoolchain && strncmp(f->gotoolchain, "go", 2) == 0)
        g->src = SRC_ENV;
    else if (m->toolchain[0] && strcmp(m->toolchain, g->v.text) == 0)
        g->src = SRC_TOOLCHAIN;
    else if (m->go[0] && has_local)
        g->src = SRC_GOLINE;
    else
        g->src = SRC_PATH;
    char onpath[96] = "";
    if (has_local && g->src != SRC_PATH)
        snprintf(onpath, sizeof(onpath), " (Go on PATH is %s)", local.text);
    switch (g->src) {
    case SRC_PATH:
        snprintf(g->who, sizeof(g->who), "Go on PATH is %s", g->v.text);
        break;
    case SRC_ENV:
        snprintf(g->who, sizeof(g->who), "GOTOOLCHAIN=%s selects %s%s", f->gotoolchain,
                 g->v.text, onpath);
        break;
    case SRC_TOOLCHAIN:
        snprintf(g->who, sizeof(g->who), "the toolchain line in go.mod selects %s%s", g->v.text,
                 onpath);
        break;
    case SRC_GOLINE:
        snprintf(g->who, sizeof(g->who), "the go line in go.mod (go %s) selects %s%s", m->go,
                 g->v.text, onpath);
        break;
    }
}

static const char *go_src_name(enum go_src s)
{
    static const char *const names[] = {"PATH", "GOTOOLCHAIN", "go.mod toolchain", "go.mod go"};
    return names[s];
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

/* "0.38.x": the newest minor version of a row. */
static void row_last(const struct sw_tinygo_row *r, char *buf, size_t n)
{
    struct sw_semver hi = sw_chk_ver(r->max_excl);
    snprintf(buf, n, "%llu.%llu.x", (unsigned long long)hi.major,
             (unsigned long long)(hi.minor ? hi.minor - 1 : 0));
}

/* The oldest / newest row that accepts Go 1.<minor>, or NULL. */
static const struct sw_tinygo_row *first_row_for(unsigned minor)
{
    for (size_t i = 0; i < sw_tinygo_rows_len; i++)
        if (minor >= sw_tinygo_rows[i].go_min && minor <= sw_tinygo_rows[i].go_max)
            return &sw_tinygo_rows[i];
    return NULL;
}

static const struct sw_tinygo_row *last_row_for(unsigned minor)
{
    for (size_t i = sw_tinygo_rows_len; i-- > 0;)
        if (minor >= sw_tinygo_rows[i].go_min && minor <= sw_tinygo_rows[i].go_max)
            return &sw_tinygo_rows[i];
    return NULL;
}

static const struct sw_tinygo_row *first_row_with(unsigned flag)
{
    for (size_t i = 0; i < sw_tinygo_rows_len; i++)
        if (sw_tinygo_rows[i].flags & flag)
            return &sw_tinygo_rows[i];
    return &sw_tinygo_rows[sw_tinygo_rows_len - 1];
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
    struct gosel g;
    go_select(f, &g);
    sw_chk_found(c, "path", "%s", f->go.path);
    if (!g.ok) {
        struct sw_error err = {0};
        sw_gover_parse(f->go.out, &g.v, &err);
        sw_chk_set(c, SW_CHECK_WARN, "%s (go env GOVERSION)", err.msg);
        sw_chk_fix(c, "check what 'go env GOVERSION' prints in the project");
        sw_chk_found(c, "raw", "%s", f->go.out);
        return;
    }
    sw_chk_set(c, SW_CHECK_OK, "%s", g.who);
    sw_chk_found(c, "version", "%s", g.v.text);
    sw_chk_found(c, "source", "%s", go_src_name(g.src));
    if (f->project.gomod.toolchain[0])
        sw_chk_found(c, "go.mod-toolchain", "%s", f->project.gomod.toolchain);
    if (f->gotoolchain)
        sw_chk_found(c, "GOTOOLCHAIN", "%s", f->gotoolchain);
}

/* Which TinyGo to install: the newest release that builds wasip2 with the Go in use. */
static void install_advice(struct sw_check *c, const struct gosel *g,
                           const struct sw_tinygo_row *wasip2)
{
    const struct sw_tinygo_row *r = g->ok && g->v.major == 1 ? last_row_for(g->v.minor) : NULL;
    if (r && (r->flags & SW_TG_WASIP2)) {
        char last[32];
        row_last(r, last, sizeof(last));
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
    struct gosel g;
    go_select(f, &g);
    struct tgsel t;
    tinygo_select(f, &t);
    const struct sw_tinygo_row *wasip2 = first_row_with(SW_TG_WASIP2);
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
        sw_chk_found(c, "raw", "%s", f->tinygo.out);
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

/* The fix for a Go outside [lo, hi] of TinyGo t. */
static void range_fix(const struct sw_doctor_facts *f, struct sw_check *c, const struct gosel *g,
                      const struct tgsel *t)
{
    const struct sw_tinygo_row *r = t->row;
    unsigned m = g->v.minor;
    const struct sw_gomod *mod = &f->project.gomod;
    unsigned goline = 0;
    struct sw_gover gl;
    char glbuf[48];
    snprintf(glbuf, sizeof(glbuf), "go%s", mod->go);
    if (mod->go[0] && sw_gover_parse(glbuf, &gl, NULL) == 0)
        goline = gl.minor;
    if (m > r->go_max) {
        const struct sw_tinygo_row *up = first_row_for(m);
        if (up)
            sw_chk_fix(c, "install TinyGo >= %s", up->min);
        else {
            char top[32];
            row_last(&sw_tinygo_rows[sw_tinygo_rows_len - 1], top, sizeof(top));
            sw_chk_fix(c, "no TinyGo this setup-wash knows accepts Go 1.%u (TinyGo %s accepts "
                          "up to 1.%u): use an older Go",
                       m, top, sw_tinygo_rows[sw_tinygo_rows_len - 1].go_max);
        }
        if (goline > r->go_max) {
            sw_chk_more(c, "; go.mod requires go %s", mod->go);
            c->file = "go.mod";
            return;
        }
        char *fix = c->fix + strlen(c->fix);
        if (g->src == SRC_TOOLCHAIN) {
            snprintf(fix, sizeof(c->fix) - (size_t)(fix - c->fix),
                     " or change the toolchain line in go.mod to go1.%u.x", r->go_max);
            c->file = "go.mod";
        } else if (g->src != SRC_GOLINE) {
            snprintf(fix, sizeof(c->fix) - (size_t)(fix - c->fix),
                     " or set GOTOOLCHAIN=go1.%u.x", r->go_max);
        }
        return;
    }
    /* too old: a newer Go is one setting away; an older TinyGo may also do */
    if (g->src == SRC_TOOLCHAIN) {
        sw_chk_fix(c, "raise the toolchain line in go.mod to go1.%u.x", r->go_min);
        c->file = "go.mod";
    } else {
        sw_chk_fix(c, "set GOTOOLCHAIN=go1.%u.x (or add 'toolchain go1.%u.0' to go.mod)",
                   r->go_min, r->go_min);
    }
    const struct sw_tinygo_row *down = last_row_for(m);
    if (down && (down->flags & SW_TG_WASIP2)) {
        char last[32];
        row_last(down, last, sizeof(last));
        char *fix = c->fix + strlen(c->fix);
        snprintf(fix, sizeof(c->fix) - (size_t)(fix - c->fix), " or use TinyGo %s", last);
    }
}

/* The Go and TinyGo a check compares, or false after setting the check to skip (no Go project,
 * or one of the versions unknown). */
static bool go_and_tinygo(const struct sw_doctor_facts *f, struct sw_check *c, struct gosel *g,
                          struct tgsel *t)
{
    if (!f->project.gomod.present) {
        sw_chk_not_lang(f, c, SW_NO_GO);
        return false;
    }
    go_select(f, g);
    tinygo_select(f, t);
    if (!g->ok || !t->ok) {
        sw_chk_set(c, SW_CHECK_SKIP, "needs the versions of both go and tinygo (see the %s check)",
                   !g->ok ? "go" : "tinygo");
        return false;
    }
    return true;
}

void sw_chk_tinygo_go(const struct sw_doctor_facts *f, struct sw_check *c)
{
    struct gosel g;
    struct tgsel t;
    if (!go_and_tinygo(f, c, &g, &t))
        return;
    sw_chk_found(c, "go", "%s", g.v.text);
    sw_chk_found(c, "tinygo", "%s", t.vs);
    char off[96] = "";
    bool compat_off = gocompat_off(f, off, sizeof(off));
    if (compat_off)
        sw_chk_found(c, "go-compatibility", "%s", off);
    if (!t.row) {
        if (t.newer) {
            char top[32];
            row_last(&sw_tinygo_rows[sw_tinygo_rows_len - 1], top, sizeof(top));
            sw_chk_set(c, SW_CHECK_WARN, "TinyGo %s is newer than the releases this setup-wash "
                       "knows (up to %s): its Go range is not checked; %s", t.vs, top, g.who);
            sw_chk_fix(c, "run 'tinygo info -target wasip2' in the project (it checks the range), "
                          "or update setup-wash");
        } else {
            sw_chk_set(c, SW_CHECK_SKIP, "TinyGo %s is older than any release this setup-wash "
                       "knows (%s); see the tinygo check", t.vs, sw_tinygo_rows[0].min);
        }
        return;
    }
    const struct sw_tinygo_row *r = t.row;
    if (g.v.major == 1 && g.v.minor >= r->go_min && g.v.minor <= r->go_max) {
        sw_chk_set(c, SW_CHECK_OK, "TinyGo %s supports Go 1.%u-1.%u, %s", t.vs, r->go_min,
                   r->go_max, g.who);
        if (compat_off)
            sw_chk_more(c, " (%s noted)", off);
        return;
    }
    bool honoured = compat_off && (r->flags & SW_TG_GOCOMPAT);
    sw_chk_set(c, honoured ? SW_CHECK_WARN : SW_CHECK_ERROR, "TinyGo %s supports Go 1.%u-1.%u, %s",
               t.vs, r->go_min, r->go_max, g.who);
    if (g.v.major != 1) {
        sw_chk_more(c, " (TinyGo takes Go 1.x only)");
        sw_chk_fix(c, "set GOTOOLCHAIN=go1.%u.x", r->go_max);
        return;
    }
    if (honoured)
        sw_chk_more(c, "; %s turns TinyGo's range check off, so it will try anyway", off);
    else if (compat_off)
        sw_chk_more(c, "; %s has no effect before TinyGo %s", off,
                    first_row_with(SW_TG_GOCOMPAT)->min);
    range_fix(f, c, &g, &t);
}

void sw_chk_tinygo_built(const struct sw_doctor_facts *f, struct sw_check *c)
{
    struct gosel g;
    struct tgsel t;
    if (!go_and_tinygo(f, c, &g, &t))
        return;
    if (!(t.flags & SW_TG_BUILT_WITH)) {
        sw_chk_set(c, SW_CHECK_SKIP, "TinyGo %s does not compare Go with the Go it was built with "
                   "(that check came in %s)", t.vs, first_row_with(SW_TG_BUILT_WITH)->min);
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
    const struct sw_gover *b = &t.t.go;
    if (b->major == 1 && g.v.major == 1 && g.v.minor <= b->minor) {
        sw_chk_set(c, SW_CHECK_OK, "%s; TinyGo %s was built with %s (the same or a newer Go "
                   "minor version)", g.who, t.vs, b->text);
        return;
    }
    sw_chk_set(c, SW_CHECK_ERROR, "TinyGo %s was built with %s and refuses a newer Go, %s", t.vs,
               b->text, g.who);
    char first[96] = "";
    if (g.src == SRC_TOOLCHAIN) {
        snprintf(first, sizeof(first), "change the toolchain line in go.mod to go1.%u.x or ",
                 b->minor);
        c->file = "go.mod";
    } else if (g.src != SRC_GOLINE) {
        snprintf(first, sizeof(first), "set GOTOOLCHAIN=go1.%u.x or ", b->minor);
    }
    sw_chk_fix(c, "%sinstall a TinyGo built with Go 1.%u or newer (official releases are built "
                  "with the newest Go they support)", first, g.v.minor);
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
            sw_chk_set(c, SW_CHECK_ERROR, "wasm-tools not found on PATH: TinyGo's wasip2 builds "
                                          "run it");
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
    if (from_mod && !mod->wbg[0]) {
        sw_chk_set(c, SW_CHECK_SKIP, "wit-bindgen-go is not on PATH and go.mod does not require "
                   "%s", SW_WBG_MODULE);
        return;
    }
    if (sw_toolver_parse(from_mod ? mod->wbg : p->out, &v, &err) < 0) {
        sw_chk_set(c, SW_CHECK_WARN, "wit-bindgen-go: %s", err.msg);
        sw_chk_fix(c, "check what 'wit-bindgen-go --version' prints");
        return;
    }
    char vs[SW_SEMVER_STR_MAX], where[1100];
    sw_semver_str(&v, vs, sizeof(vs));
    if (from_mod)
        snprintf(where, sizeof(where), "go.mod requires %s %s", SW_WBG_MODULE, mod->wbg);
    else
        snprintf(where, sizeof(where), "%s", p->path);
    sw_chk_found(c, "version", "%s", vs);
    sw_chk_found(c, "source", "%s", from_mod ? "go.mod" : "PATH");
    struct sw_semver wt, min = sw_chk_ver(SW_WBG_MIN), brk = sw_chk_ver(SW_WASMTOOLS_BREAK);
    bool has_wt = f->wasm_tools.state == SW_PROBE_OK &&
                  sw_toolver_parse(f->wasm_tools.out, &wt, NULL) == 0;
    if (sw_semver_cmp(&v, &min) >= 0) {
        sw_chk_set(c, SW_CHECK_OK, "wit-bindgen-go %s (%s)", vs, where);
        return;
    }
    char wts[SW_SEMVER_STR_MAX] = "";
    if (has_wt)
        sw_semver_str(&wt, wts, sizeof(wts));
    if (has_wt && sw_semver_cmp(&wt, &brk) < 0) {
        sw_chk_set(c, SW_CHECK_OK, "wit-bindgen-go %s (%s) works with wasm-tools %s; wasm-tools "
                   "%s or newer will need wit-bindgen-go %s", vs, where, wts, SW_WASMTOOLS_BREAK,
                   SW_WBG_MIN);
        return;
    }
    if (has_wt)
        sw_chk_set(c, SW_CHECK_ERROR, "wit-bindgen-go %s (%s) breaks with wasm-tools %s (%s and "
                   "newer need wit-bindgen-go %s)", vs, where, wts, SW_WASMTOOLS_BREAK,
                   SW_WBG_MIN);
    else
        sw_chk_set(c, SW_CHECK_WARN, "wit-bindgen-go %s (%s) breaks with wasm-tools %s and newer, "
                   "and the wasm-tools version is unknown", vs, where, SW_WASMTOOLS_BREAK);
    if (from_mod) {
        sw_chk_fix(c, "require %s %s or newer: go get %s@latest", SW_WBG_MODULE, SW_WBG_MIN,
                   SW_WBG_MODULE);
        c->file = "go.mod";
    } else {
        sw_chk_fix(c, "go install %s/cmd/wit-bindgen-go@latest", SW_WBG_MODULE);
    }
}
