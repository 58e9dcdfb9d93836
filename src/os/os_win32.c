/* The platform layer on Windows (see os.h): UTF-8 paths become UTF-16 at every call, files are
 * CreateFileW handles wrapped in C runtime descriptors, errors become POSIX errno values. */
#include "os/os.h"

#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "os/win32.h"

/* ---- text and errors ---- */

wchar_t *sw_os_wide(const char *s)
{
    int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, NULL, 0);
    if (n <= 0) {
        errno = EILSEQ;
        return NULL;
    }
    wchar_t *w = sw_xcalloc((size_t)n, sizeof(wchar_t));
    MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, w, n);
    return w;
}

char *sw_os_narrow(const wchar_t *w)
{
    int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
    char *s = sw_xcalloc(n > 0 ? (size_t)n : 1, 1);
    if (n > 0)
        WideCharToMultiByte(CP_UTF8, 0, w, -1, s, n, NULL, NULL);
    return s;
}

int sw_os_errno_of(DWORD e)
{
    switch (e) {
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND:
    case ERROR_INVALID_DRIVE:
    case ERROR_BAD_NETPATH:
    case ERROR_BAD_NET_NAME:
    case ERROR_DIRECTORY:
        return ENOENT;
    case ERROR_ACCESS_DENIED:
    case ERROR_SHARING_VIOLATION:
    case ERROR_LOCK_VIOLATION:
    case ERROR_WRITE_PROTECT:
        return EACCES;
    case ERROR_FILE_EXISTS:
    case ERROR_ALREADY_EXISTS:
        return EEXIST;
    case ERROR_DIR_NOT_EMPTY:
        return ENOTEMPTY;
    case ERROR_DISK_FULL:
    case ERROR_HANDLE_DISK_FULL:
        return ENOSPC;
    case ERROR_NOT_SAME_DEVICE:
        return EXDEV;
    case ERROR_FILENAME_EXCED_RANGE:
        return ENAMETOOLONG;
    case ERROR_INVALID_NAME:
    case ERROR_INVALID_PARAMETER:
        return EINVAL;
    case ERROR_BAD_EXE_FORMAT:
    case ERROR_EXE_MACHINE_TYPE_MISMATCH:
        return ENOEXEC;
    case ERROR_NOT_ENOUGH_MEMORY:
    case ERROR_OUTOFMEMORY:
        return ENOMEM;
    case ERROR_BROKEN_PIPE:
    case ERROR_NO_DATA:
        return EPIPE;
    case ERROR_CANT_RESOLVE_FILENAME:
        return ELOOP;
    default:
        return EIO;
    }
}

static int fail_win(void)
{
    errno = sw_os_errno_of(GetLastError());
    return -1;
}

/* '/' becomes '\', and an absolute path too long for MAX_PATH gets the \\?\ form (after
 * GetFullPathNameW removes "." and ".."; \\?\ takes names literally). */
wchar_t *sw_os_wpath(const char *path)
{
    wchar_t *w = sw_os_wide(path);
    if (!w)
        return NULL;
    for (wchar_t *p = w; *p; p++)
        if (*p == L'/')
            *p = L'\\';
    size_t len = wcslen(w);
    if (len < MAX_PATH - 12 || wcsncmp(w, L"\\\\?\\", 4) == 0)
        return w;
    DWORD n = GetFullPathNameW(w, 0, NULL, NULL);
    if (n == 0)
        return w;
    wchar_t *full = sw_xcalloc((size_t)n + 8, sizeof(wchar_t));
    GetFullPathNameW(w, n, full, NULL);
    free(w);
    wchar_t *out = sw_xcalloc((size_t)n + 16, sizeof(wchar_t));
    if (wcsncmp(full, L"\\\\", 2) == 0) { /* \\server\share\x -> \\?\UNC\server\share\x */
        wcscpy(out, L"\\\\?\\UNC\\");
        wcscat(out, full + 2);
    } else {
        wcscpy(out, L"\\\\?\\");
        wcscat(out, full);
    }
    free(full);
    return out;
}

/* ---- the environment ---- */

void sw_os_init(void)
{
    SetConsoleOutputCP(CP_UTF8);
    /* no "The program has stopped working" dialog for a crash, no box for a missing drive */
    SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX);
}

struct env_entry {
    char *name, *value;
    struct env_entry *next;
};

const char *sw_os_getenv(const char *name)
{
    /* values are kept for the program's life, so repeated lookups return the same string */
    static struct env_entry *seen;
    for (struct env_entry *e = seen; e; e = e->next)
        if (strcmp(e->name, name) == 0)
            return e->value;
    wchar_t *wn = sw_os_wide(name);
    if (!wn)
        return NULL;
    DWORD n = GetEnvironmentVariableW(wn, NULL, 0);
    char *value = NULL;
    if (n > 0) {
        wchar_t *wv = sw_xcalloc((size_t)n + 1, sizeof(wchar_t));
        DWORD got = GetEnvironmentVariableW(wn, wv, n + 1);
        if (got > 0 || GetLastError() != ERROR_ENVVAR_NOT_FOUND)
            value = sw_os_narrow(wv);
        free(wv);
    }
    free(wn);
    struct env_entry *e = sw_xcalloc(1, sizeof(*e));
    e->name = sw_xstrdup(name);
    e->value = value;
    e->next = seen;
    seen = e;
    return value;
}

char *sw_os_path_in(const char *path)
{
    char *p = sw_xstrdup(path);
    for (char *c = p; *c; c++)
        if (*c == '\\')
            *c = '/';
    return p;
}

/* A path a wide API returned, in setup-wash's form: UTF-8, '/'-separated. */
static char *path_from_wide(const wchar_t *w)
{
    char *u = sw_os_narrow(w);
    char *p = sw_os_path_in(u);
    free(u);
    return p;
}

char *sw_os_path_out(const char *path)
{
    char *p = sw_xstrdup(path);
    for (char *c = p; *c; c++)
        if (*c == '/')
            *c = '\\';
    return p;
}

bool sw_os_path_is_abs(const char *p)
{
    bool drive = ((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z')) && p[1] == ':' &&
                 (p[2] == '/' || p[2] == '\\');
    return drive || p[0] == '/' || p[0] == '\\';
}

char *sw_os_getcwd(void)
{
    DWORD n = GetCurrentDirectoryW(0, NULL);
    if (n == 0) {
        fail_win();
        return NULL;
    }
    wchar_t *w = sw_xcalloc((size_t)n + 1, sizeof(wchar_t));
    GetCurrentDirectoryW(n + 1, w);
    char *p = path_from_wide(w);
    free(w);
    return p;
}

char *sw_os_abspath(const char *path)
{
    wchar_t *w = sw_os_wide(path);
    if (!w)
        return NULL;
    DWORD n = GetFullPathNameW(w, 0, NULL, NULL);
    wchar_t *full = n ? sw_xcalloc((size_t)n + 1, sizeof(wchar_t)) : NULL;
    if (!full || GetFullPathNameW(w, n + 1, full, NULL) == 0) {
        free(w);
        free(full);
        fail_win();
        return NULL;
    }
    free(w);
    char *p = path_from_wide(full);
    free(full);
    return p;
}

char *sw_os_realpath(const char *path)
{
    wchar_t *w = sw_os_wpath(path);
    if (!w)
        return NULL;
    HANDLE h = CreateFileW(w, FILE_READ_ATTRIBUTES, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                           NULL, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
    free(w);
    if (h == INVALID_HANDLE_VALUE) {
        fail_win();
        return NULL;
    }
    wchar_t buf[32768];
    DWORD n = GetFinalPathNameByHandleW(h, buf, 32768, FILE_NAME_NORMALIZED | VOLUME_NAME_DOS);
    CloseHandle(h);
    if (n == 0 || n >= 32768) {
        fail_win();
        return NULL;
    }
    const wchar_t *s = buf;
    wchar_t unc[32770];
    if (wcsncmp(s, L"\\\\?\\UNC\\", 8) == 0) {
        unc[0] = L'\\';
        wcscpy(unc + 1, s + 7); /* \\?\UNC\server -> \\server */
        s = unc;
    } else if (wcsncmp(s, L"\\\\?\\", 4) == 0) {
        s += 4;
    }
    return path_from_wide(s);
}

int sw_os_getpid(void)
{
    return (int)GetCurrentProcessId();
}

/* ---- the console ---- */

bool sw_os_isatty(FILE *f)
{
    return _isatty(_fileno(f)) != 0;
}

bool sw_os_color_ok(FILE *f)
{
    HANDLE h = (HANDLE)_get_osfhandle(_fileno(f));
    DWORD mode;
    if (h == INVALID_HANDLE_VALUE || !GetConsoleMode(h, &mode))
        return false;
    return (mode & ENABLE_VIRTUAL_TERMINAL_PROCESSING) ||
           SetConsoleMode(h, mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING);
}

/* ---- time and the host ---- */

long sw_os_now_ms(void)
{
    return (long)GetTickCount64();
}

void sw_os_sleep_ms(long ms)
{
    Sleep(ms > 0 ? (DWORD)ms : 0);
}

int sw_os_uname(char *sys, size_t nsys, char *machine, size_t nmachine)
{
    SYSTEM_INFO si;
    GetNativeSystemInfo(&si);
    const char *m = si.wProcessorArchitecture == PROCESSOR_ARCHITECTURE_AMD64   ? "x86_64"
                    : si.wProcessorArchitecture == PROCESSOR_ARCHITECTURE_ARM64 ? "arm64"
                                                                                : "x86";
    snprintf(sys, nsys, "Windows");
    snprintf(machine, nmachine, "%s", m);
    return 0;
}

bool sw_os_glob_exists(const char *root, const char *pattern)
{
    (void)root, (void)pattern;
    return false;
}

/* ---- files ---- */

static int64_t ft_ns(LARGE_INTEGER t)
{
    return (int64_t)t.QuadPart * 100; /* 100 ns units since 1601 */
}

static int stat_handle(HANDLE h, struct sw_os_stat *st)
{
    memset(st, 0, sizeof(*st));
    DWORD type = GetFileType(h);
    if (type == FILE_TYPE_CHAR) {
        st->kind = SW_OS_CHR;
        return 0;
    }
    if (type == FILE_TYPE_PIPE) {
        st->kind = SW_OS_FIFO;
        return 0;
    }
    BY_HANDLE_FILE_INFORMATION bi;
    if (!GetFileInformationByHandle(h, &bi))
        return fail_win();
    FILE_BASIC_INFO basic;
    bool have_basic = GetFileInformationByHandleEx(h, FileBasicInfo, &basic, sizeof(basic));
    st->kind = (bi.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) ? SW_OS_LINK
               : (bi.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)   ? SW_OS_DIR
                                                                    : SW_OS_REG;
    st->size = ((uint64_t)bi.nFileSizeHigh << 32) | bi.nFileSizeLow;
    LARGE_INTEGER mt;
    mt.LowPart = bi.ftLastWriteTime.dwLowDateTime;
    mt.HighPart = (LONG)bi.ftLastWriteTime.dwHighDateTime;
    st->mtime_ns = ft_ns(mt);
    st->ctime_ns = have_basic ? ft_ns(basic.ChangeTime) : st->mtime_ns;
    st->dev = bi.dwVolumeSerialNumber;
    st->ino = ((uint64_t)bi.nFileIndexHigh << 32) | bi.nFileIndexLow;
    st->exec = false;
    return 0;
}

#define SHARE_ALL (FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE)

int sw_os_stat(const char *path, bool follow, struct sw_os_stat *st)
{
    wchar_t *w = sw_os_wpath(path);
    if (!w)
        return -1;
    DWORD flags = FILE_FLAG_BACKUP_SEMANTICS | (follow ? 0 : FILE_FLAG_OPEN_REPARSE_POINT);
    HANDLE h = CreateFileW(w, FILE_READ_ATTRIBUTES, SHARE_ALL, NULL, OPEN_EXISTING, flags, NULL);
    free(w);
    if (h == INVALID_HANDLE_VALUE)
        return fail_win();
    int rc = stat_handle(h, st);
    CloseHandle(h);
    if (rc == 0 && follow && st->kind == SW_OS_LINK)
        st->kind = SW_OS_OTHER; /* a reparse point that is not a link (a dedup or cloud file) */
    return rc;
}

int sw_os_fstat(int fd, struct sw_os_stat *st)
{
    HANDLE h = (HANDLE)_get_osfhandle(fd);
    if (h == INVALID_HANDLE_VALUE) {
        errno = EBADF;
        return -1;
    }
    return stat_handle(h, st);
}

int sw_os_open(const char *path, int flags, int mode)
{
    (void)mode;
    wchar_t *w = sw_os_wpath(path);
    if (!w)
        return -1;
    int acc = flags & 3;
    DWORD access = acc == SW_O_RDONLY ? GENERIC_READ
                   : acc == SW_O_WRONLY ? GENERIC_WRITE
                                        : GENERIC_READ | GENERIC_WRITE;
    if (flags & SW_O_APPEND) /* appends are atomic only without plain write access */
        access = (access & GENERIC_READ) | FILE_APPEND_DATA | FILE_READ_ATTRIBUTES | SYNCHRONIZE;
    DWORD disp = OPEN_EXISTING;
    if ((flags & SW_O_CREAT) && (flags & SW_O_EXCL))
        disp = CREATE_NEW;
    else if ((flags & SW_O_CREAT) && (flags & SW_O_TRUNC))
        disp = CREATE_ALWAYS;
    else if (flags & SW_O_CREAT)
        disp = OPEN_ALWAYS;
    else if (flags & SW_O_TRUNC)
        disp = TRUNCATE_EXISTING;
    DWORD attrs = FILE_ATTRIBUTE_NORMAL | FILE_FLAG_BACKUP_SEMANTICS;
    if (flags & SW_O_NOFOLLOW)
        attrs |= FILE_FLAG_OPEN_REPARSE_POINT;
    HANDLE h = CreateFileW(w, access, SHARE_ALL, NULL, disp, attrs, NULL);
    free(w);
    if (h == INVALID_HANDLE_VALUE)
        return fail_win();
    if (flags & SW_O_NOFOLLOW) {
        BY_HANDLE_FILE_INFORMATION bi;
        if (GetFileType(h) == FILE_TYPE_DISK && GetFileInformationByHandle(h, &bi) &&
            (bi.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT)) {
            CloseHandle(h);
            errno = ELOOP;
            return -1;
        }
    }
    int cflags = _O_BINARY | _O_NOINHERIT | (acc == SW_O_RDONLY ? _O_RDONLY : 0);
    int fd = _open_osfhandle((intptr_t)h, cflags);
    if (fd < 0) {
        CloseHandle(h);
        errno = EMFILE;
    }
    return fd;
}

sw_ssize sw_os_read(int fd, void *buf, size_t n)
{
    return _read(fd, buf, n > 0x40000000u ? 0x40000000u : (unsigned)n);
}

sw_ssize sw_os_write(int fd, const void *buf, size_t n)
{
    return _write(fd, buf, n > 0x40000000u ? 0x40000000u : (unsigned)n);
}

int sw_os_close(int fd)
{
    return _close(fd);
}

int sw_os_fsync(int fd)
{
    return _commit(fd);
}

int sw_os_ftruncate(int fd, uint64_t len)
{
    int e = _chsize_s(fd, (long long)len);
    if (e) {
        errno = e;
        return -1;
    }
    return 0;
}

int sw_os_rewind(int fd)
{
    return _lseeki64(fd, 0, SEEK_SET) < 0 ? -1 : 0;
}

int sw_os_fchmod(int fd, int mode)
{
    (void)fd, (void)mode; /* Windows runs a file by its name, not by a mode bit */
    return 0;
}

int sw_os_chmod(const char *path, int mode)
{
    (void)path, (void)mode;
    return 0;
}

int sw_os_mkstemp(char *template_path)
{
    size_t len = strlen(template_path);
    if (len < 6 || strcmp(template_path + len - 6, "XXXXXX") != 0) {
        errno = EINVAL;
        return -1;
    }
    static const char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    static unsigned long counter;
    for (int attempt = 0; attempt < 100; attempt++) {
        unsigned long long v = GetTickCount64() ^ ((unsigned long long)GetCurrentProcessId() << 20) ^
                               ((unsigned long long)++counter * 2654435761u);
        for (int i = 0; i < 6; i++) {
            template_path[len - 6 + i] = chars[v % 36];
            v /= 36;
        }
        int fd = sw_os_open(template_path, SW_O_RDWR | SW_O_CREAT | SW_O_EXCL, 0600);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    errno = EEXIST;
    return -1;
}

int sw_os_copy_fd(int in, int out)
{
    char buf[65536];
    sw_ssize n;
    while ((n = sw_os_read(in, buf, sizeof(buf))) > 0)
        if (sw_os_write(out, buf, (size_t)n) != n)
            return -1;
    return n < 0 ? -1 : 0;
}

const unsigned char *sw_os_map(int fd, size_t len)
{
    HANDLE h = (HANDLE)_get_osfhandle(fd);
    HANDLE m = CreateFileMappingW(h, NULL, PAGE_READONLY, 0, 0, NULL);
    if (!m) {
        fail_win();
        return NULL;
    }
    void *p = MapViewOfFile(m, FILE_MAP_READ, 0, 0, len);
    if (!p)
        fail_win();
    CloseHandle(m); /* the view keeps the mapping */
    return p;
}

void sw_os_unmap(const unsigned char *data, size_t len)
{
    (void)len;
    UnmapViewOfFile(data);
}

int sw_os_lock(int fd)
{
    OVERLAPPED ov = {0};
    HANDLE h = (HANDLE)_get_osfhandle(fd);
    return LockFileEx(h, LOCKFILE_EXCLUSIVE_LOCK, 0, MAXDWORD, MAXDWORD, &ov) ? 0 : fail_win();
}

void sw_os_unlock(int fd)
{
    OVERLAPPED ov = {0};
    UnlockFileEx((HANDLE)_get_osfhandle(fd), 0, MAXDWORD, MAXDWORD, &ov);
}

int sw_os_mkdir(const char *path, int mode)
{
    (void)mode;
    wchar_t *w = sw_os_wpath(path);
    if (!w)
        return -1;
    BOOL ok = CreateDirectoryW(w, NULL);
    free(w);
    return ok ? 0 : fail_win();
}

int sw_os_rmdir(const char *path)
{
    wchar_t *w = sw_os_wpath(path);
    if (!w)
        return -1;
    BOOL ok = RemoveDirectoryW(w);
    free(w);
    return ok ? 0 : fail_win();
}

int sw_os_unlink(const char *path)
{
    wchar_t *w = sw_os_wpath(path);
    if (!w)
        return -1;
    BOOL ok = DeleteFileW(w);
    if (!ok && GetLastError() == ERROR_ACCESS_DENIED) {
        /* a read-only file (as an unpacked archive may leave) is deleted as POSIX would */
        DWORD a = GetFileAttributesW(w);
        if (a != INVALID_FILE_ATTRIBUTES && (a & FILE_ATTRIBUTE_READONLY) &&
            SetFileAttributesW(w, a & ~(DWORD)FILE_ATTRIBUTE_READONLY))
            ok = DeleteFileW(w);
        if (!ok)
            SetLastError(ERROR_ACCESS_DENIED);
    }
    free(w);
    return ok ? 0 : fail_win();
}

int sw_os_rename(const char *from, const char *to)
{
    wchar_t *wf = sw_os_wpath(from), *wt = wf ? sw_os_wpath(to) : NULL;
    int rc = -1;
    if (wf && wt) {
        /* an antivirus scanner or the indexer may hold either file for a moment */
        for (int waited = 0;; waited += 50) {
            if (MoveFileExW(wf, wt, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
                rc = 0;
                break;
            }
            DWORD e = GetLastError();
            if ((e != ERROR_ACCESS_DENIED && e != ERROR_SHARING_VIOLATION &&
                 e != ERROR_LOCK_VIOLATION) ||
                waited >= 5000) {
                errno = sw_os_errno_of(e);
                break;
            }
            Sleep(50);
        }
    }
    free(wf);
    free(wt);
    return rc;
}

struct sw_os_dir {
    HANDLE find;
    WIN32_FIND_DATAW data;
    bool first; /* data holds an entry not yet returned */
    char *name;
};

struct sw_os_dir *sw_os_opendir(const char *path)
{
    char *pattern = sw_xasprintf("%s/*", path);
    wchar_t *w = sw_os_wpath(pattern);
    free(pattern);
    if (!w)
        return NULL;
    struct sw_os_dir *d = sw_xcalloc(1, sizeof(*d));
    d->find = FindFirstFileW(w, &d->data);
    free(w);
    if (d->find == INVALID_HANDLE_VALUE) {
        fail_win();
        free(d);
        return NULL;
    }
    d->first = true;
    return d;
}

const char *sw_os_readdir(struct sw_os_dir *d)
{
    for (;;) {
        if (!d->first && !FindNextFileW(d->find, &d->data))
            return NULL;
        d->first = false;
        if (wcscmp(d->data.cFileName, L".") == 0 || wcscmp(d->data.cFileName, L"..") == 0)
            continue;
        free(d->name);
        d->name = sw_os_narrow(d->data.cFileName);
        return d->name;
    }
}

void sw_os_closedir(struct sw_os_dir *d)
{
    if (d) {
        FindClose(d->find);
        free(d->name);
        free(d);
    }
}

/* Windows has no openat: a walk holds the directory's path, and each component is checked
 * for a reparse point (a link or a junction) after it is created or found. The staging
 * directory it walks is setup-wash's own, made a moment before. */
struct sw_os_walk {
    char *path;
};

struct sw_os_walk *sw_os_walk_open(const char *dir)
{
    struct sw_os_stat st;
    if (sw_os_stat(dir, true, &st) < 0)
        return NULL;
    if (st.kind != SW_OS_DIR) {
        errno = ENOTDIR;
        return NULL;
    }
    struct sw_os_walk *w = sw_xcalloc(1, sizeof(*w));
    w->path = sw_xstrdup(dir);
    return w;
}

struct sw_os_walk *sw_os_walk_sub(struct sw_os_walk *w, const char *name)
{
    char *p = sw_xasprintf("%s/%s", w->path, name);
    struct sw_os_stat st;
    if (sw_os_mkdir(p, 0755) < 0 && errno != EEXIST)
        goto fail;
    if (sw_os_stat(p, false, &st) < 0)
        goto fail;
    if (st.kind != SW_OS_DIR) {
        errno = st.kind == SW_OS_LINK ? ELOOP : ENOTDIR;
        goto fail;
    }
    struct sw_os_walk *sub = sw_xcalloc(1, sizeof(*sub));
    sub->path = p;
    return sub;
fail:
    free(p);
    return NULL;
}

int sw_os_walk_create(struct sw_os_walk *w, const char *name, int mode)
{
    char *p = sw_xasprintf("%s/%s", w->path, name);
    int fd = sw_os_open(p, SW_O_WRONLY | SW_O_CREAT | SW_O_EXCL | SW_O_NOFOLLOW, mode);
    free(p);
    return fd;
}

void sw_os_walk_close(struct sw_os_walk *w)
{
    if (w) {
        free(w->path);
        free(w);
    }
}

bool sw_os_executable(const char *path)
{
    struct sw_os_stat st;
    return sw_os_stat(path, true, &st) == 0 && st.kind == SW_OS_REG;
}

const char *sw_os_exe_exts(void)
{
    const char *v = sw_os_getenv("PATHEXT");
    return v && v[0] ? v : ".COM;.EXE;.BAT;.CMD";
}

/* ---- threads (os.h; io/stream.c) ----
 * _beginthreadex rather than CreateThread: the thread uses the C runtime (errno, malloc). */

#include <process.h>

struct sw_os_thread {
    HANDLE handle;
    int (*fn)(void *arg);
    void *arg;
    int rc;
};

struct sw_os_mutex {
    SRWLOCK lock;
};

struct sw_os_cond {
    CONDITION_VARIABLE cv;
};

static unsigned __stdcall thread_main(void *p)
{
    struct sw_os_thread *t = p;
    t->rc = t->fn(t->arg);
    return 0;
}

struct sw_os_thread *sw_os_thread_start(int (*fn)(void *arg), void *arg)
{
    struct sw_os_thread *t = sw_xcalloc(1, sizeof(*t));
    t->fn = fn;
    t->arg = arg;
    uintptr_t h = _beginthreadex(NULL, 1u << 20, thread_main, t, 0, NULL);
    if (h == 0) {
        free(t);
        if (errno == 0)
            errno = EAGAIN;
        return NULL;
    }
    t->handle = (HANDLE)h;
    return t;
}

int sw_os_thread_join(struct sw_os_thread *t)
{
    WaitForSingleObject(t->handle, INFINITE);
    CloseHandle(t->handle);
    int rc = t->rc;
    free(t);
    return rc;
}

struct sw_os_mutex *sw_os_mutex_new(void)
{
    struct sw_os_mutex *m = sw_xcalloc(1, sizeof(*m));
    InitializeSRWLock(&m->lock);
    return m;
}

void sw_os_mutex_free(struct sw_os_mutex *m)
{
    free(m); /* an SRWLOCK holds no resource */
}

void sw_os_mutex_lock(struct sw_os_mutex *m)
{
    AcquireSRWLockExclusive(&m->lock);
}

void sw_os_mutex_unlock(struct sw_os_mutex *m)
{
    ReleaseSRWLockExclusive(&m->lock);
}

struct sw_os_cond *sw_os_cond_new(void)
{
    struct sw_os_cond *c = sw_xcalloc(1, sizeof(*c));
    InitializeConditionVariable(&c->cv);
    return c;
}

void sw_os_cond_free(struct sw_os_cond *c)
{
    free(c); /* a CONDITION_VARIABLE holds no resource */
}

void sw_os_cond_wait(struct sw_os_cond *c, struct sw_os_mutex *m)
{
    SleepConditionVariableSRW(&c->cv, &m->lock, INFINITE, 0);
}

void sw_os_cond_broadcast(struct sw_os_cond *c)
{
    WakeAllConditionVariable(&c->cv);
}
