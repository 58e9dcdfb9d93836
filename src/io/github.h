/* The GitHub REST API calls setup-wash makes, over io/http. */
#ifndef SW_GITHUB_H
#define SW_GITHUB_H

#include "core/error.h"
#include "core/release.h"
#include "io/http.h"

/* Adds every wash release of `repo` ("owner/name") to rs: GET {api}/repos/{repo}/releases,
 * 100 a page, following Link rel="next". Pages are cached on disk with their ETags; when the
 * first page answers 304 the later pages are taken from the cache without a request, since a
 * new release always lands on the first page. */
int sw_github_list_releases(struct sw_http *h, const char *api_url, const char *repo,
                            struct sw_releases *rs, struct sw_error *err);

/* Adds the release with this tag: GET {api}/repos/{repo}/releases/tags/{tag}. Sets *found to
 * false (and returns 0) on 404. */
int sw_github_release_by_tag(struct sw_http *h, const char *api_url, const char *repo,
                             const char *tag, struct sw_releases *rs, bool *found,
                             struct sw_error *err);

/* The direct download URL {server}/{repo}/releases/download/{tag}/{asset}; caller frees. */
char *sw_github_download_url(const char *server_url, const char *repo, const char *tag,
                             const char *asset);

#endif
