/* A per-file manifest of an installed tool's root, that proves the cached tree's bytes on a
 * cache hit: each regular file with its SHA-256, size and stamp (sw_fs_stamp), each symlink
 * with its target.
 *
 * Paths are relative to the root, '/'-separated and clean: not empty, no leading or trailing
 * '/', no empty, "." or ".." component, no control character, valid UTF-8, at most 4095 bytes.
 * A path that breaks this rule, one recorded twice, or one recorded both as a file (or link)
 * and as a directory holding others, cannot be recorded: sw_tree_add_file and
 * sw_tree_add_link keep the first such error in the tree, and sw_tree_save and sw_tree_verify
 * then fail with it (SW_EXIT_VERIFY), so a tree is never saved or trusted without it.
 *
 * Directories are not recorded: they are implied by the paths under them. An empty directory
 * (holding nothing, or only empty directories) is neither recorded nor reported by
 * sw_tree_verify: it holds no bytes, and extraction may make one.
 *
 * The manifest file (sw_tree_save, sw_tree_load), UTF-8 text, one record a line, each line
 * ending in '\n', fields separated by one space, the path always last:
 *     setup-wash tree 1
 *     d <stamp> .                                                  (the root; first if at all)
 *     f <sha256, 64 lowercase hex> <size, decimal> <stamp> <path>
 *     l <stamp> <path>\t<target>
 *     d <stamp> <path>
 *     end <number of f and l lines>
 * The records after the root's are sorted by path, bytewise but with '/' before every other
 * byte (so what a directory holds follows it), each path once. <stamp> is sw_fs_stamp's string
 * (digits, ':', '.', '-'), or "-" when unknown (the file is hashed, the link read, at the next
 * verify). A link's path and target are separated by a TAB, which neither may hold. "d" lines
 * are what sw_tree_verify learnt of directories: the stamps that spare it a listing; they name
 * only directories that hold recorded files or links. The "end" line makes a cut manifest
 * malformed. Nothing else is accepted: no blank line, no comment, no CR, no NUL, no leading
 * zero. A manifest of 5,000 files is about 750 KB and loads in a few milliseconds.
 *
 * Ownership: the tree owns everything recorded; strings passed in are copied. The functions
 * taking a `struct sw_error *` accept NULL there (the error is then only returned). */
#ifndef SW_TREE_H
#define SW_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct sw_tree; /* what a tool's root held at install: files with digest, size, stamp;
                   symlinks with target */

/* An empty tree; free it with sw_tree_free. Never NULL (allocation failure aborts). */
struct sw_tree *sw_tree_new(void);
void sw_tree_free(struct sw_tree *t); /* NULL is fine */

/* Records the regular file rel with its digest, size and stamp (NULL or "" when unknown: the
 * next verify hashes it). An invalid rel is kept as the tree's error (see above). */
void sw_tree_add_file(struct sw_tree *t, const char *rel, const unsigned char sha256[32],
                      uint64_t size, const char *stamp);
/* Records the symlink rel -> target, its stamp unknown (the next verify reads the link once,
 * then keeps its stamp). rel is checked as for a file; target must be non-empty, at most 4095
 * bytes, valid UTF-8 without a control character (else the tree's error). */
void sw_tree_add_link(struct sw_tree *t, const char *rel, const char *target);

/* Re-roots recorded paths: keeps only those under "top/" and strips that prefix (the single
 * top folder became the root). Directory stamps are re-rooted too; the root's is dropped. */
void sw_tree_strip(struct sw_tree *t, const char *top);

/* Hashes every regular file under root (recording symlinks with their targets, refusing
 * anything else: a FIFO, a device, a socket), adding to t with each file's stamp; for a tree
 * no extractor recorded (a raw executable). Never follows a symlink. Returns 0, or -1 with
 * err: SW_EXIT_FS for an I/O failure or an entry of another kind, SW_EXIT_VERIFY for a name
 * that cannot be recorded. */
int sw_tree_scan(struct sw_tree *t, const char *root, struct sw_error *err);

/* The number of files and links recorded. */
size_t sw_tree_count(const struct sw_tree *t);

/* "sha256:<hex>" of the recorded file rel, or NULL (not recorded, or a link). The string lives
 * in t until the next call to any function on t. */
const char *sw_tree_digest_of(const struct sw_tree *t, const char *rel);

/* Writes the manifest to path atomically (sw_fs_write_atomic, mode 0644). Fails with the
 * tree's error when it has one, SW_EXIT_FS when the write fails. t's content is unchanged (an
 * index it keeps may be built). */
int sw_tree_save(const struct sw_tree *t, const char *path, struct sw_error *err);

/* sw_tree_save without the fsync (sw_fs_write_replace): for the stamps a verify refreshed,
 * saved on a cache hit. A crash may leave the manifest empty or cut, which sw_tree_load
 * refuses: the tool is then installed again, never trusted unproven. */
int sw_tree_save_stamps(const struct sw_tree *t, const char *path, struct sw_error *err);

/* Reads the manifest at path (a regular file, never through a symlink at its last component,
 * at most 64 MiB) into a new tree for *out, which the caller frees. Strict: a malformed
 * manifest is an error (SW_EXIT_VERIFY naming the line), never a partial tree; *out is set
 * only on success. A missing or unreadable file is SW_EXIT_FS. */
int sw_tree_load(const char *path, struct sw_tree **out, struct sw_error *err);

struct sw_tree_verdict {
    bool ok;           /* root holds exactly what t records */
    char file[512];    /* the first offending path (relative, sanitised), when !ok; "." for the
                          root itself */
    char why[1024];    /* "'bin/tinygo' is not the file installed (recorded sha256:..., found
                          sha256:...)" (or "(recorded 6 bytes, found 7)"), "'x' was added",
                          "'y' is missing", "'z' is now a symlink", "'d' is now a file",
                          "'l' now points to 'a' (recorded 'b')", "the root directory is
                          missing": sanitised, the quoted path first */
    unsigned rehashed; /* files whose stamp had changed and were hashed again */
    bool restamped;    /* stamps in t were refreshed: the caller saves t (when ok) */
};

/* Proves root against t: every recorded file must be there as a regular file (never followed
 * through a symlink) and every recorded link with its target; nothing else may be there
 * (empty directories aside). A file whose stamp (sw_fs_stamp) is unchanged is trusted; a
 * changed stamp means re-hashing it (after an actions/cache restore every stamp changes, so
 * every file is hashed once, then restamped). On POSIX a directory whose stamp is unchanged
 * since a verify recorded it (older than 2 s then, so no change can share its timestamp) is
 * not listed again: any entry added to or removed from it changes its stamp. The first
 * difference found ends the check. Returns 0 with *v filled (ok or not), or -1 with err for an
 * I/O failure (or the tree's error). Assumes no other process writes under root meanwhile. */
int sw_tree_verify(struct sw_tree *t, const char *root, struct sw_tree_verdict *v,
                   struct sw_error *err);

#endif
