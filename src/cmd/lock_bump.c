/* The bump's record and its report (cmd/lock_bump.h). */
#include "cmd/lock_bump.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "cmd/plan.h"

bool sw_bump_take(struct sw_bump *b, const char *tool, const char *old, const char *now)
{
    if (old && strcmp(old, now) == 0)
        return true;
    if (b->nchanges < SW_BUMP_MAX) {
        struct sw_bump_change *c = &b->changes[b->nchanges++];
        snprintf(c->tool, sizeof(c->tool), "%s", tool);
        snprintf(c->old, sizeof(c->old), "%s", old ? old : "");
        snprintf(c->now, sizeof(c->now), "%s", now);
    }
    return false;
}

void sw_bump_hold(struct sw_bump *b, const char *tool, const char *version, const char *taking,
                  const char *reason, const char *why)
{
    if (b->nheld >= SW_BUMP_MAX)
        return;
    struct sw_bump_held *h = &b->held[b->nheld++];
    snprintf(h->tool, sizeof(h->tool), "%s", tool);
    snprintf(h->version, sizeof(h->version), "%s", version);
    snprintf(h->taking, sizeof(h->taking), "%s", taking);
    h->reason = reason;
    snprintf(h->why, sizeof(h->why), "%s", why);
}

static void report_json(struct sw_ctx *ctx, const struct sw_bump *b, const char *lock_path,
                        bool written)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "lock", lock_path);
    cJSON_AddBoolToObject(doc, "written", written);
    cJSON *changes = cJSON_AddArrayToObject(doc, "changes");
    for (size_t i = 0; i < b->nchanges; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "tool", b->changes[i].tool);
        if (b->changes[i].old[0])
            cJSON_AddStringToObject(o, "old", b->changes[i].old);
        else
            cJSON_AddNullToObject(o, "old");
        cJSON_AddStringToObject(o, "new", b->changes[i].now);
        cJSON_AddItemToArray(changes, o);
    }
    cJSON *held = cJSON_AddArrayToObject(doc, "held-back");
    for (size_t i = 0; i < b->nheld; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "tool", b->held[i].tool);
        cJSON_AddStringToObject(o, "version", b->held[i].version);
        cJSON_AddStringToObject(o, "taking", b->held[i].taking);
        cJSON_AddStringToObject(o, "reason", b->held[i].reason);
        cJSON_AddStringToObject(o, "why", b->held[i].why);
        cJSON_AddItemToArray(held, o);
    }
    sw_print_json(ctx, doc);
}

void sw_bump_report(struct sw_ctx *ctx, const struct sw_bump *b, const char *lock_path,
                    bool written, bool json)
{
    if (json) {
        report_json(ctx, b, lock_path, written);
        return;
    }
    if (!written)
        sw_result(ctx, "%s is up to date: every entry is the newest its spec allows",
                  lock_path);
    else if (b->nchanges == 0)
        sw_result(ctx, "%s: no version moved; its pins were refreshed", lock_path);
    else
        sw_result(ctx, "%-18s %-14s    %s", "tool", "old", "new");
    for (size_t i = 0; i < b->nchanges; i++)
        sw_result(ctx, "%-18s %-14s -> %s", b->changes[i].tool,
                  b->changes[i].old[0] ? b->changes[i].old : "(none)", b->changes[i].now);
    for (size_t i = 0; i < b->nheld; i++)
        sw_result(ctx, "%s %s held back: %s (took %s)", b->held[i].tool, b->held[i].version,
                  b->held[i].why, b->held[i].taking);
}
