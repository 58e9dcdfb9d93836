/* What install reports and remembers: the cache marker (<dir>.complete) and the outputs
 * (GITHUB_OUTPUT, GITHUB_PATH, the job summary, --json, the text on stdout). Shared by
 * install.c (the flow) and install_out.c. */
#ifndef SW_CMD_INSTALL_H
#define SW_CMD_INSTALL_H

#include <stdbool.h>

#include "cmd/ctx.h"
#include "sigstore/sigstore.h"

/* The provenance part of an install's result: the status word (core/verify.h's names), why
 * nothing more was proven, and, when verified, what was. */
struct sw_install_prov {
    char status[16];
    char detail[1200];
    char source[16];   /* "asset" or "attestations": where the verified bundle came from */
    char identity[16]; /* verified: "release" (its exact signer) or "repository" (newer than the
                        * signer table: any workflow of the repository) */
    struct sw_provenance p;
};

/* What the marker records, so a cache hit reports the same outputs without a request. */
struct sw_installed {
    char tag[160];
    char repo[80];
    char asset[160];
    char digest[80];
    char verified[16];
    char exe_digest[80]; /* "sha256:<hex>" of the executable as installed ("" in old markers) */
    char exe_stamp[160]; /* its sw_fs_stamp when that digest was taken */
    bool has_prov; /* the marker has a provenance record (written since provenance exists) */
    struct sw_install_prov prov;
};

/* Reads the marker at `marker` (never through a symlink); false when it is missing,
 * unreadable or incomplete. Whether the executable still holds its bytes is the caller's
 * check (exe_digest, exe_stamp). */
bool sw_install_read_marker(const char *marker, struct sw_installed *in);

/* Writes the marker atomically: the release, the asset's digest, how it was verified, the
 * executable's own digest and stamp (io/fs.h), and the provenance. */
int sw_install_write_marker(const char *marker, const char *version, const char *tag,
                            const char *repo, const char *asset, const char *digest,
                            const char *verified, const char *exe_digest, const char *exe_stamp,
                            const struct sw_install_prov *prov, struct sw_error *err);

/* Rewrites the marker's executable stamp after a re-hash proved the bytes (a cache restore
 * changes the stamp, not the bytes), so the next hit needs no re-hash. */
int sw_install_restamp_marker(const char *marker, const char *exe_stamp, struct sw_error *err);

struct sw_install_outcome {
    const char *version, *tag, *repo, *target, *asset, *digest, *verified;
    const char *exe, *dir;
    bool cache_hit;
    const struct sw_install_prov *prov;
    const char *held_back; /* the newer match --min-release-age held back; NULL or "" for none */
};

/* Sets the outputs, adds to PATH, appends the job summary, and prints the result (--json: one
 * object) on stdout. `tools` (a cJSON array of the toolchain's results, or NULL) becomes the
 * object's "tools"; it is taken over either way. */
int sw_install_report(struct sw_ctx *ctx, bool json, const struct sw_install_outcome *o,
                      void *tools, struct sw_error *err);

#endif
