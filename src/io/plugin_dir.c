#include "io/plugin_dir.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/verify.h"
#include "io/fs.h"

char *sw_plugin_installed_path(const char *data_dir, const char *name)
{
    return sw_xasprintf("%s/plugins/%s.wasm", data_dir, name);
}

int sw_plugin_open(const char *path, int64_t *size, struct sw_error *err)
{
    char shown[1024];
    struct sw_os_stat st;
    sw_sanitize(shown, sizeof(shown), path);
    int fd = sw_os_open(path, SW_O_RDONLY | SW_O_NONBLOCK, 0);
    if (fd < 0 || sw_os_fstat(fd, &st) < 0) {
        int e = errno;
        if (fd >= 0)
            sw_os_close(fd);
        return sw_error_set(err, SW_EXIT_FS, "cannot read '%s': %s", shown, strerror(e));
    }
    if (st.kind != SW_OS_REG) {
        sw_os_close(fd);
        return sw_error_set(
            err, SW_EXIT_USAGE,
            "'%s' is %s, not a regular file: a plugin is read from a regular .wasm file", shown,
            sw_fs_kind(st.kind));
    }
    *size = (int64_t)st.size;
    return fd;
}

int sw_plugin_read(int fd, const char *path, uint64_t max, int copy_fd, struct sw_plugin_file *out,
                   struct sw_error *err)
{
    unsigned char md[32];
    uint64_t size;
    if (sw_fs_hash_fd(fd, path, max, copy_fd, md, &size, err) < 0)
        return -1;
    sw_digest_format(md, out->digest, sizeof(out->digest));
    out->size = (int64_t)size;
    return 0;
}

int sw_plugin_hash_file(const char *path, char *digest, size_t n, int64_t *size,
                        struct sw_error *err)
{
    struct sw_plugin_file got;
    int64_t st_size;
    int fd = sw_plugin_open(path, &st_size, err);
    if (fd < 0)
        return -1;
    int rc = sw_plugin_read(fd, path, SW_PLUGIN_MAX_BYTES, -1, &got, err);
    sw_os_close(fd);
    if (rc < 0)
        return -1;
    snprintf(digest, n, "%s", got.digest);
    *size = got.size;
    return 0;
}

enum sw_plugin_state sw_plugin_state_of(const char *data_dir, const struct sw_lock_plugin *p,
                                        char *have, size_t n)
{
    char *path = sw_plugin_installed_path(data_dir, p->name);
    enum sw_plugin_state st;
    int64_t size;
    have[0] = '\0';
    if (!sw_fs_is_file(path))
        st = SW_PLUGIN_MISSING;
    else if (sw_plugin_hash_file(path, have, n, &size, NULL) < 0)
        st = SW_PLUGIN_UNREADABLE;
    else if (!p->digest)
        st = SW_PLUGIN_UNPINNED;
    else
        st = strcmp(have, p->digest) == 0 ? SW_PLUGIN_OK : SW_PLUGIN_MODIFIED;
    free(path);
    return st;
}
