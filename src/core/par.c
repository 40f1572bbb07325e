/* par.c: see par.h. One pool of worker threads for the whole process.
 *
 * A call publishes a Job (on the caller's stack) and bumps a generation
 * number; the caller and the workers then take chunk numbers from the job's
 * atomic counter until none are left. The caller never waits for a worker
 * to start: when the other core is busy and a worker is not scheduled, the
 * caller just takes every chunk itself. It only waits for chunks a worker
 * has already begun, which are short.
 *
 * A worker joins a job under the lock, and the caller withdraws the job
 * under the lock before it waits for the workers inside to leave: after
 * that no worker can touch the Job, so it can live on the caller's stack.
 *
 * Between jobs a worker spins for a while (successive calls, like the
 * epochs of a fit, come close together) and then sleeps on a condition
 * variable, so an idle pool costs no CPU. */
#include "core/par.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* Spins of a worker between jobs before it sleeps (and of the caller before
 * it sleeps waiting for workers): each a load and a pause instruction,
 * about 80 microseconds in all on the machine of bench/threads.sh. */
#define SPINS 2000

typedef struct Job {
    ParFn fn;
    void *ctx;
    size_t nchunks;
    size_t next;  /* atomic: the next chunk to take */
} Job;

static struct {
    pthread_mutex_t lock;
    pthread_cond_t wake;     /* a worker: a job, or time to quit */
    pthread_cond_t left;     /* the caller: the last worker left the job */
    pthread_t thread[PAR_MAX_THREADS];
    int started;             /* workers running */
    int sleeping;            /* workers waiting on wake */
    unsigned gen;            /* atomic: bumped for each job and to quit */
    Job *job;                /* the job workers may join, or NULL */
    int want;                /* workers the job may use */
    int inside;              /* workers in the job (written under the lock) */
    int caller_waits;        /* the caller waits on left */
    int quit;
    int busy;                /* atomic: a par_run is under way */
} pool = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER,
          .left = PTHREAD_COND_INITIALIZER};

static int threads_set;

int par_threads(void)
{
    if (threads_set) return threads_set;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > PAR_MAX_THREADS ? PAR_MAX_THREADS : (int)n;
}

void par_set_threads(int n)
{
    threads_set = n < 0 ? 0 : n > PAR_MAX_THREADS ? PAR_MAX_THREADS : n;
}

static void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Runs chunks until none are left; returns how many it ran. */
static size_t take_chunks(Job *j)
{
    size_t c, ran = 0;
    while ((c = __atomic_fetch_add(&j->next, 1, __ATOMIC_RELAXED)) < j->nchunks) {
        j->fn(j->ctx, c);
        ran++;
    }
    return ran;
}

static void *worker(void *arg)
{
    (void)arg;
    unsigned seen = __atomic_load_n(&pool.gen, __ATOMIC_ACQUIRE);
    pthread_mutex_lock(&pool.lock);
    for (;;) {
        if (pool.gen == seen && !pool.quit) {
            pthread_mutex_unlock(&pool.lock);
            for (int s = 0; s < SPINS && __atomic_load_n(&pool.gen, __ATOMIC_ACQUIRE) == seen; s++)
                cpu_relax();
            pthread_mutex_lock(&pool.lock);
            while (pool.gen == seen && !pool.quit) {
                pool.sleeping++;
                pthread_cond_wait(&pool.wake, &pool.lock);
                pool.sleeping--;
            }
        }
        if (pool.quit) break;
        seen = pool.gen;
        Job *j = pool.job;
        if (!j || pool.inside >= pool.want ||
            __atomic_load_n(&j->next, __ATOMIC_RELAXED) >= j->nchunks)
            continue;
        __atomic_store_n(&pool.inside, pool.inside + 1, __ATOMIC_RELAXED);
        pthread_mutex_unlock(&pool.lock);
        take_chunks(j);
        pthread_mutex_lock(&pool.lock);
        __atomic_store_n(&pool.inside, pool.inside - 1, __ATOMIC_RELEASE);
        if (pool.inside == 0 && pool.caller_waits) pthread_cond_signal(&pool.left);
    }
    pthread_mutex_unlock(&pool.lock);
    return NULL;
}

static void stop_workers(void)
{
    pthread_mutex_lock(&pool.lock);
    pool.quit = 1;
    __atomic_add_fetch(&pool.gen, 1, __ATOMIC_RELEASE);
    pthread_cond_broadcast(&pool.wake);
    pthread_mutex_unlock(&pool.lock);
    for (int t = 0; t < pool.started; t++) pthread_join(pool.thread[t], NULL);
    pool.started = 0;
    pool.quit = 0;
}

/* A forked child has the pool's memory but not its threads (and maybe a
 * lock held by one of them): it starts afresh. */
static void forget_workers(void)
{
    pthread_mutex_init(&pool.lock, NULL);
    pthread_cond_init(&pool.wake, NULL);
    pthread_cond_init(&pool.left, NULL);
    pool.started = pool.sleeping = pool.inside = pool.caller_waits = pool.quit = pool.busy = 0;
    pool.job = NULL;
}

/* Starts workers up to `need` (called with the lock free, no job out).
 * Returns how many run: fewer if the system refuses threads. */
static int start_workers(int need)
{
    static int registered;
    if (!registered) {
        registered = 1;
        atexit(stop_workers);
        pthread_atfork(NULL, NULL, forget_workers);
    }
    while (pool.started < need &&
           pthread_create(&pool.thread[pool.started], NULL, worker, NULL) == 0)
        pool.started++;
    return pool.started;
}

/* Did the call pay? It did not when the caller, its own chunks done, had to
 * wait for a worker much longer than it takes to run a chunk: the worker
 * was descheduled in the middle of one (another program has its core), or
 * shares the caller's core. Then calls run serially for a while, twice as
 * long after each call that did not pay, so that on a busy machine the
 * calls that wait are a small part of the run. A caller that ran no chunk
 * was itself kept from its core while the workers did everything: that
 * paid. */
#define CALM_MIN 0.001
#define CALM_MAX 0.25
static double calm_until, calm_for;  /* touched only by the caller (busy held) */

static void judge(size_t mine, double own, double wait, double end)
{
    if (mine == 0 || wait <= 2 * own / (double)mine + 20e-6) {
        calm_for /= 2;
        return;
    }
    calm_for = calm_for < CALM_MIN ? CALM_MIN : calm_for * 2 > CALM_MAX ? CALM_MAX : calm_for * 2;
    calm_until = end + calm_for;
}

void par_run(size_t nchunks, size_t work, ParFn fn, void *ctx)
{
    int helpers = par_threads() - 1;
    if ((size_t)helpers > nchunks - 1) helpers = (int)(nchunks - 1);
    if (nchunks < 2 || work < PAR_MIN_WORK || helpers < 1 ||
        __atomic_exchange_n(&pool.busy, 1, __ATOMIC_ACQUIRE)) {
        for (size_t c = 0; c < nchunks; c++) fn(ctx, c);
        return;
    }
    double start = seconds();
    int have = start < calm_until ? 0 : start_workers(helpers);
    if (helpers > have) helpers = have;
    if (helpers < 1) {
        for (size_t c = 0; c < nchunks; c++) fn(ctx, c);
        __atomic_store_n(&pool.busy, 0, __ATOMIC_RELEASE);
        return;
    }

    Job j = {fn, ctx, nchunks, 0};
    pthread_mutex_lock(&pool.lock);
    pool.job = &j;
    pool.want = helpers;
    __atomic_add_fetch(&pool.gen, 1, __ATOMIC_RELEASE);
    for (int s = pool.sleeping < helpers ? pool.sleeping : helpers; s > 0; s--)
        pthread_cond_signal(&pool.wake);
    pthread_mutex_unlock(&pool.lock);

    size_t mine = take_chunks(&j);
    double done = seconds();

    /* Withdraw the job, then wait for the workers still in it: each is on
     * its last chunk, so spin first; sleep only if one was descheduled. */
    pthread_mutex_lock(&pool.lock);
    pool.job = NULL;
    pthread_mutex_unlock(&pool.lock);
    for (int s = 0; s < SPINS && __atomic_load_n(&pool.inside, __ATOMIC_ACQUIRE) > 0; s++)
        cpu_relax();
    pthread_mutex_lock(&pool.lock);
    pool.caller_waits = 1;
    while (pool.inside > 0) pthread_cond_wait(&pool.left, &pool.lock);
    pool.caller_waits = 0;
    pthread_mutex_unlock(&pool.lock);
    double end = seconds();
    judge(mine, done - start, end - done, end);
    __atomic_store_n(&pool.busy, 0, __ATOMIC_RELEASE);
}
