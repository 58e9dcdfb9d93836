/* libFuzzer harness for the WebAssembly scanner (src/core/component.c): inspect any bytes; when
 * they are accepted, check the result's invariants, then write the names back as a binary in
 * the current encoding and check that it reads back to the same list. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/component.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void put_u32(struct sw_buf *b, size_t v)
{
    do {
        unsigned char c = v & 0x7f;
        v >>= 7;
        if (v)
            c |= 0x80;
        sw_buf_add(b, &c, 1);
    } while (v);
}

/* The names as a component (current encoding) or core module with one export section. */
static void encode(const struct sw_wasm_info *info, struct sw_buf *out)
{
    static const unsigned char component[8] = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00};
    static const unsigned char module[8] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
    bool core = info->kind == SW_WASM_CORE_MODULE;
    struct sw_buf sec = SW_BUF_INIT;
    put_u32(&sec, info->nexports);
    for (size_t i = 0; i < info->nexports; i++) {
        size_t n = strlen(info->exports[i]);
        if (!core)
            sw_buf_add(&sec, "\x00", 1); /* name discriminant */
        put_u32(&sec, n);
        sw_buf_add(&sec, info->exports[i], n);
        /* core: func 0; component: sort func, index 0, no type */
        sw_buf_add(&sec, core ? "\x00\x00" : "\x01\x00\x00", core ? 2 : 3);
    }
    sw_buf_add(out, core ? module : component, 8);
    sw_buf_add(out, core ? "\x07" : "\x0b", 1);
    put_u32(out, sec.len);
    sw_buf_add(out, sec.data, sec.len);
    sw_buf_free(&sec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sw_error err = {0};
    struct sw_wasm_info info, again;
    if (sw_wasm_inspect(data, size, &info, &err) < 0) {
        if (info.exports || info.nexports || err.code != SW_EXIT_VERIFY || !err.msg[0])
            abort(); /* a failure leaves nothing behind and says why */
        return 0;
    }
    if (!info.exports || info.exports[info.nexports] || info.nexports > 10000)
        abort();
    for (size_t i = 0; i < info.nexports; i++)
        if (strlen(info.exports[i]) > 1024)
            abort();
    const char *pv = sw_wasm_plugin_version(&info);
    if (pv && (info.kind != SW_WASM_COMPONENT || !*pv))
        abort();

    struct sw_buf bin = SW_BUF_INIT;
    encode(&info, &bin);
    if (sw_wasm_inspect((const unsigned char *)bin.data, bin.len, &again, &err) < 0)
        abort(); /* what was read can be written and read again */
    if (again.kind != info.kind || again.nexports != info.nexports)
        abort();
    for (size_t i = 0; i < info.nexports; i++)
        if (strcmp(info.exports[i], again.exports[i]) != 0)
            abort();
    const char *pv2 = sw_wasm_plugin_version(&again);
    if ((pv == NULL) != (pv2 == NULL) || (pv && strcmp(pv, pv2) != 0))
        abort();
    sw_buf_free(&bin);
    sw_wasm_info_free(&again);
    sw_wasm_info_free(&info);
    return 0;
}
