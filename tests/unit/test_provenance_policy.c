/* Unit tests for the provenance of a tool of the table (cmd/provenance.c with a
 * sw_prov_request.tool, and the san_workflow/san_refs rule of sigstore/policy.c): bundles made at
 * run time by the test Sigstore instance (tests/unit/test_sigstore_forge_bundle.h), signed by
 * wasm-tools' publish.yml on the refs it runs on and by everything it must not be; then the whole
 * step, sw_prov_check, with the bundle pinned in a cache (no request), for versions before and
 * after wasm-tools attests, and for a tool that publishes no provenance. One named test per row. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_sigstore_forge_bundle.h"

#include "cmd/provenance.h"
#include "data/tools.h"
#include "io/attest.h"
#include "io/fs.h"
#include "support.h"

#define WT "https://github.com/bytecodealliance/wasm-tools"
#define WT_REPO "bytecodealliance/wasm-tools"
#define WT_FLOW WT "/.github/workflows/publish.yml"
#define WT_REFS "refs/heads/main or refs/heads/release-*"
#define EVIL "https://github.com/evil/wasm-tools"

/* ---- the policy: forged bundles under sw_prov_tool_policy(wasm-tools) ---- */

struct policy_row {
    const char *name;
    struct forge_opts opts; /* source_repo defaults to WT below, source_ref to the SAN's ref */
    enum expect expect;
    const char *fragment; /* in the message; for PASS, the subject that matched */
};

static const struct policy_row policy_rows[] = {
    {"main accepted", {.san = WT_FLOW "@refs/heads/main"}, PASS, "wash-aarch64-apple-darwin"},
    {"release-1.2 accepted",
     {.san = WT_FLOW "@refs/heads/release-1.2"},
     PASS,
     "wash-aarch64-apple-darwin"},
    {"release-1.241 accepted",
     {.san = WT_FLOW "@refs/heads/release-1.241"},
     PASS,
     "wash-aarch64-apple-darwin"},
    {"tag ref refused",
     {.san = WT_FLOW "@refs/tags/v1.250.0"},
     FAIL,
     "bundle was signed by " WT_FLOW "@refs/tags/v1.250.0, run on refs/tags/v1.250.0, expected a "
     "run on " WT_REFS},
    {"feature branch refused",
     {.san = WT_FLOW "@refs/heads/feature"},
     FAIL,
     "run on refs/heads/feature, expected a run on " WT_REFS},
    {"a branch that only starts with main refused",
     {.san = WT_FLOW "@refs/heads/mainline"},
     FAIL,
     "run on refs/heads/mainline, expected a run on " WT_REFS},
    {"the release- prefix alone refused",
     {.san = WT_FLOW "@refs/heads/release-"},
     FAIL,
     "run on refs/heads/release-, expected a run on " WT_REFS},
    {"a pull request ref refused",
     {.san = WT_FLOW "@refs/pull/7/merge"},
     FAIL,
     "run on refs/pull/7/merge, expected"},
    {"other workflow refused",
     {.san = WT "/.github/workflows/release.yml@refs/heads/main"},
     FAIL,
     "bundle was signed by " WT "/.github/workflows/release.yml@refs/heads/main, expected " WT_FLOW
     "@<ref> with <ref> " WT_REFS},
    {"the workflow in other case refused",
     {.san = WT "/.github/workflows/Publish.yml@refs/heads/main"},
     FAIL,
     "expected " WT_FLOW "@<ref>"},
    {"a workflow whose name continues refused",
     {.san = WT_FLOW ".evil@refs/heads/main"},
     FAIL,
     "expected " WT_FLOW "@<ref>"},
    {"the workflow without a ref refused", {.san = WT_FLOW}, FAIL, "expected " WT_FLOW "@<ref>"},
    {"other repository refused",
     {.san = EVIL "/.github/workflows/publish.yml@refs/heads/main", .source_repo = EVIL},
     FAIL,
     "bundle was signed by " EVIL
     "/.github/workflows/publish.yml@refs/heads/main, expected " WT_FLOW "@<ref>"},
    {"the right signer built from a fork refused",
     {.san = WT_FLOW "@refs/heads/main", .source_repo = EVIL},
     FAIL,
     "bundle was built from source repository " EVIL ", expected " WT},
    {"source ref other than the signer's refused",
     {.san = WT_FLOW "@refs/heads/main", .source_ref = "refs/heads/feature"},
     FAIL,
     "bundle was built from refs/heads/feature, expected refs/heads/main, the ref its signer ran "
     "on"},
    {"source ref a tag under a main signer refused",
     {.san = WT_FLOW "@refs/heads/release-1.2", .source_ref = "refs/tags/v1.2.0"},
     FAIL,
     "bundle was built from refs/tags/v1.2.0, expected refs/heads/release-1.2"},
    {"issuer that is not GitHub Actions refused",
     {.san = WT_FLOW "@refs/heads/main", .issuer = "https://accounts.google.com"},
     FAIL,
     "bundle was signed with an identity from issuer https://accounts.google.com"},
    {"SLSA v0.2 predicate refused",
     {.san = WT_FLOW "@refs/heads/main", .predicate = "https://slsa.dev/provenance/v0.2"},
     FAIL,
     "attestation predicate is 'https://slsa.dev/provenance/v0.2', expected "
     "https://slsa.dev/provenance/v1"},
    {"a wash bundle refused",
     {.san = FORGE_SAN, .source_repo = FORGE_MONO},
     FAIL,
     "bundle was signed by " FORGE_SAN ", expected " WT_FLOW "@<ref>"},
};

static struct forge_keys keys;

/* The SAN's ref: what the forged certificate's source ref is unless a row says otherwise. */
static const char *san_ref(const char *san)
{
    const char *at = strrchr(san, '@');
    return at ? at + 1 : "refs/heads/main";
}

static void test_policy_row(void **state)
{
    const struct policy_row *r = *state;
    struct forge_opts o = r->opts;
    o.source_repo = o.source_repo ? o.source_repo : WT;
    o.source_ref = o.source_ref ? o.source_ref : san_ref(o.san);
    struct sw_prov_tool_policy buf;
    const struct sw_sigstore_policy *policy =
        sw_prov_tool_policy(sw_tool_named("wasm-tools"), WT_REPO, &buf);
    assert_non_null(policy);
    struct sw_sigstore_root *root = forge_make_root(&keys, NULL);
    char *bundle = forge_bundle(&keys, &o);
    struct sw_provenance out;
    int rc = forge_check(bundle, root, policy, 0, r->expect, r->fragment, &out);
    if (rc == 0 && r->expect == PASS && strcmp(out.workflow_ref, san_ref(o.san)) != 0) {
        print_error("verified with workflow ref '%s'\n", out.workflow_ref);
        rc = -1;
    }
    free(bundle);
    sw_sigstore_root_free(root);
    assert_int_equal(rc, 0);
}

/* What the policy is, and for which rows and repositories there is none. */
static void test_policy_fields(void **state)
{
    (void)state;
    struct sw_prov_tool_policy buf;
    const struct sw_tool *wt = sw_tool_named("wasm-tools");
    const struct sw_sigstore_policy *p = sw_prov_tool_policy(wt, WT_REPO, &buf);
    assert_ptr_equal(p, &buf.policy);
    assert_string_equal(p->name, WT_REPO);
    assert_string_equal(p->issuer, SW_SIGSTORE_GITHUB_ISSUER);
    assert_string_equal(p->source_repository, WT);
    assert_string_equal(p->san_workflow, WT_FLOW);
    assert_ptr_equal(p->san_refs, wt->signer_refs);
    assert_string_equal(p->predicate_type, SW_SIGSTORE_SLSA_V1);
    assert_null(p->san_prefix);
    assert_null(p->san_exact);
    assert_null(p->source_ref);
    assert_false(p->allow_message_signature);

    static const struct {
        const char *tool, *repo;
    } none[] = {
        {"wasm-tools", "evil/wasm-tools"},
        {"wasm-tools", "BytecodeAlliance/wasm-tools"}, /* the table's spelling, as GitHub's SAN */
        {"wasm-tools", NULL},
        {"tinygo", "tinygo-org/tinygo"},
        {"wkg", "bytecodealliance/wasm-pkg-tools"},
        {"componentize-go", "bytecodealliance/componentize-go"},
        {"wash", "wasmCloud/wasmCloud"},
        {NULL, WT_REPO},
    };
    for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
        const struct sw_tool *t = none[i].tool ? sw_tool_named(none[i].tool) : NULL;
        if (sw_prov_tool_policy(t, none[i].repo, &buf) != NULL)
            fail_msg("row %zu: %s of %s has a policy", i, none[i].tool ? none[i].tool : "NULL",
                     none[i].repo ? none[i].repo : "NULL");
    }
}

/* ---- the whole step: sw_prov_check for a tool ---- */

#define WT_ASSET "wasm-tools-1.250.0-x86_64-linux.tar.gz"
#define NOT_ATTESTED_1240                                                                          \
    "wasm-tools 1.240.0 predates build-provenance attestations (wasm-tools publishes provenance "  \
    "from 1.241.2)"

struct check_row {
    const char *name;
    const char *tool, *version;
    enum sw_verify_mode mode;
    const char *signer; /* a bundle signed by this (WT_FLOW@ref) pinned in the cache, or NULL */
    enum sw_prov_source pin; /* the pin's source, as a lock would give it */
    int rc;
    enum sw_prov_status status;
    enum sw_prov_action action; /* when rc is 0 */
    const char *fragment;       /* in the detail (rc 0) or the error (rc -1) */
};

static const struct check_row check_rows[] = {
    {"wasm-tools before 1.241.2, auto: digest only, said", "wasm-tools", "1.240.0", SW_VERIFY_AUTO,
     NULL, SW_PROV_SOURCE_NONE, 0, SW_PROV_NOT_ATTESTED, SW_PROV_DIGEST_ONLY,
     NOT_ATTESTED_1240 ", so only its digest could be checked"},
    {"wasm-tools 1.241.1, auto: not attested", "wasm-tools", "1.241.1", SW_VERIFY_AUTO, NULL,
     SW_PROV_SOURCE_NONE, 0, SW_PROV_NOT_ATTESTED, SW_PROV_DIGEST_ONLY,
     "wasm-tools 1.241.1 predates build-provenance attestations"},
    {"wasm-tools before 1.241.2, --verify provenance: fails closed", "wasm-tools", "1.240.0",
     SW_VERIFY_PROVENANCE, NULL, SW_PROV_SOURCE_NONE, -1, SW_PROV_NOT_ATTESTED, SW_PROV_REJECT,
     "--verify provenance: " NOT_ATTESTED_1240 ", so its provenance cannot be verified and nothing "
     "was installed; use --verify digest to rely on its digest alone"},
    {"wasm-tools before 1.241.2, --verify provenance with a pin: still no request", "wasm-tools",
     "1.240.0", SW_VERIFY_PROVENANCE, WT_FLOW "@refs/heads/main", SW_PROV_SOURCE_ATTESTATIONS, -1,
     SW_PROV_NOT_ATTESTED, SW_PROV_REJECT, NOT_ATTESTED_1240},
    {"TinyGo, auto: publishes none", "tinygo", "0.40.1", SW_VERIFY_AUTO, NULL, SW_PROV_SOURCE_NONE,
     0, SW_PROV_NOT_ATTESTED, SW_PROV_DIGEST_ONLY,
     "TinyGo publishes no build provenance (TinyGo 0.40.1 has none), so only its digest could be "
     "checked"},
    {"TinyGo, --verify provenance: fails closed", "tinygo", "0.40.1", SW_VERIFY_PROVENANCE, NULL,
     SW_PROV_SOURCE_NONE, -1, SW_PROV_NOT_ATTESTED, SW_PROV_REJECT,
     "--verify provenance: TinyGo publishes no build provenance (TinyGo 0.40.1 has none), so its "
     "provenance cannot be verified"},
    {"wasm-tools, --verify digest: skipped", "wasm-tools", "1.250.0", SW_VERIFY_DIGEST,
     WT_FLOW "@refs/heads/main", SW_PROV_SOURCE_ATTESTATIONS, 0, SW_PROV_SKIPPED,
     SW_PROV_DIGEST_ONLY, ""},
    {"pinned bundle signed on main: verified from the cache", "wasm-tools", "1.250.0",
     SW_VERIFY_PROVENANCE, WT_FLOW "@refs/heads/main", SW_PROV_SOURCE_ATTESTATIONS, 0,
     SW_PROV_VERIFIED, SW_PROV_ACCEPT, ""},
    {"pinned bundle signed on release-1.2, pin said asset: verified as attestations", "wasm-tools",
     "1.250.0", SW_VERIFY_AUTO, WT_FLOW "@refs/heads/release-1.2", SW_PROV_SOURCE_ASSET, 0,
     SW_PROV_VERIFIED, SW_PROV_ACCEPT, ""},
    {"pinned bundle signed on a tag: refused in auto", "wasm-tools", "1.250.0", SW_VERIFY_AUTO,
     WT_FLOW "@refs/tags/v1.250.0", SW_PROV_SOURCE_ATTESTATIONS, -1, SW_PROV_FAILED, SW_PROV_REJECT,
     "provenance of '" WT_ASSET "' does not verify: bundle from the attestations API: bundle was "
     "signed by " WT_FLOW
     "@refs/tags/v1.250.0, run on refs/tags/v1.250.0, expected a run on " WT_REFS
     "; nothing was installed"},
    {"pinned bundle of another workflow: refused", "wasm-tools", "1.250.0", SW_VERIFY_AUTO,
     WT "/.github/workflows/ci.yml@refs/heads/main", SW_PROV_SOURCE_ATTESTATIONS, -1,
     SW_PROV_FAILED, SW_PROV_REJECT, "expected " WT_FLOW "@<ref> with <ref> " WT_REFS},
    {"pinned bundle of another repository: refused", "wasm-tools", "1.250.0", SW_VERIFY_PROVENANCE,
     EVIL "/.github/workflows/publish.yml@refs/heads/main", SW_PROV_SOURCE_ATTESTATIONS, -1,
     SW_PROV_FAILED, SW_PROV_REJECT,
     "bundle was signed by " EVIL
     "/.github/workflows/publish.yml@refs/heads/main, expected " WT_FLOW},
};

static void test_check_row(void **state)
{
    const struct check_row *r = *state;
    char *dir = sw_test_tmpdir("prov-policy");
    struct sw_ctx ctx = {0};
    snprintf(ctx.cache_root, sizeof(ctx.cache_root), "%s", dir);
    struct sw_prov_env env = {.ctx = &ctx, .root = forge_make_root(&keys, NULL)};
    unsigned char sha[32], other[32], missing[32];
    char pin[80] = "";
    char *bundle = NULL;
    struct sw_error err = {0};
    forge_digest(forge_binaries[8], sha);
    forge_digest(forge_binaries[0], other);
    forge_digest("wasm-tools-not-released", missing);
    if (r->signer) {
        bool other_repo = strncmp(r->signer, EVIL, strlen(EVIL)) == 0;
        struct forge_opts o = {.san = r->signer,
                               .source_repo = other_repo ? EVIL : WT,
                               .source_ref = san_ref(r->signer)};
        bundle = forge_bundle(&keys, &o);
        unsigned char md[32];
        sw_sig_sha256(bundle, strlen(bundle), md);
        sw_digest_format(md, pin, sizeof(pin));
        assert_int_equal(sw_bundle_cache_put(dir, bundle, strlen(bundle), &err), 0);
    }
    const struct sw_tool *tool = sw_tool_named(r->tool);
    const char *repo = tool->tags[0].repo;
    char tag[64];
    snprintf(tag, sizeof(tag), "v%s", r->version);
    struct sw_prov_request rq = {
        .tool = tool,
        .mode = r->mode,
        .version = r->version,
        .tag = tag,
        .repo = repo,
        .asset = WT_ASSET,
        .sha256 = sha,
        .has_asset = 0,
        .pin_source = r->signer ? r->pin : SW_PROV_SOURCE_NONE,
        .pin_bundle = r->signer ? pin : NULL,
        .lock_path = "plugins.lock",
    };
    struct sw_prov_outcome o;
    int rc = sw_prov_check(&env, &rq, &o, &err);
    bool ok = rc == r->rc && o.status == r->status && o.action == r->action &&
              strstr(rc == 0 ? o.detail : err.msg, r->fragment) != NULL &&
              (rc == 0 || err.code == SW_EXIT_VERIFY) && o.tool == tool;
    if (!ok)
        print_error("rc %d (want %d), status %s (want %s), action %d (want %d), code %d\n"
                    "  detail: %s\n  error: %s\n  want: %s\n",
                    rc, r->rc, sw_prov_status_name(o.status), sw_prov_status_name(r->status),
                    (int)o.action, (int)r->action, err.code, o.detail, err.msg, r->fragment);
    if (ok && o.status == SW_PROV_VERIFIED) {
        /* the pinned copy, under the tool's rule; another artifact of the bundle is listed,
         * one that is not in it is not */
        struct sw_error e2 = {0};
        ok = o.from_cache && o.source == SW_PROV_SOURCE_ATTESTATIONS &&
             o.identity == SW_SIGNER_RELEASE && !o.identity_note[0] &&
             strcmp(o.prov.workflow_ref, san_ref(r->signer)) == 0 &&
             strcmp(o.prov.bundle_digest, pin) == 0 &&
             sw_prov_verify_other(&env, &o, repo, other, &e2) == 0 &&
             sw_prov_verify_other(&env, &o, repo, missing, &e2) == -1 &&
             strstr(e2.msg, "is not a subject of the attestation") != NULL &&
             sw_prov_verify_other(&env, &o, "evil/wasm-tools", other, &e2) == -1;
        if (!ok)
            print_error("verified, but: from_cache %d source %d identity %d ref '%s' bundle %s "
                        "(pin %s); verify_other: %s\n",
                        o.from_cache, (int)o.source, (int)o.identity, o.prov.workflow_ref,
                        o.prov.bundle_digest, pin, e2.msg);
    }
    sw_prov_outcome_free(&o);
    sw_prov_env_free(&env);
    sw_ctx_release(&ctx);
    free(bundle);
    sw_fs_rm_rf(dir, NULL);
    free(dir);
    assert_true(ok);
}

static int setup_keys(void **state)
{
    (void)state;
    forge_keys_make(&keys);
    return 0;
}

static int teardown_keys(void **state)
{
    (void)state;
    forge_keys_free(&keys);
    return 0;
}

int main(void)
{
    size_t np = sizeof(policy_rows) / sizeof(policy_rows[0]);
    size_t nc = sizeof(check_rows) / sizeof(check_rows[0]);
    struct CMUnitTest *tests = calloc(np + nc + 1, sizeof(*tests));
    size_t n = 0;
    for (size_t i = 0; i < np; i++)
        tests[n++] = (struct CMUnitTest){.name = policy_rows[i].name,
                                         .test_func = test_policy_row,
                                         .initial_state = (void *)&policy_rows[i]};
    tests[n++] = (struct CMUnitTest){.name = "policy fields", .test_func = test_policy_fields};
    for (size_t i = 0; i < nc; i++)
        tests[n++] = (struct CMUnitTest){.name = check_rows[i].name,
                                         .test_func = test_check_row,
                                         .initial_state = (void *)&check_rows[i]};
    int rc = _cmocka_run_group_tests("provenance_policy", tests, n, setup_keys, teardown_keys);
    free(tests);
    return rc;
}
