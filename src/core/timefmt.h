/* Times and durations as this program reads and writes them: RFC 3339 timestamps (GitHub's
 * published_at, Sigstore's validity periods) and the durations of --min-release-age.
 *
 * Pure arithmetic on the proleptic Gregorian calendar in UTC: no timegm(), gmtime_r() or TZ,
 * so the results are the same on every platform. */
#ifndef SW_TIMEFMT_H
#define SW_TIMEFMT_H

#include <stdbool.h>
#include <stddef.h>

/* RFC 3339 ("2022-04-13T20:06:15Z", fractions, offsets) to Unix seconds. A fraction rounds a
 * start up and an end down (round_up), so that whole-second times compare exactly. Returns 0,
 * or -1 for anything else (a missing zone, a 13th month, trailing text). */
int sw_time_parse(const char *s, bool round_up, long long *out);

/* RFC 3339 UTC with a 'Z' ("2026-12-02T21:53:37Z") into buf (at least 21 bytes; 32 is safe). */
void sw_time_format(long long t, char *buf, size_t n);

/* A duration: "0" (off), or one or more <number><unit> pieces with units s, m, h, d, w
 * ("24h", "3d", "2w", "1d12h"), at most 10 years. Returns 0 with seconds in *out, or -1. */
int sw_duration_parse(const char *s, long long *out);

/* A duration the way a person reads it: "3d", "1d 12h", "45m", "20s" (at most two units). */
void sw_duration_format(long long secs, char *buf, size_t n);

#endif
