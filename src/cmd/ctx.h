/* The context every command runs in: configuration read once from the environment, output
 * sinks, and the shared HTTP client. No global mutable state: tests build their own. */
#ifndef SW_CTX_H
#define SW_CTX_H

#include <stdbool.h>
#include <stdio.h>

#include "core/attr.h"
#include "core/error.h"
#include "io/http.h"

struct sw_ctx {
    FILE *out;  /* results: stdout */
    FILE *errf; /* progress and diagnostics: stderr */
    bool tty;   /* errf is a terminal: progress bar */
    bool color;
    bool quiet;
    bool gha; /* GITHUB_ACTIONS=true: workflow commands on stdout */

    /* from the environment (pointers into environ, or literals) */
    const char *api_url;
    const char *server_url;
    const char *token; /* GITHUB_TOKEN or GH_TOKEN; never from argv */
    const char *cacert;
    const char *capath;
    const char *github_output;
    const char *github_path;
    const char *github_env; /* variables for later steps (TINYGOROOT) */
    const char *step_summary;
    const char *runner_tool_cache;
    const char *xdg_cache_home;
    const char *xdg_data_home;
    const char *appdata;         /* Windows: where wash keeps its data */
    const char *local_appdata;   /* Windows: where setup-wash caches without a tool cache */
    const char *docker_config;   /* DOCKER_CONFIG */
    const char *plain_http;      /* SETUP_WASH_PLAIN_HTTP_REGISTRIES */
    const char *trusted_root;    /* SETUP_WASH_TRUSTED_ROOT: a Sigstore trusted_root.json */
    const char *home;
    const char *path_env; /* PATH, to find helper programs */
    long stall_timeout_s;
    long retry_delay_ms;
    int retries;

    struct sw_http *http; /* created on first use by sw_ctx_http */
    char cache_root[4096];
};

/* Fills ctx from the process environment (getenv) and the standard streams. */
void sw_ctx_init(struct sw_ctx *ctx);
void sw_ctx_release(struct sw_ctx *ctx);

/* The shared HTTP client, created with ctx's settings on first use; the HTTP cache lives
 * under the cache root, so sw_ctx_set_cache_root comes first. NULL with err on failure. */
struct sw_http *sw_ctx_http(struct sw_ctx *ctx, struct sw_error *err);

/* Chooses the cache root: `flag` (--cache-dir), else RUNNER_TOOL_CACHE, else
 * $XDG_CACHE_HOME/setup-wash, else ~/.cache/setup-wash. */
int sw_ctx_set_cache_root(struct sw_ctx *ctx, const char *flag, struct sw_error *err);

/* The writers of text for people (README "Text from outside"): each sanitises what it prints
 * (sw_sanitize_dup, core/text.h), so text from the network, archives, files, programs or the
 * environment can go into their messages as it is. Nothing else in cmd/ prints to ctx->out
 * or ctx->errf, except sw_print_json (--json), doctor's report (sanitised per field) and the
 * download progress line (its asset name sanitised). */

/* The error that ends the command: "setup-wash: error: <msg>" on stderr, or a ::error::
 * annotation in Actions. */
void sw_ctx_print_error(struct sw_ctx *ctx, const struct sw_error *err);
/* One result line on stdout: the formatted text (no trailing newline in fmt) sanitised, then
 * a newline; a value cannot start a second line. */
void sw_result(struct sw_ctx *ctx, const char *fmt, ...) SW_PRINTF(2, 3);
/* A diagnostic line on stderr ("setup-wash: ..."), suppressed by --quiet. */
void sw_info(struct sw_ctx *ctx, const char *fmt, ...) SW_PRINTF(2, 3);
/* A warning: stderr, and a ::warning:: annotation in Actions. Never suppressed. */
void sw_warn(struct sw_ctx *ctx, const char *fmt, ...) SW_PRINTF(2, 3);
/* A notice: stderr, and a ::notice:: annotation in Actions. */
void sw_notice(struct sw_ctx *ctx, const char *fmt, ...) SW_PRINTF(2, 3);

#endif
