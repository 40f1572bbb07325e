/* w3.c: W3, full-batch gradient descent on y_hat = w*x + b under the MSE,
 * the plain C reference: the simplest tight loop.
 *
 *   w3 [n=1000000] [epochs=100] [lr=0.1]      w = b = 0 at the start
 *
 * Each epoch: r_i = w*x_i + b - y_i; dL/dw = 2/n * sum r_i*x_i,
 * dL/db = 2/n * sum r_i; then w -= lr*dL/dw, b -= lr*dL/db.
 * Timed: the epochs (n*epochs sample-epochs). */
#include "common.h"

int main(int argc, char **argv)
{
    size_t n = (size_t)bench_arg(argc, argv, "n", 1000000);
    int epochs = (int)bench_arg(argc, argv, "epochs", 100);
    double lr = bench_arg(argc, argv, "lr", 0.1);
    double *x = bench_alloc(n), *y = bench_alloc(n);
    bench_data(x, y, n);

    double w = 0, b = 0;
    double t0 = bench_now();
    for (int e = 0; e < epochs; e++) {
        double gw = 0, gb = 0;
        for (size_t i = 0; i < n; i++) {
            double r = w * x[i] + b - y[i];
            gw += r * x[i];
            gb += r;
        }
        w -= lr * (2 * gw / (double)n);
        b -= lr * (2 * gb / (double)n);
    }
    double t1 = bench_now();

    printf("seconds=%.9f\n", t1 - t0);
    printf("w=%.17g\nb=%.17g\n", w, b);
    free(x), free(y);
    return 0;
}
