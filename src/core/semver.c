/* Semantic versions, npm-style ranges and version specs; the grammar is in semver.h.
 *
 * Ranges are desugared while parsing, as npm does, into sets of primitive comparators
 * (=, <, <=, >, >=, any, none): `^2.3` becomes `>=2.3.0 <3.0.0-0`. Upper bounds carry the `-0`
 * prerelease so that the prereleases of the next version (3.0.0-rc.1) stay outside. */
#include "core/attr.h"
#include "core/semver.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

#define NO_POS SIZE_MAX

static const char accepted_forms[] =
    "use latest, rc, an exact version (2.7.0, v2.7.0, wash-v2.0.0-rc.8) or a range "
    "(^2, ~2.6, 2.x, >=2.1 <3)";

/* A parse failure: where in the string (NO_POS when nowhere in particular) and what is wrong.
 * The public functions add which kind of string was being parsed. */
struct fail {
    size_t pos;
    char msg[256];
};

/* A version as written in a range: 1 to 3 parts, the trailing ones possibly x. */
struct partial {
    uint64_t num[3]; /* x parts are 0 */
    int numeric;     /* leading parts that are numbers, 0..3; the others are x or missing */
    char pre[SW_SEMVER_PRE_MAX];
};

/* Primitive comparators after desugaring. */
enum op { OP_EQ, OP_LT, OP_LE, OP_GT, OP_GE, OP_ANY, OP_NONE };

/* Operators as written in a range. */
enum syntax { SY_NONE, SY_EQ, SY_LT, SY_LE, SY_GT, SY_GE, SY_CARET, SY_TILDE };

struct comparator {
    enum op op;
    bool major0; /* the user wrote major version 0 in the operand this came from */
    struct sw_semver v;
};

struct cset {
    struct comparator *c;
    size_t n, cap;
};

struct sw_range {
    struct cset *sets;
    size_t n, cap;
};

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_ident(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

static bool is_x(char c)
{
    return c == 'x' || c == 'X' || c == '*';
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
    while (s[len] && !is_space(s[len]))
        len++;
    clip(dst, n, s, len);
}

static int failf(struct fail *f, size_t pos, const char *fmt, ...)
    SW_PRINTF(3, 4);

static int failf(struct fail *f, size_t pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
    va_end(ap);
    f->pos = pos;
    return -1;
}

static int fail_unexpected(struct fail *f, const char *s, size_t pos)
{
    char w[40];
    if (!s[pos])
        return failf(f, pos, "unexpected end");
    clip_word(w, sizeof(w), s + pos);
    return failf(f, pos, "unexpected '%s'", w);
}

static int scan_number(const char *s, size_t *i, uint64_t *out, struct fail *f)
{
    size_t start = *i, end = *i;
    char w[40];
    while (is_digit(s[end]))
        end++;
    if (s[start] == '0' && end - start > 1) {
        clip(w, sizeof(w), s + start, end - start);
        return failf(f, start, "leading zero in '%s'", w);
    }
    uint64_t v = 0;
    for (; *i < end; (*i)++) {
        unsigned d = (unsigned)(s[*i] - '0');
        if (v > (UINT64_MAX - d) / 10) {
            clip(w, sizeof(w), s + start, end - start);
            return failf(f, start, "number '%s' is too large", w);
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
            numeric = numeric && is_digit(s[*i]);
        if (*i == id)
            return failf(f, id, "empty %s identifier", what);
        if (numeric && s[id] == '0' && *i - id > 1 && strcmp(what, "prerelease") == 0) {
            clip(w, sizeof(w), s + id, *i - id);
            return failf(f, id, "leading zero in prerelease identifier '%s'", w);
        }
        if (s[*i] != '.')
            break;
        (*i)++;
    }
    size_t len = *i - start;
    if (len >= SW_SEMVER_PRE_MAX) {
        clip(w, sizeof(w), s + start, len);
        return failf(f, start, "%s '%s' longer than %d characters", what, w, SW_SEMVER_PRE_MAX - 1);
    }
    memcpy(dst, s + start, len);
    dst[len] = '\0';
    return 0;
}

/* Scans "N[.N[.N[-pre][+build]]]" at s[*i], where a part may be x, X or * when allow_x (and
 * then every later part must be too). Stops at the first character that does not continue the
 * version; the caller decides whether what follows may. Build metadata is checked, not kept. */
static int scan_partial(const char *s, size_t *i, bool allow_x, struct partial *p,
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
            if (!(allow_x && is_x(next)) && (p->numeric < k || !is_digit(next)))
                return fail_unexpected(f, s, *i); /* "1.", "1.a", "2.x.1" */
            (*i)++;
        }
        if (allow_x && is_x(s[*i])) {
            if (is_ident(s[*i + 1]) && s[*i + 1] != '-')
                return fail_unexpected(f, s, *i); /* "xyz" is a word, not a wildcard */
            (*i)++;
            continue;
        }
        if (!is_digit(s[*i])) {
            if (!s[*i] || is_space(s[*i]) || s[*i] == '|')
                return failf(f, *i, "expected a version");
            return fail_unexpected(f, s, *i);
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
        return failf(f, NO_POS, "expected MAJOR.MINOR.PATCH like 2.7.0");
    if (scan_partial(s, &i, false, &p, build, f) < 0)
        return -1;
    if (p.numeric < 3 && !s[i])
        return failf(f, NO_POS, "expected MAJOR.MINOR.PATCH like 2.7.0");
    if (s[i])
        return fail_unexpected(f, s, i);
    memset(out, 0, sizeof(*out));
    out->major = p.num[0];
    out->minor = p.num[1];
    out->patch = p.num[2];
    memcpy(out->pre, p.pre, sizeof(out->pre));
    memcpy(out->build, build, sizeof(out->build));
    return 0;
}

static void quote_input(char *dst, size_t n, const char *s)
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
    quote_input(q, sizeof(q), s);
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
        da = da && is_digit(a[k]);
    for (size_t k = 0; k < nb; k++)
        db = db && is_digit(b[k]);
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

/* ---- ranges ---- */

static void push(struct cset *set, enum op op, const uint64_t n[3], const char *pre, bool major0)
{
    if (set->n == set->cap) {
        set->cap = set->cap ? set->cap * 2 : 4;
        set->c = sw_xrealloc(set->c, set->cap * sizeof(*set->c));
    }
    struct comparator *c = &set->c[set->n++];
    memset(c, 0, sizeof(*c));
    c->op = op;
    c->major0 = major0;
    if (n) {
        c->v.major = n[0];
        c->v.minor = n[1];
        c->v.patch = n[2];
    }
    snprintf(c->v.pre, sizeof(c->v.pre), "%s", pre);
}

/* The lowest version above every n[0..level] with the later parts free: level 0 gives
 * (M+1).0.0, 1 gives M.(m+1).0, 2 gives M.m.(p+1), carrying into the part before on overflow.
 * False when there is none (every part at UINT64_MAX). */
static bool bump(uint64_t n[3], int level)
{
    for (int k = level; k >= 0; k--) {
        if (n[k] != UINT64_MAX) {
            n[k]++;
            for (int j = k + 1; j < 3; j++)
                n[j] = 0;
            return true;
        }
    }
    return false;
}

/* "<bump(n, level)-0", or an always-true comparator when there is no version above. */
static void push_upper(struct cset *set, const struct partial *p, int level, bool major0)
{
    uint64_t u[3] = {p->num[0], p->num[1], p->num[2]};
    if (bump(u, level))
        push(set, OP_LT, u, "0", major0);
    else
        push(set, OP_ANY, NULL, "", false);
}

/* Desugars one operand and its operator as npm does. */
static void emit(struct cset *set, enum syntax sy, const struct partial *p)
{
    static const enum op plain[] = {
        [SY_NONE] = OP_EQ, [SY_EQ] = OP_EQ, [SY_LT] = OP_LT,
        [SY_LE] = OP_LE,   [SY_GT] = OP_GT, [SY_GE] = OP_GE,
    };
    bool z = p->numeric > 0 && p->num[0] == 0;
    int level = p->numeric - 1; /* the last part written as a number */
    if (p->numeric == 0) {
        push(set, (sy == SY_LT || sy == SY_GT) ? OP_NONE : OP_ANY, NULL, "", false);
        return;
    }
    if (sy == SY_CARET) {
        if (p->numeric == 2 && p->num[0] != 0)
            level = 0;
        else if (p->numeric == 3)
            level = p->num[0] != 0 ? 0 : (p->num[1] != 0 ? 1 : 2);
        push(set, OP_GE, p->num, p->pre, z);
        push_upper(set, p, level, z);
    } else if (sy == SY_TILDE) {
        push(set, OP_GE, p->num, p->pre, z);
        push_upper(set, p, p->numeric == 1 ? 0 : 1, z);
    } else if (p->numeric == 3) {
        push(set, plain[sy], p->num, p->pre, z);
    } else if (sy == SY_NONE || sy == SY_EQ) {
        push(set, OP_GE, p->num, "", z);
        push_upper(set, p, level, z);
    } else if (sy == SY_GT) {
        uint64_t u[3] = {p->num[0], p->num[1], p->num[2]};
        if (bump(u, level))
            push(set, OP_GE, u, "", z);
        else
            push(set, OP_NONE, NULL, "", false);
    } else if (sy == SY_GE) {
        push(set, OP_GE, p->num, "", z);
    } else if (sy == SY_LT) {
        push(set, OP_LT, p->num, "0", z);
    } else {
        push_upper(set, p, level, z); /* <=1.2 is <1.3.0-0 */
    }
}

static void emit_hyphen(struct cset *set, const struct partial *from, const struct partial *to)
{
    if (from->numeric > 0)
        push(set, OP_GE, from->num, from->pre, from->num[0] == 0);
    if (to->numeric == 3)
        push(set, OP_LE, to->num, to->pre, to->num[0] == 0);
    else if (to->numeric > 0)
        push_upper(set, to, to->numeric - 1, to->num[0] == 0);
    if (set->n == 0)
        push(set, OP_ANY, NULL, "", false);
}

static void skip_space(const char *s, size_t *i)
{
    while (is_space(s[*i]))
        (*i)++;
}

static bool at_or(const char *s, size_t i)
{
    return s[i] == '|' && s[i + 1] == '|';
}

static enum syntax read_op(const char *s, size_t *i)
{
    char c = s[*i], d = s[*i + 1];
    enum syntax sy;
    size_t len = 1;
    if (c == '<' || c == '>') {
        sy = d == '=' ? (c == '<' ? SY_LE : SY_GE) : (c == '<' ? SY_LT : SY_GT);
        len = d == '=' ? 2 : 1;
    } else if (c == '=') {
        sy = SY_EQ;
    } else if (c == '^') {
        sy = SY_CARET;
    } else if (c == '~') {
        sy = SY_TILDE;
        len = d == '>' ? 2 : 1; /* ~>1.2 is ~1.2 */
    } else {
        return SY_NONE;
    }
    *i += len;
    return sy;
}

/* An operand: an optional 'v', a partial version, then the end of the word. */
static int scan_operand(const char *s, size_t *i, struct partial *p, struct fail *f)
{
    char build[SW_SEMVER_PRE_MAX];
    if ((s[*i] == 'v' || s[*i] == 'V') && (is_digit(s[*i + 1]) || is_x(s[*i + 1])))
        (*i)++;
    if (scan_partial(s, i, true, p, build, f) < 0)
        return -1;
    if (s[*i] && !is_space(s[*i]) && !at_or(s, *i))
        return fail_unexpected(f, s, *i);
    return 0;
}

/* One comparator set, up to the end or the next "||". */
static int parse_set(const char *s, size_t *i, struct cset *set, struct fail *f)
{
    struct partial p, to;
    for (bool first = true;; first = false) {
        skip_space(s, i);
        if (!s[*i] || at_or(s, *i)) {
            if (first)
                return s[*i] ? fail_unexpected(f, s, *i) : failf(f, *i, "expected a version");
            return 0;
        }
        enum syntax sy = read_op(s, i);
        if (sy != SY_NONE)
            skip_space(s, i); /* npm allows ">= 1.2" */
        if (scan_operand(s, i, &p, f) < 0)
            return -1;
        size_t j = *i;
        skip_space(s, &j);
        if (!(first && sy == SY_NONE && j > *i && s[j] == '-' &&
              (is_space(s[j + 1]) || !s[j + 1]))) {
            emit(set, sy, &p);
            continue;
        }
        /* "A - B" is a whole set on its own */
        *i = j + 1;
        skip_space(s, i);
        if (scan_operand(s, i, &to, f) < 0)
            return -1;
        skip_space(s, i);
        if (s[*i] && !at_or(s, *i))
            return fail_unexpected(f, s, *i);
        emit_hyphen(set, &p, &to);
        return 0;
    }
}

void sw_range_free(struct sw_range *r)
{
    if (!r)
        return;
    for (size_t k = 0; k < r->n; k++)
        free(r->sets[k].c);
    free(r->sets);
    free(r);
}

static int range_parse(const char *s, struct sw_range **out, struct fail *f)
{
    struct sw_range *r = sw_xcalloc(1, sizeof(*r));
    size_t i = 0;
    int rc = -1;
    skip_space(s, &i);
    if (!s[i]) {
        failf(f, NO_POS, "empty range, use * for any version");
        goto out;
    }
    for (;;) {
        if (r->n == r->cap) {
            r->cap = r->cap ? r->cap * 2 : 2;
            r->sets = sw_xrealloc(r->sets, r->cap * sizeof(*r->sets));
        }
        memset(&r->sets[r->n], 0, sizeof(r->sets[r->n]));
        r->n++;
        if (parse_set(s, &i, &r->sets[r->n - 1], f) < 0)
            goto out;
        if (!s[i])
            break;
        i += 2; /* "||" */
        skip_space(s, &i);
        if (!s[i]) {
            failf(f, i, "expected a version after '||'");
            goto out;
        }
    }
    *out = r;
    r = NULL;
    rc = 0;
out:
    sw_range_free(r);
    return rc;
}

int sw_range_parse(const char *s, struct sw_range **out, struct sw_error *err)
{
    struct fail f;
    char q[160];
    *out = NULL;
    if (!s)
        s = "";
    if (range_parse(s, out, &f) == 0)
        return 0;
    quote_input(q, sizeof(q), s);
    if (f.pos == NO_POS)
        return sw_error_set(err, SW_EXIT_USAGE, "invalid version range '%s': %s", q, f.msg);
    return sw_error_set(err, SW_EXIT_USAGE, "invalid version range '%s': %s at column %zu", q,
                        f.msg, f.pos + 1);
}

static bool test(const struct comparator *c, const struct sw_semver *v)
{
    if (c->op == OP_ANY || c->op == OP_NONE)
        return c->op == OP_ANY;
    int r = sw_semver_cmp(v, &c->v);
    switch (c->op) {
    case OP_EQ:
        return r == 0;
    case OP_LT:
        return r < 0;
    case OP_LE:
        return r <= 0;
    case OP_GT:
        return r > 0;
    default:
        return r >= 0;
    }
}

static bool set_match(const struct cset *set, const struct sw_semver *v)
{
    for (size_t k = 0; k < set->n; k++)
        if (!test(&set->c[k], v))
            return false;
    if (!sw_semver_is_pre(v))
        return true;
    /* npm: a prerelease only matches a set that names a prerelease of the same x.y.z */
    for (size_t k = 0; k < set->n; k++) {
        const struct comparator *c = &set->c[k];
        if (c->op != OP_ANY && c->op != OP_NONE && sw_semver_is_pre(&c->v) &&
            c->v.major == v->major && c->v.minor == v->minor && c->v.patch == v->patch)
            return true;
    }
    return false;
}

bool sw_range_match(const struct sw_range *r, const struct sw_semver *v)
{
    for (size_t k = 0; r && k < r->n; k++)
        if (set_match(&r->sets[k], v))
            return true;
    return false;
}

bool sw_range_names_major0(const struct sw_range *r)
{
    for (size_t k = 0; r && k < r->n; k++)
        for (size_t j = 0; j < r->sets[k].n; j++)
            if (r->sets[k].c[j].major0)
                return true;
    return false;
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
    while (is_space(*s))
        s++;
    size_t len = strlen(s);
    while (len > 0 && is_space(s[len - 1]))
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
    } else if (range_parse(t, &out->range, &f) == 0) {
        out->kind = SW_SPEC_RANGE;
        return 0;
    }
    memset(&out->exact, 0, sizeof(out->exact));
    quote_input(q, sizeof(q), t);
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
