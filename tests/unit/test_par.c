/* test_par.c: the thread pool of src/core/par.c. Many jobs, small and
 * large, on 1 to 4 threads: every chunk runs exactly once, a call returns
 * only when all its chunks are done, the workers do take chunks, a call
 * from inside a chunk runs serially, partial results combined in chunk
 * order give the same bits on any number of threads, and a forked child
 * gets a pool of its own. To look for data races in the pool:
 *   cc -std=c99 -O1 -g -fsanitize=thread -D_POSIX_C_SOURCE=200809L -Isrc \
 *      -ffp-contract=off -o tsan tests/unit/[a-z]*.c src/core/[a-z]*.c -lm -lpthread
 *   TSAN_OPTIONS=die_after_fork=0 ./tsan */
#include <pthread.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/par.h"
#include "unit.h"

void test_par(void);

#define MAX_CHUNKS 4096

typedef struct Count {
    unsigned runs[MAX_CHUNKS];  /* atomic: how often chunk c ran */
    size_t spin;                /* busy work per chunk, to vary its length */
    double partial[MAX_CHUNKS];
    int nested;                 /* call par_run from inside chunk 0 */
    unsigned inner[8];
    pthread_t caller;
    unsigned by_workers;        /* atomic: chunks run by a worker */
    int wait_for_worker;        /* the caller's chunks sleep until a worker ran one */
} Count;

static void count_inner(void *ctx, size_t c)
{
    Count *k = ctx;
    __atomic_add_fetch(&k->inner[c], 1, __ATOMIC_RELAXED);
}

static void count_chunk(void *ctx, size_t c)
{
    Count *k = ctx;
    /* Sums that round differently in another order: 1/(i+1) for a few i. */
    double s = 0;
    for (size_t i = 0; i < k->spin; i++) s += 1.0 / (double)(c * k->spin + i + 1);
    k->partial[c] = s;
    if (k->nested && c == 0) par_run(8, (size_t)1 << 30, count_inner, k);
    if (!pthread_equal(pthread_self(), k->caller)) {
        __atomic_add_fetch(&k->by_workers, 1, __ATOMIC_RELAXED);
    } else if (k->wait_for_worker) {
        /* Sleeping here leaves the CPU to the workers, however the system
         * (or valgrind, which runs one thread at a time) schedules them;
         * bounded, so a pool whose workers never run still fails the test.
         * The bound is generous (60 s): 5 s was once too short under
         * valgrind on a loaded machine. */
        struct timespec ms = {0, 1000000};
        for (int i = 0; i < 60000 && __atomic_load_n(&k->by_workers, __ATOMIC_RELAXED) == 0; i++)
            nanosleep(&ms, NULL);
    }
    __atomic_add_fetch(&k->runs[c], 1, __ATOMIC_RELAXED);
}

/* Runs one job; returns 1 when each of its chunks ran once. */
static int run_once(Count *k, size_t nchunks, size_t work)
{
    memset(k->runs, 0, sizeof k->runs);
    par_run(nchunks, work, count_chunk, k);
    for (size_t c = 0; c < MAX_CHUNKS; c++)
        if (__atomic_load_n(&k->runs[c], __ATOMIC_RELAXED) != (c < nchunks ? 1u : 0u)) return 0;
    return 1;
}

static double combine(const Count *k, size_t nchunks)
{
    double total = 0;
    for (size_t c = 0; c < nchunks; c++) total += k->partial[c];
    return total;
}

void test_par(void)
{
    static Count k;
    k.caller = pthread_self();
    par_set_learning(0);  /* threads for every call over PAR_MIN_WORK */
    static const size_t sizes[] = {0, 1, 2, 3, 5, 31, 64, 1000, MAX_CHUNKS};
    double reference[sizeof sizes / sizeof sizes[0]];

    for (int threads = 1; threads <= 4; threads++) {
        par_set_threads(threads);
        CHECK(par_threads() == threads);
        int every_chunk_once = 1, same_bits = 1;
        /* Many small jobs (under PAR_MIN_WORK and just over it), then
         * large ones with chunks of uneven length. */
        k.spin = 1;
        for (int rep = 0; rep < 2000; rep++) {
            size_t n = sizes[rep % 8];
            every_chunk_once &= run_once(&k, n, rep % 2 ? PAR_MIN_WORK : PAR_MIN_WORK - 1);
        }
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            k.spin = 4096 / (sizes[s] + 1) + 50;
            every_chunk_once &= run_once(&k, sizes[s], (size_t)1 << 30);
            double total = combine(&k, sizes[s]);
            if (threads == 1) reference[s] = total;
            else same_bits &= memcmp(&total, &reference[s], sizeof total) == 0;
        }
        CHECK(every_chunk_once);
        CHECK(same_bits);

        /* With more than one thread the workers take chunks too: the
         * caller's chunks wait (a few seconds at most) until one has. */
        k.by_workers = 0;
        k.spin = 2000;
        k.wait_for_worker = threads > 1;
        every_chunk_once &= run_once(&k, 64, (size_t)1 << 30);
        k.wait_for_worker = 0;
        CHECK(threads == 1 ? k.by_workers == 0 : k.by_workers > 0);
        CHECK(every_chunk_once);

        /* A call from inside a chunk: serial, and each inner chunk once. */
        memset(k.inner, 0, sizeof k.inner);
        k.nested = 1;
        k.spin = 10;
        CHECK(run_once(&k, 16, (size_t)1 << 30));
        k.nested = 0;
        int inner_once = 1;
        for (int c = 0; c < 8; c++) inner_once &= k.inner[c] == 1;
        CHECK(inner_once);
    }
    /* A forked child has no workers: it starts its own pool. */
    par_set_threads(2);
    pid_t pid = fork();
    if (pid == 0) {
        k.spin = 100;
        _exit(run_once(&k, 64, (size_t)1 << 30) && run_once(&k, 64, (size_t)1 << 30) ? 0 : 1);
    }
    int status = -1;
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
          WEXITSTATUS(status) == 0);

    /* Back to the default: the number of cores, from 1 to PAR_MAX_THREADS. */
    par_set_threads(0);
    CHECK(par_threads() >= 1 && par_threads() <= PAR_MAX_THREADS);
    par_set_threads(1000);
    CHECK(par_threads() == PAR_MAX_THREADS);
    par_set_threads(0);
    par_set_learning(1);

    /* Learning: however it decides, every chunk runs once. */
    k.spin = 300;
    int once = 1;
    for (int rep = 0; rep < 300; rep++) once &= run_once(&k, 40, (size_t)1 << (18 + rep % 5));
    CHECK(once);
}
