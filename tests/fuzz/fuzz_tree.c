/* libFuzzer harness for the tree manifest (src/io/tree_manifest.c and the records of tree.c):
 * the input is a manifest file as an actions/cache restore may bring it back, loaded with
 * sw_tree_load. Besides the sanitizers (no crash, leak or read out of bounds), it aborts when an
 * invariant breaks:
 *   - a refusal is SW_EXIT_VERIFY with a lowercase message free of control characters;
 *   - what loads saves back to the very bytes it was read from (the format has one form per
 *     tree), and those load again to a tree that saves the same bytes (the round trip);
 *   - the first file's digest_of is the digest its line records;
 *   - stripped of its first record's top folder, the tree saves exactly the records it had
 *     under that folder, re-rooted, and that loads and saves alike;
 *   - verified against an empty directory it is missing its first record (nothing when it
 *     records none), and against no directory at all the root is missing.
 * Files go to a directory made once per process under /dev/shm (TMPDIR when there is none),
 * where sw_tree_save's fsync costs nothing. Seeds: scripts/fuzz writes a few manifests. */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/text.h"
#include "io/fs.h"
#include "io/tree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void broken(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_tree: invariant broken: %s: %s\n", what, detail);
    abort();
}

/* The scratch directory, made at the first input and kept (its files are rewritten). */
static const char *scratch(void)
{
    static char base[PATH_MAX / 2];
    if (base[0])
        return base;
    struct stat st;
    const char *tmp = getenv("TMPDIR");
    if (stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && access("/dev/shm", W_OK) == 0)
        tmp = "/dev/shm";
    snprintf(base, sizeof(base), "%s/sw-fuzz-tree-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(base))
        broken("mkdtemp", base);
    char *empty = sw_path_join(base, "empty");
    if (mkdir(empty, 0755) != 0)
        broken("cannot create", empty);
    free(empty);
    return base;
}

static void check_error(const struct sw_error *err, int code)
{
    if (err->code != code)
        broken("unexpected error class", err->msg);
    /* lowercase first, and sanitised (core/text.h): valid UTF-8, no control character */
    if (err->msg[0] < 'a' || err->msg[0] > 'z' || sw_text_unsafe(err->msg, false) != SIZE_MAX)
        broken("message not lowercase or not sanitised", err->msg);
}

/* Saves t to path and returns the bytes written (*len their count). */
static char *save(const struct sw_tree *t, const char *path, size_t *len)
{
    struct sw_error err = {0};
    struct sw_buf b = SW_BUF_INIT;
    if (sw_tree_save(t, path, &err) != 0)
        broken("a loaded tree does not save", err.msg);
    if (sw_fs_read(path, (size_t)1 << 27, &b, NULL, &err) != 0)
        broken("cannot read back", err.msg);
    *len = b.len;
    sw_buf_add(&b, "", 0); /* never NULL */
    return sw_buf_detach(&b);
}

/* Loads path, which must load, and checks it saves to text[0..len) again. */
static void round_trip(const char *path, const char *again, const char *text, size_t len)
{
    struct sw_error err = {0};
    struct sw_tree *t = NULL;
    size_t n = 0;
    if (sw_tree_load(path, &t, &err) != 0)
        broken("a saved tree does not load", err.msg);
    char *text2 = save(t, again, &n);
    if (n != len || memcmp(text, text2, len) != 0)
        broken("a saved tree loads to another tree", again);
    free(text2);
    sw_tree_free(t);
}

/* The path of the record line `line` of saved text (its length in *len), and its digest into
 * digest ("sha256:<hex>") when it is a file, else "". */
static const char *line_path(const char *line, size_t *len, char *digest)
{
    const char *p = line + 2;
    digest[0] = '\0';
    if (line[0] == 'f') {
        memcpy(digest, "sha256:", 7);
        memcpy(digest + 7, p, 64);
        digest[71] = '\0';
        p = strchr(strchr(p, ' ') + 1, ' ') + 1; /* past the digest and the size */
    }
    p = strchr(p, ' ') + 1; /* past the stamp */
    *len = strcspn(p, "\t\n");
    if (p + *len > strchr(line, '\n'))
        broken("a saved line does not parse", line);
    return p;
}

/* The first record line of saved text after the root's, or NULL when it records nothing. */
static const char *first_line(const char *text)
{
    const char *line = strchr(text, '\n') + 1; /* after the header */
    if (strncmp(line, "d ", 2) == 0 && strncmp(strchr(line + 2, ' '), " .\n", 3) == 0)
        line = strchr(line, '\n') + 1; /* the root's stamp */
    return strncmp(line, "end ", 4) == 0 ? NULL : line;
}

/* What sw_tree_strip(top) of the tree saved as text saves: its records under "top/", that
 * prefix cut, without the root's stamp. */
static char *stripped_text(const char *text, const char *top, size_t *out_len)
{
    struct sw_buf b = SW_BUF_INIT;
    size_t n = 0, len, tl = strlen(top);
    char digest[80], count[32];
    sw_buf_adds(&b, "setup-wash tree 1\n");
    const char *line = first_line(text);
    for (; line && strncmp(line, "end ", 4) != 0; line = strchr(line, '\n') + 1) {
        const char *path = line_path(line, &len, digest);
        if (len <= tl || strncmp(path, top, tl) != 0 || path[tl] != '/')
            continue;
        sw_buf_add(&b, line, (size_t)(path - line));
        sw_buf_add(&b, path + tl + 1, (size_t)(strchr(line, '\n') + 1 - (path + tl + 1)));
        n += line[0] != 'd';
    }
    snprintf(count, sizeof(count), "end %zu\n", n);
    sw_buf_adds(&b, count);
    *out_len = b.len;
    return sw_buf_detach(&b);
}

static void check_verify(struct sw_tree *t, const char *root, bool missing_root, const char *rel)
{
    struct sw_tree_verdict v;
    struct sw_error err = {0};
    if (sw_tree_verify(t, root, &v, &err) != 0) {
        check_error(&err, SW_EXIT_FS); /* a path too long to stat, say */
        return;
    }
    if (missing_root) {
        if (v.ok || strcmp(v.file, ".") != 0)
            broken("a missing root is not found missing", v.why);
    } else if (rel ? v.ok || !strstr(v.why, "is missing") : !v.ok) {
        broken("an empty root gives another verdict", v.why);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *base = scratch();
    char *in = sw_path_join(base, "in");
    char *out = sw_path_join(base, "out");
    char *again = sw_path_join(base, "again");
    char *empty = sw_path_join(base, "empty");
    char *none = sw_path_join(base, "none");
    struct sw_tree *t = NULL, *s = NULL;
    struct sw_error err = {0};
    char *text = NULL, *stripped = NULL;
    size_t len = 0, slen = 0;
    char rel[4096], top[4096], digest[80];

    FILE *f = fopen(in, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
        broken("cannot write the input", in);
    if (sw_tree_load(in, &t, &err) != 0) {
        if (t)
            broken("a failed load gave a tree", err.msg);
        check_error(&err, SW_EXIT_VERIFY);
        goto out;
    }

    text = save(t, out, &len);
    if (len != size || memcmp(text, data, size) != 0)
        broken("what loads does not save to the same bytes", out);
    round_trip(out, again, text, len);

    /* the first record: digest_of gives its digest (NULL for a link or a directory) */
    const char *first = first_line(text);
    size_t rlen = 0;
    if (first) {
        const char *path = line_path(first, &rlen, digest);
        memcpy(rel, path, rlen);
    }
    rel[rlen] = '\0';
    const char *got = first ? sw_tree_digest_of(t, rel) : NULL;
    if (first && (digest[0] ? !got || strcmp(got, digest) != 0 : got != NULL))
        broken("digest_of does not give the recorded digest", rel);

    /* stripped of the first record's top folder, what is left is a tree of its own */
    if (sw_tree_load(out, &s, &err) != 0)
        broken("a saved tree does not load", err.msg);
    size_t tl = strcspn(rel, "/");
    memcpy(top, rel, tl);
    top[tl] = '\0';
    sw_tree_strip(s, top);
    stripped = save(s, out, &slen);
    size_t wlen = 0;
    char *want = stripped_text(text, top, &wlen);
    if (slen != wlen || memcmp(stripped, want, wlen) != 0)
        broken("strip kept other records", top);
    free(want);
    round_trip(out, again, stripped, slen);

    check_verify(t, none, true, NULL);
    check_verify(t, empty, false, first ? rel : NULL);
out:
    sw_tree_free(t);
    sw_tree_free(s);
    free(text);
    free(stripped);
    free(in);
    free(out);
    free(again);
    free(empty);
    free(none);
    return 0;
}
