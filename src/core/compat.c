#include "core/compat.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/attr.h"

/* ---- the table ---- */

struct sw_semver sw_chk_ver(const char *s)
{
    struct sw_semver v;
    if (sw_semver_parse(s, &v, NULL) < 0)
        memset(&v, 0, sizeof(v));
    return v;
}

struct sw_semver sw_chk_release(const struct sw_semver *v)
{
    struct sw_semver r = *v;
    r.pre[0] = '\0';
    r.build[0] = '\0';
    return r;
}

const struct sw_tinygo_row *sw_tinygo_row_for(const struct sw_semver *v)
{
    struct sw_semver r = sw_chk_release(v);
    for (size_t i = 0; i < sw_tinygo_rows_len; i++) {
        struct sw_semver lo = sw_chk_ver(sw_tinygo_rows[i].min);
        struct sw_semver hi = sw_chk_ver(sw_tinygo_rows[i].max_excl);
        if (sw_semver_cmp(&r, &lo) >= 0 && sw_semver_cmp(&r, &hi) < 0)
            return &sw_tinygo_rows[i];
    }
    return NULL;
}

const struct sw_tinygo_row *sw_tinygo_first_row_for(unsigned minor)
{
    for (size_t i = 0; i < sw_tinygo_rows_len; i++)
        if (minor >= sw_tinygo_rows[i].go_min && minor <= sw_tinygo_rows[i].go_max)
            return &sw_tinygo_rows[i];
    return NULL;
}

const struct sw_tinygo_row *sw_tinygo_last_row_for(unsigned minor)
{
    for (size_t i = sw_tinygo_rows_len; i-- > 0;)
        if (minor >= sw_tinygo_rows[i].go_min && minor <= sw_tinygo_rows[i].go_max)
            return &sw_tinygo_rows[i];
    return NULL;
}

const struct sw_tinygo_row *sw_tinygo_first_row_with(unsigned flag)
{
    for (size_t i = 0; i < sw_tinygo_rows_len; i++)
        if (sw_tinygo_rows[i].flags & flag)
            return &sw_tinygo_rows[i];
    return &sw_tinygo_rows[sw_tinygo_rows_len - 1];
}

void sw_tinygo_row_last(const struct sw_tinygo_row *r, char *buf, size_t n)
{
    struct sw_semver hi = sw_chk_ver(r->max_excl);
    snprintf(buf, n, "%llu.%llu.x", (unsigned long long)hi.major,
             (unsigned long long)(hi.minor ? hi.minor - 1 : 0));
}

/* The row's flags; a TinyGo newer than every row is taken to do what the last row does. */
static unsigned tinygo_flags(const struct sw_semver *v, bool *newer)
{
    const struct sw_tinygo_row *r = sw_tinygo_row_for(v);
    struct sw_semver rel = sw_chk_release(v);
    struct sw_semver top = sw_chk_ver(sw_tinygo_rows[sw_tinygo_rows_len - 1].max_excl);
    *newer = !r && sw_semver_cmp(&rel, &top) >= 0;
    return r ? r->flags : *newer ? sw_tinygo_rows[sw_tinygo_rows_len - 1].flags : 0;
}

/* ---- the Go that will build ---- */

const char *sw_go_src_name(enum sw_go_src s)
{
    static const char *const names[] = {"PATH", "GOTOOLCHAIN", "go.mod toolchain", "go.mod go",
                                        "go.mod (no go on PATH)"};
    return names[s];
}

/* The goX.Y.Z GOTOOLCHAIN names ("go1.25.1", "go1.25.1+auto", "go1.25.1+path") into buf;
 * *floor when it is only a minimum (+auto, +path: go.mod may switch higher). */
static bool env_go(const char *env, char *buf, size_t n, bool *floor)
{
    if (!env || strncmp(env, "go", 2) != 0)
        return false;
    size_t len = strcspn(env, "+");
    snprintf(buf, n, "%.*s", (int)len, env);
    *floor = env[len] == '+';
    return true;
}

void sw_gobuild_select(const struct sw_gobuild_in *in, struct sw_gobuild *g)
{
    memset(g, 0, sizeof(*g));
    const struct sw_gomod *m = in->mod && in->mod->present ? in->mod : NULL;
    if (!in->answer) {
        if (!in->go_absent) {
            snprintf(g->who, sizeof(g->who), "'go env GOVERSION' gave no answer");
            return;
        }
        char line[48];
        const char *what = "toolchain";
        if (m && m->toolchain[0])
            snprintf(line, sizeof(line), "%s", m->toolchain);
        else if (m && m->go[0])
            snprintf(line, sizeof(line), "go%s", m->go), what = "go";
        else {
            snprintf(g->who, sizeof(g->who), "no go on PATH%s",
                     m ? " and go.mod names no Go" : " and no go.mod");
            return;
        }
        if (sw_gover_parse(line, &g->v, NULL) < 0) {
            snprintf(g->who, sizeof(g->who),
                     "no go on PATH and go.mod's %s line '%s' is not a "
                     "Go version",
                     what, line);
            return;
        }
        g->known = true;
        g->src = SW_GO_SRC_GOMOD;
        snprintf(g->who, sizeof(g->who), "no go on PATH: go.mod's %s line names %s", what,
                 g->v.text);
        return;
    }
    struct sw_error err = {0};
    if (sw_gover_parse(in->answer, &g->v, &err) < 0) {
        snprintf(g->who, sizeof(g->who), "%s (go env GOVERSION)", err.msg);
        return;
    }
    g->known = true;
    struct sw_gover local;
    bool has_local = in->local && sw_gover_parse(in->local, &local, NULL) == 0;
    char envv[64] = "";
    bool floor = false, has_env = env_go(in->gotoolchain, envv, sizeof(envv), &floor);
    if (has_local && strcmp(local.text, g->v.text) == 0)
        g->src = SW_GO_SRC_PATH;
    else if (has_env && (!floor || strcmp(envv, g->v.text) == 0))
        g->src = SW_GO_SRC_ENV;
    else if (m && m->toolchain[0] && strcmp(m->toolchain, g->v.text) == 0)
        g->src = SW_GO_SRC_TOOLCHAIN;
    else if (m && m->go[0] && has_local)
        g->src = SW_GO_SRC_GOLINE;
    else
        g->src = has_env ? SW_GO_SRC_ENV : SW_GO_SRC_PATH;
    char onpath[96] = "";
    if (has_local && g->src != SW_GO_SRC_PATH)
        snprintf(onpath, sizeof(onpath), " (Go on PATH is %s)", local.text);
    switch (g->src) {
    case SW_GO_SRC_PATH:
    case SW_GO_SRC_GOMOD:
        snprintf(g->who, sizeof(g->who), "Go on PATH is %s", g->v.text);
        break;
    case SW_GO_SRC_ENV:
        snprintf(g->who, sizeof(g->who), "GOTOOLCHAIN=%s selects %s%s", in->gotoolchain, g->v.text,
                 onpath);
        break;
    case SW_GO_SRC_TOOLCHAIN:
        snprintf(g->who, sizeof(g->who), "the toolchain line in go.mod selects %s%s", g->v.text,
                 onpath);
        break;
    case SW_GO_SRC_GOLINE:
        snprintf(g->who, sizeof(g->who), "the go line in go.mod (go %s) selects %s%s", m->go,
                 g->v.text, onpath);
        break;
    }
}

/* ---- the rules ---- */

static void set(struct sw_compat_verdict *out, enum sw_compat_status s, const char *fmt, ...)
    SW_PRINTF(3, 4);
static void set(struct sw_compat_verdict *out, enum sw_compat_status s, const char *fmt, ...)
{
    out->status = s;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->message, sizeof(out->message), fmt, ap);
    va_end(ap);
}

/* Appends to buf[n] (a message or a fix). */
static void app(char *buf, size_t n, const char *fmt, ...) SW_PRINTF(3, 4);
static void app(char *buf, size_t n, const char *fmt, ...)
{
    size_t len = strlen(buf);
    if (len + 1 >= n)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + len, n - len, fmt, ap);
    va_end(ap);
}

bool sw_compat_tinygo_accepts(const struct sw_semver *tinygo, const struct sw_gover *g)
{
    const struct sw_tinygo_row *r = sw_tinygo_row_for(tinygo);
    return r && g->major == 1 && g->minor >= r->go_min && g->minor <= r->go_max;
}

bool sw_compat_tinygo_misses(const struct sw_semver *tinygo, const struct sw_gobuild *g, char *why,
                             size_t n)
{
    const struct sw_tinygo_row *r = sw_tinygo_row_for(tinygo);
    if (!r || !g->known || g->v.major != 1 || sw_compat_tinygo_accepts(tinygo, &g->v))
        return false;
    if (g->v.minor < r->go_min)
        snprintf(why, n, "needs Go \u2265 1.%u, the project builds with %s", r->go_min, g->v.text);
    else
        snprintf(why, n, "supports Go up to 1.%u, the project builds with %s", r->go_max,
                 g->v.text);
    return true;
}

void sw_compat_tinygo_none(const struct sw_semver *newest, const struct sw_gobuild *g,
                           struct sw_compat_verdict *out)
{
    memset(out, 0, sizeof(*out));
    char vs[SW_SEMVER_STR_MAX], top[32];
    sw_semver_str(newest, vs, sizeof(vs));
    const struct sw_tinygo_row *r = sw_tinygo_row_for(newest);
    const struct sw_tinygo_row *last = &sw_tinygo_rows[sw_tinygo_rows_len - 1];
    sw_tinygo_row_last(last, top, sizeof(top));
    if (!r) {
        set(out, SW_COMPAT_ERROR,
            "no TinyGo release this setup-wash knows builds with %s (%s): "
            "the newest, %s, is not in its table (it knows up to %s)",
            g->v.text, g->who, vs, top);
        snprintf(out->fix, sizeof(out->fix), "update setup-wash, or name a version (tinygo@%s)",
                 vs);
        return;
    }
    set(out, SW_COMPAT_ERROR,
        "no TinyGo release builds with %s (%s): the newest, %s, supports "
        "Go 1.%u-1.%u",
        g->v.text, g->who, vs, r->go_min, r->go_max);
    if (g->v.major == 1 && g->v.minor < r->go_min)
        snprintf(out->fix, sizeof(out->fix), "build with Go 1.%u or newer (GOTOOLCHAIN=go1.%u.x)",
                 r->go_min, r->go_min);
    else
        snprintf(out->fix, sizeof(out->fix),
                 "build with Go 1.%u or older (GOTOOLCHAIN=go1.%u.x), "
                 "or wait for a TinyGo that supports Go 1.%u",
                 r->go_max, r->go_max, g->v.minor);
}

/* "tinygo@^0.41": the newest release line of a row, as a spec to lock. */
static void row_spec(const struct sw_tinygo_row *r, char *buf, size_t n)
{
    struct sw_semver hi = sw_chk_ver(r->max_excl);
    snprintf(buf, n, "tinygo@^%llu.%llu", (unsigned long long)hi.major,
             (unsigned long long)(hi.minor ? hi.minor - 1 : 0));
}

/* The TinyGo side of a fix: another TinyGo, the one `r` holds (the newest for the Go). */
static void tinygo_side(struct sw_compat_verdict *out, enum sw_compat_for who,
                        const struct sw_tinygo_row *first, const struct sw_tinygo_row *newest)
{
    char spec[48];
    row_spec(newest, spec, sizeof(spec));
    switch (who) {
    case SW_COMPAT_FOR_DOCTOR:
        app(out->fix, sizeof(out->fix), "install TinyGo >= %s", first->min);
        break;
    case SW_COMPAT_FOR_LOCK:
        app(out->fix, sizeof(out->fix), "lock tinygo@auto or %s", spec);
        break;
    case SW_COMPAT_FOR_INSTALL:
        app(out->fix, sizeof(out->fix),
            "lock a TinyGo that builds with it ('setup-wash lock "
            "tinygo@auto', or %s)",
            spec);
        break;
    }
}

/* The fix for a Go outside the range of TinyGo row r. */
static void range_fix(struct sw_compat_verdict *out, const struct sw_gobuild *g,
                      const struct sw_gomod *mod, const struct sw_tinygo_row *r,
                      enum sw_compat_for who)
{
    unsigned m = g->v.minor;
    bool has_mod = mod && mod->present;
    unsigned goline = 0;
    struct sw_gover gl;
    char glbuf[48];
    snprintf(glbuf, sizeof(glbuf), "go%s", has_mod ? mod->go : "");
    if (has_mod && mod->go[0] && sw_gover_parse(glbuf, &gl, NULL) == 0)
        goline = gl.minor;
    /* without a go on PATH, go.mod's line is what to change */
    enum sw_go_src src = g->src;
    if (src == SW_GO_SRC_GOMOD)
        src = has_mod && mod->toolchain[0] ? SW_GO_SRC_TOOLCHAIN : SW_GO_SRC_GOLINE;
    if (m > r->go_max) {
        const struct sw_tinygo_row *up = sw_tinygo_first_row_for(m);
        if (up) {
            tinygo_side(out, who, up, sw_tinygo_last_row_for(m));
        } else {
            char top[32];
            sw_tinygo_row_last(&sw_tinygo_rows[sw_tinygo_rows_len - 1], top, sizeof(top));
            app(out->fix, sizeof(out->fix),
                "no TinyGo this setup-wash knows accepts Go 1.%u "
                "(TinyGo %s accepts up to 1.%u): use an older Go",
                m, top, sw_tinygo_rows[sw_tinygo_rows_len - 1].go_max);
        }
        if (goline > r->go_max) {
            app(out->message, sizeof(out->message), "; go.mod requires go %s", mod->go);
            out->file = "go.mod";
            return;
        }
        if (src == SW_GO_SRC_TOOLCHAIN) {
            app(out->fix, sizeof(out->fix), " or change the toolchain line in go.mod to go1.%u.x",
                r->go_max);
            out->file = "go.mod";
        } else if (src != SW_GO_SRC_GOLINE && who == SW_COMPAT_FOR_DOCTOR) {
            app(out->fix, sizeof(out->fix), " or set GOTOOLCHAIN=go1.%u.x", r->go_max);
        } else if (src != SW_GO_SRC_GOLINE) {
            app(out->fix, sizeof(out->fix),
                ", or build with Go 1.%u or older (GOTOOLCHAIN=go1.%u.x)", r->go_max, r->go_max);
        }
        return;
    }
    /* too old: a newer Go is one setting away; an older TinyGo may also do */
    if (src == SW_GO_SRC_TOOLCHAIN) {
        app(out->fix, sizeof(out->fix), "raise the toolchain line in go.mod to go1.%u.x",
            r->go_min);
        out->file = "go.mod";
    } else {
        app(out->fix, sizeof(out->fix),
            "set GOTOOLCHAIN=go1.%u.x (or add 'toolchain go1.%u.0' "
            "to go.mod)",
            r->go_min, r->go_min);
    }
    const struct sw_tinygo_row *down = sw_tinygo_last_row_for(m);
    if (down && (down->flags & SW_TG_WASIP2)) {
        char last[32];
        sw_tinygo_row_last(down, last, sizeof(last));
        app(out->fix, sizeof(out->fix), " or ");
        if (who == SW_COMPAT_FOR_DOCTOR)
            app(out->fix, sizeof(out->fix), "use TinyGo %s", last);
        else
            tinygo_side(out, who, down, down);
    }
}

void sw_compat_tinygo_go(const struct sw_semver *tinygo, const struct sw_gobuild *g,
                         const struct sw_gomod *mod, const char *compat_off, enum sw_compat_for who,
                         struct sw_compat_verdict *out)
{
    memset(out, 0, sizeof(*out));
    char vs[SW_SEMVER_STR_MAX];
    sw_semver_str(tinygo, vs, sizeof(vs));
    const struct sw_tinygo_row *r = sw_tinygo_row_for(tinygo);
    if (!r) {
        bool newer;
        tinygo_flags(tinygo, &newer);
        if (newer) {
            char top[32];
            sw_tinygo_row_last(&sw_tinygo_rows[sw_tinygo_rows_len - 1], top, sizeof(top));
            set(out, SW_COMPAT_WARN,
                "TinyGo %s is newer than the releases this setup-wash "
                "knows (up to %s): its Go range is not checked; %s",
                vs, top, g->who);
            snprintf(out->fix, sizeof(out->fix), "%s",
                     who == SW_COMPAT_FOR_DOCTOR
                         ? "run 'tinygo info -target wasip2' in the project (it checks the "
                           "range), or update setup-wash"
                         : "update setup-wash, or lock a TinyGo it knows (tinygo@auto)");
        } else {
            set(out, SW_COMPAT_NA,
                "TinyGo %s is older than any release this setup-wash knows "
                "(%s)",
                vs, sw_tinygo_rows[0].min);
        }
        return;
    }
    if (g->v.major == 1 && g->v.minor >= r->go_min && g->v.minor <= r->go_max) {
        set(out, SW_COMPAT_OK, "TinyGo %s supports Go 1.%u-1.%u, %s", vs, r->go_min, r->go_max,
            g->who);
        if (compat_off)
            app(out->message, sizeof(out->message), " (%s noted)", compat_off);
        return;
    }
    bool honoured = compat_off && (r->flags & SW_TG_GOCOMPAT);
    set(out, honoured ? SW_COMPAT_WARN : SW_COMPAT_ERROR, "TinyGo %s supports Go 1.%u-1.%u, %s", vs,
        r->go_min, r->go_max, g->who);
    if (g->v.major != 1) {
        app(out->message, sizeof(out->message), " (TinyGo takes Go 1.x only)");
        snprintf(out->fix, sizeof(out->fix), "set GOTOOLCHAIN=go1.%u.x", r->go_max);
        return;
    }
    if (honoured)
        app(out->message, sizeof(out->message),
            "; %s turns TinyGo's range check off, so it "
            "will try anyway",
            compat_off);
    else if (compat_off)
        app(out->message, sizeof(out->message), "; %s has no effect before TinyGo %s", compat_off,
            sw_tinygo_first_row_with(SW_TG_GOCOMPAT)->min);
    range_fix(out, g, mod, r, who);
}

void sw_compat_tinygo_built(const struct sw_semver *tinygo, const struct sw_gover *built,
                            const struct sw_gobuild *g, struct sw_compat_verdict *out)
{
    memset(out, 0, sizeof(*out));
    char vs[SW_SEMVER_STR_MAX];
    sw_semver_str(tinygo, vs, sizeof(vs));
    bool newer;
    if (!(tinygo_flags(tinygo, &newer) & SW_TG_BUILT_WITH)) {
        set(out, SW_COMPAT_NA,
            "TinyGo %s does not compare Go with the Go it was built with "
            "(that check came in %s)",
            vs, sw_tinygo_first_row_with(SW_TG_BUILT_WITH)->min);
        return;
    }
    if (built->major == 1 && g->v.major == 1 && g->v.minor <= built->minor) {
        set(out, SW_COMPAT_OK,
            "%s; TinyGo %s was built with %s (the same or a newer Go minor "
            "version)",
            g->who, vs, built->text);
        return;
    }
    set(out, SW_COMPAT_ERROR, "TinyGo %s was built with %s and refuses a newer Go, %s", vs,
        built->text, g->who);
    if (g->src == SW_GO_SRC_TOOLCHAIN) {
        app(out->fix, sizeof(out->fix), "change the toolchain line in go.mod to go1.%u.x or ",
            built->minor);
        out->file = "go.mod";
    } else if (g->src != SW_GO_SRC_GOLINE) {
        app(out->fix, sizeof(out->fix), "set GOTOOLCHAIN=go1.%u.x or ", built->minor);
    }
    app(out->fix, sizeof(out->fix),
        "install a TinyGo built with Go 1.%u or newer (official "
        "releases are built with the newest Go they support)",
        g->v.minor);
}

void sw_compat_wasip2_tools(const struct sw_semver *tinygo, bool wasm_tools,
                            struct sw_compat_verdict *out)
{
    memset(out, 0, sizeof(*out));
    char vs[SW_SEMVER_STR_MAX];
    sw_semver_str(tinygo, vs, sizeof(vs));
    bool newer;
    if (!(tinygo_flags(tinygo, &newer) & SW_TG_WASIP2)) {
        set(out, SW_COMPAT_NA, "TinyGo %s has no wasip2 target", vs);
        return;
    }
    if (wasm_tools) {
        set(out, SW_COMPAT_OK, "TinyGo %s and wasm-tools are both locked", vs);
        return;
    }
    set(out, SW_COMPAT_WARN,
        "the lock pins TinyGo %s but no wasm-tools: %s (tinygo build "
        "-target=wasip2 fails without it)",
        vs, SW_COMPAT_WASIP2_WHY);
    snprintf(out->fix, sizeof(out->fix), "lock it too: setup-wash lock wasm-tools");
}

void sw_compat_wbg(const struct sw_semver *wbg, const char *wbg_where, bool from_mod,
                   const struct sw_semver *wt, const char *wt_where, enum sw_compat_for who,
                   struct sw_compat_verdict *out)
{
    memset(out, 0, sizeof(*out));
    char vs[SW_SEMVER_STR_MAX], wts[SW_SEMVER_STR_MAX + 64] = "";
    sw_semver_str(wbg, vs, sizeof(vs));
    struct sw_semver min = sw_chk_ver(SW_WBG_MIN), brk = sw_chk_ver(SW_WASMTOOLS_BREAK);
    if (sw_semver_cmp(wbg, &min) >= 0) {
        set(out, SW_COMPAT_OK, "wit-bindgen-go %s (%s)", vs, wbg_where);
        return;
    }
    if (wt) {
        char v[SW_SEMVER_STR_MAX];
        snprintf(wts, sizeof(wts), "%s%s%s%s", sw_semver_str(wt, v, sizeof(v)),
                 wt_where ? " (" : "", wt_where ? wt_where : "", wt_where ? ")" : "");
    }
    if (wt && sw_semver_cmp(wt, &brk) < 0) {
        set(out, SW_COMPAT_OK,
            "wit-bindgen-go %s (%s) works with wasm-tools %s; wasm-tools %s "
            "or newer will need wit-bindgen-go %s",
            vs, wbg_where, wts, SW_WASMTOOLS_BREAK, SW_WBG_MIN);
        return;
    }
    if (wt)
        set(out, SW_COMPAT_ERROR,
            "wit-bindgen-go %s (%s) breaks with wasm-tools %s (%s and "
            "newer need wit-bindgen-go %s)",
            vs, wbg_where, wts, SW_WASMTOOLS_BREAK, SW_WBG_MIN);
    else
        set(out, SW_COMPAT_WARN,
            "wit-bindgen-go %s (%s) breaks with wasm-tools %s and newer, "
            "and the wasm-tools version is unknown",
            vs, wbg_where, SW_WASMTOOLS_BREAK);
    if (from_mod) {
        snprintf(out->fix, sizeof(out->fix), "require %s %s or newer: go get %s@latest",
                 SW_WBG_MODULE, SW_WBG_MIN, SW_WBG_MODULE);
        out->file = "go.mod";
    } else {
        snprintf(out->fix, sizeof(out->fix), "go install %s/cmd/wit-bindgen-go@latest",
                 SW_WBG_MODULE);
    }
    if (who != SW_COMPAT_FOR_DOCTOR)
        app(out->fix, sizeof(out->fix),
            ", or lock a wasm-tools older than %s "
            "(wasm-tools@<%s)",
            SW_WASMTOOLS_BREAK, SW_WASMTOOLS_BREAK);
}
