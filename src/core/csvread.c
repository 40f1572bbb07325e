/* csvread.c: the CSV reader (see csv.h for the rules).
 *
 * The file streams through a buffer of CSV_CHUNK bytes (more only for a
 * record longer than that) and is parsed record by record: a record is split
 * into spans (pointers into the buffer, no copy), then each span goes to its
 * column: numbers into a growing array of doubles, text into a growing byte
 * arena with offsets. A record that runs past the end of the buffer before
 * the file ends is parsed again once the buffer has been refilled: the
 * parser's state at the record's start is kept for that. So memory is the
 * columns plus one chunk, whatever the size of the file. Numbers take a fast
 * exact path when they have at most 19 significant digits and a mantissa
 * below 2^53 (what most files hold) and strtod otherwise. */
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
    int quoted;              /* written in quotes: spaces in it are a value */
    const char *at;          /* where the field starts, for messages */
    const char *line_start;  /* the start of at's line */
    size_t line;
} Span;

typedef struct Parser {
    const char *p, *end;     /* the unparsed text in buf */
    int eof;                 /* the file has no more after end */
    char *buf;               /* the chunk of the file in memory */
    size_t cap;
    int fd;
    size_t line;
    const char *line_start;
    const char *name;
    char sep;
    const char *comment;
    size_t comment_len;
    Span *f;
    size_t nf, fcap;
    unsigned char *force;    /* per column: 0, or a COL_ kind found so far */
    size_t restart_col;      /* ST_RESTART: the column whose kind changed */
    Err *e;
    const CsvReadOptions *o;
    size_t done, total;      /* bytes read so far; the file's size or 0 */
} Parser;

/* What a column turned out to hold, beyond the first value's guess. */
#define COL_TEXT 1  /* a value is not a number: every value is text */
#define COL_WIDE 2  /* integers a double cannot hold: kept as text */

/* Internal: the record runs past the end of the buffer, which must be
 * refilled before it can be parsed (never returned by csv_read). */
#define ST_NEEDMORE ((Status)101)
/* Internal: a column is not what its first values said; read the file
 * again knowing it (ps->restart_col; the message is already set, for a
 * file that cannot be read twice). */
#define ST_RESTART ((Status)102)

/* The end of the buffer was reached; is more text coming? */
#define MORE_COMING(ps) (!(ps)->eof)

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

/* Skips blank and comment lines. Returns 1 at a record, 0 at the end of the
 * text, or ST_NEEDMORE when a line is cut by the end of the buffer. */
static int skip_to_record(Parser *ps)
{
    for (;;) {
        const char *q = ps->p;
        while (q < ps->end && is_space(*q)) q++;
        if (q == ps->end) {
            if (MORE_COMING(ps)) return ST_NEEDMORE;
            ps->p = q;
            return 0;
        }
        if (*q == '\n' || *q == '\r') {
            if (*q == '\r' && q + 1 == ps->end && MORE_COMING(ps)) return ST_NEEDMORE;
            ps->p = q;
            next_line(ps);
            continue;
        }
        if (ps->comment_len && (size_t)(ps->end - ps->p) < ps->comment_len && MORE_COMING(ps))
            return ST_NEEDMORE;
        if (ps->comment_len && (size_t)(ps->end - ps->p) >= ps->comment_len &&
            memcmp(ps->p, ps->comment, ps->comment_len) == 0) {
            const char *c = ps->p;
            while (c < ps->end && *c != '\n' && *c != '\r') c++;
            if ((c == ps->end || (*c == '\r' && c + 1 == ps->end)) && MORE_COMING(ps))
                return ST_NEEDMORE;
            ps->p = c;
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
        if (!r && MORE_COMING(ps)) return ST_NEEDMORE;
        if (!r)
            return FAIL_AT(ps, sp->line, sp->line_start, sp->at, ST_EINVAL,
                           "unterminated quoted field: the quote opened here is never closed");
        if (r + 1 == ps->end && MORE_COMING(ps)) return ST_NEEDMORE;  /* "" or the end? */
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
        sp->quoted = 1;
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

/* Reads one record's fields into ps->f. *rec_end says where the record
 * ended (for "found too few fields"). Returns ST_OK with ps->nf == 0 at the
 * end of the text, or ST_NEEDMORE when the record is cut by the end of the
 * buffer (the caller refills it and starts the record again). */
static Status read_record_in_buffer(Parser *ps, Span *rec_end)
{
    ps->nf = 0;
    int at = skip_to_record(ps);
    if (at == ST_NEEDMORE) return ST_NEEDMORE;
    if (!at) return ST_OK;
    for (;;) {
        if (ps->p == ps->end && MORE_COMING(ps)) return ST_NEEDMORE;
        Span sp = {NULL, 0, 0, 0, ps->p, ps->line_start, ps->line};
        if (ps->p < ps->end && *ps->p == '"') {
            Status st = quoted_field(ps, &sp);
            if (st != ST_OK) return st;
        } else {
            const char *q = ps->p;
            char sep = ps->sep;
            while (q < ps->end && *q != sep && *q != '\n' && *q != '\r') q++;
            if (q == ps->end && MORE_COMING(ps)) return ST_NEEDMORE;
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
        if (ps->p + 1 == ps->end && *ps->p == '\r' && MORE_COMING(ps)) return ST_NEEDMORE;
        rec_end->at = ps->p;
        rec_end->line = ps->line;
        rec_end->line_start = ps->line_start;
        if (ps->p < ps->end) next_line(ps);
        return ST_OK;
    }
}

/* Moves the unparsed text from keep to the front of the buffer (doubling
 * the buffer when it is all unparsed) and reads more of the file after it. */
static Status refill(Parser *ps, const char *keep)
{
    size_t kept = (size_t)(ps->end - keep);
    if (kept == ps->cap && ps->cap >= CSV_MAX_RECORD)
        return err_set(ps->e, ST_EINVAL, "%s:%zu: a record longer than %zu MiB (is it a CSV "
                       "file?)", ps->name, ps->line, CSV_MAX_RECORD >> 20);
    if (kept == ps->cap) {
        char *bigger = mem_realloc(ps->buf, ps->cap, ps->cap * 2);
        if (!bigger) return err_set(ps->e, ST_ENOMEM, "%s: not enough memory for a record "
                                    "of more than %zu bytes", ps->name, ps->cap);
        keep = bigger + (keep - ps->buf);
        ps->buf = bigger;
        ps->cap *= 2;
    }
    memmove(ps->buf, keep, kept);
    for (;;) {
        ssize_t n = read(ps->fd, ps->buf + kept, ps->cap - kept);
        if (n < 0 && errno == EINTR && !cancel_requested()) continue;
        if (n < 0 && errno == EINTR) return err_set(ps->e, ST_ECANCEL, "%s: interrupted", ps->name);
        if (n < 0) return err_set(ps->e, ST_EIO, "cannot read '%s': %s", ps->name, strerror(errno));
        if (n == 0) ps->eof = 1;
        if (n > 0 && memchr(ps->buf + kept, '\0', (size_t)n))
            return err_set(ps->e, ST_EINVAL, "%s: holds a NUL byte, so it is not a CSV text file",
                           ps->name);
        ps->done += (size_t)n;
        if (ps->o->on_read) ps->o->on_read(ps->o->ud, ps->done, ps->total);
        ps->p = ps->buf;
        ps->end = ps->buf + kept + (size_t)n;
        return ST_OK;
    }
}

/* The next record, refilling the buffer as often as it takes. */
static Status read_record(Parser *ps, Span *rec_end)
{
    for (;;) {
        const char *p = ps->p, *line_start = ps->line_start;
        size_t line = ps->line;
        Status st = read_record_in_buffer(ps, rec_end);
        if (st != ST_NEEDMORE) return st;
        /* Start the record again on a refilled buffer: back to its start. */
        ps->p = p;
        ps->line = line;
        ps->line_start = line_start;
        const char *keep = line_start < p ? line_start : p;
        size_t p_at = (size_t)(p - keep), line_at = (size_t)(line_start - keep);
        st = refill(ps, keep);
        if (st != ST_OK) return st;
        ps->line_start = ps->buf + line_at;
        ps->p = ps->buf + p_at;
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

/* An empty value: nothing, spaces and tabs, or "" (but "  " is text). */
static int blank(const Span *sp)
{
    if (sp->escaped || (sp->quoted && sp->n > 0)) return 0;
    for (size_t i = 0; i < sp->n; i++)
        if (!is_space(sp->p[i])) return 0;
    return 1;
}

/* Appends the value of sp (unescaped) to the text arena of c. */
static int add_text(CsvColumn *c, const Span *sp, size_t row)
{
    if (!grow((void **)&c->off, &c->off_cap, row + 2, sizeof *c->off)) return 0;
    if (sp->n == 0) {  /* an empty value: nothing to copy (maybe no arena yet) */
        c->off[row + 1] = c->text_len;
        return 1;
    }
    if (!grow((void **)&c->text, &c->text_cap, c->text_len + sp->n, 1)) return 0;
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

/* Is the text an integer (digits, a sign, spaces around) that Lua holds as
 * an integer but a double cannot hold exactly? Beyond 2^53 only some
 * integers are doubles: 10133099161583616 (what the writer prints for that
 * whole double) reads back as the same double and stays a number;
 * 9007199254740993 would become ...992 and is kept whole as text. */
static int wide_integer(const char *s, size_t n)
{
    const char *p = s, *end = s + n;
    while (p < end && is_space(*p)) p++;
    while (end > p && is_space(end[-1])) end--;
    int neg = 0;
    if (p < end && (*p == '+' || *p == '-')) neg = *p++ == '-';
    while (p < end && *p == '0') p++;
    if (end - p < 16 || end - p > 19) return 0;
    uint64_t m = 0;
    for (const char *c = p; c < end; c++) {
        if (!is_digit(*c)) return 0;
        uint64_t d = (uint64_t)(*c - '0');
        if (m > (UINT64_MAX - d) / 10) return 0;
        m = m * 10 + d;
    }
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    if (m <= ((uint64_t)1 << 53) || m > limit) return 0;
    /* a double holds m exactly when m's low bits below its 53-bit mantissa
     * are zero */
    int bits = 64 - __builtin_clzll(m);
    return (m & (((uint64_t)1 << (bits - 53)) - 1)) != 0;
}

/* Asks for the file to be read again with column j of the kind given. */
static Status restart(Parser *ps, CsvTable *t, size_t j, int kind, const Span *sp)
{
    ps->force[j] = (unsigned char)kind;
    ps->restart_col = j;
    size_t n = sp->n > 40 ? 40 : sp->n;
    size_t a = t->name_off[j], len = t->name_off[j + 1] - a;
    int shown = (int)(len > 60 ? 60 : len);
    if (kind == COL_WIDE) {
        fail_at(ps, ST_EINVAL, sp->line, column_of(sp->line_start, sp->at),
                "column '%.*s' holds '%.*s', an integer that a double cannot hold exactly, and "
                "the file cannot be read twice (read it with text = {\"%.*s\"})",
                shown, t->names + a, (int)n, sp->p, shown, t->names + a);
    } else {
        fail_at(ps, ST_EINVAL, sp->line, column_of(sp->line_start, sp->at),
                "'%.*s%s' is not a number, but column '%.*s' is numeric (its first value, on "
                "line %zu, is a number) and the file cannot be read twice (read it with text = "
                "{\"%.*s\"})", (int)n, sp->p, sp->n > 40 ? "..." : "", shown, t->names + a,
                t->col[j].first_line, shown, t->names + a);
    }
    return ST_RESTART;
}

/* Puts the fields of one data record into the columns. */
static Status add_record(Parser *ps, CsvTable *t, size_t hint)
{
    size_t row = t->rows;
    for (size_t j = 0; j < t->ncols; j++) {
        const Span *sp = &ps->f[j];
        CsvColumn *c = &t->col[j];
        int ok = 1;
        double v = NAN;
        if (!c->decided) {
            /* a column named as text is decided by its first value, blank or
             * not, so that every value comes back as written */
            if (blank(sp) && ps->force[j] != COL_TEXT) {
                c->pending++;
                continue;
            }
            int isnum = !sp->escaped && csv_parse_number(sp->p, sp->n, &v);
            c->first_line = sp->line;
            if (isnum && !ps->force[j] && wide_integer(sp->p, sp->n))
                return restart(ps, t, j, COL_WIDE, sp);
            if (ps->force[j]) isnum = 0;
            ok = decide(c, isnum, row, hint) &&
                 (isnum ? add_number(c, v, row, hint) : add_text(c, sp, row));
            c->wide = ps->force[j] == COL_WIDE;
        } else if (c->numeric) {
            if (!blank(sp) && (sp->escaped || !csv_parse_number(sp->p, sp->n, &v)))
                return restart(ps, t, j, COL_TEXT, sp);
            if (!blank(sp) && wide_integer(sp->p, sp->n))
                return restart(ps, t, j, COL_WIDE, sp);
            ok = add_number(c, v, row, hint);
        } else {
            /* numbers kept as text: one value that is not makes it text */
            if (c->wide && !blank(sp) && (sp->escaped || !csv_parse_number(sp->p, sp->n, &v)))
                return restart(ps, t, j, COL_TEXT, sp);
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
    o->text = NULL;
    o->ntext = 0;
    o->on_read = NULL;
    o->ud = NULL;
}

/* The records in the first chunk: the columns' first room. Not scaled by
 * the file's size: a file whose first MiB has short lines would reserve many
 * times what it holds. Past it the columns double as they fill. */
static size_t guess_rows(const Parser *ps)
{
    size_t lines = 1;
    for (const char *c = ps->buf; (c = memchr(c, '\n', (size_t)(ps->end - c))) != NULL; c++)
        lines++;
    return lines;
}

/* The guess, bounded by what the file can hold: a record of ncols fields
 * takes at least 2*ncols bytes (a value and a separator or line end), so
 * the room reserved never passes a few times the file's size. */
static size_t bound_rows(size_t hint, size_t file_size, size_t ncols)
{
    size_t most = file_size / (2 * (ncols ? ncols : 1)) + 16;
    return hint < most ? hint : most;
}

/* Columns were made room for as guessed; give back what is not used. */
static void fit_columns(CsvTable *t)
{
    for (size_t j = 0; j < t->ncols; j++) {
        CsvColumn *c = &t->col[j];
        if (c->numeric && c->num && t->rows && c->num_cap > t->rows) {
            double *q = mem_realloc(c->num, c->num_cap * sizeof *c->num, t->rows * sizeof *c->num);
            if (q) {
                c->num = q;
                c->num_cap = t->rows;
            }
        }
    }
}

/* Column j named by the caller in o->text: read as text. */
static int named_as_text(const CsvReadOptions *o, const CsvTable *t, size_t j)
{
    size_t a = t->name_off[j], len = t->name_off[j + 1] - a;
    for (size_t k = 0; k < o->ntext; k++)
        if (strlen(o->text[k]) == len && memcmp(o->text[k], t->names + a, len) == 0) return 1;
    return 0;
}

/* One pass over the file; *force (per column, made on the first pass) says
 * which columns are known to be text or wide integers. */
static Status read_pass(int fd, const char *name, const CsvReadOptions *o, size_t chunk,
                        size_t file_size, CsvTable *t, Err *e, unsigned char **force,
                        size_t *restart_col)
{
    memset(t, 0, sizeof *t);
    Parser ps = {0};
    ps.fd = fd;
    ps.line = 1;
    ps.name = name;
    ps.sep = o->sep;
    ps.comment = o->comment;
    ps.comment_len = o->comment ? strlen(o->comment) : 0;
    ps.e = e;
    ps.o = o;
    ps.total = file_size;
    ps.cap = chunk < 4 ? 4 : chunk;
    ps.buf = mem_alloc(ps.cap);
    if (!ps.buf) return err_set(e, ST_ENOMEM, "not enough memory to read '%s'", name);
    ps.p = ps.end = ps.buf;
    Status st;
    /* The first bytes: enough to see a UTF-8 byte order mark. */
    do st = refill(&ps, ps.p);
    while (st == ST_OK && !ps.eof && ps.end - ps.buf < 3);
    if (st != ST_OK) goto done;
    int empty = ps.end == ps.buf;
    if (ps.end - ps.buf >= 3 && memcmp(ps.buf, "\xEF\xBB\xBF", 3) == 0) ps.p += 3;
    ps.line_start = ps.p;
    size_t hint = guess_rows(&ps);  /* bounded once ncols is known */

    Span rec_end;
    st = read_record(&ps, &rec_end);
    if (st != ST_OK) goto done;
    if (ps.nf == 0) {
        st = empty ? err_set(e, ST_EINVAL, "%s:1:1: the file is empty%s", name,
                                    o->header ? " (expected a header line)" : "")
                          : err_set(e, ST_EINVAL, "%s:%zu:1: no %s: the file holds only blank "
                                    "lines%s", name, ps.line, o->header ? "header line" : "records",
                                    ps.comment_len ? " and comments" : "");
        goto done;
    }
    /* A first line like "# made by ..." read as the header gives a field
     * count that the data does not have: say how to skip it. */
    const char *hash_hint = !ps.comment_len && ps.f[0].n > 0 && ps.f[0].p[0] == '#'
        ? " (the first line starts with '#': read with comment = \"#\" to skip comment lines)"
        : "";
    t->ncols = ps.nf;
    t->col = mem_alloc(t->ncols * sizeof *t->col);
    if (!t->col) {
        st = err_set(e, ST_ENOMEM, "%s: not enough memory for %zu columns", name, t->ncols);
        goto done;
    }
    memset(t->col, 0, t->ncols * sizeof *t->col);
    st = column_names(&ps, t, o->header);
    if (st != ST_OK) goto done;
    if (!*force) {
        *force = mem_alloc(t->ncols);
        if (!*force) {
            st = err_set(e, ST_ENOMEM, "%s: not enough memory for %zu columns", name, t->ncols);
            goto done;
        }
        for (size_t j = 0; j < t->ncols; j++) (*force)[j] = named_as_text(o, t, j) ? COL_TEXT : 0;
    }
    ps.force = *force;
    hint = bound_rows(hint, file_size, t->ncols);
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
                             "expected %zu fields, found %zu%s", t->ncols, ps.nf, hash_hint);
            else {
                const Span *sp = &ps.f[t->ncols];
                st = FAIL_AT(&ps, sp->line, sp->line_start, sp->at, ST_EINVAL,
                             "expected %zu fields, found %zu%s", t->ncols, ps.nf, hash_hint);
            }
            goto done;
        }
        st = add_record(&ps, t, hint);
        if (st != ST_OK) goto done;
    }
    st = finish_columns(&ps, t);
    fit_columns(t);
done:
    *restart_col = ps.restart_col;
    mem_free(ps.f, ps.fcap * sizeof *ps.f);
    mem_free(ps.buf, ps.cap);
    return st;
}

Status csv_read_fd(int fd, const char *name, const CsvReadOptions *o, size_t chunk,
                   size_t file_size, CsvTable *t, Err *e)
{
    unsigned char *force = NULL;
    size_t ncols = 0, col;
    Status st;
    /* Each pass fixes at least one column's kind for good: at most two
     * passes more than there are columns. */
    for (;;) {
        st = read_pass(fd, name, o, chunk, file_size, t, e, &force, &col);
        ncols = t->ncols;
        if (st != ST_RESTART) break;
        csv_table_free(t);
        if (lseek(fd, 0, SEEK_SET) != 0) {  /* a pipe: the message is set */
            st = ST_EINVAL;
            break;
        }
    }
    if (force) mem_free(force, ncols);
    return st;
}

Status csv_read(const char *path, const char *name, const CsvReadOptions *o, CsvTable *t,
                Err *e)
{
    memset(t, 0, sizeof *t);
    int fd = open(path, O_RDONLY);
    if (fd < 0) return err_set(e, ST_EIO, "cannot open '%s': %s", name, strerror(errno));
    struct stat sb;
    size_t size = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) ? (size_t)sb.st_size : 0;
    if (fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        close(fd);
        return err_set(e, ST_EIO, "cannot read '%s': %s", name, strerror(EISDIR));
    }
    Status st = csv_read_fd(fd, name, o, CSV_CHUNK, size, t, e);
    close(fd);
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
