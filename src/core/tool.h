/* The rules of the tools table (data/tools.h) as functions: which tags are releases of a tool,
 * where an exact version lives, which asset serves a target, and what a TOOL[@SPEC] word asks.
 * Pure logic, no I/O; wash's own rules stay in core/release.h and core/target.h. */
#ifndef SW_TOOL_H
#define SW_TOOL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "core/semver.h"
#include "data/tools.h"

/* Parses a word of the command line, "tinygo", "tinygo@0.40.1", "wasm-tools@^1.240", into the
 * row and the spec (latest when there is no '@'). Returns 0 (free the spec with
 * sw_spec_free), or -1 with err (SW_EXIT_USAGE) naming the known tools or the bad spec. */
int sw_tool_request_parse(const char *word, const struct sw_tool **tool, struct sw_spec *spec,
                          struct sw_error *err);

/* A spec for tool t: "auto" for a tool with auto_by_go (a LATEST spec whose text is "auto":
 * sw_spec_is_auto), else sw_spec_parse. "auto" for another tool is a usage error. */
int sw_tool_spec_parse(const struct sw_tool *t, const char *text, struct sw_spec *spec,
                       struct sw_error *err);

/* Whether the spec is TOOL@auto. */
bool sw_spec_is_auto(const struct sw_spec *spec);

/* Whether a tag of repo is a release of the tool (a tag form of the row, version in range,
 * not a moving tag nor a never-taken prerelease). Fills *version when it is. */
bool sw_tool_classify(const struct sw_tool *t, const char *repo, const char *tag,
                      struct sw_semver *version);

/* The repository and tag of an exact version: 0, or -1 with err (SW_EXIT_NOTFOUND) when no tag
 * form covers it. *repo is static. */
int sw_tool_tag_for(const struct sw_tool *t, const struct sw_semver *v, const char **repo,
                    char *tag, size_t n, struct sw_error *err);

/* The distinct repositories of the tool's tag forms, in table order: up to max into repos.
 * Returns the count. */
size_t sw_tool_repos(const struct sw_tool *t, const char **repos, size_t max);

/* The name of the asset that serves target at version v into out[n]: 0, or -1 with err
 * (SW_EXIT_NOTFOUND) naming the targets that version has builds for. */
int sw_tool_asset_name(const struct sw_tool *t, const char *target, const struct sw_semver *v,
                       char *out, size_t n, struct sw_error *err);

/* Every target the tool has a build for at version v, in sw_tool_targets order, with its
 * asset name: up to max pairs; returns the count. */
struct sw_tool_target_asset {
    const char *target;
    char name[160];
};
size_t sw_tool_assets_at(const struct sw_tool *t, const struct sw_semver *v,
                         struct sw_tool_target_asset *out, size_t max);

/* Whether the asset is a Windows executable to be named <exe>.exe (a Windows target). */
bool sw_tool_target_is_windows(const char *target);

#endif
