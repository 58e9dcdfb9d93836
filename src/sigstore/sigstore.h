/* Sigstore bundle verification, offline, with OpenSSL 3 and cJSON: the provenance check of a
 * wash release (a GitHub artifact attestation made by actions/attest-build-provenance).
 *
 * What is verified, in this order (../shared/docs/sigstore-recipe.md):
 *   1. the bundle parses strictly (media type v0.1, v0.2, v0.3 in every spelling; JSON or JSON
 *      Lines, one bundle a line as `gh attestation download` writes);
 *   2. each Rekor v1 log entry: the signed entry timestamp (SET) with the log key of the trusted
 *      root valid at that time, the RFC 6962 inclusion proof, the signed checkpoint, and the
 *      entry body against the bundle (payload hash, signature, certificate) for `dsse` 0.0.1,
 *      `intoto` 0.0.2 and `hashedrekord` 0.0.1 entries; the integrated time is the signing time;
 *   3. the Fulcio certificate: signing time inside its validity, chain to a CA of the trusted root
 *      valid at that time, verified at that time, code-signing usage, an embedded SCT from a CT
 *      log of the trusted root;
 *   4. the DSSE envelope: exactly one signature over the PAE, by the certificate's key;
 *   5. the in-toto statement: type, predicate type, and the artifact digest among the subjects;
 *   6. the identity policy: issuer, source repository, signer workflow.
 *
 * Not supported, reported as such (sw_provenance.unsupported, a message starting with
 * SW_SIGSTORE_UNSUPPORTED) and never as a pass: RFC 3161 timestamps (GitHub's private Sigstore
 * instance), Rekor v2 entries, bundles signed with a public key instead of a certificate.
 *
 * Every failure is SW_EXIT_VERIFY with a message that names the failed check first.
 *
 * The rules of src/sigstore/ (checked by tests/lint/layout.py):
 *   - it includes only sigstore/, core/ and data/ headers, OpenSSL and cJSON; the one file it
 *     reads (a trusted root given by path) goes through io/fs.h, in root.c alone;
 *   - nothing here prints, exits, reads the clock, runs a program or touches the network: the
 *     caller (cmd/provenance.c) fetches the bundle, passes the time, and reports;
 *   - every input is untrusted and capped before use (the SW_SIG_MAX_* limits of internal.h);
 *   - what it cannot check is "unsupported", never a pass;
 *   - only this header is for other modules; internal.h is for the files of src/sigstore/. */
#ifndef SW_SIGSTORE_H
#define SW_SIGSTORE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

#define SW_SIGSTORE_GITHUB_ISSUER "https://token.actions.githubusercontent.com"
#define SW_SIGSTORE_SLSA_V1 "https://slsa.dev/provenance/v1"
/* Every "cannot check this" message starts with this. */
#define SW_SIGSTORE_UNSUPPORTED "unsupported bundle: "

/* A parsed trusted_root.json (Rekor logs, Fulcio CAs, CT logs, with their validity windows).
 * Opaque; read-only once loaded, so one root may serve any number of verifications. */
struct sw_sigstore_root;

/* Parses a trusted root from JSON text; `name` (a path, or "the embedded trusted root") is used
 * in messages. On success *out is a new root the caller frees with sw_sigstore_root_free. On
 * failure returns -1 with err (SW_EXIT_USAGE: a bad trusted root is a bad input file) and
 * leaves *out NULL. */
int sw_sigstore_root_load_json(const char *text, size_t len, const char *name,
                               struct sw_sigstore_root **out, struct sw_error *err);

/* Reads and parses a trusted_root.json file (--trusted-root FILE); at most 4 MiB. Errors as
 * sw_sigstore_root_load_json, and SW_EXIT_FS when the file cannot be read. */
int sw_sigstore_root_load_file(const char *path, struct sw_sigstore_root **out,
                               struct sw_error *err);

/* The Sigstore public-good root compiled into the binary from src/data/trusted_root.json. */
int sw_sigstore_root_load_embedded(struct sw_sigstore_root **out, struct sw_error *err);

/* The embedded root's bytes (for `--trusted-root` documentation and tests); static storage. */
const unsigned char *sw_sigstore_root_embedded_json(size_t *len);

/* Frees a root; NULL is a no-op. */
void sw_sigstore_root_free(struct sw_sigstore_root *root);

/* Who must have signed, as data. Strings are borrowed (static tables or the caller's); NULL
 * means "not checked" except for `issuer`, which is required. Comparisons of URIs are
 * case-insensitive (GitHub owner and repository names are), the issuer is exact. */
struct sw_sigstore_policy {
    const char *name;              /* what is expected, for messages: "wasmCloud/wasmCloud" */
    const char *issuer;            /* OIDC issuer (OID 1.3.6.1.4.1.57264.1.8, legacy .1.1) */
    const char *source_repository; /* OID .1.12, e.g. "https://github.com/wasmCloud/wasmCloud" */
    const char *san_prefix;        /* the signer (SAN URI) starts with this */
    const char *san_exact;         /* the signer (SAN URI, email) is exactly this */
    const char *source_ref;        /* OID .1.14 is exactly this (binds a tag) */
    const char *predicate_type;    /* the statement's predicateType; NULL accepts any */
    bool allow_message_signature;  /* accept a plain message signature (hashedrekord) bundle */
    /* A signer workflow that runs on one of several refs (wasm-tools' publish.yml, on pushes
     * to main and to release-* branches). With san_refs set, the signer (SAN URI) must be
     * exactly "<san_workflow>@<ref>" (compared exactly, as san_exact is), ref must match an
     * entry of san_refs, NULL-ended (equal to it, or, for an entry ending in '*', starting with
     * what precedes the '*' and going on past it), and the certificate's source ref (OID
     * .1.14) must be that same ref. */
    const char *san_workflow;    /* "https://github.com/<owner>/<repo>/.github/workflows/x.yml" */
    const char *const *san_refs; /* {"refs/heads/main", "refs/heads/release-*", NULL} */
};

/* The policy for wash releases of `repository` ("wasmCloud/wasmCloud" or "wasmCloud/wash",
 * case-insensitive): GitHub's OIDC issuer, that source repository, a signer workflow of that
 * repository (https://github.com/<owner>/<repo>/.github/workflows/...), SLSA provenance v1.
 * Returns static storage, or NULL for any other repository. */
const struct sw_sigstore_policy *sw_sigstore_policy_wash(const char *repository);

/* The artifact's digests; give at least one. Subjects are matched on every digest given; a
 * message-signature bundle needs sha256. The npm bundles of the sigstore-js fixtures list only
 * sha512 subjects, hence the second field. */
struct sw_sigstore_digests {
    const unsigned char *sha256; /* 32 bytes, or NULL */
    const unsigned char *sha512; /* 64 bytes, or NULL */
};

/* What a verification proved. Strings are copies with control characters replaced (safe to
 * print), cut to their buffers. */
struct sw_provenance {
    char issuer[256];            /* OIDC issuer */
    char signer[512];            /* SAN: the signer workflow URI (or an email) */
    char workflow[512];          /* the SAN without scheme, host and ref: "<owner>/<repo>/<path>" */
    char workflow_ref[256];      /* the SAN after '@': the signer workflow's ref */
    char source_repository[256]; /* OID .1.12 */
    char source_ref[256];        /* OID .1.14: "refs/heads/main", "refs/tags/v2.1.0" */
    char source_digest[96];      /* OID .1.13: the commit */
    char predicate_type[128];    /* "" for a message signature */
    char subject[256];           /* name of the subject that matched the artifact */
    long long signed_at;         /* Rekor integrated time, Unix seconds */
    char signed_at_text[32];     /* the same as RFC 3339 UTC: "2024-05-24T19:14:24Z" */
    long long log_index;         /* Rekor log index of the entry */
    char bundle_digest[80];      /* "sha256:<hex>" of the bundle bytes given (the whole file) */
    size_t bundle_count;         /* bundles in the input (JSON Lines may hold several) */
    size_t bundle_index;         /* 0-based index of the bundle that verified */
    bool unsupported;            /* on failure: every bundle used something not supported */
};

/* Verifies the Sigstore bundle file `bundle` (len bytes: one JSON bundle, or JSON Lines with at
 * most 64) for an artifact with the given SHA-256, under `root` and `policy`. With several
 * bundles, succeeds when one verifies (as gh does). Returns 0 and fills *out on success; -1
 * with err (SW_EXIT_VERIFY) on failure, naming the failed check (for several bundles, that of
 * the bundle which got furthest), with out->unsupported set when the failure is
 * SW_SIGSTORE_UNSUPPORTED. `out` is always written. No argument may be NULL. */
int sw_sigstore_verify(const char *bundle, size_t len, const struct sw_sigstore_root *root,
                       const unsigned char sha256[32], const struct sw_sigstore_policy *policy,
                       struct sw_provenance *out, struct sw_error *err);

/* The same with any set of digests (sha512 subjects). */
int sw_sigstore_verify_digests(const char *bundle, size_t len, const struct sw_sigstore_root *root,
                               const struct sw_sigstore_digests *artifact,
                               const struct sw_sigstore_policy *policy, struct sw_provenance *out,
                               struct sw_error *err);

#endif
