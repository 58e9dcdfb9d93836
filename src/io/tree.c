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
#include "core/text.h"
#include "io/fs.h"
#include "os/os.h"

#define TREE_PATH_MAX 4096
#define TREE_MANIFEST_MAX ((size_t)64 << 20)
#define TREE_HASH_CHUNK ((size_t)512 * 1024)
#define TREE_SCAN_DEPTH 256
#define TREE_EMPTY_DEPTH 32
/* seconds a directory's stamp must be old before verify trusts it: a change within the same
 * timestamp tick as the stamp could not be told apart */
#define TREE_DIR_SETTLE_S 2
#define TREE_HEADER "setup-wash tree 1"

enum kind { K_FILE = 'f', K_LINK = 'l', K_DIR = 'd' };

struct entry {
    char *rel;
    char *target; /* K_LINK */
    char *stamp;  /* NULL: unknown */
    uint64_t size;
    unsigned char md[32];
    char kind;
};

struct sw_tree {
    struct entry *e;
    size_t n, cap;
    char *root_stamp;    /* the root directory's, learnt by verify; NULL: unknown */
    bool indexed;        /* e is sorted, holds every implied directory, and slots index it */
    uint32_t *slots;     /* open addressing over e: index + 1, 0 for a free slot */
    size_t nslots;       /* a power of two, at least twice n */
    struct sw_error bad; /* the first record that could not be made */
    char digest[80];     /* sw_tree_digest_of's answer */
};

/* ---- paths ---- */

/* Bytewise order with '/' before every other byte, so a directory's contents follow it. */
static int key(unsigned char c)
{
    return c == 0 ? 0 : c == '/' ? 1 : c + 1;
}

static int path_cmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return key((unsigned char)*a) - key((unsigned char)*b);
}

static int entry_cmp(const void *a, const void *b)
{
    return path_cmp(((const struct entry *)a)->rel, ((const struct entry *)b)->rel);
}

/* Why rel cannot be recorded (tree.h), or NULL. */
static const char *bad_rel(const char *rel)
{
    size_t len = strlen(rel);
    if (len == 0)
        return "an empty path";
    if (len >= TREE_PATH_MAX)
        return "a path longer than 4095 bytes";
    if (sw_text_unsafe(rel, false) != SIZE_MAX)
        return "a control character or invalid UTF-8 in its path";
    for (const char *p = rel;;) {
        size_t n = strcspn(p, "/");
        if (n == 0)
            return "an empty path component";
        if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
            return "a '.' or '..' path component";
        if (!p[n])
            return NULL;
        p += n + 1;
    }
}

static const char *bad_target(const char *target)
{
    size_t len = strlen(target);
    if (len == 0)
        return "an empty link target";
    if (len >= TREE_PATH_MAX)
        return "a link target longer than 4095 bytes";
    if (sw_text_unsafe(target, false) != SIZE_MAX)
        return "a control character or invalid UTF-8 in its link target";
    return NULL;
}

/* A stamp as sw_fs_stamp writes it. */
static bool good_stamp(const char *s, size_t n)
{
    if (n == 0 || n >= SW_FS_STAMP_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || s[i] == ':' || s[i] == '.' || s[i] == '-'))
            return false;
    return true;
}

/* ---- the records and their index ---- */

static void set_bad(struct sw_tree *t, const char *rel, const char *why)
{
    if (t->bad.code)
        return;
    char label[512];
    sw_sanitize(label, sizeof(label), rel);
    sw_error_set(&t->bad, SW_EXIT_VERIFY, "cannot record '%s' in the tree's manifest: %s", label,
                 why);
}

static struct entry *add(struct sw_tree *t, char kind, const char *rel, size_t len)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 256;
        t->e = sw_xrealloc(t->e, t->cap * sizeof(*t->e));
    }
    struct entry *e = &t->e[t->n++];
    memset(e, 0, sizeof(*e));
    e->kind = kind;
    e->rel = sw_xstrndup(rel, len);
    t->indexed = false;
    return e;
}

static void free_entry(struct entry *e)
{
    free(e->rel);
    free(e->target);
    free(e->stamp);
}

static uint64_t hash_of(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

/* The index of the record at s[0..n), or -1. */
static long lookup(const struct sw_tree *t, const char *s, size_t n)
{
    if (!t->nslots)
        return -1;
    for (size_t i = hash_of(s, n) & (t->nslots - 1);; i = (i + 1) & (t->nslots - 1)) {
        uint32_t v = t->slots[i];
        if (!v)
            return -1;
        const char *r = t->e[v - 1].rel;
        if (strncmp(r, s, n) == 0 && r[n] == '\0')
            return (long)v - 1;
    }
}

static void slot_put(struct sw_tree *t, size_t idx)
{
    const char *r = t->e[idx].rel;
    size_t i = hash_of(r, strlen(r)) & (t->nslots - 1);
    while (t->slots[i])
        i = (i + 1) & (t->nslots - 1);
    t->slots[i] = (uint32_t)idx + 1;
}

/* Indexes t->e[0..t->n) in slots big enough for `room` records. */
static void rehash(struct sw_tree *t, size_t room)
{
    size_t want = 64;
    while (want < 2 * room)
        want *= 2;
    free(t->slots);
    t->slots = sw_xcalloc(want, sizeof(*t->slots));
    t->nslots = want;
    for (size_t i = 0; i < t->n; i++)
        slot_put(t, i);
}

/* Sorts the records, adds the directories their paths imply, and indexes them; a duplicate, a
 * file that is also a directory, or a directory record with nothing under it becomes the
 * tree's error. */
static int ensure_index(struct sw_tree *t)
{
    if (t->indexed)
        return t->bad.code ? -1 : 0;
    for (size_t i = 1; i < t->n; i++)
        if (path_cmp(t->e[i - 1].rel, t->e[i].rel) >= 0) {
            qsort(t->e, t->n, sizeof(*t->e), entry_cmp);
            break;
        }
    for (size_t i = 1; i < t->n; i++)
        if (strcmp(t->e[i - 1].rel, t->e[i].rel) == 0)
            set_bad(t, t->e[i].rel, "it is recorded twice");
    rehash(t, t->n);
    size_t records = t->n;
    for (size_t i = 0; i < records; i++) {
        if (t->e[i].kind == K_DIR)
            continue;
        const char *rel = t->e[i].rel;
        for (size_t len = strlen(rel); len > 0;) {
            while (len > 0 && rel[len - 1] != '/')
                len--;
            if (len-- == 0)
                break;
            long at = lookup(t, rel, len);
            if (at >= 0) {
                if (t->e[at].kind != K_DIR)
                    set_bad(t, t->e[at].rel, "it is recorded both as a file and as a directory");
                break;
            }
            if (2 * (t->n + 1) > t->nslots)
                rehash(t, 2 * t->n);
            add(t, K_DIR, rel, len); /* may move t->e, never the strings */
            slot_put(t, t->n - 1);
        }
    }
    if (t->n > records) {
        qsort(t->e, t->n, sizeof(*t->e), entry_cmp);
        rehash(t, t->n);
    }
    for (size_t i = 0; i < t->n; i++) {
        size_t len = strlen(t->e[i].rel);
        if (t->e[i].kind == K_DIR &&
            !(i + 1 < t->n && strncmp(t->e[i + 1].rel, t->e[i].rel, len) == 0 &&
              t->e[i + 1].rel[len] == '/'))
            set_bad(t, t->e[i].rel, "it is a directory with nothing recorded under it");
    }
    t->indexed = true;
    return t->bad.code ? -1 : 0;
}

static int tree_error(const struct sw_tree *t, struct sw_error *err)
{
    if (err)
        *err = t->bad;
    return -1;
}

struct sw_tree *sw_tree_new(void)
{
    return sw_xcalloc(1, sizeof(struct sw_tree));
}

void sw_tree_free(struct sw_tree *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++)
        free_entry(&t->e[i]);
    free(t->e);
    free(t->slots);
    free(t->root_stamp);
    free(t);
}

void sw_tree_add_file(struct sw_tree *t, const char *rel, const unsigned char sha256[32],
                      uint64_t size, const char *stamp)
{
    const char *why = bad_rel(rel);
    if (!why && stamp && *stamp && !good_stamp(stamp, strlen(stamp)))
        why = "its stamp is not one sw_fs_stamp makes";
    if (why) {
        set_bad(t, rel, why);
        return;
    }
    struct entry *e = add(t, K_FILE, rel, strlen(rel));
    memcpy(e->md, sha256, 32);
    e->size = size;
    e->stamp = stamp && *stamp ? sw_xstrdup(stamp) : NULL;
}

void sw_tree_add_link(struct sw_tree *t, const char *rel, const char *target)
{
    const char *why = bad_rel(rel);
    if (!why)
        why = bad_target(target);
    if (why) {
        set_bad(t, rel, why);
        return;
    }
    add(t, K_LINK, rel, strlen(rel))->target = sw_xstrdup(target);
}

void sw_tree_strip(struct sw_tree *t, const char *top)
{
    size_t tl = strlen(top), kept = 0;
    while (tl > 0 && top[tl - 1] == '/')
        tl--;
    for (size_t i = 0; i < t->n; i++) {
        struct entry *e = &t->e[i];
        if (strncmp(e->rel, top, tl) == 0 && e->rel[tl] == '/') {
            memmove(e->rel, e->rel + tl + 1, strlen(e->rel + tl + 1) + 1);
            t->e[kept++] = *e;
        } else {
            free_entry(e);
        }
    }
    t->n = kept;
    free(t->root_stamp);
    t->root_stamp = NULL;
    t->indexed = false;
}

size_t sw_tree_count(const struct sw_tree *t)
{
    size_t n = 0;
    for (size_t i = 0; i < t->n; i++)
        n += t->e[i].kind != K_DIR;
    return n;
}

const char *sw_tree_digest_of(const struct sw_tree *t, const char *rel)
{
    const struct entry *e = NULL;
    if (t->indexed) {
        long at = lookup(t, rel, strlen(rel));
        e = at >= 0 ? &t->e[at] : NULL;
    } else {
        for (size_t i = 0; !e && i < t->n; i++)
            if (strcmp(t->e[i].rel, rel) == 0)
                e = &t->e[i];
    }
    if (!e || e->kind != K_FILE)
        return NULL;
    /* the answer lives in the tree (tree.h), which the caller's pointer does not make const */
    char *out = ((struct sw_tree *)t)->digest;
    memcpy(out, "sha256:", 7);
    sw_hex_encode(e->md, 32, out + 7);
    return out;
}

/* ---- the manifest ---- */

static void put_u64(struct sw_buf *b, uint64_t v)
{
    char tmp[24];
    size_t i = sizeof(tmp);
    do
        tmp[--i] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    sw_buf_add(b, tmp + i, sizeof(tmp) - i);
}

int sw_tree_save(const struct sw_tree *ct, const char *path, struct sw_error *err)
{
    struct sw_tree *t = (struct sw_tree *)ct; /* the index is a cache, not the content */
    if (t->bad.code || ensure_index(t) != 0)
        return tree_error(t, err);
    struct sw_buf b = SW_BUF_INIT;
    char hex[65];
    sw_buf_grow(&b, 64 + t->n * 160);
    sw_buf_adds(&b, TREE_HEADER "\n");
    if (t->root_stamp) {
        sw_buf_adds(&b, "d ");
        sw_buf_adds(&b, t->root_stamp);
        sw_buf_adds(&b, " .\n");
    }
    for (size_t i = 0; i < t->n; i++) {
        const struct entry *e = &t->e[i];
        if (e->kind == K_DIR && !e->stamp)
            continue;
        sw_buf_add(&b, &e->kind, 1);
        sw_buf_add(&b, " ", 1);
        if (e->kind == K_FILE) {
            sw_hex_encode(e->md, 32, hex);
            sw_buf_add(&b, hex, 64);
            sw_buf_add(&b, " ", 1);
            put_u64(&b, e->size);
            sw_buf_add(&b, " ", 1);
        }
        sw_buf_adds(&b, e->stamp ? e->stamp : "-");
        sw_buf_add(&b, " ", 1);
        sw_buf_adds(&b, e->rel);
        if (e->kind == K_LINK) {
            sw_buf_add(&b, "\t", 1);
            sw_buf_adds(&b, e->target);
        }
        sw_buf_add(&b, "\n", 1);
    }
    sw_buf_adds(&b, "end ");
    put_u64(&b, sw_tree_count(t));
    sw_buf_add(&b, "\n", 1);
    int rc = sw_fs_write_atomic(path, b.data, b.len, 0644, err);
    sw_buf_free(&b);
    return rc;
}

/* Takes the text up to the next space of [*p, end) as a field; NULL when there is none. */
static const char *field(const char **p, const char *end, size_t *n)
{
    const char *s = *p;
    const char *sp = memchr(s, ' ', (size_t)(end - s));
    if (!sp)
        return NULL;
    *n = (size_t)(sp - s);
    *p = sp + 1;
    return s;
}

static bool parse_u64(const char *s, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    if (n == 0 || n > 20 || (n > 1 && s[0] == '0'))
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9' || v > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    *out = v;
    return true;
}

/* Decodes 64 lowercase hex digits (the manifest's one form) into md; false for anything else.
 * A table rather than sw_hex_decode: 5,000 lines are read on every cache hit. */
static bool lower_hex(const char *s, unsigned char md[32])
{
    /* a digit's value + 1; 0 for a byte that is not one */
    static const unsigned char val[256] = {
        ['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,
        ['6'] = 7,  ['7'] = 8,  ['8'] = 9,  ['9'] = 10, ['a'] = 11, ['b'] = 12,
        ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
    };
    unsigned bad = 0;
    for (size_t i = 0; i < 32; i++) {
        unsigned hi = val[(unsigned char)s[2 * i]], lo = val[(unsigned char)s[2 * i + 1]];
        bad |= !hi | !lo;
        md[i] = (unsigned char)(((hi - 1) << 4) | ((lo - 1) & 15));
    }
    return !bad;
}

/* One record line [p, end) of the manifest into t; NULL, or what is wrong with it. */
static const char *parse_record(struct sw_tree *t, const char *p, const char *end)
{
    char kind = *p;
    size_t n;
    const char *s;
    unsigned char md[32];
    uint64_t size = 0;
    if ((kind != K_FILE && kind != K_LINK && kind != K_DIR) || end - p < 2 || p[1] != ' ')
        return "not a record";
    p += 2;
    if (kind == K_FILE) {
        char hex[65];
        if (!(s = field(&p, end, &n)) || n != 64)
            return "no SHA-256";
        memcpy(hex, s, 64);
        hex[64] = '\0';
        if (!lower_hex(hex, md))
            return strspn(hex, "0123456789abcdefABCDEF") == 64 ? "an uppercase SHA-256"
                                                               : "no SHA-256";
        if (!(s = field(&p, end, &n)) || !parse_u64(s, n, &size))
            return "no size";
    }
    if (!(s = field(&p, end, &n)) || !good_stamp(s, n) || (kind == K_DIR && n == 1 && *s == '-'))
        return "no stamp";
    char *stamp = n == 1 && *s == '-' ? NULL : sw_xstrndup(s, n);
    char *rest = sw_xstrndup(p, (size_t)(end - p));
    char *target = NULL;
    const char *why = NULL;
    if (kind == K_LINK) {
        char *tab = strchr(rest, '\t');
        if (!tab) {
            why = "no link target";
            goto out;
        }
        *tab = '\0';
        target = tab + 1;
        why = bad_target(target);
    }
    if (!why && kind == K_DIR && strcmp(rest, ".") == 0) {
        if (t->n || t->root_stamp)
            why = "the root's record is not the first";
        else
            t->root_stamp = stamp, stamp = NULL;
        goto out;
    }
    if (!why)
        why = bad_rel(rest);
    if (!why && t->n && path_cmp(t->e[t->n - 1].rel, rest) >= 0)
        why = "a path out of order or recorded twice";
    if (why)
        goto out;
    struct entry *e = add(t, kind, rest, strlen(rest));
    e->stamp = stamp;
    stamp = NULL;
    e->size = size;
    memcpy(e->md, md, kind == K_FILE ? 32 : 0);
    if (target)
        e->target = sw_xstrdup(target);
out:
    free(stamp);
    free(rest);
    return why;
}

int sw_tree_load(const char *path, struct sw_tree **out, struct sw_error *err)
{
    struct sw_buf b = SW_BUF_INIT;
    struct sw_tree *t = NULL;
    const char *why = NULL;
    size_t line = 1;
    int ret = -1;
    if (sw_fs_read_regular(path, TREE_MANIFEST_MAX, &b, err) != 0)
        goto out;
    t = sw_tree_new();
    const char *p = b.data ? b.data : "", *end = p + b.len;
    const char *nl = memchr(p, '\n', b.len);
    if (!nl || (size_t)(nl - p) != strlen(TREE_HEADER) ||
        memcmp(p, TREE_HEADER, (size_t)(nl - p))) {
        why = "not a setup-wash tree manifest (version 1)";
        goto bad;
    }
    for (p = nl + 1;; p = nl + 1) {
        line++;
        nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) {
            why = p == end ? "no end line (the manifest was cut)" : "an unterminated line";
            goto bad;
        }
        if (memchr(p, '\0', (size_t)(nl - p))) {
            why = "a NUL byte";
            goto bad;
        }
        uint64_t count = 0;
        if (nl - p > 4 && memcmp(p, "end ", 4) == 0) {
            if (!parse_u64(p + 4, (size_t)(nl - p - 4), &count) || count != sw_tree_count(t))
                why = "an end line that does not count the records";
            else if (nl + 1 != end)
                why = "text after the end line";
            if (why)
                goto bad;
            break;
        }
        if ((why = parse_record(t, p, nl)) != NULL)
            goto bad;
    }
    if (ensure_index(t) != 0) {
        sw_error_set(err, SW_EXIT_VERIFY, "the tree manifest '%s' is malformed: %s", path,
                     t->bad.msg);
        goto out;
    }
    *out = t;
    t = NULL;
    ret = 0;
    goto out;
bad:
    sw_error_set(err, SW_EXIT_VERIFY, "the tree manifest '%s' is malformed: line %zu: %s", path,
                 line, why);
out:
    sw_tree_free(t);
    sw_buf_free(&b);
    return ret;
}

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

static int walk_begin(struct walk *w, struct sw_tree *t, const char *root, struct sw_error *err)
{
    memset(w, 0, sizeof(*w));
    w->t = t;
    size_t n = strlen(root);
    while (n > 1 && root[n - 1] == '/')
        n--;
    sw_buf_add(&w->path, root, n);
    sw_buf_add(&w->path, "/", 1);
    w->root_len = w->path.len;
    w->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    w->ctx = EVP_MD_CTX_new();
    if (!w->sha256 || !w->ctx)
        return sw_error_set(err, SW_EXIT_FAILURE, "cannot set up SHA-256 (OpenSSL)");
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
                w->t->e[w->t->n - 1].stamp = sw_xstrdup(stamp);
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
            tree_error(w->t, err);
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
        return tree_error(t, err);
    int rc = walk_begin(&w, t, root, err);
    if (rc == 0)
        rc = scan_dir(&w, &rel, 0, err);
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
        if (lookup(vf->w.t, vf->key.data, vf->key.len) >= 0)
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

/* Whether rec is what sw_fs_stamp(st) writes. Read back rather than formatted, which spares
 * an snprintf per file of a warm verify; a form other than the usual (a negative time) is
 * compared through sw_fs_stamp. */
static bool same_stamp(const char *rec, const struct sw_os_stat *st)
{
    static const char seps[] = ":.:.::";
    uint64_t v[7]; /* size, mtime s, ns, ctime s, ns, dev, ino */
    const char *p = rec;
    char fmt[SW_FS_STAMP_MAX];
    if (st->mtime_ns < 0 || st->ctime_ns < 0)
        goto slow;
    for (int i = 0; i < 7; i++) {
        const char *start = p;
        uint64_t x = 0;
        for (; *p >= '0' && *p <= '9'; p++) {
            if (x > (UINT64_MAX - 9) / 10)
                goto slow;
            x = x * 10 + (uint64_t)(*p - '0');
        }
        bool ns = i == 2 || i == 4;
        if (p == start || (ns && p - start != 9) || (!ns && *start == '0' && p - start > 1))
            goto slow;
        v[i] = x;
        if (i < 6 && *p++ != seps[i])
            goto slow;
    }
    if (*p)
        goto slow;
    return v[0] == st->size && v[1] == (uint64_t)(st->mtime_ns / 1000000000) &&
           v[2] == (uint64_t)(st->mtime_ns % 1000000000) &&
           v[3] == (uint64_t)(st->ctime_ns / 1000000000) &&
           v[4] == (uint64_t)(st->ctime_ns % 1000000000) && v[5] == st->dev && v[6] == st->ino;
slow:
    sw_fs_stamp(st, fmt, sizeof(fmt));
    return strcmp(rec, fmt) == 0;
}

static void restamp(struct verify *vf, char **slot, const char *stamp)
{
    if ((!*slot && !stamp) || (*slot && stamp && strcmp(*slot, stamp) == 0))
        return;
    free(*slot);
    *slot = stamp ? sw_xstrdup(stamp) : NULL;
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
    if (!SW_ON_WINDOWS && *slot && same_stamp(*slot, st))
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
    if (e->stamp && same_stamp(e->stamp, st))
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
    if (e->stamp && same_stamp(e->stamp, st))
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
    if (ensure_index(t) != 0)
        return tree_error(t, err);
    if (walk_begin(&vf.w, t, root, err) != 0)
        goto out;
    /* the root, then every record in order: a directory before what it holds */
    for (size_t i = 0; i <= t->n; i++) {
        struct entry *e = i ? &t->e[i - 1] : NULL;
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
out:
    walk_end(&vf.w);
    sw_buf_free(&vf.key);
    return rc < 0 ? -1 : 0;
}
