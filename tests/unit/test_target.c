/* Unit tests for src/core/target.c: triples, host detection and asset choice, one table per
 * area, every failing row printed by number. Asset choice runs over the real asset lists of
 * the release fixtures (tests/fixtures/releases) and over inline lists for the other forms. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/release.h"
#include "support.h"
#include "core/target.h"

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))
#define MAXNAMES 16

#define WASH "wasmCloud/wash"
#define MONO "wasmCloud/wasmCloud"

#define KNOWN                                                                                    \
    "use one of x86_64-unknown-linux-gnu, aarch64-unknown-linux-gnu, s390x-unknown-linux-gnu, "  \
    "x86_64-unknown-linux-musl, aarch64-unknown-linux-musl, x86_64-apple-darwin, "               \
    "aarch64-apple-darwin, x86_64-pc-windows-msvc"

/* ---- fixtures ---- */


/* ---- sw_target_parse ---- */

struct parse_row {
    const char *in;
    bool ok;
    const char *arch;
    enum sw_os os;
    enum sw_libc libc;
    const char *msg; /* fragment of the error when !ok */
};

static const struct parse_row parse_rows[] = {
    {"x86_64-unknown-linux-gnu", true, "x86_64", SW_OS_LINUX, SW_LIBC_GNU, NULL},
    {"aarch64-unknown-linux-gnu", true, "aarch64", SW_OS_LINUX, SW_LIBC_GNU, NULL},
    {"s390x-unknown-linux-gnu", true, "s390x", SW_OS_LINUX, SW_LIBC_GNU, NULL},
    {"x86_64-unknown-linux-musl", true, "x86_64", SW_OS_LINUX, SW_LIBC_MUSL, NULL},
    {"aarch64-unknown-linux-musl", true, "aarch64", SW_OS_LINUX, SW_LIBC_MUSL, NULL},
    {"x86_64-apple-darwin", true, "x86_64", SW_OS_DARWIN, SW_LIBC_NONE, NULL},
    {"aarch64-apple-darwin", true, "aarch64", SW_OS_DARWIN, SW_LIBC_NONE, NULL},
    {"x86_64-pc-windows-msvc", true, "x86_64", SW_OS_WINDOWS, SW_LIBC_NONE, NULL},
    {"", false, NULL, 0, 0, "unknown target '': " KNOWN},
    {"x86_64", false, NULL, 0, 0, "unknown target 'x86_64': " KNOWN},
    {"x86_64-", false, NULL, 0, 0, "unknown target 'x86_64-': " KNOWN},
    {"x86_64-unknown-linux", false, NULL, 0, 0, "unknown target 'x86_64-unknown-linux': " KNOWN},
    {"x86_64-unknown-linux-gnux", false, NULL, 0, 0, "unknown target 'x86_64-unknown-linux-gnux'"},
    {"x86_64-unknown-linux-gnueabihf", false, NULL, 0, 0, KNOWN},
    {"x86_64-pc-windows-gnu", false, NULL, 0, 0, "unknown target 'x86_64-pc-windows-gnu': " KNOWN},
    {"x86_64-apple-ios", false, NULL, 0, 0, "unknown target 'x86_64-apple-ios'"},
    {"i686-unknown-linux-gnu", false, NULL, 0, 0, "unknown target 'i686-unknown-linux-gnu'"},
    {"riscv64gc-unknown-linux-gnu", false, NULL, 0, 0,
     "unknown target 'riscv64gc-unknown-linux-gnu': " KNOWN},
    {"armv7-unknown-linux-gnueabihf", false, NULL, 0, 0, KNOWN},
    {"s390x-apple-darwin", false, NULL, 0, 0, "unknown target 's390x-apple-darwin': " KNOWN},
    {"s390x-pc-windows-msvc", false, NULL, 0, 0, "unknown target 's390x-pc-windows-msvc'"},
    {"X86_64-unknown-linux-gnu", false, NULL, 0, 0, "unknown target 'X86_64-unknown-linux-gnu'"},
    {"amd64-unknown-linux-gnu", false, NULL, 0, 0, "unknown target 'amd64-unknown-linux-gnu'"},
    {"arm64-apple-darwin", false, NULL, 0, 0, "unknown target 'arm64-apple-darwin'"},
    {"x86_64-unknown-linux-gnu ", false, NULL, 0, 0, "unknown target 'x86_64-unknown-linux-gnu '"},
    {" x86_64-unknown-linux-gnu", false, NULL, 0, 0, "unknown target ' x86_64-unknown-linux-gnu'"},
    {"x86_64_unknown_linux_gnu", false, NULL, 0, 0, "unknown target 'x86_64_unknown_linux_gnu'"},
    {"wash-x86_64-unknown-linux-gnu", false, NULL, 0, 0, "unknown target 'wash-x86_64"},
    {"x86_64-unknown-linux-gnu\n", false, NULL, 0, 0, "unknown target 'x86_64-unknown-linux-gnu\\x0a'"},
    {"x86_64-unknown-linux-musl.zip", false, NULL, 0, 0, KNOWN},
};

static void test_parse(void **state)
{
    (void)state;
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(parse_rows); i++) {
        const struct parse_row *r = &parse_rows[i];
        struct sw_target t;
        struct sw_error err = {0};
        memset(&t, 0, sizeof(t));
        int rc = sw_target_parse(r->in, &t, &err);
        if (r->ok && (rc != 0 || strcmp(t.triple, r->in) != 0 || strcmp(t.arch, r->arch) != 0 ||
                      t.os != r->os || t.libc != r->libc)) {
            print_error("row %zu: '%s' gave rc %d triple '%s' arch '%s' os %d libc %d (%s), "
                        "want arch '%s' os %d libc %d\n",
                        i, r->in, rc, t.triple, t.arch, (int)t.os, (int)t.libc, err.msg, r->arch,
                        (int)r->os, (int)r->libc);
            bad++;
        } else if (!r->ok &&
                   (rc != -1 || err.code != SW_EXIT_USAGE || strstr(err.msg, r->msg) == NULL)) {
            print_error("row %zu: '%s' should fail with '%s', got rc %d code %d '%s'\n", i, r->in,
                        r->msg, rc, err.code, err.msg);
            bad++;
        }
    }
    if (bad)
        fail();
}

/* ---- sw_target_from_host ---- */

struct host_row {
    const char *os, *machine;
    enum sw_libc libc;
    const char *triple; /* NULL: must fail */
    const char *msg;
};

static const struct host_row host_rows[] = {
    {"Linux", "x86_64", SW_LIBC_GNU, "x86_64-unknown-linux-gnu", NULL},
    {"Linux", "x86_64", SW_LIBC_MUSL, "x86_64-unknown-linux-musl", NULL},
    {"Linux", "x86_64", SW_LIBC_NONE, "x86_64-unknown-linux-gnu", NULL},
    {"Linux", "amd64", SW_LIBC_GNU, "x86_64-unknown-linux-gnu", NULL},
    {"Linux", "aarch64", SW_LIBC_GNU, "aarch64-unknown-linux-gnu", NULL},
    {"Linux", "aarch64", SW_LIBC_MUSL, "aarch64-unknown-linux-musl", NULL},
    {"Linux", "arm64", SW_LIBC_GNU, "aarch64-unknown-linux-gnu", NULL},
    {"Linux", "s390x", SW_LIBC_GNU, "s390x-unknown-linux-gnu", NULL},
    {"Darwin", "arm64", SW_LIBC_NONE, "aarch64-apple-darwin", NULL},
    {"Darwin", "x86_64", SW_LIBC_NONE, "x86_64-apple-darwin", NULL},
    {"Darwin", "arm64", SW_LIBC_GNU, "aarch64-apple-darwin", NULL},
    {"Windows_NT", "AMD64", SW_LIBC_NONE, "x86_64-pc-windows-msvc", NULL},
    {"Windows_NT", "x64", SW_LIBC_NONE, "x86_64-pc-windows-msvc", NULL},
    {"MINGW64_NT-10.0", "x86_64", SW_LIBC_NONE, "x86_64-pc-windows-msvc", NULL},
    {"MINGW64_NT-10.0-19045", "x86_64", SW_LIBC_NONE, "x86_64-pc-windows-msvc", NULL},
    {"MSYS_NT-10.0-19045", "x86_64", SW_LIBC_NONE, "x86_64-pc-windows-msvc", NULL},
    {"CYGWIN_NT-10.0", "x86_64", SW_LIBC_NONE, "x86_64-pc-windows-msvc", NULL},
    /* Windows on ARM64: wash ships no arm64 Windows build; Windows runs the x64 one emulated */
    {"Windows", "arm64", SW_LIBC_NONE, "x86_64-pc-windows-msvc", NULL},
    {"Windows_NT", "ARM64", SW_LIBC_NONE, "x86_64-pc-windows-msvc", NULL},
    {"FreeBSD", "amd64", SW_LIBC_NONE, NULL, "wash is not published for the 'FreeBSD' operating"},
    {"SunOS", "x86_64", SW_LIBC_NONE, NULL, "'SunOS' operating system"},
    {"", "x86_64", SW_LIBC_NONE, NULL, "'' operating system"},
    {"Darwin", "s390x", SW_LIBC_NONE, NULL, "unknown target 's390x-apple-darwin'"},
    {"Linux", "riscv64", SW_LIBC_GNU, NULL, "wash is not published for the 'riscv64' architecture"},
    {"Linux", "i686", SW_LIBC_GNU, NULL, "'i686' architecture"},
    {"Linux", "armv7l", SW_LIBC_GNU, NULL, "'armv7l' architecture"},
    {"Linux", "", SW_LIBC_GNU, NULL, "'' architecture"},
};

static void test_from_host(void **state)
{
    (void)state;
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(host_rows); i++) {
        const struct host_row *r = &host_rows[i];
        struct sw_target t;
        struct sw_error err = {0};
        memset(&t, 0, sizeof(t));
        int rc = sw_target_from_host(r->os, r->machine, r->libc, &t, &err);
        if (r->triple && (rc != 0 || strcmp(t.triple, r->triple) != 0)) {
            print_error("row %zu: host (%s, %s, libc %d) gave rc %d '%s' (%s), want '%s'\n", i,
                        r->os, r->machine, (int)r->libc, rc, t.triple, err.msg, r->triple);
            bad++;
        } else if (!r->triple &&
                   (rc != -1 || err.code == 0 || strstr(err.msg, r->msg) == NULL)) {
            print_error("row %zu: host (%s, %s) should fail with '%s', got rc %d code %d '%s'\n",
                        i, r->os, r->machine, r->msg, rc, err.code, err.msg);
            bad++;
        }
    }
    if (bad)
        fail();
}

/* ---- sw_target_cache_arch, sw_target_exe_name ---- */

struct names_row {
    const char *triple;
    const char *cache_arch, *exe;
};

static const struct names_row names_rows[] = {
    {"x86_64-unknown-linux-gnu", "x64", "wash"},
    {"x86_64-unknown-linux-musl", "x64", "wash"},
    {"aarch64-unknown-linux-gnu", "arm64", "wash"},
    {"aarch64-unknown-linux-musl", "arm64", "wash"},
    {"s390x-unknown-linux-gnu", "s390x", "wash"},
    {"x86_64-apple-darwin", "x64", "wash"},
    {"aarch64-apple-darwin", "arm64", "wash"},
    {"x86_64-pc-windows-msvc", "x64", "wash.exe"},
};

static void test_names(void **state)
{
    (void)state;
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(names_rows); i++) {
        const struct names_row *r = &names_rows[i];
        struct sw_target t;
        struct sw_error err = {0};
        if (sw_target_parse(r->triple, &t, &err) != 0) {
            print_error("row %zu: '%s' does not parse: %s\n", i, r->triple, err.msg);
            bad++;
            continue;
        }
        const char *arch = sw_target_cache_arch(&t), *exe = sw_target_exe_name(&t);
        if (strcmp(arch, r->cache_arch) != 0 || strcmp(exe, r->exe) != 0) {
            print_error("row %zu: '%s' cache arch '%s' exe '%s', want '%s' '%s'\n", i, r->triple,
                        arch, exe, r->cache_arch, r->exe);
            bad++;
        }
    }
    if (bad)
        fail();
}

/* ---- sw_asset_choose over the fixtures ---- */

struct choose_fixture_row {
    const char *repo, *tag, *triple;
    const char *want; /* NULL: must fail with SW_EXIT_NOTFOUND */
    bool fallback, archive;
    const char *msg, *msg2; /* fragments of the error */
};

static const struct choose_fixture_row choose_fixture_rows[] = {
    /* glibc host: gnu where the release has it, else musl */
    {WASH, "wash-v1.0.0-beta.1", "x86_64-unknown-linux-gnu", "wash-x86_64-unknown-linux-musl",
     true, false, NULL, NULL},
    {WASH, "wash-v1.0.0-beta.1", "aarch64-unknown-linux-gnu", "wash-aarch64-unknown-linux-musl",
     true, false, NULL, NULL},
    {WASH, "wash-v2.0.0-rc.7", "x86_64-unknown-linux-gnu", "wash-x86_64-unknown-linux-musl", true,
     false, NULL, NULL},
    {MONO, "wash-v2.0.0-rc.8", "x86_64-unknown-linux-gnu", "wash-x86_64-unknown-linux-musl",
     true, false, NULL, NULL},
    {MONO, "v2.0.0", "x86_64-unknown-linux-gnu", "wash-x86_64-unknown-linux-musl", true, false,
     NULL, NULL},
    {MONO, "v2.0.4", "aarch64-unknown-linux-gnu", "wash-aarch64-unknown-linux-musl", true, false,
     NULL, NULL},
    {MONO, "v2.0.5", "x86_64-unknown-linux-gnu", "wash-x86_64-unknown-linux-gnu", false, false,
     NULL, NULL},
    {MONO, "v2.0.5", "aarch64-unknown-linux-gnu", "wash-aarch64-unknown-linux-gnu", false, false,
     NULL, NULL},
    {MONO, "v2.7.0", "x86_64-unknown-linux-gnu", "wash-x86_64-unknown-linux-gnu", false, false,
     NULL, NULL},
    {MONO, "v2.8.0-rc.2", "aarch64-unknown-linux-gnu", "wash-aarch64-unknown-linux-gnu", false,
     false, NULL, NULL},
    /* musl host: always the musl build, never a fallback */
    {MONO, "v2.7.0", "x86_64-unknown-linux-musl", "wash-x86_64-unknown-linux-musl", false, false,
     NULL, NULL},
    {MONO, "v2.7.0", "aarch64-unknown-linux-musl", "wash-aarch64-unknown-linux-musl", false,
     false, NULL, NULL},
    {WASH, "wash-v1.0.0-beta.1", "x86_64-unknown-linux-musl", "wash-x86_64-unknown-linux-musl",
     false, false, NULL, NULL},
    /* windows: the raw exe before 2.0.2, the zip from 2.0.2 */
    {WASH, "wash-v1.0.0-beta.1", "x86_64-pc-windows-msvc", "wash-x86_64-pc-windows-msvc", false,
     false, NULL, NULL},
    {MONO, "v2.0.1", "x86_64-pc-windows-msvc", "wash-x86_64-pc-windows-msvc", false, false, NULL,
     NULL},
    {MONO, "v2.0.2", "x86_64-pc-windows-msvc", "wash-x86_64-pc-windows-msvc.zip", false, true,
     NULL, NULL},
    {MONO, "v2.7.0", "x86_64-pc-windows-msvc", "wash-x86_64-pc-windows-msvc.zip", false, true,
     NULL, NULL},
    /* macOS */
    {MONO, "v2.7.0", "aarch64-apple-darwin", "wash-aarch64-apple-darwin", false, false, NULL,
     NULL},
    {MONO, "v2.7.0", "x86_64-apple-darwin", "wash-x86_64-apple-darwin", false, false, NULL, NULL},
    {WASH, "wash-v1.0.0-beta.1", "aarch64-apple-darwin", "wash-aarch64-apple-darwin", false,
     false, NULL, NULL},
    {MONO, "wash-v0.43.0", "aarch64-apple-darwin", "wash-aarch64-apple-darwin", false, false,
     NULL, NULL},
    /* s390x from 2.5.0 only */
    {MONO, "v2.5.0", "s390x-unknown-linux-gnu", "wash-s390x-unknown-linux-gnu", false, false,
     NULL, NULL},
    {MONO, "v2.7.0", "s390x-unknown-linux-gnu", "wash-s390x-unknown-linux-gnu", false, false,
     NULL, NULL},
    {MONO, "v2.4.0", "s390x-unknown-linux-gnu", NULL, false, false,
     "this release has no wash build for 's390x-unknown-linux-gnu': it has "
     "x86_64-unknown-linux-gnu, aarch64-unknown-linux-gnu, x86_64-unknown-linux-musl, "
     "aarch64-unknown-linux-musl, x86_64-apple-darwin, aarch64-apple-darwin, "
     "x86_64-pc-windows-msvc; pass --target",
     NULL},
    {MONO, "v2.0.0", "s390x-unknown-linux-gnu", NULL, false, false,
     "no wash build for 's390x-unknown-linux-gnu': it has x86_64-unknown-linux-musl, "
     "aarch64-unknown-linux-musl, x86_64-apple-darwin, aarch64-apple-darwin, "
     "x86_64-pc-windows-msvc;",
     NULL},
    {WASH, "wash-v1.0.0-beta.1", "s390x-unknown-linux-gnu", NULL, false, false,
     "no wash build for 's390x-unknown-linux-gnu'", "it has x86_64-unknown-linux-musl"},
};

static void test_choose_fixtures(void **state)
{
    (void)state;
    struct sw_releases rs = {0};
    size_t bad = 0;
    sw_test_load_releases(&rs);
    for (size_t i = 0; i < ROWS(choose_fixture_rows); i++) {
        const struct choose_fixture_row *r = &choose_fixture_rows[i];
        const struct sw_release *rel = NULL;
        for (size_t k = 0; k < rs.n; k++)
            if (strcmp(rs.items[k].repo, r->repo) == 0 && strcmp(rs.items[k].tag, r->tag) == 0)
                rel = &rs.items[k];
        struct sw_target t;
        struct sw_error err = {0};
        if (!rel || sw_target_parse(r->triple, &t, &err) != 0) {
            print_error("row %zu: release %s %s not in the fixtures or bad triple '%s' (%s)\n", i,
                        r->repo, r->tag, r->triple, err.msg);
            bad++;
            continue;
        }
        const char **names = calloc(rel->nassets + 1, sizeof(*names));
        assert_non_null(names);
        for (size_t k = 0; k < rel->nassets; k++)
            names[k] = rel->assets[k].name;
        struct sw_asset_choice c = {SIZE_MAX, false, false};
        int rc = sw_asset_choose(&t, names, rel->nassets, &c, &err);
        if (r->want && (rc != 0 || c.index >= rel->nassets || strcmp(names[c.index], r->want) != 0 ||
                        c.fallback != r->fallback || c.archive != r->archive)) {
            print_error("row %zu: %s on %s chose rc %d '%s' fallback %d archive %d (%s), want "
                        "'%s' %d %d\n",
                        i, r->triple, r->tag, rc, rc == 0 && c.index < rel->nassets ? names[c.index] : "-",
                        c.fallback, c.archive, err.msg, r->want, r->fallback, r->archive);
            bad++;
        } else if (!r->want &&
                   (rc != -1 || err.code != SW_EXIT_NOTFOUND || strstr(err.msg, r->msg) == NULL ||
                    (r->msg2 && strstr(err.msg, r->msg2) == NULL))) {
            print_error("row %zu: %s on %s should fail with '%s', got rc %d code %d '%s'\n", i,
                        r->triple, r->tag, r->msg, rc, err.code, err.msg);
            bad++;
        }
        free(names);
    }
    sw_releases_free(&rs);
    if (bad)
        fail();
}

/* ---- sw_asset_choose over inline lists: the .exe, archive and decoy forms ---- */

struct choose_inline_row {
    const char *name;
    const char *triple;
    const char *names[MAXNAMES]; /* NULL-terminated */
    const char *want;            /* NULL: must fail with SW_EXIT_NOTFOUND */
    bool fallback, archive;
    const char *msg;
};

static const struct choose_inline_row choose_inline_rows[] = {
    {"windows .exe", "x86_64-pc-windows-msvc",
     {"wash-x86_64-unknown-linux-musl", "wash-x86_64-pc-windows-msvc.exe"},
     "wash-x86_64-pc-windows-msvc.exe", false, false, NULL},
    {"windows raw beats .exe", "x86_64-pc-windows-msvc",
     {"wash-x86_64-pc-windows-msvc.exe", "wash-x86_64-pc-windows-msvc"},
     "wash-x86_64-pc-windows-msvc", false, false, NULL},
    {"windows zip beats raw and .exe", "x86_64-pc-windows-msvc",
     {"wash-x86_64-pc-windows-msvc", "wash-x86_64-pc-windows-msvc.exe",
      "wash-x86_64-pc-windows-msvc.zip"},
     "wash-x86_64-pc-windows-msvc.zip", false, true, NULL},
    {"darwin .tar.gz", "aarch64-apple-darwin",
     {"wash-x86_64-apple-darwin.tar.gz", "wash-aarch64-apple-darwin.tar.gz"},
     "wash-aarch64-apple-darwin.tar.gz", false, true, NULL},
    {"darwin raw beats .tar.gz", "aarch64-apple-darwin",
     {"wash-aarch64-apple-darwin.tar.gz", "wash-aarch64-apple-darwin"},
     "wash-aarch64-apple-darwin", false, false, NULL},
    {"darwin .tgz", "x86_64-apple-darwin", {"wash-x86_64-apple-darwin.tgz"},
     "wash-x86_64-apple-darwin.tgz", false, true, NULL},
    {"linux .tar.xz", "x86_64-unknown-linux-musl", {"wash-x86_64-unknown-linux-musl.tar.xz"},
     "wash-x86_64-unknown-linux-musl.tar.xz", false, true, NULL},
    {"linux .zip", "aarch64-unknown-linux-musl", {"wash-aarch64-unknown-linux-musl.zip"},
     "wash-aarch64-unknown-linux-musl.zip", false, true, NULL},
    {"gnu .tar.gz", "x86_64-unknown-linux-gnu",
     {"wash-x86_64-unknown-linux-musl", "wash-x86_64-unknown-linux-gnu.tar.gz"},
     "wash-x86_64-unknown-linux-gnu.tar.gz", false, true, NULL},
    {"gnu falls back to a musl .tar.gz", "x86_64-unknown-linux-gnu",
     {"wash-x86_64-unknown-linux-musl.tar.gz"}, "wash-x86_64-unknown-linux-musl.tar.gz", true,
     true, NULL},
    {"decoys are not binaries", "x86_64-unknown-linux-gnu",
     {"wash-x86_64-unknown-linux-gnu.sha256", "wash-x86_64-unknown-linux-gnux",
      "wash-x86_64-unknown-linux-gnu.sig", "wash-x86_64-unknown-linux-musl"},
     "wash-x86_64-unknown-linux-musl", true, false, NULL},
    {"another product's binary", "x86_64-unknown-linux-gnu",
     {"wasmcloud-x86_64-unknown-linux-gnu", "wash-runtime-x86_64-unknown-linux-gnu"}, NULL, false,
     false, "no wash build for 'x86_64-unknown-linux-gnu': it has no wash binaries at all"},
    {"musl never falls back to gnu", "x86_64-unknown-linux-musl",
     {"wash-x86_64-unknown-linux-gnu"}, NULL, false, false,
     "no wash build for 'x86_64-unknown-linux-musl': it has x86_64-unknown-linux-gnu;"},
    {"arm64 never gets an amd64 build", "aarch64-unknown-linux-gnu",
     {"wash-x86_64-unknown-linux-gnu", "wash-x86_64-unknown-linux-musl"}, NULL, false, false,
     "it has x86_64-unknown-linux-gnu, x86_64-unknown-linux-musl;"},
    {"arm64 mac never gets an intel build", "aarch64-apple-darwin", {"wash-x86_64-apple-darwin"},
     NULL, false, false, "no wash build for 'aarch64-apple-darwin': it has x86_64-apple-darwin"},
    {"windows never gets a linux build", "x86_64-pc-windows-msvc",
     {"wash-x86_64-unknown-linux-musl"}, NULL, false, false,
     "no wash build for 'x86_64-pc-windows-msvc'"},
    {"no assets", "x86_64-unknown-linux-gnu", {NULL}, NULL, false, false,
     "it has no wash binaries at all"},
};

static void test_choose_inline(void **state)
{
    (void)state;
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(choose_inline_rows); i++) {
        const struct choose_inline_row *r = &choose_inline_rows[i];
        size_t n = 0;
        while (n < MAXNAMES && r->names[n])
            n++;
        struct sw_target t;
        struct sw_error err = {0};
        if (sw_target_parse(r->triple, &t, &err) != 0) {
            print_error("row %zu (%s): bad triple '%s'\n", i, r->name, r->triple);
            bad++;
            continue;
        }
        struct sw_asset_choice c = {SIZE_MAX, false, false};
        int rc = sw_asset_choose(&t, r->names, n, &c, &err);
        if (r->want && (rc != 0 || c.index >= n || strcmp(r->names[c.index], r->want) != 0 ||
                        c.fallback != r->fallback || c.archive != r->archive)) {
            print_error("row %zu (%s): chose rc %d '%s' fallback %d archive %d (%s), want '%s' "
                        "%d %d\n",
                        i, r->name, rc, rc == 0 && c.index < n ? r->names[c.index] : "-",
                        c.fallback, c.archive, err.msg, r->want, r->fallback, r->archive);
            bad++;
        } else if (!r->want &&
                   (rc != -1 || err.code != SW_EXIT_NOTFOUND || strstr(err.msg, r->msg) == NULL)) {
            print_error("row %zu (%s): should fail with '%s', got rc %d code %d '%s'\n", i,
                        r->name, r->msg, rc, err.code, err.msg);
            bad++;
        }
    }
    if (bad)
        fail();
}

/* ---- sw_asset_is_archive ---- */

static void test_is_archive(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        bool archive;
    } rows[] = {
        {"wash-x86_64-pc-windows-msvc.zip", true},   {"wash-x86_64-apple-darwin.tar.gz", true},
        {"wash-aarch64-apple-darwin.tgz", true},     {"wash-x86_64-unknown-linux-gnu.tar.xz", true},
        {".zip", true},                              {"wash-x86_64-pc-windows-msvc", false},
        {"wash-x86_64-pc-windows-msvc.exe", false},  {"wash-x86_64-unknown-linux-musl", false},
        {"wash.zip.exe", false},                     {"wash-tar.gz-linux", false},
        {"", false},
    };
    int bad = 0;
    for (size_t i = 0; i < ROWS(rows); i++)
        if (sw_asset_is_archive(rows[i].name) != rows[i].archive) {
            fprintf(stderr, "row %zu: '%s': want %d\n", i, rows[i].name, rows[i].archive);
            bad++;
        }
    assert_int_equal(bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),           cmocka_unit_test(test_from_host),
        cmocka_unit_test(test_names),           cmocka_unit_test(test_choose_fixtures),
        cmocka_unit_test(test_choose_inline),   cmocka_unit_test(test_is_archive),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
