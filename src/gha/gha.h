/* The GitHub Actions runner protocol: output and path files, workflow commands, the job
 * summary. Formats are in wash-facts.md section 6. */
#ifndef SW_GHA_H
#define SW_GHA_H

#include <stdio.h>

#include "core/buf.h"
#include "core/error.h"

/* What the runner files accept (README "Text from outside"): a value goes in whole and as it
 * is, or not at all. A value the runner would misread is refused with SW_EXIT_FS and a message
 * naming the output (or GITHUB_PATH), the offending byte or character and its offset: bytes
 * that are not UTF-8 (the runner decodes its files as UTF-8) and control characters
 * (sw_text_is_control in core/text.h), LF excepted in outputs. Each call is one write() of
 * whole records; a short write is truncated back off. */

/* Appends `name=value` records (the `name<<DELIM` form when a value has a newline, with a
 * delimiter that does not occur in the value) to the $GITHUB_OUTPUT-style `file`. Every value
 * is checked before anything is written, so a refusal leaves the file as it was. */
int sw_gha_set_outputs(const char *file, const char *const *names, const char *const *values,
                       size_t n, struct sw_error *err);
int sw_gha_set_output(const char *file, const char *name, const char *value,
                      struct sw_error *err);

/* Appends one directory line to the $GITHUB_PATH-style file; sw_gha_check_path is its check
 * alone, for a caller that must know before it writes anything else. */
int sw_gha_add_path(const char *file, const char *dir, struct sw_error *err);
int sw_gha_check_path(const char *dir, struct sw_error *err);

/* Appends Markdown to the $GITHUB_STEP_SUMMARY-style file (cells made with sw_md_cell). */
int sw_gha_summary(const char *file, const char *markdown, struct sw_error *err);

/* Escapes a command message (% CR LF) or a property (also : and ,), appending to out: the
 * protocol's escapes only (sw_gha_mask needs the value exact). */
void sw_gha_escape_data(struct sw_buf *out, const char *s);
void sw_gha_escape_prop(struct sw_buf *out, const char *s);

/* Writes `::<level> file=F,title=T::message` to f; file and title may be NULL. All three are
 * sanitised (sw_sanitize, core/text.h) before they are escaped: this is the writer of every
 * annotation, so text from outside cannot end the command or reach the log raw. */
void sw_gha_annotate(FILE *f, const char *level, const char *file, const char *title,
                     const char *message);

/* Writes `::add-mask::value` so the runner hides the value in logs. */
void sw_gha_mask(FILE *f, const char *value);

#endif
