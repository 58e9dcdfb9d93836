/* Secure extraction of release archives with libarchive.
 *
 * Untrusted input: every entry is checked before anything is written. Rejected, with the entry
 * name (sanitized) in the message: absolute paths, any `..` component, hardlinks, symlinks
 * unless `allow_symlinks` admits them (below), device, FIFO and socket entries, names longer
 * than PATH_MAX, more than `max_entries` entries, and more than `max_bytes` of unpacked data
 * (zip bombs). Regular files are created with O_EXCL|O_NOFOLLOW under `dest` only, directories
 * with mode 0755; executable bits are kept (files get exactly 0644 or 0755, whatever the
 * umask). No entry is ever created through a symlink: every directory on an entry's path is
 * opened one component at a time without following a link, so an entry below a link the
 * archive made ("t/lib" -> "sub", then "t/lib/x") is refused, whatever the order of entries.
 * Formats: zip, tar, tar.gz, tar.xz, tar.zst, tar.bz2 (whatever libarchive detects).
 *
 * Symlinks, with `allow_symlinks` (POSIX only: on Windows they stay refused): the target must be
 * relative (no leading '/', no ':' for a drive, no '\'), made of zero or more leading ".."
 * followed only by normal names (no ".", no ".." after a name, no empty component, no trailing
 * '/', no control character), and, resolved lexically from the link's own directory, stay
 * inside the link's top-level folder (the first component of its path) when the link's path
 * has two components or more ("tinygo/bin/x" -> "../lib/y"), else inside `dest` (a link at
 * the top, "x" -> "tinygo/bin/x"). A link whose name already exists is refused. Since each
 * link's directory is a real one and its target stays inside its folder, a chain of links
 * stays inside it too.
 */
#ifndef SW_ARCHIVE_H
#define SW_ARCHIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "os/os.h"

/* A zero-initialised struct (or NULL) means the defaults: 1 GiB, 10000 entries, no links, no
 * callbacks. */
struct sw_extract_limits {
    uint64_t max_bytes;   /* total unpacked bytes; 0 means the default (1 GiB) */
    uint64_t max_entries; /* 0 means the default (10000); links and directories count too */
    bool allow_symlinks;  /* symlinks allowed when they stay inside their tool root (above) */
    /* Called for every regular file written, after its last write and its chmod (to exactly
     * 0644 or 0755), before close: rel is its path relative to dest ('/'-separated, cleaned:
     * no "./", no repeated '/'), sha256 the digest of its bytes (computed while writing: no
     * second read), size their count, and st its fstat then (for sw_fs_stamp: nothing the
     * extraction does later changes it). A non-zero return aborts the extraction with the
     * error the callback set in err (SW_EXIT_FAILURE when it set none). NULL: none. */
    int (*on_file)(void *ud, const char *rel, const unsigned char sha256[32], uint64_t size,
                   const struct sw_os_stat *st, struct sw_error *err);
    /* Called for every symlink created (allow_symlinks), after it is made: rel as for on_file
     * and its target as the archive gave it. A non-zero return aborts as for on_file. May be
     * NULL. */
    int (*on_link)(void *ud, const char *rel, const char *target, struct sw_error *err);
    void *ud; /* passed to on_file and on_link */
};

/* Extracts the archive file `archive_path` into the existing, empty directory `dest`.
 * Returns 0, or -1 with err: SW_EXIT_VERIFY for a hostile or malformed archive, SW_EXIT_FS for
 * a write failure, or what a callback set. On failure `dest` may hold partial content: the
 * caller extracts into a staging directory and removes it. Messages name the archive by the
 * last component of archive_path. A zip is read through its central directory (the file is
 * seekable), so unix modes and symlinks stored there are seen. */
int sw_archive_extract(const char *archive_path, const char *dest,
                       const struct sw_extract_limits *limits, struct sw_error *err);

/* Like sw_archive_extract, but the archive's bytes are pulled from read(ud, buf, n), which
 * returns the count (at most n; 0 at the end) or -1 with its own error set in *err (that error,
 * class and message, is what sw_archive_extract_cb then returns, unchanged). `what` names the
 * archive in messages (sanitized). After the archive's own end, read() is still called until
 * it returns 0, so a digest the source computes over the bytes covers all of them; on a
 * failure it is not called again. read() is never called after it returned 0 or -1.
 *
 * A zip is read as a stream (libarchive's streaming reader, from the local headers: the
 * central directory at the end is never consulted). What follows, fine for the Windows zips we
 * stream: a zip's unix modes are not seen, so every file gets 0644 (no executable bit) and a
 * symlink stored in a zip arrives as a regular file holding its target; an entry the central
 * directory would hide or name otherwise is extracted as its local header says. Use
 * sw_archive_extract on a file for a zip whose modes or links matter. */
int sw_archive_extract_cb(sw_ssize (*read)(void *ud, void *buf, size_t n, struct sw_error *err),
                          void *ud, const char *what, const char *dest,
                          const struct sw_extract_limits *limits, struct sw_error *err);

/* Whether the asset name looks like an archive we unpack (.zip, .tar, .tar.gz, .tgz, .tar.xz,
 * .txz, .tar.zst, .tar.bz2). Raw binaries (wash-x86_64-unknown-linux-gnu) return 0. */
int sw_archive_is_archive_name(const char *name);

#endif
