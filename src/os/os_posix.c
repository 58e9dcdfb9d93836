/* The platform layer on Linux and macOS (see os.h). */
#define _GNU_SOURCE /* copy_file_range */
#include "os/os.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#if defined(__linux__)
#include <sched.h>
#endif
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

void sw_os_init(void)
{
    /* nothing: SIGPIPE keeps its default, which the programs we run inherit */
}

const char *sw_os_getenv(const char *name)
{
    return getenv(name);
}

char *sw_os_path_in(const char *path)
{
    return sw_xstrdup(path);
}

char *sw_os_path_out(const char *path)
{
    return sw_xstrdup(path);
}

bool sw_os_path_is_abs(const char *path)
{
    return path[0] == '/';
}

char *sw_os_getcwd(void)
{
    char buf[4096];
    return getcwd(buf, sizeof(buf)) ? sw_xstrdup(buf) : NULL;
}

char *sw_os_abspath(const char *path)
{
    if (path[0] == '/')
        return sw_xstrdup(path);
    char *cwd = sw_os_getcwd();
    if (!cwd)
        return NULL;
    size_t n = strlen(cwd);
    while (n > 1 && cwd[n - 1] == '/')
        n--;
    char *abs = sw_xasprintf("%.*s/%s", (int)n, cwd, path);
    free(cwd);
    return abs;
}

char *sw_os_realpath(const char *path)
{
    return realpath(path, NULL);
}

int sw_os_getpid(void)
{
    return (int)getpid();
}

bool sw_os_isatty(FILE *f)
{
    return isatty(fileno(f)) == 1;
}

bool sw_os_color_ok(FILE *f)
{
    return sw_os_isatty(f);
}

long sw_os_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void sw_os_sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

int sw_os_uname(char *sys, size_t nsys, char *machine, size_t nmachine)
{
    struct utsname u;
    if (uname(&u) < 0)
        return -1;
    snprintf(sys, nsys, "%s", u.sysname);
    snprintf(machine, nmachine, "%s", u.machine);
    return 0;
}

bool sw_os_glob_exists(const char *root, const char *pattern)
{
    size_t n = strlen(root);
    while (n > 1 && root[n - 1] == '/')
        n--;
    char *p = sw_xasprintf("%.*s/%s", (int)n, root, pattern);
    glob_t g;
    bool found = glob(p, GLOB_NOSORT, NULL, &g) == 0 && g.gl_pathc > 0;
    globfree(&g);
    free(p);
    return found;
}

static void fill_stat(const struct stat *s, struct sw_os_stat *st)
{
    mode_t m = s->st_mode;
    st->kind = S_ISREG(m)    ? SW_OS_REG
               : S_ISDIR(m)  ? SW_OS_DIR
               : S_ISLNK(m)  ? SW_OS_LINK
               : S_ISCHR(m)  ? SW_OS_CHR
               : S_ISBLK(m)  ? SW_OS_BLK
               : S_ISFIFO(m) ? SW_OS_FIFO
               : S_ISSOCK(m) ? SW_OS_SOCK
                             : SW_OS_OTHER;
    st->size = (uint64_t)s->st_size;
#ifdef __APPLE__
    st->mtime_ns = (int64_t)s->st_mtimespec.tv_sec * 1000000000 + s->st_mtimespec.tv_nsec;
    st->ctime_ns = (int64_t)s->st_ctimespec.tv_sec * 1000000000 + s->st_ctimespec.tv_nsec;
#else
    st->mtime_ns = (int64_t)s->st_mtim.tv_sec * 1000000000 + s->st_mtim.tv_nsec;
    st->ctime_ns = (int64_t)s->st_ctim.tv_sec * 1000000000 + s->st_ctim.tv_nsec;
#endif
    st->dev = (uint64_t)s->st_dev;
    st->ino = (uint64_t)s->st_ino;
    st->exec = (m & 0111) != 0;
}

int sw_os_stat(const char *path, bool follow, struct sw_os_stat *st)
{
    struct stat s;
    if ((follow ? stat(path, &s) : lstat(path, &s)) < 0)
        return -1;
    fill_stat(&s, st);
    return 0;
}

int sw_os_fstat(int fd, struct sw_os_stat *st)
{
    struct stat s;
    if (fstat(fd, &s) < 0)
        return -1;
    fill_stat(&s, st);
    return 0;
}

static int open_flags(int flags)
{
    int f = O_CLOEXEC;
    f |= (flags & 3) == SW_O_WRONLY ? O_WRONLY : (flags & 3) == SW_O_RDWR ? O_RDWR : O_RDONLY;
    if (flags & SW_O_CREAT)
        f |= O_CREAT;
    if (flags & SW_O_EXCL)
        f |= O_EXCL;
    if (flags & SW_O_TRUNC)
        f |= O_TRUNC;
    if (flags & SW_O_APPEND)
        f |= O_APPEND;
    if (flags & SW_O_NOFOLLOW)
        f |= O_NOFOLLOW;
    if (flags & SW_O_NONBLOCK)
        f |= O_NONBLOCK;
    return f;
}

int sw_os_open(const char *path, int flags, int mode)
{
    int fd = open(path, open_flags(flags), (mode_t)mode);
    if (fd >= 0 && (flags & SW_O_NONBLOCK))
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return fd;
}

sw_ssize sw_os_read(int fd, void *buf, size_t n)
{
    ssize_t r;
    do
        r = read(fd, buf, n);
    while (r < 0 && errno == EINTR);
    return r;
}

sw_ssize sw_os_write(int fd, const void *buf, size_t n)
{
    ssize_t r;
    do
        r = write(fd, buf, n);
    while (r < 0 && errno == EINTR);
    return r;
}

int sw_os_close(int fd)
{
    return close(fd);
}

int sw_os_fsync(int fd)
{
    return fsync(fd);
}

int sw_os_ftruncate(int fd, uint64_t len)
{
    return ftruncate(fd, (off_t)len);
}

int sw_os_rewind(int fd)
{
    return lseek(fd, 0, SEEK_SET) < 0 ? -1 : 0;
}

int sw_os_fchmod(int fd, int mode)
{
    return fchmod(fd, (mode_t)mode);
}

int sw_os_chmod(const char *path, int mode)
{
    return chmod(path, (mode_t)mode);
}

int sw_os_mkstemp(char *template_path)
{
    int fd = mkstemp(template_path);
    if (fd >= 0)
        fcntl(fd, F_SETFD, FD_CLOEXEC);
    return fd;
}

int sw_os_copy_fd(int in, int out)
{
    sw_ssize n;
#ifdef __linux__
    while ((n = copy_file_range(in, NULL, out, NULL, 1u << 30, 0)) > 0)
        ;
    if (n == 0)
        return 0;
    if (errno != EXDEV && errno != ENOSYS && errno != EOPNOTSUPP && errno != EINVAL)
        return -1;
#endif
    /* no kernel copy (macOS, or between these filesystems): through a buffer */
    char buf[65536];
    while ((n = sw_os_read(in, buf, sizeof(buf))) > 0)
        if (sw_os_write(out, buf, (size_t)n) != n)
            return -1;
    return n < 0 ? -1 : 0;
}

const unsigned char *sw_os_map(int fd, size_t len)
{
    void *m = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
    return m == MAP_FAILED ? NULL : m;
}

void sw_os_unmap(const unsigned char *data, size_t len)
{
    munmap((void *)data, len);
}

void *sw_os_alloc_pages(size_t n)
{
    int flags = MAP_PRIVATE | MAP_ANONYMOUS;
#ifdef MAP_POPULATE
    flags |= MAP_POPULATE;
#endif
    void *m = mmap(NULL, n, PROT_READ | PROT_WRITE, flags, -1, 0);
    return m == MAP_FAILED ? NULL : m;
}

void sw_os_free_pages(void *p, size_t n)
{
    if (p)
        munmap(p, n);
}

int sw_os_lock(int fd)
{
    int r;
    do
        r = flock(fd, LOCK_EX);
    while (r < 0 && errno == EINTR);
    return r;
}

void sw_os_unlock(int fd)
{
    flock(fd, LOCK_UN);
}

int sw_os_mkdir(const char *path, int mode)
{
    return mkdir(path, (mode_t)mode);
}

int sw_os_rmdir(const char *path)
{
    return rmdir(path);
}

int sw_os_unlink(const char *path)
{
    return unlink(path);
}

int sw_os_rename(const char *from, const char *to)
{
    return rename(from, to);
}

struct sw_os_dir {
    DIR *d;
};

struct sw_os_dir *sw_os_opendir(const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return NULL;
    struct sw_os_dir *h = sw_xcalloc(1, sizeof(*h));
    h->d = d;
    return h;
}

const char *sw_os_readdir(struct sw_os_dir *h)
{
    for (struct dirent *e; (e = readdir(h->d));)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            return e->d_name;
    return NULL;
}

void sw_os_closedir(struct sw_os_dir *h)
{
    if (h) {
        closedir(h->d);
        free(h);
    }
}

struct sw_os_walk {
    int fd;
};

static struct sw_os_walk *walk_of(int fd)
{
    if (fd < 0)
        return NULL;
    struct sw_os_walk *w = sw_xcalloc(1, sizeof(*w));
    w->fd = fd;
    return w;
}

struct sw_os_walk *sw_os_walk_open(const char *dir)
{
    return walk_of(open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
}

struct sw_os_walk *sw_os_walk_sub(struct sw_os_walk *w, const char *name)
{
    if (mkdirat(w->fd, name, 0755) != 0 && errno != EEXIST)
        return NULL;
    return walk_of(openat(w->fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
}

int sw_os_walk_create(struct sw_os_walk *w, const char *name, int mode)
{
    return openat(w->fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                  (mode_t)mode);
}

void sw_os_walk_close(struct sw_os_walk *w)
{
    if (w) {
        close(w->fd);
        free(w);
    }
}

bool sw_os_executable(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

const char *sw_os_exe_exts(void)
{
    return "";
}

/* ---- threads (os.h; io/stream.c) ---- */

#include <pthread.h>

struct sw_os_thread {
    pthread_t id;
    int (*fn)(void *arg);
    void *arg;
    int rc;
};

struct sw_os_mutex {
    pthread_mutex_t m;
};

struct sw_os_cond {
    pthread_cond_t c;
};

static void *thread_main(void *p)
{
    struct sw_os_thread *t = p;
    t->rc = t->fn(t->arg);
    return NULL;
}

int sw_os_cpu_count(void)
{
#if defined(__linux__)
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
#endif
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)(n < 1024 ? n : 1024) : 1;
}

struct sw_os_thread *sw_os_thread_start(int (*fn)(void *arg), void *arg)
{
    struct sw_os_thread *t = sw_xcalloc(1, sizeof(*t));
    pthread_attr_t attr;
    int e = pthread_attr_init(&attr);
    t->fn = fn;
    t->arg = arg;
    if (e == 0) {
        pthread_attr_setstacksize(&attr, (size_t)1 << 20);
        e = pthread_create(&t->id, &attr, thread_main, t);
        pthread_attr_destroy(&attr);
    }
    if (e != 0) {
        free(t);
        errno = e;
        return NULL;
    }
    return t;
}

int sw_os_thread_join(struct sw_os_thread *t)
{
    pthread_join(t->id, NULL);
    int rc = t->rc;
    free(t);
    return rc;
}

struct sw_os_mutex *sw_os_mutex_new(void)
{
    struct sw_os_mutex *m = sw_xcalloc(1, sizeof(*m));
    if (pthread_mutex_init(&m->m, NULL) != 0)
        abort();
    return m;
}

void sw_os_mutex_free(struct sw_os_mutex *m)
{
    if (m) {
        pthread_mutex_destroy(&m->m);
        free(m);
    }
}

void sw_os_mutex_lock(struct sw_os_mutex *m)
{
    pthread_mutex_lock(&m->m);
}

void sw_os_mutex_unlock(struct sw_os_mutex *m)
{
    pthread_mutex_unlock(&m->m);
}

struct sw_os_cond *sw_os_cond_new(void)
{
    struct sw_os_cond *c = sw_xcalloc(1, sizeof(*c));
    if (pthread_cond_init(&c->c, NULL) != 0)
        abort();
    return c;
}

void sw_os_cond_free(struct sw_os_cond *c)
{
    if (c) {
        pthread_cond_destroy(&c->c);
        free(c);
    }
}

void sw_os_cond_wait(struct sw_os_cond *c, struct sw_os_mutex *m)
{
    pthread_cond_wait(&c->c, &m->m);
}

void sw_os_cond_broadcast(struct sw_os_cond *c)
{
    pthread_cond_broadcast(&c->c);
}
