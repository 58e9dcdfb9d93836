/* The one rule for plain HTTP, as pure logic over URL strings.
 *
 * https:// is always fine. http:// is allowed only to a loopback host (127.0.0.0/8, ::1,
 * localhost) or to a host the user listed in SETUP_WASH_PLAIN_HTTP_REGISTRIES (entries
 * "host" or "host:port", comma-separated); any other scheme, or no scheme, never. The host is
 * taken after any user-info ("http://127.0.0.1@example.com/" is example.com), so a URL cannot
 * borrow the exception. The HTTP module applies this rule to every secret it sends and to
 * every URL a server hands it (Location, Link, a token realm, a bundle_url). */
#ifndef SW_URL_H
#define SW_URL_H

#include <stdbool.h>
#include <stddef.h>

enum sw_url_transport {
    SW_URL_TLS,          /* https:// */
    SW_URL_PLAIN_LOOPBACK, /* http:// to a loopback host */
    SW_URL_PLAIN_LISTED, /* http:// to a host in the plain-HTTP list */
    SW_URL_INSECURE,     /* http:// elsewhere, another scheme, or not a URL */
};

/* Classifies url under the rule above; `plain_hosts` is the comma-separated list (or NULL). */
enum sw_url_transport sw_url_transport(const char *url, const char *plain_hosts);

/* Whether a host ("host" or "host:port", as in an OCI reference) is in the list. Entries
 * match exactly (host names case-insensitively); an entry without a port matches any port. */
bool sw_url_host_listed(const char *hostport, const char *plain_hosts);

/* Copies url's authority without user-info (host[:port], IPv6 hosts in brackets) into dst;
 * false when url has no "scheme://" or the authority does not fit. */
bool sw_url_authority(const char *url, char *dst, size_t n);

#endif
