/* cpucheck.c: how much of this machine the benchmark got, for the runner.
 *
 *   cpucheck      prints  add_ns=...  (one dependent double add, in ns)
 *                         speedup2=... (2 threads of the same independent
 *                                       work against 1: 2.0 on two free cores)
 *
 * Other people's jobs share this machine: when speedup2 is well under 2 or
 * add_ns is above its quiet value (~0.68 ns here), the run's times are
 * inflated and its thread speed-ups say more about the load than about
 * luagrad. The runner prints both before and after the workloads. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <time.h>

#define ADDS 50000000L

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* One chain of dependent adds: its time is the add latency. */
static void *chain(void *out)
{
    volatile double start = 1.0;
    double s = start;
    for (long i = 0; i < ADDS; i++) s += 1e-9;
    *(double *)out = s;
    return NULL;
}

/* Best of 3: the least disturbed measurement. */
static double timed(int threads)
{
    double best = 1e30, sink[2];
    for (int rep = 0; rep < 3; rep++) {
        pthread_t t;
        double t0 = now();
        int started = threads == 2 && pthread_create(&t, NULL, chain, &sink[1]) == 0;
        chain(&sink[0]);
        if (started) pthread_join(t, NULL);
        double dt = now() - t0;
        if (threads == 2 && !started) dt *= 2;  /* no thread: as if serial */
        if (dt < best) best = dt;
    }
    return best;
}

int main(void)
{
    double one = timed(1), two = timed(2);
    printf("add_ns=%.3f\nspeedup2=%.2f\n", one / (double)ADDS * 1e9, 2 * one / two);
    return 0;
}
