/* Sigstore bundle verification: runs the checks of each bundle in the recipe's order and picks
 * the result. The checks themselves live in the other files of src/sigstore/. */
#include "sigstore/internal.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"

/* How far a bundle got: with several bundles the error of the furthest is the one reported. */
enum stage {
    STAGE_PARSED,
    STAGE_LOGGED,    /* transparency log entries verified */
    STAGE_CERTIFIED, /* certificate verified at the signing time */
    STAGE_SIGNED,    /* envelope or message signature verified */
    STAGE_ATTESTED,  /* statement and artifact digest checked */
    STAGE_DONE,
};

struct check {
    const struct sw_sigstore_root *root;
    const struct sw_sigstore_digests *art;
    const struct sw_sigstore_policy *policy;
    enum stage stage;
    bool unsupported;
    struct sw_error *err;
};

static int unsupported(struct check *c, const char *why)
{
    c->unsupported = true;
    return sw_error_set(c->err, SW_EXIT_VERIFY, SW_SIGSTORE_UNSUPPORTED "%s", why);
}

static bool kind_is(const struct sw_sig_entry *e, const char *kind, const char *version)
{
    return strcmp(e->kind, kind) == 0 && strcmp(e->version, version) == 0;
}

/* Verifies the Rekor v1 entries, collecting their times and the index of the first; Rekor v2
 * and unknown kinds are noted in *skipped, not verified. */
static int check_entries(struct check *c, const struct sw_sig_bundle *b, long long *times,
                         size_t *ntimes, long long *log_index, const char **skipped)
{
    *ntimes = 0;
    *skipped = NULL;
    for (size_t i = 0; i < b->nentries; i++) {
        const struct sw_sig_entry *e = &b->entries[i];
        if (kind_is(e, "hashedrekord", "0.0.2")) {
            *skipped = "its log entry is from Rekor v2 (hashedrekord 0.0.2), whose signing time "
                       "comes from RFC 3161 timestamps, which this verifier does not check";
            continue;
        }
        bool envelope_kind = kind_is(e, "dsse", "0.0.1") || kind_is(e, "intoto", "0.0.2");
        if (!envelope_kind && !kind_is(e, "hashedrekord", "0.0.1")) {
            *skipped = "its log entry kind is not dsse 0.0.1, intoto 0.0.2 or hashedrekord 0.0.1";
            continue;
        }
        if (envelope_kind != b->dsse)
            return sw_error_set(
                c->err, SW_EXIT_VERIFY, "log entry %lld is a %s entry, which cannot record a %s",
                e->log_index, e->kind, b->dsse ? "DSSE envelope" : "message signature");
        if (sw_sig_tlog_verify(e, b->minor, b, c->art->sha256, c->root, c->err) < 0)
            return -1;
        if (*ntimes == 0)
            *log_index = e->log_index;
        times[(*ntimes)++] = e->integrated_time;
    }
    return 0;
}

static void fill_identity(struct sw_provenance *out, const struct sw_sig_identity *id)
{
    sw_sanitize(out->issuer, sizeof(out->issuer), id->issuer);
    sw_sanitize(out->signer, sizeof(out->signer), id->san);
    sw_sanitize(out->source_repository, sizeof(out->source_repository),
                id->source_repository ? id->source_repository : "");
    sw_sanitize(out->source_ref, sizeof(out->source_ref), id->source_ref ? id->source_ref : "");
    sw_sanitize(out->source_digest, sizeof(out->source_digest),
                id->source_digest ? id->source_digest : "");
    /* https://github.com/<owner>/<repo>/.github/workflows/<file>@<ref> */
    const char *s = id->san, *scheme = strstr(s, "://");
    if (!scheme)
        return;
    const char *path = strchr(scheme + 3, '/'), *at = path ? strchr(path, '@') : NULL;
    if (!path)
        return;
    char buf[512];
    size_t n = at ? (size_t)(at - path - 1) : strlen(path + 1);
    snprintf(buf, sizeof(buf), "%.*s", (int)(n < sizeof(buf) ? n : sizeof(buf) - 1), path + 1);
    sw_sanitize(out->workflow, sizeof(out->workflow), buf);
    sw_sanitize(out->workflow_ref, sizeof(out->workflow_ref), at ? at + 1 : "");
}

static int verify_one(struct check *c, const struct sw_sig_bundle *b, struct sw_provenance *out)
{
    X509 *leaf = NULL;
    struct sw_sig_identity id = {0};
    long long times[SW_SIG_MAX_ENTRIES], log_index = 0;
    size_t ntimes = 0;
    const char *skipped = NULL;
    int rc = -1;
    c->stage = STAGE_PARSED;
    c->unsupported = false;
    if (b->material == SW_SIG_PUBLIC_KEY) {
        unsupported(c, "it is signed with a public key (verificationMaterial.publicKey), not a "
                       "Fulcio certificate");
        goto out;
    }
    const unsigned char *p = b->leaf;
    leaf = d2i_X509(NULL, &p, (long)b->leaf_len);
    if (!leaf || p != b->leaf + b->leaf_len) {
        sw_error_set(c->err, SW_EXIT_VERIFY, "bundle certificate is not a DER X.509 certificate");
        goto out;
    }
    if (!b->dsse && !c->policy->allow_message_signature) {
        sw_error_set(c->err, SW_EXIT_VERIFY,
                     "bundle holds a message signature, not an in-toto attestation");
        goto out;
    }
    if (check_entries(c, b, times, &ntimes, &log_index, &skipped) < 0)
        goto out;
    if (ntimes == 0) {
        /* no trusted time: fail a foreign certificate plainly before saying what is missing */
        if (sw_sig_cert_chain_any(leaf, c->root, c->err) < 0)
            goto out;
        if (skipped)
            unsupported(c, skipped);
        else if (b->ntimestamps)
            unsupported(c, "it has no transparency log entry, only RFC 3161 timestamps (as from "
                           "GitHub's private Sigstore instance), which this verifier does not "
                           "check");
        else
            sw_error_set(c->err, SW_EXIT_VERIFY,
                         "bundle has no transparency log entry, so its signing time cannot be "
                         "trusted");
        goto out;
    }
    c->stage = STAGE_LOGGED;
    for (size_t i = 0; i < ntimes; i++)
        if (sw_sig_cert_verify(leaf, c->root, times[i], c->err) < 0)
            goto out;
    c->stage = STAGE_CERTIFIED;
    EVP_PKEY *key = X509_get0_pubkey(leaf);
    if (!key) {
        sw_error_set(c->err, SW_EXIT_VERIFY, "certificate public key cannot be read");
        goto out;
    }
    if ((b->dsse ? sw_sig_dsse_verify(b, key, c->err)
                 : sw_sig_message_verify(b, key, c->art->sha256, c->err)) < 0) {
        c->unsupported =
            strncmp(c->err->msg, SW_SIGSTORE_UNSUPPORTED, strlen(SW_SIGSTORE_UNSUPPORTED)) == 0;
        goto out;
    }
    c->stage = STAGE_SIGNED;
    if (b->dsse && sw_sig_statement_check(b, c->art, c->policy, out, c->err) < 0)
        goto out;
    c->stage = STAGE_ATTESTED;
    if (sw_sig_identity_read(leaf, &id, c->err) < 0 ||
        sw_sig_policy_check(c->policy, &id, c->err) < 0)
        goto out;
    c->stage = STAGE_DONE;
    /* never a pass with evidence left unchecked */
    if (b->ntimestamps) {
        unsupported(c, "it carries RFC 3161 timestamps, which this verifier does not check");
        goto out;
    }
    if (skipped) {
        unsupported(c, skipped);
        goto out;
    }
    fill_identity(out, &id);
    out->signed_at = times[0];
    sw_time_format(times[0], out->signed_at_text, sizeof(out->signed_at_text));
    out->log_index = log_index;
    rc = 0;
out:
    sw_sig_identity_clear(&id);
    X509_free(leaf);
    return rc;
}

int sw_sigstore_verify_digests(const char *bundle, size_t len, const struct sw_sigstore_root *root,
                               const struct sw_sigstore_digests *artifact,
                               const struct sw_sigstore_policy *policy, struct sw_provenance *out,
                               struct sw_error *err)
{
    struct sw_sig_bundle *bundles = NULL;
    size_t n = 0;
    unsigned char digest[32];
    char hex[65];
    int rc = -1;
    memset(out, 0, sizeof(*out));
    sw_sig_sha256(bundle, len, digest);
    sw_sig_hex(digest, 32, hex);
    snprintf(out->bundle_digest, sizeof(out->bundle_digest), "sha256:%s", hex);
    if (!artifact->sha256 && !artifact->sha512)
        return sw_error_set(err, SW_EXIT_VERIFY, "no digest of the artifact to verify");
    if (sw_sig_bundles_parse(bundle, len, &bundles, &n, err) < 0)
        return -1;
    out->bundle_count = n;
    struct sw_error best = {0};
    int best_stage = -1;
    size_t best_index = 0;
    bool all_unsupported = true;
    for (size_t i = 0; i < n; i++) {
        struct sw_error e = {0};
        struct sw_provenance p = *out;
        struct check c = {root, artifact, policy, STAGE_PARSED, false, &e};
        if (verify_one(&c, &bundles[i], &p) == 0) {
            *out = p;
            out->bundle_index = i;
            rc = 0;
            goto done;
        }
        all_unsupported = all_unsupported && c.unsupported;
        if ((int)c.stage > best_stage) {
            best_stage = (int)c.stage;
            best = e;
            best_index = i;
        }
    }
    out->unsupported = all_unsupported;
    if (n == 1)
        *err = best;
    else if (all_unsupported)
        sw_error_set(err, SW_EXIT_VERIFY, "%s (bundle %zu of %zu; no other verifies either)",
                     best.msg, best_index + 1, n);
    else
        sw_error_set(err, SW_EXIT_VERIFY, "none of the %zu bundles verifies; bundle %zu: %s", n,
                     best_index + 1, best.msg);
done:
    sw_sig_bundles_free(bundles, n);
    return rc;
}

int sw_sigstore_verify(const char *bundle, size_t len, const struct sw_sigstore_root *root,
                       const unsigned char sha256[32], const struct sw_sigstore_policy *policy,
                       struct sw_provenance *out, struct sw_error *err)
{
    struct sw_sigstore_digests art = {sha256, NULL};
    return sw_sigstore_verify_digests(bundle, len, root, &art, policy, out, err);
}
