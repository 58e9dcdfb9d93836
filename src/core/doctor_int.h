/* Shared by the files that implement doctor's checks (doctor.c, doctor_go.c, doctor_lang.c);
 * not part of the public interface. */
#ifndef SW_DOCTOR_INT_H
#define SW_DOCTOR_INT_H

#include "core/attr.h"
#include "core/compat.h"
#include "core/doctor.h"
#include "core/semver.h"
#include "data/toolchains.h"

/* Sets status and message (printf-style). */
void sw_chk_set(struct sw_check *c, enum sw_check_status s, const char *fmt, ...)
    SW_PRINTF(3, 4);
/* Appends to the message. */
void sw_chk_more(struct sw_check *c, const char *fmt, ...) SW_PRINTF(2, 3);
/* Sets the fix, or appends "; <fix>" when one is set. */
void sw_chk_fix(struct sw_check *c, const char *fmt, ...) SW_PRINTF(2, 3);
/* Adds a found entry (ignored past SW_CHECK_FOUND_MAX). The value is kept as it is, not
 * escaped: it reaches only --json, whose writer keeps a string's value (core/json.h); one too
 * long is cut between whole characters. */
void sw_chk_found(struct sw_check *c, const char *key, const char *fmt, ...)
    SW_PRINTF(3, 4);
/* sw_chk_found for a program's answer (out may be NULL): without its surrounding whitespace. */
void sw_chk_found_answer(struct sw_check *c, const char *key, const char *out);

/* A skip for a language the project does not use. */
void sw_chk_not_lang(const struct sw_doctor_facts *f, struct sw_check *c, const char *lang,
                     const char *files);

#define SW_NO_GO "Go", "go.mod"
#define SW_NO_RUST "Rust", "Cargo.toml"
#define SW_NO_TS "TypeScript", "tsconfig.json, nor package.json listing typescript or @bytecodealliance/jco,"

/* For a probe that timed out, failed or could not start: sets c to `status` with a message
 * naming the command and the cause, and `fix`; returns true. Returns false otherwise. */
bool sw_chk_probe_failed(struct sw_check *c, const struct sw_probe *p, enum sw_check_status status,
                         const char *fix);

/* The checks, one function each; referenced from sw_check_defs in doctor.c. */
void sw_chk_project(const struct sw_doctor_facts *f, struct sw_check *c);
void sw_chk_wash(const struct sw_doctor_facts *f, struct sw_check *c);
void sw_chk_wash_config(const struct sw_doctor_facts *f, struct sw_check *c);
void sw_chk_host_plugins(const struct sw_doctor_facts *f, struct sw_check *c);
void sw_chk_plugins(const struct sw_doctor_facts *f, struct sw_check *c);
void sw_chk_go(const struct sw_doctor_facts *f, struct sw_check *c);
void sw_chk_tinygo(const struct sw_doctor_facts *f, struct sw_check *c);
void sw_chk_tinygo_go(const struct sw_doctor_facts *f, struct sw_check *c);
void sw_chk_tinygo_built(const struct sw_doctor_facts *f, struct sw_check *c);
void sw_chk_wasm_tools(const struct sw_doctor_facts *f, struct sw_check *c);
void sw_chk_wit_bindgen_go(const struct sw_doctor_facts *f, struct sw_check *c);
void sw_chk_tools_lock(const struct sw_doctor_facts *f, struct sw_check *c);
void sw_chk_rust(const struct sw_doctor_facts *f, struct sw_check *c);
void sw_chk_rust_wasip2(const struct sw_doctor_facts *f, struct sw_check *c);
void sw_chk_cargo_component(const struct sw_doctor_facts *f, struct sw_check *c);
void sw_chk_node(const struct sw_doctor_facts *f, struct sw_check *c);
void sw_chk_jco(const struct sw_doctor_facts *f, struct sw_check *c);

#endif
