/* The disk side of a tree (tree.h): sw_tree_scan records what a root holds, sw_tree_verify
 * proves a root against the records, trusting unchanged stamps. */
#include "io/tree.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/hex.h"
#include "io/fs.h"
#include "io/tree_internal.h"
#include "os/os.h"

#define TREE_HASH_CHUNK ((size_t)512 * 1024)
#define TREE_SCAN_DEPTH 256
#define TREE_EMPTY_DEPTH 32
/* seconds a directory's stamp must be old before verify trusts it: a change within the same
 * timestamp tick as the stamp could not be told apart */
#define TREE_DIR_SETTLE_S 2

/* ---- reading the disk ---- */

/* What verify and scan share: the path being looked at, the hasher, the link reader. */
struct walk {
    struct sw_tree *t;
    struct sw_buf path; /* root '/' rel */
    size_t root_len;    /* of root '/' */
    EVP_MD *sha256;
    EVP_MD_CTX *ctx;
    unsigned char *buf;
    struct archive *disk; /* libarchive's disk reader: the portable readlink io/ has */
};

static void walk_begin(struct walk *w, struct sw_tree *t, const char *root)
{
    memset(w, 0, sizeof(*w));
    w->t = t;
    size_t n = strlen(root);
    while (n > 1 && root[n - 1] == '/')
        n--;
    sw_buf_add(&w->path, root, n);
    sw_buf_add(&w->path, "/", 1);
    w->root_len = w->path.len;
}

/* The hasher and its buffer, set up for the first file hashed: a warm verify hashes none, and
 * OpenSSL's first fetch reads its configuration file. */
static int hasher(struct walk *w, struct sw_error *err)
{
    if (w->ctx)
        return 0;
    w->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    w->ctx = EVP_MD_CTX_new();
    if (!w->sha256 || !w->ctx) {
        EVP_MD_free(w->sha256);
        EVP_MD_CTX_free(w->ctx);
        w->sha256 = NULL;
        w->ctx = NULL;
        return sw_error_set(err, SW_EXIT_FAILURE, "cannot set up SHA-256 (OpenSSL)");
    }
    w->buf = sw_xmalloc(TREE_HASH_CHUNK);
    return 0;
}

static void walk_end(struct walk *w)
{
    sw_buf_free(&w->path);
    EVP_MD_free(w->sha256);
    EVP_MD_CTX_free(w->ctx);
    free(w->buf);
    if (w->disk)
        archive_read_free(w->disk);
}

/* Points w->path at root/rel[0..n) and returns it. */
static const char *at(struct walk *w, const char *rel, size_t n)
{
    w->path.len = w->root_len;
    w->path.data[w->root_len - 1] = '/';
    sw_buf_add(&w->path, rel, n);
    if (n == 0)
        w->path.data[--w->path.len] = '\0'; /* the root itself, without its '/' */
    return w->path.data;
}

/* SHA-256 and size of the regular file at path, never through a symlink at its last
 * component; *st gets its fstat from before the first read. */
static int hash_file(struct walk *w, const char *path, struct sw_os_stat *st, unsigned char md[32],
                     uint64_t *size, int *eno, struct sw_error *err)
{
    if (hasher(w, err) != 0)
        return -1;
    int fd = sw_fs_open_regular(path, st, eno, err);
    if (fd < 0)
        return -1;
    uint64_t total = 0;
    int rc = -1;
    if (!EVP_DigestInit_ex(w->ctx, w->sha256, NULL)) {
        sw_error_set(err, SW_EXIT_FAILURE, "cannot hash '%s': OpenSSL has no SHA-256", path);
        goto out;
    }
    for (;;) {
        sw_ssize r = sw_os_read(fd, w->buf, TREE_HASH_CHUNK);
        if (r < 0) {
            *eno = errno;
            sw_error_set(err, SW_EXIT_FS, "cannot read '%s': %s", path, strerror(errno));
            goto out;
        }
        if (r == 0)
            break;
        EVP_DigestUpdate(w->ctx, w->buf, (size_t)r);
        total += (uint64_t)r;
    }
    EVP_DigestFinal_ex(w->ctx, md, NULL);
    *size = total;
    rc = 0;
out:
    sw_os_close(fd);
    return rc;
}

/* The target of the symlink at path (malloc'd), or NULL with err. */
static char *read_link(struct walk *w, const char *path, struct sw_error *err)
{
    char *target = NULL;
    if (!w->disk) {
        w->disk = archive_read_disk_new();
        if (!w->disk || archive_read_disk_set_symlink_physical(w->disk) != ARCHIVE_OK ||
            archive_read_disk_set_behavior(w->disk, ARCHIVE_READDISK_NO_XATTR |
                                                        ARCHIVE_READDISK_NO_ACL |
                                                        ARCHIVE_READDISK_NO_FFLAGS |
                                                        ARCHIVE_READDISK_NO_SPARSE) != ARCHIVE_OK) {
            sw_error_set(err, SW_EXIT_FAILURE, "cannot set up libarchive's disk reader");
            return NULL;
        }
    }
    struct archive_entry *e = archive_entry_new();
    archive_entry_copy_sourcepath(e, path);
    archive_entry_copy_pathname(e, path);
    if (archive_read_disk_entry_from_file(w->disk, e, -1, NULL) < ARCHIVE_WARN ||
        archive_entry_filetype(e) != AE_IFLNK || !archive_entry_symlink(e)) {
        const char *why = archive_error_string(w->disk);
        sw_error_set(err, SW_EXIT_FS, "cannot read the symlink '%s': %s", path,
                     why ? why : "it is not one any more");
    } else {
        target = sw_xstrdup(archive_entry_symlink(e));
    }
    archive_entry_free(e);
    return target;
}

/* ---- scan ---- */

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Records what the directory rel[0..n) holds ("" for the root). */
static int scan_dir(struct walk *w, struct sw_buf *rel, int depth, struct sw_error *err)
{
    int ret = -1;
    char **names = NULL;
    size_t count = 0, cap = 0, base = rel->len;
    const char *dir = at(w, rel->data ? rel->data : "", base);
    if (depth > TREE_SCAN_DEPTH)
        return sw_error_set(err, SW_EXIT_FS, "'%s' is nested more than %d directories deep", dir,
                            TREE_SCAN_DEPTH);
    struct sw_os_dir *d = sw_os_opendir(dir);
    if (!d)
        return sw_error_set(err, SW_EXIT_FS, "cannot list '%s': %s", dir, strerror(errno));
    for (const char *name; (name = sw_os_readdir(d)) != NULL;) {
        if (count == cap)
            names = sw_xrealloc(names, (cap = cap ? 2 * cap : 32) * sizeof(*names));
        names[count++] = sw_xstrdup(name);
    }
    sw_os_closedir(d);
    qsort(names, count, sizeof(*names), by_name);
    for (size_t i = 0; i < count; i++) {
        struct sw_os_stat st;
        unsigned char md[32];
        uint64_t size;
        int eno = 0;
        char stamp[SW_FS_STAMP_MAX];
        rel->len = base;
        if (base)
            sw_buf_add(rel, "/", 1);
        sw_buf_adds(rel, names[i]);
        const char *path = at(w, rel->data, rel->len);
        if (sw_os_stat(path, false, &st) != 0) {
            sw_error_set(err, SW_EXIT_FS, "cannot stat '%s': %s", path, strerror(errno));
            goto out;
        }
        if (st.kind == SW_OS_DIR) {
            if (scan_dir(w, rel, depth + 1, err) != 0)
                goto out;
        } else if (st.kind == SW_OS_LINK) {
            char *target = read_link(w, path, err);
            if (!target)
                goto out;
            sw_tree_add_link(w->t, rel->data, target);
            free(target);
            sw_fs_stamp(&st, stamp, sizeof(stamp));
            if (!w->t->bad.code)
                w->t->e[w->t->n - 1].stamp = sw_tree_strndup(w->t, stamp, strlen(stamp));
        } else if (st.kind == SW_OS_REG) {
            if (hash_file(w, path, &st, md, &size, &eno, err) != 0)
                goto out;
            sw_fs_stamp(&st, stamp, sizeof(stamp));
            sw_tree_add_file(w->t, rel->data, md, size, stamp);
        } else {
            sw_error_set(err, SW_EXIT_FS, "cannot record '%s': it is %s", path,
                         sw_fs_kind(st.kind));
            goto out;
        }
        if (w->t->bad.code) {
            sw_tree_fail(w->t, err);
            goto out;
        }
    }
    ret = 0;
out:
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
    rel->len = base;
    if (rel->data)
        rel->data[base] = '\0';
    return ret;
}

int sw_tree_scan(struct sw_tree *t, const char *root, struct sw_error *err)
{
    struct walk w;
    struct sw_buf rel = SW_BUF_INIT;
    if (t->bad.code)
        return sw_tree_fail(t, err);
    walk_begin(&w, t, root);
    int rc = scan_dir(&w, &rel, 0, err);
    walk_end(&w);
    sw_buf_free(&rel);
    return rc;
}

/* ---- verify ---- */

struct verify {
    struct walk w;
    struct sw_tree_verdict *v;
    int64_t now;       /* ns */
    struct sw_buf key; /* a name found in a directory, as a recorded path */
};

/* What kind of thing st is, for "'x' is now ...". */
static const char *now_kind(enum sw_os_kind k)
{
    return k == SW_OS_REG ? "a file" : k == SW_OS_LINK ? "a symlink" : sw_fs_kind(k);
}

/* Fills the verdict: rel (relative, "" for the root) is not what t records. Returns 1. */
static int differ(struct verify *vf, const char *rel, const char *fmt, ...) SW_PRINTF(3, 4);

static int differ(struct verify *vf, const char *rel, const char *fmt, ...)
{
    char what[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    vf->v->ok = false;
    sw_sanitize(vf->v->file, sizeof(vf->v->file), *rel ? rel : ".");
    if (*rel)
        snprintf(vf->v->why, sizeof(vf->v->why), "'%s' %s", vf->v->file, what);
    else
        snprintf(vf->v->why, sizeof(vf->v->why), "the root directory %s", what);
    return 1;
}

/* Whether path is a directory holding nothing but empty directories. */
static bool empty_dir(const char *path, int depth)
{
    struct sw_os_stat st;
    if (depth > TREE_EMPTY_DEPTH || sw_os_stat(path, false, &st) != 0 || st.kind != SW_OS_DIR)
        return false;
    struct sw_os_dir *d = sw_os_opendir(path);
    bool empty = d != NULL;
    for (const char *name; empty && (name = sw_os_readdir(d)) != NULL;) {
        char *sub = sw_path_join(path, name);
        empty = empty_dir(sub, depth + 1);
        free(sub);
    }
    sw_os_closedir(d);
    return empty;
}

/* Lists the directory rel (w.path points at it): every name must be recorded, or an empty
 * directory (*untracked then). 0, 1 when something was added, -1 with err. */
static int list_dir(struct verify *vf, const char *rel, bool *untracked, struct sw_error *err)
{
    struct sw_os_dir *d = sw_os_opendir(vf->w.path.data);
    if (!d)
        return sw_error_set(err, SW_EXIT_FS, "cannot list '%s': %s", vf->w.path.data,
                            strerror(errno));
    size_t base = strlen(rel);
    int ret = 0;
    for (const char *name; ret == 0 && (name = sw_os_readdir(d)) != NULL;) {
        sw_buf_reset(&vf->key);
        sw_buf_add(&vf->key, rel, base);
        if (base)
            sw_buf_add(&vf->key, "/", 1);
        sw_buf_adds(&vf->key, name);
        if (sw_tree_lookup(vf->w.t, vf->key.data, vf->key.len) >= 0)
            continue;
        char *path = sw_path_join(vf->w.path.data, name);
        if (empty_dir(path, 0))
            *untracked = true;
        else
            ret = differ(vf, vf->key.data, "was added");
        free(path);
    }
    sw_os_closedir(d);
    return ret;
}

/* The wall clock in nanoseconds, which file times follow; 0 on Windows, where directory
 * stamps are not used. */
static int64_t now_ns(void)
{
#if SW_ON_WINDOWS
    return 0;
#else
    struct timespec ts;
    if (timespec_get(&ts, TIME_UTC) != TIME_UTC)
        return 0;
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
#endif
}

/* Whether a directory's stamp may be trusted later: POSIX only (see tree.h), and old enough. */
static bool settled(const struct verify *vf, const struct sw_os_stat *st)
{
    int64_t limit = vf->now - (int64_t)TREE_DIR_SETTLE_S * 1000000000;
    return !SW_ON_WINDOWS && st->mtime_ns < limit && st->ctime_ns < limit;
}

static void restamp(struct verify *vf, char **slot, const char *stamp)
{
    if ((!*slot && !stamp) || (*slot && stamp && strcmp(*slot, stamp) == 0))
        return;
    /* the old stamp stays in the arena until the tree is freed */
    *slot = stamp ? sw_tree_strndup(vf->w.t, stamp, strlen(stamp)) : NULL;
    vf->v->restamped = true;
}

/* Checks the directory rel ("" for the root) whose stamp t keeps in *slot. */
static int check_dir(struct verify *vf, const char *rel, const struct sw_os_stat *st, char **slot,
                     struct sw_error *err)
{
    char stamp[SW_FS_STAMP_MAX];
    bool untracked = false;
    if (st->kind != SW_OS_DIR)
        return differ(vf, rel, "is now %s", now_kind(st->kind));
    if (!SW_ON_WINDOWS && *slot && sw_tree_same_stamp(*slot, st))
        return 0;
    sw_fs_stamp(st, stamp, sizeof(stamp));
    int rc = list_dir(vf, rel, &untracked, err);
    if (rc == 0)
        restamp(vf, slot, !untracked && settled(vf, st) ? stamp : NULL);
    return rc;
}

static int check_file(struct verify *vf, struct entry *e, const struct sw_os_stat *st,
                      struct sw_error *err)
{
    char stamp[SW_FS_STAMP_MAX];
    if (st->kind != SW_OS_REG)
        return differ(vf, e->rel, "is now %s", now_kind(st->kind));
    if (st->size != e->size)
        return differ(vf, e->rel, "is not the file installed (recorded %llu bytes, found %llu)",
                      (unsigned long long)e->size, (unsigned long long)st->size);
    if (e->stamp && sw_tree_same_stamp(e->stamp, st))
        return 0;

    struct sw_os_stat now;
    unsigned char md[32];
    uint64_t size = 0;
    int eno = 0;
    if (hash_file(&vf->w, vf->w.path.data, &now, md, &size, &eno, err) != 0) {
        if (eno == ENOENT)
            return differ(vf, e->rel, "is missing");
        if (eno == ELOOP || eno == EINVAL)
            return differ(vf, e->rel, "is now %s", eno == ELOOP ? "a symlink" : "not a file");
        return -1;
    }
    if (size != e->size || CRYPTO_memcmp(md, e->md, 32) != 0) {
        char want[65], got[65];
        sw_hex_encode(e->md, 32, want);
        sw_hex_encode(md, 32, got);
        return differ(vf, e->rel, "is not the file installed (recorded sha256:%s, found sha256:%s)",
                      want, got);
    }
    vf->v->rehashed++;
    sw_fs_stamp(&now, stamp, sizeof(stamp));
    restamp(vf, &e->stamp, stamp);
    return 0;
}

static int check_link(struct verify *vf, struct entry *e, const struct sw_os_stat *st,
                      struct sw_error *err)
{
    char stamp[SW_FS_STAMP_MAX];
    if (st->kind != SW_OS_LINK)
        return differ(vf, e->rel, "is now %s", now_kind(st->kind));
    /* a link cannot be pointed elsewhere in place: an unchanged stamp is the same link */
    if (e->stamp && sw_tree_same_stamp(e->stamp, st))
        return 0;
    sw_fs_stamp(st, stamp, sizeof(stamp));
    char *target = read_link(&vf->w, vf->w.path.data, err);
    if (!target)
        return -1;
    int rc = 0;
    if (strcmp(target, e->target) != 0) {
        char now[256], was[256];
        sw_sanitize(now, sizeof(now), target);
        sw_sanitize(was, sizeof(was), e->target);
        rc = differ(vf, e->rel, "now points to '%s' (recorded '%s')", now, was);
    } else {
        restamp(vf, &e->stamp, stamp);
    }
    free(target);
    return rc;
}

int sw_tree_verify(struct sw_tree *t, const char *root, struct sw_tree_verdict *v,
                   struct sw_error *err)
{
    struct verify vf = {.v = v, .now = now_ns()};
    struct sw_os_stat st;
    int rc = -1;
    memset(v, 0, sizeof(*v));
    v->ok = true;
    if (sw_tree_index(t) != 0)
        return sw_tree_fail(t, err);
    walk_begin(&vf.w, t, root);
    /* a big tree's records are looked at on several threads first; what they found unchanged
     * needs nothing more, the rest is looked at again below */
    unsigned char *same = sw_tree_stat_all(t, vf.w.path.data, vf.w.root_len);
    /* the root, then every record in order: a directory before what it holds */
    for (size_t i = 0; i <= t->n; i++) {
        struct entry *e = i ? &t->e[i - 1] : NULL;
        if (e && same && same[i - 1])
            continue;
        const char *rel = e ? e->rel : "";
        const char *path = at(&vf.w, rel, strlen(rel));
        if (sw_os_stat(path, false, &st) != 0) {
            if (errno == ENOENT || errno == ENOTDIR) {
                rc = differ(&vf, rel, "is missing");
                break;
            }
            rc = sw_error_set(err, SW_EXIT_FS, "cannot stat '%s': %s", path, strerror(errno));
            break;
        }
        if (!e)
            rc = check_dir(&vf, "", &st, &t->root_stamp, err);
        else if (e->kind == K_DIR)
            rc = check_dir(&vf, rel, &st, &e->stamp, err);
        else if (e->kind == K_FILE)
            rc = check_file(&vf, e, &st, err);
        else
            rc = check_link(&vf, e, &st, err);
        if (rc != 0)
            break;
    }
    free(same);
    walk_end(&vf.w);
    sw_buf_free(&vf.key);
    return rc < 0 ? -1 : 0;
}
