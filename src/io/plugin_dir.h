/* wash's plugin directory as setup-wash sees it: where a plugin is installed and whether the
 * file there is the one the lock pins. Shared by `plugins verify/list` and doctor. */
#ifndef SW_PLUGIN_DIR_H
#define SW_PLUGIN_DIR_H

#include <stddef.h>
#include <stdint.h>

#include "core/lock.h"
#include "core/plugins.h"

/* SHA-256 of a file as "sha256:<hex>" (into digest[n], n >= 72) and its size. Fails with
 * SW_EXIT_FS naming the file; err may be NULL. */
int sw_plugin_hash_file(const char *path, char *digest, size_t n, int64_t *size,
                        struct sw_error *err);

/* <data_dir>/plugins/<name>.wasm; the caller frees it. */
char *sw_plugin_installed_path(const char *data_dir, const char *name);

/* The state of one locked plugin in data_dir; `have` (n >= 80) receives the installed file's
 * digest, "" when there is none. */
enum sw_plugin_state sw_plugin_state_of(const char *data_dir, const struct sw_lock_plugin *p,
                                        char *have, size_t n);

#endif
