#include "core/release.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/timefmt.h"
#include "core/tool.h"

static bool version_in(const struct sw_semver *v, const char *min, const char *max_excl)
{
    struct sw_semver lo, hi;
    if (sw_semver_parse(min, &lo, NULL) < 0 || sw_semver_cmp(v, &lo) < 0)
        return false;
    if (max_excl && (sw_semver_parse(max_excl, &hi, NULL) < 0 || sw_semver_cmp(v, &hi) >= 0))
        return false;
    return true;
}

bool sw_tag_classify(const char *repo, const char *tag, struct sw_semver *version,
                     enum sw_line *line)
{
    for (size_t i = 0; i < sw_tag_rules_len; i++) {
        const struct sw_tag_rule *r = &sw_tag_rules[i];
        size_t plen = strlen(r->prefix);
        struct sw_semver v;
        if (strcmp(repo, r->repo) != 0 || strncmp(tag, r->prefix, plen) != 0)
            continue;
        if (sw_semver_parse(tag + plen, &v, NULL) < 0)
            continue;
        if (!version_in(&v, r->min, r->max_excl))
            continue;
        *version = v;
        *line = r->line;
        return true;
    }
    return false;
}

int sw_tag_for_version(const struct sw_semver *v, const char **repo, char *tag, size_t n,
                       struct sw_error *err)
{
    char vs[SW_SEMVER_STR_MAX];
    sw_semver_str(v, vs, sizeof(vs));
    for (size_t i = 0; i < sw_tag_rules_len; i++) {
        const struct sw_tag_rule *r = &sw_tag_rules[i];
        if (!version_in(v, r->min, r->max_excl))
            continue;
        *repo = r->repo;
        snprintf(tag, n, "%s%s", r->prefix, vs);
        return 0;
    }
    return sw_error_set(err, SW_EXIT_NOTFOUND,
                        "wash %s is not a version any wash repository publishes: new wash starts "
                        "at 1.0.0-beta.1 and the old line is 0.x",
                        vs);
}


bool sw_digest_valid(const char *digest)
{
    if (!digest || strncmp(digest, "sha256:", 7) != 0)
        return false;
    const char *hex = digest + 7;
    size_t i = 0;
    for (; hex[i]; i++)
        if (!isxdigit((unsigned char)hex[i]))
            return false;
    return i == 64;
}

static void release_free(struct sw_release *r)
{
    for (size_t i = 0; i < r->nassets; i++) {
        free(r->assets[i].name);
        free(r->assets[i].digest);
    }
    free(r->assets);
    free(r->repo);
    free(r->tag);
}

/* ---- the set of (repository, tag) pairs already added ---- */

/* FNV-1a over the repository, a NUL and the tag, folded so the low bits see the high ones. */
static size_t tag_hash(const char *repo, const char *tag)
{
    uint64_t h = 0xcbf29ce484222325u;
    const char *p = repo;
    do
        h = (h ^ (unsigned char)*p) * 0x100000001b3u;
    while (*p++);
    for (p = tag; *p; p++)
        h = (h ^ (unsigned char)*p) * 0x100000001b3u;
    return (size_t)(h ^ (h >> 29));
}

/* The slot holding (repo, tag), or the empty slot where it belongs (linear probing). */
static size_t *seen_slot(const struct sw_releases *rs, const char *repo, const char *tag)
{
    size_t mask = rs->seen_cap - 1;
    for (size_t i = tag_hash(repo, tag) & mask;; i = (i + 1) & mask) {
        size_t *slot = &rs->seen[i];
        if (*slot == SIZE_MAX ||
            (strcmp(rs->items[*slot].tag, tag) == 0 && strcmp(rs->items[*slot].repo, repo) == 0))
            return slot;
    }
}

/* Makes the set cover every item, with room for `extra` more at most half full: doubling and
 * rebuilding keeps the cost per added release constant (amortised). */
static void seen_sync(struct sw_releases *rs, size_t extra)
{
    if ((rs->n + extra) * 2 > rs->seen_cap) {
        size_t cap = rs->seen_cap ? rs->seen_cap : 64;
        while ((rs->n + extra) * 2 > cap)
            cap *= 2;
        free(rs->seen);
        rs->seen = sw_xmalloc(cap * sizeof(*rs->seen));
        memset(rs->seen, 0xff, cap * sizeof(*rs->seen)); /* every slot SIZE_MAX: empty */
        rs->seen_cap = cap;
        rs->seen_n = 0;
    }
    for (; rs->seen_n < rs->n; rs->seen_n++) {
        const struct sw_release *r = &rs->items[rs->seen_n];
        *seen_slot(rs, r->repo, r->tag) = rs->seen_n;
    }
}

static bool is_wash(const struct sw_releases *rs)
{
    return !rs->tool || rs->tool->wash;
}

/* The name of what rs holds, for messages: "wash", "TinyGo". */
static const char *what_of(const struct sw_releases *rs)
{
    return is_wash(rs) ? "wash" : rs->tool->display;
}

static void add_release(struct sw_releases *rs, const char *repo, const cJSON *rel)
{
    const char *tag = sw_json_str(rel, "tag_name");
    const cJSON *draft = cJSON_GetObjectItemCaseSensitive(rel, "draft");
    struct sw_semver v;
    enum sw_line line = SW_LINE_NEW;
    if (!tag || cJSON_IsTrue(draft))
        return;
    if (is_wash(rs) ? !sw_tag_classify(repo, tag, &v, &line)
                    : !sw_tool_classify(rs->tool, repo, tag, &v))
        return;
    seen_sync(rs, 1);
    size_t *slot = seen_slot(rs, repo, tag);
    if (*slot != SIZE_MAX) /* a tag seen twice (a page shifted) counts once: the first */
        return;

    struct sw_release r = {0};
    const cJSON *assets = cJSON_GetObjectItemCaseSensitive(rel, "assets");
    const cJSON *a;
    r.assets = sw_xcalloc((size_t)cJSON_GetArraySize(assets) + 1, sizeof(*r.assets));
    cJSON_ArrayForEach(a, assets)
    {
        const char *name = sw_json_str(a, "name");
        const char *digest = sw_json_str(a, "digest");
        const cJSON *size = cJSON_GetObjectItemCaseSensitive(a, "size");
        if (!name)
            continue;
        struct sw_asset *dst = &r.assets[r.nassets++];
        dst->name = sw_xstrdup(name);
        dst->digest = sw_digest_valid(digest) ? sw_xstrdup(digest) : NULL;
        if (dst->digest)
            for (char *p = dst->digest; *p; p++)
                *p = (char)tolower((unsigned char)*p);
        /* a size outside [0, 2^53) is not a size (and would not fit an int64_t) */
        dst->size = cJSON_IsNumber(size) && size->valuedouble >= 0 && size->valuedouble < 9e15
                        ? (int64_t)size->valuedouble
                        : -1;
    }
    /* Only a release that ships at least one wash binary is a wash release: a tag that fits
     * the pattern but carries no wash-* asset is some other product's. */
    bool has_wash = !is_wash(rs);
    for (size_t i = 0; i < r.nassets; i++)
        if (strncmp(r.assets[i].name, SW_ASSET_PREFIX, strlen(SW_ASSET_PREFIX)) == 0 &&
            strchr(r.assets[i].name, '-') != NULL && strstr(r.assets[i].name, "sigstore") == NULL)
            has_wash = true;
    if (!has_wash) {
        release_free(&r);
        return;
    }
    r.repo = sw_xstrdup(repo);
    r.tag = sw_xstrdup(tag);
    r.version = v;
    r.line = line;
    const char *published = sw_json_str(rel, "published_at");
    if (!published || sw_time_parse(published, false, &r.published) < 0 || r.published <= 0)
        r.published = 0;
    if (rs->n == rs->cap) {
        rs->cap = rs->cap ? rs->cap * 2 : 32;
        rs->items = sw_xrealloc(rs->items, rs->cap * sizeof(*rs->items));
    }
    *slot = rs->n;
    rs->items[rs->n++] = r;
    rs->seen_n = rs->n;
}

int sw_releases_add_json(struct sw_releases *rs, const char *repo, const char *json, size_t len,
                         const char *what, struct sw_error *err)
{
    cJSON *root = cJSON_ParseWithLength(json, len);
    if (!root)
        return sw_error_set(err, SW_EXIT_NETWORK,
                            "%s: the response is not valid JSON (a proxy or mirror answering "
                            "with an HTML page?)",
                            what);
    if (cJSON_IsArray(root)) {
        const cJSON *rel;
        cJSON_ArrayForEach(rel, root)
        {
            if (cJSON_IsObject(rel))
                add_release(rs, repo, rel);
        }
    } else if (cJSON_IsObject(root) && sw_json_str(root, "tag_name")) {
        add_release(rs, repo, root);
    } else {
        cJSON_Delete(root);
        return sw_error_set(err, SW_EXIT_NETWORK,
                            "%s: expected a release list or a release object in the response",
                            what);
    }
    cJSON_Delete(root);
    return 0;
}

static bool spec_matches(const struct sw_spec *spec, const struct sw_release *r)
{
    switch (spec->kind) {
    case SW_SPEC_LATEST:
        return r->line == SW_LINE_NEW && !sw_semver_is_pre(&r->version);
    case SW_SPEC_RC:
        return r->line == SW_LINE_NEW;
    case SW_SPEC_EXACT:
        return sw_semver_cmp(&spec->exact, &r->version) == 0;
    case SW_SPEC_RANGE:
        if (r->line == SW_LINE_OLD && !sw_range_names_major0(spec->range))
            return false;
        return sw_range_match(spec->range, &r->version);
    }
    return false;
}

/* Newest first; releases of one version (which print the same) by repository and tag, so the
 * order is total and does not depend on qsort. */
static int newest_first(const void *a, const void *b)
{
    const struct sw_release *x = *(const struct sw_release *const *)a;
    const struct sw_release *y = *(const struct sw_release *const *)b;
    int c = sw_semver_cmp(&y->version, &x->version);
    if (c == 0)
        c = strcmp(x->repo, y->repo);
    if (c == 0)
        c = strcmp(x->tag, y->tag);
    return c;
}

/* The releases of one or both lines, newest first, one per version (the caller frees *out). */
static size_t sorted_versions(const struct sw_releases *rs, bool old,
                              const struct sw_release ***out)
{
    const struct sw_release **v = sw_xcalloc(rs->n + 1, sizeof(*v));
    size_t n = 0;
    for (size_t i = 0; i < rs->n; i++)
        if (old || rs->items[i].line == SW_LINE_NEW)
            v[n++] = &rs->items[i];
    qsort(v, n, sizeof(*v), newest_first);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (m == 0 || sw_semver_cmp(&v[m - 1]->version, &v[i]->version) != 0)
            v[m++] = v[i];
    *out = v;
    return m;
}

void sw_releases_nearest(const struct sw_releases *rs, const struct sw_semver *around, bool old,
                         size_t max, char *buf, size_t n)
{
    const struct sw_release **v = NULL;
    size_t count = sorted_versions(rs, old, &v);
    size_t start = 0;
    if (around) {
        size_t pos = 0; /* first index older than `around` */
        while (pos < count && sw_semver_cmp(&v[pos]->version, around) > 0)
            pos++;
        start = pos > max / 2 ? pos - max / 2 : 0;
        if (start + max > count)
            start = count > max ? count - max : 0;
    }
    struct sw_buf b = SW_BUF_INIT;
    for (size_t i = start; i < count && i < start + max; i++) {
        char s[SW_SEMVER_STR_MAX];
        sw_buf_printf(&b, "%s%s", i > start ? ", " : "",
                      sw_semver_str(&v[i]->version, s, sizeof(s)));
    }
    snprintf(buf, n, "%s", count ? sw_buf_str(&b) : "(none)");
    sw_buf_free(&b);
    free(v);
}

static bool too_new(const struct sw_cooldown *cd, const struct sw_spec *spec,
                    const struct sw_release *r)
{
    return cd && cd->age > 0 && spec->kind != SW_SPEC_EXACT &&
           (r->published == 0 || r->published > cd->cutoff);
}

/* Nothing old enough: name the newest match, and the match that qualifies first when that is
 * another one. */
static int cooldown_error(const struct sw_releases *rs, const struct sw_spec *spec,
                          const struct sw_cooldown *cd, size_t newest, struct sw_error *err)
{
    size_t first = newest;
    for (size_t i = 0; i < rs->n; i++) {
        const struct sw_release *r = &rs->items[i];
        if (spec_matches(spec, r) && r->published &&
            (!rs->items[first].published || r->published < rs->items[first].published))
            first = i;
    }
    char age[32], vs[SW_SEMVER_STR_MAX], fs[SW_SEMVER_STR_MAX], when[32], fwhen[32], at[32];
    sw_duration_format(cd->age, age, sizeof(age));
    sw_semver_str(&rs->items[newest].version, vs, sizeof(vs));
    const struct sw_release *n = &rs->items[newest], *f = &rs->items[first];
    if (!n->published && !f->published)
        return sw_error_set(err, SW_EXIT_NOTFOUND,
                            "no %s release matching '%s' is older than --min-release-age %s: "
                            "the newest match, %s, has no published time in the API's answer, "
                            "so its age cannot be shown; install an exact version, or pass "
                            "--min-release-age 0",
                            what_of(rs), spec->text, age, vs);
    if (!n->published)
        n = f;
    sw_semver_str(&n->version, vs, sizeof(vs));
    sw_time_format(n->published, at, sizeof(at));
    sw_time_format(n->published + cd->age, when, sizeof(when));
    char also[200] = "";
    if (f != n) {
        sw_time_format(f->published + cd->age, fwhen, sizeof(fwhen));
        snprintf(also, sizeof(also), " (the first match to qualify is %s, at %s)",
                 sw_semver_str(&f->version, fs, sizeof(fs)), fwhen);
    }
    return sw_error_set(err, SW_EXIT_NOTFOUND,
                        "no %s release matching '%s' is older than --min-release-age %s: the "
                        "newest match, %s, was published %s and qualifies at %s%s; install an "
                        "exact version to take it now, or pass --min-release-age 0",
                        what_of(rs), spec->text, age, vs, at, when, also);
}

int sw_releases_select(const struct sw_releases *rs, const struct sw_spec *spec,
                       const struct sw_cooldown *cd, size_t *idx, size_t *held,
                       struct sw_error *err)
{
    return sw_releases_select_if(rs, spec, cd, NULL, NULL, idx, held, err);
}

int sw_releases_select_if(const struct sw_releases *rs, const struct sw_spec *spec,
                          const struct sw_cooldown *cd, sw_release_keep keep, const void *arg,
                          size_t *idx, size_t *held, struct sw_error *err)
{
    size_t best = SIZE_MAX, newest = SIZE_MAX;
    for (size_t i = 0; i < rs->n; i++) {
        const struct sw_release *r = &rs->items[i];
        if (!spec_matches(spec, r) || (keep && !keep(r, arg)))
            continue;
        if (too_new(cd, spec, r)) {
            if (newest == SIZE_MAX || sw_semver_cmp(&r->version, &rs->items[newest].version) > 0)
                newest = i;
            continue;
        }
        if (best == SIZE_MAX || sw_semver_cmp(&r->version, &rs->items[best].version) > 0)
            best = i;
    }
    if (held)
        *held = newest != SIZE_MAX &&
                        (best == SIZE_MAX ||
                         sw_semver_cmp(&rs->items[newest].version, &rs->items[best].version) > 0)
                    ? newest
                    : SIZE_MAX;
    if (best != SIZE_MAX) {
        *idx = best;
        return 0;
    }
    if (newest != SIZE_MAX)
        return cooldown_error(rs, spec, cd, newest, err);
    char near[512];
    switch (spec->kind) {
    case SW_SPEC_EXACT: {
        char vs[SW_SEMVER_STR_MAX];
        sw_releases_nearest(rs, &spec->exact, spec->exact.major == 0, 6, near, sizeof(near));
        return sw_error_set(err, SW_EXIT_NOTFOUND,
                            "%s %s was not found in any release: the nearest versions are %s",
                            what_of(rs), sw_semver_str(&spec->exact, vs, sizeof(vs)), near);
    }
    case SW_SPEC_RANGE:
        sw_releases_nearest(rs, NULL, sw_range_names_major0(spec->range), 6, near, sizeof(near));
        return sw_error_set(err, SW_EXIT_NOTFOUND,
                            "no %s release matches '%s' (a prerelease matches only a range that "
                            "names a prerelease of its own X.Y.Z%s%s%s%s): the newest versions "
                            "are %s",
                            what_of(rs), spec->text, is_wash(rs) ? ", e.g. '>=2.8.0-rc.1'" : "",
                            !is_wash(rs) && rs->tool->never_pre ? "; -" : "",
                            !is_wash(rs) && rs->tool->never_pre ? rs->tool->never_pre : "",
                            !is_wash(rs) && rs->tool->never_pre ? " builds are never taken" : "",
                            near);
    default:
        sw_releases_nearest(rs, NULL, false, 6, near, sizeof(near));
        return sw_error_set(err, SW_EXIT_NOTFOUND,
                            "no %s%s release was found: the releases seen are %s",
                            spec->kind == SW_SPEC_LATEST ? "stable " : "", what_of(rs), near);
    }
}

const struct sw_asset *sw_release_asset(const struct sw_release *r, const char *name)
{
    for (size_t i = 0; i < r->nassets; i++)
        if (strcmp(r->assets[i].name, name) == 0)
            return &r->assets[i];
    return NULL;
}

void sw_releases_free(struct sw_releases *rs)
{
    if (!rs)
        return;
    for (size_t i = 0; i < rs->n; i++)
        release_free(&rs->items[i]);
    free(rs->items);
    free(rs->seen);
    rs->items = NULL;
    rs->seen = NULL;
    rs->n = rs->cap = rs->seen_cap = rs->seen_n = 0;
}
