#include "core/verify.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

#include "core/release.h"

int sw_verify_mode_parse(const char *s, enum sw_verify_mode *out, struct sw_error *err)
{
    if (strcmp(s, "auto") == 0)
        *out = SW_VERIFY_AUTO;
    else if (strcmp(s, "digest") == 0)
        *out = SW_VERIFY_DIGEST;
    else if (strcmp(s, "none") == 0)
        *out = SW_VERIFY_NONE;
    else {
        char shown[64];
        sw_sanitize(shown, sizeof(shown), s);
        return sw_error_set(err, SW_EXIT_USAGE,
                            "invalid --verify '%s': use auto, digest or none", shown);
    }
    return 0;
}

void sw_digest_format(const unsigned char sha256[32], char *buf, size_t n)
{
    char hex[65];
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", sha256[i]);
    snprintf(buf, n, "sha256:%s", hex);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int sw_verify_artifact(enum sw_verify_mode mode, const struct sw_verify_input *in,
                       struct sw_verify_result *out, struct sw_error *err)
{
    sw_digest_format(in->sha256, out->actual, sizeof(out->actual));
    snprintf(out->verified, sizeof(out->verified), "none");
    if (mode == SW_VERIFY_NONE)
        return 0;
    if (!in->expected || !sw_digest_valid(in->expected))
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "no digest is known for '%s' (the GitHub API reports none for it "
                            "and plugins.lock does not pin it), so it cannot be verified: pin "
                            "one with 'setup-wash lock', or pass --verify none to install it "
                            "unverified",
                            in->asset);
    unsigned char want[32];
    for (int i = 0; i < 32; i++)
        want[i] = (unsigned char)(hexval(in->expected[7 + 2 * i]) << 4 |
                                  hexval(in->expected[8 + 2 * i]));
    if (CRYPTO_memcmp(want, in->sha256, sizeof(want)) != 0)
        return sw_error_set(err, SW_EXIT_VERIFY,
                            "digest mismatch for '%s': expected %s (from %s), got %s; the "
                            "download was discarded and nothing was installed",
                            in->asset, in->expected, in->expected_source, out->actual);
    snprintf(out->verified, sizeof(out->verified), "digest");
    return 0;
}
