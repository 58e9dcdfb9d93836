/* wash's plugin directory as setup-wash sees it: where a plugin is installed and whether the
 * file there is the one the lock pins. Shared by `plugins verify/list` and doctor. */
#ifndef SW_PLUGIN_DIR_H
#define SW_PLUGIN_DIR_H

#include <stddef.h>

#include "core/lock.h"
#include "core/plugins.h"

/* <data_dir>/plugins/<name>.wasm; the caller frees it. */
char *sw_plugin_installed_path(const char *data_dir, const char *name);

/* The state of one locked plugin in data_dir; `have` (n >= 80) receives the installed file's
 * digest, "" when there is none. */
enum sw_plugin_state sw_plugin_state_of(const char *data_dir, const struct sw_lock_plugin *p,
                                        char *have, size_t n);

#endif
