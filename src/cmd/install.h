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
    bool has_prov; /* the marker has a provenance record (written since provenance exists) */
    struct sw_install_prov prov;
};

/* Reads the marker at `marker`; false when it is missing, unreadable or incomplete, or `exe`
 * is not a file. */
bool sw_install_read_marker(const char *marker, const char *exe, struct sw_installed *in);

/* Writes the marker atomically. */
int sw_install_write_marker(const char *marker, const char *version, const char *tag,
                            const char *repo, const char *asset, const char *digest,
                            const char *verified, const struct sw_install_prov *prov,
                            struct sw_error *err);

struct sw_install_outcome {
    const char *version, *tag, *repo, *target, *asset, *digest, *verified;
    const char *exe, *dir;
    bool cache_hit;
    const struct sw_install_prov *prov;
    const char *held_back; /* the newer match --min-release-age held back; NULL or "" for none */
};

/* Sets the outputs, adds to PATH, appends the job summary, and prints the result (--json: one
 * object) on stdout. */
int sw_install_report(struct sw_ctx *ctx, bool json, const struct sw_install_outcome *o,
                      struct sw_error *err);

#endif
