/* wash's plugin directory as setup-wash sees it: where a plugin is installed and whether the
 * file there is the one the lock pins. Shared by `plugins verify/list` and doctor. */
#ifndef SW_PLUGIN_DIR_H
#define SW_PLUGIN_DIR_H

#include <stddef.h>
#include <stdint.h>

#include "core/lock.h"
#include "core/plugins.h"

/* What reading a plugin file found. */
struct sw_plugin_file {
    char digest[80]; /* "sha256:<hex>" of the bytes read */
    int64_t size;    /* how many there were */
};

/* Opens a file to read a plugin from. The open never blocks (O_NONBLOCK: a FIFO without a
 * writer cannot hang it) and only a regular file is accepted: a directory, a device, a FIFO
 * or a socket fails with SW_EXIT_USAGE naming what it is. *size gets the size fstat reports.
 * Returns the descriptor, which the caller closes, or -1 with err (which may be NULL). */
int sw_plugin_open(const char *path, int64_t *size, struct sw_error *err);

/* Reads fd (from sw_plugin_open) to its end, hashing the bytes into *out and, when copy_fd
 * >= 0, writing them there too. At most max bytes: a file that has more (one that grew since
 * it was opened) fails with SW_EXIT_VERIFY as soon as byte max + 1 arrives. Messages name
 * `path`, never the bytes. Read errors are SW_EXIT_FS. */
int sw_plugin_read(int fd, const char *path, uint64_t max, int copy_fd, struct sw_plugin_file *out,
                   struct sw_error *err);

/* SHA-256 of a file as "sha256:<hex>" (into digest[n], n >= 72) and its size: sw_plugin_open
 * and sw_plugin_read with SW_PLUGIN_MAX_BYTES, so only a regular file of at most that size
 * hashes. Fails naming the file; err may be NULL. */
int sw_plugin_hash_file(const char *path, char *digest, size_t n, int64_t *size,
                        struct sw_error *err);

/* <data_dir>/plugins/<name>.wasm; the caller frees it. */
char *sw_plugin_installed_path(const char *data_dir, const char *name);

/* The state of one locked plugin in data_dir; `have` (n >= 80) receives the installed file's
 * digest, "" when there is none. */
enum sw_plugin_state sw_plugin_state_of(const char *data_dir, const struct sw_lock_plugin *p,
                                        char *have, size_t n);

#endif
