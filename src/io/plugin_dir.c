#include "io/plugin_dir.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/verify.h"
#include "io/fs.h"

char *sw_plugin_installed_path(const char *data_dir, const char *name)
{
    return sw_xasprintf("%s/plugins/%s.wasm", data_dir, name);
}

int sw_plugin_hash_file(const char *path, char *digest, size_t n, int64_t *size,
                        struct sw_error *err)
{
    unsigned char md[32], buf[65536];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return sw_error_set(err, SW_EXIT_FS, "cannot read '%s': %s", path, strerror(errno));
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    int64_t total = 0;
    ssize_t r;
    while ((r = read(fd, buf, sizeof(buf))) > 0) {
        EVP_DigestUpdate(ctx, buf, (size_t)r);
        total += r;
    }
    int e = errno;
    close(fd);
    EVP_DigestFinal_ex(ctx, md, NULL);
    EVP_MD_CTX_free(ctx);
    if (r < 0)
        return sw_error_set(err, SW_EXIT_FS, "cannot read '%s': %s", path, strerror(e));
    sw_digest_format(md, digest, n);
    *size = total;
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
