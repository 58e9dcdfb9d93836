/* Shared by the files of the tree module (tree.c: the records and their index;
 * tree_manifest.c: the manifest file; tree_verify.c: scan and verify). Not for other modules. */
#ifndef SW_TREE_INTERNAL_H
#define SW_TREE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "io/tree.h"

enum kind { K_FILE = 'f', K_LINK = 'l', K_DIR = 'd' };

/* A record. Its strings live in the tree's arena (sw_tree_strndup), never freed one by one. */
struct entry {
    char *rel;
    char *target; /* K_LINK */
    char *stamp;  /* NULL: unknown */
    uint64_t size;
    unsigned char md[32];
    char kind;
};

/* A block of the arena: the strings of the records, or a loaded manifest's text, whose
 * fields the records point into. */
struct arena_block {
    struct arena_block *next;
    size_t used, cap;
    char *data;   /* the block's own bytes after it, or an adopted buffer */
    size_t pages; /* an adopted buffer from sw_os_alloc_pages: its length; else 0 */
};

struct sw_tree {
    struct entry *e;
    size_t n, cap;
    size_t e_pages;            /* e's length when it is from sw_os_alloc_pages, else 0 */
    struct arena_block *arena; /* the newest block first: one malloc per 64 KiB, not per string */
    char *root_stamp;    /* the root directory's, learnt by verify; NULL: unknown */
    bool indexed;        /* e is sorted, holds every implied directory, and slots index it */
    uint32_t *slots;     /* open addressing over e: index + 1, 0 for a free slot */
    size_t nslots;       /* a power of two, at least twice n */
    struct sw_error bad; /* the first record that could not be made */
    char digest[80];     /* sw_tree_digest_of's answer */
};

/* The records' order: bytewise with '/' before every other byte, so a directory's contents
 * follow it. <0, 0 or >0 as for strcmp. */
int sw_tree_path_cmp(const char *a, const char *b);

/* Why rel, or a link's target, cannot be recorded (tree.h), or NULL when it can. */
const char *sw_tree_bad_rel(const char *rel);
const char *sw_tree_bad_target(const char *target);

/* Whether s[0..n) is a stamp as sw_fs_stamp writes it (or "-"). */
bool sw_tree_good_stamp(const char *s, size_t n);

/* A copy of s[0..n) with a NUL after it, in t's arena: freed with t, never alone. */
char *sw_tree_strndup(struct sw_tree *t, const char *s, size_t n);

/* Hands t's arena the malloc'd buffer data, freed with t (records may point into it). */
void sw_tree_adopt(struct sw_tree *t, char *data);
/* The same for len bytes from sw_os_alloc_pages. */
void sw_tree_adopt_pages(struct sw_tree *t, char *data, size_t len);

/* Room for n records in all, so that adding up to n does not move t->e again. */
void sw_tree_reserve(struct sw_tree *t, size_t n);

/* Appends a record of kind with path rel[0..len) (copied; every other field zero) and returns
 * it, valid until the next record is added. Drops the index; checks nothing. */
struct entry *sw_tree_add_record(struct sw_tree *t, char kind, const char *rel, size_t len);

/* The same with rel taken as it is: a NUL-terminated string that lives as long as t (in its
 * arena, or in a loaded manifest's text it adopted). */
struct entry *sw_tree_put_record(struct sw_tree *t, char kind, char *rel);

/* The index in t->e of the record at s[0..n) (a directory implied or recorded included), or
 * -1; only meaningful once sw_tree_index has succeeded. */
long sw_tree_lookup(const struct sw_tree *t, const char *s, size_t n);

/* Sorts the records, adds the directories their paths imply, and indexes them; a duplicate, a
 * file that is also a directory, or a directory record with nothing under it becomes the
 * tree's error. 0, or -1 when the tree has an error (sw_tree_fail reports it). */
int sw_tree_index(struct sw_tree *t);

struct sw_os_stat;

/* Whether rec is what sw_fs_stamp(st) writes (read back rather than formatted, which spares an
 * snprintf per file of a warm verify). */
bool sw_tree_same_stamp(const char *rec, const struct sw_os_stat *st);

/* Whether e, found on disk as st, is as its recorded stamp says and needs no other check:
 * the same kind, size and stamp (a directory's stamp only where directory stamps are kept). A
 * record without a stamp is never unchanged. */
bool sw_tree_unchanged(const struct entry *e, const struct sw_os_stat *st);

/* The stat pass of sw_tree_verify for a big tree, on min(processors, 4) threads: a calloc'd
 * array of t->n flags, 1 where record i is unchanged (sw_tree_unchanged), 0 where the verify
 * must look at it itself (changed, missing, unreadable, no stamp); the caller frees it. NULL
 * when the tree is smaller than 1,000 records or there is one processor: the verify then looks
 * at every record itself. root[0..root_len) is the root with its trailing '/'. t is only read. */
unsigned char *sw_tree_stat_all(const struct sw_tree *t, const char *root, size_t root_len);

/* Copies the tree's error into err (when not NULL) and returns -1. */
int sw_tree_fail(const struct sw_tree *t, struct sw_error *err);

#endif
