/* pool.c: sys.pool, the process pool of `luagrad run` and `luagrad sweep`.
 *
 *   results, stopped = sys.pool(jobs, max_parallel)
 *
 * jobs is a list of {name = "sgd", argv = {"/path/luagrad", "--out", ...}}.
 * At most max_parallel children run at once, each in a process group of its
 * own, with stdin from /dev/null. Their stdout and stderr come back through
 * pipes; every complete line is printed with the job's name in front
 * ("[sgd] epoch 3 ..."), stdout lines on stdout and stderr lines on stderr,
 * each with one write(), so the lines of parallel runs never mix.
 *
 * results[i] = {status = exit code or nil, signal = n or nil, seconds = wall
 * time, started = boolean, error = why it could not start, or nil}.
 *
 * Ctrl-C (SIGINT), SIGTERM or SIGHUP: the signal is forwarded once to the
 * running children's process groups, no new job starts, and the pool waits
 * for the running ones, so the caller can still print its summary; a second
 * signal kills them (SIGKILL). stopped is then the signal's number, else
 * false. The children are in their own process groups so that a Ctrl-C in
 * the terminal reaches them once, through the pool, not twice.
 *
 * No Lua is called while children run: the lines are handled in C. */
#include <errno.h>
#include <fcntl.h>
#include <lauxlib.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/syspart.h"

extern char **environ;

#define LINE_MAX_BYTES 65536 /* a longer line is cut into pieces this long */
#define POLL_MS 100          /* how often children are reaped, at most */

typedef struct Stream {
    int fd;         /* read end of the pipe, -1 once closed */
    int to;         /* 1 (stdout) or 2 (stderr) */
    char *buf;      /* the line read so far, not yet printed */
    size_t len, cap;
} Stream;

enum { WAITING, RUNNING, DONE };

typedef struct Job {
    const char *name;
    const char **argv;  /* NULL-terminated; the strings live in the jobs table */
    int state;
    pid_t pid;
    int reaped, wstatus;
    int start_error;    /* errno when it could not start, else 0 */
    double start, seconds;
    Stream out, err;
} Job;

static volatile sig_atomic_t signals_seen, last_signal;

static void on_signal(int sig)
{
    signals_seen++;
    last_signal = sig;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
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
static void emit(const Job *j, const Stream *s, const char *line, size_t n)
{
    size_t name_len = strlen(j->name);
    size_t total = name_len + 3 + n + 1;
    char small[1024];
    char *out = total <= sizeof small ? small : malloc(total);
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
    if (out != small) free(out);
}

/* Appends data to the stream's pending line, printing each complete line. */
static void take(Job *j, Stream *s, const char *data, size_t n)
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
                char *bigger = realloc(s->buf, cap);
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

static void close_stream(Job *j, Stream *s)
{
    if (s->fd < 0) return;
    close(s->fd);
    s->fd = -1;
    if (s->len > 0) emit(j, s, s->buf, s->len);  /* a last line without '\n' */
    s->len = 0;
    free(s->buf);
    s->buf = NULL;
    s->cap = 0;
}

/* Reads what is there now, at most max_chunks reads, so one busy child
 * cannot starve the others (nor a grandchild that writes on after its
 * parent ended hold the pool). Closes the stream at end of file. */
static void drain(Job *j, Stream *s, int max_chunks)
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

static int set_flags(int fd)
{
    return fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 &&
           fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == 0;
}

/* Starts job j. Returns 0, or an errno value: EMFILE/ENFILE mean "try again
 * when a running job has ended". */
static int start(Job *j)
{
    int out[2] = {-1, -1}, err[2] = {-1, -1};
    if (pipe(out) != 0) return errno;
    if (pipe(err) != 0) {
        int e = errno;
        close(out[0]);
        close(out[1]);
        return e;
    }
    int e = 0;
    for (int i = 0; i < 2; i++)
        if (!set_flags(out[i]) || !set_flags(err[i])) e = errno;

    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_adddup2(&fa, err[1], 2);
    /* Its own process group; SIGINT and SIGPIPE as new (a background shell
     * may have started us with SIGINT ignored); no signal blocked. */
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGHUP);
    sigaddset(&defaults, SIGPIPE);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                    POSIX_SPAWN_SETSIGDEF);
    if (e == 0)
        e = posix_spawn(&j->pid, j->argv[0], &fa, &attr, (char *const *)j->argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    close(out[1]);
    close(err[1]);
    if (e != 0) {
        close(out[0]);
        close(err[0]);
        return e;
    }
    j->out = (Stream){out[0], 1, NULL, 0, 0};
    j->err = (Stream){err[0], 2, NULL, 0, 0};
    j->state = RUNNING;
    j->start = now();
    return 0;
}

/* Reaps j if it has ended; once reaped and its pipes are drained, it is
 * DONE. A grandchild may keep a pipe open after the job ended: what is
 * there is read, then the pipe is closed rather than waited for. */
static void check(Job *j)
{
    if (!j->reaped) {
        pid_t r = waitpid(j->pid, &j->wstatus, WNOHANG);
        if (r == j->pid || (r < 0 && errno == ECHILD)) {
            /* ECHILD: its status is lost (main resets SIGCHLD so that it is
             * not): count the run as failed, never as a success. */
            if (r < 0) j->wstatus = 255 << 8;
            j->reaped = 1;
            j->seconds = now() - j->start;
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

typedef struct Pool {
    Job *jobs;
    int n;
} Pool;

/* Runs every job; returns 0 or the number of the signal that stopped it. */
static int run_pool(Pool *p, int max_parallel)
{
    struct pollfd *fds = malloc(sizeof *fds * (size_t)(2 * max_parallel + 2));
    Job **owner = malloc(sizeof *owner * (size_t)(2 * max_parallel + 2));
    if (!fds || !owner) {
        free(fds);
        free(owner);
        return -1;
    }
    int next = 0, running = 0, forwarded = 0;
    for (;;) {
        int seen = signals_seen;
        if (seen > forwarded) {  /* forward: the signal once, then SIGKILL */
            for (int i = 0; i < p->n; i++)
                if (p->jobs[i].state == RUNNING && !p->jobs[i].reaped)
                    kill(-p->jobs[i].pid, forwarded == 0 ? last_signal : SIGKILL);
            forwarded = seen;
        }
        while (!signals_seen && running < max_parallel && next < p->n) {
            int e = start(&p->jobs[next]);
            if ((e == EMFILE || e == ENFILE) && running > 0) break;  /* wait for one */
            if (e != 0) {
                p->jobs[next].start_error = e;
                p->jobs[next].state = DONE;
            } else {
                running++;
            }
            next++;
        }
        if (running == 0) break;

        int nfds = 0, timeout = POLL_MS;
        for (int i = 0; i < p->n; i++) {
            Job *j = &p->jobs[i];
            if (j->state != RUNNING) continue;
            Stream *ss[2] = {&j->out, &j->err};
            for (int k = 0; k < 2; k++)
                if (ss[k]->fd >= 0) {
                    fds[nfds] = (struct pollfd){ss[k]->fd, POLLIN, 0};
                    owner[nfds++] = j;
                }
            /* Its pipes closed: it is exiting, and will be reaped soon. */
            if (j->out.fd < 0 && j->err.fd < 0) timeout = 2;
        }
        int ready = poll(fds, (nfds_t)nfds, timeout);
        if (ready > 0) {
            for (int k = 0; k < nfds; k++) {
                if (!fds[k].revents) continue;
                Job *j = owner[k];
                drain(j, j->out.fd == fds[k].fd ? &j->out : &j->err, 16);
            }
        }
        for (int i = 0; i < p->n; i++) {
            if (p->jobs[i].state != RUNNING) continue;
            check(&p->jobs[i]);
            if (p->jobs[i].state == DONE) running--;
        }
    }
    free(fds);
    free(owner);
    return signals_seen ? last_signal : 0;
}

/* Reads jobs (argument 1) into a userdata block: Job array, then argv
 * pointer arrays. Raises on a malformed job before anything starts. */
static Pool check_jobs(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    int n = (int)luaL_len(L, 1);
    size_t strings = 0;
    for (int i = 1; i <= n; i++) {
        if (lua_geti(L, 1, i) != LUA_TTABLE)
            luaL_error(L, "sys.pool: job %d is a %s, expected {name = ..., argv = {...}}", i,
                       luaL_typename(L, -1));
        if (lua_getfield(L, -1, "name") != LUA_TSTRING)
            luaL_error(L, "sys.pool: job %d: name is a %s, expected a string", i,
                       luaL_typename(L, -1));
        if (lua_getfield(L, -2, "argv") != LUA_TTABLE)
            luaL_error(L, "sys.pool: job %d: argv is a %s, expected a table of strings", i,
                       luaL_typename(L, -1));
        lua_Integer argc = luaL_len(L, -1);
        if (argc < 1) luaL_error(L, "sys.pool: job %d: argv is empty", i);
        for (lua_Integer a = 1; a <= argc; a++) {
            if (lua_geti(L, -1, a) != LUA_TSTRING)
                luaL_error(L, "sys.pool: job %d: argv[%d] is a %s, expected a string", i, (int)a,
                           luaL_typename(L, -1));
            lua_pop(L, 1);
        }
        strings += (size_t)argc + 1;
        lua_pop(L, 3);
    }
    size_t size = sizeof(Job) * (size_t)n + sizeof(char *) * strings;
    Job *jobs = lua_newuserdatauv(L, size ? size : 1, 0);  /* freed by the collector */
    memset(jobs, 0, size);
    const char **slot = (const char **)(jobs + n);
    for (int i = 1; i <= n; i++) {
        Job *j = &jobs[i - 1];
        lua_geti(L, 1, i);
        lua_getfield(L, -1, "name");
        j->name = lua_tostring(L, -1);  /* kept alive by the jobs table */
        lua_getfield(L, -2, "argv");
        lua_Integer argc = luaL_len(L, -1);
        j->argv = slot;
        for (lua_Integer a = 1; a <= argc; a++) {
            lua_geti(L, -1, a);
            *slot++ = lua_tostring(L, -1);
            lua_pop(L, 1);
        }
        *slot++ = NULL;
        j->out.fd = j->err.fd = -1;
        lua_pop(L, 3);
    }
    return (Pool){jobs, n};
}

static int l_sys_pool(lua_State *L)
{
    lua_Integer max = luaL_checkinteger(L, 2);
    luaL_argcheck(L, max >= 1 && max <= 4096, 2, "expected 1 to 4096 jobs at once");
    Pool p = check_jobs(L);
    luaL_checkstack(L, 8, "sys.pool");

    /* The children's output must not overtake what we printed before. */
    fflush(stdout);
    fflush(stderr);
    struct sigaction sa, old_int, old_term, old_hup;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;  /* no SA_RESTART: poll() returns at once */
    sigemptyset(&sa.sa_mask);
    signals_seen = 0;
    last_signal = 0;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sigaction(SIGHUP, &sa, &old_hup);
    int stopped = run_pool(&p, (int)max);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGHUP, &old_hup, NULL);
    if (stopped < 0) return luaL_error(L, "sys.pool: out of memory");

    lua_createtable(L, p.n, 0);
    for (int i = 0; i < p.n; i++) {
        Job *j = &p.jobs[i];
        lua_createtable(L, 0, 5);
        int started = j->start_error == 0 && j->pid > 0;
        lua_pushboolean(L, started);
        lua_setfield(L, -2, "started");
        if (started) {
            if (WIFEXITED(j->wstatus)) {
                lua_pushinteger(L, WEXITSTATUS(j->wstatus));
                lua_setfield(L, -2, "status");
            } else if (WIFSIGNALED(j->wstatus)) {
                lua_pushinteger(L, WTERMSIG(j->wstatus));
                lua_setfield(L, -2, "signal");
            }
            lua_pushnumber(L, j->seconds);
            lua_setfield(L, -2, "seconds");
        } else if (j->start_error) {
            lua_pushfstring(L, "cannot run %s: %s", j->argv[0], strerror(j->start_error));
            lua_setfield(L, -2, "error");
        }
        lua_rawseti(L, -2, i + 1);
    }
    if (stopped) lua_pushinteger(L, stopped);
    else lua_pushboolean(L, 0);
    return 2;
}

const luaL_Reg sys_pool_functions[] = {
    {"pool", l_sys_pool},
    {NULL, NULL}
};
