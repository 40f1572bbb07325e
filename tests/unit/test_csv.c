/* test_csv.c: the CSV core: number parsing against strtod, the parser's
 * rules and messages, the writer's files and its flat memory. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/csv.h"
#include "core/mem.h"
#include "core/numfmt.h"
#include "unit.h"

void test_csv(void);

static int same_bits(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

static int number_is(const char *s, double want)
{
    double v;
    if (!csv_parse_number(s, strlen(s), &v)) {
        printf("    csv_parse_number(\"%s\") refused it\n", s);
        return 0;
    }
    if (same_bits(v, want) || (isnan(v) && isnan(want))) return 1;
    printf("    csv_parse_number(\"%s\") = %.17g, want %.17g\n", s, v, want);
    return 0;
}

static int not_number(const char *s)
{
    double v;
    return !csv_parse_number(s, strlen(s), &v);
}

/* A reproducible stream of 64-bit patterns (xorshift64*). */
static uint64_t next_bits(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

static void numbers(void)
{
    CHECK(number_is("0.1", 0.1));
    CHECK(number_is("-0", -0.0));
    CHECK(number_is("0", 0.0));
    CHECK(number_is("5e-324", 5e-324));
    CHECK(number_is("1.7976931348623157e308", 1.7976931348623157e308));
    CHECK(number_is("1e-300", 1e-300));
    CHECK(number_is("0.30000000000000004", 0.30000000000000004));
    CHECK(number_is(" 2.5\t", 2.5));
    CHECK(number_is("+.5", 0.5));
    CHECK(number_is("5.", 5.0));
    CHECK(number_is("1E3", 1000.0));
    CHECK(number_is("0.000", 0.0));
    CHECK(number_is("-0.0e10", -0.0));
    CHECK(number_is("123456789012345678901234567890", 123456789012345678901234567890.0));
    CHECK(number_is("1e400", INFINITY));
    CHECK(number_is("inf", INFINITY));
    CHECK(number_is("-inf", -INFINITY));
    CHECK(number_is("Infinity", INFINITY));
    CHECK(number_is("nan", NAN));
    CHECK(number_is("NaN", NAN));
    CHECK(not_number(""));
    CHECK(not_number("   "));
    CHECK(not_number("."));
    CHECK(not_number("-"));
    CHECK(not_number("1e"));
    CHECK(not_number("1e+"));
    CHECK(not_number("1.5.2"));
    CHECK(not_number("0x10"));
    CHECK(not_number("12abc"));
    CHECK(not_number("1 2"));
    CHECK(not_number("nanx"));
    CHECK(not_number("e5"));

    /* Random doubles, written both ways luagrad and C write them, read
     * back exactly as strtod (correctly rounded) reads them. */
    uint64_t seed = 88172645463325252ULL;
    int bad = 0;
    for (int i = 0; i < 200000; i++) {
        uint64_t bits = next_bits(&seed);
        double x;
        memcpy(&x, &bits, sizeof x);
        if (isnan(x)) continue;
        char a[NUMFMT_SIZE], b[64];
        numfmt_double(x, a);
        snprintf(b, sizeof b, "%.17g", x);
        double va, vb;
        if (!csv_parse_number(a, strlen(a), &va) || !same_bits(va, x)) bad++;
        if (!csv_parse_number(b, strlen(b), &vb) || !same_bits(vb, strtod(b, NULL))) bad++;
        /* short decimals, the fast path's home ground */
        snprintf(b, sizeof b, "%.*f", (int)(bits % 7), (double)(int64_t)(bits >> 40) / 997.0);
        if (!csv_parse_number(b, strlen(b), &vb) || !same_bits(vb, strtod(b, NULL))) bad++;
    }
    CHECK(bad == 0);
}

/* The chunk size of the reader for parse() below: the parsing tests run
 * with several, so that chunk ends fall inside quotes, between CR and LF,
 * inside a UTF-8 BOM, a comment, a number. */
static size_t chunk = CSV_CHUNK;

static Status parse(const char *text, const CsvReadOptions *o, CsvTable *t, Err *e)
{
    CsvReadOptions def;
    csv_read_defaults(&def);
    FILE *f = tmpfile();
    if (!f) return err_set(e, ST_EIO, "tmpfile failed");
    size_t n = strlen(text);
    if (fwrite(text, 1, n, f) != n || fflush(f) != 0) return err_set(e, ST_EIO, "write failed");
    rewind(f);
    Status st = csv_read_fd(fileno(f), "t.csv", o ? o : &def, chunk, n, t, e);
    fclose(f);
    return st;
}

/* Parsing text through a pipe (which cannot be read twice) must fail
 * with exactly msg. text must fit in the pipe's buffer. */
static int pipe_fails_with(const char *text, const char *msg)
{
    int fds[2];
    if (pipe(fds) != 0) return 0;
    size_t n = strlen(text);
    if (write(fds[1], text, n) != (ssize_t)n) return 0;
    close(fds[1]);
    CsvReadOptions o;
    csv_read_defaults(&o);
    CsvTable t;
    Err e = {""};
    Status st = csv_read_fd(fds[0], "t.csv", &o, chunk, 0, &t, &e);
    close(fds[0]);
    csv_table_free(&t);
    if (st != ST_OK && strcmp(e.msg, msg) == 0) return 1;
    printf("    parsing %s\n    gave \"%s\", want \"%s\"\n", text, st == ST_OK ? "ok" : e.msg, msg);
    return 0;
}

/* Parsing text must fail with exactly msg. */
static int fails_with(const char *text, const CsvReadOptions *o, const char *msg)
{
    CsvTable t;
    Err e = {""};
    Status st = parse(text, o, &t, &e);
    csv_table_free(&t);
    if (st != ST_OK && strcmp(e.msg, msg) == 0) return 1;
    printf("    parsing %s\n    gave \"%s\", want \"%s\"\n", text, st == ST_OK ? "ok" : e.msg,
           msg);
    return 0;
}

static int text_is(const CsvTable *t, size_t j, size_t i, const char *want)
{
    const CsvColumn *c = &t->col[j];
    size_t n = c->off[i + 1] - c->off[i];
    return !c->numeric && n == strlen(want) && memcmp(c->text + c->off[i], want, n) == 0;
}

static int name_is(const CsvTable *t, size_t j, const char *want)
{
    size_t n = t->name_off[j + 1] - t->name_off[j];
    return n == strlen(want) && memcmp(t->names + t->name_off[j], want, n) == 0;
}

static void parsing(void)
{
    CsvTable t;
    Err e;
    /* BOM, CRLF, quotes with commas, quotes and a newline, blank lines */
    const char *text = "\xEF\xBB\xBFx,name\r\n1,\"a,b\"\r\n\r\n2,\"say \"\"hi\"\"\nthere\"\r\n"
                       "3,plain\r\n\r\n";
    CHECK(parse(text, NULL, &t, &e) == ST_OK);
    CHECK(t.ncols == 2 && t.rows == 3);
    CHECK(name_is(&t, 0, "x") && name_is(&t, 1, "name"));
    CHECK(t.col[0].numeric && t.col[0].num[0] == 1 && t.col[0].num[2] == 3);
    CHECK(text_is(&t, 1, 0, "a,b"));
    CHECK(text_is(&t, 1, 1, "say \"hi\"\nthere"));
    CHECK(text_is(&t, 1, 2, "plain"));
    csv_table_free(&t);

    /* The first non-empty value decides; empties before it are nan or "". */
    CHECK(parse("a,b,c\n,,\n,x,\n2,,\n", NULL, &t, &e) == ST_OK);
    CHECK(t.rows == 3 && t.col[0].numeric && isnan(t.col[0].num[0]) &&
          isnan(t.col[0].num[1]) && t.col[0].num[2] == 2);
    CHECK(!t.col[1].numeric && text_is(&t, 1, 0, "") && text_is(&t, 1, 1, "x") &&
          text_is(&t, 1, 2, ""));
    CHECK(t.col[2].numeric && isnan(t.col[2].num[0]) && isnan(t.col[2].num[2]));
    csv_table_free(&t);

    /* header = false, another separator, comments */
    CsvReadOptions o;
    csv_read_defaults(&o);
    o.header = 0;
    o.sep = ';';
    o.comment = "#";
    CHECK(parse("# made by hand\n1;2,5\n#x;y\n3;4\n", &o, &t, &e) == ST_OK);
    CHECK(t.ncols == 2 && t.rows == 2 && name_is(&t, 0, "1") && name_is(&t, 1, "2"));
    CHECK(t.col[0].numeric && t.col[0].num[1] == 3 && !t.col[1].numeric);
    csv_table_free(&t);

    /* A header and no rows: numeric columns of no values. */
    CHECK(parse("a,b\n", NULL, &t, &e) == ST_OK);
    CHECK(t.ncols == 2 && t.rows == 0 && t.col[0].numeric && t.col[1].numeric);
    csv_table_free(&t);

    /* Errors: the line and column (characters) of the trouble. */
    CHECK(fails_with("a,b,c\n1,2,3\n4,5\n", NULL, "t.csv:3:4: expected 3 fields, found 2"));
    CHECK(fails_with("a,b\n1,2,3\n", NULL, "t.csv:2:5: expected 2 fields, found 3"));
    CHECK(fails_with("a,b\n1,\"open\n2,3\n", NULL,
                     "t.csv:2:3: unterminated quoted field: the quote opened here is never closed"));
    CHECK(fails_with("a,b\n1,\"x\"y\n", NULL,
                     "t.csv:2:6: unexpected 'y' after the closing quote of a quoted field "
                     "(a quote inside a quoted field is written \"\")"));
    /* A column's type comes from all its values: text after numbers makes
     * the column text, read again from the start (the numbers as written). */
    CHECK(parse("w,loss\n1,0.5\n2,\"multi\nline\"\n\xC3\xA9\xC3\xA9,oops\n", NULL, &t, &e) == ST_OK);
    CHECK(t.rows == 3 && !t.col[0].numeric && !t.col[1].numeric);
    CHECK(text_is(&t, 0, 0, "1") && text_is(&t, 0, 2, "\xC3\xA9\xC3\xA9"));
    CHECK(text_is(&t, 1, 0, "0.5") && text_is(&t, 1, 1, "multi\nline") && text_is(&t, 1, 2, "oops"));
    csv_table_free(&t);
    /* ... but a pipe cannot be read twice: then an error says what to do */
    CHECK(pipe_fails_with("w,loss\n1,0.5\n\xC3\xA9\xC3\xA9,0.1\n",
                          "t.csv:3:1: '\xC3\xA9\xC3\xA9' is not a number, but column 'w' is "
                          "numeric (its first value, on line 2, is a number) and the file cannot "
                          "be read twice (read it with text = {\"w\"})"));
    /* integers a double cannot hold exactly are kept as written (wide);
     * others, also beyond 2^53, stay numbers */
    CHECK(parse("a,b\n9007199254740993,1\n2,2\n", NULL, &t, &e) == ST_OK);
    CHECK(t.col[0].wide && !t.col[0].numeric && text_is(&t, 0, 0, "9007199254740993"));
    CHECK(t.col[1].numeric && !t.col[1].wide);
    csv_table_free(&t);
    CHECK(parse("a\n9007199254740992\n-9223372036854775808\n10133099161583616\n", NULL, &t,
                &e) == ST_OK);
    CHECK(t.col[0].numeric && !t.col[0].wide);  /* 2^53, -2^63, 9 * 2^50: all doubles */
    csv_table_free(&t);
    CHECK(parse("a\n10133099161583617\n", NULL, &t, &e) == ST_OK);
    CHECK(t.col[0].wide);  /* odd, past 2^53: no double */
    csv_table_free(&t);
    CHECK(parse("a\n9007199254740992\n99999999999999999999\n", NULL, &t, &e) == ST_OK);
    CHECK(t.col[0].numeric);  /* 2^53 is exact; past 64 bits Lua has a float too */
    csv_table_free(&t);

    CHECK(fails_with("x,y\n\xC3\xA9,1,2\n", NULL, "t.csv:2:5: expected 2 fields, found 3"));
    CHECK(fails_with("", NULL, "t.csv:1:1: the file is empty (expected a header line)"));
    CHECK(fails_with("\n\n", NULL, "t.csv:3:1: no header line: the file holds only blank lines"));
    CHECK(fails_with("a,b,a\n", NULL, "t.csv:1:5: column name 'a' appears twice (columns 1 and 3)"));
}

static void writing(void)
{
    char dir[] = "/tmp/luagrad-unit-csv-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256], kept[300], tmp[300];
    snprintf(path, sizeof path, "%s/a.csv", dir);
    snprintf(kept, sizeof kept, "%s.incomplete", path);
    CsvWriter w;
    Err e;
    CsvField head[3] = {
        {CSV_STRING, 0, 0, "x", 1}, {CSV_STRING, 0, 0, "y", 1}, {CSV_STRING, 0, 0, "s", 1}};
    CHECK(csv_writer_open(&w, path, &e) == ST_OK);
    CHECK(csv_write_row(&w, head, 3, &e) == ST_OK);
    snprintf(tmp, sizeof tmp, "%s", w.tmp);
    CHECK(access(path, F_OK) != 0 && access(tmp, F_OK) == 0);  /* not there until commit */
    CsvField row[3] = {
        {CSV_INTEGER, 0, -42, NULL, 0}, {CSV_NUMBER, 0.1, 0, NULL, 0},
        {CSV_STRING, 0, 0, "a,\"b\"", 5}};
    CHECK(csv_write_row(&w, row, 3, &e) == ST_OK);
    CHECK(csv_write_row(&w, row, 2, &e) == ST_EINVAL);
    CHECK(strcmp(e.msg, "the row has 2 values, the header has 3") == 0);

    /* A million rows: the memory in use does not grow. */
    size_t before = mem_in_use();
    CsvField big[3] = {
        {CSV_INTEGER, 0, 0, NULL, 0}, {CSV_NUMBER, 0, 0, NULL, 0}, {CSV_STRING, 0, 0, "s", 1}};
    int ok = 1;
    for (int i = 0; i < 1000000 && ok; i++) {
        big[0].integer = i;
        big[1].number = i * 0.5;
        ok = csv_write_row(&w, big, 3, &e) == ST_OK;
    }
    CHECK(ok);
    CHECK(mem_in_use() == before);
    CHECK(w.rows == 1000001);
    CHECK(csv_writer_commit(&w, &e) == ST_OK);
    CHECK(access(path, F_OK) == 0 && access(tmp, F_OK) != 0);
    csv_writer_release(&w);

    FILE *f = fopen(path, "rb");
    char first[64] = "";
    CHECK(f && fread(first, 1, sizeof first - 1, f) > 0);
    if (f) fclose(f);
    CHECK(strncmp(first, "x,y,s\n-42,0.1,\"a,\"\"b\"\"\"\n0,0,s\n", 30) == 0);

    /* Abandoned: NAME.incomplete, the complete NAME untouched. */
    struct stat st0, st1;
    stat(path, &st0);
    CHECK(csv_writer_open(&w, path, &e) == ST_OK);
    CHECK(csv_write_row(&w, head, 3, &e) == ST_OK);
    CHECK(csv_writer_abandon(&w, &e) == ST_OK);
    csv_writer_release(&w);
    CHECK(stat(path, &st1) == 0 && st1.st_size == st0.st_size && st1.st_ino == st0.st_ino);
    CHECK(access(kept, F_OK) == 0);
    /* The next complete write removes the stale NAME.incomplete. */
    CHECK(csv_writer_open(&w, path, &e) == ST_OK);
    CHECK(csv_write_row(&w, head, 3, &e) == ST_OK);
    CHECK(csv_writer_commit(&w, &e) == ST_OK);
    csv_writer_release(&w);
    CHECK(access(kept, F_OK) != 0);

    /* A full disk: the error names the path and the reason. */
    CHECK(csv_writer_open(&w, "/dev/full", &e) == ST_OK && w.direct);
    CHECK(csv_write_row(&w, head, 3, &e) == ST_EIO);
    CHECK(strcmp(e.msg, "cannot write '/dev/full': No space left on device") == 0);
    csv_writer_release(&w);

    /* No such folder. */
    snprintf(path, sizeof path, "%s/none/a.csv", dir);
    CHECK(csv_writer_open(&w, path, &e) == ST_EIO);
    CHECK(strstr(e.msg, "No such file or directory") != NULL && strstr(e.msg, path) != NULL);
    csv_writer_release(&w);

    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
}

/* A long file through small chunks: the same columns as through one. */
static void streaming(void)
{
    char *text = malloc(400000);
    size_t n = (size_t)sprintf(text, "x,note,y\r\n");
    for (int i = 0; i < 5000; i++)
        n += (size_t)sprintf(text + n, i % 7 ? "%d,\"a \"\"q\"\",\n b\",%.17g\r\n"
                                              : "%d,plain,%.17g\n\n", i, i * 0.1);
    CsvTable a, b;
    Err e;
    chunk = CSV_CHUNK;
    CHECK(parse(text, NULL, &a, &e) == ST_OK);
    chunk = 13;
    CHECK(parse(text, NULL, &b, &e) == ST_OK);
    CHECK(a.rows == 5000 && b.rows == 5000);
    int same = a.rows == b.rows;
    for (size_t i = 0; same && i < a.rows; i++) {
        same &= a.col[0].num[i] == b.col[0].num[i] && a.col[2].num[i] == b.col[2].num[i];
        same &= a.col[1].off[i + 1] == b.col[1].off[i + 1];
    }
    CHECK(same && memcmp(a.col[1].text, b.col[1].text, a.col[1].text_len) == 0);
    CHECK(a.col[2].num[4999] == 4999 * 0.1 && text_is(&a, 1, 1, "a \"q\",\n b"));
    csv_table_free(&a);
    csv_table_free(&b);
    /* A record longer than the chunk: the buffer grows for it. */
    memset(text, 'z', 1000);
    memcpy(text, "h\n", 2);
    text[1000] = '\0';
    CHECK(parse(text, NULL, &a, &e) == ST_OK && a.rows == 1 && a.col[0].text_len == 998);
    csv_table_free(&a);
    chunk = CSV_CHUNK;
    free(text);
}

/* The columns' room follows the rows read, not a guess from the first MiB:
 * 1 MiB of short records, then 7 MiB of long ones (531,730 records) read
 * under a 12 MiB cap. The old guess scaled the first MiB's 524,289 lines by
 * the file's size: 4.4 million rows, 35 MB for the column. */
static void memory_guess(void)
{
    char path[] = "/tmp/luagrad-unit-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0) return;
    FILE *f = fdopen(fd, "w");
    fputs("x\n", f);
    for (int i = 0; i < 524287; i++) fputs("1\n", f);
    char line[1001];
    memset(line, ' ', 999);
    line[0] = '2';
    line[999] = '\n';
    line[1000] = '\0';
    for (int i = 0; i < 7 * 1024 * 1024 / 1000; i++) fputs(line, f);
    fclose(f);
    CsvReadOptions o;
    csv_read_defaults(&o);
    CsvTable t;
    Err e = {""};
    mem_set_limit(mem_in_use() + ((size_t)12 << 20));
    Status st = csv_read(path, "big.csv", &o, &t, &e);
    mem_set_limit(0);
    if (st != ST_OK) printf("    %s\n", e.msg);
    CHECK(st == ST_OK && t.rows == 524287 + 7 * 1024 * 1024 / 1000);
    csv_table_free(&t);
    unlink(path);
}

void test_csv(void)
{
    memory_guess();
    numbers();
    /* every chunk size from 4 bytes (the least) to 9, then the real one */
    for (chunk = 4; chunk <= 9; chunk++) parsing();
    chunk = CSV_CHUNK;
    parsing();
    streaming();
    writing();
}
