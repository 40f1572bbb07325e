/* csvread.c: the CSV reader (see csv.h for the rules).
 *
 * The file is read whole into one buffer and parsed record by record: a
 * record is split into spans (pointers into the buffer, no copy), then each
 * span goes to its column: numbers into a growing array of doubles, text
 * into a growing byte arena with offsets. Numbers take a fast exact path
 * when they have at most 19 significant digits and a mantissa below 2^53
 * (what most files hold) and strtod otherwise. */
#include "core/csv.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cancel.h"
#include "core/mem.h"

/* ---- numbers ------------------------------------------------------------- */

/* 10^0 .. 10^22 are exact doubles: m * 10^k (m < 2^53, |k| <= 22) is then
 * one correctly rounded operation. */
static const double exact_pow10[23] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

static int is_space(char c) { return c == ' ' || c == '\t'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int same_word(const char *s, size_t n, const char *word)
{
    if (strlen(word) != n) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if (c != word[i]) return 0;
    }
    return 1;
}

/* strtod over text that is not NUL-terminated. */
static int slow_number(const char *s, size_t n, double *v)
{
    char small[128];
    char *buf = n < sizeof small ? small : mem_alloc(n + 1);
    if (!buf) return 0;
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *end;
    *v = strtod(buf, &end);
    int ok = end == buf + n;
    if (buf != small) mem_free(buf, n + 1);
    return ok;
}

int csv_parse_number(const char *s, size_t n, double *v)
{
    const char *p = s, *end = s + n;
    while (p < end && is_space(*p)) p++;
    while (end > p && is_space(end[-1])) end--;
    if (p == end) return 0;
    const char *start = p;
    int neg = 0;
    if (*p == '+' || *p == '-') neg = *p++ == '-';
    if (p < end && !is_digit(*p) && *p != '.') {
        size_t k = (size_t)(end - p);
        if (same_word(p, k, "inf") || same_word(p, k, "infinity")) {
            *v = neg ? -INFINITY : INFINITY;
            return 1;
        }
        if (same_word(p, k, "nan")) {
            *v = NAN;
            return 1;
        }
        return 0;
    }
    /* [digits][.digits][e[sign]digits], at least one digit before e */
    uint64_t m = 0;
    int kept = 0, dropped = 0, any = 0;
    long exp10 = 0;
    for (; p < end && is_digit(*p); p++) {
        any = 1;
        int d = *p - '0';
        if (kept < 19) {
            if (m || d) {
                m = m * 10 + (uint64_t)d;
                kept++;
            }
        } else {
            exp10++;
            dropped = 1;
        }
    }
    if (p < end && *p == '.') {
        for (p++; p < end && is_digit(*p); p++) {
            any = 1;
            int d = *p - '0';
            if (kept < 19) {
                if (m || d) {
                    m = m * 10 + (uint64_t)d;
                    kept++;
                }
                exp10--;
            } else {
                dropped = 1;
            }
        }
    }
    if (!any) return 0;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        int eneg = 0;
        if (p < end && (*p == '+' || *p == '-')) eneg = *p++ == '-';
        if (p == end || !is_digit(*p)) return 0;
        long ex = 0;
        for (; p < end && is_digit(*p); p++)
            if (ex < 100000) ex = ex * 10 + (*p - '0');
        exp10 += eneg ? -ex : ex;
    }
    if (p != end) return 0;
    if (!dropped) {
        if (m == 0) {
            *v = neg ? -0.0 : 0.0;
            return 1;
        }
        if (m <= ((uint64_t)1 << 53) && exp10 >= -22 && exp10 <= 22) {
            double x = (double)m;
            x = exp10 < 0 ? x / exact_pow10[-exp10] : x * exact_pow10[exp10];
            *v = neg ? -x : x;
            return 1;
        }
    }
    return slow_number(start, (size_t)(end - start), v);
}

/* ---- the parser ---------------------------------------------------------- */

typedef struct Span {
    const char *p;           /* the value (inside the quotes when quoted) */
    size_t n;
    int escaped;             /* quoted and holding "" */
    const char *at;          /* where the field starts, for messages */
    const char *line_start;  /* the start of at's line */
    size_t line;
} Span;

typedef struct Parser {
    const char *p, *end;
    size_t line;
    const char *line_start;
    const char *name;
    char sep;
    const char *comment;
    size_t comment_len;
    Span *f;
    size_t nf, fcap;
    Err *e;
} Parser;

/* Characters (not bytes: UTF-8 continuation bytes do not count) from the
 * start of the line to at, plus one. */
static size_t column_of(const char *line_start, const char *at)
{
    size_t col = 1;
    for (const char *c = line_start; c < at; c++)
        if (((unsigned char)*c & 0xC0) != 0x80) col++;
    return col;
}

#define FAIL_AT(ps, line, ls, at, code, ...)                                   \
    fail_at(ps, code, line, column_of(ls, at), __VA_ARGS__)

static Status fail_at(Parser *ps, Status code, size_t line, size_t col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static Status fail_at(Parser *ps, Status code, size_t line, size_t col, const char *fmt, ...)
{
    char what[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return err_set(ps->e, code, "%s:%zu:%zu: %s", ps->name, line, col, what);
}

/* Steps over one line end at p (LF, CRLF or CR). */
static void next_line(Parser *ps)
{
    if (ps->p < ps->end) {
        if (*ps->p == '\r' && ps->p + 1 < ps->end && ps->p[1] == '\n') ps->p++;
        ps->p++;
    }
    ps->line++;
    ps->line_start = ps->p;
}

/* Skips blank and comment lines; returns 0 at the end of the text. */
static int skip_to_record(Parser *ps)
{
    for (;;) {
        const char *q = ps->p;
        while (q < ps->end && is_space(*q)) q++;
        if (q == ps->end) {
            ps->p = q;
            return 0;
        }
        if (*q == '\n' || *q == '\r') {
            ps->p = q;
            next_line(ps);
            continue;
        }
        if (ps->comment_len && (size_t)(ps->end - ps->p) >= ps->comment_len &&
            memcmp(ps->p, ps->comment, ps->comment_len) == 0) {
            while (ps->p < ps->end && *ps->p != '\n' && *ps->p != '\r') ps->p++;
            next_line(ps);
            continue;
        }
        return 1;
    }
}

static Status push_span(Parser *ps, const Span *sp)
{
    if (ps->nf == ps->fcap) {
        size_t cap = ps->fcap ? 2 * ps->fcap : 16;
        Span *f = mem_realloc(ps->f, ps->fcap * sizeof *f, cap * sizeof *f);
        if (!f) return err_set(ps->e, ST_ENOMEM, "%s: not enough memory", ps->name);
        ps->f = f;
        ps->fcap = cap;
    }
    ps->f[ps->nf++] = *sp;
    return ST_OK;
}

/* A quoted field from ps->p (at the opening quote). */
static Status quoted_field(Parser *ps, Span *sp)
{
    const char *q = ps->p + 1;
    for (;;) {
        const char *r = memchr(q, '"', (size_t)(ps->end - q));
        if (!r)
            return FAIL_AT(ps, sp->line, sp->line_start, sp->at, ST_EINVAL,
                           "unterminated quoted field: the quote opened here is never closed");
        for (const char *c = q; c < r; c++) {  /* newlines inside the field */
            if (*c == '\n' || (*c == '\r' && (c + 1 == r || c[1] != '\n'))) {
                ps->line++;
                ps->line_start = c + 1;
            }
        }
        if (r + 1 < ps->end && r[1] == '"') {
            sp->escaped = 1;
            q = r + 2;
            continue;
        }
        sp->p = sp->at + 1;
        sp->n = (size_t)(r - sp->p);
        ps->p = r + 1;
        break;
    }
    char c = ps->p < ps->end ? *ps->p : '\n';
    if (c != ps->sep && c != '\n' && c != '\r')
        return FAIL_AT(ps, ps->line, ps->line_start, ps->p, ST_EINVAL,
                       "unexpected '%c' after the closing quote of a quoted field "
                       "(a quote inside a quoted field is written \"\")", c);
    return ST_OK;
}

/* Reads one record's fields into ps->f. *end_* say where the record ended
 * (for "found too few fields"). Returns ST_OK with ps->nf == 0 at the end. */
static Status read_record(Parser *ps, Span *rec_end)
{
    ps->nf = 0;
    if (!skip_to_record(ps)) return ST_OK;
    for (;;) {
        Span sp = {NULL, 0, 0, ps->p, ps->line_start, ps->line};
        if (ps->p < ps->end && *ps->p == '"') {
            Status st = quoted_field(ps, &sp);
            if (st != ST_OK) return st;
        } else {
            const char *q = ps->p;
            char sep = ps->sep;
            while (q < ps->end && *q != sep && *q != '\n' && *q != '\r') q++;
            sp.p = ps->p;
            sp.n = (size_t)(q - ps->p);
            ps->p = q;
        }
        Status st = push_span(ps, &sp);
        if (st != ST_OK) return st;
        if (ps->p < ps->end && *ps->p == ps->sep) {
            ps->p++;
            continue;
        }
        rec_end->at = ps->p;
        rec_end->line = ps->line;
        rec_end->line_start = ps->line_start;
        if (ps->p < ps->end) next_line(ps);
        return ST_OK;
    }
}

/* ---- columns ------------------------------------------------------------- */

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) return 1;
    size_t n = *cap ? *cap : 16;
    while (n < need) n *= 2;
    void *q = mem_realloc(*p, *cap * elem, n * elem);
    if (!q) return 0;
    *p = q;
    *cap = n;
    return 1;
}

static int blank(const Span *sp)
{
    if (sp->escaped) return 0;
    for (size_t i = 0; i < sp->n; i++)
        if (!is_space(sp->p[i])) return 0;
    return 1;
}

/* Appends the value of sp (unescaped) to the text arena of c. */
static int add_text(CsvColumn *c, const Span *sp, size_t row)
{
    if (!grow((void **)&c->text, &c->text_cap, c->text_len + sp->n, 1)) return 0;
    if (!grow((void **)&c->off, &c->off_cap, row + 2, sizeof *c->off)) return 0;
    char *out = c->text + c->text_len;
    if (!sp->escaped) {
        memcpy(out, sp->p, sp->n);
        out += sp->n;
    } else {
        for (size_t i = 0; i < sp->n; i++) {
            *out++ = sp->p[i];
            if (sp->p[i] == '"') i++;  /* "" stands for one quote */
        }
    }
    c->text_len = (size_t)(out - c->text);
    c->off[row + 1] = c->text_len;
    return 1;
}

static int add_number(CsvColumn *c, double v, size_t row, size_t hint)
{
    if (!grow((void **)&c->num, &c->num_cap, row + 1 > hint ? row + 1 : hint, sizeof *c->num))
        return 0;
    c->num[row] = v;
    return 1;
}

/* The first non-empty value of an undecided column decides its type; the
 * empty values before it become nan or "". */
static int decide(CsvColumn *c, int numeric, size_t row, size_t hint)
{
    c->numeric = numeric;
    c->decided = 1;
    if (numeric) {
        if (!add_number(c, NAN, row, hint)) return 0;
        for (size_t i = 0; i < c->pending; i++) c->num[i] = NAN;
    } else {
        if (!grow((void **)&c->off, &c->off_cap, hint + 1 > row + 2 ? hint + 1 : row + 2,
                  sizeof *c->off))
            return 0;
        for (size_t i = 0; i <= row; i++) c->off[i] = 0;
    }
    return 1;
}

static Status column_names(Parser *ps, CsvTable *t, int from_record)
{
    size_t len = 0;
    char num[32];
    for (size_t j = 0; j < t->ncols; j++)
        len += from_record ? ps->f[j].n : (size_t)snprintf(num, sizeof num, "%zu", j + 1);
    t->names = mem_alloc(len ? len : 1);
    t->name_off = mem_alloc((t->ncols + 1) * sizeof *t->name_off);
    if (!t->names || !t->name_off)
        return err_set(ps->e, ST_ENOMEM, "%s: not enough memory", ps->name);
    t->name_bytes = len ? len : 1;
    t->name_off[0] = 0;
    char *out = t->names;
    for (size_t j = 0; j < t->ncols; j++) {
        if (!from_record) {
            int n = snprintf(num, sizeof num, "%zu", j + 1);
            memcpy(out, num, (size_t)n);
            out += n;
        } else {
            const Span *sp = &ps->f[j];
            for (size_t i = 0; i < sp->n; i++) {
                *out++ = sp->p[i];
                if (sp->escaped && sp->p[i] == '"') i++;
            }
        }
        t->name_off[j + 1] = (size_t)(out - t->names);
    }
    /* Two columns of one name cannot both be cols[name]. */
    for (size_t j = 1; j < t->ncols; j++) {
        size_t a = t->name_off[j], n = t->name_off[j + 1] - a;
        for (size_t k = 0; k < j; k++) {
            size_t b = t->name_off[k];
            if (t->name_off[k + 1] - b == n && memcmp(t->names + a, t->names + b, n) == 0) {
                const Span *sp = &ps->f[j];
                return FAIL_AT(ps, sp->line, sp->line_start, sp->at, ST_EINVAL,
                               "column name '%.*s' appears twice (columns %zu and %zu)",
                               (int)(n > 60 ? 60 : n), t->names + a, k + 1, j + 1);
            }
        }
    }
    return ST_OK;
}

/* Puts the fields of one data record into the columns. */
static Status add_record(Parser *ps, CsvTable *t, size_t hint)
{
    size_t row = t->rows;
    for (size_t j = 0; j < t->ncols; j++) {
        const Span *sp = &ps->f[j];
        CsvColumn *c = &t->col[j];
        int ok = 1;
        if (!c->decided) {
            if (blank(sp)) {
                c->pending++;
                continue;
            }
            double v;
            int isnum = !sp->escaped && csv_parse_number(sp->p, sp->n, &v);
            c->first_line = sp->line;
            ok = decide(c, isnum, row, hint) &&
                 (isnum ? add_number(c, v, row, hint) : add_text(c, sp, row));
        } else if (c->numeric) {
            double v = NAN;
            if (!blank(sp) && (sp->escaped || !csv_parse_number(sp->p, sp->n, &v))) {
                size_t n = sp->n > 40 ? 40 : sp->n;
                const char *dots = sp->n > 40 ? "..." : "";
                size_t a = t->name_off[j], len = t->name_off[j + 1] - a;
                return FAIL_AT(ps, sp->line, sp->line_start, sp->at, ST_EINVAL,
                               "'%.*s%s' is not a number, but column '%.*s' is numeric "
                               "(its first value, on line %zu, is a number)",
                               (int)n, sp->p, dots, (int)(len > 60 ? 60 : len),
                               t->names + a, c->first_line);
            }
            ok = add_number(c, v, row, hint);
        } else {
            ok = add_text(c, sp, row);
        }
        if (!ok) return err_set(ps->e, ST_ENOMEM, "%s: not enough memory", ps->name);
    }
    t->rows++;
    return ST_OK;
}

/* Columns that never saw a non-empty value are numeric: all nan. */
static Status finish_columns(Parser *ps, CsvTable *t)
{
    for (size_t j = 0; j < t->ncols; j++) {
        CsvColumn *c = &t->col[j];
        if (c->decided) continue;
        c->numeric = 1;
        c->decided = 1;
        if (t->rows && !grow((void **)&c->num, &c->num_cap, t->rows, sizeof *c->num))
            return err_set(ps->e, ST_ENOMEM, "%s: not enough memory", ps->name);
        for (size_t i = 0; i < t->rows; i++) c->num[i] = NAN;
    }
    return ST_OK;
}

void csv_read_defaults(CsvReadOptions *o)
{
    o->sep = ',';
    o->comment = NULL;
    o->header = 1;
}

Status csv_parse(const char *text, size_t n, const char *name, const CsvReadOptions *o,
                 CsvTable *t, Err *e)
{
    memset(t, 0, sizeof *t);
    Parser ps = {0};
    ps.p = text;
    ps.end = text + n;
    ps.line = 1;
    ps.name = name;
    ps.sep = o->sep;
    ps.comment = o->comment;
    ps.comment_len = o->comment ? strlen(o->comment) : 0;
    ps.e = e;
    if (n >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) ps.p += 3;  /* UTF-8 BOM */
    ps.line_start = ps.p;

    /* Records are at most the lines: a first guess for the columns' size. */
    size_t hint = 1;
    for (const char *c = text; (c = memchr(c, '\n', (size_t)(ps.end - c))) != NULL; c++) hint++;

    Span rec_end;
    Status st = read_record(&ps, &rec_end);
    if (st != ST_OK) goto done;
    if (ps.nf == 0) {
        st = n == 0 ? err_set(e, ST_EINVAL, "%s:1:1: the file is empty%s", name,
                              o->header ? " (expected a header line)" : "")
                    : err_set(e, ST_EINVAL, "%s:%zu:1: no %s: the file holds only blank "
                              "lines%s", name, ps.line, o->header ? "header line" : "records",
                              ps.comment_len ? " and comments" : "");
        goto done;
    }
    t->ncols = ps.nf;
    t->col = mem_alloc(t->ncols * sizeof *t->col);
    if (!t->col) {
        st = err_set(e, ST_ENOMEM, "%s: not enough memory for %zu columns", name, t->ncols);
        goto done;
    }
    memset(t->col, 0, t->ncols * sizeof *t->col);
    st = column_names(&ps, t, o->header);
    if (st != ST_OK) goto done;
    if (!o->header) {
        st = add_record(&ps, t, hint);
        if (st != ST_OK) goto done;
    }
    for (size_t count = 1; ; count++) {
        if (count % CANCEL_EVERY == 0 && cancel_requested()) {
            st = err_set(e, ST_ECANCEL, "%s: interrupted", name);
            goto done;
        }
        st = read_record(&ps, &rec_end);
        if (st != ST_OK) goto done;
        if (ps.nf == 0) break;
        if (ps.nf != t->ncols) {
            if (ps.nf < t->ncols)
                st = FAIL_AT(&ps, rec_end.line, rec_end.line_start, rec_end.at, ST_EINVAL,
                             "expected %zu fields, found %zu", t->ncols, ps.nf);
            else {
                const Span *sp = &ps.f[t->ncols];
                st = FAIL_AT(&ps, sp->line, sp->line_start, sp->at, ST_EINVAL,
                             "expected %zu fields, found %zu", t->ncols, ps.nf);
            }
            goto done;
        }
        st = add_record(&ps, t, hint);
        if (st != ST_OK) goto done;
    }
    st = finish_columns(&ps, t);
done:
    mem_free(ps.f, ps.fcap * sizeof *ps.f);
    return st;
}

/* ---- files --------------------------------------------------------------- */

/* Reads all of fd into a new buffer (*size bytes, capacity *cap). */
static Status slurp(int fd, const char *name, char **buf, size_t *size, size_t *cap, Err *e)
{
    struct stat st;
    size_t want = 65536;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
        want = (size_t)st.st_size + 1;
    *buf = mem_alloc(want);
    if (!*buf) return err_set(e, ST_ENOMEM, "not enough memory to read '%s'", name);
    *cap = want;
    *size = 0;
    for (;;) {
        if (*size == *cap) {
            char *b = mem_realloc(*buf, *cap, *cap * 2);
            if (!b) return err_set(e, ST_ENOMEM, "not enough memory to read '%s'", name);
            *buf = b;
            *cap *= 2;
        }
        ssize_t n = read(fd, *buf + *size, *cap - *size);
        if (n == 0) return ST_OK;
        if (n < 0) {
            if (errno == EINTR) {
                if (cancel_requested()) return err_set(e, ST_ECANCEL, "%s: interrupted", name);
                continue;
            }
            return err_set(e, ST_EIO, "cannot read '%s': %s", name, strerror(errno));
        }
        *size += (size_t)n;
    }
}

Status csv_read(const char *path, const char *name, const CsvReadOptions *o, CsvTable *t,
                Err *e)
{
    memset(t, 0, sizeof *t);
    int fd = open(path, O_RDONLY);
    if (fd < 0) return err_set(e, ST_EIO, "cannot open '%s': %s", name, strerror(errno));
    char *buf = NULL;
    size_t size = 0, cap = 0;
    Status st = slurp(fd, name, &buf, &size, &cap, e);
    close(fd);
    if (st == ST_OK) st = csv_parse(buf, size, name, o, t, e);
    if (buf) mem_free(buf, cap);
    return st;
}

void csv_table_free(CsvTable *t)
{
    for (size_t j = 0; t->col && j < t->ncols; j++) {
        CsvColumn *c = &t->col[j];
        mem_free(c->num, c->num_cap * sizeof *c->num);
        mem_free(c->text, c->text_cap);
        mem_free(c->off, c->off_cap * sizeof *c->off);
    }
    if (t->col) mem_free(t->col, t->ncols * sizeof *t->col);
    if (t->names) mem_free(t->names, t->name_bytes);
    if (t->name_off) mem_free(t->name_off, (t->ncols + 1) * sizeof *t->name_off);
    memset(t, 0, sizeof *t);
}
