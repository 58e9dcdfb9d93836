/* What a failed request means, in words a user can act on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "io/http_internal.h"

bool sw_http_retryable_curl(CURLcode rc)
{
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return true;
    default:
        return false;
    }
}

void sw_http_curl_failure(struct job *j, CURLcode rc)
{
    char shown[512];
    sw_http_url_for_message(shown, sizeof(shown), j->url);
    const char *detail = j->errbuf[0] ? j->errbuf : curl_easy_strerror(rc);
    switch (rc) {
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
        sw_error_set(j->err, SW_EXIT_NETWORK,
                     "TLS verification failed for '%s': %s; for a private CA or a "
                     "TLS-inspecting proxy pass --cacert FILE or set SSL_CERT_FILE "
                     "(verification is never switched off)",
                     shown, detail);
        break;
    case CURLE_OPERATION_TIMEDOUT:
        sw_error_set(j->err, SW_EXIT_NETWORK,
                     "download from '%s' stalled or timed out: %s (connect timeout %ld s, "
                     "stall timeout %ld s)",
                     shown, detail, j->h->cfg.connect_timeout_s, j->h->cfg.stall_timeout_s);
        break;
    default:
        sw_error_set(j->err, SW_EXIT_NETWORK, "request to '%s' failed: %s", shown, detail);
    }
}

/* 403/429 answers that are rate limits, with GitHub's headers or Retry-After. */
bool sw_http_is_rate_limit(const struct job *j)
{
    if (j->status == 429)
        return true;
    if (j->status != 403)
        return false;
    return strcmp(j->rl_remaining, "0") == 0 || j->retry_after[0] ||
           strstr(sw_buf_str(&j->errbody), "rate limit") != NULL;
}

/* Retry-After in seconds, from "120" or an HTTP date; -1 when absent or unreadable. */
long sw_http_retry_after_seconds(const char *v)
{
    if (!v[0])
        return -1;
    char *end;
    long n = strtol(v, &end, 10);
    if (*end == '\0')
        return n >= 0 ? n : -1;
    time_t at = curl_getdate(v, NULL);
    if (at < 0)
        return -1;
    time_t now = time(NULL);
    return at > now ? (long)(at - now) : 0;
}

void sw_http_rate_limit_failure(struct job *j)
{
    struct sw_http *h = j->h;
    char shown[512], when[160] = "";
    sw_http_url_for_message(shown, sizeof(shown), j->url);
    if (j->retry_after[0]) {
        snprintf(when, sizeof(when), "; the server asks to retry after %s s", j->retry_after);
    } else if (j->rl_reset[0]) {
        time_t reset = (time_t)strtoll(j->rl_reset, NULL, 10);
        struct tm tm;
        char at[64];
        gmtime_r(&reset, &tm);
        strftime(at, sizeof(at), "%Y-%m-%d %H:%M:%S UTC", &tm);
        long mins = (long)((reset - time(NULL) + 59) / 60);
        snprintf(when, sizeof(when), "; the limit resets at %s (in %ld min)", at,
                 mins > 0 ? mins : 0);
    }
    if (!sw_http_url_gets_token(h->cfg.api_url, j->url)) {
        sw_error_set(j->err, SW_EXIT_NETWORK, "rate limited by '%s' (HTTP %ld)%s", shown, j->status,
                     when);
        return;
    }
    const char *fix = h->cfg.token
                          ? "pin the version in plugins.lock ('setup-wash lock') so installs make "
                            "no API request"
                          : "set GITHUB_TOKEN (in a workflow: token: ${{ github.token }}) for a "
                            "higher limit, or pin the version in plugins.lock ('setup-wash lock') "
                            "so installs make no API request";
    sw_error_set(j->err, SW_EXIT_NETWORK,
                 "GitHub API rate limit exceeded (HTTP %ld) for '%s'%s: %s", j->status, shown, when,
                 fix);
}

/* GitHub's JSON error body {"message": "..."} as a short, printable string. */
void sw_http_error_message(const struct job *j, char *dst, size_t n)
{
    const char *b = sw_buf_str(&j->errbody);
    const char *m = strstr(b, "\"message\"");
    dst[0] = '\0';
    if (!m || !(m = strchr(m + 9, '"')))
        return;
    const char *e = strchr(m + 1, '"');
    if (!e)
        return;
    char tmp[200];
    size_t l = (size_t)(e - m - 1) < sizeof(tmp) - 1 ? (size_t)(e - m - 1) : sizeof(tmp) - 1;
    memcpy(tmp, m + 1, l);
    tmp[l] = '\0';
    sw_sanitize(dst, n, tmp);
}
