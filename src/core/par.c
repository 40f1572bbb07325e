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

#include "core/clock.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

/* Spins of a worker between jobs before it sleeps (and of the caller before
 * it sleeps waiting for workers): each a load and a pause instruction,
 * about 80 microseconds in all on the machine of bench/threads.sh. A worker
 * spins longer, until pool.linger, when calls that pay come at a slower
 * pace: a worker woken from sleep is often placed on the caller's core and
 * needs milliseconds to move to its own, all of them lost to the run. */
#define SPINS 2000
#define LINGER_MAX 0.005  /* seconds */

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
    double linger;           /* workers spin until then (clock_seconds(); under the lock) */
    Job *job;                /* the job workers may join, or NULL */
    int want;                /* workers the job may use */
    int inside;              /* workers in the job (written under the lock) */
    int caller_waits;        /* the caller waits on left */
    int quit;
    int busy;                /* atomic: a par_run is under way */
} pool = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER,
          .left = PTHREAD_COND_INITIALIZER};

static int threads_set;

static int online;  /* the CPUs online, asked once: glibc reads a file in /sys each time */

int par_threads(void)
{
    if (threads_set) return threads_set;
    if (!online) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        online = n < 1 ? 1 : n > PAR_MAX_THREADS ? PAR_MAX_THREADS : (int)n;
    }
    return online;
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

/* Runs chunks until none are left. */
static void take_chunks(Job *j)
{
    size_t c;
    while ((c = __atomic_fetch_add(&j->next, 1, __ATOMIC_RELAXED)) < j->nchunks)
        j->fn(j->ctx, c);
}

static void *worker(void *arg)
{
    (void)arg;
    unsigned seen = __atomic_load_n(&pool.gen, __ATOMIC_ACQUIRE);
    pthread_mutex_lock(&pool.lock);
    for (;;) {
        if (pool.gen == seen && !pool.quit) {
            double linger = pool.linger;
            pthread_mutex_unlock(&pool.lock);
            for (int s = 1; __atomic_load_n(&pool.gen, __ATOMIC_ACQUIRE) == seen; s++) {
                cpu_relax();
                if (s >= SPINS && s % 64 == 0 && clock_seconds() > linger) break;
            }
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

/* Do threads pay? par finds out by trying, for each kind of call: a chunk
 * function at one size (work within a factor of 2). It keeps the time per
 * unit of work of serial and of parallel calls, smoothed, and runs the
 * faster way; when that is parallel, every PROBE-th call runs serially to
 * keep the comparison fresh (the cost: a 1/PROBE of the gain). When
 * serial is faster (the other cores are busy with other programs, or a
 * worker shares the caller's core), it tries two parallel calls (the first
 * wakes the workers, the second is timed) after PROBE calls, then after
 * twice as many each time threads lose, up to PROBE_MAX: on a busy machine
 * those few calls are all that threads can cost. */
#define PROBE 16
#define PROBE_MAX 1024
#define KINDS 16

enum { SERIAL, PARALLEL };

typedef struct Kind {
    ParFn fn;
    int size;               /* log2 of the work */
    double rate[2];         /* seconds per unit of work, smoothed; 0: unknown */
    unsigned calls;         /* calls so far */
    unsigned next_try;      /* call at which to try threads again (serial faster) */
    unsigned gap;           /* calls between such tries */
    int warm;               /* the previous call was parallel: workers awake */
} Kind;

static Kind kinds[KINDS];   /* touched only by the caller (busy held) */
static int fixed;           /* par_set_learning(0): always parallel */

void par_set_learning(int on) { fixed = !on; }

static Kind *kind_of(ParFn fn, size_t work)
{
    int size = 0;
    while (work >>= 1) size++;
    size_t h = ((size_t)fn >> 4) * 31 + (size_t)size;
    Kind *k = &kinds[h % KINDS];
    if (k->fn != fn || k->size != size) *k = (Kind){fn, size, {0, 0}, 0, 0, PROBE, 0};
    return k;
}

static int choose(Kind *k)
{
    unsigned n = k->calls++;
    if (fixed) return PARALLEL;
    if (k->rate[SERIAL] == 0) return SERIAL;
    if (k->rate[PARALLEL] == 0) return PARALLEL;
    if (k->rate[PARALLEL] < k->rate[SERIAL]) {
        k->gap = PROBE;
        return n % PROBE == 0 ? SERIAL : PARALLEL;
    }
    if (n == k->next_try) return PARALLEL;      /* wakes the workers */
    if (n == k->next_try + 1) {                 /* the timed try */
        k->next_try = n + k->gap;
        k->gap = k->gap * 2 > PROBE_MAX ? PROBE_MAX : k->gap * 2;
        return PARALLEL;
    }
    if (n > k->next_try + 1) k->next_try = n + k->gap;
    return SERIAL;
}

/* A call of one kind took `secs` for `work`. The way in use is smoothed
 * in, an outlier (a call that lost its core for a time slice) counted as at
 * most twice the estimate; a try of the other way replaces its estimate,
 * so one good try is enough to change ways. A parallel call is counted
 * only with the workers already awake (the previous call was parallel). */
static void learn(Kind *k, int how, double secs, size_t work)
{
    double r = secs / (double)work, *est = &k->rate[how];
    int in_use = (k->rate[PARALLEL] < k->rate[SERIAL]) == (how == PARALLEL);
    if (how == PARALLEL && !k->warm) {
        k->warm = 1;
        return;
    }
    k->warm = how == PARALLEL;
    if (*est == 0 || !in_use) *est = r;
    else *est = 0.75 * *est + 0.25 * (r < 2 * *est ? r : 2 * *est);
}

void par_run(size_t nchunks, size_t work, ParFn fn, void *ctx)
{
    /* Small calls (one sample of grad.se) run at once: par_threads() asks
     * the system, which costs microseconds. */
    if (nchunks < 2 || work < PAR_MIN_WORK) {
        for (size_t c = 0; c < nchunks; c++) fn(ctx, c);
        return;
    }
    int helpers = par_threads() - 1;
    if ((size_t)helpers > nchunks - 1) helpers = (int)(nchunks - 1);
    if (helpers < 1 ||
        __atomic_exchange_n(&pool.busy, 1, __ATOMIC_ACQUIRE)) {
        for (size_t c = 0; c < nchunks; c++) fn(ctx, c);
        return;
    }
    Kind *k = kind_of(fn, work);
    int how = choose(k);
    if (how == PARALLEL) {
        int have = start_workers(helpers);
        if (helpers > have) helpers = have;
        if (helpers < 1) how = SERIAL;
    }
    double start = clock_seconds();
    if (how == SERIAL) {
        for (size_t c = 0; c < nchunks; c++) fn(ctx, c);
    } else {
        Job j = {fn, ctx, nchunks, 0};
        pthread_mutex_lock(&pool.lock);
        pool.job = &j;
        pool.want = helpers;
        __atomic_add_fetch(&pool.gen, 1, __ATOMIC_RELEASE);
        for (int s = pool.sleeping < helpers ? pool.sleeping : helpers; s > 0; s--)
            pthread_cond_signal(&pool.wake);
        pthread_mutex_unlock(&pool.lock);

        take_chunks(&j);

        /* Withdraw the job, then wait for the workers still in it: each is
         * on its last chunk, so spin first; sleep if one was descheduled. */
        pthread_mutex_lock(&pool.lock);
        pool.job = NULL;
        pthread_mutex_unlock(&pool.lock);
        for (int s = 0; s < SPINS && __atomic_load_n(&pool.inside, __ATOMIC_ACQUIRE) > 0; s++)
            cpu_relax();
        pthread_mutex_lock(&pool.lock);
        pool.caller_waits = 1;
        while (pool.inside > 0) pthread_cond_wait(&pool.left, &pool.lock);
        pool.caller_waits = 0;
        /* Keep the workers awake over a serial call of this kind (a try of
         * serial, or the gap to the next call). */
        double serial = k->rate[SERIAL] * (double)work;
        pool.linger = start + 2 * (serial < LINGER_MAX ? serial : LINGER_MAX);
        pthread_mutex_unlock(&pool.lock);
    }
    learn(k, how, clock_seconds() - start, work);
    __atomic_store_n(&pool.busy, 0, __ATOMIC_RELEASE);
}
