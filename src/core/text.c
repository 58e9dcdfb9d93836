#include "core/text.h"

#include <stdio.h>
#include <string.h>

size_t sw_utf8_next(const char *s, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    uint32_t c = u[0], min = 0;
    size_t len;
    if (c == 0)
        return 0;
    if (c < 0x80)
        len = 1;
    else if (c >= 0xc2 && c <= 0xdf) /* C0 and C1 would only start overlongs */
        len = 2, c &= 0x1f, min = 0x80;
    else if (c >= 0xe0 && c <= 0xef)
        len = 3, c &= 0x0f, min = 0x800;
    else if (c >= 0xf0 && c <= 0xf4)
        len = 4, c &= 0x07, min = 0x10000;
    else
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((u[i] & 0xc0) != 0x80) /* also stops at NUL */
            return 0;
        c = (c << 6) | (u[i] & 0x3f);
    }
    if (len > 1 && (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)))
        return 0;
    if (cp)
        *cp = c;
    return len;
}

bool sw_text_is_control(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029 ||
           (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* What the character or stray byte at s (not at NUL) shows as: written to out, its length in
 * *olen; returns how many bytes of s it took. */
static size_t unit(const char *s, char out[8], size_t *olen)
{
    uint32_t cp;
    size_t k = sw_utf8_next(s, &cp);
    if (k == 0) {
        *olen = (size_t)snprintf(out, 8, "\\x%02x", (unsigned)(unsigned char)*s);
        return 1;
    }
    if (sw_text_is_control(cp)) {
        *olen = (size_t)snprintf(out, 8, cp < 0x80 ? "\\x%02x" : "\\u%04x", (unsigned)cp);
    } else {
        memcpy(out, s, k);
        *olen = k;
    }
    return k;
}

void sw_sanitize(char *dst, size_t n, const char *src)
{
    if (n == 0)
        return;
    if (!src)
        src = "";
    char u[8];
    size_t ul, total = 0;
    for (const char *p = src; *p && total < n;)
        p += unit(p, u, &ul), total += ul;
    bool cut = total >= n;
    bool dots = cut && n >= 4;
    size_t room = dots ? n - 4 : n - 1, used = 0;
    for (const char *p = src; *p;) {
        size_t k = unit(p, u, &ul);
        if (used + ul > room)
            break;
        memcpy(dst + used, u, ul);
        used += ul;
        p += k;
    }
    if (dots) {
        memcpy(dst + used, "...", 3);
        used += 3;
    }
    dst[used] = '\0';
}

void sw_sanitize_buf(struct sw_buf *out, const char *src)
{
    char u[8];
    size_t ul;
    for (const char *p = src; p && *p;) {
        p += unit(p, u, &ul);
        sw_buf_add(out, u, ul);
    }
}

char *sw_sanitize_dup(const char *src)
{
    struct sw_buf b = SW_BUF_INIT;
    sw_sanitize_buf(&b, src);
    return sw_buf_detach(&b);
}

size_t sw_text_unsafe(const char *s, bool allow_lf)
{
    uint32_t cp;
    for (size_t i = 0; s[i];) {
        size_t k = sw_utf8_next(s + i, &cp);
        if (k == 0 || (sw_text_is_control(cp) && !(allow_lf && cp == '\n')))
            return i;
        i += k;
    }
    return SIZE_MAX;
}

void sw_md_cell(struct sw_buf *out, const char *s)
{
    char u[8];
    size_t ul;
    while (*s) {
        switch (*s) {
        case '|':
            sw_buf_adds(out, "\\|");
            break;
        case '<':
            sw_buf_adds(out, "&lt;");
            break;
        case '&':
            sw_buf_adds(out, "&amp;");
            break;
        case '\n':
        case '\r':
            sw_buf_adds(out, " ");
            break;
        default:
            s += unit(s, u, &ul);
            sw_buf_add(out, u, ul);
            continue;
        }
        s++;
    }
}

void sw_path_line(char *buf, size_t n, const char *dir, bool windows)
{
    if (windows)
        snprintf(buf, n, "$env:Path = \"%s;$env:Path\" (PowerShell)", dir);
    else
        snprintf(buf, n, "export PATH=\"%s:$PATH\"", dir);
}
