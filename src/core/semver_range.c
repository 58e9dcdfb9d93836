/* npm-style ranges (the grammar is in semver.h), desugared while parsing, as npm does, into sets
 * of primitive comparators (=, <, <=, >, >=, any, none): `^2.3` becomes `>=2.3.0 <3.0.0-0`.
 * Upper bounds carry the `-0` prerelease so that the prereleases of the next version
 * (3.0.0-rc.1) stay outside. Versions and specs are in semver.c. */
#include "core/semver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/semver_internal.h"

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
    while (sw_sv_is_space(s[*i]))
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
    if ((s[*i] == 'v' || s[*i] == 'V') && (sw_sv_is_digit(s[*i + 1]) || sw_sv_is_x(s[*i + 1])))
        (*i)++;
    if (sw_sv_scan_partial(s, i, true, p, build, f) < 0)
        return -1;
    if (s[*i] && !sw_sv_is_space(s[*i]) && !at_or(s, *i))
        return sw_sv_fail_unexpected(f, s, *i);
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
                return s[*i] ? sw_sv_fail_unexpected(f, s, *i)
                             : sw_sv_failf(f, *i, "expected a version");
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
              (sw_sv_is_space(s[j + 1]) || !s[j + 1]))) {
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
            return sw_sv_fail_unexpected(f, s, *i);
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

int sw_sv_range_parse(const char *s, struct sw_range **out, struct fail *f)
{
    struct sw_range *r = sw_xcalloc(1, sizeof(*r));
    size_t i = 0;
    int rc = -1;
    skip_space(s, &i);
    if (!s[i]) {
        sw_sv_failf(f, NO_POS, "empty range, use * for any version");
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
            sw_sv_failf(f, i, "expected a version after '||'");
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
    if (sw_sv_range_parse(s, out, &f) == 0)
        return 0;
    sw_sv_quote_input(q, sizeof(q), s);
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
