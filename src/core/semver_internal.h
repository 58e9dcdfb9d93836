/* Shared by the files of the semver module (semver.c: versions and specs; semver_range.c:
 * ranges). Not for other modules. */
#ifndef SW_SEMVER_INTERNAL_H
#define SW_SEMVER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/attr.h"
#include "core/semver.h"

#define NO_POS SIZE_MAX

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

static inline bool sw_sv_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static inline bool sw_sv_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static inline bool sw_sv_is_x(char c)
{
    return c == 'x' || c == 'X' || c == '*';
}

/* Sets f (at pos, NO_POS for nowhere in particular) and returns -1. */
int sw_sv_failf(struct fail *f, size_t pos, const char *fmt, ...) SW_PRINTF(3, 4);
/* "unexpected '<the word at s + pos>'" at pos; -1. */
int sw_sv_fail_unexpected(struct fail *f, const char *s, size_t pos);
/* Scans "N[.N[.N[-pre][+build]]]" at s[*i] into p (build metadata into build), a part possibly
 * x, X or * when allow_x (semver.c says more). */
int sw_sv_scan_partial(const char *s, size_t *i, bool allow_x, struct partial *p,
                       char build[SW_SEMVER_PRE_MAX], struct fail *f);
/* s for a message: control characters replaced, long text cut. */
void sw_sv_quote_input(char *dst, size_t n, const char *s);
/* Parses a whole range (semver_range.c); 0, or -1 with f. */
int sw_sv_range_parse(const char *s, struct sw_range **out, struct fail *f);

#endif
