#include "core/component.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

#define MAX_EXPORTS 10000
#define MAX_NAME 1024
#define PREAMBLE 8
#define PLUGIN_PREFIX "wasmcloud:wash/plugin@"

/* Component-model encoding versions whose export section is understood (see wasmparser's
 * history of WASM_COMPONENT_VERSION): 0x0c (February 2023) wrote `name url sortidx type?`,
 * 0x0d (May 2023, still current) writes `(0x00|0x01) name sortidx type?`. */
#define COMPONENT_V_URL 0x0c
#define COMPONENT_V_CURRENT 0x0d

enum { SEC_CORE_EXPORT = 7, SEC_COMPONENT_EXPORT = 11 };

/* A bounded cursor over the whole binary: offsets in messages count from the file's start,
 * and no read goes past `end` (the end of the file, or of the section being read). */
struct rd {
    const unsigned char *data;
    size_t pos, end;
    const char *where; /* "section header", "export section": names truncations */
};

struct names {
    char **v;
    size_t n, cap;
};

static int truncated(const struct rd *r, size_t at, const char *what, struct sw_error *err)
{
    return sw_error_set(err, SW_EXIT_VERIFY, "truncated %s at offset %zu: %s runs past its end",
                        r->where, at, what);
}

static int rd_byte(struct rd *r, unsigned char *b, const char *what, struct sw_error *err)
{
    if (r->pos >= r->end)
        return truncated(r, r->pos, what, err);
    *b = r->data[r->pos++];
    return 0;
}

/* Unsigned LEB128 of at most 32 bits: at most 5 bytes, and the unused high bits of the 5th
 * byte must be zero (as core WebAssembly requires). */
static int rd_u32(struct rd *r, uint32_t *out, const char *what, struct sw_error *err)
{
    size_t start = r->pos;
    uint32_t v = 0;
    for (unsigned i = 0; i < 5; i++) {
        if (r->pos >= r->end)
            return truncated(r, start, what, err);
        unsigned char b = r->data[r->pos++];
        if (i == 4 && (b & 0x80))
            return sw_error_set(err, SW_EXIT_VERIFY,
                                "overlong LEB128 %s at offset %zu: more than 5 bytes", what, start);
        if (i == 4 && (b & 0x70))
            return sw_error_set(err, SW_EXIT_VERIFY,
                                "LEB128 %s at offset %zu does not fit in 32 bits", what, start);
        v |= (uint32_t)(b & 0x7f) << (7 * i);
        if (!(b & 0x80)) {
            *out = v;
            return 0;
        }
    }
    return -1; /* not reached: the 5th byte either ends the number or is rejected above */
}

/* Length of the well-formed UTF-8 sequence at s (at most n bytes), or 0: no overlong forms,
 * no surrogates, nothing above U+10FFFF. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t len;
    uint32_t cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        len = 2, cp = c & 0x1f;
    else if (c >= 0xe0 && c <= 0xef)
        len = 3, cp = c & 0x0f;
    else if (c >= 0xf0 && c <= 0xf4)
        len = 4, cp = c & 0x07;
    else
        return 0;
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

/* A name (u32 length, then UTF-8 bytes); *out gets a copy, or nothing when out is NULL. */
static int rd_name(struct rd *r, char **out, const char *what, struct sw_error *err)
{
    size_t start = r->pos;
    uint32_t n;
    if (rd_u32(r, &n, what, err) < 0)
        return -1;
    if (n > MAX_NAME)
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "%s at offset %zu is %u bytes long, more than the %d allowed", what,
                            start, (unsigned)n, MAX_NAME);
    if (n > r->end - r->pos)
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "truncated %s at offset %zu: %s declares %u bytes, %zu remain",
                            r->where, start, what, (unsigned)n, r->end - r->pos);
    const unsigned char *s = r->data + r->pos;
    for (size_t i = 0; i < n;) {
        if (s[i] == 0)
            return sw_error_set(err, SW_EXIT_VERIFY, "%s at offset %zu contains a NUL byte", what,
                                start);
        size_t k = utf8_seq(s + i, n - i);
        if (k == 0)
            return sw_error_set(err, SW_EXIT_VERIFY,
                                "%s at offset %zu is not valid UTF-8 (byte 0x%02x at offset %zu)",
                                what, start, s[i], r->pos + i);
        i += k;
    }
    if (out)
        *out = sw_xstrndup((const char *)s, n);
    r->pos += n;
    return 0;
}

/* The name for messages: sanitised, cut to a readable length with "...". */
static const char *shown(char *buf, size_t n, const char *name)
{
    sw_sanitize(buf, n, name);
    return buf;
}

/* sortidx ::= sort idx:u32, sort ::= 0x00 core:sort | 0x01..0x05 */
static int rd_sortidx(struct rd *r, const char *name, struct sw_error *err)
{
    char nb[80];
    size_t at = r->pos;
    unsigned char sort = 0, core = 0;
    uint32_t idx;
    if (rd_byte(r, &sort, "export sort", err) < 0)
        return -1;
    if (sort == 0x00) {
        if (rd_byte(r, &core, "export core sort", err) < 0)
            return -1;
        if (core > 0x04 && (core < 0x10 || core > 0x12))
            return sw_error_set(err, SW_EXIT_VERIFY,
                                "export '%s' at offset %zu: unknown core sort 0x%02x",
                                shown(nb, sizeof(nb), name), at, core);
    } else if (sort > 0x05) {
        return sw_error_set(err, SW_EXIT_VERIFY, "export '%s' at offset %zu: unknown sort 0x%02x",
                            shown(nb, sizeof(nb), name), at, sort);
    }
    return rd_u32(r, &idx, "export index", err);
}

/* type? ::= 0x00 | 0x01 externdesc; externdesc ::= 0x00 0x11 u32 | (0x01|0x04|0x05) u32
 *         | 0x02 (0x00 u32 | 0x01 valtype) | 0x03 (0x00 u32 | 0x01) */
static int rd_ascription(struct rd *r, const char *name, struct sw_error *err)
{
    char nb[80];
    size_t at = r->pos;
    unsigned char flag = 0, kind = 0, b = 0;
    uint32_t idx;
    if (rd_byte(r, &flag, "export type flag", err) < 0)
        return -1;
    if (flag == 0x00)
        return 0;
    if (flag != 0x01)
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "export '%s' at offset %zu: type flag 0x%02x is neither 0x00 nor 0x01",
                            shown(nb, sizeof(nb), name), at, flag);
    at = r->pos;
    if (rd_byte(r, &kind, "export type", err) < 0)
        return -1;
    switch (kind) {
    case 0x00: /* core module: the core sort 0x11, then a core type index */
        if (rd_byte(r, &b, "export type", err) < 0)
            return -1;
        if (b == 0x11)
            return rd_u32(r, &idx, "export type index", err);
        break;
    case 0x01:
    case 0x04:
    case 0x05:
        return rd_u32(r, &idx, "export type index", err);
    case 0x02: /* value: bound by a value index or a valtype (a type index or a 1-byte primitive;
                * both read as u32 LEB128) */
        if (rd_byte(r, &b, "export value bound", err) < 0)
            return -1;
        if (b <= 0x01)
            return rd_u32(r, &idx, "export value type", err);
        break;
    case 0x03: /* type: (eq i) or (sub resource) */
        if (rd_byte(r, &b, "export type bound", err) < 0)
            return -1;
        if (b == 0x01)
            return 0;
        if (b == 0x00)
            return rd_u32(r, &idx, "export type index", err);
        break;
    default:
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "export '%s' at offset %zu: unknown export type 0x%02x",
                            shown(nb, sizeof(nb), name), at, kind);
    }
    return sw_error_set(err, SW_EXIT_VERIFY,
                        "export '%s' at offset %zu: export type 0x%02x has an unknown operand "
                        "0x%02x",
                        shown(nb, sizeof(nb), name), at, kind, b);
}

static int names_reserve(struct names *ns, uint32_t count, size_t at, struct sw_error *err)
{
    if (count > MAX_EXPORTS - ns->n && ns->n == 0)
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "export section at offset %zu declares %u exports, more than the %d "
                            "allowed",
                            at, (unsigned)count, MAX_EXPORTS);
    if (count > MAX_EXPORTS - ns->n)
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "export section at offset %zu: %zu exports so far and %u more, more "
                            "than the %d allowed",
                            at, ns->n, (unsigned)count, MAX_EXPORTS);
    size_t need = ns->n + count + 1; /* the NULL that ends the list */
    if (need > ns->cap) {
        ns->v = sw_xrealloc(ns->v, need * sizeof(*ns->v));
        ns->cap = need;
    }
    return 0;
}

/* One export section (its header at offset `at`), `r` bounded to its contents; appends the
 * names to ns. */
static int read_exports(struct rd *r, size_t at, enum sw_wasm_kind kind, unsigned version,
                        struct names *ns, struct sw_error *err)
{
    uint32_t count;
    if (rd_u32(r, &count, "export count", err) < 0)
        return -1;
    /* Every export takes at least 3 bytes (name length, sort/kind, index): a count the section
     * cannot hold is truncation, found before anything is allocated for it. */
    if (count > (r->end - r->pos) / 3 && count <= MAX_EXPORTS)
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "truncated export section at offset %zu: %u exports declared in %zu "
                            "bytes",
                            at, (unsigned)count, r->end - r->pos);
    if (names_reserve(ns, count, at, err) < 0)
        return -1;
    for (uint32_t i = 0; i < count; i++) {
        size_t entry = r->pos;
        char *name = NULL;
        char nb[80];
        if (kind == SW_WASM_COMPONENT && version == COMPONENT_V_CURRENT) {
            unsigned char disc = 0;
            if (rd_byte(r, &disc, "export name", err) < 0)
                return -1;
            if (disc > 0x01)
                return sw_error_set(err, SW_EXIT_VERIFY,
                                    "export at offset %zu: unknown name encoding 0x%02x "
                                    "(0x00 or 0x01 expected)",
                                    entry, disc);
        }
        if (rd_name(r, &name, "export name", err) < 0)
            return -1;
        ns->v[ns->n++] = name; /* owned by the list from here on */
        if (kind == SW_WASM_CORE_MODULE) {
            unsigned char k = 0;
            uint32_t idx;
            if (rd_byte(r, &k, "export kind", err) < 0 || rd_u32(r, &idx, "export index", err) < 0)
                return -1;
            if (k > 0x04) /* func, table, memory, global, tag */
                return sw_error_set(err, SW_EXIT_VERIFY,
                                    "export '%s' at offset %zu: unknown export kind 0x%02x",
                                    shown(nb, sizeof(nb), name), entry, k);
            continue;
        }
        if (version == COMPONENT_V_URL && rd_name(r, NULL, "export URL", err) < 0)
            return -1;
        if (rd_sortidx(r, name, err) < 0 || rd_ascription(r, name, err) < 0)
            return -1;
    }
    if (r->pos != r->end)
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "export section at offset %zu holds %zu byte(s) after its %u export(s)",
                            at, r->end - r->pos, (unsigned)count);
    return 0;
}

/* Files that are often mistaken for a .wasm, by their first bytes. Named, never quoted: the
 * bytes of a file a lock points at are not for messages (it may be any file on the runner). */
static const struct {
    const char *magic;
    size_t len;
    const char *what;
} mistaken[] = {
    {"version https://git-lfs", 23, "a Git LFS pointer: fetch the real file with 'git lfs pull'"},
    {"\177ELF", 4, "an ELF executable"},
    {"MZ", 2, "a Windows executable"},
    {"PK\x03\x04", 4, "a zip archive"},
    {"\x1f\x8b", 2, "a gzip file"},
    {"#!", 2, "a script"},
    {"<", 1, "an HTML or XML document"},
};

static void not_wasm(const unsigned char *data, size_t len, struct sw_error *err)
{
    const char *what = NULL;
    for (size_t i = 0; !what && i < sizeof(mistaken) / sizeof(mistaken[0]); i++)
        if (len >= mistaken[i].len && memcmp(data, mistaken[i].magic, mistaken[i].len) == 0)
            what = mistaken[i].what;
    sw_error_set(err, SW_EXIT_VERIFY,
                 "not a WebAssembly binary: the file does not start with the magic bytes "
                 "\\0asm%s%s",
                 what ? "; it looks like " : "", what ? what : "");
}

int sw_wasm_inspect(const unsigned char *data, size_t len, struct sw_wasm_info *out,
                    struct sw_error *err)
{
    static const unsigned char magic[4] = {0x00, 0x61, 0x73, 0x6d};
    struct names ns = {NULL, 0, 0};
    int rc = -1;
    memset(out, 0, sizeof(*out));

    if (len == 0)
        return sw_error_set(err, SW_EXIT_VERIFY, "not a WebAssembly binary: the file is empty");
    if (memcmp(data, magic, len < 4 ? len : 4) != 0) {
        not_wasm(data, len, err);
        return -1;
    }
    if (len < PREAMBLE)
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "truncated WebAssembly preamble: the file is %zu bytes, the preamble "
                            "alone is %d",
                            len, PREAMBLE);
    unsigned version = (unsigned)data[4] | (unsigned)data[5] << 8;
    unsigned layer = (unsigned)data[6] | (unsigned)data[7] << 8;
    enum sw_wasm_kind kind;
    if (layer == 0 && version == 1)
        kind = SW_WASM_CORE_MODULE;
    else if (layer == 0)
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "unsupported core WebAssembly version %u at offset 4 (1 expected)",
                            version);
    else if (layer == 1)
        kind = SW_WASM_COMPONENT;
    else
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "unknown WebAssembly layer %u at offset 6 (0 is a core module, 1 a "
                            "component)",
                            layer);

    bool core_exports_seen = false;
    struct rd top = {data, PREAMBLE, len, "section header"};
    while (top.pos < top.end) {
        size_t at = top.pos;
        unsigned char id;
        uint32_t size;
        if (rd_byte(&top, &id, "section id", err) < 0 ||
            rd_u32(&top, &size, "section size", err) < 0)
            goto out;
        if (size > top.end - top.pos) {
            sw_error_set(err, SW_EXIT_VERIFY,
                         "section %u at offset %zu declares %u bytes, but only %zu remain", id, at,
                         (unsigned)size, top.end - top.pos);
            goto out;
        }
        struct rd sec = {data, top.pos, top.pos + size, "export section"};
        top.pos += size; /* nested modules and components (ids 1 and 4) are skipped here too */
        if (kind == SW_WASM_CORE_MODULE && id == SEC_CORE_EXPORT) {
            if (core_exports_seen) {
                sw_error_set(err, SW_EXIT_VERIFY,
                             "second export section at offset %zu: a core module has one", at);
                goto out;
            }
            core_exports_seen = true;
        } else if (kind != SW_WASM_COMPONENT || id != SEC_COMPONENT_EXPORT) {
            continue;
        } else if (version != COMPONENT_V_CURRENT && version != COMPONENT_V_URL) {
            sw_error_set(err, SW_EXIT_VERIFY,
                         "cannot read the export section at offset %zu: component encoding "
                         "version 0x%02x is neither 0x0d (current) nor 0x0c (its predecessor)",
                         at, version);
            goto out;
        }
        if (read_exports(&sec, at, kind, version, &ns, err) < 0)
            goto out;
    }
    if (names_reserve(&ns, 0, 0, err) < 0)
        goto out;
    ns.v[ns.n] = NULL;
    out->kind = kind;
    out->version = version;
    out->exports = ns.v;
    out->nexports = ns.n;
    ns.v = NULL;
    ns.n = 0;
    rc = 0;
out:
    for (size_t i = 0; i < ns.n; i++)
        free(ns.v[i]);
    free(ns.v);
    return rc;
}

void sw_wasm_info_free(struct sw_wasm_info *info)
{
    if (!info)
        return;
    for (size_t i = 0; i < info->nexports; i++)
        free(info->exports[i]);
    free(info->exports);
    memset(info, 0, sizeof(*info));
}

const char *sw_wasm_plugin_version(const struct sw_wasm_info *info)
{
    const size_t plen = sizeof(PLUGIN_PREFIX) - 1;
    if (!info || info->kind != SW_WASM_COMPONENT)
        return NULL;
    for (size_t i = 0; i < info->nexports; i++) {
        const char *name = info->exports[i];
        if (strncmp(name, PLUGIN_PREFIX, plen) == 0 && name[plen] != '\0')
            return name + plen;
    }
    return NULL;
}
