/* libFuzzer harness for the lockfile parser (src/core/lock.c, lock_plugins.c, lock_tools.c):
 * parse, and when the input is accepted, format it and check that the formatted text parses
 * and formats to itself, and that every tool entry read is one sw_lock_put_tool takes as it
 * is. Seeds: tests/fixtures/locks/ (scripts/fuzz). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/lock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sw_error err = {0};
    struct sw_lock *lock = NULL, *again = NULL;
    if (sw_lock_parse((const char *)data, size, "fuzz.lock", &lock, &err) < 0)
        return 0;
    char *text = sw_lock_format(lock);
    if (sw_lock_parse(text, strlen(text), "formatted.lock", &again, &err) < 0)
        abort(); /* what we write must be what we read */
    char *text2 = sw_lock_format(again);
    if (strcmp(text, text2) != 0)
        abort(); /* formatting is deterministic */
    /* the file and the program hold tools to the same rules */
    struct sw_lock *put = sw_lock_new();
    for (size_t i = 0; i < lock->ntools; i++)
        if (sw_lock_put_tool(put, &lock->tools[i], &err) < 0)
            abort();
    put->wash = lock->wash;
    put->plugins = lock->plugins;
    put->nplugins = lock->nplugins;
    char *text3 = sw_lock_format(put);
    if (strcmp(text, text3) != 0)
        abort();
    put->wash = NULL;
    put->plugins = NULL;
    put->nplugins = 0;
    sw_lock_free(put);
    free(text3);
    free(text);
    free(text2);
    sw_lock_free(lock);
    sw_lock_free(again);
    return 0;
}
