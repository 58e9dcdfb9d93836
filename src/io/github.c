#include "io/github.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

/* base without trailing slashes, then the rest */
static char *api_join(const char *base, const char *rest)
{
    size_t l = strlen(base);
    while (l > 0 && base[l - 1] == '/')
        l--;
    return sw_xasprintf("%.*s%s", (int)l, base, rest);
}

static char *escape(const char *s)
{
    char *e = curl_easy_escape(NULL, s, 0);
    char *r = sw_xstrdup(e ? e : "");
    curl_free(e);
    return r;
}

int sw_github_list_releases(struct sw_http *h, const char *api_url, const char *repo,
                            struct sw_releases *rs, struct sw_error *err)
{
    char *path = sw_xasprintf("/repos/%s/releases?per_page=100", repo);
    char *url = api_join(api_url, path);
    char *what = NULL;
    int rc = -1;
    bool trust_cache = false;
    free(path);
    for (int page = 1; url; page++) {
        struct sw_http_response resp = {0};
        free(what);
        what = sw_xasprintf("listing releases of '%s' (page %d)", repo, page);
        int got = -1;
        if (trust_cache)
            got = sw_http_cache_peek(h, url, &resp);
        if (got < 0 && sw_http_get_json(h, url, true, &resp, err) < 0) {
            sw_error_wrap(err, "%s", what);
            sw_http_response_free(&resp);
            goto out;
        }
        if (page == 1)
            trust_cache = resp.from_cache;
        if (resp.status == 404) {
            sw_error_set(err, SW_EXIT_NOTFOUND,
                         "%s: the repository was not found (HTTP 404); check GITHUB_API_URL",
                         what);
            sw_http_response_free(&resp);
            goto out;
        }
        if (page > 100) {
            sw_error_set(err, SW_EXIT_NETWORK, "%s: more than 100 pages: giving up", what);
            sw_http_response_free(&resp);
            goto out;
        }
        if (sw_releases_add_json(rs, repo, resp.body.data ? resp.body.data : "", resp.body.len,
                                 what, err) < 0) {
            sw_http_response_free(&resp);
            goto out;
        }
        free(url);
        url = resp.next;
        resp.next = NULL;
        sw_http_response_free(&resp);
    }
    rc = 0;
out:
    free(url);
    free(what);
    return rc;
}

/* The answer to releases/tags/TAG must be the release of TAG: a mirror, proxy or cache that
 * answers with another release (a swapped version) is refused, whatever that release is. A
 * body that is not a release object is left to the release parser to report. */
static int answer_is_tag(const char *body, size_t len, const char *tag, const char *what,
                         struct sw_error *err)
{
    cJSON *root = cJSON_ParseWithLength(body, len);
    int rc = 0;
    if (cJSON_IsObject(root)) {
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(root, "tag_name");
        if (!cJSON_IsString(t) || strcmp(t->valuestring, tag) != 0) {
            char got[128];
            sw_sanitize(got, sizeof(got), cJSON_IsString(t) ? t->valuestring : "(none)");
            rc = sw_error_set(err, SW_EXIT_VERIFY,
                              "%s: the API answered with release '%s' instead; refusing it (a "
                              "mirror or proxy between here and the API rewrites answers?)",
                              what, got);
        }
    }
    cJSON_Delete(root);
    return rc;
}

int sw_github_release_by_tag(struct sw_http *h, const char *api_url, const char *repo,
                             const char *tag, struct sw_releases *rs, bool *found,
                             struct sw_error *err)
{
    char *etag = escape(tag);
    char *path = sw_xasprintf("/repos/%s/releases/tags/%s", repo, etag);
    char *url = api_join(api_url, path);
    char *what = sw_xasprintf("looking up release '%s' of '%s'", tag, repo);
    struct sw_http_response resp = {0};
    int rc = -1;
    *found = false;
    if (sw_http_get_json(h, url, true, &resp, err) < 0) {
        sw_error_wrap(err, "%s", what);
        goto out;
    }
    if (resp.status == 404) {
        rc = 0;
        goto out;
    }
    size_t before = rs->n;
    const char *body = resp.body.data ? resp.body.data : "";
    if (answer_is_tag(body, resp.body.len, tag, what, err) < 0 ||
        sw_releases_add_json(rs, repo, body, resp.body.len, what, err) < 0)
        goto out;
    *found = rs->n > before;
    rc = 0;
out:
    sw_http_response_free(&resp);
    free(etag);
    free(path);
    free(url);
    free(what);
    return rc;
}

char *sw_github_download_url(const char *server_url, const char *repo, const char *tag,
                             const char *asset)
{
    char *t = escape(tag), *a = escape(asset);
    char *path = sw_xasprintf("/%s/releases/download/%s/%s", repo, t, a);
    char *url = api_join(server_url, path);
    free(t);
    free(a);
    free(path);
    return url;
}
