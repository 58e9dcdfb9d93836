#include "data/wash.h"

const struct sw_tag_rule sw_tag_rules[] = {
    /* 2.0.0 and later: co-versioned with the runtime in the monorepo. */
    {"wasmCloud/wasmCloud", "v", "2.0.0", NULL, SW_LINE_NEW},
    /* the first release after the move, with the old tag form */
    {"wasmCloud/wasmCloud", "wash-v", "2.0.0-rc.8", "2.0.0-rc.9", SW_LINE_NEW},
    /* the new wash in its own repository, read-only since 2026-03-09 */
    {"wasmCloud/wash", "wash-v", "1.0.0-beta.1", "2.0.0-rc.8", SW_LINE_NEW},
    /* the old wash 0.x line, same asset names, different product */
    {"wasmCloud/wasmCloud", "wash-v", "0.0.0-0", "1.0.0-0", SW_LINE_OLD},
};
const size_t sw_tag_rules_len = sizeof(sw_tag_rules) / sizeof(sw_tag_rules[0]);

const struct sw_repo_info sw_repos[] = {
    {"wasmCloud/wasmCloud", NULL},
    {"wasmCloud/wash", "2.0.0-rc.7"},
};
const size_t sw_repos_len = sizeof(sw_repos) / sizeof(sw_repos[0]);

const char *const sw_known_targets[] = {
    "x86_64-unknown-linux-gnu",  "aarch64-unknown-linux-gnu",  "s390x-unknown-linux-gnu",
    "x86_64-unknown-linux-musl", "aarch64-unknown-linux-musl", "x86_64-apple-darwin",
    "aarch64-apple-darwin",      "x86_64-pc-windows-msvc",
};
const size_t sw_known_targets_len = sizeof(sw_known_targets) / sizeof(sw_known_targets[0]);

const char *const sw_attested_since = "1.0.0-beta.9";
const char *const sw_sigstore_asset_since = "2.1.0";

const struct sw_signer sw_signers[] = {
    {"wasmCloud/wash", "1.0.0-beta.9", "2.0.0-rc.7", "wash.yml", "refs/tags/wash-v{version}"},
    {"wasmCloud/wasmCloud", "2.0.0-rc.8", "2.0.0-rc.8", "wash.yml", "refs/tags/wash-v{version}"},
    {"wasmCloud/wasmCloud", "2.0.0", "2.0.5", "wash.yml", "refs/tags/v{version}"},
    /* run by workflow_run or dispatch from main; the canary builds of wash.yml, promoted. 2.9.0
     * is the newest release whose workflows were read: later ones fall under the repository. */
    {"wasmCloud/wasmCloud", "2.0.6", "2.9.0", "release-tag.yml", "refs/heads/main"},
};
const size_t sw_signers_len = sizeof(sw_signers) / sizeof(sw_signers[0]);
