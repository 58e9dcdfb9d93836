/* libFuzzer harness for Sigstore bundle verification (src/sigstore/): every input is parsed
 * as a bundle file (JSON or JSON Lines) and verified against the public-good trusted root, the
 * one the build embeds (src/data/trusted_root.json; scripts/fuzz runs from the repository root),
 * once under the wash policy and once under a permissive policy that also accepts message
 * signatures, so that inputs reach every stage. Nothing may crash, leak or read out of bounds;
 * a failure must always come with a message. Seeds: the real bundles of ../shared/fixtures. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sigstore/sigstore.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct sw_sigstore_root *root;

/* sha256 of the conformance suite's a.txt, so its message-signature seeds go all the way */
static const unsigned char artifact[32] = {
    0xa0, 0xcf, 0xc7, 0x12, 0x71, 0xd6, 0xe2, 0x78, 0xe5, 0x7c, 0xd3, 0x32, 0xff, 0x95, 0x7c, 0x3f,
    0x70, 0x43, 0xfd, 0xda, 0x35, 0x4c, 0x4c, 0xbb, 0x19, 0x0a, 0x30, 0xd5, 0x6e, 0xfa, 0x01, 0xbf};

static const struct sw_sigstore_policy permissive = {
    .name = "anyone",
    .issuer = "https://token.actions.githubusercontent.com",
    .san_prefix = "https://",
    .allow_message_signature = true,
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    struct sw_error err = {0};
    if (sw_sigstore_root_load_file("src/data/trusted_root.json", &root, &err) < 0) {
        fprintf(stderr, "fuzz_sigstore: %s\n", err.msg);
        abort();
    }
    return 0;
}

static void verify(const char *text, size_t size, const struct sw_sigstore_policy *policy)
{
    struct sw_provenance out;
    struct sw_error err = {0};
    if (sw_sigstore_verify(text, size, root, artifact, policy, &out, &err) < 0 &&
        (err.code != SW_EXIT_VERIFY || err.msg[0] == '\0'))
        abort(); /* every failure is a verification failure that says why */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* a private copy, so that reading past the end is caught */
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    if (size)
        memcpy(text, data, size);
    verify(text, size, sw_sigstore_policy_wash("wasmCloud/wasmCloud"));
    verify(text, size, &permissive);
    free(text);
    return 0;
}
