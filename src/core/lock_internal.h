/* Shared by lock.c (the file and the wash entry), lock_plugins.c (the plugin entries) and
 * lock_tools.c (the tool entries). */
#ifndef SW_LOCK_INTERNAL_H
#define SW_LOCK_INTERNAL_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "core/lock.h"

/* Fails (SW_EXIT_USAGE) naming `where` when obj has a key not in the NULL-terminated list. */
int sw_lock_only_keys(const cJSON *obj, const char *const *keys, const char *path,
                      const char *where, struct sw_error *err);

/* Copies the string member key into *out (caller frees); absent is fine unless required. */
int sw_lock_req_str(const cJSON *obj, const char *key, bool required, char **out,
                    const char *path, const char *where, struct sw_error *err);

/* Reads an optional whole, non-negative "size" member into *out (-1 when absent). */
int sw_lock_size(const cJSON *obj, int64_t *out, const char *path, const char *where,
                 struct sw_error *err);

/* Lowercases a valid digest in place, or fails naming where. */
int sw_lock_digest(char *digest, const char *path, const char *where, struct sw_error *err);

int sw_lock_parse_plugins(const cJSON *arr, struct sw_lock *lock, const char *path,
                          struct sw_error *err);
cJSON *sw_lock_format_plugins(const struct sw_lock *lock);
void sw_lock_free_plugins(struct sw_lock *lock);

/* The "tools" object: parsed into lock->tools (freed with the lock on failure), formatted as
 * a new object (the caller adds it only when lock->ntools > 0), freed. */
int sw_lock_parse_tools(const cJSON *obj, struct sw_lock *lock, const char *path,
                        struct sw_error *err);
cJSON *sw_lock_format_tools(const struct sw_lock *lock);
void sw_lock_free_tools(struct sw_lock *lock);

#endif
