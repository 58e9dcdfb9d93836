/* The platform layer on Windows (see os.h), its files and directories: stat from handles,
 * CreateFileW behind C runtime descriptors, renames and removals that work around what Windows
 * holds open, directory walks, locks. Conversions and errors come from os_win32.c (win32.h). */
#include "os/os.h"

#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "os/win32.h"

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
        return sw_os_fail_win();
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
        return sw_os_fail_win();
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
        return sw_os_fail_win();
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
        sw_os_fail_win();
        return NULL;
    }
    void *p = MapViewOfFile(m, FILE_MAP_READ, 0, 0, len);
    if (!p)
        sw_os_fail_win();
    CloseHandle(m); /* the view keeps the mapping */
    return p;
}

void sw_os_unmap(const unsigned char *data, size_t len)
{
    (void)len;
    UnmapViewOfFile(data);
}

void *sw_os_alloc_pages(size_t n)
{
    return VirtualAlloc(NULL, n, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
}

void sw_os_free_pages(void *p, size_t n)
{
    (void)n;
    if (p)
        VirtualFree(p, 0, MEM_RELEASE);
}

int sw_os_lock(int fd)
{
    OVERLAPPED ov = {0};
    HANDLE h = (HANDLE)_get_osfhandle(fd);
    return LockFileEx(h, LOCKFILE_EXCLUSIVE_LOCK, 0, MAXDWORD, MAXDWORD, &ov) ? 0 : sw_os_fail_win();
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
    return ok ? 0 : sw_os_fail_win();
}

int sw_os_rmdir(const char *path)
{
    wchar_t *w = sw_os_wpath(path);
    if (!w)
        return -1;
    BOOL ok = RemoveDirectoryW(w);
    free(w);
    return ok ? 0 : sw_os_fail_win();
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
    return ok ? 0 : sw_os_fail_win();
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
        sw_os_fail_win();
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
