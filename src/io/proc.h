/* Running external programs: argv (never a shell), a working directory, variables added to
 * the environment, stdout and stderr captured up to a cap, and a timeout that kills the
 * program's whole process group. Several programs run at once, so doctor's wait is the
 * slowest tool, not the sum.
 *
 * Ownership: a `struct sw_proc_result` owns its buffers; sw_proc_result_free() releases them
 * (a zeroed result is valid to free). Specs are borrowed for the duration of the call. */
#ifndef SW_PROC_H
#define SW_PROC_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"

struct sw_proc_spec {
    const char *path;         /* the executable, a path (see sw_proc_which) */
    const char *const *argv;  /* NULL-terminated; argv[0] is what the program sees */
    const char *dir;          /* working directory; NULL keeps ours */
    const char *const *env;   /* "NAME=value" set or replaced in our environment,
                                 NULL-terminated; NULL adds nothing */
    const char *stdin_data;   /* text written to the program's stdin, then EOF; NULL:
                                 stdin is /dev/null */
    long timeout_ms;          /* > 0 */
    size_t max_out;           /* cap per stream; more is read and dropped; 0: 64 KiB */
};

enum sw_proc_state {
    SW_PROC_EXITED,   /* status is the exit code */
    SW_PROC_SIGNALED, /* status is the signal number */
    SW_PROC_TIMEOUT,  /* killed (SIGKILL to its process group) at the deadline */
    SW_PROC_NOSTART,  /* could not start: errno_start says why (chdir or exec failed) */
};

struct sw_proc_result {
    enum sw_proc_state state;
    int status;
    int errno_start;
    struct sw_buf out, err; /* captured stdout and stderr, NUL-terminated */
    bool truncated;         /* a stream passed max_out */
    long elapsed_ms;
};

/* Runs n programs concurrently and waits for all of them (each until its own deadline).
 * res[n] is filled in the order of specs. A program that exits while a child of its own
 * still holds the output pipes open is given 200 ms, then its group is killed and what it
 * printed is kept. Returns 0, or -1 with err (SW_EXIT_FAILURE) when the system refuses pipes
 * or processes; then no program is left running. stdin is /dev/null unless stdin_data is
 * set; a program that exits without reading it all is not an error (and no SIGPIPE). */
int sw_proc_run_many(const struct sw_proc_spec *specs, size_t n, struct sw_proc_result *res,
                     struct sw_error *err);

/* sw_proc_run_many for one program. */
int sw_proc_run(const struct sw_proc_spec *spec, struct sw_proc_result *res, struct sw_error *err);

void sw_proc_result_free(struct sw_proc_result *r);

/* The executable `name` would run as: a name with a '/' is taken as is; otherwise the first
 * regular executable file named so in the PATH-style list `path` (an empty entry is the
 * working directory). Returns a malloc'd path the caller frees, or NULL when there is none. */
char *sw_proc_which(const char *name, const char *path);

#endif
