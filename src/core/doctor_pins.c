/* The tools-lock check: each tool the lock pins under "tools" against the one found on PATH
 * (its version, and for a copy setup-wash installed, which cache directory it is). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/doctor_int.h"
#include "core/text.h"
#include "core/toolver.h"
#include "data/tools.h"

/* The probe that answers for a pinned tool, and its bit; NULL for a tool doctor does not run. */
static const struct sw_probe *probe_of(const struct sw_doctor_facts *f, const char *name,
                                       unsigned *bit)
{
    static const struct {
        const char *name;
        unsigned bit;
        size_t off;
    } rows[] = {
        {"tinygo", SW_T_TINYGO, offsetof(struct sw_doctor_facts, tinygo)},
        {"wasm-tools", SW_T_WASM_TOOLS, offsetof(struct sw_doctor_facts, wasm_tools)},
        {"wkg", SW_T_WKG, offsetof(struct sw_doctor_facts, wkg)},
        {"componentize-go", SW_T_COMPONENTIZE_GO,
         offsetof(struct sw_doctor_facts, componentize_go)},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        if (strcmp(rows[i].name, name) == 0) {
            if (bit)
                *bit = rows[i].bit;
            return f ? (const struct sw_probe *)((const char *)f + rows[i].off) : NULL;
        }
    return NULL;
}

unsigned sw_doctor_pin_tools(const struct sw_lock *lock, const bool *selected)
{
    unsigned bits = 0;
    bool on = false;
    for (size_t k = 0; k < sw_check_defs_len; k++)
        on |= selected[k] && sw_check_defs[k].run == sw_chk_tools_lock;
    for (size_t i = 0; on && lock && i < lock->ntools; i++) {
        unsigned bit = 0;
        probe_of(NULL, lock->tools[i].name, &bit);
        bits |= bit;
    }
    return bits;
}

/* p with '\' as '/', for comparing paths. */
static void slashes(char *dst, size_t n, const char *p)
{
    snprintf(dst, n, "%s", p);
    for (char *s = dst; *s; s++)
        if (*s == '\\')
            *s = '/';
}

/* The directory of path, into dst[n]. */
static void dir_of(char *dst, size_t n, const char *path)
{
    snprintf(dst, n, "%s", path);
    char *s = strrchr(dst, '/'), *b = strrchr(dst, '\\');
    if (b > s)
        s = b;
    if (s && s != dst)
        *s = '\0';
}

/* Whether the program at path is in setup-wash's cache for that tool (<root>/<tool>/...). */
static bool in_cache(const struct sw_doctor_facts *f, const char *tool, const char *path)
{
    char root[1200], p[1200];
    if (!f->cache_root)
        return false;
    slashes(p, sizeof(p), path);
    char *r = sw_xasprintf("%s/%s/", f->cache_root, tool);
    slashes(root, sizeof(root), r);
    free(r);
    return strncmp(p, root, strlen(root)) == 0;
}

/* The version a tool's answer names, into vs[n]: 0, or -1 with why[] ("cannot read ..."). */
static int answer_version(const char *tool, const struct sw_probe *p, char *vs, size_t n, char *why,
                          size_t wn)
{
    struct sw_error err = {0};
    struct sw_semver v;
    int rc;
    if (strcmp(tool, "tinygo") == 0) {
        struct sw_tinygo_ver tv;
        rc = sw_tinygo_parse(p->out, &tv, &err);
        v = tv.v;
    } else {
        rc = sw_toolver_parse(p->out, &v, &err);
    }
    if (rc < 0) {
        snprintf(why, wn, "%s", err.msg);
        return -1;
    }
    sw_semver_str(&v, vs, n);
    return 0;
}

/* One pinned tool: its part of the message, and how bad it is. */
static enum sw_check_status one_pin(const struct sw_doctor_facts *f, const struct sw_pin_fact *pf,
                                    struct sw_check *c, bool *fix_install)
{
    const struct sw_lock_tool *pin = pf->pin;
    char name[64], pinned[SW_SEMVER_STR_MAX + 16], vs[SW_SEMVER_STR_MAX], why[256], where[1100];
    sw_sanitize(name, sizeof(name), pin->name);
    sw_sanitize(pinned, sizeof(pinned), pin->version);
    const struct sw_probe *p = probe_of(f, pin->name, NULL);
    const char *sep = c->message[0] ? "; " : "";
    if (!p || p->state == SW_PROBE_NOT_RUN)
        return SW_CHECK_OK;
    if (p->state == SW_PROBE_ABSENT) {
        sw_chk_more(c, "%s%s is not on PATH but the lock pins %s", sep, name, pinned);
        *fix_install = true;
        return SW_CHECK_WARN;
    }
    dir_of(where, sizeof(where), p->path);
    if (p->state != SW_PROBE_OK) {
        sw_chk_more(c,
                    "%s%s on PATH (%s) did not answer '%s', so it cannot be compared with the "
                    "lock's %s",
                    sep, name, where, p->cmd, pinned);
        return SW_CHECK_WARN;
    }
    if (answer_version(pin->name, p, vs, sizeof(vs), why, sizeof(why)) < 0) {
        sw_chk_more(c, "%s%s on PATH (%s): %s, so it cannot be compared with the lock's %s", sep,
                    name, where, why, pinned);
        return SW_CHECK_WARN;
    }
    char mine[1200], want[1200];
    bool ours = in_cache(f, pin->name, p->path);
    slashes(mine, sizeof(mine), where);
    slashes(want, sizeof(want), pf->bin);
    sw_chk_found(c, pin->name, "%s (lock: %s)", vs, pin->version);
    if (strcmp(vs, pin->version) == 0) {
        sw_chk_more(c, "%s%s %s as pinned%s", sep, name, vs,
                    ours && strcmp(mine, want) == 0 ? " (setup-wash's install)" : "");
        return SW_CHECK_OK;
    }
    sw_chk_more(c, "%s%s on PATH is %s from %s%s but the lock pins %s", sep, name, vs,
                ours ? "setup-wash's cache, " : "", where, pinned);
    *fix_install = true;
    return SW_CHECK_WARN;
}

void sw_chk_tools_lock(const struct sw_doctor_facts *f, struct sw_check *c)
{
    if (!f->lock_path) {
        sw_chk_set(c, SW_CHECK_SKIP, "no plugins.lock: nothing pins the toolchain");
        return;
    }
    if (f->npins == 0) {
        sw_chk_set(c, SW_CHECK_SKIP, "%s pins no tool (its \"tools\" key is empty)", f->lock_path);
        return;
    }
    enum sw_check_status worst = SW_CHECK_OK;
    bool fix_install = false;
    c->file = "plugins.lock";
    for (size_t i = 0; i < f->npins; i++) {
        enum sw_check_status s = one_pin(f, &f->pins[i], c, &fix_install);
        if (s == SW_CHECK_WARN)
            worst = s;
    }
    c->status = worst;
    if (!fix_install)
        return;
    sw_chk_fix(c, "run 'setup-wash install' (it installs what the lock pins and puts it first "
                  "on PATH)");
    for (size_t i = 0; i < f->npins; i++) {
        if (!f->pins[i].cached)
            continue;
        char line[1200];
        sw_path_line(line, sizeof(line), f->pins[i].bin, f->windows);
        sw_chk_fix(c, "or use the %s %s already in the cache: %s", f->pins[i].pin->name,
                   f->pins[i].pin->version, line);
    }
}
