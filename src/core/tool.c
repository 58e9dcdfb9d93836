#include "core/tool.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"

static bool version_in(const struct sw_semver *v, const char *min, const char *max_excl)
{
    struct sw_semver b;
    if (min && (sw_semver_parse(min, &b, NULL) < 0 || sw_semver_cmp(v, &b) < 0))
        return false;
    if (max_excl && (sw_semver_parse(max_excl, &b, NULL) < 0 || sw_semver_cmp(v, &b) >= 0))
        return false;
    return true;
}

int sw_tool_request_parse(const char *word, const struct sw_tool **tool, struct sw_spec *spec,
                          struct sw_error *err)
{
    char name[64];
    const char *at = strchr(word, '@');
    size_t len = at ? (size_t)(at - word) : strlen(word);
    if (len == 0 || len >= sizeof(name))
        return sw_error_set(err, SW_EXIT_USAGE, "'%s' is not TOOL[@SPEC]: the tools are %s", word,
                            sw_tool_names());
    memcpy(name, word, len);
    name[len] = '\0';
    const struct sw_tool *t = sw_tool_named(name);
    if (!t)
        return sw_error_set(err, SW_EXIT_USAGE, "unknown tool '%s': the tools are %s", name,
                            sw_tool_names());
    if (sw_tool_spec_parse(t, at ? at + 1 : "latest", spec, err) < 0)
        return sw_error_wrap(err, "%s", t->name);
    *tool = t;
    return 0;
}

int sw_tool_spec_parse(const struct sw_tool *t, const char *text, struct sw_spec *spec,
                       struct sw_error *err)
{
    if (strcmp(text, "auto") != 0)
        return sw_spec_parse(text, spec, err);
    if (!t->auto_by_go)
        return sw_error_set(err, SW_EXIT_USAGE,
                            "'auto' is for tinygo only (the newest TinyGo that builds with the "
                            "Go in use): give %s a version or a range",
                            t->name);
    if (sw_spec_parse("latest", spec, err) < 0)
        return -1;
    snprintf(spec->text, sizeof(spec->text), "auto");
    return 0;
}

bool sw_spec_is_auto(const struct sw_spec *spec)
{
    return spec->kind == SW_SPEC_LATEST && strcmp(spec->text, "auto") == 0;
}

static bool never_taken(const struct sw_tool *t, const char *tag, const struct sw_semver *v)
{
    for (const char *const *n = t->never_tags; n && *n; n++)
        if (strcmp(*n, tag) == 0)
            return true;
    if (t->never_pre && v) {
        size_t len = strlen(t->never_pre);
        if (strncmp(v->pre, t->never_pre, len) == 0 && (v->pre[len] == '\0' || v->pre[len] == '.'))
            return true;
    }
    return false;
}

bool sw_tool_classify(const struct sw_tool *t, const char *repo, const char *tag,
                      struct sw_semver *version)
{
    if (never_taken(t, tag, NULL))
        return false;
    for (size_t i = 0; i < t->ntags; i++) {
        const struct sw_tool_tag *f = &t->tags[i];
        size_t plen = strlen(f->prefix);
        struct sw_semver v;
        if (strcmp(repo, f->repo) != 0 || strncmp(tag, f->prefix, plen) != 0 ||
            sw_semver_parse(tag + plen, &v, NULL) < 0 || !version_in(&v, f->min, f->max_excl) ||
            never_taken(t, tag, &v))
            continue;
        *version = v;
        return true;
    }
    return false;
}

int sw_tool_tag_for(const struct sw_tool *t, const struct sw_semver *v, const char **repo,
                    char *tag, size_t n, struct sw_error *err)
{
    char vs[SW_SEMVER_STR_MAX];
    sw_semver_str(v, vs, sizeof(vs));
    for (size_t i = 0; i < t->ntags && !never_taken(t, "", v); i++) {
        const struct sw_tool_tag *f = &t->tags[i];
        if (!version_in(v, f->min, f->max_excl))
            continue;
        *repo = f->repo;
        snprintf(tag, n, "%s%s", f->prefix, vs);
        return 0;
    }
    return sw_error_set(err, SW_EXIT_NOTFOUND, "%s %s is not a version %s publishes", t->display,
                        vs, t->ntags ? t->tags[0].repo : "any repository");
}

size_t sw_tool_repos(const struct sw_tool *t, const char **repos, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < t->ntags; i++) {
        bool seen = false;
        for (size_t j = 0; j < n; j++)
            seen = seen || strcmp(repos[j], t->tags[i].repo) == 0;
        if (!seen && n < max)
            repos[n++] = t->tags[i].repo;
    }
    return n;
}

static void expand(const char *tmpl, const struct sw_semver *v, char *out, size_t n)
{
    char vs[SW_SEMVER_STR_MAX];
    sw_semver_str(v, vs, sizeof(vs));
    const char *p = strstr(tmpl, "{version}");
    if (p)
        snprintf(out, n, "%.*s%s%s", (int)(p - tmpl), tmpl, vs, p + strlen("{version}"));
    else
        snprintf(out, n, "%s", tmpl);
}

size_t sw_tool_assets_at(const struct sw_tool *t, const struct sw_semver *v,
                         struct sw_tool_target_asset *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < sw_tool_targets_len; i++)
        for (size_t j = 0; j < t->nassets; j++) {
            const struct sw_tool_asset *a = &t->assets[j];
            if (strcmp(a->target, sw_tool_targets[i]) != 0 || !version_in(v, a->min, a->max_excl))
                continue;
            if (n < max) {
                out[n].target = sw_tool_targets[i];
                expand(a->name, v, out[n].name, sizeof(out[n].name));
            }
            n++;
            break;
        }
    return n < max ? n : max;
}

int sw_tool_asset_name(const struct sw_tool *t, const char *target, const struct sw_semver *v,
                       char *out, size_t n, struct sw_error *err)
{
    struct sw_tool_target_asset all[16];
    size_t count = sw_tool_assets_at(t, v, all, 16);
    struct sw_buf have = SW_BUF_INIT;
    for (size_t i = 0; i < count; i++) {
        if (strcmp(all[i].target, target) == 0) {
            snprintf(out, n, "%s", all[i].name);
            sw_buf_free(&have);
            return 0;
        }
        sw_buf_printf(&have, "%s%s", i ? ", " : "", all[i].target);
    }
    char vs[SW_SEMVER_STR_MAX];
    sw_error_set(err, SW_EXIT_NOTFOUND, "%s %s has no build for %s: it is published for %s",
                 t->display, sw_semver_str(v, vs, sizeof(vs)), target,
                 count ? sw_buf_str(&have) : "no target setup-wash knows");
    sw_buf_free(&have);
    return -1;
}

bool sw_tool_target_is_windows(const char *target)
{
    size_t len = strlen(target), sfx = strlen("-pc-windows-msvc");
    return len > sfx && strcmp(target + len - sfx, "-pc-windows-msvc") == 0;
}
