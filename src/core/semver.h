/* Semantic versions (semver.org 2.0.0), version ranges and the version specs users write.
 *
 * Pure logic, no I/O, no allocation in the version type: a `struct sw_semver` is a plain value
 * that can be copied with `=`. Ranges are heap objects freed with sw_range_free().
 *
 * Range syntax (npm-style, documented in the README):
 *   comparators  =1.2.3  >1.2  >=1.2.3-rc.1  <2  <=2.1  1.2.3 (same as =)
 *   partials     2  2.x  2.*  2.6  2.6.x  *  x     (X-ranges)
 *   caret        ^2  ^2.3  ^2.3.1  ^0.40  ^1.0.0-beta.1
 *   tilde        ~2.6  ~2.6.1  ~2
 *   hyphen       1.2 - 2.3
 *   sets         comparators separated by spaces are ANDed; sets separated by `||` are ORed
 * Prerelease semantics (as npm): a version with a prerelease tag (2.8.0-rc.1) satisfies a set
 * only if it satisfies every comparator AND some comparator in that set carries a prerelease
 * tag on the same major.minor.patch. So `^2` never selects 2.8.0-rc.1, `>=2.0.0-rc.1 <2.0.0`
 * selects 2.0.0-rc.8, and `^1.0.0-beta.1` selects 1.0.0-rc.2.
 */
#ifndef SW_SEMVER_H
#define SW_SEMVER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"

#define SW_SEMVER_PRE_MAX 64
/* Room for any sw_semver_str() output, NUL included. */
#define SW_SEMVER_STR_MAX 128

struct sw_semver {
    uint64_t major, minor, patch;
    char pre[SW_SEMVER_PRE_MAX];   /* prerelease without the '-', "" when none ("rc.10") */
    char build[SW_SEMVER_PRE_MAX]; /* build metadata without the '+', "" when none */
};

/* Parses a strict semver "X.Y.Z[-pre][+build]" (no prefix, no leading zeros in numeric parts,
 * no empty identifiers). Returns 0, or -1 with err (SW_EXIT_USAGE) naming what is wrong. */
int sw_semver_parse(const char *s, struct sw_semver *out, struct sw_error *err);

/* Precedence per semver.org section 11: <0, 0, >0. Build metadata is ignored. Numeric
 * prerelease identifiers compare numerically (rc.10 > rc.9) and sort before alphanumeric ones;
 * a larger set of fields wins when all preceding are equal; a release beats its prereleases. */
int sw_semver_cmp(const struct sw_semver *a, const struct sw_semver *b);

/* Writes "X.Y.Z[-pre]" (no build metadata) into buf of size n, truncating to fit; returns buf.
 * 128 bytes always suffice (three 20-digit numbers, two dots, '-', a 63-character pre, NUL). */
char *sw_semver_str(const struct sw_semver *v, char *buf, size_t n);

static inline bool sw_semver_is_pre(const struct sw_semver *v)
{
    return v->pre[0] != '\0';
}

struct sw_range;

/* Parses a range (syntax above). Returns 0 and *out (caller frees with sw_range_free), or -1
 * with err (SW_EXIT_USAGE) saying what could not be parsed and where. */
int sw_range_parse(const char *s, struct sw_range **out, struct sw_error *err);

/* Whether v satisfies the range, with the prerelease rule above. */
bool sw_range_match(const struct sw_range *r, const struct sw_semver *v);

/* Whether any comparator of the range names major version 0 explicitly (`^0.40`, `0.x`,
 * `>=0.40 <1`, `0.43.0`, `<0.44`, `>=0.0.0`). Used to keep the old wash 0.x line out of ranges
 * that do not ask for it: `*`, `<2`, `^2` and `>=1` return false although they admit 0.x. */
bool sw_range_names_major0(const struct sw_range *r);

void sw_range_free(struct sw_range *r);

/* What the user asked for with --version. */
enum sw_spec_kind {
    SW_SPEC_LATEST, /* "latest" (also "", "stable", "*"): newest stable release */
    SW_SPEC_RC,     /* "rc" (also "prerelease", "next"): newest release including prereleases */
    SW_SPEC_EXACT,  /* a full version, optionally prefixed "v" or "wash-v" */
    SW_SPEC_RANGE,  /* anything else that parses as a range, including partials like "2.6" */
};

struct sw_spec {
    enum sw_spec_kind kind;
    struct sw_semver exact; /* SW_SPEC_EXACT */
    struct sw_range *range; /* SW_SPEC_RANGE; owned */
    char text[128];         /* what the user wrote, trimmed, for messages */
};

/* Parses a version spec. Returns 0 (release with sw_spec_free), or -1 with err (SW_EXIT_USAGE)
 * that quotes the input and shows the accepted forms. */
int sw_spec_parse(const char *s, struct sw_spec *out, struct sw_error *err);
void sw_spec_free(struct sw_spec *spec);

#endif
