/* libFuzzer harness for the sanitiser of text from outside (src/core/text.c) and the --json
 * writer (sw_json_print in src/core/json.c), as properties that must hold for any bytes:
 *   - sanitised text is valid UTF-8 and holds no control character (sw_text_is_control);
 *   - sanitising twice changes nothing, and sw_text_unsafe finds nothing exactly when
 *     sanitising changes nothing;
 *   - a cut (sw_sanitize into a small buffer) fits, is a prefix of the whole at a character or
 *     escape boundary and ends in "...";
 *   - a Markdown cell is valid UTF-8 without control characters, and without a bare '|';
 *   - --json text is valid UTF-8, parses back, and keeps a valid UTF-8 string exactly.
 *
 *   scripts/fuzz text       (or: scripts/fuzz --seconds 60 text)
 */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* abort() unless s is valid UTF-8 without control characters (LF allowed when lf). */
static void clean_utf8(const char *s, int lf)
{
    uint32_t cp;
    for (size_t i = 0; s[i];) {
        size_t k = sw_utf8_next(s + i, &cp);
        if (k == 0 || (sw_text_is_control(cp) && !(lf && cp == '\n')))
            abort();
        i += k;
    }
}

static int valid_utf8(const char *s)
{
    for (size_t i = 0; s[i];) {
        size_t k = sw_utf8_next(s + i, NULL);
        if (k == 0)
            return 0;
        i += k;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0'; /* the text stops at the first NUL, as a C string does */

    char *once = sw_sanitize_dup(s);
    clean_utf8(once, 0);
    char *twice = sw_sanitize_dup(once);
    if (strcmp(once, twice) != 0)
        abort();
    if ((sw_text_unsafe(s, false) == SIZE_MAX) != (strcmp(once, s) == 0))
        abort();
    if (sw_text_unsafe(once, false) != SIZE_MAX)
        abort();

    size_t full = strlen(once);
    static const size_t caps[] = {1, 2, 3, 4, 5, 7, 8, 13, 64};
    for (size_t c = 0; c < sizeof(caps) / sizeof(caps[0]); c++) {
        char dst[64];
        size_t n = caps[c];
        memset(dst, 'X', sizeof(dst));
        sw_sanitize(dst, n, s);
        size_t len = strnlen(dst, n);
        if (len >= n)
            abort(); /* not terminated inside its capacity */
        clean_utf8(dst, 0);
        if (full < n) {
            if (strcmp(dst, once) != 0)
                abort();
            continue;
        }
        size_t keep = len;
        if (n >= 4) {
            if (len < 3 || strcmp(dst + len - 3, "...") != 0)
                abort();
            keep = len - 3;
        }
        if (strncmp(dst, once, keep) != 0 || sw_utf8_next(once + keep, NULL) == 0)
            abort(); /* not a prefix, or cut inside a character */
    }

    struct sw_buf md = SW_BUF_INIT;
    sw_md_cell(&md, s);
    const char *m = sw_buf_str(&md);
    clean_utf8(m, 0);
    for (size_t i = 0; m[i]; i++)
        if (m[i] == '|' && (i == 0 || m[i - 1] != '\\'))
            abort();
    sw_buf_free(&md);

    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "value", s);
    char *json = sw_json_print(o);
    clean_utf8(json, 1);
    cJSON *back = cJSON_Parse(json);
    const cJSON *v = back ? cJSON_GetObjectItemCaseSensitive(back, "value") : NULL;
    if (!cJSON_IsString(v))
        abort();
    if (valid_utf8(s) && strcmp(v->valuestring, s) != 0)
        abort();
    cJSON_Delete(back);
    free(json);
    cJSON_Delete(o);

    free(twice);
    free(once);
    free(s);
    return 0;
}
