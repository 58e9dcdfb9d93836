/* Doctor's Rust and TypeScript checks: rust, rust-wasip2, cargo-component, node, jco. */
#include <stdio.h>
#include <string.h>

#include "core/doctor_int.h"
#include "core/toolver.h"

/* The file a Rust toolchain fix goes in: the toolchain file when the project pins one. */
static const char *rust_file(const struct sw_project *p)
{
    if (strcmp(p->rust_toolchain, "rust-toolchain.toml") == 0)
        return "rust-toolchain.toml";
    if (strcmp(p->rust_toolchain, "rust-toolchain") == 0)
        return "rust-toolchain";
    return NULL;
}

static bool rustc_select(const struct sw_doctor_facts *f, struct sw_rustc_ver *r)
{
    return f->rustc.state == SW_PROBE_OK && sw_rustc_parse(f->rustc.out, r, NULL) == 0;
}

static bool rust_has_wasip2(const struct sw_semver *v)
{
    return v->major > 1 || (v->major == 1 && v->minor >= SW_RUST_WASIP2_MINOR);
}

void sw_chk_rust(const struct sw_doctor_facts *f, struct sw_check *c)
{
    const struct sw_project *p = &f->project;
    if (!p->cargo) {
        sw_chk_not_lang(f, c, SW_NO_RUST);
        return;
    }
    if (f->rustc.state == SW_PROBE_ABSENT) {
        sw_chk_set(c, SW_CHECK_ERROR, "rustc not found on PATH");
        sw_chk_fix(c, "install Rust 1.%u or newer with rustup (https://rustup.rs), then "
                      "'rustup target add %s'", SW_RUST_WASIP2_MINOR, SW_RUST_WASIP2_TARGET);
        return;
    }
    if (sw_chk_probe_failed(c, &f->rustc, SW_CHECK_ERROR, "check that 'rustc -vV' runs"))
        return;
    sw_chk_found(c, "path", "%s", f->rustc.path);
    struct sw_rustc_ver r;
    struct sw_error err = {0};
    if (sw_rustc_parse(f->rustc.out, &r, &err) < 0) {
        sw_chk_set(c, SW_CHECK_WARN, "%s (rustc -vV)", err.msg);
        sw_chk_fix(c, "check what 'rustc -vV' prints");
        return;
    }
    char vs[SW_SEMVER_STR_MAX];
    sw_semver_str(&r.v, vs, sizeof(vs));
    sw_chk_found(c, "version", "%s", vs);
    sw_chk_found(c, "channel", "%s", r.channel);
    if (!rust_has_wasip2(&r.v)) {
        sw_chk_set(c, SW_CHECK_ERROR, "rustc %s is older than 1.%u, the first Rust with the %s "
                   "target", vs, SW_RUST_WASIP2_MINOR, SW_RUST_WASIP2_TARGET);
        c->file = rust_file(p) ? rust_file(p) : "Cargo.toml";
        if (rust_file(p))
            sw_chk_fix(c, "raise the channel in %s to 1.%u or newer", rust_file(p),
                       SW_RUST_WASIP2_MINOR);
        else
            sw_chk_fix(c, "update Rust to 1.%u or newer: rustup update stable",
                       SW_RUST_WASIP2_MINOR);
        return;
    }
    sw_chk_set(c, SW_CHECK_OK, "rustc %s (%s)", vs, r.channel);
}

/* `rustup target add`, kept from installing a toolchain rustup does not already manage (a
 * rust-toolchain.toml naming an absent one makes it fail instead). */
static const char *const add_target_argv[] = {"rustup", "target", "add", SW_RUST_WASIP2_TARGET,
                                              NULL};
static const char *const no_auto_install[] = {"RUSTUP_AUTO_INSTALL=0", NULL};
static const struct sw_remedy add_target = {add_target_argv, no_auto_install};

static bool lists_target(const char *out, const char *target)
{
    size_t n = strlen(target);
    for (const char *line = out; *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        while (len && (line[len - 1] == '\r' || line[len - 1] == ' '))
            len--;
        if (len == n && memcmp(line, target, n) == 0)
            return true;
        if (!end)
            break;
        line = end + 1;
    }
    return false;
}

void sw_chk_rust_wasip2(const struct sw_doctor_facts *f, struct sw_check *c)
{
    const struct sw_project *p = &f->project;
    if (!p->cargo) {
        sw_chk_not_lang(f, c, SW_NO_RUST);
        return;
    }
    struct sw_rustc_ver r;
    if (!rustc_select(f, &r)) {
        sw_chk_set(c, SW_CHECK_SKIP, "needs the rustc version (see the rust check)");
        return;
    }
    if (!rust_has_wasip2(&r.v)) {
        sw_chk_set(c, SW_CHECK_SKIP, "this rustc has no %s target (see the rust check)",
                   SW_RUST_WASIP2_TARGET);
        return;
    }
    const char *tf = rust_file(p);
    if (f->rustup.state != SW_PROBE_NOT_RUN && f->rustup.state != SW_PROBE_ABSENT) {
        if (sw_chk_probe_failed(c, &f->rustup, SW_CHECK_ERROR,
                                "check that 'rustup target list --installed' runs"))
            return;
        sw_chk_found(c, "via", "rustup");
        if (lists_target(f->rustup.out, SW_RUST_WASIP2_TARGET)) {
            sw_chk_set(c, SW_CHECK_OK, "%s is installed (rustup target list --installed)",
                       SW_RUST_WASIP2_TARGET);
            return;
        }
        char raw[256];
        sw_toolver_raw(raw, sizeof(raw), f->rustup.out);
        sw_chk_set(c, SW_CHECK_ERROR, "the %s target is not installed (rustup lists: %s)",
                   SW_RUST_WASIP2_TARGET, raw[0] ? raw : "nothing");
        sw_chk_fix(c, "rustup target add %s (or 'setup-wash doctor --fix')", SW_RUST_WASIP2_TARGET);
        c->remedy = &add_target;
        if (tf) {
            c->file = tf;
            sw_chk_fix(c, "or list \"%s\" in the targets of %s", SW_RUST_WASIP2_TARGET, tf);
        }
        return;
    }
    if (sw_chk_probe_failed(c, &f->sysroot, SW_CHECK_ERROR,
                            "check that 'rustc --print sysroot' runs"))
        return;
    if (f->sysroot.state != SW_PROBE_OK) {
        sw_chk_set(c, SW_CHECK_SKIP, "rustc's sysroot was not read");
        return;
    }
    char sysroot[1024];
    sw_toolver_raw(sysroot, sizeof(sysroot), f->sysroot.out);
    sw_chk_found(c, "via", "sysroot");
    sw_chk_found(c, "sysroot", "%s", sysroot);
    if (f->sysroot_has_wasip2) {
        sw_chk_set(c, SW_CHECK_OK, "%s is installed (%s/lib/rustlib/%s; no rustup)",
                   SW_RUST_WASIP2_TARGET, sysroot, SW_RUST_WASIP2_TARGET);
        return;
    }
    sw_chk_set(c, SW_CHECK_ERROR, "the %s target is not installed: rustc's sysroot has no "
               "%s/lib/rustlib/%s (and there is no rustup)", SW_RUST_WASIP2_TARGET, sysroot,
               SW_RUST_WASIP2_TARGET);
    sw_chk_fix(c, "install the %s standard library for this rustc (a distribution package), or "
                  "install Rust with rustup and run 'rustup target add %s'",
               SW_RUST_WASIP2_TARGET, SW_RUST_WASIP2_TARGET);
}

/* An optional or simple tool that only reports its version. */
static void version_check(struct sw_check *c, const struct sw_probe *p, const char *name,
                          enum sw_check_status problem, const char *where)
{
    if (sw_chk_probe_failed(c, p, problem, NULL)) {
        sw_chk_fix(c, "check that '%s' runs", p->cmd);
        return;
    }
    sw_chk_found(c, "path", "%s", p->path);
    struct sw_semver v;
    struct sw_error err = {0};
    if (sw_toolver_parse(p->out, &v, &err) < 0) {
        sw_chk_set(c, SW_CHECK_WARN, "%s: %s", name, err.msg);
        sw_chk_fix(c, "check what '%s' prints", p->cmd);
        return;
    }
    char vs[SW_SEMVER_STR_MAX];
    sw_semver_str(&v, vs, sizeof(vs));
    sw_chk_found(c, "version", "%s", vs);
    sw_chk_set(c, SW_CHECK_OK, "%s %s (%s)", name, vs, where);
}

void sw_chk_cargo_component(const struct sw_doctor_facts *f, struct sw_check *c)
{
    if (!f->project.cargo) {
        sw_chk_not_lang(f, c, SW_NO_RUST);
        return;
    }
    if (f->cargo_component.state == SW_PROBE_ABSENT) {
        sw_chk_set(c, SW_CHECK_SKIP, "cargo-component is not installed (optional: 'cargo build "
                   "--target %s' builds components without it)", SW_RUST_WASIP2_TARGET);
        return;
    }
    version_check(c, &f->cargo_component, "cargo-component", SW_CHECK_WARN, "on PATH");
}

void sw_chk_node(const struct sw_doctor_facts *f, struct sw_check *c)
{
    if (!sw_project_is_ts(&f->project)) {
        sw_chk_not_lang(f, c, SW_NO_TS);
        return;
    }
    if (f->node.state == SW_PROBE_ABSENT) {
        sw_chk_set(c, SW_CHECK_ERROR, "node not found on PATH: jco and TypeScript builds run on "
                                      "Node.js");
        sw_chk_fix(c, "install Node.js: https://nodejs.org");
        return;
    }
    version_check(c, &f->node, "Node.js", SW_CHECK_ERROR, "on PATH");
}

void sw_chk_jco(const struct sw_doctor_facts *f, struct sw_check *c)
{
    const struct sw_project *p = &f->project;
    if (!sw_project_is_ts(p)) {
        sw_chk_not_lang(f, c, SW_NO_TS);
        return;
    }
    if (f->jco.state == SW_PROBE_ABSENT) {
        sw_chk_set(c, SW_CHECK_ERROR, "jco not found in node_modules/.bin or on PATH: it builds "
                                      "the component");
        if (p->pkg.jco) {
            sw_chk_fix(c, "run 'npm install' (package.json lists @bytecodealliance/jco)");
        } else {
            sw_chk_fix(c, "npm install --save-dev @bytecodealliance/jco");
            c->file = p->pkg.present ? "package.json" : NULL;
        }
        return;
    }
    version_check(c, &f->jco, "jco", SW_CHECK_ERROR,
                  f->jco_local ? "node_modules/.bin" : "on PATH");
}
