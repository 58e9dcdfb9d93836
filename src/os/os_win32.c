/* The platform layer on Windows (see os.h): UTF-8 paths become UTF-16 at every call, files are
 * CreateFileW handles wrapped in C runtime descriptors, errors become POSIX errno values. The
 * files and directories are in os_win32_fs.c. */
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

int sw_os_fail_win(void)
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
        sw_os_fail_win();
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
        sw_os_fail_win();
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
        sw_os_fail_win();
        return NULL;
    }
    wchar_t buf[32768];
    DWORD n = GetFinalPathNameByHandleW(h, buf, 32768, FILE_NAME_NORMALIZED | VOLUME_NAME_DOS);
    CloseHandle(h);
    if (n == 0 || n >= 32768) {
        sw_os_fail_win();
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

int sw_os_cpu_count(void)
{
    DWORD_PTR mine = 0, all = 0;
    int n = 0;
    if (GetProcessAffinityMask(GetCurrentProcess(), &mine, &all))
        for (; mine; mine &= mine - 1)
            n++;
    if (n == 0) {
        SYSTEM_INFO si;
        GetSystemInfo(&si);
        n = (int)si.dwNumberOfProcessors;
    }
    return n > 0 ? n : 1;
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
