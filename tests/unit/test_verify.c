/* Unit tests for src/core/verify.c: the --verify mode and the digest check that gates every
 * install. Every verification has a forged input that must fail. Failing rows are printed by
 * number. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/verify.h"

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))

#define ASSET "wash-x86_64-unknown-linux-gnu"

/* Three 32-byte "SHA-256" values and their digest strings. */
static const unsigned char seq[32] = {0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10,
                                      11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
                                      22, 23, 24, 25, 26, 27, 28, 29, 30, 31};
static const unsigned char ones[32] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
/* seq with the last byte changed: a forgery that differs in one bit */
static const unsigned char seq_last[32] = {0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10,
                                           11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
                                           22, 23, 24, 25, 26, 27, 28, 29, 30, 30};

#define HEX_SEQ "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define HEX_SEQ_UPPER "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F"
#define HEX_SEQ_LAST "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1e"
#define HEX_ONES "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"

/* ---- sw_verify_mode_parse ---- */

struct mode_row {
    const char *in;
    bool ok;
    enum sw_verify_mode mode;
    const char *msg;
};

static const struct mode_row mode_rows[] = {
    {"auto", true, SW_VERIFY_AUTO, NULL},
    {"digest", true, SW_VERIFY_DIGEST, NULL},
    {"none", true, SW_VERIFY_NONE, NULL},
    {"", false, 0, "invalid --verify '': use auto, digest or none"},
    {"AUTO", false, 0, "invalid --verify 'AUTO': use auto, digest or none"},
    {"Digest", false, 0, "invalid --verify 'Digest'"},
    {"none ", false, 0, "invalid --verify 'none '"},
    {" auto", false, 0, "invalid --verify ' auto'"},
    {"off", false, 0, "invalid --verify 'off'"},
    {"false", false, 0, "invalid --verify 'false'"},
    {"sha256", false, 0, "invalid --verify 'sha256'"},
    {"provenance", false, 0, "invalid --verify 'provenance'"},
    {"no\nne", false, 0, "invalid --verify 'no?ne'"},
};

static void test_mode_parse(void **state)
{
    (void)state;
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(mode_rows); i++) {
        const struct mode_row *r = &mode_rows[i];
        enum sw_verify_mode m = (enum sw_verify_mode)99;
        struct sw_error err = {0};
        int rc = sw_verify_mode_parse(r->in, &m, &err);
        if (r->ok && (rc != 0 || m != r->mode)) {
            print_error("row %zu: '%s' gave rc %d mode %d (%s), want %d\n", i, r->in, rc, (int)m,
                        err.msg, (int)r->mode);
            bad++;
        } else if (!r->ok &&
                   (rc != -1 || err.code != SW_EXIT_USAGE || strstr(err.msg, r->msg) == NULL)) {
            print_error("row %zu: '%s' should fail with '%s', got rc %d code %d '%s'\n", i, r->in,
                        r->msg, rc, err.code, err.msg);
            bad++;
        }
    }
    if (bad)
        fail();
}

/* ---- sw_digest_format ---- */

static void test_digest_format(void **state)
{
    (void)state;
    static const struct {
        const unsigned char *sha;
        size_t n;
        const char *want;
    } rows[] = {
        {seq, 80, "sha256:" HEX_SEQ},
        {ones, 80, "sha256:" HEX_ONES},
        {seq_last, 72, "sha256:" HEX_SEQ_LAST},
        {seq, 8, "sha256:"},
    };
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(rows); i++) {
        char buf[96];
        memset(buf, 'Z', sizeof(buf));
        sw_digest_format(rows[i].sha, buf, rows[i].n);
        if (strcmp(buf, rows[i].want) != 0 || buf[rows[i].n] != 'Z') {
            print_error("row %zu: formatted '%s', want '%s'\n", i, buf, rows[i].want);
            bad++;
        }
    }
    if (bad)
        fail();
}

/* ---- sw_verify_artifact ---- */

struct verify_row {
    const char *name;
    enum sw_verify_mode mode;
    const unsigned char *sha; /* of the downloaded bytes */
    const char *actual;       /* its digest string */
    const char *expected, *source;
    bool ok;
    const char *verified;    /* when ok */
    const char *msgs[4];     /* fragments of the error, NULL-terminated */
};

static const struct verify_row verify_rows[] = {
    {"auto, match", SW_VERIFY_AUTO, seq, "sha256:" HEX_SEQ, "sha256:" HEX_SEQ, "the GitHub API",
     true, "digest", {NULL}},
    {"digest, match", SW_VERIFY_DIGEST, seq, "sha256:" HEX_SEQ, "sha256:" HEX_SEQ,
     "plugins.lock", true, "digest", {NULL}},
    {"upper-case expected digest", SW_VERIFY_AUTO, seq, "sha256:" HEX_SEQ,
     "sha256:" HEX_SEQ_UPPER, "plugins.lock", true, "digest", {NULL}},
    {"all ones, match", SW_VERIFY_DIGEST, ones, "sha256:" HEX_ONES, "sha256:" HEX_ONES,
     "the GitHub API", true, "digest", {NULL}},
    {"mismatch, pinned in the lock", SW_VERIFY_AUTO, ones, "sha256:" HEX_ONES, "sha256:" HEX_SEQ,
     "plugins.lock", false, NULL,
     {"digest mismatch for '" ASSET "': expected sha256:" HEX_SEQ " (from plugins.lock), got "
      "sha256:" HEX_ONES,
      "nothing was installed", NULL}},
    {"mismatch, from the API", SW_VERIFY_DIGEST, seq, "sha256:" HEX_SEQ, "sha256:" HEX_ONES,
     "the GitHub API", false, NULL,
     {"expected sha256:" HEX_ONES " (from the GitHub API)", "got sha256:" HEX_SEQ, NULL}},
    {"one byte differs", SW_VERIFY_AUTO, seq_last, "sha256:" HEX_SEQ_LAST, "sha256:" HEX_SEQ,
     "plugins.lock", false, NULL, {"digest mismatch", "got sha256:" HEX_SEQ_LAST, NULL}},
    {"upper-case expected, mismatch", SW_VERIFY_AUTO, seq_last, "sha256:" HEX_SEQ_LAST,
     "sha256:" HEX_SEQ_UPPER, "plugins.lock", false, NULL, {"digest mismatch", NULL}},
    {"no digest known, auto", SW_VERIFY_AUTO, seq, "sha256:" HEX_SEQ, NULL, NULL, false, NULL,
     {"no digest is known for '" ASSET "'", "pin one with 'setup-wash lock'",
      "pass --verify none to install it unverified", NULL}},
    {"no digest known, digest", SW_VERIFY_DIGEST, seq, "sha256:" HEX_SEQ, NULL, NULL, false, NULL,
     {"no digest is known for '" ASSET "'", "setup-wash lock", "--verify none", NULL}},
    {"malformed expected digest", SW_VERIFY_AUTO, seq, "sha256:" HEX_SEQ, "sha256:0001",
     "plugins.lock", false, NULL, {"cannot be verified", NULL}},
    {"expected digest of another algorithm", SW_VERIFY_AUTO, seq, "sha256:" HEX_SEQ,
     "sha512:" HEX_SEQ, "plugins.lock", false, NULL, {"cannot be verified", NULL}},
    {"empty expected digest", SW_VERIFY_DIGEST, seq, "sha256:" HEX_SEQ, "", "plugins.lock",
     false, NULL, {"cannot be verified", NULL}},
    {"none, nothing known", SW_VERIFY_NONE, seq, "sha256:" HEX_SEQ, NULL, NULL, true, "none",
     {NULL}},
    {"none, even a mismatch", SW_VERIFY_NONE, ones, "sha256:" HEX_ONES, "sha256:" HEX_SEQ,
     "plugins.lock", true, "none", {NULL}},
};

static void test_verify(void **state)
{
    (void)state;
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(verify_rows); i++) {
        const struct verify_row *r = &verify_rows[i];
        struct sw_verify_input in = {ASSET, r->sha, r->expected, r->source};
        struct sw_verify_result out;
        struct sw_error err = {0};
        memset(&out, 'Z', sizeof(out));
        out.verified[sizeof(out.verified) - 1] = out.actual[sizeof(out.actual) - 1] = '\0';
        int rc = sw_verify_artifact(r->mode, &in, &out, &err);
        bool ok = strcmp(out.actual, r->actual) == 0;
        if (r->ok) {
            ok = ok && rc == 0 && strcmp(out.verified, r->verified) == 0;
        } else {
            ok = ok && rc == -1 && err.code == SW_EXIT_VERIFY && strcmp(out.verified, "none") == 0;
            for (size_t k = 0; ok && r->msgs[k]; k++)
                ok = strstr(err.msg, r->msgs[k]) != NULL;
        }
        if (!ok) {
            print_error("row %zu (%s): rc %d code %d verified '%s' actual '%s' msg '%s'; want %s "
                        "verified '%s' actual '%s' msg with '%s'\n",
                        i, r->name, rc, err.code, out.verified, out.actual, err.msg,
                        r->ok ? "ok" : "SW_EXIT_VERIFY", r->ok ? r->verified : "none", r->actual,
                        r->msgs[0] ? r->msgs[0] : "");
            bad++;
        }
    }
    if (bad)
        fail();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mode_parse),
        cmocka_unit_test(test_digest_format),
        cmocka_unit_test(test_verify),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
