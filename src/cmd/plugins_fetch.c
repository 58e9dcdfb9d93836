/* Getting the bytes of every plugin a lock lists, verified, into the content-addressed cache:
 * shared by `plugins lock` (which records what it found) and `plugins install` (which
 * requires what the lock pins). Downloads run in parallel; nothing is installed from here.
 * The lock may come from a pull request: path sources stay in its project and are read with
 * bounds, and no message quotes a file's bytes. */
#include "cmd/plugins_fetch.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/component.h"
#include "core/plugins.h"
#include "core/verify.h"
#include "os/os.h"
#include "io/fs.h"
#include "io/oci.h"
#include "io/plugin_dir.h"

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

/* Where path sources may be read from. */
struct project {
    char *root; /* resolved; NULL: anywhere (--allow-path-outside-project) */
    bool git;   /* root is a git work tree's top, not the lock's directory */
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
    if (rc == 0 && sw_os_rename(file, path) < 0)
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
    if (slash) /* "/plugins.lock" is in "/", "C:/plugins.lock" in "C:/" */
        slash[slash == d || (slash == d + 2 && d[1] == ':')] = '\0';
    else
        snprintf(d, strlen(d) + 1, ".");
    return d;
}

/* The project a lock's path sources must stay in: the git work tree that holds the lock's
 * directory, else that directory itself (both resolved). */
static int project_root(struct sw_plugins_fetch *f, struct project *out, struct sw_error *err)
{
    char *dir = lock_dir(f->lock_path);
    char *real = sw_os_realpath(dir);
    int rc = 0;
    if (!real) {
        rc = sw_error_set(err, SW_EXIT_FS, "cannot resolve the directory of %s: %s", f->lock_path,
                          strerror(errno));
        goto out;
    }
    out->root = sw_fs_git_top(real);
    out->git = out->root != NULL;
    if (!out->root) {
        out->root = real;
        real = NULL;
    }
out:
    free(dir);
    free(real);
    return rc;
}

/* Opens the part file a plugin's bytes go to before they are verified and cached. */
static int open_part(struct item *it, const char *staging)
{
    it->part = sw_xasprintf("%s/%s.part", staging, it->p->name);
    it->fd = sw_os_open(it->part, SW_O_RDWR | SW_O_CREAT | SW_O_TRUNC | SW_O_NOFOLLOW, 0644);
    if (it->fd < 0)
        return sw_error_set(&it->err, SW_EXIT_FS, "cannot write '%s': %s", it->part,
                            strerror(errno));
    return 0;
}

/* Resolves a path source (relative to the lock; `shown` is it sanitized) and checks it stays
 * in the project. *real gets the resolved path; NULL, and success, when the file is gone but
 * its pinned bytes are cached: nothing is read from it then. */
static int resolve_path(struct sw_plugins_fetch *f, struct item *it, const struct project *proj,
                        const char *shown, char **real)
{
    const struct sw_lock_plugin *p = it->p;
    char where[600];
    char *dir = lock_dir(f->lock_path);
    char *src = sw_os_path_is_abs(p->source) ? sw_xstrdup(p->source) : sw_path_join(dir, p->source);
    int rc = 0;
    *real = sw_os_realpath(src);
    if (!*real) {
        if (errno == ENOENT && p->digest && !f->refresh && cas_has(f->cache_root, p->digest))
            goto out;
        rc =
            sw_error_set(&it->err, SW_EXIT_FS, "plugin '%s': cannot read '%s' (relative to %s): %s",
                         p->name, shown, f->lock_path, strerror(errno));
        goto out;
    }
    if (proj->root && !sw_path_within(proj->root, *real)) {
        sw_sanitize(where, sizeof(where), *real);
        rc = sw_error_set(&it->err, SW_EXIT_USAGE,
                          "plugin '%s': path '%s' resolves to '%s', outside the project '%s' (%s "
                          "that holds %s): a lock may only name files in its project; move the "
                          "file into it, or pass --allow-path-outside-project if you trust this "
                          "lock",
                          p->name, shown, where, proj->root,
                          proj->git ? "the git work tree" : "the directory", f->lock_path);
        free(*real);
        *real = NULL;
    }
out:
    free(dir);
    free(src);
    return rc;
}

/* A path source: bounded (a regular file, at most its pinned size and SW_PLUGIN_MAX_BYTES),
 * read once into the part file while it is hashed, then checked and cached; a copy goes into
 * the cache, so the file may change later without harm. */
static int prepare_path(struct sw_plugins_fetch *f, struct item *it, const struct project *proj,
                        const char *staging)
{
    const struct sw_lock_plugin *p = it->p;
    const bool pinned = p->digest && !f->refresh;
    /* the lock pins size with digest; the cap still holds for a hand-made lock without it */
    const uint64_t limit = pinned && p->size >= 0 ? (uint64_t)p->size : SW_PLUGIN_MAX_BYTES;
    struct sw_plugin_file got;
    char *real = NULL;
    char shown[512];
    int64_t size = 0;
    int in = -1, rc = -1;
    sw_sanitize(shown, sizeof(shown), p->source);
    if (resolve_path(f, it, proj, shown, &real) < 0)
        return -1;
    if (!real || (pinned && cas_has(f->cache_root, p->digest))) {
        free(real);
        return 0;
    }
    if ((in = sw_plugin_open(real, &size, &it->err)) < 0) {
        sw_error_wrap(&it->err, "plugin '%s' from '%s' in %s", p->name, shown, f->lock_path);
        goto out;
    }
    if ((uint64_t)size > SW_PLUGIN_MAX_BYTES) {
        sw_error_set(&it->err, SW_EXIT_VERIFY,
                     "plugin '%s' from '%s': the file is %lld bytes, more than the %llu MiB a "
                     "plugin may have; nothing was read (check that the source names the "
                     "plugin's .wasm)",
                     p->name, shown, (long long)size,
                     (unsigned long long)(SW_PLUGIN_MAX_BYTES >> 20));
        goto out;
    }
    if (pinned && p->size >= 0 && size != p->size) {
        sw_error_set(&it->err, SW_EXIT_VERIFY,
                     "plugin '%s' from '%s': size mismatch: %s pins %lld bytes, the file is "
                     "%lld; nothing was installed (run 'setup-wash plugins lock' if the file "
                     "changed on purpose)",
                     p->name, shown, f->lock_path, (long long)p->size, (long long)size);
        goto out;
    }
    if (open_part(it, staging) < 0)
        goto out;
    if (sw_plugin_read(in, real, limit, it->fd, &got, &it->err) < 0) {
        sw_error_wrap(&it->err, "plugin '%s' from '%s'", p->name, shown); /* it grew */
        goto out;
    }
    sw_os_close(it->fd);
    it->fd = -1;
    if (pinned && strcmp(got.digest, p->digest) != 0) {
        sw_error_set(&it->err, SW_EXIT_VERIFY,
                     "plugin '%s' from '%s': digest mismatch: %s pins %s, the file is %s; "
                     "nothing was installed",
                     p->name, shown, f->lock_path, p->digest, got.digest);
        goto out;
    }
    if (cas_put(f->cache_root, it->part, got.digest, &it->err) < 0)
        goto out;
    snprintf(it->expected, sizeof(it->expected), "%s", got.digest);
    it->size = got.size;
    rc = 0;
out:
    if (in >= 0)
        sw_os_close(in);
    free(real);
    return rc;
}

/* Works out where each plugin's bytes come from and what they must hash to. */
static int prepare(struct sw_plugins_fetch *f, struct item *it, struct sw_oci *oci,
                   const struct project *proj, const char *staging)
{
    struct sw_lock_plugin *p = it->p;
    it->kind = sw_plugin_source_kind(p->source);
    it->size = p->size;
    it->fd = -1;
    if (p->digest)
        snprintf(it->expected, sizeof(it->expected), "%s", p->digest);
    if (!p->digest && f->frozen)
        return sw_error_set(&it->err, SW_EXIT_USAGE,
                            "plugin '%s' is not pinned in %s and --frozen forbids resolving "
                            "'%s': run 'setup-wash plugins lock'",
                            p->name, f->lock_path, p->source);
    if (it->kind == SW_SOURCE_PATH)
        return prepare_path(f, it, proj, staging);
    if (p->digest && !f->refresh && cas_has(f->cache_root, p->digest))
        return 0;
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
    if (open_part(it, staging) < 0)
        return -1;
    it->rq.fd = it->fd;
    it->rq.max_size = it->size > 0 ? (uint64_t)it->size : SW_PLUGIN_MAX_BYTES;
    it->need_download = true;
    return 0;
}

/* After the download: the bytes must hash to what was expected; then into the cache. */
static int settle(struct sw_plugins_fetch *f, struct item *it)
{
    char got[80];
    sw_digest_format(it->reply.sha256, got, sizeof(got));
    sw_os_close(it->fd);
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
    char *staging = sw_xasprintf("%s/plugins/.staging-%ld", f->cache_root, (long)sw_os_getpid());
    struct project proj = {NULL, false};
    bool paths = false;
    int rc = -1;
    for (size_t i = 0; i < n; i++) {
        items[i].p = &f->lock->plugins[i];
        items[i].fd = -1;
        paths = paths || sw_plugin_source_kind(items[i].p->source) == SW_SOURCE_PATH;
    }
    if (paths && !f->allow_outside && project_root(f, &proj, err) < 0)
        goto out;
    if (sw_fs_mkdir_p(staging, 0755, err) < 0)
        goto out;
    for (size_t i = 0; i < n; i++) {
        if (prepare(f, &items[i], oci, &proj, staging) < 0)
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
            sw_os_close(items[i].fd);
        free(items[i].part);
    }
    sw_fs_rm_rf(staging, NULL);
    free(staging);
    free(proj.root);
    free(items);
    sw_oci_free(oci);
    return rc;
}
