#include "core/lock.h"
#include "core/lock_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/target.h"

struct sw_lock *sw_lock_new(void)
{
    return sw_xcalloc(1, sizeof(struct sw_lock));
}

static void wash_free(struct sw_lock_wash *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->nassets; i++) {
        free(w->assets[i].target);
        free(w->assets[i].name);
        free(w->assets[i].digest);
    }
    free(w->assets);
    free(w->prov_bundle);
    free(w->requested);
    free(w->version);
    free(w->tag);
    free(w->repository);
    free(w);
}

void sw_lock_free(struct sw_lock *lock)
{
    if (!lock)
        return;
    wash_free(lock->wash);
    sw_lock_free_tools(lock);
    sw_lock_free_plugins(lock);
    free(lock);
}

static int cmp_asset(const void *a, const void *b)
{
    return strcmp(((const struct sw_lock_asset *)a)->name, ((const struct sw_lock_asset *)b)->name);
}

/* Checks that obj has only the keys listed (NULL-terminated). */
int sw_lock_only_keys(const cJSON *obj, const char *const *keys, const char *path,
                      const char *where, struct sw_error *err)
{
    for (const cJSON *c = obj->child; c; c = c->next) {
        bool ok = false;
        for (const char *const *k = keys; *k; k++)
            ok = ok || strcmp(c->string, *k) == 0;
        if (!ok) {
            char key[80];
            sw_sanitize(key, sizeof(key), c->string);
            return sw_error_set(err, SW_EXIT_USAGE, "%s: %s: unknown key '%s'", path, where, key);
        }
    }
    return 0;
}

int sw_lock_req_str(const cJSON *obj, const char *key, bool required, char **out,
                    const char *path, const char *where, struct sw_error *err)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!it && !required)
        return 0;
    if (!cJSON_IsString(it) || !it->valuestring[0])
        return sw_error_set(err, SW_EXIT_USAGE, "%s: %s.%s: expected a non-empty string", path,
                            where, key);
    *out = sw_xstrdup(it->valuestring);
    return 0;
}

static int parse_asset(const cJSON *a, struct sw_lock_asset *dst, const char *path,
                       struct sw_error *err)
{
    static const char *const keys[] = {"target", "size", "digest", NULL};
    char where[160], name[100];
    sw_sanitize(name, sizeof(name), a->string);
    snprintf(where, sizeof(where), "wash.assets.%s", name);
    if (!cJSON_IsObject(a))
        return sw_error_set(err, SW_EXIT_USAGE, "%s: %s: expected an object", path, where);
    if (sw_lock_only_keys(a, keys, path, where, err) < 0)
        return -1;
    dst->name = sw_xstrdup(a->string);
    if (strncmp(a->string, SW_ASSET_PREFIX, strlen(SW_ASSET_PREFIX)) != 0 ||
        strchr(a->string, '/') || strstr(a->string, ".."))
        return sw_error_set(err, SW_EXIT_USAGE, "%s: %s: not a wash asset name", path, where);
    if (sw_lock_req_str(a, "target", true, &dst->target, path, where, err) < 0 ||
        sw_lock_req_str(a, "digest", true, &dst->digest, path, where, err) < 0)
        return -1;
    struct sw_target t;
    if (sw_target_parse(dst->target, &t, err) < 0)
        return sw_error_wrap(err, "%s: %s.target", path, where);
    if (sw_lock_digest(dst->digest, path, where, err) < 0)
        return -1;
    return sw_lock_size(a, &dst->size, path, where, err);
}

int sw_lock_digest(char *digest, const char *path, const char *where, struct sw_error *err)
{
    if (!sw_digest_valid(digest))
        return sw_error_set(err, SW_EXIT_USAGE,
                            "%s: %s.digest: expected 'sha256:' followed by 64 hex digits", path,
                            where);
    for (char *p = digest; *p; p++)
        *p = (char)(*p >= 'A' && *p <= 'F' ? *p - 'A' + 'a' : *p);
    return 0;
}

int sw_lock_size(const cJSON *obj, int64_t *out, const char *path, const char *where,
                 struct sw_error *err)
{
    const cJSON *size = cJSON_GetObjectItemCaseSensitive(obj, "size");
    *out = -1;
    if (!size)
        return 0;
    if (!cJSON_IsNumber(size) || size->valuedouble < 0 || size->valuedouble > 1e15 ||
        size->valuedouble != (double)(int64_t)size->valuedouble)
        return sw_error_set(err, SW_EXIT_USAGE, "%s: %s.size: expected a whole number of bytes",
                            path, where);
    *out = (int64_t)size->valuedouble;
    return 0;
}

const char *sw_prov_source_name(enum sw_prov_source s)
{
    return s == SW_PROV_SOURCE_ASSET          ? "asset"
           : s == SW_PROV_SOURCE_ATTESTATIONS ? "attestations"
                                              : "";
}

static int parse_provenance(const cJSON *p, struct sw_lock_wash *lw, const char *path,
                            struct sw_error *err)
{
    static const char *const keys[] = {"source", "bundle", NULL};
    const char *where = "wash.provenance";
    char *source = NULL;
    if (!cJSON_IsObject(p))
        return sw_error_set(err, SW_EXIT_USAGE, "%s: %s: expected an object", path, where);
    if (sw_lock_only_keys(p, keys, path, where, err) < 0 ||
        sw_lock_req_str(p, "source", true, &source, path, where, err) < 0 ||
        sw_lock_req_str(p, "bundle", true, &lw->prov_bundle, path, where, err) < 0) {
        free(source);
        return -1;
    }
    lw->prov_source = strcmp(source, "asset") == 0          ? SW_PROV_SOURCE_ASSET
                      : strcmp(source, "attestations") == 0 ? SW_PROV_SOURCE_ATTESTATIONS
                                                             : SW_PROV_SOURCE_NONE;
    free(source);
    if (lw->prov_source == SW_PROV_SOURCE_NONE)
        return sw_error_set(err, SW_EXIT_USAGE,
                            "%s: %s.source: expected \"asset\" or \"attestations\"", path, where);
    if (!sw_digest_valid(lw->prov_bundle))
        return sw_error_set(err, SW_EXIT_USAGE,
                            "%s: %s.bundle: expected 'sha256:' followed by 64 hex digits", path,
                            where);
    for (char *c = lw->prov_bundle; *c; c++)
        *c = (char)(*c >= 'A' && *c <= 'F' ? *c - 'A' + 'a' : *c);
    return 0;
}

static int parse_wash(const cJSON *w, struct sw_lock_wash **out, const char *path,
                      struct sw_error *err)
{
    static const char *const keys[] = {"requested", "version", "tag",       "repository",
                                       "assets",    "provenance", NULL};
    struct sw_lock_wash *lw = sw_xcalloc(1, sizeof(*lw));
    int rc = -1;
    if (!cJSON_IsObject(w)) {
        sw_error_set(err, SW_EXIT_USAGE, "%s: wash: expected an object", path);
        goto out;
    }
    if (sw_lock_only_keys(w, keys, path, "wash", err) < 0 ||
        sw_lock_req_str(w, "requested", false, &lw->requested, path, "wash", err) < 0 ||
        sw_lock_req_str(w, "version", true, &lw->version, path, "wash", err) < 0 ||
        sw_lock_req_str(w, "tag", true, &lw->tag, path, "wash", err) < 0 ||
        sw_lock_req_str(w, "repository", true, &lw->repository, path, "wash", err) < 0)
        goto out;
    struct sw_semver v;
    if (sw_semver_parse(lw->version, &v, err) < 0) {
        sw_error_wrap(err, "%s: wash.version", path);
        goto out;
    }
    enum sw_line line;
    struct sw_semver tv;
    if (!sw_tag_classify(lw->repository, lw->tag, &tv, &line) || sw_semver_cmp(&tv, &v) != 0) {
        char tag[80], repo[80];
        sw_sanitize(tag, sizeof(tag), lw->tag);
        sw_sanitize(repo, sizeof(repo), lw->repository);
        sw_error_set(err, SW_EXIT_USAGE,
                     "%s: wash: tag '%s' of '%s' is not the wash %s release; run 'setup-wash "
                     "lock' again",
                     path, tag, repo, lw->version);
        goto out;
    }
    const cJSON *assets = cJSON_GetObjectItemCaseSensitive(w, "assets");
    if (!cJSON_IsObject(assets) || !assets->child) {
        sw_error_set(err, SW_EXIT_USAGE, "%s: wash.assets: expected an object with one entry "
                                         "per asset", path);
        goto out;
    }
    lw->assets = sw_xcalloc((size_t)cJSON_GetArraySize(assets), sizeof(*lw->assets));
    for (const cJSON *a = assets->child; a; a = a->next)
        if (parse_asset(a, &lw->assets[lw->nassets++], path, err) < 0)
            goto out;
    qsort(lw->assets, lw->nassets, sizeof(*lw->assets), cmp_asset);
    const cJSON *prov = cJSON_GetObjectItemCaseSensitive(w, "provenance");
    if (prov && parse_provenance(prov, lw, path, err) < 0)
        goto out;
    *out = lw;
    lw = NULL;
    rc = 0;
out:
    wash_free(lw);
    return rc;
}

int sw_lock_parse(const char *text, size_t len, const char *path, struct sw_lock **out,
                  struct sw_error *err)
{
    static const char *const keys[] = {"lockfile-version", "wash", "tools", "plugins", NULL};
    struct sw_lock *lock = sw_lock_new();
    int rc = -1;
    cJSON *root = sw_json_parse_strict(text, len, path, SW_EXIT_USAGE, err);
    if (!root)
        goto out;
    if (!cJSON_IsObject(root)) {
        sw_error_set(err, SW_EXIT_USAGE, "%s: expected a JSON object at the top", path);
        goto out;
    }
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(root, "lockfile-version");
    if (!cJSON_IsNumber(ver)) {
        sw_error_set(err, SW_EXIT_USAGE, "%s: missing \"lockfile-version\": %d", path,
                     SW_LOCK_VERSION);
        goto out;
    }
    if (ver->valuedouble != SW_LOCK_VERSION) {
        sw_error_set(err, SW_EXIT_USAGE,
                     "%s: lockfile-version %g is not supported (this setup-wash reads version "
                     "%d): upgrade setup-wash or regenerate the lock",
                     path, ver->valuedouble, SW_LOCK_VERSION);
        goto out;
    }
    if (sw_lock_only_keys(root, keys, path, "top level", err) < 0)
        goto out;
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(root, "wash");
    if (w && parse_wash(w, &lock->wash, path, err) < 0)
        goto out;
    const cJSON *tools = cJSON_GetObjectItemCaseSensitive(root, "tools");
    if (tools && sw_lock_parse_tools(tools, lock, path, err) < 0)
        goto out;
    const cJSON *plugins = cJSON_GetObjectItemCaseSensitive(root, "plugins");
    if (plugins && sw_lock_parse_plugins(plugins, lock, path, err) < 0)
        goto out;
    *out = lock;
    lock = NULL;
    rc = 0;
out:
    cJSON_Delete(root);
    sw_lock_free(lock);
    return rc;
}

char *sw_lock_format(const struct sw_lock *lock)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "lockfile-version", SW_LOCK_VERSION);
    const struct sw_lock_wash *w = lock->wash;
    if (w) {
        cJSON *jw = cJSON_AddObjectToObject(root, "wash");
        if (w->requested)
            cJSON_AddStringToObject(jw, "requested", w->requested);
        cJSON_AddStringToObject(jw, "version", w->version);
        cJSON_AddStringToObject(jw, "tag", w->tag);
        cJSON_AddStringToObject(jw, "repository", w->repository);
        cJSON *ja = cJSON_AddObjectToObject(jw, "assets");
        for (size_t i = 0; i < w->nassets; i++) {
            cJSON *a = cJSON_AddObjectToObject(ja, w->assets[i].name);
            cJSON_AddStringToObject(a, "target", w->assets[i].target);
            if (w->assets[i].size >= 0)
                cJSON_AddNumberToObject(a, "size", (double)w->assets[i].size);
            cJSON_AddStringToObject(a, "digest", w->assets[i].digest);
        }
        if (w->prov_source != SW_PROV_SOURCE_NONE && w->prov_bundle) {
            cJSON *p = cJSON_AddObjectToObject(jw, "provenance");
            cJSON_AddStringToObject(p, "source", sw_prov_source_name(w->prov_source));
            cJSON_AddStringToObject(p, "bundle", w->prov_bundle);
        }
    }
    /* only a lock that pins tools has the key: one without reads as it always did */
    if (lock->ntools)
        cJSON_AddItemToObject(root, "tools", sw_lock_format_tools(lock));
    cJSON_AddItemToObject(root, "plugins", sw_lock_format_plugins(lock));
    char *text = sw_json_format(root);
    cJSON_Delete(root);
    return text;
}

/* The target triple an asset name is for: "wash-<triple>[.ext]" with a known triple. */
static const char *asset_target(const char *name)
{
    const char *rest = name + strlen(SW_ASSET_PREFIX);
    if (strncmp(name, SW_ASSET_PREFIX, strlen(SW_ASSET_PREFIX)) != 0)
        return NULL;
    for (size_t i = 0; i < sw_known_targets_len; i++) {
        size_t l = strlen(sw_known_targets[i]);
        if (strncmp(rest, sw_known_targets[i], l) == 0 && (rest[l] == '\0' || rest[l] == '.'))
            return sw_known_targets[i];
    }
    return NULL;
}

int sw_lock_set_wash(struct sw_lock *lock, const struct sw_release *r, const char *requested,
                     struct sw_error *err)
{
    struct sw_lock_wash *w = sw_xcalloc(1, sizeof(*w));
    char vs[SW_SEMVER_STR_MAX];
    w->requested = requested ? sw_xstrdup(requested) : NULL;
    w->version = sw_xstrdup(sw_semver_str(&r->version, vs, sizeof(vs)));
    w->tag = sw_xstrdup(r->tag);
    w->repository = sw_xstrdup(r->repo);
    w->assets = sw_xcalloc(r->nassets + 1, sizeof(*w->assets));
    for (size_t i = 0; i < r->nassets; i++) {
        const char *t = asset_target(r->assets[i].name);
        if (!t || !r->assets[i].digest)
            continue;
        struct sw_lock_asset *a = &w->assets[w->nassets++];
        a->name = sw_xstrdup(r->assets[i].name);
        a->target = sw_xstrdup(t);
        a->digest = sw_xstrdup(r->assets[i].digest);
        a->size = r->assets[i].size;
    }
    if (w->nassets == 0) {
        wash_free(w);
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "release '%s' of '%s' reports no digest for any wash binary, so "
                            "there is nothing to pin",
                            r->tag, r->repo);
    }
    qsort(w->assets, w->nassets, sizeof(*w->assets), cmp_asset);
    wash_free(lock->wash);
    lock->wash = w;
    return 0;
}

void sw_lock_set_provenance(struct sw_lock *lock, enum sw_prov_source source,
                            const char *bundle_digest)
{
    struct sw_lock_wash *w = lock->wash;
    free(w->prov_bundle);
    w->prov_bundle = source != SW_PROV_SOURCE_NONE ? sw_xstrdup(bundle_digest) : NULL;
    w->prov_source = w->prov_bundle ? source : SW_PROV_SOURCE_NONE;
}

const struct sw_lock_asset *sw_lock_asset_named(const struct sw_lock_wash *w, const char *name)
{
    for (size_t i = 0; w && i < w->nassets; i++)
        if (strcmp(w->assets[i].name, name) == 0)
            return &w->assets[i];
    return NULL;
}
