#include "core/target.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "data/wash.h"

static void known_targets(char *buf, size_t n)
{
    struct sw_buf b = SW_BUF_INIT;
    for (size_t i = 0; i < sw_known_targets_len; i++)
        sw_buf_printf(&b, "%s%s", i ? ", " : "", sw_known_targets[i]);
    snprintf(buf, n, "%s", sw_buf_str(&b));
    sw_buf_free(&b);
}

int sw_target_parse(const char *triple, struct sw_target *out, struct sw_error *err)
{
    static const char *const arches[] = {"x86_64", "aarch64", "s390x"};
    struct sw_target t = {0};
    const char *rest = NULL;
    for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++) {
        size_t l = strlen(arches[i]);
        if (strncmp(triple, arches[i], l) == 0 && triple[l] == '-') {
            snprintf(t.arch, sizeof(t.arch), "%s", arches[i]);
            rest = triple + l + 1;
        }
    }
    if (rest && strcmp(rest, "unknown-linux-gnu") == 0) {
        t.os = SW_OS_LINUX, t.libc = SW_LIBC_GNU;
    } else if (rest && strcmp(rest, "unknown-linux-musl") == 0) {
        t.os = SW_OS_LINUX, t.libc = SW_LIBC_MUSL;
    } else if (rest && strcmp(rest, "apple-darwin") == 0 && strcmp(t.arch, "s390x") != 0) {
        t.os = SW_OS_DARWIN;
    } else if (rest && strcmp(rest, "pc-windows-msvc") == 0 && strcmp(t.arch, "s390x") != 0) {
        t.os = SW_OS_WINDOWS;
    } else {
        char known[512], shown[80];
        known_targets(known, sizeof(known));
        sw_sanitize(shown, sizeof(shown), triple);
        return sw_error_set(err, SW_EXIT_USAGE,
                            "unknown target '%s': use one of %s", shown, known);
    }
    snprintf(t.triple, sizeof(t.triple), "%s-%s", t.arch, rest);
    *out = t;
    return 0;
}

int sw_target_from_host(const char *os, const char *machine, enum sw_libc libc,
                        struct sw_target *out, struct sw_error *err)
{
    const char *arch = NULL;
    if (strcmp(machine, "x86_64") == 0 || strcasecmp(machine, "amd64") == 0 ||
        strcasecmp(machine, "x64") == 0)
        arch = "x86_64";
    else if (strcmp(machine, "aarch64") == 0 || strcasecmp(machine, "arm64") == 0)
        arch = "aarch64";
    else if (strcmp(machine, "s390x") == 0)
        arch = "s390x";
    if (!arch)
        return sw_error_set(err, SW_EXIT_NOTFOUND,
                            "wash is not published for the '%s' architecture: it ships for "
                            "x86_64, aarch64 (and s390x Linux from 2.5.0)",
                            machine);

    char triple[64];
    if (strcmp(os, "Linux") == 0)
        snprintf(triple, sizeof(triple), "%s-unknown-linux-%s", arch,
                 libc == SW_LIBC_MUSL ? "musl" : "gnu");
    else if (strcmp(os, "Darwin") == 0)
        snprintf(triple, sizeof(triple), "%s-apple-darwin", arch);
    else if (strncmp(os, "Windows", 7) == 0 || strncmp(os, "MINGW", 5) == 0 ||
             strncmp(os, "MSYS", 4) == 0 || strncmp(os, "CYGWIN", 6) == 0)
        /* wash ships no arm64 Windows build: Windows on ARM64 runs the x64 one emulated */
        snprintf(triple, sizeof(triple), "%s-pc-windows-msvc",
                 strcmp(arch, "aarch64") == 0 ? "x86_64" : arch);
    else
        return sw_error_set(err, SW_EXIT_NOTFOUND,
                            "wash is not published for the '%s' operating system: it ships for "
                            "Linux, macOS and Windows; pass --target to pick a build",
                            os);
    return sw_target_parse(triple, out, err);
}

const char *sw_target_cache_arch(const struct sw_target *t)
{
    if (strcmp(t->arch, "x86_64") == 0)
        return "x64";
    if (strcmp(t->arch, "aarch64") == 0)
        return "arm64";
    return t->arch;
}

const char *sw_target_exe_name(const struct sw_target *t)
{
    return t->os == SW_OS_WINDOWS ? "wash.exe" : "wash";
}

static bool find(const char *const *names, size_t n, const char *want, size_t *idx)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], want) == 0) {
            *idx = i;
            return true;
        }
    return false;
}

static const char *const archive_suffixes[] = {".zip", ".tar.gz", ".tgz", ".tar.xz", NULL};

bool sw_asset_is_archive(const char *name)
{
    size_t n = strlen(name);
    for (const char *const *s = archive_suffixes; *s; s++) {
        size_t l = strlen(*s);
        if (n >= l && strcmp(name + n - l, *s) == 0)
            return true;
    }
    return false;
}

/* The first of `suffixes` that names an asset "wash-<triple><suffix>". */
static bool find_forms(const char *const *names, size_t n, const char *triple,
                       const char *const *suffixes, size_t *idx, bool *archive)
{
    for (; *suffixes; suffixes++) {
        char want[128];
        snprintf(want, sizeof(want), SW_ASSET_PREFIX "%s%s", triple, *suffixes);
        if (find(names, n, want, idx)) {
            *archive = sw_asset_is_archive(*suffixes);
            return true;
        }
    }
    return false;
}

void sw_asset_targets(const char *const *names, size_t n, char *buf, size_t bufn)
{
    struct sw_buf b = SW_BUF_INIT;
    for (size_t k = 0; k < sw_known_targets_len; k++) {
        const char *const any[] = {"", ".exe", ".zip", ".tar.gz", ".tgz", ".tar.xz", NULL};
        size_t idx;
        bool archive;
        if (find_forms(names, n, sw_known_targets[k], any, &idx, &archive))
            sw_buf_printf(&b, "%s%s", b.len ? ", " : "", sw_known_targets[k]);
    }
    snprintf(buf, bufn, "%s", b.len ? sw_buf_str(&b) : "no wash binaries at all");
    sw_buf_free(&b);
}

int sw_asset_choose(const struct sw_target *t, const char *const *names, size_t n,
                    struct sw_asset_choice *out, struct sw_error *err)
{
    static const char *const windows[] = {".zip", "", ".exe", NULL};
    static const char *const others[] = {"", ".tar.gz", ".tgz", ".tar.xz", ".zip", NULL};
    struct sw_asset_choice c = {0};
    bool ok = find_forms(names, n, t->triple, t->os == SW_OS_WINDOWS ? windows : others,
                         &c.index, &c.archive);
    if (!ok && t->os == SW_OS_LINUX && t->libc == SW_LIBC_GNU) {
        /* A musl build is static and runs on every Linux: the right fallback for releases
         * before gnu builds existed (2.0.0-2.0.4 and every 1.0 prerelease). */
        char musl[64];
        snprintf(musl, sizeof(musl), "%s-unknown-linux-musl", t->arch);
        ok = find_forms(names, n, musl, others, &c.index, &c.archive);
        c.fallback = ok;
    }
    if (!ok) {
        char have[512];
        sw_asset_targets(names, n, have, sizeof(have));
        return sw_error_set(err, SW_EXIT_NOTFOUND,
                            "this release has no wash build for '%s': it has %s; pass --target "
                            "with one of those",
                            t->triple, have);
    }
    *out = c;
    return 0;
}
