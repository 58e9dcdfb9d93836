#include "cmd/ctx.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/text.h"
#include "gha/gha.h"
#include "io/fs.h"
#include "os/os.h"

static const char *env(const char *name)
{
    const char *v = sw_os_getenv(name);
    return v && v[0] ? v : NULL;
}

/* A variable that holds a path or a list of paths, in setup-wash's form (on Windows '/'
 * separates; the copy lives until exit). */
static const char *penv(const char *name)
{
    const char *v = env(name);
    return SW_ON_WINDOWS && v ? sw_os_path_in(v) : v;
}

static long env_long(const char *name, long def, long min, long max)
{
    const char *v = env(name);
    if (!v)
        return def;
    char *end;
    long n = strtol(v, &end, 10);
    return (*end || n < min || n > max) ? def : n;
}

void sw_ctx_init(struct sw_ctx *ctx)
{
    memset(ctx, 0, sizeof(*ctx));
    ctx->out = stdout;
    ctx->errf = stderr;
    ctx->tty = sw_os_isatty(stderr);
    ctx->color = sw_os_color_ok(stderr) && !env("NO_COLOR");
    const char *gha = env("GITHUB_ACTIONS");
    ctx->gha = gha && strcmp(gha, "true") == 0;
    ctx->api_url = env("GITHUB_API_URL") ? env("GITHUB_API_URL") : "https://api.github.com";
    ctx->server_url = env("GITHUB_SERVER_URL") ? env("GITHUB_SERVER_URL") : "https://github.com";
    ctx->token = env("GITHUB_TOKEN") ? env("GITHUB_TOKEN") : env("GH_TOKEN");
    ctx->cacert = penv("SSL_CERT_FILE");
    if (!ctx->cacert)
        ctx->cacert = penv("CURL_CA_BUNDLE");
    ctx->capath = penv("SSL_CERT_DIR");
    ctx->github_output = penv("GITHUB_OUTPUT");
    ctx->github_path = penv("GITHUB_PATH");
    ctx->github_env = penv("GITHUB_ENV");
    ctx->step_summary = penv("GITHUB_STEP_SUMMARY");
    ctx->runner_tool_cache = penv("RUNNER_TOOL_CACHE");
    ctx->xdg_cache_home = penv("XDG_CACHE_HOME");
    ctx->xdg_data_home = penv("XDG_DATA_HOME");
    ctx->appdata = penv("APPDATA");
    ctx->docker_config = penv("DOCKER_CONFIG");
    ctx->plain_http = env("SETUP_WASH_PLAIN_HTTP_REGISTRIES");
    ctx->trusted_root = env("SETUP_WASH_TRUSTED_ROOT");
    /* Windows: HOME when Git Bash or MSYS2 set it, else USERPROFILE; LOCALAPPDATA holds the
     * cache there */
    ctx->home = penv("HOME");
    if (!ctx->home && SW_ON_WINDOWS)
        ctx->home = penv("USERPROFILE");
    ctx->local_appdata = SW_ON_WINDOWS ? penv("LOCALAPPDATA") : NULL;
    ctx->path_env = penv("PATH");
    ctx->stall_timeout_s = env_long("SETUP_WASH_STALL_TIMEOUT", 30, 1, 3600);
    ctx->retry_delay_ms = env_long("SETUP_WASH_RETRY_DELAY_MS", 1000, 1, 600000);
    ctx->retries = (int)env_long("SETUP_WASH_RETRIES", 4, 0, 20);
}

void sw_ctx_release(struct sw_ctx *ctx)
{
    sw_http_free(ctx->http);
    ctx->http = NULL;
}

static void http_notice(void *ud, const char *msg)
{
    sw_info(ud, "%s", msg);
}

struct sw_http *sw_ctx_http(struct sw_ctx *ctx, struct sw_error *err)
{
    if (ctx->http)
        return ctx->http;
    static char ua[64];
    snprintf(ua, sizeof(ua), "setup-wash/%s", SW_VERSION);
    char *cache = ctx->cache_root[0] ? sw_path_join(ctx->cache_root, ".setup-wash/http") : NULL;
    static char cache_dir[4200];
    snprintf(cache_dir, sizeof(cache_dir), "%s", cache ? cache : "");
    free(cache);
    struct sw_http_config cfg = {
        .api_url = ctx->api_url,
        .token = ctx->token,
        .cacert = ctx->cacert,
        .capath = ctx->capath,
        .user_agent = ua,
        .stall_timeout_s = ctx->stall_timeout_s,
        .max_retries = ctx->retries,
        .retry_base_ms = ctx->retry_delay_ms,
        .cache_dir = cache_dir[0] ? cache_dir : NULL,
        .plain_http = ctx->plain_http,
        .notice = http_notice,
        .ud = ctx,
    };
    ctx->http = sw_http_new(&cfg, err);
    return ctx->http;
}

int sw_ctx_set_cache_root(struct sw_ctx *ctx, const char *flag, struct sw_error *err)
{
    char *root = NULL;
    if (flag)
        root = sw_xstrdup(flag);
    else if (ctx->runner_tool_cache)
        root = sw_xstrdup(ctx->runner_tool_cache);
    else if (ctx->xdg_cache_home)
        root = sw_path_join(ctx->xdg_cache_home, "setup-wash");
    else if (ctx->local_appdata)
        root = sw_path_join(ctx->local_appdata, "setup-wash");
    else if (ctx->home)
        root = sw_path_join(ctx->home, ".cache/setup-wash");
    else
        return sw_error_set(err, SW_EXIT_USAGE,
                            "no cache directory: HOME is not set; pass --cache-dir DIR");
    /* absolute (on Windows with its drive, and '/'-separated), since installs are found again
     * from elsewhere; without "." and "..", since every path shown and written starts here */
    char *abs = sw_os_abspath(root);
    free(root);
    if (!abs)
        return sw_error_set(err, SW_EXIT_FS, "cannot resolve the cache directory: the "
                            "working directory is gone");
    root = sw_fs_normalize(abs);
    free(abs);
    if (strlen(root) >= sizeof(ctx->cache_root) - 256) {
        free(root);
        return sw_error_set(err, SW_EXIT_USAGE, "the cache directory path is too long");
    }
    snprintf(ctx->cache_root, sizeof(ctx->cache_root), "%s", root);
    free(root);
    return 0;
}

/* The one writer of diagnostics: every error, warning, notice and info line reaches stderr
 * here (or through sw_gha_annotate, which sanitises the same way), its text sanitised. */
static void say(struct sw_ctx *ctx, const char *level, const char *color, const char *title,
                const char *msg)
{
    if (ctx->gha && level) {
        sw_gha_annotate(ctx->errf, level, NULL, title, msg);
        return;
    }
    char *clean = sw_sanitize_dup(msg);
    if (ctx->color && color)
        fprintf(ctx->errf, "%s%s:\033[0m %s\n", color, level, clean);
    else if (level)
        fprintf(ctx->errf, "setup-wash: %s: %s\n", level, clean);
    else
        fprintf(ctx->errf, "setup-wash: %s\n", clean);
    fflush(ctx->errf);
    free(clean);
}

static void vsay(struct sw_ctx *ctx, const char *level, const char *color, const char *fmt,
                 va_list ap)
{
    char msg[4096];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    say(ctx, level, color, NULL, msg);
}

void sw_ctx_print_error(struct sw_ctx *ctx, const struct sw_error *err)
{
    say(ctx, "error", "\033[31m", "setup-wash", err->msg);
}

void sw_result(struct sw_ctx *ctx, const char *fmt, ...)
{
    struct sw_buf line = SW_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sw_buf_vprintf(&line, fmt, ap);
    va_end(ap);
    char *clean = sw_sanitize_dup(sw_buf_str(&line));
    fprintf(ctx->out, "%s\n", clean);
    free(clean);
    sw_buf_free(&line);
}

void sw_info(struct sw_ctx *ctx, const char *fmt, ...)
{
    if (ctx->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsay(ctx, NULL, NULL, fmt, ap);
    va_end(ap);
}

void sw_warn(struct sw_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay(ctx, "warning", "\033[33m", fmt, ap);
    va_end(ap);
}

void sw_notice(struct sw_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay(ctx, "notice", "\033[36m", fmt, ap);
    va_end(ap);
}
