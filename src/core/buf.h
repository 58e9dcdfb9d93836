/* A growable byte buffer, always NUL-terminated after its data.
 *
 * Ownership: the buffer owns `data`; sw_buf_free() releases it and resets the buffer to empty.
 * A zero-initialised `struct sw_buf` (SW_BUF_INIT) is a valid empty buffer. Allocation failure
 * aborts: there is no useful recovery for a setup tool that cannot allocate a few kilobytes. */
#ifndef SW_BUF_H
#define SW_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "core/attr.h"

struct sw_buf {
    char *data; /* NULL while empty and never grown */
    size_t len;
    size_t cap;
};

#define SW_BUF_INIT {NULL, 0, 0}

void sw_buf_grow(struct sw_buf *b, size_t extra);
void sw_buf_add(struct sw_buf *b, const void *data, size_t len);
void sw_buf_adds(struct sw_buf *b, const char *s);
void sw_buf_printf(struct sw_buf *b, const char *fmt, ...) SW_PRINTF(2, 3);
/* sw_buf_printf with a va_list (which it consumes). */
void sw_buf_vprintf(struct sw_buf *b, const char *fmt, va_list ap)
    SW_PRINTF(2, 0);
void sw_buf_reset(struct sw_buf *b); /* length 0, keeps the allocation */
void sw_buf_free(struct sw_buf *b);
/* Returns the data as a malloc'd string the caller frees, and leaves the buffer empty. */
char *sw_buf_detach(struct sw_buf *b);
/* The data as a C string ("" when empty); valid until the next change to the buffer. */
const char *sw_buf_str(const struct sw_buf *b);

/* malloc/strdup that abort on failure. */
void *sw_xmalloc(size_t n);
void *sw_xcalloc(size_t n, size_t size);
void *sw_xrealloc(void *p, size_t n);
char *sw_xstrdup(const char *s);
char *sw_xstrndup(const char *s, size_t n);
char *sw_xasprintf(const char *fmt, ...) SW_PRINTF(1, 2);

#endif
