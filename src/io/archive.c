#include "io/archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "os/os.h"

/* the longest entry name and path component, the same on every platform (Linux's limits) */
#define SW_ENTRY_PATH_MAX 4096
#define SW_ENTRY_NAME_MAX 255

#define SW_DEFAULT_MAX_BYTES ((uint64_t)1 << 30)
#define SW_DEFAULT_MAX_ENTRIES ((uint64_t)10000)
#define SW_COPY_CHUNK ((size_t)64 * 1024)
#define SW_READ_BLOCK ((size_t)64 * 1024)
#define SW_MIB ((uint64_t)1 << 20)
/* Room for an entry name in a message: enough to recognise it, short enough to keep the
 * message readable when a hostile archive uses a 4 KiB name. */
#define SW_LABEL_MAX 161

/* One extraction: the limits, the running totals and the resources released at the end. */
struct extract {
    const char *dest;
    char archive_label[SW_LABEL_MAX];
    uint64_t max_bytes;
    uint64_t max_entries;
    uint64_t entries;
    uint64_t bytes;
    struct archive *a;
    struct sw_os_walk *root; /* dest, opened once */
    char *buf;
};

/* libarchive's message, sanitized (it may quote entry names) and without the trailing newline
 * some messages carry. */
static const char *archive_message(struct archive *a, char *dst, size_t n)
{
    const char *msg = archive_error_string(a);
    if (!msg) /* libarchive fails some malformed zips without a message */
        msg = "malformed archive (libarchive gave no detail)";
    size_t len = strlen(msg);
    while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == '\r' || msg[len - 1] == ' '))
        len--;
    char *trimmed = sw_xstrndup(msg, len);
    sw_sanitize(dst, n, trimmed);
    free(trimmed);
    return dst;
}

static int bomb_error(const struct extract *x, struct sw_error *err)
{
    if (x->max_bytes % SW_MIB == 0)
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "archive '%s' unpacks to more than %" PRIu64
                            " MiB: refusing to extract (zip bomb?)",
                            x->archive_label, x->max_bytes / SW_MIB);
    return sw_error_set(err, SW_EXIT_VERIFY,
                        "archive '%s' unpacks to more than %" PRIu64
                        " bytes: refusing to extract (zip bomb?)",
                        x->archive_label, x->max_bytes);
}

/* Names the entry types we refuse, or returns NULL for a regular file or directory. */
static const char *refused_type(struct archive_entry *e)
{
    if (archive_entry_hardlink(e))
        return "a hard link";
    if (archive_entry_symlink(e))
        return "a symbolic link";
    switch (archive_entry_filetype(e)) {
    case AE_IFREG:
    case AE_IFDIR:
        return NULL;
    case AE_IFLNK:
        return "a symbolic link";
    case AE_IFCHR:
        return "a character device";
    case AE_IFBLK:
        return "a block device";
    case AE_IFIFO:
        return "a named pipe (FIFO)";
    case AE_IFSOCK:
        return "a socket";
    default:
        return "an entry of unknown type";
    }
}

/* Whether the path component c[0..n) is a name Windows reserves for a device whatever its
 * directory and extension ("NUL", "con.txt", "COM1"): writing it there reaches the device.
 * Refused on every platform, so an archive extracts alike everywhere. */
static bool windows_device(const char *c, size_t n)
{
    static const char *const names[] = {"CON", "PRN", "AUX", "NUL"};
    size_t stem = 0;
    while (stem < n && c[stem] != '.')
        stem++;
    while (stem > 0 && c[stem - 1] == ' ') /* Windows drops trailing spaces */
        stem--;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (stem == 3 && strncasecmp(c, names[i], 3) == 0)
            return true;
    return stem == 4 && (strncasecmp(c, "COM", 3) == 0 || strncasecmp(c, "LPT", 3) == 0) &&
           c[3] >= '1' && c[3] <= '9';
}

/* Returns the entry's path relative to dest, with "./" prefixes, "." components and repeated
 * slashes removed ("" for the destination itself), or NULL with err set. Backslashes count as
 * separators for the checks, so "..\\x" is refused even though Linux would take it as a name. */
static char *clean_name(const char *name, const char *label, struct sw_error *err)
{
    size_t len = strlen(name);
    if (len == 0) {
        sw_error_set(err, SW_EXIT_VERIFY, "archive entry has an empty name: refusing to extract");
        return NULL;
    }
    if (len >= SW_ENTRY_PATH_MAX) {
        sw_error_set(err, SW_EXIT_VERIFY,
                     "archive entry '%s' has a name of %zu bytes, longer than the %d allowed: "
                     "refusing to extract",
                     label, len, SW_ENTRY_PATH_MAX - 1);
        return NULL;
    }
    if (name[0] == '/' || name[0] == '\\') {
        sw_error_set(err, SW_EXIT_VERIFY,
                     "archive entry '%s' escapes the destination: refusing to extract", label);
        return NULL;
    }
    /* a colon is a drive ("C:x" leaves the destination) or an alternate data stream on
     * Windows: refused everywhere, so an archive extracts alike on every platform */
    if (strchr(name, ':')) {
        sw_error_set(err, SW_EXIT_VERIFY,
                     "archive entry '%s' has a ':' in its name (a drive or a stream on Windows): "
                     "refusing to extract", label);
        return NULL;
    }
    for (const char *p = name; *p;) {
        size_t n = strcspn(p, "/\\");
        if (n == 2 && p[0] == '.' && p[1] == '.') {
            sw_error_set(err, SW_EXIT_VERIFY,
                         "archive entry '%s' escapes the destination: refusing to extract", label);
            return NULL;
        }
        if (windows_device(p, n)) {
            sw_error_set(err, SW_EXIT_VERIFY,
                         "archive entry '%s' names a Windows device (CON, PRN, AUX, NUL, COM1-9, "
                         "LPT1-9): refusing to extract",
                         label);
            return NULL;
        }
        p += n;
        if (*p)
            p++;
    }

    struct sw_buf out = SW_BUF_INIT;
    for (const char *p = name; *p;) {
        size_t n = strcspn(p, "/");
        if (n > SW_ENTRY_NAME_MAX) {
            sw_buf_free(&out);
            sw_error_set(err, SW_EXIT_VERIFY,
                         "archive entry '%s' has a path component longer than %d bytes: "
                         "refusing to extract",
                         label, SW_ENTRY_NAME_MAX);
            return NULL;
        }
        if (n > 0 && !(n == 1 && p[0] == '.')) {
            if (out.len)
                sw_buf_add(&out, "/", 1);
            sw_buf_add(&out, p, n);
        }
        p += n;
        if (*p)
            p++;
    }
    return sw_buf_detach(&out);
}

/* sw_sanitize() for the first `len` bytes of `s`. */
static void make_prefix_label(char *dst, size_t n, const char *s, size_t len)
{
    char *prefix = sw_xstrndup(s, len);
    sw_sanitize(dst, n, prefix);
    free(prefix);
}

/* Opens the directory `rel[0..len)` under dest, creating missing components with mode 0755.
 * Each component is opened without following a link (os.h: sw_os_walk), so a symlink already
 * in the tree cannot redirect the walk. Returns a handle the caller closes, or NULL with err
 * set. */
static struct sw_os_walk *open_dirs(struct extract *x, const char *rel, size_t len,
                                    const char *label, struct sw_error *err)
{
    char comp[SW_ENTRY_NAME_MAX + 1];
    char part[SW_LABEL_MAX];

    struct sw_os_walk *w = x->root;
    for (size_t i = 0; i < len;) {
        size_t n = strcspn(rel + i, "/");
        if (i + n > len)
            n = len - i;
        memcpy(comp, rel + i, n);
        comp[n] = '\0';
        struct sw_os_walk *next = sw_os_walk_sub(w, comp);
        if (!next) {
            int e = errno;
            make_prefix_label(part, sizeof(part), rel, i + n);
            /* ENOTDIR: an earlier entry made it a file; ELOOP: a symlink we did not create. */
            if (e == ENOTDIR || e == ELOOP)
                sw_error_set(err, SW_EXIT_VERIFY,
                             "archive entry '%s' would pass through '%s', which is not a "
                             "directory: refusing to extract",
                             label, part);
            else
                sw_error_set(err, SW_EXIT_FS, "cannot open directory '%s/%s': %s", x->dest, part,
                             strerror(e));
            if (w != x->root)
                sw_os_walk_close(w);
            return NULL;
        }
        if (w != x->root)
            sw_os_walk_close(w);
        w = next;
        i += n + 1;
    }
    return w;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        sw_ssize w = sw_os_write(fd, p, n);
        if (w < 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int extract_file(struct extract *x, struct archive_entry *e, const char *rel,
                        const char *label, struct sw_error *err)
{
    int ret = -1;
    struct sw_os_walk *dir = NULL;
    int fd = -1;
    char msg[512];

    /* The declared size is checked first so an honest bomb is refused before any write; the
     * running total below catches a header that understates the data. */
    if (archive_entry_size_is_set(e)) {
        la_int64_t size = archive_entry_size(e);
        if (size < 0) {
            sw_error_set(err, SW_EXIT_VERIFY,
                         "archive entry '%s' declares a negative size: refusing to extract", label);
            goto out;
        }
        if ((uint64_t)size > x->max_bytes - x->bytes) {
            bomb_error(x, err);
            goto out;
        }
    }

    const char *slash = strrchr(rel, '/');
    const char *leaf = slash ? slash + 1 : rel;
    dir = open_dirs(x, rel, slash ? (size_t)(slash - rel) : 0, label, err);
    if (!dir)
        goto out;

    int mode = (archive_entry_perm(e) & 0111) ? 0755 : 0644;
    fd = sw_os_walk_create(dir, leaf, mode);
    if (fd < 0 && errno == EEXIST) {
        sw_error_set(err, SW_EXIT_VERIFY,
                     "archive entry '%s' is a duplicate entry: refusing to extract", label);
        goto out;
    }
    if (fd < 0) {
        sw_error_set(err, SW_EXIT_FS, "cannot create '%s/%s': %s", x->dest, label, strerror(errno));
        goto out;
    }

    for (;;) {
        la_ssize_t n = archive_read_data(x->a, x->buf, SW_COPY_CHUNK);
        if (n == 0)
            break;
        if (n < 0) {
            sw_error_set(err, SW_EXIT_VERIFY, "cannot read archive '%s': entry '%s': %s",
                         x->archive_label, label, archive_message(x->a, msg, sizeof(msg)));
            goto out;
        }
        if ((uint64_t)n > x->max_bytes - x->bytes) {
            bomb_error(x, err);
            goto out;
        }
        x->bytes += (uint64_t)n;
        if (write_all(fd, x->buf, (size_t)n) != 0) {
            sw_error_set(err, SW_EXIT_FS, "cannot write '%s/%s': %s", x->dest, label,
                         strerror(errno));
            goto out;
        }
    }

    int rc = sw_os_close(fd);
    fd = -1;
    if (rc != 0) {
        sw_error_set(err, SW_EXIT_FS, "cannot write '%s/%s': %s", x->dest, label, strerror(errno));
        goto out;
    }
    ret = 0;
out:
    if (fd >= 0)
        sw_os_close(fd);
    if (dir != x->root)
        sw_os_walk_close(dir);
    return ret;
}

static int extract_entry(struct extract *x, struct archive_entry *e, struct sw_error *err)
{
    int ret = -1;
    char *rel = NULL;
    char label[SW_LABEL_MAX];

    const char *name = archive_entry_pathname(e);
    if (!name)
        name = archive_entry_pathname_utf8(e);
    if (!name) {
        sw_error_set(err, SW_EXIT_VERIFY,
                     "archive entry has an unreadable name: refusing to extract");
        goto out;
    }
    sw_sanitize(label, sizeof(label), name);

    if (++x->entries > x->max_entries) {
        sw_error_set(err, SW_EXIT_VERIFY,
                     "archive '%s' has more than %" PRIu64 " entries: refusing to extract",
                     x->archive_label, x->max_entries);
        goto out;
    }

    rel = clean_name(name, label, err);
    if (!rel)
        goto out;

    const char *type = refused_type(e);
    if (type) {
        sw_error_set(err, SW_EXIT_VERIFY, "archive entry '%s' is %s: refusing to extract", label,
                     type);
        goto out;
    }

    if (archive_entry_filetype(e) == AE_IFDIR) {
        /* "./" names the destination itself, which exists already. */
        if (rel[0]) {
            struct sw_os_walk *d = open_dirs(x, rel, strlen(rel), label, err);
            if (!d)
                goto out;
            if (d != x->root)
                sw_os_walk_close(d);
        }
    } else if (rel[0] == '\0') {
        sw_error_set(err, SW_EXIT_VERIFY,
                     "archive entry '%s' names the destination itself: refusing to extract", label);
        goto out;
    } else if (extract_file(x, e, rel, label, err) != 0) {
        goto out;
    }
    ret = 0;
out:
    free(rel);
    return ret;
}

int sw_archive_extract(const char *archive_path, const char *dest,
                       const struct sw_extract_limits *limits, struct sw_error *err)
{
    int ret = -1;
    int archfd = -1;
    char msg[512];
    struct sw_os_stat st;
    struct extract x = {.dest = dest};

    const char *base = strrchr(archive_path, '/');
    sw_sanitize(x.archive_label, sizeof(x.archive_label),
                base && base[1] ? base + 1 : archive_path);
    x.max_bytes = limits && limits->max_bytes ? limits->max_bytes : SW_DEFAULT_MAX_BYTES;
    x.max_entries = limits && limits->max_entries ? limits->max_entries : SW_DEFAULT_MAX_ENTRIES;

    archfd = sw_os_open(archive_path, SW_O_RDONLY, 0);
    if (archfd < 0) {
        sw_error_set(err, SW_EXIT_FS, "cannot open archive '%s': %s", archive_path,
                     strerror(errno));
        goto out;
    }
    if (sw_os_fstat(archfd, &st) != 0 || st.kind != SW_OS_REG) {
        sw_error_set(err, SW_EXIT_FS, "cannot open archive '%s': not a regular file", archive_path);
        goto out;
    }
    x.root = sw_os_walk_open(dest);
    if (!x.root) {
        sw_error_set(err, SW_EXIT_FS, "cannot open destination '%s': %s", dest, strerror(errno));
        goto out;
    }

    /* Filters are listed rather than "all": archive_read_support_filter_all() also enables
     * lrzip, grzip and lzop, which libarchive runs as external programs on the input. The tar
     * reader covers ustar, pax and GNU tar (libarchive has no separate readers for them). */
    x.a = archive_read_new();
    if (!x.a) {
        sw_error_set(err, SW_EXIT_FAILURE, "cannot set up libarchive: out of memory");
        goto out;
    }
    /* A filter whose library libarchive was built without falls back to running an external
     * program (bzip2, xz, zstd) on the input: only the filters linked in are enabled, so the
     * lean release build (zlib only) reads gzip and zip and never runs a program. */
    if ((archive_zlib_version() && archive_read_support_filter_gzip(x.a) < ARCHIVE_WARN) ||
        (archive_bzlib_version() && archive_read_support_filter_bzip2(x.a) < ARCHIVE_WARN) ||
        (archive_liblzma_version() && archive_read_support_filter_xz(x.a) < ARCHIVE_WARN) ||
        (archive_libzstd_version() && archive_read_support_filter_zstd(x.a) < ARCHIVE_WARN) ||
        archive_read_support_format_zip(x.a) < ARCHIVE_WARN ||
        archive_read_support_format_tar(x.a) < ARCHIVE_WARN) {
        sw_error_set(err, SW_EXIT_FAILURE, "cannot set up libarchive: %s",
                     archive_message(x.a, msg, sizeof(msg)));
        goto out;
    }
    if (archive_read_open_fd(x.a, archfd, SW_READ_BLOCK) < ARCHIVE_WARN) {
        sw_error_set(err, SW_EXIT_VERIFY, "cannot read archive '%s': %s", x.archive_label,
                     archive_message(x.a, msg, sizeof(msg)));
        goto out;
    }
    x.buf = sw_xmalloc(SW_COPY_CHUNK);

    for (;;) {
        struct archive_entry *e = NULL;
        int r = archive_read_next_header(x.a, &e);
        if (r == ARCHIVE_EOF)
            break;
        if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
            sw_error_set(err, SW_EXIT_VERIFY, "cannot read archive '%s': %s", x.archive_label,
                         archive_message(x.a, msg, sizeof(msg)));
            goto out;
        }
        if (extract_entry(&x, e, err) != 0)
            goto out;
    }
    if (x.entries == 0) {
        sw_error_set(err, SW_EXIT_VERIFY, "archive '%s' is empty: nothing to extract",
                     x.archive_label);
        goto out;
    }
    ret = 0;
out:
    if (x.a)
        archive_read_free(x.a);
    free(x.buf);
    sw_os_walk_close(x.root);
    if (archfd >= 0)
        sw_os_close(archfd);
    return ret;
}

int sw_archive_is_archive_name(const char *name)
{
    static const char *const suffixes[] = {
        ".zip", ".tar", ".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.zst", ".tar.bz2",
    };
    if (!name)
        return 0;
    size_t len = strlen(name);
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        size_t n = strlen(suffixes[i]);
        if (len > n && strcasecmp(name + len - n, suffixes[i]) == 0)
            return 1;
    }
    return 0;
}
