/* scalar.c: W7, the plain C program with the arithmetic of lecture 4's
 * scalar autograd loop: per sample r = x*w + b - y, l = r*r, the gradient
 * as the graph gives it (dl/dr = r + r from the two factors of r*r, then
 * dw = dl/dr * x, db = dl/dr), w -= lr*dw, b -= lr*db.
 *
 *   scalar [n=250000] [lr=0.01]
 *
 * Timed: the loop. Printed: w, b and the last sample's loss. */
#include "common.h"

int main(int argc, char **argv)
{
    size_t n = (size_t)bench_arg(argc, argv, "n", 250000);
    double lr = bench_arg(argc, argv, "lr", 0.01);
    double *x = bench_alloc(n), *y = bench_alloc(n);
    bench_data(x, y, n);

    double w = 0, b = 0, l = 0;
    double t0 = bench_now();
    for (size_t i = 0; i < n; i++) {
        double r = x[i] * w + b - y[i];
        l = r * r;
        double gr = 1.0 * r + 1.0 * r;
        w = w - lr * (gr * x[i]);
        b = b - lr * gr;
    }
    double t1 = bench_now();

    printf("seconds=%.9f\n", t1 - t0);
    printf("w=%.17g\nb=%.17g\nloss=%.17g\n", w, b, l);
    free(x), free(y);
    return 0;
}
