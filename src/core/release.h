/* The wash release model: GitHub release JSON turned into typed values, classified by tag
 * (never by GitHub's unreliable `prerelease` flag), and selected by a version spec.
 *
 * Ownership: a `struct sw_releases` owns every string and array in it; sw_releases_free()
 * releases them. Pointers to elements stay valid until the next sw_releases_* call that adds. */
#ifndef SW_RELEASE_H
#define SW_RELEASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/semver.h"
#include "data/tools.h"
#include "data/wash.h"

struct sw_asset {
    char *name;
    char *digest; /* "sha256:<64 lowercase hex>", or NULL when the API gave none */
    int64_t size; /* -1 when unknown */
};

struct sw_release {
    char *repo; /* "wasmCloud/wasmCloud" */
    char *tag;  /* "v2.7.0", "wash-v2.0.0-rc.8" */
    struct sw_semver version;
    enum sw_line line;
    long long published; /* published_at in Unix seconds; 0 when the API gave none */
    struct sw_asset *assets;
    size_t nassets;
};

struct sw_releases {
    /* The tool whose releases these are: NULL (or the wash row) for wash, classified by
     * data/wash.h; any other row by its own tag forms (core/tool.h). Set before adding. */
    const struct sw_tool *tool;
    struct sw_release *items;
    size_t n, cap;
    /* Private to release.c: an open-addressing hash set of item indices by repository and tag,
     * so that a tag seen twice (a page shifted) is found without a scan. `seen` has seen_cap
     * slots (a power of two; SIZE_MAX marks an empty one) and covers items[0, seen_n). */
    size_t *seen;
    size_t seen_cap, seen_n;
};

/* Classifies a tag of a repository with the table in data/wash.c. Returns true and fills
 * *version and *line when the tag is a wash CLI release; false for anything else. */
bool sw_tag_classify(const char *repo, const char *tag, struct sw_semver *version,
                     enum sw_line *line);

/* Where an exact version lives: the repository and tag form from the same table. Returns 0 and
 * writes the tag into tag[n] and the repository (static) into *repo, or -1 with err
 * (SW_EXIT_NOTFOUND) when no known tag form covers the version. */
int sw_tag_for_version(const struct sw_semver *v, const char **repo, char *tag, size_t n,
                       struct sw_error *err);

/* Adds the wash releases found in a GitHub `GET /repos/{repo}/releases` page (a JSON array)
 * or a single release object. Drafts, non-wash tags and malformed entries are skipped;
 * a body that is not JSON or has the wrong shape fails with SW_EXIT_NETWORK naming `what`. */
int sw_releases_add_json(struct sw_releases *rs, const char *repo, const char *json, size_t len,
                         const char *what, struct sw_error *err);

/* A cooldown (--min-release-age): latest, rc and ranges take only releases published at or
 * before `cutoff` (now minus the age); exact versions ignore it. A release without a
 * published time cannot show its age and is held back too. age 0: no cooldown. */
struct sw_cooldown {
    long long age;    /* seconds; 0: off */
    long long cutoff; /* Unix seconds */
};

/* Index of the release the spec selects, newest first among matches:
 *   latest: newest stable release of the new line;  rc: newest of the new line;
 *   exact:  that version in any line;  range: newest match of the new line, or of either line
 *   when the range names major version 0.
 * cd (may be NULL) holds releases back as described above; *held (may be NULL) gets the index
 * of the newest match it held back, or SIZE_MAX when it held back none.
 * Returns 0 and *idx, or -1 with err (SW_EXIT_NOTFOUND) listing the nearest known versions, or,
 * when only the cooldown stands in the way, naming the newest match and when it qualifies. */
int sw_releases_select(const struct sw_releases *rs, const struct sw_spec *spec,
                       const struct sw_cooldown *cd, size_t *idx, size_t *held,
                       struct sw_error *err);

/* sw_releases_select over the releases for which keep(r, arg) holds (keep NULL: all). A
 * failure is what sw_releases_select says of the releases kept. */
typedef bool (*sw_release_keep)(const struct sw_release *r, const void *arg);
int sw_releases_select_if(const struct sw_releases *rs, const struct sw_spec *spec,
                          const struct sw_cooldown *cd, sw_release_keep keep, const void *arg,
                          size_t *idx, size_t *held, struct sw_error *err);

/* Writes up to `max` versions nearest to `around` (or the newest, when around is NULL) as
 * "2.0.6, 2.1.0, ..." into buf[n]; new-line versions only unless `old` is true. */
void sw_releases_nearest(const struct sw_releases *rs, const struct sw_semver *around, bool old,
                         size_t max, char *buf, size_t n);

/* The asset of a release by name, or NULL. */
const struct sw_asset *sw_release_asset(const struct sw_release *r, const char *name);

/* Validates a "sha256:<hex>" digest string: 64 hex digits; upper case is accepted. */
bool sw_digest_valid(const char *digest);

void sw_releases_free(struct sw_releases *rs);

#endif
