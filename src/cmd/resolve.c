/* setup-wash resolve: what install would install, without downloading it. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/commands.h"
#include "cmd/plan.h"
#include "cmd/tools.h"
#include "io/attest.h"
#include "os/os.h"

/* Where install would get the provenance bundle: "lock" (the pinned bundle), "asset",
 * "attestations", or "" when it would check the digest only. */
static const char *provenance_source(const struct sw_plan *plan, const struct sw_resolved *r)
{
    struct sw_semver v;
    if (sw_semver_parse(r->version, &v, NULL) < 0 || !sw_version_attested(&v) ||
        !sw_verify_wants_provenance(plan->verify, true))
        return "";
    if (r->prov_bundle[0])
        return "lock";
    if (r->has_sigstore_asset == 1 || (r->has_sigstore_asset < 0 && sw_version_has_sigstore_asset(&v)))
        return "asset";
    return "attestations";
}

static int resolve_wash(struct sw_ctx *ctx, const struct sw_args *args, struct sw_plan *plan_,
                        void *tools_, struct sw_error *err)
{
    struct sw_plan plan = *plan_;
    cJSON *tools = tools_;
    struct sw_resolved r = {0};
    int rc = -1;
    char *dir = NULL;
    if (sw_resolve(ctx, &plan, &r, err) < 0)
        goto out;
    {
        char *planned = sw_plan_install_dir(ctx, &plan, r.version);
        dir = sw_os_path_out(planned); /* the platform's own form, as install reports it */
        free(planned);
    }
    if (sw_flag(args, "json")) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "wash-version", r.version);
        cJSON_AddStringToObject(o, "tag", r.tag);
        cJSON_AddStringToObject(o, "repository", r.repo);
        cJSON_AddStringToObject(o, "line", r.line == SW_LINE_OLD ? "old" : "new");
        cJSON_AddStringToObject(o, "target", plan.target.triple);
        cJSON_AddStringToObject(o, "asset", r.asset);
        cJSON_AddStringToObject(o, "digest", r.digest);
        cJSON_AddStringToObject(o, "digest-source", r.digest_source ? r.digest_source : "");
        cJSON_AddBoolToObject(o, "from-lock", r.from_lock);
        cJSON_AddStringToObject(o, "verify", sw_verify_mode_name(plan.verify));
        cJSON_AddStringToObject(o, "provenance-source", provenance_source(&plan, &r));
        cJSON_AddStringToObject(o, "install-dir", dir);
        cJSON_AddNumberToObject(o, "lock-plugins", plan.lock ? (double)plan.lock->nplugins : 0);
        cJSON_AddNumberToObject(o, "min-release-age", (double)plan.cooldown.age);
        cJSON_AddStringToObject(o, "held-back", r.held_back);
        if (tools)
            cJSON_AddItemToObject(o, "tools", tools);
        tools = NULL;
        sw_print_json(ctx, o);
    } else {
        const char *src = provenance_source(&plan, &r);
        sw_result(ctx, "wash %s: %s of %s, asset %s%s, digest %s, provenance %s", r.version, r.tag,
                  r.repo, r.asset, r.fallback ? " (musl fallback)" : "",
                  r.digest[0] ? r.digest : "(none known)",
                  !src[0]                     ? "not checked"
                  : strcmp(src, "lock") == 0  ? "pinned in the lock"
                  : strcmp(src, "asset") == 0 ? "from " SW_SIGSTORE_ASSET
                                              : "from the attestations API");
    }
    rc = 0;
out:
    cJSON_Delete(tools);
    free(dir);
    sw_resolved_free(&r);
    return rc;
}

static int cmd_resolve(struct sw_ctx *ctx, const struct sw_args *args, struct sw_error *err)
{
    return sw_tools_run(ctx, args, sw_tools_resolve, resolve_wash, err);
}

static const struct sw_opt resolve_opts[] = {
    {"version", "SPEC", "latest (default), rc, an exact version, or a range"},
    {"target", "TRIPLE", "Rust target triple (default: this host)"},
    {"lock", "FILE", "lockfile (default: ./plugins.lock when present)"},
    {"cache-dir", "DIR", "cache root (holds the API response cache)"},
    {"cacert", "FILE", "CA bundle to trust"},
    {"verify", "MODE", "auto (default), digest, provenance or none: what install would check"},
    {"min-release-age", "AGE", "skip releases newer than AGE (24h, 3d, 2w; default 0: none)"},
    {"offline", NULL, "make no request: answer only exact versions and lock pins"},
    {"lock-tools", NULL, "also every tool the lockfile pins (what no TOOL word means)"},
    {"json", NULL, "print the result as one JSON object"},
    {"quiet", NULL, "no information on stderr"},
    {"help", NULL, "show this help"},
    {NULL, NULL, NULL},
};

const struct sw_cmd sw_cmd_resolve = {
    .name = "resolve",
    .summary = "show which release and asset of wash or a tool a spec selects, without installing",
    .usage = "[TOOL[@SPEC]...]",
    .opts = resolve_opts,
    .max_pos = 16,
    .run = cmd_resolve,
    .details = "The version specs are those of 'setup-wash help install'. --json prints\n"
               "wash-version, tag, repository, line, target, asset, digest, digest-source,\n"
               "from-lock, verify, provenance-source (where install would get the Sigstore\n"
               "bundle: lock, asset, attestations, or empty for the digest only), install-dir\n"
               "(where install puts it), lock-plugins (how many plugins the lock lists),\n"
               "min-release-age (seconds) and held-back (the newer match it skipped, or\n"
               "empty).\n"
               "With --offline, asset and digest are known only when the lock pins the\n"
               "version.\n"
               "\n"
               "With TOOL[@SPEC] words (tinygo, wasm-tools@^1.240, wkg, componentize-go;\n"
               "wash@SPEC is --version SPEC), --json prints {\"tools\": [...]} (inside wash's\n"
               "object when wash is named too), an object per tool with name, version, tag,\n"
               "repository, target, asset, digest, digest-source, from-lock, verify (the check\n"
               "install would make: provenance, checksums, digest or none), install-dir, path\n"
               "and held-back.\n",
};
