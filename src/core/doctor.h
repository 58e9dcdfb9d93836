/* Doctor's rules: from what was observed (tool answers, project files, environment) to a list
 * of checks, each with a stable id, a status, a message, a fix and what was found.
 *
 * Pure logic: io/probe.c runs the programs and reads the files into a `struct sw_doctor_facts`;
 * these functions only decide, so every rule is unit-tested from literal tool output. The
 * version tables are in data/toolchains.c. */
#ifndef SW_DOCTOR_H
#define SW_DOCTOR_H

#include <stdbool.h>
#include <stddef.h>

#include "core/compat.h"
#include "core/error.h"
#include "core/lock.h"
#include "core/plugins.h"
#include "core/project.h"

/* ---- what was observed ---- */

enum sw_probe_state {
    SW_PROBE_NOT_RUN = 0, /* not needed for the selected checks (or the language is absent) */
    SW_PROBE_ABSENT,      /* the program is not on PATH */
    SW_PROBE_OK,          /* it ran and exited 0 */
    SW_PROBE_FAILED,      /* it ran and exited non-zero or was killed by a signal */
    SW_PROBE_TIMEOUT,     /* it did not finish within timeout_s and was killed */
    SW_PROBE_ERROR,       /* it could not be started (detail says why) */
};

/* One program run. Text fields are cut to fit and NUL-terminated. */
struct sw_probe {
    enum sw_probe_state state;
    char cmd[96];     /* what ran, for messages: "go env GOVERSION" */
    char path[1024];  /* the executable */
    char out[2048];   /* stdout */
    char detail[512]; /* stderr (FAILED), or why it could not start (ERROR) */
    int status;       /* exit code, or the signal number when killed by one */
    long timeout_s;
};

enum sw_wash_source { SW_WASH_NONE, SW_WASH_PATH, SW_WASH_CACHE };

/* The programs doctor may run, as bits for sw_doctor_tools(). */
enum sw_doctor_prog {
    SW_T_WASH = 1u << 0,       /* wash --version */
    SW_T_GO = 1u << 1,         /* go env GOVERSION (in the project), and with GOTOOLCHAIN=local */
    SW_T_TINYGO = 1u << 2,     /* tinygo version */
    SW_T_WASM_TOOLS = 1u << 3, /* wasm-tools --version ($WASMTOOLS first) */
    SW_T_WIT_BINDGEN_GO = 1u << 4,   /* wit-bindgen-go --version */
    SW_T_RUSTC = 1u << 5,            /* rustc -vV */
    SW_T_RUST_TARGETS = 1u << 6,     /* rustup target list --installed, or the sysroot */
    SW_T_CARGO_COMPONENT = 1u << 7,  /* cargo-component --version */
    SW_T_NODE = 1u << 8,             /* node --version */
    SW_T_JCO = 1u << 9,              /* jco --version (node_modules/.bin first) */
    SW_T_WASH_VALIDATE = 1u << 10,   /* wash config validate (in the project), after wash */
    SW_T_WKG = 1u << 11,             /* wkg --version */
    SW_T_COMPONENTIZE_GO = 1u << 12, /* componentize-go --version */
};

/* A tool the lock pins, beside what setup-wash's install of that pin would be (tools-lock). */
struct sw_pin_fact {
    const struct sw_lock_tool *pin; /* the lock's entry (belongs to the caller's lock) */
    char bin[1024]; /* the directory install puts on PATH for the pin, '/'-separated; "" when
                     * the cache is unknown */
    bool cached;    /* that install is complete in the cache */
};

struct sw_doctor_facts {
    const char *project_dir; /* as given (--project), for messages */
    struct sw_project project;

    enum sw_wash_source wash_source;
    const char *cache_root; /* where the cache was searched, NULL when it could not be */
    struct sw_probe wash;
    bool wash_installed;           /* wash is one setup-wash installed (a release build) */
    struct sw_probe wash_validate; /* wash config validate; NOT_RUN unless sw_doctor_validates */
    struct sw_probe go;       /* go env GOVERSION in the project directory */
    struct sw_probe go_local; /* the same with GOTOOLCHAIN=local outside the project */
    struct sw_probe tinygo;
    struct sw_probe wasm_tools;
    bool wasm_tools_from_env; /* the path came from $WASMTOOLS */
    struct sw_probe wit_bindgen_go;
    struct sw_probe rustc;
    struct sw_probe rustup;  /* rustup target list --installed; NOT_RUN/ABSENT without rustup */
    struct sw_probe sysroot; /* rustc --print sysroot, when there is no rustup */
    bool sysroot_has_wasip2; /* <sysroot>/lib/rustlib/wasm32-wasip2 is a directory */
    struct sw_probe cargo_component;
    struct sw_probe node;
    struct sw_probe jco;
    bool jco_local; /* jco came from node_modules/.bin */

    /* the installed plugins against plugins.lock, in the lock's order (sorted by name); set
     * only when the lock lists plugins and wash's data directory is known */
    const char *plugins_dir;              /* wash's data directory, for messages */
    enum sw_plugin_state *plugin_states;  /* owned; NULL when not looked at */
    size_t nplugin_states;

    const char *host_plugins_env;     /* $WASH_HOST_PLUGINS, NULL when unset or empty */
    const char *gotoolchain;          /* $GOTOOLCHAIN, NULL when unset */
    const char *tinygo_gocompat;      /* $TINYGO_GOCOMPATIBILITY, NULL when unset */

    /* the toolchain the lock pins (--lock, else the project's plugins.lock), in the lock's
     * order; NULL / 0 when there is no lock or it pins no tool */
    const char *lock_path;
    const struct sw_pin_fact *pins;
    size_t npins;
    struct sw_probe wkg;
    struct sw_probe componentize_go;
    bool windows; /* fixes give PowerShell lines */
};

/* ---- the verdicts ---- */

enum sw_check_status { SW_CHECK_OK, SW_CHECK_WARN, SW_CHECK_ERROR, SW_CHECK_SKIP };

#define SW_CHECK_FOUND_MAX 8

struct sw_found {
    char key[32];
    char val[4096]; /* as found, not escaped (--json keeps a string's value); cut only past this */
};

/* A fix `doctor --fix` may apply by itself: one command, run in the project directory. */
struct sw_remedy {
    const char *const *argv; /* static, NULL-terminated; argv[0] is looked up on PATH */
    const char *const *env;  /* static extra environment, NULL-terminated, or NULL */
};

/* A tool doctor --fix installed for a check, through setup-wash's install (cmd/doctor_fix.c). */
struct sw_fix_install {
    char tool[32]; /* "tinygo", "wasm-tools"; "" when none was */
    char version[SW_SEMVER_STR_MAX];
    char bin[1024];  /* the directory put first on PATH, as the OS writes it */
    bool downloaded; /* false: the cache had it already */
};

struct sw_check {
    const char *id; /* static */
    enum sw_check_status status;
    char message[768]; /* what is (or is wrong), lowercase where it starts with a word */
    char fix[512];     /* how to fix it; "" for ok and skip */
    const char *file;  /* the project file the fix is in ("go.mod"), or NULL; static */
    struct sw_found found[SW_CHECK_FOUND_MAX];
    size_t nfound;
    const struct sw_remedy *remedy; /* static; NULL when the fix is for the user to apply */
    /* what `doctor --fix` did for this check (cmd/doctor.c fills these in) */
    char applied[128]; /* the command it ran, "" when it ran none */
    int applied_exit;  /* that command's exit code; -1 when it did not exit by itself */
    bool fixed;        /* the check passed when run again */
    struct sw_fix_install installed;
};

/* The checks doctor knows, in the order they run and print. */
struct sw_check_def {
    const char *id;
    const char *summary; /* one line for --list-checks */
    unsigned tools;      /* SW_T_* bits it reads */
    void (*run)(const struct sw_doctor_facts *f, struct sw_check *c);
};

extern const struct sw_check_def sw_check_defs[];
extern const size_t sw_check_defs_len;

/* Marks in selected[sw_check_defs_len] the checks named by ids (all when n is 0). An
 * unknown id fails with SW_EXIT_USAGE listing the known ones. */
int sw_doctor_select(const char *const *ids, size_t n, bool *selected, struct sw_error *err);

/* The programs to run for the selected checks of a project: tools of languages the project
 * does not use are left out, as their checks are skipped. */
unsigned sw_doctor_tools(const struct sw_project *p, const bool *selected);

/* The programs the tools-lock check runs for the tools `lock` pins (0 when it is not
 * selected or lock is NULL): every pinned tool found on PATH is compared with its pin, whatever
 * languages the project uses. */
unsigned sw_doctor_pin_tools(const struct sw_lock *lock, const bool *selected);

struct sw_report {
    struct sw_check *checks; /* owned; in sw_check_defs order */
    size_t n;
    enum sw_check_status status; /* SW_CHECK_OK, _WARN or _ERROR: the worst of the checks */
};

/* Whether `wash config validate` should run: the wash probe read a version that has it and
 * the project has a wash config. io/probe.c asks after running `wash --version`. */
bool sw_doctor_validates(const struct sw_doctor_facts *f);

/* Runs the selected checks. The caller frees the report with sw_report_free (NULL-safe). */
void sw_doctor_run(const struct sw_doctor_facts *f, const bool *selected, struct sw_report *out);
void sw_report_free(struct sw_report *r);

const char *sw_check_status_name(enum sw_check_status s); /* "ok", "warn", "error", "skip" */

/* The Go that will build, as doctor's checks see it: go's answer in the project (core/compat.h),
 * GOTOOLCHAIN and go.mod applied; not known without a go that answers. */
void sw_doctor_gobuild(const struct sw_doctor_facts *f, struct sw_gobuild *g);

/* What doctor --fix installs for a Go project's toolchain (core/doctor_fix.c): a TinyGo that
 * builds with the Go in use when tinygo-go or tinygo-built-with is an error (the lock's pin when
 * its Go range holds that Go, else auto), and wasm-tools when the wasm-tools check is an error
 * because none is on PATH (the lock's pin, else latest). A spec is "" when nothing is to be
 * installed for it. */
struct sw_toolfix {
    char tinygo[SW_SEMVER_STR_MAX];     /* "0.41.1", "auto" */
    char wasm_tools[SW_SEMVER_STR_MAX]; /* "1.244.0", "latest" */
};
void sw_doctor_toolfix(const struct sw_doctor_facts *f, const struct sw_report *r,
                       struct sw_toolfix *out);

/* The checks an install of `tool` by doctor --fix answers, NULL-terminated (static): tinygo's
 * are tinygo-go and tinygo-built-with, wasm-tools' is wasm-tools. */
const char *const *sw_doctor_toolfix_checks(const char *tool);

/* ---- rendering (core/doctor_report.c); every result is malloc'd, the caller frees ---- */

/* One aligned line per check (mark, id, message), then the fixes, then a count. `color`
 * adds ANSI colours to the marks. */
char *sw_report_text(const struct sw_report *r, bool color);

/* {"status": ..., "checks": [{"id","status","message","fix","found":{...}}]}, one line; a
 * check doctor --fix worked on also has "fix-applied": {"command","exit-code","fixed"}, and
 * for a tool it installed "installed": {"tool","version","bin","downloaded"} in it. */
char *sw_report_json(const struct sw_report *r);

/* A Markdown section with a table for $GITHUB_STEP_SUMMARY. */
char *sw_report_markdown(const struct sw_report *r, const char *project_dir);

#endif
