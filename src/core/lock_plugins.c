/* The plugins array of plugins.lock. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/lock_internal.h"
#include "core/oci.h"
#include "core/semver.h"

enum sw_plugin_source sw_plugin_source_kind(const char *source)
{
    if (strncmp(source, "https://", 8) == 0 || strncmp(source, "http://", 7) == 0)
        return SW_SOURCE_URL;
    if (strncmp(source, "./", 2) == 0 || strncmp(source, "../", 3) == 0 || source[0] == '/')
        return SW_SOURCE_PATH;
    return SW_SOURCE_OCI;
}

/* "/..." or, as Windows paths come in '/'-separated form, "C:/..." */
static bool absolute(const char *p)
{
    return p[0] == '/' || (isalpha((unsigned char)p[0]) && p[1] == ':' && p[2] == '/');
}

bool sw_path_within(const char *root, const char *path)
{
    size_t n = strlen(root);
    if (!absolute(root) || !absolute(path))
        return false;
    while (n > 0 && root[n - 1] == '/')
        n--;
    return strncmp(root, path, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static bool name_ok(const char *name)
{
    if (!name[0] || strlen(name) > 128)
        return false;
    for (const char *p = name; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-')
            return false;
    return true;
}

char *sw_plugin_default_name(const char *source)
{
    char buf[512];
    snprintf(buf, sizeof(buf), "%s", source);
    buf[strcspn(buf, "?#@")] = '\0';
    char *base = strrchr(buf, '/');
    base = base ? base + 1 : buf;
    if (sw_plugin_source_kind(source) == SW_SOURCE_OCI) {
        char *colon = strchr(base, ':');
        if (colon)
            *colon = '\0';
    }
    size_t l = strlen(base);
    if (l > 5 && strcmp(base + l - 5, ".wasm") == 0)
        base[l - 5] = '\0';
    for (char *p = base; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-')
            *p = '_';
    return sw_xstrdup(base[0] ? base : "plugin");
}

void sw_lock_plugin_clear(struct sw_lock_plugin *p)
{
    free(p->name);
    free(p->source);
    free(p->digest);
    free(p->manifest);
    free(p->wit);
    memset(p, 0, sizeof(*p));
    p->size = -1;
}

void sw_lock_free_plugins(struct sw_lock *lock)
{
    for (size_t i = 0; i < lock->nplugins; i++)
        sw_lock_plugin_clear(&lock->plugins[i]);
    free(lock->plugins);
    lock->plugins = NULL;
    lock->nplugins = 0;
}

static int cmp_plugin(const void *a, const void *b)
{
    return strcmp(((const struct sw_lock_plugin *)a)->name,
                  ((const struct sw_lock_plugin *)b)->name);
}

static int check_source(const char *source, const char *path, const char *where,
                        struct sw_error *err)
{
    char shown[200];
    sw_sanitize(shown, sizeof(shown), source);
    switch (sw_plugin_source_kind(source)) {
    case SW_SOURCE_URL:
        if (strncmp(source, "https://", 8) != 0)
            return sw_error_set(err, SW_EXIT_USAGE, "%s%s%s: source '%s': plugins are fetched "
                                "over https only", path, path[0] ? ": " : "", where, shown);
        return 0;
    case SW_SOURCE_PATH:
        return 0;
    case SW_SOURCE_OCI: {
        struct sw_oci_ref ref;
        if (sw_oci_ref_parse(source, &ref, err) < 0)
            return path[0] ? sw_error_wrap(err, "%s: %s", path, where) : -1;
        return 0;
    }
    }
    return 0;
}

static int parse_plugin(const cJSON *o, struct sw_lock_plugin *dst, size_t i, const char *path,
                        struct sw_error *err)
{
    static const char *const keys[] = {"name", "source", "digest", "manifest", "size", "wit",
                                       NULL};
    char where[48];
    snprintf(where, sizeof(where), "plugins[%zu]", i);
    if (!cJSON_IsObject(o))
        return sw_error_set(err, SW_EXIT_USAGE, "%s: %s: expected an object", path, where);
    if (sw_lock_only_keys(o, keys, path, where, err) < 0 ||
        sw_lock_req_str(o, "name", true, &dst->name, path, where, err) < 0 ||
        sw_lock_req_str(o, "source", true, &dst->source, path, where, err) < 0 ||
        sw_lock_req_str(o, "digest", false, &dst->digest, path, where, err) < 0 ||
        sw_lock_req_str(o, "manifest", false, &dst->manifest, path, where, err) < 0 ||
        sw_lock_req_str(o, "wit", false, &dst->wit, path, where, err) < 0 ||
        sw_lock_size(o, &dst->size, path, where, err) < 0)
        return -1;
    if (!name_ok(dst->name))
        return sw_error_set(err, SW_EXIT_USAGE,
                            "%s: %s.name: use letters, digits, '_' and '-' (it becomes the file "
                            "name <name>.wasm)",
                            path, where);
    if (check_source(dst->source, path, where, err) < 0)
        return -1;
    if (dst->digest && sw_lock_digest(dst->digest, path, where, err) < 0)
        return -1;
    if (dst->manifest && sw_lock_digest(dst->manifest, path, where, err) < 0)
        return sw_error_wrap(err, "(manifest)");
    if (dst->manifest && sw_plugin_source_kind(dst->source) != SW_SOURCE_OCI)
        return sw_error_set(err, SW_EXIT_USAGE, "%s: %s.manifest: only OCI sources have one",
                            path, where);
    struct sw_semver wit;
    if (dst->wit && sw_semver_parse(dst->wit, &wit, NULL) < 0)
        return sw_error_set(err, SW_EXIT_USAGE, "%s: %s.wit: expected a version like 0.0.2", path,
                            where);
    if ((dst->digest != NULL) != (dst->size >= 0))
        return sw_error_set(err, SW_EXIT_USAGE,
                            "%s: %s: a locked plugin has both digest and size; run 'setup-wash "
                            "plugins lock'",
                            path, where);
    return 0;
}

int sw_lock_parse_plugins(const cJSON *arr, struct sw_lock *lock, const char *path,
                          struct sw_error *err)
{
    if (!cJSON_IsArray(arr))
        return sw_error_set(err, SW_EXIT_USAGE, "%s: plugins: expected an array", path);
    size_t n = (size_t)cJSON_GetArraySize(arr);
    lock->plugins = sw_xcalloc(n + 1, sizeof(*lock->plugins));
    const cJSON *o;
    cJSON_ArrayForEach(o, arr)
    {
        struct sw_lock_plugin *p = &lock->plugins[lock->nplugins++];
        p->size = -1;
        if (parse_plugin(o, p, lock->nplugins - 1, path, err) < 0)
            return -1;
        for (size_t k = 0; k + 1 < lock->nplugins; k++)
            if (strcmp(lock->plugins[k].name, p->name) == 0)
                return sw_error_set(err, SW_EXIT_USAGE,
                                    "%s: plugins: two plugins are named '%s'; each installs as "
                                    "<name>.wasm, so names must differ",
                                    path, p->name);
    }
    qsort(lock->plugins, lock->nplugins, sizeof(*lock->plugins), cmp_plugin);
    return 0;
}

cJSON *sw_lock_format_plugins(const struct sw_lock *lock)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < lock->nplugins; i++) {
        const struct sw_lock_plugin *p = &lock->plugins[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", p->name);
        cJSON_AddStringToObject(o, "source", p->source);
        if (p->digest)
            cJSON_AddStringToObject(o, "digest", p->digest);
        if (p->manifest)
            cJSON_AddStringToObject(o, "manifest", p->manifest);
        if (p->size >= 0)
            cJSON_AddNumberToObject(o, "size", (double)p->size);
        if (p->wit)
            cJSON_AddStringToObject(o, "wit", p->wit);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

struct sw_lock_plugin *sw_lock_plugin_named(struct sw_lock *lock, const char *name)
{
    for (size_t i = 0; i < lock->nplugins; i++)
        if (strcmp(lock->plugins[i].name, name) == 0)
            return &lock->plugins[i];
    return NULL;
}

int sw_lock_add_plugin(struct sw_lock *lock, const char *name, const char *source,
                       struct sw_error *err)
{
    if (!name_ok(name))
        return sw_error_set(err, SW_EXIT_USAGE,
                            "invalid plugin name '%s': use letters, digits, '_' and '-'", name);
    if (check_source(source, "", "", err) < 0)
        return -1;
    struct sw_lock_plugin *p = sw_lock_plugin_named(lock, name);
    if (!p) {
        lock->plugins = sw_xrealloc(lock->plugins, (lock->nplugins + 1) * sizeof(*p));
        p = &lock->plugins[lock->nplugins++];
        memset(p, 0, sizeof(*p));
    }
    sw_lock_plugin_clear(p);
    p->name = sw_xstrdup(name);
    p->source = sw_xstrdup(source);
    qsort(lock->plugins, lock->nplugins, sizeof(*lock->plugins), cmp_plugin);
    return 0;
}
