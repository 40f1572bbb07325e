/* w3_floor.c: the floor of W3 on this machine, not an implementation of
 * it: each epoch only reads x and y once (the least any full-batch
 * gradient must do), summing them into 8 independent accumulators so that
 * no add chain limits the loop. What it takes per sample-epoch is the cost
 * of streaming the data (16 bytes per sample) from wherever it lives
 * (cache or memory).
 *
 *   w3_floor [n=1000000] [epochs=100]
 *
 * Prints seconds= and the sum (a checksum, no w or b: the runner does not
 * compare it with the other rows). */
#include "common.h"

int main(int argc, char **argv)
{
    size_t n = (size_t)bench_arg(argc, argv, "n", 1000000);
    int epochs = (int)bench_arg(argc, argv, "epochs", 100);
    double *x = bench_alloc(n), *y = bench_alloc(n);
    bench_data(x, y, n);

    double total = 0;
    double t0 = bench_now();
    for (int e = 0; e < epochs; e++) {
        double sx0 = 0, sx1 = 0, sx2 = 0, sx3 = 0, sy0 = 0, sy1 = 0, sy2 = 0, sy3 = 0;
        size_t i = 0;
        for (; i + 4 <= n; i += 4) {
            sx0 += x[i], sx1 += x[i + 1], sx2 += x[i + 2], sx3 += x[i + 3];
            sy0 += y[i], sy1 += y[i + 1], sy2 += y[i + 2], sy3 += y[i + 3];
        }
        for (; i < n; i++) sx0 += x[i], sy0 += y[i];
        total += ((sx0 + sx1) + (sx2 + sx3)) + ((sy0 + sy1) + (sy2 + sy3));
    }
    double t1 = bench_now();

    printf("seconds=%.9f\n", t1 - t0);
    printf("checksum=%.17g\n", total);
    free(x), free(y);
    return 0;
}
