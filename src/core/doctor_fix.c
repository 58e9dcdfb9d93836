/* What doctor --fix installs for a Go project's toolchain (core/doctor.h: sw_doctor_toolfix):
 * decided from the report and the lock's pins, so the choice is tested without a network. */
#include <stdio.h>
#include <string.h>

#include "core/doctor_int.h"

static const char *const tinygo_checks[] = {"tinygo-go", "tinygo-built-with", NULL};
static const char *const wasm_tools_checks[] = {"wasm-tools", NULL};

const char *const *sw_doctor_toolfix_checks(const char *tool)
{
    return strcmp(tool, "tinygo") == 0 ? tinygo_checks : wasm_tools_checks;
}

static bool any_error(const struct sw_report *r, const char *const *ids)
{
    for (size_t i = 0; i < r->n; i++)
        for (size_t k = 0; ids[k]; k++)
            if (strcmp(r->checks[i].id, ids[k]) == 0 && r->checks[i].status == SW_CHECK_ERROR)
                return true;
    return false;
}

static const struct sw_lock_tool *pin_of(const struct sw_doctor_facts *f, const char *name)
{
    for (size_t i = 0; i < f->npins; i++)
        if (strcmp(f->pins[i].pin->name, name) == 0)
            return f->pins[i].pin;
    return NULL;
}

void sw_doctor_toolfix(const struct sw_doctor_facts *f, const struct sw_report *r,
                       struct sw_toolfix *out)
{
    memset(out, 0, sizeof(*out));
    struct sw_gobuild g;
    sw_doctor_gobuild(f, &g);
    if (g.known && any_error(r, tinygo_checks)) {
        const struct sw_lock_tool *p = pin_of(f, "tinygo");
        struct sw_semver v;
        bool fits =
            p && sw_semver_parse(p->version, &v, NULL) == 0 && sw_compat_tinygo_accepts(&v, &g.v);
        snprintf(out->tinygo, sizeof(out->tinygo), "%s", fits ? p->version : "auto");
    }
    /* a WASMTOOLS that names no program is the user's to correct: TinyGo runs it first */
    if (any_error(r, wasm_tools_checks) && f->wasm_tools.state == SW_PROBE_ABSENT &&
        !f->wasm_tools_from_env) {
        const struct sw_lock_tool *p = pin_of(f, "wasm-tools");
        snprintf(out->wasm_tools, sizeof(out->wasm_tools), "%s", p ? p->version : "latest");
    }
}
