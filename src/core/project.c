#include "core/project.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/semver.h"
#include "data/toolchains.h"

/* One line of text: [s, s+len), without the line break. */
struct line {
    const char *s;
    size_t len;
};

/* Walks text line by line; returns false at the end. *pos is the cursor. */
static bool next_line(const char *text, size_t len, size_t *pos, struct line *l)
{
    if (*pos >= len)
        return false;
    size_t start = *pos, end = start;
    while (end < len && text[end] != '\n')
        end++;
    *pos = end < len ? end + 1 : end;
    if (end > start && text[end - 1] == '\r')
        end--;
    l->s = text + start;
    l->len = end - start;
    return true;
}

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

static void trim(struct line *l)
{
    while (l->len && blank(l->s[0]))
        l->s++, l->len--;
    while (l->len && blank(l->s[l->len - 1]))
        l->len--;
}

/* Copies [s, s+len) into dst[n], cut to fit, control characters replaced. */
static void copy(char *dst, size_t n, const char *s, size_t len)
{
    char tmp[1024];
    if (len > sizeof(tmp) - 1)
        len = sizeof(tmp) - 1;
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    sw_sanitize(dst, n, tmp);
}

/* Splits off the first whitespace-separated word of l into w; l keeps the rest. */
static bool word(struct line *l, struct line *w)
{
    trim(l);
    if (!l->len)
        return false;
    size_t i = 0;
    while (i < l->len && !blank(l->s[i]))
        i++;
    w->s = l->s;
    w->len = i;
    l->s += i;
    l->len -= i;
    return true;
}

static bool is(const struct line *w, const char *lit)
{
    return w->len == strlen(lit) && memcmp(w->s, lit, w->len) == 0;
}

/* A `module version` requirement: records the wit-bindgen-go module's version. */
static void require(struct line l, struct sw_gomod *g)
{
    struct line mod, ver;
    if (word(&l, &mod) && is(&mod, SW_WBG_MODULE) && word(&l, &ver))
        copy(g->wbg, sizeof(g->wbg), ver.s, ver.len);
}

/* A `tool path` line: notes the wit-bindgen-go command. */
static void tool(struct line l, struct sw_gomod *g)
{
    struct line path;
    if (word(&l, &path) && is(&path, SW_WBG_MODULE "/cmd/wit-bindgen-go"))
        g->wbg_tool = true;
}

void sw_gomod_parse(const char *text, size_t len, struct sw_gomod *g)
{
    size_t pos = 0;
    struct line l;
    bool in_require = false, in_tool = false;
    while (next_line(text, len, &pos, &l)) {
        for (size_t i = 0; i + 1 < l.len; i++)
            if (l.s[i] == '/' && l.s[i + 1] == '/') {
                l.len = i;
                break;
            }
        trim(&l);
        struct line rest = l, w;
        if (!word(&rest, &w))
            continue;
        if (in_require || in_tool) {
            if (is(&w, ")"))
                in_require = in_tool = false;
            else if (in_require)
                require(l, g);
            else
                tool(l, g);
            continue;
        }
        struct line val;
        if (is(&w, "go") && word(&rest, &val))
            copy(g->go, sizeof(g->go), val.s, val.len);
        else if (is(&w, "toolchain") && word(&rest, &val))
            copy(g->toolchain, sizeof(g->toolchain), val.s, val.len);
        else if (is(&w, "require")) {
            trim(&rest);
            if (rest.len && rest.s[0] == '(')
                in_require = true;
            else
                require(rest, g);
        } else if (is(&w, "tool")) {
            trim(&rest);
            if (rest.len && rest.s[0] == '(')
                in_tool = true;
            else
                tool(rest, g);
        }
    }
}

void sw_gosum_parse(const char *text, size_t len, struct sw_gomod *g)
{
    size_t pos = 0;
    struct line l;
    struct sw_semver best;
    bool have = false;
    while (next_line(text, len, &pos, &l)) {
        struct line mod, ver;
        if (!word(&l, &mod) || !is(&mod, SW_WBG_MODULE) || !word(&l, &ver) || ver.len < 2 ||
            ver.s[0] != 'v')
            continue;
        static const char gomod[] = "/go.mod";
        if (ver.len > sizeof(gomod) - 1 &&
            memcmp(ver.s + ver.len - (sizeof(gomod) - 1), gomod, sizeof(gomod) - 1) == 0)
            ver.len -= sizeof(gomod) - 1;
        char buf[80];
        struct sw_semver v;
        if (ver.len >= sizeof(buf))
            continue;
        memcpy(buf, ver.s + 1, ver.len - 1);
        buf[ver.len - 1] = '\0';
        if (sw_semver_parse(buf, &v, NULL) < 0 || (have && sw_semver_cmp(&v, &best) <= 0))
            continue;
        best = v;
        have = true;
        copy(g->wbg_sum, sizeof(g->wbg_sum), ver.s, ver.len);
    }
}

const char *sw_gomod_wbg(const struct sw_gomod *g, char *where, size_t n)
{
    const char *v = g->wbg[0] ? g->wbg : g->wbg_sum[0] ? g->wbg_sum : NULL;
    if (v)
        snprintf(where, n, "%s %s %s%s", g->wbg[0] ? "go.mod requires" : "go.sum lists",
                 SW_WBG_MODULE, v, g->wbg_tool ? ", run by go tool" : "");
    else if (n)
        where[0] = '\0';
    return v;
}

static size_t indent(const struct line *l)
{
    size_t i = 0;
    while (i < l->len && l->s[i] == ' ')
        i++;
    return i;
}

/* Drops a ` # comment` outside quotes. */
static void strip_comment(struct line *l)
{
    char q = 0;
    for (size_t i = 0; i < l->len; i++) {
        char c = l->s[i];
        if (q) {
            if (c == q)
                q = 0;
        } else if (c == '"' || c == '\'') {
            q = c;
        } else if (c == '#' && (i == 0 || blank(l->s[i - 1]))) {
            l->len = i;
            break;
        }
    }
    trim(l);
}

/* Removes the quotes around a scalar, and the white space around it. */
static void unquote(struct line *v)
{
    trim(v);
    if (v->len >= 2 && (v->s[0] == '"' || v->s[0] == '\'') && v->s[v->len - 1] == v->s[0])
        v->s++, v->len -= 2;
}

/* Stores a scalar value (quotes removed) as the command when it is not empty. */
static void set_command(struct sw_washcfg *c, struct line v)
{
    unquote(&v);
    if (!v.len)
        return;
    copy(c->command, sizeof(c->command), v.s, v.len);
    c->has_command = true;
}

static bool key(const struct line *l, size_t at, const char *name, struct line *value)
{
    size_t n = strlen(name);
    if (l->len < at + n + 1 || memcmp(l->s + at, name, n) != 0 || l->s[at + n] != ':')
        return false;
    if (at + n + 1 < l->len && !blank(l->s[at + n + 1]))
        return false;
    value->s = l->s + at + n + 1;
    value->len = l->len - at - n - 1;
    strip_comment(value);
    return true;
}

/* The next item of a one-line flow collection whose opening bracket v has passed: up to a
 * ',' or the closing bracket at depth 0, outside quotes. False when none is left. */
static bool flow_next(struct line *v, struct line *item)
{
    trim(v);
    if (!v->len || v->s[0] == '}' || v->s[0] == ']')
        return false;
    size_t end = 0;
    int depth = 0;
    char q = 0;
    for (; end < v->len; end++) {
        char ch = v->s[end];
        if (q) {
            if (ch == q)
                q = 0;
        } else if (ch == '"' || ch == '\'') {
            q = ch;
        } else if (ch == '{' || ch == '[') {
            depth++;
        } else if ((ch == '}' || ch == ']') && depth-- == 0) {
            break;
        } else if (ch == ',' && depth == 0) {
            break;
        }
    }
    *item = (struct line){v->s, end};
    trim(item);
    bool more = end < v->len && v->s[end] == ',';
    v->s += end + (more ? 1 : 0);
    v->len -= end + (more ? 1 : 0);
    if (!more)
        v->len = 0;
    return true;
}

/* Splits `key: value` (a plain key); false for a scalar without one. */
static bool key_value(struct line l, struct line *k, struct line *v)
{
    trim(&l);
    for (size_t i = 0; i < l.len; i++) {
        if (l.s[i] == '"' || l.s[i] == '\'' || l.s[i] == '{' || l.s[i] == '[')
            return false;
        if (l.s[i] == ':' && (i + 1 == l.len || blank(l.s[i + 1]))) {
            *k = (struct line){l.s, i};
            *v = (struct line){l.s + i + 1, l.len - i - 1};
            trim(k);
            unquote(v);
            return true;
        }
    }
    return false;
}

/* `{command: x, ...}` on one line. */
static void flow_mapping(struct sw_washcfg *c, struct line v)
{
    if (!v.len || v.s[0] != '{')
        return;
    v.s++, v.len--;
    struct line item, k, val;
    while (flow_next(&v, &item))
        if (key_value(item, &k, &val) && is(&k, "command")) {
            set_command(c, val);
            return;
        }
}

/* ---- host component plugins ---- */

#define EXPECTED_DIGEST "expectedDigest"

/* Counts one entry of the list `keyname`: pinned, or its source noted. */
static void host_plugin(struct sw_washcfg *c, const char *keyname, struct line source,
                        bool pinned)
{
    c->host_plugins++;
    if (!strstr(c->host_plugin_keys, keyname)) {
        size_t n = strlen(c->host_plugin_keys);
        snprintf(c->host_plugin_keys + n, sizeof(c->host_plugin_keys) - n, "%s%s",
                 n ? ", " : "", keyname);
    }
    if (pinned) {
        c->host_plugins_pinned++;
        return;
    }
    char src[128];
    unquote(&source);
    copy(src, sizeof(src), source.s, source.len);
    size_t n = strlen(c->host_plugins_unpinned);
    snprintf(c->host_plugins_unpinned + n, sizeof(c->host_plugins_unpinned) - n, "%s%s",
             n ? ", " : "", src[0] ? src : "(no source)");
}

/* What one entry's first line says: `{k: v, ...}`, `k: v` or a plain source. */
struct entry {
    bool open;
    bool pinned;
    struct line source;
};

static void entry_key(struct entry *e, struct line k, struct line v)
{
    if (is(&k, EXPECTED_DIGEST))
        e->pinned = e->pinned || v.len > 0;
    else if (!e->source.len)
        e->source = v;
}

static void entry_start(struct entry *e, struct line item)
{
    struct line k, v, part;
    *e = (struct entry){.open = true};
    trim(&item);
    if (item.len && item.s[0] == '{') {
        item.s++, item.len--;
        while (flow_next(&item, &part))
            if (key_value(part, &k, &v))
                entry_key(e, k, v);
    } else if (key_value(item, &k, &v)) {
        entry_key(e, k, v);
    } else {
        e->source = item;
    }
}

static void entry_end(struct sw_washcfg *c, const char *keyname, struct entry *e)
{
    if (e->open)
        host_plugin(c, keyname, e->source, e->pinned);
    e->open = false;
}

static bool dash(const struct line *content)
{
    return content->len && content->s[0] == '-' && (content->len == 1 || blank(content->s[1]));
}

/* The entries of `top:` / `sub:` in YAML (see project.h for the forms). */
static void yaml_host_plugins(const char *text, size_t len, const char *top, const char *sub,
                              const char *keyname, struct sw_washcfg *c)
{
    size_t pos = 0, child = 0, key_ind = 0, item_ind = 0;
    bool in_top = false, in_seq = false;
    struct entry e = {0};
    struct line l, value;
    while (next_line(text, len, &pos, &l)) {
        struct line content = l;
        strip_comment(&content);
        if (!content.len)
            continue;
        size_t ind = indent(&l);
        if (in_seq) {
            if (dash(&content) && ind >= key_ind && (!item_ind || ind == item_ind)) {
                entry_end(c, keyname, &e);
                item_ind = ind;
                content.s++, content.len--;
                entry_start(&e, content);
                continue;
            }
            if (item_ind && ind > item_ind) {
                struct line k, v;
                if (key_value(content, &k, &v))
                    entry_key(&e, k, v);
                continue;
            }
            entry_end(c, keyname, &e);
            in_seq = false; /* and the line is read as any other */
        }
        if (ind == 0) {
            in_top = key(&l, 0, top, &value) && !value.len;
            child = 0;
            continue;
        }
        if (!in_top)
            continue;
        if (!child)
            child = ind;
        if (ind != child || !key(&l, ind, sub, &value))
            continue;
        if (!value.len) {
            in_seq = true;
            key_ind = ind;
            item_ind = 0;
        } else if (value.s[0] == '[') {
            struct line item;
            value.s++, value.len--;
            while (flow_next(&value, &item)) {
                entry_start(&e, item);
                entry_end(c, keyname, &e);
            }
        }
    }
    entry_end(c, keyname, &e);
}

static void json_host_plugins(const cJSON *root, const char *top, const char *sub,
                              const char *keyname, struct sw_washcfg *c)
{
    const cJSON *list =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, top), sub);
    const cJSON *it;
    if (!cJSON_IsArray(list))
        return;
    cJSON_ArrayForEach(it, list)
    {
        const char *src = "";
        bool pinned = false;
        if (cJSON_IsString(it)) {
            src = it->valuestring;
        } else if (cJSON_IsObject(it)) {
            const char *d = sw_json_str(it, EXPECTED_DIGEST);
            pinned = d && d[0];
            for (const cJSON *m = it->child; m && !src[0]; m = m->next)
                if (cJSON_IsString(m) && strcmp(m->string, EXPECTED_DIGEST) != 0)
                    src = m->valuestring;
        }
        host_plugin(c, keyname, (struct line){src, strlen(src)}, pinned);
    }
}

static void yaml_command(const char *text, size_t len, struct sw_washcfg *c);

void sw_washcfg_parse_yaml(const char *text, size_t len, struct sw_washcfg *c)
{
    yaml_host_plugins(text, len, "host", "hostPlugins", "host.hostPlugins", c);
    yaml_host_plugins(text, len, "dev", "host_plugins", "dev.host_plugins", c);
    yaml_command(text, len, c);
}

static void yaml_command(const char *text, size_t len, struct sw_washcfg *c)
{
    size_t pos = 0, child = 0;
    struct line l, value;
    bool in_build = false, in_command = false;
    size_t command_indent = 0;
    while (next_line(text, len, &pos, &l)) {
        struct line content = l;
        strip_comment(&content);
        if (!content.len)
            continue; /* blank lines and comments never end a block */
        size_t ind = indent(&l);
        if (in_command) {
            if (ind <= command_indent)
                return; /* the block scalar or sequence was empty */
            if (content.s[0] == '-' && (content.len == 1 || blank(content.s[1]))) {
                content.s++, content.len--;
            }
            set_command(c, content);
            return;
        }
        if (ind == 0) {
            in_build = key(&l, 0, "build", &value);
            child = 0;
            if (in_build && value.len) {
                flow_mapping(c, value);
                in_build = false;
            }
            continue;
        }
        if (!in_build)
            continue;
        if (!child)
            child = ind;
        if (ind != child)
            continue; /* deeper levels belong to other keys */
        if (key(&l, ind, "command", &value)) {
            if (value.len && value.s[0] != '|' && value.s[0] != '>') {
                set_command(c, value);
                return;
            }
            in_command = true;
            command_indent = ind;
        }
    }
}

void sw_washcfg_parse_json(const char *text, size_t len, struct sw_washcfg *c)
{
    struct sw_error err = {0};
    cJSON *root = sw_json_parse(text, len, c->file, SW_EXIT_USAGE, &err);
    if (!root) {
        c->invalid = true;
        snprintf(c->error, sizeof(c->error), "%s", err.msg);
        return;
    }
    const cJSON *build = cJSON_GetObjectItemCaseSensitive(root, "build");
    const char *cmd = sw_json_str(build, "command");
    if (cmd && cmd[0])
        set_command(c, (struct line){cmd, strlen(cmd)});
    json_host_plugins(root, "host", "hostPlugins", "host.hostPlugins", c);
    json_host_plugins(root, "dev", "host_plugins", "dev.host_plugins", c);
    cJSON_Delete(root);
}

static bool lists(const cJSON *root, const char *name)
{
    static const char *const sections[] = {"dependencies", "devDependencies"};
    for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
        const cJSON *deps = cJSON_GetObjectItemCaseSensitive(root, sections[i]);
        if (cJSON_IsObject(deps) && cJSON_GetObjectItemCaseSensitive(deps, name))
            return true;
    }
    return false;
}

void sw_pkgjson_parse(const char *text, size_t len, struct sw_pkgjson *p)
{
    cJSON *root = cJSON_ParseWithLength(text, len);
    if (!cJSON_IsObject(root)) {
        p->invalid = true;
        cJSON_Delete(root);
        return;
    }
    p->typescript = lists(root, "typescript");
    p->jco = lists(root, "@bytecodealliance/jco");
    cJSON_Delete(root);
}

bool sw_project_is_ts(const struct sw_project *p)
{
    return (p->pkg.present && (p->pkg.typescript || p->pkg.jco)) || p->tsconfig;
}

void sw_project_free(struct sw_project *p)
{
    if (!p)
        return;
    free(p->plugins_lock_text);
    p->plugins_lock_text = NULL;
    p->plugins_lock_len = 0;
}
