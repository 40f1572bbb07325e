/* wt_fused.c: WT5/WT6's limit: the same arithmetic as wt.c fused into one
 * loop per epoch (no temporaries: each sample is read once, its r used for
 * the three sums), compiled by the runner with -O3 -march=native
 * -ffast-math so the compiler may split the sums into vector lanes. The
 * fastest honest C for this computation on this machine; its sums are in
 * another order, so its results agree to rounding, not bit for bit.
 *
 *   wt_fused [n=100000] [epochs=300] [lr=0.1] */
#include "common.h"

int main(int argc, char **argv)
{
    size_t n = (size_t)bench_arg(argc, argv, "n", 100000);
    int epochs = (int)bench_arg(argc, argv, "epochs", 300);
    double lr = bench_arg(argc, argv, "lr", 0.1);
    double *x = bench_alloc(n), *y = bench_alloc(n);
    bench_data(x, y, n);

    double w = 0, b = 0, cost = 0;
    double t0 = bench_now();
    for (int e = 0; e < epochs; e++) {
        double srr = 0, srx = 0, sr = 0;
        for (size_t i = 0; i < n; i++) {
            double r = x[i] * w + b - y[i];
            srr += r * r;
            srx += r * x[i];
            sr += r;
        }
        cost = srr / (double)n;
        w = w - lr * 2 * (srx / (double)n);
        b = b - lr * 2 * (sr / (double)n);
    }
    double t1 = bench_now();

    printf("seconds=%.9f\n", t1 - t0);
    printf("w=%.17g\nb=%.17g\ncost=%.17g\n", w, b, cost);
    free(x), free(y);
    return 0;
}
