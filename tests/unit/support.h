/* Helpers shared by the unit tests: the fixture files. */
#ifndef SW_TEST_SUPPORT_H
#define SW_TEST_SUPPORT_H

#include <stddef.h>

#include "core/release.h"

/* The whole fixture file tests/fixtures/<rel> as a NUL-terminated string the caller frees, or
 * NULL after printing why. The directory is $SW_TEST_FIXTURES (CTest sets it), else the one
 * next to this source file. */
char *sw_test_read_fixture(const char *rel, size_t *len);

/* Adds the real release lists of both repositories (tests/fixtures/releases) to rs; fails the
 * running cmocka test when one cannot be read or parsed. */
void sw_test_load_releases(struct sw_releases *rs);

#endif
