#include "io/oci.h"

#include <cjson/cJSON.h>
#include <openssl/crypto.h>
#include <curl/curl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/url.h"
#include "core/verify.h"
#include "io/dockercfg.h"

struct token {
    char *key;  /* "host/repository" */
    char *auth; /* "Bearer ..." or "Basic ..." */
};

struct sw_oci {
    struct sw_http *h;
    struct sw_oci_config cfg;
    struct token *tokens;
    size_t ntokens;
    char **urls; /* strings handed out in requests, freed with the client */
    size_t nurls;
};

struct sw_oci *sw_oci_new(struct sw_http *h, const struct sw_oci_config *cfg)
{
    struct sw_oci *o = sw_xcalloc(1, sizeof(*o));
    o->h = h;
    o->cfg = *cfg;
    return o;
}

void sw_oci_free(struct sw_oci *o)
{
    if (!o)
        return;
    for (size_t i = 0; i < o->ntokens; i++) {
        OPENSSL_cleanse(o->tokens[i].auth, strlen(o->tokens[i].auth));
        free(o->tokens[i].key);
        free(o->tokens[i].auth);
    }
    for (size_t i = 0; i < o->nurls; i++)
        free(o->urls[i]);
    free(o->urls);
    free(o->tokens);
    free(o);
}

static const char *keep(struct sw_oci *o, char *s)
{
    o->urls = sw_xrealloc(o->urls, (o->nurls + 1) * sizeof(*o->urls));
    o->urls[o->nurls++] = s;
    return s;
}

static bool plain_http(const struct sw_oci *o, const char *host)
{
    return sw_url_host_listed(host, o->cfg.plain_http);
}

static char *registry_url(const struct sw_oci *o, const struct sw_oci_ref *ref, const char *kind,
                          const char *what)
{
    return sw_xasprintf("%s://%s/v2/%s/%s/%s", plain_http(o, ref->host) ? "http" : "https",
                        ref->host, ref->repository, kind, what);
}

static const char *token_for(const struct sw_oci *o, const struct sw_oci_ref *ref)
{
    for (size_t i = 0; i < o->ntokens; i++) {
        size_t hl = strlen(ref->host);
        if (strncmp(o->tokens[i].key, ref->host, hl) == 0 && o->tokens[i].key[hl] == '/' &&
            strcmp(o->tokens[i].key + hl + 1, ref->repository) == 0)
            return o->tokens[i].auth;
    }
    return NULL;
}

static void set_token(struct sw_oci *o, const struct sw_oci_ref *ref, char *auth)
{
    o->tokens = sw_xrealloc(o->tokens, (o->ntokens + 1) * sizeof(*o->tokens));
    o->tokens[o->ntokens].key = sw_xasprintf("%s/%s", ref->host, ref->repository);
    o->tokens[o->ntokens].auth = auth;
    o->ntokens++;
}

static char *basic(const char *user, const char *pass)
{
    char *plain = sw_xasprintf("%s:%s", user, pass);
    size_t n = strlen(plain);
    char *b64 = sw_xmalloc(4 * ((n + 2) / 3) + 1);
    EVP_EncodeBlock((unsigned char *)b64, (const unsigned char *)plain, (int)n);
    char *auth = sw_xasprintf("Basic %s", b64);
    OPENSSL_cleanse(plain, n);
    free(plain);
    free(b64);
    return auth;
}

/* Answers a 401: a token from the Bearer realm, or Basic credentials. */
static int authenticate(struct sw_oci *o, const struct sw_oci_ref *ref, const char *challenge,
                        struct sw_error *err)
{
    struct sw_oci_challenge c;
    struct sw_docker_creds creds = {0};
    char shown[600];
    int rc = -1;
    char *url = NULL;
    struct sw_buf body = SW_BUF_INIT;
    cJSON *root = NULL;
    sw_oci_ref_str(ref, shown, sizeof(shown));
    if (sw_oci_challenge_parse(challenge, &c, err) < 0)
        return sw_error_wrap(err, "pulling '%s'", shown);
    if (sw_docker_creds_lookup(ref->registry, o->cfg.docker_config, o->cfg.home, o->cfg.path_env,
                               &creds, err) < 0)
        return sw_error_wrap(err, "pulling '%s'", shown);

    if (strcasecmp(c.scheme, "Basic") == 0) {
        if (!creds.found) {
            sw_error_set(err, SW_EXIT_NETWORK,
                         "registry '%s' requires a login for '%s' and no credentials were found: "
                         "run 'docker login %s' (setup-wash reads $DOCKER_CONFIG/config.json or "
                         "~/.docker/config.json and their credential helpers)",
                         ref->registry, shown, ref->registry);
            goto out;
        }
        set_token(o, ref, basic(creds.username, creds.secret));
        rc = 0;
        goto out;
    }
    if (strcasecmp(c.scheme, "Bearer") != 0) {
        sw_error_set(err, SW_EXIT_NETWORK, "registry '%s' asks for '%s' authentication, which "
                     "setup-wash does not speak", ref->registry, c.scheme);
        goto out;
    }
    char *base = registry_url(o, ref, "", "");
    int bad = sw_http_check_server_url(o->h, c.realm, "the token realm", base, err);
    free(base);
    if (bad < 0) {
        sw_error_wrap(err, "pulling '%s'", shown);
        goto out;
    }
    char scope[640];
    if (c.scope[0])
        snprintf(scope, sizeof(scope), "%s", c.scope);
    else
        snprintf(scope, sizeof(scope), "repository:%s:pull", ref->repository);
    char *svc = curl_easy_escape(NULL, c.service, 0), *scp = curl_easy_escape(NULL, scope, 0);
    url = sw_xasprintf("%s%sservice=%s&scope=%s", c.realm, strchr(c.realm, '?') ? "&" : "?",
                       svc ? svc : "", scp ? scp : "");
    curl_free(svc);
    curl_free(scp);
    char *auth = creds.found ? basic(creds.username, creds.secret) : NULL;
    struct sw_http_request rq = {.url = url,
                                 .accept = "application/json",
                                 .authorization = auth,
                                 .body = &body,
                                 .max_size = 1u << 20,
                                 .pass = SW_HTTP_PASS_401};
    struct sw_http_reply reply;
    int frc = sw_http_fetch(o->h, &rq, &reply, err);
    if (auth) {
        OPENSSL_cleanse(auth, strlen(auth));
        free(auth);
    }
    if (frc < 0) {
        sw_error_wrap(err, "getting a registry token for '%s'", shown);
        goto out;
    }
    if (reply.status == 401) {
        sw_error_set(err, SW_EXIT_NETWORK,
                     "registry '%s' refused %s for '%s' (HTTP 401): %s", ref->registry,
                     creds.found ? "the credentials from the docker config" : "anonymous access",
                     shown,
                     creds.found ? "check them with 'docker login'"
                                 : "log in with 'docker login' first");
        goto out;
    }
    root = cJSON_ParseWithLength(sw_buf_str(&body), body.len);
    const char *tok = sw_json_str(root, "token");
    if (!tok)
        tok = sw_json_str(root, "access_token");
    if (!tok || !tok[0] || strpbrk(tok, "\r\n")) {
        sw_error_set(err, SW_EXIT_NETWORK, "the token service of '%s' answered without a token",
                     ref->registry);
        goto out;
    }
    set_token(o, ref, sw_xasprintf("Bearer %s", tok));
    rc = 0;
out:
    sw_docker_creds_clear(&creds);
    cJSON_Delete(root);
    if (body.data)
        OPENSSL_cleanse(body.data, body.len);
    sw_buf_free(&body);
    free(url);
    return rc;
}

int sw_oci_resolve(struct sw_oci *o, const struct sw_oci_ref *ref, char *manifest_digest,
                   struct sw_oci_layer *layer, struct sw_error *err)
{
    char shown[600];
    sw_oci_ref_str(ref, shown, sizeof(shown));
    char *url = registry_url(o, ref, "manifests", ref->digest[0] ? ref->digest : ref->tag);
    struct sw_buf body = SW_BUF_INIT;
    struct sw_http_reply reply;
    int rc = -1;
    for (int round = 0; round < 2; round++) {
        struct sw_http_request rq = {.url = url,
                                     .accept = SW_OCI_ACCEPT,
                                     .authorization = token_for(o, ref),
                                     .body = &body,
                                     .max_size = 4u << 20,
                                     .pass = SW_HTTP_PASS_401 | SW_HTTP_PASS_404};
        if (sw_http_fetch(o->h, &rq, &reply, err) < 0) {
            sw_error_wrap(err, "pulling '%s'", shown);
            goto out;
        }
        if (reply.status != 401)
            break;
        if (round == 1 || !reply.www_authenticate[0]) {
            sw_error_set(err, SW_EXIT_NETWORK, "registry '%s' refused the pull of '%s' (HTTP 401)",
                         ref->registry, shown);
            goto out;
        }
        if (authenticate(o, ref, reply.www_authenticate, err) < 0)
            goto out;
    }
    if (reply.status == 404) {
        sw_error_set(err, SW_EXIT_NOTFOUND, "'%s' was not found in registry '%s'", shown,
                     ref->registry);
        goto out;
    }
    char actual[80];
    sw_digest_format(reply.sha256, actual, sizeof(actual));
    if (ref->digest[0] && strcmp(actual, ref->digest) != 0) {
        sw_error_set(err, SW_EXIT_VERIFY,
                     "the manifest of '%s' does not match its pinned digest: expected %s, got %s",
                     shown, ref->digest, actual);
        goto out;
    }
    if (reply.docker_digest[0] && strcmp(reply.docker_digest, actual) != 0) {
        char hdr[160];
        sw_sanitize(hdr, sizeof(hdr), reply.docker_digest);
        sw_error_set(err, SW_EXIT_VERIFY,
                     "registry '%s' says the manifest of '%s' is %s but its bytes hash to %s",
                     ref->registry, shown, hdr, actual);
        goto out;
    }
    if (sw_oci_manifest_wasm_layer(sw_buf_str(&body), body.len, layer, err) < 0) {
        sw_error_wrap(err, "'%s'", shown);
        goto out;
    }
    snprintf(manifest_digest, 80, "%s", actual);
    rc = 0;
out:
    sw_buf_free(&body);
    free(url);
    return rc;
}

void sw_oci_blob_request(struct sw_oci *o, const struct sw_oci_ref *ref, const char *digest,
                         struct sw_http_request *rq)
{
    memset(rq, 0, sizeof(*rq));
    rq->url = keep(o, registry_url(o, ref, "blobs", digest));
    rq->authorization = token_for(o, ref);
    rq->accept = "application/octet-stream";
}
