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
    {"provenance", true, SW_VERIFY_PROVENANCE, NULL},
    {"", false, 0, "invalid --verify '': use auto, digest, provenance or none"},
    {"AUTO", false, 0, "invalid --verify 'AUTO': use auto, digest, provenance or none"},
    {"Digest", false, 0, "invalid --verify 'Digest'"},
    {"none ", false, 0, "invalid --verify 'none '"},
    {" auto", false, 0, "invalid --verify ' auto'"},
    {"off", false, 0, "invalid --verify 'off'"},
    {"false", false, 0, "invalid --verify 'false'"},
    {"sha256", false, 0, "invalid --verify 'sha256'"},
    {"Provenance", false, 0, "invalid --verify 'Provenance'"},
    {"sigstore", false, 0, "invalid --verify 'sigstore'"},
    {"no\nne", false, 0, "invalid --verify 'no\\x0ane'"},
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
    const char *verified; /* when ok */
    const char *msgs[4];  /* fragments of the error, NULL-terminated */
};

static const struct verify_row verify_rows[] = {
    {"auto, match",
     SW_VERIFY_AUTO,
     seq,
     "sha256:" HEX_SEQ,
     "sha256:" HEX_SEQ,
     "the GitHub API",
     true,
     "digest",
     {NULL}},
    {"digest, match",
     SW_VERIFY_DIGEST,
     seq,
     "sha256:" HEX_SEQ,
     "sha256:" HEX_SEQ,
     "plugins.lock",
     true,
     "digest",
     {NULL}},
    {"upper-case expected digest",
     SW_VERIFY_AUTO,
     seq,
     "sha256:" HEX_SEQ,
     "sha256:" HEX_SEQ_UPPER,
     "plugins.lock",
     true,
     "digest",
     {NULL}},
    {"all ones, match",
     SW_VERIFY_DIGEST,
     ones,
     "sha256:" HEX_ONES,
     "sha256:" HEX_ONES,
     "the GitHub API",
     true,
     "digest",
     {NULL}},
    {"mismatch, pinned in the lock",
     SW_VERIFY_AUTO,
     ones,
     "sha256:" HEX_ONES,
     "sha256:" HEX_SEQ,
     "plugins.lock",
     false,
     NULL,
     {"digest mismatch for '" ASSET "': expected sha256:" HEX_SEQ " (from plugins.lock), got "
      "sha256:" HEX_ONES,
      "nothing was installed", NULL}},
    {"mismatch, from the API",
     SW_VERIFY_DIGEST,
     seq,
     "sha256:" HEX_SEQ,
     "sha256:" HEX_ONES,
     "the GitHub API",
     false,
     NULL,
     {"expected sha256:" HEX_ONES " (from the GitHub API)", "got sha256:" HEX_SEQ, NULL}},
    {"one byte differs",
     SW_VERIFY_AUTO,
     seq_last,
     "sha256:" HEX_SEQ_LAST,
     "sha256:" HEX_SEQ,
     "plugins.lock",
     false,
     NULL,
     {"digest mismatch", "got sha256:" HEX_SEQ_LAST, NULL}},
    {"upper-case expected, mismatch",
     SW_VERIFY_AUTO,
     seq_last,
     "sha256:" HEX_SEQ_LAST,
     "sha256:" HEX_SEQ_UPPER,
     "plugins.lock",
     false,
     NULL,
     {"digest mismatch", NULL}},
    {"no digest known, auto",
     SW_VERIFY_AUTO,
     seq,
     "sha256:" HEX_SEQ,
     NULL,
     NULL,
     false,
     NULL,
     {"no digest is known for '" ASSET "'", "pin one with 'setup-wash lock'",
      "pass --verify none to install it unverified", NULL}},
    {"no digest known, digest",
     SW_VERIFY_DIGEST,
     seq,
     "sha256:" HEX_SEQ,
     NULL,
     NULL,
     false,
     NULL,
     {"no digest is known for '" ASSET "'", "setup-wash lock", "--verify none", NULL}},
    {"malformed expected digest",
     SW_VERIFY_AUTO,
     seq,
     "sha256:" HEX_SEQ,
     "sha256:0001",
     "plugins.lock",
     false,
     NULL,
     {"cannot be verified", NULL}},
    {"expected digest of another algorithm",
     SW_VERIFY_AUTO,
     seq,
     "sha256:" HEX_SEQ,
     "sha512:" HEX_SEQ,
     "plugins.lock",
     false,
     NULL,
     {"cannot be verified", NULL}},
    {"empty expected digest",
     SW_VERIFY_DIGEST,
     seq,
     "sha256:" HEX_SEQ,
     "",
     "plugins.lock",
     false,
     NULL,
     {"cannot be verified", NULL}},
    {"none, nothing known",
     SW_VERIFY_NONE,
     seq,
     "sha256:" HEX_SEQ,
     NULL,
     NULL,
     true,
     "none",
     {NULL}},
    {"none, even a mismatch",
     SW_VERIFY_NONE,
     ones,
     "sha256:" HEX_ONES,
     "sha256:" HEX_SEQ,
     "plugins.lock",
     true,
     "none",
     {NULL}},
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

/* ---- the provenance rules: what each mode does with each outcome ---- */

#define ACC SW_PROV_ACCEPT
#define DIG SW_PROV_DIGEST_ONLY
#define WRN SW_PROV_WARN
#define REJ SW_PROV_REJECT

struct action_row {
    enum sw_prov_status st;
    const char *name;
    enum sw_prov_action want[4]; /* auto, digest, provenance, none */
};

static const struct action_row action_rows[] = {
    {SW_PROV_VERIFIED, "verified", {ACC, ACC, ACC, ACC}},
    {SW_PROV_NOT_ATTESTED, "not-attested", {DIG, DIG, REJ, DIG}},
    {SW_PROV_NOT_FOUND, "not-found", {WRN, DIG, REJ, DIG}},
    {SW_PROV_UNREACHABLE, "unreachable", {WRN, DIG, REJ, DIG}},
    {SW_PROV_UNSUPPORTED, "unsupported", {WRN, DIG, REJ, DIG}},
    /* a bundle that does not verify is refused whatever the mode */
    {SW_PROV_FAILED, "failed", {REJ, REJ, REJ, REJ}},
    {SW_PROV_SKIPPED, "skipped", {REJ, DIG, REJ, DIG}},
};

static void test_prov_actions(void **state)
{
    (void)state;
    static const enum sw_verify_mode modes[4] = {SW_VERIFY_AUTO, SW_VERIFY_DIGEST,
                                                 SW_VERIFY_PROVENANCE, SW_VERIFY_NONE};
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(action_rows); i++) {
        const struct action_row *r = &action_rows[i];
        enum sw_prov_status back = (enum sw_prov_status)99;
        if (strcmp(sw_prov_status_name(r->st), r->name) != 0 ||
            !sw_prov_status_parse(r->name, &back) || back != r->st) {
            print_error("row %zu: status name '%s', want '%s'\n", i, sw_prov_status_name(r->st),
                        r->name);
            bad++;
        }
        for (int m = 0; m < 4; m++)
            if (sw_verify_prov_action(modes[m], r->st) != r->want[m]) {
                print_error("row %zu (%s), mode %s: action %d, want %d\n", i, r->name,
                            sw_verify_mode_name(modes[m]),
                            (int)sw_verify_prov_action(modes[m], r->st), (int)r->want[m]);
                bad++;
            }
    }
    enum sw_prov_status st;
    if (sw_prov_status_parse("Verified", &st) || sw_prov_status_parse(NULL, &st) ||
        sw_prov_status_parse("", &st)) {
        print_error("a status name that is none parsed\n");
        bad++;
    }
    if (bad)
        fail();
}

/* ---- which releases have provenance (data/wash.c), and which modes ask for it ---- */

struct version_row {
    const char *version;
    bool attested, asset;
};

static const struct version_row version_rows[] = {
    {"0.43.0", false, false}, /* the old line */
    {"1.0.0-beta.1", false, false}, {"1.0.0-beta.8", false, false}, {"1.0.0-beta.9", true, false},
    {"1.0.0-beta.10", true, false}, {"1.0.0-rc.2", true, false},    {"2.0.0-rc.7", true, false},
    {"2.0.0-rc.8", true, false},    {"2.0.6", true, false},         {"2.1.0-rc.1", true, false},
    {"2.1.0", true, true},          {"2.7.0", true, true},          {"3.0.0", true, true},
};

static void test_version_facts(void **state)
{
    (void)state;
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(version_rows); i++) {
        const struct version_row *r = &version_rows[i];
        struct sw_semver v;
        assert_int_equal(sw_semver_parse(r->version, &v, NULL), 0);
        if (sw_version_attested(&v) != r->attested ||
            sw_version_has_sigstore_asset(&v) != r->asset) {
            print_error("row %zu (%s): attested %d asset %d, want %d %d\n", i, r->version,
                        sw_version_attested(&v), sw_version_has_sigstore_asset(&v), r->attested,
                        r->asset);
            bad++;
        }
        bool want_auto = r->attested;
        if (sw_verify_wants_provenance(SW_VERIFY_AUTO, r->attested) != want_auto ||
            !sw_verify_wants_provenance(SW_VERIFY_PROVENANCE, r->attested) ||
            sw_verify_wants_provenance(SW_VERIFY_DIGEST, r->attested) ||
            sw_verify_wants_provenance(SW_VERIFY_NONE, r->attested)) {
            print_error("row %zu (%s): the modes ask for provenance wrongly\n", i, r->version);
            bad++;
        }
    }
    if (bad)
        fail();
}

/* ---- the signer of each release (data/wash.c sw_signers) ---- */

#define GH "https://github.com/"
struct signer_row {
    const char *repo, *version;
    enum sw_signer_kind kind;
    const char *san, *source_ref; /* RELEASE: expected SAN and tag ("" for a branch ref) */
};

static const struct signer_row signer_rows[] = {
    {"wasmCloud/wash", "1.0.0-beta.9", SW_SIGNER_RELEASE,
     GH "wasmCloud/wash/.github/workflows/wash.yml@refs/tags/wash-v1.0.0-beta.9",
     "refs/tags/wash-v1.0.0-beta.9"},
    {"wasmcloud/WASH", "2.0.0-rc.7", SW_SIGNER_RELEASE,
     GH "wasmCloud/wash/.github/workflows/wash.yml@refs/tags/wash-v2.0.0-rc.7",
     "refs/tags/wash-v2.0.0-rc.7"},
    {"wasmCloud/wasmCloud", "2.0.0-rc.8", SW_SIGNER_RELEASE,
     GH "wasmCloud/wasmCloud/.github/workflows/wash.yml@refs/tags/wash-v2.0.0-rc.8",
     "refs/tags/wash-v2.0.0-rc.8"},
    {"wasmCloud/wasmCloud", "2.0.0", SW_SIGNER_RELEASE,
     GH "wasmCloud/wasmCloud/.github/workflows/wash.yml@refs/tags/v2.0.0", "refs/tags/v2.0.0"},
    {"wasmCloud/wasmCloud", "2.0.5", SW_SIGNER_RELEASE,
     GH "wasmCloud/wasmCloud/.github/workflows/wash.yml@refs/tags/v2.0.5", "refs/tags/v2.0.5"},
    {"wasmCloud/wasmCloud", "2.0.6", SW_SIGNER_RELEASE,
     GH "wasmCloud/wasmCloud/.github/workflows/release-tag.yml@refs/heads/main", ""},
    {"wasmCloud/wasmCloud", "2.8.0-rc.2", SW_SIGNER_RELEASE,
     GH "wasmCloud/wasmCloud/.github/workflows/release-tag.yml@refs/heads/main", ""},
    {"wasmCloud/wasmCloud", "2.9.0", SW_SIGNER_RELEASE,
     GH "wasmCloud/wasmCloud/.github/workflows/release-tag.yml@refs/heads/main", ""},
    /* newer than the newest release of the table: the repository-wide rule */
    {"wasmCloud/wasmCloud", "2.9.1", SW_SIGNER_REPOSITORY, "", ""},
    {"wasmCloud/wasmCloud", "2.10.0-rc.1", SW_SIGNER_REPOSITORY, "", ""},
    {"wasmCloud/wasmCloud", "3.0.0", SW_SIGNER_REPOSITORY, "", ""},
    {"wasmCloud/wash", "3.0.0", SW_SIGNER_REPOSITORY, "", ""},
    /* the read-only repository published nothing after rc.7: not newer than the table */
    {"wasmCloud/wash", "2.0.0-rc.8", SW_SIGNER_UNKNOWN, "", ""},
    {"wasmCloud/wash", "2.1.0", SW_SIGNER_UNKNOWN, "", ""},
    /* in no row and not newer: no identity is known */
    {"wasmCloud/wash", "1.0.0-beta.8", SW_SIGNER_UNKNOWN, "", ""},
    {"wasmCloud/wasmCloud", "2.0.0-rc.7", SW_SIGNER_UNKNOWN, "", ""},
    {"wasmCloud/wasmCloud", "1.9.2", SW_SIGNER_UNKNOWN, "", ""},
    {"evil/wasmCloud", "2.9.0", SW_SIGNER_UNKNOWN, "", ""},
    {"wasmCloud/wasmCloud", "not-a-version", SW_SIGNER_UNKNOWN, "", ""},
};

static void test_signer_table(void **state)
{
    (void)state;
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(signer_rows); i++) {
        const struct signer_row *r = &signer_rows[i];
        struct sw_signer_expect e;
        sw_signer_expected(r->repo, r->version, &e);
        if (e.kind != r->kind || strcmp(e.san, r->san) != 0 ||
            strcmp(e.source_ref, r->source_ref) != 0) {
            print_error("row %zu (%s %s): kind %d san '%s' ref '%s'\n", i, r->repo, r->version,
                        e.kind, e.san, e.source_ref);
            bad++;
        }
    }
    if (bad)
        fail();
}

/* ---- a cached install and the mode of the next one ---- */

struct cached_row {
    const char *verified, *prov; /* the marker; prov NULL: a marker from before provenance */
    bool want[4];                /* auto, digest, provenance, none */
};

static const struct cached_row cached_rows[] = {
    {"provenance", "verified", {true, true, true, true}},
    {"digest", "not-attested", {true, true, false, true}},
    {"digest", "not-found", {true, true, false, true}},
    {"digest", "unsupported", {true, true, false, true}},
    /* a network failure may pass: auto tries again */
    {"digest", "unreachable", {false, true, false, true}},
    /* installed with --verify digest: auto would have checked provenance */
    {"digest", "skipped", {false, true, false, true}},
    {"digest", NULL, {false, true, false, true}},
    {"digest", "bogus", {false, true, false, true}},
    {"none", "skipped", {false, false, false, true}},
    {"none", NULL, {false, false, false, true}},
    {"sha256", NULL, {false, false, false, true}},
};

static void test_cached_ok(void **state)
{
    (void)state;
    static const enum sw_verify_mode modes[4] = {SW_VERIFY_AUTO, SW_VERIFY_DIGEST,
                                                 SW_VERIFY_PROVENANCE, SW_VERIFY_NONE};
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(cached_rows); i++)
        for (int m = 0; m < 4; m++) {
            const struct cached_row *r = &cached_rows[i];
            if (sw_verify_cached_ok(modes[m], r->verified, r->prov) != r->want[m]) {
                print_error("row %zu (%s, %s), mode %s: want %d\n", i, r->verified,
                            r->prov ? r->prov : "-", sw_verify_mode_name(modes[m]), r->want[m]);
                bad++;
            }
        }
    if (bad)
        fail();
}

/* ---- sw_digest_parse ---- */

static void test_digest_parse(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        const unsigned char *want; /* NULL: refused */
    } rows[] = {
        {"sha256:" HEX_SEQ, seq},
        {"sha256:" HEX_SEQ_UPPER, seq},
        {"sha256:" HEX_ONES, ones},
        {"sha256:" HEX_SEQ_LAST, seq_last},
        {"sha512:" HEX_SEQ, NULL},
        {"sha256:" HEX_SEQ "00", NULL},
        {"sha256:0001", NULL},
        {"", NULL},
        {NULL, NULL},
        {"sha256:" HEX_SEQ " ", NULL},
    };
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(rows); i++) {
        unsigned char out[32];
        int rc = sw_digest_parse(rows[i].in, out);
        if (rows[i].want ? rc != 0 || memcmp(out, rows[i].want, 32) != 0 : rc != -1) {
            print_error("row %zu (%s): rc %d\n", i, rows[i].in ? rows[i].in : "NULL", rc);
            bad++;
        }
    }
    if (bad)
        fail();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mode_parse),    cmocka_unit_test(test_digest_format),
        cmocka_unit_test(test_verify),        cmocka_unit_test(test_prov_actions),
        cmocka_unit_test(test_version_facts), cmocka_unit_test(test_cached_ok),
        cmocka_unit_test(test_digest_parse),  cmocka_unit_test(test_signer_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
