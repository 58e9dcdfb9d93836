/* Compiler attributes shared by the tree. */
#ifndef SW_ATTR_H
#define SW_ATTR_H

/* printf-style checking of a format and its arguments. mingw-w64 builds use its C99 printf
 * (__USE_MINGW_ANSI_STDIO), whose checking GCC calls gnu_printf. */
#if defined(__MINGW32__)
#define SW_PRINTF(fmt, args) __attribute__((format(gnu_printf, fmt, args)))
#else
#define SW_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#endif

#endif
