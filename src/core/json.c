#include "core/json.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/text.h"

static void indent(struct sw_buf *b, int depth)
{
    for (int i = 0; i < depth; i++)
        sw_buf_adds(b, "  ");
}

static void format_value(struct sw_buf *b, const cJSON *v, int depth)
{
    if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
        bool obj = cJSON_IsObject(v);
        if (!v->child) {
            sw_buf_adds(b, obj ? "{}" : "[]");
            return;
        }
        sw_buf_adds(b, obj ? "{\n" : "[\n");
        for (const cJSON *c = v->child; c; c = c->next) {
            indent(b, depth + 1);
            if (obj) {
                cJSON *key = cJSON_CreateString(c->string ? c->string : "");
                char *k = cJSON_PrintUnformatted(key);
                sw_buf_printf(b, "%s: ", k);
                free(k);
                cJSON_Delete(key);
            }
            format_value(b, c, depth + 1);
            sw_buf_adds(b, c->next ? ",\n" : "\n");
        }
        indent(b, depth);
        sw_buf_adds(b, obj ? "}" : "]");
        return;
    }
    char *s = cJSON_PrintUnformatted(v);
    sw_buf_adds(b, s ? s : "null");
    free(s);
}

char *sw_json_format(const cJSON *root)
{
    struct sw_buf b = SW_BUF_INIT;
    format_value(&b, root, 0);
    sw_buf_adds(&b, "\n");
    return sw_buf_detach(&b);
}

char *sw_json_print(const cJSON *root)
{
    char *raw = cJSON_PrintUnformatted(root);
    struct sw_buf b = SW_BUF_INIT;
    uint32_t cp;
    /* only strings can hold bytes >= 0x7f, so each replacement lands inside a string */
    for (const char *p = raw ? raw : "null"; *p;) {
        size_t k = sw_utf8_next(p, &cp);
        if (k == 0) {
            sw_buf_adds(&b, "\xef\xbf\xbd"); /* U+FFFD */
            p++;
            continue;
        }
        if (cp >= 0x7f && sw_text_is_control(cp))
            sw_buf_printf(&b, "\\u%04x", (unsigned)cp);
        else
            sw_buf_add(&b, p, k);
        p += k;
    }
    sw_buf_adds(&b, "\n");
    free(raw);
    return sw_buf_detach(&b);
}

/* The 1-based line and column of byte `off` of text. */
static void position(const char *text, size_t off, size_t *line, size_t *col)
{
    *line = 1, *col = 1;
    for (size_t i = 0; i < off; i++) {
        if (text[i] == '\n')
            (*line)++, *col = 1;
        else
            (*col)++;
    }
}

static void error_at(struct sw_error *err, int code, const char *path, const char *text, size_t off,
                     const char *what)
{
    size_t line, col;
    position(text, off, &line, &col);
    sw_error_set(err, code, "%s:%zu:%zu: %s", path, line, col, what);
}

cJSON *sw_json_parse(const char *text, size_t len, const char *path, int code, struct sw_error *err)
{
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (root) {
        /* only white space may follow the value: a second object or a merge-conflict marker
         * after it is an error, not something to drop silently */
        while (end < text + len && (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r'))
            end++;
        if (end >= text + len || *end == '\0')
            return root;
        cJSON_Delete(root);
        root = NULL;
    }
    size_t off = end && end >= text && end <= text + len ? (size_t)(end - text) : 0;
    char near[24];
    size_t n = len - off < sizeof(near) - 1 ? len - off : sizeof(near) - 1;
    char raw[24], what[64];
    memcpy(raw, text + off, n);
    raw[n] = '\0';
    sw_sanitize(near, sizeof(near), raw);
    snprintf(what, sizeof(what), "invalid JSON near '%s'", off >= len ? "<end of file>" : near);
    error_at(err, code, path, text, off, what);
    return NULL;
}

#define SW_JSON_MAX_KEYS 4096

struct walk {
    const char *t, *path;
    size_t len, i;
    int code;
    struct sw_error *err;
};

/* The byte at the walk's position, 0 past the end (the text holds no NUL by then). */
static unsigned char cur(const struct walk *w)
{
    return w->i < w->len ? (unsigned char)w->t[w->i] : 0;
}

/* White space as cJSON skips it: every byte from 1 to 32. */
static void skip_ws(struct walk *w)
{
    while (cur(w) != 0 && cur(w) <= 32)
        w->i++;
}

/* Steps over the string at w->i (syntax already checked by cJSON); \u0000 is an error, since
 * cJSON would cut the string there and the tool would read another value than a reviewer. */
static int walk_string(struct walk *w)
{
    w->i++;
    while (cur(w) != 0 && cur(w) != '"') {
        if (cur(w) == '\\') {
            if (w->i + 5 < w->len && w->t[w->i + 1] == 'u' &&
                memcmp(w->t + w->i + 2, "0000", 4) == 0) {
                error_at(w->err, w->code, w->path, w->t, w->i, "a string holds \\u0000 (a NUL)");
                return -1;
            }
            w->i++;
        }
        w->i++;
    }
    w->i++;
    return 0;
}

/* Walks the text of `node` in step with its tree: the i-th member in the text is the i-th
 * child, so a duplicate found in the tree is reported where its key stands. */
static int walk_value(struct walk *w, const cJSON *node)
{
    skip_ws(w);
    unsigned char open = cur(w);
    if (open == '"')
        return walk_string(w);
    if (open != '{' && open != '[') {
        while (cur(w) > 32 && !strchr(",]}", cur(w)))
            w->i++;
        return 0;
    }
    if (open == '{') {
        /* the duplicate check is quadratic in an object's keys: no lockfile comes near this */
        size_t keys = 0;
        for (const cJSON *c = node->child; c; c = c->next)
            keys++;
        if (keys > SW_JSON_MAX_KEYS) {
            char what[96];
            snprintf(what, sizeof(what), "an object with %zu keys (at most %d)", keys,
                     SW_JSON_MAX_KEYS);
            error_at(w->err, w->code, w->path, w->t, w->i, what);
            return -1;
        }
    }
    w->i++;
    for (const cJSON *child = node->child; child; child = child->next) {
        skip_ws(w);
        if (cur(w) == ',')
            w->i++, skip_ws(w);
        if (open == '{') {
            size_t key_at = w->i;
            if (walk_string(w) < 0)
                return -1;
            for (const cJSON *c = node->child; c != child; c = c->next) {
                if (strcmp(c->string, child->string) == 0) {
                    char what[128], name[64];
                    sw_sanitize(name, sizeof(name), child->string);
                    snprintf(what, sizeof(what),
                             "duplicate key '%s' (every key may appear once in an object)", name);
                    error_at(w->err, w->code, w->path, w->t, key_at, what);
                    return -1;
                }
            }
            skip_ws(w);
            w->i++; /* ':' */
        }
        if (walk_value(w, child) < 0)
            return -1;
    }
    skip_ws(w);
    w->i++; /* '}' or ']' */
    return 0;
}

cJSON *sw_json_parse_strict(const char *text, size_t len, const char *path, int code,
                            struct sw_error *err)
{
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        error_at(err, code, path, text, (size_t)(nul - text), "a NUL byte in the file");
        return NULL;
    }
    cJSON *root = sw_json_parse(text, len, path, code, err);
    if (!root)
        return NULL;
    struct walk w = {.t = text, .path = path, .len = len, .code = code, .err = err};
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        w.i = 3; /* cJSON skips a UTF-8 byte order mark */
    if (walk_value(&w, root) < 0) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

const char *sw_json_str(const cJSON *obj, const char *key)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(it) ? it->valuestring : NULL;
}
