/* Sigstore verifier helpers: base64, hex, RFC 3339 times, strict JSON accessors, signatures. */
#include "core/hex.h"
#include "sigstore/internal.h"

#include <ctype.h>
#include <limits.h>
#include <openssl/err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"

/* ---- base64 ---- */

static int b64val(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+' || c == '-')
        return 62;
    if (c == '/' || c == '_')
        return 63;
    return -1;
}

int sw_sig_b64_decode(const char *s, size_t n, size_t max, unsigned char **out, size_t *outlen)
{
    *out = NULL;
    *outlen = 0;
    size_t pad = 0;
    while (pad < 2 && n > pad && s[n - 1 - pad] == '=')
        pad++;
    size_t data = n - pad;
    /* padding, when present, must complete a group of four */
    if (pad && n % 4 != 0)
        return -1;
    if (data % 4 == 1)
        return -1;
    size_t len = data / 4 * 3 + (data % 4 ? data % 4 - 1 : 0);
    if (len > max)
        return -1;
    unsigned char *buf = sw_xmalloc(len + 1);
    size_t o = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < data; i++) {
        int v = b64val((unsigned char)s[i]);
        if (v < 0) {
            free(buf);
            return -1;
        }
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            buf[o++] = (unsigned char)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    buf[o] = '\0';
    *out = buf;
    *outlen = o;
    return 0;
}

char *sw_sig_b64_encode(const unsigned char *p, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *s = sw_xmalloc((n + 2) / 3 * 4 + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        s[o++] = tab[v >> 18 & 63];
        s[o++] = tab[v >> 12 & 63];
        s[o++] = i + 1 < n ? tab[v >> 6 & 63] : '=';
        s[o++] = i + 2 < n ? tab[v & 63] : '=';
    }
    s[o] = '\0';
    return s;
}

void sw_sig_hex(const unsigned char *p, size_t n, char *out)
{
    sw_hex_encode(p, n, out);
}

int sw_sig_unhex(const char *s, unsigned char *out, size_t n)
{
    return sw_hex_decode(s, out, n);
}

/* ---- digests and signatures ---- */

void sw_sig_sha256(const void *data, size_t len, unsigned char out[32])
{
    unsigned int n = 32;
    EVP_Digest(data, len, out, &n, EVP_sha256(), NULL);
}

int sw_sig_verify(EVP_PKEY *key, const EVP_MD *md, const unsigned char *sig, size_t siglen,
                  const unsigned char *data, size_t len)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = 0;
    if (!ctx)
        return 0;
    if (EVP_DigestVerifyInit(ctx, NULL, md, NULL, key) == 1 &&
        EVP_DigestVerify(ctx, sig, siglen, data, len) == 1)
        ok = 1;
    EVP_MD_CTX_free(ctx);
    ERR_clear_error();
    return ok;
}

const EVP_MD *sw_sig_md_for_key(EVP_PKEY *key)
{
    if (EVP_PKEY_is_a(key, "ED25519"))
        return NULL;
    if (EVP_PKEY_is_a(key, "EC")) {
        int bits = EVP_PKEY_get_bits(key);
        if (bits > 384)
            return EVP_sha512();
        if (bits > 256)
            return EVP_sha384();
    }
    return EVP_sha256();
}

void sw_sig_ssl_error(char *buf, size_t n)
{
    unsigned long e = ERR_get_error();
    if (e)
        ERR_error_string_n(e, buf, n);
    else if (n)
        buf[0] = '\0';
    ERR_clear_error();
}

bool sw_sig_window(long long start, bool has_start, long long end, bool has_end, long long t)
{
    return (!has_start || start <= t) && (!has_end || t <= end);
}

/* ---- strict JSON ---- */

cJSON *sw_sig_parse(const char *text, size_t len)
{
    const char *end = NULL;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        return NULL; /* a byte order mark, which cJSON would skip */
    cJSON *json = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!json)
        return NULL;
    for (const char *p = end; p && p < text + len; p++) {
        if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n') {
            cJSON_Delete(json);
            return NULL;
        }
    }
    return json;
}

const cJSON *sw_sig_member(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return v && !cJSON_IsNull(v) ? v : NULL;
}

static int bad(const struct sw_sig_json *j, const char *where, const char *key, const char *what)
{
    return sw_error_set(j->err, j->code, "%s: %s%s%s %s", j->what, where ? where : "",
                        where && *where ? "." : "", key, what);
}

static const cJSON *get(const struct sw_sig_json *j, const cJSON *obj, const char *where,
                        const char *key, bool required, int *rc)
{
    const cJSON *v = sw_sig_member(obj, key);
    *rc = 0;
    if (!v && required)
        *rc = bad(j, where, key, "is missing");
    return v;
}

int sw_sig_obj(const struct sw_sig_json *j, const cJSON *obj, const char *where, const char *key,
               bool required, const cJSON **out)
{
    int rc;
    const cJSON *v = get(j, obj, where, key, required, &rc);
    *out = NULL;
    if (!v)
        return rc;
    if (!cJSON_IsObject(v))
        return bad(j, where, key, "is not an object");
    *out = v;
    return 0;
}

int sw_sig_arr(const struct sw_sig_json *j, const cJSON *obj, const char *where, const char *key,
               bool required, size_t max, const cJSON **out, size_t *n)
{
    int rc;
    const cJSON *v = get(j, obj, where, key, required, &rc);
    *out = NULL;
    *n = 0;
    if (!v)
        return rc;
    if (!cJSON_IsArray(v))
        return bad(j, where, key, "is not an array");
    size_t count = 0;
    for (const cJSON *c = v->child; c; c = c->next)
        count++;
    if (count > max) {
        char what[96];
        snprintf(what, sizeof(what), "has %zu elements, more than %zu", count, max);
        return bad(j, where, key, what);
    }
    *out = v;
    *n = count;
    return 0;
}

int sw_sig_str(const struct sw_sig_json *j, const cJSON *obj, const char *where, const char *key,
               bool required, const char **out)
{
    int rc;
    const cJSON *v = get(j, obj, where, key, required, &rc);
    *out = NULL;
    if (!v)
        return rc;
    if (!cJSON_IsString(v) || !v->valuestring)
        return bad(j, where, key, "is not a string");
    *out = v->valuestring;
    return 0;
}

int sw_sig_b64(const struct sw_sig_json *j, const cJSON *obj, const char *where, const char *key,
               bool required, size_t max, unsigned char **out, size_t *n)
{
    const char *s;
    *out = NULL;
    *n = 0;
    if (sw_sig_str(j, obj, where, key, required, &s) < 0)
        return -1;
    if (!s)
        return 0;
    if (!*s && required)
        return bad(j, where, key, "is empty");
    if (sw_sig_b64_decode(s, strlen(s), max, out, n) < 0) {
        char what[64];
        snprintf(what, sizeof(what), "is not valid base64 of at most %zu bytes", max);
        return bad(j, where, key, what);
    }
    return 0;
}

int sw_sig_int(const struct sw_sig_json *j, const cJSON *obj, const char *where, const char *key,
               bool required, long long *out)
{
    int rc;
    const cJSON *v = get(j, obj, where, key, required, &rc);
    *out = 0;
    if (!v)
        return rc;
    if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        if (d < 0)
            return bad(j, where, key, "is negative");
        if (d > 9007199254740992.0 || d != (double)(long long)d)
            return bad(j, where, key, "is not an integer");
        *out = (long long)d;
        return 0;
    }
    if (!cJSON_IsString(v) || !v->valuestring)
        return bad(j, where, key, "is not an integer");
    const char *s = v->valuestring;
    if (s[0] == '-' && isdigit((unsigned char)s[1]))
        return bad(j, where, key, "is negative");
    size_t len = strlen(s);
    if (len == 0 || len > 19)
        return bad(j, where, key, "is not an integer");
    long long r = 0;
    for (size_t i = 0; i < len; i++) {
        if (!isdigit((unsigned char)s[i]))
            return bad(j, where, key, "is not an integer");
        if (r > (LLONG_MAX - (s[i] - '0')) / 10)
            return bad(j, where, key, "is out of range");
        r = r * 10 + (s[i] - '0');
    }
    *out = r;
    return 0;
}

static int keycmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int duplicate(const struct sw_sig_json *j, const char *key)
{
    char shown[64];
    sw_sanitize(shown, sizeof(shown), key);
    return sw_error_set(j->err, j->code, "%s: key '%s' appears twice", j->what, shown);
}

/* Sorting the keys keeps an object with a million members from costing a million squared. */
static int object_keys_unique(const struct sw_sig_json *j, const cJSON *obj)
{
    size_t n = 0;
    for (const cJSON *c = obj->child; c; c = c->next)
        n++;
    if (n < 2)
        return 0;
    const char **keys = sw_xcalloc(n, sizeof(*keys));
    size_t i = 0;
    for (const cJSON *c = obj->child; c; c = c->next)
        keys[i++] = c->string ? c->string : "";
    qsort(keys, n, sizeof(*keys), keycmp);
    int rc = 0;
    for (i = 1; i < n && rc == 0; i++)
        if (strcmp(keys[i - 1], keys[i]) == 0)
            rc = duplicate(j, keys[i]);
    free(keys);
    return rc;
}

int sw_sig_unique_keys(const struct sw_sig_json *j, const cJSON *node)
{
    if (!node)
        return 0;
    if (cJSON_IsObject(node) && object_keys_unique(j, node) < 0)
        return -1;
    for (const cJSON *c = node->child; c; c = c->next)
        if ((cJSON_IsObject(c) || cJSON_IsArray(c)) && sw_sig_unique_keys(j, c) < 0)
            return -1;
    return 0;
}
