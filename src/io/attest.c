#include "io/attest.h"

#include <cjson/cJSON.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/snappy.h"
#include "core/verify.h"
#include "data/wash.h"
#include "io/fs.h"
#include "io/github.h"

int sw_attest_fetch_asset(struct sw_http *h, const char *server_url, const char *repo,
                          const char *tag, struct sw_buf *out, bool *found, struct sw_error *err)
{
    char *url = sw_github_download_url(server_url, repo, tag, SW_SIGSTORE_ASSET);
    struct sw_http_request rq = {
        .url = url, .body = out, .max_size = SW_BUNDLE_MAX, .pass = SW_HTTP_PASS_404};
    struct sw_http_reply reply;
    int rc = sw_http_fetch(h, &rq, &reply, err);
    free(url);
    *found = rc == 0 && reply.status != 404;
    if (rc == 0 && !*found)
        sw_buf_reset(out);
    return rc;
}

int sw_attest_parse(const char *json, size_t len, struct sw_attestations *out, struct sw_error *err)
{
    memset(out, 0, sizeof(*out));
    cJSON *root = cJSON_ParseWithLength(json, len);
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "attestations");
    if (!cJSON_IsArray(list)) {
        cJSON_Delete(root);
        return sw_error_set(err, SW_EXIT_NETWORK,
                            "the attestations API answered something else than "
                            "{\"attestations\": [...]}");
    }
    out->items = sw_xcalloc(SW_ATTEST_MAX, sizeof(*out->items));
    for (const cJSON *a = list->child; a && out->n < SW_ATTEST_MAX; a = a->next) {
        const cJSON *bundle = cJSON_GetObjectItemCaseSensitive(a, "bundle");
        const cJSON *url = cJSON_GetObjectItemCaseSensitive(a, "bundle_url");
        struct sw_attestation *it = &out->items[out->n];
        if (cJSON_IsObject(bundle)) {
            it->bundle = cJSON_PrintUnformatted(bundle);
            it->bundle_len = strlen(it->bundle);
        } else if (cJSON_IsString(url) && url->valuestring[0]) {
            it->bundle_url = sw_xstrdup(url->valuestring);
        } else {
            continue;
        }
        out->n++;
    }
    cJSON_Delete(root);
    return 0;
}

int sw_attest_list(struct sw_http *h, const char *api_url, const char *repo, const char *hex,
                   struct sw_attestations *out, struct sw_error *err)
{
    size_t l = strlen(api_url);
    while (l > 0 && api_url[l - 1] == '/')
        l--;
    char *url = sw_xasprintf("%.*s/repos/%s/attestations/sha256:%s", (int)l, api_url, repo, hex);
    struct sw_http_response resp = {0};
    int rc = -1;
    memset(out, 0, sizeof(*out));
    if (sw_http_get_json(h, url, false, &resp, err) < 0)
        goto out;
    if (resp.status == 404) {
        rc = 0;
        goto out;
    }
    rc = sw_attest_parse(resp.body.data ? resp.body.data : "", resp.body.len, out, err);
out:
    sw_http_response_free(&resp);
    free(url);
    return rc;
}

void sw_attestations_free(struct sw_attestations *a)
{
    for (size_t i = 0; i < a->n; i++) {
        free(a->items[i].bundle);
        free(a->items[i].bundle_url);
    }
    free(a->items);
    memset(a, 0, sizeof(*a));
}

int sw_attest_fetch_url(struct sw_http *h, const char *url, struct sw_buf *out,
                        struct sw_error *err)
{
    struct sw_buf raw = SW_BUF_INIT;
    /* github = false: the token is never sent here, whatever the URL */
    struct sw_http_request rq = {.url = url, .body = &raw, .max_size = SW_BUNDLE_MAX};
    struct sw_http_reply reply;
    int rc = sw_http_check_server_url(h, url, "the URL", "the attestations API", err);
    if (rc == 0)
        rc = sw_http_fetch(h, &rq, &reply, err);
    if (rc == 0 && sw_snappy_uncompress(raw.data, raw.len, SW_BUNDLE_MAX, out, err) < 0)
        rc = sw_error_wrap(err, "decompressing the bundle");
    sw_buf_free(&raw);
    return rc;
}

char *sw_bundle_cache_path(const char *cache_root, const char *digest)
{
    return sw_xasprintf("%s/.setup-wash/bundles/sha256/%s.json", cache_root, digest + 7);
}

bool sw_bundle_cache_get(const char *cache_root, const char *digest, struct sw_buf *out)
{
    unsigned char want[32], got[32];
    if (sw_digest_parse(digest, want) < 0)
        return false;
    char *path = sw_bundle_cache_path(cache_root, digest);
    struct sw_buf b = SW_BUF_INIT;
    bool ok = false;
    if (sw_fs_read(path, SW_BUNDLE_MAX, &b, NULL, NULL) == 0) {
        EVP_Digest(b.data ? b.data : "", b.len, got, NULL, EVP_sha256(), NULL);
        ok = CRYPTO_memcmp(want, got, sizeof(want)) == 0;
        if (!ok) /* a damaged copy only costs a fetch: drop it */
            sw_fs_rm_rf(path, NULL);
        else
            sw_buf_add(out, b.data ? b.data : "", b.len);
    }
    sw_buf_free(&b);
    free(path);
    return ok;
}

int sw_bundle_cache_put(const char *cache_root, const void *data, size_t len, struct sw_error *err)
{
    unsigned char md[32];
    char digest[80];
    EVP_Digest(data, len, md, NULL, EVP_sha256(), NULL);
    sw_digest_format(md, digest, sizeof(digest));
    char *path = sw_bundle_cache_path(cache_root, digest);
    char *dir = sw_xstrndup(path, (size_t)(strrchr(path, '/') - path));
    int rc = sw_fs_mkdir_p(dir, 0755, err);
    if (rc == 0)
        rc = sw_fs_write_atomic(path, data, len, 0644, err);
    free(dir);
    free(path);
    return rc;
}
