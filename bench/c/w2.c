/* w2.c: W2, the MSE of y_hat = w*x + b over a grid of (w, b), the plain C
 * reference: the simplest tight loop, one sum per grid point.
 *
 *   w2 [n=10000] [grid=201]     w and b each linspace(0, 4, grid)
 *
 * Timed: filling the grid (grid*grid*n grid-point-samples). Printed after:
 * the smallest MSE, where it is (first in row-major order, w outer), and the
 * sum of the whole grid as a checksum. */
#include "common.h"

/* a + i*step with step = (b - a)/(n - 1), the last exactly b: the rule of
 * numpy.linspace and luagrad's tensor.linspace, so the grids are the same. */
static void linspace(double *out, size_t n, double a, double b)
{
    double step = n > 1 ? (b - a) / (double)(n - 1) : 0;
    for (size_t i = 0; i < n; i++) out[i] = a + (double)i * step;
    if (n > 1) out[n - 1] = b;
}

int main(int argc, char **argv)
{
    size_t n = (size_t)bench_arg(argc, argv, "n", 10000);
    size_t g = (size_t)bench_arg(argc, argv, "grid", 201);
    double *x = bench_alloc(n), *y = bench_alloc(n);
    double *ws = bench_alloc(g), *bs = bench_alloc(g), *mse = bench_alloc(g * g);
    bench_data(x, y, n);
    linspace(ws, g, 0, 4);
    linspace(bs, g, 0, 4);

    double t0 = bench_now();
    for (size_t j = 0; j < g; j++)
        for (size_t k = 0; k < g; k++) {
            double w = ws[j], b = bs[k], s = 0;
            for (size_t i = 0; i < n; i++) {
                double d = w * x[i] + b - y[i];
                s += d * d;
            }
            mse[j * g + k] = s / (double)n;
        }
    double t1 = bench_now();

    size_t best = 0;
    double total = 0;
    for (size_t p = 0; p < g * g; p++) {
        if (mse[p] < mse[best]) best = p;
        total += mse[p];
    }
    printf("seconds=%.9f\n", t1 - t0);
    printf("min=%.17g\nargmin_w=%.17g\nargmin_b=%.17g\ntotal=%.17g\n", mse[best],
           ws[best / g], bs[best % g], total);
    free(x), free(y), free(ws), free(bs), free(mse);
    return 0;
}
