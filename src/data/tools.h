/* The component toolchain as data (toolchain-facts.md sections 2-3): one row per tool that
 * setup-wash installs, and everything the shared resolver, downloader, verifier, unpacker and
 * cache need to know about it. Adding a tool means adding a row here (and a test).
 *
 * wash is a row too, but its tag forms, asset choice and signers are the older tables of
 * data/wash.h (sw_tool.wash marks it): the wash code paths keep using those. */
#ifndef SW_DATA_TOOLS_H
#define SW_DATA_TOOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A tag form: tags `<prefix><semver>` of `repo` whose version lies in [min, max_excl) are
 * releases of the tool. A repository may have several forms (wasm-tools' `wasm-tools-1.0.N`
 * before `v1.200.0`). */
struct sw_tool_tag {
    const char *repo;
    const char *prefix;
    const char *min;      /* inclusive semver */
    const char *max_excl; /* exclusive semver; NULL: open-ended */
};

/* The asset that serves one target (a Rust target triple, as --target takes) for the versions
 * in [min, max_excl). "{version}" in `name` stands for the version ("0.40.1"). Several targets
 * may share one asset (a static Linux build serves gnu and musl hosts). */
struct sw_tool_asset {
    const char *target;
    const char *name;
    const char *min;      /* NULL: from the first version */
    const char *max_excl; /* NULL: open-ended */
};

/* What can vouch for an asset beyond the digest GitHub's API reports (toolchain-facts.md
 * section 3). */
enum sw_tool_check {
    SW_TOOL_CHECK_API,          /* only the API's digest (or a lock pin) */
    SW_TOOL_CHECK_CHECKSUMS,    /* a sha256 checksum file among the release's assets */
    SW_TOOL_CHECK_ATTESTATIONS, /* GitHub build provenance from `attested_since` on */
};

struct sw_tool {
    const char *name;    /* as the command line and plugins.lock spell it: "wasm-tools" */
    const char *display; /* for messages: "wasm-tools", "TinyGo" */
    bool wash;           /* wash itself: data/wash.h holds its rules */
    /* TOOL@auto: the newest release whose Go range holds the Go that will build
     * (core/compat.h); only TinyGo has such a range */
    bool auto_by_go;

    const struct sw_tool_tag *tags;
    size_t ntags;
    /* Tags never taken, even when asked for exactly: moving tags ("dev", "canary") and
     * prereleases whose first identifier is `never_pre` (TinyGo's "-dev" builds). NULL-ended. */
    const char *const *never_tags;
    const char *never_pre;

    const struct sw_tool_asset *assets;
    size_t nassets;

    /* The executable, relative to the tool's root, without ".exe": "bin/tinygo", "wkg". When
     * the asset is an archive whose entries all sit in one top folder, that folder is the
     * root. */
    const char *exe;
    /* The directory that goes on PATH, relative to the root ("" for the root itself). */
    const char *bin;
    /* The unpacked tree as a whole is the install (TinyGo's folder is its TINYGOROOT): every
     * file is kept and proven on a cache hit, not only the executable. */
    bool tree;
    /* Environment variable that must point at the root, or NULL ("TINYGOROOT"). */
    const char *root_env;

    enum sw_tool_check check;
    const char *checksums;      /* CHECKSUMS: the checksum file's asset name */
    const char *attested_since; /* ATTESTATIONS: first attested version */
    const char *signer_workflow; /* ATTESTATIONS: ".github/workflows/publish.yml" */
    const char *const *signer_refs; /* refs the signer may run on; "*" ends a prefix. NULL-ended */

    /* Limits for unpacking (0: the defaults of io/archive.h). */
    uint64_t max_entries;
    uint64_t max_bytes;

    /* How the program reports its version, for messages and doctor: the argument it takes. */
    const char *version_arg;
};

extern const struct sw_tool sw_tools[];
extern const size_t sw_tools_len;

/* The row for a name ("tinygo"), or NULL. */
const struct sw_tool *sw_tool_named(const char *name);

/* The tool names, comma-separated, for messages: "wash, tinygo, wasm-tools, ...". */
const char *sw_tool_names(void);

/* The Rust target triples the tool table knows, for messages and the lock. */
extern const char *const sw_tool_targets[];
extern const size_t sw_tool_targets_len;

#endif
