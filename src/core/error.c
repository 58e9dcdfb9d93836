#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int sw_error_set(struct sw_error *err, int code, const char *fmt, ...)
{
    if (!err)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    err->code = code ? code : SW_EXIT_FAILURE;
    return -1;
}

int sw_error_wrap(struct sw_error *err, const char *fmt, ...)
{
    if (!err)
        return -1;
    char prefix[512];
    char old[sizeof(err->msg)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof(prefix), fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof(old));
    snprintf(err->msg, sizeof(err->msg), "%s: %s", prefix, old);
    if (!err->code)
        err->code = SW_EXIT_FAILURE;
    return -1;
}

void sw_error_clear(struct sw_error *err)
{
    if (!err)
        return;
    err->code = 0;
    err->msg[0] = '\0';
}
