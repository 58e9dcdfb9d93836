#include "cmd/commands.h"

const struct sw_cmd *const sw_commands[] = {
    &sw_cmd_install,
    &sw_cmd_resolve,
    &sw_cmd_lock,
    &sw_cmd_plugins,
    &sw_cmd_doctor,
    &sw_cmd_help,
};
const size_t sw_commands_len = sizeof(sw_commands) / sizeof(sw_commands[0]);
