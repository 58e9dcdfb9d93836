#include "io/archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "io/archive_internal.h"
#include "io/fs.h"
#include "os/os.h"

#define SW_DEFAULT_MAX_BYTES ((uint64_t)1 << 30)
#define SW_DEFAULT_MAX_ENTRIES ((uint64_t)10000)
#define SW_COPY_CHUNK ((size_t)64 * 1024)
#define SW_READ_BLOCK ((size_t)64 * 1024)
#define SW_MIB ((uint64_t)1 << 20)

/* Where sw_archive_extract_cb's bytes come from, and what its read() said. */
struct source {
    sw_ssize (*read)(void *ud, void *buf, size_t n, struct sw_error *err);
    void *ud;
    char *buf;
    bool eof;    /* read() returned 0: never called again */
    bool failed; /* read() returned -1: err holds its error */
    struct sw_error err;
};

const char *sw_archive_message(struct archive *a, char *dst, size_t n)
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

/* The error for a failed libarchive read: the source's own when its read() failed (class and
 * message unchanged), else libarchive's message, naming the entry when there is one. */
static int read_error(const struct extract *x, const char *entry, struct sw_error *err)
{
    char msg[512];
    if (x->src && x->src->failed) {
        if (err)
            *err = x->src->err;
        return -1;
    }
    sw_archive_message(x->a, msg, sizeof(msg));
    if (entry)
        return sw_error_set(err, SW_EXIT_VERIFY, "cannot read archive '%s': entry '%s': %s",
                            x->archive_label, entry, msg);
    return sw_error_set(err, SW_EXIT_VERIFY, "cannot read archive '%s': %s", x->archive_label, msg);
}

int sw_archive_callback_error(const char *label, struct sw_error *err)
{
    if (err && err->code == 0)
        sw_error_set(err, SW_EXIT_FAILURE,
                     "extraction stopped at archive entry '%s' by its caller without a reason",
                     label);
    return -1;
}

/* Names the entry types we refuse, or returns NULL for a regular file or directory, and for a
 * symbolic link when links are allowed (sw_archive_extract_link checks it further). */
static const char *refused_type(struct archive_entry *e, bool allow_links)
{
    if (archive_entry_hardlink(e))
        return "a hard link";
    if (allow_links && archive_entry_filetype(e) == AE_IFLNK)
        return NULL;
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
                     "refusing to extract",
                     label);
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

void sw_archive_prefix_label(char *dst, size_t n, const char *s, size_t len)
{
    char *prefix = sw_xstrndup(s, len);
    sw_sanitize(dst, n, prefix);
    free(prefix);
}

/* Each component is opened without following a link (os.h: sw_os_walk), so a symlink already
 * in the tree cannot redirect the walk. */
struct sw_os_walk *sw_archive_open_dirs(struct extract *x, const char *rel, size_t len,
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
            sw_archive_prefix_label(part, sizeof(part), rel, i + n);
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

static int extract_file(struct extract *x, struct archive_entry *e, const char *rel,
                        const char *label, struct sw_error *err)
{
    int ret = -1;
    struct sw_os_walk *dir = NULL;
    int fd = -1;

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
    dir = sw_archive_open_dirs(x, rel, slash ? (size_t)(slash - rel) : 0, label, err);
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

    bool digest = x->cb && x->cb->on_file;
    if (digest && !EVP_DigestInit_ex(x->md, EVP_sha256(), NULL)) {
        sw_error_set(err, SW_EXIT_FAILURE, "cannot hash '%s': OpenSSL has no SHA-256", label);
        goto out;
    }
    uint64_t size = 0;
    for (;;) {
        la_ssize_t n = archive_read_data(x->a, x->buf, SW_COPY_CHUNK);
        if (n == 0)
            break;
        if (n < 0) {
            read_error(x, label, err);
            goto out;
        }
        if ((uint64_t)n > x->max_bytes - x->bytes) {
            bomb_error(x, err);
            goto out;
        }
        x->bytes += (uint64_t)n;
        size += (uint64_t)n;
        if (sw_fs_write_all(fd, x->buf, (size_t)n) != 0) {
            sw_error_set(err, SW_EXIT_FS, "cannot write '%s/%s': %s", x->dest, label,
                         strerror(errno));
            goto out;
        }
        if (digest)
            EVP_DigestUpdate(x->md, x->buf, (size_t)n);
    }

    /* the mode exactly, whatever the umask; before the stamp on_file takes (chmod moves ctime) */
    if (sw_os_fchmod(fd, mode) != 0) {
        sw_error_set(err, SW_EXIT_FS, "cannot set the mode of '%s/%s': %s", x->dest, label,
                     strerror(errno));
        goto out;
    }
    if (digest) {
        unsigned char md[32];
        struct sw_os_stat st;
        EVP_DigestFinal_ex(x->md, md, NULL);
        if (sw_os_fstat(fd, &st) != 0) {
            sw_error_set(err, SW_EXIT_FS, "cannot stat '%s/%s': %s", x->dest, label,
                         strerror(errno));
            goto out;
        }
        if (x->cb->on_file(x->cb->ud, rel, md, size, &st, err) != 0) {
            sw_archive_callback_error(label, err);
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

    bool links = x->cb && x->cb->allow_symlinks;
    const char *type = refused_type(e, links);
    if (type) {
        sw_error_set(err, SW_EXIT_VERIFY, "archive entry '%s' is %s: refusing to extract", label,
                     type);
        goto out;
    }

    if (archive_entry_filetype(e) == AE_IFDIR) {
        /* "./" names the destination itself, which exists already. */
        if (rel[0]) {
            struct sw_os_walk *d = sw_archive_open_dirs(x, rel, strlen(rel), label, err);
            if (!d)
                goto out;
            if (d != x->root)
                sw_os_walk_close(d);
        }
    } else if (rel[0] == '\0') {
        sw_error_set(err, SW_EXIT_VERIFY,
                     "archive entry '%s' names the destination itself: refusing to extract", label);
        goto out;
    } else if (archive_entry_filetype(e) == AE_IFLNK) {
        if (sw_archive_extract_link(x, e, rel, label, err) != 0)
            goto out;
    } else if (extract_file(x, e, rel, label, err) != 0) {
        goto out;
    }
    ret = 0;
out:
    free(rel);
    return ret;
}

/* Sets up x for dest and limits; `label` names the archive in messages. */
static int begin(struct extract *x, const char *label, const char *dest,
                 const struct sw_extract_limits *limits, struct sw_error *err)
{
    char msg[512];
    x->dest = dest;
    sw_sanitize(x->archive_label, sizeof(x->archive_label), label);
    x->max_bytes = limits && limits->max_bytes ? limits->max_bytes : SW_DEFAULT_MAX_BYTES;
    x->max_entries = limits && limits->max_entries ? limits->max_entries : SW_DEFAULT_MAX_ENTRIES;
    x->cb = limits;
    if (limits && limits->on_file && !(x->md = EVP_MD_CTX_new())) {
        sw_error_set(err, SW_EXIT_FAILURE, "cannot set up SHA-256: out of memory");
        return -1;
    }
    x->root = sw_os_walk_open(dest);
    if (!x->root) {
        sw_error_set(err, SW_EXIT_FS, "cannot open destination '%s': %s", dest, strerror(errno));
        return -1;
    }

    /* Filters are listed rather than "all": archive_read_support_filter_all() also enables
     * lrzip, grzip and lzop, which libarchive runs as external programs on the input. The tar
     * reader covers ustar, pax and GNU tar (libarchive has no separate readers for them). */
    x->a = archive_read_new();
    if (!x->a) {
        sw_error_set(err, SW_EXIT_FAILURE, "cannot set up libarchive: out of memory");
        return -1;
    }
    /* A filter whose library libarchive was built without falls back to running an external
     * program (bzip2, xz, zstd) on the input: only the filters linked in are enabled, so the
     * lean release build (zlib only) reads gzip and zip and never runs a program. */
    if ((archive_zlib_version() && archive_read_support_filter_gzip(x->a) < ARCHIVE_WARN) ||
        (archive_bzlib_version() && archive_read_support_filter_bzip2(x->a) < ARCHIVE_WARN) ||
        (archive_liblzma_version() && archive_read_support_filter_xz(x->a) < ARCHIVE_WARN) ||
        (archive_libzstd_version() && archive_read_support_filter_zstd(x->a) < ARCHIVE_WARN) ||
        archive_read_support_format_zip(x->a) < ARCHIVE_WARN ||
        archive_read_support_format_tar(x->a) < ARCHIVE_WARN) {
        sw_error_set(err, SW_EXIT_FAILURE, "cannot set up libarchive: %s",
                     sw_archive_message(x->a, msg, sizeof(msg)));
        return -1;
    }
    x->buf = sw_xmalloc(SW_COPY_CHUNK);
    return 0;
}

/* Extracts every entry of the opened archive. */
static int extract_all(struct extract *x, struct sw_error *err)
{
    for (;;) {
        struct archive_entry *e = NULL;
        int r = archive_read_next_header(x->a, &e);
        if (r == ARCHIVE_EOF)
            break;
        if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
            return read_error(x, NULL, err);
        if (extract_entry(x, e, err) != 0)
            return -1;
    }
    if (x->entries == 0)
        return sw_error_set(err, SW_EXIT_VERIFY, "archive '%s' is empty: nothing to extract",
                            x->archive_label);
    return 0;
}

static void end(struct extract *x)
{
    if (x->a)
        archive_read_free(x->a);
    if (x->disk)
        archive_write_free(x->disk);
    EVP_MD_CTX_free(x->md);
    free(x->buf);
    sw_os_walk_close(x->root);
}

int sw_archive_extract(const char *archive_path, const char *dest,
                       const struct sw_extract_limits *limits, struct sw_error *err)
{
    int ret = -1;
    int archfd = -1;
    struct sw_os_stat st;
    struct extract x = {0};

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
    const char *base = strrchr(archive_path, '/');
    if (begin(&x, base && base[1] ? base + 1 : archive_path, dest, limits, err) != 0)
        goto out;
    /* the descriptor, not read(): libarchive seeks in a file, so a zip is read through its
     * central directory (its unix modes and symlinks), not streamed */
    if (archive_read_open_fd(x.a, archfd, SW_READ_BLOCK) < ARCHIVE_WARN) {
        read_error(&x, NULL, err);
        goto out;
    }
    ret = extract_all(&x, err);
out:
    end(&x);
    if (archfd >= 0)
        sw_os_close(archfd);
    return ret;
}

/* Pulls the next block from the source for libarchive; -1 (ARCHIVE_FATAL) when read() failed,
 * with its error kept. */
static la_ssize_t source_read(struct archive *a, void *ud, const void **buf)
{
    struct source *s = ud;
    *buf = s->buf;
    if (s->failed)
        return -1;
    if (s->eof)
        return 0;
    sw_ssize n = s->read(s->ud, s->buf, SW_READ_BLOCK, &s->err);
    if (n < 0 || (size_t)n > SW_READ_BLOCK) {
        if (n >= 0)
            sw_error_set(&s->err, SW_EXIT_FAILURE,
                         "the archive's source returned %lld bytes for %zu asked", (long long)n,
                         SW_READ_BLOCK);
        else if (s->err.code == 0)
            sw_error_set(&s->err, SW_EXIT_FAILURE, "the archive's source failed without a reason");
        s->failed = true;
        if (a)
            archive_set_error(a, EIO, "the source failed");
        return -1;
    }
    if (n == 0)
        s->eof = true;
    return (la_ssize_t)n;
}

int sw_archive_extract_cb(sw_ssize (*read)(void *ud, void *buf, size_t n, struct sw_error *err),
                          void *ud, const char *what, const char *dest,
                          const struct sw_extract_limits *limits, struct sw_error *err)
{
    int ret = -1;
    struct extract x = {0};
    struct source src = {.read = read, .ud = ud};

    src.buf = sw_xmalloc(SW_READ_BLOCK);
    x.src = &src;
    if (begin(&x, what, dest, limits, err) != 0)
        goto out;
    if (archive_read_open2(x.a, &src, NULL, source_read, NULL, NULL) < ARCHIVE_WARN) {
        read_error(&x, NULL, err);
        goto out;
    }
    if (extract_all(&x, err) != 0)
        goto out;
    /* the bytes after the archive's end (tar's padding, anything appended) still go through
     * read(), for a digest the source computes over the whole download */
    while (!src.eof) {
        const void *unused;
        if (source_read(NULL, &src, &unused) < 0) {
            if (err)
                *err = src.err;
            goto out;
        }
    }
    ret = 0;
out:
    end(&x);
    free(src.buf);
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
