/* setup-wash doctor: observe the toolchain (io/probe.c), judge it (core/doctor*.c), report. */
#include <stdlib.h>
#include <string.h>

#include "cmd/commands.h"
#include "cmd/doctor_fix.h"
#include "cmd/plan.h"
#include "cmd/tools.h"
#include "core/buf.h"
#include "core/doctor.h"
#include "gha/gha.h"
#include "io/fs.h"
#include "io/host.h"
#include "io/plugin_dir.h"
#include "io/probe.h"
#include "os/os.h"

#define DEFAULT_TIMEOUT_S 10
#define MAX_TIMEOUT_S 3600

static const char *env(const char *name)
{
    const char *v = sw_os_getenv(name);
    return v && v[0] ? v : NULL;
}

/* SETUP_WASH_DOCTOR_TIMEOUT: seconds per program. A bad value is a usage error rather than
 * a silent default, since it is only ever set on purpose. */
static int timeout_s(long *out, struct sw_error *err)
{
    const char *v = env("SETUP_WASH_DOCTOR_TIMEOUT");
    *out = DEFAULT_TIMEOUT_S;
    if (!v)
        return 0;
    char *end;
    long n = strtol(v, &end, 10);
    if (*end || n < 1 || n > MAX_TIMEOUT_S)
        return sw_error_set(err, SW_EXIT_USAGE, "SETUP_WASH_DOCTOR_TIMEOUT='%.32s' is not a "
                            "number of seconds from 1 to %d", v, MAX_TIMEOUT_S);
    *out = n;
    return 0;
}

static void list_checks(struct sw_ctx *ctx, const bool *selected)
{
    for (size_t k = 0; k < sw_check_defs_len; k++)
        if (selected[k])
            sw_result(ctx, "%-18s %s", sw_check_defs[k].id, sw_check_defs[k].summary);
}

/* The path of a project file as an annotation wants it: relative to the workspace. */
static char *annotation_file(const char *dir, const char *file)
{
    if (!file)
        return NULL;
    if (strcmp(dir, ".") == 0 || strcmp(dir, "./") == 0)
        return sw_xstrdup(file);
    const char *ws = env("GITHUB_WORKSPACE");
    size_t n = ws ? strlen(ws) : 0;
    if (ws && strncmp(dir, ws, n) == 0 && (dir[n] == '/' || dir[n] == '\0')) {
        dir += n;
        while (*dir == '/')
            dir++;
        if (!*dir)
            return sw_xstrdup(file);
    }
    if (strncmp(dir, "./", 2) == 0)
        dir += 2;
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--;
    return sw_xasprintf("%.*s/%s", (int)len, dir, file);
}

static void annotate(struct sw_ctx *ctx, const struct sw_report *r, const char *dir)
{
    for (size_t i = 0; i < r->n; i++) {
        const struct sw_check *c = &r->checks[i];
        if (c->status != SW_CHECK_ERROR && c->status != SW_CHECK_WARN)
            continue;
        char *file = annotation_file(dir, c->file);
        char *title = sw_xasprintf("doctor: %s", c->id);
        char *msg = c->fix[0] ? sw_xasprintf("%s: %s", c->message, c->fix)
                              : sw_xstrdup(c->message);
        sw_gha_annotate(ctx->errf, c->status == SW_CHECK_ERROR ? "error" : "warning", file, title,
                        msg);
        free(file);
        free(title);
        free(msg);
    }
}

/* The ids of the checks with that status, for the closing message. */
static void ids_with(const struct sw_report *r, enum sw_check_status s, struct sw_buf *b)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->checks[i].status == s)
            sw_buf_printf(b, "%s%s", b->len ? ", " : "", r->checks[i].id);
}

/* The installed plugins against the project's lock, for the plugins check. */
static void probe_plugins(struct sw_doctor_facts *f, const char *data_dir)
{
    struct sw_lock *lock = NULL;
    const struct sw_project *p = &f->project;
    if (!data_dir || !p->plugins_lock_text ||
        sw_lock_parse(p->plugins_lock_text, p->plugins_lock_len, "plugins.lock", &lock, NULL) < 0)
        return;
    f->plugins_dir = data_dir;
    f->plugin_states = sw_xcalloc(lock->nplugins + 1, sizeof(*f->plugin_states));
    for (size_t i = 0; i < lock->nplugins; i++) {
        char have[80];
        f->plugin_states[i] = sw_plugin_state_of(data_dir, &lock->plugins[i], have, sizeof(have));
    }
    f->nplugin_states = lock->nplugins;
    sw_lock_free(lock);
}

/* Everything doctor observes besides the project's files, into f (its probes zeroed). */
static int observe(const struct sw_probe_config *cfg, const char *data_dir,
                   struct sw_doctor_facts *f, struct sw_error *err)
{
    probe_plugins(f, data_dir);
    return sw_probe_tools(cfg, f, err);
}

/* Clears what observe() filled in, keeping the project and the environment. */
static void forget(struct sw_doctor_facts *f)
{
    struct sw_doctor_facts keep = *f;
    free(f->plugin_states);
    memset(f, 0, sizeof(*f));
    f->project_dir = keep.project_dir;
    f->project = keep.project;
    f->cache_root = keep.cache_root;
    f->host_plugins_env = keep.host_plugins_env;
    f->gotoolchain = keep.gotoolchain;
    f->tinygo_gocompat = keep.tinygo_gocompat;
    f->lock_path = keep.lock_path;
    f->pins = keep.pins;
    f->npins = keep.npins;
    f->windows = keep.windows;
}

/* Each tool the lock pins with where install would put it, for the tools-lock check. */
static struct sw_pin_fact *pin_facts(const struct sw_ctx *ctx, const struct sw_plan *plan,
                                     size_t *n)
{
    const struct sw_lock *lock = plan->lock;
    struct sw_pin_fact *pins = sw_xcalloc(lock ? lock->ntools + 1 : 1, sizeof(*pins));
    *n = 0;
    for (size_t i = 0; lock && i < lock->ntools; i++) {
        const struct sw_tool *t = sw_tool_named(lock->tools[i].name);
        struct sw_pin_fact *p = &pins[(*n)++];
        p->pin = &lock->tools[i];
        if (!t || !ctx->cache_root[0])
            continue;
        char *dir = NULL, *bin = NULL;
        sw_tools_layout(ctx, plan, t, p->pin->version, &dir, &bin);
        char *marker = sw_xasprintf("%s.complete", dir), *shown = sw_os_path_out(bin);
        p->cached = sw_fs_is_file(marker);
        snprintf(p->bin, sizeof(p->bin), "%s", shown);
        free(marker);
        free(shown);
        free(dir);
        free(bin);
    }
    return pins;
}

/* doctor's plan: --lock FILE, else the project's plugins.lock when there is one, and the
 * network settings install takes (used by --fix only). */
static int doctor_plan(struct sw_ctx *ctx, const struct sw_args *args, const char *dir,
                       struct sw_plan *plan, struct sw_error *err)
{
    struct sw_args a = *args;
    char *mine = NULL;
    if (!sw_arg(args, "lock")) {
        mine = sw_path_join(dir, "plugins.lock");
        if (sw_fs_is_file(mine))
            sw_args_set(&a, "lock", mine);
    }
    int rc = sw_plan_init(ctx, &a, false, plan, err);
    if (rc == 0 && !sw_arg(&a, "lock")) { /* the default ./plugins.lock is not this project's */
        sw_lock_free(plan->lock);
        plan->lock = NULL;
    }
    free(mine);
    return rc;
}

static int cmd_doctor(struct sw_ctx *ctx, const struct sw_args *args, struct sw_error *err)
{
    char *data_dir = NULL;
    struct sw_doctor_facts *f = sw_xcalloc(1, sizeof(*f));
    struct sw_report rep = {0};
    bool *selected = sw_xcalloc(sw_check_defs_len, sizeof(*selected));
    struct sw_fix_done *done = sw_xcalloc(sw_check_defs_len, sizeof(*done));
    char *text = NULL, *fixed_path = NULL;
    struct sw_buf ids = SW_BUF_INIT;
    struct sw_plan plan = {0};
    struct sw_pin_fact *pins = NULL;
    int rc = -1;
    long timeout;

    if (sw_doctor_select((const char *const *)args->pos, (size_t)args->npos, selected, err) < 0)
        goto out;
    if (sw_flag(args, "list-checks")) {
        list_checks(ctx, selected);
        rc = 0;
        goto out;
    }
    if (timeout_s(&timeout, err) < 0)
        goto out;
    const char *dir = sw_arg(args, "project") ? sw_arg(args, "project") : ".";
    if (sw_probe_project(dir, &f->project, err) < 0)
        goto out;
    f->project_dir = dir;

    if (doctor_plan(ctx, args, dir, &plan, err) < 0)
        goto out;
    pins = pin_facts(ctx, &plan, &f->npins);
    f->pins = pins;
    f->lock_path = plan.lock ? plan.lock_path : NULL;
    f->windows = SW_ON_WINDOWS;

    /* the wash setup-wash installed, when none is on PATH: the cache install uses */
    struct sw_error soft = {0};
    struct sw_target host = {0};
    const char *arch = NULL;
    f->cache_root = ctx->cache_root;
    if (sw_host_target(&host, &soft) == 0)
        arch = sw_target_cache_arch(&host);
    f->host_plugins_env = env("WASH_HOST_PLUGINS");
    f->gotoolchain = env("GOTOOLCHAIN");
    f->tinygo_gocompat = env("TINYGO_GOCOMPATIBILITY");

    struct sw_probe_config cfg = {
        .project_dir = dir,
        .path_env = ctx->path_env,
        .wasmtools_env = env("WASMTOOLS"),
        .cache_root = f->cache_root,
        .cache_arch = arch,
        .timeout_s = timeout,
        .tools = sw_doctor_tools(&f->project, selected) | sw_doctor_pin_tools(plan.lock, selected),
    };
    data_dir = sw_wash_data_dir(host.os, ctx->xdg_data_home, ctx->home, ctx->appdata);
    if (SW_ON_WINDOWS && data_dir) { /* '/'-separated like the rest */
        char *p = sw_os_path_in(data_dir);
        free(data_dir);
        data_dir = p;
    }
    if (observe(&cfg, data_dir, f, err) < 0)
        goto out;
    sw_doctor_run(f, selected, &rep);

    if (sw_flag(args, "fix")) {
        size_t nfix = sw_doctor_fix_remedies(ctx, &rep, dir, timeout, done, err);
        if (nfix == (size_t)-1 ||
            sw_doctor_fix_tools(ctx, &plan, f, &rep, sw_flag(args, "json"), ctx->path_env, done,
                                &nfix, &fixed_path, err) < 0)
            goto out;
        if (nfix) { /* check again: the report shows what is, after the fixes, with what
                     * they installed first on PATH as the later steps will have it */
            if (fixed_path)
                cfg.path_env = fixed_path;
            sw_report_free(&rep);
            forget(f);
            if (observe(&cfg, data_dir, f, err) < 0)
                goto out;
            sw_doctor_run(f, selected, &rep);
            sw_doctor_mark_applied(&rep, done, nfix);
        }
    }

    text = sw_flag(args, "json") ? sw_report_json(&rep)
                                 : sw_report_text(&rep, ctx->color && sw_os_color_ok(ctx->out));
    fputs(text, ctx->out);
    fflush(ctx->out);
    if (ctx->gha)
        annotate(ctx, &rep, dir);
    if (ctx->github_output) {
        const char *st = rep.status == SW_CHECK_ERROR  ? "error"
                         : rep.status == SW_CHECK_WARN ? "warn"
                                                       : "ok";
        if (sw_gha_set_output(ctx->github_output, "doctor-status", st, &soft) < 0)
            sw_warn(ctx, "%s", soft.msg);
    }
    if (ctx->step_summary) {
        char *md = sw_report_markdown(&rep, dir);
        if (sw_gha_summary(ctx->step_summary, md, &soft) < 0)
            sw_warn(ctx, "%s", soft.msg);
        free(md);
    }

    bool strict = sw_flag(args, "strict");
    if (rep.status == SW_CHECK_ERROR) {
        ids_with(&rep, SW_CHECK_ERROR, &ids);
        sw_error_set(err, SW_EXIT_FAILURE, "doctor found errors: %s", sw_buf_str(&ids));
        goto out;
    }
    if (strict && rep.status == SW_CHECK_WARN) {
        ids_with(&rep, SW_CHECK_WARN, &ids);
        sw_error_set(err, SW_EXIT_FAILURE, "doctor found warnings and --strict is set: %s",
                     sw_buf_str(&ids));
        goto out;
    }
    rc = 0;
out:
    sw_buf_free(&ids);
    free(text);
    sw_report_free(&rep);
    sw_project_free(&f->project);
    free(f->plugin_states);
    free(data_dir);
    free(f);
    free(selected);
    free(done);
    free(fixed_path);
    free(pins);
    sw_plan_free(&plan);
    return rc;
}

static const struct sw_opt doctor_opts[] = {
    {"project", "DIR", "the component project to check (default: .)"},
    {"json", NULL, "print the report as one JSON object on stdout"},
    {"strict", NULL, "exit 1 on warnings too"},
    {"fix", NULL, "apply safe fixes (rustup target add, a TinyGo that builds), check again"},
    {"list-checks", NULL, "list the checks and what each one looks at, and exit"},
    {"lock", "FILE", "the lockfile to compare with (default: the project's plugins.lock)"},
    {"verify", "MODE", "--fix: auto (default), digest or provenance, as install takes it"},
    SW_PLAN_NET_OPTS,
    {"help", NULL, "show this help"},
    {NULL, NULL, NULL},
};

const struct sw_cmd sw_cmd_doctor = {
    .name = "doctor",
    .summary = "check wash and the project's toolchain (Go/TinyGo, Rust, TypeScript)",
    .usage = "[CHECK-ID...]",
    .opts = doctor_opts,
    .max_pos = 64,
    .run = cmd_doctor,
    .details =
        "Checks (see --list-checks): project, wash, wash-config, host-plugins, plugins, go,\n"
        "tinygo, tinygo-go, tinygo-built-with, wasm-tools, wit-bindgen-go, tools-lock, rust,\n"
        "rust-wasip2, cargo-component, node, jco. Name some to run only those. Each check\n"
        "is ok, warn, error or skip (a language the project does not use is skipped, not\n"
        "failed). With wash 2.2.0 or later, wash-config also runs 'wash config validate'\n"
        "in the project.\n"
        "\n"
        "The Go checked is what 'go env GOVERSION' answers in the project directory, so\n"
        "GOTOOLCHAIN and go.mod's toolchain line count. The wash checked is the one on PATH,\n"
        "else the newest one setup-wash installed in its cache. Each program runs with a\n"
        "timeout (SETUP_WASH_DOCTOR_TIMEOUT seconds, default 10); one that hangs is an error.\n"
        "Without --fix doctor makes no network request: rustup runs with\n"
        "RUSTUP_AUTO_INSTALL=0.\n"
        "\n"
        "tools-lock compares each tool the lock pins (--lock FILE, else the project's\n"
        "plugins.lock) with the one on PATH: its version, and for a copy setup-wash\n"
        "installed, its cache directory. A difference is a warning whose fix is\n"
        "'setup-wash install', or the PATH line of the pin when it is already cached.\n"
        "\n"
        "--fix runs, for each failing check that has one, the single command that fixes it,\n"
        "says what it ran, then checks again and reports what is left. Today that is\n"
        "'rustup target add wasm32-wasip2' for a Rust project whose rustup toolchain lacks\n"
        "the target (with RUSTUP_AUTO_INSTALL=0: it installs no toolchain rustup does not\n"
        "already have). In a Go project whose TinyGo cannot build with the Go in use\n"
        "(tinygo-go, tinygo-built-with), it installs the newest TinyGo that can: the\n"
        "lock's pin when its Go range holds that Go, else tinygo@auto; and wasm-tools (the\n"
        "lock's pin, else latest) when none is on PATH. Both go into the cache as\n"
        "'setup-wash install' puts them (--verify, --cache-dir and the network options as\n"
        "install takes them), first on PATH for later steps (GITHUB_PATH, TINYGOROOT in\n"
        "GITHUB_ENV), else with the PATH line to run printed. This is the only way doctor\n"
        "downloads anything. Other fixes stay in the report for you to apply.\n"
        "\n"
        "--json prints {\"status\": \"ok\"|\"warn\"|\"error\", \"checks\": [{\"id\", \"status\",\n"
        "\"message\", \"fix\", \"found\": {...}}]}, and \"fix-applied\": {\"command\",\n"
        "\"exit-code\", \"fixed\"} on a check --fix worked on, with \"installed\": {\"tool\",\n"
        "\"version\", \"bin\", \"downloaded\"} for a tool it installed. With GITHUB_ACTIONS=true\n"
        "each warning and error is also an annotation (on go.mod, Cargo.toml, plugins.lock... "
        "where that is\n"
        "the file to change), and GITHUB_STEP_SUMMARY gets a table.\n"
        "\n"
        "Exit 0 when no check is an error (warnings too, unless --strict), 1 when one is.\n",
};
