/* The command table and option specs: one table drives parsing and help alike, so the help
 * text cannot drift from what the parser accepts. */
#ifndef SW_CLI_H
#define SW_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "cmd/ctx.h"
#include "core/buf.h"
#include "core/error.h"

#define SW_MAX_OPTS 24

struct sw_opt {
    const char *name; /* long name without "--" */
    const char *arg;  /* metavar ("SPEC"), or NULL for a flag */
    const char *help; /* one line */
};

struct sw_args {
    const struct sw_opt *opts;
    const char *vals[SW_MAX_OPTS]; /* the last value given, for options with an argument */
    bool set[SW_MAX_OPTS];
    char **pos; /* positional arguments (not owned) */
    int npos;
};

struct sw_cmd {
    const char *name;
    const char *summary; /* one line for the command list */
    const char *usage;   /* the operands, before the options: "[TOOL[@SPEC]...]" ("": none);
                          * sw_cli_usage adds every option of the table */
    const struct sw_opt *opts; /* terminated by an entry with name NULL */
    const char *details;       /* paragraphs for `help <name>`, may be NULL */
    int max_pos;               /* positional arguments accepted */
    int (*run)(struct sw_ctx *ctx, const struct sw_args *args, struct sw_error *err);
};

extern const struct sw_cmd *const sw_commands[];
extern const size_t sw_commands_len;

/* Parses argv (after the command name): `--name value`, `--name=value`, flags, `--` ends
 * options. Unknown options, missing values and extra positionals fail with SW_EXIT_USAGE and
 * a pointer to `setup-wash help <cmd>`. */
int sw_cli_parse(const struct sw_cmd *cmd, int argc, char **argv, struct sw_args *out,
                 struct sw_error *err);

/* The value of option `name`, or NULL when not given. */
const char *sw_arg(const struct sw_args *a, const char *name);
bool sw_flag(const struct sw_args *a, const char *name);
/* Sets option `name` (one the command has) to value, as if it had been given. */
void sw_args_set(struct sw_args *a, const char *name, const char *value);

const struct sw_cmd *sw_cmd_find(const char *name);
/* Appends the usage line after "setup-wash <name> ", on one line: the operands, then
 * "[--name ARG]" for every option of the table but --help, so it cannot leave one out. */
void sw_cli_usage(struct sw_buf *out, const struct sw_cmd *cmd);
void sw_cli_help_cmd(FILE *f, const struct sw_cmd *cmd);
void sw_cli_help_main(FILE *f);

#endif
