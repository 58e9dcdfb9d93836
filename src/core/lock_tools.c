/* The tools object of plugins.lock: the component toolchain beside wash (data/tools.h), one
 * entry per tool row, each pinning the digest of every asset of one release. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/attr.h"
#include "core/buf.h"
#include "core/lock_internal.h"
#include "core/release.h"
#include "core/semver.h"
#include "core/text.h"
#include "core/tool.h"
#include "core/toolver.h"
#include "data/tools.h"

static const char *const pin_names[] = {
    [SW_PIN_API] = "api",
    [SW_PIN_CHECKSUMS] = "checksums",
    [SW_PIN_DOWNLOAD] = "download",
};
#define NPIN (sizeof(pin_names) / sizeof(pin_names[0]))

const char *sw_pin_from_name(enum sw_pin_from f)
{
    return (size_t)f < NPIN ? pin_names[f] : "";
}

static void asset_clear(struct sw_lock_tool_asset *a)
{
    for (size_t i = 0; i < a->ntargets; i++)
        free(a->targets[i]);
    free(a->targets);
    free(a->name);
    free(a->digest);
    memset(a, 0, sizeof(*a));
}

static void tool_clear(struct sw_lock_tool *t)
{
    for (size_t i = 0; i < t->nassets; i++)
        asset_clear(&t->assets[i]);
    free(t->assets);
    free(t->name);
    free(t->requested);
    free(t->for_go);
    free(t->version);
    free(t->tag);
    free(t->repository);
    free(t->prov_bundle);
    memset(t, 0, sizeof(*t));
}

void sw_lock_free_tools(struct sw_lock *lock)
{
    for (size_t i = 0; i < lock->ntools; i++)
        tool_clear(&lock->tools[i]);
    free(lock->tools);
    lock->tools = NULL;
    lock->ntools = 0;
}

static int cmp_target(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_tool_asset(const void *a, const void *b)
{
    return strcmp(((const struct sw_lock_tool_asset *)a)->name,
                  ((const struct sw_lock_tool_asset *)b)->name);
}

static int cmp_tool(const void *a, const void *b)
{
    return strcmp(((const struct sw_lock_tool *)a)->name, ((const struct sw_lock_tool *)b)->name);
}

static void sort_tool(struct sw_lock_tool *t)
{
    for (size_t i = 0; i < t->nassets; i++)
        if (t->assets[i].ntargets > 1)
            qsort(t->assets[i].targets, t->assets[i].ntargets, sizeof(char *), cmp_target);
    if (t->nassets > 1)
        qsort(t->assets, t->nassets, sizeof(*t->assets), cmp_tool_asset);
}

/* SW_EXIT_USAGE with "<path>: <message>", or the message alone when path is "" (an entry
 * put by the program rather than read from a file). */
static int fail(struct sw_error *err, const char *path, const char *fmt, ...) SW_PRINTF(3, 4);
static int fail(struct sw_error *err, const char *path, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return sw_error_set(err, SW_EXIT_USAGE, "%s%s%s", path, path[0] ? ": " : "", msg);
}

/* The row a tool entry names: a row of the table, and not wash (which has its own key). */
static const struct sw_tool *tool_row(const char *name, const char *path, struct sw_error *err)
{
    char shown[80];
    sw_sanitize(shown, sizeof(shown), name ? name : "");
    const struct sw_tool *row = name ? sw_tool_named(name) : NULL;
    if (!row) {
        fail(err, path, "tools.%s: unknown tool '%s': the tools are %s", shown, shown,
             sw_tool_names());
        return NULL;
    }
    if (row->wash) {
        fail(err, path,
             "tools.wash: wash is pinned under the top-level \"wash\" key, not under \"tools\"");
        return NULL;
    }
    return row;
}

static bool known_target(const char *t)
{
    for (size_t i = 0; i < sw_tool_targets_len; i++)
        if (strcmp(sw_tool_targets[i], t) == 0)
            return true;
    return false;
}

/* A release asset's file name, never a path: it names a file in the cache and a URL. */
static bool asset_name_ok(const char *name)
{
    if (!name || !name[0] || strlen(name) > 200 || strstr(name, ".."))
        return false;
    for (const char *p = name; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '/' || *p == '\\' || *p == ':')
            return false;
    return true;
}

static bool digest_fix(char *digest)
{
    if (!digest || !sw_digest_valid(digest))
        return false;
    for (char *p = digest; *p; p++)
        *p = (char)(*p >= 'A' && *p <= 'F' ? *p - 'A' + 'a' : *p);
    return true;
}

static int check_asset(struct sw_lock_tool_asset *a, const char *where, const char *path,
                       struct sw_error *err)
{
    if (!asset_name_ok(a->name))
        return fail(err, path, "%s: not an asset file name (one without '/', '\\', ':' or '..')",
                    where);
    if (a->ntargets == 0)
        return fail(err, path, "%s.targets: expected a non-empty array of target triples", where);
    for (size_t i = 0; i < a->ntargets; i++) {
        char shown[80];
        sw_sanitize(shown, sizeof(shown), a->targets[i] ? a->targets[i] : "");
        if (!a->targets[i] || !known_target(a->targets[i])) {
            struct sw_buf known = SW_BUF_INIT;
            for (size_t k = 0; k < sw_tool_targets_len; k++)
                sw_buf_printf(&known, "%s%s", k ? ", " : "", sw_tool_targets[k]);
            fail(err, path, "%s.targets: unknown target '%s': the targets are %s", where, shown,
                 sw_buf_str(&known));
            sw_buf_free(&known);
            return -1;
        }
        if (i > 0 && strcmp(a->targets[i - 1], a->targets[i]) == 0)
            return fail(err, path, "%s.targets: target '%s' is listed twice", where, shown);
    }
    if (a->size < -1)
        return fail(err, path, "%s.size: expected a whole number of bytes", where);
    if (!digest_fix(a->digest))
        return fail(err, path, "%s.digest: expected 'sha256:' followed by 64 hex digits", where);
    if ((size_t)a->from >= NPIN)
        return fail(err, path, "%s.pinned-from: expected \"api\", \"checksums\" or \"download\"",
                    where);
    return 0;
}

/* What an entry must be however it was made (read, or put by the program): t is sorted. */
/* for-go: the Go a tool locked as "auto" was chosen for, a Go version as go prints it and
 * nothing around it (so the lock reads one way only). */
static int check_for_go(const struct sw_lock_tool *t, const struct sw_tool *row,
                        const char *path, struct sw_error *err)
{
    struct sw_gover g;
    if (!row->auto_by_go)
        return fail(err, path, "tools.%s.for-go: only TinyGo is chosen for a Go", t->name);
    if (!t->requested || strcmp(t->requested, "auto") != 0)
        return fail(err, path,
                    "tools.%s.for-go: only a tool locked as \"auto\" records the Go it was "
                    "chosen for",
                    t->name);
    /* the token go printed: "go1.25.5", "go1.26rc1", or a devel build's "go1.26-abcdef" */
    char devel[96];
    snprintf(devel, sizeof(devel), "devel %s", t->for_go);
    bool ok = (sw_gover_parse(t->for_go, &g, NULL) == 0 && strcmp(g.text, t->for_go) == 0) ||
              (sw_gover_parse(devel, &g, NULL) == 0 && strcmp(g.text, t->for_go) == 0);
    if (!ok) {
        char v[80];
        sw_sanitize(v, sizeof(v), t->for_go);
        return fail(err, path, "tools.%s.for-go: '%s' is not a Go version such as \"go1.25.5\"",
                    t->name, v);
    }
    return 0;
}

static int check_tool(struct sw_lock_tool *t, const char *path, struct sw_error *err)
{
    const struct sw_tool *row = tool_row(t->name, path, err);
    if (!row)
        return -1;
    const char *fields[] = {"version", "tag", "repository"};
    const char *values[] = {t->version, t->tag, t->repository};
    for (size_t i = 0; i < 3; i++)
        if (!values[i] || !values[i][0])
            return fail(err, path, "tools.%s.%s: expected a non-empty string", t->name, fields[i]);
    if (t->requested && !t->requested[0])
        return fail(err, path, "tools.%s.requested: expected a non-empty string", t->name);
    if (t->for_go && check_for_go(t, row, path, err) < 0)
        return -1;
    struct sw_semver v, tv;
    if (sw_semver_parse(t->version, &v, err) < 0)
        return sw_error_wrap(err, "%s%stools.%s.version", path, path[0] ? ": " : "", t->name);
    if (!sw_tool_classify(row, t->repository, t->tag, &tv) || sw_semver_cmp(&tv, &v) != 0) {
        char tag[80], repo[80];
        sw_sanitize(tag, sizeof(tag), t->tag);
        sw_sanitize(repo, sizeof(repo), t->repository);
        return fail(err, path,
                    "tools.%s: tag '%s' of '%s' is not the %s %s release; run 'setup-wash lock' "
                    "again",
                    t->name, tag, repo, row->display, t->version);
    }
    if (t->nassets == 0)
        return fail(err, path, "tools.%s.assets: expected an object with one entry per asset",
                    t->name);
    for (size_t i = 0; i < t->nassets; i++) {
        char where[300], name[200];
        sw_sanitize(name, sizeof(name), t->assets[i].name ? t->assets[i].name : "");
        snprintf(where, sizeof(where), "tools.%s.assets.%s", t->name, name);
        if (check_asset(&t->assets[i], where, path, err) < 0)
            return -1;
        if (i > 0 && strcmp(t->assets[i - 1].name, t->assets[i].name) == 0)
            return fail(err, path, "%s: the asset is listed twice", where);
        /* a target is served by one asset, or an install could not tell which to take */
        for (size_t j = 0; j < i; j++)
            for (size_t a = 0; a < t->assets[i].ntargets; a++)
                for (size_t b = 0; b < t->assets[j].ntargets; b++)
                    if (strcmp(t->assets[i].targets[a], t->assets[j].targets[b]) == 0) {
                        char other[200];
                        sw_sanitize(other, sizeof(other), t->assets[j].name);
                        return fail(err, path,
                                    "%s.targets: target '%s' is also served by '%s': a target "
                                    "has one asset",
                                    where, t->assets[i].targets[a], other);
                    }
    }
    if (t->prov_source == SW_PROV_SOURCE_NONE)
        return 0;
    if (t->prov_source != SW_PROV_SOURCE_ATTESTATIONS)
        return fail(err, path,
                    "tools.%s.provenance.source: expected \"attestations\" (a tool's bundle "
                    "comes from the attestations API)",
                    t->name);
    if (row->check != SW_TOOL_CHECK_ATTESTATIONS)
        return fail(err, path,
                    "tools.%s.provenance: %s publishes no build provenance, so there is no "
                    "bundle to pin",
                    t->name, row->display);
    if (!digest_fix(t->prov_bundle))
        return fail(err, path,
                    "tools.%s.provenance.bundle: expected 'sha256:' followed by 64 hex digits",
                    t->name);
    return 0;
}

/* ---- reading ---- */

static int parse_targets(const cJSON *arr, struct sw_lock_tool_asset *a, const char *path,
                         const char *where, struct sw_error *err)
{
    if (!cJSON_IsArray(arr) || !arr->child)
        return fail(err, path, "%s.targets: expected a non-empty array of target triples", where);
    a->targets = sw_xcalloc((size_t)cJSON_GetArraySize(arr), sizeof(char *));
    size_t i = 0;
    for (const cJSON *t = arr->child; t; t = t->next, i++) {
        if (!cJSON_IsString(t) || !t->valuestring[0])
            return fail(err, path, "%s.targets[%zu]: expected a target triple", where, i);
        a->targets[a->ntargets++] = sw_xstrdup(t->valuestring);
    }
    return 0;
}

static int parse_asset(const cJSON *j, struct sw_lock_tool_asset *a, const char *tool,
                       const char *path, struct sw_error *err)
{
    static const char *const keys[] = {"targets", "size", "digest", "pinned-from", NULL};
    char where[300], name[200];
    char *from = NULL;
    sw_sanitize(name, sizeof(name), j->string);
    snprintf(where, sizeof(where), "tools.%s.assets.%s", tool, name);
    a->name = sw_xstrdup(j->string);
    if (!cJSON_IsObject(j))
        return fail(err, path, "%s: expected an object", where);
    if (sw_lock_only_keys(j, keys, path, where, err) < 0 ||
        parse_targets(cJSON_GetObjectItemCaseSensitive(j, "targets"), a, path, where, err) < 0 ||
        sw_lock_size(j, &a->size, path, where, err) < 0 ||
        sw_lock_req_str(j, "digest", true, &a->digest, path, where, err) < 0 ||
        sw_lock_req_str(j, "pinned-from", true, &from, path, where, err) < 0) {
        free(from);
        return -1;
    }
    size_t f = 0;
    while (f < NPIN && strcmp(from, pin_names[f]) != 0)
        f++;
    free(from);
    if (f == NPIN)
        return fail(err, path, "%s.pinned-from: expected \"api\", \"checksums\" or \"download\"",
                    where);
    a->from = (enum sw_pin_from)f;
    return 0;
}

static int parse_provenance(const cJSON *p, struct sw_lock_tool *t, const char *path,
                            struct sw_error *err)
{
    static const char *const keys[] = {"source", "bundle", NULL};
    char where[100], *source = NULL;
    snprintf(where, sizeof(where), "tools.%s.provenance", t->name);
    if (!cJSON_IsObject(p))
        return fail(err, path, "%s: expected an object", where);
    if (sw_lock_only_keys(p, keys, path, where, err) < 0 ||
        sw_lock_req_str(p, "source", true, &source, path, where, err) < 0 ||
        sw_lock_req_str(p, "bundle", true, &t->prov_bundle, path, where, err) < 0) {
        free(source);
        return -1;
    }
    bool attestations = strcmp(source, "attestations") == 0;
    free(source);
    if (!attestations)
        return fail(err, path,
                    "%s.source: expected \"attestations\" (a tool's bundle comes from the "
                    "attestations API)",
                    where);
    t->prov_source = SW_PROV_SOURCE_ATTESTATIONS;
    return 0;
}

static int parse_tool(const cJSON *j, struct sw_lock_tool *t, const char *path,
                      struct sw_error *err)
{
    static const char *const keys[] = {"requested", "for-go", "version",    "tag",
                                       "repository", "assets", "provenance", NULL};
    char where[100];
    /* the name first: an entry for a tool that does not exist says so, not what it lacks */
    if (!tool_row(j->string, path, err))
        return -1;
    t->name = sw_xstrdup(j->string);
    snprintf(where, sizeof(where), "tools.%s", t->name);
    if (!cJSON_IsObject(j))
        return fail(err, path, "%s: expected an object", where);
    if (sw_lock_only_keys(j, keys, path, where, err) < 0 ||
        sw_lock_req_str(j, "requested", false, &t->requested, path, where, err) < 0 ||
        sw_lock_req_str(j, "for-go", false, &t->for_go, path, where, err) < 0 ||
        sw_lock_req_str(j, "version", true, &t->version, path, where, err) < 0 ||
        sw_lock_req_str(j, "tag", true, &t->tag, path, where, err) < 0 ||
        sw_lock_req_str(j, "repository", true, &t->repository, path, where, err) < 0)
        return -1;
    const cJSON *assets = cJSON_GetObjectItemCaseSensitive(j, "assets");
    if (!cJSON_IsObject(assets) || !assets->child)
        return fail(err, path, "%s.assets: expected an object with one entry per asset", where);
    t->assets = sw_xcalloc((size_t)cJSON_GetArraySize(assets), sizeof(*t->assets));
    for (const cJSON *a = assets->child; a; a = a->next)
        if (parse_asset(a, &t->assets[t->nassets++], t->name, path, err) < 0)
            return -1;
    const cJSON *prov = cJSON_GetObjectItemCaseSensitive(j, "provenance");
    if (prov && parse_provenance(prov, t, path, err) < 0)
        return -1;
    sort_tool(t);
    return check_tool(t, path, err);
}

int sw_lock_parse_tools(const cJSON *obj, struct sw_lock *lock, const char *path,
                        struct sw_error *err)
{
    if (!cJSON_IsObject(obj))
        return fail(err, path, "tools: expected an object with one entry per tool");
    lock->tools = sw_xcalloc((size_t)cJSON_GetArraySize(obj) + 1, sizeof(*lock->tools));
    for (const cJSON *t = obj->child; t; t = t->next)
        if (parse_tool(t, &lock->tools[lock->ntools++], path, err) < 0)
            return -1;
    if (lock->ntools > 1)
        qsort(lock->tools, lock->ntools, sizeof(*lock->tools), cmp_tool);
    return 0;
}

/* ---- writing ---- */

cJSON *sw_lock_format_tools(const struct sw_lock *lock)
{
    cJSON *tools = cJSON_CreateObject();
    for (size_t i = 0; i < lock->ntools; i++) {
        const struct sw_lock_tool *t = &lock->tools[i];
        cJSON *jt = cJSON_AddObjectToObject(tools, t->name);
        if (t->requested)
            cJSON_AddStringToObject(jt, "requested", t->requested);
        if (t->for_go)
            cJSON_AddStringToObject(jt, "for-go", t->for_go);
        cJSON_AddStringToObject(jt, "version", t->version);
        cJSON_AddStringToObject(jt, "tag", t->tag);
        cJSON_AddStringToObject(jt, "repository", t->repository);
        cJSON *ja = cJSON_AddObjectToObject(jt, "assets");
        for (size_t k = 0; k < t->nassets; k++) {
            const struct sw_lock_tool_asset *a = &t->assets[k];
            cJSON *o = cJSON_AddObjectToObject(ja, a->name);
            cJSON *targets = cJSON_AddArrayToObject(o, "targets");
            for (size_t n = 0; n < a->ntargets; n++)
                cJSON_AddItemToArray(targets, cJSON_CreateString(a->targets[n]));
            if (a->size >= 0)
                cJSON_AddNumberToObject(o, "size", (double)a->size);
            cJSON_AddStringToObject(o, "digest", a->digest);
            cJSON_AddStringToObject(o, "pinned-from", sw_pin_from_name(a->from));
        }
        if (t->prov_source != SW_PROV_SOURCE_NONE && t->prov_bundle) {
            cJSON *p = cJSON_AddObjectToObject(jt, "provenance");
            cJSON_AddStringToObject(p, "source", sw_prov_source_name(t->prov_source));
            cJSON_AddStringToObject(p, "bundle", t->prov_bundle);
        }
    }
    return tools;
}

/* ---- the program's side ---- */

static char *dup_or_null(const char *s)
{
    return s ? sw_xstrdup(s) : NULL;
}

static void tool_copy(struct sw_lock_tool *dst, const struct sw_lock_tool *src)
{
    dst->name = dup_or_null(src->name);
    dst->requested = dup_or_null(src->requested);
    dst->for_go = dup_or_null(src->for_go);
    dst->version = dup_or_null(src->version);
    dst->tag = dup_or_null(src->tag);
    dst->repository = dup_or_null(src->repository);
    dst->prov_source = src->prov_source;
    dst->prov_bundle =
        src->prov_source != SW_PROV_SOURCE_NONE ? dup_or_null(src->prov_bundle) : NULL;
    dst->assets = sw_xcalloc(src->nassets + 1, sizeof(*dst->assets));
    for (size_t i = 0; i < src->nassets; i++) {
        const struct sw_lock_tool_asset *a = &src->assets[i];
        struct sw_lock_tool_asset *d = &dst->assets[dst->nassets++];
        d->name = dup_or_null(a->name);
        d->digest = dup_or_null(a->digest);
        d->size = a->size;
        d->from = a->from;
        d->targets = sw_xcalloc(a->ntargets + 1, sizeof(char *));
        for (size_t k = 0; k < a->ntargets; k++)
            d->targets[d->ntargets++] = dup_or_null(a->targets[k]);
    }
}

int sw_lock_put_tool(struct sw_lock *lock, const struct sw_lock_tool *t, struct sw_error *err)
{
    struct sw_lock_tool c = {0};
    if (!tool_row(t->name, "", err))
        return -1;
    tool_copy(&c, t);
    /* a NULL target sorts first, where check_tool finds it */
    for (size_t i = 0; i < c.nassets; i++)
        for (size_t k = 0; k < c.assets[i].ntargets; k++)
            if (!c.assets[i].targets[k])
                c.assets[i].targets[k] = sw_xstrdup("");
    for (size_t i = 0; i < c.nassets; i++)
        if (!c.assets[i].name)
            c.assets[i].name = sw_xstrdup("");
    sort_tool(&c);
    if (check_tool(&c, "", err) < 0) {
        tool_clear(&c);
        return -1;
    }
    struct sw_lock_tool *old = sw_lock_tool_named(lock, c.name);
    if (old) {
        tool_clear(old);
        *old = c;
        return 0;
    }
    lock->tools = sw_xrealloc(lock->tools, (lock->ntools + 1) * sizeof(*lock->tools));
    lock->tools[lock->ntools++] = c;
    qsort(lock->tools, lock->ntools, sizeof(*lock->tools), cmp_tool);
    return 0;
}

struct sw_lock_tool *sw_lock_tool_named(const struct sw_lock *lock, const char *name)
{
    for (size_t i = 0; lock && name && i < lock->ntools; i++)
        if (strcmp(lock->tools[i].name, name) == 0)
            return &lock->tools[i];
    return NULL;
}

const struct sw_lock_tool_asset *sw_lock_tool_asset_for(const struct sw_lock_tool *t,
                                                        const char *target)
{
    for (size_t i = 0; t && target && i < t->nassets; i++)
        for (size_t k = 0; k < t->assets[i].ntargets; k++)
            if (strcmp(t->assets[i].targets[k], target) == 0)
                return &t->assets[i];
    return NULL;
}
