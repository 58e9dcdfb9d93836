/* Unit tests for src/core/component.c. Every table row is its own cmocka test, named by the
 * row, so a failure names its row. Binaries are assembled from a small notation (see
 * assemble()), and the real components in tests/fixtures/components (*.wat) are compiled by jco
 * (build.sh, run by CTest before this program) and compared with what wasm-tools reads. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/component.h"

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the notation for test binaries ----
 *   C, C0c     component preamble: version 0x0d, or the hex version given; layer 1
 *   M          core module preamble (version 1, layer 0)
 *   xHH        one raw byte
 *   uN         N as unsigned LEB128, minimal
 *   "text"     a name: its LEB128 length, then its bytes (\xHH escapes allowed)
 *   'text'     the bytes alone (\xHH escapes allowed)
 *   nN         a name of N bytes 'a'
 *   sID{ .. }  a section: the id, the LEB128 size of the contents, the contents
 *   rN{ .. }   the contents N times
 * Sizes are computed, so a row says what it means; a hostile row writes raw bytes instead. */

static void put_u32(struct sw_buf *b, unsigned long v)
{
    do {
        unsigned char c = v & 0x7f;
        v >>= 7;
        if (v)
            c |= 0x80;
        sw_buf_add(b, &c, 1);
    } while (v);
}

static bool quoted(const char **s, struct sw_buf *b)
{
    char q = *(*s)++;
    while (**s && **s != q) {
        unsigned char c = (unsigned char)*(*s)++;
        if (c == '\\' && **s == 'x') {
            char hex[3] = {(*s)[1], (*s)[2], 0};
            c = (unsigned char)strtoul(hex, NULL, 16);
            *s += 3;
        } else if (c == '\\' && **s) {
            c = (unsigned char)*(*s)++;
        }
        sw_buf_add(b, &c, 1);
    }
    if (**s != q)
        return false;
    (*s)++;
    return true;
}

/* Appends the notation at *s to out, up to the end or an unmatched '}'. */
static bool assemble(const char **s, struct sw_buf *out)
{
    for (;;) {
        while (**s == ' ')
            (*s)++;
        char c = **s;
        if (c == '\0' || c == '}')
            return true;
        char *end = NULL;
        if (c == 'C' || c == 'M') {
            unsigned long v = c == 'M' ? 1 : 0x0d;
            (*s)++;
            if (c == 'C' && **s && **s != ' ') {
                v = strtoul(*s, &end, 16);
                *s = end;
            }
            unsigned char pre[8] = {0x00, 0x61, 0x73, 0x6d, 0, 0, 0, 0};
            pre[4] = (unsigned char)(v & 0xff);
            pre[5] = (unsigned char)(v >> 8);
            pre[6] = c == 'C' ? 1 : 0;
            sw_buf_add(out, pre, 8);
        } else if (c == 'x') {
            unsigned char byte = (unsigned char)strtoul(*s + 1, &end, 16);
            sw_buf_add(out, &byte, 1);
            *s = end;
        } else if (c == 'u') {
            put_u32(out, strtoul(*s + 1, &end, 10));
            *s = end;
        } else if (c == 'n') {
            unsigned long n = strtoul(*s + 1, &end, 10);
            *s = end;
            put_u32(out, n);
            for (unsigned long i = 0; i < n; i++)
                sw_buf_add(out, "a", 1);
        } else if (c == '"' || c == '\'') {
            struct sw_buf text = SW_BUF_INIT;
            bool ok = quoted(s, &text);
            if (c == '"')
                put_u32(out, text.len);
            sw_buf_add(out, text.data, text.len);
            sw_buf_free(&text);
            if (!ok)
                return false;
        } else if (c == 's' || c == 'r') {
            unsigned long n = strtoul(*s + 1, &end, 10);
            *s = end;
            if (**s != '{')
                return false;
            (*s)++;
            struct sw_buf inner = SW_BUF_INIT;
            bool ok = assemble(s, &inner) && **s == '}';
            if (ok)
                (*s)++;
            if (c == 's') {
                unsigned char id = (unsigned char)n;
                sw_buf_add(out, &id, 1);
                put_u32(out, inner.len);
                sw_buf_add(out, inner.data, inner.len);
            } else {
                for (unsigned long i = 0; i < n; i++)
                    sw_buf_add(out, inner.data, inner.len);
            }
            sw_buf_free(&inner);
            if (!ok)
                return false;
        } else {
            return false;
        }
    }
}

/* The binary a row describes; fails the running test when the notation is broken. */
static void binary(const char *name, const char *notation, struct sw_buf *out)
{
    const char *s = notation;
    if (!assemble(&s, out) || *s != '\0') {
        print_error("%s: bad notation at '%s'\n", name, s);
        fail();
    }
}

/* The names joined by '|', to compare with a row. */
static char *joined(const struct sw_wasm_info *info)
{
    struct sw_buf b = SW_BUF_INIT;
    for (size_t i = 0; i < info->nexports; i++)
        sw_buf_printf(&b, "%s%s", i ? "|" : "", info->exports[i]);
    sw_buf_adds(&b, "");
    return sw_buf_detach(&b);
}

/* Checks the result of one inspection against a row's expectation; prints what differs. */
static bool check(const char *name, int rc, const struct sw_wasm_info *info,
                  const struct sw_error *err, const char *msg, enum sw_wasm_kind kind,
                  unsigned version, const char *exports, const char *plugin)
{
    if (msg) {
        if (rc == 0) {
            char *got = joined(info);
            print_error("%s: should fail with '%s', got exports '%s'\n", name, msg, got);
            free(got);
            return false;
        }
        if (!strstr(err->msg, msg) || err->code != SW_EXIT_VERIFY) {
            print_error("%s: error '%s' (class %d) lacks '%s' (class %d)\n", name, err->msg,
                        err->code, msg, SW_EXIT_VERIFY);
            return false;
        }
        if (info->exports || info->nexports) {
            print_error("%s: failure left exports behind\n", name);
            return false;
        }
        return true;
    }
    if (rc != 0) {
        print_error("%s: should succeed, got: %s\n", name, err->msg);
        return false;
    }
    bool ok = true;
    char *got = joined(info);
    if (info->kind != kind || info->version != version) {
        print_error("%s: kind %d version 0x%x, expected kind %d version 0x%x\n", name,
                    (int)info->kind, info->version, (int)kind, version);
        ok = false;
    }
    if (strcmp(got, exports) != 0) {
        print_error("%s: exports '%s', expected '%s'\n", name, got, exports);
        ok = false;
    }
    if (!info->exports || info->exports[info->nexports] != NULL) {
        print_error("%s: export list is not NULL-terminated\n", name);
        ok = false;
    }
    const char *pv = sw_wasm_plugin_version(info);
    if ((pv == NULL) != (plugin == NULL) || (pv && strcmp(pv, plugin) != 0)) {
        print_error("%s: plugin version '%s', expected '%s'\n", name, pv ? pv : "(none)",
                    plugin ? plugin : "(none)");
        ok = false;
    }
    free(got);
    return ok;
}

/* ---- sw_wasm_inspect on assembled binaries ---- */

#define PLUGIN2 "\"wasmcloud:wash/plugin@0.0.2\""
#define A4 "aaaa"
#define A16 A4 A4 A4 A4
#define A64 A16 A16 A16 A16
#define A1024 A64 A64 A64 A64 A64 A64 A64 A64 A64 A64 A64 A64 A64 A64 A64 A64
#define PLUGIN1 "\"wasmcloud:wash/plugin@0.0.1\""

struct inspect_row {
    const char *name;
    const char *bin;
    const char *msg; /* NULL: must succeed; else a fragment of the error */
    enum sw_wasm_kind kind;
    unsigned version;
    const char *exports; /* expected names joined by '|' */
    const char *plugin;  /* expected sw_wasm_plugin_version, NULL for none */
};

/* clang-format off */
#define OK_C(n, b, e, p) {n, b, NULL, SW_WASM_COMPONENT, 0x0d, e, p}
#define OK_M(n, b, e) {n, b, NULL, SW_WASM_CORE_MODULE, 1, e, NULL}
#define BAD(n, b, m) {n, b, m, SW_WASM_COMPONENT, 0, "", NULL}
/* clang-format on */

static const struct inspect_row inspect_rows[] = {
    /* what a plugin looks like, in each encoding */
    OK_C("plugin 0.0.2, current encoding (0x00 name)", "C s11{ u1 x00 " PLUGIN2 " x05 u0 x00 }",
         "wasmcloud:wash/plugin@0.0.2", "0.0.2"),
    OK_C("plugin 0.0.1, previous encoding (0x01 interface name)",
         "C s11{ u1 x01 " PLUGIN1 " x05 u0 x00 }", "wasmcloud:wash/plugin@0.0.1", "0.0.1"),
    {"plugin 0.0.2, version 0x0c encoding (name then empty URL)",
     "C0c s11{ u1 " PLUGIN2 " \"\" x05 u0 x00 }", NULL, SW_WASM_COMPONENT, 0x0c,
     "wasmcloud:wash/plugin@0.0.2", "0.0.2"},
    {"plugin 0.0.1, version 0x0c encoding with a URL and a type",
     "C0c s11{ u1 " PLUGIN1 " \"https://example.com/p\" x05 u0 x01 x05 u1 }", NULL,
     SW_WASM_COMPONENT, 0x0c, "wasmcloud:wash/plugin@0.0.1", "0.0.1"},
    OK_C("several exports, plugin not first",
         "C s11{ u3 x00 \"run\" x01 u0 x00 x00 \"wasi:cli/run@0.2.0\" x05 u0 x00 x00 " PLUGIN2
         " x05 u1 x00 }",
         "run|wasi:cli/run@0.2.0|wasmcloud:wash/plugin@0.0.2", "0.0.2"),
    OK_C("two export sections are one list",
         "C s11{ u1 x00 \"a\" x01 u0 x00 } s11{ u1 x00 " PLUGIN1 " x05 u0 x00 }",
         "a|wasmcloud:wash/plugin@0.0.1", "0.0.1"),
    OK_C("both plugin versions: the first wins",
         "C s11{ u2 x00 " PLUGIN1 " x05 u0 x00 x00 " PLUGIN2 " x05 u1 x00 }",
         "wasmcloud:wash/plugin@0.0.1|wasmcloud:wash/plugin@0.0.2", "0.0.1"),
    OK_C("another interface is no plugin", "C s11{ u1 x00 \"wasi:cli/run@0.2.0\" x05 u0 x00 }",
         "wasi:cli/run@0.2.0", NULL),
    OK_C("plugin interface without a version is no plugin",
         "C s11{ u1 x00 \"wasmcloud:wash/plugin\" x05 u0 x00 }", "wasmcloud:wash/plugin", NULL),
    OK_C("empty component", "C", "", NULL),
    /* every sort and every type ascription */
    OK_C("sorts: core module, func, value, type, component, instance",
         "C s11{ u6 x00 \"m\" x00 x11 u0 x00 x00 \"f\" x01 u0 x00 x00 \"v\" x02 u0 x00 x00 \"t\" "
         "x03 u0 x00 x00 \"c\" x04 u0 x00 x00 \"i\" x05 u0 x00 }",
         "m|f|v|t|c|i", NULL),
    OK_C("type ascriptions of every kind",
         "C s11{ u8 x00 \"m\" x00 x11 u0 x01 x00 x11 u0 x00 \"f\" x01 u0 x01 x01 u1 "
         "x00 \"v\" x02 u0 x01 x02 x00 u0 x00 \"w\" x02 u1 x01 x02 x01 x73 "
         "x00 \"t\" x03 u0 x01 x03 x00 u2 x00 \"r\" x03 u1 x01 x03 x01 "
         "x00 \"c\" x04 u0 x01 x04 u3 x00 \"i\" x05 u0 x01 x05 u300 }",
         "m|f|v|w|t|r|c|i", NULL),
    /* only top-level exports count */
    OK_C("nested component exports the plugin, the outer does not",
         "C s4{ C s11{ u1 x00 " PLUGIN2 " x05 u0 x00 } } s11{ u1 x00 \"info\" x01 u0 x00 }", "info",
         NULL),
    OK_C("nested core module exports the plugin name", "C s1{ M s7{ u1 " PLUGIN2 " x00 u0 } }", "",
         NULL),
    OK_C("nested content is not read: garbage inside is skipped", "C s4{ 'garbage' } s1{ x0b xff }",
         "", NULL),
    OK_C("import of the plugin interface is no export", "C s10{ u1 x00 " PLUGIN2 " x05 u0 }", "",
         NULL),
    OK_C("custom, type and unknown sections are skipped",
         "C s0{ \"name\" 'junk' } s7{ 'not a type' } s200{ 'zz' } s11{ u1 x00 \"a\" x01 u0 x00 }",
         "a", NULL),
    OK_C("padded LEB128 (5 bytes) is allowed",
         "C x0b x8b x80 x80 x80 x00 u1 x00 x83 x80 x00 'abc' "
         "x01 u0 x00",
         "abc", NULL),
    OK_C("UTF-8 names are kept as given",
         "C s11{ u2 x00 \"h\\xc3\\xa9llo\" x01 u0 x00 x00 \"\\xf0\\x9f\\xa6\\x80\" x01 u1 x00 }",
         "h\xc3\xa9llo|\xf0\x9f\xa6\x80", NULL),
    OK_C("a 1024-byte name is allowed", "C s11{ u1 x00 n1024 x01 u0 x00 }", A1024, NULL),
    {"future component version without exports is recorded", "C0e s0{ \"name\" }", NULL,
     SW_WASM_COMPONENT, 0x0e, "", NULL},
    /* core modules */
    OK_M("core module exports", "M s7{ u3 \"memory\" x02 u0 \"_start\" x00 u0 \"tag\" x04 u0 }",
         "memory|_start|tag"),
    OK_M("core module exporting the plugin name is no plugin", "M s7{ u1 " PLUGIN2 " x00 u0 }",
         "wasmcloud:wash/plugin@0.0.2"),
    OK_M("core module: its data section (id 11) is not read as exports", "M s11{ 'garbage' }", ""),
    OK_M("empty core module", "M", ""),

    /* hostile input */
    BAD("zero-length file", "", "not a WebAssembly binary: the file is empty"),
    BAD("three bytes of the magic", "x00 'as'",
        "truncated WebAssembly preamble: the file is 3 bytes"),
    BAD("truncated preamble: magic and 3 bytes", "x00 'asm' x0d x00 x01",
        "truncated WebAssembly preamble: the file is 7 bytes"),
    BAD("bad magic: an ELF file", "'\\x7fELF' x02 x01 x01 x00 x00",
        "not a WebAssembly binary: the file does not start with the magic bytes \\0asm; it "
        "looks like an ELF executable"),
    BAD("bad magic: a zip archive", "'PK' x03 x04", "; it looks like a zip archive"),
    BAD("bad magic: JSON", "'{\"plugin\": true}'",
        "not a WebAssembly binary: the file does not start with the magic bytes \\0asm"),
    BAD("bad magic: one byte", "x01", "does not start with the magic bytes \\0asm"),
    BAD("unknown layer 2", "x00 'asm' x0d x00 x02 x00", "unknown WebAssembly layer 2 at offset 6"),
    BAD("core module version 2", "x00 'asm' x02 x00 x00 x00",
        "unsupported core WebAssembly version 2 at offset 4"),
    BAD("section size past the end", "C x0b x10 x01",
        "section 11 at offset 8 declares 16 bytes, but only 1 remain"),
    BAD("skipped section's size past the end", "C s0{ \"x\" } x04 x80 x01",
        "section 4 at offset 12 declares 128 bytes, but only 0 remain"),
    BAD("section id without a size", "C x0b", "truncated section header at offset 9: section size"),
    BAD("section size LEB128 cut short", "C x0b x80 x80", "truncated section header at offset 9"),
    BAD("section size LEB128 too long (6 bytes)", "C x0b x80 x80 x80 x80 x80 x00",
        "overlong LEB128 section size at offset 9: more than 5 bytes"),
    BAD("section size LEB128 over 32 bits", "C x00 xff xff xff xff x1f",
        "LEB128 section size at offset 9 does not fit in 32 bits"),
    BAD("empty export section", "C s11{ }", "truncated export section at offset 10: export count"),
    BAD("export count huge", "C s11{ xff xff xff xff x0f }",
        "declares 4294967295 exports, more than the 10000 allowed"),
    BAD("export count 10001", "C s11{ u10001 }", "declares 10001 exports, more than the 10000"),
    BAD("export count past the section's bytes", "C s11{ u100 x00 \"a\" x01 u0 x00 }",
        "truncated export section at offset 8: 100 exports declared in 6 bytes"),
    BAD("second export missing its index", "C s11{ u2 x00 \"a\" x01 u0 x00 x00 \"b\" x01 }",
        "truncated export section at offset 21: export index runs past its end"),
    BAD("export count LEB128 too long", "C s11{ x81 x80 x80 x80 x80 x00 }",
        "overlong LEB128 export count"),
    BAD("name length past the end", "C s11{ u1 x00 u50 'abc' }",
        "truncated export section at offset 12: export name declares 50 bytes, 3 remain"),
    BAD("name length past the end of the file", "C x0b x06 u1 x00 u200 'ab'",
        "truncated export section at offset 12: export name declares 200 bytes, 2 remain"),
    BAD("name length LEB128 too long", "C s11{ u1 x00 x80 x80 x80 x80 x80 x01 }",
        "overlong LEB128 export name at offset 12"),
    BAD("name of 1025 bytes", "C s11{ u1 x00 n1025 x01 u0 x00 }",
        "export name at offset 13 is 1025 bytes long, more than the 1024 allowed"),
    BAD("invalid UTF-8: lone continuation byte", "C s11{ u1 x00 \"a\\x80\" x01 u0 x00 }",
        "export name at offset 12 is not valid UTF-8 (byte 0x80 at offset 14)"),
    BAD("invalid UTF-8: overlong '/'", "C s11{ u1 x00 \"\\xc0\\xaf\" x01 u0 x00 }",
        "is not valid UTF-8 (byte 0xc0"),
    BAD("invalid UTF-8: overlong 3-byte form", "C s11{ u1 x00 \"\\xe0\\x80\\xaf\" x01 u0 x00 }",
        "is not valid UTF-8 (byte 0xe0"),
    BAD("invalid UTF-8: surrogate", "C s11{ u1 x00 \"\\xed\\xa0\\x80\" x01 u0 x00 }",
        "is not valid UTF-8 (byte 0xed"),
    BAD("invalid UTF-8: above U+10FFFF", "C s11{ u1 x00 \"\\xf4\\x90\\x80\\x80\" x01 u0 x00 }",
        "is not valid UTF-8 (byte 0xf4"),
    BAD("invalid UTF-8: sequence cut by the name's end",
        "C s11{ u1 x00 \"\\xe2\\x82\" x01 u0 x00 }", "is not valid UTF-8 (byte 0xe2"),
    BAD("invalid UTF-8: byte 0xff", "C s11{ u1 x00 \"\\xff\" x01 u0 x00 }",
        "is not valid UTF-8 (byte 0xff"),
    BAD("NUL inside a name", "C s11{ u1 x00 \"a\\x00b\" x01 u0 x00 }",
        "export name at offset 12 contains a NUL byte"),
    BAD("name discriminant 0x02", "C s11{ u1 x02 \"a\" x01 u0 x00 }",
        "export at offset 11: unknown name encoding 0x02 (0x00 or 0x01 expected)"),
    BAD("unknown sort 0x06", "C s11{ u1 x00 \"a\" x06 u0 x00 }",
        "export 'a' at offset 14: unknown sort 0x06"),
    BAD("unknown core sort 0x05", "C s11{ u1 x00 \"a\" x00 x05 u0 x00 }",
        "export 'a' at offset 14: unknown core sort 0x05"),
    BAD("export index LEB128 over 32 bits", "C s11{ u1 x00 \"a\" x01 xff xff xff xff x7f x00 }",
        "LEB128 export index at offset 15 does not fit in 32 bits"),
    BAD("type flag 0x02", "C s11{ u1 x00 \"a\" x01 u0 x02 }",
        "export 'a' at offset 16: type flag 0x02 is neither 0x00 nor 0x01"),
    BAD("type flag missing", "C s11{ u1 x00 \"a\" x01 u0 }",
        "truncated export section at offset 16: export type flag"),
    BAD("unknown export type 0x06", "C s11{ u1 x00 \"a\" x01 u0 x01 x06 u0 }",
        "export 'a' at offset 17: unknown export type 0x06"),
    BAD("core export type other than module", "C s11{ u1 x00 \"a\" x00 x11 u0 x01 x00 x10 u0 }",
        "export 'a' at offset 18: export type 0x00 has an unknown operand 0x10"),
    BAD("value bound 0x02", "C s11{ u1 x00 \"a\" x02 u0 x01 x02 x02 }",
        "export type 0x02 has an unknown operand 0x02"),
    BAD("type bound 0x02", "C s11{ u1 x00 \"a\" x03 u0 x01 x03 x02 }",
        "export type 0x03 has an unknown operand 0x02"),
    BAD("bytes left after the exports", "C s11{ u1 x00 \"a\" x01 u0 x00 x00 }",
        "export section at offset 8 holds 1 byte(s) after its 1 export(s)"),
    BAD("long name in a message is cut", "C s11{ u1 x00 n200 x09 u0 x00 }",
        "export '" A64 "aaaaaaaaaaaa...' at offset 215: unknown sort 0x09"),
    BAD("control characters in a message are replaced", "C s11{ u1 x00 \"a\\x1b[2Jb\" x09 u0 x00 }",
        "export 'a\\x1b[2Jb' at offset"),
    BAD("version 0x0c: URL cut short", "C0c s11{ u1 \"a\" u9 'http' }",
        "export URL declares 9 bytes, 4 remain"),
    BAD("version 0x0c: URL not UTF-8", "C0c s11{ u1 \"a\" \"\\xff\" x01 u0 x00 }",
        "export URL at offset 13 is not valid UTF-8"),
    BAD("version 0x0c layout under version 0x0d: name length read as discriminant",
        "C s11{ u1 \"a\" \"\" x01 u0 x00 }", "export name declares 97 bytes"),
    BAD("version 0x0e with exports", "C0e s11{ u1 x00 \"a\" x01 u0 x00 }",
        "cannot read the export section at offset 8: component encoding version 0x0e"),
    BAD("version 0x0a with exports", "C0a s11{ u1 \"a\" x01 u0 }", "encoding version 0x0a"),
    BAD("core module: second export section", "M s7{ u0 } s7{ u0 }",
        "second export section at offset 11: a core module has one"),
    BAD("core module: unknown export kind", "M s7{ u1 \"f\" x05 u0 }",
        "export 'f' at offset 11: unknown export kind 0x05"),
    BAD("core module: name not UTF-8", "M s7{ u1 \"\\xc3\" x00 u0 }", "is not valid UTF-8"),
    BAD("core module: truncated export", "M s7{ u1 \"f\" x00 }",
        "truncated export section at offset 14: export index"),
    BAD("export section cut by the end of the file", "C x0b x09 u1 x00 \"ab\"",
        "declares 9 bytes, but only 5 remain"),
};

static void run_inspect_row(void **state)
{
    const struct inspect_row *r = *state;
    struct sw_buf bin = SW_BUF_INIT;
    struct sw_wasm_info info;
    struct sw_error err = {0};
    binary(r->name, r->bin, &bin);
    int rc = sw_wasm_inspect((const unsigned char *)bin.data, bin.len, &info, &err);
    bool ok = check(r->name, rc, &info, &err, r->msg, r->kind, r->version, r->exports, r->plugin);
    sw_wasm_info_free(&info);
    sw_buf_free(&bin);
    if (!ok)
        fail_msg("row '%s'", r->name);
}

/* ---- caps that take many bytes to reach ---- */

static void test_export_cap(void **state)
{
    (void)state;
    static const struct {
        const char *name, *bin, *msg;
        size_t n;
    } rows[] = {
        {"10000 exports in one section", "C s11{ u10000 r10000{ x00 \"e\" x01 u0 x00 } }", NULL,
         10000},
        {"10000 exports over two sections",
         "C s11{ u9999 r9999{ x00 \"e\" x01 u0 x00 } } s11{ u1 x00 \"f\" x01 u0 x00 }", NULL,
         10000},
        {"10001 exports over two sections",
         "C s11{ u10000 r10000{ x00 \"e\" x01 u0 x00 } } s11{ u1 x00 \"f\" x01 u0 x00 }",
         "10000 exports so far and 1 more, more than the 10000 allowed", 0},
        {"core module: 10000 exports", "M s7{ u10000 r10000{ \"e\" x00 u0 } }", NULL, 10000},
    };
    bool ok = true;
    for (size_t i = 0; i < ROWS(rows); i++) {
        struct sw_buf bin = SW_BUF_INIT;
        struct sw_wasm_info info;
        struct sw_error err = {0};
        binary(rows[i].name, rows[i].bin, &bin);
        int rc = sw_wasm_inspect((const unsigned char *)bin.data, bin.len, &info, &err);
        if (rows[i].msg ? (rc == 0 || !strstr(err.msg, rows[i].msg))
                        : (rc != 0 || info.nexports != rows[i].n)) {
            print_error("%s: rc %d, %zu exports, error '%s'\n", rows[i].name, rc, info.nexports,
                        err.msg);
            ok = false;
        }
        sw_wasm_info_free(&info);
        sw_buf_free(&bin);
    }
    assert_true(ok);
}

/* ---- a file that is not WebAssembly: named by kind, its bytes never quoted ---- */

struct magic_row {
    const char *name;
    const char *bytes;
    const char *kind; /* the fragment naming what it looks like, "" for nothing */
};

static const struct magic_row magic_rows[] = {
    {"text", "SECRET=hunter2\n", ""},
    {"private key", "-----BEGIN OPENSSH PRIVATE KEY-----SECRET", ""},
    {"git lfs pointer", "version https://git-lfs.github.com/spec/v1\noid sha256:SECRET",
     "a Git LFS pointer: fetch the real file with 'git lfs pull'"},
    {"html", "<html>SECRET", "an HTML or XML document"},
    {"script", "#!/bin/sh\nSECRET", "a script"},
    {"windows executable", "MZSECRET", "a Windows executable"},
    {"gzip", "\x1f\x8bSECRET", "a gzip file"},
    {"half the magic", "\x00asSECRET", ""},
};

static void run_magic_row(void **state)
{
    const struct magic_row *r = *state;
    struct sw_wasm_info info;
    struct sw_error err = {0};
    size_t len = r->bytes[0] ? strlen(r->bytes) : 1 + strlen(r->bytes + 1);
    int rc = sw_wasm_inspect((const unsigned char *)r->bytes, len, &info, &err);
    bool ok = rc < 0 && err.code == SW_EXIT_VERIFY &&
              strstr(err.msg, "not a WebAssembly binary: the file does not start with the magic "
                              "bytes \\0asm") &&
              !strstr(err.msg, "SECRET") && !strstr(err.msg, "hunter") &&
              (r->kind[0] ? strstr(err.msg, r->kind) != NULL : !strstr(err.msg, "looks like"));
    if (!ok)
        print_error("%s: rc %d, error '%s'\n", r->name, rc, err.msg);
    sw_wasm_info_free(&info);
    assert_true(ok);
}

/* ---- sw_wasm_plugin_version on lists built by hand ---- */

struct plugin_row {
    const char *name;
    enum sw_wasm_kind kind;
    const char *exports[4];
    const char *want;
};

static const struct plugin_row plugin_rows[] = {
    {"0.0.2", SW_WASM_COMPONENT, {"wasmcloud:wash/plugin@0.0.2"}, "0.0.2"},
    {"0.0.1 after others", SW_WASM_COMPONENT, {"a", "b", "wasmcloud:wash/plugin@0.0.1"}, "0.0.1"},
    {"any version after the @",
     SW_WASM_COMPONENT,
     {"wasmcloud:wash/plugin@1.0.0-rc.1"},
     "1.0.0-rc.1"},
    {"nothing after the @", SW_WASM_COMPONENT, {"wasmcloud:wash/plugin@"}, NULL},
    {"no @", SW_WASM_COMPONENT, {"wasmcloud:wash/plugin"}, NULL},
    {"prefix before the name", SW_WASM_COMPONENT, {"xwasmcloud:wash/plugin@0.0.2"}, NULL},
    {"other interface", SW_WASM_COMPONENT, {"wasmcloud:wash/plugins@0.0.2"}, NULL},
    {"other package", SW_WASM_COMPONENT, {"wasmcloud:washer/plugin@0.0.2"}, NULL},
    {"case differs", SW_WASM_COMPONENT, {"wasmCloud:wash/plugin@0.0.2"}, NULL},
    {"core module never", SW_WASM_CORE_MODULE, {"wasmcloud:wash/plugin@0.0.2"}, NULL},
    {"no exports", SW_WASM_COMPONENT, {NULL}, NULL},
};

static void test_plugin_version(void **state)
{
    (void)state;
    bool ok = true;
    for (size_t i = 0; i < ROWS(plugin_rows); i++) {
        const struct plugin_row *r = &plugin_rows[i];
        char *names[5] = {NULL};
        struct sw_wasm_info info = {r->kind, 0x0d, names, 0};
        for (; r->exports[info.nexports]; info.nexports++)
            names[info.nexports] = (char *)r->exports[info.nexports];
        const char *got = sw_wasm_plugin_version(&info);
        if ((got == NULL) != (r->want == NULL) || (got && strcmp(got, r->want) != 0)) {
            print_error("%s: got '%s', expected '%s'\n", r->name, got ? got : "(none)",
                        r->want ? r->want : "(none)");
            ok = false;
        }
    }
    assert_null(sw_wasm_plugin_version(NULL));
    assert_true(ok);
}

static void test_info_free(void **state)
{
    (void)state;
    struct sw_wasm_info info = {0};
    sw_wasm_info_free(NULL);
    sw_wasm_info_free(&info);
    static const unsigned char bin[] = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00,
                                        0x0b, 0x05, 0x01, 0x00, 0x01, 0x61, 0x01};
    struct sw_error err = {0};
    assert_int_equal(sw_wasm_inspect(bin, sizeof(bin), &info, &err), -1);
    sw_wasm_info_free(&info); /* after a failure: nothing to free */
    sw_wasm_info_free(&info); /* twice */
    assert_int_equal(sw_wasm_inspect(NULL, 0, &info, &err), -1);
    assert_int_equal(err.code, SW_EXIT_VERIFY);
}

/* ---- the jco-built fixtures, compared with wasm-tools ---- */

struct fixture_row {
    const char *file; /* <file>.wasm, .print, .wit in $SW_COMPONENT_FIXTURES */
    enum sw_wasm_kind kind;
    unsigned version;
    const char *exports;
    const char *plugin;
};

static const struct fixture_row fixture_rows[] = {
    {"plugin-0.0.1", SW_WASM_COMPONENT, 0x0d, "wasmcloud:wash/plugin@0.0.1", "0.0.1"},
    {"plugin-0.0.2", SW_WASM_COMPONENT, 0x0d, "version|wasmcloud:wash/plugin@0.0.2", "0.0.2"},
    {"core-module", SW_WASM_CORE_MODULE, 1, "memory|_start|h\xc3\xa9llo", NULL},
    {"cli-run", SW_WASM_COMPONENT, 0x0d, "wasi:cli/run@0.2.0", NULL},
    {"nested", SW_WASM_COMPONENT, 0x0d, "info", NULL},
};

static char *slurp(const char *dir, const char *file, const char *ext, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s%s", dir, file, ext);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct sw_buf b = SW_BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        sw_buf_add(&b, chunk, n);
    fclose(f);
    *len = b.len;
    sw_buf_adds(&b, "");
    return sw_buf_detach(&b);
}

/* Appends the WAT string literal at s (after its opening quote) to b, decoding \u{..}, \hh
 * and the one-character escapes; returns the position after the closing quote. */
static const char *wat_string(const char *s, struct sw_buf *b)
{
    while (*s && *s != '"') {
        if (*s != '\\') {
            sw_buf_add(b, s++, 1);
            continue;
        }
        s++;
        if (*s == 'u' && s[1] == '{') {
            char *end = NULL;
            unsigned long cp = strtoul(s + 2, &end, 16);
            s = *end == '}' ? end + 1 : end;
            unsigned char u[4];
            size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            static const unsigned char lead[] = {0, 0, 0xc0, 0xe0, 0xf0};
            for (size_t i = n; i-- > 1; cp >>= 6)
                u[i] = (unsigned char)(0x80 | (cp & 0x3f));
            u[0] = (unsigned char)(lead[n] | cp);
            sw_buf_add(b, u, n);
        } else if (strchr("\"\\'", *s)) {
            sw_buf_add(b, s++, 1);
        } else if (*s == 'n' || *s == 't' || *s == 'r') {
            char c = *s == 'n' ? '\n' : *s == 't' ? '\t' : '\r';
            sw_buf_add(b, &c, 1);
            s++;
        } else {
            char hex[3] = {s[0], s[1], 0};
            unsigned char c = (unsigned char)strtoul(hex, NULL, 16);
            sw_buf_add(b, &c, 1);
            s += 2;
        }
    }
    return *s ? s + 1 : s;
}

/* The top-level export names in `wasm-tools print` output, joined by '|': the lines
 * `  (export (;N;)? "name" ...)` at the first indentation level. */
static char *printed_exports(const char *print)
{
    struct sw_buf b = SW_BUF_INIT;
    for (const char *line = print; *line;) {
        const char *nl = strchr(line, '\n');
        const char *q = strchr(line, '"');
        if (strncmp(line, "  (export ", 10) == 0 && q && (!nl || q < nl)) {
            if (b.len)
                sw_buf_add(&b, "|", 1);
            wat_string(q + 1, &b);
        }
        line = nl ? nl + 1 : line + strlen(line);
    }
    sw_buf_adds(&b, "");
    return sw_buf_detach(&b);
}

static void run_fixture_row(void **state)
{
    const struct fixture_row *r = *state;
    const char *dir = getenv("SW_COMPONENT_FIXTURES");
    size_t len = 0, plen = 0, wlen = 0;
    char *wasm = dir && *dir ? slurp(dir, r->file, ".wasm", &len) : NULL;
    if (!wasm) {
        print_message("SKIPPED %s: component fixtures not built (jco is not installed: run "
                      "'npm ci --prefix tests/fixtures/components', then ctest)\n",
                      r->file);
        skip();
    }
    char *print = slurp(dir, r->file, ".print", &plen);
    char *wit = slurp(dir, r->file, ".wit", &wlen);
    struct sw_wasm_info info;
    struct sw_error err = {0};
    int rc = sw_wasm_inspect((const unsigned char *)wasm, len, &info, &err);
    bool ok = check(r->file, rc, &info, &err, NULL, r->kind, r->version, r->exports, r->plugin);

    /* wasm-tools print lists the same top-level exports, in the same order */
    char *printed = print ? printed_exports(print) : NULL;
    if (!printed || (rc == 0 && strcmp(printed, r->exports) != 0)) {
        print_error("%s: wasm-tools print lists '%s', expected '%s'\n", r->file,
                    printed ? printed : "(no .print file)", r->exports);
        ok = false;
    }
    /* the WIT world exports exactly the component's exports */
    if (r->kind == SW_WASM_COMPONENT && rc == 0) {
        size_t lines = 0;
        for (const char *p = wit; p && (p = strstr(p, "\n  export ")); p++)
            lines++;
        for (size_t i = 0; wit && i < info.nexports; i++) {
            char want[1100];
            snprintf(want, sizeof(want), "\n  export %s", info.exports[i]);
            const char *at = strstr(wit, want);
            char after = at ? at[strlen(want)] : '\0';
            if (after != ';' && after != ':') {
                print_error("%s: the WIT lacks an export of '%s'\n", r->file, info.exports[i]);
                ok = false;
            }
        }
        if (!wit || lines != info.nexports) {
            print_error("%s: the WIT has %zu exports, the scanner %zu\n", r->file, lines,
                        info.nexports);
            ok = false;
        }
    }
    /* every prefix of a real binary is read without reading past it, and either fails cleanly
     * or lists a prefix of the exports */
    for (size_t cut = 0; rc == 0 && cut < len; cut++) {
        struct sw_wasm_info part;
        struct sw_error perr = {0};
        unsigned char *copy = malloc(cut ? cut : 1); /* exactly cut bytes, for ASan */
        assert_non_null(copy);
        memcpy(copy, wasm, cut);
        int prc = sw_wasm_inspect(copy, cut, &part, &perr);
        if (prc == 0 && part.nexports > info.nexports) {
            print_error("%s: the first %zu bytes list more exports than the whole\n", r->file, cut);
            ok = false;
        }
        if (prc != 0 && (part.exports || perr.code != SW_EXIT_VERIFY)) {
            print_error("%s: the first %zu bytes fail badly: %s\n", r->file, cut, perr.msg);
            ok = false;
        }
        sw_wasm_info_free(&part);
        free(copy);
    }
    if (rc == 0)
        sw_wasm_info_free(&info);
    free(printed);
    free(wit);
    free(print);
    free(wasm);
    if (!ok)
        fail_msg("fixture '%s'", r->file);
}

int main(void)
{
    size_t n = ROWS(inspect_rows) + ROWS(fixture_rows) + ROWS(magic_rows) + 3;
    struct CMUnitTest *tests = calloc(n, sizeof(*tests));
    char **names = calloc(n, sizeof(*names));
    if (!tests || !names)
        return 1;
    size_t t = 0;
    for (size_t i = 0; i < ROWS(inspect_rows); i++, t++) {
        names[t] = sw_xasprintf("inspect: %s", inspect_rows[i].name);
        tests[t] =
            (struct CMUnitTest){names[t], run_inspect_row, NULL, NULL, (void *)&inspect_rows[i]};
    }
    for (size_t i = 0; i < ROWS(fixture_rows); i++, t++) {
        names[t] = sw_xasprintf("jco fixture: %s", fixture_rows[i].file);
        tests[t] =
            (struct CMUnitTest){names[t], run_fixture_row, NULL, NULL, (void *)&fixture_rows[i]};
    }
    for (size_t i = 0; i < ROWS(magic_rows); i++, t++) {
        names[t] = sw_xasprintf("not wasm, not quoted: %s", magic_rows[i].name);
        tests[t] = (struct CMUnitTest){names[t], run_magic_row, NULL, NULL, (void *)&magic_rows[i]};
    }
    tests[t++] = (struct CMUnitTest){"export caps", test_export_cap, NULL, NULL, NULL};
    tests[t++] = (struct CMUnitTest){"plugin version", test_plugin_version, NULL, NULL, NULL};
    tests[t++] = (struct CMUnitTest){"info free", test_info_free, NULL, NULL, NULL};
    int rc = _cmocka_run_group_tests("component", tests, t, NULL, NULL);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(tests);
    return rc;
}
