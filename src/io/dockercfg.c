#include "io/dockercfg.h"

#include <cjson/cJSON.h>
#include <openssl/crypto.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "io/fs.h"
#include "io/proc.h"

void sw_docker_creds_clear(struct sw_docker_creds *c)
{
    if (c->username) {
        OPENSSL_cleanse(c->username, strlen(c->username));
        free(c->username);
    }
    if (c->secret) {
        OPENSSL_cleanse(c->secret, strlen(c->secret));
        free(c->secret);
    }
    memset(c, 0, sizeof(*c));
}

/* The keys a registry may be stored under: docker writes "ghcr.io", older tools
 * "https://ghcr.io", and Docker Hub is "https://index.docker.io/v1/". */
static const cJSON *find_entry(const cJSON *obj, const char *registry)
{
    if (!cJSON_IsObject(obj))
        return NULL;
    for (const cJSON *e = obj->child; e; e = e->next) {
        const char *k = e->string;
        if (strncmp(k, "https://", 8) == 0)
            k += 8;
        else if (strncmp(k, "http://", 7) == 0)
            k += 7;
        size_t l = strcspn(k, "/");
        if (strcmp(registry, "docker.io") == 0 && strncmp(k, "index.docker.io", l) == 0 && l == 15)
            return e;
        if (strlen(registry) == l && strncmp(k, registry, l) == 0)
            return e;
    }
    return NULL;
}

static int from_auth(const char *b64, const char *path, struct sw_docker_creds *out,
                     struct sw_error *err)
{
    size_t n = strlen(b64);
    unsigned char *raw = sw_xmalloc(n + 1);
    int len = EVP_DecodeBlock(raw, (const unsigned char *)b64, (int)n);
    int rc = -1;
    if (len < 0)
        goto bad;
    while (len > 0 && n > 0 && b64[--n] == '=') /* EVP_DecodeBlock counts the padding */
        len--;
    raw[len] = '\0';
    char *colon = strchr((char *)raw, ':');
    if (!colon)
        goto bad;
    *colon = '\0';
    out->username = sw_xstrdup((char *)raw);
    out->secret = sw_xstrdup(colon + 1);
    out->found = true;
    rc = 0;
    goto out;
bad:
    sw_error_set(err, SW_EXIT_USAGE, "%s: an 'auth' entry is not base64 of user:password", path);
out:
    OPENSSL_cleanse(raw, n + 1);
    free(raw);
    return rc;
}

/* docker-credential-<helper> get, with the registry on stdin. */
static int from_helper(const char *helper, const char *registry, const char *path_env,
                       struct sw_docker_creds *out, struct sw_error *err)
{
    char prog[160];
    snprintf(prog, sizeof(prog), "docker-credential-%s", helper);
    const char *argv[] = {prog, "get", NULL};
    struct sw_proc_result res = {0};
    char *exe = sw_proc_which(prog, path_env);
    struct sw_proc_spec spec = {.path = exe,
                                .argv = argv,
                                .stdin_data = registry,
                                .timeout_ms = 30000,
                                .max_out = 65536};
    int rc = -1;
    cJSON *root = NULL;
    if (!exe) {
        sw_error_set(err, SW_EXIT_USAGE,
                     "the docker config names the credential helper '%s', but '%s' is not on "
                     "PATH: install it, or remove it from the config",
                     helper, prog);
        goto out;
    }
    if (sw_proc_run(&spec, &res, err) < 0) {
        sw_error_wrap(err, "credential helper '%s'", prog);
        goto out;
    }
    if (res.state != SW_PROC_EXITED || res.status != 0) {
        if (strstr(sw_buf_str(&res.out), "credentials not found") ||
            strstr(sw_buf_str(&res.err), "credentials not found")) {
            rc = 0; /* no entry for this registry: anonymous */
            goto out;
        }
        char msg[200];
        sw_sanitize(msg, sizeof(msg), res.err.len ? sw_buf_str(&res.err) : sw_buf_str(&res.out));
        sw_error_set(err, SW_EXIT_USAGE, "credential helper '%s' failed for '%s' (%s %d): %s",
                     prog, registry, res.state == SW_PROC_EXITED ? "exit" : "state",
                     res.state == SW_PROC_EXITED ? res.status : (int)res.state, msg);
        goto out;
    }
    root = cJSON_ParseWithLength(sw_buf_str(&res.out), res.out.len);
    const char *user = sw_json_str(root, "Username"), *secret = sw_json_str(root, "Secret");
    if (!user || !secret) {
        sw_error_set(err, SW_EXIT_USAGE,
                     "credential helper '%s' answered without Username and Secret", prog);
        goto out;
    }
    out->username = sw_xstrdup(user);
    out->secret = sw_xstrdup(secret);
    out->found = true;
    rc = 0;
out:
    cJSON_Delete(root);
    if (res.out.data)
        OPENSSL_cleanse(res.out.data, res.out.len);
    sw_proc_result_free(&res);
    free(exe);
    return rc;
}

int sw_docker_creds_lookup(const char *registry, const char *config_path, const char *home,
                           const char *path_env, struct sw_docker_creds *out,
                           struct sw_error *err)
{
    char *path = NULL;
    struct sw_buf text = SW_BUF_INIT;
    cJSON *root = NULL;
    int e = 0, rc = -1;
    memset(out, 0, sizeof(*out));
    if (config_path)
        path = sw_xstrdup(config_path);
    else if (home)
        path = sw_path_join(home, ".docker/config.json");
    else
        return 0;
    if (sw_fs_read(path, 4u << 20, &text, &e, err) < 0) {
        rc = e == ENOENT ? 0 : -1;
        if (rc == 0)
            sw_error_clear(err);
        goto out;
    }
    root = sw_json_parse(sw_buf_str(&text), text.len, path, SW_EXIT_USAGE, err);
    if (!root)
        goto out;
    const cJSON *helpers = cJSON_GetObjectItemCaseSensitive(root, "credHelpers");
    const cJSON *h = find_entry(helpers, registry);
    if (cJSON_IsString(h)) {
        rc = from_helper(h->valuestring, registry, path_env, out, err);
        goto out;
    }
    const cJSON *a = find_entry(cJSON_GetObjectItemCaseSensitive(root, "auths"), registry);
    const char *auth = sw_json_str(a, "auth");
    if (auth && auth[0]) {
        rc = from_auth(auth, path, out, err);
        goto out;
    }
    const char *store = sw_json_str(root, "credsStore");
    if (store && store[0]) {
        rc = from_helper(store, registry, path_env, out, err);
        goto out;
    }
    rc = 0;
out:
    if (text.data)
        OPENSSL_cleanse(text.data, text.len);
    sw_buf_free(&text);
    cJSON_Delete(root);
    free(path);
    return rc;
}
