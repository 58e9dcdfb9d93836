/* libFuzzer harness for io/archive: the input is written to a file and extracted into a fresh
 * temporary directory with small limits. Besides the sanitizers, it aborts when an invariant of
 * sw_archive_extract() breaks: nothing may appear outside the destination, the destination may
 * hold only regular files (0644/0755, at most max_bytes in all) and directories, a failure must be
 * classed SW_EXIT_VERIFY (the temporary directory is healthy, so SW_EXIT_FS means a misfiled
 * error) with a lowercase message free of control characters.
 *
 *   clang-14 -g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
 *       -fsanitize=fuzzer,address,undefined -Isrc src/io/archive.c src/core/error.c \
 *       src/core/buf.c tests/fuzz/fuzz_archive.c $(pkg-config --cflags --libs libarchive) \
 *       -o fuzz_archive && ./fuzz_archive -max_total_time=60 corpus/
 */
#include <dirent.h>
#include <limits.h>
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

/* Checks the extracted tree and returns the bytes it holds. */
static uint64_t check_tree(const char *dir)
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
            total += check_tree(path);
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

    FILE *f = fopen(in, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
        broken("cannot write the input", in);
    if (mkdir(out, 0755) != 0)
        broken("cannot create", out);

    struct sw_extract_limits limits = {FUZZ_MAX_BYTES, FUZZ_MAX_ENTRIES};
    struct sw_error err = {0};
    int rc = sw_archive_extract(in, out, &limits, &err);

    check_error(rc, &err);
    check_outside(base);
    if (check_tree(out) > FUZZ_MAX_BYTES)
        broken("more than max_bytes extracted", out);

    rm_rf(base);
    free(in);
    free(out);
    return 0;
}
