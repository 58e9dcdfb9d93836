/* Lowercase hexadecimal, the one encoding of digests in this program. */
#ifndef SW_HEX_H
#define SW_HEX_H

#include <stddef.h>

/* Writes 2n lowercase hex digits of p[0..n) and a NUL into out (2n + 1 bytes). */
void sw_hex_encode(const unsigned char *p, size_t n, char *out);

/* Decodes exactly 2n hex digits (either case) of s into out[0..n); -1 when s has another
 * length or a character that is not a hex digit. */
int sw_hex_decode(const char *s, unsigned char *out, size_t n);

#endif
