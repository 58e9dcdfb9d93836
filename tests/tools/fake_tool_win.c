/* A fake toolchain program for the Windows tests (tests/integration/test_windows.py), built
 * with mingw-w64 and run under Wine: copied as go.exe, tinygo.exe, node.exe, ..., it prints
 * the file beside it named like itself with ".out" for ".exe" (go.out), whatever its
 * arguments, and appends the arguments it received, one per line in UTF-8, to the ".args"
 * file, so a test sees what CreateProcessW's command line gave it. Exits 0. */
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

int wmain(int argc, wchar_t **argv);
int wmain(int argc, wchar_t **argv)
{
    wchar_t self[4096], file[4096];
    if (!GetModuleFileNameW(NULL, self, 4000))
        return 3;
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
