/* The program's entry on Windows: wmain, so the arguments arrive as UTF-16 whatever the code
 * page, and reach sw_main as UTF-8. */
#include "os/os.h"

#include <stdlib.h>
#include <windows.h>

#include "os/win32.h"

int wmain(int argc, wchar_t **wargv);
int wmain(int argc, wchar_t **wargv)
{
    char **argv = sw_xcalloc((size_t)argc + 1, sizeof(*argv));
    for (int i = 0; i < argc; i++)
        argv[i] = sw_os_narrow(wargv[i]);
    sw_os_init();
    return sw_main(argc, argv);
}
