/* Versions that work together: the Go that will build a project, and the rules the lock,
 * install and doctor check a toolchain against (data/toolchains.h holds the numbers).
 *
 *   TinyGo <-> Go   the Go minor range of each TinyGo release line, and from 0.34 "no newer
 *                   than the Go TinyGo was built with" where the version of tinygo shows it
 *   wasip2          TinyGo's -target=wasip2 runs wasm-tools
 *   wit-bindgen-go  older than SW_WBG_MIN breaks with wasm-tools SW_WASMTOOLS_BREAK and newer
 *
 * Pure logic, no I/O: io/probe.c runs `go env GOVERSION` and reads go.mod/go.sum; each rule
 * returns a verdict whose message names both sides and whose fix is worded for whoever asks
 * (doctor installs, lock pins, install re-locks). Messages quote text from outside (go output,
 * go.mod) as it came, for the writers to sanitise. */
#ifndef SW_COMPAT_H
#define SW_COMPAT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/project.h"
#include "core/semver.h"
#include "core/toolver.h"
#include "data/toolchains.h"

/* ---- the table ---- */

/* Parses a table version string that must be valid (a broken table is a programming error,
 * caught by the unit tests; it reads as 0.0.0 here). */
struct sw_semver sw_chk_ver(const char *s);

/* "X.Y.Z" of v without prerelease, for comparing with table rows. */
struct sw_semver sw_chk_release(const struct sw_semver *v);

/* The TinyGo table row holding v (compared as its X.Y.Z), or NULL. */
const struct sw_tinygo_row *sw_tinygo_row_for(const struct sw_semver *v);

/* The oldest / newest row that accepts Go 1.<minor>, or NULL; the first row with a flag
 * (SW_TG_*), else the last row. */
const struct sw_tinygo_row *sw_tinygo_first_row_for(unsigned minor);
const struct sw_tinygo_row *sw_tinygo_last_row_for(unsigned minor);
const struct sw_tinygo_row *sw_tinygo_first_row_with(unsigned flag);

/* "0.38.x": the newest minor version of a row, into buf[n]. */
void sw_tinygo_row_last(const struct sw_tinygo_row *r, char *buf, size_t n);

/* ---- the Go that will build ---- */

enum sw_go_src {
    SW_GO_SRC_PATH,      /* the Go on PATH itself */
    SW_GO_SRC_ENV,       /* GOTOOLCHAIN=goX.Y.Z (also with +auto / +path) */
    SW_GO_SRC_TOOLCHAIN, /* the toolchain line of go.mod */
    SW_GO_SRC_GOLINE,    /* the go line of go.mod (GOTOOLCHAIN=auto switched up to it) */
    SW_GO_SRC_GOMOD,     /* no go on PATH: go.mod's toolchain line, else its go line */
};

/* What selects the Go, as `found.source` and the lock say it: "PATH", "GOTOOLCHAIN",
 * "go.mod toolchain", "go.mod go", "go.mod (no go on PATH)". */
const char *sw_go_src_name(enum sw_go_src s);

/* What was observed; every field may be NULL (not observed). */
struct sw_gobuild_in {
    const char *answer;      /* `go env GOVERSION` run in the project */
    const char *local;       /* `GOTOOLCHAIN=local go env GOVERSION` run outside it */
    bool go_absent;          /* there is no go on PATH */
    const char *gotoolchain; /* $GOTOOLCHAIN */
    const struct sw_gomod *mod;
};

struct sw_gobuild {
    bool known; /* v is the Go that will build */
    struct sw_gover v;
    enum sw_go_src src;
    char who[320]; /* "Go on PATH is go1.25.1", "GOTOOLCHAIN=go1.25.1 selects go1.25.1 (Go on
                    * PATH is go1.22.4)", "no go on PATH: go.mod's toolchain line names
                    * go1.25.1", or why it is unknown */
};

/* The Go that will build: go's own answer in the project (GOTOOLCHAIN and go.mod already
 * applied by go itself), attributed to what selected it; without a go on PATH, go.mod's
 * toolchain line, else its go line, saying so. out->known is false when nothing tells (no go
 * and no go.mod, or an answer that does not parse); out->who then says why. */
void sw_gobuild_select(const struct sw_gobuild_in *in, struct sw_gobuild *out);

/* ---- the rules ---- */

/* Who asks: the fix is worded for them. */
enum sw_compat_for {
    SW_COMPAT_FOR_DOCTOR,  /* install a TinyGo, change the Go */
    SW_COMPAT_FOR_LOCK,    /* lock another TinyGo, change the Go */
    SW_COMPAT_FOR_INSTALL, /* re-lock (or ask for) another TinyGo, change the Go */
};

enum sw_compat_status {
    SW_COMPAT_OK,
    SW_COMPAT_WARN,  /* cannot be judged, or TinyGo was told to ignore the rule */
    SW_COMPAT_ERROR, /* the set does not build */
    SW_COMPAT_NA,    /* the rule does not apply (message says why) */
};

struct sw_compat_verdict {
    enum sw_compat_status status;
    char message[768]; /* both sides: "TinyGo 0.39.0 supports Go 1.19-1.25, Go on PATH is ..." */
    char fix[512];     /* "" for ok and na */
    const char *file;  /* the project file the fix is in ("go.mod"), or NULL; static */
};

/* Whether TinyGo v accepts Go g (the range of its row; false for a TinyGo outside the table
 * or a Go that is not 1.x). tinygo@auto takes the newest release for which this holds. */
bool sw_compat_tinygo_accepts(const struct sw_semver *tinygo, const struct sw_gover *g);

/* Whether TinyGo v's Go range misses the Go that will build (a row of the table that rejects
 * a known Go 1.x: the rule's error, not a TinyGo outside the table): true with why[n] saying
 * it for the bump's held-back line, "needs Go \u2265 1.25, the project builds with go1.24.3" or
 * "supports Go up to 1.24, the project builds with go1.26.1" (the Go text as it came). */
bool sw_compat_tinygo_misses(const struct sw_semver *tinygo, const struct sw_gobuild *g, char *why,
                             size_t n);

/* tinygo@auto found nothing: no release in the table accepts Go g; `newest` is the newest
 * TinyGo release there is. An error naming g, newest's range (or that setup-wash does not know
 * it) and the Go to build with. */
void sw_compat_tinygo_none(const struct sw_semver *newest, const struct sw_gobuild *g,
                           struct sw_compat_verdict *out);

/* TinyGo's Go range against the Go that will build (g->known must be true). `compat_off`
 * names a setting that turns TinyGo's range check off ("TINYGO_GOCOMPATIBILITY=false"), or
 * NULL: from the TinyGo that honours it, a range error becomes a warning. `mod` (may be NULL)
 * words the fix when go.mod's go line forces the Go. A TinyGo newer than the table is a
 * warning (not checked); one older is na. */
void sw_compat_tinygo_go(const struct sw_semver *tinygo, const struct sw_gobuild *g,
                         const struct sw_gomod *mod, const char *compat_off, enum sw_compat_for who,
                         struct sw_compat_verdict *out);

/* TinyGo 0.34+: the Go that will build is not newer (by minor version) than `built`, the Go
 * TinyGo was built with (from `tinygo version`). na before 0.34. */
void sw_compat_tinygo_built(const struct sw_semver *tinygo, const struct sw_gover *built,
                            const struct sw_gobuild *g, struct sw_compat_verdict *out);

/* The lock pins TinyGo (able to build wasip2) for a Go project but no wasm-tools, which
 * TinyGo's wasip2 builds run: a warning; na for a TinyGo without wasip2. */
void sw_compat_wasip2_tools(const struct sw_semver *tinygo, bool wasm_tools,
                            struct sw_compat_verdict *out);

/* Why TinyGo needs wasm-tools, for messages: "TinyGo's wasip2 builds run it". */
#define SW_COMPAT_WASIP2_WHY "TinyGo's wasip2 builds run it"

/* wit-bindgen-go `wbg` (seen at `wbg_where`: "go.mod requires go.bytecodealliance.org v0.5.0",
 * or a path; `from_mod` when it came from go.mod or go.sum, so the fix is go.mod's) against
 * wasm-tools `wt` (NULL: unknown; `wt_where` adds where it is, e.g. "locked", or NULL).
 * Error when wbg < SW_WBG_MIN and wt >= SW_WASMTOOLS_BREAK; a warning when wt is unknown. */
void sw_compat_wbg(const struct sw_semver *wbg, const char *wbg_where, bool from_mod,
                   const struct sw_semver *wt, const char *wt_where, enum sw_compat_for who,
                   struct sw_compat_verdict *out);

#endif
