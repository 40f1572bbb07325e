/* w4.c: W4, per-sample SGD on y_hat = w*x + b (squared error), one epoch in
 * order, the plain C reference.
 *
 *   w4 [n=1000000] [lr=0.01]      w = b = 0 at the start
 *
 * For each sample in order: r = w*x_i + b - y_i; w -= lr*2*r*x_i;
 * b -= lr*2*r (both from the same r). Timed: the epoch (n updates). */
#include "common.h"

int main(int argc, char **argv)
{
    size_t n = (size_t)bench_arg(argc, argv, "n", 1000000);
    double lr = bench_arg(argc, argv, "lr", 0.01);
    double *x = bench_alloc(n), *y = bench_alloc(n);
    bench_data(x, y, n);

    double w = 0, b = 0;
    double t0 = bench_now();
    for (size_t i = 0; i < n; i++) {
        double r = w * x[i] + b - y[i];
        w -= lr * (2 * r * x[i]);
        b -= lr * (2 * r);
    }
    double t1 = bench_now();

    printf("seconds=%.9f\n", t1 - t0);
    printf("w=%.17g\nb=%.17g\n", w, b);
    free(x), free(y);
    return 0;
}
