/* Facts about where wash releases live, as tables the code reads (wash-facts.md sections 1-2).
 * When wasmCloud moves wash again or adds a tag form, this is the one place to change. */
#ifndef SW_DATA_WASH_H
#define SW_DATA_WASH_H

#include <stddef.h>

/* Which product line a release belongs to. */
enum sw_line {
    SW_LINE_NEW, /* wash 1.0.0-beta.1 and later: components, plugins (until 2.0.0-rc.7) */
    SW_LINE_OLD, /* the old wash 0.x line, a different product with the same asset names */
};

/* A tag form that marks a wash CLI release: tags `<prefix><semver>` in `repo` whose version is
 * in [min, max_excl) are wash releases of `line`. Anything else in those repositories (host
 * releases v1.x, wash-runtime-v*, runtime-operator/v*) is not wash. */
struct sw_tag_rule {
    const char *repo;
    const char *prefix;
    const char *min;      /* inclusive semver */
    const char *max_excl; /* exclusive semver; NULL for open-ended */
    enum sw_line line;
};

extern const struct sw_tag_rule sw_tag_rules[];
extern const size_t sw_tag_rules_len;

/* Repositories to list for `latest`, `rc` and ranges, newest first. `newest` is the newest wash
 * version a repository can hold (NULL: still publishing). Once the best match found so far is
 * newer than a later repository's `newest`, that repository is not asked at all. */
struct sw_repo_info {
    const char *repo;
    const char *newest;
};

extern const struct sw_repo_info sw_repos[];
extern const size_t sw_repos_len;

/* Prefix of every wash binary asset name: wash-<rust target triple>[.zip|.exe|...]. */
#define SW_ASSET_PREFIX "wash-"

/* Provenance (wash-facts.md section 2). GitHub build-provenance attestations, Sigstore bundles
 * signed by a release workflow of the repository, exist from `sw_attested_since` on and are
 * served by GET /repos/{owner}/{repo}/attestations/sha256:{hex}; from `sw_sigstore_asset_since`
 * the release also carries the bundle as the asset SW_SIGSTORE_ASSET. One bundle lists every
 * binary of the release as a subject. */
#define SW_SIGSTORE_ASSET "wash.sigstore.json"
extern const char *const sw_attested_since;
extern const char *const sw_sigstore_asset_since;

/* The exact signer of each attested release (wash-facts.md section 2, read from the workflows at
 * each tag): releases [min, max] of `repo` were signed by the workflow
 * https://github.com/<repo>/.github/workflows/<workflow>@<ref>, where "{version}" in `ref`
 * stands for the release's version. A ref under refs/tags/ binds the version: the certificate's
 * source ref must be that tag too. A release newer than every row's `max` (a wash the table
 * does not know yet) is checked only against the repository (any workflow of it), and the
 * output says so; sw_signer_table_newest is that bound. */
struct sw_signer {
    const char *repo;
    const char *min, *max; /* inclusive semver */
    const char *workflow;  /* file name under .github/workflows/ */
    const char *ref;       /* "refs/tags/wash-v{version}", "refs/heads/main" */
};

extern const struct sw_signer sw_signers[];
extern const size_t sw_signers_len;

/* Rust target triples wash has ever been published for, for messages and --target checks. */
extern const char *const sw_known_targets[];
extern const size_t sw_known_targets_len;

#endif
