/* Running external programs: argv (never a shell), a working directory, variables added to
 * the environment, stdout and stderr captured up to a cap, and a timeout that kills the
 * program with everything it started (its process group; on Windows its job object). Several
 * programs run at once, so doctor's wait is the slowest tool, not the sum. The platform layer
 * (os/os.h: sw_os_run_many) does the running; this adds the search of PATH.
 *
 * Ownership: a `struct sw_proc_result` owns its buffers; sw_proc_result_free() releases them
 * (a zeroed result is valid to free). Specs are borrowed for the duration of the call. */
#ifndef SW_PROC_H
#define SW_PROC_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"
#include "os/os.h" /* struct sw_proc_spec, struct sw_proc_result */

/* Runs n programs concurrently and waits for all of them (each until its own deadline).
 * res[n] is filled in the order of specs. A program that exits while a child of its own
 * still holds the output pipes open is given 200 ms, then its group (job) is killed and what
 * it printed is kept. Returns 0, or -1 with err (SW_EXIT_FAILURE) when the system refuses
 * pipes or processes; then no program is left running. stdin is the null device unless
 * stdin_data is set; a program that exits without reading it all is not an error (and no
 * SIGPIPE). */
int sw_proc_run_many(const struct sw_proc_spec *specs, size_t n, struct sw_proc_result *res,
                     struct sw_error *err);

/* sw_proc_run_many for one program. */
int sw_proc_run(const struct sw_proc_spec *spec, struct sw_proc_result *res, struct sw_error *err);

void sw_proc_result_free(struct sw_proc_result *r);

/* The executable `name` would run as: a name with a '/' (or on Windows a '\\') is taken as
 * is; otherwise the first regular executable file named so in the PATH-style list `path` (an
 * empty entry is the working directory). On Windows a name without an extension is tried with
 * each of PATHEXT's (go finds go.exe, jco finds jco.cmd), and ';' separates the list.
 * Returns a malloc'd path the caller frees, or NULL when there is none. */
char *sw_proc_which(const char *name, const char *path);

#endif
