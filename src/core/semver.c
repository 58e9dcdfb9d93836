/* Semantic versions and version specs, and the scanner that ranges (semver_range.c) share; the
 * grammar is in semver.h. */
#include "core/attr.h"
#include "core/semver.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/semver_internal.h"

static const char accepted_forms[] =
    "use latest, rc, an exact version (2.7.0, v2.7.0, wash-v2.0.0-rc.8) or a range "
    "(^2, ~2.6, 2.x, >=2.1 <3)";

static bool is_ident(char c)
{
    return sw_sv_is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool eq_nocase(const char *a, const char *b)
{
    for (; *a && lower(*a) == lower(*b); a++, b++)
        ;
    return *a == '\0' && *b == '\0';
}

static bool starts_nocase(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++)
        if (lower(*s) != *prefix)
            return false;
    return true;
}

/* Copies len bytes of s for a message, control characters replaced and long text cut. */
static void clip(char *dst, size_t n, const char *s, size_t len)
{
    char tmp[128];
    size_t keep = len < n - 4 ? len : n - 4;
    if (keep > sizeof(tmp) - 4)
        keep = sizeof(tmp) - 4;
    memcpy(tmp, s, keep);
    /* the mark goes in before sanitising: escapes make the text longer, and the sanitiser
     * cuts what does not fit in dst on its own */
    snprintf(tmp + keep, sizeof(tmp) - keep, "%s", keep < len ? "..." : "");
    sw_sanitize(dst, n, tmp);
}

/* The word at s (at least one character, then up to whitespace) for "unexpected '...'". */
static void clip_word(char *dst, size_t n, const char *s)
{
    size_t len = s[0] ? 1 : 0;
    while (s[len] && !sw_sv_is_space(s[len]))
        len++;
    clip(dst, n, s, len);
}

int sw_sv_failf(struct fail *f, size_t pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
    va_end(ap);
    f->pos = pos;
    return -1;
}

int sw_sv_fail_unexpected(struct fail *f, const char *s, size_t pos)
{
    char w[40];
    if (!s[pos])
        return sw_sv_failf(f, pos, "unexpected end");
    clip_word(w, sizeof(w), s + pos);
    return sw_sv_failf(f, pos, "unexpected '%s'", w);
}

static int scan_number(const char *s, size_t *i, uint64_t *out, struct fail *f)
{
    size_t start = *i, end = *i;
    char w[40];
    while (sw_sv_is_digit(s[end]))
        end++;
    if (s[start] == '0' && end - start > 1) {
        clip(w, sizeof(w), s + start, end - start);
        return sw_sv_failf(f, start, "leading zero in '%s'", w);
    }
    uint64_t v = 0;
    for (; *i < end; (*i)++) {
        unsigned d = (unsigned)(s[*i] - '0');
        if (v > (UINT64_MAX - d) / 10) {
            clip(w, sizeof(w), s + start, end - start);
            return sw_sv_failf(f, start, "number '%s' is too large", w);
        }
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

/* Dot-separated identifiers of [0-9A-Za-z-] into dst (prerelease after '-', build after '+').
 * Numeric prerelease identifiers may not have leading zeros; build identifiers may. */
static int scan_idents(const char *s, size_t *i, char *dst, const char *what, struct fail *f)
{
    size_t start = *i;
    char w[40];
    for (;;) {
        size_t id = *i;
        bool numeric = true;
        for (; is_ident(s[*i]); (*i)++)
            numeric = numeric && sw_sv_is_digit(s[*i]);
        if (*i == id)
            return sw_sv_failf(f, id, "empty %s identifier", what);
        if (numeric && s[id] == '0' && *i - id > 1 && strcmp(what, "prerelease") == 0) {
            clip(w, sizeof(w), s + id, *i - id);
            return sw_sv_failf(f, id, "leading zero in prerelease identifier '%s'", w);
        }
        if (s[*i] != '.')
            break;
        (*i)++;
    }
    size_t len = *i - start;
    if (len >= SW_SEMVER_PRE_MAX) {
        clip(w, sizeof(w), s + start, len);
        return sw_sv_failf(f, start, "%s '%s' longer than %d characters", what, w,
                           SW_SEMVER_PRE_MAX - 1);
    }
    memcpy(dst, s + start, len);
    dst[len] = '\0';
    return 0;
}

/* Scans "N[.N[.N[-pre][+build]]]" at s[*i], where a part may be x, X or * when allow_x (and
 * then every later part must be too). Stops at the first character that does not continue the
 * version; the caller decides whether what follows may. Build metadata is checked, not kept. */
int sw_sv_scan_partial(const char *s, size_t *i, bool allow_x, struct partial *p,
                       char build[SW_SEMVER_PRE_MAX], struct fail *f)
{
    memset(p, 0, sizeof(*p));
    build[0] = '\0';
    int parts = 0;
    for (int k = 0; k < 3; k++, parts++) {
        if (k > 0) {
            if (s[*i] != '.')
                break;
            char next = s[*i + 1];
            if (!(allow_x && sw_sv_is_x(next)) && (p->numeric < k || !sw_sv_is_digit(next)))
                return sw_sv_fail_unexpected(f, s, *i); /* "1.", "1.a", "2.x.1" */
            (*i)++;
        }
        if (allow_x && sw_sv_is_x(s[*i])) {
            if (is_ident(s[*i + 1]) && s[*i + 1] != '-')
                return sw_sv_fail_unexpected(f, s, *i); /* "xyz" is a word, not a wildcard */
            (*i)++;
            continue;
        }
        if (!sw_sv_is_digit(s[*i])) {
            if (!s[*i] || sw_sv_is_space(s[*i]) || s[*i] == '|')
                return sw_sv_failf(f, *i, "expected a version");
            return sw_sv_fail_unexpected(f, s, *i);
        }
        if (scan_number(s, i, &p->num[k], f) < 0)
            return -1;
        p->numeric++;
    }
    if (p->numeric < 3 && !allow_x)
        return 0;
    /* npm takes a prerelease after three parts and drops it when one is a wildcard
     * ("1.x.x-alpha" is "1.x.x"), and drops build metadata after any partial ("1.x+build") */
    if (s[*i] == '-' && parts == 3) {
        char dropped[SW_SEMVER_PRE_MAX];
        (*i)++;
        if (scan_idents(s, i, p->numeric == 3 ? p->pre : dropped, "prerelease", f) < 0)
            return -1;
    }
    if (s[*i] == '+') {
        (*i)++;
        if (scan_idents(s, i, build, "build", f) < 0)
            return -1;
    }
    return 0;
}

static int scan_strict(const char *s, struct sw_semver *out, struct fail *f)
{
    struct partial p;
    char build[SW_SEMVER_PRE_MAX];
    size_t i = 0;
    if (!s[0])
        return sw_sv_failf(f, NO_POS, "expected MAJOR.MINOR.PATCH like 2.7.0");
    if (sw_sv_scan_partial(s, &i, false, &p, build, f) < 0)
        return -1;
    if (p.numeric < 3 && !s[i])
        return sw_sv_failf(f, NO_POS, "expected MAJOR.MINOR.PATCH like 2.7.0");
    if (s[i])
        return sw_sv_fail_unexpected(f, s, i);
    memset(out, 0, sizeof(*out));
    out->major = p.num[0];
    out->minor = p.num[1];
    out->patch = p.num[2];
    memcpy(out->pre, p.pre, sizeof(out->pre));
    memcpy(out->build, build, sizeof(out->build));
    return 0;
}

void sw_sv_quote_input(char *dst, size_t n, const char *s)
{
    clip(dst, n, s, strlen(s));
}

int sw_semver_parse(const char *s, struct sw_semver *out, struct sw_error *err)
{
    struct fail f;
    char q[160];
    if (!s)
        s = "";
    if (scan_strict(s, out, &f) == 0)
        return 0;
    sw_sv_quote_input(q, sizeof(q), s);
    if (f.pos == NO_POS)
        return sw_error_set(err, SW_EXIT_USAGE, "invalid version '%s': %s", q, f.msg);
    return sw_error_set(err, SW_EXIT_USAGE, "invalid version '%s': %s at column %zu", q, f.msg,
                        f.pos + 1);
}

static int cmp_u64(uint64_t a, uint64_t b)
{
    return a < b ? -1 : a > b;
}

/* One prerelease identifier against another: numeric ones by value (any length, so by digit
 * count first), numeric before alphanumeric, alphanumeric in ASCII order. */
static int cmp_ident(const char *a, size_t na, const char *b, size_t nb)
{
    bool da = true, db = true;
    for (size_t k = 0; k < na; k++)
        da = da && sw_sv_is_digit(a[k]);
    for (size_t k = 0; k < nb; k++)
        db = db && sw_sv_is_digit(b[k]);
    if (da && db) {
        for (; na > 1 && a[0] == '0'; a++, na--)
            ;
        for (; nb > 1 && b[0] == '0'; b++, nb--)
            ;
        if (na != nb)
            return na < nb ? -1 : 1;
        int r = memcmp(a, b, na);
        return (r > 0) - (r < 0);
    }
    if (da != db)
        return da ? -1 : 1;
    int r = memcmp(a, b, na < nb ? na : nb);
    if (r != 0)
        return (r > 0) - (r < 0);
    return cmp_u64(na, nb);
}

static int cmp_pre(const char *a, const char *b)
{
    size_t na = strnlen(a, SW_SEMVER_PRE_MAX), nb = strnlen(b, SW_SEMVER_PRE_MAX);
    if (na == 0 || nb == 0)
        return na == nb ? 0 : (na == 0 ? 1 : -1); /* a release beats its prereleases */
    size_t i = 0, j = 0;
    for (;;) {
        if (i >= na || j >= nb)
            return (i < na) - (j < nb); /* more fields win */
        size_t ei = i, ej = j;
        while (ei < na && a[ei] != '.')
            ei++;
        while (ej < nb && b[ej] != '.')
            ej++;
        int r = cmp_ident(a + i, ei - i, b + j, ej - j);
        if (r != 0)
            return r;
        i = ei + 1;
        j = ej + 1;
    }
}

int sw_semver_cmp(const struct sw_semver *a, const struct sw_semver *b)
{
    int r = cmp_u64(a->major, b->major);
    if (r == 0)
        r = cmp_u64(a->minor, b->minor);
    if (r == 0)
        r = cmp_u64(a->patch, b->patch);
    if (r == 0)
        r = cmp_pre(a->pre, b->pre);
    return r;
}

char *sw_semver_str(const struct sw_semver *v, char *buf, size_t n)
{
    if (n == 0)
        return buf;
    int plen = (int)strnlen(v->pre, sizeof(v->pre));
    snprintf(buf, n, "%" PRIu64 ".%" PRIu64 ".%" PRIu64 "%s%.*s", v->major, v->minor, v->patch,
             plen ? "-" : "", plen, v->pre);
    return buf;
}

/* ---- specs ---- */

int sw_spec_parse(const char *s, struct sw_spec *out, struct sw_error *err)
{
    static const char *const latest[] = {"", "latest", "stable", "*"};
    static const char *const rc[] = {"rc", "prerelease", "next"};
    struct fail f;
    char q[160];
    memset(out, 0, sizeof(*out));
    if (!s)
        s = "";
    while (sw_sv_is_space(*s))
        s++;
    size_t len = strlen(s);
    while (len > 0 && sw_sv_is_space(s[len - 1]))
        len--;
    size_t keep = len < sizeof(out->text) ? len : sizeof(out->text) - 1;
    memcpy(out->text, s, keep);
    out->text[keep] = '\0';
    if (len >= sizeof(out->text)) {
        clip(q, 48, s, len);
        return sw_error_set(err, SW_EXIT_USAGE,
                            "invalid version '%s': too long (%zu characters, at most %zu); %s", q,
                            len, sizeof(out->text) - 1, accepted_forms);
    }
    const char *t = out->text;
    for (size_t k = 0; k < sizeof(latest) / sizeof(latest[0]); k++)
        if (eq_nocase(t, latest[k]))
            return 0; /* SW_SPEC_LATEST */
    for (size_t k = 0; k < sizeof(rc) / sizeof(rc[0]); k++) {
        if (eq_nocase(t, rc[k])) {
            out->kind = SW_SPEC_RC;
            return 0;
        }
    }
    size_t off = 0;
    if (starts_nocase(t, "wash-v"))
        off = 6;
    else if (lower(t[0]) == 'v')
        off = 1;
    if (scan_strict(t + off, &out->exact, &f) == 0) {
        out->kind = SW_SPEC_EXACT;
        return 0;
    }
    if (off == 6) {
        if (f.pos != NO_POS)
            f.pos += off;
    } else if (sw_sv_range_parse(t, &out->range, &f) == 0) {
        out->kind = SW_SPEC_RANGE;
        return 0;
    }
    memset(&out->exact, 0, sizeof(out->exact));
    sw_sv_quote_input(q, sizeof(q), t);
    if (strpbrk(t, "0123456789") == NULL)
        return sw_error_set(err, SW_EXIT_USAGE, "invalid version '%s': %s", q, accepted_forms);
    if (f.pos == NO_POS)
        return sw_error_set(err, SW_EXIT_USAGE, "invalid version '%s': %s; %s", q, f.msg,
                            accepted_forms);
    return sw_error_set(err, SW_EXIT_USAGE, "invalid version '%s': %s at column %zu; %s", q, f.msg,
                        f.pos + 1, accepted_forms);
}

void sw_spec_free(struct sw_spec *spec)
{
    if (!spec)
        return;
    sw_range_free(spec->range);
    spec->range = NULL;
}
