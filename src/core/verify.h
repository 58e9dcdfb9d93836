/* Verification of a downloaded artifact before anything is installed.
 *
 * The seam: sw_verify_artifact runs the checks the mode asks for, in order, and reports the
 * strongest that passed in result->verified. Today the checks are the SHA-256 digest (pinned
 * in plugins.lock or reported by the GitHub API); the Sigstore provenance check plugs in here
 * as another step with its own mode. */
#ifndef SW_VERIFY_H
#define SW_VERIFY_H

#include <stdbool.h>

#include "core/error.h"

enum sw_verify_mode {
    SW_VERIFY_AUTO,   /* every check the release allows; a digest is required */
    SW_VERIFY_DIGEST, /* the SHA-256 digest must match */
    SW_VERIFY_NONE,   /* nothing checked (warned about; never the default) */
};

/* Parses "auto", "digest", "none". -1 with err (SW_EXIT_USAGE) otherwise. */
int sw_verify_mode_parse(const char *s, enum sw_verify_mode *out, struct sw_error *err);

struct sw_verify_input {
    const char *asset;           /* file name, for messages */
    const unsigned char *sha256; /* 32 bytes computed while downloading */
    const char *expected;        /* "sha256:<hex>" or NULL when none is known */
    const char *expected_source; /* "plugins.lock", "the GitHub API" */
};

struct sw_verify_result {
    char verified[16]; /* "digest" or "none": what was proven */
    char actual[80];   /* "sha256:<hex>" of the bytes */
};

/* Returns 0 when the artifact may be installed; -1 with err (SW_EXIT_VERIFY) naming both
 * digests on a mismatch, or saying that no digest is known and how to get one. */
int sw_verify_artifact(enum sw_verify_mode mode, const struct sw_verify_input *in,
                       struct sw_verify_result *out, struct sw_error *err);

/* "sha256:<64 lowercase hex>" of 32 bytes into buf (at least 72 bytes). */
void sw_digest_format(const unsigned char sha256[32], char *buf, size_t n);

#endif
