/* What io/proc.h adds to the platform layer's runner: the single-program form and the search
 * of PATH. */
#include "io/proc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

int sw_proc_run_many(const struct sw_proc_spec *specs, size_t n, struct sw_proc_result *res,
                     struct sw_error *err)
{
    return sw_os_run_many(specs, n, res, err);
}

int sw_proc_run(const struct sw_proc_spec *spec, struct sw_proc_result *res, struct sw_error *err)
{
    return sw_os_run_many(spec, 1, res, err);
}

void sw_proc_result_free(struct sw_proc_result *r)
{
    if (!r)
        return;
    sw_buf_free(&r->out);
    sw_buf_free(&r->err);
}

/* An absolute form of an existing relative path, since the program may run elsewhere, in the
 * platform's own form (on Windows with '\\', as reports show it). */
static char *absolute(char *p)
{
    char *abs = sw_os_abspath(p);
    if (abs) {
        free(p);
        p = abs;
    }
    char *native = sw_os_path_out(p);
    free(p);
    return native;
}

/* dir/name, or with each of the platform's executable extensions when name has none of them
 * (Windows); the first that is an executable file. */
static char *try_dir(const char *dir, size_t len, const char *name)
{
    const char *exts = sw_os_exe_exts();
    char *base = len ? sw_xasprintf("%.*s/%s", (int)len, dir, name) : sw_xstrdup(name);
    const char *dot = strrchr(name, '.');
    bool has_ext = false;
    for (const char *e = exts; dot && *e;) {
        size_t n = strcspn(e, ";");
        if (n && strlen(dot) == n && strncasecmp(dot, e, n) == 0)
            has_ext = true;
        e += n + (e[n] == ';');
    }
    if (!exts[0] || has_ext) {
        if (sw_os_executable(base))
            return base;
        free(base);
        return NULL;
    }
    for (const char *e = exts; *e;) {
        size_t n = strcspn(e, ";");
        char *cand = sw_xasprintf("%s%.*s", base, (int)n, e);
        if (n && sw_os_executable(cand)) {
            free(base);
            return cand;
        }
        free(cand);
        e += n + (e[n] == ';');
    }
    free(base);
    return NULL;
}

char *sw_proc_which(const char *name, const char *path)
{
    if (!name || !name[0])
        return NULL;
    if (strchr(name, '/') || (SW_ON_WINDOWS && strchr(name, '\\'))) {
        char *p = try_dir("", 0, name);
        return p ? absolute(p) : NULL;
    }
    for (const char *p = path ? path : "";;) {
        const char *sep = strchr(p, SW_OS_PATH_LIST_SEP);
        size_t len = sep ? (size_t)(sep - p) : strlen(p);
        char *cand = try_dir(p, len, name);
        if (cand)
            return absolute(cand);
        if (!sep)
            return NULL;
        p = sep + 1;
    }
}
