/* data.c: the benchmark's data, the seed of common.h. Kept out of the
 * references' main() so that profiles of main count the workload alone. */
#include "common.h"

void bench_data(double *x, double *y, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        double xi = fmod((double)i * 0.6180339887498949, 1.0);
        double noise = (fmod((double)i * 0.7548776662466927, 1.0) - 0.5) * 0.2;
        x[i] = xi;
        y[i] = 2 * xi + 1 + noise;
    }
}
