/* Small helpers over cJSON shared by the modules that read and write JSON files. */
#ifndef SW_JSON_H
#define SW_JSON_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "core/error.h"

/* Formats a tree deterministically: 2-space indent, keys in tree order, one member a line,
 * a trailing newline; empty arrays and objects as [] and {}. The caller frees the result. */
char *sw_json_format(const cJSON *root);

/* The --json text of a tree: one line ending in a newline, always valid UTF-8, whatever bytes
 * its strings hold (cJSON copies them as they are). Each byte of a string that is not part of
 * well-formed UTF-8 (see sw_utf8_next in core/text.h) becomes U+FFFD, so such a value is no
 * longer byte-exact (a path with byte 0xff names another file); every other character is kept:
 * C0 controls as cJSON's \uNNNN or \n escapes, and DEL, C1 controls and the separators and
 * bidirectional controls of sw_text_is_control as \uNNNN escapes, so none reaches a terminal
 * raw. The caller frees the result. */
char *sw_json_print(const cJSON *root);

/* Parses text; on failure sets err (class `code`) to "<path>:<line>:<col>: invalid JSON near
 * '<snippet>'" and returns NULL. The caller frees the tree with cJSON_Delete. */
cJSON *sw_json_parse(const char *text, size_t len, const char *path, int code,
                     struct sw_error *err);

/* sw_json_parse, stricter, for files a reviewer reads (plugins.lock): a NUL byte, a \u0000
 * escape and a key that appears twice in one object are errors "<path>:<line>:<col>: ...",
 * since parsers disagree on them (cJSON keeps the first duplicate, jq, Python and JavaScript the
 * last). Ownership as sw_json_parse. */
cJSON *sw_json_parse_strict(const char *text, size_t len, const char *path, int code,
                            struct sw_error *err);

/* The string member `key` of obj, or NULL when absent or not a string. */
const char *sw_json_str(const cJSON *obj, const char *key);

#endif
