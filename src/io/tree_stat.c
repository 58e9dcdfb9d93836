/* The stat pass of a warm verify (tree_verify.c): which records still have the stamp the
 * manifest holds, looked at on several threads for a big tree. Only the looking is shared out;
 * what is found different is checked again, in order, by the verify itself. */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "io/fs.h"
#include "io/tree_internal.h"
#include "os/os.h"

/* A tree smaller than this is looked at on the calling thread alone: starting threads costs
 * more than they save. */
#define TREE_STAT_PARALLEL_MIN 1000
#define TREE_STAT_THREADS_MAX 4

bool sw_tree_same_stamp(const char *rec, const struct sw_os_stat *st)
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

bool sw_tree_unchanged(const struct entry *e, const struct sw_os_stat *st)
{
    if (!e->stamp)
        return false;
    switch (e->kind) {
    case K_FILE:
        return st->kind == SW_OS_REG && st->size == e->size && sw_tree_same_stamp(e->stamp, st);
    case K_LINK:
        return st->kind == SW_OS_LINK && sw_tree_same_stamp(e->stamp, st);
    default: /* a directory's stamp is not kept on Windows (tree.h) */
        return !SW_ON_WINDOWS && st->kind == SW_OS_DIR && sw_tree_same_stamp(e->stamp, st);
    }
}

/* One thread's share: the records [from, to). */
struct share {
    const struct sw_tree *t;
    const char *root; /* with its '/' */
    size_t root_len, from, to;
    unsigned char *same;
};

static int look(void *arg)
{
    struct share *s = arg;
    struct sw_buf path = SW_BUF_INIT;
    sw_buf_add(&path, s->root, s->root_len);
    for (size_t i = s->from; i < s->to; i++) {
        const struct entry *e = &s->t->e[i];
        struct sw_os_stat st;
        if (!e->stamp)
            continue; /* the verify hashes it, or lists it, whatever a stat says */
        path.len = s->root_len;
        sw_buf_adds(&path, e->rel);
        s->same[i] = sw_os_stat(path.data, false, &st) == 0 && sw_tree_unchanged(e, &st);
    }
    sw_buf_free(&path);
    return 0;
}

unsigned char *sw_tree_stat_all(const struct sw_tree *t, const char *root, size_t root_len)
{
    if (t->n < TREE_STAT_PARALLEL_MIN)
        return NULL;
    int threads = sw_os_cpu_count();
    if (threads > TREE_STAT_THREADS_MAX)
        threads = TREE_STAT_THREADS_MAX;
    if (threads < 2)
        return NULL;
    unsigned char *same = sw_xcalloc(t->n, 1);
    struct share shares[TREE_STAT_THREADS_MAX];
    struct sw_os_thread *running[TREE_STAT_THREADS_MAX] = {NULL};
    for (int k = 0; k < threads; k++) {
        shares[k] = (struct share){.t = t,
                                   .root = root,
                                   .root_len = root_len,
                                   .from = t->n * (size_t)k / (size_t)threads,
                                   .to = t->n * (size_t)(k + 1) / (size_t)threads,
                                   .same = same};
        /* the calling thread takes the first share; a thread that cannot start leaves its
         * share to it too */
        if (k > 0)
            running[k] = sw_os_thread_start(look, &shares[k]);
    }
    look(&shares[0]);
    for (int k = 1; k < threads; k++) {
        if (running[k])
            sw_os_thread_join(running[k]);
        else
            look(&shares[k]);
    }
    return same;
}
