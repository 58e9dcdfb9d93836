/* Running programs on Linux and macOS (see os.h and io/proc.h): fork and execve, a process
 * group per program, poll over the output pipes. */
#include "os/os.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;


/* how often to look for an exit once the pipes are closed */
#define REAP_POLL_MS 2

struct run {
    pid_t pid;
    int fd[2]; /* read ends of stdout and stderr, -1 once closed */
    int in;    /* our end of the program's stdin while there is data to send, else -1 */
    const char *in_data;
    size_t in_len, in_off;
    long start, deadline, exited_at;
    bool reaped, done;
};


static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

static int cloexec_pipe(int p[2])
{
    if (pipe(p) < 0)
        return -1;
    fcntl(p[0], F_SETFD, FD_CLOEXEC);
    fcntl(p[1], F_SETFD, FD_CLOEXEC);
    return 0;
}

static bool name_in(const char *entry, const char *const *add)
{
    const char *eq = strchr(entry, '=');
    size_t len = eq ? (size_t)(eq - entry) : strlen(entry);
    for (; add && *add; add++)
        if (strncmp(*add, entry, len) == 0 && (*add)[len] == '=')
            return true;
    return false;
}

/* Our environment with `add` set or replacing; the array is malloc'd, the strings borrowed. */
static char **build_env(const char *const *add)
{
    size_t n = 0, k = 0;
    for (char **e = environ; e && *e; e++)
        n++;
    for (const char *const *a = add; a && *a; a++)
        n++;
    char **env = sw_xcalloc(n + 1, sizeof(*env));
    for (char **e = environ; e && *e; e++)
        if (!name_in(*e, add))
            env[k++] = *e;
    for (const char *const *a = add; a && *a; a++)
        env[k++] = (char *)*a;
    env[k] = NULL;
    return env;
}

/* In the child: only async-signal-safe calls until exec. */
static void child(const struct sw_proc_spec *s, char **env, int in, int out, int errfd,
                  int report)
{
    setpgid(0, 0);
    int e = 0;
    if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(errfd, 2) < 0)
        e = errno;
    else if (s->dir && chdir(s->dir) < 0)
        e = errno;
    else {
        execve(s->path, (char *const *)s->argv, env);
        e = errno;
    }
    ssize_t w = write(report, &e, sizeof(e));
    (void)w;
    _exit(127);
}

/* Starts one program. A program that cannot start is a result (SW_PROC_NOSTART), not an
 * error; -1 only when the system refuses pipes or a process. */
static int start(const struct sw_proc_spec *s, struct run *r, struct sw_proc_result *res,
                 struct sw_error *err)
{
    int out[2] = {-1, -1}, errp[2] = {-1, -1}, rep[2] = {-1, -1}, in[2] = {-1, -1};
    int rc = -1;
    char **env = build_env(s->env);
    r->fd[0] = r->fd[1] = r->in = -1;
    r->start = sw_os_now_ms();
    r->deadline = r->start + s->timeout_ms;
    /* stdin data goes through a socket pair, so that a program that exits without reading
     * it gives EPIPE to send(MSG_NOSIGNAL) instead of a SIGPIPE to us */
    if (s->stdin_data) {
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, in) == 0) {
            fcntl(in[0], F_SETFD, FD_CLOEXEC);
            fcntl(in[1], F_SETFD, FD_CLOEXEC);
            fcntl(in[0], F_SETFL, O_NONBLOCK);
        }
    } else {
        in[1] = open("/dev/null", O_RDONLY | O_CLOEXEC);
    }
    if (in[1] < 0 || cloexec_pipe(out) < 0 || cloexec_pipe(errp) < 0 ||
        cloexec_pipe(rep) < 0) {
        sw_error_set(err, SW_EXIT_FAILURE, "cannot run '%s': %s", s->argv[0], strerror(errno));
        goto out;
    }
    pid_t pid = fork();
    if (pid < 0) {
        sw_error_set(err, SW_EXIT_FAILURE, "cannot run '%s': %s", s->argv[0], strerror(errno));
        goto out;
    }
    if (pid == 0)
        child(s, env, in[1], out[1], errp[1], rep[1]);
    setpgid(pid, pid); /* also in the parent, so a kill right away reaches the group */
    close_fd(&out[1]);
    close_fd(&errp[1]);
    close_fd(&rep[1]);
    close_fd(&in[1]);
    int e = 0;
    ssize_t n;
    do
        n = read(rep[0], &e, sizeof(e));
    while (n < 0 && errno == EINTR);
    r->pid = pid;
    if (n == (ssize_t)sizeof(e)) {
        /* chdir or exec failed: the child is exiting */
        waitpid(pid, NULL, 0);
        res->state = SW_PROC_NOSTART;
        res->errno_start = e;
        r->reaped = r->done = true;
    } else {
        r->fd[0] = out[0];
        r->fd[1] = errp[0];
        out[0] = errp[0] = -1;
        if (s->stdin_data && s->stdin_data[0]) {
            r->in = in[0];
            r->in_data = s->stdin_data;
            r->in_len = strlen(s->stdin_data);
            in[0] = -1;
        }
    }
    rc = 0;
out:
    close_fd(&out[0]);
    close_fd(&out[1]);
    close_fd(&errp[0]);
    close_fd(&errp[1]);
    close_fd(&rep[0]);
    close_fd(&rep[1]);
    close_fd(&in[0]);
    close_fd(&in[1]);
    free(env);
    return rc;
}

static void feed(struct run *r)
{
    ssize_t n = send(r->in, r->in_data + r->in_off, r->in_len - r->in_off, MSG_NOSIGNAL);
    if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
        return;
    if (n > 0)
        r->in_off += (size_t)n;
    if (n < 0 || r->in_off >= r->in_len)
        close_fd(&r->in); /* all sent (EOF for the program), or it stopped reading */
}

static void drain(int *fd, struct sw_buf *b, size_t cap, bool *truncated)
{
    char chunk[16384];
    ssize_t n = read(*fd, chunk, sizeof(chunk));
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n <= 0) {
        close_fd(fd);
        return;
    }
    size_t keep = (size_t)n;
    if (b->len + keep > cap) {
        keep = b->len < cap ? cap - b->len : 0;
        *truncated = true;
    }
    sw_buf_add(b, chunk, keep);
}

static void set_status(struct sw_proc_result *res, int st)
{
    if (WIFEXITED(st)) {
        res->state = SW_PROC_EXITED;
        res->status = WEXITSTATUS(st);
    } else if (WIFSIGNALED(st)) {
        res->state = SW_PROC_SIGNALED;
        res->status = WTERMSIG(st);
    }
}

static void kill_group(struct run *r)
{
    kill(-r->pid, SIGKILL);
    if (!r->reaped)
        kill(r->pid, SIGKILL);
}

/* Finishes what a run needs next; returns the ms until it needs attention (-1: none). */
static long step(struct run *r, struct sw_proc_result *res, long now)
{
    if (r->done)
        return -1;
    int st;
    if (!r->reaped && waitpid(r->pid, &st, WNOHANG) == r->pid) {
        r->reaped = true;
        r->exited_at = now;
        set_status(res, st);
    }
    bool open = r->fd[0] >= 0 || r->fd[1] >= 0;
    if (r->reaped && !open) {
        r->done = true;
    } else if (!r->reaped && now >= r->deadline) {
        kill_group(r);
        waitpid(r->pid, &st, 0);
        r->reaped = r->done = true;
        res->state = SW_PROC_TIMEOUT;
    } else if (r->reaped && now >= r->exited_at + SW_PROC_LINGER_MS) {
        kill_group(r); /* a child of its own kept the pipes: stop it, keep the output */
        r->done = true;
    }
    if (r->done) {
        close_fd(&r->fd[0]);
        close_fd(&r->fd[1]);
        close_fd(&r->in);
        res->elapsed_ms = now - r->start;
        return -1;
    }
    long wait = (r->reaped ? r->exited_at + SW_PROC_LINGER_MS : r->deadline) - now;
    if (!r->reaped && !open && wait > REAP_POLL_MS)
        wait = REAP_POLL_MS;
    return wait < 0 ? 0 : wait;
}

int sw_os_run_many(const struct sw_proc_spec *specs, size_t n, struct sw_proc_result *res,
                     struct sw_error *err)
{
    struct run *runs = sw_xcalloc(n ? n : 1, sizeof(*runs));
    struct pollfd *pfd = sw_xcalloc(3 * n + 1, sizeof(*pfd));
    size_t *owner = sw_xcalloc(3 * n + 1, sizeof(*owner));
    int rc = -1;
    size_t started = 0;
    for (size_t i = 0; i < n; i++)
        memset(&res[i], 0, sizeof(res[i]));
    for (; started < n; started++)
        if (start(&specs[started], &runs[started], &res[started], err) < 0)
            goto out;
    for (;;) {
        long now = sw_os_now_ms(), wait = -1;
        for (size_t i = 0; i < n; i++) {
            long w = step(&runs[i], &res[i], now);
            if (w >= 0 && (wait < 0 || w < wait))
                wait = w;
        }
        if (wait < 0)
            break;
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            for (int j = 0; j < 2; j++)
                if (runs[i].fd[j] >= 0) {
                    pfd[k].fd = runs[i].fd[j];
                    pfd[k].events = POLLIN;
                    pfd[k].revents = 0;
                    owner[k++] = i * 2 + (size_t)j;
                }
        for (size_t i = 0; i < n; i++)
            if (runs[i].in >= 0) {
                pfd[k].fd = runs[i].in;
                pfd[k].events = POLLOUT;
                pfd[k].revents = 0;
                owner[k++] = 2 * n + i; /* past the output slots: a stdin */
            }
        int ready = poll(pfd, (nfds_t)k, (int)(wait > 1000 ? 1000 : wait));
        if (ready < 0 && errno != EINTR) {
            sw_error_set(err, SW_EXIT_FAILURE, "cannot wait for programs: %s", strerror(errno));
            goto out;
        }
        for (size_t q = 0; ready > 0 && q < k; q++) {
            if (!pfd[q].revents)
                continue;
            if (owner[q] >= 2 * n) {
                feed(&runs[owner[q] - 2 * n]);
                continue;
            }
            size_t i = owner[q] / 2;
            int j = (int)(owner[q] % 2);
            size_t cap = specs[i].max_out ? specs[i].max_out : SW_PROC_DEFAULT_CAP;
            drain(&runs[i].fd[j], j ? &res[i].err : &res[i].out, cap, &res[i].truncated);
        }
    }
    rc = 0;
out:
    if (rc < 0) {
        for (size_t i = 0; i < started; i++) {
            if (!runs[i].reaped) {
                kill_group(&runs[i]);
                waitpid(runs[i].pid, NULL, 0);
            }
            close_fd(&runs[i].fd[0]);
            close_fd(&runs[i].fd[1]);
            close_fd(&runs[i].in);
        }
    }
    free(runs);
    free(pfd);
    free(owner);
    return rc;
}
