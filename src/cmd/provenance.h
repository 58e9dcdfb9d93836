/* The provenance step that install and lock share: get the Sigstore bundle of a wash release
 * (the copy plugins.lock pins, from the cache; else the wash.sigstore.json asset; else the
 * attestations API), verify it (sigstore/sigstore.h) for the artifact's SHA-256 under wash's
 * identity policy, and decide with core/verify.h's table what the outcome means for the mode.
 *
 * A tool of data/tools.h other than wash (sw_prov_request.tool) goes the same way with its
 * row's rules: with check SW_TOOL_CHECK_ATTESTATIONS (wasm-tools) only the attestations API is
 * asked (there is no bundle asset), only for versions from the row's `attested_since`, and the
 * bundle must verify under sw_prov_tool_policy; a tool with any other check, or an older
 * version, is "not attested" without a request.
 * Ownership: the env owns the trusted root it loads; an outcome owns its bundle bytes. */
#ifndef SW_CMD_PROVENANCE_H
#define SW_CMD_PROVENANCE_H

#include <stdbool.h>

#include "cmd/ctx.h"
#include "core/buf.h"
#include "core/lock.h"
#include "core/verify.h"
#include "data/tools.h"
#include "sigstore/sigstore.h"

struct sw_prov_env {
    struct sw_ctx *ctx;
    const char *trusted_root; /* --trusted-root, else SETUP_WASH_TRUSTED_ROOT; NULL: embedded */
    struct sw_sigstore_root *root; /* loaded on first use */
    double root_ms;                /* time the root took to load */
};

/* Frees the root; the env may be used again. */
void sw_prov_env_free(struct sw_prov_env *env);

struct sw_prov_request {
    /* The tool the release is of (a row of sw_tools, borrowed). NULL or the wash row: wash,
     * with the rules of data/wash.h (signer table, wash.sigstore.json, sw_attested_since). */
    const struct sw_tool *tool;
    enum sw_verify_mode mode;
    const char *version, *tag, *repo;
    const char *asset;           /* the artifact's name, for messages */
    const unsigned char *sha256; /* the artifact's SHA-256 (already checked against its digest) */
    int has_asset;               /* the release lists wash.sigstore.json: 1, 0, -1 unknown */
    enum sw_prov_source pin_source; /* the lock's pin for this version, or SW_PROV_SOURCE_NONE */
    const char *pin_bundle;         /* "sha256:..." pinned, or NULL */
    const char *lock_path;          /* for messages about the pin */
    const char *refused;            /* what a refusal means: NULL, "nothing was installed" */
};

struct sw_prov_outcome {
    enum sw_prov_status status;
    enum sw_prov_action action;
    enum sw_prov_source source;   /* where the verified bundle came from */
    bool from_cache;              /* the pinned bundle was in the cache: no request */
    struct sw_provenance prov;    /* what was proven, when VERIFIED */
    char detail[1200];            /* why it is not VERIFIED (for the info or warning line) */
    struct sw_buf bundle;         /* the verified bundle's bytes */
    double fetch_ms, verify_ms;   /* getting the bundle; loading the root and verifying */
    int error_code;               /* UNREACHABLE: the class of the network failure */
    enum sw_signer_kind identity; /* which identity rule applied (core/verify.h); for a tool,
                                   * SW_SIGNER_RELEASE: its row's workflow on its refs */
    const struct sw_tool *tool;   /* the request's tool (NULL: wash), for sw_prov_verify_other */
    char identity_note[900];      /* VERIFIED under the repository-wide rule: says so; else "" */
};

void sw_prov_outcome_free(struct sw_prov_outcome *o);

/* The identity policy of a tool release, and the strings it points to. */
struct sw_prov_tool_policy {
    struct sw_sigstore_policy policy;
    char repo[160];              /* "bytecodealliance/wasm-tools": policy.name */
    char source_repository[200]; /* "https://github.com/bytecodealliance/wasm-tools" */
    char san_workflow[400];      /* source_repository + "/" + the row's signer_workflow */
};

/* The policy a bundle of a release of `tool` from `repo` must meet: GitHub's OIDC issuer, the
 * source repository https://github.com/<repo>, SLSA provenance v1, and a signer that is
 * exactly https://github.com/<repo>/<signer_workflow>@<ref> with ref one of the row's
 * signer_refs ("refs/heads/release-*" is a prefix) and the certificate's source ref that same
 * ref (sw_sigstore_policy.san_workflow and san_refs). Fills *buf and returns &buf->policy,
 * whose strings point into buf and the row; NULL when the row's check is not
 * SW_TOOL_CHECK_ATTESTATIONS, it names no workflow or refs, it is wash, or repo is not a
 * repository of its tag forms (the policy binds to the table, not to what a lock says). */
const struct sw_sigstore_policy *sw_prov_tool_policy(const struct sw_tool *tool, const char *repo,
                                                     struct sw_prov_tool_policy *buf);

/* Runs the step. Returns 0 when the artifact may be installed (out->action is ACCEPT,
 * DIGEST_ONLY or WARN, with out->detail saying why for the last two), or -1 with err when it
 * must not: SW_EXIT_VERIFY for a bundle that does not verify or, with --verify provenance, for
 * any outcome but a verified bundle; a network failure keeps its class; a bad trusted root is
 * SW_EXIT_USAGE or SW_EXIT_FS. Makes no request when the mode does not ask for provenance, the
 * release is not attested (a tool version before its `attested_since`, a tool that publishes
 * no provenance) or the pinned bundle is in the cache. */
int sw_prov_check(struct sw_prov_env *env, const struct sw_prov_request *rq,
                  struct sw_prov_outcome *out, struct sw_error *err);

/* What sw_prov_check refuses whatever the bytes, refused before they are downloaded: with
 * --verify provenance, a release that predates attestations (or a tool that publishes none).
 * rq->sha256 may be NULL. 0 when the download may go on (the step itself runs after it), or -1
 * with err as sw_prov_check fails. Makes no request. */
int sw_prov_precheck(struct sw_prov_env *env, const struct sw_prov_request *rq,
                     struct sw_error *err);

/* Verifies a bundle that already verified (o->bundle) for another artifact of the same
 * release, under the same policy (wash's, or o->tool's): does that bundle list it too? 0 or -1
 * with err (SW_EXIT_VERIFY). */
int sw_prov_verify_other(struct sw_prov_env *env, const struct sw_prov_outcome *o, const char *repo,
                         const unsigned char sha256[32], struct sw_error *err);

/* What `lock` pins for a release's provenance: the bundle of its first asset (the host's
 * build), verified, kept in the cache (<cache root>/.setup-wash/bundles/) and checked to list
 * the other assets too (a warning names those it does not). */
struct sw_prov_lock_request {
    enum sw_verify_mode mode; /* none and digest pin nothing */
    const struct sw_tool *tool; /* NULL or the wash row: wash */
    const char *what;           /* "wash", "wasm-tools": for messages */
    const char *version, *tag, *repo, *lock_path;
    int has_asset; /* the release lists wash.sigstore.json: 1, 0, -1 unknown */
    const char *const *names;   /* the assets, the one to look the bundle up by first */
    const char *const *digests; /* their "sha256:..." */
    size_t n;
};

struct sw_prov_lock_result {
    bool pinned;
    enum sw_prov_source source;
    char bundle[80];  /* "sha256:..." of the bundle's bytes */
    char signer[512]; /* the signer workflow, for the result line */
};

/* Runs the provenance step for locking. Returns 0 (out->pinned false when the release has no
 * provenance to pin or the mode asks for none, said on stderr), or -1 with err as sw_prov_check
 * fails ("nothing was locked"). */
int sw_prov_lock(struct sw_prov_env *env, const struct sw_prov_lock_request *rq,
                 struct sw_prov_lock_result *out, struct sw_error *err);

#endif
