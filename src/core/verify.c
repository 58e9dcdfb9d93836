#include "core/verify.h"
#include "core/hex.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

#include "core/release.h"
#include "data/wash.h"
#include <strings.h>

static const char *const mode_names[] = {
    [SW_VERIFY_AUTO] = "auto",
    [SW_VERIFY_DIGEST] = "digest",
    [SW_VERIFY_PROVENANCE] = "provenance",
    [SW_VERIFY_NONE] = "none",
};

int sw_verify_mode_parse(const char *s, enum sw_verify_mode *out, struct sw_error *err)
{
    for (size_t i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++)
        if (strcmp(s, mode_names[i]) == 0) {
            *out = (enum sw_verify_mode)i;
            return 0;
        }
    char shown[64];
    sw_sanitize(shown, sizeof(shown), s);
    return sw_error_set(err, SW_EXIT_USAGE,
                        "invalid --verify '%s': use auto, digest, provenance or none", shown);
}

const char *sw_verify_mode_name(enum sw_verify_mode mode)
{
    return mode_names[mode];
}

static const char *const status_names[] = {
    [SW_PROV_SKIPPED] = "skipped",         [SW_PROV_NOT_ATTESTED] = "not-attested",
    [SW_PROV_NOT_FOUND] = "not-found",     [SW_PROV_UNREACHABLE] = "unreachable",
    [SW_PROV_UNSUPPORTED] = "unsupported", [SW_PROV_FAILED] = "failed",
    [SW_PROV_VERIFIED] = "verified",
};
#define NSTATUS (sizeof(status_names) / sizeof(status_names[0]))

const char *sw_prov_status_name(enum sw_prov_status st)
{
    return status_names[st];
}

bool sw_prov_status_parse(const char *s, enum sw_prov_status *out)
{
    for (size_t i = 0; s && i < NSTATUS; i++)
        if (strcmp(s, status_names[i]) == 0) {
            *out = (enum sw_prov_status)i;
            return true;
        }
    return false;
}

/* Rows: status; columns: auto, digest, provenance, none. */
static const enum sw_prov_action actions[NSTATUS][4] = {
#define A SW_PROV_ACCEPT
#define D SW_PROV_DIGEST_ONLY
#define W SW_PROV_WARN
#define R SW_PROV_REJECT
    [SW_PROV_SKIPPED] = {R, D, R, D},     [SW_PROV_NOT_ATTESTED] = {D, D, R, D},
    [SW_PROV_NOT_FOUND] = {W, D, R, D},   [SW_PROV_UNREACHABLE] = {W, D, R, D},
    [SW_PROV_UNSUPPORTED] = {W, D, R, D}, [SW_PROV_FAILED] = {R, R, R, R},
    [SW_PROV_VERIFIED] = {A, A, A, A},
#undef A
#undef D
#undef W
#undef R
};

enum sw_prov_action sw_verify_prov_action(enum sw_verify_mode mode, enum sw_prov_status st)
{
    return actions[st][mode];
}

static bool at_least(const struct sw_semver *v, const char *since)
{
    struct sw_semver s;
    return sw_semver_parse(since, &s, NULL) == 0 && sw_semver_cmp(v, &s) >= 0;
}

bool sw_version_attested(const struct sw_semver *v)
{
    return at_least(v, sw_attested_since);
}

bool sw_version_has_sigstore_asset(const struct sw_semver *v)
{
    return at_least(v, sw_sigstore_asset_since);
}

/* `ref` with "{version}" replaced by the version. */
static void expand_ref(const char *ref, const char *version, char *out, size_t n)
{
    const char *at = strstr(ref, "{version}");
    if (at)
        snprintf(out, n, "%.*s%s%s", (int)(at - ref), ref, version, at + strlen("{version}"));
    else
        snprintf(out, n, "%s", ref);
}

void sw_signer_expected(const char *repo, const char *version, struct sw_signer_expect *out)
{
    struct sw_semver v, lo, hi, newest = {0};
    bool have_newest = false;
    memset(out, 0, sizeof(*out));
    out->kind = SW_SIGNER_UNKNOWN;
    if (!repo || !version || sw_semver_parse(version, &v, NULL) < 0)
        return;
    for (size_t i = 0; i < sw_signers_len; i++) {
        const struct sw_signer *s = &sw_signers[i];
        if (sw_semver_parse(s->min, &lo, NULL) < 0 || sw_semver_parse(s->max, &hi, NULL) < 0)
            continue;
        if (!have_newest || sw_semver_cmp(&hi, &newest) > 0) {
            newest = hi;
            have_newest = true;
            snprintf(out->newest, sizeof(out->newest), "%s", s->max);
        }
        if (strcasecmp(s->repo, repo) != 0 || sw_semver_cmp(&v, &lo) < 0 ||
            sw_semver_cmp(&v, &hi) > 0)
            continue;
        char ref[256];
        expand_ref(s->ref, version, ref, sizeof(ref));
        snprintf(out->san, sizeof(out->san), "https://github.com/%s/.github/workflows/%s@%s",
                 s->repo, s->workflow, ref);
        if (strncmp(ref, "refs/tags/", 10) == 0)
            snprintf(out->source_ref, sizeof(out->source_ref), "%s", ref);
        out->kind = SW_SIGNER_RELEASE;
    }
    if (out->kind == SW_SIGNER_RELEASE)
        return;
    if (have_newest && sw_semver_cmp(&v, &newest) > 0)
        out->kind = SW_SIGNER_REPOSITORY;
}

bool sw_verify_wants_provenance(enum sw_verify_mode mode, bool attested)
{
    return mode == SW_VERIFY_PROVENANCE || (mode == SW_VERIFY_AUTO && attested);
}

bool sw_verify_cached_ok(enum sw_verify_mode mode, const char *verified, const char *prov)
{
    enum sw_prov_status st = SW_PROV_SKIPPED;
    bool known = sw_prov_status_parse(prov, &st);
    switch (mode) {
    case SW_VERIFY_NONE:
        return true;
    case SW_VERIFY_DIGEST:
        return strcmp(verified, "digest") == 0 || strcmp(verified, "provenance") == 0;
    case SW_VERIFY_PROVENANCE:
        return strcmp(verified, "provenance") == 0;
    case SW_VERIFY_AUTO:
        if (strcmp(verified, "provenance") == 0)
            return true;
        /* a digest-only install counts when provenance could not do more, for good */
        return strcmp(verified, "digest") == 0 && known &&
               (st == SW_PROV_NOT_ATTESTED || st == SW_PROV_NOT_FOUND || st == SW_PROV_UNSUPPORTED);
    }
    return false;
}

void sw_digest_format(const unsigned char sha256[32], char *buf, size_t n)
{
    char hex[65];
    sw_hex_encode(sha256, 32, hex);
    snprintf(buf, n, "sha256:%s", hex);
}

int sw_digest_parse(const char *digest, unsigned char out[32])
{
    if (!digest || !sw_digest_valid(digest))
        return -1;
    return sw_hex_decode(digest + 7, out, 32);
}

int sw_verify_artifact(enum sw_verify_mode mode, const struct sw_verify_input *in,
                       struct sw_verify_result *out, struct sw_error *err)
{
    sw_digest_format(in->sha256, out->actual, sizeof(out->actual));
    snprintf(out->verified, sizeof(out->verified), "none");
    out->prov = SW_PROV_SKIPPED;
    if (mode == SW_VERIFY_NONE)
        return 0;
    unsigned char want[32];
    if (sw_digest_parse(in->expected, want) < 0)
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "no digest is known for '%s' (the GitHub API reports none for it "
                            "and plugins.lock does not pin it), so it cannot be verified: pin "
                            "one with 'setup-wash lock', or pass --verify none to install it "
                            "unverified",
                            in->asset);
    if (CRYPTO_memcmp(want, in->sha256, sizeof(want)) != 0)
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "digest mismatch for '%s': expected %s (from %s), got %s; the "
                            "download was discarded and nothing was installed",
                            in->asset, in->expected, in->expected_source, out->actual);
    snprintf(out->verified, sizeof(out->verified), "digest");
    return 0;
}
