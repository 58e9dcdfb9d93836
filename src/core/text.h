/* Text from outside on its way out: the one rule for every string that came from the network
 * (headers, bodies, JSON fields of releases and registries), an archive (entry names), a file
 * (names and contents), a program's answer (doctor's probes) or the environment, and that is
 * then printed, put in a message, an annotation, the job summary, --json or a runner file.
 *
 * The rule (sw_text_is_control says which characters it covers):
 *   - valid UTF-8 text that is printable is kept as it is, so names in any script read well;
 *   - C0 controls (U+0000-U+001F, so ESC, CR, LF and TAB too) and DEL become "\xNN";
 *   - C1 controls (U+0080-U+009F, written in UTF-8 as C2 80..C2 9F), the line and paragraph
 *     separators U+2028/U+2029 and the bidirectional controls U+202A-U+202E and U+2066-U+2069
 *     become "\uNNNN";
 *   - each byte that is not part of a valid UTF-8 sequence becomes "\xNN": a stray
 *     continuation byte, a sequence cut short, an overlong form (C0 80, E0 80 80, ...), a
 *     UTF-16 surrogate (ED A0 80 .. ED BF BF), anything beyond U+10FFFF, the bytes F5..FF.
 * The result is valid UTF-8 with no control character in it. The escapes are for reading, not
 * for decoding: a backslash is kept as it is, so sanitising twice gives the same text.
 *
 * Where the rule is applied (the "one place": the writers, never the call sites):
 *   - stderr: sw_info/sw_warn/sw_notice and the dispatcher's error (cmd/ctx.c), and
 *     sw_gha_annotate for workflow commands;
 *   - stdout: sw_result (cmd/ctx.c) for every result line; doctor's text report per field;
 *   - Markdown for the job summary: sw_md_cell;
 *   - --json: sw_json_print (core/json.h) keeps the text and makes it valid UTF-8;
 *   - GITHUB_OUTPUT / GITHUB_PATH: sw_text_unsafe decides what gha/gha.c refuses.
 * Code that keeps a value from outside in a fixed-size field for later may sanitise it on the
 * way in too (sw_sanitize); that is harmless, since the rule is idempotent. */
#ifndef SW_TEXT_H
#define SW_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

/* The length (1 to 4) of the well-formed UTF-8 sequence at s, its code point in *cp; 0 when
 * s is at NUL or does not start a well-formed sequence (RFC 3629: no overlongs, no surrogates,
 * nothing above U+10FFFF). Reads no further than a NUL. cp may be NULL. */
size_t sw_utf8_next(const char *s, uint32_t *cp);

/* True for the code points the sanitiser escapes: C0, DEL, C1, U+2028, U+2029, U+202A-U+202E,
 * U+2066-U+2069. */
bool sw_text_is_control(uint32_t cp);

/* Copies src into dst (capacity n) under the rule above. When the result does not fit it is
 * cut between two whole characters or escapes (never inside one) and ends in "..." (when
 * n >= 4). Always NUL-terminates when n > 0; src NULL is "". */
void sw_sanitize(char *dst, size_t n, const char *src);

/* Appends src to out under the rule above, never cut; src NULL appends nothing. */
void sw_sanitize_buf(struct sw_buf *out, const char *src);

/* The sanitised copy of src ("" for NULL), never cut; the caller frees it. */
char *sw_sanitize_dup(const char *src);

/* The offset of the first byte of s that the sanitiser would change (an invalid byte or the
 * start of a control character), LF excepted when allow_lf; SIZE_MAX when there is none. */
size_t sw_text_unsafe(const char *s, bool allow_lf);

/* Appends s as the content of one Markdown table cell: '|' escaped, '<' and '&' as entities
 * (no HTML gets through), CR and LF as spaces, and everything else under the rule above. */
void sw_md_cell(struct sw_buf *out, const char *s);

/* The line that puts dir first on PATH in the user's shell, into buf[n]: `export
 * PATH="<dir>:$PATH"`, or with `windows` the PowerShell `$env:Path = "<dir>;$env:Path"
 * (PowerShell)`. dir is printed as given (a path setup-wash made). */
void sw_path_line(char *buf, size_t n, const char *dir, bool windows);

#endif
