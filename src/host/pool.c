/* pool.c: the process pool (see pool.h). No Lua here: the caller reads the
 * jobs from Lua before and turns the outcomes into Lua after (proc.c). */
#include "host/pool.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/mem.h"
#include "host/spawn.h"

#define LINE_MAX_BYTES 65536 /* a longer line is cut into pieces this long */
#define POLL_MS 100          /* how often children are reaped, at most */
#define LOG_POLL_MS 10       /* the same when a job writes to log files only */

enum { WAITING, RUNNING, DONE };

static volatile sig_atomic_t signals_seen, last_signal;

static void on_signal(int sig)
{
    signals_seen++;
    last_signal = sig;
}

/* write() all of it; gives up quietly on a closed or full output. */
static void write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return;
        p += w;
        n -= (size_t)w;
    }
}

/* Prints "[name] " + line + "\n" with one write(). */
static void emit(const PoolJob *j, const PoolStream *s, const char *line, size_t n)
{
    size_t name_len = strlen(j->name);
    size_t total = name_len + 3 + n + 1;
    char small[1024];
    char *out = total <= sizeof small ? small : mem_alloc(total);
    if (!out) {  /* out of memory: still print, in pieces */
        write_all(s->to, "[", 1);
        write_all(s->to, j->name, name_len);
        write_all(s->to, "] ", 2);
        write_all(s->to, line, n);
        write_all(s->to, "\n", 1);
        return;
    }
    out[0] = '[';
    memcpy(out + 1, j->name, name_len);
    memcpy(out + 1 + name_len, "] ", 2);
    memcpy(out + 3 + name_len, line, n);
    out[total - 1] = '\n';
    write_all(s->to, out, total);
    if (out != small) mem_free(out, total);
}

/* Appends data to the stream's pending line, printing each complete line. */
static void take(PoolJob *j, PoolStream *s, const char *data, size_t n)
{
    while (n > 0) {
        const char *nl = memchr(data, '\n', n);
        size_t part = nl ? (size_t)(nl - data) : n;
        if (s->len == 0 && nl) {
            emit(j, s, data, part);  /* the usual case: no copy */
        } else {
            if (s->len + part > s->cap) {
                size_t cap = s->cap ? s->cap : 256;
                while (cap < s->len + part) cap *= 2;
                char *bigger = mem_realloc(s->buf, s->cap, cap);
                if (!bigger) {  /* print what we have rather than lose it */
                    emit(j, s, s->buf, s->len);
                    s->len = 0;
                    emit(j, s, data, part);
                    goto next;
                }
                s->buf = bigger;
                s->cap = cap;
            }
            memcpy(s->buf + s->len, data, part);
            s->len += part;
            if (nl || s->len >= LINE_MAX_BYTES) {
                emit(j, s, s->buf, s->len);
                s->len = 0;
            }
        }
    next:
        if (nl) part++;
        data += part;
        n -= part;
    }
}

static void close_stream(PoolJob *j, PoolStream *s)
{
    if (s->fd < 0) return;
    close(s->fd);
    s->fd = -1;
    if (s->len > 0) emit(j, s, s->buf, s->len);  /* a last line without '\n' */
    s->len = 0;
    mem_free(s->buf, s->cap);
    s->buf = NULL;
    s->cap = 0;
}

/* Reads what is there now, at most max_chunks reads, so one busy child
 * cannot starve the others (nor a grandchild that writes on after its
 * parent ended hold the pool). Closes the stream at end of file. */
static void drain(PoolJob *j, PoolStream *s, int max_chunks)
{
    char chunk[65536];
    for (int n = 0; s->fd >= 0 && n < max_chunks; n++) {
        ssize_t got = read(s->fd, chunk, sizeof chunk);
        if (got > 0) {
            take(j, s, chunk, (size_t)got);
            continue;
        }
        if (got < 0 && errno == EINTR) continue;
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
        close_stream(j, s);  /* end of file, or an error */
    }
}

static int set_flags(int fd, int nonblock)
{
    if (fcntl(fd, F_SETFD, FD_CLOEXEC) != 0) return 0;
    return !nonblock || fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == 0;
}

static void close_pair(int p[2])
{
    if (p[0] >= 0) close(p[0]);
    if (p[1] >= 0) close(p[1]);
}

/* Where one of the job's streams goes: p[1] is given to the child, p[0]
 * (a pipe's read end, or -1 for a log file) is kept. Returns 0 or errno. */
static int open_stream(const char *log, int p[2])
{
    if (log) {
        p[0] = -1;
        p[1] = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        if (p[1] < 0) return errno;
        return set_flags(p[1], 0) ? 0 : errno;
    }
    if (pipe(p) != 0) {
        p[0] = p[1] = -1;
        return errno;
    }
    return set_flags(p[0], 1) && set_flags(p[1], 1) ? 0 : errno;
}

/* Starts job j. Returns 0, or an errno value: EMFILE/ENFILE mean "try again
 * when a running job has ended". */
static int start(PoolJob *j)
{
    int out[2] = {-1, -1}, err[2] = {-1, -1};
    int e = open_stream(j->log_out, out);
    if (e == 0) e = open_stream(j->log_err, err);
    if (e == 0) e = spawn_program(&j->pid, j->argv, SPAWN_DEVNULL, out[1], err[1], 1);
    if (e != 0) {
        close_pair(out);
        close_pair(err);
        return e;
    }
    close(out[1]);
    close(err[1]);
    j->out = (PoolStream){out[0], 1, NULL, 0, 0};
    j->err = (PoolStream){err[0], 2, NULL, 0, 0};
    j->state = RUNNING;
    j->started = 1;
    j->start = clock_seconds();
    return 0;
}

/* Reaps j if it has ended; once reaped and its pipes are drained, it is
 * DONE. A grandchild may keep a pipe open after the job ended: what is
 * there is read, then the pipe is closed rather than waited for. */
static void check(PoolJob *j)
{
    if (!j->reaped) {
        pid_t r = waitpid(j->pid, &j->wstatus, WNOHANG);
        if (r == j->pid || (r < 0 && errno == ECHILD)) {
            /* ECHILD: its status is lost (main resets SIGCHLD so that it is
             * not): count the run as failed, never as a success. */
            if (r < 0) j->wstatus = 255 << 8;
            j->reaped = 1;
            j->seconds = clock_seconds() - j->start;
        }
    }
    if (j->reaped) {
        drain(j, &j->out, 1024);  /* what an ended job left in the pipe */
        drain(j, &j->err, 1024);
        close_stream(j, &j->out);
        close_stream(j, &j->err);
        j->state = DONE;
    }
}

static int run_jobs(PoolJob *jobs, int n, int max_parallel, PoolDone done, void *ud,
                    struct pollfd *fds, PoolJob **owner)
{
    int next = 0, running = 0, forwarded = 0;
    for (;;) {
        int seen = signals_seen;
        if (seen > forwarded) {  /* forward: the signal once, then SIGKILL */
            for (int i = 0; i < n; i++)
                if (jobs[i].state == RUNNING && !jobs[i].reaped)
                    kill(-jobs[i].pid, forwarded == 0 ? last_signal : SIGKILL);
            forwarded = seen;
        }
        while (!signals_seen && running < max_parallel && next < n) {
            int e = start(&jobs[next]);
            if ((e == EMFILE || e == ENFILE) && running > 0) break;  /* wait for one */
            if (e != 0) {
                jobs[next].start_error = e;
                jobs[next].state = DONE;
                if (done) done(ud, next);
            } else {
                running++;
            }
            next++;
        }
        if (running == 0) break;

        int nfds = 0, timeout = POLL_MS;
        for (int i = 0; i < n; i++) {
            PoolJob *j = &jobs[i];
            if (j->state != RUNNING) continue;
            PoolStream *ss[2] = {&j->out, &j->err};
            for (int k = 0; k < 2; k++)
                if (ss[k]->fd >= 0) {
                    fds[nfds] = (struct pollfd){ss[k]->fd, POLLIN, 0};
                    owner[nfds++] = j;
                }
            /* No pipe to wake us (log files, or its pipes closed: it is
             * exiting): look again soon. */
            if (j->out.fd < 0 && j->err.fd < 0) timeout = j->log_out ? LOG_POLL_MS : 2;
        }
        int ready = poll(fds, (nfds_t)nfds, timeout);
        if (ready > 0) {
            for (int k = 0; k < nfds; k++) {
                if (!fds[k].revents) continue;
                PoolJob *j = owner[k];
                drain(j, j->out.fd == fds[k].fd ? &j->out : &j->err, 16);
            }
        }
        for (int i = 0; i < n; i++) {
            if (jobs[i].state != RUNNING) continue;
            check(&jobs[i]);
            if (jobs[i].state == DONE) {
                running--;
                if (done) done(ud, i);
            }
        }
    }
    return signals_seen ? last_signal : 0;
}

int pool_run(PoolJob *jobs, int n, int max_parallel, PoolDone done, void *ud)
{
    size_t slots = (size_t)(2 * max_parallel + 2);
    struct pollfd *fds = mem_alloc(sizeof *fds * slots);
    PoolJob **owner = mem_alloc(sizeof *owner * slots);
    if (!fds || !owner) {
        mem_free(fds, fds ? sizeof *fds * slots : 0);
        mem_free(owner, owner ? sizeof *owner * slots : 0);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        jobs[i].state = WAITING;
        jobs[i].out.fd = jobs[i].err.fd = -1;
    }
    struct sigaction sa, old_int, old_term, old_hup;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;  /* no SA_RESTART: poll() returns at once */
    sigemptyset(&sa.sa_mask);
    signals_seen = 0;
    last_signal = 0;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sigaction(SIGHUP, &sa, &old_hup);
    int stopped = run_jobs(jobs, n, max_parallel, done, ud, fds, owner);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGHUP, &old_hup, NULL);
    mem_free(fds, sizeof *fds * slots);
    mem_free(owner, sizeof *owner * slots);
    return stopped;
}
