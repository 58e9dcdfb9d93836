/* The GitHub Actions runner protocol: output and path files, workflow commands, the job
 * summary. Formats are in wash-facts.md section 6. */
#ifndef SW_GHA_H
#define SW_GHA_H

#include <stdio.h>

#include "core/buf.h"
#include "core/error.h"

/* Appends `name=value` (or the `name<<DELIM` form when value has a newline, with a delimiter
 * that does not occur in the value) to the file named by $GITHUB_OUTPUT-style `file`. */
int sw_gha_set_output(const char *file, const char *name, const char *value,
                      struct sw_error *err);

/* Appends one directory line to the $GITHUB_PATH-style file. */
int sw_gha_add_path(const char *file, const char *dir, struct sw_error *err);

/* Appends Markdown to the $GITHUB_STEP_SUMMARY-style file. */
int sw_gha_summary(const char *file, const char *markdown, struct sw_error *err);

/* Appends s as the content of one Markdown table cell: '|' escaped, line breaks as spaces. */
void sw_gha_md_cell(struct sw_buf *out, const char *s);

/* Escapes a command message (% CR LF) or a property (also : and ,), appending to out. */
void sw_gha_escape_data(struct sw_buf *out, const char *s);
void sw_gha_escape_prop(struct sw_buf *out, const char *s);

/* Writes `::<level> file=F,title=T::message` to f; file and title may be NULL. */
void sw_gha_annotate(FILE *f, const char *level, const char *file, const char *title,
                     const char *message);

/* Writes `::add-mask::value` so the runner hides the value in logs. */
void sw_gha_mask(FILE *f, const char *value);

#endif
