/* Doctor's report as text, JSON and Markdown. Pure: strings in, strings out. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/doctor.h"
#include "core/json.h"
#include "core/text.h"

static const char *mark(enum sw_check_status s)
{
    switch (s) {
    case SW_CHECK_OK:
        return "\xe2\x9c\x93"; /* ✓ */
    case SW_CHECK_WARN:
        return "!";
    case SW_CHECK_ERROR:
        return "\xe2\x9c\x97"; /* ✗ */
    case SW_CHECK_SKIP:
        break;
    }
    return "-";
}

static const char *colour(enum sw_check_status s)
{
    switch (s) {
    case SW_CHECK_OK:
        return "\033[32m";
    case SW_CHECK_WARN:
        return "\033[33m";
    case SW_CHECK_ERROR:
        return "\033[31m";
    case SW_CHECK_SKIP:
        break;
    }
    return "\033[2m";
}

static void counts(const struct sw_report *r, size_t n[4])
{
    memset(n, 0, 4 * sizeof(n[0]));
    for (size_t i = 0; i < r->n; i++)
        n[r->checks[i].status]++;
}

char *sw_report_text(const struct sw_report *r, bool color)
{
    struct sw_buf b = SW_BUF_INIT;
    size_t width = 0;
    for (size_t i = 0; i < r->n; i++)
        if (strlen(r->checks[i].id) > width)
            width = strlen(r->checks[i].id);
    for (size_t i = 0; i < r->n; i++) {
        const struct sw_check *c = &r->checks[i];
        if (color)
            sw_buf_printf(&b, "%s%s\033[0m ", colour(c->status), mark(c->status));
        else
            sw_buf_printf(&b, "%s ", mark(c->status));
        sw_buf_printf(&b, "%-*s  ", (int)width, c->id);
        sw_sanitize_buf(&b, c->message);
        sw_buf_adds(&b, "\n");
    }
    bool any = false;
    for (size_t i = 0; i < r->n; i++) {
        const struct sw_check *c = &r->checks[i];
        if (!c->fix[0] || (c->status != SW_CHECK_WARN && c->status != SW_CHECK_ERROR))
            continue;
        if (!any)
            sw_buf_adds(&b, "\nfixes:\n");
        any = true;
        sw_buf_printf(&b, "  %-*s  ", (int)width, c->id);
        sw_sanitize_buf(&b, c->fix);
        sw_buf_adds(&b, "\n");
    }
    any = false;
    for (size_t i = 0; i < r->n; i++) {
        const struct sw_check *c = &r->checks[i];
        if (!c->applied[0])
            continue;
        if (!any)
            sw_buf_adds(&b, "\nfixed by doctor --fix:\n");
        any = true;
        sw_buf_printf(&b, "  %-*s  ran '", (int)width, c->id);
        sw_sanitize_buf(&b, c->applied);
        sw_buf_adds(&b, "': ");
        if (c->applied_exit < 0)
            sw_buf_adds(&b, "it did not finish, ");
        else if (c->applied_exit > 0)
            sw_buf_printf(&b, "exit code %d, ", c->applied_exit);
        sw_buf_adds(&b, c->fixed ? "fixed" : "not fixed");
        const struct sw_fix_install *in = &c->installed;
        if (in->tool[0]) {
            sw_buf_printf(&b, "; %s %s %s ", in->tool, in->version,
                          in->downloaded ? "downloaded into" : "taken from the cache at");
            sw_sanitize_buf(&b, in->bin);
        }
        sw_buf_adds(&b, "\n");
    }
    size_t n[4];
    counts(r, n);
    sw_buf_printf(&b, "\ndoctor: %s (%zu error%s, %zu warning%s, %zu ok, %zu skipped)\n",
                  sw_check_status_name(r->status), n[SW_CHECK_ERROR],
                  n[SW_CHECK_ERROR] == 1 ? "" : "s", n[SW_CHECK_WARN],
                  n[SW_CHECK_WARN] == 1 ? "" : "s", n[SW_CHECK_OK], n[SW_CHECK_SKIP]);
    return sw_buf_detach(&b);
}

char *sw_report_json(const struct sw_report *r)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "status", sw_check_status_name(r->status));
    cJSON *checks = cJSON_AddArrayToObject(root, "checks");
    for (size_t i = 0; i < r->n; i++) {
        const struct sw_check *c = &r->checks[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", c->id);
        cJSON_AddStringToObject(o, "status", sw_check_status_name(c->status));
        cJSON_AddStringToObject(o, "message", c->message);
        cJSON_AddStringToObject(o, "fix", c->fix);
        cJSON *found = cJSON_AddObjectToObject(o, "found");
        for (size_t k = 0; k < c->nfound; k++)
            cJSON_AddStringToObject(found, c->found[k].key, c->found[k].val);
        if (c->applied[0]) {
            cJSON *a = cJSON_AddObjectToObject(o, "fix-applied");
            cJSON_AddStringToObject(a, "command", c->applied);
            cJSON_AddNumberToObject(a, "exit-code", c->applied_exit);
            cJSON_AddBoolToObject(a, "fixed", c->fixed);
            if (c->installed.tool[0]) {
                cJSON *in = cJSON_AddObjectToObject(a, "installed");
                cJSON_AddStringToObject(in, "tool", c->installed.tool);
                cJSON_AddStringToObject(in, "version", c->installed.version);
                cJSON_AddStringToObject(in, "bin", c->installed.bin);
                cJSON_AddBoolToObject(in, "downloaded", c->installed.downloaded);
            }
        }
        cJSON_AddItemToArray(checks, o);
    }
    char *text = sw_json_print(root);
    cJSON_Delete(root);
    return text;
}

char *sw_report_markdown(const struct sw_report *r, const char *project_dir)
{
    struct sw_buf b = SW_BUF_INIT;
    size_t n[4];
    counts(r, n);
    sw_buf_printf(&b, "### setup-wash doctor: %s\n\nProject `", sw_check_status_name(r->status));
    sw_md_cell(&b, project_dir);
    sw_buf_printf(&b, "`: %zu error%s, %zu warning%s, %zu ok, %zu skipped.\n\n",
                  n[SW_CHECK_ERROR], n[SW_CHECK_ERROR] == 1 ? "" : "s", n[SW_CHECK_WARN],
                  n[SW_CHECK_WARN] == 1 ? "" : "s", n[SW_CHECK_OK], n[SW_CHECK_SKIP]);
    sw_buf_adds(&b, "| | check | status | message | fix |\n|---|---|---|---|---|\n");
    for (size_t i = 0; i < r->n; i++) {
        const struct sw_check *c = &r->checks[i];
        sw_buf_printf(&b, "| %s | `%s` | %s | ", mark(c->status), c->id,
                      sw_check_status_name(c->status));
        sw_md_cell(&b, c->message);
        if (c->applied[0]) {
            sw_buf_adds(&b, " (doctor --fix ran '");
            sw_md_cell(&b, c->applied);
            sw_buf_printf(&b, "': %s)", c->fixed ? "fixed" : "not fixed");
        }
        sw_buf_adds(&b, " | ");
        sw_md_cell(&b, c->fix);
        sw_buf_adds(&b, " |\n");
    }
    sw_buf_adds(&b, "\n");
    return sw_buf_detach(&b);
}
