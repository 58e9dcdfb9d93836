#include "core/json.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

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

cJSON *sw_json_parse(const char *text, size_t len, const char *path, int code,
                     struct sw_error *err)
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
    size_t line = 1, col = 1;
    for (size_t i = 0; i < off; i++) {
        if (text[i] == '\n')
            line++, col = 1;
        else
            col++;
    }
    char near[24];
    size_t n = len - off < sizeof(near) - 1 ? len - off : sizeof(near) - 1;
    char raw[24];
    memcpy(raw, text + off, n);
    raw[n] = '\0';
    sw_sanitize(near, sizeof(near), raw);
    sw_error_set(err, code, "%s:%zu:%zu: invalid JSON near '%s'", path, line, col,
                 off >= len ? "<end of file>" : near);
    return NULL;
}

const char *sw_json_str(const cJSON *obj, const char *key)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(it) ? it->valuestring : NULL;
}
