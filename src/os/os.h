/* The platform layer: everything setup-wash asks of the operating system that POSIX and
 * Windows do differently, behind one header. os_posix.c and proc_posix.c implement it on
 * Linux and macOS, os_win32.c and proc_win32.c on Windows (CMake picks the pair); nothing
 * outside src/os/ includes a system header of either (tests/integration/test_layout.py).
 *
 * Conventions, the same on both:
 * - Paths are UTF-8. On Windows they become UTF-16 at each system call, '/' and '\' both
 *   separate, and long paths work (the \\?\ form is added for absolute paths).
 * - Files are C runtime descriptors (int): read, write and close through sw_os_read,
 *   sw_os_write and sw_os_close. Every descriptor is close-on-exec / not inherited.
 * - Failures return -1 with errno set to the POSIX code (ENOENT, EEXIST, ELOOP for a link
 *   that was not to be followed, EACCES, ...), so callers word messages with strerror() alike.
 */
#ifndef SW_OS_H
#define SW_OS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/buf.h"
#include "core/error.h"

#ifdef _WIN32
#define SW_ON_WINDOWS 1
#define SW_OS_PATH_LIST_SEP ';' /* between the entries of PATH */
#define SW_OS_EXE_SUFFIX ".exe"
typedef long long sw_ssize;
#else
#define SW_ON_WINDOWS 0
#define SW_OS_PATH_LIST_SEP ':'
#define SW_OS_EXE_SUFFIX ""
typedef long sw_ssize;
#endif

/* ---- the program's entry ----
 * src/main.c defines sw_main; the layer's main (wmain on Windows, with the arguments turned
 * into UTF-8) calls it after sw_os_init. */
int sw_main(int argc, char **argv);

/* Once, first: the console takes UTF-8 (Windows), and broken pipes are errors, not signals. */
void sw_os_init(void);

/* ---- the environment ---- */
/* The variable's value as UTF-8, NULL when unset. The string lives until exit. */
const char *sw_os_getenv(const char *name);
/* A path read from the environment or the command line in this platform's usual form, in the
 * form setup-wash works with: on Windows '\' becomes '/'; elsewhere a copy. Caller frees. */
char *sw_os_path_in(const char *path);
/* A path setup-wash built, in the form this platform's users and tools expect (runner files,
 * messages about where things are): on Windows '/' becomes '\'; elsewhere a copy. */
char *sw_os_path_out(const char *path);
/* Whether path is absolute: "/..." everywhere; on Windows also "C:/...", "C:\..." and UNC
 * ("//server/..."). */
bool sw_os_path_is_abs(const char *path);
/* The working directory (malloc'd, '/'-separated) or NULL with errno. */
char *sw_os_getcwd(void);
/* path made absolute against the working directory (malloc'd, '/'-separated; "." and ".."
 * kept on POSIX), or NULL with errno. On Windows a path on the current drive's root ("\tmp")
 * or relative to a drive ("C:x") gets its drive too, as GetFullPathNameW resolves it. */
char *sw_os_abspath(const char *path);
/* The absolute path with every symbolic link (reparse point) resolved, of an existing file or
 * directory; malloc'd, or NULL with errno. */
char *sw_os_realpath(const char *path);
int sw_os_getpid(void);

/* ---- the console ---- */
bool sw_os_isatty(FILE *f);
/* Whether ANSI colour sequences reach f as colour: a terminal, and on Windows one whose
 * virtual-terminal mode could be turned on. */
bool sw_os_color_ok(FILE *f);

/* ---- time ---- */
long sw_os_now_ms(void); /* monotonic */
void sw_os_sleep_ms(long ms);

/* ---- the host ---- */
/* The kernel's name ("Linux", "Darwin", "Windows") and machine ("x86_64", "aarch64",
 * "arm64"), as uname(2) gives them; "x86_64" and "arm64" on Windows. */
int sw_os_uname(char *sys, size_t nsys, char *machine, size_t nmachine);
/* Linux: whether a file matching the glob pattern (relative to root) exists. */
bool sw_os_glob_exists(const char *root, const char *pattern);

/* ---- files ---- */
enum sw_os_kind {
    SW_OS_REG = 1,
    SW_OS_DIR,
    SW_OS_LINK, /* a symbolic link, or on Windows any reparse point (junctions too) */
    SW_OS_CHR,
    SW_OS_BLK,
    SW_OS_FIFO,
    SW_OS_SOCK,
    SW_OS_OTHER,
};
struct sw_os_stat {
    enum sw_os_kind kind;
    uint64_t size;
    int64_t mtime_ns, ctime_ns; /* on Windows, ctime is the change time NTFS keeps */
    uint64_t dev, ino;          /* on Windows the volume serial number and the file index */
    bool exec;                  /* POSIX: someone may execute it; Windows: false */
};
/* path's status; follow: follow a symbolic link at the last component. */
int sw_os_stat(const char *path, bool follow, struct sw_os_stat *st);
int sw_os_fstat(int fd, struct sw_os_stat *st);

enum {
    SW_O_RDONLY = 0,
    SW_O_WRONLY = 1,
    SW_O_RDWR = 2,
    SW_O_CREAT = 0x10,
    SW_O_EXCL = 0x20,
    SW_O_TRUNC = 0x40,
    SW_O_APPEND = 0x80,   /* each write lands at the end, whole (runner files) */
    SW_O_NOFOLLOW = 0x100, /* a link at the last component fails with ELOOP */
    SW_O_NONBLOCK = 0x200, /* opening a FIFO does not block (the flag is cleared once open) */
};
/* Opens path (mode for a created file: POSIX permission bits, only 0100 matters on Windows). */
int sw_os_open(const char *path, int flags, int mode);
sw_ssize sw_os_read(int fd, void *buf, size_t n);
sw_ssize sw_os_write(int fd, const void *buf, size_t n);
int sw_os_close(int fd);
int sw_os_fsync(int fd);
int sw_os_ftruncate(int fd, uint64_t len);
int sw_os_rewind(int fd); /* back to offset 0 */
int sw_os_fchmod(int fd, int mode); /* Windows: nothing to do, success */
int sw_os_chmod(const char *path, int mode);
/* Creates and opens a new file named template with its trailing "XXXXXX" replaced. */
int sw_os_mkstemp(char *template_path);
/* Copies what remains of in to out (copy_file_range where the kernel can). */
int sw_os_copy_fd(int in, int out);
/* Maps len bytes of fd read-only (len > 0); sw_os_unmap releases them. */
const unsigned char *sw_os_map(int fd, size_t len);
void sw_os_unmap(const unsigned char *data, size_t len);
/* n bytes (n > 0) of zeroed memory whose pages are all present at once (Linux: MAP_POPULATE,
 * one system call where touching them would take a page fault per 4 KiB), for a big buffer
 * filled once; NULL when there is none. sw_os_free_pages(p, n) releases it. */
void *sw_os_alloc_pages(size_t n);
void sw_os_free_pages(void *p, size_t n);
/* Blocks until an exclusive lock on the whole of fd is granted (flock, LockFileEx). */
int sw_os_lock(int fd);
void sw_os_unlock(int fd);

int sw_os_mkdir(const char *path, int mode);
int sw_os_rmdir(const char *path);
int sw_os_unlink(const char *path);
/* Renames from to to, replacing a file at to (on Windows MoveFileExW with
 * MOVEFILE_REPLACE_EXISTING, retried for up to 5 s while a scanner or indexer holds either). */
int sw_os_rename(const char *from, const char *to);

/* A directory's entries, "." and ".." left out. */
struct sw_os_dir;
struct sw_os_dir *sw_os_opendir(const char *path);
const char *sw_os_readdir(struct sw_os_dir *d); /* NULL at the end */
void sw_os_closedir(struct sw_os_dir *d);

/* Walking a tree that must not be redirected (archive extraction): a handle on a directory,
 * subdirectories opened (and created) one component at a time without following a link, and
 * new files created in one. POSIX holds descriptors (openat, O_NOFOLLOW); Windows checks each
 * component for a reparse point before and after use. */
struct sw_os_walk;
struct sw_os_walk *sw_os_walk_open(const char *dir);
/* The subdirectory name (one component) of w, created with mode 0755 when missing. Fails with
 * ENOTDIR or ELOOP when name is a file or a link. */
struct sw_os_walk *sw_os_walk_sub(struct sw_os_walk *w, const char *name);
/* A new file name in w (EEXIST when there is one), open for writing. */
int sw_os_walk_create(struct sw_os_walk *w, const char *name, int mode);
void sw_os_walk_close(struct sw_os_walk *w);

/* ---- processes ---- */
struct sw_proc_spec {
    const char *path;         /* the executable, a path (see sw_proc_which) */
    const char *const *argv;  /* NULL-terminated; argv[0] is what the program sees */
    const char *dir;          /* working directory; NULL keeps ours */
    const char *const *env;   /* "NAME=value" set or replaced in our environment,
                                 NULL-terminated; NULL adds nothing */
    const char *stdin_data;   /* text written to the program's stdin, then EOF; NULL:
                                 stdin is the null device */
    long timeout_ms;          /* > 0 */
    size_t max_out;           /* cap per stream; more is read and dropped; 0: 64 KiB */
};

enum sw_proc_state {
    SW_PROC_EXITED,   /* status is the exit code */
    SW_PROC_SIGNALED, /* status is the signal number (never on Windows) */
    SW_PROC_TIMEOUT,  /* killed at the deadline, with every process it started */
    SW_PROC_NOSTART,  /* could not start: errno_start says why */
};

struct sw_proc_result {
    enum sw_proc_state state;
    int status;
    int errno_start;
    struct sw_buf out, err; /* captured stdout and stderr, NUL-terminated */
    bool truncated;         /* a stream passed max_out */
    long elapsed_ms;
};

#define SW_PROC_DEFAULT_CAP (64u * 1024u)
/* how long output pipes may stay open after the program exited (a child of its own) */
#define SW_PROC_LINGER_MS 200

/* Runs n programs concurrently and waits for all of them; see io/proc.h. POSIX: a process
 * group per program, killed with SIGKILL. Windows: a job object per program, terminated;
 * a .cmd or .bat runs through cmd.exe /d /s /c, and an argument cmd.exe would interpret
 * (", %, !, ^, &, |, <, >, a line break) is refused (NOSTART, EINVAL) rather than passed. */
int sw_os_run_many(const struct sw_proc_spec *specs, size_t n, struct sw_proc_result *res,
                   struct sw_error *err);

/* Whether path is a file this platform would run: a regular file with an execute bit (POSIX),
 * a regular file (Windows). */
bool sw_os_executable(const char *path);
/* The extensions to try after a bare command name, in order, ';'-separated: PATHEXT (default
 * ".COM;.EXE;.BAT;.CMD") on Windows; "" elsewhere. */
const char *sw_os_exe_exts(void);

/* ---- threads (io/stream.c: a download unpacked on its own thread as it arrives) ----
 * A thread runs fn(arg) with a stack of at least 1 MiB (musl's default is 128 KiB); a mutex and
 * a condition variable as pthreads has them (not recursive; a wait may wake spuriously, so it
 * sits in a loop over its condition). pthreads on POSIX; _beginthreadex, SRWLOCK and
 * CONDITION_VARIABLE on Windows. Creating a mutex or a condition variable never fails (an
 * allocation failure aborts); a thread that cannot start is NULL with errno. */
struct sw_os_thread;
/* The processors this process may run on (its affinity mask on Linux), at least 1. */
int sw_os_cpu_count(void);
struct sw_os_thread *sw_os_thread_start(int (*fn)(void *arg), void *arg);
/* Waits for the thread to end, frees it, and returns fn's value. */
int sw_os_thread_join(struct sw_os_thread *t);
struct sw_os_mutex;
struct sw_os_mutex *sw_os_mutex_new(void);
void sw_os_mutex_free(struct sw_os_mutex *m); /* NULL is fine */
void sw_os_mutex_lock(struct sw_os_mutex *m);
void sw_os_mutex_unlock(struct sw_os_mutex *m);
struct sw_os_cond;
struct sw_os_cond *sw_os_cond_new(void);
void sw_os_cond_free(struct sw_os_cond *c); /* NULL is fine */
/* Releases m (held by the caller), waits for a broadcast, and takes m again. */
void sw_os_cond_wait(struct sw_os_cond *c, struct sw_os_mutex *m);
void sw_os_cond_broadcast(struct sw_os_cond *c);

#endif
