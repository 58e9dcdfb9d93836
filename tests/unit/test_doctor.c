/* Unit tests for doctor's rules (src/core/doctor*.c) and the toolchain tables they read.
 *
 * Each row describes what a machine would show (the literal answers of wash, go, tinygo,
 * rustc... and the project's files) and the verdict one check must reach. Every row is its own
 * cmocka test, named by the row. A probe string is the program's stdout; NULL means the program
 * is not on PATH; "!timeout", "!fail:<stderr>" and "!error:<why>" are the other outcomes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/doctor.h"
#include "core/semver.h"
#include "data/toolchains.h"

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))

enum { GO = 1, RUST = 2, TS = 4 };
#define OK SW_CHECK_OK
#define WARN SW_CHECK_WARN
#define ERR SW_CHECK_ERROR
#define SKIP SW_CHECK_SKIP

struct row {
    const char *name;
    const char *id;              /* the check under test */
    enum sw_check_status want;
    const char *msg, *fix;       /* fragments that must appear (NULL: any) */
    const char *file;            /* the file the fix points at; NULL: none */
    const char *key, *val;       /* a found entry that must be there (NULL: any) */

    unsigned lang;
    const char *gomod;           /* go.mod text (default: "module x\n\ngo 1.18\n") */
    const char *washcfg;         /* .wash/config.yaml text */
    const char *lock;            /* plugins.lock text */
    const char *rust_toolchain;  /* "rust-toolchain.toml" */
    bool tsconfig, pkg_jco, wash_cache, wasmtools_env, sysroot_wasip2, no_rustup;
    const char *wash, *go, *go_local, *tinygo, *wasm_tools, *wbg, *rustc, *rustup, *sysroot,
        *cargo_component, *node, *jco;
    const char *gotoolchain, *gocompat;
    const char *validate;  /* `wash config validate`; NULL: not run */
    const char *hp_env;    /* $WASH_HOST_PLUGINS */
    bool installed;        /* wash is one setup-wash installed */
    bool remedy;           /* the check must carry a fix doctor --fix applies */
};

#define TG(v, go) "tinygo version " v " linux/amd64 (using go version " go " and LLVM version 19.1.2)"
#define RUSTC(rel) "rustc " rel " (59807616e 2026-04-14)\nbinary: rustc\nrelease: " rel "\n"
#define HEX64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define LOCK_WASH(v)                                                                               \
    "{\"lockfile-version\": 1, \"wash\": {\"version\": \"" v "\", \"tag\": \"v" v "\", "          \
    "\"repository\": \"wasmCloud/wasmCloud\", \"assets\": {\"wash-x86_64-unknown-linux-gnu\": "  \
    "{\"target\": \"x86_64-unknown-linux-gnu\", \"size\": 1, \"digest\": \"sha256:" HEX64 "\"}}}, "
#define PLUGIN "{\"name\": \"blobstore\", \"source\": \"ghcr.io/wasmcloud/wash-plugins/blob:0.1.0\"}"
#define PLUGIN_WIT(wit)                                                                            \
    "{\"name\": \"blobstore\", \"source\": \"ghcr.io/wasmcloud/wash-plugins/blob:0.1.0\", "          \
    "\"digest\": \"sha256:" HEX64 "\", \"size\": 10, \"wit\": \"" wit "\"}"
#define LOCK_PLUGINS(list) "{\"lockfile-version\": 1, \"plugins\": [" list "]}"

static const struct row rows[] = {
    /* ---- the Go range of every TinyGo table row, both edges and just outside ---- */
    {"0.30.0 lower edge go1.18", "tinygo-go", OK, "TinyGo 0.30.0 supports Go 1.18-1.21, Go on PATH is go1.18", .lang = GO, .tinygo = TG("0.30.0", "go1.21.1"), .go = "go1.18"},
    {"0.30.0 upper edge go1.21.13", "tinygo-go", OK, "Go 1.18-1.21", .lang = GO, .tinygo = TG("0.30.0", "go1.21.1"), .go = "go1.21.13"},
    {"0.30.0 below go1.17.13", "tinygo-go", ERR, "TinyGo 0.30.0 supports Go 1.18-1.21, Go on PATH is go1.17.13", "set GOTOOLCHAIN=go1.18.x (or add 'toolchain go1.18.0' to go.mod)", .lang = GO, .tinygo = TG("0.30.0", "go1.21.1"), .go = "go1.17.13"},
    {"0.30.0 above go1.22.0", "tinygo-go", ERR, "Go on PATH is go1.22.0", "install TinyGo >= 0.31.0 or set GOTOOLCHAIN=go1.21.x", .lang = GO, .tinygo = TG("0.30.0", "go1.21.1"), .go = "go1.22.0"},
    {"0.31.2 lower edge go1.18.10", "tinygo-go", OK, "Go 1.18-1.22", .lang = GO, .tinygo = TG("0.31.2", "go1.22.0"), .go = "go1.18.10"},
    {"0.31.2 upper edge go1.22.12", "tinygo-go", OK, "Go 1.18-1.22", .lang = GO, .tinygo = TG("0.31.2", "go1.22.0"), .go = "go1.22.12"},
    {"0.31.2 above go1.23.0", "tinygo-go", ERR, "TinyGo 0.31.2 supports Go 1.18-1.22", "install TinyGo >= 0.33.0 or set GOTOOLCHAIN=go1.22.x", .lang = GO, .tinygo = TG("0.31.2", "go1.22.0"), .go = "go1.23.0"},
    {"0.31.2 below go1.17", "tinygo-go", ERR, "Go on PATH is go1.17", "set GOTOOLCHAIN=go1.18.x", .lang = GO, .tinygo = TG("0.31.2", "go1.22.0"), .go = "go1.17"},
    {"0.32.0 lower edge go1.19.13", "tinygo-go", OK, "Go 1.19-1.22", .lang = GO, .tinygo = TG("0.32.0", "go1.22.3"), .go = "go1.19.13"},
    {"0.32.0 upper edge go1.22.0", "tinygo-go", OK, "Go 1.19-1.22", .lang = GO, .tinygo = TG("0.32.0", "go1.22.3"), .go = "go1.22.0"},
    {"0.32.0 below go1.18.10", "tinygo-go", ERR, "TinyGo 0.32.0 supports Go 1.19-1.22, Go on PATH is go1.18.10", "set GOTOOLCHAIN=go1.19.x", .lang = GO, .tinygo = TG("0.32.0", "go1.22.3"), .go = "go1.18.10"},
    {"0.32.0 above go1.23.1", "tinygo-go", ERR, "Go on PATH is go1.23.1", "install TinyGo >= 0.33.0", .lang = GO, .tinygo = TG("0.32.0", "go1.22.3"), .go = "go1.23.1"},
    {"0.33.0 lower edge go1.19", "tinygo-go", OK, "Go 1.19-1.23", .lang = GO, .tinygo = TG("0.33.0", "go1.23.0"), .go = "go1.19"},
    {"0.33.0 upper edge go1.23.12", "tinygo-go", OK, "Go 1.19-1.23", .lang = GO, .tinygo = TG("0.33.0", "go1.23.0"), .go = "go1.23.12"},
    {"0.33.0 above go1.24.0", "tinygo-go", ERR, "TinyGo 0.33.0 supports Go 1.19-1.23", "install TinyGo >= 0.36.0 or set GOTOOLCHAIN=go1.23.x", .lang = GO, .tinygo = TG("0.33.0", "go1.23.0"), .go = "go1.24.0"},
    {"0.33.0 below go1.18", "tinygo-go", ERR, "Go on PATH is go1.18", "set GOTOOLCHAIN=go1.19.x", .lang = GO, .tinygo = TG("0.33.0", "go1.23.0"), .go = "go1.18"},
    {"0.34.0 lower edge go1.19.0", "tinygo-go", OK, "TinyGo 0.34.0 supports Go 1.19-1.23", .lang = GO, .tinygo = TG("0.34.0", "go1.23.2"), .go = "go1.19.0"},
    {"0.35.0 upper edge go1.23.4", "tinygo-go", OK, "TinyGo 0.35.0 supports Go 1.19-1.23", .lang = GO, .tinygo = TG("0.35.0", "go1.23.4"), .go = "go1.23.4"},
    {"0.35.0 above go1.24.0", "tinygo-go", ERR, "TinyGo 0.35.0 supports Go 1.19-1.23", "install TinyGo >= 0.36.0 or set GOTOOLCHAIN=go1.23.x", .lang = GO, .tinygo = TG("0.35.0", "go1.23.4"), .go = "go1.24.0"},
    {"0.34.0 below go1.18.10", "tinygo-go", ERR, "Go 1.19-1.23", "set GOTOOLCHAIN=go1.19.x", .lang = GO, .tinygo = TG("0.34.0", "go1.23.2"), .go = "go1.18.10"},
    {"0.36.0 lower edge go1.19.0", "tinygo-go", OK, "TinyGo 0.36.0 supports Go 1.19-1.24", .lang = GO, .tinygo = TG("0.36.0", "go1.24.0"), .go = "go1.19.0"},
    {"0.38.0 upper edge go1.24.4", "tinygo-go", OK, "TinyGo 0.38.0 supports Go 1.19-1.24, Go on PATH is go1.24.4", .lang = GO, .tinygo = TG("0.38.0", "go1.24.4"), .go = "go1.24.4"},
    {"0.38.0 above go1.25.1 (the issue's example)", "tinygo-go", ERR, "TinyGo 0.38.0 supports Go 1.19-1.24, Go on PATH is go1.25.1", "install TinyGo >= 0.39.0 or set GOTOOLCHAIN=go1.24.x", .lang = GO, .tinygo = TG("0.38.0", "go1.24.4"), .go = "go1.25.1", .key = "go", .val = "go1.25.1"},
    {"0.37.0 below go1.18.10", "tinygo-go", ERR, "TinyGo 0.37.0 supports Go 1.19-1.24", "set GOTOOLCHAIN=go1.19.x", .lang = GO, .tinygo = TG("0.37.0", "go1.24.2"), .go = "go1.18.10"},
    {"0.39.0 lower edge go1.19", "tinygo-go", OK, "TinyGo 0.39.0 supports Go 1.19-1.25", .lang = GO, .tinygo = TG("0.39.0", "go1.25.0"), .go = "go1.19"},
    {"0.39.0 upper edge go1.25.0", "tinygo-go", OK, "Go 1.19-1.25, Go on PATH is go1.25.0", .lang = GO, .tinygo = TG("0.39.0", "go1.25.0"), .go = "go1.25.0"},
    {"0.39.0 above go1.26.0", "tinygo-go", ERR, "TinyGo 0.39.0 supports Go 1.19-1.25", "install TinyGo >= 0.41.0 or set GOTOOLCHAIN=go1.25.x", .lang = GO, .tinygo = TG("0.39.0", "go1.25.0"), .go = "go1.26.0"},
    {"0.40.1 lower edge go1.19.0", "tinygo-go", OK, "TinyGo 0.40.1 supports Go 1.19-1.25", .lang = GO, .tinygo = TG("0.40.1", "go1.25.3"), .go = "go1.19.0"},
    {"0.40.1 upper edge go1.25.3", "tinygo-go", OK, "TinyGo 0.40.1 supports Go 1.19-1.25", .lang = GO, .tinygo = TG("0.40.1", "go1.25.3"), .go = "go1.25.3"},
    {"0.40.1 above go1.26rc1", "tinygo-go", ERR, "Go on PATH is go1.26rc1", "install TinyGo >= 0.41.0 or set GOTOOLCHAIN=go1.25.x", .lang = GO, .tinygo = TG("0.40.1", "go1.25.3"), .go = "go1.26rc1"},
    {"0.41.0 lower edge go1.19.13", "tinygo-go", OK, "TinyGo 0.41.0 supports Go 1.19-1.26", .lang = GO, .tinygo = TG("0.41.0", "go1.26.0"), .go = "go1.19.13"},
    {"0.41.1 upper edge go1.26.2", "tinygo-go", OK, "TinyGo 0.41.1 supports Go 1.19-1.26", .lang = GO, .tinygo = TG("0.41.1", "go1.26.2"), .go = "go1.26.2"},
    {"0.41.1 above go1.27.0", "tinygo-go", ERR, "TinyGo 0.41.1 supports Go 1.19-1.26", "install TinyGo >= 0.42.0 or set GOTOOLCHAIN=go1.26.x", .lang = GO, .tinygo = TG("0.41.1", "go1.26.2"), .go = "go1.27.0"},
    {"0.41.0 below go1.18", "tinygo-go", ERR, "Go 1.19-1.26", "set GOTOOLCHAIN=go1.19.x", .lang = GO, .tinygo = TG("0.41.0", "go1.26.0"), .go = "go1.18"},
    {"0.42.0 lower edge go1.25.0", "tinygo-go", OK, "TinyGo 0.42.0 supports Go 1.25-1.27", .lang = GO, .tinygo = TG("0.42.0", "go1.27.0"), .go = "go1.25.0"},
    {"0.42.0 upper edge go1.27.1", "tinygo-go", OK, "TinyGo 0.42.0 supports Go 1.25-1.27", .lang = GO, .tinygo = TG("0.42.0", "go1.27.0"), .go = "go1.27.1"},
    {"0.42.0 below go1.24.5", "tinygo-go", ERR, "TinyGo 0.42.0 supports Go 1.25-1.27, Go on PATH is go1.24.5", "set GOTOOLCHAIN=go1.25.x (or add 'toolchain go1.25.0' to go.mod) or use TinyGo 0.41.x", .lang = GO, .tinygo = TG("0.42.0", "go1.27.0"), .go = "go1.24.5"},
    {"0.42.0 above go1.28.0: no known TinyGo", "tinygo-go", ERR, "Go on PATH is go1.28.0", "no TinyGo this setup-wash knows accepts Go 1.28 (TinyGo 0.42.x accepts up to 1.27): use an older Go or set GOTOOLCHAIN=go1.27.x", .lang = GO, .tinygo = TG("0.42.0", "go1.27.0"), .go = "go1.28.0"},
    /* ---- TinyGo dev builds, Go rc / devel / experiment builds ---- */
    {"dev 0.42.0-dev-e9d78a78 checked as 0.42", "tinygo-go", OK, "TinyGo 0.42.0-dev-e9d78a78 supports Go 1.25-1.27", .lang = GO, .tinygo = "tinygo version 0.42.0-dev-e9d78a78 linux/amd64 (using go version go1.25.0 and LLVM version 20.1.1)", .go = "go1.25.0"},
    {"dev 0.42.0-dev with go1.24", "tinygo-go", ERR, "TinyGo 0.42.0-dev-e9d78a78 supports Go 1.25-1.27", "set GOTOOLCHAIN=go1.25.x", .lang = GO, .tinygo = TG("0.42.0-dev-e9d78a78", "go1.25.0"), .go = "go1.24.3"},
    {"dev tinygo check says development build", "tinygo", OK, "(a development build, checked as 0.42.0)", .lang = GO, .tinygo = TG("0.42.0-dev-e9d78a78", "go1.25.0"), .go = "go1.25.0"},
    {"go1.26rc1 with 0.41.0", "tinygo-go", OK, "Go on PATH is go1.26rc1", .lang = GO, .tinygo = TG("0.41.0", "go1.26.0"), .go = "go1.26rc1"},
    {"go1.26-devel with 0.40.0", "tinygo-go", ERR, "Go on PATH is go1.26-devel_7c8166d02d", "install TinyGo >= 0.41.0", .lang = GO, .tinygo = TG("0.40.0", "go1.25.1"), .go = "go1.26-devel_7c8166d02d Tue Mar 3 18:23:42 2026 -0800"},
    {"devel go1.19 with 0.38.0", "tinygo-go", OK, "Go on PATH is go1.19-fd1b5904ae", .lang = GO, .tinygo = TG("0.38.0", "go1.24.4"), .go = "devel go1.19-fd1b5904ae Tue Mar 22 21:26:11 2022 +0000"},
    {"go1.26.2-X:nodwarf5 with 0.41.1", "tinygo-go", OK, "Go on PATH is go1.26.2-X:nodwarf5", .lang = GO, .tinygo = TG("0.41.1", "go1.26.2"), .go = "go1.26.2-X:nodwarf5"},
    {"TinyGo newer than the table", "tinygo-go", WARN, "TinyGo 0.43.0 is newer than the releases this setup-wash knows (up to 0.42.x)", "tinygo info -target wasip2", .lang = GO, .tinygo = TG("0.43.0", "go1.27.0"), .go = "go1.27.0"},
    {"TinyGo older than the table", "tinygo-go", SKIP, "TinyGo 0.29.0 is older than any release", .lang = GO, .tinygo = TG("0.29.0", "go1.21.0"), .go = "go1.21.0"},
    {"range needs go", "tinygo-go", SKIP, "see the go check", .lang = GO, .tinygo = TG("0.38.0", "go1.24.4")},
    {"range needs tinygo", "tinygo-go", SKIP, "see the tinygo check", .lang = GO, .go = "go1.24.4"},
    /* ---- which Go: GOTOOLCHAIN, go.mod's toolchain and go lines ---- */
    {"GOTOOLCHAIN selects a too new Go", "tinygo-go", ERR, "TinyGo 0.38.0 supports Go 1.19-1.24, GOTOOLCHAIN=go1.25.1 selects go1.25.1 (Go on PATH is go1.22.4)", "install TinyGo >= 0.39.0 or set GOTOOLCHAIN=go1.24.x", .lang = GO, .tinygo = TG("0.38.0", "go1.24.4"), .go = "go1.25.1", .go_local = "go1.22.4", .gotoolchain = "go1.25.1"},
    {"go.mod toolchain line selects a too new Go", "tinygo-go", ERR, "the toolchain line in go.mod selects go1.25.1 (Go on PATH is go1.22.4)", "install TinyGo >= 0.39.0 or change the toolchain line in go.mod to go1.24.x", "go.mod", .lang = GO, .gomod = "module example.com/c\n\ngo 1.22\n\ntoolchain go1.25.1\n", .tinygo = TG("0.38.0", "go1.24.4"), .go = "go1.25.1", .go_local = "go1.22.4"},
    {"go.mod go line requires a too new Go", "tinygo-go", ERR, "the go line in go.mod (go 1.25.0) selects go1.25.0 (Go on PATH is go1.22.4); go.mod requires go 1.25.0", "install TinyGo >= 0.39.0", "go.mod", .lang = GO, .gomod = "module example.com/c\n\ngo 1.25.0\n", .tinygo = TG("0.38.0", "go1.24.4"), .go = "go1.25.0", .go_local = "go1.22.4"},
    {"go.mod toolchain line too old for 0.42", "tinygo-go", ERR, "the toolchain line in go.mod selects go1.24.1", "raise the toolchain line in go.mod to go1.25.x", "go.mod", .lang = GO, .gomod = "module m\ngo 1.22\ntoolchain go1.24.1 // pinned\n", .tinygo = TG("0.42.0", "go1.27.0"), .go = "go1.24.1", .go_local = "go1.22.4"},
    {"go check names the go.mod toolchain", "go", OK, "the toolchain line in go.mod selects go1.25.1 (Go on PATH is go1.22.4)", .lang = GO, .gomod = "module m\ngo 1.22\ntoolchain go1.25.1\n", .tinygo = TG("0.39.0", "go1.25.0"), .go = "go1.25.1", .go_local = "go1.22.4", .key = "source", .val = "go.mod toolchain"},
    {"GOTOOLCHAIN=local keeps the Go on PATH", "go", OK, "Go on PATH is go1.22.4", .lang = GO, .go = "go1.22.4", .gotoolchain = "local", .key = "GOTOOLCHAIN", .val = "local"},
    /* ---- -go-compatibility / TINYGO_GOCOMPATIBILITY ---- */
    {"gocompat off on 0.40 makes the range a warning", "tinygo-go", WARN, "TINYGO_GOCOMPATIBILITY=false turns TinyGo's range check off", "install TinyGo >= 0.41.0", .lang = GO, .tinygo = TG("0.40.0", "go1.26.0"), .go = "go1.26.0", .gocompat = "false"},
    {"gocompat off before 0.40 has no effect", "tinygo-go", ERR, "TINYGO_GOCOMPATIBILITY=0 has no effect before TinyGo 0.40.0", "install TinyGo >= 0.41.0", .lang = GO, .tinygo = TG("0.39.0", "go1.26.0"), .go = "go1.26.0", .gocompat = "0"},
    {"gocompat=1 keeps the check", "tinygo-go", ERR, "TinyGo 0.40.0 supports Go 1.19-1.25", .lang = GO, .tinygo = TG("0.40.0", "go1.25.0"), .go = "go1.26.0", .gocompat = "1", .fix = "install TinyGo >= 0.41.0"},
    {"gocompat noted in range", "tinygo-go", OK, "(TINYGO_GOCOMPATIBILITY=F noted)", .lang = GO, .tinygo = TG("0.41.0", "go1.26.0"), .go = "go1.26.0", .gocompat = "F", .key = "go-compatibility", .val = "TINYGO_GOCOMPATIBILITY=F"},
    {"-go-compatibility=false in build.command", "tinygo-go", WARN, "-go-compatibility=false in build.command turns", .lang = GO, .tinygo = TG("0.41.0", "go1.27.0"), .go = "go1.27.0", .washcfg = "build:\n  command: tinygo build -go-compatibility=false -target=wasip2 .\n", .fix = "install TinyGo >= 0.42.0"},
    /* ---- TinyGo 0.34+: not newer than the Go TinyGo was built with ---- */
    {"built with go1.24.2, Go go1.25.1", "tinygo-built-with", ERR, "TinyGo 0.39.0 was built with go1.24.2 and refuses a newer Go, Go on PATH is go1.25.1", "set GOTOOLCHAIN=go1.24.x or install a TinyGo built with Go 1.25 or newer", .lang = GO, .tinygo = TG("0.39.0", "go1.24.2"), .go = "go1.25.1"},
    {"built with go1.25.0, Go go1.25.1 (same minor)", "tinygo-built-with", OK, "TinyGo 0.39.0 was built with go1.25.0", .lang = GO, .tinygo = TG("0.39.0", "go1.25.0"), .go = "go1.25.1"},
    {"0.34.0 edge: built with go1.23.2, Go go1.23.9", "tinygo-built-with", OK, "built with go1.23.2", .lang = GO, .tinygo = TG("0.34.0", "go1.23.2"), .go = "go1.23.9"},
    {"0.34.0 built with go1.22.5, Go go1.23.0", "tinygo-built-with", ERR, "refuses a newer Go", "set GOTOOLCHAIN=go1.22.x", .lang = GO, .tinygo = TG("0.34.0", "go1.22.5"), .go = "go1.23.0"},
    {"0.33.0 has no built-with check", "tinygo-built-with", SKIP, "TinyGo 0.33.0 does not compare Go with the Go it was built with (that check came in 0.34.0)", .lang = GO, .tinygo = TG("0.33.0", "go1.22.0"), .go = "go1.23.0"},
    {"built-with unreadable", "tinygo-built-with", SKIP, "does not say which Go built TinyGo", .lang = GO, .tinygo = "tinygo version 0.39.0 linux/amd64", .go = "go1.25.0"},
    {"built-with via go.mod toolchain", "tinygo-built-with", ERR, "the toolchain line in go.mod selects go1.26.0", "change the toolchain line in go.mod to go1.25.x", "go.mod", .lang = GO, .gomod = "module m\ngo 1.22\ntoolchain go1.26.0\n", .tinygo = TG("0.41.0", "go1.25.4"), .go = "go1.26.0", .go_local = "go1.22.4"},
    /* ---- go ---- */
    {"go absent", "go", ERR, "go not found on PATH", "install Go 1.19-1.24 (the range TinyGo 0.38.0 accepts)", .lang = GO, .tinygo = TG("0.38.0", "go1.24.4")},
    {"go absent, no tinygo", "go", ERR, "go not found on PATH", "https://go.dev/dl/", .lang = GO},
    {"go hangs", "go", ERR, "'go env GOVERSION' timed out after 10 s", "run 'go env GOVERSION'", .lang = GO, .go = "!timeout"},
    {"go toolchain download fails", "go", ERR, "'go env GOVERSION' failed with exit code 1: go: downloading go1.25.1 (linux/amd64): dial tcp", .lang = GO, .go = "!fail:go: downloading go1.25.1 (linux/amd64): dial tcp: lookup proxy.golang.org\n"},
    {"go cannot start", "go", ERR, "cannot run 'go env GOVERSION'", .lang = GO, .go = "!error:Exec format error"},
    {"go answers nonsense", "go", WARN, "cannot read a Go version from 'weird 1.2'", .lang = GO, .go = "weird 1.2\n", .key = "raw", .val = "weird 1.2"},
    {"go ok", "go", OK, "Go on PATH is go1.22.4", .lang = GO, .go = "go1.22.4\n", .key = "version", .val = "go1.22.4"},
    {"go skipped without go.mod", "go", SKIP, "not a Go project: no go.mod in 'proj'", .lang = RUST, .go = "go1.22.4"},
    /* ---- tinygo ---- */
    {"tinygo absent, Go 1.25", "tinygo", ERR, "tinygo not found on PATH", "install TinyGo 0.42.x, the newest that accepts go1.25.1: https://tinygo.org/", .lang = GO, .go = "go1.25.1"},
    {"tinygo absent, Go 1.17", "tinygo", ERR, "tinygo not found on PATH", "install TinyGo 0.33.0 or later", .lang = GO, .go = "go1.17"},
    {"tinygo 0.32.0 has no wasip2", "tinygo", ERR, "TinyGo 0.32.0 cannot build wasip2 components: -target=wasip2 needs TinyGo 0.33.0 or later", "install TinyGo 0.41.x, the newest that accepts go1.22.0", .lang = GO, .tinygo = TG("0.32.0", "go1.22.3"), .go = "go1.22.0"},
    {"tinygo 0.33.0 has wasip2", "tinygo", OK, "TinyGo 0.33.0, built with go1.23.0: -target=wasip2 supported", .lang = GO, .tinygo = TG("0.33.0", "go1.23.0"), .go = "go1.23.0"},
    {"tinygo 0.29.0", "tinygo", ERR, "-target=wasip2 needs TinyGo 0.33.0", .lang = GO, .tinygo = TG("0.29.0", "go1.21.0"), .go = "go1.21.0", .fix = "install TinyGo 0.41.x, the newest that accepts go1.21.0"},
    {"tinygo 0.43.0", "tinygo", OK, "newer than the TinyGo releases this setup-wash knows", .lang = GO, .tinygo = TG("0.43.0", "go1.27.0"), .go = "go1.27.0"},
    {"tinygo nonsense", "tinygo", WARN, "cannot read a TinyGo version from 'tinygo: command not found'", .lang = GO, .tinygo = "tinygo: command not found", .go = "go1.25.0"},
    {"tinygo hangs", "tinygo", ERR, "'tinygo version' timed out after 10 s", .lang = GO, .tinygo = "!timeout", .go = "go1.25.0"},
    /* ---- wasm-tools, wit-bindgen-go ---- */
    {"wasm-tools absent", "wasm-tools", ERR, "wasm-tools not found on PATH: TinyGo's wasip2 builds run it", "cargo install --locked wasm-tools", .lang = GO},
    {"WASMTOOLS not executable", "wasm-tools", ERR, "WASMTOOLS is '/opt/wt', which is not an executable file", .lang = GO, .wasmtools_env = true},
    {"wasm-tools ok", "wasm-tools", OK, "wasm-tools 1.226.0 (on PATH)", .lang = GO, .wasm_tools = "wasm-tools 1.226.0 (a5c5a3a2c 2025-02-20)\n", .key = "version", .val = "1.226.0"},
    {"wasm-tools from WASMTOOLS", "wasm-tools", OK, "wasm-tools 1.240.0 (from WASMTOOLS)", .lang = GO, .wasm_tools = "wasm-tools 1.240.0", .wasmtools_env = true},
    {"wasm-tools nonsense", "wasm-tools", WARN, "cannot read a version from 'oops'", .lang = GO, .wasm_tools = "oops"},
    {"wasm-tools not needed by Rust", "wasm-tools", SKIP, "only TinyGo's wasip2 builds need wasm-tools", .lang = RUST},
    {"wit-bindgen-go 0.6.1 with wasm-tools 1.226.0", "wit-bindgen-go", ERR, "wit-bindgen-go 0.6.1 (/usr/bin/wit-bindgen-go) breaks with wasm-tools 1.226.0", "go install go.bytecodealliance.org/cmd/wit-bindgen-go@latest", .lang = GO, .wbg = "wit-bindgen-go version v0.6.1", .wasm_tools = "wasm-tools 1.226.0"},
    {"wit-bindgen-go 0.6.1 with wasm-tools 1.225.0", "wit-bindgen-go", OK, "works with wasm-tools 1.225.0; wasm-tools 1.226.0 or newer will need wit-bindgen-go 0.6.2", .lang = GO, .wbg = "wit-bindgen-go version v0.6.1", .wasm_tools = "wasm-tools 1.225.0"},
    {"wit-bindgen-go 0.6.2 with wasm-tools 1.240.0", "wit-bindgen-go", OK, "wit-bindgen-go 0.6.2 (/usr/bin/wit-bindgen-go)", .lang = GO, .wbg = "wit-bindgen-go version v0.6.2", .wasm_tools = "wasm-tools 1.240.0"},
    {"wit-bindgen-go pseudo-version", "wit-bindgen-go", OK, "wit-bindgen-go 0.7.1-0.20250704174425-55a8715c694f", .lang = GO, .wbg = "wit-bindgen-go version v0.7.1-0.20250704174425-55a8715c694f (55a8715c694fb4bbe75c269ffd4a0ca14c80c6f1)", .wasm_tools = "wasm-tools 1.240.0"},
    {"wit-bindgen-go from go.mod require", "wit-bindgen-go", ERR, "go.mod requires go.bytecodealliance.org v0.6.0", "go get go.bytecodealliance.org@latest", "go.mod", .lang = GO, .gomod = "module m\n\ngo 1.24\n\nrequire go.bytecodealliance.org v0.6.0\n", .wasm_tools = "wasm-tools 1.227.1"},
    {"wit-bindgen-go from a go.mod require block", "wit-bindgen-go", OK, "go.mod requires go.bytecodealliance.org v0.6.2", .lang = GO, .gomod = "module m\n\ngo 1.24\n\nrequire (\n\tgo.bytecodealliance.org/cm v0.2.2\n\tgo.bytecodealliance.org v0.6.2 // indirect\n)\n\ntool go.bytecodealliance.org/cmd/wit-bindgen-go\n", .wasm_tools = "wasm-tools 1.227.1"},
    {"wit-bindgen-go nowhere", "wit-bindgen-go", SKIP, "wit-bindgen-go is not on PATH and go.mod does not require go.bytecodealliance.org", .lang = GO, .gomod = "module m\ngo 1.24\nrequire go.bytecodealliance.org/cm v0.2.2\n"},
    {"wit-bindgen-go (devel)", "wit-bindgen-go", WARN, "cannot read a version from 'wit-bindgen-go version (devel)'", .lang = GO, .wbg = "wit-bindgen-go version (devel)"},
    {"wit-bindgen-go old, wasm-tools unknown", "wit-bindgen-go", WARN, "and the wasm-tools version is unknown", .lang = GO, .wbg = "wit-bindgen-go version v0.5.0"},
    /* ---- rust ---- */
    {"rustc absent", "rust", ERR, "rustc not found on PATH", "https://rustup.rs", .lang = RUST},
    {"rustc 1.81.0", "rust", ERR, "rustc 1.81.0 is older than 1.82, the first Rust with the wasm32-wasip2 target", "rustup update stable", "Cargo.toml", .lang = RUST, .rustc = RUSTC("1.81.0")},
    {"rustc 1.80.1 pinned by rust-toolchain.toml", "rust", ERR, "rustc 1.80.1 is older than 1.82", "raise the channel in rust-toolchain.toml to 1.82 or newer", "rust-toolchain.toml", .lang = RUST, .rustc = RUSTC("1.80.1"), .rust_toolchain = "rust-toolchain.toml"},
    {"rustc 1.82.0 edge", "rust", OK, "rustc 1.82.0 (stable)", .lang = RUST, .rustc = RUSTC("1.82.0")},
    {"rustc nightly", "rust", OK, "rustc 1.84.0-nightly (nightly)", .lang = RUST, .rustc = RUSTC("1.84.0-nightly"), .key = "channel", .val = "nightly"},
    {"rustc 1.82.0-nightly counts as 1.82", "rust", OK, "(nightly)", .lang = RUST, .rustc = RUSTC("1.82.0-nightly")},
    {"rustc beta", "rust", OK, "rustc 1.84.0-beta.3 (beta)", .lang = RUST, .rustc = RUSTC("1.84.0-beta.3")},
    {"rustc 1.81.0-beta.1", "rust", ERR, "rustc 1.81.0-beta.1 is older than 1.82", .lang = RUST, .rustc = RUSTC("1.81.0-beta.1"), .fix = "rustup update stable", .file = "Cargo.toml"},
    {"rustc nonsense", "rust", WARN, "cannot read a rustc version", .lang = RUST, .rustc = "error: no default toolchain configured\n"},
    {"rust skipped without Cargo.toml", "rust", SKIP, "not a Rust project: no Cargo.toml", .lang = GO},
    {"wasip2 via rustup", "rust-wasip2", OK, "wasm32-wasip2 is installed (rustup target list --installed)", .lang = RUST, .rustc = RUSTC("1.95.0"), .rustup = "wasm32-wasip2\nx86_64-unknown-linux-gnu\n"},
    {"wasip2 missing via rustup", "rust-wasip2", ERR, "the wasm32-wasip2 target is not installed (rustup lists: x86_64-unknown-linux-gnu)", "rustup target add wasm32-wasip2 (or 'setup-wash doctor --fix')", .lang = RUST, .rustc = RUSTC("1.95.0"), .rustup = "x86_64-unknown-linux-gnu\n", .remedy = true},
    {"wasip1 is not wasip2", "rust-wasip2", ERR, "is not installed", .lang = RUST, .rustc = RUSTC("1.95.0"), .rustup = "wasm32-wasip1\nwasm32-wasip2-preview\n", .fix = "rustup target add wasm32-wasip2", .remedy = true},
    {"wasip2 missing, rust-toolchain.toml", "rust-wasip2", ERR, "is not installed", "or list \"wasm32-wasip2\" in the targets of rust-toolchain.toml", "rust-toolchain.toml", .lang = RUST, .rustc = RUSTC("1.95.0"), .rustup = "x86_64-unknown-linux-gnu\n", .rust_toolchain = "rust-toolchain.toml", .remedy = true},
    {"wasip2 via sysroot, no rustup", "rust-wasip2", OK, "wasm32-wasip2 is installed (/usr/lib/rust/lib/rustlib/wasm32-wasip2; no rustup)", .lang = RUST, .rustc = RUSTC("1.85.0"), .no_rustup = true, .sysroot = "/usr/lib/rust\n", .sysroot_wasip2 = true},
    {"wasip2 missing in sysroot", "rust-wasip2", ERR, "rustc's sysroot has no /usr/lib/rust/lib/rustlib/wasm32-wasip2 (and there is no rustup)", "install the wasm32-wasip2 standard library", .lang = RUST, .rustc = RUSTC("1.85.0"), .no_rustup = true, .sysroot = "/usr/lib/rust\n"},
    {"wasip2 needs a new rustc", "rust-wasip2", SKIP, "this rustc has no wasm32-wasip2 target", .lang = RUST, .rustc = RUSTC("1.81.0"), .rustup = ""},
    {"rustup hangs", "rust-wasip2", ERR, "'rustup target list --installed' timed out after 10 s", .lang = RUST, .rustc = RUSTC("1.95.0"), .rustup = "!timeout"},
    {"cargo-component absent is optional", "cargo-component", SKIP, "cargo-component is not installed (optional", .lang = RUST},
    {"cargo-component version", "cargo-component", OK, "cargo-component 0.21.1 (on PATH)", .lang = RUST, .cargo_component = "cargo-component 0.21.1 (8d9b3f6 2025-02-10 wasi:040ec92)\n"},
    {"cargo-component nonsense", "cargo-component", WARN, "cannot read a version", .lang = RUST, .cargo_component = "cargo-component-component\n"},
    /* ---- TypeScript ---- */
    {"node absent", "node", ERR, "node not found on PATH", "https://nodejs.org", .lang = TS},
    {"node ok", "node", OK, "Node.js 20.1.0 (on PATH)", .lang = TS, .node = "v20.1.0\n"},
    {"tsconfig.json alone makes TypeScript", "node", OK, "Node.js 22.12.0", .tsconfig = true, .node = "v22.12.0"},
    {"node skipped without TypeScript", "node", SKIP, "not a TypeScript project", .lang = GO},
    {"jco absent, listed in package.json", "jco", ERR, "jco not found in node_modules/.bin or on PATH", "run 'npm install' (package.json lists @bytecodealliance/jco)", .lang = TS, .pkg_jco = true},
    {"jco absent, not listed", "jco", ERR, "jco not found", "npm install --save-dev @bytecodealliance/jco", "package.json", .lang = TS},
    {"jco ok", "jco", OK, "jco 1.10.2", .lang = TS, .jco = "1.10.2\n", .node = "v20.1.0"},
    /* ---- wash ---- */
    {"wash absent", "wash", ERR, "wash not found on PATH or in the setup-wash cache (/c)", "setup-wash install", .lang = 0},
    {"wash 2.7.0", "wash", OK, "wash 2.7.0 on PATH (/usr/bin/wash): the current wash line, no plugin system (removed in 2.0.0-rc.8)", .wash = "wash 2.7.0\n", .key = "line", .val = "new"},
    {"wash 2.0.0-rc.8 has no plugins", "wash", OK, "no plugin system (removed in 2.0.0-rc.8)", .wash = "wash 2.0.0-rc.8"},
    {"wash 2.0.0-rc.7 loads 0.0.2", "wash", OK, "plugin system (wasmcloud:wash/plugin@0.0.2)", .wash = "wash 2.0.0-rc.7", .key = "plugin-package", .val = "0.0.2"},
    {"wash 1.0.0-beta.6 loads 0.0.2", "wash", OK, "wasmcloud:wash/plugin@0.0.2", .wash = "wash 1.0.0-beta.6"},
    {"wash 1.0.0-beta.5 loads 0.0.1", "wash", OK, "wasmcloud:wash/plugin@0.0.1", .wash = "wash 1.0.0-beta.5"},
    {"wash 1.0.0-beta.1 loads 0.0.1", "wash", OK, "wasmcloud:wash/plugin@0.0.1", .wash = "wash 1.0.0-beta.1"},
    {"wash 1.0.0-rc.2 (inside 2.0.0-rc.3) loads 0.0.2", "wash", OK, "wasmcloud:wash/plugin@0.0.2", .wash = "wash 1.0.0-rc.2"},
    {"wash-cli 0.43.0 is the old line", "wash", WARN, "wash 0.43.0 on PATH (/usr/bin/wash) is the old wash 0.x line", "install the current wash with 'setup-wash install'", .wash = "wash-cli 0.43.0\n", .key = "line", .val = "old"},
    {"wash 1.0.0-alpha.1 unknown", "wash", WARN, "wash 1.0.0-alpha.1 on PATH (/usr/bin/wash) is not a release setup-wash knows", .wash = "wash 1.0.0-alpha.1"},
    {"wash nonsense", "wash", WARN, "cannot read a version from 'wash --version': 'Segmentation fault'", .wash = "Segmentation fault"},
    {"wash hangs", "wash", ERR, "'wash --version' timed out after 10 s (/usr/bin/wash)", .wash = "!timeout"},
    {"wash crashes", "wash", ERR, "'wash --version' failed with exit code 1: boom", .wash = "!fail:boom"},
    {"wash from the cache", "wash", WARN, "wash 2.7.0 from the setup-wash cache (/c/wash/2.7.0/x64/wash): the current wash line, no plugin system (removed in 2.0.0-rc.8); it is not on PATH", "put it on PATH: export PATH=\"/c/wash/2.7.0/x64:$PATH\"", .wash = "wash 2.7.0", .wash_cache = true, .key = "source", .val = "setup-wash cache"},
    {"wash differs from the lock's pin", "wash", WARN, "; plugins.lock pins wash 2.6.0", "install the pinned wash with 'setup-wash install'", "plugins.lock", .wash = "wash 2.7.0", .lock = LOCK_WASH("2.6.0") "\"plugins\": []}"},
    {"wash matches the lock's pin", "wash", OK, "wash 2.6.0 on PATH", .wash = "wash 2.6.0", .lock = LOCK_WASH("2.6.0") "\"plugins\": []}"},
    /* ---- wash-config ---- */
    {"wash-config without a config", "wash-config", SKIP, "no .wash/config.yaml, .yml or .json in 'proj'", .wash = "wash 2.7.0"},
    {"wash-config sets build.command", "wash-config", OK, ".wash/config.yaml sets build.command 'cargo build --target wasm32-wasip2 --release'", .wash = "wash 2.7.0", .washcfg = "build:\n  command: cargo build --target wasm32-wasip2 --release\n", .key = "command", .val = "cargo build --target wasm32-wasip2 --release"},
    {"wash-config lacks build.command", "wash-config", ERR, ".wash/config.yaml sets no build.command, which 'wash build' of wash 2.x needs", "e.g. 'build: {command: tinygo build -target=wasip2", ".wash/config.yaml", .lang = GO, .wash = "wash 2.7.0", .washcfg = "build:\n  dir: build\ndev:\n  command: x\n"},
    {"wash-config with a wash 1.x", "wash-config", SKIP, "wash 1.0.0-rc.2 does not read build.command", .wash = "wash 1.0.0-rc.2", .washcfg = "other: 1\n"},
    {"wash-config with no wash", "wash-config", ERR, "sets no build.command", .washcfg = "# empty\n", .fix = "cargo build", .lang = RUST, .file = ".wash/config.yaml"},
    {"wash config validate accepts it", "wash-config", OK, ".wash/config.yaml sets build.command 'make'; 'wash config validate' accepts it", .wash = "wash 2.7.0", .washcfg = "build:\n  command: make\n", .validate = "", .key = "validate", .val = "ok"},
    {"wash config validate rejects it", "wash-config", ERR, "'wash config validate' rejects .wash/config.yaml (exit code 1): Error: unknown field `biuld` at line 1", "fix what it names in .wash/config.yaml; check with 'wash config validate' in 'proj'", ".wash/config.yaml", .wash = "wash 2.7.0", .washcfg = "biuld:\n  command: make\n", .validate = "!fail:Error: unknown field `biuld`\nat line 1\n", .key = "validate", .val = "failed"},
    {"wash config validate hangs", "wash-config", ERR, "'wash config validate' timed out after 10 s", "finishes in the project", ".wash/config.yaml", .wash = "wash 2.7.0", .washcfg = "build:\n  command: make\n", .validate = "!timeout", .key = "validate", .val = "timeout"},
    {"wash config validate cannot start", "wash-config", ERR, "cannot run 'wash config validate'", .file = ".wash/config.yaml", .wash = "wash 2.7.0", .washcfg = "build:\n  command: make\n", .validate = "!error:Permission denied"},
    {"wash 2.1.0 has no config validate", "wash-config", OK, "sets build.command 'make'", .wash = "wash 2.1.0", .washcfg = "build:\n  command: make\n", .key = "validate", .val = "not run (wash before 2.2.0)"},
    /* ---- host-plugins ---- */
    {"host plugins: none", "host-plugins", SKIP, "no host component plugins: none in .wash/config.yaml, WASH_HOST_PLUGINS is not set", .wash = "wash 2.7.0", .washcfg = "build:\n  command: make\n"},
    {"host plugins: none and no config", "host-plugins", SKIP, "none in a wash config", .wash = "wash 2.7.0"},
    {"host plugins with a release build setup-wash installed", "host-plugins", WARN, "2 host component plugins (2 in .wash/config.yaml (host.hostPlugins)): wash 2.7.0 is a release build (installed by setup-wash), which cannot load them, so 'wash host' and 'wash dev' fail; only builds with the cargo feature 'host-component-plugins' load them; 1 of 2 set no expectedDigest: b.wasm", "build wash from source with '--features host-component-plugins' and put it first on PATH, or remove the entries; pin each entry with expectedDigest", ".wash/config.yaml", .wash = "wash 2.7.0", .installed = true, .washcfg = "host:\n  hostPlugins:\n    - file: a.wasm\n      expectedDigest: sha256:00\n    - file: b.wasm\n", .key = "pinned", .val = "1"},
    {"host plugins from the environment", "host-plugins", WARN, "2 host component plugins (2 in WASH_HOST_PLUGINS): release builds of wash (GitHub releases, the install script, setup-wash) cannot load them", "remove the entries and unset WASH_HOST_PLUGINS; pin each entry with expectedDigest (sha256:...) so that wash refuses a changed component; WASH_HOST_PLUGINS cannot carry digests", .wash = "wash 2.7.0", .hp_env = " ./a.wasm , ,oci://r/b:1", .key = "unpinned", .val = "./a.wasm, oci://r/b:1"},
    {"host plugins all pinned", "host-plugins", WARN, "1 host component plugin (1 in .wash/config.yaml (dev.host_plugins)): wash 2.6.0 is a release build (installed by setup-wash), which cannot load them, so 'wash host' and 'wash dev' fail; only builds with the cargo feature 'host-component-plugins' load them; all 1 set expectedDigest", .file = ".wash/config.yaml", .wash = "wash 2.6.0", .installed = true, .washcfg = "dev:\n  host_plugins: [{file: a.wasm, expectedDigest: sha256:00}]\n", .key = "release-build", .val = "yes"},
    {"host plugins with a wash before 2.6.0", "host-plugins", WARN, "but wash 2.5.0 predates them (they come with 2.6.0) and does not load them", "use wash 2.6.0 or later built with the cargo feature 'host-component-plugins'", ".wash/config.yaml", .wash = "wash 2.5.0", .washcfg = "dev:\n  host_plugins:\n    - file: a.wasm\n"},
    {"host plugins with no wash", "host-plugins", WARN, "release builds of wash", .hp_env = "a.wasm", .key = "release-build", .val = "unknown"},
    /* ---- plugins ---- */
    {"plugins without a lock", "plugins", SKIP, "no plugins.lock in 'proj'", .wash = "wash 2.7.0"},
    {"plugins.lock with no plugins", "plugins", SKIP, "plugins.lock lists no plugins", .wash = "wash 2.7.0", .lock = "{\"lockfile-version\": 1, \"plugins\": []}"},
    {"plugins with a plugin system, data directory unknown", "plugins", SKIP, "plugins.lock lists 1 plugin; where wash keeps them is unknown (HOME is not set), so they were not checked", .wash = "wash 2.0.0-rc.7", .lock = LOCK_PLUGINS(PLUGIN)},
    {"plugins with wash 2.0.0-rc.8: error", "plugins", ERR, "plugins.lock lists 1 plugin, but wash 2.0.0-rc.8 has no plugin system (removed in 2.0.0-rc.8); the last wash with plugins is 2.0.0-rc.7", "pin wash 2.0.0-rc.7 ('setup-wash lock --version 2.0.0-rc.7') or remove the plugins from plugins.lock", "plugins.lock", .wash = "wash 2.0.0-rc.8", .lock = LOCK_PLUGINS(PLUGIN)},
    {"plugins with wash 2.7.0: error", "plugins", ERR, "but wash 2.7.0 has no plugin system", .file = "plugins.lock", .fix = "2.0.0-rc.7", .wash = "wash 2.7.0", .lock = LOCK_PLUGINS(PLUGIN)},
    {"plugins with no wash", "plugins", SKIP, "so they were not checked", .lock = LOCK_PLUGINS(PLUGIN)},
    {"plugin for @0.0.1 with wash 1.0.0-beta.6", "plugins", ERR, "plugin 'blobstore' in plugins.lock exports wasmcloud:wash/plugin@0.0.1, but wash 1.0.0-beta.6 loads @0.0.2", "pin a wash that loads @0.0.1 (from 1.0.0-beta.1, before 1.0.0-beta.6) or a build of 'blobstore' for @0.0.2", "plugins.lock", .wash = "wash 1.0.0-beta.6", .lock = LOCK_PLUGINS(PLUGIN_WIT("0.0.1"))},
    {"plugin for @0.0.2 with wash 1.0.0-beta.5", "plugins", ERR, "exports wasmcloud:wash/plugin@0.0.2, but wash 1.0.0-beta.5 loads @0.0.1", "pin a wash that loads @0.0.2 (from 1.0.0-beta.6, before 2.0.0-rc.8)", "plugins.lock", .wash = "wash 1.0.0-beta.5", .lock = LOCK_PLUGINS("{\"name\": \"other\", \"source\": \"./other.wasm\"}," PLUGIN_WIT("0.0.2"))},
    {"plugin for @0.0.2 with wash 2.0.0-rc.7", "plugins", SKIP, "plugins.lock lists 1 plugin;", .wash = "wash 2.0.0-rc.7", .lock = LOCK_PLUGINS(PLUGIN_WIT("0.0.2"))},
    {"plugins.lock broken", "plugins", ERR, "plugins.lock:1:", "recreate it with 'setup-wash lock'", "plugins.lock", .wash = "wash 2.7.0", .lock = "{not json"},
    /* ---- project ---- */
    {"no project", "project", WARN, "no component project in 'proj'", "pass --project DIR", .lang = 0},
    {"Go project with a toolchain line", "project", OK, "Go (go.mod, toolchain go1.25.1) in 'proj'", .lang = GO, .gomod = "module m\ngo 1.22\ntoolchain go1.25.1\n", .key = "languages", .val = "go"},
    {"every language", "project", OK, "Go (go.mod), Rust (Cargo.toml), TypeScript (package.json) in 'proj'; wash config .wash/config.yaml; plugins.lock", .lang = GO | RUST | TS, .washcfg = "build:\n  command: make\n", .lock = "{\"lockfile-version\": 1}", .key = "languages", .val = "go,rust,typescript"},
};

/* ---- building the facts a row describes ---- */

static void probe(struct sw_probe *p, const char *cmd, const char *path, const char *spec)
{
    memset(p, 0, sizeof(*p));
    snprintf(p->cmd, sizeof(p->cmd), "%s", cmd);
    snprintf(p->path, sizeof(p->path), "%s", path);
    p->timeout_s = 10;
    if (!spec) {
        p->state = SW_PROBE_ABSENT;
    } else if (strcmp(spec, "!timeout") == 0) {
        p->state = SW_PROBE_TIMEOUT;
    } else if (strncmp(spec, "!fail:", 6) == 0) {
        p->state = SW_PROBE_FAILED;
        p->status = 1;
        snprintf(p->detail, sizeof(p->detail), "%s", spec + 6);
    } else if (strncmp(spec, "!error:", 7) == 0) {
        p->state = SW_PROBE_ERROR;
        snprintf(p->detail, sizeof(p->detail), "%s", spec + 7);
    } else {
        p->state = SW_PROBE_OK;
        snprintf(p->out, sizeof(p->out), "%s", spec);
    }
}

static void facts_for(const struct row *r, struct sw_doctor_facts *f, bool *all)
{
    memset(f, 0, sizeof(*f));
    f->project_dir = "proj";
    struct sw_project *p = &f->project;
    if (r->lang & GO) {
        const char *mod = r->gomod ? r->gomod : "module x\n\ngo 1.18\n";
        p->gomod.present = true;
        sw_gomod_parse(mod, strlen(mod), &p->gomod);
    }
    p->cargo = r->lang & RUST;
    if (r->rust_toolchain)
        snprintf(p->rust_toolchain, sizeof(p->rust_toolchain), "%s", r->rust_toolchain);
    if (r->lang & TS) {
        p->pkg.present = true;
        p->pkg.typescript = true;
        p->pkg.jco = r->pkg_jco;
    }
    p->tsconfig = r->tsconfig;
    if (r->washcfg) {
        snprintf(p->washcfg.file, sizeof(p->washcfg.file), ".wash/config.yaml");
        sw_washcfg_parse_yaml(r->washcfg, strlen(r->washcfg), &p->washcfg);
    }
    if (r->lock) {
        p->plugins_lock = true;
        p->plugins_lock_text = strdup(r->lock);
        p->plugins_lock_len = strlen(r->lock);
    }
    for (size_t k = 0; k < sw_check_defs_len; k++)
        all[k] = true;
    unsigned t = sw_doctor_tools(p, all);
    f->cache_root = "/c";
    if (t & SW_T_WASH) {
        f->wash_source = !r->wash ? SW_WASH_NONE : r->wash_cache ? SW_WASH_CACHE : SW_WASH_PATH;
        probe(&f->wash, "wash --version",
              r->wash_cache ? "/c/wash/2.7.0/x64/wash" : "/usr/bin/wash", r->wash);
    }
    if (t & SW_T_GO) {
        probe(&f->go, "go env GOVERSION", "/usr/bin/go", r->go);
        probe(&f->go_local, "GOTOOLCHAIN=local go env GOVERSION", "/usr/bin/go",
              r->go_local ? r->go_local : r->go);
    }
    if (t & SW_T_TINYGO)
        probe(&f->tinygo, "tinygo version", "/usr/bin/tinygo", r->tinygo);
    if (t & SW_T_WASM_TOOLS) {
        f->wasm_tools_from_env = r->wasmtools_env;
        probe(&f->wasm_tools, "wasm-tools --version",
              r->wasmtools_env ? "/opt/wt" : "/usr/bin/wasm-tools", r->wasm_tools);
    }
    if (t & SW_T_WIT_BINDGEN_GO)
        probe(&f->wit_bindgen_go, "wit-bindgen-go --version", "/usr/bin/wit-bindgen-go", r->wbg);
    if (t & SW_T_RUSTC)
        probe(&f->rustc, "rustc -vV", "/usr/bin/rustc", r->rustc);
    if (t & SW_T_RUST_TARGETS) {
        if (r->no_rustup) {
            probe(&f->rustup, "rustup", "rustup", NULL);
            probe(&f->sysroot, "rustc --print sysroot", "/usr/bin/rustc", r->sysroot);
            f->sysroot_has_wasip2 = r->sysroot_wasip2;
        } else {
            probe(&f->rustup, "rustup target list --installed", "/usr/bin/rustup", r->rustup);
        }
    }
    if (t & SW_T_CARGO_COMPONENT)
        probe(&f->cargo_component, "cargo-component --version", "/usr/bin/cargo-component",
              r->cargo_component);
    if (t & SW_T_NODE)
        probe(&f->node, "node --version", "/usr/bin/node", r->node);
    if (t & SW_T_JCO)
        probe(&f->jco, "jco --version", "/usr/bin/jco", r->jco);
    f->gotoolchain = r->gotoolchain;
    f->tinygo_gocompat = r->gocompat;
    if (r->validate)
        probe(&f->wash_validate, "wash config validate", "/usr/bin/wash", r->validate);
    f->host_plugins_env = r->hp_env;
    f->wash_installed = r->installed;
}

static void test_row(void **state)
{
    const struct row *r = *state;
    struct sw_doctor_facts f;
    bool all[64];
    facts_for(r, &f, all);
    struct sw_report rep;
    sw_doctor_run(&f, all, &rep);
    const struct sw_check *c = NULL;
    for (size_t i = 0; i < rep.n; i++)
        if (strcmp(rep.checks[i].id, r->id) == 0)
            c = &rep.checks[i];
    if (!c)
        fail_msg("no check '%s' in the report", r->id);
    if (c->status != r->want)
        fail_msg("%s is %s, want %s: %s (fix: %s)", r->id, sw_check_status_name(c->status),
                 sw_check_status_name(r->want), c->message, c->fix);
    if (r->msg && !strstr(c->message, r->msg))
        fail_msg("message '%s' lacks '%s'", c->message, r->msg);
    bool failing = c->status == SW_CHECK_WARN || c->status == SW_CHECK_ERROR;
    if (failing && !c->fix[0])
        fail_msg("a %s without a fix: %s", sw_check_status_name(c->status), c->message);
    if (!failing && c->fix[0])
        fail_msg("a fix on a %s: %s", sw_check_status_name(c->status), c->fix);
    if (r->fix && !strstr(c->fix, r->fix))
        fail_msg("fix '%s' lacks '%s'", c->fix, r->fix);
    if ((r->file == NULL) != (c->file == NULL) || (r->file && strcmp(r->file, c->file) != 0))
        fail_msg("file is '%s', want '%s'", c->file ? c->file : "(none)",
                 r->file ? r->file : "(none)");
    if (r->remedy != (c->remedy != NULL))
        fail_msg("%s a fix for doctor --fix, want %s", c->remedy ? "has" : "has no",
                 r->remedy ? "one" : "none");
    if (c->remedy)
        assert_string_equal(c->remedy->argv[0], "rustup");
    if (r->key) {
        const char *val = NULL;
        for (size_t k = 0; k < c->nfound; k++)
            if (strcmp(c->found[k].key, r->key) == 0)
                val = c->found[k].val;
        if (!val || strcmp(val, r->val) != 0)
            fail_msg("found[%s] is '%s', want '%s'", r->key, val ? val : "(absent)", r->val);
    }
    /* every check reports, in table order, with a message */
    assert_int_equal(rep.n, sw_check_defs_len);
    for (size_t i = 0; i < rep.n; i++) {
        assert_string_equal(rep.checks[i].id, sw_check_defs[i].id);
        assert_true(rep.checks[i].message[0] != '\0');
    }
    sw_report_free(&rep);
    sw_project_free(&f.project);
}

/* When io/probe.c runs `wash config validate`: a wash that has it, and a config to check. */
static void test_validates(void **state)
{
    (void)state;
    static const struct {
        const char *wash, *cfg;
        bool want;
    } cases[] = {
        {"wash 2.2.0", "build:\n  command: make\n", true},
        {"wash 2.7.1", "x: 1\n", true},
        {"wash 2.1.9", "build:\n  command: make\n", false},
        {"wash 2.2.0-rc.1", "build:\n  command: make\n", false},
        {"wash 2.7.0", NULL, false},
        {NULL, "build:\n  command: make\n", false},
        {"!timeout", "build:\n  command: make\n", false},
    };
    for (size_t i = 0; i < ROWS(cases); i++) {
        struct row r = {.wash = cases[i].wash, .washcfg = cases[i].cfg};
        struct sw_doctor_facts f;
        bool all[64];
        facts_for(&r, &f, all);
        if (sw_doctor_validates(&f) != cases[i].want)
            fail_msg("case %zu (%s): validates is %d", i, cases[i].wash ? cases[i].wash : "none",
                     !cases[i].want);
        sw_project_free(&f.project);
    }
}

/* What doctor --fix installs for a Go project (sw_doctor_toolfix): the lock's TinyGo when its
 * range holds the Go that will build, else tinygo@auto; wasm-tools when none is on PATH (the
 * lock's, else latest) and WASMTOOLS names none; nothing when the checks pass or the Go is not
 * known. */
static void test_toolfix(void **state)
{
    (void)state;
    static const struct {
        const char *name, *go, *tinygo, *wasm_tools;
        bool wasmtools_env;
        const char *pin_tinygo, *pin_wasm_tools; /* the lock's versions, NULL: not pinned */
        const char *want_tinygo, *want_wasm_tools;
    } cases[] = {
        {"too old for the Go, no lock: auto", "go1.26.1", TG("0.39.0", "go1.25.0"), "wasm-tools 1.244.0", false, NULL, NULL, "auto", ""},
        {"too old, the lock's pin fits: the pin", "go1.26.1", TG("0.39.0", "go1.25.0"), "wasm-tools 1.244.0", false, "0.41.1", NULL, "0.41.1", ""},
        {"too old, the lock's pin does not fit: auto", "go1.26.1", TG("0.39.0", "go1.25.0"), "wasm-tools 1.244.0", false, "0.40.1", NULL, "auto", ""},
        {"too new for TinyGo 0.42's lower edge: auto", "go1.24.3", TG("0.42.0", "go1.25.5"), "wasm-tools 1.244.0", false, "0.42.0", NULL, "auto", ""},
        {"built with an older Go: auto", "go1.25.5", TG("0.39.0", "go1.24.4"), "wasm-tools 1.244.0", false, NULL, NULL, "auto", ""},
        {"in range: nothing", "go1.25.5", TG("0.40.1", "go1.25.0"), "wasm-tools 1.244.0", false, "0.40.1", NULL, "", ""},
        {"no wasm-tools, no pin: latest", "go1.25.5", TG("0.40.1", "go1.25.0"), NULL, false, NULL, NULL, "", "latest"},
        {"no wasm-tools, a pin: the pin", "go1.25.5", TG("0.40.1", "go1.25.0"), NULL, false, NULL, "1.244.0", "", "1.244.0"},
        {"WASMTOOLS names a missing program: the user's to fix", "go1.25.5", TG("0.40.1", "go1.25.0"), NULL, true, NULL, "1.244.0", "", ""},
        {"no go: the Go is unknown, TinyGo left alone", NULL, TG("0.39.0", "go1.25.0"), "wasm-tools 1.244.0", false, "0.41.1", NULL, "", ""},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct row r = {.name = cases[i].name, .lang = GO, .go = cases[i].go,
                        .tinygo = cases[i].tinygo, .wasm_tools = cases[i].wasm_tools,
                        .wasmtools_env = cases[i].wasmtools_env};
        struct sw_doctor_facts f;
        bool all[64];
        facts_for(&r, &f, all);
        char tg[] = "tinygo", wt[] = "wasm-tools", vtg[16] = "", vwt[16] = "";
        snprintf(vtg, sizeof(vtg), "%s", cases[i].pin_tinygo ? cases[i].pin_tinygo : "");
        snprintf(vwt, sizeof(vwt), "%s", cases[i].pin_wasm_tools ? cases[i].pin_wasm_tools : "");
        struct sw_lock_tool tools[2] = {{.name = tg, .version = vtg}, {.name = wt, .version = vwt}};
        struct sw_pin_fact pins[2];
        size_t npins = 0;
        for (size_t k = 0; k < 2; k++)
            if (tools[k].version[0])
                pins[npins++] = (struct sw_pin_fact){.pin = &tools[k]};
        f.pins = pins;
        f.npins = npins;
        struct sw_report rep;
        sw_doctor_run(&f, all, &rep);
        struct sw_toolfix fix;
        sw_doctor_toolfix(&f, &rep, &fix);
        if (strcmp(fix.tinygo, cases[i].want_tinygo) != 0 ||
            strcmp(fix.wasm_tools, cases[i].want_wasm_tools) != 0)
            fail_msg("%s: tinygo '%s' wasm-tools '%s', want '%s' and '%s'", cases[i].name,
                     fix.tinygo, fix.wasm_tools, cases[i].want_tinygo, cases[i].want_wasm_tools);
        sw_report_free(&rep);
        sw_project_free(&f.project);
    }
}

int main(void)
{
    struct CMUnitTest *tests = calloc(ROWS(rows) + 2, sizeof(*tests));
    size_t n = 0;
    for (size_t i = 0; i < ROWS(rows); i++) {
        char *name = malloc(160);
        snprintf(name, 160, "%s: %s", rows[i].id, rows[i].name);
        tests[n++] = (struct CMUnitTest){name, test_row, NULL, NULL, (void *)&rows[i]};
    }
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_validates);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_toolfix);
    int rc = _cmocka_run_group_tests("doctor", tests, n, NULL, NULL);
    for (size_t i = 0; i < ROWS(rows); i++)
        free((void *)tests[i].name); /* the last two tests' names are literals */
    free(tests);
    return rc;
}
