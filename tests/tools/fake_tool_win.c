/* A fake toolchain program for the Windows tests (tests/integration/test_windows.py), built
 * with mingw-w64 and run under Wine: copied as go.exe, tinygo.exe, node.exe, ..., it prints
 * the file beside it named like itself with ".out" for ".exe" (go.out), whatever its
 * arguments, and appends the arguments it received, one per line in UTF-8, to the ".args"
 * file, so a test sees what CreateProcessW's command line gave it. Exits 0.
 *
 * With a ".sleep" file beside it (a number of milliseconds) it hangs instead: it starts a copy
 * of itself ("--child", inheriting its output handles, as a shim's child keeps a pipe open),
 * and both append a byte to the ".beat" file every 50 ms until the time is up, so a test sees
 * whether a timeout ended the whole tree. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>

static void swap_ext(wchar_t *path, const wchar_t *ext)
{
    wchar_t *dot = wcsrchr(path, L'.');
    if (dot)
        wcscpy(dot, ext);
}

/* The ".sleep" behaviour; returns 0 when there is no ".sleep" file. */
static int hang(const wchar_t *self, bool child)
{
    wchar_t file[4096];
    wcscpy(file, self);
    swap_ext(file, L".sleep");
    FILE *f = _wfopen(file, L"rb");
    if (!f)
        return 0;
    long ms = 0;
    if (fscanf(f, "%ld", &ms) != 1)
        ms = 0;
    fclose(f);
    if (!child) {
        wchar_t cmd[4200];
        swprintf(cmd, 4200, L"\"%ls\" --child", self);
        STARTUPINFOW si = {0};
        PROCESS_INFORMATION pi;
        si.cb = sizeof(si);
        if (CreateProcessW(self, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
            CloseHandle(pi.hThread);
            CloseHandle(pi.hProcess);
        }
    }
    wcscpy(file, self);
    swap_ext(file, L".beat");
    for (long t = 0; t < ms; t += 50) {
        FILE *b = _wfopen(file, L"ab");
        if (b) {
            fputc(child ? 'c' : 'p', b);
            fclose(b);
        }
        Sleep(50);
    }
    return 1;
}

int wmain(int argc, wchar_t **argv);
int wmain(int argc, wchar_t **argv)
{
    wchar_t self[4096], file[4096];
    if (!GetModuleFileNameW(NULL, self, 4000))
        return 3;
    bool child = argc > 1 && wcscmp(argv[1], L"--child") == 0;
    if (hang(self, child))
        return 0;
    wcscpy(file, self);
    swap_ext(file, L".args");
    FILE *a = _wfopen(file, L"ab");
    for (int i = 1; a && i < argc; i++) {
        char u[8192];
        int n = WideCharToMultiByte(CP_UTF8, 0, argv[i], -1, u, sizeof(u), NULL, NULL);
        fprintf(a, "%s\n", n > 0 ? u : "?");
    }
    if (a) {
        fputs("--\n", a);
        fclose(a);
    }
    wcscpy(file, self);
    swap_ext(file, L".out");
    FILE *f = _wfopen(file, L"rb");
    if (!f)
        return 3;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        fwrite(buf, 1, n, stdout);
    fclose(f);
    return 0;
}
