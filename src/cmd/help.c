/* setup-wash help [COMMAND] */
#include "cmd/commands.h"

static int cmd_help(struct sw_ctx *ctx, const struct sw_args *args, struct sw_error *err)
{
    if (args->npos == 0) {
        sw_cli_help_main(ctx->out);
        return 0;
    }
    const struct sw_cmd *c = sw_cmd_find(args->pos[0]);
    if (!c)
        return sw_error_set(err, SW_EXIT_USAGE, "unknown command '%s': see 'setup-wash --help'",
                            args->pos[0]);
    sw_cli_help_cmd(ctx->out, c);
    return 0;
}

static const struct sw_opt help_opts[] = {
    {"help", NULL, "show this help"},
    {NULL, NULL, NULL},
};

const struct sw_cmd sw_cmd_help = {
    .name = "help",
    .summary = "show help for setup-wash or one command",
    .usage = "[COMMAND]",
    .opts = help_opts,
    .max_pos = 1,
    .run = cmd_help,
};
