/* Rust target triples and the choice of a release asset for one.
 *
 * Pure logic: the host's OS, machine and C library come in as values (io/host.c reads them),
 * so every rule is tested without the host it describes. */
#ifndef SW_TARGET_H
#define SW_TARGET_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

enum sw_os { SW_OS_LINUX, SW_OS_DARWIN, SW_OS_WINDOWS };
enum sw_libc { SW_LIBC_NONE, SW_LIBC_GNU, SW_LIBC_MUSL };

struct sw_target {
    char triple[64]; /* "aarch64-unknown-linux-gnu" */
    char arch[16];   /* "x86_64", "aarch64", "s390x" */
    enum sw_os os;
    enum sw_libc libc;
};

/* Parses a Rust target triple of the forms wash ships (<arch>-unknown-linux-{gnu,musl},
 * <arch>-apple-darwin, <arch>-pc-windows-msvc). Returns 0, or -1 with err (SW_EXIT_USAGE)
 * listing the triples wash has been published for. */
int sw_target_parse(const char *triple, struct sw_target *out, struct sw_error *err);

/* The target for a host described by uname-style values: os "Linux", "Darwin" or a Windows
 * name ("Windows_NT", "MINGW64_NT-10.0", "MSYS_NT-..."), machine "x86_64"/"amd64",
 * "aarch64"/"arm64", "s390x", and the C library found on a Linux host. */
int sw_target_from_host(const char *os, const char *machine, enum sw_libc libc,
                        struct sw_target *out, struct sw_error *err);

/* The architecture name of the runner tool cache: x64, arm64, s390x. */
const char *sw_target_cache_arch(const struct sw_target *t);

struct sw_asset_choice {
    size_t index;  /* into the names given */
    bool fallback; /* a musl build chosen on a glibc host because the release has no gnu one */
    bool archive;  /* the asset is an archive to unpack (zip, tar.*) */
};

/* Whether an asset name is an archive to unpack (.zip, .tar.gz, .tgz, .tar.xz), as
 * sw_asset_choose decides; raw binaries (with or without .exe) are not. */
bool sw_asset_is_archive(const char *name);

/* Chooses the asset for target t among a release's asset names:
 *   linux-gnu:  wash-<arch>-unknown-linux-gnu, else wash-<arch>-unknown-linux-musl (fallback);
 *   windows:    wash-<triple>.zip, else the raw wash-<triple>[.exe];
 *   others:     wash-<triple>, else an archive of it (.tar.gz, .tgz, .tar.xz, .zip).
 * Returns 0 and *out, or -1 with err (SW_EXIT_NOTFOUND) naming the targets the release has. */
int sw_asset_choose(const struct sw_target *t, const char *const *names, size_t n,
                    struct sw_asset_choice *out, struct sw_error *err);

/* Writes the targets present among asset names ("x86_64-apple-darwin, ...") into buf[n]. */
void sw_asset_targets(const char *const *names, size_t n, char *buf, size_t bufn);

/* The file name of the installed executable for the target: "wash" or "wash.exe". */
const char *sw_target_exe_name(const struct sw_target *t);

#endif
