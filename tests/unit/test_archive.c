/* Tests for io/archive: every row builds a real archive with libarchive's write API in a fresh
 * temporary directory, extracts it into an empty `dest` next to an empty `sentinel`, and checks
 * the outcome, then that nothing was written outside `dest` and that `dest` holds only regular
 * files (0644/0755) and directories. Set SW_TEST_VERBOSE=1 to print every row's message. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/attr.h"
#include "core/buf.h"
#include "core/error.h"
#include "io/archive.h"

enum kind { K_FILE = 1, K_DIR, K_SYMLINK, K_HARDLINK, K_CHR, K_BLK, K_FIFO };

enum fmt {
    F_ZIP,
    F_TAR,
    F_GNUTAR,
    F_RAWTAR, /* hand-made one-file ustar */
    F_TARGZ,
    F_TARXZ,
    F_TARZST,
    F_TARBZ2,
    F_EMPTY,
    F_GARBAGE,
    F_MISSING
};

/* What happens to the archive on disk after it is written. */
enum mutate {
    M_NONE,
    M_TRUNCATE, /* cut in half */
    M_ZIP_SIZE, /* zip: declare `patch` as the uncompressed size of every entry */
    M_ZIP_MODE, /* zip: set every entry's unix mode to `patch` */
};

/* An archive entry. Names and link targets expand "@OUT@" to the sentinel directory,
 * "@LONGPATH@" to a 5001-byte path, "@LONGNAME@" to a 300-byte name and "@LONGUTF8@" to 100
 * two-byte characters. */
struct ent {
    enum kind kind;
    const char *name;
    const char *data; /* file contents, or the link target */
    size_t fill;      /* when data is NULL: this many pseudo-random bytes */
    int mode;         /* permission bits; 0 means 0644 */
};

/* A file expected in dest after a successful extraction. */
struct want {
    const char *path;
    const char *data; /* expected contents; NULL to check only the size */
    size_t size;
    int exec;
};

struct row {
    const char *name;
    enum fmt fmt;
    struct ent ents[6];
    struct sw_extract_limits limits;
    enum mutate mutate;
    uint32_t patch;
    const char *pre_link;   /* a symlink planted in dest before extracting ... */
    const char *pre_target; /* ... pointing here */
    int code;               /* expected class; 0 for success */
    const char *fragment;   /* expected in the message */
    struct want want[6];
};

/* clang-format 14 splits brace-initialiser macros over five lines each. */
// clang-format off
#define FILE_(n, d) {K_FILE, n, d, 0, 0}
#define EXEC_(n, d) {K_FILE, n, d, 0, 0755}
#define FILL_(n, size) {K_FILE, n, NULL, size, 0}
#define DIR_(n) {K_DIR, n, NULL, 0, 0755}
#define SYMLINK_(n, target) {K_SYMLINK, n, target, 0, 0777}
#define HARDLINK_(n, target) {K_HARDLINK, n, target, 0, 0644}
// clang-format on

#define WASH "\177ELF wash binary\n"
#define WASH_EXE "MZ wash.exe\r\n"
#define V SW_EXIT_VERIFY

static const struct row rows[] = {
    /* Archives we must unpack. */
    {.name = "zip with wash.exe",
     .fmt = F_ZIP,
     .ents = {FILE_("wash.exe", WASH_EXE)},
     .want = {{"wash.exe", WASH_EXE, 0, 0}}},
    {.name = "tar.gz with wash 0755",
     .fmt = F_TARGZ,
     .ents = {EXEC_("wash", WASH)},
     .want = {{"wash", WASH, 0, 1}}},
    {.name = "plain tar",
     .fmt = F_TAR,
     .ents = {EXEC_("wash", WASH)},
     .want = {{"wash", WASH, 0, 1}}},
    {.name = "tar.xz",
     .fmt = F_TARXZ,
     .ents = {EXEC_("wash", WASH)},
     .want = {{"wash", WASH, 0, 1}}},
    {.name = "tar.zst",
     .fmt = F_TARZST,
     .ents = {EXEC_("wash", WASH)},
     .want = {{"wash", WASH, 0, 1}}},
    {.name = "tar.bz2",
     .fmt = F_TARBZ2,
     .ents = {EXEC_("wash", WASH)},
     .want = {{"wash", WASH, 0, 1}}},
    {.name = "nested directories",
     .fmt = F_TARGZ,
     .ents = {DIR_("wash-2.7.0/"), DIR_("wash-2.7.0/bin/"), EXEC_("wash-2.7.0/bin/wash", WASH),
              FILE_("wash-2.7.0/LICENSE", "Apache-2.0\n"),
              FILE_("deep/a/b/c/notes.txt", "no directory entries\n")},
     .want = {{"wash-2.7.0/bin/wash", WASH, 0, 1},
              {"wash-2.7.0/LICENSE", "Apache-2.0\n", 0, 0},
              {"deep/a/b/c/notes.txt", "no directory entries\n", 0, 0}}},
    {.name = "nested directories in zip",
     .fmt = F_ZIP,
     .ents = {DIR_("wash/"), EXEC_("wash/bin/wash.exe", WASH_EXE)},
     .want = {{"wash/bin/wash.exe", WASH_EXE, 0, 1}}},
    {.name = "leading ./",
     .fmt = F_TARGZ,
     .ents = {DIR_("./"), EXEC_("./wash", WASH), FILE_("./share/./doc//README", "readme\n")},
     .want = {{"wash", WASH, 0, 1}, {"share/doc/README", "readme\n", 0, 0}}},
    {.name = "repeated directory entries",
     .fmt = F_TAR,
     .ents = {DIR_("a/"), DIR_("a/"), EXEC_("a/wash", WASH), DIR_("a")},
     .want = {{"a/wash", WASH, 0, 1}}},
    {.name = "empty file",
     .fmt = F_TARGZ,
     .ents = {FILE_("empty", "")},
     .want = {{"empty", "", 0, 0}}},
    {.name = "exactly at both limits",
     .fmt = F_TARGZ,
     .ents = {FILL_("one", 1000), FILL_("two", 1000)},
     .limits = {2000, 2},
     .want = {{"one", NULL, 1000, 0}, {"two", NULL, 1000, 0}}},

    /* Paths that leave the destination. */
    {.name = "absolute path",
     .fmt = F_TAR,
     .ents = {FILE_("@OUT@/evil", "x")},
     .code = V,
     .fragment = "/evil' escapes the destination: refusing to extract"},
    {.name = "absolute path in zip",
     .fmt = F_ZIP,
     .ents = {FILE_("@OUT@/evil", "x")},
     .code = V,
     .fragment = "/evil' escapes the destination"},
    {.name = "../evil",
     .fmt = F_TAR,
     .ents = {FILE_("../evil", "x")},
     .code = V,
     .fragment = "archive entry '../evil' escapes the destination: refusing to extract"},
    {.name = "../evil in zip",
     .fmt = F_ZIP,
     .ents = {FILE_("../evil", "x")},
     .code = V,
     .fragment = "'../evil' escapes the destination"},
    {.name = "a/../../evil",
     .fmt = F_TARGZ,
     .ents = {FILE_("a/../../evil", "x")},
     .code = V,
     .fragment = "'a/../../evil' escapes the destination"},
    {.name = "a/b/../../../evil",
     .fmt = F_TARGZ,
     .ents = {DIR_("a/b/"), FILE_("a/b/../../../evil", "x")},
     .code = V,
     .fragment = "'a/b/../../../evil' escapes the destination"},
    {.name = "..\\evil",
     .fmt = F_TAR,
     .ents = {FILE_("..\\evil", "x")},
     .code = V,
     .fragment = "'..\\evil' escapes the destination"},
    {.name = "a\\..\\..\\evil in zip",
     .fmt = F_ZIP,
     .ents = {FILE_("a\\..\\..\\evil", "x")},
     .code = V,
     .fragment = "escapes the destination"},
    {.name = ".. that stays inside",
     .fmt = F_TAR,
     .ents = {FILE_("a/../wash", "x")},
     .code = V,
     .fragment = "'a/../wash' escapes the destination"},
    {.name = "a drive in the name (C:evil)",
     .fmt = F_ZIP,
     .ents = {FILE_("C:evil", "x")},
     .code = V,
     .fragment = "'C:evil' has a ':' in its name"},
    {.name = "an NTFS stream (wash:stream)",
     .fmt = F_TAR,
     .ents = {FILE_("wash:stream", "x")},
     .code = V,
     .fragment = "has a ':' in its name"},
    {.name = "a Windows device name (NUL)",
     .fmt = F_ZIP,
     .ents = {FILE_("NUL", "x")},
     .code = V,
     .fragment = "'NUL' names a Windows device"},
    {.name = "a Windows device name with an extension, in a directory (a/com1.txt)",
     .fmt = F_TAR,
     .ents = {FILE_("a/com1.txt", "x")},
     .code = V,
     .fragment = "names a Windows device"},
    {.name = "a name that only starts like a device (console.txt) is fine",
     .fmt = F_TAR,
     .ents = {FILE_("console.txt", "x"), FILE_("wash", WASH)},
     .want = {{"console.txt", "x", 0, 0}, {"wash", WASH, 0, 0}}},
    {.name = "directory ../",
     .fmt = F_TAR,
     .ents = {DIR_("../")},
     .code = V,
     .fragment = "'../' escapes the destination"},
    {.name = "name longer than PATH_MAX",
     .fmt = F_TAR,
     .ents = {FILE_("@LONGPATH@", "x")},
     .code = V,
     .fragment = "has a name of 5001 bytes, longer than the 4095 allowed"},
    {.name = "name longer than PATH_MAX (gnu tar)",
     .fmt = F_GNUTAR,
     .ents = {FILE_("@LONGPATH@", "x")},
     .code = V,
     .fragment = "longer than the 4095 allowed"},
    {.name = "component longer than NAME_MAX",
     .fmt = F_TAR,
     .ents = {FILE_("@LONGNAME@", "x")},
     .code = V,
     .fragment = "has a path component longer than 255 bytes"},
    {.name = "empty name (hand-made ustar)",
     .fmt = F_RAWTAR,
     .ents = {FILE_("", "x")},
     .code = V,
     .fragment = "archive entry has an empty name: refusing to extract"},
    {.name = "file named .",
     .fmt = F_TAR,
     .ents = {FILE_(".", "x")},
     .code = V,
     .fragment = "names the destination itself"},

    /* Entry types we refuse. */
    {.name = "symlink to /etc",
     .fmt = F_TARGZ,
     .ents = {SYMLINK_("link", "/etc")},
     .code = V,
     .fragment = "archive entry 'link' is a symbolic link: refusing to extract"},
    {.name = "symlink then a file through it",
     .fmt = F_TARGZ,
     .ents = {SYMLINK_("link", "@OUT@"), FILE_("link/evil", "x")},
     .code = V,
     .fragment = "'link' is a symbolic link"},
    {.name = "symlink then a file through it (zip)",
     .fmt = F_ZIP,
     .ents = {SYMLINK_("link", "@OUT@"), FILE_("link/evil", "x")},
     .code = V,
     .fragment = "'link' is a symbolic link"},
    {.name = "hardlink",
     .fmt = F_TAR,
     .ents = {FILE_("wash", "x"), HARDLINK_("hl", "/etc/passwd")},
     .code = V,
     .fragment = "archive entry 'hl' is a hard link: refusing to extract"},
    {.name = "hardlink inside the archive",
     .fmt = F_TARGZ,
     .ents = {FILE_("wash", "x"), HARDLINK_("wash2", "wash")},
     .code = V,
     .fragment = "'wash2' is a hard link"},
    {.name = "char device",
     .fmt = F_TAR,
     .ents = {{K_CHR, "null", NULL, 0, 0666}},
     .code = V,
     .fragment = "archive entry 'null' is a character device: refusing to extract"},
    {.name = "block device",
     .fmt = F_TAR,
     .ents = {{K_BLK, "sda", NULL, 0, 0660}},
     .code = V,
     .fragment = "'sda' is a block device"},
    {.name = "fifo",
     .fmt = F_TAR,
     .ents = {{K_FIFO, "pipe", NULL, 0, 0644}},
     .code = V,
     .fragment = "'pipe' is a named pipe (FIFO)"},
    {.name = "socket (zip mode)",
     .fmt = F_ZIP,
     .ents = {FILE_("sock", "")},
     .mutate = M_ZIP_MODE,
     .patch = 0140755,
     .code = V,
     .fragment = "'sock' is a socket"},
    {.name = "char device (zip mode)",
     .fmt = F_ZIP,
     .ents = {FILE_("null", "")},
     .mutate = M_ZIP_MODE,
     .patch = 0020666,
     .code = V,
     .fragment = "'null' is a character device"},
    {.name = "control characters in a name",
     .fmt = F_TAR,
     .ents = {SYMLINK_("x\x1b[2J\ry", "/etc")},
     .code = V,
     .fragment = "archive entry 'x\\x1b[2J\\x0dy' is a symbolic link"},

    {.name = "long UTF-8 name cut at a character boundary",
     .fmt = F_GNUTAR,
     .ents = {SYMLINK_("@LONGUTF8@", "/etc")},
     .code = V,
     .fragment = "\xc3\xa9...' is a symbolic link"},

    /* Entries that collide. */
    {.name = "duplicate entry",
     .fmt = F_TAR,
     .ents = {FILE_("wash", "a"), FILE_("wash", "b")},
     .code = V,
     .fragment = "archive entry 'wash' is a duplicate entry: refusing to extract"},
    {.name = "duplicate through ./",
     .fmt = F_TARGZ,
     .ents = {FILE_("wash", "a"), FILE_("./wash", "b")},
     .code = V,
     .fragment = "'./wash' is a duplicate entry"},
    {.name = "duplicate entry in zip",
     .fmt = F_ZIP,
     .ents = {FILE_("wash.exe", "a"), FILE_("wash.exe", "b")},
     .code = V,
     .fragment = "'wash.exe' is a duplicate entry"},
    {.name = "directory then file of the same name",
     .fmt = F_TAR,
     .ents = {DIR_("wash/"), FILE_("wash", "x")},
     .code = V,
     .fragment = "'wash' is a duplicate entry"},
    {.name = "file then a file inside it",
     .fmt = F_TAR,
     .ents = {FILE_("wash", "x"), FILE_("wash/evil", "x")},
     .code = V,
     .fragment = "'wash/evil' would pass through 'wash', which is not a directory"},
    {.name = "symlink already in dest, file through it",
     .fmt = F_TAR,
     .ents = {FILE_("link/evil", "x")},
     .pre_link = "link",
     .pre_target = "@OUT@",
     .code = V,
     .fragment = "would pass through 'link', which is not a directory"},
    {.name = "symlink already in dest, file onto it",
     .fmt = F_TAR,
     .ents = {FILE_("wash", "x")},
     .pre_link = "wash",
     .pre_target = "@OUT@/evil",
     .code = V,
     .fragment = "'wash' is a duplicate entry"},

    /* Limits. */
    {.name = "too many entries",
     .fmt = F_TARGZ,
     .ents = {FILE_("a", "1"), FILE_("b", "2"), FILE_("c", "3"), FILE_("d", "4")},
     .limits = {0, 3},
     .code = V,
     .fragment = "archive 'x.tar.gz' has more than 3 entries: refusing to extract"},
    {.name = "too many bytes",
     .fmt = F_TARGZ,
     .ents = {FILL_("wash", 2000)},
     .limits = {1000, 0},
     .code = V,
     .fragment =
         "archive 'x.tar.gz' unpacks to more than 1000 bytes: refusing to extract (zip bomb?)"},
    {.name = "too many bytes over two files",
     .fmt = F_ZIP,
     .ents = {FILL_("one", 1000), FILL_("two", 1000)},
     .limits = {1500, 0},
     .code = V,
     .fragment = "archive 'x.zip' unpacks to more than 1500 bytes"},
    {.name = "header understates the size beyond the cap",
     .fmt = F_ZIP,
     .ents = {FILL_("wash", 300000)},
     .limits = {1000, 0},
     .mutate = M_ZIP_SIZE,
     .patch = 10,
     .code = V,
     .fragment = "archive 'x.zip' unpacks to more than 1000 bytes"},
    {.name = "header understates the size within the cap",
     .fmt = F_ZIP,
     .ents = {FILL_("wash", 20)},
     .mutate = M_ZIP_SIZE,
     .patch = 10,
     .code = V,
     .fragment = "cannot read archive 'x.zip': entry 'wash': "},
    {.name = "header declares 3.75 GiB",
     .fmt = F_ZIP,
     .ents = {FILL_("wash", 20)},
     .mutate = M_ZIP_SIZE,
     .patch = 0xF0000000u,
     .code = V,
     .fragment = "archive 'x.zip' unpacks to more than 1024 MiB: refusing to extract (zip bomb?)"},

    /* Archives that are not whole. */
    {.name = "truncated tar.gz",
     .fmt = F_TARGZ,
     .ents = {FILL_("wash", 65536)},
     .mutate = M_TRUNCATE,
     .code = V,
     .fragment = "cannot read archive 'x.tar.gz': "},
    {.name = "truncated tar",
     .fmt = F_TAR,
     .ents = {FILL_("wash", 65536)},
     .mutate = M_TRUNCATE,
     .code = V,
     .fragment = "cannot read archive 'x.tar': "},
    {.name = "truncated zip",
     .fmt = F_ZIP,
     .ents = {FILL_("wash", 65536)},
     .mutate = M_TRUNCATE,
     .code = V,
     .fragment = "cannot read archive 'x.zip': "},
    {.name = "garbage bytes",
     .fmt = F_GARBAGE,
     .code = V,
     .fragment = "cannot read archive 'x.bin': Unrecognized archive format"},
    {.name = "empty file", .fmt = F_EMPTY, .code = V, .fragment = "cannot read archive 'x.bin': "},
    {.name = "tar without entries",
     .fmt = F_TAR,
     .code = V,
     .fragment = "archive 'x.tar' is empty: nothing to extract"},
    {.name = "missing archive",
     .fmt = F_MISSING,
     .code = SW_EXIT_FS,
     .fragment = "/x.bin': No such file or directory"},
};

struct ctx {
    char tmp[PATH_MAX / 2];
    char archive[PATH_MAX];
    char dest[PATH_MAX];
    char sentinel[PATH_MAX];
    const char *archive_base;
};

struct failure {
    const struct row *row;
    char msg[1024];
};

static int row_fail(struct failure *f, const char *fmt, ...) SW_PRINTF(2, 3);

static int row_fail(struct failure *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
    va_end(ap);
    return -1;
}

/* Replaces the placeholders described at struct ent; the caller frees. */
static char *expand(const char *s, const struct ctx *c)
{
    struct sw_buf b = SW_BUF_INIT;
    while (*s) {
        if (strncmp(s, "@OUT@", 5) == 0) {
            sw_buf_adds(&b, c->sentinel);
            s += 5;
        } else if (strncmp(s, "@LONGPATH@", 10) == 0) {
            for (int i = 0; i < 2500; i++)
                sw_buf_adds(&b, "a/");
            sw_buf_adds(&b, "x");
            s += 10;
        } else if (strncmp(s, "@LONGUTF8@", 10) == 0) {
            for (int i = 0; i < 100; i++)
                sw_buf_adds(&b, "\xc3\xa9");
            s += 10;
        } else if (strncmp(s, "@LONGNAME@", 10) == 0) {
            for (int i = 0; i < 300; i++)
                sw_buf_adds(&b, "n");
            s += 10;
        } else {
            sw_buf_add(&b, s++, 1);
        }
    }
    return sw_buf_detach(&b);
}

static void fill_bytes(char *p, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        p[i] = (char)(seed >> 16);
    }
}

static int write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t w = len ? fwrite(data, 1, len, f) : 0;
    return (fclose(f) == 0 && w == len) ? 0 : -1;
}

static char *read_file(const char *path, size_t *len)
{
    struct sw_buf b = SW_BUF_INIT;
    char chunk[4096];
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        sw_buf_add(&b, chunk, n);
    fclose(f);
    *len = b.len;
    return sw_buf_detach(&b);
}

static void rm_rf(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        chmod(path, 0700);
        DIR *d = opendir(path);
        struct dirent *de;
        while (d && (de = readdir(d)) != NULL) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            char *child = sw_xasprintf("%s/%s", path, de->d_name);
            rm_rf(child);
            free(child);
        }
        if (d)
            closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

static int make_ctx(struct ctx *c, const char *ext)
{
    const char *tmpdir = getenv("TMPDIR");
    snprintf(c->tmp, sizeof(c->tmp), "%s/sw-archive-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
    if (!mkdtemp(c->tmp))
        return -1;
    snprintf(c->archive, sizeof(c->archive), "%s/x.%s", c->tmp, ext);
    snprintf(c->dest, sizeof(c->dest), "%s/dest", c->tmp);
    snprintf(c->sentinel, sizeof(c->sentinel), "%s/sentinel", c->tmp);
    c->archive_base = strrchr(c->archive, '/') + 1;
    if (mkdir(c->dest, 0755) != 0 || mkdir(c->sentinel, 0755) != 0)
        return -1;
    return 0;
}

static const char *fmt_ext(enum fmt fmt)
{
    switch (fmt) {
    case F_ZIP:
        return "zip";
    case F_TAR:
    case F_GNUTAR:
    case F_RAWTAR:
        return "tar";
    case F_TARGZ:
        return "tar.gz";
    case F_TARXZ:
        return "tar.xz";
    case F_TARZST:
        return "tar.zst";
    case F_TARBZ2:
        return "tar.bz2";
    default:
        return "bin";
    }
}

static int set_format(struct archive *a, enum fmt fmt)
{
    switch (fmt) {
    case F_ZIP:
        return archive_write_set_format_zip(a);
    case F_GNUTAR:
        return archive_write_set_format_gnutar(a);
    case F_TARGZ:
        return archive_write_set_format_pax_restricted(a) || archive_write_add_filter_gzip(a);
    case F_TARXZ:
        return archive_write_set_format_pax_restricted(a) || archive_write_add_filter_xz(a);
    case F_TARZST:
        return archive_write_set_format_pax_restricted(a) || archive_write_add_filter_zstd(a);
    case F_TARBZ2:
        return archive_write_set_format_pax_restricted(a) || archive_write_add_filter_bzip2(a);
    default:
        return archive_write_set_format_pax_restricted(a);
    }
}

/* Writes one entry; returns 0, or -1 with the libarchive message in f. */
static int add_entry(struct archive *a, const struct ent *en, const struct ctx *c,
                     struct failure *f)
{
    int ret = -1;
    char *name = expand(en->name, c);
    char *target = en->data ? expand(en->data, c) : NULL;
    char *data = NULL;
    size_t len = 0;
    struct archive_entry *e = archive_entry_new();

    archive_entry_set_pathname(e, name);
    archive_entry_set_perm(e, (mode_t)(en->mode ? en->mode : 0644));
    archive_entry_set_mtime(e, 1700000000, 0);
    switch (en->kind) {
    case K_FILE:
        len = en->data ? strlen(en->data) : en->fill;
        data = sw_xmalloc(len);
        if (en->data)
            memcpy(data, en->data, len);
        else
            fill_bytes(data, len, (uint32_t)len);
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_size(e, (la_int64_t)len);
        break;
    case K_DIR:
        archive_entry_set_filetype(e, AE_IFDIR);
        break;
    case K_SYMLINK:
        archive_entry_set_filetype(e, AE_IFLNK);
        archive_entry_set_symlink(e, target);
        break;
    case K_HARDLINK:
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_hardlink(e, target);
        archive_entry_set_size(e, 0);
        break;
    case K_CHR:
    case K_BLK:
        archive_entry_set_filetype(e, en->kind == K_CHR ? AE_IFCHR : AE_IFBLK);
        archive_entry_set_rdevmajor(e, 1);
        archive_entry_set_rdevminor(e, 3);
        break;
    case K_FIFO:
        archive_entry_set_filetype(e, AE_IFIFO);
        break;
    }
    if (archive_write_header(a, e) != ARCHIVE_OK) {
        row_fail(f, "cannot write entry: %s", archive_error_string(a));
        goto out;
    }
    if (len && archive_write_data(a, data, len) != (la_ssize_t)len) {
        row_fail(f, "cannot write data: %s", archive_error_string(a));
        goto out;
    }
    ret = 0;
out:
    archive_entry_free(e);
    free(name);
    free(target);
    free(data);
    return ret;
}

static void put_le32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* Rewrites every entry of a zip in place: the uncompressed size in local headers, data
 * descriptors and the central directory, or the unix mode in the central directory. */
static int patch_zip(const char *path, enum mutate m, uint32_t value, struct failure *f)
{
    size_t len = 0;
    unsigned char *z = (unsigned char *)read_file(path, &len);
    int patched = 0;
    for (size_t i = 0; z && i + 46 <= len; i++) {
        if (memcmp(z + i, "PK\1\2", 4) == 0) {
            if (m == M_ZIP_SIZE)
                put_le32(z + i + 24, value);
            else
                put_le32(z + i + 38, value << 16);
            patched++;
        } else if (m == M_ZIP_SIZE && memcmp(z + i, "PK\3\4", 4) == 0) {
            put_le32(z + i + 22, value);
        } else if (m == M_ZIP_SIZE && memcmp(z + i, "PK\7\10", 4) == 0) {
            put_le32(z + i + 12, value);
        }
    }
    int ret = patched && write_file(path, z, len) == 0 ? 0 : -1;
    free(z);
    return ret ? row_fail(f, "cannot patch the zip") : 0;
}

/* A one-file ustar archive written byte by byte, for names libarchive's writer refuses. */
static int write_raw_ustar(const char *path, const char *name, const char *data, struct failure *f)
{
    unsigned char tar[512 * 4] = {0};
    size_t len = strlen(data);
    unsigned sum = 0;
    memcpy(tar, name, strnlen(name, 100));
    snprintf((char *)tar + 100, 8, "%07o", 0644u);
    snprintf((char *)tar + 108, 8, "%07o", 0u);
    snprintf((char *)tar + 116, 8, "%07o", 0u);
    snprintf((char *)tar + 124, 12, "%011o", (unsigned)len);
    snprintf((char *)tar + 136, 12, "%011o", 1700000000u);
    memset(tar + 148, ' ', 8);
    tar[156] = '0';
    memcpy(tar + 257, "ustar", 6);
    memcpy(tar + 263, "00", 2);
    for (size_t i = 0; i < 512; i++)
        sum += tar[i];
    snprintf((char *)tar + 148, 8, "%06o", sum);
    memcpy(tar + 512, data, len < 512 ? len : 512);
    return write_file(path, tar, sizeof(tar)) ? row_fail(f, "cannot write the archive") : 0;
}

static int build_archive(const struct row *r, const struct ctx *c, struct failure *f)
{
    if (r->fmt == F_MISSING)
        return 0;
    if (r->fmt == F_EMPTY)
        return write_file(c->archive, "", 0) ? row_fail(f, "cannot write the archive") : 0;
    if (r->fmt == F_RAWTAR)
        return write_raw_ustar(c->archive, r->ents[0].name, r->ents[0].data, f);
    if (r->fmt == F_GARBAGE) {
        char junk[4096];
        fill_bytes(junk, sizeof(junk), 42);
        return write_file(c->archive, junk, sizeof(junk)) ? row_fail(f, "cannot write it") : 0;
    }

    int ret = -1;
    struct archive *a = archive_write_new();
    if (set_format(a, r->fmt) != ARCHIVE_OK ||
        archive_write_open_filename(a, c->archive) != ARCHIVE_OK) {
        row_fail(f, "cannot start the archive: %s", archive_error_string(a));
        goto out;
    }
    for (const struct ent *en = r->ents; en->name; en++)
        if (add_entry(a, en, c, f) != 0)
            goto out;
    if (archive_write_close(a) != ARCHIVE_OK) {
        row_fail(f, "cannot finish the archive: %s", archive_error_string(a));
        goto out;
    }
    ret = 0;
out:
    /* archive_write_free() skips the close, and leaks, once the archive is in the fatal state. */
    archive_write_close(a);
    archive_write_free(a);
    if (ret == 0 && r->mutate == M_TRUNCATE) {
        struct stat st;
        if (stat(c->archive, &st) != 0 || truncate(c->archive, st.st_size / 2) != 0)
            ret = row_fail(f, "cannot truncate the archive");
    } else if (ret == 0 && (r->mutate == M_ZIP_SIZE || r->mutate == M_ZIP_MODE)) {
        ret = patch_zip(c->archive, r->mutate, r->patch, f);
    }
    return ret;
}

/* Nothing may appear next to dest, and the sentinel must stay empty. */
static int check_outside(const struct ctx *c, struct failure *f)
{
    int ret = 0;
    DIR *d = opendir(c->tmp);
    struct dirent *de;
    while (ret == 0 && d && (de = readdir(d)) != NULL) {
        const char *n = de->d_name;
        if (strcmp(n, ".") && strcmp(n, "..") && strcmp(n, "dest") && strcmp(n, "sentinel") &&
            strcmp(n, c->archive_base))
            ret = row_fail(f, "'%s' appeared next to the destination", n);
    }
    if (d)
        closedir(d);
    d = opendir(c->sentinel);
    while (ret == 0 && d && (de = readdir(d)) != NULL)
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            ret = row_fail(f, "'%s' appeared in the sentinel directory", de->d_name);
    if (d)
        closedir(d);
    return ret;
}

/* dest may hold partial output, but only regular files (0644/0755) and directories. */
static int check_tree(const char *dir, const char *rel, const struct row *r, struct failure *f)
{
    int ret = 0;
    DIR *d = opendir(dir);
    struct dirent *de;
    while (ret == 0 && d && (de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char *path = sw_xasprintf("%s/%s", dir, de->d_name);
        char *sub = sw_xasprintf("%s%s", rel, de->d_name);
        struct stat st;
        mode_t perm = 0;
        if (lstat(path, &st) != 0)
            ret = row_fail(f, "cannot stat '%s'", sub);
        else if (S_ISLNK(st.st_mode) && !(r->pre_link && strcmp(sub, r->pre_link) == 0))
            ret = row_fail(f, "'%s' was extracted as a symlink", sub);
        else if (S_ISREG(st.st_mode) && (perm = st.st_mode & 07777) != 0644 && perm != 0755)
            ret = row_fail(f, "'%s' was extracted with mode %04o", sub, (unsigned)perm);
        else if (S_ISDIR(st.st_mode)) {
            char *subrel = sw_xasprintf("%s/", sub);
            ret = check_tree(path, subrel, r, f);
            free(subrel);
        } else if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode))
            ret = row_fail(f, "'%s' was extracted as a special file", sub);
        free(path);
        free(sub);
    }
    if (d)
        closedir(d);
    return ret;
}

static int check_wanted(const struct row *r, const struct ctx *c, struct failure *f)
{
    for (const struct want *w = r->want; w->path; w++) {
        char *path = sw_xasprintf("%s/%s", c->dest, w->path);
        size_t len = 0;
        struct stat st;
        char *got = read_file(path, &len);
        int bad_exec = stat(path, &st) == 0 && !!(st.st_mode & S_IXUSR) != w->exec;
        size_t size = w->data ? strlen(w->data) : w->size;
        int bad = !got || len != size || (w->data && memcmp(got, w->data, len) != 0);
        free(path);
        free(got);
        if (bad)
            return row_fail(f, "'%s' is missing or has the wrong contents", w->path);
        if (bad_exec)
            return row_fail(f, "'%s' should%s be executable", w->path, w->exec ? "" : " not");
    }
    return 0;
}

static int check_message(const struct row *r, const struct sw_error *err, struct failure *f)
{
    if (err->code != r->code)
        return row_fail(f, "class %d, want %d (message: %s)", err->code, r->code, err->msg);
    if (!strstr(err->msg, r->fragment))
        return row_fail(f, "message \"%s\" lacks \"%s\"", err->msg, r->fragment);
    if (err->msg[0] < 'a' || err->msg[0] > 'z')
        return row_fail(f, "message \"%s\" does not start lowercase", err->msg);
    for (const char *p = err->msg; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return row_fail(f, "message has a control character: %s", err->msg);
    return 0;
}

/* Returns 0 when the row passed, -1 with f->msg set otherwise. */
static int run_row(const struct row *r, struct failure *f)
{
    int ret = -1;
    struct ctx c = {0};
    struct sw_error err = {0};
    char *target = NULL;

    f->row = r;
    if (make_ctx(&c, fmt_ext(r->fmt)) != 0) {
        row_fail(f, "cannot create temporary directories: %s", strerror(errno));
        goto out;
    }
    if (build_archive(r, &c, f) != 0)
        goto out;
    if (r->pre_link) {
        char *link = sw_xasprintf("%s/%s", c.dest, r->pre_link);
        target = expand(r->pre_target, &c);
        int rc = symlink(target, link);
        free(link);
        if (rc != 0) {
            row_fail(f, "cannot plant the symlink: %s", strerror(errno));
            goto out;
        }
    }

    int rc = sw_archive_extract(c.archive, c.dest, &r->limits, &err);
    if (getenv("SW_TEST_VERBOSE"))
        print_message("row '%s': %d %s\n", r->name, rc, err.msg);
    /* The containment checks come first: an escape is the failure worth reporting. */
    if (check_outside(&c, f) != 0 || check_tree(c.dest, "", r, f) != 0)
        goto out;
    if (target && strcmp(target, c.sentinel) != 0) {
        struct stat st;
        if (lstat(target, &st) == 0) {
            row_fail(f, "the planted symlink's target was written");
            goto out;
        }
    }
    if (r->code == 0 && (rc != 0 || err.code != 0)) {
        row_fail(f, "extraction failed: %s", err.msg);
        goto out;
    }
    if (r->code != 0 && rc != -1) {
        row_fail(f, "extraction succeeded, want class %d", r->code);
        goto out;
    }
    if (r->code != 0 && check_message(r, &err, f) != 0)
        goto out;
    if (check_wanted(r, &c, f) != 0)
        goto out;
    ret = 0;
out:
    free(target);
    if (c.tmp[0])
        rm_rf(c.tmp);
    return ret;
}

static void test_extract_rows(void **state)
{
    (void)state;
    struct sw_buf failed = SW_BUF_INIT;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct failure f = {0};
        if (run_row(&rows[i], &f) != 0) {
            print_error("row '%s': %s\n", rows[i].name, f.msg);
            sw_buf_printf(&failed, "%s'%s'", failed.len ? ", " : "", rows[i].name);
        }
    }
    if (failed.len) {
        char *names = sw_buf_detach(&failed);
        print_error("failing rows: %s\n", names);
        free(names);
        fail();
    }
}

/* A write error is a filesystem error, not a hostile archive: RLIMIT_FSIZE makes write() fail
 * with EFBIG half way through the file. */
static void test_write_error_is_fs(void **state)
{
    (void)state;
    static const struct row r = {
        .name = "write error", .fmt = F_TAR, .ents = {FILL_("wash", 4000)}};
    struct ctx c = {0};
    struct failure f = {0};
    struct sw_error err = {0};
    struct rlimit old;

    assert_int_equal(make_ctx(&c, "tar"), 0);
    assert_int_equal(build_archive(&r, &c, &f), 0);
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    struct rlimit low = {1000, old.rlim_max};
    signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &low), 0);
    int rc = sw_archive_extract(c.archive, c.dest, NULL, &err);
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, SIG_DFL);
    rm_rf(c.tmp);

    assert_int_equal(rc, -1);
    assert_int_equal(err.code, SW_EXIT_FS);
    if (!strstr(err.msg, "/wash': File too large"))
        fail_msg("unexpected message: %s", err.msg);
}

/* A destination that does not exist is a filesystem error. */
static void test_missing_dest_is_fs(void **state)
{
    (void)state;
    static const struct row r = {
        .name = "missing dest", .fmt = F_TAR, .ents = {FILE_("wash", "x")}};
    struct ctx c = {0};
    struct failure f = {0};
    struct sw_error err = {0};

    assert_int_equal(make_ctx(&c, "tar"), 0);
    assert_int_equal(build_archive(&r, &c, &f), 0);
    char *dest = sw_xasprintf("%s/nope", c.dest);
    int rc = sw_archive_extract(c.archive, dest, NULL, &err);
    free(dest);
    rm_rf(c.tmp);

    assert_int_equal(rc, -1);
    assert_int_equal(err.code, SW_EXIT_FS);
    if (!strstr(err.msg, "cannot open destination '") || !strstr(err.msg, "No such file"))
        fail_msg("unexpected message: %s", err.msg);
}

static void test_is_archive_name(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        int want;
    } names[] = {
        {"wash-x86_64-unknown-linux-gnu.tar.gz", 1},
        {"wash-x86_64-pc-windows-msvc.zip", 1},
        {"wash.tar", 1},
        {"wash.tgz", 1},
        {"wash.tar.xz", 1},
        {"wash.txz", 1},
        {"wash.tar.zst", 1},
        {"wash.tar.bz2", 1},
        {"WASH.TAR.GZ", 1},
        {"wash-x86_64-unknown-linux-gnu", 0},
        {"wash.exe", 0},
        {"wash.gz", 0},
        {"wash.xz", 0},
        {"wash.tar.gz.sha256", 0},
        {"wash.zip.sig", 0},
        {"zip", 0},
        {".zip", 0},
        {".tar.gz", 0},
        {"", 0},
        {NULL, 0},
    };
    int failed = 0;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        int got = sw_archive_is_archive_name(names[i].name);
        if (got != names[i].want) {
            print_error("row '%s': got %d, want %d\n", names[i].name ? names[i].name : "(null)",
                        got, names[i].want);
            failed++;
        }
    }
    if (failed)
        fail_msg("%d name rows failed (named above)", failed);
}

int main(void)
{
    umask(022);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_extract_rows),
        cmocka_unit_test(test_write_error_is_fs),
        cmocka_unit_test(test_missing_dest_is_fs),
        cmocka_unit_test(test_is_archive_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
