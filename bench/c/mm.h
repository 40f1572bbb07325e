/* mm.h: what the matmul benchmark's programs share (bench/README.md, MM).
 *
 *   PROGRAM [n=256] [reps=R]      C = A·B, A, B, C n x n, row-major
 *
 * A(i, p) = fmod((i*n + p) * 0.6180339887498949, 1.0) - 0.5 and
 * B(p, j) = fmod((p*n + j) * 0.7548776662466927, 1.0) - 0.5: exact
 * operations, the same bits in every program. One untimed product first
 * (pages faulted in, caches warm), then R timed ones; seconds= is the
 * mean time of one product, so ns per multiply-add is seconds / n^3.
 * Results: c_first=, c_last= (C(0,0), C(n-1,n-1)) and abssum= (the sum of
 * |C(i,j)| in row order), which the runner compares with the plain loop's. */
#ifndef BENCH_MM_H
#define BENCH_MM_H

#include "common.h"

/* About 2^30 multiply-adds per program run, at least one product. */
static inline int mm_reps(int argc, char **argv, size_t n)
{
    double def = (double)(1u << 30) / ((double)n * (double)n * (double)n);
    int r = (int)bench_arg(argc, argv, "reps", def < 1 ? 1 : def);
    return r < 1 ? 1 : r;
}

static inline void mm_fill(double *a, double *b, size_t n)
{
    for (size_t i = 0; i < n * n; i++) {
        a[i] = fmod((double)i * 0.6180339887498949, 1.0) - 0.5;
        b[i] = fmod((double)i * 0.7548776662466927, 1.0) - 0.5;
    }
}

static inline void mm_report(const double *c, size_t n, double seconds)
{
    double s = 0;
    for (size_t i = 0; i < n * n; i++) s += fabs(c[i]);
    printf("seconds=%.9f\n", seconds);
    printf("c_first=%.17g\nc_last=%.17g\nabssum=%.17g\n", c[0], c[n * n - 1], s);
}

#endif
