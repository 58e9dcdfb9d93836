#include "io/host.h"

#include <string.h>
#include <stdlib.h>

#include "core/buf.h"
#include "os/os.h"

enum sw_libc sw_host_libc(const char *root)
{
    static const char *const glibc[] = {
        "lib64/ld-linux-x86-64.so.2", "lib/ld-linux-aarch64.so.1", "lib/ld64.so.1",
        "lib/ld-linux-x86-64.so.2",   "lib/*-linux-gnu/libc.so.6", "usr/lib/*-linux-gnu/libc.so.6",
        "lib64/libc.so.6",
    };
    for (size_t i = 0; i < sizeof(glibc) / sizeof(glibc[0]); i++)
        if (sw_os_glob_exists(root, glibc[i]))
            return SW_LIBC_GNU;
    return SW_LIBC_MUSL;
}

int sw_host_target(struct sw_target *out, struct sw_error *err)
{
    char sys[64], machine[64];
    if (sw_os_uname(sys, sizeof(sys), machine, sizeof(machine)) < 0)
        return sw_error_set(err, SW_EXIT_FAILURE, "cannot tell this host's platform (uname "
                            "failed): pass --target");
    enum sw_libc libc = SW_LIBC_NONE;
    if (strcmp(sys, "Linux") == 0)
        libc = sw_host_libc("/");
    return sw_target_from_host(sys, machine, libc, out, err);
}
