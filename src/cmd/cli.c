#include "cmd/cli.h"

#include <string.h>

static int opt_index(const struct sw_opt *opts, const char *name, size_t len)
{
    for (int i = 0; opts[i].name; i++)
        if (strlen(opts[i].name) == len && strncmp(opts[i].name, name, len) == 0)
            return i;
    return -1;
}

int sw_cli_parse(const struct sw_cmd *cmd, int argc, char **argv, struct sw_args *out,
                 struct sw_error *err)
{
    memset(out, 0, sizeof(*out));
    out->opts = cmd->opts;
    out->pos = argv;
    bool options_done = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!options_done && strcmp(a, "--") == 0) {
            options_done = true;
            continue;
        }
        if (options_done || a[0] != '-' || a[1] == '\0') {
            if (out->npos >= cmd->max_pos)
                return sw_error_set(err, SW_EXIT_USAGE,
                                    "unexpected argument '%s' for '%s': see 'setup-wash help %s'",
                                    a, cmd->name, cmd->name);
            out->pos[out->npos++] = argv[i];
            continue;
        }
        if (strcmp(a, "-h") == 0)
            a = "--help";
        if (strncmp(a, "--", 2) != 0)
            return sw_error_set(err, SW_EXIT_USAGE,
                                "unknown option '%s' for '%s': options are long (--name); see "
                                "'setup-wash help %s'",
                                a, cmd->name, cmd->name);
        const char *name = a + 2;
        const char *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        int k = opt_index(cmd->opts, name, len);
        if (k < 0)
            return sw_error_set(err, SW_EXIT_USAGE,
                                "unknown option '--%.*s' for '%s': see 'setup-wash help %s'",
                                (int)len, name, cmd->name, cmd->name);
        if (!cmd->opts[k].arg) {
            if (eq)
                return sw_error_set(err, SW_EXIT_USAGE, "option '--%s' takes no value",
                                    cmd->opts[k].name);
            out->set[k] = true;
            continue;
        }
        const char *val = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
        if (!val)
            return sw_error_set(err, SW_EXIT_USAGE, "option '--%s' needs a value (%s)",
                                cmd->opts[k].name, cmd->opts[k].arg);
        out->set[k] = true;
        out->vals[k] = val;
    }
    return 0;
}

const char *sw_arg(const struct sw_args *a, const char *name)
{
    int k = opt_index(a->opts, name, strlen(name));
    return k >= 0 && a->set[k] ? a->vals[k] : NULL;
}

void sw_args_set(struct sw_args *a, const char *name, const char *value)
{
    int k = opt_index(a->opts, name, strlen(name));
    if (k >= 0) {
        a->vals[k] = value;
        a->set[k] = true;
    }
}

bool sw_flag(const struct sw_args *a, const char *name)
{
    int k = opt_index(a->opts, name, strlen(name));
    return k >= 0 && a->set[k];
}

const struct sw_cmd *sw_cmd_find(const char *name)
{
    for (size_t i = 0; i < sw_commands_len; i++)
        if (strcmp(sw_commands[i]->name, name) == 0)
            return sw_commands[i];
    return NULL;
}

static const char exit_codes[] =
    "Exit codes:\n"
    "  0  success\n"
    "  1  failure (doctor found errors, lock or install refused versions that do not work\n"
    "     together, or an unexpected failure)\n"
    "  2  usage error: bad option, version spec, target or lockfile\n"
    "  3  not found: no such version (tinygo@auto: none builds with the Go in use), or no\n"
    "     wash build for the target\n"
    "  4  network: connection, TLS, HTTP error or rate limit\n"
    "  5  verification: a digest or a provenance bundle did not verify, or could not be checked\n"
    "  6  filesystem: the cache or an install directory could not be written\n";

void sw_cli_usage(struct sw_buf *out, const struct sw_cmd *cmd)
{
    sw_buf_adds(out, cmd->usage);
    for (int i = 0; cmd->opts && cmd->opts[i].name; i++) {
        if (strcmp(cmd->opts[i].name, "help") == 0)
            continue;
        sw_buf_printf(out, "%s[--%s%s%s]", out->len ? " " : "", cmd->opts[i].name,
                      cmd->opts[i].arg ? " " : "", cmd->opts[i].arg ? cmd->opts[i].arg : "");
    }
}

/* The usage line, wrapped before a word that would pass column 80, continued under the
 * first word after the command. */
static void print_usage(FILE *f, const struct sw_cmd *cmd)
{
    struct sw_buf u = SW_BUF_INIT;
    sw_cli_usage(&u, cmd);
    int indent = fprintf(f, "Usage: setup-wash %s", cmd->name) + 1, col = indent - 1;
    const char *s = sw_buf_str(&u);
    while (*s) {
        /* a word: up to the next space outside brackets, so "[--version SPEC]" stays whole */
        size_t n = 0;
        for (int depth = 0; s[n] && (depth > 0 || s[n] != ' '); n++)
            depth += s[n] == '[' ? 1 : s[n] == ']' ? -1 : 0;
        if (col > indent && col + 1 + (int)n > 80)
            col = fprintf(f, "\n%*s", indent - 1, "") - 1;
        col += fprintf(f, " %.*s", (int)n, s);
        s += n;
        while (*s == ' ')
            s++;
    }
    fputc('\n', f);
    sw_buf_free(&u);
}

void sw_cli_help_cmd(FILE *f, const struct sw_cmd *cmd)
{
    fprintf(f, "setup-wash %s: %s\n\n", cmd->name, cmd->summary);
    print_usage(f, cmd);
    if (cmd->opts && cmd->opts[0].name) {
        fputs("\nOptions:\n", f);
        for (int i = 0; cmd->opts[i].name; i++) {
            char left[64];
            snprintf(left, sizeof(left), "--%s%s%s", cmd->opts[i].name,
                     cmd->opts[i].arg ? " " : "", cmd->opts[i].arg ? cmd->opts[i].arg : "");
            if (strlen(left) > 26) /* too long for the column: its help on the next line */
                fprintf(f, "  %s\n  %-26s %s\n", left, "", cmd->opts[i].help);
            else
                fprintf(f, "  %-26s %s\n", left, cmd->opts[i].help);
        }
    }
    if (cmd->details)
        fprintf(f, "\n%s", cmd->details);
    fprintf(f, "\n%s", exit_codes);
}

void sw_cli_help_main(FILE *f)
{
    fputs("setup-wash: install a verified wash, and get a WebAssembly component project ready "
          "to build\n\nUsage: setup-wash <command> [options]\n       setup-wash help <command>\n"
          "       setup-wash --version\n\nCommands:\n",
          f);
    for (size_t i = 0; i < sw_commands_len; i++)
        fprintf(f, "  %-10s %s\n", sw_commands[i]->name, sw_commands[i]->summary);
    fputs("\nEnvironment:\n"
          "  GITHUB_TOKEN, GH_TOKEN   token for the GitHub API (sent to the API host only,\n"
          "                           and only over https)\n"
          "  GITHUB_API_URL           API base URL (default https://api.github.com)\n"
          "  GITHUB_SERVER_URL        server for release downloads (default https://github.com)\n"
          "  SSL_CERT_FILE, CURL_CA_BUNDLE, SSL_CERT_DIR   CA certificates to trust\n"
          "  HTTPS_PROXY, https_proxy, NO_PROXY            proxies (as curl reads them)\n"
          "  RUNNER_TOOL_CACHE, XDG_CACHE_HOME             where the cache lives\n"
          "  GITHUB_OUTPUT, GITHUB_PATH, GITHUB_ACTIONS    runner integration\n"
          "  SETUP_WASH_PLAIN_HTTP_REGISTRIES   host[:port],... allowed plain HTTP (with\n"
          "                           secrets, warned); loopback always is\n"
          "  SETUP_WASH_RETRIES       retries of a failed request (default 4)\n"
          "  SETUP_WASH_RETRY_DELAY_MS   first backoff between retries (default 1000)\n"
          "  SETUP_WASH_STALL_TIMEOUT    seconds under 1 KiB/s that make a stall (default 30)\n"
          "  SETUP_WASH_TRUSTED_ROOT  Sigstore trusted_root.json (--trusted-root overrides it)\n"
          "  SETUP_WASH_DOCTOR_TIMEOUT   seconds each program doctor runs may take (default 10)\n"
          "  NO_COLOR                 no colour even on a terminal\n\n",
          f);
    fputs(exit_codes, f);
}
