/* The symlinks of an archive (archive.h: allow_symlinks): the rule a target must meet, and
 * the creation of the links it admits. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/text.h"
#include "io/archive_internal.h"
#include "io/fs.h"
#include "os/os.h"

/* Why a link at rel may not point to target (the rule in archive.h), or NULL when it may.
 * *leaves says, when NULL is returned, that the target leaves rel's top folder (or dest, for a
 * link at the top). */
static const char *bad_target(const char *rel, const char *target, bool *leaves)
{
    *leaves = false;
    size_t len = strlen(target);
    if (len == 0)
        return "is empty";
    if (len >= SW_ENTRY_PATH_MAX)
        return "is too long";
    if (target[0] == '/')
        return "is absolute";
    if (strchr(target, ':'))
        return "has a ':' (a drive or a stream on Windows)";
    if (strchr(target, '\\'))
        return "has a backslash";
    if (sw_text_unsafe(target, false) != SIZE_MAX)
        return "has a control character or is not UTF-8";

    /* depth: where the resolution stands, counted in components below dest; it starts at the
     * link's own directory and may not go above floor */
    long depth = 0;
    for (const char *p = rel; (p = strchr(p, '/')) != NULL; p++)
        depth++;
    long floor = depth > 0 ? 1 : 0;
    bool named = false;
    for (const char *p = target;;) {
        size_t n = strcspn(p, "/");
        if (n == 0)
            return "has an empty component (a trailing '/' or '//')";
        if (n > SW_ENTRY_NAME_MAX)
            return "has a component longer than 255 bytes";
        if (n == 1 && p[0] == '.')
            return "has a '.' component";
        if (n == 2 && p[0] == '.' && p[1] == '.') {
            if (named)
                return "has '..' after a name";
            if (--depth < floor) {
                *leaves = true;
                return NULL;
            }
        } else {
            named = true;
            depth++;
        }
        p += n;
        if (!*p)
            break;
        p++;
    }
    return NULL;
}

/* Creates the symlink rel -> its target, when the rule in archive.h allows it. Its parents are
 * opened (and made) through sw_archive_open_dirs like a file's, so none is a link; the link itself
 * is made by libarchive's disk writer, the one portable way io/ has to make one. */
int sw_archive_extract_link(struct extract *x, struct archive_entry *e, const char *rel,
                            const char *label, struct sw_error *err)
{
    int ret = -1;
    char *path = NULL;
    struct archive_entry *le = NULL;
    char tlabel[SW_LABEL_MAX];
    char top[SW_LABEL_MAX];
    char msg[512];
    struct sw_os_stat st;

    if (SW_ON_WINDOWS) {
        sw_error_set(err, SW_EXIT_VERIFY,
                     "archive entry '%s' is a symbolic link, which setup-wash does not create "
                     "on Windows: refusing to extract",
                     label);
        goto out;
    }
    const char *target = archive_entry_symlink(e);
    if (!target)
        target = archive_entry_symlink_utf8(e);
    if (!target) {
        sw_error_set(err, SW_EXIT_VERIFY,
                     "archive entry '%s' is a symbolic link with no target (or one that "
                     "cannot be read): refusing to extract",
                     label);
        goto out;
    }
    sw_sanitize(tlabel, sizeof(tlabel), target);
    bool leaves = false;
    const char *why = bad_target(rel, target, &leaves);
    if (why) {
        sw_error_set(err, SW_EXIT_VERIFY,
                     "archive entry '%s' is a symbolic link whose target '%s' %s: refusing to "
                     "extract",
                     label, tlabel, why);
        goto out;
    }
    if (leaves) {
        const char *slash = strchr(rel, '/');
        if (slash)
            sw_archive_prefix_label(top, sizeof(top), rel, (size_t)(slash - rel));
        sw_error_set(err, SW_EXIT_VERIFY,
                     "archive entry '%s' is a symbolic link to '%s', which leaves %s%s%s: "
                     "refusing to extract",
                     label, tlabel, slash ? "'" : "the destination", slash ? top : "",
                     slash ? "'" : "");
        goto out;
    }

    const char *slash = strrchr(rel, '/');
    struct sw_os_walk *dir =
        sw_archive_open_dirs(x, rel, slash ? (size_t)(slash - rel) : 0, label, err);
    if (!dir)
        goto out;
    if (dir != x->root)
        sw_os_walk_close(dir);

    /* The disk writer would replace what is there (or, told not to, keep it and report
     * success): a name taken is checked here, and the link checked once made. */
    path = sw_path_join(x->dest, rel);
    if (sw_os_stat(path, false, &st) == 0) {
        sw_error_set(err, SW_EXIT_VERIFY,
                     "archive entry '%s' is a duplicate entry: refusing to extract", label);
        goto out;
    }
    if (errno != ENOENT) {
        sw_error_set(err, SW_EXIT_FS, "cannot stat '%s/%s': %s", x->dest, label, strerror(errno));
        goto out;
    }
    if (!x->disk) {
        x->disk = archive_write_disk_new();
        if (!x->disk || archive_write_disk_set_options(x->disk, ARCHIVE_EXTRACT_NO_OVERWRITE |
                                                                    ARCHIVE_EXTRACT_NO_AUTODIR) <
                            ARCHIVE_WARN) {
            sw_error_set(err, SW_EXIT_FAILURE, "cannot set up libarchive's disk writer");
            goto out;
        }
    }
    le = archive_entry_new();
    archive_entry_set_pathname(le, path);
    archive_entry_set_filetype(le, AE_IFLNK);
    archive_entry_set_perm(le, 0777);
    archive_entry_set_symlink(le, target);
    if (archive_write_header(x->disk, le) < ARCHIVE_WARN ||
        archive_write_finish_entry(x->disk) < ARCHIVE_WARN) {
        sw_error_set(err, SW_EXIT_FS, "cannot create the symbolic link '%s/%s': %s", x->dest, label,
                     sw_archive_message(x->disk, msg, sizeof(msg)));
        goto out;
    }
    if (sw_os_stat(path, false, &st) != 0 || st.kind != SW_OS_LINK) {
        sw_error_set(err, SW_EXIT_FS, "cannot create the symbolic link '%s/%s': %s", x->dest, label,
                     "something else took its name");
        goto out;
    }
    if (x->cb->on_link && x->cb->on_link(x->cb->ud, rel, target, err) != 0) {
        sw_archive_callback_error(label, err);
        goto out;
    }
    ret = 0;
out:
    archive_entry_free(le);
    free(path);
    return ret;
}
