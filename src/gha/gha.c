#include "gha/gha.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int append(const char *file, const char *text, struct sw_error *err)
{
    int fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return sw_error_set(err, SW_EXIT_FS, "cannot open runner file '%s': %s", file,
                            strerror(errno));
    size_t len = strlen(text);
    /* one write: O_APPEND keeps concurrent steps' lines whole */
    ssize_t n = write(fd, text, len);
    int e = errno;
    close(fd);
    if (n < 0 || (size_t)n != len)
        return sw_error_set(err, SW_EXIT_FS, "cannot write runner file '%s': %s", file,
                            n < 0 ? strerror(e) : "short write");
    return 0;
}

int sw_gha_set_output(const char *file, const char *name, const char *value,
                      struct sw_error *err)
{
    struct sw_buf b = SW_BUF_INIT;
    if (!strchr(value, '\n') && !strchr(value, '\r')) {
        sw_buf_printf(&b, "%s=%s\n", name, value);
    } else {
        char delim[64];
        unsigned n = 0;
        do
            snprintf(delim, sizeof(delim), "SETUP_WASH_EOF_%u", n++);
        while (strstr(value, delim));
        sw_buf_printf(&b, "%s<<%s\n%s\n%s\n", name, delim, value, delim);
    }
    int rc = append(file, sw_buf_str(&b), err);
    sw_buf_free(&b);
    return rc;
}

int sw_gha_add_path(const char *file, const char *dir, struct sw_error *err)
{
    if (strchr(dir, '\n') || strchr(dir, '\r'))
        return sw_error_set(err, SW_EXIT_FS, "cannot add a directory with a newline to PATH");
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

void sw_gha_md_cell(struct sw_buf *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            sw_buf_adds(out, "\\|");
        else if (*s == '\n' || *s == '\r')
            sw_buf_adds(out, " ");
        else
            sw_buf_add(out, s, 1);
    }
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
    const char *sep = " ";
    if (file) {
        sw_buf_printf(&b, "%sfile=", sep);
        sw_gha_escape_prop(&b, file);
        sep = ",";
    }
    if (title) {
        sw_buf_printf(&b, "%stitle=", sep);
        sw_gha_escape_prop(&b, title);
    }
    sw_buf_adds(&b, "::");
    sw_gha_escape_data(&b, message);
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
