/* Errors are values: a class that maps to an exit code, and a message.
 *
 * Functions that can fail take a `struct sw_error *` last, return 0 on success and -1 on
 * failure after filling it. Core and io code never print and never exit; the dispatcher in
 * main.c maps the class to the exit code documented in `setup-wash --help`. */
#ifndef SW_ERROR_H
#define SW_ERROR_H

#include <stddef.h>

/* sw_sanitize, for text from outside that goes into a message */
#include "core/attr.h"
#include "core/text.h"

/* Exit codes: a contract, listed in --help and the README. */
enum sw_exit {
    SW_EXIT_OK = 0,
    SW_EXIT_FAILURE = 1,  /* generic failure; doctor found errors */
    SW_EXIT_USAGE = 2,    /* bad command line, bad input file */
    SW_EXIT_NOTFOUND = 3, /* no such version, no asset for the target */
    SW_EXIT_NETWORK = 4,  /* network, TLS, HTTP or rate limit */
    SW_EXIT_VERIFY = 5,   /* digest or provenance did not verify */
    SW_EXIT_FS = 6,       /* filesystem: cache, extraction, write */
};

struct sw_error {
    int code;       /* one of enum sw_exit; 0 while no error is set */
    char msg[2048]; /* NUL-terminated, no trailing newline */
};

/* Sets the error (class and printf-style message) and returns -1. */
int sw_error_set(struct sw_error *err, int code, const char *fmt, ...)
    SW_PRINTF(3, 4);

/* Prepends context to an error already set ("installing wash 2.7.0: <msg>"); returns -1. */
int sw_error_wrap(struct sw_error *err, const char *fmt, ...) SW_PRINTF(2, 3);

/* Clears the error. */
void sw_error_clear(struct sw_error *err);

#endif
