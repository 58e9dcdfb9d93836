/* libFuzzer harness for the toolchain version parsers (src/core/toolver.c), the project file
 * readers (src/core/project.c) and doctor's rules fed with the same bytes as every program's
 * answer: whatever a tool prints, doctor must judge it without crashing.
 *
 * go.mod and go.sum are read from the bytes too, and the Go that will build is selected from
 * them (core/compat.c) as lock and install do, with and without a go on PATH.
 *
 *   scripts/fuzz toolver       (or: scripts/fuzz --seconds 60 toolver)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/compat.h"
#include "core/doctor.h"
#include "core/project.h"
#include "core/toolver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_str(const char *s, size_t cap)
{
    if (strnlen(s, cap) >= cap)
        abort();
}

static void check_semver(const struct sw_semver *v)
{
    char buf[SW_SEMVER_STR_MAX];
    struct sw_semver back;
    sw_semver_str(v, buf, sizeof(buf));
    if (sw_semver_parse(buf, &back, NULL) != 0 || sw_semver_cmp(v, &back) != 0)
        abort();
}

static void probe(struct sw_probe *p, const char *out)
{
    memset(p, 0, sizeof(*p));
    p->state = SW_PROBE_OK;
    strncpy(p->out, out, sizeof(p->out) - 1);
    strncpy(p->path, "/bin/x", sizeof(p->path) - 1);
    strncpy(p->cmd, "x --version", sizeof(p->cmd) - 1);
    p->timeout_s = 10;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    struct sw_error err = {0};

    struct sw_gover g;
    if (sw_gover_parse(s, &g, &err) == 0) {
        check_str(g.text, sizeof(g.text));
        if (strncmp(g.text, "go", 2) != 0)
            abort();
    } else {
        check_str(err.msg, sizeof(err.msg));
    }
    struct sw_tinygo_ver t;
    if (sw_tinygo_parse(s, &t, &err) == 0) {
        check_semver(&t.v);
        if (t.has_go)
            check_str(t.go.text, sizeof(t.go.text));
    }
    struct sw_rustc_ver r;
    if (sw_rustc_parse(s, &r, &err) == 0) {
        check_semver(&r.v);
        check_str(r.channel, sizeof(r.channel));
    }
    struct sw_semver v;
    if (sw_toolver_parse(s, &v, &err) == 0)
        check_semver(&v);
    char raw[64];
    sw_toolver_raw(raw, sizeof(raw), s);
    check_str(raw, sizeof(raw));
    for (const char *p = raw; *p; p++)
        if ((unsigned char)*p < 0x20)
            abort();

    /* the project files, from the same bytes */
    struct sw_doctor_facts *f = calloc(1, sizeof(*f));
    if (!f) {
        free(s);
        return 0;
    }
    f->project_dir = "fuzz";
    f->project.gomod.present = true;
    f->project.cargo = true;
    f->project.tsconfig = true;
    sw_gomod_parse(s, size, &f->project.gomod);
    sw_gosum_parse(s, size, &f->project.gomod);
    check_str(f->project.gomod.wbg_sum, sizeof(f->project.gomod.wbg_sum));
    char where[256];
    const char *wbg = sw_gomod_wbg(&f->project.gomod, where, sizeof(where));
    check_str(where, sizeof(where));
    if (wbg && !where[0])
        abort();
    for (int absent = 0; absent < 2; absent++) {
        struct sw_gobuild_in in = {absent ? NULL : s, absent ? NULL : s, absent != 0,
                                   size % 2 ? s : NULL, &f->project.gomod};
        struct sw_gobuild gb;
        sw_gobuild_select(&in, &gb);
        check_str(gb.who, sizeof(gb.who));
        if (!gb.who[0])
            abort();
        struct sw_semver tv;
        if (gb.known && sw_toolver_parse(s, &tv, NULL) == 0) {
            struct sw_compat_verdict cv;
            sw_compat_tinygo_go(&tv, &gb, &f->project.gomod, NULL, SW_COMPAT_FOR_LOCK, &cv);
            check_str(cv.message, sizeof(cv.message));
            if (cv.status == SW_COMPAT_ERROR && !cv.fix[0])
                abort();
        }
    }
    strcpy(f->project.washcfg.file, ".wash/config.yaml");
    sw_washcfg_parse_yaml(s, size, &f->project.washcfg);
    struct sw_washcfg jc = {0};
    strcpy(jc.file, ".wash/config.json");
    sw_washcfg_parse_json(s, size, &jc);
    sw_pkgjson_parse(s, size, &f->project.pkg);
    f->project.plugins_lock = true;
    f->project.plugins_lock_text = s;
    f->project.plugins_lock_len = size;

    /* every program answers with the input */
    f->wash_source = SW_WASH_PATH;
    struct sw_probe *all[] = {&f->wash,   &f->go,        &f->go_local,        &f->tinygo,
                              &f->wasm_tools, &f->wit_bindgen_go, &f->rustc, &f->rustup,
                              &f->cargo_component, &f->node, &f->jco, &f->wash_validate};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        probe(all[i], s);
    f->gotoolchain = size % 2 ? s : NULL;
    f->tinygo_gocompat = size % 3 ? NULL : "false";
    f->host_plugins_env = size % 5 ? s : NULL;
    f->wash_installed = size % 7 == 0;
    /* the host plugin lists, from the JSON reading too */
    f->project.washcfg.host_plugins += jc.host_plugins;
    f->project.washcfg.host_plugins_pinned += jc.host_plugins_pinned;

    bool sel[64];
    sw_doctor_select(NULL, 0, sel, NULL);
    struct sw_report rep;
    sw_doctor_run(f, sel, &rep);
    if (rep.n != sw_check_defs_len)
        abort();
    for (size_t i = 0; i < rep.n; i++) {
        const struct sw_check *c = &rep.checks[i];
        check_str(c->message, sizeof(c->message));
        check_str(c->fix, sizeof(c->fix));
        if (!c->message[0])
            abort();
        if ((c->status == SW_CHECK_WARN || c->status == SW_CHECK_ERROR) && !c->fix[0])
            abort();
    }
    char *a = sw_report_text(&rep, true), *b = sw_report_json(&rep),
         *m = sw_report_markdown(&rep, "fuzz");
    free(a);
    free(b);
    free(m);
    sw_report_free(&rep);
    free(f);
    free(s);
    return 0;
}
