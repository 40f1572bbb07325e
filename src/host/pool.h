/* pool.h: the process pool of `luagrad run` and `luagrad sweep`: runs a
 * list of programs, at most N at once, each in a process group of its own
 * with stdin from /dev/null.
 *
 * A job's output goes either to log files (log_out, log_err: created or
 * truncated) or, without them, through pipes back to luagrad, which prints
 * every complete line with the job's name in front ("[sgd] epoch 3 ..."),
 * stdout lines on stdout and stderr lines on stderr, each with one write(),
 * so the lines of parallel runs never mix.
 *
 * Ctrl-C (SIGINT), SIGTERM or SIGHUP while it runs: the signal is forwarded
 * once to the running jobs' process groups, no new job starts, and the pool
 * waits for the running ones, so the caller can still print its summary; a
 * second signal kills them (SIGKILL). The jobs are in their own process
 * groups so that a Ctrl-C in the terminal reaches them once, through the
 * pool, not twice. */
#ifndef LUAGRAD_POOL_H
#define LUAGRAD_POOL_H

#include <stddef.h>
#include <sys/types.h>

typedef struct PoolStream {
    int fd;         /* read end of the pipe, -1 once closed */
    int to;         /* 1 (stdout) or 2 (stderr) */
    char *buf;      /* the line read so far, not yet printed */
    size_t len, cap;
} PoolStream;

typedef struct PoolJob {
    /* set by the caller (the strings must outlive pool_run) */
    const char *name;
    const char *const *argv;    /* NULL-terminated */
    const char *log_out;        /* NULL: stdout through a pipe, prefixed */
    const char *log_err;        /* NULL: stderr through a pipe, prefixed */
    /* the outcome */
    int started;                /* it ran (then wstatus tells how it ended) */
    int start_error;            /* errno when it could not start, else 0 */
    int wstatus;                /* as from waitpid */
    double seconds;             /* wall time */
    /* the pool's own */
    int state, reaped;
    pid_t pid;
    double start;
    PoolStream out, err;
} PoolJob;

/* Called when job i has ended (or could not start), while others may still
 * run: to show progress. */
typedef void (*PoolDone)(void *ud, int i);

/* Runs the n jobs, at most max_parallel at once. Returns 0, the number of
 * the signal that stopped it, or -1 when out of memory (before any start). */
int pool_run(PoolJob *jobs, int n, int max_parallel, PoolDone done, void *ud);

#endif
