/* The manifest file (tree.h): sw_tree_save writes a tree's records as text, sw_tree_load reads
 * them back, strictly (the file is untrusted: an actions/cache restore may bring any bytes). */
#include "io/tree.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/hex.h"
#include "io/fs.h"
#include "io/tree_internal.h"
#include "os/os.h"

#define TREE_MANIFEST_MAX ((size_t)64 << 20)
#define TREE_HEADER "setup-wash tree 1"

static void put_u64(struct sw_buf *b, uint64_t v)
{
    char tmp[24];
    size_t i = sizeof(tmp);
    do
        tmp[--i] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    sw_buf_add(b, tmp + i, sizeof(tmp) - i);
}

static int save(const struct sw_tree *ct, const char *path, bool durable, struct sw_error *err)
{
    struct sw_tree *t = (struct sw_tree *)ct; /* the index is a cache, not the content */
    if (t->bad.code || sw_tree_index(t) != 0)
        return sw_tree_fail(t, err);
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
    int rc = durable ? sw_fs_write_atomic(path, b.data, b.len, 0644, err)
                     : sw_fs_write_replace(path, b.data, b.len, 0644, err);
    sw_buf_free(&b);
    return rc;
}

int sw_tree_save(const struct sw_tree *t, const char *path, struct sw_error *err)
{
    return save(t, path, true, err);
}

int sw_tree_save_stamps(const struct sw_tree *t, const char *path, struct sw_error *err)
{
    return save(t, path, false, err);
}

/* Takes the text up to the next space of [*p, end) as a field; NULL when there is none. */
static char *field(char **p, const char *end, size_t *n)
{
    char *s = *p;
    char *sp = memchr(s, ' ', (size_t)(end - s));
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

/* One record line [p, end) of the manifest into t, whose arena holds the text: the record's
 * strings are the line's own bytes, cut in place (a NUL over the space, TAB or newline after
 * each), so a load allocates nothing per record. NULL, or what is wrong with it. */
static const char *parse_record(struct sw_tree *t, char *p, char *end)
{
    char kind = *p;
    size_t n;
    char *s;
    unsigned char md[32];
    uint64_t size = 0;
    if ((kind != K_FILE && kind != K_LINK && kind != K_DIR) || end - p < 2 || p[1] != ' ')
        return "not a record";
    p += 2;
    if (kind == K_FILE) {
        if (!(s = field(&p, end, &n)) || n != 64)
            return "no SHA-256";
        if (!lower_hex(s, md)) /* s[64] is the space after it */
            return strspn(s, "0123456789abcdefABCDEF") == 64 ? "an uppercase SHA-256"
                                                             : "no SHA-256";
        if (!(s = field(&p, end, &n)) || !parse_u64(s, n, &size))
            return "no size";
    }
    if (!(s = field(&p, end, &n)) || !sw_tree_good_stamp(s, n) ||
        (kind == K_DIR && n == 1 && *s == '-'))
        return "no stamp";
    char *stamp = n == 1 && *s == '-' ? NULL : s;
    char *rest = p, *target = NULL;
    const char *why = NULL;
    *end = '\0';
    /* every field before the path is checked byte by byte, which a NUL fails */
    if (strlen(rest) != (size_t)(end - rest))
        return "a NUL byte";
    if (stamp)
        stamp[n] = '\0';
    if (kind == K_LINK) {
        char *tab = memchr(rest, '\t', (size_t)(end - rest));
        if (!tab)
            return "no link target";
        *tab = '\0';
        target = tab + 1;
        if ((why = sw_tree_bad_target(target)) != NULL)
            return why;
    }
    if (kind == K_DIR && strcmp(rest, ".") == 0) {
        if (t->n || t->root_stamp)
            return "the root's record is not the first";
        t->root_stamp = stamp;
        return NULL;
    }
    if ((why = sw_tree_bad_rel(rest)) != NULL)
        return why;
    if (t->n && sw_tree_path_cmp(t->e[t->n - 1].rel, rest) >= 0)
        return "a path out of order or recorded twice";
    struct entry *e = sw_tree_put_record(t, kind, rest);
    e->stamp = stamp;
    e->size = size;
    e->target = target;
    if (kind == K_FILE)
        memcpy(e->md, md, 32);
    return NULL;
}

/* The manifest's text, NUL-terminated, into pages made present at once (*pages bytes of
 * sw_os_alloc_pages; 0 when it is malloc'd): read on every cache hit, 750 KB for TinyGo, whose
 * page faults one at a time cost more than the parse on a VM. *len excludes the NUL. */
static char *read_text(const char *path, size_t *len, size_t *pages, struct sw_error *err)
{
    struct sw_os_stat st;
    char *data = NULL, extra;
    int fd = sw_fs_open_regular(path, &st, NULL, err);
    if (fd < 0)
        return NULL;
    if (st.size > TREE_MANIFEST_MAX) {
        sw_os_close(fd);
        sw_error_set(err, SW_EXIT_FS, "'%s' is larger than %zu bytes", path, TREE_MANIFEST_MAX);
        return NULL;
    }
    size_t want = (size_t)st.size, n = 0;
    *pages = want + 1;
    if ((data = sw_os_alloc_pages(*pages)) == NULL) {
        *pages = 0;
        data = sw_xmalloc(want + 1);
    }
    for (sw_ssize r = 1; n < want && r > 0; n += (size_t)r)
        if ((r = sw_os_read(fd, data + n, want - n)) < 0)
            goto fail;
    /* a file that grew since its fstat is not the manifest that was measured */
    sw_ssize more = sw_os_read(fd, &extra, 1);
    if (more < 0)
        goto fail;
    sw_os_close(fd);
    if (more > 0 || n != want) {
        sw_error_set(err, SW_EXIT_FS, "'%s' changed while it was read", path);
        goto free;
    }
    data[n] = '\0';
    *len = n;
    return data;
fail:
    sw_error_set(err, SW_EXIT_FS, "cannot read '%s': %s", path, strerror(errno));
    sw_os_close(fd);
free:
    if (*pages)
        sw_os_free_pages(data, *pages);
    else
        free(data);
    return NULL;
}

int sw_tree_load(const char *path, struct sw_tree **out, struct sw_error *err)
{
    struct sw_tree *t = NULL;
    const char *why = NULL;
    size_t line = 1, len = 0, pages = 0;
    int ret = -1;
    char *p = read_text(path, &len, &pages, err), *end;
    if (!p)
        goto out;
    end = p + len;
    t = sw_tree_new();
    sw_tree_adopt_pages(t, p, pages); /* the records' strings are its bytes */
    size_t lines = 0;
    for (const char *q = p; q < end; q++) /* a loop the compiler vectorises; memchr is slower */
        lines += *q == '\n';
    sw_tree_reserve(t, lines + lines / 8 + 1); /* and the directories the index may add */
    char *nl = memchr(p, '\n', len);
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
    if (sw_tree_index(t) != 0) {
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
    return ret;
}
