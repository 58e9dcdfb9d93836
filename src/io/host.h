/* What host this is: the inputs to sw_target_from_host. */
#ifndef SW_HOST_H
#define SW_HOST_H

#include "core/error.h"
#include "core/target.h"

/* The C library of a Linux system rooted at `root` ("/" for this host), from the dynamic
 * loaders present: a glibc loader means glibc; else a musl loader means musl; a system with
 * neither (a distroless image) gets musl, whose static wash runs anywhere. */
enum sw_libc sw_host_libc(const char *root);

/* The target triple of this host (uname and sw_host_libc("/")). */
int sw_host_target(struct sw_target *out, struct sw_error *err);

#endif
