#define _GNU_SOURCE /* nftw, copy_file_range */
#include "io/fs.h"

#include <errno.h>
#include <openssl/evp.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

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
        struct stat st;
        char *git = sw_path_join(d, ".git");
        bool found = lstat(git, &st) == 0;
        free(git);
        if (found)
            return d;
        char *slash = strrchr(d, '/');
        if (!slash || (slash == d && d[1] == '\0'))
            break;
        slash[slash == d] = '\0'; /* "/a" goes up to "/" */
    }
    free(d);
    return NULL;
}

int sw_fs_mkdir_p(const char *path, int mode, struct sw_error *err)
{
    char *p = sw_xstrdup(path);
    int rc = 0;
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char c = *s;
        *s = '\0';
        if (mkdir(p, (mode_t)mode) < 0 && errno != EEXIST) {
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

int sw_fs_write_atomic(const char *path, const void *data, size_t len, int mode,
                       struct sw_error *err)
{
    char *tmp = sw_xasprintf("%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp);
    int rc = -1;
    if (fd < 0) {
        sw_error_set(err, SW_EXIT_FS, "cannot write '%s': %s", path, strerror(errno));
        goto out;
    }
    const char *p = data;
    size_t left = len;
    while (left > 0) {
        ssize_t n = write(fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            sw_error_set(err, SW_EXIT_FS, "cannot write '%s': %s", path, strerror(errno));
            goto out;
        }
        p += n;
        left -= (size_t)n;
    }
    if (fchmod(fd, (mode_t)mode) < 0 || fsync(fd) < 0) {
        sw_error_set(err, SW_EXIT_FS, "cannot write '%s': %s", path, strerror(errno));
        goto out;
    }
    if (close(fd) < 0) {
        fd = -1;
        sw_error_set(err, SW_EXIT_FS, "cannot write '%s': %s", path, strerror(errno));
        goto out;
    }
    fd = -1;
    if (rename(tmp, path) < 0) {
        sw_error_set(err, SW_EXIT_FS, "cannot replace '%s': %s", path, strerror(errno));
        goto out;
    }
    rc = 0;
out:
    if (fd >= 0)
        close(fd);
    if (rc < 0)
        unlink(tmp);
    free(tmp);
    return rc;
}

int sw_fs_copy_atomic(const char *src, const char *dest, int mode, struct sw_error *err)
{
    char *tmp = sw_xasprintf("%s.tmp-XXXXXX", dest);
    int in = open(src, O_RDONLY | O_CLOEXEC), out = -1, rc = -1;
    if (in < 0) {
        sw_error_set(err, SW_EXIT_FS, "cannot read '%s': %s", src, strerror(errno));
        goto out;
    }
    if ((out = mkstemp(tmp)) < 0) {
        sw_error_set(err, SW_EXIT_FS, "cannot write '%s': %s", dest, strerror(errno));
        goto out;
    }
    for (;;) {
        ssize_t n = copy_file_range(in, NULL, out, NULL, 1u << 30, 0);
        if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EOPNOTSUPP || errno == EINVAL)) {
            /* no kernel copy between these filesystems: through a buffer */
            char buf[65536];
            while ((n = read(in, buf, sizeof(buf))) > 0)
                if (write(out, buf, (size_t)n) != n) {
                    n = -1;
                    break;
                }
        }
        if (n < 0) {
            sw_error_set(err, SW_EXIT_FS, "cannot copy '%s' to '%s': %s", src, dest,
                         strerror(errno));
            goto out;
        }
        if (n == 0)
            break;
    }
    if (fchmod(out, (mode_t)mode) < 0 || fsync(out) < 0 || close(out) < 0) {
        out = -1;
        sw_error_set(err, SW_EXIT_FS, "cannot write '%s': %s", dest, strerror(errno));
        goto out;
    }
    out = -1;
    if (rename(tmp, dest) < 0) {
        sw_error_set(err, SW_EXIT_FS, "cannot replace '%s': %s", dest, strerror(errno));
        goto out;
    }
    rc = 0;
out:
    if (in >= 0)
        close(in);
    if (out >= 0)
        close(out);
    if (rc < 0)
        unlink(tmp);
    free(tmp);
    return rc;
}

int sw_fs_map(const char *path, const unsigned char **data, size_t *len, struct sw_error *err)
{
    static const unsigned char empty[1];
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) < 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return sw_error_set(err, SW_EXIT_FS, "cannot read '%s': %s", path, strerror(e));
    }
    *len = (size_t)st.st_size;
    *data = empty;
    if (st.st_size > 0) {
        void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m == MAP_FAILED) {
            int e = errno;
            close(fd);
            return sw_error_set(err, SW_EXIT_FS, "cannot read '%s': %s", path, strerror(e));
        }
        *data = m;
    }
    close(fd);
    return 0;
}

void sw_fs_unmap(const unsigned char *data, size_t len)
{
    if (len > 0)
        munmap((void *)data, len);
}

static int read_fd(int fd, const char *path, size_t max, struct sw_buf *out, int *errno_out,
                   struct sw_error *err);

int sw_fs_read(const char *path, size_t max, struct sw_buf *out, int *errno_out,
               struct sw_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno_out)
            *errno_out = errno;
        return sw_error_set(err, SW_EXIT_FS, "cannot read '%s': %s", path, strerror(errno));
    }
    return read_fd(fd, path, max, out, errno_out, err);
}

const char *sw_fs_kind(mode_t mode)
{
    return S_ISDIR(mode)    ? "a directory"
           : S_ISCHR(mode)  ? "a character device"
           : S_ISBLK(mode)  ? "a block device"
           : S_ISFIFO(mode) ? "a FIFO (named pipe)"
           : S_ISSOCK(mode) ? "a socket"
                            : "not a regular file";
}

int sw_fs_open_regular(const char *path, struct stat *st, int *errno_out, struct sw_error *err)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    int e = errno;
    if (fd >= 0 && fstat(fd, st) < 0) {
        e = errno;
        close(fd);
        fd = -1;
    } else if (fd >= 0 && !S_ISREG(st->st_mode)) {
        close(fd);
        if (errno_out)
            *errno_out = EINVAL;
        return sw_error_set(err, SW_EXIT_FS, "'%s' is not a regular file but %s", path,
                            sw_fs_kind(st->st_mode));
    }
    if (fd < 0) {
        if (errno_out)
            *errno_out = e;
        return sw_error_set(err, SW_EXIT_FS, "cannot read '%s': %s", path,
                            e == ELOOP ? "it is a symbolic link" : strerror(e));
    }
    /* reads of a regular file do not block; the flag was for the open */
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return fd;
}

int sw_fs_read_regular(const char *path, size_t max, struct sw_buf *out, struct sw_error *err)
{
    struct stat st;
    int fd = sw_fs_open_regular(path, &st, NULL, err);
    return fd < 0 ? -1 : read_fd(fd, path, max, out, NULL, err);
}

void sw_fs_stamp(const struct stat *st, char *out, size_t n)
{
    snprintf(out, n, "%lld:%lld.%09ld:%lld.%09ld:%llu:%llu", (long long)st->st_size,
             (long long)st->st_mtim.tv_sec, (long)st->st_mtim.tv_nsec,
             (long long)st->st_ctim.tv_sec, (long)st->st_ctim.tv_nsec,
             (unsigned long long)st->st_dev, (unsigned long long)st->st_ino);
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
        ssize_t r = read(fd, buf, left < sizeof(buf) ? (size_t)left : sizeof(buf));
        if (r < 0 && errno == EINTR)
            continue;
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
        for (ssize_t done = 0, w; copy_fd >= 0 && done < r; done += w) {
            w = write(copy_fd, buf + done, (size_t)(r - done));
            if (w < 0 && errno == EINTR) {
                w = 0;
            } else if (w < 0) {
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
        ssize_t n = read(fd, out->data + out->len, 65536);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            close(fd);
            if (errno_out)
                *errno_out = e;
            return sw_error_set(err, SW_EXIT_FS, "cannot read '%s': %s", path, strerror(e));
        }
        if (n == 0)
            break;
        out->len += (size_t)n;
        out->data[out->len] = '\0';
        if (out->len - start > max) {
            close(fd);
            if (errno_out)
                *errno_out = EFBIG;
            return sw_error_set(err, SW_EXIT_FS, "'%s' is larger than %zu bytes", path, max);
        }
    }
    close(fd);
    return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)ftw;
    int r = (flag == FTW_DP) ? rmdir(path) : unlink(path);
    return (r < 0 && errno != ENOENT) ? -1 : 0;
}

int sw_fs_rm_rf(const char *path, struct sw_error *err)
{
    struct stat st;
    if (lstat(path, &st) < 0)
        return errno == ENOENT ? 0
                               : sw_error_set(err, SW_EXIT_FS, "cannot remove '%s': %s", path,
                                              strerror(errno));
    if (nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS) < 0)
        return sw_error_set(err, SW_EXIT_FS, "cannot remove '%s': %s", path, strerror(errno));
    return 0;
}

bool sw_fs_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool sw_fs_is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int sw_fs_lock(const char *path, struct sw_error *err)
{
    int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
    if (fd < 0 && errno == ELOOP)
        return sw_error_set(err, SW_EXIT_FS,
                            "lock '%s' is a symbolic link: refusing to follow it; remove it", path);
    if (fd < 0)
        return sw_error_set(err, SW_EXIT_FS, "cannot open lock '%s': %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return sw_error_set(err, SW_EXIT_FS, "lock '%s' is not a regular file; remove it", path);
    }
    while (flock(fd, LOCK_EX) < 0) {
        if (errno == EINTR)
            continue;
        int e = errno;
        close(fd);
        return sw_error_set(err, SW_EXIT_FS, "cannot lock '%s': %s", path, strerror(e));
    }
    return fd;
}

void sw_fs_unlock(int fd)
{
    if (fd >= 0) {
        flock(fd, LOCK_UN);
        close(fd);
    }
}
