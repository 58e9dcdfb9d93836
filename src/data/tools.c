#include "data/tools.h"

#include <stdio.h>
#include <string.h>

/* The targets a tool may be installed for: --target takes these (core/target.h parses them). */
const char *const sw_tool_targets[] = {
    "x86_64-unknown-linux-gnu",  "aarch64-unknown-linux-gnu", "x86_64-unknown-linux-musl",
    "aarch64-unknown-linux-musl", "x86_64-apple-darwin",      "aarch64-apple-darwin",
    "x86_64-pc-windows-msvc",    "aarch64-pc-windows-msvc",
};
const size_t sw_tool_targets_len = sizeof(sw_tool_targets) / sizeof(sw_tool_targets[0]);

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- TinyGo: tinygo-org/tinygo, vX.Y.Z; one folder tinygo/ that is TINYGOROOT ---- */
static const struct sw_tool_tag tinygo_tags[] = {{"tinygo-org/tinygo", "v", "0.0.0", NULL}};
static const char *const tinygo_never[] = {NULL};
/* No musl and no Windows arm64 builds; the Linux builds link glibc. */
static const struct sw_tool_asset tinygo_assets[] = {
    {"x86_64-unknown-linux-gnu", "tinygo{version}.linux-amd64.tar.gz", NULL, NULL},
    {"aarch64-unknown-linux-gnu", "tinygo{version}.linux-arm64.tar.gz", NULL, NULL},
    {"x86_64-apple-darwin", "tinygo{version}.darwin-amd64.tar.gz", NULL, NULL},
    {"aarch64-apple-darwin", "tinygo{version}.darwin-arm64.tar.gz", NULL, NULL},
    {"x86_64-pc-windows-msvc", "tinygo{version}.windows-amd64.zip", NULL, NULL},
};

/* ---- wasm-tools: bytecodealliance/wasm-tools, v1.NNN.P (wasm-tools-1.0.N before 1.200.0) ---- */
static const struct sw_tool_tag wasm_tools_tags[] = {
    {"bytecodealliance/wasm-tools", "v", "1.200.0", NULL},
    {"bytecodealliance/wasm-tools", "wasm-tools-", "1.0.0", "1.200.0"},
};
static const char *const wasm_tools_never[] = {NULL};
static const struct sw_tool_asset wasm_tools_assets[] = {
    {"x86_64-unknown-linux-gnu", "wasm-tools-{version}-x86_64-linux.tar.gz", NULL, NULL},
    {"aarch64-unknown-linux-gnu", "wasm-tools-{version}-aarch64-linux.tar.gz", NULL, NULL},
    {"x86_64-unknown-linux-musl", "wasm-tools-{version}-x86_64-musl.tar.gz", "1.236.0", NULL},
    {"aarch64-unknown-linux-musl", "wasm-tools-{version}-aarch64-musl.tar.gz", "1.236.0", NULL},
    {"x86_64-apple-darwin", "wasm-tools-{version}-x86_64-macos.tar.gz", NULL, NULL},
    {"aarch64-apple-darwin", "wasm-tools-{version}-aarch64-macos.tar.gz", NULL, NULL},
    {"x86_64-pc-windows-msvc", "wasm-tools-{version}-x86_64-windows.zip", NULL, NULL},
    {"aarch64-pc-windows-msvc", "wasm-tools-{version}-aarch64-windows.zip", "1.244.0", NULL},
};
/* publish.yml runs on pushes to main and to release-* branches */
static const char *const wasm_tools_refs[] = {"refs/heads/main", "refs/heads/release-*", NULL};

/* ---- wkg: bytecodealliance/wasm-pkg-tools, vX.Y.Z and a moving "dev"; raw binaries ---- */
static const struct sw_tool_tag wkg_tags[] = {{"bytecodealliance/wasm-pkg-tools", "v", "0.0.0", NULL}};
static const char *const wkg_never[] = {"dev", NULL};
static const struct sw_tool_asset wkg_assets[] = {
    {"x86_64-unknown-linux-gnu", "wkg-x86_64-unknown-linux-gnu", NULL, NULL},
    {"aarch64-unknown-linux-gnu", "wkg-aarch64-unknown-linux-gnu", NULL, NULL},
    {"x86_64-apple-darwin", "wkg-x86_64-apple-darwin", NULL, NULL},
    {"aarch64-apple-darwin", "wkg-aarch64-apple-darwin", NULL, NULL},
    /* a Windows executable without ".exe": installed as wkg.exe */
    {"x86_64-pc-windows-msvc", "wkg-x86_64-pc-windows-gnu", NULL, NULL},
};

/* ---- componentize-go: bytecodealliance/componentize-go, vX.Y.Z and a moving "canary" ---- */
static const struct sw_tool_tag cgo_tags[] = {{"bytecodealliance/componentize-go", "v", "0.0.0", NULL}};
static const char *const cgo_never[] = {"canary", NULL};
/* Go builds without cgo: static, so the Linux builds serve musl hosts too */
static const struct sw_tool_asset cgo_assets[] = {
    {"x86_64-unknown-linux-gnu", "componentize-go-linux-amd64.tar.gz", NULL, NULL},
    {"x86_64-unknown-linux-musl", "componentize-go-linux-amd64.tar.gz", NULL, NULL},
    {"aarch64-unknown-linux-gnu", "componentize-go-linux-arm64.tar.gz", NULL, NULL},
    {"aarch64-unknown-linux-musl", "componentize-go-linux-arm64.tar.gz", NULL, NULL},
    {"x86_64-apple-darwin", "componentize-go-darwin-amd64.tar.gz", NULL, NULL},
    {"aarch64-apple-darwin", "componentize-go-darwin-arm64.tar.gz", NULL, NULL},
    {"x86_64-pc-windows-msvc", "componentize-go-windows-amd64.zip", NULL, NULL},
};

static const char *const no_tags[] = {NULL};

const struct sw_tool sw_tools[] = {
    {
        .name = "wash",
        .display = "wash",
        .wash = true,
        .never_tags = no_tags,
        .exe = "wash",
        .bin = "",
        .check = SW_TOOL_CHECK_ATTESTATIONS, /* and wash.sigstore.json: data/wash.h */
        .version_arg = "--version",
    },
    {
        .name = "tinygo",
        .auto_by_go = true,
        .display = "TinyGo",
        .tags = tinygo_tags,
        .ntags = LEN(tinygo_tags),
        .never_tags = tinygo_never,
        .never_pre = "dev",
        .assets = tinygo_assets,
        .nassets = LEN(tinygo_assets),
        .exe = "bin/tinygo",
        .bin = "bin",
        .tree = true,
        .root_env = "TINYGOROOT",
        .check = SW_TOOL_CHECK_API,
        /* thousands of files, some 500 MB unpacked */
        .max_entries = 100000,
        .max_bytes = (uint64_t)4 << 30,
        .version_arg = "version",
    },
    {
        .name = "wasm-tools",
        .display = "wasm-tools",
        .tags = wasm_tools_tags,
        .ntags = LEN(wasm_tools_tags),
        .never_tags = wasm_tools_never,
        .assets = wasm_tools_assets,
        .nassets = LEN(wasm_tools_assets),
        .exe = "wasm-tools",
        .bin = "",
        .check = SW_TOOL_CHECK_ATTESTATIONS,
        .attested_since = "1.241.2",
        .signer_workflow = ".github/workflows/publish.yml",
        .signer_refs = wasm_tools_refs,
        .version_arg = "--version",
    },
    {
        .name = "wkg",
        .display = "wkg",
        .tags = wkg_tags,
        .ntags = LEN(wkg_tags),
        .never_tags = wkg_never,
        .assets = wkg_assets,
        .nassets = LEN(wkg_assets),
        .exe = "wkg",
        .bin = "",
        .check = SW_TOOL_CHECK_API,
        .version_arg = "--version",
    },
    {
        .name = "componentize-go",
        .display = "componentize-go",
        .tags = cgo_tags,
        .ntags = LEN(cgo_tags),
        .never_tags = cgo_never,
        .assets = cgo_assets,
        .nassets = LEN(cgo_assets),
        .exe = "componentize-go",
        .bin = "",
        .check = SW_TOOL_CHECK_CHECKSUMS,
        .checksums = "checksums.txt",
        .version_arg = "--version",
    },
};
const size_t sw_tools_len = LEN(sw_tools);

const struct sw_tool *sw_tool_named(const char *name)
{
    for (size_t i = 0; name && i < sw_tools_len; i++)
        if (strcmp(sw_tools[i].name, name) == 0)
            return &sw_tools[i];
    return NULL;
}

const char *sw_tool_names(void)
{
    static char names[256];
    if (!names[0])
        for (size_t i = 0, at = 0; i < sw_tools_len && at < sizeof(names); i++)
            at += (size_t)snprintf(names + at, sizeof(names) - at, "%s%s", i ? ", " : "",
                                   sw_tools[i].name);
    return names;
}
