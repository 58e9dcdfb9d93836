/* The program's entry on Linux and macOS: the arguments are already UTF-8 (or bytes). */
#include "os/os.h"

int main(int argc, char **argv)
{
    sw_os_init();
    return sw_main(argc, argv);
}
