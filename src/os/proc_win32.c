/* Running programs on Windows (see os.h and io/proc.h): CreateProcessW with a command line
 * quoted the way the C runtime splits it, a job object per program (a timeout or a lingering
 * child ends the whole tree), one thread per output pipe, and .cmd/.bat through cmd.exe. */
#include "os/os.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "os/win32.h"

/* Appends arg quoted so that CommandLineToArgvW and the C runtime give it back unchanged:
 * quotes around it when it is empty or has a space, tab or quote; a quote is escaped with a
 * backslash, and backslashes before a quote (or before the closing one) are doubled. */
static void quote_arg(struct sw_buf *b, const char *arg)
{
    if (arg[0] && !strpbrk(arg, " \t\n\v\"")) {
        sw_buf_add(b, arg, strlen(arg));
        return;
    }
    sw_buf_add(b, "\"", 1);
    for (const char *p = arg;; p++) {
        size_t bs = 0;
        while (*p == '\\') {
            p++;
            bs++;
        }
        if (*p == '\0') {
            for (size_t i = 0; i < bs * 2; i++)
                sw_buf_add(b, "\\", 1);
            break;
        }
        if (*p == '"') {
            for (size_t i = 0; i < bs * 2 + 1; i++)
                sw_buf_add(b, "\\", 1);
        } else {
            for (size_t i = 0; i < bs; i++)
                sw_buf_add(b, "\\", 1);
        }
        sw_buf_add(b, p, 1);
    }
    sw_buf_add(b, "\"", 1);
}

static bool is_batch(const char *path)
{
    size_t n = strlen(path);
    return n > 4 && (_stricmp(path + n - 4, ".cmd") == 0 || _stricmp(path + n - 4, ".bat") == 0);
}

/* The command line for spec, or NULL (errno EINVAL) when an argument of a batch file holds
 * what cmd.exe would expand or act on: no quoting makes those safe there. */
static char *command_line(const struct sw_proc_spec *s, bool batch)
{
    struct sw_buf b = SW_BUF_INIT;
    if (batch) {
        for (const char *const *a = s->argv + 1; *a; a++)
            if (strpbrk(*a, "\"%!^&|<>()\r\n")) {
                errno = EINVAL;
                return NULL;
            }
        /* cmd.exe skips the first word as its own name; /d: no AutoRun commands; /s /c "...":
         * the line between the outer quotes, as is */
        sw_buf_adds(&b, "cmd.exe /d /s /c \"");
    }
    quote_arg(&b, batch ? s->path : s->argv[0]);
    for (const char *const *a = s->argv + 1; *a; a++) {
        sw_buf_add(&b, " ", 1);
        quote_arg(&b, *a);
    }
    if (batch)
        sw_buf_add(&b, "\"", 1);
    return sw_buf_detach(&b);
}

/* Our environment with `add` set or replacing (names compare without case, as Windows does),
 * as a UTF-16 block. */
static wchar_t *env_block(const char *const *add)
{
    wchar_t *cur = GetEnvironmentStringsW();
    size_t total = 1;
    wchar_t **wadd = NULL;
    size_t nadd = 0;
    for (const char *const *a = add; a && *a; a++)
        nadd++;
    wadd = sw_xcalloc(nadd + 1, sizeof(*wadd));
    for (size_t i = 0; i < nadd; i++) {
        wadd[i] = sw_os_wide(add[i]);
        if (!wadd[i])
            wadd[i] = sw_os_wide("SETUP_WASH_BAD_VARIABLE=");
        total += wcslen(wadd[i]) + 1;
    }
    for (const wchar_t *e = cur; e && *e; e += wcslen(e) + 1)
        total += wcslen(e) + 1;
    wchar_t *block = sw_xcalloc(total + 1, sizeof(wchar_t)), *p = block;
    for (const wchar_t *e = cur; e && *e; e += wcslen(e) + 1) {
        const wchar_t *eq = wcschr(e + 1, L'='); /* "=C:=C:\x" entries start with '=' */
        size_t len = eq ? (size_t)(eq - e) : wcslen(e);
        bool replaced = false;
        for (size_t i = 0; i < nadd && !replaced; i++)
            replaced = _wcsnicmp(wadd[i], e, len) == 0 && wadd[i][len] == L'=';
        if (replaced)
            continue;
        wcscpy(p, e);
        p += wcslen(e) + 1;
    }
    for (size_t i = 0; i < nadd; i++) {
        wcscpy(p, wadd[i]);
        p += wcslen(wadd[i]) + 1;
        free(wadd[i]);
    }
    *p = L'\0';
    free(wadd);
    if (cur)
        FreeEnvironmentStringsW(cur);
    return block;
}

struct pump {
    HANDLE pipe, thread;
    struct sw_buf *buf;
    size_t cap;
    bool truncated;
    const char *data; /* stdin: what to write */
    size_t len;
};

static DWORD WINAPI read_pump(LPVOID arg)
{
    struct pump *p = arg;
    char chunk[16384];
    DWORD n;
    while (ReadFile(p->pipe, chunk, sizeof(chunk), &n, NULL) && n > 0) {
        size_t keep = n;
        if (p->buf->len + keep > p->cap) {
            keep = p->buf->len < p->cap ? p->cap - p->buf->len : 0;
            p->truncated = true;
        }
        sw_buf_add(p->buf, chunk, keep);
    }
    return 0;
}

static DWORD WINAPI write_pump(LPVOID arg)
{
    struct pump *p = arg;
    size_t off = 0;
    DWORD n;
    /* a program that exits without reading it all ends the writes with ERROR_NO_DATA */
    while (off < p->len && WriteFile(p->pipe, p->data + off,
                                     (DWORD)(p->len - off > 65536 ? 65536 : p->len - off), &n, NULL))
        off += n;
    CloseHandle(p->pipe);
    p->pipe = NULL;
    return 0;
}

struct run {
    HANDLE proc, job;
    struct pump out, err, in;
    long start, deadline, exited_at;
    bool exited, done;
};

static void close_h(HANDLE *h)
{
    if (*h && *h != INVALID_HANDLE_VALUE)
        CloseHandle(*h);
    *h = NULL;
}

static bool pipe_pair(HANDLE *ours, HANDLE *theirs, bool theirs_reads)
{
    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
    HANDLE r, w;
    if (!CreatePipe(&r, &w, &sa, 0))
        return false;
    *ours = theirs_reads ? w : r;
    *theirs = theirs_reads ? r : w;
    SetHandleInformation(*ours, HANDLE_FLAG_INHERIT, 0);
    return true;
}

static bool start_pump(struct pump *p, LPTHREAD_START_ROUTINE fn)
{
    p->thread = CreateThread(NULL, 0, fn, p, 0, NULL);
    return p->thread != NULL;
}

/* Starts one program; a program that cannot start is a result (SW_PROC_NOSTART). */
static int start(const struct sw_proc_spec *s, struct run *r, struct sw_proc_result *res,
                 struct sw_error *err)
{
    HANDLE child_in = NULL, child_out = NULL, child_err = NULL;
    wchar_t *wapp = NULL, *wcmd = NULL, *wdir = NULL, *envb = NULL;
    LPPROC_THREAD_ATTRIBUTE_LIST attrs = NULL;
    bool attrs_init = false;
    char *cmd = NULL;
    int rc = -1;
    bool batch = is_batch(s->path);
    r->start = sw_os_now_ms();
    r->deadline = r->start + s->timeout_ms;
    r->out.buf = &res->out;
    r->err.buf = &res->err;
    r->out.cap = r->err.cap = s->max_out ? s->max_out : SW_PROC_DEFAULT_CAP;

    if (!(cmd = command_line(s, batch))) {
        res->state = SW_PROC_NOSTART;
        res->errno_start = errno;
        r->done = true;
        return 0;
    }
    if (batch) {
        const char *comspec = sw_os_getenv("ComSpec");
        wapp = sw_os_wide(comspec && comspec[0] ? comspec : "C:\\Windows\\System32\\cmd.exe");
    } else {
        wapp = sw_os_wpath(s->path);
    }
    wcmd = sw_os_wide(cmd);
    wdir = s->dir ? sw_os_wpath(s->dir) : NULL;
    if (!wapp || !wcmd || (s->dir && !wdir)) {
        res->state = SW_PROC_NOSTART;
        res->errno_start = EILSEQ;
        r->done = true;
        rc = 0;
        goto out;
    }
    envb = env_block(s->env);

    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
    if (s->stdin_data) {
        if (!pipe_pair(&r->in.pipe, &child_in, true))
            goto sys;
    } else {
        child_in = CreateFileW(L"NUL", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa,
                               OPEN_EXISTING, 0, NULL);
        if (child_in == INVALID_HANDLE_VALUE)
            goto sys;
    }
    if (!pipe_pair(&r->out.pipe, &child_out, false) || !pipe_pair(&r->err.pipe, &child_err, false))
        goto sys;
    r->job = CreateJobObjectW(NULL, NULL);
    if (!r->job)
        goto sys;
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION lim = {0};
    lim.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
    SetInformationJobObject(r->job, JobObjectExtendedLimitInformation, &lim, sizeof(lim));

    STARTUPINFOEXW si = {0};
    si.StartupInfo.cb = sizeof(si);
    si.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
    si.StartupInfo.hStdInput = child_in;
    si.StartupInfo.hStdOutput = child_out;
    si.StartupInfo.hStdError = child_err;
    /* the program inherits these three handles and no other of ours (our own stdout, another
     * program's pipes); where the attribute cannot be set it inherits what is inheritable */
    HANDLE inherit[3] = {child_in, child_out, child_err};
    SIZE_T attr_size = 0;
    DWORD flags = CREATE_SUSPENDED | CREATE_UNICODE_ENVIRONMENT | CREATE_NO_WINDOW;
    InitializeProcThreadAttributeList(NULL, 1, 0, &attr_size);
    attrs = attr_size ? sw_xcalloc(1, attr_size) : NULL;
    if (attrs && InitializeProcThreadAttributeList(attrs, 1, 0, &attr_size)) {
        attrs_init = true;
        if (UpdateProcThreadAttribute(attrs, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, inherit,
                                      sizeof(inherit), NULL, NULL)) {
            si.lpAttributeList = attrs;
            si.StartupInfo.cb = sizeof(STARTUPINFOEXW);
            flags |= EXTENDED_STARTUPINFO_PRESENT;
        }
    }
    if (!(flags & EXTENDED_STARTUPINFO_PRESENT))
        si.StartupInfo.cb = sizeof(STARTUPINFOW);
    PROCESS_INFORMATION pi;
    if (!CreateProcessW(wapp, wcmd, NULL, NULL, TRUE, flags, envb, wdir, &si.StartupInfo, &pi)) {
        res->state = SW_PROC_NOSTART;
        res->errno_start = sw_os_errno_of(GetLastError());
        r->done = true;
        close_h(&r->out.pipe);
        close_h(&r->err.pipe);
        close_h(&r->in.pipe);
        close_h(&r->job);
        rc = 0;
        goto out;
    }
    AssignProcessToJobObject(r->job, pi.hProcess);
    ResumeThread(pi.hThread);
    CloseHandle(pi.hThread);
    r->proc = pi.hProcess;
    close_h(&child_in);
    close_h(&child_out);
    close_h(&child_err);
    if (!start_pump(&r->out, read_pump) || !start_pump(&r->err, read_pump))
        goto sys;
    if (s->stdin_data && s->stdin_data[0]) {
        r->in.data = s->stdin_data;
        r->in.len = strlen(s->stdin_data);
        if (!start_pump(&r->in, write_pump))
            goto sys;
    } else {
        close_h(&r->in.pipe); /* nothing to send: EOF at once */
    }
    rc = 0;
    goto out;
sys:
    sw_error_set(err, SW_EXIT_FAILURE, "cannot run '%s': %s", s->argv[0],
                 strerror(sw_os_errno_of(GetLastError())));
out:
    close_h(&child_in);
    close_h(&child_out);
    close_h(&child_err);
    if (attrs_init)
        DeleteProcThreadAttributeList(attrs);
    free(attrs);
    free(cmd);
    free(wapp);
    free(wcmd);
    free(wdir);
    free(envb);
    return rc;
}

static bool pump_done(struct pump *p)
{
    return !p->thread || WaitForSingleObject(p->thread, 0) == WAIT_OBJECT_0;
}

static void pump_finish(struct pump *p)
{
    if (p->thread) {
        WaitForSingleObject(p->thread, INFINITE);
        close_h(&p->thread);
    }
    close_h(&p->pipe);
}

static void finish(struct run *r, struct sw_proc_result *res, long now)
{
    /* the job's processes are gone, so every pipe's other end is closed and the pumps end */
    if (r->job)
        TerminateJobObject(r->job, 1);
    pump_finish(&r->out);
    pump_finish(&r->err);
    pump_finish(&r->in);
    res->truncated = r->out.truncated || r->err.truncated;
    close_h(&r->proc);
    close_h(&r->job);
    res->elapsed_ms = now - r->start;
    r->done = true;
}

/* What a run needs next; returns the ms until it needs attention (-1: none). */
static long step(struct run *r, struct sw_proc_result *res, long now)
{
    if (r->done)
        return -1;
    if (!r->exited && WaitForSingleObject(r->proc, 0) == WAIT_OBJECT_0) {
        DWORD code = 0;
        GetExitCodeProcess(r->proc, &code);
        r->exited = true;
        r->exited_at = now;
        res->state = SW_PROC_EXITED;
        res->status = (int)code;
    }
    bool open = !pump_done(&r->out) || !pump_done(&r->err);
    if (r->exited && !open) {
        finish(r, res, now);
    } else if (!r->exited && now >= r->deadline) {
        res->state = SW_PROC_TIMEOUT;
        finish(r, res, now);
    } else if (r->exited && now >= r->exited_at + SW_PROC_LINGER_MS) {
        finish(r, res, now); /* a child of its own kept the pipes: stop it, keep the output */
    }
    if (r->done)
        return -1;
    long wait = (r->exited ? r->exited_at + SW_PROC_LINGER_MS : r->deadline) - now;
    return wait < 0 ? 0 : wait;
}

int sw_os_run_many(const struct sw_proc_spec *specs, size_t n, struct sw_proc_result *res,
                   struct sw_error *err)
{
    struct run *runs = sw_xcalloc(n ? n : 1, sizeof(*runs));
    int rc = -1;
    size_t started = 0;
    for (size_t i = 0; i < n; i++)
        memset(&res[i], 0, sizeof(res[i]));
    for (; started < n; started++)
        if (start(&specs[started], &runs[started], &res[started], err) < 0) {
            started++;
            goto out;
        }
    for (;;) {
        long now = sw_os_now_ms(), wait = -1;
        for (size_t i = 0; i < n; i++) {
            long w = step(&runs[i], &res[i], now);
            if (w >= 0 && (wait < 0 || w < wait))
                wait = w;
        }
        if (wait < 0)
            break;
        /* wake for an exit or a pump's end, or at the nearest deadline */
        HANDLE hs[MAXIMUM_WAIT_OBJECTS];
        DWORD k = 0;
        for (size_t i = 0; i < n && k + 3 <= MAXIMUM_WAIT_OBJECTS; i++) {
            if (runs[i].done)
                continue;
            if (!runs[i].exited)
                hs[k++] = runs[i].proc;
            if (runs[i].out.thread && !pump_done(&runs[i].out))
                hs[k++] = runs[i].out.thread;
            if (runs[i].err.thread && !pump_done(&runs[i].err))
                hs[k++] = runs[i].err.thread;
        }
        DWORD ms = (DWORD)(wait > 1000 ? 1000 : wait);
        if (k > 0)
            WaitForMultipleObjects(k, hs, FALSE, ms);
        else
            Sleep(ms ? ms : 1);
    }
    rc = 0;
out:
    if (rc < 0)
        for (size_t i = 0; i < started; i++)
            if (!runs[i].done)
                finish(&runs[i], &res[i], sw_os_now_ms());
    free(runs);
    return rc;
}
