/* setup-wash: builds the context and dispatches from the command table. Parses nothing else. */
#include <stdio.h>
#include <string.h>

#include "cmd/cli.h"
#include "cmd/ctx.h"
#include "gha/gha.h"
#include "os/os.h"

static int fail(struct sw_ctx *ctx, const struct sw_error *err)
{
    sw_ctx_print_error(ctx, err);
    return err->code ? err->code : SW_EXIT_FAILURE;
}

/* main (wmain on Windows) is the platform layer's: src/os/. */
int sw_main(int argc, char **argv)
{
    struct sw_ctx ctx;
    struct sw_error err = {0};
    int rc = 0;
    sw_ctx_init(&ctx);
    if (ctx.gha && ctx.token)
        sw_gha_mask(ctx.errf, ctx.token);

    const char *name = argc > 1 ? argv[1] : "--help";
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        sw_cli_help_main(ctx.out);
        return argc > 1 ? 0 : SW_EXIT_USAGE;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
        fprintf(ctx.out, "setup-wash %s\n", SW_VERSION);
        return 0;
    }
    const struct sw_cmd *cmd = sw_cmd_find(name);
    if (!cmd) {
        sw_error_set(&err, SW_EXIT_USAGE, "unknown command '%s': see 'setup-wash --help'", name);
        return fail(&ctx, &err);
    }
    struct sw_args args;
    if (sw_cli_parse(cmd, argc - 2, argv + 2, &args, &err) < 0)
        return fail(&ctx, &err);
    if (sw_flag(&args, "help")) {
        sw_cli_help_cmd(ctx.out, cmd);
        return 0;
    }
    ctx.quiet = sw_flag(&args, "quiet");
    if (cmd->run(&ctx, &args, &err) < 0)
        rc = fail(&ctx, &err);
    fflush(ctx.out);
    sw_ctx_release(&ctx);
    return rc;
}
