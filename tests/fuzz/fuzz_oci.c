/* libFuzzer harness for OCI handling (src/core/oci.c): registry answers (manifests,
 * authentication challenges) and references from lockfiles; and the plain-HTTP rule
 * (src/core/url.c) over a challenge's realm and the raw input as a URL. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/oci.h"
#include "core/url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sw_error err = {0};
    struct sw_oci_layer layer;
    sw_oci_manifest_wasm_layer((const char *)data, size, &layer, &err);

    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = '\0';
    struct sw_oci_challenge c;
    if (sw_oci_challenge_parse(s, &c, &err) == 0)
        (void)sw_url_transport(c.realm, "127.0.0.1:5000,reg.corp");
    enum sw_url_transport t = sw_url_transport(s, "reg.corp:5000");
    char auth[512];
    /* plain HTTP is allowed only where the authority names a loopback or listed host */
    if (t == SW_URL_PLAIN_LOOPBACK && (!sw_url_authority(s, auth, sizeof(auth)) ||
                                       strncasecmp(s, "http://", 7) != 0))
        abort();
    struct sw_oci_ref ref;
    if (sw_oci_ref_parse(s, &ref, &err) == 0) {
        char buf[1200];
        struct sw_oci_ref again;
        sw_oci_ref_str(&ref, buf, sizeof(buf));
        if (sw_oci_ref_parse(buf, &again, &err) < 0 || strcmp(again.repository, ref.repository))
            abort(); /* a reference we print must read back the same */
    }
    free(s);
    return 0;
}
