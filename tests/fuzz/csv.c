/* csv.c: fuzzes the CSV reader (src/core/csvread.c).
 * Input: byte 0 chooses the options (bit 0: no header; bit 1: comment "#";
 * bits 2-3: separator , ; tab or space), byte 1 a chunk size of 4 to 67
 * bytes; the rest is the file. The file is read twice, through csv_read_fd
 * with that tiny chunk (record ends then fall everywhere in the buffer) and
 * with the full CSV_CHUNK. Properties:
 *  - both reads agree: the same status, message, names, types and values
 *    (numbers bit for bit), so refilling never changes what is read;
 *  - a success is well formed: names and text offsets in bounds and
 *    increasing, every numeric column has its rows;
 *  - a failure leaves a message;
 *  - csv_parse_number on the input as one field agrees with strtod, bit
 *    for bit, whenever it accepts a decimal (its fast path is exact).
 * The sanitizers add: no read or write out of bounds, no leak. */
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "core/csv.h"
#include "core/mem.h"
#include "fuzz.h"

static int file = -1;

static void close_file(void)
{
    if (file >= 0) close(file);
}

/* An unlinked temporary file holding the input: csv_read_fd reads an fd. */
static int input_file(const uint8_t *data, size_t size)
{
    if (file < 0) {
        char name[] = "/tmp/luagrad-fuzz-csv-XXXXXX";
        file = mkstemp(name);
        FUZZ_CHECK(file >= 0, "cannot make a temporary file");
        unlink(name);
        atexit(close_file);
    }
    FUZZ_CHECK(ftruncate(file, 0) == 0, "ftruncate");
    FUZZ_CHECK(pwrite(file, data, size, 0) == (ssize_t)size, "pwrite");
    FUZZ_CHECK(lseek(file, 0, SEEK_SET) == 0, "lseek");
    return file;
}

static void check_table(const CsvTable *t)
{
    FUZZ_CHECK(t->ncols >= 1, "a table without columns");
    FUZZ_CHECK(t->name_off[0] == 0 && t->name_off[t->ncols] <= t->name_bytes, "name offsets");
    for (size_t j = 0; j < t->ncols; j++) {
        const CsvColumn *c = &t->col[j];
        FUZZ_CHECK(t->name_off[j] <= t->name_off[j + 1], "name %zu offsets decrease", j);
        if (c->numeric) {
            FUZZ_CHECK(t->rows == 0 || (c->num && c->num_cap >= t->rows),
                       "numeric column %zu holds %zu of %zu rows", j, c->num_cap, t->rows);
        } else {
            FUZZ_CHECK(c->off && c->off_cap > t->rows, "text column %zu offsets", j);
            FUZZ_CHECK(c->off[0] == 0 && c->off[t->rows] <= c->text_len &&
                           c->text_len <= c->text_cap,
                       "text column %zu: %zu bytes used of %zu", j, c->off[t->rows], c->text_len);
            for (size_t i = 0; i < t->rows; i++)
                FUZZ_CHECK(c->off[i] <= c->off[i + 1], "text column %zu row %zu", j, i);
        }
    }
}

static void same_tables(const CsvTable *a, const CsvTable *b)
{
    FUZZ_CHECK(a->ncols == b->ncols && a->rows == b->rows, "%zu x %zu against %zu x %zu",
               a->rows, a->ncols, b->rows, b->ncols);
    FUZZ_CHECK(a->name_off[a->ncols] == b->name_off[b->ncols] &&
                   memcmp(a->name_off, b->name_off, (a->ncols + 1) * sizeof *a->name_off) == 0 &&
                   memcmp(a->names, b->names, a->name_off[a->ncols]) == 0,
               "the names differ");
    for (size_t j = 0; j < a->ncols; j++) {
        const CsvColumn *x = &a->col[j], *y = &b->col[j];
        FUZZ_CHECK(x->numeric == y->numeric, "column %zu: numeric %d against %d", j,
                   x->numeric, y->numeric);
        if (x->numeric) {
            for (size_t i = 0; i < a->rows; i++)
                FUZZ_CHECK(memcmp(&x->num[i], &y->num[i], sizeof(double)) == 0 ||
                               (isnan(x->num[i]) && isnan(y->num[i])),
                           "column %zu row %zu: %a against %a", j, i, x->num[i], y->num[i]);
        } else {
            FUZZ_CHECK(memcmp(x->off, y->off, (a->rows + 1) * sizeof *x->off) == 0 &&
                           memcmp(x->text, y->text, x->off[a->rows]) == 0,
                       "column %zu: the texts differ", j);
        }
    }
}

/* csv_parse_number against strtod on the same text. */
static void check_number(const uint8_t *data, size_t size)
{
    if (size > 400 || memchr(data, '\0', size)) return;
    double v;
    if (!csv_parse_number((const char *)data, size, &v)) return;
    char text[401];
    memcpy(text, data, size);
    text[size] = '\0';
    char *end;
    double want = strtod(text, &end);
    if (isnan(v) || isinf(v)) return;  /* the words inf, nan: by csv_parse_number's own rule */
    FUZZ_CHECK(memcmp(&v, &want, sizeof v) == 0, "'%s' read as %a, strtod gives %a", text, v,
               want);
}

int fuzz_csv(const uint8_t *data, size_t size)
{
    if (size < 2) return 0;
    CsvReadOptions o;
    csv_read_defaults(&o);
    o.header = !(data[0] & 1);
    o.comment = data[0] & 2 ? "#" : NULL;
    o.sep = ",;\t "[(data[0] >> 2) & 3];
    size_t chunk = 4 + (data[1] & 63);
    data += 2;
    size -= 2;
    check_number(data, size);

    int fd = input_file(data, size);
    CsvTable small, big;
    Err es, eb;
    es.msg[0] = eb.msg[0] = '\0';
    Status ss = csv_read_fd(fd, "fuzz.csv", &o, chunk, size, &small, &es);
    FUZZ_CHECK(lseek(fd, 0, SEEK_SET) == 0, "lseek");
    Status sb = csv_read_fd(fd, "fuzz.csv", &o, CSV_CHUNK, size, &big, &eb);
    FUZZ_CHECK(ss == sb, "status %d with chunk %zu, %d with the full chunk ('%s' / '%s')",
               (int)ss, chunk, (int)sb, es.msg, eb.msg);
    if (sb == ST_OK) {
        check_table(&big);
        same_tables(&small, &big);
    } else {
        FUZZ_CHECK(eb.msg[0] != '\0', "failed without a message");
        /* A file with a NUL byte is refused as soon as the reader sees the
         * byte, which a larger buffer sees sooner: before or after another
         * error earlier in the file. Any other failure is the same. */
        if (!memchr(data, '\0', size))
            FUZZ_CHECK(strcmp(es.msg, eb.msg) == 0, "chunk %zu: '%s'; full chunk: '%s'", chunk,
                       es.msg, eb.msg);
    }
    csv_table_free(&small);
    csv_table_free(&big);
    return 0;
}

FUZZ_ENTRY(fuzz_csv)
