/* libFuzzer harness for io/archive. The first byte of the input picks the mode, the rest is the
 * archive: bit 0 allows symlinks (the toolchain's mode: links that stay inside their tool's
 * root), bit 1 pulls the archive through sw_archive_extract_cb in chunks whose sizes come from
 * the upper bits (the streaming path of a tar.gz download) instead of sw_archive_extract on a
 * file. Each input is extracted into a fresh temporary directory with small limits. Besides the
 * sanitizers, it aborts when an invariant breaks: nothing may appear outside the destination;
 * the destination holds only directories, regular files (0644/0755, at most max_bytes in all)
 * and, in the symlink mode only, links whose target is relative and resolves (lexically and
 * through the file system) inside the destination; a failure is classed SW_EXIT_VERIFY (the
 * temporary directory is healthy, so SW_EXIT_FS means a misfiled error) with a lowercase
 * message free of control characters. scripts/fuzz builds it and seeds it with small tars and
 * zips of each layout, links included.
 */
#include <dirent.h>
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
#include "io/archive.h"

#define FUZZ_MAX_BYTES ((uint64_t)1 << 20)
#define FUZZ_MAX_ENTRIES 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void broken(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_archive: invariant broken: %s: %s\n", what, detail);
    abort();
}

static void rm_rf(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (!S_ISDIR(st.st_mode)) {
        unlink(path);
        return;
    }
    chmod(path, 0700);
    DIR *d = opendir(path);
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char *child = sw_xasprintf("%s/%s", path, de->d_name);
        rm_rf(child);
        free(child);
    }
    if (d)
        closedir(d);
    rmdir(path);
}

/* Whether path, resolved through the file system, is root or below it (a dangling link's
 * target does not resolve: it is checked lexically only). */
static void check_link(const char *root_real, const char *path)
{
    char target[PATH_MAX];
    ssize_t n = readlink(path, target, sizeof(target) - 1);
    if (n <= 0)
        broken("cannot read the link", path);
    target[n] = '\0';
    if (target[0] == '/' || strchr(target, '\\') || strchr(target, ':'))
        broken("link target not relative", target);
    char real[PATH_MAX];
    if (realpath(path, real)) {
        size_t rl = strlen(root_real);
        if (strncmp(real, root_real, rl) != 0 || (real[rl] != '\0' && real[rl] != '/'))
            broken("link resolves outside the destination", real);
    }
}

/* Checks the extracted tree and returns the bytes it holds. */
static uint64_t check_tree(const char *dir, const char *root_real, bool links)
{
    uint64_t total = 0;
    DIR *d = opendir(dir);
    struct dirent *de;
    if (!d)
        broken("cannot list", dir);
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char *path = sw_xasprintf("%s/%s", dir, de->d_name);
        struct stat st;
        if (lstat(path, &st) != 0)
            broken("cannot stat", path);
        mode_t perm = st.st_mode & 07777;
        if (S_ISDIR(st.st_mode))
            total += check_tree(path, root_real, links);
        else if (S_ISLNK(st.st_mode) && links)
            check_link(root_real, path);
        else if (!S_ISREG(st.st_mode))
            broken("not a regular file or directory", path);
        else if (perm != 0644 && perm != 0755)
            broken("unexpected mode", path);
        else
            total += (uint64_t)st.st_size;
        free(path);
    }
    closedir(d);
    return total;
}

/* The streaming mode's source: the archive in chunks of 1 to 64 bytes, sizes from a seed. */
struct chunks {
    const uint8_t *p;
    size_t left;
    unsigned seed;
};

static sw_ssize chunk_read(void *ud, void *buf, size_t n, struct sw_error *err)
{
    (void)err;
    struct chunks *c = ud;
    c->seed = c->seed * 1103515245u + 12345u;
    size_t k = 1 + (c->seed >> 16) % 64;
    if (k > n)
        k = n;
    if (k > c->left)
        k = c->left;
    memcpy(buf, c->p, k);
    c->p += k;
    c->left -= k;
    return (sw_ssize)k;
}

static void check_outside(const char *base)
{
    DIR *d = opendir(base);
    struct dirent *de;
    if (!d)
        broken("cannot list", base);
    while ((de = readdir(d)) != NULL) {
        const char *n = de->d_name;
        if (strcmp(n, ".") && strcmp(n, "..") && strcmp(n, "in") && strcmp(n, "out"))
            broken("written outside the destination", n);
    }
    closedir(d);
}

static void check_error(int rc, const struct sw_error *err)
{
    if (rc == 0) {
        if (err->code != 0)
            broken("success with an error set", err->msg);
        return;
    }
    if (rc != -1 || err->code != SW_EXIT_VERIFY)
        broken("unexpected result or class", err->msg);
    if (err->msg[0] < 'a' || err->msg[0] > 'z')
        broken("message does not start lowercase", err->msg);
    for (const char *p = err->msg; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            broken("control character in the message", err->msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char base[PATH_MAX / 2];
    umask(022); /* the mode invariant assumes it */
    const char *tmpdir = getenv("TMPDIR");
    snprintf(base, sizeof(base), "%s/sw-fuzz-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
    if (!mkdtemp(base))
        broken("mkdtemp", base);
    char *in = sw_xasprintf("%s/in", base);
    char *out = sw_xasprintf("%s/out", base);

    unsigned mode = size ? data[0] : 0;
    const uint8_t *arc = size ? data + 1 : data;
    size_t arc_len = size ? size - 1 : 0;
    FILE *f = fopen(in, "wb");
    if (!f || (arc_len && fwrite(arc, 1, arc_len, f) != arc_len) || fclose(f) != 0)
        broken("cannot write the input", in);
    if (mkdir(out, 0755) != 0)
        broken("cannot create", out);
    char out_real[PATH_MAX];
    if (!realpath(out, out_real))
        broken("realpath", out);

    struct sw_extract_limits limits = {FUZZ_MAX_BYTES, FUZZ_MAX_ENTRIES, .allow_symlinks = mode & 1};
    struct sw_error err = {0};
    int rc;
    if (mode & 2) {
        struct chunks c = {arc, arc_len, mode >> 2};
        rc = sw_archive_extract_cb(chunk_read, &c, "fuzz.tar.gz", out, &limits, &err);
    } else {
        rc = sw_archive_extract(in, out, &limits, &err);
    }

    check_error(rc, &err);
    check_outside(base);
    if (check_tree(out, out_real, limits.allow_symlinks) > FUZZ_MAX_BYTES)
        broken("more than max_bytes extracted", out);

    rm_rf(base);
    free(in);
    free(out);
    return 0;
}
