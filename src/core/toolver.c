#include "core/toolver.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/text.h"

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

void sw_toolver_raw(char *dst, size_t n, const char *s)
{
    if (!s)
        s = "";
    while (is_space(*s))
        s++;
    size_t end = strlen(s);
    while (end > 0 && is_space(s[end - 1]))
        end--;
    struct sw_buf one_line = SW_BUF_INIT;
    for (size_t i = 0; i < end; i++) {
        if (s[i] == '\n' || s[i] == '\r' || s[i] == '\t') {
            while (i + 1 < end && (s[i + 1] == '\n' || s[i + 1] == '\r' || s[i + 1] == '\t'))
                i++;
            sw_buf_adds(&one_line, " ");
        } else {
            sw_buf_add(&one_line, s + i, 1);
        }
    }
    sw_sanitize(dst, n, sw_buf_str(&one_line));
    sw_buf_free(&one_line);
}

static int fail(struct sw_error *err, const char *what, const char *s)
{
    char raw[128];
    sw_toolver_raw(raw, sizeof(raw), s);
    return sw_error_set(err, SW_EXIT_FAILURE, "cannot read a %s%sversion from '%s'", what,
                        what[0] ? " " : "", raw);
}

/* Reads 1 to 9 digits (no sign); false when there are none or too many. */
static bool number(const char **p, unsigned *out)
{
    const char *s = *p;
    unsigned v = 0;
    int n = 0;
    while (is_digit(*s)) {
        if (++n > 9)
            return false;
        v = v * 10 + (unsigned)(*s - '0');
        s++;
    }
    if (n == 0)
        return false;
    *out = v;
    *p = s;
    return true;
}

static bool has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Copies the token at s (up to whitespace) into dst for messages. */
static void token(char *dst, size_t n, const char *s)
{
    size_t len = 0;
    while (s[len] && !is_space(s[len]))
        len++;
    char tmp[64];
    if (len > sizeof(tmp) - 1)
        len = sizeof(tmp) - 1;
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    sw_sanitize(dst, n, tmp);
}

int sw_gover_parse(const char *s, struct sw_gover *out, struct sw_error *err)
{
    const char *p = s ? s : "";
    struct sw_gover v;
    memset(&v, 0, sizeof(v));
    while (is_space(*p))
        p++;
    if (has_prefix(p, "go version "))
        p += strlen("go version ");
    if (has_prefix(p, "devel ")) {
        v.kind = SW_GO_DEVEL;
        p += strlen("devel ");
    }
    const char *tok = p;
    if (!has_prefix(p, "go"))
        return fail(err, "Go", s);
    p += 2;
    if (!number(&p, &v.major) || *p != '.')
        return fail(err, "Go", s);
    p++;
    if (!number(&p, &v.minor))
        return fail(err, "Go", s);
    if (*p == '.') {
        p++;
        if (!number(&p, &v.patch))
            return fail(err, "Go", s);
        v.has_patch = true;
    }
    if (has_prefix(p, "rc") || has_prefix(p, "beta")) {
        bool rc = p[0] == 'r';
        p += rc ? 2 : 4;
        if (!number(&p, &v.pre))
            return fail(err, "Go", s);
        if (v.kind != SW_GO_DEVEL)
            v.kind = rc ? SW_GO_RC : SW_GO_BETA;
    }
    if (*p == '-') {
        /* "-devel_<hash>", "-<hash>" after "devel ", or an experiment "-X:name" */
        p++;
        if (has_prefix(p, "devel"))
            v.kind = SW_GO_DEVEL;
        else if (!has_prefix(p, "X:") && v.kind != SW_GO_DEVEL)
            return fail(err, "Go", s);
        if (is_space(*p) || !*p)
            return fail(err, "Go", s);
        while (*p && !is_space(*p))
            p++;
    }
    if (*p && !is_space(*p))
        return fail(err, "Go", s);
    token(v.text, sizeof(v.text), tok);
    *out = v;
    return 0;
}

/* Reads a semver word at p (an optional 'v', then up to whitespace, '(' or ','). */
static bool semver_word(const char *p, struct sw_semver *out)
{
    if (*p == 'v')
        p++;
    if (!is_digit(*p))
        return false;
    char word[SW_SEMVER_STR_MAX];
    size_t len = 0;
    while (p[len] && !is_space(p[len]) && p[len] != '(' && p[len] != ',' && p[len] != ')') {
        if (len + 1 >= sizeof(word))
            return false;
        word[len] = p[len];
        len++;
    }
    word[len] = '\0';
    return sw_semver_parse(word, out, NULL) == 0;
}

int sw_tinygo_parse(const char *s, struct sw_tinygo_ver *out, struct sw_error *err)
{
    const char *p = s ? s : "";
    struct sw_tinygo_ver v;
    memset(&v, 0, sizeof(v));
    while (is_space(*p))
        p++;
    if (!has_prefix(p, "tinygo version "))
        return fail(err, "TinyGo", s);
    p += strlen("tinygo version ");
    if (!semver_word(p, &v.v))
        return fail(err, "TinyGo", s);
    const char *using = strstr(p, "using go version ");
    if (using && sw_gover_parse(using + strlen("using go version "), &v.go, NULL) == 0)
        v.has_go = true;
    *out = v;
    return 0;
}

static void channel_of(const struct sw_semver *v, char *dst, size_t n)
{
    const char *c = "stable";
    if (has_prefix(v->pre, "beta"))
        c = "beta";
    else if (has_prefix(v->pre, "nightly"))
        c = "nightly";
    else if (v->pre[0])
        c = "dev";
    snprintf(dst, n, "%s", c);
}

int sw_rustc_parse(const char *s, struct sw_rustc_ver *out, struct sw_error *err)
{
    const char *text = s ? s : "";
    struct sw_rustc_ver v;
    memset(&v, 0, sizeof(v));
    bool found = false;
    for (const char *line = text; *line;) {
        const char *nl = strchr(line, '\n');
        if (has_prefix(line, "release:")) {
            const char *p = line + strlen("release:");
            while (*p == ' ' || *p == '\t')
                p++;
            if (!semver_word(p, &v.v))
                return fail(err, "rustc", s);
            found = true;
            break;
        }
        if (!nl)
            break;
        line = nl + 1;
    }
    if (!found) {
        const char *p = text;
        while (is_space(*p))
            p++;
        if (!has_prefix(p, "rustc ") || !semver_word(p + strlen("rustc "), &v.v))
            return fail(err, "rustc", s);
    }
    channel_of(&v.v, v.channel, sizeof(v.channel));
    *out = v;
    return 0;
}

int sw_toolver_parse(const char *s, struct sw_semver *out, struct sw_error *err)
{
    const char *p = s ? s : "";
    while (is_space(*p))
        p++;
    /* words of the first non-empty line */
    while (*p && *p != '\n' && *p != '\r') {
        if (*p == 'v' || is_digit(*p)) {
            if (semver_word(p, out))
                return 0;
            if (is_digit(*p) || is_digit(p[1]))
                return fail(err, "", s);
        }
        while (*p && !is_space(*p))
            p++;
        while (is_space(*p) && *p != '\n' && *p != '\r')
            p++;
    }
    return fail(err, "", s);
}
