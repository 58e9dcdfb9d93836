/* The program's entry on Windows: wmain, so the arguments arrive as UTF-16 whatever the code
 * page, and reach sw_main as UTF-8. */
#include "os/os.h"

#include <stdlib.h>
#include <windows.h>

int wmain(int argc, wchar_t **wargv);
int wmain(int argc, wchar_t **wargv)
{
    char **argv = sw_xcalloc((size_t)argc + 1, sizeof(*argv));
    for (int i = 0; i < argc; i++) {
        int n = WideCharToMultiByte(CP_UTF8, 0, wargv[i], -1, NULL, 0, NULL, NULL);
        argv[i] = sw_xcalloc(n > 0 ? (size_t)n : 1, 1);
        if (n > 0)
            WideCharToMultiByte(CP_UTF8, 0, wargv[i], -1, argv[i], n, NULL, NULL);
    }
    sw_os_init();
    return sw_main(argc, argv);
}
