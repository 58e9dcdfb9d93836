#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#include <errno.h>

#include "core/buf.h"
#include "os/os.h"

char *sw_test_tmpdir(const char *stem)
{
    static int n;
    const char *tmp = sw_os_getenv("TMPDIR");
    if (!tmp || !*tmp)
        tmp = sw_os_getenv(SW_ON_WINDOWS ? "TEMP" : "TMPDIR");
    if (!tmp || !*tmp)
        tmp = "/tmp";
    char *base = sw_os_path_in(tmp);
    for (int tries = 0; tries < 100; tries++) {
        char *dir = sw_xasprintf("%s/%s-%d-%d", base, stem, sw_os_getpid(), ++n);
        if (sw_os_mkdir(dir, 0700) == 0) {
            free(base);
            return dir;
        }
        int e = errno;
        free(dir);
        if (e != EEXIST)
            break;
    }
    free(base);
    fail_msg("cannot create a scratch directory under %s", tmp);
    return NULL;
}

static void fixtures_dir(char *buf, size_t n)
{
    const char *env = getenv("SW_TEST_FIXTURES");
    if (env && *env) {
        snprintf(buf, n, "%s", env);
        return;
    }
    const char *file = __FILE__;
    const char *slash = strrchr(file, '/');
    if (!slash)
        snprintf(buf, n, "../fixtures");
    else
        snprintf(buf, n, "%.*s/../fixtures", (int)(slash - file), file);
}

char *sw_test_read_fixture(const char *rel, size_t *len)
{
    char dir[1024], path[1200];
    fixtures_dir(dir, sizeof(dir));
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    FILE *f = fopen(path, "rb");
    if (!f) {
        print_error("cannot open fixture '%s'\n", path);
        return NULL;
    }
    char *data = NULL;
    size_t cap = 0, used = 0;
    for (;;) {
        if (used + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 65536;
            data = realloc(data, cap);
            assert_non_null(data);
        }
        size_t got = fread(data + used, 1, cap - used - 1, f);
        used += got;
        if (got == 0)
            break;
    }
    fclose(f);
    data[used] = '\0';
    *len = used;
    return data;
}

void sw_test_load_releases(struct sw_releases *rs)
{
    static const struct {
        const char *repo, *file;
    } files[] = {
        {"wasmCloud/wash", "releases/wasmCloud_wash.json"},
        {"wasmCloud/wasmCloud", "releases/wasmCloud_wasmCloud.json"},
    };
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        size_t len = 0;
        char *json = sw_test_read_fixture(files[i].file, &len);
        struct sw_error err = {0};
        if (!json)
            fail();
        int rc = sw_releases_add_json(rs, files[i].repo, json, len, files[i].file, &err);
        free(json);
        if (rc != 0) {
            print_error("fixture %s: %s\n", files[i].file, err.msg);
            fail();
        }
    }
}
