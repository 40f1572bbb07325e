/* csv.h: CSV files (RFC 4180: comma-separated, fields quoted with " when
 * they hold a comma, a quote, CR or LF, a quote inside doubled).
 *
 * Writing (csvwrite.c) streams rows through a fixed buffer, so memory stays
 * flat however many rows there are. A regular file is written under a
 * temporary name in the same folder and renamed to its name only by
 * csv_writer_commit, so a file under its final name is always complete;
 * csv_writer_abandon keeps what was written as NAME.incomplete and leaves an
 * earlier complete NAME alone. A symbolic link to a regular file is
 * followed: the file it points to is replaced in the same way, and the link
 * stays. A target that exists and is not a regular file (/dev/full, a fifo,
 * /dev/stdout) is written in place, each row as it comes; our own stdout or
 * stderr is shared (its offset too), not reopened.
 *
 * Reading (csvread.c) parses a whole file into columns: a column is numeric
 * (doubles) or text (strings). See csv_read for the rules. */
#ifndef LUAGRAD_CSV_H
#define LUAGRAD_CSV_H

#include <stddef.h>

#include "core/err.h"

/* ---- writing ------------------------------------------------------------- */

typedef struct CsvWriter {
    int fd;          /* -1 when not open */
    int direct;      /* writing the target in place: no temporary file */
    int std;         /* 1 or 2: the target is our stdout or stderr (dup'ed) */
    char *path;      /* the final name (a symbolic link's target) */
    char *given;     /* the name as given, for records (NULL: path) */
    char *tmp;       /* the temporary name (NULL when direct) */
    char *buf;       /* bytes not yet written to fd */
    size_t len, cap;
    size_t ncols;    /* fields per row, set by the first row (the header) */
    size_t rows;     /* rows written after the header */
} CsvWriter;

typedef enum CsvKind { CSV_NUMBER, CSV_INTEGER, CSV_STRING } CsvKind;

/* One value of a row. A string need not be NUL-terminated. */
typedef struct CsvField {
    CsvKind kind;
    double number;
    long long integer;
    const char *str;
    size_t len;
} CsvField;

/* The writer's buffer is flushed when it holds this many bytes. */
#define CSV_WRITE_BUFFER 65536

/* A writer that holds nothing: safe to release. */
void csv_writer_init(CsvWriter *w);

/* Creates path as a new file for writing, never through an existing name
 * (a planted symbolic link): O_EXCL, after removing what is there. Returns
 * the descriptor, or -1 with errno set. */
int csv_create_new(const char *path);

/* Opens a writer for path (its folder must exist). Errors name path. */
Status csv_writer_open(CsvWriter *w, const char *path, Err *e);

/* Appends one row: integers as integers, numbers with numfmt_double
 * (shortest round trip; inf, -inf, nan), strings quoted only when they need
 * it. The first row fixes the number of fields; later rows must match.
 * Rows are written to the file when the buffer fills. On an I/O error the
 * row may be partly written: abandon the writer. */
Status csv_write_row(CsvWriter *w, const CsvField *f, size_t n, Err *e);

/* Writes the buffered rows to the file now. */
Status csv_writer_flush(CsvWriter *w, Err *e);

/* Writes the rest, syncs, closes, and renames the temporary file to its
 * name (removing a stale NAME.incomplete). On failure the writer is
 * abandoned (what was written is kept as NAME.incomplete) and e says why.
 * Either way the writer is closed afterwards. */
Status csv_writer_commit(CsvWriter *w, Err *e);

/* Closes the writer keeping what was written as NAME.incomplete (in place
 * when direct). Fails only when that rename fails (then e says why and the
 * temporary file is left). */
Status csv_writer_abandon(CsvWriter *w, Err *e);

static inline int csv_writer_is_open(const CsvWriter *w) { return w->fd >= 0; }

/* Frees the names and the buffer. Abandons the writer first if open. */
void csv_writer_release(CsvWriter *w);

/* ---- reading ------------------------------------------------------------- */

typedef struct CsvReadOptions {
    char sep;             /* the field separator: ',' */
    const char *comment;  /* lines that start with it are skipped; NULL: none */
    int header;           /* 1: the first record names the columns */
    /* Called after each chunk read from the file with the bytes read so far
     * and the file's size (0 when unknown), for a progress line; or NULL. */
    void (*on_read)(void *ud, size_t done, size_t total);
    void *ud;
    const char *const *text;  /* names of columns to read as text */
    size_t ntext;
} CsvReadOptions;

typedef struct CsvColumn {
    int numeric;
    int decided;        /* while reading: the type is known */
    double *num;        /* numeric: rows values (capacity num_cap) */
    size_t num_cap;
    char *text;         /* text: the values back to back (capacity text_cap) */
    size_t text_len, text_cap;
    size_t *off;        /* text: value i is text[off[i] .. off[i+1]) */
    size_t off_cap;
    size_t pending;     /* undecided so far: this many empty values */
    size_t first_line;  /* the line of the value that decided the type */
    int wide;           /* text holding numbers, some of them integers that a
                         * double cannot hold exactly (beyond 2^53) */
} CsvColumn;

typedef struct CsvTable {
    size_t ncols, rows;
    char *names;        /* the column names back to back */
    size_t name_bytes;
    size_t *name_off;   /* name j is names[name_off[j] .. name_off[j+1]) */
    CsvColumn *col;
} CsvTable;

void csv_read_defaults(CsvReadOptions *o);

/* Reads path into t (which the caller frees with csv_table_free, also after
 * a failure). Rules:
 *  - a UTF-8 byte order mark is skipped; records end with LF, CRLF or CR;
 *    blank lines (nothing, or only spaces and tabs) and comment lines are
 *    skipped; a quoted field may hold separators, quotes ("") and newlines;
 *    a quote inside an unquoted field is an ordinary character;
 *  - every record has as many fields as the header (or the first record);
 *  - a column is numeric when every non-empty value is a number (empty
 *    values read as nan), or when it has no non-empty value; else it is
 *    text, every value as written (found on a later line, the file is read
 *    again: a file that cannot be read twice gives an error instead);
 *    o->text names columns read as text whatever they hold; a numeric
 *    column holding an integer beyond 2^53 is kept as text, marked wide;
 *  - a NUL byte, or a record longer than CSV_MAX_RECORD, is an error. A number is a decimal (12, -0.5, 1e-300, .5)
 *    or inf, -inf, infinity, nan in any case, with optional spaces around.
 * Errors read "NAME:LINE:COLUMN: what" (columns count characters), or
 * "cannot open 'NAME': reason". name is the path as the user wrote it. */
Status csv_read(const char *path, const char *name, const CsvReadOptions *o, CsvTable *t,
                Err *e);

/* The bytes of the file in memory at once while reading (more only for a
 * record longer than that). */
#define CSV_CHUNK ((size_t)1 << 20)

/* The longest record read (a file of one endless line is not a CSV). */
#define CSV_MAX_RECORD ((size_t)1 << 28)

/* The same from an open file: read in chunks of chunk bytes (tests use tiny
 * ones to put chunk ends everywhere); file_size, when known (else 0), only
 * sizes the columns' first allocation. */
Status csv_read_fd(int fd, const char *name, const CsvReadOptions *o, size_t chunk,
                   size_t file_size, CsvTable *t, Err *e);

void csv_table_free(CsvTable *t);

/* Parses the whole of s[0..n) as a number by the rule above; returns 1 and
 * sets *v, or returns 0. */
int csv_parse_number(const char *s, size_t n, double *v);

#endif
