#include "gha/gha.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "os/os.h"

/* Appends text to the runner file in one write (O_APPEND keeps concurrent steps' records
 * whole); a short write is cut back off, so the file holds whole records only. */
static int append(const char *file, const char *text, struct sw_error *err)
{
    int fd = sw_os_open(file, SW_O_WRONLY | SW_O_APPEND | SW_O_CREAT, 0644);
    if (fd < 0)
        return sw_error_set(err, SW_EXIT_FS, "cannot open runner file '%s': %s", file,
                            strerror(errno));
    struct sw_os_stat st;
    bool known = sw_os_fstat(fd, &st) == 0;
    size_t len = strlen(text);
    sw_ssize n = sw_os_write(fd, text, len);
    int e = errno;
    if (n > 0 && (size_t)n != len && known && sw_os_ftruncate(fd, st.size) != 0)
        e = errno;
    sw_os_close(fd);
    if (n < 0 || (size_t)n != len)
        return sw_error_set(err, SW_EXIT_FS, "cannot write runner file '%s': %s", file,
                            n < 0 ? strerror(e) : "short write");
    return 0;
}

/* Refuses what sw_sanitize would change (invalid UTF-8, control characters; LF excepted when
 * allow_lf): the runner reads its files as UTF-8 and would get another value. */
static int check_value(const char *what, const char *name, const char *value, bool allow_lf,
                       struct sw_error *err)
{
    size_t at = sw_text_unsafe(value, allow_lf);
    if (at == SIZE_MAX)
        return 0;
    uint32_t cp;
    bool invalid = sw_utf8_next(value + at, &cp) == 0;
    char cause[64];
    if (invalid)
        snprintf(cause, sizeof(cause), "the byte 0x%02x, which is not UTF-8,",
                 (unsigned)(unsigned char)value[at]);
    else
        snprintf(cause, sizeof(cause), "the control character U+%04X", (unsigned)cp);
    char *shown = sw_sanitize_dup(value);
    sw_error_set(err, SW_EXIT_FS,
                 "refusing to write %s '%s': its value '%s' has %s at byte %zu, and the runner "
                 "would read another value; nothing was written%s",
                 what, name, shown, cause, at,
                 invalid ? " (choose a --cache-dir whose path is UTF-8)" : "");
    free(shown);
    return -1;
}

int sw_gha_set_outputs(const char *file, const char *const *names, const char *const *values,
                       size_t n, struct sw_error *err)
{
    for (size_t i = 0; i < n; i++)
        if (check_value("the output", names[i], values[i], true, err) < 0)
            return -1;
    struct sw_buf b = SW_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        const char *value = values[i];
        if (!strchr(value, '\n')) {
            sw_buf_printf(&b, "%s=%s\n", names[i], value);
            continue;
        }
        char delim[64];
        unsigned k = 0;
        do
            snprintf(delim, sizeof(delim), "SETUP_WASH_EOF_%u", k++);
        while (strstr(value, delim));
        sw_buf_printf(&b, "%s<<%s\n%s\n%s\n", names[i], delim, value, delim);
    }
    int rc = append(file, sw_buf_str(&b), err);
    sw_buf_free(&b);
    return rc;
}

int sw_gha_set_output(const char *file, const char *name, const char *value, struct sw_error *err)
{
    return sw_gha_set_outputs(file, &name, &value, 1, err);
}

int sw_gha_check_path(const char *dir, struct sw_error *err)
{
    return check_value("the PATH entry", "GITHUB_PATH", dir, false, err);
}

int sw_gha_add_path(const char *file, const char *dir, struct sw_error *err)
{
    if (sw_gha_check_path(dir, err) < 0)
        return -1;
    struct sw_buf b = SW_BUF_INIT;
    sw_buf_printf(&b, "%s\n", dir);
    int rc = append(file, sw_buf_str(&b), err);
    sw_buf_free(&b);
    return rc;
}

int sw_gha_summary(const char *file, const char *markdown, struct sw_error *err)
{
    return append(file, markdown, err);
}

static void escape(struct sw_buf *out, const char *s, bool prop)
{
    for (; *s; s++) {
        switch (*s) {
        case '%':
            sw_buf_adds(out, "%25");
            break;
        case '\r':
            sw_buf_adds(out, "%0D");
            break;
        case '\n':
            sw_buf_adds(out, "%0A");
            break;
        case ':':
            sw_buf_adds(out, prop ? "%3A" : ":");
            break;
        case ',':
            sw_buf_adds(out, prop ? "%2C" : ",");
            break;
        default:
            sw_buf_add(out, s, 1);
        }
    }
}

void sw_gha_escape_data(struct sw_buf *out, const char *s)
{
    escape(out, s, false);
}

void sw_gha_escape_prop(struct sw_buf *out, const char *s)
{
    escape(out, s, true);
}

void sw_gha_annotate(FILE *f, const char *level, const char *file, const char *title,
                     const char *message)
{
    struct sw_buf b = SW_BUF_INIT;
    sw_buf_printf(&b, "::%s", level);
    /* sanitised first: ESC and other controls would reach the log raw */
    const char *props[] = {"file", file, "title", title};
    const char *sep = " ";
    for (size_t i = 0; i < 4; i += 2) {
        if (!props[i + 1])
            continue;
        char *clean = sw_sanitize_dup(props[i + 1]);
        sw_buf_printf(&b, "%s%s=", sep, props[i]);
        sw_gha_escape_prop(&b, clean);
        free(clean);
        sep = ",";
    }
    sw_buf_adds(&b, "::");
    char *clean = sw_sanitize_dup(message);
    sw_gha_escape_data(&b, clean);
    free(clean);
    fprintf(f, "%s\n", sw_buf_str(&b));
    fflush(f);
    sw_buf_free(&b);
}

void sw_gha_mask(FILE *f, const char *value)
{
    struct sw_buf b = SW_BUF_INIT;
    sw_gha_escape_data(&b, value);
    fprintf(f, "::add-mask::%s\n", sw_buf_str(&b));
    fflush(f);
    sw_buf_free(&b);
}
