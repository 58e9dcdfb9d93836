/* Getting the bytes of every plugin a lock lists, verified, into the content-addressed cache:
 * shared by `plugins lock` (which records what it found) and `plugins install` (which
 * requires what the lock pins). Downloads run in parallel; nothing is installed from here. */
#include "cmd/plugins_fetch.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/component.h"
#include "core/plugins.h"
#include "core/verify.h"
#include "io/fs.h"
#include "io/oci.h"
#include "io/plugin_dir.h"

#define PLUGIN_MAX_BYTES (256u << 20)

struct item {
    struct sw_lock_plugin *p;
    enum sw_plugin_source kind;
    struct sw_oci_ref ref;
    char manifest[80];
    char expected[80]; /* digest the bytes must have, "" when only the download will tell */
    int64_t size;
    bool need_download;
    char *part;
    int fd;
    struct sw_http_request rq;
    struct sw_http_reply reply;
    struct sw_error err;
    bool failed;
};

char *sw_plugin_cas_path(const char *cache_root, const char *digest)
{
    return sw_xasprintf("%s/plugins/sha256/%s.wasm", cache_root, digest + 7);
}

/* Whether the cache holds the bytes of digest, checked by hashing them again. */
static bool cas_has(const char *cache_root, const char *digest)
{
    char *path = sw_plugin_cas_path(cache_root, digest);
    char got[80];
    int64_t size;
    bool ok = sw_plugin_hash_file(path, got, sizeof(got), &size, NULL) == 0 &&
              strcmp(got, digest) == 0;
    free(path);
    return ok;
}

/* Moves a verified file into the cache under its digest. */
static int cas_put(const char *cache_root, const char *file, const char *digest,
                   struct sw_error *err)
{
    char *dir = sw_path_join(cache_root, "plugins/sha256");
    char *path = sw_plugin_cas_path(cache_root, digest);
    int rc = sw_fs_mkdir_p(dir, 0755, err);
    if (rc == 0 && rename(file, path) < 0)
        rc = sw_error_set(err, SW_EXIT_FS, "cannot store '%s' in the plugin cache: %s", path,
                          strerror(errno));
    free(dir);
    free(path);
    return rc;
}

static char *lock_dir(const char *lock_path)
{
    char *d = sw_xstrdup(lock_path);
    char *slash = strrchr(d, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(d, strlen(d) + 1, ".");
    return d;
}

/* The directory path sources must stay inside: the git work tree that holds the lock (the
 * nearest ancestor of the lock's directory with a .git entry), else the lock's directory;
 * resolved, no symlinks. NULL when the lock's directory cannot be resolved. */
static char *project_root(const char *lock_path)
{
    char *dir = lock_dir(lock_path);
    char *real = realpath(dir, NULL);
    free(dir);
    if (!real)
        return NULL;
    char *d = sw_xstrdup(real);
    for (;;) {
        struct stat st;
        char *git = sw_path_join(d, ".git");
        bool found = lstat(git, &st) == 0;
        free(git);
        char *slash = strrchr(d, '/');
        if (found || !slash || slash == d)
            break;
        *slash = '\0';
    }
    struct stat st;
    char *git = sw_path_join(d, ".git");
    bool in_tree = lstat(git, &st) == 0;
    free(git);
    if (in_tree) {
        free(real);
        return d;
    }
    free(d);
    return real;
}

static bool inside(const char *path, const char *root)
{
    size_t n = strlen(root);
    if (n == 1 && root[0] == '/')
        return true;
    return strncmp(path, root, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* A plugin from a local file: only a regular file inside the lock's project (unless the user
 * allowed others), read once and at most its pinned size (or PLUGIN_MAX_BYTES), hashed from
 * those bytes, and copied into the cache. Messages name the file, never its contents. */
static int read_path_source(struct sw_plugins_fetch *f, struct item *it, const char *staging)
{
    struct sw_lock_plugin *p = it->p;
    struct sw_error *err = &it->err;
    char *dir = lock_dir(f->lock_path);
    char *src = p->source[0] == '/' ? sw_xstrdup(p->source) : sw_path_join(dir, p->source);
    char *real = realpath(src, NULL), *root = NULL, *part = NULL;
    struct sw_buf data = SW_BUF_INIT;
    int rc = -1;
    if (!real) {
        sw_error_set(err, SW_EXIT_FS, "plugin '%s': cannot read '%s': %s", p->name, src,
                     strerror(errno));
        goto out;
    }
    if (!f->allow_outside) {
        root = project_root(f->lock_path);
        if (!root || !inside(real, root)) {
            sw_error_set(err, SW_EXIT_USAGE,
                         "plugin '%s': '%s' is outside the project of %s ('%s'): path sources "
                         "must stay inside the lock's directory or the git work tree holding it; "
                         "pass --allow-outside-project if this file is meant",
                         p->name, p->source, f->lock_path, root ? root : dir);
            goto out;
        }
    }
    struct stat st;
    int fd = sw_fs_open_regular(real, &st, NULL, err);
    if (fd < 0) {
        sw_error_wrap(err, "plugin '%s'", p->name);
        goto out;
    }
    uint64_t cap = it->size >= 0 ? (uint64_t)it->size : PLUGIN_MAX_BYTES;
    if ((uint64_t)st.st_size > cap) {
        close(fd);
        if (it->size >= 0)
            sw_error_set(err, SW_EXIT_VERIFY,
                         "plugin '%s' from '%s': the file is %lld bytes, but %s pins %lld; run "
                         "'setup-wash plugins lock' if it changed on purpose",
                         p->name, src, (long long)st.st_size, f->lock_path, (long long)it->size);
        else
            sw_error_set(err, SW_EXIT_VERIFY,
                         "plugin '%s' from '%s': the file is %lld bytes, more than the %u MiB a "
                         "plugin may have",
                         p->name, src, (long long)st.st_size, PLUGIN_MAX_BYTES >> 20);
        goto out;
    }
    if (sw_fs_read_fd(fd, src, (size_t)cap, &data, err) < 0) {
        sw_error_wrap(err, "plugin '%s'", p->name);
        goto out;
    }
    unsigned char md[32];
    char got[80];
    EVP_Digest(data.data ? data.data : "", data.len, md, NULL, EVP_sha256(), NULL);
    sw_digest_format(md, got, sizeof(got));
    if (it->expected[0] && strcmp(got, it->expected) != 0) {
        sw_error_set(err, SW_EXIT_VERIFY,
                     "plugin '%s' from '%s': digest mismatch: %s pins %s, the file is %s",
                     p->name, src, f->lock_path, it->expected, got);
        goto out;
    }
    /* a copy goes into the cache, so the file may change later without harm */
    part = sw_xasprintf("%s/%s.part", staging, p->name);
    if (sw_fs_write_atomic(part, data.data ? data.data : "", data.len, 0644, err) < 0 ||
        cas_put(f->cache_root, part, got, err) < 0)
        goto out;
    snprintf(it->expected, sizeof(it->expected), "%s", got);
    it->size = (int64_t)data.len;
    rc = 0;
out:
    sw_buf_free(&data);
    free(part);
    free(root);
    free(real);
    free(src);
    free(dir);
    return rc;
}

/* Works out where each plugin's bytes come from and what they must hash to. */
static int prepare(struct sw_plugins_fetch *f, struct item *it, struct sw_oci *oci,
                   const char *staging)
{
    struct sw_lock_plugin *p = it->p;
    it->kind = sw_plugin_source_kind(p->source);
    it->size = p->size;
    it->fd = -1;
    if (p->digest)
        snprintf(it->expected, sizeof(it->expected), "%s", p->digest);
    if (p->digest && !f->refresh && cas_has(f->cache_root, p->digest))
        return 0;
    if (!p->digest && f->frozen)
        return sw_error_set(&it->err, SW_EXIT_USAGE,
                            "plugin '%s' is not pinned in %s and --frozen forbids resolving "
                            "'%s': run 'setup-wash plugins lock'",
                            p->name, f->lock_path, p->source);
    if (it->kind == SW_SOURCE_PATH)
        return read_path_source(f, it, staging);
    if (it->kind == SW_SOURCE_OCI) {
        struct sw_oci_layer layer;
        if (sw_oci_ref_parse(p->source, &it->ref, &it->err) < 0)
            return -1;
        if (p->manifest && !f->refresh)
            snprintf(it->ref.digest, sizeof(it->ref.digest), "%s", p->manifest);
        if (sw_oci_resolve(oci, &it->ref, it->manifest, &layer, &it->err) < 0)
            return sw_error_wrap(&it->err, "plugin '%s'", p->name);
        if (it->expected[0] && !f->refresh && strcmp(layer.digest, it->expected) != 0)
            return sw_error_set(&it->err, SW_EXIT_VERIFY,
                                "plugin '%s': the manifest of '%s' names layer %s, but %s pins "
                                "%s",
                                p->name, p->source, layer.digest, f->lock_path, it->expected);
        if (f->refresh || !it->expected[0])
            snprintf(it->expected, sizeof(it->expected), "%s", layer.digest);
        it->size = layer.size;
        if (cas_has(f->cache_root, it->expected))
            return 0;
        sw_oci_blob_request(oci, &it->ref, it->expected, &it->rq);
    } else {
        if (f->refresh)
            it->expected[0] = '\0';
        memset(&it->rq, 0, sizeof(it->rq));
        it->rq.url = p->source;
    }
    it->part = sw_xasprintf("%s/%s.part", staging, p->name);
    it->fd = open(it->part, O_RDWR | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (it->fd < 0)
        return sw_error_set(&it->err, SW_EXIT_FS, "cannot write '%s': %s", it->part,
                            strerror(errno));
    it->rq.fd = it->fd;
    it->rq.max_size = it->size > 0 ? (uint64_t)it->size : PLUGIN_MAX_BYTES;
    it->need_download = true;
    return 0;
}

/* After the download: the bytes must hash to what was expected; then into the cache. */
static int settle(struct sw_plugins_fetch *f, struct item *it)
{
    char got[80];
    sw_digest_format(it->reply.sha256, got, sizeof(got));
    close(it->fd);
    it->fd = -1;
    if (it->expected[0] && strcmp(got, it->expected) != 0)
        return sw_error_set(&it->err, SW_EXIT_VERIFY,
                            "plugin '%s' from '%s': digest mismatch: expected %s (%s), got %s; "
                            "nothing was installed",
                            it->p->name, it->p->source, it->expected,
                            it->p->digest ? f->lock_path : "the registry manifest", got);
    snprintf(it->expected, sizeof(it->expected), "%s", got);
    it->size = (int64_t)it->reply.size;
    return cas_put(f->cache_root, it->part, got, &it->err);
}

/* Reads the component's exports from the cache and checks them against the wash. */
static int inspect(struct sw_plugins_fetch *f, struct item *it)
{
    char *path = sw_plugin_cas_path(f->cache_root, it->expected);
    const unsigned char *data = NULL;
    size_t len = 0;
    struct sw_wasm_info info = {0};
    /* mapped, not read: the scanner looks at the preamble and the export sections only */
    int rc = sw_fs_map(path, &data, &len, &it->err);
    if (rc == 0 && (rc = sw_wasm_inspect(data, len, &info, &it->err)) < 0)
        sw_error_wrap(&it->err, "plugin '%s'", it->p->name);
    const char *have = rc == 0 ? sw_wasm_plugin_version(&info) : NULL;
    if (rc == 0)
        rc = sw_plugin_check(&info, it->p->name, f->pkg ? f->pkg : (have ? have : "0.0.2"),
                             &it->err);
    if (rc == 0) {
        free(it->p->wit);
        it->p->wit = sw_xstrdup(have);
    }
    sw_wasm_info_free(&info);
    if (data)
        sw_fs_unmap(data, len);
    free(path);
    return rc;
}

int sw_plugins_fetch(struct sw_plugins_fetch *f, struct sw_error *err)
{
    size_t n = f->lock->nplugins, failed = 0, ndl = 0;
    struct item *items = sw_xcalloc(n + 1, sizeof(*items));
    struct sw_oci *oci = sw_oci_new(f->http, &f->oci);
    char *staging = sw_xasprintf("%s/plugins/.staging-%ld", f->cache_root, (long)getpid());
    int rc = -1;
    for (size_t i = 0; i < n; i++) {
        items[i].p = &f->lock->plugins[i];
        items[i].fd = -1;
    }
    if (sw_fs_mkdir_p(staging, 0755, err) < 0)
        goto out;
    for (size_t i = 0; i < n; i++) {
        if (prepare(f, &items[i], oci, staging) < 0)
            items[i].failed = true;
    }
    /* every download at once, over one multi handle */
    struct sw_http_request *rqs = sw_xcalloc(n + 1, sizeof(*rqs));
    struct sw_http_reply *replies = sw_xcalloc(n + 1, sizeof(*replies));
    struct sw_error *errs = sw_xcalloc(n + 1, sizeof(*errs));
    size_t *which = sw_xcalloc(n + 1, sizeof(*which));
    for (size_t i = 0; i < n; i++)
        if (!items[i].failed && items[i].need_download) {
            which[ndl] = i;
            rqs[ndl++] = items[i].rq;
        }
    if (ndl)
        sw_http_fetch_many(f->http, rqs, replies, errs, ndl);
    for (size_t k = 0; k < ndl; k++) {
        struct item *it = &items[which[k]];
        it->reply = replies[k];
        if (errs[k].code) {
            it->err = errs[k];
            sw_error_wrap(&it->err, "downloading plugin '%s'", it->p->name);
            it->failed = true;
        } else if (settle(f, it) < 0) {
            it->failed = true;
        }
    }
    free(rqs);
    free(replies);
    free(errs);
    free(which);
    for (size_t i = 0; i < n; i++)
        if (!items[i].failed && inspect(f, &items[i]) < 0)
            items[i].failed = true;

    struct sw_buf msgs = SW_BUF_INIT;
    int code = 0;
    for (size_t i = 0; i < n; i++) {
        struct item *it = &items[i];
        if (it->failed) {
            failed++;
            code = code ? code : it->err.code;
            sw_buf_printf(&msgs, "%s%s", msgs.len ? "; " : "", it->err.msg);
            continue;
        }
        /* what was found becomes the pin (lock) or is checked against it (install) */
        struct sw_lock_plugin *p = it->p;
        if (!p->digest || f->refresh) {
            free(p->digest);
            p->digest = sw_xstrdup(it->expected);
        }
        p->size = it->size;
        if (it->kind == SW_SOURCE_OCI && it->manifest[0]) {
            free(p->manifest);
            p->manifest = sw_xstrdup(it->manifest);
        }
    }
    if (failed) {
        if (failed == 1)
            sw_error_set(err, code, "%s", sw_buf_str(&msgs));
        else
            sw_error_set(err, code, "%zu of %zu plugins failed: %s", failed, n, sw_buf_str(&msgs));
        sw_buf_free(&msgs);
        goto out;
    }
    sw_buf_free(&msgs);
    rc = 0;
out:
    for (size_t i = 0; i < n; i++) {
        if (items[i].fd >= 0)
            close(items[i].fd);
        free(items[i].part);
    }
    sw_fs_rm_rf(staging, NULL);
    free(staging);
    free(items);
    sw_oci_free(oci);
    return rc;
}
