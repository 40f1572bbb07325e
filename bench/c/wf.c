/* wf.c: WF, yhat = x*w + b (w = 2, b = 1) at x_i = i * 1e-6 for
 * i = 1 .. n, summed left to right, the plain C reference (the prediction
 * inline: what one call of luagrad's m:forward computes).
 *
 *   wf [n=1000000]
 *
 * Timed: the loop. The sum is what the other rows must give, bit for bit. */
#include "common.h"

int main(int argc, char **argv)
{
    size_t n = (size_t)bench_arg(argc, argv, "n", 1000000);
    /* volatile: the compiler may not fold the model into the loop */
    volatile double vw = 2, vb = 1;
    double w = vw, b = vb;

    double t0 = bench_now();
    double s = 0;
    for (size_t i = 1; i <= n; i++) s += (double)i * 1e-6 * w + b;
    double t1 = bench_now();

    printf("seconds=%.9f\n", t1 - t0);
    printf("sum=%.17g\n", s);
    return 0;
}
