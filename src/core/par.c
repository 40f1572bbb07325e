/* par.c: see par.h. Threads are started per call and joined before it
 * returns: callers use it for whole passes over large data (a millisecond
 * or more), next to which starting a thread (tens of microseconds) is small. */
#include "core/par.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#define MAX_THREADS 64

static int threads_set;

int par_threads(void)
{
    if (threads_set) return threads_set;
    const char *env = getenv("LUAGRAD_THREADS");
    long n = env && *env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1) n = 1;
    if (n > MAX_THREADS) n = MAX_THREADS;
    return (int)n;
}

void par_set_threads(int n)
{
    threads_set = n < 0 ? 0 : n > MAX_THREADS ? MAX_THREADS : n;
}

typedef struct Worker {
    pthread_t thread;
    ParFn fn;
    void *ctx;
    size_t nchunks, first, step;  /* chunks first, first+step, ... */
} Worker;

static void *run_chunks(void *arg)
{
    const Worker *w = arg;
    for (size_t c = w->first; c < w->nchunks; c += w->step) w->fn(w->ctx, c);
    return NULL;
}

void par_run(size_t nchunks, int worth_it, ParFn fn, void *ctx)
{
    size_t nthreads = worth_it ? (size_t)par_threads() : 1;
    if (nthreads > nchunks) nthreads = nchunks;
    if (nthreads <= 1) {
        for (size_t c = 0; c < nchunks; c++) fn(ctx, c);
        return;
    }
    Worker w[MAX_THREADS];
    int started[MAX_THREADS] = {0};
    for (size_t t = 0; t < nthreads; t++) {
        w[t] = (Worker){0, fn, ctx, nchunks, t, nthreads};
        if (t > 0) started[t] = pthread_create(&w[t].thread, NULL, run_chunks, &w[t]) == 0;
    }
    run_chunks(&w[0]);
    for (size_t t = 1; t < nthreads; t++)  /* a thread that did not start: its chunks here */
        if (!started[t]) run_chunks(&w[t]);
    for (size_t t = 1; t < nthreads; t++)
        if (started[t]) pthread_join(w[t].thread, NULL);
}
