/* Tests for io/archive: every row (one cmocka test each) builds a real archive with libarchive's
 * write API in a fresh temporary directory, extracts it into an empty `dest` next to an empty
 * `sentinel`, and checks the outcome, then that nothing was written outside `dest` and that
 * `dest` holds only regular files (0644/0755), directories and the symlinks the row expects.
 * A row that unpacks is extracted twice more with callbacks recording every file and link, from
 * the file and then streamed through sw_archive_extract_cb: the digests and stamps the callbacks
 * saw must match what is on disk, and both trees must be the same. A row that fails must fail
 * streamed too, without writing outside dest. Set SW_TEST_VERBOSE=1 to print every row's
 * message. */
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
#include <openssl/evp.h>
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
#include "core/hex.h"
#include "io/archive.h"
#include "io/fs.h"
#include "os/os.h"

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

/* A symlink expected in dest after a successful extraction. */
struct want_link {
    const char *path;
    const char *target;
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
    struct want_link links[4];
};

/* clang-format 14 splits brace-initialiser macros over five lines each. */
// clang-format off
#define FILE_(n, d) {K_FILE, n, d, 0, 0}
#define EXEC_(n, d) {K_FILE, n, d, 0, 0755}
#define FILL_(n, size) {K_FILE, n, NULL, size, 0}
#define DIR_(n) {K_DIR, n, NULL, 0, 0755}
#define SYMLINK_(n, target) {K_SYMLINK, n, target, 0, 0777}
#define HARDLINK_(n, target) {K_HARDLINK, n, target, 0, 0644}
#define LINKS {.allow_symlinks = true}
// clang-format on

#define REFUSE " is a symbolic link whose target "

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

    /* Symlinks, when allowed (allow_symlinks). */
    {.name = "link tinygo/bin/x -> ../lib/y",
     .fmt = F_TARGZ,
     .ents = {DIR_("tinygo/"), FILE_("tinygo/lib/y", "y\n"), SYMLINK_("tinygo/bin/x", "../lib/y")},
     .limits = LINKS,
     .want = {{"tinygo/lib/y", "y\n", 0, 0}},
     .links = {{"tinygo/bin/x", "../lib/y"}}},
    {.name = "link before its target, in zip",
     .fmt = F_ZIP,
     .ents = {SYMLINK_("tinygo/bin/x", "../lib/y"), EXEC_("tinygo/lib/y", WASH)},
     .limits = LINKS,
     .want = {{"tinygo/lib/y", WASH, 0, 1}},
     .links = {{"tinygo/bin/x", "../lib/y"}}},
    {.name = "top-level link into the top folder",
     .fmt = F_TARGZ,
     .ents = {EXEC_("tinygo/bin/tinygo", WASH), SYMLINK_("current", "tinygo/bin")},
     .limits = LINKS,
     .want = {{"tinygo/bin/tinygo", WASH, 0, 1}},
     .links = {{"current", "tinygo/bin"}}},
    {.name = "links to a directory, to the top folder itself, dangling",
     .fmt = F_TAR,
     .ents = {FILE_("t/a/b/f", "f"), SYMLINK_("t/a/b/up", "../.."), SYMLINK_("t/d", "a/b"),
              SYMLINK_("t/a/gone", "../nowhere/x")},
     .limits = LINKS,
     .want = {{"t/a/b/f", "f", 0, 0}},
     .links = {{"t/a/b/up", "../.."}, {"t/d", "a/b"}, {"t/a/gone", "../nowhere/x"}}},
    {.name = "absolute link target",
     .fmt = F_TARGZ,
     .ents = {SYMLINK_("tinygo/bin/x", "/etc/passwd")},
     .limits = LINKS,
     .code = V,
     .fragment = "archive entry 'tinygo/bin/x'" REFUSE "'/etc/passwd' is absolute: refusing"},
    {.name = "absolute link target to the sentinel",
     .fmt = F_TAR,
     .ents = {SYMLINK_("link", "@OUT@"), FILE_("link/evil", "x")},
     .limits = LINKS,
     .code = V,
     .fragment = "' is absolute"},
    {.name = "link target leaving its top folder",
     .fmt = F_TARGZ,
     .ents = {SYMLINK_("tinygo/bin/x", "../../other/y")},
     .limits = LINKS,
     .code = V,
     .fragment = "archive entry 'tinygo/bin/x' is a symbolic link to '../../other/y', which "
                 "leaves 'tinygo': refusing to extract"},
    {.name = "link target leaving dest",
     .fmt = F_TARGZ,
     .ents = {SYMLINK_("tinygo/bin/x", "../../../sentinel")},
     .limits = LINKS,
     .code = V,
     .fragment = "which leaves 'tinygo'"},
    {.name = "top-level link leaving dest",
     .fmt = F_TAR,
     .ents = {SYMLINK_("x", "../sentinel")},
     .limits = LINKS,
     .code = V,
     .fragment = "'x' is a symbolic link to '../sentinel', which leaves the destination"},
    {.name = "link target a/../b",
     .fmt = F_TARGZ,
     .ents = {FILE_("t/b", "b"), SYMLINK_("t/x", "a/../b")},
     .limits = LINKS,
     .code = V,
     .fragment = REFUSE "'a/../b' has '..' after a name"},
    {.name = "link target a/../../escape",
     .fmt = F_TAR,
     .ents = {SYMLINK_("t/x", "a/../../../sentinel")},
     .limits = LINKS,
     .code = V,
     .fragment = "has '..' after a name"},
    {.name = "link target .",
     .fmt = F_TAR,
     .ents = {SYMLINK_("t/x", ".")},
     .limits = LINKS,
     .code = V,
     .fragment = REFUSE "'.' has a '.' component"},
    {.name = "link target ./y",
     .fmt = F_TAR,
     .ents = {SYMLINK_("t/x", "./y")},
     .limits = LINKS,
     .code = V,
     .fragment = "has a '.' component"},
    {.name = "link target with a trailing slash",
     .fmt = F_TAR,
     .ents = {DIR_("t/lib/"), SYMLINK_("t/x", "lib/")},
     .limits = LINKS,
     .code = V,
     .fragment = REFUSE "'lib/' has an empty component"},
    {.name = "link target with //",
     .fmt = F_TAR,
     .ents = {SYMLINK_("t/x", "lib//y")},
     .limits = LINKS,
     .code = V,
     .fragment = "has an empty component"},
    {.name = "empty link target",
     .fmt = F_TAR,
     .ents = {SYMLINK_("t/x", "")},
     .limits = LINKS,
     .code = V,
     .fragment = "archive entry 't/x' is a symbolic link with no target"},
    {.name = "link target with a backslash",
     .fmt = F_TAR,
     .ents = {SYMLINK_("t/x", "..\\..\\y")},
     .limits = LINKS,
     .code = V,
     .fragment = "has a backslash"},
    {.name = "link target with a drive",
     .fmt = F_ZIP,
     .ents = {SYMLINK_("t/x", "C:/Windows")},
     .limits = LINKS,
     .code = V,
     .fragment = "'C:/Windows' has a ':'"},
    {.name = "link target with a control character",
     .fmt = F_TAR,
     .ents = {SYMLINK_("t/x", "y\x1b[2J")},
     .limits = LINKS,
     .code = V,
     .fragment = REFUSE "'y\\x1b[2J' has a control character"},
    {.name = "link then a file through it",
     .fmt = F_TARGZ,
     .ents = {DIR_("t/sub/"), SYMLINK_("t/lib", "sub"), FILE_("t/lib/x", "x")},
     .limits = LINKS,
     .code = V,
     .fragment = "archive entry 't/lib/x' would pass through 't/lib', which is not a directory"},
    {.name = "link then a file through it (zip)",
     .fmt = F_ZIP,
     .ents = {DIR_("t/sub/"), SYMLINK_("t/lib", "sub"), FILE_("t/lib/x", "x")},
     .limits = LINKS,
     .code = V,
     .fragment = "'t/lib/x' would pass through 't/lib'"},
    {.name = "link then a directory through it",
     .fmt = F_TAR,
     .ents = {SYMLINK_("t/lib", "sub"), DIR_("t/lib/x/")},
     .limits = LINKS,
     .code = V,
     .fragment = "'t/lib/x/' would pass through 't/lib'"},
    {.name = "link then a link through it",
     .fmt = F_TAR,
     .ents = {DIR_("t/sub/"), SYMLINK_("t/lib", "sub"), SYMLINK_("t/lib/y", "z")},
     .limits = LINKS,
     .code = V,
     .fragment = "'t/lib/y' would pass through 't/lib'"},
    {.name = "top-level link then a file through it",
     .fmt = F_TAR,
     .ents = {DIR_("t/"), SYMLINK_("l", "t"), FILE_("l/x", "x")},
     .limits = LINKS,
     .code = V,
     .fragment = "'l/x' would pass through 'l'"},
    {.name = "link then a directory of its name",
     .fmt = F_TAR,
     .ents = {SYMLINK_("t/lib", "sub"), DIR_("t/lib/")},
     .limits = LINKS,
     .code = V,
     .fragment = "'t/lib/' would pass through 't/lib'"},
    {.name = "link named as a file before it",
     .fmt = F_TAR,
     .ents = {FILE_("t/x", "x"), SYMLINK_("t/x", "y")},
     .limits = LINKS,
     .code = V,
     .fragment = "archive entry 't/x' is a duplicate entry: refusing to extract"},
    {.name = "link named as a directory before it",
     .fmt = F_TAR,
     .ents = {FILE_("t/lib/x", "x"), SYMLINK_("t/lib", "sub")},
     .limits = LINKS,
     .code = V,
     .fragment = "'t/lib' is a duplicate entry"},
    {.name = "link named as a link before it",
     .fmt = F_TAR,
     .ents = {SYMLINK_("t/x", "a"), SYMLINK_("t/x", "b")},
     .limits = LINKS,
     .code = V,
     .fragment = "'t/x' is a duplicate entry"},
    {.name = "file named as a link before it",
     .fmt = F_TAR,
     .ents = {SYMLINK_("t/x", "y"), FILE_("t/x", "x")},
     .limits = LINKS,
     .code = V,
     .fragment = "'t/x' is a duplicate entry"},
    {.name = "link named as a planted link",
     .fmt = F_TAR,
     .ents = {SYMLINK_("wash", "x")},
     .limits = LINKS,
     .pre_link = "wash",
     .pre_target = "@OUT@/evil",
     .code = V,
     .fragment = "'wash' is a duplicate entry"},
    {.name = "hardlink stays refused with links allowed",
     .fmt = F_TAR,
     .ents = {FILE_("t/wash", "x"), HARDLINK_("t/hl", "t/wash")},
     .limits = LINKS,
     .code = V,
     .fragment = "'t/hl' is a hard link"},

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

static long long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long long)st.st_size : -1;
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
            strcmp(n, "prev") && strcmp(n, c->archive_base))
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

/* Whether the row expects a symlink at rel: one it wants, or, when links are allowed, one of
 * its entries (a failing row's partial output) with the entry's target. */
static bool wanted_link(const struct row *r, const char *rel, const char *path)
{
    for (const struct want_link *l = r->links; l->path; l++)
        if (strcmp(l->path, rel) == 0)
            return true;
    char target[PATH_MAX];
    ssize_t n = readlink(path, target, sizeof(target) - 1);
    if (!r->limits.allow_symlinks || n < 0)
        return false;
    target[n] = '\0';
    for (const struct ent *en = r->ents; en->name; en++)
        if (en->kind == K_SYMLINK && strcmp(en->name, rel) == 0 && strcmp(en->data, target) == 0)
            return true;
    return false;
}

/* dest may hold partial output, but only regular files (0644/0755), directories and the
 * symlinks the row expects. */
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
        else if (S_ISLNK(st.st_mode) && !(r->pre_link && strcmp(sub, r->pre_link) == 0) &&
                 !wanted_link(r, sub, path))
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
    for (const struct want_link *l = r->links; l->path; l++) {
        char *path = sw_xasprintf("%s/%s", c->dest, l->path);
        char target[PATH_MAX];
        ssize_t n = readlink(path, target, sizeof(target) - 1);
        free(path);
        if (n < 0)
            return row_fail(f, "'%s' is not a symlink: %s", l->path, strerror(errno));
        target[n] = '\0';
        if (strcmp(target, l->target) != 0)
            return row_fail(f, "'%s' points to '%s', want '%s'", l->path, target, l->target);
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

/* What the callbacks saw during one extraction. */
struct seen_file {
    char *rel;
    unsigned char md[32];
    uint64_t size;
    struct sw_os_stat st;
};
struct recorder {
    struct seen_file files[16];
    size_t nfiles;
    char *links[16][2]; /* rel, target */
    size_t nlinks;
    size_t abort_at;    /* on_file fails on this file (1-based); 0: never */
    bool abort_quietly; /* ... without setting err */
};

static int rec_file(void *ud, const char *rel, const unsigned char sha256[32], uint64_t size,
                    const struct sw_os_stat *st, struct sw_error *err)
{
    struct recorder *rec = ud;
    if (rec->nfiles == sizeof(rec->files) / sizeof(rec->files[0]))
        return sw_error_set(err, SW_EXIT_FAILURE, "test recorder full");
    struct seen_file *s = &rec->files[rec->nfiles++];
    s->rel = sw_xstrdup(rel);
    memcpy(s->md, sha256, 32);
    s->size = size;
    s->st = *st;
    if (rec->abort_at && rec->nfiles == rec->abort_at)
        return rec->abort_quietly ? 1 : sw_error_set(err, SW_EXIT_USAGE, "recorder says no");
    return 0;
}

static int rec_link(void *ud, const char *rel, const char *target, struct sw_error *err)
{
    struct recorder *rec = ud;
    if (rec->nlinks == sizeof(rec->links) / sizeof(rec->links[0]))
        return sw_error_set(err, SW_EXIT_FAILURE, "test recorder full");
    rec->links[rec->nlinks][0] = sw_xstrdup(rel);
    rec->links[rec->nlinks++][1] = sw_xstrdup(target);
    return 0;
}

static void rec_free(struct recorder *rec)
{
    for (size_t i = 0; i < rec->nfiles; i++)
        free(rec->files[i].rel);
    for (size_t i = 0; i < rec->nlinks; i++) {
        free(rec->links[i][0]);
        free(rec->links[i][1]);
    }
    memset(rec, 0, sizeof(*rec));
}

/* Every regular file under dir (rel its path so far) was reported once by on_file, with the
 * digest and size of its bytes and the stamp it has now; every symlink once by on_link. Counts
 * what it saw in *files and *links. */
static int check_seen(const char *dir, const char *rel, const struct recorder *rec, size_t *files,
                      size_t *links, struct failure *f)
{
    int ret = 0;
    DIR *d = opendir(dir);
    struct dirent *de;
    while (ret == 0 && d && (de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char *path = sw_xasprintf("%s/%s", dir, de->d_name);
        char *sub = sw_xasprintf("%s%s", rel, de->d_name);
        struct sw_os_stat st;
        size_t hits = 0;
        if (sw_os_stat(path, false, &st) != 0) {
            ret = row_fail(f, "cannot stat '%s'", sub);
        } else if (st.kind == SW_OS_DIR) {
            char *subrel = sw_xasprintf("%s/", sub);
            ret = check_seen(path, subrel, rec, files, links, f);
            free(subrel);
        } else if (st.kind == SW_OS_LINK) {
            (*links)++;
            for (size_t i = 0; i < rec->nlinks; i++)
                hits += strcmp(rec->links[i][0], sub) == 0;
            if (hits != 1)
                ret = row_fail(f, "on_link saw '%s' %zu times", sub, hits);
        } else {
            (*files)++;
            const struct seen_file *seen = NULL;
            for (size_t i = 0; i < rec->nfiles; i++)
                if (strcmp(rec->files[i].rel, sub) == 0) {
                    hits++;
                    seen = &rec->files[i];
                }
            size_t len = 0;
            char *data = read_file(path, &len);
            unsigned char md[32];
            char was[SW_FS_STAMP_MAX], now[SW_FS_STAMP_MAX];
            EVP_Digest(data ? data : "", len, md, NULL, EVP_sha256(), NULL);
            free(data);
            if (hits != 1)
                ret = row_fail(f, "on_file saw '%s' %zu times", sub, hits);
            else if (memcmp(md, seen->md, 32) != 0)
                ret = row_fail(f, "on_file's digest of '%s' is not the sha256 of its bytes", sub);
            else if (seen->size != len)
                ret = row_fail(f, "on_file's size of '%s' is %llu, want %zu", sub,
                               (unsigned long long)seen->size, len);
            else if (sw_fs_stamp(&seen->st, was, sizeof(was)), sw_fs_stamp(&st, now, sizeof(now)),
                     strcmp(was, now) != 0)
                ret = row_fail(f, "'%s' changed after on_file: stamp %s, now %s", sub, was, now);
        }
        free(path);
        free(sub);
    }
    if (d)
        closedir(d);
    return ret;
}

/* a and b hold the same names, kinds, bytes and link targets, and the same modes unless
 * modes is false. */
static int same_tree(const char *a, const char *b, const char *rel, bool modes, struct failure *f)
{
    int ret = 0;
    DIR *d = opendir(a);
    struct dirent *de;
    size_t na = 0, nb = 0;
    while (ret == 0 && d && (de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        na++;
        char *pa = sw_xasprintf("%s/%s", a, de->d_name);
        char *pb = sw_xasprintf("%s/%s", b, de->d_name);
        char *sub = sw_xasprintf("%s%s/", rel, de->d_name);
        struct stat sa, sb;
        if (lstat(pa, &sa) != 0 || lstat(pb, &sb) != 0)
            ret = row_fail(f, "'%s' is in one tree only", sub);
        else if ((sa.st_mode & S_IFMT) != (sb.st_mode & S_IFMT) ||
                 (modes && sa.st_mode != sb.st_mode))
            ret = row_fail(f, "'%s' has modes %o and %o", sub, (unsigned)sa.st_mode,
                           (unsigned)sb.st_mode);
        else if (S_ISDIR(sa.st_mode))
            ret = same_tree(pa, pb, sub, modes, f);
        else {
            char ta[PATH_MAX] = "", tb[PATH_MAX] = "";
            size_t la = 0, lb = 0;
            char *da = NULL, *db = NULL;
            if (S_ISLNK(sa.st_mode)) {
                (void)!readlink(pa, ta, sizeof(ta) - 1);
                (void)!readlink(pb, tb, sizeof(tb) - 1);
            } else {
                da = read_file(pa, &la);
                db = read_file(pb, &lb);
            }
            if (strcmp(ta, tb) != 0 || la != lb || (la && memcmp(da, db, la) != 0))
                ret = row_fail(f, "'%s' differs", sub);
            free(da);
            free(db);
        }
        free(pa);
        free(pb);
        free(sub);
    }
    if (d)
        closedir(d);
    d = opendir(b);
    while (d && (de = readdir(d)) != NULL)
        nb += strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
    if (d)
        closedir(d);
    if (ret == 0 && na != nb)
        ret = row_fail(f, "'%s' holds %zu entries in one tree, %zu in the other", rel, na, nb);
    return ret;
}

/* A streaming source over a file, in chunks of at most `chunk` bytes. */
struct source {
    int fd;
    size_t chunk;
    uint64_t total;
    unsigned calls_after_end;
    bool ended;
    uint64_t fail_after; /* fail once this many bytes were given; 0: never */
};

static sw_ssize source_read(void *ud, void *buf, size_t n, struct sw_error *err)
{
    struct source *s = ud;
    if (s->ended)
        s->calls_after_end++;
    if (s->fail_after && s->total >= s->fail_after)
        return sw_error_set(err, SW_EXIT_NETWORK, "downloading x: connection reset");
    ssize_t r = read(s->fd, buf, n < s->chunk ? n : s->chunk);
    if (r < 0)
        return sw_error_set(err, SW_EXIT_FS, "test source: %s", strerror(errno));
    s->total += (uint64_t)r;
    s->ended = r == 0;
    return (sw_ssize)r;
}

static int stream_file(const char *archive, const char *dest, const struct sw_extract_limits *lim,
                       size_t chunk, struct source *src, struct sw_error *err)
{
    *src = (struct source){.fd = open(archive, O_RDONLY), .chunk = chunk};
    if (src->fd < 0)
        return sw_error_set(err, SW_EXIT_FS, "cannot open '%s'", archive);
    const char *base = strrchr(archive, '/');
    int rc = sw_archive_extract_cb(source_read, src, base ? base + 1 : archive, dest, lim, err);
    close(src->fd);
    return rc;
}

/* Empties dest again (and plants the row's link in it). */
static int reset_dest(const struct row *r, const struct ctx *c, struct failure *f)
{
    rm_rf(c->dest);
    if (mkdir(c->dest, 0755) != 0)
        return row_fail(f, "cannot create dest: %s", strerror(errno));
    if (r->pre_link) {
        char *link = sw_xasprintf("%s/%s", c->dest, r->pre_link);
        char *target = expand(r->pre_target, c);
        int rc = symlink(target, link);
        free(link);
        free(target);
        if (rc != 0)
            return row_fail(f, "cannot plant the symlink: %s", strerror(errno));
    }
    return 0;
}

/* How one extraction of a row is run. */
enum run { RUN_PLAIN, RUN_FILE_CB, RUN_STREAM };
static const char *const run_names[] = {"", "with callbacks: ", "streamed: "};

/* Extracts the row's archive into an emptied dest and checks the outcome. */
static int run_once(const struct row *r, const struct ctx *c, enum run how, struct failure *f)
{
    int ret = -1;
    struct sw_error err = {0};
    struct recorder rec = {0};
    struct source src = {0};
    struct sw_extract_limits lim = r->limits;
    bool zip = r->fmt == F_ZIP;
    int rc;

    if (reset_dest(r, c, f) != 0)
        goto out;
    if (how != RUN_PLAIN) {
        lim.on_file = rec_file;
        lim.on_link = rec_link;
        lim.ud = &rec;
    }
    if (how == RUN_STREAM)
        rc = stream_file(c->archive, c->dest, &lim, 4093, &src, &err);
    else
        rc = sw_archive_extract(c->archive, c->dest, how == RUN_PLAIN ? &r->limits : &lim, &err);
    if (getenv("SW_TEST_VERBOSE"))
        print_message("row '%s': %s%d %s\n", r->name, run_names[how], rc, err.msg);
    /* The containment checks come first: an escape is the failure worth reporting. */
    if (check_outside(c, f) != 0 || check_tree(c->dest, "", r, f) != 0)
        goto out;
    if (r->pre_link) {
        char *target = expand(r->pre_target, c);
        struct stat st;
        bool written = strcmp(target, c->sentinel) != 0 && lstat(target, &st) == 0;
        free(target);
        if (written) {
            row_fail(f, "the planted symlink's target was written");
            goto out;
        }
    }
    if (r->code == 0 && (rc != 0 || err.code != 0)) {
        row_fail(f, "extraction failed: %s", err.msg);
        goto out;
    }
    if (r->code != 0 && rc != -1) {
        /* a streamed zip has no central directory to tell a link or a device apart */
        if (how == RUN_STREAM && zip)
            ret = 0;
        else
            row_fail(f, "extraction succeeded, want class %d", r->code);
        goto out;
    }
    if (r->code != 0) {
        /* streamed, only the class is the same for a zip (libarchive words its errors
         * differently without the central directory) */
        if (how == RUN_STREAM && zip && err.code == r->code)
            ret = 0;
        else if (check_message(r, &err, f) == 0)
            ret = 0;
        goto out;
    }
    if (!(how == RUN_STREAM && zip) && check_wanted(r, c, f) != 0)
        goto out;
    if (how == RUN_STREAM && src.calls_after_end != 0) {
        row_fail(f, "read() called %u times after it returned 0", src.calls_after_end);
        goto out;
    }
    if (how == RUN_STREAM && src.total != (uint64_t)file_size(c->archive)) {
        row_fail(f, "read() gave %llu bytes of %lld", (unsigned long long)src.total,
                 (long long)file_size(c->archive));
        goto out;
    }
    if (how != RUN_PLAIN) {
        size_t files = 0, links = 0;
        if (check_seen(c->dest, "", &rec, &files, &links, f) != 0)
            goto out;
        if (files != rec.nfiles || links != rec.nlinks) {
            row_fail(f, "on_file saw %zu files and on_link %zu links, dest holds %zu and %zu",
                     rec.nfiles, rec.nlinks, files, links);
            goto out;
        }
    }
    ret = 0;
out:
    rec_free(&rec);
    if (ret != 0 && how != RUN_PLAIN) {
        char msg[sizeof(f->msg)];
        snprintf(msg, sizeof(msg), "%s%s", run_names[how], f->msg);
        memcpy(f->msg, msg, sizeof(msg));
    }
    return ret;
}

/* Returns 0 when the row passed, -1 with f->msg set otherwise. */
static int run_row(const struct row *r, struct failure *f)
{
    int ret = -1;
    struct ctx c = {0};

    f->row = r;
    if (make_ctx(&c, fmt_ext(r->fmt)) != 0) {
        row_fail(f, "cannot create temporary directories: %s", strerror(errno));
        goto out;
    }
    if (build_archive(r, &c, f) != 0 || run_once(r, &c, RUN_PLAIN, f) != 0)
        goto out;
    if (r->fmt != F_MISSING) {
        /* the callbacks, from the file then streamed: the same tree both times (a streamed
         * zip aside: no modes, links as files) */
        char *prev = sw_xasprintf("%s/prev", c.tmp);
        int rc = run_once(r, &c, RUN_FILE_CB, f);
        if (rc == 0 && r->code == 0 && rename(c.dest, prev) != 0)
            rc = row_fail(f, "cannot keep the tree: %s", strerror(errno));
        if (rc == 0)
            rc = run_once(r, &c, RUN_STREAM, f);
        if (rc == 0 && r->code == 0 && r->fmt != F_ZIP)
            rc = same_tree(prev, c.dest, "", true, f);
        rm_rf(prev);
        free(prev);
        if (rc != 0)
            goto out;
    }
    ret = 0;
out:
    if (c.tmp[0])
        rm_rf(c.tmp);
    return ret;
}

static void test_row(void **state)
{
    const struct row *r = *state;
    struct failure f = {0};
    if (run_row(r, &f) != 0)
        fail_msg("row '%s': %s", r->name, f.msg);
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

/* A failure on_file returns stops the extraction with the callback's error, before the next
 * entry; a callback that fails without an error gets one naming the entry. */
static void test_on_file_abort(void **state)
{
    (void)state;
    static const struct row r = {.name = "abort",
                                 .fmt = F_TARGZ,
                                 .ents = {FILE_("t/a", "a"), FILE_("t/b", "b"), FILE_("t/c", "c")}};
    for (int quiet = 0; quiet < 2; quiet++) {
        struct ctx c = {0};
        struct failure f = {0};
        struct sw_error err = {0};
        struct recorder rec = {.abort_at = 2, .abort_quietly = quiet};
        struct sw_extract_limits lim = {.on_file = rec_file, .ud = &rec};
        assert_int_equal(make_ctx(&c, "tar.gz"), 0);
        assert_int_equal(build_archive(&r, &c, &f), 0);
        int rc = sw_archive_extract(c.archive, c.dest, &lim, &err);
        char *third = sw_xasprintf("%s/t/c", c.dest);
        struct stat st;
        bool written = lstat(third, &st) == 0;
        free(third);
        size_t seen = rec.nfiles;
        rec_free(&rec);
        rm_rf(c.tmp);
        assert_int_equal(rc, -1);
        assert_int_equal(seen, 2);
        assert_false(written);
        if (!quiet) {
            assert_int_equal(err.code, SW_EXIT_USAGE);
            assert_string_equal(err.msg, "recorder says no");
        } else {
            assert_int_equal(err.code, SW_EXIT_FAILURE);
            assert_string_equal(err.msg, "extraction stopped at archive entry 't/b' by its "
                                         "caller without a reason");
        }
    }
}

/* read() failing half way: its error comes back as it was set, class and message. */
static void test_stream_source_error(void **state)
{
    (void)state;
    static const struct row r = {
        .name = "source error", .fmt = F_TAR, .ents = {FILL_("wash", 100000)}};
    struct ctx c = {0};
    struct failure f = {0};
    struct sw_error err = {0};
    struct source src = {.chunk = 8192, .fail_after = 30000};
    assert_int_equal(make_ctx(&c, "tar"), 0);
    assert_int_equal(build_archive(&r, &c, &f), 0);
    src.fd = open(c.archive, O_RDONLY);
    int rc = sw_archive_extract_cb(source_read, &src, "x.tar", c.dest, NULL, &err);
    close(src.fd);
    rm_rf(c.tmp);
    assert_int_equal(rc, -1);
    assert_int_equal(err.code, SW_EXIT_NETWORK);
    assert_string_equal(err.msg, "downloading x: connection reset");
}

/* One byte at a time, and bytes after the archive's end: every byte still goes through read(),
 * and read() is not called again once it returned 0. */
static void test_stream_every_byte(void **state)
{
    (void)state;
    static const struct row rs[] = {
        {.name = "tar.gz", .fmt = F_TARGZ, .ents = {DIR_("t/"), EXEC_("t/wash", WASH)}},
        {.name = "zip", .fmt = F_ZIP, .ents = {DIR_("t/"), EXEC_("t/wash.exe", WASH_EXE)}},
        {.name = "tar", .fmt = F_TAR, .ents = {FILL_("t/big", 70000)}},
    };
    for (size_t i = 0; i < sizeof(rs) / sizeof(rs[0]); i++) {
        for (int junk = 0; junk < 2; junk++) {
            struct ctx c = {0};
            struct failure f = {0};
            struct sw_error err = {0};
            struct source src;
            assert_int_equal(make_ctx(&c, fmt_ext(rs[i].fmt)), 0);
            assert_int_equal(build_archive(&rs[i], &c, &f), 0);
            if (junk && rs[i].fmt == F_TAR) { /* tar stops at its end-of-archive blocks */
                FILE *a = fopen(c.archive, "ab");
                assert_non_null(a);
                for (int k = 0; k < 5000; k++)
                    fputc(k & 0xff, a);
                fclose(a);
            }
            int rc = stream_file(c.archive, c.dest, NULL, junk ? 1 : 3, &src, &err);
            long long size = file_size(c.archive);
            rm_rf(c.tmp);
            if (rc != 0)
                fail_msg("%s: %s", rs[i].name, err.msg);
            assert_int_equal(src.total, size);
            assert_int_equal(src.calls_after_end, 0);
        }
    }
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
    size_t nrows = sizeof(rows) / sizeof(rows[0]);
    const struct CMUnitTest fixed[] = {
        cmocka_unit_test(test_write_error_is_fs),   cmocka_unit_test(test_missing_dest_is_fs),
        cmocka_unit_test(test_is_archive_name),     cmocka_unit_test(test_on_file_abort),
        cmocka_unit_test(test_stream_source_error), cmocka_unit_test(test_stream_every_byte),
    };
    size_t nfixed = sizeof(fixed) / sizeof(fixed[0]);
    struct CMUnitTest *tests = calloc(nrows + nfixed, sizeof(*tests));
    umask(022);
    for (size_t i = 0; i < nrows; i++)
        tests[i] = (struct CMUnitTest){rows[i].name, test_row, NULL, NULL, (void *)&rows[i]};
    memcpy(tests + nrows, fixed, sizeof(fixed));
    int rc = _cmocka_run_group_tests("archive", tests, nrows + nfixed, NULL, NULL);
    free(tests);
    return rc;
}
