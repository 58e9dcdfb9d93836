/* Who must have signed: the identity policy, as data. The wash policies mirror
 * `gh attestation verify <file> --repo wasmCloud/wasmCloud`: GitHub's OIDC issuer, the source
 * repository, and a signer workflow that lives in that repository. */
#include "sigstore/internal.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const struct sw_sigstore_policy wash_policies[] = {
    {
        .name = "wasmCloud/wasmCloud",
        .issuer = SW_SIGSTORE_GITHUB_ISSUER,
        .source_repository = "https://github.com/wasmCloud/wasmCloud",
        .san_prefix = "https://github.com/wasmCloud/wasmCloud/.github/workflows/",
        .predicate_type = SW_SIGSTORE_SLSA_V1,
    },
    {
        .name = "wasmCloud/wash",
        .issuer = SW_SIGSTORE_GITHUB_ISSUER,
        .source_repository = "https://github.com/wasmCloud/wash",
        .san_prefix = "https://github.com/wasmCloud/wash/.github/workflows/",
        .predicate_type = SW_SIGSTORE_SLSA_V1,
    },
};

const struct sw_sigstore_policy *sw_sigstore_policy_wash(const char *repository)
{
    for (size_t i = 0; i < sizeof(wash_policies) / sizeof(wash_policies[0]); i++)
        if (repository && strcasecmp(repository, wash_policies[i].name) == 0)
            return &wash_policies[i];
    return NULL;
}

/* Whether ref is one of refs: equal to an entry, or past the prefix of an entry ending in '*'. */
static bool ref_listed(const char *ref, const char *const *refs)
{
    for (const char *const *r = refs; *r; r++) {
        size_t n = strlen(*r);
        bool prefix = n > 0 && (*r)[n - 1] == '*';
        if (prefix && strncmp(ref, *r, n - 1) == 0 && ref[n - 1] != '\0')
            return true;
        if (!prefix && strcmp(ref, *r) == 0)
            return true;
    }
    return false;
}

/* "refs/heads/main or refs/heads/release-*" into buf, for messages. */
static const char *refs_text(const char *const *refs, char *buf, size_t n)
{
    size_t at = 0, count = 0;
    while (refs[count])
        count++;
    buf[0] = '\0';
    for (size_t i = 0; i < count && at < n; i++)
        at += (size_t)snprintf(buf + at, n - at, "%s%s",
                               i == 0          ? ""
                               : i + 1 < count ? ", "
                                               : " or ",
                               refs[i]);
    return buf;
}

/* The signer is san_workflow run on a ref of san_refs, and the source ref is that ref. */
static int check_workflow_ref(const struct sw_sigstore_policy *p, const struct sw_sig_identity *id,
                              struct sw_error *err)
{
    char found[512], refs[300], ref[256];
    size_t wl = strlen(p->san_workflow);
    sw_sanitize(found, sizeof(found), id->san);
    refs_text(p->san_refs, refs, sizeof(refs));
    if (strncmp(id->san, p->san_workflow, wl) != 0 || id->san[wl] != '@')
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "bundle was signed by %s, expected %s@<ref> with <ref> %s", found,
                            p->san_workflow, refs);
    const char *san_ref = id->san + wl + 1;
    sw_sanitize(ref, sizeof(ref), san_ref);
    if (!ref_listed(san_ref, p->san_refs))
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "bundle was signed by %s, run on %s, expected a run on %s", found, ref,
                            refs);
    if (!id->source_ref || strcmp(id->source_ref, san_ref) != 0) {
        sw_sanitize(found, sizeof(found), id->source_ref ? id->source_ref : "no source ref");
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "bundle was built from %s, expected %s, the ref its signer ran on",
                            found, ref);
    }
    return 0;
}

int sw_sig_policy_check(const struct sw_sigstore_policy *p, const struct sw_sig_identity *id,
                        struct sw_error *err)
{
    char found[512];
    const char *expected = p->name ? p->name : "the policy";
    if (!p->issuer)
        return sw_error_set(err, SW_EXIT_VERIFY, "identity policy names no issuer");
    if (!id->issuer)
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "certificate has no OIDC issuer extension, expected %s", p->issuer);
    if (strcmp(id->issuer, p->issuer) != 0) {
        sw_sanitize(found, sizeof(found), id->issuer);
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "bundle was signed with an identity from issuer %s, expected %s", found,
                            p->issuer);
    }
    sw_sanitize(found, sizeof(found), id->san);
    if (p->san_exact && strcmp(id->san, p->san_exact) != 0)
        return sw_error_set(err, SW_EXIT_VERIFY, "bundle was signed by %s, expected %s", found,
                            p->san_exact);
    if (p->san_prefix && strncasecmp(id->san, p->san_prefix, strlen(p->san_prefix)) != 0)
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "bundle was signed by %s, expected a workflow of %s (a signer URI "
                            "starting with %s)",
                            found, expected, p->san_prefix);
    if (p->san_refs && p->san_workflow && check_workflow_ref(p, id, err) < 0)
        return -1;
    if (p->source_ref && (!id->source_ref || strcmp(id->source_ref, p->source_ref) != 0)) {
        sw_sanitize(found, sizeof(found), id->source_ref ? id->source_ref : "no source ref");
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "bundle was built from %s, expected the release's tag %s", found,
                            p->source_ref);
    }
    if (p->source_repository) {
        if (!id->source_repository)
            return sw_error_set(err, SW_EXIT_VERIFY,
                                "certificate has no source repository extension, expected %s",
                                p->source_repository);
        if (strcasecmp(id->source_repository, p->source_repository) != 0) {
            sw_sanitize(found, sizeof(found), id->source_repository);
            return sw_error_set(err, SW_EXIT_VERIFY,
                                "bundle was built from source repository %s, expected %s", found,
                                p->source_repository);
        }
    }
    return 0;
}
