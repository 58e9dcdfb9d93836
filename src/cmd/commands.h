/* The commands, each defined in its own file under src/cmd/. */
#ifndef SW_COMMANDS_H
#define SW_COMMANDS_H

#include "cmd/cli.h"

extern const struct sw_cmd sw_cmd_install;
extern const struct sw_cmd sw_cmd_resolve;
extern const struct sw_cmd sw_cmd_lock;
extern const struct sw_cmd sw_cmd_plugins;
extern const struct sw_cmd sw_cmd_doctor;
extern const struct sw_cmd sw_cmd_help;

#endif
