/* Parsers for the version strings toolchain programs print (wash-facts.md section 5).
 *
 * Pure logic, no I/O, no allocation: every result is a plain value. Each parser takes the
 * program's whole answer (several lines are fine), returns 0 and fills *out, or returns -1
 * with err (SW_EXIT_FAILURE) saying "cannot read a ... version from '<raw text>'", the raw
 * text trimmed, cut and stripped of control characters. err may be NULL. No input crashes a
 * parser: unknown forms are errors, and doctor reports them as warnings that carry the raw
 * string. */
#ifndef SW_TOOLVER_H
#define SW_TOOLVER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "core/semver.h"

enum sw_go_kind {
    SW_GO_RELEASE, /* go1.22.4, go1.20, go1.26.2-X:nodwarf5 */
    SW_GO_RC,      /* go1.26rc1 */
    SW_GO_BETA,    /* go1.21beta1 */
    SW_GO_DEVEL,   /* go1.26-devel_7c8166d02d ..., devel go1.19-fd1b5904ae ... */
};

/* A Go toolchain version. Forms accepted (after optional leading space and an optional
 * "go version " prefix, the answer of `go version`):
 *   go1.22.4   go1.20 (no patch before 1.21)   go1.26rc1   go1.21beta1
 *   go1.26-devel_7c8166d02d Tue Mar 3 ...      devel go1.19-fd1b5904ae Tue Mar 22 ...
 *   go1.26.2-X:nodwarf5   go1.26.2 X:nodwarf5  (experiment suffixes)
 * Text after the version token (dates, "linux/amd64") is ignored. */
struct sw_gover {
    unsigned major, minor, patch; /* patch is 0 when not written */
    bool has_patch;
    enum sw_go_kind kind;
    unsigned pre;  /* N of rcN / betaN, else 0 */
    char text[64]; /* the version token as printed ("go1.26rc1"), for messages */
};

int sw_gover_parse(const char *s, struct sw_gover *out, struct sw_error *err);

/* `tinygo version`:
 *   tinygo version 0.39.0 linux/amd64 (using go version go1.25.0 and LLVM version 19.1.2)
 *   tinygo version 0.42.0-dev-e9d78a78 linux/amd64 (using go version go1.25.0 and ...)
 * The version must parse; the Go TinyGo was built with is optional (has_go false when the
 * "(using go version ...)" part is missing or unreadable). */
struct sw_tinygo_ver {
    struct sw_semver v; /* dev builds keep their prerelease: 0.42.0-dev-e9d78a78 */
    bool has_go;
    struct sw_gover go;
};

int sw_tinygo_parse(const char *s, struct sw_tinygo_ver *out, struct sw_error *err);

/* `rustc -vV`: the value of the "release:" line ("1.95.0", "1.84.0-nightly",
 * "1.84.0-beta.3"); without such a line, a first line "rustc 1.84.0-nightly (hash date)".
 * channel is "stable", "beta", "nightly" or "dev" (from the prerelease). */
struct sw_rustc_ver {
    struct sw_semver v;
    char channel[16];
};

int sw_rustc_parse(const char *s, struct sw_rustc_ver *out, struct sw_error *err);

/* A `--version` answer whose first non-empty line names a semver after some words:
 *   wash 2.7.0   wash 2.0.0-rc.8   wash-cli 0.43.0   wasm-tools 1.226.0 (a5c5a3a2c 2025-02-20)
 *   wit-bindgen-go version v0.6.2   wit-bindgen-go version v0.7.1-0.20250704174425-55a8715c694f
 *   v20.1.0 (node)   1.10.2 (jco)   cargo-component 0.21.1 (...)
 * Words before the version are skipped; the version is the first word that starts with a
 * digit or with 'v' and a digit, up to whitespace, '(' or ','; a leading 'v' is dropped. */
int sw_toolver_parse(const char *s, struct sw_semver *out, struct sw_error *err);

/* Copies a program's answer for a message: surrounding space trimmed, each run of line
 * breaks and tabs made one space, then sw_sanitize (core/text.h): other control characters
 * and invalid UTF-8 escaped, cut to fit n with "...". Always NUL-terminates when n > 0. */
void sw_toolver_raw(char *dst, size_t n, const char *s);

#endif
