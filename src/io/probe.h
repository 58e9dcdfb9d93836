/* Doctor's observations: the project's files and the answers of the toolchain programs, read
 * into the `struct sw_doctor_facts` that core/doctor.c judges. Nothing here decides. */
#ifndef SW_PROBE_H
#define SW_PROBE_H

#include "core/compat.h"
#include "core/doctor.h"
#include "core/error.h"
#include "core/project.h"

/* Reads what doctor needs from the project directory into p (zeroed first): Cargo.toml,
 * rust-toolchain(.toml), go.mod, package.json, tsconfig.json, node_modules/.bin/jco,
 * .wash/config.{yaml,yml,json}, plugins.lock. Missing files are facts, not errors. Fails
 * (SW_EXIT_USAGE) only when dir is not a directory. The caller frees p with
 * sw_project_free(), also after a failure. */
int sw_probe_project(const char *dir, struct sw_project *p, struct sw_error *err);

/* The newest complete wash in a setup-wash cache: <root>/wash/<version>/<arch>/wash with its
 * <arch>.complete marker (the layout install writes). A malloc'd path, or NULL. */
char *sw_probe_cached_wash(const char *root, const char *arch);

struct sw_probe_config {
    const char *project_dir;
    const char *path_env;      /* $PATH */
    const char *wasmtools_env; /* $WASMTOOLS, or NULL */
    const char *cache_root;    /* the setup-wash cache, or NULL */
    const char *cache_arch;    /* x64, arm64, s390x, or NULL */
    long timeout_s;            /* per program */
    unsigned tools;            /* SW_T_* bits from sw_doctor_tools */
};

/* Finds and runs the programs named by cfg->tools, all at once, each with the timeout, and
 * fills the probes of f (which the caller zeroed and gave its project). A program that is
 * absent, fails, hangs or cannot start is recorded in its probe; -1 (SW_EXIT_FAILURE) only
 * when the system refuses to start processes. */
int sw_probe_tools(const struct sw_probe_config *cfg, struct sw_doctor_facts *f,
                   struct sw_error *err);

/* The Go that will build in cfg->project_dir (core/compat.h): reads go.mod and go.sum into
 * *mod (zeroed, present false without go.mod), runs `go env GOVERSION` there and with
 * GOTOOLCHAIN=local outside it, each with cfg->timeout_s (cfg->tools is ignored). A go that
 * fails or hangs leaves out->known false with out->who saying so. -1 only as sw_probe_project
 * (no such directory) and sw_probe_tools fail. */
int sw_probe_gobuild(const struct sw_probe_config *cfg, const char *gotoolchain,
                     struct sw_gomod *mod, struct sw_gobuild *out, struct sw_error *err);

#endif
