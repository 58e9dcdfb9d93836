/* Verification of a downloaded artifact before anything is installed.
 *
 * The seam: sw_verify_artifact checks the SHA-256 digest (pinned in plugins.lock or reported
 * by the GitHub API); the Sigstore provenance check (cmd/provenance.c, with sigstore/sigstore.h)
 * runs after it, and the rules below decide, as data, what each mode asks for and what each
 * outcome of that check means. result->verified is the strongest check that passed. */
#ifndef SW_VERIFY_H
#define SW_VERIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "core/semver.h"

enum sw_verify_mode {
    SW_VERIFY_AUTO,       /* the digest, plus provenance where the release has an attestation */
    SW_VERIFY_DIGEST,     /* the SHA-256 digest must match */
    SW_VERIFY_PROVENANCE, /* the digest and provenance must both pass (fails closed) */
    SW_VERIFY_NONE,       /* nothing checked (warned about; never the default) */
};

/* Parses "auto", "digest", "provenance", "none". -1 with err (SW_EXIT_USAGE) otherwise. */
int sw_verify_mode_parse(const char *s, enum sw_verify_mode *out, struct sw_error *err);
const char *sw_verify_mode_name(enum sw_verify_mode mode);

/* What the provenance check found. */
enum sw_prov_status {
    SW_PROV_SKIPPED,      /* the mode does not ask for it (digest, none) */
    SW_PROV_NOT_ATTESTED, /* the release predates attestations: only the digest can be checked */
    SW_PROV_NOT_FOUND,    /* no bundle: no release asset, and the attestations API lists none */
    SW_PROV_UNREACHABLE,  /* the bundle could not be fetched (network, rate limit) */
    SW_PROV_UNSUPPORTED,  /* every bundle uses something this verifier cannot check */
    SW_PROV_FAILED,       /* a bundle did not verify, or is not the one the lock pins */
    SW_PROV_VERIFIED,     /* a bundle verified: the artifact comes from the release workflow */
};

/* "skipped", "not-attested", "not-found", "unreachable", "unsupported", "failed", "verified":
 * the words of the `provenance` output and of the cache marker. */
const char *sw_prov_status_name(enum sw_prov_status st);
/* The status named s; false when s names none. */
bool sw_prov_status_parse(const char *s, enum sw_prov_status *out);

/* What to do with an outcome of the provenance check. */
enum sw_prov_action {
    SW_PROV_ACCEPT,      /* verified: install, verified=provenance */
    SW_PROV_DIGEST_ONLY, /* install on the digest alone and say so plainly (info) */
    SW_PROV_WARN,        /* install on the digest alone, with a warning */
    SW_PROV_REJECT,      /* refuse: nothing is installed */
};

/* The decision table: auto accepts the digest alone for a release without attestations (said
 * plainly) and, with a warning, when no bundle can be had or checked; a bundle that does not
 * verify is refused in every mode; provenance refuses everything but a verified bundle. */
enum sw_prov_action sw_verify_prov_action(enum sw_verify_mode mode, enum sw_prov_status st);

/* Whether a wash version was published with a build-provenance attestation (from
 * sw_attested_since, data/wash.c), and with the wash.sigstore.json asset (from
 * sw_sigstore_asset_since). */
bool sw_version_attested(const struct sw_semver *v);
bool sw_version_has_sigstore_asset(const struct sw_semver *v);

/* Who must have signed a release, from the table sw_signers (data/wash.h). */
enum sw_signer_kind {
    SW_SIGNER_RELEASE,    /* a known release: exactly the workflow and ref of its row */
    SW_SIGNER_REPOSITORY, /* newer than the newest release of the whole table (an unknown future
                           * wash): any workflow of the repository (the rule before the table) */
    SW_SIGNER_UNKNOWN,    /* not in the table and not newer than it (or not a version) */
};

struct sw_signer_expect {
    enum sw_signer_kind kind;
    char san[512];        /* RELEASE: the certificate SAN the bundle must carry */
    char source_ref[256]; /* RELEASE whose ref is a tag: the source ref it must carry; else "" */
    char newest[64];      /* the newest release the table knows */
};

/* Looks up the signer of `version` of `repo` (case-insensitive) and fills *out. Pure. */
void sw_signer_expected(const char *repo, const char *version, struct sw_signer_expect *out);

/* Whether the mode asks for the provenance check on a release (attested or not). */
bool sw_verify_wants_provenance(enum sw_verify_mode mode, bool attested);

/* Whether a cached install, verified as its marker says (`verified`: "none", "digest",
 * "provenance"; `prov`: the provenance status name, NULL for a marker older than provenance),
 * satisfies the mode: none takes anything; digest takes a checked digest; provenance takes
 * only provenance; auto takes provenance, or a digest whose provenance check could not do more
 * for lasting reasons (not attested, no bundle, unsupported), never one that was skipped or
 * hit a network failure. */
bool sw_verify_cached_ok(enum sw_verify_mode mode, const char *verified, const char *prov);

struct sw_verify_input {
    const char *asset;           /* file name, for messages */
    const unsigned char *sha256; /* 32 bytes computed while downloading */
    const char *expected;        /* "sha256:<hex>" or NULL when none is known */
    const char *expected_source; /* "plugins.lock", "the GitHub API" */
};

struct sw_verify_result {
    char verified[16];        /* "provenance", "digest" or "none": what was proven */
    char actual[80];          /* "sha256:<hex>" of the bytes */
    enum sw_prov_status prov; /* what the provenance check found (SKIPPED until it runs) */
};

/* The digest step. Returns 0 when the artifact may go on to the provenance step (verified is
 * "digest", or "none" with SW_VERIFY_NONE); -1 with err (SW_EXIT_VERIFY) naming both digests
 * on a mismatch, or saying that no digest is known and how to get one. */
int sw_verify_artifact(enum sw_verify_mode mode, const struct sw_verify_input *in,
                       struct sw_verify_result *out, struct sw_error *err);

/* "sha256:<64 lowercase hex>" of 32 bytes into buf (at least 72 bytes). */
void sw_digest_format(const unsigned char sha256[32], char *buf, size_t n);

/* The 32 bytes of a valid "sha256:<hex>" digest (either case). -1 when it is not one. */
int sw_digest_parse(const char *digest, unsigned char out[32]);

#endif
