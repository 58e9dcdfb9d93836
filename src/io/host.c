#include "io/host.h"

#include <glob.h>
#include <string.h>
#include <stdlib.h>
#include <sys/utsname.h>

#include "core/buf.h"
#include "io/fs.h"

static bool exists_under(const char *root, const char *pattern)
{
    char *p = sw_path_join(root, pattern);
    glob_t g;
    bool found = glob(p, GLOB_NOSORT, NULL, &g) == 0 && g.gl_pathc > 0;
    globfree(&g);
    free(p);
    return found;
}

enum sw_libc sw_host_libc(const char *root)
{
    static const char *const glibc[] = {
        "lib64/ld-linux-x86-64.so.2", "lib/ld-linux-aarch64.so.1", "lib/ld64.so.1",
        "lib/ld-linux-x86-64.so.2",   "lib/*-linux-gnu/libc.so.6", "usr/lib/*-linux-gnu/libc.so.6",
        "lib64/libc.so.6",
    };
    for (size_t i = 0; i < sizeof(glibc) / sizeof(glibc[0]); i++)
        if (exists_under(root, glibc[i]))
            return SW_LIBC_GNU;
    return SW_LIBC_MUSL;
}

int sw_host_target(struct sw_target *out, struct sw_error *err)
{
    struct utsname u;
    if (uname(&u) < 0)
        return sw_error_set(err, SW_EXIT_FAILURE, "cannot tell this host's platform (uname "
                            "failed): pass --target");
    enum sw_libc libc = SW_LIBC_NONE;
    if (strcmp(u.sysname, "Linux") == 0)
        libc = sw_host_libc("/");
    return sw_target_from_host(u.sysname, u.machine, libc, out, err);
}
