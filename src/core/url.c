#include "core/url.h"

#include <openssl/x509v3.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

bool sw_url_authority(const char *url, char *dst, size_t n)
{
    const char *p = strstr(url, "://");
    if (!p || p == url)
        return false;
    p += 3;
    size_t len = strcspn(p, "/?#\\");
    const char *at = NULL;
    for (size_t i = 0; i < len; i++)
        if (p[i] == '@')
            at = p + i;
    if (at) {
        len -= (size_t)(at + 1 - p);
        p = at + 1;
    }
    if (len == 0 || len >= n)
        return false;
    memcpy(dst, p, len);
    dst[len] = '\0';
    return true;
}

/* Splits "host:port", "[v6]:port", "host" into the host (without brackets) and the port
 * ("" when none), in place. */
static void split_host(char *hp, char **host, const char **port)
{
    *port = "";
    if (hp[0] == '[') {
        char *close = strchr(hp, ']');
        if (close) {
            *close = '\0';
            if (close[1] == ':')
                *port = close + 2;
        }
        *host = hp + 1;
        return;
    }
    char *colon = strrchr(hp, ':');
    if (colon) {
        *colon = '\0';
        *port = colon + 1;
    }
    *host = hp;
}

static bool loopback(const char *host)
{
    if (strcasecmp(host, "localhost") == 0)
        return true;
    /* an IP literal, parsed by OpenSSL (the same on every platform): 4 or 16 bytes */
    ASN1_OCTET_STRING *ip = a2i_IPADDRESS(host);
    if (!ip)
        return false;
    static const unsigned char one[16] = {[15] = 1};
    const unsigned char *a = ASN1_STRING_get0_data(ip);
    int n = ASN1_STRING_length(ip);
    bool yes = (n == 4 && a[0] == 127) || (n == 16 && memcmp(a, one, 16) == 0);
    ASN1_OCTET_STRING_free(ip);
    return yes;
}

bool sw_url_host_listed(const char *hostport, const char *plain_hosts)
{
    char want[512];
    if (!plain_hosts || snprintf(want, sizeof(want), "%s", hostport) >= (int)sizeof(want))
        return false;
    char *whost;
    const char *wport;
    split_host(want, &whost, &wport);
    for (const char *l = plain_hosts; *l;) {
        size_t len = strcspn(l, ",");
        char entry[512];
        if (len > 0 && len < sizeof(entry)) {
            memcpy(entry, l, len);
            entry[len] = '\0';
            char *ehost;
            const char *eport;
            split_host(entry, &ehost, &eport);
            if (strcasecmp(ehost, whost) == 0 && (!eport[0] || strcmp(eport, wport) == 0))
                return true;
        }
        l += len + (l[len] == ',');
    }
    return false;
}

enum sw_url_transport sw_url_transport(const char *url, const char *plain_hosts)
{
    char auth[512];
    if (!url || !sw_url_authority(url, auth, sizeof(auth)))
        return SW_URL_INSECURE;
    if (strncasecmp(url, "https://", 8) == 0)
        return SW_URL_TLS;
    if (strncasecmp(url, "http://", 7) != 0)
        return SW_URL_INSECURE;
    if (sw_url_host_listed(auth, plain_hosts))
        return SW_URL_PLAIN_LISTED;
    char *host;
    const char *port;
    split_host(auth, &host, &port);
    return loopback(host) ? SW_URL_PLAIN_LOOPBACK : SW_URL_INSECURE;
}
