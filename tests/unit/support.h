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

/* A new empty directory <tmp>/<stem>-<pid>-<n> (tmp: $TMPDIR, %TEMP% on Windows, else /tmp),
 * made through the platform layer so the tests run on Windows too; the caller frees the path
 * and removes the tree (sw_fs_rm_rf). Fails the running test when it cannot. */
char *sw_test_tmpdir(const char *stem);

#endif
