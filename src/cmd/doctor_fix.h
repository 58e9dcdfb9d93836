/* doctor --fix: what it applies, and how the report of the second run says so.
 *
 *   remedies   the single command a failing check names (rustup target add wasm32-wasip2),
 *              run in the project directory
 *   toolchain  a TinyGo that builds with the Go in use and a missing wasm-tools, installed into
 *              the cache through install's own flow (cmd/tools.h: sw_tools_install_done) and
 *              put first on PATH for later steps (GITHUB_PATH, TINYGOROOT in GITHUB_ENV), or
 *              the PATH line printed to run; the one way doctor downloads anything
 *
 * Ownership: a struct sw_fix_done owns nothing but its fixed-size fields. */
#ifndef SW_CMD_DOCTOR_FIX_H
#define SW_CMD_DOCTOR_FIX_H

#include <stdbool.h>
#include <stddef.h>

#include "cmd/ctx.h"
#include "cmd/plan.h"
#include "core/doctor.h"

/* What doctor --fix did for one check. */
struct sw_fix_done {
    const char *id; /* the check's (static) */
    char cmd[128];  /* what ran, or the install it made: "setup-wash install tinygo@auto" */
    int exit;       /* its exit code (for an install, 0 or the error's exit class); -1: it did
                     * not exit by itself */
    struct sw_fix_install installed; /* a tool it installed; tool "" for none */
};

/* Runs the remedy of every check that is a warning or an error and has one, each in `dir`,
 * into done[] (room for one per check); returns how many ran, or (size_t)-1 with err when a
 * process could not be started at all. A remedy that fails is said as a warning. */
size_t sw_doctor_fix_remedies(struct sw_ctx *ctx, const struct sw_report *r, const char *dir,
                              long timeout, struct sw_fix_done *done, struct sw_error *err);

/* Installs what sw_doctor_toolfix asks for (nothing: returns 0 and adds nothing) with the plan
 * (the lock, --verify, --cache-dir and the network options; its Go becomes doctor's), printing
 * install's lines (the PATH line outside Actions) unless `json`. Each check it answered gets a
 * row of done[] from *n on; a failed install is said as a warning and recorded with its exit
 * class. *path (malloc'd, the caller frees it; NULL when nothing was installed) gets the PATH
 * to look again with: the installed bins first, then path_env. Returns -1 only for an error
 * that is not the install's. */
int sw_doctor_fix_tools(struct sw_ctx *ctx, struct sw_plan *plan, const struct sw_doctor_facts *f,
                        const struct sw_report *r, bool json, const char *path_env,
                        struct sw_fix_done *done, size_t *n, char **path, struct sw_error *err);

/* Marks on the report of the second run what was applied and whether the check now passes. */
void sw_doctor_mark_applied(struct sw_report *r, const struct sw_fix_done *done, size_t n);

#endif
