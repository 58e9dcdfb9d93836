/* The tree's records (tree.h): the path and target rules, the records with their sorted index,
 * and the functions that add, strip and look them up. The manifest file is tree_manifest.c's,
 * scan and verify tree_verify.c's. */
#include "io/tree.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/hex.h"
#include "core/text.h"
#include "io/fs.h"
#include "io/tree_internal.h"
#include "os/os.h"

#define TREE_PATH_MAX 4096

/* ---- paths ---- */

/* a byte's rank in sw_tree_path_cmp's order */
static int key(unsigned char c)
{
    return c == 0 ? 0 : c == '/' ? 1 : c + 1;
}

int sw_tree_path_cmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return key((unsigned char)*a) - key((unsigned char)*b);
}

static int entry_cmp(const void *a, const void *b)
{
    return sw_tree_path_cmp(((const struct entry *)a)->rel, ((const struct entry *)b)->rel);
}

const char *sw_tree_bad_rel(const char *rel)
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

const char *sw_tree_bad_target(const char *target)
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

bool sw_tree_good_stamp(const char *s, size_t n)
{
    if (n == 0 || n >= SW_FS_STAMP_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || s[i] == ':' || s[i] == '.' || s[i] == '-'))
            return false;
    return true;
}

/* ---- the arena ---- */

#define TREE_ARENA_BLOCK ((size_t)64 * 1024)

char *sw_tree_strndup(struct sw_tree *t, const char *s, size_t n)
{
    struct arena_block *b = t->arena;
    if (!b || b->cap - b->used < n + 1) {
        size_t cap = n + 1 > TREE_ARENA_BLOCK ? n + 1 : TREE_ARENA_BLOCK;
        b = sw_xmalloc(sizeof(*b) + cap);
        b->data = (char *)(b + 1);
        b->pages = 0;
        b->used = 0;
        b->cap = cap;
        b->next = t->arena;
        t->arena = b;
    }
    char *out = b->data + b->used;
    memcpy(out, s, n);
    out[n] = '\0';
    b->used += n + 1;
    return out;
}

void sw_tree_adopt(struct sw_tree *t, char *data)
{
    sw_tree_adopt_pages(t, data, 0);
}

void sw_tree_adopt_pages(struct sw_tree *t, char *data, size_t len)
{
    struct arena_block *b = sw_xmalloc(sizeof(*b));
    b->data = data;
    b->pages = len;
    b->used = b->cap = 0; /* full: nothing else goes there */
    if (t->arena) {       /* behind the block being filled */
        b->next = t->arena->next;
        t->arena->next = b;
    } else {
        b->next = NULL;
        t->arena = b;
    }
}

static void arena_free(struct arena_block *b)
{
    while (b) {
        struct arena_block *next = b->next;
        if (b->pages)
            sw_os_free_pages(b->data, b->pages);
        else if (b->data != (char *)(b + 1))
            free(b->data);
        free(b);
        b = next;
    }
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

/* Records past this many bytes live in pages made present at once (sw_os_alloc_pages): a
 * loaded manifest fills them all, and a page fault per 4 KiB costs more than filling them */
#define TREE_RECORDS_IN_PAGES ((size_t)64 * 1024)

static void records_free(struct sw_tree *t)
{
    if (t->e_pages)
        sw_os_free_pages(t->e, t->e_pages);
    else
        free(t->e);
}

void sw_tree_reserve(struct sw_tree *t, size_t n)
{
    if (n <= t->cap)
        return;
    size_t bytes = n * sizeof(*t->e);
    if (bytes < TREE_RECORDS_IN_PAGES && !t->e_pages) {
        t->e = sw_xrealloc(t->e, bytes);
        t->cap = n;
        return;
    }
    size_t pages = bytes;
    struct entry *e = sw_os_alloc_pages(bytes);
    if (!e) {
        e = sw_xmalloc(bytes);
        pages = 0;
    }
    if (t->n)
        memcpy(e, t->e, t->n * sizeof(*t->e));
    records_free(t);
    t->e = e;
    t->e_pages = pages;
    t->cap = n;
}

struct entry *sw_tree_put_record(struct sw_tree *t, char kind, char *rel)
{
    if (t->n == t->cap)
        sw_tree_reserve(t, t->cap ? 2 * t->cap : 256);
    struct entry *e = &t->e[t->n++];
    memset(e, 0, sizeof(*e));
    e->kind = kind;
    e->rel = rel;
    t->indexed = false;
    return e;
}

struct entry *sw_tree_add_record(struct sw_tree *t, char kind, const char *rel, size_t len)
{
    return sw_tree_put_record(t, kind, sw_tree_strndup(t, rel, len));
}

static uint64_t hash_of(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

long sw_tree_lookup(const struct sw_tree *t, const char *s, size_t n)
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

int sw_tree_index(struct sw_tree *t)
{
    if (t->indexed)
        return t->bad.code ? -1 : 0;
    for (size_t i = 1; i < t->n; i++)
        if (sw_tree_path_cmp(t->e[i - 1].rel, t->e[i].rel) >= 0) {
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
            long at = sw_tree_lookup(t, rel, len);
            if (at >= 0) {
                if (t->e[at].kind != K_DIR)
                    set_bad(t, t->e[at].rel, "it is recorded both as a file and as a directory");
                break;
            }
            if (2 * (t->n + 1) > t->nslots)
                rehash(t, 2 * t->n);
            sw_tree_add_record(t, K_DIR, rel, len); /* may move t->e, never the strings */
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

int sw_tree_fail(const struct sw_tree *t, struct sw_error *err)
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
    records_free(t);
    free(t->slots);
    arena_free(t->arena);
    free(t);
}

void sw_tree_add_file(struct sw_tree *t, const char *rel, const unsigned char sha256[32],
                      uint64_t size, const char *stamp)
{
    const char *why = sw_tree_bad_rel(rel);
    if (!why && stamp && *stamp && !sw_tree_good_stamp(stamp, strlen(stamp)))
        why = "its stamp is not one sw_fs_stamp makes";
    if (why) {
        set_bad(t, rel, why);
        return;
    }
    struct entry *e = sw_tree_add_record(t, K_FILE, rel, strlen(rel));
    memcpy(e->md, sha256, 32);
    e->size = size;
    e->stamp = stamp && *stamp ? sw_tree_strndup(t, stamp, strlen(stamp)) : NULL;
}

void sw_tree_add_link(struct sw_tree *t, const char *rel, const char *target)
{
    const char *why = sw_tree_bad_rel(rel);
    if (!why)
        why = sw_tree_bad_target(target);
    if (why) {
        set_bad(t, rel, why);
        return;
    }
    struct entry *e = sw_tree_add_record(t, K_LINK, rel, strlen(rel));
    e->target = sw_tree_strndup(t, target, strlen(target));
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
        }
    }
    t->n = kept;
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
        long at = sw_tree_lookup(t, rel, strlen(rel));
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
