/* Filesystem helpers: directories, atomic writes, bounded reads, recursive removal, locks.
 * All report failures as SW_EXIT_FS errors naming the path and strerror. */
#ifndef SW_FS_H
#define SW_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/error.h"
#include "os/os.h"

/* mkdir -p with mode for the directories it creates. */
int sw_fs_mkdir_p(const char *path, int mode, struct sw_error *err);

/* Writes all n bytes of p to fd, however many write calls it takes: 0, or -1 with errno (no
 * message: the caller knows what the file is). */
int sw_fs_write_all(int fd, const void *p, size_t n);

/* Writes data to path through a temporary file in the same directory, fsync, rename: readers
 * see the old content or the new, never a part. */
int sw_fs_write_atomic(const char *path, const void *data, size_t len, int mode,
                       struct sw_error *err);

/* sw_fs_write_atomic without the fsync, for a file whose loss only costs work done again:
 * readers still see the old content or the new, but after a crash the file may be empty or
 * cut. */
int sw_fs_write_replace(const char *path, const void *data, size_t len, int mode,
                        struct sw_error *err);

/* Copies the file src to dest the way sw_fs_write_atomic writes (a temporary file in dest's
 * directory, fsync, rename), letting the kernel move the bytes where it can (copy_file_range). */
int sw_fs_copy_atomic(const char *src, const char *dest, int mode, struct sw_error *err);

/* Maps a whole file read-only: *data and *len until sw_fs_unmap. An empty file maps to a
 * static empty buffer. Fails with SW_EXIT_FS. */
int sw_fs_map(const char *path, const unsigned char **data, size_t *len, struct sw_error *err);
void sw_fs_unmap(const unsigned char *data, size_t len);

/* Reads a whole file of at most max bytes into out (appended). A missing file fails with
 * errno ENOENT kept in *errno_out when that is non-NULL. */
int sw_fs_read(const char *path, size_t max, struct sw_buf *out, int *errno_out,
               struct sw_error *err);

/* sw_fs_read for a file a planted symlink must not redirect (a cache marker): the last path
 * component is never followed, and anything but a regular file fails. */
int sw_fs_read_regular(const char *path, size_t max, struct sw_buf *out, struct sw_error *err);

/* Opens path read-only without following a symlink at its last component and without
 * blocking on a FIFO; fails (SW_EXIT_FS, errno in *errno_out when non-NULL) unless it is a
 * regular file. *st receives its fstat. Returns the descriptor. */
int sw_fs_open_regular(const char *path, struct sw_os_stat *st, int *errno_out,
                       struct sw_error *err);

/* What tells that a file may have changed: size, mtime, ctime (to the nanosecond), device and
 * inode, as one string "size:mtime:ctime:dev:ino" (n >= SW_FS_STAMP_MAX). A restore from a
 * cache, a copy or a rewrite changes at least the ctime or the inode. */
#define SW_FS_STAMP_MAX 160
void sw_fs_stamp(const struct sw_os_stat *st, char *out, size_t n);

/* What a file that is not a regular file is, for messages: "a directory", "a character
 * device", "a block device", "a FIFO (named pipe)", "a socket", else "not a regular file". */
const char *sw_fs_kind(enum sw_os_kind kind);

/* SHA-256 of what remains to be read from fd, into md[32], *size getting the byte count; when
 * copy_fd >= 0 the bytes are written there too. At most max bytes (max < UINT64_MAX): one
 * more fails with SW_EXIT_VERIFY as soon as it arrives. Read and write errors are SW_EXIT_FS.
 * Messages name `path`, never the bytes. */
int sw_fs_hash_fd(int fd, const char *path, uint64_t max, int copy_fd, unsigned char md[32],
                  uint64_t *size, struct sw_error *err);

/* Removes a file or a directory tree; never follows symlinks. Missing is success. */
int sw_fs_rm_rf(const char *path, struct sw_error *err);

bool sw_fs_is_dir(const char *path);
bool sw_fs_is_file(const char *path);

/* Takes an exclusive lock (flock; LockFileEx on Windows) on path, creating it; blocks until granted. Never
 * follows a symlink at path and refuses anything but a regular file there, so a
 * planted link cannot redirect the write. Returns the descriptor to pass to sw_fs_unlock, or
 * -1 with err. */
int sw_fs_lock(const char *path, struct sw_error *err);
void sw_fs_unlock(int fd);

/* The top of the git work tree that holds the absolute directory dir: the nearest directory,
 * from dir up to "/" (or a drive's root), with a `.git` entry (a directory, or the file a linked worktree or a
 * submodule has). No git process runs. NULL when there is none; the caller frees the result. */
char *sw_fs_git_top(const char *dir);

/* The absolute path abs ('/'-separated) without its "." and ".." parts: the longest prefix
 * that exists is resolved by the system (sw_os_realpath, so a ".." after a symbolic link goes
 * where the system takes it), the rest, which does not exist yet, lexically; ".." never climbs
 * above the root. A path with no such part comes back as it is, links and all. The caller
 * frees the result. */
char *sw_fs_normalize(const char *abs);

/* Joins two path parts with one '/'. The caller frees the result. */
char *sw_path_join(const char *a, const char *b);

#endif
