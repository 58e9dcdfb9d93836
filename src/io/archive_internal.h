/* Shared by the files of the archive module (archive.c: reading the archive, entry names,
 * directories and regular files; archive_link.c: the symlink rule and the links it admits).
 * Not for other modules. */
#ifndef SW_ARCHIVE_INTERNAL_H
#define SW_ARCHIVE_INTERNAL_H

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "io/archive.h"
#include "os/os.h"

/* the longest entry name and path component, the same on every platform (Linux's limits) */
#define SW_ENTRY_PATH_MAX 4096
#define SW_ENTRY_NAME_MAX 255
/* Room for an entry name in a message: enough to recognise it, short enough to keep the
 * message readable when a hostile archive uses a 4 KiB name. */
#define SW_LABEL_MAX 161

struct source; /* sw_archive_extract_cb's reader (archive.c) */

/* One extraction: the limits, the running totals and the resources released at the end. */
struct extract {
    const char *dest;
    char archive_label[SW_LABEL_MAX];
    uint64_t max_bytes;
    uint64_t max_entries;
    uint64_t entries;
    uint64_t bytes;
    const struct sw_extract_limits *cb; /* allow_symlinks and the callbacks; NULL: none */
    struct archive *a;
    struct archive *disk;    /* libarchive's disk writer, for the symlinks only (made lazily) */
    struct sw_os_walk *root; /* dest, opened once */
    EVP_MD_CTX *md;          /* SHA-256 of each file, when on_file wants it */
    struct source *src;      /* sw_archive_extract_cb's source; NULL for a file */
    char *buf;
};

/* libarchive's message for a, sanitized (it may quote entry names) and without the trailing
 * newline some messages carry, written to dst[0..n); returns dst. */
const char *sw_archive_message(struct archive *a, char *dst, size_t n);

/* For a callback's non-zero return: keeps the error it set, or sets one (SW_EXIT_FAILURE)
 * saying who stopped at the entry `label` when it set none. Returns -1. */
int sw_archive_callback_error(const char *label, struct sw_error *err);

/* sw_sanitize() of the first `len` bytes of `s` into dst[0..n). */
void sw_archive_prefix_label(char *dst, size_t n, const char *s, size_t len);

/* Opens the directory rel[0..len) under x->dest, creating missing components with mode 0755,
 * each opened without following a link. Returns x->root itself when len is 0, else a handle
 * the caller closes; NULL with err (SW_EXIT_VERIFY naming the entry `label` when a component
 * is not a directory, SW_EXIT_FS for another failure). */
struct sw_os_walk *sw_archive_open_dirs(struct extract *x, const char *rel, size_t len,
                                        const char *label, struct sw_error *err);

/* Creates the symlink entry e at rel (clean, not "") when the rule in archive.h admits its
 * target, then calls on_link. Returns 0, or -1 with err: SW_EXIT_VERIFY for a link refused
 * (on Windows, every one), SW_EXIT_FS when it cannot be made, or what on_link set. */
int sw_archive_extract_link(struct extract *x, struct archive_entry *e, const char *rel,
                            const char *label, struct sw_error *err);

#endif
