/* Secure extraction of release archives with libarchive.
 *
 * Untrusted input: every entry is checked before anything is written. Rejected, with the entry
 * name (sanitized) in the message: absolute paths, any `..` component, symlinks and hardlinks
 * (wash archives contain none; refusing them closes every link escape), device, FIFO and socket
 * entries, names longer than PATH_MAX, more than `max_entries` entries, and more than
 * `max_bytes` of unpacked data (zip bombs). Regular files are created with O_EXCL|O_NOFOLLOW
 * under `dest` only, directories with mode 0755; executable bits are kept (files get 0644 or
 * 0755). Formats: zip, tar, tar.gz, tar.xz, tar.zst, tar.bz2 (whatever libarchive detects).
 */
#ifndef SW_ARCHIVE_H
#define SW_ARCHIVE_H

#include <stdint.h>

#include "core/error.h"

struct sw_extract_limits {
    uint64_t max_bytes;   /* total unpacked bytes; 0 means the default (1 GiB) */
    uint64_t max_entries; /* 0 means the default (10000) */
};

/* Extracts the archive file `archive_path` into the existing, empty directory `dest`.
 * Returns 0, or -1 with err: SW_EXIT_VERIFY for a hostile or malformed archive, SW_EXIT_FS for
 * a write failure. On failure `dest` may hold partial content: the caller extracts into a
 * staging directory and removes it. */
int sw_archive_extract(const char *archive_path, const char *dest,
                       const struct sw_extract_limits *limits, struct sw_error *err);

/* Whether the asset name looks like an archive we unpack (.zip, .tar, .tar.gz, .tgz, .tar.xz,
 * .txz, .tar.zst, .tar.bz2). Raw binaries (wash-x86_64-unknown-linux-gnu) return 0. */
int sw_archive_is_archive_name(const char *name);

#endif
