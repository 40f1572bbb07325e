/* common.h: what every C reference of the benchmark shares.
 *
 * The data ("the seed"): for i = 0 .. n-1
 *     x_i     = fmod(i * 0.6180339887498949, 1.0)
 *     noise_i = (fmod(i * 0.7548776662466927, 1.0) - 0.5) * 0.2
 *     y_i     = 2 * x_i + 1 + noise_i
 * Each operation is one IEEE double operation (fmod is exact), so C, Lua,
 * Python, NumPy and PyTorch produce the same bits, and the results of the
 * implementations can be compared to 1e-9.
 *
 * Arguments are key=value words (n=10000 grid=201 ...), like luagrad's
 * parameters. Results are printed as key=value lines; the timing line is
 * seconds=..., the wall time of the computation only (not data generation). */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The value of key=... among argv, or def when absent. */
static inline double bench_arg(int argc, char **argv, const char *key, double def)
{
    size_t k = strlen(key);
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], key, k) == 0 && argv[i][k] == '=') {
            char *end;
            double v = strtod(argv[i] + k + 1, &end);
            if (*end || end == argv[i] + k + 1) {
                fprintf(stderr, "%s: %s is not a number\n", argv[0], argv[i]);
                exit(2);
            }
            return v;
        }
    return def;
}

/* Fills x and y with the seed above. In data.c, compiled on its own, so a
 * profile (bench/run.sh --profile) counts it apart from the loop in main. */
void bench_data(double *x, double *y, size_t n);

static inline double *bench_alloc(size_t n)
{
    double *p = malloc((n ? n : 1) * sizeof *p);
    if (!p) {
        fprintf(stderr, "out of memory (%zu doubles)\n", n);
        exit(1);
    }
    return p;
}

#endif
