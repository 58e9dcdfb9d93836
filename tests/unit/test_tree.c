/* Tests for io/tree: one cmocka test per row of each table.
 * - manifest rows: a manifest's text, loaded: its record count, or the error it must give;
 * - record rows: what sw_tree_add_file / sw_tree_add_link were given: saved and loaded back,
 *   or the error save and verify must then give;
 * - verify rows: a small tool root (files, directories, symlinks on POSIX) recorded by
 *   sw_tree_scan, saved and loaded, then changed on disk: the verdict must name the change.
 * Plus the round trip, strip, digest_of, scan's refusals and the directory stamps. Files are
 * made through the platform layer, so the suite runs on Windows too (links and FIFOs are
 * POSIX-only rows there). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifndef _WIN32
#include <sys/stat.h>
#include <unistd.h>
#endif

#include "core/buf.h"
#include "core/error.h"
#include "core/hex.h"
#include "io/fs.h"
#include "io/tree.h"
#include "os/os.h"
#include "support.h"

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))
#define V SW_EXIT_VERIFY

/* ---- files ---- */

static void put(const char *root, const char *rel, const char *data, size_t len)
{
    struct sw_error err = {0};
    char *path = sw_path_join(root, rel);
    char *dir = sw_xstrdup(path);
    *strrchr(dir, '/') = '\0';
    if (sw_fs_mkdir_p(dir, 0755, &err) != 0 || sw_fs_write_atomic(path, data, len, 0644, &err) != 0)
        fail_msg("%s", err.msg);
    free(dir);
    free(path);
}

static void puts_(const char *root, const char *rel, const char *data)
{
    put(root, rel, data, strlen(data));
}

static void rm(const char *root, const char *rel)
{
    struct sw_error err = {0};
    char *path = sw_path_join(root, rel);
    if (sw_fs_rm_rf(path, &err) != 0)
        fail_msg("%s", err.msg);
    free(path);
}

static void mkdirs(const char *root, const char *rel)
{
    struct sw_error err = {0};
    char *path = sw_path_join(root, rel);
    if (sw_fs_mkdir_p(path, 0755, &err) != 0)
        fail_msg("%s", err.msg);
    free(path);
}

static char *slurp(const char *path, size_t *len)
{
    struct sw_buf b = SW_BUF_INIT;
    struct sw_error err = {0};
    if (sw_fs_read(path, (size_t)1 << 26, &b, NULL, &err) != 0)
        fail_msg("%s", err.msg);
    *len = b.len;
    if (!b.data)
        sw_buf_add(&b, "", 0);
    return sw_buf_detach(&b);
}

#ifndef _WIN32
static void link_(const char *root, const char *rel, const char *target)
{
    char *path = sw_path_join(root, rel);
    if (symlink(target, path) != 0)
        fail_msg("symlink %s: %s", path, strerror(errno));
    free(path);
}
#endif

/* The tool root every verify row starts from. */
static const char big_seed[] = "tinygo";

/* Files added under pad/ by make_base: 0, or enough for verify's stat pass to run on several
 * threads (io/tree_stat.c: 1,000 records) */
static int pad_files;
#define PAD_FILES 1100

static void make_base(const char *root)
{
    char big[3000];
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (char)(big_seed[i % 6] * 31 + i * 7);
    put(root, "bin/tinygo", big, sizeof(big));
    puts_(root, "lib/a.txt", "alpha\n");
    puts_(root, "lib/sub/b.txt", "beta\n");
    puts_(root, "src/x go", "package x\n");
#ifndef _WIN32
    link_(root, "bin/alias", "tinygo");
    link_(root, "lib/up", "../bin");
#endif
    for (int i = 0; i < pad_files; i++) {
        char rel[64];
        snprintf(rel, sizeof(rel), "pad/p%02d/f%04d", i % 10, i);
        puts_(root, rel, rel);
    }
}

/* ---- manifest rows ---- */

#define HDR "setup-wash tree 1\n"
#define H64 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define S1 "12:1700000000.000000001:1700000000.000000002:2049:77"

struct mrow {
    const char *name;
    const char *text;
    size_t len;           /* 0: strlen(text) */
    const char *fragment; /* NULL: it loads */
    size_t count;
};

static const struct mrow mrows[] = {
    {.name = "manifest: no records", .text = HDR "end 0\n", .count = 0},
    {.name = "manifest: files, a link, directory stamps",
     .text = HDR "d " S1 " .\n"
                 "f " H64 " 0 - a\n"
                 "d " S1 " b\n"
                 "f " H64 " 12 " S1 " b/c d\n"
                 "l - b/l\tc d\n"
                 "l " S1 " b/l2\t../a\n"
                 "f " H64 " 1 - b-c\n"
                 "end 5\n",
     .count = 5},
    {.name = "manifest: empty file", .text = "", .fragment = "line 1: not a setup-wash tree"},
    {.name = "manifest: another header",
     .text = "setup-wash tree 2\nend 0\n",
     .fragment = "line 1: not a setup-wash tree manifest (version 1)"},
    {.name = "manifest: no end line",
     .text = HDR "f " H64 " 0 - a\n",
     .fragment = "line 3: no end line (the manifest was cut)"},
    {.name = "manifest: cut inside a line",
     .text = HDR "f " H64 " 0 - a",
     .fragment = "line 2: an unterminated line"},
    {.name = "manifest: end miscounts",
     .text = HDR "f " H64 " 0 - a\nend 2\n",
     .fragment = "line 3: an end line that does not count the records"},
    {.name = "manifest: end with a leading zero",
     .text = HDR "f " H64 " 0 - a\nend 01\n",
     .fragment = "an end line that does not count"},
    {.name = "manifest: text after the end",
     .text = HDR "end 0\nf " H64 " 0 - a\n",
     .fragment = "line 2: text after the end line"},
    {.name = "manifest: blank line", .text = HDR "\nend 0\n", .fragment = "line 2: not a record"},
    {.name = "manifest: CRLF",
     .text = "setup-wash tree 1\r\nend 0\r\n",
     .fragment = "line 1: not a setup-wash tree"},
    {.name = "manifest: CR in a record",
     .text = HDR "f " H64 " 0 - a\r\nend 1\n",
     .fragment = "line 2: a control character or invalid UTF-8 in its path"},
    {.name = "manifest: unknown kind",
     .text = HDR "x " H64 " 0 - a\nend 1\n",
     .fragment = "line 2: not a record"},
    {.name = "manifest: short digest",
     .text = HDR "f e3b0 0 - a\nend 1\n",
     .fragment = "line 2: no SHA-256"},
    {.name = "manifest: uppercase digest",
     .text =
         HDR "f E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855 0 - a\nend 1\n",
     .fragment = "line 2: an uppercase SHA-256"},
    {.name = "manifest: digest not hex",
     .text = HDR "f "
                 "g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
                 " 0 - a\nend 1\n",
     .fragment = "no SHA-256"},
    {.name = "manifest: size with a leading zero",
     .text = HDR "f " H64 " 012 - a\nend 1\n",
     .fragment = "line 2: no size"},
    {.name = "manifest: size past 2^64",
     .text = HDR "f " H64 " 18446744073709551616 - a\nend 1\n",
     .fragment = "no size"},
    {.name = "manifest: negative size",
     .text = HDR "f " H64 " -1 - a\nend 1\n",
     .fragment = "no size"},
    {.name = "manifest: no stamp",
     .text = HDR "f " H64 " 0 a\nend 1\n",
     .fragment = "line 2: no stamp"},
    {.name = "manifest: a stamp with letters",
     .text = HDR "f " H64 " 0 1:2:x a\nend 1\n",
     .fragment = "no stamp"},
    {.name = "manifest: a directory without a stamp",
     .text = HDR "d - a\nf " H64 " 0 - a/b\nend 1\n",
     .fragment = "line 2: no stamp"},
    {.name = "manifest: two spaces",
     .text = HDR "f " H64 "  0 - a\nend 1\n",
     .fragment = "no size"},
    {.name = "manifest: a link without a target",
     .text = HDR "l - a\nend 1\n",
     .fragment = "line 2: no link target"},
    {.name = "manifest: a link with an empty target",
     .text = HDR "l - a\t\nend 1\n",
     .fragment = "line 2: an empty link target"},
    {.name = "manifest: a link target with a tab",
     .text = HDR "l - a\tb\tc\nend 1\n",
     .fragment = "a control character or invalid UTF-8 in its link target"},
    {.name = "manifest: path with ..",
     .text = HDR "f " H64 " 0 - a/../b\nend 1\n",
     .fragment = "line 2: a '.' or '..' path component"},
    {.name = "manifest: path with .",
     .text = HDR "f " H64 " 0 - ./b\nend 1\n",
     .fragment = "a '.' or '..' path component"},
    {.name = "manifest: absolute path",
     .text = HDR "f " H64 " 0 - /etc/passwd\nend 1\n",
     .fragment = "an empty path component"},
    {.name = "manifest: path with //",
     .text = HDR "f " H64 " 0 - a//b\nend 1\n",
     .fragment = "an empty path component"},
    {.name = "manifest: path with a trailing /",
     .text = HDR "f " H64 " 0 - a/\nend 1\n",
     .fragment = "an empty path component"},
    {.name = "manifest: empty path",
     .text = HDR "f " H64 " 0 - \nend 1\n",
     .fragment = "an empty path"},
    {.name = "manifest: path with ESC",
     .text = HDR "f " H64 " 0 - a\x1b[2J\nend 1\n",
     .fragment = "a control character or invalid UTF-8 in its path"},
    {.name = "manifest: path not UTF-8",
     .text = HDR "f " H64 " 0 - a\xff\nend 1\n",
     .fragment = "invalid UTF-8"},
    {.name = "manifest: NUL byte",
     .text = HDR "f " H64 " 0 - a\0b\nend 1\n",
     .len = sizeof(HDR "f " H64 " 0 - a\0b\nend 1\n") - 1,
     .fragment = "line 2: a NUL byte"},
    {.name = "manifest: out of order",
     .text = HDR "f " H64 " 0 - b\nf " H64 " 0 - a\nend 2\n",
     .fragment = "line 3: a path out of order or recorded twice"},
    {.name = "manifest: out of order by the '/' rule",
     .text = HDR "f " H64 " 0 - a-b\nf " H64 " 0 - a/b\nend 2\n",
     .fragment = "line 3: a path out of order"},
    {.name = "manifest: recorded twice",
     .text = HDR "f " H64 " 0 - a\nl - a\tb\nend 2\n",
     .fragment = "line 3: a path out of order or recorded twice"},
    {.name = "manifest: a file that is also a directory",
     .text = HDR "f " H64 " 0 - a\nf " H64 " 0 - a/b\nend 2\n",
     .fragment = "'a' in the tree's manifest: it is recorded both as a file and as a directory"},
    {.name = "manifest: a directory with nothing under it",
     .text = HDR "d " S1 " a\nf " H64 " 0 - b\nend 1\n",
     .fragment = "'a' in the tree's manifest: it is a directory with nothing recorded under it"},
    {.name = "manifest: the root's stamp not first",
     .text = HDR "f " H64 " 0 - a\nd " S1 " .\nend 1\n",
     .fragment = "line 3: the root's record is not the first"},
};

static char *scratch;

static void test_manifest_row(void **state)
{
    const struct mrow *r = *state;
    struct sw_tree *t = NULL;
    struct sw_error err = {0};
    char *path = sw_path_join(scratch, "manifest");
    put(scratch, "manifest", r->text, r->len ? r->len : strlen(r->text));
    int rc = sw_tree_load(path, &t, &err);
    if (r->fragment) {
        if (rc != -1 || t)
            fail_msg("loaded, want \"%s\"", r->fragment);
        assert_int_equal(err.code, V);
        if (!strstr(err.msg, r->fragment))
            fail_msg("message \"%s\" lacks \"%s\"", err.msg, r->fragment);
    } else {
        if (rc != 0)
            fail_msg("%s", err.msg);
        assert_int_equal(sw_tree_count(t), r->count);
        /* saved again, it is the same text */
        char *again = sw_path_join(scratch, "again");
        size_t la = 0;
        assert_int_equal(sw_tree_save(t, again, &err), 0);
        char *text = slurp(again, &la);
        assert_int_equal(la, strlen(r->text));
        assert_memory_equal(text, r->text, la);
        free(text);
        free(again);
    }
    sw_tree_free(t);
    free(path);
}

/* ---- record rows ---- */

struct rec {
    char kind; /* 'f' or 'l' */
    const char *rel;
    const char *extra; /* a file's stamp, a link's target */
};

struct rrow {
    const char *name;
    struct rec recs[4];
    const char *fragment; /* NULL: it records */
};

static const struct rrow rrows[] = {
    {.name = "record: names with spaces and UTF-8",
     .recs = {{'f', "a b/c d", S1}, {'f', "caf\xc3\xa9/\xe6\x97\xa5", NULL}, {'l', "x", "a b"}}},
    {.name = "record: a newline in a name",
     .recs = {{'f', "bin/a\nb", NULL}},
     .fragment = "cannot record 'bin/a\\x0ab' in the tree's manifest: a control character"},
    {.name = "record: ESC in a name",
     .recs = {{'f', "a\x1b[2J", NULL}},
     .fragment = "a control character or invalid UTF-8 in its path"},
    {.name = "record: a name not UTF-8",
     .recs = {{'f', "a\xff", NULL}},
     .fragment = "a control character or invalid UTF-8 in its path"},
    {.name = "record: a/../b", .recs = {{'f', "a/../b", NULL}}, .fragment = "'.' or '..'"},
    {.name = "record: ./a", .recs = {{'f', "./a", NULL}}, .fragment = "'.' or '..'"},
    {.name = "record: absolute",
     .recs = {{'f', "/a", NULL}},
     .fragment = "an empty path component"},
    {.name = "record: a//b", .recs = {{'l', "a//b", "x"}}, .fragment = "an empty path component"},
    {.name = "record: a trailing /", .recs = {{'f', "a/", NULL}}, .fragment = "an empty path comp"},
    {.name = "record: empty", .recs = {{'f', "", NULL}}, .fragment = "an empty path"},
    {.name = "record: twice",
     .recs = {{'f', "a", NULL}, {'f', "a", NULL}},
     .fragment = "cannot record 'a' in the tree's manifest: it is recorded twice"},
    {.name = "record: a file and a link of one name",
     .recs = {{'l', "a", "b"}, {'f', "a", NULL}},
     .fragment = "it is recorded twice"},
    {.name = "record: a file that is a directory too",
     .recs = {{'f', "lib/a", NULL}, {'f', "lib", NULL}},
     .fragment = "'lib' in the tree's manifest: it is recorded both as a file and as a directory"},
    {.name = "record: a link that is a directory too",
     .recs = {{'l', "lib", "x"}, {'f', "lib/a/b", NULL}},
     .fragment = "'lib' in the tree's manifest: it is recorded both"},
    {.name = "record: an empty link target",
     .recs = {{'l', "a", ""}},
     .fragment = "an empty link target"},
    {.name = "record: a link target with a newline",
     .recs = {{'l', "a", "b\nc"}},
     .fragment = "a control character or invalid UTF-8 in its link target"},
    {.name = "record: a stamp sw_fs_stamp does not make",
     .recs = {{'f', "a", "1 2"}},
     .fragment = "its stamp is not one sw_fs_stamp makes"},
    {.name = "record: the first error is kept",
     .recs = {{'f', "", NULL}, {'f', "a\n", NULL}},
     .fragment = "cannot record '' in the tree's manifest: an empty path"},
};

static void test_record_row(void **state)
{
    const struct rrow *r = *state;
    static const unsigned char md[32] = {1, 2, 3};
    struct sw_tree *t = sw_tree_new();
    struct sw_tree *back = NULL;
    struct sw_error err = {0};
    struct sw_tree_verdict v;
    char *path = sw_path_join(scratch, "manifest");
    for (const struct rec *x = r->recs; x->rel; x++) {
        if (x->kind == 'f')
            sw_tree_add_file(t, x->rel, md, 7, x->extra);
        else
            sw_tree_add_link(t, x->rel, x->extra);
    }
    int rc = sw_tree_save(t, path, &err);
    if (r->fragment) {
        assert_int_equal(rc, -1);
        assert_int_equal(err.code, V);
        if (!strstr(err.msg, r->fragment))
            fail_msg("save: message \"%s\" lacks \"%s\"", err.msg, r->fragment);
        sw_error_clear(&err);
        assert_int_equal(sw_tree_verify(t, scratch, &v, &err), -1);
        if (!strstr(err.msg, r->fragment))
            fail_msg("verify: message \"%s\" lacks \"%s\"", err.msg, r->fragment);
    } else {
        if (rc != 0 || sw_tree_load(path, &back, &err) != 0)
            fail_msg("%s", err.msg);
        assert_int_equal(sw_tree_count(back), sw_tree_count(t));
    }
    sw_tree_free(t);
    sw_tree_free(back);
    free(path);
}

/* ---- verify rows ---- */

static void m_none(const char *root)
{
    (void)root;
}

/* what an actions/cache restore does to every file: the same bytes, new stamps */
static void m_restore(const char *root)
{
    const char *files[] = {"bin/tinygo", "lib/a.txt", "lib/sub/b.txt", "src/x go"};
    for (size_t i = 0; i < ROWS(files); i++) {
        char *path = sw_path_join(root, files[i]);
        size_t len;
        char *data = slurp(path, &len);
        put(root, files[i], data, len);
        free(data);
        free(path);
    }
}

static void m_rewrite_one(const char *root)
{
    puts_(root, "lib/a.txt", "alpha\n");
}

/* touch: the same inode and bytes, new times */
static void m_touch(const char *root)
{
    char *path = sw_path_join(root, "lib/sub/b.txt");
    sw_os_sleep_ms(30); /* past the timestamp tick of the recording */
    int fd = sw_os_open(path, SW_O_WRONLY, 0);
    assert_true(fd >= 0);
    assert_int_equal(sw_os_write(fd, "b", 1), 1);
    sw_os_close(fd);
    free(path);
}

static void m_byte(const char *root)
{
    puts_(root, "lib/a.txt", "alphA\n");
}

static void m_byte_in_place(const char *root)
{
    char *path = sw_path_join(root, "lib/a.txt");
    sw_os_sleep_ms(30); /* past the timestamp tick of the recording */
    int fd = sw_os_open(path, SW_O_WRONLY, 0);
    assert_true(fd >= 0);
    assert_int_equal(sw_os_write(fd, "A", 1), 1);
    sw_os_close(fd);
    free(path);
}

static void m_grow(const char *root)
{
    puts_(root, "lib/a.txt", "alpha!\n");
}

static void m_add_top(const char *root)
{
    puts_(root, "new", "x");
}

static void m_add_deep(const char *root)
{
    puts_(root, "lib/sub/new", "x");
}

static void m_add_empty_dir(const char *root)
{
    mkdirs(root, "lib/empty/deeper");
}

static void m_add_dir(const char *root)
{
    puts_(root, "lib/extra/f", "x");
}

static void m_rm_file(const char *root)
{
    rm(root, "lib/a.txt");
}

static void m_rm_dir(const char *root)
{
    rm(root, "lib/sub");
}

static void m_dir_to_file(const char *root)
{
    rm(root, "lib/sub");
    puts_(root, "lib/sub", "beta\n");
}

static void m_rm_root(const char *root)
{
    rm(root, "");
}

static void m_root_to_file(const char *root)
{
    struct sw_error err = {0};
    rm(root, "");
    if (sw_fs_write_atomic(root, "x", 1, 0644, &err) != 0)
        fail_msg("%s", err.msg);
}

#ifndef _WIN32
static void m_file_to_link(const char *root)
{
    rm(root, "bin/tinygo");
    link_(root, "bin/tinygo", "../lib/a.txt");
}

static void m_dir_to_link(const char *root)
{
    char *from = sw_path_join(root, "lib/sub"), *to = sw_xasprintf("%s-sub", root);
    assert_int_equal(rename(from, to), 0);
    link_(root, "lib/sub", to);
    free(from);
    free(to);
}

static void m_retarget(const char *root)
{
    sw_os_sleep_ms(30); /* past the timestamp tick of the recording */
    rm(root, "bin/alias");
    link_(root, "bin/alias", "other");
}

static void m_link_to_file(const char *root)
{
    rm(root, "bin/alias");
    puts_(root, "bin/alias", "tinygo");
}

static void m_link_again(const char *root)
{
    sw_os_sleep_ms(30); /* past the timestamp tick of the recording (the inode may be reused) */
    rm(root, "bin/alias");
    link_(root, "bin/alias", "tinygo");
}

static void m_chmod(const char *root)
{
    char *p = sw_path_join(root, "bin/tinygo");
    sw_os_sleep_ms(30); /* past the timestamp tick of the recording */
    assert_int_equal(chmod(p, 0755), 0);
    free(p);
}

static void m_fifo_added(const char *root)
{
    char *p = sw_path_join(root, "lib/pipe");
    assert_int_equal(mkfifo(p, 0644), 0);
    free(p);
}

static void m_file_to_fifo(const char *root)
{
    rm(root, "lib/a.txt");
    char *p = sw_path_join(root, "lib/a.txt");
    assert_int_equal(mkfifo(p, 0644), 0);
    free(p);
}

static void m_add_control(const char *root)
{
    puts_(root, "lib/x\x1b[2J", "x");
}
#endif

struct vrow {
    const char *name;
    void (*mutate)(const char *root);
    bool posix_only;
    bool ok;
    const char *file;     /* v.file when !ok */
    const char *fragment; /* in v.why when !ok */
    unsigned rehashed;
};

#ifdef _WIN32
#define POSIX_(f) NULL
#else
#define POSIX_(f) f
#endif

static const struct vrow vrows[] = {
    {"verify: unchanged", m_none, false, true, NULL, NULL, 0},
    {"verify: every file rewritten with its bytes (a cache restore)", m_restore, false, true, NULL,
     NULL, 4},
    {"verify: one file rewritten with its bytes", m_rewrite_one, false, true, NULL, NULL, 1},
    {"verify: one file touched in place", m_touch, false, true, NULL, NULL, 1},
    {"verify: chmod", POSIX_(m_chmod), true, true, NULL, NULL, 1},
    {"verify: a byte changed", m_byte, false, false, "lib/a.txt",
     "'lib/a.txt' is not the file installed (recorded "
     "sha256:b6a98d9ce9a2d9149288fa3df42d377c3e42737afdcdaf714e33c0a100b51060, found "
     "sha256:beb5b2eb5bae539118a69b3d87ccf37cff629b79104253d09d8c24c17eb5ae22)",
     0},
    {"verify: a byte changed in place", m_byte_in_place, false, false, "lib/a.txt",
     "'lib/a.txt' is not the file installed (recorded sha256:", 0},
    {"verify: a file grown", m_grow, false, false, "lib/a.txt",
     "'lib/a.txt' is not the file installed (recorded 6 bytes, found 7)", 0},
    {"verify: a file added at the top", m_add_top, false, false, "new", "'new' was added", 0},
    {"verify: a file added deep", m_add_deep, false, false, "lib/sub/new",
     "'lib/sub/new' was added", 0},
    {"verify: empty directories added", m_add_empty_dir, false, true, NULL, NULL, 0},
    {"verify: a directory with a file added", m_add_dir, false, false, "lib/extra",
     "'lib/extra' was added", 0},
    {"verify: a file removed", m_rm_file, false, false, "lib/a.txt", "'lib/a.txt' is missing", 0},
    {"verify: a directory removed", m_rm_dir, false, false, "lib/sub", "'lib/sub' is missing", 0},
    {"verify: a directory replaced by a file", m_dir_to_file, false, false, "lib/sub",
     "'lib/sub' is now a file", 0},
    {"verify: the root removed", m_rm_root, false, false, ".", "the root directory is missing", 0},
    {"verify: the root replaced by a file", m_root_to_file, false, false, ".",
     "the root directory is now a file", 0},
    {"verify: a file replaced by a symlink", POSIX_(m_file_to_link), true, false, "bin/tinygo",
     "'bin/tinygo' is now a symlink", 0},
    {"verify: a directory replaced by a symlink", POSIX_(m_dir_to_link), true, false, "lib/sub",
     "'lib/sub' is now a symlink", 0},
    {"verify: a symlink pointed elsewhere", POSIX_(m_retarget), true, false, "bin/alias",
     "'bin/alias' now points to 'other' (recorded 'tinygo')", 0},
    {"verify: a symlink replaced by a file", POSIX_(m_link_to_file), true, false, "bin/alias",
     "'bin/alias' is now a file", 0},
    {"verify: a symlink made again alike", POSIX_(m_link_again), true, true, NULL, NULL, 0},
    {"verify: a FIFO added", POSIX_(m_fifo_added), true, false, "lib/pipe", "'lib/pipe' was added",
     0},
    {"verify: a file replaced by a FIFO", POSIX_(m_file_to_fifo), true, false, "lib/a.txt",
     "'lib/a.txt' is now a FIFO", 0},
    {"verify: a name with control characters added", POSIX_(m_add_control), true, false,
     "lib/x\\x1b[2J", "'lib/x\\x1b[2J' was added", 0},
};

/* The rows run again in a big tree (test_verify_row_big): one of each way a record can differ
 * from its stamp, at the start, in the middle and at the end of the records. */
static const char *const big_rows[] = {
    "verify: unchanged",
    "verify: every file rewritten with its bytes (a cache restore)",
    "verify: a byte changed in place",
    "verify: a file grown",
    "verify: a file added deep",
    "verify: a file removed",
    "verify: a directory replaced by a file",
    "verify: a file replaced by a symlink",
    "verify: a symlink pointed elsewhere",
    "verify: a symlink made again alike",
};

/* Records root by scan, saves and loads the manifest (kept in scratch). */
static struct sw_tree *record(const char *root, const char *manifest)
{
    struct sw_tree *t = sw_tree_new(), *back = NULL;
    struct sw_error err = {0};
    if (sw_tree_scan(t, root, &err) != 0 || sw_tree_save(t, manifest, &err) != 0 ||
        sw_tree_load(manifest, &back, &err) != 0)
        fail_msg("%s", err.msg);
    sw_tree_free(t);
    return back;
}

static void verify_row(const struct vrow *r)
{
    if (!r->mutate)
        skip();
    char *dir = sw_test_tmpdir("sw-tree");
    char *root = sw_path_join(dir, "root"), *manifest = sw_path_join(dir, "files");
    struct sw_error err = {0};
    struct sw_tree_verdict v;
    make_base(root);
    struct sw_tree *t = record(root, manifest);
    r->mutate(root);
    if (sw_tree_verify(t, root, &v, &err) != 0)
        fail_msg("verify failed: %s", err.msg);
    if (v.ok != r->ok)
        fail_msg("ok is %d, want %d (%s)", v.ok, r->ok, v.why);
    if (!r->ok) {
        assert_string_equal(v.file, r->file);
        if (!strstr(v.why, r->fragment))
            fail_msg("why \"%s\" lacks \"%s\"", v.why, r->fragment);
    } else {
        assert_int_equal(v.rehashed, r->rehashed);
        /* making a big tree may take the 2 s after which directory stamps are learnt too */
        if (!pad_files)
            assert_int_equal(v.restamped, r->rehashed > 0 || r->mutate == POSIX_(m_link_again));
        /* saved and loaded, the new stamps hold: nothing is hashed again */
        struct sw_tree *back = NULL;
        if (sw_tree_save(t, manifest, &err) != 0 || sw_tree_load(manifest, &back, &err) != 0 ||
            sw_tree_verify(back, root, &v, &err) != 0)
            fail_msg("%s", err.msg);
        assert_true(v.ok);
        assert_int_equal(v.rehashed, 0);
        if (!pad_files)
            assert_false(v.restamped);
        sw_tree_free(back);
    }
    sw_tree_free(t);
    assert_int_equal(sw_fs_rm_rf(dir, &err), 0);
    free(root);
    free(manifest);
    free(dir);
}

static void test_verify_row(void **state)
{
    verify_row(*state);
}

/* The same row in a tree big enough that the stat pass runs on several threads (when there
 * are several processors): what they find unchanged is skipped, the rest checked in order.
 * The padding is set and reset around it, so a row that fails or is skipped leaves none. */
static int big_setup(void **state)
{
    (void)state;
    pad_files = PAD_FILES;
    return 0;
}

static int big_teardown(void **state)
{
    (void)state;
    pad_files = 0;
    return 0;
}

/* ---- the rest ---- */

static void sha256_hex(const char *data, size_t len, char out[72])
{
    unsigned char md[32];
    EVP_Digest(data, len, md, NULL, EVP_sha256(), NULL);
    memcpy(out, "sha256:", 7);
    sw_hex_encode(md, 32, out + 7);
}

/* scan, save, load, save: the same manifest; digest_of gives each file's SHA-256. */
static void test_round_trip(void **state)
{
    (void)state;
    char *dir = sw_test_tmpdir("sw-tree");
    char *root = sw_path_join(dir, "root"), *m1 = sw_path_join(dir, "m1"),
         *m2 = sw_path_join(dir, "m2");
    struct sw_error err = {0};
    make_base(root);
    struct sw_tree *t = record(root, m1);
    assert_int_equal(sw_tree_count(t), SW_ON_WINDOWS ? 4 : 6);
    assert_int_equal(sw_tree_save(t, m2, &err), 0);
    size_t l1, l2;
    char *a = slurp(m1, &l1), *b = slurp(m2, &l2);
    assert_int_equal(l1, l2);
    assert_memory_equal(a, b, l1);
    char want[72];
    sha256_hex("alpha\n", 6, want);
    assert_string_equal(sw_tree_digest_of(t, "lib/a.txt"), want);
    sha256_hex("package x\n", 10, want);
    assert_string_equal(sw_tree_digest_of(t, "src/x go"), want);
    assert_null(sw_tree_digest_of(t, "lib"));
    assert_null(sw_tree_digest_of(t, "nope"));
    if (!SW_ON_WINDOWS)
        assert_null(sw_tree_digest_of(t, "bin/alias"));
    free(a);
    free(b);
    sw_tree_free(t);
    sw_fs_rm_rf(dir, &err);
    free(root);
    free(m1);
    free(m2);
    free(dir);
}

/* What the extractor recorded under the single top folder becomes relative to it. */
static void test_strip(void **state)
{
    (void)state;
    static const unsigned char md[32] = {0xab};
    struct sw_tree *t = sw_tree_new();
    sw_tree_add_file(t, "tinygo/bin/tinygo", md, 1, NULL);
    sw_tree_add_file(t, "tinygo/lib/y", md, 2, NULL);
    sw_tree_add_link(t, "tinygo/bin/x", "../lib/y");
    sw_tree_add_file(t, "tinygo-other/z", md, 3, NULL);
    sw_tree_add_file(t, "README", md, 4, NULL);
    assert_int_equal(sw_tree_count(t), 5);
    sw_tree_strip(t, "tinygo");
    assert_int_equal(sw_tree_count(t), 3);
    assert_non_null(sw_tree_digest_of(t, "bin/tinygo"));
    assert_string_equal(sw_tree_digest_of(t, "lib/y"),
                        "sha256:ab00000000000000000000000000000000000000000000000000000000000000");
    assert_null(sw_tree_digest_of(t, "tinygo/bin/tinygo"));
    assert_null(sw_tree_digest_of(t, "z"));
    assert_null(sw_tree_digest_of(t, "README"));
    sw_tree_free(t);
    sw_tree_free(NULL);
}

/* A file recorded without a stamp is hashed at the first verify, then restamped; a wrong digest
 * recorded is found even when the size matches. */
static void test_unknown_stamp(void **state)
{
    (void)state;
    char *dir = sw_test_tmpdir("sw-tree");
    struct sw_error err = {0};
    struct sw_tree_verdict v;
    unsigned char md[32];
    puts_(dir, "wkg",
          "\x7f"
          "ELF wkg");
    EVP_Digest("\x7f"
               "ELF wkg",
               8, md, NULL, EVP_sha256(), NULL);
    struct sw_tree *t = sw_tree_new();
    sw_tree_add_file(t, "wkg", md, 8, NULL);
    assert_int_equal(sw_tree_verify(t, dir, &v, &err), 0);
    assert_true(v.ok);
    assert_int_equal(v.rehashed, 1);
    assert_true(v.restamped);
    assert_int_equal(sw_tree_verify(t, dir, &v, &err), 0);
    assert_int_equal(v.rehashed, 0);
    sw_tree_free(t);

    md[0] ^= 1;
    t = sw_tree_new();
    sw_tree_add_file(t, "wkg", md, 8, "");
    assert_int_equal(sw_tree_verify(t, dir, &v, &err), 0);
    assert_false(v.ok);
    assert_string_equal(v.file, "wkg");
    if (!strstr(v.why, "'wkg' is not the file installed (recorded sha256:") ||
        !strstr(v.why, ", found sha256:"))
        fail_msg("%s", v.why);
    sw_tree_free(t);
    sw_fs_rm_rf(dir, &err);
    free(dir);
}

/* scan records regular files and links only; a missing manifest is a filesystem error. */
static void test_scan_refusals(void **state)
{
    (void)state;
    char *dir = sw_test_tmpdir("sw-tree");
    struct sw_error err = {0};
    struct sw_tree *t = sw_tree_new(), *loaded = NULL;
    char *missing = sw_path_join(dir, "nope");
    assert_int_equal(sw_tree_load(missing, &loaded, &err), -1);
    assert_int_equal(err.code, SW_EXIT_FS);
    assert_null(loaded);
    assert_int_equal(sw_tree_scan(t, missing, &err), -1);
    assert_int_equal(err.code, SW_EXIT_FS);
#ifndef _WIN32
    sw_error_clear(&err);
    char *p = sw_path_join(dir, "lib/pipe");
    puts_(dir, "lib/a", "a");
    assert_int_equal(mkfifo(p, 0644), 0);
    assert_int_equal(sw_tree_scan(t, dir, &err), -1);
    assert_int_equal(err.code, SW_EXIT_FS);
    if (!strstr(err.msg, "lib/pipe': it is a FIFO"))
        fail_msg("%s", err.msg);
    free(p);
    /* a manifest reached through a symlink is refused */
    sw_error_clear(&err);
    puts_(dir, "real", HDR "end 0\n");
    link_(dir, "files", "real");
    p = sw_path_join(dir, "files");
    assert_int_equal(sw_tree_load(p, &loaded, &err), -1);
    assert_int_equal(err.code, SW_EXIT_FS);
    free(p);
#endif
    sw_tree_free(t);
    sw_fs_rm_rf(dir, &err);
    free(missing);
    free(dir);
}

/* Directory stamps (POSIX): learnt once directories are 2 s old, kept in the manifest, and
 * then spare the listing; an entry added anywhere still changes its directory's stamp. */
static void test_dir_stamps(void **state)
{
    (void)state;
    if (SW_ON_WINDOWS)
        skip();
    char *dir = sw_test_tmpdir("sw-tree");
    char *root = sw_path_join(dir, "root"), *manifest = sw_path_join(dir, "files");
    struct sw_error err = {0};
    struct sw_tree_verdict v;
    make_base(root);
    struct sw_tree *t = record(root, manifest), *back = NULL;
    assert_int_equal(sw_tree_verify(t, root, &v, &err), 0);
    assert_true(v.ok);
    if (v.restamped) /* directories too young to be trusted */
        fail_msg("restamped, %u rehashed", v.rehashed);
    sw_os_sleep_ms(2200);
    assert_int_equal(sw_tree_verify(t, root, &v, &err), 0);
    assert_true(v.ok);
    assert_true(v.restamped);
    assert_int_equal(sw_tree_save(t, manifest, &err), 0);
    size_t len;
    char *text = slurp(manifest, &len);
    if (!strstr(text, "\nd ") || !strstr(text, " .\n") || !strstr(text, " lib/sub\n"))
        fail_msg("no directory stamps in:\n%s", text);
    free(text);
    assert_int_equal(sw_tree_load(manifest, &back, &err), 0);
    assert_int_equal(sw_tree_verify(back, root, &v, &err), 0);
    assert_true(v.ok);
    assert_false(v.restamped);

    const char *added[] = {"lib/sub/new", "new", "src/.hidden"};
    for (size_t i = 0; i < ROWS(added); i++) {
        puts_(root, added[i], "x");
        assert_int_equal(sw_tree_verify(back, root, &v, &err), 0);
        assert_false(v.ok);
        assert_string_equal(v.file, added[i]);
        rm(root, added[i]);
    }
    sw_tree_free(t);
    sw_tree_free(back);
    sw_fs_rm_rf(dir, &err);
    free(root);
    free(manifest);
    free(dir);
}

int main(void)
{
    size_t n = ROWS(mrows) + ROWS(rrows) + ROWS(vrows) + ROWS(big_rows), i = 0;
    char(*big_names)[160] = calloc(ROWS(big_rows), sizeof(*big_names));
    const struct CMUnitTest fixed[] = {
        cmocka_unit_test(test_round_trip),    cmocka_unit_test(test_strip),
        cmocka_unit_test(test_unknown_stamp), cmocka_unit_test(test_scan_refusals),
        cmocka_unit_test(test_dir_stamps),
    };
    struct CMUnitTest *tests = calloc(n + ROWS(fixed), sizeof(*tests));
    for (size_t k = 0; k < ROWS(mrows); k++)
        tests[i++] =
            (struct CMUnitTest){mrows[k].name, test_manifest_row, NULL, NULL, (void *)&mrows[k]};
    for (size_t k = 0; k < ROWS(rrows); k++)
        tests[i++] =
            (struct CMUnitTest){rrows[k].name, test_record_row, NULL, NULL, (void *)&rrows[k]};
    for (size_t k = 0; k < ROWS(vrows); k++)
        tests[i++] =
            (struct CMUnitTest){vrows[k].name, test_verify_row, NULL, NULL, (void *)&vrows[k]};
    for (size_t b = 0; b < ROWS(big_rows); b++) {
        const struct vrow *r = NULL;
        for (size_t k = 0; k < ROWS(vrows) && !r; k++)
            if (strcmp(vrows[k].name, big_rows[b]) == 0)
                r = &vrows[k];
        if (!r) {
            fprintf(stderr, "big_rows names no row '%s'\n", big_rows[b]);
            return 1;
        }
        snprintf(big_names[b], sizeof(big_names[b]), "big tree, %s", r->name);
        tests[i++] =
            (struct CMUnitTest){big_names[b], test_verify_row, big_setup, big_teardown, (void *)r};
    }
    memcpy(tests + i, fixed, sizeof(fixed));
    scratch = sw_test_tmpdir("sw-tree-scratch");
    int rc = _cmocka_run_group_tests("tree", tests, n + ROWS(fixed), NULL, NULL);
    struct sw_error err = {0};
    sw_fs_rm_rf(scratch, &err);
    free(scratch);
    free(tests);
    free(big_names);
    return rc;
}
