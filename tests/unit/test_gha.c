/* Unit tests for src/gha/gha.c (the runner protocol: output and path files, workflow commands)
 * and for sw_http_url_gets_token from src/io/http.c (which URLs may see the token). One table
 * per area; failing rows are printed by number. Runner files go to a fresh temporary
 * directory that is removed afterwards. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gha/gha.h"
#include "io/fs.h"
#include "io/http.h"
#include "os/os.h"
#include "support.h"

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- a scratch directory for runner files ---- */

struct scratch {
    char dir[512];
    char file[600];
};

static int scratch_setup(void **state)
{
    struct scratch *s = calloc(1, sizeof(*s));
    if (!s)
        return -1;
    char *dir = sw_test_tmpdir("sw-test-gha");
    snprintf(s->dir, sizeof(s->dir), "%s", dir);
    free(dir);
    snprintf(s->file, sizeof(s->file), "%s/runner-file", s->dir);
    *state = s;
    return 0;
}

static int scratch_teardown(void **state)
{
    struct scratch *s = *state;
    if (s) {
        sw_fs_rm_rf(s->dir, NULL);
        free(s);
    }
    return 0;
}

/* The whole file (at most n-1 bytes) into buf; the file is removed. */
static void take_file(const char *path, char *buf, size_t n)
{
    FILE *f = fopen(path, "rb");
    size_t len = f ? fread(buf, 1, n - 1, f) : 0;
    buf[len] = '\0';
    if (f)
        fclose(f);
    sw_os_unlink(path);
}

/* Reads one `name=value` or `name<<DELIM` ... `DELIM` entry the way the runner does (lines
 * split on LF). Returns true and the value in val when text holds exactly one entry. */
static bool runner_read(const char *text, const char *name, char *val, size_t n)
{
    size_t nl = strlen(name);
    const char *eol = strchr(text, '\n');
    if (!eol || strncmp(text, name, nl) != 0)
        return false;
    if (text[nl] == '=') {
        snprintf(val, n, "%.*s", (int)(eol - text - nl - 1), text + nl + 1);
        return eol[1] == '\0';
    }
    if (strncmp(text + nl, "<<", 2) != 0)
        return false;
    char delim[128];
    snprintf(delim, sizeof(delim), "%.*s", (int)(eol - text - nl - 2), text + nl + 2);
    if (!delim[0])
        return false;
    size_t used = 0;
    val[0] = '\0';
    for (const char *line = eol + 1; *line;) {
        const char *end = strchr(line, '\n');
        size_t l = end ? (size_t)(end - line) : strlen(line);
        if (l == strlen(delim) && strncmp(line, delim, l) == 0)
            return end && end[1] == '\0'; /* the delimiter ends the value and the file */
        used += (size_t)snprintf(val + used, n - used, "%s%.*s", line == eol + 1 ? "" : "\n",
                                 (int)l, line);
        if (!end || used >= n)
            return false;
        line = end + 1;
    }
    return false; /* no closing delimiter */
}

/* ---- sw_gha_set_output ---- */

struct output_row {
    const char *name, *value;
    const char *want;     /* the exact text appended; NULL: refused, SW_EXIT_FS, nothing written */
    const char *fragment; /* of the refusal */
};

static const struct output_row output_rows[] = {
    {"version", "2.7.0", "version=2.7.0\n", NULL},
    {"empty", "", "empty=\n", NULL},
    {"path", "/opt/hostedtoolcache/wash/2.7.0/x64/wash",
     "path=/opt/hostedtoolcache/wash/2.7.0/x64/wash\n", NULL},
    {"eq", "a=b<<c", "eq=a=b<<c\n", NULL},
    {"multi", "line one\nline two",
     "multi<<SETUP_WASH_EOF_0\nline one\nline two\nSETUP_WASH_EOF_0\n", NULL},
    {"utf8", "/home/j\xc3\xbcrgen/\xe6\xbc\xa2/\xf0\x9f\x93\xa6",
     "utf8=/home/j\xc3\xbcrgen/\xe6\xbc\xa2/\xf0\x9f\x93\xa6\n", NULL},
    {"cr", "a\rb", NULL,
     "refusing to write the output 'cr': its value 'a\\x0db' has the control character U+000D at "
     "byte 1"},
    {"crlf", "a\r\nb", NULL, "U+000D at byte 1"},
    {"esc", "2.7.0\x1b[2J", NULL, "'2.7.0\\x1b[2J' has the control character U+001B at byte 5"},
    {"tab", "a\tb", NULL, "U+0009 at byte 1"},
    {"nul-ish", "a\x01", NULL, "U+0001 at byte 1"},
    {"del", "a\x7f", NULL, "U+007F at byte 1"},
    {"c1",
     "a\xc2\x9b"
     "2J",
     NULL, "U+009B at byte 1"},
    {"bidi",
     "a\xe2\x80\xae"
     "b",
     NULL, "U+202E at byte 1"},
    {"ff",
     "/tmp/c\xff"
     "d/wash",
     NULL, "'/tmp/c\\xffd/wash' has the byte 0xff, which is not UTF-8, at byte 6"},
    {"overlong", "a\xc0\xaf", NULL, "the byte 0xc0, which is not UTF-8, at byte 1"},
    {"surrogate", "a\xed\xa0\x80", NULL, "the byte 0xed, which is not UTF-8, at byte 1"},
    {"cut", "a\xe2\x82", NULL, "the byte 0xe2, which is not UTF-8, at byte 1"},
    {"trailing", "a\n", "trailing<<SETUP_WASH_EOF_0\na\n\nSETUP_WASH_EOF_0\n", NULL},
    {"collides", "x\nSETUP_WASH_EOF_0\ny",
     "collides<<SETUP_WASH_EOF_1\nx\nSETUP_WASH_EOF_0\ny\nSETUP_WASH_EOF_1\n", NULL},
    {"collides2", "SETUP_WASH_EOF_0\nSETUP_WASH_EOF_1",
     "collides2<<SETUP_WASH_EOF_2\nSETUP_WASH_EOF_0\nSETUP_WASH_EOF_1\nSETUP_WASH_EOF_2\n", NULL},
    {"inline", "SETUP_WASH_EOF_0", "inline=SETUP_WASH_EOF_0\n", NULL},
    {"injection", "2.7.0\nother=evil",
     "injection<<SETUP_WASH_EOF_0\n2.7.0\nother=evil\nSETUP_WASH_EOF_0\n", NULL},
};

static void test_set_output(void **state)
{
    struct scratch *s = *state;
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(output_rows); i++) {
        const struct output_row *r = &output_rows[i];
        struct sw_error err = {0};
        char got[1024], val[1024];
        int rc = sw_gha_set_output(s->file, r->name, r->value, &err);
        take_file(s->file, got, sizeof(got));
        if (!r->want) {
            if (rc != -1 || err.code != SW_EXIT_FS || got[0] || !strstr(err.msg, r->fragment) ||
                strstr(err.msg, "nothing was written") == NULL) {
                print_error("row %zu: set_output(%s) should be refused with '%s' and write "
                            "nothing: rc %d code %d '%s', wrote '%s'\n",
                            i, r->name, r->fragment, rc, err.code, err.msg, got);
                bad++;
            }
        } else if (rc != 0 || strcmp(got, r->want) != 0) {
            print_error("row %zu: set_output(%s, '%s') rc %d (%s) wrote '%s', want '%s'\n", i,
                        r->name, r->value, rc, err.msg, got, r->want);
            bad++;
        } else if (!runner_read(got, r->name, val, sizeof(val)) || strcmp(val, r->value) != 0) {
            print_error("row %zu: the runner would read '%s' as '%s'\n", i, got, val);
            bad++;
        }
    }
    if (bad)
        fail();
}

/* Appending, and a runner file that cannot be opened. */
static void test_set_output_file(void **state)
{
    struct scratch *s = *state;
    struct sw_error err = {0};
    char got[256], missing[700];
    assert_int_equal(sw_gha_set_output(s->file, "a", "1", &err), 0);
    assert_int_equal(sw_gha_set_output(s->file, "b", "x\ny", &err), 0);
    assert_int_equal(sw_gha_summary(s->file, "| wash | 2.7.0 |\n", &err), 0);
    take_file(s->file, got, sizeof(got));
    assert_string_equal(got, "a=1\nb<<SETUP_WASH_EOF_0\nx\ny\nSETUP_WASH_EOF_0\n| wash | 2.7.0 |\n");

    snprintf(missing, sizeof(missing), "%s/no-such-dir/output", s->dir);
    assert_int_equal(sw_gha_set_output(missing, "a", "1", &err), -1);
    assert_int_equal(err.code, SW_EXIT_FS);
    if (!strstr(err.msg, "cannot open runner file") || !strstr(err.msg, "no-such-dir")) {
        print_error("missing file: '%s'\n", err.msg);
        fail();
    }
}

/* A batch is checked whole before anything is written: one bad value, and the file keeps what
 * it had; good ones go in one write. */
static void test_set_outputs_whole(void **state)
{
    struct scratch *s = *state;
    struct sw_error err = {0};
    char got[512];
    assert_int_equal(sw_gha_set_output(s->file, "before", "1", &err), 0);
    const char *names[] = {"wash-version", "wash-path", "tag"};
    const char *bad[] = {"2.7.0",
                         "/tmp/c\xff"
                         "d/wash",
                         "v2.7.0"};
    assert_int_equal(sw_gha_set_outputs(s->file, names, bad, 3, &err), -1);
    assert_int_equal(err.code, SW_EXIT_FS);
    assert_non_null(strstr(err.msg, "the output 'wash-path'"));
    const char *good[] = {"2.7.0", "/opt/wash", "a\nb"};
    assert_int_equal(sw_gha_set_outputs(s->file, names, good, 3, &err), 0);
    take_file(s->file, got, sizeof(got));
    assert_string_equal(got, "before=1\nwash-version=2.7.0\nwash-path=/opt/wash\n"
                             "tag<<SETUP_WASH_EOF_0\na\nb\nSETUP_WASH_EOF_0\n");
    assert_int_equal(sw_gha_check_path("/opt/wash", &err), 0);
    assert_int_equal(sw_gha_check_path("/opt/\xffwash", &err), -1);
}

/* ---- sw_gha_add_path ---- */

struct path_row {
    const char *dir;
    const char *want; /* NULL: must fail with SW_EXIT_FS */
};

static const struct path_row path_rows[] = {
    {"/opt/hostedtoolcache/wash/2.7.0/x64", "/opt/hostedtoolcache/wash/2.7.0/x64\n"},
    {"C:\\hostedtoolcache\\windows\\wash\\2.7.0\\x64",
     "C:\\hostedtoolcache\\windows\\wash\\2.7.0\\x64\n"},
    {"/home/runner/with space/bin", "/home/runner/with space/bin\n"},
    {"/home/j\xc3\xbcrgen/wash", "/home/j\xc3\xbcrgen/wash\n"},
    {"/a\n/b", NULL},
    {"/a\r", NULL},
    {"/a\tb", NULL},
    {"/a\x1b[2J", NULL},
    {"/tmp/c\xff"
     "d/wash/2.7.0/x64",
     NULL},
    {"/a\xc2\x85", NULL},
};

static void test_add_path(void **state)
{
    struct scratch *s = *state;
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(path_rows); i++) {
        const struct path_row *r = &path_rows[i];
        struct sw_error err = {0};
        char got[512];
        int rc = sw_gha_add_path(s->file, r->dir, &err);
        take_file(s->file, got, sizeof(got));
        if (r->want && (rc != 0 || strcmp(got, r->want) != 0)) {
            print_error("row %zu: add_path('%s') rc %d (%s) wrote '%s'\n", i, r->dir, rc, err.msg,
                        got);
            bad++;
        } else if (!r->want && (rc != -1 || err.code != SW_EXIT_FS || got[0] != '\0' ||
                                strstr(err.msg, "refusing to write the PATH entry") == NULL)) {
            print_error("row %zu: add_path('%s') should fail and write nothing: rc %d code %d "
                        "'%s', wrote '%s'\n",
                        i, r->dir, rc, err.code, err.msg, got);
            bad++;
        }
    }
    if (bad)
        fail();
}

/* ---- sw_gha_escape_data / sw_gha_escape_prop ---- */

struct escape_row {
    const char *in;
    const char *data, *prop;
};

static const struct escape_row escape_rows[] = {
    {"", "", ""},
    {"plain text", "plain text", "plain text"},
    {"100%", "100%25", "100%25"},
    {"%0A", "%250A", "%250A"},
    {"a\rb", "a%0Db", "a%0Db"},
    {"a\nb", "a%0Ab", "a%0Ab"},
    {"a\r\n", "a%0D%0A", "a%0D%0A"},
    {"a:b", "a:b", "a%3Ab"},
    {"a,b", "a,b", "a%2Cb"},
    {"::error::x", "::error::x", "%3A%3Aerror%3A%3Ax"},
    {"x:1,y\r\n%", "x:1,y%0D%0A%25", "x%3A1%2Cy%0D%0A%25"},
    {"C:\\a b\\c.lock", "C:\\a b\\c.lock", "C%3A\\a b\\c.lock"},
};

static void test_escape(void **state)
{
    (void)state;
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(escape_rows); i++) {
        const struct escape_row *r = &escape_rows[i];
        struct sw_buf d = SW_BUF_INIT, p = SW_BUF_INIT;
        sw_buf_adds(&d, "pre|"); /* escaping appends */
        sw_buf_adds(&p, "pre|");
        sw_gha_escape_data(&d, r->in);
        sw_gha_escape_prop(&p, r->in);
        if (strncmp(sw_buf_str(&d), "pre|", 4) != 0 || strcmp(sw_buf_str(&d) + 4, r->data) != 0 ||
            strncmp(sw_buf_str(&p), "pre|", 4) != 0 || strcmp(sw_buf_str(&p) + 4, r->prop) != 0) {
            print_error("row %zu: escape('%s') data '%s' prop '%s', want '%s' '%s'\n", i, r->in,
                        sw_buf_str(&d) + 4, sw_buf_str(&p) + 4, r->data, r->prop);
            bad++;
        }
        sw_buf_free(&d);
        sw_buf_free(&p);
    }
    if (bad)
        fail();
}

/* ---- sw_gha_annotate / sw_gha_mask ---- */

struct annotate_row {
    const char *level, *file, *title, *message; /* level NULL: a mask of `message` */
    const char *want;
};

static const struct annotate_row annotate_rows[] = {
    {"error", NULL, NULL, "boom", "::error::boom\n"},
    {"warning", "plugins.lock", NULL, "stale pin", "::warning file=plugins.lock::stale pin\n"},
    {"notice", NULL, "setup-wash", "ok", "::notice title=setup-wash::ok\n"},
    {"error", "plugins.lock", "setup-wash", "bad: digest, really",
     "::error file=plugins.lock,title=setup-wash::bad: digest, really\n"},
    {"error", "C:\\w\\a,b.lock", "t:1,2", "line1\nline2 100%",
     "::error file=C%3A\\w\\a%2Cb.lock,title=t%3A1%2C2::line1\\x0aline2 100%25\n"},
    {"warning", NULL, NULL, "x\n::add-mask::y\r", "::warning::x\\x0a::add-mask::y\\x0d\n"},
    {"error", "a\x1b[2J.lock", "t\xc2\x9b", "rate limited: retry after \x1b[2J\x07 s \xff",
     "::error file=a\\x1b[2J.lock,title=t\\u009b::rate limited: retry after \\x1b[2J\\x07 s "
     "\\xff\n"},
    {"notice", NULL, NULL, "wash 2.7.0 \xe2\x9c\x93 caf\xc3\xa9",
     "::notice::wash 2.7.0 \xe2\x9c\x93 caf\xc3\xa9\n"},
    {"error", "", "", "", "::error file=,title=::\n"},
    {NULL, NULL, NULL, "s3cr3t", "::add-mask::s3cr3t\n"},
    {NULL, NULL, NULL, "a%b\nc:d", "::add-mask::a%25b%0Ac:d\n"},
    {NULL, NULL, NULL,
     "s\x1b"
     "3",
     "::add-mask::s\x1b"
     "3\n"}, /* a mask must stay exact */
};

static void test_annotate(void **state)
{
    (void)state;
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(annotate_rows); i++) {
        const struct annotate_row *r = &annotate_rows[i];
        /* through a file (open_memstream is not on Windows) */
        char *dir = sw_test_tmpdir("sw-test-gha-annotate");
        char *path = sw_xasprintf("%s/out", dir);
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        if (r->level)
            sw_gha_annotate(f, r->level, r->file, r->title, r->message);
        else
            sw_gha_mask(f, r->message);
        fclose(f);
        struct sw_buf got = SW_BUF_INIT;
        struct sw_error err = {0};
        char *out = sw_fs_read(path, 1 << 20, &got, NULL, &err) == 0 ? sw_buf_detach(&got) : NULL;
        sw_fs_rm_rf(dir, NULL);
        free(path);
        free(dir);
        if (!out || strcmp(out, r->want) != 0) {
            print_error("row %zu: %s(file %s, title %s, '%s') wrote '%s', want '%s'\n", i,
                        r->level ? r->level : "mask", r->file ? r->file : "-",
                        r->title ? r->title : "-", r->message, out ? out : "(null)", r->want);
            bad++;
        }
        free(out);
    }
    if (bad)
        fail();
}

/* ---- sw_http_url_gets_token ---- */

struct token_row {
    const char *api, *url;
    bool want;
};

static const struct token_row token_rows[] = {
    {"https://api.github.com", "https://api.github.com", true},
    {"https://api.github.com", "https://api.github.com/", true},
    {"https://api.github.com", "https://api.github.com/repos/wasmCloud/wasmCloud/releases", true},
    {"https://api.github.com", "https://api.github.com?per_page=100", true},
    {"https://api.github.com", "https://api.github.com/repos/wasmCloud/wash/releases?per_page=100&page=2", true},
    {"https://api.github.com/", "https://api.github.com/repos/wasmCloud/wash/releases", true},
    {"https://api.github.com//", "https://api.github.com/repos", true},
    {"https://api.github.com", "https://api.github.com.evil.com/repos", false},
    {"https://api.github.com", "https://api.github.com.evil.com", false},
    {"https://api.github.com", "https://api.github.com@evil.com/repos", false},
    {"https://api.github.com", "https://evil.com/https://api.github.com/repos", false},
    {"https://api.github.com", "https://api.github.com:8443/repos", false},
    {"https://api.github.com:443", "https://api.github.com:4430/repos", false},
    {"http://127.0.0.1:8080", "http://127.0.0.1:8080/repos/wasmCloud/wash/releases", true},
    {"http://127.0.0.1:8080", "http://127.0.0.1:8081/repos", false},
    {"http://127.0.0.1:8080", "http://127.0.0.1/repos", false},
    {"https://api.github.com", "http://api.github.com/repos", false},
    {"http://api.github.com", "https://api.github.com/repos", false},
    {"https://api.github.com", "https://github.com/wasmCloud/wasmCloud/releases/download/v2.7.0/wash-x86_64-unknown-linux-gnu", false},
    {"https://api.github.com", "https://release-assets.githubusercontent.com/github-production-release-asset/1", false},
    {"https://api.github.com", "https://objects.githubusercontent.com/x", false},
    {"https://ghe.example/api/v3", "https://ghe.example/api/v3/repos/o/r/releases", true},
    {"https://ghe.example/api/v3", "https://ghe.example/api/v3", true},
    {"https://ghe.example/api/v3", "https://ghe.example/api/v3?page=2", true},
    {"https://ghe.example/api/v3/", "https://ghe.example/api/v3/repos/o/r/releases", true},
    {"https://ghe.example/api/v3", "https://ghe.example/owner/repo/releases/download/v2.7.0/wash", false},
    {"https://ghe.example/api/v3", "https://ghe.example/", false},
    {"https://ghe.example/api/v3", "https://ghe.example/api/v30/repos", false},
    {"https://ghe.example/api/v3", "https://ghe.example/api/v3.evil/repos", false},
    {"https://ghe.example/api/v3", "https://ghe.example/api", false},
    {"https://ghe.example/api/v3", "https://ghe.example.evil/api/v3/repos", false},
    {"https://ghe.example/api/v3", "https://other.example/api/v3/repos", false},
    {"api.github.com", "api.github.com/repos", false},
    {"", "https://api.github.com/repos", false},
    {"https://api.github.com", "", false},
};

static void test_url_gets_token(void **state)
{
    (void)state;
    size_t bad = 0;
    for (size_t i = 0; i < ROWS(token_rows); i++) {
        const struct token_row *r = &token_rows[i];
        bool got = sw_http_url_gets_token(r->api, r->url);
        if (got != r->want) {
            print_error("row %zu: gets_token(api '%s', url '%s') = %d, want %d\n", i, r->api,
                        r->url, got, r->want);
            bad++;
        }
    }
    if (sw_http_url_gets_token(NULL, "https://api.github.com/repos") ||
        sw_http_url_gets_token("https://api.github.com", NULL)) {
        print_error("a NULL api base or URL gets the token\n");
        bad++;
    }
    if (bad)
        fail();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_set_output, scratch_setup, scratch_teardown),
        cmocka_unit_test_setup_teardown(test_set_output_file, scratch_setup, scratch_teardown),
        cmocka_unit_test_setup_teardown(test_set_outputs_whole, scratch_setup, scratch_teardown),
        cmocka_unit_test_setup_teardown(test_add_path, scratch_setup, scratch_teardown),
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_annotate),
        cmocka_unit_test(test_url_gets_token),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
