/* What a component project is made of: the facts doctor needs from its files, and the parsers
 * that read them from text. Pure logic; io/probe.c reads the files and calls these.
 *
 * Ownership: a `struct sw_project` owns plugins_lock (malloc'd text); sw_project_free()
 * releases it and is a no-op on a zeroed struct. Everything else is inline arrays. */
#ifndef SW_PROJECT_H
#define SW_PROJECT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

/* go.mod, read line by line: `go`, `toolchain`, the version of go.bytecodealliance.org
 * (the module that holds cmd/wit-bindgen-go) in a `require` line or block, and whether a `tool`
 * line or block names its cmd/wit-bindgen-go; and from go.sum, the newest version of that
 * module it lists. */
struct sw_gomod {
    bool present;
    char go[32];        /* "1.22.4" from `go 1.22.4`, "" when absent */
    char toolchain[64]; /* "go1.25.1" from `toolchain go1.25.1`, "" when absent */
    char wbg[80];       /* "v0.6.2", "" when not required */
    bool wbg_tool;      /* `tool go.bytecodealliance.org/cmd/wit-bindgen-go` */
    char wbg_sum[80];   /* "v0.6.2": the newest in go.sum, "" when it lists none */
};

/* Fills g from go.mod text (g->present is set by the caller). Never fails: unknown lines are
 * ignored, values are cut to fit and stripped of control characters. */
void sw_gomod_parse(const char *text, size_t len, struct sw_gomod *g);

/* Fills g->wbg_sum from go.sum text: of the lines "go.bytecodealliance.org vX.Y.Z[/go.mod]
 * h1:...", the newest version that parses. Never fails; other lines are ignored. */
void sw_gosum_parse(const char *text, size_t len, struct sw_gomod *g);

/* The wit-bindgen-go version the project builds with: go.mod's requirement, else go.sum's;
 * NULL when neither names one. where[n] gets what said so ("go.mod requires
 * go.bytecodealliance.org v0.5.0", "go.sum lists ..."). */
const char *sw_gomod_wbg(const struct sw_gomod *g, char *where, size_t n);

/* .wash/config.{yaml,yml,json}: whether `build.command` is set (non-empty). */
struct sw_washcfg {
    char file[32];      /* ".wash/config.yaml" etc., "" when there is none */
    bool invalid;       /* JSON that does not parse; error says where */
    char error[256];
    bool has_command;
    char command[512]; /* the command, cut to fit */
    /* host component plugins (wash 2.6+) listed under host.hostPlugins or dev.host_plugins */
    unsigned host_plugins;           /* entries */
    unsigned host_plugins_pinned;    /* entries that set expectedDigest */
    char host_plugin_keys[40];       /* the keys that list some: "host.hostPlugins, ..." */
    char host_plugins_unpinned[256]; /* the sources of entries without expectedDigest, cut */
};

/* Reads `build.command` and the host plugin lists from YAML with a small line-based reader.
 * What it understands of build.command:
 *   build:                      a top-level `build:` key (column 0), then the first
 *     command: tinygo build ... more-indented `command:` key of that block, its value
 *     command: "quoted"         plain, 'single' or "double" quoted, a `# comment` removed;
 *     command: |                or a block scalar (| or >) / a sequence (- item) on the
 *       make build              following more-indented lines (the first line is kept);
 *   build: {command: make}      or a one-line flow mapping.
 * Limits: no anchors, aliases, tags or multi-line flow mappings; tabs are not indentation;
 * several documents (`---`) are read as one; keys must be plain (not quoted).
 * The host plugin lists are `host:` then `hostPlugins:` (and `dev:` then `host_plugins:`)
 * followed by block sequence items (`- file: x.wasm` with more keys on the following lines,
 * `- {oci: ..., expectedDigest: ...}` or `- plain-source`) or a one-line flow sequence
 * (`[a, {file: b, expectedDigest: sha256:...}]`). An entry is pinned when it has an
 * `expectedDigest` key; its source is the value of its first key (or the plain item). */
void sw_washcfg_parse_yaml(const char *text, size_t len, struct sw_washcfg *c);

/* Reads `build.command` and the host plugin lists from JSON; a syntax error sets invalid and error ("<file>:L:C: ..."). */
void sw_washcfg_parse_json(const char *text, size_t len, struct sw_washcfg *c);

/* package.json: whether dependencies or devDependencies name `typescript` or
 * `@bytecodealliance/jco`. Invalid JSON sets invalid. */
struct sw_pkgjson {
    bool present;
    bool invalid;
    bool typescript; /* lists typescript */
    bool jco;        /* lists @bytecodealliance/jco */
};

void sw_pkgjson_parse(const char *text, size_t len, struct sw_pkgjson *p);

struct sw_project {
    bool cargo;                  /* Cargo.toml */
    char rust_toolchain[32];     /* "rust-toolchain.toml" / "rust-toolchain" / "" */
    struct sw_gomod gomod;
    struct sw_pkgjson pkg;
    bool tsconfig;               /* tsconfig.json */
    bool jco_local;              /* node_modules/.bin/jco */
    struct sw_washcfg washcfg;
    bool plugins_lock;           /* plugins.lock exists */
    char *plugins_lock_text;     /* its text (owned), NULL when absent or unreadable */
    size_t plugins_lock_len;
    char plugins_lock_error[256]; /* why it could not be read, "" when it was */
};

/* A TypeScript project: package.json with typescript or jco, or a tsconfig.json. */
bool sw_project_is_ts(const struct sw_project *p);

void sw_project_free(struct sw_project *p);

#endif
