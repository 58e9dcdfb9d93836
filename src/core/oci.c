#include "core/oci.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/json.h"
#include "core/release.h"

static bool repo_char_ok(char c)
{
    return islower((unsigned char)c) || isdigit((unsigned char)c) || c == '.' || c == '_' ||
           c == '-' || c == '/';
}

int sw_oci_ref_parse(const char *s, struct sw_oci_ref *out, struct sw_error *err)
{
    struct sw_oci_ref r = {0};
    char shown[160], buf[1024];
    sw_sanitize(shown, sizeof(shown), s);
    if (strncmp(s, "oci://", 6) == 0)
        s += 6;
    if (strlen(s) >= sizeof(buf))
        return sw_error_set(err, SW_EXIT_USAGE, "OCI reference '%s' is too long", shown);
    snprintf(buf, sizeof(buf), "%s", s);

    char *at = strchr(buf, '@');
    if (at) {
        *at = '\0';
        if (!sw_digest_valid(at + 1))
            return sw_error_set(err, SW_EXIT_USAGE,
                                "OCI reference '%s': the digest must be sha256: and 64 hex digits",
                                shown);
        snprintf(r.digest, sizeof(r.digest), "%s", at + 1);
        for (char *p = r.digest; *p; p++)
            *p = (char)tolower((unsigned char)*p);
    }
    /* the tag is after the last ':' that follows the last '/' (a registry port is before) */
    char *slash = strrchr(buf, '/');
    char *colon = strrchr(slash ? slash : buf, ':');
    if (colon) {
        *colon = '\0';
        const char *tag = colon + 1;
        size_t tl = strlen(tag);
        bool ok = tl > 0 && tl < sizeof(r.tag) && (isalnum((unsigned char)tag[0]) || tag[0] == '_');
        for (size_t i = 0; ok && i < tl; i++)
            ok = isalnum((unsigned char)tag[i]) || tag[i] == '_' || tag[i] == '.' || tag[i] == '-';
        if (!ok)
            return sw_error_set(err, SW_EXIT_USAGE,
                                "OCI reference '%s': invalid tag '%s' (letters, digits, _ . -; "
                                "at most 128)",
                                shown, tag);
        snprintf(r.tag, sizeof(r.tag), "%s", tag);
    }
    char *first_slash = strchr(buf, '/');
    const char *repo = buf;
    if (first_slash) {
        size_t hl = (size_t)(first_slash - buf);
        bool is_host = memchr(buf, '.', hl) || memchr(buf, ':', hl) ||
                       (hl == 9 && strncmp(buf, "localhost", 9) == 0);
        if (is_host) {
            if (hl >= sizeof(r.registry))
                return sw_error_set(err, SW_EXIT_USAGE, "OCI reference '%s': registry too long",
                                    shown);
            memcpy(r.registry, buf, hl);
            repo = first_slash + 1;
        }
    }
    if (!r.registry[0])
        snprintf(r.registry, sizeof(r.registry), "docker.io");
    snprintf(r.host, sizeof(r.host), "%s",
             strcmp(r.registry, "docker.io") == 0 ? "registry-1.docker.io" : r.registry);
    if (!repo[0] || repo[0] == '/' || repo[strlen(repo) - 1] == '/' || strstr(repo, "//"))
        return sw_error_set(err, SW_EXIT_USAGE, "OCI reference '%s': missing repository name",
                            shown);
    for (const char *p = repo; *p; p++)
        if (!repo_char_ok(*p))
            return sw_error_set(err, SW_EXIT_USAGE,
                                "OCI reference '%s': repository names use lowercase letters, "
                                "digits and . _ - /",
                                shown);
    if (strcmp(r.registry, "docker.io") == 0 && !strchr(repo, '/'))
        snprintf(r.repository, sizeof(r.repository), "library/%s", repo);
    else if (strlen(repo) < sizeof(r.repository))
        snprintf(r.repository, sizeof(r.repository), "%s", repo);
    else
        return sw_error_set(err, SW_EXIT_USAGE, "OCI reference '%s': repository too long", shown);
    if (!r.tag[0] && !r.digest[0])
        snprintf(r.tag, sizeof(r.tag), "latest");
    *out = r;
    return 0;
}

void sw_oci_ref_str(const struct sw_oci_ref *r, char *buf, size_t n)
{
    snprintf(buf, n, "%s/%s%s%s%s%s", r->registry, r->repository, r->tag[0] ? ":" : "", r->tag,
             r->digest[0] ? "@" : "", r->digest);
}

int sw_oci_manifest_wasm_layer(const char *json, size_t len, struct sw_oci_layer *out,
                               struct sw_error *err)
{
    int rc = -1;
    cJSON *root = cJSON_ParseWithLength(json, len);
    if (!cJSON_IsObject(root)) {
        sw_error_set(err, SW_EXIT_VERIFY, "the manifest is not a JSON object");
        goto out;
    }
    const char *mt = sw_json_str(root, "mediaType");
    if (cJSON_GetObjectItemCaseSensitive(root, "manifests")) {
        sw_error_set(err, SW_EXIT_VERIFY,
                     "the reference names an image index (%s), not a Wasm artifact",
                     mt ? mt : "a list of manifests");
        goto out;
    }
    const cJSON *sv = cJSON_GetObjectItemCaseSensitive(root, "schemaVersion");
    if (!cJSON_IsNumber(sv) || sv->valuedouble != 2) {
        sw_error_set(err, SW_EXIT_VERIFY, "the manifest is not schemaVersion 2");
        goto out;
    }
    const cJSON *layers = cJSON_GetObjectItemCaseSensitive(root, "layers");
    int n = cJSON_GetArraySize(layers);
    if (!cJSON_IsArray(layers) || n != 1) {
        sw_error_set(err, SW_EXIT_VERIFY,
                     "a Wasm artifact has exactly one layer; this manifest has %d", n);
        goto out;
    }
    const cJSON *l = cJSON_GetArrayItem(layers, 0);
    const char *lmt = sw_json_str(l, "mediaType"), *dg = sw_json_str(l, "digest");
    const cJSON *size = cJSON_GetObjectItemCaseSensitive(l, "size");
    if (!lmt || (strcmp(lmt, SW_OCI_WASM_LAYER) != 0 && strcmp(lmt, SW_OCI_WASMCLOUD_LAYER) != 0)) {
        char shown[128];
        sw_sanitize(shown, sizeof(shown), lmt ? lmt : "(none)");
        sw_error_set(err, SW_EXIT_VERIFY,
                     "the layer has media type '%s', not " SW_OCI_WASM_LAYER
                     ": this is not a Wasm component artifact",
                     shown);
        goto out;
    }
    if (!sw_digest_valid(dg) || !cJSON_IsNumber(size) || size->valuedouble < 0 ||
        size->valuedouble > 4e9) {
        sw_error_set(err, SW_EXIT_VERIFY, "the layer's digest or size is malformed");
        goto out;
    }
    snprintf(out->media_type, sizeof(out->media_type), "%s", lmt);
    snprintf(out->digest, sizeof(out->digest), "%s", dg);
    for (char *p = out->digest; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    out->size = (int64_t)size->valuedouble;
    rc = 0;
out:
    cJSON_Delete(root);
    return rc;
}

/* Reads a token or a quoted string at *p into dst; advances *p. */
static bool read_value(const char **p, char *dst, size_t n)
{
    const char *s = *p;
    size_t k = 0;
    if (*s == '"') {
        for (s++; *s && *s != '"'; s++) {
            if (*s == '\\' && s[1])
                s++;
            if (k + 1 >= n)
                return false;
            dst[k++] = *s;
        }
        if (*s != '"')
            return false;
        s++;
    } else {
        for (; *s && *s != ',' && *s != ' '; s++) {
            if (k + 1 >= n)
                return false;
            dst[k++] = *s;
        }
    }
    dst[k] = '\0';
    *p = s;
    return true;
}

int sw_oci_challenge_parse(const char *value, struct sw_oci_challenge *out, struct sw_error *err)
{
    struct sw_oci_challenge c = {0};
    const char *p = value;
    while (*p == ' ')
        p++;
    size_t sl = strcspn(p, " ");
    if (sl == 0 || sl >= sizeof(c.scheme))
        return sw_error_set(err, SW_EXIT_NETWORK, "the registry's authentication challenge is "
                            "empty or malformed");
    memcpy(c.scheme, p, sl);
    p += sl;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        if (!*p)
            break;
        size_t kl = strcspn(p, "=");
        if (!p[kl] || kl == 0 || kl > 32)
            return sw_error_set(err, SW_EXIT_NETWORK,
                                "cannot read the registry's authentication challenge");
        char key[40];
        memcpy(key, p, kl);
        key[kl] = '\0';
        p += kl + 1;
        char val[1024];
        if (!read_value(&p, val, sizeof(val)))
            return sw_error_set(err, SW_EXIT_NETWORK,
                                "cannot read the registry's authentication challenge");
        if (strcasecmp(key, "realm") == 0)
            snprintf(c.realm, sizeof(c.realm), "%s", val);
        else if (strcasecmp(key, "service") == 0)
            snprintf(c.service, sizeof(c.service), "%s", val);
        else if (strcasecmp(key, "scope") == 0)
            snprintf(c.scope, sizeof(c.scope), "%s", val);
    }
    if (strcasecmp(c.scheme, "Bearer") == 0 && !c.realm[0])
        return sw_error_set(err, SW_EXIT_NETWORK, "the registry's Bearer challenge has no realm");
    *out = c;
    return 0;
}
