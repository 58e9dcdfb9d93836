/* What a WebAssembly binary is, read from its bytes: a core module or a component, and for a
 * component the names it exports. Pure logic over untrusted input: bounded, never reads past
 * the buffer, never recurses without a depth cap.
 *
 * Used to decide, before installing a wash plugin, whether it exports the plugin interface
 * the wash in use loads (`wasmcloud:wash/plugin@0.0.1` or `@0.0.2`). */
#ifndef SW_COMPONENT_H
#define SW_COMPONENT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

enum sw_wasm_kind {
    SW_WASM_CORE_MODULE, /* preamble \0asm, version 1, layer 0 */
    SW_WASM_COMPONENT,   /* preamble \0asm, version 0x0d (or another), layer 1 */
};

struct sw_wasm_info {
    enum sw_wasm_kind kind;
    unsigned version; /* the preamble's version field: 1 for a core module; for a component the
                       * pre-standard encoding version, 0x0d from every current toolchain */
    char **exports;   /* top-level export names of a component (the extern names as written,
                       * e.g. "wasmcloud:wash/plugin@0.0.2"), NULL-terminated; for a core module
                       * its export names. Never NULL after a successful inspect. */
    size_t nexports;
};

/* Reads the binary's preamble and its top-level export section(s). Returns 0, or -1 with err
 * (SW_EXIT_VERIFY) for anything that is not well-formed WebAssembly ("not a WebAssembly
 * binary: the file does not start with the magic bytes \0asm; it looks like a zip archive",
 * "truncated export section at offset N"). Messages never quote the file's bytes: a binary
 * that is not WebAssembly is at most named by kind (an ELF executable, a Git LFS pointer). Free
 * with sw_wasm_info_free. Sections other than exports are skipped by their declared size, nested
 * modules and components included: only the outermost exports are listed.
 *
 * Component export names are read in the current encoding (version 0x0d: a 0x00 or 0x01
 * discriminant, then the name) and in the one before it (0x0c: the name, then a URL). A
 * component of another version is accepted, with `version` recorded, only while it has no
 * export section: its exports cannot be read with certainty, which is an error. Limits:
 * 10,000 exports, names of 1 KiB; names must be UTF-8 without NUL. data may be NULL when len
 * is 0. On failure *out is left empty (safe to free). */
int sw_wasm_inspect(const unsigned char *data, size_t len, struct sw_wasm_info *out,
                    struct sw_error *err);

/* Frees the names and resets *info to empty; NULL and an empty info are no-ops. */
void sw_wasm_info_free(struct sw_wasm_info *info);

/* The version of the interface `wasmcloud:wash/plugin` the component exports ("0.0.1",
 * "0.0.2"): what follows `wasmcloud:wash/plugin@` in the first top-level export named so, or
 * NULL when it exports none (always NULL for a core module, and for a NULL info). Points into
 * info. */
const char *sw_wasm_plugin_version(const struct sw_wasm_info *info);

#endif
