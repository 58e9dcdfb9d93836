/* What os_win32.c lends os_win32_fs.c and proc_win32.c: conversions for the wide API, errors.
 * Only for src/os/. */
#ifndef SW_OS_WIN32_H
#define SW_OS_WIN32_H

#include <windows.h>

/* UTF-8 to UTF-16 (malloc'd), NULL with EILSEQ for bytes that are not UTF-8. */
wchar_t *sw_os_wide(const char *s);
/* UTF-16 to UTF-8 (malloc'd); an unpaired surrogate becomes U+FFFD. */
char *sw_os_narrow(const wchar_t *w);
/* A path for the wide API: '\' separators, the \\?\ form when it is too long for MAX_PATH. */
wchar_t *sw_os_wpath(const char *path);
/* The POSIX errno value for a Windows error code. */
int sw_os_errno_of(DWORD e);
/* errno from GetLastError(); returns -1. */
int sw_os_fail_win(void);

#endif
