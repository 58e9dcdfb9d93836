#include "io/fs.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *sw_path_join(const char *a, const char *b)
{
    size_t la = strlen(a);
    while (la > 1 && a[la - 1] == '/')
        la--;
    while (*b == '/')
        b++;
    return sw_xasprintf("%.*s/%s", (int)la, a, b);
}

char *sw_fs_git_top(const char *dir)
{
    char *d = sw_xstrdup(dir);
    for (;;) {
        struct sw_os_stat st;
        char *git = sw_path_join(d, ".git");
        bool found = sw_os_stat(git, false, &st) == 0;
        free(git);
        if (found)
            return d;
        char *slash = strrchr(d, '/');
        if (!slash || slash[1] == '\0')
            break;
        /* "/a" goes up to "/", "C:/a" to "C:/" */
        bool root = slash == d || (slash == d + 2 && d[1] == ':');
        slash[root] = '\0';
    }
    free(d);
    return NULL;
}

int sw_fs_mkdir_p(const char *path, int mode, struct sw_error *err)
{
    char *p = sw_xstrdup(path);
    int rc = 0;
    /* a drive ("C:/") is not created */
    char *first = p + 1;
    if (SW_ON_WINDOWS && p[0] && p[1] == ':' && p[2] == '/')
        first = p + 3;
    for (char *s = first;; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char c = *s;
        *s = '\0';
        if (sw_os_mkdir(p, mode) < 0 && errno != EEXIST && !sw_fs_is_dir(p)) {
            rc = sw_error_set(err, SW_EXIT_FS, "cannot create directory '%s': %s", p,
                              strerror(errno));
            break;
        }
        *s = c;
        if (c == '\0')
            break;
    }
    if (rc == 0 && !sw_fs_is_dir(path))
        rc = sw_error_set(err, SW_EXIT_FS, "'%s' exists and is not a directory", path);
    free(p);
    return rc;
}

int sw_fs_write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        sw_ssize w = sw_os_write(fd, c, n);
        if (w < 0)
            return -1;
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

static int write_replace(const char *path, const void *data, size_t len, int mode, bool durable,
                         struct sw_error *err)
{
    char *tmp = sw_xasprintf("%s.tmp-XXXXXX", path);
    int fd = sw_os_mkstemp(tmp);
    int rc = -1;
    if (fd < 0) {
        sw_error_set(err, SW_EXIT_FS, "cannot write '%s': %s", path, strerror(errno));
        goto out;
    }
    if (sw_fs_write_all(fd, data, len) < 0) {
        sw_error_set(err, SW_EXIT_FS, "cannot write '%s': %s", path, strerror(errno));
        goto out;
    }
    if (sw_os_fchmod(fd, mode) < 0 || (durable && sw_os_fsync(fd) < 0)) {
        sw_error_set(err, SW_EXIT_FS, "cannot write '%s': %s", path, strerror(errno));
        goto out;
    }
    if (sw_os_close(fd) < 0) {
        fd = -1;
        sw_error_set(err, SW_EXIT_FS, "cannot write '%s': %s", path, strerror(errno));
        goto out;
    }
    fd = -1;
    if (sw_os_rename(tmp, path) < 0) {
        sw_error_set(err, SW_EXIT_FS, "cannot replace '%s': %s", path, strerror(errno));
        goto out;
    }
    rc = 0;
out:
    if (fd >= 0)
        sw_os_close(fd);
    if (rc < 0)
        sw_os_unlink(tmp);
    free(tmp);
    return rc;
}

int sw_fs_write_atomic(const char *path, const void *data, size_t len, int mode,
                       struct sw_error *err)
{
    return write_replace(path, data, len, mode, true, err);
}

int sw_fs_write_replace(const char *path, const void *data, size_t len, int mode,
                        struct sw_error *err)
{
    return write_replace(path, data, len, mode, false, err);
}

int sw_fs_copy_atomic(const char *src, const char *dest, int mode, struct sw_error *err)
{
    char *tmp = sw_xasprintf("%s.tmp-XXXXXX", dest);
    int in = sw_os_open(src, SW_O_RDONLY, 0), out = -1, rc = -1;
    if (in < 0) {
        sw_error_set(err, SW_EXIT_FS, "cannot read '%s': %s", src, strerror(errno));
        goto out;
    }
    if ((out = sw_os_mkstemp(tmp)) < 0) {
        sw_error_set(err, SW_EXIT_FS, "cannot write '%s': %s", dest, strerror(errno));
        goto out;
    }
    if (sw_os_copy_fd(in, out) < 0) {
        sw_error_set(err, SW_EXIT_FS, "cannot copy '%s' to '%s': %s", src, dest, strerror(errno));
        goto out;
    }
    if (sw_os_fchmod(out, mode) < 0 || sw_os_fsync(out) < 0 || sw_os_close(out) < 0) {
        out = -1;
        sw_error_set(err, SW_EXIT_FS, "cannot write '%s': %s", dest, strerror(errno));
        goto out;
    }
    out = -1;
    if (sw_os_rename(tmp, dest) < 0) {
        sw_error_set(err, SW_EXIT_FS, "cannot replace '%s': %s", dest, strerror(errno));
        goto out;
    }
    rc = 0;
out:
    if (in >= 0)
        sw_os_close(in);
    if (out >= 0)
        sw_os_close(out);
    if (rc < 0)
        sw_os_unlink(tmp);
    free(tmp);
    return rc;
}

int sw_fs_map(const char *path, const unsigned char **data, size_t *len, struct sw_error *err)
{
    static const unsigned char empty[1];
    struct sw_os_stat st;
    int fd = sw_os_open(path, SW_O_RDONLY, 0);
    if (fd < 0 || sw_os_fstat(fd, &st) < 0) {
        int e = errno;
        if (fd >= 0)
            sw_os_close(fd);
        return sw_error_set(err, SW_EXIT_FS, "cannot read '%s': %s", path, strerror(e));
    }
    *len = (size_t)st.size;
    *data = empty;
    if (st.size > 0) {
        const unsigned char *m = sw_os_map(fd, (size_t)st.size);
        if (!m) {
            int e = errno;
            sw_os_close(fd);
            return sw_error_set(err, SW_EXIT_FS, "cannot read '%s': %s", path, strerror(e));
        }
        *data = m;
    }
    sw_os_close(fd);
    return 0;
}

void sw_fs_unmap(const unsigned char *data, size_t len)
{
    if (len > 0)
        sw_os_unmap(data, len);
}

static int read_fd(int fd, const char *path, size_t max, struct sw_buf *out, int *errno_out,
                   struct sw_error *err);

int sw_fs_read(const char *path, size_t max, struct sw_buf *out, int *errno_out,
               struct sw_error *err)
{
    int fd = sw_os_open(path, SW_O_RDONLY, 0);
    if (fd < 0) {
        if (errno_out)
            *errno_out = errno;
        return sw_error_set(err, SW_EXIT_FS, "cannot read '%s': %s", path, strerror(errno));
    }
    return read_fd(fd, path, max, out, errno_out, err);
}

const char *sw_fs_kind(enum sw_os_kind kind)
{
    switch (kind) {
    case SW_OS_DIR: return "a directory";
    case SW_OS_CHR: return "a character device";
    case SW_OS_BLK: return "a block device";
    case SW_OS_FIFO: return "a FIFO (named pipe)";
    case SW_OS_SOCK: return "a socket";
    case SW_OS_LINK: return "a symbolic link";
    default: return "not a regular file";
    }
}

int sw_fs_open_regular(const char *path, struct sw_os_stat *st, int *errno_out,
                       struct sw_error *err)
{
    int fd = sw_os_open(path, SW_O_RDONLY | SW_O_NOFOLLOW | SW_O_NONBLOCK, 0);
    int e = errno;
    if (fd >= 0 && sw_os_fstat(fd, st) < 0) {
        e = errno;
        sw_os_close(fd);
        fd = -1;
    } else if (fd >= 0 && st->kind != SW_OS_REG) {
        sw_os_close(fd);
        if (errno_out)
            *errno_out = EINVAL;
        return sw_error_set(err, SW_EXIT_FS, "'%s' is not a regular file but %s", path,
                            sw_fs_kind(st->kind));
    }
    if (fd < 0) {
        if (errno_out)
            *errno_out = e;
        return sw_error_set(err, SW_EXIT_FS, "cannot read '%s': %s", path,
                            e == ELOOP ? "it is a symbolic link" : strerror(e));
    }
    return fd;
}

int sw_fs_read_regular(const char *path, size_t max, struct sw_buf *out, struct sw_error *err)
{
    struct sw_os_stat st;
    int fd = sw_fs_open_regular(path, &st, NULL, err);
    if (fd < 0)
        return -1;
    if (st.size <= max) /* one read for the bytes, one more that finds the end */
        sw_buf_grow(out, (size_t)st.size + 65536);
    return read_fd(fd, path, max, out, NULL, err);
}

void sw_fs_stamp(const struct sw_os_stat *st, char *out, size_t n)
{
    snprintf(out, n, "%llu:%lld.%09lld:%lld.%09lld:%llu:%llu", (unsigned long long)st->size,
             (long long)(st->mtime_ns / 1000000000), (long long)(st->mtime_ns % 1000000000),
             (long long)(st->ctime_ns / 1000000000), (long long)(st->ctime_ns % 1000000000),
             (unsigned long long)st->dev, (unsigned long long)st->ino);
}

int sw_fs_hash_fd(int fd, const char *path, uint64_t max, int copy_fd, unsigned char md[32],
                  uint64_t *size, struct sw_error *err)
{
    unsigned char buf[65536];
    uint64_t total = 0;
    int rc = -1;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
        sw_error_set(err, SW_EXIT_FAILURE, "cannot hash '%s': OpenSSL has no SHA-256", path);
        goto out;
    }
    for (;;) {
        /* never more than max + 1 bytes: one past the limit is enough to refuse */
        uint64_t left = max - total + 1;
        sw_ssize r = sw_os_read(fd, buf, left < sizeof(buf) ? (size_t)left : sizeof(buf));
        if (r < 0) {
            sw_error_set(err, SW_EXIT_FS, "cannot read '%s': %s", path, strerror(errno));
            goto out;
        }
        if (r == 0)
            break;
        total += (uint64_t)r;
        if (total > max) {
            sw_error_set(err, SW_EXIT_VERIFY, "'%s' has more than %llu bytes", path,
                         (unsigned long long)max);
            goto out;
        }
        EVP_DigestUpdate(ctx, buf, (size_t)r);
        for (sw_ssize done = 0, w; copy_fd >= 0 && done < r; done += w) {
            w = sw_os_write(copy_fd, buf + done, (size_t)(r - done));
            if (w < 0) {
                sw_error_set(err, SW_EXIT_FS, "cannot copy '%s': %s", path, strerror(errno));
                goto out;
            }
        }
    }
    EVP_DigestFinal_ex(ctx, md, NULL);
    *size = total;
    rc = 0;
out:
    EVP_MD_CTX_free(ctx);
    return rc;
}

static int read_fd(int fd, const char *path, size_t max, struct sw_buf *out, int *errno_out,
                   struct sw_error *err)
{
    size_t start = out->len;
    for (;;) {
        sw_buf_grow(out, 65536);
        /* into all the room there is: a buffer sized from fstat takes the file in one read */
        sw_ssize n = sw_os_read(fd, out->data + out->len, out->cap - out->len - 1);
        if (n < 0) {
            int e = errno;
            sw_os_close(fd);
            if (errno_out)
                *errno_out = e;
            return sw_error_set(err, SW_EXIT_FS, "cannot read '%s': %s", path, strerror(e));
        }
        if (n == 0)
            break;
        out->len += (size_t)n;
        out->data[out->len] = '\0';
        if (out->len - start > max) {
            sw_os_close(fd);
            if (errno_out)
                *errno_out = EFBIG;
            return sw_error_set(err, SW_EXIT_FS, "'%s' is larger than %zu bytes", path, max);
        }
    }
    sw_os_close(fd);
    return 0;
}

/* Removes path (never following a link: a link is removed, not what it points to); depth
 * bounds the recursion. */
static int rm_tree(const char *path, int depth)
{
    struct sw_os_stat st;
    if (sw_os_stat(path, false, &st) < 0)
        return errno == ENOENT ? 0 : -1;
    if (st.kind != SW_OS_DIR) {
        if (sw_os_unlink(path) == 0 || errno == ENOENT)
            return 0;
        /* Windows: a directory junction or link unlinks as a directory */
        return (SW_ON_WINDOWS && st.kind == SW_OS_LINK && sw_os_rmdir(path) == 0) ? 0 : -1;
    }
    if (depth > 64) {
        errno = ELOOP;
        return -1;
    }
    struct sw_os_dir *d = sw_os_opendir(path);
    if (!d)
        return errno == ENOENT ? 0 : -1;
    int rc = 0;
    for (const char *name; rc == 0 && (name = sw_os_readdir(d));) {
        char *child = sw_path_join(path, name);
        rc = rm_tree(child, depth + 1);
        free(child);
    }
    int e = errno;
    sw_os_closedir(d);
    if (rc < 0) {
        errno = e;
        return -1;
    }
    return (sw_os_rmdir(path) == 0 || errno == ENOENT) ? 0 : -1;
}

int sw_fs_rm_rf(const char *path, struct sw_error *err)
{
    if (rm_tree(path, 0) < 0)
        return sw_error_set(err, SW_EXIT_FS, "cannot remove '%s': %s", path, strerror(errno));
    return 0;
}

bool sw_fs_is_dir(const char *path)
{
    struct sw_os_stat st;
    return sw_os_stat(path, true, &st) == 0 && st.kind == SW_OS_DIR;
}

bool sw_fs_is_file(const char *path)
{
    struct sw_os_stat st;
    return sw_os_stat(path, true, &st) == 0 && st.kind == SW_OS_REG;
}

int sw_fs_lock(const char *path, struct sw_error *err)
{
    int fd = sw_os_open(path, SW_O_RDWR | SW_O_CREAT | SW_O_NOFOLLOW | SW_O_NONBLOCK, 0644);
    if (fd < 0 && errno == ELOOP)
        return sw_error_set(err, SW_EXIT_FS,
                            "lock '%s' is a symbolic link: refusing to follow it; remove it", path);
    if (fd < 0)
        return sw_error_set(err, SW_EXIT_FS, "cannot open lock '%s': %s", path, strerror(errno));
    struct sw_os_stat st;
    if (sw_os_fstat(fd, &st) < 0 || st.kind != SW_OS_REG) {
        sw_os_close(fd);
        return sw_error_set(err, SW_EXIT_FS, "lock '%s' is not a regular file; remove it", path);
    }
    if (sw_os_lock(fd) < 0) {
        int e = errno;
        sw_os_close(fd);
        return sw_error_set(err, SW_EXIT_FS, "cannot lock '%s': %s", path, strerror(e));
    }
    return fd;
}

void sw_fs_unlock(int fd)
{
    if (fd >= 0) {
        sw_os_unlock(fd);
        sw_os_close(fd);
    }
}

/* The length of the root of a '/'-separated absolute path: "/" or a drive's "C:/". */
static size_t root_len(const char *p)
{
    bool drive = ((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z')) && p[1] == ':';
    return drive ? (p[2] == '/' ? 3 : 2) : p[0] == '/';
}

static bool is_dots(const char *s, size_t n)
{
    return (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.');
}

char *sw_fs_normalize(const char *abs)
{
    size_t rl = root_len(abs), len = strlen(abs);
    bool dots = false;
    for (size_t i = rl; i < len;) {
        size_t n = strcspn(abs + i, "/");
        dots = dots || is_dots(abs + i, n);
        i += n + (abs[i + n] == '/');
    }
    if (!dots)
        return sw_xstrdup(abs);
    /* the longest prefix (ending at a part) that exists, as the system resolves it */
    char *base = NULL;
    size_t done = len;
    for (;;) {
        char *prefix = sw_xstrndup(abs, done);
        struct sw_os_stat st;
        if (done > rl && sw_os_stat(prefix, true, &st) == 0)
            base = sw_os_realpath(prefix);
        free(prefix);
        if (base || done <= rl)
            break;
        while (done > rl && abs[done - 1] != '/')
            done--;
        while (done > rl && abs[done - 1] == '/')
            done--;
    }
    struct sw_buf out = SW_BUF_INIT;
    if (base)
        sw_buf_adds(&out, base);
    else
        sw_buf_add(&out, abs, rl);
    free(base);
    size_t orl = root_len(sw_buf_str(&out));
    /* the rest does not exist: lexically */
    for (size_t i = done; i < len;) {
        while (abs[i] == '/')
            i++;
        size_t n = strcspn(abs + i, "/");
        if (n == 2 && abs[i] == '.' && abs[i + 1] == '.') {
            while (out.len > orl && out.data[out.len - 1] != '/')
                out.len--;
            while (out.len > orl && out.data[out.len - 1] == '/')
                out.len--;
            out.data[out.len] = '\0';
        } else if (n > 0 && !is_dots(abs + i, n)) {
            if (out.len > orl || (out.len > 0 && out.data[out.len - 1] != '/'))
                sw_buf_adds(&out, "/");
            sw_buf_add(&out, abs + i, n);
        }
        i += n;
    }
    char *r = sw_xstrdup(sw_buf_str(&out));
    sw_buf_free(&out);
    return r;
}
