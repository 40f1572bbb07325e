/* csvwrite.c: the CSV writer (see csv.h).
 *
 * Rows are formatted into w->buf and written with write(2) when it fills,
 * so every system error is seen with its errno, and a full disk shows at
 * the row that hit it (or at the final sync, for file systems that report
 * it late). */
#define _XOPEN_SOURCE 700 /* realpath */
#include "core/csv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/mem.h"
#include "core/numfmt.h"

void csv_writer_init(CsvWriter *w)
{
    memset(w, 0, sizeof *w);
    w->fd = -1;
}

static char *copy_text(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    char *s = mem_alloc(na + nb + 1);
    if (!s) return NULL;
    memcpy(s, a, na);
    memcpy(s + na, b, nb + 1);
    return s;
}

static void free_text(char **s)
{
    if (*s) mem_free(*s, strlen(*s) + 1);
    *s = NULL;
}

int csv_create_new(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0666);
    if (fd < 0 && errno == EEXIST) {
        /* Left by a killed run of the same process id, or planted: the name
         * goes (a link itself, never what it points to) and a new file is
         * made; if someone makes it again meanwhile, the open fails. */
        unlink(path);
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0666);
    }
    return fd;
}

Status csv_writer_open(CsvWriter *w, const char *path, Err *e)
{
    csv_writer_init(w);
    w->path = copy_text(path, "");
    w->buf = mem_alloc(CSV_WRITE_BUFFER);
    if (!w->path || !w->buf) {
        csv_writer_release(w);
        return err_set(e, ST_ENOMEM, "not enough memory to write '%s'", path);
    }
    w->cap = CSV_WRITE_BUFFER;

    /* A symbolic link to a regular file is followed: the file is replaced,
     * complete or not at all, like any other, and the link still points to
     * it. Our own stdout or stderr (/dev/stdout, whatever it is), a device
     * or a fifo is not replaced by a rename: it is written in place. */
    struct stat st;
    int std = 0;
    if (stat(path, &st) == 0) {
        for (int s = 1; s <= 2 && !std; s++) {
            struct stat s2;
            if (fstat(s, &s2) == 0 && s2.st_dev == st.st_dev && s2.st_ino == st.st_ino) std = s;
        }
        struct stat link;
        if (!std && S_ISREG(st.st_mode) && lstat(path, &link) == 0 && S_ISLNK(link.st_mode)) {
            char *real = realpath(path, NULL);
            if (real) {
                w->given = w->path;  /* run.json lists the name the script used */
                w->path = copy_text(real, "");
                free(real);
                if (!w->path) {
                    csv_writer_release(w);
                    return err_set(e, ST_ENOMEM, "not enough memory to write '%s'", path);
                }
                path = w->path;
            }
        }
    }
    if (std || (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))) {
        w->direct = 1;
        w->fd = -1;
        /* Our own stdout or stderr: share its file offset, so rows land
         * after what was printed and nothing is written over. */
        if (std) {
            w->fd = dup(std);
            w->std = std;
        } else {
            w->fd = open(path, O_WRONLY);
        }
        if (w->fd < 0) {
            int err = errno;
            csv_writer_release(w);
            return err_set(e, ST_EIO, "cannot open '%s' for writing: %s", path, strerror(err));
        }
        return ST_OK;
    }

    /* The temporary name carries the process id, so two runs writing the
     * same file at once do not write into each other's temporary file. */
    char suffix[48];
    snprintf(suffix, sizeof suffix, ".%ld.tmp", (long)getpid());
    w->tmp = copy_text(path, suffix);
    if (!w->tmp) {
        csv_writer_release(w);
        return err_set(e, ST_ENOMEM, "not enough memory to write '%s'", path);
    }
    w->fd = csv_create_new(w->tmp);
    if (w->fd < 0) {
        int err = errno;
        csv_writer_release(w);
        return err_set(e, ST_EIO, "cannot write '%s': %s", path, strerror(err));
    }
    return ST_OK;
}

Status csv_writer_flush(CsvWriter *w, Err *e)
{
    /* What the script printed comes first. */
    if (w->std) fflush(w->std == 1 ? stdout : stderr);
    size_t done = 0;
    while (done < w->len) {
        ssize_t n = write(w->fd, w->buf + done, w->len - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            int err = errno;
            /* Keep the bytes that did not go out: abandon may retry. */
            memmove(w->buf, w->buf + done, w->len - done);
            w->len -= done;
            return err_set(e, ST_EIO, "cannot write '%s': %s", w->path, strerror(err));
        }
        if (n == 0) {
            memmove(w->buf, w->buf + done, w->len - done);
            w->len -= done;
            return err_set(e, ST_EIO, "cannot write '%s': the device took no bytes", w->path);
        }
        done += (size_t)n;
    }
    w->len = 0;
    return ST_OK;
}

/* Does s need quotes (RFC 4180)? A lone empty field also does: a row of
 * one empty field would otherwise be a blank line, which readers skip. */
static int needs_quotes(const char *s, size_t n, size_t nfields)
{
    if (n == 0) return nfields == 1;
    /* only spaces and tabs: unquoted, a reader takes it for an empty value
     * (or, alone on its line, for a blank line) */
    size_t blank = 0;
    while (blank < n && (s[blank] == ' ' || s[blank] == '\t')) blank++;
    if (blank == n) return 1;
    for (size_t i = 0; i < n; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r') return 1;
    return 0;
}

/* The most bytes field f can take once formatted. */
static size_t field_bound(const CsvField *f)
{
    if (f->kind == CSV_STRING) return 2 * f->len + 2;
    return NUMFMT_SIZE;
}

static char *put_field(char *out, const CsvField *f, size_t nfields)
{
    switch (f->kind) {
    case CSV_NUMBER:
        return out + numfmt_double(f->number, out);
    case CSV_INTEGER:
        return out + snprintf(out, NUMFMT_SIZE, "%lld", f->integer);
    case CSV_STRING:
        if (!needs_quotes(f->str, f->len, nfields)) {
            memcpy(out, f->str, f->len);
            return out + f->len;
        }
        *out++ = '"';
        for (size_t i = 0; i < f->len; i++) {
            if (f->str[i] == '"') *out++ = '"';
            *out++ = f->str[i];
        }
        *out++ = '"';
        return out;
    }
    return out;
}

Status csv_write_row(CsvWriter *w, const CsvField *f, size_t n, Err *e)
{
    if (!csv_writer_is_open(w)) return err_set(e, ST_EINVAL, "'%s' is closed", w->path);
    if (w->ncols == 0) {
        if (n == 0) return err_set(e, ST_EINVAL, "a row needs at least one field");
        w->ncols = n;
    } else if (n != w->ncols) {
        return err_set(e, ST_EINVAL, "the row has %zu values, the header has %zu", n, w->ncols);
    } else {
        w->rows++;
    }
    size_t need = n + 1;  /* separators and the newline */
    for (size_t i = 0; i < n; i++) need += field_bound(&f[i]);
    if (w->len + need > w->cap) {
        Status st = csv_writer_flush(w, e);
        if (st != ST_OK) return st;
        if (need > w->cap) {  /* one row longer than the buffer */
            char *b = mem_realloc(w->buf, w->cap, need);
            if (!b) return err_set(e, ST_ENOMEM, "not enough memory for a row of %zu bytes", need);
            w->buf = b;
            w->cap = need;
        }
    }
    char *out = w->buf + w->len;
    for (size_t i = 0; i < n; i++) {
        if (i > 0) *out++ = ',';
        out = put_field(out, &f[i], n);
    }
    *out++ = '\n';
    w->len = (size_t)(out - w->buf);
    /* In place (a terminal, a pipe), each row goes out at once: it shows in
     * order with what the script prints. */
    if (w->len >= CSV_WRITE_BUFFER || w->direct) return csv_writer_flush(w, e);
    return ST_OK;
}

/* Closes fd; returns its error, or 0. */
static int close_fd(CsvWriter *w)
{
    int rc = close(w->fd);
    w->fd = -1;
    return rc == 0 ? 0 : errno;
}

Status csv_writer_commit(CsvWriter *w, Err *e)
{
    if (!csv_writer_is_open(w)) return ST_OK;
    Status st = csv_writer_flush(w, e);
    if (st != ST_OK) {
        csv_writer_abandon(w, NULL);
        return st;
    }
    /* fsync: the data is on disk before the name says it is complete, and
     * some file systems report a full disk only here. */
    if (!w->direct && fsync(w->fd) != 0) {
        int err = errno;
        csv_writer_abandon(w, NULL);
        return err_set(e, ST_EIO, "cannot write '%s': %s", w->path, strerror(err));
    }
    int err = close_fd(w);
    if (err) {
        csv_writer_abandon(w, NULL);
        return err_set(e, ST_EIO, "cannot write '%s': %s", w->path, strerror(err));
    }
    if (w->direct) return ST_OK;
    if (rename(w->tmp, w->path) != 0) {
        err = errno;
        csv_writer_abandon(w, NULL);
        return err_set(e, ST_EIO, "cannot rename '%s' to '%s': %s", w->tmp, w->path,
                       strerror(err));
    }
    /* A failed earlier run may have left NAME.incomplete: it is stale now. */
    char *stale = copy_text(w->path, ".incomplete");
    if (stale) {
        unlink(stale);
        free_text(&stale);
    }
    free_text(&w->tmp);
    return ST_OK;
}

Status csv_writer_abandon(CsvWriter *w, Err *e)
{
    if (w->fd >= 0) {
        if (w->len) csv_writer_flush(w, NULL);  /* keep as much as can be kept */
        w->len = 0;
        close_fd(w);
    }
    if (w->direct || !w->tmp) return ST_OK;
    Status st = ST_OK;
    char *kept = copy_text(w->path, ".incomplete");
    if (!kept) {
        st = err_set(e, ST_ENOMEM, "not enough memory; '%s' was left as is", w->tmp);
    } else {
        if (rename(w->tmp, kept) != 0) {
            int err = errno;
            st = err_set(e, ST_EIO, "cannot rename '%s' to '%s': %s", w->tmp, kept,
                         strerror(err));
        }
        free_text(&kept);
    }
    free_text(&w->tmp);
    return st;
}

void csv_writer_release(CsvWriter *w)
{
    if (csv_writer_is_open(w)) csv_writer_abandon(w, NULL);
    free_text(&w->path);
    free_text(&w->given);
    free_text(&w->tmp);
    if (w->buf) mem_free(w->buf, w->cap);
    w->buf = NULL;
    w->cap = w->len = 0;
}
