/* `lock` without TOOL: the bump. Every entry of the lock (wash and each tool under "tools") is
 * resolved again from the spec it was locked from, with the cooldown and the rules; an entry
 * whose version does not move keeps its pin as it is (no download, the same bytes), and what
 * moved and what was held back is reported as a table, or with --json as
 * {"lock", "written", "changes": [{"tool","old","new"}],
 *  "held-back": [{"tool","version","taking","reason","why"}]}: reason is "min-release-age"
 * (the cooldown) or "tinygo-go" (the newer match misses the Go that will build).
 *
 * Ownership: a struct sw_bump owns nothing; it lives on the caller's stack. */
#ifndef SW_CMD_LOCK_BUMP_H
#define SW_CMD_LOCK_BUMP_H

#include <stdbool.h>
#include <stddef.h>

#include "cmd/ctx.h"
#include "core/semver.h"

#define SW_BUMP_MAX 16

struct sw_bump_change {
    char tool[32];
    char old[SW_SEMVER_STR_MAX]; /* "" when the lock did not pin it */
    char now[SW_SEMVER_STR_MAX];
};

struct sw_bump_held {
    char tool[32];
    char version[SW_SEMVER_STR_MAX]; /* the newer match left out */
    char taking[SW_SEMVER_STR_MAX];  /* what was pinned instead */
    const char *reason;              /* SW_BUMP_COOLDOWN or SW_BUMP_RULE; static */
    char why[400];                   /* "published more recently than --min-release-age allows" */
};

struct sw_bump {
    struct sw_bump_change changes[SW_BUMP_MAX];
    size_t nchanges;
    struct sw_bump_held held[SW_BUMP_MAX];
    size_t nheld;
};

/* Records what resolving `tool` found: `old` the version the lock pinned (NULL: none), `now`
 * the version selected. Returns true when the pin stays as it is (now is old). */
bool sw_bump_take(struct sw_bump *b, const char *tool, const char *old, const char *now);

/* Records that `version` of `tool` was held back for `reason` (SW_BUMP_*), said as `why`,
 * taking `taking` instead. */
void sw_bump_hold(struct sw_bump *b, const char *tool, const char *version, const char *taking,
                  const char *reason, const char *why);

/* Why a version is held back: the cooldown (said as SW_BUMP_COOLDOWN_WHY), or a rule for the
 * Go that will build (core/compat.h: sw_compat_tinygo_misses says it), as the doctor check of
 * that rule is named. */
#define SW_BUMP_COOLDOWN "min-release-age"
#define SW_BUMP_COOLDOWN_WHY "published more recently than --min-release-age allows"
#define SW_BUMP_RULE "tinygo-go"

/* Prints the outcome: the table of changes and the held-back lines on stdout (text), or the
 * JSON document; `written` says whether lock_path was written (false: it was up to date). */
void sw_bump_report(struct sw_ctx *ctx, const struct sw_bump *b, const char *lock_path,
                    bool written, bool json);

#endif
