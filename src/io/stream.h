/* An archive unpacked while it downloads: the HTTP engine's thread writes the body into a
 * bounded in-memory pipe (the sink of the request, io/http.h) and a thread of the stream's own
 * pulls it through sw_archive_extract_cb (io/archive.h) into a directory. Memory stays at the
 * pipe's capacity whatever the archive's size; the slower side sets the pace (a full pipe
 * blocks the writer, an empty one the extractor).
 *
 * A body that starts over (the engine retries after bytes were written) restarts the
 * extraction: the directory is wiped and made again, on_restart is called, and the extractor
 * reads the new body from its first byte, so no byte is ever unpacked twice. When the
 * extraction fails (a hostile or malformed archive, a write error), the rest of the body is
 * still taken and dropped: the request completes and its digest covers every byte, so a
 * caller can check the digest first and report the download for what it is.
 *
 * Unpacking bytes that are not verified yet is acceptable only because the extractor is
 * hardened (io/archive.h: nothing is written outside `dest`, sizes and counts are capped) and
 * `dest` is a staging directory that the caller renames into place after the digest is proven,
 * or removes.
 *
 * Ownership: a struct sw_stream owns its pipe, thread and copies of the spec's strings; it is
 * freed by sw_stream_finish, which must be called once for every stream started (it waits for
 * the thread, which writes into dest until then). */
#ifndef SW_STREAM_H
#define SW_STREAM_H

#include <stddef.h>

#include "core/error.h"
#include "io/archive.h"
#include "io/http.h"

struct sw_stream_spec {
    const char *what; /* the archive's name in messages (the asset) */
    const char *dest; /* the directory to unpack into: must not exist; made by the stream */
    /* limits and callbacks for sw_archive_extract_cb; the callbacks run on the stream's
     * thread, as does on_restart */
    struct sw_extract_limits limits;
    /* Called before an extraction starts over, after dest was wiped (forget what on_file and
     * on_link were told). May be NULL. */
    void (*on_restart)(void *ud);
    size_t capacity; /* bytes the pipe holds; 0: 1 MiB */
};

struct sw_stream;

/* Starts the extraction thread, which waits for the body. *out is the stream; give
 * sw_stream_sink(*out) to the request. Fails (SW_EXIT_FS) when the thread cannot start. */
int sw_stream_start(const struct sw_stream_spec *spec, struct sw_stream **out,
                    struct sw_error *err);

/* The sink that feeds the stream; it lives as long as the stream. */
const struct sw_http_sink *sw_stream_sink(struct sw_stream *s);

/* Waits for the extraction to end and frees s (NULL: 0). A stream whose request never ended
 * (its sink's end was not called) is ended here as a failure first. Returns 0 when the archive
 * was unpacked whole from a body that completed, else -1 with err: the extractor's error
 * (io/archive.h: SW_EXIT_VERIFY for a hostile or malformed archive, SW_EXIT_FS for a write
 * failure), or the request's own error when the body failed. */
int sw_stream_finish(struct sw_stream *s, struct sw_error *err);

#endif
